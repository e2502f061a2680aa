/*
 * gdt.c - the GDT, the task-state segments and the processor control region
 * (NT: KiInitializeGdt, KiInitializeTSS, the PCR set-up in KiSystemStartup).
 *
 * The selectors are NT's (ketypes.h). KGDT_R0_PCR is a data segment whose base is
 * the KPCR, so fs:[0x1C] is KPCR.SelfPcr and fs:[0x124] the current thread.
 * Double faults arrive through a task gate (KGDT_DF_TSS): a fault while the kernel
 * stack is gone (an overflow into the guard page) cannot push a frame on that
 * stack, so the processor switches to a TSS with a stack of its own.
 */
#include <ke.h>
#include <mmlayout.h>
#include <rtl.h>

static KGDTENTRY KiGdt[KGDT_NUMBER] __attribute__((aligned(8)));
static KTSS KiTss __attribute__((aligned(128)));
static KTSS KiDoubleFaultTss __attribute__((aligned(128)));
static UCHAR KiDoubleFaultStack[KERNEL_STACK_SIZE] __attribute__((aligned(16)));
static KPCR KiInitialPcr __attribute__((aligned(4096)));

static VOID KipSetGdtEntry(ULONG Selector, ULONG Base, ULONG Limit, UCHAR Access,
                           UCHAR Granularity)
{
    PKGDTENTRY Entry = &KiGdt[Selector >> 3];

    if (Granularity & 0x80)
        Limit >>= 12;                   /* 4 KB units */
    Entry->LimitLow = (USHORT)(Limit & 0xFFFF);
    Entry->BaseLow = (USHORT)(Base & 0xFFFF);
    Entry->BaseMid = (UCHAR)((Base >> 16) & 0xFF);
    Entry->Flags1 = Access;
    Entry->Flags2 = (UCHAR)(Granularity | ((Limit >> 16) & 0x0F));
    Entry->BaseHi = (UCHAR)(Base >> 24);
}

static VOID KipInitializePcr(VOID)
{
    PKPCR Pcr = &KiInitialPcr;

    Pcr->NtTib.ExceptionList = EXCEPTION_CHAIN_END;   /* the (empty) SEH chain */
    Pcr->NtTib.StackBase = KiBootStackBase;
    Pcr->NtTib.StackLimit = KiBootStackLimit;
    Pcr->NtTib.Self = &Pcr->NtTib;
    Pcr->SelfPcr = Pcr;
    Pcr->Prcb = &Pcr->PrcbData;
    Pcr->Irql = 0;
    Pcr->IDR = 0xFFFFFFFF;                   /* every PIC line masked */
    Pcr->GDT = KiGdt;
    Pcr->TSS = &KiTss;
    Pcr->MajorVersion = PCR_MAJOR_VERSION;
    Pcr->MinorVersion = PCR_MINOR_VERSION;
    Pcr->SetMember = 1;
    Pcr->Number = 0;
    Pcr->PrcbData.MajorVersion = PRCB_MAJOR_VERSION;
    Pcr->PrcbData.MinorVersion = PRCB_MINOR_VERSION;
    Pcr->PrcbData.SetMember = 1;
    Pcr->PrcbData.Number = 0;
}

static VOID KipInitializeTss(VOID)
{
    KiTss.Ss0 = KGDT_R0_DATA;
    KiTss.Esp0 = (ULONG)(ULONG_PTR)KiBootStackBase;
    KiTss.IoMapBase = sizeof(KTSS);     /* past the limit: no I/O permission map */

    /* The double-fault task: kernel segments, its own stack, interrupts off. */
    KiDoubleFaultTss.Esp0 = KiDoubleFaultTss.Esp =
        (ULONG)(ULONG_PTR)(KiDoubleFaultStack + sizeof(KiDoubleFaultStack));
    KiDoubleFaultTss.Ss0 = KiDoubleFaultTss.Ss = KGDT_R0_DATA;
    KiDoubleFaultTss.Cs = KGDT_R0_CODE;
    KiDoubleFaultTss.Ds = KiDoubleFaultTss.Es = KGDT_R3_DATA | RPL_MASK;
    KiDoubleFaultTss.Fs = KGDT_R0_PCR;
    KiDoubleFaultTss.Eip = (ULONG)(ULONG_PTR)KiDoubleFaultHandler;
    KiDoubleFaultTss.EFlags = 0x2;      /* reserved bit 1; IF clear */
    KiDoubleFaultTss.CR3 = __readcr3();
    KiDoubleFaultTss.IoMapBase = sizeof(KTSS);
}

VOID KiInitializeGdt(VOID)
{
    struct __attribute__((packed)) { USHORT Limit; ULONG Base; } Gdtr;

    KipInitializePcr();
    KipInitializeTss();

    KipSetGdtEntry(KGDT_R0_CODE, 0, 0xFFFFFFFF, KGDT_ACCESS_CODE_R0, KGDT_GRANULARITY_4K);
    KipSetGdtEntry(KGDT_R0_DATA, 0, 0xFFFFFFFF, KGDT_ACCESS_DATA_R0, KGDT_GRANULARITY_4K);
    KipSetGdtEntry(KGDT_R3_CODE, 0, 0xFFFFFFFF, KGDT_ACCESS_CODE_R3, KGDT_GRANULARITY_4K);
    KipSetGdtEntry(KGDT_R3_DATA, 0, 0xFFFFFFFF, KGDT_ACCESS_DATA_R3, KGDT_GRANULARITY_4K);
    KipSetGdtEntry(KGDT_TSS, (ULONG)(ULONG_PTR)&KiTss, sizeof(KTSS) - 1,
                   KGDT_ACCESS_TSS, 0);
    KipSetGdtEntry(KGDT_R0_PCR, (ULONG)(ULONG_PTR)&KiInitialPcr, sizeof(KPCR) - 1,
                   KGDT_ACCESS_DATA_R0, KGDT_GRANULARITY_1B);
    /* The TEB segment's base is set at every switch to a user thread (process issue). */
    KipSetGdtEntry(KGDT_R3_TEB, 0, PAGE_SIZE - 1, KGDT_ACCESS_DATA_R3, KGDT_GRANULARITY_1B);
    KipSetGdtEntry(KGDT_DF_TSS, (ULONG)(ULONG_PTR)&KiDoubleFaultTss, sizeof(KTSS) - 1,
                   KGDT_ACCESS_TSS, 0);

    Gdtr.Limit = sizeof(KiGdt) - 1;
    Gdtr.Base = (ULONG)(ULONG_PTR)KiGdt;
    __asm__ volatile(
        "lgdt %0\n\t"
        "ljmp %1, $1f\n"                /* reload CS */
        "1:\n\t"
        "movw %w2, %%ss\n\t"
        "movw %w3, %%ds\n\t"
        "movw %w3, %%es\n\t"
        "movw %w4, %%fs\n\t"
        "movw %w5, %%gs\n\t"
        "ltr %w6\n\t"
        /* No LDT (NT's processes have none until asked): a selector with TI set is
           then a #GP naming it, not a read of whatever LDTR the loader left (QEMU's
           is base 0, limit 0xFFFF: a page fault at a low address). */
        "lldt %w5\n\t"
        :
        : "m"(Gdtr), "i"(KGDT_R0_CODE), "r"(KGDT_R0_DATA), "r"(KGDT_R3_DATA | RPL_MASK),
          "r"(KGDT_R0_PCR), "r"(0), "r"(KGDT_TSS)
        : "memory");
}

/* The interrupted state the processor saved in KiTss when it switched to the DF task. */
const KTSS *KiGetInterruptedTaskState(VOID)
{
    return &KiTss;
}

/* Points KGDT_R3_TEB (user-mode fs) at a thread's TEB; done at every switch. */
VOID KiSetTebDescriptorBase(ULONG Base)
{
    PKGDTENTRY Entry = &KiGdt[KGDT_R3_TEB >> 3];

    Entry->BaseLow = (USHORT)(Base & 0xFFFF);
    Entry->BaseMid = (UCHAR)((Base >> 16) & 0xFF);
    Entry->BaseHi = (UCHAR)(Base >> 24);
}

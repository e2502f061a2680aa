/*
 * processor.c - self-test: the GDT, KPCR, TSS and IDT are what NT's layout says.
 */
#include <selftest.h>
#include <ke.h>

typedef struct __attribute__((packed)) { USHORT Limit; ULONG Base; } KST_TABLE_REGISTER;

static USHORT KstReadSelector(int Which)
{
    USHORT Value = 0;
    switch (Which) {
    case 0: __asm__ volatile("mov %%cs, %0" : "=r"(Value)); break;
    case 1: __asm__ volatile("mov %%ss, %0" : "=r"(Value)); break;
    case 2: __asm__ volatile("mov %%ds, %0" : "=r"(Value)); break;
    case 3: __asm__ volatile("mov %%fs, %0" : "=r"(Value)); break;
    case 4: __asm__ volatile("str %0" : "=r"(Value)); break;
    }
    return Value;
}

static ULONG KstDescriptorBase(const KGDTENTRY *Entry)
{
    return Entry->BaseLow | ((ULONG)Entry->BaseMid << 16) | ((ULONG)Entry->BaseHi << 24);
}

static NTSTATUS KstProcessorTables(VOID)
{
    PKPCR Pcr = KeGetPcr();
    KST_TABLE_REGISTER Gdtr, Idtr;
    ULONG CurrentThreadViaFs;

    /* Selectors in use are NT's. */
    KST_CHECK(KstReadSelector(0) == KGDT_R0_CODE);
    KST_CHECK(KstReadSelector(1) == KGDT_R0_DATA);
    KST_CHECK(KstReadSelector(2) == (KGDT_R3_DATA | RPL_MASK));
    KST_CHECK(KstReadSelector(3) == KGDT_R0_PCR);
    KST_CHECK(KstReadSelector(4) == KGDT_TSS);

    /* fs:[0x1C] is the KPCR's own address, and the PCR segment's base is that address. */
    KST_CHECK(Pcr != NULL && Pcr->SelfPcr == Pcr);
    KST_CHECK(Pcr->Prcb == &Pcr->PrcbData && KeGetCurrentPrcb() == Pcr->Prcb);
    KST_CHECK(KstDescriptorBase(&Pcr->GDT[KGDT_R0_PCR >> 3]) == (ULONG)(ULONG_PTR)Pcr);
    KST_CHECK(KstDescriptorBase(&Pcr->GDT[KGDT_TSS >> 3]) == (ULONG)(ULONG_PTR)Pcr->TSS);
    __asm__ volatile("movl %%fs:0x124, %0" : "=r"(CurrentThreadViaFs));
    KST_CHECK(CurrentThreadViaFs == (ULONG)(ULONG_PTR)Pcr->PrcbData.CurrentThread);

    /* The processor uses the tables the PCR names. */
    __asm__ volatile("sgdt %0" : "=m"(Gdtr));
    __asm__ volatile("sidt %0" : "=m"(Idtr));
    KST_CHECK(Gdtr.Base == (ULONG)(ULONG_PTR)Pcr->GDT && Gdtr.Limit == KGDT_NUMBER * 8 - 1);
    KST_CHECK(Idtr.Base == (ULONG)(ULONG_PTR)Pcr->IDT && Idtr.Limit == 256 * 8 - 1);

    /* Ring 3 may raise INT 3 and INTO but no other exception vector; #DF is a task gate. */
    KST_CHECK((Pcr->IDT[3].Access & KIDT_ACCESS_DPL3) == KIDT_ACCESS_DPL3);
    KST_CHECK((Pcr->IDT[4].Access & KIDT_ACCESS_DPL3) == KIDT_ACCESS_DPL3);
    KST_CHECK((Pcr->IDT[14].Access & KIDT_ACCESS_DPL3) == 0);
    KST_CHECK(Pcr->IDT[8].Access == KIDT_ACCESS_TASK_GATE && Pcr->IDT[8].Selector == KGDT_DF_TSS);

    /* A ring change lands on the kernel data segment. */
    KST_CHECK(Pcr->TSS->Ss0 == KGDT_R0_DATA && Pcr->TSS->Esp0 != 0);
    /* Paging with write protection on, and the identity map gone. */
    KST_CHECK((__readcr0() & (CR0_PG | CR0_WP)) == (CR0_PG | CR0_WP));
    KST_CHECK(KiBootPageDirectory[0] == 0);
    return STATUS_SUCCESS;
}
KSELFTEST(PROCESSOR, KstProcessorTables);

/* A breakpoint in kernel mode with no debugger attached must bugcheck, but an INT 3
   is how users will stop in gdb; this test only checks the trap frame round trip
   through a software interrupt that the kernel handles: the clock vector. */
static NTSTATUS KstTrapFrameRoundTrip(VOID)
{
    ULONG Ebx = 0x11111111, Esi = 0x22222222, Edi = 0x33333333, Out[3];
    ULONG TicksBefore = KeTickCount;

    /* INT 30h runs the clock interrupt path as if IRQ 0 had fired, through
       KiTrapCommon and KiTrapExit; every register must come back unchanged. */
    __asm__ volatile(
        "int $0x30\n\t"
        "movl %%ebx, %3\n\t"
        "movl %%esi, %4\n\t"
        "movl %%edi, %5\n\t"
        : "+b"(Ebx), "+S"(Esi), "+D"(Edi), "=m"(Out[0]), "=m"(Out[1]), "=m"(Out[2])
        :
        : "memory", "eax", "ecx", "edx");
    KST_CHECK(Out[0] == 0x11111111 && Out[1] == 0x22222222 && Out[2] == 0x33333333);
    KST_CHECK(KeTickCount - TicksBefore >= 1);
    return STATUS_SUCCESS;
}
KSELFTEST(TRAPFRAME, KstTrapFrameRoundTrip);

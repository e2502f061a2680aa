/*
 * cpu.c - what the processor can do (NT: KiGetFeatureBits, KiIsIntelCpu...).
 *
 * Read once at boot into the PRCB. The system-call issue decides between SYSENTER
 * and INT 2E from KF_FAST_SYSCALL, which follows NT's rule: CPUID.1:EDX.SEP, but
 * not on the Pentium Pro (family 6, model < 3, stepping < 3), which reports SEP
 * without having it.
 */
#include <ke.h>
#include <rtl.h>

#define CPUID_EDX_FPU   (1UL << 0)
#define CPUID_EDX_VME   (1UL << 1)
#define CPUID_EDX_PSE   (1UL << 3)
#define CPUID_EDX_TSC   (1UL << 4)
#define CPUID_EDX_MSR   (1UL << 5)
#define CPUID_EDX_PAE   (1UL << 6)
#define CPUID_EDX_CX8   (1UL << 8)
#define CPUID_EDX_APIC  (1UL << 9)
#define CPUID_EDX_SEP   (1UL << 11)
#define CPUID_EDX_MTRR  (1UL << 12)
#define CPUID_EDX_PGE   (1UL << 13)
#define CPUID_EDX_CMOV  (1UL << 15)
#define CPUID_EDX_PAT   (1UL << 16)
#define CPUID_EDX_MMX   (1UL << 23)
#define CPUID_EDX_FXSR  (1UL << 24)
#define CPUID_EDX_SSE   (1UL << 25)
#define CPUID_EDX_SSE2  (1UL << 26)
#define CPUID_EXT_EDX_NX (1UL << 20)
#define CPUID_EXTENDED_BASE 0x80000000UL

static BOOLEAN KipHasCpuid(VOID)
{
    ULONG Before = __readeflags();
    ULONG After;

    __writeeflags(Before ^ EFLAGS_ID);
    After = __readeflags();
    __writeeflags(Before);
    return ((Before ^ After) & EFLAGS_ID) != 0;
}

VOID KiInitializeProcessorFeatures(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    ULONG Info[4], Family, Model, Stepping, Bits = 0;

    if (!KipHasCpuid()) {
        Prcb->CpuID = FALSE;
        Prcb->CpuType = 4;              /* a 486 without CPUID */
        return;
    }
    Prcb->CpuID = TRUE;

    __cpuid(Info, 0);
    memcpy(&Prcb->VendorString[0], &Info[1], 4);    /* EBX, EDX, ECX spell the vendor */
    memcpy(&Prcb->VendorString[4], &Info[3], 4);
    memcpy(&Prcb->VendorString[8], &Info[2], 4);
    Prcb->VendorString[12] = '\0';

    __cpuid(Info, 1);
    Family = (Info[0] >> 8) & 0xF;
    Model = (Info[0] >> 4) & 0xF;
    Stepping = Info[0] & 0xF;
    if (Family == 0xF)
        Family += (Info[0] >> 20) & 0xFF;
    if (Family == 0x6 || Family >= 0xF)
        Model += ((Info[0] >> 16) & 0xF) << 4;
    Prcb->CpuType = (CHAR)Family;
    Prcb->CpuStep = (USHORT)((Model << 8) | Stepping);
    Prcb->CpuidEdx = Info[3];
    Prcb->CpuidEcx = Info[2];

    if (Info[3] & CPUID_EDX_VME)  Bits |= KF_V86_VIS;
    if (Info[3] & CPUID_EDX_TSC)  Bits |= KF_RDTSC;
    if (Info[3] & (CPUID_EDX_VME | CPUID_EDX_PSE | CPUID_EDX_PGE)) Bits |= KF_CR4;
    if (Info[3] & CPUID_EDX_CMOV) Bits |= KF_CMOV;
    if (Info[3] & CPUID_EDX_PGE)  Bits |= KF_GLOBAL_PAGE;
    if (Info[3] & CPUID_EDX_PSE)  Bits |= KF_LARGE_PAGE;
    if (Info[3] & CPUID_EDX_MTRR) Bits |= KF_MTRR;
    if (Info[3] & CPUID_EDX_CX8)  Bits |= KF_CMPXCHG8B;
    if (Info[3] & CPUID_EDX_MMX)  Bits |= KF_MMX;
    if (Info[3] & CPUID_EDX_PAT)  Bits |= KF_PAT;
    if (Info[3] & CPUID_EDX_FXSR) Bits |= KF_FXSR;
    if (Info[3] & CPUID_EDX_SSE)  Bits |= KF_XMMI;
    if (Info[3] & CPUID_EDX_SSE2) Bits |= KF_XMMI64;
    if ((Info[3] & CPUID_EDX_SEP) && !(Family == 6 && Model < 3 && Stepping < 3))
        Bits |= KF_FAST_SYSCALL;

    __cpuid(Info, CPUID_EXTENDED_BASE);
    if (Info[0] >= CPUID_EXTENDED_BASE + 1) {
        __cpuid(Info, CPUID_EXTENDED_BASE + 1);
        if (Info[3] & CPUID_EXT_EDX_NX)
            Bits |= KF_NX_BIT;
    }
    Prcb->FeatureBits = Bits;
}

/* "SEP TSC PSE ..." for the boot banner. */
PCSTR KiFeatureBitsToString(ULONG FeatureBits, PCHAR Buffer, SIZE_T Size)
{
    static const struct { ULONG Bit; PCSTR Name; } Names[] = {
        { KF_FAST_SYSCALL, "SEP" }, { KF_RDTSC, "TSC" }, { KF_LARGE_PAGE, "PSE" },
        { KF_GLOBAL_PAGE, "PGE" }, { KF_CMPXCHG8B, "CX8" }, { KF_CMOV, "CMOV" },
        { KF_PAT, "PAT" }, { KF_MTRR, "MTRR" }, { KF_MMX, "MMX" }, { KF_FXSR, "FXSR" },
        { KF_XMMI, "SSE" }, { KF_XMMI64, "SSE2" }, { KF_NX_BIT, "NX" },
        { KF_V86_VIS, "VME" },
    };
    SIZE_T Used = 0;
    ULONG Index;

    if (Size == 0)
        return Buffer;
    Buffer[0] = '\0';
    for (Index = 0; Index < RTL_NUMBER_OF(Names); Index++) {
        if (FeatureBits & Names[Index].Bit) {
            int Written = RtlStringPrintf(Buffer + Used, Size - Used, "%s%s",
                                          Used ? " " : "", Names[Index].Name);
            if (Written < 0 || (SIZE_T)Written >= Size - Used)
                break;
            Used += (SIZE_T)Written;
        }
    }
    return Buffer;
}

/*
 * shared.c - the KUSER_SHARED_DATA page (NT: MiInitializeSharedUserData and the
 * clock's writes in KeUpdateSystemTime).
 *
 * One physical page, mapped writable for the kernel at KI_USER_SHARED_DATA and
 * read-only, user-accessible at MM_SHARED_USER_DATA_VA in every address space
 * (procsup.c maps it when it makes a page directory).
 */
#include "mi.h"
#include <nt/kuser.h>
#include <rtl.h>

_Static_assert(KI_USER_SHARED_DATA == 0xFFDF0000, "SharedUserData is KI_USER_SHARED_DATA");

#define IMAGE_FILE_MACHINE_I386 0x014C
#define NT_MAJOR_VERSION        5       /* the structures we follow are NT 5.1's */
#define NT_MINOR_VERSION        1
/* Processor-feature indexes of KUSER_SHARED_DATA.ProcessorFeatures */
#define PF_COMPARE_EXCHANGE_DOUBLE   2
#define PF_MMX_INSTRUCTIONS_AVAILABLE 3
#define PF_XMMI_INSTRUCTIONS_AVAILABLE 6
#define PF_RDTSC_INSTRUCTION_AVAILABLE 8
#define PF_PAE_ENABLED               9
#define PF_XMMI64_INSTRUCTIONS_AVAILABLE 10
#define PF_NX_ENABLED                12

PFN_NUMBER MiSharedUserDataPage;

VOID MiInitializeSharedUserData(VOID)
{
    static const char SystemRoot[] = "C:\\WINDOWS";
    PKUSER_SHARED_DATA Data;
    ULONG Features = KeGetCurrentPrcb()->FeatureBits;
    ULONG Index;

    MiSharedUserDataPage = MiRemoveZeroPage();
    if (MiSharedUserDataPage == 0)
        KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 0x4D4D0004, 0, 0, 0);
    *MiAddressToPte(KI_USER_SHARED_DATA) = MI_MAKE_PTE(MiSharedUserDataPage, PTE_PRESENT | PTE_WRITE);
    MiFlushTb((PVOID)KI_USER_SHARED_DATA);

    Data = SharedUserData;
    /* Milliseconds per tick in 8.24 fixed point: GetTickCount's multiplier. */
    Data->TickCountMultiplier = (ULONG)RtlpDivide64By32((ULONGLONG)KeQueryTimeIncrement() << 24,
                                                        10000, NULL);
    Data->ImageNumberLow = Data->ImageNumberHigh = IMAGE_FILE_MACHINE_I386;
    for (Index = 0; Index < sizeof(SystemRoot); Index++)
        Data->NtSystemRoot[Index] = (WCHAR)SystemRoot[Index];
    Data->NtProductType = NtProductWinNt;
    Data->ProductTypeIsValid = TRUE;
    Data->NtMajorVersion = NT_MAJOR_VERSION;
    Data->NtMinorVersion = NT_MINOR_VERSION;
    Data->ProcessorFeatures[PF_COMPARE_EXCHANGE_DOUBLE] = (Features & KF_CMPXCHG8B) != 0;
    Data->ProcessorFeatures[PF_MMX_INSTRUCTIONS_AVAILABLE] = (Features & KF_MMX) != 0;
    Data->ProcessorFeatures[PF_XMMI_INSTRUCTIONS_AVAILABLE] = (Features & KF_XMMI) != 0;
    Data->ProcessorFeatures[PF_RDTSC_INSTRUCTION_AVAILABLE] = (Features & KF_RDTSC) != 0;
    Data->ProcessorFeatures[PF_XMMI64_INSTRUCTIONS_AVAILABLE] = (Features & KF_XMMI64) != 0;
    Data->NumberOfPhysicalPages = MmNumberOfPhysicalPages;
    Data->TestRetInstruction = 0xC3;    /* RET, which NT keeps here */
    KeInitializeSharedUserTime();
}

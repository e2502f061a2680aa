/*
 * mmtest.c - helpers for the memory-manager self-tests (mmtest.h).
 */
#include "mmtest.h"

NTSTATUS KstTouch(PVOID Address, BOOLEAN Write, UCHAR Value, PUCHAR ReadValue)
{
    KFAULT_RECOVERY Recovery;
    NTSTATUS Status;

    if (KiSetFaultRecovery(&Recovery) == 0) {
        if (Write)
            *(volatile UCHAR *)Address = Value;
        else if (ReadValue)
            *ReadValue = *(volatile UCHAR *)Address;
        else
            (void)*(volatile UCHAR *)Address;
        KiClearFaultRecovery(&Recovery);
        Status = STATUS_SUCCESS;
    } else {
        Status = Recovery.ExceptionCode;
    }
    return Status;
}

VOID KstTakeBaseline(KST_MM_BASELINE *Baseline)
{
    MM_MEMORY_COUNTERS Counters;
    EX_POOL_USAGE Pool;

    /* Both ends of a test are measured with the image cache empty: what a test ran
       may stay cached (by design), but a segment still in use is not dropped, so
       a section or view that leaks still shows. */
    MmTrimSegmentCache();
    MmQueryMemoryCounters(&Counters);
    ExQueryPoolUsage(&Pool);
    Baseline->AvailablePages = Counters.AvailablePages;
    Baseline->InUsePages = Counters.InUsePages;
    Baseline->CommittedPages = Counters.CommittedPages;
    Baseline->FreeSystemPtes = Counters.FreeSystemPtes;
    Baseline->PoolPagesHeld = Pool.TotalPagesHeld;
}

NTSTATUS KstCheckBaseline(const KST_MM_BASELINE *Baseline, PCSTR Where)
{
    KST_MM_BASELINE Now;

    KstTakeBaseline(&Now);
    if (Now.AvailablePages != Baseline->AvailablePages || Now.InUsePages != Baseline->InUsePages ||
        Now.CommittedPages != Baseline->CommittedPages ||
        Now.FreeSystemPtes != Baseline->FreeSystemPtes ||
        Now.PoolPagesHeld != Baseline->PoolPagesHeld) {
        DbgPrint("    %s: available %lu (was %lu), in use %lu (was %lu), committed %lu (was %lu), "
                 "system PTEs %lu (was %lu), pool pages %lu (was %lu)\n", Where,
                 Now.AvailablePages, Baseline->AvailablePages, Now.InUsePages, Baseline->InUsePages,
                 Now.CommittedPages, Baseline->CommittedPages, Now.FreeSystemPtes,
                 Baseline->FreeSystemPtes, Now.PoolPagesHeld, Baseline->PoolPagesHeld);
        return STATUS_UNSUCCESSFUL;
    }
    return STATUS_SUCCESS;
}

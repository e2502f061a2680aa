/*
 * mmtest.h - helpers shared by the memory-manager self-tests.
 */
#pragma once

#include <selftest.h>
#include <ke.h>
#include <ex.h>
#include <mm.h>

/* Reads or writes one byte of (user) memory inside a fault-recovery block and
   returns the status: STATUS_SUCCESS, or what the fault raised. */
NTSTATUS KstTouch(PVOID Address, BOOLEAN Write, UCHAR Value, PUCHAR ReadValue);

/* A snapshot of what must come back to where it was after a test. */
typedef struct _KST_MM_BASELINE {
    ULONG AvailablePages;
    ULONG InUsePages;
    ULONG CommittedPages;
    ULONG FreeSystemPtes;
    ULONG PoolPagesHeld;
} KST_MM_BASELINE;

/* Both empty the image segment cache first (MmTrimSegmentCache). */
VOID KstTakeBaseline(KST_MM_BASELINE *Baseline);
/* KST_CHECK-style: fails the test when a counter differs, saying which. */
NTSTATUS KstCheckBaseline(const KST_MM_BASELINE *Baseline, PCSTR Where);

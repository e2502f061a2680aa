/*
 * semphore.c - semaphore objects (NT: KeInitializeSemaphore, KeReleaseSemaphore,
 * KeReadStateSemaphore, in ke\semphore.c).
 *
 * The count is the header's SignalState: each satisfied wait takes one, a release
 * adds any number up to Limit.
 */
#include "waitp.h"

VOID KeInitializeSemaphore(PKSEMAPHORE Semaphore, LONG Count, LONG Limit)
{
    Semaphore->Header.Type = SemaphoreObject;
    Semaphore->Header.Absolute = FALSE;
    Semaphore->Header.Size = sizeof(KSEMAPHORE) / sizeof(LONG);
    Semaphore->Header.Inserted = FALSE;
    Semaphore->Header.SignalState = Count;
    InitializeListHead(&Semaphore->Header.WaitListHead);
    Semaphore->Limit = Limit;
}

NTSTATUS KeReleaseSemaphoreChecked(PKSEMAPHORE Semaphore, KPRIORITY Increment,
                                   LONG Adjustment, BOOLEAN Wait, PLONG PreviousCount)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    LONG OldState = Semaphore->Header.SignalState;

    /* Written so that no sum can overflow: 0 <= OldState <= Limit. */
    if (Adjustment < 0 || Adjustment > Semaphore->Limit - OldState) {
        KiUnlockDispatcherDatabase(OldIrql);
        return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    }
    Semaphore->Header.SignalState = OldState + Adjustment;
    if (OldState == 0 && !IsListEmpty(&Semaphore->Header.WaitListHead))
        KiWaitTest(Semaphore, Increment);
    KiUnlockDispatcherForWait(OldIrql, Wait);
    *PreviousCount = OldState;
    return STATUS_SUCCESS;
}

LONG KeReleaseSemaphore(PKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment,
                        BOOLEAN Wait)
{
    LONG PreviousCount;
    NTSTATUS Status;

    Status = KeReleaseSemaphoreChecked(Semaphore, Increment, Adjustment, Wait,
                                       &PreviousCount);
    if (Status != STATUS_SUCCESS)
        ExRaiseStatus(Status);
    return PreviousCount;
}

LONG KeReadStateSemaphore(PKSEMAPHORE Semaphore)
{
    return Semaphore->Header.SignalState;
}

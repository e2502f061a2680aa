/*
 * suspend.c - suspending and resuming threads (NT: KeSuspendThread,
 * KeResumeThread, KeForceResumeThread, KeAlertResumeThread, KiSuspendThread,
 * in ke\thredobj.c and ke\thredsup.c).
 *
 * NT does not stop a thread from outside. Suspending one queues its suspend APC,
 * a normal kernel APC whose normal routine waits on the thread's own suspend
 * semaphore; so the thread stops itself, at PASSIVE_LEVEL, at the next point where
 * it takes normal kernel APCs (never inside a critical region, never holding a
 * kernel mutex). Resuming it to a count of 0 releases the semaphore.
 *
 *   SuspendCount  0 -> 1   queue the APC (or, if it is still queued from an
 *                          earlier round, take back the release that round left)
 *   SuspendCount  1 -> 0   release the semaphore: the APC's wait ends
 */
#include "waitp.h"

/* The suspend APC's kernel routine: nothing to do at APC_LEVEL (NT: KiSuspendNop). */
static VOID KiSuspendNop(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                         PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    UNREFERENCED_PARAMETER(Apc);
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
}

/* Its normal routine, run by the suspended thread itself at PASSIVE_LEVEL. */
static VOID KiSuspendThread(PVOID NormalContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PKTHREAD Thread = KeGetCurrentThread();

    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KeWaitForSingleObject(&Thread->SuspendSemaphore, Suspended, KernelMode, FALSE, NULL);
}

VOID KiInitializeThreadSuspend(PKTHREAD Thread)
{
    KeInitializeApc(&Thread->SuspendApc, Thread, OriginalApcEnvironment, KiSuspendNop,
                    NULL, KiSuspendThread, KernelMode, NULL);
    KeInitializeSemaphore(&Thread->SuspendSemaphore, 0, 2);
}

NTSTATUS KeSuspendThreadChecked(PKTHREAD Thread, PULONG PreviousCount)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    ULONG OldCount = (ULONG)Thread->SuspendCount;

    if (OldCount == MAXIMUM_SUSPEND_COUNT) {
        KiUnlockDispatcherDatabase(OldIrql);
        return STATUS_SUSPEND_COUNT_EXCEEDED;
    }
    /* A thread that is ending takes no APCs: there is nothing left to suspend. */
    if (Thread->ApcQueueable) {
        Thread->SuspendCount++;
        if (OldCount == 0 && Thread->FreezeCount == 0) {
            if (!KiInsertQueueApc(&Thread->SuspendApc, RESUME_INCREMENT))
                Thread->SuspendSemaphore.Header.SignalState--;
        }
    }
    KiUnlockDispatcherDatabase(OldIrql);
    *PreviousCount = OldCount;
    return STATUS_SUCCESS;
}

ULONG KeSuspendThread(PKTHREAD Thread)
{
    ULONG PreviousCount;
    NTSTATUS Status = KeSuspendThreadChecked(Thread, &PreviousCount);

    if (Status != STATUS_SUCCESS)
        ExRaiseStatus(Status);
    return PreviousCount;
}

/* Lets the suspended thread go on: one release of its suspend semaphore. */
static VOID KipReleaseSuspension(PKTHREAD Thread)
{
    Thread->SuspendSemaphore.Header.SignalState++;
    KiWaitTest(&Thread->SuspendSemaphore, RESUME_INCREMENT);
}

/* KeResumeThread's work, with the database held (KeAlertResumeThread shares it). */
static ULONG KipResumeThread(PKTHREAD Thread)
{
    ULONG OldCount = (ULONG)Thread->SuspendCount;

    if (OldCount != 0) {
        Thread->SuspendCount--;
        if (OldCount == 1 && Thread->FreezeCount == 0)
            KipReleaseSuspension(Thread);
    }
    return OldCount;
}

ULONG KeResumeThread(PKTHREAD Thread)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    ULONG OldCount = KipResumeThread(Thread);

    KiUnlockDispatcherDatabase(OldIrql);
    return OldCount;
}

ULONG KeForceResumeThread(PKTHREAD Thread)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    ULONG OldCount = (ULONG)(Thread->SuspendCount + Thread->FreezeCount);

    if (OldCount != 0) {
        Thread->FreezeCount = 0;
        Thread->SuspendCount = 0;
        KipReleaseSuspension(Thread);
    }
    KiUnlockDispatcherDatabase(OldIrql);
    return OldCount;
}

ULONG KeAlertResumeThread(PKTHREAD Thread)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    ULONG OldCount;

    if (!Thread->Alerted[KernelMode]) {
        if (Thread->State == Waiting && Thread->Alertable)
            KiUnwaitThread(Thread, STATUS_ALERTED, ALERT_INCREMENT);
        else
            Thread->Alerted[KernelMode] = TRUE;
    }
    OldCount = KipResumeThread(Thread);
    KiUnlockDispatcherDatabase(OldIrql);
    return OldCount;
}

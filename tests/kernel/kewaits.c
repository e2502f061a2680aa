/*
 * kewaits.c - self-tests: waits, dispatcher objects, timers, APCs, suspension.
 */
#include "kethread.h"

/* ---- WaitAll over three kinds of object, signalled one at a time ---- */

typedef struct _KST_WAITALL {
    KEVENT Event;
    KSEMAPHORE Semaphore;
    KMUTANT Mutant;
    volatile ULONG Step;
} KST_WAITALL;

static VOID KstSignalOneByOne(PVOID Context)
{
    KST_WAITALL *Objects = Context;
    LARGE_INTEGER Tick = KstTicks(1);

    /* Hold the mutant while the others get signalled, so it is released last. */
    KeWaitForSingleObject(&Objects->Mutant, Executive, KernelMode, FALSE, NULL);
    Objects->Step = 1;
    KeSetEvent(&Objects->Event, 0, FALSE);
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    Objects->Step = 2;
    KeReleaseSemaphore(&Objects->Semaphore, 0, 2, FALSE);
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    Objects->Step = 3;
    KeReleaseMutant(&Objects->Mutant, 0, FALSE, FALSE);
}

static NTSTATUS KstWaitAll(VOID)
{
    static KST_WAITALL Objects;
    PVOID List[3] = { &Objects.Event, &Objects.Semaphore, &Objects.Mutant };
    PKTHREAD Thread;
    NTSTATUS Status;

    KeInitializeEvent(&Objects.Event, NotificationEvent, FALSE);
    KeInitializeSemaphore(&Objects.Semaphore, 0, 5);
    KeInitializeMutant(&Objects.Mutant, FALSE);
    Objects.Step = 0;
    /* A higher priority: it takes the mutant at once, then signals step by step. */
    Thread = KstCreateThread(KstSignalOneByOne, &Objects, 9);
    KST_CHECK(Thread != NULL);
    KST_CHECK(Objects.Mutant.OwnerThread == Thread);

    Status = KeWaitForMultipleObjects(3, List, WaitAll, Executive, KernelMode, FALSE, NULL, NULL);
    KST_CHECK(Status == STATUS_WAIT_0);
    /* Only once everything was signalled, and then every side effect applied. */
    KST_CHECK(Objects.Step == 3);
    KST_CHECK(Objects.Semaphore.Header.SignalState == 1);      /* 2 released, 1 taken */
    KST_CHECK(Objects.Mutant.OwnerThread == KeGetCurrentThread());
    KST_CHECK(Objects.Event.Header.SignalState == 1);          /* notification: stays set */
    KeReleaseMutant(&Objects.Mutant, 0, FALSE, FALSE);
    return KstJoinThread(Thread);
}
KSELFTEST(KE_WAIT_ALL, KstWaitAll);

/* ---- WaitAny returns the index of the first signalled object ---- */

static NTSTATUS KstWaitAny(VOID)
{
    KEVENT Events[3];
    PVOID List[3] = { &Events[0], &Events[1], &Events[2] };
    LARGE_INTEGER Poll = { .QuadPart = 0 };
    ULONG Index;

    for (Index = 0; Index < 3; Index++)
        KeInitializeEvent(&Events[Index], SynchronizationEvent, FALSE);
    KST_CHECK(KeWaitForMultipleObjects(3, List, WaitAny, Executive, KernelMode, FALSE, &Poll, NULL)
              == STATUS_TIMEOUT);
    KeSetEvent(&Events[2], 0, FALSE);
    KeSetEvent(&Events[1], 0, FALSE);
    KST_CHECK(KeWaitForMultipleObjects(3, List, WaitAny, Executive, KernelMode, FALSE, &Poll, NULL)
              == STATUS_WAIT_0 + 1);
    /* Synchronization events reset when they satisfy a wait. */
    KST_CHECK(Events[1].Header.SignalState == 0 && Events[2].Header.SignalState == 1);
    KST_CHECK(KeWaitForMultipleObjects(3, List, WaitAny, Executive, KernelMode, FALSE, &Poll, NULL)
              == STATUS_WAIT_0 + 2);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_WAIT_ANY, KstWaitAny);

/* ---- timeouts expire on time, in ticks ---- */

static NTSTATUS KstTimeouts(VOID)
{
    KEVENT Never;
    LARGE_INTEGER Timeout = KstTicks(5), Poll = { .QuadPart = 0 }, Absolute;
    ULONG Start;

    KeInitializeEvent(&Never, NotificationEvent, FALSE);
    KST_CHECK(KeWaitForSingleObject(&Never, Executive, KernelMode, FALSE, &Poll) == STATUS_TIMEOUT);

    Start = KeTickCount;
    KST_CHECK(KeWaitForSingleObject(&Never, Executive, KernelMode, FALSE, &Timeout) == STATUS_TIMEOUT);
    DbgPrint("    a 5-tick timeout took %lu ticks\n", KeTickCount - Start);
    KST_CHECK(KeTickCount - Start >= 5 && KeTickCount - Start <= 7);

    Start = KeTickCount;
    Timeout = KstTicks(3);
    KST_CHECK(KeDelayExecutionThread(KernelMode, FALSE, &Timeout) == STATUS_SUCCESS);
    KST_CHECK(KeTickCount - Start >= 3 && KeTickCount - Start <= 5);

    /* An absolute due time: system time, positive. */
    KeQuerySystemTime(&Absolute);
    Absolute.QuadPart += 4LL * KeQueryTimeIncrement();
    Start = KeTickCount;
    KST_CHECK(KeWaitForSingleObject(&Never, Executive, KernelMode, FALSE, &Absolute) == STATUS_TIMEOUT);
    KST_CHECK(KeTickCount - Start >= 3 && KeTickCount - Start <= 6);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_TIMEOUTS, KstTimeouts);

/* ---- mutants: recursion, release by a non-owner, abandonment ---- */

static KMUTANT KstAbandoned;

static VOID KstTakeAndDie(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeWaitForSingleObject(&KstAbandoned, Executive, KernelMode, FALSE, NULL);
    /* ends holding it */
}

static NTSTATUS KstMutants(VOID)
{
    KMUTANT Mutant;
    PKTHREAD Thread;
    ULONG Depth;

    KeInitializeMutant(&Mutant, FALSE);
    for (Depth = 0; Depth < 3; Depth++)
        KST_CHECK(KeWaitForSingleObject(&Mutant, Executive, KernelMode, FALSE, NULL) == STATUS_SUCCESS);
    KST_CHECK(Mutant.OwnerThread == KeGetCurrentThread() && Mutant.Header.SignalState == -2);
    for (Depth = 0; Depth < 3; Depth++)
        KeReleaseMutant(&Mutant, 0, FALSE, FALSE);
    KST_CHECK(Mutant.OwnerThread == NULL && Mutant.Header.SignalState == 1);

    KeInitializeMutant(&KstAbandoned, FALSE);
    Thread = KstCreateThread(KstTakeAndDie, NULL, 9);
    KST_CHECK(Thread != NULL);
    KST_CHECK(KstJoinThread(Thread) == STATUS_SUCCESS);
    /* Its owner ended: the next wait gets it, abandoned. */
    KST_CHECK(KeWaitForSingleObject(&KstAbandoned, Executive, KernelMode, FALSE, NULL)
              == STATUS_ABANDONED_WAIT_0);
    KST_CHECK(KstAbandoned.OwnerThread == KeGetCurrentThread());
    KeReleaseMutant(&KstAbandoned, 0, FALSE, FALSE);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_MUTANTS, KstMutants);

/* ---- semaphores count and stop at their limit ---- */

static NTSTATUS KstSemaphores(VOID)
{
    KSEMAPHORE Semaphore;
    LARGE_INTEGER Poll = { .QuadPart = 0 };

    KeInitializeSemaphore(&Semaphore, 2, 3);
    KST_CHECK(KeWaitForSingleObject(&Semaphore, Executive, KernelMode, FALSE, &Poll) == STATUS_SUCCESS);
    KST_CHECK(KeWaitForSingleObject(&Semaphore, Executive, KernelMode, FALSE, &Poll) == STATUS_SUCCESS);
    KST_CHECK(KeWaitForSingleObject(&Semaphore, Executive, KernelMode, FALSE, &Poll) == STATUS_TIMEOUT);
    KST_CHECK(KeReleaseSemaphore(&Semaphore, 0, 3, FALSE) == 0);   /* returns the previous count */
    KST_CHECK(Semaphore.Header.SignalState == 3);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_SEMAPHORES, KstSemaphores);

/* ---- timers: periodic, with a DPC ---- */

static volatile ULONG KstDpcRuns;
static volatile KIRQL KstDpcIrql;

static VOID KstTimerDpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    KstDpcIrql = KeGetCurrentIrql();
    KstDpcRuns++;
}

static NTSTATUS KstTimers(VOID)
{
    KTIMER Timer;
    KDPC Dpc;
    LARGE_INTEGER Due = KstTicks(2), Wait = KstTicks(12);
    ULONG Fired = 0, Start = KeTickCount;

    KeInitializeTimerEx(&Timer, SynchronizationTimer);
    KeInitializeDpc(&Dpc, KstTimerDpc, NULL);
    KstDpcRuns = 0;
    /* Every 20 ms (2 ticks) after the first 2 ticks. */
    KST_CHECK(KeSetTimerEx(&Timer, Due, 20, &Dpc) == FALSE);
    while (KeTickCount - Start < 12) {
        if (KeWaitForSingleObject(&Timer, Executive, KernelMode, FALSE, &Wait) == STATUS_SUCCESS)
            Fired++;
    }
    KST_CHECK(KeCancelTimer(&Timer) == TRUE);
    DbgPrint("    a 2-tick periodic timer fired %lu times in 12 ticks, its DPC %lu times\n",
             Fired, KstDpcRuns);
    KST_CHECK(Fired >= 4 && Fired <= 7);
    KST_CHECK(KstDpcRuns >= Fired && KstDpcIrql == DISPATCH_LEVEL);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_TIMERS, KstTimers);

/*
 * exobjects.c - self-tests of the event, semaphore, mutant and timer objects
 * through their services: named in \BaseNamedObjects, created, opened
 * (OBJ_OPENIF), set, released, queried, owned and abandoned, fired once and
 * periodically, and deleted with their last handle, the pool as it was.
 */
#include "exobjtest.h"

/* ---- helpers (exobjtest.h) ---- */

static POBJECT_TYPE *const KstExTypes[4] = {
    &ExEventObjectType, &ExSemaphoreObjectType, &ExMutantObjectType, &ExTimerObjectType,
};

VOID KstExTakeBaseline(KST_EX_BASELINE *Baseline)
{
    EX_POOL_USAGE Pool;
    ULONG Index;

    KstTakeBaseline(&Baseline->Memory);
    ExQueryPoolUsage(&Pool);
    Baseline->PoolBlocks = Pool.Pool[NonPagedPool].BlocksInUse + Pool.Pool[PagedPool].BlocksInUse;
    for (Index = 0; Index < 4; Index++) {
        Baseline->Objects[Index] = (*KstExTypes[Index])->TotalNumberOfObjects;
        Baseline->Handles[Index] = (*KstExTypes[Index])->TotalNumberOfHandles;
    }
}

NTSTATUS KstExCheckBaseline(const KST_EX_BASELINE *Baseline, PCSTR Where)
{
    KST_EX_BASELINE Now;
    ULONG Index;

    KstExTakeBaseline(&Now);
    for (Index = 0; Index < 4; Index++) {
        if (Now.Objects[Index] != Baseline->Objects[Index] || Now.Handles[Index] != Baseline->Handles[Index]) {
            DbgPrint("    %s: type %lu has %lu objects, %lu handles (was %lu, %lu)\n", Where, Index,
                     Now.Objects[Index], Now.Handles[Index], Baseline->Objects[Index], Baseline->Handles[Index]);
            return STATUS_UNSUCCESSFUL;
        }
    }
    if (Now.PoolBlocks != Baseline->PoolBlocks) {
        DbgPrint("    %s: %lu pool blocks in use, was %lu\n", Where, Now.PoolBlocks, Baseline->PoolBlocks);
        return STATUS_UNSUCCESSFUL;
    }
    return KstCheckBaseline(&Baseline->Memory, Where);
}

VOID KstExAttributes(POBJECT_ATTRIBUTES ObjectAttributes, PUNICODE_STRING Name, PCWSTR Path, ULONG Attributes)
{
    ULONG Length = 0;

    if (Path != NULL) {
        while (Path[Length] != 0)
            Length++;
        Name->Buffer = (PWSTR)Path;
        Name->Length = (USHORT)(Length * sizeof(WCHAR));
        Name->MaximumLength = (USHORT)(Name->Length + sizeof(WCHAR));
    }
    if (Attributes & KST_USER_HANDLE)
        Attributes &= ~KST_USER_HANDLE;
    else
        Attributes |= OBJ_KERNEL_HANDLE;
    InitializeObjectAttributes(ObjectAttributes, Path != NULL ? Name : NULL, Attributes, NULL, NULL);
}

PVOID KstExObject(HANDLE Handle)
{
    PVOID Object;

    if (!NT_SUCCESS(ObReferenceObjectByHandle(Handle, 0, NULL, KernelMode, &Object, NULL)))
        return NULL;
    ObDereferenceObject(Object);
    return Object;
}

VOID KstExWaitForHandle(PVOID Context)
{
    KST_WAITER *Waiter = Context;

    Waiter->Status = NtWaitForSingleObject(Waiter->Handle, FALSE,
                                           Waiter->Timeout.QuadPart != 0 ? &Waiter->Timeout : NULL);
    Waiter->Done = TRUE;
}

/* ---- events ---- */

#define KST_EVENT_NAME u"\\BaseNamedObjects\\KstExEvent"

static NTSTATUS KstEvents(VOID)
{
    EVENT_BASIC_INFORMATION Info;
    OBJECT_ATTRIBUTES Attributes;
    KST_WAITER Waiters[2] = { { 0 }, { 0 } };
    HANDLE Event, Same, Opened, Sync;
    KST_EX_BASELINE Baseline;
    PKTHREAD Threads[2];
    UNICODE_STRING Name;
    ULONG Returned = 0;
    LONG State = -1;

    KstExTakeBaseline(&Baseline);
    KstExAttributes(&Attributes, &Name, KST_EVENT_NAME, 0);
    KST_CHECK(NtCreateEvent(&Event, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, FALSE) == STATUS_SUCCESS);
    /* The name is taken: OBJ_OPENIF opens the same object, without it a collision. */
    KST_CHECK(NtCreateEvent(&Same, EVENT_ALL_ACCESS, &Attributes, SynchronizationEvent, TRUE) ==
              STATUS_OBJECT_NAME_COLLISION);
    KstExAttributes(&Attributes, &Name, KST_EVENT_NAME, OBJ_OPENIF);
    KST_CHECK(NtCreateEvent(&Same, EVENT_ALL_ACCESS, &Attributes, SynchronizationEvent, TRUE) ==
              STATUS_OBJECT_NAME_EXISTS);
    KST_CHECK(Same != Event && KstExObject(Same) == KstExObject(Event));
    KstExAttributes(&Attributes, &Name, KST_EVENT_NAME, 0);
    KST_CHECK(NtOpenEvent(&Opened, EVENT_QUERY_STATE, &Attributes) == STATUS_SUCCESS);
    KST_CHECK(KstExObject(Opened) == KstExObject(Event));
    /* Names of events are case-sensitive unless the caller says otherwise, as NT's. */
    KstExAttributes(&Attributes, &Name, u"\\BaseNamedObjects\\kstexevent", 0);
    KST_CHECK(NtOpenEvent(&Sync, EVENT_ALL_ACCESS, &Attributes) == STATUS_OBJECT_NAME_NOT_FOUND);
    KstExAttributes(&Attributes, &Name, u"\\BaseNamedObjects\\kstexevent", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtOpenEvent(&Sync, EVENT_ALL_ACCESS, &Attributes) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Sync) == STATUS_SUCCESS);
    /* Another type under the name: not an event. */
    KstExAttributes(&Attributes, &Name, KST_EVENT_NAME, 0);
    KST_CHECK(NtOpenSemaphore(&Sync, SEMAPHORE_ALL_ACCESS, &Attributes) == STATUS_OBJECT_TYPE_MISMATCH);
    KST_CHECK(NtCreateEvent(&Sync, EVENT_ALL_ACCESS, NULL, (EVENT_TYPE)2, FALSE) == STATUS_INVALID_PARAMETER);

    /* Set, reset, pulse, clear, each telling the state before. */
    KST_CHECK(NtSetEvent(Event, &State) == STATUS_SUCCESS && State == 0);
    KST_CHECK(NtSetEvent(Same, &State) == STATUS_SUCCESS && State == 1);
    KST_CHECK(NtQueryEvent(Opened, EventBasicInformation, &Info, sizeof(Info), &Returned) == STATUS_SUCCESS);
    KST_CHECK(Info.EventType == NotificationEvent && Info.EventState == 1 && Returned == sizeof(Info));
    KST_CHECK(NtResetEvent(Event, &State) == STATUS_SUCCESS && State == 1);
    KST_CHECK(NtPulseEvent(Event, &State) == STATUS_SUCCESS && State == 0);
    KST_CHECK(NtSetEvent(Event, NULL) == STATUS_SUCCESS);
    KST_CHECK(NtClearEvent(Event) == STATUS_SUCCESS);
    KST_CHECK(NtQueryEvent(Event, EventBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.EventState == 0);
    KST_CHECK(NtQueryEvent(Event, (EVENT_INFORMATION_CLASS)1, &Info, sizeof(Info), NULL) ==
              STATUS_INVALID_INFO_CLASS);
    KST_CHECK(NtQueryEvent(Event, EventBasicInformation, &Info, sizeof(Info) + 1, NULL) ==
              STATUS_INFO_LENGTH_MISMATCH);
    KST_CHECK(NtQueryEvent((HANDLE)0x80001234, EventBasicInformation, &Info, sizeof(Info), NULL) ==
              STATUS_INVALID_HANDLE);

    /* A pulse releases every waiter of a notification event and leaves it reset. */
    Waiters[0].Handle = Waiters[1].Handle = Event;
    Threads[0] = KstCreateThread(KstExWaitForHandle, &Waiters[0], 9);
    Threads[1] = KstCreateThread(KstExWaitForHandle, &Waiters[1], 9);
    KST_CHECK(Threads[0] != NULL && Threads[1] != NULL);
    KST_CHECK(!Waiters[0].Done && !Waiters[1].Done);
    KST_CHECK(NtPulseEvent(Same, &State) == STATUS_SUCCESS && State == 0);
    KST_CHECK(Waiters[0].Done && Waiters[1].Done);
    KST_CHECK(Waiters[0].Status == STATUS_WAIT_0 && Waiters[1].Status == STATUS_WAIT_0);
    KST_CHECK(KstJoinThread(Threads[0]) == STATUS_WAIT_0 && KstJoinThread(Threads[1]) == STATUS_WAIT_0);
    KST_CHECK(NtQueryEvent(Event, EventBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.EventState == 0);

    /* A synchronization event: one waiter per set, and the set is used up. */
    KST_CHECK(NtCreateEvent(&Sync, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, TRUE) == STATUS_SUCCESS);
    KST_CHECK(NtQueryEvent(Sync, EventBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.EventType == SynchronizationEvent && Info.EventState == 1);
    KST_CHECK(NtWaitForSingleObject(Sync, FALSE, NULL) == STATUS_WAIT_0);
    KST_CHECK(NtSetEvent(Sync, &State) == STATUS_SUCCESS && State == 0);
    KST_CHECK(NtWaitForSingleObject(Sync, FALSE, NULL) == STATUS_WAIT_0);
    KST_CHECK(NtQueryEvent(Sync, EventBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.EventState == 0);

    /* The last handle takes the name and the object with it. */
    KST_CHECK(NtClose(Sync) == STATUS_SUCCESS && NtClose(Same) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Opened) == STATUS_SUCCESS && NtClose(Event) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Event) == STATUS_INVALID_HANDLE);
    KST_CHECK(NtOpenEvent(&Event, EVENT_ALL_ACCESS, &Attributes) == STATUS_OBJECT_NAME_NOT_FOUND);
    return KstExCheckBaseline(&Baseline, "events");
}
KSELFTEST(EX_EVENTS, KstEvents);

/* ---- semaphores ---- */

static NTSTATUS KstSemaphores(VOID)
{
    LARGE_INTEGER Poll = { .QuadPart = 0 };
    SEMAPHORE_BASIC_INFORMATION Info;
    OBJECT_ATTRIBUTES Attributes;
    KST_EX_BASELINE Baseline;
    UNICODE_STRING Name;
    HANDLE Semaphore, Opened;
    LONG Count = -1;

    KstExTakeBaseline(&Baseline);
    KstExAttributes(&Attributes, &Name, u"\\BaseNamedObjects\\KstExSemaphore", 0);
    KST_CHECK(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, &Attributes, 0, 0) == STATUS_INVALID_PARAMETER);
    KST_CHECK(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, &Attributes, -1, 2) == STATUS_INVALID_PARAMETER);
    KST_CHECK(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, &Attributes, 3, 2) == STATUS_INVALID_PARAMETER);
    KST_CHECK(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, &Attributes, 1, 2) == STATUS_SUCCESS);
    KST_CHECK(NtOpenSemaphore(&Opened, SEMAPHORE_ALL_ACCESS, &Attributes) == STATUS_SUCCESS);

    KST_CHECK(NtReleaseSemaphore(Semaphore, 1, &Count) == STATUS_SUCCESS && Count == 1);
    /* At the limit: nothing changes, and the previous count is not written. */
    Count = -1;
    KST_CHECK(NtReleaseSemaphore(Opened, 1, &Count) == STATUS_SEMAPHORE_LIMIT_EXCEEDED && Count == -1);
    KST_CHECK(NtReleaseSemaphore(Opened, 0, &Count) == STATUS_INVALID_PARAMETER);
    KST_CHECK(NtQuerySemaphore(Opened, SemaphoreBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.CurrentCount == 2 && Info.MaximumCount == 2);

    /* Each wait takes one. */
    KST_CHECK(NtWaitForSingleObject(Semaphore, FALSE, &Poll) == STATUS_WAIT_0);
    KST_CHECK(NtWaitForSingleObject(Opened, FALSE, &Poll) == STATUS_WAIT_0);
    KST_CHECK(NtWaitForSingleObject(Semaphore, FALSE, &Poll) == STATUS_TIMEOUT);
    KST_CHECK(NtReleaseSemaphore(Semaphore, 3, &Count) == STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    KST_CHECK(NtReleaseSemaphore(Semaphore, 2, &Count) == STATUS_SUCCESS && Count == 0);
    KST_CHECK(NtQuerySemaphore(Semaphore, SemaphoreBasicInformation, &Info, sizeof(Info) - 1, NULL) ==
              STATUS_INFO_LENGTH_MISMATCH);
    KST_CHECK(NtClose(Opened) == STATUS_SUCCESS && NtClose(Semaphore) == STATUS_SUCCESS);
    return KstExCheckBaseline(&Baseline, "semaphores");
}
KSELFTEST(EX_SEMAPHORES, KstSemaphores);

/* ---- mutants ---- */

typedef struct _KST_MUTANT_THREAD {
    HANDLE Mutant;
    NTSTATUS Release;           /* NtReleaseMutant by a thread that does not own it */
    NTSTATUS Wait;              /* ... and its wait, after which it ends owning it */
    volatile BOOLEAN Waited;
} KST_MUTANT_THREAD;

static VOID KstMutantStranger(PVOID Context)
{
    KST_MUTANT_THREAD *Stranger = Context;

    Stranger->Release = NtReleaseMutant(Stranger->Mutant, NULL);
    Stranger->Wait = NtWaitForSingleObject(Stranger->Mutant, FALSE, NULL);
    Stranger->Waited = TRUE;
    /* It ends still owning it: KeRundownThread abandons it. */
}

static NTSTATUS KstMutants(VOID)
{
    KST_MUTANT_THREAD Stranger = { 0 };
    MUTANT_BASIC_INFORMATION Info;
    OBJECT_ATTRIBUTES Attributes;
    KST_EX_BASELINE Baseline;
    UNICODE_STRING Name;
    HANDLE Mutant, Again;
    PKTHREAD Thread;
    LONG Count = 5;

    KstExTakeBaseline(&Baseline);
    KstExAttributes(&Attributes, &Name, u"\\BaseNamedObjects\\KstExMutant", OBJ_OPENIF);
    KST_CHECK(NtCreateMutant(&Mutant, MUTANT_ALL_ACCESS, &Attributes, TRUE) == STATUS_SUCCESS);
    KST_CHECK(NtQueryMutant(Mutant, MutantBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.CurrentCount == 0 && Info.OwnedByCaller && !Info.AbandonedState);
    /* The owner may take it again (recursion): the count goes below 0. */
    KST_CHECK(NtWaitForSingleObject(Mutant, FALSE, NULL) == STATUS_WAIT_0);
    KST_CHECK(NtQueryMutant(Mutant, MutantBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.CurrentCount == -1);

    /* Another thread may not release it; it waits until the owner gives it up for good. */
    Stranger.Mutant = Mutant;
    Thread = KstCreateThread(KstMutantStranger, &Stranger, 9);
    KST_CHECK(Thread != NULL);
    KST_CHECK(Stranger.Release == STATUS_MUTANT_NOT_OWNED);
    KST_CHECK(NtReleaseMutant(Mutant, &Count) == STATUS_SUCCESS && Count == -1);
    KST_CHECK(!Stranger.Waited);       /* still owned once */
    KST_CHECK(NtReleaseMutant(Mutant, &Count) == STATUS_SUCCESS && Count == 0);
    /* Released: the stranger took it, and ended holding it. */
    KST_CHECK(KstJoinThread(Thread) == STATUS_WAIT_0);
    KST_CHECK(Stranger.Waited && Stranger.Wait == STATUS_WAIT_0);
    KST_CHECK(NtQueryMutant(Mutant, MutantBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.CurrentCount == 1 && !Info.OwnedByCaller && Info.AbandonedState);
    /* Releasing an abandoned mutant one does not own: STATUS_ABANDONED, nothing else. */
    Count = 5;
    KST_CHECK(NtReleaseMutant(Mutant, &Count) == STATUS_ABANDONED && Count == 5);
    KST_CHECK(NtWaitForSingleObject(Mutant, FALSE, NULL) == STATUS_ABANDONED_WAIT_0);
    KST_CHECK(NtQueryMutant(Mutant, MutantBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.CurrentCount == 0 && Info.OwnedByCaller && !Info.AbandonedState);

    /* OBJ_OPENIF on the name: the existing mutant, not owned anew. */
    KST_CHECK(NtCreateMutant(&Again, MUTANT_ALL_ACCESS, &Attributes, TRUE) == STATUS_OBJECT_NAME_EXISTS);
    KST_CHECK(KstExObject(Again) == KstExObject(Mutant));
    KST_CHECK(NtQueryMutant(Again, MutantBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.CurrentCount == 0);
    KST_CHECK(NtClose(Again) == STATUS_SUCCESS);

    /* Held MINLONG deep (set by hand: 2^31 waits would take hours), one more wait
       is refused with STATUS_MUTANT_LIMIT_EXCEEDED, a status, not a crash. */
    ((PKMUTANT)KstExObject(Mutant))->Header.SignalState = MINLONG;
    KST_CHECK(NtWaitForSingleObject(Mutant, FALSE, NULL) == STATUS_MUTANT_LIMIT_EXCEEDED);
    KST_CHECK(NtWaitForMultipleObjects(1, &Mutant, WaitAny, FALSE, NULL) == STATUS_MUTANT_LIMIT_EXCEEDED);
    KST_CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL);
    ((PKMUTANT)KstExObject(Mutant))->Header.SignalState = 0;

    /* Deleted while owned: the owner's list lets go of it (ExpDeleteMutant). */
    KST_CHECK(!IsListEmpty(&KeGetCurrentThread()->MutantListHead));
    KST_CHECK(NtClose(Mutant) == STATUS_SUCCESS);
    KST_CHECK(IsListEmpty(&KeGetCurrentThread()->MutantListHead));
    return KstExCheckBaseline(&Baseline, "mutants");
}
KSELFTEST(EX_MUTANTS, KstMutants);

/* ---- timers ---- */

static VOID KstTimerApc(PVOID TimerContext, ULONG TimerLowValue, LONG TimerHighValue)
{
    UNREFERENCED_PARAMETER(TimerContext);
    UNREFERENCED_PARAMETER(TimerLowValue);
    UNREFERENCED_PARAMETER(TimerHighValue);
}

static NTSTATUS KstTimers(VOID)
{
    LARGE_INTEGER DueTime = KstTicks(3), Timeout = KstTicks(20), Poll = { .QuadPart = 0 };
    TIMER_BASIC_INFORMATION Info;
    KST_EX_BASELINE Baseline;
    HANDLE Timer, Periodic;
    BOOLEAN State = 7;
    ULONG Start, Index;

    KstExTakeBaseline(&Baseline);
    KST_CHECK(NtCreateTimer(&Timer, TIMER_ALL_ACCESS, NULL, (TIMER_TYPE)2) == STATUS_INVALID_PARAMETER_4);
    KST_CHECK(NtCreateTimer(&Timer, TIMER_ALL_ACCESS, NULL, NotificationTimer) == STATUS_SUCCESS);
    KST_CHECK(NtSetTimer(Timer, &DueTime, NULL, NULL, FALSE, -1, NULL) == STATUS_INVALID_PARAMETER_6);
    KST_CHECK(NtSetTimer(Timer, &DueTime, KstTimerApc, NULL, FALSE, 0, NULL) ==
              STATUS_NOT_IMPLEMENTED);

    /* Once, 3 ticks from now. */
    Start = KeTickCount;
    KST_CHECK(NtSetTimer(Timer, &DueTime, NULL, NULL, FALSE, 0, &State) == STATUS_SUCCESS && State == FALSE);
    KST_CHECK(NtQueryTimer(Timer, TimerBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(!Info.TimerState && Info.RemainingTime.QuadPart > 0 &&
              Info.RemainingTime.QuadPart <= -DueTime.QuadPart);
    KST_CHECK(NtWaitForSingleObject(Timer, FALSE, &Timeout) == STATUS_WAIT_0);
    DbgPrint("    a 3-tick timer fired after %lu ticks\n", KeTickCount - Start);
    KST_CHECK(KeTickCount - Start >= 2 && KeTickCount - Start <= 5);
    KST_CHECK(NtQueryTimer(Timer, TimerBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.TimerState && Info.RemainingTime.QuadPart == 0);
    /* A notification timer stays signalled; setting it again resets it. */
    KST_CHECK(NtWaitForSingleObject(Timer, FALSE, &Poll) == STATUS_WAIT_0);
    KST_CHECK(NtSetTimer(Timer, &Timeout, NULL, NULL, TRUE, 0, &State) == STATUS_TIMER_RESUME_IGNORED);
    KST_CHECK(State == TRUE);
    KST_CHECK(NtCancelTimer(Timer, &State) == STATUS_SUCCESS && State == FALSE);
    KST_CHECK(NtWaitForSingleObject(Timer, FALSE, &DueTime) == STATUS_TIMEOUT);

    /* An absolute due time (system time). */
    KeQuerySystemTime(&DueTime);
    DueTime.QuadPart += 2LL * KeQueryTimeIncrement();
    KST_CHECK(NtSetTimer(Timer, &DueTime, NULL, NULL, FALSE, 0, NULL) == STATUS_SUCCESS);
    KST_CHECK(NtWaitForSingleObject(Timer, FALSE, &Timeout) == STATUS_WAIT_0);

    /* Periodic, every 2 ticks (20 ms) after the first 2: a synchronization timer
       is reset by each wait it satisfies. */
    KST_CHECK(NtCreateTimer(&Periodic, TIMER_ALL_ACCESS, NULL, SynchronizationTimer) == STATUS_SUCCESS);
    DueTime = KstTicks(2);
    KST_CHECK(NtSetTimer(Periodic, &DueTime, NULL, NULL, FALSE, 2 * KeQueryTimeIncrement() / 10000, NULL) ==
              STATUS_SUCCESS);
    Start = KeTickCount;
    for (Index = 0; Index < 4; Index++) {
        KST_CHECK(NtWaitForSingleObject(Periodic, FALSE, &Timeout) == STATUS_WAIT_0);
        KST_CHECK(NtWaitForSingleObject(Periodic, FALSE, &Poll) == STATUS_TIMEOUT);
    }
    DbgPrint("    4 periods of 2 ticks took %lu ticks\n", KeTickCount - Start);
    KST_CHECK(KeTickCount - Start >= 7 && KeTickCount - Start <= 11);
    KST_CHECK(NtCancelTimer(Periodic, NULL) == STATUS_SUCCESS);
    KST_CHECK(NtWaitForSingleObject(Periodic, FALSE, &DueTime) == STATUS_TIMEOUT);

    /* Closed while armed: the delete procedure takes it out of the timer table
       before its memory goes, so nothing fires into freed memory after. */
    KST_CHECK(NtSetTimer(Periodic, &DueTime, NULL, NULL, FALSE, 10, NULL) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Periodic) == STATUS_SUCCESS && NtClose(Timer) == STATUS_SUCCESS);
    Timeout = KstTicks(5);
    KST_CHECK(NtDelayExecution(FALSE, &Timeout) == STATUS_SUCCESS);
    return KstExCheckBaseline(&Baseline, "timers");
}
KSELFTEST(EX_TIMERS, KstTimers);

/*
 * exobjwait.c - self-tests of the waits by handle: NtWaitForMultipleObjects
 * (WaitAny, WaitAll, more objects than a thread's own wait blocks, timeouts, the
 * parameter checks), NtSignalAndWaitForSingleObject (a ping-pong, and each kind of
 * signal object), NtAlertThread; and, with the thread's PreviousMode set to
 * UserMode for one call at a time, the probing of user pointers and the access
 * checks every service makes for a user-mode caller.
 */
#include "exobjtest.h"
#include "zwapi.h"

/* One call as if it came from user mode: PreviousMode UserMode, then back. */
#define KST_USER_CALL(Call)                                  \
    ({                                                       \
        KeGetCurrentThread()->PreviousMode = UserMode;       \
        NTSTATUS KstStatus_ = (Call);                        \
        KeGetCurrentThread()->PreviousMode = KernelMode;     \
        KstStatus_;                                          \
    })

#define KST_EVENTS 10           /* more than THREAD_WAIT_OBJECTS */

/* Sets Events[Order[0]], Events[Order[1]]... one tick apart. */
typedef struct _KST_SIGNALLER {
    HANDLE Events[KST_EVENTS];
    ULONG Order[KST_EVENTS];
    ULONG Count;
    volatile ULONG Step;
} KST_SIGNALLER;

static VOID KstSignalEach(PVOID Context)
{
    KST_SIGNALLER *Signaller = Context;
    LARGE_INTEGER Tick = KstTicks(1);
    ULONG Index;

    for (Index = 0; Index < Signaller->Count; Index++) {
        NtDelayExecution(FALSE, &Tick);
        Signaller->Step = Index + 1;
        NtSetEvent(Signaller->Events[Signaller->Order[Index]], NULL);
    }
}

/* Waits on the first Count events while the signaller runs; the wait must end
   exactly when the signaller has made WakeStep steps. */
static NTSTATUS KstRunSignaller(KST_SIGNALLER *Signaller, ULONG Count, WAIT_TYPE WaitType, NTSTATUS Expected,
                                ULONG WakeStep)
{
    PKTHREAD Thread;
    NTSTATUS Status;
    ULONG Step;

    Signaller->Step = 0;
    Thread = KstCreateThread(KstSignalEach, Signaller, 9);
    KST_CHECK(Thread != NULL);
    Status = NtWaitForMultipleObjects(Count, Signaller->Events, WaitType, FALSE, NULL);
    Step = Signaller->Step;
    KST_CHECK(KstJoinThread(Thread) == STATUS_WAIT_0);
    KST_CHECK(Status == Expected);
    KST_CHECK(Step == WakeStep);
    return STATUS_SUCCESS;
}

static NTSTATUS KstWaitMultiple(VOID)
{
    LARGE_INTEGER Poll = { .QuadPart = 0 }, Timeout = KstTicks(3);
    HANDLE Pair[2], Mixed[4], Directory;
    OBJECT_ATTRIBUTES Attributes;
    KST_SIGNALLER Signaller;
    KST_EX_BASELINE Baseline;
    UNICODE_STRING Name;
    ULONG Index, Start;
    LONG Count;

    KstExTakeBaseline(&Baseline);
    for (Index = 0; Index < KST_EVENTS; Index++)
        KST_CHECK(NtCreateEvent(&Signaller.Events[Index], EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE) ==
                  STATUS_SUCCESS);

    /* NT's parameter checks. */
    KST_CHECK(NtWaitForMultipleObjects(0, Signaller.Events, WaitAny, FALSE, &Poll) == STATUS_INVALID_PARAMETER_1);
    KST_CHECK(NtWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, Signaller.Events, WaitAny, FALSE, &Poll) ==
              STATUS_INVALID_PARAMETER_1);
    KST_CHECK(NtWaitForMultipleObjects(2, Signaller.Events, (WAIT_TYPE)2, FALSE, &Poll) ==
              STATUS_INVALID_PARAMETER_3);
    Pair[0] = Pair[1] = Signaller.Events[0];
    KST_CHECK(NtWaitForMultipleObjects(2, Pair, WaitAll, FALSE, &Poll) == STATUS_INVALID_PARAMETER_MIX);
    KST_CHECK(NtWaitForMultipleObjects(2, Pair, WaitAny, FALSE, &Poll) == STATUS_TIMEOUT);
    Pair[1] = (HANDLE)0x80007FF8;
    KST_CHECK(NtWaitForMultipleObjects(2, Pair, WaitAny, FALSE, &Poll) == STATUS_INVALID_HANDLE);
    /* A directory is no dispatcher object. */
    KstExAttributes(&Attributes, &Name, u"\\BaseNamedObjects", 0);
    KST_CHECK(NtOpenDirectoryObject(&Directory, DIRECTORY_QUERY, &Attributes) == STATUS_SUCCESS);
    Pair[1] = Directory;
    KST_CHECK(NtWaitForMultipleObjects(2, Pair, WaitAny, FALSE, &Poll) == STATUS_OBJECT_TYPE_MISMATCH);
    KST_CHECK(NtWaitForSingleObject(Directory, FALSE, &Poll) == STATUS_OBJECT_TYPE_MISMATCH);

    /* WaitAny: the one another thread sets. */
    Signaller.Order[0] = 2;
    Signaller.Count = 1;
    KST_CHECK(NT_SUCCESS(KstRunSignaller(&Signaller, 3, WaitAny, STATUS_WAIT_0 + 2, 1)));
    /* WaitAll over three, then over ten (wait blocks from the pool), set one by one. */
    NtResetEvent(Signaller.Events[2], NULL);
    for (Index = 0; Index < KST_EVENTS; Index++)
        Signaller.Order[Index] = KST_EVENTS - 1 - Index;
    Signaller.Count = KST_EVENTS;
    KST_CHECK(NT_SUCCESS(KstRunSignaller(&Signaller, 3, WaitAll, STATUS_WAIT_0, KST_EVENTS)));
    for (Index = 0; Index < KST_EVENTS; Index++)
        NtResetEvent(Signaller.Events[Index], NULL);
    KST_CHECK(NT_SUCCESS(KstRunSignaller(&Signaller, KST_EVENTS, WaitAll, STATUS_WAIT_0, KST_EVENTS)));

    /* A WaitAll with one object missing times out, on time. */
    NtResetEvent(Signaller.Events[4], NULL);
    Start = KeTickCount;
    KST_CHECK(NtWaitForMultipleObjects(KST_EVENTS, Signaller.Events, WaitAll, FALSE, &Timeout) == STATUS_TIMEOUT);
    KST_CHECK(KeTickCount - Start >= 2 && KeTickCount - Start <= 5);
    /* Through the system-service dispatcher (ZwXxx: the argument bytes of the table). */
    KST_CHECK(ZwWaitForMultipleObjects(KST_EVENTS, Signaller.Events, WaitAny, FALSE, &Poll) == STATUS_WAIT_0);
    KST_CHECK(ZwWaitForMultipleObjects(KST_EVENTS, Signaller.Events, WaitAll, FALSE, &Poll) == STATUS_TIMEOUT);

    /* Every kind of object at once, and each wait's effect on each. */
    KST_CHECK(NtCreateSemaphore(&Mixed[1], SEMAPHORE_ALL_ACCESS, NULL, 2, 2) == STATUS_SUCCESS);
    KST_CHECK(NtCreateMutant(&Mixed[2], MUTANT_ALL_ACCESS, NULL, FALSE) == STATUS_SUCCESS);
    KST_CHECK(NtCreateTimer(&Mixed[3], TIMER_ALL_ACCESS, NULL, SynchronizationTimer) == STATUS_SUCCESS);
    KST_CHECK(NtSetTimer(Mixed[3], &Poll, NULL, NULL, FALSE, 0, NULL) == STATUS_SUCCESS);
    Mixed[0] = Signaller.Events[0];
    KST_CHECK(NtWaitForMultipleObjects(4, Mixed, WaitAll, FALSE, &Timeout) == STATUS_WAIT_0);
    KST_CHECK(NtReleaseSemaphore(Mixed[1], 1, &Count) == STATUS_SUCCESS && Count == 1);
    KST_CHECK(NtReleaseMutant(Mixed[2], &Count) == STATUS_SUCCESS && Count == 0);
    KST_CHECK(NtWaitForSingleObject(Mixed[3], FALSE, &Poll) == STATUS_TIMEOUT);

    for (Index = 1; Index < 4; Index++)
        KST_CHECK(NtClose(Mixed[Index]) == STATUS_SUCCESS);
    for (Index = 0; Index < KST_EVENTS; Index++)
        KST_CHECK(NtClose(Signaller.Events[Index]) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Directory) == STATUS_SUCCESS);
    return KstExCheckBaseline(&Baseline, "waits");
}
KSELFTEST(EX_WAIT_MULTIPLE, KstWaitMultiple);

/* ---- NtSignalAndWaitForSingleObject ---- */

#define KST_ROUNDS 50

typedef struct _KST_ECHO {
    HANDLE Ping, Pong;
    volatile ULONG Rounds;
} KST_ECHO;

/* Waits for each ping and answers with a pong. */
static VOID KstEcho(PVOID Context)
{
    KST_ECHO *Echo = Context;
    ULONG Index;

    for (Index = 0; Index < KST_ROUNDS; Index++) {
        if (NtWaitForSingleObject(Echo->Ping, FALSE, NULL) != STATUS_WAIT_0)
            return;
        Echo->Rounds++;
        NtSetEvent(Echo->Pong, NULL);
    }
}

static NTSTATUS KstSignalAndWait(VOID)
{
    LARGE_INTEGER Poll = { .QuadPart = 0 }, Timeout = KstTicks(50);
    HANDLE Semaphore, Mutant, Timer;
    MUTANT_BASIC_INFORMATION Mutex;
    KST_EX_BASELINE Baseline;
    KST_ECHO Echo = { 0 };
    PKTHREAD Thread;
    ULONG Index;
    LONG Count;

    KstExTakeBaseline(&Baseline);
    KST_CHECK(NtCreateEvent(&Echo.Ping, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE) == STATUS_SUCCESS);
    KST_CHECK(NtCreateEvent(&Echo.Pong, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE) == STATUS_SUCCESS);
    Thread = KstCreateThread(KstEcho, &Echo, 9);
    KST_CHECK(Thread != NULL);
    for (Index = 0; Index < KST_ROUNDS; Index++) {
        KST_CHECK(ZwSignalAndWaitForSingleObject(Echo.Ping, Echo.Pong, FALSE, &Timeout) == STATUS_WAIT_0);
        KST_CHECK(Echo.Rounds == Index + 1);
    }
    KST_CHECK(KstJoinThread(Thread) == STATUS_WAIT_0);

    /* A semaphore: released by one. At its limit, the failure comes back unwaited. */
    KST_CHECK(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, NULL, 0, 1) == STATUS_SUCCESS);
    KST_CHECK(NtSignalAndWaitForSingleObject(Semaphore, Semaphore, FALSE, &Poll) == STATUS_WAIT_0);
    KST_CHECK(NtReleaseSemaphore(Semaphore, 1, &Count) == STATUS_SUCCESS && Count == 0);
    KST_CHECK(NtSignalAndWaitForSingleObject(Semaphore, Echo.Pong, FALSE, &Timeout) ==
              STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    /* A mutant: released by its owner, refused to anyone else. */
    KST_CHECK(NtCreateMutant(&Mutant, MUTANT_ALL_ACCESS, NULL, TRUE) == STATUS_SUCCESS);
    KST_CHECK(NtSignalAndWaitForSingleObject(Mutant, Echo.Pong, FALSE, &Poll) == STATUS_TIMEOUT);
    KST_CHECK(NtQueryMutant(Mutant, MutantBasicInformation, &Mutex, sizeof(Mutex), NULL) == STATUS_SUCCESS);
    KST_CHECK(Mutex.CurrentCount == 1 && !Mutex.OwnedByCaller);
    KST_CHECK(NtSignalAndWaitForSingleObject(Mutant, Echo.Pong, FALSE, &Timeout) == STATUS_MUTANT_NOT_OWNED);
    /* Anything else cannot be signalled. */
    KST_CHECK(NtCreateTimer(&Timer, TIMER_ALL_ACCESS, NULL, NotificationTimer) == STATUS_SUCCESS);
    KST_CHECK(NtSignalAndWaitForSingleObject(Timer, Echo.Pong, FALSE, &Timeout) == STATUS_OBJECT_TYPE_MISMATCH);
    KST_CHECK(NtSignalAndWaitForSingleObject(Echo.Ping, (HANDLE)0x80007FF8, FALSE, &Poll) == STATUS_INVALID_HANDLE);

    KST_CHECK(NtClose(Timer) == STATUS_SUCCESS && NtClose(Mutant) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Semaphore) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Echo.Ping) == STATUS_SUCCESS && NtClose(Echo.Pong) == STATUS_SUCCESS);
    return KstExCheckBaseline(&Baseline, "signal and wait");
}
KSELFTEST(EX_SIGNAL_AND_WAIT, KstSignalAndWait);

/* ---- NtAlertThread ---- */

static NTSTATUS KstAlert(VOID)
{
    LARGE_INTEGER Poll = { .QuadPart = 0 };
    HANDLE Event;

    KST_CHECK(NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE) == STATUS_SUCCESS);
    /* Alerted first: the next alertable wait (of the same mode) ends at once. */
    KST_CHECK(NtAlertThread(NtCurrentThread()) == STATUS_SUCCESS);
    KST_CHECK(NtWaitForSingleObject(Event, FALSE, &Poll) == STATUS_TIMEOUT);
    KST_CHECK(NtWaitForSingleObject(Event, TRUE, NULL) == STATUS_ALERTED);
    KST_CHECK(NtWaitForSingleObject(Event, TRUE, &Poll) == STATUS_TIMEOUT);
    KST_CHECK(ZwAlertThread(NtCurrentThread()) == STATUS_SUCCESS);
    KST_CHECK(NtWaitForMultipleObjects(1, &Event, WaitAny, TRUE, NULL) == STATUS_ALERTED);
    /* No handle names a thread yet. */
    KST_CHECK(NtAlertThread(Event) == STATUS_OBJECT_TYPE_MISMATCH);
    KST_CHECK(NtAlertThread((HANDLE)0x80007FF8) == STATUS_INVALID_HANDLE);
    return NtClose(Event);
}
KSELFTEST(EX_ALERT, KstAlert);

/* ---- from user mode: probes and access checks ---- */

static NTSTATUS KstUserProbes(VOID)
{
    EVENT_BASIC_INFORMATION Info;
    SEMAPHORE_BASIC_INFORMATION Count;
    OBJECT_ATTRIBUTES Attributes, KernelAttributes;
    HANDLE Event, QueryOnly, Semaphore, Timer, Kernel, Handles[2];
    KST_EX_BASELINE Baseline;
    UNICODE_STRING Name;
    ULONG KernelVariable = 0;
    PVOID KernelAddress = &KernelVariable, Unmapped = NULL;
    PVOID Misaligned = (PVOID)0x00010002;   /* never mapped: misalignment is found first */

    KstExTakeBaseline(&Baseline);
    /* Handles without OBJ_KERNEL_HANDLE: the ones user mode may use (the current
       process's table, which is the kernel's until processes exist). */
    KstExAttributes(&Attributes, &Name, u"\\BaseNamedObjects\\KstExUserEvent", KST_USER_HANDLE);
    KST_CHECK(NtCreateEvent(&Event, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, FALSE) == STATUS_SUCCESS);
    KST_CHECK(NtOpenEvent(&QueryOnly, EVENT_QUERY_STATE, &Attributes) == STATUS_SUCCESS);
    KstExAttributes(&Attributes, &Name, NULL, KST_USER_HANDLE);
    KST_CHECK(NtCreateSemaphore(&Semaphore, SEMAPHORE_ALL_ACCESS, &Attributes, 0, 1) == STATUS_SUCCESS);
    KST_CHECK(NtCreateTimer(&Timer, TIMER_ALL_ACCESS, &Attributes, NotificationTimer) == STATUS_SUCCESS);
    KstExAttributes(&KernelAttributes, &Name, NULL, 0);
    KST_CHECK(NtCreateEvent(&Kernel, EVENT_ALL_ACCESS, &KernelAttributes, NotificationEvent, FALSE) ==
              STATUS_SUCCESS);
    Handles[0] = Event;
    Handles[1] = Semaphore;

    /* Bad pointers: NULL, kernel addresses, misaligned ones. */
    KST_CHECK(KST_USER_CALL(NtCreateEvent(Unmapped, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtCreateEvent(KernelAddress, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtCreateMutant(Misaligned, MUTANT_ALL_ACCESS, NULL, FALSE)) ==
              STATUS_DATATYPE_MISALIGNMENT);
    KST_CHECK(KST_USER_CALL(NtOpenSemaphore(KernelAddress, SEMAPHORE_ALL_ACCESS, &Attributes)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtQueryEvent(Event, EventBasicInformation, Misaligned, sizeof(Info), NULL)) ==
              STATUS_DATATYPE_MISALIGNMENT);
    KST_CHECK(KST_USER_CALL(NtQueryEvent(Event, EventBasicInformation, &Info, sizeof(Info), NULL)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtWaitForSingleObject(Event, FALSE, KernelAddress)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtWaitForMultipleObjects(2, Unmapped, WaitAny, FALSE, NULL)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtWaitForMultipleObjects(2, Misaligned, WaitAny, FALSE, NULL)) ==
              STATUS_DATATYPE_MISALIGNMENT);
    KST_CHECK(KST_USER_CALL(NtWaitForMultipleObjects(2, Handles, WaitAny, FALSE, NULL)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtSignalAndWaitForSingleObject(Event, Semaphore, FALSE, KernelAddress)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtSetTimer(Timer, Unmapped, NULL, NULL, FALSE, 0, NULL)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtCancelTimer(Timer, KernelAddress)) == STATUS_ACCESS_VIOLATION);
    /* A bad pointer fails the call before anything changes. */
    KST_CHECK(KST_USER_CALL(NtSetEvent(Event, KernelAddress)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtReleaseSemaphore(Semaphore, 1, Misaligned)) == STATUS_DATATYPE_MISALIGNMENT);
    KST_CHECK(NtQueryEvent(Event, EventBasicInformation, &Info, sizeof(Info), NULL) == STATUS_SUCCESS);
    KST_CHECK(Info.EventState == 0);
    KST_CHECK(NtQuerySemaphore(Semaphore, SemaphoreBasicInformation, &Count, sizeof(Count), NULL) ==
              STATUS_SUCCESS);
    KST_CHECK(Count.CurrentCount == 0);
    KST_CHECK(KernelVariable == 0);

    /* Rights: a handle for querying may not set, nor wait (no SYNCHRONIZE); kernel
       handles are not user mode's. None of this is checked for kernel mode. */
    KST_CHECK(KST_USER_CALL(NtSetEvent(QueryOnly, NULL)) == STATUS_ACCESS_DENIED);
    KST_CHECK(KST_USER_CALL(NtWaitForSingleObject(QueryOnly, FALSE, NULL)) == STATUS_ACCESS_DENIED);
    KST_CHECK(KST_USER_CALL(NtSignalAndWaitForSingleObject(QueryOnly, Event, FALSE, NULL)) ==
              STATUS_ACCESS_DENIED);
    KST_CHECK(KST_USER_CALL(NtSetEvent(Kernel, NULL)) == STATUS_INVALID_HANDLE);
    KST_CHECK(NtSetEvent(QueryOnly, NULL) == STATUS_SUCCESS);
    /* Calls without pointers work from user mode, waits included. */
    KST_CHECK(KST_USER_CALL(NtReleaseSemaphore(Semaphore, 1, NULL)) == STATUS_SUCCESS);
    KST_CHECK(KST_USER_CALL(NtWaitForSingleObject(Semaphore, FALSE, NULL)) == STATUS_WAIT_0);
    KST_CHECK(KST_USER_CALL(NtWaitForSingleObject(Event, FALSE, NULL)) == STATUS_WAIT_0);
    KST_CHECK(KST_USER_CALL(NtClose(QueryOnly)) == STATUS_SUCCESS);
    KST_CHECK(KeGetCurrentThread()->PreviousMode == KernelMode);

    KST_CHECK(NtClose(Event) == STATUS_SUCCESS && NtClose(Semaphore) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Timer) == STATUS_SUCCESS && NtClose(Kernel) == STATUS_SUCCESS);
    return KstExCheckBaseline(&Baseline, "user-mode probes");
}
KSELFTEST(EX_USER_PROBES, KstUserProbes);

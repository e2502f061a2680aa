/*
 * test_wait.c - host tests of events, semaphores and waits (kernel/ke/event.c,
 * semphore.c, wait.c, waitsup.c, alert.c): what satisfies WaitAny and WaitAll
 * over mixed objects and what that does to each object, the order in which
 * waiters are released, timeouts, alerts, IRQL rules, and the wait loop's
 * handling of kernel APCs. kehost.c plays the scheduler: see kehost.h.
 *
 * Two ways to wait: the test's own thread (KhMainThread) calls the wait, and a
 * swap hook plays the other threads until it is woken; or KhStartWait leaves
 * another thread blocked, and the test watches it being readied.
 */
#include <stdio.h>
#include <string.h>

#include "kehost.h"

static KTHREAD ThreadA, ThreadB, ThreadC;
static KEVENT ManualEvent, AutoEvent;
static KSEMAPHORE Semaphore;
static KMUTANT Mutant;
static KEVENT ManyEvents[MAXIMUM_WAIT_OBJECTS + 1];
static PVOID ManyObjects[MAXIMUM_WAIT_OBJECTS + 1];
static KWAIT_BLOCK ManyWaitBlocks[MAXIMUM_WAIT_OBJECTS + 1];

static int Setup(void **State)
{
    KhReset(State);
    KhInitThread(&ThreadA, 8);
    KhInitThread(&ThreadB, 8);
    KhInitThread(&ThreadC, 8);
    KeInitializeEvent(&ManualEvent, NotificationEvent, FALSE);
    KeInitializeEvent(&AutoEvent, SynchronizationEvent, FALSE);
    KeInitializeSemaphore(&Semaphore, 0, 10);
    KeInitializeMutant(&Mutant, FALSE);
    return 0;
}

static NTSTATUS Wait(PVOID Object, PLARGE_INTEGER Timeout)
{
    return KeWaitForSingleObject(Object, Executive, KernelMode, FALSE, Timeout);
}

static NTSTATUS Poll(PVOID Object)
{
    LARGE_INTEGER Zero = { .QuadPart = 0 };
    return Wait(Object, &Zero);
}

/* ---- hooks: what the other threads do while the main thread is switched out ---- */

static VOID SetAutoEventHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    UNREFERENCED_PARAMETER(Waiter);
    UNREFERENCED_PARAMETER(SwapNumber);
    KeSetEvent(&AutoEvent, EVENT_INCREMENT, FALSE);
}

/* ---- events ---- */

static void test_event_initialize(void **State)
{
    KEVENT Event;

    UNREFERENCED_PARAMETER(State);
    KeInitializeEvent(&Event, NotificationEvent, TRUE);
    assert_int_equal(Event.Header.Type, EventNotificationObject);
    assert_int_equal(Event.Header.Size, sizeof(KEVENT) / sizeof(LONG));
    assert_int_equal(Event.Header.SignalState, 1);
    assert_true(IsListEmpty(&Event.Header.WaitListHead));
    KeInitializeEvent(&Event, SynchronizationEvent, FALSE);
    assert_int_equal(Event.Header.Type, EventSynchronizationObject);
    assert_int_equal(Event.Header.SignalState, 0);
}

static void test_event_state_changes_return_previous_state(void **State)
{
    UNREFERENCED_PARAMETER(State);
    assert_int_equal(KeSetEvent(&ManualEvent, 0, FALSE), 0);
    assert_int_equal(KeSetEvent(&ManualEvent, 0, FALSE), 1);
    assert_int_equal(KeReadStateEvent(&ManualEvent), 1);
    assert_int_equal(KeResetEvent(&ManualEvent), 1);
    assert_int_equal(KeResetEvent(&ManualEvent), 0);
    KeSetEvent(&ManualEvent, 0, FALSE);
    KeClearEvent(&ManualEvent);
    assert_int_equal(KeReadStateEvent(&ManualEvent), 0);
    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(KePulseEvent(&ManualEvent, 0, FALSE), 1);
    assert_int_equal(KeReadStateEvent(&ManualEvent), 0);
    KH_ASSERT_IDLE();
    assert_int_equal(KhReadyCount, 0);
}

static void test_wait_on_signalled_event_does_not_block(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(Wait(&ManualEvent, NULL), STATUS_WAIT_0);
    assert_int_equal(KeReadStateEvent(&ManualEvent), 1);   /* notification: stays set */
    KeSetEvent(&AutoEvent, 0, FALSE);
    assert_int_equal(Wait(&AutoEvent, NULL), STATUS_WAIT_0);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);     /* synchronization: consumed */
    assert_int_equal(KhSwapCount, 0);
    assert_int_equal(KhReadyCount, 0);
    KH_ASSERT_IDLE();
}

static BOOLEAN BlockedStateChecked;

static VOID CheckBlockedStateHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    PKWAIT_BLOCK WaitBlock = &Waiter->WaitBlock[0];

    assert_int_equal(SwapNumber, 1);
    assert_ptr_equal(Waiter, &KhMainThread);
    assert_int_equal(Waiter->State, Waiting);
    assert_int_equal(Waiter->WaitReason, Executive);
    assert_int_equal(Waiter->WaitMode, KernelMode);
    assert_int_equal(Waiter->WaitIrql, PASSIVE_LEVEL);
    assert_false(Waiter->Alertable);
    assert_ptr_equal(Waiter->WaitBlockList, WaitBlock);
    assert_ptr_equal(WaitBlock->Object, &AutoEvent);
    assert_ptr_equal(WaitBlock->Thread, Waiter);
    assert_int_equal(WaitBlock->WaitKey, 0);
    assert_int_equal(WaitBlock->WaitType, WaitAny);
    assert_ptr_equal(WaitBlock->NextWaitBlock, WaitBlock);
    assert_ptr_equal(AutoEvent.Header.WaitListHead.Flink, &WaitBlock->WaitListEntry);
    assert_false(Waiter->Timer.Header.Inserted);        /* no timeout, no timer */
    BlockedStateChecked = TRUE;
    KeSetEvent(&AutoEvent, 0, FALSE);
}

static void test_wait_blocks_until_event_is_set(void **State)
{
    UNREFERENCED_PARAMETER(State);
    BlockedStateChecked = FALSE;
    KhSwapHook = CheckBlockedStateHook;
    assert_int_equal(Wait(&AutoEvent, NULL), STATUS_WAIT_0);
    assert_true(BlockedStateChecked);
    assert_int_equal(KhSwapCount, 1);
    assert_int_equal(KhReadyCount, 1);
    assert_ptr_equal(KhReadied[0], &KhMainThread);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);
    assert_true(IsListEmpty(&AutoEvent.Header.WaitListHead));
    KH_ASSERT_IDLE();
}

static void test_notification_event_releases_every_waiter_in_order(void **State)
{
    UNREFERENCED_PARAMETER(State);
    assert_int_equal(KhStartWaitSingle(&ThreadA, &ManualEvent), STATUS_PENDING);
    assert_int_equal(KhStartWaitSingle(&ThreadB, &ManualEvent), STATUS_PENDING);
    assert_int_equal(KhStartWaitSingle(&ThreadC, &ManualEvent), STATUS_PENDING);
    assert_int_equal(KhListLength(&ManualEvent.Header.WaitListHead), 3);
    KH_ASSERT_IDLE();

    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(KhReadyCount, 3);
    assert_ptr_equal(KhReadied[0], &ThreadA);
    assert_ptr_equal(KhReadied[1], &ThreadB);
    assert_ptr_equal(KhReadied[2], &ThreadC);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0);
    assert_int_equal(ThreadC.State, Ready);
    assert_int_equal(KeReadStateEvent(&ManualEvent), 1);
    assert_true(IsListEmpty(&ManualEvent.Header.WaitListHead));
}

static void test_synchronization_event_releases_one_waiter_per_set(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    KhStartWaitSingle(&ThreadB, &AutoEvent);
    KhStartWaitSingle(&ThreadC, &AutoEvent);

    assert_int_equal(KeSetEvent(&AutoEvent, 0, FALSE), 0);
    assert_int_equal(KhReadyCount, 1);
    assert_ptr_equal(KhReadied[0], &ThreadA);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);
    assert_int_equal(ThreadB.State, Waiting);
    KeSetEvent(&AutoEvent, 0, FALSE);
    assert_ptr_equal(KhReadied[1], &ThreadB);
    KeSetEvent(&AutoEvent, 0, FALSE);
    assert_ptr_equal(KhReadied[2], &ThreadC);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);
    /* Nobody left: the event stays set for the next one. */
    KeSetEvent(&AutoEvent, 0, FALSE);
    assert_int_equal(KhReadyCount, 3);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 1);
}

static void test_pulse_event_releases_waiters_and_resets(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhStartWaitSingle(&ThreadA, &ManualEvent);
    KhStartWaitSingle(&ThreadB, &ManualEvent);
    assert_int_equal(KePulseEvent(&ManualEvent, 0, FALSE), 0);
    assert_int_equal(KhReadyCount, 2);
    assert_int_equal(KeReadStateEvent(&ManualEvent), 0);

    /* A synchronization event: one waiter per pulse. */
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    KhStartWaitSingle(&ThreadB, &AutoEvent);
    KePulseEvent(&AutoEvent, 0, FALSE);
    assert_int_equal(KhReadyCount, 3);
    assert_ptr_equal(KhReadied[2], &ThreadA);
    assert_int_equal(ThreadB.State, Waiting);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);
}

/* ---- semaphores ---- */

static void test_semaphore_counts(void **State)
{
    KSEMAPHORE Counter;

    UNREFERENCED_PARAMETER(State);
    KeInitializeSemaphore(&Counter, 2, 3);
    assert_int_equal(Counter.Header.Type, SemaphoreObject);
    assert_int_equal(Counter.Header.Size, sizeof(KSEMAPHORE) / sizeof(LONG));
    assert_int_equal(Counter.Limit, 3);
    assert_int_equal(KeReadStateSemaphore(&Counter), 2);
    assert_int_equal(Wait(&Counter, NULL), STATUS_WAIT_0);
    assert_int_equal(Wait(&Counter, NULL), STATUS_WAIT_0);
    assert_int_equal(KeReadStateSemaphore(&Counter), 0);
    assert_int_equal(Poll(&Counter), STATUS_TIMEOUT);
    assert_int_equal(KeReleaseSemaphore(&Counter, 0, 1, FALSE), 0);
    assert_int_equal(KeReleaseSemaphore(&Counter, 0, 2, FALSE), 1);
    assert_int_equal(KeReadStateSemaphore(&Counter), 3);
    KH_ASSERT_IDLE();
}

static void test_semaphore_limit_raises_and_changes_nothing(void **State)
{
    KSEMAPHORE Counter;
    LONG Previous = -1;

    UNREFERENCED_PARAMETER(State);
    KeInitializeSemaphore(&Counter, 2, 3);
    KH_EXPECT_RAISE(STATUS_SEMAPHORE_LIMIT_EXCEEDED, KeReleaseSemaphore(&Counter, 0, 2, FALSE));
    assert_int_equal(KeReadStateSemaphore(&Counter), 2);
    KH_ASSERT_IDLE();
    KH_EXPECT_RAISE(STATUS_SEMAPHORE_LIMIT_EXCEEDED, KeReleaseSemaphore(&Counter, 0, -1, FALSE));
    assert_int_equal(KeReadStateSemaphore(&Counter), 2);
    /* With Wait TRUE the lock is given back before the raise. */
    KH_EXPECT_RAISE(STATUS_SEMAPHORE_LIMIT_EXCEEDED, KeReleaseSemaphore(&Counter, 0, 5, TRUE));
    assert_false(KhMainThread.WaitNext);
    KH_ASSERT_IDLE();

    /* No overflow near the top of a LONG. */
    KeInitializeSemaphore(&Counter, 0x7FFFFFFE, 0x7FFFFFFF);
    KH_EXPECT_RAISE(STATUS_SEMAPHORE_LIMIT_EXCEEDED, KeReleaseSemaphore(&Counter, 0, 5, FALSE));
    assert_int_equal(KeReadStateSemaphore(&Counter), 0x7FFFFFFE);
    assert_int_equal(KeReleaseSemaphore(&Counter, 0, 1, FALSE), 0x7FFFFFFE);

    /* The checked form returns what the other raises. */
    KeInitializeSemaphore(&Counter, 1, 2);
    assert_int_equal(KeReleaseSemaphoreChecked(&Counter, 0, 2, FALSE, &Previous),
                     STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    assert_int_equal(KeReleaseSemaphoreChecked(&Counter, 0, 1, FALSE, &Previous),
                     STATUS_SUCCESS);
    assert_int_equal(Previous, 1);
    KH_ASSERT_IDLE();
}

static void test_semaphore_release_wakes_as_many_as_released(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhStartWaitSingle(&ThreadA, &Semaphore);
    KhStartWaitSingle(&ThreadB, &Semaphore);
    KhStartWaitSingle(&ThreadC, &Semaphore);
    assert_int_equal(KeReleaseSemaphore(&Semaphore, 0, 2, FALSE), 0);
    assert_int_equal(KhReadyCount, 2);
    assert_ptr_equal(KhReadied[0], &ThreadA);
    assert_ptr_equal(KhReadied[1], &ThreadB);
    assert_int_equal(ThreadC.State, Waiting);
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 0);
    KeReleaseSemaphore(&Semaphore, 0, 3, FALSE);
    assert_ptr_equal(KhReadied[2], &ThreadC);
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 2);
}

/* ---- WaitAny and WaitAll over mixed objects ---- */

static void test_wait_any_lowest_signalled_index_wins(void **State)
{
    PVOID Objects[3] = { &AutoEvent, &Semaphore, &ManualEvent };

    UNREFERENCED_PARAMETER(State);
    KeReleaseSemaphore(&Semaphore, 0, 1, FALSE);
    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(KeWaitForMultipleObjects(3, Objects, WaitAny, Executive, KernelMode,
                                              FALSE, NULL, NULL), STATUS_WAIT_0 + 1);
    /* Only the object that satisfied the wait is touched. */
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 0);
    assert_int_equal(KeReadStateEvent(&ManualEvent), 1);
    assert_int_equal(KeWaitForMultipleObjects(3, Objects, WaitAny, Executive, KernelMode,
                                              FALSE, NULL, NULL), STATUS_WAIT_0 + 2);
    KH_ASSERT_IDLE();
}

static void test_wait_any_blocked_on_several_is_woken_by_any(void **State)
{
    static PVOID Objects[3] = { &AutoEvent, &Semaphore, &ManualEvent };

    UNREFERENCED_PARAMETER(State);
    assert_int_equal(KhStartWait(&ThreadA, 3, Objects, WaitAny, KernelMode, FALSE, NULL,
                                 NULL), STATUS_PENDING);
    assert_ptr_equal(ThreadA.WaitBlock[2].NextWaitBlock, &ThreadA.WaitBlock[0]);
    KeReleaseSemaphore(&Semaphore, 0, 1, FALSE);
    assert_int_equal(KhReadyCount, 1);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0 + 1);
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 0);
    /* Off every object's list, not only the one that woke it. */
    assert_true(IsListEmpty(&AutoEvent.Header.WaitListHead));
    assert_true(IsListEmpty(&Semaphore.Header.WaitListHead));
    assert_true(IsListEmpty(&ManualEvent.Header.WaitListHead));
}

static void test_wait_any_naming_an_object_twice_is_woken_once(void **State)
{
    static PVOID Objects[2] = { &ManualEvent, &ManualEvent };

    UNREFERENCED_PARAMETER(State);
    KhStartWait(&ThreadA, 2, Objects, WaitAny, KernelMode, FALSE, NULL, NULL);
    KhStartWaitSingle(&ThreadB, &ManualEvent);
    assert_int_equal(KhListLength(&ManualEvent.Header.WaitListHead), 3);
    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(KhReadyCount, 2);
    assert_ptr_equal(KhReadied[0], &ThreadA);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0);
    assert_ptr_equal(KhReadied[1], &ThreadB);
    assert_true(IsListEmpty(&ManualEvent.Header.WaitListHead));
}

static void test_wait_all_takes_every_effect_at_once(void **State)
{
    PVOID Objects[4] = { &AutoEvent, &Semaphore, &ManualEvent, &Mutant };
    KWAIT_BLOCK WaitBlocks[4];

    UNREFERENCED_PARAMETER(State);
    KeSetEvent(&AutoEvent, 0, FALSE);
    KeReleaseSemaphore(&Semaphore, 0, 2, FALSE);
    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(KeWaitForMultipleObjects(4, Objects, WaitAll, Executive, KernelMode,
                                              FALSE, NULL, WaitBlocks), STATUS_WAIT_0);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 1);
    assert_int_equal(KeReadStateEvent(&ManualEvent), 1);
    assert_int_equal(KeReadStateMutant(&Mutant), 0);
    assert_ptr_equal(Mutant.OwnerThread, &KhMainThread);
    assert_ptr_equal(KhMainThread.MutantListHead.Flink, &Mutant.MutantListEntry);
    KH_ASSERT_IDLE();
}

static void test_wait_all_takes_nothing_until_all_are_signalled(void **State)
{
    static PVOID Objects[3] = { &AutoEvent, &Semaphore, &ManualEvent };
    LARGE_INTEGER Zero = { .QuadPart = 0 };

    UNREFERENCED_PARAMETER(State);
    KeSetEvent(&AutoEvent, 0, FALSE);
    KeReleaseSemaphore(&Semaphore, 0, 1, FALSE);
    /* Polling does not take the two that are ready. */
    assert_int_equal(KeWaitForMultipleObjects(3, Objects, WaitAll, Executive, KernelMode,
                                              FALSE, &Zero, NULL), STATUS_TIMEOUT);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 1);
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 1);

    assert_int_equal(KhStartWait(&ThreadA, 3, Objects, WaitAll, KernelMode, FALSE, NULL,
                                 NULL), STATUS_PENDING);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 1);
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 1);
    assert_int_equal(ThreadA.WaitBlock[0].WaitType, WaitAll);
    assert_int_equal(KhListLength(&AutoEvent.Header.WaitListHead), 1);

    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(KhReadyCount, 1);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 0);
    assert_int_equal(KeReadStateEvent(&ManualEvent), 1);
    assert_true(IsListEmpty(&AutoEvent.Header.WaitListHead));
    assert_true(IsListEmpty(&Semaphore.Header.WaitListHead));
    assert_true(IsListEmpty(&ManualEvent.Header.WaitListHead));
}

static void test_wait_all_waiter_is_passed_over_until_it_can_finish(void **State)
{
    static PVOID AllObjects[2] = { &Semaphore, &AutoEvent };

    UNREFERENCED_PARAMETER(State);
    KhStartWait(&ThreadA, 2, AllObjects, WaitAll, KernelMode, FALSE, NULL, NULL);
    KhStartWaitSingle(&ThreadB, &Semaphore);

    /* A is first on the semaphore but cannot finish: B gets the count. */
    KeReleaseSemaphore(&Semaphore, 0, 1, FALSE);
    assert_int_equal(KhReadyCount, 1);
    assert_ptr_equal(KhReadied[0], &ThreadB);
    assert_int_equal(ThreadA.State, Waiting);
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 0);

    /* Now the event, but the semaphore is gone: A still waits, taking nothing. */
    KeSetEvent(&AutoEvent, 0, FALSE);
    assert_int_equal(ThreadA.State, Waiting);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 1);

    KeReleaseSemaphore(&Semaphore, 0, 1, FALSE);
    assert_ptr_equal(KhReadied[1], &ThreadA);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);
    assert_int_equal(KeReadStateSemaphore(&Semaphore), 0);
}

static void test_wait_object_limits_bugcheck(void **State)
{
    ULONG Index;

    UNREFERENCED_PARAMETER(State);
    for (Index = 0; Index <= MAXIMUM_WAIT_OBJECTS; Index++) {
        KeInitializeEvent(&ManyEvents[Index], NotificationEvent, FALSE);
        ManyObjects[Index] = &ManyEvents[Index];
    }
    KH_EXPECT_BUGCHECK(MAXIMUM_WAIT_OBJECTS_EXCEEDED,
        KeWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, ManyObjects, WaitAny, Executive,
                                 KernelMode, FALSE, NULL, ManyWaitBlocks));
    assert_int_equal(KhBugCheckParameter[0], MAXIMUM_WAIT_OBJECTS + 1);
    /* More than the thread's own blocks need the caller's. */
    KH_EXPECT_BUGCHECK(MAXIMUM_WAIT_OBJECTS_EXCEEDED,
        KeWaitForMultipleObjects(THREAD_WAIT_OBJECTS + 1, ManyObjects, WaitAny, Executive,
                                 KernelMode, FALSE, NULL, NULL));

    /* 64 objects with a caller's array: fine. */
    KeSetEvent(&ManyEvents[MAXIMUM_WAIT_OBJECTS - 1], 0, FALSE);
    assert_int_equal(KeWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, ManyObjects, WaitAny,
                                              Executive, KernelMode, FALSE, NULL,
                                              ManyWaitBlocks),
                     STATUS_WAIT_0 + MAXIMUM_WAIT_OBJECTS - 1);
    KH_ASSERT_IDLE();
}

static void test_wait_many_objects_blocks_on_callers_blocks(void **State)
{
    ULONG Index;

    UNREFERENCED_PARAMETER(State);
    for (Index = 0; Index < MAXIMUM_WAIT_OBJECTS; Index++) {
        KeInitializeEvent(&ManyEvents[Index], NotificationEvent, FALSE);
        ManyObjects[Index] = &ManyEvents[Index];
    }
    assert_int_equal(KhStartWait(&ThreadA, MAXIMUM_WAIT_OBJECTS, ManyObjects, WaitAll,
                                 KernelMode, FALSE, NULL, ManyWaitBlocks), STATUS_PENDING);
    assert_ptr_equal(ThreadA.WaitBlockList, &ManyWaitBlocks[0]);
    for (Index = 0; Index < MAXIMUM_WAIT_OBJECTS - 1; Index++)
        KeSetEvent(&ManyEvents[Index], 0, FALSE);
    assert_int_equal(ThreadA.State, Waiting);
    KeSetEvent(&ManyEvents[MAXIMUM_WAIT_OBJECTS - 1], 0, FALSE);
    assert_int_equal(ThreadA.State, Ready);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0);
    for (Index = 0; Index < MAXIMUM_WAIT_OBJECTS; Index++)
        assert_true(IsListEmpty(&ManyEvents[Index].Header.WaitListHead));
}

/* ---- IRQL ---- */

static void test_wait_irql_rules(void **State)
{
    LARGE_INTEGER Zero = { .QuadPart = 0 };
    LARGE_INTEGER Timeout = KhRelative(10);

    UNREFERENCED_PARAMETER(State);
    KhIrql = DISPATCH_LEVEL;
    KH_EXPECT_BUGCHECK(IRQL_NOT_LESS_OR_EQUAL, Wait(&AutoEvent, NULL));
    assert_int_equal(KhBugCheckParameter[0], (ULONG_PTR)&AutoEvent);
    assert_int_equal(KhBugCheckParameter[1], DISPATCH_LEVEL);
    assert_true(KhBugCheckParameter[3] != 0);   /* the caller */
    KhIrql = DISPATCH_LEVEL;
    KH_EXPECT_BUGCHECK(IRQL_NOT_LESS_OR_EQUAL, Wait(&AutoEvent, &Timeout));
    KhIrql = HIGH_LEVEL;
    KH_EXPECT_BUGCHECK(IRQL_NOT_LESS_OR_EQUAL, Wait(&AutoEvent, &Zero));
    KhIrql = DISPATCH_LEVEL;
    KH_EXPECT_BUGCHECK(IRQL_NOT_LESS_OR_EQUAL,
                       KeDelayExecutionThread(KernelMode, FALSE, &Timeout));

    /* Polling at DISPATCH_LEVEL is allowed, and stays there. */
    KhReset(NULL);
    KeInitializeEvent(&AutoEvent, SynchronizationEvent, FALSE);
    KhIrql = DISPATCH_LEVEL;
    assert_int_equal(Wait(&AutoEvent, &Zero), STATUS_TIMEOUT);
    KeSetEvent(&AutoEvent, 0, FALSE);
    assert_int_equal(Wait(&AutoEvent, &Zero), STATUS_WAIT_0);
    assert_int_equal(KhIrql, DISPATCH_LEVEL);

    /* A blocking wait at APC_LEVEL comes back at APC_LEVEL. */
    KhIrql = APC_LEVEL;
    KhSwapHook = SetAutoEventHook;
    assert_int_equal(Wait(&AutoEvent, NULL), STATUS_WAIT_0);
    assert_int_equal(KhMainThread.WaitIrql, APC_LEVEL);
    assert_int_equal(KhIrql, APC_LEVEL);
}

/* ---- timeouts ---- */

static void test_zero_timeout_polls(void **State)
{
    UNREFERENCED_PARAMETER(State);
    assert_int_equal(Poll(&AutoEvent), STATUS_TIMEOUT);
    assert_int_equal(KhSwapCount, 0);
    assert_true(KiNextTimerDueTime() == ~0ULL);
    assert_true(IsListEmpty(&AutoEvent.Header.WaitListHead));
    KeSetEvent(&AutoEvent, 0, FALSE);
    assert_int_equal(Poll(&AutoEvent), STATUS_WAIT_0);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);
    KH_ASSERT_IDLE();
}

static VOID RelativeTimeoutHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    PKWAIT_BLOCK TimerBlock = &Waiter->WaitBlock[THREAD_WAIT_OBJECTS];

    UNREFERENCED_PARAMETER(SwapNumber);
    assert_true(Waiter->Timer.Header.Inserted);
    assert_true(Waiter->Timer.DueTime.QuadPart == 1000 + KH_MS(50));
    assert_true(KiNextTimerDueTime() == 1000 + KH_MS(50));
    assert_false(Waiter->Timer.Header.Absolute);
    /* The timer's block closes the ring, and ends the wait with STATUS_TIMEOUT. */
    assert_ptr_equal(Waiter->WaitBlock[0].NextWaitBlock, TimerBlock);
    assert_ptr_equal(TimerBlock->NextWaitBlock, &Waiter->WaitBlock[0]);
    assert_int_equal(TimerBlock->WaitKey, (USHORT)STATUS_TIMEOUT);
    assert_ptr_equal(TimerBlock->Object, &Waiter->Timer);
    KhAdvanceTime(KH_MS(49));
    assert_int_equal(Waiter->State, Waiting);
    KhAdvanceTime(KH_MS(1));
    assert_int_equal(Waiter->State, Ready);
}

static void test_relative_timeout_expires(void **State)
{
    LARGE_INTEGER Timeout = KhRelative(50);

    UNREFERENCED_PARAMETER(State);
    KhInterruptTime = 1000;
    KhSwapHook = RelativeTimeoutHook;
    assert_int_equal(Wait(&AutoEvent, &Timeout), STATUS_TIMEOUT);
    assert_true(IsListEmpty(&AutoEvent.Header.WaitListHead));
    assert_false(KhMainThread.Timer.Header.Inserted);
    assert_true(KiNextTimerDueTime() == ~0ULL);
    KH_ASSERT_IDLE();
}

static VOID AbsoluteTimeoutHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    UNREFERENCED_PARAMETER(SwapNumber);
    assert_true(Waiter->Timer.DueTime.QuadPart == 5000 + KH_MS(20));
    assert_true(Waiter->Timer.Header.Absolute);
    KhAdvanceTime(KH_MS(20));
}

static void test_absolute_timeout(void **State)
{
    LARGE_INTEGER Timeout;

    UNREFERENCED_PARAMETER(State);
    KhInterruptTime = 5000;
    Timeout.QuadPart = KH_BOOT_SYSTEM_TIME + 5000 + KH_MS(20);
    KhSwapHook = AbsoluteTimeoutHook;
    assert_int_equal(Wait(&AutoEvent, &Timeout), STATUS_TIMEOUT);

    /* A moment already past: no blocking at all. */
    KhSwapHook = NULL;
    Timeout.QuadPart = KH_BOOT_SYSTEM_TIME + (LONGLONG)KhInterruptTime - 1;
    assert_int_equal(Wait(&AutoEvent, &Timeout), STATUS_TIMEOUT);
    assert_int_equal(KhSwapCount, 1);
    KH_ASSERT_IDLE();
}

static void test_signal_before_timeout_disarms_the_timer(void **State)
{
    LARGE_INTEGER Timeout = KhRelative(50);

    UNREFERENCED_PARAMETER(State);
    KhSwapHook = SetAutoEventHook;
    assert_int_equal(Wait(&AutoEvent, &Timeout), STATUS_WAIT_0);
    assert_false(KhMainThread.Timer.Header.Inserted);
    assert_true(KiNextTimerDueTime() == ~0ULL);
    assert_true(IsListEmpty(&KhMainThread.Timer.Header.WaitListHead));
    KH_ASSERT_IDLE();
}

/* ---- alerts and user APCs ---- */

static void test_alerted_thread_alertable_wait_returns_at_once(void **State)
{
    LARGE_INTEGER Zero = { .QuadPart = 0 };

    UNREFERENCED_PARAMETER(State);
    KhMainThread.Alerted[KernelMode] = TRUE;
    assert_int_equal(KeWaitForSingleObject(&AutoEvent, Executive, KernelMode, TRUE, NULL),
                     STATUS_ALERTED);
    assert_false(KhMainThread.Alerted[KernelMode]);

    KhMainThread.Alerted[UserMode] = TRUE;
    assert_int_equal(KeWaitForSingleObject(&AutoEvent, UserRequest, UserMode, TRUE, NULL),
                     STATUS_ALERTED);
    assert_false(KhMainThread.Alerted[UserMode]);

    /* A kernel-mode alert ends a user-mode alertable wait too. */
    KhMainThread.Alerted[KernelMode] = TRUE;
    assert_int_equal(KeWaitForSingleObject(&AutoEvent, UserRequest, UserMode, TRUE, NULL),
                     STATUS_ALERTED);
    assert_false(KhMainThread.Alerted[KernelMode]);

    /* Not alertable: the alert is kept for later. */
    KhMainThread.Alerted[KernelMode] = TRUE;
    assert_int_equal(KeWaitForSingleObject(&AutoEvent, Executive, KernelMode, FALSE, &Zero),
                     STATUS_TIMEOUT);
    assert_true(KhMainThread.Alerted[KernelMode]);

    /* A signalled object comes before the alert. */
    KeSetEvent(&AutoEvent, 0, FALSE);
    assert_int_equal(KeWaitForSingleObject(&AutoEvent, Executive, KernelMode, TRUE, NULL),
                     STATUS_WAIT_0);
    assert_true(KhMainThread.Alerted[KernelMode]);
    assert_int_equal(KhSwapCount, 0);
    KH_ASSERT_IDLE();
}

static void test_alert_thread(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhStartWait(&ThreadA, 1, (PVOID[]){ &AutoEvent }, WaitAny, KernelMode, TRUE, NULL, NULL);
    assert_false(KeAlertThread(&ThreadA, KernelMode));
    assert_int_equal(ThreadA.State, Ready);
    assert_int_equal(ThreadA.WaitStatus, STATUS_ALERTED);
    assert_false(ThreadA.Alerted[KernelMode]);      /* spent on the wait */
    assert_int_equal(ThreadA.Priority, 8 + ALERT_INCREMENT);
    assert_true(IsListEmpty(&AutoEvent.Header.WaitListHead));

    /* Not alertable: it stays asleep, alerted. */
    KhStartWaitSingle(&ThreadB, &AutoEvent);
    assert_false(KeAlertThread(&ThreadB, KernelMode));
    assert_int_equal(ThreadB.State, Waiting);
    assert_true(ThreadB.Alerted[KernelMode]);
    assert_true(KeAlertThread(&ThreadB, KernelMode));

    /* A user-mode alert does not end a kernel-mode wait. */
    KhStartWait(&ThreadC, 1, (PVOID[]){ &ManualEvent }, WaitAny, KernelMode, TRUE, NULL, NULL);
    assert_false(KeAlertThread(&ThreadC, UserMode));
    assert_int_equal(ThreadC.State, Waiting);
    assert_true(ThreadC.Alerted[UserMode]);

    /* KeTestAlertThread reads and clears. */
    KhMainThread.Alerted[KernelMode] = TRUE;
    assert_true(KeTestAlertThread(KernelMode));
    assert_false(KeTestAlertThread(KernelMode));
    KH_ASSERT_IDLE();
}

static VOID UserApcKernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine,
                                 PVOID *NormalContext, PVOID *Argument1, PVOID *Argument2)
{
    UNREFERENCED_PARAMETER(Apc);
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
}

static VOID UserApcNormalRoutine(PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
}

static void test_user_apc_ends_alertable_user_mode_wait(void **State)
{
    static KAPC ApcMain, ApcA, ApcB;
    LARGE_INTEGER Zero = { .QuadPart = 0 };

    UNREFERENCED_PARAMETER(State);
    /* Queued before the wait: the wait returns at once. */
    KeInitializeApc(&ApcMain, &KhMainThread, OriginalApcEnvironment, UserApcKernelRoutine,
                    NULL, UserApcNormalRoutine, UserMode, NULL);
    assert_true(KeInsertQueueApc(&ApcMain, NULL, NULL, 0));
    assert_int_equal(KeWaitForSingleObject(&AutoEvent, Executive, KernelMode, TRUE, &Zero),
                     STATUS_TIMEOUT);       /* a kernel-mode wait does not care */
    assert_false(KhMainThread.ApcState.UserApcPending);
    assert_int_equal(KeWaitForSingleObject(&AutoEvent, UserRequest, UserMode, TRUE, NULL),
                     STATUS_USER_APC);
    assert_true(KhMainThread.ApcState.UserApcPending);
    /* Pending: even a non-alertable user-mode wait returns for it. */
    assert_int_equal(KeWaitForSingleObject(&AutoEvent, UserRequest, UserMode, FALSE, NULL),
                     STATUS_USER_APC);

    /* Queued during the wait: it is woken. */
    KhStartWait(&ThreadA, 1, (PVOID[]){ &AutoEvent }, WaitAny, UserMode, TRUE, NULL, NULL);
    KeInitializeApc(&ApcA, &ThreadA, OriginalApcEnvironment, UserApcKernelRoutine, NULL,
                    UserApcNormalRoutine, UserMode, NULL);
    assert_true(KeInsertQueueApc(&ApcA, NULL, NULL, 0));
    assert_int_equal(ThreadA.State, Ready);
    assert_int_equal(ThreadA.WaitStatus, STATUS_USER_APC);
    assert_true(ThreadA.ApcState.UserApcPending);

    /* Not alertable: it keeps waiting. */
    KhStartWait(&ThreadB, 1, (PVOID[]){ &AutoEvent }, WaitAny, UserMode, FALSE, NULL, NULL);
    KeInitializeApc(&ApcB, &ThreadB, OriginalApcEnvironment, UserApcKernelRoutine, NULL,
                    UserApcNormalRoutine, UserMode, NULL);
    assert_true(KeInsertQueueApc(&ApcB, NULL, NULL, 0));
    assert_int_equal(ThreadB.State, Waiting);
    assert_false(ThreadB.ApcState.UserApcPending);

    /* KeTestAlertThread(UserMode) arranges for queued user APCs to run. */
    KhCurrentThread = &ThreadB;
    ThreadB.State = Running;
    assert_false(KeTestAlertThread(UserMode));
    assert_true(ThreadB.ApcState.UserApcPending);
    KhCurrentThread = &KhMainThread;
    KH_ASSERT_IDLE();
}

/* ---- the WaitNext protocol ---- */

static void test_set_with_wait_keeps_the_lock_for_the_wait(void **State)
{
    LARGE_INTEGER Zero = { .QuadPart = 0 };

    UNREFERENCED_PARAMETER(State);
    KhSwapHook = SetAutoEventHook;
    assert_int_equal(KeSetEvent(&ManualEvent, 0, TRUE), 0);
    assert_int_equal(KhIrql, DISPATCH_LEVEL);
    assert_true(KhMainThread.WaitNext);
    assert_int_equal(KhMainThread.WaitIrql, PASSIVE_LEVEL);
    assert_int_equal(KhLockCount, KhUnlockCount + 1);
    /* No IRQL bugcheck: the wait goes by the IRQL the Set was called at. */
    assert_int_equal(Wait(&AutoEvent, NULL), STATUS_WAIT_0);
    assert_false(KhMainThread.WaitNext);
    KH_ASSERT_IDLE();

    assert_int_equal(KeReleaseSemaphore(&Semaphore, 0, 1, TRUE), 0);
    assert_int_equal(KhIrql, DISPATCH_LEVEL);
    assert_int_equal(Wait(&Semaphore, NULL), STATUS_WAIT_0);
    KH_ASSERT_IDLE();

    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(KePulseEvent(&ManualEvent, 0, TRUE), 1);
    assert_int_equal(KhIrql, DISPATCH_LEVEL);
    assert_int_equal(KeDelayExecutionThread(KernelMode, FALSE, &Zero), STATUS_SUCCESS);
    assert_int_equal(KhYieldCount, 1);      /* after the lock was given back */
    KH_ASSERT_IDLE();
}

/* ---- priority boosts ---- */

static void test_wake_boosts_priority_within_limits(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    KeSetEvent(&AutoEvent, 2, FALSE);
    assert_int_equal(ThreadA.Priority, 10);
    assert_int_equal(ThreadA.BasePriority, 8);

    /* Never into the real-time range. */
    KhInitThread(&ThreadA, 14);
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    KeSetEvent(&AutoEvent, 5, FALSE);
    assert_int_equal(ThreadA.Priority, LOW_REALTIME_PRIORITY - 1);

    /* Real-time threads and DisableBoost ones are left alone. */
    KhInitThread(&ThreadA, 20);
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    KeSetEvent(&AutoEvent, 5, FALSE);
    assert_int_equal(ThreadA.Priority, 20);
    KhInitThread(&ThreadA, 8);
    ThreadA.DisableBoost = TRUE;
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    KeSetEvent(&AutoEvent, 5, FALSE);
    assert_int_equal(ThreadA.Priority, 8);

    /* A boost never lowers a thread that is boosted more already. */
    KhInitThread(&ThreadA, 8);
    ThreadA.Priority = 12;
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    KeSetEvent(&AutoEvent, 1, FALSE);
    assert_int_equal(ThreadA.Priority, 12);
}

/* ---- KeDelayExecutionThread ---- */

static VOID DelayHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    UNREFERENCED_PARAMETER(SwapNumber);
    assert_int_equal(Waiter->WaitReason, DelayExecution);
    assert_ptr_equal(Waiter->WaitBlockList, &Waiter->WaitBlock[THREAD_WAIT_OBJECTS]);
    assert_ptr_equal(Waiter->WaitBlockList->NextWaitBlock, Waiter->WaitBlockList);
    KhAdvanceTime(KH_MS(10));
}

static VOID AlertHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    UNREFERENCED_PARAMETER(SwapNumber);
    KeAlertThread(Waiter, KernelMode);
}

static void test_delay_execution(void **State)
{
    LARGE_INTEGER Interval = KhRelative(10);
    LARGE_INTEGER Zero = { .QuadPart = 0 };

    UNREFERENCED_PARAMETER(State);
    KhSwapHook = DelayHook;
    assert_int_equal(KeDelayExecutionThread(KernelMode, FALSE, &Interval), STATUS_SUCCESS);
    assert_int_equal(KhSwapCount, 1);
    assert_int_equal(KhYieldCount, 0);

    /* Sleep(0): no wait, a yield. */
    assert_int_equal(KeDelayExecutionThread(KernelMode, FALSE, &Zero), STATUS_SUCCESS);
    assert_int_equal(KhSwapCount, 1);
    assert_int_equal(KhYieldCount, 1);

    /* Alertable, and alerted before or during. */
    KhMainThread.Alerted[KernelMode] = TRUE;
    assert_int_equal(KeDelayExecutionThread(KernelMode, TRUE, &Zero), STATUS_ALERTED);
    assert_int_equal(KhYieldCount, 1);
    KhSwapHook = AlertHook;
    assert_int_equal(KeDelayExecutionThread(KernelMode, TRUE, &Interval), STATUS_ALERTED);
    assert_false(KhMainThread.Timer.Header.Inserted);
    assert_true(KiNextTimerDueTime() == ~0ULL);
    KH_ASSERT_IDLE();
}

/* ---- kernel APCs during a wait ---- */

static KAPC SpecialApc;
static ULONG SpecialApcRuns;
static ULONG SpecialApcRanAtSwap;
static KIRQL SpecialApcIrql;
static PKTHREAD SpecialApcThread;

static VOID SpecialApcRoutine(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine,
                              PVOID *NormalContext, PVOID *Argument1, PVOID *Argument2)
{
    UNREFERENCED_PARAMETER(Apc);
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    SpecialApcRuns++;
    SpecialApcRanAtSwap = KhSwapCount;
    SpecialApcIrql = KhIrql;
    SpecialApcThread = KhCurrentThread;
}

static VOID QueueApcThenSetHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    if (SwapNumber == 1) {
        KeInitializeApc(&SpecialApc, Waiter, OriginalApcEnvironment, SpecialApcRoutine, NULL,
                        NULL, KernelMode, NULL);
        assert_true(KeInsertQueueApc(&SpecialApc, NULL, NULL, 0));
        assert_int_equal(Waiter->State, Ready);
        assert_int_equal(Waiter->WaitStatus, STATUS_KERNEL_APC);
        assert_true(IsListEmpty(&AutoEvent.Header.WaitListHead));
    } else {
        assert_int_equal(SpecialApcRuns, 1);
        assert_int_equal(Waiter->State, Waiting);   /* waiting again */
        KeSetEvent(&AutoEvent, 0, FALSE);
    }
}

static void test_kernel_apc_interrupts_a_wait_that_then_resumes(void **State)
{
    BOOLEAN SwitchInRequests;

    UNREFERENCED_PARAMETER(State);
    /* Once as the scheduler will do it, once with only the wait's own request. */
    for (SwitchInRequests = 0; SwitchInRequests <= 1; SwitchInRequests++) {
        KhReset(NULL);
        KeInitializeEvent(&AutoEvent, SynchronizationEvent, FALSE);
        KhSwitchInRequestsApc = SwitchInRequests;
        SpecialApcRuns = 0;
        KhSwapHook = QueueApcThenSetHook;
        assert_int_equal(Wait(&AutoEvent, NULL), STATUS_WAIT_0);
        assert_int_equal(KhSwapCount, 2);
        assert_int_equal(SpecialApcRuns, 1);
        assert_int_equal(SpecialApcRanAtSwap, 1);
        assert_int_equal(SpecialApcIrql, APC_LEVEL);
        assert_ptr_equal(SpecialApcThread, &KhMainThread);
        assert_false(KhMainThread.ApcState.KernelApcPending);
        KH_ASSERT_IDLE();
    }
}

static ULONGLONG DueTimeAtFirstSwap;

static VOID ApcAfterThirtyMsHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    if (SwapNumber == 1) {
        DueTimeAtFirstSwap = Waiter->Timer.DueTime.QuadPart;
        KhAdvanceTime(KH_MS(30));
        KeInitializeApc(&SpecialApc, Waiter, OriginalApcEnvironment, SpecialApcRoutine, NULL,
                        NULL, KernelMode, NULL);
        KeInsertQueueApc(&SpecialApc, NULL, NULL, 0);
        assert_false(Waiter->Timer.Header.Inserted);
    } else {
        /* The same moment as before: only what was left is waited for. */
        assert_true(Waiter->Timer.Header.Inserted);
        assert_true(Waiter->Timer.DueTime.QuadPart == DueTimeAtFirstSwap);
        KhAdvanceTime(KH_MS(69));
        assert_int_equal(Waiter->State, Waiting);
        KhAdvanceTime(KH_MS(1));
    }
}

static VOID ApcAfterTimeIsUpHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    UNREFERENCED_PARAMETER(SwapNumber);
    KeInitializeApc(&SpecialApc, Waiter, OriginalApcEnvironment, SpecialApcRoutine, NULL,
                    NULL, KernelMode, NULL);
    KeInsertQueueApc(&SpecialApc, NULL, NULL, 0);
    KhAdvanceTime(KH_MS(150));      /* the timer is out of the table: nothing fires */
}

static void test_kernel_apc_leaves_the_rest_of_a_relative_timeout(void **State)
{
    LARGE_INTEGER Timeout = KhRelative(100);

    UNREFERENCED_PARAMETER(State);
    KhInterruptTime = 7;
    KhSwapHook = ApcAfterThirtyMsHook;
    assert_int_equal(Wait(&AutoEvent, &Timeout), STATUS_TIMEOUT);
    assert_true(DueTimeAtFirstSwap == 7 + KH_MS(100));
    assert_int_equal(KhSwapCount, 2);
    assert_true(KhInterruptTime == 7 + KH_MS(100));

    /* Absolute timeouts are the same moment by nature. */
    KhReset(NULL);
    KeInitializeEvent(&AutoEvent, SynchronizationEvent, FALSE);
    Timeout.QuadPart = KH_BOOT_SYSTEM_TIME + (LONGLONG)KH_MS(100);
    KhSwapHook = ApcAfterThirtyMsHook;
    assert_int_equal(Wait(&AutoEvent, &Timeout), STATUS_TIMEOUT);
    assert_true(DueTimeAtFirstSwap == KH_MS(100));

    /* Time ran out while the APC ran: one last look at the objects, no more sleep. */
    KhReset(NULL);
    KeInitializeEvent(&AutoEvent, SynchronizationEvent, FALSE);
    Timeout = KhRelative(100);
    KhSwapHook = ApcAfterTimeIsUpHook;
    assert_int_equal(Wait(&AutoEvent, &Timeout), STATUS_TIMEOUT);
    assert_int_equal(KhSwapCount, 1);
    KH_ASSERT_IDLE();
}

/* ---- thread and process objects ---- */

static VOID ThreadEndsHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(Waiter);
    UNREFERENCED_PARAMETER(SwapNumber);
    /* What thread termination does: signal the thread object, then KiWaitTest. */
    OldIrql = KiLockDispatcherDatabase();
    ThreadA.Header.SignalState = 1;
    KiWaitTest(&ThreadA, 0);
    KiUnlockDispatcherDatabase(OldIrql);
}

static void test_wait_on_a_thread_object(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhStartWaitSingle(&ThreadB, &ThreadA);
    KhSwapHook = ThreadEndsHook;
    assert_int_equal(Wait(&ThreadA, NULL), STATUS_WAIT_0);
    assert_int_equal(ThreadB.State, Ready);
    assert_int_equal(ThreadA.Header.SignalState, 1);    /* stays signalled */
    assert_int_equal(Wait(&ThreadA, NULL), STATUS_WAIT_0);
    KH_ASSERT_IDLE();
}

#define WAIT_TEST(Function) cmocka_unit_test_setup(Function, Setup)

int main(void)
{
    const struct CMUnitTest Tests[] = {
        WAIT_TEST(test_event_initialize),
        WAIT_TEST(test_event_state_changes_return_previous_state),
        WAIT_TEST(test_wait_on_signalled_event_does_not_block),
        WAIT_TEST(test_wait_blocks_until_event_is_set),
        WAIT_TEST(test_notification_event_releases_every_waiter_in_order),
        WAIT_TEST(test_synchronization_event_releases_one_waiter_per_set),
        WAIT_TEST(test_pulse_event_releases_waiters_and_resets),
        WAIT_TEST(test_semaphore_counts),
        WAIT_TEST(test_semaphore_limit_raises_and_changes_nothing),
        WAIT_TEST(test_semaphore_release_wakes_as_many_as_released),
        WAIT_TEST(test_wait_any_lowest_signalled_index_wins),
        WAIT_TEST(test_wait_any_blocked_on_several_is_woken_by_any),
        WAIT_TEST(test_wait_any_naming_an_object_twice_is_woken_once),
        WAIT_TEST(test_wait_all_takes_every_effect_at_once),
        WAIT_TEST(test_wait_all_takes_nothing_until_all_are_signalled),
        WAIT_TEST(test_wait_all_waiter_is_passed_over_until_it_can_finish),
        WAIT_TEST(test_wait_object_limits_bugcheck),
        WAIT_TEST(test_wait_many_objects_blocks_on_callers_blocks),
        WAIT_TEST(test_wait_irql_rules),
        WAIT_TEST(test_zero_timeout_polls),
        WAIT_TEST(test_relative_timeout_expires),
        WAIT_TEST(test_absolute_timeout),
        WAIT_TEST(test_signal_before_timeout_disarms_the_timer),
        WAIT_TEST(test_alerted_thread_alertable_wait_returns_at_once),
        WAIT_TEST(test_alert_thread),
        WAIT_TEST(test_user_apc_ends_alertable_user_mode_wait),
        WAIT_TEST(test_set_with_wait_keeps_the_lock_for_the_wait),
        WAIT_TEST(test_wake_boosts_priority_within_limits),
        WAIT_TEST(test_delay_execution),
        WAIT_TEST(test_kernel_apc_interrupts_a_wait_that_then_resumes),
        WAIT_TEST(test_kernel_apc_leaves_the_rest_of_a_relative_timeout),
        WAIT_TEST(test_wait_on_a_thread_object),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

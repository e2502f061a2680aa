/*
 * test_timer.c - host tests of timer objects and the timer table
 * (kernel/ke/timerobj.c, timersup.c): relative and absolute due times, the order
 * of the table, expiry (on time, never early), notification against
 * synchronization timers, periodic re-arming, DPCs, and the thread timers that
 * wait timeouts use sharing the table with them.
 */
#include <stdio.h>
#include <string.h>

#include "kehost.h"

static KTHREAD ThreadA, ThreadB;
static KTIMER Timer1, Timer2, Timer3, Timer4;
static KDPC Dpc1, Dpc2, Dpc3, Dpc4;
static KEVENT AutoEvent;

static VOID DeferredRoutine(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
}

static int Setup(void **State)
{
    KhReset(State);
    KhInitThread(&ThreadA, 8);
    KhInitThread(&ThreadB, 8);
    KeInitializeTimer(&Timer1);
    KeInitializeTimer(&Timer2);
    KeInitializeTimer(&Timer3);
    KeInitializeTimerEx(&Timer4, SynchronizationTimer);
    KhTrackTimer(&Timer1);
    KhTrackTimer(&Timer2);
    KhTrackTimer(&Timer3);
    KhTrackTimer(&Timer4);
    KeInitializeDpc(&Dpc1, DeferredRoutine, NULL);
    KeInitializeDpc(&Dpc2, DeferredRoutine, NULL);
    KeInitializeDpc(&Dpc3, DeferredRoutine, NULL);
    KeInitializeDpc(&Dpc4, DeferredRoutine, NULL);
    KeInitializeEvent(&AutoEvent, SynchronizationEvent, FALSE);
    return 0;
}

/* Expires timers as the clock's DPC does, at DISPATCH_LEVEL. */
static VOID ExpireAt(ULONGLONG InterruptTime)
{
    KIRQL OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
    KiExpireTimers(InterruptTime);
    KfLowerIrql(OldIrql);
}

static LARGE_INTEGER Absolute(ULONGLONG InterruptTime)
{
    LARGE_INTEGER Time;
    Time.QuadPart = KH_BOOT_SYSTEM_TIME + (LONGLONG)InterruptTime;
    return Time;
}

static void test_timer_initialize(void **State)
{
    UNREFERENCED_PARAMETER(State);
    assert_int_equal(Timer1.Header.Type, TimerNotificationObject);
    assert_int_equal(Timer1.Header.Size, sizeof(KTIMER) / sizeof(LONG));
    assert_int_equal(Timer1.Header.SignalState, 0);
    assert_false(Timer1.Header.Inserted);
    assert_int_equal(Timer1.Period, 0);
    assert_null(Timer1.Dpc);
    assert_true(IsListEmpty(&Timer1.Header.WaitListHead));
    assert_int_equal(Timer4.Header.Type, TimerSynchronizationObject);
    assert_false(KeReadStateTimer(&Timer1));
    assert_true(KiNextTimerDueTime() == ~0ULL);
}

static void test_relative_due_time(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhInterruptTime = 1234;
    assert_false(KeSetTimer(&Timer1, KhRelative(10), NULL));
    assert_true(Timer1.Header.Inserted);
    assert_false(Timer1.Header.Absolute);
    assert_true(Timer1.DueTime.QuadPart == 1234 + KH_MS(10));
    assert_true(KiNextTimerDueTime() == 1234 + KH_MS(10));

    /* Setting it again moves it: it was armed, so TRUE. */
    assert_true(KeSetTimer(&Timer1, KhRelative(20), NULL));
    assert_true(Timer1.DueTime.QuadPart == 1234 + KH_MS(20));
    assert_true(KiNextTimerDueTime() == 1234 + KH_MS(20));

    assert_true(KeCancelTimer(&Timer1));
    assert_false(Timer1.Header.Inserted);
    assert_false(KeCancelTimer(&Timer1));
    assert_true(KiNextTimerDueTime() == ~0ULL);
    KH_ASSERT_IDLE();
}

static void test_absolute_due_time(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhInterruptTime = 500;
    KeSetTimer(&Timer1, Absolute(500 + KH_MS(30)), NULL);
    assert_true(Timer1.Header.Absolute);
    assert_true(Timer1.DueTime.QuadPart == 500 + KH_MS(30));
    KhAdvanceTime(KH_MS(30) - 1);
    assert_false(KeReadStateTimer(&Timer1));
    KhAdvanceTime(1);
    assert_true(KeReadStateTimer(&Timer1));
    assert_false(Timer1.Header.Inserted);
}

static void test_huge_relative_due_time_does_not_wrap(void **State)
{
    LARGE_INTEGER Forever;

    UNREFERENCED_PARAMETER(State);
    KhInterruptTime = 1000;
    Forever.QuadPart = INT64_MIN;
    KeSetTimer(&Timer1, Forever, NULL);
    assert_true(Timer1.DueTime.QuadPart == 1000 + (1ULL << 63));
    KhAdvanceTime(KH_MS(1000000));
    assert_false(KeReadStateTimer(&Timer1));
}

static void test_due_time_already_past_fires_at_once(void **State)
{
    LARGE_INTEGER Time;

    UNREFERENCED_PARAMETER(State);
    KhInterruptTime = KH_MS(7);
    assert_int_equal(KhStartWaitSingle(&ThreadA, &Timer1), STATUS_PENDING);
    assert_false(KeSetTimer(&Timer1, Absolute(KH_MS(7) - 1), &Dpc1));
    assert_true(KeReadStateTimer(&Timer1));
    assert_false(Timer1.Header.Inserted);
    assert_int_equal(ThreadA.State, Ready);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0);
    assert_int_equal(KhQueuedDpcCount, 1);
    assert_ptr_equal(KhQueuedDpc[0], &Dpc1);
    Time = Absolute(KH_MS(7));
    assert_ptr_equal(KhQueuedDpcArgument1[0], (PVOID)(ULONG_PTR)Time.LowPart);
    assert_ptr_equal(KhQueuedDpcArgument2[0], (PVOID)(ULONG_PTR)Time.HighPart);

    /* A due time of zero is the absolute time 0, long past. */
    Time.QuadPart = 0;
    KeSetTimer(&Timer2, Time, NULL);
    assert_true(KeReadStateTimer(&Timer2));
    assert_true(KiNextTimerDueTime() == ~0ULL);
    KH_ASSERT_IDLE();
}

static void test_table_keeps_due_order_and_arming_order(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KeSetTimer(&Timer1, KhRelative(30), &Dpc1);
    KeSetTimer(&Timer2, KhRelative(10), &Dpc2);
    KeSetTimer(&Timer3, KhRelative(20), &Dpc3);
    KeSetTimer(&Timer4, KhRelative(10), &Dpc4);    /* same moment as Timer2, armed later */
    assert_true(KiNextTimerDueTime() == KH_MS(10));

    KhAdvanceTime(KH_MS(10));
    assert_int_equal(KhQueuedDpcCount, 2);
    assert_ptr_equal(KhQueuedDpc[0], &Dpc2);
    assert_ptr_equal(KhQueuedDpc[1], &Dpc4);
    assert_true(KiNextTimerDueTime() == KH_MS(20));
    KhAdvanceTime(KH_MS(10));
    assert_ptr_equal(KhQueuedDpc[2], &Dpc3);
    KhAdvanceTime(KH_MS(10));
    assert_ptr_equal(KhQueuedDpc[3], &Dpc1);
    assert_int_equal(KhQueuedDpcCount, 4);
    assert_true(KiNextTimerDueTime() == ~0ULL);
}

static void test_one_late_expiry_fires_everything_due_in_order(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KeSetTimer(&Timer1, KhRelative(3), &Dpc1);
    KeSetTimer(&Timer2, KhRelative(1), &Dpc2);
    KeSetTimer(&Timer3, KhRelative(9), &Dpc3);
    KeSetTimer(&Timer4, KhRelative(2), &Dpc4);
    KhInterruptTime = KH_MS(5);
    ExpireAt(KhInterruptTime);
    assert_int_equal(KhQueuedDpcCount, 3);
    assert_ptr_equal(KhQueuedDpc[0], &Dpc2);
    assert_ptr_equal(KhQueuedDpc[1], &Dpc4);
    assert_ptr_equal(KhQueuedDpc[2], &Dpc1);
    assert_true(Timer3.Header.Inserted);
    assert_false(KeReadStateTimer(&Timer3));
}

static void test_never_early_exactly_on_time(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KeSetTimer(&Timer1, KhRelative(10), NULL);
    ExpireAt(KH_MS(10) - 1);
    assert_false(KeReadStateTimer(&Timer1));
    assert_true(Timer1.Header.Inserted);
    ExpireAt(KH_MS(10));
    assert_true(KeReadStateTimer(&Timer1));
    assert_false(Timer1.Header.Inserted);
}

static void test_notification_timer_releases_all_and_stays_signalled(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KeSetTimer(&Timer1, KhRelative(10), NULL);
    KhStartWaitSingle(&ThreadA, &Timer1);
    KhStartWaitSingle(&ThreadB, &Timer1);
    KhAdvanceTime(KH_MS(10));
    assert_int_equal(KhReadyCount, 2);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0);
    assert_int_equal(ThreadB.WaitStatus, STATUS_WAIT_0);
    assert_true(KeReadStateTimer(&Timer1));
    assert_int_equal(KeWaitForSingleObject(&Timer1, Executive, KernelMode, FALSE, NULL),
                     STATUS_WAIT_0);
    /* Cancelling does not reset it; setting it again does. */
    assert_false(KeCancelTimer(&Timer1));
    assert_true(KeReadStateTimer(&Timer1));
    KeSetTimer(&Timer1, KhRelative(10), NULL);
    assert_false(KeReadStateTimer(&Timer1));
}

static void test_synchronization_timer_releases_one(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KeSetTimer(&Timer4, KhRelative(10), NULL);
    KhStartWaitSingle(&ThreadA, &Timer4);
    KhStartWaitSingle(&ThreadB, &Timer4);
    KhAdvanceTime(KH_MS(10));
    assert_int_equal(KhReadyCount, 1);
    assert_ptr_equal(KhReadied[0], &ThreadA);
    assert_int_equal(ThreadB.State, Waiting);
    assert_false(KeReadStateTimer(&Timer4));
}

static void test_periodic_timer(void **State)
{
    UNREFERENCED_PARAMETER(State);
    assert_false(KeSetTimerEx(&Timer1, KhRelative(10), 5, &Dpc1));
    KhAdvanceTime(KH_MS(10));
    assert_int_equal(KhQueuedDpcCount, 1);
    assert_true(KeReadStateTimer(&Timer1));
    assert_true(Timer1.Header.Inserted);            /* armed again */
    assert_true(Timer1.DueTime.QuadPart == KH_MS(15));
    KhAdvanceTime(KH_MS(4));
    assert_int_equal(KhQueuedDpcCount, 1);
    KhAdvanceTime(KH_MS(1));
    assert_int_equal(KhQueuedDpcCount, 2);

    /* A late clock: the next period counts from the expiry, not the due time. */
    KhInterruptTime += KH_MS(7);
    ExpireAt(KhInterruptTime);
    assert_int_equal(KhQueuedDpcCount, 3);
    assert_true(Timer1.DueTime.QuadPart == KH_MS(27));

    assert_true(KeCancelTimer(&Timer1));
    KhAdvanceTime(KH_MS(100));
    assert_int_equal(KhQueuedDpcCount, 3);
}

static void test_periodic_synchronization_timer_releases_one_waiter_per_period(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KeSetTimerEx(&Timer4, KhRelative(10), 10, NULL);
    KhStartWaitSingle(&ThreadA, &Timer4);
    KhStartWaitSingle(&ThreadB, &Timer4);
    KhAdvanceTime(KH_MS(10));
    assert_int_equal(ThreadA.State, Ready);
    assert_int_equal(ThreadB.State, Waiting);
    KhAdvanceTime(KH_MS(10));
    assert_int_equal(ThreadB.State, Ready);
    KhAdvanceTime(KH_MS(10));
    assert_true(KeReadStateTimer(&Timer4));         /* nobody took this one */
    KeCancelTimer(&Timer4);
}

static void test_periodic_timer_due_at_once_is_rearmed(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhInterruptTime = KH_MS(50);
    KeSetTimerEx(&Timer1, Absolute(0), 20, &Dpc1);
    assert_int_equal(KhQueuedDpcCount, 1);
    assert_true(KeReadStateTimer(&Timer1));
    assert_true(Timer1.Header.Inserted);
    assert_true(Timer1.DueTime.QuadPart == KH_MS(70));
}

static VOID AdvanceHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    UNREFERENCED_PARAMETER(SwapNumber);
    while (Waiter->State == Waiting)
        KhAdvanceTime(KH_MS(1));
}

static void test_wait_on_a_timer_object(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KeSetTimer(&Timer1, KhRelative(25), NULL);
    KhSwapHook = AdvanceHook;
    assert_int_equal(KeWaitForSingleObject(&Timer1, Executive, KernelMode, FALSE, NULL),
                     STATUS_WAIT_0);
    assert_true(KhInterruptTime == KH_MS(25));
    KH_ASSERT_IDLE();
}

static VOID SharedTableHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    UNREFERENCED_PARAMETER(SwapNumber);
    /* The object timer is due first, the thread's timeout after it. */
    assert_true(KiNextTimerDueTime() == KH_MS(10));
    KhAdvanceTime(KH_MS(10));
    assert_int_equal(KhQueuedDpcCount, 1);
    assert_int_equal(Waiter->State, Waiting);
    assert_true(KiNextTimerDueTime() == Waiter->Timer.DueTime.QuadPart);
    KhAdvanceTime(KH_MS(10));
}

static void test_wait_timeouts_share_the_table_with_timer_objects(void **State)
{
    LARGE_INTEGER Timeout = KhRelative(20);

    UNREFERENCED_PARAMETER(State);
    KeSetTimer(&Timer1, KhRelative(10), &Dpc1);
    KhSwapHook = SharedTableHook;
    assert_int_equal(KeWaitForSingleObject(&AutoEvent, Executive, KernelMode, FALSE, &Timeout),
                     STATUS_TIMEOUT);
    assert_true(KiNextTimerDueTime() == ~0ULL);
    KH_ASSERT_IDLE();
}

static void test_wait_any_on_a_timer_and_a_timeout(void **State)
{
    static PVOID Objects[2];
    LARGE_INTEGER Timeout = KhRelative(30);

    UNREFERENCED_PARAMETER(State);
    /* The timer object wins when it is due before the timeout. */
    Objects[0] = &AutoEvent;
    Objects[1] = &Timer1;
    KeSetTimer(&Timer1, KhRelative(20), NULL);
    assert_int_equal(KhStartWait(&ThreadA, 2, Objects, WaitAny, KernelMode, FALSE, &Timeout,
                                 NULL), STATUS_PENDING);
    KhAdvanceTime(KH_MS(20));
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0 + 1);
    assert_false(ThreadA.Timer.Header.Inserted);    /* its timeout disarmed */
    assert_true(KiNextTimerDueTime() == ~0ULL);
}

#define TIMER_TEST(Function) cmocka_unit_test_setup(Function, Setup)

int main(void)
{
    const struct CMUnitTest Tests[] = {
        TIMER_TEST(test_timer_initialize),
        TIMER_TEST(test_relative_due_time),
        TIMER_TEST(test_absolute_due_time),
        TIMER_TEST(test_huge_relative_due_time_does_not_wrap),
        TIMER_TEST(test_due_time_already_past_fires_at_once),
        TIMER_TEST(test_table_keeps_due_order_and_arming_order),
        TIMER_TEST(test_one_late_expiry_fires_everything_due_in_order),
        TIMER_TEST(test_never_early_exactly_on_time),
        TIMER_TEST(test_notification_timer_releases_all_and_stays_signalled),
        TIMER_TEST(test_synchronization_timer_releases_one),
        TIMER_TEST(test_periodic_timer),
        TIMER_TEST(test_periodic_synchronization_timer_releases_one_waiter_per_period),
        TIMER_TEST(test_periodic_timer_due_at_once_is_rearmed),
        TIMER_TEST(test_wait_on_a_timer_object),
        TIMER_TEST(test_wait_timeouts_share_the_table_with_timer_objects),
        TIMER_TEST(test_wait_any_on_a_timer_and_a_timeout),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

/*
 * test_apc.c - host tests of APCs, critical regions and suspension
 * (kernel/ke/apc.c, suspend.c, alert.c): queue order (special before normal,
 * first come first served in each kind), delivery and its IRQLs, which waits an
 * APC interrupts, critical regions, and suspend/resume through the suspend APC
 * and semaphore.
 */
#include <stdio.h>
#include <string.h>

#include "kehost.h"

static KTHREAD ThreadA, ThreadB, ThreadC;
static KEVENT AutoEvent;

/* A KAPC with a name, so that the log can say which one ran. */
typedef struct _TEST_APC {
    KAPC Apc;
    ULONG Id;
} TEST_APC, *PTEST_APC;

/* What ran: 'K' kernel routine, 'N' normal routine, 'E' end of a normal routine. */
typedef struct _LOG_ENTRY {
    ULONG Id;
    CHAR Kind;
    KIRQL Irql;
    PKTHREAD Thread;
    PVOID Argument1;
} LOG_ENTRY;

static LOG_ENTRY Log[64];
static ULONG LogCount;

static VOID LogEvent(ULONG Id, CHAR Kind, PVOID Argument1)
{
    assert_true(LogCount < RTL_NUMBER_OF(Log));
    Log[LogCount].Id = Id;
    Log[LogCount].Kind = Kind;
    Log[LogCount].Irql = KhIrql;
    Log[LogCount].Thread = KhCurrentThread;
    Log[LogCount].Argument1 = Argument1;
    LogCount++;
}

static VOID AssertLog(ULONG Index, ULONG Id, CHAR Kind, KIRQL Irql)
{
    assert_true(Index < LogCount);
    if (Log[Index].Id != Id || Log[Index].Kind != Kind || Log[Index].Irql != Irql)
        fail_msg("log[%lu] is %lu%c@%u, expected %lu%c@%u", Index, Log[Index].Id,
                 Log[Index].Kind, Log[Index].Irql, Id, Kind, Irql);
}

static int Setup(void **State)
{
    KhReset(State);
    KhInitThread(&ThreadA, 8);
    KhInitThread(&ThreadB, 8);
    KhInitThread(&ThreadC, 8);
    KeInitializeEvent(&AutoEvent, SynchronizationEvent, FALSE);
    LogCount = 0;
    return 0;
}

/* ---- routines ---- */

static VOID KernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                          PVOID *Argument1, PVOID *Argument2)
{
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(Argument2);
    assert_false(Apc->Inserted);        /* off the queue before it runs */
    LogEvent(CONTAINING_RECORD(Apc, TEST_APC, Apc)->Id, 'K', *Argument1);
}

static VOID NormalRoutine(PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Argument2);
    LogEvent(((PTEST_APC)Context)->Id, 'N', Argument1);
}

static VOID InitKernelApc(PTEST_APC TestApc, ULONG Id, PKTHREAD Thread, BOOLEAN Special)
{
    TestApc->Id = Id;
    KeInitializeApc(&TestApc->Apc, Thread, OriginalApcEnvironment, KernelRoutine, NULL,
                    Special ? NULL : NormalRoutine, KernelMode, TestApc);
}

static VOID InitUserApc(PTEST_APC TestApc, ULONG Id, PKTHREAD Thread)
{
    TestApc->Id = Id;
    KeInitializeApc(&TestApc->Apc, Thread, OriginalApcEnvironment, KernelRoutine, NULL,
                    NormalRoutine, UserMode, TestApc);
}

/* Runs the thread's APC delivery as the APC_LEVEL software interrupt does. */
static VOID DeliverAs(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KhIrql = APC_LEVEL;
    KiDeliverApc(KernelMode, NULL, NULL);
    assert_int_equal(KhIrql, APC_LEVEL);
    KhIrql = PASSIVE_LEVEL;
}

/* ---- initialization and queues ---- */

static void test_initialize_apc(void **State)
{
    TEST_APC Apc;
    KAPC Plain;

    UNREFERENCED_PARAMETER(State);
    KeInitializeApc(&Plain, &ThreadA, OriginalApcEnvironment, KernelRoutine, NULL, NULL,
                    UserMode, &Apc);
    assert_int_equal(Plain.Type, ApcObject);
    assert_int_equal(Plain.Size, sizeof(KAPC));
    assert_ptr_equal(Plain.Thread, &ThreadA);
    /* No normal routine: a special kernel APC, whatever was asked. */
    assert_int_equal(Plain.ApcMode, KernelMode);
    assert_null(Plain.NormalContext);
    assert_false(Plain.Inserted);

    InitUserApc(&Apc, 1, &ThreadA);
    assert_int_equal(Apc.Apc.ApcMode, UserMode);
    assert_ptr_equal(Apc.Apc.NormalContext, &Apc);
    assert_int_equal(Apc.Apc.ApcStateIndex, OriginalApcEnvironment);

    /* CurrentApcEnvironment: where the thread is now; InsertApcEnvironment: when queued. */
    ThreadA.ApcStateIndex = AttachedApcEnvironment;
    KeInitializeApc(&Plain, &ThreadA, CurrentApcEnvironment, KernelRoutine, NULL, NULL,
                    KernelMode, NULL);
    assert_int_equal(Plain.ApcStateIndex, AttachedApcEnvironment);
    KeInitializeApc(&Plain, &ThreadA, InsertApcEnvironment, KernelRoutine, NULL, NULL,
                    KernelMode, NULL);
    assert_int_equal(Plain.ApcStateIndex, InsertApcEnvironment);
    ThreadA.ApcStateIndex = OriginalApcEnvironment;
    assert_true(KeInsertQueueApc(&Plain, NULL, NULL, 0));
    assert_int_equal(Plain.ApcStateIndex, OriginalApcEnvironment);
}

static void test_special_apcs_queue_ahead_of_normal_ones(void **State)
{
    static TEST_APC Apcs[5];
    static const ULONG Order[5] = { 2, 4, 5, 1, 3 };
    PLIST_ENTRY Entry;
    ULONG Index = 0;

    UNREFERENCED_PARAMETER(State);
    InitKernelApc(&Apcs[0], 1, &ThreadA, FALSE);
    InitKernelApc(&Apcs[1], 2, &ThreadA, TRUE);
    InitKernelApc(&Apcs[2], 3, &ThreadA, FALSE);
    InitKernelApc(&Apcs[3], 4, &ThreadA, TRUE);
    InitKernelApc(&Apcs[4], 5, &ThreadA, TRUE);
    for (Index = 0; Index < 5; Index++)
        assert_true(KeInsertQueueApc(&Apcs[Index].Apc, NULL, NULL, 0));
    assert_true(ThreadA.ApcState.KernelApcPending);
    assert_int_equal(ThreadA.State, Ready);     /* not waiting: nothing else happens */
    assert_int_equal(KhReadyCount, 0);

    Index = 0;
    for (Entry = ThreadA.ApcState.ApcListHead[KernelMode].Flink;
         Entry != &ThreadA.ApcState.ApcListHead[KernelMode]; Entry = Entry->Flink) {
        PTEST_APC Apc = CONTAINING_RECORD(Entry, TEST_APC, Apc.ApcListEntry);
        assert_int_equal(Apc->Id, Order[Index]);
        Index++;
    }
    assert_int_equal(Index, 5);

    /* Delivered in that order; kernel routines at APC_LEVEL, normal at PASSIVE_LEVEL. */
    KhRunAs(&ThreadA, DeliverAs, NULL);
    assert_int_equal(LogCount, 7);
    AssertLog(0, 2, 'K', APC_LEVEL);
    AssertLog(1, 4, 'K', APC_LEVEL);
    AssertLog(2, 5, 'K', APC_LEVEL);
    AssertLog(3, 1, 'K', APC_LEVEL);
    AssertLog(4, 1, 'N', PASSIVE_LEVEL);
    AssertLog(5, 3, 'K', APC_LEVEL);
    AssertLog(6, 3, 'N', PASSIVE_LEVEL);
    assert_ptr_equal(Log[6].Thread, &ThreadA);
    assert_true(IsListEmpty(&ThreadA.ApcState.ApcListHead[KernelMode]));
    assert_false(ThreadA.ApcState.KernelApcPending);
    assert_false(ThreadA.ApcState.KernelApcInProgress);
    assert_false(Apcs[0].Apc.Inserted);
}

static void test_insert_refusals(void **State)
{
    TEST_APC Apc;

    UNREFERENCED_PARAMETER(State);
    InitKernelApc(&Apc, 1, &ThreadA, FALSE);
    assert_true(KeInsertQueueApc(&Apc.Apc, (PVOID)1, (PVOID)2, 0));
    assert_true(Apc.Apc.Inserted);
    /* Queued already: refused, and its arguments stay. */
    assert_false(KeInsertQueueApc(&Apc.Apc, (PVOID)3, (PVOID)4, 0));
    assert_ptr_equal(Apc.Apc.SystemArgument1, (PVOID)1);
    assert_int_equal(KhListLength(&ThreadA.ApcState.ApcListHead[KernelMode]), 1);

    /* A thread that takes no more APCs. */
    InitKernelApc(&Apc, 2, &ThreadB, FALSE);
    ThreadB.ApcQueueable = FALSE;
    assert_false(KeInsertQueueApc(&Apc.Apc, NULL, NULL, 0));
    assert_false(Apc.Apc.Inserted);
    assert_true(IsListEmpty(&ThreadB.ApcState.ApcListHead[KernelMode]));
    KH_ASSERT_IDLE();
}

static void test_remove_queue_apc(void **State)
{
    TEST_APC First, Second, User;

    UNREFERENCED_PARAMETER(State);
    InitKernelApc(&First, 1, &ThreadA, FALSE);
    InitKernelApc(&Second, 2, &ThreadA, TRUE);
    KeInsertQueueApc(&First.Apc, NULL, NULL, 0);
    KeInsertQueueApc(&Second.Apc, NULL, NULL, 0);
    assert_true(KeRemoveQueueApc(&First.Apc));
    assert_false(First.Apc.Inserted);
    assert_true(ThreadA.ApcState.KernelApcPending);
    assert_false(KeRemoveQueueApc(&First.Apc));
    assert_true(KeRemoveQueueApc(&Second.Apc));
    assert_false(ThreadA.ApcState.KernelApcPending);    /* nothing left */

    InitUserApc(&User, 3, &ThreadA);
    KeInsertQueueApc(&User.Apc, NULL, NULL, 0);
    ThreadA.ApcState.UserApcPending = TRUE;
    assert_true(KeRemoveQueueApc(&User.Apc));
    assert_false(ThreadA.ApcState.UserApcPending);
    KH_ASSERT_IDLE();
}

/* ---- delivery to the current thread ---- */

static void test_apc_to_the_current_thread_runs_as_irql_drops(void **State)
{
    TEST_APC Special, Normal;

    UNREFERENCED_PARAMETER(State);
    InitKernelApc(&Special, 1, &KhMainThread, TRUE);
    assert_true(KeInsertQueueApc(&Special.Apc, (PVOID)0x11, NULL, 0));
    assert_int_equal(LogCount, 1);      /* ran as the insert released the lock */
    AssertLog(0, 1, 'K', APC_LEVEL);
    assert_ptr_equal(Log[0].Argument1, (PVOID)0x11);
    assert_int_equal(KhApcInterruptRequests, 1);

    /* At DISPATCH_LEVEL it waits until IRQL goes down. */
    KhIrql = DISPATCH_LEVEL;
    InitKernelApc(&Normal, 2, &KhMainThread, FALSE);
    KeInsertQueueApc(&Normal.Apc, (PVOID)0x22, NULL, 0);
    assert_int_equal(LogCount, 1);
    KfLowerIrql(PASSIVE_LEVEL);
    assert_int_equal(LogCount, 3);
    AssertLog(1, 2, 'K', APC_LEVEL);
    AssertLog(2, 2, 'N', PASSIVE_LEVEL);
    assert_ptr_equal(Log[2].Argument1, (PVOID)0x22);
    KH_ASSERT_IDLE();
}

static void test_critical_region_holds_normal_apcs_only(void **State)
{
    TEST_APC Special, Normal;

    UNREFERENCED_PARAMETER(State);
    assert_false(KeAreApcsDisabled());
    KeEnterCriticalRegion();
    KeEnterCriticalRegion();
    assert_true(KeAreApcsDisabled());
    assert_int_equal(KhMainThread.KernelApcDisable, 2);

    InitKernelApc(&Normal, 1, &KhMainThread, FALSE);
    InitKernelApc(&Special, 2, &KhMainThread, TRUE);
    KeInsertQueueApc(&Normal.Apc, NULL, NULL, 0);
    KeInsertQueueApc(&Special.Apc, NULL, NULL, 0);
    assert_int_equal(LogCount, 1);
    AssertLog(0, 2, 'K', APC_LEVEL);
    assert_true(Normal.Apc.Inserted);

    KeLeaveCriticalRegion();
    assert_int_equal(LogCount, 1);
    KeLeaveCriticalRegion();
    assert_false(KeAreApcsDisabled());
    assert_int_equal(LogCount, 3);
    AssertLog(1, 1, 'K', APC_LEVEL);
    AssertLog(2, 1, 'N', PASSIVE_LEVEL);

    /* Leaving at APC_LEVEL: delivered when IRQL drops. */
    KeEnterCriticalRegion();
    KeInsertQueueApc(&Normal.Apc, NULL, NULL, 0);
    KhIrql = APC_LEVEL;
    KeLeaveCriticalRegion();
    assert_int_equal(LogCount, 3);
    assert_true(KhMainThread.ApcState.KernelApcPending);
    KfLowerIrql(PASSIVE_LEVEL);
    assert_int_equal(LogCount, 5);
    KH_ASSERT_IDLE();
}

static VOID CancellingKernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *Normal, PVOID *NormalContext,
                                    PVOID *Argument1, PVOID *Argument2)
{
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    LogEvent(CONTAINING_RECORD(Apc, TEST_APC, Apc)->Id, 'K', NULL);
    *Normal = NULL;
}

static VOID RewritingKernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *Normal, PVOID *NormalContext,
                                   PVOID *Argument1, PVOID *Argument2)
{
    static TEST_APC Stand;

    UNREFERENCED_PARAMETER(Normal);
    UNREFERENCED_PARAMETER(Argument2);
    LogEvent(CONTAINING_RECORD(Apc, TEST_APC, Apc)->Id, 'K', *Argument1);
    Stand.Id = 99;
    *NormalContext = &Stand;
    *Argument1 = (PVOID)0x77;
}

static void test_kernel_routine_may_cancel_or_rewrite_the_normal_routine(void **State)
{
    TEST_APC Cancelled, Rewritten;

    UNREFERENCED_PARAMETER(State);
    Cancelled.Id = 1;
    KeInitializeApc(&Cancelled.Apc, &KhMainThread, OriginalApcEnvironment,
                    CancellingKernelRoutine, NULL, NormalRoutine, KernelMode, &Cancelled);
    KeInsertQueueApc(&Cancelled.Apc, NULL, NULL, 0);
    assert_int_equal(LogCount, 1);
    assert_false(KhMainThread.ApcState.KernelApcInProgress);

    Rewritten.Id = 2;
    KeInitializeApc(&Rewritten.Apc, &KhMainThread, OriginalApcEnvironment,
                    RewritingKernelRoutine, NULL, NormalRoutine, KernelMode, &Rewritten);
    KeInsertQueueApc(&Rewritten.Apc, (PVOID)0x55, NULL, 0);
    assert_int_equal(LogCount, 3);
    assert_ptr_equal(Log[1].Argument1, (PVOID)0x55);
    AssertLog(2, 99, 'N', PASSIVE_LEVEL);
    assert_ptr_equal(Log[2].Argument1, (PVOID)0x77);
}

static TEST_APC Nested1, Nested2, NestedSpecial;

static VOID NestingNormalRoutine(PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    LogEvent(1, 'N', NULL);
    assert_true(KhCurrentThread->ApcState.KernelApcInProgress);
    /* Another normal APC waits for this one to end; a special one does not. */
    InitKernelApc(&Nested2, 2, KhCurrentThread, FALSE);
    KeInsertQueueApc(&Nested2.Apc, NULL, NULL, 0);
    InitKernelApc(&NestedSpecial, 3, KhCurrentThread, TRUE);
    KeInsertQueueApc(&NestedSpecial.Apc, NULL, NULL, 0);
    LogEvent(1, 'E', NULL);
}

static void test_normal_apcs_do_not_nest(void **State)
{
    UNREFERENCED_PARAMETER(State);
    Nested1.Id = 1;
    KeInitializeApc(&Nested1.Apc, &KhMainThread, OriginalApcEnvironment, KernelRoutine, NULL,
                    NestingNormalRoutine, KernelMode, &Nested1);
    KeInsertQueueApc(&Nested1.Apc, NULL, NULL, 0);
    assert_int_equal(LogCount, 6);
    AssertLog(0, 1, 'K', APC_LEVEL);
    AssertLog(1, 1, 'N', PASSIVE_LEVEL);
    AssertLog(2, 3, 'K', APC_LEVEL);        /* the special one, at once */
    AssertLog(3, 1, 'E', PASSIVE_LEVEL);
    AssertLog(4, 2, 'K', APC_LEVEL);        /* the normal one, after */
    AssertLog(5, 2, 'N', PASSIVE_LEVEL);
    KH_ASSERT_IDLE();
}

/* ---- APCs for waiting threads ---- */

static void test_kernel_apc_interrupts_a_wait_only_when_it_can_run(void **State)
{
    static TEST_APC ApcA, NormalB, SpecialB, SpecialC, NormalC;

    UNREFERENCED_PARAMETER(State);
    /* Waiting at PASSIVE_LEVEL: woken, boosted, its wait undone. */
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    InitKernelApc(&ApcA, 1, &ThreadA, TRUE);
    KeInsertQueueApc(&ApcA.Apc, NULL, NULL, 2);
    assert_int_equal(ThreadA.State, Ready);
    assert_int_equal(ThreadA.WaitStatus, STATUS_KERNEL_APC);
    assert_int_equal(ThreadA.Priority, 10);
    assert_true(ThreadA.ApcState.KernelApcPending);
    assert_true(IsListEmpty(&AutoEvent.Header.WaitListHead));
    assert_int_equal(LogCount, 0);      /* it runs when ThreadA does */

    /* In a critical region: a normal APC waits, a special one wakes it. */
    KhStartWaitSingle(&ThreadB, &AutoEvent);
    ThreadB.KernelApcDisable = 1;
    InitKernelApc(&NormalB, 2, &ThreadB, FALSE);
    KeInsertQueueApc(&NormalB.Apc, NULL, NULL, 0);
    assert_int_equal(ThreadB.State, Waiting);
    assert_true(ThreadB.ApcState.KernelApcPending);
    InitKernelApc(&SpecialB, 3, &ThreadB, TRUE);
    KeInsertQueueApc(&SpecialB.Apc, NULL, NULL, 0);
    assert_int_equal(ThreadB.State, Ready);

    /* Waiting at APC_LEVEL: nothing can run before the wait ends. */
    KhStartWaitSingle(&ThreadC, &AutoEvent);
    ThreadC.WaitIrql = APC_LEVEL;
    InitKernelApc(&SpecialC, 4, &ThreadC, TRUE);
    KeInsertQueueApc(&SpecialC.Apc, NULL, NULL, 0);
    assert_int_equal(ThreadC.State, Waiting);

    /* Waiting inside a normal APC: another normal one waits too. */
    ThreadC.WaitIrql = PASSIVE_LEVEL;
    ThreadC.ApcState.KernelApcInProgress = TRUE;
    InitKernelApc(&NormalC, 5, &ThreadC, FALSE);
    KeInsertQueueApc(&NormalC.Apc, NULL, NULL, 0);
    assert_int_equal(ThreadC.State, Waiting);
    KH_ASSERT_IDLE();
}

static void test_apc_for_the_other_environment_waits_there(void **State)
{
    TEST_APC Apc;

    UNREFERENCED_PARAMETER(State);
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    Apc.Id = 1;
    KeInitializeApc(&Apc.Apc, &ThreadA, AttachedApcEnvironment, KernelRoutine, NULL, NULL,
                    KernelMode, NULL);
    assert_true(KeInsertQueueApc(&Apc.Apc, NULL, NULL, 0));
    assert_ptr_equal(ThreadA.SavedApcState.ApcListHead[KernelMode].Flink,
                     &Apc.Apc.ApcListEntry);
    assert_false(ThreadA.ApcState.KernelApcPending);
    assert_int_equal(ThreadA.State, Waiting);
}

static void test_user_apcs_stay_queued_for_the_system_service_exit(void **State)
{
    TEST_APC User;

    UNREFERENCED_PARAMETER(State);
    InitUserApc(&User, 1, &KhMainThread);
    assert_true(KeInsertQueueApc(&User.Apc, NULL, NULL, 0));
    assert_int_equal(KhApcInterruptRequests, 0);        /* user APCs ask for nothing */
    KhMainThread.ApcState.UserApcPending = TRUE;
    KhIrql = APC_LEVEL;
    KiDeliverApc(UserMode, NULL, NULL);
    KhIrql = PASSIVE_LEVEL;
    /* KiInitializeUserApc does not exist yet: nothing ran, nothing was dropped. */
    assert_int_equal(LogCount, 0);
    assert_true(User.Apc.Inserted);
    assert_true(KhMainThread.ApcState.UserApcPending);
}

static void test_flush_queue_apc(void **State)
{
    static TEST_APC User[3];
    PLIST_ENTRY First, Entry;
    ULONG Index, Count = 0;

    UNREFERENCED_PARAMETER(State);
    assert_null(KeFlushQueueApc(&ThreadA, UserMode));
    for (Index = 0; Index < 3; Index++) {
        InitUserApc(&User[Index], Index + 1, &ThreadA);
        KeInsertQueueApc(&User[Index].Apc, NULL, NULL, 0);
    }
    ThreadA.ApcState.UserApcPending = TRUE;
    First = KeFlushQueueApc(&ThreadA, UserMode);
    assert_ptr_equal(First, &User[0].Apc.ApcListEntry);
    assert_true(IsListEmpty(&ThreadA.ApcState.ApcListHead[UserMode]));
    assert_false(ThreadA.ApcState.UserApcPending);
    Entry = First;
    do {
        PTEST_APC Apc = CONTAINING_RECORD(Entry, TEST_APC, Apc.ApcListEntry);
        assert_int_equal(Apc->Id, Count + 1);
        assert_false(Apc->Apc.Inserted);
        Count++;
        Entry = Entry->Flink;
    } while (Entry != First);
    assert_int_equal(Count, 3);
    KH_ASSERT_IDLE();
}

/* ---- suspension ---- */

static void test_suspend_and_resume_counts(void **State)
{
    UNREFERENCED_PARAMETER(State);
    assert_int_equal(KeSuspendThread(&ThreadA), 0);
    assert_int_equal(ThreadA.SuspendCount, 1);
    assert_true(ThreadA.SuspendApc.Inserted);
    assert_ptr_equal(ThreadA.ApcState.ApcListHead[KernelMode].Flink,
                     &ThreadA.SuspendApc.ApcListEntry);
    assert_int_equal(KeSuspendThread(&ThreadA), 1);
    assert_int_equal(KeSuspendThread(&ThreadA), 2);
    assert_int_equal(KhListLength(&ThreadA.ApcState.ApcListHead[KernelMode]), 1);

    assert_int_equal(KeResumeThread(&ThreadA), 3);
    assert_int_equal(KeResumeThread(&ThreadA), 2);
    assert_int_equal(ThreadA.SuspendSemaphore.Header.SignalState, 0);
    assert_int_equal(KeResumeThread(&ThreadA), 1);
    assert_int_equal(ThreadA.SuspendSemaphore.Header.SignalState, 1);
    assert_int_equal(KeResumeThread(&ThreadA), 0);      /* not suspended: no change */
    assert_int_equal(ThreadA.SuspendSemaphore.Header.SignalState, 1);

    /* Suspended again before the APC ran: the earlier release is taken back. */
    assert_int_equal(KeSuspendThread(&ThreadA), 0);
    assert_int_equal(ThreadA.SuspendSemaphore.Header.SignalState, 0);
    assert_int_equal(KhListLength(&ThreadA.ApcState.ApcListHead[KernelMode]), 1);
    KH_ASSERT_IDLE();
}

static void test_suspend_count_limit(void **State)
{
    ULONG Previous = 0x1234;

    UNREFERENCED_PARAMETER(State);
    ThreadA.SuspendCount = MAXIMUM_SUSPEND_COUNT - 1;
    assert_int_equal(KeSuspendThread(&ThreadA), MAXIMUM_SUSPEND_COUNT - 1);
    KH_EXPECT_RAISE(STATUS_SUSPEND_COUNT_EXCEEDED, KeSuspendThread(&ThreadA));
    assert_int_equal(ThreadA.SuspendCount, MAXIMUM_SUSPEND_COUNT);
    KH_ASSERT_IDLE();
    assert_int_equal(KeSuspendThreadChecked(&ThreadA, &Previous),
                     STATUS_SUSPEND_COUNT_EXCEEDED);

    /* A thread that takes no APCs is not suspended. */
    ThreadB.ApcQueueable = FALSE;
    assert_int_equal(KeSuspendThreadChecked(&ThreadB, &Previous), STATUS_SUCCESS);
    assert_int_equal(Previous, 0);
    assert_int_equal(ThreadB.SuspendCount, 0);
    assert_false(ThreadB.SuspendApc.Inserted);
    KH_ASSERT_IDLE();
}

static VOID ResumeHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    UNREFERENCED_PARAMETER(SwapNumber);
    assert_int_equal(Waiter->WaitReason, Suspended);
    assert_ptr_equal(Waiter->WaitBlock[0].Object, &Waiter->SuspendSemaphore);
    assert_true(Waiter->ApcState.KernelApcInProgress);
    assert_int_equal(KeResumeThread(Waiter), 1);
}

static void test_suspended_thread_stops_until_resumed(void **State)
{
    UNREFERENCED_PARAMETER(State);
    /* Suspending oneself: the APC runs as the lock is released, and waits. */
    KhSwapHook = ResumeHook;
    assert_int_equal(KeSuspendThread(&KhMainThread), 0);
    assert_int_equal(KhSwapCount, 1);
    assert_int_equal(KhMainThread.SuspendCount, 0);
    assert_int_equal(KhMainThread.SuspendSemaphore.Header.SignalState, 0);
    assert_false(KhMainThread.SuspendApc.Inserted);
    assert_false(KhMainThread.ApcState.KernelApcInProgress);
    KH_ASSERT_IDLE();

    /* In a critical region it goes on until it leaves the region. */
    KeEnterCriticalRegion();
    KeSuspendThread(&KhMainThread);
    assert_int_equal(KhSwapCount, 1);
    KeLeaveCriticalRegion();
    assert_int_equal(KhSwapCount, 2);
    KH_ASSERT_IDLE();
}

static void test_suspending_a_waiting_thread_interrupts_its_wait(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KhStartWaitSingle(&ThreadA, &AutoEvent);
    KeSuspendThread(&ThreadA);
    assert_int_equal(ThreadA.State, Ready);
    assert_int_equal(ThreadA.WaitStatus, STATUS_KERNEL_APC);

    KhStartWaitSingle(&ThreadB, &AutoEvent);
    ThreadB.KernelApcDisable = 1;
    KeSuspendThread(&ThreadB);
    assert_int_equal(ThreadB.State, Waiting);
}

static void test_force_resume_and_alert_resume(void **State)
{
    UNREFERENCED_PARAMETER(State);
    KeSuspendThread(&ThreadA);
    KeSuspendThread(&ThreadA);
    KeSuspendThread(&ThreadA);
    assert_int_equal(KeForceResumeThread(&ThreadA), 3);
    assert_int_equal(ThreadA.SuspendCount, 0);
    assert_int_equal(ThreadA.SuspendSemaphore.Header.SignalState, 1);
    assert_int_equal(KeForceResumeThread(&ThreadA), 0);
    assert_int_equal(ThreadA.SuspendSemaphore.Header.SignalState, 1);

    /* Not waiting: alerted for later, and resumed. */
    KeSuspendThread(&ThreadB);
    assert_int_equal(KeAlertResumeThread(&ThreadB), 1);
    assert_true(ThreadB.Alerted[KernelMode]);
    assert_int_equal(ThreadB.SuspendCount, 0);

    /* In an alertable wait: woken with STATUS_ALERTED. */
    KhStartWait(&ThreadC, 1, (PVOID[]){ &AutoEvent }, WaitAny, KernelMode, TRUE, NULL, NULL);
    assert_int_equal(KeAlertResumeThread(&ThreadC), 0);
    assert_int_equal(ThreadC.State, Ready);
    assert_int_equal(ThreadC.WaitStatus, STATUS_ALERTED);
    assert_false(ThreadC.Alerted[KernelMode]);
    KH_ASSERT_IDLE();
}

#define APC_TEST(Function) cmocka_unit_test_setup(Function, Setup)

int main(void)
{
    const struct CMUnitTest Tests[] = {
        APC_TEST(test_initialize_apc),
        APC_TEST(test_special_apcs_queue_ahead_of_normal_ones),
        APC_TEST(test_insert_refusals),
        APC_TEST(test_remove_queue_apc),
        APC_TEST(test_apc_to_the_current_thread_runs_as_irql_drops),
        APC_TEST(test_critical_region_holds_normal_apcs_only),
        APC_TEST(test_kernel_routine_may_cancel_or_rewrite_the_normal_routine),
        APC_TEST(test_normal_apcs_do_not_nest),
        APC_TEST(test_kernel_apc_interrupts_a_wait_only_when_it_can_run),
        APC_TEST(test_apc_for_the_other_environment_waits_there),
        APC_TEST(test_user_apcs_stay_queued_for_the_system_service_exit),
        APC_TEST(test_flush_queue_apc),
        APC_TEST(test_suspend_and_resume_counts),
        APC_TEST(test_suspend_count_limit),
        APC_TEST(test_suspended_thread_stops_until_resumed),
        APC_TEST(test_suspending_a_waiting_thread_interrupts_its_wait),
        APC_TEST(test_force_resume_and_alert_resume),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

/*
 * test_sched.c - host tests of the scheduler (kernel/ke/thrdschd.c): the 32
 * ready queues and their summary bitmap, the choice of the next thread
 * (priority, then first come first served), KiReadyThread's decisions
 * (preemption through PRCB.NextThread and the DISPATCH_LEVEL interrupt, a
 * better thread displacing NextThread, head or tail of the queue, the idle
 * thread never preempted), KiSwapThread, quantum end and round robin,
 * KeSetPriorityThread on ready, standby and running threads, KeYieldExecution.
 *
 * schedhost.c plays the processor: see schedhost.h. A switch is recorded and
 * returns at once; from then on the PRCB says the new thread runs, and the test
 * plays it. Every test ends with ShCheck (the queues, the summary, NextThread,
 * IRQL).
 */
#include <stdio.h>
#include <string.h>

#include "schedhost.h"

static KTHREAD A, B, C, D, E, F;

/* ---- helpers ---- */

/* KiReadyThread as its callers use it: dispatcher database held, then released
   (which is when a preemption it decided happens). */
static VOID MakeReady(PKTHREAD Thread)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    KiReadyThread(Thread);
    KiUnlockDispatcherDatabase(OldIrql);
}

/* KiReadyThread with the dispatcher database already held. */
static VOID ReadyLocked(PKTHREAD Thread)
{
    assert_true(ShIrql >= DISPATCH_LEVEL);
    KiReadyThread(Thread);
}

/* One clock tick, as the clock interrupt gives it, from whatever IRQL runs now. */
static VOID Tick(VOID)
{
    KIRQL OldIrql = KfRaiseIrql(CLOCK2_LEVEL);
    KiDecrementQuantum();
    KfLowerIrql(OldIrql);
}

static VOID AssertQueue(ULONG Priority, PKTHREAD Expected[], ULONG Count)
{
    ULONG Index;

    if (ShQueueLength(Priority) != Count)
        fail_msg("ready queue %lu holds %lu threads, expected %lu",
                 Priority, ShQueueLength(Priority), Count);
    for (Index = 0; Index < Count; Index++) {
        if (ShQueueThread(Priority, Index) != Expected[Index])
            fail_msg("ready queue %lu, position %lu: %p, expected %p",
                     Priority, Index, ShQueueThread(Priority, Index), Expected[Index]);
    }
}

/* ASSERT_QUEUE(8, &A, &B): queue 8 holds exactly A then B. */
#define ASSERT_QUEUE(Priority, ...)                                         \
    AssertQueue((Priority), (PKTHREAD[]){ __VA_ARGS__ },                    \
                sizeof((PKTHREAD[]){ __VA_ARGS__ }) / sizeof(PKTHREAD))
#define ASSERT_QUEUE_EMPTY(Priority) assert_int_equal(ShQueueLength(Priority), 0)

/* The Index-th switch (from 0) went from Old to New. */
static VOID AssertSwitch(ULONG Index, PKTHREAD Old, PKTHREAD New)
{
    assert_true(Index < ShSwitchCount);
    assert_ptr_equal(ShSwitches[Index].Old, Old);
    assert_ptr_equal(ShSwitches[Index].New, New);
}

static PKTHREAD Current(VOID)
{
    return ShPrcb.CurrentThread;
}

/* ---- the ready queues and the summary ---- */

static void test_initialize_dispatcher_empties_every_queue(void **State)
{
    ULONG Priority;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&B, 5);
    ShInitThread(&C, 31);
    MakeReady(&B);
    MakeReady(&C);
    assert_int_not_equal(KiReadySummary, 0);

    KiInitializeDispatcher();
    assert_int_equal(KiReadySummary, 0);
    for (Priority = 0; Priority < MAXIMUM_PRIORITY; Priority++)
        assert_true(IsListEmpty(&KiDispatcherReadyListHead[Priority]));
    assert_null(KiSelectReadyThread());
}

static void test_ready_thread_sets_the_summary_bit_of_its_priority(void **State)
{
    UNREFERENCED_PARAMETER(State);
    /* The idle thread runs: nothing is preempted, every thread is queued. */
    ShInitThread(&B, 1);
    ShInitThread(&C, 31);
    ShInitThread(&D, 16);
    ShInitThread(&E, 16);
    MakeReady(&B);
    assert_int_equal(B.State, Ready);
    assert_int_equal(KiReadySummary, 1UL << 1);
    ASSERT_QUEUE(1, &B);
    MakeReady(&C);
    assert_int_equal(KiReadySummary, (1UL << 1) | (1UL << 31));
    ASSERT_QUEUE(31, &C);
    MakeReady(&D);
    MakeReady(&E);
    assert_int_equal(KiReadySummary, (1UL << 1) | (1UL << 16) | (1UL << 31));
    ASSERT_QUEUE(16, &D, &E);
    ASSERT_QUEUE_EMPTY(0);
    ASSERT_QUEUE_EMPTY(15);
    ASSERT_QUEUE_EMPTY(17);
    ASSERT_QUEUE_EMPTY(30);
    assert_null(ShPrcb.NextThread);
    assert_int_equal(ShSwitchCount, 0);
}

static void test_select_takes_the_highest_priority_first(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&B, 3);
    ShInitThread(&C, 12);
    ShInitThread(&D, 7);
    ShInitThread(&E, 20);
    ShInitThread(&F, 1);
    MakeReady(&B);
    MakeReady(&C);
    MakeReady(&D);
    MakeReady(&E);
    MakeReady(&F);
    assert_int_equal(KiReadySummary, (1UL << 1) | (1UL << 3) | (1UL << 7) | (1UL << 12) | (1UL << 20));

    assert_ptr_equal(KiSelectReadyThread(), &E);
    assert_int_equal(KiReadySummary, (1UL << 1) | (1UL << 3) | (1UL << 7) | (1UL << 12));
    assert_ptr_equal(KiSelectReadyThread(), &C);
    assert_int_equal(KiReadySummary, (1UL << 1) | (1UL << 3) | (1UL << 7));
    assert_ptr_equal(KiSelectReadyThread(), &D);
    assert_ptr_equal(KiSelectReadyThread(), &B);
    assert_int_equal(KiReadySummary, 1UL << 1);
    assert_ptr_equal(KiSelectReadyThread(), &F);
    assert_int_equal(KiReadySummary, 0);
    assert_null(KiSelectReadyThread());
    /* Taken off the queues: nothing is Ready any more for ShCheck. */
    B.State = C.State = D.State = E.State = F.State = Initialized;
}

static void test_select_is_first_come_first_served_within_a_priority(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&B, 10);
    ShInitThread(&C, 10);
    ShInitThread(&D, 10);
    ShInitThread(&E, 4);
    ShInitThread(&F, 31);
    MakeReady(&B);
    MakeReady(&E);
    MakeReady(&C);
    MakeReady(&D);
    MakeReady(&F);
    ASSERT_QUEUE(10, &B, &C, &D);

    assert_ptr_equal(KiSelectReadyThread(), &F);
    assert_int_equal(KiReadySummary, (1UL << 4) | (1UL << 10));
    assert_ptr_equal(KiSelectReadyThread(), &B);
    assert_int_equal(KiReadySummary, (1UL << 4) | (1UL << 10));   /* C and D still wait */
    assert_ptr_equal(KiSelectReadyThread(), &C);
    assert_int_equal(KiReadySummary, (1UL << 4) | (1UL << 10));
    assert_ptr_equal(KiSelectReadyThread(), &D);
    assert_int_equal(KiReadySummary, 1UL << 4);
    assert_ptr_equal(KiSelectReadyThread(), &E);
    assert_int_equal(KiReadySummary, 0);
    assert_null(KiSelectReadyThread());
    B.State = C.State = D.State = E.State = F.State = Initialized;
}

static void test_lock_raises_to_dispatch_level_and_unlock_restores(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    OldIrql = KiLockDispatcherDatabase();
    assert_int_equal(OldIrql, PASSIVE_LEVEL);
    assert_int_equal(ShIrql, DISPATCH_LEVEL);
    KiUnlockDispatcherDatabase(OldIrql);
    assert_int_equal(ShIrql, PASSIVE_LEVEL);

    ShIrql = APC_LEVEL;
    OldIrql = KiLockDispatcherDatabase();
    assert_int_equal(OldIrql, APC_LEVEL);
    assert_int_equal(ShIrql, DISPATCH_LEVEL);
    KiUnlockDispatcherDatabase(OldIrql);
    assert_int_equal(ShIrql, APC_LEVEL);
    ShIrql = PASSIVE_LEVEL;
}

/* ---- KiReadyThread's decisions ---- */

static void test_ready_higher_priority_thread_preempts_the_running_one(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 10);
    ShRun(&A);

    OldIrql = KiLockDispatcherDatabase();
    ReadyLocked(&B);
    /* Decided, not done: B is next, and the DISPATCH_LEVEL interrupt is asked for. */
    assert_ptr_equal(ShPrcb.NextThread, &B);
    assert_int_equal(B.State, Standby);
    ASSERT_QUEUE_EMPTY(10);
    assert_int_equal(KiReadySummary, 0);
    assert_int_equal(ShDispatchRequests, 1);
    assert_true(ShDispatchPending);
    assert_int_equal(ShSwitchCount, 0);
    assert_int_equal(A.State, Running);
    assert_ptr_equal(Current(), &A);

    /* Done when IRQL drops below DISPATCH_LEVEL. */
    KiUnlockDispatcherDatabase(OldIrql);
    assert_int_equal(ShDispatchInterrupts, 1);
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    assert_ptr_equal(Current(), &B);
    assert_int_equal(B.State, Running);
    assert_int_equal(B.ContextSwitches, 1);
    assert_null(ShPrcb.NextThread);
    assert_int_equal(A.State, Ready);
    ASSERT_QUEUE(8, &A);
    assert_int_equal(ShReapCount, 1);
    assert_int_equal(ShIrql, PASSIVE_LEVEL);
    assert_true(ShInterruptsEnabled);
}

static void test_ready_equal_or_lower_priority_thread_queues_behind_the_running_one(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShInitThread(&C, 3);
    ShRun(&A);

    MakeReady(&B);
    MakeReady(&C);
    assert_null(ShPrcb.NextThread);
    assert_int_equal(ShDispatchRequests, 0);
    assert_int_equal(ShSwitchCount, 0);
    assert_ptr_equal(Current(), &A);
    ASSERT_QUEUE(8, &B);
    ASSERT_QUEUE(3, &C);
}

static void test_better_thread_displaces_next_thread_to_the_head_of_its_queue(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 10);
    ShInitThread(&C, 10);
    ShInitThread(&D, 12);
    ShInitThread(&E, 11);
    ShRun(&A);

    OldIrql = KiLockDispatcherDatabase();
    ReadyLocked(&B);
    assert_ptr_equal(ShPrcb.NextThread, &B);
    ReadyLocked(&C);                        /* equal to NextThread: queued */
    assert_ptr_equal(ShPrcb.NextThread, &B);
    ASSERT_QUEUE(10, &C);
    ReadyLocked(&D);                        /* better: D next, B back in front of C */
    assert_ptr_equal(ShPrcb.NextThread, &D);
    assert_int_equal(D.State, Standby);
    assert_int_equal(B.State, Ready);
    ASSERT_QUEUE(10, &B, &C);
    ReadyLocked(&E);                        /* above A, below D: queued */
    assert_ptr_equal(ShPrcb.NextThread, &D);
    ASSERT_QUEUE(11, &E);
    assert_int_equal(ShDispatchRequests, 1);
    assert_int_equal(ShSwitchCount, 0);
    KiUnlockDispatcherDatabase(OldIrql);

    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &D);
    ASSERT_QUEUE(8, &A);
    ASSERT_QUEUE(10, &B, &C);
    ASSERT_QUEUE(11, &E);
}

static void test_preempted_thread_goes_back_to_the_head_of_its_queue(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShInitThread(&C, 8);
    ShInitThread(&D, 9);
    ShRun(&A);
    MakeReady(&B);
    MakeReady(&C);
    ASSERT_QUEUE(8, &B, &C);

    MakeReady(&D);
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &D);
    /* A was running, not done with its turn: it is first of its priority again. */
    ASSERT_QUEUE(8, &A, &B, &C);
}

/* The current thread begins a wait and the best ready thread runs. */
static VOID WaitNow(VOID)
{
    KiLockDispatcherDatabase();
    Current()->State = Waiting;
    Current()->WaitIrql = PASSIVE_LEVEL;
    KiSwapThread();
}

static void test_preemption_is_forgotten_once_the_thread_has_run_again(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&C, 8);
    ShInitThread(&D, 9);
    ShInitThread(&E, 8);
    ShRun(&A);
    MakeReady(&C);
    MakeReady(&D);                          /* A preempted: in front of C */
    ASSERT_QUEUE(8, &A, &C);

    WaitNow();                              /* D waits: A runs again */
    AssertSwitch(1, &D, &A);
    WaitNow();                              /* A waits: C runs */
    AssertSwitch(2, &A, &C);
    MakeReady(&E);
    /* A's wait ends: an ordinary ready thread now, behind E. */
    MakeReady(&A);
    ASSERT_QUEUE(8, &E, &A);
    assert_int_equal(ShSwitchCount, 3);
}

static void test_idle_thread_is_never_preempted(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&B, 20);
    ShInitThread(&C, 31);
    assert_ptr_equal(Current(), &KiIdleThread);

    OldIrql = KiLockDispatcherDatabase();
    ReadyLocked(&B);
    ReadyLocked(&C);
    /* No NextThread, no interrupt: the idle loop looks at the queues itself. */
    assert_null(ShPrcb.NextThread);
    assert_int_equal(ShDispatchRequests, 0);
    assert_int_equal(B.State, Ready);
    ASSERT_QUEUE(20, &B);
    ASSERT_QUEUE(31, &C);
    KiUnlockDispatcherDatabase(OldIrql);
    assert_int_equal(ShSwitchCount, 0);
    assert_ptr_equal(Current(), &KiIdleThread);
}

static void test_idle_thread_has_no_quantum(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&B, 1);
    MakeReady(&B);
    KiIdleThread.Quantum = 3;
    Tick();
    Tick();
    Tick();
    assert_int_equal(KiIdleThread.Quantum, 3);
    assert_false(ShPrcb.QuantumEnd);
    assert_int_equal(ShDispatchRequests, 0);
    assert_int_equal(ShSwitchCount, 0);
}

static void test_dispatch_interrupt_leaves_switching_to_the_idle_loop(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&B, 10);
    /* A thread chosen while the idle thread runs, and a stale quantum end. */
    ShPrcb.NextThread = &B;
    B.State = Standby;
    ShPrcb.QuantumEnd = TRUE;

    OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
    KiDispatchInterrupt();
    KfLowerIrql(OldIrql);
    assert_int_equal(ShDpcRetires, 1);
    assert_false(ShPrcb.QuantumEnd);
    assert_int_equal(ShSwitchCount, 0);
    assert_ptr_equal(Current(), &KiIdleThread);
    assert_ptr_equal(ShPrcb.NextThread, &B);    /* the idle loop takes it */
}

static void test_ready_while_the_current_thread_waits_only_queues(void **State)
{
    KIRQL OldIrql;
    LONG Status;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 20);
    ShRun(&A);

    /* A is setting itself up to wait: whatever it readies meanwhile is queued,
       and its KiSwapThread picks the best. */
    OldIrql = KiLockDispatcherDatabase();
    A.State = Waiting;
    ReadyLocked(&B);
    assert_null(ShPrcb.NextThread);
    assert_int_equal(ShDispatchRequests, 0);
    ASSERT_QUEUE(20, &B);

    A.WaitIrql = OldIrql;
    A.WaitStatus = 0x55;
    Status = KiSwapThread();
    assert_int_equal(Status, 0x55);
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    assert_ptr_equal(Current(), &B);
    ASSERT_QUEUE_EMPTY(20);
}

/* ---- KiSwapThread ---- */

static void test_swap_thread_switches_to_the_best_ready_thread(void **State)
{
    LONG Status;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 5);
    ShInitThread(&C, 9);
    ShInitThread(&D, 9);
    ShRun(&A);

    KiLockDispatcherDatabase();
    A.State = Waiting;
    A.WaitIrql = APC_LEVEL;
    A.WaitStatus = STATUS_TIMEOUT;
    ReadyLocked(&B);
    ReadyLocked(&C);
    ReadyLocked(&D);
    Status = KiSwapThread();

    assert_int_equal(Status, STATUS_TIMEOUT);
    assert_int_equal(ShIrql, APC_LEVEL);        /* A's WaitIrql */
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &C);
    assert_int_equal(C.State, Running);
    assert_int_equal(C.ContextSwitches, 1);
    assert_int_equal(A.State, Waiting);
    ASSERT_QUEUE(9, &D);
    ASSERT_QUEUE(5, &B);
    assert_true(ShInterruptsEnabled);
    assert_int_equal(ShReapCount, 1);
    KfLowerIrql(PASSIVE_LEVEL);
}

static void test_swap_thread_takes_next_thread_first(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 10);
    ShInitThread(&C, 10);
    ShRun(&A);

    OldIrql = KiLockDispatcherDatabase();
    ReadyLocked(&B);                        /* preempts: B is next */
    ReadyLocked(&C);
    assert_ptr_equal(ShPrcb.NextThread, &B);
    A.State = Waiting;                      /* ... but A waits first */
    A.WaitIrql = OldIrql;
    A.WaitStatus = STATUS_SUCCESS;
    assert_int_equal(KiSwapThread(), STATUS_SUCCESS);

    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    assert_null(ShPrcb.NextThread);
    ASSERT_QUEUE(10, &C);
    /* The preemption asked for is taken, and has nothing left to do. */
    assert_int_equal(ShDispatchInterrupts, 1);
    assert_ptr_equal(Current(), &B);
}

static void test_swap_thread_runs_the_idle_thread_when_nothing_is_ready(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShRun(&A);

    KiLockDispatcherDatabase();
    A.State = Waiting;
    A.WaitIrql = PASSIVE_LEVEL;
    A.WaitStatus = STATUS_ALERTED;
    assert_int_equal(KiSwapThread(), STATUS_ALERTED);
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &KiIdleThread);
    assert_int_equal(KiIdleThread.State, Running);
    assert_int_equal(KiIdleThread.ContextSwitches, 1);
}

/* While A is switched out, a kernel APC is queued to it. */
static VOID QueueKernelApcToOld(PKTHREAD Old, PKTHREAD New)
{
    UNREFERENCED_PARAMETER(New);
    Old->ApcState.KernelApcPending = TRUE;
}

static void test_switched_in_thread_with_a_kernel_apc_pending_asks_for_the_apc_interrupt(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShInitThread(&C, 8);
    ShRun(&A);

    /* No APC: no request. */
    MakeReady(&B);
    KiLockDispatcherDatabase();
    A.State = Waiting;
    A.WaitIrql = PASSIVE_LEVEL;
    KiSwapThread();
    AssertSwitch(0, &A, &B);
    assert_int_equal(ShApcRequests, 0);

    /* B waits too; an APC for B arrives while C runs: B asks for it on its way back. */
    ShSwapHook = QueueKernelApcToOld;
    MakeReady(&C);
    KiLockDispatcherDatabase();
    B.State = Waiting;
    B.WaitIrql = PASSIVE_LEVEL;
    KiSwapThread();
    AssertSwitch(1, &B, &C);
    assert_int_equal(ShApcRequests, 1);
    assert_int_equal(ShApcInterrupts, 1);       /* taken when B's IRQL dropped */
    assert_int_equal(ShReapCount, 2);
}

/* ---- quantum end, round robin ---- */

static void test_quantum_lasts_two_clock_ticks(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShRun(&A);
    MakeReady(&B);

    OldIrql = KfRaiseIrql(CLOCK2_LEVEL);
    KiDecrementQuantum();
    assert_int_equal(A.Quantum, SH_THREAD_QUANTUM - 3);
    assert_false(ShPrcb.QuantumEnd);
    assert_int_equal(ShDispatchRequests, 0);
    KiDecrementQuantum();
    assert_true(A.Quantum <= 0);
    assert_true(ShPrcb.QuantumEnd);
    assert_int_equal(ShDispatchRequests, 1);
    assert_int_equal(ShSwitchCount, 0);         /* not in the middle of an interrupt */

    KfLowerIrql(OldIrql);
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    assert_false(ShPrcb.QuantumEnd);
    assert_int_equal(A.Quantum, SH_THREAD_QUANTUM);
    /* Its turn is over: behind everyone of its priority. */
    ASSERT_QUEUE(8, &A);
}

static void test_equal_priorities_take_turns(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShInitThread(&C, 8);
    ShInitThread(&D, 7);
    ShRun(&A);
    MakeReady(&B);
    MakeReady(&C);
    MakeReady(&D);

    Tick();
    assert_int_equal(ShSwitchCount, 0);
    Tick();
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    ASSERT_QUEUE(8, &C, &A);

    Tick();
    Tick();
    assert_int_equal(ShSwitchCount, 2);
    AssertSwitch(1, &B, &C);
    ASSERT_QUEUE(8, &A, &B);

    Tick();
    Tick();
    assert_int_equal(ShSwitchCount, 3);
    AssertSwitch(2, &C, &A);
    ASSERT_QUEUE(8, &B, &C);
    /* The lower priority never had a turn. */
    ASSERT_QUEUE(7, &D);
    assert_int_equal(D.ContextSwitches, 0);
}

static void test_quantum_end_without_an_equal_ready_thread_keeps_running(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 7);
    ShRun(&A);

    Tick();
    Tick();                                 /* nothing else ready */
    assert_int_equal(ShDispatchInterrupts, 1);
    assert_int_equal(ShSwitchCount, 0);
    assert_false(ShPrcb.QuantumEnd);
    assert_int_equal(A.Quantum, SH_THREAD_QUANTUM);

    MakeReady(&B);
    Tick();
    Tick();                                 /* only a lower priority ready */
    assert_int_equal(ShDispatchInterrupts, 2);
    assert_int_equal(ShSwitchCount, 0);
    assert_ptr_equal(Current(), &A);
    assert_int_equal(A.Quantum, SH_THREAD_QUANTUM);
    ASSERT_QUEUE(7, &B);
}

static void test_quantum_end_waits_for_irql_to_drop_below_dispatch_level(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShRun(&A);
    MakeReady(&B);

    OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
    Tick();
    Tick();
    Tick();
    assert_true(ShPrcb.QuantumEnd);
    assert_int_equal(ShSwitchCount, 0);
    assert_ptr_equal(Current(), &A);
    KfLowerIrql(OldIrql);
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    assert_false(ShPrcb.QuantumEnd);
}

/* A DPC that readies DpcThread (once). */
static PKTHREAD DpcThread;
static ULONG SwitchesSeenByDpc;
static VOID ReadyFromDpc(VOID)
{
    SwitchesSeenByDpc = ShSwitchCount;
    ShDpcHook = NULL;
    ReadyLocked(DpcThread);
}

static void test_dpc_readying_a_better_thread_switches_in_the_same_interrupt(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShInitThread(&C, 12);
    ShRun(&A);
    MakeReady(&B);

    /* A device interrupt queued the DPC. */
    SwitchesSeenByDpc = ~0UL;
    DpcThread = &C;
    ShDpcHook = ReadyFromDpc;
    OldIrql = KfRaiseIrql(PROFILE_LEVEL);
    HalRequestSoftwareInterrupt(DISPATCH_LEVEL);
    KfLowerIrql(OldIrql);

    assert_int_equal(SwitchesSeenByDpc, 0);     /* DPCs ran before the switch */
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &C);
    ASSERT_QUEUE(8, &A, &B);                    /* preempted: in front of B */
}

static void test_quantum_end_sees_a_thread_readied_by_a_dpc(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&E, 8);
    ShRun(&A);

    /* Nothing else ready when the quantum ends, but the interrupt's DPC readies E:
       DPCs run first, so E gets its turn now, not a quantum later. */
    DpcThread = &E;
    ShDpcHook = ReadyFromDpc;
    Tick();
    assert_int_equal(ShSwitchCount, 0);
    Tick();
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &E);
    ASSERT_QUEUE(8, &A);
}

static void test_quantum_end_does_not_replace_a_chosen_next_thread(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShInitThread(&C, 12);
    ShRun(&A);
    MakeReady(&B);

    /* The same dispatch interrupt finds A's quantum over and C made ready by a DPC. */
    OldIrql = KfRaiseIrql(CLOCK2_LEVEL);
    KiDecrementQuantum();
    KiDecrementQuantum();
    assert_true(ShPrcb.QuantumEnd);
    DpcThread = &C;
    ShDpcHook = ReadyFromDpc;
    KfLowerIrql(OldIrql);

    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &C);
    assert_int_equal(B.State, Ready);
    assert_int_equal(A.Quantum, SH_THREAD_QUANTUM);
    assert_false(ShPrcb.QuantumEnd);
    ASSERT_QUEUE(8, &A, &B);
}

/* ---- KeSetPriorityThread ---- */

static void test_set_priority_returns_the_old_priority(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShRun(&A);
    B.State = Waiting;

    assert_int_equal(KeSetPriorityThread(&B, 12), 8);
    assert_int_equal(B.Priority, 12);
    assert_int_equal(B.BasePriority, 12);
    assert_int_equal(KeQueryPriorityThread(&B), 12);
    assert_int_equal(B.State, Waiting);
    assert_int_equal(KeSetPriorityThread(&B, 3), 12);
    assert_int_equal(KeQueryPriorityThread(&B), 3);
    assert_int_equal(KiReadySummary, 0);
    assert_int_equal(ShSwitchCount, 0);
    assert_int_equal(ShIrql, PASSIVE_LEVEL);
}

static void test_set_priority_outside_1_to_31_asserts(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShRun(&A);
    SH_EXPECT_ASSERT(KeSetPriorityThread(&A, LOW_PRIORITY));
    SH_EXPECT_ASSERT(KeSetPriorityThread(&A, MAXIMUM_PRIORITY));
    assert_int_equal(A.Priority, 8);
    assert_int_equal(ShIrql, PASSIVE_LEVEL);
    assert_int_equal(KeSetPriorityThread(&A, HIGH_PRIORITY), 8);
    assert_int_equal(KeSetPriorityThread(&A, 1), HIGH_PRIORITY);
}

static void test_set_priority_of_a_ready_thread_moves_it_to_the_tail_of_its_new_queue(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 20);
    ShInitThread(&B, 5);
    ShInitThread(&C, 5);
    ShInitThread(&D, 7);
    ShRun(&A);
    MakeReady(&B);
    MakeReady(&C);
    MakeReady(&D);

    assert_int_equal(KeSetPriorityThread(&B, 7), 5);
    ASSERT_QUEUE(5, &C);
    ASSERT_QUEUE(7, &D, &B);
    assert_int_equal(KiReadySummary, (1UL << 5) | (1UL << 7));
    assert_int_equal(B.State, Ready);

    KeSetPriorityThread(&C, 7);
    ASSERT_QUEUE_EMPTY(5);
    ASSERT_QUEUE(7, &D, &B, &C);
    assert_int_equal(KiReadySummary, 1UL << 7);

    KeSetPriorityThread(&D, 3);
    ASSERT_QUEUE(3, &D);
    ASSERT_QUEUE(7, &B, &C);
    assert_int_equal(KiReadySummary, (1UL << 3) | (1UL << 7));
    assert_int_equal(ShSwitchCount, 0);
    assert_null(ShPrcb.NextThread);
}

static void test_set_priority_of_a_ready_thread_above_the_running_one_preempts(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 5);
    ShRun(&A);
    MakeReady(&B);

    assert_int_equal(KeSetPriorityThread(&B, 12), 5);
    /* Switched when KeSetPriorityThread released the dispatcher database. */
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    assert_ptr_equal(Current(), &B);
    ASSERT_QUEUE_EMPTY(5);
    ASSERT_QUEUE(8, &A);
}

static void test_set_priority_of_a_ready_thread_displaces_next_thread(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 5);
    ShInitThread(&C, 10);
    ShRun(&A);
    MakeReady(&B);

    OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
    ReadyLocked(&C);
    assert_ptr_equal(ShPrcb.NextThread, &C);
    KeSetPriorityThread(&B, 12);
    assert_ptr_equal(ShPrcb.NextThread, &B);
    assert_int_equal(B.State, Standby);
    assert_int_equal(C.State, Ready);
    ASSERT_QUEUE(10, &C);
    ASSERT_QUEUE_EMPTY(5);
    assert_int_equal(ShSwitchCount, 0);
    KfLowerIrql(OldIrql);

    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
}

static void test_set_priority_of_the_standby_thread_still_best_keeps_it_next(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 9);
    ShInitThread(&C, 12);
    ShInitThread(&F, 9);
    ShRun(&A);

    OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
    ReadyLocked(&C);
    ReadyLocked(&B);
    ReadyLocked(&F);
    assert_ptr_equal(ShPrcb.NextThread, &C);
    assert_int_equal(KeSetPriorityThread(&C, 10), 12);  /* still above B and F (9) */
    assert_ptr_equal(ShPrcb.NextThread, &C);
    assert_int_equal(C.State, Standby);
    assert_int_equal(C.Priority, 10);
    ASSERT_QUEUE_EMPTY(10);
    /* Equal to the best ready threads: not outranked, C stays next, B and F as they were. */
    assert_int_equal(KeSetPriorityThread(&C, 9), 10);
    assert_ptr_equal(ShPrcb.NextThread, &C);
    assert_int_equal(C.State, Standby);
    ASSERT_QUEUE(9, &B, &F);
    assert_int_equal(ShSwitchCount, 0);
    KfLowerIrql(OldIrql);
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &C);
    ASSERT_QUEUE(9, &B, &F);
}

static void test_set_priority_of_the_standby_thread_below_a_ready_one_gives_way(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 10);
    ShInitThread(&C, 12);
    ShRun(&A);

    OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
    ReadyLocked(&C);
    ReadyLocked(&B);
    assert_ptr_equal(ShPrcb.NextThread, &C);
    /* C at 9: below B (10), still above A (8). B is next; C waits its turn at 9. */
    KeSetPriorityThread(&C, 9);
    assert_ptr_equal(ShPrcb.NextThread, &B);
    assert_int_equal(B.State, Standby);
    assert_int_equal(C.State, Ready);
    ASSERT_QUEUE_EMPTY(10);
    ASSERT_QUEUE(9, &C);
    assert_int_equal(ShSwitchCount, 0);
    KfLowerIrql(OldIrql);

    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    ASSERT_QUEUE(8, &A);
    ASSERT_QUEUE(9, &C);
}

static void test_set_priority_of_the_standby_thread_below_everyone_gives_way(void **State)
{
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 10);
    ShInitThread(&C, 12);
    ShRun(&A);

    OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
    ReadyLocked(&C);
    ReadyLocked(&B);
    /* C at 5: below B and below A. B is next; C is only ready. */
    KeSetPriorityThread(&C, 5);
    assert_ptr_equal(ShPrcb.NextThread, &B);
    ASSERT_QUEUE(5, &C);
    KfLowerIrql(OldIrql);

    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    ASSERT_QUEUE(8, &A);
    ASSERT_QUEUE(5, &C);
}

static void test_set_priority_of_the_running_thread_below_a_ready_one_gives_way(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 12);
    ShInitThread(&B, 10);
    ShInitThread(&C, 9);
    ShRun(&A);
    MakeReady(&C);
    MakeReady(&B);

    /* Equal to the best ready thread: A keeps running. */
    assert_int_equal(KeSetPriorityThread(&A, 10), 12);
    assert_int_equal(ShSwitchCount, 0);
    assert_null(ShPrcb.NextThread);
    assert_int_equal(ShDispatchRequests, 0);
    assert_int_equal(A.State, Running);

    /* Below it: the best ready thread (B, not C) takes over, at once. */
    assert_int_equal(KeSetPriorityThread(&A, 9), 10);
    assert_int_equal(ShDispatchRequests, 1);
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    assert_ptr_equal(Current(), &B);
    /* Preempted, so in front of C, which was there before it. */
    ASSERT_QUEUE(9, &A, &C);
    ASSERT_QUEUE_EMPTY(10);
}

static void test_set_priority_of_the_running_thread_raised_keeps_it_running(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShRun(&A);
    MakeReady(&B);

    assert_int_equal(KeSetPriorityThread(&A, 15), 8);
    assert_int_equal(A.Priority, 15);
    assert_int_equal(A.State, Running);
    assert_null(ShPrcb.NextThread);
    assert_int_equal(ShDispatchRequests, 0);
    assert_int_equal(ShSwitchCount, 0);
    ASSERT_QUEUE(8, &B);
    /* And a thread of its old priority no longer takes turns with it. */
    Tick();
    Tick();
    assert_int_equal(ShSwitchCount, 0);
    assert_ptr_equal(Current(), &A);
}

/* ---- KeYieldExecution ---- */

static void test_yield_switches_to_a_ready_thread_of_equal_priority(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 8);
    ShInitThread(&C, 8);
    ShRun(&A);
    MakeReady(&B);
    MakeReady(&C);
    A.Quantum = 3;

    assert_int_equal(KeYieldExecution(), STATUS_SUCCESS);
    assert_int_equal(ShSwitchCount, 1);
    AssertSwitch(0, &A, &B);
    assert_ptr_equal(Current(), &B);
    /* A gave its turn away: behind C, with a fresh quantum for next time. */
    ASSERT_QUEUE(8, &C, &A);
    assert_int_equal(A.Quantum, SH_THREAD_QUANTUM);
    assert_int_equal(ShIrql, PASSIVE_LEVEL);
}

static void test_yield_without_an_equal_ready_thread_does_nothing(void **State)
{
    UNREFERENCED_PARAMETER(State);
    ShInitThread(&A, 8);
    ShInitThread(&B, 7);
    ShRun(&A);

    A.Quantum = 3;
    assert_int_equal(KeYieldExecution(), STATUS_NO_YIELD_PERFORMED);
    assert_int_equal(A.Quantum, SH_THREAD_QUANTUM);

    MakeReady(&B);
    A.Quantum = 3;
    assert_int_equal(KeYieldExecution(), STATUS_NO_YIELD_PERFORMED);
    assert_int_equal(A.Quantum, SH_THREAD_QUANTUM);
    assert_int_equal(ShSwitchCount, 0);
    assert_ptr_equal(Current(), &A);
    assert_int_equal(A.State, Running);
    ASSERT_QUEUE(7, &B);
    assert_int_equal(ShIrql, PASSIVE_LEVEL);
}

#define SCHED_TEST(Function) cmocka_unit_test_setup_teardown(Function, ShReset, ShCheck)

int main(void)
{
    const struct CMUnitTest Tests[] = {
        SCHED_TEST(test_initialize_dispatcher_empties_every_queue),
        SCHED_TEST(test_ready_thread_sets_the_summary_bit_of_its_priority),
        SCHED_TEST(test_select_takes_the_highest_priority_first),
        SCHED_TEST(test_select_is_first_come_first_served_within_a_priority),
        SCHED_TEST(test_lock_raises_to_dispatch_level_and_unlock_restores),
        SCHED_TEST(test_ready_higher_priority_thread_preempts_the_running_one),
        SCHED_TEST(test_ready_equal_or_lower_priority_thread_queues_behind_the_running_one),
        SCHED_TEST(test_better_thread_displaces_next_thread_to_the_head_of_its_queue),
        SCHED_TEST(test_preempted_thread_goes_back_to_the_head_of_its_queue),
        SCHED_TEST(test_preemption_is_forgotten_once_the_thread_has_run_again),
        SCHED_TEST(test_idle_thread_is_never_preempted),
        SCHED_TEST(test_idle_thread_has_no_quantum),
        SCHED_TEST(test_dispatch_interrupt_leaves_switching_to_the_idle_loop),
        SCHED_TEST(test_ready_while_the_current_thread_waits_only_queues),
        SCHED_TEST(test_swap_thread_switches_to_the_best_ready_thread),
        SCHED_TEST(test_swap_thread_takes_next_thread_first),
        SCHED_TEST(test_swap_thread_runs_the_idle_thread_when_nothing_is_ready),
        SCHED_TEST(test_switched_in_thread_with_a_kernel_apc_pending_asks_for_the_apc_interrupt),
        SCHED_TEST(test_quantum_lasts_two_clock_ticks),
        SCHED_TEST(test_equal_priorities_take_turns),
        SCHED_TEST(test_quantum_end_without_an_equal_ready_thread_keeps_running),
        SCHED_TEST(test_quantum_end_waits_for_irql_to_drop_below_dispatch_level),
        SCHED_TEST(test_dpc_readying_a_better_thread_switches_in_the_same_interrupt),
        SCHED_TEST(test_quantum_end_sees_a_thread_readied_by_a_dpc),
        SCHED_TEST(test_quantum_end_does_not_replace_a_chosen_next_thread),
        SCHED_TEST(test_set_priority_returns_the_old_priority),
        SCHED_TEST(test_set_priority_outside_1_to_31_asserts),
        SCHED_TEST(test_set_priority_of_a_ready_thread_moves_it_to_the_tail_of_its_new_queue),
        SCHED_TEST(test_set_priority_of_a_ready_thread_above_the_running_one_preempts),
        SCHED_TEST(test_set_priority_of_a_ready_thread_displaces_next_thread),
        SCHED_TEST(test_set_priority_of_the_standby_thread_still_best_keeps_it_next),
        SCHED_TEST(test_set_priority_of_the_standby_thread_below_a_ready_one_gives_way),
        SCHED_TEST(test_set_priority_of_the_standby_thread_below_everyone_gives_way),
        SCHED_TEST(test_set_priority_of_the_running_thread_below_a_ready_one_gives_way),
        SCHED_TEST(test_set_priority_of_the_running_thread_raised_keeps_it_running),
        SCHED_TEST(test_yield_switches_to_a_ready_thread_of_equal_priority),
        SCHED_TEST(test_yield_without_an_equal_ready_thread_does_nothing),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

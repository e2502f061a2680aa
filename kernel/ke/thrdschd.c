/*
 * thrdschd.c - the scheduler (NT: KiReadyThread, KiSwapThread, KiSelectReadyThread,
 * KiQuantumEnd, KiDispatchInterrupt, KeSetPriorityThread).
 *
 * 32 priorities, one FIFO ready queue each and a summary bitmap (bit n: queue n is
 * not empty), so the best ready thread is found with one bit scan. The highest
 * priority runs; equal priorities take turns when a quantum ends; a thread made
 * ready at a higher priority than the running one becomes PRCB.NextThread and
 * takes over at the next point where IRQL drops below DISPATCH_LEVEL - never in
 * the middle of an interrupt.
 */
#include "ki.h"
#include <kd.h>

#ifdef NT_HOST_TEST
/*
 * The host unit tests (tests/unit/test_sched.c) run in a Linux process: no KPCR
 * behind fs, and cli/sti fault in user mode. tests/unit/schedhost.c gives the
 * PRCB, the current thread and the interrupt flag instead. This is the one place
 * where the scheduler differs between the kernel and its tests.
 */
PKPRCB KiHostGetCurrentPrcb(VOID);
PKTHREAD KiHostGetCurrentThread(VOID);
BOOLEAN KiHostDisableInterrupts(VOID);
VOID KiHostRestoreInterrupts(BOOLEAN Enabled);
#define KeGetCurrentPrcb()           KiHostGetCurrentPrcb()
#define KeGetCurrentThread()         KiHostGetCurrentThread()
#define KiDisableInterrupts()        KiHostDisableInterrupts()
#define KiRestoreInterrupts(Enabled) KiHostRestoreInterrupts(Enabled)
#endif

LIST_ENTRY KiDispatcherReadyListHead[MAXIMUM_PRIORITY];
ULONG KiReadySummary;

/* Quantum in thirds of a clock tick, as NT counts: 6 (two ticks) per turn. */
#define THREAD_QUANTUM           6
#define CLOCK_QUANTUM_DECREMENT  3

VOID KiInitializeDispatcher(VOID)
{
    ULONG Priority;

    for (Priority = 0; Priority < MAXIMUM_PRIORITY; Priority++)
        InitializeListHead(&KiDispatcherReadyListHead[Priority]);
    KiReadySummary = 0;
}

KIRQL KiLockDispatcherDatabase(VOID)
{
    return KfRaiseIrql(DISPATCH_LEVEL);
}

VOID KiUnlockDispatcherDatabase(KIRQL OldIrql)
{
    /* A preemption decided while we held the lock happens as the level drops:
       KiReadyThread asked for the DISPATCH_LEVEL software interrupt. */
    KfLowerIrql(OldIrql);
}

static VOID KipInsertReady(PKTHREAD Thread, BOOLEAN AtHead)
{
    ULONG Priority = (ULONG)Thread->Priority;

    Thread->State = Ready;
    if (AtHead)
        InsertHeadList(&KiDispatcherReadyListHead[Priority], &Thread->WaitListEntry);
    else
        InsertTailList(&KiDispatcherReadyListHead[Priority], &Thread->WaitListEntry);
    KiReadySummary |= 1UL << Priority;
}

static VOID KipRemoveReady(PKTHREAD Thread)
{
    ULONG Priority = (ULONG)Thread->Priority;

    if (RemoveEntryList(&Thread->WaitListEntry))
        KiReadySummary &= ~(1UL << Priority);
}

PKTHREAD KiSelectReadyThread(VOID)
{
    ULONG Priority;
    PKTHREAD Thread;

    if (KiReadySummary == 0)
        return NULL;
    Priority = 31 - (ULONG)__builtin_clz(KiReadySummary);
    Thread = CONTAINING_RECORD(KiDispatcherReadyListHead[Priority].Flink, KTHREAD, WaitListEntry);
    KipRemoveReady(Thread);
    return Thread;
}

VOID KiReadyThread(PKTHREAD Thread)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    PKTHREAD Current = Prcb->CurrentThread, Next = Prcb->NextThread;
    BOOLEAN Preempted = Thread->Preempted;

    Thread->Preempted = FALSE;
    /* Outranks what would run next: it goes in front, and whoever was chosen
       goes back to the head of its queue. */
    if (Next != NULL && Thread->Priority > Next->Priority) {
        KipInsertReady(Next, TRUE);
        Prcb->NextThread = Thread;
        Thread->State = Standby;
        return;
    }
    if (Next == NULL && Current->State == Running && Current != Prcb->IdleThread &&
        Thread->Priority > Current->Priority) {
        Prcb->NextThread = Thread;
        Thread->State = Standby;
        HalRequestSoftwareInterrupt(DISPATCH_LEVEL);
        return;
    }
    if (Next == NULL && Current == Prcb->IdleThread) {
        /* The idle loop picks it up; no need to interrupt anything. */
        KipInsertReady(Thread, Preempted);
        return;
    }
    KipInsertReady(Thread, Preempted);
}

/*
 * A thread coming back onto the processor with kernel APCs queued while it was
 * ready or preempted: ask for the APC_LEVEL interrupt, which runs them as soon as
 * its IRQL drops (NT's SwapContext does the same).
 */
VOID KiCheckApcOnSwitchIn(PKTHREAD Thread)
{
    if (Thread->ApcState.KernelApcPending)
        HalRequestSoftwareInterrupt(APC_LEVEL);
}

/*
 * Switches from the current thread to New (dispatcher database held). Returns in
 * the context of whichever thread is later switched back to this point.
 */
static VOID KipSwitchTo(PKTHREAD New)
{
    PKTHREAD Old = KeGetCurrentThread();
    BOOLEAN Enabled;

    if (New == Old) {
        New->State = Running;
        return;
    }
    New->State = Running;
    New->ContextSwitches++;
    Enabled = KiDisableInterrupts();
    KiPrepareSwitch(Old, New);
    KiSwapContext(Old, New);
    /* Back in Old, some time later (Enabled is Old's own, from its stack). */
    KiRestoreInterrupts(Enabled);
    KiReapTerminatedThreads();
    KiCheckApcOnSwitchIn(Old);
}

LONG KiSwapThread(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    PKTHREAD Current = Prcb->CurrentThread, Next = Prcb->NextThread;

    if (Next != NULL)
        Prcb->NextThread = NULL;
    else
        Next = KiSelectReadyThread();
    if (Next == NULL)
        Next = Prcb->IdleThread;
    KipSwitchTo(Next);
    KfLowerIrql(Current->WaitIrql);
    return Current->WaitStatus;
}

/* The running thread's quantum ran out: let an equal (or better) ready thread run. */
static VOID KipQuantumEnd(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    PKTHREAD Current = Prcb->CurrentThread;

    /* The end was asked for by another thread than the one running now (it
       waited meanwhile): this one has its own quantum to use. */
    if (Current == Prcb->IdleThread || Current->Quantum > 0)
        return;
    Current->Quantum = THREAD_QUANTUM;
    /* A boost from a wait wears off, one level per quantum (not below the base,
       and never for real-time threads, which get none). */
    if (Current->Priority > Current->BasePriority && Current->Priority < LOW_REALTIME_PRIORITY)
        Current->Priority--;
    if (Prcb->NextThread != NULL)
        return;
    if (KiReadySummary & ~((1UL << Current->Priority) - 1)) {
        Prcb->NextThread = KiSelectReadyThread();
        Prcb->NextThread->State = Standby;
    }
}

VOID KiDispatchInterrupt(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    PKTHREAD Current, Next;

    KiRetireDpcList();
    if (Prcb->QuantumEnd) {
        Prcb->QuantumEnd = FALSE;
        KipQuantumEnd();
    }
    Next = Prcb->NextThread;
    Current = Prcb->CurrentThread;
    if (Next == NULL || Current == Prcb->IdleThread)
        return;         /* the idle loop does its own switching */
    Prcb->NextThread = NULL;
    /* Preempted by a better thread: first in line at its priority when it is
       ready again. At quantum end: the back of the line. */
    Current->Preempted = Next->Priority > Current->Priority;
    KiReadyThread(Current);
    KipSwitchTo(Next);
}

/* Called by the clock at every tick, at CLOCK2_LEVEL. */
VOID KiDecrementQuantum(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    PKTHREAD Current = Prcb->CurrentThread;

    if (Current == Prcb->IdleThread)
        return;
    Current->Quantum -= CLOCK_QUANTUM_DECREMENT;
    if (Current->Quantum <= 0) {
        Prcb->QuantumEnd = TRUE;
        HalRequestSoftwareInterrupt(DISPATCH_LEVEL);
    }
}

KPRIORITY KeQueryPriorityThread(PKTHREAD Thread)
{
    return Thread->Priority;
}

/*
 * After a priority changed: is PRCB.NextThread still the right choice? Cancels a
 * pending preemption the running thread now outranks (the thread goes back to the
 * head of its queue, its place kept), and lets a ready thread that now outranks
 * both the running thread and the chosen one take the chosen one's place.
 */
static VOID KipReconsiderPreemption(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    PKTHREAD Current = Prcb->CurrentThread, Next = Prcb->NextThread;
    ULONG Best;

    if (Current == Prcb->IdleThread)
        return;                         /* the idle loop chooses for itself */
    if (Next != NULL && Next->Priority <= Current->Priority) {
        Prcb->NextThread = NULL;
        KipInsertReady(Next, TRUE);
        Next = NULL;
    }
    if (KiReadySummary != 0) {
        Best = 31 - (ULONG)__builtin_clz(KiReadySummary);
        if (Best > (ULONG)(Next != NULL ? Next->Priority : Current->Priority)) {
            if (Next != NULL)
                KipInsertReady(Next, TRUE);
            Prcb->NextThread = KiSelectReadyThread();
            Prcb->NextThread->State = Standby;
            HalRequestSoftwareInterrupt(DISPATCH_LEVEL);
        }
    }
}

/*
 * Sets a thread's priority; as its base too, so a boost it had is dropped (this
 * kernel has no separate KeSetBasePriorityThread yet).
 */
KPRIORITY KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority)
{
    KIRQL OldIrql;
    KPRIORITY OldPriority;
    PKPRCB Prcb = KeGetCurrentPrcb();

    /* As in NT, a caller's bug: priority 0 belongs to the idle thread alone. */
    ASSERT(Priority > LOW_PRIORITY && Priority <= HIGH_PRIORITY);
    OldIrql = KiLockDispatcherDatabase();
    OldPriority = Thread->Priority;
    Thread->BasePriority = (CHAR)Priority;
    if (Priority != OldPriority) {
        switch (Thread->State) {
        case Ready:
            KipRemoveReady(Thread);
            Thread->Priority = (CHAR)Priority;
            KipInsertReady(Thread, FALSE);
            break;
        case Standby:
            /* Chosen to run next: back in line at its new priority, then choose again. */
            Prcb->NextThread = NULL;
            Thread->Priority = (CHAR)Priority;
            KipInsertReady(Thread, TRUE);
            break;
        default:
            Thread->Priority = (CHAR)Priority;
            break;
        }
        KipReconsiderPreemption();
    }
    KiUnlockDispatcherDatabase(OldIrql);
    return OldPriority;
}

NTSTATUS KeYieldExecution(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    PKTHREAD Current = Prcb->CurrentThread, Next;
    KIRQL OldIrql = KiLockDispatcherDatabase();
    NTSTATUS Status = STATUS_NO_YIELD_PERFORMED;

    Current->Quantum = THREAD_QUANTUM;
    if (Prcb->NextThread == NULL && (KiReadySummary & ~((1UL << Current->Priority) - 1))) {
        Next = KiSelectReadyThread();
        Current->Preempted = FALSE;
        KiReadyThread(Current);
        KipSwitchTo(Next);
        Status = STATUS_SUCCESS;
    }
    KiUnlockDispatcherDatabase(OldIrql);
    return Status;
}

/*
 * The idle thread (NT: KiIdleLoop): runs whatever becomes ready, and halts the
 * processor while nothing is. "sti; hlt" cannot miss a wake-up: the interrupt that
 * readies a thread can only arrive once HLT has started, and it ends the HLT.
 */
VOID KiIdleLoop(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();

    for (;;) {
        PKTHREAD Next;
        KIRQL OldIrql;

        _disable();
        if (KiReadySummary == 0 && Prcb->NextThread == NULL) {
            __asm__ volatile("sti; hlt" ::: "memory");
            continue;
        }
        _enable();
        OldIrql = KiLockDispatcherDatabase();
        Next = Prcb->NextThread;
        if (Next != NULL)
            Prcb->NextThread = NULL;
        else
            Next = KiSelectReadyThread();
        if (Next != NULL) {
            KiIdleThread.State = Ready;     /* never on a queue: chosen when none is ready */
            KipSwitchTo(Next);
            KiIdleThread.State = Running;
        }
        KiUnlockDispatcherDatabase(OldIrql);
    }
}

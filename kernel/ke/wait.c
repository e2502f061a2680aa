/*
 * wait.c - waiting (NT: KeWaitForSingleObject, KeWaitForMultipleObjects,
 * KeDelayExecutionThread, in ke\wait.c).
 *
 * One loop serves all three. Each pass, with the dispatcher database held:
 *   1. a kernel APC the thread could take now goes first: release the database
 *      (the APC runs as IRQL drops) and start the pass again;
 *   2. if the objects satisfy the wait already, take their effect and return;
 *   3. an alertable wait returns STATUS_ALERTED / STATUS_USER_APC when there is
 *      reason to; a zero timeout returns STATUS_TIMEOUT;
 *   4. otherwise arm the thread's timer for the timeout, link the wait blocks
 *      onto the objects, become Waiting and KiSwapThread.
 * KiSwapThread returns, at the IRQL the wait began at, with whatever status
 * KiUnwaitThread gave. STATUS_KERNEL_APC means the wait was only interrupted to
 * run a kernel APC (the APC has run by then): the loop goes round again, with a
 * relative timeout shortened by the time already waited, as NT does.
 */
#include "waitp.h"

/*
 * Waiting is a bug at DISPATCH_LEVEL unless it cannot block (a zero timeout), and
 * always above it: NT's IRQL_NOT_LESS_OR_EQUAL, naming the object and the caller.
 */
static VOID KipCheckWaitIrql(KIRQL Irql, PLARGE_INTEGER Timeout, PVOID Object,
                             PVOID Caller)
{
    BOOLEAN Polls = Timeout != NULL && Timeout->QuadPart == 0;

    if (Irql > DISPATCH_LEVEL || (Irql == DISPATCH_LEVEL && !Polls))
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, (ULONG_PTR)Object, Irql, 0,
                     (ULONG_PTR)Caller);
}

/*
 * What is left of a relative timeout after a wait was interrupted (NT:
 * KiComputeWaitInterval). An absolute one stays as it was. A relative one ends at
 * DueTime in interrupt time: the remainder, or zero (just test the objects) when
 * it has run out.
 */
static PLARGE_INTEGER KipComputeWaitInterval(PLARGE_INTEGER OriginalTime, ULONGLONG DueTime,
                                             PLARGE_INTEGER NewTime)
{
    ULONGLONG Now;

    if (OriginalTime->QuadPart >= 0)
        return OriginalTime;
    Now = KeQueryInterruptTime();
    NewTime->QuadPart = Now < DueTime ? -(LONGLONG)(DueTime - Now) : 0;
    return NewTime;
}

/*
 * A mutant its owner holds MINLONG deep cannot be taken once more: NT raises
 * STATUS_MUTANT_LIMIT_EXCEEDED rather than let the count wrap.
 */
static VOID KipCheckMutantLimit(PVOID Object, PKTHREAD Thread)
{
    PKMUTANT Mutant = Object;

    if (Mutant->Header.Type == MutantObject && Mutant->OwnerThread == Thread &&
        Mutant->Header.SignalState == MINLONG) {
        KiUnlockDispatcherDatabase(Thread->WaitIrql);
        ExRaiseStatus(STATUS_MUTANT_LIMIT_EXCEEDED);
    }
}

/*
 * Step 2: returns the status of a wait the objects satisfy now (having taken
 * their effect), or STATUS_PENDING. The wait blocks are filled in and in a ring.
 */
static NTSTATUS KipTestObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                               PKWAIT_BLOCK WaitBlockArray, PKTHREAD Thread)
{
    ULONG Index;

    if (WaitType == WaitAny) {
        for (Index = 0; Index < Count; Index++) {
            KipCheckMutantLimit(Object[Index], Thread);
            if (KiIsObjectSignaled(Object[Index], Thread))
                return (NTSTATUS)Index | KiWaitSatisfyAny(Object[Index], Thread);
        }
        return STATUS_PENDING;
    }
    for (Index = 0; Index < Count; Index++) {
        KipCheckMutantLimit(Object[Index], Thread);
        if (!KiIsObjectSignaled(Object[Index], Thread))
            return STATUS_PENDING;
    }
    return Count == 0 ? STATUS_WAIT_0 : STATUS_WAIT_0 | KiWaitSatisfyAll(WaitBlockArray);
}

/* Step 3: a reason for an alertable (or user-mode) wait to end at once. */
static NTSTATUS KipTestAlert(PKTHREAD Thread, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable)
{
    if (Alertable) {
        if (Thread->Alerted[(UCHAR)WaitMode]) {
            Thread->Alerted[(UCHAR)WaitMode] = FALSE;
            return STATUS_ALERTED;
        }
        if (WaitMode == UserMode && !IsListEmpty(&Thread->ApcState.ApcListHead[UserMode])) {
            Thread->ApcState.UserApcPending = TRUE;
            return STATUS_USER_APC;
        }
        if (Thread->Alerted[KernelMode]) {
            Thread->Alerted[KernelMode] = FALSE;
            return STATUS_ALERTED;
        }
    } else if (WaitMode == UserMode && Thread->ApcState.UserApcPending) {
        /* Not alertable, but user APCs must run (a thread being terminated). */
        return STATUS_USER_APC;
    }
    return STATUS_PENDING;
}

/* Fills in the wait blocks, one per object, in a ring (no timer yet). */
static VOID KipBuildWaitBlocks(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                               PKWAIT_BLOCK WaitBlockArray, PKTHREAD Thread)
{
    ULONG Index;

    for (Index = 0; Index < Count; Index++) {
        PKWAIT_BLOCK WaitBlock = &WaitBlockArray[Index];

        WaitBlock->Thread = Thread;
        WaitBlock->Object = Object[Index];
        WaitBlock->WaitKey = (USHORT)Index;
        WaitBlock->WaitType = (USHORT)WaitType;
        WaitBlock->NextWaitBlock = &WaitBlockArray[Index + 1 < Count ? Index + 1 : 0];
    }
    Thread->WaitBlockList = Count != 0 ? WaitBlockArray : NULL;
}

/*
 * Step 4, the timeout: arms the thread's timer and puts its wait block last in
 * the ring. FALSE, with nothing armed, when the time has already come.
 */
static BOOLEAN KipArmWaitTimer(PKTHREAD Thread, LARGE_INTEGER Timeout, PULONGLONG DueTime)
{
    PKTIMER Timer = &Thread->Timer;
    PKWAIT_BLOCK TimerBlock = &Thread->WaitBlock[TIMER_WAIT_BLOCK];
    PKWAIT_BLOCK First = Thread->WaitBlockList, Last;

    if (!KiInsertTimer(Timer, Timeout))
        return FALSE;
    *DueTime = Timer->DueTime.QuadPart;
    TimerBlock->Thread = Thread;
    TimerBlock->Object = Timer;
    TimerBlock->WaitKey = (USHORT)STATUS_TIMEOUT;
    TimerBlock->WaitType = WaitAny;
    InitializeListHead(&Timer->Header.WaitListHead);
    InsertTailList(&Timer->Header.WaitListHead, &TimerBlock->WaitListEntry);
    if (First == NULL) {
        TimerBlock->NextWaitBlock = TimerBlock;
        Thread->WaitBlockList = TimerBlock;
    } else {
        for (Last = First; Last->NextWaitBlock != First; Last = Last->NextWaitBlock)
            ;
        Last->NextWaitBlock = TimerBlock;
        TimerBlock->NextWaitBlock = First;
    }
    return TRUE;
}

static NTSTATUS KipWait(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                        KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                        PLARGE_INTEGER Timeout, PKWAIT_BLOCK WaitBlockArray, PVOID Caller)
{
    PKTHREAD Thread = KeGetCurrentThread();
    PLARGE_INTEGER OriginalTimeout = Timeout;
    LARGE_INTEGER RemainingTimeout;
    ULONGLONG DueTime = 0;
    ULONG Index;
    NTSTATUS Status;

    /* After a Set or Release with Wait TRUE the database is held already. */
    if (Thread->WaitNext) {
        Thread->WaitNext = FALSE;
        KipCheckWaitIrql(Thread->WaitIrql, Timeout, Count != 0 ? Object[0] : NULL, Caller);
    } else {
        KipCheckWaitIrql(KeGetCurrentIrql(), Timeout, Count != 0 ? Object[0] : NULL, Caller);
        Thread->WaitIrql = KiLockDispatcherDatabase();
    }

    for (;;) {
        /* 1. A kernel APC waiting to run goes first; the unlock delivers it. */
        if (Thread->ApcState.KernelApcPending && Thread->WaitIrql < APC_LEVEL) {
            HalRequestSoftwareInterrupt(APC_LEVEL);
            KiUnlockDispatcherDatabase(Thread->WaitIrql);
            Thread->WaitIrql = KiLockDispatcherDatabase();
            continue;
        }

        Thread->WaitStatus = 0;
        Thread->Alertable = Alertable;
        Thread->WaitMode = WaitMode;
        Thread->WaitReason = (UCHAR)WaitReason;
        KipBuildWaitBlocks(Count, Object, WaitType, WaitBlockArray, Thread);

        /* 2. Satisfied already? */
        Status = KipTestObjects(Count, Object, WaitType, WaitBlockArray, Thread);
        if (Status != STATUS_PENDING)
            break;

        /* 3. Alerted, user APCs to run, or not allowed to block? */
        Status = KipTestAlert(Thread, WaitMode, Alertable);
        if (Status != STATUS_PENDING)
            break;
        if (Timeout != NULL) {
            if (Timeout->QuadPart == 0 || !KipArmWaitTimer(Thread, *Timeout, &DueTime)) {
                Status = STATUS_TIMEOUT;
                break;
            }
        }

        /* 4. Block. */
        for (Index = 0; Index < Count; Index++) {
            PDISPATCHER_HEADER Header = Object[Index];
            InsertTailList(&Header->WaitListHead, &WaitBlockArray[Index].WaitListEntry);
        }
        Thread->WaitTime = KeTickCount;
        Thread->State = Waiting;
        Status = KiSwapThread();
        if (Status != STATUS_KERNEL_APC)
            return Status;

        /* Interrupted by a kernel APC, which has run: wait again, for what is left. */
        if (Timeout != NULL)
            Timeout = KipComputeWaitInterval(OriginalTimeout, DueTime, &RemainingTimeout);
        Thread->WaitIrql = KiLockDispatcherDatabase();
    }

    KiUnlockDispatcherDatabase(Thread->WaitIrql);
    return Status;
}

NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                  KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                  PKWAIT_BLOCK WaitBlockArray)
{
    if (Count > MAXIMUM_WAIT_OBJECTS)
        KeBugCheckEx(MAXIMUM_WAIT_OBJECTS_EXCEEDED, Count, (ULONG_PTR)WaitBlockArray, 0, 0);
    if (WaitBlockArray == NULL) {
        /* The thread's own blocks: three, the fourth belongs to its timer. */
        if (Count > THREAD_WAIT_OBJECTS)
            KeBugCheckEx(MAXIMUM_WAIT_OBJECTS_EXCEEDED, Count, 0, 0, 0);
        WaitBlockArray = KeGetCurrentThread()->WaitBlock;
    }
    return KipWait(Count, Object, WaitType, WaitReason, WaitMode, Alertable, Timeout,
                   WaitBlockArray, __builtin_return_address(0));
}

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
                               KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                               PLARGE_INTEGER Timeout)
{
    return KipWait(1, &Object, WaitAny, WaitReason, WaitMode, Alertable, Timeout,
                   KeGetCurrentThread()->WaitBlock, __builtin_return_address(0));
}

/*
 * A delay is a wait on no object at all: only the timeout (STATUS_TIMEOUT, which
 * here means success), an alert or a user APC can end it.
 */
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                PLARGE_INTEGER Interval)
{
    NTSTATUS Status;

    Status = KipWait(0, NULL, WaitAny, DelayExecution, WaitMode, Alertable, Interval,
                     NULL, __builtin_return_address(0));
    if (Status != STATUS_TIMEOUT)
        return Status;
    /* Sleep(0): the rest of the quantum goes to a ready thread of equal priority. */
    if (Interval->QuadPart == 0 && KeGetCurrentIrql() < DISPATCH_LEVEL)
        KeYieldExecution();
    return STATUS_SUCCESS;
}

/*
 * kehost.c - the kernel core around the dispatcher objects, for the host unit
 * tests: see kehost.h for what each stand-in does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kehost.h"

PKTHREAD KhCurrentThread;
KTHREAD KhMainThread;
KTHREAD KhOtherThread;

KIRQL KhIrql;
BOOLEAN KhApcInterruptRequested;
ULONG KhApcInterruptRequests;
ULONG KhDispatchInterruptRequests;
ULONG KhLockCount, KhUnlockCount;

PKTHREAD KhReadied[KH_MAX_RECORDS];
LONG KhReadiedStatus[KH_MAX_RECORDS];
ULONG KhReadyCount;
KH_SWAP_HOOK KhSwapHook;
ULONG KhSwapCount;
BOOLEAN KhSwitchInRequestsApc;

ULONGLONG KhInterruptTime;
volatile ULONG KeTickCount;

PKDPC KhQueuedDpc[KH_MAX_RECORDS];
PVOID KhQueuedDpcArgument1[KH_MAX_RECORDS], KhQueuedDpcArgument2[KH_MAX_RECORDS];
ULONG KhQueuedDpcCount;
ULONG KhYieldCount;

jmp_buf KhJump;
BOOLEAN KhJumpArmed;
ULONG KhBugCheckCode;
ULONG_PTR KhBugCheckParameter[4];
NTSTATUS KhRaisedStatus;

/* Threads and timers whose timers may sit in the timer table at the end of a test. */
#define KH_MAX_TRACKED 64
static PKTHREAD KhThreads[KH_MAX_TRACKED];
static ULONG KhThreadCount;
static PKTIMER KhTimers[KH_MAX_TRACKED];
static ULONG KhTimerCount;

/* KhStartWait: KiSwapThread jumps back here instead of blocking. */
static jmp_buf KhParkJump;
static BOOLEAN KhParking;

/* ---- the current thread and IRQL (waitp.h's seam) ---- */

PKTHREAD KiHostGetCurrentThread(VOID)
{
    return KhCurrentThread;
}

KIRQL KiHostGetCurrentIrql(VOID)
{
    return KhIrql;
}

/* ---- IRQL ---- */

KIRQL KfRaiseIrql(KIRQL NewIrql)
{
    KIRQL OldIrql = KhIrql;

    if (NewIrql < OldIrql)
        fail_msg("KfRaiseIrql(%u) at IRQL %u", NewIrql, OldIrql);
    KhIrql = NewIrql;
    return OldIrql;
}

VOID KfLowerIrql(KIRQL NewIrql)
{
    if (NewIrql > KhIrql)
        fail_msg("KfLowerIrql(%u) at IRQL %u", NewIrql, KhIrql);
    KhIrql = NewIrql;
    /* The APC software interrupt, as the HAL takes it. */
    while (NewIrql < APC_LEVEL && KhApcInterruptRequested) {
        KhApcInterruptRequested = FALSE;
        KhIrql = APC_LEVEL;
        KiDeliverApc(KernelMode, NULL, NULL);
        assert_int_equal(KhIrql, APC_LEVEL);
        KhIrql = NewIrql;
    }
}

VOID HalRequestSoftwareInterrupt(KIRQL RequestIrql)
{
    if (RequestIrql == APC_LEVEL) {
        KhApcInterruptRequests++;
        KhApcInterruptRequested = TRUE;
    } else {
        KhDispatchInterruptRequests++;
    }
    if (KhIrql < RequestIrql)
        KfLowerIrql(KhIrql);
}

KIRQL KiLockDispatcherDatabase(VOID)
{
    KhLockCount++;
    return KfRaiseIrql(DISPATCH_LEVEL);
}

VOID KiUnlockDispatcherDatabase(KIRQL OldIrql)
{
    assert_int_equal(KhIrql, DISPATCH_LEVEL);
    KhUnlockCount++;
    KfLowerIrql(OldIrql);
}

/* ---- the scheduler ---- */

VOID KiReadyThread(PKTHREAD Thread)
{
    assert_int_equal(KhIrql, DISPATCH_LEVEL);
    assert_true(KhReadyCount < KH_MAX_RECORDS);
    KhReadied[KhReadyCount] = Thread;
    KhReadiedStatus[KhReadyCount] = Thread->WaitStatus;
    KhReadyCount++;
    Thread->State = Ready;
}

LONG KiSwapThread(VOID)
{
    PKTHREAD Waiter = KhCurrentThread;

    assert_int_equal(KhIrql, DISPATCH_LEVEL);
    assert_int_equal(Waiter->State, Waiting);
    /* Switching away hands the dispatcher database to whoever runs next. */
    KhUnlockCount++;
    if (KhParking) {
        KhParking = FALSE;
        longjmp(KhParkJump, 1);
    }
    KhSwapCount++;
    if (KhSwapHook == NULL)
        fail_msg("thread %p would wait forever: the test runs no other thread", Waiter);

    KhCurrentThread = &KhOtherThread;
    KhIrql = PASSIVE_LEVEL;
    KhSwapHook(Waiter, KhSwapCount);
    if (Waiter->State == Waiting)
        fail_msg("thread %p still waits after swap %lu: it would never run again",
                 Waiter, KhSwapCount);

    /* The waiter is switched back in, at DISPATCH_LEVEL, and lowers to WaitIrql. */
    KhCurrentThread = Waiter;
    KhIrql = DISPATCH_LEVEL;
    Waiter->State = Running;
    if (KhSwitchInRequestsApc && Waiter->ApcState.KernelApcPending)
        HalRequestSoftwareInterrupt(APC_LEVEL);
    KfLowerIrql(Waiter->WaitIrql);
    return Waiter->WaitStatus;
}

NTSTATUS KhStartWait(PKTHREAD Thread, ULONG Count, PVOID Objects[], WAIT_TYPE WaitType,
                     KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                     PKWAIT_BLOCK WaitBlockArray)
{
    PKTHREAD volatile Saved = KhCurrentThread;
    volatile KIRQL SavedIrql = KhIrql;
    volatile NTSTATUS Status = STATUS_PENDING;

    KhCurrentThread = Thread;
    KhIrql = PASSIVE_LEVEL;
    Thread->State = Running;
    KhParking = TRUE;
    if (setjmp(KhParkJump) == 0) {
        Status = KeWaitForMultipleObjects(Count, Objects, WaitType, UserRequest, WaitMode,
                                          Alertable, Timeout, WaitBlockArray);
        KhParking = FALSE;
    }
    KhCurrentThread = Saved;
    KhIrql = SavedIrql;
    return Status;
}

VOID KhRunAs(PKTHREAD Thread, VOID (*Routine)(PVOID Context), PVOID Context)
{
    PKTHREAD Saved = KhCurrentThread;
    KIRQL SavedIrql = KhIrql;

    KhCurrentThread = Thread;
    KhIrql = PASSIVE_LEVEL;
    Routine(Context);
    assert_int_equal(KhIrql, PASSIVE_LEVEL);
    KhCurrentThread = Saved;
    KhIrql = SavedIrql;
}

NTSTATUS KeYieldExecution(VOID)
{
    KhYieldCount++;
    return STATUS_SUCCESS;
}

/* ---- time ---- */

ULONGLONG KeQueryInterruptTime(VOID)
{
    return KhInterruptTime;
}

VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = KH_BOOT_SYSTEM_TIME + (LONGLONG)KhInterruptTime;
}

VOID KhAdvanceTime(ULONGLONG Delta)
{
    KIRQL OldIrql;

    KhInterruptTime += Delta;
    KeTickCount++;
    if (KiNextTimerDueTime() <= KhInterruptTime) {
        OldIrql = KfRaiseIrql(DISPATCH_LEVEL);
        KiExpireTimers(KhInterruptTime);
        KfLowerIrql(OldIrql);
    }
}

/* ---- DPCs ---- */

VOID KeInitializeDpc(PKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
    memset(Dpc, 0, sizeof(*Dpc));
    Dpc->Type = DpcObject;
    Dpc->DeferredRoutine = DeferredRoutine;
    Dpc->DeferredContext = DeferredContext;
}

BOOLEAN KeInsertQueueDpc(PKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
    assert_true(KhQueuedDpcCount < KH_MAX_RECORDS);
    KhQueuedDpc[KhQueuedDpcCount] = Dpc;
    KhQueuedDpcArgument1[KhQueuedDpcCount] = SystemArgument1;
    KhQueuedDpcArgument2[KhQueuedDpcCount] = SystemArgument2;
    KhQueuedDpcCount++;
    return TRUE;
}

/* ---- bugchecks, raises, assertions ---- */

VOID KeBugCheckEx(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    if (!KhJumpArmed) {
        fail_msg("unexpected bugcheck %#lx (%#x, %#x, %#x, %#x)", Code, P1, P2, P3, P4);
        abort();
    }
    KhJumpArmed = FALSE;
    KhBugCheckCode = Code;
    KhBugCheckParameter[0] = P1;
    KhBugCheckParameter[1] = P2;
    KhBugCheckParameter[2] = P3;
    KhBugCheckParameter[3] = P4;
    longjmp(KhJump, 1);
}

VOID ExRaiseStatus(NTSTATUS Status)
{
    if (!KhJumpArmed) {
        fail_msg("unexpected ExRaiseStatus(%#lx)", (ULONG)Status);
        abort();
    }
    KhJumpArmed = FALSE;
    KhRaisedStatus = Status;
    longjmp(KhJump, 1);
}

VOID KiAssertFailed(PCSTR Expression, PCSTR File, ULONG Line)
{
    fail_msg("ASSERT(%s) failed at %s:%lu", Expression, File, Line);
    abort();
}

/* ---- set-up ---- */

VOID KhInitThread(PKTHREAD Thread, KPRIORITY Priority)
{
    memset(Thread, 0, sizeof(*Thread));
    Thread->Header.Type = ThreadObject;
    Thread->Header.Size = sizeof(KTHREAD) / sizeof(LONG);
    InitializeListHead(&Thread->Header.WaitListHead);
    InitializeListHead(&Thread->MutantListHead);
    InitializeListHead(&Thread->ApcState.ApcListHead[KernelMode]);
    InitializeListHead(&Thread->ApcState.ApcListHead[UserMode]);
    InitializeListHead(&Thread->SavedApcState.ApcListHead[KernelMode]);
    InitializeListHead(&Thread->SavedApcState.ApcListHead[UserMode]);
    Thread->ApcStatePointer[OriginalApcEnvironment] = &Thread->ApcState;
    Thread->ApcStatePointer[AttachedApcEnvironment] = &Thread->SavedApcState;
    Thread->ApcStateIndex = OriginalApcEnvironment;
    Thread->ApcQueueable = TRUE;
    Thread->Priority = Thread->BasePriority = (CHAR)Priority;
    Thread->State = Ready;
    KeInitializeTimer(&Thread->Timer);
    KiInitializeThreadSuspend(Thread);
    if (KhThreadCount < KH_MAX_TRACKED)
        KhThreads[KhThreadCount++] = Thread;
}

VOID KhTrackTimer(PKTIMER Timer)
{
    assert_true(KhTimerCount < KH_MAX_TRACKED);
    KhTimers[KhTimerCount++] = Timer;
}

int KhReset(void **State)
{
    ULONG Index;

    UNREFERENCED_PARAMETER(State);
    /* Take out of the timer table whatever the last test left there. */
    for (Index = 0; Index < KhThreadCount; Index++) {
        if (KhThreads[Index]->Timer.Header.Inserted)
            KiRemoveTimer(&KhThreads[Index]->Timer);
    }
    for (Index = 0; Index < KhTimerCount; Index++) {
        if (KhTimers[Index]->Header.Inserted)
            KiRemoveTimer(KhTimers[Index]);
    }
    KhThreadCount = KhTimerCount = 0;
    assert_true(KiNextTimerDueTime() == ~0ULL);

    KhInitThread(&KhMainThread, 8);
    KhInitThread(&KhOtherThread, 8);
    KhMainThread.State = Running;
    KhCurrentThread = &KhMainThread;
    KhIrql = PASSIVE_LEVEL;
    KhApcInterruptRequested = FALSE;
    KhApcInterruptRequests = KhDispatchInterruptRequests = 0;
    KhLockCount = KhUnlockCount = 0;
    KhReadyCount = 0;
    KhSwapHook = NULL;
    KhSwapCount = 0;
    KhSwitchInRequestsApc = TRUE;
    KhParking = FALSE;
    KhInterruptTime = 0;
    KeTickCount = 0;
    KhQueuedDpcCount = 0;
    KhYieldCount = 0;
    KhJumpArmed = FALSE;
    KhBugCheckCode = 0;
    KhRaisedStatus = 0;
    return 0;
}

ULONG KhListLength(PLIST_ENTRY ListHead)
{
    ULONG Length = 0;
    PLIST_ENTRY Entry;

    for (Entry = ListHead->Flink; Entry != ListHead; Entry = Entry->Flink)
        Length++;
    return Length;
}

/* The i386 half of user-APC delivery: records the call (the frame is not edited). */
ULONG KhUserApcFrames;
PKNORMAL_ROUTINE KhUserApcRoutine;

VOID KiInitializeUserApc(PVOID ExceptionFrame, PKTRAP_FRAME TrapFrame,
                         PKNORMAL_ROUTINE NormalRoutine, PVOID NormalContext,
                         PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(ExceptionFrame);
    UNREFERENCED_PARAMETER(TrapFrame);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    KhUserApcFrames++;
    KhUserApcRoutine = NormalRoutine;
}

/*
 * schedhost.c - the processor around the scheduler, for its host unit test: see
 * schedhost.h for what each stand-in does.
 */
#include <stdlib.h>
#include <string.h>

#include "schedhost.h"

KPRCB ShPrcb;
KTHREAD KiIdleThread;
KIRQL ShIrql;
BOOLEAN ShInterruptsEnabled;

ULONG ShDispatchRequests, ShApcRequests;
BOOLEAN ShDispatchPending, ShApcPending;
ULONG ShDispatchInterrupts, ShApcInterrupts;

SH_SWITCH ShSwitches[SH_MAX_SWITCHES];
ULONG ShSwitchCount;
ULONG ShPrepareCount;
ULONG ShReapCount;
SH_SWAP_HOOK ShSwapHook;

ULONG ShDpcRetires;
SH_DPC_HOOK ShDpcHook;

jmp_buf ShJump;
BOOLEAN ShJumpArmed;
ULONG ShAssertCount;

/* A queue longer than this is a corrupt (circular) list. */
#define SH_MAX_QUEUE 256

/* ---- thrdschd.c's seam ---- */

PKPRCB KiHostGetCurrentPrcb(VOID)
{
    return &ShPrcb;
}

PKTHREAD KiHostGetCurrentThread(VOID)
{
    return ShPrcb.CurrentThread;
}

BOOLEAN KiHostDisableInterrupts(VOID)
{
    BOOLEAN Enabled = ShInterruptsEnabled;

    ShInterruptsEnabled = FALSE;
    return Enabled;
}

VOID KiHostRestoreInterrupts(BOOLEAN Enabled)
{
    if (Enabled)
        ShInterruptsEnabled = TRUE;
}

/* ---- IRQL and software interrupts ---- */

KIRQL KfRaiseIrql(KIRQL NewIrql)
{
    KIRQL OldIrql = ShIrql;

    if (NewIrql < OldIrql)
        fail_msg("KfRaiseIrql(%u) at IRQL %u", NewIrql, OldIrql);
    ShIrql = NewIrql;
    return OldIrql;
}

VOID KfLowerIrql(KIRQL NewIrql)
{
    if (NewIrql > ShIrql)
        fail_msg("KfLowerIrql(%u) at IRQL %u", NewIrql, ShIrql);
    ShIrql = NewIrql;
    /* The software interrupts NewIrql uncovers, the most urgent first (the HAL's loop). */
    for (;;) {
        if (NewIrql < DISPATCH_LEVEL && ShDispatchPending) {
            ShDispatchPending = FALSE;
            ShDispatchInterrupts++;
            ShIrql = DISPATCH_LEVEL;
            KiDispatchInterrupt();
            assert_int_equal(ShIrql, DISPATCH_LEVEL);
            ShIrql = NewIrql;
            continue;
        }
        if (NewIrql < APC_LEVEL && ShApcPending) {
            ShApcPending = FALSE;
            ShApcInterrupts++;
            continue;
        }
        break;
    }
}

VOID HalRequestSoftwareInterrupt(KIRQL RequestIrql)
{
    if (RequestIrql == DISPATCH_LEVEL) {
        ShDispatchRequests++;
        ShDispatchPending = TRUE;
    } else if (RequestIrql == APC_LEVEL) {
        ShApcRequests++;
        ShApcPending = TRUE;
    } else {
        fail_msg("HalRequestSoftwareInterrupt(%u)", RequestIrql);
    }
    /* Below the level already: taken at once. */
    if (ShIrql < RequestIrql)
        KfLowerIrql(ShIrql);
}

/* ---- the context switch ---- */

VOID KiPrepareSwitch(PKTHREAD Old, PKTHREAD New)
{
    assert_ptr_equal(Old, ShPrcb.CurrentThread);
    assert_ptr_not_equal(Old, New);
    ShPrepareCount++;
    ShPrcb.CurrentThread = New;
}

VOID KiSwapContext(PKTHREAD Old, PKTHREAD New)
{
    assert_ptr_not_equal(Old, New);
    if (ShInterruptsEnabled)
        fail_msg("KiSwapContext with interrupts enabled");
    assert_int_equal(ShIrql, DISPATCH_LEVEL);
    assert_ptr_equal(ShPrcb.CurrentThread, New);    /* KiPrepareSwitch came first */
    assert_int_equal(ShPrepareCount, ShSwitchCount + 1);
    assert_int_equal(New->State, Running);
    assert_true(ShSwitchCount < SH_MAX_SWITCHES);
    ShSwitches[ShSwitchCount].Old = Old;
    ShSwitches[ShSwitchCount].New = New;
    ShSwitchCount++;
    if (ShSwapHook != NULL)
        ShSwapHook(Old, New);
}

VOID KiReapTerminatedThreads(VOID)
{
    ShReapCount++;
}

/* ---- DPCs ---- */

VOID KiRetireDpcList(VOID)
{
    assert_int_equal(ShIrql, DISPATCH_LEVEL);
    ShDpcRetires++;
    if (ShDpcHook != NULL)
        ShDpcHook();
}

/* ---- bugchecks, assertions ---- */

VOID KeBugCheckEx(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    fail_msg("unexpected bugcheck %#lx (%#x, %#x, %#x, %#x)", Code, P1, P2, P3, P4);
    abort();
}

VOID KiAssertFailed(PCSTR Expression, PCSTR File, ULONG Line)
{
    ShAssertCount++;
    if (!ShJumpArmed) {
        fail_msg("ASSERT(%s) failed at %s:%lu", Expression, File, Line);
        abort();
    }
    ShJumpArmed = FALSE;
    longjmp(ShJump, 1);
}

/* ---- set-up and checks ---- */

VOID ShInitThread(PKTHREAD Thread, KPRIORITY Priority)
{
    memset(Thread, 0, sizeof(*Thread));
    Thread->Header.Type = ThreadObject;
    Thread->Header.Size = sizeof(KTHREAD) / sizeof(LONG);
    InitializeListHead(&Thread->Header.WaitListHead);
    InitializeListHead(&Thread->WaitListEntry);
    Thread->Priority = Thread->BasePriority = (CHAR)Priority;
    Thread->Quantum = SH_THREAD_QUANTUM;
    Thread->State = Initialized;
}

VOID ShRun(PKTHREAD Thread)
{
    if (ShPrcb.CurrentThread == &KiIdleThread && Thread != &KiIdleThread)
        KiIdleThread.State = Ready;     /* as the idle loop leaves it, on no queue */
    ShPrcb.CurrentThread = Thread;
    Thread->State = Running;
}

int ShReset(void **State)
{
    UNREFERENCED_PARAMETER(State);
    memset(&ShPrcb, 0, sizeof(ShPrcb));
    ShInitThread(&KiIdleThread, LOW_PRIORITY);
    KiIdleThread.State = Running;
    ShPrcb.CurrentThread = ShPrcb.IdleThread = &KiIdleThread;
    KiInitializeDispatcher();
    ShIrql = PASSIVE_LEVEL;
    ShInterruptsEnabled = TRUE;
    ShDispatchRequests = ShApcRequests = 0;
    ShDispatchPending = ShApcPending = FALSE;
    ShDispatchInterrupts = ShApcInterrupts = 0;
    memset(ShSwitches, 0, sizeof(ShSwitches));
    ShSwitchCount = ShPrepareCount = ShReapCount = 0;
    ShSwapHook = NULL;
    ShDpcRetires = 0;
    ShDpcHook = NULL;
    ShJumpArmed = FALSE;
    ShAssertCount = 0;
    return 0;
}

int ShCheck(void **State)
{
    ULONG Priority, Length;
    PLIST_ENTRY Head, Entry;
    PKTHREAD Thread, Next = ShPrcb.NextThread;

    UNREFERENCED_PARAMETER(State);
    for (Priority = 0; Priority < MAXIMUM_PRIORITY; Priority++) {
        Head = &KiDispatcherReadyListHead[Priority];
        Length = 0;
        for (Entry = Head->Flink; Entry != Head; Entry = Entry->Flink) {
            if (Entry->Flink->Blink != Entry || Entry->Blink->Flink != Entry)
                fail_msg("ready queue %lu: broken links", Priority);
            if (++Length > SH_MAX_QUEUE)
                fail_msg("ready queue %lu: does not end", Priority);
            Thread = CONTAINING_RECORD(Entry, KTHREAD, WaitListEntry);
            if (Thread->State != Ready || (ULONG)Thread->Priority != Priority)
                fail_msg("ready queue %lu holds %p (state %u, priority %d)",
                         Priority, Thread, Thread->State, Thread->Priority);
            if (Thread == Next)
                fail_msg("NextThread %p is also on ready queue %lu", Thread, Priority);
        }
        if (((KiReadySummary >> Priority) & 1) != (Length != 0))
            fail_msg("KiReadySummary %#lx: bit %lu wrong for a queue of %lu",
                     KiReadySummary, Priority, Length);
    }
    if (Next != NULL)
        assert_int_equal(Next->State, Standby);
    assert_int_equal(ShPrcb.CurrentThread->State, Running);
    assert_int_equal(ShIrql, PASSIVE_LEVEL);
    assert_true(ShInterruptsEnabled);
    return 0;
}

ULONG ShQueueLength(ULONG Priority)
{
    PLIST_ENTRY Head = &KiDispatcherReadyListHead[Priority], Entry;
    ULONG Length = 0;

    for (Entry = Head->Flink; Entry != Head && Length <= SH_MAX_QUEUE; Entry = Entry->Flink)
        Length++;
    return Length;
}

PKTHREAD ShQueueThread(ULONG Priority, ULONG Index)
{
    PLIST_ENTRY Head = &KiDispatcherReadyListHead[Priority], Entry = Head->Flink;

    while (Index-- > 0 && Entry != Head)
        Entry = Entry->Flink;
    return Entry == Head ? NULL : CONTAINING_RECORD(Entry, KTHREAD, WaitListEntry);
}

/*
 * kehost.h - the scheduler, IRQL, clock and bugcheck side of the kernel core,
 * played by the host unit tests of the dispatcher objects (test_wait.c,
 * test_mutant.c, test_timer.c, test_apc.c). kehost.c provides every function
 * the dispatcher code takes from ki.h, ke.h and ex.h:
 *
 *  - KeGetCurrentThread / KeGetCurrentIrql: KhCurrentThread and KhIrql (waitp.h
 *    routes the two through KiHostGetCurrentThread/Irql on the host);
 *  - KfRaiseIrql / KfLowerIrql / HalRequestSoftwareInterrupt: KhIrql, and the APC
 *    software interrupt: dropping below APC_LEVEL with one requested runs
 *    KiDeliverApc at APC_LEVEL, as the HAL does;
 *  - KiLockDispatcherDatabase / KiUnlockDispatcherDatabase: raise to and lower
 *    from DISPATCH_LEVEL, counted;
 *  - KiReadyThread: records the thread (State Ready);
 *  - KiSwapThread: the moment the current thread blocks. The test decides what
 *    the other threads do meanwhile (KhSwapHook), then the waiter comes back, as
 *    the real scheduler brings it back: KernelApcPending asks for the APC
 *    interrupt, IRQL drops to WaitIrql, WaitStatus is returned. A waiter still
 *    Waiting after the hook would sleep forever: the test fails;
 *  - KeQueryInterruptTime / KeQuerySystemTime: KhInterruptTime and a fixed boot
 *    time; KhAdvanceTime plays the clock (and its timer DPC);
 *  - KeInsertQueueDpc: records; KeYieldExecution: counts;
 *  - KeBugCheckEx / ExRaiseStatus / KiAssertFailed: record and longjmp back to a
 *    KH_EXPECT_* in the test; anywhere else they fail the test.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../kernel/ke/waitp.h"

/* ---- threads ---- */

extern PKTHREAD KhCurrentThread;
extern KTHREAD KhMainThread;        /* the thread a test runs as, priority 8 */
extern KTHREAD KhOtherThread;       /* who runs while the waiter is switched out */

/* What KeInitThread does for the dispatcher (see the report's contract). */
VOID KhInitThread(PKTHREAD Thread, KPRIORITY Priority);

/* ---- IRQL and software interrupts ---- */

extern KIRQL KhIrql;
extern BOOLEAN KhApcInterruptRequested;
extern ULONG KhApcInterruptRequests;
extern ULONG KhDispatchInterruptRequests;
extern ULONG KhLockCount, KhUnlockCount;    /* dispatcher database */

/* ---- the scheduler ---- */

#define KH_MAX_RECORDS 128
extern PKTHREAD KhReadied[KH_MAX_RECORDS];
extern LONG KhReadiedStatus[KH_MAX_RECORDS];    /* its WaitStatus when readied */
extern ULONG KhReadyCount;

/*
 * Called by KiSwapThread while Waiter is switched out, as KhOtherThread at
 * PASSIVE_LEVEL; SwapNumber counts the swaps of the test from 1.
 */
typedef VOID (*KH_SWAP_HOOK)(PKTHREAD Waiter, ULONG SwapNumber);
extern KH_SWAP_HOOK KhSwapHook;
extern ULONG KhSwapCount;
/* The scheduler asks for the APC interrupt when a thread with a kernel APC
   pending comes back (TRUE by default; FALSE tests the wait's own safety net). */
extern BOOLEAN KhSwitchInRequestsApc;

/*
 * Makes Thread begin a wait and leaves it blocked: the test then plays the
 * others, and sees the end of the wait as Thread->State Ready and its WaitStatus.
 * Returns STATUS_PENDING when the thread blocked, else the status of a wait that
 * ended at once. A caller's WaitBlockArray must outlive the wait (static storage);
 * Objects is only read during the call.
 */
NTSTATUS KhStartWait(PKTHREAD Thread, ULONG Count, PVOID Objects[], WAIT_TYPE WaitType,
                     KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                     PKWAIT_BLOCK WaitBlockArray);
#define KhStartWaitSingle(Thread, Object) \
    KhStartWait((Thread), 1, (PVOID[]){ (Object) }, WaitAny, KernelMode, FALSE, NULL, NULL)

/* Runs Routine(Context) as Thread at PASSIVE_LEVEL, then comes back. */
VOID KhRunAs(PKTHREAD Thread, VOID (*Routine)(PVOID Context), PVOID Context);

/* ---- time ---- */

extern ULONGLONG KhInterruptTime;           /* 100 ns units since "boot" */
#define KH_BOOT_SYSTEM_TIME 0x01DA5E3AA2F9C000LL    /* a system time in 2024 */
#define KH_MS(Milliseconds) ((ULONGLONG)(Milliseconds) * 10000)
/*
 * The clock: advances the interrupt time by Delta and, when a timer is due,
 * expires timers at DISPATCH_LEVEL as the clock's DPC does.
 */
VOID KhAdvanceTime(ULONGLONG Delta);
/* A relative timeout, negative as NT wants, in milliseconds. */
static inline LARGE_INTEGER KhRelative(ULONGLONG Milliseconds)
{
    LARGE_INTEGER Interval;
    Interval.QuadPart = -(LONGLONG)KH_MS(Milliseconds);
    return Interval;
}

/* ---- DPCs, yields ---- */

extern PKDPC KhQueuedDpc[KH_MAX_RECORDS];
extern PVOID KhQueuedDpcArgument1[KH_MAX_RECORDS], KhQueuedDpcArgument2[KH_MAX_RECORDS];
extern ULONG KhQueuedDpcCount;
extern ULONG KhYieldCount;

/* ---- bugchecks, raised statuses, assertions ---- */

extern jmp_buf KhJump;
extern BOOLEAN KhJumpArmed;
extern ULONG KhBugCheckCode;
extern ULONG_PTR KhBugCheckParameter[4];
extern NTSTATUS KhRaisedStatus;

#define KH_EXPECT_BUGCHECK(Code, Statement)                             \
    do {                                                                \
        KhBugCheckCode = 0;                                             \
        KhJumpArmed = TRUE;                                             \
        if (setjmp(KhJump) == 0) {                                      \
            Statement;                                                  \
            KhJumpArmed = FALSE;                                        \
            fail_msg("no bugcheck from %s", #Statement);                \
        }                                                               \
        assert_int_equal(KhBugCheckCode, (Code));                       \
    } while (0)

#define KH_EXPECT_RAISE(Status, Statement)                              \
    do {                                                                \
        KhRaisedStatus = 0;                                             \
        KhJumpArmed = TRUE;                                             \
        if (setjmp(KhJump) == 0) {                                      \
            Statement;                                                  \
            KhJumpArmed = FALSE;                                        \
            fail_msg("nothing raised by %s", #Statement);               \
        }                                                               \
        assert_int_equal(KhRaisedStatus, (Status));                     \
    } while (0)

/*
 * Puts the harness back in its first state: KhMainThread current at
 * PASSIVE_LEVEL, no hook, no records, time at 0, the timer table empty. Every
 * test starts with it (cmocka setup).
 */
int KhReset(void **State);
/* The timers a test armed: cancelled by KhReset so that the next test starts clean. */
VOID KhTrackTimer(PKTIMER Timer);

/* The dispatcher database is not held, IRQL is PASSIVE_LEVEL: a call ended cleanly. */
#define KH_ASSERT_IDLE()                                                \
    do {                                                                \
        assert_int_equal(KhIrql, PASSIVE_LEVEL);                        \
        assert_int_equal(KhLockCount, KhUnlockCount);                   \
    } while (0)

/* Number of entries on a list. */
ULONG KhListLength(PLIST_ENTRY ListHead);

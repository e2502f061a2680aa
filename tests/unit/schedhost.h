/*
 * schedhost.h - the processor around the scheduler (kernel/ke/thrdschd.c), played
 * by its host unit test (test_sched.c). schedhost.c provides what thrdschd.c takes
 * from the rest of the kernel:
 *
 *  - KeGetCurrentPrcb / KeGetCurrentThread: ShPrcb and ShPrcb.CurrentThread, and
 *    KiDisableInterrupts / KiRestoreInterrupts: ShInterruptsEnabled (thrdschd.c
 *    routes the four through KiHost* under NT_HOST_TEST);
 *  - KfRaiseIrql / KfLowerIrql / HalRequestSoftwareInterrupt: ShIrql and the two
 *    software interrupts, taken as the HAL takes them: when IRQL drops below
 *    DISPATCH_LEVEL with one requested, KiDispatchInterrupt runs at DISPATCH_LEVEL;
 *    below APC_LEVEL, the APC interrupt is counted (no APCs run here);
 *  - KiPrepareSwitch: makes New the PRCB's CurrentThread, as the kernel's does;
 *  - KiSwapContext: checks the switch is made as the kernel must make it
 *    (interrupts off, at DISPATCH_LEVEL, New already Running and current),
 *    records (Old, New), calls ShSwapHook and returns at once. From then on the
 *    test plays New: the PRCB says New runs. The rest of the scheduler's code
 *    after the return is what Old does when it is switched back in later;
 *  - KiReapTerminatedThreads, KiRetireDpcList: counted (ShDpcHook plays a DPC);
 *  - KiAssertFailed: longjmps back to SH_EXPECT_ASSERT, else fails the test;
 *    KeBugCheckEx fails the test.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../kernel/ke/ki.h"

/* NT's quantum, in thirds of a clock tick (thrdschd.c's THREAD_QUANTUM). */
#define SH_THREAD_QUANTUM 6

/* ---- the processor ---- */

extern KPRCB ShPrcb;                /* IdleThread is KiIdleThread, defined here */
extern KIRQL ShIrql;
extern BOOLEAN ShInterruptsEnabled;

/* Software interrupts: requested (counts), pending, taken. */
extern ULONG ShDispatchRequests, ShApcRequests;
extern BOOLEAN ShDispatchPending, ShApcPending;
extern ULONG ShDispatchInterrupts, ShApcInterrupts;

/* ---- the context switch ---- */

typedef struct _SH_SWITCH {
    PKTHREAD Old;
    PKTHREAD New;
} SH_SWITCH;

#define SH_MAX_SWITCHES 64
extern SH_SWITCH ShSwitches[SH_MAX_SWITCHES];
extern ULONG ShSwitchCount;
extern ULONG ShPrepareCount;
extern ULONG ShReapCount;
/* Called by KiSwapContext after recording, as New (e.g. to queue an APC to Old). */
typedef VOID (*SH_SWAP_HOOK)(PKTHREAD Old, PKTHREAD New);
extern SH_SWAP_HOOK ShSwapHook;

/* ---- DPCs ---- */

extern ULONG ShDpcRetires;
/* Called by KiRetireDpcList, at DISPATCH_LEVEL: what a queued DPC does. */
typedef VOID (*SH_DPC_HOOK)(VOID);
extern SH_DPC_HOOK ShDpcHook;

/* ---- assertions ---- */

extern jmp_buf ShJump;
extern BOOLEAN ShJumpArmed;
extern ULONG ShAssertCount;

#define SH_EXPECT_ASSERT(Statement)                                     \
    do {                                                                \
        ULONG Asserts_ = ShAssertCount;                                 \
        ShJumpArmed = TRUE;                                             \
        if (setjmp(ShJump) == 0) {                                      \
            Statement;                                                  \
            ShJumpArmed = FALSE;                                        \
            fail_msg("no ASSERT from %s", #Statement);                  \
        }                                                               \
        assert_int_equal(ShAssertCount, Asserts_ + 1);                  \
    } while (0)

/* ---- set-up and checks ---- */

/* A thread as KeInitThread leaves it for the scheduler: Initialized, full quantum. */
VOID ShInitThread(PKTHREAD Thread, KPRIORITY Priority);
/* Makes Thread the running thread (the idle thread, if it ran, is switched out). */
VOID ShRun(PKTHREAD Thread);

/*
 * cmocka setup: the dispatcher initialized (KiInitializeDispatcher), the idle
 * thread running at PASSIVE_LEVEL with interrupts on, no request, no record.
 */
int ShReset(void **State);
/*
 * cmocka teardown, also callable from a test: what must hold between scheduler
 * calls. Every queue is a well-formed list of Ready threads of its priority and
 * KiReadySummary has exactly the bits of the non-empty queues; NextThread, if
 * any, is Standby and on no queue; the current thread is Running; IRQL is back
 * at PASSIVE_LEVEL with interrupts on.
 */
int ShCheck(void **State);

/* The ready queue of one priority, in order. */
ULONG ShQueueLength(ULONG Priority);
PKTHREAD ShQueueThread(ULONG Priority, ULONG Index);

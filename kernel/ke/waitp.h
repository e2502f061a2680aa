/*
 * waitp.h - what the dispatcher-object files share with each other and nobody
 * else: wait.c, waitsup.c, event.c, semphore.c, mutant.c, timerobj.c, timersup.c,
 * apc.c, alert.c, suspend.c. (NT keeps the same helpers in its private ki.h.)
 * Everything here runs with the dispatcher database held unless it says otherwise.
 */
#pragma once

#include "ki.h"
#include <kewait.h>
#include <ex.h>

#ifdef NT_HOST_TEST
/*
 * The host unit tests run in a Linux process, with no KPCR behind fs: they give
 * the current thread and IRQL themselves (tests/unit/kehost.c). This is the one
 * place where the dispatcher code differs between the kernel and the tests.
 */
PKTHREAD KiHostGetCurrentThread(VOID);
KIRQL KiHostGetCurrentIrql(VOID);
#define KeGetCurrentThread() KiHostGetCurrentThread()
#define KeGetCurrentIrql()   KiHostGetCurrentIrql()
#endif

/*
 * Thread->WaitBlock[TIMER_WAIT_BLOCK] waits on Thread->Timer during a wait with a
 * timeout; its WaitKey is STATUS_TIMEOUT, so when the timer fires, the ordinary
 * WaitAny satisfaction ends the wait with that status (NT's arrangement).
 */
#define TIMER_WAIT_BLOCK THREAD_WAIT_OBJECTS
_Static_assert(TIMER_WAIT_BLOCK < RTL_NUMBER_OF(((PKTHREAD)0)->WaitBlock),
               "KTHREAD.WaitBlock must have room for the timer's block");

static inline BOOLEAN KiIsTimerWaitBlock(const KWAIT_BLOCK *WaitBlock)
{
    return WaitBlock->WaitKey == (USHORT)STATUS_TIMEOUT;
}

/* ---- waitsup.c ---- */

/* Could Thread's wait on Object be satisfied now? (A mutant it owns: yes.) */
BOOLEAN KiIsObjectSignaled(PVOID Object, PKTHREAD Thread);
/*
 * Applies a satisfied wait's effect to one object (NT: KiWaitSatisfyAny): resets a
 * synchronization event or timer, takes one from a semaphore, gives a mutant to
 * Thread. Returns STATUS_ABANDONED when that was an abandoned mutant, else
 * STATUS_SUCCESS - to be or'ed into the wait's status.
 */
NTSTATUS KiWaitSatisfyAny(PVOID Object, PKTHREAD Thread);
/* The same for every object of a WaitAll (its ring of wait blocks, from WaitBlock). */
NTSTATUS KiWaitSatisfyAll(PKWAIT_BLOCK WaitBlock);
/*
 * Ends a Set or Release: releases the dispatcher database, or - when Wait is TRUE
 * - keeps it for the wait the caller does next (NT: KTHREAD.WaitNext).
 */
VOID KiUnlockDispatcherForWait(KIRQL OldIrql, BOOLEAN Wait);

/* ---- timersup.c ---- */

/* 100 ns units per millisecond: a timer's Period is in milliseconds. */
#define TIMER_UNITS_PER_MS 10000

/*
 * Puts Timer in the timer table to fire at Interval (negative: relative; otherwise
 * absolute system time). Returns FALSE, with the timer signalled and not in the
 * table, when that time has already come. A one-shot timer is reset to not
 * signalled when inserted; a periodic one keeps its state (NT: KiInsertTreeTimer).
 */
BOOLEAN KiInsertTimer(PKTIMER Timer, LARGE_INTEGER Interval);
VOID KiRemoveTimer(PKTIMER Timer);
/* Queues a fired timer's DPC, with the system time of the expiry as its arguments. */
VOID KiQueueTimerDpc(PKTIMER Timer);

/* ---- apc.c ---- */

/*
 * Queues Apc (its SystemArguments already set) to its thread and makes the thread
 * notice; FALSE when it is queued already (NT: KiInsertQueueApc).
 */
BOOLEAN KiInsertQueueApc(PKAPC Apc, KPRIORITY Increment);
/*
 * The current thread has left its last critical region, or given up its last
 * kernel mutex, with kernel APCs queued: deliver them now, or as soon as IRQL
 * drops below APC_LEVEL. Called without the dispatcher database.
 */
VOID KiCheckForKernelApcDelivery(VOID);

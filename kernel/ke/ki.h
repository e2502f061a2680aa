/*
 * ki.h - the kernel core's private contract between its parts: the scheduler
 * (thrdschd.c, ctxswap.asm, thrdobj.c), IRQL and DPCs (irql.c, dpc.c), and the
 * dispatcher objects, waits, timers and APCs (wait*.c, event.c, semphore.c,
 * mutant.c, timer*.c, apc*.c). NT: ntos\ke\ki.h.
 *
 * Locking, on one processor: the "dispatcher database" (ready queues, wait lists,
 * object signal states, timer table, APC queues) is protected by raising IRQL to
 * DISPATCH_LEVEL (KiLockDispatcherDatabase). Interrupt handlers at device level
 * never touch it directly; they queue DPCs, which run at DISPATCH_LEVEL.
 */
#pragma once

#include <ke.h>
#include <kobjects.h>

/* ---- scheduler (thrdschd.c) ---- */

extern LIST_ENTRY KiDispatcherReadyListHead[MAXIMUM_PRIORITY];
extern ULONG KiReadySummary;            /* bit n set: ready queue n is not empty */

/* Raises to DISPATCH_LEVEL; returns the IRQL to give back to the unlock. */
KIRQL KiLockDispatcherDatabase(VOID);
/*
 * Releases the dispatcher database: if a higher-priority thread was made ready
 * meanwhile (PRCB.NextThread) and OldIrql is below DISPATCH_LEVEL, switches to it
 * first (NT: KiUnlockDispatcherDatabase); then lowers IRQL to OldIrql.
 */
VOID KiUnlockDispatcherDatabase(KIRQL OldIrql);

/*
 * Makes Thread ready (State Ready, on the ready queue of its priority) or, when it
 * outranks the running thread, the next thread to run (preemption at the next
 * unlock or at DISPATCH_LEVEL). Dispatcher database held.
 */
VOID KiReadyThread(PKTHREAD Thread);

/*
 * The current thread has set itself up to wait (State Waiting, wait blocks linked,
 * WaitIrql saved): switch to the best ready thread (or the idle thread). Returns
 * when something made this thread ready again, with IRQL lowered to its WaitIrql,
 * and returns its WaitStatus. Called with the dispatcher database held.
 */
LONG KiSwapThread(VOID);

/* Priority-ordered choice (dispatcher database held): removes and returns the
   best ready thread, or NULL when every queue is empty. */
PKTHREAD KiSelectReadyThread(VOID);

VOID KiInitializeDispatcher(VOID);
VOID KiInitializeClockDpc(VOID);
/* The clock's share of scheduling: the running thread's quantum (CLOCK2_LEVEL). */
VOID KiDecrementQuantum(VOID);
/* The context switch proper (ctxswap.asm): saves Old, resumes New. */
VOID KiSwapContext(PKTHREAD Old, PKTHREAD New);
/* Frees the stacks of threads that ended (run by whichever thread runs next). */
VOID KiReapTerminatedThreads(VOID);
VOID KiCheckApcOnSwitchIn(PKTHREAD Thread);

/* ---- waits and dispatcher objects (wait.c and friends) ---- */

/*
 * Object just became signalled: satisfy as many waiters as its kind allows, in
 * the order they began waiting (NT: KiWaitTest). Dispatcher database held.
 */
VOID KiWaitTest(PVOID Object, KPRIORITY Increment);

/*
 * Ends Thread's wait with WaitStatus: unlinks all its wait blocks and its timeout
 * timer and makes it ready (NT: KiUnwaitThread). Dispatcher database held.
 */
VOID KiUnwaitThread(PKTHREAD Thread, LONG WaitStatus, KPRIORITY Increment);

/*
 * The timer table, driven by the clock: fires every timer due at InterruptTime
 * (signals it, ends timed-out waits, queues its DPC, re-arms a periodic one).
 * Called at DISPATCH_LEVEL from the clock's DPC (NT: KiTimerExpiration).
 */
VOID KiExpireTimers(ULONGLONG InterruptTime);
/* The earliest due time in the table, or ~0 when empty (lets the clock skip work). */
ULONGLONG KiNextTimerDueTime(VOID);

/* A thread that ends gives up its mutants, abandoned (NT: KeRundownThread). */
VOID KeRundownThread(VOID);

/* ---- APCs (apc.c) ---- */

/*
 * Delivers the current thread's pending APCs: kernel APCs (special, then normal
 * when the thread is not in a critical region) at APC_LEVEL; and when
 * PreviousMode is UserMode and TrapFrame is given, sets up the first user APC to
 * run on the way back to user mode (the system-service exit calls this).
 * NT: KiDeliverApc. Called by KeLowerIrql when IRQL drops below APC_LEVEL with
 * ApcState.KernelApcPending set.
 */
VOID KiDeliverApc(KPROCESSOR_MODE PreviousMode, PVOID ExceptionFrame, PKTRAP_FRAME TrapFrame);

/* Initializes the thread's suspend APC and semaphore (called by KeInitThread). */
VOID KiInitializeThreadSuspend(PKTHREAD Thread);

/* ---- IRQL and software interrupts (irql.c, dpc.c) ---- */

/* Asks for the APC_LEVEL or DISPATCH_LEVEL software interrupt; it runs as soon
   as IRQL drops below that level (NT: HalRequestSoftwareInterrupt). */
VOID HalRequestSoftwareInterrupt(KIRQL RequestIrql);

/* Runs every queued DPC, at DISPATCH_LEVEL (NT: KiRetireDpcList). */
VOID KiRetireDpcList(VOID);

/* Quantum end and preemption, at DISPATCH_LEVEL (NT: KiDispatchInterrupt). */
VOID KiDispatchInterrupt(VOID);

/* ---- threads (thrdobj.c) ---- */

/* The idle thread of the processor and the process kernel threads live in until
   the process issue gives them the System process. */
extern KTHREAD KiIdleThread;
extern KPROCESS KiIdleProcess;
extern PKPROCESS KiSystemProcess;

VOID KiInitializeIdleThread(VOID);
VOID KiInitializeSystemProcesses(struct _MM_ADDRESS_SPACE *SystemSpace, PKPROCESS SystemProcess);
__attribute__((noreturn)) VOID KiIdleLoop(VOID);

/* i386 (thrdini.c): the per-thread processor state, and lazy FPU switching. */
VOID KiPrepareSwitch(PKTHREAD Old, PKTHREAD New);
VOID KiSetTrapStackTop(PKTHREAD Thread, PVOID Top);
VOID KiInitializeNpx(VOID);
VOID KiNpxNotAvailable(VOID);

/* ---- exceptions (i386/context.c, i386/exceptn.c) ---- */

VOID KeTrapFrameToContext(const KTRAP_FRAME *TrapFrame, PCONTEXT Context);
VOID KeContextToTrapFrame(const CONTEXT *Context, PKTRAP_FRAME TrapFrame);
/* The caller's CONTEXT copied in, probed when PreviousMode is UserMode. */
NTSTATUS KiCaptureContext(PCONTEXT Captured, const CONTEXT *ContextRecord);

/*
 * An exception of the user-mode code TrapFrame was interrupting (NT:
 * KiDispatchException, PreviousMode UserMode). First chance: the record and the
 * registers go to the user stack and the frame resumes at ntdll's
 * KiUserExceptionDispatcher (returns). Second chance, or a user stack that cannot
 * take the frame: the process ends with the exception code (does not return).
 * Interrupts on, PASSIVE_LEVEL.
 */
VOID KiDispatchException(PEXCEPTION_RECORD ExceptionRecord, PKTRAP_FRAME TrapFrame,
                         BOOLEAN FirstChance);

/* Ends the current process for an exception nobody handled (exceptn.c). */
__attribute__((noreturn)) VOID KiEndUserProcess(NTSTATUS Code);

/*
 * kewait.h - the kernel's dispatcher objects, waits, timers, APCs, alerts and
 * suspension, as the rest of the executive uses them (NT: the Ke part of ntddk.h
 * and ntos\inc\ke.h). The structures are in kobjects.h, in NT's layouts.
 *
 * Every routine here takes the dispatcher database (KiLockDispatcherDatabase) for
 * the moment it needs it, so it may be called at or below DISPATCH_LEVEL; a wait
 * that can block needs IRQL below DISPATCH_LEVEL (see KeWaitForMultipleObjects).
 */
#pragma once

#include <ke.h>
#include <kobjects.h>

/*
 * Priority increments: how much a thread woken by the operation is boosted
 * (NT's values). Only threads below LOW_REALTIME_PRIORITY are boosted, to at most
 * LOW_REALTIME_PRIORITY - 1, and a thread with DisableBoost set never is.
 */
#define IO_NO_INCREMENT         0
#define EVENT_INCREMENT         1
#define SEMAPHORE_INCREMENT     1
#define MUTANT_INCREMENT        1
#define TIMER_EXPIRE_INCREMENT  0
#define RESUME_INCREMENT        0
#define ALERT_INCREMENT         2

/* ---- events (event.c) ---- */

VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
/*
 * Set, Reset and Pulse return the previous signal state. With Wait TRUE, Set,
 * Pulse and the Release routines below return with the dispatcher database still
 * held (at DISPATCH_LEVEL) and the caller must call KeWaitForSingleObject,
 * KeWaitForMultipleObjects or KeDelayExecutionThread next: the signal and the
 * wait are then one atomic step, as NtSignalAndWaitForSingleObject needs
 * (NT: KTHREAD.WaitNext).
 */
LONG KeSetEvent(PKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
LONG KeResetEvent(PKEVENT Event);
VOID KeClearEvent(PKEVENT Event);
/* Signals the event just long enough to release what waits on it, then resets it. */
LONG KePulseEvent(PKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
LONG KeReadStateEvent(PKEVENT Event);

/* ---- semaphores (semphore.c) ---- */

VOID KeInitializeSemaphore(PKSEMAPHORE Semaphore, LONG Count, LONG Limit);
/*
 * Adds Adjustment to the count; returns the previous count. A count that would
 * pass Limit (or an Adjustment below 0) changes nothing and raises
 * STATUS_SEMAPHORE_LIMIT_EXCEEDED with ExRaiseStatus, as NT does.
 */
LONG KeReleaseSemaphore(PKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment,
                        BOOLEAN Wait);
/*
 * The same, returning the status instead of raising it (for NtReleaseSemaphore and
 * other callers without a fault-recovery block): STATUS_SUCCESS with the previous
 * count in *PreviousCount, or STATUS_SEMAPHORE_LIMIT_EXCEEDED (the lock is then
 * released even when Wait is TRUE).
 */
NTSTATUS KeReleaseSemaphoreChecked(PKSEMAPHORE Semaphore, KPRIORITY Increment,
                                   LONG Adjustment, BOOLEAN Wait, PLONG PreviousCount);
LONG KeReadStateSemaphore(PKSEMAPHORE Semaphore);

/* ---- mutants and kernel mutexes (mutant.c) ---- */

/*
 * A mutant is free at SignalState 1; owned at 0, and below 0 when its owner
 * acquired it again (recursion). Waiting on a mutant one owns always succeeds.
 * InitialOwner TRUE makes the current thread its owner.
 */
VOID KeInitializeMutant(PKMUTANT Mutant, BOOLEAN InitialOwner);
/*
 * Gives up one level of ownership; returns the previous signal state. Abandon
 * TRUE frees it at once, whoever owns it, and marks it abandoned: its next owner
 * gets STATUS_ABANDONED_WAIT_0 + n from its wait. A release by a thread that does
 * not own it raises STATUS_MUTANT_NOT_OWNED, or STATUS_ABANDONED when it was
 * abandoned and has no owner (NT's choice of status).
 */
LONG KeReleaseMutant(PKMUTANT Mutant, KPRIORITY Increment, BOOLEAN Abandon, BOOLEAN Wait);
/*
 * The same, returning the status instead of raising it: STATUS_SUCCESS, or
 * STATUS_MUTANT_NOT_OWNED or STATUS_ABANDONED (a success code!) when nothing was
 * released - compare with STATUS_SUCCESS, not NT_SUCCESS.
 */
NTSTATUS KeReleaseMutantChecked(PKMUTANT Mutant, KPRIORITY Increment, BOOLEAN Abandon,
                                BOOLEAN Wait, PLONG PreviousState);
LONG KeReadStateMutant(PKMUTANT Mutant);

/*
 * A kernel mutex is a mutant whose owner also holds kernel APCs off (one level of
 * KernelApcDisable) while it owns it. Level is ignored, as in NT since Windows 2000.
 * A thread that ends while owning one bugchecks (THREAD_TERMINATE_HELD_MUTEX).
 */
VOID KeInitializeMutex(PKMUTEX Mutex, ULONG Level);
LONG KeReleaseMutex(PKMUTEX Mutex, BOOLEAN Wait);
LONG KeReadStateMutex(PKMUTEX Mutex);
#define KeWaitForMutexObject KeWaitForSingleObject

/* ---- timers (timerobj.c, timersup.c) ---- */

VOID KeInitializeTimer(PKTIMER Timer);      /* a NotificationTimer */
VOID KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type);
/*
 * Arms the timer, cancelling it first if it was armed, and resets it to not
 * signalled. DueTime is in 100 ns units: negative = that long from now, positive
 * (or zero) = an absolute system time (since 1601). Period, in milliseconds,
 * re-arms it that long after each expiry (0: once). When it expires it becomes
 * signalled and Dpc, if given, is queued with the system time of the expiry as its
 * two arguments (low part, high part). Returns TRUE when it was armed already.
 */
BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc);
BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc);
/* Disarms it (its signal state stays as it is); TRUE when it was armed. */
BOOLEAN KeCancelTimer(PKTIMER Timer);
BOOLEAN KeReadStateTimer(PKTIMER Timer);

/* ---- waits (wait.c) ---- */

/*
 * Waits until the objects are signalled (WaitAny: one of them; WaitAll: all at the
 * same moment), the timeout passes, or - when Alertable - the thread is alerted or
 * (WaitMode UserMode) has user APCs to run. Objects are any DISPATCHER_HEADER-headed
 * object: events, semaphores, mutants, timers, threads, processes.
 *
 * Timeout, in 100 ns units: NULL = no limit; negative = relative; positive =
 * absolute system time; zero = test the objects and return at once.
 * Returns STATUS_WAIT_0 + n (WaitAny: the lowest-numbered object that satisfied
 * it; WaitAll: STATUS_WAIT_0), STATUS_ABANDONED_WAIT_0 + n when that meant taking
 * an abandoned mutant (WaitAll: STATUS_ABANDONED_WAIT_0), STATUS_TIMEOUT,
 * STATUS_ALERTED or STATUS_USER_APC. Satisfying the wait takes its effect on each
 * object: a synchronization event or timer is reset, a semaphore's count drops by
 * one, a mutant becomes the thread's.
 *
 * Count above MAXIMUM_WAIT_OBJECTS, or above THREAD_WAIT_OBJECTS without a
 * caller-supplied WaitBlockArray of Count blocks, bugchecks
 * MAXIMUM_WAIT_OBJECTS_EXCEEDED (as NT: NtWaitForMultipleObjects checks first).
 * Waiting at DISPATCH_LEVEL is allowed only with a zero timeout, above it never:
 * otherwise IRQL_NOT_LESS_OR_EQUAL (Object, Irql, 0, caller). Under WaitAll, the
 * same object must not appear twice (NtWaitForMultipleObjects refuses that).
 */
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
                               KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                               PLARGE_INTEGER Timeout);
NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                  KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                  PKWAIT_BLOCK WaitBlockArray);
/*
 * Sleeps for Interval (same units as a wait timeout; not NULL). Returns
 * STATUS_SUCCESS when the time has passed, or STATUS_ALERTED / STATUS_USER_APC
 * for an alertable delay cut short. A zero interval gives up the rest of the
 * quantum to a ready thread of the same priority (Sleep(0)).
 */
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                PLARGE_INTEGER Interval);

/* ---- APCs (apc.c) ---- */

/*
 * Prepares Apc to run in Thread. KernelRoutine always runs, at APC_LEVEL, and may
 * change or cancel (NULL) the normal routine and its arguments. NormalRoutine NULL
 * makes a special kernel APC (ApcMode is then KernelMode and NormalContext NULL);
 * otherwise the normal routine runs at PASSIVE_LEVEL in ApcMode: in kernel mode
 * for a normal kernel APC, in user mode for a user APC. RundownRoutine runs
 * instead of everything if the thread ends with the APC still queued.
 */
VOID KeInitializeApc(PKAPC Apc, PKTHREAD Thread, KAPC_ENVIRONMENT Environment,
                     PKKERNEL_ROUTINE KernelRoutine, PKRUNDOWN_ROUTINE RundownRoutine,
                     PKNORMAL_ROUTINE NormalRoutine, KPROCESSOR_MODE ApcMode,
                     PVOID NormalContext);
/*
 * Queues it, and makes the thread notice: a kernel APC for the current thread
 * runs as soon as IRQL drops below APC_LEVEL; a thread waiting at PASSIVE_LEVEL is
 * woken (STATUS_KERNEL_APC, after which its wait resumes by itself) for a special
 * APC, or for a normal one outside a critical region; a user APC wakes a thread
 * in an alertable user-mode wait with STATUS_USER_APC. FALSE when the thread no
 * longer takes APCs (ApcQueueable FALSE) or Apc is queued already.
 */
BOOLEAN KeInsertQueueApc(PKAPC Apc, PVOID SystemArgument1, PVOID SystemArgument2,
                         KPRIORITY Increment);
/* Takes a queued APC back; FALSE when it was not queued. */
BOOLEAN KeRemoveQueueApc(PKAPC Apc);
/*
 * Empties the thread's kernel or user APC queue (for thread termination) and
 * returns the first of the removed APCs' ApcListEntry, which still link them to
 * each other in a ring without a head, or NULL when the queue was empty.
 */
PLIST_ENTRY KeFlushQueueApc(PKTHREAD Thread, KPROCESSOR_MODE ProcessorMode);

/*
 * A critical region holds normal kernel APCs (the suspend APC among them) off the
 * current thread; special kernel APCs still run. Regions nest. Leaving the last
 * one delivers what was held back.
 */
VOID KeEnterCriticalRegion(VOID);
VOID KeLeaveCriticalRegion(VOID);
/* TRUE inside a critical region (or while owning a kernel mutex). */
BOOLEAN KeAreApcsDisabled(VOID);

/*
 * Builds the user-mode frame that makes the thread run NormalRoutine(NormalContext,
 * SystemArgument1, SystemArgument2) through ntdll!KiUserApcDispatcher on its way
 * out of the kernel (NT: KiInitializeUserApc; ke/i386/syscall.c). KiDeliverApc
 * calls it for the first queued user APC when the system-service exit delivers.
 */
VOID KiInitializeUserApc(PVOID ExceptionFrame, PKTRAP_FRAME TrapFrame,
                         PKNORMAL_ROUTINE NormalRoutine, PVOID NormalContext,
                         PVOID SystemArgument1, PVOID SystemArgument2);

/* ---- alerts (alert.c) ---- */

/*
 * Alerts Thread in AlertMode: ends its alertable wait with STATUS_ALERTED when it
 * is in one of that mode or a less privileged one, or else leaves it alerted, so
 * that its next alertable wait returns STATUS_ALERTED at once. Returns whether it
 * was alerted already.
 */
BOOLEAN KeAlertThread(PKTHREAD Thread, KPROCESSOR_MODE AlertMode);
/*
 * Returns whether the current thread was alerted in AlertMode, and clears it. For
 * UserMode, when it was not alerted but has user APCs queued, arranges for them to
 * run on its way back to user mode (ApcState.UserApcPending). NT: NtTestAlert.
 */
BOOLEAN KeTestAlertThread(KPROCESSOR_MODE AlertMode);

/* ---- suspension (suspend.c) ---- */

/* Suspend counts stop here (NT: MAXIMUM_SUSPEND_COUNT, a CHAR's largest value). */
#define MAXIMUM_SUSPEND_COUNT 0x7F

/*
 * Suspends Thread: the first suspension queues its suspend APC, whose normal
 * routine waits on the thread's suspend semaphore, so the thread stops at the next
 * point where it can take a normal kernel APC (NT's way). Returns the previous
 * suspend count. At MAXIMUM_SUSPEND_COUNT raises STATUS_SUSPEND_COUNT_EXCEEDED
 * (as NT). A thread that no longer takes APCs is not suspended (the count stays).
 */
ULONG KeSuspendThread(PKTHREAD Thread);
/* The same, returning STATUS_SUSPEND_COUNT_EXCEEDED instead of raising it. */
NTSTATUS KeSuspendThreadChecked(PKTHREAD Thread, PULONG PreviousCount);
/* Returns the previous suspend count; the thread runs again when it reaches 0. */
ULONG KeResumeThread(PKTHREAD Thread);
/* Drops every suspension (and freeze) at once; returns their previous sum. */
ULONG KeForceResumeThread(PKTHREAD Thread);
/* Alerts Thread in kernel mode, then resumes it once; returns the previous count. */
ULONG KeAlertResumeThread(PKTHREAD Thread);

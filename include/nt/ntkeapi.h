/*
 * ntkeapi.h - the synchronization objects as user mode sees them: events,
 * semaphores, mutants, timers and keyed events (their access rights, NtQueryXxx classes and
 * structures, the timer APC routine) and the wait types, with NT's names, values
 * and i386 layouts. NT's own headers spread these over ntdef.h (EVENT_TYPE,
 * TIMER_TYPE, WAIT_TYPE), winnt.h (the rights) and ntexapi.h (the rest).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntobapi.h>

/*
 * EVENT_TYPE, TIMER_TYPE, WAIT_TYPE and MAXIMUM_WAIT_OBJECTS (NT's ntdef.h and
 * winnt.h). They are service parameters, so they live here; the kernel's
 * kobjects.h includes this header for KeInitializeEvent and the waits.
 */
typedef enum _EVENT_TYPE {
    NotificationEvent,          /* stays signalled: releases every waiter */
    SynchronizationEvent        /* auto-reset: releases one waiter */
} EVENT_TYPE;

typedef enum _TIMER_TYPE {
    NotificationTimer,
    SynchronizationTimer
} TIMER_TYPE;

typedef enum _WAIT_TYPE {
    WaitAll,
    WaitAny
} WAIT_TYPE;

/* Largest number of objects one wait may name. */
#define MAXIMUM_WAIT_OBJECTS 64

/* ---- access rights (winnt.h's values) ---- */

#define EVENT_QUERY_STATE       0x0001
#define EVENT_MODIFY_STATE      0x0002
#define EVENT_ALL_ACCESS        (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)

#define SEMAPHORE_QUERY_STATE   0x0001
#define SEMAPHORE_MODIFY_STATE  0x0002
#define SEMAPHORE_ALL_ACCESS    (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)

/* A mutant has no "modify" right: only its owner may release it, whatever the handle. */
#define MUTANT_QUERY_STATE      0x0001
#define MUTANT_ALL_ACCESS       (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | MUTANT_QUERY_STATE)

/* A keyed event is not waited on by handle (no SYNCHRONIZE): its services meet on it. */
#define KEYEDEVENT_WAIT         0x0001
#define KEYEDEVENT_WAKE         0x0002
#define KEYEDEVENT_ALL_ACCESS   (STANDARD_RIGHTS_REQUIRED | KEYEDEVENT_WAIT | KEYEDEVENT_WAKE)

#define TIMER_QUERY_STATE       0x0001
#define TIMER_MODIFY_STATE      0x0002
#define TIMER_ALL_ACCESS        (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | TIMER_QUERY_STATE | \
                                 TIMER_MODIFY_STATE)

/* ---- NtQueryEvent ---- */

typedef enum _EVENT_INFORMATION_CLASS {
    EventBasicInformation
} EVENT_INFORMATION_CLASS;

typedef struct _EVENT_BASIC_INFORMATION {
    EVENT_TYPE EventType;       /* 0x00 */
    LONG EventState;            /* 0x04: the signal state */
} EVENT_BASIC_INFORMATION, *PEVENT_BASIC_INFORMATION;
C_ASSERT_SIZE(EVENT_BASIC_INFORMATION, 0x8);

/* ---- NtQuerySemaphore ---- */

typedef enum _SEMAPHORE_INFORMATION_CLASS {
    SemaphoreBasicInformation
} SEMAPHORE_INFORMATION_CLASS;

typedef struct _SEMAPHORE_BASIC_INFORMATION {
    LONG CurrentCount;          /* 0x00 */
    LONG MaximumCount;          /* 0x04 */
} SEMAPHORE_BASIC_INFORMATION, *PSEMAPHORE_BASIC_INFORMATION;
C_ASSERT_SIZE(SEMAPHORE_BASIC_INFORMATION, 0x8);

/* ---- NtQueryMutant ---- */

typedef enum _MUTANT_INFORMATION_CLASS {
    MutantBasicInformation
} MUTANT_INFORMATION_CLASS;

typedef struct _MUTANT_BASIC_INFORMATION {
    LONG CurrentCount;          /* 0x00: the signal state: 1 free, <= 0 owned */
    BOOLEAN OwnedByCaller;      /* 0x04 */
    BOOLEAN AbandonedState;     /* 0x05 */
} MUTANT_BASIC_INFORMATION, *PMUTANT_BASIC_INFORMATION;
C_ASSERT_SIZE(MUTANT_BASIC_INFORMATION, 0x8);

/* ---- NtSetTimer, NtQueryTimer ---- */

/*
 * What a timer set with an APC routine calls, in the thread that set it, when it
 * expires: the expiry's system time as two halves (NT's PTIMER_APC_ROUTINE).
 */
typedef VOID (*PTIMER_APC_ROUTINE)(PVOID TimerContext, ULONG TimerLowValue, LONG TimerHighValue);

typedef enum _TIMER_INFORMATION_CLASS {
    TimerBasicInformation
} TIMER_INFORMATION_CLASS;

/* 8-byte aligned as in NT (MSVC aligns LARGE_INTEGER so; gcc -m32 would not). */
typedef struct __attribute__((aligned(8))) _TIMER_BASIC_INFORMATION {
    LARGE_INTEGER RemainingTime; /* 0x00: 100 ns units until it expires */
    BOOLEAN TimerState;         /* 0x08: signalled */
} TIMER_BASIC_INFORMATION, *PTIMER_BASIC_INFORMATION;
C_ASSERT_OFFSET(TIMER_BASIC_INFORMATION, TimerState, 0x08);
C_ASSERT_SIZE(TIMER_BASIC_INFORMATION, 0x10);

/*
 * exobj.h - the executive's synchronization objects as NT objects: the object
 * types Event, Semaphore, Mutant and Timer, whose bodies are the kernel's
 * dispatcher objects, and KeyedEvent (NT: ExEventObjectType and friends, ntos\ex\event.c,
 * semphore.c, mutant.c, timer.c). Their services (NtCreateEvent, ...) are in the
 * generated ntapi.h; the waits on them by handle are in ke/ntwaitobj.c.
 */
#pragma once

#include <ob.h>
#include <kewait.h>
#include <nt/ntkeapi.h>

/* The types; their objects' pool tags are the names' first four letters. */
extern POBJECT_TYPE ExEventObjectType;      /* "Event":     a KEVENT */
extern POBJECT_TYPE ExSemaphoreObjectType;  /* "Semaphore": a KSEMAPHORE */
extern POBJECT_TYPE ExMutantObjectType;     /* "Mutant":    a KMUTANT */
extern POBJECT_TYPE ExTimerObjectType;      /* "Timer":     an ETIMER */
extern POBJECT_TYPE ExKeyedEventObjectType; /* "KeyedEvent": two queues of sleeping threads (ex/keyedevt.c) */

/*
 * A timer object's body (NT: ETIMER). The KTIMER comes first, so that a wait on
 * the object waits on it. NT's ETIMER goes on with the KAPC, KDPC and thread-list
 * entry of a timer that queues an APC when it expires; timer APCs are not
 * implemented here (NtSetTimer refuses them), so the body is the KTIMER alone.
 */
typedef struct _ETIMER {
    KTIMER KeTimer;
} ETIMER, *PETIMER;
C_ASSERT_OFFSET(ETIMER, KeTimer, 0);

/*
 * Creates the five types (NT: ExpEventInitialization, ExpSemaphoreInitialization,
 * ExpMutantInitialization, ExpTimerInitialization, ExpKeyedEventInitialization,
 * which also makes \KernelObjects\CritSecOutOfMemoryEvent). Called once at boot, right
 * after ObInitSystem; bugchecks PHASE0_INITIALIZATION_FAILED if a type cannot be
 * created.
 */
VOID ExInitializeObjectTypes(VOID);

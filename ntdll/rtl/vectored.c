/*
 * vectored.c - vectored exception handlers (NT 5.1: RtlAddVectoredExceptionHandler,
 * RtlRemoveVectoredExceptionHandler, and RtlpCallVectoredHandlers, which
 * RtlDispatchException runs before the SEH chain).
 *
 * A vectored handler belongs to the process, not to a stack frame: it sees every
 * exception of every thread first, in list order, with an EXCEPTION_POINTERS;
 * EXCEPTION_CONTINUE_EXECUTION resumes at the (possibly edited) CONTEXT,
 * EXCEPTION_CONTINUE_SEARCH passes the exception on. FirstHandler puts a handler at
 * the head of the list, otherwise at its tail.
 *
 * Memory: ntdll has no heap yet (the loader issue brings RtlAllocateHeap), so the
 * entries are carved from whole pages taken with NtAllocateVirtualMemory, one page
 * of entries at a time; a removed entry goes back on a free list and is reused,
 * and the pages stay for the process's life - a process registers a handful of
 * handlers, so one page (hundreds of entries) is all a process ever takes.
 *
 * Lock: one lock for the list, held while the handlers run, as XP holds its
 * critical section (a handler being removed on one thread is not running on
 * another). It must be recursive: a handler may itself fault or raise (a nested
 * dispatch on the same thread), or add or remove handlers: a critical section,
 * which is. Contention means another thread is inside a handler, so the wait is
 * as long as that handler.
 */
#include "../ntdllp.h"
#include <nt/list.h>
#include <nt/ntmmapi.h>
#include <nt/ntobapi.h>

#define RTLP_PAGE_SIZE 0x1000

typedef struct _RTLP_VECTORED_HANDLER {
    LIST_ENTRY List;                        /* on RtlpVectoredHandlers while registered */
    PVECTORED_EXCEPTION_HANDLER Handler;
    struct _RTLP_VECTORED_HANDLER *NextFree; /* on a free list otherwise */
} RTLP_VECTORED_HANDLER, *PRTLP_VECTORED_HANDLER;

static LIST_ENTRY RtlpVectoredHandlers = { &RtlpVectoredHandlers, &RtlpVectoredHandlers };
static PRTLP_VECTORED_HANDLER RtlpFreeHandlers;
/* Removed while a dispatch was walking the list: the walker may still step from
   them (their Flink is kept), so they are reused only once no walk is active. */
static PRTLP_VECTORED_HANDLER RtlpRemovedHandlers;
static ULONG RtlpActiveWalks;

static RTL_CRITICAL_SECTION RtlpVectoredLock = RTLP_CRITICAL_SECTION_INIT;

/* A page's worth of entries onto the free list. Lock held. */
static BOOLEAN RtlpGrowVectoredEntries(VOID)
{
    PVOID Base = NULL;
    SIZE_T Size = RTLP_PAGE_SIZE;
    PRTLP_VECTORED_HANDLER Entry;
    ULONG Index;

    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size,
                                            MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)))
        return FALSE;
    Entry = Base;
    for (Index = 0; Index < RTLP_PAGE_SIZE / sizeof(*Entry); Index++) {
        Entry[Index].NextFree = RtlpFreeHandlers;
        RtlpFreeHandlers = &Entry[Index];
    }
    return TRUE;
}

PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG FirstHandler, PVECTORED_EXCEPTION_HANDLER Handler)
{
    PRTLP_VECTORED_HANDLER Entry = NULL;

    RtlEnterCriticalSection(&RtlpVectoredLock);
    if (RtlpFreeHandlers != NULL || RtlpGrowVectoredEntries()) {
        Entry = RtlpFreeHandlers;
        RtlpFreeHandlers = Entry->NextFree;
        Entry->NextFree = NULL;
        Entry->Handler = Handler;
        if (FirstHandler)
            InsertHeadList(&RtlpVectoredHandlers, &Entry->List);
        else
            InsertTailList(&RtlpVectoredHandlers, &Entry->List);
    }
    RtlLeaveCriticalSection(&RtlpVectoredLock);
    return Entry;       /* the handle; NULL when there was no memory */
}

/* Nonzero when Handle was a registered handler (now removed), 0 otherwise. */
ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle)
{
    PLIST_ENTRY Link;
    ULONG Found = FALSE;

    RtlEnterCriticalSection(&RtlpVectoredLock);
    /* Only a handle that is on the list: anything else is not ours to free. */
    for (Link = RtlpVectoredHandlers.Flink; Link != &RtlpVectoredHandlers; Link = Link->Flink) {
        PRTLP_VECTORED_HANDLER Entry = CONTAINING_RECORD(Link, RTLP_VECTORED_HANDLER, List);

        if (Entry != Handle)
            continue;
        RemoveEntryList(&Entry->List);
        Entry->Handler = NULL;
        if (RtlpActiveWalks != 0) {
            Entry->NextFree = RtlpRemovedHandlers;
            RtlpRemovedHandlers = Entry;
        } else {
            Entry->NextFree = RtlpFreeHandlers;
            RtlpFreeHandlers = Entry;
        }
        Found = TRUE;
        break;
    }
    RtlLeaveCriticalSection(&RtlpVectoredLock);
    return Found;
}

BOOLEAN RtlpCallVectoredHandlers(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord)
{
    EXCEPTION_POINTERS Pointers = { ExceptionRecord, ContextRecord };
    PLIST_ENTRY Link;
    BOOLEAN Continue = FALSE;

    /* No handlers (the usual case): not even the lock. A handler being added
       meanwhile on another thread may miss this exception, as it would a moment
       earlier. */
    if (RtlpVectoredHandlers.Flink == &RtlpVectoredHandlers)
        return FALSE;

    RtlEnterCriticalSection(&RtlpVectoredLock);
    RtlpActiveWalks++;
    for (Link = RtlpVectoredHandlers.Flink; Link != &RtlpVectoredHandlers; Link = Link->Flink) {
        PRTLP_VECTORED_HANDLER Entry = CONTAINING_RECORD(Link, RTLP_VECTORED_HANDLER, List);

        /* A handler removed by the one before it (Handler NULL) is skipped; its
           Flink still leads on. */
        if (Entry->Handler != NULL &&
            Entry->Handler(&Pointers) == EXCEPTION_CONTINUE_EXECUTION) {
            Continue = TRUE;
            break;
        }
    }
    if (--RtlpActiveWalks == 0) {
        while (RtlpRemovedHandlers != NULL) {
            PRTLP_VECTORED_HANDLER Entry = RtlpRemovedHandlers;

            RtlpRemovedHandlers = Entry->NextFree;
            Entry->NextFree = RtlpFreeHandlers;
            RtlpFreeHandlers = Entry;
        }
    }
    RtlLeaveCriticalSection(&RtlpVectoredLock);
    return Continue;
}

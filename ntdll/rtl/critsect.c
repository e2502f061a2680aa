/*
 * critsect.c - critical sections (RtlInitializeCriticalSection, RtlEnter-,
 * RtlLeave-, RtlTryEnter-, RtlDeleteCriticalSection): a lock owned by one thread
 * at a time, entered again by its owner without blocking, that costs one locked
 * instruction when nobody else wants it.
 *
 * LockCount keeps NT 5's meaning, which debuggers and kernel32's code read: -1
 * when free; otherwise the number of threads inside or wanting in, minus one.
 * Whoever moves it from -1 to 0 owns the section; a thread that moves it higher
 * waits on LockSemaphore, an auto-reset event (one wake per release), made only
 * when a section first sees contention, since most never do. The leaving owner
 * that finds LockCount still >= 0 after its decrement knows someone waits and
 * sets the event once.
 *
 * (A caller may ask for the event up front instead: the spin count's high bit.)
 *
 * A contending thread makes sure of the event before it counts itself in: if the
 * event cannot be made, the raise leaves LockCount as it was (a thread counted
 * but never waiting would leave the section looking owned for ever), and a
 * leaving owner that sees a waiter always finds the event there to set.
 */
#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/ntldr.h>
#include <nt/ntkeapi.h>
#include <nt/ntobapi.h>

NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess, PVOID ObjectAttributes,
                             EVENT_TYPE EventType, BOOLEAN InitialState);
NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSTATUS NTAPI NtClose(HANDLE Handle);
VOID NTAPI RtlRaiseStatus(NTSTATUS Status);

/* The calling thread's ID: TEB->ClientId.UniqueThread, at fs:[24h]. */
static inline HANDLE RtlpCurrentThreadId(VOID)
{
    HANDLE Id;

    __asm__ volatile("movl %%fs:0x24, %0" : "=r"(Id));
    return Id;
}

/*
 * The spin count's high bit asks for the event at once (Windows 2000/XP's
 * documented flag for InitializeCriticalSectionAndSpinCount): a section made so
 * never has to create it in Enter, so it never raises there for want of one. If
 * the event cannot be made the call fails with NtCreateEvent's status, as XP's
 * does. The bit is a flag, not part of the count kept.
 */
#define RTLP_CRITSECT_MAKE_EVENT_NOW 0x80000000

NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION Section, ULONG SpinCount)
{
    HANDLE Event = NULL;
    NTSTATUS Status;

    if (SpinCount & RTLP_CRITSECT_MAKE_EVENT_NOW) {
        Status = NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Section->DebugInfo = NULL;
    Section->LockCount = -1;
    Section->RecursionCount = 0;
    Section->OwningThread = NULL;
    Section->LockSemaphore = Event;
    /* One processor: spinning only delays the owner, so the count is kept, not used. */
    Section->SpinCount = SpinCount & ~RTLP_CRITSECT_MAKE_EVENT_NOW;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    return RtlInitializeCriticalSectionAndSpinCount(Section, 0);
}

/*
 * The section's event, made on first need. Two threads can get here at once: the
 * one whose handle lands in LockSemaphore first wins, the other closes its own.
 */
static HANDLE RtlpCriticalSectionEvent(PRTL_CRITICAL_SECTION Section)
{
    HANDLE Event = Section->LockSemaphore, Made;
    NTSTATUS Status;

    if (Event != NULL)
        return Event;
    Status = NtCreateEvent(&Made, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE);
    if (!NT_SUCCESS(Status))
        RtlRaiseStatus(Status);         /* NT raises too: the section cannot be waited on */
    Event = __sync_val_compare_and_swap(&Section->LockSemaphore, NULL, Made);
    if (Event != NULL) {
        NtClose(Made);
        return Event;
    }
    return Made;
}

NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    HANDLE Self = RtlpCurrentThreadId();
    HANDLE Event;

    if (!__sync_bool_compare_and_swap(&Section->LockCount, -1, 0)) {
        if (Section->OwningThread == Self) {
            /* Ours already (only we could have set it): Leave takes this back. */
            __sync_add_and_fetch(&Section->LockCount, 1);
            Section->RecursionCount++;
            return STATUS_SUCCESS;
        }
        /* Someone else's: the event first (this may raise; nothing is counted yet),
           then in the count, and asleep until a Leave hands it on (one wake each). */
        Event = RtlpCriticalSectionEvent(Section);
        if (__sync_add_and_fetch(&Section->LockCount, 1) != 0)
            NtWaitForSingleObject(Event, FALSE, NULL);
    }
    Section->OwningThread = Self;
    Section->RecursionCount = 1;
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    HANDLE Self = RtlpCurrentThreadId();

    if (__sync_bool_compare_and_swap(&Section->LockCount, -1, 0)) {
        Section->OwningThread = Self;
        Section->RecursionCount = 1;
        return TRUE;
    }
    if (Section->OwningThread == Self) {
        __sync_add_and_fetch(&Section->LockCount, 1);
        Section->RecursionCount++;
        return TRUE;
    }
    return FALSE;
}

NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    if (--Section->RecursionCount != 0) {
        __sync_sub_and_fetch(&Section->LockCount, 1);
        return STATUS_SUCCESS;
    }
    Section->OwningThread = NULL;
    /* Still >= 0 after ours is taken off: a thread waits (or is about to) for it,
       and made the event before it counted itself in. */
    if (__sync_sub_and_fetch(&Section->LockCount, 1) >= 0)
        NtSetEvent(Section->LockSemaphore, NULL);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    if (Section->LockSemaphore != NULL)
        NtClose(Section->LockSemaphore);
    Section->LockSemaphore = NULL;
    Section->LockCount = -1;
    Section->RecursionCount = 0;
    Section->OwningThread = NULL;
    return STATUS_SUCCESS;
}

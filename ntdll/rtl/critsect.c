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
 * A contending thread makes sure of the event before it counts itself in, so a
 * leaving owner that sees a waiter always finds something there to signal. When
 * the event cannot be made (no memory, no handles), the section falls back for
 * good to the system's keyed event, \KernelObjects\CritSecOutOfMemoryEvent,
 * with its own address as the key (XP's answer to the same problem): waiting
 * there needs no handle and no memory, so Enter never fails. LockSemaphore then
 * holds RTLP_CRITSECT_KEYED_EVENT instead of a handle.
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
NTSTATUS NTAPI NtWaitForKeyedEvent(HANDLE KeyedEventHandle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSTATUS NTAPI NtReleaseKeyedEvent(HANDLE KeyedEventHandle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout);

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

/* LockSemaphore of a section that sleeps on the system's keyed event: not a handle
   (handles are multiples of 4). */
#define RTLP_CRITSECT_KEYED_EVENT ((HANDLE)(ULONG_PTR)1)

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
 * The section's event, made on first need, or the keyed event's mark when it
 * cannot be. Two threads can get here at once: the one whose value lands in
 * LockSemaphore first wins, the other closes its own event.
 */
static HANDLE RtlpCriticalSectionEvent(PRTL_CRITICAL_SECTION Section)
{
    HANDLE Event = Section->LockSemaphore, Made;
    NTSTATUS Status;

    if (Event != NULL)
        return Event;
    Status = NtCreateEvent(&Made, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE);
    if (!NT_SUCCESS(Status)) {
        Event = __sync_val_compare_and_swap(&Section->LockSemaphore, NULL, RTLP_CRITSECT_KEYED_EVENT);
        return Event != NULL ? Event : RTLP_CRITSECT_KEYED_EVENT;
    }
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
        /* Someone else's: the event first, then in the count, and asleep until a
           Leave hands it on (one wake each). */
        Event = RtlpCriticalSectionEvent(Section);
        if (__sync_add_and_fetch(&Section->LockCount, 1) != 0) {
            if (Event == RTLP_CRITSECT_KEYED_EVENT)
                NtWaitForKeyedEvent(NULL, Section, FALSE, NULL);
            else
                NtWaitForSingleObject(Event, FALSE, NULL);
        }
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
       and made the event (or the mark) before it counted itself in. A keyed
       event's release waits for that thread to arrive. */
    if (__sync_sub_and_fetch(&Section->LockCount, 1) >= 0) {
        if (Section->LockSemaphore == RTLP_CRITSECT_KEYED_EVENT)
            NtReleaseKeyedEvent(NULL, Section, FALSE, NULL);
        else
            NtSetEvent(Section->LockSemaphore, NULL);
    }
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    if (Section->LockSemaphore != NULL && Section->LockSemaphore != RTLP_CRITSECT_KEYED_EVENT)
        NtClose(Section->LockSemaphore);
    Section->LockSemaphore = NULL;
    Section->LockCount = -1;
    Section->RecursionCount = 0;
    Section->OwningThread = NULL;
    return STATUS_SUCCESS;
}

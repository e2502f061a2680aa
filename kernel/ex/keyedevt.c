/*
 * keyedevt.c - keyed events (NT: ExpKeyedEventInitialization, NtCreateKeyedEvent,
 * NtOpenKeyedEvent, NtReleaseKeyedEvent, NtWaitForKeyedEvent in
 * ntos\ex\keyedevent.c; XP and later).
 *
 * A keyed event is a meeting point, not a state: a thread that waits with a key
 * sleeps until another thread releases that key, and a thread that releases a key
 * sleeps until one waits with it. Nothing is remembered between meetings, so one
 * object serves any number of independent locks: the key is the address of the
 * lock in user memory, and a key only meets the same key of the same process (two
 * processes may use the same address for different things). ntdll's SRW locks and
 * condition variables sleep on it, counting their waiters in user memory so that a
 * release is only ever made for a thread that is waiting or about to.
 *
 * A NULL handle names the system's own keyed event, \KernelObjects\
 * CritSecOutOfMemoryEvent (made at boot; NT 6 accepts NULL for it), which is what
 * ntdll uses: it never needs a handle of its own, so it can always sleep.
 *
 * Each sleeping thread's record lives on its kernel stack for the length of the
 * call. The queues are changed at DISPATCH_LEVEL (the kernel runs on one
 * processor, so that excludes every other thread), and the partner that takes a
 * record off a queue signals its event before lowering IRQL: once the sleeper has
 * raised IRQL itself after its wait, nobody touches its record any more.
 *
 * A sleeper whose wait ends otherwise (timeout, alert, user APC, or the user APC
 * that ends a thread being terminated: a thread leaves its services before it
 * dies) takes its record off the queue itself, so nothing of a thread that is
 * gone stays queued. What it does not undo is what its caller counted in user
 * memory: a thread ended while counted as an SRW lock's or condition variable's
 * sleeper (or as a releaser on its way to one) leaves a release that waits for
 * good for it (or a sleeper waiting for a release that never comes). NT has the
 * same property (its keyed event removes a terminated waiter just so, and its
 * ntdll's locks then release for it and wait); ending a thread that is inside a
 * lock's code is unsafe there too, as TerminateThread's documentation warns.
 */
#include "exobjp.h"
#include <ps.h>
#include <kewait.h>

typedef struct _EX_KEYED_EVENT {
    LIST_ENTRY WaitQueue;       /* threads in NtWaitForKeyedEvent, oldest first */
    LIST_ENTRY ReleaseQueue;    /* threads in NtReleaseKeyedEvent, oldest first */
} EX_KEYED_EVENT, *PEX_KEYED_EVENT;

/* One sleeping thread: its key, its process, and the event its partner sets. */
typedef struct _EXP_KEYED_SLEEPER {
    LIST_ENTRY Links;
    PVOID Key;
    PEPROCESS Process;
    BOOLEAN Met;                /* taken off its queue by a partner */
    KEVENT Wake;
} EXP_KEYED_SLEEPER, *PEXP_KEYED_SLEEPER;

POBJECT_TYPE ExKeyedEventObjectType;
static PEX_KEYED_EVENT ExpCritSecOutOfMemoryEvent;

/* NT's mapping: waiting is "read", releasing "write", both "execute". */
static const GENERIC_MAPPING ExpKeyedEventMapping = {
    STANDARD_RIGHTS_READ | KEYEDEVENT_WAIT,
    STANDARD_RIGHTS_WRITE | KEYEDEVENT_WAKE,
    STANDARD_RIGHTS_EXECUTE,
    KEYEDEVENT_ALL_ACCESS
};

static VOID ExpInitializeKeyedEvent(PEX_KEYED_EVENT KeyedEvent)
{
    InitializeListHead(&KeyedEvent->WaitQueue);
    InitializeListHead(&KeyedEvent->ReleaseQueue);
}

NTSTATUS ExpKeyedEventInitialization(VOID)
{
    static const WCHAR Path[] = u"\\KernelObjects\\CritSecOutOfMemoryEvent";
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    PVOID Body;
    NTSTATUS Status;

    Status = ExpCreateObjectType(u"KeyedEvent", sizeof(EX_KEYED_EVENT), &ExpKeyedEventMapping,
                                 KEYEDEVENT_ALL_ACCESS, NULL, &ExKeyedEventObjectType);
    if (!NT_SUCCESS(Status))
        return Status;

    /* The system's keyed event: permanent, and referenced here for good. */
    Name.Buffer = (PWSTR)Path;
    Name.Length = sizeof(Path) - sizeof(WCHAR);
    Name.MaximumLength = sizeof(Path);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_PERMANENT, NULL, NULL);
    Status = ObCreateObject(KernelMode, ExKeyedEventObjectType, &Attributes, KernelMode, NULL,
                            sizeof(EX_KEYED_EVENT), 0, 0, &Body);
    if (!NT_SUCCESS(Status))
        return Status;
    ExpInitializeKeyedEvent(Body);
    Status = ObInsertObject(Body, NULL, KEYEDEVENT_ALL_ACCESS, 0, NULL, NULL);
    if (NT_SUCCESS(Status))
        ExpCritSecOutOfMemoryEvent = Body;
    return Status;
}

/* Flags must be 0 (NT defines none). */
NTSTATUS NtCreateKeyedEvent(PHANDLE KeyedEventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                            ULONG Flags)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PEX_KEYED_EVENT KeyedEvent;
    NTSTATUS Status;

    if (Flags != 0)
        return STATUS_INVALID_PARAMETER_4;
    Status = ExpCreateObject(PreviousMode, KeyedEventHandle, ExKeyedEventObjectType, ObjectAttributes,
                             sizeof(EX_KEYED_EVENT), (PVOID *)&KeyedEvent);
    if (!NT_SUCCESS(Status))
        return Status;
    ExpInitializeKeyedEvent(KeyedEvent);
    return ExpInsertObject(PreviousMode, KeyedEvent, DesiredAccess, KeyedEventHandle);
}

NTSTATUS NtOpenKeyedEvent(PHANDLE KeyedEventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExpOpenObject(KeyedEventHandle, DesiredAccess, ObjectAttributes, ExKeyedEventObjectType);
}

/*
 * Both services: meet a thread of this process queued on the other side with the
 * same key (the oldest), or queue on this side and sleep until one comes, the
 * timeout passes, or (Alertable) an alert or user APC ends the wait. A sleeper a
 * partner took off the queue has met it, whatever its own wait said.
 */
static NTSTATUS ExpMeetOnKeyedEvent(HANDLE KeyedEventHandle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                                    BOOLEAN Release)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PEPROCESS Process = PsGetCurrentProcess();
    PEX_KEYED_EVENT KeyedEvent;
    LARGE_INTEGER CapturedTimeout;
    EXP_KEYED_SLEEPER Self;
    PLIST_ENTRY Queue, Entry;
    KIRQL OldIrql;
    NTSTATUS Status;

    /* Bit 0 is NT's to use inside its queues: a key must be even. */
    if ((ULONG_PTR)Key & 1)
        return STATUS_INVALID_PARAMETER_1;
    if (Timeout != NULL) {
        Status = ExCaptureUserData(&CapturedTimeout, Timeout, sizeof(LARGE_INTEGER), sizeof(ULONG), PreviousMode);
        if (!NT_SUCCESS(Status))
            return Status;
        Timeout = &CapturedTimeout;
    }
    if (KeyedEventHandle == NULL) {
        KeyedEvent = ExpCritSecOutOfMemoryEvent;
        ObReferenceObject(KeyedEvent);
    } else {
        Status = ObReferenceObjectByHandle(KeyedEventHandle, Release ? KEYEDEVENT_WAKE : KEYEDEVENT_WAIT,
                                           ExKeyedEventObjectType, PreviousMode, (PVOID *)&KeyedEvent, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
    }

    KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
    Queue = Release ? &KeyedEvent->WaitQueue : &KeyedEvent->ReleaseQueue;
    for (Entry = Queue->Flink; Entry != Queue; Entry = Entry->Flink) {
        PEXP_KEYED_SLEEPER Partner = CONTAINING_RECORD(Entry, EXP_KEYED_SLEEPER, Links);

        if (Partner->Key == Key && Partner->Process == Process) {
            RemoveEntryList(&Partner->Links);
            Partner->Met = TRUE;
            KeSetEvent(&Partner->Wake, EVENT_INCREMENT, FALSE);
            KeLowerIrql(OldIrql);
            ObDereferenceObject(KeyedEvent);
            return STATUS_SUCCESS;
        }
    }
    Self.Key = Key;
    Self.Process = Process;
    Self.Met = FALSE;
    KeInitializeEvent(&Self.Wake, SynchronizationEvent, FALSE);
    InsertTailList(Release ? &KeyedEvent->ReleaseQueue : &KeyedEvent->WaitQueue, &Self.Links);
    KeLowerIrql(OldIrql);

    Status = KeWaitForSingleObject(&Self.Wake, WrKeyedEvent, PreviousMode, Alertable != FALSE, Timeout);

    KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
    if (Self.Met)
        Status = STATUS_SUCCESS;
    else
        RemoveEntryList(&Self.Links);
    KeLowerIrql(OldIrql);
    ObDereferenceObject(KeyedEvent);
    return Status;
}

NTSTATUS NtWaitForKeyedEvent(HANDLE KeyedEventHandle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    return ExpMeetOnKeyedEvent(KeyedEventHandle, Key, Alertable, Timeout, FALSE);
}

NTSTATUS NtReleaseKeyedEvent(HANDLE KeyedEventHandle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    return ExpMeetOnKeyedEvent(KeyedEventHandle, Key, Alertable, Timeout, TRUE);
}

/*
 * event.c - event objects (NT: ExpEventInitialization, NtCreateEvent, NtOpenEvent,
 * NtSetEvent, NtResetEvent, NtPulseEvent, NtClearEvent, NtQueryEvent in
 * ntos\ex\event.c). The body is a KEVENT; the kernel's event routines do the work.
 */
#include "exobjp.h"

POBJECT_TYPE ExEventObjectType;

/* NT's ExpEventMapping: waiting is "execute". */
static const GENERIC_MAPPING ExpEventMapping = {
    STANDARD_RIGHTS_READ | EVENT_QUERY_STATE,
    STANDARD_RIGHTS_WRITE | EVENT_MODIFY_STATE,
    STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
    EVENT_ALL_ACCESS
};

NTSTATUS ExpEventInitialization(VOID)
{
    return ExpCreateObjectType(u"Event", sizeof(KEVENT), &ExpEventMapping, EVENT_ALL_ACCESS, NULL,
                               &ExEventObjectType);
}

NTSTATUS NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                       EVENT_TYPE EventType, BOOLEAN InitialState)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PKEVENT Event;
    NTSTATUS Status;

    if (EventType != NotificationEvent && EventType != SynchronizationEvent)
        return STATUS_INVALID_PARAMETER;
    Status = ExpCreateObject(PreviousMode, EventHandle, ExEventObjectType, ObjectAttributes, sizeof(KEVENT),
                             (PVOID *)&Event);
    if (!NT_SUCCESS(Status))
        return Status;
    /* A BOOLEAN from user mode may be any byte: the signal state is 0 or 1. */
    KeInitializeEvent(Event, EventType, InitialState != FALSE);
    return ExpInsertObject(PreviousMode, Event, DesiredAccess, EventHandle);
}

NTSTATUS NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExpOpenObject(EventHandle, DesiredAccess, ObjectAttributes, ExEventObjectType);
}

typedef enum _EXP_EVENT_OPERATION {
    ExpSetEvent,
    ExpResetEvent,
    ExpPulseEvent,
    ExpClearEvent
} EXP_EVENT_OPERATION;

/*
 * Set, Reset, Pulse and Clear: the same steps around a different Ke routine. The
 * previous state is optional; it is probed before the event changes, and a fault
 * while storing it afterwards is ignored, as in NT (the event has changed: the
 * call succeeded).
 */
static NTSTATUS ExpChangeEvent(HANDLE EventHandle, EXP_EVENT_OPERATION Operation, PLONG PreviousState)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    LONG State = 0;
    PKEVENT Event;
    NTSTATUS Status;

    if (PreviousState != NULL) {
        Status = ExProbeUserOutput(PreviousState, sizeof(LONG), sizeof(LONG), PreviousMode);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = ObReferenceObjectByHandle(EventHandle, EVENT_MODIFY_STATE, ExEventObjectType, PreviousMode,
                                       (PVOID *)&Event, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    switch (Operation) {
    case ExpSetEvent:
        State = KeSetEvent(Event, EVENT_INCREMENT, FALSE);
        break;
    case ExpResetEvent:
        State = KeResetEvent(Event);
        break;
    case ExpPulseEvent:
        State = KePulseEvent(Event, EVENT_INCREMENT, FALSE);
        break;
    case ExpClearEvent:
        KeClearEvent(Event);
        break;
    }
    ObDereferenceObject(Event);
    if (PreviousState != NULL)
        (VOID)ExCopyToCaller(PreviousState, &State, sizeof(LONG), PreviousMode);
    return STATUS_SUCCESS;
}

NTSTATUS NtSetEvent(HANDLE EventHandle, PLONG PreviousState)
{
    return ExpChangeEvent(EventHandle, ExpSetEvent, PreviousState);
}

NTSTATUS NtResetEvent(HANDLE EventHandle, PLONG PreviousState)
{
    return ExpChangeEvent(EventHandle, ExpResetEvent, PreviousState);
}

/* Releases what waits (all of them, or one for a synchronization event), then resets. */
NTSTATUS NtPulseEvent(HANDLE EventHandle, PLONG PreviousState)
{
    return ExpChangeEvent(EventHandle, ExpPulseEvent, PreviousState);
}

/* NtResetEvent without the previous state (NT's cheaper KeClearEvent). */
NTSTATUS NtClearEvent(HANDLE EventHandle)
{
    return ExpChangeEvent(EventHandle, ExpClearEvent, NULL);
}

static VOID ExpQueryEvent(PVOID Object, PVOID Information)
{
    PKEVENT Event = Object;
    PEVENT_BASIC_INFORMATION Basic = Information;

    Basic->EventType = Event->Header.Type == EventNotificationObject ? NotificationEvent
                                                                     : SynchronizationEvent;
    Basic->EventState = KeReadStateEvent(Event);
}

NTSTATUS NtQueryEvent(HANDLE EventHandle, EVENT_INFORMATION_CLASS EventInformationClass, PVOID EventInformation,
                      ULONG EventInformationLength, PULONG ReturnLength)
{
    return ExpQueryObject(EventHandle, ExEventObjectType, EVENT_QUERY_STATE, EventInformationClass,
                          EventInformation, EventInformationLength, ReturnLength,
                          sizeof(EVENT_BASIC_INFORMATION), ExpQueryEvent);
}

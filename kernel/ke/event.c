/*
 * event.c - event objects (NT: KeInitializeEvent, KeSetEvent, KeResetEvent,
 * KeClearEvent, KePulseEvent, KeReadStateEvent, in ke\eventobj.c).
 *
 * An event is a DISPATCHER_HEADER and nothing else: SignalState 1 is set, 0 is
 * not. A notification event stays set until reset and releases every waiter; a
 * synchronization event releases one waiter and resets itself as it does
 * (KiWaitSatisfyAny).
 */
#include "waitp.h"

VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    Event->Header.Type = (UCHAR)(EventNotificationObject + Type);
    Event->Header.Absolute = FALSE;
    Event->Header.Size = sizeof(KEVENT) / sizeof(LONG);
    Event->Header.Inserted = FALSE;
    Event->Header.SignalState = State ? 1 : 0;
    InitializeListHead(&Event->Header.WaitListHead);
}

LONG KeSetEvent(PKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    LONG OldState = Event->Header.SignalState;

    Event->Header.SignalState = 1;
    /* Setting a set event changes nothing for its waiters (WaitAll ones among them). */
    if (OldState == 0 && !IsListEmpty(&Event->Header.WaitListHead))
        KiWaitTest(Event, Increment);
    KiUnlockDispatcherForWait(OldIrql, Wait);
    return OldState;
}

LONG KeResetEvent(PKEVENT Event)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    LONG OldState = Event->Header.SignalState;

    Event->Header.SignalState = 0;
    KiUnlockDispatcherDatabase(OldIrql);
    return OldState;
}

/* KeResetEvent without the previous state: one store, so no lock (as NT). */
VOID KeClearEvent(PKEVENT Event)
{
    Event->Header.SignalState = 0;
}

LONG KePulseEvent(PKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    LONG OldState = Event->Header.SignalState;

    if (OldState == 0 && !IsListEmpty(&Event->Header.WaitListHead)) {
        Event->Header.SignalState = 1;
        KiWaitTest(Event, Increment);
    }
    Event->Header.SignalState = 0;
    KiUnlockDispatcherForWait(OldIrql, Wait);
    return OldState;
}

LONG KeReadStateEvent(PKEVENT Event)
{
    return Event->Header.SignalState;
}

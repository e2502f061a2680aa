/*
 * timerobj.c - timer objects (NT: KeInitializeTimer(Ex), KeSetTimer(Ex),
 * KeCancelTimer, KeReadStateTimer, in ke\timerobj.c).
 *
 * A timer is signalled when its due time comes (timersup.c keeps the table of
 * armed timers). A notification timer then releases every waiter and stays
 * signalled; a synchronization timer releases one and resets. Either may also
 * queue a DPC, and a periodic one is re-armed after each expiry.
 */
#include "waitp.h"

VOID KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type)
{
    Timer->Header.Type = (UCHAR)(TimerNotificationObject + Type);
    Timer->Header.Absolute = FALSE;
    Timer->Header.Size = sizeof(KTIMER) / sizeof(LONG);
    Timer->Header.Inserted = FALSE;
    Timer->Header.SignalState = 0;
    InitializeListHead(&Timer->Header.WaitListHead);
    Timer->DueTime.QuadPart = 0;
    Timer->Dpc = NULL;
    Timer->Period = 0;
}

VOID KeInitializeTimer(PKTIMER Timer)
{
    KeInitializeTimerEx(Timer, NotificationTimer);
}

BOOLEAN KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period, PKDPC Dpc)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    BOOLEAN WasInserted = Timer->Header.Inserted;
    LARGE_INTEGER Interval;

    ASSERT(Period >= 0);        /* NtSetTimer refuses a negative one */
    if (WasInserted)
        KiRemoveTimer(Timer);
    Timer->Header.SignalState = 0;
    Timer->Dpc = Dpc;
    Timer->Period = Period;
    if (!KiInsertTimer(Timer, DueTime)) {
        /* Due already: it fires right here, as the clock would have fired it. */
        if (!IsListEmpty(&Timer->Header.WaitListHead))
            KiWaitTest(Timer, TIMER_EXPIRE_INCREMENT);
        if (Dpc != NULL)
            KiQueueTimerDpc(Timer);
        if (Period != 0) {
            Interval.QuadPart = -(LONGLONG)Period * TIMER_UNITS_PER_MS;  /* from now */
            KiInsertTimer(Timer, Interval);
        }
    }
    KiUnlockDispatcherDatabase(OldIrql);
    return WasInserted;
}

BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc)
{
    return KeSetTimerEx(Timer, DueTime, 0, Dpc);
}

BOOLEAN KeCancelTimer(PKTIMER Timer)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    BOOLEAN WasInserted = Timer->Header.Inserted;

    if (WasInserted)
        KiRemoveTimer(Timer);
    KiUnlockDispatcherDatabase(OldIrql);
    return WasInserted;
}

BOOLEAN KeReadStateTimer(PKTIMER Timer)
{
    return Timer->Header.SignalState != 0;
}

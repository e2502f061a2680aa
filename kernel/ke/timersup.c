/*
 * timersup.c - the timer table (NT: KiInsertTreeTimer, KiRemoveTreeTimer,
 * KiTimerExpiration, KiTimerListExpire, in ke\timersup.c and ke\dpcsup.c).
 *
 * Every armed timer - a KTIMER object, or the timer of a thread waiting with a
 * timeout - sits in one list ordered by due time, in interrupt time (100 ns since
 * boot); timers due at the same moment keep the order they were armed in. NT
 * hashes timers into 256 lists by due tick so that arming is O(1) among thousands
 * of timers; with the few timers of this kernel one ordered list is simpler and
 * makes the next due time (what the clock asks at every tick) its first entry.
 *
 * An absolute due time (system time) is converted to interrupt time when the timer
 * is armed, and Header.Absolute remembers it was absolute (NT uses that to move
 * such timers when the system time is set; this kernel does not set it yet).
 */
#include "waitp.h"

static LIST_ENTRY KiTimerListHead = { &KiTimerListHead, &KiTimerListHead };

/* Links Timer in at its DueTime, after every timer due no later. */
static VOID KipInsertTimerList(PKTIMER Timer)
{
    PLIST_ENTRY Entry = KiTimerListHead.Blink;

    /* From the back: a new timer is usually the latest. */
    while (Entry != &KiTimerListHead) {
        PKTIMER Other = CONTAINING_RECORD(Entry, KTIMER, TimerListEntry);
        if (Other->DueTime.QuadPart <= Timer->DueTime.QuadPart)
            break;
        Entry = Entry->Blink;
    }
    InsertHeadList(Entry, &Timer->TimerListEntry);
    Timer->Header.Inserted = TRUE;
}

BOOLEAN KiInsertTimer(PKTIMER Timer, LARGE_INTEGER Interval)
{
    ULONGLONG Now = KeQueryInterruptTime();
    ULONGLONG Delay;
    LARGE_INTEGER SystemTime;

    Timer->Header.Absolute = FALSE;
    if (Timer->Period == 0)
        Timer->Header.SignalState = 0;
    if (Interval.QuadPart >= 0) {
        /* An absolute system time: how far ahead of the present is it? */
        KeQuerySystemTime(&SystemTime);
        Timer->Header.Absolute = TRUE;
        Delay = Interval.QuadPart > SystemTime.QuadPart
                ? (ULONGLONG)(Interval.QuadPart - SystemTime.QuadPart) : 0;
    } else {
        Delay = (ULONGLONG)0 - (ULONGLONG)Interval.QuadPart;
    }
    if (Delay == 0) {
        /* Due already: it fires now, without entering the table. */
        Timer->Header.SignalState = 1;
        Timer->Header.Inserted = FALSE;
        return FALSE;
    }
    Timer->DueTime.QuadPart = Now + Delay;
    KipInsertTimerList(Timer);
    return TRUE;
}

VOID KiRemoveTimer(PKTIMER Timer)
{
    RemoveEntryList(&Timer->TimerListEntry);
    Timer->Header.Inserted = FALSE;
}

/*
 * Re-arms a periodic timer that has just fired (NT re-inserts it relative to the
 * present, so a late expiry delays the following ones rather than bunching them).
 */
static VOID KipRearmPeriodicTimer(PKTIMER Timer, ULONGLONG InterruptTime)
{
    Timer->DueTime.QuadPart = InterruptTime + (ULONGLONG)Timer->Period * TIMER_UNITS_PER_MS;
    KipInsertTimerList(Timer);
}

VOID KiQueueTimerDpc(PKTIMER Timer)
{
    LARGE_INTEGER SystemTime;

    KeQuerySystemTime(&SystemTime);
    KeInsertQueueDpc(Timer->Dpc, (PVOID)(ULONG_PTR)SystemTime.LowPart,
                     (PVOID)(ULONG_PTR)SystemTime.HighPart);
}

VOID KiExpireTimers(ULONGLONG InterruptTime)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();

    /*
     * Take the first timer each time round: ending a wait may take another
     * timer (the waiter's own) out of the list.
     */
    while (!IsListEmpty(&KiTimerListHead)) {
        PKTIMER Timer = CONTAINING_RECORD(KiTimerListHead.Flink, KTIMER, TimerListEntry);

        if (Timer->DueTime.QuadPart > InterruptTime)
            break;
        KiRemoveTimer(Timer);
        Timer->Header.SignalState = 1;
        if (!IsListEmpty(&Timer->Header.WaitListHead))
            KiWaitTest(Timer, TIMER_EXPIRE_INCREMENT);
        if (Timer->Period != 0)
            KipRearmPeriodicTimer(Timer, InterruptTime);
        if (Timer->Dpc != NULL)
            KiQueueTimerDpc(Timer);
    }
    KiUnlockDispatcherDatabase(OldIrql);
}

/*
 * Reads the head of the list without the lock, so that the clock interrupt can
 * ask at any IRQL. A view torn by an insertion in progress can only make the
 * clock look once too often or one tick late; KiExpireTimers decides under the
 * lock.
 */
ULONGLONG KiNextTimerDueTime(VOID)
{
    PLIST_ENTRY First = *(PLIST_ENTRY volatile *)&KiTimerListHead.Flink;

    if (First == &KiTimerListHead)
        return ~0ULL;
    return CONTAINING_RECORD(First, KTIMER, TimerListEntry)->DueTime.QuadPart;
}

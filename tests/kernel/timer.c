/*
 * timer.c - self-test: the clock interrupt arrives and keeps NT's three clocks.
 */
#include <selftest.h>
#include <ke.h>
#include <hal.h>

#define KST_TIMER_TICKS 10

static NTSTATUS KstTimerTicks(VOID)
{
    ULONG StartTicks, Ticks;
    ULONGLONG StartInterruptTime, InterruptTime;
    LARGE_INTEGER StartSystemTime, SystemTime;

    KST_CHECK(__readeflags() & EFLAGS_IF);
    KST_CHECK(KeQueryTimeIncrement() > 0);

    StartTicks = KeTickCount;
    StartInterruptTime = KeQueryInterruptTime();
    KeQuerySystemTime(&StartSystemTime);

    /* Sleep until the clock has ticked N times; each tick wakes the HLT. */
    while (KeTickCount - StartTicks < KST_TIMER_TICKS)
        __halt();

    Ticks = KeTickCount - StartTicks;
    InterruptTime = KeQueryInterruptTime();
    KeQuerySystemTime(&SystemTime);
    DbgPrint("    %lu ticks, interrupt time +%llu, system time +%lld (100 ns)\n", Ticks,
             InterruptTime - StartInterruptTime, SystemTime.QuadPart - StartSystemTime.QuadPart);

    /* A tick may land between the reads above, hence the +1 allowance. */
    KST_CHECK(Ticks >= KST_TIMER_TICKS && Ticks <= KST_TIMER_TICKS + 1);
    KST_CHECK(InterruptTime - StartInterruptTime >= (ULONGLONG)Ticks * KeQueryTimeIncrement());
    KST_CHECK(InterruptTime - StartInterruptTime <= (ULONGLONG)(Ticks + 1) * KeQueryTimeIncrement());
    KST_CHECK((ULONGLONG)(SystemTime.QuadPart - StartSystemTime.QuadPart) >=
              (ULONGLONG)Ticks * KeQueryTimeIncrement());
    /* 100 Hz: 10 ms per tick, within the PIT divisor's rounding. */
    KST_CHECK(KeQueryTimeIncrement() >= 99900 && KeQueryTimeIncrement() <= 100100);
    return STATUS_SUCCESS;
}
KSELFTEST(TIMER, KstTimerTicks);

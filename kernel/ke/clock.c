/*
 * clock.c - the kernel's sense of time (NT: KeUpdateSystemTime, KeTickCount,
 * KeQueryInterruptTime, KeQuerySystemTime, KeQueryTimeIncrement).
 *
 * Three clocks, in NT's units:
 *  - the tick count: clock interrupts since boot;
 *  - the interrupt time: 100 ns units since boot, advanced by the time increment
 *    at every tick;
 *  - the system time: 100 ns units since 1601-01-01 UTC, the CMOS time read at
 *    boot plus the interrupt time since.
 * 64-bit values are written by the clock interrupt alone and read with interrupts
 * off, so a reader never sees half of an update (one processor).
 */
#include <ke.h>

ULONG KeMaximumIncrement;
volatile ULONG KeTickCount;
static volatile ULONGLONG KiInterruptTime;
static LARGE_INTEGER KiBootTime;

VOID KeInitializeClock(ULONG TimeIncrement, const LARGE_INTEGER *BootTime)
{
    KeMaximumIncrement = TimeIncrement;
    KiBootTime = *BootTime;
}

/* Called by the HAL's clock interrupt at every tick. */
VOID KeUpdateSystemTime(PKTRAP_FRAME TrapFrame)
{
    UNREFERENCED_PARAMETER(TrapFrame);
    KiInterruptTime += KeMaximumIncrement;
    KeTickCount++;
}

ULONGLONG KeQueryInterruptTime(VOID)
{
    BOOLEAN Enabled = KiDisableInterrupts();
    ULONGLONG Time = KiInterruptTime;
    KiRestoreInterrupts(Enabled);
    return Time;
}

VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
    CurrentTime->QuadPart = KiBootTime.QuadPart + (LONGLONG)KeQueryInterruptTime();
}

ULONG KeQueryTimeIncrement(VOID)
{
    return KeMaximumIncrement;
}

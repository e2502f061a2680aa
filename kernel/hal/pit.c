/*
 * pit.c - the 8253/8254 programmable interval timer, the system clock
 * (NT: HalpInitializeClock and the clock interrupt that calls KeUpdateSystemTime).
 *
 * Channel 0 runs in mode 2 (rate generator) at HAL_CLOCK_HZ. The time increment
 * handed to the kernel is the true period of that divisor in 100 ns units, so
 * the tick count and the interrupt time agree with the hardware, not with the
 * rounded rate.
 */
#include <hal.h>
#include <ke.h>

#define PIT_CHANNEL0      0x40
#define PIT_COMMAND       0x43
#define PIT_FREQUENCY     1193182UL     /* Hz of the PIT's input clock */
#define PIT_SELECT_CH0    0x00
#define PIT_ACCESS_LOHI   0x30
#define PIT_MODE_RATE     0x04          /* mode 2 */

#define PIT_DIVISOR ((PIT_FREQUENCY + HAL_CLOCK_HZ / 2) / HAL_CLOCK_HZ)

static BOOLEAN HalpClockInterrupt(PKTRAP_FRAME TrapFrame, PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeUpdateSystemTime(TrapFrame);
    return TRUE;
}

/* 100 ns units per tick for a divisor: Divisor * 10^7 / PIT_FREQUENCY, rounded. */
static ULONG HalpTimeIncrement(ULONG Divisor)
{
    ULONGLONG Scaled = (ULONGLONG)Divisor * 10000000ULL + PIT_FREQUENCY / 2;
    ULONG Remainder;
    return (ULONG)RtlpDivide64By32(Scaled, PIT_FREQUENCY, &Remainder);
}

VOID HalpInitializeClock(VOID)
{
    TIME_FIELDS Now;
    LARGE_INTEGER BootTime = { .QuadPart = 0 };

    if (HalQueryRealTimeClock(&Now) && !RtlTimeFieldsToTime(&Now, &BootTime))
        BootTime.QuadPart = 0;
    KeInitializeClock(HalpTimeIncrement(PIT_DIVISOR), &BootTime);

    WRITE_PORT_UCHAR(PIT_COMMAND, PIT_SELECT_CH0 | PIT_ACCESS_LOHI | PIT_MODE_RATE);
    WRITE_PORT_UCHAR(PIT_CHANNEL0, (UCHAR)(PIT_DIVISOR & 0xFF));
    WRITE_PORT_UCHAR(PIT_CHANNEL0, (UCHAR)(PIT_DIVISOR >> 8));

    HalConnectInterrupt(HAL_IRQ_CLOCK, HalpClockInterrupt, NULL);
}

/*
 * perfcnt.c - the performance counter (NT: KeQueryPerformanceCounter, which the
 * HAL provides; this is what NT's PIT-based HAL does with the 8254).
 *
 * The counter runs at the PIT's input clock, 1193182 Hz, the frequency NT's PIT HAL
 * reports. Its value is the clock ticks counted so far (KeTickCount) times the
 * divisor channel 0 is programmed with (pit.c), plus how far channel 0 has counted
 * down in the current tick, latched and read with interrupts off: a resolution of
 * 0.84 us instead of the 10 ms tick.
 *
 * Two races are handled. The counter may wrap (a tick ends) after interrupts went
 * off but before KeTickCount saw that tick: the 8259's request register then shows
 * IRQ 0 pending, and if the count read is early in a tick, the wrap came first and
 * one tick is added. And whatever a late interrupt or a slow read may still do,
 * the value never goes back: it is at least the last one returned (one processor,
 * interrupts off, so that comparison is itself race-free).
 */
#include <hal.h>
#include <ke.h>

#define PIT_FREQUENCY   1193182UL       /* Hz, as in pit.c */
#define PIT_DIVISOR     ((PIT_FREQUENCY + HAL_CLOCK_HZ / 2) / HAL_CLOCK_HZ)    /* as in pit.c */
#define PIT_CHANNEL0    0x40
#define PIT_COMMAND     0x43
#define PIT_LATCH_CH0   0x00            /* counter-latch command for channel 0 */
#define PIC1_COMMAND    0x20
#define OCW3_READ_IRR   0x0A            /* the next read of PIC1_COMMAND gives the IRR */

static ULONGLONG HalpLastPerformanceCounter;

LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER Counter;
    ULONG Count, Elapsed, Ticks;
    ULONGLONG Value;
    BOOLEAN Enabled, Pending;

    if (PerformanceFrequency != NULL)
        PerformanceFrequency->QuadPart = PIT_FREQUENCY;

    Enabled = KiDisableInterrupts();
    Ticks = KeTickCount;
    WRITE_PORT_UCHAR(PIT_COMMAND, PIT_LATCH_CH0);
    Count = READ_PORT_UCHAR(PIT_CHANNEL0);
    Count |= (ULONG)READ_PORT_UCHAR(PIT_CHANNEL0) << 8;
    WRITE_PORT_UCHAR(PIC1_COMMAND, OCW3_READ_IRR);
    Pending = (READ_PORT_UCHAR(PIC1_COMMAND) & (1 << HAL_IRQ_CLOCK)) != 0;

    /* Mode 2 counts Divisor, Divisor - 1, ..., 1, then reloads. */
    Elapsed = (Count != 0 && Count <= PIT_DIVISOR) ? PIT_DIVISOR - Count : 0;
    if (Pending && Elapsed < PIT_DIVISOR / 2)
        Ticks++;
    Value = (ULONGLONG)Ticks * PIT_DIVISOR + Elapsed;
    if (Value < HalpLastPerformanceCounter)
        Value = HalpLastPerformanceCounter;
    HalpLastPerformanceCounter = Value;
    KiRestoreInterrupts(Enabled);

    Counter.QuadPart = (LONGLONG)Value;
    return Counter;
}

/*
 * boot.c - benchmarks of the boot path and of the clock interrupt.
 */
#include <bench.h>
#include <ke.h>
#include <hal.h>

/* From reset (the TSC starts at 0) to the kernel's first instruction: BIOS and loader. */
static ULONGLONG KbResetToEntry(VOID)
{
    return KiBootTsc;
}
KBENCH(boot_reset_to_entry, KbResetToEntry, "instructions from reset to KiSystemStartup");

static ULONGLONG KbEntryToBanner(VOID)
{
    return KiBannerTsc - KiBootTsc;
}
KBENCH(boot_entry_to_banner, KbEntryToBanner, "instructions from KiSystemStartup to the banner");

#define KB_TIMER_TICKS 20

/* Spins until Ticks clock ticks have passed or Limit iterations are done. The same
   code runs with interrupts on and off, so the two runs differ only by the ticks. */
__attribute__((noinline)) static ULONG KbSpin(ULONG StartTick, ULONG Ticks, ULONG Limit)
{
    ULONG Iterations = 0;

    while (Iterations < Limit && KeTickCount - StartTick < Ticks)
        Iterations++;
    return Iterations;
}

/*
 * One clock interrupt, all of it: the processor's delivery, KiTrapCommon, the HAL's
 * dispatch and EOI, KeUpdateSystemTime, KiTrapExit. Spin for N ticks with
 * interrupts on, then the same number of iterations with interrupts off; the
 * difference is N interrupts.
 */
static ULONGLONG KbTimerInterrupt(VOID)
{
    ULONGLONG Start, WithInterrupts, Without;
    ULONG StartTick, Iterations, Ticks, Remainder;

    __halt();                                   /* start just after a tick */
    StartTick = KeTickCount;
    Start = __rdtsc();
    Iterations = KbSpin(StartTick, KB_TIMER_TICKS, 0xFFFFFFFF);
    WithInterrupts = __rdtsc() - Start;
    Ticks = KeTickCount - StartTick;

    _disable();
    StartTick = KeTickCount;
    Start = __rdtsc();
    KbSpin(StartTick, KB_TIMER_TICKS, Iterations);
    Without = __rdtsc() - Start;
    _enable();

    if (WithInterrupts <= Without || Ticks == 0)
        return 0;
    return RtlpDivide64By32(WithInterrupts - Without, Ticks, &Remainder);
}
KBENCH(timer_interrupt, KbTimerInterrupt, "instructions per clock interrupt (IRQ 0 to IRETD)");

/*
 * clock.c - the kernel's sense of time (NT: KeUpdateSystemTime, KeTickCount,
 * KeQueryInterruptTime, KeQuerySystemTime, KeQueryTimeIncrement).
 *
 * Once the memory manager has made KUSER_SHARED_DATA, every tick also publishes
 * the three clocks there, where user mode reads them without a system call.
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
#include "ki.h"
#include <nt/kuser.h>

ULONG KeMaximumIncrement;
volatile ULONG KeTickCount;
static volatile ULONGLONG KiInterruptTime;
static LARGE_INTEGER KiBootTime;
static BOOLEAN KiSharedUserTimeValid;

/* Stores a 64-bit time in NT's torn-read-safe order: High2Time, LowPart, High1Time. */
static VOID KipWriteSystemTime(volatile KSYSTEM_TIME *Time, ULONGLONG Value)
{
    Time->High2Time = (LONG)(Value >> 32);
    __asm__ volatile("" ::: "memory");
    Time->LowPart = (ULONG)Value;
    __asm__ volatile("" ::: "memory");
    Time->High1Time = (LONG)(Value >> 32);
}

static VOID KipPublishTime(VOID)
{
    KipWriteSystemTime(&SharedUserData->InterruptTime, KiInterruptTime);
    KipWriteSystemTime(&SharedUserData->SystemTime,
                       (ULONGLONG)KiBootTime.QuadPart + KiInterruptTime);
    KipWriteSystemTime(&SharedUserData->TickCount, KeTickCount);
    SharedUserData->TickCountLowDeprecated = KeTickCount;
}

/* Called by the memory manager once SharedUserData is mapped. */
VOID KeInitializeSharedUserTime(VOID)
{
    BOOLEAN Enabled = KiDisableInterrupts();
    KipPublishTime();
    KiSharedUserTimeValid = TRUE;
    KiRestoreInterrupts(Enabled);
}

VOID KeInitializeClock(ULONG TimeIncrement, const LARGE_INTEGER *BootTime)
{
    KeMaximumIncrement = TimeIncrement;
    KiBootTime = *BootTime;
}

static KDPC KiTimerExpireDpc;

/* At DISPATCH_LEVEL: fire the timers that are due (the table is the wait code's). */
static VOID KipTimerExpiration(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    KiExpireTimers(KeQueryInterruptTime());
}

VOID KiInitializeClockDpc(VOID)
{
    KeInitializeDpc(&KiTimerExpireDpc, KipTimerExpiration, NULL);
    KiTimerExpireDpc.Importance = HighImportance;
}

/*
 * Called by the HAL's clock interrupt at every tick, at CLOCK2_LEVEL (NT:
 * KeUpdateSystemTime and KeUpdateRunTime): the clocks, the running thread's
 * kernel or user time and its quantum, and a DPC when a timer is due.
 */
VOID KeUpdateSystemTime(PKTRAP_FRAME TrapFrame)
{
    PKTHREAD Thread = KeGetCurrentThread();

    KiInterruptTime += KeMaximumIncrement;
    KeTickCount++;
    if (KiSharedUserTimeValid)
        KipPublishTime();
    if (Thread == NULL)
        return;                         /* before the first thread exists */
    if (KiUserTrap(TrapFrame))
        Thread->UserTime++;
    else
        Thread->KernelTime++;
    KiDecrementQuantum();
    if (KiInterruptTime >= KiNextTimerDueTime())
        KeInsertQueueDpc(&KiTimerExpireDpc, NULL, NULL);
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

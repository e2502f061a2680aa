/*
 * sysinfo.c - the system-information and time services: NtQuerySystemInformation
 * (three classes so far: basic, time of day, the task list), NtQuerySystemTime, NtQueryPerformanceCounter and
 * NtQueryTimerResolution, with NT's structures, checks and status codes.
 *
 * Each answer is computed into a kernel copy, then written to the caller. From user
 * mode the output buffers are probed first and written inside a fault-recovery
 * block (NT's try/except), so a bad pointer returns STATUS_ACCESS_VIOLATION or
 * STATUS_DATATYPE_MISALIGNMENT and the kernel goes on.
 */
#include <ex.h>
#include <ke.h>
#include <hal.h>
#include <mm.h>
#include <rtl.h>
#include <ps.h>
#include <nt/ntexapi.h>
#include "ntapi.h"      /* the prototypes, from include/nt/sysfuncs.lst */

/*
 * The memory manager's page counts, which NT's mm.h exports for exactly this
 * purpose (MmNumberOfPhysicalPages, MmLowestPhysicalPage, MmHighestPhysicalPage);
 * ours declares them in mm's private pfn.h (PFN_NUMBER is a ULONG).
 */
extern ULONG MmNumberOfPhysicalPages, MmLowestPhysicalPage, MmHighestPhysicalPage;

/* One processor: NT's KeNumberProcessors and KeActiveProcessors. */
#define EXP_NUMBER_PROCESSORS   1
#define EXP_ACTIVE_PROCESSORS   ((KAFFINITY)1)

/* ---- NtQuerySystemInformation ---- */

static VOID ExpQueryBasicInformation(PSYSTEM_BASIC_INFORMATION Basic)
{
    memset(Basic, 0, sizeof(*Basic));
    Basic->TimerResolution = KeMaximumIncrement;
    Basic->PageSize = PAGE_SIZE;
    Basic->NumberOfPhysicalPages = MmNumberOfPhysicalPages;
    Basic->LowestPhysicalPageNumber = MmLowestPhysicalPage;
    Basic->HighestPhysicalPageNumber = MmHighestPhysicalPage;
    Basic->AllocationGranularity = MM_ALLOCATION_GRANULARITY;
    Basic->MinimumUserModeAddress = MM_LOWEST_USER_ADDRESS;
    Basic->MaximumUserModeAddress = MM_HIGHEST_USER_ADDRESS;
    Basic->ActiveProcessorsAffinityMask = EXP_ACTIVE_PROCESSORS;
    Basic->NumberOfProcessors = EXP_NUMBER_PROCESSORS;
}

/*
 * The boot time is the system time less the interrupt time, both read with
 * interrupts off so no tick falls between them (NT keeps KeBootTime; here the
 * clock's boot time is exactly that difference). The system keeps UTC and knows no
 * time zone yet (NT's ExpTimeZoneBias and ExpCurrentTimeZoneId, which
 * NtSetSystemInformation sets): the bias is 0 and the zone TIME_ZONE_ID_UNKNOWN.
 * Nothing sleeps or hibernates, so both biases are 0.
 */
static VOID ExpQueryTimeOfDayInformation(PSYSTEM_TIMEOFDAY_INFORMATION TimeOfDay)
{
    ULONGLONG InterruptTime;
    BOOLEAN Enabled;

    memset(TimeOfDay, 0, sizeof(*TimeOfDay));
    Enabled = KiDisableInterrupts();
    KeQuerySystemTime(&TimeOfDay->CurrentTime);
    InterruptTime = KeQueryInterruptTime();
    KiRestoreInterrupts(Enabled);
    TimeOfDay->BootTime.QuadPart = TimeOfDay->CurrentTime.QuadPart - (LONGLONG)InterruptTime;
    TimeOfDay->TimeZoneId = TIME_ZONE_ID_UNKNOWN;
}

/*
 * NT's order: probe the buffer (ULONG-aligned) and ReturnLength, set *ReturnLength
 * to 0, then the class. The length rule is NT's own for each class:
 *   SystemBasicInformation      exactly sizeof(SYSTEM_BASIC_INFORMATION) (44), else
 *                               STATUS_INFO_LENGTH_MISMATCH;
 *   SystemTimeOfDayInformation  at most sizeof(SYSTEM_TIMEOFDAY_INFORMATION) (48):
 *                               that many bytes of it are returned (a shorter buffer
 *                               gets the beginning, as older callers expect), more is
 *                               STATUS_INFO_LENGTH_MISMATCH.
 * Any other class: STATUS_INVALID_INFO_CLASS (NT's classes not written yet too).
 */
NTSTATUS NtQuerySystemInformation(SYSTEM_INFORMATION_CLASS SystemInformationClass, PVOID SystemInformation,
                                  ULONG SystemInformationLength, PULONG ReturnLength)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    union {
        SYSTEM_BASIC_INFORMATION Basic;
        SYSTEM_TIMEOFDAY_INFORMATION TimeOfDay;
    } Information;
    ULONG Length, Zero = 0;
    NTSTATUS Status;

    Status = ExProbeUserOutput(SystemInformation, SystemInformationLength, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL) {
        Status = ExProbeUserOutput(ReturnLength, sizeof(ULONG), sizeof(ULONG), PreviousMode);
        if (NT_SUCCESS(Status))
            Status = ExCopyToCaller(ReturnLength, &Zero, sizeof(Zero), PreviousMode);
    }
    if (!NT_SUCCESS(Status))
        return Status;

    /* The task list: as long as it is, in its own buffer (ps/pstasks.c). */
    if (SystemInformationClass == SystemProcessInformation) {
        PVOID Copy;

        Status = PsQuerySystemProcessInformation(SystemInformation, SystemInformationLength, &Copy, &Length);
        if (NT_SUCCESS(Status)) {
            Status = ExCopyToCaller(SystemInformation, Copy, Length, PreviousMode);
            PsFreeSystemProcessInformation(Copy);
        }
        /* The length needed goes back with STATUS_INFO_LENGTH_MISMATCH too (NT). */
        if ((NT_SUCCESS(Status) || Status == STATUS_INFO_LENGTH_MISMATCH) && ReturnLength != NULL)
            (VOID)ExCopyToCaller(ReturnLength, &Length, sizeof(Length), PreviousMode);
        return Status;
    }

    switch (SystemInformationClass) {
    case SystemBasicInformation:
        if (SystemInformationLength != sizeof(SYSTEM_BASIC_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        ExpQueryBasicInformation(&Information.Basic);
        Length = sizeof(SYSTEM_BASIC_INFORMATION);
        break;
    case SystemTimeOfDayInformation:
        if (SystemInformationLength > sizeof(SYSTEM_TIMEOFDAY_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
        ExpQueryTimeOfDayInformation(&Information.TimeOfDay);
        Length = SystemInformationLength;
        break;
    default:
        return STATUS_INVALID_INFO_CLASS;
    }

    Status = ExCopyToCaller(SystemInformation, &Information, Length, PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExCopyToCaller(ReturnLength, &Length, sizeof(Length), PreviousMode);
    return Status;
}

/* ---- time ---- */

NTSTATUS NtQuerySystemTime(PLARGE_INTEGER SystemTime)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    LARGE_INTEGER Now;
    NTSTATUS Status;

    Status = ExProbeUserOutput(SystemTime, sizeof(Now), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    KeQuerySystemTime(&Now);
    return ExCopyToCaller(SystemTime, &Now, sizeof(Now), PreviousMode);
}

/*
 * The counter and, optionally, its frequency (KeQueryPerformanceCounter, the HAL's:
 * the PIT at 1193182 Hz). Both outputs are probed before either is written.
 */
NTSTATUS NtQueryPerformanceCounter(PLARGE_INTEGER PerformanceCounter, PLARGE_INTEGER PerformanceFrequency)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    LARGE_INTEGER Counter, Frequency;
    NTSTATUS Status;

    Status = ExProbeUserOutput(PerformanceCounter, sizeof(LARGE_INTEGER), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && PerformanceFrequency != NULL)
        Status = ExProbeUserOutput(PerformanceFrequency, sizeof(LARGE_INTEGER), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;

    Counter = KeQueryPerformanceCounter(&Frequency);
    Status = ExCopyToCaller(PerformanceCounter, &Counter, sizeof(Counter), PreviousMode);
    if (NT_SUCCESS(Status) && PerformanceFrequency != NULL)
        Status = ExCopyToCaller(PerformanceFrequency, &Frequency, sizeof(Frequency), PreviousMode);
    return Status;
}

/*
 * The coarsest, finest and current clock periods in 100 ns units (NT:
 * KeMaximumIncrement, KeMinimumIncrement, KeTimeIncrement). The PIT runs at one
 * rate and nothing changes it yet (NtSetTimerResolution does not exist), so the
 * three are the same: the tick, about 100000 (10 ms).
 */
NTSTATUS NtQueryTimerResolution(PULONG MaximumTime, PULONG MinimumTime, PULONG CurrentTime)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    ULONG Increment = KeQueryTimeIncrement();
    NTSTATUS Status;

    Status = ExProbeUserOutput(MaximumTime, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(MinimumTime, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(CurrentTime, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCopyToCaller(MaximumTime, &Increment, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCopyToCaller(MinimumTime, &Increment, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCopyToCaller(CurrentTime, &Increment, sizeof(ULONG), PreviousMode);
    return Status;
}

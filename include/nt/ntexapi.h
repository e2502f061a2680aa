/*
 * ntexapi.h - the executive's system-information API that user mode sees
 * (NtQuerySystemInformation), with NT's class numbers and i386 layouts.
 */
#pragma once

#include <nt/ntdef.h>

/*
 * NtQuerySystemInformation's classes, NT's numbers. Only the classes listed here
 * are implemented; NT's others (SystemProcessorInformation = 1, ...
 * SystemProcessInformation = 5, ...) return STATUS_INVALID_INFO_CLASS until they
 * are written, so they are not named yet.
 */
typedef enum _SYSTEM_INFORMATION_CLASS {
    SystemBasicInformation = 0,
    SystemTimeOfDayInformation = 3,
} SYSTEM_INFORMATION_CLASS;

/* SystemBasicInformation: the machine as the memory manager and the clock see it. */
typedef struct _SYSTEM_BASIC_INFORMATION {
    ULONG Reserved;                     /* 0x00: 0 */
    ULONG TimerResolution;              /* 0x04: clock tick, 100 ns units */
    ULONG PageSize;                     /* 0x08 */
    ULONG NumberOfPhysicalPages;        /* 0x0C */
    ULONG LowestPhysicalPageNumber;     /* 0x10 */
    ULONG HighestPhysicalPageNumber;    /* 0x14 */
    ULONG AllocationGranularity;        /* 0x18: 64 KB */
    ULONG_PTR MinimumUserModeAddress;   /* 0x1C */
    ULONG_PTR MaximumUserModeAddress;   /* 0x20 */
    KAFFINITY ActiveProcessorsAffinityMask; /* 0x24 */
    CHAR NumberOfProcessors;            /* 0x28: NT's CCHAR */
} SYSTEM_BASIC_INFORMATION, *PSYSTEM_BASIC_INFORMATION;
C_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, TimerResolution, 0x04);
C_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, NumberOfPhysicalPages, 0x0C);
C_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, AllocationGranularity, 0x18);
C_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, MinimumUserModeAddress, 0x1C);
C_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, ActiveProcessorsAffinityMask, 0x24);
C_ASSERT_OFFSET(SYSTEM_BASIC_INFORMATION, NumberOfProcessors, 0x28);
C_ASSERT_SIZE(SYSTEM_BASIC_INFORMATION, 44);

/* SystemTimeOfDayInformation: times in 100 ns units since 1601-01-01 UTC. */
typedef struct _SYSTEM_TIMEOFDAY_INFORMATION {
    LARGE_INTEGER BootTime;             /* 0x00 */
    LARGE_INTEGER CurrentTime;          /* 0x08 */
    LARGE_INTEGER TimeZoneBias;         /* 0x10: UTC - local time */
    ULONG TimeZoneId;                   /* 0x18: TIME_ZONE_ID_* */
    ULONG Reserved;                     /* 0x1C */
    ULONGLONG BootTimeBias;             /* 0x20 */
    ULONGLONG SleepTimeBias;            /* 0x28 */
} SYSTEM_TIMEOFDAY_INFORMATION, *PSYSTEM_TIMEOFDAY_INFORMATION;
C_ASSERT_OFFSET(SYSTEM_TIMEOFDAY_INFORMATION, CurrentTime, 0x08);
C_ASSERT_OFFSET(SYSTEM_TIMEOFDAY_INFORMATION, TimeZoneBias, 0x10);
C_ASSERT_OFFSET(SYSTEM_TIMEOFDAY_INFORMATION, TimeZoneId, 0x18);
C_ASSERT_OFFSET(SYSTEM_TIMEOFDAY_INFORMATION, BootTimeBias, 0x20);
C_ASSERT_OFFSET(SYSTEM_TIMEOFDAY_INFORMATION, SleepTimeBias, 0x28);
C_ASSERT_SIZE(SYSTEM_TIMEOFDAY_INFORMATION, 48);

/* SYSTEM_TIMEOFDAY_INFORMATION.TimeZoneId (winnt.h's values). */
#define TIME_ZONE_ID_UNKNOWN  0
#define TIME_ZONE_ID_STANDARD 1
#define TIME_ZONE_ID_DAYLIGHT 2

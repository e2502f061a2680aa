/*
 * ntexapi.h - the executive's system-information API that user mode sees
 * (NtQuerySystemInformation), with NT's class numbers and i386 layouts.
 */
#pragma once

#include <nt/ntdef.h>

/*
 * NtQuerySystemInformation's classes, NT's numbers. Only the classes listed here
 * are implemented; NT's others (SystemProcessorInformation = 1, ...) return
 * STATUS_INVALID_INFO_CLASS until they are written, so they are not named yet.
 */
typedef enum _SYSTEM_INFORMATION_CLASS {
    SystemBasicInformation = 0,
    SystemTimeOfDayInformation = 3,
    SystemProcessInformation = 5,
} SYSTEM_INFORMATION_CLASS;

/*
 * SystemProcessInformation: the task list. One SYSTEM_PROCESS_INFORMATION per
 * process (the idle process first, ID 0), each followed by one
 * SYSTEM_THREAD_INFORMATION per thread; NextEntryOffset leads to the next process
 * (0 for the last). The image names' characters come after the entries, in the
 * same buffer. NT 5's i386 layouts.
 */
typedef struct _SYSTEM_THREAD_INFORMATION {
    LARGE_INTEGER KernelTime;           /* 0x00 */
    LARGE_INTEGER UserTime;             /* 0x08 */
    LARGE_INTEGER CreateTime;           /* 0x10 */
    ULONG WaitTime;                     /* 0x18 */
    PVOID StartAddress;                 /* 0x1C */
    HANDLE UniqueProcess;               /* 0x20: CLIENT_ID */
    HANDLE UniqueThread;                /* 0x24 */
    LONG Priority;                      /* 0x28 */
    LONG BasePriority;                  /* 0x2C */
    ULONG ContextSwitches;              /* 0x30 */
    ULONG ThreadState;                  /* 0x34: KTHREAD_STATE */
    ULONG WaitReason;                   /* 0x38: KWAIT_REASON */
    ULONG Reserved;                     /* 0x3C */
} SYSTEM_THREAD_INFORMATION, *PSYSTEM_THREAD_INFORMATION;
C_ASSERT_OFFSET(SYSTEM_THREAD_INFORMATION, StartAddress, 0x1C);
C_ASSERT_OFFSET(SYSTEM_THREAD_INFORMATION, ThreadState, 0x34);
C_ASSERT_SIZE(SYSTEM_THREAD_INFORMATION, 0x40);

typedef struct _SYSTEM_PROCESS_INFORMATION {
    ULONG NextEntryOffset;              /* 0x00 */
    ULONG NumberOfThreads;              /* 0x04 */
    LARGE_INTEGER Reserved1[3];         /* 0x08 */
    LARGE_INTEGER CreateTime;           /* 0x20 */
    LARGE_INTEGER UserTime;             /* 0x28 */
    LARGE_INTEGER KernelTime;           /* 0x30 */
    UNICODE_STRING ImageName;           /* 0x38 */
    LONG BasePriority;                  /* 0x40 */
    HANDLE UniqueProcessId;             /* 0x44 */
    HANDLE InheritedFromUniqueProcessId; /* 0x48 */
    ULONG HandleCount;                  /* 0x4C */
    ULONG SessionId;                    /* 0x50 */
    ULONG_PTR PageDirectoryBase;        /* 0x54 */
    SIZE_T PeakVirtualSize;             /* 0x58 */
    SIZE_T VirtualSize;                 /* 0x5C */
    ULONG PageFaultCount;               /* 0x60 */
    SIZE_T PeakWorkingSetSize;          /* 0x64 */
    SIZE_T WorkingSetSize;              /* 0x68 */
    SIZE_T QuotaPeakPagedPoolUsage;     /* 0x6C */
    SIZE_T QuotaPagedPoolUsage;         /* 0x70 */
    SIZE_T QuotaPeakNonPagedPoolUsage;  /* 0x74 */
    SIZE_T QuotaNonPagedPoolUsage;      /* 0x78 */
    SIZE_T PagefileUsage;               /* 0x7C: commit charged */
    SIZE_T PeakPagefileUsage;           /* 0x80 */
    SIZE_T PrivatePageCount;            /* 0x84 */
    LARGE_INTEGER IoCounters[6];        /* 0x88: read, write, other operations and bytes */
} SYSTEM_PROCESS_INFORMATION, *PSYSTEM_PROCESS_INFORMATION;
C_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, CreateTime, 0x20);
C_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, ImageName, 0x38);
C_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, UniqueProcessId, 0x44);
C_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, HandleCount, 0x4C);
C_ASSERT_OFFSET(SYSTEM_PROCESS_INFORMATION, PagefileUsage, 0x7C);
C_ASSERT_SIZE(SYSTEM_PROCESS_INFORMATION, 0xB8);

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

/*
 * kuser.h - KUSER_SHARED_DATA: the page the kernel shares with every process,
 * read-only at MM_SHARED_USER_DATA_VA (0x7FFE0000) in user mode and writable at
 * KI_USER_SHARED_DATA (0xFFDF0000) in the kernel. Layout of NT 5.1 (XP SP2), the
 * offsets user code reads (GetTickCount reads TickCount at 0x320; the system-call
 * stubs call through SystemCall at 0x300).
 */
#pragma once

#include <nt/ntdef.h>

/*
 * A 64-bit time the kernel updates while user mode reads it without a lock: the
 * writer stores High2Time, then LowPart, then High1Time; a reader that sees
 * High1Time == High2Time around its read of LowPart has a consistent value.
 */
typedef struct _KSYSTEM_TIME {
    ULONG LowPart;
    LONG High1Time;
    LONG High2Time;
} KSYSTEM_TIME, *PKSYSTEM_TIME;

typedef enum _NT_PRODUCT_TYPE {
    NtProductWinNt = 1,
    NtProductLanManNt,
    NtProductServer
} NT_PRODUCT_TYPE;

#define PROCESSOR_FEATURE_MAX 64

typedef struct _KUSER_SHARED_DATA {
    ULONG TickCountLowDeprecated;           /* 0x000 */
    ULONG TickCountMultiplier;              /* 0x004: ms per tick, as 24.8 fixed point */
    volatile KSYSTEM_TIME InterruptTime;    /* 0x008: 100 ns units since boot */
    volatile KSYSTEM_TIME SystemTime;       /* 0x014: 100 ns units since 1601, UTC */
    volatile KSYSTEM_TIME TimeZoneBias;     /* 0x020 */
    USHORT ImageNumberLow;                  /* 0x02C: IMAGE_FILE_MACHINE_I386 */
    USHORT ImageNumberHigh;                 /* 0x02E */
    WCHAR NtSystemRoot[260];                /* 0x030: L"C:\\WINDOWS" */
    ULONG MaxStackTraceDepth;               /* 0x238 */
    ULONG CryptoExponent;                   /* 0x23C */
    ULONG TimeZoneId;                       /* 0x240 */
    ULONG LargePageMinimum;                 /* 0x244 */
    ULONG Reserved2[7];                     /* 0x248 */
    NT_PRODUCT_TYPE NtProductType;          /* 0x264 */
    BOOLEAN ProductTypeIsValid;             /* 0x268 */
    UCHAR Pad0[3];
    ULONG NtMajorVersion;                   /* 0x26C */
    ULONG NtMinorVersion;                   /* 0x270 */
    BOOLEAN ProcessorFeatures[PROCESSOR_FEATURE_MAX]; /* 0x274 */
    ULONG Reserved1;                        /* 0x2B4 */
    ULONG Reserved3;                        /* 0x2B8 */
    volatile ULONG TimeSlip;                /* 0x2BC */
    ULONG AlternativeArchitecture;          /* 0x2C0 */
    ULONG Pad1;
    LARGE_INTEGER SystemExpirationDate;     /* 0x2C8 */
    ULONG SuiteMask;                        /* 0x2D0 */
    BOOLEAN KdDebuggerEnabled;              /* 0x2D4 */
    UCHAR NXSupportPolicy;                  /* 0x2D5 */
    UCHAR Pad2[2];
    volatile ULONG ActiveConsoleId;         /* 0x2D8 */
    volatile ULONG DismountCount;           /* 0x2DC */
    ULONG ComPlusPackage;                   /* 0x2E0 */
    ULONG LastSystemRITEventTickCount;      /* 0x2E4 */
    ULONG NumberOfPhysicalPages;            /* 0x2E8 */
    BOOLEAN SafeBootMode;                   /* 0x2EC */
    UCHAR Pad3[3];
    ULONG TraceLogging;                     /* 0x2F0 */
    ULONG Pad4;
    ULONGLONG TestRetInstruction;           /* 0x2F8 */
    ULONG SystemCall;                       /* 0x300: KiFastSystemCall or KiIntSystemCall */
    ULONG SystemCallReturn;                 /* 0x304: KiFastSystemCallRet */
    ULONGLONG SystemCallPad[3];             /* 0x308 */
    union {
        volatile KSYSTEM_TIME TickCount;    /* 0x320: clock ticks since boot */
        volatile ULONGLONG TickCountQuad;
    };
    ULONG Cookie;                           /* 0x330 */
} KUSER_SHARED_DATA, *PKUSER_SHARED_DATA;

C_ASSERT_OFFSET(KUSER_SHARED_DATA, InterruptTime, 0x008);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, SystemTime, 0x014);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, NtSystemRoot, 0x030);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, NtProductType, 0x264);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, NtMajorVersion, 0x26C);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, ProcessorFeatures, 0x274);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, SystemExpirationDate, 0x2C8);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, KdDebuggerEnabled, 0x2D4);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, NumberOfPhysicalPages, 0x2E8);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, TestRetInstruction, 0x2F8);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, SystemCall, 0x300);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, SystemCallReturn, 0x304);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, TickCount, 0x320);
C_ASSERT_OFFSET(KUSER_SHARED_DATA, Cookie, 0x330);

/* The kernel's writable view (valid once the memory manager is up). */
#define SharedUserData ((PKUSER_SHARED_DATA)0xFFDF0000)

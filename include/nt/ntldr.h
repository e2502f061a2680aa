/*
 * ntldr.h - what ntdll's loader leaves in user memory for anyone to read: the
 * module lists behind PEB->Ldr (PEB_LDR_DATA, one LDR_DATA_TABLE_ENTRY per
 * mapped image), the critical section PEB->LoaderLock points at, the DllMain
 * reasons, and the module list LdrQueryProcessModuleInformation copies out.
 *
 * Debuggers, kernel32 (GetModuleHandle walks these lists in NT 5) and programs
 * that enumerate modules read the structures directly, so NT's i386 layouts are
 * kept and asserted (XP's offsets; NT 6 appends to both structures and keeps
 * every field named here where it was).
 */
#pragma once

#include <nt/ntdef.h>

/* ---- DllMain's and the TLS callbacks' reasons ---- */
#define DLL_PROCESS_DETACH 0
#define DLL_PROCESS_ATTACH 1
#define DLL_THREAD_ATTACH  2
#define DLL_THREAD_DETACH  3

/* ---- PEB->Ldr ---- */

typedef struct _PEB_LDR_DATA {
    ULONG Length;                   /* 0x00: sizeof(PEB_LDR_DATA) */
    BOOLEAN Initialized;            /* 0x04: TRUE once the process's first thread set it up */
    PVOID SsHandle;                 /* 0x08 */
    LIST_ENTRY InLoadOrderModuleList;           /* 0x0C: exe, ntdll, then as mapped */
    LIST_ENTRY InMemoryOrderModuleList;         /* 0x14: by address */
    LIST_ENTRY InInitializationOrderModuleList; /* 0x1C: a DLL after the DLLs it imports */
    PVOID EntryInProgress;          /* 0x24: the entry whose DllMain is running */
    BOOLEAN ShutdownInProgress;     /* 0x28 (NT 6): LdrShutdownProcess has begun */
    HANDLE ShutdownThreadId;        /* 0x2C (NT 6): the thread running it */
} PEB_LDR_DATA, *PPEB_LDR_DATA;
C_ASSERT_OFFSET(PEB_LDR_DATA, Initialized, 0x04);
C_ASSERT_OFFSET(PEB_LDR_DATA, InLoadOrderModuleList, 0x0C);
C_ASSERT_OFFSET(PEB_LDR_DATA, InMemoryOrderModuleList, 0x14);
C_ASSERT_OFFSET(PEB_LDR_DATA, InInitializationOrderModuleList, 0x1C);
C_ASSERT_OFFSET(PEB_LDR_DATA, EntryInProgress, 0x24);
C_ASSERT_OFFSET(PEB_LDR_DATA, ShutdownInProgress, 0x28);
C_ASSERT_SIZE(PEB_LDR_DATA, 0x30);

/* LDR_DATA_TABLE_ENTRY.Flags (NT's LDRP_* values). */
#define LDRP_STATIC_LINK            0x00000002  /* loaded because an image imports it */
#define LDRP_IMAGE_DLL              0x00000004  /* a DLL, not the exe */
#define LDRP_LOAD_IN_PROGRESS       0x00001000  /* its imports are being bound */
#define LDRP_UNLOAD_IN_PROGRESS     0x00002000
#define LDRP_ENTRY_PROCESSED        0x00004000  /* its imports are bound */
#define LDRP_DONT_CALL_FOR_THREADS  0x00040000  /* no DLL_THREAD_ATTACH/DETACH */
#define LDRP_PROCESS_ATTACH_CALLED  0x00080000  /* DllMain(DLL_PROCESS_ATTACH) returned TRUE */
#define LDRP_IMAGE_NOT_AT_BASE      0x00200000  /* the kernel relocated it */

/* LoadCount of an image that never unloads (the exe, ntdll). */
#define LDRP_PINNED_COUNT 0xFFFF

typedef struct _LDR_DATA_TABLE_ENTRY {
    LIST_ENTRY InLoadOrderLinks;            /* 0x00 */
    LIST_ENTRY InMemoryOrderLinks;          /* 0x08 */
    LIST_ENTRY InInitializationOrderLinks;  /* 0x10 */
    PVOID DllBase;                  /* 0x18: where the view is */
    PVOID EntryPoint;               /* 0x1C: DllMain, the exe's entry, or NULL */
    ULONG SizeOfImage;              /* 0x20 */
    UNICODE_STRING FullDllName;     /* 0x24: "C:\Tests\ldra.dll" */
    UNICODE_STRING BaseDllName;     /* 0x2C: "ldra.dll" */
    ULONG Flags;                    /* 0x34: LDRP_* */
    USHORT LoadCount;               /* 0x38: references; LDRP_PINNED_COUNT: never unloads */
    USHORT TlsIndex;                /* 0x3A: its static TLS slot, 0xFFFF for none */
    LIST_ENTRY HashLinks;           /* 0x3C: the loader's hash of base names */
    ULONG TimeDateStamp;            /* 0x44: the file header's */
    PVOID EntryPointActivationContext; /* 0x48 */
    PVOID PatchInformation;         /* 0x4C */
} LDR_DATA_TABLE_ENTRY, *PLDR_DATA_TABLE_ENTRY;
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, InMemoryOrderLinks, 0x08);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks, 0x10);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, DllBase, 0x18);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, EntryPoint, 0x1C);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, SizeOfImage, 0x20);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, FullDllName, 0x24);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, BaseDllName, 0x2C);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, Flags, 0x34);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, LoadCount, 0x38);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, TlsIndex, 0x3A);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, HashLinks, 0x3C);
C_ASSERT_OFFSET(LDR_DATA_TABLE_ENTRY, TimeDateStamp, 0x44);
C_ASSERT_SIZE(LDR_DATA_TABLE_ENTRY, 0x50);

/* ---- critical sections (PEB->LoaderLock is one) ---- */

typedef struct _RTL_CRITICAL_SECTION_DEBUG {
    USHORT Type;                    /* 0x00 */
    USHORT CreatorBackTraceIndex;   /* 0x02 */
    struct _RTL_CRITICAL_SECTION *CriticalSection; /* 0x04 */
    LIST_ENTRY ProcessLocksList;    /* 0x08 */
    ULONG EntryCount;               /* 0x10 */
    ULONG ContentionCount;          /* 0x14 */
    ULONG Flags;                    /* 0x18 */
    USHORT CreatorBackTraceIndexHigh; /* 0x1C */
    USHORT SpareUSHORT;             /* 0x1E */
} RTL_CRITICAL_SECTION_DEBUG, *PRTL_CRITICAL_SECTION_DEBUG;
C_ASSERT_SIZE(RTL_CRITICAL_SECTION_DEBUG, 0x20);

typedef struct _RTL_CRITICAL_SECTION {
    PRTL_CRITICAL_SECTION_DEBUG DebugInfo; /* 0x00: NULL here (no lock list is kept) */
    LONG LockCount;                 /* 0x04: -1 free; else waiters + owner - 1 (NT 5's count) */
    LONG RecursionCount;            /* 0x08: the owner's entries */
    HANDLE OwningThread;            /* 0x0C: the owner's thread ID */
    HANDLE LockSemaphore;           /* 0x10: the event waiters sleep on, made on first contention */
    ULONG_PTR SpinCount;            /* 0x14 */
} RTL_CRITICAL_SECTION, *PRTL_CRITICAL_SECTION;
C_ASSERT_OFFSET(RTL_CRITICAL_SECTION, LockCount, 0x04);
C_ASSERT_OFFSET(RTL_CRITICAL_SECTION, RecursionCount, 0x08);
C_ASSERT_OFFSET(RTL_CRITICAL_SECTION, OwningThread, 0x0C);
C_ASSERT_OFFSET(RTL_CRITICAL_SECTION, LockSemaphore, 0x10);
C_ASSERT_SIZE(RTL_CRITICAL_SECTION, 0x18);

/* ---- LdrQueryProcessModuleInformation's answer (NT's RTL_PROCESS_MODULES) ---- */

typedef struct _RTL_PROCESS_MODULE_INFORMATION {
    HANDLE Section;                 /* 0x000 */
    PVOID MappedBase;               /* 0x004 */
    PVOID ImageBase;                /* 0x008 */
    ULONG ImageSize;                /* 0x00C */
    ULONG Flags;                    /* 0x010: the entry's LDRP_* */
    USHORT LoadOrderIndex;          /* 0x014 */
    USHORT InitOrderIndex;          /* 0x016 */
    USHORT LoadCount;               /* 0x018 */
    USHORT OffsetToFileName;        /* 0x01A: where the base name starts in FullPathName */
    UCHAR FullPathName[256];        /* 0x01C: ANSI, NUL-terminated */
} RTL_PROCESS_MODULE_INFORMATION, *PRTL_PROCESS_MODULE_INFORMATION;
C_ASSERT_OFFSET(RTL_PROCESS_MODULE_INFORMATION, LoadCount, 0x018);
C_ASSERT_OFFSET(RTL_PROCESS_MODULE_INFORMATION, FullPathName, 0x01C);
C_ASSERT_SIZE(RTL_PROCESS_MODULE_INFORMATION, 0x11C);

typedef struct _RTL_PROCESS_MODULES {
    ULONG NumberOfModules;
    RTL_PROCESS_MODULE_INFORMATION Modules[1];
} RTL_PROCESS_MODULES, *PRTL_PROCESS_MODULES;
C_ASSERT_OFFSET(RTL_PROCESS_MODULES, Modules, 0x04);

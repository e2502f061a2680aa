/*
 * ldrp.h - the loader's private declarations (NT: ntdll\ldr\ldrp.h): the module
 * record it keeps around each public LDR_DATA_TABLE_ENTRY, its globals, and the
 * routines its files call across. One file per job:
 *   ldrinit.c   LdrpInitialize: the process's first thread and every later one
 *   ldrexit.c   LdrShutdownThread/-Process, RtlExitUserThread/-Process
 *   ldrmap.c    finding a DLL on the search path and mapping it; the entries
 *   ldrsnap.c   binding an image's imports, loading what it imports
 *   ldrexport.c export lookup by name, hint and ordinal; forwarders
 *   ldrcall.c   DllMain and the TLS callbacks, in initialization order, each
 *               inside the SEH frame of i386/ldrcall.asm
 *   ldrunld.c   reference counts and unloading
 *   ldrtls.c    static TLS: indexes, each thread's blocks
 *   ldrapi.c    LdrLoadDll, LdrUnloadDll, LdrGetDllHandle, LdrGetProcedureAddress,
 *               LdrQueryProcessModuleInformation
 *   ldrstr.c    the few string operations on names and paths the loader needs
 *   ldrerror.c  the "can't start" line on standard error
 * Every list and count here is guarded by the loader lock (LdrpLoaderLock).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/ntimage.h>
#include <nt/ntpebteb.h>
#include <nt/ntldr.h>
#include <nt/ntobapi.h>
#include <nt/ntioapi.h>
#include <nt/ntsection.h>
#include <nt/ntmmapi.h>
#include <nt/ntpsapi.h>
#include <nt/list.h>
#include "../ntdllp.h"             /* NtAllocateVirtualMemory, RtlpInitializeProcessHeap, ... */

/* ---- the services the loader calls (ntdll's own stubs, stdcall) ---- */
NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSTATUS NTAPI NtCreateSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, PLARGE_INTEGER MaximumSize,
                               ULONG SectionPageProtection, ULONG AllocationAttributes, HANDLE FileHandle);
NTSTATUS NTAPI NtMapViewOfSection(HANDLE SectionHandle, HANDLE ProcessHandle, PVOID *BaseAddress,
                                  ULONG_PTR ZeroBits, SIZE_T CommitSize, PLARGE_INTEGER SectionOffset,
                                  PSIZE_T ViewSize, SECTION_INHERIT InheritDisposition, ULONG AllocationType,
                                  ULONG Win32Protect);
NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions);
NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                      ULONG NewProtect, PULONG OldProtect);
NTSTATUS NTAPI NtQueryInformationThread(HANDLE ThreadHandle, THREADINFOCLASS ThreadInformationClass,
                                        PVOID ThreadInformation, ULONG ThreadInformationLength, PULONG ReturnLength);
NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtUnmapViewOfSection(HANDLE ProcessHandle, PVOID BaseAddress);
NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                           PVOID IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                           PULONG Key);

/* ---- the runtime the loader stands on (rtl/: the heap's and critsect.c's; the
   process heap's creation is ntdllp.h's) ---- */
PVOID NTAPI RtlAllocateHeap(PVOID HeapHandle, ULONG Flags, SIZE_T Size);
BOOLEAN NTAPI RtlFreeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
#define HEAP_ZERO_MEMORY 0x00000008
ULONG __cdecl DbgPrint(PCSTR Format, ...);

/* The process's PEB (fs:[30h]) and the thread's TEB (fs:[18h]). */
static inline PPEB LdrpCurrentPeb(void)
{
    PPEB Peb;
    __asm__ volatile("movl %%fs:0x30, %0" : "=r"(Peb));
    return Peb;
}

static inline PTEB LdrpCurrentTeb(void)
{
    PTEB Teb;
    __asm__ volatile("movl %%fs:0x18, %0" : "=r"(Teb));
    return Teb;
}

static inline PVOID LdrpAllocate(SIZE_T Size)
{
    return RtlAllocateHeap(LdrpCurrentPeb()->ProcessHeap, HEAP_ZERO_MEMORY, Size);
}

static inline VOID LdrpFree(PVOID Block)
{
    if (Block != NULL)
        RtlFreeHeap(LdrpCurrentPeb()->ProcessHeap, 0, Block);
}

/* ---- the loader's record of one image ---- */

/* Modules a module points at, each once. */
typedef struct _LDRP_MODULE_SET {
    ULONG Count;
    ULONG Limit;
    struct _LDRP_MODULE **Items;
} LDRP_MODULE_SET, *PLDRP_MODULE_SET;

/*
 * The public entry first (PEB->Ldr's lists link these), then what only the loader
 * needs: the modules this one imports (the edges its holds are counted along,
 * ldrunld.c), the forwarders' DLLs it holds, and the full name's characters.
 */
typedef struct _LDRP_MODULE {
    LDR_DATA_TABLE_ENTRY Entry;
    BOOLEAN InitRun;                /* DLL_PROCESS_ATTACH claimed by a load (whatever it said) */
    BOOLEAN Mapped;                 /* a view of ours (not the exe's or ntdll's, the kernel's) */
    ULONG WalkStamp;                /* the last count walk that visited it (ldrunld.c) */
    LDRP_MODULE_SET Imports;
    LDRP_MODULE_SET Forwards;
    WCHAR Name[];                   /* FullDllName's buffer, NUL-terminated */
} LDRP_MODULE, *PLDRP_MODULE;

#define LDRP_MODULE_OF(Link, Field) CONTAINING_RECORD(Link, LDRP_MODULE, Entry.Field)

/* ---- globals (ntdll's data is copy-on-write: every process has its own) ---- */
extern PEB_LDR_DATA LdrpData;
extern RTL_CRITICAL_SECTION LdrpLoaderLock;
extern PLDRP_MODULE LdrpExeModule, LdrpNtdllModule;
extern PWSTR LdrpDefaultPath;       /* "app dir;System32;Windows;PATH", ';'-separated */
extern BOOLEAN LdrpReportFailures; /* the process's own start: failures go to standard error */
extern ULONG LdrpActiveUnloadCount; /* unloads and DllMain calls in progress (ldrunld.c) */

/* ldrstr.c */
ULONG LdrpWideLength(PCWSTR String);
BOOLEAN LdrpEqualWide(PCWSTR A, ULONG LengthA, PCWSTR B, ULONG LengthB);
VOID LdrpAnsiToWide(PCSTR Ansi, ULONG Length, PWSTR Wide);
ULONG LdrpWideToAnsi(PCWSTR Wide, ULONG Length, PSTR Ansi, ULONG Capacity);
ULONG LdrpAppend(PWSTR Buffer, ULONG Used, ULONG Capacity, PCWSTR Text, ULONG Length);
int LdrpCompareExportName(PCSTR ExportName, ULONG Limit, PCSTR Name, ULONG Length);

/* ldrerror.c: the line, then Status back. Silent unless LdrpReportFailures. */
NTSTATUS LdrpReport(NTSTATUS Status, PCSTR What, PCSTR Name, PCSTR Verb, PCSTR Dll);

/* ldrmap.c */
PIMAGE_NT_HEADERS32 LdrpNtHeader(PVOID Base);
PVOID LdrpDirectory(PVOID Base, ULONG Index, PULONG Size);
/* What an image says of itself is checked before it is read: these answer whether
   Count elements of ElementSize bytes at Rva, or a NUL-terminated string at Rva
   (its length to *Length), lie inside the image (SizeOfImage bytes from Base). */
BOOLEAN LdrpArrayInImage(PVOID Base, ULONG Rva, ULONG Count, ULONG ElementSize);
BOOLEAN LdrpStringInImage(PVOID Base, ULONG Rva, PULONG Length);
PLDRP_MODULE LdrpCreateModule(PVOID Base, PCWSTR FullName, ULONG Length);
VOID LdrpInsertModule(PLDRP_MODULE Module);
PLDRP_MODULE LdrpFindModule(PCWSTR Name, ULONG Length);
PLDRP_MODULE LdrpFindModuleByBase(PVOID Base);
NTSTATUS LdrpMapDll(PCWSTR SearchPath, PCWSTR Name, ULONG Length, PLDRP_MODULE *Module);

/* ldrsnap.c */
NTSTATUS LdrpLoadModule(PCWSTR SearchPath, PCWSTR Name, ULONG Length, PLDRP_MODULE *Module);
NTSTATUS LdrpLoadModuleAnsi(PCSTR Name, ULONG Length, PLDRP_MODULE *Module);
NTSTATUS LdrpWalkImports(PLDRP_MODULE Module);

/*
 * ldrexport.c: Name (Length characters, not necessarily NUL-terminated) or, with
 * Name NULL, Ordinal. A forwarder's DLL is loaded and held by the module that
 * forwards to it; with Log, each such hold is noted so that LdrpUndoForwards can
 * let go of what a failed lookup took.
 */
#define LDRP_MAX_FORWARDS 16            /* a longer chain is a loop (A.X -> B.Y -> A.X) */
typedef struct _LDRP_FORWARD_LOG {
    ULONG Count;
    struct {
        PLDRP_MODULE Module;
        ULONG Forwards;                 /* its Forwards.Count before the hop */
    } Hops[LDRP_MAX_FORWARDS];
} LDRP_FORWARD_LOG, *PLDRP_FORWARD_LOG;
NTSTATUS LdrpGetProcedureAddress(PLDRP_MODULE Module, PCSTR Name, ULONG Length, USHORT Hint, ULONG Ordinal,
                                 PVOID *Address, PLDRP_FORWARD_LOG Log);
VOID LdrpUndoForwards(PLDRP_FORWARD_LOG Log);

/* i386/ldrcall.asm: Routine(DllHandle, Reason, Context) inside the loader's SEH
   frame; STATUS_SUCCESS and its EAX in *Result, or the exception's code. */
NTSTATUS NTAPI LdrpCallInitRoutine(PVOID Routine, PVOID DllHandle, ULONG Reason, PVOID Context, PLONG Result);

/* ldrcall.c */
NTSTATUS LdrpCallGuarded(PLDRP_MODULE Module, PVOID Routine, ULONG Reason, PVOID Context, PLONG Result);
BOOLEAN LdrpCallDllRoutines(PLDRP_MODULE Module, ULONG Reason, PVOID Context, PNTSTATUS Raised);
NTSTATUS LdrpRunInitializeRoutines(PLIST_ENTRY Mark, PCONTEXT Context);
VOID LdrpCallTlsCallbacks(PLDRP_MODULE Module, ULONG Reason);
VOID LdrpCallThreadRoutines(ULONG Reason);
VOID LdrpCallProcessDetach(BOOLEAN ProcessEnding);

/* ldrunld.c */
NTSTATUS LdrpAddImport(PLDRP_MODULE Module, PLDRP_MODULE Target);
NTSTATUS LdrpAddForward(PLDRP_MODULE Module, PLDRP_MODULE Target);
VOID LdrpHold(PLDRP_MODULE Module);
VOID LdrpRelease(PLDRP_MODULE Module);
VOID LdrpReleaseForwardsSince(PLDRP_MODULE Module, ULONG Count);
VOID LdrpDiscardNewModules(PLIST_ENTRY Mark);
VOID LdrpUnloadUnreferenced(VOID);

/* ldrtls.c */
NTSTATUS LdrpInitializeTls(VOID);
NTSTATUS LdrpAllocateTls(VOID);
VOID LdrpFreeTls(VOID);
extern PCWSTR LdrpSearchPath;       /* the load in progress's search path (ldrsnap.c) */

/*
 * ps.h - the process structure (NT: ntos\ps): process and thread objects, how
 * they are made, started and ended, and the system DLL every process maps.
 *
 * An EPROCESS embeds the kernel's KPROCESS (Pcb, first) and an ETHREAD the
 * KTHREAD (Tcb, first), so a wait on either object waits on the dispatcher
 * header, signalled when the process or thread ends. User mode never sees these
 * two (it sees the PEB and TEB, nt/ntpebteb.h), so their layouts are this
 * kernel's, with NT's field names.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/ntpsapi.h>
#include <nt/context.h>
#include <ke.h>
#include <kewait.h>
#include <ob.h>

/* ---- the system DLL (psdll.c) ---- */

/*
 * ntdll as the kernel knows it (NT: PspSystemDll, a SYSTEM_DLL). Section is the
 * image section every process gets a view of, at DllBase (its preferred base:
 * it is mapped first in every address space, so it is always free).
 */
typedef struct _SYSTEM_DLL {
    PVOID Section;                  /* referenced section object */
    PVOID DllBase;                  /* where every view of it is */
    SIZE_T ViewSize;
    ULONG_PTR LoaderInitRoutine;    /* LdrInitializeThunk: every thread starts there */
    ULONG_PTR UserThreadStart;      /* RtlUserThreadStart: the initial EIP of a thread */
} SYSTEM_DLL, *PSYSTEM_DLL;

extern SYSTEM_DLL PspSystemDll;

/*
 * Phase 1 (NT: PsLocateSystemDll): opens \SystemRoot\System32\ntdll.dll, makes its
 * image section, maps it into the System process's space and finds the entry points
 * (LdrInitializeThunk, KiUserApcDispatcher, KiUserExceptionDispatcher,
 * KiUserCallbackDispatcher, KiFastSystemCall, KiFastSystemCallRet, KiIntSystemCall,
 * RtlUserThreadStart); SharedUserData->SystemCall gets the door the processor
 * allows. Any failure, a missing entry point among them, is a bugcheck naming what
 * failed. A boot with no boot volume (too little memory for one) has no ntdll:
 * said, not a failure.
 */
VOID PsLocateSystemDll(VOID);

/* ---- processes and threads ---- */

typedef struct _EPROCESS *PEPROCESS;
typedef struct _ETHREAD *PETHREAD;

/* EPROCESS.Flags (NT's bits of the same names). */
#define PS_PROCESS_FLAGS_PROCESS_EXITING   0x00000004  /* NtTerminateProcess began */
#define PS_PROCESS_FLAGS_PROCESS_DELETE    0x00000008  /* the last thread has gone */
#define PS_PROCESS_FLAGS_INHERIT_HANDLES   0x00000400
#define PS_PROCESS_FLAGS_NOTIFIED          0x00000800  /* its creation was reported */
#define PS_PROCESS_FLAGS_EXITED            0x00001000  /* PspExitProcess has run */

typedef struct _EPROCESS {
    KPROCESS Pcb;                   /* the kernel's part; its header is the wait object */
    KEVENT ProcessLock;             /* thread list, exiting flag (NT: a push lock) */
    LARGE_INTEGER CreateTime;
    LARGE_INTEGER ExitTime;
    HANDLE UniqueProcessId;         /* from PspCidTable: 4, 8, ... */
    LIST_ENTRY ActiveProcessLinks;  /* PsActiveProcessHead */
    PHANDLE_TABLE ObjectTable;      /* its handles (NULL once it has exited) */
    PVOID SectionObject;            /* the image section, referenced */
    PVOID SectionBaseAddress;       /* where the image is mapped */
    HANDLE InheritedFromUniqueProcessId; /* the parent's ID */
    PPEB Peb;
    UCHAR ImageFileName[16];        /* the image's name, 15 characters at most */
    PUNICODE_STRING ImageFileNameInfo; /* the image's full NT name (pool), for queries */
    ULONG ActiveThreads;            /* threads not yet ended */
    NTSTATUS ExitStatus;            /* STATUS_PENDING until it ends */
    LIST_ENTRY ThreadListHead;      /* its ETHREADs, by ThreadListEntry */
    ULONG Flags;                    /* PS_PROCESS_FLAGS_* */
    UCHAR PriorityClass;            /* PROCESS_PRIORITY_CLASS_* */
    LONG RundownProtect;            /* users of its address space | PSP_RUNDOWN_ACTIVE */
    KEVENT RundownDone;             /* set when the last user leaves a rundown */
} EPROCESS;

/* ETHREAD.CrossThreadFlags (NT's bits). */
#define PS_CROSS_THREAD_FLAGS_TERMINATED   0x00000001  /* it is ending */
#define PS_CROSS_THREAD_FLAGS_DEADTHREAD   0x00000002  /* it never ran (creation failed) */
#define PS_CROSS_THREAD_FLAGS_SYSTEM       0x00000010  /* a kernel thread */
#define PS_CROSS_THREAD_FLAGS_OWN_STACK    0x00000100  /* the kernel made its user stack */
#define PS_CROSS_THREAD_FLAGS_COUNTED      0x00000200  /* in its process's ActiveThreads */

typedef struct _ETHREAD {
    KTHREAD Tcb;                    /* the kernel's part; its header is the wait object */
    LARGE_INTEGER CreateTime;
    LARGE_INTEGER ExitTime;
    NTSTATUS ExitStatus;            /* STATUS_PENDING until it ends */
    CLIENT_ID Cid;                  /* its process's ID and its own */
    PEPROCESS ThreadsProcess;       /* referenced */
    PVOID StartAddress;             /* where it starts in user mode (its CONTEXT's EIP) */
    PVOID Win32StartAddress;        /* the start routine its creator named */
    LIST_ENTRY ThreadListEntry;     /* EPROCESS.ThreadListHead */
    ULONG CrossThreadFlags;         /* PS_CROSS_THREAD_FLAGS_* */
    PCONTEXT InitialContext;        /* until it first enters user mode (pool) */
    PTEB Teb;                       /* in its process */
    PVOID UserStackAllocation;      /* the stack the kernel made (freed at exit) */
    KAPC TerminateApc;              /* how another thread makes it end: a kernel APC... */
    KAPC TerminateUserApc;          /* ...that queues this one, run on its way to user mode */
} ETHREAD;

extern POBJECT_TYPE PsProcessType;
extern POBJECT_TYPE PsThreadType;
extern PEPROCESS PsInitialSystemProcess;   /* the System process, ID 4 */
extern volatile ULONGLONG PsLastUserStartTime; /* RDTSC as a new thread last left for user mode */
extern LIST_ENTRY PsActiveProcessHead;

/* Phase 0: the object types and the System process (before KeInitSystem). */
VOID PsInitSystem(VOID);

/* A process or thread by its ID, referenced (STATUS_INVALID_CID when there is none). */
NTSTATUS PsLookupProcessByProcessId(HANDLE ProcessId, PEPROCESS *Process);
NTSTATUS PsLookupThreadByThreadId(HANDLE ThreadId, PETHREAD *Thread);

/*
 * Creation and exit callbacks (NT's; at most 8 of each): a process's with its
 * parent's ID and its own, a thread's with its process's ID and its own; Create
 * FALSE at the end. STATUS_INVALID_PARAMETER when all slots are taken,
 * STATUS_PROCEDURE_NOT_FOUND when removing one that is not there.
 */
typedef VOID (*PCREATE_PROCESS_NOTIFY_ROUTINE)(HANDLE ParentId, HANDLE ProcessId, BOOLEAN Create);
typedef VOID (*PCREATE_THREAD_NOTIFY_ROUTINE)(HANDLE ProcessId, HANDLE ThreadId, BOOLEAN Create);
NTSTATUS PsSetCreateProcessNotifyRoutine(PCREATE_PROCESS_NOTIFY_ROUTINE NotifyRoutine, BOOLEAN Remove);
NTSTATUS PsSetCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine);
NTSTATUS PsRemoveCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine);

/*
 * NtQuerySystemInformation(SystemProcessInformation)'s answer, built in a pool copy
 * (*KernelCopy, *Needed bytes; PsFreeSystemProcessInformation frees it) whose
 * image-name pointers point into UserBuffer, where the caller copies it.
 * STATUS_INFO_LENGTH_MISMATCH (with *Needed) when Length is too small.
 */
NTSTATUS PsQuerySystemProcessInformation(PVOID UserBuffer, ULONG Length, PVOID *KernelCopy, PULONG Needed);
VOID PsFreeSystemProcessInformation(PVOID KernelCopy);

/*
 * Another process's address space, used from outside it (NtReadVirtualMemory,
 * NtMapViewOfSection, ...): FALSE once the process is past its end; while TRUE, its
 * address space is not freed until the matching release (NT 6's names).
 */
BOOLEAN PsAcquireProcessExitSynchronization(PEPROCESS Process);
VOID PsReleaseProcessExitSynchronization(PEPROCESS Process);

/*
 * Whether Thread is the only thread of its process still alive: every other one
 * has ended or been told to end. A thread created but not yet started counts as
 * alive (NT: ActiveThreads == 1, what ThreadAmILastThread answers).
 */
BOOLEAN PsIsLastThread(PETHREAD Thread);

/* The caller's process and thread; NULL for a kernel thread that is no ETHREAD. */
PEPROCESS PsGetCurrentProcess(VOID);
PETHREAD PsGetCurrentThread(VOID);

/*
 * A user process the System process starts (NT: RtlCreateUserProcess from the
 * kernel, as phase 1 starts smss): from an NT path and a command line, with its
 * standard handles on \Device\Console; *Process is referenced, already running.
 */
NTSTATUS PsCreateSystemChildProcess(PCUNICODE_STRING ImagePath, PCUNICODE_STRING CommandLine, PEPROCESS *Process);

/*
 * The first user process (NT: what smss is for): creates it from an NT path
 * ("\??\C:\x.exe") and a command line, with standard handles on \Device\Console,
 * and waits for it to end. *ExitStatus is its exit status.
 */
NTSTATUS PsRunInitialProcess(PCUNICODE_STRING ImagePath, PCUNICODE_STRING CommandLine,
                             PNTSTATUS ExitStatus);

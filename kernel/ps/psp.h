/*
 * psp.h - what the process manager's files share (NT: ntos\ps\psp.h).
 *
 * The creation sequence is the seeds' (NT 6's PspCreateUserProcess, NT 5's
 * PspCreateProcess + PspCreateThread), one step per routine:
 *   PspAllocateProcess   the object, address space, KPROCESS, handle table, the
 *                        image and ntdll mapped, the PEB, the process ID
 *   PspInsertProcess     on the active process list, a handle for the creator
 *   PspAllocateThread    the object, the user stack, the TEB, the initial CONTEXT,
 *                        the kernel stack (KeInitThread), the thread ID
 *   PspInsertThread      on the process's thread list, a handle, started (or not)
 * and the end: PspTerminateThreadByPointer, PspExitThread, PspExitProcess.
 */
#pragma once

#include <ps.h>
#include <mm.h>
#include <io.h>
#include <ex.h>
#include <kd.h>
#include <rtl.h>
#include <nt/ntsection.h>
#include "ntapi.h"      /* the services' prototypes, from include/nt/sysfuncs.lst */
#include "zwapi.h"      /* the kernel's Zw stubs */

#define PSP_PROCESS_TAG  EX_POOL_TAG('P', 's', 'P', 'r')
#define PSP_THREAD_TAG   EX_POOL_TAG('P', 's', 'T', 'h')

/* The stack a thread gets when its image says nothing (NT's defaults). */
#define PSP_DEFAULT_STACK_RESERVE  0x100000
#define PSP_DEFAULT_STACK_COMMIT   0x1000

/* ---- psinit.c ---- */

VOID PspLockProcess(PEPROCESS Process);
VOID PspUnlockProcess(PEPROCESS Process);
VOID PspLockActiveProcessList(VOID);
VOID PspUnlockActiveProcessList(VOID);
/* No new user of the address space; waits for those there are to leave. */
VOID PspWaitForProcessRundown(PEPROCESS Process);
/* The CID table's entries: a process or thread object by ID (not referenced). */
HANDLE PspCreateCid(PVOID Object);
VOID PspDeleteCid(HANDLE Id);

/* ---- create.c ---- */

/* What a new process is made from. */
typedef struct _PSP_PROCESS_CREATE {
    PEPROCESS Parent;               /* whose handles it may inherit; its ID is recorded */
    PVOID SectionObject;            /* the image section */
    BOOLEAN InheritHandles;
} PSP_PROCESS_CREATE, *PPSP_PROCESS_CREATE;

NTSTATUS PspAllocateProcess(PPSP_PROCESS_CREATE Create, POBJECT_ATTRIBUTES ObjectAttributes,
                            KPROCESSOR_MODE PreviousMode, PEPROCESS *Process);
/* On success the caller holds one reference to Process (besides the handle). */
NTSTATUS PspInsertProcess(PEPROCESS Process, ACCESS_MASK DesiredAccess, PHANDLE ProcessHandle);

/* What a new thread is made from: a CONTEXT and a stack the creator made (NT 5's
   NtCreateThread), or neither (the kernel makes both: NtCreateUserProcess). */
typedef struct _PSP_THREAD_CREATE {
    PCONTEXT Context;               /* kernel copy, or NULL */
    PINITIAL_TEB InitialTeb;        /* kernel copy, or NULL */
    PVOID StartAddress;             /* with no Context: the routine RtlUserThreadStart calls */
    PVOID Parameter;                /* and its argument */
    BOOLEAN CreateSuspended;
} PSP_THREAD_CREATE, *PPSP_THREAD_CREATE;

NTSTATUS PspAllocateThread(PEPROCESS Process, PPSP_THREAD_CREATE Create, POBJECT_ATTRIBUTES ObjectAttributes,
                           KPROCESSOR_MODE PreviousMode, PETHREAD *Thread);
/* On success the caller holds one reference to Thread (besides the handle). */
NTSTATUS PspInsertThread(PETHREAD Thread, PPSP_THREAD_CREATE Create, ACCESS_MASK DesiredAccess,
                         PHANDLE ThreadHandle);

/* ---- pebteb.c ---- */

NTSTATUS PspCreatePeb(PEPROCESS Process, const SECTION_IMAGE_INFORMATION *ImageInformation);
/* Copies the parameters (kernel, normalized) into the process, and points its PEB at them. */
NTSTATUS PspCopyProcessParameters(PEPROCESS Process, PRTL_USER_PROCESS_PARAMETERS Parameters,
                                  PVOID *ChildParameters);
NTSTATUS PspCreateTeb(PEPROCESS Process, PETHREAD Thread, const INITIAL_TEB *InitialTeb, PTEB *Teb);
/* The thread's stack as the image asks: reserve, commit and a guard page below. */
NTSTATUS PspCreateUserStack(PEPROCESS Process, SIZE_T Reserve, SIZE_T Commit, PINITIAL_TEB InitialTeb);

/* ---- psstart.c ---- */

VOID PspUserThreadStartup(PVOID StartContext);

/* ---- psexit.c ---- */

VOID PspDeleteProcess(PVOID Object);
VOID PspDeleteThread(PVOID Object);
/* Ends Thread: at once when it is the caller (no return), else by an APC. */
NTSTATUS PspTerminateThreadByPointer(PETHREAD Thread, NTSTATUS ExitStatus, BOOLEAN Self);
__attribute__((noreturn)) VOID PspExitThread(NTSTATUS ExitStatus);
/* A process with no threads left: its handles, address space, and the signal. */
VOID PspExitProcess(PEPROCESS Process);

/* ---- psnotify.c ---- */

VOID PspNotifyProcess(PEPROCESS Process, BOOLEAN Create);
VOID PspNotifyThread(PETHREAD Thread, BOOLEAN Create);

/* ---- psuser.c ---- */

/* NtCreateUserProcess's work, in kernel terms (all inputs captured). */
typedef struct _PSP_USER_PROCESS {
    /* in */
    KPROCESSOR_MODE PreviousMode;
    PEPROCESS Parent;
    PCUNICODE_STRING ImagePath;         /* NT path: "\??\C:\Dir\Prog.exe" */
    PRTL_USER_PROCESS_PARAMETERS Parameters; /* captured; standard handles may be rewritten */
    const PS_STD_HANDLE_INFO *StdHandleInfo; /* or NULL */
    ULONG ProcessFlags;                 /* PROCESS_CREATE_FLAGS_* */
    ULONG ThreadFlags;                  /* THREAD_CREATE_FLAGS_* */
    ACCESS_MASK ProcessDesiredAccess;
    ACCESS_MASK ThreadDesiredAccess;
    POBJECT_ATTRIBUTES ProcessObjectAttributes;
    POBJECT_ATTRIBUTES ThreadObjectAttributes;
    /* out */
    PS_CREATE_STATE State;
    SECTION_IMAGE_INFORMATION ImageInformation;
    HANDLE ProcessHandle;               /* in the caller's table */
    HANDLE ThreadHandle;
    PEPROCESS Process;                  /* referenced */
    PETHREAD Thread;                    /* referenced */
    PVOID ChildParameters;              /* where the parameters are in the child */
} PSP_USER_PROCESS, *PPSP_USER_PROCESS;

NTSTATUS PspCreateUserProcess(PPSP_USER_PROCESS Create);

/* ---- psparams.c ---- */

/*
 * Captures a caller's process parameters (normalized or not) into one pool block
 * (PSP_PROCESS_TAG), normalized, strings and environment included; every length and
 * offset checked. STATUS_INVALID_PARAMETER for a malformed block.
 */
NTSTATUS PspCaptureProcessParameters(PRTL_USER_PROCESS_PARAMETERS UserParameters, KPROCESSOR_MODE PreviousMode,
                                     PRTL_USER_PROCESS_PARAMETERS *Captured);

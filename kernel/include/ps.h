/*
 * ps.h - the process structure (NT: ntos\ps). For now the system DLL: ntdll.dll,
 * mapped at boot, and the entry points the kernel calls user mode through.
 * Processes and threads (EPROCESS, ETHREAD, PspAllocateProcess, ...) come with
 * the process issue.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/*
 * ntdll as the kernel knows it (NT: PspSystemDll, a SYSTEM_DLL). Section is the
 * image section every process will get a view of, at DllBase (its preferred base:
 * it is mapped first in every address space, so it is always free).
 */
typedef struct _SYSTEM_DLL {
    PVOID Section;                  /* referenced section object */
    PVOID DllBase;                  /* where every view of it is */
    SIZE_T ViewSize;
    ULONG_PTR LoaderInitRoutine;    /* LdrInitializeThunk: every thread starts there */
} SYSTEM_DLL, *PSYSTEM_DLL;

extern SYSTEM_DLL PspSystemDll;

/*
 * Phase 1 (NT: PsLocateSystemDll): opens \SystemRoot\System32\ntdll.dll, makes its
 * image section, maps it into the System process's space and finds the entry points
 * (LdrInitializeThunk, KiUserApcDispatcher, KiUserExceptionDispatcher,
 * KiUserCallbackDispatcher, KiFastSystemCall, KiFastSystemCallRet, KiIntSystemCall);
 * SharedUserData->SystemCall gets the door the processor allows. Any failure, a
 * missing entry point among them, is a bugcheck naming what failed. A boot with
 * no boot volume (too little memory for one) has no ntdll: said, not a failure.
 */
VOID PsLocateSystemDll(VOID);

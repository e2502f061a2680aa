/*
 * ldrp.h - the loader's private declarations (NT: ntdll\ldr\ldrp.h).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/ntimage.h>
#include <nt/ntpebteb.h>

#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)

/* The services the loader calls (their stubs are ntdll's own, stdcall). */
NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                      ULONG NewProtect, PULONG OldProtect);
NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                           PVOID IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                           PULONG Key);

/* The process's PEB (fs:[30h]). */
static inline PPEB LdrpCurrentPeb(void)
{
    PPEB Peb;
    __asm__ volatile("movl %%fs:0x30, %0" : "=r"(Peb));
    return Peb;
}

/*
 * Binds the imports of Image that name ntdll.dll to NtdllBase's exports (by name,
 * the hint first, or by ordinal). An import from any other DLL, or of a name
 * ntdll does not export, is the loader's failure status (STATUS_DLL_NOT_FOUND,
 * STATUS_ENTRYPOINT_NOT_FOUND, STATUS_ORDINAL_NOT_FOUND), reported on the
 * process's standard error first.
 */
NTSTATUS LdrpSnapNtdllImports(PVOID Image, PVOID NtdllBase);

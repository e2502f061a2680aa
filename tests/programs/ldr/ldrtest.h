/*
 * ldrtest.h - what the loader's test DLLs and programs share (tests/programs/ldr,
 * built by mk/ldrtests.mk): the loader's exports with NT's prototypes (MinGW's
 * headers leave them out; its libntdll.a has them), and LdrTestLog, the line a
 * DllMain or TLS callback prints for each call, so that tests/system/ldr-*.test
 * can check the order the loader called them in from the console output.
 */
#pragma once

#include "../native.h"

NTSYSAPI NTSTATUS NTAPI LdrLoadDll(PWSTR SearchPath, PULONG Flags, PUNICODE_STRING Name, PVOID *BaseAddress);
NTSYSAPI NTSTATUS NTAPI LdrUnloadDll(PVOID BaseAddress);
NTSYSAPI NTSTATUS NTAPI LdrGetDllHandle(PWSTR SearchPath, PULONG Characteristics, PUNICODE_STRING Name,
                                        PVOID *BaseAddress);
NTSYSAPI NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name, ULONG Ordinal,
                                               PVOID *Address);
NTSYSAPI NTSTATUS NTAPI LdrQueryProcessModuleInformation(PVOID Modules, ULONG Size, PULONG ReturnedSize);
NTSYSAPI NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtYieldExecution(VOID);

#define LDR_STATUS_DLL_NOT_FOUND        ((NTSTATUS)0xC0000135L)
#define LDR_STATUS_ORDINAL_NOT_FOUND    ((NTSTATUS)0xC0000138L)
#define LDR_STATUS_ENTRYPOINT_NOT_FOUND ((NTSTATUS)0xC0000139L)
#define LDR_STATUS_DLL_INIT_FAILED      ((NTSTATUS)0xC0000142L)
#define LDR_STATUS_INVALID_IMAGE_FORMAT ((NTSTATUS)0xC000007BL)
#define LDR_STATUS_NO_MEMORY            ((NTSTATUS)0xC0000017L)

/* "<Who>: process attach" and the like, on standard output. */
static inline void LdrTestLog(const char *Who, ULONG Reason)
{
    static const char *const Reasons[] = { "process detach", "process attach", "thread attach", "thread detach" };
    char Line[96], *Out = Line;
    const char *Text;

    for (Text = Who; *Text != 0 && Out < Line + 40; )
        *Out++ = *Text++;
    *Out++ = ':';
    *Out++ = ' ';
    for (Text = Reason < 4 ? Reasons[Reason] : "?"; *Text != 0; )
        *Out++ = *Text++;
    *Out++ = '\r';
    *Out++ = '\n';
    *Out = 0;
    NativeWrite(Line);
}

/* A thread of this process on a fresh 64 KB stack, started (or not) at Routine(Parameter)
   through ntdll's RtlUserThreadStart (native.h); NULL when it could not be made. */
static inline HANDLE LdrTestStartThread(LPTHREAD_START_ROUTINE Routine, PVOID Parameter, BOOLEAN Suspended)
{
    HANDLE Thread = NULL;

    return NT_SUCCESS(NativeStartThread(Routine, Parameter, Suspended, &Thread)) ? Thread : NULL;
}

/*
 * rtlps.h - what ntdll's process and thread creation (rtl/thread.c,
 * rtl/process.c) shares: NT's RTL_USER_PROCESS_INFORMATION and thread start
 * routine, the exported routines, and the stdcall prototypes of the services they
 * call (build/gen/ntapi.h has them the kernel's way, cdecl).
 */
#pragma once

#include "rtlp.h"
#include <nt/context.h>
#include <nt/ntsection.h>
#include <nt/ntpsapi.h>
#include <nt/ntimage.h>

/* What a thread created by RtlCreateUserThread starts in (NT's type). It is
   called by RtlUserThreadStart, and what it returns is the thread's exit status. */
typedef NTSTATUS (NTAPI *PUSER_THREAD_START_ROUTINE)(PVOID ThreadParameter);

/* i386/usrstart.asm: where threads begin in user mode (EAX = routine, EBX = its
   parameter; not a C function, only its address is taken). */
VOID RtlUserThreadStart(VOID);

/* RtlCreateUserProcess's result (NT's layout: the process, its first thread,
   suspended, their IDs and what NtQuerySection said about the image). */
typedef struct _RTL_USER_PROCESS_INFORMATION {
    ULONG Length;                   /* 0x00: sizeof(RTL_USER_PROCESS_INFORMATION) */
    HANDLE Process;                 /* 0x04 */
    HANDLE Thread;                  /* 0x08 */
    CLIENT_ID ClientId;             /* 0x0C */
    SECTION_IMAGE_INFORMATION ImageInformation; /* 0x14 */
} RTL_USER_PROCESS_INFORMATION, *PRTL_USER_PROCESS_INFORMATION;
C_ASSERT_OFFSET(RTL_USER_PROCESS_INFORMATION, ClientId, 0x0C);
C_ASSERT_OFFSET(RTL_USER_PROCESS_INFORMATION, ImageInformation, 0x14);
C_ASSERT_SIZE(RTL_USER_PROCESS_INFORMATION, 0x44);

/* ---- exported (thread.c, process.c) ---- */
NTSTATUS NTAPI RtlInitializeContext(HANDLE Process, PCONTEXT Context, PVOID Parameter, PVOID InitialPc,
                                    PVOID InitialSp);
NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PSECURITY_DESCRIPTOR ThreadSecurityDescriptor,
                                   BOOLEAN CreateSuspended, ULONG_PTR StackZeroBits, SIZE_T StackReserve,
                                   SIZE_T StackCommit, PUSER_THREAD_START_ROUTINE StartAddress, PVOID Parameter,
                                   PHANDLE Thread, PCLIENT_ID ClientId);
NTSTATUS NTAPI RtlFreeUserThreadStack(HANDLE Process, HANDLE Thread);
NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
                                    PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
                                    PSECURITY_DESCRIPTOR ProcessSecurityDescriptor,
                                    PSECURITY_DESCRIPTOR ThreadSecurityDescriptor, HANDLE ParentProcess,
                                    BOOLEAN InheritHandles, HANDLE DebugPort, HANDLE ExceptionPort,
                                    PRTL_USER_PROCESS_INFORMATION ProcessInformation);

/* ---- the services called ---- */
NTSTATUS NTAPI NtCreateSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                               PLARGE_INTEGER MaximumSize, ULONG SectionPageProtection, ULONG AllocationAttributes,
                               HANDLE FileHandle);
NTSTATUS NTAPI NtQuerySection(HANDLE SectionHandle, SECTION_INFORMATION_CLASS SectionInformationClass,
                              PVOID SectionInformation, SIZE_T SectionInformationLength, PSIZE_T ResultLength);
NTSTATUS NTAPI NtCreateProcessEx(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ParentProcess, ULONG Flags,
                                 HANDLE SectionHandle, HANDLE DebugPort, HANDLE ExceptionPort, ULONG JobMemberLevel);
NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtQueryInformationProcess(HANDLE ProcessHandle, PROCESSINFOCLASS ProcessInformationClass,
                                         PVOID ProcessInformation, ULONG ProcessInformationLength,
                                         PULONG ReturnLength);
NTSTATUS NTAPI NtQueryInformationThread(HANDLE ThreadHandle, THREADINFOCLASS ThreadInformationClass,
                                        PVOID ThreadInformation, ULONG ThreadInformationLength, PULONG ReturnLength);
NTSTATUS NTAPI NtCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                              HANDLE ProcessHandle, PCLIENT_ID ClientId, PCONTEXT ThreadContext,
                              PINITIAL_TEB InitialTeb, BOOLEAN CreateSuspended);
NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                      ULONG NewProtect, PULONG OldProtect);
NTSTATUS NTAPI NtReadVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, PVOID Buffer, SIZE_T BufferSize,
                                   PSIZE_T NumberOfBytesRead);
NTSTATUS NTAPI NtWriteVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, const VOID *Buffer,
                                    SIZE_T BufferSize, PSIZE_T NumberOfBytesWritten);

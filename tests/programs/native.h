/*
 * native.h - what a native program (ntdll only, no kernel32) declares for itself
 * on top of MinGW-w64's own <windows.h> and <winternl.h>: the NT services and
 * structures MinGW's headers leave out, with NT's prototypes and layouts. The
 * programs link with MinGW's own libntdll.a, exactly as a Windows program would;
 * nothing here comes from this repository's include/nt.
 */
#pragma once

#include <windows.h>
#include <winternl.h>

#ifndef NT_SUCCESS
#define NT_SUCCESS(Status) ((NTSTATUS)(Status) >= 0)
#endif
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#define NtCurrentThread()  ((HANDLE)(LONG_PTR)-2)

/* The parts of the process parameters and PEB a native program reads (NT's offsets). */
typedef struct _NATIVE_PROCESS_PARAMETERS {
    ULONG MaximumLength;
    ULONG Length;
    ULONG Flags;
    ULONG DebugFlags;
    HANDLE ConsoleHandle;
    ULONG ConsoleFlags;
    HANDLE StandardInput;           /* 0x18 */
    HANDLE StandardOutput;          /* 0x1C */
    HANDLE StandardError;           /* 0x20 */
    UNICODE_STRING CurrentDirectoryPath; /* 0x24 */
    HANDLE CurrentDirectoryHandle;
    UNICODE_STRING DllPath;         /* 0x30 */
    UNICODE_STRING ImagePathName;   /* 0x38 */
    UNICODE_STRING CommandLine;     /* 0x40 */
    PVOID Environment;              /* 0x48 */
} NATIVE_PROCESS_PARAMETERS;

typedef struct _NATIVE_PEB {
    BYTE Reserved[8];
    PVOID ImageBaseAddress;         /* 0x08 */
    PVOID Ldr;                      /* 0x0C */
    NATIVE_PROCESS_PARAMETERS *ProcessParameters; /* 0x10 */
} NATIVE_PEB;

typedef struct _NATIVE_CLIENT_ID {
    HANDLE UniqueProcess;
    HANDLE UniqueThread;
} NATIVE_CLIENT_ID;

/* NtCreateUserProcess's inputs (NT 6). */
typedef struct _NATIVE_PS_ATTRIBUTE {
    ULONG_PTR Attribute;
    SIZE_T Size;
    ULONG_PTR Value;
    PSIZE_T ReturnLength;
} NATIVE_PS_ATTRIBUTE;

typedef struct _NATIVE_PS_CREATE_INFO {
    SIZE_T Size;
    ULONG State;
    BYTE Union[0x40];
} NATIVE_PS_CREATE_INFO;

#define PS_ATTRIBUTE_IMAGE_NAME      0x00020005
#define PS_ATTRIBUTE_CLIENT_ID       0x00010003
#define PS_ATTRIBUTE_STD_HANDLE_INFO 0x0002000A
#define THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x00000001
#define PROCESS_CREATE_FLAGS_INHERIT_HANDLES 0x00000004

NTSYSAPI NTSTATUS NTAPI NtCreateUserProcess(PHANDLE ProcessHandle, PHANDLE ThreadHandle,
    ACCESS_MASK ProcessDesiredAccess, ACCESS_MASK ThreadDesiredAccess, POBJECT_ATTRIBUTES ProcessObjectAttributes,
    POBJECT_ATTRIBUTES ThreadObjectAttributes, ULONG ProcessFlags, ULONG ThreadFlags, PVOID ProcessParameters,
    NATIVE_PS_CREATE_INFO *CreateInfo, PVOID AttributeList);
NTSYSAPI NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key);
NTSYSAPI NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSYSAPI NTSTATUS NTAPI NtResumeThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount);
NTSYSAPI NTSTATUS NTAPI NtOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
    POBJECT_ATTRIBUTES ObjectAttributes, NATIVE_CLIENT_ID *ClientId);
NTSYSAPI NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER Interval);

/* Output on the console, through the process's standard output handle. */
static inline NATIVE_PEB *NativePeb(void)
{
    return (NATIVE_PEB *)__readfsdword(0x30);
}

static inline void NativeWrite(const char *Text)
{
    IO_STATUS_BLOCK Iosb;
    ULONG Length = 0;

    while (Text[Length] != 0)
        Length++;
    NtWriteFile(NativePeb()->ProcessParameters->StandardOutput, NULL, NULL, NULL, &Iosb, (PVOID)Text, Length,
                NULL, NULL);
}

/* A small decimal and hex formatter (no C library in a native program). */
static inline char *NativeFormatHex(char *Out, ULONG Value)
{
    static const char Digits[] = "0123456789ABCDEF";
    int Shift;

    for (Shift = 28; Shift >= 0; Shift -= 4)
        *Out++ = Digits[(Value >> Shift) & 0xF];
    *Out = 0;
    return Out;
}

static inline char *NativeFormatDecimal(char *Out, ULONG Value)
{
    char Reverse[12];
    int Count = 0;

    do {
        Reverse[Count++] = (char)('0' + Value % 10);
        Value /= 10;
    } while (Value != 0);
    while (Count > 0)
        *Out++ = Reverse[--Count];
    *Out = 0;
    return Out;
}

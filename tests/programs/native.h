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
    ULONG StartingX, StartingY, CountX, CountY, CountCharsX, CountCharsY; /* 0x4C */
    ULONG FillAttribute;            /* 0x64 */
    ULONG WindowFlags;              /* 0x68 */
    ULONG ShowWindowFlags;          /* 0x6C */
    UNICODE_STRING WindowTitle;     /* 0x70 */
    UNICODE_STRING DesktopInfo;     /* 0x78 */
    UNICODE_STRING ShellInfo;       /* 0x80 */
    UNICODE_STRING RuntimeData;     /* 0x88 */
    BYTE CurrentDirectories[32][16]; /* 0x90: RTL_DRIVE_LETTER_CURDIR[32] */
    ULONG EnvironmentSize;          /* 0x290 (NT 6) */
} NATIVE_PROCESS_PARAMETERS;
_Static_assert(__builtin_offsetof(NATIVE_PROCESS_PARAMETERS, CommandLine) == 0x40, "CommandLine");
_Static_assert(__builtin_offsetof(NATIVE_PROCESS_PARAMETERS, WindowTitle) == 0x70, "WindowTitle");
_Static_assert(__builtin_offsetof(NATIVE_PROCESS_PARAMETERS, EnvironmentSize) == 0x290, "EnvironmentSize");

/* Flags: the strings' Buffers are addresses (else offsets from the block's start). */
#define RTL_USER_PROC_PARAMS_NORMALIZED 0x00000001

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

#define PS_ATTRIBUTE_PARENT_PROCESS  0x00060000
#define PS_ATTRIBUTE_IMAGE_NAME      0x00020005
#define PS_ATTRIBUTE_CLIENT_ID       0x00010003
#define PS_ATTRIBUTE_IMAGE_INFO      0x00000006
#define PS_ATTRIBUTE_STD_HANDLE_INFO 0x0002000A

/* PS_ATTRIBUTE_STD_HANDLE_INFO's value: Flags is StdHandleState (bits 0-1: 0 never,
   1 as PseudoHandleMask says, 2 always duplicate) | PseudoHandleMask << 2. */
typedef struct _NATIVE_PS_STD_HANDLE_INFO {
    ULONG Flags;
    ULONG StdHandleSubsystemType;
} NATIVE_PS_STD_HANDLE_INFO;
#define PS_STD_ALWAYS_DUPLICATE 2

/* NtCreateThread's description of the stack its caller made. */
typedef struct _NATIVE_INITIAL_TEB {
    PVOID OldStackBase;
    PVOID OldStackLimit;
    PVOID StackBase;
    PVOID StackLimit;
    PVOID StackAllocationBase;
} NATIVE_INITIAL_TEB;

/* NtQuerySection's classes. */
typedef enum _SECTION_INHERIT { ViewShare = 1, ViewUnmap = 2 } SECTION_INHERIT;
#define SectionBasicInformation 0
#define SectionImageInformation 1

typedef struct _NATIVE_SECTION_BASIC_INFORMATION {
    PVOID BaseAddress;              /* an image: its preferred base */
    ULONG AllocationAttributes;
    LARGE_INTEGER MaximumSize;
} NATIVE_SECTION_BASIC_INFORMATION;

typedef struct _NATIVE_SECTION_IMAGE_INFORMATION {
    PVOID TransferAddress;          /* 0x00: the entry point at the preferred base */
    ULONG ZeroBits;
    SIZE_T MaximumStackSize;        /* 0x08 */
    SIZE_T CommittedStackSize;      /* 0x0C */
    ULONG SubSystemType;            /* 0x10 */
    ULONG SubSystemVersion;
    ULONG GpValue;
    USHORT ImageCharacteristics;    /* 0x1C */
    USHORT DllCharacteristics;
    USHORT Machine;                 /* 0x20 */
    BOOLEAN ImageContainsCode;
    UCHAR ImageFlags;
    ULONG LoaderFlags;
    ULONG ImageFileSize;
    ULONG CheckSum;
} NATIVE_SECTION_IMAGE_INFORMATION;
_Static_assert(sizeof(NATIVE_SECTION_IMAGE_INFORMATION) == 0x30, "SECTION_IMAGE_INFORMATION");

/* ProcessTimes, ThreadTimes (MinGW's has FILETIMEs). */
typedef struct _NATIVE_KERNEL_USER_TIMES {
    LARGE_INTEGER CreateTime;
    LARGE_INTEGER ExitTime;
    LARGE_INTEGER KernelTime;
    LARGE_INTEGER UserTime;
} NATIVE_KERNEL_USER_TIMES;

/* NT's status values as NTSTATUS (winnt.h has a few as DWORDs). */
#undef STATUS_SUCCESS
#undef STATUS_TIMEOUT
#undef STATUS_PENDING
#undef STATUS_ACCESS_VIOLATION
#define STATUS_SUCCESS                ((NTSTATUS)0x00000000L)
#define STATUS_TIMEOUT                ((NTSTATUS)0x00000102L)
#define STATUS_PENDING                ((NTSTATUS)0x00000103L)
#define STATUS_ACCESS_VIOLATION       ((NTSTATUS)0xC0000005L)
#define STATUS_INVALID_HANDLE_NT      ((NTSTATUS)0xC0000008L)
#define STATUS_ACCESS_DENIED          ((NTSTATUS)0xC0000022L)
#define STATUS_CANT_TERMINATE_SELF    ((NTSTATUS)0xC00000DBL)
#define STATUS_PROCESS_IS_TERMINATING ((NTSTATUS)0xC000010AL)

typedef struct _NATIVE_THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    NATIVE_CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} NATIVE_THREAD_BASIC_INFORMATION;
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
NTSYSAPI NTSTATUS NTAPI NtCreateProcessEx(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
    POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ParentProcess, ULONG Flags, HANDLE SectionHandle,
    HANDLE DebugPort, HANDLE ExceptionPort, ULONG JobMemberLevel);
NTSYSAPI NTSTATUS NTAPI NtCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
    POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle, NATIVE_CLIENT_ID *ClientId, PCONTEXT ThreadContext,
    NATIVE_INITIAL_TEB *InitialTeb, BOOLEAN CreateSuspended);
NTSYSAPI NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus);
NTSYSAPI NTSTATUS NTAPI NtSuspendThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount);
NTSYSAPI NTSTATUS NTAPI NtOpenThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
    POBJECT_ATTRIBUTES ObjectAttributes, NATIVE_CLIENT_ID *ClientId);
NTSYSAPI NTSTATUS NTAPI NtCreateSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess,
    POBJECT_ATTRIBUTES ObjectAttributes, PLARGE_INTEGER MaximumSize, ULONG SectionPageProtection,
    ULONG AllocationAttributes, HANDLE FileHandle);
NTSYSAPI NTSTATUS NTAPI NtOpenSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess,
    POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI NtQuerySection(HANDLE SectionHandle, ULONG SectionInformationClass,
    PVOID SectionInformation, SIZE_T SectionInformationLength, PSIZE_T ResultLength);
NTSYSAPI NTSTATUS NTAPI NtMapViewOfSection(HANDLE SectionHandle, HANDLE ProcessHandle, PVOID *BaseAddress,
    ULONG_PTR ZeroBits, SIZE_T CommitSize, PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize,
    SECTION_INHERIT InheritDisposition, ULONG AllocationType, ULONG Win32Protect);
NTSYSAPI NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
    PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect);
NTSYSAPI NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
    ULONG NewProtect, PULONG OldProtect);
NTSYSAPI NTSTATUS NTAPI NtReadVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, PVOID Buffer,
    SIZE_T BufferSize, PSIZE_T NumberOfBytesRead);
NTSYSAPI NTSTATUS NTAPI NtWriteVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, const VOID *Buffer,
    SIZE_T BufferSize, PSIZE_T NumberOfBytesWritten);
NTSYSAPI NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle,
    HANDLE TargetProcessHandle, PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
    ULONG Options);
typedef enum _NATIVE_EVENT_TYPE { NotificationEvent, SynchronizationEvent } NATIVE_EVENT_TYPE;
NTSYSAPI NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
    POBJECT_ATTRIBUTES ObjectAttributes, NATIVE_EVENT_TYPE EventType, BOOLEAN InitialState);
NTSYSAPI NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI NtSuspendProcess(HANDLE ProcessHandle);
NTSYSAPI NTSTATUS NTAPI NtResumeProcess(HANDLE ProcessHandle);
NTSYSAPI NTSTATUS NTAPI NtGetContextThread(HANDLE ThreadHandle, PCONTEXT ThreadContext);
NTSYSAPI NTSTATUS NTAPI NtSetContextThread(HANDLE ThreadHandle, PCONTEXT ThreadContext);
NTSYSAPI VOID NTAPI RtlExitUserThread(NTSTATUS ExitStatus);
NTSYSAPI PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG First, PVECTORED_EXCEPTION_HANDLER Handler);
/* Where every thread starts (EAX = routine, EBX = its argument): at the same
   address in every process, since ntdll is. Not a C function; only its address. */
NTSYSAPI VOID RtlUserThreadStart(VOID);

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

/*
 * A thread of this process at Routine(Parameter), on a 64 KB stack of its own (left
 * to the process when the thread ends), begun in ntdll's RtlUserThreadStart with
 * EAX = routine and EBX = parameter, as NT 6's kernel starts one; Suspended: not
 * run until NtResumeThread.
 */
static inline NTSTATUS NativeStartThread(ULONG (NTAPI *Routine)(PVOID), PVOID Parameter, BOOLEAN Suspended,
                                         HANDLE *Thread)
{
    CONTEXT Context;
    NATIVE_INITIAL_TEB InitialTeb;
    NATIVE_CLIENT_ID Cid;
    SIZE_T Size = 0x10000, Index;
    PVOID Stack = NULL;
    NTSTATUS Status;

    /* Zeroed byte by byte through a volatile pointer: gcc would make a loop or an
       initializer a call to memset, which a program without a C library lacks. */
    for (Index = 0; Index < sizeof(Context); Index++)
        ((volatile UCHAR *)&Context)[Index] = 0;

    Status = NtAllocateVirtualMemory(NtCurrentProcess(), &Stack, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                     PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    InitialTeb.OldStackBase = InitialTeb.OldStackLimit = NULL;
    InitialTeb.StackAllocationBase = InitialTeb.StackLimit = Stack;
    InitialTeb.StackBase = (PUCHAR)Stack + Size;
    Context.ContextFlags = CONTEXT_FULL;
    Context.Eip = (ULONG)(ULONG_PTR)&RtlUserThreadStart;
    Context.Eax = (ULONG)(ULONG_PTR)Routine;
    Context.Ebx = (ULONG)(ULONG_PTR)Parameter;
    Context.Esp = (ULONG)(ULONG_PTR)InitialTeb.StackBase;
    Context.SegCs = 0x1B;
    Context.SegDs = Context.SegEs = Context.SegSs = 0x23;
    Context.SegFs = 0x3B;
    Context.EFlags = 0x202;
    return NtCreateThread(Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), &Cid, &Context, &InitialTeb,
                          Suspended);
}

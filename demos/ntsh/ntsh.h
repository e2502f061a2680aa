/*
 * ntsh.h - what the parts of ntsh share: the NT declarations MinGW-w64's own
 * <windows.h> and <winternl.h> leave out (with NT's prototypes and layouts; the
 * shell links with MinGW's libntdll.a and libntdllcrt.a, as a native program for
 * Windows would, and takes nothing from this repository's include/nt), and the
 * shell's own helpers (output, status names, paths).
 */
#pragma once

#include <windows.h>
#include <winternl.h>
#include <stdarg.h>
#include <string.h>

/* ---- NT's definitions that MinGW's headers lack ---- */

#ifndef NT_SUCCESS
#define NT_SUCCESS(Status) ((NTSTATUS)(Status) >= 0)
#endif
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)

/* winnt.h has a few of these as DWORDs; the shell compares NTSTATUS values. */
#undef STATUS_TIMEOUT
#undef STATUS_PENDING
#define SH_STATUS_SUCCESS              ((NTSTATUS)0x00000000L)
#define SH_STATUS_NO_MORE_FILES        ((NTSTATUS)0x80000006L)
#define SH_STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004L)
#define SH_STATUS_END_OF_FILE          ((NTSTATUS)0xC0000011L)
#define SH_STATUS_NO_MEMORY            ((NTSTATUS)0xC0000017L)
#define SH_STATUS_OBJECT_NAME_INVALID  ((NTSTATUS)0xC0000033L)
#define SH_STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034L)
#define SH_STATUS_BUFFER_TOO_SMALL     ((NTSTATUS)0xC0000023L)
#define SH_STATUS_NAME_TOO_LONG        ((NTSTATUS)0xC0000106L)
#define SH_STATUS_INVALID_IMAGE_FORMAT ((NTSTATUS)0xC000007BL)

/* The process parameters as NT lays them out (winternl.h hides most fields). */
typedef struct _SH_CURDIR {
    UNICODE_STRING DosPath;
    HANDLE Handle;
} SH_CURDIR;

typedef struct _SH_PROCESS_PARAMETERS {
    ULONG MaximumLength;
    ULONG Length;
    ULONG Flags;
    ULONG DebugFlags;
    HANDLE ConsoleHandle;
    ULONG ConsoleFlags;
    HANDLE StandardInput;               /* 0x18 */
    HANDLE StandardOutput;              /* 0x1C */
    HANDLE StandardError;               /* 0x20 */
    SH_CURDIR CurrentDirectory;         /* 0x24 */
    UNICODE_STRING DllPath;             /* 0x30 */
    UNICODE_STRING ImagePathName;       /* 0x38 */
    UNICODE_STRING CommandLine;         /* 0x40 */
    PVOID Environment;                  /* 0x48: "NAME=value\0...\0\0", UTF-16 */
} SH_PROCESS_PARAMETERS;
_Static_assert(__builtin_offsetof(SH_PROCESS_PARAMETERS, StandardInput) == 0x18, "StandardInput");
_Static_assert(__builtin_offsetof(SH_PROCESS_PARAMETERS, Environment) == 0x48, "Environment");

/* RtlCreateProcessParametersEx's flag: hand the block back with addresses, not offsets. */
#define RTL_USER_PROC_PARAMS_NORMALIZED 0x00000001

/* NtQuerySection(SectionImageInformation)'s answer, inside RTL_USER_PROCESS_INFORMATION. */
typedef struct _SH_SECTION_IMAGE_INFORMATION {
    PVOID TransferAddress;
    ULONG ZeroBits;
    SIZE_T MaximumStackSize;
    SIZE_T CommittedStackSize;
    ULONG SubSystemType;
    ULONG SubSystemVersion;
    ULONG GpValue;
    USHORT ImageCharacteristics;
    USHORT DllCharacteristics;
    USHORT Machine;
    BOOLEAN ImageContainsCode;
    UCHAR ImageFlags;
    ULONG LoaderFlags;
    ULONG ImageFileSize;
    ULONG CheckSum;
} SH_SECTION_IMAGE_INFORMATION;

typedef struct _SH_CLIENT_ID {
    HANDLE UniqueProcess;
    HANDLE UniqueThread;
} SH_CLIENT_ID;

typedef struct _RTL_USER_PROCESS_INFORMATION {
    ULONG Length;
    HANDLE Process;
    HANDLE Thread;
    SH_CLIENT_ID ClientId;
    SH_SECTION_IMAGE_INFORMATION ImageInformation;
} RTL_USER_PROCESS_INFORMATION;
_Static_assert(sizeof(RTL_USER_PROCESS_INFORMATION) == 0x44, "RTL_USER_PROCESS_INFORMATION");

/* NtSetInformationObject(ObjectHandleFlagInformation): a handle's two flags. */
#define SH_OBJECT_HANDLE_FLAG_CLASS 4
typedef struct _SH_OBJECT_HANDLE_FLAG_INFORMATION {
    BOOLEAN Inherit;
    BOOLEAN ProtectFromClose;
} SH_OBJECT_HANDLE_FLAG_INFORMATION;

/* A time broken into its fields (wdm.h has it; winternl.h does not). */
typedef struct _SH_TIME_FIELDS {
    SHORT Year;                         /* 1601... */
    SHORT Month;                        /* 1-12 */
    SHORT Day;                          /* 1-31 */
    SHORT Hour;                         /* 0-23 */
    SHORT Minute;
    SHORT Second;
    SHORT Milliseconds;
    SHORT Weekday;                      /* 0 = Sunday */
} SH_TIME_FIELDS;
_Static_assert(sizeof(SH_TIME_FIELDS) == 16, "TIME_FIELDS");
NTSYSAPI VOID NTAPI RtlTimeToTimeFields(PLARGE_INTEGER Time, SH_TIME_FIELDS *TimeFields);

NTSYSAPI NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key);
NTSYSAPI NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key);
NTSYSAPI NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine,
    PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
    FILE_INFORMATION_CLASS FileInformationClass, BOOLEAN ReturnSingleEntry, PUNICODE_STRING FileName,
    BOOLEAN RestartScan);
NTSYSAPI NTSTATUS NTAPI NtQueryAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes,
    PFILE_BASIC_INFORMATION FileInformation);
NTSYSAPI NTSTATUS NTAPI NtResumeThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount);
NTSYSAPI NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSYSAPI NTSTATUS NTAPI NtSetInformationObject(HANDLE Handle, ULONG ObjectInformationClass,
    PVOID ObjectInformation, ULONG ObjectInformationLength);
NTSYSAPI NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
    PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect);
NTSYSAPI NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
    ULONG FreeType);
NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParametersEx(SH_PROCESS_PARAMETERS **ProcessParameters,
    PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath, PUNICODE_STRING CurrentDirectory,
    PUNICODE_STRING CommandLine, PVOID Environment, PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo,
    PUNICODE_STRING ShellInfo, PUNICODE_STRING RuntimeData, ULONG Flags);
NTSYSAPI NTSTATUS NTAPI RtlDestroyProcessParameters(SH_PROCESS_PARAMETERS *ProcessParameters);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
    SH_PROCESS_PARAMETERS *ProcessParameters, PVOID ProcessSecurityDescriptor, PVOID ThreadSecurityDescriptor,
    HANDLE ParentProcess, BOOLEAN InheritHandles, HANDLE DebugPort, HANDLE ExceptionPort,
    RTL_USER_PROCESS_INFORMATION *ProcessInformation);
NTSYSAPI NTSTATUS NTAPI RtlSetCurrentDirectory_U(PUNICODE_STRING Path);
NTSYSAPI ULONG NTAPI RtlGetFullPathName_U(PCWSTR FileName, ULONG BufferLength, PWSTR Buffer, PWSTR *FilePart);
NTSYSAPI ULONG NTAPI RtlGetCurrentDirectory_U(ULONG BufferLength, PWSTR Buffer);
NTSYSAPI NTSTATUS NTAPI RtlSetEnvironmentVariable(PVOID *Environment, PUNICODE_STRING Name,
    PUNICODE_STRING Value);
NTSYSAPI NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(PVOID Environment, PUNICODE_STRING Name,
    PUNICODE_STRING Value);
NTSYSAPI VOID NTAPI RtlExitUserProcess(NTSTATUS ExitStatus);
NTSYSAPI int __cdecl _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args);

/* ---- the shell ---- */

#define SH_PATH_CHARS 260           /* MAX_PATH: a DOS path the shell handles */
#define SH_LINE_CHARS 256           /* a typed line (the console's own limit) */
#define SH_MAX_ARGS   32

/* The process's parameters and standard handles (PEB->ProcessParameters). */
static inline SH_PROCESS_PARAMETERS *ShParameters(void)
{
    return (SH_PROCESS_PARAMETERS *)NtCurrentTeb()->ProcessEnvironmentBlock->ProcessParameters;
}

/* output.c: formatted output on standard output, errors with status names. */
void ShPrint(const char *Format, ...) __attribute__((format(ms_printf, 1, 2)));
void ShWrite(const char *Text, ULONG Length);
const char *ShStatusName(NTSTATUS Status);
void ShError(const WCHAR *What, NTSTATUS Status);

/* builtins.c: the commands the shell runs itself. TRUE when Argv[0] was one. */
BOOLEAN ShRunBuiltin(int Argc, WCHAR **Argv, const WCHAR *Rest);
extern BOOLEAN ShExitRequested;
extern NTSTATUS ShExitStatus;     /* `exit N`: the shell's exit status */

/* run.c: a program, found and started, waited for. */
void ShRunProgram(int Argc, WCHAR **Argv, const WCHAR *CommandLine);

/* Small string helpers (ntsh.c). */
ULONG ShLength(const WCHAR *Text);
BOOLEAN ShEqualNoCase(const WCHAR *A, const WCHAR *B);

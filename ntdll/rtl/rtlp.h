/*
 * rtlp.h - what ntdll's runtime files (strings, paths, environment, process
 * parameters, status mapping, formatting) share: the NT prototypes they export,
 * the services and heap routines they call, and the way they reach the PEB/TEB.
 *
 * The PEB and TEB are reached only through RtlpCurrentPeb/RtlpCurrentTeb
 * (rtl/rtlteb.c, fs-relative in the DLL) so that the host unit tests can compile
 * these files unchanged and hand them a fake PEB (tests/unit/rtlhost.c).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/ntobapi.h>
#include <nt/ntioapi.h>
#include <nt/ntmmapi.h>
#include <nt/ntpebteb.h>
#include <stdarg.h>

/* MinGW predefines __cdecl; the host compiler (the unit tests) does not. */
#ifndef __cdecl
#define __cdecl __attribute__((cdecl))
#endif

/* Statuses this code returns that include/nt/ntstatus.h does not list yet (NT's values). */
#ifndef STATUS_VARIABLE_NOT_FOUND
#define STATUS_VARIABLE_NOT_FOUND ((NTSTATUS)0xC0000100L)
#endif

#define RtlpCurrentProcess() ((HANDLE)(LONG_PTR)-1)

/* NT's MAX_PATH, in characters: the current directory's buffer holds this many. */
#define RTLP_MAX_PATH 260

/* ---- the C library's string routines (kernel/rtl/string.c and crt*.c, all exported) ---- */
void *memcpy(void *Destination, const void *Source, size_t Length);
void *memmove(void *Destination, const void *Source, size_t Length);
void *memset(void *Destination, int Value, size_t Length);
int memcmp(const void *A, const void *B, size_t Length);
size_t strlen(const char *String);
size_t strnlen(const char *String, size_t MaxLength);
int strncmp(const char *A, const char *B, size_t Length);
size_t wcslen(const WCHAR *String);
int wcscmp(const WCHAR *A, const WCHAR *B);
int wcsncmp(const WCHAR *A, const WCHAR *B, size_t Count);
int _wcsicmp(const WCHAR *A, const WCHAR *B);
int _wcsnicmp(const WCHAR *A, const WCHAR *B, size_t Count);
WCHAR *wcschr(const WCHAR *String, WCHAR Character);
WCHAR *wcsrchr(const WCHAR *String, WCHAR Character);
WCHAR *wcscpy(WCHAR *Destination, const WCHAR *Source);
WCHAR *wcscat(WCHAR *Destination, const WCHAR *Source);
char *strrchr(const char *String, int Character);
char *strcpy(char *Destination, const char *Source);
char *strcat(char *Destination, const char *Source);
int toupper(int Character);
int tolower(int Character);
WCHAR towupper(WCHAR Character);
WCHAR towlower(WCHAR Character);

/* ---- the process and thread blocks (rtl/rtlteb.c; the host tests fake them) ---- */
PPEB RtlpCurrentPeb(VOID);
PTEB RtlpCurrentTeb(VOID);

/* ---- the PEB lock (peblock.c; the host tests count it): held around every read
   or change of the current directory and the process's environment ---- */
VOID NTAPI RtlAcquirePebLock(VOID);
VOID NTAPI RtlReleasePebLock(VOID);

/* ---- the process heap (rtl/heap*.c) ---- */
PVOID NTAPI RtlAllocateHeap(PVOID Heap, ULONG Flags, SIZE_T Size);
BOOLEAN NTAPI RtlFreeHeap(PVOID Heap, ULONG Flags, PVOID Block);

/* Process-heap shorthands for the runtime's own buffers. */
static inline PVOID RtlpAllocate(SIZE_T Size)
{
    return RtlAllocateHeap(RtlpCurrentPeb()->ProcessHeap, 0, Size);
}
static inline VOID RtlpFree(PVOID Block)
{
    if (Block != NULL)
        RtlFreeHeap(RtlpCurrentPeb()->ProcessHeap, 0, Block);
}

/* ---- the services called (ntdll's own stubs, stdcall) ---- */
NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect);
NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                   ULONG FreeType);
NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions);
NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSTATUS NTAPI NtQueryAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes, PFILE_BASIC_INFORMATION FileInformation);
/* (the same prototype as ldr/ldrp.h's) */
NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                           PVOID IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                           PULONG Key);

/* Keyed events (kernel/ex/keyedevt.c): a NULL handle is the system's own. */
NTSTATUS NTAPI NtWaitForKeyedEvent(HANDLE KeyedEventHandle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSTATUS NTAPI NtReleaseKeyedEvent(HANDLE KeyedEventHandle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSTATUS NTAPI NtYieldExecution(VOID);

/* ---- slim reader/writer locks and condition variables (srwlock.c, condvar.c) ---- */
/* Both are one pointer, all zero when free / empty (NT 6's RTL_SRWLOCK_INIT and
   RTL_CONDITION_VARIABLE_INIT); what the bits mean is ntdll's own business. */
typedef struct _RTL_SRWLOCK {
    PVOID Ptr;
} RTL_SRWLOCK, *PRTL_SRWLOCK;
typedef struct _RTL_CONDITION_VARIABLE {
    PVOID Ptr;
} RTL_CONDITION_VARIABLE, *PRTL_CONDITION_VARIABLE;
#define RTL_CONDITION_VARIABLE_LOCKMODE_SHARED 0x1
VOID NTAPI RtlAcquireSRWLockExclusive(PRTL_SRWLOCK Lock);
VOID NTAPI RtlAcquireSRWLockShared(PRTL_SRWLOCK Lock);
VOID NTAPI RtlReleaseSRWLockExclusive(PRTL_SRWLOCK Lock);
VOID NTAPI RtlReleaseSRWLockShared(PRTL_SRWLOCK Lock);

/* ---- counted strings (ustring.c, convert.c) ---- */
VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
VOID NTAPI RtlInitAnsiString(PANSI_STRING DestinationString, PCSTR SourceString);
VOID NTAPI RtlInitString(PSTRING DestinationString, PCSTR SourceString);
VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING UnicodeString);
VOID NTAPI RtlFreeAnsiString(PANSI_STRING AnsiString);
VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString);
NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source);
NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source);
LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                   BOOLEAN CaseInSensitive);
BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                    BOOLEAN CaseInSensitive);
BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                     BOOLEAN CaseInSensitive);
WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR SourceCharacter);
NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                      BOOLEAN AllocateDestinationString);
NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString, PCANSI_STRING SourceString,
                                            BOOLEAN AllocateDestinationString);
NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString, PCUNICODE_STRING SourceString,
                                            BOOLEAN AllocateDestinationString);
NTSTATUS NTAPI RtlOemStringToUnicodeString(PUNICODE_STRING DestinationString, PCANSI_STRING SourceString,
                                           BOOLEAN AllocateDestinationString);
NTSTATUS NTAPI RtlUnicodeStringToOemString(POEM_STRING DestinationString, PCUNICODE_STRING SourceString,
                                           BOOLEAN AllocateDestinationString);

/* upcase.c: each character of Source through Map (RtlUpcase/DowncaseUnicodeString's rules). */
NTSTATUS RtlpMapUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                              BOOLEAN AllocateDestinationString, WCHAR (NTAPI *Map)(WCHAR));
WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR SourceCharacter);
NTSTATUS NTAPI RtlDowncaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                        BOOLEAN AllocateDestinationString);
/* ustrnew.c */
BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(PUNICODE_STRING DestinationString, PCSTR SourceString);
NTSTATUS NTAPI RtlDuplicateUnicodeString(ULONG Flags, PCUNICODE_STRING SourceString,
                                         PUNICODE_STRING DestinationString);
NTSTATUS NTAPI RtlInitUnicodeStringEx(PUNICODE_STRING DestinationString, PCWSTR SourceString);
VOID NTAPI RtlFreeOemString(POEM_STRING OemString);
/* astring.c */
LONG NTAPI RtlCompareString(PCSTRING String1, PCSTRING String2, BOOLEAN CaseInSensitive);
BOOLEAN NTAPI RtlEqualString(PCSTRING String1, PCSTRING String2, BOOLEAN CaseInSensitive);
VOID NTAPI RtlUpperString(PSTRING DestinationString, PCSTRING SourceString);
/* mbconv.c */
NTSTATUS NTAPI RtlMultiByteToUnicodeN(PWCHAR UnicodeString, ULONG MaxBytesInUnicodeString,
                                      PULONG BytesInUnicodeString, const CHAR *MultiByteString,
                                      ULONG BytesInMultiByteString);
NTSTATUS NTAPI RtlOemToUnicodeN(PWCHAR UnicodeString, ULONG MaxBytesInUnicodeString, PULONG BytesInUnicodeString,
                                const CHAR *OemString, ULONG BytesInOemString);
NTSTATUS NTAPI RtlUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
                                      PULONG BytesInMultiByteString, const WCHAR *UnicodeString,
                                      ULONG BytesInUnicodeString);
NTSTATUS NTAPI RtlUnicodeToOemN(PCHAR OemString, ULONG MaxBytesInOemString, PULONG BytesInOemString,
                                const WCHAR *UnicodeString, ULONG BytesInUnicodeString);
NTSTATUS NTAPI RtlUpcaseUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
                                            PULONG BytesInMultiByteString, const WCHAR *UnicodeString,
                                            ULONG BytesInUnicodeString);
NTSTATUS NTAPI RtlMultiByteToUnicodeSize(PULONG BytesInUnicodeString, const CHAR *MultiByteString,
                                         ULONG BytesInMultiByteString);
NTSTATUS NTAPI RtlUnicodeToMultiByteSize(PULONG BytesInMultiByteString, const WCHAR *UnicodeString,
                                         ULONG BytesInUnicodeString);
ULONG NTAPI RtlxAnsiStringToUnicodeSize(PCANSI_STRING AnsiString);
ULONG NTAPI RtlAnsiStringToUnicodeSize(PCANSI_STRING AnsiString);
ULONG NTAPI RtlxUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString);
ULONG NTAPI RtlUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString);

/* nls.c: the two code pages (see there). */
WCHAR RtlpAnsiToUnicode(UCHAR Character);
WCHAR RtlpOemToUnicode(UCHAR Character);
UCHAR RtlpUnicodeToAnsi(WCHAR Character);
UCHAR RtlpUnicodeToOem(WCHAR Character);

/* ---- status mapping (status.c) ---- */
ULONG NTAPI RtlNtStatusToDosError(NTSTATUS Status);
ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS Status);

/* ---- paths (pathtype.c, fullpath.c, ntpath.c, curdir.c) ---- */
typedef enum _RTL_PATH_TYPE {
    RtlPathTypeUnknown,         /* 0 */
    RtlPathTypeUncAbsolute,     /* 1: \\server\share\x */
    RtlPathTypeDriveAbsolute,   /* 2: C:\x */
    RtlPathTypeDriveRelative,   /* 3: C:x */
    RtlPathTypeRooted,          /* 4: \x */
    RtlPathTypeRelative,        /* 5: x */
    RtlPathTypeLocalDevice,     /* 6: \\.\x, \\?\x */
    RtlPathTypeRootLocalDevice, /* 7: \\. or \\? */
} RTL_PATH_TYPE;

RTL_PATH_TYPE NTAPI RtlDetermineDosPathNameType_U(PCWSTR Path);
ULONG NTAPI RtlGetFullPathName_U(PCWSTR FileName, ULONG Size, PWSTR Buffer, PWSTR *ShortName);
BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(PCWSTR DosName, PUNICODE_STRING NtName, PCWSTR *FilePart,
                                           PCURDIR RelativeName);
ULONG NTAPI RtlGetCurrentDirectory_U(ULONG MaximumLength, PWSTR Buffer);
NTSTATUS NTAPI RtlSetCurrentDirectory_U(PUNICODE_STRING Path);

/* A DOS name relative to the current directory (NT 6's RTL_RELATIVE_NAME_U; NT 5's
   CURDIR is its first two fields): the name's tail inside the NT name, the
   directory's handle, and the reference that keeps that handle open (curdir.c). */
typedef struct _RTLP_CURDIR_REF RTLP_CURDIR_REF, *PRTLP_CURDIR_REF;
typedef struct _RTL_RELATIVE_NAME_U {
    UNICODE_STRING RelativeName;
    HANDLE ContainingDirectory;
    PRTLP_CURDIR_REF CurDirRef;
} RTL_RELATIVE_NAME_U, *PRTL_RELATIVE_NAME_U;

BOOLEAN NTAPI RtlDosPathNameToRelativeNtPathName_U(PCWSTR DosName, PUNICODE_STRING NtName, PCWSTR *FilePart,
                                                   PRTL_RELATIVE_NAME_U RelativeName);
VOID NTAPI RtlReleaseRelativeName(PRTL_RELATIVE_NAME_U RelativeName);
BOOLEAN NTAPI RtlDoesFileExists_U(PCWSTR FileName);
ULONG NTAPI RtlIsDosDeviceName_U(PCWSTR DosFileName);
ULONG NTAPI RtlDosSearchPath_U(PCWSTR Path, PCWSTR FileName, PCWSTR Extension, ULONG BufferLength, PWSTR Buffer,
                               PWSTR *FilePart);
/* curdir.c: a reference to the current directory's handle (PEB lock held), and its release. */
PRTLP_CURDIR_REF RtlpReferenceCurrentDirectory(VOID);
VOID RtlpDereferenceCurrentDirectory(PRTLP_CURDIR_REF Reference);

/*
 * fullpath.c: the full DOS path of Name ("C:\Dir\x", "\\server\share\x",
 * "\\.\CON"), in a process-heap buffer the caller frees, NUL-terminated;
 * *Length is its length in characters. NULL when Name is empty or memory is short.
 * *Type is Name's own path type; *IsDevice is TRUE when Name was a DOS device
 * name (CON, NUL, COM1...) turned into "\\.\NAME".
 */
PWSTR RtlpFullPathName(PCWSTR Name, PULONG Length, RTL_PATH_TYPE *Type, BOOLEAN *IsDevice);
/* fullpath.c: the length of a DOS device name Name ends in (CON, LPT1...), else 0. */
ULONG RtlpDosDeviceNameLength(PCWSTR Name, PULONG Offset);

/* ---- environment (environ.c, envexp.c) ---- */
NTSTATUS NTAPI RtlCreateEnvironment(BOOLEAN CloneCurrentEnvironment, PVOID *Environment);
NTSTATUS NTAPI RtlDestroyEnvironment(PVOID Environment);
NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(PVOID Environment, PUNICODE_STRING Name, PUNICODE_STRING Value);
NTSTATUS NTAPI RtlSetEnvironmentVariable(PVOID *Environment, PUNICODE_STRING Name, PUNICODE_STRING Value);
NTSTATUS NTAPI RtlExpandEnvironmentStrings_U(PVOID Environment, PUNICODE_STRING Source,
                                             PUNICODE_STRING Destination, PULONG ReturnedLength);
/* environ.c: bytes of an environment block, its final double NUL included. */
SIZE_T RtlpEnvironmentSize(PCWSTR Environment);

/* ---- process parameters (ppb.c) ---- */
NTSTATUS NTAPI RtlCreateProcessParameters(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                          PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                          PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
                                          PVOID Environment, PUNICODE_STRING WindowTitle,
                                          PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
                                          PUNICODE_STRING RuntimeData);
NTSTATUS NTAPI RtlCreateProcessParametersEx(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                            PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                            PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
                                            PVOID Environment, PUNICODE_STRING WindowTitle,
                                            PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
                                            PUNICODE_STRING RuntimeData, ULONG Flags);
NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS ProcessParameters);
PRTL_USER_PROCESS_PARAMETERS NTAPI RtlNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS ProcessParameters);
PRTL_USER_PROCESS_PARAMETERS NTAPI RtlDeNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS ProcessParameters);

/* ---- formatting and debug output (printf.c, dbgprint.c) ---- */
/* kernel/rtl/format.c, built into ntdll (declared in kernel/include/rtl.h, which
   ntdll's files do not include: the rest of it is the kernel's). */
int RtlStringVPrintf(PCHAR Buffer, SIZE_T Size, PCSTR Format, va_list Args);
SIZE_T RtlFormatCharacters(PVOID Buffer, SIZE_T Limit, BOOLEAN Wide, PCVOID Format, va_list Args);

ULONG __cdecl DbgPrint(PCSTR Format, ...);
int __cdecl _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args);
int __cdecl _snprintf(char *Buffer, size_t Count, const char *Format, ...);
int __cdecl sprintf(char *Buffer, const char *Format, ...);
int __cdecl _vsnwprintf(WCHAR *Buffer, size_t Count, const WCHAR *Format, va_list Args);
int __cdecl _snwprintf(WCHAR *Buffer, size_t Count, const WCHAR *Format, ...);
int __cdecl swprintf(WCHAR *Buffer, const WCHAR *Format, ...);

ULONG __cdecl DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
VOID NTAPI RtlAssert(PVOID FailedAssertion, PVOID FileName, ULONG LineNumber, PCHAR Message);
int __cdecl vsprintf(char *Buffer, const char *Format, va_list Args);
int __cdecl _swprintf(WCHAR *Buffer, const WCHAR *Format, ...);
int __cdecl _vswprintf(WCHAR *Buffer, const WCHAR *Format, va_list Args);
int __cdecl _vscprintf(const char *Format, va_list Args);
int __cdecl _vscwprintf(const WCHAR *Format, va_list Args);

/* ---- the C library's other exports (crtmb.c, crtpath.c, crtscan.c, crtconv.c, crtsrch.c,
   crtctype.c), cdecl ---- */
/* (mbstowcs and wcstombs, crtmb.c, are not declared here: the host's C library
   declares them with its own, 4-byte wchar_t; ntcrt.exe tests them in ring 3.) */
void __cdecl _splitpath(const char *Path, char *Drive, char *Directory, char *FileName, char *Extension);
/* crtscan.c: sscanf's body (the host's stdio.h may rename sscanf: the tests call this). */
int RtlpScanString(const char *Input, const char *Format, va_list Args);
LONGLONG __cdecl _wcstoi64(const WCHAR *String, WCHAR **End, int Base);
ULONGLONG __cdecl _wcstoui64(const WCHAR *String, WCHAR **End, int Base);
void *__cdecl _memccpy(void *Destination, const void *Source, int Character, size_t Count);
void *__cdecl _lfind(const void *Key, const void *Base, unsigned int *Count, unsigned int Size,
                     int (__cdecl *Compare)(const void *, const void *));
int __cdecl _toupper(int Character);
int __cdecl _tolower(int Character);

/*
 * environ.c: the entry of Environment (NULL: the process's) whose name is the
 * NameChars characters at Name, compared without case; its value and the value's
 * length in characters. NULL when there is none.
 */
PCWSTR RtlpFindVariable(PCWSTR Environment, PCWSTR Name, ULONG NameChars, PULONG ValueChars);
/* environ.c: the process's environment block (PEB->ProcessParameters->Environment). */
PWSTR RtlpProcessEnvironment(VOID);

/*
 * ntpath.c: the NT name of a full DOS path (RtlpFullPathName's result) in a
 * process-heap buffer: "\??\C:\x", "\??\UNC\server\share\x", "\??\CON".
 */
BOOLEAN RtlpFullToNtPath(PCWSTR Full, ULONG FullLength, PUNICODE_STRING NtName);

/* ---- 64-by-32 division without libgcc (kernel/rtl/divide.c, shared) ---- */
ULONGLONG RtlpDivide64By32(ULONGLONG Dividend, ULONG Divisor, PULONG Remainder);

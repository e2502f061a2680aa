/*
 * rtltest.c - ntdll's runtime in ring 3 (issue 9), linked with MinGW's own
 * libntdll.a: DbgPrint (which prints every line here, through the standard error
 * handle), DOS to NT paths, the current directory set on the real FAT volume
 * (NtOpenFile with FILE_DIRECTORY_FILE: a file and a missing directory refused),
 * the process's own environment changed, queried and expanded, an ANSI string
 * converted on the process heap, a status mapped with TEB->LastStatusValue kept,
 * a process parameter block created, normalized and destroyed, and the PEB lock:
 * a second thread's RtlSetEnvironmentVariable waits while this one holds it;
 * names opened relative to the current directory's handle (RootDirectory a file
 * handle: RtlDosPathNameToRelativeNtPathName_U's result, NT's statuses for '\',
 * "..", missing names, a file as the root, bad handles).
 * Prints "PASS name" or "FAIL name ..." per check and "rtltest: N failed"; the
 * exit status is the number of failures.
 */
#include "native.h"

NTSYSAPI ULONG __cdecl DbgPrint(PCSTR Format, ...);
NTSYSAPI NTSTATUS NTAPI RtlSetCurrentDirectory_U(PUNICODE_STRING Path);
NTSYSAPI ULONG NTAPI RtlGetCurrentDirectory_U(ULONG MaximumLength, PWSTR Buffer);
NTSYSAPI ULONG NTAPI RtlGetFullPathName_U(PCWSTR FileName, ULONG Size, PWSTR Buffer, PWSTR *ShortName);
NTSYSAPI NTSTATUS NTAPI RtlSetEnvironmentVariable(PVOID *Environment, PUNICODE_STRING Name, PUNICODE_STRING Value);
NTSYSAPI NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(PVOID Environment, PUNICODE_STRING Name,
                                                      PUNICODE_STRING Value);
NTSYSAPI NTSTATUS NTAPI RtlExpandEnvironmentStrings_U(PVOID Environment, PUNICODE_STRING Source,
                                                      PUNICODE_STRING Destination, PULONG ReturnedLength);
NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParameters(NATIVE_PROCESS_PARAMETERS **Parameters, PUNICODE_STRING Image,
                                                   PUNICODE_STRING DllPath, PUNICODE_STRING CurrentDirectory,
                                                   PUNICODE_STRING CommandLine, PVOID Environment,
                                                   PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo,
                                                   PUNICODE_STRING ShellInfo, PUNICODE_STRING RuntimeData);
NTSYSAPI NATIVE_PROCESS_PARAMETERS *NTAPI RtlNormalizeProcessParams(NATIVE_PROCESS_PARAMETERS *Parameters);
NTSYSAPI NTSTATUS NTAPI RtlDestroyProcessParameters(NATIVE_PROCESS_PARAMETERS *Parameters);
NTSYSAPI VOID NTAPI RtlAcquirePebLock(VOID);
NTSYSAPI VOID NTAPI RtlReleasePebLock(VOID);
/* NT's prototypes of the runtime's small helpers (MinGW's headers leave them out). */
typedef struct _RTLTEST_TIME_FIELDS {
    SHORT Year, Month, Day, Hour, Minute, Second, Milliseconds, Weekday;
} RTLTEST_TIME_FIELDS;
NTSYSAPI VOID NTAPI RtlTimeToTimeFields(PLARGE_INTEGER Time, RTLTEST_TIME_FIELDS *TimeFields);
NTSYSAPI BOOLEAN NTAPI RtlTimeFieldsToTime(RTLTEST_TIME_FIELDS *TimeFields, PLARGE_INTEGER Time);
NTSYSAPI VOID NTAPI RtlSecondsSince1970ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time);
NTSYSAPI BOOLEAN NTAPI RtlTimeToSecondsSince1970(PLARGE_INTEGER Time, PULONG ElapsedSeconds);
NTSYSAPI NTSTATUS NTAPI RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value);
NTSYSAPI NTSTATUS NTAPI RtlIntegerToChar(ULONG Value, ULONG Base, LONG Length, PSTR String);
NTSYSAPI NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String);
NTSYSAPI NTSTATUS NTAPI RtlGetVersion(PRTL_OSVERSIONINFOW VersionInformation);
NTSYSAPI VOID NTAPI RtlGetNtVersionNumbers(PULONG MajorVersion, PULONG MinorVersion, PULONG BuildNumber);
NTSYSAPI PVOID NTAPI RtlGetCurrentPeb(VOID);
NTSYSAPI ULONG NTAPI RtlGetLastWin32Error(VOID);
NTSYSAPI VOID NTAPI RtlSetLastWin32Error(ULONG Error);
NTSYSAPI ULONG NTAPI RtlRandom(PULONG Seed);
NTSYSAPI ULONG NTAPI RtlUniform(PULONG Seed);
NTSYSAPI PIMAGE_NT_HEADERS NTAPI RtlImageNtHeader(PVOID Base);
NTSYSAPI PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage, USHORT Entry, PULONG Size);
NTSYSAPI SIZE_T NTAPI RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length);
NTSYSAPI NTSTATUS NTAPI NtQuerySystemTime(PLARGE_INTEGER SystemTime);
/* The later exports (MinGW's libntdll.a has them all; its headers only some). */
typedef struct _RTLTEST_RELATIVE_NAME {
    UNICODE_STRING RelativeName;
    HANDLE ContainingDirectory;
    PVOID CurDirRef;
} RTLTEST_RELATIVE_NAME;
NTSYSAPI BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING Destination, PCWSTR Source);
NTSYSAPI BOOLEAN NTAPI RtlDosPathNameToRelativeNtPathName_U(PCWSTR DosName, PUNICODE_STRING NtName,
                                                            PCWSTR *FilePart, RTLTEST_RELATIVE_NAME *Relative);
NTSYSAPI VOID NTAPI RtlReleaseRelativeName(RTLTEST_RELATIVE_NAME *Relative);
NTSYSAPI BOOLEAN NTAPI RtlDoesFileExists_U(PCWSTR FileName);
NTSYSAPI NTSTATUS NTAPI NtQueryAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes, PFILE_BASIC_INFORMATION Basic);
NTSYSAPI ULONG NTAPI RtlIsDosDeviceName_U(PCWSTR DosFileName);
NTSYSAPI ULONG NTAPI RtlDosSearchPath_U(PCWSTR Path, PCWSTR FileName, PCWSTR Extension, ULONG BufferLength,
                                        PWSTR Buffer, PWSTR *FilePart);
NTSYSAPI NTSTATUS NTAPI LdrFindEntryForAddress(PVOID Address, PLDR_DATA_TABLE_ENTRY *Entry);
NTSYSAPI VOID NTAPI DbgBreakPoint(VOID);
NTSYSAPI ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle);
NTSYSAPI ULONG __cdecl DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);

static ULONG Failures;

static BOOL Same(PCWSTR A, PCWSTR B, ULONG Count)
{
    for (ULONG Index = 0; Index < Count; Index++) {
        if (A[Index] != B[Index])
            return FALSE;
    }
    return B[Count] == 0;
}

static void Check(const char *Name, BOOL Passed, NTSTATUS Status)
{
    if (Passed) {
        DbgPrint("PASS %s\r\n", Name);
    } else {
        DbgPrint("FAIL %s (status %08lX)\r\n", Name, (ULONG)Status);
        Failures++;
    }
}

static NTSTATUS SetDirectory(PCWSTR Path)
{
    UNICODE_STRING String;

    RtlInitUnicodeString(&String, Path);
    return RtlSetCurrentDirectory_U(&String);
}

static void TestPaths(void)
{
    UNICODE_STRING NtName;
    PCWSTR FilePart;
    WCHAR Buffer[MAX_PATH];
    BOOL Made = RtlDosPathNameToNtPathName_U(L"C:\\Windows\\..\\Tests\\x.txt", &NtName, &FilePart, NULL);

    Check("dos-to-nt", Made && Same(NtName.Buffer, L"\\??\\C:\\Tests\\x.txt", NtName.Length / 2) &&
                           FilePart == NtName.Buffer + 13, 0);
    if (Made)
        RtlFreeUnicodeString(&NtName);

    NTSTATUS Status = SetDirectory(L"c:\\windows\\system32");
    ULONG Bytes = RtlGetCurrentDirectory_U(sizeof(Buffer), Buffer);
    Check("set-directory", Status == 0 && Same(Buffer, L"C:\\windows\\system32", Bytes / 2), Status);
    Bytes = RtlGetFullPathName_U(L"ntdll.dll", sizeof(Buffer), Buffer, NULL);
    Check("full-path", Same(Buffer, L"C:\\windows\\system32\\ntdll.dll", Bytes / 2), 0);
    Status = SetDirectory(L"..");
    Bytes = RtlGetCurrentDirectory_U(sizeof(Buffer), Buffer);
    Check("set-directory-parent", Status == 0 && Same(Buffer, L"C:\\windows", Bytes / 2), Status);
    Status = SetDirectory(L"C:\\Windows\\System32\\ntdll.dll");
    Check("set-directory-file", Status == (NTSTATUS)0xC0000103, Status);        /* STATUS_NOT_A_DIRECTORY */
    Status = SetDirectory(L"C:\\NoSuchDirectory");
    Check("set-directory-missing", Status == (NTSTATUS)0xC0000034, Status);     /* OBJECT_NAME_NOT_FOUND */
    Bytes = RtlGetCurrentDirectory_U(sizeof(Buffer), Buffer);
    Check("directory-unchanged", Same(Buffer, L"C:\\windows", Bytes / 2), 0);
}

static void TestEnvironment(void)
{
    UNICODE_STRING Name, Value, Source, Result;
    WCHAR Buffer[64];
    ULONG Needed;
    NTSTATUS Status;

    RtlInitUnicodeString(&Name, L"RtlTest");
    RtlInitUnicodeString(&Value, L"yes");
    Status = RtlSetEnvironmentVariable(NULL, &Name, &Value);
    Check("environment-set", Status == 0, Status);
    RtlInitUnicodeString(&Name, L"RTLTEST");
    Result.Buffer = Buffer;
    Result.MaximumLength = sizeof(Buffer);
    Status = RtlQueryEnvironmentVariable_U(NULL, &Name, &Result);
    Check("environment-query", Status == 0 && Same(Result.Buffer, L"yes", Result.Length / 2), Status);
    RtlInitUnicodeString(&Source, L"%rtltest%!");
    Status = RtlExpandEnvironmentStrings_U(NULL, &Source, &Result, &Needed);
    Check("environment-expand", Status == 0 && Needed == 10 && Same(Result.Buffer, L"yes!", Result.Length / 2),
          Status);
}

static void TestStrings(void)
{
    ANSI_STRING Ansi;
    UNICODE_STRING Unicode;
    NTSTATUS Status;

    Ansi.Buffer = (PCHAR)"caf\xe9 \x80";
    Ansi.Length = 6;
    Ansi.MaximumLength = 7;
    Status = RtlAnsiStringToUnicodeString(&Unicode, &Ansi, TRUE);
    Check("ansi-to-unicode", Status == 0 && Same(Unicode.Buffer, L"caf\u00e9 \u20ac", Unicode.Length / 2), Status);
    if (Status == 0)
        RtlFreeUnicodeString(&Unicode);

    ULONG Error = RtlNtStatusToDosError((NTSTATUS)0xC0000034);
    Check("status-to-error", Error == 2 && __readfsdword(0xBF4) == 0xC0000034, (NTSTATUS)Error);
}

static void TestParameters(void)
{
    UNICODE_STRING Image, Command;
    NATIVE_PROCESS_PARAMETERS *Parameters;
    NTSTATUS Status;

    RtlInitUnicodeString(&Image, L"C:\\Tests\\child.exe");
    RtlInitUnicodeString(&Command, L"child.exe report");
    Status = RtlCreateProcessParameters(&Parameters, &Image, NULL, NULL, &Command, NULL, NULL, NULL, NULL, NULL);
    Check("parameters-create", Status == 0 && !(Parameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED), Status);
    if (Status != 0)
        return;
    RtlNormalizeProcessParams(Parameters);
    Check("parameters-normalize",
          Same(Parameters->CommandLine.Buffer, L"child.exe report", Parameters->CommandLine.Length / 2) &&
              Same(Parameters->CurrentDirectoryPath.Buffer, L"C:\\windows\\",
                   Parameters->CurrentDirectoryPath.Length / 2),
          0);
    Status = RtlDestroyProcessParameters(Parameters);
    Check("parameters-destroy", Status == 0, Status);
}

/* A running thread of this process at Routine(Parameter) (native.h). */
static NTSTATUS StartThread(ULONG (NTAPI *Routine)(PVOID), PVOID Parameter, HANDLE *Thread)
{
    return NativeStartThread(Routine, Parameter, FALSE, Thread);
}

static ULONG NTAPI SetLockedVariable(PVOID Parameter)
{
    UNICODE_STRING Name, Value;

    (void)Parameter;
    RtlInitUnicodeString(&Name, L"PebLocked");
    RtlInitUnicodeString(&Value, L"1");
    return (ULONG)RtlSetEnvironmentVariable(NULL, &Name, &Value);
}

static NTSTATUS QueryLockedVariable(PWSTR Buffer, USHORT Size, PUNICODE_STRING Value)
{
    UNICODE_STRING Name;

    RtlInitUnicodeString(&Name, L"PebLocked");
    Value->Buffer = Buffer;
    Value->Length = 0;
    Value->MaximumLength = Size;
    return RtlQueryEnvironmentVariable_U(NULL, &Name, Value);
}

/* The process's environment changes only under the PEB lock: while this thread
   holds it (twice: it is recursive), another thread's change waits for it. */
static void TestPebLock(void)
{
    LARGE_INTEGER Delay, Timeout;
    UNICODE_STRING Value;
    WCHAR Buffer[8];
    HANDLE Thread;
    NTSTATUS Status, During = 0;

    RtlAcquirePebLock();
    RtlAcquirePebLock();
    Status = StartThread(SetLockedVariable, NULL, &Thread);
    if (NT_SUCCESS(Status)) {
        Delay.QuadPart = -200000LL;         /* 20 ms: the thread runs meanwhile */
        NtDelayExecution(FALSE, &Delay);
        During = QueryLockedVariable(Buffer, sizeof(Buffer), &Value);    /* it nests */
    }
    RtlReleasePebLock();
    RtlReleasePebLock();
    if (!NT_SUCCESS(Status)) {
        Check("peb-lock", FALSE, Status);
        return;
    }
    Timeout.QuadPart = -100000000LL;        /* 10 s */
    Status = NtWaitForSingleObject(Thread, FALSE, &Timeout);
    NtClose(Thread);
    Check("peb-lock", During == (NTSTATUS)0xC0000100 && Status == 0 &&        /* VARIABLE_NOT_FOUND */
                          QueryLockedVariable(Buffer, sizeof(Buffer), &Value) == 0 &&
                          Same(Value.Buffer, L"1", Value.Length / 2),
          During);
}

/* The small helpers: time, integers, version, last error, random, image headers. */
static void TestHelpers(void)
{
    RTLTEST_TIME_FIELDS Fields;
    LARGE_INTEGER Time, Back;
    ULONG Value = 0, Seconds = 0, Major = 0, Minor = 0, Build = 0, Seed = 1, Size = 0, Index;
    CHAR Text[12];
    WCHAR Wide[12];
    UNICODE_STRING String = { 0, sizeof(Wide), Wide };
    RTL_OSVERSIONINFOW Version;
    NTSTATUS Status;
    PIMAGE_NT_HEADERS Nt;
    PVOID Base = NativePeb()->ImageBaseAddress;

    RtlSecondsSince1970ToTime(86400 + 3661, &Time);         /* 1970-01-02 01:01:01 */
    RtlTimeToTimeFields(&Time, &Fields);
    Check("time-fields", Fields.Year == 1970 && Fields.Month == 1 && Fields.Day == 2 && Fields.Hour == 1 &&
          Fields.Minute == 1 && Fields.Second == 1 && Fields.Weekday == 5, 0);
    Check("time-roundtrip", RtlTimeFieldsToTime(&Fields, &Back) && Back.QuadPart == Time.QuadPart &&
          RtlTimeToSecondsSince1970(&Back, &Seconds) && Seconds == 86400 + 3661, 0);
    Back.QuadPart = 0;
    Check("time-before-1970", !RtlTimeToSecondsSince1970(&Back, &Seconds), 0);
    NtQuerySystemTime(&Time);
    RtlTimeToTimeFields(&Time, &Fields);
    Check("time-now", Fields.Year >= 2024, 0);
    Status = RtlCharToInteger("  -0x1F", 0, &Value);
    Check("char-to-integer", Status == 0 && Value == (ULONG)-31, Status);
    Status = RtlCharToInteger("777", 3, &Value);
    Check("char-to-integer-base", Status == (NTSTATUS)0xC000000D, Status);         /* STATUS_INVALID_PARAMETER */
    Status = RtlIntegerToChar(0xBEEF, 16, sizeof(Text), Text);
    Check("integer-to-char", Status == 0 && Text[0] == 'B' && Text[3] == 'F' && Text[4] == 0, Status);
    Status = RtlIntegerToChar(12345, 10, 3, Text);
    Check("integer-to-char-short", Status == (NTSTATUS)0x80000005, Status);        /* STATUS_BUFFER_OVERFLOW */
    Status = RtlIntegerToUnicodeString(4096, 0, &String);
    Check("integer-to-unicode", Status == 0 && String.Length == 8 && Same(Wide, L"4096", 4), Status);
    Version.dwOSVersionInfoSize = sizeof(Version);
    Status = RtlGetVersion(&Version);
    RtlGetNtVersionNumbers(&Major, &Minor, &Build);
    Check("version", Status == 0 && Version.dwPlatformId == 2 && Version.dwMajorVersion == Major &&
          Version.dwMinorVersion == Minor && (Build & 0xFFFF) == Version.dwBuildNumber && (Build >> 28) == 0xF, Status);
    Version.dwOSVersionInfoSize = 12;
    Check("version-size", RtlGetVersion(&Version) == (NTSTATUS)0xC000000D, 0);
    RtlSetLastWin32Error(1234);
    Check("last-error", RtlGetLastWin32Error() == 1234 && __readfsdword(0x34) == 1234 &&
          RtlGetCurrentPeb() == (PVOID)NativePeb(), 0);
    for (Index = 0; Index < 100; Index++) {
        if (RtlRandom(&Seed) >= 0x7FFFFFFF || RtlUniform(&Seed) >= 0x7FFFFFFF)
            break;
    }
    Seed = 1;
    Check("random", Index == 100 && RtlUniform(&Seed) == ((1ULL * 0x7FFFFFED + 0x7FFFFFC3) % 0x7FFFFFFF) && Seed != 1, 0);
    Nt = RtlImageNtHeader(Base);
    Check("image-nt-header", Nt != NULL && Nt->Signature == IMAGE_NT_SIGNATURE && RtlImageNtHeader(NULL) == NULL, 0);
    Check("image-directory", RtlImageDirectoryEntryToData(Base, TRUE, IMAGE_DIRECTORY_ENTRY_IMPORT, &Size) ==
          (PUCHAR)Base + Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT].VirtualAddress && Size != 0, 0);
    Check("compare-memory", RtlCompareMemory("abcd", "abxd", 4) == 2, 0);
}

static ULONG Breakpoints;

static LONG NTAPI StepOverBreakpoint(PEXCEPTION_POINTERS Pointers)
{
    if (Pointers->ExceptionRecord->ExceptionCode != (DWORD)0x80000003)      /* STATUS_BREAKPOINT */
        return 0;                                                           /* EXCEPTION_CONTINUE_SEARCH */
    Breakpoints++;
    Pointers->ContextRecord->Eip++;                                         /* past the int 3 */
    return -1;                                                              /* EXCEPTION_CONTINUE_EXECUTION */
}

/* Opens Name relative to Root (OBJECT_ATTRIBUTES.RootDirectory), as kernel32 opens
   relative to the current directory's handle; for attributes only. */
static NTSTATUS OpenRelative(HANDLE Root, PUNICODE_STRING Name, ULONG Options, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;

    *Handle = NULL;
    InitializeObjectAttributes(&Attributes, Name, OBJ_CASE_INSENSITIVE, Root, NULL);
    return NtOpenFile(Handle, FILE_READ_ATTRIBUTES | SYNCHRONIZE, &Attributes, &Iosb,
                      FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, Options | FILE_SYNCHRONOUS_IO_NONALERT);
}

/* The status of opening Name relative to Root (closed again when it opened). */
static NTSTATUS RelativeStatus(HANDLE Root, PCWSTR Name, ULONG Options)
{
    UNICODE_STRING String;
    HANDLE Handle;
    NTSTATUS Status;

    RtlInitUnicodeString(&String, Name);
    Status = OpenRelative(Root, &String, Options, &Handle);
    if (NT_SUCCESS(Status))
        NtClose(Handle);
    return Status;
}

/*
 * NT's answers for names relative to a file handle, from ring 3: the current
 * directory's handle (C:\Windows, opened for FILE_TRAVERSE | SYNCHRONIZE only: no
 * listing or reading access is needed to open below it), a file's handle, and
 * handles that are none.
 */
static void TestRelativeOpens(void)
{
    HANDLE Directory = NativePeb()->ProcessParameters->CurrentDirectoryHandle, File;
    FILE_BASIC_INFORMATION Basic;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING String;
    NTSTATUS Status;

    Status = RelativeStatus(Directory, L"System32", FILE_DIRECTORY_FILE);
    Check("relative-subfolder", Status == 0 && RelativeStatus(Directory, L"", FILE_DIRECTORY_FILE) == 0 &&
          RelativeStatus(Directory, L"System32\\", FILE_DIRECTORY_FILE) == 0, Status);
    Status = RelativeStatus(Directory, L"\\System32", 0);
    Check("relative-backslash", Status == (NTSTATUS)0xC0000033, Status);              /* OBJECT_NAME_INVALID */
    Status = RelativeStatus(Directory, L"..", 0);
    Check("relative-dotdot", Status == (NTSTATUS)0xC0000033 &&
          RelativeStatus(Directory, L"..\\Windows", 0) == (NTSTATUS)0xC0000033, Status);
    Status = RelativeStatus(Directory, L"System32\\nothing.dll", 0);
    Check("relative-missing", Status == (NTSTATUS)0xC0000034 &&                      /* OBJECT_NAME_NOT_FOUND */
          RelativeStatus(Directory, L"nothing\\x", 0) == (NTSTATUS)0xC000003A, Status);   /* PATH_NOT_FOUND */
    RtlInitUnicodeString(&String, L"System32\\ntdll.dll");
    Status = OpenRelative(Directory, &String, 0, &File);
    if (NT_SUCCESS(Status)) {
        Status = RelativeStatus(File, L"x", 0);
        Check("relative-to-file", Status == (NTSTATUS)0xC000003A && RelativeStatus(File, L"", 0) == 0, Status);
        NtClose(File);
    } else {
        Check("relative-to-file", FALSE, Status);
    }
    /* No handle at all, and a kernel handle's value, which means nothing to ring 3. */
    Status = RelativeStatus((HANDLE)(ULONG_PTR)0x7FF0, L"x", 0);
    Check("relative-bad-handle", Status == (NTSTATUS)0xC0000008 &&                   /* INVALID_HANDLE */
          RelativeStatus((HANDLE)(ULONG_PTR)0x80000004, L"x", 0) == (NTSTATUS)0xC0000008, Status);
    InitializeObjectAttributes(&Attributes, &String, OBJ_CASE_INSENSITIVE, Directory, NULL);
    Status = NtQueryAttributesFile(&Attributes, &Basic);
    Check("relative-attributes", Status == 0 && !(Basic.FileAttributes & FILE_ATTRIBUTE_DIRECTORY), Status);
}

/* Paths on the FAT volume, the loader's address lookup, a breakpoint, an SList. */
static void TestLater(void)
{
    UNICODE_STRING String, NtName;
    RTLTEST_RELATIVE_NAME Relative;
    PLDR_DATA_TABLE_ENTRY Entry = NULL;
    WCHAR Buffer[64];
    PWSTR FilePart = NULL;
    PVOID Base = NULL, Handler;
    HANDLE File;
    ULONG Bytes;
    NTSTATUS Status;
    SLIST_HEADER Header;
    SLIST_ENTRY Items[2];

    Check("create-string", RtlCreateUnicodeString(&String, L"abc") && String.Length == 6 &&
          String.MaximumLength == 8 && String.Buffer[3] == 0, 0);
    RtlFreeUnicodeString(&String);
    Check("file-exists", RtlDoesFileExists_U(L"C:\\Windows\\System32\\ntdll.dll") &&
          !RtlDoesFileExists_U(L"C:\\Windows\\nothing.txt"), 0);
    SetDirectory(L"C:\\Windows");
    Check("relative-name", RtlDosPathNameToRelativeNtPathName_U(L"System32\\ntdll.dll", &NtName, NULL, &Relative) &&
          Relative.ContainingDirectory != NULL && Same(Relative.RelativeName.Buffer, L"System32\\ntdll.dll",
          Relative.RelativeName.Length / 2), 0);
    /* What it gives opens, relative to the directory's handle, as CreateFileW opens it. */
    Status = OpenRelative(Relative.ContainingDirectory, &Relative.RelativeName, 0, &File);
    Check("relative-name-opens", Status == 0, Status);
    if (NT_SUCCESS(Status))
        NtClose(File);
    RtlReleaseRelativeName(&Relative);
    RtlFreeUnicodeString(&NtName);
    Check("file-exists-relative", RtlDoesFileExists_U(L"System32\\ntdll.dll") && !RtlDoesFileExists_U(L"nothing") &&
          RtlDoesFileExists_U(L"System32") && RtlDoesFileExists_U(L"System32\\..\\System32\\ntdll.dll") &&
          !RtlDoesFileExists_U(L"System32\\ntdll.dll\\x"), 0);
    TestRelativeOpens();
    Bytes = RtlDosSearchPath_U(L"C:\\Tests;C:\\Windows\\System32", L"ntdll", L".dll", sizeof(Buffer), Buffer, &FilePart);
    Check("search-path", Bytes == 29 * 2 && Same(Buffer, L"C:\\Windows\\System32\\ntdll.dll", 29) &&
          FilePart == Buffer + 20, (NTSTATUS)Bytes);
    Check("dos-device", RtlIsDosDeviceName_U(L"C:\\x\\nul.txt") == 0x000A0006 && RtlIsDosDeviceName_U(L"x.txt") == 0, 0);

    Status = LdrFindEntryForAddress((PVOID)TestLater, &Entry);
    Check("find-entry", Status == 0 && Entry->DllBase == NativePeb()->ImageBaseAddress &&
          LdrFindEntryForAddress((PVOID)0x1000, &Entry) == (NTSTATUS)0x8000001A, Status);   /* NO_MORE_ENTRIES */
    Check("pc-to-header", RtlPcToFileHeader((PVOID)RtlGetCurrentPeb, &Base) == (PVOID)0x7C900000 &&
          Base == (PVOID)0x7C900000 && RtlPcToFileHeader((PVOID)0x1000, &Base) == NULL && Base == NULL, 0);

    Handler = RtlAddVectoredExceptionHandler(1, StepOverBreakpoint);
    DbgBreakPoint();
    RtlRemoveVectoredExceptionHandler(Handler);
    Check("breakpoint", Breakpoints == 1, 0);
    DbgPrintEx(0, 0, "PASS %s\r\n", "dbgprintex");

    RtlInitializeSListHead(&Header);
    RtlInterlockedPushEntrySList(&Header, &Items[0]);
    RtlInterlockedPushEntrySList(&Header, &Items[1]);
    Check("slist", RtlQueryDepthSList(&Header) == 2 && RtlFirstEntrySList(&Header) == &Items[1] &&
          RtlInterlockedPopEntrySList(&Header) == &Items[1] && RtlInterlockedFlushSList(&Header) == &Items[0] &&
          RtlQueryDepthSList(&Header) == 0, 0);
}

NTSYSAPI NTSTATUS NTAPI NtDisplayString(PUNICODE_STRING String);

/* The native programs' hello: NtDisplayString on the boot screen (and COM1). Its
   line is checked by rtl-runtime.test; a string the screen cannot show as it is
   comes out with '?'s, and a bad buffer is a status. */
static void TestDisplayString(void)
{
    UNICODE_STRING Text, Bad = { 8, 8, (PWSTR)(ULONG_PTR)0x80000000 };
    NTSTATUS Status, BadStatus, OddStatus;

    RtlInitUnicodeString(&Text, L"rtltest: NtDisplayString says hello\x1B\x00e9\n");
    Status = NtDisplayString(&Text);
    BadStatus = NtDisplayString(&Bad);
    Bad.Length = 3;
    Bad.Buffer = Text.Buffer;
    OddStatus = NtDisplayString(&Bad);
    Check("display-string", Status == 0 && BadStatus == (NTSTATUS)0xC0000005 && OddStatus == (NTSTATUS)0xC000000D,
          (ULONG)BadStatus);
}

ULONG NTAPI RtlTestStart(PVOID Peb)
{
    (void)Peb;
    TestPaths();
    TestEnvironment();
    TestStrings();
    TestParameters();
    TestPebLock();
    TestHelpers();
    TestLater();
    TestDisplayString();
    DbgPrint("rtltest: %lu failed\r\n", Failures);
    return Failures;
}

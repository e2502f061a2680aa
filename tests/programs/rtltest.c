/*
 * rtltest.c - ntdll's runtime in ring 3 (issue 9), linked with MinGW's own
 * libntdll.a: DbgPrint (which prints every line here, through the standard error
 * handle), DOS to NT paths, the current directory set on the real FAT volume
 * (NtOpenFile with FILE_DIRECTORY_FILE: a file and a missing directory refused),
 * the process's own environment changed, queried and expanded, an ANSI string
 * converted on the process heap, a status mapped with TEB->LastStatusValue kept,
 * a process parameter block created, normalized and destroyed, and the PEB lock:
 * a second thread's RtlSetEnvironmentVariable waits while this one holds it.
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

/* A thread of this process at Routine(Parameter) on a 64 KB stack of its own, as
   heaptest.c starts its threads. */
static NTSTATUS StartThread(ULONG (NTAPI *Routine)(PVOID), PVOID Parameter, HANDLE *Thread)
{
    static CONTEXT Context;             /* static: zero, and no memset needed */
    NATIVE_INITIAL_TEB InitialTeb;
    NATIVE_CLIENT_ID Cid;
    SIZE_T Size = 0x10000;
    PVOID Stack = NULL;
    NTSTATUS Status;

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
    return NtCreateThread(Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), &Cid, &Context, &InitialTeb, FALSE);
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

ULONG NTAPI RtlTestStart(PVOID Peb)
{
    (void)Peb;
    TestPaths();
    TestEnvironment();
    TestStrings();
    TestParameters();
    TestPebLock();
    DbgPrint("rtltest: %lu failed\r\n", Failures);
    return Failures;
}

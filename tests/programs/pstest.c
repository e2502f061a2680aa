/*
 * pstest.c - the process tests (issue 8), run as a native program: it creates
 * children (child.exe) through both of NT's paths and checks what the kernel says
 * about them.
 *
 *   pstest.exe                  every sub-test of the default set, in order
 *   pstest.exe NAME [NAME...]   those sub-tests ("cycles=N" sets the cycle count)
 *
 * One line per sub-test, "PASS name" or "FAIL name: what went wrong", then
 * "pstest: N passed, M failed"; the exit status is 0 only when all passed.
 *
 * The two creation paths:
 *   NT 6  NtCreateUserProcess from the image's NT path, with process parameters
 *         laid out here (no RtlCreateProcessParameters yet), denormalized (offsets)
 *         or normalized (addresses), the standard handles duplicated by the kernel;
 *   NT 5  NtOpenFile + NtCreateSection(SEC_IMAGE) + NtCreateProcessEx, then what
 *         kernel32 did in user mode: the parameters written into the child and
 *         PEB.ProcessParameters pointed at them, standard output duplicated in, a
 *         stack reserved and committed with a guard page, and NtCreateThread with
 *         a CONTEXT starting at ntdll!RtlUserThreadStart (EAX = the entry point,
 *         EBX = the PEB), as the kernel itself starts NT 6's first thread.
 */
#include "pstest.h"

PST_DEFINE_MEMORY_ROUTINES

#define STATUS_STACK_OVERFLOW_CODE  0xC00000FD

#define PST_MS(Milliseconds) ((LONGLONG)(Milliseconds) * -10000)

static PST_SHARED *Shared;
static ULONG MyPid;
static PST_LINE Failure;            /* the first failure of the running sub-test */
static BOOLEAN Failed;
static ULONG Cycles = 500;

/* ---- failing ---- */

static BOOLEAN Fail(const char *What, ULONG Value)
{
    if (!Failed) {
        Failed = TRUE;
        Failure.Length = 0;
        PstAdd(&Failure, What);
        PstAdd(&Failure, " (");
        PstAddHex(&Failure, Value);
        PstAdd(&Failure, ")");
    }
    return FALSE;
}

#define CHECK_STATUS(Expression, What)                                         \
    do {                                                                       \
        NTSTATUS Check_ = (Expression);                                        \
        if (!NT_SUCCESS(Check_))                                               \
            return Fail(What, (ULONG)Check_);                                  \
    } while (0)

#define CHECK(Condition, What, Value)                                          \
    do {                                                                       \
        if (!(Condition))                                                      \
            return Fail(What, (ULONG)(Value));                                 \
    } while (0)

/* ---- children ---- */

typedef struct _CHILD {
    HANDLE Process;
    HANDLE Thread;
    NATIVE_CLIENT_ID Cid;
    NATIVE_SECTION_IMAGE_INFORMATION Image;
    NATIVE_PS_CREATE_INFO CreateInfo;
    PVOID ChildParameters;          /* NT 5: where they were written */
} CHILD;

/* The parameter block, laid out here as RtlCreateProcessParameters would. */
static union {
    NATIVE_PROCESS_PARAMETERS Parameters;
    UCHAR Bytes[4096];
} ParameterBlock;

static const WCHAR ChildEnvironment[] = L"Path=C:\\Windows\\System32\0PSTEST=child\0";

/* Appends a string to the block; Base is what a Buffer is relative to (0: offsets). */
static void PutString(UNICODE_STRING *String, ULONG *Offset, const WCHAR *Text, ULONG Characters, ULONG_PTR Base)
{
    WCHAR *Out = (WCHAR *)(ParameterBlock.Bytes + *Offset);
    ULONG Index;

    for (Index = 0; Index < Characters; Index++)
        Out[Index] = Text[Index];
    Out[Characters] = 0;
    String->Length = (USHORT)(Characters * sizeof(WCHAR));
    String->MaximumLength = (USHORT)(String->Length + sizeof(WCHAR));
    String->Buffer = (PWSTR)(Base + *Offset);
    *Offset += (String->MaximumLength + 3) & ~3u;
}

static ULONG WideLength(const WCHAR *Text)
{
    ULONG Count = 0;

    while (Text[Count])
        Count++;
    return Count;
}

/*
 * The parameters for "child.exe ARGUMENTS": Normalized with Buffers relative to
 * Base (the block's address where it will be read), or denormalized (offsets).
 * The environment is an address either way (Environment, at EnvironmentAddress).
 * Returns the block's length.
 */
static ULONG BuildParameters(const char *Arguments, BOOLEAN Normalized, ULONG_PTR Base, ULONG_PTR EnvironmentAddress)
{
    NATIVE_PROCESS_PARAMETERS *Parameters = &ParameterBlock.Parameters;
    NATIVE_PROCESS_PARAMETERS *Mine = NativePeb()->ProcessParameters;
    WCHAR CommandLine[160];
    ULONG Offset = sizeof(*Parameters), Count = 0, Index;

    memset(&ParameterBlock, 0, sizeof(ParameterBlock));
    for (Index = 0; PST_CHILD_DOS[Index]; Index++)
        CommandLine[Count++] = PST_CHILD_DOS[Index];
    CommandLine[Count++] = L' ';
    for (Index = 0; Arguments[Index] && Count < 159; Index++)
        CommandLine[Count++] = (WCHAR)Arguments[Index];

    if (!Normalized)
        Base = 0;
    PutString(&Parameters->CurrentDirectoryPath, &Offset, L"C:\\", 3, Base);
    PutString(&Parameters->DllPath, &Offset, L"C:\\Windows\\System32", 19, Base);
    PutString(&Parameters->ImagePathName, &Offset, PST_CHILD_DOS, WideLength(PST_CHILD_DOS), Base);
    PutString(&Parameters->CommandLine, &Offset, CommandLine, Count, Base);
    Parameters->MaximumLength = Parameters->Length = Offset;
    Parameters->Flags = Normalized ? RTL_USER_PROC_PARAMS_NORMALIZED : 0;
    Parameters->StandardInput = Mine->StandardInput;
    Parameters->StandardOutput = Mine->StandardOutput;
    Parameters->StandardError = Mine->StandardError;
    Parameters->Environment = (PVOID)EnvironmentAddress;
    Parameters->EnvironmentSize = EnvironmentAddress != 0 ? sizeof(ChildEnvironment) : 0;
    return Offset;
}

/* NT 6: one call. */
static NTSTATUS CreateChildNt6(const char *Arguments, ULONG ProcessFlags, ULONG ThreadFlags, BOOLEAN Normalized,
                               CHILD *Child)
{
    static const WCHAR ImageName[] = PST_CHILD_NT;
    NATIVE_PS_STD_HANDLE_INFO StdHandles = { PS_STD_ALWAYS_DUPLICATE, 0 };
    struct {
        SIZE_T TotalLength;
        NATIVE_PS_ATTRIBUTE Attributes[4];
    } List;

    memset(Child, 0, sizeof(*Child));
    BuildParameters(Arguments, Normalized, (ULONG_PTR)&ParameterBlock, (ULONG_PTR)ChildEnvironment);
    List.TotalLength = sizeof(List);
    List.Attributes[0].Attribute = PS_ATTRIBUTE_IMAGE_NAME;
    List.Attributes[0].Size = sizeof(ImageName) - sizeof(WCHAR);
    List.Attributes[0].Value = (ULONG_PTR)ImageName;
    List.Attributes[0].ReturnLength = NULL;
    List.Attributes[1].Attribute = PS_ATTRIBUTE_CLIENT_ID;
    List.Attributes[1].Size = sizeof(Child->Cid);
    List.Attributes[1].Value = (ULONG_PTR)&Child->Cid;
    List.Attributes[1].ReturnLength = NULL;
    List.Attributes[2].Attribute = PS_ATTRIBUTE_IMAGE_INFO;
    List.Attributes[2].Size = sizeof(Child->Image);
    List.Attributes[2].Value = (ULONG_PTR)&Child->Image;
    List.Attributes[2].ReturnLength = NULL;
    List.Attributes[3].Attribute = PS_ATTRIBUTE_STD_HANDLE_INFO;
    List.Attributes[3].Size = sizeof(StdHandles);
    List.Attributes[3].Value = (ULONG_PTR)&StdHandles;
    List.Attributes[3].ReturnLength = NULL;
    Child->CreateInfo.Size = sizeof(Child->CreateInfo);
    return NtCreateUserProcess(&Child->Process, &Child->Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL, NULL,
                               ProcessFlags, ThreadFlags, &ParameterBlock, &Child->CreateInfo, &List);
}

/* NT 5: the section, the process, its parameters and stack, its thread. */
static NTSTATUS CreateChildNt5(const char *Arguments, ULONG ProcessFlags, BOOLEAN Suspended, CHILD *Child)
{
    UNICODE_STRING Name = PST_STRING(PST_CHILD_NT);
    NATIVE_SECTION_BASIC_INFORMATION SectionBasic;
    PROCESS_BASIC_INFORMATION Basic;
    NATIVE_INITIAL_TEB InitialTeb;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK IoStatus;
    HANDLE File, Section, Output = NULL;
    PVOID ImageBase, Block = NULL, Environment = NULL, Stack = NULL, Guard;
    SIZE_T Size, Reserve, Commit;
    ULONG Length, OldProtect;
    static CONTEXT Context;         /* 716 bytes: off the one-page stack (see TestCompare) */
    NTSTATUS Status;

    memset(Child, 0, sizeof(*Child));
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtOpenFile(&File, SYNCHRONIZE | FILE_EXECUTE | FILE_READ_DATA | FILE_READ_ATTRIBUTES, &Attributes,
                        &IoStatus, FILE_SHARE_READ | FILE_SHARE_DELETE,
                        FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, File);
    NtClose(File);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtQuerySection(Section, SectionImageInformation, &Child->Image, sizeof(Child->Image), NULL);
    if (NT_SUCCESS(Status))
        Status = NtQuerySection(Section, SectionBasicInformation, &SectionBasic, sizeof(SectionBasic), NULL);
    if (NT_SUCCESS(Status))
        Status = NtCreateProcessEx(&Child->Process, PROCESS_ALL_ACCESS, NULL, NtCurrentProcess(), ProcessFlags,
                                   Section, NULL, NULL, 0);
    NtClose(Section);
    if (!NT_SUCCESS(Status))
        return Status;

    /* Where its image went: the PEB says (the entry point moves with the base). */
    Status = NtQueryInformationProcess(Child->Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    if (NT_SUCCESS(Status))
        Status = NtReadVirtualMemory(Child->Process, (PUCHAR)Basic.PebBaseAddress + 0x08, &ImageBase,
                                     sizeof(ImageBase), NULL);

    /* Its standard output, and its parameters and environment, in its memory. */
    if (NT_SUCCESS(Status))
        Status = NtDuplicateObject(NtCurrentProcess(), NativePeb()->ProcessParameters->StandardOutput,
                                   Child->Process, &Output, 0, 0, DUPLICATE_SAME_ACCESS);
    Size = sizeof(ChildEnvironment);
    if (NT_SUCCESS(Status))
        Status = NtAllocateVirtualMemory(Child->Process, &Environment, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                         PAGE_READWRITE);
    if (NT_SUCCESS(Status))
        Status = NtWriteVirtualMemory(Child->Process, Environment, ChildEnvironment, sizeof(ChildEnvironment),
                                      NULL);
    Size = sizeof(ParameterBlock);
    if (NT_SUCCESS(Status))
        Status = NtAllocateVirtualMemory(Child->Process, &Block, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                         PAGE_READWRITE);
    if (NT_SUCCESS(Status)) {
        Length = BuildParameters(Arguments, TRUE, (ULONG_PTR)Block, (ULONG_PTR)Environment);
        ParameterBlock.Parameters.StandardInput = Output;
        ParameterBlock.Parameters.StandardOutput = Output;
        ParameterBlock.Parameters.StandardError = Output;
        Status = NtWriteVirtualMemory(Child->Process, Block, &ParameterBlock, Length, NULL);
    }
    if (NT_SUCCESS(Status))
        Status = NtWriteVirtualMemory(Child->Process, (PUCHAR)Basic.PebBaseAddress + 0x10, &Block, sizeof(Block),
                                      NULL);
    Child->ChildParameters = Block;

    /* The stack, as the image asks: reserved, the top committed, a guard page below. */
    Reserve = (Child->Image.MaximumStackSize + 0xFFFF) & ~(SIZE_T)0xFFFF;
    Commit = (Child->Image.CommittedStackSize + 0xFFF) & ~(SIZE_T)0xFFF;
    if (Commit < 0x10000)
        Commit = 0x10000;
    if (Reserve < Commit + 0x10000)
        Reserve = Commit + 0x10000;
    Size = Reserve;
    if (NT_SUCCESS(Status))
        Status = NtAllocateVirtualMemory(Child->Process, &Stack, 0, &Size, MEM_RESERVE, PAGE_READWRITE);
    if (NT_SUCCESS(Status)) {
        InitialTeb.OldStackBase = InitialTeb.OldStackLimit = NULL;
        InitialTeb.StackAllocationBase = Stack;
        InitialTeb.StackBase = (PUCHAR)Stack + Reserve;
        InitialTeb.StackLimit = (PUCHAR)Stack + Reserve - Commit;
        Guard = (PUCHAR)InitialTeb.StackLimit - 0x1000;
        Size = Commit + 0x1000;
        Status = NtAllocateVirtualMemory(Child->Process, &Guard, 0, &Size, MEM_COMMIT, PAGE_READWRITE);
    }
    if (NT_SUCCESS(Status)) {
        Guard = (PUCHAR)InitialTeb.StackLimit - 0x1000;
        Size = 0x1000;
        Status = NtProtectVirtualMemory(Child->Process, &Guard, &Size, PAGE_READWRITE | PAGE_GUARD, &OldProtect);
    }

    /* The thread: RtlUserThreadStart(entry point, PEB), as NT 6's kernel starts one. */
    if (NT_SUCCESS(Status)) {
        memset(&Context, 0, sizeof(Context));
        Context.ContextFlags = CONTEXT_FULL;
        Context.Eip = (ULONG)(ULONG_PTR)&RtlUserThreadStart;
        Context.Eax = (ULONG)ImageBase + ((ULONG)Child->Image.TransferAddress - (ULONG)SectionBasic.BaseAddress);
        Context.Ebx = (ULONG)Basic.PebBaseAddress;
        Context.Esp = (ULONG)InitialTeb.StackBase;
        Context.SegCs = 0x1B;
        Context.SegDs = Context.SegEs = Context.SegSs = 0x23;
        Context.SegFs = 0x3B;
        Context.EFlags = 0x202;
        Status = NtCreateThread(&Child->Thread, THREAD_ALL_ACCESS, NULL, Child->Process, &Child->Cid, &Context,
                                &InitialTeb, Suspended);
    }
    if (!NT_SUCCESS(Status)) {
        NtTerminateProcess(Child->Process, Status);
        NtClose(Child->Process);
        Child->Process = NULL;
    }
    return Status;
}

static void CloseChild(CHILD *Child)
{
    if (Child->Thread != NULL)
        NtClose(Child->Thread);
    if (Child->Process != NULL)
        NtClose(Child->Process);
    Child->Thread = Child->Process = NULL;
}

/* Waits (10 s at most) and returns the exit status, or a status saying why not
   (STATUS_TIMEOUT is a success code: a child that did not end is STATUS_IO_TIMEOUT). */
static NTSTATUS WaitChild(CHILD *Child, NTSTATUS *ExitStatus)
{
    PROCESS_BASIC_INFORMATION Basic;
    LARGE_INTEGER Timeout;
    NTSTATUS Status;

    Timeout.QuadPart = PST_MS(10000);
    Status = NtWaitForSingleObject(Child->Process, FALSE, &Timeout);
    if (Status != STATUS_SUCCESS)
        return Status == STATUS_TIMEOUT ? (NTSTATUS)0xC00000B5L /* STATUS_IO_TIMEOUT */ : Status;
    Status = NtQueryInformationProcess(Child->Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    if (NT_SUCCESS(Status))
        *ExitStatus = Basic.ExitStatus;
    return Status;
}

static void PstSleep(ULONG Milliseconds)
{
    LARGE_INTEGER Interval;

    Interval.QuadPart = PST_MS(Milliseconds);
    NtDelayExecution(FALSE, &Interval);
}

/* Waits until the shared page's Ran reaches Count (the child is in its loop). */
static BOOLEAN WaitForRan(LONG Count)
{
    ULONG Tries;

    for (Tries = 0; Tries < 500 && Shared->Ran < Count; Tries++)
        PstSleep(10);
    return Shared->Ran >= Count;
}

/* Runs "child.exe ARGUMENTS" to its end through NT 6, checking its exit status. */
static BOOLEAN RunChild(const char *Arguments, NTSTATUS Expected)
{
    NTSTATUS ExitStatus = 0, Status;
    CHILD Child;

    CHECK_STATUS(CreateChildNt6(Arguments, 0, 0, FALSE, &Child), "NtCreateUserProcess");
    Status = WaitChild(&Child, &ExitStatus);
    if (!NT_SUCCESS(Status)) {
        NtTerminateProcess(Child.Process, 1);
        CloseChild(&Child);
        return Fail("waiting for the child", (ULONG)Status);
    }
    CloseChild(&Child);
    CHECK(ExitStatus == Expected, "the child's exit status", ExitStatus);
    return TRUE;
}

/* ---- the sub-tests ---- */

/* pstest itself: the first process, whose parent is the System process (ID 4). */
static BOOLEAN TestSelf(void)
{
    PROCESS_BASIC_INFORMATION Basic;

    CHECK_STATUS(NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &Basic, sizeof(Basic),
                                           NULL), "NtQueryInformationProcess");
    CHECK(Basic.UniqueProcessId == MyPid, "the PID (the TEB's)", Basic.UniqueProcessId);
    CHECK(Basic.InheritedFromUniqueProcessId == 4, "the parent (the System process)",
          Basic.InheritedFromUniqueProcessId);
    CHECK(Basic.PebBaseAddress == (PVOID)NativePeb(), "the PEB (fs:[30h])", Basic.PebBaseAddress);
    CHECK(Basic.ExitStatus == STATUS_PENDING, "the exit status of a live process", Basic.ExitStatus);
    return TRUE;
}

/* What a "report" child wrote, checked against what the parent knows. */
static BOOLEAN CheckReport(CHILD *Child, PROCESS_BASIC_INFORMATION *Basic, const char *Arguments)
{
    NTSTATUS ExitStatus = 0;
    ULONG Index, Prefix = WideLength(PST_CHILD_DOS);

    CHECK_STATUS(WaitChild(Child, &ExitStatus), "waiting for the child");
    CHECK(ExitStatus == 0, "the child's exit status", ExitStatus);
    CHECK_STATUS(NtQueryInformationProcess(Child->Process, ProcessBasicInformation, Basic, sizeof(*Basic), NULL),
                 "NtQueryInformationProcess");
    CHECK(Basic->UniqueProcessId == Shared->Pid, "the PID the child saw", Shared->Pid);
    CHECK((ULONG)Child->Cid.UniqueProcess == Shared->Pid, "the client ID's PID", Child->Cid.UniqueProcess);
    CHECK((ULONG)Child->Cid.UniqueThread == Shared->Tid, "the client ID's TID", Child->Cid.UniqueThread);
    CHECK(Basic->InheritedFromUniqueProcessId == MyPid, "the parent PID", Basic->InheritedFromUniqueProcessId);
    CHECK(Shared->ParentPid == MyPid, "the parent PID the child saw", Shared->ParentPid);
    CHECK(Basic->PebBaseAddress != NULL, "the PEB", 0);
    CHECK((ULONG)Basic->PebBaseAddress == Shared->Peb, "the PEB the child saw at fs:[30h]", Shared->Peb);
    CHECK(Shared->PebFromQuery == Shared->Peb, "the PEB the child queried", Shared->PebFromQuery);
    CHECK(Shared->EntryParameter == Shared->Peb, "the entry point's argument (the PEB)", Shared->EntryParameter);
    CHECK(Shared->ImageBase == 0x00400000, "the image base", Shared->ImageBase);
    CHECK(Shared->Parameters != 0 && (Shared->ParametersFlags & RTL_USER_PROC_PARAMS_NORMALIZED),
          "the child's parameters are normalized", Shared->ParametersFlags);
    CHECK(Shared->StandardOutput != 0, "the child's standard output", 0);
    CHECK(Shared->StackBase > Shared->StackLimit && Shared->StackLimit != 0, "the child's stack", Shared->StackBase);
    CHECK(Shared->ImagePathLength == Prefix, "the child's image path", Shared->ImagePathLength);
    for (Index = 0; Index < Prefix; Index++)
        CHECK(Shared->ImagePath[Index] == PST_CHILD_DOS[Index], "the child's image path", Index);
    CHECK(Shared->CommandLine[Prefix] == L' ', "the child's command line", Prefix);
    for (Index = 0; Arguments[Index]; Index++)
        CHECK(Shared->CommandLine[Prefix + 1 + Index] == (WCHAR)Arguments[Index], "the child's command line",
              Index);
    CHECK(Shared->CommandLineLength == Prefix + 1 + Index, "the child's command line length",
          Shared->CommandLineLength);
    return TRUE;
}

static BOOLEAN TestCreateNt6(BOOLEAN Normalized)
{
    PROCESS_BASIC_INFORMATION Basic;
    BOOLEAN Result;
    CHILD Child;

    memset(Shared, 0, sizeof(*Shared));
    CHECK_STATUS(CreateChildNt6("report", 0, 0, Normalized, &Child), "NtCreateUserProcess");
    CHECK(Child.CreateInfo.State == 6 /* PsCreateSuccess */, "PS_CREATE_INFO.State", Child.CreateInfo.State);
    CHECK(Child.Image.TransferAddress != NULL, "PS_ATTRIBUTE_IMAGE_INFO", 0);
    Result = CheckReport(&Child, &Basic, "report");
    CloseChild(&Child);
    return Result;
}

static BOOLEAN TestCreateUser(void)
{
    return TestCreateNt6(FALSE);
}

static BOOLEAN TestCreateUserNormalized(void)
{
    return TestCreateNt6(TRUE);
}

static BOOLEAN TestCreateXp(void)
{
    PROCESS_BASIC_INFORMATION Basic;
    BOOLEAN Result;
    CHILD Child;

    memset(Shared, 0, sizeof(*Shared));
    CHECK_STATUS(CreateChildNt5("report", 0, FALSE, &Child), "NT 5 creation");
    Result = CheckReport(&Child, &Basic, "report");
    if (Result && Shared->Parameters != (ULONG)Child.ChildParameters)
        Result = Fail("the child's parameters are where they were written", Shared->Parameters);
    CloseChild(&Child);
    return Result;
}

/* Both paths: the same process seen from outside and from inside. */
static BOOLEAN TestCompare(void)
{
    /* Static: the main thread's stack is one committed page (MinGW's default), and
       these tests should not depend on its growth. */
    static PROCESS_BASIC_INFORMATION Basic[2];
    static union {
        UNICODE_STRING String;
        UCHAR Bytes[512];
    } Names[2];
    static PST_SHARED Seen[2];
    ULONG Path, Index, Length;
    CHILD Child;

    for (Path = 0; Path < 2; Path++) {
        memset(Shared, 0, sizeof(*Shared));
        if (Path == 0)
            CHECK_STATUS(CreateChildNt6("report", 0, 0, FALSE, &Child), "NtCreateUserProcess");
        else
            CHECK_STATUS(CreateChildNt5("report", 0, FALSE, &Child), "NT 5 creation");
        if (!CheckReport(&Child, &Basic[Path], "report")) {
            CloseChild(&Child);
            return FALSE;
        }
        Seen[Path] = *Shared;
        if (!NT_SUCCESS(NtQueryInformationProcess(Child.Process, (PROCESSINFOCLASS)27 /* ProcessImageFileName */,
                                                  &Names[Path], sizeof(Names[Path]), &Length))) {
            CloseChild(&Child);
            return Fail("ProcessImageFileName", Path);
        }
        CloseChild(&Child);
    }
    CHECK(Basic[0].PebBaseAddress == Basic[1].PebBaseAddress, "the PEB addresses differ",
          Basic[1].PebBaseAddress);
    CHECK(Basic[0].InheritedFromUniqueProcessId == Basic[1].InheritedFromUniqueProcessId,
          "the parents differ", Basic[1].InheritedFromUniqueProcessId);
    CHECK(Basic[0].BasePriority == Basic[1].BasePriority, "the base priorities differ", Basic[1].BasePriority);
    CHECK(Basic[0].AffinityMask == Basic[1].AffinityMask, "the affinities differ", Basic[1].AffinityMask);
    CHECK(Basic[0].ExitStatus == Basic[1].ExitStatus, "the exit statuses differ", Basic[1].ExitStatus);
    CHECK(Seen[0].ImageBase == Seen[1].ImageBase, "the image bases differ", Seen[1].ImageBase);
    CHECK(Seen[0].CommandLineLength == Seen[1].CommandLineLength, "the command lines differ",
          Seen[1].CommandLineLength);
    CHECK(Names[0].String.Length == Names[1].String.Length && Names[0].String.Length != 0,
          "the image file names differ", Names[1].String.Length);
    for (Index = 0; Index < Names[0].String.Length / sizeof(WCHAR); Index++)
        CHECK(Names[0].String.Buffer[Index] == Names[1].String.Buffer[Index], "the image file names differ", Index);
    return TRUE;
}

static BOOLEAN TestSuspendedPath(BOOLEAN Nt5)
{
    NATIVE_THREAD_BASIC_INFORMATION ThreadBasic;
    LARGE_INTEGER Zero;
    NTSTATUS ExitStatus = 0;
    ULONG Previous = 0xFFFF;
    CHILD Child;

    Shared->Ran = 0;
    if (Nt5)
        CHECK_STATUS(CreateChildNt5("flag", 0, TRUE, &Child), "NT 5 creation");
    else
        CHECK_STATUS(CreateChildNt6("flag", 0, THREAD_CREATE_FLAGS_CREATE_SUSPENDED, FALSE, &Child),
                     "NtCreateUserProcess");
    PstSleep(200);
    Zero.QuadPart = 0;
    if (Shared->Ran != 0 || NtWaitForSingleObject(Child.Process, FALSE, &Zero) != STATUS_TIMEOUT) {
        NtTerminateProcess(Child.Process, 1);
        CloseChild(&Child);
        return Fail("the suspended child ran", Shared->Ran);
    }
    if (!NT_SUCCESS(NtQueryInformationThread(Child.Thread, ThreadBasicInformation, &ThreadBasic,
                                             sizeof(ThreadBasic), NULL)) ||
        ThreadBasic.ExitStatus != STATUS_PENDING) {
        NtTerminateProcess(Child.Process, 1);
        CloseChild(&Child);
        return Fail("the suspended thread's basic information", ThreadBasic.ExitStatus);
    }
    NtResumeThread(Child.Thread, &Previous);
    if (Previous != 1 || !NT_SUCCESS(WaitChild(&Child, &ExitStatus))) {
        NtTerminateProcess(Child.Process, 1);
        CloseChild(&Child);
        return Fail("resuming the child (previous count)", Previous);
    }
    CloseChild(&Child);
    CHECK(ExitStatus == 0, "the child's exit status", ExitStatus);
    CHECK(Shared->Ran == 1, "the resumed child ran once", Shared->Ran);
    return TRUE;
}

static BOOLEAN TestSuspended(void)
{
    return TestSuspendedPath(FALSE) && TestSuspendedPath(TRUE);
}

/* Ends a looping or waiting child with a code of the parent's choosing. */
static BOOLEAN TerminateChild(const char *Mode, NTSTATUS Code)
{
    NATIVE_THREAD_BASIC_INFORMATION ThreadBasic;
    NTSTATUS ExitStatus = 0, Status;
    CHILD Child;

    Shared->Ran = 0;
    CHECK_STATUS(CreateChildNt6(Mode, 0, 0, FALSE, &Child), "NtCreateUserProcess");
    if (!WaitForRan(1)) {
        NtTerminateProcess(Child.Process, 1);
        CloseChild(&Child);
        return Fail("the child never started", 0);
    }
    PstSleep(50);                  /* well inside its loop or wait */
    Status = NtTerminateProcess(Child.Process, Code);
    if (!NT_SUCCESS(Status)) {
        CloseChild(&Child);
        return Fail("NtTerminateProcess", (ULONG)Status);
    }
    Status = WaitChild(&Child, &ExitStatus);
    if (NT_SUCCESS(Status))
        Status = NtQueryInformationThread(Child.Thread, ThreadBasicInformation, &ThreadBasic, sizeof(ThreadBasic),
                                          NULL);
    if (!NT_SUCCESS(Status)) {
        CloseChild(&Child);
        return Fail("waiting for the terminated child", (ULONG)Status);
    }
    /* Once ended, it cannot be ended again (NT's status). */
    Status = NtTerminateProcess(Child.Process, 2);
    CloseChild(&Child);
    CHECK(ExitStatus == Code, "the process's exit status", ExitStatus);
    CHECK(ThreadBasic.ExitStatus == Code, "the thread's exit status", ThreadBasic.ExitStatus);
    CHECK(Status == STATUS_PROCESS_IS_TERMINATING, "terminating it again", Status);
    return TRUE;
}

/*
 * Two children reading the same console (the handle is synchronous, so the file
 * takes one request at a time): the second waits for the first's request to end,
 * which no one will end by typing. Terminating the second must not wait for that.
 */
static BOOLEAN TerminateQueuedReader(void)
{
    NTSTATUS ExitStatus = 0, Status;
    CHILD First, Second;

    Shared->Ran = 0;
    CHECK_STATUS(CreateChildNt6("read", 0, 0, FALSE, &First), "NtCreateUserProcess (first reader)");
    if (!WaitForRan(1)) {
        NtTerminateProcess(First.Process, 1);
        CloseChild(&First);
        return Fail("the first reader never started", 0);
    }
    Status = CreateChildNt6("read", 0, 0, FALSE, &Second);
    if (!NT_SUCCESS(Status) || !WaitForRan(2)) {
        NtTerminateProcess(First.Process, 1);
        if (NT_SUCCESS(Status))
            NtTerminateProcess(Second.Process, 1);
        CloseChild(&First);
        CloseChild(&Second);
        return Fail("the second reader never started", (ULONG)Status);
    }
    PstSleep(50);                  /* the second is queued behind the first's read */
    Status = NtTerminateProcess(Second.Process, 0x0000BEAE);
    if (NT_SUCCESS(Status))
        Status = WaitChild(&Second, &ExitStatus);
    NtTerminateProcess(First.Process, 1);
    CloseChild(&Second);
    CHECK_STATUS(Status, "ending the reader queued behind another process's read");
    CHECK(ExitStatus == 0x0000BEAE, "the queued reader's exit status", ExitStatus);
    Status = WaitChild(&First, &ExitStatus);
    CloseChild(&First);
    CHECK_STATUS(Status, "ending the first reader");
    return TRUE;
}

static BOOLEAN TestTerminateOther(void)
{
    /* Looping in user mode, waiting in user mode, blocked in a console read inside
       the kernel (no input comes: the read must give way to the end), and queued
       behind another process's read on the console's file lock. */
    return TerminateChild("spin", 0x1234ABCD) && TerminateChild("wait", 0x00C0FFEE) &&
           TerminateChild("read", 0x0000BEAD) && TerminateQueuedReader();
}

static BOOLEAN TestTerminateSelf(void)
{
    return RunChild("selfterm 0x5E1F", 0x5E1F);
}

static BOOLEAN TestTerminateOthers(void)
{
    return RunChild("termothers 0x77", 0x77);
}

static BOOLEAN TestTerminateThreadSelf(void)
{
    return RunChild("termthread", STATUS_CANT_TERMINATE_SELF);
}

/* NtSuspendProcess stops every thread of a counting child; NtResumeProcess lets it go on. */
static BOOLEAN TestSuspendProcess(void)
{
    NTSTATUS ExitStatus = 0, Suspend, Resume;
    LONG Before, After, Resumed;
    CHILD Child;

    Shared->Ran = 0;
    CHECK_STATUS(CreateChildNt6("count", 0, 0, FALSE, &Child), "NtCreateUserProcess");
    WaitForRan(1);
    Suspend = NtSuspendProcess(Child.Process);
    PstSleep(20);
    Before = Shared->Ran;
    PstSleep(200);
    After = Shared->Ran;
    Resume = NtResumeProcess(Child.Process);
    PstSleep(200);
    Resumed = Shared->Ran;
    NtTerminateProcess(Child.Process, 0x5050);
    WaitChild(&Child, &ExitStatus);
    CloseChild(&Child);
    CHECK_STATUS(Suspend, "NtSuspendProcess");
    CHECK(Before != 0 && Before == After, "the suspended child went on counting", After - Before);
    CHECK_STATUS(Resume, "NtResumeProcess");
    CHECK(Resumed > After, "the resumed child did not count", Resumed);
    CHECK(ExitStatus == 0x5050, "the exit status", ExitStatus);
    return TRUE;
}

/*
 * NtGetContextThread on a suspended counting child shows it in its own code (its
 * image) on its own stack; NtSetContextThread sends it to ntdll!RtlExitUserThread
 * (at the same address in every process) with an argument the parent wrote on the
 * child's stack, so its exit status is the parent's choice.
 */
static BOOLEAN TestContext(void)
{
    static CONTEXT Context;
    NATIVE_THREAD_BASIC_INFORMATION ThreadBasic;
    NT_TIB Tib;                         /* the head of the child's TEB: its stack */
    NTSTATUS ExitStatus = 0, Status;
    ULONG Frame[2] = { 0xDEADBEEF, 0x0C0FFEE0 };   /* return address (never used), ExitStatus */
    ULONG Previous = 0;
    CHILD Child;

    Shared->Ran = 0;
    CHECK_STATUS(CreateChildNt6("count", 0, 0, FALSE, &Child), "NtCreateUserProcess");
    WaitForRan(1);
    Status = NtSuspendThread(Child.Thread, &Previous);
    if (NT_SUCCESS(Status))
        Status = NtQueryInformationThread(Child.Thread, ThreadBasicInformation, &ThreadBasic, sizeof(ThreadBasic),
                                          NULL);
    if (NT_SUCCESS(Status))
        Status = NtReadVirtualMemory(Child.Process, ThreadBasic.TebBaseAddress, &Tib, sizeof(Tib), NULL);
    if (NT_SUCCESS(Status)) {
        memset(&Context, 0, sizeof(Context));
        Context.ContextFlags = CONTEXT_FULL;
        Status = NtGetContextThread(Child.Thread, &Context);
    }
    if (!NT_SUCCESS(Status)) {
        NtTerminateProcess(Child.Process, 1);
        CloseChild(&Child);
        return Fail("suspending the child and reading its context", (ULONG)Status);
    }
    if (Previous != 0 || Context.Eip < 0x00400000 || Context.Eip >= 0x00500000 ||
        Context.Esp >= (ULONG)Tib.StackBase || Context.Esp < (ULONG)Tib.StackLimit ||
        Context.SegCs != 0x1B || Context.SegFs != 0x3B) {
        NtTerminateProcess(Child.Process, 1);
        CloseChild(&Child);
        return Fail("the suspended child's context (EIP)", Context.Eip);
    }
    Context.Esp -= 0x40;
    Status = NtWriteVirtualMemory(Child.Process, (PVOID)Context.Esp, Frame, sizeof(Frame), NULL);
    Context.Eip = (ULONG)(ULONG_PTR)&RtlExitUserThread;
    Context.ContextFlags = CONTEXT_CONTROL;
    if (NT_SUCCESS(Status))
        Status = NtSetContextThread(Child.Thread, &Context);
    if (NT_SUCCESS(Status))
        Status = NtResumeThread(Child.Thread, NULL);
    if (NT_SUCCESS(Status))
        Status = WaitChild(&Child, &ExitStatus);
    if (!NT_SUCCESS(Status))
        NtTerminateProcess(Child.Process, 1);
    CloseChild(&Child);
    CHECK_STATUS(Status, "NtSetContextThread and resuming");
    CHECK(ExitStatus == 0x0C0FFEE0, "the exit status RtlExitUserThread was given", ExitStatus);
    return TRUE;
}

/* An inheritable event reaches the child, whose handle value is the parent's. */
static BOOLEAN InheritPath(BOOLEAN Nt5, BOOLEAN Inheritable)
{
    OBJECT_ATTRIBUTES Attributes;
    LARGE_INTEGER Timeout;
    NTSTATUS ExitStatus = 0, Wait;
    PST_LINE Arguments = { .Length = 0 };
    HANDLE Event;
    CHILD Child;
    NTSTATUS Status;

    InitializeObjectAttributes(&Attributes, NULL, Inheritable ? OBJ_INHERIT : 0, NULL, NULL);
    CHECK_STATUS(NtCreateEvent(&Event, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, FALSE), "NtCreateEvent");
    PstAdd(&Arguments, "setevent ");
    PstAddHex(&Arguments, (ULONG)Event);
    Arguments.Text[Arguments.Length] = 0;
    if (Nt5)
        Status = CreateChildNt5(Arguments.Text, PROCESS_CREATE_FLAGS_INHERIT_HANDLES, FALSE, &Child);
    else
        Status = CreateChildNt6(Arguments.Text, PROCESS_CREATE_FLAGS_INHERIT_HANDLES, 0, FALSE, &Child);
    if (!NT_SUCCESS(Status)) {
        NtClose(Event);
        return Fail("creating the child", (ULONG)Status);
    }
    Timeout.QuadPart = PST_MS(Inheritable ? 10000 : 0);
    Status = WaitChild(&Child, &ExitStatus);
    Wait = NtWaitForSingleObject(Event, FALSE, &Timeout);
    CloseChild(&Child);
    NtClose(Event);
    CHECK_STATUS(Status, "waiting for the child");
    if (Inheritable) {
        CHECK(Wait == STATUS_SUCCESS, "the parent's wait on the event", Wait);
        CHECK(ExitStatus == STATUS_SUCCESS, "the child's NtSetEvent", ExitStatus);
    } else {
        CHECK(Wait == STATUS_TIMEOUT, "a handle not inheritable was set", Wait);
        CHECK(ExitStatus == STATUS_INVALID_HANDLE_NT, "the child's NtSetEvent on a handle it lacks", ExitStatus);
    }
    return TRUE;
}

static BOOLEAN TestInherit(void)
{
    return InheritPath(FALSE, TRUE) && InheritPath(TRUE, TRUE) && InheritPath(FALSE, FALSE);
}

static BOOLEAN TestAccessDenied(void)
{
    OBJECT_ATTRIBUTES Attributes;
    PROCESS_BASIC_INFORMATION Basic;
    NATIVE_CLIENT_ID Cid;
    NTSTATUS ExitStatus = 0, Terminate, Query, Wait, Read = 0, Status;
    HANDLE Limited = NULL, Killer = NULL;
    PVOID ImageBase;
    LARGE_INTEGER Zero;
    CHILD Child;

    Shared->Ran = 0;
    CHECK_STATUS(CreateChildNt6("spin", 0, 0, FALSE, &Child), "NtCreateUserProcess");
    WaitForRan(1);
    InitializeObjectAttributes(&Attributes, NULL, 0, NULL, NULL);
    Cid.UniqueProcess = Child.Cid.UniqueProcess;
    Cid.UniqueThread = NULL;
    Status = NtOpenProcess(&Limited, PROCESS_QUERY_INFORMATION, &Attributes, &Cid);
    if (!NT_SUCCESS(Status)) {
        NtTerminateProcess(Child.Process, 1);
        CloseChild(&Child);
        return Fail("NtOpenProcess(PROCESS_QUERY_INFORMATION)", (ULONG)Status);
    }
    Terminate = NtTerminateProcess(Limited, 0x666);
    Query = NtQueryInformationProcess(Limited, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    if (NT_SUCCESS(Query))
        Read = NtReadVirtualMemory(Limited, (PUCHAR)Basic.PebBaseAddress + 0x08, &ImageBase, sizeof(ImageBase),
                                   NULL);
    Zero.QuadPart = 0;
    Wait = NtWaitForSingleObject(Limited, FALSE, &Zero);
    /* Enough access ends it. */
    Status = NtOpenProcess(&Killer, PROCESS_TERMINATE | SYNCHRONIZE, &Attributes, &Cid);
    if (NT_SUCCESS(Status))
        Status = NtTerminateProcess(Killer, 0x777);
    if (!NT_SUCCESS(Status))
        NtTerminateProcess(Child.Process, 1);
    WaitChild(&Child, &ExitStatus);
    NtClose(Limited);
    if (Killer != NULL)
        NtClose(Killer);
    CloseChild(&Child);
    CHECK(Terminate == STATUS_ACCESS_DENIED, "NtTerminateProcess without PROCESS_TERMINATE", Terminate);
    CHECK_STATUS(Query, "NtQueryInformationProcess with PROCESS_QUERY_INFORMATION");
    CHECK(Basic.UniqueProcessId == (ULONG)Cid.UniqueProcess, "the opened process's PID", Basic.UniqueProcessId);
    CHECK(Wait == STATUS_ACCESS_DENIED, "waiting without SYNCHRONIZE", Wait);
    CHECK(Read == STATUS_ACCESS_DENIED, "NtReadVirtualMemory without PROCESS_VM_READ", Read);
    CHECK_STATUS(Status, "NtOpenProcess(PROCESS_TERMINATE) and NtTerminateProcess");
    CHECK(ExitStatus == 0x777, "the exit status", ExitStatus);
    return TRUE;
}

/* An ended process whose handle is kept: its exit status, times and ID stay. */
static BOOLEAN TestDeadProcess(void)
{
    OBJECT_ATTRIBUTES Attributes;
    PROCESS_BASIC_INFORMATION Basic, Again;
    NATIVE_KERNEL_USER_TIMES Times;
    NATIVE_CLIENT_ID Cid;
    NTSTATUS ExitStatus = 0, Status;
    PVOID ImageBase;
    HANDLE Opened;
    CHILD Child;

    CHECK_STATUS(CreateChildNt6("exit 77", 0, 0, FALSE, &Child), "NtCreateUserProcess");
    Status = WaitChild(&Child, &ExitStatus);
    NtClose(Child.Thread);
    Child.Thread = NULL;
    PstSleep(100);                 /* the thread is gone by now: only the handle holds it */
    if (NT_SUCCESS(Status))
        Status = NtQueryInformationProcess(Child.Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    if (!NT_SUCCESS(Status)) {
        CloseChild(&Child);
        return Fail("querying the dead process", (ULONG)Status);
    }
    CHECK(Basic.ExitStatus == 77, "the dead process's exit status", Basic.ExitStatus);
    /* Its memory is gone with it. */
    Status = NtReadVirtualMemory(Child.Process, (PUCHAR)Basic.PebBaseAddress + 0x08, &ImageBase, sizeof(ImageBase),
                                 NULL);
    if (Status != STATUS_PROCESS_IS_TERMINATING) {
        CloseChild(&Child);
        return Fail("NtReadVirtualMemory of the dead process", (ULONG)Status);
    }
    CHECK(Basic.UniqueProcessId == (ULONG)Child.Cid.UniqueProcess, "the dead process's PID", Basic.UniqueProcessId);
    Status = NtQueryInformationProcess(Child.Process, ProcessTimes, &Times, sizeof(Times), NULL);
    if (!NT_SUCCESS(Status) || Times.ExitTime.QuadPart < Times.CreateTime.QuadPart ||
        Times.ExitTime.QuadPart == 0) {
        CloseChild(&Child);
        return Fail("the dead process's times", (ULONG)Status);
    }
    /* Its ID still names it while a handle is open (NT opens it). */
    InitializeObjectAttributes(&Attributes, NULL, 0, NULL, NULL);
    Cid.UniqueProcess = Child.Cid.UniqueProcess;
    Cid.UniqueThread = NULL;
    Status = NtOpenProcess(&Opened, PROCESS_QUERY_INFORMATION, &Attributes, &Cid);
    if (NT_SUCCESS(Status)) {
        Status = NtQueryInformationProcess(Opened, ProcessBasicInformation, &Again, sizeof(Again), NULL);
        NtClose(Opened);
    }
    CloseChild(&Child);
    CHECK_STATUS(Status, "opening the dead process by its PID");
    CHECK(Again.ExitStatus == 77, "the exit status through the new handle", Again.ExitStatus);
    return TRUE;
}

/*
 * IDs come from one table, the lowest free multiple of 4 first. A process's ID
 * stays taken while any handle to it is open, even after it ended; once the last
 * one closes (and its thread is gone), the next process gets that ID again.
 */
static BOOLEAN TestPidReuse(void)
{
    NTSTATUS ExitStatus = 0;
    ULONG First, Index;
    CHILD Held, Other;

    CHECK_STATUS(CreateChildNt6("exit 0", 0, 0, FALSE, &Held), "NtCreateUserProcess");
    First = (ULONG)Held.Cid.UniqueProcess;
    CHECK(First % 4 == 0 && First != 0, "the PID is a multiple of 4", First);
    CHECK((ULONG)Held.Cid.UniqueThread % 4 == 0, "the TID is a multiple of 4", Held.Cid.UniqueThread);
    WaitChild(&Held, &ExitStatus);
    NtClose(Held.Thread);
    Held.Thread = NULL;
    PstSleep(100);

    /* Several generations while the handle is held: none gets its ID. */
    for (Index = 0; Index < 3; Index++) {
        if (!NT_SUCCESS(CreateChildNt6("exit 0", 0, 0, FALSE, &Other))) {
            CloseChild(&Held);
            return Fail("NtCreateUserProcess", Index);
        }
        WaitChild(&Other, &ExitStatus);
        CloseChild(&Other);
        if ((ULONG)Other.Cid.UniqueProcess == First || (ULONG)Other.Cid.UniqueThread == First) {
            CloseChild(&Held);
            return Fail("a new process got the ID of one still held", First);
        }
        PstSleep(50);
    }

    /* The last handle closes: the ID is free, and the lowest (nothing below it was freed). */
    CloseChild(&Held);
    PstSleep(100);
    CHECK_STATUS(CreateChildNt6("exit 0", 0, 0, FALSE, &Other), "NtCreateUserProcess");
    WaitChild(&Other, &ExitStatus);
    CloseChild(&Other);
    CHECK((ULONG)Other.Cid.UniqueProcess == First, "the freed PID was not reused", Other.Cid.UniqueProcess);
    return TRUE;
}

static BOOLEAN TestFault(const char *Mode, NTSTATUS Code)
{
    return RunChild(Mode, Code);
}

static BOOLEAN TestFaultAv(void)       { return TestFault("av", (NTSTATUS)0xC0000005); }
static BOOLEAN TestFaultDivide(void)   { return TestFault("div", (NTSTATUS)0xC0000094); }
static BOOLEAN TestFaultUd2(void)      { return TestFault("ud2", (NTSTATUS)0xC000001D); }
static BOOLEAN TestFaultHlt(void)      { return TestFault("hlt", (NTSTATUS)0xC0000096); }
static BOOLEAN TestFaultCli(void)      { return TestFault("cli", (NTSTATUS)0xC0000096); }
static BOOLEAN TestFaultInt3(void)     { return TestFault("int3", (NTSTATUS)0x80000003); }
/* Stack overflow: the stack grows page by page until its guard pages run out. */
static BOOLEAN TestFaultStackOverflow(void) { return TestFault("stackoverflow", (NTSTATUS)STATUS_STACK_OVERFLOW_CODE); }
/* A thread is always a new object: OBJ_OPENIF (with a name) is refused, as NT's
   Thread type refuses it. (It once let ObInsertObject hand back another object
   while NtCreateThread went on to start the new one it had dropped.) */
static BOOLEAN TestThreadOpenIf(void)
{
    static CONTEXT Context;
    static UCHAR Stack[256];
    UNICODE_STRING Name = PST_STRING(L"\\BaseNamedObjects\\PsTestThread");
    OBJECT_ATTRIBUTES Attributes;
    NATIVE_INITIAL_TEB InitialTeb;
    NATIVE_CLIENT_ID Cid;
    HANDLE Thread;
    NTSTATUS Status;

    Context.ContextFlags = CONTEXT_FULL;
    CHECK_STATUS(NtGetContextThread(NtCurrentThread(), &Context), "NtGetContextThread");
    memset(&InitialTeb, 0, sizeof(InitialTeb));
    InitialTeb.StackBase = Stack + sizeof(Stack);
    InitialTeb.StackLimit = Stack;
    InitializeObjectAttributes(&Attributes, &Name, OBJ_OPENIF, NULL, NULL);
    Status = NtCreateThread(&Thread, THREAD_ALL_ACCESS, &Attributes, NtCurrentProcess(), &Cid, &Context,
                            &InitialTeb, TRUE);
    if (NT_SUCCESS(Status)) {
        NtTerminateThread(Thread, 0);
        NtClose(Thread);
    }
    CHECK(Status == (NTSTATUS)0xC000000DL /* STATUS_INVALID_PARAMETER */, "NtCreateThread with OBJ_OPENIF", Status);
    return TRUE;
}

/* A user APC whose frame the thread's stack cannot take ends the process with the
   fault (it once ended the thread alone, uncounted, and the process never ended). */
static BOOLEAN TestApcBadStack(void)   { return TestFault("apcbadstack", (NTSTATUS)0xC0000005); }

static BOOLEAN TestVectored(void)
{
    memset(Shared, 0, sizeof(*Shared));
    if (!RunChild("vectored", 0))
        return FALSE;
    CHECK(Shared->VectoredCalls == 1, "the handler's calls", Shared->VectoredCalls);
    CHECK(Shared->VectoredCode == 0xC0000005, "the handler's exception code", Shared->VectoredCode);
    return TRUE;
}

/* After all that, a child still runs normally (the kernel carried on). */
static BOOLEAN TestStillAlive(void)
{
    return RunChild("exit 0x42", 0x42);
}

/* Many creations and ends in a row; the time goes to the output. */
static BOOLEAN TestCycles(void)
{
    LARGE_INTEGER Start, End;
    PST_LINE Line = { .Length = 0 };
    NTSTATUS ExitStatus = 0, Status;
    char Arguments[24] = "exit ";
    ULONG Index, First = 0;
    CHILD Child;

    NtQuerySystemTime(&Start);
    for (Index = 0; Index < Cycles; Index++) {
        NativeFormatDecimal(Arguments + 5, Index);
        Status = CreateChildNt6(Arguments, 0, 0, FALSE, &Child);
        if (!NT_SUCCESS(Status))
            return Fail("NtCreateUserProcess in cycle", Index);
        Status = WaitChild(&Child, &ExitStatus);
        CloseChild(&Child);
        if (!NT_SUCCESS(Status) || ExitStatus != (NTSTATUS)Index)
            return Fail("the exit status in cycle", Index);
        if (Index == 0)
            First = (ULONG)Child.Cid.UniqueProcess;
    }
    NtQuerySystemTime(&End);
    PstAdd(&Line, "cycles: ");
    PstAddDecimal(&Line, Cycles);
    PstAdd(&Line, " in ");
    PstAddDecimal(&Line, (ULONG)(End.QuadPart - Start.QuadPart) / 10000);   /* below 429 s */
    PstAdd(&Line, " ms, first PID ");
    PstAddDecimal(&Line, First);
    PstWriteLine(&Line);
    return TRUE;
}

typedef struct _SUBTEST {
    const char *Name;
    BOOLEAN (*Run)(void);
    BOOLEAN Default;
} SUBTEST;

static const SUBTEST SubTests[] = {
    { "self", TestSelf, TRUE },
    { "create-user", TestCreateUser, TRUE },
    { "create-user-normalized", TestCreateUserNormalized, TRUE },
    { "create-xp", TestCreateXp, TRUE },
    { "compare-paths", TestCompare, TRUE },
    { "suspended", TestSuspended, TRUE },
    { "suspend-process", TestSuspendProcess, TRUE },
    { "context", TestContext, TRUE },
    { "terminate-other", TestTerminateOther, TRUE },
    { "terminate-self", TestTerminateSelf, TRUE },
    { "terminate-others-null", TestTerminateOthers, TRUE },
    { "terminate-thread-self", TestTerminateThreadSelf, TRUE },
    { "inherit-handle", TestInherit, TRUE },
    { "access-denied", TestAccessDenied, TRUE },
    { "dead-process", TestDeadProcess, TRUE },
    { "pid-reuse", TestPidReuse, TRUE },
    { "fault-av", TestFaultAv, TRUE },
    { "apc-bad-stack", TestApcBadStack, TRUE },
    { "thread-openif", TestThreadOpenIf, TRUE },
    { "fault-divide", TestFaultDivide, TRUE },
    { "fault-ud2", TestFaultUd2, TRUE },
    { "fault-hlt", TestFaultHlt, TRUE },
    { "fault-cli", TestFaultCli, TRUE },
    { "fault-int3", TestFaultInt3, TRUE },
    /* Not in the default set: run by name (tests/system/ps-stackoverflow.test). */
    { "fault-stackoverflow", TestFaultStackOverflow, FALSE },
    { "vectored-fixup", TestVectored, TRUE },
    { "still-alive", TestStillAlive, TRUE },
    { "cycles", TestCycles, TRUE },
};
#define SUBTEST_COUNT (sizeof(SubTests) / sizeof(SubTests[0]))

static void RunSubTest(const SUBTEST *Test, ULONG *Passed, ULONG *FailedCount)
{
    PST_LINE Line = { .Length = 0 };
    BOOLEAN Result;

    Failed = FALSE;
    Result = Test->Run();
    if (Result && !Failed) {
        PstAdd(&Line, "PASS ");
        PstAdd(&Line, Test->Name);
        (*Passed)++;
    } else {
        PstAdd(&Line, "FAIL ");
        PstAdd(&Line, Test->Name);
        PstAdd(&Line, ": ");
        Failure.Text[Failure.Length] = 0;
        PstAdd(&Line, Failed ? Failure.Text : "(no detail)");
        (*FailedCount)++;
    }
    PstWriteLine(&Line);
}

ULONG NTAPI PsTestStart(PVOID Peb)
{
    char Buffer[256], *Words[32];
    ULONG Count = PstSplitCommandLine(Buffer, sizeof(Buffer), Words, 32);
    ULONG Passed = 0, FailedCount = 0, Index, Word;
    PST_LINE Line = { .Length = 0 };
    HANDLE Section;
    NTSTATUS Status;

    (void)Peb;
    MyPid = __readfsdword(0x20);
    Status = PstMapShared(TRUE, &Section, &Shared);
    if (!NT_SUCCESS(Status)) {
        PstAdd(&Line, "pstest: the shared section: ");
        PstAddHex(&Line, (ULONG)Status);
        PstWriteLine(&Line);
        return (ULONG)Status;
    }

    for (Word = 0; Word < Count; Word++) {
        const char *Name = Words[Word];

        if (Name[0] == 'c' && Name[1] == 'y' && Name[2] == 'c' && Name[3] == 'l' && Name[4] == 'e' &&
            Name[5] == 's' && Name[6] == '=') {
            Cycles = PstParseNumber(Name + 7);
            Name = "cycles";
        }
        for (Index = 0; Index < SUBTEST_COUNT; Index++)
            if (PstEqual(Name, SubTests[Index].Name))
                break;
        if (Index == SUBTEST_COUNT) {
            PstAdd(&Line, "FAIL ");
            PstAdd(&Line, Name);
            PstAdd(&Line, ": no such sub-test");
            PstWriteLine(&Line);
            FailedCount++;
            continue;
        }
        RunSubTest(&SubTests[Index], &Passed, &FailedCount);
    }
    if (Count == 0)
        for (Index = 0; Index < SUBTEST_COUNT; Index++)
            if (SubTests[Index].Default)
                RunSubTest(&SubTests[Index], &Passed, &FailedCount);

    PstAdd(&Line, "pstest: ");
    PstAddDecimal(&Line, Passed);
    PstAdd(&Line, " passed, ");
    PstAddDecimal(&Line, FailedCount);
    PstAdd(&Line, " failed");
    PstWriteLine(&Line);
    return FailedCount == 0 ? 0 : 1;
}

/*
 * parent.c - the parent (scfuzz.exe [SEED [CHILDREN [CALLS [FIRST]]]]) and the entry
 * point: the doors checked with exact answers, then the children started one at a
 * time and watched (hangs reported with their threads' states), what they left
 * running ended, and the leak checks (handles, processes, the shared section's
 * references, the children's objects). What the fuzzer does and what it tames:
 * scfuzz.h.
 */
#include "scfuzz.h"

/* The memory routines the compiler may call, for all of scfuzz.exe's files. */
PST_DEFINE_MEMORY_ROUTINES

/* The page parent and child share: the parent makes it, each child opens it. */
SC_SHARED *Shared;
HANDLE SharedSection;

/* ---- output ---- */

static void Say(const char *A, ULONG Number, const char *B)
{
    PST_LINE Line;

    Line.Length = 0;
    PstAdd(&Line, "scfuzz: ");
    PstAdd(&Line, A);
    if (B != NULL) {
        PstAddHex(&Line, Number);
        PstAdd(&Line, B);
    }
    PstWriteLine(&Line);
}

static ULONG KernelFailures;

static void Failure(const char *What, ULONG Value, const char *Rest)
{
    KernelFailures++;
    Say(What, Value, Rest != NULL ? Rest : "");
}

/* The doors, with exact answers. */
static ULONG CheckDoors(void)
{
    static const ULONG Invalid[] = { 0x1000, 0x1001, 0x2000, 0x3000, 0x3FFF, 0xFFF, 0x7FFFFFFF, 0xFFFFFFFF };
    ULONG Close = StubNumber(ScImport_NtClose), Yield = StubNumber(ScImport_NtYieldExecution);
    ULONG Create = StubNumber(ScImport_NtCreateFile);
    ULONG Arguments[12] = { 0 };
    ULONG Index, Checks = 0;
    NTSTATUS Status;

    /* NtYieldExecution is the last service: the one after it is past the table. */
    for (Index = 0; Index <= sizeof(Invalid) / sizeof(Invalid[0]); Index++) {
        ULONG Number = Index < sizeof(Invalid) / sizeof(Invalid[0]) ? Invalid[Index] : Yield + 1;
        Status = Int2e(Number, (ULONG_PTR)Arguments);
        if (Status != STATUS_INVALID_SYSTEM_SERVICE_NT)
            Failure("INT 2E service ", Number, " did not return STATUS_INVALID_SYSTEM_SERVICE");
        Status = FastCall(Number);
        if (Status != STATUS_INVALID_SYSTEM_SERVICE_NT)
            Failure("KiFastSystemCall service ", Number, " did not return STATUS_INVALID_SYSTEM_SERVICE");
        Checks += 2;
    }
    /* Arguments in kernel space, or running past the end of user space. */
    {
        static const ULONG_PTR Bad[] = { 0x80000000, 0xFFFFFFF0, 0x7FFF0000, 0x7FFEFFFC, 0x7FFEFFE0, 0 };
        for (Index = 0; Index < sizeof(Bad) / sizeof(Bad[0]); Index++) {
            Status = Int2e(Create, Bad[Index]);
            if (Status != STATUS_ACCESS_VIOLATION)
                Failure("INT 2E with its arguments at ", (ULONG)Bad[Index], " did not return STATUS_ACCESS_VIOLATION");
            Status = Int2e(Close, Bad[Index]);
            if (Status != STATUS_ACCESS_VIOLATION)
                Failure("INT 2E NtClose with its argument at ", (ULONG)Bad[Index], " did not return STATUS_ACCESS_VIOLATION");
            Checks += 2;
        }
    }
    return Checks;
}

/* The task list: this process's handle count, how many processes there are. */
static NTSTATUS QueryTasks(ULONG Pid, ULONG *Handles, ULONG *Processes, ULONG ParentOf, ULONG *Children,
                           ULONG MaximumChildren, ULONG *ChildCount)
{
    static UCHAR Buffer[32768];
    PSYSTEM_PROCESS_INFORMATION Entry = (PSYSTEM_PROCESS_INFORMATION)Buffer;
    ULONG Length;
    NTSTATUS Status;

    Status = NtQuerySystemInformation(SystemProcessInformation, Buffer, sizeof(Buffer), &Length);
    if (!NT_SUCCESS(Status))
        return Status;
    *Processes = 0;
    if (ChildCount != NULL)
        *ChildCount = 0;
    for (;;) {
        (*Processes)++;
        if ((ULONG)(ULONG_PTR)Entry->UniqueProcessId == Pid && Handles != NULL)
            *Handles = Entry->HandleCount;
        if (ChildCount != NULL && ParentOf != 0 && (ULONG)(ULONG_PTR)Entry->InheritedFromUniqueProcessId == ParentOf &&
            *ChildCount < MaximumChildren)
            Children[(*ChildCount)++] = (ULONG)(ULONG_PTR)Entry->UniqueProcessId;
        if (Entry->NextEntryOffset == 0)
            break;
        Entry = (PSYSTEM_PROCESS_INFORMATION)((PUCHAR)Entry + Entry->NextEntryOffset);
    }
    return STATUS_SUCCESS;
}

/* NT's SYSTEM_THREAD_INFORMATION, after each process's entry in the task list. */
typedef struct _SC_THREAD_INFORMATION {
    LARGE_INTEGER KernelTime, UserTime, CreateTime;
    ULONG WaitTime;
    PVOID StartAddress;
    NATIVE_CLIENT_ID ClientId;
    LONG Priority, BasePriority;
    ULONG ContextSwitches, ThreadState, WaitReason;
} SC_THREAD_INFORMATION;

/* For a hung child: its threads' states and wait reasons (KTHREAD_STATE, KWAIT_REASON). */
static void ReportThreads(ULONG Pid)
{
    static UCHAR Buffer[32768];
    PSYSTEM_PROCESS_INFORMATION Entry = (PSYSTEM_PROCESS_INFORMATION)Buffer;
    SC_THREAD_INFORMATION *Thread;
    PST_LINE Line;
    ULONG Length, Index;

    if (!NT_SUCCESS(NtQuerySystemInformation(SystemProcessInformation, Buffer, sizeof(Buffer), &Length)))
        return;
    for (;;) {
        if ((ULONG)(ULONG_PTR)Entry->UniqueProcessId == Pid || (ULONG)(ULONG_PTR)Entry->InheritedFromUniqueProcessId == Pid) {
            Line.Length = 0;
            PstAdd(&Line, "scfuzz:   PID ");
            PstAddDecimal(&Line, (ULONG)(ULONG_PTR)Entry->UniqueProcessId);
            PstAdd(&Line, " parent ");
            PstAddDecimal(&Line, (ULONG)(ULONG_PTR)Entry->InheritedFromUniqueProcessId);
            PstAdd(&Line, ": ");
            PstAddDecimal(&Line, Entry->NumberOfThreads);
            PstAdd(&Line, " threads, ");
            PstAddDecimal(&Line, Entry->HandleCount);
            PstAdd(&Line, " handles");
            PstWriteLine(&Line);
            Thread = (SC_THREAD_INFORMATION *)(Entry + 1);
            for (Index = 0; Index < Entry->NumberOfThreads; Index++, Thread++) {
                Line.Length = 0;
                PstAdd(&Line, "scfuzz:   PID ");
                PstAddDecimal(&Line, (ULONG)(ULONG_PTR)Entry->UniqueProcessId);
                PstAdd(&Line, " thread ");
                PstAddDecimal(&Line, (ULONG)(ULONG_PTR)Thread->ClientId.UniqueThread);
                PstAdd(&Line, " state ");
                PstAddDecimal(&Line, Thread->ThreadState);
                PstAdd(&Line, " wait reason ");
                PstAddDecimal(&Line, Thread->WaitReason);
                PstAdd(&Line, " start ");
                PstAddHex(&Line, (ULONG)(ULONG_PTR)Thread->StartAddress);
                PstWriteLine(&Line);
            }
        }
        if (Entry->NextEntryOffset == 0)
            break;
        Entry = (PSYSTEM_PROCESS_INFORMATION)((PUCHAR)Entry + Entry->NextEntryOffset);
    }
}

static NTSTATUS OpenByCid(ULONG Pid, ULONG Tid, HANDLE *Handle)
{
    NATIVE_CLIENT_ID Cid = { (HANDLE)(ULONG_PTR)Pid, (HANDLE)(ULONG_PTR)Tid };
    OBJECT_ATTRIBUTES Attributes;

    InitializeObjectAttributes(&Attributes, NULL, 0, NULL, NULL);
    if (Tid != 0)
        return NtOpenThread(Handle, THREAD_QUERY_INFORMATION, &Attributes, (PVOID)&Cid);
    return NtOpenProcess(Handle, PROCESS_ALL_ACCESS, &Attributes, &Cid);
}

/* Ends what a child left running: processes it made (its victim among them). */
static void EndDescendants(ULONG Pid)
{
    ULONG Children[16], Count = 0, Processes, Index;
    LARGE_INTEGER Timeout;
    HANDLE Process;

    if (!NT_SUCCESS(QueryTasks(0, NULL, &Processes, Pid, Children, 16, &Count)))
        return;
    for (Index = 0; Index < Count; Index++) {
        EndDescendants(Children[Index]);
        if (NT_SUCCESS(OpenByCid(Children[Index], 0, &Process))) {
            NtTerminateProcess(Process, 0xDEAD);
            Timeout.QuadPart = -10000LL * 5000;
            if (NtWaitForSingleObject(Process, FALSE, &Timeout) != STATUS_SUCCESS)
                Failure("a process the child left would not end: PID ", Children[Index], NULL);
            NtClose(Process);
        }
    }
}

static NTSTATUS StartChild(ULONG ChildSeed, ULONG Calls, RTL_USER_PROCESS_INFORMATION *Info)
{
    UNICODE_STRING Image, DosImage, Command, Directory;
    NATIVE_PROCESS_PARAMETERS *Parameters;
    WCHAR Text[80];
    char Numbers[40], *End;
    ULONG Length = 0, Index;
    NTSTATUS Status;

    for (Index = 0; SC_IMAGE_DOS[Index]; Index++)
        Text[Length++] = SC_IMAGE_DOS[Index];
    End = Numbers;
    *End++ = ' ';
    End = NativeFormatDecimal(End, ChildSeed);
    *End++ = ' ';
    NativeFormatDecimal(End, Calls);
    for (Index = 0; L" child"[Index]; Index++)
        Text[Length++] = L" child"[Index];
    for (Index = 0; Numbers[Index]; Index++)
        Text[Length++] = (WCHAR)Numbers[Index];
    Text[Length] = 0;
    RtlInitUnicodeString(&Image, SC_IMAGE_NT);
    RtlInitUnicodeString(&DosImage, SC_IMAGE_DOS);
    RtlInitUnicodeString(&Command, Text);
    RtlInitUnicodeString(&Directory, SC_DIRECTORY_DOS);
    Status = RtlCreateProcessParameters(&Parameters, &DosImage, NULL, &Directory, &Command, NULL, NULL, NULL, NULL,
                                        NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlCreateUserProcess(&Image, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL,
                                  Info);
    RtlDestroyProcessParameters(Parameters);
    return Status;
}

/* The folder the children work in (made again each time: a child may rename it). */
static void MakeDirectory(void)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK IoStatus;
    HANDLE Handle;

    InitializeAttributes(&Attributes, &Name, SC_DIRECTORY_NT);
    if (NT_SUCCESS(NtCreateFile(&Handle, FILE_LIST_DIRECTORY | SYNCHRONIZE, &Attributes, &IoStatus, NULL, 0,
                                FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN_IF,
                                FILE_SYNCHRONOUS_IO_NONALERT | FILE_DIRECTORY_FILE, NULL, 0)))
        NtClose(Handle);
}

typedef struct _SC_OBJECT_BASIC {
    ULONG Attributes;
    ACCESS_MASK GrantedAccess;
    ULONG HandleCount;
    ULONG PointerCount;
    ULONG Reserved[10];
} SC_OBJECT_BASIC;

static ULONG ParentMain(ULONG BaseSeed, ULONG Children, ULONG Calls, ULONG First)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    LARGE_INTEGER Size, Timeout;
    SC_OBJECT_BASIC Before, After;
    PVOID Base = NULL;
    SIZE_T ViewSize = 0;
    ULONG Child, TotalCalls = 0, Handles0 = 0, Processes0 = 0, Handles1 = 0, Processes1 = 0, Hangs = 0;
    ULONG Exits[8], ExitCounts[8], Distinct = 0, Index, Doors;
    PST_LINE Line;
    NTSTATUS Status;

    MyPid = (ULONG)(ULONG_PTR)((NATIVE_CLIENT_ID *)((PUCHAR)NtCurrentTeb() + 0x20))->UniqueProcess;
    Doors = CheckDoors();
    Say("the doors: ", Doors, " checks of service numbers and argument pointers");

    MakeDirectory();
    InitializeAttributes(&Attributes, &Name, SC_SHARED_NAME);
    Size.QuadPart = PAGE;
    Status = NtCreateSection(&SharedSection, SECTION_ALL_ACCESS, &Attributes, &Size, PAGE_READWRITE, SEC_COMMIT,
                             NULL);
    if (NT_SUCCESS(Status))
        Status = NtMapViewOfSection(SharedSection, NtCurrentProcess(), &Base, 0, 0, NULL, &ViewSize, ViewShare, 0,
                                    PAGE_READWRITE);
    if (!NT_SUCCESS(Status)) {
        Failure("cannot make the shared section: ", (ULONG)Status, NULL);
        return 1;
    }
    Shared = Base;
    QueryTasks(MyPid, &Handles0, &Processes0, 0, NULL, 0, NULL);
    NtQueryObject(SharedSection, ObjectBasicInformation, &Before, sizeof(Before), NULL);

    for (Child = First; Child < First + Children; Child++) {
        RTL_USER_PROCESS_INFORMATION Info;
        PROCESS_BASIC_INFORMATION Basic;
        ULONG ChildSeed = BaseSeed * 65537 + Child, ChildPid, ChildTid;
        NTSTATUS ExitStatus = 0;
        HANDLE Stale;

        MakeDirectory();
        Shared->Calls = 0;
        Shared->Service = 0xFFFFFFFF;
        Shared->Finale = 0;
        Status = StartChild(ChildSeed, Calls, &Info);
        if (!NT_SUCCESS(Status)) {
            Failure("cannot start a child: ", (ULONG)Status, NULL);
            break;
        }
        ChildPid = (ULONG)(ULONG_PTR)Info.ClientId.UniqueProcess;
        ChildTid = (ULONG)(ULONG_PTR)Info.ClientId.UniqueThread;
        NtResumeThread(Info.Thread, NULL);
        Timeout.QuadPart = -10000LL * CHILD_TIMEOUT_MS;
        Status = NtWaitForSingleObject(Info.Process, FALSE, &Timeout);
        if (Status != STATUS_SUCCESS) {
            Line.Length = 0;
            PstAdd(&Line, "scfuzz: child seed ");
            PstAddDecimal(&Line, ChildSeed);
            PstAdd(&Line, " hung after ");
            PstAddDecimal(&Line, Shared->Calls);
            PstAdd(&Line, " calls, in ");
            PstAdd(&Line, Shared->Service < SERVICE_COUNT ? Services[Shared->Service].Name : "its setup");
            PstAdd(&Line, Shared->Finale ? " (its last call)" : "");
            PstWriteLine(&Line);
            KernelFailures++;
            Hangs++;
            ReportThreads(ChildPid);
            NtTerminateProcess(Info.Process, 0xDEAD);
            Timeout.QuadPart = -10000LL * 5000;
            if (NtWaitForSingleObject(Info.Process, FALSE, &Timeout) != STATUS_SUCCESS) {
                Say("  and NtTerminateProcess did not end it:", 0, NULL);
                ReportThreads(ChildPid);
            }
        }
        if (NT_SUCCESS(NtQueryInformationProcess(Info.Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL)))
            ExitStatus = Basic.ExitStatus;
        TotalCalls += Shared->Calls;
        for (Index = 0; Index < Distinct && Exits[Index] != (ULONG)ExitStatus; Index++)
            ;
        if (Index == Distinct && Distinct < 8) {
            Exits[Distinct] = (ULONG)ExitStatus;
            ExitCounts[Distinct++] = 0;
        }
        if (Index < Distinct)
            ExitCounts[Index]++;
        EndDescendants(ChildPid);
        NtClose(Info.Thread);
        NtClose(Info.Process);
        /* Nothing may keep the child's objects: their client IDs open nothing now. */
        if (NT_SUCCESS(OpenByCid(ChildPid, 0, &Stale))) {
            Failure("a child's process object outlived its handles: PID ", ChildPid, NULL);
            NtClose(Stale);
        }
        if (NT_SUCCESS(OpenByCid(0, ChildTid, &Stale))) {
            Failure("a child's thread object outlived its handles: TID ", ChildTid, NULL);
            NtClose(Stale);
        }
    }

    QueryTasks(MyPid, &Handles1, &Processes1, 0, NULL, 0, NULL);
    NtQueryObject(SharedSection, ObjectBasicInformation, &After, sizeof(After), NULL);
    Line.Length = 0;
    PstAdd(&Line, "scfuzz: children ended with");
    for (Index = 0; Index < Distinct; Index++) {
        PstAdd(&Line, " ");
        PstAddHex(&Line, Exits[Index]);
        PstAdd(&Line, " x");
        PstAddDecimal(&Line, ExitCounts[Index]);
    }
    PstWriteLine(&Line);
    if (Handles1 != Handles0)
        Failure("the parent's handle count did not come back: ", Handles1, NULL);
    if (Processes1 != Processes0)
        Failure("the number of processes did not come back: ", Processes1, NULL);
    if (After.HandleCount != Before.HandleCount || After.PointerCount != Before.PointerCount)
        Failure("references to the shared section leaked: pointer count ", After.PointerCount, NULL);

    Line.Length = 0;
    PstAdd(&Line, "scfuzz: ");
    PstAddDecimal(&Line, TotalCalls);
    PstAdd(&Line, " calls in ");
    PstAddDecimal(&Line, Child - First);
    PstAdd(&Line, " children, ");
    PstAddDecimal(&Line, KernelFailures);
    PstAdd(&Line, " kernel failures");
    PstWriteLine(&Line);
    (void)Hangs;
    return KernelFailures == 0 ? 0 : 1;
}

/* The entry point: "child SEED CALLS" is a child, anything else the parent. */
ULONG NTAPI ScFuzzStart(PVOID Peb)
{
    char Buffer[128];
    char *Words[5];
    ULONG Count = PstSplitCommandLine(Buffer, sizeof(Buffer), Words, 5);

    (void)Peb;
    if (Count == 3 && PstEqual(Words[0], "child"))
        NtTerminateProcess(NtCurrentProcess(), ChildMain(PstParseNumber(Words[1]), PstParseNumber(Words[2])));
    return ParentMain(Count >= 1 ? PstParseNumber(Words[0]) : DEFAULT_SEED,
                      Count >= 2 ? PstParseNumber(Words[1]) : DEFAULT_CHILDREN,
                      Count >= 3 ? PstParseNumber(Words[2]) : DEFAULT_CALLS,
                      Count >= 4 ? PstParseNumber(Words[3]) : 0);
}

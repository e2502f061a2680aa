/*
 * child.c - the child (scfuzz.exe child SEED CALLS): its world (the section it
 * shares with the parent, its pages, one object of each type, stale handles, a
 * victim thread and an idle victim process), its CALLS tamed calls, and the last
 * call, one that may well end it.
 */
#include "scfuzz.h"

/* The child's world (scfuzz.h; args.c draws the arguments from it): its region
   (the RG_* pages), its IDs, its handles of every kind, its victims. */
PUCHAR Region;
ULONG MyPid, MyTid;

HANDLE StaticHandles[STATIC_HANDLES];
ULONG StaticCount;
HANDLE DynamicHandles[DYNAMIC_HANDLES];
ULONG DynamicNext;
HANDLE VictimThread;
NATIVE_CLIENT_ID VictimProcessCid, VictimThreadCid;
static HANDLE VictimProcess, VictimEvent;
static volatile LONG VictimStop;

static NTSTATUS NTAPI VictimThreadRoutine(PVOID Parameter)
{
    (void)Parameter;
    while (!VictimStop)
        NtWaitForSingleObject(VictimEvent, FALSE, NULL);
    return 0;
}

static void AddHandle(HANDLE Handle)
{
    if (StaticCount < STATIC_HANDLES)
        StaticHandles[StaticCount++] = Handle;
}

/* The child's world: its pages, one object of each type, its victims. */
static NTSTATUS ChildSetup(void)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name, Target;
    IO_STATUS_BLOCK IoStatus;
    LARGE_INTEGER Size;
    NATIVE_PROCESS_PARAMETERS *Parameters;
    RTL_USER_PROCESS_INFORMATION Info;
    HANDLE Handle;
    PVOID Base = NULL;
    SIZE_T Length = RG_PAGES * PAGE, ViewSize = 0;
    ULONG Old;
    NTSTATUS Status;

    InitializeAttributes(&Attributes, &Name, SC_SHARED_NAME);
    Status = NtOpenSection(&SharedSection, SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY, &Attributes);
    if (NT_SUCCESS(Status))
        Status = NtMapViewOfSection(SharedSection, NtCurrentProcess(), &Base, 0, 0, NULL, &ViewSize, ViewShare, 0,
                                    PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    Shared = Base;
    AddHandle(SharedSection);

    Base = NULL;
    Status = NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Length, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    Region = Base;
    Base = Region + RG_READONLY * PAGE;
    Length = PAGE;
    NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Length, PAGE_READONLY, &Old);
    Guard();
    Base = Region + RG_UNMAPPED * PAGE;
    Length = PAGE;
    NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Length, MEM_DECOMMIT);

    /* One of each type (names under \BaseNamedObjects are this child's). */
    if (NT_SUCCESS(NtCreateEvent(&VictimEvent, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE)))
        NtSetInformationObject(VictimEvent, 4 /* ObjectHandleFlagInformation */, "\0\1", 2);
    if (NT_SUCCESS(NtCreateEvent(&Handle, EVENT_ALL_ACCESS, NULL, NotificationEvent, TRUE)))
        AddHandle(Handle);
    if (NT_SUCCESS(NtCreateSemaphore(&Handle, SEMAPHORE_ALL_ACCESS, NULL, 1, 4)))
        AddHandle(Handle);
    if (NT_SUCCESS(NtCreateMutant(&Handle, MUTANT_ALL_ACCESS, NULL, TRUE)))
        AddHandle(Handle);
    if (NT_SUCCESS(NtCreateTimer(&Handle, TIMER_ALL_ACCESS, NULL, 0)))
        AddHandle(Handle);
    Size.QuadPart = 0x10000;
    if (NT_SUCCESS(NtCreateSection(&Handle, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READWRITE, SEC_COMMIT, NULL)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, L"\\BaseNamedObjects\\ScFuzzDirectory");
    if (NT_SUCCESS(NtCreateDirectoryObject(&Handle, 0xF000F /* DIRECTORY_ALL_ACCESS */, &Attributes)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, L"\\BaseNamedObjects\\ScFuzzLink");
    RtlInitUnicodeString(&Target, L"\\Device\\Null");
    if (NT_SUCCESS(NtCreateSymbolicLinkObject(&Handle, 0xF0001 /* SYMBOLIC_LINK_ALL_ACCESS */, &Attributes, &Target)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, L"\\??\\C:\\ScFuzzDir\\a.tmp");
    if (NT_SUCCESS(NtCreateFile(&Handle, GENERIC_READ | GENERIC_WRITE | DELETE | SYNCHRONIZE, &Attributes, &IoStatus,
                                NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OVERWRITE_IF,
                                FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, NULL, 0)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, SC_DIRECTORY_NT);
    if (NT_SUCCESS(NtOpenFile(&Handle, FILE_LIST_DIRECTORY | SYNCHRONIZE, &Attributes, &IoStatus,
                              FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT | FILE_DIRECTORY_FILE)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, L"\\Device\\Null");
    if (NT_SUCCESS(NtOpenFile(&Handle, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &Attributes, &IoStatus, 0,
                              FILE_SYNCHRONOUS_IO_NONALERT)))
        AddHandle(Handle);
    /* Stale: closed, so its value names nothing (or, later, something else). */
    if (NT_SUCCESS(NtCreateEvent(&Handle, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE))) {
        NtClose(Handle);
        AddHandle(Handle);
    }

    /* The victims: a thread of this process, and an idle process left suspended. */
    Status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, VictimThreadRoutine, NULL, &VictimThread,
                                 &VictimThreadCid);
    if (NT_SUCCESS(Status))
        AddHandle(VictimThread);
    RtlInitUnicodeString(&Name, SC_VICTIM_NT);
    Status = RtlCreateProcessParameters(&Parameters, &Name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    if (NT_SUCCESS(Status)) {
        Status = RtlCreateUserProcess(&Name, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL,
                                      &Info);
        RtlDestroyProcessParameters(Parameters);
    }
    if (NT_SUCCESS(Status)) {
        VictimProcess = Info.Process;
        VictimProcessCid = Info.ClientId;
        AddHandle(Info.Process);
        AddHandle(Info.Thread);
    }
    return STATUS_SUCCESS;
}

/* The last call: one that may well end the child. */
static void ChildFinale(void)
{
    static CONTEXT Context;
    static EXCEPTION_RECORD Record;
    ULONG Arguments[3];
    LARGE_INTEGER Short;

    Shared->Finale = 1;
    /* The victim thread goes first, so that ending this thread ends the process. */
    VictimStop = 1;
    NtSetEvent(VictimEvent, NULL);
    Short.QuadPart = -10000 * 100;
    NtWaitForSingleObject(VictimThread, FALSE, &Short);
    MakeContext(&Context);
    FillRandom(&Record, sizeof(Record));
    Record.ExceptionRecord = NULL;
    Record.NumberParameters = Below(20);
    switch (Below(7)) {
    case 0:
        Shared->Service = ServiceIndex(&ScImport_NtContinue);
        Arguments[0] = (ULONG)(ULONG_PTR)&Context;
        Arguments[1] = Below(2);
        ScCall(ScImport_NtContinue, 2, Arguments);
        break;
    case 1:
        Shared->Service = ServiceIndex(&ScImport_NtSetContextThread);
        Arguments[0] = (ULONG)(ULONG_PTR)NtCurrentThread();
        Arguments[1] = (ULONG)(ULONG_PTR)&Context;
        ScCall(ScImport_NtSetContextThread, 2, Arguments);
        break;
    case 2:
        Shared->Service = ServiceIndex(&ScImport_NtRaiseException);
        Arguments[0] = (ULONG)(ULONG_PTR)&Record;
        Arguments[1] = (ULONG)(ULONG_PTR)&Context;
        Arguments[2] = Below(2);
        ScCall(ScImport_NtRaiseException, 3, Arguments);
        break;
    case 3:
        /* Every other thread first (those the calls made, suspended, among them):
           the last thread's end is the process's. */
        Shared->Service = ServiceIndex(&ScImport_NtTerminateProcess);
        NtTerminateProcess(NULL, Random());
        Shared->Service = ServiceIndex(&ScImport_NtTerminateThread);
        Arguments[0] = (ULONG)(ULONG_PTR)(Below(2) ? NtCurrentThread() : NULL);
        Arguments[1] = Random();
        ScCall(ScImport_NtTerminateThread, 2, Arguments);
        break;
    case 4:
        Shared->Service = ServiceIndex(&ScImport_NtTerminateProcess);
        Arguments[0] = (ULONG)(ULONG_PTR)NtCurrentProcess();
        Arguments[1] = Random();
        ScCall(ScImport_NtTerminateProcess, 2, Arguments);
        break;
    case 5: {
        ULONG Queue[5] = { (ULONG)(ULONG_PTR)NtCurrentThread(), Random(), Random(), Random(), Random() };
        Shared->Service = ServiceIndex(&ScImport_NtQueueApcThread);
        if (Below(2))
            Queue[1] = BadAddress();
        ScCall(ScImport_NtQueueApcThread, 5, Queue);
        ScCall(ScImport_NtTestAlert, 0, Arguments);
        break;
    }
    default: {
        /* A hostile call with every argument of any kind, untamed. */
        const SC_SERVICE *Service = &Services[Below(SERVICE_COUNT)];
        ULONG Any[MAX_ARGUMENTS], Index;
        Shared->Service = (ULONG)(Service - Services);
        for (Index = 0; Service->Kinds[Index] != 0; Index++)
            Any[Index] = Argument(Service, Index, Service->Kinds[Index]);
        if (Service->Flags & SCF_WAIT) {     /* still not forever */
            for (Index = 0; Service->Kinds[Index] != 0; Index++)
                if (Service->Kinds[Index] == 'T')
                    Any[Index] = MakeTimeout(Index, TRUE);
        }
        ScCall(*Service->Import, Index, Any);
        break;
    }
    }
}

ULONG ChildMain(ULONG ChildSeed, ULONG Calls)
{
    ULONG Call, Index;
    ULONG Arguments[MAX_ARGUMENTS];
    NATIVE_THREAD_BASIC_INFORMATION Me;
    NTSTATUS Status;

    Seed(ChildSeed);
    NtQueryInformationThread(NtCurrentThread(), (THREADINFOCLASS)0, &Me, sizeof(Me), NULL);
    MyPid = (ULONG)(ULONG_PTR)Me.ClientId.UniqueProcess;
    MyTid = (ULONG)(ULONG_PTR)Me.ClientId.UniqueThread;
    Status = ChildSetup();
    if (!NT_SUCCESS(Status))
        return (ULONG)Status;
    for (Index = 0; Index < DYNAMIC_HANDLES; Index++)
        DynamicHandles[Index] = AnyHandle();

    for (Call = 0; Call < Calls; Call++) {
        const SC_SERVICE *Service = &Services[Below(SERVICE_COUNT)];

        for (Index = 0; Service->Kinds[Index] != 0; Index++)
            Arguments[Index] = Argument(Service, Index, Service->Kinds[Index]);
        Tame(Service, Arguments);
        Shared->Service = (ULONG)(Service - Services);
        Shared->Calls++;
        Status = (NTSTATUS)ScCall(*Service->Import, Index, Arguments);
        Harvest(Service, Arguments, Status);
        if ((Call & 15) == 15)
            Guard();
    }
    Shared->Calls++;
    ChildFinale();
    return 0;
}

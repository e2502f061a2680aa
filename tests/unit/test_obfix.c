/*
 * test_obfix.c - the object manager's host-test fixtures (see test_obfix.h).
 */
#include "test_obfix.h"

POBJECT_TYPE TestObjectType, TestGuardedType, TestDeviceType, TestProcessType, TestPagedType;
/* The I/O manager's File type, which oblookup.c asks about: NULL, or a test type standing for it. */
POBJECT_TYPE IoFileObjectType;
TEST_CALLS TestCalls;
TEST_PARSE TestParse;

/* Blocks other than handle-table pages, which a table keeps once it has grown. */
#define HANDLE_TABLE_TAG EX_POOL_TAG('O', 'b', 't', 'b')
static ULONG BaselineBlocks;

static ULONG TestObjectBlocks(VOID)
{
    return TestPoolLiveBlocks() - TestPoolLiveBlocksWithTag(HANDLE_TABLE_TAG);
}
static LONG BaselineKernelHandles;
static PVOID CurrentProcess, CurrentThread;

/* ---- the procedures ---- */

static NTSTATUS TestOpenProcedure(OB_OPEN_REASON OpenReason, PEPROCESS Process, PVOID Object,
                                  ACCESS_MASK GrantedAccess, ULONG HandleCount)
{
    (void)Object;
    TestCalls.Opens++;
    TestCalls.LastOpenReason = OpenReason;
    TestCalls.LastOpenProcess = Process;
    TestCalls.LastOpenAccess = GrantedAccess;
    TestCalls.LastOpenHandleCount = HandleCount;
    return TestCalls.OpenResult;
}

static VOID TestCloseProcedure(PEPROCESS Process, PVOID Object, ACCESS_MASK GrantedAccess,
                               ULONG ProcessHandleCount, ULONG SystemHandleCount)
{
    (void)Object;
    TestCalls.Closes++;
    TestCalls.LastCloseProcess = Process;
    TestCalls.LastCloseAccess = GrantedAccess;
    TestCalls.LastCloseProcessCount = ProcessHandleCount;
    TestCalls.LastCloseSystemCount = SystemHandleCount;
}

static VOID TestDeleteProcedure(PVOID Object)
{
    TestCalls.Deletes++;
    TestCalls.LastDeleted = Object;
}

static BOOLEAN TestOkayToClose(PEPROCESS Process, PVOID Object, HANDLE Handle, KPROCESSOR_MODE PreviousMode)
{
    (void)Process;
    (void)Object;
    (void)Handle;
    (void)PreviousMode;
    TestCalls.OkayToCloseCalls++;
    return TestCalls.OkayToClose;
}

static VOID TestAscii(PCUNICODE_STRING String, char *Out, SIZE_T Size)
{
    SIZE_T Index, Length = String->Length / sizeof(WCHAR);

    for (Index = 0; Index < Length && Index < Size - 1; Index++)
        Out[Index] = (char)String->Buffer[Index];
    Out[Index] = 0;
}

static NTSTATUS TestParseProcedure(PVOID ParseObject, PVOID ObjectType, PACCESS_STATE AccessState,
                                   KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                                   PUNICODE_STRING RemainingName, PVOID Context,
                                   PSECURITY_QUALITY_OF_SERVICE SecurityQos, PVOID *Object)
{
    (void)ParseObject;
    (void)AccessState;
    (void)SecurityQos;
    TestParse.Calls++;
    TestAscii(RemainingName, TestParse.Remaining, sizeof(TestParse.Remaining));
    TestAscii(CompleteName, TestParse.Complete, sizeof(TestParse.Complete));
    TestParse.ObjectType = ObjectType;
    TestParse.Attributes = Attributes;
    TestParse.Context = Context;
    TestParse.AccessMode = AccessMode;
    *Object = NULL;
    if (TestParse.ReparseTo != NULL) {
        SIZE_T Index, Length = strlen(TestParse.ReparseTo);
        PWSTR Buffer = ExAllocatePoolWithTag(PagedPool, (Length + 1) * sizeof(WCHAR), OB_NAME_TAG);

        if (Buffer == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        for (Index = 0; Index <= Length; Index++)
            Buffer[Index] = (UCHAR)TestParse.ReparseTo[Index];
        CompleteName->Buffer = Buffer;      /* the old block is the lookup's to free */
        CompleteName->Length = (USHORT)(Length * sizeof(WCHAR));
        CompleteName->MaximumLength = (USHORT)(CompleteName->Length + sizeof(WCHAR));
        TestParse.ReparseTo = NULL;         /* once */
        return STATUS_REPARSE;
    }
    if (NT_SUCCESS(TestParse.Result) && TestParse.Object != NULL) {
        ObReferenceObject(TestParse.Object);
        *Object = TestParse.Object;
    }
    return TestParse.Result;
}

static VOID TestProcessDelete(PVOID Object)
{
    PTEST_PROCESS Process = Object;

    TestCalls.Deletes++;
    if (Process->ObjectTable != NULL)
        ObKillProcess(Process->ObjectTable);
}

/* ---- the hooks ---- */

static PVOID TestCurrentProcessHook(VOID)
{
    return CurrentProcess;
}

static PVOID TestCurrentThreadHook(VOID)
{
    return CurrentThread;
}

static PHANDLE_TABLE TestProcessTableHook(PVOID Object)
{
    if (OBJECT_TO_OBJECT_HEADER(Object)->Type != TestProcessType)
        return NULL;
    return ((PTEST_PROCESS)Object)->ObjectTable;
}

VOID TestSetCurrentProcess(PTEST_PROCESS Process, PVOID Thread)
{
    CurrentProcess = Process;
    CurrentThread = Thread;
    ObpCurrentProcessObject = Process != NULL ? TestCurrentProcessHook : NULL;
    ObpCurrentThreadObject = Process != NULL ? TestCurrentThreadHook : NULL;
    ObpProcessObjectTable = Process != NULL ? TestProcessTableHook : NULL;
}

/* ---- types, once per program ---- */

static POBJECT_TYPE TestMakeType(const char *Name, BOOLEAN CaseInsensitive, OB_PARSE_METHOD Parse,
                                 OB_OKAYTOCLOSE_METHOD OkayToClose, OB_DELETE_METHOD Delete)
{
    OBJECT_TYPE_INITIALIZER Initializer;
    UNICODE_STRING TypeName;
    POBJECT_TYPE Type;

    memset(&Initializer, 0, sizeof(Initializer));
    Initializer.Length = sizeof(Initializer);
    Initializer.CaseInsensitive = CaseInsensitive;
    Initializer.PoolType = NonPagedPool;
    Initializer.ValidAccessMask = TEST_ALL_ACCESS;
    Initializer.GenericMapping.GenericRead = STANDARD_RIGHTS_READ | TEST_QUERY;
    Initializer.GenericMapping.GenericWrite = STANDARD_RIGHTS_WRITE | TEST_MODIFY;
    Initializer.GenericMapping.GenericExecute = STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE | TEST_RUN;
    Initializer.GenericMapping.GenericAll = TEST_ALL_ACCESS;
    Initializer.OpenProcedure = TestOpenProcedure;
    Initializer.CloseProcedure = TestCloseProcedure;
    Initializer.DeleteProcedure = Delete;
    Initializer.ParseProcedure = Parse;
    Initializer.OkayToCloseProcedure = OkayToClose;
    TestInitString(&TypeName, Name);
    assert_int_equal(ObCreateObjectType(&TypeName, &Initializer, NULL, &Type), STATUS_SUCCESS);
    return Type;
}

static VOID TestStartObjectManager(VOID)
{
    static BOOLEAN Started;

    if (Started)
        return;
    Started = TRUE;
    ObInitSystem();
    TestObjectType = TestMakeType("TestObject", FALSE, NULL, NULL, TestDeleteProcedure);
    TestGuardedType = TestMakeType("TestGuarded", FALSE, NULL, TestOkayToClose, TestDeleteProcedure);
    TestDeviceType = TestMakeType("TestDevice", TRUE, TestParseProcedure, NULL, TestDeleteProcedure);
    TestProcessType = TestMakeType("TestProcess", FALSE, NULL, NULL, TestProcessDelete);
    {
        OBJECT_TYPE_INITIALIZER Initializer;
        UNICODE_STRING TypeName;

        memset(&Initializer, 0, sizeof(Initializer));
        Initializer.Length = sizeof(Initializer);
        Initializer.PoolType = PagedPool;
        Initializer.InvalidAttributes = OBJ_PERMANENT;
        Initializer.ValidAccessMask = TEST_ALL_ACCESS;
        Initializer.GenericMapping.GenericAll = TEST_ALL_ACCESS;
        TestInitString(&TypeName, "TestPaged");
        assert_int_equal(ObCreateObjectType(&TypeName, &Initializer, NULL, &TestPagedType), STATUS_SUCCESS);
    }
}

int TestObSetup(void **State)
{
    (void)State;
    TestStartObjectManager();
    memset(&TestCalls, 0, sizeof(TestCalls));
    memset(&TestParse, 0, sizeof(TestParse));
    TestCalls.OpenResult = STATUS_SUCCESS;
    TestCalls.OkayToClose = TRUE;
    TestIrql = PASSIVE_LEVEL;
    TestPreviousMode = KernelMode;
    TestPoolFailAt(0);
    BaselineBlocks = TestObjectBlocks();
    BaselineKernelHandles = ObpKernelHandleTable->HandleCount;
    return 0;
}

int TestObTeardown(void **State)
{
    (void)State;
    TestPoolFailAt(0);
    TestPreviousMode = KernelMode;
    TestIrql = PASSIVE_LEVEL;
    assert_null(ObpCurrentProcessObject);
    assert_int_equal(ObpKernelHandleTable->HandleCount, BaselineKernelHandles);
    assert_int_equal(TestObjectBlocks(), BaselineBlocks);
    return 0;
}

/* ---- helpers ---- */

NTSTATUS TestCreate(POBJECT_TYPE Type, const char *Name, ULONG Attributes, HANDLE Root, ACCESS_MASK Access,
                    PHANDLE Handle)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING String;
    NTSTATUS Status;
    PVOID Object;

    if (Name != NULL)
        TestInitString(&String, Name);
    InitializeObjectAttributes(&ObjectAttributes, Name != NULL ? &String : NULL, Attributes, Root, NULL);
    Status = ObCreateObject(KernelMode, Type, &ObjectAttributes, KernelMode, NULL,
                            Type == TestProcessType ? sizeof(TEST_PROCESS) : sizeof(TEST_BODY), 0, 0, &Object);
    if (!NT_SUCCESS(Status))
        return Status;
    return ObInsertObject(Object, NULL, Access, 0, NULL, Handle);
}

PVOID TestNewObject(ACCESS_MASK Access, PHANDLE Handle)
{
    assert_int_equal(TestCreate(TestObjectType, NULL, 0, NULL, Access, Handle), STATUS_SUCCESS);
    return TestObjectOf(*Handle);
}

NTSTATUS TestOpen(POBJECT_TYPE Type, const char *Name, ULONG Attributes, HANDLE Root, ACCESS_MASK Access,
                  PHANDLE Handle)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING String;

    TestInitString(&String, Name);
    InitializeObjectAttributes(&ObjectAttributes, &String, Attributes, Root, NULL);
    return ObOpenObjectByName(&ObjectAttributes, Type, KernelMode, NULL, Access, NULL, Handle);
}

PVOID TestObjectOf(HANDLE Handle)
{
    PVOID Object;

    if (!NT_SUCCESS(ObReferenceObjectByHandle(Handle, 0, NULL, KernelMode, &Object, NULL)))
        return NULL;
    ObDereferenceObject(Object);
    return Object;
}

LONG TestPointerCount(PVOID Object)
{
    return OBJECT_TO_OBJECT_HEADER(Object)->PointerCount;
}

LONG TestHandleCount(PVOID Object)
{
    return OBJECT_TO_OBJECT_HEADER(Object)->HandleCount;
}

const char *TestNameOf(HANDLE Handle)
{
    static char Ascii[512];
    static UCHAR Buffer[1024];
    POBJECT_NAME_INFORMATION Info = (POBJECT_NAME_INFORMATION)Buffer;
    ULONG Returned;

    assert_int_equal(NtQueryObject(Handle, ObjectNameInformation, Info, sizeof(Buffer), &Returned),
                     STATUS_SUCCESS);
    TestAscii(&Info->Name, Ascii, sizeof(Ascii));
    return Ascii;
}

PTEST_PROCESS TestCreateProcess(PHANDLE_TABLE ParentTable, BOOLEAN InheritHandles)
{
    PTEST_PROCESS Process;

    assert_int_equal(ObCreateObject(KernelMode, TestProcessType, NULL, KernelMode, NULL, sizeof(TEST_PROCESS),
                                    0, 0, (PVOID *)&Process), STATUS_SUCCESS);
    assert_int_equal(ObInsertObject(Process, NULL, 0, 0, NULL, NULL), STATUS_SUCCESS);
    assert_int_equal(ObInitProcess(ParentTable, InheritHandles, (PEPROCESS)Process, &Process->ObjectTable),
                     STATUS_SUCCESS);
    return Process;
}

VOID TestKillProcess(PTEST_PROCESS Process)
{
    ObKillProcess(Process->ObjectTable);
    Process->ObjectTable = NULL;
}

NTSTATUS TestCreateDirectory(const char *Name, HANDLE Root, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING String;

    TestInitString(&String, Name);
    InitializeObjectAttributes(&ObjectAttributes, &String, 0, Root, NULL);
    return NtCreateDirectoryObject(Handle, DIRECTORY_ALL_ACCESS, &ObjectAttributes);
}

NTSTATUS TestCreateLink(const char *Name, const char *Target, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING String, TargetString;

    TestInitString(&String, Name);
    TestInitString(&TargetString, Target);
    InitializeObjectAttributes(&ObjectAttributes, &String, 0, NULL, NULL);
    return NtCreateSymbolicLinkObject(Handle, SYMBOLIC_LINK_ALL_ACCESS, &ObjectAttributes, &TargetString);
}

VOID TestSweepFailures(NTSTATUS (*Operation)(VOID), VOID (*Undo)(VOID), ULONG MinimumAllocations)
{
    ULONG Nth, Blocks, Handles, Objects;
    NTSTATUS Status;

    for (Nth = 1;; Nth++) {
        Blocks = TestObjectBlocks();
        Handles = ObpKernelHandleTable->HandleCount;
        Objects = TestObjectType->TotalNumberOfObjects + ObpDirectoryObjectType->TotalNumberOfObjects +
                  ObpSymbolicLinkObjectType->TotalNumberOfObjects;
        TestPoolFailAt(Nth);
        Status = Operation();
        if (!TestPoolFailureHappened())
            break;
        TestPoolFailAt(0);
        assert_int_equal(Status, STATUS_INSUFFICIENT_RESOURCES);
        assert_int_equal(TestObjectBlocks(), Blocks);
        assert_int_equal(ObpKernelHandleTable->HandleCount, Handles);
        assert_int_equal(TestObjectType->TotalNumberOfObjects + ObpDirectoryObjectType->TotalNumberOfObjects +
                         ObpSymbolicLinkObjectType->TotalNumberOfObjects, Objects);
    }
    TestPoolFailAt(0);
    assert_true(NT_SUCCESS(Status));
    assert_true(Nth > MinimumAllocations);
    if (Undo != NULL)
        Undo();
}

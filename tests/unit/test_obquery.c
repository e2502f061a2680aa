/*
 * test_obquery.c - host tests of the object services' outputs and of their user-mode
 * side (kernel/ob/): NtQueryDirectoryObject, NtQueryObject with each class and NT's
 * length rules, every user pointer probed when the previous mode is UserMode, and
 * running out of memory in the namespace's paths.
 */
#include "test_obfix.h"

#define BNO "\\BaseNamedObjects"
#define ODI sizeof(OBJECT_DIRECTORY_INFORMATION)

static ULONG EntrySize(const char *Name, const char *Type)
{
    return ODI + (strlen(Name) + 1 + strlen(Type) + 1) * sizeof(WCHAR);
}

/* Whether Info (Count records and the zero one) names Name of Type, with its strings inside Buffer. */
static BOOLEAN Lists(POBJECT_DIRECTORY_INFORMATION Info, ULONG Count, PUCHAR Buffer, ULONG Length,
                     const char *Name, const char *Type)
{
    ULONG Index;

    for (Index = 0; Index < Count; Index++) {
        assert_true((PUCHAR)Info[Index].Name.Buffer >= Buffer + (Count + 1) * ODI);
        assert_true((PUCHAR)Info[Index].Name.Buffer + Info[Index].Name.MaximumLength <= Buffer + Length);
        assert_int_equal(Info[Index].Name.Buffer[Info[Index].Name.Length / 2], 0);
        if (TestStringEquals(&Info[Index].Name, Name) && TestStringEquals(&Info[Index].TypeName, Type))
            return TRUE;
    }
    return FALSE;
}

static void test_query_directory(void **State)
{
    static UCHAR Buffer[1024];
    POBJECT_DIRECTORY_INFORMATION Info = (POBJECT_DIRECTORY_INFORMATION)Buffer;
    HANDLE Dir, A, B, Sub, Link;
    ULONG Context = 77, Returned, Total, Index;

    (void)State;
    TestCreateDirectory(BNO "\\Q", NULL, &Dir);
    TestCreate(TestObjectType, "a", 0, Dir, 0, &A);
    TestCreate(TestObjectType, "bb", 0, Dir, 0, &B);
    TestCreateDirectory("Sub", Dir, &Sub);
    TestCreateLink(BNO "\\Q\\Lnk", "\\Nowhere", &Link);
    Total = ODI + EntrySize("a", "TestObject") + EntrySize("bb", "TestObject") + EntrySize("Sub", "Directory") +
            EntrySize("Lnk", "SymbolicLink");

    /* Everything at once. */
    memset(Buffer, 0xCC, sizeof(Buffer));
    assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned),
                     STATUS_SUCCESS);
    assert_int_equal(Returned, Total);
    assert_int_equal(Context, 4);
    assert_true(Lists(Info, 4, Buffer, Returned, "a", "TestObject"));
    assert_true(Lists(Info, 4, Buffer, Returned, "bb", "TestObject"));
    assert_true(Lists(Info, 4, Buffer, Returned, "Sub", "Directory"));
    assert_true(Lists(Info, 4, Buffer, Returned, "Lnk", "SymbolicLink"));
    assert_int_equal(Info[4].Name.Length, 0);
    assert_null(Info[4].Name.Buffer);
    assert_null(Info[4].TypeName.Buffer);
    /* Nothing more from there. */
    assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, sizeof(Buffer), FALSE, FALSE, &Context, &Returned),
                     STATUS_NO_MORE_ENTRIES);
    assert_int_equal(Returned, ODI);
    assert_int_equal(Context, 4);

    /* One at a time, in the same order. */
    Context = 0;
    for (Index = 0; Index < 4; Index++) {
        assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, sizeof(Buffer), TRUE, Index == 0, &Context, &Returned),
                         STATUS_SUCCESS);
        assert_int_equal(Context, Index + 1);
        assert_int_equal(Info[1].Name.Buffer, NULL);
    }
    assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, sizeof(Buffer), TRUE, FALSE, &Context, &Returned),
                     STATUS_NO_MORE_ENTRIES);

    /* A buffer for one entry: the rest waits (STATUS_MORE_ENTRIES). */
    assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, ODI + EntrySize("SymbolicLnk", "SymbolicLink"), FALSE,
                                            TRUE, &Context, &Returned), STATUS_MORE_ENTRIES);
    assert_int_equal(Context, 1);
    assert_int_equal(Info[1].Name.Length, 0);
    /* Too small for anything: one entry asked gets its size; several get MORE_ENTRIES
       with none, the context unchanged (NT's own quirk). */
    assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, 20, TRUE, TRUE, &Context, &Returned),
                     STATUS_BUFFER_TOO_SMALL);
    assert_true(Returned > 20);
    assert_int_equal(Context, 1);
    assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, Returned, TRUE, TRUE, &Context, &Returned), STATUS_SUCCESS);
    assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, 20, FALSE, TRUE, &Context, &Returned), STATUS_MORE_ENTRIES);
    assert_int_equal(Context, 0);

    /* Entries come and go with their names. */
    NtClose(A);
    assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned),
                     STATUS_SUCCESS);
    assert_int_equal(Context, 3);
    assert_false(Lists(Info, 3, Buffer, Returned, "a", "TestObject"));

    assert_int_equal(NtQueryDirectoryObject(A, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned),
                     STATUS_INVALID_HANDLE);
    assert_int_equal(NtQueryDirectoryObject(B, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned),
                     STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(B);
    NtClose(Sub);
    NtClose(Link);
    NtClose(Dir);
}

static void test_query_root(void **State)
{
    static UCHAR Buffer[4096];
    static const char *Names[] = { "Device", "??", "BaseNamedObjects", "Windows", "KernelObjects", "ObjectTypes" };
    POBJECT_DIRECTORY_INFORMATION Info = (POBJECT_DIRECTORY_INFORMATION)Buffer;
    ULONG Context, Returned, Index, Count;
    HANDLE Root;

    (void)State;
    TestOpen(ObpDirectoryObjectType, "\\", 0, NULL, DIRECTORY_QUERY, &Root);
    assert_int_equal(NtQueryDirectoryObject(Root, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned),
                     STATUS_SUCCESS);
    for (Count = 0; Info[Count].Name.Buffer != NULL; Count++)
        ;
    assert_int_equal(Count, 7);
    for (Index = 0; Index < RTL_NUMBER_OF(Names); Index++)
        assert_true(Lists(Info, Count, Buffer, Returned, Names[Index], "Directory"));
    assert_true(Lists(Info, Count, Buffer, Returned, "DosDevices", "SymbolicLink"));
    NtClose(Root);
}

static void test_query_object_basic_and_name(void **State)
{
    static UCHAR Buffer[512];
    POBJECT_NAME_INFORMATION Name = (POBJECT_NAME_INFORMATION)Buffer;
    OBJECT_BASIC_INFORMATION Basic;
    HANDLE Handle, Unnamed, Root, Link;
    ULONG Returned, Needed = sizeof(OBJECT_NAME_INFORMATION) + sizeof(BNO "\\Q1") * 2;

    (void)State;
    TestCreate(TestObjectType, BNO "\\Q1", OBJ_INHERIT, NULL, GENERIC_READ, &Handle);
    assert_int_equal(NtQueryObject(Handle, ObjectBasicInformation, &Basic, sizeof(Basic) - 1, &Returned),
                     STATUS_INFO_LENGTH_MISMATCH);
    assert_int_equal(NtQueryObject(Handle, ObjectBasicInformation, Buffer, sizeof(Basic) + 1, &Returned),
                     STATUS_INFO_LENGTH_MISMATCH);
    assert_int_equal(NtQueryObject(Handle, ObjectBasicInformation, &Basic, sizeof(Basic), &Returned),
                     STATUS_SUCCESS);
    assert_int_equal(Returned, sizeof(Basic));
    assert_int_equal(Basic.Attributes, OBJ_INHERIT);
    assert_int_equal(Basic.GrantedAccess, READ_CONTROL | TEST_QUERY);
    assert_int_equal(Basic.HandleCount, 1);
    assert_int_equal(Basic.PointerCount, 3);    /* the handle, the name, the query */
    assert_int_equal(Basic.NameInfoSize, Needed);
    assert_int_equal(Basic.TypeInfoSize, sizeof(OBJECT_TYPE_INFORMATION) + sizeof("TestObject") * 2);
    assert_int_equal(Basic.CreationTime.QuadPart, 0);

    /* The name: NT's INFO_LENGTH_MISMATCH with the size needed, then the name. */
    assert_int_equal(NtQueryObject(Handle, ObjectNameInformation, Buffer, Needed - 1, &Returned),
                     STATUS_INFO_LENGTH_MISMATCH);
    assert_int_equal(Returned, Needed);
    assert_int_equal(NtQueryObject(Handle, ObjectNameInformation, Buffer, Needed, &Returned), STATUS_SUCCESS);
    assert_true(TestStringEquals(&Name->Name, BNO "\\Q1"));
    assert_ptr_equal(Name->Name.Buffer, (PWSTR)(Name + 1));
    assert_int_equal(Name->Name.MaximumLength, Name->Name.Length + 2);

    /* Unnamed: an empty name. The root: "\". */
    TestCreate(TestObjectType, NULL, 0, NULL, 0, &Unnamed);
    assert_int_equal(NtQueryObject(Unnamed, ObjectNameInformation, Buffer, sizeof(Buffer), &Returned),
                     STATUS_SUCCESS);
    assert_int_equal(Returned, sizeof(OBJECT_NAME_INFORMATION));
    assert_int_equal(Name->Name.Length, 0);
    assert_null(Name->Name.Buffer);
    NtQueryObject(Unnamed, ObjectBasicInformation, &Basic, sizeof(Basic), NULL);
    assert_int_equal(Basic.NameInfoSize, 0);
    TestOpen(ObpDirectoryObjectType, "\\", 0, NULL, 0, &Root);
    assert_string_equal(TestNameOf(Root), "\\");
    /* A link tells when it was made. */
    TestCreateLink(BNO "\\QLink", "\\x", &Link);
    NtQueryObject(Link, ObjectBasicInformation, &Basic, sizeof(Basic), NULL);
    assert_true(Basic.CreationTime.QuadPart != 0);

    assert_int_equal(NtQueryObject(Handle, (OBJECT_INFORMATION_CLASS)99, Buffer, sizeof(Buffer), NULL),
                     STATUS_INVALID_INFO_CLASS);
    assert_int_equal(NtQueryObject((HANDLE)0x7E4, ObjectBasicInformation, &Basic, sizeof(Basic), NULL),
                     STATUS_INVALID_HANDLE);
    NtClose(Link);
    NtClose(Root);
    NtClose(Unnamed);
    NtClose(Handle);
}

static void test_query_object_types(void **State)
{
    static UCHAR Buffer[4096];
    POBJECT_TYPE_INFORMATION Type = (POBJECT_TYPE_INFORMATION)Buffer;
    POBJECT_TYPES_INFORMATION Types = (POBJECT_TYPES_INFORMATION)Buffer;
    ULONG Returned, Needed = sizeof(OBJECT_TYPE_INFORMATION) + ((sizeof("TestObject") * 2 + 3) & ~3);
    HANDLE Handle, Other;
    PUCHAR Cursor;

    (void)State;
    TestCreate(TestObjectType, NULL, 0, NULL, 0, &Handle);
    TestCreate(TestObjectType, NULL, 0, NULL, 0, &Other);
    assert_int_equal(NtQueryObject(Handle, ObjectTypeInformation, Buffer, Needed - 1, &Returned),
                     STATUS_INFO_LENGTH_MISMATCH);
    assert_int_equal(Returned, Needed);
    assert_int_equal(NtQueryObject(Handle, ObjectTypeInformation, Buffer, Needed, &Returned), STATUS_SUCCESS);
    assert_true(TestStringEquals(&Type->TypeName, "TestObject"));
    assert_ptr_equal(Type->TypeName.Buffer, (PWSTR)(Type + 1));
    assert_int_equal(Type->TotalNumberOfObjects, 2);
    assert_int_equal(Type->TotalNumberOfHandles, 2);
    assert_true(Type->HighWaterNumberOfObjects >= 2);
    assert_int_equal(Type->ValidAccessMask, TEST_ALL_ACCESS);
    assert_int_equal(Type->GenericMapping.GenericWrite, STANDARD_RIGHTS_WRITE | TEST_MODIFY);
    assert_int_equal(Type->PoolType, NonPagedPool);

    /* Every type, in the order made: Type, Directory, SymbolicLink, then ours. */
    {
        static const char *Order[] = { "Type", "Directory", "SymbolicLink", "TestObject", "TestGuarded",
                                       "TestDevice", "TestProcess", "TestPaged" };
        ULONG Index, Total = sizeof(ULONG);

        for (Index = 0; Index < RTL_NUMBER_OF(Order); Index++)
            Total += sizeof(OBJECT_TYPE_INFORMATION) + (((strlen(Order[Index]) + 1) * 2 + 3) & ~3);
        assert_int_equal(NtQueryObject(NULL, ObjectTypesInformation, Buffer, 3, &Returned),
                         STATUS_INFO_LENGTH_MISMATCH);
        assert_int_equal(Returned, Total);
        assert_int_equal(NtQueryObject(NULL, ObjectTypesInformation, Buffer, 200, &Returned),
                         STATUS_INFO_LENGTH_MISMATCH);
        assert_int_equal(Returned, Total);
        assert_int_equal(NtQueryObject(NULL, ObjectTypesInformation, Buffer, sizeof(Buffer), &Returned),
                         STATUS_SUCCESS);
        assert_int_equal(Returned, Total);
        assert_int_equal(Types->NumberOfTypes, RTL_NUMBER_OF(Order));
        Cursor = Buffer + sizeof(ULONG);
        for (Index = 0; Index < RTL_NUMBER_OF(Order); Index++) {
            Type = (POBJECT_TYPE_INFORMATION)Cursor;
            assert_true(TestStringEquals(&Type->TypeName, Order[Index]));
            assert_ptr_equal(Type->TypeName.Buffer, (PWSTR)(Type + 1));
            Cursor += sizeof(*Type) + ((Type->TypeName.MaximumLength + 3) & ~3);
        }
        assert_int_equal(Cursor - Buffer, Total);
        Type = (POBJECT_TYPE_INFORMATION)(Buffer + sizeof(ULONG));
        assert_int_equal(Type->TotalNumberOfObjects, 8);        /* the types themselves */
    }
    NtClose(Other);
    NtClose(Handle);
}

/* ---- user mode: every pointer probed ---- */

static void test_user_mode_pointers(void **State)
{
    static UCHAR Buffer[512];
    PHANDLE KernelHandleSlot = (PHANDLE)TestKernelMemory;
    POBJECT_ATTRIBUTES KernelAttributes = (POBJECT_ATTRIBUTES)(TestKernelMemory + 64);
    PUNICODE_STRING KernelName = (PUNICODE_STRING)(TestKernelMemory + 128);
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name, Target;
    OBJECT_HANDLE_FLAG_INFORMATION Flags = { 0, 0 };
    HANDLE Handle, Dir, Link;
    ULONG Context = 0, Returned, Blocks;

    (void)State;
    TestCreateDirectory(BNO "\\UserDir", NULL, &Dir);
    TestCreateLink(BNO "\\UserLink", "\\x", &Link);
    Blocks = TestPoolLiveBlocks();
    TestPreviousMode = UserMode;
    TestInitString(&Name, BNO "\\UserDir\\New");
    InitializeObjectAttributes(&Attributes, &Name, OBJ_KERNEL_HANDLE, NULL, NULL);

    assert_int_equal(NtCreateDirectoryObject(KernelHandleSlot, 0, &Attributes), STATUS_ACCESS_VIOLATION);
    assert_int_equal(NtCreateDirectoryObject((PHANDLE)(Buffer + 1), 0, &Attributes), STATUS_DATATYPE_MISALIGNMENT);
    memcpy(KernelAttributes, &Attributes, sizeof(Attributes));
    assert_int_equal(NtCreateDirectoryObject(&Handle, 0, KernelAttributes), STATUS_ACCESS_VIOLATION);
    memcpy(KernelName, &Name, sizeof(Name));
    Attributes.ObjectName = KernelName;
    assert_int_equal(NtCreateDirectoryObject(&Handle, 0, &Attributes), STATUS_ACCESS_VIOLATION);
    Attributes.ObjectName = &Name;
    Name.Buffer = (PWSTR)(TestKernelMemory + 256);
    assert_int_equal(NtOpenDirectoryObject(&Handle, 0, &Attributes), STATUS_ACCESS_VIOLATION);
    assert_int_equal(TestPoolLiveBlocks(), Blocks);

    /* Done right, and OBJ_KERNEL_HANDLE ignored: a plain handle. */
    TestInitString(&Name, BNO "\\UserDir\\New");
    assert_int_equal(NtCreateDirectoryObject(&Handle, DIRECTORY_QUERY, &Attributes), STATUS_SUCCESS);
    assert_false((ULONG_PTR)Handle & 0x80000000);

    /* Outputs. */
    assert_int_equal(NtQueryObject(Handle, ObjectBasicInformation, TestKernelMemory, sizeof(OBJECT_BASIC_INFORMATION),
                                   NULL), STATUS_ACCESS_VIOLATION);
    assert_int_equal(NtQueryObject(Handle, ObjectNameInformation, Buffer, sizeof(Buffer), (PULONG)TestKernelMemory),
                     STATUS_ACCESS_VIOLATION);
    assert_int_equal(NtQueryObject(Handle, ObjectNameInformation, Buffer, sizeof(Buffer), &Returned), STATUS_SUCCESS);
    assert_ptr_equal(((POBJECT_NAME_INFORMATION)Buffer)->Name.Buffer, (PWSTR)(Buffer + 8));
    assert_int_equal(NtQueryDirectoryObject(Handle, Buffer, sizeof(Buffer), FALSE, FALSE, (PULONG)TestKernelMemory,
                                            &Returned), STATUS_ACCESS_VIOLATION);
    assert_int_equal(NtQueryDirectoryObject(Handle, TestKernelMemory, 64, FALSE, TRUE, &Context, &Returned),
                     STATUS_ACCESS_VIOLATION);
    assert_int_equal(NtQueryDirectoryObject(Handle, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned),
                     STATUS_NO_MORE_ENTRIES);
    assert_int_equal(NtSetInformationObject(Handle, ObjectHandleFlagInformation, TestKernelMemory, sizeof(Flags)),
                     STATUS_ACCESS_VIOLATION);
    assert_int_equal(NtDuplicateObject(NtCurrentProcess(), Handle, NtCurrentProcess(), KernelHandleSlot, 0, 0,
                                       DUPLICATE_SAME_ACCESS), STATUS_ACCESS_VIOLATION);
    /* Only the rights the handle has. */
    assert_int_equal(NtQueryDirectoryObject(Dir, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned),
                     STATUS_SUCCESS);
    {
        HANDLE NoQuery;
        TestPreviousMode = KernelMode;
        ObDuplicateObject(ObpKernelHandleTable, Dir, ObpKernelHandleTable, &NoQuery, DIRECTORY_TRAVERSE, 0, 0,
                          KernelMode);
        TestPreviousMode = UserMode;
        assert_int_equal(NtQueryDirectoryObject(NoQuery, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned),
                         STATUS_ACCESS_DENIED);
        assert_int_equal(NtClose(NoQuery), STATUS_SUCCESS);
    }

    /* Links: the target's buffer, the caller's string. */
    Target.Buffer = (PWSTR)TestKernelMemory;
    Target.Length = 8;
    Target.MaximumLength = 8;
    TestInitString(&Name, BNO "\\UserLink2");
    assert_int_equal(NtCreateSymbolicLinkObject(&Handle, 0, &Attributes, &Target), STATUS_ACCESS_VIOLATION);
    Target.Buffer = (PWSTR)Buffer;
    Target.MaximumLength = sizeof(Buffer);
    assert_int_equal(NtQuerySymbolicLinkObject(Link, (PUNICODE_STRING)TestKernelMemory, NULL),
                     STATUS_ACCESS_VIOLATION);
    Target.Buffer = (PWSTR)TestKernelMemory;
    assert_int_equal(NtQuerySymbolicLinkObject(Link, &Target, NULL), STATUS_ACCESS_VIOLATION);
    TestPreviousMode = KernelMode;

    TestInitString(&Name, BNO "\\UserDir\\New");
    Attributes.Attributes = 0;
    {
        HANDLE Again;
        assert_int_equal(NtOpenDirectoryObject(&Again, 0, &Attributes), STATUS_SUCCESS);
        assert_int_equal(NtClose(Again), STATUS_SUCCESS);
    }
    assert_int_equal(NtClose(Handle), STATUS_SUCCESS);
    NtClose(Link);
    NtClose(Dir);
}

/* ---- running out of memory in the namespace ---- */

static HANDLE OomHandle, OomLink, OomDir;

static NTSTATUS OomCreateLink(VOID)
{
    return TestCreateLink(BNO "\\OomDir\\OomLink", BNO "\\OomDir", &OomLink);
}

static NTSTATUS OomCreateDirectory(VOID)
{
    return TestCreateDirectory(BNO "\\OomDir", NULL, &OomDir);
}

static NTSTATUS OomOpenThroughLink(VOID)
{
    return TestOpen(ObpDirectoryObjectType, BNO "\\OomDir\\OomLink", 0, NULL, 0, &OomHandle);
}

static VOID OomClose(VOID)
{
    assert_int_equal(NtClose(OomHandle), STATUS_SUCCESS);
}

static NTSTATUS OomQueryDirectory(VOID)
{
    static UCHAR Buffer[256];
    ULONG Context, Returned;

    return NtQueryDirectoryObject(OomDir, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned);
}

static NTSTATUS OomQueryName(VOID)
{
    static UCHAR Buffer[256];

    return NtQueryObject(OomLink, ObjectNameInformation, Buffer, sizeof(Buffer), NULL);
}

static NTSTATUS OomReferenceByName(VOID)
{
    UNICODE_STRING Name;
    NTSTATUS Status;
    PVOID Object;

    TestInitString(&Name, BNO "\\OomDir\\OomLink");
    Status = ObReferenceObjectByName(&Name, 0, NULL, 0, ObpDirectoryObjectType, KernelMode, NULL, &Object);
    if (NT_SUCCESS(Status))
        ObDereferenceObject(Object);
    return Status;
}

static void test_namespace_out_of_memory(void **State)
{
    (void)State;
    TestSweepFailures(OomCreateDirectory, NULL, 4);
    TestSweepFailures(OomCreateLink, NULL, 5);      /* + the target's copy */
    TestSweepFailures(OomOpenThroughLink, OomClose, 1);
    TestSweepFailures(OomQueryDirectory, NULL, 0);
    TestSweepFailures(OomQueryName, NULL, 1);
    TestSweepFailures(OomReferenceByName, NULL, 1);
    NtClose(OomLink);
    NtClose(OomDir);
}

int main(void)
{
#define T(Name) cmocka_unit_test_setup_teardown(Name, TestObSetup, TestObTeardown)
    const struct CMUnitTest Tests[] = {
        T(test_query_directory),
        T(test_query_root),
        T(test_query_object_basic_and_name),
        T(test_query_object_types),
        T(test_user_mode_pointers),
        T(test_namespace_out_of_memory),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

/*
 * test_obname.c - host tests of the namespace (kernel/ob/): the directories made at
 * start-up, names through nested directories and relative opens, every lookup
 * status, case rules, OBJ_OPENIF and collisions, symbolic links and their loops,
 * parse procedures, permanent and temporary objects.
 */
#include "test_obfix.h"

#define BNO "\\BaseNamedObjects"

static void test_standard_directories_exist(void **State)
{
    static const char *Names[] = {
        "\\", "\\Device", "\\??", BNO, "\\Windows", "\\KernelObjects", "\\ObjectTypes",
    };
    HANDLE Handle;
    PVOID Got;
    ULONG Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Names); Index++) {
        assert_int_equal(TestOpen(ObpDirectoryObjectType, Names[Index], 0, NULL, DIRECTORY_QUERY, &Handle),
                         STATUS_SUCCESS);
        assert_string_equal(TestNameOf(Handle), Names[Index]);
        NtClose(Handle);
    }
    assert_int_equal(TestOpen(ObpDirectoryObjectType, "\\", 0, NULL, 0, &Handle), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Handle), ObpRootDirectoryObject);
    NtClose(Handle);
    /* The types are objects in \ObjectTypes; \DosDevices is NT's link to \??. */
    assert_int_equal(TestOpen(ObpTypeObjectType, "\\ObjectTypes\\Directory", 0, NULL, 0, &Handle), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Handle), ObpDirectoryObjectType);
    NtClose(Handle);
    assert_int_equal(TestOpen(ObpTypeObjectType, "\\ObjectTypes\\TestObject", 0, NULL, 0, &Handle), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Handle), TestObjectType);
    NtClose(Handle);
    {
        UNICODE_STRING Name;
        TestInitString(&Name, "\\DosDevices");
        assert_int_equal(ObReferenceObjectByName(&Name, 0, NULL, 0, ObpDirectoryObjectType, KernelMode, NULL, &Got),
                         STATUS_SUCCESS);
        assert_int_equal(TestOpen(ObpDirectoryObjectType, "\\??", 0, NULL, 0, &Handle), STATUS_SUCCESS);
        assert_ptr_equal(TestObjectOf(Handle), Got);
        ObDereferenceObject(Got);
        NtClose(Handle);
    }
    /* Permanent: named with no handle, held by their names. */
    assert_true(OBJECT_TO_OBJECT_HEADER(ObpTypeDirectoryObject)->Flags & OB_FLAG_PERMANENT_OBJECT);
    assert_int_equal(TestHandleCount(ObpTypeDirectoryObject), 0);
}

static void test_named_object_lives_with_its_handles(void **State)
{
    HANDLE Creator, Opener;
    PVOID Object;

    (void)State;
    assert_int_equal(TestCreate(TestObjectType, BNO "\\Named", 0, NULL, TEST_ALL_ACCESS, &Creator), STATUS_SUCCESS);
    Object = TestObjectOf(Creator);
    assert_int_equal(TestPointerCount(Object), 2);      /* the handle's and the name's */
    assert_string_equal(TestNameOf(Creator), BNO "\\Named");
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Named", 0, NULL, TEST_QUERY, &Opener), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Opener), Object);
    assert_int_equal(TestCalls.LastOpenReason, ObOpenHandle);
    NtClose(Creator);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Named", 0, NULL, 0, &Creator), STATUS_SUCCESS);
    NtClose(Creator);
    /* The last handle takes the name, then the object, with it. */
    ObReferenceObject(Object);
    NtClose(Opener);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Named", 0, NULL, 0, &Creator), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(TestCalls.Deletes, 0);
    ObDereferenceObject(Object);
    assert_int_equal(TestCalls.Deletes, 1);
}

static void test_collision_and_openif(void **State)
{
    HANDLE First, Second, Other;
    PVOID Got;

    (void)State;
    TestCreate(TestObjectType, BNO "\\Twice", 0, NULL, TEST_QUERY, &First);
    assert_int_equal(TestCreate(TestObjectType, BNO "\\Twice", 0, NULL, 0, &Second), STATUS_OBJECT_NAME_COLLISION);
    assert_null(Second);
    assert_int_equal(TestCalls.Deletes, 1);             /* the new object is gone */
    assert_int_equal(TestCreate(TestObjectType, BNO "\\Twice", OBJ_OPENIF, NULL, TEST_MODIFY, &Second),
                     STATUS_OBJECT_NAME_EXISTS);
    assert_true(NT_SUCCESS(STATUS_OBJECT_NAME_EXISTS));
    assert_ptr_equal(TestObjectOf(Second), TestObjectOf(First));
    assert_int_equal(TestCalls.LastOpenReason, ObOpenHandle);
    assert_int_equal(TestCalls.LastOpenAccess, TEST_MODIFY);
    assert_int_equal(TestCalls.Deletes, 2);
    assert_int_equal(TestCreate(TestGuardedType, BNO "\\Twice", OBJ_OPENIF, NULL, 0, &Other),
                     STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(TestCreate(TestGuardedType, BNO "\\Twice", 0, NULL, 0, &Other), STATUS_OBJECT_NAME_COLLISION);
    /* The existing object through NewObject, with no handle. */
    {
        OBJECT_ATTRIBUTES Attributes;
        UNICODE_STRING Name;
        PVOID Object;

        TestInitString(&Name, BNO "\\Twice");
        InitializeObjectAttributes(&Attributes, &Name, OBJ_OPENIF, NULL, NULL);
        ObCreateObject(KernelMode, TestObjectType, &Attributes, KernelMode, NULL, sizeof(TEST_BODY), 0, 0, &Object);
        assert_int_equal(ObInsertObject(Object, NULL, 0, 0, &Got, NULL), STATUS_OBJECT_NAME_EXISTS);
        assert_ptr_equal(Got, TestObjectOf(First));
        ObDereferenceObject(Got);
    }
    NtClose(First);
    NtClose(Second);
    assert_int_equal(TestCalls.Deletes, 6);
}

static void test_nested_directories_and_relative_opens(void **State)
{
    HANDLE D1, D2, Object, Again, Self;

    (void)State;
    assert_int_equal(TestCreateDirectory(BNO "\\D1", NULL, &D1), STATUS_SUCCESS);
    assert_int_equal(TestCreateDirectory("D2", D1, &D2), STATUS_SUCCESS);      /* relative */
    assert_string_equal(TestNameOf(D2), BNO "\\D1\\D2");
    assert_int_equal(TestCreate(TestObjectType, "Leaf", 0, D2, 0, &Object), STATUS_SUCCESS);
    assert_string_equal(TestNameOf(Object), BNO "\\D1\\D2\\Leaf");

    assert_int_equal(TestOpen(TestObjectType, BNO "\\D1\\D2\\Leaf", 0, NULL, 0, &Again), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Again), TestObjectOf(Object));
    NtClose(Again);
    assert_int_equal(TestOpen(TestObjectType, "D2\\Leaf", 0, D1, 0, &Again), STATUS_SUCCESS);
    NtClose(Again);
    /* A relative name never starts with '\'; an empty one is the directory itself. */
    assert_int_equal(TestOpen(TestObjectType, "\\D2\\Leaf", 0, D1, 0, &Again), STATUS_OBJECT_PATH_SYNTAX_BAD);
    assert_int_equal(TestOpen(ObpDirectoryObjectType, "", 0, D1, 0, &Self), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Self), TestObjectOf(D1));
    NtClose(Self);
    assert_int_equal(TestOpen(TestObjectType, "", 0, D1, 0, &Self), STATUS_OBJECT_TYPE_MISMATCH);
    /* A root that is neither a directory nor parsable; a root that is no handle. */
    assert_int_equal(TestOpen(TestObjectType, "X", 0, Object, 0, &Self), STATUS_INVALID_HANDLE);
    assert_int_equal(TestOpen(TestObjectType, "X", 0, (HANDLE)0x7F4, 0, &Self), STATUS_INVALID_HANDLE);

    /* A temporary directory goes with its last handle, while its children keep it
       alive as an object; their names then start with "...". */
    NtClose(D1);
    assert_int_equal(TestOpen(ObpDirectoryObjectType, BNO "\\D1", 0, NULL, 0, &Again), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_string_equal(TestNameOf(Object), "\\...\\D2\\Leaf");
    NtClose(Object);
    NtClose(D2);
}

static void test_lookup_statuses(void **State)
{
    HANDLE Handle, Leaf;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    (void)State;
    TestCreate(TestObjectType, BNO "\\Leaf", 0, NULL, 0, &Leaf);
    assert_int_equal(TestOpen(TestObjectType, "BaseNamedObjects\\Leaf", 0, NULL, 0, &Handle),
                     STATUS_OBJECT_PATH_SYNTAX_BAD);
    assert_int_equal(TestOpen(TestObjectType, "", 0, NULL, 0, &Handle), STATUS_OBJECT_PATH_SYNTAX_BAD);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\\\Leaf", 0, NULL, 0, &Handle), STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Leaf\\", 0, NULL, 0, &Handle), STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(TestOpen(ObpDirectoryObjectType, BNO "\\", 0, NULL, 0, &Handle), STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Nowhere\\Leaf", 0, NULL, 0, &Handle),
                     STATUS_OBJECT_PATH_NOT_FOUND);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Nothing", 0, NULL, 0, &Handle), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Leaf\\Below", 0, NULL, 0, &Handle),
                     STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(TestOpen(TestGuardedType, BNO "\\Leaf", 0, NULL, 0, &Handle), STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(TestCreate(TestObjectType, BNO "\\Nowhere\\New", 0, NULL, 0, &Handle),
                     STATUS_OBJECT_PATH_NOT_FOUND);
    assert_int_equal(TestCreate(TestObjectType, BNO "\\Leaf\\New", 0, NULL, 0, &Handle),
                     STATUS_OBJECT_TYPE_MISMATCH);
    /* Malformed attributes and names. */
    TestInitString(&Name, BNO "\\Leaf");
    Name.Length = 3;
    InitializeObjectAttributes(&Attributes, &Name, 0, NULL, NULL);
    assert_int_equal(ObOpenObjectByName(&Attributes, NULL, KernelMode, NULL, 0, NULL, &Handle),
                     STATUS_OBJECT_NAME_INVALID);
    TestInitString(&Name, BNO "\\Leaf");
    Attributes.Length = 20;
    assert_int_equal(ObOpenObjectByName(&Attributes, NULL, KernelMode, NULL, 0, NULL, &Handle),
                     STATUS_INVALID_PARAMETER);
    InitializeObjectAttributes(&Attributes, &Name, 0x10000, NULL, NULL);
    assert_int_equal(ObOpenObjectByName(&Attributes, NULL, KernelMode, NULL, 0, NULL, &Handle),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(ObOpenObjectByName(NULL, NULL, KernelMode, NULL, 0, NULL, &Handle), STATUS_INVALID_PARAMETER);
    assert_int_equal(TestCalls.Deletes, 2);     /* the two refused creations */
    NtClose(Leaf);
}

static void test_case_rules(void **State)
{
    HANDLE Handle, Upper, Dir;

    (void)State;
    /* TestObject names are compared exactly unless OBJ_CASE_INSENSITIVE says not. */
    TestCreate(TestObjectType, BNO "\\Mixed\xe9", 0, NULL, 0, &Handle);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\mixed\xe9", 0, NULL, 0, &Upper), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\MIXED\xc9", OBJ_CASE_INSENSITIVE, NULL, 0, &Upper),
                     STATUS_SUCCESS);
    NtClose(Upper);
    assert_int_equal(TestOpen(TestObjectType, "\\basenamedobjects\\Mixed\xe9", 0, NULL, 0, &Upper),
                     STATUS_OBJECT_PATH_NOT_FOUND);
    /* Exactly compared, two names differing in case are two objects ... */
    assert_int_equal(TestCreate(TestObjectType, BNO "\\MIXED\xe9", 0, NULL, 0, &Upper), STATUS_SUCCESS);
    assert_ptr_not_equal(TestObjectOf(Upper), TestObjectOf(Handle));
    NtClose(Upper);
    /* ... and one with OBJ_CASE_INSENSITIVE. */
    assert_int_equal(TestCreate(TestObjectType, BNO "\\MIXED\xc9", OBJ_CASE_INSENSITIVE, NULL, 0, &Upper),
                     STATUS_OBJECT_NAME_COLLISION);
    /* Types that say CaseInsensitive (directories, as NT's) always ignore case. */
    assert_int_equal(TestOpen(ObpDirectoryObjectType, "\\BASENAMEDOBJECTS", 0, NULL, 0, &Dir), STATUS_SUCCESS);
    NtClose(Dir);
    assert_int_equal(TestOpen(NULL, "\\basenamedobjects\\mixed\xc9", 0, NULL, 0, &Dir), STATUS_SUCCESS);
    NtClose(Dir);
    NtClose(Handle);
}

static void test_symbolic_links(void **State)
{
    HANDLE Dir, Leaf, Link, Again, Created;
    WCHAR Buffer[64];
    UNICODE_STRING Target;
    ULONG Returned;
    PVOID Got;

    (void)State;
    TestCreateDirectory(BNO "\\Real", NULL, &Dir);
    TestCreate(TestObjectType, BNO "\\Real\\Leaf", 0, NULL, 0, &Leaf);
    assert_int_equal(TestCreateLink(BNO "\\Alias", BNO "\\Real", &Link), STATUS_SUCCESS);

    assert_int_equal(TestOpen(TestObjectType, BNO "\\Alias\\Leaf", 0, NULL, 0, &Again), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Again), TestObjectOf(Leaf));
    NtClose(Again);
    /* Asked for a link, the link itself; asked for anything, its target. */
    assert_int_equal(TestOpen(ObpSymbolicLinkObjectType, BNO "\\Alias", 0, NULL, 0, &Again), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Again), TestObjectOf(Link));
    NtClose(Again);
    assert_int_equal(TestOpen(NULL, BNO "\\Alias", 0, NULL, 0, &Again), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Again), TestObjectOf(Dir));
    NtClose(Again);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Alias", 0, NULL, 0, &Again), STATUS_OBJECT_TYPE_MISMATCH);
    /* A name made through a link lands in its target. */
    assert_int_equal(TestCreate(TestObjectType, BNO "\\Alias\\New", 0, NULL, 0, &Created), STATUS_SUCCESS);
    assert_string_equal(TestNameOf(Created), BNO "\\Real\\New");
    NtClose(Created);
    assert_int_equal(TestCreateLink(BNO "\\Alias", "\\Else", &Again), STATUS_OBJECT_NAME_COLLISION);

    /* NtQuerySymbolicLinkObject: with ReturnedLength the NUL must fit too. */
    Target.Buffer = Buffer;
    Target.Length = 0;
    Target.MaximumLength = sizeof(BNO "\\Real") * 2 - 2;       /* the name, no room for the NUL */
    assert_int_equal(NtQuerySymbolicLinkObject(Link, &Target, &Returned), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Returned, sizeof(BNO "\\Real") * 2);
    assert_int_equal(NtQuerySymbolicLinkObject(Link, &Target, NULL), STATUS_SUCCESS);
    assert_true(TestStringEquals(&Target, BNO "\\Real"));
    Target.MaximumLength = sizeof(Buffer);
    assert_int_equal(NtQuerySymbolicLinkObject(Link, &Target, &Returned), STATUS_SUCCESS);
    assert_true(TestStringEquals(&Target, BNO "\\Real"));
    assert_int_equal(Buffer[Target.Length / 2], 0);
    assert_int_equal(NtQuerySymbolicLinkObject(Leaf, &Target, &Returned), STATUS_OBJECT_TYPE_MISMATCH);
    {
        OBJECT_ATTRIBUTES Attributes;
        UNICODE_STRING Name;
        TestInitString(&Name, BNO "\\Alias");
        InitializeObjectAttributes(&Attributes, &Name, 0, NULL, NULL);
        assert_int_equal(NtOpenSymbolicLinkObject(&Again, SYMBOLIC_LINK_QUERY, &Attributes), STATUS_SUCCESS);
        assert_ptr_equal(TestObjectOf(Again), TestObjectOf(Link));
        NtClose(Again);
        Target.MaximumLength = 1;       /* odd: refused */
        assert_int_equal(NtCreateSymbolicLinkObject(&Again, 0, &Attributes, &Target), STATUS_INVALID_PARAMETER);
    }
    (void)Got;
    NtClose(Link);
    NtClose(Leaf);
    NtClose(Dir);
}

/* NT allows 32 parses in one lookup: a chain of 31 links resolves, of 32 not. */
static void test_link_chains_and_loops(void **State)
{
    static HANDLE Links[33];
    HANDLE Target, Handle, A, B;
    char Name[64], Next[64];
    ULONG Index;

    (void)State;
    TestCreate(TestObjectType, BNO "\\End", 0, NULL, 0, &Target);
    for (Index = 0; Index < 32; Index++) {
        snprintf(Name, sizeof(Name), BNO "\\L%lu", Index);
        if (Index == 0)
            snprintf(Next, sizeof(Next), BNO "\\End");
        else
            snprintf(Next, sizeof(Next), BNO "\\L%lu", Index - 1);
        assert_int_equal(TestCreateLink(Name, Next, &Links[Index]), STATUS_SUCCESS);
    }
    assert_int_equal(TestOpen(TestObjectType, BNO "\\L30", 0, NULL, 0, &Handle), STATUS_SUCCESS);   /* 31 links */
    NtClose(Handle);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\L31", 0, NULL, 0, &Handle), STATUS_OBJECT_NAME_NOT_FOUND);
    for (Index = 0; Index < 32; Index++)
        NtClose(Links[Index]);

    /* A loop ends the same way; a link to nothing finds nothing. */
    TestCreateLink(BNO "\\LoopA", BNO "\\LoopB", &A);
    TestCreateLink(BNO "\\LoopB", BNO "\\LoopA\\x", &B);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\LoopA", 0, NULL, 0, &Handle), STATUS_OBJECT_NAME_NOT_FOUND);
    NtClose(B);
    TestCreateLink(BNO "\\LoopB", BNO "\\Missing\\Dir", &B);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\LoopA", 0, NULL, 0, &Handle), STATUS_OBJECT_PATH_NOT_FOUND);
    NtClose(A);
    NtClose(B);
    NtClose(Target);
}

static void test_parse_procedures(void **State)
{
    HANDLE Device, Leaf, Handle;
    PVOID Context = (PVOID)0x5151;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    (void)State;
    TestCreate(TestDeviceType, "\\Device\\TestDev", 0, NULL, 0, &Device);
    TestCreate(TestObjectType, BNO "\\Leaf", 0, NULL, 0, &Leaf);

    /* The rest of the name, from its '\', and the whole name, go to the type. */
    TestParse.Result = STATUS_SUCCESS;
    TestParse.Object = TestObjectOf(Leaf);
    TestInitString(&Name, "\\Device\\TestDev\\dir\\file.txt");
    InitializeObjectAttributes(&Attributes, &Name, OBJ_INHERIT, NULL, NULL);
    assert_int_equal(ObOpenObjectByName(&Attributes, TestObjectType, KernelMode, NULL, 0, Context, &Handle),
                     STATUS_SUCCESS);
    assert_int_equal(TestParse.Calls, 1);
    assert_string_equal(TestParse.Remaining, "\\dir\\file.txt");
    assert_string_equal(TestParse.Complete, "\\Device\\TestDev\\dir\\file.txt");
    assert_ptr_equal(TestParse.ObjectType, TestObjectType);
    assert_ptr_equal(TestParse.Context, Context);
    assert_true(TestParse.Attributes & OBJ_INHERIT);
    assert_ptr_equal(TestObjectOf(Handle), TestObjectOf(Leaf));
    NtClose(Handle);

    /* With nothing left of the name, the procedure is still asked. */
    assert_int_equal(TestOpen(TestObjectType, "\\Device\\TestDev", 0, NULL, 0, &Handle), STATUS_SUCCESS);
    assert_string_equal(TestParse.Remaining, "");
    NtClose(Handle);
    /* Relative to a parsable object: the whole name is the rest. A name from '\'
       goes only to a file object's (NT): here the test type stands for the File type. */
    assert_int_equal(TestOpen(TestObjectType, "rel\\path", 0, Device, 0, &Handle), STATUS_SUCCESS);
    assert_string_equal(TestParse.Remaining, "rel\\path");
    NtClose(Handle);
    TestParse.Calls = 0;
    assert_int_equal(TestOpen(TestObjectType, "\\abs", 0, Device, 0, &Handle), STATUS_OBJECT_PATH_SYNTAX_BAD);
    assert_int_equal(TestParse.Calls, 0);
    IoFileObjectType = TestDeviceType;
    assert_int_equal(TestOpen(TestObjectType, "\\abs", 0, Device, 0, &Handle), STATUS_SUCCESS);
    assert_string_equal(TestParse.Remaining, "\\abs");
    IoFileObjectType = NULL;
    NtClose(Handle);

    /* STATUS_REPARSE: the lookup starts again with the new name. */
    TestParse.ReparseTo = BNO "\\Leaf";
    TestParse.Calls = 0;
    assert_int_equal(TestOpen(TestObjectType, "\\Device\\TestDev\\x", 0, NULL, 0, &Handle), STATUS_SUCCESS);
    assert_int_equal(TestParse.Calls, 1);
    assert_ptr_equal(TestObjectOf(Handle), TestObjectOf(Leaf));
    NtClose(Handle);
    /* A failure, or success with nothing found. */
    TestParse.Result = STATUS_NO_SUCH_FILE;
    assert_int_equal(TestOpen(TestObjectType, "\\Device\\TestDev\\x", 0, NULL, 0, &Handle), STATUS_NO_SUCH_FILE);
    TestParse.Result = STATUS_SUCCESS;
    TestParse.Object = NULL;
    assert_int_equal(TestOpen(TestObjectType, "\\Device\\TestDev\\x", 0, NULL, 0, &Handle),
                     STATUS_OBJECT_NAME_NOT_FOUND);
    /* Creating a name below a parsable object is not the parse procedure's job. */
    TestParse.Calls = 0;
    assert_int_equal(TestCreate(TestObjectType, "\\Device\\TestDev\\New", 0, NULL, 0, &Handle),
                     STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(TestParse.Calls, 0);
    NtClose(Leaf);
    NtClose(Device);
}

static void test_permanent_and_temporary(void **State)
{
    OBJECT_BASIC_INFORMATION Basic;
    HANDLE Handle, Again;
    PVOID Object;

    (void)State;
    assert_int_equal(TestCreate(TestObjectType, BNO "\\Stays", OBJ_PERMANENT, NULL, TEST_ALL_ACCESS, &Handle),
                     STATUS_SUCCESS);
    Object = TestObjectOf(Handle);
    NtQueryObject(Handle, ObjectBasicInformation, &Basic, sizeof(Basic), NULL);
    assert_true(Basic.Attributes & OBJ_PERMANENT);
    NtClose(Handle);
    assert_int_equal(TestPointerCount(Object), 1);      /* the name's */
    assert_int_equal(TestCalls.Deletes, 0);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Stays", 0, NULL, TEST_QUERY, &Again), STATUS_SUCCESS);

    /* Made temporary from user mode: DELETE access needed. */
    TestPreviousMode = UserMode;
    assert_int_equal(NtMakeTemporaryObject(Again), STATUS_ACCESS_DENIED);
    TestPreviousMode = KernelMode;
    assert_int_equal(NtMakeTemporaryObject(Again), STATUS_SUCCESS);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Stays", 0, NULL, 0, &Handle), STATUS_SUCCESS);
    NtClose(Handle);                    /* still named: a handle is open */
    NtClose(Again);
    assert_int_equal(TestCalls.Deletes, 1);
    assert_int_equal(TestOpen(TestObjectType, BNO "\\Stays", 0, NULL, 0, &Handle), STATUS_OBJECT_NAME_NOT_FOUND);

    /* Made temporary with no handle open: gone at once. */
    TestCreate(TestObjectType, BNO "\\Stays", OBJ_PERMANENT, NULL, 0, &Handle);
    Object = TestObjectOf(Handle);
    NtClose(Handle);
    ObMakeTemporaryObject(Object);
    assert_int_equal(TestCalls.Deletes, 2);

    /* No user-mode caller holds the privilege to make permanent objects. */
    TestPreviousMode = UserMode;
    {
        OBJECT_ATTRIBUTES Attributes;
        UNICODE_STRING Name;
        TestInitString(&Name, BNO "\\Stays");
        InitializeObjectAttributes(&Attributes, &Name, OBJ_PERMANENT, NULL, NULL);
        assert_int_equal(NtCreateDirectoryObject(&Handle, 0, &Attributes), STATUS_PRIVILEGE_NOT_HELD);
    }
    TestPreviousMode = KernelMode;
}

static void test_type_attribute_rules(void **State)
{
    OBJECT_TYPE_INITIALIZER Initializer;
    UNICODE_STRING Name;
    POBJECT_TYPE Type;
    HANDLE Handle;

    (void)State;
    memset(&Initializer, 0, sizeof(Initializer));
    Initializer.Length = sizeof(Initializer);
    Initializer.PoolType = PagedPool;
    Initializer.ValidAccessMask = TEST_ALL_ACCESS;
    TestInitString(&Name, "TESTOBJECT");
    assert_int_equal(ObCreateObjectType(&Name, &Initializer, NULL, &Type), STATUS_OBJECT_NAME_COLLISION);
    TestInitString(&Name, "Bad\\Name");
    assert_int_equal(ObCreateObjectType(&Name, &Initializer, NULL, &Type), STATUS_OBJECT_NAME_INVALID);
    TestInitString(&Name, "Counted");
    Initializer.MaintainHandleCount = TRUE;
    assert_int_equal(ObCreateObjectType(&Name, &Initializer, NULL, &Type), STATUS_NOT_IMPLEMENTED);
    Initializer.MaintainHandleCount = FALSE;
    Initializer.Length = 0;
    assert_int_equal(ObCreateObjectType(&Name, &Initializer, NULL, &Type), STATUS_INVALID_PARAMETER);
    Initializer.Length = sizeof(Initializer);
    Initializer.PoolType = NonPagedPoolMustSucceed;
    assert_int_equal(ObCreateObjectType(&Name, &Initializer, NULL, &Type), STATUS_INVALID_PARAMETER);

    /* TestPaged (made with the others) refuses OBJ_PERMANENT for its objects. */
    assert_int_equal(TestPagedType->Key, EX_POOL_TAG('T', 'e', 's', 't'));
    assert_int_equal(TestPagedType->TypeInfo.PoolType, PagedPool);
    assert_int_equal(TestCreate(TestPagedType, NULL, OBJ_PERMANENT, NULL, 0, &Handle), STATUS_INVALID_PARAMETER);
    /* OBJ_EXCLUSIVE needs per-process handle records, not done yet. */
    assert_int_equal(TestCreate(TestPagedType, NULL, OBJ_EXCLUSIVE, NULL, 0, &Handle), STATUS_NOT_IMPLEMENTED);
    assert_int_equal(TestCreate(TestPagedType, BNO "\\Paged", 0, NULL, 0, &Handle), STATUS_SUCCESS);
    assert_string_equal(TestNameOf(Handle), BNO "\\Paged");
    NtClose(Handle);
}

int main(void)
{
#define T(Name) cmocka_unit_test_setup_teardown(Name, TestObSetup, TestObTeardown)
    const struct CMUnitTest Tests[] = {
        T(test_standard_directories_exist),
        T(test_named_object_lives_with_its_handles),
        T(test_collision_and_openif),
        T(test_nested_directories_and_relative_opens),
        T(test_lookup_statuses),
        T(test_case_rules),
        T(test_symbolic_links),
        T(test_link_chains_and_loops),
        T(test_parse_procedures),
        T(test_permanent_and_temporary),
        T(test_type_attribute_rules),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

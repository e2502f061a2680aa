/*
 * test_ob.c - host tests of objects and handles (kernel/ob/): reference and handle
 * counts, deletion at the last reference, handle values, duplication,
 * access checks, protection from close, deferred deletion, and running out of memory
 * at every allocation. Processes' tables are in test_obproc.c.
 */
#include "test_obfix.h"

#define H(Value) ((HANDLE)(ULONG_PTR)(Value))


/* ---- counts and deletion ---- */

static void test_counts_through_create_insert_reference_close(void **State)
{
    PVOID Object, Again;
    HANDLE Handle;

    (void)State;
    assert_int_equal(ObCreateObject(KernelMode, TestObjectType, NULL, KernelMode, NULL, sizeof(TEST_BODY), 0, 0,
                                    &Object), STATUS_SUCCESS);
    assert_int_equal(TestPointerCount(Object), 1);
    assert_int_equal(TestHandleCount(Object), 0);
    assert_true(OBJECT_TO_OBJECT_HEADER(Object)->Flags & OB_FLAG_NEW_OBJECT);
    assert_int_equal(((PTEST_BODY)Object)->Payload[0], 0);        /* the body is zeroed */

    assert_int_equal(ObInsertObject(Object, NULL, TEST_ALL_ACCESS, 0, NULL, &Handle), STATUS_SUCCESS);
    assert_false(OBJECT_TO_OBJECT_HEADER(Object)->Flags & OB_FLAG_NEW_OBJECT);
    assert_int_equal(TestPointerCount(Object), 1);      /* the creation reference is the handle's */
    assert_int_equal(TestHandleCount(Object), 1);
    assert_int_equal(TestCalls.Opens, 1);
    assert_int_equal(TestCalls.LastOpenReason, ObCreateHandle);
    assert_int_equal(TestCalls.LastOpenHandleCount, 1);
    assert_int_equal(TestObjectType->TotalNumberOfHandles, 1);

    assert_int_equal(ObReferenceObjectByHandle(Handle, TEST_QUERY, TestObjectType, KernelMode, &Again, NULL),
                     STATUS_SUCCESS);
    assert_ptr_equal(Again, Object);
    assert_int_equal(TestPointerCount(Object), 2);
    ObDereferenceObject(Again);
    assert_int_equal(TestPointerCount(Object), 1);

    assert_int_equal(NtClose(Handle), STATUS_SUCCESS);
    assert_int_equal(TestCalls.Closes, 1);
    assert_int_equal(TestCalls.LastCloseSystemCount, 1);    /* the last handle */
    assert_int_equal(TestCalls.LastCloseAccess, TEST_ALL_ACCESS);
    assert_int_equal(TestCalls.Deletes, 1);
    assert_ptr_equal(TestCalls.LastDeleted, Object);
    assert_int_equal(TestObjectType->TotalNumberOfHandles, 0);
}

static void test_deleted_exactly_at_last_reference(void **State)
{
    HANDLE Handle, Second;
    PVOID Object = TestNewObject(TEST_ALL_ACCESS, &Handle);

    (void)State;
    ObReferenceObject(Object);
    assert_int_equal(ObOpenObjectByPointer(Object, 0, NULL, TEST_QUERY, TestObjectType, KernelMode, &Second),
                     STATUS_SUCCESS);
    assert_int_equal(TestHandleCount(Object), 2);
    assert_int_equal(TestCalls.LastOpenReason, ObOpenHandle);
    assert_int_equal(NtClose(Handle), STATUS_SUCCESS);
    assert_int_equal(TestCalls.LastCloseSystemCount, 2);
    assert_int_equal(NtClose(Second), STATUS_SUCCESS);
    assert_int_equal(TestHandleCount(Object), 0);
    assert_int_equal(TestCalls.Deletes, 0);             /* our reference holds it */
    assert_int_equal(TestPointerCount(Object), 1);
    ObDereferenceObject(Object);
    assert_int_equal(TestCalls.Deletes, 1);
}

static void test_insert_bias_new_object_and_no_handle(void **State)
{
    PVOID Object, Inserted;
    HANDLE Handle;

    (void)State;
    ObCreateObject(KernelMode, TestObjectType, NULL, KernelMode, NULL, sizeof(TEST_BODY), 0, 0, &Object);
    assert_int_equal(ObInsertObject(Object, NULL, 0, 2, &Inserted, &Handle), STATUS_SUCCESS);
    assert_ptr_equal(Inserted, Object);
    assert_int_equal(TestPointerCount(Object), 3);      /* the handle's and two of ours */
    NtClose(Handle);
    ObDereferenceObject(Object);
    assert_int_equal(TestCalls.Deletes, 0);
    ObDereferenceObject(Object);
    assert_int_equal(TestCalls.Deletes, 1);

    /* Without a handle, the creation reference stays ours. */
    ObCreateObject(KernelMode, TestObjectType, NULL, KernelMode, NULL, sizeof(TEST_BODY), 0, 0, &Object);
    assert_int_equal(ObInsertObject(Object, NULL, 0, 0, NULL, NULL), STATUS_SUCCESS);
    assert_int_equal(TestPointerCount(Object), 1);
    assert_int_equal(TestCalls.Opens, 1);               /* only the first object's handle */
    /* Inserting twice is the caller's bug: refused, nothing changes. */
    assert_int_equal(ObInsertObject(Object, NULL, 0, 0, NULL, &Handle), STATUS_INVALID_PARAMETER);
    ObDereferenceObject(Object);
    assert_int_equal(TestCalls.Deletes, 2);
}

static void test_failed_open_procedure_deletes_new_object(void **State)
{
    HANDLE Handle = H(0x1234);

    (void)State;
    TestCalls.OpenResult = STATUS_SHARING_VIOLATION;
    assert_int_equal(TestCreate(TestObjectType, "\\BaseNamedObjects\\Refused", 0, NULL, 0, &Handle),
                     STATUS_SHARING_VIOLATION);
    assert_null(Handle);
    assert_int_equal(TestCalls.Deletes, 1);
    assert_int_equal(TestCalls.Closes, 0);              /* a refused handle never existed */
    TestCalls.OpenResult = STATUS_SUCCESS;
    assert_int_equal(TestOpen(TestObjectType, "\\BaseNamedObjects\\Refused", 0, NULL, 0, &Handle),
                     STATUS_OBJECT_NAME_NOT_FOUND);
}

/* ---- handle values ---- */

static void test_handle_values_and_reuse(void **State)
{
    HANDLE Handles[4], Again;
    ULONG Index;

    (void)State;
    for (Index = 0; Index < 4; Index++)
        TestNewObject(0, &Handles[Index]);
    /* The kernel table is empty between tests: its first handle is 4, as NT's. */
    assert_ptr_equal(Handles[0], H(4));
    assert_ptr_equal(Handles[3], H(16));
    NtClose(Handles[2]);
    NtClose(Handles[1]);
    TestNewObject(0, &Again);
    assert_ptr_equal(Again, H(8));
    TestNewObject(0, &Handles[1]);
    assert_ptr_equal(Handles[1], H(12));
    /* The low two bits are ignored: 13 is 12. */
    assert_ptr_equal(TestObjectOf(H(13)), TestObjectOf(H(12)));
    assert_int_equal(NtClose(Again), STATUS_SUCCESS);
    assert_int_equal(NtClose(Handles[0]), STATUS_SUCCESS);
    assert_int_equal(NtClose(H(15)), STATUS_SUCCESS);           /* Handles[1], 12 */
    assert_int_equal(NtClose(Handles[3]), STATUS_SUCCESS);
    assert_int_equal(TestCalls.Deletes, 6);
}

static void test_thousands_of_handles_to_one_object(void **State)
{
    enum { Count = 3000 };
    static HANDLE Handles[Count];
    HANDLE First;
    PVOID Object = TestNewObject(TEST_ALL_ACCESS, &First);
    ULONG Index;

    (void)State;
    for (Index = 0; Index < Count; Index++)
        assert_int_equal(ObOpenObjectByPointer(Object, 0, NULL, TEST_QUERY, NULL, KernelMode, &Handles[Index]),
                         STATUS_SUCCESS);
    assert_int_equal(TestHandleCount(Object), Count + 1);
    assert_int_equal(TestPointerCount(Object), Count + 1);
    /* The k-th handle of a table: entry 0 of every 512 is skipped. */
    assert_ptr_equal(Handles[Count - 1], H((Count + 1 + Count / 511) * 4));
    for (Index = 0; Index < Count; Index++)
        assert_int_equal(NtClose(Handles[Index]), STATUS_SUCCESS);
    assert_int_equal(TestHandleCount(Object), 1);
    NtClose(First);
    assert_int_equal(TestCalls.Deletes, 1);
}

static void test_close_bad_handles(void **State)
{
    HANDLE Handle;

    (void)State;
    TestNewObject(0, &Handle);
    assert_int_equal(NtClose(NULL), STATUS_INVALID_HANDLE);
    assert_int_equal(NtClose(H(0x7FC)), STATUS_INVALID_HANDLE);
    assert_int_equal(NtClose(H(0x12345678)), STATUS_INVALID_HANDLE);
    assert_int_equal(NtClose(NtCurrentProcess()), STATUS_INVALID_HANDLE);
    assert_int_equal(NtClose(Handle), STATUS_SUCCESS);
    assert_int_equal(NtClose(Handle), STATUS_INVALID_HANDLE);      /* twice */
}

/* ---- access ---- */

static void test_generic_mapping_and_access_checks(void **State)
{
    ACCESS_MASK Mask = GENERIC_READ | GENERIC_EXECUTE | DELETE;
    OBJECT_HANDLE_INFORMATION Info;
    HANDLE Handle, Full;
    PVOID Object, Got;

    (void)State;
    RtlMapGenericMask(&Mask, &TestObjectType->TypeInfo.GenericMapping);
    assert_int_equal(Mask, READ_CONTROL | TEST_QUERY | SYNCHRONIZE | TEST_RUN | DELETE);

    Object = TestNewObject(GENERIC_READ, &Handle);
    assert_int_equal(ObReferenceObjectByHandle(Handle, 0, NULL, KernelMode, &Got, &Info), STATUS_SUCCESS);
    ObDereferenceObject(Got);
    assert_int_equal(Info.GrantedAccess, READ_CONTROL | TEST_QUERY);
    assert_int_equal(TestCalls.LastOpenAccess, READ_CONTROL | TEST_QUERY);

    /* User mode gets what the handle grants and nothing more; the kernel is trusted. */
    assert_int_equal(ObReferenceObjectByHandle(Handle, TEST_QUERY, TestObjectType, UserMode, &Got, NULL),
                     STATUS_SUCCESS);
    ObDereferenceObject(Got);
    assert_int_equal(ObReferenceObjectByHandle(Handle, TEST_MODIFY, TestObjectType, UserMode, &Got, NULL),
                     STATUS_ACCESS_DENIED);
    assert_null(Got);
    assert_int_equal(ObReferenceObjectByHandle(Handle, TEST_MODIFY, TestObjectType, KernelMode, &Got, NULL),
                     STATUS_SUCCESS);
    ObDereferenceObject(Got);
    /* Generic rights are not mapped when a handle is used (as NT): ask specific ones. */
    assert_int_equal(ObReferenceObjectByHandle(Handle, GENERIC_READ, NULL, UserMode, &Got, NULL),
                     STATUS_ACCESS_DENIED);

    /* MAXIMUM_ALLOWED is everything the type has; rights it does not have are dropped. */
    assert_int_equal(ObOpenObjectByPointer(Object, 0, NULL, MAXIMUM_ALLOWED | 0x8000, NULL, KernelMode, &Full),
                     STATUS_SUCCESS);
    assert_int_equal(TestCalls.LastOpenAccess, TEST_ALL_ACCESS);
    /* ACCESS_SYSTEM_SECURITY needs a privilege no user has. */
    assert_int_equal(ObOpenObjectByPointer(Object, 0, NULL, ACCESS_SYSTEM_SECURITY, NULL, UserMode, &Got),
                     STATUS_PRIVILEGE_NOT_HELD);
    NtClose(Full);
    NtClose(Handle);
}

static void test_type_checks(void **State)
{
    HANDLE Handle, Guarded;
    PVOID Object = TestNewObject(0, &Handle), Got;

    (void)State;
    TestCreate(TestGuardedType, NULL, 0, NULL, 0, &Guarded);
    assert_int_equal(ObReferenceObjectByHandle(Handle, 0, TestGuardedType, KernelMode, &Got, NULL),
                     STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(ObReferenceObjectByPointer(Object, 0, TestGuardedType, KernelMode),
                     STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(ObReferenceObjectByPointer(Object, 0, TestObjectType, KernelMode), STATUS_SUCCESS);
    ObDereferenceObject(Object);
    assert_int_equal(ObOpenObjectByPointer(Object, 0, NULL, 0, TestGuardedType, KernelMode, &Got),
                     STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(Guarded);
    NtClose(Handle);
}

/* ---- protection from close ---- */

static void test_protect_from_close(void **State)
{
    OBJECT_HANDLE_FLAG_INFORMATION Flags = { FALSE, TRUE }, Read;
    HANDLE Handle, Guarded;
    PVOID Object = TestNewObject(TEST_QUERY, &Handle), Got;
    OBJECT_HANDLE_INFORMATION Info;

    (void)State;
    assert_int_equal(NtSetInformationObject(Handle, ObjectHandleFlagInformation, &Flags, sizeof(Flags)),
                     STATUS_SUCCESS);
    assert_int_equal(NtQueryObject(Handle, ObjectHandleFlagInformation, &Read, sizeof(Read), NULL), STATUS_SUCCESS);
    assert_false(Read.Inherit);
    assert_true(Read.ProtectFromClose);
    ObReferenceObjectByHandle(Handle, 0, NULL, KernelMode, &Got, &Info);
    ObDereferenceObject(Got);
    assert_int_equal(Info.HandleAttributes, OBJ_PROTECT_CLOSE);
    assert_int_equal(Info.GrantedAccess, TEST_QUERY);   /* the bit is not an access right */

    assert_int_equal(NtClose(Handle), STATUS_HANDLE_NOT_CLOSABLE);
    assert_ptr_equal(TestObjectOf(Handle), Object);
    assert_int_equal(TestCalls.Closes, 0);

    Flags.ProtectFromClose = FALSE;
    Flags.Inherit = TRUE;
    NtSetInformationObject(Handle, ObjectHandleFlagInformation, &Flags, sizeof(Flags));
    NtQueryObject(Handle, ObjectHandleFlagInformation, &Read, sizeof(Read), NULL);
    assert_true(Read.Inherit);
    assert_false(Read.ProtectFromClose);
    assert_int_equal(NtClose(Handle), STATUS_SUCCESS);
    assert_int_equal(NtSetInformationObject(Handle, ObjectHandleFlagInformation, &Flags, sizeof(Flags)),
                     STATUS_INVALID_HANDLE);
    assert_int_equal(NtSetInformationObject(Handle, ObjectBasicInformation, &Flags, sizeof(Flags)),
                     STATUS_INVALID_INFO_CLASS);
    assert_int_equal(NtSetInformationObject(Handle, ObjectHandleFlagInformation, &Flags, 1),
                     STATUS_INFO_LENGTH_MISMATCH);

    /* A type's OkayToClose procedure can refuse too. */
    TestCreate(TestGuardedType, NULL, 0, NULL, 0, &Guarded);
    TestCalls.OkayToClose = FALSE;
    assert_int_equal(NtClose(Guarded), STATUS_HANDLE_NOT_CLOSABLE);
    assert_int_equal(TestCalls.OkayToCloseCalls, 1);
    TestCalls.OkayToClose = TRUE;
    assert_int_equal(NtClose(Guarded), STATUS_SUCCESS);
}

/* ---- duplication ---- */

static void test_duplicate_within_a_table(void **State)
{
    HANDLE Source, Copy, Kernel;
    PVOID Object = TestNewObject(TEST_QUERY | TEST_MODIFY, &Source), Got;
    OBJECT_HANDLE_INFORMATION Info;

    (void)State;
    assert_int_equal(NtDuplicateObject(NtCurrentProcess(), Source, NtCurrentProcess(), &Copy, 0, 0,
                                       DUPLICATE_SAME_ACCESS), STATUS_SUCCESS);
    assert_int_equal(TestHandleCount(Object), 2);
    assert_int_equal(TestPointerCount(Object), 2);
    assert_int_equal(TestCalls.LastOpenReason, ObDuplicateHandle);
    ObReferenceObjectByHandle(Copy, 0, NULL, KernelMode, &Got, &Info);
    ObDereferenceObject(Got);
    assert_int_equal(Info.GrantedAccess, TEST_QUERY | TEST_MODIFY);
    NtClose(Copy);

    /* Less access, inheritable, the source closed. */
    assert_int_equal(NtDuplicateObject(NtCurrentProcess(), Source, NtCurrentProcess(), &Copy, TEST_QUERY,
                                       OBJ_INHERIT, DUPLICATE_CLOSE_SOURCE), STATUS_SUCCESS);
    assert_ptr_equal(Copy, H(8));       /* made before the source (4) was closed */
    assert_null(TestObjectOf(Source));
    ObReferenceObjectByHandle(Copy, 0, NULL, KernelMode, &Got, &Info);
    ObDereferenceObject(Got);
    assert_int_equal(Info.GrantedAccess, TEST_QUERY);
    assert_int_equal(Info.HandleAttributes, OBJ_INHERIT);
    assert_int_equal(TestHandleCount(Object), 1);

    /* The same attributes; a kernel handle. */
    assert_int_equal(ObDuplicateObject(ObpKernelHandleTable, Copy, ObpKernelHandleTable, &Kernel, 0,
                                       OBJ_KERNEL_HANDLE, DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES,
                                       KernelMode), STATUS_SUCCESS);
    assert_true((ULONG_PTR)Kernel & 0x80000000);
    ObReferenceObjectByHandle(Kernel, 0, NULL, KernelMode, &Got, &Info);
    ObDereferenceObject(Got);
    assert_int_equal(Info.HandleAttributes, OBJ_INHERIT);
    NtClose(Kernel);

    /* More access than the source: the kernel is trusted, user mode is not. */
    assert_int_equal(ObDuplicateObject(ObpKernelHandleTable, Copy, ObpKernelHandleTable, &Kernel, TEST_MODIFY, 0,
                                       0, UserMode), STATUS_ACCESS_DENIED);
    assert_null(Kernel);
    assert_int_equal(ObDuplicateObject(ObpKernelHandleTable, Copy, ObpKernelHandleTable, &Kernel, TEST_MODIFY, 0,
                                       0, KernelMode), STATUS_SUCCESS);
    NtClose(Kernel);

    assert_int_equal(NtDuplicateObject(NtCurrentProcess(), H(0x7F0), NtCurrentProcess(), &Kernel, 0, 0,
                                       DUPLICATE_SAME_ACCESS), STATUS_INVALID_HANDLE);
    assert_null(Kernel);
    assert_int_equal(NtDuplicateObject(NtCurrentProcess(), Copy, NtCurrentProcess(), &Kernel, 0, 0, 0x100),
                     STATUS_INVALID_PARAMETER);
    /* No target process: only the close. */
    assert_int_equal(NtDuplicateObject(NtCurrentProcess(), Copy, NULL, NULL, 0, 0, DUPLICATE_CLOSE_SOURCE),
                     STATUS_SUCCESS);
    assert_int_equal(TestCalls.Deletes, 1);
}

/* ---- deferred deletion ---- */

static void test_deferred_deletion(void **State)
{
    HANDLE Handle, Other;
    PVOID Object = TestNewObject(0, &Handle), Second = TestNewObject(0, &Other);

    (void)State;
    ObReferenceObject(Object);
    NtClose(Handle);
    TestIrql = DISPATCH_LEVEL;
    ObDereferenceObject(Object);        /* the last reference, too high to delete */
    assert_int_equal(TestCalls.Deletes, 0);
    assert_int_equal(TestPointerCount(Object), 0);
    TestIrql = APC_LEVEL;
    ObReferenceObject(Second);
    ObDereferenceObject(Second);        /* not a safe point: the queue waits */
    assert_int_equal(TestCalls.Deletes, 0);
    TestIrql = PASSIVE_LEVEL;
    ObReferenceObject(Second);
    ObDereferenceObject(Second);        /* a safe point: the queue is drained */
    assert_int_equal(TestCalls.Deletes, 1);
    assert_ptr_equal(TestCalls.LastDeleted, Object);

    /* At APC_LEVEL a deletion happens at once; ObCreateObject drains the queue too. */
    TestIrql = DISPATCH_LEVEL;
    NtClose(Other);
    assert_int_equal(TestCalls.Deletes, 1);
    TestIrql = PASSIVE_LEVEL;
    TestNewObject(0, &Handle);
    assert_int_equal(TestCalls.Deletes, 2);
    TestIrql = APC_LEVEL;
    NtClose(Handle);
    assert_int_equal(TestCalls.Deletes, 3);
}

/* ---- running out of memory ---- */

static HANDLE OomHandle, OomSecond;

static NTSTATUS OomCreateNamed(VOID)
{
    return TestCreate(TestObjectType, "\\BaseNamedObjects\\Oom", 0, NULL, 0, &OomHandle);
}

static VOID OomCloseHandle(VOID)
{
    assert_int_equal(NtClose(OomHandle), STATUS_SUCCESS);
}

static NTSTATUS OomDuplicate(VOID)
{
    return NtDuplicateObject(NtCurrentProcess(), OomHandle, NtCurrentProcess(), &OomSecond, 0, 0,
                             DUPLICATE_SAME_ACCESS);
}

static VOID OomCloseSecond(VOID)
{
    assert_int_equal(NtClose(OomSecond), STATUS_SUCCESS);
}

static NTSTATUS OomOpenByName(VOID)
{
    return TestOpen(TestObjectType, "\\BaseNamedObjects\\Oom", 0, NULL, 0, &OomSecond);
}

static PTEST_PROCESS OomParent, OomChild;

static NTSTATUS OomInitProcess(VOID)
{
    PHANDLE_TABLE Table;
    NTSTATUS Status = ObInitProcess(OomParent->ObjectTable, TRUE, NULL, &Table);

    if (NT_SUCCESS(Status))
        ObKillProcess(Table);
    return Status;
}

static VOID Nothing(VOID)
{
}

static void test_out_of_memory_everywhere(void **State)
{
    HANDLE Handles[600];
    PVOID Object;
    ULONG Index;

    (void)State;
    TestSweepFailures(OomCreateNamed, Nothing, 4);      /* create info, name, object, entry, name */
    TestSweepFailures(OomDuplicate, OomCloseSecond, 0);
    TestSweepFailures(OomOpenByName, OomCloseSecond, 1);

    /* Inheritance: the copy of a two-page table fails cleanly at each allocation. */
    Object = TestObjectOf(OomHandle);
    OomParent = TestCreateProcess(NULL, FALSE);
    TestSetCurrentProcess(OomParent, NULL);
    for (Index = 0; Index < 600; Index++)
        ObOpenObjectByPointer(Object, OBJ_INHERIT, NULL, 0, NULL, KernelMode, &Handles[Index]);
    TestSetCurrentProcess(NULL, NULL);
    TestSweepFailures(OomInitProcess, Nothing, 3);
    assert_int_equal(TestHandleCount(Object), 601);
    TestKillProcess(OomParent);
    ObDereferenceObject(OomParent);
    (void)OomChild;

    OomCloseHandle();
    assert_int_equal(TestOpen(TestObjectType, "\\BaseNamedObjects\\Oom", 0, NULL, 0, &OomSecond),
                     STATUS_OBJECT_NAME_NOT_FOUND);
}

int main(void)
{
#define T(Name) cmocka_unit_test_setup_teardown(Name, TestObSetup, TestObTeardown)
    const struct CMUnitTest Tests[] = {
        T(test_counts_through_create_insert_reference_close),
        T(test_deleted_exactly_at_last_reference),
        T(test_insert_bias_new_object_and_no_handle),
        T(test_failed_open_procedure_deletes_new_object),
        T(test_handle_values_and_reuse),
        T(test_thousands_of_handles_to_one_object),
        T(test_close_bad_handles),
        T(test_generic_mapping_and_access_checks),
        T(test_type_checks),
        T(test_protect_from_close),
        T(test_duplicate_within_a_table),
        T(test_deferred_deletion),
        T(test_out_of_memory_everywhere),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

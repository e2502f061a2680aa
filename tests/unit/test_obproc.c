/*
 * test_obproc.c - host tests of handle tables as processes use them (kernel/ob/):
 * kernel handles beside a process's own, the pseudo-handles through the process
 * issue's hooks, an object outliving its owner's exit (the seeds' rule), handles
 * duplicated between processes by handle, and inheritance at the same values.
 */
#include "test_obfix.h"

#define H(Value) ((HANDLE)(ULONG_PTR)(Value))

static void test_kernel_handles(void **State)
{
    PTEST_PROCESS Process = TestCreateProcess(NULL, FALSE);
    HANDLE Kernel, Plain;
    PVOID Object, Got;

    (void)State;
    assert_int_equal(TestCreate(TestObjectType, NULL, OBJ_KERNEL_HANDLE, NULL, TEST_ALL_ACCESS, &Kernel),
                     STATUS_SUCCESS);
    assert_true((ULONG_PTR)Kernel & 0x80000000);
    Object = TestObjectOf(Kernel);
    assert_non_null(Object);
    /* The same table entry without the bit: the kernel table is the System process's. */
    assert_ptr_equal(TestObjectOf(H((ULONG_PTR)Kernel & 0x7FFFFFFF)), Object);
    assert_int_equal(ObReferenceObjectByHandle(Kernel, 0, NULL, UserMode, &Got, NULL), STATUS_INVALID_HANDLE);
    TestPreviousMode = UserMode;
    assert_int_equal(NtClose(Kernel), STATUS_INVALID_HANDLE);
    TestPreviousMode = KernelMode;

    /* With a user process current, plain handles go to its table, kernel ones not. */
    TestSetCurrentProcess(Process, NULL);
    assert_int_equal(ObOpenObjectByPointer(Object, 0, NULL, 0, NULL, KernelMode, &Plain), STATUS_SUCCESS);
    assert_ptr_equal(Plain, H(4));
    assert_int_equal(Process->ObjectTable->HandleCount, 1);
    assert_ptr_equal(TestObjectOf(Kernel), Object);
    /* From user mode, OBJ_KERNEL_HANDLE is dropped: the handle is the process's. */
    TestPreviousMode = UserMode;
    assert_int_equal(ObOpenObjectByPointer(Object, OBJ_KERNEL_HANDLE, NULL, 0, NULL, UserMode, &Got),
                     STATUS_SUCCESS);
    assert_ptr_equal(Got, H(8));
    assert_int_equal(NtClose(Got), STATUS_SUCCESS);
    TestPreviousMode = KernelMode;
    assert_int_equal(NtClose(Plain), STATUS_SUCCESS);
    TestSetCurrentProcess(NULL, NULL);
    assert_int_equal(NtClose(Kernel), STATUS_SUCCESS);
    TestKillProcess(Process);
    ObDereferenceObject(Process);
}

static void test_pseudo_handles(void **State)
{
    PTEST_PROCESS Process = TestCreateProcess(NULL, FALSE);
    OBJECT_HANDLE_INFORMATION Info;
    HANDLE ThreadHandle;
    PVOID Thread = TestNewObject(0, &ThreadHandle), Got;

    (void)State;
    /* Before the process issue fills the hooks, there is no current process. */
    assert_int_equal(ObReferenceObjectByHandle(NtCurrentProcess(), 0, NULL, KernelMode, &Got, NULL),
                     STATUS_INVALID_HANDLE);
    assert_int_equal(ObReferenceObjectByHandle(NtCurrentThread(), 0, NULL, KernelMode, &Got, NULL),
                     STATUS_INVALID_HANDLE);

    TestSetCurrentProcess(Process, Thread);
    assert_int_equal(ObReferenceObjectByHandle(NtCurrentProcess(), TEST_MODIFY, TestProcessType, UserMode, &Got,
                                               &Info), STATUS_SUCCESS);
    assert_ptr_equal(Got, Process);
    assert_int_equal(Info.GrantedAccess, TEST_ALL_ACCESS);      /* the type's GENERIC_ALL */
    assert_int_equal(Info.HandleAttributes, 0);
    ObDereferenceObject(Got);
    assert_int_equal(ObReferenceObjectByHandle(NtCurrentThread(), 0, NULL, UserMode, &Got, NULL), STATUS_SUCCESS);
    assert_ptr_equal(Got, Thread);
    ObDereferenceObject(Got);
    assert_int_equal(ObReferenceObjectByHandle(NtCurrentProcess(), 0, TestObjectType, KernelMode, &Got, NULL),
                     STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(ObReferenceObjectByHandle(NtCurrentProcess(), 0x8000, NULL, UserMode, &Got, NULL),
                     STATUS_ACCESS_DENIED);
    TestSetCurrentProcess(NULL, NULL);
    NtClose(ThreadHandle);
    TestKillProcess(Process);
    ObDereferenceObject(Process);
    assert_int_equal(TestCalls.Deletes, 2);
}

/*
 * The seeds' rule: an object outlives the exit of the process that made it while
 * another process holds a handle; the process object itself outlives its exit
 * while a handle to it is open.
 */
static void test_handle_outlives_its_owners_exit(void **State)
{
    PTEST_PROCESS Owner = TestCreateProcess(NULL, FALSE), Other = TestCreateProcess(NULL, FALSE);
    HANDLE OwnerHandle, OtherHandle, ProcessHandle;
    PVOID Object;

    (void)State;
    TestSetCurrentProcess(Owner, NULL);
    Object = TestNewObject(TEST_ALL_ACCESS, &OwnerHandle);
    assert_ptr_equal(OwnerHandle, H(4));
    TestSetCurrentProcess(NULL, NULL);
    assert_int_equal(ObOpenObjectByPointer(Owner, 0, NULL, TEST_ALL_ACCESS, NULL, KernelMode, &ProcessHandle),
                     STATUS_SUCCESS);
    assert_int_equal(ObDuplicateObject(Owner->ObjectTable, OwnerHandle, Other->ObjectTable, &OtherHandle, 0, 0,
                                       DUPLICATE_SAME_ACCESS, KernelMode), STATUS_SUCCESS);
    assert_int_equal(TestCalls.LastOpenProcess, (PEPROCESS)Other);
    assert_int_equal(TestHandleCount(Object), 2);

    /* The owner exits: its handle is closed, the object lives on in Other. */
    TestKillProcess(Owner);
    assert_int_equal(TestCalls.LastCloseProcess, (PEPROCESS)Owner);
    assert_int_equal(TestHandleCount(Object), 1);
    assert_int_equal(TestCalls.Deletes, 0);
    ObDereferenceObject(Owner);         /* the creator's reference: the handle still holds it */
    assert_int_equal(TestCalls.Deletes, 0);
    assert_int_equal(TestPointerCount(Owner), 1);

    TestKillProcess(Other);
    assert_int_equal(TestCalls.Deletes, 1);             /* the object, at Other's exit */
    ObDereferenceObject(Other);
    assert_int_equal(TestCalls.Deletes, 2);
    NtClose(ProcessHandle);
    assert_int_equal(TestCalls.Deletes, 3);             /* the exited process, at last */
}

/*
 * NtDuplicateObject between processes named by handles: the caller (Manager) holds
 * handles to both processes, as csrss does.
 */
static void test_duplicate_between_processes_by_handle(void **State)
{
    PTEST_PROCESS Manager = TestCreateProcess(NULL, FALSE), Source = TestCreateProcess(NULL, FALSE);
    PTEST_PROCESS Target = TestCreateProcess(NULL, FALSE);
    HANDLE SourceProcess, TargetProcess, InSource, InTarget, NotAProcess, Mine;
    PVOID Object;

    (void)State;
    TestSetCurrentProcess(Source, NULL);
    Object = TestNewObject(TEST_QUERY, &InSource);
    TestSetCurrentProcess(Manager, NULL);
    ObOpenObjectByPointer(Source, 0, NULL, TEST_ALL_ACCESS, NULL, KernelMode, &SourceProcess);
    ObOpenObjectByPointer(Target, 0, NULL, TEST_ALL_ACCESS, NULL, KernelMode, &TargetProcess);
    ObOpenObjectByPointer(Object, 0, NULL, 0, NULL, KernelMode, &NotAProcess);

    assert_int_equal(NtDuplicateObject(SourceProcess, InSource, TargetProcess, &InTarget, 0, 0,
                                       DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE), STATUS_SUCCESS);
    assert_ptr_equal(InTarget, H(4));
    assert_int_equal(Source->ObjectTable->HandleCount, 0);
    assert_int_equal(Target->ObjectTable->HandleCount, 1);
    assert_int_equal(TestCalls.LastOpenProcess, (PEPROCESS)Target);
    assert_int_equal(TestHandleCount(Object), 2);

    /* From the target to the caller itself, named by NtCurrentProcess(). */
    assert_int_equal(NtDuplicateObject(TargetProcess, InTarget, NtCurrentProcess(), &Mine, 0, 0,
                                       DUPLICATE_SAME_ACCESS), STATUS_SUCCESS);
    assert_ptr_equal(TestObjectOf(Mine), Object);
    assert_int_equal(NtDuplicateObject(NotAProcess, InTarget, TargetProcess, &InTarget, 0, 0, 0),
                     STATUS_OBJECT_TYPE_MISMATCH);
    assert_int_equal(NtDuplicateObject(H(0x7F8), InTarget, TargetProcess, &InTarget, 0, 0, 0),
                     STATUS_INVALID_HANDLE);
    /* A process whose table is gone (it is exiting). */
    TestKillProcess(Source);
    assert_int_equal(NtDuplicateObject(SourceProcess, H(4), TargetProcess, &InTarget, 0, 0, 0),
                     STATUS_PROCESS_IS_TERMINATING);
    TestSetCurrentProcess(NULL, NULL);

    TestKillProcess(Target);
    TestKillProcess(Manager);           /* closes Mine, NotAProcess and the process handles */
    ObDereferenceObject(Manager);
    ObDereferenceObject(Source);
    ObDereferenceObject(Target);
    assert_int_equal(TestCalls.Deletes, 4);
}

static void test_inheritance(void **State)
{
    PTEST_PROCESS Parent = TestCreateProcess(NULL, FALSE), Child, Empty;
    HANDLE Inheritable, Private, Protected;
    PVOID A, B, C, Got;
    OBJECT_HANDLE_INFORMATION Info;

    (void)State;
    TestSetCurrentProcess(Parent, NULL);
    assert_int_equal(TestCreate(TestObjectType, NULL, OBJ_INHERIT, NULL, TEST_QUERY, &Inheritable), STATUS_SUCCESS);
    assert_int_equal(TestCreate(TestObjectType, NULL, 0, NULL, TEST_QUERY, &Private), STATUS_SUCCESS);
    assert_int_equal(TestCreate(TestObjectType, NULL, OBJ_INHERIT, NULL, TEST_MODIFY, &Protected), STATUS_SUCCESS);
    A = TestObjectOf(Inheritable);
    B = TestObjectOf(Private);
    C = TestObjectOf(Protected);
    {
        OBJECT_HANDLE_FLAG_INFORMATION Flags = { TRUE, TRUE };
        NtSetInformationObject(Protected, ObjectHandleFlagInformation, &Flags, sizeof(Flags));
    }
    TestSetCurrentProcess(NULL, NULL);

    TestCalls.Opens = 0;
    Child = TestCreateProcess(Parent->ObjectTable, TRUE);
    assert_int_equal(Child->ObjectTable->HandleCount, 2);
    assert_int_equal(TestCalls.Opens, 2);
    assert_int_equal(TestCalls.LastOpenReason, ObInheritHandle);
    assert_int_equal(TestCalls.LastOpenProcess, (PEPROCESS)Child);
    assert_int_equal(TestHandleCount(A), 2);
    assert_int_equal(TestHandleCount(B), 1);
    assert_int_equal(TestHandleCount(C), 2);

    /* At the same values, with the same access and attributes. */
    TestSetCurrentProcess(Child, NULL);
    assert_int_equal(ObReferenceObjectByHandle(Inheritable, 0, NULL, KernelMode, &Got, &Info), STATUS_SUCCESS);
    assert_ptr_equal(Got, A);
    assert_int_equal(Info.GrantedAccess, TEST_QUERY);
    ObDereferenceObject(Got);
    assert_int_equal(ObReferenceObjectByHandle(Private, 0, NULL, KernelMode, &Got, NULL), STATUS_INVALID_HANDLE);
    assert_int_equal(ObReferenceObjectByHandle(Protected, 0, NULL, KernelMode, &Got, &Info), STATUS_SUCCESS);
    assert_ptr_equal(Got, C);
    assert_int_equal(Info.HandleAttributes, OBJ_INHERIT | OBJ_PROTECT_CLOSE);
    ObDereferenceObject(Got);
    assert_int_equal(NtClose(Protected), STATUS_HANDLE_NOT_CLOSABLE);
    TestSetCurrentProcess(NULL, NULL);

    /* No inheritance asked: an empty table. An open procedure's refusal leaves the
       handle out. */
    Empty = TestCreateProcess(Parent->ObjectTable, FALSE);
    assert_int_equal(Empty->ObjectTable->HandleCount, 0);
    TestKillProcess(Empty);
    ObDereferenceObject(Empty);
    TestCalls.OpenResult = STATUS_ACCESS_DENIED;
    Empty = TestCreateProcess(Parent->ObjectTable, TRUE);
    TestCalls.OpenResult = STATUS_SUCCESS;
    assert_int_equal(Empty->ObjectTable->HandleCount, 0);
    assert_int_equal(TestHandleCount(A), 2);
    TestKillProcess(Empty);
    ObDereferenceObject(Empty);

    /* Exits close even protected handles. */
    TestKillProcess(Child);
    assert_int_equal(TestHandleCount(C), 1);
    TestKillProcess(Parent);
    ObDereferenceObject(Child);
    ObDereferenceObject(Parent);
    assert_int_equal(TestCalls.Deletes, 3 + 4);      /* A, B, C and four processes */
}

int main(void)
{
#define T(Name) cmocka_unit_test_setup_teardown(Name, TestObSetup, TestObTeardown)
    const struct CMUnitTest Tests[] = {
        T(test_kernel_handles),
        T(test_pseudo_handles),
        T(test_handle_outlives_its_owners_exit),
        T(test_duplicate_between_processes_by_handle),
        T(test_inheritance),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

/*
 * test_handle.c - host tests of the executive's handle tables (kernel/ex/handle.c):
 * handle values, reuse of the lowest free entry, growth through NT's three levels,
 * bad handles, duplication with a mask, sweeping, enumeration, running out of
 * memory at every allocation, and the client-ID use of the same tables.
 *
 * The objects are fake: 8-byte aligned addresses in an array, which is all a table
 * needs (it never looks behind the pointer).
 */
#include "test_obhost.h"

#define HANDLE_TABLE_TAG EX_POOL_TAG('O', 'b', 't', 'b')

static ULONGLONG Objects[64];

static PVOID ObjectAt(ULONG Index)
{
    return &Objects[Index % RTL_NUMBER_OF(Objects)];
}

static HANDLE CreateWith(PHANDLE_TABLE Table, PVOID Object, ULONG Attributes, ACCESS_MASK Access)
{
    HANDLE_TABLE_ENTRY Entry;

    Entry.Object = (PVOID)((ULONG_PTR)Object | Attributes);
    Entry.GrantedAccess = Access;
    return ExCreateHandle(Table, &Entry);
}

static HANDLE Create(PHANDLE_TABLE Table, ULONG Index)
{
    return CreateWith(Table, ObjectAt(Index), 0, Index);
}

/* The object and access behind a handle, or NULL. */
static PVOID Lookup(PHANDLE_TABLE Table, HANDLE Handle, ACCESS_MASK *Access)
{
    PHANDLE_TABLE_ENTRY Entry = ExMapHandleToPointer(Table, Handle);
    PVOID Object;

    if (Entry == NULL)
        return NULL;
    Object = (PVOID)(Entry->Value & ~EX_HANDLE_ENTRY_ATTRIBUTES);
    if (Access != NULL)
        *Access = Entry->GrantedAccess;
    ExUnlockHandleTableEntry(Table, Entry);
    return Object;
}

#define H(Value) ((HANDLE)(ULONG_PTR)(Value))

static int Setup(void **State)
{
    (void)State;
    TestPoolFailAt(0);
    assert_int_equal(TestPoolLiveBlocks(), 0);
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    TestPoolFailAt(0);
    assert_int_equal(TestPoolLiveBlocks(), 0);     /* every test gives everything back */
    return 0;
}

static void test_values_start_at_4_and_step_by_4(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    ULONG Index;

    (void)State;
    assert_non_null(Table);
    for (Index = 1; Index <= 10; Index++)
        assert_ptr_equal(Create(Table, Index), H(Index * 4));
    assert_int_equal(Table->HandleCount, 10);
    for (Index = 1; Index <= 10; Index++)
        assert_ptr_equal(Lookup(Table, H(Index * 4), NULL), ObjectAt(Index));
    ExDestroyHandleTable(Table, NULL, NULL);
}

static void test_low_two_bits_are_ignored(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    ACCESS_MASK Access;

    (void)State;
    assert_ptr_equal(Create(Table, 7), H(4));
    assert_ptr_equal(Lookup(Table, H(5), &Access), ObjectAt(7));
    assert_int_equal(Access, 7);
    assert_ptr_equal(Lookup(Table, H(6), NULL), ObjectAt(7));
    assert_ptr_equal(Lookup(Table, H(7), NULL), ObjectAt(7));
    assert_true(ExDestroyHandle(Table, H(7), NULL, NULL));
    assert_null(Lookup(Table, H(4), NULL));
    ExDestroyHandleTable(Table, NULL, NULL);
}

static void test_bad_handles(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);

    (void)State;
    Create(Table, 1);
    assert_null(ExMapHandleToPointer(Table, H(0)));             /* never valid */
    assert_null(ExMapHandleToPointer(Table, H(3)));             /* still index 0 */
    assert_null(ExMapHandleToPointer(Table, H(8)));             /* free */
    assert_null(ExMapHandleToPointer(Table, H(0x800)));         /* beyond the first page */
    assert_null(ExMapHandleToPointer(Table, H(0x80000004)));    /* far beyond */
    assert_null(ExMapHandleToPointer(Table, H(0xFFFFFFFC)));
    assert_false(ExDestroyHandle(Table, H(8), NULL, NULL));
    assert_false(ExDestroyHandle(Table, H(0), NULL, NULL));
    ExDestroyHandleTable(Table, NULL, NULL);
}

static void test_lowest_free_is_reused_first(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    ULONG Index;

    (void)State;
    for (Index = 1; Index <= 6; Index++)
        Create(Table, Index);                       /* 4 .. 24 */
    assert_true(ExDestroyHandle(Table, H(20), NULL, NULL));
    assert_true(ExDestroyHandle(Table, H(8), NULL, NULL));
    assert_true(ExDestroyHandle(Table, H(12), NULL, NULL));
    assert_int_equal(Table->HandleCount, 3);
    /* Whatever the order they were freed in, the lowest comes back first. */
    assert_ptr_equal(Create(Table, 40), H(8));
    assert_ptr_equal(Create(Table, 41), H(12));
    assert_ptr_equal(Create(Table, 42), H(20));
    assert_ptr_equal(Create(Table, 43), H(28));
    assert_ptr_equal(Lookup(Table, H(12), NULL), ObjectAt(41));
    ExDestroyHandleTable(Table, NULL, NULL);
}

static void test_destroy_returns_the_entry(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    HANDLE_TABLE_ENTRY Removed;
    PHANDLE_TABLE_ENTRY Entry;
    HANDLE Handle = CreateWith(Table, ObjectAt(3), 2, 0x1234);

    (void)State;
    Entry = ExMapHandleToPointer(Table, Handle);
    assert_non_null(Entry);
    /* The locked entry form: the table is unlocked by the call. */
    assert_true(ExDestroyHandle(Table, Handle, Entry, &Removed));
    assert_int_equal(Removed.Value, (ULONG_PTR)ObjectAt(3) | 2);
    assert_int_equal(Removed.GrantedAccess, 0x1234);
    assert_int_equal(Table->HandleCount, 0);
    assert_null(ExMapHandleToPointer(Table, Handle));
    ExDestroyHandleTable(Table, NULL, NULL);
}

/* Handle values skip entry 0 of every page: 0x800, 0x1000, ... */
static void test_growth_past_thousands(void **State)
{
    enum { Count = 5000 };
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    static HANDLE Handles[Count];
    ULONG Index;

    (void)State;
    for (Index = 0; Index < Count; Index++) {
        Handles[Index] = Create(Table, Index);
        assert_non_null(Handles[Index]);
        assert_int_equal((ULONG_PTR)Handles[Index] % 4, 0);
        assert_int_not_equal((ULONG_PTR)Handles[Index] % 0x800, 0);
        if (Index > 0)
            assert_true(Handles[Index] > Handles[Index - 1]);
    }
    assert_int_equal((ULONG_PTR)Handles[510], 0x7FC);
    assert_int_equal((ULONG_PTR)Handles[511], 0x804);
    assert_int_equal(Table->TableCode & 3, 1);          /* two levels now */
    assert_int_equal(Table->HandleCount, Count);
    for (Index = 0; Index < Count; Index++) {
        ACCESS_MASK Access;
        assert_ptr_equal(Lookup(Table, Handles[Index], &Access), ObjectAt(Index));
        assert_int_equal(Access, Index);
    }
    /* Free a few in the middle of later pages: they come back lowest first. */
    assert_true(ExDestroyHandle(Table, Handles[3000], NULL, NULL));
    assert_true(ExDestroyHandle(Table, Handles[1000], NULL, NULL));
    assert_ptr_equal(Create(Table, 1), Handles[1000]);
    assert_ptr_equal(Create(Table, 2), Handles[3000]);
    ExDestroyHandleTable(Table, NULL, NULL);
}

/* Past 1024 pages (523,264 handles) a third level appears. */
static void test_growth_to_three_levels(void **State)
{
    enum { Count = 1024 * 511 + 600 };
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    HANDLE Handle = NULL, Last = NULL;
    ULONG Index;

    (void)State;
    for (Index = 0; Index < Count; Index++) {
        Handle = Create(Table, Index);
        assert_non_null(Handle);
        if (Index == 1024 * 511 - 1)
            assert_int_equal(Table->TableCode & 3, 1);
        Last = Handle;
    }
    assert_int_equal(Table->TableCode & 3, 2);
    assert_ptr_equal(Lookup(Table, Last, NULL), ObjectAt(Count - 1));
    assert_ptr_equal(Lookup(Table, H(4), NULL), ObjectAt(0));
    assert_ptr_equal(Lookup(Table, H(0x200004), NULL), ObjectAt(1024 * 511));
    assert_true(ExDestroyHandle(Table, H(0x100004), NULL, NULL));
    assert_ptr_equal(Create(Table, 5), H(0x100004));
    ExDestroyHandleTable(Table, NULL, NULL);
}

static BOOLEAN SetAccess(PHANDLE_TABLE_ENTRY Entry, ULONG_PTR Parameter)
{
    if (Parameter == 0)
        return FALSE;
    Entry->GrantedAccess = (ACCESS_MASK)Parameter;
    return TRUE;
}

static void test_change_handle(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    HANDLE Handle = Create(Table, 1);
    ACCESS_MASK Access;

    (void)State;
    assert_true(ExChangeHandle(Table, Handle, SetAccess, 0x77));
    Lookup(Table, Handle, &Access);
    assert_int_equal(Access, 0x77);
    assert_false(ExChangeHandle(Table, Handle, SetAccess, 0));  /* the routine says no */
    assert_false(ExChangeHandle(Table, H(8), SetAccess, 1));    /* a free entry */
    ExDestroyHandleTable(Table, NULL, NULL);
}

static ULONG DupCalls;

static BOOLEAN DupOddAccess(struct _EPROCESS *Process, PHANDLE_TABLE Old, PHANDLE_TABLE_ENTRY OldEntry,
                            PHANDLE_TABLE_ENTRY NewEntry)
{
    (void)Process;
    (void)Old;
    DupCalls++;
    assert_int_equal(OldEntry->Value, NewEntry->Value);
    NewEntry->GrantedAccess |= 0x1000;          /* the procedure may change the copy */
    return (OldEntry->GrantedAccess & 1) != 0;
}

/* Entries with bit 2 (the object manager's OBJ_INHERIT) and odd access are copied. */
static void test_duplicate_with_mask(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL), Copy;
    struct _EPROCESS *Process = (struct _EPROCESS *)ObjectAt(60);
    ACCESS_MASK Access;
    ULONG Index;

    (void)State;
    for (Index = 1; Index <= 600; Index++)
        CreateWith(Table, ObjectAt(Index), (Index % 3 == 0) ? 2 : 0, Index);
    ExDestroyHandle(Table, H(9 * 4), NULL, NULL);
    DupCalls = 0;
    Copy = ExDupHandleTable(Process, Table, DupOddAccess, 2);
    assert_non_null(Copy);
    assert_ptr_equal(Copy->QuotaProcess, Process);
    assert_int_equal(DupCalls, 199);                /* multiples of 3 up to 600, but 9 */
    for (Index = 1; Index <= 600; Index++) {
        /* Handle values: index 511 is the first on page 2 (0x804). */
        HANDLE Handle = H((Index < 512 ? Index : Index + 1) * 4);
        PVOID Object = Lookup(Copy, Handle, &Access);

        if (Index % 3 == 0 && Index % 2 == 1 && Index != 9) {
            assert_ptr_equal(Object, ObjectAt(Index));
            assert_int_equal(Access, Index | 0x1000);
        } else {
            assert_null(Object);
        }
    }
    assert_int_equal(Copy->HandleCount, 99);
    /* The copy gives out its own lowest free value next. */
    assert_ptr_equal(Create(Copy, 1), H(4));
    ExDestroyHandleTable(Copy, NULL, NULL);
    ExDestroyHandleTable(Table, NULL, NULL);
}

static HANDLE Swept[16];
static ULONG SweptCount;

static VOID SweepRecord(PHANDLE_TABLE_ENTRY Entry, HANDLE Handle, PVOID Context)
{
    assert_ptr_equal(Context, ObjectAt(50));
    assert_int_equal(Entry->GrantedAccess, (ULONG_PTR)Handle / 4 * 10);
    Swept[SweptCount++] = Handle;
}

static void test_sweep_and_destroy_procedure(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    ULONG Index;

    (void)State;
    for (Index = 1; Index <= 5; Index++)
        CreateWith(Table, ObjectAt(Index), 0, Index * 10);
    ExDestroyHandle(Table, H(12), NULL, NULL);
    SweptCount = 0;
    ExSweepHandleTable(Table, SweepRecord, ObjectAt(50));
    assert_int_equal(SweptCount, 4);
    assert_ptr_equal(Swept[0], H(4));
    assert_ptr_equal(Swept[1], H(8));
    assert_ptr_equal(Swept[2], H(16));
    assert_ptr_equal(Swept[3], H(20));
    assert_int_equal(Table->HandleCount, 0);
    assert_null(Lookup(Table, H(4), NULL));

    /* Destroy calls its procedure for what is left. */
    CreateWith(Table, ObjectAt(1), 0, 10);
    SweptCount = 0;
    ExDestroyHandleTable(Table, SweepRecord, ObjectAt(50));
    assert_int_equal(SweptCount, 1);
}

static BOOLEAN FindAccess(PHANDLE_TABLE_ENTRY Entry, HANDLE Handle, PVOID Parameter)
{
    (void)Handle;
    return Entry->GrantedAccess == (ACCESS_MASK)(ULONG_PTR)Parameter;
}

static void test_enumerate(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    HANDLE Found = NULL;
    ULONG Index;

    (void)State;
    for (Index = 1; Index <= 700; Index++)
        Create(Table, Index);
    assert_true(ExEnumHandleTable(Table, FindAccess, (PVOID)600, &Found));
    assert_ptr_equal(Found, H(601 * 4));
    assert_false(ExEnumHandleTable(Table, FindAccess, (PVOID)9999, &Found));
    ExDestroyHandleTable(Table, NULL, NULL);
}

/* ---- running out of memory ---- */

static void test_create_table_out_of_memory(void **State)
{
    ULONG Nth;

    (void)State;
    for (Nth = 1; Nth <= 2; Nth++) {
        TestPoolFailAt(Nth);
        assert_null(ExCreateHandleTable(NULL));
        assert_int_equal(TestPoolLiveBlocks(), 0);
    }
}

/* Every allocation of a table's growth, through both level changes, may fail:
   the table stays as it was and works on. */
static void test_growth_out_of_memory(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL);
    ULONG Index, Blocks, Attempts = 0, Failures = 0;
    HANDLE Handle;

    (void)State;
    for (Index = 0; Index < 1024 * 511 + 10; Index++) {
        /* At every page boundary, fail each allocation of the growth in turn. */
        if ((Index + 1) % 511 == 1 && Index != 0) {
            ULONG Nth;

            for (Nth = 1;; Nth++) {
                Blocks = TestPoolLiveBlocks();
                TestPoolFailAt(Nth);
                Handle = Create(Table, Index);
                Attempts++;
                if (!TestPoolFailureHappened()) {
                    TestPoolFailAt(0);
                    assert_non_null(Handle);
                    break;
                }
                Failures++;
                assert_null(Handle);
                assert_int_equal(TestPoolLiveBlocks(), Blocks);
                assert_int_equal(Table->HandleCount, (LONG)Index);
            }
        } else {
            assert_non_null(Create(Table, Index));
        }
    }
    /* 1024 page additions failed once each, the level changes up to three times. */
    assert_true(Failures >= 1024);
    assert_int_equal(Table->TableCode & 3, 2);
    assert_ptr_equal(Lookup(Table, H(4), NULL), ObjectAt(0));
    ExDestroyHandleTable(Table, NULL, NULL);
    (void)Attempts;
}

static BOOLEAN DupAll(struct _EPROCESS *Process, PHANDLE_TABLE Old, PHANDLE_TABLE_ENTRY OldEntry,
                      PHANDLE_TABLE_ENTRY NewEntry)
{
    (void)Process;
    (void)Old;
    (void)OldEntry;
    (void)NewEntry;
    DupCalls++;
    return TRUE;
}

/* A failed duplication copies nothing: no procedure call happened. */
static void test_duplicate_out_of_memory(void **State)
{
    PHANDLE_TABLE Table = ExCreateHandleTable(NULL), Copy;
    ULONG Index, Nth, Blocks;

    (void)State;
    for (Index = 1; Index <= 1200; Index++)
        Create(Table, Index);
    Blocks = TestPoolLiveBlocks();
    for (Nth = 1;; Nth++) {
        DupCalls = 0;
        TestPoolFailAt(Nth);
        Copy = ExDupHandleTable(NULL, Table, DupAll, 0);
        if (!TestPoolFailureHappened())
            break;
        assert_null(Copy);
        assert_int_equal(DupCalls, 0);
        assert_int_equal(TestPoolLiveBlocks(), Blocks);
    }
    TestPoolFailAt(0);
    assert_non_null(Copy);
    assert_int_equal(Nth, 6);       /* table, page 1, middle level, pages 2 and 3, then success */
    assert_int_equal(DupCalls, 1200);
    assert_int_equal(Copy->HandleCount, 1200);
    ExDestroyHandleTable(Copy, NULL, NULL);
    ExDestroyHandleTable(Table, NULL, NULL);
}

/* ---- client IDs: the same tables, as the process manager uses PspCidTable ---- */

static void test_client_ids(void **State)
{
    PHANDLE_TABLE CidTable = ExCreateHandleTable(NULL);
    PVOID Process = ObjectAt(10), Thread = ObjectAt(11), Thread2 = ObjectAt(12);
    HANDLE Pid, Tid, Tid2;

    (void)State;
    Pid = CreateWith(CidTable, Process, 0, 0);
    Tid = CreateWith(CidTable, Thread, 0, 0);
    assert_ptr_equal(Pid, H(4));        /* NT's System process is PID 4 */
    assert_ptr_equal(Tid, H(8));
    assert_ptr_equal(Lookup(CidTable, Pid, NULL), Process);
    assert_ptr_equal(Lookup(CidTable, Tid, NULL), Thread);
    assert_true(ExDestroyHandle(CidTable, Tid, NULL, NULL));   /* the thread is gone */
    assert_null(Lookup(CidTable, Tid, NULL));
    Tid2 = CreateWith(CidTable, Thread2, 0, 0);
    assert_ptr_equal(Tid2, H(8));       /* its ID is reused */
    ExDestroyHandleTable(CidTable, NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_values_start_at_4_and_step_by_4, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_low_two_bits_are_ignored, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_bad_handles, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_lowest_free_is_reused_first, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_destroy_returns_the_entry, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_growth_past_thousands, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_growth_to_three_levels, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_change_handle, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_with_mask, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_sweep_and_destroy_procedure, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_enumerate, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_create_table_out_of_memory, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_growth_out_of_memory, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_out_of_memory, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_client_ids, Setup, Teardown),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

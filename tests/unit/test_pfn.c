/*
 * test_pfn.c - host tests for the PFN database (kernel/mm/pfnlist.c).
 *
 * The test plays the rest of the kernel:
 *  - MiZeroPhysicalPage zeroes a page of a simulated RAM array (an anonymous mapping
 *    as large as the machine, so pages never touched cost nothing) and counts calls;
 *  - KeBugCheckEx records the code and parameters and longjmps back to the test that
 *    expected it (an unexpected bugcheck fails the test);
 *  - DbgPrint keeps the last line, so a test can see that a bugcheck said why first.
 * The database memory is filled with garbage before each boot: initialization must not
 * count on zeroed memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <ke.h>
#include <kd.h>
#include <rtl.h>
#include "../../kernel/mm/pfn.h"

#define HOLE ((TYPE_OF_MEMORY)LoaderMaximum)    /* TypeOfPage: no descriptor */
#define DIRTY 0xA5

/* ---- the simulated machine ---- */

static struct {
    const MEMORY_ALLOCATION_DESCRIPTOR *Descriptors;
    ULONG DescriptorCount;
    const PHYSICAL_MEMORY_RUN *Runs;
    ULONG RunCount;
    PFN_NUMBER Highest;
    PMMPFN Database;
    SIZE_T DatabaseBytes;
    PUCHAR Ram;             /* NULL for machines too large to simulate */
    SIZE_T RamBytes;
} Machine;

static ULONG ZeroCalls;
static PFN_NUMBER LastZeroedPage;

VOID MiZeroPhysicalPage(PFN_NUMBER Page)
{
    assert_non_null(Machine.Ram);
    assert_true(Page != 0 && Page <= Machine.Highest);
    memset(Machine.Ram + (SIZE_T)Page * PAGE_SIZE, 0, PAGE_SIZE);
    ZeroCalls++;
    LastZeroedPage = Page;
}

static CHAR LastDbgPrint[256];
static ULONG DbgPrintCalls;

ULONG DbgPrint(PCSTR Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = vsnprintf(LastDbgPrint, sizeof(LastDbgPrint), Format, Args);
    va_end(Args);
    DbgPrintCalls++;
    return (ULONG)Length;
}

static struct {
    ULONG Code;
    ULONG_PTR Parameters[4];
    ULONG DbgPrintCalls;    /* DbgPrintCalls when KeBugCheckEx was entered */
} BugCheck;
static jmp_buf BugCheckJump;
static BOOLEAN BugCheckExpected;

VOID KeBugCheckEx(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    BugCheck.Code = Code;
    BugCheck.Parameters[0] = P1;
    BugCheck.Parameters[1] = P2;
    BugCheck.Parameters[2] = P3;
    BugCheck.Parameters[3] = P4;
    BugCheck.DbgPrintCalls = DbgPrintCalls;
    if (!BugCheckExpected) {
        fail_msg("unexpected bugcheck 0x%lx (0x%lx, 0x%lx, 0x%lx, 0x%lx): %s", Code,
                 (ULONG)P1, (ULONG)P2, (ULONG)P3, (ULONG)P4, LastDbgPrint);
        abort();
    }
    longjmp(BugCheckJump, 1);
}

/* Runs Routine(Page); TRUE when it bugchecked after printing a line. */
static BOOLEAN CallExpectingBugCheck(VOID (*Routine)(PFN_NUMBER), PFN_NUMBER Page)
{
    ULONG PrintsBefore = DbgPrintCalls;

    BugCheck.Code = 0;
    BugCheckExpected = TRUE;
    if (setjmp(BugCheckJump) == 0) {
        Routine(Page);
        BugCheckExpected = FALSE;
        print_message("no bugcheck for page 0x%lx\n", Page);
        return FALSE;
    }
    BugCheckExpected = FALSE;
    if (BugCheck.DbgPrintCalls <= PrintsBefore) {
        print_message("bugcheck without a DbgPrint line first\n");
        return FALSE;
    }
    return TRUE;
}

static void CheckBugCheck(VOID (*Routine)(PFN_NUMBER), PFN_NUMBER Page, ULONG Reason,
                          ULONG_PTR P2, ULONG_PTR P3)
{
    assert_true(CallExpectingBugCheck(Routine, Page));
    assert_int_equal(BugCheck.Code, PFN_LIST_CORRUPT);
    assert_int_equal(BugCheck.Code, 0x4E);
    assert_int_equal(BugCheck.Parameters[0], Reason);
    assert_int_equal(BugCheck.Parameters[1], P2);
    assert_int_equal(BugCheck.Parameters[2], P3);
    assert_non_null(strstr(LastDbgPrint, "PFN_LIST_CORRUPT"));
}

static VOID RemoveAnyPageRoutine(PFN_NUMBER Unused)
{
    (void)Unused;
    (void)MiRemoveAnyPage();
}

static VOID RemoveZeroPageRoutine(PFN_NUMBER Unused)
{
    (void)Unused;
    (void)MiRemoveZeroPage();
}

static void FreeMachine(void)
{
    free(Machine.Database);
    if (Machine.Ram != NULL)
        munmap(Machine.Ram, Machine.RamBytes);
    memset(&Machine, 0, sizeof(Machine));
}

static int ShutdownMachine(void **state)
{
    (void)state;
    FreeMachine();
    return 0;
}

/* Allocates the database (full of garbage) and the RAM, and initializes. */
static NTSTATUS TryBoot(const MEMORY_ALLOCATION_DESCRIPTOR *Descriptors, ULONG DescriptorCount,
                        const PHYSICAL_MEMORY_RUN *Runs, ULONG RunCount)
{
    FreeMachine();
    Machine.Descriptors = Descriptors;
    Machine.DescriptorCount = DescriptorCount;
    Machine.Runs = Runs;
    Machine.RunCount = RunCount;
    Machine.Highest = MiFindHighestPhysicalPage(Descriptors, DescriptorCount);
    Machine.DatabaseBytes = MiPfnDatabaseBytes(Machine.Highest);
    Machine.Database = malloc(Machine.DatabaseBytes);
    assert_non_null(Machine.Database);
    memset(Machine.Database, 0xCC, Machine.DatabaseBytes);
    if (Machine.Highest < 0x10000) {
        Machine.RamBytes = (SIZE_T)(Machine.Highest + 1) * PAGE_SIZE;
        Machine.Ram = mmap(NULL, Machine.RamBytes, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        assert_true(Machine.Ram != MAP_FAILED);
    }
    ZeroCalls = 0;
    return MiInitializePfnDatabase(Descriptors, DescriptorCount, Machine.Database,
                                   Machine.DatabaseBytes, Runs, RunCount);
}

static void Boot(const MEMORY_ALLOCATION_DESCRIPTOR *Descriptors, ULONG DescriptorCount,
                 const PHYSICAL_MEMORY_RUN *Runs, ULONG RunCount)
{
    assert_int_equal(TryBoot(Descriptors, DescriptorCount, Runs, RunCount), STATUS_SUCCESS);
    assert_true(MiValidatePfnDatabase());
}

#define BOOT(Descriptors, Runs) \
    Boot((Descriptors), RTL_NUMBER_OF(Descriptors), (Runs), RTL_NUMBER_OF(Runs))

/* What the descriptors say a page is (HOLE: nothing). */
static TYPE_OF_MEMORY TypeOfPage(PFN_NUMBER Page)
{
    ULONG Index;

    for (Index = 0; Index < Machine.DescriptorCount; Index++) {
        const MEMORY_ALLOCATION_DESCRIPTOR *Descriptor = &Machine.Descriptors[Index];

        if (Page >= Descriptor->BasePage && Page - Descriptor->BasePage < Descriptor->PageCount)
            return Descriptor->MemoryType;
    }
    return HOLE;
}

static BOOLEAN IsReservedPage(PFN_NUMBER Page)
{
    ULONG Index;

    for (Index = 0; Index < Machine.RunCount; Index++) {
        if (Page >= Machine.Runs[Index].BasePage &&
            Page - Machine.Runs[Index].BasePage < Machine.Runs[Index].PageCount)
            return TRUE;
    }
    return FALSE;
}

static PUCHAR PageBytes(PFN_NUMBER Page)
{
    return Machine.Ram + (SIZE_T)Page * PAGE_SIZE;
}

static BOOLEAN PageIsFilledWith(PFN_NUMBER Page, UCHAR Value)
{
    ULONG Index;

    for (Index = 0; Index < PAGE_SIZE; Index++) {
        if (PageBytes(Page)[Index] != Value)
            return FALSE;
    }
    return TRUE;
}

static MMPFN_COUNTERS Counters(void)
{
    MMPFN_COUNTERS Snapshot;

    memset(&Snapshot, 0xEE, sizeof(Snapshot));
    MiQueryPfnCounters(&Snapshot);
    return Snapshot;
}

static void CheckCounters(PFN_NUMBER Total, PFN_NUMBER Free, PFN_NUMBER Zeroed,
                          PFN_NUMBER InUse, PFN_NUMBER Loader, PFN_NUMBER Bad)
{
    MMPFN_COUNTERS Now = Counters();

    assert_int_equal(Now.TotalPages, Total);
    assert_int_equal(Now.FreePages, Free);
    assert_int_equal(Now.ZeroedPages, Zeroed);
    assert_int_equal(Now.AvailablePages, Free + Zeroed);
    assert_int_equal(Now.InUsePages, InUse);
    assert_int_equal(Now.LoaderPages, Loader);
    assert_int_equal(Now.BadPages, Bad);
    assert_int_equal(Now.TotalPages, Now.AvailablePages + Now.InUsePages + Now.LoaderPages);
    assert_int_equal(MmNumberOfPhysicalPages, Total);
    assert_int_equal(MmAvailablePages, Free + Zeroed);
}

/* ---- the machines ---- */

/* QEMU with 128 MB (the firmware map, as KiBuildMemoryDescriptors turns it into
   descriptors), the kernel image, two modules and ACPI tables at the top of RAM. */
static const MEMORY_ALLOCATION_DESCRIPTOR QemuMap[] = {
    { LoaderFirmwarePermanent, 0x0, 0x1 },
    { LoaderFree, 0x1, 0x9E },
    { LoaderFirmwarePermanent, 0x9F, 0x1 },
    { LoaderFirmwarePermanent, 0xF0, 0x10 },
    { LoaderSystemCode, 0x100, 0x24 },
    { LoaderBootDriver, 0x124, 0xD },
    { LoaderFree, 0x131, 0xF },
    { LoaderBootDriver, 0x140, 0xC0 },
    { LoaderFree, 0x200, 0x7DE0 },
    { LoaderFirmwareTemporary, 0x7FE0, 0x20 },
    { LoaderFirmwarePermanent, 0xFFFC0, 0x40 },     /* the BIOS ROM below 4 GB */
};
/* The database itself (0x8000 entries of 20 bytes = 0xA0 pages) and 8 page tables. */
static const PHYSICAL_MEMORY_RUN QemuRuns[] = {
    { 0x200, 0xA0 },
    { 0x2A0, 0x8 },
};
#define QEMU_FREE   (0x9E + 0xF + 0x7DE0 - 0xA0 - 0x8)     /* 0x7DE5 */
#define QEMU_LOADER (0x24 + 0xD + 0xC0 + 0x20)             /* 0x111 */
#define QEMU_INUSE  (0xA0 + 0x8)
#define QEMU_TOTAL  (0x8000 - 1 - 1 - 0x60)                /* all but page 0, 0x9F, 0xA0-0xFF */

/* A small machine (256 pages) with every kind of page, for the exhaustive tests. */
static const MEMORY_ALLOCATION_DESCRIPTOR SmallMap[] = {
    { LoaderFirmwarePermanent, 0x0, 0x1 },
    { LoaderFree, 0x1, 0x1F },
    { LoaderSystemCode, 0x20, 0x10 },
    { LoaderFree, 0x30, 0x10 },
    /* a hole: 0x40-0x4F */
    { LoaderBad, 0x50, 0x2 },
    { LoaderFree, 0x52, 0x2E },
    { LoaderFirmwareTemporary, 0x80, 0x4 },
    { LoaderFree, 0x84, 0x7C },
    { LoaderFirmwarePermanent, 0x100, 0x10 },
};
static const PHYSICAL_MEMORY_RUN SmallRuns[] = {
    { 0x30, 0x4 },
};
#define SMALL_HIGHEST 0xFF
#define SMALL_FREE    (0x1F + 0x10 + 0x2E + 0x7C - 4)      /* 213 */
#define SMALL_LOADER  (0x10 + 0x4)
#define SMALL_INUSE   4
#define SMALL_BAD     2
#define SMALL_TOTAL   (0x100 - 1 - 0x10 - 2)                /* all but page 0, hole, bad */
#define SMALL_HOLE    0x45
#define SMALL_KERNEL  0x20

/* ---- layout and sizing ---- */

static void test_layout_and_sizing(void **state)
{
    static const MEMORY_ALLOCATION_DESCRIPTOR FirmwareOnly[] = {
        { LoaderFirmwarePermanent, 0x0, 0x100 },
        { LoaderSpecialMemory, 0x100, 0x10 },
    };
    static const MEMORY_ALLOCATION_DESCRIPTOR PageZeroOnly[] = {
        { LoaderFree, 0x0, 0x1 },
    };
    static const MEMORY_ALLOCATION_DESCRIPTOR Across4Gb[] = {
        { LoaderFree, 0xFFFF0, 0x20 },
    };
    static const MEMORY_ALLOCATION_DESCRIPTOR BadOnly[] = {
        { LoaderFirmwarePermanent, 0x0, 0x1 },
        { LoaderBad, 0x500, 0x1 },
        { LoaderXIPRom, 0x600, 0x10 },
    };
    MMPFN Pfn;

    (void)state;
    assert_int_equal(sizeof(MMPFN), 20);
    assert_int_equal(offsetof(MMPFN, u1.Flink), 0);
    assert_int_equal(offsetof(MMPFN, PteAddress), 4);
    assert_int_equal(offsetof(MMPFN, u2.Blink), 8);
    assert_int_equal(offsetof(MMPFN, u3.e2.ReferenceCount), 14);
    assert_int_equal(offsetof(MMPFN, OriginalPte), 16);

    /* The flags and the count share u3 without disturbing each other, as in NT. */
    memset(&Pfn, 0, sizeof(Pfn));
    Pfn.u3.e2.ReferenceCount = 0x1234;
    Pfn.u3.e1.PageLocation = TransitionPage;
    Pfn.u3.e1.LoaderOwned = 1;
    assert_int_equal(Pfn.u3.e2.ReferenceCount, 0x1234);
    assert_int_equal(Pfn.u3.e1.DontUse, 0x1234);
    Pfn.u3.e2.ReferenceCount = 0;
    assert_int_equal(Pfn.u3.e1.PageLocation, TransitionPage);
    assert_int_equal(Pfn.u3.e1.LoaderOwned, 1);
    assert_int_equal(Pfn.u3.e1.NotRam, 0);

    assert_int_equal(MiPfnDatabaseBytes(0), 20);
    assert_int_equal(MiPfnDatabaseBytes(0x7FFF), 0x8000 * 20);
    assert_int_equal(MiPfnDatabaseBytes(0xFFFFF), 0x100000 * 20);
    assert_int_equal(MiPfnDatabaseBytes(0x100000), 0);
    assert_int_equal(MiPfnDatabaseBytes((PFN_NUMBER)-1), 0);

    /* Sized by RAM: the BIOS ROM just below 4 GB does not make the database 20 MB. */
    assert_int_equal(MiFindHighestPhysicalPage(QemuMap, RTL_NUMBER_OF(QemuMap)), 0x7FFF);
    assert_int_equal(MiFindHighestPhysicalPage(SmallMap, RTL_NUMBER_OF(SmallMap)), 0xFF);
    assert_int_equal(MiFindHighestPhysicalPage(NULL, 0), 0);
    assert_int_equal(MiFindHighestPhysicalPage(NULL, 3), 0);
    assert_int_equal(MiFindHighestPhysicalPage(FirmwareOnly, 2), 0);
    assert_int_equal(MiFindHighestPhysicalPage(PageZeroOnly, 1), 0);
    assert_int_equal(MiFindHighestPhysicalPage(Across4Gb, 1), 0xFFFFF);
    assert_int_equal(MiFindHighestPhysicalPage(BadOnly, 3), 0x500);
}

/* ---- initialization ---- */

static void test_qemu_map_exact_counts(void **state)
{
    MMPFN_COUNTERS Now;
    PFN_NUMBER Page, Previous;
    ULONG Walked;

    (void)state;
    BOOT(QemuMap, QemuRuns);
    CheckCounters(QEMU_TOTAL, QEMU_FREE, 0, QEMU_INUSE, QEMU_LOADER, 0);
    assert_int_equal(QEMU_FREE, 0x7DE5);
    assert_int_equal(QEMU_TOTAL, 0x7F9E);
    assert_int_equal(QEMU_TOTAL, QEMU_FREE + QEMU_INUSE + QEMU_LOADER);
    Now = Counters();
    assert_int_equal(Now.LowestPhysicalPage, 1);
    assert_int_equal(Now.HighestPhysicalPage, 0x7FFF);
    assert_int_equal(MmLowestPhysicalPage, 1);
    assert_int_equal(MmHighestPhysicalPage, 0x7FFF);
    assert_ptr_equal(MmPfnDatabase, Machine.Database);

    /* Every page's entry says what its descriptor says. */
    for (Page = 0; Page <= 0x7FFF; Page++) {
        PMMPFN Pfn = MI_PFN_ELEMENT(Page);
        TYPE_OF_MEMORY Type = TypeOfPage(Page);

        if (Page == 0 || Type == HOLE || Type == LoaderFirmwarePermanent) {
            assert_int_equal(Pfn->u3.e1.NotRam, 1);
            assert_int_equal(Pfn->u3.e2.ReferenceCount, 0);
        } else if (IsReservedPage(Page)) {
            assert_int_equal(Type, LoaderFree);
            assert_int_equal(Pfn->u3.e1.PageLocation, ActiveAndValid);
            assert_int_equal(Pfn->u3.e2.ReferenceCount, 1);
            assert_int_equal(Pfn->u3.e1.LoaderOwned, 0);
            assert_int_equal(Pfn->u3.e1.NotRam, 0);
        } else if (Type == LoaderFree) {
            assert_int_equal(Pfn->u3.e1.PageLocation, FreePageList);
            assert_int_equal(Pfn->u3.e2.ReferenceCount, 0);
            assert_int_equal(Pfn->u3.e1.NotRam, 0);
        } else {
            assert_int_equal(Pfn->u3.e1.LoaderOwned, 1);
            assert_int_equal(Pfn->u3.e1.PageLocation, ActiveAndValid);
            assert_int_equal(Pfn->u3.e2.ReferenceCount, 1);
        }
    }

    /* The free list is in ascending order, and the reserved runs are not on it. */
    Previous = 0;
    Walked = 0;
    for (Page = MmFreePageListHead.Flink; Page != MM_EMPTY_LIST;
         Page = MI_PFN_ELEMENT(Page)->u1.Flink) {
        assert_true(Page > Previous);
        assert_false(IsReservedPage(Page));
        Previous = Page;
        Walked++;
    }
    assert_int_equal(Walked, QEMU_FREE);
    assert_int_equal(MmFreePageListHead.Flink, 1);
    assert_int_equal(MmFreePageListHead.Blink, 0x7FDF);
    assert_int_equal(MmZeroedPageListHead.Flink, MM_EMPTY_LIST);
    assert_int_equal(MmBadPageListHead.Total, 0);
}

static void test_small_map_exact_counts(void **state)
{
    PFN_NUMBER Page;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    CheckCounters(SMALL_TOTAL, SMALL_FREE, 0, SMALL_INUSE, SMALL_LOADER, SMALL_BAD);
    assert_int_equal(SMALL_TOTAL, 237);
    assert_int_equal(MmHighestPhysicalPage, SMALL_HIGHEST);
    assert_int_equal(MmLowestPhysicalPage, 1);
    assert_int_equal(MmBadPageListHead.Flink, 0x50);
    assert_int_equal(MmBadPageListHead.Blink, 0x51);
    assert_int_equal(MI_PFN_ELEMENT(0x50)->u3.e1.PageLocation, BadPageList);
    for (Page = 0x40; Page < 0x50; Page++)
        assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.NotRam, 1);
    for (Page = 0x80; Page < 0x84; Page++)
        assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.LoaderOwned, 1);
}

/* A descriptor that calls page 0 free does not make it allocatable or counted. */
static void test_page_zero_never_managed(void **state)
{
    static const MEMORY_ALLOCATION_DESCRIPTOR Map[] = {
        { LoaderFree, 0x0, 0x10 },
    };
    PFN_NUMBER Page, Expected;

    (void)state;
    Boot(Map, 1, NULL, 0);
    CheckCounters(0xF, 0xF, 0, 0, 0, 0);
    assert_int_equal(MmLowestPhysicalPage, 1);
    assert_int_equal(MI_PFN_ELEMENT(0)->u3.e1.NotRam, 1);
    for (Expected = 1; Expected < 0x10; Expected++)
        assert_int_equal(MiRemoveAnyPage(), Expected);
    Page = MiRemoveAnyPage();
    assert_int_equal(Page, 0);
    CheckCounters(0xF, 0, 0, 0xF, 0, 0);
    assert_true(MiValidatePfnDatabase());
}

static void test_pages_above_4gb_clipped(void **state)
{
    static const MEMORY_ALLOCATION_DESCRIPTOR Map[] = {
        { LoaderFirmwarePermanent, 0x0, 0x1 },
        { LoaderFree, 0xFFFF0, 0x20 },      /* half of it is above 4 GB */
    };

    (void)state;
    Boot(Map, 1 + 1, NULL, 0);
    assert_int_equal(MmHighestPhysicalPage, 0xFFFFF);
    assert_int_equal(MmLowestPhysicalPage, 0xFFFF0);
    CheckCounters(0x10, 0x10, 0, 0, 0, 0);
    assert_int_equal(MiRemoveAnyPage(), 0xFFFF0);
    assert_int_equal(MmFreePageListHead.Blink, 0xFFFFF);
}

static void test_init_rejects_bad_input(void **state)
{
    static const MEMORY_ALLOCATION_DESCRIPTOR Unsorted[] = {
        { LoaderFree, 0x10, 0x10 },
        { LoaderFree, 0x1, 0x5 },
    };
    static const MEMORY_ALLOCATION_DESCRIPTOR Overlapping[] = {
        { LoaderFree, 0x1, 0x10 },
        { LoaderSystemCode, 0x10, 0x5 },
    };
    static const MEMORY_ALLOCATION_DESCRIPTOR UnknownType[] = {
        { LoaderFree, 0x1, 0x10 },
        { LoaderMaximum, 0x20, 0x5 },
    };
    static const MEMORY_ALLOCATION_DESCRIPTOR NegativeType[] = {
        { (TYPE_OF_MEMORY)-1, 0x1, 0x10 },
    };
    static const MEMORY_ALLOCATION_DESCRIPTOR Wrapping[] = {
        { LoaderFree, 0x1, 0x10 },
        { LoaderFirmwarePermanent, 0xFFFFFFF0, 0x20 },
    };
    static const MEMORY_ALLOCATION_DESCRIPTOR NoRam[] = {
        { LoaderFree, 0x0, 0x1 },
        { LoaderFirmwarePermanent, 0x1, 0x100 },
    };
    static const PHYSICAL_MEMORY_RUN Run = { 0x1, 0x1 };
    PMMPFN Database;
    SIZE_T Bytes;

    (void)state;
    Bytes = MiPfnDatabaseBytes(0xFF);
    Database = malloc(Bytes);
    assert_non_null(Database);

    assert_int_equal(MiInitializePfnDatabase(SmallMap, RTL_NUMBER_OF(SmallMap), NULL, Bytes,
                                             NULL, 0), STATUS_INVALID_PARAMETER);
    assert_int_equal(MiInitializePfnDatabase(NULL, 1, Database, Bytes, NULL, 0),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(MiInitializePfnDatabase(SmallMap, RTL_NUMBER_OF(SmallMap), Database,
                                             Bytes, NULL, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(MiInitializePfnDatabase(Unsorted, 2, Database, Bytes, NULL, 0),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(MiInitializePfnDatabase(Overlapping, 2, Database, Bytes, NULL, 0),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(MiInitializePfnDatabase(UnknownType, 2, Database, Bytes, NULL, 0),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(MiInitializePfnDatabase(NegativeType, 1, Database, Bytes, NULL, 0),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(MiInitializePfnDatabase(Wrapping, 2, Database, Bytes, NULL, 0),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(MiInitializePfnDatabase(NoRam, 2, Database, Bytes, NULL, 0),
                     STATUS_NO_MEMORY);
    assert_int_equal(MiInitializePfnDatabase(NULL, 0, Database, Bytes, NULL, 0),
                     STATUS_NO_MEMORY);
    assert_int_equal(MiInitializePfnDatabase(SmallMap, RTL_NUMBER_OF(SmallMap), Database,
                                             Bytes - 1, NULL, 0), STATUS_BUFFER_TOO_SMALL);

    /* After a failure nothing is available and no page is known... */
    CheckCounters(0, 0, 0, 0, 0, 0);
    assert_int_equal(MiRemoveAnyPage(), 0);
    assert_int_equal(MiRemoveZeroPage(), 0);
    assert_int_equal(MiZeroFreePages(10), 0);
    assert_false(MiValidatePfnDatabase());
    CheckBugCheck(MiReferencePage, 1, MI_PFN_PAGE_STATE_CORRUPT, 1, MM_EMPTY_LIST);
    CheckBugCheck(MiDereferencePage, 1, MI_PFN_PAGE_STATE_CORRUPT, 1, MM_EMPTY_LIST);
    assert_int_equal(MiFreeLoaderPages(SMALL_KERNEL, 1), STATUS_CONFLICTING_ADDRESSES);

    /* ...and the exact size works, with or without runs. */
    assert_int_equal(MiInitializePfnDatabase(SmallMap, RTL_NUMBER_OF(SmallMap), Database,
                                             Bytes, &Run, 1), STATUS_SUCCESS);
    assert_true(MiValidatePfnDatabase());
    CheckCounters(SMALL_TOTAL, SMALL_FREE + SMALL_INUSE - 1, 0, 1, SMALL_LOADER, SMALL_BAD);
    free(Database);
}

static void CheckRunRejected(const PHYSICAL_MEMORY_RUN *Runs, ULONG RunCount, NTSTATUS Expected)
{
    assert_int_equal(TryBoot(SmallMap, RTL_NUMBER_OF(SmallMap), Runs, RunCount), Expected);
    CheckCounters(0, 0, 0, 0, 0, 0);
    assert_int_equal(MiRemoveAnyPage(), 0);
    assert_false(MiValidatePfnDatabase());
}

static void test_reserved_runs_must_be_free(void **state)
{
    static const PHYSICAL_MEMORY_RUN OnKernel[] = { { 0x1F, 0x2 } };
    static const PHYSICAL_MEMORY_RUN OnPageZero[] = { { 0x0, 0x2 } };
    static const PHYSICAL_MEMORY_RUN Twice[] = { { 0x30, 0x4 }, { 0x33, 0x1 } };
    static const PHYSICAL_MEMORY_RUN OnBad[] = { { 0x50, 0x1 } };
    static const PHYSICAL_MEMORY_RUN OnHole[] = { { 0x3F, 0x2 } };
    static const PHYSICAL_MEMORY_RUN OnFirmwareTemporary[] = { { 0x80, 0x1 } };
    static const PHYSICAL_MEMORY_RUN BeyondRam[] = { { 0xFF, 0x2 } };
    static const PHYSICAL_MEMORY_RUN Wrapping[] = { { 0xFFFFFFFF, 0x2 } };
    static const PHYSICAL_MEMORY_RUN Empty[] = { { SMALL_HOLE, 0x0 }, { 0x1, 0x1 } };

    (void)state;
    CheckRunRejected(OnKernel, 1, STATUS_CONFLICTING_ADDRESSES);
    CheckRunRejected(OnPageZero, 1, STATUS_CONFLICTING_ADDRESSES);
    CheckRunRejected(Twice, 2, STATUS_CONFLICTING_ADDRESSES);
    CheckRunRejected(OnBad, 1, STATUS_CONFLICTING_ADDRESSES);
    CheckRunRejected(OnHole, 1, STATUS_CONFLICTING_ADDRESSES);
    CheckRunRejected(OnFirmwareTemporary, 1, STATUS_CONFLICTING_ADDRESSES);
    CheckRunRejected(BeyondRam, 1, STATUS_CONFLICTING_ADDRESSES);
    CheckRunRejected(Wrapping, 1, STATUS_INVALID_PARAMETER);

    BOOT(SmallMap, Empty);
    CheckCounters(SMALL_TOTAL, SMALL_FREE + SMALL_INUSE - 1, 0, 1, SMALL_LOADER, SMALL_BAD);
    assert_int_equal(MiRemoveAnyPage(), 2);
}

/* Reserved pages are never handed out, count as in use, and can be freed normally. */
static void test_reserved_runs_respected(void **state)
{
    PFN_NUMBER Page, Last = 0;
    ULONG Count = 0;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    while ((Page = MiRemoveAnyPage()) != 0) {
        assert_false(IsReservedPage(Page));
        Count++;
    }
    assert_int_equal(Count, SMALL_FREE);
    CheckCounters(SMALL_TOTAL, 0, 0, SMALL_INUSE + SMALL_FREE, SMALL_LOADER, SMALL_BAD);

    /* The early page table at 0x31 is not needed any more. */
    MiDereferencePage(0x31);
    assert_true(MiValidatePfnDatabase());
    CheckCounters(SMALL_TOTAL, 1, 0, SMALL_INUSE + SMALL_FREE - 1, SMALL_LOADER, SMALL_BAD);
    Last = MiRemoveAnyPage();
    assert_int_equal(Last, 0x31);
    assert_int_equal(MiRemoveAnyPage(), 0);
}

/* ---- allocation ---- */

static void test_allocate_until_exhausted(void **state)
{
    static UCHAR Seen[0x8000];
    MMPFN_COUNTERS Before;
    PFN_NUMBER Page;
    ULONG Count = 0;

    (void)state;
    memset(Seen, 0, sizeof(Seen));
    BOOT(QemuMap, QemuRuns);
    Before = Counters();

    /* Mostly MiRemoveAnyPage; every 64th page through MiRemoveZeroPage. */
    for (;;) {
        Page = (Count % 64 == 63) ? MiRemoveZeroPage() : MiRemoveAnyPage();
        if (Page == 0)
            break;
        assert_true(Page <= 0x7FFF);
        assert_false(Seen[Page]);
        Seen[Page] = 1;
        /* Only free RAM is ever handed out: not page 0, the kernel, the modules, the
           firmware, the holes, the ACPI tables or what the caller reserved. */
        assert_int_equal(TypeOfPage(Page), LoaderFree);
        assert_false(IsReservedPage(Page));
        assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.PageLocation, ActiveAndValid);
        assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e2.ReferenceCount, 1);
        Count++;
    }
    assert_int_equal(Count, Before.AvailablePages);
    assert_int_equal(Count, QEMU_FREE);
    CheckCounters(QEMU_TOTAL, 0, 0, QEMU_INUSE + QEMU_FREE, QEMU_LOADER, 0);
    assert_true(MiValidatePfnDatabase());

    /* Out of memory is an answer, again and again, not a crash. */
    assert_int_equal(MiRemoveAnyPage(), 0);
    assert_int_equal(MiRemoveZeroPage(), 0);
    assert_int_equal(MiRemoveAnyPage(), 0);
    assert_int_equal(MiZeroFreePages(100), 0);
    CheckCounters(QEMU_TOTAL, 0, 0, QEMU_INUSE + QEMU_FREE, QEMU_LOADER, 0);
    assert_true(MiValidatePfnDatabase());

    /* Everything back. */
    for (Page = 0; Page <= 0x7FFF; Page++) {
        if (Seen[Page])
            MiDereferencePage(Page);
    }
    CheckCounters(QEMU_TOTAL, QEMU_FREE, 0, QEMU_INUSE, QEMU_LOADER, 0);
    assert_true(MiValidatePfnDatabase());
}

/* FIFO: pages come out in ascending order after boot, and a freed page is used last. */
static void test_fifo_order(void **state)
{
    PFN_NUMBER Page, Last = 0;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    assert_int_equal(MiRemoveAnyPage(), 1);
    assert_int_equal(MiRemoveAnyPage(), 2);
    assert_int_equal(MiRemoveAnyPage(), 3);
    MiDereferencePage(3);
    MiDereferencePage(2);
    assert_int_equal(MmFreePageListHead.Blink, 2);
    assert_int_equal(MiRemoveAnyPage(), 4);     /* not 2 or 3 */
    /* The rest of the boot-time list in order: 5..0x1F, 0x34..0x3F, 0x52.. */
    for (Page = 5; Page < 0x20; Page++)
        assert_int_equal(MiRemoveAnyPage(), Page);
    for (Page = 0x34; Page < 0x40; Page++)
        assert_int_equal(MiRemoveAnyPage(), Page);
    assert_int_equal(MiRemoveAnyPage(), 0x52);
    while ((Page = MiRemoveAnyPage()) != 0) {
        if (Page == 3 || Page == 2)
            break;
        Last = Page;
    }
    assert_int_equal(Last, 0xFF);               /* the last page of the boot list... */
    assert_int_equal(Page, 3);                  /* ...then the freed pages, oldest first */
    assert_int_equal(MiRemoveAnyPage(), 2);
    assert_int_equal(MiRemoveAnyPage(), 0);
    assert_true(MiValidatePfnDatabase());
}

static void test_remove_any_prefers_free_pages(void **state)
{
    PFN_NUMBER Page;
    ULONG ZeroCallsBefore;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    assert_int_equal(MiZeroFreePages(3), 3);
    CheckCounters(SMALL_TOTAL, SMALL_FREE - 3, 3, SMALL_INUSE, SMALL_LOADER, SMALL_BAD);
    ZeroCallsBefore = ZeroCalls;

    assert_int_equal(MiRemoveAnyPage(), 4);     /* free, although 1..3 are zeroed */
    while (MmFreePageListHead.Total != 0) {
        Page = MiRemoveAnyPage();
        assert_int_not_equal(Page, 0);
        assert_true(Page > 3);
    }
    /* Only when the free list is empty does it take zeroed pages, in order. */
    assert_int_equal(MiRemoveAnyPage(), 1);
    assert_int_equal(MiRemoveAnyPage(), 2);
    assert_int_equal(MiRemoveAnyPage(), 3);
    assert_int_equal(MiRemoveAnyPage(), 0);
    assert_int_equal(ZeroCalls, ZeroCallsBefore);   /* MiRemoveAnyPage never zeroes */
    assert_true(MiValidatePfnDatabase());
}

static void test_remove_zero_prefers_zeroed_pages(void **state)
{
    ULONG ZeroCallsBefore;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    memset(Machine.Ram, DIRTY, Machine.RamBytes);
    assert_int_equal(MiZeroFreePages(2), 2);
    assert_true(PageIsFilledWith(1, 0));
    assert_true(PageIsFilledWith(2, 0));
    ZeroCallsBefore = ZeroCalls;

    /* Zeroed pages first, without zeroing them again. */
    assert_int_equal(MiRemoveZeroPage(), 1);
    assert_int_equal(MiRemoveZeroPage(), 2);
    assert_int_equal(ZeroCalls, ZeroCallsBefore);
    CheckCounters(SMALL_TOTAL, SMALL_FREE - 2, 0, SMALL_INUSE + 2, SMALL_LOADER, SMALL_BAD);

    /* Then a free page, zeroed on the way out. */
    assert_true(PageIsFilledWith(3, DIRTY));
    assert_int_equal(MiRemoveZeroPage(), 3);
    assert_int_equal(ZeroCalls, ZeroCallsBefore + 1);
    assert_int_equal(LastZeroedPage, 3);
    assert_true(PageIsFilledWith(3, 0));
    assert_true(MiValidatePfnDatabase());
}

static void test_remove_zero_zeroes_a_dirty_page(void **state)
{
    PFN_NUMBER Page, Other;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    memset(Machine.Ram, DIRTY, Machine.RamBytes);

    Page = MiRemoveZeroPage();
    assert_int_equal(Page, 1);
    assert_int_equal(LastZeroedPage, Page);
    assert_true(PageIsFilledWith(Page, 0));
    assert_true(PageIsFilledWith(Page + 1, DIRTY));     /* exactly that page */
    assert_true(PageIsFilledWith(Page - 1, DIRTY));

    /* MiRemoveAnyPage hands out a page as it is. */
    Other = MiRemoveAnyPage();
    assert_int_equal(Other, 2);
    assert_true(PageIsFilledWith(Other, DIRTY));

    /* Dirty it, free it, and drain: whenever it comes back through MiRemoveZeroPage
       it is clean. */
    memset(PageBytes(Other), 0x5A, PAGE_SIZE);
    MiDereferencePage(Other);
    while ((Page = MiRemoveZeroPage()) != 0)
        assert_true(PageIsFilledWith(Page, 0));
    assert_true(PageIsFilledWith(Other, 0));
    assert_int_equal(LastZeroedPage, Other);
    assert_true(MiValidatePfnDatabase());
}

static void test_zero_free_pages(void **state)
{
    PFN_NUMBER Page;
    ULONG Index;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    memset(Machine.Ram, DIRTY, Machine.RamBytes);

    assert_int_equal(MiZeroFreePages(0), 0);
    assert_int_equal(ZeroCalls, 0);

    assert_int_equal(MiZeroFreePages(5), 5);
    assert_int_equal(ZeroCalls, 5);
    CheckCounters(SMALL_TOTAL, SMALL_FREE - 5, 5, SMALL_INUSE, SMALL_LOADER, SMALL_BAD);
    /* The oldest free pages, now zeroed, on the zeroed list in the same order. */
    for (Index = 0, Page = MmZeroedPageListHead.Flink; Index < 5; Index++) {
        assert_int_equal(Page, Index + 1);
        assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.PageLocation, ZeroedPageList);
        assert_true(PageIsFilledWith(Page, 0));
        Page = MI_PFN_ELEMENT(Page)->u1.Flink;
    }
    assert_int_equal(Page, MM_EMPTY_LIST);
    assert_true(PageIsFilledWith(6, DIRTY));
    assert_true(MiValidatePfnDatabase());

    /* More than there is: it stops when the free list is empty. */
    assert_int_equal(MiZeroFreePages(100000), SMALL_FREE - 5);
    CheckCounters(SMALL_TOTAL, 0, SMALL_FREE, SMALL_INUSE, SMALL_LOADER, SMALL_BAD);
    assert_int_equal(MiZeroFreePages(1), 0);
    assert_int_equal(ZeroCalls, SMALL_FREE);
    for (Page = 1; Page <= SMALL_HIGHEST; Page++) {
        if (TypeOfPage(Page) == LoaderFree && !IsReservedPage(Page))
            assert_true(PageIsFilledWith(Page, 0));
        else
            assert_true(PageIsFilledWith(Page, DIRTY));     /* nothing else touched */
    }
    assert_true(MiValidatePfnDatabase());
}

/* ---- reference counts ---- */

static void test_reference_counts(void **state)
{
    PFN_NUMBER Page, Other;
    ULONG Index;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    Page = MiRemoveAnyPage();
    assert_int_equal(Page, 1);
    CheckCounters(SMALL_TOTAL, SMALL_FREE - 1, 0, SMALL_INUSE + 1, SMALL_LOADER, SMALL_BAD);

    /* Two references need two dereferences. */
    MiReferencePage(Page);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e2.ReferenceCount, 2);
    MiDereferencePage(Page);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e2.ReferenceCount, 1);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.PageLocation, ActiveAndValid);
    CheckCounters(SMALL_TOTAL, SMALL_FREE - 1, 0, SMALL_INUSE + 1, SMALL_LOADER, SMALL_BAD);
    assert_true(MiValidatePfnDatabase());

    MiDereferencePage(Page);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e2.ReferenceCount, 0);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.PageLocation, FreePageList);
    assert_int_equal(MmFreePageListHead.Blink, Page);
    CheckCounters(SMALL_TOTAL, SMALL_FREE, 0, SMALL_INUSE, SMALL_LOADER, SMALL_BAD);
    assert_true(MiValidatePfnDatabase());

    /* Many references, then as many dereferences. */
    Page = MiRemoveAnyPage();
    for (Index = 0; Index < 10; Index++)
        MiReferencePage(Page);
    for (Index = 0; Index < 10; Index++) {
        MiDereferencePage(Page);
        assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.PageLocation, ActiveAndValid);
    }
    MiDereferencePage(Page);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.PageLocation, FreePageList);
    assert_true(MiValidatePfnDatabase());

    /* The mapper's fields are cleared for each new owner. */
    Page = MiRemoveAnyPage();
    MI_PFN_ELEMENT(Page)->PteAddress = (PMMPTE)0xC0001000;
    MI_PFN_ELEMENT(Page)->OriginalPte = 0x60;
    MiDereferencePage(Page);
    do {
        Other = MiRemoveAnyPage();
    } while (Other != Page && Other != 0);
    assert_int_equal(Other, Page);
    assert_null(MI_PFN_ELEMENT(Page)->PteAddress);
    assert_int_equal(MI_PFN_ELEMENT(Page)->OriginalPte, 0);
}

static void test_reference_count_limit(void **state)
{
    PFN_NUMBER Page;
    ULONG Index;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    Page = MiRemoveAnyPage();
    for (Index = 1; Index < MI_MAXIMUM_REFERENCE_COUNT; Index++)
        MiReferencePage(Page);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e2.ReferenceCount, MI_MAXIMUM_REFERENCE_COUNT);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.PageLocation, ActiveAndValid);
    CheckBugCheck(MiReferencePage, Page, MI_PFN_PAGE_STATE_CORRUPT, Page, ActiveAndValid);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e2.ReferenceCount, MI_MAXIMUM_REFERENCE_COUNT);
    for (Index = 1; Index < MI_MAXIMUM_REFERENCE_COUNT; Index++)
        MiDereferencePage(Page);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e2.ReferenceCount, 1);
    MiDereferencePage(Page);
    assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e1.PageLocation, FreePageList);
    assert_true(MiValidatePfnDatabase());
}

static void test_double_dereference_bugchecks(void **state)
{
    MMPFN_COUNTERS Before;
    PFN_NUMBER Page;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    Page = MiRemoveAnyPage();
    MiDereferencePage(Page);
    Before = Counters();

    CheckBugCheck(MiDereferencePage, Page, MI_PFN_DEREFERENCE_UNDERFLOW, Page, 0);
    assert_int_equal(BugCheck.Parameters[3], MI_PFN_ELEMENT(Page)->u3.EntireFrame);

    /* Nothing was changed before the bugcheck. */
    assert_true(MiValidatePfnDatabase());
    CheckCounters(Before.TotalPages, Before.FreePages, Before.ZeroedPages, Before.InUsePages,
                  Before.LoaderPages, Before.BadPages);
}

static void test_invalid_page_operations_bugcheck(void **state)
{
    PFN_NUMBER ZeroedPage;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    assert_int_equal(MiZeroFreePages(1), 1);
    ZeroedPage = MmZeroedPageListHead.Flink;

    /* Pages nobody holds: a free page never allocated, a zeroed page, a bad page. */
    CheckBugCheck(MiDereferencePage, 5, MI_PFN_DEREFERENCE_UNDERFLOW, 5, 0);
    CheckBugCheck(MiDereferencePage, ZeroedPage, MI_PFN_DEREFERENCE_UNDERFLOW, ZeroedPage, 0);
    CheckBugCheck(MiDereferencePage, 0x50, MI_PFN_DEREFERENCE_UNDERFLOW, 0x50, 0);
    CheckBugCheck(MiReferencePage, 5, MI_PFN_PAGE_STATE_CORRUPT, 5, FreePageList);
    CheckBugCheck(MiReferencePage, ZeroedPage, MI_PFN_PAGE_STATE_CORRUPT, ZeroedPage,
                  ZeroedPageList);
    CheckBugCheck(MiReferencePage, 0x50, MI_PFN_PAGE_STATE_CORRUPT, 0x50, BadPageList);

    /* Pages that are not RAM: page 0, a hole, firmware, beyond the database. */
    CheckBugCheck(MiDereferencePage, 0, MI_PFN_PAGE_STATE_CORRUPT, 0, MM_EMPTY_LIST);
    CheckBugCheck(MiReferencePage, 0, MI_PFN_PAGE_STATE_CORRUPT, 0, MM_EMPTY_LIST);
    CheckBugCheck(MiDereferencePage, SMALL_HOLE, MI_PFN_PAGE_STATE_CORRUPT, SMALL_HOLE,
                  ActiveAndValid);
    CheckBugCheck(MiReferencePage, SMALL_HOLE, MI_PFN_PAGE_STATE_CORRUPT, SMALL_HOLE,
                  ActiveAndValid);
    CheckBugCheck(MiDereferencePage, SMALL_HIGHEST + 1, MI_PFN_PAGE_STATE_CORRUPT,
                  SMALL_HIGHEST + 1, MM_EMPTY_LIST);
    assert_int_equal(BugCheck.Parameters[3], SMALL_HIGHEST);
    CheckBugCheck(MiReferencePage, 0x105, MI_PFN_PAGE_STATE_CORRUPT, 0x105, MM_EMPTY_LIST);
    CheckBugCheck(MiDereferencePage, (PFN_NUMBER)-1, MI_PFN_PAGE_STATE_CORRUPT,
                  (PFN_NUMBER)-1, MM_EMPTY_LIST);

    /* The kernel image: others may reference it, but its last reference is the
       loader's and a dereference cannot drop it. */
    CheckBugCheck(MiDereferencePage, SMALL_KERNEL, MI_PFN_PAGE_STATE_CORRUPT, SMALL_KERNEL,
                  ActiveAndValid);
    assert_int_equal(MI_PFN_ELEMENT(SMALL_KERNEL)->u3.e1.LoaderOwned, 1);
    assert_int_equal(MI_PFN_ELEMENT(SMALL_KERNEL)->u3.e2.ReferenceCount, 1);
    MiReferencePage(SMALL_KERNEL);
    assert_int_equal(MI_PFN_ELEMENT(SMALL_KERNEL)->u3.e2.ReferenceCount, 2);
    MiDereferencePage(SMALL_KERNEL);
    assert_int_equal(MI_PFN_ELEMENT(SMALL_KERNEL)->u3.e2.ReferenceCount, 1);
    CheckBugCheck(MiDereferencePage, SMALL_KERNEL, MI_PFN_PAGE_STATE_CORRUPT, SMALL_KERNEL,
                  ActiveAndValid);

    assert_true(MiValidatePfnDatabase());
    CheckCounters(SMALL_TOTAL, SMALL_FREE - 1, 1, SMALL_INUSE, SMALL_LOADER, SMALL_BAD);
}

/* ---- bad pages, loader pages ---- */

static void test_bad_pages_never_handed_out(void **state)
{
    PFN_NUMBER Page;
    ULONG Count = 0;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    while ((Page = (Count & 1) ? MiRemoveZeroPage() : MiRemoveAnyPage()) != 0) {
        assert_int_equal(TypeOfPage(Page), LoaderFree);
        assert_false(IsReservedPage(Page));
        Count++;
    }
    assert_int_equal(Count, SMALL_FREE);
    assert_int_equal(MmBadPageListHead.Total, SMALL_BAD);
    assert_int_equal(MI_PFN_ELEMENT(0x50)->u1.Flink, 0x51);
    assert_int_equal(MI_PFN_ELEMENT(0x51)->u2.Blink, 0x50);
    assert_int_equal(MI_PFN_ELEMENT(0x51)->u3.e1.PageLocation, BadPageList);
    CheckCounters(SMALL_TOTAL, 0, 0, SMALL_INUSE + SMALL_FREE, SMALL_LOADER, SMALL_BAD);
    assert_true(MiValidatePfnDatabase());
}

static void test_free_loader_pages(void **state)
{
    PFN_NUMBER Page;

    (void)state;
    BOOT(SmallMap, SmallRuns);

    /* Runs that are not all loader-owned change nothing. */
    assert_int_equal(MiFreeLoaderPages(0x7F, 2), STATUS_CONFLICTING_ADDRESSES);
    assert_int_equal(MiFreeLoaderPages(0x83, 2), STATUS_CONFLICTING_ADDRESSES);
    assert_int_equal(MiFreeLoaderPages(0x0, 1), STATUS_CONFLICTING_ADDRESSES);
    assert_int_equal(MiFreeLoaderPages(SMALL_HOLE, 1), STATUS_CONFLICTING_ADDRESSES);
    assert_int_equal(MiFreeLoaderPages(0x50, 1), STATUS_CONFLICTING_ADDRESSES);
    assert_int_equal(MiFreeLoaderPages(0x30, 1), STATUS_CONFLICTING_ADDRESSES);
    assert_int_equal(MiFreeLoaderPages(SMALL_HIGHEST, 2), STATUS_CONFLICTING_ADDRESSES);
    assert_int_equal(MiFreeLoaderPages(0xFFFFFFF0, 0x20), STATUS_INVALID_PARAMETER);
    assert_int_equal(MiFreeLoaderPages(0x80, 0), STATUS_SUCCESS);
    CheckCounters(SMALL_TOTAL, SMALL_FREE, 0, SMALL_INUSE, SMALL_LOADER, SMALL_BAD);
    assert_int_equal(MI_PFN_ELEMENT(0x80)->u3.e1.LoaderOwned, 1);
    assert_true(MiValidatePfnDatabase());

    /* Everything free is handed out, and not one firmware-temporary page. */
    while ((Page = MiRemoveAnyPage()) != 0)
        assert_true(Page < 0x80 || Page >= 0x84);

    /* The ACPI tables have been read: their pages join the free list, in order. */
    assert_int_equal(MiFreeLoaderPages(0x80, 4), STATUS_SUCCESS);
    CheckCounters(SMALL_TOTAL, 4, 0, SMALL_INUSE + SMALL_FREE, SMALL_LOADER - 4, SMALL_BAD);
    assert_true(MiValidatePfnDatabase());
    for (Page = 0x80; Page < 0x84; Page++)
        assert_int_equal(MiRemoveAnyPage(), Page);
    assert_int_equal(MiRemoveAnyPage(), 0);
    assert_int_equal(MiFreeLoaderPages(0x80, 1), STATUS_CONFLICTING_ADDRESSES);

    /* A loader page someone else still references stays in use until they let go. */
    MiReferencePage(SMALL_KERNEL);
    assert_int_equal(MiFreeLoaderPages(SMALL_KERNEL, 1), STATUS_SUCCESS);
    assert_int_equal(MI_PFN_ELEMENT(SMALL_KERNEL)->u3.e1.LoaderOwned, 0);
    assert_int_equal(MI_PFN_ELEMENT(SMALL_KERNEL)->u3.e1.PageLocation, ActiveAndValid);
    CheckCounters(SMALL_TOTAL, 0, 0, SMALL_INUSE + SMALL_FREE + 4 + 1, SMALL_LOADER - 5,
                  SMALL_BAD);
    assert_true(MiValidatePfnDatabase());
    assert_int_equal(MiRemoveAnyPage(), 0);
    MiDereferencePage(SMALL_KERNEL);
    CheckCounters(SMALL_TOTAL, 1, 0, SMALL_INUSE + SMALL_FREE + 4, SMALL_LOADER - 5, SMALL_BAD);
    assert_int_equal(MiRemoveZeroPage(), SMALL_KERNEL);
    assert_true(MiValidatePfnDatabase());
}

/* ---- the checker and the cheap checks on the allocation path ---- */

/* Corrupts one word, checks that the checker notices and says so, and restores it. */
static void CheckCorruptionFound(PULONG Word, ULONG BadValue)
{
    ULONG Saved = *Word;
    ULONG PrintsBefore = DbgPrintCalls;

    assert_true(MiValidatePfnDatabase());
    *Word = BadValue;
    assert_false(MiValidatePfnDatabase());
    assert_true(DbgPrintCalls > PrintsBefore);
    assert_non_null(strstr(LastDbgPrint, "PFN database inconsistent"));
    *Word = Saved;
    assert_true(MiValidatePfnDatabase());
}

static void test_validator_finds_corruption(void **state)
{
    PFN_NUMBER InUse, FreePage, LastFree;
    PMMPFN Pfn;
    MMPFN Saved;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    assert_int_equal(MiZeroFreePages(3), 3);
    InUse = MiRemoveAnyPage();
    FreePage = MmFreePageListHead.Flink;
    FreePage = MI_PFN_ELEMENT(FreePage)->u1.Flink;     /* one in the middle */
    LastFree = MmFreePageListHead.Blink;

    CheckCorruptionFound(&MI_PFN_ELEMENT(FreePage)->u2.Blink, FreePage + 7);
    CheckCorruptionFound(&MI_PFN_ELEMENT(FreePage)->u1.Flink, FreePage);     /* a cycle */
    CheckCorruptionFound(&MI_PFN_ELEMENT(FreePage)->u1.Flink, MM_EMPTY_LIST);
    CheckCorruptionFound(&MI_PFN_ELEMENT(FreePage)->u1.Flink, SMALL_HIGHEST + 1);
    CheckCorruptionFound(&MI_PFN_ELEMENT(LastFree)->u1.Flink, 0x1);  /* into the zeroed list */
    CheckCorruptionFound(&MmFreePageListHead.Total, MmFreePageListHead.Total + 1);
    CheckCorruptionFound(&MmFreePageListHead.Total, MmFreePageListHead.Total - 1);
    CheckCorruptionFound(&MmFreePageListHead.Blink, FreePage);
    CheckCorruptionFound(&MmZeroedPageListHead.Flink, MM_EMPTY_LIST);
    CheckCorruptionFound(&MmBadPageListHead.Total, 1);
    CheckCorruptionFound(&MmAvailablePages, MmAvailablePages + 1);
    CheckCorruptionFound(&MmNumberOfPhysicalPages, MmNumberOfPhysicalPages - 1);
    CheckCorruptionFound(&MmLowestPhysicalPage, 2);

    Pfn = MI_PFN_ELEMENT(FreePage);
    Saved = *Pfn;
    Pfn->u3.e1.PageLocation = ZeroedPageList;          /* on the free list, zeroed state */
    assert_false(MiValidatePfnDatabase());
    *Pfn = Saved;
    Pfn->u3.e2.ReferenceCount = 1;                      /* a free page with a reference */
    assert_false(MiValidatePfnDatabase());
    *Pfn = Saved;
    assert_true(MiValidatePfnDatabase());

    Pfn = MI_PFN_ELEMENT(InUse);
    Saved = *Pfn;
    Pfn->u3.e2.ReferenceCount = 0;                      /* in use without references */
    assert_false(MiValidatePfnDatabase());
    *Pfn = Saved;
    Pfn->u3.e1.PageLocation = FreePageList;             /* claims to be free, not listed */
    assert_false(MiValidatePfnDatabase());
    *Pfn = Saved;
    Pfn->u3.e1.PageLocation = StandbyPageList;          /* a state not in use yet */
    assert_false(MiValidatePfnDatabase());
    *Pfn = Saved;
    Pfn->u3.e1.LoaderOwned = 1;                         /* counted in the wrong bucket */
    assert_false(MiValidatePfnDatabase());
    *Pfn = Saved;
    assert_true(MiValidatePfnDatabase());

    Pfn = MI_PFN_ELEMENT(SMALL_HOLE);
    Saved = *Pfn;
    Pfn->u3.e1.NotRam = 0;                              /* a hole that looks in use */
    assert_false(MiValidatePfnDatabase());
    *Pfn = Saved;
    Pfn->u3.e2.ReferenceCount = 1;                      /* a referenced hole */
    assert_false(MiValidatePfnDatabase());
    *Pfn = Saved;
    Pfn = MI_PFN_ELEMENT(0);
    Saved = *Pfn;
    Pfn->u3.e1.NotRam = 0;                              /* page 0 managed */
    Pfn->u3.e2.ReferenceCount = 1;
    assert_false(MiValidatePfnDatabase());
    *Pfn = Saved;
    assert_true(MiValidatePfnDatabase());
}

static void test_allocation_checks_list_head(void **state)
{
    PFN_NUMBER Head;
    PMMPFN Pfn;
    ULONG SavedFrame;

    (void)state;
    BOOT(SmallMap, SmallRuns);
    Head = MmFreePageListHead.Flink;
    Pfn = MI_PFN_ELEMENT(Head);

    /* The page at the head of the free list is not in the free state. */
    SavedFrame = Pfn->u3.EntireFrame;
    Pfn->u3.e1.PageLocation = ActiveAndValid;
    Pfn->u3.e2.ReferenceCount = 1;
    CheckBugCheck(RemoveAnyPageRoutine, 0, MI_PFN_FREE_LIST_CORRUPT, Head,
                  Pfn->u3.EntireFrame);
    assert_int_equal(BugCheck.Parameters[3], FreePageList);
    CheckBugCheck(RemoveZeroPageRoutine, 0, MI_PFN_FREE_LIST_CORRUPT, Head,
                  Pfn->u3.EntireFrame);
    Pfn->u3.EntireFrame = SavedFrame;

    /* The head claims pages but points nowhere. */
    MmFreePageListHead.Flink = 0;
    CheckBugCheck(RemoveAnyPageRoutine, 0, MI_PFN_LIST_HEAD_CORRUPT, 0, MmAvailablePages);
    MmFreePageListHead.Flink = SMALL_HIGHEST + 1;
    CheckBugCheck(RemoveAnyPageRoutine, 0, MI_PFN_LIST_HEAD_CORRUPT, SMALL_HIGHEST + 1,
                  MmAvailablePages);
    MmFreePageListHead.Flink = Head;

    assert_true(MiValidatePfnDatabase());
    assert_int_equal(MiRemoveAnyPage(), Head);
}

/* ---- random operations against a model ---- */

#define MODEL_PAGES (SMALL_HIGHEST + 1)

typedef struct _MODEL_QUEUE {
    PFN_NUMBER Pages[MODEL_PAGES];
    ULONG Head;
    ULONG Count;
} MODEL_QUEUE;

static void QueuePush(MODEL_QUEUE *Queue, PFN_NUMBER Page)
{
    assert_true(Queue->Count < MODEL_PAGES);
    Queue->Pages[(Queue->Head + Queue->Count) % MODEL_PAGES] = Page;
    Queue->Count++;
}

static PFN_NUMBER QueuePop(MODEL_QUEUE *Queue)
{
    PFN_NUMBER Page;

    if (Queue->Count == 0)
        return 0;
    Page = Queue->Pages[Queue->Head];
    Queue->Head = (Queue->Head + 1) % MODEL_PAGES;
    Queue->Count--;
    return Page;
}

/* What the database should hold: FIFO lists and a count per page. */
static struct {
    MODEL_QUEUE Free;
    MODEL_QUEUE Zeroed;
    ULONG References[MODEL_PAGES];
    PFN_NUMBER Held[MODEL_PAGES];   /* pages with references, for picking one */
    ULONG HeldCount;
    PFN_NUMBER Loader;
    BOOLEAN AcpiReleased;
} Model;

static ULONG RandomState;

static ULONG Random(void)
{
    RandomState ^= RandomState << 13;
    RandomState ^= RandomState >> 17;
    RandomState ^= RandomState << 5;
    return RandomState;
}

static void ModelHold(PFN_NUMBER Page)
{
    assert_int_equal(Model.References[Page], 0);
    Model.References[Page] = 1;
    Model.Held[Model.HeldCount++] = Page;
}

static void ModelDrop(ULONG HeldIndex)
{
    PFN_NUMBER Page = Model.Held[HeldIndex];

    if (--Model.References[Page] == 0) {
        Model.Held[HeldIndex] = Model.Held[--Model.HeldCount];
        QueuePush(&Model.Free, Page);
    }
}

static void ModelBoot(void)
{
    PFN_NUMBER Page;

    memset(&Model, 0, sizeof(Model));
    for (Page = 1; Page <= SMALL_HIGHEST; Page++) {
        if (TypeOfPage(Page) != LoaderFree)
            continue;
        if (IsReservedPage(Page))
            ModelHold(Page);
        else
            QueuePush(&Model.Free, Page);
    }
    Model.Loader = SMALL_LOADER;
}

/* An allocated page is used: its owner writes to it. */
static void Scribble(PFN_NUMBER Page)
{
    memset(PageBytes(Page), (int)(Random() % 255) + 1, PAGE_SIZE);
}

static void RandomStep(void)
{
    ULONG Choice = Random() % 100;
    PFN_NUMBER Expected, Got, Count, Moved;
    ULONG Index, ZeroCallsBefore = ZeroCalls;

    if (Choice < 30) {
        Expected = QueuePop(&Model.Free);
        if (Expected == 0)
            Expected = QueuePop(&Model.Zeroed);
        Got = MiRemoveAnyPage();
        assert_int_equal(Got, Expected);
        assert_int_equal(ZeroCalls, ZeroCallsBefore);
        if (Got != 0) {
            ModelHold(Got);
            Scribble(Got);
        }
    } else if (Choice < 50) {
        BOOLEAN MustZero = FALSE;

        Expected = QueuePop(&Model.Zeroed);
        if (Expected == 0) {
            Expected = QueuePop(&Model.Free);
            MustZero = Expected != 0;
        }
        Got = MiRemoveZeroPage();
        assert_int_equal(Got, Expected);
        assert_int_equal(ZeroCalls, ZeroCallsBefore + (MustZero ? 1 : 0));
        if (Got != 0) {
            assert_true(PageIsFilledWith(Got, 0));
            ModelHold(Got);
            Scribble(Got);
        }
    } else if (Choice < 60) {
        if (Model.HeldCount == 0)
            return;
        Index = Random() % Model.HeldCount;
        MiReferencePage(Model.Held[Index]);
        Model.References[Model.Held[Index]]++;
    } else if (Choice < 92) {
        if (Model.HeldCount == 0)
            return;
        Index = Random() % Model.HeldCount;
        MiDereferencePage(Model.Held[Index]);
        ModelDrop(Index);
    } else if (Choice < 99) {
        Count = Random() % 8;
        Moved = MiZeroFreePages(Count);
        assert_int_equal(Moved, Count < Model.Free.Count ? Count : Model.Free.Count);
        assert_int_equal(ZeroCalls, ZeroCallsBefore + Moved);
        while (Moved-- != 0)
            QueuePush(&Model.Zeroed, QueuePop(&Model.Free));
    } else if (!Model.AcpiReleased) {
        assert_int_equal(MiFreeLoaderPages(0x80, 4), STATUS_SUCCESS);
        for (Got = 0x80; Got < 0x84; Got++)
            QueuePush(&Model.Free, Got);
        Model.Loader -= 4;
        Model.AcpiReleased = TRUE;
    }
}

static void CheckAgainstModel(void)
{
    PFN_NUMBER Page;
    ULONG Index;

    assert_true(MiValidatePfnDatabase());
    CheckCounters(SMALL_TOTAL, Model.Free.Count, Model.Zeroed.Count, Model.HeldCount,
                  Model.Loader, SMALL_BAD);
    for (Index = 0; Index < Model.HeldCount; Index++) {
        Page = Model.Held[Index];
        assert_int_equal(MI_PFN_ELEMENT(Page)->u3.e2.ReferenceCount, Model.References[Page]);
    }
    /* The lists' heads are the model's heads. */
    assert_int_equal(MmFreePageListHead.Flink,
                     Model.Free.Count ? Model.Free.Pages[Model.Free.Head] : MM_EMPTY_LIST);
    assert_int_equal(MmZeroedPageListHead.Flink,
                     Model.Zeroed.Count ? Model.Zeroed.Pages[Model.Zeroed.Head] : MM_EMPTY_LIST);
}

static void test_random_operations_against_model(void **state)
{
    static const ULONG Seeds[] = { 1, 2, 3, 0xC0FFEE, 0xDEADBEEF };
    ULONG Seed, Step;

    (void)state;
    for (Seed = 0; Seed < RTL_NUMBER_OF(Seeds); Seed++) {
        BOOT(SmallMap, SmallRuns);
        memset(Machine.Ram, DIRTY, Machine.RamBytes);
        ModelBoot();
        RandomState = Seeds[Seed];
        CheckAgainstModel();
        for (Step = 0; Step < 20000; Step++) {
            RandomStep();
            CheckAgainstModel();
        }
        /* Give everything back: the database is where it started, less the zeroing. */
        while (Model.HeldCount != 0) {
            MiDereferencePage(Model.Held[0]);
            ModelDrop(0);
        }
        CheckAgainstModel();
        assert_int_equal(Model.Free.Count + Model.Zeroed.Count,
                         SMALL_FREE + SMALL_INUSE + (Model.AcpiReleased ? 4 : 0));
    }
}

int main(void)
{
#define TEST(Function) cmocka_unit_test_teardown(Function, ShutdownMachine)
    const struct CMUnitTest Tests[] = {
        TEST(test_layout_and_sizing),
        TEST(test_qemu_map_exact_counts),
        TEST(test_small_map_exact_counts),
        TEST(test_page_zero_never_managed),
        TEST(test_pages_above_4gb_clipped),
        TEST(test_init_rejects_bad_input),
        TEST(test_reserved_runs_must_be_free),
        TEST(test_reserved_runs_respected),
        TEST(test_allocate_until_exhausted),
        TEST(test_fifo_order),
        TEST(test_remove_any_prefers_free_pages),
        TEST(test_remove_zero_prefers_zeroed_pages),
        TEST(test_remove_zero_zeroes_a_dirty_page),
        TEST(test_zero_free_pages),
        TEST(test_reference_counts),
        TEST(test_reference_count_limit),
        TEST(test_double_dereference_bugchecks),
        TEST(test_invalid_page_operations_bugcheck),
        TEST(test_bad_pages_never_handed_out),
        TEST(test_free_loader_pages),
        TEST(test_validator_finds_corruption),
        TEST(test_allocation_checks_list_head),
        TEST(test_random_operations_against_model),
    };
#undef TEST

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

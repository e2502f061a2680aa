/*
 * test_vad.c - host tests for the VAD tree and the range operations on it
 * (kernel/mm/vadtree.c, vad.c, vadrange.c).
 *
 * The pool is malloc with a header that checks tags and counts live blocks, and that
 * can be told to fail every allocation from a given call on. Every test ends with the
 * tree torn down and no block left (the teardown checks it), every change is followed
 * by MiValidateVadTree, and the random tests hold the code against a page-by-page
 * model of the address space.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ex.h>
#include <ke.h>
#include "../../kernel/mm/vad.h"

#define TEST_VAD_TAG      EX_POOL_TAG('V', 'a', 'd', ' ')
#define TEST_VAD_RUN_TAG  EX_POOL_TAG('V', 'a', 'd', 'R')

/* ---- the pool: malloc with checks, counters and failure injection ---- */

#define TEST_POOL_MAGIC   0x4C4F4F50u   /* "POOL" */
#define TEST_POOL_NEVER   0xFFFFFFFFu

typedef struct _TEST_POOL_BLOCK {
    ULONG Magic;
    ULONG Tag;
    SIZE_T Size;
    ULONG Reserved;                     /* keeps the caller's block 8-byte aligned */
} TEST_POOL_BLOCK;

static LONG PoolOutstanding;            /* live blocks */
static ULONG PoolCalls;                 /* ExAllocatePoolWithTag calls so far */
static ULONG PoolFailFrom = TEST_POOL_NEVER;    /* calls from this one on fail */

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    TEST_POOL_BLOCK *Block;

    assert_int_equal(PoolType, NonPagedPool);
    if (Tag == TEST_VAD_TAG)
        assert_int_equal(NumberOfBytes, sizeof(MMVAD));
    else if (Tag == TEST_VAD_RUN_TAG)
        assert_int_equal(NumberOfBytes, sizeof(MMVAD_RUN));
    else
        fail_msg("unexpected pool tag %08lx", Tag);

    if (PoolCalls++ >= PoolFailFrom)
        return NULL;
    Block = malloc(sizeof(*Block) + NumberOfBytes);
    assert_non_null(Block);
    Block->Magic = TEST_POOL_MAGIC;
    Block->Tag = Tag;
    Block->Size = NumberOfBytes;
    memset(Block + 1, 0xCC, NumberOfBytes);     /* no field may be used unset */
    PoolOutstanding++;
    return Block + 1;
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    TEST_POOL_BLOCK *Block = (TEST_POOL_BLOCK *)P - 1;

    assert_int_equal(Block->Magic, TEST_POOL_MAGIC);
    assert_int_equal(Block->Tag, Tag);
    Block->Magic = 0;
    memset(P, 0xDD, Block->Size);
    free(Block);
    PoolOutstanding--;
}

VOID KiAssertFailed(PCSTR Expression, PCSTR File, ULONG Line)
{
    fail_msg("ASSERT(%s) failed at %s:%lu", Expression, File, Line);
    abort();
}

/* Makes the allocation Count calls from now, and every one after it, fail. */
static void FailAllocationsAfter(ULONG Count)
{
    PoolFailFrom = PoolCalls + Count;
}

static void StopFailingAllocations(void)
{
    PoolFailFrom = TEST_POOL_NEVER;
}

/* ---- fixture ---- */

static MM_AVL_TABLE Table;

static void CheckTree(void)
{
    PCSTR Failure = "(none)";

    if (!MiValidateVadTree(&Table, &Failure))
        fail_msg("VAD tree broken: %s", Failure);
}

static int SetUp(void **State)
{
    (void)State;
    StopFailingAllocations();
    PoolOutstanding = 0;
    MiInitializeVadTable(&Table);
    return 0;
}

static int TearDown(void **State)
{
    (void)State;
    StopFailingAllocations();
    CheckTree();
    MiDeleteAllVads(&Table, NULL, NULL);
    assert_null(Table.Root);
    assert_int_equal(Table.NumberGenericTableElements, 0);
    assert_int_equal(PoolOutstanding, 0);
    return 0;
}

/* ---- helpers ---- */

#define assert_status(Actual, Expected) \
    assert_int_equal((ULONG)(Actual), (ULONG)(Expected))

/* A VAD linked straight into the tree, for the tree tests. */
static PMMVAD InsertVad(ULONG_PTR StartingVpn, ULONG_PTR EndingVpn)
{
    PMMVAD Vad = MiAllocateVad(StartingVpn, EndingVpn, MEM_PRIVATE, PAGE_READWRITE,
                               MEM_RESERVE, 0);

    assert_non_null(Vad);
    assert_status(MiInsertVad(&Table, Vad), STATUS_SUCCESS);
    CheckTree();
    return Vad;
}

static void RemoveVad(PMMVAD Vad)
{
    MiRemoveVad(&Table, Vad);
    MiFreeVad(Vad);
    CheckTree();
}

static PMMVAD Reserve(ULONG_PTR StartingVpn, ULONG_PTR EndingVpn, ULONG Type, ULONG Protect)
{
    PMMVAD Vad = NULL;

    assert_status(MiReserveRange(&Table, StartingVpn, EndingVpn, Type, Protect, &Vad),
                  STATUS_SUCCESS);
    assert_non_null(Vad);
    CheckTree();
    return Vad;
}

/* A view of a section, as the section code will make one. */
static PMMVAD InsertMappedVad(ULONG_PTR StartingVpn, ULONG_PTR EndingVpn, ULONG Protect)
{
    PMMVAD Vad = MiAllocateVad(StartingVpn, EndingVpn, MEM_MAPPED, Protect, MEM_COMMIT,
                               Protect);

    assert_non_null(Vad);
    assert_status(MiInsertVad(&Table, Vad), STATUS_SUCCESS);
    CheckTree();
    return Vad;
}

typedef struct _EXPECTED_RUN {
    ULONG_PTR StartingVpn;
    ULONG_PTR EndingVpn;
    ULONG State;
    ULONG Protect;
} EXPECTED_RUN;

#define RES(S, E)     { (S), (E), MEM_RESERVE, 0 }
#define COM(S, E, P)  { (S), (E), MEM_COMMIT, (P) }

static void ExpectRuns(PMMVAD Vad, const EXPECTED_RUN *Expected, ULONG Count)
{
    PLIST_ENTRY Entry;
    ULONG Index = 0;

    for (Entry = Vad->RunListHead.Flink; Entry != &Vad->RunListHead; Entry = Entry->Flink) {
        PMMVAD_RUN Run = CONTAINING_RECORD(Entry, MMVAD_RUN, ListEntry);

        assert_true(Index < Count);
        assert_int_equal(Run->StartingVpn, Expected[Index].StartingVpn);
        assert_int_equal(Run->EndingVpn, Expected[Index].EndingVpn);
        assert_int_equal(Run->State, Expected[Index].State);
        assert_int_equal(Run->Protect, Expected[Index].Protect);
        Index++;
    }
    assert_int_equal(Index, Count);
    assert_int_equal(Vad->StartingVpn, Expected[0].StartingVpn);
    assert_int_equal(Vad->EndingVpn, Expected[Count - 1].EndingVpn);
}

#define EXPECT_RUNS(Vad, ...) do { \
        static const EXPECTED_RUN Runs_[] = { __VA_ARGS__ }; \
        ExpectRuns((Vad), Runs_, RTL_NUMBER_OF(Runs_)); \
    } while (0)

static void ExpectRegion(ULONG_PTR Address, ULONG_PTR Base, SIZE_T Size, ULONG State,
                         ULONG Protect, ULONG_PTR AllocationBase, ULONG AllocationProtect,
                         ULONG Type)
{
    MEMORY_BASIC_INFORMATION Info;

    memset(&Info, 0xEE, sizeof(Info));
    assert_status(MiQueryRange(&Table, Address, &Info), STATUS_SUCCESS);
    assert_int_equal((ULONG_PTR)Info.BaseAddress, Base);
    assert_int_equal(Info.RegionSize, Size);
    assert_int_equal(Info.State, State);
    assert_int_equal(Info.Protect, Protect);
    assert_int_equal((ULONG_PTR)Info.AllocationBase, AllocationBase);
    assert_int_equal(Info.AllocationProtect, AllocationProtect);
    assert_int_equal(Info.Type, Type);
}

/* Records what a decommit or release reports as committed. */
#define MAX_REPORTED 512

typedef struct _REPORT {
    ULONG Count;
    ULONG_PTR Start[MAX_REPORTED];
    ULONG_PTR End[MAX_REPORTED];
} REPORT;

static REPORT Report;

static VOID RecordRun(PVOID Context, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn)
{
    REPORT *Into = Context;

    assert_true(Into->Count < MAX_REPORTED);
    assert_true(StartingVpn <= EndingVpn);
    Into->Start[Into->Count] = StartingVpn;
    Into->End[Into->Count] = EndingVpn;
    Into->Count++;
}

static void ExpectReported(const ULONG_PTR *Pairs, ULONG PairCount)
{
    ULONG Index;

    assert_int_equal(Report.Count, PairCount);
    for (Index = 0; Index < PairCount; Index++) {
        assert_int_equal(Report.Start[Index], Pairs[2 * Index]);
        assert_int_equal(Report.End[Index], Pairs[2 * Index + 1]);
    }
    Report.Count = 0;
}

#define EXPECT_REPORTED(...) do { \
        static const ULONG_PTR Pairs_[] = { __VA_ARGS__ }; \
        ExpectReported(Pairs_, RTL_NUMBER_OF(Pairs_) / 2); \
    } while (0)

/* The whole address space as NtQueryVirtualMemory shows it, and the VADs behind it. */
#define MAX_REGIONS 2048

typedef struct _SNAPSHOT {
    ULONG RegionCount;
    MEMORY_BASIC_INFORMATION Regions[MAX_REGIONS];
    ULONG VadCount;
    PMMVAD Vads[MAX_REGIONS];
    LONG Outstanding;
} SNAPSHOT;

static void TakeSnapshot(SNAPSHOT *Snapshot)
{
    ULONG_PTR Address = 0;
    PMMVAD Vad;

    memset(Snapshot, 0, sizeof(*Snapshot));
    do {
        MEMORY_BASIC_INFORMATION *Info = &Snapshot->Regions[Snapshot->RegionCount++];

        assert_true(Snapshot->RegionCount < MAX_REGIONS);
        assert_status(MiQueryRange(&Table, Address, Info), STATUS_SUCCESS);
        assert_int_equal((ULONG_PTR)Info->BaseAddress, Address);   /* regions tile */
        assert_true(Info->RegionSize != 0 && Info->RegionSize % PAGE_SIZE == 0);
        Address += Info->RegionSize;
    } while (Address <= MM_HIGHEST_USER_ADDRESS);
    assert_int_equal(Address, MM_USER_PROBE_ADDRESS);

    for (Vad = MiGetFirstVad(&Table); Vad != NULL; Vad = MiGetNextVad(Vad)) {
        assert_true(Snapshot->VadCount < MAX_REGIONS);
        Snapshot->Vads[Snapshot->VadCount++] = Vad;
    }
    Snapshot->Outstanding = PoolOutstanding;
}

static void ExpectSnapshot(const SNAPSHOT *Before)
{
    static SNAPSHOT Now;

    CheckTree();
    TakeSnapshot(&Now);
    assert_int_equal(Now.RegionCount, Before->RegionCount);
    assert_memory_equal(Now.Regions, Before->Regions,
                        Before->RegionCount * sizeof(Before->Regions[0]));
    assert_int_equal(Now.VadCount, Before->VadCount);
    assert_memory_equal(Now.Vads, Before->Vads, Before->VadCount * sizeof(PMMVAD));
    assert_int_equal(Now.Outstanding, Before->Outstanding);
}

/* A fixed pseudo-random sequence, the same on every host. */
static ULONG RandomState;

static ULONG Random(ULONG Bound)
{
    RandomState = RandomState * 1103515245u + 12345u;
    return ((RandomState >> 8) & 0xFFFFFF) % Bound;
}

/* ==== protections and rounding ==== */

static void test_protection_validation(void **State)
{
    static const ULONG Valid[] = {
        PAGE_NOACCESS, PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY, PAGE_EXECUTE,
        PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY,
        PAGE_READWRITE | PAGE_GUARD, PAGE_READONLY | PAGE_NOCACHE,
        PAGE_EXECUTE_READWRITE | PAGE_WRITECOMBINE, PAGE_WRITECOPY | PAGE_GUARD,
    };
    static const ULONG Invalid[] = {
        0, PAGE_READONLY | PAGE_READWRITE, PAGE_EXECUTE | PAGE_EXECUTE_READ, PAGE_GUARD,
        PAGE_NOCACHE, PAGE_NOACCESS | PAGE_GUARD, PAGE_NOACCESS | PAGE_NOCACHE,
        PAGE_NOACCESS | PAGE_WRITECOMBINE, PAGE_READWRITE | PAGE_GUARD | PAGE_NOCACHE,
        PAGE_READWRITE | PAGE_NOCACHE | PAGE_WRITECOMBINE,
        PAGE_READWRITE | PAGE_GUARD | PAGE_WRITECOMBINE, PAGE_READONLY | 0x800,
        PAGE_READONLY | 0x80000000u, MEM_COMMIT | PAGE_READWRITE,
    };
    ULONG Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Valid); Index++)
        assert_status(MiValidateProtection(Valid[Index]), STATUS_SUCCESS);
    for (Index = 0; Index < RTL_NUMBER_OF(Invalid); Index++)
        assert_status(MiValidateProtection(Invalid[Index]), STATUS_INVALID_PAGE_PROTECTION);

    assert_true(MiIsWriteCopyProtection(PAGE_WRITECOPY));
    assert_true(MiIsWriteCopyProtection(PAGE_EXECUTE_WRITECOPY | PAGE_GUARD));
    assert_false(MiIsWriteCopyProtection(PAGE_READWRITE));
    assert_false(MiIsWriteCopyProtection(PAGE_EXECUTE_READWRITE | PAGE_NOCACHE));
}

/* Expression fills the locals Start and End; they must come out as given. */
#define EXPECT_RANGE(Expression, ExpectedStart, ExpectedEnd) do { \
        assert_status((Expression), STATUS_SUCCESS); \
        assert_int_equal(Start, (ExpectedStart)); \
        assert_int_equal(End, (ExpectedEnd)); \
    } while (0)

static void ExpectReserveRejected(ULONG_PTR Base, SIZE_T Size)
{
    ULONG_PTR Start = 0x1234, End = 0x5678;

    assert_status(MiRoundReserveRange(Base, Size, &Start, &End), STATUS_INVALID_PARAMETER);
    assert_int_equal(Start, 0x1234);
    assert_int_equal(End, 0x5678);
}

static void test_round_reserve_range(void **State)
{
    ULONG_PTR Start, End;

    (void)State;
    /* The start goes down to 64 KB, the end up to the page of the last byte. */
    EXPECT_RANGE(MiRoundReserveRange(0x12345678, 0x1000, &Start, &End), 0x12340, 0x12346);
    EXPECT_RANGE(MiRoundReserveRange(0x00010000, 1, &Start, &End), 0x10, 0x10);
    EXPECT_RANGE(MiRoundReserveRange(0x0001FFFF, 2, &Start, &End), 0x10, 0x20);
    EXPECT_RANGE(MiRoundReserveRange(0x00400000, 0x10000, &Start, &End), 0x400, 0x40F);
    /* Exactly up to the top of the VAD area. */
    EXPECT_RANGE(MiRoundReserveRange(0x7FFD0000, 0x10000, &Start, &End), 0x7FFD0, 0x7FFDF);
    EXPECT_RANGE(MiRoundReserveRange(0x7FFDFFFF, 1, &Start, &End), 0x7FFD0, 0x7FFDF);

    ExpectReserveRejected(0x00010000, 0);              /* no size */
    ExpectReserveRejected(0x7FFD0000, 0x10001);        /* one byte past the VAD area */
    ExpectReserveRejected(0x7FFE0000, 1);              /* KUSER_SHARED_DATA's 64 KB */
    ExpectReserveRejected(0x80000000, 0x1000);         /* kernel space */
    ExpectReserveRejected(0x00010000, 0xFFFFFFFF);     /* would wrap */
    ExpectReserveRejected(0x00005000, 0x20000);        /* rounds down into the null guard */
    ExpectReserveRejected(0x0000FFFF, 1);
}

static void test_round_reserve_size(void **State)
{
    ULONG_PTR Pages = 0x1234;

    (void)State;
    assert_status(MiRoundReserveSize(1, &Pages), STATUS_SUCCESS);
    assert_int_equal(Pages, 1);
    assert_status(MiRoundReserveSize(0x1000, &Pages), STATUS_SUCCESS);
    assert_int_equal(Pages, 1);
    assert_status(MiRoundReserveSize(0x1001, &Pages), STATUS_SUCCESS);
    assert_int_equal(Pages, 2);
    assert_status(MiRoundReserveSize(MM_HIGHEST_VAD_ADDRESS + 1, &Pages), STATUS_SUCCESS);
    assert_int_equal(Pages, 0x7FFE0);

    Pages = 0x1234;
    assert_status(MiRoundReserveSize(0, &Pages), STATUS_INVALID_PARAMETER);
    assert_status(MiRoundReserveSize(MM_HIGHEST_VAD_ADDRESS + 2, &Pages),
                  STATUS_INVALID_PARAMETER);
    assert_status(MiRoundReserveSize(0xFFFFFFFF, &Pages), STATUS_INVALID_PARAMETER);
    assert_int_equal(Pages, 0x1234);
}

static void test_round_page_range(void **State)
{
    ULONG_PTR Start = 0x1234, End = 0x5678;

    (void)State;
    EXPECT_RANGE(MiRoundPageRange(0x10FFF, 2, &Start, &End), 0x10, 0x11);
    EXPECT_RANGE(MiRoundPageRange(0x10000, 0x1000, &Start, &End), 0x10, 0x10);
    EXPECT_RANGE(MiRoundPageRange(0x10001, 0x1000, &Start, &End), 0x10, 0x11);
    EXPECT_RANGE(MiRoundPageRange(0x7FFEF000, 0x1000, &Start, &End), 0x7FFEF, 0x7FFEF);
    EXPECT_RANGE(MiRoundPageRange(0, 1, &Start, &End), 0, 0);

    Start = 0x1234;
    End = 0x5678;
    assert_status(MiRoundPageRange(0x10000, 0, &Start, &End), STATUS_INVALID_PARAMETER);
    assert_status(MiRoundPageRange(0x7FFEF000, 0x1001, &Start, &End),
                  STATUS_INVALID_PARAMETER);
    assert_status(MiRoundPageRange(0x7FFF0000, 1, &Start, &End), STATUS_INVALID_PARAMETER);
    assert_status(MiRoundPageRange(0x10000, 0xFFFFFFFF, &Start, &End),
                  STATUS_INVALID_PARAMETER);
    assert_int_equal(Start, 0x1234);
    assert_int_equal(End, 0x5678);
}

static void test_round_free_range(void **State)
{
    ULONG_PTR Start = 0x1234, End = 0x5678;

    (void)State;
    Reserve(0x100, 0x10F, MEM_RESERVE, PAGE_READWRITE);

    /* Size 0: the whole VAD, when the base is in its first page. */
    EXPECT_RANGE(MiRoundFreeRange(&Table, 0x100000, 0, &Start, &End), 0x100, 0x10F);
    EXPECT_RANGE(MiRoundFreeRange(&Table, 0x100FFF, 0, &Start, &End), 0x100, 0x10F);
    /* A size: page rounding, whatever the VADs (the operation checks them). */
    EXPECT_RANGE(MiRoundFreeRange(&Table, 0x101800, 0x1000, &Start, &End), 0x101, 0x102);
    EXPECT_RANGE(MiRoundFreeRange(&Table, 0x300000, 0x1000, &Start, &End), 0x300, 0x300);

    Start = 0x1234;
    End = 0x5678;
    assert_status(MiRoundFreeRange(&Table, 0x101000, 0, &Start, &End),
                  STATUS_FREE_VM_NOT_AT_BASE);
    assert_status(MiRoundFreeRange(&Table, 0x10F000, 0, &Start, &End),
                  STATUS_FREE_VM_NOT_AT_BASE);
    assert_status(MiRoundFreeRange(&Table, 0x110000, 0, &Start, &End),
                  STATUS_MEMORY_NOT_ALLOCATED);
    assert_status(MiRoundFreeRange(&Table, 0, 0, &Start, &End), STATUS_MEMORY_NOT_ALLOCATED);
    assert_status(MiRoundFreeRange(&Table, 0x80000000, 0, &Start, &End),
                  STATUS_INVALID_PARAMETER);
    assert_status(MiRoundFreeRange(&Table, 0x7FFF0000, 0x1000, &Start, &End),
                  STATUS_INVALID_PARAMETER);
    assert_int_equal(Start, 0x1234);
    assert_int_equal(End, 0x5678);
}

/* ==== the tree ==== */

#define ORDER_VADS 1000

/* Inserts ORDER_VADS two-page VADs (one free page between them) in the given order. */
static void InsertInOrder(const ULONG *Order, PMMVAD *Vads)
{
    ULONG Index;

    for (Index = 0; Index < ORDER_VADS; Index++) {
        ULONG_PTR Start = MI_LOWEST_VAD_VPN + 3 * Order[Index];

        Vads[Order[Index]] = InsertVad(Start, Start + 1);
        assert_int_equal(Table.NumberGenericTableElements, Index + 1);
    }
}

static void ExpectAllInOrder(PMMVAD *Vads)
{
    PMMVAD Vad = MiGetFirstVad(&Table);
    ULONG Index;

    for (Index = 0; Index < ORDER_VADS; Index++, Vad = MiGetNextVad(Vad))
        assert_ptr_equal(Vad, Vads[Index]);
    assert_null(Vad);
    assert_ptr_equal(MiGetLastVad(&Table), Vads[ORDER_VADS - 1]);
}

static void Shuffle(ULONG *Order, ULONG Count)
{
    ULONG Index, Other, Swap;

    for (Index = Count - 1; Index > 0; Index--) {
        Other = Random(Index + 1);
        Swap = Order[Index];
        Order[Index] = Order[Other];
        Order[Other] = Swap;
    }
}

static void MakeOrder(ULONG *Order, ULONG Kind)
{
    ULONG Index;

    for (Index = 0; Index < ORDER_VADS; Index++) {
        switch (Kind) {
        case 0: Order[Index] = Index; break;                        /* ascending */
        case 1: Order[Index] = ORDER_VADS - 1 - Index; break;       /* descending */
        case 2: Order[Index] = (Index & 1) ? ORDER_VADS - 1 - Index / 2 : Index / 2;
                break;                                              /* zig-zag */
        default: Order[Index] = Index; break;
        }
    }
    if (Kind == 3)
        Shuffle(Order, ORDER_VADS);
}

static void test_avl_insert_remove_orders(void **State)
{
    static ULONG Order[ORDER_VADS];
    static PMMVAD Vads[ORDER_VADS];
    ULONG InsertKind, RemoveKind, Index;

    (void)State;
    RandomState = 7;
    for (InsertKind = 0; InsertKind < 4; InsertKind++) {
        for (RemoveKind = 0; RemoveKind < 5; RemoveKind++) {
            MakeOrder(Order, InsertKind);
            InsertInOrder(Order, Vads);
            ExpectAllInOrder(Vads);

            if (RemoveKind == 4) {
                /* Always the root: the two-children case every time. */
                while (Table.Root != NULL)
                    RemoveVad(Table.Root);
            } else {
                MakeOrder(Order, RemoveKind);
                for (Index = 0; Index < ORDER_VADS; Index++) {
                    RemoveVad(Vads[Order[Index]]);
                    assert_int_equal(Table.NumberGenericTableElements,
                                     ORDER_VADS - 1 - Index);
                }
            }
            assert_null(Table.Root);
            assert_int_equal(PoolOutstanding, 0);
        }
    }
}

/* The tree against a plain array of intervals, under random inserts and removes. */
#define AVL_DOMAIN   4096               /* VAD starts, in pages from MI_LOWEST_VAD_VPN */
#define AVL_MAX_LEN  64
#define AVL_SPAN     (2 * AVL_DOMAIN + AVL_MAX_LEN)     /* pages any query may look at */
#define AVL_MAX_VADS 400

typedef struct _AVL_MODEL {
    ULONG Count;
    PMMVAD Vad[AVL_MAX_VADS];
    ULONG_PTR Start[AVL_MAX_VADS];
    ULONG_PTR End[AVL_MAX_VADS];
    UCHAR Occupied[AVL_SPAN];           /* per page from MI_LOWEST_VAD_VPN */
    ULONG Prefix[AVL_SPAN + 1];         /* occupied pages below each page */
} AVL_MODEL;

static void ModelMark(AVL_MODEL *Model, ULONG Index, UCHAR Value)
{
    ULONG_PTR Vpn;

    for (Vpn = Model->Start[Index]; Vpn <= Model->End[Index]; Vpn++)
        Model->Occupied[Vpn - MI_LOWEST_VAD_VPN] = Value;
}

static PMMVAD ModelLocate(const AVL_MODEL *Model, ULONG_PTR Vpn)
{
    ULONG Index;

    for (Index = 0; Index < Model->Count; Index++)
        if (Vpn >= Model->Start[Index] && Vpn <= Model->End[Index])
            return Model->Vad[Index];
    return NULL;
}

static PMMVAD ModelLowestOverlap(const AVL_MODEL *Model, ULONG_PTR Start, ULONG_PTR End)
{
    PMMVAD Found = NULL;
    ULONG_PTR FoundStart = 0;
    ULONG Index;

    for (Index = 0; Index < Model->Count; Index++) {
        if (Model->Start[Index] <= End && Model->End[Index] >= Start &&
            (Found == NULL || Model->Start[Index] < FoundStart)) {
            Found = Model->Vad[Index];
            FoundStart = Model->Start[Index];
        }
    }
    return Found;
}

/* Brute force over the occupancy map: is [Start, Start + Count) free? */
static BOOLEAN ModelRangeFree(const AVL_MODEL *Model, ULONG_PTR Start, ULONG_PTR Count)
{
    ULONG_PTR First = Start - MI_LOWEST_VAD_VPN;

    return Model->Prefix[First + Count] == Model->Prefix[First];
}

static void CheckGapsAgainstModel(AVL_MODEL *Model)
{
    static const ULONG_PTR Alignments[] = { 1, 2, 16 };
    ULONG_PTR Lowest = MI_LOWEST_VAD_VPN + Random(AVL_DOMAIN);
    ULONG_PTR Highest = Lowest + Random(Random(2) == 0 ? AVL_DOMAIN : 48);
    ULONG_PTR Count = 1 + Random(Random(4) == 0 ? 200 : 12);
    ULONG_PTR Align = Alignments[Random(RTL_NUMBER_OF(Alignments))];
    ULONG_PTR Candidate, Found, Expected = 0;
    BOOLEAN Exists = FALSE;
    NTSTATUS Status;
    ULONG Index;

    for (Index = 0; Index < AVL_SPAN; Index++)
        Model->Prefix[Index + 1] = Model->Prefix[Index] + Model->Occupied[Index];

    /* Lowest aligned start that fits. */
    for (Candidate = (Lowest + Align - 1) & ~(Align - 1);
         Candidate + Count - 1 <= Highest; Candidate += Align) {
        if (ModelRangeFree(Model, Candidate, Count)) {
            Expected = Candidate;
            Exists = TRUE;
            break;
        }
    }
    Found = 0xDEAD;
    Status = MiFindEmptyAddressRange(&Table, Count, Align, Lowest, Highest, &Found);
    assert_status(Status, Exists ? STATUS_SUCCESS : STATUS_NO_MEMORY);
    assert_int_equal(Found, Exists ? Expected : 0xDEAD);

    /* Highest aligned start that fits (Lowest is far above 0: no wrap). */
    Exists = FALSE;
    if (Highest - Lowest + 1 >= Count) {
        for (Candidate = (Highest - Count + 1) & ~(Align - 1); Candidate >= Lowest;
             Candidate -= Align) {
            if (ModelRangeFree(Model, Candidate, Count)) {
                Expected = Candidate;
                Exists = TRUE;
                break;
            }
        }
    }
    Found = 0xDEAD;
    Status = MiFindEmptyAddressRangeDown(&Table, Count, Align, Lowest, Highest, &Found);
    assert_status(Status, Exists ? STATUS_SUCCESS : STATUS_NO_MEMORY);
    assert_int_equal(Found, Exists ? Expected : 0xDEAD);
}

static void CheckLookupsAgainstModel(const AVL_MODEL *Model)
{
    ULONG Probe;

    for (Probe = 0; Probe < 16; Probe++) {
        ULONG_PTR Vpn = MI_LOWEST_VAD_VPN + Random(AVL_DOMAIN + AVL_MAX_LEN);
        ULONG_PTR End = Vpn + Random(40);

        assert_ptr_equal(MiLocateAddress(&Table, Vpn), ModelLocate(Model, Vpn));
        assert_ptr_equal(MiCheckForConflictingVad(&Table, Vpn, End),
                         ModelLowestOverlap(Model, Vpn, End));
    }
}

static void CheckWalkAgainstModel(const AVL_MODEL *Model)
{
    PMMVAD Vad, Previous = NULL;
    ULONG Seen = 0;

    for (Vad = MiGetFirstVad(&Table); Vad != NULL; Previous = Vad, Vad = MiGetNextVad(Vad)) {
        assert_ptr_equal(ModelLocate(Model, Vad->StartingVpn), Vad);
        if (Previous != NULL)
            assert_ptr_equal(MiGetPreviousVad(Vad), Previous);
        Seen++;
    }
    assert_int_equal(Seen, Model->Count);
}

static void test_avl_random_against_model(void **State)
{
    static AVL_MODEL Model;
    ULONG Step;

    (void)State;
    RandomState = 12345;
    memset(&Model, 0, sizeof(Model));
    for (Step = 0; Step < 6000; Step++) {
        BOOLEAN Insert = Model.Count == 0 ||
                         (Model.Count < AVL_MAX_VADS && Random(100) < 55);

        if (Insert) {
            ULONG_PTR Start = MI_LOWEST_VAD_VPN + Random(AVL_DOMAIN);
            ULONG_PTR End = Start + Random(Random(5) == 0 ? AVL_MAX_LEN : 8);
            PMMVAD Vad = MiAllocateVad(Start, End, MEM_PRIVATE, PAGE_READONLY,
                                       MEM_RESERVE, 0);
            BOOLEAN Overlaps = ModelLowestOverlap(&Model, Start, End) != NULL;

            assert_non_null(Vad);
            assert_status(MiInsertVad(&Table, Vad),
                          Overlaps ? STATUS_CONFLICTING_ADDRESSES : STATUS_SUCCESS);
            if (Overlaps) {
                MiFreeVad(Vad);
            } else {
                Model.Vad[Model.Count] = Vad;
                Model.Start[Model.Count] = Start;
                Model.End[Model.Count] = End;
                ModelMark(&Model, Model.Count, 1);
                Model.Count++;
            }
        } else {
            ULONG Victim = Random(Model.Count);

            RemoveVad(Model.Vad[Victim]);
            ModelMark(&Model, Victim, 0);
            Model.Count--;
            Model.Vad[Victim] = Model.Vad[Model.Count];
            Model.Start[Victim] = Model.Start[Model.Count];
            Model.End[Victim] = Model.End[Model.Count];
        }
        CheckTree();
        assert_int_equal(Table.NumberGenericTableElements, Model.Count);
        assert_int_equal(PoolOutstanding, 2 * Model.Count);    /* a VAD and its one run */
        CheckLookupsAgainstModel(&Model);
        if (Step % 4 == 0)
            CheckGapsAgainstModel(&Model);
        if (Step % 64 == 0)
            CheckWalkAgainstModel(&Model);
    }
}

static void ExpectInsertStatus(ULONG_PTR Start, ULONG_PTR End, NTSTATUS Expected)
{
    PMMVAD Vad = MiAllocateVad(Start, End, MEM_PRIVATE, PAGE_READWRITE, MEM_RESERVE, 0);
    NTSTATUS Status;

    assert_non_null(Vad);
    Status = MiInsertVad(&Table, Vad);
    assert_status(Status, Expected);
    if (!NT_SUCCESS(Status))
        MiFreeVad(Vad);
    CheckTree();
}

static void test_insert_rejects_overlap_and_bounds(void **State)
{
    (void)State;
    InsertVad(0x100, 0x10F);

    ExpectInsertStatus(0x100, 0x100, STATUS_CONFLICTING_ADDRESSES);
    ExpectInsertStatus(0x0F0, 0x100, STATUS_CONFLICTING_ADDRESSES);   /* touches start */
    ExpectInsertStatus(0x10F, 0x120, STATUS_CONFLICTING_ADDRESSES);   /* touches end */
    ExpectInsertStatus(0x0F0, 0x200, STATUS_CONFLICTING_ADDRESSES);   /* covers it */
    ExpectInsertStatus(0x105, 0x106, STATUS_CONFLICTING_ADDRESSES);   /* inside */
    ExpectInsertStatus(0x0F0, 0x0FF, STATUS_SUCCESS);                 /* just below */
    ExpectInsertStatus(0x110, 0x110, STATUS_SUCCESS);                 /* just above */
    ExpectInsertStatus(0x0F8, 0x111, STATUS_CONFLICTING_ADDRESSES);   /* over all three */

    ExpectInsertStatus(MI_LOWEST_VAD_VPN - 1, MI_LOWEST_VAD_VPN, STATUS_INVALID_PARAMETER);
    ExpectInsertStatus(MI_HIGHEST_VAD_VPN, MI_HIGHEST_VAD_VPN + 1, STATUS_INVALID_PARAMETER);
    ExpectInsertStatus(MI_VA_TO_VPN(MM_SHARED_USER_DATA_VA),
                       MI_VA_TO_VPN(MM_SHARED_USER_DATA_VA), STATUS_INVALID_PARAMETER);
    ExpectInsertStatus(0x500, 0x4FF, STATUS_INVALID_PARAMETER);        /* ends before start */
    ExpectInsertStatus(MI_LOWEST_VAD_VPN, MI_LOWEST_VAD_VPN, STATUS_SUCCESS);
    ExpectInsertStatus(MI_HIGHEST_VAD_VPN, MI_HIGHEST_VAD_VPN, STATUS_SUCCESS);
    assert_int_equal(Table.NumberGenericTableElements, 5);
}

static void test_locate_conflict_and_walk(void **State)
{
    PMMVAD A, B, C;

    (void)State;
    B = InsertVad(0x200, 0x20F);
    A = InsertVad(0x100, 0x10F);
    C = InsertVad(0x300, 0x30F);

    assert_null(MiLocateAddress(&Table, 0xFF));
    assert_ptr_equal(MiLocateAddress(&Table, 0x100), A);
    assert_ptr_equal(MiLocateAddress(&Table, 0x10F), A);
    assert_null(MiLocateAddress(&Table, 0x110));
    assert_ptr_equal(MiLocateAddress(&Table, 0x205), B);
    assert_ptr_equal(MiLocateAddress(&Table, 0x30F), C);
    assert_null(MiLocateAddress(&Table, 0x310));

    assert_null(MiCheckForConflictingVad(&Table, 0x110, 0x1FF));
    assert_ptr_equal(MiCheckForConflictingVad(&Table, 0x110, 0x200), B);
    assert_ptr_equal(MiCheckForConflictingVad(&Table, 0, 0xFFFFF), A);
    assert_ptr_equal(MiCheckForConflictingVad(&Table, 0x10F, 0x300), A);    /* the lowest */
    assert_null(MiCheckForConflictingVad(&Table, 0x210, 0x2FF));
    assert_ptr_equal(MiCheckForConflictingVad(&Table, 0x30F, 0x30F), C);
    assert_null(MiCheckForConflictingVad(&Table, 0x310, 0xFFFFF));

    assert_ptr_equal(MiGetFirstVad(&Table), A);
    assert_ptr_equal(MiGetNextVad(A), B);
    assert_ptr_equal(MiGetNextVad(B), C);
    assert_null(MiGetNextVad(C));
    assert_ptr_equal(MiGetLastVad(&Table), C);
    assert_ptr_equal(MiGetPreviousVad(C), B);
    assert_ptr_equal(MiGetPreviousVad(B), A);
    assert_null(MiGetPreviousVad(A));

    /* The hint follows lookups and never outlives its VAD. */
    assert_ptr_equal(MiLocateAddress(&Table, 0x201), B);
    assert_ptr_equal(Table.NodeHint, B);
    RemoveVad(B);
    assert_null(Table.NodeHint);
    assert_null(MiLocateAddress(&Table, 0x201));
    assert_ptr_equal(MiLocateAddress(&Table, 0x300), C);
    assert_ptr_equal(Table.NodeHint, C);
}

/* Expression fills the local Found; it must come out as given. */
#define EXPECT_FOUND(Expression, Expected) do { \
        assert_status((Expression), STATUS_SUCCESS); \
        assert_int_equal(Found, (Expected)); \
    } while (0)

static void test_gaps_bottom_up(void **State)
{
    ULONG_PTR Found;

    (void)State;
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 1, 16, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                        &Found), 0x10);
    InsertVad(0x10, 0x10);
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 1, 16, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                        &Found), 0x20);
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 1, 1, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                        &Found), 0x11);
    InsertVad(0x20, 0x25);
    InsertVad(0x40, 0x4F);
    /* 0x30..0x3F fits 16 pages exactly; 17 must go above 0x4F. */
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 16, 16, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                        &Found), 0x30);
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 17, 16, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                        &Found), 0x50);
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 15, 1, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                        &Found), 0x11);
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 16, 1, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                        &Found), 0x26);
    /* The ceiling counts: 0x30..0x3F fits under 0x3F, not under 0x3E. */
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 16, 16, 0x11, 0x3F, &Found), 0x30);
    Found = 0xDEAD;
    assert_status(MiFindEmptyAddressRange(&Table, 16, 16, 0x11, 0x3E, &Found),
                  STATUS_NO_MEMORY);
    assert_int_equal(Found, 0xDEAD);
    /* A floor above everything. */
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 1, 16, 0x50000, MI_HIGHEST_VAD_VPN, &Found),
                 0x50000);
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 1, 16, 0x50001, MI_HIGHEST_VAD_VPN, &Found),
                 0x50010);

    assert_status(MiFindEmptyAddressRange(&Table, 0, 16, 0x10, 0x100, &Found),
                  STATUS_INVALID_PARAMETER);
    assert_status(MiFindEmptyAddressRange(&Table, 1, 0, 0x10, 0x100, &Found),
                  STATUS_INVALID_PARAMETER);
    assert_status(MiFindEmptyAddressRange(&Table, 1, 3, 0x10, 0x100, &Found),
                  STATUS_INVALID_PARAMETER);
    assert_status(MiFindEmptyAddressRange(&Table, 1, 1, 0x100, 0x10, &Found),
                  STATUS_INVALID_PARAMETER);
}

static void test_gaps_top_down(void **State)
{
    ULONG_PTR Found;

    (void)State;
    /* Empty: as high as the VAD area allows. */
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 16, 16, MI_LOWEST_VAD_VPN,
                                            MI_HIGHEST_VAD_VPN, &Found), 0x7FFD0);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 17, 16, MI_LOWEST_VAD_VPN,
                                            MI_HIGHEST_VAD_VPN, &Found), 0x7FFC0);
    /* The PEB and the first TEB land where XP puts them: 0x7FFDF000, 0x7FFDE000. */
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 1, 1, MI_LOWEST_VAD_VPN,
                                            MI_HIGHEST_VAD_VPN, &Found), 0x7FFDF);
    InsertVad(Found, Found);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 1, 1, MI_LOWEST_VAD_VPN,
                                            MI_HIGHEST_VAD_VPN, &Found), 0x7FFDE);
    InsertVad(Found, Found);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 16, 16, MI_LOWEST_VAD_VPN,
                                            MI_HIGHEST_VAD_VPN, &Found), 0x7FFC0);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 14, 1, MI_LOWEST_VAD_VPN,
                                            MI_HIGHEST_VAD_VPN, &Found), 0x7FFD0);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 15, 1, MI_LOWEST_VAD_VPN,
                                            MI_HIGHEST_VAD_VPN, &Found), 0x7FFCF);
    /* A ceiling below the VADs, and a floor that leaves no room. */
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 1, 16, MI_LOWEST_VAD_VPN, 0x1000,
                                            &Found), 0x1000);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 1, 16, MI_LOWEST_VAD_VPN, 0x100F,
                                            &Found), 0x1000);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 2, 16, MI_LOWEST_VAD_VPN, 0x1000,
                                            &Found), 0xFF0);
    Found = 0xDEAD;
    assert_status(MiFindEmptyAddressRangeDown(&Table, 16, 16, 0x7FFD1, MI_HIGHEST_VAD_VPN,
                                              &Found), STATUS_NO_MEMORY);
    assert_status(MiFindEmptyAddressRangeDown(&Table, 0x20, 1, 0x10, 0x2E, &Found),
                  STATUS_NO_MEMORY);
    /* Room for 16 pages in [0x25, 0x3A], but no 16-aligned start inside it. */
    assert_status(MiFindEmptyAddressRangeDown(&Table, 16, 16, 0x25, 0x3A, &Found),
                  STATUS_NO_MEMORY);
    assert_status(MiFindEmptyAddressRange(&Table, 16, 16, 0x25, 0x3A, &Found),
                  STATUS_NO_MEMORY);
    assert_int_equal(Found, 0xDEAD);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 0x1F, 1, 0x10, 0x2E, &Found), 0x10);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 16, 16, 0x25, 0x3F, &Found), 0x30);
}

static void test_gaps_when_full(void **State)
{
    ULONG_PTR Found = 0xDEAD;
    PMMVAD All;

    (void)State;
    All = InsertVad(MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN);
    assert_status(MiFindEmptyAddressRange(&Table, 1, 1, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                          &Found), STATUS_NO_MEMORY);
    assert_status(MiFindEmptyAddressRangeDown(&Table, 1, 1, MI_LOWEST_VAD_VPN,
                                              MI_HIGHEST_VAD_VPN, &Found), STATUS_NO_MEMORY);
    assert_int_equal(Found, 0xDEAD);
    RemoveVad(All);

    /* One free page at the top edge. */
    All = InsertVad(MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN - 1);
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 1, 1, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                        &Found), MI_HIGHEST_VAD_VPN);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 1, 1, MI_LOWEST_VAD_VPN,
                                            MI_HIGHEST_VAD_VPN, &Found), MI_HIGHEST_VAD_VPN);
    assert_status(MiFindEmptyAddressRange(&Table, 1, 16, MI_LOWEST_VAD_VPN,
                                          MI_HIGHEST_VAD_VPN, &Found), STATUS_NO_MEMORY);
    assert_status(MiFindEmptyAddressRange(&Table, 2, 1, MI_LOWEST_VAD_VPN,
                                          MI_HIGHEST_VAD_VPN, &Found), STATUS_NO_MEMORY);
    assert_status(MiFindEmptyAddressRangeDown(&Table, 2, 1, MI_LOWEST_VAD_VPN,
                                              MI_HIGHEST_VAD_VPN, &Found), STATUS_NO_MEMORY);
    RemoveVad(All);

    /* One free page at the bottom edge: the 64 KB-aligned first page of user space. */
    InsertVad(MI_LOWEST_VAD_VPN + 1, MI_HIGHEST_VAD_VPN);
    EXPECT_FOUND(MiFindEmptyAddressRange(&Table, 1, 16, MI_LOWEST_VAD_VPN,
                                        MI_HIGHEST_VAD_VPN, &Found), MI_LOWEST_VAD_VPN);
    EXPECT_FOUND(MiFindEmptyAddressRangeDown(&Table, 1, 16, MI_LOWEST_VAD_VPN,
                                            MI_HIGHEST_VAD_VPN, &Found), MI_LOWEST_VAD_VPN);
    assert_status(MiFindEmptyAddressRange(&Table, 2, 1, MI_LOWEST_VAD_VPN,
                                          MI_HIGHEST_VAD_VPN, &Found), STATUS_NO_MEMORY);
    assert_status(MiFindEmptyAddressRangeDown(&Table, 2, 1, MI_LOWEST_VAD_VPN,
                                              MI_HIGHEST_VAD_VPN, &Found), STATUS_NO_MEMORY);
}

/* MiSplitVad on its own (MiReleaseRange trims right after it, hiding its edges). */
static void test_split_vad(void **State)
{
    PCSTR Failure = NULL;
    PMMVAD Vad, Upper;

    (void)State;
    /* At a run boundary: the run above moves whole, nothing is left empty below. */
    Vad = MiAllocateVad(0x400, 0x40F, MEM_PRIVATE, PAGE_READONLY, MEM_RESERVE, 0);
    assert_non_null(Vad);
    assert_status(MiSetRunRange(Vad, 0x408, 0x40B, MEM_COMMIT, PAGE_READWRITE, NULL, NULL),
                  STATUS_SUCCESS);
    Upper = MiAllocateVad(0x408, 0x40F, MEM_PRIVATE, PAGE_READONLY, MEM_RESERVE, 0);
    assert_non_null(Upper);
    MiSplitVad(Vad, Upper);
    assert_true(MiValidateVadRuns(Vad, &Failure));
    assert_true(MiValidateVadRuns(Upper, &Failure));
    EXPECT_RUNS(Vad, RES(0x400, 0x407));
    EXPECT_RUNS(Upper, COM(0x408, 0x40B, PAGE_READWRITE), RES(0x40C, 0x40F));

    /* Inside a run: both sides keep a piece of it. */
    MiFreeVad(Upper);
    Upper = MiAllocateVad(0x404, 0x407, MEM_PRIVATE, PAGE_READONLY, MEM_RESERVE, 0);
    assert_non_null(Upper);
    MiSplitVad(Vad, Upper);
    EXPECT_RUNS(Vad, RES(0x400, 0x403));
    EXPECT_RUNS(Upper, RES(0x404, 0x407));
    assert_true(MiValidateVadRuns(Vad, &Failure));
    assert_true(MiValidateVadRuns(Upper, &Failure));
    MiFreeVad(Upper);
    MiFreeVad(Vad);
    assert_int_equal(PoolOutstanding, 0);
}

/* The checker must see each kind of damage, or the other tests prove nothing. */
static void ExpectBroken(PCSTR Keyword)
{
    PCSTR Failure = NULL;

    assert_false(MiValidateVadTree(&Table, &Failure));
    assert_non_null(Failure);
    if (strstr(Failure, Keyword) == NULL)
        fail_msg("expected a failure about '%s', got '%s'", Keyword, Failure);
}

static void test_validator_detects_damage(void **State)
{
    PMMVAD A, B, C, Parent;
    PMMVAD_RUN Run;
    ULONG_PTR Saved;

    (void)State;
    A = Reserve(0x100, 0x10F, MEM_RESERVE, PAGE_READWRITE);
    B = Reserve(0x200, 0x20F, MEM_RESERVE, PAGE_READWRITE);
    C = Reserve(0x300, 0x30F, MEM_RESERVE, PAGE_READWRITE);
    assert_status(MiCommitRange(&Table, 0x204, 0x207, PAGE_READONLY, NULL), STATUS_SUCCESS);
    CheckTree();
    assert_ptr_equal(Table.Root, B);    /* the second of three ascending inserts */

    Table.Root->Balance += 1;
    ExpectBroken("balance");
    Table.Root->Balance -= 1;

    Table.NumberGenericTableElements++;
    ExpectBroken("NumberGenericTableElements");
    Table.NumberGenericTableElements--;

    Parent = A->Parent;
    A->Parent = NULL;
    ExpectBroken("parent");
    A->Parent = Parent;

    C->StartingVpn = 0x20F;                             /* overlaps B */
    MiLocateRun(C, 0x300)->StartingVpn = 0x20F;
    ExpectBroken("overlapping");
    C->StartingVpn = 0x300;
    MiLocateRun(C, 0x300)->StartingVpn = 0x300;

    Saved = A->StartingVpn;
    A->StartingVpn = A->EndingVpn + 1;
    ExpectBroken("ends before it starts");
    A->StartingVpn = Saved;

    Run = MiLocateRun(B, 0x204);
    Run->Protect = 0;                                   /* committed, no protection */
    ExpectBroken("protection");
    Run->Protect = PAGE_READONLY;

    Run->State = MEM_FREE;
    ExpectBroken("state");
    Run->State = MEM_COMMIT;

    Run->EndingVpn--;                                   /* a one-page gap */
    ExpectBroken("gap");
    Run->EndingVpn++;

    Run->State = MEM_RESERVE;                           /* equal to both neighbours */
    Run->Protect = 0;
    ExpectBroken("merged");
    Run->State = MEM_COMMIT;
    Run->Protect = PAGE_READONLY;

    Run = MiLocateRun(B, 0x20F);
    Run->EndingVpn = 0x20E;                             /* runs stop short of the end */
    ExpectBroken("end of their VAD");
    Run->EndingVpn = 0x20F;

    Table.NodeHint = (PMMVAD)&Saved;                    /* not a VAD of this tree */
    ExpectBroken("NodeHint");
    Table.NodeHint = NULL;
    CheckTree();
}

/* ==== reserve, commit, decommit, release, protect ==== */

static void test_reserve(void **State)
{
    PMMVAD Vad;
    SNAPSHOT Before;

    (void)State;
    Vad = Reserve(0x400, 0x40F, MEM_RESERVE, PAGE_READWRITE);
    assert_int_equal(Vad->StartingVpn, 0x400);
    assert_int_equal(Vad->EndingVpn, 0x40F);
    assert_int_equal(Vad->Type, MEM_PRIVATE);
    assert_int_equal(Vad->AllocationProtect, PAGE_READWRITE);
    EXPECT_RUNS(Vad, RES(0x400, 0x40F));
    ExpectRegion(0x400000, 0x400000, 0x10000, MEM_RESERVE, 0, 0x400000, PAGE_READWRITE,
                 MEM_PRIVATE);
    ExpectRegion(0x405123, 0x405000, 0xB000, MEM_RESERVE, 0, 0x400000, PAGE_READWRITE,
                 MEM_PRIVATE);

    Vad = Reserve(0x500, 0x503, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READ);
    EXPECT_RUNS(Vad, COM(0x500, 0x503, PAGE_EXECUTE_READ));
    ExpectRegion(0x500000, 0x500000, 0x4000, MEM_COMMIT, PAGE_EXECUTE_READ, 0x500000,
                 PAGE_EXECUTE_READ, MEM_PRIVATE);
    assert_status(MiReserveRange(&Table, 0x600, 0x600, MEM_RESERVE, PAGE_NOACCESS, NULL),
                  STATUS_SUCCESS);
    assert_int_equal(PoolOutstanding, 6);

    TakeSnapshot(&Before);
    assert_status(MiReserveRange(&Table, 0x700, 0x70F, MEM_COMMIT, PAGE_READWRITE, NULL),
                  STATUS_INVALID_PARAMETER);
    assert_status(MiReserveRange(&Table, 0x700, 0x70F, MEM_RESERVE | MEM_TOP_DOWN,
                                 PAGE_READWRITE, NULL), STATUS_INVALID_PARAMETER);
    assert_status(MiReserveRange(&Table, 0x700, 0x70F, MEM_RESERVE, PAGE_WRITECOPY, NULL),
                  STATUS_INVALID_PAGE_PROTECTION);
    assert_status(MiReserveRange(&Table, 0x700, 0x70F, MEM_RESERVE, 0, NULL),
                  STATUS_INVALID_PAGE_PROTECTION);
    /* A bad protection is reported before a bad range, as NT checks it first. */
    assert_status(MiReserveRange(&Table, 0x40F, 0x410, MEM_RESERVE,
                                 PAGE_NOACCESS | PAGE_GUARD, NULL),
                  STATUS_INVALID_PAGE_PROTECTION);
    assert_status(MiReserveRange(&Table, 0x40F, 0x410, MEM_RESERVE, PAGE_READWRITE, NULL),
                  STATUS_CONFLICTING_ADDRESSES);
    assert_status(MiReserveRange(&Table, 0x3F0, 0x500, MEM_RESERVE, PAGE_READWRITE, NULL),
                  STATUS_CONFLICTING_ADDRESSES);
    assert_status(MiReserveRange(&Table, MI_LOWEST_VAD_VPN - 1, MI_LOWEST_VAD_VPN,
                                 MEM_RESERVE, PAGE_READWRITE, NULL), STATUS_INVALID_PARAMETER);
    assert_status(MiReserveRange(&Table, MI_HIGHEST_VAD_VPN, MI_HIGHEST_VAD_VPN + 1,
                                 MEM_RESERVE, PAGE_READWRITE, NULL), STATUS_INVALID_PARAMETER);
    assert_status(MiReserveRange(&Table, 0x701, 0x700, MEM_RESERVE, PAGE_READWRITE, NULL),
                  STATUS_INVALID_PARAMETER);
    ExpectSnapshot(&Before);
}

static void test_commit_positions(void **State)
{
    PMMVAD Vad;
    ULONG_PTR Newly;

    (void)State;
    Vad = Reserve(0x400, 0x40F, MEM_RESERVE, PAGE_READWRITE);

    assert_status(MiCommitRange(&Table, 0x400, 0x401, PAGE_READWRITE, &Newly), STATUS_SUCCESS);
    assert_int_equal(Newly, 2);
    EXPECT_RUNS(Vad, COM(0x400, 0x401, PAGE_READWRITE), RES(0x402, 0x40F));

    assert_status(MiCommitRange(&Table, 0x40E, 0x40F, PAGE_READONLY, &Newly), STATUS_SUCCESS);
    assert_int_equal(Newly, 2);
    EXPECT_RUNS(Vad, COM(0x400, 0x401, PAGE_READWRITE), RES(0x402, 0x40D),
                COM(0x40E, 0x40F, PAGE_READONLY));

    assert_status(MiCommitRange(&Table, 0x405, 0x406, PAGE_READWRITE, &Newly), STATUS_SUCCESS);
    assert_int_equal(Newly, 2);
    EXPECT_RUNS(Vad, COM(0x400, 0x401, PAGE_READWRITE), RES(0x402, 0x404),
                COM(0x405, 0x406, PAGE_READWRITE), RES(0x407, 0x40D),
                COM(0x40E, 0x40F, PAGE_READONLY));
    CheckTree();

    /* Spanning runs: the reserved pages between are committed, and all merge. */
    assert_status(MiCommitRange(&Table, 0x401, 0x405, PAGE_READWRITE, &Newly), STATUS_SUCCESS);
    assert_int_equal(Newly, 3);
    EXPECT_RUNS(Vad, COM(0x400, 0x406, PAGE_READWRITE), RES(0x407, 0x40D),
                COM(0x40E, 0x40F, PAGE_READONLY));

    /* Committed pages in the range take the new protection too. */
    assert_status(MiCommitRange(&Table, 0x406, 0x40F, PAGE_READONLY, &Newly), STATUS_SUCCESS);
    assert_int_equal(Newly, 7);
    EXPECT_RUNS(Vad, COM(0x400, 0x405, PAGE_READWRITE), COM(0x406, 0x40F, PAGE_READONLY));
    ExpectRegion(0x403000, 0x403000, 0x3000, MEM_COMMIT, PAGE_READWRITE, 0x400000,
                 PAGE_READWRITE, MEM_PRIVATE);
    ExpectRegion(0x406000, 0x406000, 0xA000, MEM_COMMIT, PAGE_READONLY, 0x400000,
                 PAGE_READWRITE, MEM_PRIVATE);

    assert_status(MiCommitRange(&Table, 0x400, 0x40F, PAGE_EXECUTE_READWRITE, &Newly),
                  STATUS_SUCCESS);
    assert_int_equal(Newly, 0);
    EXPECT_RUNS(Vad, COM(0x400, 0x40F, PAGE_EXECUTE_READWRITE));

    assert_status(MiCommitRange(&Table, 0x408, 0x408, PAGE_READWRITE | PAGE_GUARD, NULL),
                  STATUS_SUCCESS);
    EXPECT_RUNS(Vad, COM(0x400, 0x407, PAGE_EXECUTE_READWRITE),
                COM(0x408, 0x408, PAGE_READWRITE | PAGE_GUARD),
                COM(0x409, 0x40F, PAGE_EXECUTE_READWRITE));
    assert_int_equal(PoolOutstanding, 4);
}

static void test_commit_errors(void **State)
{
    SNAPSHOT Before;
    ULONG_PTR Newly = 0xDEAD;

    (void)State;
    Reserve(0x400, 0x40F, MEM_RESERVE, PAGE_READWRITE);
    Reserve(0x410, 0x41F, MEM_RESERVE, PAGE_READWRITE);
    InsertMappedVad(0x500, 0x50F, PAGE_READONLY);
    TakeSnapshot(&Before);

    assert_status(MiCommitRange(&Table, 0x40F, 0x410, PAGE_READWRITE, &Newly),
                  STATUS_CONFLICTING_ADDRESSES);    /* two VADs, even adjacent ones */
    assert_status(MiCommitRange(&Table, 0x3FF, 0x400, PAGE_READWRITE, &Newly),
                  STATUS_CONFLICTING_ADDRESSES);    /* starts in free space */
    assert_status(MiCommitRange(&Table, 0x41F, 0x420, PAGE_READWRITE, &Newly),
                  STATUS_CONFLICTING_ADDRESSES);    /* runs out of the VAD */
    assert_status(MiCommitRange(&Table, 0x420, 0x420, PAGE_READWRITE, &Newly),
                  STATUS_CONFLICTING_ADDRESSES);
    assert_status(MiCommitRange(&Table, 0x401, 0x400, PAGE_READWRITE, &Newly),
                  STATUS_CONFLICTING_ADDRESSES);
    assert_status(MiCommitRange(&Table, 0x400, 0x401, PAGE_READWRITE | PAGE_NOCACHE |
                                PAGE_GUARD, &Newly), STATUS_INVALID_PAGE_PROTECTION);
    assert_status(MiCommitRange(&Table, 0x420, 0x420, 0, &Newly),
                  STATUS_INVALID_PAGE_PROTECTION);
    assert_status(MiCommitRange(&Table, 0x400, 0x401, PAGE_WRITECOPY, &Newly),
                  STATUS_INVALID_PAGE_PROTECTION);
    assert_status(MiCommitRange(&Table, 0x500, 0x501, PAGE_EXECUTE_WRITECOPY, &Newly),
                  STATUS_INVALID_PAGE_PROTECTION);  /* NtAllocateVirtualMemory never takes it */
    assert_int_equal(Newly, 0xDEAD);
    ExpectSnapshot(&Before);
}

static void test_decommit_positions(void **State)
{
    PMMVAD Vad;
    ULONG_PTR Count;
    ULONG Old;

    (void)State;
    Report.Count = 0;
    Vad = Reserve(0x400, 0x40F, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);

    assert_status(MiDecommitRange(&Table, 0x405, 0x406, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    assert_int_equal(Count, 2);
    EXPECT_REPORTED(0x405, 0x406);
    EXPECT_RUNS(Vad, COM(0x400, 0x404, PAGE_READWRITE), RES(0x405, 0x406),
                COM(0x407, 0x40F, PAGE_READWRITE));

    assert_status(MiDecommitRange(&Table, 0x400, 0x400, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    assert_int_equal(Count, 1);
    EXPECT_REPORTED(0x400, 0x400);
    assert_status(MiDecommitRange(&Table, 0x40F, 0x40F, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    EXPECT_REPORTED(0x40F, 0x40F);
    EXPECT_RUNS(Vad, RES(0x400, 0x400), COM(0x401, 0x404, PAGE_READWRITE), RES(0x405, 0x406),
                COM(0x407, 0x40E, PAGE_READWRITE), RES(0x40F, 0x40F));

    /* Spanning: each committed stretch is reported once, reserved pages are no error. */
    assert_status(MiDecommitRange(&Table, 0x403, 0x408, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    assert_int_equal(Count, 4);
    EXPECT_REPORTED(0x403, 0x404, 0x407, 0x408);
    EXPECT_RUNS(Vad, RES(0x400, 0x400), COM(0x401, 0x402, PAGE_READWRITE), RES(0x403, 0x408),
                COM(0x409, 0x40E, PAGE_READWRITE), RES(0x40F, 0x40F));

    assert_status(MiDecommitRange(&Table, 0x404, 0x407, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    assert_int_equal(Count, 0);
    assert_int_equal(Report.Count, 0);

    /* Runs of different protections are reported separately. */
    assert_status(MiProtectRange(&Table, 0x401, 0x401, PAGE_READONLY, &Old),
                  STATUS_SUCCESS);
    assert_status(MiDecommitRange(&Table, 0x400, 0x40F, RecordRun, &Report, NULL),
                  STATUS_SUCCESS);
    EXPECT_REPORTED(0x401, 0x401, 0x402, 0x402, 0x409, 0x40E);
    EXPECT_RUNS(Vad, RES(0x400, 0x40F));
    ExpectRegion(0x400000, 0x400000, 0x10000, MEM_RESERVE, 0, 0x400000, PAGE_READWRITE,
                 MEM_PRIVATE);
    assert_ptr_equal(MiLocateAddress(&Table, 0x400), Vad);     /* the VAD stays */
    assert_int_equal(PoolOutstanding, 2);
}

static void test_free_errors(void **State)
{
    SNAPSHOT Before;
    ULONG_PTR Count = 0xDEAD;

    (void)State;
    Report.Count = 0;
    Reserve(0x400, 0x40F, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    Reserve(0x410, 0x41F, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    InsertMappedVad(0x500, 0x50F, PAGE_READONLY);
    TakeSnapshot(&Before);

    assert_status(MiDecommitRange(&Table, 0x3FF, 0x400, RecordRun, &Report, &Count),
                  STATUS_MEMORY_NOT_ALLOCATED);
    assert_status(MiReleaseRange(&Table, 0x3FF, 0x400, RecordRun, &Report, &Count),
                  STATUS_MEMORY_NOT_ALLOCATED);
    assert_status(MiDecommitRange(&Table, 0x420, 0x420, RecordRun, &Report, &Count),
                  STATUS_MEMORY_NOT_ALLOCATED);
    assert_status(MiDecommitRange(&Table, 0x40F, 0x410, RecordRun, &Report, &Count),
                  STATUS_UNABLE_TO_FREE_VM);
    assert_status(MiReleaseRange(&Table, 0x400, 0x41F, RecordRun, &Report, &Count),
                  STATUS_UNABLE_TO_FREE_VM);
    assert_status(MiReleaseRange(&Table, 0x41F, 0x420, RecordRun, &Report, &Count),
                  STATUS_UNABLE_TO_FREE_VM);
    assert_status(MiDecommitRange(&Table, 0x500, 0x500, RecordRun, &Report, &Count),
                  STATUS_UNABLE_TO_DELETE_SECTION);
    assert_status(MiReleaseRange(&Table, 0x500, 0x50F, RecordRun, &Report, &Count),
                  STATUS_UNABLE_TO_DELETE_SECTION);
    assert_int_equal(Report.Count, 0);
    assert_int_equal(Count, 0xDEAD);
    ExpectSnapshot(&Before);
}

static void test_release_partial(void **State)
{
    PMMVAD Low, High;
    ULONG_PTR Count, Start, End;

    (void)State;
    Report.Count = 0;
    Low = Reserve(0x400, 0x40F, MEM_RESERVE, PAGE_EXECUTE_READWRITE);
    assert_status(MiCommitRange(&Table, 0x402, 0x404, PAGE_READWRITE, NULL), STATUS_SUCCESS);
    assert_status(MiCommitRange(&Table, 0x408, 0x40B, PAGE_READONLY, NULL), STATUS_SUCCESS);

    /* The middle: the VAD splits in two, the upper part a VAD of its own. */
    assert_status(MiReleaseRange(&Table, 0x403, 0x409, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    CheckTree();
    assert_int_equal(Count, 4);
    EXPECT_REPORTED(0x403, 0x404, 0x408, 0x409);
    High = MiLocateAddress(&Table, 0x40A);
    assert_non_null(High);
    assert_true(High != Low);
    assert_int_equal(Table.NumberGenericTableElements, 2);
    EXPECT_RUNS(Low, RES(0x400, 0x401), COM(0x402, 0x402, PAGE_READWRITE));
    EXPECT_RUNS(High, COM(0x40A, 0x40B, PAGE_READONLY), RES(0x40C, 0x40F));
    assert_int_equal(High->Type, MEM_PRIVATE);
    assert_int_equal(High->AllocationProtect, PAGE_EXECUTE_READWRITE);
    assert_null(MiLocateAddress(&Table, 0x403));
    assert_null(MiLocateAddress(&Table, 0x409));
    ExpectRegion(0x403000, 0x403000, 0x7000, MEM_FREE, PAGE_NOACCESS, 0, 0, 0);
    ExpectRegion(0x40A000, 0x40A000, 0x2000, MEM_COMMIT, PAGE_READONLY, 0x40A000,
                 PAGE_EXECUTE_READWRITE, MEM_PRIVATE);
    ExpectRegion(0x401000, 0x401000, 0x1000, MEM_RESERVE, 0, 0x400000,
                 PAGE_EXECUTE_READWRITE, MEM_PRIVATE);

    /* The start of the upper VAD. */
    assert_status(MiReleaseRange(&Table, 0x40A, 0x40A, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    EXPECT_REPORTED(0x40A, 0x40A);
    EXPECT_RUNS(High, COM(0x40B, 0x40B, PAGE_READONLY), RES(0x40C, 0x40F));
    assert_ptr_equal(MiLocateAddress(&Table, 0x40B), High);

    /* The end of the lower one. */
    assert_status(MiReleaseRange(&Table, 0x402, 0x402, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    EXPECT_REPORTED(0x402, 0x402);
    EXPECT_RUNS(Low, RES(0x400, 0x401));
    CheckTree();

    /* Whole VADs: by exact range, and by base with size 0. */
    assert_status(MiReleaseRange(&Table, 0x40B, 0x40F, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    EXPECT_REPORTED(0x40B, 0x40B);
    assert_null(MiLocateAddress(&Table, 0x40B));
    assert_status(MiRoundFreeRange(&Table, 0x400000, 0, &Start, &End), STATUS_SUCCESS);
    assert_status(MiReleaseRange(&Table, Start, End, RecordRun, &Report, &Count),
                  STATUS_SUCCESS);
    assert_int_equal(Count, 0);
    assert_int_equal(Report.Count, 0);
    assert_null(Table.Root);
    assert_int_equal(PoolOutstanding, 0);
}

static void test_release_splits_single_run(void **State)
{
    PMMVAD Low, High;

    (void)State;
    Report.Count = 0;
    Low = Reserve(0x400, 0x40F, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_status(MiReleaseRange(&Table, 0x404, 0x407, RecordRun, &Report, NULL),
                  STATUS_SUCCESS);
    EXPECT_REPORTED(0x404, 0x407);
    High = MiGetNextVad(Low);
    EXPECT_RUNS(Low, COM(0x400, 0x403, PAGE_READWRITE));
    EXPECT_RUNS(High, COM(0x408, 0x40F, PAGE_READWRITE));
    CheckTree();

    /* Split points on run boundaries. */
    Low = Reserve(0x500, 0x50F, MEM_RESERVE, PAGE_READWRITE);
    assert_status(MiCommitRange(&Table, 0x504, 0x507, PAGE_READONLY, NULL), STATUS_SUCCESS);
    assert_status(MiReleaseRange(&Table, 0x504, 0x507, RecordRun, &Report, NULL),
                  STATUS_SUCCESS);
    EXPECT_REPORTED(0x504, 0x507);
    High = MiGetNextVad(Low);
    EXPECT_RUNS(Low, RES(0x500, 0x503));
    EXPECT_RUNS(High, RES(0x508, 0x50F));
    assert_int_equal(Table.NumberGenericTableElements, 4);
    assert_int_equal(PoolOutstanding, 8);
    CheckTree();
}

static void test_protect(void **State)
{
    PMMVAD Vad;
    SNAPSHOT Before;
    ULONG Old;

    (void)State;
    Vad = Reserve(0x400, 0x40F, MEM_RESERVE, PAGE_READWRITE);
    assert_status(MiCommitRange(&Table, 0x400, 0x403, PAGE_READWRITE, NULL), STATUS_SUCCESS);
    assert_status(MiCommitRange(&Table, 0x404, 0x407, PAGE_READONLY, NULL), STATUS_SUCCESS);
    assert_status(MiCommitRange(&Table, 0x408, 0x40B, PAGE_EXECUTE_READ, NULL),
                  STATUS_SUCCESS);

    /* Across three runs: OldProtect is the first page's. */
    assert_status(MiProtectRange(&Table, 0x402, 0x409, PAGE_NOACCESS, &Old), STATUS_SUCCESS);
    assert_int_equal(Old, PAGE_READWRITE);
    EXPECT_RUNS(Vad, COM(0x400, 0x401, PAGE_READWRITE), COM(0x402, 0x409, PAGE_NOACCESS),
                COM(0x40A, 0x40B, PAGE_EXECUTE_READ), RES(0x40C, 0x40F));
    assert_status(MiProtectRange(&Table, 0x409, 0x40A, PAGE_READWRITE | PAGE_GUARD, &Old),
                  STATUS_SUCCESS);
    assert_int_equal(Old, PAGE_NOACCESS);
    EXPECT_RUNS(Vad, COM(0x400, 0x401, PAGE_READWRITE), COM(0x402, 0x408, PAGE_NOACCESS),
                COM(0x409, 0x40A, PAGE_READWRITE | PAGE_GUARD),
                COM(0x40B, 0x40B, PAGE_EXECUTE_READ), RES(0x40C, 0x40F));
    ExpectRegion(0x409800, 0x409000, 0x2000, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD,
                 0x400000, PAGE_READWRITE, MEM_PRIVATE);

    Old = 0xDEAD;
    TakeSnapshot(&Before);
    assert_status(MiProtectRange(&Table, 0x40B, 0x40C, PAGE_READWRITE, &Old),
                  STATUS_NOT_COMMITTED);
    assert_status(MiProtectRange(&Table, 0x40C, 0x40C, PAGE_READWRITE, &Old),
                  STATUS_NOT_COMMITTED);
    assert_status(MiProtectRange(&Table, 0x3FF, 0x400, PAGE_READWRITE, &Old),
                  STATUS_CONFLICTING_ADDRESSES);
    assert_status(MiProtectRange(&Table, 0x410, 0x410, PAGE_READWRITE, &Old),
                  STATUS_CONFLICTING_ADDRESSES);
    assert_status(MiProtectRange(&Table, 0x400, 0x401, PAGE_NOACCESS | PAGE_NOCACHE, &Old),
                  STATUS_INVALID_PAGE_PROTECTION);
    assert_status(MiProtectRange(&Table, 0x400, 0x401, PAGE_WRITECOPY, &Old),
                  STATUS_INVALID_PAGE_PROTECTION);
    assert_status(MiProtectRange(&Table, 0x410, 0x410, 0x12345, &Old),
                  STATUS_INVALID_PAGE_PROTECTION);
    assert_int_equal(Old, 0xDEAD);
    ExpectSnapshot(&Before);

    /* Everything committed back to one protection merges into one run. */
    assert_status(MiProtectRange(&Table, 0x400, 0x40B, PAGE_READWRITE, &Old), STATUS_SUCCESS);
    assert_int_equal(Old, PAGE_READWRITE);
    EXPECT_RUNS(Vad, COM(0x400, 0x40B, PAGE_READWRITE), RES(0x40C, 0x40F));

    /* A view may become write-copy. */
    InsertMappedVad(0x500, 0x503, PAGE_READONLY);
    assert_status(MiProtectRange(&Table, 0x501, 0x502, PAGE_WRITECOPY, &Old), STATUS_SUCCESS);
    assert_int_equal(Old, PAGE_READONLY);
    ExpectRegion(0x501000, 0x501000, 0x2000, MEM_COMMIT, PAGE_WRITECOPY, 0x500000,
                 PAGE_READONLY, MEM_MAPPED);
}

static void test_guard_pages(void **State)
{
    PMMVAD Vad, Stack;
    PMMVAD Found;
    ULONG Protect, Old;

    (void)State;
    Vad = Reserve(0x400, 0x40F, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    assert_status(MiProtectRange(&Table, 0x405, 0x407, PAGE_READWRITE | PAGE_GUARD, &Old),
                  STATUS_SUCCESS);
    assert_int_equal(MiQueryPage(&Table, 0x406, &Protect, &Found), MEM_COMMIT);
    assert_int_equal(Protect, PAGE_READWRITE | PAGE_GUARD);
    assert_ptr_equal(Found, Vad);

    /* The middle of a guard run: the run splits. */
    assert_status(MiClearGuardPage(&Table, 0x406), STATUS_SUCCESS);
    EXPECT_RUNS(Vad, COM(0x400, 0x404, PAGE_READWRITE),
                COM(0x405, 0x405, PAGE_READWRITE | PAGE_GUARD),
                COM(0x406, 0x406, PAGE_READWRITE),
                COM(0x407, 0x407, PAGE_READWRITE | PAGE_GUARD),
                COM(0x408, 0x40F, PAGE_READWRITE));
    assert_int_equal(MiQueryPage(&Table, 0x406, &Protect, NULL), MEM_COMMIT);
    assert_int_equal(Protect, PAGE_READWRITE);

    /* A lone guard page between equal neighbours: all three merge. */
    assert_status(MiClearGuardPage(&Table, 0x405), STATUS_SUCCESS);
    EXPECT_RUNS(Vad, COM(0x400, 0x406, PAGE_READWRITE),
                COM(0x407, 0x407, PAGE_READWRITE | PAGE_GUARD),
                COM(0x408, 0x40F, PAGE_READWRITE));
    assert_status(MiClearGuardPage(&Table, 0x407), STATUS_SUCCESS);
    EXPECT_RUNS(Vad, COM(0x400, 0x40F, PAGE_READWRITE));
    assert_status(MiClearGuardPage(&Table, 0x407), STATUS_INVALID_PARAMETER);

    /* A thread stack: reserved, committed top, a guard page that moves down. */
    Stack = Reserve(0x500, 0x50F, MEM_RESERVE, PAGE_READWRITE);
    assert_status(MiCommitRange(&Table, 0x50E, 0x50F, PAGE_READWRITE, NULL), STATUS_SUCCESS);
    assert_status(MiCommitRange(&Table, 0x50D, 0x50D, PAGE_READWRITE | PAGE_GUARD, NULL),
                  STATUS_SUCCESS);
    assert_status(MiClearGuardPage(&Table, 0x50C), STATUS_INVALID_PARAMETER);   /* reserved */
    assert_status(MiClearGuardPage(&Table, 0x50D), STATUS_SUCCESS);
    assert_status(MiCommitRange(&Table, 0x50C, 0x50C, PAGE_READWRITE | PAGE_GUARD, NULL),
                  STATUS_SUCCESS);
    EXPECT_RUNS(Stack, RES(0x500, 0x50B), COM(0x50C, 0x50C, PAGE_READWRITE | PAGE_GUARD),
                COM(0x50D, 0x50F, PAGE_READWRITE));
    assert_status(MiClearGuardPage(&Table, 0x600), STATUS_INVALID_PARAMETER);   /* free */
    CheckTree();
}

/* ==== queries ==== */

static void test_query_empty_and_top(void **State)
{
    MEMORY_BASIC_INFORMATION Info;

    (void)State;
    ExpectRegion(0, 0, MM_HIGHEST_VAD_ADDRESS + 1, MEM_FREE, PAGE_NOACCESS, 0, 0, 0);
    ExpectRegion(0x12345, 0x12000, MM_HIGHEST_VAD_ADDRESS + 1 - 0x12000, MEM_FREE,
                 PAGE_NOACCESS, 0, 0, 0);
    ExpectRegion(MM_HIGHEST_VAD_ADDRESS, 0x7FFDF000, 0x1000, MEM_FREE, PAGE_NOACCESS, 0, 0, 0);

    /* KUSER_SHARED_DATA, committed read-only, and the reserved rest of the 64 KB. */
    ExpectRegion(MM_SHARED_USER_DATA_VA, MM_SHARED_USER_DATA_VA, PAGE_SIZE, MEM_COMMIT,
                 PAGE_READONLY, MM_SHARED_USER_DATA_VA, PAGE_READONLY, MEM_PRIVATE);
    ExpectRegion(MM_SHARED_USER_DATA_VA + 0xFFF, MM_SHARED_USER_DATA_VA, PAGE_SIZE,
                 MEM_COMMIT, PAGE_READONLY, MM_SHARED_USER_DATA_VA, PAGE_READONLY,
                 MEM_PRIVATE);
    ExpectRegion(0x7FFE1000, 0x7FFE1000, 0xF000, MEM_RESERVE, PAGE_NOACCESS,
                 MM_SHARED_USER_DATA_VA, PAGE_READONLY, MEM_PRIVATE);
    ExpectRegion(MM_HIGHEST_USER_ADDRESS, 0x7FFEF000, 0x1000, MEM_RESERVE, PAGE_NOACCESS,
                 MM_SHARED_USER_DATA_VA, PAGE_READONLY, MEM_PRIVATE);

    memset(&Info, 0xEE, sizeof(Info));
    assert_status(MiQueryRange(&Table, MM_USER_PROBE_ADDRESS, &Info), STATUS_INVALID_PARAMETER);
    assert_status(MiQueryRange(&Table, 0xFFFFFFFF, &Info), STATUS_INVALID_PARAMETER);
    assert_int_equal(Info.State, 0xEEEEEEEE);
}

static void test_query_regions(void **State)
{
    static SNAPSHOT Walk;

    (void)State;
    Reserve(0x10, 0x1F, MEM_RESERVE, PAGE_READONLY);
    Reserve(0x400, 0x40F, MEM_RESERVE, PAGE_EXECUTE_READWRITE);
    assert_status(MiCommitRange(&Table, 0x404, 0x405, PAGE_EXECUTE_READ, NULL), STATUS_SUCCESS);
    Reserve(0x7FFD0, MI_HIGHEST_VAD_VPN, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);

    ExpectRegion(0, 0, 0x10000, MEM_FREE, PAGE_NOACCESS, 0, 0, 0);
    ExpectRegion(0xFFFF, 0xF000, 0x1000, MEM_FREE, PAGE_NOACCESS, 0, 0, 0);
    ExpectRegion(0x12345, 0x12000, 0xE000, MEM_RESERVE, 0, 0x10000, PAGE_READONLY,
                 MEM_PRIVATE);
    ExpectRegion(0x20000, 0x20000, 0x3E0000, MEM_FREE, PAGE_NOACCESS, 0, 0, 0);
    ExpectRegion(0x403FFF, 0x403000, 0x1000, MEM_RESERVE, 0, 0x400000,
                 PAGE_EXECUTE_READWRITE, MEM_PRIVATE);
    ExpectRegion(0x404000, 0x404000, 0x2000, MEM_COMMIT, PAGE_EXECUTE_READ, 0x400000,
                 PAGE_EXECUTE_READWRITE, MEM_PRIVATE);
    ExpectRegion(0x406000, 0x406000, 0xA000, MEM_RESERVE, 0, 0x400000,
                 PAGE_EXECUTE_READWRITE, MEM_PRIVATE);
    ExpectRegion(0x410000, 0x410000, 0x7FFD0000 - 0x410000, MEM_FREE, PAGE_NOACCESS, 0, 0, 0);
    ExpectRegion(0x7FFDF000, 0x7FFDF000, 0x1000, MEM_COMMIT, PAGE_READWRITE, 0x7FFD0000,
                 PAGE_READWRITE, MEM_PRIVATE);
    ExpectRegion(0x7FFD0000, 0x7FFD0000, 0x10000, MEM_COMMIT, PAGE_READWRITE, 0x7FFD0000,
                 PAGE_READWRITE, MEM_PRIVATE);

    /* Walking region by region covers user space exactly (TakeSnapshot checks). */
    TakeSnapshot(&Walk);
    assert_int_equal(Walk.RegionCount, 10);
    assert_int_equal((ULONG_PTR)Walk.Regions[8].BaseAddress, MM_SHARED_USER_DATA_VA);
    assert_int_equal(Walk.Regions[8].State, MEM_COMMIT);
    assert_int_equal((ULONG_PTR)Walk.Regions[9].BaseAddress, 0x7FFE1000);
    assert_int_equal(Walk.Regions[9].State, MEM_RESERVE);
}

static void test_query_page(void **State)
{
    PMMVAD Vad, Found = (PMMVAD)&Found;
    ULONG Protect = 0xDEAD;

    (void)State;
    Vad = Reserve(0x400, 0x40F, MEM_RESERVE, PAGE_READWRITE);
    assert_status(MiCommitRange(&Table, 0x408, 0x408, PAGE_EXECUTE_READ | PAGE_GUARD, NULL),
                  STATUS_SUCCESS);

    assert_int_equal(MiQueryPage(&Table, 0x3FF, &Protect, &Found), MEM_FREE);
    assert_int_equal(Protect, 0);
    assert_null(Found);
    assert_int_equal(MiQueryPage(&Table, 0x400, &Protect, &Found), MEM_RESERVE);
    assert_int_equal(Protect, 0);
    assert_ptr_equal(Found, Vad);
    assert_int_equal(MiQueryPage(&Table, 0x408, &Protect, &Found), MEM_COMMIT);
    assert_int_equal(Protect, PAGE_EXECUTE_READ | PAGE_GUARD);
    assert_int_equal(MiQueryPage(&Table, 0x40F, &Protect, NULL), MEM_RESERVE);
    assert_int_equal(MiQueryPage(&Table, MI_VA_TO_VPN(MM_SHARED_USER_DATA_VA), &Protect,
                                 &Found), MEM_FREE);
}

static void test_delete_all_reports_committed(void **State)
{
    ULONG_PTR Index, Pages = 0;

    (void)State;
    Report.Count = 0;
    Reserve(0x400, 0x40F, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    Reserve(0x500, 0x50F, MEM_RESERVE, PAGE_READWRITE);
    assert_status(MiCommitRange(&Table, 0x502, 0x503, PAGE_READONLY, NULL), STATUS_SUCCESS);
    Reserve(0x600, 0x6FF, MEM_RESERVE, PAGE_READWRITE);

    MiDeleteAllVads(&Table, RecordRun, &Report);
    assert_null(Table.Root);
    assert_int_equal(Table.NumberGenericTableElements, 0);
    assert_int_equal(PoolOutstanding, 0);
    assert_int_equal(Report.Count, 2);
    for (Index = 0; Index < Report.Count; Index++)
        Pages += Report.End[Index] - Report.Start[Index] + 1;
    assert_int_equal(Pages, 18);
}

/* ==== out of memory at every allocation point ==== */

typedef void (*SCENARIO_SETUP)(void);
typedef NTSTATUS (*SCENARIO_OPERATION)(void);

/* Runs Operation with allocation failing at 0, 1, 2, ... calls until it succeeds. */
static void FailEveryAllocation(SCENARIO_SETUP Setup, SCENARIO_OPERATION Operation,
                                ULONG ExpectedAllocations)
{
    static SNAPSHOT Before;
    ULONG FailAt;
    NTSTATUS Status;

    for (FailAt = 0; ; FailAt++) {
        Setup();
        CheckTree();
        TakeSnapshot(&Before);
        Report.Count = 0;
        FailAllocationsAfter(FailAt);
        Status = Operation();
        StopFailingAllocations();
        if (Status != STATUS_INSUFFICIENT_RESOURCES) {
            assert_status(Status, STATUS_SUCCESS);
            CheckTree();
            MiDeleteAllVads(&Table, NULL, NULL);
            assert_int_equal(PoolOutstanding, 0);
            break;
        }
        assert_true(FailAt < ExpectedAllocations);
        assert_int_equal(Report.Count, 0);  /* no page was given to the caller to free */
        ExpectSnapshot(&Before);
        MiDeleteAllVads(&Table, NULL, NULL);
        assert_int_equal(PoolOutstanding, 0);
    }
    assert_int_equal(FailAt, ExpectedAllocations);
}

static void SetupNothing(void)
{
}

static void SetupReserved(void)
{
    Reserve(0x400, 0x40F, MEM_RESERVE, PAGE_READWRITE);
    Reserve(0x500, 0x50F, MEM_RESERVE, PAGE_READWRITE);
}

static void SetupCommitted(void)
{
    Reserve(0x400, 0x40F, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    Reserve(0x500, 0x50F, MEM_RESERVE, PAGE_READWRITE);
    assert_status(MiCommitRange(&Table, 0x504, 0x506, PAGE_READWRITE | PAGE_GUARD, NULL),
                  STATUS_SUCCESS);
}

static NTSTATUS OpReserve(void)
{
    return MiReserveRange(&Table, 0x600, 0x60F, MEM_RESERVE, PAGE_READWRITE, NULL);
}

static NTSTATUS OpReserveCommit(void)
{
    return MiReserveRange(&Table, 0x600, 0x60F, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY,
                          NULL);
}

static NTSTATUS OpCommitMiddle(void)
{
    return MiCommitRange(&Table, 0x404, 0x405, PAGE_READWRITE, NULL);
}

static NTSTATUS OpCommitStart(void)
{
    return MiCommitRange(&Table, 0x400, 0x405, PAGE_READWRITE, NULL);
}

static NTSTATUS OpCommitWhole(void)
{
    return MiCommitRange(&Table, 0x400, 0x40F, PAGE_READWRITE, NULL);
}

static NTSTATUS OpDecommitMiddle(void)
{
    return MiDecommitRange(&Table, 0x404, 0x405, RecordRun, &Report, NULL);
}

static NTSTATUS OpDecommitEnd(void)
{
    return MiDecommitRange(&Table, 0x40C, 0x40F, RecordRun, &Report, NULL);
}

static NTSTATUS OpProtectMiddle(void)
{
    ULONG Old;

    return MiProtectRange(&Table, 0x404, 0x405, PAGE_READONLY, &Old);
}

static NTSTATUS OpProtectAcrossGuard(void)
{
    ULONG Old;

    /* One run changes in place between two that stay: nothing to allocate. */
    return MiProtectRange(&Table, 0x504, 0x506, PAGE_READWRITE, &Old);
}

static NTSTATUS OpReleaseMiddle(void)
{
    return MiReleaseRange(&Table, 0x404, 0x405, RecordRun, &Report, NULL);
}

static NTSTATUS OpReleaseStart(void)
{
    return MiReleaseRange(&Table, 0x400, 0x405, RecordRun, &Report, NULL);
}

static NTSTATUS OpReleaseWhole(void)
{
    return MiReleaseRange(&Table, 0x400, 0x40F, RecordRun, &Report, NULL);
}

static NTSTATUS OpClearGuardMiddle(void)
{
    return MiClearGuardPage(&Table, 0x505);
}

static NTSTATUS OpClearGuardEdge(void)
{
    return MiClearGuardPage(&Table, 0x504);
}

static void test_out_of_memory_every_point(void **State)
{
    (void)State;
    FailEveryAllocation(SetupNothing, OpReserve, 2);            /* VAD, run */
    FailEveryAllocation(SetupReserved, OpReserveCommit, 2);
    FailEveryAllocation(SetupReserved, OpCommitMiddle, 2);      /* head and tail runs */
    FailEveryAllocation(SetupReserved, OpCommitStart, 1);
    FailEveryAllocation(SetupReserved, OpCommitWhole, 0);
    FailEveryAllocation(SetupCommitted, OpDecommitMiddle, 2);
    FailEveryAllocation(SetupCommitted, OpDecommitEnd, 1);
    FailEveryAllocation(SetupCommitted, OpProtectMiddle, 2);
    FailEveryAllocation(SetupCommitted, OpProtectAcrossGuard, 0);
    FailEveryAllocation(SetupCommitted, OpReleaseMiddle, 2);    /* upper VAD, its run */
    FailEveryAllocation(SetupCommitted, OpReleaseStart, 0);
    FailEveryAllocation(SetupCommitted, OpReleaseWhole, 0);
    FailEveryAllocation(SetupCommitted, OpClearGuardMiddle, 2);
    FailEveryAllocation(SetupCommitted, OpClearGuardEdge, 1);
}

/* ==== everything at random against a page-by-page model ==== */

#define MODEL_PAGES 512

typedef struct _MODEL_PAGE {
    ULONG_PTR VadStart;                 /* 0: free */
    ULONG AllocationProtect;
    ULONG State;                        /* MEM_FREE, MEM_RESERVE, MEM_COMMIT */
    ULONG Protect;
} MODEL_PAGE;

static MODEL_PAGE Model[MODEL_PAGES];
static ULONG_PTR ModelBase;             /* VPN of Model[0] */

static BOOLEAN SamePage(const MODEL_PAGE *A, const MODEL_PAGE *B)
{
    return A->VadStart == B->VadStart && A->State == B->State && A->Protect == B->Protect;
}

/* What MiQueryRange must say about model page Index. */
static void ModelQuery(ULONG Index, MEMORY_BASIC_INFORMATION *Info)
{
    const MODEL_PAGE *Page = &Model[Index];
    ULONG End = Index + 1;
    ULONG_PTR Top;

    memset(Info, 0, sizeof(*Info));
    Info->BaseAddress = (PVOID)MI_VPN_TO_VA(ModelBase + Index);
    if (Page->State == MEM_FREE) {
        while (End < MODEL_PAGES && Model[End].State == MEM_FREE)
            End++;
        Top = (End < MODEL_PAGES) ? MI_VPN_TO_VA(ModelBase + End) : MM_HIGHEST_VAD_ADDRESS + 1;
        Info->RegionSize = Top - MI_VPN_TO_VA(ModelBase + Index);
        Info->State = MEM_FREE;
        Info->Protect = PAGE_NOACCESS;
        return;
    }
    while (End < MODEL_PAGES && SamePage(&Model[End], Page))
        End++;
    Info->AllocationBase = (PVOID)MI_VPN_TO_VA(Page->VadStart);
    Info->AllocationProtect = Page->AllocationProtect;
    Info->RegionSize = (End - Index) * PAGE_SIZE;
    Info->State = Page->State;
    Info->Protect = Page->Protect;
    Info->Type = MEM_PRIVATE;
}

static void CheckAgainstModel(void)
{
    ULONG Index, Vads = 0, Runs = 0;

    CheckTree();
    for (Index = 0; Index < MODEL_PAGES; Index++) {
        MEMORY_BASIC_INFORMATION Expected, Actual;
        ULONG Protect;

        ModelQuery(Index, &Expected);
        assert_status(MiQueryRange(&Table, MI_VPN_TO_VA(ModelBase + Index) + Random(PAGE_SIZE),
                                   &Actual), STATUS_SUCCESS);
        assert_memory_equal(&Actual, &Expected, sizeof(Expected));
        assert_int_equal(MiQueryPage(&Table, ModelBase + Index, &Protect, NULL),
                         Model[Index].State);
        assert_int_equal(Protect, Model[Index].Protect);

        if (Model[Index].State != MEM_FREE &&
            (Index == 0 || Model[Index - 1].VadStart != Model[Index].VadStart))
            Vads++;
        if (Model[Index].State != MEM_FREE &&
            (Index == 0 || !SamePage(&Model[Index - 1], &Model[Index])))
            Runs++;
    }
    assert_int_equal(Table.NumberGenericTableElements, Vads);
    assert_int_equal(PoolOutstanding, Vads + Runs);    /* nothing leaked */
}

/* The model's index of the last page of the VAD holding page Index. */
static ULONG ModelVadEnd(ULONG Index)
{
    while (Index + 1 < MODEL_PAGES && Model[Index + 1].VadStart == Model[Index].VadStart)
        Index++;
    return Index;
}

/* Protections the random test uses; the first few often, so that runs merge. */
typedef struct _TEST_PROTECTION {
    ULONG Protect;
    BOOLEAN Valid;                      /* for NtAllocateVirtualMemory on private memory */
    BOOLEAN Invalid;                    /* invalid for every service */
} TEST_PROTECTION;

static const TEST_PROTECTION Protections[] = {
    { PAGE_READWRITE, TRUE, FALSE },
    { PAGE_READONLY, TRUE, FALSE },
    { PAGE_READWRITE | PAGE_GUARD, TRUE, FALSE },
    { PAGE_NOACCESS, TRUE, FALSE },
    { PAGE_EXECUTE, TRUE, FALSE },
    { PAGE_EXECUTE_READ, TRUE, FALSE },
    { PAGE_EXECUTE_READWRITE, TRUE, FALSE },
    { PAGE_READONLY | PAGE_NOCACHE, TRUE, FALSE },
    { PAGE_EXECUTE_READWRITE | PAGE_WRITECOMBINE, TRUE, FALSE },
    { PAGE_WRITECOPY, FALSE, FALSE },
    { PAGE_EXECUTE_WRITECOPY | PAGE_GUARD, FALSE, FALSE },
    { 0, FALSE, TRUE },
    { PAGE_READONLY | PAGE_READWRITE, FALSE, TRUE },
    { PAGE_NOACCESS | PAGE_GUARD, FALSE, TRUE },
    { PAGE_READWRITE | PAGE_GUARD | PAGE_NOCACHE, FALSE, TRUE },
};

static const TEST_PROTECTION *RandomProtection(void)
{
    ULONG Pick = Random(100);

    if (Pick < 60)
        return &Protections[Pick % 3];
    if (Pick < 92)
        return &Protections[3 + Pick % 6];
    return &Protections[9 + Pick % 6];
}

static NTSTATUS ModelReserve(ULONG First, ULONG Last, ULONG Type, const TEST_PROTECTION *P)
{
    ULONG Index;

    if (!P->Valid)
        return STATUS_INVALID_PAGE_PROTECTION;
    for (Index = First; Index <= Last; Index++)
        if (Model[Index].State != MEM_FREE)
            return STATUS_CONFLICTING_ADDRESSES;
    for (Index = First; Index <= Last; Index++) {
        Model[Index].VadStart = ModelBase + First;
        Model[Index].AllocationProtect = P->Protect;
        Model[Index].State = (Type & MEM_COMMIT) ? MEM_COMMIT : MEM_RESERVE;
        Model[Index].Protect = (Type & MEM_COMMIT) ? P->Protect : 0;
    }
    return STATUS_SUCCESS;
}

static BOOLEAN ModelInOneVad(ULONG First, ULONG Last)
{
    return Model[First].State != MEM_FREE && Model[Last].VadStart == Model[First].VadStart;
}

static NTSTATUS ModelCommit(ULONG First, ULONG Last, const TEST_PROTECTION *P,
                            PULONG_PTR Newly)
{
    ULONG Index;

    if (!P->Valid)
        return STATUS_INVALID_PAGE_PROTECTION;
    if (!ModelInOneVad(First, Last))
        return STATUS_CONFLICTING_ADDRESSES;
    *Newly = 0;
    for (Index = First; Index <= Last; Index++) {
        *Newly += (Model[Index].State == MEM_RESERVE);
        Model[Index].State = MEM_COMMIT;
        Model[Index].Protect = P->Protect;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS ModelCheckFree(ULONG First, ULONG Last)
{
    if (Model[First].State == MEM_FREE)
        return STATUS_MEMORY_NOT_ALLOCATED;
    if (Model[Last].VadStart != Model[First].VadStart)
        return STATUS_UNABLE_TO_FREE_VM;
    return STATUS_SUCCESS;
}

/* The committed pages of [First, Last], for what the operation must report. */
static ULONG_PTR ModelCommitted(ULONG First, ULONG Last, BOOLEAN *Committed)
{
    ULONG_PTR Count = 0;
    ULONG Index;

    memset(Committed, 0, MODEL_PAGES * sizeof(BOOLEAN));
    for (Index = First; Index <= Last; Index++) {
        Committed[Index] = (Model[Index].State == MEM_COMMIT);
        Count += Committed[Index];
    }
    return Count;
}

static NTSTATUS ModelDecommit(ULONG First, ULONG Last)
{
    NTSTATUS Status = ModelCheckFree(First, Last);
    ULONG Index;

    if (!NT_SUCCESS(Status))
        return Status;
    for (Index = First; Index <= Last; Index++) {
        Model[Index].State = MEM_RESERVE;
        Model[Index].Protect = 0;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS ModelRelease(ULONG First, ULONG Last)
{
    NTSTATUS Status = ModelCheckFree(First, Last);
    ULONG Index, VadEnd;

    if (!NT_SUCCESS(Status))
        return Status;
    VadEnd = ModelVadEnd(First);
    /* What stays above the range is a VAD of its own from Last + 1 on. */
    for (Index = Last + 1; Index <= VadEnd; Index++)
        Model[Index].VadStart = ModelBase + Last + 1;
    for (Index = First; Index <= Last; Index++) {
        memset(&Model[Index], 0, sizeof(Model[Index]));
        Model[Index].State = MEM_FREE;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS ModelProtect(ULONG First, ULONG Last, const TEST_PROTECTION *P, PULONG Old)
{
    ULONG Index;

    if (P->Invalid)
        return STATUS_INVALID_PAGE_PROTECTION;
    if (!ModelInOneVad(First, Last))
        return STATUS_CONFLICTING_ADDRESSES;
    if (!P->Valid)
        return STATUS_INVALID_PAGE_PROTECTION;  /* write-copy on private memory */
    for (Index = First; Index <= Last; Index++)
        if (Model[Index].State != MEM_COMMIT)
            return STATUS_NOT_COMMITTED;
    *Old = Model[First].Protect;
    for (Index = First; Index <= Last; Index++)
        Model[Index].Protect = P->Protect;
    return STATUS_SUCCESS;
}

static NTSTATUS ModelClearGuard(ULONG Index)
{
    if (Model[Index].State != MEM_COMMIT || !(Model[Index].Protect & PAGE_GUARD))
        return STATUS_INVALID_PARAMETER;
    Model[Index].Protect &= ~PAGE_GUARD;
    return STATUS_SUCCESS;
}

/* The reported runs must be ascending, disjoint, and exactly the committed pages. */
static void CheckReportedAgainst(const BOOLEAN *Committed, ULONG_PTR Count)
{
    static BOOLEAN Seen[MODEL_PAGES];
    ULONG Index;
    ULONG_PTR Vpn, Total = 0;

    memset(Seen, 0, sizeof(Seen));
    for (Index = 0; Index < Report.Count; Index++) {
        if (Index > 0)
            assert_true(Report.Start[Index] > Report.End[Index - 1]);
        for (Vpn = Report.Start[Index]; Vpn <= Report.End[Index]; Vpn++) {
            assert_true(Vpn >= ModelBase && Vpn < ModelBase + MODEL_PAGES);
            Seen[Vpn - ModelBase] = TRUE;
            Total++;
        }
    }
    assert_memory_equal(Seen, Committed, sizeof(Seen));
    assert_int_equal(Total, Count);
}

/*
 * The pages from Index on that are like it: free, in the same VAD, or (Committed)
 * committed in the same VAD. Ends at the last of them.
 */
static ULONG ModelStretchEnd(ULONG Index, BOOLEAN Committed)
{
    ULONG End = Index;

    while (End + 1 < MODEL_PAGES && Model[End + 1].VadStart == Model[Index].VadStart &&
           (!Committed || Model[End + 1].State == MEM_COMMIT))
        End++;
    return End;
}

typedef enum _RANDOM_OPERATION {
    RandomReserve, RandomCommit, RandomDecommit, RandomRelease, RandomProtect, RandomClearGuard
} RANDOM_OPERATION;

/* Weighted so that the space neither fills up with tiny VADs nor stays empty. */
static RANDOM_OPERATION PickOperation(void)
{
    ULONG Pick = Random(100);

    return Pick < 14 ? RandomReserve : Pick < 38 ? RandomCommit : Pick < 54 ? RandomDecommit :
           Pick < 70 ? RandomRelease : Pick < 92 ? RandomProtect : RandomClearGuard;
}

/*
 * A range for Operation: one time in four anywhere (mostly errors), otherwise where
 * it can succeed - free pages for a reserve, committed ones for a protect, one VAD
 * for the rest, often all of the stretch.
 */
static void PickRange(RANDOM_OPERATION Operation, PULONG First, PULONG Last)
{
    ULONG Index = Random(MODEL_PAGES), Tries, Limit;
    ULONG Length = 1 + Random((Operation == RandomReserve || Random(8) == 0) ? 64 : 16);
    BOOLEAN WantFree = (Operation == RandomReserve);
    BOOLEAN WantCommitted = (Operation == RandomProtect || Operation == RandomClearGuard);

    if (Random(4) != 0) {
        for (Tries = 0; Tries < MODEL_PAGES; Tries++, Index = (Index + 1) % MODEL_PAGES) {
            if (WantFree ? Model[Index].State == MEM_FREE :
                WantCommitted ? Model[Index].State == MEM_COMMIT :
                Model[Index].State != MEM_FREE)
                break;
        }
        Limit = ModelStretchEnd(Index, WantCommitted);
        if (!WantFree && Random(Operation == RandomRelease ? 2 : 4) == 0) {
            while (Index > 0 && Model[Index - 1].VadStart == Model[Index].VadStart &&
                   (!WantCommitted || Model[Index - 1].State == MEM_COMMIT))
                Index--;
            Length = Limit - Index + 1;     /* the whole stretch */
        }
        if (Length > Limit - Index + 1)
            Length = Limit - Index + 1;
    }
    *First = Index;
    *Last = (Index + Length - 1 < MODEL_PAGES) ? Index + Length - 1 : MODEL_PAGES - 1;
}

static void RandomStep(void)
{
    static BOOLEAN Committed[MODEL_PAGES];
    static MODEL_PAGE Saved[MODEL_PAGES];
    RANDOM_OPERATION Operation = PickOperation();
    const TEST_PROTECTION *P = RandomProtection();
    ULONG_PTR Start, End, Count = 0xDEAD, ExpectedCount = 0;
    ULONG Old = 0xDEAD, ExpectedOld = 0, Type, First, Last;
    BOOLEAN InjectFailure = (Random(8) == 0);
    NTSTATUS Status, Expected;

    PickRange(Operation, &First, &Last);
    Start = ModelBase + First;
    End = ModelBase + Last;
    memcpy(Saved, Model, sizeof(Model));
    Report.Count = 0;
    if (InjectFailure)
        FailAllocationsAfter(Random(3));

    switch (Operation) {
    case RandomReserve:
        Type = (Random(2) == 0) ? MEM_RESERVE : MEM_RESERVE | MEM_COMMIT;
        Expected = ModelReserve(First, Last, Type, P);
        Status = MiReserveRange(&Table, Start, End, Type, P->Protect, NULL);
        break;
    case RandomCommit:
        Expected = ModelCommit(First, Last, P, &ExpectedCount);
        Status = MiCommitRange(&Table, Start, End, P->Protect, &Count);
        break;
    case RandomDecommit:
        ExpectedCount = ModelCommitted(First, Last, Committed);
        Expected = ModelDecommit(First, Last);
        Status = MiDecommitRange(&Table, Start, End, RecordRun, &Report, &Count);
        break;
    case RandomRelease:
        ExpectedCount = ModelCommitted(First, Last, Committed);
        Expected = ModelRelease(First, Last);
        Status = MiReleaseRange(&Table, Start, End, RecordRun, &Report, &Count);
        break;
    case RandomProtect:
        Expected = ModelProtect(First, Last, P, &ExpectedOld);
        Status = MiProtectRange(&Table, Start, End, P->Protect, &Old);
        break;
    default:
        Expected = ModelClearGuard(First);
        Status = MiClearGuardPage(&Table, Start);
        break;
    }
    StopFailingAllocations();

    if (Status == STATUS_INSUFFICIENT_RESOURCES && InjectFailure) {
        /* Only an operation that would have succeeded may run out of memory. */
        assert_status(Expected, STATUS_SUCCESS);
        assert_int_equal(Report.Count, 0);
        memcpy(Model, Saved, sizeof(Model));
    } else {
        assert_status(Status, Expected);
    }
    if (Status == STATUS_SUCCESS) {
        if (Operation == RandomCommit || Operation == RandomDecommit ||
            Operation == RandomRelease)
            assert_int_equal(Count, ExpectedCount);
        if (Operation == RandomDecommit || Operation == RandomRelease)
            CheckReportedAgainst(Committed, ExpectedCount);
        if (Operation == RandomProtect)
            assert_int_equal(Old, ExpectedOld);
    }
    CheckAgainstModel();
}

static void RunRandomModel(ULONG_PTR Base, ULONG Seed, ULONG Steps)
{
    ULONG Index;

    ModelBase = Base;
    RandomState = Seed;
    for (Index = 0; Index < MODEL_PAGES; Index++) {
        memset(&Model[Index], 0, sizeof(Model[Index]));
        Model[Index].State = MEM_FREE;
    }
    for (Index = 0; Index < Steps; Index++)
        RandomStep();
    MiDeleteAllVads(&Table, NULL, NULL);
    assert_int_equal(PoolOutstanding, 0);
}

static void test_random_against_model_low(void **State)
{
    (void)State;
    RunRandomModel(MI_LOWEST_VAD_VPN, 1, 20000);
}

static void test_random_against_model_top(void **State)
{
    (void)State;
    RunRandomModel(MI_HIGHEST_VAD_VPN + 1 - MODEL_PAGES, 99, 20000);
}

/* What a view may be given, against what it (or its section) was mapped with. */
static void test_view_protection_compatibility(void **State)
{
    (void)State;
    assert_true(MiIsProtectionCompatible(PAGE_READWRITE, PAGE_READONLY));
    assert_true(MiIsProtectionCompatible(PAGE_READWRITE, PAGE_READWRITE));
    assert_true(MiIsProtectionCompatible(PAGE_READONLY, PAGE_WRITECOPY));
    assert_true(MiIsProtectionCompatible(PAGE_READONLY, PAGE_NOACCESS));
    assert_true(MiIsProtectionCompatible(PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_READ | PAGE_GUARD));
    assert_false(MiIsProtectionCompatible(PAGE_READONLY, PAGE_READWRITE));
    assert_false(MiIsProtectionCompatible(PAGE_WRITECOPY, PAGE_READWRITE));
    assert_false(MiIsProtectionCompatible(PAGE_READWRITE, PAGE_EXECUTE_READ));
    assert_false(MiIsProtectionCompatible(PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE));
}

/* The write-copy pages of a view: what its process was charged for copies. */
static void test_count_write_copy_pages(void **State)
{
    PMMVAD Vad = InsertMappedVad(0x100, 0x10F, PAGE_READONLY);
    ULONG Old;

    (void)State;
    assert_int_equal(MiCountWriteCopyPages(Vad, 0x100, 0x10F), 0);
    assert_status(MiProtectRange(&Table, 0x102, 0x105, PAGE_WRITECOPY, &Old), STATUS_SUCCESS);
    assert_status(MiProtectRange(&Table, 0x108, 0x108, PAGE_EXECUTE_WRITECOPY, &Old), STATUS_SUCCESS);
    assert_int_equal(MiCountWriteCopyPages(Vad, 0x100, 0x10F), 5);
    assert_int_equal(MiCountWriteCopyPages(Vad, 0x104, 0x108), 3);
    assert_int_equal(MiCountWriteCopyPages(Vad, 0x106, 0x107), 0);
}

#define VAD_TEST(Name) cmocka_unit_test_setup_teardown(Name, SetUp, TearDown)

int main(void)
{
    const struct CMUnitTest Tests[] = {
        VAD_TEST(test_protection_validation),
        VAD_TEST(test_view_protection_compatibility),
        VAD_TEST(test_count_write_copy_pages),
        VAD_TEST(test_round_reserve_range),
        VAD_TEST(test_round_reserve_size),
        VAD_TEST(test_round_page_range),
        VAD_TEST(test_round_free_range),
        VAD_TEST(test_avl_insert_remove_orders),
        VAD_TEST(test_avl_random_against_model),
        VAD_TEST(test_insert_rejects_overlap_and_bounds),
        VAD_TEST(test_locate_conflict_and_walk),
        VAD_TEST(test_gaps_bottom_up),
        VAD_TEST(test_gaps_top_down),
        VAD_TEST(test_gaps_when_full),
        VAD_TEST(test_split_vad),
        VAD_TEST(test_validator_detects_damage),
        VAD_TEST(test_reserve),
        VAD_TEST(test_commit_positions),
        VAD_TEST(test_commit_errors),
        VAD_TEST(test_decommit_positions),
        VAD_TEST(test_free_errors),
        VAD_TEST(test_release_partial),
        VAD_TEST(test_release_splits_single_run),
        VAD_TEST(test_protect),
        VAD_TEST(test_guard_pages),
        VAD_TEST(test_query_empty_and_top),
        VAD_TEST(test_query_regions),
        VAD_TEST(test_query_page),
        VAD_TEST(test_delete_all_reports_committed),
        VAD_TEST(test_out_of_memory_every_point),
        VAD_TEST(test_random_against_model_low),
        VAD_TEST(test_random_against_model_top),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

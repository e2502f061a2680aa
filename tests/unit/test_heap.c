/*
 * test_heap.c - ntdll's heap (ntdll/rtl/heap*.c) compiled for the host and run
 * against a model: random allocations, reallocations and frees, zeroing,
 * coalescing, growth and memory given back, big blocks, fixed heaps, the lookaside
 * lists, the process's heap list, RtlValidateHeap, and the raises for double
 * frees, overruns and HEAP_GENERATE_EXCEPTIONS.
 *
 * The world around it (memory over mmap, the PEB, the lock, the raise as a
 * longjmp) is test_heaphost.c's; ntdll's own RtlRaiseStatus (rtl/raise.c) is
 * compiled in and calls its RtlRaiseException.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "test_heaphost.h"

#define Setup HeapHostSetup

/* ---- helpers ---- */

static PHEAP NewHeap(ULONG Flags, SIZE_T Reserve, SIZE_T Commit)
{
    PHEAP Heap = RtlCreateHeap(Flags, NULL, Reserve, Commit, NULL, NULL);

    assert_non_null(Heap);
    assert_int_equal(LockDepth, 0);
    return Heap;
}

static VOID DestroyHeap(PHEAP Heap)
{
    assert_null(RtlDestroyHeap(Heap));
}

/* The number of blocks in segment Index, and of free ones. */
static VOID CountBlocks(PHEAP Heap, ULONG Index, ULONG *Blocks, ULONG *Free)
{
    PHEAP_SEGMENT Segment = Heap->Segments[Index];
    PHEAP_ENTRY Entry = Segment->FirstEntry;

    *Blocks = *Free = 0;
    for (;;) {
        (*Blocks)++;
        if (!(Entry->Flags & HEAP_ENTRY_BUSY))
            (*Free)++;
        if (Entry->Flags & HEAP_ENTRY_LAST_ENTRY)
            break;
        Entry = RtlpHeapNextEntry(Entry);
    }
}

/* A small random generator of our own: the same sequence on every host. */
static ULONG Seed;

static ULONG Random(ULONG Limit)
{
    Seed = Seed * 1103515245 + 12345;
    return (Seed >> 8) % Limit;
}

/* ---- tests ---- */

static void test_create_and_list(void **State)
{
    PVOID Heaps[64], List[64];
    ULONG Index;

    (void)State;
    TestPeb.ProcessHeaps = NULL;        /* as our kernel leaves it: the heap makes the list */
    assert_int_equal(RtlpInitializeProcessHeap(&TestPeb), STATUS_SUCCESS);
    assert_non_null(TestPeb.ProcessHeap);
    assert_int_equal(TestPeb.NumberOfHeaps, 1);
    assert_ptr_equal(TestPeb.ProcessHeaps[0], TestPeb.ProcessHeap);
    /* More heaps than the list first holds: it moves and grows. */
    for (Index = 0; Index < 40; Index++)
        Heaps[Index] = NewHeap(HEAP_GROWABLE, 0, 0);
    assert_int_equal(RtlGetProcessHeaps(64, List), 41);
    assert_ptr_equal(List[0], TestPeb.ProcessHeap);
    for (Index = 0; Index < 40; Index++)
        assert_ptr_equal(List[Index + 1], Heaps[Index]);
    assert_int_equal(RtlGetProcessHeaps(2, List), 41);     /* the count even when short */
    assert_true(TestPeb.MaximumNumberOfHeaps >= 41);
    /* Destroyed ones leave the list; the rest keep their order. */
    for (Index = 0; Index < 40; Index += 2)
        DestroyHeap(Heaps[Index]);
    assert_int_equal(RtlGetProcessHeaps(64, List), 21);
    for (Index = 1; Index < 40; Index += 2)
        assert_ptr_equal(List[(Index + 1) / 2], Heaps[Index]);
    for (Index = 1; Index < 40; Index += 2)
        DestroyHeap(Heaps[Index]);
    assert_int_equal(TestPeb.NumberOfHeaps, 1);
    /* The process heap stays. */
    assert_ptr_equal(RtlDestroyHeap(TestPeb.ProcessHeap), TestPeb.ProcessHeap);
    assert_true(RtlValidateHeap(TestPeb.ProcessHeap, 0, NULL));
}

/* Thousands of random allocations, reallocations and frees checked against a model. */
#define MODEL_SLOTS 300

typedef struct {
    PUCHAR Data;
    SIZE_T Size;
    UCHAR Fill;
} MODEL_BLOCK;

static SIZE_T RandomSize(VOID)
{
    ULONG Kind = Random(100);

    if (Kind < 70)
        return Random(129);                 /* the small lists */
    if (Kind < 97)
        return Random(8192);                /* the big free list, segment growth */
    return 0x7F000 + Random(0x40000);       /* a block of its own */
}

static VOID CheckContents(const MODEL_BLOCK *Block)
{
    for (SIZE_T i = 0; i < Block->Size; i++)
        if (Block->Data[i] != (UCHAR)(Block->Fill + i))
            fail_msg("block %p byte %zu changed", (void *)Block->Data, (size_t)i);
}

static VOID Fill(MODEL_BLOCK *Block)
{
    Block->Fill = (UCHAR)Random(256);
    for (SIZE_T i = 0; i < Block->Size; i++)
        Block->Data[i] = (UCHAR)(Block->Fill + i);
}

static int CompareBlocks(const void *A, const void *B)
{
    const MODEL_BLOCK *X = A, *Y = B;

    return X->Data < Y->Data ? -1 : X->Data > Y->Data;
}

static VOID CheckModel(PHEAP Heap, MODEL_BLOCK *Model)
{
    MODEL_BLOCK Sorted[MODEL_SLOTS];
    int Count = 0;

    for (int i = 0; i < MODEL_SLOTS; i++) {
        if (Model[i].Data == NULL)
            continue;
        CheckContents(&Model[i]);
        assert_int_equal(RtlSizeHeap(Heap, 0, Model[i].Data), Model[i].Size);
        assert_int_equal((ULONG_PTR)Model[i].Data % HEAP_GRANULARITY, 0);
        Sorted[Count++] = Model[i];
    }
    qsort(Sorted, Count, sizeof(Sorted[0]), CompareBlocks);
    for (int i = 1; i < Count; i++)
        assert_true(Sorted[i - 1].Data + Sorted[i - 1].Size <= Sorted[i].Data);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
}

static void test_random_against_model(void **State)
{
    static MODEL_BLOCK Model[MODEL_SLOTS];
    SIZE_T Reserved = ReservedBytes, Committed = CommittedBytes;
    PHEAP Heap = NewHeap(HEAP_GROWABLE, 0x40000, 0);
    ULONG Step, Slot, Grown = 0, Moved = 0;

    (void)State;
    memset(Model, 0, sizeof(Model));
    Seed = 9;
    for (Step = 0; Step < 20000; Step++) {
        MODEL_BLOCK *Block = &Model[Slot = Random(MODEL_SLOTS)];
        ULONG Action = Random(10);

        if (Block->Data == NULL) {
            ULONG Flags = Random(4) == 0 ? HEAP_ZERO_MEMORY : 0;

            Block->Size = RandomSize();
            Block->Data = RtlAllocateHeap(Heap, Flags, Block->Size);
            assert_non_null(Block->Data);
            if (Flags & HEAP_ZERO_MEMORY)
                for (SIZE_T i = 0; i < Block->Size; i++)
                    assert_int_equal(Block->Data[i], 0);
            Fill(Block);
        } else if (Action < 4) {
            MODEL_BLOCK Old = *Block;
            SIZE_T Size = Random(2) ? RandomSize() : Block->Size + Random(64);

            Block->Data = RtlReAllocateHeap(Heap, 0, Block->Data, Size);
            assert_non_null(Block->Data);
            Block->Size = Size < Old.Size ? Size : Old.Size;
            CheckContents(Block);               /* kept up to the smaller size */
            Block->Size = Size;
            Grown += Block->Data == Old.Data && Size > Old.Size;
            Moved += Block->Data != Old.Data;
            Fill(Block);
        } else {
            CheckContents(Block);
            assert_true(RtlFreeHeap(Heap, 0, Block->Data));
            Block->Data = NULL;
        }
        assert_int_equal(LockDepth, 0);
        if (Step % 250 == 0)
            CheckModel(Heap, Model);
    }
    CheckModel(Heap, Model);
    assert_true(Grown > 0 && Moved > 0);        /* both realloc paths were taken */
    for (Slot = 0; Slot < MODEL_SLOTS; Slot++)
        RtlFreeHeap(Heap, 0, Model[Slot].Data);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    DestroyHeap(Heap);
    assert_int_equal(ReservedBytes, Reserved);
    assert_int_equal(CommittedBytes, Committed);
}

static void test_zero_memory(void **State)
{
    PHEAP Heap = NewHeap(HEAP_GROWABLE, 0, 0);
    PUCHAR Data;

    (void)State;
    Data = RtlAllocateHeap(Heap, 0, 200);
    memset(Data, 0xCC, 200);
    RtlFreeHeap(Heap, 0, Data);
    Data = RtlAllocateHeap(Heap, HEAP_ZERO_MEMORY, 200);
    for (int i = 0; i < 200; i++)
        assert_int_equal(Data[i], 0);
    memset(Data, 0xCC, 200);
    /* Grown with HEAP_ZERO_MEMORY: the new part is zero, the old part kept. */
    Data = RtlReAllocateHeap(Heap, HEAP_ZERO_MEMORY, Data, 5000);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(Data[i], i < 200 ? 0xCC : 0);
    DestroyHeap(Heap);
}

static void test_coalescing(void **State)
{
    PHEAP Heap = NewHeap(0, 0x40000, 0x40000);     /* fixed: one segment, all committed */
    PVOID Blocks[500];
    ULONG Count, Free, Index;
    SIZE_T Whole;

    (void)State;
    CountBlocks(Heap, 0, &Count, &Free);
    assert_int_equal(Count, 1);
    Whole = Heap->TotalFreeSize;
    Seed = 77;
    for (Index = 0; Index < 500; Index++)
        assert_non_null(Blocks[Index] = RtlAllocateHeap(Heap, 0, 1 + Random(300)));
    /* Every other one freed: no two frees meet, so nothing joins. */
    for (Index = 0; Index < 500; Index += 2)
        RtlFreeHeap(Heap, 0, Blocks[Index]);
    CountBlocks(Heap, 0, &Count, &Free);
    assert_int_equal(Free, 251);                    /* 250 and the tail */
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    /* The rest in a shuffled order: each joins its neighbours. */
    for (Index = 499; Index > 1; Index -= 2) {
        ULONG Other = 1 + 2 * Random(Index / 2 + 1);
        PVOID Swap = Blocks[Index];

        Blocks[Index] = Blocks[Other];
        Blocks[Other] = Swap;
    }
    for (Index = 1; Index < 500; Index += 2)
        RtlFreeHeap(Heap, 0, Blocks[Index]);
    CountBlocks(Heap, 0, &Count, &Free);
    assert_int_equal(Count, 1);
    assert_int_equal(Free, 1);
    /* One block from the first to the committed end (its far pages may be decommitted). */
    assert_int_equal(Heap->TotalFreeSize,
                     (SIZE_T)(Heap->Segments[0]->CommittedEnd - (PUCHAR)Heap->Segments[0]->FirstEntry) / 8);
    assert_true(Heap->TotalFreeSize <= Whole);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    DestroyHeap(Heap);
}

static void test_growth_and_release(void **State)
{
    PHEAP Heap;
    PVOID Blocks[64], Big;
    SIZE_T Committed, Reserved;
    ULONG Index, Count, Free;

    (void)State;
    Committed = CommittedBytes;
    Reserved = ReservedBytes;
    Heap = NewHeap(HEAP_GROWABLE, 0x20000, 0x1000);
    assert_int_equal(ReservedBytes - Reserved, 0x20000);
    assert_int_equal(CommittedBytes - Committed, 0x1000);
    /* 64 blocks of 8 KB: the first segment commits more, then new segments come. */
    for (Index = 0; Index < 64; Index++) {
        assert_non_null(Blocks[Index] = RtlAllocateHeap(Heap, 0, 0x2000));
        memset(Blocks[Index], (int)Index, 0x2000);
    }
    assert_non_null(Heap->Segments[1]);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    assert_true(ReservedBytes - Reserved > 0x20000);
    /* All freed: the extra segments are released, the first gives back its pages. */
    for (Index = 0; Index < 64; Index++)
        RtlFreeHeap(Heap, 0, Blocks[Index]);
    for (Index = 1; Index < HEAP_MAXIMUM_SEGMENTS; Index++)
        assert_null(Heap->Segments[Index]);
    assert_int_equal(ReservedBytes - Reserved, 0x20000);
    assert_true(CommittedBytes - Committed <= 0x10000 + 0x1000);
    CountBlocks(Heap, 0, &Count, &Free);
    assert_int_equal(Count, 1);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    /* A big block is its own reservation, gone when freed. */
    Big = RtlAllocateHeap(Heap, 0, 0x100000);
    assert_non_null(Big);
    assert_true(ReservedBytes - Reserved >= 0x20000 + 0x100000);
    memset(Big, 1, 0x100000);
    assert_int_equal(RtlSizeHeap(Heap, 0, Big), 0x100000);
    assert_true(RtlValidateHeap(Heap, 0, Big));
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    /* Resized within its pages in place; beyond them, moved. */
    assert_ptr_equal(RtlReAllocateHeap(Heap, 0, Big, 0x100000 + 100), Big);
    Big = RtlReAllocateHeap(Heap, 0, Big, 0x200000);
    assert_non_null(Big);
    assert_int_equal(((PUCHAR)Big)[0x100000 - 1], 1);
    RtlFreeHeap(Heap, 0, Big);
    assert_int_equal(ReservedBytes - Reserved, 0x20000);
    /* Destroyed: everything back. */
    DestroyHeap(Heap);
    assert_int_equal(ReservedBytes, Reserved);
    assert_int_equal(CommittedBytes, Committed);
}

static void test_fixed_heap_and_exceptions(void **State)
{
    PHEAP Heap = NewHeap(0, 0x10000, 0x1000);
    PVOID Data;

    (void)State;
    /* It commits up to its reservation, never beyond: no big blocks, no segments. */
    assert_non_null(Data = RtlAllocateHeap(Heap, 0, 0x8000));
    assert_null(RtlAllocateHeap(Heap, 0, 0x10000));
    assert_null(RtlAllocateHeap(Heap, 0, 0x100000));
    assert_null(Heap->Segments[1]);
    assert_null(RtlReAllocateHeap(Heap, 0, Data, 0x20000));
    assert_int_equal(RtlSizeHeap(Heap, 0, Data), 0x8000);
    /* HEAP_GENERATE_EXCEPTIONS: the failure is STATUS_NO_MEMORY raised. */
    EXPECT_RAISE(STATUS_NO_MEMORY, RtlAllocateHeap(Heap, HEAP_GENERATE_EXCEPTIONS, 0x20000));
    EXPECT_RAISE(STATUS_NO_MEMORY, RtlReAllocateHeap(Heap, HEAP_GENERATE_EXCEPTIONS, Data, 0x20000));
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    DestroyHeap(Heap);
    /* Given at creation, it applies to every call; so does it when memory runs out. */
    Heap = NewHeap(HEAP_GROWABLE | HEAP_GENERATE_EXCEPTIONS, 0, 0);
    FailAllocations = TRUE;
    EXPECT_RAISE(STATUS_NO_MEMORY, RtlAllocateHeap(Heap, 0, 0x10000));
    FailAllocations = FALSE;
    DestroyHeap(Heap);
}

static void test_realloc_in_place(void **State)
{
    PHEAP Heap = NewHeap(0, 0, 0);      /* no lookaside lists: B freed is free */
    PUCHAR A, B, C;

    (void)State;
    A = RtlAllocateHeap(Heap, 0, 100);
    B = RtlAllocateHeap(Heap, 0, 100);
    C = RtlAllocateHeap(Heap, 0, 100);
    memset(A, 0xAA, 100);
    /* B is busy: A cannot grow in place. */
    assert_null(RtlReAllocateHeap(Heap, HEAP_REALLOC_IN_PLACE_ONLY, A, 200));
    assert_int_equal(RtlSizeHeap(Heap, 0, A), 100);
    /* Shrinking and growing within its granules stay in place. */
    assert_ptr_equal(RtlReAllocateHeap(Heap, 0, A, 40), A);
    assert_int_equal(RtlSizeHeap(Heap, 0, A), 40);
    assert_ptr_equal(RtlReAllocateHeap(Heap, HEAP_REALLOC_IN_PLACE_ONLY, A, 100), A);
    /* B freed: A grows into it. */
    RtlFreeHeap(Heap, 0, B);
    assert_ptr_equal(RtlReAllocateHeap(Heap, HEAP_REALLOC_IN_PLACE_ONLY, A, 200), A);
    for (int i = 0; i < 40; i++)
        assert_int_equal(A[i], 0xAA);
    assert_int_equal(RtlSizeHeap(Heap, 0, A), 200);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    /* Too big for the gap: moved, contents kept. */
    B = RtlReAllocateHeap(Heap, 0, A, 1000);
    assert_true(B != A);
    for (int i = 0; i < 40; i++)
        assert_int_equal(B[i], 0xAA);
    assert_null(RtlReAllocateHeap(Heap, 0, NULL, 10));     /* NT's: nothing to resize */
    RtlFreeHeap(Heap, 0, B);
    RtlFreeHeap(Heap, 0, C);
    assert_true(RtlFreeHeap(Heap, 0, NULL));
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    DestroyHeap(Heap);
}

static void test_validate(void **State)
{
    PHEAP Heap = NewHeap(HEAP_GROWABLE, 0, 0);
    PUCHAR A, B;

    (void)State;
    A = RtlAllocateHeap(Heap, 0, 64);
    B = RtlAllocateHeap(Heap, 0, 64);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    assert_true(RtlValidateHeap(Heap, 0, A));
    assert_false(RtlValidateHeap(Heap, 0, A + 8));      /* not a block */
    assert_false(RtlValidateHeap(Heap, 0, A + 1));
    RtlFreeHeap(Heap, 0, A);
    assert_false(RtlValidateHeap(Heap, 0, A));          /* a block no more */
    assert_true(RtlValidateHeap(Heap, 0, B));
    assert_int_equal(RtlSizeHeap(Heap, 0, A), (SIZE_T)-1);
    assert_false(RtlValidateHeap(NULL, 0, NULL));
    DestroyHeap(Heap);
}

/* Freed blocks go to the free lists (Flags 0) or to the lookaside lists
   (HEAP_GROWABLE): freeing one again is caught either way. */
static VOID DoubleFree(ULONG Flags)
{
    PHEAP Heap = NewHeap(Flags, 0, 0);
    PVOID A, B, C;

    A = RtlAllocateHeap(Heap, 0, 64);
    B = RtlAllocateHeap(Heap, 0, 64);
    C = RtlAllocateHeap(Heap, 0, 64);
    RtlFreeHeap(Heap, 0, A);
    EXPECT_RAISE(STATUS_HEAP_CORRUPTION, RtlFreeHeap(Heap, 0, A));
    assert_int_equal(Raised.NumberParameters, 2);
    assert_int_equal(Raised.ExceptionInformation[0], (ULONG_PTR)Heap);
    assert_int_equal(Raised.ExceptionInformation[1], (ULONG_PTR)A);
    /* B freed after A (without lookaside lists, it joins A: its old header, inside
       the free run, still refuses). */
    RtlFreeHeap(Heap, 0, B);
    EXPECT_RAISE(STATUS_HEAP_CORRUPTION, RtlFreeHeap(Heap, 0, B));
    EXPECT_RAISE(STATUS_HEAP_CORRUPTION, RtlReAllocateHeap(Heap, 0, B, 10));
    assert_int_equal(RtlSizeHeap(Heap, 0, B), (SIZE_T)-1);
    assert_false(RtlValidateHeap(Heap, 0, B));
    assert_true(RtlValidateHeap(Heap, 0, NULL));        /* refused, so no harm done */
    RtlFreeHeap(Heap, 0, C);
    DestroyHeap(Heap);
}

static void test_double_free(void **State)
{
    (void)State;
    DoubleFree(0);
    DoubleFree(HEAP_GROWABLE);
}

/* The lookaside lists: a small block freed comes back to the next allocation of
   its size; they hold a few blocks per size, not more; and when the heap would
   have to grow, they are emptied into the free lists first. */
static void test_lookaside(void **State)
{
    PHEAP Heap = NewHeap(HEAP_GROWABLE, 0x10000, 0x10000);
    PVOID Blocks[40], Again, Big;
    ULONG Index, Count, Free;

    (void)State;
    Blocks[0] = RtlAllocateHeap(Heap, 0, 64);
    RtlFreeHeap(Heap, 0, Blocks[0]);
    assert_true(RtlpHeapDataEntry(Blocks[0])->Flags & HEAP_ENTRY_LOOKASIDE);
    Again = RtlAllocateHeap(Heap, HEAP_ZERO_MEMORY, 60);           /* the same granules */
    assert_ptr_equal(Again, Blocks[0]);
    assert_int_equal(RtlSizeHeap(Heap, 0, Again), 60);
    for (Index = 0; Index < 60; Index++)
        assert_int_equal(((PUCHAR)Again)[Index], 0);
    RtlFreeHeap(Heap, 0, Again);
    for (Index = 0; Index < 40; Index++)
        Blocks[Index] = RtlAllocateHeap(Heap, 0, 64);
    for (Index = 0; Index < 40; Index++)
        RtlFreeHeap(Heap, 0, Blocks[Index]);
    assert_int_equal(Heap->Lookaside[RtlpHeapGranules(64)].Depth, HEAP_LOOKASIDE_DEPTH);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    assert_false(RtlValidateHeap(Heap, 0, Blocks[0]));     /* held by the heap, not the caller */
    /* More than is free, less than is free and held: the held blocks are freed
       rather than the heap grown. */
    Big = RtlAllocateHeap(Heap, 0, Heap->TotalFreeSize * HEAP_GRANULARITY + 64);
    assert_non_null(Big);
    assert_null(Heap->Segments[1]);
    assert_int_equal(Heap->Lookaside[RtlpHeapGranules(64)].Depth, 0);
    RtlFreeHeap(Heap, 0, Big);
    CountBlocks(Heap, 0, &Count, &Free);
    assert_int_equal(Count, 1);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    DestroyHeap(Heap);
    /* Fixed and unserialized heaps have none. */
    Heap = NewHeap(HEAP_GROWABLE | HEAP_NO_SERIALIZE, 0, 0);
    RtlFreeHeap(Heap, 0, Again = RtlAllocateHeap(Heap, 0, 64));
    assert_false(RtlpHeapDataEntry(Again)->Flags & HEAP_ENTRY_LOOKASIDE);
    DestroyHeap(Heap);
}

/* An overrun of A by Length bytes of Value onto B's header. */
static VOID Overrun(UCHAR Value, SIZE_T Length)
{
    PHEAP Heap = NewHeap(HEAP_GROWABLE, 0, 0);
    PUCHAR A, B;

    A = RtlAllocateHeap(Heap, 0, 64);
    B = RtlAllocateHeap(Heap, 0, 64);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    memset(A, Value, 64 + Length);
    assert_false(RtlValidateHeap(Heap, 0, NULL));
    assert_false(RtlValidateHeap(Heap, 0, B));
    EXPECT_RAISE(STATUS_HEAP_CORRUPTION, RtlFreeHeap(Heap, 0, A));
    assert_int_equal(Raised.ExceptionInformation[1], (ULONG_PTR)B);
    EXPECT_RAISE(STATUS_HEAP_CORRUPTION, RtlFreeHeap(Heap, 0, B));
    /* Left as it is: a damaged heap is not destroyed (its memory is the test's). */
}

static void test_header_overrun(void **State)
{
    (void)State;
    Overrun(0x41, 8);
    Overrun(0x00, 8);
    Overrun(0xFF, 1);
    Overrun(0x00, 2);
}

/* A list the kernel gave (TestHeapList) moves to pages of its own when full, and
   those pages to larger ones later. */
static void test_heap_list_grows(void **State)
{
    static PVOID Heaps[1100], List[1101];
    SIZE_T Reserved = ReservedBytes;
    ULONG Index;

    (void)State;
    for (Index = 0; Index < 1100; Index++)
        Heaps[Index] = NewHeap(0, 0x10000, 0x1000);
    assert_true(TestPeb.ProcessHeaps != TestHeapList);
    assert_true(TestPeb.MaximumNumberOfHeaps >= 1100);
    assert_int_equal(RtlGetProcessHeaps(1101, List), 1100);
    for (Index = 0; Index < 1100; Index++)
        assert_ptr_equal(List[Index], Heaps[Index]);
    for (Index = 0; Index < 1100; Index++)
        DestroyHeap(Heaps[Index]);
    assert_int_equal(TestPeb.NumberOfHeaps, 0);
    assert_true(ReservedBytes - Reserved <= 0x4000);    /* only the list's pages stay */
}

/* Memory the caller gave, 2 MB all committed: runs longer than one header can count
   are cut into pieces, joined again as far as they can be, and the heap stays in
   the caller's memory (nothing reserved, nothing decommitted). */
static void test_caller_memory_and_long_runs(void **State)
{
    SIZE_T Size = 0x200000, Reserved = ReservedBytes;
    PUCHAR Memory = mmap(NULL, Size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    PVOID Blocks[400];
    PHEAP Heap;
    ULONG Index, Count, Free;

    (void)State;
    assert_true(Memory != MAP_FAILED);
    memset(Memory, 0xEE, 0x1000);                /* not zero: the heap must not assume it */
    assert_null(RtlCreateHeap(0, Memory + 8, Size, Size, NULL, NULL));     /* not page-aligned */
    Heap = RtlCreateHeap(0, Memory, Size, Size, NULL, NULL);
    assert_ptr_equal(Heap, Memory);
    assert_int_equal(ReservedBytes, Reserved);
    CountBlocks(Heap, 0, &Count, &Free);
    assert_int_equal(Count, 4);                 /* 2 MB in pieces of at most 0xFFFF granules */
    assert_int_equal(Free, 4);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    Seed = 5;
    for (Index = 0; Index < 400; Index++)
        assert_non_null(Blocks[Index] = RtlAllocateHeap(Heap, 0, 1 + Random(4000)));
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    for (Index = 0; Index < 400; Index++) {
        ULONG Other = Random(400);
        PVOID Swap = Blocks[Index];

        Blocks[Index] = Blocks[Other];
        Blocks[Other] = Swap;
    }
    for (Index = 0; Index < 400; Index++) {
        RtlFreeHeap(Heap, 0, Blocks[Index]);
        if (Index % 50 == 0)
            assert_true(RtlValidateHeap(Heap, 0, NULL));
    }
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    CountBlocks(Heap, 0, &Count, &Free);
    assert_int_equal(Count, Free);
    assert_true(Count <= 5);
    assert_true(Heap->TotalFreeSize ==
                (SIZE_T)(Heap->Segments[0]->CommittedEnd - (PUCHAR)Heap->Segments[0]->FirstEntry) / 8);
    assert_ptr_equal(Heap->Segments[0]->CommittedEnd, Memory + Size);
    DestroyHeap(Heap);
    assert_int_equal(Memory[Size - 1], Memory[Size - 1]);   /* still the caller's, still mapped */
    munmap(Memory, Size);
}

/* RTL_HEAP_PARAMETERS: a lower big-block threshold and a smaller segment commit. */
static void test_parameters(void **State)
{
    RTL_HEAP_PARAMETERS Parameters;
    PHEAP Heap;
    PVOID Small, Big;

    (void)State;
    memset(&Parameters, 0, sizeof(Parameters));
    Parameters.Length = sizeof(Parameters);
    Parameters.VirtualMemoryThreshold = 0x10000;
    Parameters.SegmentCommit = 0x1000;
    Heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, &Parameters);
    assert_non_null(Heap);
    assert_int_equal(Heap->SegmentCommit, 0x1000);
    Small = RtlAllocateHeap(Heap, 0, 0x8000);
    Big = RtlAllocateHeap(Heap, 0, 0x10000);
    assert_false(RtlpHeapDataEntry(Small)->Flags & HEAP_ENTRY_VIRTUAL_ALLOC);
    assert_true(RtlpHeapDataEntry(Big)->Flags & HEAP_ENTRY_VIRTUAL_ALLOC);
    /* Grown past the threshold by a reallocation: moved to a region of its own. */
    Small = RtlReAllocateHeap(Heap, 0, Small, 0x20000);
    assert_true(RtlpHeapDataEntry(Small)->Flags & HEAP_ENTRY_VIRTUAL_ALLOC);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    DestroyHeap(Heap);
    /* A commit routine is not supported: refused, not ignored. */
    Parameters.CommitRoutine = (PRTL_HEAP_COMMIT_ROUTINE)1;
    assert_null(RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, &Parameters));
    /* No memory at all: no heap, nothing left behind. */
    FailAllocations = TRUE;
    assert_null(RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL));
    FailAllocations = FALSE;
}

/* The heap's lock: its own section, deleted with it; or the creator's, taken
   instead and left alone; none at all with HEAP_NO_SERIALIZE. */
static void test_locks(void **State)
{
    RTL_CRITICAL_SECTION Mine;
    int Live = LiveSections;
    PHEAP Heap;
    PVOID Data;

    (void)State;
    Heap = NewHeap(HEAP_GROWABLE, 0, 0);
    assert_int_equal(LiveSections, Live + 1);
    Data = RtlAllocateHeap(Heap, 0, 40);
    assert_ptr_equal(LastLock, &Heap->Lock);
    RtlFreeHeap(Heap, 0, Data);
    DestroyHeap(Heap);
    assert_int_equal(LiveSections, Live);

    RtlInitializeCriticalSection(&Mine);
    Heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, &Mine, NULL);
    assert_non_null(Heap);
    assert_int_equal(LiveSections, Live + 1);           /* only Mine */
    LastLock = NULL;
    Data = RtlAllocateHeap(Heap, 0, 40);
    assert_ptr_equal(LastLock, &Mine);
    assert_true(RtlFreeHeap(Heap, 0, Data));
    assert_int_equal(LockDepth, 0);
    DestroyHeap(Heap);
    assert_int_equal(LiveSections, Live + 1);           /* the creator's to delete */
    RtlDeleteCriticalSection(&Mine);

    /* HEAP_NO_SERIALIZE: the creator's section is ignored and nothing is entered. */
    Heap = RtlCreateHeap(HEAP_GROWABLE | HEAP_NO_SERIALIZE, NULL, 0, 0, &Mine, NULL);
    assert_non_null(Heap);
    LastLock = NULL;
    Data = RtlAllocateHeap(Heap, 0, 40);
    RtlFreeHeap(Heap, 0, Data);
    assert_null(LastLock);
    DestroyHeap(Heap);
    assert_int_equal(LiveSections, Live);
}

/* Destroyed with blocks, big blocks and extra segments still in use: all of it goes. */
static void test_destroy_in_use(void **State)
{
    SIZE_T Reserved = ReservedBytes, Committed = CommittedBytes;
    PHEAP Heap = NewHeap(HEAP_GROWABLE, 0x10000, 0);
    ULONG Index;

    (void)State;
    for (Index = 0; Index < 300; Index++)
        assert_non_null(RtlAllocateHeap(Heap, 0, 0x1000));
    assert_non_null(RtlAllocateHeap(Heap, 0, 0x80000));
    assert_non_null(RtlAllocateHeap(Heap, 0, 0x90000));
    assert_non_null(Heap->Segments[1]);
    assert_true(RtlValidateHeap(Heap, 0, NULL));
    DestroyHeap(Heap);
    assert_int_equal(ReservedBytes, Reserved);
    assert_int_equal(CommittedBytes, Committed);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup(test_create_and_list, Setup),
        cmocka_unit_test_setup(test_random_against_model, Setup),
        cmocka_unit_test_setup(test_zero_memory, Setup),
        cmocka_unit_test_setup(test_coalescing, Setup),
        cmocka_unit_test_setup(test_growth_and_release, Setup),
        cmocka_unit_test_setup(test_fixed_heap_and_exceptions, Setup),
        cmocka_unit_test_setup(test_realloc_in_place, Setup),
        cmocka_unit_test_setup(test_validate, Setup),
        cmocka_unit_test_setup(test_double_free, Setup),
        cmocka_unit_test_setup(test_header_overrun, Setup),
        cmocka_unit_test_setup(test_lookaside, Setup),
        cmocka_unit_test_setup(test_heap_list_grows, Setup),
        cmocka_unit_test_setup(test_caller_memory_and_long_runs, Setup),
        cmocka_unit_test_setup(test_parameters, Setup),
        cmocka_unit_test_setup(test_destroy_in_use, Setup),
        cmocka_unit_test_setup(test_locks, Setup),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

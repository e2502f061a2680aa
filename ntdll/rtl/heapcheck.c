/*
 * heapcheck.c - RtlValidateHeap, and what happens when the heap finds itself
 * damaged (NT: RtlValidateHeap/RtlpValidateHeap, RtlpReportHeapFailure).
 *
 * Validation walks everything the allocator relies on and never trusts a header
 * it has not checked: each segment's blocks from first to last (checksums,
 * predecessor sizes, the last-block mark, the segment's bounds), every free list
 * (links both ways, sizes, the in-use bitmap), the totals against each other,
 * the big blocks and the lookaside lists. A block on a lookaside list is not the
 * caller's: validating it as one answers FALSE. It answers FALSE rather than raising: it is how a program
 * asks whether the heap is sound.
 *
 * Damage found while allocating or freeing is another matter: a double free, a
 * pointer the heap never gave, a header an overrun wrote over. Carrying on would
 * spread it, so - as NT 6 does - the heap raises STATUS_HEAP_CORRUPTION,
 * non-continuable, which ends the process unless a handler unwinds out of it;
 * the heap is not used again after that (its lock stays with the thread that
 * found the damage).
 */
#include "heapp.h"

__attribute__((noreturn)) VOID RtlpHeapReportCorruption(PHEAP Heap, PVOID Address)
{
    EXCEPTION_RECORD Record;

    Record.ExceptionCode = STATUS_HEAP_CORRUPTION;
    Record.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    Record.ExceptionRecord = NULL;
    Record.ExceptionAddress = NULL;             /* RtlRaiseException: its caller */
    Record.NumberParameters = 2;
    Record.ExceptionInformation[0] = (ULONG_PTR)Heap;
    Record.ExceptionInformation[1] = (ULONG_PTR)Address;   /* the block found damaged */
    for (;;)
        RtlRaiseException(&Record);             /* never returns: non-continuable */
}

/* Walks segment Index; counts its free granules. Block, when not NULL, must be
   met as a busy block on the way. */
static BOOLEAN RtlpHeapValidateSegment(PHEAP Heap, ULONG Index, PHEAP_ENTRY Block, PSIZE_T FreeGranules)
{
    PHEAP_SEGMENT Segment = Heap->Segments[Index];
    PHEAP_ENTRY Entry, Next;
    USHORT PreviousSize = 0;
    BOOLEAN PreviousFree = FALSE, Found = FALSE;

    if (Segment->Signature != HEAP_SEGMENT_SIGNATURE || Segment->Heap != Heap || Segment->SegmentIndex != Index ||
        Segment->CommittedEnd > Segment->ReservedEnd || (PUCHAR)Segment->FirstEntry >= Segment->CommittedEnd)
        return FALSE;
    for (Entry = Segment->FirstEntry;; Entry = Next) {
        if (!RtlpHeapEntrySound(Heap, Entry) || Entry->Size < HEAP_MINIMUM_BLOCK ||
            Entry->PreviousSize != PreviousSize || Entry->SegmentIndex != Index ||
            (Entry->Flags & HEAP_ENTRY_VIRTUAL_ALLOC))
            return FALSE;
        Next = RtlpHeapNextEntry(Entry);
        if ((PUCHAR)Next > Segment->CommittedEnd)
            return FALSE;
        if ((Entry->Flags & (HEAP_ENTRY_BUSY | HEAP_ENTRY_LOOKASIDE)) == HEAP_ENTRY_LOOKASIDE)
            return FALSE;
        if (Entry == Block)
            Found = RtlpHeapEntryOwned(Entry);
        if (!(Entry->Flags & HEAP_ENTRY_BUSY)) {
            /* Free neighbours only where a run was too long for one header. */
            if (PreviousFree && PreviousSize < HEAP_MAXIMUM_BLOCK - HEAP_MINIMUM_BLOCK)
                return FALSE;
            *FreeGranules += Entry->Size;
        }
        PreviousFree = !(Entry->Flags & HEAP_ENTRY_BUSY);
        PreviousSize = Entry->Size;
        if ((PUCHAR)Next == Segment->CommittedEnd)
            return (Entry->Flags & HEAP_ENTRY_LAST_ENTRY) && Segment->LastEntry == Entry &&
                   (Block == NULL || Found);
        if (Entry->Flags & HEAP_ENTRY_LAST_ENTRY)
            return FALSE;
    }
}

/* Every free list: links both ways, each entry a free block of the list's size. */
static BOOLEAN RtlpHeapValidateFreeLists(PHEAP Heap, PSIZE_T FreeGranules)
{
    ULONG Index;

    for (Index = 0; Index < HEAP_FREE_LISTS; Index++) {
        PLIST_ENTRY Head = &Heap->FreeLists[Index], Link;
        SIZE_T Limit = Heap->TotalFreeSize / HEAP_MINIMUM_BLOCK + 1;  /* a loop in the links ends here */
        USHORT PreviousSize = 0;

        if (Index != 0 &&
            IsListEmpty(Head) != !(Heap->FreeListsInUse[Index / 32] & (1UL << (Index % 32))))
            return FALSE;
        for (Link = Head->Flink; Link != Head; Link = Link->Flink) {
            PHEAP_ENTRY Entry = &CONTAINING_RECORD(Link, HEAP_FREE_ENTRY, FreeList)->Entry;

            if (Limit-- == 0 || Link->Flink->Blink != Link || Link->Blink->Flink != Link ||
                !RtlpHeapEntrySound(Heap, Entry) || (Entry->Flags & HEAP_ENTRY_BUSY))
                return FALSE;
            if (Index != 0 ? Entry->Size != Index : Entry->Size < HEAP_FREE_LISTS || Entry->Size < PreviousSize)
                return FALSE;
            PreviousSize = Entry->Size;
            *FreeGranules += Entry->Size;
        }
    }
    return TRUE;
}

/* The big blocks; Block, when not NULL, must be one of them. */
static BOOLEAN RtlpHeapValidateVirtual(PHEAP Heap, PHEAP_ENTRY Block)
{
    PLIST_ENTRY Head = &Heap->VirtualAllocdBlocks, Link;
    BOOLEAN Found = FALSE;

    for (Link = Head->Flink; Link != Head; Link = Link->Flink) {
        PHEAP_VIRTUAL_BLOCK Virtual = CONTAINING_RECORD(Link, HEAP_VIRTUAL_BLOCK, Links);

        if (Link->Flink->Blink != Link || Link->Blink->Flink != Link ||
            !RtlpHeapEntrySound(Heap, &Virtual->Entry) ||
            Virtual->Entry.Flags != (HEAP_ENTRY_BUSY | HEAP_ENTRY_VIRTUAL_ALLOC) ||
            sizeof(HEAP_VIRTUAL_BLOCK) + Virtual->RequestSize > Virtual->RegionSize)
            return FALSE;
        if (&Virtual->Entry == Block)
            Found = TRUE;
    }
    return Block == NULL || Found;
}

static BOOLEAN RtlpHeapValidateAll(PHEAP Heap)
{
    SIZE_T InBlocks = 0, OnLists = 0;
    ULONG Index;

    if (Heap->Segments[0] == NULL)
        return FALSE;
    for (Index = 0; Index < HEAP_MAXIMUM_SEGMENTS; Index++)
        if (Heap->Segments[Index] != NULL && !RtlpHeapValidateSegment(Heap, Index, NULL, &InBlocks))
            return FALSE;
    return RtlpHeapValidateFreeLists(Heap, &OnLists) && InBlocks == OnLists && OnLists == Heap->TotalFreeSize &&
           RtlpHeapValidateVirtual(Heap, NULL) && RtlpHeapValidateLookaside(Heap);
}

/* BaseAddress must be a busy block of the heap: found by walking its segment. */
static BOOLEAN RtlpHeapValidateBlock(PHEAP Heap, PVOID BaseAddress)
{
    PHEAP_ENTRY Entry = RtlpHeapDataEntry(BaseAddress);
    SIZE_T Ignored = 0;
    ULONG Index;

    if (((ULONG_PTR)BaseAddress & (HEAP_GRANULARITY - 1)) != 0)
        return FALSE;
    if (RtlpHeapEntrySound(Heap, Entry) && (Entry->Flags & HEAP_ENTRY_VIRTUAL_ALLOC))
        return RtlpHeapValidateVirtual(Heap, Entry);
    for (Index = 0; Index < HEAP_MAXIMUM_SEGMENTS; Index++) {
        PHEAP_SEGMENT Segment = Heap->Segments[Index];

        if (Segment != NULL && Entry >= Segment->FirstEntry && (PUCHAR)Entry < Segment->CommittedEnd)
            return RtlpHeapValidateSegment(Heap, Index, Entry, &Ignored);
    }
    return FALSE;
}

/* TRUE when the whole heap (BaseAddress NULL) or the one block is sound. */
BOOLEAN NTAPI RtlValidateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress)
{
    PHEAP Heap = HeapHandle;
    BOOLEAN Sound;

    if (Heap == NULL || Heap->Signature != HEAP_SIGNATURE)
        return FALSE;
    Flags |= Heap->ForceFlags;
    RtlpHeapLock(Heap, Flags);
    Sound = BaseAddress == NULL ? RtlpHeapValidateAll(Heap) : RtlpHeapValidateBlock(Heap, BaseAddress);
    RtlpHeapUnlock(Heap, Flags);
    return Sound;
}

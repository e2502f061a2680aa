/*
 * heapalloc.c - allocating and freeing blocks (NT: RtlAllocateHeap, RtlFreeHeap,
 * RtlSizeHeap): the free lists, carving a block out of a free one, and coalescing
 * a freed block with free neighbours so that freeing everything leaves one free
 * run per segment again.
 *
 * Invariants the rest of the heap (and RtlValidateHeap) rely on:
 *   - a segment's committed part is tiled by blocks; each header's PreviousSize is
 *     its predecessor's Size, and only the last carries HEAP_ENTRY_LAST_ENTRY;
 *   - every free block is on exactly one free list, the one for its size;
 *   - no two free blocks are neighbours, except where a free run is longer than
 *     the largest block a header can count and had to be cut (the first piece is
 *     then of nearly HEAP_MAXIMUM_BLOCK).
 * Every header write ends with RtlpHeapSeal; every header read on the way to a
 * change is checked first, so a damaged header is reported, never trusted.
 */
#include "heapp.h"

/* Writes a whole header. The segment remembers its last block. */
static VOID RtlpHeapSetEntry(PHEAP Heap, PHEAP_ENTRY Entry, SIZE_T Size, USHORT PreviousSize, UCHAR Flags,
                             UCHAR SegmentIndex)
{
    Entry->Size = (USHORT)Size;
    Entry->PreviousSize = PreviousSize;
    Entry->Flags = Flags;
    Entry->UnusedBytes = 0;
    Entry->SegmentIndex = SegmentIndex;
    RtlpHeapSeal(Heap, Entry);
    if (Flags & HEAP_ENTRY_LAST_ENTRY)
        Heap->Segments[SegmentIndex]->LastEntry = Entry;
}

/* ---- the free lists ---- */

VOID RtlpHeapInsertFree(PHEAP Heap, PHEAP_ENTRY Entry)
{
    PHEAP_FREE_ENTRY Free = (PHEAP_FREE_ENTRY)Entry;
    PLIST_ENTRY Head, Link;
    ULONG Size = Entry->Size;

    if (Size < HEAP_FREE_LISTS) {
        /* At the head: the block freed last is the one still in the cache. */
        InsertHeadList(&Heap->FreeLists[Size], &Free->FreeList);
        Heap->FreeListsInUse[Size / 32] |= 1UL << (Size % 32);
    } else {
        Head = &Heap->FreeLists[0];
        for (Link = Head->Flink; Link != Head; Link = Link->Flink)
            if (CONTAINING_RECORD(Link, HEAP_FREE_ENTRY, FreeList)->Entry.Size >= Size)
                break;
        InsertTailList(Link, &Free->FreeList);      /* just before the first as big */
    }
    Heap->TotalFreeSize += Size;
}

VOID RtlpHeapRemoveFree(PHEAP Heap, PHEAP_ENTRY Entry)
{
    PLIST_ENTRY Links = &((PHEAP_FREE_ENTRY)Entry)->FreeList;
    ULONG Size = Entry->Size;

    /* Links damaged by a write after free would make the unlink write anywhere. */
    if (Links->Flink->Blink != Links || Links->Blink->Flink != Links)
        RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Entry));
    if (RemoveEntryList(Links) && Size < HEAP_FREE_LISTS)
        Heap->FreeListsInUse[Size / 32] &= ~(1UL << (Size % 32));
    Heap->TotalFreeSize -= Size;
}

/* The smallest free block of at least Granules, still on its list; NULL if none. */
static PHEAP_ENTRY RtlpHeapFindFree(PHEAP Heap, SIZE_T Granules)
{
    PLIST_ENTRY Head, Link;
    ULONG Index, Bits;

    if (Granules < HEAP_FREE_LISTS) {
        Index = Granules / 32;
        Bits = Heap->FreeListsInUse[Index] & (~0UL << (Granules % 32));
        for (;;) {
            if (Bits != 0) {
                Head = &Heap->FreeLists[Index * 32 + __builtin_ctzl(Bits)];
                return &CONTAINING_RECORD(Head->Flink, HEAP_FREE_ENTRY, FreeList)->Entry;
            }
            if (++Index == HEAP_FREE_LISTS / 32)
                break;
            Bits = Heap->FreeListsInUse[Index];
        }
    }
    Head = &Heap->FreeLists[0];
    for (Link = Head->Flink; Link != Head; Link = Link->Flink) {
        PHEAP_ENTRY Entry = &CONTAINING_RECORD(Link, HEAP_FREE_ENTRY, FreeList)->Entry;

        if (Entry->Size >= Granules)
            return Entry;
    }
    return NULL;
}

/* ---- runs of free granules ---- */

/* Entry is not the last block: the next one's header must check and agree. */
VOID RtlpHeapCheckNext(PHEAP Heap, PHEAP_ENTRY Entry)
{
    PHEAP_ENTRY Next = RtlpHeapNextEntry(Entry);

    if (!RtlpHeapEntrySound(Heap, Next) || Next->PreviousSize != Entry->Size)
        RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Next));
}

/*
 * Makes Granules granules from Start free blocks on the free lists - one block, or
 * several when the run is longer than a header can count - and tells the block
 * after the run (unless the run ends the segment) its predecessor's new size.
 */
VOID RtlpHeapMakeFreeRun(PHEAP Heap, PHEAP_ENTRY Start, SIZE_T Granules, USHORT PreviousSize,
                         UCHAR SegmentIndex, BOOLEAN Last)
{
    PHEAP_ENTRY Next;
    SIZE_T Size;

    while (Granules > HEAP_MAXIMUM_BLOCK) {
        Size = HEAP_MAXIMUM_BLOCK;
        if (Granules - Size < HEAP_MINIMUM_BLOCK)
            Size -= HEAP_MINIMUM_BLOCK;         /* leave the last piece room for a header */
        RtlpHeapSetEntry(Heap, Start, Size, PreviousSize, 0, SegmentIndex);
        RtlpHeapInsertFree(Heap, Start);
        PreviousSize = (USHORT)Size;
        Start = RtlpHeapNextEntry(Start);
        Granules -= Size;
    }
    if (!Last) {
        /* The block after the run: checked, never resealed blind (that would hide
           damage done to it). */
        Next = (PHEAP_ENTRY)((PUCHAR)Start + (Granules << HEAP_GRANULARITY_SHIFT));
        if (!RtlpHeapEntrySound(Heap, Next))
            RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Next));
        Next->PreviousSize = (USHORT)Granules;
        RtlpHeapSeal(Heap, Next);
    }
    RtlpHeapSetEntry(Heap, Start, Granules, PreviousSize, Last ? HEAP_ENTRY_LAST_ENTRY : 0, SegmentIndex);
    RtlpHeapInsertFree(Heap, Start);
}

/*
 * Takes the free blocks from Next on (while they are free) off their lists, for a
 * run that ends just before Next to absorb; their granules. Usually one block or
 * none, but after a long run was cut there can be a few. *Last becomes TRUE when
 * they reach the segment's end.
 */
static SIZE_T RtlpHeapJoinFollowing(PHEAP Heap, PHEAP_ENTRY Next, PBOOLEAN Last)
{
    SIZE_T Joined = 0;

    for (;;) {
        if (!RtlpHeapEntrySound(Heap, Next))
            RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Next));
        if (Next->Flags & HEAP_ENTRY_BUSY)
            return Joined;
        RtlpHeapRemoveFree(Heap, Next);
        Joined += Next->Size;
        if (Next->Flags & HEAP_ENTRY_LAST_ENTRY) {
            *Last = TRUE;
            return Joined;
        }
        Next = RtlpHeapNextEntry(Next);
    }
}

/*
 * Makes Entry a busy block of Granules out of the Total granules that start at it
 * (and end its segment when Last); the rest, when it can be a block, is freed.
 */
VOID RtlpHeapSetBusySize(PHEAP Heap, PHEAP_ENTRY Entry, SIZE_T Total, SIZE_T Granules, BOOLEAN Last,
                         SIZE_T RequestSize)
{
    SIZE_T Rest = Total - Granules;

    if (Rest < HEAP_MINIMUM_BLOCK) {
        Granules = Total;                       /* a granule too few for a block: keep it */
        Rest = 0;
    } else if (!Last) {
        Rest += RtlpHeapJoinFollowing(Heap, (PHEAP_ENTRY)((PUCHAR)Entry + (Total << HEAP_GRANULARITY_SHIFT)),
                                      &Last);
    }
    Entry->Size = (USHORT)Granules;
    Entry->Flags = HEAP_ENTRY_BUSY | (Last && Rest == 0 ? HEAP_ENTRY_LAST_ENTRY : 0);
    Entry->UnusedBytes = (UCHAR)((Granules << HEAP_GRANULARITY_SHIFT) - sizeof(HEAP_ENTRY) - RequestSize);
    RtlpHeapSeal(Heap, Entry);
    if (Entry->Flags & HEAP_ENTRY_LAST_ENTRY)
        Heap->Segments[Entry->SegmentIndex]->LastEntry = Entry;
    if (Rest != 0) {
        RtlpHeapMakeFreeRun(Heap, RtlpHeapNextEntry(Entry), Rest, (USHORT)Granules, Entry->SegmentIndex, Last);
    } else if (!Last) {
        PHEAP_ENTRY Next = RtlpHeapNextEntry(Entry);

        if (!RtlpHeapEntrySound(Heap, Next))
            RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Next));
        Next->PreviousSize = (USHORT)Granules;
        RtlpHeapSeal(Heap, Next);
    }
}

/* ---- allocate ---- */

/* A block of Size bytes, or NULL: a free one carved, the heap grown, or a big block. */
PVOID RtlpHeapAllocate(PHEAP Heap, SIZE_T Size)
{
    PHEAP_ENTRY Entry;
    SIZE_T Granules;

    if (Size >= HEAP_MAXIMUM_REQUEST)
        return NULL;
    Granules = RtlpHeapGranules(Size);
    if (Granules >= Heap->VirtualMemoryThreshold)
        return (Heap->Flags & HEAP_GROWABLE) ? RtlpHeapAllocateVirtual(Heap, Size) : NULL;
    Entry = RtlpHeapFindFree(Heap, Granules);
    if (Entry == NULL && RtlpHeapFlushLookaside(Heap))     /* before growing, what is held back */
        Entry = RtlpHeapFindFree(Heap, Granules);
    if (Entry == NULL) {
        if (!RtlpHeapExtend(Heap, Granules))
            return NULL;
        Entry = RtlpHeapFindFree(Heap, Granules);
    }
    RtlpHeapRemoveFree(Heap, Entry);
    RtlpHeapSetBusySize(Heap, Entry, Entry->Size, Granules, (Entry->Flags & HEAP_ENTRY_LAST_ENTRY) != 0, Size);
    return RtlpHeapEntryData(Entry);
}

PVOID NTAPI RtlAllocateHeap(PVOID HeapHandle, ULONG Flags, SIZE_T Size)
{
    PHEAP Heap = HeapHandle;
    PVOID Data;

    Flags |= Heap->ForceFlags;
    RtlpHeapLock(Heap, Flags);
    Data = (Heap->Flags & HEAP_LOOKASIDE_ENABLED) ? RtlpHeapLookasideAllocate(Heap, Size) : NULL;
    if (Data == NULL)
        Data = RtlpHeapAllocate(Heap, Size);
    RtlpHeapUnlock(Heap, Flags);
    if (Data == NULL) {
        if (Flags & HEAP_GENERATE_EXCEPTIONS)
            RtlRaiseStatus(STATUS_NO_MEMORY);
        return NULL;
    }
    /* Outside the lock: the block is the caller's now. A big block's pages are new,
       so already zero. */
    if ((Flags & HEAP_ZERO_MEMORY) && !(RtlpHeapDataEntry(Data)->Flags & HEAP_ENTRY_VIRTUAL_ALLOC))
        RtlpHeapZero(Data, Size);
    return Data;
}

/* ---- free ---- */

/* Entry must be a busy block of this heap that the caller holds; anything else
   is a double free, a pointer the heap never gave, or a damaged header - all
   reported. */
VOID RtlpHeapCheckBusy(PHEAP Heap, PHEAP_ENTRY Entry)
{
    PHEAP_SEGMENT Segment;

    if (((ULONG_PTR)Entry & (HEAP_GRANULARITY - 1)) != 0 || !RtlpHeapEntrySound(Heap, Entry) ||
        !RtlpHeapEntryOwned(Entry))
        RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Entry));
    if (Entry->Flags & HEAP_ENTRY_VIRTUAL_ALLOC) {
        PLIST_ENTRY Links = &CONTAINING_RECORD(Entry, HEAP_VIRTUAL_BLOCK, Entry)->Links;

        if (Links->Flink->Blink != Links || Links->Blink->Flink != Links)
            RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Entry));
        return;
    }
    Segment = Entry->SegmentIndex < HEAP_MAXIMUM_SEGMENTS ? Heap->Segments[Entry->SegmentIndex] : NULL;
    if (Segment == NULL || Entry < Segment->FirstEntry || (PUCHAR)Entry >= Segment->CommittedEnd)
        RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Entry));
}

/* Frees a checked busy block of a segment, joined with its free neighbours. */
VOID RtlpHeapFree(PHEAP Heap, PHEAP_ENTRY Entry)
{
    PHEAP_ENTRY Start = Entry, Previous;
    SIZE_T Granules = Entry->Size;
    USHORT PreviousSize = Entry->PreviousSize;
    BOOLEAN Last = (Entry->Flags & HEAP_ENTRY_LAST_ENTRY) != 0;

    if (!Last) {
        RtlpHeapCheckNext(Heap, Entry);         /* an overrun of this block shows here */
        Granules += RtlpHeapJoinFollowing(Heap, RtlpHeapNextEntry(Entry), &Last);
    }
    if (PreviousSize != 0) {
        Previous = RtlpHeapPreviousEntry(Entry);
        if (!RtlpHeapEntrySound(Heap, Previous) || Previous->Size != PreviousSize)
            RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Previous));
        if (!(Previous->Flags & HEAP_ENTRY_BUSY)) {
            RtlpHeapRemoveFree(Heap, Previous);
            Granules += Previous->Size;
            PreviousSize = Previous->PreviousSize;
            Start = Previous;
        }
    }
    /* A header left inside the run no longer says busy: freeing it again is caught. */
    Entry->Flags &= ~HEAP_ENTRY_BUSY;
    RtlpHeapSeal(Heap, Entry);
    RtlpHeapReleaseFreeRun(Heap, Start, Granules, PreviousSize, Entry->SegmentIndex, Last);
}

BOOLEAN NTAPI RtlFreeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress)
{
    PHEAP Heap = HeapHandle;
    PHEAP_ENTRY Entry;

    if (BaseAddress == NULL)
        return TRUE;                            /* NT's: freeing nothing succeeds */
    Flags |= Heap->ForceFlags;
    RtlpHeapLock(Heap, Flags);
    Entry = RtlpHeapDataEntry(BaseAddress);
    RtlpHeapCheckBusy(Heap, Entry);
    if (Entry->Flags & HEAP_ENTRY_VIRTUAL_ALLOC)
        RtlpHeapFreeVirtual(Heap, CONTAINING_RECORD(Entry, HEAP_VIRTUAL_BLOCK, Entry));
    else if (!RtlpHeapLookasideFree(Heap, Entry))
        RtlpHeapFree(Heap, Entry);
    RtlpHeapUnlock(Heap, Flags);
    return TRUE;
}

/* The size the caller asked for (or last resized to); (SIZE_T)-1 for what is not
   a busy block, as NT. */
SIZE_T NTAPI RtlSizeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress)
{
    PHEAP Heap = HeapHandle;
    PHEAP_ENTRY Entry = RtlpHeapDataEntry(BaseAddress);
    SIZE_T Size = (SIZE_T)-1;

    Flags |= Heap->ForceFlags;
    RtlpHeapLock(Heap, Flags);
    if (((ULONG_PTR)Entry & (HEAP_GRANULARITY - 1)) == 0 && RtlpHeapEntrySound(Heap, Entry) &&
        RtlpHeapEntryOwned(Entry))
        Size = RtlpHeapRequestSize(Entry);
    RtlpHeapUnlock(Heap, Flags);
    return Size;
}

/*
 * heapgrow.c - where the heap's memory comes from and goes back to (NT:
 * RtlpExtendHeap, RtlpInitializeHeapSegment, RtlpDeCommitFreeBlock, and the
 * VirtualAllocdBlocks of RtlAllocateHeap/RtlFreeHeap).
 *
 * A segment is one reservation whose committed part grows at its end, a page
 * multiple at a time, when no free block is big enough; when every segment is
 * full to its reservation, a growable heap reserves another segment. Memory goes
 * back to the system three ways: a segment other than the first that becomes
 * wholly free is released; a free run at the end of a segment with more than the
 * heap's decommit threshold of whole pages past its first page has those pages
 * decommitted (NT's HeapDeCommitTotalFreeThreshold, 64 KB by default, so that a
 * block freed and allocated again at the boundary does not commit and decommit
 * each time); and a big block - at least VirtualMemoryThreshold, NT's 0x7F000 by
 * default - is its own reservation, released when it is freed.
 */
#include "heapp.h"

#define HEAP_SEGMENT_HEADER ((sizeof(HEAP_SEGMENT) + HEAP_GRANULARITY - 1) & ~(SIZE_T)(HEAP_GRANULARITY - 1))

static SIZE_T RtlpHeapMax(SIZE_T A, SIZE_T B)
{
    return A > B ? A : B;
}

/* A segment's header is written and its committed part made one free run. */
VOID RtlpHeapInitializeSegment(PHEAP Heap, PHEAP_SEGMENT Segment, ULONG Index, PUCHAR Base,
                               PUCHAR CommittedEnd, PUCHAR ReservedEnd, PVOID FirstEntry)
{
    Segment->Signature = HEAP_SEGMENT_SIGNATURE;
    Segment->SegmentIndex = Index;
    Segment->Heap = Heap;
    Segment->BaseAddress = Base;
    Segment->CommittedEnd = CommittedEnd;
    Segment->ReservedEnd = ReservedEnd;
    Segment->FirstEntry = FirstEntry;
    Segment->LastEntry = FirstEntry;
    Heap->Segments[Index] = Segment;
    RtlpHeapMakeFreeRun(Heap, FirstEntry, (SIZE_T)(CommittedEnd - (PUCHAR)FirstEntry) >> HEAP_GRANULARITY_SHIFT,
                        0, (UCHAR)Index, TRUE);
}

/* Commits enough more of Segment for a free block of Granules at its end. */
static BOOLEAN RtlpHeapCommitMore(PHEAP Heap, PHEAP_SEGMENT Segment, SIZE_T Granules)
{
    PHEAP_ENTRY Last = Segment->LastEntry, Start;
    BOOLEAN LastFree = !(Last->Flags & HEAP_ENTRY_BUSY);
    SIZE_T Needed, Commit, Room, Run;
    USHORT PreviousSize;
    PVOID Base;

    Needed = (Granules - (LastFree ? Last->Size : 0)) << HEAP_GRANULARITY_SHIFT;
    Room = (SIZE_T)(Segment->ReservedEnd - Segment->CommittedEnd);
    if (RtlpHeapRoundPage(Needed) > Room)
        return FALSE;
    /* At least SegmentCommit at a time: growing by one page per allocation would
       make every allocation a system call. */
    Commit = RtlpHeapRoundPage(RtlpHeapMax(Needed, Heap->SegmentCommit));
    if (Commit > Room)
        Commit = Room;
    Base = Segment->CommittedEnd;
    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Commit, MEM_COMMIT, PAGE_READWRITE)))
        return FALSE;

    Start = (PHEAP_ENTRY)Segment->CommittedEnd;
    Run = Commit >> HEAP_GRANULARITY_SHIFT;
    PreviousSize = Last->Size;
    if (LastFree) {
        RtlpHeapRemoveFree(Heap, Last);
        Start = Last;
        Run += Last->Size;
        PreviousSize = Last->PreviousSize;
    } else {
        Last->Flags &= ~HEAP_ENTRY_LAST_ENTRY;
        RtlpHeapSeal(Heap, Last);
    }
    Segment->CommittedEnd += Commit;
    RtlpHeapMakeFreeRun(Heap, Start, Run, PreviousSize, (UCHAR)Segment->SegmentIndex, TRUE);
    return TRUE;
}

/* A new segment with room for a block of Granules. */
static BOOLEAN RtlpHeapAddSegment(PHEAP Heap, SIZE_T Granules)
{
    SIZE_T Needed = HEAP_SEGMENT_HEADER + (Granules << HEAP_GRANULARITY_SHIFT);
    SIZE_T Reserve, Commit, Release = 0;
    PVOID Base = NULL, CommitBase;
    ULONG Index;

    for (Index = 1; Index < HEAP_MAXIMUM_SEGMENTS; Index++)
        if (Heap->Segments[Index] == NULL)
            break;
    if (Index == HEAP_MAXIMUM_SEGMENTS)
        return FALSE;
    Reserve = RtlpHeapMax(Heap->SegmentReserve,
                          (Needed + MM_ALLOCATION_GRANULARITY - 1) & ~(SIZE_T)(MM_ALLOCATION_GRANULARITY - 1));
    Commit = RtlpHeapRoundPage(RtlpHeapMax(Needed, Heap->SegmentCommit));
    if (Commit > Reserve)
        Commit = Reserve;
    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Reserve, MEM_RESERVE, PAGE_READWRITE)))
        return FALSE;
    CommitBase = Base;
    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &CommitBase, 0, &Commit, MEM_COMMIT,
                                            PAGE_READWRITE))) {
        NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Release, MEM_RELEASE);
        return FALSE;
    }
    RtlpHeapInitializeSegment(Heap, Base, Index, Base, (PUCHAR)Base + Commit, (PUCHAR)Base + Reserve,
                              (PUCHAR)Base + HEAP_SEGMENT_HEADER);
    return TRUE;
}

/* Makes a free block of at least Granules: more of a segment committed, else
   (a growable heap) a new segment. */
BOOLEAN RtlpHeapExtend(PHEAP Heap, SIZE_T Granules)
{
    ULONG Index;

    for (Index = 0; Index < HEAP_MAXIMUM_SEGMENTS; Index++)
        if (Heap->Segments[Index] != NULL && RtlpHeapCommitMore(Heap, Heap->Segments[Index], Granules))
            return TRUE;
    return (Heap->Flags & HEAP_GROWABLE) && RtlpHeapAddSegment(Heap, Granules);
}

/*
 * A run freed by RtlpHeapFree: back to the system when it is a whole extra
 * segment or has many pages at a segment's end, then (what is left) onto the free
 * lists. Memory a caller gave the heap (HeapBase, segment 0) is never decommitted.
 */
VOID RtlpHeapReleaseFreeRun(PHEAP Heap, PHEAP_ENTRY Start, SIZE_T Granules, USHORT PreviousSize,
                            UCHAR SegmentIndex, BOOLEAN Last)
{
    PHEAP_SEGMENT Segment = Heap->Segments[SegmentIndex];
    PUCHAR Keep;
    PVOID Base;
    SIZE_T Size;

    if (Last && !(SegmentIndex == 0 && (Heap->Flags & HEAP_CALLER_MEMORY))) {
        if (SegmentIndex != 0 && Start == Segment->FirstEntry) {
            Heap->Segments[SegmentIndex] = NULL;
            Base = Segment->BaseAddress;
            Size = 0;
            NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE);
            return;
        }
        Keep = (PUCHAR)RtlpHeapRoundPage((SIZE_T)Start + sizeof(HEAP_FREE_ENTRY));
        Size = (SIZE_T)(Segment->CommittedEnd - Keep);
        if (Size > Heap->DeCommitThreshold) {
            Base = Keep;
            if (NT_SUCCESS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_DECOMMIT))) {
                Segment->CommittedEnd = Keep;
                Granules = (SIZE_T)(Keep - (PUCHAR)Start) >> HEAP_GRANULARITY_SHIFT;
            }
        }
    }
    RtlpHeapMakeFreeRun(Heap, Start, Granules, PreviousSize, SegmentIndex, Last);
}

/* ---- big blocks ---- */

PVOID RtlpHeapAllocateVirtual(PHEAP Heap, SIZE_T Size)
{
    PHEAP_VIRTUAL_BLOCK Block = NULL;
    SIZE_T Region = RtlpHeapRoundPage(sizeof(HEAP_VIRTUAL_BLOCK) + Size);

    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), (PVOID *)&Block, 0, &Region,
                                            MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)))
        return NULL;
    Block->RegionSize = Region;
    Block->RequestSize = Size;
    /* Size and PreviousSize mean nothing here: RequestSize is the size. */
    Block->Entry.Size = 0;
    Block->Entry.PreviousSize = 0;
    Block->Entry.Flags = HEAP_ENTRY_BUSY | HEAP_ENTRY_VIRTUAL_ALLOC;
    Block->Entry.UnusedBytes = 0;
    Block->Entry.SegmentIndex = 0;
    RtlpHeapSeal(Heap, &Block->Entry);
    InsertTailList(&Heap->VirtualAllocdBlocks, &Block->Links);
    return RtlpHeapEntryData(&Block->Entry);
}

VOID RtlpHeapFreeVirtual(PHEAP Heap, PHEAP_VIRTUAL_BLOCK Block)
{
    PVOID Base = Block;
    SIZE_T Size = 0;

    RemoveEntryList(&Block->Links);
    /* The header goes with the pages: a second free of it faults or finds another's. */
    (void)Heap;
    NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE);
}

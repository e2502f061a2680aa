/*
 * heaplook.c - the lookaside lists in front of the free lists (NT 5:
 * RtlpAllocateFromHeapLookaside, RtlpFreeToHeapLookaside; heapp.h says what they
 * are). They make the common case - a small block freed and a block of the same
 * size wanted again soon - a push and a pop.
 *
 * A block on a lookaside list keeps its header, marked HEAP_ENTRY_LOOKASIDE, so it
 * is still checked: freeing it again, resizing or sizing it is refused like any
 * double free, and RtlValidateHeap walks the lists. Its neighbour's header is
 * checked when it is pushed, as the full free does, so an overrun is caught at
 * the same moment either way.
 */
#include "heapp.h"

static inline PHEAP_ENTRY *RtlpHeapLookasideLink(PHEAP_ENTRY Entry)
{
    return (PHEAP_ENTRY *)RtlpHeapEntryData(Entry);
}

/* A block of Size bytes from its size's list, or NULL. */
PVOID RtlpHeapLookasideAllocate(PHEAP Heap, SIZE_T Size)
{
    SIZE_T Granules = RtlpHeapGranules(Size);
    PHEAP_LOOKASIDE List;
    PHEAP_ENTRY Entry;

    if (Granules >= HEAP_LOOKASIDE_LISTS)
        return NULL;
    List = &Heap->Lookaside[Granules];
    Entry = List->Head;
    if (Entry == NULL)
        return NULL;
    if (!RtlpHeapEntrySound(Heap, Entry))       /* a write after free hit it */
        RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Entry));
    List->Head = *RtlpHeapLookasideLink(Entry);
    List->Depth--;
    Entry->Flags &= ~HEAP_ENTRY_LOOKASIDE;
    Entry->UnusedBytes = (UCHAR)((Granules << HEAP_GRANULARITY_SHIFT) - sizeof(HEAP_ENTRY) - Size);
    RtlpHeapSeal(Heap, Entry);
    return RtlpHeapEntryData(Entry);
}

/* Keeps a checked busy block of a segment on its size's list; FALSE when it is
   too big, the list is full, or the heap has none (then it is freed for real). */
BOOLEAN RtlpHeapLookasideFree(PHEAP Heap, PHEAP_ENTRY Entry)
{
    PHEAP_LOOKASIDE List;

    if (!(Heap->Flags & HEAP_LOOKASIDE_ENABLED) || Entry->Size >= HEAP_LOOKASIDE_LISTS)
        return FALSE;
    List = &Heap->Lookaside[Entry->Size];
    if (List->Depth >= HEAP_LOOKASIDE_DEPTH)
        return FALSE;
    if (!(Entry->Flags & HEAP_ENTRY_LAST_ENTRY))
        RtlpHeapCheckNext(Heap, Entry);
    Entry->Flags |= HEAP_ENTRY_LOOKASIDE;
    RtlpHeapSeal(Heap, Entry);
    *RtlpHeapLookasideLink(Entry) = List->Head;
    List->Head = Entry;
    List->Depth++;
    return TRUE;
}

/* Frees every block the lists hold for real; TRUE when there was any. */
BOOLEAN RtlpHeapFlushLookaside(PHEAP Heap)
{
    BOOLEAN Any = FALSE;
    ULONG Index;

    for (Index = 0; Index < HEAP_LOOKASIDE_LISTS; Index++) {
        PHEAP_LOOKASIDE List = &Heap->Lookaside[Index];

        while (List->Head != NULL) {
            PHEAP_ENTRY Entry = List->Head;

            if (!RtlpHeapEntrySound(Heap, Entry))
                RtlpHeapReportCorruption(Heap, RtlpHeapEntryData(Entry));
            List->Head = *RtlpHeapLookasideLink(Entry);
            List->Depth--;
            Entry->Flags &= ~HEAP_ENTRY_LOOKASIDE;
            RtlpHeapFree(Heap, Entry);
            Any = TRUE;
        }
    }
    return Any;
}

/* The segment whose committed part holds Address, or NULL. */
static PHEAP_SEGMENT RtlpHeapFindSegment(PHEAP Heap, PVOID Address)
{
    ULONG Index;

    for (Index = 0; Index < HEAP_MAXIMUM_SEGMENTS; Index++) {
        PHEAP_SEGMENT Segment = Heap->Segments[Index];

        if (Segment != NULL && (PUCHAR)Address >= (PUCHAR)Segment->FirstEntry &&
            (PUCHAR)Address < Segment->CommittedEnd)
            return Segment;
    }
    return NULL;
}

/* Every list: sound headers of its size, marked, in a segment, as many as counted. */
BOOLEAN RtlpHeapValidateLookaside(PHEAP Heap)
{
    ULONG Index, Count;

    for (Index = 0; Index < HEAP_LOOKASIDE_LISTS; Index++) {
        PHEAP_LOOKASIDE List = &Heap->Lookaside[Index];
        PHEAP_ENTRY Entry;

        if (List->Depth > HEAP_LOOKASIDE_DEPTH)
            return FALSE;
        for (Entry = List->Head, Count = 0; Entry != NULL; Entry = *RtlpHeapLookasideLink(Entry), Count++) {
            /* Where a link leads is checked before it is read: a write after free
               may have changed one. */
            PHEAP_SEGMENT Segment = RtlpHeapFindSegment(Heap, Entry);

            if (Count == List->Depth || ((ULONG_PTR)Entry & (HEAP_GRANULARITY - 1)) != 0 || Segment == NULL ||
                Entry->SegmentIndex != Segment->SegmentIndex ||
                !RtlpHeapEntrySound(Heap, Entry) || Entry->Size != Index ||
                (Entry->Flags & (HEAP_ENTRY_BUSY | HEAP_ENTRY_LOOKASIDE | HEAP_ENTRY_VIRTUAL_ALLOC)) !=
                    (HEAP_ENTRY_BUSY | HEAP_ENTRY_LOOKASIDE))
                return FALSE;
        }
        if (Count != List->Depth)
            return FALSE;
    }
    return TRUE;
}

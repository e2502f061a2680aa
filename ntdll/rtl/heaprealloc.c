/*
 * heaprealloc.c - RtlReAllocateHeap: a block resized where it is when it can be -
 * it shrinks (the tail becomes free), it still fits its granules, or the free
 * block after it has room to grow into - and otherwise moved: a new block, the
 * contents copied, the old one freed. HEAP_REALLOC_IN_PLACE_ONLY forbids the
 * move; HEAP_ZERO_MEMORY zeroes what the block gained.
 */
#include "heapp.h"

/* Entry (a checked busy block of a segment) made Size bytes without moving it. */
static BOOLEAN RtlpHeapResizeInPlace(PHEAP Heap, PHEAP_ENTRY Entry, SIZE_T Size)
{
    SIZE_T Granules = RtlpHeapGranules(Size), Total = Entry->Size;
    BOOLEAN Last = (Entry->Flags & HEAP_ENTRY_LAST_ENTRY) != 0;
    PHEAP_ENTRY Next;

    /* A block that has become big belongs in its own region. */
    if (Granules >= Heap->VirtualMemoryThreshold)
        return FALSE;
    if (!Last) {
        RtlpHeapCheckNext(Heap, Entry);
        Next = RtlpHeapNextEntry(Entry);
        if (!(Next->Flags & HEAP_ENTRY_BUSY) && Granules != Total) {
            /* Grow into it, or let a shrunk tail join it. */
            if (Total + Next->Size < Granules)
                return FALSE;
            RtlpHeapRemoveFree(Heap, Next);
            Total += Next->Size;
            Last = (Next->Flags & HEAP_ENTRY_LAST_ENTRY) != 0;
        }
    }
    if (Granules > Total)
        return FALSE;
    RtlpHeapSetBusySize(Heap, Entry, Total, Granules, Last, Size);
    return TRUE;
}

PVOID NTAPI RtlReAllocateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress, SIZE_T Size)
{
    PHEAP Heap = HeapHandle;
    PHEAP_ENTRY Entry;
    PVOID Result = NULL;
    SIZE_T OldSize = 0;

    if (BaseAddress == NULL)
        return NULL;                            /* NT's: nothing to resize */
    Flags |= Heap->ForceFlags;
    if (Size < HEAP_MAXIMUM_REQUEST) {
        RtlpHeapLock(Heap, Flags);
        Entry = RtlpHeapDataEntry(BaseAddress);
        RtlpHeapCheckBusy(Heap, Entry);
        OldSize = RtlpHeapRequestSize(Entry);
        if (Entry->Flags & HEAP_ENTRY_VIRTUAL_ALLOC) {
            PHEAP_VIRTUAL_BLOCK Block = CONTAINING_RECORD(Entry, HEAP_VIRTUAL_BLOCK, Entry);

            if (sizeof(HEAP_VIRTUAL_BLOCK) + Size <= Block->RegionSize) {
                Block->RequestSize = Size;
                Result = BaseAddress;
            }
        } else if (RtlpHeapResizeInPlace(Heap, Entry, Size)) {
            Result = BaseAddress;
        }
        if (Result == NULL && !(Flags & HEAP_REALLOC_IN_PLACE_ONLY)) {
            Result = RtlpHeapAllocate(Heap, Size);
            if (Result != NULL) {
                RtlpHeapCopy(Result, BaseAddress, OldSize < Size ? OldSize : Size);
                if (Entry->Flags & HEAP_ENTRY_VIRTUAL_ALLOC)
                    RtlpHeapFreeVirtual(Heap, CONTAINING_RECORD(Entry, HEAP_VIRTUAL_BLOCK, Entry));
                else
                    RtlpHeapFree(Heap, Entry);
            }
        }
        RtlpHeapUnlock(Heap, Flags);
    }
    if (Result == NULL) {
        if (Flags & HEAP_GENERATE_EXCEPTIONS)
            RtlRaiseStatus(STATUS_NO_MEMORY);
        return NULL;
    }
    if ((Flags & HEAP_ZERO_MEMORY) && Size > OldSize)
        RtlpHeapZero((PUCHAR)Result + OldSize, Size - OldSize);
    return Result;
}

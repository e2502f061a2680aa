/*
 * heapp.h - the NT heap's private declarations (NT: ntdll\rtl\heap.h, heappriv.h):
 * the block header, segments, the heap itself, and what the heap*.c files call
 * across.
 *
 * The shape is NT's: memory is handed out in 8-byte granules, every block starts
 * with an 8-byte HEAP_ENTRY giving its size and its predecessor's size (so both
 * neighbours are found in constant time when it is freed), free blocks sit on
 * free lists indexed by size, a heap is a set of segments - each one reservation
 * of which a prefix is committed and grows - and blocks above a threshold are
 * their own NtAllocateVirtualMemory regions.
 *
 * Files: heap.c (create, destroy, the process's heap list, the process heap),
 * heapalloc.c (allocate, free, size: the free lists and coalescing), heaplook.c
 * (the lookaside lists in front of them), heapgrow.c
 * (committing, new segments, giving memory back, the big blocks), heaprealloc.c,
 * heapcheck.c (RtlValidateHeap and the corruption report).
 */
#pragma once

#include "../ntdllp.h"
#include <nt/list.h>
#include <nt/ntmmapi.h>
#include <nt/ntobapi.h>
#include <nt/ntpebteb.h>

/* ---- the public flags and parameters (winnt.h's / ntrtl.h's values) ---- */

#define HEAP_NO_SERIALIZE               0x00000001
#define HEAP_GROWABLE                   0x00000002
#define HEAP_GENERATE_EXCEPTIONS        0x00000004
#define HEAP_ZERO_MEMORY                0x00000008
#define HEAP_REALLOC_IN_PLACE_ONLY      0x00000010

typedef NTSTATUS (NTAPI *PRTL_HEAP_COMMIT_ROUTINE)(PVOID Base, PVOID *CommitAddress, PSIZE_T CommitSize);

typedef struct _RTL_HEAP_PARAMETERS {
    ULONG Length;                       /* sizeof(RTL_HEAP_PARAMETERS) */
    SIZE_T SegmentReserve;              /* 0: the PEB's HeapSegmentReserve */
    SIZE_T SegmentCommit;               /* 0: the PEB's HeapSegmentCommit */
    SIZE_T DeCommitFreeBlockThreshold;
    SIZE_T DeCommitTotalFreeThreshold;
    SIZE_T MaximumAllocationSize;
    SIZE_T VirtualMemoryThreshold;      /* 0: HEAP_DEFAULT_VIRTUAL_THRESHOLD */
    SIZE_T InitialCommit;
    SIZE_T InitialReserve;
    PRTL_HEAP_COMMIT_ROUTINE CommitRoutine; /* not supported: RtlCreateHeap fails */
    SIZE_T Reserved[2];
} RTL_HEAP_PARAMETERS, *PRTL_HEAP_PARAMETERS;

/* ---- the exports ---- */

PVOID NTAPI RtlCreateHeap(ULONG Flags, PVOID HeapBase, SIZE_T ReserveSize, SIZE_T CommitSize,
                          PVOID Lock, PRTL_HEAP_PARAMETERS Parameters);
PVOID NTAPI RtlDestroyHeap(PVOID HeapHandle);
PVOID NTAPI RtlAllocateHeap(PVOID HeapHandle, ULONG Flags, SIZE_T Size);
BOOLEAN NTAPI RtlFreeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
PVOID NTAPI RtlReAllocateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress, SIZE_T Size);
SIZE_T NTAPI RtlSizeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
ULONG NTAPI RtlGetProcessHeaps(ULONG NumberOfHeaps, PVOID *ProcessHeaps);
BOOLEAN NTAPI RtlValidateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);

/* ---- blocks ---- */

#define HEAP_GRANULARITY        8
#define HEAP_GRANULARITY_SHIFT  3
#define HEAP_PAGE_SIZE          0x1000

/*
 * Every block's header, just before the address the caller gets. Sizes are in
 * granules and include the header. Checksum is the XOR of the other seven bytes
 * and the heap's cookie, which is never zero: an overrun that runs on into the
 * next header - even with a single repeated byte, or zeros - breaks it, and a
 * stray pointer rarely lands on a header that checks.
 */
typedef struct _HEAP_ENTRY {
    USHORT Size;                /* this block, header included, in granules */
    USHORT PreviousSize;        /* the block before it in the segment; 0 for the first */
    UCHAR Checksum;
    UCHAR Flags;                /* HEAP_ENTRY_* */
    UCHAR UnusedBytes;          /* the block's bytes beyond the caller's request */
    UCHAR SegmentIndex;         /* Heap->Segments[] holding it */
} HEAP_ENTRY, *PHEAP_ENTRY;
C_ASSERT_SIZE(HEAP_ENTRY, HEAP_GRANULARITY);

#define HEAP_ENTRY_BUSY             0x01
#define HEAP_ENTRY_VIRTUAL_ALLOC    0x08    /* a big block: its own region (HEAP_VIRTUAL_BLOCK) */
#define HEAP_ENTRY_LAST_ENTRY       0x10    /* the last block of its segment's committed part */
#define HEAP_ENTRY_LOOKASIDE        0x20    /* freed by the caller, kept busy on a lookaside list */

/* A free block keeps its free-list links in what was the caller's data. */
typedef struct _HEAP_FREE_ENTRY {
    HEAP_ENTRY Entry;
    LIST_ENTRY FreeList;
} HEAP_FREE_ENTRY, *PHEAP_FREE_ENTRY;

/* The smallest block (a free one must hold its links) and the largest a USHORT counts. */
#define HEAP_MINIMUM_BLOCK      (sizeof(HEAP_FREE_ENTRY) / HEAP_GRANULARITY)
#define HEAP_MAXIMUM_BLOCK      0xFFFF

/* A block of at least the heap's VirtualMemoryThreshold: its own reservation,
   released when it is freed (NT: HEAP_VIRTUAL_ALLOC_ENTRY). */
typedef struct _HEAP_VIRTUAL_BLOCK {
    LIST_ENTRY Links;           /* on Heap->VirtualAllocdBlocks */
    SIZE_T RegionSize;          /* the whole region, this header included */
    SIZE_T RequestSize;         /* what the caller asked for */
    HEAP_ENTRY Entry;           /* BUSY | VIRTUAL_ALLOC; the caller's data follows */
} HEAP_VIRTUAL_BLOCK, *PHEAP_VIRTUAL_BLOCK;
_Static_assert(sizeof(HEAP_VIRTUAL_BLOCK) % HEAP_GRANULARITY == 0, "the data stays 8-byte aligned");

/* NT's default on i386 (0x7F000): just under the largest block a USHORT counts. */
#define HEAP_DEFAULT_VIRTUAL_THRESHOLD  0x7F000

/* ---- segments and the heap ---- */

#define HEAP_MAXIMUM_SEGMENTS   64
#define HEAP_SEGMENT_SIGNATURE  0xFFEEFFEE
#define HEAP_SIGNATURE          0xEEFFEEFF

/*
 * One reservation: [BaseAddress, ReservedEnd), of which [BaseAddress, CommittedEnd)
 * is committed and tiled by blocks from FirstEntry to LastEntry (the one with
 * HEAP_ENTRY_LAST_ENTRY). The header sits at the start of its own reservation
 * (segment 0's after the HEAP).
 */
typedef struct _HEAP_SEGMENT {
    ULONG Signature;            /* HEAP_SEGMENT_SIGNATURE */
    ULONG SegmentIndex;
    struct _HEAP *Heap;
    PUCHAR BaseAddress;
    PUCHAR CommittedEnd;
    PUCHAR ReservedEnd;
    PHEAP_ENTRY FirstEntry;
    PHEAP_ENTRY LastEntry;
} HEAP_SEGMENT, *PHEAP_SEGMENT;

/*
 * Free lists: FreeLists[n], 0 < n < HEAP_FREE_LISTS, holds free blocks of exactly
 * n granules (a bit in FreeListsInUse says it is not empty, so the smallest fit is
 * a bit scan); FreeLists[0] holds the larger ones in increasing size, so its
 * first fit is the best fit.
 */
#define HEAP_FREE_LISTS         128

/*
 * Lookaside lists (NT 5's front end, HEAP_LOOKASIDE): a freed block of fewer than
 * HEAP_LOOKASIDE_LISTS granules is kept, still busy to the free lists, on a short
 * LIFO list of its size, and the next allocation of that size takes it back -
 * no split, no coalescing, no free-list search. Each list holds at most
 * HEAP_LOOKASIDE_DEPTH blocks, so little memory sits there; when the heap would
 * otherwise grow, they are all freed for real first. As in NT, only growable
 * serialized heaps have them (a fixed heap's memory is too scarce to hold back).
 * The link to the next block is kept in the block's data.
 */
#define HEAP_LOOKASIDE_LISTS    HEAP_FREE_LISTS
#define HEAP_LOOKASIDE_DEPTH    16

typedef struct _HEAP_LOOKASIDE {
    PHEAP_ENTRY Head;
    ULONG Depth;
} HEAP_LOOKASIDE, *PHEAP_LOOKASIDE;

/* Per-call flags a heap applies to every call when it was created with them. */
#define HEAP_FORCE_FLAGS        (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS)
/* Flags RtlCreateHeap keeps (the rest are NT's debugging and tagging options). */
#define HEAP_CREATE_VALID_FLAGS (HEAP_NO_SERIALIZE | HEAP_GROWABLE | HEAP_GENERATE_EXCEPTIONS | \
                                 HEAP_ZERO_MEMORY | HEAP_REALLOC_IN_PLACE_ONLY)
/* The heap is in memory its creator gave (HeapBase): never released by the heap. */
#define HEAP_CALLER_MEMORY      0x80000000
/* The heap has lookaside lists (growable, serialized). */
#define HEAP_LOOKASIDE_ENABLED  0x40000000
/* The lock is the creator's (RtlCreateHeap's Lock): not the heap's to delete (NT's
   name; its bit here is free of the others). */
#define HEAP_LOCK_USER_ALLOCATED 0x20000000

typedef struct _HEAP {
    ULONG Signature;            /* HEAP_SIGNATURE */
    ULONG Flags;                /* the creation flags | HEAP_CALLER_MEMORY */
    ULONG ForceFlags;           /* Flags & HEAP_FORCE_FLAGS */
    UCHAR Cookie;               /* mixed into every checksum; never 0 */
    SIZE_T SegmentReserve;      /* a new segment reserves at least this much... */
    SIZE_T SegmentCommit;       /* ...and commits at least this much at a time */
    SIZE_T DeCommitThreshold;   /* free pages at a segment's end past this are decommitted */
    SIZE_T VirtualMemoryThreshold; /* in granules: blocks this big get their own region */
    SIZE_T TotalFreeSize;       /* granules on the free lists */
    PRTL_CRITICAL_SECTION LockVariable; /* &Lock, or the creator's own section */
    RTL_CRITICAL_SECTION Lock;  /* NT: HEAP_LOCK, a critical section */
    LIST_ENTRY VirtualAllocdBlocks;
    ULONG FreeListsInUse[HEAP_FREE_LISTS / 32];
    LIST_ENTRY FreeLists[HEAP_FREE_LISTS];
    PHEAP_SEGMENT Segments[HEAP_MAXIMUM_SEGMENTS];
    HEAP_LOOKASIDE Lookaside[HEAP_LOOKASIDE_LISTS];
} HEAP, *PHEAP;

/* ---- the process (the PEB through fs, or the host tests' own) ---- */

#ifdef NT_HOST_TEST
/* The host unit tests run in a Linux process with no TEB behind fs: they give the
   PEB (tests/unit/test_heap.c). The one place the heap differs from ntdll's. */
PPEB RtlpHeapTestPeb(VOID);
#define RtlpHeapCurrentPeb() RtlpHeapTestPeb()
#else
static inline PPEB RtlpHeapCurrentPeb(VOID)
{
    PPEB Peb;

    __asm__ volatile ("movl %%fs:0x30, %0" : "=r"(Peb));
    return Peb;
}
#endif

/* ---- small helpers every heap file uses ---- */

static inline PVOID RtlpHeapEntryData(PHEAP_ENTRY Entry)
{
    return Entry + 1;
}

static inline PHEAP_ENTRY RtlpHeapDataEntry(PVOID Data)
{
    return (PHEAP_ENTRY)Data - 1;
}

static inline PHEAP_ENTRY RtlpHeapNextEntry(PHEAP_ENTRY Entry)
{
    return (PHEAP_ENTRY)((PUCHAR)Entry + ((SIZE_T)Entry->Size << HEAP_GRANULARITY_SHIFT));
}

static inline PHEAP_ENTRY RtlpHeapPreviousEntry(PHEAP_ENTRY Entry)
{
    return (PHEAP_ENTRY)((PUCHAR)Entry - ((SIZE_T)Entry->PreviousSize << HEAP_GRANULARITY_SHIFT));
}

/*
 * The XOR of the header's bytes other than Checksum, and the cookie. It runs on
 * every allocation and free, so it works a word at a time: the first word holds
 * Size and PreviousSize, the second Checksum (its low byte, shifted out), Flags,
 * UnusedBytes and SegmentIndex; folding the XOR of the two leaves the XOR of the
 * seven bytes in the low byte.
 */
typedef ULONG __attribute__((may_alias)) HEAP_ENTRY_WORD;
C_ASSERT_OFFSET(HEAP_ENTRY, Checksum, 4);

static inline UCHAR RtlpHeapChecksum(PHEAP Heap, PHEAP_ENTRY Entry)
{
    const HEAP_ENTRY_WORD *Words = (const HEAP_ENTRY_WORD *)Entry;
    ULONG Fold = Words[0] ^ (Words[1] >> 8);

    Fold ^= Fold >> 16;
    Fold ^= Fold >> 8;
    return (UCHAR)(Fold ^ Heap->Cookie);
}

static inline BOOLEAN RtlpHeapEntrySound(PHEAP Heap, PHEAP_ENTRY Entry)
{
    return Entry->Checksum == RtlpHeapChecksum(Heap, Entry);
}

static inline VOID RtlpHeapSeal(PHEAP Heap, PHEAP_ENTRY Entry)
{
    Entry->Checksum = RtlpHeapChecksum(Heap, Entry);
}

/* Granules a request of Size bytes takes, header included (at least a free block's). */
static inline SIZE_T RtlpHeapGranules(SIZE_T Size)
{
    SIZE_T Granules = (Size + sizeof(HEAP_ENTRY) + HEAP_GRANULARITY - 1) >> HEAP_GRANULARITY_SHIFT;

    return Granules < HEAP_MINIMUM_BLOCK ? HEAP_MINIMUM_BLOCK : Granules;
}

static inline SIZE_T RtlpHeapRoundPage(SIZE_T Size)
{
    return (Size + HEAP_PAGE_SIZE - 1) & ~(SIZE_T)(HEAP_PAGE_SIZE - 1);
}

/* A block the caller may free, resize or size: busy, and not on a lookaside list. */
static inline BOOLEAN RtlpHeapEntryOwned(PHEAP_ENTRY Entry)
{
    return (Entry->Flags & (HEAP_ENTRY_BUSY | HEAP_ENTRY_LOOKASIDE)) == HEAP_ENTRY_BUSY;
}

/* What the caller asked for, of a busy block. */
static inline SIZE_T RtlpHeapRequestSize(PHEAP_ENTRY Entry)
{
    if (Entry->Flags & HEAP_ENTRY_VIRTUAL_ALLOC)
        return CONTAINING_RECORD(Entry, HEAP_VIRTUAL_BLOCK, Entry)->RequestSize;
    return ((SIZE_T)Entry->Size << HEAP_GRANULARITY_SHIFT) - sizeof(HEAP_ENTRY) - Entry->UnusedBytes;
}

/* Requests this big or bigger fail at once: their sizes could overflow. */
#define HEAP_MAXIMUM_REQUEST    ((SIZE_T)0x7FFF0000)

/* Copy and fill without a C library (ntdll links none). */
static inline VOID RtlpHeapCopy(PVOID Destination, const VOID *Source, SIZE_T Length)
{
    __asm__ volatile ("rep movsb" : "+D"(Destination), "+S"(Source), "+c"(Length) : : "memory");
}

static inline VOID RtlpHeapZero(PVOID Destination, SIZE_T Length)
{
    __asm__ volatile ("rep stosb" : "+D"(Destination), "+c"(Length) : "a"(0) : "memory");
}

/* The heap lock, unless this call or the heap says HEAP_NO_SERIALIZE. */
static inline VOID RtlpHeapLock(PHEAP Heap, ULONG Flags)
{
    if (!(Flags & HEAP_NO_SERIALIZE))
        RtlEnterCriticalSection(Heap->LockVariable);
}

static inline VOID RtlpHeapUnlock(PHEAP Heap, ULONG Flags)
{
    if (!(Flags & HEAP_NO_SERIALIZE))
        RtlLeaveCriticalSection(Heap->LockVariable);
}

/* ---- across the heap files (the heap lock held, unless NO_SERIALIZE) ---- */

/* heapalloc.c */
VOID RtlpHeapInsertFree(PHEAP Heap, PHEAP_ENTRY Entry);
VOID RtlpHeapRemoveFree(PHEAP Heap, PHEAP_ENTRY Entry);
VOID RtlpHeapMakeFreeRun(PHEAP Heap, PHEAP_ENTRY Start, SIZE_T Granules, USHORT PreviousSize,
                         UCHAR SegmentIndex, BOOLEAN Last);
VOID RtlpHeapSetBusySize(PHEAP Heap, PHEAP_ENTRY Entry, SIZE_T Total, SIZE_T Granules, BOOLEAN Last,
                         SIZE_T RequestSize);
VOID RtlpHeapCheckNext(PHEAP Heap, PHEAP_ENTRY Entry);
PVOID RtlpHeapAllocate(PHEAP Heap, SIZE_T Size);
VOID RtlpHeapFree(PHEAP Heap, PHEAP_ENTRY Entry);
VOID RtlpHeapCheckBusy(PHEAP Heap, PHEAP_ENTRY Entry);
/* heaplook.c */
PVOID RtlpHeapLookasideAllocate(PHEAP Heap, SIZE_T Size);
BOOLEAN RtlpHeapLookasideFree(PHEAP Heap, PHEAP_ENTRY Entry);
BOOLEAN RtlpHeapFlushLookaside(PHEAP Heap);
BOOLEAN RtlpHeapValidateLookaside(PHEAP Heap);
/* heapgrow.c */
BOOLEAN RtlpHeapExtend(PHEAP Heap, SIZE_T Granules);
VOID RtlpHeapInitializeSegment(PHEAP Heap, PHEAP_SEGMENT Segment, ULONG Index, PUCHAR Base,
                               PUCHAR CommittedEnd, PUCHAR ReservedEnd, PVOID FirstEntry);
VOID RtlpHeapReleaseFreeRun(PHEAP Heap, PHEAP_ENTRY Start, SIZE_T Granules, USHORT PreviousSize,
                            UCHAR SegmentIndex, BOOLEAN Last);
PVOID RtlpHeapAllocateVirtual(PHEAP Heap, SIZE_T Size);
VOID RtlpHeapFreeVirtual(PHEAP Heap, PHEAP_VIRTUAL_BLOCK Block);
/* heapcheck.c */
__attribute__((noreturn)) VOID RtlpHeapReportCorruption(PHEAP Heap, PVOID Address);

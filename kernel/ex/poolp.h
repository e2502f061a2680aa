/*
 * poolp.h - the pool allocator's private structures, shared by the four files that
 * make it up (NT keeps the same things in ntos\ex\pool.h):
 *
 *   pool.c     the allocator: POOL_HEADER blocks in pages, free lists, large
 *              allocations, the public entry points;
 *   poolchk.c  the corruption and misuse checks, and the bugchecks they end in;
 *   pooltag.c  per-tag usage (NT: PoolTrackTable);
 *   poolbig.c  the table of pages the pool holds (NT: PoolBigPageTable).
 *
 * Everything but the public entry points in pool.c runs with the pool lock held.
 */
#pragma once

#include <ex.h>
#include <nt/list.h>

/* ---- blocks ---- */

/*
 * NT's i386 pool header, in front of every small block. Sizes count 8-byte units
 * (POOL_BLOCK_SHIFT) and include the header. PreviousSize and BlockSize link the
 * blocks of one page: the first block has PreviousSize 0, and the block after B
 * starts at B + B.BlockSize units with PreviousSize == B.BlockSize.
 */
typedef struct _POOL_HEADER {
    union {
        struct {
            USHORT PreviousSize : 9;    /* size of the block before, 0 for the first */
            USHORT PoolIndex : 7;       /* NT: which descriptor of a type; always 0 */
            USHORT BlockSize : 9;       /* this block, header included */
            USHORT PoolType : 7;        /* 0 = free, else base pool type + 1 (NT) */
        };
        ULONG Ulong1;                   /* the four fields at once, for messages */
    };
    ULONG PoolTag;                      /* owner's tag; free blocks keep the last one */
} POOL_HEADER, *PPOOL_HEADER;

C_ASSERT_SIZE(POOL_HEADER, 8);

#define POOL_BLOCK_SHIFT    3
#define POOL_OVERHEAD       ((ULONG)sizeof(POOL_HEADER))
#define POOL_PAGE_UNITS     (PAGE_SIZE >> POOL_BLOCK_SHIFT)     /* 512 units */
/* The PoolType of a free block (NT: allocated blocks hold the type + 1). */
#define POOL_FREE_BLOCK     0

/*
 * The smallest block: a header and room for the LIST_ENTRY that links it on its
 * free list once freed. A 0-byte request gets this (8 usable bytes).
 */
#define POOL_MIN_BLOCK_UNITS 2

/*
 * Largest request served by small blocks (NT: POOL_BUDDY_MAX): a page less a header
 * and one unit, because BlockSize has 9 bits (at most 511 units, a page is 512).
 * Larger requests get whole pages.
 */
#define POOL_BUDDY_MAX      (PAGE_SIZE - (POOL_OVERHEAD + (1 << POOL_BLOCK_SHIFT)))

/*
 * Free lists: ListHeads[n] holds the free blocks of exactly n units (n >= 2; a free
 * block of one unit is only a header and waits on no list until a neighbour is freed
 * and absorbs it). The bitmap has bit n set while ListHeads[n] is not empty, so the
 * smallest fitting block is found with a few bit scans.
 */
#define POOL_LIST_HEADS     POOL_PAGE_UNITS
#define POOL_BITMAP_ULONGS  (POOL_LIST_HEADS / 32)

/* One base pool (NT: POOL_DESCRIPTOR, one per PoolVector[] entry). */
typedef struct _POOL_DESCRIPTOR {
    POOL_TYPE PoolType;         /* NonPagedPool or PagedPool */
    ULONG RunningAllocs;
    ULONG RunningDeAllocs;
    ULONG TotalPages;           /* pages carved into small blocks */
    ULONG TotalBigPages;        /* pages of large allocations */
    ULONG BigAllocations;       /* live large allocations */
    SIZE_T TotalBytes;          /* bytes in live blocks (see EX_POOL_TAG_USAGE) */
    ULONG NonEmptyLists[POOL_BITMAP_ULONGS];
    LIST_ENTRY ListHeads[POOL_LIST_HEADS];
} POOL_DESCRIPTOR, *PPOOL_DESCRIPTOR;

/* ---- block arithmetic ---- */

static inline POOL_TYPE ExpBasePoolType(POOL_TYPE PoolType)
{
    return (POOL_TYPE)(PoolType & BASE_POOL_TYPE_MASK);
}

/* The offset of Va in its page, in pool units. */
static inline ULONG ExpPageOffsetUnits(PCVOID Va)
{
    return (ULONG)(((ULONG_PTR)Va & (PAGE_SIZE - 1)) >> POOL_BLOCK_SHIFT);
}

static inline PPOOL_HEADER ExpBlockAt(PVOID Base, ULONG Units)
{
    return (PPOOL_HEADER)((PUCHAR)Base + (Units << POOL_BLOCK_SHIFT));
}

/* The block after Entry in its page, or NULL when Entry is the last one. */
static inline PPOOL_HEADER ExpNextBlockInPage(PPOOL_HEADER Entry)
{
    if (ExpPageOffsetUnits(Entry) + Entry->BlockSize >= POOL_PAGE_UNITS)
        return NULL;
    return ExpBlockAt(Entry, Entry->BlockSize);
}

/* A free block's links live in its body, just past the header. */
static inline PLIST_ENTRY ExpFreeLinks(PPOOL_HEADER Entry)
{
    return (PLIST_ENTRY)(Entry + 1);
}

static inline PPOOL_HEADER ExpFreeBlockFromLinks(PLIST_ENTRY Links)
{
    return (PPOOL_HEADER)Links - 1;
}

/* ---- per-tag usage (pooltag.c) ---- */

/* The tag under which a block is counted: PROTECTED_POOL does not make a new tag. */
#define POOL_TRACKER_KEY(Tag) ((Tag) & ~PROTECTED_POOL)

/* Finds the entry of Key, NULL when the tag was never used. */
PEX_POOL_TAG_USAGE ExpFindPoolTracker(ULONG Key);
/*
 * Finds or makes the entry of Key. The table grows (pages from MiAllocatePoolPages)
 * well before it is full; NULL only when it is full and cannot grow: the caller's
 * allocation then fails, so no usage is ever dropped.
 */
PEX_POOL_TAG_USAGE ExpInsertPoolTracker(ULONG Key);
VOID ExpTrackPoolAllocation(PEX_POOL_TAG_USAGE Tracker, POOL_TYPE BasePoolType, SIZE_T Bytes);
VOID ExpTrackPoolFree(PEX_POOL_TAG_USAGE Tracker, POOL_TYPE BasePoolType, SIZE_T Bytes);
ULONG ExpPoolTrackerPages(VOID);

/* ---- pages held by the pool (poolbig.c) ---- */

/*
 * One page or run of pages the pool holds: a large allocation (Va is what the caller
 * got) or a page of small blocks (NT knows those by address range; this pool has no
 * range of its own, so it registers them and can tell a pool pointer from any other).
 */
typedef struct _POOL_TRACKER_BIG_PAGES {
    PVOID Va;                   /* page aligned; NULL marks an empty slot */
    ULONG Key;                  /* a large allocation's tag, as given */
    ULONG NumberOfPages;
    USHORT PoolType;            /* as the caller asked (large) or the base pool (small) */
    USHORT Flags;               /* POOL_BIG_* */
} POOL_TRACKER_BIG_PAGES, *PPOOL_TRACKER_BIG_PAGES;

C_ASSERT_SIZE(POOL_TRACKER_BIG_PAGES, 16);

#define POOL_BIG_ALLOCATION     0x0001  /* a large allocation */
#define POOL_BIG_SMALL_BLOCKS   0x0002  /* a page carved into POOL_HEADER blocks */

/* FALSE when the table is full and cannot grow. */
BOOLEAN ExpInsertPoolPages(PVOID Va, ULONG NumberOfPages, ULONG Key, POOL_TYPE PoolType,
                           USHORT Flags);
/* The entry whose Va is exactly this page, or NULL. Valid until the next insert/remove. */
PPOOL_TRACKER_BIG_PAGES ExpFindPoolPages(PVOID Va);
VOID ExpRemovePoolPages(PPOOL_TRACKER_BIG_PAGES Entry);
ULONG ExpPoolBigPageTablePages(VOID);

/* ---- checks (poolchk.c): each returns only when all is well, else bugchecks ---- */

/* The page entry of the block or large allocation that starts at P. */
PPOOL_TRACKER_BIG_PAGES ExpCheckPoolAddress(PVOID P);
/*
 * Everything about freeing the small block at P with Tag: the page's chain up to
 * it and the header after it, that it is not free yet, the tag, and the free-list
 * links of the free neighbours it will merge with. Returns its usage entry, and its
 * neighbours in the page (NULL at the page's ends).
 */
PEX_POOL_TAG_USAGE ExpCheckSmallBlockFree(PPOOL_DESCRIPTOR Descriptor, PVOID P, ULONG Tag,
                                          PPOOL_HEADER *Before, PPOOL_HEADER *After);
/* The tag of freeing a large allocation; returns its usage entry. */
PEX_POOL_TAG_USAGE ExpCheckBigPagesFree(PPOOL_TRACKER_BIG_PAGES PageEntry, PVOID P, ULONG Tag);
/* A free block about to be unlinked: its links must lead back to it. */
VOID ExpCheckFreeLinks(PPOOL_HEADER Entry);
/* The first block on the list of Units-unit blocks must be a free block of that size. */
VOID ExpCheckListedBlock(PPOOL_HEADER Entry, ULONG Units);
__attribute__((noreturn))
VOID ExpMustSucceedFailed(SIZE_T NumberOfBytes, PPOOL_DESCRIPTOR NonPagedDescriptor);

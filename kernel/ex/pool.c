/*
 * pool.c - the executive pool allocator (NT: ExAllocatePoolWithTag, ExFreePoolWithTag
 * in ntos\ex\pool.c).
 *
 * Small requests (up to POOL_BUDDY_MAX = 4080 bytes) are blocks carved from whole
 * pages. Each block starts with NT's 8-byte POOL_HEADER; sizes count 8-byte units,
 * so every block, and the pointer handed out just past its header, is 8-byte aligned.
 * The blocks of a page form a chain through PreviousSize/BlockSize. A free block sits
 * on the free list of its exact size (NT's ListHeads); allocation takes the smallest
 * free block that fits and splits off the rest. Freeing merges the block with free
 * neighbours in its page, and a page whose blocks are all free again goes back to
 * the memory manager at once.
 *
 * Large requests get whole pages from the memory manager: page aligned, no header.
 * They are recorded (address, pages, tag, type) in the pool's page table
 * (poolbig.c), which also knows every page of small blocks.
 *
 * CacheAligned types: the block is placed so that the caller's pointer is
 * POOL_CACHE_ALIGNMENT (64) aligned; the header sits just before it as usual and the
 * gap before the header (at most 56 bytes) becomes a free block of its own. Requests
 * above PAGE_SIZE - 64 bytes get whole pages, which are aligned anyway.
 *
 * The two base pools (NonPagedPool, PagedPool) have separate descriptors: their own
 * pages, free lists and counters (NT: PoolVector[]). MustSucceed and CacheAligned
 * requests come from, and are counted in, their base pool, as in NT.
 *
 * Every free is checked before the pool changes (poolchk.c, which also lists the
 * bugcheck codes and parameters), and so is every free block taken off a list.
 */
#include "poolp.h"
#include <ke.h>
#include <kd.h>

static POOL_DESCRIPTOR NonPagedPoolDescriptor;
static POOL_DESCRIPTOR PagedPoolDescriptor;
static PPOOL_DESCRIPTOR const PoolVector[EX_BASE_POOL_TYPES] = {
    &NonPagedPoolDescriptor,
    &PagedPoolDescriptor,
};
static BOOLEAN ExpPoolInitialized;

/*
 * The pool lock (NT: ExLockPool). One processor, and interrupt handlers may allocate,
 * so holding it means interrupts off. The host unit tests run in a Linux process,
 * where cli faults, with a single thread: there the lock is nothing.
 */
#ifdef NT_HOST_TEST
static inline BOOLEAN ExpLockPool(VOID)
{
    return FALSE;
}

static inline VOID ExpUnlockPool(BOOLEAN InterruptsWereEnabled)
{
    UNREFERENCED_PARAMETER(InterruptsWereEnabled);
}
#else
static inline BOOLEAN ExpLockPool(VOID)
{
    return KiDisableInterrupts();
}

static inline VOID ExpUnlockPool(BOOLEAN InterruptsWereEnabled)
{
    KiRestoreInterrupts(InterruptsWereEnabled);
}
#endif

static inline BOOLEAN ExpIsValidPoolType(POOL_TYPE PoolType)
{
    return (ULONG)PoolType < MaxPoolType && PoolType != DontUseThisType;
}

static VOID ExpInitializePoolOnce(VOID)
{
    ULONG Pool, Index;

    if (ExpPoolInitialized)
        return;
    for (Pool = 0; Pool < EX_BASE_POOL_TYPES; Pool++) {
        PoolVector[Pool]->PoolType = (POOL_TYPE)Pool;
        for (Index = 0; Index < POOL_LIST_HEADS; Index++)
            InitializeListHead(&PoolVector[Pool]->ListHeads[Index]);
    }
    ExpPoolInitialized = TRUE;
}

/* ---- free lists ---- */

static VOID ExpInsertFreeBlock(PPOOL_DESCRIPTOR Descriptor, PPOOL_HEADER Entry)
{
    ULONG Units = Entry->BlockSize;

    if (Units < POOL_MIN_BLOCK_UNITS)
        return;     /* a lone header: found again only as a neighbour */
    InsertHeadList(&Descriptor->ListHeads[Units], ExpFreeLinks(Entry));
    Descriptor->NonEmptyLists[Units / 32] |= 1UL << (Units % 32);
}

static VOID ExpRemoveFreeBlock(PPOOL_DESCRIPTOR Descriptor, PPOOL_HEADER Entry)
{
    ULONG Units = Entry->BlockSize;

    if (Units < POOL_MIN_BLOCK_UNITS)
        return;
    ExpCheckFreeLinks(Entry);
    if (RemoveEntryList(ExpFreeLinks(Entry)))
        Descriptor->NonEmptyLists[Units / 32] &= ~(1UL << (Units % 32));
}

/* The smallest size of at least MinimumUnits with a non-empty list, or 0. */
static ULONG ExpFindFreeList(PPOOL_DESCRIPTOR Descriptor, ULONG MinimumUnits)
{
    ULONG Index, Bits;

    if (MinimumUnits >= POOL_LIST_HEADS)
        return 0;
    Index = MinimumUnits / 32;
    Bits = Descriptor->NonEmptyLists[Index] & (~0UL << (MinimumUnits % 32));
    while (Bits == 0) {
        if (++Index == POOL_BITMAP_ULONGS)
            return 0;
        Bits = Descriptor->NonEmptyLists[Index];
    }
    return Index * 32 + (ULONG)__builtin_ctzl(Bits);
}

/* Unlinks and returns the smallest free block of at least MinimumUnits, or NULL. */
static PPOOL_HEADER ExpTakeFreeBlock(PPOOL_DESCRIPTOR Descriptor, ULONG MinimumUnits)
{
    ULONG Units = ExpFindFreeList(Descriptor, MinimumUnits);
    PPOOL_HEADER Entry;

    if (Units == 0)
        return NULL;
    Entry = ExpFreeBlockFromLinks(Descriptor->ListHeads[Units].Flink);
    ExpCheckListedBlock(Entry, Units);
    ExpRemoveFreeBlock(Descriptor, Entry);     /* checks the links */
    return Entry;
}

/* ---- small blocks ---- */

/* Sets the PreviousSize of the block after one of Units units at Entry, if any. */
static VOID ExpSetNextPreviousSize(PPOOL_HEADER Entry, ULONG Units)
{
    if (ExpPageOffsetUnits(Entry) + Units < POOL_PAGE_UNITS)
        ExpBlockAt(Entry, Units)->PreviousSize = (USHORT)Units;
}

static VOID ExpMakeFreeBlock(PPOOL_DESCRIPTOR Descriptor, PPOOL_HEADER Entry,
                             ULONG PreviousSize, ULONG Units, ULONG Tag)
{
    Entry->PreviousSize = (USHORT)PreviousSize;
    Entry->PoolIndex = 0;
    Entry->BlockSize = (USHORT)Units;
    Entry->PoolType = POOL_FREE_BLOCK;
    Entry->PoolTag = Tag;
    ExpInsertFreeBlock(Descriptor, Entry);
}

/*
 * Carves a block of Units units out of the free region at Region (RegionUnits long,
 * up to a whole page, already off its list): Lead units stay free in front of it
 * (for alignment), the rest after it stays free too. Returns the new block's header.
 */
static PPOOL_HEADER ExpCarveBlock(PPOOL_DESCRIPTOR Descriptor, PPOOL_HEADER Region,
                                  ULONG PreviousSize, ULONG RegionUnits, ULONG Lead,
                                  ULONG Units, ULONG Tag)
{
    PPOOL_HEADER Entry = ExpBlockAt(Region, Lead);
    ULONG Rest = RegionUnits - Lead - Units;

    if (Lead != 0) {
        ExpMakeFreeBlock(Descriptor, Region, PreviousSize, Lead, 0);
        PreviousSize = Lead;
    }
    Entry->PreviousSize = (USHORT)PreviousSize;
    Entry->PoolIndex = 0;
    Entry->BlockSize = (USHORT)Units;
    Entry->PoolType = (USHORT)(Descriptor->PoolType + 1);
    Entry->PoolTag = Tag;
    if (Rest != 0) {
        ExpMakeFreeBlock(Descriptor, ExpBlockAt(Entry, Units), Units, Rest, 0);
        ExpSetNextPreviousSize(ExpBlockAt(Entry, Units), Rest);
    } else {
        ExpSetNextPreviousSize(Entry, Units);
    }
    return Entry;
}

/* Units of lead so that the body of a block at Region is cache aligned. */
static ULONG ExpCacheAlignLead(PPOOL_HEADER Region)
{
    ULONG_PTR Body = (ULONG_PTR)(Region + 1);
    ULONG_PTR Gap = (POOL_CACHE_ALIGNMENT - (Body & (POOL_CACHE_ALIGNMENT - 1))) &
                    (POOL_CACHE_ALIGNMENT - 1);

    return (ULONG)(Gap >> POOL_BLOCK_SHIFT);
}

/* A new page for small blocks, recorded in the page table. NULL when none. */
static PPOOL_HEADER ExpAddPoolPage(PPOOL_DESCRIPTOR Descriptor, POOL_TYPE PoolType)
{
    PVOID Page = MiAllocatePoolPages(PoolType, 1);

    if (Page == NULL)
        return NULL;
    if (!ExpInsertPoolPages(Page, 1, 0, Descriptor->PoolType, POOL_BIG_SMALL_BLOCKS)) {
        MiFreePoolPages(Page, 1);
        return NULL;
    }
    Descriptor->TotalPages++;
    return Page;
}

static VOID ExpReleasePoolPage(PPOOL_DESCRIPTOR Descriptor, PPOOL_TRACKER_BIG_PAGES PageEntry)
{
    PVOID Page = PageEntry->Va;

    ExpRemovePoolPages(PageEntry);
    Descriptor->TotalPages--;
    MiFreePoolPages(Page, 1);
}

static PVOID ExpAllocateSmallBlock(PPOOL_DESCRIPTOR Descriptor, POOL_TYPE PoolType,
                                   SIZE_T NumberOfBytes, ULONG Tag,
                                   PEX_POOL_TAG_USAGE Tracker)
{
    ULONG Units = (ULONG)((NumberOfBytes + POOL_OVERHEAD + (1 << POOL_BLOCK_SHIFT) - 1) >>
                          POOL_BLOCK_SHIFT);
    BOOLEAN CacheAligned = (PoolType & CACHE_ALIGNED_POOL_TYPE_MASK) != 0;
    ULONG Slack = CacheAligned ? (POOL_CACHE_ALIGNMENT >> POOL_BLOCK_SHIFT) - 1 : 0;
    PPOOL_HEADER Region, Entry;
    ULONG RegionUnits, PreviousSize;

    if (Units < POOL_MIN_BLOCK_UNITS)
        Units = POOL_MIN_BLOCK_UNITS;

    /*
     * A block that fits wherever it lies (the alignment lead is at most Slack units).
     * A smaller free block might fit by the luck of its address; it is not looked for.
     */
    Region = ExpTakeFreeBlock(Descriptor, Units + Slack);
    if (Region != NULL) {
        RegionUnits = Region->BlockSize;
        PreviousSize = Region->PreviousSize;
    } else {
        Region = ExpAddPoolPage(Descriptor, PoolType);
        if (Region == NULL)
            return NULL;
        RegionUnits = POOL_PAGE_UNITS;
        PreviousSize = 0;
    }

    Entry = ExpCarveBlock(Descriptor, Region, PreviousSize, RegionUnits,
                          CacheAligned ? ExpCacheAlignLead(Region) : 0, Units, Tag);
    Descriptor->RunningAllocs++;
    Descriptor->TotalBytes += Units << POOL_BLOCK_SHIFT;
    ExpTrackPoolAllocation(Tracker, Descriptor->PoolType, Units << POOL_BLOCK_SHIFT);
    return Entry + 1;
}

/*
 * Merges the block being freed with its free neighbours and puts the result on its
 * free list, or gives the page back when the result is the whole page. Checked
 * beforehand: nothing here can fail.
 */
static VOID ExpReleaseBlock(PPOOL_DESCRIPTOR Descriptor, PPOOL_TRACKER_BIG_PAGES PageEntry,
                            PPOOL_HEADER Entry, PPOOL_HEADER Before, PPOOL_HEADER After)
{
    PPOOL_HEADER Start = Entry;
    ULONG Units = Entry->BlockSize;

    /* A header left inside a merged block still says free: freeing it again is seen. */
    Entry->PoolType = POOL_FREE_BLOCK;
    if (After != NULL && After->PoolType == POOL_FREE_BLOCK) {
        ExpRemoveFreeBlock(Descriptor, After);
        Units += After->BlockSize;
    }
    if (Before != NULL && Before->PoolType == POOL_FREE_BLOCK) {
        ExpRemoveFreeBlock(Descriptor, Before);
        Units += Before->BlockSize;
        Start = Before;
    }

    if (Units == POOL_PAGE_UNITS) {
        ExpReleasePoolPage(Descriptor, PageEntry);
        return;
    }
    ExpMakeFreeBlock(Descriptor, Start, Start->PreviousSize, Units, Start->PoolTag);
    ExpSetNextPreviousSize(Start, Units);
}

static VOID ExpFreeSmallBlock(PPOOL_TRACKER_BIG_PAGES PageEntry, PVOID P, ULONG Tag)
{
    PPOOL_DESCRIPTOR Descriptor = PoolVector[PageEntry->PoolType];
    PPOOL_HEADER Entry = (PPOOL_HEADER)P - 1, Before, After;
    PEX_POOL_TAG_USAGE Tracker = ExpCheckSmallBlockFree(Descriptor, P, Tag, &Before, &After);
    ULONG Bytes = (ULONG)Entry->BlockSize << POOL_BLOCK_SHIFT;

    /* Everything is checked: from here on the pool changes and nothing bugchecks. */
    Descriptor->RunningDeAllocs++;
    Descriptor->TotalBytes -= Bytes;
    ExpTrackPoolFree(Tracker, Descriptor->PoolType, Bytes);
    ExpReleaseBlock(Descriptor, PageEntry, Entry, Before, After);
}

/* ---- large allocations ---- */

static PVOID ExpAllocateBigPages(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                 PEX_POOL_TAG_USAGE Tracker)
{
    PPOOL_DESCRIPTOR Descriptor = PoolVector[ExpBasePoolType(PoolType)];
    /* Rounded up without overflow: NumberOfBytes may be close to 4 GB. */
    ULONG Pages = (ULONG)(NumberOfBytes >> PAGE_SHIFT) + ((NumberOfBytes & (PAGE_SIZE - 1)) != 0);
    PVOID Va = MiAllocatePoolPages(PoolType, Pages);

    if (Va == NULL)
        return NULL;
    if (!ExpInsertPoolPages(Va, Pages, Tag, PoolType, POOL_BIG_ALLOCATION)) {
        MiFreePoolPages(Va, Pages);
        return NULL;
    }
    Descriptor->RunningAllocs++;
    Descriptor->BigAllocations++;
    Descriptor->TotalBigPages += Pages;
    Descriptor->TotalBytes += Pages << PAGE_SHIFT;
    ExpTrackPoolAllocation(Tracker, Descriptor->PoolType, Pages << PAGE_SHIFT);
    return Va;
}

static VOID ExpFreeBigPages(PPOOL_TRACKER_BIG_PAGES PageEntry, PVOID P, ULONG Tag)
{
    PPOOL_DESCRIPTOR Descriptor = PoolVector[ExpBasePoolType(PageEntry->PoolType)];
    ULONG Pages = PageEntry->NumberOfPages;
    PEX_POOL_TAG_USAGE Tracker = ExpCheckBigPagesFree(PageEntry, P, Tag);

    ExpRemovePoolPages(PageEntry);
    Descriptor->RunningDeAllocs++;
    Descriptor->BigAllocations--;
    Descriptor->TotalBigPages -= Pages;
    Descriptor->TotalBytes -= Pages << PAGE_SHIFT;
    ExpTrackPoolFree(Tracker, Descriptor->PoolType, Pages << PAGE_SHIFT);
    MiFreePoolPages(P, Pages);
}

/* ---- the public entry points ---- */

static BOOLEAN ExpIsSmallRequest(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    if (PoolType & CACHE_ALIGNED_POOL_TYPE_MASK)
        return NumberOfBytes <= PAGE_SIZE - POOL_CACHE_ALIGNMENT;
    return NumberOfBytes <= POOL_BUDDY_MAX;
}

static PVOID ExpAllocatePoolLocked(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    /* The usage entry first: when there is no room to count a block, there is no block. */
    PEX_POOL_TAG_USAGE Tracker = ExpInsertPoolTracker(POOL_TRACKER_KEY(Tag));

    if (Tracker == NULL)
        return NULL;
    if (ExpIsSmallRequest(PoolType, NumberOfBytes))
        return ExpAllocateSmallBlock(PoolVector[ExpBasePoolType(PoolType)], PoolType,
                                     NumberOfBytes, Tag, Tracker);
    return ExpAllocateBigPages(PoolType, NumberOfBytes, Tag, Tracker);
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    BOOLEAN Enabled;
    PVOID Block;

    if (!ExpIsValidPoolType(PoolType)) {
        DbgPrint("EX: ExAllocatePoolWithTag: pool type %lu is not one this pool serves\n",
                 (ULONG)PoolType);
        return NULL;
    }

    Enabled = ExpLockPool();
    ExpInitializePoolOnce();
    Block = ExpAllocatePoolLocked(PoolType, NumberOfBytes, Tag);
    if (Block == NULL && (PoolType & MUST_SUCCEED_POOL_TYPE_MASK))
        ExpMustSucceedFailed(NumberOfBytes, PoolVector[NonPagedPool]);
    ExpUnlockPool(Enabled);
    return Block;
}

PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, EX_UNTAGGED_POOL_TAG);
}

static VOID ExpFreePoolLocked(PVOID P, ULONG Tag)
{
    PPOOL_TRACKER_BIG_PAGES PageEntry = ExpCheckPoolAddress(P);

    if (PageEntry->Flags & POOL_BIG_ALLOCATION)
        ExpFreeBigPages(PageEntry, P, Tag);
    else
        ExpFreeSmallBlock(PageEntry, P, Tag);
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    BOOLEAN Enabled = ExpLockPool();

    ExpFreePoolLocked(P, Tag);
    ExpUnlockPool(Enabled);
}

VOID ExFreePool(PVOID P)
{
    ExFreePoolWithTag(P, 0);
}

NTSTATUS ExQueryPoolTagUsage(ULONG Tag, PEX_POOL_TAG_USAGE Usage)
{
    PEX_POOL_TAG_USAGE Tracker;
    BOOLEAN Enabled;

    if (Usage == NULL)
        return STATUS_INVALID_PARAMETER;
    Enabled = ExpLockPool();
    Tracker = ExpFindPoolTracker(POOL_TRACKER_KEY(Tag));
    if (Tracker != NULL)
        *Usage = *Tracker;
    ExpUnlockPool(Enabled);
    return Tracker != NULL ? STATUS_SUCCESS : STATUS_NOT_FOUND;
}

VOID ExQueryPoolUsage(PEX_POOL_USAGE Usage)
{
    BOOLEAN Enabled = ExpLockPool();
    ULONG Pool;

    Usage->TotalPagesHeld = 0;
    for (Pool = 0; Pool < EX_BASE_POOL_TYPES; Pool++) {
        PPOOL_DESCRIPTOR Descriptor = PoolVector[Pool];
        PEX_POOL_TYPE_USAGE Counters = &Usage->Pool[Pool];

        Counters->RunningAllocs = Descriptor->RunningAllocs;
        Counters->RunningDeAllocs = Descriptor->RunningDeAllocs;
        Counters->BlocksInUse = Descriptor->RunningAllocs - Descriptor->RunningDeAllocs;
        Counters->BytesInUse = Descriptor->TotalBytes;
        Counters->TotalPages = Descriptor->TotalPages;
        Counters->TotalBigPages = Descriptor->TotalBigPages;
        Counters->BigAllocations = Descriptor->BigAllocations;
        Usage->TotalPagesHeld += Descriptor->TotalPages + Descriptor->TotalBigPages;
    }
    Usage->TagTablePages = ExpPoolTrackerPages();
    Usage->BigPageTablePages = ExpPoolBigPageTablePages();
    Usage->TotalPagesHeld += Usage->TagTablePages + Usage->BigPageTablePages;
    ExpUnlockPool(Enabled);
}

/*
 * pooltag.c - how much pool each tag uses (NT: PoolTrackTable, the table behind
 * poolmon and !poolused).
 *
 * An open-addressing hash table keyed by tag, probed linearly. It starts in a static
 * array (so the first tags need no page) and doubles into pages from
 * MiAllocatePoolPages once it is half full. Entries are never removed: a tag's
 * counters are its history (allocations and frees since boot), so the table never
 * shrinks either. If it cannot grow it keeps filling its free slots, all but one
 * (an empty slot ends every probe); only a new tag that finds the table completely
 * full is refused, and the allocation that brought it fails: usage is never dropped
 * or counted under another tag.
 *
 * Called with the pool lock held (pool.c).
 */
#include "poolp.h"
#include <rtl.h>

/* A slot: 0 is a valid tag, so a separate word says whether the slot is used. */
typedef struct _POOL_TRACKER_TABLE {
    EX_POOL_TAG_USAGE Usage;
    ULONG InUse;
} POOL_TRACKER_TABLE, *PPOOL_TRACKER_TABLE;

C_ASSERT_SIZE(POOL_TRACKER_TABLE, 32);

#define POOL_TRACKER_STATIC_SHIFT 8         /* 256 slots, 8 KB, in .bss */
#define POOL_TRACKER_MAX_SHIFT    22        /* 4M slots (128 MB): far beyond any real need */
/* 2^32 divided by the golden ratio: multiplying by it spreads similar tags apart. */
#define POOL_HASH_MULTIPLIER      0x9E3779B1UL

static POOL_TRACKER_TABLE ExpStaticPoolTrackTable[1 << POOL_TRACKER_STATIC_SHIFT];
static PPOOL_TRACKER_TABLE PoolTrackTable = ExpStaticPoolTrackTable;
static ULONG PoolTrackTableShift = POOL_TRACKER_STATIC_SHIFT;  /* size is 1 << shift */
static ULONG PoolTrackTableCount;                               /* slots in use */
static ULONG PoolTrackTablePages;                               /* 0 while static */

static inline ULONG ExpTrackerSize(ULONG Shift)
{
    return 1UL << Shift;
}

/* The slot holding Key, or the empty slot where Key would go. */
static PPOOL_TRACKER_TABLE ExpLookupTrackerSlot(PPOOL_TRACKER_TABLE Table, ULONG Shift,
                                                ULONG Key)
{
    ULONG Mask = ExpTrackerSize(Shift) - 1;
    ULONG Index = (Key * POOL_HASH_MULTIPLIER) >> (32 - Shift);

    while (Table[Index].InUse && Table[Index].Usage.Tag != Key)
        Index = (Index + 1) & Mask;
    return &Table[Index];
}

/* Doubles the table into new pages. FALSE (table unchanged) when no pages are left. */
static BOOLEAN ExpGrowPoolTrackTable(VOID)
{
    ULONG NewShift = PoolTrackTableShift + 1;
    ULONG NewPages = (ExpTrackerSize(NewShift) * sizeof(POOL_TRACKER_TABLE)) >> PAGE_SHIFT;
    PPOOL_TRACKER_TABLE NewTable;
    ULONG Index;

    if (NewShift > POOL_TRACKER_MAX_SHIFT)
        return FALSE;
    NewTable = MiAllocatePoolPages(NonPagedPool, NewPages);
    if (NewTable == NULL)
        return FALSE;

    memset(NewTable, 0, NewPages << PAGE_SHIFT);
    for (Index = 0; Index < ExpTrackerSize(PoolTrackTableShift); Index++) {
        if (PoolTrackTable[Index].InUse)
            *ExpLookupTrackerSlot(NewTable, NewShift, PoolTrackTable[Index].Usage.Tag) =
                PoolTrackTable[Index];
    }

    if (PoolTrackTablePages != 0)
        MiFreePoolPages(PoolTrackTable, PoolTrackTablePages);
    PoolTrackTable = NewTable;
    PoolTrackTableShift = NewShift;
    PoolTrackTablePages = NewPages;
    return TRUE;
}

PEX_POOL_TAG_USAGE ExpFindPoolTracker(ULONG Key)
{
    PPOOL_TRACKER_TABLE Slot = ExpLookupTrackerSlot(PoolTrackTable, PoolTrackTableShift, Key);

    return Slot->InUse ? &Slot->Usage : NULL;
}

PEX_POOL_TAG_USAGE ExpInsertPoolTracker(ULONG Key)
{
    PPOOL_TRACKER_TABLE Slot = ExpLookupTrackerSlot(PoolTrackTable, PoolTrackTableShift, Key);

    if (Slot->InUse)
        return &Slot->Usage;

    /* Grow at half full, so probes stay short; a failure here is not yet fatal. */
    if ((PoolTrackTableCount + 1) * 2 > ExpTrackerSize(PoolTrackTableShift) &&
        ExpGrowPoolTrackTable())
        Slot = ExpLookupTrackerSlot(PoolTrackTable, PoolTrackTableShift, Key);

    if (PoolTrackTableCount + 1 >= ExpTrackerSize(PoolTrackTableShift))
        return NULL;

    memset(Slot, 0, sizeof(*Slot));
    Slot->InUse = TRUE;
    Slot->Usage.Tag = Key;
    PoolTrackTableCount++;
    return &Slot->Usage;
}

VOID ExpTrackPoolAllocation(PEX_POOL_TAG_USAGE Tracker, POOL_TYPE BasePoolType, SIZE_T Bytes)
{
    if (BasePoolType == PagedPool) {
        Tracker->PagedAllocs++;
        Tracker->PagedBytes += Bytes;
    } else {
        Tracker->NonPagedAllocs++;
        Tracker->NonPagedBytes += Bytes;
    }
}

VOID ExpTrackPoolFree(PEX_POOL_TAG_USAGE Tracker, POOL_TYPE BasePoolType, SIZE_T Bytes)
{
    if (BasePoolType == PagedPool) {
        Tracker->PagedFrees++;
        Tracker->PagedBytes -= Bytes;
    } else {
        Tracker->NonPagedFrees++;
        Tracker->NonPagedBytes -= Bytes;
    }
}

ULONG ExpPoolTrackerPages(VOID)
{
    return PoolTrackTablePages;
}

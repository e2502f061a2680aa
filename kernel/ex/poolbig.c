/*
 * poolbig.c - the pages the pool holds (NT: PoolBigPageTable, ExpAddTagForBigPages,
 * ExpFindAndRemoveTagBigPages).
 *
 * NT records every large allocation here (address, pages, tag), because a large
 * allocation has no header: ExFreePool of a page-aligned address looks it up to learn
 * its size and tag. This pool also records its pages of small blocks, because it has
 * no address range of its own (NT tells its pool pages by MmNonPagedPoolStart/End):
 * with them here, a free can tell a pool pointer from any other pointer before it
 * reads a single header.
 *
 * An open-addressing hash table keyed by page address, probed linearly, with
 * backward-shift deletion (no tombstones, so lookups never slow down with churn).
 * It starts in a static array, doubles into pages from MiAllocatePoolPages once half
 * full, and moves back into the static array when it empties to a quarter of that,
 * so a pool that returns to idle holds no page for this table.
 *
 * Called with the pool lock held (pool.c).
 */
#include "poolp.h"
#include <rtl.h>

#define POOL_BIG_TABLE_STATIC_SHIFT 8       /* 256 slots, 4 KB, in .bss */
#define POOL_BIG_TABLE_MAX_SHIFT    22      /* 4M slots: more than 2 GB of pool */
#define POOL_HASH_MULTIPLIER        0x9E3779B1UL    /* 2^32 / golden ratio */

static POOL_TRACKER_BIG_PAGES ExpStaticBigPageTable[1 << POOL_BIG_TABLE_STATIC_SHIFT];
static PPOOL_TRACKER_BIG_PAGES PoolBigPageTable = ExpStaticBigPageTable;
static ULONG PoolBigPageTableShift = POOL_BIG_TABLE_STATIC_SHIFT;  /* size is 1 << shift */
static ULONG PoolBigPageTableCount;                                 /* slots in use */
static ULONG PoolBigPageTablePages;                                 /* 0 while static */

static inline ULONG ExpBigTableSize(ULONG Shift)
{
    return 1UL << Shift;
}

static inline ULONG ExpHashPage(PVOID Va, ULONG Shift)
{
    return (((ULONG_PTR)Va >> PAGE_SHIFT) * POOL_HASH_MULTIPLIER) >> (32 - Shift);
}

/* The slot holding Va, or the empty slot where Va would go. */
static PPOOL_TRACKER_BIG_PAGES ExpLookupBigSlot(PPOOL_TRACKER_BIG_PAGES Table, ULONG Shift,
                                                PVOID Va)
{
    ULONG Mask = ExpBigTableSize(Shift) - 1;
    ULONG Index = ExpHashPage(Va, Shift);

    while (Table[Index].Va != NULL && Table[Index].Va != Va)
        Index = (Index + 1) & Mask;
    return &Table[Index];
}

/*
 * Moves every entry into NewTable (zeroed, 1 << NewShift slots, NewPages pages of
 * its own or 0 for the static array) and gives back the old table's pages.
 */
static VOID ExpRehashBigPageTable(PPOOL_TRACKER_BIG_PAGES NewTable, ULONG NewShift,
                                  ULONG NewPages)
{
    ULONG Index;

    for (Index = 0; Index < ExpBigTableSize(PoolBigPageTableShift); Index++) {
        if (PoolBigPageTable[Index].Va != NULL)
            *ExpLookupBigSlot(NewTable, NewShift, PoolBigPageTable[Index].Va) =
                PoolBigPageTable[Index];
    }

    if (PoolBigPageTablePages != 0)
        MiFreePoolPages(PoolBigPageTable, PoolBigPageTablePages);
    PoolBigPageTable = NewTable;
    PoolBigPageTableShift = NewShift;
    PoolBigPageTablePages = NewPages;
}

/* Doubles the table. FALSE (table unchanged) when no pages are left. */
static BOOLEAN ExpGrowBigPageTable(VOID)
{
    ULONG NewShift = PoolBigPageTableShift + 1;
    ULONG NewPages = (ExpBigTableSize(NewShift) * sizeof(POOL_TRACKER_BIG_PAGES)) >> PAGE_SHIFT;
    PPOOL_TRACKER_BIG_PAGES NewTable;

    if (NewShift > POOL_BIG_TABLE_MAX_SHIFT)
        return FALSE;
    NewTable = MiAllocatePoolPages(NonPagedPool, NewPages);
    if (NewTable == NULL)
        return FALSE;
    memset(NewTable, 0, NewPages << PAGE_SHIFT);
    ExpRehashBigPageTable(NewTable, NewShift, NewPages);
    return TRUE;
}

/*
 * Back into the static array once the entries would fill only a quarter of it: well
 * below the half-full point where it grows, so an alloc/free pair at the boundary
 * does not move the table back and forth. Needs no page, so it cannot fail.
 */
static VOID ExpShrinkBigPageTable(VOID)
{
    if (PoolBigPageTablePages == 0 ||
        PoolBigPageTableCount > ExpBigTableSize(POOL_BIG_TABLE_STATIC_SHIFT) / 4)
        return;
    memset(ExpStaticBigPageTable, 0, sizeof(ExpStaticBigPageTable));
    ExpRehashBigPageTable(ExpStaticBigPageTable, POOL_BIG_TABLE_STATIC_SHIFT, 0);
}

BOOLEAN ExpInsertPoolPages(PVOID Va, ULONG NumberOfPages, ULONG Key, POOL_TYPE PoolType,
                           USHORT Flags)
{
    PPOOL_TRACKER_BIG_PAGES Slot;

    /* Grow at half full; if that fails, the free slots still serve, all but one. */
    if ((PoolBigPageTableCount + 1) * 2 > ExpBigTableSize(PoolBigPageTableShift))
        ExpGrowBigPageTable();
    if (PoolBigPageTableCount + 1 >= ExpBigTableSize(PoolBigPageTableShift))
        return FALSE;

    /* The provider never hands out a page the pool still holds, so Va is not here. */
    Slot = ExpLookupBigSlot(PoolBigPageTable, PoolBigPageTableShift, Va);
    Slot->Va = Va;
    Slot->Key = Key;
    Slot->NumberOfPages = NumberOfPages;
    Slot->PoolType = (USHORT)PoolType;
    Slot->Flags = Flags;
    PoolBigPageTableCount++;
    return TRUE;
}

PPOOL_TRACKER_BIG_PAGES ExpFindPoolPages(PVOID Va)
{
    PPOOL_TRACKER_BIG_PAGES Slot = ExpLookupBigSlot(PoolBigPageTable, PoolBigPageTableShift, Va);

    return Slot->Va != NULL ? Slot : NULL;
}

/*
 * Empties the slot, then walks the run of entries after it: each one that may live
 * in the hole (its home slot is not between the hole and itself) moves into it, and
 * its old slot becomes the hole. Every entry stays reachable from its home slot.
 */
VOID ExpRemovePoolPages(PPOOL_TRACKER_BIG_PAGES Entry)
{
    ULONG Mask = ExpBigTableSize(PoolBigPageTableShift) - 1;
    ULONG Hole = (ULONG)(Entry - PoolBigPageTable);
    ULONG Next = (Hole + 1) & Mask;
    ULONG Home;

    PoolBigPageTable[Hole].Va = NULL;
    while (PoolBigPageTable[Next].Va != NULL) {
        Home = ExpHashPage(PoolBigPageTable[Next].Va, PoolBigPageTableShift);
        if (((Next - Home) & Mask) >= ((Next - Hole) & Mask)) {
            PoolBigPageTable[Hole] = PoolBigPageTable[Next];
            PoolBigPageTable[Next].Va = NULL;
            Hole = Next;
        }
        Next = (Next + 1) & Mask;
    }
    PoolBigPageTableCount--;
    ExpShrinkBigPageTable();
}

ULONG ExpPoolBigPageTablePages(VOID)
{
    return PoolBigPageTablePages;
}

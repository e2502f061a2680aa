/*
 * poolchk.c - the pool's corruption and misuse checks (NT: the checks inside
 * ExFreePoolWithTag and ExpCheckSingleFreeList, and the pool walk of the verifier).
 *
 * A free first finds P's page in the pool's page table, so a pointer that is not the
 * pool's is refused before any of its memory is read. For a small block it then walks
 * the page's chain from the first block to the one being freed, checking every header
 * on the way: NT walks pages like this only under the verifier, but a page holds at
 * most 256 blocks, and a free that trusted one bad header would spread the damage.
 * The header after the block and the free-list links of the neighbours it will merge
 * with are checked too. All of this runs before the pool changes, so a bugcheck
 * leaves the pool exactly as it found it (which is also what lets the unit tests
 * provoke each one and carry on). Each bugcheck is preceded by a DbgPrint saying
 * what was found, where, and which tags are involved.
 *
 * Bugchecks (Parameter1 values are NT's; the other parameters follow NT's meaning):
 *
 *   BAD_POOL_CALLER (0xC2)
 *     0x07 the block was already freed        P2 0, P3 the header's first ULONG
 *          (its header says free, or it lies       (PreviousSize, PoolIndex,
 *          inside a free block it merged into)     BlockSize, PoolType), P4 the address
 *     0x0A the tag given to ExFreePoolWithTag P2 the address, P3 the block's tag,
 *          is not the block's tag (or it is 0      P4 the tag given
 *          and the block's tag is PROTECTED_POOL)
 *     0x42 the address is in no page the pool P2 the address, P3 0, P4 0
 *          holds (never allocated, a large
 *          allocation already freed, or past
 *          the first page of one)
 *     0x46 an invalid pool address: NULL, not P2 the address, P3 0, P4 0
 *          8-byte aligned, or in a pool page
 *          but not where a block starts
 *
 *   BAD_POOL_HEADER (0x19)
 *     0x03 a free list is corrupt (a free     P2 the free block's LIST_ENTRY, P3 its
 *          block was written after its free)       Flink->Blink, P4 its Blink->Flink
 *                                                  (all three equal when healthy)
 *     0x05 two adjacent headers disagree: a   P2 the header, P3 0, P4 the header
 *          PreviousSize is not the BlockSize       before it
 *          of the block before (an overrun
 *          into the next header)
 *     0x06 a header field is impossible: the  P2 the header, P3 its first ULONG, P4 0
 *          first block's PreviousSize is not
 *          0, the PoolType is not the page's,
 *          or the tag has no usage entry
 *     0x20 a BlockSize is 0 or runs past the  P2 the header, P3 where the next block
 *          end of its page                         would start, P4 its first ULONG
 *
 *   MUST_SUCCEED_POOL_EMPTY (0x41): a MustSucceed request could not be met.
 *          P1 the bytes asked for, P2 non-paged pool pages held, P3 live non-paged
 *          allocations larger than a page, P4 0 (the memory manager has no page).
 */
#include "poolp.h"
#include <ke.h>
#include <kd.h>

#define POOL_CALLER_ALREADY_FREED       0x07
#define POOL_CALLER_WRONG_TAG           0x0A
#define POOL_CALLER_NOT_IN_ANY_POOL     0x42
#define POOL_CALLER_INVALID_ADDRESS     0x46

#define POOL_HEADER_FREE_LIST_CORRUPT   0x03
#define POOL_HEADER_NEIGHBOURS_DISAGREE 0x05
#define POOL_HEADER_BAD_FIELD           0x06
#define POOL_HEADER_BAD_BLOCK_SIZE      0x20

/* Room for a tag shown as four characters and a NUL. */
#define POOL_TAG_TEXT 5

/*
 * The tag as four printable characters for messages, '.' for the others; without
 * PROTECTED_POOL, so 'Secr' shows as such (messages give the hex value too).
 */
static PCSTR ExpTagText(ULONG Tag, PCHAR Text)
{
    ULONG Index;

    for (Index = 0; Index < 4; Index++) {
        UCHAR Character = (UCHAR)((Tag & ~PROTECTED_POOL) >> (Index * 8));
        Text[Index] = (Character >= 0x20 && Character < 0x7F) ? (CHAR)Character : '.';
    }
    Text[4] = '\0';
    return Text;
}

__attribute__((noreturn))
static VOID ExpBadPoolCaller(ULONG Code, PVOID P, PCSTR Why)
{
    DbgPrint("EX: ExFreePool(%p): %s\n", P, Why);
    KeBugCheckEx(BAD_POOL_CALLER, Code, (ULONG_PTR)P, 0, 0);
}

VOID ExpCheckFreeLinks(PPOOL_HEADER Entry)
{
    PLIST_ENTRY Links = ExpFreeLinks(Entry);
    PLIST_ENTRY FlinkBack = Links->Flink->Blink, BlinkBack = Links->Blink->Flink;
    CHAR Text[POOL_TAG_TEXT];

    if (FlinkBack == Links && BlinkBack == Links)
        return;
    DbgPrint("EX: pool free list corrupt at free block %p (%lu bytes, last tag '%s'): "
             "Flink %p and Blink %p lead back to %p and %p; written after it was freed?\n",
             Entry, (ULONG)Entry->BlockSize << POOL_BLOCK_SHIFT,
             ExpTagText(Entry->PoolTag, Text), Links->Flink, Links->Blink, FlinkBack,
             BlinkBack);
    KeBugCheckEx(BAD_POOL_HEADER, POOL_HEADER_FREE_LIST_CORRUPT, (ULONG_PTR)Links,
                 (ULONG_PTR)FlinkBack, (ULONG_PTR)BlinkBack);
}

VOID ExpCheckListedBlock(PPOOL_HEADER Entry, ULONG Units)
{
    PLIST_ENTRY Links = ExpFreeLinks(Entry);

    if (Entry->PoolType == POOL_FREE_BLOCK && Entry->BlockSize == Units)
        return;
    DbgPrint("EX: the pool free list of %lu-byte blocks holds %p, whose header says "
             "BlockSize %lu, PoolType %lu: the list or the block was overwritten\n",
             Units << POOL_BLOCK_SHIFT, Entry, (ULONG)Entry->BlockSize,
             (ULONG)Entry->PoolType);
    KeBugCheckEx(BAD_POOL_HEADER, POOL_HEADER_FREE_LIST_CORRUPT, (ULONG_PTR)Links,
                 (ULONG_PTR)Links->Flink->Blink, (ULONG_PTR)Links->Blink->Flink);
}

/*
 * The header of Entry, Offset units into its page, against the block before it
 * (Before, NULL for the first block) and against its page.
 */
static VOID ExpCheckPoolHeader(PPOOL_DESCRIPTOR Descriptor, PPOOL_HEADER Entry,
                               PPOOL_HEADER Before, ULONG Offset)
{
    ULONG BlockSize = Entry->BlockSize;
    CHAR Text[POOL_TAG_TEXT], BeforeText[POOL_TAG_TEXT];

    if (BlockSize == 0 || Offset + BlockSize > POOL_PAGE_UNITS) {
        DbgPrint("EX: pool header %p (tag '%s') is corrupt: its BlockSize, %lu, %s\n", Entry,
                 ExpTagText(Entry->PoolTag, Text), BlockSize,
                 BlockSize == 0 ? "cannot be 0" : "runs past the end of its page");
        KeBugCheckEx(BAD_POOL_HEADER, POOL_HEADER_BAD_BLOCK_SIZE, (ULONG_PTR)Entry,
                     (ULONG_PTR)ExpBlockAt(Entry, BlockSize), Entry->Ulong1);
    }
    if (Before == NULL && Entry->PreviousSize != 0) {
        DbgPrint("EX: pool header %p (tag '%s') is corrupt: the first block of its page "
                 "has PreviousSize %lu\n", Entry, ExpTagText(Entry->PoolTag, Text),
                 (ULONG)Entry->PreviousSize);
        KeBugCheckEx(BAD_POOL_HEADER, POOL_HEADER_BAD_FIELD, (ULONG_PTR)Entry, Entry->Ulong1, 0);
    }
    if (Before != NULL && Entry->PreviousSize != Before->BlockSize) {
        DbgPrint("EX: pool headers disagree: block %p (tag '%s') has BlockSize %lu, the "
                 "next one, %p (tag '%s'), has PreviousSize %lu: did '%s' overrun its "
                 "block?\n", Before, ExpTagText(Before->PoolTag, BeforeText),
                 (ULONG)Before->BlockSize, Entry, ExpTagText(Entry->PoolTag, Text),
                 (ULONG)Entry->PreviousSize, BeforeText);
        KeBugCheckEx(BAD_POOL_HEADER, POOL_HEADER_NEIGHBOURS_DISAGREE, (ULONG_PTR)Entry, 0,
                     (ULONG_PTR)Before);
    }
    if (Entry->PoolType != POOL_FREE_BLOCK && Entry->PoolType != Descriptor->PoolType + 1) {
        DbgPrint("EX: pool header %p (tag '%s') is corrupt: PoolType %lu in a page of "
                 "pool type %lu\n", Entry, ExpTagText(Entry->PoolTag, Text),
                 (ULONG)Entry->PoolType, (ULONG)Descriptor->PoolType);
        KeBugCheckEx(BAD_POOL_HEADER, POOL_HEADER_BAD_FIELD, (ULONG_PTR)Entry, Entry->Ulong1, 0);
    }
}

/*
 * Walks the page of Header from its first block, checking each header, to the block
 * whose extent holds Header. Returns that block, and the one before it in *Before.
 */
static PPOOL_HEADER ExpFindBlockInPage(PPOOL_DESCRIPTOR Descriptor, PPOOL_HEADER Header,
                                       PPOOL_HEADER *Before)
{
    PPOOL_HEADER Entry = (PPOOL_HEADER)PAGE_ALIGN(Header), Previous = NULL;
    ULONG Offset = 0, Target = ExpPageOffsetUnits(Header);

    for (;;) {
        ExpCheckPoolHeader(Descriptor, Entry, Previous, Offset);
        if (Target < Offset + Entry->BlockSize)
            break;
        Previous = Entry;
        Offset += Entry->BlockSize;
        Entry = ExpBlockAt(Entry, Entry->BlockSize);
    }
    *Before = Previous;
    return Entry;
}

static VOID ExpCheckFreeTag(PVOID P, ULONG BlockTag, ULONG Tag)
{
    CHAR BlockText[POOL_TAG_TEXT], Text[POOL_TAG_TEXT];

    if (Tag == 0 ? (BlockTag & PROTECTED_POOL) == 0 : Tag == BlockTag)
        return;
    DbgPrint("EX: ExFreePoolWithTag(%p, '%s' %08lx): the block was allocated with tag "
             "'%s' %08lx%s\n", P, ExpTagText(Tag, Text), Tag, ExpTagText(BlockTag, BlockText),
             BlockTag, Tag == 0 ? ", a protected tag that must be given" : "");
    KeBugCheckEx(BAD_POOL_CALLER, POOL_CALLER_WRONG_TAG, (ULONG_PTR)P, BlockTag, Tag);
}

/* The usage entry a block is counted under: it must exist, the allocation made it. */
static PEX_POOL_TAG_USAGE ExpTrackerOfBlock(PVOID Block, ULONG BlockTag, ULONG Contents)
{
    PEX_POOL_TAG_USAGE Tracker = ExpFindPoolTracker(POOL_TRACKER_KEY(BlockTag));
    CHAR Text[POOL_TAG_TEXT];

    if (Tracker != NULL)
        return Tracker;
    DbgPrint("EX: pool block %p has tag '%s' %08lx, which no allocation ever used: its "
             "header was overwritten\n", Block, ExpTagText(BlockTag, Text), BlockTag);
    KeBugCheckEx(BAD_POOL_HEADER, POOL_HEADER_BAD_FIELD, (ULONG_PTR)Block, Contents, 0);
}

PPOOL_TRACKER_BIG_PAGES ExpCheckPoolAddress(PVOID P)
{
    PPOOL_TRACKER_BIG_PAGES PageEntry;

    if (P == NULL)
        ExpBadPoolCaller(POOL_CALLER_INVALID_ADDRESS, P, "NULL is not a pool block");
    if ((ULONG_PTR)P & ((1 << POOL_BLOCK_SHIFT) - 1))
        ExpBadPoolCaller(POOL_CALLER_INVALID_ADDRESS, P, "not 8-byte aligned, so no pool block");

    PageEntry = ExpFindPoolPages(PAGE_ALIGN(P));
    if (PageEntry == NULL)
        ExpBadPoolCaller(POOL_CALLER_NOT_IN_ANY_POOL, P, "not in a page the pool holds "
                         "(never allocated, or already freed)");
    if ((PageEntry->Flags & POOL_BIG_ALLOCATION) && PageEntry->Va != P)
        ExpBadPoolCaller(POOL_CALLER_INVALID_ADDRESS, P, "inside a large allocation, not at "
                         "its start");
    if ((PageEntry->Flags & POOL_BIG_SMALL_BLOCKS) && P == PAGE_ALIGN(P))
        ExpBadPoolCaller(POOL_CALLER_INVALID_ADDRESS, P, "the start of a page of small "
                         "blocks, where no block's body can start");
    return PageEntry;
}

PEX_POOL_TAG_USAGE ExpCheckSmallBlockFree(PPOOL_DESCRIPTOR Descriptor, PVOID P, ULONG Tag,
                                          PPOOL_HEADER *Before, PPOOL_HEADER *After)
{
    PPOOL_HEADER Entry = (PPOOL_HEADER)P - 1;
    PPOOL_HEADER Block = ExpFindBlockInPage(Descriptor, Entry, Before);
    PEX_POOL_TAG_USAGE Tracker;
    CHAR Text[POOL_TAG_TEXT];

    if (Block->PoolType == POOL_FREE_BLOCK) {
        DbgPrint("EX: ExFreePool(%p): the block was already freed (%s, header %p, "
                 "last tag '%s')\n", P, Block == Entry ? "its header says free" :
                 "and merged: it lies inside a free block", Block,
                 ExpTagText(Block->PoolTag, Text));
        KeBugCheckEx(BAD_POOL_CALLER, POOL_CALLER_ALREADY_FREED, 0, Entry->Ulong1,
                     (ULONG_PTR)P);
    }
    if (Block != Entry) {
        DbgPrint("EX: ExFreePool(%p): not the start of a block; it lies inside the block "
                 "with header %p (tag '%s')\n", P, Block, ExpTagText(Block->PoolTag, Text));
        KeBugCheckEx(BAD_POOL_CALLER, POOL_CALLER_INVALID_ADDRESS, (ULONG_PTR)P, 0, 0);
    }
    ExpCheckFreeTag(P, Entry->PoolTag, Tag);
    Tracker = ExpTrackerOfBlock(Entry, Entry->PoolTag, Entry->Ulong1);

    /* The neighbours it will merge with must be sound before anything is unlinked. */
    *After = ExpNextBlockInPage(Entry);
    if (*After != NULL) {
        ExpCheckPoolHeader(Descriptor, *After, Entry, ExpPageOffsetUnits(*After));
        if ((*After)->PoolType == POOL_FREE_BLOCK && (*After)->BlockSize >= POOL_MIN_BLOCK_UNITS)
            ExpCheckFreeLinks(*After);
    }
    if (*Before != NULL && (*Before)->PoolType == POOL_FREE_BLOCK &&
        (*Before)->BlockSize >= POOL_MIN_BLOCK_UNITS)
        ExpCheckFreeLinks(*Before);
    return Tracker;
}

PEX_POOL_TAG_USAGE ExpCheckBigPagesFree(PPOOL_TRACKER_BIG_PAGES PageEntry, PVOID P, ULONG Tag)
{
    ExpCheckFreeTag(P, PageEntry->Key, Tag);
    return ExpTrackerOfBlock(P, PageEntry->Key, 0);
}

VOID ExpMustSucceedFailed(SIZE_T NumberOfBytes, PPOOL_DESCRIPTOR NonPagedDescriptor)
{
    DbgPrint("EX: a must-succeed request for %lu bytes of non-paged pool cannot be met: "
             "the memory manager has no page left\n", (ULONG)NumberOfBytes);
    KeBugCheckEx(MUST_SUCCEED_POOL_EMPTY, NumberOfBytes,
                 NonPagedDescriptor->TotalPages + NonPagedDescriptor->TotalBigPages,
                 NonPagedDescriptor->BigAllocations, 0);
}

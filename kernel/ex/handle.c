/*
 * handle.c - the executive's handle tables (NT: ntos\ex\handle.c: ExCreateHandleTable,
 * ExCreateHandle, ExMapHandleToPointer, ExDupHandleTable, ExSweepHandleTable, ...).
 *
 * Layout (NT's, for i386). A table is one, two or three levels of pages:
 *
 *   level 0:  TableCode -> [ 512 entries ]                         handles 0 .. 0x7FC
 *   level 1:  TableCode -> [ 1024 page pointers ] -> [ 512 entries ]
 *   level 2:  TableCode -> [ 32 pointers ] -> [ 1024 ] -> [ 512 entries ]
 *
 * The low two bits of TableCode hold the level. A handle value / 4 is the index of
 * its entry: index % 512 picks the entry in its page, index / 512 the page. Pages
 * are added one at a time as the table fills and never move, so an entry's address
 * stays valid while the table lives. 32 * 1024 * 512 = 2^24 handles is NT's limit.
 *
 * Free entries hold NULL. Entry 0 of every page is never a handle (NT reserves it
 * as well, which is why handle 0 is never valid); here it holds the page's summary:
 * bit g is set when one of the entries 8g .. 8g+7 is free. With FirstFree, an index
 * below which nothing is free, the lowest free entry is found by skipping full
 * pages, one bit scan and at most eight entry reads.
 *
 * Locking. NT locks single entries with a bit in the entry and the table with push
 * locks. Here there is one processor and no sleeping locks yet, so the table lock
 * keeps interrupts off for the few instructions of a lookup or an update (the pool
 * may be called inside: it allows that). Callbacks that may do real work (the
 * sweep's, the enumeration's, the destroy procedure) run outside the lock with a
 * copy of the entry. The host unit tests run single-threaded: there the lock only
 * checks that it is not taken twice.
 */
#include <ex.h>
#include <ke.h>
#include <rtl.h>

#define EX_HANDLE_TABLE_TAG EX_POOL_TAG('O', 'b', 't', 'b')    /* NT's tag for them */

#define HANDLE_VALUE_INC    4
#define MAX_HANDLES         (1UL << 24)
#define LOWLEVEL_COUNT      (PAGE_SIZE / sizeof(HANDLE_TABLE_ENTRY))    /* 512 entries */
#define MIDLEVEL_COUNT      (PAGE_SIZE / sizeof(PHANDLE_TABLE_ENTRY))   /* 1024 pages */
#define HIGHLEVEL_COUNT     (MAX_HANDLES / (LOWLEVEL_COUNT * MIDLEVEL_COUNT)) /* 32 */
#define LEVEL_CODE_MASK     3UL
#define MAX_PAGES           (MIDLEVEL_COUNT * HIGHLEVEL_COUNT)
#define PAGE_HANDLE_SPAN    (LOWLEVEL_COUNT * HANDLE_VALUE_INC)    /* handle values per page */

#define GROUP_SIZE          8   /* entries per summary bit: 512 / 8 = 64 bits */

/* Entry 0 of a page. */
typedef struct _EXP_PAGE_SUMMARY {
    ULONG FreeGroups[2];        /* bit g of the 64: an entry of group g is free */
} EXP_PAGE_SUMMARY, *PEXP_PAGE_SUMMARY;
_Static_assert(sizeof(EXP_PAGE_SUMMARY) == sizeof(HANDLE_TABLE_ENTRY), "the summary is entry 0");

/* HANDLE_TABLE.HandleTableLock */
#define EXP_TABLE_LOCKED            1UL
#define EXP_TABLE_INTERRUPTS_WERE_ON 2UL

/* ---- the lock ---- */

static VOID ExpLockHandleTable(PHANDLE_TABLE HandleTable)
{
#ifdef NT_HOST_TEST
    BOOLEAN Enabled = FALSE;
#else
    BOOLEAN Enabled = KiDisableInterrupts();
#endif
    ASSERT(HandleTable->HandleTableLock == 0);     /* never taken twice */
    HandleTable->HandleTableLock = EXP_TABLE_LOCKED | (Enabled ? EXP_TABLE_INTERRUPTS_WERE_ON : 0);
}

static VOID ExpUnlockHandleTable(PHANDLE_TABLE HandleTable)
{
    BOOLEAN Enabled = (HandleTable->HandleTableLock & EXP_TABLE_INTERRUPTS_WERE_ON) != 0;

    ASSERT(HandleTable->HandleTableLock & EXP_TABLE_LOCKED);
    HandleTable->HandleTableLock = 0;
#ifdef NT_HOST_TEST
    UNREFERENCED_PARAMETER(Enabled);
#else
    KiRestoreInterrupts(Enabled);
#endif
}

/* ---- pages ---- */

static inline ULONG ExpPageCount(const HANDLE_TABLE *HandleTable)
{
    return HandleTable->NextHandleNeedingPool / PAGE_HANDLE_SPAN;
}

static inline PEXP_PAGE_SUMMARY ExpPageSummary(PHANDLE_TABLE_ENTRY Page)
{
    return (PEXP_PAGE_SUMMARY)&Page[0];
}

/* The PageIndex'th page of entries (PageIndex < ExpPageCount). */
static PHANDLE_TABLE_ENTRY ExpGetPage(const HANDLE_TABLE *HandleTable, ULONG PageIndex)
{
    ULONG_PTR Base = HandleTable->TableCode & ~LEVEL_CODE_MASK;

    switch (HandleTable->TableCode & LEVEL_CODE_MASK) {
    case 0:
        return (PHANDLE_TABLE_ENTRY)Base;
    case 1:
        return ((PHANDLE_TABLE_ENTRY *)Base)[PageIndex];
    default:
        return ((PHANDLE_TABLE_ENTRY **)Base)[PageIndex / MIDLEVEL_COUNT][PageIndex % MIDLEVEL_COUNT];
    }
}

/* A zeroed page of pointers (the middle and top levels). */
static PVOID ExpAllocatePointerPage(SIZE_T Size)
{
    PVOID Page = ExAllocatePoolWithTag(PagedPool, Size, EX_HANDLE_TABLE_TAG);

    if (Page != NULL)
        memset(Page, 0, Size);
    return Page;
}

/* A page of free entries: every group has one (group 0 has 1..7). */
static PHANDLE_TABLE_ENTRY ExpAllocateLowLevelTable(VOID)
{
    PHANDLE_TABLE_ENTRY Page = ExAllocatePoolWithTag(PagedPool, PAGE_SIZE, EX_HANDLE_TABLE_TAG);
    PEXP_PAGE_SUMMARY Summary;

    if (Page == NULL)
        return NULL;
    memset(Page, 0, PAGE_SIZE);
    Summary = ExpPageSummary(Page);
    Summary->FreeGroups[0] = ~0UL;
    Summary->FreeGroups[1] = ~0UL;
    return Page;
}

/*
 * Adds one page of entries, adding a level when the current top is full
 * (NT: ExpAllocateHandleTableEntrySlow). FALSE when there is no memory or the table
 * has NT's maximum; nothing changes then.
 */
static BOOLEAN ExpAllocatePage(PHANDLE_TABLE HandleTable)
{
    ULONG Pages = ExpPageCount(HandleTable);
    ULONG_PTR Base = HandleTable->TableCode & ~LEVEL_CODE_MASK;
    PHANDLE_TABLE_ENTRY NewPage, *Mid, *NewMid;
    PHANDLE_TABLE_ENTRY **Top;

    if (Pages >= MAX_PAGES)
        return FALSE;
    NewPage = ExpAllocateLowLevelTable();
    if (NewPage == NULL)
        return FALSE;

    switch (HandleTable->TableCode & LEVEL_CODE_MASK) {
    case 0:         /* one page becomes the first of a middle level */
        Mid = ExpAllocatePointerPage(PAGE_SIZE);
        if (Mid == NULL)
            goto NoMemory;
        Mid[0] = (PHANDLE_TABLE_ENTRY)Base;
        Mid[1] = NewPage;
        HandleTable->TableCode = (ULONG_PTR)Mid | 1;
        break;
    case 1:
        Mid = (PHANDLE_TABLE_ENTRY *)Base;
        if (Pages < MIDLEVEL_COUNT) {
            Mid[Pages] = NewPage;
            break;
        }
        /* The middle level is full: it becomes the first of a top level. */
        Top = ExpAllocatePointerPage(HIGHLEVEL_COUNT * sizeof(PVOID));
        if (Top == NULL)
            goto NoMemory;
        NewMid = ExpAllocatePointerPage(PAGE_SIZE);
        if (NewMid == NULL) {
            ExFreePoolWithTag(Top, EX_HANDLE_TABLE_TAG);
            goto NoMemory;
        }
        NewMid[0] = NewPage;
        Top[0] = Mid;
        Top[1] = NewMid;
        HandleTable->TableCode = (ULONG_PTR)Top | 2;
        break;
    default:
        Top = (PHANDLE_TABLE_ENTRY **)Base;
        if (Pages % MIDLEVEL_COUNT == 0) {
            NewMid = ExpAllocatePointerPage(PAGE_SIZE);
            if (NewMid == NULL)
                goto NoMemory;
            Top[Pages / MIDLEVEL_COUNT] = NewMid;
        }
        Top[Pages / MIDLEVEL_COUNT][Pages % MIDLEVEL_COUNT] = NewPage;
        break;
    }
    HandleTable->NextHandleNeedingPool += PAGE_HANDLE_SPAN;
    return TRUE;

NoMemory:
    ExFreePoolWithTag(NewPage, EX_HANDLE_TABLE_TAG);
    return FALSE;
}

static VOID ExpFreeTablePages(PHANDLE_TABLE HandleTable)
{
    ULONG Pages = ExpPageCount(HandleTable), Index;
    ULONG_PTR Base = HandleTable->TableCode & ~LEVEL_CODE_MASK;
    PHANDLE_TABLE_ENTRY **Top;

    for (Index = 0; Index < Pages; Index++)
        ExFreePoolWithTag(ExpGetPage(HandleTable, Index), EX_HANDLE_TABLE_TAG);
    switch (HandleTable->TableCode & LEVEL_CODE_MASK) {
    case 0:
        break;
    case 1:
        ExFreePoolWithTag((PVOID)Base, EX_HANDLE_TABLE_TAG);
        break;
    default:
        Top = (PHANDLE_TABLE_ENTRY **)Base;
        for (Index = 0; Index < HIGHLEVEL_COUNT && Top[Index] != NULL; Index++)
            ExFreePoolWithTag(Top[Index], EX_HANDLE_TABLE_TAG);
        ExFreePoolWithTag(Top, EX_HANDLE_TABLE_TAG);
        break;
    }
}

/* ---- entries ---- */

/* Index of a handle value: the two low bits are the caller's (NT ignores them). */
static inline ULONG_PTR ExpHandleToIndex(HANDLE Handle)
{
    return (ULONG_PTR)Handle / HANDLE_VALUE_INC;
}

/* Handle's entry when it is in use, else NULL. Call with the table locked. */
static PHANDLE_TABLE_ENTRY ExpLookupHandleTableEntry(PHANDLE_TABLE HandleTable, HANDLE Handle)
{
    ULONG_PTR Index = ExpHandleToIndex(Handle);
    PHANDLE_TABLE_ENTRY Entry;

    if (Index >= HandleTable->NextHandleNeedingPool / HANDLE_VALUE_INC || Index % LOWLEVEL_COUNT == 0)
        return NULL;
    Entry = &ExpGetPage(HandleTable, Index / LOWLEVEL_COUNT)[Index % LOWLEVEL_COUNT];
    return Entry->Object != NULL ? Entry : NULL;
}

/* Updates the summary bit of Index's group after it was filled or emptied. */
static VOID ExpUpdateGroup(PHANDLE_TABLE_ENTRY Page, ULONG EntryIndex)
{
    PEXP_PAGE_SUMMARY Summary = ExpPageSummary(Page);
    ULONG Group = EntryIndex / GROUP_SIZE, First = Group * GROUP_SIZE, Index;
    BOOLEAN AnyFree = FALSE;

    for (Index = First; Index < First + GROUP_SIZE; Index++) {
        if (Index != 0 && Page[Index].Object == NULL)
            AnyFree = TRUE;
    }
    if (AnyFree)
        Summary->FreeGroups[Group / 32] |= 1UL << (Group % 32);
    else
        Summary->FreeGroups[Group / 32] &= ~(1UL << (Group % 32));
}

/* The lowest free entry at or above FirstFree, or NULL when every page is full. */
static PHANDLE_TABLE_ENTRY ExpFindFreeEntry(PHANDLE_TABLE HandleTable, PULONG FoundIndex)
{
    ULONG Pages = ExpPageCount(HandleTable), PageIndex, StartGroup, Word, Bits, Group, Index;
    PHANDLE_TABLE_ENTRY Page;

    for (PageIndex = HandleTable->FirstFree / LOWLEVEL_COUNT; PageIndex < Pages; PageIndex++) {
        Page = ExpGetPage(HandleTable, PageIndex);
        StartGroup = 0;
        if (PageIndex == HandleTable->FirstFree / LOWLEVEL_COUNT)
            StartGroup = (HandleTable->FirstFree % LOWLEVEL_COUNT) / GROUP_SIZE;
        for (Word = StartGroup / 32; Word < 2; Word++) {
            Bits = ExpPageSummary(Page)->FreeGroups[Word];
            if (Word == StartGroup / 32)
                Bits &= ~0UL << (StartGroup % 32);
            if (Bits == 0)
                continue;
            Group = Word * 32 + (ULONG)__builtin_ctz(Bits);
            for (Index = Group * GROUP_SIZE; Index < (Group + 1) * GROUP_SIZE; Index++) {
                if (Index != 0 && Page[Index].Object == NULL) {
                    *FoundIndex = PageIndex * LOWLEVEL_COUNT + Index;
                    return &Page[Index];
                }
            }
            ASSERT(!"a summary bit with no free entry behind it");
        }
    }
    return NULL;
}

/* Frees a locked entry in use. */
static VOID ExpFreeHandleTableEntry(PHANDLE_TABLE HandleTable, HANDLE Handle, PHANDLE_TABLE_ENTRY Entry)
{
    ULONG Index = (ULONG)ExpHandleToIndex(Handle);

    ASSERT(Entry == ExpLookupHandleTableEntry(HandleTable, Handle));
    Entry->Value = 0;
    Entry->GrantedAccess = 0;
    ExpUpdateGroup(Entry - Index % LOWLEVEL_COUNT, Index % LOWLEVEL_COUNT);
    if (Index < HandleTable->FirstFree)
        HandleTable->FirstFree = Index;
    HandleTable->HandleCount--;
}

/* ---- the interface ---- */

PHANDLE_TABLE ExCreateHandleTable(struct _EPROCESS *Process)
{
    PHANDLE_TABLE HandleTable;
    PHANDLE_TABLE_ENTRY Page;

    HandleTable = ExAllocatePoolWithTag(PagedPool, sizeof(*HandleTable), EX_HANDLE_TABLE_TAG);
    if (HandleTable == NULL)
        return NULL;
    Page = ExpAllocateLowLevelTable();
    if (Page == NULL) {
        ExFreePoolWithTag(HandleTable, EX_HANDLE_TABLE_TAG);
        return NULL;
    }
    memset(HandleTable, 0, sizeof(*HandleTable));
    HandleTable->TableCode = (ULONG_PTR)Page;       /* level 0 */
    HandleTable->QuotaProcess = Process;
    HandleTable->FirstFree = 1;
    HandleTable->NextHandleNeedingPool = PAGE_HANDLE_SPAN;
    return HandleTable;
}

VOID ExDestroyHandleTable(PHANDLE_TABLE HandleTable, PEX_DESTROY_HANDLE_ROUTINE DestroyHandleProcedure,
                          PVOID Context)
{
    if (DestroyHandleProcedure != NULL)
        ExSweepHandleTable(HandleTable, DestroyHandleProcedure, Context);
    ExpFreeTablePages(HandleTable);
    ExFreePoolWithTag(HandleTable, EX_HANDLE_TABLE_TAG);
}

HANDLE ExCreateHandle(PHANDLE_TABLE HandleTable, PHANDLE_TABLE_ENTRY HandleTableEntry)
{
    PHANDLE_TABLE_ENTRY Entry;
    ULONG Index;

    ASSERT(HandleTableEntry->Object != NULL);
    ExpLockHandleTable(HandleTable);
    Entry = ExpFindFreeEntry(HandleTable, &Index);
    if (Entry == NULL) {
        if (!ExpAllocatePage(HandleTable)) {
            ExpUnlockHandleTable(HandleTable);
            return NULL;
        }
        Entry = ExpFindFreeEntry(HandleTable, &Index);
        ASSERT(Entry != NULL);
    }
    *Entry = *HandleTableEntry;
    ExpUpdateGroup(Entry - Index % LOWLEVEL_COUNT, Index % LOWLEVEL_COUNT);
    HandleTable->FirstFree = Index + 1;
    HandleTable->HandleCount++;
    ExpUnlockHandleTable(HandleTable);
    return (HANDLE)(ULONG_PTR)(Index * HANDLE_VALUE_INC);
}

PHANDLE_TABLE_ENTRY ExMapHandleToPointer(PHANDLE_TABLE HandleTable, HANDLE Handle)
{
    PHANDLE_TABLE_ENTRY Entry;

    ExpLockHandleTable(HandleTable);
    Entry = ExpLookupHandleTableEntry(HandleTable, Handle);
    if (Entry == NULL)
        ExpUnlockHandleTable(HandleTable);
    return Entry;
}

VOID ExUnlockHandleTableEntry(PHANDLE_TABLE HandleTable, PHANDLE_TABLE_ENTRY HandleTableEntry)
{
    UNREFERENCED_PARAMETER(HandleTableEntry);
    ExpUnlockHandleTable(HandleTable);
}

BOOLEAN ExDestroyHandle(PHANDLE_TABLE HandleTable, HANDLE Handle, PHANDLE_TABLE_ENTRY LockedEntry,
                        PHANDLE_TABLE_ENTRY Removed)
{
    if (LockedEntry == NULL) {
        LockedEntry = ExMapHandleToPointer(HandleTable, Handle);
        if (LockedEntry == NULL)
            return FALSE;
    }
    if (Removed != NULL)
        *Removed = *LockedEntry;
    ExpFreeHandleTableEntry(HandleTable, Handle, LockedEntry);
    ExpUnlockHandleTable(HandleTable);
    return TRUE;
}

BOOLEAN ExChangeHandle(PHANDLE_TABLE HandleTable, HANDLE Handle, PEX_CHANGE_HANDLE_ROUTINE ChangeRoutine,
                       ULONG_PTR Parameter)
{
    PHANDLE_TABLE_ENTRY Entry = ExMapHandleToPointer(HandleTable, Handle);
    BOOLEAN Changed;

    if (Entry == NULL)
        return FALSE;
    Changed = ChangeRoutine(Entry, Parameter);
    ASSERT(Entry->Object != NULL);      /* a change never frees the entry */
    ExpUnlockHandleTable(HandleTable);
    return Changed;
}

/*
 * The new table gets all its pages first, so that nothing can fail once entries
 * (and the references the procedure takes for them) are copied. The copy then goes
 * one page at a time, each under the old table's lock, so that the lock is held
 * for a bounded time however large the table is. Pages the old table gains during
 * the copy hold handles made after the duplication began: they are not copied.
 * The new table is nobody else's yet, so it needs no lock of its own.
 */
PHANDLE_TABLE ExDupHandleTable(struct _EPROCESS *Process, PHANDLE_TABLE OldHandleTable,
                               PEX_DUPLICATE_HANDLE_ROUTINE DupHandleProcedure, ULONG_PTR Mask)
{
    PHANDLE_TABLE NewTable = ExCreateHandleTable(Process);
    PHANDLE_TABLE_ENTRY OldPage, NewPage;
    HANDLE_TABLE_ENTRY NewEntry;
    ULONG PageIndex, Index, Pages;

    if (NewTable == NULL)
        return NULL;
    ExpLockHandleTable(OldHandleTable);
    Pages = ExpPageCount(OldHandleTable);
    ExpUnlockHandleTable(OldHandleTable);
    while (ExpPageCount(NewTable) < Pages) {
        if (!ExpAllocatePage(NewTable)) {
            ExDestroyHandleTable(NewTable, NULL, NULL);
            return NULL;
        }
    }

    for (PageIndex = 0; PageIndex < Pages; PageIndex++) {
        ExpLockHandleTable(OldHandleTable);
        OldPage = ExpGetPage(OldHandleTable, PageIndex);
        NewPage = ExpGetPage(NewTable, PageIndex);
        for (Index = 1; Index < LOWLEVEL_COUNT; Index++) {
            if (OldPage[Index].Object == NULL)
                continue;
            if (Mask != 0 && (OldPage[Index].ObAttributes & Mask) == 0)
                continue;
            NewEntry = OldPage[Index];
            if (!DupHandleProcedure(Process, OldHandleTable, &OldPage[Index], &NewEntry))
                continue;
            NewPage[Index] = NewEntry;
            ExpUpdateGroup(NewPage, Index);
            NewTable->HandleCount++;
        }
        ExpUnlockHandleTable(OldHandleTable);
    }
    return NewTable;
}

VOID ExSweepHandleTable(PHANDLE_TABLE HandleTable, PEX_SWEEP_HANDLE_ROUTINE SweepHandleCallback,
                        PVOID Context)
{
    HANDLE_TABLE_ENTRY Copy;
    PHANDLE_TABLE_ENTRY Entry;
    ULONG Index;
    HANDLE Handle;

    for (Index = 1; Index < HandleTable->NextHandleNeedingPool / HANDLE_VALUE_INC; Index++) {
        Handle = (HANDLE)(ULONG_PTR)(Index * HANDLE_VALUE_INC);
        Entry = ExMapHandleToPointer(HandleTable, Handle);
        if (Entry == NULL)
            continue;
        Copy = *Entry;
        ExpFreeHandleTableEntry(HandleTable, Handle, Entry);
        ExpUnlockHandleTable(HandleTable);
        SweepHandleCallback(&Copy, Handle, Context);
    }
}

BOOLEAN ExEnumHandleTable(PHANDLE_TABLE HandleTable, PEX_ENUM_HANDLE_ROUTINE EnumHandleProcedure,
                          PVOID EnumParameter, PHANDLE Handle)
{
    HANDLE_TABLE_ENTRY Copy;
    PHANDLE_TABLE_ENTRY Entry;
    ULONG Index;
    HANDLE Current;

    for (Index = 1; Index < HandleTable->NextHandleNeedingPool / HANDLE_VALUE_INC; Index++) {
        Current = (HANDLE)(ULONG_PTR)(Index * HANDLE_VALUE_INC);
        Entry = ExMapHandleToPointer(HandleTable, Current);
        if (Entry == NULL)
            continue;
        Copy = *Entry;
        ExpUnlockHandleTable(HandleTable);
        if (EnumHandleProcedure(&Copy, Current, EnumParameter)) {
            if (Handle != NULL)
                *Handle = Current;
            return TRUE;
        }
    }
    return FALSE;
}

/*
 * pfnlist.c - the PFN database: building it at boot, the page lists, allocation and
 * reference counts (NT: pfnlist.c, and the database build of MiInitMachineDependent).
 *
 * The states a page can be in are described in pfn.h. The lists are doubly linked
 * through u1.Flink and u2.Blink by page number, with MM_EMPTY_LIST at both ends, so
 * a page is inserted or unlinked in O(1). Their heads count their pages (Total), and
 * the counters follow every move:
 *     MmAvailablePages        = zeroed + free
 *     MmNumberOfPhysicalPages = MmAvailablePages + MiInUsePages + MiLoaderPages
 *
 * Locking: one processor, and interrupts may allocate, so every list operation runs
 * with interrupts disabled (NT: LOCK_PFN / UNLOCK_PFN, which raise to DISPATCH_LEVEL
 * and take the PFN spin lock).
 */
#include <ke.h>
#include <kd.h>
#include <nt/bugcodes.h>
#include "pfn.h"

#ifdef NT_HOST_TEST
/* A Linux process may not execute cli: the host tests run single-threaded, unlocked. */
static inline BOOLEAN MiLockPfnDatabase(VOID) { return FALSE; }
static inline VOID MiUnlockPfnDatabase(BOOLEAN Enabled) { UNREFERENCED_PARAMETER(Enabled); }
#else
static inline BOOLEAN MiLockPfnDatabase(VOID) { return KiDisableInterrupts(); }
static inline VOID MiUnlockPfnDatabase(BOOLEAN Enabled) { KiRestoreInterrupts(Enabled); }
#endif

PMMPFN MmPfnDatabase;
PFN_NUMBER MmHighestPhysicalPage;
PFN_NUMBER MmLowestPhysicalPage;
PFN_NUMBER MmNumberOfPhysicalPages;
PFN_NUMBER MmAvailablePages;
MMPFNLIST MmZeroedPageListHead;
MMPFNLIST MmFreePageListHead;
MMPFNLIST MmBadPageListHead;

static PFN_NUMBER MiInUsePages;     /* handed out from free memory, not yet freed */
static PFN_NUMBER MiLoaderPages;    /* loader-owned, not yet released */

/* ---- bugchecks ---- */

__attribute__((noreturn))
static VOID MiBugCheckPfn(PCSTR What, ULONG Reason, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    DbgPrint("MM: PFN_LIST_CORRUPT: %s (0x%lx, 0x%lx, 0x%lx, 0x%lx)\n",
             What, Reason, (ULONG)P2, (ULONG)P3, (ULONG)P4);
    KeBugCheckEx(PFN_LIST_CORRUPT, Reason, P2, P3, P4);
}

/* An operation met a page whose state does not allow it (0x99, parameters in pfn.h). */
__attribute__((noreturn))
static VOID MiBugCheckPageState(PCSTR What, PFN_NUMBER Page)
{
    if (Page == 0 || Page > MmHighestPhysicalPage || MmPfnDatabase == NULL)
        MiBugCheckPfn(What, MI_PFN_PAGE_STATE_CORRUPT, Page, MM_EMPTY_LIST, MmHighestPhysicalPage);
    MiBugCheckPfn(What, MI_PFN_PAGE_STATE_CORRUPT, Page,
                  MI_PFN_ELEMENT(Page)->u3.e1.PageLocation, MI_PFN_ELEMENT(Page)->u3.EntireFrame);
}

/* A page with an entry that is RAM (page 0 is never looked up: the database may not exist). */
static BOOLEAN MiIsManagedPage(PFN_NUMBER Page)
{
    return Page != 0 && Page <= MmHighestPhysicalPage && MmPfnDatabase != NULL &&
           !MI_PFN_ELEMENT(Page)->u3.e1.NotRam;
}

/* ---- the lists (NT: MiInsertPageInList, MiInsertPageInFreeList, MiUnlinkFreeOrZeroedPage) ---- */

static PMMPFNLIST MiListHead(ULONG PageLocation)
{
    switch (PageLocation) {
    case ZeroedPageList: return &MmZeroedPageListHead;
    case FreePageList:   return &MmFreePageListHead;
    case BadPageList:    return &MmBadPageListHead;
    default:             return NULL;
    }
}

static BOOLEAN MiIsAvailableList(const MMPFNLIST *ListHead)
{
    return ListHead->ListName == ZeroedPageList || ListHead->ListName == FreePageList;
}

/* Appends Page to the tail of ListHead: FIFO, so a page freed now is reused last. */
static VOID MiInsertPageInList(PMMPFNLIST ListHead, PFN_NUMBER Page)
{
    PMMPFN Pfn = MI_PFN_ELEMENT(Page);

    Pfn->u1.Flink = MM_EMPTY_LIST;
    Pfn->u2.Blink = ListHead->Blink;
    Pfn->PteAddress = NULL;
    Pfn->OriginalPte = 0;
    Pfn->u3.e2.ReferenceCount = 0;
    Pfn->u3.e1.PageLocation = ListHead->ListName;

    if (ListHead->Blink == MM_EMPTY_LIST)
        ListHead->Flink = Page;
    else
        MI_PFN_ELEMENT(ListHead->Blink)->u1.Flink = Page;
    ListHead->Blink = Page;
    ListHead->Total++;
    if (MiIsAvailableList(ListHead))
        MmAvailablePages++;
}

/* Takes Page out of whichever list it is on, from anywhere in it. */
static VOID MiUnlinkPageFromList(PFN_NUMBER Page)
{
    PMMPFN Pfn = MI_PFN_ELEMENT(Page);
    PMMPFNLIST ListHead = MiListHead(Pfn->u3.e1.PageLocation);
    PFN_NUMBER Next = Pfn->u1.Flink;
    PFN_NUMBER Previous = Pfn->u2.Blink;

    if (Previous == MM_EMPTY_LIST)
        ListHead->Flink = Next;
    else
        MI_PFN_ELEMENT(Previous)->u1.Flink = Next;
    if (Next == MM_EMPTY_LIST)
        ListHead->Blink = Previous;
    else
        MI_PFN_ELEMENT(Next)->u2.Blink = Previous;
    ListHead->Total--;
    if (MiIsAvailableList(ListHead))
        MmAvailablePages--;
}

/*
 * Takes the first page off ListHead, or returns 0 when it is empty. The page's state
 * is checked on the way out, since handing out a page that is not really free would
 * corrupt memory far from here (NT makes the same checks in MiRemovePageByColor).
 */
static PFN_NUMBER MiRemoveFirstPage(PMMPFNLIST ListHead)
{
    PFN_NUMBER Page = ListHead->Flink;
    PMMPFN Pfn;

    if (ListHead->Total == 0)
        return 0;
    if (Page == 0 || Page > MmHighestPhysicalPage) {
        MiBugCheckPfn("list head out of range", MI_PFN_LIST_HEAD_CORRUPT, Page,
                      MmAvailablePages, ListHead->ListName);
    }
    Pfn = MI_PFN_ELEMENT(Page);
    if (Pfn->u3.e1.PageLocation != ListHead->ListName || Pfn->u3.e1.NotRam ||
        Pfn->u3.e1.LoaderOwned || Pfn->u3.e2.ReferenceCount != 0 ||
        Pfn->u2.Blink != MM_EMPTY_LIST) {
        MiBugCheckPfn("page at a list head is not in that list's state",
                      MI_PFN_FREE_LIST_CORRUPT, Page, Pfn->u3.EntireFrame, ListHead->ListName);
    }
    MiUnlinkPageFromList(Page);
    return Page;
}

/* A page just taken off a list becomes in use with one reference (NT: MiInitializePfn
   does this when it maps the page; here the mapper fills PteAddress afterwards). */
static VOID MiMakePageInUse(PFN_NUMBER Page)
{
    PMMPFN Pfn = MI_PFN_ELEMENT(Page);

    Pfn->u1.Flink = 0;
    Pfn->u2.Blink = 0;
    Pfn->PteAddress = NULL;
    Pfn->OriginalPte = 0;
    Pfn->u3.e2.ReferenceCount = 1;
    Pfn->u3.e1.PageLocation = ActiveAndValid;
    MiInUsePages++;
}

/* The count of an in-use page drops; at zero it is free again (NT: MiDecrementReferenceCount). */
static VOID MiDecrementReferenceCount(PFN_NUMBER Page)
{
    PMMPFN Pfn = MI_PFN_ELEMENT(Page);

    Pfn->u3.e2.ReferenceCount--;
    if (Pfn->u3.e2.ReferenceCount == 0) {
        MiInUsePages--;
        MiInsertPageInList(&MmFreePageListHead, Page);
    }
}

/* ---- boot: building the database ---- */

/* Types that describe something other than RAM: such pages are never managed. */
BOOLEAN MiIsRamType(TYPE_OF_MEMORY Type)
{
    switch (Type) {
    case LoaderFirmwarePermanent:
    case LoaderSpecialMemory:
    case LoaderBBTMemory:
    case LoaderXIPRom:
        return FALSE;
    default:
        return TRUE;
    }
}

/* One past the last page of Descriptor that lies below 4 GB (no PAE). */
static PFN_NUMBER MiDescriptorEnd(const MEMORY_ALLOCATION_DESCRIPTOR *Descriptor)
{
    const PFN_NUMBER Limit = MI_HIGHEST_POSSIBLE_PFN + 1;

    if (Descriptor->BasePage >= Limit)
        return Limit;
    if (Descriptor->PageCount > Limit - Descriptor->BasePage)
        return Limit;
    return Descriptor->BasePage + Descriptor->PageCount;
}

PFN_NUMBER MiFindHighestPhysicalPage(const MEMORY_ALLOCATION_DESCRIPTOR *Descriptors,
                                     ULONG DescriptorCount)
{
    PFN_NUMBER Highest = 0;
    PFN_NUMBER End;
    ULONG Index;

    for (Index = 0; Descriptors != NULL && Index < DescriptorCount; Index++) {
        if (!MiIsRamType(Descriptors[Index].MemoryType))
            continue;
        End = MiDescriptorEnd(&Descriptors[Index]);
        if (End > Descriptors[Index].BasePage && End - 1 > Highest)
            Highest = End - 1;
    }
    return Highest;
}

SIZE_T MiPfnDatabaseBytes(PFN_NUMBER HighestPage)
{
    if (HighestPage > MI_HIGHEST_POSSIBLE_PFN)
        return 0;
    return (SIZE_T)(HighestPage + 1) * sizeof(MMPFN);
}

/* Known types, ascending, not overlapping, no run wrapping past 4 GB. */
static NTSTATUS MiCheckDescriptors(const MEMORY_ALLOCATION_DESCRIPTOR *Descriptors,
                                   ULONG DescriptorCount)
{
    PFN_NUMBER PreviousEnd = 0;
    ULONG Index;

    for (Index = 0; Index < DescriptorCount; Index++) {
        const MEMORY_ALLOCATION_DESCRIPTOR *Descriptor = &Descriptors[Index];

        if ((ULONG)Descriptor->MemoryType >= (ULONG)LoaderMaximum ||
            Descriptor->PageCount > (ULONG)-1 - Descriptor->BasePage ||
            Descriptor->BasePage < PreviousEnd) {
            return STATUS_INVALID_PARAMETER;
        }
        if (Descriptor->PageCount != 0)
            PreviousEnd = Descriptor->BasePage + Descriptor->PageCount;
    }
    return STATUS_SUCCESS;
}

static VOID MiInitializeListHead(PMMPFNLIST ListHead, MMLISTS ListName)
{
    ListHead->Total = 0;
    ListHead->ListName = ListName;
    ListHead->Flink = MM_EMPTY_LIST;
    ListHead->Blink = MM_EMPTY_LIST;
}

/* No database: every page unknown, nothing available. */
static VOID MiResetPfnDatabase(VOID)
{
    MmPfnDatabase = NULL;
    MmHighestPhysicalPage = 0;
    MmLowestPhysicalPage = 0;
    MmNumberOfPhysicalPages = 0;
    MmAvailablePages = 0;
    MiInUsePages = 0;
    MiLoaderPages = 0;
    MiInitializeListHead(&MmZeroedPageListHead, ZeroedPageList);
    MiInitializeListHead(&MmFreePageListHead, FreePageList);
    MiInitializeListHead(&MmBadPageListHead, BadPageList);
}

/* Every entry starts as not RAM; the descriptors then say which pages are. */
static VOID MiInitializeNotRamPage(PFN_NUMBER Page)
{
    PMMPFN Pfn = MI_PFN_ELEMENT(Page);

    Pfn->u1.Flink = 0;
    Pfn->u2.Blink = 0;
    Pfn->PteAddress = NULL;
    Pfn->OriginalPte = 0;
    Pfn->u3.EntireFrame = 0;
    Pfn->u3.e1.PageLocation = ActiveAndValid;
    Pfn->u3.e1.NotRam = 1;
}

static VOID MiAddDescriptorPage(TYPE_OF_MEMORY Type, PFN_NUMBER Page)
{
    PMMPFN Pfn = MI_PFN_ELEMENT(Page);

    if (!MiIsRamType(Type) || Page == 0)
        return;     /* page 0 stays out, whatever it is: 0 means "no page" */

    Pfn->u3.e1.NotRam = 0;
    if (Page < MmLowestPhysicalPage)
        MmLowestPhysicalPage = Page;

    if (Type == LoaderFree) {
        MiInsertPageInList(&MmFreePageListHead, Page);
        MmNumberOfPhysicalPages++;
    } else if (Type == LoaderBad) {
        MiInsertPageInList(&MmBadPageListHead, Page);
    } else {
        /* The loader's page, holding its one reference (NT leaves such pages
           ActiveAndValid with a count of one too). */
        Pfn->u3.e1.LoaderOwned = 1;
        Pfn->u3.e2.ReferenceCount = 1;
        MiLoaderPages++;
        MmNumberOfPhysicalPages++;
    }
}

/* The caller took this run of free pages for itself before the database existed. */
static NTSTATUS MiReserveRun(const PHYSICAL_MEMORY_RUN *Run)
{
    PFN_NUMBER Page;

    if (Run->PageCount > (ULONG)-1 - Run->BasePage)
        return STATUS_INVALID_PARAMETER;
    for (Page = Run->BasePage; Page - Run->BasePage < Run->PageCount; Page++) {
        if (!MiIsManagedPage(Page) || MI_PFN_ELEMENT(Page)->u3.e1.PageLocation != FreePageList)
            return STATUS_CONFLICTING_ADDRESSES;
        MiUnlinkPageFromList(Page);
        MiMakePageInUse(Page);
    }
    return STATUS_SUCCESS;
}

NTSTATUS MiInitializePfnDatabase(const MEMORY_ALLOCATION_DESCRIPTOR *Descriptors,
                                 ULONG DescriptorCount, PMMPFN Database, SIZE_T DatabaseBytes,
                                 const PHYSICAL_MEMORY_RUN *ReservedRuns, ULONG ReservedRunCount)
{
    PFN_NUMBER Highest, Page, End;
    ULONG Index;
    NTSTATUS Status;

    MiResetPfnDatabase();
    if (Database == NULL || (Descriptors == NULL && DescriptorCount != 0) ||
        (ReservedRuns == NULL && ReservedRunCount != 0)) {
        return STATUS_INVALID_PARAMETER;
    }
    Status = MiCheckDescriptors(Descriptors, DescriptorCount);
    if (!NT_SUCCESS(Status))
        return Status;
    Highest = MiFindHighestPhysicalPage(Descriptors, DescriptorCount);
    if (Highest == 0)
        return STATUS_NO_MEMORY;
    if (DatabaseBytes < MiPfnDatabaseBytes(Highest))
        return STATUS_BUFFER_TOO_SMALL;

    MmPfnDatabase = Database;
    MmHighestPhysicalPage = Highest;
    MmLowestPhysicalPage = Highest;
    for (Page = 0; Page <= Highest; Page++)
        MiInitializeNotRamPage(Page);

    /* Ascending descriptors, ascending pages: the free list comes out sorted. */
    for (Index = 0; Index < DescriptorCount; Index++) {
        End = MiDescriptorEnd(&Descriptors[Index]);
        if (End > Highest + 1)
            End = Highest + 1;
        for (Page = Descriptors[Index].BasePage; Page < End; Page++)
            MiAddDescriptorPage(Descriptors[Index].MemoryType, Page);
    }

    for (Index = 0; Index < ReservedRunCount; Index++) {
        Status = MiReserveRun(&ReservedRuns[Index]);
        if (!NT_SUCCESS(Status)) {
            MiResetPfnDatabase();
            return Status;
        }
    }
    return STATUS_SUCCESS;
}

/* ---- allocation and reference counts ---- */

PFN_NUMBER MiRemoveAnyPage(VOID)
{
    BOOLEAN Enabled = MiLockPfnDatabase();
    PFN_NUMBER Page;

    /* Free before zeroed: a caller that will overwrite the page anyway should not use
       up the zeroing already done (NT: MiRemoveAnyPage). */
    Page = MiRemoveFirstPage(&MmFreePageListHead);
    if (Page == 0)
        Page = MiRemoveFirstPage(&MmZeroedPageListHead);
    if (Page != 0)
        MiMakePageInUse(Page);
    MiUnlockPfnDatabase(Enabled);
    return Page;
}

PFN_NUMBER MiRemoveZeroPage(VOID)
{
    BOOLEAN Enabled = MiLockPfnDatabase();
    PFN_NUMBER Page;

    /* NT: MiRemoveZeroPage. A free page may hold anything its last owner left in
       it, so it is zeroed before anyone can see it. */
    Page = MiRemoveFirstPage(&MmZeroedPageListHead);
    if (Page == 0) {
        Page = MiRemoveFirstPage(&MmFreePageListHead);
        if (Page != 0)
            MiZeroPhysicalPage(Page);
    }
    if (Page != 0)
        MiMakePageInUse(Page);
    MiUnlockPfnDatabase(Enabled);
    return Page;
}

VOID MiReferencePage(PFN_NUMBER Page)
{
    BOOLEAN Enabled = MiLockPfnDatabase();
    PMMPFN Pfn;

    /* Only a page someone already holds can gain a reference: a free page has no
       owner to share it with. */
    if (!MiIsManagedPage(Page))
        MiBugCheckPageState("reference to a page that is not RAM", Page);
    Pfn = MI_PFN_ELEMENT(Page);
    if (Pfn->u3.e1.PageLocation != ActiveAndValid || Pfn->u3.e2.ReferenceCount == 0)
        MiBugCheckPageState("reference to a page that is not in use", Page);
    if (Pfn->u3.e2.ReferenceCount == MI_MAXIMUM_REFERENCE_COUNT)
        MiBugCheckPageState("reference count overflow", Page);
    Pfn->u3.e2.ReferenceCount++;
    MiUnlockPfnDatabase(Enabled);
}

VOID MiDereferencePage(PFN_NUMBER Page)
{
    BOOLEAN Enabled = MiLockPfnDatabase();
    PMMPFN Pfn;

    if (!MiIsManagedPage(Page))
        MiBugCheckPageState("dereference of a page that is not RAM", Page);
    Pfn = MI_PFN_ELEMENT(Page);
    if (Pfn->u3.e2.ReferenceCount == 0) {
        MiBugCheckPfn("dereference of a page with no references", MI_PFN_DEREFERENCE_UNDERFLOW,
                      Page, 0, Pfn->u3.EntireFrame);
    }
    if (Pfn->u3.e1.PageLocation != ActiveAndValid)
        MiBugCheckPageState("dereference of a page that is not in use", Page);
    if (Pfn->u3.e1.LoaderOwned && Pfn->u3.e2.ReferenceCount == 1)
        MiBugCheckPageState("dereference of the loader's reference", Page);
    MiDecrementReferenceCount(Page);
    MiUnlockPfnDatabase(Enabled);
}

PFN_NUMBER MiZeroFreePages(PFN_NUMBER MaxPages)
{
    PFN_NUMBER Done;
    PFN_NUMBER Page;
    BOOLEAN Enabled;

    for (Done = 0; Done < MaxPages; Done++) {
        Enabled = MiLockPfnDatabase();
        Page = MiRemoveFirstPage(&MmFreePageListHead);
        if (Page != 0) {
            MiZeroPhysicalPage(Page);
            MiInsertPageInList(&MmZeroedPageListHead, Page);
        }
        MiUnlockPfnDatabase(Enabled);
        if (Page == 0)
            break;
    }
    return Done;
}

NTSTATUS MiFreeLoaderPages(PFN_NUMBER BasePage, PFN_NUMBER PageCount)
{
    BOOLEAN Enabled;
    PFN_NUMBER Page;

    if (PageCount > (ULONG)-1 - BasePage)
        return STATUS_INVALID_PARAMETER;

    Enabled = MiLockPfnDatabase();
    for (Page = BasePage; Page - BasePage < PageCount; Page++) {
        if (!MiIsManagedPage(Page) || !MI_PFN_ELEMENT(Page)->u3.e1.LoaderOwned) {
            MiUnlockPfnDatabase(Enabled);
            return STATUS_CONFLICTING_ADDRESSES;
        }
    }
    /* Each page becomes an ordinary page in use holding the loader's reference, which
       is then dropped: whoever else still references it keeps it until they let go. */
    for (Page = BasePage; Page - BasePage < PageCount; Page++) {
        MI_PFN_ELEMENT(Page)->u3.e1.LoaderOwned = 0;
        MiLoaderPages--;
        MiInUsePages++;
        MiDecrementReferenceCount(Page);
    }
    MiUnlockPfnDatabase(Enabled);
    return STATUS_SUCCESS;
}

VOID MiQueryPfnCounters(PMMPFN_COUNTERS Counters)
{
    BOOLEAN Enabled = MiLockPfnDatabase();

    Counters->TotalPages = MmNumberOfPhysicalPages;
    Counters->AvailablePages = MmAvailablePages;
    Counters->FreePages = MmFreePageListHead.Total;
    Counters->ZeroedPages = MmZeroedPageListHead.Total;
    Counters->InUsePages = MiInUsePages;
    Counters->LoaderPages = MiLoaderPages;
    Counters->BadPages = MmBadPageListHead.Total;
    Counters->LowestPhysicalPage = MmLowestPhysicalPage;
    Counters->HighestPhysicalPage = MmHighestPhysicalPage;
    MiUnlockPfnDatabase(Enabled);
}

/* ---- the consistency checker ---- */

static BOOLEAN MiPfnProblem(PCSTR What, PFN_NUMBER Page, ULONG Value)
{
    DbgPrint("MM: PFN database inconsistent: %s (page 0x%lx, value 0x%lx)\n", What, Page, Value);
    return FALSE;
}

/* Walks a list both ways at once: each page's Blink must name the page before it. */
static BOOLEAN MiValidateList(const MMPFNLIST *ListHead)
{
    PFN_NUMBER Previous = MM_EMPTY_LIST;
    PFN_NUMBER Page = ListHead->Flink;
    PFN_NUMBER Count = 0;
    PMMPFN Pfn;

    while (Page != MM_EMPTY_LIST) {
        if (Page == 0 || Page > MmHighestPhysicalPage)
            return MiPfnProblem("list link out of range", Previous, Page);
        if (++Count > ListHead->Total)
            return MiPfnProblem("list longer than its Total (a cycle?)", Page, ListHead->Total);
        Pfn = MI_PFN_ELEMENT(Page);
        if (Pfn->u3.e1.PageLocation != ListHead->ListName || Pfn->u3.e1.NotRam ||
            Pfn->u3.e1.LoaderOwned || Pfn->u3.e2.ReferenceCount != 0) {
            return MiPfnProblem("page on a list is not in that list's state", Page,
                                Pfn->u3.EntireFrame);
        }
        if (Pfn->u2.Blink != Previous)
            return MiPfnProblem("Blink does not name the previous page", Page, Pfn->u2.Blink);
        Previous = Page;
        Page = Pfn->u1.Flink;
    }
    if (ListHead->Blink != Previous)
        return MiPfnProblem("list head Blink is not the last page", Previous, ListHead->Blink);
    if (Count != ListHead->Total)
        return MiPfnProblem("list Total does not match its pages", Count, ListHead->Total);
    return TRUE;
}

/* Every entry in one of the states of pfn.h, and the counters what the entries say. */
static BOOLEAN MiValidateEntries(VOID)
{
    PFN_NUMBER OnList[BadPageList + 1] = { 0 };
    PFN_NUMBER InUse = 0, Loader = 0, Lowest = 0, Page;
    PMMPFN Pfn;

    if (!MI_PFN_ELEMENT(0)->u3.e1.NotRam)
        return MiPfnProblem("page 0 is managed", 0, MI_PFN_ELEMENT(0)->u3.EntireFrame);
    for (Page = 0; Page <= MmHighestPhysicalPage; Page++) {
        Pfn = MI_PFN_ELEMENT(Page);
        if (Pfn->u3.e1.NotRam) {
            if (Pfn->u3.e1.LoaderOwned || Pfn->u3.e2.ReferenceCount != 0 ||
                Pfn->u3.e1.PageLocation != ActiveAndValid) {
                return MiPfnProblem("not-RAM page in use", Page, Pfn->u3.EntireFrame);
            }
            continue;
        }
        if (Lowest == 0)
            Lowest = Page;
        if (Pfn->u3.e1.PageLocation == ActiveAndValid) {
            if (Pfn->u3.e2.ReferenceCount == 0)
                return MiPfnProblem("page in use without references", Page, Pfn->u3.EntireFrame);
            if (Pfn->u3.e1.LoaderOwned)
                Loader++;
            else
                InUse++;
        } else if (MiListHead(Pfn->u3.e1.PageLocation) != NULL) {
            OnList[Pfn->u3.e1.PageLocation]++;
        } else {
            return MiPfnProblem("page in a state not in use yet", Page, Pfn->u3.EntireFrame);
        }
    }

    if (OnList[ZeroedPageList] != MmZeroedPageListHead.Total ||
        OnList[FreePageList] != MmFreePageListHead.Total ||
        OnList[BadPageList] != MmBadPageListHead.Total) {
        return MiPfnProblem("pages in a list's state are not all on it", 0,
                            OnList[ZeroedPageList] + OnList[FreePageList] + OnList[BadPageList]);
    }
    if (InUse != MiInUsePages)
        return MiPfnProblem("in-use count", InUse, MiInUsePages);
    if (Loader != MiLoaderPages)
        return MiPfnProblem("loader-owned count", Loader, MiLoaderPages);
    if (MmAvailablePages != MmZeroedPageListHead.Total + MmFreePageListHead.Total)
        return MiPfnProblem("MmAvailablePages", 0, MmAvailablePages);
    if (MmNumberOfPhysicalPages != MmAvailablePages + InUse + Loader)
        return MiPfnProblem("MmNumberOfPhysicalPages", 0, MmNumberOfPhysicalPages);
    if (Lowest != MmLowestPhysicalPage)
        return MiPfnProblem("MmLowestPhysicalPage", Lowest, MmLowestPhysicalPage);
    if (MI_PFN_ELEMENT(MmHighestPhysicalPage)->u3.e1.NotRam)
        return MiPfnProblem("MmHighestPhysicalPage is not RAM", MmHighestPhysicalPage, 0);
    return TRUE;
}

BOOLEAN MiValidatePfnDatabase(VOID)
{
    BOOLEAN Enabled = MiLockPfnDatabase();
    BOOLEAN Valid;

    if (MmPfnDatabase == NULL)
        Valid = MiPfnProblem("no database", 0, 0);
    else
        Valid = MiValidateList(&MmZeroedPageListHead) && MiValidateList(&MmFreePageListHead) &&
                MiValidateList(&MmBadPageListHead) && MiValidateEntries();
    MiUnlockPfnDatabase(Enabled);
    return Valid;
}

/*
 * pfn.h - the page-frame-number (PFN) database: one MMPFN per physical page, and the
 * page lists that run through it (NT: the MMPFN part of mi.h; code in pfnlist.c).
 *
 * Private to the memory manager (kernel/mm). The rest of the kernel asks mm.h.
 *
 * Every physical page from 0 to MmHighestPhysicalPage has an entry, and is in exactly
 * one of these states:
 *
 *   not RAM       u3.e1.NotRam: a hole between descriptors, firmware-permanent memory,
 *                 ROM, or page 0 (whatever the descriptors say, so that page 0 can mean
 *                 "no page"). On no list, counted nowhere, never referenced.
 *   loader-owned  u3.e1.LoaderOwned, ActiveAndValid, ReferenceCount 1: what the boot
 *                 loader put in RAM (kernel image, boot modules, ACPI tables =
 *                 LoaderFirmwareTemporary, ...). Never handed out; MiFreeLoaderPages
 *                 gives such a run back to the free list once its owner is done.
 *   zeroed, free  on MmZeroedPageListHead / MmFreePageListHead, ReferenceCount 0.
 *   bad           on MmBadPageListHead (LoaderBad), never handed out or counted.
 *   in use        ActiveAndValid, ReferenceCount >= 1: handed out by MiRemoveAnyPage /
 *                 MiRemoveZeroPage, or reserved by the caller of MiInitializePfnDatabase.
 *
 * Pages above MmHighestPhysicalPage (ROM just below 4 GB, say) have no entry: the
 * database is sized by RAM, as NT sizes it, not by the highest address any descriptor
 * mentions; every function here treats them as not RAM.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <arc.h>
#include <mm.h>

typedef ULONG PFN_NUMBER, *PPFN_NUMBER;

/* The highest page below 4 GB: there is no PAE, so nothing above it exists for us. */
#define MI_HIGHEST_POSSIBLE_PFN ((PFN_NUMBER)0xFFFFF)

/* The end of a page list (NT: MM_EMPTY_LIST). Page 0 is never on a list either. */
#define MM_EMPTY_LIST ((PFN_NUMBER)-1)

/* Where a page is (NT's MMLISTS, values and order). Only Zeroed, Free, Bad and
   ActiveAndValid occur for now; the others wait for paging to disk and sections. */
typedef enum _MMLISTS {
    ZeroedPageList = 0,
    FreePageList = 1,
    StandbyPageList = 2,
    ModifiedPageList = 3,
    ModifiedNoWritePageList = 4,
    BadPageList = 5,
    ActiveAndValid = 6,
    TransitionPage = 7
} MMLISTS;

/* The head of one page list (NT: MMPFNLIST). Links are page numbers. */
typedef struct _MMPFNLIST {
    PFN_NUMBER Total;           /* pages on the list */
    MMLISTS ListName;           /* the PageLocation of every page on it */
    PFN_NUMBER Flink;           /* first page, or MM_EMPTY_LIST */
    PFN_NUMBER Blink;           /* last page, or MM_EMPTY_LIST */
} MMPFNLIST, *PMMPFNLIST;

/*
 * The flag half of u3 (NT: MMPFNENTRY). Its top 16 bits overlay u3.e2.ReferenceCount,
 * as in NT, so a bit-field write here never disturbs the count.
 */
typedef struct _MMPFNENTRY {
    ULONG PageLocation : 3;     /* MMLISTS */
    ULONG NotRam : 1;           /* hole, firmware, ROM or page 0: see above */
    ULONG LoaderOwned : 1;      /* the boot loader's page: see above */
    ULONG Spare : 11;
    ULONG DontUse : 16;         /* u3.e2.ReferenceCount */
} MMPFNENTRY;

/*
 * One physical page (NT: MMPFN, the XP i386 layout without u4). 20 bytes.
 * One count does the work of NT's two (u2.ShareCount and u3.e2.ReferenceCount) until
 * there are working sets to tell "mapped" from "locked" apart.
 */
typedef struct _MMPFN {
    union {
        PFN_NUMBER Flink;       /* on a list: the next page, or MM_EMPTY_LIST */
    } u1;
    PMMPTE PteAddress;          /* in use: the PTE that maps the page (set by the mapper) */
    union {
        PFN_NUMBER Blink;       /* on a list: the previous page, or MM_EMPTY_LIST */
    } u2;
    union {
        MMPFNENTRY e1;
        struct {
            USHORT ShortFlags;      /* e1's flag bits */
            USHORT ReferenceCount;  /* 0 on a list, >= 1 in use */
        } e2;
        ULONG EntireFrame;
    } u3;
    MMPTE OriginalPte;          /* in use: what the fault handler restores (protection) */
} MMPFN, *PMMPFN;

C_ASSERT_SIZE(MMPFNENTRY, 4);
C_ASSERT_SIZE(MMPFN, 20);

#define MI_MAXIMUM_REFERENCE_COUNT 0xFFFF

/* The database and NT's counters (read them under the PFN lock, or use
   MiQueryPfnCounters for a consistent snapshot). */
extern PMMPFN MmPfnDatabase;
extern PFN_NUMBER MmHighestPhysicalPage;    /* last page with an entry (highest RAM page) */
extern PFN_NUMBER MmLowestPhysicalPage;     /* lowest RAM page (never 0) */
extern PFN_NUMBER MmNumberOfPhysicalPages;  /* RAM: available + in use + loader-owned */
extern PFN_NUMBER MmAvailablePages;         /* zeroed + free */
extern MMPFNLIST MmZeroedPageListHead;
extern MMPFNLIST MmFreePageListHead;
extern MMPFNLIST MmBadPageListHead;

/* The entry of a page; Page must be <= MmHighestPhysicalPage (NT: MI_PFN_ELEMENT). */
#define MI_PFN_ELEMENT(Page) (&MmPfnDatabase[(Page)])

/* A run of pages (NT: PHYSICAL_MEMORY_RUN). */
typedef struct _PHYSICAL_MEMORY_RUN {
    PFN_NUMBER BasePage;
    PFN_NUMBER PageCount;
} PHYSICAL_MEMORY_RUN, *PPHYSICAL_MEMORY_RUN;

/* A consistent snapshot of the counters. TotalPages = AvailablePages + InUsePages +
   LoaderPages always; AvailablePages = FreePages + ZeroedPages. */
typedef struct _MMPFN_COUNTERS {
    PFN_NUMBER TotalPages;          /* MmNumberOfPhysicalPages */
    PFN_NUMBER AvailablePages;      /* MmAvailablePages */
    PFN_NUMBER FreePages;
    PFN_NUMBER ZeroedPages;
    PFN_NUMBER InUsePages;          /* handed out (MiRemove*, reserved runs, released loader pages still referenced) */
    PFN_NUMBER LoaderPages;         /* loader-owned, not released yet */
    PFN_NUMBER BadPages;            /* on the bad list; not part of TotalPages */
    PFN_NUMBER LowestPhysicalPage;  /* MmLowestPhysicalPage */
    PFN_NUMBER HighestPhysicalPage; /* MmHighestPhysicalPage */
} MMPFN_COUNTERS, *PMMPFN_COUNTERS;

/*
 * PFN_LIST_CORRUPT (0x4E) first parameters, NT's values. The others:
 *   0x01: P2 = the list head's Flink, P3 = MmAvailablePages, P4 = the list (MMLISTS)
 *   0x07: P2 = the page, P3 = its reference count (0), P4 = its u3.EntireFrame
 *   0x8D: P2 = the page at the head of a list, P3 = its u3.EntireFrame, P4 = the list
 *   0x99: P2 = the page, P3 = its PageLocation, P4 = its u3.EntireFrame; for page 0
 *         and pages without an entry P3 = MM_EMPTY_LIST, P4 = MmHighestPhysicalPage
 * A DbgPrint line saying what was attempted comes first.
 */
#define MI_PFN_LIST_HEAD_CORRUPT     0x01   /* a list head disagrees with its Total */
#define MI_PFN_DEREFERENCE_UNDERFLOW 0x07   /* dereferenced more often than referenced */
#define MI_PFN_FREE_LIST_CORRUPT     0x8D   /* a page on a list is not in that list's state */
#define MI_PFN_PAGE_STATE_CORRUPT    0x99   /* the page's state does not allow the operation */

/*
 * Boot. The caller (the memory manager's phase 0) sizes the database with
 * MiFindHighestPhysicalPage and MiPfnDatabaseBytes, carves that many bytes out of
 * LoaderFree memory it can write to, and names those pages - and any other free
 * pages it already took, such as early page tables - in ReservedRuns.
 */

/* The highest page of RAM (free, loader-owned or bad) below 4 GB the descriptors
   describe, ignoring not-RAM types and page 0; 0 when there is none. */
PFN_NUMBER MiFindHighestPhysicalPage(const MEMORY_ALLOCATION_DESCRIPTOR *Descriptors,
                                     ULONG DescriptorCount);

/* Bytes of database for pages 0..HighestPage; 0 when HighestPage > MI_HIGHEST_POSSIBLE_PFN. */
SIZE_T MiPfnDatabaseBytes(PFN_NUMBER HighestPage);

/* FALSE for the types that describe something other than RAM (firmware, ROM...). */
BOOLEAN MiIsRamType(TYPE_OF_MEMORY Type);

/*
 * Builds the database in Database (DatabaseBytes long) from the loader's descriptors
 * (sorted, not overlapping, as KiBuildMemoryDescriptors makes them):
 *   LoaderFree -> the free list, in ascending page order;
 *   LoaderBad -> the bad list;
 *   LoaderFirmwarePermanent, LoaderSpecialMemory, LoaderBBTMemory, LoaderXIPRom,
 *   holes, pages above 4 GB and page 0 -> not RAM;
 *   every other type, LoaderFirmwareTemporary among them -> loader-owned (the ACPI
 *   tables stay out until whoever reads them calls MiFreeLoaderPages).
 * Then each page of ReservedRuns, which must be free, becomes in use with
 * ReferenceCount 1, as if MiRemoveAnyPage had returned it (a later MiDereferencePage
 * frees it normally).
 *
 * Call once, at boot, before anything else uses the database (it takes no lock).
 * Returns STATUS_INVALID_PARAMETER for a NULL Database, a NULL array with a non-zero
 * count, a type outside TYPE_OF_MEMORY, descriptors out of order or overlapping, or a
 * descriptor or run whose BasePage + PageCount overflows a ULONG; STATUS_NO_MEMORY
 * when no page but page 0 is RAM; STATUS_BUFFER_TOO_SMALL when DatabaseBytes < MiPfnDatabaseBytes(highest page);
 * STATUS_CONFLICTING_ADDRESSES when a reserved page is not free (not LoaderFree, page
 * 0, beyond the database, or reserved twice). On failure the database is left empty
 * (no page available; every page unknown).
 */
NTSTATUS MiInitializePfnDatabase(const MEMORY_ALLOCATION_DESCRIPTOR *Descriptors,
                                 ULONG DescriptorCount, PMMPFN Database, SIZE_T DatabaseBytes,
                                 const PHYSICAL_MEMORY_RUN *ReservedRuns, ULONG ReservedRunCount);

/*
 * Allocation. Both return the page in use (ReferenceCount 1, ActiveAndValid, PteAddress
 * and OriginalPte clear), or 0 when no page is available: running out is the caller's
 * status to return (STATUS_INSUFFICIENT_RESOURCES, STATUS_NO_MEMORY), never a crash.
 * Lists are FIFO, as NT's: pages are taken from the head and freed pages join the tail,
 * so after boot pages come out in ascending order and a freed page is reused last.
 */
PFN_NUMBER MiRemoveAnyPage(VOID);   /* the free list first, saving zeroed pages for
                                       those who need them; then the zeroed list */
PFN_NUMBER MiRemoveZeroPage(VOID);  /* the zeroed list first; else a free page that it
                                       zeroes with MiZeroPhysicalPage */

/* One more reference to a page in use (a second mapping, a lock). */
VOID MiReferencePage(PFN_NUMBER Page);
/*
 * One reference less; at zero the page joins the tail of the free list (NT:
 * MiDecrementReferenceCount -> MiInsertPageInFreeList). Dereferencing a page whose
 * count is already 0 (a double free), a page not in use, a not-RAM page, or the
 * loader's own last reference to a loader-owned page bugchecks PFN_LIST_CORRUPT.
 */
VOID MiDereferencePage(PFN_NUMBER Page);

/*
 * Moves up to MaxPages pages from the head of the free list to the tail of the zeroed
 * list, zeroing each (NT: the zero page thread, MmZeroPageThread). Returns how many it
 * moved (fewer when the free list ran dry). Interrupts are disabled for one page at a
 * time, so an idle thread may call it with a large MaxPages.
 */
PFN_NUMBER MiZeroFreePages(PFN_NUMBER MaxPages);

/*
 * Gives loader-owned pages back (NT: MmFreeLoaderBlock, MiFreeInitializationCode):
 * the loader's reference to each page of [BasePage, BasePage + PageCount) is dropped,
 * so the page joins the free list, or, when someone took another reference to it,
 * when that reference goes. All or nothing: STATUS_CONFLICTING_ADDRESSES when any page
 * of the run is not loader-owned, STATUS_INVALID_PARAMETER when BasePage + PageCount
 * overflows a ULONG; a PageCount of 0 does nothing.
 */
NTSTATUS MiFreeLoaderPages(PFN_NUMBER BasePage, PFN_NUMBER PageCount);

VOID MiQueryPfnCounters(PMMPFN_COUNTERS Counters);

/*
 * Checks the whole database: every list's links both ways, its Total, that each page
 * on it is in that list's state, that every page's state is one of those above, and
 * that the counters agree with what it finds. Returns TRUE when all is consistent;
 * otherwise DbgPrints the first problem and returns FALSE. O(pages): for tests and
 * debugging, not for hot paths.
 */
BOOLEAN MiValidatePfnDatabase(VOID);

/*
 * Provided by the memory manager's hardware side: fills physical page Page with
 * zeroes. Always called with interrupts disabled (the PFN lock held), so it may map
 * the page through one per-processor window (NT: MiMapPageInHyperSpace).
 */
VOID MiZeroPhysicalPage(PFN_NUMBER Page);

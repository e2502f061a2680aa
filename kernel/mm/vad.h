/*
 * vad.h - virtual address descriptors (VADs): a process's record of which user
 * addresses it has reserved, which of those pages are committed, and with what
 * protection (NT: MMVAD, EPROCESS.VadRoot, MiInsertVad, MiLocateAddress, ...).
 *
 * Private to the memory manager (kernel/mm). Pure bookkeeping: nothing here touches
 * a page table, so all of it runs in the host unit tests (tests/unit/test_vad.c).
 *
 * The model
 *   - A VAD (MMVAD) is one reservation: the pages [StartingVpn, EndingVpn] (virtual
 *     page numbers, inclusive, as NT keeps them) that one MEM_RESERVE took, with the
 *     protection it was asked for (AllocationProtect) and what backs it (Type).
 *   - Inside a VAD, an ordered list of runs (MMVAD_RUN) says page by page what is
 *     committed: each run is a maximal stretch of pages with the same State
 *     (MEM_RESERVE or MEM_COMMIT) and the same Protect (PAGE_GUARD and the other
 *     modifiers included; 0 while reserved). The runs cover the VAD exactly, in
 *     order, and two neighbours never have equal State and Protect: every operation
 *     merges what it can. So the page tables need to hold only pages that have been
 *     touched, and the regions NtQueryVirtualMemory reports are exactly the runs.
 *     NT keeps this state in the PTEs (MiQueryAddressState reads them); here the
 *     page tables are a cache of it that the fault handler fills.
 *   - The VADs of a process form an AVL tree (MM_AVL_TABLE, NT's VadRoot) ordered
 *     by address. VADs never overlap, and all lie within
 *     [MM_LOWEST_USER_ADDRESS, MM_HIGHEST_VAD_ADDRESS].
 *
 * Rules for callers
 *   - Nothing here locks. The caller holds the process's address-space lock across
 *     a whole operation (NT: LOCK_ADDRESS_SPACE, the AddressCreationLock).
 *   - Every operation either succeeds or returns an error with the tree exactly as it
 *     was: all checks and allocations come before the first change.
 *   - VADs and runs come from NonPagedPool (tags 'Vad ' and 'VadR'); a pool failure
 *     returns STATUS_INSUFFICIENT_RESOURCES, as NT's MiInsertVad callers do.
 *   - Page numbers in, page numbers out. The MiRound* helpers turn the byte ranges of
 *     the Nt services into page ranges with NT's rounding rules.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/list.h>
#include <nt/ntmmapi.h>
#include <mmlayout.h>

/* ---- page numbers and the part of user space VADs may cover ---- */

/* As integers (NT's MI_VPN_TO_VA gives a PVOID): VADs hold user addresses only. */
#define MI_VA_TO_VPN(Va)    ((ULONG_PTR)(Va) >> PAGE_SHIFT)
#define MI_VPN_TO_VA(Vpn)   ((ULONG_PTR)(Vpn) << PAGE_SHIFT)
/* The address of the last byte of page Vpn (NT: MI_VPN_TO_VA_ENDING). */
#define MI_VPN_TO_VA_ENDING(Vpn) (MI_VPN_TO_VA(Vpn) | (PAGE_SIZE - 1))

/*
 * NT: MM_HIGHEST_VAD_ADDRESS. The top 64 KB of user space is never part of a VAD:
 * KUSER_SHARED_DATA sits at its first page (MM_SHARED_USER_DATA_VA) and the rest
 * stays unusable, so every VAD ends at or below this address. NtQueryVirtualMemory
 * reports that area as a fixed region (see MiQueryRange).
 */
#define MM_HIGHEST_VAD_ADDRESS  ((ULONG_PTR)MM_HIGHEST_USER_ADDRESS - MM_ALLOCATION_GRANULARITY)
#define MI_LOWEST_VAD_VPN       MI_VA_TO_VPN(MM_LOWEST_USER_ADDRESS)
#define MI_HIGHEST_VAD_VPN      MI_VA_TO_VPN(MM_HIGHEST_VAD_ADDRESS)
/* The 64 KB allocation granularity in pages: the alignment of reservations. */
#define MI_ALLOCATION_GRANULARITY_PAGES (MM_ALLOCATION_GRANULARITY >> PAGE_SHIFT)

/* TRUE when [StartingVpn, EndingVpn] is a range a VAD may cover. */
static inline BOOLEAN MiIsVadRange(ULONG_PTR StartingVpn, ULONG_PTR EndingVpn)
{
    return StartingVpn <= EndingVpn && StartingVpn >= MI_LOWEST_VAD_VPN &&
           EndingVpn <= MI_HIGHEST_VAD_VPN;
}

/* ---- structures ---- */

/* One stretch of equal pages inside a VAD (no NT counterpart: NT reads the PTEs). */
typedef struct _MMVAD_RUN {
    LIST_ENTRY ListEntry;       /* in MMVAD.RunListHead, ascending addresses */
    ULONG_PTR StartingVpn;
    ULONG_PTR EndingVpn;        /* inclusive */
    ULONG State;                /* MEM_RESERVE or MEM_COMMIT */
    ULONG Protect;              /* PAGE_* with modifiers when committed, 0 when reserved */
} MMVAD_RUN, *PMMVAD_RUN;

/* One reservation (NT: MMVAD; its tree links are NT's MMADDRESS_NODE). */
typedef struct _MMVAD {
    struct _MMVAD *Parent;
    struct _MMVAD *LeftChild;   /* lower addresses */
    struct _MMVAD *RightChild;  /* higher addresses */
    LONG Balance;               /* height(right) - height(left): -1, 0 or +1 */
    ULONG_PTR StartingVpn;
    ULONG_PTR EndingVpn;        /* inclusive */
    ULONG Type;                 /* MEM_PRIVATE (MEM_MAPPED, MEM_IMAGE for views) */
    ULONG AllocationProtect;    /* the protection the reservation was made with */
    LIST_ENTRY RunListHead;     /* MMVAD_RUNs, covering [StartingVpn, EndingVpn] */
    /* A view of a section (Type MEM_IMAGE or MEM_MAPPED); NULL and 0 for private memory. */
    struct _SEGMENT *ControlArea;   /* the segment the view maps (NT: MMVAD.ControlArea) */
    ULONG_PTR FirstPrototypePage;   /* the segment's page at StartingVpn (NT: FirstPrototypePte) */
    ULONG ViewCommitment;           /* commit the view charged its process */
} MMVAD, *PMMVAD;

/* A process's VADs (NT: MM_AVL_TABLE, EPROCESS.VadRoot). */
typedef struct _MM_AVL_TABLE {
    PMMVAD Root;
    ULONG NumberGenericTableElements;   /* VADs in the tree */
    PMMVAD NodeHint;                    /* last VAD MiLocateAddress found, or NULL */
} MM_AVL_TABLE, *PMM_AVL_TABLE;

/*
 * Called for each run of committed pages that a decommit or release is about to take
 * away, so that the caller frees their physical pages and PTEs. It runs after every
 * check has passed and every allocation has succeeded, just before the VAD changes:
 * once it has been called, the operation cannot fail. It must not use the tree.
 */
typedef VOID (*PMI_COMMITTED_RUN_ROUTINE)(PVOID Context, ULONG_PTR StartingVpn,
                                          ULONG_PTR EndingVpn);

/* ---- the tree (vadtree.c) ---- */

VOID MiInitializeVadTable(PMM_AVL_TABLE Table);

/*
 * Links Vad (its range and runs set) into the tree. STATUS_INVALID_PARAMETER when the
 * range is empty or leaves [MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN];
 * STATUS_CONFLICTING_ADDRESSES when it overlaps a VAD already there.
 */
NTSTATUS MiInsertVad(PMM_AVL_TABLE Table, PMMVAD Vad);
/* Unlinks Vad (which must be in the tree); it is not freed. */
VOID MiRemoveVad(PMM_AVL_TABLE Table, PMMVAD Vad);

/* The VAD holding page Vpn, or NULL (NT: MiLocateAddress). */
PMMVAD MiLocateAddress(PMM_AVL_TABLE Table, ULONG_PTR Vpn);
/* The lowest VAD that overlaps [StartingVpn, EndingVpn], or NULL. */
PMMVAD MiCheckForConflictingVad(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn,
                                ULONG_PTR EndingVpn);

/* In-order walk: ascending addresses (NT: MiGetFirstVad, MiGetNextVad, ...). */
PMMVAD MiGetFirstVad(PMM_AVL_TABLE Table);
PMMVAD MiGetLastVad(PMM_AVL_TABLE Table);
PMMVAD MiGetNextVad(PMMVAD Vad);
PMMVAD MiGetPreviousVad(PMMVAD Vad);

/*
 * A free range of PageCount pages starting on a multiple of AlignmentPages (a power
 * of two) inside [LowestVpn, HighestVpn]: the lowest one (NT: MiFindEmptyAddressRange)
 * or, for MEM_TOP_DOWN, the highest (NT: MiFindEmptyAddressRangeDown). Returns
 * STATUS_NO_MEMORY when there is none, STATUS_INVALID_PARAMETER for a zero count, a
 * bad alignment or LowestVpn > HighestVpn.
 */
NTSTATUS MiFindEmptyAddressRange(PMM_AVL_TABLE Table, ULONG_PTR PageCount,
                                 ULONG_PTR AlignmentPages, ULONG_PTR LowestVpn,
                                 ULONG_PTR HighestVpn, PULONG_PTR StartingVpn);
NTSTATUS MiFindEmptyAddressRangeDown(PMM_AVL_TABLE Table, ULONG_PTR PageCount,
                                     ULONG_PTR AlignmentPages, ULONG_PTR LowestVpn,
                                     ULONG_PTR HighestVpn, PULONG_PTR StartingVpn);

/*
 * Checks everything the code relies on: AVL links, balance factors and heights,
 * address order and bounds, the node count and hint, and the runs of every VAD
 * (MiValidateVadRuns). FALSE with *Failure naming the first broken rule.
 */
BOOLEAN MiValidateVadTree(PMM_AVL_TABLE Table, PCSTR *Failure);

/* ---- one VAD and its runs (vad.c) ---- */

/*
 * A new VAD for [StartingVpn, EndingVpn], not in any tree, with one run in State
 * (MEM_RESERVE or MEM_COMMIT) and Protect (ignored when reserved). NULL when the
 * pool is out of memory.
 */
PMMVAD MiAllocateVad(ULONG_PTR StartingVpn, ULONG_PTR EndingVpn, ULONG Type,
                     ULONG AllocationProtect, ULONG State, ULONG Protect);
/* Frees Vad and its runs; Vad must not be in a tree. */
VOID MiFreeVad(PMMVAD Vad);

/* The run of Vad that holds page Vpn (which must lie in Vad). */
PMMVAD_RUN MiLocateRun(PMMVAD Vad, ULONG_PTR Vpn);

/*
 * Calls Routine (when not NULL) for each stretch of committed pages in
 * [StartingVpn, EndingVpn] of Vad, and returns how many committed pages there are.
 */
ULONG_PTR MiEnumerateCommittedRuns(PMMVAD Vad, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                                   PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context);

/*
 * Gives the pages [StartingVpn, EndingVpn] (inside Vad) the State (MEM_RESERVE or
 * MEM_COMMIT) and Protect (a valid protection; ignored when reserving), splitting and
 * merging runs. Before the change, Routine (when not NULL) is called for the
 * committed pages of the range. STATUS_INSUFFICIENT_RESOURCES (nothing changed, no
 * call made) when a run cannot be allocated; at most two are. The building block of
 * the operations below, which check the range and protection first.
 */
NTSTATUS MiSetRunRange(PMMVAD Vad, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                       ULONG State, ULONG Protect,
                       PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context);

/* Shrinks Vad to start at NewStartingVpn / end at NewEndingVpn (inside it). */
VOID MiTrimVadStart(PMMVAD Vad, ULONG_PTR NewStartingVpn);
VOID MiTrimVadEnd(PMMVAD Vad, ULONG_PTR NewEndingVpn);
/*
 * Moves the pages [UpperVad->StartingVpn, Vad->EndingVpn] of Vad, with their runs,
 * into UpperVad, which MiAllocateVad made for exactly that range; Vad then ends just
 * below it. Cannot fail: UpperVad's one run is reused for the first moved run.
 */
VOID MiSplitVad(PMMVAD Vad, PMMVAD UpperVad);

/* The run rules of the model above, for MiValidateVadTree. */
BOOLEAN MiValidateVadRuns(PMMVAD Vad, PCSTR *Failure);

/* ---- protections (vad.c) ---- */

/*
 * STATUS_SUCCESS when Protect is one base protection, alone or with exactly one of
 * PAGE_GUARD, PAGE_NOCACHE, PAGE_WRITECOMBINE, and not a modifier with PAGE_NOACCESS;
 * otherwise STATUS_INVALID_PAGE_PROTECTION (NT: MiMakeProtectionMask failing).
 */
NTSTATUS MiValidateProtection(ULONG Protect);
/* PAGE_WRITECOPY or PAGE_EXECUTE_WRITECOPY: only a mapped view may have them. */
BOOLEAN MiIsWriteCopyProtection(ULONG Protect);
/*
 * Whether a view mapped with MaximumProtect (a section's, a view's) may have
 * Protect: no writing (write-copy aside) unless MaximumProtect writes, no execute
 * unless it executes (NT: MiIsPteProtectionCompatible; STATUS_SECTION_PROTECTION).
 */
BOOLEAN MiIsProtectionCompatible(ULONG MaximumProtect, ULONG Protect);
/* Committed pages of [StartingVpn, EndingVpn] in Vad whose protection is write-copy. */
ULONG_PTR MiCountWriteCopyPages(PMMVAD Vad, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn);

/* ---- the operations behind the Nt services (vadrange.c) ---- */

/*
 * NtAllocateVirtualMemory(MEM_RESERVE [| MEM_COMMIT]) once the range is chosen: a
 * new private VAD for [StartingVpn, EndingVpn] with AllocationProtect = Protect, all
 * reserved, or all committed with Protect when AllocationType has MEM_COMMIT.
 * AllocationType must be MEM_RESERVE or MEM_RESERVE | MEM_COMMIT (the caller deals
 * with MEM_TOP_DOWN by choosing the range): STATUS_INVALID_PARAMETER otherwise.
 * Then, in NT's order: STATUS_INVALID_PAGE_PROTECTION (invalid, or write-copy, which
 * NtAllocateVirtualMemory never accepts), STATUS_INVALID_PARAMETER (empty range or
 * outside the VAD area), STATUS_CONFLICTING_ADDRESSES (overlaps a VAD),
 * STATUS_INSUFFICIENT_RESOURCES. Vad (optional) receives the new VAD.
 */
NTSTATUS MiReserveRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                        ULONG AllocationType, ULONG Protect, PMMVAD *Vad);

/*
 * NtAllocateVirtualMemory(MEM_COMMIT) inside an existing reservation: the pages are
 * committed with Protect; pages already committed stay committed and take Protect
 * too (NT changes the protection of the whole range). The range must lie inside one
 * VAD: STATUS_CONFLICTING_ADDRESSES otherwise. STATUS_INVALID_PAGE_PROTECTION for an
 * invalid or write-copy protection. NewlyCommitted (optional) receives the number of
 * pages that were reserved before: the commit charge this costs.
 */
NTSTATUS MiCommitRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                       ULONG Protect, PULONG_PTR NewlyCommitted);

/*
 * NtFreeVirtualMemory(MEM_DECOMMIT): the pages become reserved again. NT's checks:
 * STATUS_MEMORY_NOT_ALLOCATED when StartingVpn is in no VAD, STATUS_UNABLE_TO_FREE_VM
 * when the range runs past the end of that VAD, STATUS_UNABLE_TO_DELETE_SECTION for a
 * view of a section. Pages that were only reserved are no error. Routine is called
 * for the committed pages (see PMI_COMMITTED_RUN_ROUTINE); Decommitted (optional)
 * receives their count.
 */
NTSTATUS MiDecommitRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                         PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context,
                         PULONG_PTR Decommitted);

/*
 * NtFreeVirtualMemory(MEM_RELEASE): the pages stop being reserved. Checks as for
 * MiDecommitRange. The whole VAD is deleted when the range is all of it; otherwise
 * (private memory only, as in NT) the VAD loses its start, its end, or is split in
 * two around a middle range - the one case that allocates (a new VAD). Routine and
 * Released (optional) report the committed pages given up.
 */
NTSTATUS MiReleaseRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                        PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context,
                        PULONG_PTR Released);

/*
 * NtProtectVirtualMemory: gives the committed pages of the range NewProtect and
 * returns in OldProtect the protection the first page had (NT's OldProtect).
 * STATUS_INVALID_PAGE_PROTECTION (invalid; write-copy on private memory),
 * STATUS_CONFLICTING_ADDRESSES (not inside one VAD), STATUS_NOT_COMMITTED (a page of
 * the range is only reserved), STATUS_INSUFFICIENT_RESOURCES; nothing changes then.
 */
NTSTATUS MiProtectRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                        ULONG NewProtect, PULONG OldProtect);

/*
 * NtQueryVirtualMemory(MemoryBasicInformation) for Address, as NT fills it:
 *   in a VAD   BaseAddress = the page of Address, RegionSize = from there to the end
 *              of its run; State and Protect of the run (Protect 0 when reserved);
 *              AllocationBase, AllocationProtect and Type from the VAD.
 *   free       BaseAddress = the page of Address, RegionSize = up to the next VAD or
 *              MM_HIGHEST_VAD_ADDRESS + 1; AllocationBase NULL, AllocationProtect 0,
 *              State MEM_FREE, Protect PAGE_NOACCESS, Type 0.
 *   top 64 KB  (above MM_HIGHEST_VAD_ADDRESS) one private reservation at
 *              MM_HIGHEST_VAD_ADDRESS + 1 with AllocationProtect PAGE_READONLY: the
 *              KUSER_SHARED_DATA page is committed PAGE_READONLY (RegionSize one
 *              page), the rest reserved with Protect PAGE_NOACCESS up to the end of
 *              user space. (NT 5 tests Address >= MM_HIGHEST_VAD_ADDRESS, which takes
 *              the last byte of the VAD area for this area too; this uses >.)
 * STATUS_INVALID_PARAMETER above MM_HIGHEST_USER_ADDRESS.
 */
NTSTATUS MiQueryRange(PMM_AVL_TABLE Table, ULONG_PTR Address,
                      PMEMORY_BASIC_INFORMATION Info);

/*
 * What the page-fault handler needs about one page: MEM_FREE (in no VAD),
 * MEM_RESERVE or MEM_COMMIT; Protect receives the protection (PAGE_GUARD included)
 * of a committed page, 0 otherwise; Vad (optional) the VAD or NULL.
 */
ULONG MiQueryPage(PMM_AVL_TABLE Table, ULONG_PTR Vpn, PULONG Protect, PMMVAD *Vad);

/*
 * The first touch of a guard page takes its PAGE_GUARD away (the fault handler then
 * raises STATUS_GUARD_PAGE_VIOLATION, as NT's MiAccessCheck does). STATUS_SUCCESS
 * when the bit was cleared; STATUS_INVALID_PARAMETER when Vpn is not a committed
 * guard page; STATUS_INSUFFICIENT_RESOURCES when splitting its run needs memory.
 */
NTSTATUS MiClearGuardPage(PMM_AVL_TABLE Table, ULONG_PTR Vpn);

/*
 * Process teardown: removes and frees every VAD, calling Routine for every committed
 * run first (NT: the VAD part of MmCleanProcessAddressSpace). Cannot fail.
 */
VOID MiDeleteAllVads(PMM_AVL_TABLE Table, PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context);

/* ---- NT's rounding of the Nt services' byte ranges (vadrange.c) ---- */

/*
 * MEM_RESERVE at a given BaseAddress (NT: NtAllocateVirtualMemory): the start rounds
 * down to the 64 KB granularity, the end up to the page holding the last byte
 * (BaseAddress + RegionSize - 1). STATUS_INVALID_PARAMETER (NT: ..._PARAMETER_2/_4)
 * when RegionSize is 0, when the range leaves [0, MM_HIGHEST_VAD_ADDRESS], or when
 * it starts below MM_LOWEST_USER_ADDRESS (the null guard: XP would map it; Windows 8
 * and later refuse, and so do we).
 */
NTSTATUS MiRoundReserveRange(ULONG_PTR BaseAddress, SIZE_T RegionSize,
                             PULONG_PTR StartingVpn, PULONG_PTR EndingVpn);
/*
 * MEM_RESERVE with BaseAddress NULL (the system chooses): RegionSize rounded up to
 * whole pages, for MiFindEmptyAddressRange[Down] with MI_ALLOCATION_GRANULARITY_PAGES.
 * STATUS_INVALID_PARAMETER when 0 or larger than the VAD area.
 */
NTSTATUS MiRoundReserveSize(SIZE_T RegionSize, PULONG_PTR PageCount);
/*
 * MEM_COMMIT, NtProtectVirtualMemory, and MEM_DECOMMIT/MEM_RELEASE with a size: the
 * pages from the one holding BaseAddress to the one holding the last byte.
 * STATUS_INVALID_PARAMETER when RegionSize is 0 or the range leaves user space.
 */
NTSTATUS MiRoundPageRange(ULONG_PTR BaseAddress, SIZE_T RegionSize,
                          PULONG_PTR StartingVpn, PULONG_PTR EndingVpn);
/*
 * NtFreeVirtualMemory's range: with a RegionSize, MiRoundPageRange; with RegionSize 0
 * (both MEM_DECOMMIT and MEM_RELEASE) the whole VAD, and then BaseAddress must lie in
 * the first page of a VAD: STATUS_MEMORY_NOT_ALLOCATED when it is in none,
 * STATUS_FREE_VM_NOT_AT_BASE when it is inside one but not at its start.
 */
NTSTATUS MiRoundFreeRange(PMM_AVL_TABLE Table, ULONG_PTR BaseAddress, SIZE_T RegionSize,
                          PULONG_PTR StartingVpn, PULONG_PTR EndingVpn);

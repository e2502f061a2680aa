/*
 * mi.h - the memory manager's private declarations shared by its files
 * (NT: ntos\mm\mi.h). The PFN database and the VAD tree have headers of their own.
 */
#pragma once

#include <mm.h>
#include <ke.h>
#include <ex.h>
#include "pfn.h"
#include "vad.h"
#include <nt/ntpsapi.h>   /* the process access rights the services ask for */

/* A PTE for a physical page, with the given PTE_* bits. */
#define MI_MAKE_PTE(Page, Bits) ((MMPTE)(((ULONG)(Page) << PAGE_SHIFT) | (Bits)))
#define MI_PTE_PAGE(Pte)        ((PFN_NUMBER)((Pte) >> PAGE_SHIFT))
/* A PTE that names a page: present, or retained (see PTE_RETAINED). */
#define MI_PTE_HAS_PAGE(Pte)    (((Pte) & (PTE_PRESENT | PTE_RETAINED)) != 0)

/* The kernel address of a physical page and back (KSEG0 maps all RAM we use). */
#define MI_PFN_TO_KSEG0(Page)   ((PVOID)(KSEG0_BASE + ((ULONG_PTR)(Page) << PAGE_SHIFT)))
#define MI_IS_KSEG0(Va)         ((ULONG_PTR)(Va) >= KSEG0_BASE && (ULONG_PTR)(Va) < MM_KSEG0_END)
#define MI_KSEG0_TO_PFN(Va)     ((PFN_NUMBER)(((ULONG_PTR)(Va) - KSEG0_BASE) >> PAGE_SHIFT))

#define MI_PDE_INDEX(Va)        ((ULONG)((ULONG_PTR)(Va) >> 22))
#define MI_USER_PDE_COUNT       (KSEG0_BASE >> 22)      /* PDEs 0..511 map user space */

/*
 * The memory manager's part of a process (NT keeps these in KPROCESS and EPROCESS:
 * DirectoryTableBase, VadRoot, the working-set and commit counters).
 */
struct _MM_ADDRESS_SPACE {
    ULONG DirectoryTableBase;   /* physical address of the page directory (CR3) */
    PFN_NUMBER DirectoryPage;
    MM_AVL_TABLE VadRoot;       /* what is reserved and committed, and how */
    ULONG PageTablePages;       /* user page tables present */
    ULONG ResidentPages;        /* user pages with a physical page */
    ULONG CommittedPages;       /* commit charged (NT: EPROCESS.CommitCharge) */
    KEVENT AddressCreationLock; /* one service at a time changes the VADs (NT's name) */
};

/*
 * Two rules keep a space's VADs and PTEs consistent on one processor:
 *   - the services that change them (allocate, free, protect, map, unmap) hold the
 *     space's AddressCreationLock from their first look at the tree to their last
 *     change, so a choice of free addresses still holds when it is used;
 *   - each change of the tree or of the PTEs it governs is made with interrupts
 *     off (MiLockVadTree), as the page-fault handler runs: a fault never sees a
 *     half-made change, nor re-creates a PTE whose VAD is going away.
 */
VOID MiInitializeAddressSpaceLock(PMM_ADDRESS_SPACE Space);
VOID MiLockAddressSpace(PMM_ADDRESS_SPACE Space);
VOID MiUnlockAddressSpace(PMM_ADDRESS_SPACE Space);
#define MiLockVadTree()          KiDisableInterrupts()
#define MiUnlockVadTree(Enabled) KiRestoreInterrupts(Enabled)

extern MM_ADDRESS_SPACE MmSystemAddressSpace;
extern PMM_ADDRESS_SPACE MmCurrentAddressSpace;

/*
 * The address space a process handle names, for the services (ntvirt.c):
 * NtCurrentProcess() is the current one; another process's is held with the
 * process (referenced, its exit held off: STATUS_PROCESS_IS_TERMINATING once it
 * is past it) until MiDereferenceProcessSpace(*Process).
 */
NTSTATUS MiReferenceProcessSpace(HANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                                 KPROCESSOR_MODE PreviousMode, PMM_ADDRESS_SPACE *Space, PVOID *Process);
VOID MiDereferenceProcessSpace(PVOID Process);

/* NtAllocateVirtualMemory's and NtMapViewOfSection's largest ZeroBits (NT: 21). */
#define MI_MAXIMUM_ZERO_BITS 21


/* Page-table work in the current address space (pagetab.c). */
NTSTATUS MiMakePdeValid(PMM_ADDRESS_SPACE Space, ULONG_PTR Va);
VOID MiDeleteUserPage(PMM_ADDRESS_SPACE Space, ULONG_PTR Va);
MMPTE MiUserPteBits(ULONG Protect);
VOID MiFlushTb(PVOID Va);

/* System PTEs (syspte.c). */
VOID MiInitializeSystemPtes(VOID);
PVOID MiReserveSystemPtes(ULONG Count);
VOID MiReleaseSystemPtes(PVOID BaseAddress, ULONG Count);
/* Maps the given pages at Count fresh system PTEs (NT: MmMapLockedPages), and back. */
PVOID MiMapPagesInSystemSpace(const PFN_NUMBER *Pages, ULONG Count);
VOID MiUnmapPagesInSystemSpace(PVOID BaseAddress, ULONG Count);
VOID MiCheckSystemPtesTaken(PVOID BaseAddress, ULONG Count);
ULONG MiFreeSystemPteCount(VOID);

/* Commit accounting (virtual.c): NT's MmTotalCommittedPages against the limit. */
extern ULONG MmTotalCommittedPages;
extern ULONG MmTotalCommitLimit;
/* Charges Pages against the limit (STATUS_COMMITMENT_LIMIT), and to Space when not
   NULL (a segment's pages are the system's); returning gives them back. */
NTSTATUS MiChargeCommitment(PMM_ADDRESS_SPACE Space, ULONG Pages);
VOID MiReturnCommitment(PMM_ADDRESS_SPACE Space, ULONG Pages);

/*
 * Memory is short (segment.c): the image cache is emptied, its pages and commit
 * given back; TRUE when there was anything. Callable with the address space's and
 * a file system's locks held (the cached images' files are closed later), not
 * with MiSegmentLock or at raised IRQL.
 */
BOOLEAN MiTrimUnusedSegments(VOID);

/* KUSER_SHARED_DATA (shared.c). */
VOID MiInitializeSharedUserData(VOID);
extern PFN_NUMBER MiSharedUserDataPage;
VOID MiMapUserPage(PMM_ADDRESS_SPACE Space, ULONG_PTR Va, PFN_NUMBER Page, ULONG Protect);
VOID MiSetUserPageProtection(ULONG_PTR Va, ULONG Protect);
BOOLEAN MiIsWritableProtection(ULONG Protect);

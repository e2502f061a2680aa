/*
 * virtual.c - the bodies of NtAllocateVirtualMemory, NtFreeVirtualMemory,
 * NtProtectVirtualMemory and NtQueryVirtualMemory for the current address space.
 *
 * The VAD tree (vad.h) decides and records what is reserved and committed with
 * what protection; this file adds what it cannot know: rounding and placement of
 * new reservations, the commit charge against the commit limit, and the physical
 * pages and PTEs of pages that go away or change protection. Pages are only ever
 * materialized by the page-fault handler (demand zero).
 */
#include "mi.h"
#include <rtl.h>

ULONG MmTotalCommittedPages;
/* No paging file: what can be committed is RAM, less a reserve for the kernel. */
ULONG MmTotalCommitLimit;
#define MI_COMMIT_RESERVE_PAGES 256

#define MI_VALID_ALLOCATION_TYPES (MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_TOP_DOWN)

static ULONG MipCommitLimit(VOID)
{
    if (MmTotalCommitLimit == 0)
        MmTotalCommitLimit = MmNumberOfPhysicalPages > MI_COMMIT_RESERVE_PAGES ?
                             MmNumberOfPhysicalPages - MI_COMMIT_RESERVE_PAGES : 0;
    return MmTotalCommitLimit;
}

NTSTATUS MiChargeCommitment(PMM_ADDRESS_SPACE Space, ULONG Pages)
{
    /* Cached images hold commit that is anyone's for the asking (NT frees unused
       segments when commit runs short), not only a new image's. */
    if (Pages > MipCommitLimit() - MmTotalCommittedPages &&
        (!MiTrimUnusedSegments() || Pages > MipCommitLimit() - MmTotalCommittedPages))
        return STATUS_COMMITMENT_LIMIT;
    MmTotalCommittedPages += Pages;
    if (Space != NULL)
        Space->CommittedPages += Pages;
    return STATUS_SUCCESS;
}

VOID MiReturnCommitment(PMM_ADDRESS_SPACE Space, ULONG Pages)
{
    MmTotalCommittedPages -= Pages;
    if (Space != NULL)
        Space->CommittedPages -= Pages;
}

static NTSTATUS MipChargeCommit(ULONG Pages)
{
    return MiChargeCommitment(MmCurrentAddressSpace, Pages);
}

static VOID MipReturnCommit(ULONG Pages)
{
    MiReturnCommitment(MmCurrentAddressSpace, Pages);
}

/* Committed pages going away: free their physical pages (and empty page tables). */
static VOID MipDeleteCommittedRun(PVOID Context, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn)
{
    ULONG_PTR Vpn;
    UNREFERENCED_PARAMETER(Context);

    for (Vpn = StartingVpn; Vpn <= EndingVpn; Vpn++)
        MiDeleteUserPage(MmCurrentAddressSpace, MI_VPN_TO_VA(Vpn));
}

/* Re-derives the PTEs of the pages that exist in [StartingVpn, EndingVpn]. */
static VOID MipReprotect(ULONG_PTR StartingVpn, ULONG_PTR EndingVpn, ULONG Protect)
{
    ULONG_PTR Vpn;

    for (Vpn = StartingVpn; Vpn <= EndingVpn; Vpn++)
        MiSetUserPageProtection(MI_VPN_TO_VA(Vpn), Protect);
}

static NTSTATUS MipReserve(PMM_AVL_TABLE Table, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                           PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect)
{
    ULONG_PTR Start, End, Pages, Highest = MI_HIGHEST_VAD_VPN;
    BOOLEAN Commit = (AllocationType & MEM_COMMIT) != 0, Enabled;
    NTSTATUS Status;

    if (*BaseAddress != NULL) {
        Status = MiRoundReserveRange((ULONG_PTR)*BaseAddress, *RegionSize, &Start, &End);
        if (!NT_SUCCESS(Status))
            return Status;
    } else {
        Status = MiRoundReserveSize(*RegionSize, &Pages);
        if (!NT_SUCCESS(Status))
            return Status;
        /* ZeroBits: that many high bits of the address must be zero. */
        if (ZeroBits != 0 && MI_VA_TO_VPN(0xFFFFFFFFUL >> ZeroBits) < Highest)
            Highest = MI_VA_TO_VPN(0xFFFFFFFFUL >> ZeroBits);
        if (Highest < MI_LOWEST_VAD_VPN)
            return STATUS_NO_MEMORY;        /* NT: no room below the ZeroBits limit */
        Status = (AllocationType & MEM_TOP_DOWN) ?
            MiFindEmptyAddressRangeDown(Table, Pages, MI_ALLOCATION_GRANULARITY_PAGES,
                                        MI_LOWEST_VAD_VPN, Highest, &Start) :
            MiFindEmptyAddressRange(Table, Pages, MI_ALLOCATION_GRANULARITY_PAGES,
                                    MI_LOWEST_VAD_VPN, Highest, &Start);
        if (!NT_SUCCESS(Status))
            return Status;
        End = Start + Pages - 1;
    }

    if (Commit) {
        Status = MipChargeCommit((ULONG)(End - Start + 1));
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Enabled = MiLockVadTree();
    Status = MiReserveRange(Table, Start, End, AllocationType & (MEM_RESERVE | MEM_COMMIT),
                            Protect, NULL);
    MiUnlockVadTree(Enabled);
    if (!NT_SUCCESS(Status)) {
        if (Commit)
            MipReturnCommit((ULONG)(End - Start + 1));
        return Status;
    }
    *BaseAddress = (PVOID)MI_VPN_TO_VA(Start);
    *RegionSize = MI_VPN_TO_VA(End - Start + 1);
    return STATUS_SUCCESS;
}

static NTSTATUS MipCommit(PMM_AVL_TABLE Table, PVOID *BaseAddress, PSIZE_T RegionSize,
                          ULONG Protect)
{
    ULONG_PTR Start, End, NewlyCommitted;
    ULONG AlreadyCommitted;
    BOOLEAN Enabled;
    PMMVAD Vad;
    NTSTATUS Status;

    Status = MiRoundPageRange((ULONG_PTR)*BaseAddress, *RegionSize, &Start, &End);
    if (!NT_SUCCESS(Status))
        return Status;
    Vad = MiLocateAddress(Table, Start);
    if (Vad == NULL || End > Vad->EndingVpn)
        return STATUS_CONFLICTING_ADDRESSES;
    /* Every page of a view is committed when it is mapped (there are no SEC_RESERVE
       sections to commit views of), and its protection is NtProtectVirtualMemory's. */
    if (Vad->Type != MEM_PRIVATE)
        return STATUS_CONFLICTING_ADDRESSES;

    /* Charge what is new before committing, so a refused charge changes nothing. */
    AlreadyCommitted = (ULONG)MiEnumerateCommittedRuns(Vad, Start, End, NULL, NULL);
    Status = MipChargeCommit((ULONG)(End - Start + 1) - AlreadyCommitted);
    if (!NT_SUCCESS(Status))
        return Status;
    Enabled = MiLockVadTree();
    Status = MiCommitRange(Table, Start, End, Protect, &NewlyCommitted);
    /* Pages committed before take the new protection too. */
    if (NT_SUCCESS(Status) && AlreadyCommitted)
        MipReprotect(Start, End, Protect);
    MiUnlockVadTree(Enabled);
    if (!NT_SUCCESS(Status)) {
        MipReturnCommit((ULONG)(End - Start + 1) - AlreadyCommitted);
        return Status;
    }
    *BaseAddress = (PVOID)MI_VPN_TO_VA(Start);
    *RegionSize = MI_VPN_TO_VA(End - Start + 1);
    return STATUS_SUCCESS;
}

static NTSTATUS MipAllocateVirtualMemory(PVOID *BaseAddress, ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                         ULONG AllocationType, ULONG Protect)
{
    PMM_AVL_TABLE Table = &MmCurrentAddressSpace->VadRoot;
    NTSTATUS Status;

    if (ZeroBits > MI_MAXIMUM_ZERO_BITS || *RegionSize == 0 ||
        (AllocationType & ~MI_VALID_ALLOCATION_TYPES) != 0 ||
        (AllocationType & (MEM_COMMIT | MEM_RESERVE | MEM_RESET)) == 0)
        return STATUS_INVALID_PARAMETER;
    Status = MiValidateProtection(Protect);
    if (!NT_SUCCESS(Status))
        return Status;
    if (MiIsWriteCopyProtection(Protect))
        return STATUS_INVALID_PAGE_PROTECTION;

    if (AllocationType & MEM_RESET) {
        /* "The contents are no longer needed": allowed alone, on committed pages.
           Without a paging file, keeping the contents is all that can be done. */
        ULONG_PTR Start, End;
        PMMVAD Vad;

        if (AllocationType != MEM_RESET)
            return STATUS_INVALID_PARAMETER;
        Status = MiRoundPageRange((ULONG_PTR)*BaseAddress, *RegionSize, &Start, &End);
        if (!NT_SUCCESS(Status))
            return Status;
        Vad = MiLocateAddress(Table, Start);
        if (Vad == NULL || End > Vad->EndingVpn ||
            MiEnumerateCommittedRuns(Vad, Start, End, NULL, NULL) != End - Start + 1)
            return STATUS_CONFLICTING_ADDRESSES;
        *BaseAddress = (PVOID)MI_VPN_TO_VA(Start);
        *RegionSize = MI_VPN_TO_VA(End - Start + 1);
        return STATUS_SUCCESS;
    }

    /* NT: MEM_COMMIT with no address reserves as well. */
    if ((AllocationType & MEM_RESERVE) || *BaseAddress == NULL)
        return MipReserve(Table, BaseAddress, ZeroBits, RegionSize,
                          AllocationType | MEM_RESERVE, Protect);
    /* MEM_TOP_DOWN means nothing to a commit inside a reservation: NT ignores it. */
    return MipCommit(Table, BaseAddress, RegionSize, Protect);
}

static NTSTATUS MipFreeVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType)
{
    PMM_AVL_TABLE Table = &MmCurrentAddressSpace->VadRoot;
    ULONG_PTR Start, End, Freed = 0;
    BOOLEAN Enabled;
    NTSTATUS Status;

    if (FreeType != MEM_DECOMMIT && FreeType != MEM_RELEASE)
        return STATUS_INVALID_PARAMETER;
    Status = MiRoundFreeRange(Table, (ULONG_PTR)*BaseAddress, *RegionSize, &Start, &End);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The PTEs go with the VAD's change, in one step a fault cannot see half of. */
    Enabled = MiLockVadTree();
    if (FreeType == MEM_DECOMMIT)
        Status = MiDecommitRange(Table, Start, End, MipDeleteCommittedRun, NULL, &Freed);
    else
        Status = MiReleaseRange(Table, Start, End, MipDeleteCommittedRun, NULL, &Freed);
    MiUnlockVadTree(Enabled);
    if (!NT_SUCCESS(Status))
        return Status;
    MipReturnCommit((ULONG)Freed);
    *BaseAddress = (PVOID)MI_VPN_TO_VA(Start);
    *RegionSize = MI_VPN_TO_VA(End - Start + 1);
    return STATUS_SUCCESS;
}

static NTSTATUS MipProtectVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG NewProtect,
                                        PULONG OldProtect)
{
    PMM_AVL_TABLE Table = &MmCurrentAddressSpace->VadRoot;
    ULONG_PTR Start, End, NewCopies = 0;
    BOOLEAN Enabled;
    PMMVAD Vad;
    NTSTATUS Status;

    Status = MiRoundPageRange((ULONG_PTR)*BaseAddress, *RegionSize, &Start, &End);
    if (!NT_SUCCESS(Status))
        return Status;
    /* An image's pages are shared by every process that maps it: made writable, they
       become write-copy, so a write changes only the writer's copy (NT does this). */
    Vad = MiLocateAddress(Table, Start);
    if (Vad != NULL && Vad->Type == MEM_IMAGE) {
        if ((NewProtect & 0xFF) == PAGE_READWRITE)
            NewProtect = (NewProtect & ~0xFF) | PAGE_WRITECOPY;
        else if ((NewProtect & 0xFF) == PAGE_EXECUTE_READWRITE)
            NewProtect = (NewProtect & ~0xFF) | PAGE_EXECUTE_WRITECOPY;
    }
    /* A view of a section never gets more than it was mapped with (NT's check). */
    if (Vad != NULL && Vad->Type == MEM_MAPPED && End <= Vad->EndingVpn &&
        !MiIsProtectionCompatible(Vad->AllocationProtect, NewProtect))
        return STATUS_SECTION_PROTECTION;
    /* Pages of a view that become write-copy may each be copied: the process is
       charged for them now (the view gives the charge back when it goes). */
    if (Vad != NULL && Vad->ControlArea != NULL && End <= Vad->EndingVpn &&
        MiIsWriteCopyProtection(NewProtect)) {
        NewCopies = (End - Start + 1) - MiCountWriteCopyPages(Vad, Start, End);
        Status = MipChargeCommit((ULONG)NewCopies);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Enabled = MiLockVadTree();
    Status = MiProtectRange(Table, Start, End, NewProtect, OldProtect);
    if (NT_SUCCESS(Status))
        MipReprotect(Start, End, NewProtect);
    MiUnlockVadTree(Enabled);
    if (!NT_SUCCESS(Status)) {
        MipReturnCommit((ULONG)NewCopies);
        return Status;
    }
    if (NewCopies != 0)
        Vad->ViewCommitment += (ULONG)NewCopies;
    *BaseAddress = (PVOID)MI_VPN_TO_VA(Start);
    *RegionSize = MI_VPN_TO_VA(End - Start + 1);
    return STATUS_SUCCESS;
}

/* The services' bodies, each under the current space's AddressCreationLock. */

NTSTATUS MmAllocateVirtualMemory(PVOID *BaseAddress, ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                 ULONG AllocationType, ULONG Protect)
{
    PMM_ADDRESS_SPACE Space = MmCurrentAddressSpace;
    NTSTATUS Status;

    MiLockAddressSpace(Space);
    Status = MipAllocateVirtualMemory(BaseAddress, ZeroBits, RegionSize, AllocationType, Protect);
    MiUnlockAddressSpace(Space);
    return Status;
}

NTSTATUS MmFreeVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType)
{
    PMM_ADDRESS_SPACE Space = MmCurrentAddressSpace;
    NTSTATUS Status;

    MiLockAddressSpace(Space);
    Status = MipFreeVirtualMemory(BaseAddress, RegionSize, FreeType);
    MiUnlockAddressSpace(Space);
    return Status;
}

NTSTATUS MmProtectVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG NewProtect,
                                PULONG OldProtect)
{
    PMM_ADDRESS_SPACE Space = MmCurrentAddressSpace;
    NTSTATUS Status;

    MiLockAddressSpace(Space);
    Status = MipProtectVirtualMemory(BaseAddress, RegionSize, NewProtect, OldProtect);
    MiUnlockAddressSpace(Space);
    return Status;
}

NTSTATUS MmQueryVirtualMemory(PVOID BaseAddress, MEMORY_INFORMATION_CLASS InformationClass,
                              PVOID Information, SIZE_T Length, PSIZE_T ReturnLength)
{
    MEMORY_BASIC_INFORMATION Basic;
    NTSTATUS Status;

    if (InformationClass != MemoryBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (Length < sizeof(Basic))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = MiQueryRange(&MmCurrentAddressSpace->VadRoot, (ULONG_PTR)BaseAddress, &Basic);
    if (!NT_SUCCESS(Status))
        return Status;
    memcpy(Information, &Basic, sizeof(Basic));
    if (ReturnLength)
        *ReturnLength = sizeof(Basic);
    return STATUS_SUCCESS;
}

VOID MmQueryMemoryCounters(PMM_MEMORY_COUNTERS Counters)
{
    MMPFN_COUNTERS Pfn;

    MiQueryPfnCounters(&Pfn);
    Counters->TotalPages = Pfn.TotalPages;
    Counters->AvailablePages = Pfn.AvailablePages;
    Counters->InUsePages = Pfn.InUsePages;
    Counters->CommittedPages = MmTotalCommittedPages;
    Counters->CommitLimit = MipCommitLimit();
    Counters->FreeSystemPtes = MiFreeSystemPteCount();
}

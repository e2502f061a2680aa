/*
 * vadrange.c - the VAD side of the virtual-memory services, with NT's semantics and
 * status codes: reserve, commit, decommit, release, protect, query (NT:
 * NtAllocateVirtualMemory, NtFreeVirtualMemory, NtProtectVirtualMemory and
 * NtQueryVirtualMemory, minus the page tables), the page-fault handler's view of one
 * page, and NT's rounding of the services' byte ranges.
 *
 * Each operation checks everything and allocates everything it needs before it
 * changes anything, so a failure leaves the tree as it was.
 */
#include "vad.h"
#include <ke.h>

/* The area above the VADs that NtQueryVirtualMemory describes itself (MiQueryRange). */
_Static_assert(MM_SHARED_USER_DATA_VA == MM_HIGHEST_VAD_ADDRESS + 1,
               "KUSER_SHARED_DATA opens the 64 KB above the VAD area");

/* The VAD that holds all of [StartingVpn, EndingVpn], or NULL. */
static PMMVAD MipLocateRangeVad(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn,
                                ULONG_PTR EndingVpn)
{
    PMMVAD Vad;

    if (StartingVpn > EndingVpn)
        return NULL;
    Vad = MiLocateAddress(Table, StartingVpn);
    return (Vad != NULL && EndingVpn <= Vad->EndingVpn) ? Vad : NULL;
}

/* A protection that NtAllocateVirtualMemory accepts: valid, and no write-copy. */
static BOOLEAN MipIsAllocationProtection(ULONG Protect)
{
    return NT_SUCCESS(MiValidateProtection(Protect)) && !MiIsWriteCopyProtection(Protect);
}

/* ---- NtAllocateVirtualMemory ---- */

NTSTATUS MiReserveRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                        ULONG AllocationType, ULONG Protect, PMMVAD *Vad)
{
    ULONG State = (AllocationType & MEM_COMMIT) ? MEM_COMMIT : MEM_RESERVE;
    PMMVAD NewVad;
    NTSTATUS Status;

    if ((AllocationType & MEM_RESERVE) == 0 ||
        (AllocationType & ~(MEM_RESERVE | MEM_COMMIT)) != 0)
        return STATUS_INVALID_PARAMETER;
    if (!MipIsAllocationProtection(Protect))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (!MiIsVadRange(StartingVpn, EndingVpn))
        return STATUS_INVALID_PARAMETER;
    if (MiCheckForConflictingVad(Table, StartingVpn, EndingVpn) != NULL)
        return STATUS_CONFLICTING_ADDRESSES;

    NewVad = MiAllocateVad(StartingVpn, EndingVpn, MEM_PRIVATE, Protect, State, Protect);
    if (NewVad == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = MiInsertVad(Table, NewVad);
    ASSERT(NT_SUCCESS(Status));         /* the range was checked free above */
    if (Vad != NULL)
        *Vad = NewVad;
    return Status;
}

NTSTATUS MiCommitRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                       ULONG Protect, PULONG_PTR NewlyCommitted)
{
    PMMVAD Vad;
    ULONG_PTR Committed;
    NTSTATUS Status;

    if (!MipIsAllocationProtection(Protect))
        return STATUS_INVALID_PAGE_PROTECTION;
    Vad = MipLocateRangeVad(Table, StartingVpn, EndingVpn);
    if (Vad == NULL)
        return STATUS_CONFLICTING_ADDRESSES;

    Committed = MiEnumerateCommittedRuns(Vad, StartingVpn, EndingVpn, NULL, NULL);
    Status = MiSetRunRange(Vad, StartingVpn, EndingVpn, MEM_COMMIT, Protect, NULL, NULL);
    if (NT_SUCCESS(Status) && NewlyCommitted != NULL)
        *NewlyCommitted = EndingVpn - StartingVpn + 1 - Committed;
    return Status;
}

/* ---- NtFreeVirtualMemory ---- */

/* NT's checks before a decommit or release, in NT's order. */
static NTSTATUS MipLocateFreeVad(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn,
                                 ULONG_PTR EndingVpn, PMMVAD *Vad)
{
    if (StartingVpn > EndingVpn)
        return STATUS_INVALID_PARAMETER;
    *Vad = MiLocateAddress(Table, StartingVpn);
    if (*Vad == NULL)
        return STATUS_MEMORY_NOT_ALLOCATED;
    if (EndingVpn > (*Vad)->EndingVpn)
        return STATUS_UNABLE_TO_FREE_VM;
    if ((*Vad)->Type != MEM_PRIVATE)
        return STATUS_UNABLE_TO_DELETE_SECTION;    /* views go with NtUnmapViewOfSection */
    return STATUS_SUCCESS;
}

NTSTATUS MiDecommitRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                         PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context,
                         PULONG_PTR Decommitted)
{
    PMMVAD Vad;
    ULONG_PTR Committed;
    NTSTATUS Status;

    Status = MipLocateFreeVad(Table, StartingVpn, EndingVpn, &Vad);
    if (!NT_SUCCESS(Status))
        return Status;
    Committed = MiEnumerateCommittedRuns(Vad, StartingVpn, EndingVpn, NULL, NULL);
    Status = MiSetRunRange(Vad, StartingVpn, EndingVpn, MEM_RESERVE, 0, Routine, Context);
    if (NT_SUCCESS(Status) && Decommitted != NULL)
        *Decommitted = Committed;
    return Status;
}

NTSTATUS MiReleaseRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                        PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context,
                        PULONG_PTR Released)
{
    PMMVAD Vad, UpperVad = NULL;
    ULONG_PTR Committed;
    NTSTATUS Status;

    Status = MipLocateFreeVad(Table, StartingVpn, EndingVpn, &Vad);
    if (!NT_SUCCESS(Status))
        return Status;

    /* A range strictly inside the VAD leaves two VADs: the upper one is new. */
    if (StartingVpn > Vad->StartingVpn && EndingVpn < Vad->EndingVpn) {
        UpperVad = MiAllocateVad(EndingVpn + 1, Vad->EndingVpn, Vad->Type,
                                 Vad->AllocationProtect, MEM_RESERVE, 0);
        if (UpperVad == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
    }

    Committed = MiEnumerateCommittedRuns(Vad, StartingVpn, EndingVpn, Routine, Context);
    if (UpperVad != NULL) {
        MiSplitVad(Vad, UpperVad);
        MiTrimVadEnd(Vad, StartingVpn - 1);
        Status = MiInsertVad(Table, UpperVad);
        ASSERT(NT_SUCCESS(Status));     /* it covers pages Vad just gave up */
    } else if (StartingVpn > Vad->StartingVpn) {
        MiTrimVadEnd(Vad, StartingVpn - 1);
    } else if (EndingVpn < Vad->EndingVpn) {
        MiTrimVadStart(Vad, EndingVpn + 1);
    } else {
        MiRemoveVad(Table, Vad);
        MiFreeVad(Vad);
    }
    if (Released != NULL)
        *Released = Committed;
    return STATUS_SUCCESS;
}

VOID MiDeleteAllVads(PMM_AVL_TABLE Table, PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context)
{
    PMMVAD Vad;

    while ((Vad = Table->Root) != NULL) {
        MiEnumerateCommittedRuns(Vad, Vad->StartingVpn, Vad->EndingVpn, Routine, Context);
        MiRemoveVad(Table, Vad);
        MiFreeVad(Vad);
    }
}

/* ---- NtProtectVirtualMemory ---- */

NTSTATUS MiProtectRange(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                        ULONG NewProtect, PULONG OldProtect)
{
    PMMVAD Vad;
    ULONG FirstProtect;
    NTSTATUS Status;

    if (!NT_SUCCESS(MiValidateProtection(NewProtect)))
        return STATUS_INVALID_PAGE_PROTECTION;
    Vad = MipLocateRangeVad(Table, StartingVpn, EndingVpn);
    if (Vad == NULL)
        return STATUS_CONFLICTING_ADDRESSES;
    if (Vad->Type == MEM_PRIVATE && MiIsWriteCopyProtection(NewProtect))
        return STATUS_INVALID_PAGE_PROTECTION;     /* write-copy needs a view to copy from */
    if (MiEnumerateCommittedRuns(Vad, StartingVpn, EndingVpn, NULL, NULL) !=
        EndingVpn - StartingVpn + 1)
        return STATUS_NOT_COMMITTED;

    FirstProtect = MiLocateRun(Vad, StartingVpn)->Protect;
    Status = MiSetRunRange(Vad, StartingVpn, EndingVpn, MEM_COMMIT, NewProtect, NULL, NULL);
    if (NT_SUCCESS(Status))
        *OldProtect = FirstProtect;
    return Status;
}

/* ---- NtQueryVirtualMemory and the fault handler's questions ---- */

/*
 * NT reports the 64 KB above the VAD area as one private reservation (AllocationProtect
 * PAGE_READONLY) whose first page, KUSER_SHARED_DATA, is committed read-only.
 */
static VOID MipQueryTopArea(ULONG_PTR Page, PMEMORY_BASIC_INFORMATION Info)
{
    Info->AllocationBase = (PVOID)(MM_HIGHEST_VAD_ADDRESS + 1);
    Info->AllocationProtect = PAGE_READONLY;
    Info->Type = MEM_PRIVATE;
    if (Page == MM_SHARED_USER_DATA_VA) {
        Info->RegionSize = PAGE_SIZE;
        Info->State = MEM_COMMIT;
        Info->Protect = PAGE_READONLY;
    } else {
        Info->RegionSize = (ULONG_PTR)MM_HIGHEST_USER_ADDRESS + 1 - Page;
        Info->State = MEM_RESERVE;
        Info->Protect = PAGE_NOACCESS;
    }
}

static VOID MipQueryVad(PMMVAD Vad, ULONG_PTR Page, PMEMORY_BASIC_INFORMATION Info)
{
    PMMVAD_RUN Run = MiLocateRun(Vad, MI_VA_TO_VPN(Page));

    Info->AllocationBase = (PVOID)MI_VPN_TO_VA(Vad->StartingVpn);
    Info->AllocationProtect = Vad->AllocationProtect;
    Info->RegionSize = MI_VPN_TO_VA(Run->EndingVpn + 1) - Page;
    Info->State = Run->State;
    Info->Protect = Run->Protect;
    Info->Type = Vad->Type;
}

/* A hole: from Page up to the next VAD, or to the end of the VAD area. */
static VOID MipQueryFree(PMM_AVL_TABLE Table, ULONG_PTR Page, PMEMORY_BASIC_INFORMATION Info)
{
    PMMVAD Next = MiCheckForConflictingVad(Table, MI_VA_TO_VPN(Page), MI_HIGHEST_VAD_VPN);
    ULONG_PTR End = (Next != NULL) ? MI_VPN_TO_VA(Next->StartingVpn)
                                   : MM_HIGHEST_VAD_ADDRESS + 1;

    Info->AllocationBase = NULL;
    Info->AllocationProtect = 0;
    Info->RegionSize = End - Page;
    Info->State = MEM_FREE;
    Info->Protect = PAGE_NOACCESS;
    Info->Type = 0;
}

NTSTATUS MiQueryRange(PMM_AVL_TABLE Table, ULONG_PTR Address,
                      PMEMORY_BASIC_INFORMATION Info)
{
    ULONG_PTR Page = (ULONG_PTR)PAGE_ALIGN(Address);
    PMMVAD Vad;

    if (Address > MM_HIGHEST_USER_ADDRESS)
        return STATUS_INVALID_PARAMETER;
    Info->BaseAddress = (PVOID)Page;
    if (Address > MM_HIGHEST_VAD_ADDRESS) {
        MipQueryTopArea(Page, Info);
        return STATUS_SUCCESS;
    }
    Vad = MiLocateAddress(Table, MI_VA_TO_VPN(Page));
    if (Vad != NULL)
        MipQueryVad(Vad, Page, Info);
    else
        MipQueryFree(Table, Page, Info);
    return STATUS_SUCCESS;
}

ULONG MiQueryPage(PMM_AVL_TABLE Table, ULONG_PTR Vpn, PULONG Protect, PMMVAD *Vad)
{
    PMMVAD Found = MiLocateAddress(Table, Vpn);
    PMMVAD_RUN Run;

    if (Vad != NULL)
        *Vad = Found;
    if (Found == NULL) {
        *Protect = 0;
        return MEM_FREE;
    }
    Run = MiLocateRun(Found, Vpn);
    *Protect = Run->Protect;
    return Run->State;
}

NTSTATUS MiClearGuardPage(PMM_AVL_TABLE Table, ULONG_PTR Vpn)
{
    PMMVAD Vad;
    ULONG Protect;

    if (MiQueryPage(Table, Vpn, &Protect, &Vad) != MEM_COMMIT || !(Protect & PAGE_GUARD))
        return STATUS_INVALID_PARAMETER;
    return MiSetRunRange(Vad, Vpn, Vpn, MEM_COMMIT, Protect & ~PAGE_GUARD, NULL, NULL);
}

/* ---- NT's rounding of byte ranges ---- */

NTSTATUS MiRoundReserveRange(ULONG_PTR BaseAddress, SIZE_T RegionSize,
                             PULONG_PTR StartingVpn, PULONG_PTR EndingVpn)
{
    ULONG_PTR Start = BaseAddress & ~((ULONG_PTR)MM_ALLOCATION_GRANULARITY - 1);

    if (RegionSize == 0 || BaseAddress > MM_HIGHEST_VAD_ADDRESS ||
        MM_HIGHEST_VAD_ADDRESS - BaseAddress < RegionSize - 1)
        return STATUS_INVALID_PARAMETER;
    if (Start < MM_LOWEST_USER_ADDRESS)
        return STATUS_INVALID_PARAMETER;
    *StartingVpn = MI_VA_TO_VPN(Start);
    *EndingVpn = MI_VA_TO_VPN(BaseAddress + RegionSize - 1);
    return STATUS_SUCCESS;
}

NTSTATUS MiRoundReserveSize(SIZE_T RegionSize, PULONG_PTR PageCount)
{
    /* NT's bound; a size that passes but finds no room fails later with STATUS_NO_MEMORY. */
    if (RegionSize == 0 || RegionSize > MM_HIGHEST_VAD_ADDRESS + 1)
        return STATUS_INVALID_PARAMETER;
    *PageCount = BYTES_TO_PAGES(RegionSize);
    return STATUS_SUCCESS;
}

NTSTATUS MiRoundPageRange(ULONG_PTR BaseAddress, SIZE_T RegionSize,
                          PULONG_PTR StartingVpn, PULONG_PTR EndingVpn)
{
    if (RegionSize == 0 || BaseAddress > MM_HIGHEST_USER_ADDRESS ||
        MM_HIGHEST_USER_ADDRESS - BaseAddress < RegionSize - 1)
        return STATUS_INVALID_PARAMETER;
    *StartingVpn = MI_VA_TO_VPN(BaseAddress);
    *EndingVpn = MI_VA_TO_VPN(BaseAddress + RegionSize - 1);
    return STATUS_SUCCESS;
}

NTSTATUS MiRoundFreeRange(PMM_AVL_TABLE Table, ULONG_PTR BaseAddress, SIZE_T RegionSize,
                          PULONG_PTR StartingVpn, PULONG_PTR EndingVpn)
{
    PMMVAD Vad;

    if (RegionSize != 0)
        return MiRoundPageRange(BaseAddress, RegionSize, StartingVpn, EndingVpn);
    if (BaseAddress > MM_HIGHEST_USER_ADDRESS)
        return STATUS_INVALID_PARAMETER;
    Vad = MiLocateAddress(Table, MI_VA_TO_VPN(BaseAddress));
    if (Vad == NULL)
        return STATUS_MEMORY_NOT_ALLOCATED;
    if (MI_VA_TO_VPN(BaseAddress) != Vad->StartingVpn)
        return STATUS_FREE_VM_NOT_AT_BASE;
    *StartingVpn = Vad->StartingVpn;
    *EndingVpn = Vad->EndingVpn;
    return STATUS_SUCCESS;
}

/*
 * procsup.c - address spaces (NT: MmCreateProcessAddressSpace,
 * MmDeleteProcessAddressSpace, the CR3 half of KiSwapProcess and KiAttachProcess).
 *
 * A new page directory gets the kernel half by copying PDEs 0x200..0x3FF from the
 * system's directory. Every kernel page table already exists (mminit.c), so these
 * PDEs never change afterwards and every directory stays identical above
 * KSEG0_BASE. PDE 0x300 is then pointed at the new directory itself (the self-map),
 * and the KUSER_SHARED_DATA page is mapped read-only at 0x7FFE0000.
 */
#include "mi.h"
#include "section.h"
#include <kd.h>
#include <rtl.h>

#define MI_ADDRESS_SPACE_TAG EX_POOL_TAG('M', 'm', 'A', 's')

PMM_ADDRESS_SPACE MmGetCurrentAddressSpace(VOID)
{
    return MmCurrentAddressSpace;
}

PMM_ADDRESS_SPACE MmGetSystemAddressSpace(VOID)
{
    return &MmSystemAddressSpace;
}

ULONG MmGetAddressSpaceCommitment(PMM_ADDRESS_SPACE AddressSpace)
{
    return AddressSpace->CommittedPages;
}

ULONG MmGetDirectoryTableBase(PMM_ADDRESS_SPACE AddressSpace)
{
    return AddressSpace->DirectoryTableBase;
}

NTSTATUS MmCreateProcessAddressSpace(PMM_ADDRESS_SPACE *AddressSpace)
{
    PMM_ADDRESS_SPACE Space;
    PFN_NUMBER DirectoryPage, TablePage;
    PMMPTE Directory, Table;
    const MMPTE *SystemDirectory = (const MMPTE *)KiBootPageDirectory;
    ULONG Index;

    Space = ExAllocatePoolWithTag(NonPagedPool, sizeof(*Space), MI_ADDRESS_SPACE_TAG);
    if (Space == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(Space, 0, sizeof(*Space));

    DirectoryPage = MiRemoveZeroPage();
    TablePage = DirectoryPage ? MiRemoveZeroPage() : 0;
    if (TablePage == 0) {
        if (DirectoryPage)
            MiDereferencePage(DirectoryPage);
        ExFreePoolWithTag(Space, MI_ADDRESS_SPACE_TAG);
        return STATUS_NO_MEMORY;
    }

    Directory = (PMMPTE)MI_PFN_TO_KSEG0(DirectoryPage);
    for (Index = MI_USER_PDE_COUNT; Index < 1024; Index++)
        Directory[Index] = SystemDirectory[Index];
    Directory[PDE_SELFMAP_INDEX] = MI_MAKE_PTE(DirectoryPage, PTE_PRESENT | PTE_WRITE);

    /* KUSER_SHARED_DATA, read-only for user mode. Its PTE holds a reference on
       the table, so the table outlives any user memory around it. */
    Directory[MI_PDE_INDEX(MM_SHARED_USER_DATA_VA)] =
        MI_MAKE_PTE(TablePage, PTE_PRESENT | PTE_WRITE | PTE_OWNER);
    Table = (PMMPTE)MI_PFN_TO_KSEG0(TablePage);
    Table[(MM_SHARED_USER_DATA_VA >> PAGE_SHIFT) & 0x3FF] =
        MI_MAKE_PTE(MiSharedUserDataPage, PTE_PRESENT | PTE_OWNER);
    MiReferencePage(MiSharedUserDataPage);
    MiReferencePage(TablePage);

    Space->DirectoryPage = DirectoryPage;
    Space->DirectoryTableBase = (ULONG)DirectoryPage << PAGE_SHIFT;
    Space->PageTablePages = 1;
    Space->ResidentPages = 1;
    MiInitializeVadTable(&Space->VadRoot);
    MiInitializeAddressSpaceLock(Space);
    *AddressSpace = Space;
    return STATUS_SUCCESS;
}

static VOID MipCountReleasedCommit(PVOID Context, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn)
{
    *(PULONG)Context += (ULONG)(EndingVpn - StartingVpn + 1);
}

VOID MmDeleteProcessAddressSpace(PMM_ADDRESS_SPACE Space)
{
    PMMPTE Directory = (PMMPTE)MI_PFN_TO_KSEG0(Space->DirectoryPage);
    ULONG Committed = 0, PdeIndex, PteIndex;

    if (Space == MmCurrentAddressSpace || Space == &MmSystemAddressSpace)
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x4D41, (ULONG_PTR)Space, 0, 0);

    /* Views first: their pages are the segments' (the PTEs' references go below). */
    MiRemoveAllViews(Space);
    MiDeleteAllVads(&Space->VadRoot, MipCountReleasedCommit, &Committed);
    /* What the VADs say was committed is what this space was charged. */
    if (Committed != Space->CommittedPages)
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x4D43, (ULONG_PTR)Space, Committed, Space->CommittedPages);
    MmTotalCommittedPages -= Space->CommittedPages;

    /* Every user page and page table, found through KSEG0: no need to attach. */
    for (PdeIndex = 0; PdeIndex < MI_USER_PDE_COUNT; PdeIndex++) {
        PFN_NUMBER TablePage;
        PMMPTE Table;

        if (!(Directory[PdeIndex] & PTE_PRESENT))
            continue;
        TablePage = MI_PTE_PAGE(Directory[PdeIndex]);
        Table = (PMMPTE)MI_PFN_TO_KSEG0(TablePage);
        for (PteIndex = 0; PteIndex < 1024; PteIndex++) {
            if (MI_PTE_HAS_PAGE(Table[PteIndex])) {
                MiDereferencePage(MI_PTE_PAGE(Table[PteIndex]));
                MiDereferencePage(TablePage);
            }
        }
        MiDereferencePage(TablePage);
    }
    MiDereferencePage(Space->DirectoryPage);
    ExFreePoolWithTag(Space, MI_ADDRESS_SPACE_TAG);
}

VOID MiInitializeAddressSpaceLock(PMM_ADDRESS_SPACE Space)
{
    KeInitializeEvent(&Space->AddressCreationLock, SynchronizationEvent, TRUE);
}

/* Held inside a critical region: a suspended thread never holds it (NT's rule). */
VOID MiLockAddressSpace(PMM_ADDRESS_SPACE Space)
{
    KeEnterCriticalRegion();
    KeWaitForSingleObject(&Space->AddressCreationLock, Executive, KernelMode, FALSE, NULL);
}

VOID MiUnlockAddressSpace(PMM_ADDRESS_SPACE Space)
{
    KeSetEvent(&Space->AddressCreationLock, 0, FALSE);
    KeLeaveCriticalRegion();
}

/*
 * The PEB and the TEBs sit at the top of the VAD area, a page each, downwards from
 * 0x7FFDF000 (NT: MiCreatePebOrTeb, which places them below KUSER_SHARED_DATA on
 * page boundaries rather than on the 64 KB granularity). Committed, read-write,
 * charged to the process; their pages are zeroed at the first touch.
 */
NTSTATUS MmCreatePebOrTeb(PMM_ADDRESS_SPACE Space, ULONG Size, PVOID *BaseAddress)
{
    ULONG_PTR Pages = ((ULONG_PTR)Size + PAGE_SIZE - 1) >> PAGE_SHIFT, Start;
    BOOLEAN Enabled;
    NTSTATUS Status;

    MiLockAddressSpace(Space);
    Status = MiFindEmptyAddressRangeDown(&Space->VadRoot, Pages, 1, MI_LOWEST_VAD_VPN, MI_HIGHEST_VAD_VPN,
                                         &Start);
    if (NT_SUCCESS(Status))
        Status = MiChargeCommitment(Space, (ULONG)Pages);
    if (NT_SUCCESS(Status)) {
        Enabled = MiLockVadTree();
        Status = MiReserveRange(&Space->VadRoot, Start, Start + Pages - 1, MEM_RESERVE | MEM_COMMIT,
                                PAGE_READWRITE, NULL);
        MiUnlockVadTree(Enabled);
        if (!NT_SUCCESS(Status))
            MiReturnCommitment(Space, (ULONG)Pages);
    }
    MiUnlockAddressSpace(Space);
    if (NT_SUCCESS(Status))
        *BaseAddress = (PVOID)MI_VPN_TO_VA(Start);
    return Status;
}

/* Loads Space's directory (the context switch calls this; interrupts off). */
VOID MmSwitchAddressSpace(PMM_ADDRESS_SPACE Space)
{
    MmCurrentAddressSpace = Space;
    __asm__ volatile("mov %0, %%cr3" : : "r"(Space->DirectoryTableBase) : "memory");
}

/*
 * The thread records the space it is attached to (KTHREAD.AddressSpace), so a
 * context switch away and back finds it attached still.
 */
static VOID MipSetThreadAddressSpace(PMM_ADDRESS_SPACE Space)
{
    PKTHREAD Thread = KeGetCurrentThread();

    if (Thread != NULL)
        Thread->AddressSpace = Space;
    if (Space != MmCurrentAddressSpace)
        MmSwitchAddressSpace(Space);
}

VOID MmAttachAddressSpace(PMM_ADDRESS_SPACE AddressSpace, PMM_ATTACH_STATE State)
{
    BOOLEAN Enabled = KiDisableInterrupts();

    State->Previous = MmCurrentAddressSpace;
    MipSetThreadAddressSpace(AddressSpace);
    KiRestoreInterrupts(Enabled);
}

VOID MmDetachAddressSpace(PMM_ATTACH_STATE State)
{
    BOOLEAN Enabled = KiDisableInterrupts();

    MipSetThreadAddressSpace(State->Previous);
    KiRestoreInterrupts(Enabled);
}

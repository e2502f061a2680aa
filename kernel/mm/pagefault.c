/*
 * pagefault.c - resolving page faults (NT: MmAccessFault, MiDispatchFault,
 * MiResolveDemandZeroFault, the guard-page part of MiAccessCheck).
 *
 * Only user addresses can be resolved: every kernel page is mapped from the start,
 * so a fault there is a bug (the trap handler bugchecks). For a user address the
 * VAD says what the page should be:
 *   - free or only reserved: STATUS_ACCESS_VIOLATION;
 *   - committed with PAGE_GUARD: the guard goes (once) and the fault reports
 *     STATUS_GUARD_PAGE_VIOLATION; the next access proceeds;
 *   - committed, but the access is not allowed (PAGE_NOACCESS, a write to a
 *     read-only page): STATUS_ACCESS_VIOLATION;
 *   - committed and allowed, no page yet: a zeroed page is mapped (demand zero).
 * Interrupts stay off while it runs (the fault came through an interrupt gate),
 * which is what keeps it consistent on one processor.
 */
#include "mi.h"

NTSTATUS MmAccessFault(BOOLEAN StoreInstruction, ULONG_PTR Address, KPROCESSOR_MODE Mode)
{
    PMM_ADDRESS_SPACE Space = MmCurrentAddressSpace;
    ULONG_PTR Va = Address & ~(PAGE_SIZE - 1);
    ULONG Protect = 0, State;
    MMPTE Pte = 0;
    PFN_NUMBER Page;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(Mode);   /* user mode never reaches kernel addresses: below */
    if (Address >= MmUserProbeAddress)
        return STATUS_ACCESS_VIOLATION;

    if (*MiAddressToPde(Va) & PTE_PRESENT) {
        Pte = *MiAddressToPte(Va);
        /* Present, yet it faulted: a write to a read-only page (KUSER_SHARED_DATA
           among them). No copy-on-write exists yet to resolve it. */
        if (Pte & PTE_PRESENT)
            return STATUS_ACCESS_VIOLATION;
    }

    State = MiQueryPage(&Space->VadRoot, MI_VA_TO_VPN(Va), &Protect, NULL);
    if (State != MEM_COMMIT)
        return STATUS_ACCESS_VIOLATION;

    if (Protect & PAGE_GUARD) {
        Status = MiClearGuardPage(&Space->VadRoot, MI_VA_TO_VPN(Va));
        if (!NT_SUCCESS(Status))
            return STATUS_NO_MEMORY;
        MiSetUserPageProtection(Va, Protect & ~PAGE_GUARD);
        return STATUS_GUARD_PAGE_VIOLATION;
    }
    if ((Protect & 0xFF) == PAGE_NOACCESS || (StoreInstruction && !MiIsWritableProtection(Protect)))
        return STATUS_ACCESS_VIOLATION;

    if (Pte & PTE_RETAINED) {
        /* The page exists; only its PTE was not accessible. */
        MiSetUserPageProtection(Va, Protect);
        return STATUS_SUCCESS;
    }

    /* The page first: if there is none, no empty page table is left behind. */
    Page = MiRemoveZeroPage();
    if (Page == 0)
        return STATUS_NO_MEMORY;
    Status = MiMakePdeValid(Space, Va);
    if (!NT_SUCCESS(Status)) {
        MiDereferencePage(Page);
        return Status;
    }
    MiMapUserPage(Space, Va, Page, Protect);
    return STATUS_SUCCESS;
}

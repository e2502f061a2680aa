/*
 * pagefault.c - resolving page faults (NT: MmAccessFault, MiDispatchFault,
 * MiResolveDemandZeroFault, MiResolveProtoPteFault, MiCopyOnWrite, the guard-page
 * part of MiAccessCheck).
 *
 * Only user addresses can be resolved: every kernel page is mapped from the start,
 * so a fault there is a bug (the trap handler bugchecks). For a user address the
 * VAD says what the page should be:
 *   - free or only reserved: STATUS_ACCESS_VIOLATION;
 *   - committed with PAGE_GUARD: the guard goes (once) and the fault reports
 *     STATUS_GUARD_PAGE_VIOLATION; the next access proceeds;
 *   - committed, but the access is not allowed (PAGE_NOACCESS, a write to a
 *     read-only page): STATUS_ACCESS_VIOLATION;
 *   - committed and allowed, no page yet: in a view, the section's page (shared
 *     with every other view of it); in private memory, a zeroed page (demand zero);
 *   - a write to a write-copy page that is mapped (read-only, shared): the process
 *     gets a copy of its own, writable (copy on write).
 * Interrupts stay off while it runs (the fault came through an interrupt gate),
 * which is what keeps it consistent on one processor.
 */
#include "mi.h"
#include "section.h"
#include <nt/ntpebteb.h>
#include <rtl.h>

/*
 * A write to a write-copy page that is mapped read-only. A page that only this PTE
 * holds is the process's own copy already (its protection changed back to
 * write-copy since): it just becomes writable. Otherwise the page is a section's,
 * held by the segment and maybe by other views too: this PTE gets a copy.
 */
static NTSTATUS MipCopyOnWrite(ULONG_PTR Va, MMPTE Pte, ULONG Protect)
{
    PMMPTE PointerPte = MiAddressToPte(Va);
    PFN_NUMBER Shared = MI_PTE_PAGE(Pte), Copy;

    if (MI_PFN_ELEMENT(Shared)->u3.e2.ReferenceCount == 1) {
        *PointerPte = Pte | PTE_WRITE;
        MiFlushTb((PVOID)Va);
        return STATUS_SUCCESS;
    }
    Copy = MiRemoveAnyPage();
    if (Copy == 0)
        return STATUS_NO_MEMORY;
    memcpy(MI_PFN_TO_KSEG0(Copy), MI_PFN_TO_KSEG0(Shared), PAGE_SIZE);
    *PointerPte = MI_MAKE_PTE(Copy, (Pte & (PAGE_SIZE - 1)) | PTE_WRITE);
    MiFlushTb((PVOID)Va);
    MI_PFN_ELEMENT(Copy)->PteAddress = PointerPte;
    MI_PFN_ELEMENT(Copy)->OriginalPte = Protect;
    MiDereferencePage(Shared);
    return STATUS_SUCCESS;
}

/*
 * A guard page was just touched (and is an ordinary page now). When it is the
 * guard of the current thread's stack, the stack grows (NT: MiCheckForUserStackOverflow):
 * the page below becomes the guard, the TEB's StackLimit follows, and the access
 * simply proceeds. When no room is left above the reservation's last page, the
 * thread gets STATUS_STACK_OVERFLOW, with the page just freed of its guard to run
 * its handler on. Any other guard page is the program's own:
 * STATUS_GUARD_PAGE_VIOLATION, once.
 */
static NTSTATUS MipCheckForUserStackOverflow(PMM_ADDRESS_SPACE Space, ULONG_PTR Va)
{
    PTEB Teb = KeGetCurrentThread()->Teb;
    ULONG_PTR StackBase, DeallocationStack, NewGuard, NewlyCommitted;
    NTSTATUS Status;

    /* Only the thread's own stack, in its own process: attached elsewhere, the TEB's
       address means something else there (NT checks the same). The TEB is read
       with interrupts off: only if its pages are there. */
    if (Teb == NULL || Space != KeGetCurrentThread()->ApcState.Process->AddressSpace ||
        !MmIsRangeValid((ULONG_PTR)Teb, sizeof(TEB)))
        return STATUS_GUARD_PAGE_VIOLATION;
    StackBase = (ULONG_PTR)Teb->NtTib.StackBase;
    DeallocationStack = (ULONG_PTR)Teb->DeallocationStack;
    /* (A TEB that says nothing of its stack's reservation has no stack to grow.) */
    if (DeallocationStack == 0 || Va < DeallocationStack || Va >= StackBase)
        return STATUS_GUARD_PAGE_VIOLATION;
    Teb->NtTib.StackLimit = (PVOID)Va;
    NewGuard = Va - PAGE_SIZE;
    if (NewGuard <= DeallocationStack || !NT_SUCCESS(MiChargeCommitment(Space, 1)))
        return STATUS_STACK_OVERFLOW;
    Status = MiCommitRange(&Space->VadRoot, MI_VA_TO_VPN(NewGuard), MI_VA_TO_VPN(NewGuard),
                           PAGE_READWRITE | PAGE_GUARD, &NewlyCommitted);
    if (!NT_SUCCESS(Status) || NewlyCommitted == 0)
        MiReturnCommitment(Space, 1);   /* no memory, or the page was committed already */
    return NT_SUCCESS(Status) ? STATUS_SUCCESS : STATUS_STACK_OVERFLOW;
}

static NTSTATUS MipAccessFault(BOOLEAN StoreInstruction, ULONG_PTR Address, KPROCESSOR_MODE Mode)
{
    PMM_ADDRESS_SPACE Space = MmCurrentAddressSpace;
    ULONG_PTR Va = Address & ~(PAGE_SIZE - 1);
    ULONG Protect = 0, State;
    PMMVAD Vad = NULL;
    MMPTE Pte = 0;
    PFN_NUMBER Page;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(Mode);   /* user mode never reaches kernel addresses: below */
    if (Address >= MmUserProbeAddress)
        return STATUS_ACCESS_VIOLATION;

    if (*MiAddressToPde(Va) & PTE_PRESENT) {
        Pte = *MiAddressToPte(Va);
        /* Present, yet it faulted: a write to a read-only page. Only a write-copy
           page (below) can take it; KUSER_SHARED_DATA and the rest cannot. */
        if ((Pte & PTE_PRESENT) && !StoreInstruction)
            return STATUS_ACCESS_VIOLATION;
    }

    State = MiQueryPage(&Space->VadRoot, MI_VA_TO_VPN(Va), &Protect, &Vad);
    if (State != MEM_COMMIT)
        return STATUS_ACCESS_VIOLATION;

    if (Protect & PAGE_GUARD) {
        Status = MiClearGuardPage(&Space->VadRoot, MI_VA_TO_VPN(Va));
        if (!NT_SUCCESS(Status))
            return STATUS_NO_MEMORY;
        MiSetUserPageProtection(Va, Protect & ~PAGE_GUARD);
        return MipCheckForUserStackOverflow(Space, Va);
    }
    if ((Protect & 0xFF) == PAGE_NOACCESS || (StoreInstruction && !MiIsWritableProtection(Protect)))
        return STATUS_ACCESS_VIOLATION;

    if (Pte & PTE_PRESENT) {
        if (!MiIsWriteCopyProtection(Protect))
            return STATUS_ACCESS_VIOLATION;
        return MipCopyOnWrite(Va, Pte, Protect);
    }
    if (Pte & PTE_RETAINED) {
        /* The page exists; only its PTE was not accessible. */
        MiSetUserPageProtection(Va, Protect);
        return STATUS_SUCCESS;
    }

    /* The page first: if there is none, no empty page table is left behind. */
    if (Vad->ControlArea != NULL) {
        Page = MiGetSegmentPage(Vad->ControlArea,
                                Vad->FirstPrototypePage + (MI_VA_TO_VPN(Va) - Vad->StartingVpn));
        if (Page == 0)
            return STATUS_NO_MEMORY;
        /* Each PTE that maps a shared page counts once in its 16-bit count: a page
           mapped 65534 times refuses more rather than overflow (NT counts shares in
           32 bits; the process gets the failure as an exception). */
        if (MI_PFN_ELEMENT(Page)->u3.e2.ReferenceCount >= MI_MAXIMUM_REFERENCE_COUNT - 1)
            return STATUS_INSUFFICIENT_RESOURCES;
        MiReferencePage(Page);      /* the PTE's reference; the segment keeps its own */
    } else {
        Page = MiRemoveZeroPage();
        if (Page == 0)
            return STATUS_NO_MEMORY;
    }
    Status = MiMakePdeValid(Space, Va);
    if (!NT_SUCCESS(Status)) {
        MiDereferencePage(Page);
        return Status;
    }
    MiMapUserPage(Space, Va, Page, Protect);
    return STATUS_SUCCESS;
}

/*
 * A fault that found no free page tries once more after the image cache has given
 * its pages back (NT: the working-set and segment trimming a page shortage wakes).
 * Every path that fails for want of a page has changed nothing yet, so the second
 * try starts clean. Not at DISPATCH_LEVEL or above: emptying the cache waits for
 * its lock.
 */
NTSTATUS MmAccessFault(BOOLEAN StoreInstruction, ULONG_PTR Address, KPROCESSOR_MODE Mode)
{
    NTSTATUS Status = MipAccessFault(StoreInstruction, Address, Mode);

    if (Status == STATUS_NO_MEMORY && KeGetCurrentIrql() < DISPATCH_LEVEL && MiTrimUnusedSegments())
        Status = MipAccessFault(StoreInstruction, Address, Mode);
    return Status;
}

/*
 * pagetab.c - user page tables of the current address space, through the self-map
 * (NT: MiMakePdeExistAndMakeValid, MiDeletePte, the PTE protection masks).
 *
 * A user PTE is one of three things:
 *   0                      no page (never touched, or decommitted);
 *   present                the page, with U/S = 1 and R/W from the protection
 *                          (write-copy: read-only until the first write copies it);
 *   not present, RETAINED  the page exists but PAGE_NOACCESS or PAGE_GUARD forbid
 *                          any access now; the frame number is kept.
 * A page table counts its own references in its PFN entry: 1 for being a page
 * table plus 1 for every PTE that holds a page. When that falls back to 1 the table
 * is empty and is freed, so decommitting everything gives every page back.
 */
#include "mi.h"

static BOOLEAN MipIsWritable(ULONG Protect)
{
    switch (Protect & 0xFF) {
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
        return TRUE;
    default:
        return FALSE;
    }
}

/* The PTE bits for a page of this protection, or 0 when it must not be accessible. */
MMPTE MiUserPteBits(ULONG Protect)
{
    MMPTE Bits = PTE_PRESENT | PTE_OWNER;

    if ((Protect & PAGE_GUARD) || (Protect & 0xFF) == PAGE_NOACCESS || Protect == 0)
        return 0;
    /* Write-copy pages are mapped read-only: the first write faults, and the fault
       handler gives the process its own copy (pagefault.c). */
    if (MipIsWritable(Protect) && !MiIsWriteCopyProtection(Protect))
        Bits |= PTE_WRITE;
    if (Protect & PAGE_NOCACHE)
        Bits |= PTE_CACHE_DISABLE;
    return Bits;
}

BOOLEAN MiIsWritableProtection(ULONG Protect)
{
    return MipIsWritable(Protect);
}

/* Makes sure the page table for Va exists (a fresh zeroed one if not). */
NTSTATUS MiMakePdeValid(PMM_ADDRESS_SPACE Space, ULONG_PTR Va)
{
    PMMPTE Pde = MiAddressToPde(Va);
    PFN_NUMBER Page;

    if (*Pde & PTE_PRESENT)
        return STATUS_SUCCESS;
    Page = MiRemoveZeroPage();
    if (Page == 0)
        return STATUS_NO_MEMORY;
    *Pde = MI_MAKE_PTE(Page, PTE_PRESENT | PTE_WRITE | PTE_OWNER);
    Space->PageTablePages++;
    return STATUS_SUCCESS;
}

static PFN_NUMBER MipTablePage(ULONG_PTR Va)
{
    return MI_PTE_PAGE(*MiAddressToPde(Va));
}

/* Puts Page at Va with Protect (the page table must exist); the PTE must be empty. */
VOID MiMapUserPage(PMM_ADDRESS_SPACE Space, ULONG_PTR Va, PFN_NUMBER Page, ULONG Protect)
{
    PMMPTE Pte = MiAddressToPte(Va);
    MMPTE Bits = MiUserPteBits(Protect);

    if (*Pte != 0)
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x4D50, Va, *Pte, Page);
    MiReferencePage(MipTablePage(Va));
    *Pte = Bits ? MI_MAKE_PTE(Page, Bits) : MI_MAKE_PTE(Page, PTE_RETAINED);
    MI_PFN_ELEMENT(Page)->PteAddress = Pte;
    MI_PFN_ELEMENT(Page)->OriginalPte = Protect;  /* the protection, for later faults */
    Space->ResidentPages++;
}

/* Re-derives the PTE of a page that exists from a new protection. */
VOID MiSetUserPageProtection(ULONG_PTR Va, ULONG Protect)
{
    PMMPTE Pte;
    MMPTE Bits;

    if (!(*MiAddressToPde(Va) & PTE_PRESENT))
        return;
    Pte = MiAddressToPte(Va);
    if (!MI_PTE_HAS_PAGE(*Pte))
        return;
    Bits = MiUserPteBits(Protect);
    *Pte = Bits ? MI_MAKE_PTE(MI_PTE_PAGE(*Pte), Bits) : MI_MAKE_PTE(MI_PTE_PAGE(*Pte), PTE_RETAINED);
    MiFlushTb((PVOID)Va);
}

/* Frees the page at Va, if there is one, and the page table once it is empty. */
VOID MiDeleteUserPage(PMM_ADDRESS_SPACE Space, ULONG_PTR Va)
{
    PMMPTE Pde = MiAddressToPde(Va), Pte;
    PFN_NUMBER Table, Page;

    if (!(*Pde & PTE_PRESENT))
        return;
    Pte = MiAddressToPte(Va);
    if (!MI_PTE_HAS_PAGE(*Pte))
        return;
    Table = MI_PTE_PAGE(*Pde);
    Page = MI_PTE_PAGE(*Pte);
    /* Unmap first: a freed page may be handed out at once (to an interrupt). */
    *Pte = 0;
    MiFlushTb((PVOID)Va);
    MiDereferencePage(Page);
    Space->ResidentPages--;

    MiDereferencePage(Table);
    if (MI_PFN_ELEMENT(Table)->u3.e2.ReferenceCount == 1) {
        *Pde = 0;
        MiFlushTb(MiAddressToPte(Va));      /* the table's own address in the self-map */
        MiDereferencePage(Table);
        Space->PageTablePages--;
    }
}

/*
 * mmvalid.c - is an address mapped right now? (NT: MmIsAddressValid)
 *
 * Read through the self-map: the PDE must be present, and then either be a large
 * page or point at a table whose PTE is present. Used where a fault would be a
 * disaster, such as the stack walk on the bugcheck screen.
 */
#include <mm.h>

BOOLEAN MmIsAddressValid(PVOID VirtualAddress)
{
    MMPTE Pde = *MiAddressToPde(VirtualAddress);

    if (!(Pde & PTE_PRESENT))
        return FALSE;
    if (Pde & PTE_LARGE_PAGE)
        return TRUE;
    return (*MiAddressToPte(VirtualAddress) & PTE_PRESENT) != 0;
}

BOOLEAN MmIsRangeValid(ULONG_PTR VirtualAddress, ULONG Length)
{
    ULONG_PTR Page = VirtualAddress & ~(PAGE_SIZE - 1);
    ULONG_PTR Last = VirtualAddress + (Length ? Length - 1 : 0);

    if (Last < VirtualAddress)
        return FALSE;           /* wraps around the address space */
    for (; ; Page += PAGE_SIZE) {
        if (!MmIsAddressValid((PVOID)Page))
            return FALSE;
        if (Page >= (Last & ~(PAGE_SIZE - 1)))
            return TRUE;
    }
}

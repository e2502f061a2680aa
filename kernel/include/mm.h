/*
 * mm.h - what the memory manager offers the rest of the kernel.
 */
#pragma once

#include <nt/ntdef.h>
#include <mmlayout.h>

/* The self-map (mmlayout.h): the PTE and PDE of any address, as pointers. */
typedef ULONG MMPTE, *PMMPTE;
#define MiAddressToPte(Va) ((PMMPTE)(PTE_BASE + (((ULONG_PTR)(Va) >> PAGE_SHIFT) << 2)))
#define MiAddressToPde(Va) ((PMMPTE)(PDE_BASE + (((ULONG_PTR)(Va) >> 22) << 2)))

/* TRUE when reading Va now would not fault (NT: MmIsAddressValid). */
BOOLEAN MmIsAddressValid(PVOID VirtualAddress);
/* TRUE when every byte of [Va, Va + Length) is readable now. */
BOOLEAN MmIsRangeValid(ULONG_PTR VirtualAddress, ULONG Length);

/*
 * mmlayout.h - the i386 address-space layout (NT's 2 GB / 2 GB split).
 *
 * Plain #defines only: this file is included by C, by the linker script (through
 * the C preprocessor) and, through asmdefs.inc, by the assembly.
 */
#pragma once

/* Kernel space starts at KSEG0_BASE and maps physical memory from 0 upwards. */
#define KSEG0_BASE              0x80000000
#define KERNEL_PHYSICAL_BASE    0x00100000      /* where the loader puts the image */
#define KERNEL_VIRTUAL_BASE     (KSEG0_BASE + KERNEL_PHYSICAL_BASE)

/*
 * The boot page tables map this much physical memory at KSEG0_BASE (and, until
 * the jump to the high half, at 0). Enough for the kernel, its boot structures
 * and the boot modules; the memory manager takes over from there.
 */
#define BOOT_MAPPED_SIZE        0x02000000      /* 32 MB */
#define BOOT_PAGE_TABLES        (BOOT_MAPPED_SIZE >> 22)

/*
 * KSEG0 maps RAM one to one, so every physical page the memory manager uses has a
 * kernel address (MmGetVirtualForPhysical) without any temporary mapping. That
 * bounds the RAM used to MM_KSEG0_SIZE; RAM above it is reported and left alone.
 */
#define MM_KSEG0_SIZE           0x20000000      /* 512 MB */
#define MM_KSEG0_END            (KSEG0_BASE + MM_KSEG0_SIZE)

/*
 * System PTEs: virtually contiguous kernel mappings of pages that need not be
 * physically contiguous (kernel stacks with their guard pages, multi-page pool).
 */
#define MM_SYSTEM_PTE_BASE      0xA0000000
#define MM_SYSTEM_PTE_SIZE      0x04000000      /* 64 MB */
#define MM_SYSTEM_PTE_END       (MM_SYSTEM_PTE_BASE + MM_SYSTEM_PTE_SIZE)

/* The self-map: PDE 0x300 points at the directory, so tables show at PTE_BASE. */
#define PTE_BASE                0xC0000000
#define PDE_BASE                0xC0300000
#define PDE_SELFMAP_INDEX       (PTE_BASE >> 22)

/* User space */
#define MM_LOWEST_USER_ADDRESS  0x00010000      /* below: never mapped (NULL guard) */
#define MM_SHARED_USER_DATA_VA  0x7FFE0000      /* KUSER_SHARED_DATA, read-only */
#define MM_USER_PROBE_ADDRESS   0x7FFF0000      /* first address a probe rejects */
#define MM_HIGHEST_USER_ADDRESS 0x7FFEFFFF
#define KI_USER_SHARED_DATA     0xFFDF0000      /* kernel's writable alias */

/* The page table holding KI_USER_SHARED_DATA (the last 4 MB) is made at boot too. */
#define MM_SHARED_DATA_TABLE_BASE 0xFFC00000

/* Page-table entry bits */
#define PTE_PRESENT        0x001
#define PTE_WRITE          0x002
#define PTE_OWNER          0x004    /* U/S: user accessible */
#define PTE_WRITE_THROUGH  0x008
#define PTE_CACHE_DISABLE  0x010
#define PTE_ACCESSED       0x020
#define PTE_DIRTY          0x040
#define PTE_LARGE_PAGE     0x080    /* in a PDE: 4 MB page */
#define PTE_GLOBAL         0x100
/*
 * Software bit of a NOT present PTE: the frame number is still that of the page,
 * which exists but may not be touched now (PAGE_NOACCESS or PAGE_GUARD).
 */
#define PTE_RETAINED       0x800

/* Kernel stacks are 12 KB, as in NT (KERNEL_STACK_SIZE). */
#define KERNEL_STACK_SIZE       0x3000

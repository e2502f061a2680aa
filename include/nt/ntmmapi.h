/*
 * ntmmapi.h - the virtual-memory API that user mode sees: the constants and the
 * structure of NtAllocateVirtualMemory, NtFreeVirtualMemory, NtProtectVirtualMemory
 * and NtQueryVirtualMemory, with NT's names and values (the same numbers winnt.h
 * gives Win32's VirtualAlloc family).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/* Allocation and free types (NtAllocateVirtualMemory, NtFreeVirtualMemory). */
#define MEM_COMMIT      0x00001000
#define MEM_RESERVE     0x00002000
#define MEM_DECOMMIT    0x00004000
#define MEM_RELEASE     0x00008000
#define MEM_RESET       0x00080000
#define MEM_TOP_DOWN    0x00100000

/* MEMORY_BASIC_INFORMATION.State: MEM_COMMIT, MEM_RESERVE or this. */
#define MEM_FREE        0x00010000

/* MEMORY_BASIC_INFORMATION.Type: what backs a region (0 for a free one). */
#define MEM_PRIVATE     0x00020000
#define MEM_MAPPED      0x00040000
#define MEM_IMAGE       0x01000000

/*
 * Page protections. A valid protection is exactly one of the eight base values
 * (0x01..0x80), optionally with one of the three modifiers; a modifier never goes
 * with PAGE_NOACCESS.
 */
#define PAGE_NOACCESS           0x01
#define PAGE_READONLY           0x02
#define PAGE_READWRITE          0x04
#define PAGE_WRITECOPY          0x08
#define PAGE_EXECUTE            0x10
#define PAGE_EXECUTE_READ       0x20
#define PAGE_EXECUTE_READWRITE  0x40
#define PAGE_EXECUTE_WRITECOPY  0x80
#define PAGE_GUARD              0x100
#define PAGE_NOCACHE            0x200
#define PAGE_WRITECOMBINE       0x400

/* A reservation made at a given base starts on a multiple of this (64 KB). */
#define MM_ALLOCATION_GRANULARITY 0x10000

typedef enum _MEMORY_INFORMATION_CLASS {
    MemoryBasicInformation = 0
} MEMORY_INFORMATION_CLASS;

/* NtQueryVirtualMemory(MemoryBasicInformation): one region of equal pages. */
typedef struct _MEMORY_BASIC_INFORMATION {
    PVOID BaseAddress;          /* the queried address, rounded down to its page */
    PVOID AllocationBase;       /* base of the reservation holding it; NULL when free */
    ULONG AllocationProtect;    /* protection given when it was reserved */
    SIZE_T RegionSize;          /* bytes from BaseAddress on with the same attributes */
    ULONG State;                /* MEM_COMMIT, MEM_RESERVE or MEM_FREE */
    ULONG Protect;              /* of committed pages; 0 when reserved */
    ULONG Type;                 /* MEM_PRIVATE, MEM_MAPPED, MEM_IMAGE; 0 when free */
} MEMORY_BASIC_INFORMATION, *PMEMORY_BASIC_INFORMATION;

/* i386 layout (28 bytes), as NtQueryVirtualMemory writes it. */
C_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, BaseAddress, 0);
C_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, AllocationBase, 4);
C_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, AllocationProtect, 8);
C_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, RegionSize, 12);
C_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, State, 16);
C_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, Protect, 20);
C_ASSERT_OFFSET(MEMORY_BASIC_INFORMATION, Type, 24);
C_ASSERT_SIZE(MEMORY_BASIC_INFORMATION, 28);


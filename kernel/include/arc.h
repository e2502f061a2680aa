/*
 * arc.h - what the boot loader told the kernel, in NT's shape.
 *
 * NT's loader (ntldr/winload) hands KiSystemStartup a LOADER_PARAMETER_BLOCK with the
 * memory descriptors, the load options and the boot drivers. Our loader is GRUB or
 * QEMU speaking Multiboot, so phase 0 start-up translates the Multiboot information
 * into the same block (KiParseMultibootInfo) and the rest of the kernel only ever
 * reads KeLoaderBlock.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <multiboot.h>

/* NT's TYPE_OF_MEMORY, in NT's order (the values are NT's). */
typedef enum _TYPE_OF_MEMORY {
    LoaderExceptionBlock,
    LoaderSystemBlock,
    LoaderFree,                 /* usable RAM */
    LoaderBad,                  /* RAM the firmware reported as bad */
    LoaderLoadedProgram,
    LoaderFirmwareTemporary,    /* ACPI tables: reclaimable once read */
    LoaderFirmwarePermanent,    /* reserved, ACPI NVS, the real-mode page 0 */
    LoaderOsloaderHeap,
    LoaderOsloaderStack,
    LoaderSystemCode,           /* the kernel image */
    LoaderHalCode,
    LoaderBootDriver,           /* boot modules (the boot volume) */
    LoaderConsoleInDriver,
    LoaderConsoleOutDriver,
    LoaderStartupDpcStack,
    LoaderStartupKernelStack,
    LoaderStartupPanicStack,
    LoaderStartupPcrPage,
    LoaderStartupPdrPage,
    LoaderRegistryData,
    LoaderMemoryData,
    LoaderNlsData,
    LoaderSpecialMemory,
    LoaderBBTMemory,
    LoaderReserve,
    LoaderXIPRom,
    LoaderMaximum
} TYPE_OF_MEMORY;

/* One run of physical pages of one type (NT links these in a list; we keep an array). */
typedef struct _MEMORY_ALLOCATION_DESCRIPTOR {
    TYPE_OF_MEMORY MemoryType;
    ULONG BasePage;
    ULONG PageCount;
} MEMORY_ALLOCATION_DESCRIPTOR, *PMEMORY_ALLOCATION_DESCRIPTOR;

#define LOADER_MAX_MEMORY_DESCRIPTORS 64
#define LOADER_MAX_MODULES            16
#define LOADER_MAX_OPTIONS            512
#define LOADER_MAX_NAME               64

/* A boot module (GRUB 'module' line or QEMU -initrd), in physical memory. */
typedef struct _LOADER_MODULE {
    ULONG PhysicalStart;         /* first byte */
    ULONG PhysicalEnd;           /* one past the last byte */
    CHAR Name[LOADER_MAX_NAME];  /* the module's command line, truncated */
} LOADER_MODULE, *PLOADER_MODULE;

typedef struct _LOADER_PARAMETER_BLOCK {
    /* The kernel command line without its first word (the kernel's own path). */
    CHAR LoadOptions[LOADER_MAX_OPTIONS];
    CHAR BootLoaderName[LOADER_MAX_NAME];

    /* Sorted by BasePage, never overlapping, neighbours of one type merged. */
    ULONG MemoryDescriptorCount;
    MEMORY_ALLOCATION_DESCRIPTOR MemoryDescriptors[LOADER_MAX_MEMORY_DESCRIPTORS];

    ULONG ModuleCount;
    LOADER_MODULE Modules[LOADER_MAX_MODULES];
} LOADER_PARAMETER_BLOCK, *PLOADER_PARAMETER_BLOCK;

/*
 * A physical range the firmware (or the kernel) reports, before it is cut into pages.
 * End is exclusive. KiBuildMemoryDescriptors takes a list of these.
 */
typedef struct _PHYSICAL_RANGE {
    ULONGLONG Start;
    ULONGLONG End;
    TYPE_OF_MEMORY Type;
} PHYSICAL_RANGE, *PPHYSICAL_RANGE;

/*
 * Turns firmware ranges into page descriptors:
 *  - LoaderFree ranges shrink inward to whole pages; every other type grows outward,
 *    so a partly reserved page is never handed out;
 *  - where ranges overlap, the type that is not LoaderFree wins, and among those the
 *    later one in the array wins (so the caller lists the kernel image and modules last);
 *  - anything at or above 4 GB is dropped (no PAE), ranges crossing it are clipped;
 *  - the output is sorted, non-overlapping, with equal neighbours merged;
 *  - pages no range covers are simply absent from the output;
 *  - empty or reversed ranges (End <= Start) are ignored.
 * Returns STATUS_BUFFER_TOO_SMALL when the descriptors do not fit in MaxDescriptors,
 * or when the ranges have more than 256 distinct page boundaries (the work array is
 * on the stack; that is 128 disjoint ranges). Returns STATUS_INVALID_PARAMETER for a
 * NULL pointer with a non-zero count, a NULL DescriptorCount or a Type outside
 * TYPE_OF_MEMORY. On any failure *DescriptorCount is 0 (when it can be written).
 */
NTSTATUS KiBuildMemoryDescriptors(const PHYSICAL_RANGE *Ranges, ULONG RangeCount,
                                  PMEMORY_ALLOCATION_DESCRIPTOR Descriptors,
                                  ULONG MaxDescriptors, PULONG DescriptorCount);

/*
 * Translates the Multiboot information into LoaderBlock. MapPhysical returns a
 * pointer through which Length bytes at physical address Physical can be read, or
 * NULL when they are not reachable (the parser then reports STATUS_INVALID_PARAMETER
 * rather than touching them). The kernel image [KernelStart, KernelEnd) and every
 * module are carved out of free memory, and page 0 is always LoaderFirmwarePermanent.
 * Without a memory map (flag clear or mmap_length 0), mem_lower/mem_upper are used.
 *
 * The parser copies what it needs out of each mapping before it calls MapPhysical
 * again, so MapPhysical may reuse a single temporary window. Strings are mapped at
 * most a page at a time, never beyond 4 GB and never more than 4 KB in all; a string
 * whose bytes cannot be mapped ends there (an unreachable string is empty). Module
 * names and BootLoaderName are truncated to fit, and LoadOptions is truncated to
 * LOADER_MAX_OPTIONS - 1 characters.
 *
 * LoaderBlock is zeroed first; on failure its contents must not be used. Returns
 * STATUS_INVALID_PARAMETER for a NULL LoaderBlock or MapPhysical, a wrong Magic
 * (nothing is mapped then), KernelEnd < KernelStart, an unreachable info block,
 * memory map or module list, a malformed memory map entry, a module with
 * mod_end < mod_start, or no memory information at all; STATUS_BUFFER_TOO_SMALL for
 * more than LOADER_MAX_MODULES modules, more than 128 ranges in all (memory map
 * entries + page 0 + kernel + modules), or more than LOADER_MAX_MEMORY_DESCRIPTORS
 * descriptors.
 */
typedef const void *(*PMAP_PHYSICAL_ROUTINE)(ULONG Physical, ULONG Length);

NTSTATUS KiParseMultibootInfo(ULONG Magic, ULONG InfoPhysical,
                              PMAP_PHYSICAL_ROUTINE MapPhysical,
                              ULONG KernelStart, ULONG KernelEnd,
                              PLOADER_PARAMETER_BLOCK LoaderBlock);

/*
 * Boot options in NT's style: "/DEBUG /TESTMODE /INIT=C:\x.exe /X=\"a b\"".
 * Looks up /Name (case-insensitive, whole option names only: /DEBUG does not match
 * /DEBUGPORT=COM1). Value, when not NULL, receives the text after '=' (quotes removed;
 * an empty string when there is no '='). Returns STATUS_SUCCESS, STATUS_NOT_FOUND, or
 * STATUS_BUFFER_TOO_SMALL when the value does not fit in ValueSize bytes with its NUL.
 *
 * Details: options are separated by spaces and tabs; text in double quotes belongs to
 * its token even across blanks (so /X="a /DEBUG" does not define /DEBUG), and every
 * '"' is removed from a value; tokens not starting with '/' are ignored; Name may be
 * given with or without its leading '/'; when an option appears more than once the
 * last one wins (options appended to a command line override earlier ones). Value
 * is written only on STATUS_SUCCESS, so it may be pre-loaded with a default.
 * STATUS_INVALID_PARAMETER for a NULL LoadOptions or Name, or an empty Name.
 */
NTSTATUS KiQueryBootOption(PCSTR LoadOptions, PCSTR Name, PCHAR Value, SIZE_T ValueSize);

/* Convenience forms over KeLoaderBlock->LoadOptions. */
extern LOADER_PARAMETER_BLOCK KeLoaderBlock;
BOOLEAN KeBootOptionPresent(PCSTR Name);
NTSTATUS KeBootOptionValue(PCSTR Name, PCHAR Value, SIZE_T ValueSize);

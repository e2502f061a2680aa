/*
 * mm.h - what the memory manager offers the rest of the kernel.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/ntmmapi.h>
#include <nt/ntobapi.h>
#include <mmlayout.h>

struct _LOADER_PARAMETER_BLOCK;

/* The self-map (mmlayout.h): the PTE and PDE of any address, as pointers. */
typedef ULONG MMPTE, *PMMPTE;
#define MiAddressToPte(Va) ((PMMPTE)(PTE_BASE + (((ULONG_PTR)(Va) >> PAGE_SHIFT) << 2)))
#define MiAddressToPde(Va) ((PMMPTE)(PDE_BASE + (((ULONG_PTR)(Va) >> 22) << 2)))

/* NT's MmUserProbeAddress: user pointers must lie below it. */
#define MmUserProbeAddress ((ULONG_PTR)MM_USER_PROBE_ADDRESS)
#define MmHighestUserAddress ((PVOID)MM_HIGHEST_USER_ADDRESS)

/* ---- start-up (mminit.c) ---- */

VOID MmInitSystem(struct _LOADER_PARAMETER_BLOCK *LoaderBlock);
PVOID MmGetVirtualForPhysical(ULONG PhysicalAddress);

/* TRUE when reading Va now would not fault (NT: MmIsAddressValid). */
BOOLEAN MmIsAddressValid(PVOID VirtualAddress);
/* TRUE when every byte of [Va, Va + Length) is readable now. */
BOOLEAN MmIsRangeValid(ULONG_PTR VirtualAddress, ULONG Length);

/* ---- physical memory, for tests and the task list ---- */

typedef struct _MM_MEMORY_COUNTERS {
    ULONG TotalPages;           /* RAM the memory manager owns */
    ULONG AvailablePages;       /* free + zeroed */
    ULONG InUsePages;
    ULONG CommittedPages;       /* user commit charged, all processes */
    ULONG CommitLimit;
    ULONG FreeSystemPtes;
} MM_MEMORY_COUNTERS, *PMM_MEMORY_COUNTERS;

VOID MmQueryMemoryCounters(PMM_MEMORY_COUNTERS Counters);

/* ---- kernel stacks (syspte.c): KERNEL_STACK_SIZE with a guard page below ---- */

PVOID MmCreateKernelStack(VOID);                /* the top (initial stack pointer), or NULL */
VOID MmDeleteKernelStack(PVOID StackBase);
BOOLEAN MmIsKernelStackGuardPage(ULONG_PTR VirtualAddress);

/* ---- address spaces (procsup.c) ---- */

/*
 * A process's address space: its page directory (whose kernel half is every other
 * directory's), and its VAD tree. Opaque outside mm/; the process issue keeps a
 * pointer to one in each EPROCESS.
 */
typedef struct _MM_ADDRESS_SPACE MM_ADDRESS_SPACE, *PMM_ADDRESS_SPACE;

NTSTATUS MmCreateProcessAddressSpace(PMM_ADDRESS_SPACE *AddressSpace);
VOID MmDeleteProcessAddressSpace(PMM_ADDRESS_SPACE AddressSpace);
ULONG MmGetDirectoryTableBase(PMM_ADDRESS_SPACE AddressSpace);
/* The pages of commit the space is charged (its private memory and copies). */
ULONG MmGetAddressSpaceCommitment(PMM_ADDRESS_SPACE AddressSpace);
PMM_ADDRESS_SPACE MmGetCurrentAddressSpace(VOID);
PMM_ADDRESS_SPACE MmGetSystemAddressSpace(VOID);

/*
 * A page-aligned, committed read-write block for a PEB or a TEB at the top of
 * Space's user addresses (NT: MiCreatePebOrTeb). It goes with the space, or with
 * MmFreeVirtualMemory.
 */
NTSTATUS MmCreatePebOrTeb(PMM_ADDRESS_SPACE Space, ULONG Size, PVOID *BaseAddress);

/*
 * Attaching: run in another process's address space for a while, to touch its user
 * memory (NT: KeStackAttachProcess / KeUnstackDetachProcess; those will wrap these
 * once KPROCESS exists). Attaches nest; each detach restores what its attach saw.
 */
typedef struct _MM_ATTACH_STATE {
    PMM_ADDRESS_SPACE Previous;
} MM_ATTACH_STATE, *PMM_ATTACH_STATE;

VOID MmAttachAddressSpace(PMM_ADDRESS_SPACE AddressSpace, PMM_ATTACH_STATE State);
/* Loads a space's page directory: the context switch's part (interrupts off). */
VOID MmSwitchAddressSpace(PMM_ADDRESS_SPACE AddressSpace);
VOID MmDetachAddressSpace(PMM_ATTACH_STATE State);

/* ---- virtual memory (virtual.c): the bodies of the Nt services ---- */

/*
 * Each works on the current address space (attach first for another one) with
 * NT's semantics and status codes; the pointers are kernel pointers (the system-
 * service layer probes and captures user arguments, then calls these).
 */
NTSTATUS MmAllocateVirtualMemory(PVOID *BaseAddress, ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                 ULONG AllocationType, ULONG Protect);
NTSTATUS MmFreeVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType);
NTSTATUS MmProtectVirtualMemory(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG NewProtect,
                                PULONG OldProtect);
NTSTATUS MmQueryVirtualMemory(PVOID BaseAddress, MEMORY_INFORMATION_CLASS InformationClass,
                              PVOID Information, SIZE_T Length, PSIZE_T ReturnLength);

/*
 * Copies between two address spaces (NT: MmCopyVirtualMemory, the body of
 * NtReadVirtualMemory / NtWriteVirtualMemory). A bad source or target address ends
 * the copy with STATUS_ACCESS_VIOLATION (STATUS_PARTIAL_COPY once some bytes moved);
 * *BytesCopied says how far it got.
 */
NTSTATUS MmCopyVirtualMemory(PMM_ADDRESS_SPACE SourceSpace, PVOID SourceAddress,
                             PMM_ADDRESS_SPACE TargetSpace, PVOID TargetAddress,
                             SIZE_T Size, PSIZE_T BytesCopied);

/* ---- page faults (pagefault.c) ---- */

/*
 * Resolves a page fault (NT: MmAccessFault): STATUS_SUCCESS when the access can be
 * retried, STATUS_GUARD_PAGE_VIOLATION once for a guard page, STATUS_ACCESS_VIOLATION
 * for free, reserved or protected memory, STATUS_NO_MEMORY when no page is left.
 */
NTSTATUS MmAccessFault(BOOLEAN StoreInstruction, ULONG_PTR Address, KPROCESSOR_MODE Mode);

/* ---- sections (section.c, segment.c, mapview.c) ---- */

/*
 * Section objects (NT: MmSectionObjectType, "Section"): what NtCreateSection makes
 * and NtMapViewOfSection maps. Two kinds, as NT's:
 *   SEC_IMAGE   a PE32 image file, checked and laid out in memory once; every view
 *               shares its pages (copy-on-write where the image's sections are
 *               writable), and every section made from the same file shares them too
 *   SEC_COMMIT  memory backed by the paging file (here: RAM), shared by every view:
 *               how processes share memory, named in \BaseNamedObjects by Win32
 * Mapping a plain data file (a section on a file without SEC_IMAGE) needs the
 * cache manager: STATUS_NOT_IMPLEMENTED.
 */
struct _FILE_OBJECT;
struct _OBJECT_TYPE;
extern struct _OBJECT_TYPE *MmSectionObjectType;

VOID MmInitializeSections(VOID);        /* the type, at boot */

/* The body of NtCreateSection, for kernel callers: a section object, not inserted. */
NTSTATUS MmCreateSection(PVOID *SectionObject, ACCESS_MASK DesiredAccess,
                         POBJECT_ATTRIBUTES ObjectAttributes, PLARGE_INTEGER MaximumSize,
                         ULONG SectionPageProtection, ULONG AllocationAttributes,
                         struct _FILE_OBJECT *FileObject);

/*
 * Maps a view of Section into AddressSpace (any space: only its VAD tree changes;
 * pages come in at the first touch). *BaseAddress NULL lets the system choose (an
 * image then tries its preferred base first); *ViewSize 0 means to the end of the
 * section. STATUS_IMAGE_NOT_AT_BASE (a success) when an image had to move.
 */
NTSTATUS MmMapViewOfSection(PVOID Section, PMM_ADDRESS_SPACE AddressSpace, PVOID *BaseAddress,
                            ULONG_PTR ZeroBits, PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize,
                            ULONG AllocationType, ULONG Protect);
/* Unmaps the view holding BaseAddress (STATUS_NOT_MAPPED_VIEW if none). */
NTSTATUS MmUnmapViewOfSection(PMM_ADDRESS_SPACE AddressSpace, PVOID BaseAddress);

/*
 * The file system asks before a file is opened for writing or deleted, overwritten
 * or renamed over (NT's MmFlushImageSection): FALSE while an image section or view
 * of the file exists or is being made, so that the bytes every view shares do not
 * change under it; TRUE when there is none, a cached unused image having been
 * dropped, so that the next image section reads the file again. A FALSE changes
 * nothing: the refused operation does not happen. Called with the file system's
 * locks held: the dropped image's file object is closed later
 * (ObDereferenceObjectDeferDelete).
 */
typedef enum _MMFLUSH_TYPE {
    MmFlushForDelete,
    MmFlushForWrite
} MMFLUSH_TYPE;

struct _SECTION_OBJECT_POINTERS;
BOOLEAN MmFlushImageSection(struct _SECTION_OBJECT_POINTERS *SectionPointer, MMFLUSH_TYPE FlushType);
/*
 * The file system is about to change the file's bytes or size whatever an image
 * of it says (a write or new end of file through a handle opened before the image
 * section was made): a cached image is dropped, and one in use or being made
 * serves only its present users, and is neither cached nor given to a new section.
 * Same locking as MmFlushImageSection. (NT has no such call: its image stays the
 * file's, stale; here the next section reads the new bytes.)
 */
VOID MmImageFileChanging(struct _SECTION_OBJECT_POINTERS *SectionPointer);

/*
 * The image segment cache (segment.c): image segments no section or view uses, kept
 * on their files for the next process or DLL load. MmTrimSegmentCache drops them
 * all (tests take their memory baselines with it empty); the counters are for
 * tests and benchmarks.
 */
typedef struct _MM_SEGMENT_CACHE_INFORMATION {
    ULONG UnusedSegments;       /* cached, no section or view */
    ULONG UnusedPages;          /* their pages */
    ULONG ImageFileReads;       /* image files read and laid out since boot */
} MM_SEGMENT_CACHE_INFORMATION, *PMM_SEGMENT_CACHE_INFORMATION;

VOID MmQuerySegmentCache(PMM_SEGMENT_CACHE_INFORMATION Information);
VOID MmTrimSegmentCache(VOID);

/* SectionImageInformation of an image section (STATUS_SECTION_NOT_IMAGE otherwise). */
struct _SECTION_IMAGE_INFORMATION;
NTSTATUS MmQuerySectionImageInformation(PVOID Section, struct _SECTION_IMAGE_INFORMATION *Information);
/* An image section's preferred base (0 for a section that is no image). */
ULONG_PTR MmGetSectionImageBase(PVOID Section);
/* The file an image section was made from (not referenced; it lives as long as
   the section), or NULL. */
struct _FILE_OBJECT *MmGetSectionFileObject(PVOID Section);

/*
 * The RVA of the export Name of an image section (secexport.c); a forwarder counts
 * as not found. STATUS_SECTION_NOT_IMAGE, STATUS_ENTRYPOINT_NOT_FOUND,
 * STATUS_INVALID_IMAGE_FORMAT (no export directory, or a bad one).
 */
NTSTATUS MmFindSectionExport(PVOID Section, PCSTR Name, PULONG Rva);

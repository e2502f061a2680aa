/*
 * ex.h - what the executive support library (ex/) offers the rest of the kernel.
 *
 * For now this is the pool allocator (NT: ExAllocatePoolWithTag and friends, ntos\ex\
 * pool.c). The other Ex services (handle tables, events, system information, ...)
 * will join this header as they are written.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/* ---- pools ---- */

/*
 * NT's pool types, with NT's values. Bit 0 is the base pool (the one the memory comes
 * from), bit 1 asks for must-succeed, bit 2 for cache alignment. PagedPool is served
 * by the same allocator as NonPagedPool (nothing is paged to disk here), but from its
 * own pages and free lists, and it is counted separately.
 */
typedef enum _POOL_TYPE {
    NonPagedPool                  = 0,
    PagedPool                     = 1,
    NonPagedPoolMustSucceed       = 2,
    DontUseThisType               = 3,  /* NT's former PagedPoolMustSucceed: refused */
    NonPagedPoolCacheAligned      = 4,
    PagedPoolCacheAligned         = 5,
    NonPagedPoolCacheAlignedMustS = 6,
    MaxPoolType                   = 7
} POOL_TYPE;

#define BASE_POOL_TYPE_MASK          1
#define MUST_SUCCEED_POOL_TYPE_MASK  2
#define CACHE_ALIGNED_POOL_TYPE_MASK 4

/* Number of base pools (NonPagedPool, PagedPool): the index of per-pool counters. */
#define EX_BASE_POOL_TYPES           2

/*
 * Alignment of the blocks of the CacheAligned pool types: a processor cache line
 * (64 bytes on every i386-family processor since the Pentium 4, and QEMU's). NT uses
 * the size the processor reports; a fixed line is enough here and errs on the large
 * side for older processors (32-byte lines).
 */
#define POOL_CACHE_ALIGNMENT         64

/*
 * A pool tag: four characters, stored little-endian so that they read in order in a
 * memory dump (NT drivers write the same value as the constant 'enoN' for "None").
 */
#define EX_POOL_TAG(A, B, C, D) \
    ((ULONG)(UCHAR)(A) | ((ULONG)(UCHAR)(B) << 8) | ((ULONG)(UCHAR)(C) << 16) | \
     ((ULONG)(UCHAR)(D) << 24))

/* The tag ExAllocatePool gives (NT: 'enoN'). */
#define EX_UNTAGGED_POOL_TAG EX_POOL_TAG('N', 'o', 'n', 'e')

/*
 * A tag with this bit may only be freed by ExFreePoolWithTag with the same tag,
 * never by ExFreePool (NT: PROTECTED_POOL). Usage is counted without the bit.
 */
#define PROTECTED_POOL 0x80000000UL

/*
 * Allocation. Any size, 0 included (a minimal block comes back). The block is 8-byte
 * aligned, POOL_CACHE_ALIGNMENT aligned for the CacheAligned types, page aligned when
 * larger than fits in a page with its header. Out of memory returns NULL, except for
 * the MustSucceed types, which bugcheck (MUST_SUCCEED_POOL_EMPTY). An unknown pool
 * type returns NULL. Callable with interrupts disabled and from interrupt handlers.
 */
PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);

/*
 * Free. Tag 0 (what ExFreePool passes) skips the tag check, except for a block
 * allocated with a PROTECTED_POOL tag; any other Tag must equal the allocation's tag.
 * A bad call or a corrupted pool bugchecks (BAD_POOL_CALLER, BAD_POOL_HEADER) after
 * a DbgPrint that says what was found; see kernel/ex/pool.c for the parameters.
 */
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
VOID ExFreePool(PVOID P);

/*
 * Usage of one tag (NT: POOL_TRACKER_TABLE, what poolmon shows). Bytes are what the
 * blocks hold: header included for small blocks, whole pages for large ones.
 */
typedef struct _EX_POOL_TAG_USAGE {
    ULONG Tag;              /* without PROTECTED_POOL */
    ULONG NonPagedAllocs;
    ULONG NonPagedFrees;
    SIZE_T NonPagedBytes;
    ULONG PagedAllocs;
    ULONG PagedFrees;
    SIZE_T PagedBytes;
} EX_POOL_TAG_USAGE, *PEX_POOL_TAG_USAGE;

/* STATUS_NOT_FOUND when the tag was never used (a tag once used stays in the table). */
NTSTATUS ExQueryPoolTagUsage(ULONG Tag, PEX_POOL_TAG_USAGE Usage);

/* The totals of one base pool (NT: the counters of its POOL_DESCRIPTOR). */
typedef struct _EX_POOL_TYPE_USAGE {
    ULONG RunningAllocs;    /* allocations since boot */
    ULONG RunningDeAllocs;  /* frees since boot */
    ULONG BlocksInUse;      /* live allocations, small and large */
    SIZE_T BytesInUse;      /* as in EX_POOL_TAG_USAGE */
    ULONG TotalPages;       /* pages held for small blocks */
    ULONG TotalBigPages;    /* pages held by large allocations */
    ULONG BigAllocations;   /* live large allocations */
} EX_POOL_TYPE_USAGE, *PEX_POOL_TYPE_USAGE;

typedef struct _EX_POOL_USAGE {
    EX_POOL_TYPE_USAGE Pool[EX_BASE_POOL_TYPES];   /* [NonPagedPool], [PagedPool] */
    ULONG TagTablePages;        /* pages held by the per-tag table beyond its static part */
    ULONG BigPageTablePages;    /* the same for the table of pool pages */
    ULONG TotalPagesHeld;       /* everything the pool holds from MiAllocatePoolPages */
} EX_POOL_USAGE, *PEX_POOL_USAGE;

VOID ExQueryPoolUsage(PEX_POOL_USAGE Usage);

/*
 * The page provider, provided by the memory manager (kernel/mm/). The pool knows
 * nothing of page tables: it takes whole pages here and gives them back here.
 *
 * MiAllocatePoolPages returns PageCount contiguous, page-aligned, mapped pages, or
 * NULL when there are none. PoolType is the type the caller of ExAllocatePoolWithTag
 * asked for (PoolType & BASE_POOL_TYPE_MASK says paged or non-paged; the pool's own
 * tables ask for NonPagedPool). Both are called with interrupts disabled, possibly
 * from an interrupt handler. MiFreePoolPages gets back exactly what one
 * MiAllocatePoolPages call returned (same base, same count).
 */
PVOID MiAllocatePoolPages(POOL_TYPE PoolType, ULONG PageCount);
VOID MiFreePoolPages(PVOID BaseAddress, ULONG PageCount);

/* ---- exceptions and probes (ex/probe.c) ---- */

/* Raises Status to the innermost fault-recovery block (NT: ExRaiseStatus). */
__attribute__((noreturn)) VOID ExRaiseStatus(NTSTATUS Status);
/* Raise STATUS_ACCESS_VIOLATION or STATUS_DATATYPE_MISALIGNMENT for a bad user buffer. */
VOID ProbeForRead(PCVOID Address, SIZE_T Length, ULONG Alignment);
VOID ProbeForWrite(PVOID Address, SIZE_T Length, ULONG Alignment);

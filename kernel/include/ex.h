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

/* An Nt service's buffers (ex/capture.c): probed and copied in a fault-recovery block
   for a user-mode caller, copied directly for a kernel one; a fault is a status. */
NTSTATUS ExCaptureUserData(PVOID Destination, PCVOID Source, SIZE_T Length, ULONG Alignment,
                           KPROCESSOR_MODE PreviousMode);
NTSTATUS ExProbeUserInput(PCVOID Address, SIZE_T Length, ULONG Alignment, KPROCESSOR_MODE PreviousMode);
NTSTATUS ExProbeUserOutput(PVOID Address, SIZE_T Length, ULONG Alignment, KPROCESSOR_MODE PreviousMode);
NTSTATUS ExCopyToCaller(PVOID Destination, PCVOID Source, SIZE_T Length,
                        KPROCESSOR_MODE PreviousMode);

/* ---- handle tables (ex/handle.c) ---- */

/*
 * NT's executive handle table (ntos\ex\handle.c): what every process's object
 * table, the kernel's handle table and the client-ID table (PspCidTable) are made
 * of. It maps handle values to entries; what an entry means is its owner's business
 * (the object manager keeps an object and the access granted; the CID table a
 * process or thread).
 *
 * Handle values are multiples of 4: the low two bits are ignored, as in NT, and
 * the value / 4 is the index of the entry. Entries live in pages of 512 (8 bytes
 * each) reached through 1, 2 or 3 levels exactly as in NT (TableCode's low two bits
 * say how many); pages are added as the table grows, never moved, up to NT's limit
 * of 2^24 handles (far more than memory allows here). Entry 0 of every page never
 * holds a handle (NT reserves it too: handle 0 is never valid, and 0x800, 0x1000...
 * are skipped); we keep a summary of the page's free entries in it.
 *
 * The lowest free handle is always the one given out next (NT reuses the most
 * recently freed one first; the lowest makes values predictable, and tests and
 * users can rely on it).
 */
struct _EPROCESS;       /* the process manager's (kernel/ps/) */

typedef struct _HANDLE_TABLE_ENTRY {
    union {
        PVOID Object;           /* 8-byte-aligned pointer | owner's bits 0-2; NULL when free */
        ULONG_PTR ObAttributes;
        ULONG_PTR Value;
    };
    ACCESS_MASK GrantedAccess;  /* the owner's (the object manager: the access granted) */
} HANDLE_TABLE_ENTRY, *PHANDLE_TABLE_ENTRY;
C_ASSERT_SIZE(HANDLE_TABLE_ENTRY, 8);

/* The low bits of HANDLE_TABLE_ENTRY.Object its owner may use (NT: OBJ_HANDLE_ATTRIBUTES). */
#define EX_HANDLE_ENTRY_ATTRIBUTES  7UL

typedef struct _HANDLE_TABLE {
    ULONG_PTR TableCode;            /* top-level page | (levels - 1) */
    struct _EPROCESS *QuotaProcess; /* the owning process, NULL for kernel tables */
    HANDLE UniqueProcessId;
    ULONG HandleTableLock;          /* see ExpLockHandleTable in handle.c */
    ULONG FirstFree;                /* no free entry has a lower index */
    ULONG NextHandleNeedingPool;    /* first handle value with no page behind it */
    LONG HandleCount;               /* entries in use */
} HANDLE_TABLE, *PHANDLE_TABLE;

/* NULL when there is no memory (NT: ExCreateHandleTable). */
PHANDLE_TABLE ExCreateHandleTable(struct _EPROCESS *Process);

/*
 * Frees the table. DestroyHandleProcedure (optional) is called first for each entry
 * still in use, with a copy of it, outside the table's lock.
 */
typedef VOID (*PEX_DESTROY_HANDLE_ROUTINE)(PHANDLE_TABLE_ENTRY HandleTableEntry, HANDLE Handle,
                                           PVOID Context);
VOID ExDestroyHandleTable(PHANDLE_TABLE HandleTable, PEX_DESTROY_HANDLE_ROUTINE DestroyHandleProcedure,
                          PVOID Context);

/*
 * Copies *HandleTableEntry (Object must not be NULL) into the lowest free entry and
 * returns its handle, or NULL when no memory is left for a new page.
 */
HANDLE ExCreateHandle(PHANDLE_TABLE HandleTable, PHANDLE_TABLE_ENTRY HandleTableEntry);

/*
 * Frees Handle's entry. LockedEntry is NULL, or the entry ExMapHandleToPointer
 * returned for Handle (still locked): either way the table is unlocked on return.
 * Removed (optional) receives what the entry held. FALSE for a bad handle.
 */
BOOLEAN ExDestroyHandle(PHANDLE_TABLE HandleTable, HANDLE Handle, PHANDLE_TABLE_ENTRY LockedEntry,
                        PHANDLE_TABLE_ENTRY Removed);

/*
 * The entry of Handle, with the table locked, or NULL (unlocked) for a bad handle:
 * not in the table, free, or the reserved entry of a page. The caller reads or
 * changes the entry and calls ExUnlockHandleTableEntry soon: the lock keeps
 * interrupts off (see handle.c).
 */
PHANDLE_TABLE_ENTRY ExMapHandleToPointer(PHANDLE_TABLE HandleTable, HANDLE Handle);
VOID ExUnlockHandleTableEntry(PHANDLE_TABLE HandleTable, PHANDLE_TABLE_ENTRY HandleTableEntry);

/* Calls ChangeRoutine on Handle's entry under the lock; FALSE for a bad handle or
   when the routine says FALSE (NT: ExChangeHandle). */
typedef BOOLEAN (*PEX_CHANGE_HANDLE_ROUTINE)(PHANDLE_TABLE_ENTRY HandleTableEntry, ULONG_PTR Parameter);
BOOLEAN ExChangeHandle(PHANDLE_TABLE HandleTable, HANDLE Handle, PEX_CHANGE_HANDLE_ROUTINE ChangeRoutine,
                       ULONG_PTR Parameter);

/*
 * A new table for Process holding, at the same handle values, the entries of
 * OldHandleTable whose attribute bits include Mask (every entry when Mask is 0) and
 * that DupHandleProcedure accepts. The procedure gets the old entry and the new one
 * (a copy it may change), with the old table locked: it must be short (take a
 * reference, say yes or no). NULL when there is no memory (nothing was copied then).
 */
typedef BOOLEAN (*PEX_DUPLICATE_HANDLE_ROUTINE)(struct _EPROCESS *Process, PHANDLE_TABLE OldHandleTable,
                                                PHANDLE_TABLE_ENTRY OldEntry, PHANDLE_TABLE_ENTRY NewEntry);
PHANDLE_TABLE ExDupHandleTable(struct _EPROCESS *Process, PHANDLE_TABLE OldHandleTable,
                               PEX_DUPLICATE_HANDLE_ROUTINE DupHandleProcedure, ULONG_PTR Mask);

/*
 * Frees every entry in use, lowest first, calling SweepHandleCallback with a copy
 * of each after it is freed and outside the lock (NT: ExSweepHandleTable, which a
 * process's exit uses to close its handles).
 */
typedef VOID (*PEX_SWEEP_HANDLE_ROUTINE)(PHANDLE_TABLE_ENTRY HandleTableEntry, HANDLE Handle, PVOID Context);
VOID ExSweepHandleTable(PHANDLE_TABLE HandleTable, PEX_SWEEP_HANDLE_ROUTINE SweepHandleCallback,
                        PVOID Context);

/*
 * Calls EnumHandleProcedure with a copy of each entry in use, lowest first, outside
 * the lock, until it returns TRUE; then returns TRUE and the handle in *Handle.
 */
typedef BOOLEAN (*PEX_ENUM_HANDLE_ROUTINE)(PHANDLE_TABLE_ENTRY HandleTableEntry, HANDLE Handle,
                                           PVOID EnumParameter);
BOOLEAN ExEnumHandleTable(PHANDLE_TABLE HandleTable, PEX_ENUM_HANDLE_ROUTINE EnumHandleProcedure,
                          PVOID EnumParameter, PHANDLE Handle);

/*
 * heap.c - creating and destroying heaps, the process's list of them, and the
 * process heap (NT: RtlCreateHeap, RtlDestroyHeap, RtlGetProcessHeaps,
 * RtlpAddHeapToProcessList/RtlpRemoveHeapFromProcessList, and the process heap
 * LdrpInitializeProcess creates into PEB->ProcessHeap).
 *
 * A heap's HEAP structure is the start of its first segment, so the handle is an
 * address inside the heap's own memory, as in NT. Its lock is a critical section
 * (NT's HEAP_LOCK): the heap's own, or the one its creator passed as Lock.
 *
 * The PEB lists every heap (ProcessHeaps, NumberOfHeaps, MaximumNumberOfHeaps),
 * the process heap first, for debuggers and RtlGetProcessHeaps. NT's kernel puts
 * that array just after the PEB; when the kernel leaves ProcessHeaps NULL (ours
 * does), or the array fills, the list moves to pages of its own, twice as large.
 */
#include "heapp.h"

/* The process heap's defaults, should the PEB not give them (NT's own values). */
#define HEAP_DEFAULT_SEGMENT_RESERVE    0x100000
#define HEAP_DEFAULT_SEGMENT_COMMIT     0x2000
#define HEAP_DEFAULT_DECOMMIT_THRESHOLD 0x10000
#define HEAP_DEFAULT_MAXIMUM_HEAPS      16

/* Guards the PEB's list (NT: RtlpProcessHeapsListLock). */
static RTL_CRITICAL_SECTION RtlpProcessHeapsLock = RTLP_CRITICAL_SECTION_INIT;
/* The list's pages when this file made them (else the kernel's, never freed). */
static PVOID *RtlpProcessHeapsPages;

/* ---- the process's list of heaps ---- */

static BOOLEAN RtlpAddHeapToProcessList(PHEAP Heap)
{
    PPEB Peb = RtlpHeapCurrentPeb();
    BOOLEAN Added = TRUE;

    RtlEnterCriticalSection(&RtlpProcessHeapsLock);
    if (Peb->ProcessHeaps == NULL || Peb->NumberOfHeaps >= Peb->MaximumNumberOfHeaps) {
        ULONG Maximum = Peb->MaximumNumberOfHeaps ? Peb->MaximumNumberOfHeaps : HEAP_DEFAULT_MAXIMUM_HEAPS;
        SIZE_T Size, Release = 0;
        PVOID *List = NULL;

        if (Peb->ProcessHeaps != NULL)
            Maximum *= 2;
        Size = RtlpHeapRoundPage(Maximum * sizeof(PVOID));
        if (NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), (PVOID *)&List, 0, &Size,
                                               MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE))) {
            if (Peb->ProcessHeaps != NULL)
                RtlpHeapCopy(List, Peb->ProcessHeaps, Peb->NumberOfHeaps * sizeof(PVOID));
            if (Peb->ProcessHeaps != NULL && Peb->ProcessHeaps == RtlpProcessHeapsPages) {
                PVOID Old = RtlpProcessHeapsPages;

                NtFreeVirtualMemory(NtCurrentProcess(), &Old, &Release, MEM_RELEASE);
            }
            RtlpProcessHeapsPages = List;
            Peb->ProcessHeaps = List;
            Peb->MaximumNumberOfHeaps = (ULONG)(Size / sizeof(PVOID));   /* all of the pages */
        } else {
            Added = FALSE;
        }
    }
    if (Added)
        Peb->ProcessHeaps[Peb->NumberOfHeaps++] = Heap;
    RtlLeaveCriticalSection(&RtlpProcessHeapsLock);
    return Added;
}

static VOID RtlpRemoveHeapFromProcessList(PHEAP Heap)
{
    PPEB Peb = RtlpHeapCurrentPeb();
    ULONG Index;

    RtlEnterCriticalSection(&RtlpProcessHeapsLock);
    for (Index = 0; Index < Peb->NumberOfHeaps; Index++) {
        if (Peb->ProcessHeaps[Index] != Heap)
            continue;
        /* The rest move down: the list keeps creation order, the process heap first. */
        for (Peb->NumberOfHeaps--; Index < Peb->NumberOfHeaps; Index++)
            Peb->ProcessHeaps[Index] = Peb->ProcessHeaps[Index + 1];
        Peb->ProcessHeaps[Index] = NULL;
        break;
    }
    RtlLeaveCriticalSection(&RtlpProcessHeapsLock);
}

/* The number of heaps; the first NumberOfHeaps of them are copied to ProcessHeaps. */
ULONG NTAPI RtlGetProcessHeaps(ULONG NumberOfHeaps, PVOID *ProcessHeaps)
{
    PPEB Peb = RtlpHeapCurrentPeb();
    ULONG Total, Index;

    RtlEnterCriticalSection(&RtlpProcessHeapsLock);
    Total = Peb->NumberOfHeaps;
    for (Index = 0; Index < Total && Index < NumberOfHeaps; Index++)
        ProcessHeaps[Index] = Peb->ProcessHeaps[Index];
    RtlLeaveCriticalSection(&RtlpProcessHeapsLock);
    return Total;
}

/* ---- create ---- */

/* A byte mixed into every header's checksum, different per heap and never 0. */
static UCHAR RtlpHeapMakeCookie(PHEAP Heap)
{
    ULONG Low, High;
    UCHAR Cookie;

    __asm__ volatile ("rdtsc" : "=a"(Low), "=d"(High));
    Cookie = (UCHAR)(Low ^ (Low >> 8) ^ ((ULONG_PTR)Heap >> 16) ^ ((ULONG_PTR)Heap >> 24));
    return Cookie != 0 ? Cookie : 0xA5;
}

/*
 * Flags: HEAP_GROWABLE (new segments and big blocks as needed; without it the heap
 * never outgrows ReserveSize), HEAP_NO_SERIALIZE and HEAP_GENERATE_EXCEPTIONS
 * (then applied to every call). HeapBase: NULL, or memory the caller reserved,
 * page-aligned, of which CommitSize bytes are committed; the heap then stays in
 * it. ReserveSize/CommitSize 0: the PEB's HeapSegmentReserve/HeapSegmentCommit.
 * Lock: NULL, or a critical section the caller initialized, which the heap then
 * takes instead of its own (and never deletes); ignored with HEAP_NO_SERIALIZE,
 * as NT does. A CommitRoutine is not supported: NULL is returned rather than a
 * heap that ignores it.
 */
PVOID NTAPI RtlCreateHeap(ULONG Flags, PVOID HeapBase, SIZE_T ReserveSize, SIZE_T CommitSize, PVOID Lock,
                          PRTL_HEAP_PARAMETERS Parameters)
{
    PPEB Peb = RtlpHeapCurrentPeb();
    RTL_HEAP_PARAMETERS Given;
    SIZE_T Headers = sizeof(HEAP) + sizeof(HEAP_SEGMENT) + sizeof(HEAP_FREE_ENTRY), Release = 0;
    PVOID Base = HeapBase, CommitBase;
    PHEAP Heap;
    ULONG Index;

    RtlpHeapZero(&Given, sizeof(Given));
    if (Parameters != NULL && Parameters->Length >= sizeof(Given))
        RtlpHeapCopy(&Given, Parameters, sizeof(Given));
    if (Given.CommitRoutine != NULL)
        return NULL;
    Flags &= HEAP_CREATE_VALID_FLAGS;

    if (Given.SegmentReserve == 0)
        Given.SegmentReserve = Peb->HeapSegmentReserve ? Peb->HeapSegmentReserve : HEAP_DEFAULT_SEGMENT_RESERVE;
    if (Given.SegmentCommit == 0)
        Given.SegmentCommit = Peb->HeapSegmentCommit ? Peb->HeapSegmentCommit : HEAP_DEFAULT_SEGMENT_COMMIT;
    if (Given.DeCommitTotalFreeThreshold == 0)
        Given.DeCommitTotalFreeThreshold = Peb->HeapDeCommitTotalFreeThreshold ?
            Peb->HeapDeCommitTotalFreeThreshold : HEAP_DEFAULT_DECOMMIT_THRESHOLD;
    if (Given.VirtualMemoryThreshold == 0 || Given.VirtualMemoryThreshold > HEAP_DEFAULT_VIRTUAL_THRESHOLD)
        Given.VirtualMemoryThreshold = HEAP_DEFAULT_VIRTUAL_THRESHOLD;
    if (ReserveSize == 0)
        ReserveSize = Given.SegmentReserve;
    if (CommitSize == 0)
        CommitSize = Given.SegmentCommit;
    CommitSize = RtlpHeapRoundPage(CommitSize > Headers ? CommitSize : Headers);
    if (ReserveSize >= HEAP_MAXIMUM_REQUEST || CommitSize >= HEAP_MAXIMUM_REQUEST)
        return NULL;

    if (HeapBase != NULL) {
        /* The caller's memory: the reservation as given (whole pages of it). */
        ReserveSize &= ~(SIZE_T)(HEAP_PAGE_SIZE - 1);
        if (((ULONG_PTR)HeapBase & (HEAP_PAGE_SIZE - 1)) != 0 || CommitSize > ReserveSize)
            return NULL;
        Flags |= HEAP_CALLER_MEMORY;
    } else {
        ReserveSize = RtlpHeapRoundPage(ReserveSize > CommitSize ? ReserveSize : CommitSize);
        if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &ReserveSize, MEM_RESERVE,
                                                PAGE_READWRITE)))
            return NULL;
        CommitBase = Base;
        if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &CommitBase, 0, &CommitSize, MEM_COMMIT,
                                                PAGE_READWRITE))) {
            NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Release, MEM_RELEASE);
            return NULL;
        }
    }

    Heap = Base;
    RtlpHeapZero(Heap, sizeof(HEAP));           /* the caller's memory may not be zero */
    Heap->Signature = HEAP_SIGNATURE;
    Heap->Flags = Flags;
    if ((Flags & (HEAP_GROWABLE | HEAP_NO_SERIALIZE)) == HEAP_GROWABLE)
        Heap->Flags |= HEAP_LOOKASIDE_ENABLED;
    Heap->ForceFlags = Flags & HEAP_FORCE_FLAGS;
    if (Lock != NULL && !(Flags & HEAP_NO_SERIALIZE)) {
        Heap->LockVariable = Lock;
        Heap->Flags |= HEAP_LOCK_USER_ALLOCATED;
    } else {
        RtlInitializeCriticalSection(&Heap->Lock);
        Heap->LockVariable = &Heap->Lock;
    }
    Heap->Cookie = RtlpHeapMakeCookie(Heap);
    Heap->SegmentReserve = Given.SegmentReserve;
    Heap->SegmentCommit = Given.SegmentCommit;
    Heap->DeCommitThreshold = Given.DeCommitTotalFreeThreshold;
    Heap->VirtualMemoryThreshold = Given.VirtualMemoryThreshold >> HEAP_GRANULARITY_SHIFT;
    InitializeListHead(&Heap->VirtualAllocdBlocks);
    for (Index = 0; Index < HEAP_FREE_LISTS; Index++)
        InitializeListHead(&Heap->FreeLists[Index]);
    RtlpHeapInitializeSegment(Heap, (PHEAP_SEGMENT)(Heap + 1), 0, Base, (PUCHAR)Base + CommitSize,
                              (PUCHAR)Base + ReserveSize,
                              (PUCHAR)Heap + ((sizeof(HEAP) + sizeof(HEAP_SEGMENT) + HEAP_GRANULARITY - 1) &
                                              ~(SIZE_T)(HEAP_GRANULARITY - 1)));

    if (!RtlpAddHeapToProcessList(Heap)) {
        Heap->Signature = 0;
        if (!(Heap->Flags & HEAP_LOCK_USER_ALLOCATED))
            RtlDeleteCriticalSection(&Heap->Lock);
        if (HeapBase == NULL)
            NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Release, MEM_RELEASE);
        return NULL;
    }
    return Heap;
}

/* ---- destroy ---- */

/* NULL when the heap is gone; the handle itself when it was not destroyed (the
   process heap never is), as NT. */
PVOID NTAPI RtlDestroyHeap(PVOID HeapHandle)
{
    PHEAP Heap = HeapHandle;
    PVOID Base;
    SIZE_T Size;
    ULONG Index;

    if (Heap == NULL || Heap->Signature != HEAP_SIGNATURE || Heap == RtlpHeapCurrentPeb()->ProcessHeap)
        return HeapHandle;
    RtlpRemoveHeapFromProcessList(Heap);
    while (!IsListEmpty(&Heap->VirtualAllocdBlocks))
        RtlpHeapFreeVirtual(Heap, CONTAINING_RECORD(Heap->VirtualAllocdBlocks.Flink, HEAP_VIRTUAL_BLOCK, Links));
    /* The extra segments, then the first, which holds the HEAP itself. */
    for (Index = HEAP_MAXIMUM_SEGMENTS - 1; Index > 0; Index--) {
        if (Heap->Segments[Index] == NULL)
            continue;
        Base = Heap->Segments[Index]->BaseAddress;
        Size = 0;
        NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE);
    }
    Heap->Signature = 0;                        /* a stale handle no longer validates */
    if (!(Heap->Flags & HEAP_LOCK_USER_ALLOCATED))
        RtlDeleteCriticalSection(&Heap->Lock);  /* its event, if it ever had one */
    if (!(Heap->Flags & HEAP_CALLER_MEMORY)) {
        Base = Heap;
        Size = 0;
        NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE);
    }
    return NULL;
}

/* ---- the process heap ---- */

NTSTATUS RtlpInitializeProcessHeap(PPEB Peb)
{
    PVOID Heap = RtlCreateHeap(HEAP_GROWABLE, NULL, Peb->HeapSegmentReserve, Peb->HeapSegmentCommit, NULL, NULL);

    if (Heap == NULL)
        return STATUS_NO_MEMORY;
    Peb->ProcessHeap = Heap;
    return STATUS_SUCCESS;
}

/*
 * heapbench.c - the benchmark heap_alloc_free_64 (tests/bench/heap.c): times
 * HEAPBENCH_PAIRS pairs of RtlAllocateHeap(64 bytes) + RtlFreeHeap on the process
 * heap with the time-stamp counter - which under QEMU's -icount counts
 * instructions - and returns the instructions per pair as its exit status (so the
 * loop's own few instructions are in it). One pair first, untimed: the heap's
 * first block and its pages are not what is measured.
 */
#include "native.h"

#define HEAPBENCH_PAIRS 1000
#define HEAPBENCH_SIZE  64

static ULONGLONG ReadTsc(void)
{
    ULONG Low, High;

    __asm__ volatile("rdtsc" : "=a"(Low), "=d"(High));
    return ((ULONGLONG)High << 32) | Low;
}

ULONG NTAPI HeapBenchStart(PVOID Peb)
{
    PVOID Heap = *(PVOID *)((PUCHAR)Peb + 0x18);       /* PEB->ProcessHeap */
    ULONGLONG Start, End;
    ULONG Index;

    if (Heap == NULL)
        return 0;
    RtlFreeHeap(Heap, 0, RtlAllocateHeap(Heap, 0, HEAPBENCH_SIZE));
    Start = ReadTsc();
    for (Index = 0; Index < HEAPBENCH_PAIRS; Index++) {
        PVOID Block = RtlAllocateHeap(Heap, 0, HEAPBENCH_SIZE);

        if (Block == NULL)
            return 0;
        RtlFreeHeap(Heap, 0, Block);
    }
    End = ReadTsc();
    return (ULONG)(End - Start) / HEAPBENCH_PAIRS;     /* 32 bits: no 64-bit division without a C library */
}

/*
 * heap.c - heap_alloc_free_64: the instructions of one RtlAllocateHeap(64 bytes) +
 * RtlFreeHeap pair on a process heap (issue 9's measure). The pairs run in user
 * mode, in C:\Tests\heapbench.exe (tests/programs/heapbench.c), which times a
 * thousand of them with the time-stamp counter and returns the instructions per
 * pair as its exit status; this starts it and reports that status (kbuser.c).
 */
#include <bench.h>
#include "kbuser.h"

static ULONGLONG KbHeapAllocFree64(VOID)
{
    return KbRunUserBenchmark(u"\\??\\C:\\Tests\\heapbench.exe", u"C:\\Tests\\heapbench.exe");
}
KBENCH(heap_alloc_free_64, KbHeapAllocFree64,
       "instructions per RtlAllocateHeap(64 bytes) + RtlFreeHeap on the process heap (user mode)");

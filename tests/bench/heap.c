/*
 * heap.c - heap_alloc_free_64: the instructions of one RtlAllocateHeap(64 bytes) +
 * RtlFreeHeap pair on a process heap (issue 9's measure). The pairs run in user
 * mode, in C:\Tests\heapbench.exe (tests/programs/heapbench.c), which times a
 * thousand of them with the time-stamp counter and returns the instructions per
 * pair as its exit status; this starts it as a child of the System process and
 * reports that status.
 */
#include <bench.h>
#include <ke.h>
#include <ob.h>
#include <ps.h>
#include <ramdisk.h>
#include <rtl.h>

#define KB_HEAPBENCH_PATH u"\\??\\C:\\Tests\\heapbench.exe"

static ULONGLONG KbHeapAllocFree64(VOID)
{
    UNICODE_STRING Image, CommandLine;
    PEPROCESS Process;
    ULONG PerPair;

    if (IoGetBootVolume() == NULL)
        return 0;
    RtlInitUnicodeString(&Image, KB_HEAPBENCH_PATH);
    RtlInitUnicodeString(&CommandLine, u"C:\\Tests\\heapbench.exe");
    if (!NT_SUCCESS(PsCreateSystemChildProcess(&Image, &CommandLine, &Process)))
        return 0;
    KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
    PerPair = (ULONG)Process->ExitStatus;
    ObDereferenceObject(Process);
    return PerPair;
}
KBENCH(heap_alloc_free_64, KbHeapAllocFree64,
       "instructions per RtlAllocateHeap(64 bytes) + RtlFreeHeap on the process heap (user mode)");

/*
 * process.c - a whole process's life: created from C:\Tests\empty.exe, run to its
 * entry point, ended (its entry's return ends it), and waited for, split at the
 * moments the kernel and the program can see:
 *   process_create        PsCreateSystemChildProcess returns (file, section, process,
 *                         parameters, thread: NtCreateUserProcess's work)
 *   process_run_to_entry  until the entry point reads the time-stamp counter (the
 *                         first switch, LdrInitializeThunk, RtlUserThreadStart)
 *   process_exit_wait     from there until the parent's wait returns (the thread's
 *                         and the process's end: handles, address space, signal)
 *   process_cycle         all of it
 * and the same through NT 5's path (NtCreateSection + NtCreateProcessEx + a stack
 * + NtCreateThread), and a second thread's create + exit + wait in a process.
 * The program returns the counter's low half: differences of 32-bit values are
 * right as long as each part takes under 2^32 instructions.
 */
#include <bench.h>
#include <ke.h>
#include <ex.h>
#include <ob.h>
#include <ps.h>
#include <ramdisk.h>
#include <rtl.h>
#include "zwapi.h"

#define KB_PROCESS_ITERATIONS 20
#define KB_EMPTY_PATH u"\\??\\C:\\Tests\\empty.exe"

typedef struct _KB_PROCESS_TIMES {
    BOOLEAN Measured;
    BOOLEAN Failed;
    ULONGLONG Create, RunToEntry, ExitWait;
} KB_PROCESS_TIMES;

static KB_PROCESS_TIMES KbNt6;

static VOID KbMeasureNt6(VOID)
{
    UNICODE_STRING Image, CommandLine;
    PEPROCESS Process;
    ULONGLONG Start, Created, Ended;
    ULONG Entry, Index;

    if (KbNt6.Measured)
        return;
    KbNt6.Measured = TRUE;
    if (IoGetBootVolume() == NULL) {
        KbNt6.Failed = TRUE;
        return;
    }
    RtlInitUnicodeString(&Image, KB_EMPTY_PATH);
    RtlInitUnicodeString(&CommandLine, u"C:\\Tests\\empty.exe");
    for (Index = 0; Index < KB_PROCESS_ITERATIONS; Index++) {
        Start = __rdtsc();
        if (!NT_SUCCESS(PsCreateSystemChildProcess(&Image, &CommandLine, &Process))) {
            KbNt6.Failed = TRUE;
            return;
        }
        Created = __rdtsc();
        KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
        Ended = __rdtsc();
        Entry = (ULONG)Process->ExitStatus;
        ObDereferenceObject(Process);
        KbNt6.Create += Created - Start;
        KbNt6.RunToEntry += (ULONG)(Entry - (ULONG)Created);
        KbNt6.ExitWait += (ULONG)((ULONG)Ended - Entry);
    }
    KbNt6.Create /= KB_PROCESS_ITERATIONS;
    KbNt6.RunToEntry /= KB_PROCESS_ITERATIONS;
    KbNt6.ExitWait /= KB_PROCESS_ITERATIONS;
}

static ULONGLONG KbProcessCycle(VOID)
{
    KbMeasureNt6();
    return KbNt6.Failed ? 0 : KbNt6.Create + KbNt6.RunToEntry + KbNt6.ExitWait;
}
KBENCH(process_cycle, KbProcessCycle,
       "instructions per process created (NT 6 path) + run to its entry + ended + waited for");

static ULONGLONG KbProcessCreate(VOID)
{
    KbMeasureNt6();
    return KbNt6.Failed ? 0 : KbNt6.Create;
}
KBENCH(process_create, KbProcessCreate, "instructions to create a process and its thread (NtCreateUserProcess's work)");

static ULONGLONG KbProcessRunToEntry(VOID)
{
    KbMeasureNt6();
    return KbNt6.Failed ? 0 : KbNt6.RunToEntry;
}
KBENCH(process_run_to_entry, KbProcessRunToEntry,
       "instructions from creation to the entry point (first switch, LdrInitializeThunk, RtlUserThreadStart)");

static ULONGLONG KbProcessExitWait(VOID)
{
    KbMeasureNt6();
    return KbNt6.Failed ? 0 : KbNt6.ExitWait;
}
KBENCH(process_exit_wait, KbProcessExitWait, "instructions from the entry point's return to the parent's wait returning");

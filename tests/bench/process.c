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
#include <mm.h>
#include <nt/ntsection.h>
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

/* ---- NT 5's path: a section, NtCreateProcessEx, a stack, NtCreateThread ---- */

#define KB_STACK_SIZE 0x10000

/* A stack of KB_STACK_SIZE in the process, all committed, as the creator's INITIAL_TEB. */
static NTSTATUS KbMakeStack(HANDLE Process, PINITIAL_TEB Teb)
{
    PVOID Base = NULL;
    SIZE_T Size = KB_STACK_SIZE;
    NTSTATUS Status;

    Status = ZwAllocateVirtualMemory(Process, &Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(Teb, 0, sizeof(*Teb));
    Teb->StackAllocationBase = Teb->StackLimit = Base;
    Teb->StackBase = (PUCHAR)Base + KB_STACK_SIZE;
    return STATUS_SUCCESS;
}

/* NT 6's first CONTEXT, made by the creator: RtlUserThreadStart(Routine, Parameter). */
static VOID KbThreadContext(PCONTEXT Context, PINITIAL_TEB Teb, ULONG_PTR Routine, ULONG_PTR Parameter)
{
    memset(Context, 0, sizeof(*Context));
    Context->ContextFlags = CONTEXT_FULL;
    Context->Eip = PspSystemDll.UserThreadStart;
    Context->Eax = (ULONG)Routine;
    Context->Ebx = (ULONG)Parameter;
    Context->Esp = (ULONG)(ULONG_PTR)Teb->StackBase - 16;
    Context->SegCs = KGDT_R3_CODE | RPL_MASK;
    Context->SegDs = Context->SegEs = Context->SegSs = KGDT_R3_DATA | RPL_MASK;
    Context->SegFs = KGDT_R3_TEB | RPL_MASK;
    Context->EFlags = EFLAGS_IF | 0x2;
}

static ULONGLONG KbNt5Process(VOID)
{
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK IoStatus;
    SECTION_IMAGE_INFORMATION Image;
    UNICODE_STRING Name;
    INITIAL_TEB Teb;
    CONTEXT Context;
    HANDLE File, Section, Process, Thread;
    ULONGLONG Start, Total = 0;
    ULONG Index;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL)
        return 0;
    RtlInitUnicodeString(&Name, KB_EMPTY_PATH);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    for (Index = 0; Index < KB_PROCESS_ITERATIONS; Index++) {
        Start = __rdtsc();
        Status = ZwOpenFile(&File, SYNCHRONIZE | FILE_EXECUTE | FILE_READ_DATA, &Attributes, &IoStatus,
                            FILE_SHARE_READ | FILE_SHARE_DELETE, FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
        if (!NT_SUCCESS(Status))
            return 0;
        Status = ZwCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, File);
        ZwClose(File);
        if (!NT_SUCCESS(Status))
            return 0;
        Status = ZwQuerySection(Section, SectionImageInformation, &Image, sizeof(Image), NULL);
        if (NT_SUCCESS(Status))
            Status = ZwCreateProcessEx(&Process, PROCESS_ALL_ACCESS, NULL, NtCurrentProcess(), 0, Section, NULL,
                                       NULL, 0);
        ZwClose(Section);
        if (!NT_SUCCESS(Status))
            return 0;
        Status = KbMakeStack(Process, &Teb);
        if (NT_SUCCESS(Status)) {
            /* The image sits at its preferred base in a fresh space: the entry is there. */
            KbThreadContext(&Context, &Teb, (ULONG_PTR)Image.TransferAddress, 0);
            Status = ZwCreateThread(&Thread, THREAD_ALL_ACCESS, NULL, Process, NULL, &Context, &Teb, FALSE);
        }
        if (NT_SUCCESS(Status)) {
            ZwWaitForSingleObject(Process, FALSE, NULL);
            ZwClose(Thread);
        }
        ZwClose(Process);
        if (!NT_SUCCESS(Status))
            return 0;
        Total += __rdtsc() - Start;
    }
    return Total / KB_PROCESS_ITERATIONS;
}
KBENCH(process_cycle_nt5, KbNt5Process,
       "instructions per NtCreateSection + NtCreateProcessEx + stack + NtCreateThread + run + exit + wait");

/* ---- a thread: NtCreateThread into a live process, run, ended, waited for ---- */

static ULONGLONG KbThreadCycle(VOID)
{
    UNICODE_STRING Image, CommandLine;
    INITIAL_TEB Teb;
    CONTEXT Context;
    PEPROCESS Process;
    HANDLE ProcessHandle, Thread;
    ULONG ExitRva;
    ULONGLONG Start, Total = 0;
    ULONG Index;
    SIZE_T Size;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL ||
        !NT_SUCCESS(MmFindSectionExport(PspSystemDll.Section, "RtlExitUserThread", &ExitRva)))
        return 0;
    RtlInitUnicodeString(&Image, u"\\??\\C:\\Tests\\idle.exe");
    RtlInitUnicodeString(&CommandLine, u"C:\\Tests\\idle.exe");
    if (!NT_SUCCESS(PsCreateSystemChildProcess(&Image, &CommandLine, &Process)))
        return 0;
    Status = ObOpenObjectByPointer(Process, OBJ_KERNEL_HANDLE, NULL, PROCESS_ALL_ACCESS, PsProcessType,
                                   KernelMode, &ProcessHandle);
    ObDereferenceObject(Process);
    if (!NT_SUCCESS(Status))
        return 0;
    for (Index = 0; Index < KB_PROCESS_ITERATIONS && NT_SUCCESS(Status); Index++) {
        Start = __rdtsc();
        Status = KbMakeStack(ProcessHandle, &Teb);
        if (!NT_SUCCESS(Status))
            break;
        /* The thread's routine is ntdll's RtlExitUserThread itself: it ends at once. */
        KbThreadContext(&Context, &Teb, (ULONG_PTR)PspSystemDll.DllBase + ExitRva, 0);
        Status = ZwCreateThread(&Thread, THREAD_ALL_ACCESS, NULL, ProcessHandle, NULL, &Context, &Teb, FALSE);
        if (NT_SUCCESS(Status)) {
            ZwWaitForSingleObject(Thread, FALSE, NULL);
            ZwClose(Thread);
        }
        Size = 0;
        (VOID)ZwFreeVirtualMemory(ProcessHandle, &Teb.StackAllocationBase, &Size, MEM_RELEASE);
        Total += __rdtsc() - Start;
    }
    ZwTerminateProcess(ProcessHandle, STATUS_SUCCESS);
    ZwWaitForSingleObject(ProcessHandle, FALSE, NULL);
    ZwClose(ProcessHandle);
    return NT_SUCCESS(Status) ? Total / KB_PROCESS_ITERATIONS : 0;
}
KBENCH(thread_cycle, KbThreadCycle,
       "instructions per stack + NtCreateThread + run (RtlExitUserThread) + exit + wait + stack freed");

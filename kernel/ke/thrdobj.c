/*
 * thrdobj.c - kernel threads and processes (NT: KeInitializeProcess, KeInitThread,
 * KeStartThread, KiThreadStartup, KeTerminateThread, and the idle thread).
 *
 * A thread's life: KeInitThread gives it a kernel stack and the frame of its first
 * switch; KeStartThread links it to its process and makes it ready; the first
 * switch to it lands in KiThreadStartup, which runs its start routine at
 * PASSIVE_LEVEL; when that returns (or the thread calls KeTerminateThread) its
 * object is signalled, it leaves the processor for good, and the next thread to
 * run frees its stack (a thread cannot free the stack it is running on).
 */
#include "ki.h"
#include <kewait.h>
#include <mm.h>
#include <kd.h>
#include <rtl.h>

#define THREAD_QUANTUM 6

KTHREAD KiIdleThread;
KPROCESS KiIdleProcess;
/* The System process's KPROCESS: the Pcb of the process manager's System EPROCESS. */
PKPROCESS KiSystemProcess;
/* Called for each thread whose stack the reaper has freed (the process manager's). */
PKTHREAD_REAPED_ROUTINE KeThreadReapedRoutine;
static LIST_ENTRY KiReaperListHead;

VOID KiInitializeContextThread(PKTHREAD Thread);

static VOID KipInitializeHeader(PDISPATCHER_HEADER Header, UCHAR Type, ULONG Size)
{
    Header->Type = Type;
    Header->Size = (UCHAR)(Size / sizeof(ULONG) > 0xFF ? 0xFF : Size / sizeof(ULONG));
    Header->SignalState = 0;
    InitializeListHead(&Header->WaitListHead);
}

VOID KeInitializeProcess(PKPROCESS Process, KPRIORITY BasePriority,
                         struct _MM_ADDRESS_SPACE *AddressSpace)
{
    memset(Process, 0, sizeof(*Process));
    KipInitializeHeader(&Process->Header, ProcessObject, sizeof(*Process));
    InitializeListHead(&Process->ProfileListHead);
    InitializeListHead(&Process->ReadyListHead);
    InitializeListHead(&Process->ThreadListHead);
    Process->DirectoryTableBase[0] = MmGetDirectoryTableBase(AddressSpace);
    Process->BasePriority = (CHAR)BasePriority;
    Process->ThreadQuantum = THREAD_QUANTUM;
    Process->Affinity = 1;
    Process->AddressSpace = AddressSpace;
}

/* The common part of every thread, the idle thread included. */
static VOID KipInitializeThread(PKTHREAD Thread, PKPROCESS Process, KPRIORITY Priority)
{
    memset(Thread, 0, sizeof(*Thread));
    KipInitializeHeader(&Thread->Header, ThreadObject, sizeof(*Thread));
    InitializeListHead(&Thread->MutantListHead);
    InitializeListHead(&Thread->ApcState.ApcListHead[KernelMode]);
    InitializeListHead(&Thread->ApcState.ApcListHead[UserMode]);
    InitializeListHead(&Thread->SavedApcState.ApcListHead[KernelMode]);
    InitializeListHead(&Thread->SavedApcState.ApcListHead[UserMode]);
    Thread->ApcState.Process = Process;
    Thread->ApcStatePointer[OriginalApcEnvironment] = &Thread->ApcState;
    Thread->ApcStatePointer[AttachedApcEnvironment] = &Thread->SavedApcState;
    Thread->ApcQueueable = TRUE;
    Thread->Priority = Thread->BasePriority = (CHAR)Priority;
    Thread->Quantum = Process->ThreadQuantum;
    Thread->Affinity = Thread->UserAffinity = 1;
    Thread->PreviousMode = KernelMode;
    Thread->ServiceTable = KeServiceDescriptorTable;
    Thread->AddressSpace = Process->AddressSpace;
    Thread->State = Initialized;
    KeInitializeTimer(&Thread->Timer);
    KiInitializeThreadSuspend(Thread);
}

NTSTATUS KeInitThread(PKTHREAD Thread, PKPROCESS Process, PKSTART_ROUTINE StartRoutine,
                      PVOID StartContext, KPRIORITY Priority)
{
    PUCHAR Stack;

    ASSERT(Priority > LOW_PRIORITY && Priority <= HIGH_PRIORITY);
    KipInitializeThread(Thread, Process, Priority);
    Stack = MmCreateKernelStack();
    if (Stack == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Thread->StackBase = Stack;
    Thread->StackLimit = Stack - KERNEL_STACK_SIZE;
    Thread->InitialStack = Thread->TrapStackTop = Stack - sizeof(FX_SAVE_AREA);
    Thread->StartRoutine = (PVOID)StartRoutine;
    Thread->StartContext = StartContext;
    KiInitializeContextThread(Thread);
    return STATUS_SUCCESS;
}

VOID KeStartThread(PKTHREAD Thread)
{
    PKPROCESS Process = Thread->ApcState.Process;
    KIRQL OldIrql = KiLockDispatcherDatabase();

    InsertTailList(&Process->ThreadListHead, &Thread->ThreadListEntry);
    Process->StackCount++;
    KiReadyThread(Thread);
    KiUnlockDispatcherDatabase(OldIrql);
}

/* The boot thread becomes the idle thread (NT: the P0 boot thread does too). */
VOID KiInitializeIdleThread(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();

    InitializeListHead(&KiReaperListHead);
    KipInitializeHeader(&KiIdleProcess.Header, ProcessObject, sizeof(KiIdleProcess));
    InitializeListHead(&KiIdleProcess.ThreadListHead);
    InitializeListHead(&KiIdleProcess.ReadyListHead);
    InitializeListHead(&KiIdleProcess.ProfileListHead);
    KiIdleProcess.ThreadQuantum = THREAD_QUANTUM;
    KiIdleProcess.Affinity = 1;
    KipInitializeThread(&KiIdleThread, &KiIdleProcess, LOW_PRIORITY);
    KiIdleThread.InitialStack = KiIdleThread.TrapStackTop = KiBootStackBase;
    KiIdleThread.StackBase = KiBootStackBase;
    KiIdleThread.StackLimit = KiBootStackLimit;
    KiIdleThread.State = Running;
    InsertTailList(&KiIdleProcess.ThreadListHead, &KiIdleThread.ThreadListEntry);
    Prcb->CurrentThread = Prcb->IdleThread = &KiIdleThread;
}

/* Once the memory manager is up: the idle and system processes get an address space. */
VOID KiInitializeSystemProcesses(struct _MM_ADDRESS_SPACE *SystemSpace, PKPROCESS SystemProcess)
{
    KiIdleProcess.DirectoryTableBase[0] = MmGetDirectoryTableBase(SystemSpace);
    KiIdleProcess.AddressSpace = SystemSpace;
    KiIdleThread.AddressSpace = SystemSpace;
    KiSystemProcess = SystemProcess;
    KeInitializeProcess(KiSystemProcess, 8, SystemSpace);
}

/* Reached by a new thread's first switch, at DISPATCH_LEVEL with interrupts off. */
VOID KiThreadStartup(VOID)
{
    PKTHREAD Thread = KeGetCurrentThread();
    PKSTART_ROUTINE Routine = (PKSTART_ROUTINE)Thread->StartRoutine;

    KiReapTerminatedThreads();
    KiCheckApcOnSwitchIn(Thread);
    _enable();
    KfLowerIrql(PASSIVE_LEVEL);
    Routine(Thread->StartContext);
    KeTerminateThread();
}

/*
 * An ending thread's queued APCs will never run: each one's RundownRoutine gets it
 * (the owner frees it there); without one, the APC's memory stays its owner's.
 */
static VOID KipRundownApcQueue(PKTHREAD Thread, KPROCESSOR_MODE Mode)
{
    PLIST_ENTRY First = KeFlushQueueApc(Thread, Mode), Entry, Next;
    PKAPC Apc;

    if (First == NULL)
        return;
    Entry = First;
    do {
        Next = Entry->Flink;            /* read first: the rundown may free the APC */
        Apc = CONTAINING_RECORD(Entry, KAPC, ApcListEntry);
        if (Apc->RundownRoutine != NULL)
            Apc->RundownRoutine(Apc);
        Entry = Next;
    } while (Entry != First);
}

VOID KeTerminateThread(VOID)
{
    PKTHREAD Thread = KeGetCurrentThread();
    PKPROCESS Process = Thread->ApcState.Process;
    PKPRCB Prcb = KeGetCurrentPrcb();
    KIRQL OldIrql;

    if (Thread == Prcb->IdleThread)
        KeBugCheckEx(INVALID_KERNEL_STACK_ADDRESS, (ULONG_PTR)Thread, 0, 0, 0);

    /* No more APCs from here on (KeInsertQueueApc and KeSuspendThread say FALSE),
       and those queued are run down (NT: KeDisableApcQueuingThread, then the
       rundown in PspExitThread). */
    OldIrql = KiLockDispatcherDatabase();
    Thread->ApcQueueable = FALSE;
    KiUnlockDispatcherDatabase(OldIrql);
    KipRundownApcQueue(Thread, UserMode);
    KipRundownApcQueue(Thread, KernelMode);
    KeRundownThread();
    KiLockDispatcherDatabase();

    RemoveEntryList(&Thread->ThreadListEntry);
    Process->StackCount--;
    Process->KernelTime += Thread->KernelTime;
    Process->UserTime += Thread->UserTime;
    if (Prcb->NpxThread == Thread)
        Prcb->NpxThread = NULL;     /* its save area goes with the stack */

    Thread->Header.SignalState = 1;
    if (!IsListEmpty(&Thread->Header.WaitListHead))
        KiWaitTest(Thread, 0);
    Thread->State = Terminated;
    InsertTailList(&KiReaperListHead, &Thread->ReaperListEntry);
    KiSwapThread();
    KeBugCheckEx(INVALID_KERNEL_STACK_ADDRESS, (ULONG_PTR)Thread, 1, 0, 0);  /* not reached */
}

VOID KiReapTerminatedThreads(VOID)
{
    BOOLEAN Enabled = KiDisableInterrupts();

    while (!IsListEmpty(&KiReaperListHead)) {
        PKTHREAD Thread = CONTAINING_RECORD(RemoveHeadList(&KiReaperListHead), KTHREAD,
                                            ReaperListEntry);
        MmDeleteKernelStack(Thread->StackBase);
        Thread->StackBase = Thread->InitialStack = Thread->KernelStack = NULL;
        if (KeThreadReapedRoutine != NULL)
            KeThreadReapedRoutine(Thread);
    }
    KiRestoreInterrupts(Enabled);
}

VOID KeDeleteThreadStack(PKTHREAD Thread)
{
    /* An ended thread's stack is the reaper's to free (it is on the reaper list
       until then); only one that never started still owns its own. */
    if (Thread->State == Initialized && Thread->StackBase != NULL) {
        MmDeleteKernelStack(Thread->StackBase);
        Thread->StackBase = Thread->InitialStack = Thread->KernelStack = NULL;
    }
}

LONG KeSetProcess(PKPROCESS Process, KPRIORITY Increment, BOOLEAN Wait)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    LONG OldState = Process->Header.SignalState;

    UNREFERENCED_PARAMETER(Wait);   /* the lock is dropped here either way */
    Process->Header.SignalState = 1;
    if (OldState == 0 && !IsListEmpty(&Process->Header.WaitListHead))
        KiWaitTest(Process, Increment);
    KiUnlockDispatcherDatabase(OldIrql);
    return OldState;
}

/* The process kernel threads belong to (the System process's KPROCESS, later). */
PKPROCESS KeGetSystemProcess(VOID)
{
    return KiSystemProcess;
}

/* Phase 0, once the memory manager is up (NT: the KPROCESS part of PspInitPhase0). */
VOID KeInitSystem(struct _MM_ADDRESS_SPACE *SystemSpace, PKPROCESS SystemProcess)
{
    KiInitializeSystemProcesses(SystemSpace, SystemProcess);
}

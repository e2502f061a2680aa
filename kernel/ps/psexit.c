/*
 * psexit.c - how threads and processes end (NT: PspExitThread, PspExitProcess,
 * PspTerminateThreadByPointer, NtTerminateThread, NtTerminateProcess in
 * ntos\ps\psdelete.c, and the delete procedures PspProcessDelete, PspThreadDelete).
 *
 * A thread always ends itself, and never in the middle of a service: another
 * thread's request reaches it as a kernel APC that only asks for a user APC,
 * whose kernel routine calls PspExitThread on the thread's way back to user mode
 * (NT: PspExitNormalApc, PsExitSpecialApc). So a thread holding a lock, an
 * address space or a rundown reference finishes what it is doing first. The
 * last thread of a process
 * ends the process: its handles are closed, its address space freed, and the
 * process object signalled with the exit status. The objects stay as long as
 * someone holds a handle or a reference (their exit status and times can still be
 * read); their IDs go when the objects go, so an ID is reused only after that.
 */
#include "psp.h"

/* ---- the end of a thread ---- */

/*
 * The user APC's kernel routine: on the way back to user mode (a service's exit,
 * or an interrupt's when the thread was running user code), where the thread holds
 * nothing. It never returns; its normal routine is never called.
 */
static VOID PspExitUserApc(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                           PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    PETHREAD Thread = CONTAINING_RECORD(Apc, ETHREAD, TerminateUserApc);

    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    /* Delivered at APC_LEVEL; the exit waits and closes handles, at PASSIVE_LEVEL. */
    KeLowerIrql(PASSIVE_LEVEL);
    PspExitThread(Thread->ExitStatus);
}

/* The kernel APC's normal routine, at PASSIVE_LEVEL in the thread, perhaps inside a
   service: it queues the user APC and makes sure it is delivered (a user-mode wait
   ends with STATUS_USER_APC; the way out of the kernel delivers it). */
static VOID PspExitNormalApc(PVOID NormalContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PETHREAD Thread = NormalContext;
    KIRQL OldIrql;

    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    /* (The normal routine is never called: PspExitUserApc does not return. It must
       not be NULL, which would make the APC a kernel-mode one.) */
    KeInitializeApc(&Thread->TerminateUserApc, &Thread->Tcb, OriginalApcEnvironment, PspExitUserApc, NULL,
                    PspExitNormalApc, UserMode, NULL);
    if (KeInsertQueueApc(&Thread->TerminateUserApc, NULL, NULL, 2)) {
        KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
        Thread->Tcb.ApcState.UserApcPending = TRUE;
        KeLowerIrql(OldIrql);
    }
}

static VOID PspExitKernelApc(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                             PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    UNREFERENCED_PARAMETER(Apc);
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
}

NTSTATUS PspTerminateThreadByPointer(PETHREAD Thread, NTSTATUS ExitStatus, BOOLEAN Self)
{
    ULONG Flags;

    if (Self)
        PspExitThread(ExitStatus);
    /* Only the first request counts; the thread may be ending already. */
    Flags = __atomic_fetch_or(&Thread->CrossThreadFlags, PS_CROSS_THREAD_FLAGS_TERMINATED, __ATOMIC_SEQ_CST);
    if (Flags & PS_CROSS_THREAD_FLAGS_TERMINATED)
        return STATUS_SUCCESS;
    Thread->ExitStatus = ExitStatus;
    KeInitializeApc(&Thread->TerminateApc, &Thread->Tcb, OriginalApcEnvironment, PspExitKernelApc, NULL,
                    PspExitNormalApc, KernelMode, Thread);
    if (KeInsertQueueApc(&Thread->TerminateApc, NULL, NULL, 2)) {
        /* A suspended thread must run to end: it is resumed for good. */
        KeForceResumeThread(&Thread->Tcb);
    }
    return STATUS_SUCCESS;
}

/* The thread's user-mode pieces, when its process goes on without it. */
static VOID PspFreeUserThreadMemory(PETHREAD Thread)
{
    PVOID Base;
    SIZE_T Size = 0;

    if (Thread->Teb != NULL) {
        Base = Thread->Teb;
        (VOID)MmFreeVirtualMemory(&Base, &Size, MEM_RELEASE);
    }
    if (Thread->UserStackAllocation != NULL) {
        Base = Thread->UserStackAllocation;
        Size = 0;
        (VOID)MmFreeVirtualMemory(&Base, &Size, MEM_RELEASE);
        Thread->UserStackAllocation = NULL;
    }
}

VOID PspExitThread(NTSTATUS ExitStatus)
{
    PETHREAD Thread = PsGetCurrentThread();
    PEPROCESS Process = Thread->ThreadsProcess;
    MM_ATTACH_STATE Attach;
    BOOLEAN Last;

    /* A request by another thread set the status first: that one stands. */
    if (!(__atomic_fetch_or(&Thread->CrossThreadFlags, PS_CROSS_THREAD_FLAGS_TERMINATED, __ATOMIC_SEQ_CST) &
          PS_CROSS_THREAD_FLAGS_TERMINATED))
        Thread->ExitStatus = ExitStatus;
    KeQuerySystemTime(&Thread->ExitTime);

    /* The user-mode pieces go while this thread still counts, so that no other
       thread can be the process's last and free the address space under it. */
    PspLockProcess(Process);
    Last = Process->ActiveThreads == 1;
    PspUnlockProcess(Process);
    if (!Last)
        PspFreeUserThreadMemory(Thread);

    PspLockProcess(Process);
    Last = --Process->ActiveThreads == 0;
    if (Last) {
        Process->Flags |= PS_PROCESS_FLAGS_PROCESS_DELETE;
        /* NT: a process nobody terminated ends with its last thread's status. */
        if (Process->ExitStatus == STATUS_PENDING)
            Process->ExitStatus = Thread->ExitStatus;
    }
    PspUnlockProcess(Process);
    PspNotifyThread(Thread, FALSE);

    if (Last) {
        /* Leave the address space for the System's before it is freed under us;
           the thread never returns to user mode, so it never comes back. */
        MmAttachAddressSpace(MmGetSystemAddressSpace(), &Attach);
        PspExitProcess(Process);
    }
    /* The thread object is signalled here; the reaper frees the kernel stack and
       drops the thread's own reference. */
    KeTerminateThread();
}

/* ---- the end of a process ---- */

VOID PspExitProcess(PEPROCESS Process)
{
    PHANDLE_TABLE Table;
    PMM_ADDRESS_SPACE Space;

    /* Once only (a process ended by NtTerminateProcess while its creator's first
       thread failed to start could get here twice). */
    PspLockProcess(Process);
    if (Process->Flags & PS_PROCESS_FLAGS_EXITED) {
        PspUnlockProcess(Process);
        return;
    }
    Process->Flags |= PS_PROCESS_FLAGS_EXITED;
    PspUnlockProcess(Process);
    /* Callers inside its address space or handle table from outside (creating a
       thread or a child with it as the parent, reading its memory) finish first. */
    PspWaitForProcessRundown(Process);

    KeQuerySystemTime(&Process->ExitTime);
    PspLockActiveProcessList();
    RemoveEntryList(&Process->ActiveProcessLinks);
    InitializeListHead(&Process->ActiveProcessLinks);
    PspUnlockActiveProcessList();

    /* Its handles first (closing one may wait on objects it owns), then its memory. */
    PspLockProcess(Process);
    Table = Process->ObjectTable;
    Process->ObjectTable = NULL;
    PspUnlockProcess(Process);
    if (Table != NULL)
        ObKillProcess(Table);
    Space = Process->Pcb.AddressSpace;
    Process->Pcb.AddressSpace = NULL;
    if (Space != NULL)
        MmDeleteProcessAddressSpace(Space);

    /* Watchers first (a process with no thread ever was never reported), then
       whoever waits on the process wakes with it ended. */
    if (Process->Flags & PS_PROCESS_FLAGS_NOTIFIED)
        PspNotifyProcess(Process, FALSE);
    KeSetProcess(&Process->Pcb, 0, FALSE);
}

/* ---- the services ---- */

NTSTATUS NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PETHREAD Current = PsGetCurrentThread(), Thread;
    NTSTATUS Status;

    /* NULL: the caller, unless it is its process's last thread (NT's rule: a
       process is ended with NtTerminateProcess). */
    if (ThreadHandle == NULL) {
        if (Current == NULL)
            return STATUS_INVALID_HANDLE;
        if (Current->ThreadsProcess->ActiveThreads == 1)
            return STATUS_CANT_TERMINATE_SELF;
        PspTerminateThreadByPointer(Current, ExitStatus, TRUE);
    }
    Status = ObReferenceObjectByHandle(ThreadHandle, THREAD_TERMINATE, PsThreadType, PreviousMode,
                                       (PVOID *)&Thread, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Thread == Current) {
        ObDereferenceObject(Thread);
        PspTerminateThreadByPointer(Current, ExitStatus, TRUE);
    }
    Status = PspTerminateThreadByPointer(Thread, ExitStatus, FALSE);
    ObDereferenceObject(Thread);
    return Status;
}

/* Ends every thread of Process but the caller; TRUE when the caller is one of its. */
static BOOLEAN PspTerminateOtherThreads(PEPROCESS Process, NTSTATUS ExitStatus)
{
    PETHREAD Current = PsGetCurrentThread(), Thread;
    PLIST_ENTRY Entry;
    BOOLEAN Self = FALSE;

    PspLockProcess(Process);
    for (Entry = Process->ThreadListHead.Flink; Entry != &Process->ThreadListHead; Entry = Entry->Flink) {
        Thread = CONTAINING_RECORD(Entry, ETHREAD, ThreadListEntry);
        if (Thread == Current)
            Self = TRUE;
        else
            PspTerminateThreadByPointer(Thread, ExitStatus, FALSE);
    }
    PspUnlockProcess(Process);
    return Self;
}

NTSTATUS NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PEPROCESS Process, Current = PsGetCurrentProcess();
    BOOLEAN Self, Empty;
    NTSTATUS Status;

    /* NULL: every other thread of the caller's process ends; the caller goes on
       (NT: what RtlExitUserProcess does before the DLLs' detach). */
    if (ProcessHandle == NULL) {
        if (PsGetCurrentThread() == NULL)
            return STATUS_INVALID_HANDLE;
        PspTerminateOtherThreads(Current, ExitStatus);
        return STATUS_SUCCESS;
    }
    Status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_TERMINATE, PsProcessType, PreviousMode,
                                       (PVOID *)&Process, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Process == PsInitialSystemProcess) {
        ObDereferenceObject(Process);
        return STATUS_ACCESS_DENIED;
    }

    PspLockProcess(Process);
    if (Process->Flags & (PS_PROCESS_FLAGS_PROCESS_EXITING | PS_PROCESS_FLAGS_PROCESS_DELETE)) {
        PspUnlockProcess(Process);
        ObDereferenceObject(Process);
        /* Ending one's own process never returns, whoever began it (NT). */
        if (Process == Current && PsGetCurrentThread() != NULL)
            PspTerminateThreadByPointer(PsGetCurrentThread(), ExitStatus, TRUE);
        return STATUS_PROCESS_IS_TERMINATING;
    }
    Process->Flags |= PS_PROCESS_FLAGS_PROCESS_EXITING;
    Process->ExitStatus = ExitStatus;
    /* A process that never got a thread (NT 5's NtCreateProcessEx, no NtCreateThread
       yet) has no last thread to end it: it ends here. */
    Empty = Process->ActiveThreads == 0;
    if (Empty)
        Process->Flags |= PS_PROCESS_FLAGS_PROCESS_DELETE;
    PspUnlockProcess(Process);

    Self = PspTerminateOtherThreads(Process, ExitStatus);
    if (Empty)
        PspExitProcess(Process);
    ObDereferenceObject(Process);
    if (Self)
        PspTerminateThreadByPointer(PsGetCurrentThread(), ExitStatus, TRUE);
    return STATUS_SUCCESS;
}

/* ---- the objects' last reference ---- */

VOID PspDeleteThread(PVOID Object)
{
    PETHREAD Thread = Object;
    PEPROCESS Process = Thread->ThreadsProcess;

    /* A thread that never started still has its kernel stack; an ended one's is
       freed by the time its last reference goes (its own is the reaper's). */
    KeDeleteThreadStack(&Thread->Tcb);
    if (Thread->InitialContext != NULL)
        ExFreePoolWithTag(Thread->InitialContext, PSP_THREAD_TAG);
    PspDeleteCid(Thread->Cid.UniqueThread);
    if (Process == NULL)
        return;
    PspLockProcess(Process);
    if (Thread->ThreadListEntry.Flink != NULL)
        RemoveEntryList(&Thread->ThreadListEntry);
    /* Counted but never ran (its handle could not be made): uncounted now. */
    if ((Thread->CrossThreadFlags & PS_CROSS_THREAD_FLAGS_COUNTED) && Thread->Tcb.State == Initialized)
        Process->ActiveThreads--;
    PspUnlockProcess(Process);
    ObDereferenceObject(Process);
}

VOID PspDeleteProcess(PVOID Object)
{
    PEPROCESS Process = Object;

    if (Process->ActiveProcessLinks.Flink != NULL) {
        PspLockActiveProcessList();
        RemoveEntryList(&Process->ActiveProcessLinks);
        PspUnlockActiveProcessList();
    }
    PspDeleteCid(Process->UniqueProcessId);
    /* A process that never ran (creation failed, or never got a thread and was
       never terminated) still has its handles and memory. */
    if (Process->ObjectTable != NULL)
        ObKillProcess(Process->ObjectTable);
    if (Process->Pcb.AddressSpace != NULL)
        MmDeleteProcessAddressSpace(Process->Pcb.AddressSpace);
    if (Process->SectionObject != NULL)
        ObDereferenceObject(Process->SectionObject);
    if (Process->ImageFileNameInfo != NULL)
        ExFreePoolWithTag(Process->ImageFileNameInfo, PSP_PROCESS_TAG);
}

/*
 * psquery.c - finding and describing processes and threads (NT: NtOpenProcess,
 * NtOpenThread, PsLookupProcessByProcessId in psopen.c / pscid.c;
 * NtQueryInformationProcess, NtQueryInformationThread, NtSetInformationProcess
 * in psquery.c).
 *
 * An ID names its object while the object exists: an ended process whose handles
 * are still open is still found (and its exit status read), as in NT.
 */
#include "psp.h"

/* ---- lookups by ID ---- */

static NTSTATUS PspLookupCid(HANDLE Id, POBJECT_TYPE Type, PVOID *Object)
{
    PHANDLE_TABLE_ENTRY Entry;
    PVOID Found;

    if (Id == NULL)
        return STATUS_INVALID_CID;
    Entry = ExMapHandleToPointer(PspCidTable, Id);
    if (Entry == NULL)
        return STATUS_INVALID_CID;
    Found = (PVOID)(Entry->Value & ~EX_HANDLE_ENTRY_ATTRIBUTES);
    if (OBJECT_TO_OBJECT_HEADER(Found)->Type != Type) {
        ExUnlockHandleTableEntry(PspCidTable, Entry);
        return STATUS_INVALID_CID;
    }
    /* Under the table's lock the object's memory is still there (its delete procedure
       frees the ID first, and waits for this lock); one whose last reference went
       already is not brought back. */
    if (!ObReferenceObjectSafe(Found)) {
        ExUnlockHandleTableEntry(PspCidTable, Entry);
        return STATUS_INVALID_CID;
    }
    ExUnlockHandleTableEntry(PspCidTable, Entry);
    *Object = Found;
    return STATUS_SUCCESS;
}

NTSTATUS PsLookupProcessByProcessId(HANDLE ProcessId, PEPROCESS *Process)
{
    return PspLookupCid(ProcessId, PsProcessType, (PVOID *)Process);
}

NTSTATUS PsLookupThreadByThreadId(HANDLE ThreadId, PETHREAD *Thread)
{
    return PspLookupCid(ThreadId, PsThreadType, (PVOID *)Thread);
}

/* ---- NtOpenProcess, NtOpenThread ---- */

/*
 * By client ID (a name is NT's other way; processes and threads have none here).
 * NT: both a name and an ID is STATUS_INVALID_PARAMETER_MIX; neither,
 * STATUS_INVALID_PARAMETER_MIX too.
 */
static NTSTATUS PspOpenByCid(PHANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                             PCLIENT_ID ClientId, BOOLEAN Thread)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    OBJECT_ATTRIBUTES Attributes;
    CLIENT_ID Cid;
    PVOID Object;
    PETHREAD FoundThread;
    HANDLE NewHandle;
    NTSTATUS Status;

    Status = ExProbeUserOutput(Handle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Attributes, ObjectAttributes, sizeof(Attributes), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (ClientId == NULL || Attributes.ObjectName != NULL)
        return STATUS_INVALID_PARAMETER_MIX;
    Status = ExCaptureUserData(&Cid, ClientId, sizeof(Cid), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;

    if (Thread) {
        Status = PsLookupThreadByThreadId(Cid.UniqueThread, &FoundThread);
        /* A process ID given too must be the thread's own. */
        if (NT_SUCCESS(Status) && Cid.UniqueProcess != NULL && Cid.UniqueProcess != FoundThread->Cid.UniqueProcess) {
            ObDereferenceObject(FoundThread);
            Status = STATUS_INVALID_CID;
        }
        Object = FoundThread;
    } else {
        Status = PsLookupProcessByProcessId(Cid.UniqueProcess, (PEPROCESS *)&Object);
    }
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObOpenObjectByPointer(Object, Attributes.Attributes, NULL, DesiredAccess,
                                   Thread ? PsThreadType : PsProcessType, PreviousMode, &NewHandle);
    ObDereferenceObject(Object);
    if (NT_SUCCESS(Status))
        (VOID)ExCopyToCaller(Handle, &NewHandle, sizeof(NewHandle), PreviousMode);
    return Status;
}

NTSTATUS NtOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                       PCLIENT_ID ClientId)
{
    return PspOpenByCid(ProcessHandle, DesiredAccess, ObjectAttributes, ClientId, FALSE);
}

NTSTATUS NtOpenThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                      PCLIENT_ID ClientId)
{
    return PspOpenByCid(ThreadHandle, DesiredAccess, ObjectAttributes, ClientId, TRUE);
}

/* ---- information ---- */

/* Clock ticks to 100 ns units. */
static VOID PspTicksToTime(ULONG Ticks, PLARGE_INTEGER Time)
{
    Time->QuadPart = (LONGLONG)Ticks * KeQueryTimeIncrement();
}

static VOID PspProcessTimes(PEPROCESS Process, PKERNEL_USER_TIMES Times)
{
    ULONG Kernel = Process->Pcb.KernelTime, User = Process->Pcb.UserTime;
    PLIST_ENTRY Entry;

    /* The ended threads' times are in the KPROCESS; the live ones' are added. */
    PspLockProcess(Process);
    for (Entry = Process->ThreadListHead.Flink; Entry != &Process->ThreadListHead; Entry = Entry->Flink) {
        PETHREAD Thread = CONTAINING_RECORD(Entry, ETHREAD, ThreadListEntry);
        if (Thread->Tcb.State != Terminated) {
            Kernel += Thread->Tcb.KernelTime;
            User += Thread->Tcb.UserTime;
        }
    }
    PspUnlockProcess(Process);
    Times->CreateTime = Process->CreateTime;
    Times->ExitTime = Process->ExitTime;
    PspTicksToTime(Kernel, &Times->KernelTime);
    PspTicksToTime(User, &Times->UserTime);
}

NTSTATUS NtQueryInformationProcess(HANDLE ProcessHandle, PROCESSINFOCLASS ProcessInformationClass,
                                   PVOID ProcessInformation, ULONG ProcessInformationLength, PULONG ReturnLength)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    union {
        PROCESS_BASIC_INFORMATION Basic;
        KERNEL_USER_TIMES Times;
        PROCESS_PRIORITY_CLASS Priority;
        UCHAR Name[sizeof(UNICODE_STRING) + 260 * sizeof(WCHAR)];
    } Buffer;
    PUNICODE_STRING Name = (PUNICODE_STRING)Buffer.Name;
    PEPROCESS Process;
    ULONG Length;
    NTSTATUS Status;

    Status = ExProbeUserOutput(ProcessInformation, ProcessInformationLength, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExProbeUserOutput(ReturnLength, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    /* NT's fixed-size classes want exactly their size. */
    switch (ProcessInformationClass) {
    case ProcessBasicInformation:
        Length = sizeof(PROCESS_BASIC_INFORMATION);
        break;
    case ProcessTimes:
        Length = sizeof(KERNEL_USER_TIMES);
        break;
    case ProcessPriorityClass:
        Length = sizeof(PROCESS_PRIORITY_CLASS);
        break;
    case ProcessImageFileName:
        Length = 0;                     /* depends on the name: below */
        break;
    default:
        return STATUS_INVALID_INFO_CLASS;
    }
    if (Length != 0 && ProcessInformationLength != Length)
        return STATUS_INFO_LENGTH_MISMATCH;

    Status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_QUERY_INFORMATION, PsProcessType, PreviousMode,
                                       (PVOID *)&Process, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Buffer, 0, sizeof(Buffer));
    switch (ProcessInformationClass) {
    case ProcessBasicInformation:
        Buffer.Basic.ExitStatus = Process->ExitStatus;
        Buffer.Basic.PebBaseAddress = Process->Peb;
        Buffer.Basic.AffinityMask = Process->Pcb.Affinity;
        Buffer.Basic.BasePriority = Process->Pcb.BasePriority;
        Buffer.Basic.UniqueProcessId = (ULONG_PTR)Process->UniqueProcessId;
        Buffer.Basic.InheritedFromUniqueProcessId = (ULONG_PTR)Process->InheritedFromUniqueProcessId;
        break;
    case ProcessTimes:
        PspProcessTimes(Process, &Buffer.Times);
        break;
    case ProcessPriorityClass:
        Buffer.Priority.PriorityClass = Process->PriorityClass;
        break;
    default:    /* ProcessImageFileName: a UNICODE_STRING and its characters after it */
        Name->Length = Process->ImageFileNameInfo != NULL ? Process->ImageFileNameInfo->Length : 0;
        if (Name->Length > sizeof(Buffer) - sizeof(UNICODE_STRING) - sizeof(WCHAR))
            Name->Length = 0;
        Name->MaximumLength = Name->Length + sizeof(WCHAR);
        Length = sizeof(UNICODE_STRING) + Name->MaximumLength;
        if (Name->Length != 0)
            memcpy(Name + 1, Process->ImageFileNameInfo->Buffer, Name->Length);
        Name->Buffer = (PWSTR)((PUNICODE_STRING)ProcessInformation + 1);
        if (ProcessInformationLength < Length)
            Status = STATUS_INFO_LENGTH_MISMATCH;
        break;
    }
    ObDereferenceObject(Process);

    if (NT_SUCCESS(Status))
        Status = ExCopyToCaller(ProcessInformation, &Buffer, Length, PreviousMode);
    /* The length needed goes back even when the buffer was too short (NT). */
    if ((NT_SUCCESS(Status) || Status == STATUS_INFO_LENGTH_MISMATCH) && ReturnLength != NULL)
        (VOID)ExCopyToCaller(ReturnLength, &Length, sizeof(Length), PreviousMode);
    return Status;
}

/* A priority class's base priority (NT's PspPriorityTable). */
static KPRIORITY PspClassBasePriority(UCHAR PriorityClass)
{
    static const KPRIORITY Table[] = { 8, 4, 8, 13, 24, 6, 10 };
    return Table[PriorityClass];
}

NTSTATUS NtSetInformationProcess(HANDLE ProcessHandle, PROCESSINFOCLASS ProcessInformationClass,
                                 PVOID ProcessInformation, ULONG ProcessInformationLength)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PROCESS_PRIORITY_CLASS Priority;
    PEPROCESS Process;
    PLIST_ENTRY Entry;
    KPRIORITY Base;
    NTSTATUS Status;

    if (ProcessInformationClass != ProcessPriorityClass) {
        DbgPrint("NtSetInformationProcess: class %lu is not implemented\n", (ULONG)ProcessInformationClass);
        return STATUS_INVALID_INFO_CLASS;
    }
    if (ProcessInformationLength != sizeof(Priority))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = ExCaptureUserData(&Priority, ProcessInformation, sizeof(Priority), 1, PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Priority.PriorityClass == PROCESS_PRIORITY_CLASS_UNKNOWN ||
        Priority.PriorityClass > PROCESS_PRIORITY_CLASS_ABOVE_NORMAL)
        return STATUS_INVALID_PARAMETER;
    Status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_SET_INFORMATION, PsProcessType, PreviousMode,
                                       (PVOID *)&Process, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The realtime class needs a privilege NT checks (SeIncreaseBasePriority); with no
       security yet, it is not granted. */
    if (Priority.PriorityClass == PROCESS_PRIORITY_CLASS_REALTIME) {
        ObDereferenceObject(Process);
        return STATUS_PRIVILEGE_NOT_HELD;
    }
    Base = PspClassBasePriority(Priority.PriorityClass);
    PspLockProcess(Process);
    Process->PriorityClass = Priority.PriorityClass;
    Process->Pcb.BasePriority = (CHAR)Base;
    for (Entry = Process->ThreadListHead.Flink; Entry != &Process->ThreadListHead; Entry = Entry->Flink) {
        PETHREAD Thread = CONTAINING_RECORD(Entry, ETHREAD, ThreadListEntry);
        if (Thread->Tcb.State != Terminated)
            KeSetPriorityThread(&Thread->Tcb, Base);
    }
    PspUnlockProcess(Process);
    ObDereferenceObject(Process);
    return STATUS_SUCCESS;
}

BOOLEAN PsIsLastThread(PETHREAD Thread)
{
    PEPROCESS Process = Thread->ThreadsProcess;
    PLIST_ENTRY Entry;
    BOOLEAN Last = TRUE;

    /* NT reads ActiveThreads == 1; a thread told to end from outside stays in that
       count until it runs its exit, so the list is walked instead: one asked to end
       will not run user code again, and must not keep the caller from being last. */
    PspLockProcess(Process);
    for (Entry = Process->ThreadListHead.Flink; Entry != &Process->ThreadListHead; Entry = Entry->Flink) {
        PETHREAD Other = CONTAINING_RECORD(Entry, ETHREAD, ThreadListEntry);
        if (Other != Thread && (Other->CrossThreadFlags & PS_CROSS_THREAD_FLAGS_COUNTED) &&
            !(Other->CrossThreadFlags & PS_CROSS_THREAD_FLAGS_TERMINATED)) {
            Last = FALSE;
            break;
        }
    }
    PspUnlockProcess(Process);
    return Last;
}

/*
 * ThreadAmILastThread is about the caller, whatever the handle names (NT does not
 * look at it): RtlExitUserThread asks it to choose between ending the thread and
 * ending the process with the DLLs' DLL_PROCESS_DETACH.
 */
static NTSTATUS PspQueryAmILastThread(PVOID ThreadInformation, ULONG ThreadInformationLength, PULONG ReturnLength,
                                      KPROCESSOR_MODE PreviousMode)
{
    PETHREAD Current = PsGetCurrentThread();
    ULONG Last, Length = sizeof(ULONG);
    NTSTATUS Status;

    if (ThreadInformationLength != sizeof(ULONG))
        return STATUS_INFO_LENGTH_MISMATCH;
    if (Current == NULL)
        return STATUS_INVALID_HANDLE;
    Last = PsIsLastThread(Current) ? TRUE : FALSE;
    Status = ExCopyToCaller(ThreadInformation, &Last, sizeof(Last), PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExCopyToCaller(ReturnLength, &Length, sizeof(Length), PreviousMode);
    return Status;
}

NTSTATUS NtQueryInformationThread(HANDLE ThreadHandle, THREADINFOCLASS ThreadInformationClass,
                                  PVOID ThreadInformation, ULONG ThreadInformationLength, PULONG ReturnLength)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    union {
        THREAD_BASIC_INFORMATION Basic;
        KERNEL_USER_TIMES Times;
    } Buffer;
    PETHREAD Thread;
    ULONG Length;
    NTSTATUS Status;

    Status = ExProbeUserOutput(ThreadInformation, ThreadInformationLength, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExProbeUserOutput(ReturnLength, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (ThreadInformationClass == ThreadAmILastThread)
        return PspQueryAmILastThread(ThreadInformation, ThreadInformationLength, ReturnLength, PreviousMode);
    if (ThreadInformationClass == ThreadBasicInformation)
        Length = sizeof(THREAD_BASIC_INFORMATION);
    else if (ThreadInformationClass == ThreadTimes)
        Length = sizeof(KERNEL_USER_TIMES);
    else
        return STATUS_INVALID_INFO_CLASS;
    if (ThreadInformationLength != Length)
        return STATUS_INFO_LENGTH_MISMATCH;

    Status = ObReferenceObjectByHandle(ThreadHandle, THREAD_QUERY_INFORMATION, PsThreadType, PreviousMode,
                                       (PVOID *)&Thread, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Buffer, 0, sizeof(Buffer));
    if (ThreadInformationClass == ThreadBasicInformation) {
        Buffer.Basic.ExitStatus = Thread->ExitStatus;
        Buffer.Basic.TebBaseAddress = Thread->Teb;
        Buffer.Basic.ClientId = Thread->Cid;
        Buffer.Basic.AffinityMask = Thread->Tcb.Affinity;
        Buffer.Basic.Priority = Thread->Tcb.Priority;
        Buffer.Basic.BasePriority = Thread->Tcb.BasePriority;
    } else {
        Buffer.Times.CreateTime = Thread->CreateTime;
        Buffer.Times.ExitTime = Thread->ExitTime;
        PspTicksToTime(Thread->Tcb.KernelTime, &Buffer.Times.KernelTime);
        PspTicksToTime(Thread->Tcb.UserTime, &Buffer.Times.UserTime);
    }
    ObDereferenceObject(Thread);
    Status = ExCopyToCaller(ThreadInformation, &Buffer, Length, PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExCopyToCaller(ReturnLength, &Length, sizeof(Length), PreviousMode);
    return Status;
}

/* ---- suspend and resume ---- */

static NTSTATUS PspSuspendResume(HANDLE ThreadHandle, PULONG PreviousSuspendCount, BOOLEAN Suspend)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PETHREAD Thread;
    ULONG Previous = 0;
    NTSTATUS Status;

    if (PreviousSuspendCount != NULL) {
        Status = ExProbeUserOutput(PreviousSuspendCount, sizeof(ULONG), sizeof(ULONG), PreviousMode);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = ObReferenceObjectByHandle(ThreadHandle, THREAD_SUSPEND_RESUME, PsThreadType, PreviousMode,
                                       (PVOID *)&Thread, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    /* An ending thread is not suspended any more; resuming it is harmless (NT). */
    if (Suspend && (Thread->CrossThreadFlags & PS_CROSS_THREAD_FLAGS_TERMINATED))
        Status = STATUS_THREAD_IS_TERMINATING;
    else if (Suspend)
        Status = KeSuspendThreadChecked(&Thread->Tcb, &Previous);
    else
        Previous = KeResumeThread(&Thread->Tcb);
    ObDereferenceObject(Thread);
    if (NT_SUCCESS(Status) && PreviousSuspendCount != NULL)
        (VOID)ExCopyToCaller(PreviousSuspendCount, &Previous, sizeof(Previous), PreviousMode);
    return Status;
}

NTSTATUS NtSuspendThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount)
{
    return PspSuspendResume(ThreadHandle, PreviousSuspendCount, TRUE);
}

NTSTATUS NtResumeThread(HANDLE ThreadHandle, PULONG PreviousSuspendCount)
{
    return PspSuspendResume(ThreadHandle, PreviousSuspendCount, FALSE);
}

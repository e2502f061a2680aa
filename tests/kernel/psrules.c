/*
 * psrules.c - self-tests of the process manager's rules at the edges, each a
 * regression from a review: a thread cannot be made in a process that has ended
 * (PS_THREAD_AFTER_EXIT), nor a child of an ended parent (PS_EXITED_PARENT);
 * suspending a process whose thread is at its suspend limit is no crash
 * (PS_SUSPEND_LIMIT); an ID looked up while its object is being deleted does not
 * bring the object back (PS_CID_DELETED); processes killed at once leave nothing
 * behind (PS_KILL_CYCLES).
 */
#include "kethread.h"
#include "mmtest.h"
#include <ob.h>
#include <ps.h>
#include <ramdisk.h>
#include <rtl.h>
#include "ntapi.h"
#include "zwapi.h"

VOID PspLockActiveProcessList(VOID);
VOID PspUnlockActiveProcessList(VOID);

static NTSTATUS KstStartChild(PCWSTR Name, PEPROCESS *Process)
{
    UNICODE_STRING Image, CommandLine;
    WCHAR Path[64] = u"\\??\\C:\\Tests\\";
    ULONG Length = 13, Index;

    for (Index = 0; Name[Index] != 0 && Length < 63; Index++)
        Path[Length++] = Name[Index];
    Path[Length] = 0;
    RtlInitUnicodeString(&Image, Path);
    RtlInitUnicodeString(&CommandLine, Name);
    return PsCreateSystemChildProcess(&Image, &CommandLine, Process);
}

/* A process that has ended, and a kernel handle to it. */
static NTSTATUS KstEndedChild(PEPROCESS *Process, PHANDLE Handle)
{
    NTSTATUS Status = KstStartChild(u"empty.exe", Process);

    if (!NT_SUCCESS(Status))
        return Status;
    KeWaitForSingleObject(&(*Process)->Pcb, Executive, KernelMode, FALSE, NULL);
    return ObOpenObjectByPointer(*Process, OBJ_KERNEL_HANDLE, NULL, PROCESS_ALL_ACCESS, PsProcessType, KernelMode,
                                 Handle);
}

static NTSTATUS KstThreadAfterExit(VOID)
{
    PEPROCESS Process;
    HANDLE Handle, Thread;
    CONTEXT Context;
    INITIAL_TEB Teb;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL)
        return STATUS_SUCCESS;
    KST_CHECK(NT_SUCCESS(KstEndedChild(&Process, &Handle)));
    memset(&Context, 0, sizeof(Context));
    memset(&Teb, 0, sizeof(Teb));
    Context.ContextFlags = CONTEXT_FULL;
    Context.Eip = 0x401000;
    Context.Esp = 0x100000;
    Teb.StackBase = (PVOID)0x100000;
    Teb.StackLimit = (PVOID)0xFF000;
    Status = NtCreateThread(&Thread, THREAD_ALL_ACCESS, NULL, Handle, NULL, &Context, &Teb, TRUE);
    ZwClose(Handle);
    ObDereferenceObject(Process);
    KST_CHECK(Status == STATUS_PROCESS_IS_TERMINATING);
    return STATUS_SUCCESS;
}
KSELFTEST(PS_THREAD_AFTER_EXIT, KstThreadAfterExit);

static NTSTATUS KstExitedParent(VOID)
{
    static WCHAR Name[] = u"\\??\\C:\\Tests\\empty.exe";
    UCHAR ListBuffer[sizeof(SIZE_T) + 3 * sizeof(PS_ATTRIBUTE)];
    PPS_ATTRIBUTE_LIST List = (PPS_ATTRIBUTE_LIST)ListBuffer;
    RTL_USER_PROCESS_PARAMETERS Parameters;
    PS_CREATE_INFO Info;
    PS_STD_HANDLE_INFO Std;
    PEPROCESS Parent;
    HANDLE ParentHandle, Process = NULL, Thread = NULL;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL)
        return STATUS_SUCCESS;
    KST_CHECK(NT_SUCCESS(KstEndedChild(&Parent, &ParentHandle)));
    memset(&Parameters, 0, sizeof(Parameters));
    Parameters.Length = Parameters.MaximumLength = sizeof(Parameters);
    Parameters.Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    Parameters.StandardInput = (HANDLE)4;
    memset(&Info, 0, sizeof(Info));
    Info.Size = sizeof(Info);
    Std.Flags = 0;
    Std.StdHandleState = PsAlwaysDuplicate;
    Std.StdHandleSubsystemType = 0;
    memset(ListBuffer, 0, sizeof(ListBuffer));
    List->TotalLength = sizeof(ListBuffer);
    List->Attributes[0].Attribute = PS_ATTRIBUTE_IMAGE_NAME;
    List->Attributes[0].Size = sizeof(Name) - sizeof(WCHAR);
    List->Attributes[0].ValuePtr = Name;
    List->Attributes[1].Attribute = PS_ATTRIBUTE_PARENT_PROCESS;
    List->Attributes[1].Size = sizeof(HANDLE);
    List->Attributes[1].Value = (ULONG_PTR)ParentHandle;
    List->Attributes[2].Attribute = PS_ATTRIBUTE_STD_HANDLE_INFO;
    List->Attributes[2].Size = sizeof(Std);
    List->Attributes[2].ValuePtr = &Std;
    Status = NtCreateUserProcess(&Process, &Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL, NULL, 0, 0,
                                 &Parameters, &Info, List);
    ZwClose(ParentHandle);
    ObDereferenceObject(Parent);
    KST_CHECK(Status == STATUS_PROCESS_IS_TERMINATING);
    return STATUS_SUCCESS;
}
KSELFTEST(PS_EXITED_PARENT, KstExitedParent);

static NTSTATUS KstSuspendLimit(VOID)
{
    PEPROCESS Process;
    PETHREAD Thread;
    HANDLE ProcessHandle, ThreadHandle;
    ULONG Index, Previous;
    NTSTATUS Status = STATUS_SUCCESS;

    if (IoGetBootVolume() == NULL)
        return STATUS_SUCCESS;
    KST_CHECK(NT_SUCCESS(KstStartChild(u"idle.exe", &Process)));
    Thread = CONTAINING_RECORD(Process->ThreadListHead.Flink, ETHREAD, ThreadListEntry);
    KST_CHECK(NT_SUCCESS(ObOpenObjectByPointer(Thread, OBJ_KERNEL_HANDLE, NULL, THREAD_ALL_ACCESS, PsThreadType,
                                               KernelMode, &ThreadHandle)));
    KST_CHECK(NT_SUCCESS(ObOpenObjectByPointer(Process, OBJ_KERNEL_HANDLE, NULL, PROCESS_ALL_ACCESS, PsProcessType,
                                               KernelMode, &ProcessHandle)));
    for (Index = 0; Index < 127 && NT_SUCCESS(Status); Index++)
        Status = NtSuspendThread(ThreadHandle, &Previous);
    if (NT_SUCCESS(Status))
        Status = NtSuspendThread(ThreadHandle, &Previous) == STATUS_SUSPEND_COUNT_EXCEEDED ? STATUS_SUCCESS
                                                                                         : STATUS_UNSUCCESSFUL;
    if (NT_SUCCESS(Status))
        Status = NtSuspendProcess(ProcessHandle);      /* the thread stays at its limit */
    ZwTerminateProcess(ProcessHandle, 1);
    KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
    ZwClose(ThreadHandle);
    ZwClose(ProcessHandle);
    ObDereferenceObject(Process);
    KST_CHECK(NT_SUCCESS(Status));
    return STATUS_SUCCESS;
}
KSELFTEST(PS_SUSPEND_LIMIT, KstSuspendLimit);

static PEPROCESS KstDoomed;

static VOID KstDropLast(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    ObDereferenceObject(KstDoomed);     /* the last reference: PspDeleteProcess runs, and waits */
}

static NTSTATUS KstCidDeleted(VOID)
{
    PEPROCESS Process, Found = NULL;
    LARGE_INTEGER Delay = KstTicks(5);
    PKTHREAD Worker;
    HANDLE Pid;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL)
        return STATUS_SUCCESS;
    KST_CHECK(NT_SUCCESS(KstStartChild(u"empty.exe", &Process)));
    KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
    Pid = Process->UniqueProcessId;
    KstDoomed = Process;
    /* The delete procedure waits for this lock (held by any task-list query, creation
       or exit): its ID is still in the table while its count is 0. */
    PspLockActiveProcessList();
    Worker = KstCreateThread(KstDropLast, NULL, 9);
    KeDelayExecutionThread(KernelMode, FALSE, &Delay);
    Status = PsLookupProcessByProcessId(Pid, &Found);
    PspUnlockActiveProcessList();
    KstJoinThread(Worker);
    if (NT_SUCCESS(Status))
        ObDereferenceObject(Found);
    KST_CHECK(Status == STATUS_INVALID_CID);
    return STATUS_SUCCESS;
}
KSELFTEST(PS_CID_DELETED, KstCidDeleted);

static NTSTATUS KstKillCycles(VOID)
{
    KST_MM_BASELINE Baseline;
    LARGE_INTEGER Delay = KstTicks(10);
    PEPROCESS Process;
    HANDLE Handle;
    ULONG Index, Pass;

    if (IoGetBootVolume() == NULL)
        return STATUS_SUCCESS;
    for (Pass = 0; Pass < 2; Pass++) {
        if (Pass == 1) {
            KeDelayExecutionThread(KernelMode, FALSE, &Delay);
            KstTakeBaseline(&Baseline);
        }
        for (Index = 0; Index < (Pass ? 100u : 3u); Index++) {
            KST_CHECK(NT_SUCCESS(KstStartChild(u"idle.exe", &Process)));
            KST_CHECK(NT_SUCCESS(ObOpenObjectByPointer(Process, OBJ_KERNEL_HANDLE, NULL, PROCESS_ALL_ACCESS,
                                                       PsProcessType, KernelMode, &Handle)));
            if (Index & 1)
                KeDelayExecutionThread(KernelMode, FALSE, &Delay);
            KST_CHECK(NT_SUCCESS(ZwTerminateProcess(Handle, 5)));
            KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
            KST_CHECK(Process->ExitStatus == 5);
            ZwClose(Handle);
            ObDereferenceObject(Process);
        }
    }
    KeDelayExecutionThread(KernelMode, FALSE, &Delay);
    return KstCheckBaseline(&Baseline, "after 100 processes killed");
}
KSELFTEST(PS_KILL_CYCLES, KstKillCycles);

/*
 * psctx.c - another thread's registers, and a whole process held still (NT:
 * NtGetContextThread, NtSetContextThread, PspGetSetContextSpecialApc in
 * psctx.c; NtSuspendProcess, NtResumeProcess).
 *
 * A thread's user-mode registers are in the trap frame at the top of its kernel
 * stack, made when it last entered the kernel from ring 3 (NT:
 * PspGetBaseTrapFrame). Only the thread itself may read or change that frame
 * safely, so for another thread the work is a special kernel APC, run in the
 * target at its next chance (a waiting or suspended thread takes it at once),
 * while the caller waits for it.
 */
#include "psp.h"

/* The frame of the thread's latest entry from user mode (user-mode callbacks run
   lower on the stack, above their own frames: TrapStackTop says where). */
static PKTRAP_FRAME PspGetBaseTrapFrame(PETHREAD Thread)
{
    return (PKTRAP_FRAME)((PUCHAR)Thread->Tcb.TrapStackTop - sizeof(KTRAP_FRAME));
}

typedef struct _PSP_GET_SET_CONTEXT {
    KAPC Apc;
    KEVENT Done;
    CONTEXT Context;
    BOOLEAN Set;
} PSP_GET_SET_CONTEXT, *PPSP_GET_SET_CONTEXT;

/*
 * A thread that has not reached user mode yet (created suspended, say) has no
 * frame there: its registers are its InitialContext, which PspUserThreadStartup
 * turns into the frame. Both are read and changed through a frame, so the same
 * rules apply (user selectors, the EFLAGS user mode may set).
 */
static VOID PspGetSetContext(PETHREAD Thread, PCONTEXT Context, BOOLEAN Set)
{
    PKTRAP_FRAME Frame = PspGetBaseTrapFrame(Thread);
    KTRAP_FRAME Initial;

    if (Thread->InitialContext != NULL) {
        memset(&Initial, 0, sizeof(Initial));
        Thread->InitialContext->ContextFlags = CONTEXT_FULL;
        KeContextToTrapFrame(Thread->InitialContext, &Initial);
        Frame = &Initial;
    }
    if (Set)
        KeContextToTrapFrame(Context, Frame);
    else
        KeTrapFrameToContext(Frame, Context);
    if (Frame == &Initial && Set)
        KeTrapFrameToContext(&Initial, Thread->InitialContext);
}

static VOID PspGetSetContextSpecialApc(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                                       PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    PPSP_GET_SET_CONTEXT Request = CONTAINING_RECORD(Apc, PSP_GET_SET_CONTEXT, Apc);

    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    PspGetSetContext(PsGetCurrentThread(), &Request->Context, Request->Set);
    KeSetEvent(&Request->Done, 0, FALSE);
}

static NTSTATUS PspGetSetContextThread(HANDLE ThreadHandle, PCONTEXT ThreadContext, BOOLEAN Set)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PPSP_GET_SET_CONTEXT Request;
    PETHREAD Thread;
    ULONG ContextFlags;
    NTSTATUS Status;

    /* The caller's CONTEXT: read whole to set, its flags to get (then written). */
    Status = ExCaptureUserData(&ContextFlags, &ThreadContext->ContextFlags, sizeof(ULONG), sizeof(ULONG),
                               PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(ThreadContext, sizeof(CONTEXT), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(ThreadHandle, Set ? THREAD_SET_CONTEXT : THREAD_GET_CONTEXT, PsThreadType,
                                       PreviousMode, (PVOID *)&Thread, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Request = ExAllocatePoolWithTag(NonPagedPool, sizeof(*Request), PSP_THREAD_TAG);
    if (Request == NULL) {
        ObDereferenceObject(Thread);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memset(Request, 0, sizeof(*Request));
    Request->Set = Set;
    if (Set)
        Status = ExCaptureUserData(&Request->Context, ThreadContext, sizeof(CONTEXT), sizeof(ULONG), PreviousMode);
    Request->Context.ContextFlags = ContextFlags;

    if (NT_SUCCESS(Status) && Thread == PsGetCurrentThread()) {
        PspGetSetContext(Thread, &Request->Context, Set);
        /* The service's exit stores its status in EAX: the new EAX is the status. */
        if (Set && (ContextFlags & CONTEXT_INTEGER) == CONTEXT_INTEGER)
            Status = (NTSTATUS)PspGetBaseTrapFrame(Thread)->Eax;
    } else if (NT_SUCCESS(Status)) {
        KeInitializeEvent(&Request->Done, NotificationEvent, FALSE);
        KeInitializeApc(&Request->Apc, &Thread->Tcb, OriginalApcEnvironment, PspGetSetContextSpecialApc, NULL,
                        NULL, KernelMode, NULL);
        if (KeInsertQueueApc(&Request->Apc, NULL, NULL, 2))
            KeWaitForSingleObject(&Request->Done, Executive, KernelMode, FALSE, NULL);
        else
            Status = STATUS_THREAD_IS_TERMINATING;     /* it takes no more APCs: ending */
    }
    ObDereferenceObject(Thread);
    if (NT_SUCCESS(Status) && !Set)
        Status = ExCopyToCaller(ThreadContext, &Request->Context, sizeof(CONTEXT), PreviousMode);
    ExFreePoolWithTag(Request, PSP_THREAD_TAG);
    return Status;
}

NTSTATUS NtGetContextThread(HANDLE ThreadHandle, PCONTEXT ThreadContext)
{
    return PspGetSetContextThread(ThreadHandle, ThreadContext, FALSE);
}

NTSTATUS NtSetContextThread(HANDLE ThreadHandle, PCONTEXT ThreadContext)
{
    return PspGetSetContextThread(ThreadHandle, ThreadContext, TRUE);
}

/* ---- a whole process ---- */

static NTSTATUS PspSuspendResumeProcess(HANDLE ProcessHandle, BOOLEAN Suspend)
{
    PEPROCESS Process;
    PLIST_ENTRY Entry;
    NTSTATUS Status;

    Status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_SUSPEND_RESUME, PsProcessType, ExGetPreviousMode(),
                                       (PVOID *)&Process, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    PspLockProcess(Process);
    if (Process->Flags & (PS_PROCESS_FLAGS_PROCESS_EXITING | PS_PROCESS_FLAGS_PROCESS_DELETE)) {
        Status = STATUS_PROCESS_IS_TERMINATING;
    } else {
        for (Entry = Process->ThreadListHead.Flink; Entry != &Process->ThreadListHead; Entry = Entry->Flink) {
            PETHREAD Thread = CONTAINING_RECORD(Entry, ETHREAD, ThreadListEntry);
            if (Thread->CrossThreadFlags & PS_CROSS_THREAD_FLAGS_TERMINATED)
                continue;
            if (Suspend) {
                ULONG Previous;
                /* A thread at its limit stays as it is (NT ignores it too). */
                (VOID)KeSuspendThreadChecked(&Thread->Tcb, &Previous);
            } else
                (VOID)KeResumeThread(&Thread->Tcb);
        }
    }
    PspUnlockProcess(Process);
    ObDereferenceObject(Process);
    return Status;
}

NTSTATUS NtSuspendProcess(HANDLE ProcessHandle)
{
    return PspSuspendResumeProcess(ProcessHandle, TRUE);
}

NTSTATUS NtResumeProcess(HANDLE ProcessHandle)
{
    return PspSuspendResumeProcess(ProcessHandle, FALSE);
}

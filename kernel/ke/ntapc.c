/*
 * ntapc.c - NtQueueApcThread: a user-mode APC from user mode (NT: NtQueueApcThread).
 *
 * The APC's routine runs in the target thread in user mode, the next time it
 * waits alertably or calls NtTestAlert, through ntdll's KiUserApcDispatcher. The
 * KAPC comes from the pool and frees itself when its kernel routine runs.
 */
#include "ki.h"
#include <kewait.h>
#include <ex.h>
#include <nt/ntobapi.h>
#include <ob.h>
#include <ps.h>

#define KI_APC_TAG EX_POOL_TAG('A', 'p', 'c', ' ')

/* Runs first, at APC_LEVEL, just before the APC goes to user mode (or at rundown). */
static VOID KipFreeUserApc(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                           PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    ExFreePoolWithTag(Apc, KI_APC_TAG);
}

static VOID KipRundownUserApc(PKAPC Apc)
{
    ExFreePoolWithTag(Apc, KI_APC_TAG);
}

/*
 * The handle needs THREAD_SET_CONTEXT; NtCurrentThread() names the caller without
 * one (and serves the kernel's self-tests, whose ring-3 threads are bare KTHREADs).
 * A thread that never runs in user mode (no TEB: a system thread) cannot take a
 * user APC: STATUS_INVALID_HANDLE, NT's answer; a thread on its way out no longer
 * queues any: STATUS_UNSUCCESSFUL.
 */
NTSTATUS NtQueueApcThread(HANDLE ThreadHandle, PKNORMAL_ROUTINE ApcRoutine, PVOID ApcArgument1,
                          PVOID ApcArgument2, PVOID ApcArgument3)
{
    PETHREAD Referenced = NULL;
    PKTHREAD Thread;
    PKAPC Apc;
    NTSTATUS Status = STATUS_SUCCESS;

    if (ThreadHandle == NtCurrentThread()) {
        Thread = KeGetCurrentThread();
    } else {
        Status = ObReferenceObjectByHandle(ThreadHandle, THREAD_SET_CONTEXT, PsThreadType, KeGetPreviousMode(),
                                           (PVOID *)&Referenced, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
        Thread = &Referenced->Tcb;
    }
    /* A caller from user mode runs in user mode, TEB or not (the self-tests'). */
    if (Thread->Teb == NULL && (Referenced != NULL || KeGetPreviousMode() == KernelMode)) {
        Status = STATUS_INVALID_HANDLE;
        goto Done;
    }
    Apc = ExAllocatePoolWithTag(NonPagedPool, sizeof(KAPC), KI_APC_TAG);
    if (Apc == NULL) {
        Status = STATUS_NO_MEMORY;
        goto Done;
    }
    KeInitializeApc(Apc, Thread, OriginalApcEnvironment, KipFreeUserApc, KipRundownUserApc, ApcRoutine, UserMode,
                    ApcArgument1);
    if (!KeInsertQueueApc(Apc, ApcArgument2, ApcArgument3, 0)) {
        ExFreePoolWithTag(Apc, KI_APC_TAG);
        Status = STATUS_UNSUCCESSFUL;
    }
Done:
    if (Referenced != NULL)
        ObDereferenceObject(Referenced);
    return Status;
}

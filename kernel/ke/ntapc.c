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

NTSTATUS NtQueueApcThread(HANDLE ThreadHandle, PKNORMAL_ROUTINE ApcRoutine, PVOID ApcArgument1,
                          PVOID ApcArgument2, PVOID ApcArgument3)
{
    PKTHREAD Thread;
    PKAPC Apc;

    /* Threads become objects with the process issue; until then only the
       pseudo-handle of the calling thread names one. */
    if (ThreadHandle != NtCurrentThread())
        return STATUS_INVALID_HANDLE;
    Thread = KeGetCurrentThread();

    Apc = ExAllocatePoolWithTag(NonPagedPool, sizeof(KAPC), KI_APC_TAG);
    if (Apc == NULL)
        return STATUS_NO_MEMORY;
    KeInitializeApc(Apc, Thread, OriginalApcEnvironment, KipFreeUserApc, KipRundownUserApc,
                    ApcRoutine, UserMode, ApcArgument1);
    if (!KeInsertQueueApc(Apc, ApcArgument2, ApcArgument3, 0)) {
        ExFreePoolWithTag(Apc, KI_APC_TAG);
        return STATUS_UNSUCCESSFUL;
    }
    return STATUS_SUCCESS;
}

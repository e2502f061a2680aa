/*
 * psnotify.c - callbacks on process and thread creation and exit (NT:
 * PsSetCreateProcessNotifyRoutine, PsSetCreateThreadNotifyRoutine,
 * PsRemoveCreateThreadNotifyRoutine, PspCreateProcessNotifyRoutine[] in
 * psnotify.c). Drivers use them to watch processes; here the kernel's own trace
 * (/TRACE, kernel/kd/systrace.c) does.
 *
 * A process is reported created when its first thread is inserted (as NT 6 does:
 * before that it cannot run), and ended when its last thread has gone.
 */
#include "psp.h"

#define PSP_MAX_NOTIFY_ROUTINES 8

static PCREATE_PROCESS_NOTIFY_ROUTINE PspProcessNotifyRoutines[PSP_MAX_NOTIFY_ROUTINES];
static PCREATE_THREAD_NOTIFY_ROUTINE PspThreadNotifyRoutines[PSP_MAX_NOTIFY_ROUTINES];

/* Adds Routine in a free slot, or (Remove) takes it out: NT's statuses. */
static NTSTATUS PspChangeNotifyList(PVOID *List, PVOID Routine, BOOLEAN Remove)
{
    ULONG Index;

    for (Index = 0; Index < PSP_MAX_NOTIFY_ROUTINES; Index++) {
        PVOID Expected = Remove ? Routine : NULL;
        if (__atomic_compare_exchange_n(&List[Index], &Expected, Remove ? NULL : Routine, FALSE, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            return STATUS_SUCCESS;
    }
    return Remove ? STATUS_PROCEDURE_NOT_FOUND : STATUS_INVALID_PARAMETER;
}

NTSTATUS PsSetCreateProcessNotifyRoutine(PCREATE_PROCESS_NOTIFY_ROUTINE NotifyRoutine, BOOLEAN Remove)
{
    return PspChangeNotifyList((PVOID *)PspProcessNotifyRoutines, (PVOID)NotifyRoutine, Remove);
}

NTSTATUS PsSetCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine)
{
    return PspChangeNotifyList((PVOID *)PspThreadNotifyRoutines, (PVOID)NotifyRoutine, FALSE);
}

NTSTATUS PsRemoveCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine)
{
    return PspChangeNotifyList((PVOID *)PspThreadNotifyRoutines, (PVOID)NotifyRoutine, TRUE);
}

VOID PspNotifyProcess(PEPROCESS Process, BOOLEAN Create)
{
    ULONG Index;

    if (Create)
        Process->Flags |= PS_PROCESS_FLAGS_NOTIFIED;
    for (Index = 0; Index < PSP_MAX_NOTIFY_ROUTINES; Index++) {
        PCREATE_PROCESS_NOTIFY_ROUTINE Routine = __atomic_load_n(&PspProcessNotifyRoutines[Index], __ATOMIC_SEQ_CST);
        if (Routine != NULL)
            Routine(Process->InheritedFromUniqueProcessId, Process->UniqueProcessId, Create);
    }
}

VOID PspNotifyThread(PETHREAD Thread, BOOLEAN Create)
{
    ULONG Index;

    for (Index = 0; Index < PSP_MAX_NOTIFY_ROUTINES; Index++) {
        PCREATE_THREAD_NOTIFY_ROUTINE Routine = __atomic_load_n(&PspThreadNotifyRoutines[Index], __ATOMIC_SEQ_CST);
        if (Routine != NULL)
            Routine(Thread->Cid.UniqueProcess, Thread->Cid.UniqueThread, Create);
    }
}

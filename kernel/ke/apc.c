/*
 * apc.c - asynchronous procedure calls (NT: KeInitializeApc, KeInsertQueueApc,
 * KiInsertQueueApc, KeRemoveQueueApc, KeFlushQueueApc, KiDeliverApc,
 * KeEnterCriticalRegion, KeLeaveCriticalRegion, in ke\apcobj.c and ke\apcsup.c).
 *
 * An APC makes a given thread run a routine. Each thread has two queues in its
 * KAPC_STATE, for kernel and user APCs. Kernel APCs come in two kinds:
 *   - special (no normal routine): only the kernel routine, at APC_LEVEL; they run
 *     as soon as the thread is below APC_LEVEL, even in a critical region;
 *   - normal: the kernel routine at APC_LEVEL, then the normal routine at
 *     PASSIVE_LEVEL; they wait while the thread is in a critical region or already
 *     in a normal APC.
 * Special APCs queue ahead of normal ones, each kind first-come first-served.
 * User APCs run only on the thread's way back to user mode, and a thread in an
 * alertable user-mode wait is woken for them.
 *
 * The queues belong to the dispatcher database: the lock is held to change them.
 */
#include "waitp.h"

VOID KeInitializeApc(PKAPC Apc, PKTHREAD Thread, KAPC_ENVIRONMENT Environment,
                     PKKERNEL_ROUTINE KernelRoutine, PKRUNDOWN_ROUTINE RundownRoutine,
                     PKNORMAL_ROUTINE NormalRoutine, KPROCESSOR_MODE ApcMode,
                     PVOID NormalContext)
{
    Apc->Type = ApcObject;
    Apc->Size = sizeof(KAPC);
    /* InsertApcEnvironment is resolved when the APC is queued, the others now. */
    if (Environment == CurrentApcEnvironment)
        Apc->ApcStateIndex = (CHAR)Thread->ApcStateIndex;
    else
        Apc->ApcStateIndex = (CHAR)Environment;
    Apc->Thread = Thread;
    Apc->KernelRoutine = KernelRoutine;
    Apc->RundownRoutine = RundownRoutine;
    Apc->NormalRoutine = NormalRoutine;
    if (NormalRoutine != NULL) {
        Apc->ApcMode = ApcMode;
        Apc->NormalContext = NormalContext;
    } else {
        Apc->ApcMode = KernelMode;      /* special: kernel mode by definition */
        Apc->NormalContext = NULL;
    }
    Apc->SystemArgument1 = NULL;
    Apc->SystemArgument2 = NULL;
    Apc->Inserted = FALSE;
}

/* Puts a special kernel APC after the special ones already queued, before the rest. */
static VOID KipInsertSpecialApc(PLIST_ENTRY ListHead, PKAPC Apc)
{
    PLIST_ENTRY Entry = ListHead->Blink;

    while (Entry != ListHead) {
        PKAPC Queued = CONTAINING_RECORD(Entry, KAPC, ApcListEntry);
        if (Queued->NormalRoutine == NULL)
            break;
        Entry = Entry->Blink;
    }
    InsertHeadList(Entry, &Apc->ApcListEntry);
}

BOOLEAN KiInsertQueueApc(PKAPC Apc, KPRIORITY Increment)
{
    PKTHREAD Thread = Apc->Thread;
    PKAPC_STATE ApcState;
    ULONG ApcMode = (UCHAR)Apc->ApcMode;        /* KernelMode or UserMode */

    if (Apc->Inserted)
        return FALSE;
    if (Apc->ApcStateIndex == InsertApcEnvironment)
        Apc->ApcStateIndex = (CHAR)Thread->ApcStateIndex;
    ApcState = Thread->ApcStatePointer[(UCHAR)Apc->ApcStateIndex];

    if (Apc->NormalRoutine == NULL)
        KipInsertSpecialApc(&ApcState->ApcListHead[ApcMode], Apc);
    else
        InsertTailList(&ApcState->ApcListHead[ApcMode], &Apc->ApcListEntry);
    Apc->Inserted = TRUE;

    /*
     * Queued to the environment the thread is not in now (its home process while
     * it is attached elsewhere): it waits there until the thread returns.
     */
    if ((UCHAR)Apc->ApcStateIndex != Thread->ApcStateIndex)
        return TRUE;

    if (ApcMode == KernelMode) {
        Thread->ApcState.KernelApcPending = TRUE;
        if (Thread == KeGetCurrentThread()) {
            /* Runs as soon as this thread's IRQL drops below APC_LEVEL. */
            HalRequestSoftwareInterrupt(APC_LEVEL);
        } else if (Thread->State == Waiting && Thread->WaitIrql == PASSIVE_LEVEL &&
                   (Apc->NormalRoutine == NULL ||
                    (Thread->KernelApcDisable == 0 && !Thread->ApcState.KernelApcInProgress))) {
            /* Interrupt its wait; the wait resumes by itself once the APC has run. */
            KiUnwaitThread(Thread, STATUS_KERNEL_APC, Increment);
        }
        /* Otherwise the context switch back to it, or its IRQL dropping, runs it. */
    } else if (Thread->State == Waiting && Thread->WaitMode == UserMode &&
               (Thread->Alertable || Thread->ApcState.UserApcPending)) {
        /* An alertable user-mode wait ends for it; so does any user-mode wait when
           delivery was asked for already (NT's rule: how a thread that is to end
           leaves a wait that is not alertable). */
        Thread->ApcState.UserApcPending = TRUE;
        KiUnwaitThread(Thread, STATUS_USER_APC, Increment);
    }
    return TRUE;
}

BOOLEAN KeInsertQueueApc(PKAPC Apc, PVOID SystemArgument1, PVOID SystemArgument2,
                         KPRIORITY Increment)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    BOOLEAN Inserted = FALSE;

    /* A thread that is ending takes no more; a queued APC keeps its arguments. */
    if (Apc->Thread->ApcQueueable && !Apc->Inserted) {
        Apc->SystemArgument1 = SystemArgument1;
        Apc->SystemArgument2 = SystemArgument2;
        Inserted = KiInsertQueueApc(Apc, Increment);
    }
    KiUnlockDispatcherDatabase(OldIrql);
    return Inserted;
}

BOOLEAN KeRemoveQueueApc(PKAPC Apc)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    BOOLEAN WasInserted = Apc->Inserted;
    PKAPC_STATE ApcState;

    if (WasInserted) {
        ApcState = Apc->Thread->ApcStatePointer[(UCHAR)Apc->ApcStateIndex];
        Apc->Inserted = FALSE;
        /* Nothing of that mode left: nothing pending either. */
        if (RemoveEntryList(&Apc->ApcListEntry)) {
            if (Apc->ApcMode == KernelMode)
                ApcState->KernelApcPending = FALSE;
            else
                ApcState->UserApcPending = FALSE;
        }
    }
    KiUnlockDispatcherDatabase(OldIrql);
    return WasInserted;
}

PLIST_ENTRY KeFlushQueueApc(PKTHREAD Thread, KPROCESSOR_MODE ProcessorMode)
{
    PLIST_ENTRY ListHead = &Thread->ApcState.ApcListHead[(UCHAR)ProcessorMode];
    PLIST_ENTRY First = NULL, Entry;
    KIRQL OldIrql = KiLockDispatcherDatabase();

    if (ProcessorMode == UserMode)
        Thread->ApcState.UserApcPending = FALSE;
    if (!IsListEmpty(ListHead)) {
        First = ListHead->Flink;
        /* Unlinking the head leaves the APCs in a ring of their own. */
        RemoveEntryList(ListHead);
        InitializeListHead(ListHead);
        Entry = First;
        do {
            CONTAINING_RECORD(Entry, KAPC, ApcListEntry)->Inserted = FALSE;
            Entry = Entry->Flink;
        } while (Entry != First);
    }
    KiUnlockDispatcherDatabase(OldIrql);
    return First;
}

/*
 * Entered at APC_LEVEL: by the APC_LEVEL software interrupt as IRQL drops below
 * it, or by KiCheckForKernelApcDelivery. Each APC is taken off its queue under the
 * lock and run without it, so its routines may queue APCs, wait, or free it.
 */
VOID KiDeliverApc(KPROCESSOR_MODE PreviousMode, PVOID ExceptionFrame, PKTRAP_FRAME TrapFrame)
{
    PKTHREAD Thread = KeGetCurrentThread();
    PLIST_ENTRY KernelList = &Thread->ApcState.ApcListHead[KernelMode];
    KIRQL OldIrql;

    Thread->ApcState.KernelApcPending = FALSE;
    OldIrql = KiLockDispatcherDatabase();
    while (!IsListEmpty(KernelList)) {
        PKAPC Apc = CONTAINING_RECORD(KernelList->Flink, KAPC, ApcListEntry);
        PKKERNEL_ROUTINE KernelRoutine = Apc->KernelRoutine;
        PKNORMAL_ROUTINE NormalRoutine = Apc->NormalRoutine;
        PVOID NormalContext = Apc->NormalContext;
        PVOID SystemArgument1 = Apc->SystemArgument1;
        PVOID SystemArgument2 = Apc->SystemArgument2;

        if (NormalRoutine == NULL) {
            /* Special: the kernel routine, and that is all. */
            RemoveEntryList(&Apc->ApcListEntry);
            Apc->Inserted = FALSE;
            KiUnlockDispatcherDatabase(OldIrql);
            KernelRoutine(Apc, &NormalRoutine, &NormalContext, &SystemArgument1,
                          &SystemArgument2);
        } else {
            /*
             * Normal: not inside a critical region or another normal APC. It stays
             * first in line, and the user APCs wait behind it; leaving the region
             * (or the APC) delivers it.
             */
            if (Thread->KernelApcDisable != 0 || Thread->ApcState.KernelApcInProgress) {
                KiUnlockDispatcherDatabase(OldIrql);
                return;
            }
            RemoveEntryList(&Apc->ApcListEntry);
            Apc->Inserted = FALSE;
            KiUnlockDispatcherDatabase(OldIrql);
            KernelRoutine(Apc, &NormalRoutine, &NormalContext, &SystemArgument1,
                          &SystemArgument2);
            /* The kernel routine may have cancelled the normal one. */
            if (NormalRoutine != NULL) {
                Thread->ApcState.KernelApcInProgress = TRUE;
                KeLowerIrql(PASSIVE_LEVEL);
                NormalRoutine(NormalContext, SystemArgument1, SystemArgument2);
                KeRaiseIrql(APC_LEVEL, &OldIrql);
                Thread->ApcState.KernelApcInProgress = FALSE;
            }
        }
        OldIrql = KiLockDispatcherDatabase();
    }

    /*
     * User APCs, on the way back to user mode (the system-service exit calls with
     * PreviousMode UserMode and its trap frame): the first one comes off the queue,
     * its kernel routine runs here, and KiInitializeUserApc edits the trap frame so
     * that the return enters ntdll!KiUserApcDispatcher, which runs the normal
     * routine and NtContinue(Context, TRUE) - whose alert test sets UserApcPending
     * again if more are queued. One per return to user mode, as in NT.
     */
    if (PreviousMode == UserMode && TrapFrame != NULL && Thread->ApcState.UserApcPending) {
        PLIST_ENTRY UserList = &Thread->ApcState.ApcListHead[UserMode];

        Thread->ApcState.UserApcPending = FALSE;
        if (!IsListEmpty(UserList)) {
            PKAPC Apc = CONTAINING_RECORD(UserList->Flink, KAPC, ApcListEntry);
            PKKERNEL_ROUTINE KernelRoutine = Apc->KernelRoutine;
            PKNORMAL_ROUTINE NormalRoutine = Apc->NormalRoutine;
            PVOID NormalContext = Apc->NormalContext;
            PVOID SystemArgument1 = Apc->SystemArgument1;
            PVOID SystemArgument2 = Apc->SystemArgument2;

            RemoveEntryList(&Apc->ApcListEntry);
            Apc->Inserted = FALSE;
            KiUnlockDispatcherDatabase(OldIrql);
            /* The kernel routine may free the APC, and may cancel the call. */
            KernelRoutine(Apc, &NormalRoutine, &NormalContext, &SystemArgument1,
                          &SystemArgument2);
            if (NormalRoutine == NULL)
                KeTestAlertThread(UserMode);    /* the next one, if any, next time */
            else
                KiInitializeUserApc(ExceptionFrame, TrapFrame, NormalRoutine, NormalContext,
                                    SystemArgument1, SystemArgument2);
            return;
        }
    }
    KiUnlockDispatcherDatabase(OldIrql);
}

VOID KiCheckForKernelApcDelivery(VOID)
{
    KIRQL OldIrql;

    if (KeGetCurrentIrql() == PASSIVE_LEVEL) {
        KeRaiseIrql(APC_LEVEL, &OldIrql);
        KiDeliverApc(KernelMode, NULL, NULL);
        KeLowerIrql(OldIrql);
    } else {
        KeGetCurrentThread()->ApcState.KernelApcPending = TRUE;
        HalRequestSoftwareInterrupt(APC_LEVEL);
    }
}

/*
 * Critical regions count up in KernelApcDisable (kobjects.h: > 0 inside one; NT
 * counts the same field downwards, which is equivalent).
 */
VOID KeEnterCriticalRegion(VOID)
{
    KeGetCurrentThread()->KernelApcDisable++;
}

VOID KeLeaveCriticalRegion(VOID)
{
    PKTHREAD Thread = KeGetCurrentThread();

    ASSERT(Thread->KernelApcDisable != 0);
    Thread->KernelApcDisable--;
    if (Thread->KernelApcDisable == 0 &&
        !IsListEmpty(&Thread->ApcState.ApcListHead[KernelMode]))
        KiCheckForKernelApcDelivery();
}

BOOLEAN KeAreApcsDisabled(VOID)
{
    return KeGetCurrentThread()->KernelApcDisable != 0;
}

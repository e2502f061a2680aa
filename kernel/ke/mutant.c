/*
 * mutant.c - mutants and kernel mutexes (NT: KeInitializeMutant, KeReleaseMutant,
 * KeInitializeMutex, KeReleaseMutex, KeRundownThread, in ke\mutntobj.c and
 * ke\thredobj.c).
 *
 * A mutant has an owner. SignalState is 1 when it is free, 0 when owned once, and
 * one less for every further acquisition by the same owner (recursion). The owner
 * keeps its mutants on KTHREAD.MutantListHead; when it ends they are released as
 * abandoned, and the next thread to get one learns it from its wait's status
 * (STATUS_ABANDONED_WAIT_0 + n). A kernel mutex is a mutant with ApcDisable 1:
 * owning one holds off normal kernel APCs, like a critical region.
 */
#include "waitp.h"

VOID KeInitializeMutant(PKMUTANT Mutant, BOOLEAN InitialOwner)
{
    KIRQL OldIrql;
    PKTHREAD Thread;

    Mutant->Header.Type = MutantObject;
    Mutant->Header.Absolute = FALSE;
    Mutant->Header.Size = sizeof(KMUTANT) / sizeof(LONG);
    Mutant->Header.Inserted = FALSE;
    InitializeListHead(&Mutant->Header.WaitListHead);
    Mutant->Abandoned = FALSE;
    Mutant->ApcDisable = 0;
    if (InitialOwner) {
        Thread = KeGetCurrentThread();
        Mutant->Header.SignalState = 0;
        Mutant->OwnerThread = Thread;
        OldIrql = KiLockDispatcherDatabase();
        InsertTailList(&Thread->MutantListHead, &Mutant->MutantListEntry);
        KiUnlockDispatcherDatabase(OldIrql);
    } else {
        Mutant->Header.SignalState = 1;
        Mutant->OwnerThread = NULL;
    }
}

VOID KeInitializeMutex(PKMUTEX Mutex, ULONG Level)
{
    UNREFERENCED_PARAMETER(Level);
    KeInitializeMutant(Mutex, FALSE);
    Mutex->ApcDisable = 1;
}

/*
 * The owner gives it up for good: off the owner's list, and the APC hold of a
 * kernel mutex lifted. Kernel APCs that were held back run once the database is
 * released (the request is made now, taken when IRQL drops).
 */
static VOID KipDisownMutant(PKMUTANT Mutant)
{
    PKTHREAD Owner = Mutant->OwnerThread;

    RemoveEntryList(&Mutant->MutantListEntry);
    Owner->KernelApcDisable -= Mutant->ApcDisable;
    if (Mutant->ApcDisable != 0 && Owner->KernelApcDisable == 0 &&
        Owner == KeGetCurrentThread() &&
        !IsListEmpty(&Owner->ApcState.ApcListHead[KernelMode])) {
        Owner->ApcState.KernelApcPending = TRUE;
        HalRequestSoftwareInterrupt(APC_LEVEL);
    }
    Mutant->OwnerThread = NULL;
}

NTSTATUS KeReleaseMutantChecked(PKMUTANT Mutant, KPRIORITY Increment, BOOLEAN Abandon,
                                BOOLEAN Wait, PLONG PreviousState)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    LONG OldState = Mutant->Header.SignalState;

    if (Abandon) {
        /* Free at once, however deep the owner held it. */
        Mutant->Header.SignalState = 1;
        Mutant->Abandoned = TRUE;
    } else {
        if (Mutant->OwnerThread != KeGetCurrentThread()) {
            KiUnlockDispatcherDatabase(OldIrql);
            return Mutant->Abandoned ? STATUS_ABANDONED : STATUS_MUTANT_NOT_OWNED;
        }
        Mutant->Header.SignalState++;
    }

    if (Mutant->Header.SignalState == 1) {
        if (OldState <= 0)
            KipDisownMutant(Mutant);
        if (!IsListEmpty(&Mutant->Header.WaitListHead))
            KiWaitTest(Mutant, Increment);
    }
    KiUnlockDispatcherForWait(OldIrql, Wait);
    *PreviousState = OldState;
    return STATUS_SUCCESS;
}

LONG KeReleaseMutant(PKMUTANT Mutant, KPRIORITY Increment, BOOLEAN Abandon, BOOLEAN Wait)
{
    LONG PreviousState;
    NTSTATUS Status;

    Status = KeReleaseMutantChecked(Mutant, Increment, Abandon, Wait, &PreviousState);
    if (Status != STATUS_SUCCESS)
        ExRaiseStatus(Status);
    return PreviousState;
}

LONG KeReleaseMutex(PKMUTEX Mutex, BOOLEAN Wait)
{
    return KeReleaseMutant(Mutex, MUTANT_INCREMENT, FALSE, Wait);
}

LONG KeReadStateMutant(PKMUTANT Mutant)
{
    return Mutant->Header.SignalState;
}

LONG KeReadStateMutex(PKMUTEX Mutex)
{
    return Mutex->Header.SignalState;
}

/*
 * The current thread is ending: every mutant it still owns becomes free and
 * abandoned. Ending while owning a kernel mutex is a bug in the kernel: NT's
 * THREAD_TERMINATE_HELD_MUTEX (thread, mutex).
 */
VOID KeRundownThread(VOID)
{
    PKTHREAD Thread = KeGetCurrentThread();
    KIRQL OldIrql = KiLockDispatcherDatabase();

    while (!IsListEmpty(&Thread->MutantListHead)) {
        PKMUTANT Mutant = CONTAINING_RECORD(Thread->MutantListHead.Flink, KMUTANT,
                                            MutantListEntry);

        if (Mutant->ApcDisable != 0)
            KeBugCheckEx(THREAD_TERMINATE_HELD_MUTEX, (ULONG_PTR)Thread, (ULONG_PTR)Mutant,
                         0, 0);
        RemoveEntryList(&Mutant->MutantListEntry);
        Mutant->Header.SignalState = 1;
        Mutant->Abandoned = TRUE;
        Mutant->OwnerThread = NULL;
        if (!IsListEmpty(&Mutant->Header.WaitListHead))
            KiWaitTest(Mutant, MUTANT_INCREMENT);
    }
    KiUnlockDispatcherDatabase(OldIrql);
}

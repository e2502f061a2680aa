/*
 * dpc.c - deferred procedure calls (NT: KeInitializeDpc, KeInsertQueueDpc,
 * KeRemoveQueueDpc, KiRetireDpcList).
 *
 * An interrupt handler does the urgent part of its work at device level and queues
 * a DPC for the rest, which runs at DISPATCH_LEVEL once no interrupt is in
 * progress: the clock queues one for expired timers, for instance. The queue is
 * guarded by turning interrupts off, since device-level code adds to it.
 */
#include "ki.h"

VOID KeInitializeDpc(PKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
    Dpc->Type = DpcObject;
    Dpc->Number = 0;
    Dpc->Importance = MediumImportance;
    Dpc->DeferredRoutine = DeferredRoutine;
    Dpc->DeferredContext = DeferredContext;
    Dpc->Lock = NULL;
}

BOOLEAN KeInsertQueueDpc(PKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    BOOLEAN Enabled = KiDisableInterrupts();

    if (Dpc->Lock != NULL) {            /* queued already: NT says FALSE, once is enough */
        KiRestoreInterrupts(Enabled);
        return FALSE;
    }
    if (Prcb->DpcListHead.Flink == NULL)
        InitializeListHead(&Prcb->DpcListHead);
    Dpc->Lock = (PULONG_PTR)&Prcb->DpcQueueDepth;
    Dpc->SystemArgument1 = SystemArgument1;
    Dpc->SystemArgument2 = SystemArgument2;
    if (Dpc->Importance == HighImportance)
        InsertHeadList(&Prcb->DpcListHead, &Dpc->DpcListEntry);
    else
        InsertTailList(&Prcb->DpcListHead, &Dpc->DpcListEntry);
    Prcb->DpcQueueDepth++;
    KiRestoreInterrupts(Enabled);
    HalRequestSoftwareInterrupt(DISPATCH_LEVEL);
    return TRUE;
}

BOOLEAN KeRemoveQueueDpc(PKDPC Dpc)
{
    BOOLEAN Enabled = KiDisableInterrupts(), Removed = FALSE;

    if (Dpc->Lock != NULL) {
        RemoveEntryList(&Dpc->DpcListEntry);
        KeGetCurrentPrcb()->DpcQueueDepth--;
        Dpc->Lock = NULL;
        Removed = TRUE;
    }
    KiRestoreInterrupts(Enabled);
    return Removed;
}

/* Takes the DPCs off the queue one by one and runs each with interrupts on. */
VOID KiRetireDpcList(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();

    for (;;) {
        BOOLEAN Enabled = KiDisableInterrupts();
        PKDPC Dpc;
        PKDEFERRED_ROUTINE Routine;
        PVOID Context, Argument1, Argument2;

        if (Prcb->DpcListHead.Flink == NULL || IsListEmpty(&Prcb->DpcListHead)) {
            KiRestoreInterrupts(Enabled);
            return;
        }
        Dpc = CONTAINING_RECORD(RemoveHeadList(&Prcb->DpcListHead), KDPC, DpcListEntry);
        Prcb->DpcQueueDepth--;
        /* Copy out before unlocking: the routine may queue the same DPC again. */
        Routine = Dpc->DeferredRoutine;
        Context = Dpc->DeferredContext;
        Argument1 = Dpc->SystemArgument1;
        Argument2 = Dpc->SystemArgument2;
        Dpc->Lock = NULL;
        Prcb->DpcRoutineActive = TRUE;
        _enable();
        Routine(Dpc, Context, Argument1, Argument2);
        _disable();
        Prcb->DpcRoutineActive = FALSE;
        KiRestoreInterrupts(Enabled);
    }
}

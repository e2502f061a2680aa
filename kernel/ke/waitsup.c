/*
 * waitsup.c - the dispatcher's side of waiting: what "signalled" means for each
 * kind of object, what satisfying a wait does to it, and how a waiting thread is
 * found and woken when an object becomes signalled (NT: KiWaitTest,
 * KiUnwaitThread, KiWaitSatisfyAny/All/Mutant/Other, in ke\waitsup.c and ki.h).
 *
 * The picture: a waiting thread has one KWAIT_BLOCK per object, linked in that
 * object's WaitListHead (oldest waiter first) and, through NextWaitBlock, in a ring
 * that Thread->WaitBlockList enters. A wait with a timeout adds the block of the
 * thread's own timer to the ring. Whoever signals an object calls KiWaitTest,
 * which walks the object's list and ends every wait it can; KiUnwaitThread takes
 * all of a thread's blocks off their lists at once and makes it ready.
 */
#include "waitp.h"

BOOLEAN KiIsObjectSignaled(PVOID Object, PKTHREAD Thread)
{
    PKMUTANT Mutant = Object;

    if (Mutant->Header.Type == MutantObject) {
        /* Its owner may take it again, as long as the count of recursions holds. */
        if (Mutant->OwnerThread == Thread)
            return Mutant->Header.SignalState != MINLONG;
    }
    return Mutant->Header.SignalState > 0;
}

/* A mutant taken by a wait (NT: KiWaitSatisfyMutant). */
static NTSTATUS KipWaitSatisfyMutant(PKMUTANT Mutant, PKTHREAD Thread)
{
    Mutant->Header.SignalState--;
    if (Mutant->Header.SignalState != 0)
        return STATUS_SUCCESS;          /* its owner, once more */

    /* A new owner: it goes on the owner's list, so that the owner's end frees it. */
    Mutant->OwnerThread = Thread;
    Thread->KernelApcDisable += Mutant->ApcDisable;     /* a kernel mutex */
    InsertTailList(&Thread->MutantListHead, &Mutant->MutantListEntry);
    if (Mutant->Abandoned) {
        Mutant->Abandoned = FALSE;
        return STATUS_ABANDONED;
    }
    return STATUS_SUCCESS;
}

NTSTATUS KiWaitSatisfyAny(PVOID Object, PKTHREAD Thread)
{
    PDISPATCHER_HEADER Header = Object;

    switch (Header->Type) {
    case MutantObject:
        return KipWaitSatisfyMutant(Object, Thread);
    case EventSynchronizationObject:
    case TimerSynchronizationObject:
        Header->SignalState = 0;        /* auto-reset: one waiter per signal */
        break;
    case SemaphoreObject:
        Header->SignalState--;
        break;
    default:
        break;      /* notification events and timers, threads, processes: stay */
    }
    return STATUS_SUCCESS;
}

NTSTATUS KiWaitSatisfyAll(PKWAIT_BLOCK WaitBlock)
{
    PKWAIT_BLOCK Block = WaitBlock;
    NTSTATUS Abandoned = STATUS_SUCCESS;

    do {
        if (!KiIsTimerWaitBlock(Block))
            Abandoned |= KiWaitSatisfyAny(Block->Object, Block->Thread);
        Block = Block->NextWaitBlock;
    } while (Block != WaitBlock);
    return Abandoned;
}

/* Every object of this WaitAll (ring from WaitBlock) could be satisfied now. */
static BOOLEAN KipIsWaitAllSatisfiable(PKWAIT_BLOCK WaitBlock)
{
    PKWAIT_BLOCK Block = WaitBlock;

    do {
        if (!KiIsTimerWaitBlock(Block) && !KiIsObjectSignaled(Block->Object, Block->Thread))
            return FALSE;
        Block = Block->NextWaitBlock;
    } while (Block != WaitBlock);
    return TRUE;
}

VOID KiWaitTest(PVOID Object, KPRIORITY Increment)
{
    PDISPATCHER_HEADER Header = Object;
    PLIST_ENTRY ListHead = &Header->WaitListHead;
    PLIST_ENTRY Entry = ListHead->Flink;

    /* Oldest waiter first, for as long as the object has something to give. */
    while (Header->SignalState > 0 && Entry != ListHead) {
        PKWAIT_BLOCK WaitBlock = CONTAINING_RECORD(Entry, KWAIT_BLOCK, WaitListEntry);
        PKTHREAD Thread = WaitBlock->Thread;
        NTSTATUS WaitStatus;

        if (WaitBlock->WaitType == WaitAny) {
            WaitStatus = WaitBlock->WaitKey | KiWaitSatisfyAny(Object, Thread);
        } else if (KipIsWaitAllSatisfiable(WaitBlock)) {
            WaitStatus = STATUS_WAIT_0 | KiWaitSatisfyAll(WaitBlock);
        } else {
            Entry = Entry->Flink;       /* a WaitAll that must wait for the others */
            continue;
        }
        /*
         * Unwaiting takes every block of this thread off its list, possibly the
         * next one here too. The block before this one stays: its thread was
         * passed over and keeps waiting. So carry on from there.
         */
        Entry = Entry->Blink;
        KiUnwaitThread(Thread, WaitStatus, Increment);
        Entry = Entry->Flink;
    }
}

/*
 * The boost a woken thread gets (NT: the boost part of KiUnwaitThread): its base
 * priority plus Increment, if that is more than it has, kept below the real-time
 * range. Real-time threads are never boosted. The boost wears off at quantum ends
 * (the scheduler's part); NT's further quantum adjustment on wake is not made.
 */
static VOID KipBoostPriority(PKTHREAD Thread, KPRIORITY Increment)
{
    KPRIORITY NewPriority;

    if (Thread->Priority >= LOW_REALTIME_PRIORITY || Thread->DisableBoost || Increment <= 0)
        return;
    NewPriority = Thread->BasePriority + Increment;
    if (NewPriority >= LOW_REALTIME_PRIORITY)
        NewPriority = LOW_REALTIME_PRIORITY - 1;
    if (NewPriority > Thread->Priority)
        Thread->Priority = (CHAR)NewPriority;
}

VOID KiUnwaitThread(PKTHREAD Thread, LONG WaitStatus, KPRIORITY Increment)
{
    PKWAIT_BLOCK WaitBlock = Thread->WaitBlockList;

    ASSERT(Thread->State == Waiting);
    Thread->WaitStatus = WaitStatus;
    if (WaitBlock != NULL) {
        do {
            RemoveEntryList(&WaitBlock->WaitListEntry);
            WaitBlock = WaitBlock->NextWaitBlock;
        } while (WaitBlock != Thread->WaitBlockList);
    }
    if (Thread->Timer.Header.Inserted)
        KiRemoveTimer(&Thread->Timer);
    KipBoostPriority(Thread, Increment);
    KiReadyThread(Thread);
}

VOID KiUnlockDispatcherForWait(KIRQL OldIrql, BOOLEAN Wait)
{
    PKTHREAD Thread;

    if (!Wait) {
        KiUnlockDispatcherDatabase(OldIrql);
        return;
    }
    /* The wait that follows finds the database held and the IRQL to go back to. */
    Thread = KeGetCurrentThread();
    Thread->WaitNext = TRUE;
    Thread->WaitIrql = OldIrql;
}

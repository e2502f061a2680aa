/*
 * test_mutant.c - host tests of mutants and kernel mutexes (kernel/ke/mutant.c
 * with the wait code): ownership, recursion, hand-over to the first waiter,
 * releases by the wrong thread, abandonment when the owner ends
 * (STATUS_ABANDONED_WAIT_0 + n), the APC hold of a kernel mutex.
 */
#include <stdio.h>
#include <string.h>

#include "kehost.h"

static KTHREAD ThreadA, ThreadB;
static KMUTANT Mutant, Mutant2;
static KMUTEX Mutex;
static KEVENT AutoEvent, ManualEvent;

static int Setup(void **State)
{
    KhReset(State);
    KhInitThread(&ThreadA, 8);
    KhInitThread(&ThreadB, 8);
    KeInitializeMutant(&Mutant, FALSE);
    KeInitializeMutant(&Mutant2, FALSE);
    KeInitializeMutex(&Mutex, 0);
    KeInitializeEvent(&AutoEvent, SynchronizationEvent, FALSE);
    KeInitializeEvent(&ManualEvent, NotificationEvent, FALSE);
    return 0;
}

static NTSTATUS Wait(PVOID Object)
{
    return KeWaitForSingleObject(Object, Executive, KernelMode, FALSE, NULL);
}

static VOID ReleaseMutantAs(PVOID Context)
{
    KeReleaseMutant(Context, MUTANT_INCREMENT, FALSE, FALSE);
}

static VOID RundownAs(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeRundownThread();
}

static void test_mutant_initialize(void **State)
{
    KMUTANT Owned;

    UNREFERENCED_PARAMETER(State);
    assert_int_equal(Mutant.Header.Type, MutantObject);
    assert_int_equal(Mutant.Header.Size, sizeof(KMUTANT) / sizeof(LONG));
    assert_int_equal(KeReadStateMutant(&Mutant), 1);
    assert_null(Mutant.OwnerThread);
    assert_false(Mutant.Abandoned);
    assert_int_equal(Mutant.ApcDisable, 0);

    KeInitializeMutant(&Owned, TRUE);
    assert_int_equal(KeReadStateMutant(&Owned), 0);
    assert_ptr_equal(Owned.OwnerThread, &KhMainThread);
    assert_ptr_equal(KhMainThread.MutantListHead.Flink, &Owned.MutantListEntry);
    assert_int_equal(KeReleaseMutant(&Owned, 0, FALSE, FALSE), 0);
    assert_true(IsListEmpty(&KhMainThread.MutantListHead));

    assert_int_equal(Mutex.ApcDisable, 1);
    assert_int_equal(KeReadStateMutex(&Mutex), 1);
    KH_ASSERT_IDLE();
}

static void test_mutant_recursion(void **State)
{
    UNREFERENCED_PARAMETER(State);
    assert_int_equal(Wait(&Mutant), STATUS_WAIT_0);
    assert_ptr_equal(Mutant.OwnerThread, &KhMainThread);
    assert_int_equal(KeReadStateMutant(&Mutant), 0);
    assert_int_equal(Wait(&Mutant), STATUS_WAIT_0);
    assert_int_equal(Wait(&Mutant), STATUS_WAIT_0);
    assert_int_equal(KeReadStateMutant(&Mutant), -2);
    assert_int_equal(KhListLength(&KhMainThread.MutantListHead), 1);   /* listed once */

    assert_int_equal(KeReleaseMutant(&Mutant, 0, FALSE, FALSE), -2);
    assert_int_equal(KeReleaseMutant(&Mutant, 0, FALSE, FALSE), -1);
    assert_ptr_equal(Mutant.OwnerThread, &KhMainThread);
    assert_int_equal(KeReleaseMutant(&Mutant, 0, FALSE, FALSE), 0);
    assert_int_equal(KeReadStateMutant(&Mutant), 1);
    assert_null(Mutant.OwnerThread);
    assert_true(IsListEmpty(&KhMainThread.MutantListHead));
    assert_int_equal(KhSwapCount, 0);
    KH_ASSERT_IDLE();
}

static void test_release_by_a_non_owner_raises(void **State)
{
    LONG Previous;

    UNREFERENCED_PARAMETER(State);
    /* Free: nobody may release it. */
    KH_EXPECT_RAISE(STATUS_MUTANT_NOT_OWNED, KeReleaseMutant(&Mutant, 0, FALSE, FALSE));
    KH_ASSERT_IDLE();

    assert_int_equal(KhStartWaitSingle(&ThreadA, &Mutant), STATUS_WAIT_0);
    assert_ptr_equal(Mutant.OwnerThread, &ThreadA);
    KH_EXPECT_RAISE(STATUS_MUTANT_NOT_OWNED, KeReleaseMutant(&Mutant, 0, FALSE, TRUE));
    KH_ASSERT_IDLE();
    assert_false(KhMainThread.WaitNext);
    assert_int_equal(KeReadStateMutant(&Mutant), 0);
    assert_ptr_equal(Mutant.OwnerThread, &ThreadA);
    assert_int_equal(KeReleaseMutantChecked(&Mutant, 0, FALSE, FALSE, &Previous),
                     STATUS_MUTANT_NOT_OWNED);
    KH_ASSERT_IDLE();
}

static void test_last_release_hands_the_mutant_to_the_first_waiter(void **State)
{
    UNREFERENCED_PARAMETER(State);
    Wait(&Mutant);
    Wait(&Mutant);
    assert_int_equal(KhStartWaitSingle(&ThreadA, &Mutant), STATUS_PENDING);
    assert_int_equal(KhStartWaitSingle(&ThreadB, &Mutant), STATUS_PENDING);

    /* One level left: nobody wakes. */
    KeReleaseMutant(&Mutant, MUTANT_INCREMENT, FALSE, FALSE);
    assert_int_equal(KhReadyCount, 0);

    KeReleaseMutant(&Mutant, MUTANT_INCREMENT, FALSE, FALSE);
    assert_int_equal(KhReadyCount, 1);
    assert_ptr_equal(KhReadied[0], &ThreadA);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0);
    assert_ptr_equal(Mutant.OwnerThread, &ThreadA);
    assert_int_equal(KeReadStateMutant(&Mutant), 0);
    assert_ptr_equal(ThreadA.MutantListHead.Flink, &Mutant.MutantListEntry);
    assert_true(IsListEmpty(&KhMainThread.MutantListHead));
    assert_int_equal(ThreadB.State, Waiting);

    KhRunAs(&ThreadA, ReleaseMutantAs, &Mutant);
    assert_ptr_equal(KhReadied[1], &ThreadB);
    assert_ptr_equal(Mutant.OwnerThread, &ThreadB);
    assert_true(IsListEmpty(&ThreadA.MutantListHead));
    KH_ASSERT_IDLE();
}

static VOID SetAutoEventHook(PKTHREAD Waiter, ULONG SwapNumber)
{
    UNREFERENCED_PARAMETER(Waiter);
    UNREFERENCED_PARAMETER(SwapNumber);
    KeSetEvent(&AutoEvent, 0, FALSE);
}

static void test_owner_counts_as_signalled_in_wait_all(void **State)
{
    static PVOID Objects[2] = { &Mutant, &AutoEvent };

    UNREFERENCED_PARAMETER(State);
    Wait(&Mutant);
    KhSwapHook = SetAutoEventHook;
    assert_int_equal(KeWaitForMultipleObjects(2, Objects, WaitAll, Executive, KernelMode,
                                              FALSE, NULL, NULL), STATUS_WAIT_0);
    assert_int_equal(KeReadStateMutant(&Mutant), -1);
    assert_int_equal(KeReadStateEvent(&AutoEvent), 0);

    /* The same, seen from KiWaitTest: a blocked owner. */
    KhStartWaitSingle(&ThreadA, &Mutant2);
    assert_int_equal(KhStartWait(&ThreadA, 2, (PVOID[]){ &Mutant2, &AutoEvent }, WaitAll,
                                 KernelMode, FALSE, NULL, NULL), STATUS_PENDING);
    KeSetEvent(&AutoEvent, 0, FALSE);
    assert_int_equal(ThreadA.State, Ready);
    assert_int_equal(ThreadA.WaitStatus, STATUS_WAIT_0);
    assert_int_equal(KeReadStateMutant(&Mutant2), -1);
}

static void test_owner_end_abandons_its_mutants(void **State)
{
    UNREFERENCED_PARAMETER(State);
    assert_int_equal(KhStartWaitSingle(&ThreadA, &Mutant), STATUS_WAIT_0);
    assert_int_equal(KhStartWaitSingle(&ThreadA, &Mutant), STATUS_WAIT_0);  /* twice */
    assert_int_equal(KhStartWaitSingle(&ThreadA, &Mutant2), STATUS_WAIT_0);
    assert_int_equal(KhStartWait(&ThreadB, 3, (PVOID[]){ &AutoEvent, &ManualEvent, &Mutant },
                                 WaitAny, KernelMode, FALSE, NULL, NULL), STATUS_PENDING);

    KhRunAs(&ThreadA, RundownAs, NULL);
    assert_true(IsListEmpty(&ThreadA.MutantListHead));
    assert_int_equal(ThreadB.State, Ready);
    assert_int_equal(ThreadB.WaitStatus, STATUS_ABANDONED_WAIT_0 + 2);
    /* The new owner has it, and is told once: the flag is spent. */
    assert_ptr_equal(Mutant.OwnerThread, &ThreadB);
    assert_false(Mutant.Abandoned);
    assert_int_equal(KeReadStateMutant(&Mutant), 0);
    /* Nobody waited for the other: free, and abandoned until someone takes it. */
    assert_null(Mutant2.OwnerThread);
    assert_true(Mutant2.Abandoned);
    assert_int_equal(KeReadStateMutant(&Mutant2), 1);

    assert_int_equal(Wait(&Mutant2), STATUS_ABANDONED_WAIT_0);
    assert_false(Mutant2.Abandoned);
    KeReleaseMutant(&Mutant2, 0, FALSE, FALSE);
    assert_int_equal(Wait(&Mutant2), STATUS_WAIT_0);
    KH_ASSERT_IDLE();
}

static void test_release_of_an_abandoned_free_mutant_raises_abandoned(void **State)
{
    LONG Previous;

    UNREFERENCED_PARAMETER(State);
    KhStartWaitSingle(&ThreadA, &Mutant);
    KhRunAs(&ThreadA, RundownAs, NULL);
    KH_EXPECT_RAISE(STATUS_ABANDONED, KeReleaseMutant(&Mutant, 0, FALSE, FALSE));
    assert_int_equal(KeReleaseMutantChecked(&Mutant, 0, FALSE, FALSE, &Previous),
                     STATUS_ABANDONED);
    assert_int_equal(KeReadStateMutant(&Mutant), 1);
    KH_ASSERT_IDLE();
}

static void test_release_with_abandon(void **State)
{
    UNREFERENCED_PARAMETER(State);
    Wait(&Mutant);
    Wait(&Mutant);
    KhStartWaitSingle(&ThreadA, &Mutant);
    /* However deep it was held, it is free at once. */
    assert_int_equal(KeReleaseMutant(&Mutant, 0, TRUE, FALSE), -1);
    assert_true(IsListEmpty(&KhMainThread.MutantListHead));
    assert_int_equal(ThreadA.WaitStatus, STATUS_ABANDONED_WAIT_0);
    assert_ptr_equal(Mutant.OwnerThread, &ThreadA);
    KH_ASSERT_IDLE();
}

static void test_wait_all_with_an_abandoned_mutant(void **State)
{
    PVOID Objects[2] = { &ManualEvent, &Mutant };

    UNREFERENCED_PARAMETER(State);
    KhStartWaitSingle(&ThreadA, &Mutant);
    KhRunAs(&ThreadA, RundownAs, NULL);
    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(KeWaitForMultipleObjects(2, Objects, WaitAll, Executive, KernelMode,
                                              FALSE, NULL, NULL), STATUS_ABANDONED_WAIT_0);
    assert_ptr_equal(Mutant.OwnerThread, &KhMainThread);
    KH_ASSERT_IDLE();
}

static ULONG NormalApcRuns;

static VOID NormalApcKernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine,
                                   PVOID *NormalContext, PVOID *Argument1, PVOID *Argument2)
{
    UNREFERENCED_PARAMETER(Apc);
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
}

static VOID NormalApcRoutine(PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    assert_int_equal(KhIrql, PASSIVE_LEVEL);
    NormalApcRuns++;
}

static void test_kernel_mutex_holds_normal_kernel_apcs(void **State)
{
    KAPC Apc;

    UNREFERENCED_PARAMETER(State);
    NormalApcRuns = 0;
    assert_int_equal(Wait(&Mutex), STATUS_WAIT_0);
    assert_int_equal(KhMainThread.KernelApcDisable, 1);
    assert_true(KeAreApcsDisabled());
    Wait(&Mutex);       /* recursion does not count twice */
    assert_int_equal(KhMainThread.KernelApcDisable, 1);

    KeInitializeApc(&Apc, &KhMainThread, OriginalApcEnvironment, NormalApcKernelRoutine,
                    NULL, NormalApcRoutine, KernelMode, NULL);
    assert_true(KeInsertQueueApc(&Apc, NULL, NULL, 0));
    assert_int_equal(NormalApcRuns, 0);
    KeReleaseMutex(&Mutex, FALSE);
    assert_int_equal(NormalApcRuns, 0);
    assert_int_equal(KeReleaseMutex(&Mutex, FALSE), 0);
    assert_int_equal(KhMainThread.KernelApcDisable, 0);
    assert_false(KeAreApcsDisabled());
    assert_int_equal(NormalApcRuns, 1);     /* delivered as the lock was released */
    KH_ASSERT_IDLE();
}

static void test_ending_while_owning_a_kernel_mutex_bugchecks(void **State)
{
    UNREFERENCED_PARAMETER(State);
    Wait(&Mutex);
    KH_EXPECT_BUGCHECK(THREAD_TERMINATE_HELD_MUTEX, KeRundownThread());
    assert_int_equal(KhBugCheckParameter[0], (ULONG_PTR)&KhMainThread);
    assert_int_equal(KhBugCheckParameter[1], (ULONG_PTR)&Mutex);
}

static void test_recursion_limit_raises(void **State)
{
    UNREFERENCED_PARAMETER(State);
    Wait(&Mutant);
    Mutant.Header.SignalState = MINLONG;        /* as deep as a LONG goes */
    KH_EXPECT_RAISE(STATUS_MUTANT_LIMIT_EXCEEDED, Wait(&Mutant));
    assert_int_equal(KeReadStateMutant(&Mutant), MINLONG);
    KH_ASSERT_IDLE();
    /* Another thread just waits for it. */
    assert_int_equal(KhStartWaitSingle(&ThreadA, &Mutant), STATUS_PENDING);
}

static void test_release_with_wait_keeps_the_lock(void **State)
{
    UNREFERENCED_PARAMETER(State);
    Wait(&Mutant);
    KeSetEvent(&ManualEvent, 0, FALSE);
    assert_int_equal(KeReleaseMutant(&Mutant, 0, FALSE, TRUE), 0);
    assert_int_equal(KhIrql, DISPATCH_LEVEL);
    assert_int_equal(Wait(&ManualEvent), STATUS_WAIT_0);
    KH_ASSERT_IDLE();
}

#define MUTANT_TEST(Function) cmocka_unit_test_setup(Function, Setup)

int main(void)
{
    const struct CMUnitTest Tests[] = {
        MUTANT_TEST(test_mutant_initialize),
        MUTANT_TEST(test_mutant_recursion),
        MUTANT_TEST(test_release_by_a_non_owner_raises),
        MUTANT_TEST(test_last_release_hands_the_mutant_to_the_first_waiter),
        MUTANT_TEST(test_owner_counts_as_signalled_in_wait_all),
        MUTANT_TEST(test_owner_end_abandons_its_mutants),
        MUTANT_TEST(test_release_of_an_abandoned_free_mutant_raises_abandoned),
        MUTANT_TEST(test_release_with_abandon),
        MUTANT_TEST(test_wait_all_with_an_abandoned_mutant),
        MUTANT_TEST(test_kernel_mutex_holds_normal_kernel_apcs),
        MUTANT_TEST(test_ending_while_owning_a_kernel_mutex_bugchecks),
        MUTANT_TEST(test_recursion_limit_raises),
        MUTANT_TEST(test_release_with_wait_keeps_the_lock),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

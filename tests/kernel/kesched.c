/*
 * kesched.c - self-tests: threads, scheduling, preemption, the FPU.
 */
#include "kethread.h"
#include "mmtest.h"

/* ---- event ping-pong: two threads hand control back and forth ---- */

#define KST_PINGPONG_ROUNDS 1000

typedef struct _KST_PINGPONG {
    KEVENT Ping, Pong;
    volatile ULONG Pings, Pongs;
} KST_PINGPONG;

static VOID KstPinger(PVOID Context)
{
    KST_PINGPONG *Game = Context;
    ULONG Round;

    for (Round = 0; Round < KST_PINGPONG_ROUNDS; Round++) {
        Game->Pings++;
        KeSetEvent(&Game->Ping, 0, FALSE);
        KeWaitForSingleObject(&Game->Pong, Executive, KernelMode, FALSE, NULL);
    }
}

static VOID KstPonger(PVOID Context)
{
    KST_PINGPONG *Game = Context;
    ULONG Round;

    for (Round = 0; Round < KST_PINGPONG_ROUNDS; Round++) {
        KeWaitForSingleObject(&Game->Ping, Executive, KernelMode, FALSE, NULL);
        /* The pinger is blocked until we answer: the counts are in step. */
        if (Game->Pongs + 1 != Game->Pings)
            return;
        Game->Pongs++;
        KeSetEvent(&Game->Pong, 0, FALSE);
    }
}

static NTSTATUS KstEventPingPong(VOID)
{
    static KST_PINGPONG Game;
    KST_MM_BASELINE Baseline;
    PKTHREAD Pinger, Ponger;

    KstTakeBaseline(&Baseline);
    KeInitializeEvent(&Game.Ping, SynchronizationEvent, FALSE);
    KeInitializeEvent(&Game.Pong, SynchronizationEvent, FALSE);
    Game.Pings = Game.Pongs = 0;
    Ponger = KstCreateThread(KstPonger, &Game, 8);
    Pinger = KstCreateThread(KstPinger, &Game, 8);
    KST_CHECK(Pinger != NULL && Ponger != NULL);
    KST_CHECK(KstJoinThread(Pinger) == STATUS_SUCCESS);
    KST_CHECK(KstJoinThread(Ponger) == STATUS_SUCCESS);
    DbgPrint("    %lu pings, %lu pongs\n", Game.Pings, Game.Pongs);
    KST_CHECK(Game.Pings == KST_PINGPONG_ROUNDS && Game.Pongs == KST_PINGPONG_ROUNDS);
    /* Both threads' stacks and objects are gone. */
    return KstCheckBaseline(&Baseline, "after ping-pong");
}
KSELFTEST(KE_EVENT_PINGPONG, KstEventPingPong);

/* ---- preemption: a higher priority runs at once, a lower one waits its turn ---- */

static volatile ULONG KstRanAt;

static VOID KstRecordTick(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KstRanAt = KeTickCount + 1;     /* +1: never 0 */
}

static NTSTATUS KstPreemption(VOID)
{
    PKTHREAD Thread;
    KPRIORITY Mine = KeQueryPriorityThread(KeGetCurrentThread());

    KST_CHECK(Mine == 8);
    KstRanAt = 0;
    Thread = KstCreateThread(KstRecordTick, NULL, 12);
    KST_CHECK(Thread != NULL);
    /* It outranks us: it ran before KeStartThread even returned. */
    KST_CHECK(KstRanAt != 0);
    KST_CHECK(KstJoinThread(Thread) == STATUS_SUCCESS);

    KstRanAt = 0;
    Thread = KstCreateThread(KstRecordTick, NULL, 4);
    KST_CHECK(Thread != NULL);
    /* Below us: it cannot run while we do not wait, however long we spin. */
    {
        ULONG Start = KeTickCount;
        while (KeTickCount - Start < 5)
            ;
    }
    KST_CHECK(KstRanAt == 0);
    KST_CHECK(KstJoinThread(Thread) == STATUS_SUCCESS);
    KST_CHECK(KstRanAt != 0);

    /* Raising a ready thread's priority above ours makes it run at once. */
    KstRanAt = 0;
    Thread = KstCreateThread(KstRecordTick, NULL, 4);
    KST_CHECK(Thread != NULL && KstRanAt == 0);
    KST_CHECK(KeSetPriorityThread(Thread, 14) == 4);
    KST_CHECK(KstRanAt != 0);
    KST_CHECK(KstJoinThread(Thread) == STATUS_SUCCESS);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_PREEMPTION, KstPreemption);

/* ---- round robin: two busy threads of equal priority both make progress ---- */

typedef struct _KST_SPINNER {
    volatile ULONG Count;
    ULONG Until;
} KST_SPINNER;

static VOID KstSpin(PVOID Context)
{
    KST_SPINNER *Spinner = Context;

    while ((LONG)(KeTickCount - Spinner->Until) < 0)
        Spinner->Count++;
}

static NTSTATUS KstRoundRobin(VOID)
{
    static KST_SPINNER First, Second;
    PKTHREAD A, B;

    First.Count = Second.Count = 0;
    First.Until = Second.Until = KeTickCount + 30;
    /* Both above us once we step down, so they run while we only wait for them;
       above them while creating both, so neither starts before the other exists. */
    KeSetPriorityThread(KeGetCurrentThread(), 11);
    A = KstCreateThread(KstSpin, &First, 10);
    B = KstCreateThread(KstSpin, &Second, 10);
    KeSetPriorityThread(KeGetCurrentThread(), 8);
    KST_CHECK(A != NULL && B != NULL);
    KST_CHECK(KstJoinThread(A) == STATUS_SUCCESS);
    KST_CHECK(KstJoinThread(B) == STATUS_SUCCESS);
    DbgPrint("    counts %lu and %lu\n", First.Count, Second.Count);
    /* Each had turns over 30 ticks (a quantum is 2): neither starved. */
    KST_CHECK(First.Count > 0 && Second.Count > 0);
    KST_CHECK(First.Count > Second.Count / 4 && Second.Count > First.Count / 4);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_ROUND_ROBIN, KstRoundRobin);

/* ---- the FPU: each thread keeps its own registers ---- */

static VOID KstFpuWork(PVOID Context)
{
    volatile LONG *Result = Context;
    LONG Round, Value = 0;

    /* Load a distinct value into st(0), yield, and check it survived the others. */
    for (Round = 0; Round < 50; Round++) {
        LONG In = Round * 1000 + (LONG)(ULONG_PTR)Context % 997, Out;
        __asm__ volatile("fildl %0" : : "m"(In));
        KeYieldExecution();
        KeDelayExecutionThread(KernelMode, FALSE, &(LARGE_INTEGER){ .QuadPart = -1 });
        __asm__ volatile("fistpl %0" : "=m"(Out));
        if (Out != In) {
            *Result = -1;
            return;
        }
        Value++;
    }
    *Result = Value;
}

static NTSTATUS KstFpu(VOID)
{
    static volatile LONG Results[3];
    PKTHREAD Threads[3];
    ULONG Index;

    for (Index = 0; Index < 3; Index++) {
        Results[Index] = 0;
        Threads[Index] = KstCreateThread(KstFpuWork, (PVOID)&Results[Index], 9);
        KST_CHECK(Threads[Index] != NULL);
    }
    for (Index = 0; Index < 3; Index++)
        KST_CHECK(KstJoinThread(Threads[Index]) == STATUS_SUCCESS);
    for (Index = 0; Index < 3; Index++)
        KST_CHECK(Results[Index] == 50);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_FPU, KstFpu);

/* ---- a thread's end is a signal; and it gets its times ---- */

static VOID KstBusyTicks(PVOID Context)
{
    ULONG Start = KeTickCount;
    UNREFERENCED_PARAMETER(Context);
    while (KeTickCount - Start < 3)
        ;
}

static ULONG KstRundowns;

static VOID KstCountRundown(PKAPC Apc)
{
    UNREFERENCED_PARAMETER(Apc);
    KstRundowns++;
}

static VOID KstApcKernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                                PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    UNREFERENCED_PARAMETER(Apc);
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
}

static VOID KstApcNormalRoutine(PVOID NormalContext, PVOID SystemArgument1, PVOID SystemArgument2)
{
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
}

static NTSTATUS KstThreadEnd(VOID)
{
    PKTHREAD Thread = KstCreateThread(KstBusyTicks, NULL, 7);
    LARGE_INTEGER Poll = { .QuadPart = 0 };
    KAPC Queued, Late;

    KST_CHECK(Thread != NULL);
    /* A user APC for a thread that never goes to user mode: still queued when the
       thread ends, so its rundown routine runs instead. */
    KstRundowns = 0;
    KeInitializeApc(&Queued, Thread, OriginalApcEnvironment, KstApcKernelRoutine, KstCountRundown,
                    KstApcNormalRoutine, UserMode, NULL);
    KST_CHECK(KeInsertQueueApc(&Queued, NULL, NULL, 0));
    KST_CHECK(KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, &Poll) == STATUS_TIMEOUT);
    KST_CHECK(KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL) == STATUS_SUCCESS);
    KST_CHECK(Thread->State == Terminated && Thread->Header.SignalState == 1);
    KST_CHECK(Thread->KernelTime >= 2);
    /* Signalled for good: another wait returns at once. */
    KST_CHECK(KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, &Poll) == STATUS_SUCCESS);
    /* Its queued APC was run down, and it takes no more. */
    KST_CHECK(KstRundowns == 1 && !Queued.Inserted);
    KeInitializeApc(&Late, Thread, OriginalApcEnvironment, KstApcKernelRoutine, KstCountRundown,
                    KstApcNormalRoutine, UserMode, NULL);
    KST_CHECK(!KeInsertQueueApc(&Late, NULL, NULL, 0));
    return KstJoinThread(Thread);
}
KSELFTEST(KE_THREAD_END, KstThreadEnd);

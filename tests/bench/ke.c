/*
 * ke.c - dispatcher benchmarks: a context switch, a wait satisfied at once.
 */
#include <bench.h>
#include <ke.h>
#include <kewait.h>
#include <ex.h>
#include <rtl.h>

#define KB_ROUNDS 2000
#define KB_TAG EX_POOL_TAG('K', 'b', 'T', 'h')

typedef struct _KB_PINGPONG {
    KEVENT Ping, Pong;
} KB_PINGPONG;

static VOID KbPonger(PVOID Context)
{
    KB_PINGPONG *Game = Context;
    ULONG Round;

    for (Round = 0; Round < KB_ROUNDS; Round++) {
        KeWaitForSingleObject(&Game->Ping, Executive, KernelMode, FALSE, NULL);
        KeSetEvent(&Game->Pong, 0, FALSE);
    }
}

/*
 * Event ping-pong between this thread and another of the same priority: each round
 * trip is two waits, two sets and two context switches. Half a round trip is what
 * NT's literature calls the cost of a context switch (through the dispatcher).
 */
static ULONGLONG KbContextSwitch(VOID)
{
    static KB_PINGPONG Game;
    PKTHREAD Thread = ExAllocatePoolWithTag(NonPagedPool, sizeof(KTHREAD), KB_TAG);
    ULONGLONG Start, Elapsed;
    ULONG Round;

    if (Thread == NULL)
        return 0;
    KeInitializeEvent(&Game.Ping, SynchronizationEvent, FALSE);
    KeInitializeEvent(&Game.Pong, SynchronizationEvent, FALSE);
    if (!NT_SUCCESS(KeInitThread(Thread, KeGetSystemProcess(), KbPonger, &Game,
                                 KeQueryPriorityThread(KeGetCurrentThread())))) {
        ExFreePoolWithTag(Thread, KB_TAG);
        return 0;
    }
    KeStartThread(Thread);
    Start = __rdtsc();
    for (Round = 0; Round < KB_ROUNDS; Round++) {
        KeSetEvent(&Game.Ping, 0, FALSE);
        KeWaitForSingleObject(&Game.Pong, Executive, KernelMode, FALSE, NULL);
    }
    Elapsed = __rdtsc() - Start;
    KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL);
    ExFreePoolWithTag(Thread, KB_TAG);
    return RtlpDivide64By32(Elapsed, KB_ROUNDS * 2, NULL);
}
KBENCH(context_switch, KbContextSwitch, "instructions per switch (event ping-pong round trip / 2)");

static KEVENT KbSignalled;

static VOID KbWaitSignalled(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    KeWaitForSingleObject(&KbSignalled, Executive, KernelMode, FALSE, NULL);
}

static ULONGLONG KbWaitAtOnce(VOID)
{
    KeInitializeEvent(&KbSignalled, NotificationEvent, TRUE);
    return KeBenchLoop(KbWaitSignalled, NULL, 1000);
}
KBENCH(wait_satisfied_at_once, KbWaitAtOnce, "instructions per KeWaitForSingleObject on a signalled event");

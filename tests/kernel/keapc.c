/*
 * keapc.c - self-tests: kernel APCs, alerts, suspend and resume.
 */
#include "kethread.h"

/* ---- APC order: special kernel APCs first, in order, then normal ones ---- */

#define KST_APCS 6

typedef struct _KST_APC_LOG {
    ULONG Order[KST_APCS * 2];
    ULONG Count;
    KIRQL KernelIrql, NormalIrql;
    KEVENT Go;
} KST_APC_LOG;

static KST_APC_LOG KstLog;

static VOID KstApcKernelRoutine(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                                PVOID *Argument1, PVOID *Argument2)
{
    UNREFERENCED_PARAMETER(Apc);
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(Argument2);
    KstLog.KernelIrql = KeGetCurrentIrql();
    KstLog.Order[KstLog.Count++] = (ULONG)(ULONG_PTR)*Argument1;
}

static VOID KstApcNormalRoutine(PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument2);
    KstLog.NormalIrql = KeGetCurrentIrql();
    KstLog.Order[KstLog.Count++] = 100 + (ULONG)(ULONG_PTR)Argument1;
}

static VOID KstApcTarget(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    /* A non-alertable kernel wait still runs kernel APCs, then goes on waiting. */
    KeWaitForSingleObject(&KstLog.Go, Executive, KernelMode, FALSE, NULL);
}

static NTSTATUS KstApcOrder(VOID)
{
    static KAPC Apcs[KST_APCS];
    PKTHREAD Thread;
    ULONG Index;
    /* Argument1 = the order number; even ones are special (no normal routine). */
    static const ULONG Expected[] = { 0, 2, 4, 1, 101, 3, 103, 5, 105 };

    KstLog.Count = 0;
    KeInitializeEvent(&KstLog.Go, NotificationEvent, FALSE);
    Thread = KstCreateThread(KstApcTarget, NULL, 7);
    KST_CHECK(Thread != NULL);
    /* It has not run yet (below us): queue them all before it can take any. */
    for (Index = 0; Index < KST_APCS; Index++) {
        KeInitializeApc(&Apcs[Index], Thread, OriginalApcEnvironment, KstApcKernelRoutine, NULL,
                        (Index & 1) ? KstApcNormalRoutine : NULL, KernelMode, NULL);
        KST_CHECK(KeInsertQueueApc(&Apcs[Index], (PVOID)(ULONG_PTR)Index, NULL, 0));
    }
    KST_CHECK(!KeInsertQueueApc(&Apcs[0], NULL, NULL, 0));  /* already queued */
    /* Let it run: it delivers them on its way into the wait. */
    KeDelayExecutionThread(KernelMode, FALSE, &(LARGE_INTEGER){ .QuadPart = -1 });
    KeSetEvent(&KstLog.Go, 0, FALSE);
    KST_CHECK(KstJoinThread(Thread) == STATUS_SUCCESS);

    KST_CHECK(KstLog.Count == RTL_NUMBER_OF(Expected));
    for (Index = 0; Index < RTL_NUMBER_OF(Expected); Index++)
        KST_CHECK(KstLog.Order[Index] == Expected[Index]);
    KST_CHECK(KstLog.KernelIrql == APC_LEVEL && KstLog.NormalIrql == PASSIVE_LEVEL);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_APC_ORDER, KstApcOrder);

/* ---- an APC to a running (busy, not waiting) thread runs too ---- */

static volatile BOOLEAN KstApcRan, KstStop;

static VOID KstMarkApc(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                       PVOID *Argument1, PVOID *Argument2)
{
    UNREFERENCED_PARAMETER(Apc);
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    KstApcRan = TRUE;
}

typedef struct _KST_BUSY {
    volatile ULONG Count;
} KST_BUSY;

static VOID KstBusy(PVOID Context)
{
    KST_BUSY *Busy = Context;
    while (!KstStop)
        Busy->Count++;
}

/* ---- suspend and resume: counts, and a suspended thread really stops ---- */

static NTSTATUS KstSuspendResume(VOID)
{
    static KST_BUSY Busy;
    static KAPC Apc;
    PKTHREAD Thread;
    LARGE_INTEGER Tick = KstTicks(2);
    ULONG Before;

    KstStop = FALSE;
    KstApcRan = FALSE;
    Busy.Count = 0;
    /* Same priority as us: it runs whenever we wait. */
    Thread = KstCreateThread(KstBusy, &Busy, 8);
    KST_CHECK(Thread != NULL);
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    KST_CHECK(Busy.Count > 0);

    /* A kernel APC to a thread that is ready (preempted), not waiting. */
    KeInitializeApc(&Apc, Thread, OriginalApcEnvironment, KstMarkApc, NULL, NULL, KernelMode, NULL);
    KST_CHECK(KeInsertQueueApc(&Apc, NULL, NULL, 0));
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    KST_CHECK(KstApcRan);

    KST_CHECK(KeSuspendThread(Thread) == 0);
    KST_CHECK(KeSuspendThread(Thread) == 1);
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);       /* it takes the suspend APC */
    Before = Busy.Count;
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    KST_CHECK(Busy.Count == Before);                        /* stopped */
    KST_CHECK(KeResumeThread(Thread) == 2);
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    KST_CHECK(Busy.Count == Before);                        /* still suspended once */
    KST_CHECK(KeResumeThread(Thread) == 1);
    KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    KST_CHECK(Busy.Count > Before);                         /* running again */
    KST_CHECK(KeResumeThread(Thread) == 0);                 /* not suspended: no change */

    KstStop = TRUE;
    return KstJoinThread(Thread);
}
KSELFTEST(KE_SUSPEND_RESUME, KstSuspendResume);

/* ---- alerts: an alertable kernel wait ends with STATUS_ALERTED ---- */

static volatile NTSTATUS KstAlertStatus;

static VOID KstAlertableSleep(PVOID Context)
{
    LARGE_INTEGER Long = KstTicks(1000);
    UNREFERENCED_PARAMETER(Context);
    KstAlertStatus = KeDelayExecutionThread(KernelMode, TRUE, &Long);
}

static NTSTATUS KstAlerts(VOID)
{
    PKTHREAD Thread;
    ULONG Start = KeTickCount;

    KstAlertStatus = STATUS_PENDING;
    Thread = KstCreateThread(KstAlertableSleep, NULL, 9);
    KST_CHECK(Thread != NULL);
    KST_CHECK(KstAlertStatus == STATUS_PENDING);
    KST_CHECK(KeAlertThread(Thread, KernelMode) == FALSE);   /* was not alerted before */
    KST_CHECK(KstJoinThread(Thread) == STATUS_SUCCESS);
    KST_CHECK(KstAlertStatus == STATUS_ALERTED);
    KST_CHECK(KeTickCount - Start < 100);
    /* An alert for a thread that is not waiting stays until it tests for it. */
    KST_CHECK(KeAlertThread(KeGetCurrentThread(), KernelMode) == FALSE);
    KST_CHECK(KeTestAlertThread(KernelMode) == TRUE);
    KST_CHECK(KeTestAlertThread(KernelMode) == FALSE);
    return STATUS_SUCCESS;
}
KSELFTEST(KE_ALERTS, KstAlerts);

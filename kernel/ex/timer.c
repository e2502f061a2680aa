/*
 * timer.c - timer objects, Win32's waitable timers (NT: ExpTimerInitialization,
 * ExpDeleteTimer, NtCreateTimer, NtOpenTimer, NtSetTimer, NtCancelTimer,
 * NtQueryTimer in ntos\ex\timer.c). The body is an ETIMER around a KTIMER.
 *
 * Not implemented: the APC a timer can queue to the thread that set it when it
 * expires (NtSetTimer's TimerApcRoutine). NT keeps such timers on the thread's
 * ETHREAD.ActiveTimerListHead so that the thread's end cancels them
 * (ExTimerRundown); threads are not executive objects yet, so nothing could
 * cancel them, and NtSetTimer refuses an APC routine with STATUS_NOT_IMPLEMENTED.
 * Wake timers (ResumeTimer) need a power manager: NT's answer without one,
 * STATUS_TIMER_RESUME_IGNORED with the timer set, is given.
 */
#include "exobjp.h"

POBJECT_TYPE ExTimerObjectType;

/* NT's ExpTimerMapping. */
static const GENERIC_MAPPING ExpTimerMapping = {
    STANDARD_RIGHTS_READ | TIMER_QUERY_STATE,
    STANDARD_RIGHTS_WRITE | TIMER_MODIFY_STATE,
    STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
    TIMER_ALL_ACCESS
};

/* The last reference is gone: a timer still armed must leave the timer table. */
static VOID ExpDeleteTimer(PVOID Object)
{
    PETIMER Timer = Object;

    KeCancelTimer(&Timer->KeTimer);
}

NTSTATUS ExpTimerInitialization(VOID)
{
    return ExpCreateObjectType(u"Timer", sizeof(ETIMER), &ExpTimerMapping, TIMER_ALL_ACCESS, ExpDeleteTimer,
                               &ExTimerObjectType);
}

NTSTATUS NtCreateTimer(PHANDLE TimerHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                       TIMER_TYPE TimerType)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PETIMER Timer;
    NTSTATUS Status;

    if (TimerType != NotificationTimer && TimerType != SynchronizationTimer)
        return STATUS_INVALID_PARAMETER_4;
    Status = ExpCreateObject(PreviousMode, TimerHandle, ExTimerObjectType, ObjectAttributes, sizeof(ETIMER),
                             (PVOID *)&Timer);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeTimerEx(&Timer->KeTimer, TimerType);
    return ExpInsertObject(PreviousMode, Timer, DesiredAccess, TimerHandle);
}

NTSTATUS NtOpenTimer(PHANDLE TimerHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExpOpenObject(TimerHandle, DesiredAccess, ObjectAttributes, ExTimerObjectType);
}

/*
 * Arms the timer (cancelling it first if it was armed) and resets it: it becomes
 * signalled at *DueTime (100 ns units: negative = from now, positive = an
 * absolute system time), then every Period milliseconds if Period is not 0.
 * *PreviousState gets its signal state from before.
 */
NTSTATUS NtSetTimer(HANDLE TimerHandle, PLARGE_INTEGER DueTime, PTIMER_APC_ROUTINE TimerApcRoutine,
                    PVOID TimerContext, BOOLEAN ResumeTimer, LONG Period, PBOOLEAN PreviousState)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    LARGE_INTEGER CapturedDueTime;
    PETIMER Timer;
    BOOLEAN State;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(TimerContext);   /* the APC's argument: see the top of the file */
    if (Period < 0)
        return STATUS_INVALID_PARAMETER_6;
    if (TimerApcRoutine != NULL)
        return STATUS_NOT_IMPLEMENTED;
    Status = ExCaptureUserData(&CapturedDueTime, DueTime, sizeof(LARGE_INTEGER), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && PreviousState != NULL)
        Status = ExProbeUserOutput(PreviousState, sizeof(BOOLEAN), sizeof(BOOLEAN), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;

    Status = ObReferenceObjectByHandle(TimerHandle, TIMER_MODIFY_STATE, ExTimerObjectType, PreviousMode,
                                       (PVOID *)&Timer, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    State = KeReadStateTimer(&Timer->KeTimer);
    KeSetTimerEx(&Timer->KeTimer, CapturedDueTime, Period, NULL);
    ObDereferenceObject(Timer);

    /* A fault while storing the state is ignored, as NT does: the timer is set. */
    if (PreviousState != NULL)
        (VOID)ExCopyToCaller(PreviousState, &State, sizeof(BOOLEAN), PreviousMode);
    return ResumeTimer ? STATUS_TIMER_RESUME_IGNORED : STATUS_SUCCESS;
}

/* Disarms it; its signal state stays, and *CurrentState says what it is. */
NTSTATUS NtCancelTimer(HANDLE TimerHandle, PBOOLEAN CurrentState)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PETIMER Timer;
    BOOLEAN State;
    NTSTATUS Status;

    if (CurrentState != NULL) {
        Status = ExProbeUserOutput(CurrentState, sizeof(BOOLEAN), sizeof(BOOLEAN), PreviousMode);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = ObReferenceObjectByHandle(TimerHandle, TIMER_MODIFY_STATE, ExTimerObjectType, PreviousMode,
                                       (PVOID *)&Timer, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    KeCancelTimer(&Timer->KeTimer);
    State = KeReadStateTimer(&Timer->KeTimer);
    ObDereferenceObject(Timer);
    if (CurrentState != NULL)
        (VOID)ExCopyToCaller(CurrentState, &State, sizeof(BOOLEAN), PreviousMode);
    return STATUS_SUCCESS;
}

/*
 * RemainingTime: how long until an armed timer expires (its KTIMER.DueTime is in
 * interrupt time); 0 for a timer that is not armed. Read at DISPATCH_LEVEL, where
 * timers expire (in the clock's DPC), so the two fields agree.
 */
static VOID ExpQueryTimer(PVOID Object, PVOID Information)
{
    PETIMER Timer = Object;
    PTIMER_BASIC_INFORMATION Basic = Information;
    ULONGLONG Now, DueTime;
    BOOLEAN Armed;
    KIRQL OldIrql;

    OldIrql = KeRaiseIrqlToDpcLevel();
    Now = KeQueryInterruptTime();
    Armed = Timer->KeTimer.Header.Inserted;
    DueTime = Timer->KeTimer.DueTime.QuadPart;
    Basic->TimerState = KeReadStateTimer(&Timer->KeTimer);
    KeLowerIrql(OldIrql);
    Basic->RemainingTime.QuadPart = Armed && DueTime > Now ? (LONGLONG)(DueTime - Now) : 0;
}

NTSTATUS NtQueryTimer(HANDLE TimerHandle, TIMER_INFORMATION_CLASS TimerInformationClass,
                      PVOID TimerInformation, ULONG TimerInformationLength, PULONG ReturnLength)
{
    return ExpQueryObject(TimerHandle, ExTimerObjectType, TIMER_QUERY_STATE, TimerInformationClass,
                          TimerInformation, TimerInformationLength, ReturnLength,
                          sizeof(TIMER_BASIC_INFORMATION), ExpQueryTimer);
}

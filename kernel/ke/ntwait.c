/*
 * ntwait.c - the services that wait or give up the processor without an object:
 * NtDelayExecution (Sleep/SleepEx), NtYieldExecution (SwitchToThread) and
 * NtTestAlert, as NT's (ntos\ke: NtDelayExecution, NtYieldExecution; NtTestAlert).
 */
#include <ke.h>
#include <kewait.h>
#include <ex.h>
#include "ntapi.h"      /* the prototypes, from include/nt/sysfuncs.lst */

/*
 * Sleeps for *DelayInterval (100 ns units: negative = relative, positive = an
 * absolute system time). A user-mode caller's interval is probed and captured
 * first (ULONG alignment, as NT's ProbeForReadSmallStructure), so the wait never
 * reads user memory. The wait is in the caller's mode: from user mode an alertable
 * delay ends early with STATUS_ALERTED or STATUS_USER_APC, and the APCs run on the
 * way out.
 */
NTSTATUS NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    LARGE_INTEGER Interval;
    NTSTATUS Status;

    Status = ExCaptureUserData(&Interval, DelayInterval, sizeof(Interval), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    return KeDelayExecutionThread(PreviousMode, Alertable, &Interval);
}

/* STATUS_SUCCESS when another thread ran, STATUS_NO_YIELD_PERFORMED when none was ready. */
NTSTATUS NtYieldExecution(VOID)
{
    return KeYieldExecution();
}

/*
 * Tests and clears the caller's alert for its previous mode (from ring 3: the
 * user-mode alert): STATUS_ALERTED if it was set, else STATUS_SUCCESS. For a
 * user-mode caller KeTestAlertThread also marks queued user APCs pending, so
 * KiServiceExit delivers them on the way back: ntdll's KiUserApcDispatcher calls
 * NtTestAlert for exactly that.
 */
NTSTATUS NtTestAlert(VOID)
{
    return KeTestAlertThread(KeGetPreviousMode()) ? STATUS_ALERTED : STATUS_SUCCESS;
}

/*
 * condvar.c - condition variables (NT 6: RtlInitializeConditionVariable,
 * RtlSleepConditionVariableCS, RtlSleepConditionVariableSRW,
 * RtlWakeConditionVariable, RtlWakeAllConditionVariable).
 *
 * The variable is one word: the number of threads asleep on it (or about to
 * be) that no wake has claimed yet. A sleeper counts itself in while it still
 * holds its lock, lets the lock go, and sleeps on the system's keyed event with
 * the variable's address as the key; a wake claims one counted sleeper (a wake
 * of all, every one) by counting it out, then releases the key once for each.
 * Since a sleeper counts itself in before it lets its lock go, a thread that
 * takes the lock and wakes afterwards always finds it counted: no wake-up is
 * lost. The sleepers are interchangeable, so a release meets whichever of them
 * reaches the kernel first.
 *
 * A sleeper whose timeout passes must take itself out of the count. If the count
 * is already 0, a waker claimed it (it is on its way to release the key, and a
 * keyed event's release waits for a waiter): the sleeper then waits for that
 * release, which is certain to come, and reports being woken. Otherwise it counts
 * itself out and reports STATUS_TIMEOUT; a release already on its way meets
 * another sleeper, which is still counted... or had its own timeout, and then
 * finds the count at 0 and takes it. Spurious wake-ups are allowed, as Windows
 * documents; the caller re-checks its condition.
 */
#include "rtlp.h"
#include <nt/ntldr.h>

VOID NTAPI RtlRaiseStatus(NTSTATUS Status);
NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION Section);

static inline volatile ULONG *RtlpConditionCount(PRTL_CONDITION_VARIABLE Condition)
{
    return (volatile ULONG *)&Condition->Ptr;
}

VOID NTAPI RtlInitializeConditionVariable(PRTL_CONDITION_VARIABLE Condition)
{
    Condition->Ptr = NULL;
}

/* Counts the caller in; its lock is still held. */
static VOID RtlpConditionEnter(PRTL_CONDITION_VARIABLE Condition)
{
    /* The key must be even: the variable aligned as its structure is. */
    if ((ULONG_PTR)Condition & (sizeof(PVOID) - 1))
        RtlRaiseStatus(STATUS_DATATYPE_MISALIGNMENT);
    __sync_add_and_fetch(RtlpConditionCount(Condition), 1);
}

/* Sleeps (the lock let go); STATUS_SUCCESS when woken, STATUS_TIMEOUT. */
static NTSTATUS RtlpConditionSleep(PRTL_CONDITION_VARIABLE Condition, PLARGE_INTEGER Timeout)
{
    NTSTATUS Status = NtWaitForKeyedEvent(NULL, Condition, FALSE, Timeout);

    if (Status != STATUS_TIMEOUT)
        return STATUS_SUCCESS;
    for (;;) {
        ULONG Count = *RtlpConditionCount(Condition);

        if (Count == 0) {
            /* Claimed by a wake: its release is coming for a sleeper, and we are it. */
            NtWaitForKeyedEvent(NULL, Condition, FALSE, NULL);
            return STATUS_SUCCESS;
        }
        if (__sync_bool_compare_and_swap(RtlpConditionCount(Condition), Count, Count - 1))
            return STATUS_TIMEOUT;
    }
}

/* The section must be entered exactly once by the caller, as Windows asks. */
NTSTATUS NTAPI RtlSleepConditionVariableCS(PRTL_CONDITION_VARIABLE Condition, PRTL_CRITICAL_SECTION Section,
                                           PLARGE_INTEGER Timeout)
{
    NTSTATUS Status;

    RtlpConditionEnter(Condition);
    RtlLeaveCriticalSection(Section);
    Status = RtlpConditionSleep(Condition, Timeout);
    RtlEnterCriticalSection(Section);
    return Status;
}

/* Flags: RTL_CONDITION_VARIABLE_LOCKMODE_SHARED when the caller holds Lock shared. */
NTSTATUS NTAPI RtlSleepConditionVariableSRW(PRTL_CONDITION_VARIABLE Condition, PRTL_SRWLOCK Lock,
                                            PLARGE_INTEGER Timeout, ULONG Flags)
{
    BOOLEAN Shared = (Flags & RTL_CONDITION_VARIABLE_LOCKMODE_SHARED) != 0;
    NTSTATUS Status;

    if (Flags & ~RTL_CONDITION_VARIABLE_LOCKMODE_SHARED)
        return STATUS_INVALID_PARAMETER_4;
    RtlpConditionEnter(Condition);
    if (Shared)
        RtlReleaseSRWLockShared(Lock);
    else
        RtlReleaseSRWLockExclusive(Lock);
    Status = RtlpConditionSleep(Condition, Timeout);
    if (Shared)
        RtlAcquireSRWLockShared(Lock);
    else
        RtlAcquireSRWLockExclusive(Lock);
    return Status;
}

VOID NTAPI RtlWakeConditionVariable(PRTL_CONDITION_VARIABLE Condition)
{
    for (;;) {
        ULONG Count = *RtlpConditionCount(Condition);

        if (Count == 0)
            return;
        if (__sync_bool_compare_and_swap(RtlpConditionCount(Condition), Count, Count - 1)) {
            NtReleaseKeyedEvent(NULL, Condition, FALSE, NULL);
            return;
        }
    }
}

VOID NTAPI RtlWakeAllConditionVariable(PRTL_CONDITION_VARIABLE Condition)
{
    ULONG Count = __sync_lock_test_and_set(RtlpConditionCount(Condition), 0);

    while (Count-- != 0)
        NtReleaseKeyedEvent(NULL, Condition, FALSE, NULL);
}

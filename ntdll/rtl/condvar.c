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
 * is above 0 it counts itself out and reports STATUS_TIMEOUT; a release already
 * on its way meets another sleeper, which is still counted... or had its own
 * timeout, and then finds the count at 0 and takes it. If the count is 0, every
 * sleeper is claimed: wakes are on their way to release the key (a keyed event's
 * release waits for a waiter), one for each of them, so the sleeper waits for
 * one. But not for good: the sleepers are interchangeable, and one that counts
 * itself in afterwards and reaches the kernel first can take the release meant
 * for this one, leaving its own count instead. So the sleeper waits in slices,
 * and after each looks at the count again: a count there again is one it may
 * take and time out with, as above. Either way every counted sleeper is matched
 * by one release or one count taken, so no release waits for nobody - unless a
 * sleeper is ended by another thread while counted: then the wake that claims it
 * waits for it for good, as with Windows' variables (kernel/ex/keyedevt.c).
 * Spurious wake-ups are allowed, as Windows documents; the caller re-checks its
 * condition.
 */
#include "rtlp.h"
#include "../ntdllp.h"      /* RtlRaiseStatus, the critical sections */

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

/* How long a timed-out sleeper waits for a claimed release before it looks at the
   count again: long enough for the waker to run (whatever its priority), short
   enough that a release taken by another sleeper delays the timeout only a little. */
#define RTLP_CONDITION_CLAIMED_SLICE (-10 * 10000LL)   /* 10 ms, relative */

/* Sleeps (the lock let go); STATUS_SUCCESS when woken, STATUS_TIMEOUT. */
static NTSTATUS RtlpConditionSleep(PRTL_CONDITION_VARIABLE Condition, PLARGE_INTEGER Timeout)
{
    NTSTATUS Status = NtWaitForKeyedEvent(NULL, Condition, FALSE, Timeout);
    LARGE_INTEGER Slice;

    while (Status == STATUS_TIMEOUT) {
        ULONG Count = *RtlpConditionCount(Condition);

        if (Count != 0) {
            if (__sync_bool_compare_and_swap(RtlpConditionCount(Condition), Count, Count - 1))
                return STATUS_TIMEOUT;
            continue;
        }
        /* Claimed by a wake: its release is coming for a sleeper, most likely us. */
        Slice.QuadPart = RTLP_CONDITION_CLAIMED_SLICE;
        Status = NtWaitForKeyedEvent(NULL, Condition, FALSE, &Slice);
    }
    return STATUS_SUCCESS;
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

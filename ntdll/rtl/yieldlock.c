/*
 * yieldlock.c - the recursive lock ntdll's own code uses until it has critical
 * sections (declared in ntdllp.h: RTLP_YIELD_LOCK).
 *
 * The owner is the thread's TEB address (fs:[18h]), unique per live thread, so a
 * thread that already holds the lock only counts one more level: the vectored
 * handler list is walked while a handler runs, and a handler may fault or raise
 * (a nested dispatch on the same thread). A contended acquire yields the
 * processor and tries again: without an event to wait on (NT: the critical
 * section's LockSemaphore), yielding is what lets the owner run and let go.
 * Owners hold it for short, bounded work (a list walk, a heap operation), never
 * across a wait.
 */
#include "../ntdllp.h"

VOID RtlpAcquireYieldLock(PRTLP_YIELD_LOCK Lock)
{
    LONG Self = (LONG)(ULONG_PTR)RtlpCurrentTib();

    if (Lock->Owner == Self) {
        Lock->RecursionCount++;
        return;
    }
    while (__sync_val_compare_and_swap(&Lock->Owner, 0, Self) != 0)
        NtYieldExecution();
    Lock->RecursionCount = 1;
}

VOID RtlpReleaseYieldLock(PRTLP_YIELD_LOCK Lock)
{
    if (--Lock->RecursionCount == 0)
        __sync_lock_release(&Lock->Owner);
}

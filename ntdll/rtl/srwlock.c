/*
 * srwlock.c - slim reader/writer locks (NT 6: RtlInitializeSRWLock,
 * RtlAcquireSRWLockExclusive/-Shared, RtlReleaseSRWLockExclusive/-Shared,
 * RtlTryAcquireSRWLockExclusive/-Shared, RtlConvertSRWLockExclusiveToShared).
 *
 * The whole lock is one 32-bit word, zero when free, changed only by
 * compare-and-swap; it needs no initialization beyond that and no handle. The
 * word holds four fields:
 *
 *   bit 0       Exclusive   a writer owns the lock
 *   bits 1-11   Shared      how many readers own it (up to 2,047)
 *   bits 12-21  ExWaiters   writers asleep or about to sleep (up to 1,023)
 *   bits 22-31  ShWaiters   readers asleep or about to sleep (up to 1,023)
 *
 * A thread that cannot have the lock counts itself into a waiter field and
 * sleeps on the system's keyed event (kernel/ex/keyedevt.c), writers with the
 * lock's address as the key and readers with the address + 2. A releaser never
 * frees a lock that has waiters: it hands it over, changing the owner fields for
 * the threads it wakes in the same compare-and-swap that takes them out of the
 * waiter count, and then releases the key once per thread. A woken thread so
 * owns the lock already, and a thread that has not reached the kernel yet when
 * it is released still meets its release there (a keyed event's release waits
 * for its waiter).
 *
 * Who gets it: a reader arriving while a writer waits queues behind it (writers
 * are not starved by a stream of readers); a writer's release goes to all the
 * waiting readers if there are any, else to one writer (readers are not starved
 * by a stream of writers); the last reader's release goes to one writer.
 * Consequently readers only ever wait while a writer owns the lock or waits for
 * it, and a lock nobody owns has no waiters.
 *
 * A field that is full (1,023 sleeping writers...) makes the next thread yield
 * and try again, rather than overflow into its neighbour.
 *
 * A thread ended while it is counted as a waiter (asleep in the kernel or not)
 * stays counted: the release handed over to it waits for good, and the lock is
 * lost with it, as in Windows, whose locks release for a dead thread's wait
 * block the same way (see kernel/ex/keyedevt.c).
 */
#include "rtlp.h"
#include "../ntdllp.h"      /* RtlRaiseStatus */

#define RTLP_SRW_EXCLUSIVE      0x00000001UL
#define RTLP_SRW_SHARED_ONE     0x00000002UL
#define RTLP_SRW_SHARED_MASK    0x00000FFEUL
#define RTLP_SRW_EXWAIT_ONE     0x00001000UL
#define RTLP_SRW_EXWAIT_MASK    0x003FF000UL
#define RTLP_SRW_SHWAIT_ONE     0x00400000UL
#define RTLP_SRW_SHWAIT_MASK    0xFFC00000UL
#define RTLP_SRW_SHWAIT_SHIFT   22

static inline volatile ULONG *RtlpSrwWord(PRTL_SRWLOCK Lock)
{
    return (volatile ULONG *)&Lock->Ptr;
}

static inline BOOLEAN RtlpSrwSwap(PRTL_SRWLOCK Lock, ULONG Old, ULONG New)
{
    return __sync_bool_compare_and_swap(RtlpSrwWord(Lock), Old, New);
}

/* Writers and readers sleep under different keys; both must be even, so the lock
   must be aligned as the structure is (Windows asks the same). */
static PVOID RtlpSrwKey(PRTL_SRWLOCK Lock, BOOLEAN Shared)
{
    return (PUCHAR)Lock + (Shared ? 2 : 0);
}

static VOID RtlpSrwCheckAlignment(PRTL_SRWLOCK Lock)
{
    if ((ULONG_PTR)Lock & (sizeof(PVOID) - 1))
        RtlRaiseStatus(STATUS_DATATYPE_MISALIGNMENT);
}

static VOID RtlpSrwSleep(PRTL_SRWLOCK Lock, BOOLEAN Shared)
{
    NtWaitForKeyedEvent(NULL, RtlpSrwKey(Lock, Shared), FALSE, NULL);
}

static VOID RtlpSrwWake(PRTL_SRWLOCK Lock, BOOLEAN Shared, ULONG Count)
{
    while (Count-- != 0)
        NtReleaseKeyedEvent(NULL, RtlpSrwKey(Lock, Shared), FALSE, NULL);
}

VOID NTAPI RtlInitializeSRWLock(PRTL_SRWLOCK Lock)
{
    Lock->Ptr = NULL;
}

VOID NTAPI RtlAcquireSRWLockExclusive(PRTL_SRWLOCK Lock)
{
    RtlpSrwCheckAlignment(Lock);
    for (;;) {
        ULONG Old = *RtlpSrwWord(Lock);

        if ((Old & (RTLP_SRW_EXCLUSIVE | RTLP_SRW_SHARED_MASK)) == 0) {
            if (RtlpSrwSwap(Lock, Old, Old | RTLP_SRW_EXCLUSIVE))
                return;
        } else if ((Old & RTLP_SRW_EXWAIT_MASK) == RTLP_SRW_EXWAIT_MASK) {
            NtYieldExecution();
        } else if (RtlpSrwSwap(Lock, Old, Old + RTLP_SRW_EXWAIT_ONE)) {
            RtlpSrwSleep(Lock, FALSE);      /* woken as the owner */
            return;
        }
    }
}

VOID NTAPI RtlAcquireSRWLockShared(PRTL_SRWLOCK Lock)
{
    RtlpSrwCheckAlignment(Lock);
    for (;;) {
        ULONG Old = *RtlpSrwWord(Lock);

        if ((Old & (RTLP_SRW_EXCLUSIVE | RTLP_SRW_EXWAIT_MASK)) == 0) {
            if ((Old & RTLP_SRW_SHARED_MASK) == RTLP_SRW_SHARED_MASK)
                NtYieldExecution();
            else if (RtlpSrwSwap(Lock, Old, Old + RTLP_SRW_SHARED_ONE))
                return;
        } else if ((Old & RTLP_SRW_SHWAIT_MASK) == RTLP_SRW_SHWAIT_MASK) {
            NtYieldExecution();
        } else if (RtlpSrwSwap(Lock, Old, Old + RTLP_SRW_SHWAIT_ONE)) {
            RtlpSrwSleep(Lock, TRUE);       /* woken as one of the owners */
            return;
        }
    }
}

BOOLEAN NTAPI RtlTryAcquireSRWLockExclusive(PRTL_SRWLOCK Lock)
{
    for (;;) {
        ULONG Old = *RtlpSrwWord(Lock);

        if ((Old & (RTLP_SRW_EXCLUSIVE | RTLP_SRW_SHARED_MASK)) != 0)
            return FALSE;
        if (RtlpSrwSwap(Lock, Old, Old | RTLP_SRW_EXCLUSIVE))
            return TRUE;
    }
}

BOOLEAN NTAPI RtlTryAcquireSRWLockShared(PRTL_SRWLOCK Lock)
{
    for (;;) {
        ULONG Old = *RtlpSrwWord(Lock);

        if ((Old & (RTLP_SRW_EXCLUSIVE | RTLP_SRW_EXWAIT_MASK)) != 0 ||
            (Old & RTLP_SRW_SHARED_MASK) == RTLP_SRW_SHARED_MASK)
            return FALSE;
        if (RtlpSrwSwap(Lock, Old, Old + RTLP_SRW_SHARED_ONE))
            return TRUE;
    }
}

/*
 * The word after a writer gives the lock to every waiting reader: none of them
 * waiting any more, all of them owners. (Shared is 0 while a writer owns the lock
 * and ShWaiters at most 1,023, so the sum fits its field.)
 */
static ULONG RtlpSrwHandToReaders(ULONG Old, ULONG Readers, ULONG Owners)
{
    return (Old & ~(RTLP_SRW_EXCLUSIVE | RTLP_SRW_SHWAIT_MASK | RTLP_SRW_SHARED_MASK)) +
           (Readers + Owners) * RTLP_SRW_SHARED_ONE;
}

/* Releasing what one does not own is a caller's bug NT reports by raising. */
VOID NTAPI RtlReleaseSRWLockExclusive(PRTL_SRWLOCK Lock)
{
    for (;;) {
        ULONG Old = *RtlpSrwWord(Lock);
        ULONG Readers = Old >> RTLP_SRW_SHWAIT_SHIFT;

        if (!(Old & RTLP_SRW_EXCLUSIVE))
            RtlRaiseStatus(STATUS_RESOURCE_NOT_OWNED);
        if (Readers != 0) {
            if (RtlpSrwSwap(Lock, Old, RtlpSrwHandToReaders(Old, Readers, 0))) {
                RtlpSrwWake(Lock, TRUE, Readers);
                return;
            }
        } else if (Old & RTLP_SRW_EXWAIT_MASK) {
            /* Exclusive stays set: the next writer owns it. */
            if (RtlpSrwSwap(Lock, Old, Old - RTLP_SRW_EXWAIT_ONE)) {
                RtlpSrwWake(Lock, FALSE, 1);
                return;
            }
        } else if (RtlpSrwSwap(Lock, Old, Old & ~RTLP_SRW_EXCLUSIVE)) {
            return;
        }
    }
}

VOID NTAPI RtlReleaseSRWLockShared(PRTL_SRWLOCK Lock)
{
    for (;;) {
        ULONG Old = *RtlpSrwWord(Lock);
        ULONG Owners = Old & RTLP_SRW_SHARED_MASK;

        if (Owners == 0)
            RtlRaiseStatus(STATUS_RESOURCE_NOT_OWNED);
        if (Owners == RTLP_SRW_SHARED_ONE && (Old & RTLP_SRW_EXWAIT_MASK)) {
            /* The last reader out gives the lock to a waiting writer. */
            if (RtlpSrwSwap(Lock, Old, Old - RTLP_SRW_SHARED_ONE - RTLP_SRW_EXWAIT_ONE + RTLP_SRW_EXCLUSIVE)) {
                RtlpSrwWake(Lock, FALSE, 1);
                return;
            }
        } else if (RtlpSrwSwap(Lock, Old, Old - RTLP_SRW_SHARED_ONE)) {
            return;
        }
    }
}

/* The writer becomes a reader, and every reader waiting comes in with it. */
VOID NTAPI RtlConvertSRWLockExclusiveToShared(PRTL_SRWLOCK Lock)
{
    for (;;) {
        ULONG Old = *RtlpSrwWord(Lock);
        ULONG Readers = Old >> RTLP_SRW_SHWAIT_SHIFT;

        if (!(Old & RTLP_SRW_EXCLUSIVE))
            RtlRaiseStatus(STATUS_RESOURCE_NOT_OWNED);
        if (RtlpSrwSwap(Lock, Old, RtlpSrwHandToReaders(Old, Readers, 1))) {
            RtlpSrwWake(Lock, TRUE, Readers);
            return;
        }
    }
}

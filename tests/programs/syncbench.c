/*
 * syncbench.c - the benchmarks of ntdll's locks (tests/bench/sync.c): times, with
 * the time-stamp counter (instructions under QEMU's -icount), SYNCBENCH_ROUNDS of
 *   cs      RtlEnterCriticalSection + RtlLeaveCriticalSection, nobody else wanting it
 *   srw     RtlAcquireSRWLockExclusive + RtlReleaseSRWLockExclusive, the same
 *   keyed   a round trip between two threads through the system's keyed event: A
 *           releases key 1 and waits on key 2, B waits on key 1 and releases key 2
 *           (two meetings, four services, two thread switches)
 * and returns the instructions per round as its exit status. One round first,
 * untimed.
 */
#include "pstest.h"

PST_DEFINE_MEMORY_ROUTINES

NTSYSAPI NTSTATUS NTAPI NtWaitForKeyedEvent(HANDLE Handle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtReleaseKeyedEvent(HANDLE Handle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSYSAPI VOID NTAPI RtlAcquireSRWLockExclusive(PSRWLOCK Lock);
NTSYSAPI VOID NTAPI RtlReleaseSRWLockExclusive(PSRWLOCK Lock);
NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION Section);
typedef NTSTATUS (NTAPI *PUSER_THREAD_START_ROUTINE)(PVOID Parameter);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID ThreadSecurityDescriptor,
    BOOLEAN CreateSuspended, ULONG_PTR StackZeroBits, SIZE_T StackReserve, SIZE_T StackCommit,
    PUSER_THREAD_START_ROUTINE StartAddress, PVOID Parameter, PHANDLE Thread, NATIVE_CLIENT_ID *ClientId);

#define SYNCBENCH_ROUNDS 1000

static ULONG Keys[2];

static ULONGLONG ReadTsc(void)
{
    ULONG Low, High;

    __asm__ volatile("rdtsc" : "=a"(Low), "=d"(High));
    return ((ULONGLONG)High << 32) | Low;
}

/* B: answers every release of key 1 with a release of key 2 (one more: the untimed round). */
static NTSTATUS NTAPI Partner(PVOID Parameter)
{
    (void)Parameter;
    for (ULONG Index = 0; Index <= SYNCBENCH_ROUNDS; Index++) {
        NtWaitForKeyedEvent(NULL, &Keys[0], FALSE, NULL);
        NtReleaseKeyedEvent(NULL, &Keys[1], FALSE, NULL);
    }
    return 0;
}

static void KeyedRound(void)
{
    NtReleaseKeyedEvent(NULL, &Keys[0], FALSE, NULL);
    NtWaitForKeyedEvent(NULL, &Keys[1], FALSE, NULL);
}

ULONG NTAPI SyncBenchStart(PVOID Peb)
{
    char Buffer[64], *Words[2];
    ULONG Count = PstSplitCommandLine(Buffer, sizeof(Buffer), Words, 2);
    RTL_CRITICAL_SECTION Section;
    SRWLOCK Lock = SRWLOCK_INIT;
    ULONGLONG Start, End;
    HANDLE Thread;

    (void)Peb;
    if (Count != 1)
        return 0;
    RtlInitializeCriticalSection(&Section);
    if (PstEqual(Words[0], "cs")) {
        RtlEnterCriticalSection(&Section);
        RtlLeaveCriticalSection(&Section);
        Start = ReadTsc();
        for (ULONG Index = 0; Index < SYNCBENCH_ROUNDS; Index++) {
            RtlEnterCriticalSection(&Section);
            RtlLeaveCriticalSection(&Section);
        }
        End = ReadTsc();
    } else if (PstEqual(Words[0], "srw")) {
        RtlAcquireSRWLockExclusive(&Lock);
        RtlReleaseSRWLockExclusive(&Lock);
        Start = ReadTsc();
        for (ULONG Index = 0; Index < SYNCBENCH_ROUNDS; Index++) {
            RtlAcquireSRWLockExclusive(&Lock);
            RtlReleaseSRWLockExclusive(&Lock);
        }
        End = ReadTsc();
    } else if (PstEqual(Words[0], "keyed")) {
        if (!NT_SUCCESS(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, Partner, NULL, &Thread, NULL)))
            return 0;
        KeyedRound();
        Start = ReadTsc();
        for (ULONG Index = 0; Index < SYNCBENCH_ROUNDS; Index++)
            KeyedRound();
        End = ReadTsc();
        NtWaitForSingleObject(Thread, FALSE, NULL);
        NtClose(Thread);
    } else {
        return 0;
    }
    return (ULONG)(End - Start) / SYNCBENCH_ROUNDS;     /* 32 bits: no 64-bit division without a C library */
}

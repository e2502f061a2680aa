/*
 * sync.c - the instructions of ntdll's locks, measured in user mode by
 * C:\Tests\syncbench.exe (tests/programs/syncbench.c), which times a thousand
 * rounds with the time-stamp counter and returns the instructions per round as its
 * exit status; this starts it with the mode on its command line and reports that
 * status (kbuser.c).
 */
#include <bench.h>
#include "kbuser.h"

static ULONGLONG KbRunSyncBench(PCWSTR CommandLine)
{
    return KbRunUserBenchmark(u"\\??\\C:\\Tests\\syncbench.exe", CommandLine);
}

static ULONGLONG KbCriticalSection(VOID)
{
    return KbRunSyncBench(u"syncbench.exe cs");
}
KBENCH(critsect_enter_leave, KbCriticalSection,
       "instructions per RtlEnterCriticalSection + RtlLeaveCriticalSection, uncontended (user mode)");

static ULONGLONG KbSrwLock(VOID)
{
    return KbRunSyncBench(u"syncbench.exe srw");
}
KBENCH(srw_acquire_release, KbSrwLock,
       "instructions per RtlAcquireSRWLockExclusive + RtlReleaseSRWLockExclusive, uncontended (user mode)");

static ULONGLONG KbKeyedRoundTrip(VOID)
{
    return KbRunSyncBench(u"syncbench.exe keyed");
}
KBENCH(keyed_event_round_trip, KbKeyedRoundTrip,
       "instructions per round trip between two threads through the keyed event: two meetings, four services");

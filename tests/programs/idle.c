/*
 * idle.c - a process that waits forever (until someone ends it): the host for the
 * thread benchmark's threads (tests/bench/process.c) and for tests that need a
 * live process to query, suspend or terminate.
 */
#include "native.h"

ULONG NTAPI IdleStart(PVOID Peb)
{
    LARGE_INTEGER Forever;

    (void)Peb;
    Forever.QuadPart = (LONGLONG)0x8000000000000000ULL;     /* the longest relative wait */
    for (;;)
        NtDelayExecution(FALSE, &Forever);
    return 0;
}

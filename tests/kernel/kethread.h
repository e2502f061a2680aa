/*
 * kethread.h - helpers for the dispatcher self-tests: threads from the pool.
 */
#pragma once

#include <selftest.h>
#include <ke.h>
#include <kewait.h>
#include <ex.h>

/* A kernel thread in pool memory, started at Priority; NULL when none could be had. */
PKTHREAD KstCreateThread(PKSTART_ROUTINE Routine, PVOID Context, KPRIORITY Priority);
/* Waits for the thread to end and frees it. */
NTSTATUS KstJoinThread(PKTHREAD Thread);
/* A relative timeout of Ticks clock ticks, in NT's units (negative = relative). */
LARGE_INTEGER KstTicks(ULONG Ticks);

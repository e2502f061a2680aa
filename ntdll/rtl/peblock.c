/*
 * peblock.c - the PEB lock (NT: RtlAcquirePebLock/RtlReleasePebLock, over the
 * critical section PEB->FastPebLock points to). It serializes the process-wide
 * state kept in the PEB's process parameters: the current directory (its DosPath
 * and Handle) and the environment block. A thread reading them takes it as well
 * as a thread changing them, because a change frees what was there (the old
 * environment block, the old directory buffer and handle).
 *
 * It is ntdll's recursive yield lock for now (rtl/yieldlock.c) and so lives here,
 * not behind PEB->FastPebLock, which a debugger would read as an
 * RTL_CRITICAL_SECTION; it becomes that critical section when ntdll has them.
 * Recursive, as NT's: RtlSetCurrentDirectory_U holds it while it makes the full
 * path, which takes it again.
 */
#include "../ntdllp.h"

static RTLP_YIELD_LOCK RtlpPebLock;

VOID NTAPI RtlAcquirePebLock(VOID)
{
    RtlpAcquireYieldLock(&RtlpPebLock);
}

VOID NTAPI RtlReleasePebLock(VOID)
{
    RtlpReleaseYieldLock(&RtlpPebLock);
}

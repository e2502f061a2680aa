/*
 * peblock.c - the PEB lock (NT: RtlAcquirePebLock/RtlReleasePebLock, over the
 * critical section PEB->FastPebLock points to). It serializes the process-wide
 * state kept in the PEB's process parameters: the current directory (its DosPath
 * and Handle) and the environment block. A thread reading them takes it as well
 * as a thread changing them, because a change frees what was there (the old
 * environment block, the old directory buffer and handle).
 *
 * Recursive, as NT's: RtlSetCurrentDirectory_U holds it while it makes the full
 * path, which takes it again. The section is ntdll's (its data is copy-on-write,
 * so each process has its own); the PEB points at it, with NT 5's
 * FastPebLockRoutine/FastPebUnlockRoutine, for debuggers and for code that reads
 * those fields.
 */
#include "../ntdllp.h"
#include <nt/ntpebteb.h>

static RTL_CRITICAL_SECTION RtlpPebLock = RTLP_CRITICAL_SECTION_INIT;

VOID RtlpInitializePebLock(PPEB Peb)
{
    Peb->FastPebLock = &RtlpPebLock;
    Peb->FastPebLockRoutine = (PVOID)RtlEnterCriticalSection;
    Peb->FastPebUnlockRoutine = (PVOID)RtlLeaveCriticalSection;
}

VOID NTAPI RtlAcquirePebLock(VOID)
{
    RtlEnterCriticalSection(&RtlpPebLock);
}

VOID NTAPI RtlReleasePebLock(VOID)
{
    RtlLeaveCriticalSection(&RtlpPebLock);
}

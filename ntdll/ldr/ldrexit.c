/*
 * ldrexit.c - how threads and processes end in user mode (NT 6's
 * RtlExitUserThread, RtlExitUserProcess, LdrShutdownThread, LdrShutdownProcess).
 *
 * A thread that ends by returning from its routine, or by RtlExitUserThread,
 * first gives the DLLs DLL_THREAD_DETACH and frees its TLS blocks. The last one
 * ends the process instead, through RtlExitUserProcess: every other thread is
 * stopped (NtTerminateProcess(NULL)), the DLLs get DLL_PROCESS_DETACH in reverse
 * initialization order, and only then does the process end.
 *
 * "Last" is the kernel's answer (NtQueryInformationThread's ThreadAmILastThread),
 * as in NT: only the kernel sees every thread, the ones created and not yet
 * started (which never passed through LdrpInitialize) and the ones ended from
 * outside (which never pass through here).
 */
#include "ldrp.h"

VOID NTAPI LdrShutdownThread(VOID)
{
    RtlEnterCriticalSection(&LdrpLoaderLock);
    if (LdrpData.Initialized && !LdrpData.ShutdownInProgress) {
        LdrpCallThreadRoutines(DLL_THREAD_DETACH);
        LdrpUnloadUnreferenced();
    }
    LdrpFreeTls();
    RtlLeaveCriticalSection(&LdrpLoaderLock);
}

VOID NTAPI LdrShutdownProcess(VOID)
{
    RtlEnterCriticalSection(&LdrpLoaderLock);
    if (LdrpData.Initialized && !LdrpData.ShutdownInProgress) {
        LdrpData.ShutdownInProgress = TRUE;
        LdrpData.ShutdownThreadId = LdrpCurrentTeb()->ClientId.UniqueThread;
        LdrpCallProcessDetach(TRUE);
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
}

VOID NTAPI RtlExitUserProcess(NTSTATUS ExitStatus)
{
    /* With the lock held no other thread is inside a DllMain when they are stopped. */
    RtlEnterCriticalSection(&LdrpLoaderLock);
    NtTerminateProcess(NULL, ExitStatus);
    LdrShutdownProcess();
    NtTerminateProcess(NtCurrentProcess(), ExitStatus);
    for (;;)
        ;                               /* not reached */
}

VOID NTAPI RtlExitUserThread(NTSTATUS ExitStatus)
{
    ULONG LastThread = FALSE;

    if (NT_SUCCESS(NtQueryInformationThread(NtCurrentThread(), ThreadAmILastThread, &LastThread,
                                            sizeof(LastThread), NULL)) && LastThread)
        RtlExitUserProcess(ExitStatus);
    LdrShutdownThread();
    NtTerminateThread(NtCurrentThread(), ExitStatus);
    for (;;)
        ;                               /* not reached */
}

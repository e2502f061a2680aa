/*
 * ldrinit.c - LdrpInitialize: the loader's work at the start of each thread,
 * reached from LdrInitializeThunk (i386/ldrthunk.asm) with the thread's start
 * CONTEXT, before the thread runs any code of its image.
 *
 * The first thread of a process binds the exe's imports (ldrsnap.c). In NT this
 * is where the first thread also loads every DLL the exe needs, sets up the
 * process heap and PEB->Ldr, runs the DLLs' initialization; and where later
 * threads call DllMain(DLL_THREAD_ATTACH). Those are the loader issue's (9).
 * Returning leads back through KiUserApcDispatcher to NtContinue(Context, TRUE),
 * which starts the thread at the CONTEXT's EIP (ntdll!RtlUserThreadStart).
 */
#include "ldrp.h"
#include "../ntdllp.h"
#include <nt/context.h>

/* In ntdll's own data, which is copy-on-write: every process has its own. */
static BOOLEAN LdrpProcessInitialized;

VOID NTAPI LdrpInitialize(PCONTEXT Context, PVOID NtdllBase, PVOID SystemArgument2)
{
    NTSTATUS Status;

    (void)Context;
    (void)SystemArgument2;
    if (LdrpProcessInitialized)
        return;
    Status = RtlpInitializeProcessHeap(LdrpCurrentPeb());   /* NT: in LdrpInitializeProcess */
    if (NT_SUCCESS(Status))
        Status = LdrpSnapNtdllImports(LdrpCurrentPeb()->ImageBaseAddress, NtdllBase);
    if (!NT_SUCCESS(Status))
        NtTerminateProcess(NtCurrentProcess(), Status);     /* NT: LdrpInitializationFailure */
    LdrpProcessInitialized = TRUE;
}

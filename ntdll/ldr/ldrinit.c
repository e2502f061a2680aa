/*
 * ldrinit.c - LdrpInitialize: the loader's work at the start of each thread,
 * reached from LdrInitializeThunk (i386/ldrthunk.asm) with the thread's start
 * CONTEXT, before the thread runs any code of its image.
 *
 * In NT this is where a process's first thread snaps the image's imports (loading
 * kernel32 and the rest), runs the DLLs' initialisation routines, sets up the
 * process heap and the PEB's loader data; and where every later thread calls the
 * DLLs' DllMain(DLL_THREAD_ATTACH). That is the loader issue (9).
 *
 * Until then it does nothing: returning leads back through KiUserApcDispatcher to
 * NtContinue(Context, TRUE), which starts the thread at the CONTEXT's EIP (the
 * image's entry point). Programs with no imports - or whose imports the kernel
 * resolved itself - run that way.
 */
#include "../ntdllp.h"

VOID NTAPI LdrpInitialize(PCONTEXT Context, PVOID SystemArgument1, PVOID SystemArgument2)
{
    /* Context: the thread's start; SystemArgument1: ntdll's base (NT's values). */
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
}

/*
 * ldrcall.c - calling into the images (NT: LdrpRunInitializeRoutines,
 * LdrpCallInitRoutine, the loops of LdrpInitializeThread and LdrShutdownThread/
 * -Process): each DLL's TLS callbacks, then its entry point (DllMain), with the
 * reason, always with the loader lock held.
 *
 * Attach goes in initialization order (a DLL after the DLLs it imports), detach
 * in the reverse. The exe has no DllMain, only TLS callbacks, which come after
 * every DLL's on attach and after them too on detach, as in NT.
 */
#include "ldrp.h"

typedef LONG (NTAPI *PDLL_INIT_ROUTINE)(PVOID DllHandle, ULONG Reason, PVOID Context);

/*
 * One DLL's TLS callbacks and DllMain; what DllMain said (TRUE without one). An
 * exe loaded by LdrLoadDll has an entry point too, but it is no DllMain: as in NT,
 * only images marked DLL get called.
 */
BOOLEAN LdrpCallInitRoutine(PLDRP_MODULE Module, ULONG Reason, PVOID Context)
{
    PVOID Previous = LdrpData.EntryInProgress;
    LONG Result = TRUE;

    if (Reason != DLL_PROCESS_DETACH && Reason != DLL_THREAD_DETACH)
        LdrpCallTlsCallbacks(Module, Reason);
    if (Module->Entry.EntryPoint != NULL && (Module->Entry.Flags & LDRP_IMAGE_DLL)) {
        /* While it runs, an unload it causes only marks (ldrunld.c): its image,
           and those of the DLLs being attached with it, stay mapped under it. */
        LdrpActiveUnloadCount++;
        LdrpData.EntryInProgress = &Module->Entry;
        Result = ((PDLL_INIT_ROUTINE)Module->Entry.EntryPoint)(Module->Entry.DllBase, Reason, Context);
        LdrpData.EntryInProgress = Previous;
        LdrpActiveUnloadCount--;
    }
    /* On the way out the callbacks come after DllMain, the mirror of the way in. */
    if (Reason == DLL_PROCESS_DETACH || Reason == DLL_THREAD_DETACH)
        LdrpCallTlsCallbacks(Module, Reason);
    return Result != 0;
}

/*
 * DLL_PROCESS_ATTACH for the DLLs one load brought in: those after Mark (the
 * initialization-order list's tail when the load began) not yet claimed. They are
 * claimed all at once before the first DllMain runs, as NT takes its per-call
 * list, so that a DllMain's own LdrLoadDll initializes only what it brought in
 * and never a DLL still waiting its turn here.
 *
 * Context is what NT passes a DLL of the process's start (the start CONTEXT,
 * non-NULL) or NULL for LdrLoadDll's. A DllMain that returns FALSE fails the load
 * (STATUS_DLL_INIT_FAILED) and the DLLs after it are left unclaimed; a DLL loaded
 * at run time is then at once called with DLL_PROCESS_DETACH, as Windows
 * documents for LoadLibrary (a failing DLL of the process's start is not: the
 * process ends). The caller lets go of its hold, so the failed DLL does not stay.
 */
NTSTATUS LdrpRunInitializeRoutines(PLIST_ENTRY Mark, PCONTEXT Context)
{
    PLIST_ENTRY Link;
    PLDRP_MODULE *Batch;
    ULONG Count = 0, Index;
    NTSTATUS Status = STATUS_SUCCESS;
    CHAR Name[128];

    for (Link = Mark->Flink; Link != &LdrpData.InInitializationOrderModuleList; Link = Link->Flink)
        Count++;
    if (Count == 0)
        return STATUS_SUCCESS;
    Batch = LdrpAllocate(Count * sizeof(PLDRP_MODULE));
    if (Batch == NULL)
        return STATUS_NO_MEMORY;
    Count = 0;
    for (Link = Mark->Flink; Link != &LdrpData.InInitializationOrderModuleList; Link = Link->Flink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InInitializationOrderLinks);

        if (Module->InitRun || (Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS))
            continue;
        Module->InitRun = TRUE;
        Batch[Count++] = Module;
    }

    for (Index = 0; Index < Count; Index++) {
        PLDRP_MODULE Module = Batch[Index];

        if (LdrpCallInitRoutine(Module, DLL_PROCESS_ATTACH, Context)) {
            Module->Entry.Flags |= LDRP_PROCESS_ATTACH_CALLED;
            continue;
        }
        if (Context == NULL)
            LdrpCallInitRoutine(Module, DLL_PROCESS_DETACH, NULL);
        LdrpWideToAnsi(Module->Entry.BaseDllName.Buffer, Module->Entry.BaseDllName.Length / sizeof(WCHAR),
                       Name, sizeof(Name));
        Status = LdrpReport(STATUS_DLL_INIT_FAILED, "the DLL", Name, "failed to initialize", NULL);
        /* Not tried: another load that still holds one of these may initialize it. */
        for (Index++; Index < Count; Index++)
            Batch[Index]->InitRun = FALSE;
        break;
    }
    LdrpFree(Batch);
    return Status;
}

/* DLL_THREAD_ATTACH (in order) or DLL_THREAD_DETACH (in reverse), then the exe's callbacks. */
VOID LdrpCallThreadRoutines(ULONG Reason)
{
    PLIST_ENTRY Head = &LdrpData.InInitializationOrderModuleList, Link;
    BOOLEAN Forward = Reason == DLL_THREAD_ATTACH;

    for (Link = Forward ? Head->Flink : Head->Blink; Link != Head; Link = Forward ? Link->Flink : Link->Blink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InInitializationOrderLinks);

        if ((Module->Entry.Flags & (LDRP_PROCESS_ATTACH_CALLED | LDRP_DONT_CALL_FOR_THREADS)) ==
            LDRP_PROCESS_ATTACH_CALLED)
            LdrpCallInitRoutine(Module, Reason, NULL);
    }
    LdrpCallTlsCallbacks(LdrpExeModule, Reason);
}

/*
 * DLL_PROCESS_DETACH to every DLL that attached, last initialized first, then the
 * exe's callbacks. Context non-NULL tells a DllMain the process is ending (NT's
 * convention), so it need not free what the process's end frees anyway.
 */
VOID LdrpCallProcessDetach(BOOLEAN ProcessEnding)
{
    PLIST_ENTRY Head = &LdrpData.InInitializationOrderModuleList, Link;

    for (Link = Head->Blink; Link != Head; Link = Link->Blink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InInitializationOrderLinks);

        if (!(Module->Entry.Flags & LDRP_PROCESS_ATTACH_CALLED))
            continue;
        Module->Entry.Flags &= ~LDRP_PROCESS_ATTACH_CALLED;
        LdrpCallInitRoutine(Module, DLL_PROCESS_DETACH, ProcessEnding ? (PVOID)1 : NULL);
    }
    LdrpCallTlsCallbacks(LdrpExeModule, DLL_PROCESS_DETACH);
}

/*
 * ldrcall.c - calling into the images (NT: LdrpRunInitializeRoutines, the C side
 * of LdrpCallInitRoutine, the loops of LdrpInitializeThread and LdrShutdownThread/
 * -Process): each DLL's TLS callbacks, then its entry point (DllMain), with the
 * reason, always with the loader lock held.
 *
 * Attach goes in initialization order (a DLL after the DLLs it imports), detach
 * in the reverse. The exe has no DllMain, only TLS callbacks, which come after
 * every DLL's on attach and after them too on detach, as in NT.
 *
 * Every routine is called through LdrpCallInitRoutine (i386/ldrcall.asm), inside
 * an SEH frame of the loader's: an exception the routine does not handle ends the
 * call there and comes back as its code, instead of leaving the loader lock held
 * and the loader's counts half-way for ever (the thread dying, or a caller's
 * __except far out catching it). What NT does with it, which this follows:
 *   - DLL_PROCESS_ATTACH: the attach failed. The load fails with
 *     STATUS_DLL_INIT_FAILED as when DllMain returns FALSE, and the DLL is let go
 *     of; at the process's start the process ends with it. No DLL_PROCESS_DETACH
 *     follows (unlike FALSE, for which Windows documents one): the DllMain was
 *     cut off half-way through its attach, and a detach of what it never
 *     finished making would likely fault again. (NT 4-XP failed LoadLibrary with
 *     the exception's own code, ERROR_NOACCESS for an access violation: Microsoft
 *     KB196069, "the loader encounters an access violation ... executing the
 *     startup code". Here the status is the one a refused attach gives.)
 *   - detach and thread reasons, and TLS callbacks for any reason: ignored, the
 *     loader goes on with the next routine and DLL, as XP's loop over the TLS
 *     callbacks (LdrpCallTlsInitializers, inside a try/except) does; one DLL's
 *     failure to detach must not keep the others from detaching. A DbgPrint line
 *     (standard error here) says which DLL raised what.
 * Either way the loader's own state is put back as it was when the routine was
 * entered (LdrpCallGuarded): the routine may have been inside a nested loader
 * call (its own LdrLoadDll, say) when the exception hit, and the frames unwound
 * past would otherwise keep the lock entered, an unload counted in, another
 * search path.
 */
#include "ldrp.h"

static const char *const LdrpReasonNames[] = { "DLL_PROCESS_DETACH", "DLL_PROCESS_ATTACH", "DLL_THREAD_ATTACH",
                                               "DLL_THREAD_DETACH" };

/*
 * Routine(DllBase, Reason, Context) for Module inside the loader's SEH frame.
 * STATUS_SUCCESS with what it returned in *Result, or the code of the exception
 * that ended it, the loader's state restored and the line printed.
 */
NTSTATUS LdrpCallGuarded(PLDRP_MODULE Module, PVOID Routine, ULONG Reason, PVOID Context, PLONG Result)
{
    ULONG LockDepth = LdrpLoaderLock.RecursionCount;
    ULONG ActiveUnloadCount = LdrpActiveUnloadCount;
    PVOID EntryInProgress = LdrpData.EntryInProgress;
    PCWSTR SearchPath = LdrpSearchPath;
    BOOLEAN ReportFailures = LdrpReportFailures;
    NTSTATUS Status;
    CHAR Name[128];

    Status = LdrpCallInitRoutine(Routine, Module->Entry.DllBase, Reason, Context, Result);
    if (Status == STATUS_SUCCESS)
        return Status;
    /* Whatever nested loader call the exception cut short gives its lock back. */
    while ((ULONG)LdrpLoaderLock.RecursionCount > LockDepth)
        RtlLeaveCriticalSection(&LdrpLoaderLock);
    LdrpActiveUnloadCount = ActiveUnloadCount;
    LdrpData.EntryInProgress = EntryInProgress;
    LdrpSearchPath = SearchPath;
    LdrpReportFailures = ReportFailures;
    LdrpWideToAnsi(Module->Entry.BaseDllName.Buffer, Module->Entry.BaseDllName.Length / sizeof(WCHAR), Name,
                   sizeof(Name));
    DbgPrint("LDR: %s raised exception %08lX in %s for %s\r\n", Name, (ULONG)Status,
             Routine == Module->Entry.EntryPoint ? "its entry point" : "a TLS callback",
             Reason < 4 ? LdrpReasonNames[Reason] : "?");
    return Status;
}

/*
 * One DLL's TLS callbacks and DllMain; what DllMain said (TRUE without one). An
 * exe loaded by LdrLoadDll has an entry point too, but it is no DllMain: as in NT,
 * only images marked DLL get called. *Raised (when not NULL) is the code of the
 * exception that ended DllMain (DllMain's answer is then FALSE), or STATUS_SUCCESS.
 */
BOOLEAN LdrpCallDllRoutines(PLDRP_MODULE Module, ULONG Reason, PVOID Context, PNTSTATUS Raised)
{
    PVOID Previous = LdrpData.EntryInProgress;
    LONG Result = TRUE;
    NTSTATUS Status = STATUS_SUCCESS;

    if (Reason != DLL_PROCESS_DETACH && Reason != DLL_THREAD_DETACH)
        LdrpCallTlsCallbacks(Module, Reason);
    if (Module->Entry.EntryPoint != NULL && (Module->Entry.Flags & LDRP_IMAGE_DLL)) {
        /* While it runs, an unload it causes only marks (ldrunld.c): its image,
           and those of the DLLs being attached with it, stay mapped under it. */
        LdrpActiveUnloadCount++;
        LdrpData.EntryInProgress = &Module->Entry;
        Status = LdrpCallGuarded(Module, Module->Entry.EntryPoint, Reason, Context, &Result);
        if (Status != STATUS_SUCCESS)
            Result = FALSE;
        LdrpData.EntryInProgress = Previous;
        LdrpActiveUnloadCount--;
    }
    /* On the way out the callbacks come after DllMain, the mirror of the way in. */
    if (Reason == DLL_PROCESS_DETACH || Reason == DLL_THREAD_DETACH)
        LdrpCallTlsCallbacks(Module, Reason);
    if (Raised != NULL)
        *Raised = Status;
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
 * non-NULL) or NULL for LdrLoadDll's. A DllMain that returns FALSE or raises fails
 * the load (STATUS_DLL_INIT_FAILED) and the DLLs after it are left unclaimed; a
 * DLL loaded at run time whose DllMain returned FALSE is then at once called with
 * DLL_PROCESS_DETACH, as Windows documents for LoadLibrary (one that raised is
 * not, see above; nor is a failing DLL of the process's start: the process ends).
 * The caller lets go of its hold, so the failed DLL does not stay.
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
        NTSTATUS Raised;

        if (LdrpCallDllRoutines(Module, DLL_PROCESS_ATTACH, Context, &Raised)) {
            Module->Entry.Flags |= LDRP_PROCESS_ATTACH_CALLED;
            continue;
        }
        if (Context == NULL && Raised == STATUS_SUCCESS)
            LdrpCallDllRoutines(Module, DLL_PROCESS_DETACH, NULL, NULL);
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
            LdrpCallDllRoutines(Module, Reason, NULL, NULL);
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
        LdrpCallDllRoutines(Module, DLL_PROCESS_DETACH, ProcessEnding ? (PVOID)1 : NULL, NULL);
    }
    LdrpCallTlsCallbacks(LdrpExeModule, DLL_PROCESS_DETACH);
}

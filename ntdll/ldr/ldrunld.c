/*
 * ldrunld.c - reference counts and unloading (NT: LdrpUpdateLoadCount2,
 * LdrUnloadDll's core, LdrpActiveUnloadCount).
 *
 * Counts, NT's way: a hold on a module (one LdrLoadDll, or one module forwarding
 * to it) adds one to the LoadCount of the module and of every module it imports,
 * directly or not, each once however many paths lead to it; releasing the hold
 * walks the same graph and takes the one away. So two DLLs importing each other
 * are counted by the holds on them, not by each other, and go when the last hold
 * goes. The exe, ntdll and what the exe's imports reached are pinned
 * (LDRP_PINNED_COUNT) and walks stop there: the exe never lets them go.
 *
 * The graph is the import edges, fixed when a module's imports are bound; a
 * forwarder's DLL is a hold of its own, kept in the forwarding module's Forwards
 * and released when that module goes (a forwarder can name a DLL long after the
 * module was loaded, and an edge added then would be missing from the holds
 * already counted through it).
 *
 * A module whose count reaches zero is marked LDRP_UNLOAD_IN_PROGRESS and drops
 * out of sight (LdrpFindModule skips it). LdrpUnloadUnreferenced then gives the
 * marked ones DLL_PROCESS_DETACH, last initialized first, and unmaps them. A
 * DllMain may itself unload (or load, and fail): LdrpActiveUnloadCount counts the
 * unloads and DllMain calls in progress, and while it is not zero nothing is
 * detached or unmapped by the nested call - its releases only mark, and the
 * outermost caller's loop picks the marked modules up. No image is unmapped
 * while code of it may be running.
 */
#include "ldrp.h"

ULONG LdrpActiveUnloadCount;
static ULONG LdrpWalkStamp;

static NTSTATUS LdrpAddToSet(PLDRP_MODULE_SET Set, PLDRP_MODULE Target, PBOOLEAN Added)
{
    PLDRP_MODULE *Larger;
    ULONG Index;

    *Added = FALSE;
    for (Index = 0; Index < Set->Count; Index++)
        if (Set->Items[Index] == Target)
            return STATUS_SUCCESS;
    if (Set->Count == Set->Limit) {
        Larger = LdrpAllocate((Set->Limit + 8) * sizeof(PLDRP_MODULE));
        if (Larger == NULL)
            return STATUS_NO_MEMORY;
        for (Index = 0; Index < Set->Count; Index++)
            Larger[Index] = Set->Items[Index];
        LdrpFree(Set->Items);
        Set->Items = Larger;
        Set->Limit += 8;
    }
    Set->Items[Set->Count++] = Target;
    *Added = TRUE;
    return STATUS_SUCCESS;
}

NTSTATUS LdrpAddImport(PLDRP_MODULE Module, PLDRP_MODULE Target)
{
    BOOLEAN Added;

    if (Module == Target)
        return STATUS_SUCCESS;
    return LdrpAddToSet(&Module->Imports, Target, &Added);
}

NTSTATUS LdrpAddForward(PLDRP_MODULE Module, PLDRP_MODULE Target)
{
    BOOLEAN Added;
    NTSTATUS Status;

    if (Module == Target)
        return STATUS_SUCCESS;
    Status = LdrpAddToSet(&Module->Forwards, Target, &Added);
    if (NT_SUCCESS(Status) && Added)
        LdrpHold(Target);
    return Status;
}

/* Adds Delta (+1 or -1) to Module and to all it imports, each once (Stamp marks the visited). */
static VOID LdrpWalk(PLDRP_MODULE Module, ULONG Stamp, LONG Delta)
{
    ULONG Index;

    if (Module->WalkStamp == Stamp || Module->Entry.LoadCount == LDRP_PINNED_COUNT)
        return;
    Module->WalkStamp = Stamp;
    if (Delta > 0) {
        Module->Entry.LoadCount++;
    } else {
        if (Module->Entry.LoadCount == 0)
            return;                     /* already let go of, with its imports */
        if (--Module->Entry.LoadCount == 0)
            Module->Entry.Flags |= LDRP_UNLOAD_IN_PROGRESS;
    }
    for (Index = 0; Index < Module->Imports.Count; Index++)
        LdrpWalk(Module->Imports.Items[Index], Stamp, Delta);
}

VOID LdrpHold(PLDRP_MODULE Module)
{
    LdrpWalk(Module, ++LdrpWalkStamp, 1);
}

/* The holds of the modules just marked: each released in a walk of its own, once
   the walk that marked them is done (a walk inside a walk would reuse its stamps). */
static VOID LdrpReleaseForwardsOfMarked(VOID)
{
    PLIST_ENTRY Link;
    LDRP_MODULE_SET Forwards;
    ULONG Index;
    BOOLEAN Again = TRUE;

    while (Again) {
        Again = FALSE;
        for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList;
             Link = Link->Flink) {
            PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InLoadOrderLinks);

            if (!(Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS) || Module->Forwards.Count == 0)
                continue;
            Forwards = Module->Forwards;
            Module->Forwards.Count = Module->Forwards.Limit = 0;
            Module->Forwards.Items = NULL;
            for (Index = 0; Index < Forwards.Count; Index++)
                LdrpWalk(Forwards.Items[Index], ++LdrpWalkStamp, -1);
            LdrpFree(Forwards.Items);
            Again = TRUE;
            break;
        }
    }
}

VOID LdrpRelease(PLDRP_MODULE Module)
{
    LdrpWalk(Module, ++LdrpWalkStamp, -1);
    LdrpReleaseForwardsOfMarked();
}

/* The forwarder holds Module took after it had Count of them, let go of (newest first). */
VOID LdrpReleaseForwardsSince(PLDRP_MODULE Module, ULONG Count)
{
    while (Module->Forwards.Count > Count)
        LdrpRelease(Module->Forwards.Items[--Module->Forwards.Count]);
}

/*
 * After a load that failed before any hold was taken: what it mapped (everything
 * after Mark in load order that nobody holds) is marked for unloading.
 */
VOID LdrpDiscardNewModules(PLIST_ENTRY Mark)
{
    PLIST_ENTRY Link;

    for (Link = Mark->Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InLoadOrderLinks);
        if (Module->Entry.LoadCount == 0)
            Module->Entry.Flags |= LDRP_UNLOAD_IN_PROGRESS;
    }
    LdrpReleaseForwardsOfMarked();
}

/* The marked module initialized last that still has to be detached, or NULL. */
static PLDRP_MODULE LdrpNextToDetach(VOID)
{
    PLIST_ENTRY Link;

    for (Link = LdrpData.InInitializationOrderModuleList.Blink; Link != &LdrpData.InInitializationOrderModuleList;
         Link = Link->Blink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InInitializationOrderLinks);
        if ((Module->Entry.Flags & (LDRP_UNLOAD_IN_PROGRESS | LDRP_PROCESS_ATTACH_CALLED)) ==
            (LDRP_UNLOAD_IN_PROGRESS | LDRP_PROCESS_ATTACH_CALLED))
            return Module;
    }
    return NULL;
}

VOID LdrpUnloadUnreferenced(VOID)
{
    PLIST_ENTRY Link, Next;
    PLDRP_MODULE Module;

    if (LdrpActiveUnloadCount != 0)
        return;                         /* the outermost caller does it */
    LdrpActiveUnloadCount++;
    /* Detach, last initialized first; a DllMain here may mark more, so look again each time. */
    while ((Module = LdrpNextToDetach()) != NULL) {
        Module->Entry.Flags &= ~LDRP_PROCESS_ATTACH_CALLED;
        LdrpCallDllRoutines(Module, DLL_PROCESS_DETACH, NULL, NULL);
    }
    /* Then out of every list, unmapped, freed: no DllMain runs from here on. */
    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Next) {
        Next = Link->Flink;
        Module = LDRP_MODULE_OF(Link, InLoadOrderLinks);
        if (!(Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS))
            continue;
        RemoveEntryList(&Module->Entry.InLoadOrderLinks);
        RemoveEntryList(&Module->Entry.InMemoryOrderLinks);
        RemoveEntryList(&Module->Entry.InInitializationOrderLinks);   /* self-linked if never inserted */
        if (Module->Mapped)
            NtUnmapViewOfSection(NtCurrentProcess(), Module->Entry.DllBase);
        LdrpFree(Module->Imports.Items);
        LdrpFree(Module->Forwards.Items);
        LdrpFree(Module);
    }
    LdrpActiveUnloadCount--;
}

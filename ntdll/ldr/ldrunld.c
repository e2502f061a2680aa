/*
 * ldrunld.c - reference counts and unloading (NT: LdrpUpdateLoadCount,
 * LdrUnloadDll's core).
 *
 * LoadCount is how many holders a module has: each module that imports it or
 * forwards to it (once per pair), and each LdrLoadDll not yet matched by an
 * LdrUnloadDll. The exe and ntdll are pinned (LDRP_PINNED_COUNT) and so is
 * everything the exe's static imports reached, which the exe never lets go of.
 * When a count reaches zero the module lets go of its own dependencies, and every
 * module so released is marked LDRP_UNLOAD_IN_PROGRESS; LdrpUnloadUnreferenced
 * then runs their DLL_PROCESS_DETACH in reverse initialization order (a DLL still
 * finds the DLLs it imports alive in its DllMain) and unmaps them.
 */
#include "ldrp.h"

NTSTATUS LdrpAddDependency(PLDRP_MODULE Module, PLDRP_MODULE Target)
{
    ULONG Index;
    PLDRP_MODULE *Larger;

    if (Module == Target)
        return STATUS_SUCCESS;
    for (Index = 0; Index < Module->DependencyCount; Index++)
        if (Module->Dependencies[Index] == Target)
            return STATUS_SUCCESS;
    if (Module->DependencyCount == Module->DependencyLimit) {
        Larger = LdrpAllocate((Module->DependencyLimit + 8) * sizeof(PLDRP_MODULE));
        if (Larger == NULL)
            return STATUS_NO_MEMORY;
        for (Index = 0; Index < Module->DependencyCount; Index++)
            Larger[Index] = Module->Dependencies[Index];
        LdrpFree(Module->Dependencies);
        Module->Dependencies = Larger;
        Module->DependencyLimit += 8;
    }
    Module->Dependencies[Module->DependencyCount++] = Target;
    LdrpReference(Target);
    return STATUS_SUCCESS;
}

VOID LdrpReference(PLDRP_MODULE Module)
{
    if (Module->Entry.LoadCount != LDRP_PINNED_COUNT)
        Module->Entry.LoadCount++;
}

VOID LdrpDereference(PLDRP_MODULE Module)
{
    ULONG Index;

    if (Module->Entry.LoadCount == LDRP_PINNED_COUNT || Module->Entry.LoadCount == 0)
        return;
    if (--Module->Entry.LoadCount != 0)
        return;
    Module->Entry.Flags |= LDRP_UNLOAD_IN_PROGRESS;
    for (Index = 0; Index < Module->DependencyCount; Index++)
        LdrpDereference(Module->Dependencies[Index]);
}

VOID LdrpUnloadUnreferenced(VOID)
{
    PLIST_ENTRY Link, Next;
    PLDRP_MODULE Module;

    /* Detach, last initialized first. */
    for (Link = LdrpData.InInitializationOrderModuleList.Blink; Link != &LdrpData.InInitializationOrderModuleList;
         Link = Link->Blink) {
        Module = LDRP_MODULE_OF(Link, InInitializationOrderLinks);
        if (!(Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS) || !(Module->Entry.Flags & LDRP_PROCESS_ATTACH_CALLED))
            continue;
        Module->Entry.Flags &= ~LDRP_PROCESS_ATTACH_CALLED;
        LdrpCallInitRoutine(Module, DLL_PROCESS_DETACH, NULL);
    }
    /* Then out of every list, unmapped, freed. */
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
        LdrpFree(Module->Dependencies);
        LdrpFree(Module);
    }
}

/*
 * ldrfind.c - which loaded image an address is in (NT: LdrFindEntryForAddress,
 * and RtlPcToFileHeader on top of it, which exception and stack-walking code call
 * with an instruction pointer). The module list is walked under the loader lock,
 * as NT's does: a DLL being loaded or unloaded on another thread changes it.
 *
 * The entry returned stays valid only while the module stays loaded: as on NT,
 * the caller is trusted to hold the image (an address in its own code, say).
 */
#include "ldrp.h"

/* Caller holds the loader lock. */
static PLDR_DATA_TABLE_ENTRY LdrpFindEntryForAddress(PVOID Address)
{
    PLIST_ENTRY Link;

    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink) {
        PLDR_DATA_TABLE_ENTRY Entry = &LDRP_MODULE_OF(Link, InLoadOrderLinks)->Entry;
        ULONG_PTR Offset = (ULONG_PTR)Address - (ULONG_PTR)Entry->DllBase;

        if ((ULONG_PTR)Address >= (ULONG_PTR)Entry->DllBase && Offset < Entry->SizeOfImage)
            return Entry;
    }
    return NULL;
}

/* The entry of the image whose view holds Address; STATUS_NO_MORE_ENTRIES when none does. */
NTSTATUS NTAPI LdrFindEntryForAddress(PVOID Address, PLDR_DATA_TABLE_ENTRY *TableEntry)
{
    PLDR_DATA_TABLE_ENTRY Entry;

    RtlEnterCriticalSection(&LdrpLoaderLock);
    Entry = LdrpFindEntryForAddress(Address);
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    if (Entry == NULL)
        return STATUS_NO_MORE_ENTRIES;
    *TableEntry = Entry;
    return STATUS_SUCCESS;
}

/* The base of the image PcValue is in (also to *BaseOfImage), or NULL. */
PVOID NTAPI RtlPcToFileHeader(PVOID PcValue, PVOID *BaseOfImage)
{
    PLDR_DATA_TABLE_ENTRY Entry;

    *BaseOfImage = NT_SUCCESS(LdrFindEntryForAddress(PcValue, &Entry)) ? Entry->DllBase : NULL;
    return *BaseOfImage;
}

/*
 * ldrapi.c - the loader's run-time interface, with NT's prototypes: LdrLoadDll,
 * LdrUnloadDll, LdrGetDllHandle, LdrGetProcedureAddress and
 * LdrQueryProcessModuleInformation (what kernel32's LoadLibrary, FreeLibrary,
 * GetModuleHandle and GetProcAddress stand on). Each holds the loader lock for
 * its whole work, so loads on two threads never see each other half done.
 */
#include "ldrp.h"

#define LDRP_UNICODE_LENGTH(String) ((String)->Length / sizeof(WCHAR))

/*
 * Loads Name (a base name searched for, or a path) and what it imports, runs the
 * new DLLs' DLL_PROCESS_ATTACH, and takes one reference for the caller. SearchPath
 * (';'-separated folders) replaces the default order when given, for the DLL and
 * its imports. On failure nothing the call loaded stays.
 */
NTSTATUS NTAPI LdrLoadDll(PWSTR SearchPath, PULONG Flags, PUNICODE_STRING Name, PVOID *BaseAddress)
{
    PCWSTR Previous;
    PLDRP_MODULE Module = NULL;
    NTSTATUS Status;

    (void)Flags;
    if (Name == NULL || Name->Buffer == NULL || Name->Length == 0 || BaseAddress == NULL)
        return STATUS_INVALID_PARAMETER;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    Previous = LdrpSearchPath;
    LdrpSearchPath = SearchPath != NULL ? SearchPath : LdrpDefaultPath;
    Status = LdrpLoadModule(LdrpSearchPath, Name->Buffer, LDRP_UNICODE_LENGTH(Name), &Module);
    if (NT_SUCCESS(Status)) {
        LdrpReference(Module);
        Status = LdrpRunInitializeRoutines(NULL);
        if (!NT_SUCCESS(Status))
            LdrpDereference(Module);
    }
    LdrpUnloadUnreferenced();
    LdrpSearchPath = Previous;
    *BaseAddress = NT_SUCCESS(Status) ? Module->Entry.DllBase : NULL;
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return Status;
}

/* One reference fewer; at none the DLL (and what only it held) detaches and unmaps. */
NTSTATUS NTAPI LdrUnloadDll(PVOID BaseAddress)
{
    PLDRP_MODULE Module;
    NTSTATUS Status = STATUS_SUCCESS;

    RtlEnterCriticalSection(&LdrpLoaderLock);
    Module = LdrpFindModuleByBase(BaseAddress);
    if (Module == NULL || (Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS)) {
        Status = STATUS_DLL_NOT_FOUND;
    } else if (!LdrpData.ShutdownInProgress) {
        LdrpDereference(Module);
        LdrpUnloadUnreferenced();
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return Status;
}

/* The base of a loaded module by name, without loading or counting anything. */
NTSTATUS NTAPI LdrGetDllHandle(PWSTR SearchPath, PULONG Characteristics, PUNICODE_STRING Name, PVOID *BaseAddress)
{
    PLDRP_MODULE Module;
    NTSTATUS Status = STATUS_DLL_NOT_FOUND;

    (void)SearchPath;
    (void)Characteristics;
    if (Name == NULL || Name->Buffer == NULL || BaseAddress == NULL)
        return STATUS_INVALID_PARAMETER;
    RtlEnterCriticalSection(&LdrpLoaderLock);
    Module = LdrpFindModule(Name->Buffer, LDRP_UNICODE_LENGTH(Name));
    *BaseAddress = NULL;
    if (Module != NULL && (Module->Entry.Flags & LDRP_ENTRY_PROCESSED)) {
        *BaseAddress = Module->Entry.DllBase;
        Status = STATUS_SUCCESS;
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return Status;
}

/*
 * An export of the module at BaseAddress, by Name (an ANSI_STRING, not
 * necessarily NUL-terminated) or, with Name NULL, by Ordinal. A forwarder to a
 * DLL not yet loaded loads it (and runs its DLL_PROCESS_ATTACH).
 */
NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name, ULONG Ordinal, PVOID *Address)
{
    CHAR Buffer[256];
    PCSTR Export = NULL;
    PLDRP_MODULE Module;
    PCWSTR Previous;
    ULONG Index;
    NTSTATUS Status;

    if (Address == NULL)
        return STATUS_INVALID_PARAMETER;
    *Address = NULL;
    if (Name != NULL) {
        if (Name->Buffer == NULL || Name->Length >= sizeof(Buffer))
            return STATUS_INVALID_PARAMETER;
        for (Index = 0; Index < Name->Length; Index++)
            Buffer[Index] = Name->Buffer[Index];
        Buffer[Index] = 0;
        Export = Buffer;
    }
    RtlEnterCriticalSection(&LdrpLoaderLock);
    Module = LdrpFindModuleByBase(BaseAddress);
    if (Module == NULL) {
        Status = STATUS_DLL_NOT_FOUND;
    } else {
        Previous = LdrpSearchPath;
        LdrpSearchPath = LdrpDefaultPath;
        Status = LdrpGetProcedureAddress(Module, Export, 0, Ordinal, Address);
        if (NT_SUCCESS(Status))
            Status = LdrpRunInitializeRoutines(NULL);
        /* A forwarder's DLL that failed to load or initialize does not stay. */
        LdrpUnloadUnreferenced();
        LdrpSearchPath = Previous;
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return Status;
}

/* The loaded modules, in load order, as NT's RTL_PROCESS_MODULES. */
NTSTATUS NTAPI LdrQueryProcessModuleInformation(PRTL_PROCESS_MODULES Modules, ULONG Size, PULONG ReturnedSize)
{
    PLIST_ENTRY Link, Init;
    ULONG Count = 0, Needed, Index;
    NTSTATUS Status = STATUS_SUCCESS;

    RtlEnterCriticalSection(&LdrpLoaderLock);
    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink)
        Count++;
    Needed = sizeof(ULONG) + Count * sizeof(RTL_PROCESS_MODULE_INFORMATION);
    if (ReturnedSize != NULL)
        *ReturnedSize = Needed;
    if (Modules == NULL || Size < Needed) {
        RtlLeaveCriticalSection(&LdrpLoaderLock);
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    Modules->NumberOfModules = Count;
    Index = 0;
    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InLoadOrderLinks);
        PRTL_PROCESS_MODULE_INFORMATION Info = &Modules->Modules[Index];
        USHORT InitIndex = 0;

        for (Init = LdrpData.InInitializationOrderModuleList.Flink;
             Init != &LdrpData.InInitializationOrderModuleList && Init != &Module->Entry.InInitializationOrderLinks;
             Init = Init->Flink)
            InitIndex++;
        Info->Section = NULL;
        Info->MappedBase = Module->Entry.DllBase;
        Info->ImageBase = Module->Entry.DllBase;
        Info->ImageSize = Module->Entry.SizeOfImage;
        Info->Flags = Module->Entry.Flags;
        Info->LoadOrderIndex = (USHORT)Index;
        Info->InitOrderIndex = InitIndex;
        Info->LoadCount = Module->Entry.LoadCount;
        Info->OffsetToFileName = (USHORT)(Module->Entry.BaseDllName.Buffer - Module->Entry.FullDllName.Buffer);
        LdrpWideToAnsi(Module->Entry.FullDllName.Buffer, LDRP_UNICODE_LENGTH(&Module->Entry.FullDllName),
                       (PSTR)Info->FullPathName, sizeof(Info->FullPathName));
        Index++;
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return Status;
}

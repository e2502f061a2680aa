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
 * The run-time calls report nothing on standard error: a DLL that may be missing
 * is a normal answer to them, even when a DllMain asks while the process starts.
 * Their failures are their caller's to report (NT raises no hard error for them).
 */
typedef struct _LDRP_CALL {
    PCWSTR SearchPath;
    BOOLEAN ReportFailures;
    PLIST_ENTRY LoadMark;               /* the load-order list's tail when the call began */
    PLIST_ENTRY InitMark;               /* the initialization-order list's */
} LDRP_CALL;

static VOID LdrpBeginCall(LDRP_CALL *Call, PCWSTR SearchPath)
{
    RtlEnterCriticalSection(&LdrpLoaderLock);
    Call->SearchPath = LdrpSearchPath;
    Call->ReportFailures = LdrpReportFailures;
    Call->LoadMark = LdrpData.InLoadOrderModuleList.Blink;
    Call->InitMark = LdrpData.InInitializationOrderModuleList.Blink;
    LdrpSearchPath = SearchPath;
    LdrpReportFailures = FALSE;
}

static VOID LdrpEndCall(LDRP_CALL *Call)
{
    LdrpUnloadUnreferenced();
    LdrpSearchPath = Call->SearchPath;
    LdrpReportFailures = Call->ReportFailures;
    RtlLeaveCriticalSection(&LdrpLoaderLock);
}

/*
 * Loads Name (a base name searched for, or a path) and what it imports, takes one
 * hold for the caller, and runs DLL_PROCESS_ATTACH for the DLLs this call brought
 * in. SearchPath (';'-separated folders) replaces the default order when given,
 * for the DLL and its imports. On failure nothing the call loaded stays.
 */
NTSTATUS NTAPI LdrLoadDll(PWSTR SearchPath, PULONG Flags, PUNICODE_STRING Name, PVOID *BaseAddress)
{
    PLDRP_MODULE Module = NULL;
    LDRP_CALL Call;
    NTSTATUS Status;

    (void)Flags;
    if (Name == NULL || Name->Buffer == NULL || Name->Length == 0 || BaseAddress == NULL)
        return STATUS_INVALID_PARAMETER;
    LdrpBeginCall(&Call, SearchPath != NULL ? SearchPath : LdrpDefaultPath);
    Status = LdrpLoadModule(LdrpSearchPath, Name->Buffer, LDRP_UNICODE_LENGTH(Name), &Module);
    if (NT_SUCCESS(Status)) {
        /* Held before any DllMain runs, so one that unloads cannot take it away. */
        LdrpHold(Module);
        Status = LdrpRunInitializeRoutines(Call.InitMark, NULL);
        if (!NT_SUCCESS(Status))
            LdrpRelease(Module);
    } else {
        LdrpDiscardNewModules(Call.LoadMark);
    }
    *BaseAddress = NT_SUCCESS(Status) ? Module->Entry.DllBase : NULL;
    LdrpEndCall(&Call);
    return Status;
}

/*
 * One hold fewer; the modules no hold reaches any more detach and unmap. Called
 * from a DllMain (while another unload is detaching, say), it only lets go: the
 * outermost call does the detaching and unmapping (ldrunld.c).
 */
NTSTATUS NTAPI LdrUnloadDll(PVOID BaseAddress)
{
    PLDRP_MODULE Module;
    NTSTATUS Status = STATUS_SUCCESS;

    RtlEnterCriticalSection(&LdrpLoaderLock);
    Module = LdrpFindModuleByBase(BaseAddress);
    if (Module == NULL || (Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS)) {
        Status = STATUS_DLL_NOT_FOUND;
    } else if (!LdrpData.ShutdownInProgress) {
        LdrpRelease(Module);
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
 * necessarily NUL-terminated, of any length) or, with Name NULL, by Ordinal. A
 * forwarder to a DLL not yet loaded loads it (and runs its DLL_PROCESS_ATTACH);
 * if that DLL cannot be loaded or initialized, or the export is not there after
 * all, the holds the lookup took are let go of and what it loaded goes.
 */
NTSTATUS NTAPI LdrGetProcedureAddress(PVOID BaseAddress, PANSI_STRING Name, ULONG Ordinal, PVOID *Address)
{
    LDRP_FORWARD_LOG Log;
    PLDRP_MODULE Module;
    LDRP_CALL Call;
    NTSTATUS Status;

    if (Address == NULL || (Name != NULL && Name->Buffer == NULL))
        return STATUS_INVALID_PARAMETER;
    *Address = NULL;
    LdrpBeginCall(&Call, LdrpDefaultPath);
    Module = LdrpFindModuleByBase(BaseAddress);
    if (Module == NULL || (Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS)) {
        Status = STATUS_DLL_NOT_FOUND;
    } else {
        Log.Count = 0;
        Status = LdrpGetProcedureAddress(Module, Name != NULL ? Name->Buffer : NULL, Name != NULL ? Name->Length : 0,
                                         0, Ordinal, Address, &Log);
        if (NT_SUCCESS(Status))
            Status = LdrpRunInitializeRoutines(Call.InitMark, NULL);
        if (!NT_SUCCESS(Status)) {
            *Address = NULL;
            LdrpUndoForwards(&Log);
            LdrpDiscardNewModules(Call.LoadMark);
        }
    }
    LdrpEndCall(&Call);
    return Status;
}

/*
 * The loaded modules, in load order, as NT's RTL_PROCESS_MODULES. A module whose
 * unload is under way (its count gone to 0, marked LDRP_UNLOAD_IN_PROGRESS, being
 * detached: a DllMain may ask while it is) is no longer loaded as far as callers
 * can tell (LdrGetDllHandle does not find it either), so it is left out.
 * FullPathName holds 255 characters and its NUL: a longer path is cut, and
 * OffsetToFileName then points at most at the cut name's end, never past it.
 */
static BOOLEAN LdrpListed(PLDRP_MODULE Module)
{
    return !(Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS);
}

NTSTATUS NTAPI LdrQueryProcessModuleInformation(PRTL_PROCESS_MODULES Modules, ULONG Size, PULONG ReturnedSize)
{
    PLIST_ENTRY Link, Init;
    ULONG Count = 0, Needed, Index, Written, Offset;
    NTSTATUS Status = STATUS_SUCCESS;

    RtlEnterCriticalSection(&LdrpLoaderLock);
    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink)
        if (LdrpListed(LDRP_MODULE_OF(Link, InLoadOrderLinks)))
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

        if (!LdrpListed(Module))
            continue;
        for (Init = LdrpData.InInitializationOrderModuleList.Flink;
             Init != &LdrpData.InInitializationOrderModuleList && Init != &Module->Entry.InInitializationOrderLinks;
             Init = Init->Flink)
            if (LdrpListed(LDRP_MODULE_OF(Init, InInitializationOrderLinks)))
                InitIndex++;
        Info->Section = NULL;
        Info->MappedBase = Module->Entry.DllBase;
        Info->ImageBase = Module->Entry.DllBase;
        Info->ImageSize = Module->Entry.SizeOfImage;
        Info->Flags = Module->Entry.Flags;
        Info->LoadOrderIndex = (USHORT)Index;
        Info->InitOrderIndex = InitIndex;
        Info->LoadCount = Module->Entry.LoadCount;
        Written = LdrpWideToAnsi(Module->Entry.FullDllName.Buffer, LDRP_UNICODE_LENGTH(&Module->Entry.FullDllName),
                                 (PSTR)Info->FullPathName, sizeof(Info->FullPathName));
        Offset = (ULONG)(Module->Entry.BaseDllName.Buffer - Module->Entry.FullDllName.Buffer);
        Info->OffsetToFileName = (USHORT)(Offset < Written ? Offset : Written);
        Index++;
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return Status;
}

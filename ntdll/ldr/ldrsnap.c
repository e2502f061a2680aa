/*
 * ldrsnap.c - loading what an image imports and binding its import address
 * table (NT: LdrpLoadDll's core, LdrpWalkImportDescriptor, LdrpSnapIAT).
 *
 * Depth first: a DLL is mapped, its own imports are loaded and bound, and only
 * then does it join the initialization-order list, so every DLL comes after the
 * DLLs it imports and its DllMain runs after theirs. A DLL already in the
 * load-order list is taken as it is, even one whose imports are still being bound
 * further up (an import cycle): its initialization order is then the order the
 * walk finished them in, as in NT.
 *
 * Each module records the DLLs it imports, the edges along which a hold on it
 * counts them too (ldrunld.c), so the DLLs under a run-time LdrLoadDll go away
 * with it. A load that fails leaves its new modules unheld, for its caller to
 * discard (LdrpDiscardNewModules).
 */
#include "ldrp.h"

/* The search path of the load in progress: LdrLoadDll's, or the default. */
PCWSTR LdrpSearchPath;

NTSTATUS LdrpLoadModule(PCWSTR SearchPath, PCWSTR Name, ULONG Length, PLDRP_MODULE *Result)
{
    PLDRP_MODULE Module = LdrpFindModule(Name, Length);
    CHAR Ansi[128];
    NTSTATUS Status;

    if (Module != NULL) {
        *Result = Module;
        return STATUS_SUCCESS;
    }
    Status = LdrpMapDll(SearchPath, Name, Length, &Module);
    if (!NT_SUCCESS(Status)) {
        LdrpWideToAnsi(Name, Length, Ansi, sizeof(Ansi));
        if (Status == STATUS_DLL_NOT_FOUND)
            return LdrpReport(Status, "the DLL", Ansi, "was not found", NULL);
        return LdrpReport(Status, "the DLL", Ansi, "is not a valid image", NULL);
    }
    Module->Entry.Flags |= LDRP_LOAD_IN_PROGRESS;
    Status = LdrpWalkImports(Module);
    Module->Entry.Flags &= ~LDRP_LOAD_IN_PROGRESS;
    if (!NT_SUCCESS(Status))
        return Status;
    Module->Entry.Flags |= LDRP_ENTRY_PROCESSED;
    InsertTailList(&LdrpData.InInitializationOrderModuleList, &Module->Entry.InInitializationOrderLinks);
    *Result = Module;
    return STATUS_SUCCESS;
}

/* An import's (or a forwarder's) DLL by its ANSI name (Length characters), loaded on the current search path. */
NTSTATUS LdrpLoadModuleAnsi(PCSTR Name, ULONG Length, PLDRP_MODULE *Module)
{
    WCHAR Wide[128];
    CHAR Ansi[128];
    ULONG Index;

    if (Length == 0 || Length >= 128) {
        for (Index = 0; Index < Length && Index + 1 < sizeof(Ansi); Index++)
            Ansi[Index] = Name[Index];
        Ansi[Index] = 0;
        return LdrpReport(STATUS_DLL_NOT_FOUND, "the DLL", Ansi, "was not found", NULL);
    }
    LdrpAnsiToWide(Name, Length, Wide);
    return LdrpLoadModule(LdrpSearchPath, Wide, Length, Module);
}

static PCSTR LdrpFormatOrdinal(ULONG Ordinal, PCHAR Buffer)
{
    PCHAR Out = Buffer + 15;

    *Out = 0;
    do {
        *--Out = (CHAR)('0' + Ordinal % 10);
        Ordinal /= 10;
    } while (Ordinal != 0);
    *--Out = '#';
    return Out;
}

/*
 * Whether the section holding Rva is writable as mapped: MinGW puts the IAT in a
 * writable .idata, other linkers in read-only .rdata. Two system calls per DLL
 * saved when it needs no NtProtectVirtualMemory.
 */
static BOOLEAN LdrpIsWritable(PVOID Base, ULONG Rva)
{
    PIMAGE_NT_HEADERS32 Nt = LdrpNtHeader(Base);
    PIMAGE_SECTION_HEADER Section = IMAGE_FIRST_SECTION(Nt);
    ULONG Index;

    for (Index = 0; Index < Nt->FileHeader.NumberOfSections; Index++, Section++)
        if (Rva >= Section->VirtualAddress && Rva - Section->VirtualAddress < Section->Misc.VirtualSize)
            return (Section->Characteristics & IMAGE_SCN_MEM_WRITE) != 0;
    return FALSE;
}

/* Fills one DLL's part of the IAT, made writable for the time it takes if it is not. */
static NTSTATUS LdrpSnapDescriptor(PLDRP_MODULE Module, PIMAGE_IMPORT_DESCRIPTOR Descriptor, PLDRP_MODULE Target)
{
    PUCHAR Image = Module->Entry.DllBase;
    PCSTR DllName = (PCSTR)Image + Descriptor->Name;
    PIMAGE_THUNK_DATA32 Names, Addresses;
    PVOID Protect;
    SIZE_T Size;
    ULONG Count, OldProtect, Index;
    NTSTATUS Status = STATUS_SUCCESS;
    CHAR Number[16];
    ULONG NamesRva = Descriptor->OriginalFirstThunk != 0 ? Descriptor->OriginalFirstThunk : Descriptor->FirstThunk;

    Addresses = (PIMAGE_THUNK_DATA32)(Image + Descriptor->FirstThunk);
    Names = (PIMAGE_THUNK_DATA32)(Image + NamesRva);
    /* Both tables, up to the name table's zero, inside the image. */
    for (Count = 0;; Count++) {
        if (!LdrpArrayInImage(Image, NamesRva, Count + 1, sizeof(IMAGE_THUNK_DATA32)))
            return LdrpReport(STATUS_INVALID_IMAGE_FORMAT, "the imports from", DllName, "are damaged", NULL);
        if (Names[Count].u1.AddressOfData == 0)
            break;
    }
    if (Count == 0)
        return STATUS_SUCCESS;
    if (!LdrpArrayInImage(Image, Descriptor->FirstThunk, Count, sizeof(IMAGE_THUNK_DATA32)))
        return LdrpReport(STATUS_INVALID_IMAGE_FORMAT, "the imports from", DllName, "are damaged", NULL);

    Protect = NULL;
    if (!LdrpIsWritable(Image, Descriptor->FirstThunk)) {
        Protect = Addresses;
        Size = Count * sizeof(IMAGE_THUNK_DATA32);
        Status = NtProtectVirtualMemory(NtCurrentProcess(), &Protect, &Size, PAGE_READWRITE, &OldProtect);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    for (Index = 0; Index < Count && NT_SUCCESS(Status); Index++) {
        ULONG Thunk = Names[Index].u1.AddressOfData;
        PVOID Address = NULL;

        if (IMAGE_SNAP_BY_ORDINAL32(Thunk)) {
            Status = LdrpGetProcedureAddress(Target, NULL, 0, 0, IMAGE_ORDINAL32(Thunk), &Address, NULL);
            if (Status == STATUS_ORDINAL_NOT_FOUND)
                LdrpReport(Status, "the ordinal", LdrpFormatOrdinal(IMAGE_ORDINAL32(Thunk), Number),
                           "was not found in", DllName);
        } else {
            PIMAGE_IMPORT_BY_NAME ByName = (PIMAGE_IMPORT_BY_NAME)(Image + Thunk);
            ULONG Length = 0;

            /* The hint, then the name (Thunk is below 2 GB: no ordinal flag). */
            if (!LdrpStringInImage(Image, Thunk + FIELD_OFFSET(IMAGE_IMPORT_BY_NAME, Name), &Length)) {
                Status = LdrpReport(STATUS_INVALID_IMAGE_FORMAT, "the imports from", DllName, "are damaged", NULL);
                break;
            }
            Status = LdrpGetProcedureAddress(Target, ByName->Name, Length, ByName->Hint, 0, &Address, NULL);
            if (Status == STATUS_ENTRYPOINT_NOT_FOUND)
                LdrpReport(Status, "the procedure", ByName->Name, "was not found in", DllName);
        }
        Addresses[Index].u1.Function = (ULONG)(ULONG_PTR)Address;
    }
    if (Protect != NULL)
        (VOID)NtProtectVirtualMemory(NtCurrentProcess(), &Protect, &Size, OldProtect, &OldProtect);
    return Status;
}

/* An import table that leads out of the image: STATUS_INVALID_IMAGE_FORMAT. */
static NTSTATUS LdrpReportDamage(PLDRP_MODULE Module)
{
    CHAR Name[128];

    LdrpWideToAnsi(Module->Entry.BaseDllName.Buffer, Module->Entry.BaseDllName.Length / sizeof(WCHAR), Name,
                   sizeof(Name));
    return LdrpReport(STATUS_INVALID_IMAGE_FORMAT, "the image", Name, "has a damaged import table", NULL);
}

NTSTATUS LdrpWalkImports(PLDRP_MODULE Module)
{
    PIMAGE_IMPORT_DESCRIPTOR Descriptor;
    PLDRP_MODULE Target;
    ULONG Size;
    NTSTATUS Status;

    Descriptor = LdrpDirectory(Module->Entry.DllBase, IMAGE_DIRECTORY_ENTRY_IMPORT, &Size);
    if (Descriptor == NULL)
        return STATUS_SUCCESS;
    /* Each descriptor and the DLL name it points at inside the image; as in NT, the
       table ends at the first without a name or an import address table. */
    for (;; Descriptor++) {
        PCSTR Name;
        ULONG Length = 0;

        if (!LdrpArrayInImage(Module->Entry.DllBase, (ULONG)((PUCHAR)Descriptor - (PUCHAR)Module->Entry.DllBase), 1,
                              sizeof(*Descriptor)))
            return LdrpReportDamage(Module);
        if (Descriptor->Name == 0 || Descriptor->FirstThunk == 0)
            break;
        if (!LdrpStringInImage(Module->Entry.DllBase, Descriptor->Name, &Length))
            return LdrpReportDamage(Module);
        Name = (PCSTR)Module->Entry.DllBase + Descriptor->Name;
        Status = LdrpLoadModuleAnsi(Name, Length, &Target);
        if (NT_SUCCESS(Status))
            Status = LdrpAddImport(Module, Target);
        if (NT_SUCCESS(Status))
            Status = LdrpSnapDescriptor(Module, Descriptor, Target);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    return STATUS_SUCCESS;
}

/*
 * ldrexport.c - an export's address (NT: LdrpSnapThunk's lookup, and
 * LdrpGetProcedureAddress): by name, trying the import's hint first (the index
 * the linker saw in the DLL's name table, right unless the DLL changed), then a
 * binary search of the sorted name table; or by ordinal. An address inside the
 * export directory is a forwarder, "DLL.Name" or "DLL.#5": the DLL is loaded (and
 * held by the exporting module) and the lookup goes on there.
 */
#include "ldrp.h"

/* The function an entry of the name table leads to, or 0 when its ordinal is out of the table. */
static ULONG LdrpExportRvaOfName(PIMAGE_EXPORT_DIRECTORY Exports, PUSHORT Ordinals, PULONG Functions, ULONG Index)
{
    return Ordinals[Index] < Exports->NumberOfFunctions ? Functions[Ordinals[Index]] : 0;
}

static ULONG LdrpExportRvaByName(PVOID Base, PIMAGE_EXPORT_DIRECTORY Exports, PCSTR Name, ULONG Length, USHORT Hint)
{
    PULONG Names = (PULONG)((PUCHAR)Base + Exports->AddressOfNames);
    PUSHORT Ordinals = (PUSHORT)((PUCHAR)Base + Exports->AddressOfNameOrdinals);
    PULONG Functions = (PULONG)((PUCHAR)Base + Exports->AddressOfFunctions);
    ULONG Low = 0, High = Exports->NumberOfNames;
    int Order;

    /* The hint is the importer's word, checked like any other index into the tables. */
    if (Hint < Exports->NumberOfNames && LdrpCompareExportName((PCSTR)Base + Names[Hint], Name, Length) == 0)
        return LdrpExportRvaOfName(Exports, Ordinals, Functions, Hint);
    while (Low < High) {
        ULONG Middle = Low + (High - Low) / 2;
        Order = LdrpCompareExportName((PCSTR)Base + Names[Middle], Name, Length);
        if (Order == 0)
            return LdrpExportRvaOfName(Exports, Ordinals, Functions, Middle);
        if (Order < 0)
            Low = Middle + 1;
        else
            High = Middle;
    }
    return 0;
}

static ULONG LdrpExportRvaByOrdinal(PVOID Base, PIMAGE_EXPORT_DIRECTORY Exports, ULONG Ordinal)
{
    PULONG Functions = (PULONG)((PUCHAR)Base + Exports->AddressOfFunctions);

    if (Ordinal < Exports->Base || Ordinal - Exports->Base >= Exports->NumberOfFunctions)
        return 0;
    return Functions[Ordinal - Exports->Base];
}

/* "DLL.Name" or "DLL.#5": the DLL part (up to the last '.') and what follows. */
static NTSTATUS LdrpFollowForwarder(PLDRP_MODULE Module, PCSTR Forwarder, PLDRP_MODULE *Target, PCSTR *Name,
                                    PULONG NameLength, PULONG Ordinal, PLDRP_FORWARD_LOG Log)
{
    PCSTR Dot = NULL, Scan;
    ULONG Value = 0, Before = Module->Forwards.Count;
    NTSTATUS Status;

    for (Scan = Forwarder; *Scan != 0; Scan++)
        if (*Scan == '.')
            Dot = Scan;
    if (Dot == NULL || Dot == Forwarder)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Dot[1] == '#') {
        for (Scan = Dot + 2; *Scan >= '0' && *Scan <= '9'; Scan++)
            Value = Value * 10 + (ULONG)(*Scan - '0');
        *Name = NULL;
        *Ordinal = Value;
    } else {
        *Name = Dot + 1;
        for (*NameLength = 0; Dot[1 + *NameLength] != 0; (*NameLength)++)
            ;
    }
    Status = LdrpLoadModuleAnsi(Forwarder, (ULONG)(Dot - Forwarder), Target);
    if (NT_SUCCESS(Status))
        Status = LdrpAddForward(Module, *Target);
    if (NT_SUCCESS(Status) && Log != NULL && Module->Forwards.Count != Before) {
        Log->Hops[Log->Count].Module = Module;
        Log->Hops[Log->Count].Forwards = Before;
        Log->Count++;
    }
    return Status;
}

VOID LdrpUndoForwards(PLDRP_FORWARD_LOG Log)
{
    while (Log->Count != 0) {
        Log->Count--;
        LdrpReleaseForwardsSince(Log->Hops[Log->Count].Module, Log->Hops[Log->Count].Forwards);
    }
}

NTSTATUS LdrpGetProcedureAddress(PLDRP_MODULE Module, PCSTR Name, ULONG Length, USHORT Hint, ULONG Ordinal,
                                 PVOID *Address, PLDRP_FORWARD_LOG Log)
{
    ULONG Forwards, Size, Rva;
    PIMAGE_EXPORT_DIRECTORY Exports;
    PVOID Base;
    NTSTATUS Status;

    for (Forwards = 0; Forwards < LDRP_MAX_FORWARDS; Forwards++) {
        Base = Module->Entry.DllBase;
        Exports = LdrpDirectory(Base, IMAGE_DIRECTORY_ENTRY_EXPORT, &Size);
        if (Exports == NULL)
            Rva = 0;
        else if (Name != NULL)
            Rva = LdrpExportRvaByName(Base, Exports, Name, Length, Hint);
        else
            Rva = LdrpExportRvaByOrdinal(Base, Exports, Ordinal);
        if (Rva == 0)
            return Name != NULL ? STATUS_ENTRYPOINT_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND;
        if (Rva < (ULONG)((PUCHAR)Exports - (PUCHAR)Base) || Rva >= (ULONG)((PUCHAR)Exports - (PUCHAR)Base) + Size) {
            *Address = (PUCHAR)Base + Rva;
            return STATUS_SUCCESS;
        }
        /* A forwarder: the same question, asked of the DLL it names. */
        Status = LdrpFollowForwarder(Module, (PCSTR)Base + Rva, &Module, &Name, &Length, &Ordinal, Log);
        if (!NT_SUCCESS(Status))
            return Status;
        Hint = 0;
    }
    return STATUS_INVALID_IMAGE_FORMAT;
}

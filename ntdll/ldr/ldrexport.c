/*
 * ldrexport.c - an export's address (NT: LdrpSnapThunk's lookup, and
 * LdrpGetProcedureAddress): by name, trying the import's hint first (the index
 * the linker saw in the DLL's name table, right unless the DLL changed), then a
 * binary search of the sorted name table; or by ordinal. An address inside the
 * export directory is a forwarder, "DLL.Name" or "DLL.#5": the DLL is loaded (and
 * held by the exporting module) and the lookup goes on there.
 */
#include "ldrp.h"

/* A forwarder chain longer than this is a loop (A.X -> B.Y -> A.X). */
#define LDRP_MAX_FORWARDS 16

static ULONG LdrpExportRvaByName(PVOID Base, PIMAGE_EXPORT_DIRECTORY Exports, PCSTR Name, USHORT Hint)
{
    PULONG Names = (PULONG)((PUCHAR)Base + Exports->AddressOfNames);
    PUSHORT Ordinals = (PUSHORT)((PUCHAR)Base + Exports->AddressOfNameOrdinals);
    PULONG Functions = (PULONG)((PUCHAR)Base + Exports->AddressOfFunctions);
    ULONG Low = 0, High = Exports->NumberOfNames;
    int Order;

    if (Hint < Exports->NumberOfNames && LdrpCompareAnsi((PCSTR)Base + Names[Hint], Name) == 0)
        return Functions[Ordinals[Hint]];
    while (Low < High) {
        ULONG Middle = Low + (High - Low) / 2;
        Order = LdrpCompareAnsi((PCSTR)Base + Names[Middle], Name);
        if (Order == 0)
            return Ordinals[Middle] < Exports->NumberOfFunctions ? Functions[Ordinals[Middle]] : 0;
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
                                    PULONG Ordinal)
{
    CHAR Dll[128];
    PCSTR Dot = NULL, Scan;
    ULONG Length, Value = 0;

    for (Scan = Forwarder; *Scan != 0; Scan++)
        if (*Scan == '.')
            Dot = Scan;
    if (Dot == NULL || Dot == Forwarder || (ULONG)(Dot - Forwarder) >= sizeof(Dll))
        return STATUS_INVALID_IMAGE_FORMAT;
    Length = (ULONG)(Dot - Forwarder);
    for (Scan = Forwarder; Scan < Dot; Scan++)
        Dll[Scan - Forwarder] = *Scan;
    Dll[Length] = 0;
    if (Dot[1] == '#') {
        for (Scan = Dot + 2; *Scan >= '0' && *Scan <= '9'; Scan++)
            Value = Value * 10 + (ULONG)(*Scan - '0');
        *Name = NULL;
        *Ordinal = Value;
    } else {
        *Name = Dot + 1;
    }
    return LdrpLoadModuleAnsi(Module, Dll, Target);
}

NTSTATUS LdrpGetProcedureAddress(PLDRP_MODULE Module, PCSTR Name, USHORT Hint, ULONG Ordinal, PVOID *Address)
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
            Rva = LdrpExportRvaByName(Base, Exports, Name, Hint);
        else
            Rva = LdrpExportRvaByOrdinal(Base, Exports, Ordinal);
        if (Rva == 0)
            return Name != NULL ? STATUS_ENTRYPOINT_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND;
        if (Rva < (ULONG)((PUCHAR)Exports - (PUCHAR)Base) || Rva >= (ULONG)((PUCHAR)Exports - (PUCHAR)Base) + Size) {
            *Address = (PUCHAR)Base + Rva;
            return STATUS_SUCCESS;
        }
        /* A forwarder: the same question, asked of the DLL it names. */
        Status = LdrpFollowForwarder(Module, (PCSTR)Base + Rva, &Module, &Name, &Ordinal);
        if (!NT_SUCCESS(Status))
            return Status;
        Hint = 0;
    }
    return STATUS_INVALID_IMAGE_FORMAT;
}

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

/* The name table's entry Index against Name, read no further than the image goes. */
static int LdrpCompareNameAt(PVOID Base, PULONG Names, ULONG Index, PCSTR Name, ULONG Length)
{
    ULONG Image = LdrpNtHeader(Base)->OptionalHeader.SizeOfImage, Rva = Names[Index];

    return LdrpCompareExportName((PCSTR)Base + Rva, Rva < Image ? Image - Rva : 0, Name, Length);
}

static ULONG LdrpExportRvaByName(PVOID Base, PIMAGE_EXPORT_DIRECTORY Exports, PCSTR Name, ULONG Length, USHORT Hint)
{
    PULONG Names = (PULONG)((PUCHAR)Base + Exports->AddressOfNames);
    PUSHORT Ordinals = (PUSHORT)((PUCHAR)Base + Exports->AddressOfNameOrdinals);
    PULONG Functions = (PULONG)((PUCHAR)Base + Exports->AddressOfFunctions);
    ULONG Low = 0, High = Exports->NumberOfNames;
    int Order;

    /* The hint is the importer's word, checked like any other index into the tables. */
    if (Hint < Exports->NumberOfNames && LdrpCompareNameAt(Base, Names, Hint, Name, Length) == 0)
        return LdrpExportRvaOfName(Exports, Ordinals, Functions, Hint);
    while (Low < High) {
        ULONG Middle = Low + (High - Low) / 2;
        Order = LdrpCompareNameAt(Base, Names, Middle, Name, Length);
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

/* The directory and the three tables it points at, inside the image. */
static BOOLEAN LdrpValidExports(PVOID Base, PIMAGE_EXPORT_DIRECTORY Exports)
{
    return LdrpArrayInImage(Base, (ULONG)((PUCHAR)Exports - (PUCHAR)Base), 1, sizeof(*Exports)) &&
           LdrpArrayInImage(Base, Exports->AddressOfFunctions, Exports->NumberOfFunctions, sizeof(ULONG)) &&
           LdrpArrayInImage(Base, Exports->AddressOfNames, Exports->NumberOfNames, sizeof(ULONG)) &&
           LdrpArrayInImage(Base, Exports->AddressOfNameOrdinals, Exports->NumberOfNames, sizeof(USHORT));
}

/* "DLL.Name" or "DLL.#5": the DLL part (up to the last '.') and what follows. */
static NTSTATUS LdrpFollowForwarder(PLDRP_MODULE Module, PCSTR Forwarder, PLDRP_MODULE *Target, PCSTR *Name,
                                    PULONG NameLength, PULONG Ordinal, PLDRP_FORWARD_LOG Log)
{
    PCSTR Dot = NULL, Scan;
    ULONG Value = 0, Before = Module->Forwards.Count, Length;
    NTSTATUS Status;

    if (!LdrpStringInImage(Module->Entry.DllBase, (ULONG)(Forwarder - (PCSTR)Module->Entry.DllBase), &Length))
        return STATUS_INVALID_IMAGE_FORMAT;
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
        if (Exports != NULL && !LdrpValidExports(Base, Exports))
            return STATUS_INVALID_IMAGE_FORMAT;
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

/*
 * ldrsnap.c - binding an image's imports to ntdll (NT: LdrpWalkImportDescriptor,
 * LdrpSnapIAT, LdrpSnapThunk, the export lookup of LdrpGetProcedureAddress).
 *
 * This is the part of the loader every process needs before its first
 * instruction: the exe imports from ntdll, which the kernel has mapped already.
 * Loading other DLLs (searching, mapping, relocating, their entry points) is the
 * loader issue's; an import from one ends the process with STATUS_DLL_NOT_FOUND
 * and a line naming the DLL, as NT's hard error would.
 *
 * The image was checked by the kernel when its section was made; the directories
 * read here are the mapped image's own.
 */
#include "ldrp.h"
#include <nt/ntmmapi.h>

static PIMAGE_NT_HEADERS32 LdrpNtHeader(PVOID Base)
{
    return (PIMAGE_NT_HEADERS32)((PUCHAR)Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
}

static PVOID LdrpDirectory(PVOID Base, ULONG Index, PULONG Size)
{
    PIMAGE_NT_HEADERS32 Nt = LdrpNtHeader(Base);

    if (Index >= Nt->OptionalHeader.NumberOfRvaAndSizes || Nt->OptionalHeader.DataDirectory[Index].VirtualAddress == 0)
        return NULL;
    *Size = Nt->OptionalHeader.DataDirectory[Index].Size;
    return (PUCHAR)Base + Nt->OptionalHeader.DataDirectory[Index].VirtualAddress;
}

static int LdrpCompare(PCSTR A, PCSTR B)
{
    while (*A != 0 && *A == *B) {
        A++;
        B++;
    }
    return (int)(UCHAR)*A - (int)(UCHAR)*B;
}

static BOOLEAN LdrpEqualIgnoringCase(PCSTR A, PCSTR B)
{
    for (;; A++, B++) {
        CHAR X = (*A >= 'A' && *A <= 'Z') ? (CHAR)(*A + 32) : *A;
        CHAR Y = (*B >= 'A' && *B <= 'Z') ? (CHAR)(*B + 32) : *B;
        if (X != Y)
            return FALSE;
        if (X == 0)
            return TRUE;
    }
}

/* An export's address by name: the hint's entry first, then a binary search. */
static PVOID LdrpExportByName(PVOID Base, PCSTR Name, USHORT Hint)
{
    ULONG Size, Low, High;
    PIMAGE_EXPORT_DIRECTORY Exports = LdrpDirectory(Base, IMAGE_DIRECTORY_ENTRY_EXPORT, &Size);
    PULONG Names, Functions;
    PUSHORT Ordinals;
    int Order;

    if (Exports == NULL || Exports->NumberOfNames == 0)
        return NULL;
    Names = (PULONG)((PUCHAR)Base + Exports->AddressOfNames);
    Ordinals = (PUSHORT)((PUCHAR)Base + Exports->AddressOfNameOrdinals);
    Functions = (PULONG)((PUCHAR)Base + Exports->AddressOfFunctions);
    if (Hint < Exports->NumberOfNames && LdrpCompare((PCSTR)Base + Names[Hint], Name) == 0)
        return (PUCHAR)Base + Functions[Ordinals[Hint]];
    Low = 0;
    High = Exports->NumberOfNames;
    while (Low < High) {
        ULONG Middle = Low + (High - Low) / 2;
        Order = LdrpCompare((PCSTR)Base + Names[Middle], Name);
        if (Order == 0)
            return (PUCHAR)Base + Functions[Ordinals[Middle]];
        if (Order < 0)
            Low = Middle + 1;
        else
            High = Middle;
    }
    return NULL;
}

static PVOID LdrpExportByOrdinal(PVOID Base, ULONG Ordinal)
{
    ULONG Size;
    PIMAGE_EXPORT_DIRECTORY Exports = LdrpDirectory(Base, IMAGE_DIRECTORY_ENTRY_EXPORT, &Size);
    PULONG Functions;

    if (Exports == NULL || Ordinal < Exports->Base || Ordinal - Exports->Base >= Exports->NumberOfFunctions)
        return NULL;
    Functions = (PULONG)((PUCHAR)Base + Exports->AddressOfFunctions);
    return Functions[Ordinal - Exports->Base] ? (PUCHAR)Base + Functions[Ordinal - Exports->Base] : NULL;
}

/* "<What> <Name>" and the status on standard error (NT shows a hard-error box). */
static NTSTATUS LdrpReport(NTSTATUS Status, PCSTR What, PCSTR Name, PCSTR Dll)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = LdrpCurrentPeb()->ProcessParameters;
    CHAR Line[200];
    ULONG Length = 0;
    ULONG_PTR IoStatus[2];
    PCSTR Parts[] = { "The program can't start: ", What, " ", Name, Dll ? " in " : "", Dll ? Dll : "", "\r\n" };
    ULONG Index;

    for (Index = 0; Index < sizeof(Parts) / sizeof(Parts[0]); Index++) {
        PCSTR Part = Parts[Index];
        while (*Part != 0 && Length < sizeof(Line))
            Line[Length++] = *Part++;
    }
    if (Parameters != NULL && Parameters->StandardError != NULL)
        NtWriteFile(Parameters->StandardError, NULL, NULL, NULL, IoStatus, Line, Length, NULL, NULL);
    return Status;
}

/* Binds one DLL's thunks; the import table is made writable for the time it takes. */
static NTSTATUS LdrpSnapDescriptor(PVOID Image, PIMAGE_IMPORT_DESCRIPTOR Descriptor, PVOID NtdllBase)
{
    PCSTR DllName = (PCSTR)Image + Descriptor->Name;
    PIMAGE_THUNK_DATA32 Names, Addresses;
    PVOID Protect;
    SIZE_T Size;
    ULONG Count, OldProtect, Index;
    NTSTATUS Status = STATUS_SUCCESS;

    if (!LdrpEqualIgnoringCase(DllName, "ntdll.dll") && !LdrpEqualIgnoringCase(DllName, "ntdll"))
        return LdrpReport(STATUS_DLL_NOT_FOUND, "the DLL", DllName, NULL);
    Addresses = (PIMAGE_THUNK_DATA32)((PUCHAR)Image + Descriptor->FirstThunk);
    Names = Descriptor->OriginalFirstThunk != 0 ?
        (PIMAGE_THUNK_DATA32)((PUCHAR)Image + Descriptor->OriginalFirstThunk) : Addresses;
    for (Count = 0; Names[Count].u1.AddressOfData != 0; Count++)
        ;
    if (Count == 0)
        return STATUS_SUCCESS;

    Protect = Addresses;
    Size = Count * sizeof(IMAGE_THUNK_DATA32);
    Status = NtProtectVirtualMemory(NtCurrentProcess(), &Protect, &Size, PAGE_READWRITE, &OldProtect);
    if (!NT_SUCCESS(Status))
        return Status;
    for (Index = 0; Index < Count && NT_SUCCESS(Status); Index++) {
        ULONG Thunk = Names[Index].u1.AddressOfData;
        PVOID Address;

        if (IMAGE_SNAP_BY_ORDINAL32(Thunk)) {
            Address = LdrpExportByOrdinal(NtdllBase, IMAGE_ORDINAL32(Thunk));
            if (Address == NULL)
                Status = LdrpReport(STATUS_ORDINAL_NOT_FOUND, "an ordinal missing", "", DllName);
        } else {
            PIMAGE_IMPORT_BY_NAME ByName = (PIMAGE_IMPORT_BY_NAME)((PUCHAR)Image + Thunk);
            Address = LdrpExportByName(NtdllBase, ByName->Name, ByName->Hint);
            if (Address == NULL)
                Status = LdrpReport(STATUS_ENTRYPOINT_NOT_FOUND, "the procedure", ByName->Name, DllName);
        }
        Addresses[Index].u1.Function = (ULONG)(ULONG_PTR)Address;
    }
    (VOID)NtProtectVirtualMemory(NtCurrentProcess(), &Protect, &Size, OldProtect, &OldProtect);
    return Status;
}

NTSTATUS LdrpSnapNtdllImports(PVOID Image, PVOID NtdllBase)
{
    PIMAGE_IMPORT_DESCRIPTOR Descriptor;
    ULONG Size;
    NTSTATUS Status;

    Descriptor = LdrpDirectory(Image, IMAGE_DIRECTORY_ENTRY_IMPORT, &Size);
    if (Descriptor == NULL)
        return STATUS_SUCCESS;
    for (; Descriptor->Name != 0; Descriptor++) {
        Status = LdrpSnapDescriptor(Image, Descriptor, NtdllBase);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    return STATUS_SUCCESS;
}

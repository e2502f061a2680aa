/*
 * imageexp.c - finds an export of a mapped PE32 image by name or by ordinal
 * (NT: RtlImageDirectoryEntryToData, the binary search of LdrpSnapThunk /
 * LdrpGetProcedureAddress, and the forwarder test that goes with it). The kernel
 * uses it on ntdll to find the entry points it calls into user mode through.
 *
 * The image is only as trustworthy as its headers, so every RVA - the directory,
 * its three tables, each name, each function - is checked against ImageSize before
 * it is followed, and strings must end inside the image.
 */
#include "image.h"
#include <rtl.h>

/* The export directory of one image, with its bounds already checked. */
typedef struct _MI_EXPORTS {
    const UCHAR *Image;
    ULONG ImageSize;
    ULONG DirectoryRva;         /* [DirectoryRva, +DirectorySize): forwarder strings */
    ULONG DirectorySize;
    IMAGE_EXPORT_DIRECTORY Directory;
    const MI_UNALIGNED_ULONG *Functions;        /* NumberOfFunctions RVAs */
    const MI_UNALIGNED_ULONG *Names;            /* NumberOfNames name RVAs, sorted */
    const MI_UNALIGNED_USHORT *NameOrdinals;    /* NumberOfNames indexes into Functions */
} MI_EXPORTS, *PMI_EXPORTS;

/* TRUE when Count elements of ElementSize bytes at Rva lie inside the image. */
static BOOLEAN MiIsArrayInside(ULONG Rva, ULONG Count, ULONG ElementSize, ULONG ImageSize)
{
    return Count <= ImageSize / ElementSize && MiIsRangeInside(Rva, Count * ElementSize, ImageSize);
}

/* The headers of the mapped image, down to its export directory and tables. */
static NTSTATUS MiLocateExports(const VOID *Image, SIZE_T ImageSize, PMI_EXPORTS Exports)
{
    const ULONG DirectoryOffset = FIELD_OFFSET(IMAGE_NT_HEADERS32, OptionalHeader.DataDirectory) +
        IMAGE_DIRECTORY_ENTRY_EXPORT * sizeof(IMAGE_DATA_DIRECTORY);
    const UCHAR *Bytes = Image;
    const IMAGE_EXPORT_DIRECTORY *Directory = &Exports->Directory;
    IMAGE_DATA_DIRECTORY Entry;
    IMAGE_NT_HEADERS32 Nt;
    LONG NtOffset;

    if (ImageSize < sizeof(IMAGE_DOS_HEADER) || Bytes[0] != 'M' || Bytes[1] != 'Z')
        return STATUS_INVALID_IMAGE_FORMAT;
    memcpy(&NtOffset, Bytes + FIELD_OFFSET(IMAGE_DOS_HEADER, e_lfanew), sizeof(NtOffset));
    if (NtOffset < 0 ||
        !MiIsRangeInside((ULONG)NtOffset, DirectoryOffset + sizeof(Entry), ImageSize))
        return STATUS_INVALID_IMAGE_FORMAT;
    memcpy(&Nt, Bytes + NtOffset, DirectoryOffset + sizeof(Entry));
    if (Nt.Signature != IMAGE_NT_SIGNATURE ||
        Nt.OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR32_MAGIC ||
        Nt.OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_EXPORT ||
        Nt.FileHeader.SizeOfOptionalHeader < DirectoryOffset + sizeof(Entry) -
                                             FIELD_OFFSET(IMAGE_NT_HEADERS32, OptionalHeader))
        return STATUS_INVALID_IMAGE_FORMAT;

    /* No export directory: nothing to find (NT's loader: a malformed import). */
    Entry = Nt.OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    if (Entry.Size < sizeof(IMAGE_EXPORT_DIRECTORY) ||
        !MiIsRangeInside(Entry.VirtualAddress, Entry.Size, ImageSize))
        return STATUS_INVALID_IMAGE_FORMAT;

    Exports->Image = Bytes;
    Exports->ImageSize = ImageSize;
    Exports->DirectoryRva = Entry.VirtualAddress;
    Exports->DirectorySize = Entry.Size;
    memcpy(&Exports->Directory, Bytes + Entry.VirtualAddress, sizeof(Exports->Directory));
    if (!MiIsArrayInside(Directory->AddressOfFunctions, Directory->NumberOfFunctions,
                         sizeof(ULONG), ImageSize) ||
        !MiIsArrayInside(Directory->AddressOfNames, Directory->NumberOfNames,
                         sizeof(ULONG), ImageSize) ||
        !MiIsArrayInside(Directory->AddressOfNameOrdinals, Directory->NumberOfNames,
                         sizeof(USHORT), ImageSize))
        return STATUS_INVALID_IMAGE_FORMAT;
    Exports->Functions = (const MI_UNALIGNED_ULONG *)(Bytes + Directory->AddressOfFunctions);
    Exports->Names = (const MI_UNALIGNED_ULONG *)(Bytes + Directory->AddressOfNames);
    Exports->NameOrdinals = (const MI_UNALIGNED_USHORT *)(Bytes + Directory->AddressOfNameOrdinals);
    return STATUS_SUCCESS;
}

/* The length of the string at Rva, or FALSE when it does not end inside the image. */
static BOOLEAN MiImageStringLength(const MI_EXPORTS *Exports, ULONG Rva, PULONG Length)
{
    ULONG Left;

    if (Rva >= Exports->ImageSize)
        return FALSE;
    Left = Exports->ImageSize - Rva;
    *Length = strnlen((PCSTR)Exports->Image + Rva, Left);
    return *Length < Left;
}

/*
 * Compares Name with the exported name at NameRva (as strcmp, on unsigned bytes),
 * reading no further than the image's end: FALSE when the name runs off it.
 */
static BOOLEAN MiCompareExportName(const MI_EXPORTS *Exports, ULONG NameRva, PCSTR Name,
                                   int *Result)
{
    const UCHAR *Candidate;
    ULONG Left, Index;
    UCHAR Wanted;

    if (NameRva >= Exports->ImageSize)
        return FALSE;
    Candidate = Exports->Image + NameRva;
    Left = Exports->ImageSize - NameRva;
    for (Index = 0; Index < Left; Index++) {
        Wanted = (UCHAR)Name[Index];
        if (Wanted != Candidate[Index] || Wanted == 0) {
            *Result = (int)Wanted - (int)Candidate[Index];
            return TRUE;
        }
    }
    return FALSE;
}

/*
 * The export in slot Index of the function table: an RVA of code or data, or a
 * forwarder when the RVA falls inside the export directory (then it is a
 * "DLL.Function" string there). A 0 slot is an unused ordinal.
 */
static NTSTATUS MiResolveExport(const MI_EXPORTS *Exports, ULONG Index, NTSTATUS NotFound,
                                PULONG Rva, PCSTR *Forwarder)
{
    ULONG FunctionRva, Length;
    PCSTR String;

    if (Index >= Exports->Directory.NumberOfFunctions)
        return NotFound;
    FunctionRva = Exports->Functions[Index];
    if (FunctionRva == 0)
        return NotFound;
    if (FunctionRva >= Exports->ImageSize)
        return STATUS_INVALID_IMAGE_FORMAT;

    *Forwarder = NULL;
    if (FunctionRva - Exports->DirectoryRva < Exports->DirectorySize) {
        if (!MiImageStringLength(Exports, FunctionRva, &Length))
            return STATUS_INVALID_IMAGE_FORMAT;
        String = (PCSTR)Exports->Image + FunctionRva;
        if (strchr(String, '.') == NULL)
            return STATUS_INVALID_IMAGE_FORMAT;
        *Forwarder = String;
    }
    *Rva = FunctionRva;
    return STATUS_SUCCESS;
}

NTSTATUS MiFindExportByName(const VOID *Image, SIZE_T ImageSize, PCSTR Name, ULONG Hint,
                            PULONG Rva, PCSTR *Forwarder)
{
    MI_EXPORTS Exports;
    ULONG Low, High, Middle, Found;
    NTSTATUS Status;
    int Order;

    Status = MiLocateExports(Image, ImageSize, &Exports);
    if (!NT_SUCCESS(Status))
        return Status;

    /* The hint first: when the importer was linked against this version it is right
       and saves the search. */
    Found = MI_NO_EXPORT_HINT;
    if (Hint < Exports.Directory.NumberOfNames) {
        if (!MiCompareExportName(&Exports, Exports.Names[Hint], Name, &Order))
            return STATUS_INVALID_IMAGE_FORMAT;
        if (Order == 0)
            Found = Hint;
    }

    /* Then a binary search of the sorted name table. */
    Low = 0;
    High = Exports.Directory.NumberOfNames;
    while (Found == MI_NO_EXPORT_HINT && Low < High) {
        Middle = Low + (High - Low) / 2;
        if (!MiCompareExportName(&Exports, Exports.Names[Middle], Name, &Order))
            return STATUS_INVALID_IMAGE_FORMAT;
        if (Order == 0)
            Found = Middle;
        else if (Order < 0)
            High = Middle;
        else
            Low = Middle + 1;
    }
    if (Found == MI_NO_EXPORT_HINT)
        return STATUS_ENTRYPOINT_NOT_FOUND;

    /* A name whose ordinal slot lies past the function table is a broken table. */
    if (Exports.NameOrdinals[Found] >= Exports.Directory.NumberOfFunctions)
        return STATUS_INVALID_IMAGE_FORMAT;
    return MiResolveExport(&Exports, Exports.NameOrdinals[Found], STATUS_ENTRYPOINT_NOT_FOUND,
                           Rva, Forwarder);
}

NTSTATUS MiFindExportByOrdinal(const VOID *Image, SIZE_T ImageSize, ULONG Ordinal,
                               PULONG Rva, PCSTR *Forwarder)
{
    MI_EXPORTS Exports;
    NTSTATUS Status;

    Status = MiLocateExports(Image, ImageSize, &Exports);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Ordinals count from Base: slot 0 of the function table is ordinal Base. */
    if (Ordinal < Exports.Directory.Base)
        return STATUS_ORDINAL_NOT_FOUND;
    return MiResolveExport(&Exports, Ordinal - Exports.Directory.Base, STATUS_ORDINAL_NOT_FOUND,
                           Rva, Forwarder);
}

/*
 * imagemap.c - builds a checked PE32 image as it appears in memory at a given
 * address: headers and sections at their RVAs, zeros in between and after, base
 * relocations applied when the image does not sit at its preferred base; and the
 * page protections the view gets (NT: the image's prototype PTEs, made by
 * MiCreateImageFileMap; NT 6 relocates images in the kernel like this, where NT 5
 * left it to ntdll's LdrRelocateImage).
 *
 * Everything read from the file lies in a range MiVerifyImageHeader proved inside
 * it; everything read from the image (the relocation blocks) is checked against
 * SizeOfImage before it is used.
 */
#include "image.h"
#include <rtl.h>

/*
 * An image can move only with its relocations: the linker says there are none
 * (IMAGE_FILE_RELOCS_STRIPPED), or the directory is missing. NT's loader then
 * reports that the address is taken: STATUS_CONFLICTING_ADDRESSES.
 */
static BOOLEAN MiCanRelocateImage(const MI_IMAGE_INFO *Info)
{
    return (Info->ImageInformation.ImageCharacteristics & IMAGE_FILE_RELOCS_STRIPPED) == 0 &&
           Info->RelocationSize != 0;
}

/*
 * Adds Delta to every word the relocation blocks name. Each block fixes one page:
 * an IMAGE_BASE_RELOCATION, then USHORT entries (type in the top 4 bits, offset in
 * the page below). i386 images use HIGHLOW, padded with ABSOLUTE to keep blocks
 * 4-byte sized; any other type here is refused.
 */
static NTSTATUS MiRelocateImage(PUCHAR Image, const MI_IMAGE_INFO *Info, ULONG Delta)
{
    const MI_UNALIGNED_USHORT *Entries;
    MI_UNALIGNED_ULONG *Target;
    IMAGE_BASE_RELOCATION Block;
    ULONG Offset, End, Count, Index, PageOffset;
    USHORT Entry;

    if (!MiIsRangeInside(Info->RelocationRva, Info->RelocationSize, Info->SizeOfImage))
        return STATUS_INVALID_IMAGE_FORMAT;
    Offset = Info->RelocationRva;
    End = Info->RelocationRva + Info->RelocationSize;

    while (Offset < End) {
        if (End - Offset < sizeof(Block))
            return STATUS_INVALID_IMAGE_FORMAT;
        memcpy(&Block, Image + Offset, sizeof(Block));
        if (Block.SizeOfBlock < sizeof(Block) || Block.SizeOfBlock > End - Offset)
            return STATUS_INVALID_IMAGE_FORMAT;
        if (Block.VirtualAddress >= Info->SizeOfImage)
            return STATUS_INVALID_IMAGE_FORMAT;

        Entries = (const MI_UNALIGNED_USHORT *)(Image + Offset + sizeof(Block));
        Count = (Block.SizeOfBlock - sizeof(Block)) / sizeof(USHORT);
        for (Index = 0; Index < Count; Index++) {
            Entry = Entries[Index];
            PageOffset = Entry & 0x0FFF;
            switch (Entry >> 12) {
            case IMAGE_REL_BASED_ABSOLUTE:
                break;
            case IMAGE_REL_BASED_HIGHLOW:
                if (!MiIsRangeInside(Block.VirtualAddress, PageOffset + sizeof(ULONG),
                                     Info->SizeOfImage))
                    return STATUS_INVALID_IMAGE_FORMAT;
                Target = (MI_UNALIGNED_ULONG *)(Image + Block.VirtualAddress + PageOffset);
                *Target += Delta;
                break;
            default:
                return STATUS_INVALID_IMAGE_FORMAT;
            }
        }
        Offset += Block.SizeOfBlock;
    }
    return STATUS_SUCCESS;
}

NTSTATUS MiMapImage(const VOID *File, SIZE_T FileSize, const MI_IMAGE_INFO *Info,
                    PVOID Destination, ULONG_PTR LoadAddress)
{
    const UCHAR *Bytes = File;
    const MI_IMAGE_SECTION *Section;
    PUCHAR Image = Destination;
    ULONG Cursor, Index;

    if (FileSize != Info->ImageInformation.ImageFileSize || LoadAddress % PAGE_SIZE != 0 ||
        (ULONGLONG)LoadAddress + Info->ViewSize > 0x100000000ULL ||
        Info->SizeOfHeaders > FileSize || Info->SizeOfHeaders > Info->ViewSize ||
        Info->NumberOfSections > MI_IMAGE_MAX_SECTIONS)
        return STATUS_INVALID_PARAMETER;
    if (LoadAddress != Info->ImageBase && !MiCanRelocateImage(Info))
        return STATUS_CONFLICTING_ADDRESSES;

    /* Each byte of the view once: headers, then per section its gap and its data. */
    memcpy(Image, Bytes, Info->SizeOfHeaders);
    Cursor = Info->SizeOfHeaders;
    for (Index = 0; Index < Info->NumberOfSections; Index++) {
        Section = &Info->Sections[Index];
        /* Cannot happen with a checked Info; keeps a stale one from writing out of bounds. */
        if (Section->VirtualAddress < Cursor ||
            !MiIsRangeInside(Section->VirtualAddress, Section->SizeOfRawData, Info->ViewSize))
            return STATUS_INVALID_PARAMETER;
        memset(Image + Cursor, 0, Section->VirtualAddress - Cursor);
        memcpy(Image + Section->VirtualAddress, Bytes + Section->PointerToRawData,
               Section->SizeOfRawData);
        Cursor = Section->VirtualAddress + Section->SizeOfRawData;
    }
    memset(Image + Cursor, 0, Info->ViewSize - Cursor);

    if (LoadAddress == Info->ImageBase)
        return STATUS_SUCCESS;
    return MiRelocateMappedImage(Image, Info, LoadAddress);
}

NTSTATUS MiRelocateMappedImage(PVOID Image, const MI_IMAGE_INFO *Info, ULONG_PTR LoadAddress)
{
    MI_UNALIGNED_ULONG *HeaderImageBase;
    NTSTATUS Status;

    if (LoadAddress % PAGE_SIZE != 0 || (ULONGLONG)LoadAddress + Info->ViewSize > 0x100000000ULL ||
        !MiIsRangeInside(Info->NtHeadersOffset, sizeof(IMAGE_NT_HEADERS32), Info->ViewSize))
        return STATUS_INVALID_PARAMETER;
    if (!MiCanRelocateImage(Info))
        return STATUS_CONFLICTING_ADDRESSES;
    Status = MiRelocateImage(Image, Info, (ULONG)LoadAddress - Info->ImageBase);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The mapped header names the base the image now has (NT 6 does the same). */
    HeaderImageBase = (MI_UNALIGNED_ULONG *)((PUCHAR)Image + Info->NtHeadersOffset +
        FIELD_OFFSET(IMAGE_NT_HEADERS32, OptionalHeader.ImageBase));
    *HeaderImageBase = (ULONG)LoadAddress;
    return STATUS_SUCCESS;
}

ULONG MiGetImagePageProtection(const MI_IMAGE_INFO *Info, ULONG Rva)
{
    const MI_IMAGE_SECTION *Section;
    ULONG Page = Rva & ~(PAGE_SIZE - 1);
    ULONG Index;

    if (Page >= Info->ViewSize)
        return PAGE_NOACCESS;
    if (Info->SectionAlignment < PAGE_SIZE)
        return PAGE_EXECUTE_WRITECOPY;
    if (Page < Info->Sections[0].VirtualAddress)
        return Info->HeaderProtection;
    for (Index = 0; Index < Info->NumberOfSections; Index++) {
        Section = &Info->Sections[Index];
        if (Page >= Section->VirtualAddress &&
            Page - Section->VirtualAddress < Section->VirtualSize)
            return Section->Protection;
    }
    return PAGE_NOACCESS;
}

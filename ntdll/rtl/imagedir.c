/*
 * imagedir.c - a PE image's headers and directories, for whoever holds its base
 * (NT: RtlImageNtHeader, RtlImageDirectoryEntryToData; LdrLoadDll's handle is the
 * base). RtlImageNtHeader answers NULL for anything that is not an MZ header
 * followed by a PE signature. RtlImageDirectoryEntryToData finds directory Entry
 * and its size; MappedAsImage FALSE means Base holds the file as it was read
 * (a plain copy, not a mapped view): the directory's RVA is then turned into a
 * file offset through the section table.
 */
#include "rtlp.h"
#include <nt/ntimage.h>

/* Past this, e_lfanew is taken as garbage (NT: 256 MB as well). */
#define RTLP_MAX_LFANEW 0x10000000UL

PIMAGE_NT_HEADERS NTAPI RtlImageNtHeader(PVOID Base)
{
    PIMAGE_DOS_HEADER Dos = Base;
    PIMAGE_NT_HEADERS Nt;

    if (Base == NULL || Base == (PVOID)(LONG_PTR)-1 || Dos->e_magic != IMAGE_DOS_SIGNATURE ||
        Dos->e_lfanew < 0 || (ULONG)Dos->e_lfanew >= RTLP_MAX_LFANEW)
        return NULL;
    Nt = (PIMAGE_NT_HEADERS)((PUCHAR)Base + Dos->e_lfanew);
    return Nt->Signature == IMAGE_NT_SIGNATURE ? Nt : NULL;
}

PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage, USHORT Entry, PULONG Size)
{
    PIMAGE_NT_HEADERS Nt;
    PIMAGE_SECTION_HEADER Section;
    ULONG Rva, Index;

    /* A handle with its low bit set is a data file mapped by LoadLibraryEx's AS_DATAFILE. */
    if ((ULONG_PTR)Base & 1) {
        Base = (PVOID)((ULONG_PTR)Base & ~(ULONG_PTR)1);
        MappedAsImage = FALSE;
    }
    Nt = RtlImageNtHeader(Base);
    if (Nt == NULL || Nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR_MAGIC ||
        Entry >= Nt->OptionalHeader.NumberOfRvaAndSizes)
        return NULL;
    Rva = Nt->OptionalHeader.DataDirectory[Entry].VirtualAddress;
    if (Rva == 0)
        return NULL;
    *Size = Nt->OptionalHeader.DataDirectory[Entry].Size;
    if (MappedAsImage || Rva < Nt->OptionalHeader.SizeOfHeaders)
        return (PUCHAR)Base + Rva;
    Section = (PIMAGE_SECTION_HEADER)((PUCHAR)&Nt->OptionalHeader + Nt->FileHeader.SizeOfOptionalHeader);
    for (Index = 0; Index < Nt->FileHeader.NumberOfSections; Index++, Section++) {
        if (Rva >= Section->VirtualAddress && Rva < Section->VirtualAddress + Section->SizeOfRawData)
            return (PUCHAR)Base + Section->PointerToRawData + (Rva - Section->VirtualAddress);
    }
    return NULL;
}

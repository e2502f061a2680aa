/*
 * imagechk.c - checks a PE32 image file before anything of it is mapped
 * (NT: MiVerifyImageHeader and the section-table walk of MiCreateImageFileMap),
 * and records what the section code needs: SECTION_IMAGE_INFORMATION for
 * NtQuerySection and the layout of the image in memory (see image.h).
 *
 * Every header is copied out of the file into a local before it is read, so an
 * e_lfanew or SizeOfOptionalHeader that leaves a structure unaligned costs nothing,
 * and every offset is checked against FileSize first.
 */
#include "image.h"
#include <rtl.h>

/*
 * NT's protection for the pages of an image section, indexed by the top four bits of
 * its characteristics: SHARED (1), EXECUTE (2), READ (4), WRITE (8). A writable
 * section is copy-on-write (each process gets its own copy of a page it writes)
 * unless it is shared; write without read still reads; nothing at all is no access.
 */
static const ULONG MiImageProtection[16] = {
    PAGE_NOACCESS,              /* ---- */
    PAGE_NOACCESS,              /* ---S */
    PAGE_EXECUTE,               /* --X- */
    PAGE_EXECUTE,               /* --XS */
    PAGE_READONLY,              /* -R-- */
    PAGE_READONLY,              /* -R-S */
    PAGE_EXECUTE_READ,          /* -RX- */
    PAGE_EXECUTE_READ,          /* -RXS */
    PAGE_WRITECOPY,             /* W--- */
    PAGE_READWRITE,             /* W--S */
    PAGE_EXECUTE_WRITECOPY,     /* W-X- */
    PAGE_EXECUTE_READWRITE,     /* W-XS */
    PAGE_WRITECOPY,             /* WR-- */
    PAGE_READWRITE,             /* WR-S */
    PAGE_EXECUTE_WRITECOPY,     /* WRX- */
    PAGE_EXECUTE_READWRITE,     /* WRXS */
};

_Static_assert(IMAGE_SCN_MEM_SHARED >> 28 == 1 && IMAGE_SCN_MEM_EXECUTE >> 28 == 2 &&
               IMAGE_SCN_MEM_READ >> 28 == 4 && IMAGE_SCN_MEM_WRITE >> 28 == 8,
               "MiImageProtection is indexed by the IMAGE_SCN_MEM_* bits");

ULONG MiImageSectionProtection(ULONG Characteristics)
{
    return MiImageProtection[Characteristics >> 28];
}

static BOOLEAN MiIsPowerOfTwo(ULONG Value)
{
    return Value != 0 && (Value & (Value - 1)) == 0;
}

/* A 64-bit image: NT on i386 says so with a status of its own. */
static BOOLEAN MiIsWin64Machine(USHORT Machine)
{
    return Machine == IMAGE_FILE_MACHINE_AMD64 || Machine == IMAGE_FILE_MACHINE_IA64 ||
           Machine == IMAGE_FILE_MACHINE_ARM64;
}

/*
 * The signature, the file header and the optional header, into Nt. On return the
 * data directories past NumberOfRvaAndSizes (or past a short optional header) read
 * as zero, so the caller may index any of the 16.
 */
static NTSTATUS MiReadNtHeaders(const UCHAR *File, SIZE_T FileSize, ULONG NtOffset,
                                PIMAGE_NT_HEADERS32 Nt)
{
    const ULONG FixedSize = FIELD_OFFSET(IMAGE_NT_HEADERS32, OptionalHeader);
    const ULONG MinimumOptional = FIELD_OFFSET(IMAGE_OPTIONAL_HEADER32, DataDirectory);
    ULONG OptionalSize, Directories;
    USHORT Magic;

    memset(Nt, 0, sizeof(*Nt));
    if (!MiIsRangeInside(NtOffset, FixedSize, FileSize))
        return STATUS_INVALID_IMAGE_FORMAT;
    memcpy(Nt, File + NtOffset, FixedSize);
    if (Nt->Signature != IMAGE_NT_SIGNATURE)
        return STATUS_INVALID_IMAGE_FORMAT;

    /* The machine first: a 64-bit image is told apart from a broken one. */
    if (MiIsWin64Machine(Nt->FileHeader.Machine))
        return STATUS_INVALID_IMAGE_WIN_64;
    if (Nt->FileHeader.Machine != IMAGE_FILE_MACHINE_I386)
        return STATUS_INVALID_IMAGE_FORMAT;
    /* An object file is not an image. */
    if ((Nt->FileHeader.Characteristics & IMAGE_FILE_EXECUTABLE_IMAGE) == 0)
        return STATUS_INVALID_IMAGE_FORMAT;

    OptionalSize = Nt->FileHeader.SizeOfOptionalHeader;
    if (OptionalSize < sizeof(Magic) ||
        !MiIsRangeInside(NtOffset + FixedSize, OptionalSize, FileSize))
        return STATUS_INVALID_IMAGE_FORMAT;
    memcpy(&Magic, File + NtOffset + FixedSize, sizeof(Magic));
    if (Magic == IMAGE_NT_OPTIONAL_HDR64_MAGIC)
        return STATUS_INVALID_IMAGE_WIN_64;
    if (Magic != IMAGE_NT_OPTIONAL_HDR32_MAGIC || OptionalSize < MinimumOptional)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (OptionalSize > sizeof(IMAGE_OPTIONAL_HEADER32))
        OptionalSize = sizeof(IMAGE_OPTIONAL_HEADER32);
    memcpy(&Nt->OptionalHeader, File + NtOffset + FixedSize, OptionalSize);

    /* The directories it claims must lie inside the optional header it has. */
    Directories = Nt->OptionalHeader.NumberOfRvaAndSizes;
    if (Directories > IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
        Directories = IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
    if (OptionalSize < MinimumOptional + Directories * sizeof(IMAGE_DATA_DIRECTORY))
        return STATUS_INVALID_IMAGE_FORMAT;
    memset(&Nt->OptionalHeader.DataDirectory[Directories], 0,
           (IMAGE_NUMBEROF_DIRECTORY_ENTRIES - Directories) * sizeof(IMAGE_DATA_DIRECTORY));
    return STATUS_SUCCESS;
}

/*
 * NT's rules for the two alignments: both powers of two; an image aligned on pages
 * has FileAlignment in [512, 64K] and no larger than SectionAlignment; an image
 * aligned on less than a page is laid out in the file as in memory, so its two
 * alignments are equal.
 */
static BOOLEAN MiAreAlignmentsValid(ULONG SectionAlignment, ULONG FileAlignment)
{
    if (!MiIsPowerOfTwo(SectionAlignment) || !MiIsPowerOfTwo(FileAlignment))
        return FALSE;
    if (SectionAlignment < PAGE_SIZE)
        return FileAlignment == SectionAlignment;
    return FileAlignment >= MI_IMAGE_MIN_FILE_ALIGNMENT &&
           FileAlignment <= MI_IMAGE_MAX_FILE_ALIGNMENT && FileAlignment <= SectionAlignment;
}

/*
 * The section table: each section starts where the one before it ended (rounded to
 * SectionAlignment; the first where the headers end), so they ascend, are aligned
 * and neither overlap nor leave holes, as the PE specification asks; each lies inside
 * SizeOfImage and its raw data inside the file. Fills Info's section array.
 */
static NTSTATUS MiCheckSections(const UCHAR *File, SIZE_T FileSize, ULONG TableOffset,
                                PMI_IMAGE_INFO Info)
{
    ULONG Index, NextVa, VirtualSize, AlignedEnd, Copied;
    IMAGE_SECTION_HEADER Header;
    PMI_IMAGE_SECTION Section;
    BOOLEAN ContainsCode = FALSE;

    /* SizeOfHeaders <= SizeOfImage <= MM_SIZE_OF_LARGEST_IMAGE: no overflow here. */
    if (!MiAlignUp(Info->SizeOfHeaders, Info->SectionAlignment, &NextVa))
        return STATUS_INVALID_IMAGE_FORMAT;

    for (Index = 0; Index < Info->NumberOfSections; Index++) {
        memcpy(&Header, File + TableOffset + Index * sizeof(Header), sizeof(Header));
        /* NT: a VirtualSize of 0 (as object files have) means SizeOfRawData. */
        VirtualSize = Header.Misc.VirtualSize != 0 ? Header.Misc.VirtualSize : Header.SizeOfRawData;

        if (Header.VirtualAddress != NextVa)
            return STATUS_INVALID_IMAGE_FORMAT;
        if (!MiIsRangeInside(Header.VirtualAddress, VirtualSize, Info->SizeOfImage))
            return STATUS_INVALID_IMAGE_FORMAT;
        if (Header.SizeOfRawData != 0) {
            if (!MiIsRangeInside(Header.PointerToRawData, Header.SizeOfRawData, FileSize))
                return STATUS_INVALID_IMAGE_FORMAT;
            /* Aligned on less than a page: the file is the memory image. */
            if (Info->SectionAlignment < PAGE_SIZE &&
                Header.PointerToRawData != Header.VirtualAddress)
                return STATUS_INVALID_IMAGE_FORMAT;
        }
        /* VirtualAddress + VirtualSize <= SizeOfImage, far from overflowing. */
        if (!MiAlignUp(Header.VirtualAddress + VirtualSize, Info->SectionAlignment, &AlignedEnd))
            return STATUS_INVALID_IMAGE_FORMAT;
        NextVa = AlignedEnd;
        if (AlignedEnd > Info->ViewSize)
            AlignedEnd = Info->ViewSize;

        /* Raw data past VirtualSize is file padding: it is not mapped. */
        Copied = Header.SizeOfRawData < VirtualSize ? Header.SizeOfRawData : VirtualSize;
        Section = &Info->Sections[Index];
        Section->VirtualAddress = Header.VirtualAddress;
        Section->VirtualSize = AlignedEnd - Header.VirtualAddress;
        Section->PointerToRawData = Copied != 0 ? Header.PointerToRawData : 0;
        Section->SizeOfRawData = Copied;
        Section->Characteristics = Header.Characteristics;
        /* Sections that share pages cannot have their own protections: NT makes
           the whole of such an image execute and copy-on-write. */
        Section->Protection = Info->SectionAlignment < PAGE_SIZE ? PAGE_EXECUTE_WRITECOPY :
                              MiImageSectionProtection(Header.Characteristics);
        if (Header.Characteristics & (IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE))
            ContainsCode = TRUE;
    }
    Info->ImageInformation.ImageContainsCode = ContainsCode;
    return STATUS_SUCCESS;
}

/* SECTION_IMAGE_INFORMATION, as NtQuerySection(SectionImageInformation) returns it. */
static VOID MiFillImageInformation(const IMAGE_NT_HEADERS32 *Nt, SIZE_T FileSize,
                                   PSECTION_IMAGE_INFORMATION ImageInformation)
{
    const IMAGE_OPTIONAL_HEADER32 *Optional = &Nt->OptionalHeader;

    memset(ImageInformation, 0, sizeof(*ImageInformation));
    /* At the preferred base; the section code reports it there even if relocated. */
    ImageInformation->TransferAddress =
        (PVOID)(ULONG_PTR)(Optional->ImageBase + Optional->AddressOfEntryPoint);
    ImageInformation->ZeroBits = 0;
    ImageInformation->MaximumStackSize = Optional->SizeOfStackReserve;
    ImageInformation->CommittedStackSize = Optional->SizeOfStackCommit;
    ImageInformation->SubSystemType = Optional->Subsystem;
    ImageInformation->SubSystemMajorVersion = Optional->MajorSubsystemVersion;
    ImageInformation->SubSystemMinorVersion = Optional->MinorSubsystemVersion;
    ImageInformation->GpValue = 0;
    ImageInformation->ImageCharacteristics = Nt->FileHeader.Characteristics;
    ImageInformation->DllCharacteristics = Optional->DllCharacteristics;
    ImageInformation->Machine = Nt->FileHeader.Machine;
    ImageInformation->LoaderFlags = Optional->LoaderFlags;
    ImageInformation->ImageFileSize = (ULONG)FileSize;
    ImageInformation->CheckSum = Optional->CheckSum;
}

NTSTATUS MiVerifyImageHeader(const VOID *File, SIZE_T FileSize, PMI_IMAGE_INFO Info)
{
    const UCHAR *Bytes = File;
    const IMAGE_OPTIONAL_HEADER32 *Optional;
    const IMAGE_DATA_DIRECTORY *Relocations;
    IMAGE_DOS_HEADER DosHeader;
    IMAGE_NT_HEADERS32 Nt;
    ULONG NtOffset, TableOffset, TableEnd;
    USHORT NumberOfSections;
    NTSTATUS Status;

    /* The MS-DOS header: "MZ", then e_lfanew inside the file. */
    if (FileSize < sizeof(USHORT) || Bytes[0] != 'M' || Bytes[1] != 'Z')
        return STATUS_INVALID_IMAGE_NOT_MZ;
    if (FileSize < sizeof(DosHeader))
        return STATUS_INVALID_IMAGE_FORMAT;
    memcpy(&DosHeader, Bytes, sizeof(DosHeader));
    if (DosHeader.e_lfanew < 0)
        return STATUS_INVALID_IMAGE_FORMAT;
    NtOffset = (ULONG)DosHeader.e_lfanew;

    Status = MiReadNtHeaders(Bytes, FileSize, NtOffset, &Nt);
    if (!NT_SUCCESS(Status))
        return Status;
    Optional = &Nt.OptionalHeader;

    if (!MiAreAlignmentsValid(Optional->SectionAlignment, Optional->FileAlignment))
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Optional->ImageBase % MI_IMAGE_BASE_ALIGNMENT != 0)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (Optional->SizeOfImage == 0 || Optional->SizeOfImage > MM_SIZE_OF_LARGEST_IMAGE)
        return STATUS_INVALID_IMAGE_FORMAT;
    /* The entry point, when there is one, lies inside the image. */
    if (Optional->AddressOfEntryPoint >= Optional->SizeOfImage)
        return STATUS_INVALID_IMAGE_FORMAT;

    /* The section table: inside the file and inside the headers that are mapped. */
    NumberOfSections = Nt.FileHeader.NumberOfSections;
    if (NumberOfSections == 0 || NumberOfSections > MI_IMAGE_MAX_SECTIONS)
        return STATUS_INVALID_IMAGE_FORMAT;
    /* Both terms are below FileSize (MiReadNtHeaders checked them): no overflow. */
    TableOffset = NtOffset + FIELD_OFFSET(IMAGE_NT_HEADERS32, OptionalHeader) +
                  Nt.FileHeader.SizeOfOptionalHeader;
    if (!MiIsRangeInside(TableOffset, NumberOfSections * sizeof(IMAGE_SECTION_HEADER), FileSize))
        return STATUS_INVALID_IMAGE_FORMAT;
    TableEnd = TableOffset + NumberOfSections * sizeof(IMAGE_SECTION_HEADER);
    if (Optional->SizeOfHeaders < TableEnd || Optional->SizeOfHeaders > FileSize ||
        Optional->SizeOfHeaders > Optional->SizeOfImage)
        return STATUS_INVALID_IMAGE_FORMAT;

    Info->ImageBase = Optional->ImageBase;
    Info->SizeOfImage = Optional->SizeOfImage;
    Info->ViewSize = ROUND_TO_PAGES(Optional->SizeOfImage);
    Info->SizeOfHeaders = Optional->SizeOfHeaders;
    Info->SectionAlignment = Optional->SectionAlignment;
    Info->FileAlignment = Optional->FileAlignment;
    Info->NtHeadersOffset = NtOffset;
    Info->NumberOfSections = NumberOfSections;
    Info->HeaderProtection = Optional->SectionAlignment < PAGE_SIZE ? PAGE_EXECUTE_WRITECOPY
                                                                     : PAGE_READONLY;
    Relocations = &Optional->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    Info->RelocationRva = Relocations->Size != 0 ? Relocations->VirtualAddress : 0;
    Info->RelocationSize = Relocations->Size != 0 ? Relocations->Size : 0;
    MiFillImageInformation(&Nt, FileSize, &Info->ImageInformation);

    /* Last, as it fills the section array and ImageContainsCode. */
    return MiCheckSections(Bytes, FileSize, TableOffset, Info);
}

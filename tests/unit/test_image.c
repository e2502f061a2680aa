/*
 * test_image.c - host tests for the PE32 image checker, mapper and export lookup
 * (kernel/mm/imagechk.c, imagemap.c, imageexp.c).
 *
 * The valid images are real ones, built with MinGW from tests/unit/images/ by
 * mk/images.mk (see there what each holds); the malformed ones are made here from
 * them by patching bytes. Every buffer handed to the code under test is a heap block
 * of exactly the size passed with it, so an out-of-bounds read shows under valgrind
 * or AddressSanitizer. The test reads the valid images with its own simple code,
 * never with the code under test, to know what to expect.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/mm/image.h"

#ifndef TEST_IMAGE_DIR
#error "TEST_IMAGE_DIR (build/test-images) comes from tests/unit/unit.mk"
#endif

#define EXE_BASE        0x00400000
#define DLL_BASE        0x6F000000
#define OTHER_BASE      0x10000000      /* a higher base: delta > 0 */
#define LOW_BASE        0x00010000      /* a lower base: delta < 0 */

typedef struct _TEST_FILE {
    PUCHAR Bytes;
    SIZE_T Size;
} TEST_FILE;

static TEST_FILE Exe, Dll, Fixed, Flat;

/* ---- reading the valid images (test-side, trusting them) ---- */

static ULONG Get32(const UCHAR *Base, ULONG Offset)
{
    ULONG Value;
    memcpy(&Value, Base + Offset, sizeof(Value));
    return Value;
}

static void Put32(PUCHAR Base, ULONG Offset, ULONG Value)
{
    memcpy(Base + Offset, &Value, sizeof(Value));
}

static void Put16(PUCHAR Base, ULONG Offset, USHORT Value)
{
    memcpy(Base + Offset, &Value, sizeof(Value));
}

static ULONG NtOffset(const TEST_FILE *File)
{
    return Get32(File->Bytes, offsetof(IMAGE_DOS_HEADER, e_lfanew));
}

static PIMAGE_NT_HEADERS32 NtHeaders(const TEST_FILE *File)
{
    return (PIMAGE_NT_HEADERS32)(File->Bytes + NtOffset(File));
}

static ULONG SectionOffset(const TEST_FILE *File, ULONG Index)
{
    return NtOffset(File) + offsetof(IMAGE_NT_HEADERS32, OptionalHeader) +
           NtHeaders(File)->FileHeader.SizeOfOptionalHeader + Index * sizeof(IMAGE_SECTION_HEADER);
}

static PIMAGE_SECTION_HEADER SectionHeader(const TEST_FILE *File, ULONG Index)
{
    return (PIMAGE_SECTION_HEADER)(File->Bytes + SectionOffset(File, Index));
}

static TEST_FILE ReadImage(const char *Name)
{
    char Path[512];
    TEST_FILE File;
    FILE *Stream;
    long Length;

    snprintf(Path, sizeof(Path), "%s/%s", TEST_IMAGE_DIR, Name);
    Stream = fopen(Path, "rb");
    if (Stream == NULL)
        fail_msg("cannot open %s (built by mk/images.mk)", Path);
    fseek(Stream, 0, SEEK_END);
    Length = ftell(Stream);
    fseek(Stream, 0, SEEK_SET);
    File.Size = (SIZE_T)Length;
    File.Bytes = malloc(File.Size);
    assert_non_null(File.Bytes);
    assert_int_equal(fread(File.Bytes, 1, File.Size, Stream), File.Size);
    fclose(Stream);
    return File;
}

static TEST_FILE Clone(const TEST_FILE *File, SIZE_T Size)
{
    TEST_FILE Copy = { malloc(Size ? Size : 1), Size };
    assert_non_null(Copy.Bytes);
    memcpy(Copy.Bytes, File->Bytes, Size < File->Size ? Size : File->Size);
    return Copy;
}

static NTSTATUS Verify(const TEST_FILE *File, PMI_IMAGE_INFO Info)
{
    return MiVerifyImageHeader(File->Bytes, File->Size, Info);
}

/* Checks, then builds the image at LoadAddress in a fresh buffer of ViewSize bytes. */
static PUCHAR Map(const TEST_FILE *File, PMI_IMAGE_INFO Info, ULONG LoadAddress, NTSTATUS Expected)
{
    PUCHAR View;
    NTSTATUS Status;

    assert_int_equal(Verify(File, Info), STATUS_SUCCESS);
    View = malloc(Info->ViewSize);
    assert_non_null(View);
    memset(View, 0xA5, Info->ViewSize);         /* every byte must be written */
    Status = MiMapImage(File->Bytes, File->Size, Info, View, LoadAddress);
    assert_int_equal(Status, Expected);
    if (NT_SUCCESS(Status))
        return View;
    free(View);
    return NULL;
}

/* The last export lookup's results (ByName, ByOrdinal). */
static ULONG FoundRva;
static PCSTR FoundForwarder;

static NTSTATUS ByName(const UCHAR *View, ULONG ViewSize, PCSTR Name, ULONG Hint)
{
    FoundRva = 0xDEADBEEF;
    FoundForwarder = (PCSTR)1;
    return MiFindExportByName(View, ViewSize, Name, Hint, &FoundRva, &FoundForwarder);
}

static NTSTATUS ByOrdinal(const UCHAR *View, ULONG ViewSize, ULONG Ordinal)
{
    FoundRva = 0xDEADBEEF;
    FoundForwarder = (PCSTR)1;
    return MiFindExportByOrdinal(View, ViewSize, Ordinal, &FoundRva, &FoundForwarder);
}

/* The RVA of an export that must be there, and not a forwarder. */
static ULONG ExportRva(const UCHAR *View, ULONG ViewSize, PCSTR Name)
{
    assert_int_equal(ByName(View, ViewSize, Name, MI_NO_EXPORT_HINT), STATUS_SUCCESS);
    assert_null(FoundForwarder);
    return FoundRva;
}

static int Setup(void **State)
{
    static const char *const ExeSections[] = {
        ".text", ".data", ".rdata", ".bss", ".edata", ".idata", ".reloc"
    };
    ULONG Index;

    (void)State;
    Exe = ReadImage("imgexe.exe");
    Dll = ReadImage("imgdll.dll");
    Fixed = ReadImage("imgfixed.exe");
    Flat = ReadImage("imgflat.exe");
    /* The section indexes used below are the ones GNU ld gives this program. */
    assert_int_equal(NtHeaders(&Exe)->FileHeader.NumberOfSections, RTL_NUMBER_OF(ExeSections));
    for (Index = 0; Index < RTL_NUMBER_OF(ExeSections); Index++)
        assert_string_equal((const char *)SectionHeader(&Exe, Index)->Name, ExeSections[Index]);
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    free(Exe.Bytes);
    free(Dll.Bytes);
    free(Fixed.Bytes);
    free(Flat.Bytes);
    return 0;
}

/* ---- what the check reports about valid images ---- */

static void test_exe_information(void **State)
{
    static MI_IMAGE_INFO Info;
    const IMAGE_OPTIONAL_HEADER32 *Optional = &NtHeaders(&Exe)->OptionalHeader;
    const IMAGE_DATA_DIRECTORY *Relocations =
        &Optional->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    const SECTION_IMAGE_INFORMATION *Image = &Info.ImageInformation;
    PUCHAR View;
    ULONG Index, Start;

    (void)State;
    View = Map(&Exe, &Info, EXE_BASE, STATUS_SUCCESS);
    Start = ExportRva(View, Info.ViewSize, "ImageStart");
    assert_ptr_equal(Image->TransferAddress, (PVOID)(EXE_BASE + Start));
    assert_int_equal(Image->ZeroBits, 0);
    assert_int_equal(Image->MaximumStackSize, 0x200000);
    assert_int_equal(Image->CommittedStackSize, 0x3000);
    assert_int_equal(Image->SubSystemType, IMAGE_SUBSYSTEM_WINDOWS_CUI);
    assert_int_equal(Image->SubSystemMajorVersion, 5);
    assert_int_equal(Image->SubSystemMinorVersion, 1);
    assert_int_equal(Image->SubSystemVersion, 0x00050001);
    assert_int_equal(Image->GpValue, 0);
    assert_true(Image->ImageCharacteristics & IMAGE_FILE_EXECUTABLE_IMAGE);
    assert_false(Image->ImageCharacteristics & (IMAGE_FILE_DLL | IMAGE_FILE_RELOCS_STRIPPED));
    assert_true(Image->DllCharacteristics & IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE);
    assert_int_equal(Image->Machine, IMAGE_FILE_MACHINE_I386);
    assert_true(Image->ImageContainsCode);
    assert_int_equal(Image->LoaderFlags, 0);
    assert_int_equal(Image->ImageFileSize, Exe.Size);
    assert_int_equal(Image->CheckSum, Optional->CheckSum);

    assert_int_equal(Info.ImageBase, EXE_BASE);
    assert_int_equal(Info.SizeOfImage, Optional->SizeOfImage);
    assert_int_equal(Info.ViewSize, ROUND_TO_PAGES(Optional->SizeOfImage));
    assert_int_equal(Info.SizeOfHeaders, Optional->SizeOfHeaders);
    assert_int_equal(Info.NtHeadersOffset, NtOffset(&Exe));
    assert_int_equal(Info.RelocationRva, Relocations->VirtualAddress);
    assert_int_equal(Info.RelocationSize, Relocations->Size);
    assert_int_equal(Info.NumberOfSections, 7);
    for (Index = 0; Index < Info.NumberOfSections; Index++) {
        const IMAGE_SECTION_HEADER *Header = SectionHeader(&Exe, Index);
        const MI_IMAGE_SECTION *Section = &Info.Sections[Index];
        ULONG Raw = Header->SizeOfRawData < Header->Misc.VirtualSize ? Header->SizeOfRawData
                                                                     : Header->Misc.VirtualSize;
        assert_int_equal(Section->VirtualAddress, Header->VirtualAddress);
        assert_int_equal(Section->VirtualSize, ROUND_TO_PAGES(Header->Misc.VirtualSize));
        assert_int_equal(Section->SizeOfRawData, Raw);
        assert_int_equal(Section->Characteristics, Header->Characteristics);
    }
    /* .bss: nothing from the file. */
    assert_int_equal(Info.Sections[3].SizeOfRawData, 0);
    free(View);
}

static void test_dll_information(void **State)
{
    static MI_IMAGE_INFO Info;
    const SECTION_IMAGE_INFORMATION *Image = &Info.ImageInformation;

    (void)State;
    assert_int_equal(Verify(&Dll, &Info), STATUS_SUCCESS);
    assert_int_equal(Info.ImageBase, DLL_BASE);
    assert_true(Image->ImageCharacteristics & IMAGE_FILE_DLL);
    assert_ptr_equal(Image->TransferAddress,
                     (PVOID)(DLL_BASE + NtHeaders(&Dll)->OptionalHeader.AddressOfEntryPoint));
    assert_int_equal(Image->SubSystemType, NtHeaders(&Dll)->OptionalHeader.Subsystem);
    assert_int_not_equal(Info.RelocationSize, 0);

    assert_int_equal(Verify(&Fixed, &Info), STATUS_SUCCESS);
    assert_true(Info.ImageInformation.ImageCharacteristics & IMAGE_FILE_RELOCS_STRIPPED);
    assert_int_equal(Info.RelocationSize, 0);
}

/* ---- protections ---- */

static void test_section_protection_table(void **State)
{
#define W IMAGE_SCN_MEM_WRITE
#define R IMAGE_SCN_MEM_READ
#define X IMAGE_SCN_MEM_EXECUTE
#define S IMAGE_SCN_MEM_SHARED
    static const struct { ULONG Flags; ULONG Protection; } Cases[] = {
        { 0, PAGE_NOACCESS },           { S, PAGE_NOACCESS },
        { R, PAGE_READONLY },           { R | S, PAGE_READONLY },
        { X, PAGE_EXECUTE },            { X | S, PAGE_EXECUTE },
        { X | R, PAGE_EXECUTE_READ },   { X | R | S, PAGE_EXECUTE_READ },
        { W, PAGE_WRITECOPY },          { W | S, PAGE_READWRITE },
        { W | R, PAGE_WRITECOPY },      { W | R | S, PAGE_READWRITE },
        { W | X, PAGE_EXECUTE_WRITECOPY },      { W | X | S, PAGE_EXECUTE_READWRITE },
        { W | R | X, PAGE_EXECUTE_WRITECOPY },  { W | R | X | S, PAGE_EXECUTE_READWRITE },
    };
#undef W
#undef R
#undef X
#undef S
    ULONG Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Cases); Index++) {
        /* The content flags below the MEM_ bits change nothing. */
        assert_int_equal(MiImageSectionProtection(Cases[Index].Flags), Cases[Index].Protection);
        assert_int_equal(MiImageSectionProtection(Cases[Index].Flags | IMAGE_SCN_CNT_CODE |
                         IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_DISCARDABLE),
                         Cases[Index].Protection);
    }
}

static void test_exe_page_protection(void **State)
{
    /* .text .data .rdata .bss .edata .idata .reloc, as ld marks them. */
    static const ULONG Expected[] = {
        PAGE_EXECUTE_READ, PAGE_WRITECOPY, PAGE_READONLY, PAGE_WRITECOPY,
        PAGE_READONLY, PAGE_WRITECOPY, PAGE_READONLY
    };
    static MI_IMAGE_INFO Info;
    TEST_FILE Copy = Clone(&Exe, Exe.Size);
    ULONG Index, Rva;

    (void)State;
    assert_int_equal(Verify(&Exe, &Info), STATUS_SUCCESS);
    for (Rva = 0; Rva < Info.Sections[0].VirtualAddress; Rva += PAGE_SIZE / 2)
        assert_int_equal(MiGetImagePageProtection(&Info, Rva), PAGE_READONLY);
    for (Index = 0; Index < Info.NumberOfSections; Index++) {
        const MI_IMAGE_SECTION *Section = &Info.Sections[Index];
        for (Rva = 0; Rva < Section->VirtualSize; Rva += 0x800)
            assert_int_equal(MiGetImagePageProtection(&Info, Section->VirtualAddress + Rva),
                             Expected[Index]);
    }
    assert_int_equal(MiGetImagePageProtection(&Info, Info.ViewSize), PAGE_NOACCESS);
    assert_int_equal(MiGetImagePageProtection(&Info, 0xFFFFFFFF), PAGE_NOACCESS);

    /* A shared writable section is not copy-on-write; writable code is. */
    SectionHeader(&Copy, 1)->Characteristics |= IMAGE_SCN_MEM_SHARED;
    SectionHeader(&Copy, 0)->Characteristics |= IMAGE_SCN_MEM_WRITE;
    assert_int_equal(Verify(&Copy, &Info), STATUS_SUCCESS);
    assert_int_equal(MiGetImagePageProtection(&Info, Info.Sections[1].VirtualAddress),
                     PAGE_READWRITE);
    assert_int_equal(MiGetImagePageProtection(&Info, Info.Sections[0].VirtualAddress),
                     PAGE_EXECUTE_WRITECOPY);
    /* Past the last section but inside SizeOfImage: no access. */
    NtHeaders(&Copy)->OptionalHeader.SizeOfImage += 2 * PAGE_SIZE;
    assert_int_equal(Verify(&Copy, &Info), STATUS_SUCCESS);
    assert_int_equal(MiGetImagePageProtection(&Info, Info.ViewSize - 1), PAGE_NOACCESS);
    free(Copy.Bytes);
}

/* ---- mapping ---- */

/* Marks the bytes the (valid) image's HIGHLOW relocations change; returns their count. */
static ULONG CollectRelocations(const UCHAR *View, const MI_IMAGE_INFO *Info, PUCHAR Touched)
{
    ULONG Offset = Info->RelocationRva, End = Offset + Info->RelocationSize, Count = 0, Index;

    memset(Touched, 0, Info->ViewSize);
    while (Offset < End) {
        ULONG Page = Get32(View, Offset), Size = Get32(View, Offset + 4);
        for (Index = 8; Index < Size; Index += 2) {
            USHORT Entry = (USHORT)(View[Offset + Index] | View[Offset + Index + 1] << 8);
            if (Entry >> 12 == IMAGE_REL_BASED_HIGHLOW) {
                memset(Touched + Page + (Entry & 0xFFF), 1, 4);
                Count++;
            }
        }
        Offset += Size;
    }
    return Count;
}

/* Relocated view = preferred view + delta at each relocation, the same elsewhere. */
static void CheckRelocatedView(const TEST_FILE *File, ULONG LoadAddress)
{
    static MI_IMAGE_INFO Info;
    PUCHAR AtBase, Moved, Touched;
    ULONG Offset, Count, BaseField;

    AtBase = Map(File, &Info, NtHeaders(File)->OptionalHeader.ImageBase, STATUS_SUCCESS);
    Moved = Map(File, &Info, LoadAddress, STATUS_SUCCESS);
    Touched = malloc(Info.ViewSize);
    Count = CollectRelocations(AtBase, &Info, Touched);
    assert_true(Count > 0);
    BaseField = Info.NtHeadersOffset + offsetof(IMAGE_NT_HEADERS32, OptionalHeader.ImageBase);
    assert_int_equal(Get32(Moved, BaseField), LoadAddress);
    for (Offset = 0; Offset < Info.ViewSize; Offset++) {
        if (Touched[Offset]) {
            assert_int_equal(Get32(Moved, Offset),
                             Get32(AtBase, Offset) + LoadAddress - Info.ImageBase);
            Offset += 3;
        } else if (Offset < BaseField || Offset >= BaseField + 4) {
            assert_int_equal(Moved[Offset], AtBase[Offset]);
        }
    }
    free(Touched);
    free(Moved);
    free(AtBase);
}

static void test_map_at_preferred_base(void **State)
{
    static MI_IMAGE_INFO Info;
    PUCHAR View;
    ULONG Index, Offset, Function;

    (void)State;
    View = Map(&Exe, &Info, EXE_BASE, STATUS_SUCCESS);
    assert_memory_equal(View, Exe.Bytes, Info.SizeOfHeaders);
    for (Index = 0; Index < Info.NumberOfSections; Index++) {
        const MI_IMAGE_SECTION *Section = &Info.Sections[Index];
        assert_memory_equal(View + Section->VirtualAddress, Exe.Bytes + Section->PointerToRawData,
                            Section->SizeOfRawData);
        for (Offset = Section->SizeOfRawData; Offset < Section->VirtualSize; Offset++)
            assert_int_equal(View[Section->VirtualAddress + Offset], 0);
    }
    for (Offset = Info.SizeOfHeaders; Offset < Info.Sections[0].VirtualAddress; Offset++)
        assert_int_equal(View[Offset], 0);
    /* The pointers hold the preferred addresses, as linked. */
    Function = EXE_BASE + ExportRva(View, Info.ViewSize, "ImageFunction");
    assert_int_equal(Get32(View, ExportRva(View, Info.ViewSize, "ImageSelfPointer")), Function);
    assert_int_equal(Get32(View, ExportRva(View, Info.ViewSize, "ImageConstTable") + 4), Function);
    assert_int_equal(View[ExportRva(View, Info.ViewSize, "ImageBss") + 0x2FFF], 0);
    free(View);
}

static void test_map_relocated(void **State)
{
    static MI_IMAGE_INFO Info;
    PUCHAR View;
    ULONG Function, Message;

    (void)State;
    CheckRelocatedView(&Exe, OTHER_BASE);
    CheckRelocatedView(&Exe, LOW_BASE);
    CheckRelocatedView(&Dll, OTHER_BASE);
    CheckRelocatedView(&Flat, OTHER_BASE);

    /* The program's own pointers moved with it. */
    View = Map(&Exe, &Info, OTHER_BASE, STATUS_SUCCESS);
    Function = OTHER_BASE + ExportRva(View, Info.ViewSize, "ImageFunction");
    assert_int_equal(Get32(View, ExportRva(View, Info.ViewSize, "ImageSelfPointer")), Function);
    assert_int_equal(Get32(View, ExportRva(View, Info.ViewSize, "ImageConstTable")), Function);
    Message = Get32(View, ExportRva(View, Info.ViewSize, "ImageMessage")) - OTHER_BASE;
    assert_true(Message < Info.ViewSize);
    assert_string_equal((const char *)View + Message, "relocated");
    free(View);

    View = Map(&Dll, &Info, OTHER_BASE, STATUS_SUCCESS);
    assert_int_equal(Get32(View, ExportRva(View, Info.ViewSize, "DataPointer")),
                     OTHER_BASE + ExportRva(View, Info.ViewSize, "ExportedData"));
    free(View);
}

static void test_map_zero_fill(void **State)
{
    static MI_IMAGE_INFO Info;
    TEST_FILE Copy = Clone(&Exe, Exe.Size);
    PIMAGE_SECTION_HEADER Text = SectionHeader(&Copy, 0), Data = SectionHeader(&Copy, 1);
    ULONG TextSize = Text->Misc.VirtualSize, Offset;
    PUCHAR View;

    (void)State;
    /* Raw data past VirtualSize (file padding) is not mapped, whatever it holds. */
    assert_true(Text->SizeOfRawData > TextSize);
    memset(Copy.Bytes + Text->PointerToRawData + TextSize, 0xCC, Text->SizeOfRawData - TextSize);
    /* A section longer in memory than on disk: zeros after its raw data. */
    memset(Copy.Bytes + Data->PointerToRawData, 0x77, Data->SizeOfRawData);
    Data->Misc.VirtualSize = 0x800;
    View = Map(&Copy, &Info, EXE_BASE, STATUS_SUCCESS);
    for (Offset = TextSize; Offset < PAGE_SIZE; Offset++)
        assert_int_equal(View[Text->VirtualAddress + Offset], 0);
    for (Offset = 0; Offset < PAGE_SIZE; Offset++)
        assert_int_equal(View[Data->VirtualAddress + Offset],
                         Offset < Data->SizeOfRawData ? 0x77 : 0);
    free(View);

    /* VirtualSize 0 means SizeOfRawData; SizeOfRawData 0 means all zeros. */
    Text->Misc.VirtualSize = 0;
    Data->SizeOfRawData = 0;
    View = Map(&Copy, &Info, EXE_BASE, STATUS_SUCCESS);
    assert_int_equal(Info.Sections[0].SizeOfRawData, Text->SizeOfRawData);
    assert_memory_equal(View + Text->VirtualAddress, Copy.Bytes + Text->PointerToRawData,
                        Text->SizeOfRawData);
    for (Offset = 0; Offset < PAGE_SIZE; Offset++)
        assert_int_equal(View[Data->VirtualAddress + Offset], 0);
    free(View);
    free(Copy.Bytes);
}

static void test_flat_image(void **State)
{
    static MI_IMAGE_INFO Info;
    TEST_FILE Copy;
    PUCHAR View;
    ULONG Index, Offset;

    (void)State;
    View = Map(&Flat, &Info, EXE_BASE, STATUS_SUCCESS);
    assert_int_equal(Info.SectionAlignment, 0x200);
    for (Index = 0; Index < Info.NumberOfSections; Index++)
        assert_int_equal(Info.Sections[Index].VirtualAddress,
                         SectionHeader(&Flat, Index)->PointerToRawData);
    /* Laid out as in the file; sections share pages, so every page is RWX copy-on-write. */
    assert_int_equal(Flat.Size, Info.SizeOfImage);
    assert_memory_equal(View, Flat.Bytes, Flat.Size);
    for (Offset = Info.SizeOfImage; Offset < Info.ViewSize; Offset++)
        assert_int_equal(View[Offset], 0);
    for (Offset = 0; Offset < Info.ViewSize; Offset += 0x100)
        assert_int_equal(MiGetImagePageProtection(&Info, Offset), PAGE_EXECUTE_WRITECOPY);
    free(View);

    /* Its two alignments must be equal, and each section's RVA its file offset. */
    Copy = Clone(&Flat, Flat.Size);
    NtHeaders(&Copy)->OptionalHeader.FileAlignment = 0x100;
    assert_int_equal(Verify(&Copy, &Info), STATUS_INVALID_IMAGE_FORMAT);
    NtHeaders(&Copy)->OptionalHeader.FileAlignment = 0x200;
    SectionHeader(&Copy, 1)->PointerToRawData -= 0x200;
    assert_int_equal(Verify(&Copy, &Info), STATUS_INVALID_IMAGE_FORMAT);
    free(Copy.Bytes);
}

static void test_map_parameters(void **State)
{
    static MI_IMAGE_INFO Info;
    PUCHAR View;

    (void)State;
    assert_int_equal(Verify(&Exe, &Info), STATUS_SUCCESS);
    View = malloc(Info.ViewSize);
    /* Not on a page; wrapping past 4 GB; not the file that was checked. */
    assert_int_equal(MiMapImage(Exe.Bytes, Exe.Size, &Info, View, EXE_BASE + 0x800),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(MiMapImage(Exe.Bytes, Exe.Size, &Info, View, 0xFFFFF000),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(MiMapImage(Exe.Bytes, Exe.Size - 1, &Info, View, EXE_BASE),
                     STATUS_INVALID_PARAMETER);
    /* Ending exactly at 4 GB is fine. */
    assert_int_equal(MiMapImage(Exe.Bytes, Exe.Size, &Info, View, 0 - Info.ViewSize),
                     STATUS_SUCCESS);
    free(View);
}

/* ---- relocation that cannot be done, or is malformed ---- */

static void test_relocs_stripped(void **State)
{
    static MI_IMAGE_INFO Info;
    const ULONG RelocationSize =
        NtHeaders(&Exe)->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size;
    PIMAGE_DATA_DIRECTORY Directory;
    TEST_FILE Copy;
    PUCHAR View;

    (void)State;
    View = Map(&Fixed, &Info, EXE_BASE, STATUS_SUCCESS);
    free(View);
    assert_null(Map(&Fixed, &Info, OTHER_BASE, STATUS_CONFLICTING_ADDRESSES));

    Copy = Clone(&Exe, Exe.Size);
    NtHeaders(&Copy)->FileHeader.Characteristics |= IMAGE_FILE_RELOCS_STRIPPED;
    assert_null(Map(&Copy, &Info, OTHER_BASE, STATUS_CONFLICTING_ADDRESSES));
    free(Map(&Copy, &Info, EXE_BASE, STATUS_SUCCESS));
    NtHeaders(&Copy)->FileHeader.Characteristics &= ~IMAGE_FILE_RELOCS_STRIPPED;
    Directory = &NtHeaders(&Copy)->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    Directory->Size = 0;
    assert_null(Map(&Copy, &Info, OTHER_BASE, STATUS_CONFLICTING_ADDRESSES));
    Directory->Size = RelocationSize;
    /* Fewer directories than BASERELOC: there is none. */
    NtHeaders(&Copy)->OptionalHeader.NumberOfRvaAndSizes = IMAGE_DIRECTORY_ENTRY_BASERELOC;
    assert_null(Map(&Copy, &Info, OTHER_BASE, STATUS_CONFLICTING_ADDRESSES));
    free(Copy.Bytes);
}

typedef enum { AT_FILE, AT_NT, AT_SECTION, AT_RELOC } PATCH_BASE;

typedef struct _PATCH {
    const char *What;
    PATCH_BASE At;
    ULONG Index;                /* AT_SECTION: which section header */
    ULONG Offset;               /* from the base */
    ULONG Size;                 /* 2 or 4 */
    BOOLEAN Add;                /* add Value instead of storing it */
    ULONG Value;
    NTSTATUS Expected;
} PATCH;

#define NT(Field)       AT_NT, 0, offsetof(IMAGE_NT_HEADERS32, Field)
#define FH(Field)       NT(FileHeader.Field)
#define OH(Field)       NT(OptionalHeader.Field)
#define SEC(N, Field)   AT_SECTION, N, offsetof(IMAGE_SECTION_HEADER, Field)
#define RELOC(Offset)   AT_RELOC, 0, Offset
#define SET             FALSE
#define ADD             TRUE
#define FORMAT          STATUS_INVALID_IMAGE_FORMAT
#define WIN64           STATUS_INVALID_IMAGE_WIN_64

static TEST_FILE ApplyPatch(const TEST_FILE *File, const PATCH *Patch)
{
    static MI_IMAGE_INFO Info;
    TEST_FILE Copy = Clone(File, File->Size);
    ULONG Offset = Patch->Offset, Value;

    if (Patch->At == AT_NT)
        Offset += NtOffset(File);
    else if (Patch->At == AT_SECTION)
        Offset += SectionOffset(File, Patch->Index);
    else if (Patch->At == AT_RELOC) {
        /* The relocation directory lies in .reloc (section 6): RVA to file offset. */
        const IMAGE_SECTION_HEADER *Reloc = SectionHeader(File, 6);
        assert_int_equal(Verify(File, &Info), STATUS_SUCCESS);
        Offset += Reloc->PointerToRawData + Info.RelocationRva - Reloc->VirtualAddress;
    }
    Value = Patch->Value;
    if (Patch->Size == 2) {
        if (Patch->Add)
            Value += Copy.Bytes[Offset] | Copy.Bytes[Offset + 1] << 8;
        Put16(Copy.Bytes, Offset, (USHORT)Value);
    } else {
        if (Patch->Add)
            Value += Get32(Copy.Bytes, Offset);
        Put32(Copy.Bytes, Offset, Value);
    }
    return Copy;
}

static void test_bad_relocations(void **State)
{
    static const PATCH Patches[] = {
        { "type HIGH", RELOC(8), 2, SET, 0x100C, FORMAT },
        { "type HIGHADJ", RELOC(8), 2, SET, 0x400C, FORMAT },
        { "type DIR64", RELOC(8), 2, SET, 0xA00C, FORMAT },
        { "type 15", RELOC(10), 2, SET, 0xF000, FORMAT },
        { "block page past the image", RELOC(0), 4, SET, 0x7FFFF000, FORMAT },
        { "block page at the end", RELOC(0), 4, ADD, 0x9000, FORMAT },  /* page SizeOfImage */
        { "block page 4 GB", RELOC(0), 4, SET, 0xFFFFF000, FORMAT },
        { "SizeOfBlock 0", RELOC(4), 4, SET, 0, FORMAT },
        { "SizeOfBlock 4", RELOC(4), 4, SET, 4, FORMAT },
        { "SizeOfBlock past the directory", RELOC(4), 4, SET, 0x1000, FORMAT },
        { "SizeOfBlock 0xFFFFFFFF", RELOC(4), 4, SET, 0xFFFFFFFF, FORMAT },
        { "only padding", RELOC(8), 4, SET, 0, STATUS_SUCCESS },
        { "directory 2 bytes longer", OH(DataDirectory[5].Size), 4, ADD, 2, FORMAT },
        { "directory huge", OH(DataDirectory[5].Size), 4, SET, 0xFFFFFFFF, FORMAT },
        { "directory past the image", OH(DataDirectory[5].VirtualAddress), 4, SET,
          0xFFFFFFF0, FORMAT },
        { "directory on the headers", OH(DataDirectory[5].VirtualAddress), 4, SET, 0, FORMAT },
    };
    static MI_IMAGE_INFO Info;
    ULONG Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Patches); Index++) {
        TEST_FILE Copy = ApplyPatch(&Exe, &Patches[Index]);
        print_message("  %s\n", Patches[Index].What);
        /* The check never reads relocations, nor does mapping at the preferred base. */
        free(Map(&Copy, &Info, EXE_BASE, STATUS_SUCCESS));
        free(Map(&Copy, &Info, OTHER_BASE, Patches[Index].Expected));
        free(Copy.Bytes);
    }
}

/*
 * The patch tables use a few numbers from the layout ld gives imgexe.exe: a 4 KB
 * file, SizeOfImage 0xA000, the relocation directory at the start of .reloc, the
 * first block for page 0x1000, .reloc at 0x9000 with 0x28 bytes.
 */
static void test_patch_assumptions(void **State)
{
    const IMAGE_SECTION_HEADER *Reloc = SectionHeader(&Exe, 6);
    static MI_IMAGE_INFO Info;
    PUCHAR View;

    (void)State;
    assert_int_equal(Exe.Size, 0x1000);
    assert_int_equal(NtHeaders(&Exe)->OptionalHeader.SizeOfImage, 0xA000);
    View = Map(&Exe, &Info, EXE_BASE, STATUS_SUCCESS);
    assert_int_equal(Info.RelocationRva, Reloc->VirtualAddress);
    assert_int_equal(Reloc->VirtualAddress, 0x9000);
    assert_int_equal(Reloc->Misc.VirtualSize, 0x28);
    assert_int_equal(Get32(View, Info.RelocationRva), 0x1000);
    free(View);
}

/* ---- malformed headers and sections ---- */

static void test_not_mz(void **State)
{
    static MI_IMAGE_INFO Info;
    TEST_FILE Copy = Clone(&Exe, Exe.Size);

    (void)State;
    Copy.Bytes[0] = 'Z';
    Copy.Bytes[1] = 'M';
    assert_int_equal(Verify(&Copy, &Info), STATUS_INVALID_IMAGE_NOT_MZ);
    Copy.Bytes[0] = 'M';
    Copy.Bytes[1] = 'z';
    assert_int_equal(Verify(&Copy, &Info), STATUS_INVALID_IMAGE_NOT_MZ);
    Copy.Size = 1;
    Copy.Bytes[0] = 'M';
    assert_int_equal(Verify(&Copy, &Info), STATUS_INVALID_IMAGE_NOT_MZ);
    Copy.Size = 0;
    assert_int_equal(Verify(&Copy, &Info), STATUS_INVALID_IMAGE_NOT_MZ);
    free(Copy.Bytes);
}

static void test_truncated(void **State)
{
    static MI_IMAGE_INFO Info;
    const TEST_FILE *Files[] = { &Exe, &Dll, &Fixed, &Flat };
    ULONG Which;
    SIZE_T Length;

    (void)State;
    /* Every length short of the whole file: the headers, then raw data past the end. */
    for (Which = 0; Which < RTL_NUMBER_OF(Files); Which++) {
        for (Length = 0; Length < Files[Which]->Size; Length++) {
            TEST_FILE Copy = Clone(Files[Which], Length);
            assert_int_equal(Verify(&Copy, &Info),
                             Length < 2 ? STATUS_INVALID_IMAGE_NOT_MZ : FORMAT);
            free(Copy.Bytes);
        }
    }
}

static void test_bad_headers(void **State)
{
    static const PATCH Patches[] = {
        { "e_lfanew negative", AT_FILE, 0, 0x3C, 4, SET, 0xFFFFFFFF, FORMAT },
        { "e_lfanew huge", AT_FILE, 0, 0x3C, 4, SET, 0x7FFFFFFF, FORMAT },
        { "e_lfanew past the end", AT_FILE, 0, 0x3C, 4, SET, 0x1000, FORMAT },
        { "e_lfanew near the end", AT_FILE, 0, 0x3C, 4, SET, 0xFF8, FORMAT },
        { "e_lfanew 0", AT_FILE, 0, 0x3C, 4, SET, 0, FORMAT },
        { "signature PE\\0\\1", NT(Signature), 4, SET, 0x01004550, FORMAT },
        { "signature NE", NT(Signature), 4, SET, IMAGE_OS2_SIGNATURE, FORMAT },
        { "machine AMD64", FH(Machine), 2, SET, IMAGE_FILE_MACHINE_AMD64, WIN64 },
        { "machine IA64", FH(Machine), 2, SET, IMAGE_FILE_MACHINE_IA64, WIN64 },
        { "machine ARM64", FH(Machine), 2, SET, IMAGE_FILE_MACHINE_ARM64, WIN64 },
        { "machine ARM", FH(Machine), 2, SET, IMAGE_FILE_MACHINE_ARMNT, FORMAT },
        { "machine 0", FH(Machine), 2, SET, 0, FORMAT },
        { "machine 0x14D", FH(Machine), 2, SET, 0x14D, FORMAT },
        { "PE32+ magic", OH(Magic), 2, SET, IMAGE_NT_OPTIONAL_HDR64_MAGIC, WIN64 },
        { "ROM magic", OH(Magic), 2, SET, IMAGE_ROM_OPTIONAL_HDR_MAGIC, FORMAT },
        { "not executable", FH(Characteristics), 2, SET, IMAGE_FILE_32BIT_MACHINE, FORMAT },
        { "SizeOfOptionalHeader 0", FH(SizeOfOptionalHeader), 2, SET, 0, FORMAT },
        { "SizeOfOptionalHeader 1", FH(SizeOfOptionalHeader), 2, SET, 1, FORMAT },
        { "SizeOfOptionalHeader 0x5F", FH(SizeOfOptionalHeader), 2, SET, 0x5F, FORMAT },
        { "SizeOfOptionalHeader short of 16 directories", FH(SizeOfOptionalHeader), 2, SET,
          0x60 + 15 * 8, FORMAT },
        { "SizeOfOptionalHeader 0xFFFF", FH(SizeOfOptionalHeader), 2, SET, 0xFFFF, FORMAT },
        { "SectionAlignment 0", OH(SectionAlignment), 4, SET, 0, FORMAT },
        { "SectionAlignment 0x1800", OH(SectionAlignment), 4, SET, 0x1800, FORMAT },
        { "SectionAlignment 2 GB", OH(SectionAlignment), 4, SET, 0x80000000, FORMAT },
        { "SectionAlignment 0x2000", OH(SectionAlignment), 4, SET, 0x2000, FORMAT },
        { "FileAlignment 0", OH(FileAlignment), 4, SET, 0, FORMAT },
        { "FileAlignment 0x100", OH(FileAlignment), 4, SET, 0x100, FORMAT },
        { "FileAlignment 0x300", OH(FileAlignment), 4, SET, 0x300, FORMAT },
        { "FileAlignment above SectionAlignment", OH(FileAlignment), 4, SET, 0x2000, FORMAT },
        { "FileAlignment 128 KB", OH(FileAlignment), 4, SET, 0x20000, FORMAT },
        { "ImageBase not 64 KB aligned", OH(ImageBase), 4, SET, 0x00401000, FORMAT },
        { "SizeOfImage 0", OH(SizeOfImage), 4, SET, 0, FORMAT },
        { "SizeOfImage 0xFFFFFFFF", OH(SizeOfImage), 4, SET, 0xFFFFFFFF, FORMAT },
        { "SizeOfImage above the largest", OH(SizeOfImage), 4, SET, 0x77001000, FORMAT },
        { "SizeOfImage short of .reloc", OH(SizeOfImage), 4, ADD, (ULONG)-0x1000, FORMAT },
        { "SizeOfImage 1 short", OH(SizeOfImage), 4, ADD, (ULONG)-0xFD9, FORMAT },
        { "SizeOfHeaders 0", OH(SizeOfHeaders), 4, SET, 0, FORMAT },
        { "SizeOfHeaders short of the table", OH(SizeOfHeaders), 4, SET, 0x100, FORMAT },
        { "SizeOfHeaders past the file", OH(SizeOfHeaders), 4, SET, 0x2000, FORMAT },
        { "SizeOfHeaders 0xFFFFFFFF", OH(SizeOfHeaders), 4, SET, 0xFFFFFFFF, FORMAT },
        { "no sections", FH(NumberOfSections), 2, SET, 0, FORMAT },
        { "one section more", FH(NumberOfSections), 2, ADD, 1, FORMAT },
        { "97 sections", FH(NumberOfSections), 2, SET, 97, FORMAT },
        { "0xFFFF sections", FH(NumberOfSections), 2, SET, 0xFFFF, FORMAT },
        { "entry point past the image", OH(AddressOfEntryPoint), 4, SET, 0xA000, FORMAT },
        { "entry point 0xFFFFFFFF", OH(AddressOfEntryPoint), 4, SET, 0xFFFFFFFF, FORMAT },
        /* Not errors: */
        { "no entry point", OH(AddressOfEntryPoint), 4, SET, 0, STATUS_SUCCESS },
        { "NumberOfRvaAndSizes huge", OH(NumberOfRvaAndSizes), 4, SET, 0xFFFFFFFF, STATUS_SUCCESS },
        { "FileAlignment 0x1000", OH(FileAlignment), 4, SET, 0x1000, STATUS_SUCCESS },
        { "SizeOfImage not a page multiple", OH(SizeOfImage), 4, ADD, (ULONG)-0xFD8,
          STATUS_SUCCESS },
    };
    static const PATCH SectionPatches[] = {
        { ".data on .text", SEC(1, VirtualAddress), 4, ADD, (ULONG)-0x1000, FORMAT },
        { ".data misaligned", SEC(1, VirtualAddress), 4, ADD, 0x10, FORMAT },
        { ".data after a hole", SEC(1, VirtualAddress), 4, ADD, 0x1000, FORMAT },
        { ".text on the headers", SEC(0, VirtualAddress), 4, SET, 0, FORMAT },
        { ".text at 4 GB", SEC(0, VirtualAddress), 4, SET, 0xFFFFF000, FORMAT },
        { ".text into .data", SEC(0, Misc.VirtualSize), 4, SET, 0x1001, FORMAT },
        { ".text VirtualSize 0xFFFFFFFF", SEC(0, Misc.VirtualSize), 4, SET, 0xFFFFFFFF, FORMAT },
        { ".bss into .edata", SEC(3, Misc.VirtualSize), 4, ADD, 1, FORMAT },
        { ".reloc past SizeOfImage", SEC(6, Misc.VirtualSize), 4, SET, 0x1001, FORMAT },
        { ".text raw past the end", SEC(0, PointerToRawData), 4, SET, 0x1000, FORMAT },
        { ".text raw at 4 GB", SEC(0, PointerToRawData), 4, SET, 0xFFFFFE00, FORMAT },
        { ".text raw size 0xFFFFFFFF", SEC(0, SizeOfRawData), 4, SET, 0xFFFFFFFF, FORMAT },
        { ".reloc raw 1 byte past the end", SEC(6, SizeOfRawData), 4, ADD, 1, FORMAT },
        /* Not errors: */
        { ".bss: a raw pointer, no raw data", SEC(3, PointerToRawData), 4, SET, 0xFFFFFFFF,
          STATUS_SUCCESS },
        { ".text VirtualSize 0", SEC(0, Misc.VirtualSize), 4, SET, 0, STATUS_SUCCESS },
        { ".text up to .data", SEC(0, Misc.VirtualSize), 4, SET, 0x1000, STATUS_SUCCESS },
    };
    static MI_IMAGE_INFO Info;
    ULONG Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Patches) + RTL_NUMBER_OF(SectionPatches); Index++) {
        const PATCH *Patch = Index < RTL_NUMBER_OF(Patches) ? &Patches[Index] :
                             &SectionPatches[Index - RTL_NUMBER_OF(Patches)];
        TEST_FILE Copy = ApplyPatch(&Exe, Patch);
        print_message("  %s\n", Patch->What);
        assert_int_equal(Verify(&Copy, &Info), Patch->Expected);
        if (NT_SUCCESS(Patch->Expected)) {
            free(Map(&Copy, &Info, EXE_BASE, STATUS_SUCCESS));
            free(Map(&Copy, &Info, OTHER_BASE, STATUS_SUCCESS));
        }
        free(Copy.Bytes);
    }
}

/* ---- exports ---- */

static MI_IMAGE_INFO DllInfo;
static PUCHAR DllView;

/* The function at Rva is "mov eax, Value; ret", as gcc -O1 makes "return Value;". */
static void CheckReturns(const UCHAR *View, ULONG Rva, ULONG Value)
{
    assert_int_equal(View[Rva], 0xB8);
    assert_int_equal(Get32(View, Rva + 1), Value);
    assert_int_equal(View[Rva + 5], 0xC3);
}

static int SetupDllView(void **State)
{
    (void)State;
    DllView = Map(&Dll, &DllInfo, DLL_BASE, STATUS_SUCCESS);
    return 0;
}

static int TeardownDllView(void **State)
{
    (void)State;
    free(DllView);
    return 0;
}

static void test_export_by_name(void **State)
{
    static const struct { PCSTR Name; ULONG Value; } Functions[] = {
        { "AlphaFunction", 1 }, { "BetaFunction", 2 }, { "GammaFunction", 3 },
        { "ZetaFunction", 26 },
    };
    /* Exact, case-sensitive names only; an ordinal-only export has no name. */
    static const PCSTR Missing[] = {
        "", "A", "alphaFunction", "AlphaFunction ", "AlphaFunctio", "HiddenFunction", "\xFF", "Zz"
    };
    ULONG Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Functions); Index++)
        CheckReturns(DllView, ExportRva(DllView, DllInfo.ViewSize, Functions[Index].Name),
                     Functions[Index].Value);
    assert_int_equal(Get32(DllView, ExportRva(DllView, DllInfo.ViewSize, "ExportedData")), 5);
    for (Index = 0; Index < RTL_NUMBER_OF(Missing); Index++)
        assert_int_equal(ByName(DllView, DllInfo.ViewSize, Missing[Index], MI_NO_EXPORT_HINT),
                         STATUS_ENTRYPOINT_NOT_FOUND);
}

static void test_export_hint(void **State)
{
    ULONG Hint, Expected = ExportRva(DllView, DllInfo.ViewSize, "GammaFunction");

    (void)State;
    /* Right, wrong or out of range, the hint never changes the answer. */
    for (Hint = 0; Hint < 8; Hint++) {
        assert_int_equal(ByName(DllView, DllInfo.ViewSize, "GammaFunction", Hint), STATUS_SUCCESS);
        assert_int_equal(FoundRva, Expected);
        assert_int_equal(ByName(DllView, DllInfo.ViewSize, "Missing", Hint),
                         STATUS_ENTRYPOINT_NOT_FOUND);
    }
}

static void test_export_by_ordinal(void **State)
{
    /* Below Base (3), the unused 7, past the last (11). */
    static const ULONG Missing[] = { 0, 1, 2, 7, 12, 0xFFFF, 0xFFFFFFFF };
    ULONG Index;

    (void)State;
    assert_int_equal(ByOrdinal(DllView, DllInfo.ViewSize, 3), STATUS_SUCCESS);
    assert_null(FoundForwarder);
    assert_int_equal(FoundRva, ExportRva(DllView, DllInfo.ViewSize, "AlphaFunction"));
    assert_int_equal(ByOrdinal(DllView, DllInfo.ViewSize, 9), STATUS_SUCCESS);
    CheckReturns(DllView, FoundRva, 7);
    assert_int_equal(ByOrdinal(DllView, DllInfo.ViewSize, 10), STATUS_SUCCESS);
    CheckReturns(DllView, FoundRva, 26);
    for (Index = 0; Index < RTL_NUMBER_OF(Missing); Index++)
        assert_int_equal(ByOrdinal(DllView, DllInfo.ViewSize, Missing[Index]),
                         STATUS_ORDINAL_NOT_FOUND);
}

static void test_export_forwarder(void **State)
{
    ULONG ByNameRva;

    (void)State;
    assert_int_equal(ByName(DllView, DllInfo.ViewSize, "ForwardedZero", MI_NO_EXPORT_HINT),
                     STATUS_SUCCESS);
    assert_non_null(FoundForwarder);
    assert_string_equal(FoundForwarder, "NTDLL.RtlZeroMemory");
    assert_ptr_equal(FoundForwarder, DllView + FoundRva);
    ByNameRva = FoundRva;
    assert_int_equal(ByOrdinal(DllView, DllInfo.ViewSize, 8), STATUS_SUCCESS);
    assert_int_equal(FoundRva, ByNameRva);
    assert_string_equal(FoundForwarder, "NTDLL.RtlZeroMemory");
}

static void test_export_other_images(void **State)
{
    static MI_IMAGE_INFO Info;
    PUCHAR View;

    (void)State;
    /* An .exe can export too; an image without an export directory cannot. */
    View = Map(&Exe, &Info, OTHER_BASE, STATUS_SUCCESS);
    CheckReturns(View, ExportRva(View, Info.ViewSize, "ImageFunction"), 42);
    free(View);
    View = Map(&Fixed, &Info, EXE_BASE, STATUS_SUCCESS);
    assert_int_equal(ByName(View, Info.ViewSize, "PlainFunction", MI_NO_EXPORT_HINT), FORMAT);
    assert_int_equal(ByOrdinal(View, Info.ViewSize, 1), FORMAT);
    free(View);
}

/* Looks up the DLL's exports in a copy of View of Size bytes (exactly). */
static void LookUpEverything(const UCHAR *View, ULONG Size, BOOLEAN MustFail)
{
    static const PCSTR Names[] = { "AlphaFunction", "ForwardedZero", "ZetaFunction", "Missing" };
    PUCHAR Copy = malloc(Size ? Size : 1);
    ULONG Index;
    NTSTATUS Status;

    memcpy(Copy, View, Size);
    for (Index = 0; Index < RTL_NUMBER_OF(Names); Index++) {
        Status = ByName(Copy, Size, Names[Index], Index);
        if (MustFail)
            assert_int_equal(Status, FORMAT);
        if (NT_SUCCESS(Status))
            assert_true(FoundRva < Size &&
                        (FoundForwarder == NULL || strlen(FoundForwarder) < Size - FoundRva));
    }
    for (Index = 0; Index < 13; Index++) {
        if (NT_SUCCESS(ByOrdinal(Copy, Size, Index)))
            assert_true(FoundRva < Size);
    }
    free(Copy);
}

static void test_export_truncated_views(void **State)
{
    const IMAGE_DATA_DIRECTORY *Exports =
        &NtHeaders(&Dll)->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    ULONG Size;

    (void)State;
    /* Until the export directory fits, nothing can be looked up. */
    for (Size = 0; Size < Exports->VirtualAddress + Exports->Size; Size += Size < 0x200 ? 1 : 7)
        LookUpEverything(DllView, Size, TRUE);
    for (; Size <= DllInfo.ViewSize; Size++)
        LookUpEverything(DllView, Size, FALSE);
}

static void test_export_malformed(void **State)
{
    const IMAGE_DATA_DIRECTORY *Entry =
        &NtHeaders(&Dll)->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    const ULONG Dir = Entry->VirtualAddress, NtBase = NtOffset(&Dll), Last = DllInfo.ViewSize - 1;
#define AT_OPT(Field)   (NtBase + offsetof(IMAGE_NT_HEADERS32, OptionalHeader.Field))
#define AT_DIR(Field)   (Dir + offsetof(IMAGE_EXPORT_DIRECTORY, Field))
    const struct {
        const char *What;
        ULONG Offset, Value;
        PCSTR Name;             /* look this up, or (NULL) ordinal 3 */
        NTSTATUS Expected;
    } Cases[] = {
        { "no directory", AT_OPT(DataDirectory[0].Size), 0, "AlphaFunction", FORMAT },
        { "directory past the view", AT_OPT(DataDirectory[0]), Last, "AlphaFunction", FORMAT },
        { "no directories", AT_OPT(NumberOfRvaAndSizes), 0, "AlphaFunction", FORMAT },
        { "bad e_lfanew", offsetof(IMAGE_DOS_HEADER, e_lfanew), 0x7FFFFFF0, "AlphaFunction",
          FORMAT },
        { "bad signature", NtBase, 0, "AlphaFunction", FORMAT },
        { "functions huge", AT_DIR(NumberOfFunctions), 0x40000000, NULL, FORMAT },
        { "functions past the view", AT_DIR(AddressOfFunctions), Last - 8, NULL, FORMAT },
        { "names huge", AT_DIR(NumberOfNames), 0xFFFFFFFF, "AlphaFunction", FORMAT },
        { "names past the view", AT_DIR(AddressOfNames), Last, "AlphaFunction", FORMAT },
        { "name ordinals past the view", AT_DIR(AddressOfNameOrdinals), Last, "AlphaFunction",
          FORMAT },
        { "Base 0xFFFFFFFF", AT_DIR(Base), 0xFFFFFFFF, NULL, STATUS_ORDINAL_NOT_FOUND },
    };
#undef AT_OPT
#undef AT_DIR
    IMAGE_EXPORT_DIRECTORY Directory;
    PUCHAR View = malloc(DllInfo.ViewSize);
    ULONG Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Cases); Index++) {
        print_message("  %s\n", Cases[Index].What);
        memcpy(View, DllView, DllInfo.ViewSize);
        Put32(View, Cases[Index].Offset, Cases[Index].Value);
        if (Cases[Index].Name != NULL)
            assert_int_equal(ByName(View, DllInfo.ViewSize, Cases[Index].Name, MI_NO_EXPORT_HINT),
                             Cases[Index].Expected);
        else
            assert_int_equal(ByOrdinal(View, DllInfo.ViewSize, 3), Cases[Index].Expected);
    }

    /* Through the tables: a name, a name ordinal, a function RVA, a forwarder. */
    memcpy(&Directory, DllView + Dir, sizeof(Directory));
    memcpy(View, DllView, DllInfo.ViewSize);
    Put32(View, Directory.AddressOfNames, Last);        /* a name that runs off the end */
    View[Last] = 'A';
    assert_int_equal(ByName(View, DllInfo.ViewSize, "AlphaFunction", 0), FORMAT);
    Put32(View, Directory.AddressOfNames, 0xFFFFFFFF);
    assert_int_equal(ByName(View, DllInfo.ViewSize, "AlphaFunction", 0), FORMAT);

    memcpy(View, DllView, DllInfo.ViewSize);
    Put16(View, Directory.AddressOfNameOrdinals, (USHORT)Directory.NumberOfFunctions);
    assert_int_equal(ByName(View, DllInfo.ViewSize, "AlphaFunction", 0), FORMAT);

    memcpy(View, DllView, DllInfo.ViewSize);
    Put32(View, Directory.AddressOfFunctions, DllInfo.ViewSize);
    assert_int_equal(ByOrdinal(View, DllInfo.ViewSize, 3), FORMAT);

    memcpy(View, DllView, DllInfo.ViewSize);
    assert_int_equal(ByOrdinal(View, DllInfo.ViewSize, 8), STATUS_SUCCESS);
    memcpy(View + FoundRva, "NTDLL", 6);                /* a forwarder without a dot */
    assert_int_equal(ByOrdinal(View, DllInfo.ViewSize, 8), FORMAT);
    free(View);
}

/* ---- random damage: whatever the bytes, a status and no stray access ---- */

static ULONG FuzzSeed = 0x1234567;

static ULONG FuzzNext(void)
{
    FuzzSeed = FuzzSeed * 1103515245 + 12345;
    return FuzzSeed >> 8;
}

static void test_fuzz(void **State)
{
    static const ULONG Values[] = { 0, 1, 0x7F, 0x80, 0xFF };
    static MI_IMAGE_INFO Info;
    const TEST_FILE *Files[] = { &Exe, &Dll };
    ULONG Round, Changes, Offset, Accepted = 0;
    PUCHAR View;

    (void)State;
    for (Round = 0; Round < 4000; Round++) {
        const TEST_FILE *File = Files[Round & 1];
        TEST_FILE Copy = Clone(File, File->Size);
        for (Changes = 1 + FuzzNext() % 4; Changes > 0; Changes--) {
            /* Mostly the headers; sometimes anywhere (relocations, exports). */
            Offset = FuzzNext() % (FuzzNext() % 4 ? 0x400 : (ULONG)File->Size);
            Copy.Bytes[Offset] = FuzzNext() % 2 ? (UCHAR)FuzzNext() : (UCHAR)Values[FuzzNext() % 5];
        }
        /* (A SizeOfImage made huge is valid, but not worth mapping here.) */
        if (NT_SUCCESS(Verify(&Copy, &Info)) && Info.ViewSize <= 0x100000) {
            Accepted++;
            View = malloc(Info.ViewSize);
            assert_non_null(View);
            if (NT_SUCCESS(MiMapImage(Copy.Bytes, Copy.Size, &Info, View, Info.ImageBase)))
                LookUpEverything(View, Info.ViewSize, FALSE);
            MiMapImage(Copy.Bytes, Copy.Size, &Info, View, OTHER_BASE + 0x10000);
            free(View);
        }
        free(Copy.Bytes);
    }
    /* Many changes fall on fields nobody checks: those images are still good. */
    assert_true(Accepted > 100);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_patch_assumptions),
        cmocka_unit_test(test_exe_information),
        cmocka_unit_test(test_dll_information),
        cmocka_unit_test(test_section_protection_table),
        cmocka_unit_test(test_exe_page_protection),
        cmocka_unit_test(test_map_at_preferred_base),
        cmocka_unit_test(test_map_relocated),
        cmocka_unit_test(test_map_zero_fill),
        cmocka_unit_test(test_flat_image),
        cmocka_unit_test(test_map_parameters),
        cmocka_unit_test(test_relocs_stripped),
        cmocka_unit_test(test_bad_relocations),
        cmocka_unit_test(test_not_mz),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test_setup_teardown(test_export_by_name, SetupDllView, TeardownDllView),
        cmocka_unit_test_setup_teardown(test_export_hint, SetupDllView, TeardownDllView),
        cmocka_unit_test_setup_teardown(test_export_by_ordinal, SetupDllView, TeardownDllView),
        cmocka_unit_test_setup_teardown(test_export_forwarder, SetupDllView, TeardownDllView),
        cmocka_unit_test(test_export_other_images),
        cmocka_unit_test_setup_teardown(test_export_truncated_views, SetupDllView, TeardownDllView),
        cmocka_unit_test_setup_teardown(test_export_malformed, SetupDllView, TeardownDllView),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(Tests, Setup, Teardown);
}

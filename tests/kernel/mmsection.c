/*
 * mmsection.c - self-tests of section objects and views (MM_IMAGE_SECTIONS,
 * MM_BAD_IMAGES, MM_MEMORY_SECTIONS).
 *
 * The images are ntdll.dll from the boot volume, as the kernel mapped it at boot,
 * and broken copies of it that the test writes to the volume (C:\mmtest\...) and
 * deletes again. Every test ends with the memory, commit and pool it began with.
 * Without a boot volume (the 16 MB boot) the image tests have nothing to map: they
 * say so and pass only if the kernel did not find an ntdll either.
 */
#include "exobjtest.h"
#include <io.h>
#include <ps.h>
#include <ramdisk.h>
#include <nt/ntsection.h>
#include <nt/ntimage.h>

#define KST_NTDLL     u"\\SystemRoot\\System32\\ntdll.dll"
#define KST_NTDLL_BASE 0x7C900000UL

static NTSTATUS KstOpenFile(PCWSTR Path, ACCESS_MASK Access, ULONG Disposition, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;

    KstExAttributes(&Attributes, &Name, Path, OBJ_CASE_INSENSITIVE);
    return NtCreateFile(Handle, Access | SYNCHRONIZE, &Attributes, &Iosb, NULL, FILE_ATTRIBUTE_NORMAL,
                        FILE_SHARE_READ | FILE_SHARE_DELETE, Disposition, FILE_SYNCHRONOUS_IO_NONALERT, NULL,
                        0);
}

/* A section of the image at Path (its status, for the broken ones). */
static NTSTATUS KstImageSection(PCWSTR Path, PHANDLE Section)
{
    HANDLE File;
    NTSTATUS Status;

    Status = KstOpenFile(Path, FILE_READ_DATA | FILE_EXECUTE, FILE_OPEN, &File);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtCreateSection(Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, File);
    NtClose(File);
    return Status;
}

/* The physical page behind Va in the current space, or 0 when none is mapped. */
static ULONG KstPageOf(ULONG_PTR Va)
{
    if (!(*MiAddressToPde(Va) & PTE_PRESENT) || !(*MiAddressToPte(Va) & PTE_PRESENT))
        return 0;
    return *MiAddressToPte(Va) >> PAGE_SHIFT;
}

/* The protection NtQueryVirtualMemory gives the page at Va, and the region's type. */
static ULONG KstProtectionOf(PVOID Va, PULONG Type, PVOID *AllocationBase)
{
    MEMORY_BASIC_INFORMATION Info;
    SIZE_T Length;

    if (!NT_SUCCESS(NtQueryVirtualMemory(NtCurrentProcess(), Va, MemoryBasicInformation, &Info, sizeof(Info),
                                         &Length)))
        return 0;
    *Type = Info.Type;
    *AllocationBase = Info.AllocationBase;
    return Info.Protect;
}

/* RVAs of ntdll's first code page and of a page of its writable data (.data). */
typedef struct _KST_IMAGE_LAYOUT {
    ULONG CodeRva;
    ULONG DataRva;
} KST_IMAGE_LAYOUT;

static NTSTATUS KstFindLayout(PVOID Base, KST_IMAGE_LAYOUT *Layout)
{
    PIMAGE_DOS_HEADER Dos = Base;
    PIMAGE_NT_HEADERS32 Nt = (PIMAGE_NT_HEADERS32)((PUCHAR)Base + Dos->e_lfanew);
    PIMAGE_SECTION_HEADER Section = IMAGE_FIRST_SECTION(Nt);
    ULONG Index;

    Layout->CodeRva = Layout->DataRva = 0;
    for (Index = 0; Index < Nt->FileHeader.NumberOfSections; Index++, Section++) {
        if ((Section->Characteristics & IMAGE_SCN_MEM_EXECUTE) && Layout->CodeRva == 0)
            Layout->CodeRva = Section->VirtualAddress;
        if ((Section->Characteristics & IMAGE_SCN_MEM_WRITE) && Layout->DataRva == 0)
            Layout->DataRva = Section->VirtualAddress;
    }
    KST_CHECK(Layout->CodeRva != 0 && Layout->DataRva != 0);
    return STATUS_SUCCESS;
}

static NTSTATUS KstImageQueries(HANDLE Section)
{
    SECTION_IMAGE_INFORMATION Image;
    SECTION_BASIC_INFORMATION Basic;
    SIZE_T Length = 0;
    HANDLE Event;
    NTSTATUS Status;

    KST_CHECK(NT_SUCCESS(NtQuerySection(Section, SectionBasicInformation, &Basic, sizeof(Basic), &Length)));
    KST_CHECK(Length == sizeof(Basic));
    KST_CHECK(Basic.AllocationAttributes == (SEC_IMAGE | SEC_FILE));
    KST_CHECK(Basic.BaseAddress == (PVOID)KST_NTDLL_BASE);
    KST_CHECK(Basic.MaximumSize.QuadPart == (LONGLONG)PspSystemDll.ViewSize);
    KST_CHECK(NT_SUCCESS(NtQuerySection(Section, SectionImageInformation, &Image, sizeof(Image), &Length)));
    KST_CHECK(Length == sizeof(Image) && Image.Machine == IMAGE_FILE_MACHINE_I386);
    KST_CHECK(Image.ImageCharacteristics & IMAGE_FILE_DLL);
    KST_CHECK(Image.SubSystemType == IMAGE_SUBSYSTEM_WINDOWS_CUI || Image.SubSystemType == IMAGE_SUBSYSTEM_NATIVE ||
              Image.SubSystemType == IMAGE_SUBSYSTEM_WINDOWS_GUI);
    KST_CHECK(Image.ImageFileSize != 0);
    /* NT's answers to bad queries. */
    KST_CHECK(NtQuerySection(Section, SectionImageInformation, &Image, sizeof(Image) - 1, NULL) ==
              STATUS_INFO_LENGTH_MISMATCH);
    KST_CHECK(NtQuerySection(Section, (SECTION_INFORMATION_CLASS)7, &Image, sizeof(Image), NULL) ==
              STATUS_INVALID_INFO_CLASS);
    KST_CHECK(NT_SUCCESS(NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE)));
    Status = NtQuerySection(Event, SectionBasicInformation, &Basic, sizeof(Basic), NULL);
    NtClose(Event);
    KST_CHECK(Status == STATUS_OBJECT_TYPE_MISMATCH);
    return STATUS_SUCCESS;
}

/* The view at ntdll's base in Space, touched (code read, one data byte written). */
static NTSTATUS KstTouchView(PMM_ADDRESS_SPACE Space, const KST_IMAGE_LAYOUT *Layout, UCHAR Value,
                             PULONG CodePage, PULONG DataPage)
{
    MM_ATTACH_STATE Attach;
    PUCHAR Base = (PUCHAR)KST_NTDLL_BASE;
    UCHAR Read = 0;
    NTSTATUS Status = STATUS_SUCCESS;

    MmAttachAddressSpace(Space, &Attach);
    if (KstTouch(Base + Layout->CodeRva, FALSE, 0, NULL) != STATUS_SUCCESS ||
        KstTouch(Base + Layout->DataRva, TRUE, Value, NULL) != STATUS_SUCCESS ||
        KstTouch(Base + Layout->DataRva, FALSE, 0, &Read) != STATUS_SUCCESS || Read != Value)
        Status = STATUS_UNSUCCESSFUL;
    /* Code is never writable; the header neither. */
    if (KstTouch(Base + Layout->CodeRva, TRUE, 0xCC, NULL) != STATUS_ACCESS_VIOLATION ||
        KstTouch(Base, TRUE, 0, NULL) != STATUS_ACCESS_VIOLATION)
        Status = STATUS_UNSUCCESSFUL;
    *CodePage = KstPageOf((ULONG_PTR)Base + Layout->CodeRva);
    *DataPage = KstPageOf((ULONG_PTR)Base + Layout->DataRva);
    MmDetachAddressSpace(&Attach);
    return Status;
}

/*
 * ntdll as a section: the kernel's own (made at boot) shares its segment with a new
 * section of the file; views in two address spaces share the code page and get a
 * private copy of the data page each writes; a view where the base is taken is
 * relocated; the file cannot be written or deleted while mapped.
 */
static NTSTATUS KstImageSections(VOID)
{
    KST_EX_BASELINE Baseline;
    KST_IMAGE_LAYOUT Layout;
    PMM_ADDRESS_SPACE First, Second;
    MM_ATTACH_STATE Attach;
    HANDLE Section, File;
    PVOID Base, AllocationBase, SystemCode;
    SIZE_T Size;
    ULONG Code1, Data1, Code2, Data2, Type = 0;
    PIMAGE_NT_HEADERS32 Nt;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL) {
        DbgPrint("    no boot volume: no ntdll to map\n");
        KST_CHECK(PspSystemDll.Section == NULL);
        return STATUS_SUCCESS;
    }
    KST_CHECK(PspSystemDll.DllBase == (PVOID)KST_NTDLL_BASE);
    /* Read through the System process's view first: its page table stays. */
    KST_CHECK(NT_SUCCESS(KstFindLayout(PspSystemDll.DllBase, &Layout)));
    KstExTakeBaseline(&Baseline);
    KST_CHECK(NT_SUCCESS(KstImageSection(KST_NTDLL, &Section)));
    KST_CHECK(NT_SUCCESS(KstImageQueries(Section)));

    /* Two processes' views at the base: one code page for all, a data page each. */
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&First)));
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Second)));
    Base = NULL;
    Size = 0;
    KST_CHECK(MmMapViewOfSection(KstExObject(Section), First, &Base, 0, NULL, &Size, 0, PAGE_READWRITE) ==
              STATUS_SUCCESS);
    KST_CHECK(Base == (PVOID)KST_NTDLL_BASE && Size == PspSystemDll.ViewSize);
    Base = NULL;
    Size = 0;
    KST_CHECK(MmMapViewOfSection(KstExObject(Section), Second, &Base, 0, NULL, &Size, 0, PAGE_READWRITE) ==
              STATUS_SUCCESS);
    KST_CHECK(NT_SUCCESS(KstTouchView(First, &Layout, 0x5A, &Code1, &Data1)));
    KST_CHECK(NT_SUCCESS(KstTouchView(Second, &Layout, 0xA5, &Code2, &Data2)));
    KST_CHECK(Code1 != 0 && Code1 == Code2);
    KST_CHECK(Data1 != 0 && Data2 != 0 && Data1 != Data2);
    /* The system's own view (the same segment) still has the file's bytes. */
    MmAttachAddressSpace(First, &Attach);
    SystemCode = (PUCHAR)KST_NTDLL_BASE + Layout.CodeRva;
    Status = KstProtectionOf(SystemCode, &Type, &AllocationBase) == PAGE_EXECUTE_READ && Type == MEM_IMAGE &&
             AllocationBase == (PVOID)KST_NTDLL_BASE ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
    if (NT_SUCCESS(Status) && KstProtectionOf((PUCHAR)KST_NTDLL_BASE + Layout.DataRva, &Type, &AllocationBase) !=
        PAGE_WRITECOPY)
        Status = STATUS_UNSUCCESSFUL;
    /* A view is freed by unmapping it, never by NtFreeVirtualMemory. */
    Base = (PVOID)KST_NTDLL_BASE;
    Size = 0;
    if (NT_SUCCESS(Status) && MmFreeVirtualMemory(&Base, &Size, MEM_RELEASE) != STATUS_UNABLE_TO_DELETE_SECTION)
        Status = STATUS_UNSUCCESSFUL;
    MmDetachAddressSpace(&Attach);
    KST_CHECK(NT_SUCCESS(Status));
    KST_CHECK(MmUnmapViewOfSection(First, (PUCHAR)KST_NTDLL_BASE + Layout.DataRva) == STATUS_SUCCESS);
    KST_CHECK(MmUnmapViewOfSection(First, (PVOID)KST_NTDLL_BASE) == STATUS_NOT_MAPPED_VIEW);

    /* Where the base is taken, a relocated copy: the mapped header says where. */
    Base = (PVOID)KST_NTDLL_BASE;
    Size = 0x10000;
    MmAttachAddressSpace(First, &Attach);
    Status = MmAllocateVirtualMemory(&Base, 0, &Size, MEM_RESERVE, PAGE_READWRITE);
    MmDetachAddressSpace(&Attach);
    KST_CHECK(NT_SUCCESS(Status));
    Base = NULL;
    Size = 0;
    KST_CHECK(MmMapViewOfSection(KstExObject(Section), First, &Base, 0, NULL, &Size, 0, PAGE_READWRITE) ==
              STATUS_IMAGE_NOT_AT_BASE);
    KST_CHECK(Base != (PVOID)KST_NTDLL_BASE && ((ULONG_PTR)Base & 0xFFFF) == 0);
    MmAttachAddressSpace(First, &Attach);
    Nt = (PIMAGE_NT_HEADERS32)((PUCHAR)Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
    Status = Nt->OptionalHeader.ImageBase == (ULONG_PTR)Base ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
    MmDetachAddressSpace(&Attach);
    KST_CHECK(NT_SUCCESS(Status));
    /* An address of one's own choosing must be on the 64 KB granularity. */
    Base = (PVOID)0x10001000;
    KST_CHECK(MmMapViewOfSection(KstExObject(Section), First, &Base, 0, NULL, &Size, 0, PAGE_READWRITE) ==
              STATUS_MAPPED_ALIGNMENT);

    /* Mapped, the file is neither written nor deleted (NT's answers). */
    KST_CHECK(KstOpenFile(KST_NTDLL, FILE_WRITE_DATA, FILE_OPEN, &File) == STATUS_SHARING_VIOLATION);
    KST_CHECK(NT_SUCCESS(KstOpenFile(KST_NTDLL, DELETE, FILE_OPEN, &File)));
    {
        FILE_DISPOSITION_INFORMATION Dispose = { TRUE };
        IO_STATUS_BLOCK Iosb;

        Status = NtSetInformationFile(File, &Iosb, &Dispose, sizeof(Dispose), FileDispositionInformation);
        NtClose(File);
        KST_CHECK(Status == STATUS_CANNOT_DELETE);
    }

    /* Address spaces deleted with views in them, and the section closed: all back. */
    MmDeleteProcessAddressSpace(First);
    MmDeleteProcessAddressSpace(Second);
    KST_CHECK(NT_SUCCESS(NtClose(Section)));
    return KstExCheckBaseline(&Baseline, "after the image sections");
}
KSELFTEST(MM_IMAGE_SECTIONS, KstImageSections);

/* ---- broken images on the volume ---- */

/* The copy lives in pool: a static buffer this size would be zeroed at every boot. */
#define KST_IMAGE_MAX  (256 * 1024)
#define KST_IMAGE_TAG  EX_POOL_TAG('K', 's', 't', 'I')
static PUCHAR KstImageCopy;

static NTSTATUS KstWriteFile(PCWSTR Path, PVOID Buffer, ULONG Length)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE File;
    NTSTATUS Status;

    Status = KstOpenFile(Path, FILE_WRITE_DATA | DELETE, FILE_OVERWRITE_IF, &File);
    if (NT_SUCCESS(Status) && Length != 0)
        Status = NtWriteFile(File, NULL, NULL, NULL, &Iosb, Buffer, Length, NULL, NULL);
    if (NT_SUCCESS(Status) || File != NULL)
        NtClose(File);
    return Status;
}

static NTSTATUS KstDeleteFile(PCWSTR Path)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    KstExAttributes(&Attributes, &Name, Path, OBJ_CASE_INSENSITIVE);
    return NtDeleteFile(&Attributes);
}

/* Writes Length bytes of the copy to Path and checks what a section of it says. */
static NTSTATUS KstBrokenImage(PCWSTR Path, ULONG Length, NTSTATUS Expected)
{
    HANDLE Section = NULL;
    NTSTATUS Status;

    KST_CHECK(NT_SUCCESS(KstWriteFile(Path, KstImageCopy, Length)));
    Status = KstImageSection(Path, &Section);
    if (NT_SUCCESS(Status))
        NtClose(Section);
    KST_CHECK(NT_SUCCESS(KstDeleteFile(Path)));
    if (Status != Expected) {
        DbgPrint("    a section of the broken image: 0x%08lX, expected 0x%08lX\n", (ULONG)Status,
                 (ULONG)Expected);
        return STATUS_UNSUCCESSFUL;
    }
    return STATUS_SUCCESS;
}

/* The breaks, each on its own copy in C:\mmtest (made here, deleted at the end). */
static NTSTATUS KstBreakImages(ULONG Length)
{
    IO_STATUS_BLOCK Iosb;
    PIMAGE_NT_HEADERS32 Nt;
    HANDLE File, Directory, Section;
    ULONG NtOffset;

    NtOffset = ((PIMAGE_DOS_HEADER)KstImageCopy)->e_lfanew;
    Nt = (PIMAGE_NT_HEADERS32)(KstImageCopy + NtOffset);

    {
        OBJECT_ATTRIBUTES Attributes;
        UNICODE_STRING Name;

        KstExAttributes(&Attributes, &Name, u"\\??\\C:\\mmtest", OBJ_CASE_INSENSITIVE);
        KST_CHECK(NT_SUCCESS(NtCreateFile(&Directory, FILE_LIST_DIRECTORY | SYNCHRONIZE | DELETE, &Attributes,
                                          &Iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                          FILE_OPEN_IF, FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, NULL,
                                          0)));
    }

    /* The copy as it is maps (so the breaks below are what fails). */
    KST_CHECK(NT_SUCCESS(KstBrokenImage(u"\\??\\C:\\mmtest\\good.dll", Length, STATUS_SUCCESS)));
    KST_CHECK(NT_SUCCESS(KstBrokenImage(u"\\??\\C:\\mmtest\\empty.dll", 0, STATUS_INVALID_FILE_FOR_SECTION)));
    KST_CHECK(NT_SUCCESS(KstBrokenImage(u"\\??\\C:\\mmtest\\short.dll", NtOffset + 8,
                                        STATUS_INVALID_IMAGE_FORMAT)));
    KST_CHECK(NT_SUCCESS(KstBrokenImage(u"\\??\\C:\\mmtest\\cut.dll", Length / 2, STATUS_INVALID_IMAGE_FORMAT)));
    Nt->FileHeader.Machine = IMAGE_FILE_MACHINE_AMD64;
    KST_CHECK(NT_SUCCESS(KstBrokenImage(u"\\??\\C:\\mmtest\\amd64.dll", Length, STATUS_INVALID_IMAGE_WIN_64)));
    Nt->FileHeader.Machine = IMAGE_FILE_MACHINE_I386;
    Nt->OptionalHeader.SectionAlignment = 0x3000;
    KST_CHECK(NT_SUCCESS(KstBrokenImage(u"\\??\\C:\\mmtest\\align.dll", Length, STATUS_INVALID_IMAGE_FORMAT)));
    Nt->OptionalHeader.SectionAlignment = PAGE_SIZE;
    KstImageCopy[0] = 'Z';
    KST_CHECK(NT_SUCCESS(KstBrokenImage(u"\\??\\C:\\mmtest\\notmz.dll", Length, STATUS_INVALID_IMAGE_NOT_MZ)));
    KstImageCopy[0] = 'M';

    /* A directory is no image; SEC_IMAGE needs a file; a data file cannot be mapped yet. */
    KST_CHECK(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, Directory) ==
              STATUS_INVALID_FILE_FOR_SECTION);
    KST_CHECK(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, NULL) ==
              STATUS_INVALID_FILE_FOR_SECTION);
    KST_CHECK(NT_SUCCESS(KstOpenFile(KST_NTDLL, FILE_READ_DATA, FILE_OPEN, &File)));
    KST_CHECK(NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_READONLY, SEC_COMMIT, File) ==
              STATUS_NOT_IMPLEMENTED);
    NtClose(File);
    {
        FILE_DISPOSITION_INFORMATION Dispose = { TRUE };
        KST_CHECK(NT_SUCCESS(NtSetInformationFile(Directory, &Iosb, &Dispose, sizeof(Dispose),
                                                  FileDispositionInformation)));
    }
    NtClose(Directory);
    return STATUS_SUCCESS;
}

/*
 * ntdll copied to C:\mmtest and broken in the ways the image checker must catch:
 * each gives its status from NtCreateSection, and nothing is left behind.
 */
static NTSTATUS KstBadImages(VOID)
{
    KST_EX_BASELINE Baseline;
    IO_STATUS_BLOCK Iosb;
    FILE_STANDARD_INFORMATION Standard;
    HANDLE File;
    ULONG Length;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL) {
        DbgPrint("    no boot volume: nothing to break\n");
        return STATUS_SUCCESS;
    }
    KstExTakeBaseline(&Baseline);
    KST_CHECK(NT_SUCCESS(KstOpenFile(KST_NTDLL, FILE_READ_DATA, FILE_OPEN, &File)));
    KST_CHECK(NT_SUCCESS(NtQueryInformationFile(File, &Iosb, &Standard, sizeof(Standard),
                                                FileStandardInformation)));
    Length = (ULONG)Standard.EndOfFile.QuadPart;
    KST_CHECK(Length <= KST_IMAGE_MAX);
    KstImageCopy = ExAllocatePoolWithTag(NonPagedPool, KST_IMAGE_MAX, KST_IMAGE_TAG);
    KST_CHECK(KstImageCopy != NULL);
    Status = NtReadFile(File, NULL, NULL, NULL, &Iosb, KstImageCopy, Length, NULL, NULL);
    NtClose(File);
    if (NT_SUCCESS(Status))
        Status = KstBreakImages(Length);
    ExFreePoolWithTag(KstImageCopy, KST_IMAGE_TAG);
    KST_CHECK(NT_SUCCESS(Status));
    return KstExCheckBaseline(&Baseline, "after the broken images");
}
KSELFTEST(MM_BAD_IMAGES, KstBadImages);

/* ---- memory sections ---- */

/*
 * A named SEC_COMMIT section in \BaseNamedObjects: opened by name, mapped in two
 * address spaces (the second at an offset), written through one and read through
 * the other; NT's answers to bad arguments; nothing left once all is closed.
 */
static NTSTATUS KstMemorySections(VOID)
{
    KST_EX_BASELINE Baseline;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    SECTION_BASIC_INFORMATION Basic;
    SECTION_IMAGE_INFORMATION Image;
    PMM_ADDRESS_SPACE First, Second;
    MM_ATTACH_STATE Attach;
    LARGE_INTEGER Size, Offset;
    HANDLE Section, Opened, ReadOnly;
    PVOID Base1 = NULL, Base2 = NULL;
    SIZE_T View = 0;
    UCHAR Read = 0;
    NTSTATUS Status;

    KstExTakeBaseline(&Baseline);
    Size.QuadPart = 0x20000 + 100;      /* two granules and a bit */
    KstExAttributes(&Attributes, &Name, u"\\BaseNamedObjects\\KstShared", 0);
    KST_CHECK(NT_SUCCESS(NtCreateSection(&Section, SECTION_ALL_ACCESS, &Attributes, &Size, PAGE_READWRITE,
                                         SEC_COMMIT, NULL)));
    KST_CHECK(NT_SUCCESS(NtOpenSection(&Opened, SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY,
                                       &Attributes)));
    KST_CHECK(KstExObject(Opened) == KstExObject(Section));
    KST_CHECK(NT_SUCCESS(NtQuerySection(Opened, SectionBasicInformation, &Basic, sizeof(Basic), NULL)));
    KST_CHECK(Basic.AllocationAttributes == SEC_COMMIT && Basic.MaximumSize.QuadPart == 0x21000 &&
              Basic.BaseAddress == NULL);
    KST_CHECK(NtQuerySection(Opened, SectionImageInformation, &Image, sizeof(Image), NULL) ==
              STATUS_SECTION_NOT_IMAGE);

    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&First)));
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Second)));
    KST_CHECK(NT_SUCCESS(MmMapViewOfSection(KstExObject(Section), First, &Base1, 0, NULL, &View, 0,
                                            PAGE_READWRITE)));
    KST_CHECK(View == 0x21000);
    /* An offset inside a granule goes down to it, and the view grows to match. */
    Offset.QuadPart = 0x10010;
    View = 0x10;
    KST_CHECK(NT_SUCCESS(MmMapViewOfSection(KstExObject(Opened), Second, &Base2, 0, &Offset, &View, 0,
                                            PAGE_READWRITE)));
    KST_CHECK(Offset.QuadPart == 0x10000 && View == PAGE_SIZE);

    MmAttachAddressSpace(First, &Attach);
    Status = KstTouch((PUCHAR)Base1 + 0x10005, TRUE, 0x77, NULL);
    MmDetachAddressSpace(&Attach);
    KST_CHECK(Status == STATUS_SUCCESS);
    MmAttachAddressSpace(Second, &Attach);
    Status = KstTouch((PUCHAR)Base2 + 5, FALSE, 0, &Read);
    if (NT_SUCCESS(Status) && Read == 0x77)
        Status = KstTouch((PUCHAR)Base2 + 6, TRUE, 0x88, NULL);
    MmDetachAddressSpace(&Attach);
    KST_CHECK(Status == STATUS_SUCCESS && Read == 0x77);
    MmAttachAddressSpace(First, &Attach);
    Status = KstTouch((PUCHAR)Base1 + 0x10006, FALSE, 0, &Read);
    MmDetachAddressSpace(&Attach);
    KST_CHECK(Status == STATUS_SUCCESS && Read == 0x88);

    /* A read-only view stays read-only; a write-copy view is charged for its copies,
       and its writes are its own. */
    Base2 = NULL;
    View = 0;
    KST_CHECK(NT_SUCCESS(MmMapViewOfSection(KstExObject(Section), Second, &Base2, 0, NULL, &View, 0,
                                            PAGE_READONLY)));
    MmAttachAddressSpace(Second, &Attach);
    {
        PVOID Address = Base2;
        SIZE_T Length = PAGE_SIZE;
        ULONG Old;

        Status = MmProtectVirtualMemory(&Address, &Length, PAGE_READWRITE, &Old);
    }
    MmDetachAddressSpace(&Attach);
    KST_CHECK(Status == STATUS_SECTION_PROTECTION);
    KST_CHECK(MmUnmapViewOfSection(Second, Base2) == STATUS_SUCCESS);
    {
        MM_MEMORY_COUNTERS Before, During, After;

        MmQueryMemoryCounters(&Before);
        Base2 = NULL;
        View = 0;
        KST_CHECK(NT_SUCCESS(MmMapViewOfSection(KstExObject(Section), Second, &Base2, 0, NULL, &View, 0,
                                                PAGE_WRITECOPY)));
        MmQueryMemoryCounters(&During);
        KST_CHECK(During.CommittedPages == Before.CommittedPages + 0x21);
        MmAttachAddressSpace(Second, &Attach);
        Status = KstTouch((PUCHAR)Base2 + 0x10005, TRUE, 0x99, NULL);
        MmDetachAddressSpace(&Attach);
        KST_CHECK(Status == STATUS_SUCCESS);
        MmAttachAddressSpace(First, &Attach);
        Status = KstTouch((PUCHAR)Base1 + 0x10005, FALSE, 0, &Read);
        MmDetachAddressSpace(&Attach);
        KST_CHECK(Status == STATUS_SUCCESS && Read == 0x77);
        KST_CHECK(MmUnmapViewOfSection(Second, Base2) == STATUS_SUCCESS);
        MmQueryMemoryCounters(&After);
        KST_CHECK(After.CommittedPages == Before.CommittedPages);
    }

    /* Bad views: past the end, more than the section allows, a bad disposition. (The
       access a handle grants is checked for user-mode callers: the process tests.) */
    Offset.QuadPart = 0x30000;
    View = 0;
    Base2 = NULL;
    KST_CHECK(MmMapViewOfSection(KstExObject(Section), Second, &Base2, 0, &Offset, &View, 0, PAGE_READWRITE) ==
              STATUS_INVALID_VIEW_SIZE);
    Offset.QuadPart = 0x10000;
    View = 0x20000;
    KST_CHECK(MmMapViewOfSection(KstExObject(Section), Second, &Base2, 0, &Offset, &View, 0, PAGE_READWRITE) ==
              STATUS_INVALID_VIEW_SIZE);
    KST_CHECK(NT_SUCCESS(NtOpenSection(&ReadOnly, SECTION_MAP_READ, &Attributes)));
    View = 0;
    KST_CHECK(NtMapViewOfSection(ReadOnly, NtCurrentProcess(), &Base2, 0, 0, NULL, &View, 3, 0,
                                 PAGE_READONLY) == STATUS_INVALID_PARAMETER_8);
    NtClose(ReadOnly);

    /* A read-only section gives no writable view; a section needs a size and one kind. */
    KST_CHECK(NT_SUCCESS(NtCreateSection(&ReadOnly, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READONLY, SEC_COMMIT,
                                         NULL)));
    Base2 = NULL;
    View = 0;
    KST_CHECK(MmMapViewOfSection(KstExObject(ReadOnly), Second, &Base2, 0, NULL, &View, 0, PAGE_READWRITE) ==
              STATUS_SECTION_PROTECTION);
    NtClose(ReadOnly);
    KST_CHECK(NtCreateSection(&ReadOnly, SECTION_ALL_ACCESS, NULL, NULL, PAGE_READWRITE, SEC_COMMIT, NULL) ==
              STATUS_INVALID_PARAMETER_4);
    KST_CHECK(NtCreateSection(&ReadOnly, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READWRITE, SEC_COMMIT | SEC_IMAGE,
                              NULL) == STATUS_INVALID_PARAMETER_6);
    KST_CHECK(NtCreateSection(&ReadOnly, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READWRITE, 0, NULL) ==
              STATUS_INVALID_PARAMETER_6);
    KST_CHECK(NtCreateSection(&ReadOnly, SECTION_ALL_ACCESS, NULL, &Size, PAGE_NOACCESS, SEC_COMMIT, NULL) ==
              STATUS_INVALID_PAGE_PROTECTION);

    /* Views in the current (system) space through the services, and unmapped. */
    Base2 = NULL;
    View = 0;
    KST_CHECK(NT_SUCCESS(NtMapViewOfSection(Opened, NtCurrentProcess(), &Base2, 0, 0, NULL, &View, ViewUnmap, 0,
                                            PAGE_READONLY)));
    KST_CHECK(KstTouch((PUCHAR)Base2 + 0x10005, FALSE, 0, &Read) == STATUS_SUCCESS && Read == 0x77);
    KST_CHECK(KstTouch((PUCHAR)Base2 + 0x10005, TRUE, 0, NULL) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(NtUnmapViewOfSection(NtCurrentProcess(), Base2) == STATUS_SUCCESS);
    KST_CHECK(NtUnmapViewOfSection(NtCurrentProcess(), Base2) == STATUS_NOT_MAPPED_VIEW);

    MmDeleteProcessAddressSpace(First);
    MmDeleteProcessAddressSpace(Second);
    NtClose(Opened);
    KST_CHECK(NT_SUCCESS(NtClose(Section)));
    /* The name went with the last handle (the section was not permanent). */
    KST_CHECK(NtOpenSection(&Opened, SECTION_QUERY, &Attributes) == STATUS_OBJECT_NAME_NOT_FOUND);
    return KstExCheckBaseline(&Baseline, "after the memory sections");
}
KSELFTEST(MM_MEMORY_SECTIONS, KstMemorySections);

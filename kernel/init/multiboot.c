/*
 * multiboot.c - translates the Multiboot information GRUB or QEMU hands the kernel
 * into NT's LOADER_PARAMETER_BLOCK.
 *
 * Everything the loader gives us is a physical address, and none of it is trusted:
 * each piece is reached through the caller's MapPhysical and read only within the
 * length that was mapped. The parser also copies whatever it needs out of a mapping
 * before it calls MapPhysical again, so MapPhysical may hand out one temporary
 * window that every call reuses.
 */
#include <arc.h>
#include <rtl.h>

/*
 * The ranges handed to KiBuildMemoryDescriptors: the firmware map plus page 0, the
 * kernel image and the modules. 128 of them are 2.5 KB of the 12 KB boot stack, and
 * KiBuildMemoryDescriptors accepts twice as many boundaries as this.
 */
#define KIP_MAX_RANGES 128

/* How far a string is followed looking for its NUL (the skipped kernel path included). */
#define KIP_MAX_STRING_SCAN 4096

/* Size of an mmap entry after its size field: addr, len and type. */
#define KIP_MMAP_ENTRY_MINIMUM (sizeof(MULTIBOOT_MMAP_ENTRY) - sizeof(uint32_t))

/* Maps [Physical, Physical + Length), refusing empty ranges and ranges that wrap at 4 GB. */
static const VOID *KipMap(PMAP_PHYSICAL_ROUTINE MapPhysical, ULONG Physical, ULONG Length)
{
    if (Length == 0 || Physical + (Length - 1) < Physical) {
        return NULL;
    }
    return MapPhysical(Physical, Length);
}

/*
 * Reads a NUL-terminated string one character at a time without knowing its length.
 * It maps at most up to the end of the current page at a time, so a string is never
 * mapped further than it is read by more than a page; when a mapping fails it retries
 * with half the length, so a string that ends right at the edge of reachable memory
 * is still read whole. Where nothing more can be mapped, the string ends.
 */
typedef struct _KIP_STRING_READER {
    PMAP_PHYSICAL_ROUTINE MapPhysical;
    ULONG Next;             /* physical address of the first byte not yet mapped */
    ULONG Budget;           /* bytes that may still be mapped */
    const CHAR *Window;     /* mapped bytes not yet read */
    ULONG WindowLength;
    BOOLEAN Ended;
} KIP_STRING_READER, *PKIP_STRING_READER;

static VOID KipOpenString(PKIP_STRING_READER Reader, PMAP_PHYSICAL_ROUTINE MapPhysical,
                          ULONG Physical)
{
    Reader->MapPhysical = MapPhysical;
    Reader->Next = Physical;
    Reader->Budget = KIP_MAX_STRING_SCAN;
    /* Stop at 4 GB instead of wrapping around to physical address 0. */
    if (Physical != 0 && Reader->Budget > 0U - Physical) {
        Reader->Budget = 0U - Physical;
    }
    Reader->Window = NULL;
    Reader->WindowLength = 0;
    Reader->Ended = FALSE;
}

static BOOLEAN KipMapMoreString(PKIP_STRING_READER Reader)
{
    ULONG Length = PAGE_SIZE - (Reader->Next & (PAGE_SIZE - 1));

    if (Length > Reader->Budget) {
        Length = Reader->Budget;
    }
    while (Length != 0) {
        Reader->Window = KipMap(Reader->MapPhysical, Reader->Next, Length);
        if (Reader->Window != NULL) {
            Reader->WindowLength = Length;
            Reader->Next += Length;
            Reader->Budget -= Length;
            return TRUE;
        }
        Length >>= 1;
    }
    return FALSE;
}

/* Returns the next character, or '\0' at (and forever after) the end of the string. */
static CHAR KipReadChar(PKIP_STRING_READER Reader)
{
    CHAR Character;

    if (Reader->Ended) {
        return '\0';
    }
    if (Reader->WindowLength == 0 && !KipMapMoreString(Reader)) {
        Reader->Ended = TRUE;
        return '\0';
    }

    Character = *Reader->Window++;
    Reader->WindowLength--;
    if (Character == '\0') {
        Reader->Ended = TRUE;
    }
    return Character;
}

static BOOLEAN KipIsBlank(CHAR Character)
{
    return Character == ' ' || Character == '\t';
}

/* Copies the string at Physical into Buffer, truncated to Size - 1 characters. */
static VOID KipCopyString(PMAP_PHYSICAL_ROUTINE MapPhysical, ULONG Physical, PCHAR Buffer,
                          ULONG Size)
{
    KIP_STRING_READER Reader;
    ULONG Length = 0;
    CHAR Character;

    KipOpenString(&Reader, MapPhysical, Physical);
    while (Length + 1 < Size && (Character = KipReadChar(&Reader)) != '\0') {
        Buffer[Length++] = Character;
    }
    Buffer[Length] = '\0';
}

/*
 * Does Word (up to its first blank) look like an NT-style boot option: '/', a name
 * of letters, digits and '_', then '=' or the end of the word?
 */
static BOOLEAN KipIsOptionWord(PCSTR Word)
{
    ULONG Index = 1;

    if (Word[0] != '/')
        return FALSE;
    while ((Word[Index] >= 'A' && Word[Index] <= 'Z') || (Word[Index] >= 'a' && Word[Index] <= 'z') ||
           (Word[Index] >= '0' && Word[Index] <= '9') || Word[Index] == '_') {
        Index++;
    }
    return Index > 1 && (Word[Index] == '=' || Word[Index] == '\0' || KipIsBlank(Word[Index]));
}

/*
 * Copies the boot options into Options. QEMU starts the Multiboot command line with
 * the kernel's file name ("build/ntoskrnl.elf /DEBUG"), GRUB 2 does not ("/DEBUG"),
 * so a first word that is not an option ("/boot/ntoskrnl.elf" is not: it has a
 * second '/' and a '.') is the image path and is dropped. Blanks around what remains
 * are dropped; an over-long remainder is truncated.
 */
static VOID KipCopyLoadOptions(PMAP_PHYSICAL_ROUTINE MapPhysical, ULONG Physical,
                               PCHAR Options, ULONG Size)
{
    KIP_STRING_READER Reader;
    ULONG Length = 0;
    CHAR Character;

    KipOpenString(&Reader, MapPhysical, Physical);
    do {
        Character = KipReadChar(&Reader);
    } while (KipIsBlank(Character));

    /* The first word, to see what it is. */
    while (Character != '\0' && !KipIsBlank(Character) && Length + 1 < Size) {
        Options[Length++] = Character;
        Character = KipReadChar(&Reader);
    }
    Options[Length] = '\0';
    if (Length != 0 && !KipIsOptionWord(Options)) {
        Length = 0;
        while (Character != '\0' && !KipIsBlank(Character)) {
            Character = KipReadChar(&Reader);
        }
        while (KipIsBlank(Character)) {
            Character = KipReadChar(&Reader);
        }
    }

    while (Character != '\0' && Length + 1 < Size) {
        Options[Length++] = Character;
        Character = KipReadChar(&Reader);
    }
    while (Length != 0 && KipIsBlank(Options[Length - 1])) {
        Length--;
    }
    Options[Length] = '\0';
}

/* Appends a range; empty ones are dropped here rather than wasting a slot. */
static NTSTATUS KipAddRange(PPHYSICAL_RANGE Ranges, PULONG RangeCount, ULONGLONG Start,
                            ULONGLONG End, TYPE_OF_MEMORY Type)
{
    if (End <= Start) {
        return STATUS_SUCCESS;
    }
    if (*RangeCount == KIP_MAX_RANGES) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    Ranges[*RangeCount].Start = Start;
    Ranges[*RangeCount].End = End;
    Ranges[*RangeCount].Type = Type;
    (*RangeCount)++;
    return STATUS_SUCCESS;
}

static TYPE_OF_MEMORY KipMemoryTypeFromMultiboot(uint32_t Type)
{
    switch (Type) {
    case MULTIBOOT_MEMORY_AVAILABLE:
        return LoaderFree;
    case MULTIBOOT_MEMORY_ACPI_RECLAIMABLE:
        return LoaderFirmwareTemporary;
    case MULTIBOOT_MEMORY_BADRAM:
        return LoaderBad;
    default:
        /* Reserved, ACPI NVS and any type newer than this code: never touch it. */
        return LoaderFirmwarePermanent;
    }
}

/*
 * Walks the variable-sized memory map entries. Each entry's size field is checked
 * against what is left of the mapped buffer before anything behind it is read.
 */
static NTSTATUS KipReadMemoryMap(const MULTIBOOT_INFO *Info, PMAP_PHYSICAL_ROUTINE MapPhysical,
                                 PPHYSICAL_RANGE Ranges, PULONG RangeCount)
{
    const UCHAR *Map = KipMap(MapPhysical, Info->mmap_addr, Info->mmap_length);
    ULONG Offset = 0;
    ULONG Left;
    MULTIBOOT_MMAP_ENTRY Entry;
    ULONGLONG End;
    NTSTATUS Status;

    if (Map == NULL) {
        return STATUS_INVALID_PARAMETER;
    }

    while (Offset < Info->mmap_length) {
        Left = Info->mmap_length - Offset;
        if (Left < sizeof(Entry.size)) {
            return STATUS_INVALID_PARAMETER;
        }
        /* Entries are packed and need not be aligned: copy rather than dereference. */
        memcpy(&Entry.size, Map + Offset, sizeof(Entry.size));
        if (Entry.size < KIP_MMAP_ENTRY_MINIMUM || Entry.size > Left - sizeof(Entry.size)) {
            return STATUS_INVALID_PARAMETER;
        }
        memcpy(&Entry, Map + Offset, sizeof(Entry));

        /* A length that runs past 2^64 means "to the end": saturate instead of wrapping. */
        End = Entry.addr + Entry.len;
        if (End < Entry.addr) {
            End = ~0ULL;
        }
        Status = KipAddRange(Ranges, RangeCount, Entry.addr, End,
                             KipMemoryTypeFromMultiboot(Entry.type));
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Offset += sizeof(Entry.size) + Entry.size;
    }
    return STATUS_SUCCESS;
}

/* The pre-memory-map fields: mem_lower KB from 0, mem_upper KB from 1 MB. */
static NTSTATUS KipReadLegacyMemory(const MULTIBOOT_INFO *Info, PPHYSICAL_RANGE Ranges,
                                    PULONG RangeCount)
{
    const ULONGLONG OneMegabyte = 0x100000;
    NTSTATUS Status;

    Status = KipAddRange(Ranges, RangeCount, 0, (ULONGLONG)Info->mem_lower << 10, LoaderFree);
    if (NT_SUCCESS(Status)) {
        Status = KipAddRange(Ranges, RangeCount, OneMegabyte,
                             OneMegabyte + ((ULONGLONG)Info->mem_upper << 10), LoaderFree);
    }
    return Status;
}

/*
 * Records the modules in LoaderBlock. Each module entry is mapped and copied on its
 * own, because reading its name maps again and may reuse the window.
 */
static NTSTATUS KipReadModules(const MULTIBOOT_INFO *Info, PMAP_PHYSICAL_ROUTINE MapPhysical,
                               PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    const MULTIBOOT_MODULE *Mapped;
    MULTIBOOT_MODULE Module;
    PLOADER_MODULE Target;
    ULONG Index;

    /*
     * A module that is not recorded would also not be carved out of free memory and
     * would be overwritten, so too many modules is an error rather than a truncation.
     */
    if (Info->mods_count > LOADER_MAX_MODULES) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    /* The list must not wrap at 4 GB, or the later entries would be read from page 0. */
    if (Info->mods_count != 0 &&
        KipMap(MapPhysical, Info->mods_addr, Info->mods_count * sizeof(Module)) == NULL) {
        return STATUS_INVALID_PARAMETER;
    }

    for (Index = 0; Index < Info->mods_count; Index++) {
        Mapped = KipMap(MapPhysical, Info->mods_addr + Index * sizeof(Module), sizeof(Module));
        if (Mapped == NULL) {
            return STATUS_INVALID_PARAMETER;
        }
        memcpy(&Module, Mapped, sizeof(Module));
        if (Module.mod_end < Module.mod_start) {
            return STATUS_INVALID_PARAMETER;
        }

        Target = &LoaderBlock->Modules[Index];
        Target->PhysicalStart = Module.mod_start;
        Target->PhysicalEnd = Module.mod_end;
        KipCopyString(MapPhysical, Module.cmdline, Target->Name, sizeof(Target->Name));
        LoaderBlock->ModuleCount = Index + 1;
    }
    return STATUS_SUCCESS;
}

/*
 * Builds the range list (firmware first, then what the kernel itself owns, so that
 * the later, more specific ranges win) and cuts it into descriptors.
 */
static NTSTATUS KipBuildMemoryLayout(const MULTIBOOT_INFO *Info,
                                     PMAP_PHYSICAL_ROUTINE MapPhysical, ULONG KernelStart,
                                     ULONG KernelEnd, PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    PHYSICAL_RANGE Ranges[KIP_MAX_RANGES];
    ULONG RangeCount = 0;
    ULONG Index;
    NTSTATUS Status;

    if ((Info->flags & MULTIBOOT_INFO_MEM_MAP) != 0 && Info->mmap_length != 0) {
        Status = KipReadMemoryMap(Info, MapPhysical, Ranges, &RangeCount);
    } else if ((Info->flags & MULTIBOOT_INFO_MEMORY) != 0) {
        Status = KipReadLegacyMemory(Info, Ranges, &RangeCount);
    } else {
        /* No idea where RAM is: nothing the kernel could run on. */
        Status = STATUS_INVALID_PARAMETER;
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }

    /* Page 0 holds the real-mode interrupt vectors and BIOS data: never hand it out. */
    Status = KipAddRange(Ranges, &RangeCount, 0, PAGE_SIZE, LoaderFirmwarePermanent);
    if (NT_SUCCESS(Status)) {
        Status = KipAddRange(Ranges, &RangeCount, KernelStart, KernelEnd, LoaderSystemCode);
    }
    for (Index = 0; NT_SUCCESS(Status) && Index < LoaderBlock->ModuleCount; Index++) {
        Status = KipAddRange(Ranges, &RangeCount, LoaderBlock->Modules[Index].PhysicalStart,
                             LoaderBlock->Modules[Index].PhysicalEnd, LoaderBootDriver);
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }

    return KiBuildMemoryDescriptors(Ranges, RangeCount, LoaderBlock->MemoryDescriptors,
                                    LOADER_MAX_MEMORY_DESCRIPTORS,
                                    &LoaderBlock->MemoryDescriptorCount);
}

NTSTATUS KiParseMultibootInfo(ULONG Magic, ULONG InfoPhysical,
                              PMAP_PHYSICAL_ROUTINE MapPhysical,
                              ULONG KernelStart, ULONG KernelEnd,
                              PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    const MULTIBOOT_INFO *Mapped;
    MULTIBOOT_INFO Info;
    NTSTATUS Status;

    if (LoaderBlock == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    memset(LoaderBlock, 0, sizeof(*LoaderBlock));
    if (MapPhysical == NULL || Magic != MULTIBOOT_BOOTLOADER_MAGIC || KernelEnd < KernelStart) {
        return STATUS_INVALID_PARAMETER;
    }

    Mapped = KipMap(MapPhysical, InfoPhysical, sizeof(Info));
    if (Mapped == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    memcpy(&Info, Mapped, sizeof(Info));

    if ((Info.flags & MULTIBOOT_INFO_CMDLINE) != 0) {
        KipCopyLoadOptions(MapPhysical, Info.cmdline, LoaderBlock->LoadOptions,
                           sizeof(LoaderBlock->LoadOptions));
    }
    if ((Info.flags & MULTIBOOT_INFO_LOADER_NAME) != 0) {
        KipCopyString(MapPhysical, Info.boot_loader_name, LoaderBlock->BootLoaderName,
                      sizeof(LoaderBlock->BootLoaderName));
    }
    if ((Info.flags & MULTIBOOT_INFO_MODS) != 0) {
        Status = KipReadModules(&Info, MapPhysical, LoaderBlock);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
    }

    return KipBuildMemoryLayout(&Info, MapPhysical, KernelStart, KernelEnd, LoaderBlock);
}

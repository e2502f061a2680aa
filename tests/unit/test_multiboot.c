/*
 * test_multiboot.c - host tests for KiParseMultibootInfo (kernel/init/multiboot.c).
 *
 * "Physical memory" is the array FakeMemory: a physical address is an offset into it,
 * and addresses at or above FakeReachable cannot be mapped. The test's MapPhysical is
 * deliberately strict, so that the tests catch a parser that trusts too much:
 *  - it copies the requested bytes to the very end of a window that is followed by
 *    an inaccessible guard page, so reading one byte past what was mapped faults;
 *  - it reuses that one window for every call and poisons it first, so a parser that
 *    keeps using an older mapping after mapping again reads garbage;
 *  - it counts calls and flags zero-length requests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/mman.h>

#include <arc.h>
#include <rtl.h>

#define FAKE_SIZE   0x8000
#define WINDOW_SIZE 0x8000
#define GUARD_SIZE  0x1000

static UCHAR FakeMemory[FAKE_SIZE];
static ULONG FakeNext;
static ULONG FakeReachable;

/* The last page below 4 GB, for strings that run into the end of the address space. */
#define HIGH_BASE 0xFFFFF000U
static UCHAR HighMemory[0x1000];

static UCHAR *Window;
static ULONG MapCalls;
static ULONG ZeroLengthMaps;

static LOADER_PARAMETER_BLOCK Block;

#define KERNEL_START 0x100000
#define KERNEL_END   0x123456

static const void *TestMapPhysical(ULONG Physical, ULONG Length)
{
    const UCHAR *Source;

    MapCalls++;
    if (Length == 0) {
        ZeroLengthMaps++;
        return NULL;
    }
    if (Physical >= HIGH_BASE) {
        if (Length > sizeof(HighMemory) - (Physical - HIGH_BASE)) {
            return NULL;
        }
        Source = HighMemory + (Physical - HIGH_BASE);
    } else if (Physical >= FakeReachable || Length > FakeReachable - Physical) {
        return NULL;
    } else {
        Source = FakeMemory + Physical;
    }
    assert_true(Length <= WINDOW_SIZE);

    memset(Window, 0xCC, WINDOW_SIZE);
    memcpy(Window + WINDOW_SIZE - Length, Source, Length);
    return Window + WINDOW_SIZE - Length;
}

static int GroupSetup(void **state)
{
    (void)state;
    Window = mmap(NULL, WINDOW_SIZE + GUARD_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (Window == MAP_FAILED) {
        return -1;
    }
    return mprotect(Window + WINDOW_SIZE, GUARD_SIZE, PROT_NONE);
}

static int GroupTeardown(void **state)
{
    (void)state;
    return munmap(Window, WINDOW_SIZE + GUARD_SIZE);
}

static int Setup(void **state)
{
    (void)state;
    memset(FakeMemory, 0, sizeof(FakeMemory));
    memset(HighMemory, 0, sizeof(HighMemory));
    FakeNext = 0x40;
    FakeReachable = FAKE_SIZE;
    MapCalls = 0;
    ZeroLengthMaps = 0;
    /* Garbage, so that the tests see whether the parser really fills every field. */
    memset(&Block, 0x5A, sizeof(Block));
    return 0;
}

static int Teardown(void **state)
{
    (void)state;
    assert_int_equal(ZeroLengthMaps, 0);
    return 0;
}

/* Allocates Size bytes of fake physical memory and returns their physical address. */
static ULONG FakeAlloc(ULONG Size)
{
    ULONG Physical = FakeNext;

    assert_true(Size <= FAKE_SIZE - FakeNext);
    FakeNext += (Size + 3) & ~3U;
    return Physical;
}

static void *Phys(ULONG Physical)
{
    return FakeMemory + Physical;
}

static ULONG PutString(PCSTR String)
{
    ULONG Physical = FakeAlloc(strlen(String) + 1);

    memcpy(Phys(Physical), String, strlen(String) + 1);
    return Physical;
}

static PMULTIBOOT_INFO PutInfo(PULONG Physical)
{
    *Physical = FakeAlloc(sizeof(MULTIBOOT_INFO));
    return Phys(*Physical);
}

typedef struct _FAKE_MMAP_ENTRY {
    ULONGLONG Address;
    ULONGLONG Length;
    uint32_t Type;
} FAKE_MMAP_ENTRY;

/* Writes a memory map whose entries are EntrySize bytes after their size field. */
static void PutMemoryMapSized(PMULTIBOOT_INFO Info, const FAKE_MMAP_ENTRY *Entries, ULONG Count,
                              uint32_t EntrySize)
{
    ULONG Stride = EntrySize + 4;
    ULONG Physical = FakeAlloc(Count * Stride);
    MULTIBOOT_MMAP_ENTRY Entry;
    ULONG Index;

    for (Index = 0; Index < Count; Index++) {
        Entry.size = EntrySize;
        Entry.addr = Entries[Index].Address;
        Entry.len = Entries[Index].Length;
        Entry.type = Entries[Index].Type;
        memcpy(Phys(Physical + Index * Stride), &Entry, sizeof(Entry));
    }
    Info->flags |= MULTIBOOT_INFO_MEM_MAP;
    Info->mmap_addr = Physical;
    Info->mmap_length = Count * Stride;
}

static void PutMemoryMap(PMULTIBOOT_INFO Info, const FAKE_MMAP_ENTRY *Entries, ULONG Count)
{
    PutMemoryMapSized(Info, Entries, Count, 20);
}

typedef struct _FAKE_MODULE {
    ULONG Start;
    ULONG End;
    PCSTR Name;
} FAKE_MODULE;

static void PutModules(PMULTIBOOT_INFO Info, const FAKE_MODULE *Modules, ULONG Count)
{
    ULONG Physical = FakeAlloc(Count * sizeof(MULTIBOOT_MODULE));
    PMULTIBOOT_MODULE List = Phys(Physical);
    ULONG Index;

    for (Index = 0; Index < Count; Index++) {
        List[Index].mod_start = Modules[Index].Start;
        List[Index].mod_end = Modules[Index].End;
        List[Index].cmdline = PutString(Modules[Index].Name);
        List[Index].reserved = 0;
    }
    Info->flags |= MULTIBOOT_INFO_MODS;
    Info->mods_addr = Physical;
    Info->mods_count = Count;
}

static void PutCommandLine(PMULTIBOOT_INFO Info, PCSTR CommandLine)
{
    Info->flags |= MULTIBOOT_INFO_CMDLINE;
    Info->cmdline = PutString(CommandLine);
}

/* What QEMU's firmware reports for 128 MB. */
static const FAKE_MMAP_ENTRY QemuMap[] = {
    { 0x0, 0x9FC00, MULTIBOOT_MEMORY_AVAILABLE },
    { 0x9FC00, 0x400, MULTIBOOT_MEMORY_RESERVED },
    { 0xF0000, 0x10000, MULTIBOOT_MEMORY_RESERVED },
    { 0x100000, 0x7F00000, MULTIBOOT_MEMORY_AVAILABLE },
    { 0xFFFC0000, 0x40000, MULTIBOOT_MEMORY_RESERVED },
};

static const FAKE_MODULE QemuModules[] = {
    { 0x124000, 0x130800, "/boot/system.img root=1" },
    { 0x140000, 0x1FF800, "/boot/second.bin" },
};

/* A complete, valid boot: every test below changes one thing about it. */
static PMULTIBOOT_INFO PutQemuBoot(PULONG InfoPhysical)
{
    PMULTIBOOT_INFO Info = PutInfo(InfoPhysical);

    Info->flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_LOADER_NAME;
    Info->mem_lower = 639;
    Info->mem_upper = 130048;
    Info->boot_loader_name = PutString("GRUB 2.06");
    PutCommandLine(Info, "/boot/kernel.elf  /DEBUG /INIT=\"C:\\a b.exe\" ");
    PutMemoryMap(Info, QemuMap, RTL_NUMBER_OF(QemuMap));
    PutModules(Info, QemuModules, RTL_NUMBER_OF(QemuModules));
    return Info;
}

static NTSTATUS Parse(ULONG InfoPhysical)
{
    return KiParseMultibootInfo(MULTIBOOT_BOOTLOADER_MAGIC, InfoPhysical, TestMapPhysical,
                                KERNEL_START, KERNEL_END, &Block);
}

typedef struct _EXPECTED_DESCRIPTOR {
    TYPE_OF_MEMORY Type;
    ULONG BasePage;
    ULONG PageCount;
} EXPECTED_DESCRIPTOR;

static void CheckDescriptors(const EXPECTED_DESCRIPTOR *Expected, ULONG ExpectedCount)
{
    ULONG Index;

    assert_int_equal(Block.MemoryDescriptorCount, ExpectedCount);
    for (Index = 0; Index < ExpectedCount; Index++) {
        if (Block.MemoryDescriptors[Index].MemoryType != Expected[Index].Type ||
            Block.MemoryDescriptors[Index].BasePage != Expected[Index].BasePage ||
            Block.MemoryDescriptors[Index].PageCount != Expected[Index].PageCount) {
            print_message("descriptor %lu: got type %d base 0x%lx count 0x%lx, "
                          "expected type %d base 0x%lx count 0x%lx\n",
                          Index, Block.MemoryDescriptors[Index].MemoryType,
                          Block.MemoryDescriptors[Index].BasePage,
                          Block.MemoryDescriptors[Index].PageCount, Expected[Index].Type,
                          Expected[Index].BasePage, Expected[Index].PageCount);
            fail();
        }
    }
}

#define CHECK_DESCRIPTORS(Expected) CheckDescriptors((Expected), RTL_NUMBER_OF(Expected))

static const EXPECTED_DESCRIPTOR QemuDescriptors[] = {
    { LoaderFirmwarePermanent, 0x0, 0x1 },
    { LoaderFree, 0x1, 0x9E },
    { LoaderFirmwarePermanent, 0x9F, 0x1 },
    { LoaderFirmwarePermanent, 0xF0, 0x10 },
    { LoaderSystemCode, 0x100, 0x24 },
    { LoaderBootDriver, 0x124, 0xD },
    { LoaderFree, 0x131, 0xF },
    { LoaderBootDriver, 0x140, 0xC0 },
    { LoaderFree, 0x200, 0x7E00 },
    { LoaderFirmwarePermanent, 0xFFFC0, 0x40 },
};

static void test_qemu_like_boot(void **state)
{
    ULONG InfoPhysical;

    (void)state;
    PutQemuBoot(&InfoPhysical);
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);

    assert_string_equal(Block.LoadOptions, "/DEBUG /INIT=\"C:\\a b.exe\"");
    assert_string_equal(Block.BootLoaderName, "GRUB 2.06");
    assert_int_equal(Block.ModuleCount, 2);
    assert_int_equal(Block.Modules[0].PhysicalStart, 0x124000);
    assert_int_equal(Block.Modules[0].PhysicalEnd, 0x130800);
    assert_string_equal(Block.Modules[0].Name, "/boot/system.img root=1");
    assert_int_equal(Block.Modules[1].PhysicalStart, 0x140000);
    assert_int_equal(Block.Modules[1].PhysicalEnd, 0x1FF800);
    assert_string_equal(Block.Modules[1].Name, "/boot/second.bin");
    CHECK_DESCRIPTORS(QemuDescriptors);
    assert_true(MapCalls > 0);
}

static void test_wrong_magic(void **state)
{
    ULONG InfoPhysical;

    (void)state;
    PutQemuBoot(&InfoPhysical);
    assert_int_equal(KiParseMultibootInfo(MULTIBOOT_HEADER_MAGIC, InfoPhysical, TestMapPhysical,
                                          KERNEL_START, KERNEL_END, &Block),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(KiParseMultibootInfo(0, InfoPhysical, TestMapPhysical, KERNEL_START,
                                          KERNEL_END, &Block),
                     STATUS_INVALID_PARAMETER);
    /* With the wrong magic, the info pointer is not even looked at. */
    assert_int_equal(MapCalls, 0);
    assert_int_equal(Block.MemoryDescriptorCount, 0);
    assert_int_equal(Block.ModuleCount, 0);
}

static void test_null_arguments(void **state)
{
    ULONG InfoPhysical;

    (void)state;
    PutQemuBoot(&InfoPhysical);
    assert_int_equal(KiParseMultibootInfo(MULTIBOOT_BOOTLOADER_MAGIC, InfoPhysical, NULL,
                                          KERNEL_START, KERNEL_END, &Block),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(KiParseMultibootInfo(MULTIBOOT_BOOTLOADER_MAGIC, InfoPhysical,
                                          TestMapPhysical, KERNEL_START, KERNEL_END, NULL),
                     STATUS_INVALID_PARAMETER);
}

static void test_info_unreachable(void **state)
{
    ULONG InfoPhysical;

    (void)state;
    PutQemuBoot(&InfoPhysical);
    assert_int_equal(Parse(FAKE_SIZE), STATUS_INVALID_PARAMETER);
    /* Only partly reachable. */
    assert_int_equal(Parse(FAKE_SIZE - 8), STATUS_INVALID_PARAMETER);
    /* Would wrap around 4 GB. */
    assert_int_equal(Parse(0xFFFFFFF0), STATUS_INVALID_PARAMETER);
}

static void test_kernel_end_before_start(void **state)
{
    ULONG InfoPhysical;

    (void)state;
    PutQemuBoot(&InfoPhysical);
    assert_int_equal(KiParseMultibootInfo(MULTIBOOT_BOOTLOADER_MAGIC, InfoPhysical,
                                          TestMapPhysical, KERNEL_END, KERNEL_START, &Block),
                     STATUS_INVALID_PARAMETER);
}

static PMULTIBOOT_MMAP_ENTRY EntryAt(PMULTIBOOT_INFO Info, ULONG Index)
{
    return Phys(Info->mmap_addr + Index * 24);
}

static void test_mmap_entry_size_too_large(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    EntryAt(Info, 1)->size = 0x1000;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    /* The last entry claiming 4 bytes more than the buffer holds. */
    Info = PutQemuBoot(&InfoPhysical);
    EntryAt(Info, 4)->size = 24;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    /* A size that would wrap the offset arithmetic. */
    Info = PutQemuBoot(&InfoPhysical);
    EntryAt(Info, 2)->size = 0xFFFFFFFE;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);
}

static void test_mmap_entry_size_too_small(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    EntryAt(Info, 1)->size = 19;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    Info = PutQemuBoot(&InfoPhysical);
    EntryAt(Info, 1)->size = 16;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    /* A short last entry that ends the buffer: reading a full entry would overrun it. */
    Info = PutQemuBoot(&InfoPhysical);
    EntryAt(Info, 4)->size = 19;
    Info->mmap_length -= 1;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    /* Size 0 would otherwise loop forever on the same entry. */
    Info = PutQemuBoot(&InfoPhysical);
    EntryAt(Info, 0)->size = 0;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);
}

static void test_mmap_truncated_entry(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    /* The last entry is cut short. */
    Info = PutQemuBoot(&InfoPhysical);
    Info->mmap_length -= 4;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    /* Two stray bytes after the last entry: not even a size field. */
    Info = PutQemuBoot(&InfoPhysical);
    Info->mmap_length = 24 + 2;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);
}

/* ACPI 3.0 entries carry 4 more bytes: the walk must follow the size field. */
static void test_mmap_walked_by_size_field(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    PutMemoryMapSized(Info, QemuMap, RTL_NUMBER_OF(QemuMap), 24);
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    CHECK_DESCRIPTORS(QemuDescriptors);

    /* Odd sizes leave the following entries unaligned. */
    Info = PutQemuBoot(&InfoPhysical);
    PutMemoryMapSized(Info, QemuMap, RTL_NUMBER_OF(QemuMap), 21);
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    CHECK_DESCRIPTORS(QemuDescriptors);
}

static void test_mmap_unaligned_address(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;
    ULONG Physical;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    Physical = FakeAlloc(Info->mmap_length + 4) + 1;
    memcpy(Phys(Physical), Phys(Info->mmap_addr), Info->mmap_length);
    Info->mmap_addr = Physical;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    CHECK_DESCRIPTORS(QemuDescriptors);
}

static void test_mmap_unreachable(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;
    ULONG Physical;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    Info->mmap_addr = FAKE_SIZE + 0x1000;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    /*
     * Starts inside reachable memory but runs past its end. The map is moved behind
     * everything else first, so that only the map is cut off.
     */
    Info = PutQemuBoot(&InfoPhysical);
    Physical = FakeAlloc(Info->mmap_length);
    memcpy(Phys(Physical), Phys(Info->mmap_addr), Info->mmap_length);
    Info->mmap_addr = Physical;
    FakeReachable = Physical + Info->mmap_length - 1;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    /* Wraps around 4 GB. */
    FakeReachable = FAKE_SIZE;
    Info->mmap_addr = 0xFFFFFFF0;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);
}

static void test_mmap_types(void **state)
{
    static const FAKE_MMAP_ENTRY Map[] = {
        { 0x0, 0x10000, MULTIBOOT_MEMORY_AVAILABLE },
        { 0x10000, 0x1000, MULTIBOOT_MEMORY_RESERVED },
        { 0x11000, 0x1000, MULTIBOOT_MEMORY_ACPI_RECLAIMABLE },
        { 0x12000, 0x1000, MULTIBOOT_MEMORY_NVS },
        { 0x13000, 0x1000, MULTIBOOT_MEMORY_BADRAM },
        { 0x14000, 0x1000, 7 },
        { 0x16000, 0x1000, 0 },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x1 },
        { LoaderFree, 0x1, 0xF },
        { LoaderFirmwarePermanent, 0x10, 0x1 },
        { LoaderFirmwareTemporary, 0x11, 0x1 },
        { LoaderFirmwarePermanent, 0x12, 0x1 },
        { LoaderBad, 0x13, 0x1 },
        { LoaderFirmwarePermanent, 0x14, 0x1 },
        { LoaderFirmwarePermanent, 0x16, 0x1 },
    };
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutInfo(&InfoPhysical);
    PutMemoryMap(Info, Map, RTL_NUMBER_OF(Map));
    /* No kernel image: only the map and page 0 shape the result. */
    assert_int_equal(KiParseMultibootInfo(MULTIBOOT_BOOTLOADER_MAGIC, InfoPhysical,
                                          TestMapPhysical, 0, 0, &Block),
                     STATUS_SUCCESS);
    CHECK_DESCRIPTORS(Expected);
}

static void test_mmap_above_and_across_4gb(void **state)
{
    static const FAKE_MMAP_ENTRY Map[] = {
        { 0x0, 0x9FC00, MULTIBOOT_MEMORY_AVAILABLE },
        { 0xC0000000, 0x80000000, MULTIBOOT_MEMORY_AVAILABLE },         /* 3 GB .. 5 GB */
        { 0x100000000ULL, 0x100000000ULL, MULTIBOOT_MEMORY_AVAILABLE }, /* 4 GB .. 8 GB */
        { 0xFFFFFFFFFFFFF000ULL, 0x2000, MULTIBOOT_MEMORY_RESERVED },   /* wraps 2^64 */
        { 0xF0000000, ~0ULL, MULTIBOOT_MEMORY_RESERVED },               /* "to the end" */
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x1 },
        { LoaderFree, 0x1, 0x9E },
        { LoaderFree, 0xC0000, 0x30000 },
        { LoaderFirmwarePermanent, 0xF0000, 0x10000 },
    };
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutInfo(&InfoPhysical);
    PutMemoryMap(Info, Map, RTL_NUMBER_OF(Map));
    assert_int_equal(KiParseMultibootInfo(MULTIBOOT_BOOTLOADER_MAGIC, InfoPhysical,
                                          TestMapPhysical, 0, 0, &Block),
                     STATUS_SUCCESS);
    CHECK_DESCRIPTORS(Expected);
}

static void test_page0_reserved_even_if_free(void **state)
{
    static const FAKE_MMAP_ENTRY Map[] = {
        { 0x0, 0x4000, MULTIBOOT_MEMORY_AVAILABLE },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x1 },
        { LoaderFree, 0x1, 0x3 },
    };
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutInfo(&InfoPhysical);
    PutMemoryMap(Info, Map, RTL_NUMBER_OF(Map));
    assert_int_equal(KiParseMultibootInfo(MULTIBOOT_BOOTLOADER_MAGIC, InfoPhysical,
                                          TestMapPhysical, 0, 0, &Block),
                     STATUS_SUCCESS);
    CHECK_DESCRIPTORS(Expected);
}

static void test_too_many_mmap_entries(void **state)
{
    static FAKE_MMAP_ENTRY Map[130];
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;
    ULONG Index;

    (void)state;
    for (Index = 0; Index < RTL_NUMBER_OF(Map); Index++) {
        Map[Index].Address = (ULONGLONG)Index * 0x2000;
        Map[Index].Length = 0x1000;
        Map[Index].Type = MULTIBOOT_MEMORY_AVAILABLE;
    }
    Info = PutInfo(&InfoPhysical);
    PutMemoryMap(Info, Map, RTL_NUMBER_OF(Map));
    assert_int_equal(Parse(InfoPhysical), STATUS_BUFFER_TOO_SMALL);
}

static void test_too_many_descriptors(void **state)
{
    static FAKE_MMAP_ENTRY Map[70];
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;
    ULONG Index;

    (void)state;
    /* Alternating types cannot merge: more than 64 descriptors. */
    for (Index = 0; Index < RTL_NUMBER_OF(Map); Index++) {
        Map[Index].Address = 0x10000 + (ULONGLONG)Index * 0x1000;
        Map[Index].Length = 0x1000;
        Map[Index].Type = (Index & 1) ? MULTIBOOT_MEMORY_RESERVED : MULTIBOOT_MEMORY_AVAILABLE;
    }
    Info = PutInfo(&InfoPhysical);
    PutMemoryMap(Info, Map, RTL_NUMBER_OF(Map));
    assert_int_equal(Parse(InfoPhysical), STATUS_BUFFER_TOO_SMALL);
}

static void test_mem_lower_upper_fallback(void **state)
{
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x1 },
        { LoaderFree, 0x1, 0x9E },
        { LoaderSystemCode, 0x100, 0x24 },
        { LoaderFree, 0x124, 0x3EDC },
    };
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutInfo(&InfoPhysical);
    Info->flags = MULTIBOOT_INFO_MEMORY;
    Info->mem_lower = 639;      /* 0x9FC00 bytes */
    Info->mem_upper = 64512;    /* 63 MB above 1 MB: up to 64 MB */
    Info->mmap_addr = FAKE_SIZE + 0x1000;  /* flag clear: must not be looked at */
    Info->mmap_length = 0x100;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    CHECK_DESCRIPTORS(Expected);
}

/* mem_upper in KB can describe nearly 4 TB: the arithmetic must be 64-bit. */
static void test_mem_upper_huge(void **state)
{
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x1 },
        { LoaderFree, 0x1, 0x9E },
        { LoaderFree, 0x100, 0xFFF00 },
    };
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutInfo(&InfoPhysical);
    Info->flags = MULTIBOOT_INFO_MEMORY;
    Info->mem_lower = 639;
    Info->mem_upper = 0x400000;   /* 4 GB: 2^32 bytes, 0 if computed in 32 bits */
    assert_int_equal(KiParseMultibootInfo(MULTIBOOT_BOOTLOADER_MAGIC, InfoPhysical,
                                          TestMapPhysical, 0, 0, &Block),
                     STATUS_SUCCESS);
    CHECK_DESCRIPTORS(Expected);
}

static void test_empty_mmap_falls_back(void **state)
{
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x1 },
        { LoaderFree, 0x1, 0x7F },
        { LoaderFree, 0x100, 0x100 },
    };
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutInfo(&InfoPhysical);
    Info->flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_MEM_MAP;
    Info->mem_lower = 512;
    Info->mem_upper = 1024;
    Info->mmap_addr = 0x40;
    Info->mmap_length = 0;
    assert_int_equal(KiParseMultibootInfo(MULTIBOOT_BOOTLOADER_MAGIC, InfoPhysical,
                                          TestMapPhysical, 0, 0, &Block),
                     STATUS_SUCCESS);
    CHECK_DESCRIPTORS(Expected);
}

static void test_no_memory_information(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutInfo(&InfoPhysical);
    Info->flags = MULTIBOOT_INFO_CMDLINE;
    Info->cmdline = PutString("kernel /DEBUG");
    Info->mem_lower = 639;
    Info->mem_upper = 64512;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);
}

static NTSTATUS ParseCommandLine(PCSTR CommandLine)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    Setup(NULL);
    Info = PutQemuBoot(&InfoPhysical);
    Info->cmdline = PutString(CommandLine);
    return Parse(InfoPhysical);
}

static void ExpectLoadOptions(PCSTR CommandLine, PCSTR Expected)
{
    assert_int_equal(ParseCommandLine(CommandLine), STATUS_SUCCESS);
    assert_string_equal(Block.LoadOptions, Expected);
}

static void test_cmdline_first_word_dropped(void **state)
{
    (void)state;
    ExpectLoadOptions("/boot/kernel.elf  /DEBUG /INIT=\"C:\\a b.exe\" ",
                      "/DEBUG /INIT=\"C:\\a b.exe\"");
    ExpectLoadOptions("kernel.elf /A", "/A");
    ExpectLoadOptions("  \t/boot/k\t/A  /B\t ", "/A  /B");
}

/* GRUB 2 passes only the arguments; QEMU and GRUB legacy put the image path first. */
static void test_cmdline_without_kernel_path_kept(void **state)
{
    (void)state;
    ExpectLoadOptions("/TESTMODE", "/TESTMODE");
    ExpectLoadOptions("/DEBUG /X=1", "/DEBUG /X=1");
    ExpectLoadOptions("  /INIT=\"C:\\a b.exe\" /B ", "/INIT=\"C:\\a b.exe\" /B");
    ExpectLoadOptions("/SELF_TEST2=ALL", "/SELF_TEST2=ALL");
    /* Paths that start with '/' are still paths: a second '/', or a '.'. */
    ExpectLoadOptions("/ntoskrnl.elf /A", "/A");
    ExpectLoadOptions("/boot/x /A", "/A");
    ExpectLoadOptions("/ /A", "/A");
    ExpectLoadOptions("/=x /A", "/A");
}

static void test_cmdline_only_kernel_path(void **state)
{
    (void)state;
    ExpectLoadOptions("/boot/kernel.elf", "");
    ExpectLoadOptions("/boot/kernel.elf   \t", "");
    ExpectLoadOptions("", "");
    ExpectLoadOptions("   ", "");
}

static void test_cmdline_absent(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    Info->flags &= ~MULTIBOOT_INFO_CMDLINE;
    Info->cmdline = FAKE_SIZE + 0x1000;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_string_equal(Block.LoadOptions, "");
}

static void test_cmdline_unreachable_is_empty(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    Info->cmdline = FAKE_SIZE + 0x1000;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_string_equal(Block.LoadOptions, "");
    CHECK_DESCRIPTORS(QemuDescriptors);
}

static void test_cmdline_truncated(void **state)
{
    static CHAR CommandLine[700];
    static CHAR Expected[LOADER_MAX_OPTIONS];
    ULONG Index;

    (void)state;
    memcpy(CommandLine, "/boot/kernel.elf ", 17);
    for (Index = 17; Index < sizeof(CommandLine) - 1; Index++) {
        CommandLine[Index] = (CHAR)('a' + Index % 26);
    }
    CommandLine[sizeof(CommandLine) - 1] = '\0';
    memcpy(Expected, CommandLine + 17, LOADER_MAX_OPTIONS - 1);
    Expected[LOADER_MAX_OPTIONS - 1] = '\0';

    ExpectLoadOptions(CommandLine, Expected);
    assert_int_equal(strlen(Block.LoadOptions), LOADER_MAX_OPTIONS - 1);
}

/* A string that crosses a page boundary is read in pieces and must come out whole. */
static void test_cmdline_across_page_boundary(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;
    ULONG Physical;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    Physical = 0x2000 - 5;
    memcpy(Phys(Physical), "kern /DEBUG /X=12345", 21);
    Info->cmdline = Physical;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_string_equal(Block.LoadOptions, "/DEBUG /X=12345");
}

/*
 * The string runs into the end of reachable memory without a NUL: the parser gets
 * what can be mapped (not one byte more) and nothing fails.
 */
static void test_cmdline_at_edge_of_reachable_memory(void **state)
{
    static const CHAR Text[] = "kernel /EDGE /X=1";
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;
    ULONG Physical;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    Physical = 0x3FF0;
    memcpy(Phys(Physical), Text, sizeof(Text) - 1);
    FakeReachable = Physical + sizeof(Text) - 1;
    Info->cmdline = Physical;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_string_equal(Block.LoadOptions, "/EDGE /X=1");
}

/* A string that runs up to 4 GB without a NUL ends there rather than wrapping to 0. */
static void test_cmdline_at_4gb_does_not_wrap(void **state)
{
    static const CHAR Text[] = "kernel /X=abcdef";
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    _Static_assert(sizeof(Text) - 1 == 16, "the text must fill the last 16 bytes");
    Info = PutQemuBoot(&InfoPhysical);
    memcpy(HighMemory + sizeof(HighMemory) - 16, Text, 16);
    memcpy(FakeMemory, "ghi", 4);
    Info->cmdline = 0xFFFFFFF0;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_string_equal(Block.LoadOptions, "/X=abcdef");
}

static void test_loader_name(void **state)
{
    static CHAR LongName[100];
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    memset(LongName, 'N', sizeof(LongName) - 1);
    Info = PutQemuBoot(&InfoPhysical);
    Info->boot_loader_name = PutString(LongName);
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_int_equal(strlen(Block.BootLoaderName), LOADER_MAX_NAME - 1);
    assert_memory_equal(Block.BootLoaderName, LongName, LOADER_MAX_NAME - 1);

    /* Flag clear: the field is ignored and the name stays empty. */
    Setup(NULL);
    Info = PutQemuBoot(&InfoPhysical);
    Info->flags &= ~MULTIBOOT_INFO_LOADER_NAME;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_string_equal(Block.BootLoaderName, "");

    /* Unreachable: empty, not an error. */
    Setup(NULL);
    Info = PutQemuBoot(&InfoPhysical);
    Info->boot_loader_name = 0xFFFFFFFF;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_string_equal(Block.BootLoaderName, "");
}

static void test_module_names(void **state)
{
    static CHAR LongName[200];
    FAKE_MODULE Modules[2] = {
        { 0x200000, 0x201000, NULL },
        { 0x300000, 0x300000, "empty" },
    };
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;
    PMULTIBOOT_MODULE List;

    (void)state;
    memset(LongName, 'm', sizeof(LongName) - 1);
    Modules[0].Name = LongName;
    Info = PutQemuBoot(&InfoPhysical);
    PutModules(Info, Modules, RTL_NUMBER_OF(Modules));
    List = Phys(Info->mods_addr);
    List[1].cmdline = FAKE_SIZE + 0x10;   /* unreachable name */
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);

    assert_int_equal(Block.ModuleCount, 2);
    assert_int_equal(strlen(Block.Modules[0].Name), LOADER_MAX_NAME - 1);
    assert_memory_equal(Block.Modules[0].Name, LongName, LOADER_MAX_NAME - 1);
    assert_string_equal(Block.Modules[1].Name, "");
    assert_int_equal(Block.Modules[1].PhysicalStart, 0x300000);
    assert_int_equal(Block.Modules[1].PhysicalEnd, 0x300000);
    /* The empty module owns no page; the other one does. */
    assert_int_equal(Block.MemoryDescriptorCount, 9);
    assert_int_equal(Block.MemoryDescriptors[5].MemoryType, LoaderFree);
    assert_int_equal(Block.MemoryDescriptors[5].BasePage, 0x124);
    assert_int_equal(Block.MemoryDescriptors[5].PageCount, 0xDC);
    assert_int_equal(Block.MemoryDescriptors[6].MemoryType, LoaderBootDriver);
    assert_int_equal(Block.MemoryDescriptors[6].BasePage, 0x200);
    assert_int_equal(Block.MemoryDescriptors[6].PageCount, 1);
    assert_int_equal(Block.MemoryDescriptors[7].MemoryType, LoaderFree);
    assert_int_equal(Block.MemoryDescriptors[7].BasePage, 0x201);
}

static void test_module_list_unreachable(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    Info->mods_addr = FAKE_SIZE + 0x100;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    /* The first entry is reachable, the second is not. */
    Info = PutQemuBoot(&InfoPhysical);
    FakeReachable = Info->mods_addr + sizeof(MULTIBOOT_MODULE);
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);

    /* A list that wraps around 4 GB. */
    FakeReachable = FAKE_SIZE;
    Info->mods_addr = 0xFFFFFFF0;
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);
}

static void test_too_many_modules(void **state)
{
    static FAKE_MODULE Modules[LOADER_MAX_MODULES + 1];
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;
    ULONG Index;

    (void)state;
    for (Index = 0; Index < RTL_NUMBER_OF(Modules); Index++) {
        Modules[Index].Start = 0x200000 + Index * 0x2000;
        Modules[Index].End = Modules[Index].Start + 0x1000;
        Modules[Index].Name = "m";
    }
    Info = PutQemuBoot(&InfoPhysical);
    PutModules(Info, Modules, LOADER_MAX_MODULES + 1);
    assert_int_equal(Parse(InfoPhysical), STATUS_BUFFER_TOO_SMALL);

    /* Exactly the maximum fits. */
    Info = PutQemuBoot(&InfoPhysical);
    PutModules(Info, Modules, LOADER_MAX_MODULES);
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_int_equal(Block.ModuleCount, LOADER_MAX_MODULES);
    assert_int_equal(Block.Modules[LOADER_MAX_MODULES - 1].PhysicalStart,
                     Modules[LOADER_MAX_MODULES - 1].Start);
}

static void test_module_end_before_start(void **state)
{
    static const FAKE_MODULE Modules[] = {
        { 0x200000, 0x1FF000, "backwards" },
    };
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    PutModules(Info, Modules, RTL_NUMBER_OF(Modules));
    assert_int_equal(Parse(InfoPhysical), STATUS_INVALID_PARAMETER);
}

static void test_modules_flag_clear(void **state)
{
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutQemuBoot(&InfoPhysical);
    Info->flags &= ~MULTIBOOT_INFO_MODS;
    Info->mods_count = 1000;
    Info->mods_addr = FAKE_SIZE + 0x100;
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    assert_int_equal(Block.ModuleCount, 0);
    /* Without modules, their memory is plain free memory. */
    assert_int_equal(Block.MemoryDescriptorCount, 7);
    assert_int_equal(Block.MemoryDescriptors[5].MemoryType, LoaderFree);
    assert_int_equal(Block.MemoryDescriptors[5].BasePage, 0x124);
    assert_int_equal(Block.MemoryDescriptors[5].PageCount, 0x8000 - 0x124);
}

/* The modules and the kernel sit in reserved memory here: the later ranges win. */
static void test_kernel_and_modules_override_firmware(void **state)
{
    static const FAKE_MMAP_ENTRY Map[] = {
        { 0x0, 0x400000, MULTIBOOT_MEMORY_RESERVED },
    };
    static const FAKE_MODULE Modules[] = {
        { 0x110000, 0x120000, "inside the kernel" },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x100 },
        { LoaderSystemCode, 0x100, 0x10 },
        { LoaderBootDriver, 0x110, 0x10 },
        { LoaderSystemCode, 0x120, 0x4 },
        { LoaderFirmwarePermanent, 0x124, 0x2DC },
    };
    ULONG InfoPhysical;
    PMULTIBOOT_INFO Info;

    (void)state;
    Info = PutInfo(&InfoPhysical);
    PutMemoryMap(Info, Map, RTL_NUMBER_OF(Map));
    PutModules(Info, Modules, RTL_NUMBER_OF(Modules));
    assert_int_equal(Parse(InfoPhysical), STATUS_SUCCESS);
    CHECK_DESCRIPTORS(Expected);
}

int main(void)
{
#define TEST(Name) cmocka_unit_test_setup_teardown(Name, Setup, Teardown)
    const struct CMUnitTest Tests[] = {
        TEST(test_qemu_like_boot),
        TEST(test_wrong_magic),
        TEST(test_null_arguments),
        TEST(test_info_unreachable),
        TEST(test_kernel_end_before_start),
        TEST(test_mmap_entry_size_too_large),
        TEST(test_mmap_entry_size_too_small),
        TEST(test_mmap_truncated_entry),
        TEST(test_mmap_walked_by_size_field),
        TEST(test_mmap_unaligned_address),
        TEST(test_mmap_unreachable),
        TEST(test_mmap_types),
        TEST(test_mmap_above_and_across_4gb),
        TEST(test_page0_reserved_even_if_free),
        TEST(test_too_many_mmap_entries),
        TEST(test_too_many_descriptors),
        TEST(test_mem_lower_upper_fallback),
        TEST(test_mem_upper_huge),
        TEST(test_empty_mmap_falls_back),
        TEST(test_no_memory_information),
        TEST(test_cmdline_first_word_dropped),
        TEST(test_cmdline_without_kernel_path_kept),
        TEST(test_cmdline_only_kernel_path),
        TEST(test_cmdline_absent),
        TEST(test_cmdline_unreachable_is_empty),
        TEST(test_cmdline_truncated),
        TEST(test_cmdline_across_page_boundary),
        TEST(test_cmdline_at_edge_of_reachable_memory),
        TEST(test_cmdline_at_4gb_does_not_wrap),
        TEST(test_loader_name),
        TEST(test_module_names),
        TEST(test_module_list_unreachable),
        TEST(test_too_many_modules),
        TEST(test_module_end_before_start),
        TEST(test_modules_flag_clear),
        TEST(test_kernel_and_modules_override_firmware),
    };
#undef TEST

    return cmocka_run_group_tests(Tests, GroupSetup, GroupTeardown);
}

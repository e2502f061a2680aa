/*
 * mminit.c - the memory manager's start (NT: MmInitSystem, MiInitMachineDependent).
 *
 * The boot page tables (entry.asm) map the first 32 MB at KSEG0_BASE. From the
 * loader's descriptors this builds the kernel half every address space will share:
 *   - KSEG0: all RAM up to MM_KSEG0_SIZE mapped one to one (and nothing that is not
 *     RAM, except the first megabyte with its BIOS areas and VGA memory);
 *   - the page tables of the system-PTE region and of the last 4 MB (where
 *     KUSER_SHARED_DATA lives), empty for now.
 * Every kernel page table exists from here on and none is ever added, so a new
 * page directory that copies the kernel PDEs can never miss a kernel mapping.
 * The pages for those tables and for the PFN database come from the first free
 * run that the boot mapping reaches; then the PFN database takes over.
 */
#include "mi.h"
#include <arc.h>
#include <kd.h>
#include <rtl.h>

#define MI_LOW_MEMORY_PAGES   0x100                         /* the first megabyte */
#define MI_KSEG0_PAGES        (MM_KSEG0_SIZE >> PAGE_SHIFT)
#define MI_SYSTEM_PTE_TABLES  (MM_SYSTEM_PTE_SIZE >> 22)
#define MI_BOOT_MAPPED_PAGES  (BOOT_MAPPED_SIZE >> PAGE_SHIFT)

MM_ADDRESS_SPACE MmSystemAddressSpace;
PMM_ADDRESS_SPACE MmCurrentAddressSpace = &MmSystemAddressSpace;

/* RAM descriptors clipped to what KSEG0 can map. */
static MEMORY_ALLOCATION_DESCRIPTOR MiDescriptors[LOADER_MAX_MEMORY_DESCRIPTORS];
static ULONG MiDescriptorCount;

static VOID MipClipDescriptors(PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    ULONG Index, Dropped = 0;

    for (Index = 0; Index < LoaderBlock->MemoryDescriptorCount; Index++) {
        MEMORY_ALLOCATION_DESCRIPTOR Descriptor = LoaderBlock->MemoryDescriptors[Index];

        if (Descriptor.BasePage >= MI_KSEG0_PAGES) {
            if (Descriptor.MemoryType == LoaderFree)
                Dropped += Descriptor.PageCount;
            continue;
        }
        if (Descriptor.BasePage + Descriptor.PageCount > MI_KSEG0_PAGES) {
            if (Descriptor.MemoryType == LoaderFree)
                Dropped += Descriptor.BasePage + Descriptor.PageCount - MI_KSEG0_PAGES;
            Descriptor.PageCount = MI_KSEG0_PAGES - Descriptor.BasePage;
        }
        MiDescriptors[MiDescriptorCount++] = Descriptor;
    }
    if (Dropped)
        DbgPrint("Mm: %lu MB of RAM above %lu MB is not used\n", Dropped >> 8,
                 (ULONG)(MM_KSEG0_SIZE >> 20));
}

/* Is Page RAM the loader described (of any type but not-RAM ones)? */
static BOOLEAN MipIsRam(PFN_NUMBER Page)
{
    ULONG Index;

    for (Index = 0; Index < MiDescriptorCount; Index++) {
        const MEMORY_ALLOCATION_DESCRIPTOR *D = &MiDescriptors[Index];
        if (Page >= D->BasePage && Page < D->BasePage + D->PageCount)
            return MiIsRamType(D->MemoryType);
    }
    return FALSE;
}

/* The first free run, above the first megabyte and inside the boot mapping, with
   Count pages: where the early tables and the PFN database go. */
static PFN_NUMBER MipFindEarlyRun(ULONG Count)
{
    ULONG Index;

    for (Index = 0; Index < MiDescriptorCount; Index++) {
        const MEMORY_ALLOCATION_DESCRIPTOR *D = &MiDescriptors[Index];
        PFN_NUMBER Base = D->BasePage < MI_LOW_MEMORY_PAGES ? MI_LOW_MEMORY_PAGES : D->BasePage;
        PFN_NUMBER End = D->BasePage + D->PageCount;

        if (D->MemoryType != LoaderFree || End <= Base)
            continue;
        if (End > MI_BOOT_MAPPED_PAGES)
            End = MI_BOOT_MAPPED_PAGES;
        if (End > Base && End - Base >= Count)
            return Base;
    }
    return 0;
}

/* Fills a KSEG0 page table: RAM pages (and all of the first megabyte) present. */
static VOID MipFillKseg0Table(PMMPTE Table, PFN_NUMBER FirstPage)
{
    ULONG Index;

    for (Index = 0; Index < 1024; Index++) {
        PFN_NUMBER Page = FirstPage + Index;
        BOOLEAN Map = Page < MI_LOW_MEMORY_PAGES ? TRUE : MipIsRam(Page);
        Table[Index] = Map ? MI_MAKE_PTE(Page, PTE_PRESENT | PTE_WRITE) : 0;
    }
}

VOID MmInitSystem(PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    PMMPTE Directory = (PMMPTE)KiBootPageDirectory;
    PFN_NUMBER Highest, EarlyBase, Next;
    ULONG Kseg0Tables, NewKseg0Tables, DatabasePages, EarlyPages, Index;
    SIZE_T DatabaseBytes;
    PHYSICAL_MEMORY_RUN Reserved;
    NTSTATUS Status;

    MipClipDescriptors(LoaderBlock);
    Highest = MiFindHighestPhysicalPage(MiDescriptors, MiDescriptorCount);
    DatabaseBytes = MiPfnDatabaseBytes(Highest);
    if (Highest == 0 || DatabaseBytes == 0)
        KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 0x4D4D0001, Highest, 0, 0);

    Kseg0Tables = (Highest >> 10) + 1;
    NewKseg0Tables = Kseg0Tables > BOOT_PAGE_TABLES ? Kseg0Tables - BOOT_PAGE_TABLES : 0;
    DatabasePages = BYTES_TO_PAGES(DatabaseBytes);
    EarlyPages = NewKseg0Tables + MI_SYSTEM_PTE_TABLES + 1 + DatabasePages;
    EarlyBase = MipFindEarlyRun(EarlyPages);
    if (EarlyBase == 0)
        KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 0x4D4D0002, EarlyPages, 0, 0);
    memset(MI_PFN_TO_KSEG0(EarlyBase), 0, (SIZE_T)EarlyPages << PAGE_SHIFT);

    /* KSEG0: re-fill the boot tables (they mapped 32 MB whatever the RAM), add the
       tables for RAM above 32 MB, and drop PDEs past the last RAM page. */
    Next = EarlyBase;
    for (Index = 0; Index < Kseg0Tables; Index++) {
        PMMPTE Table;
        if (Index < BOOT_PAGE_TABLES) {
            Table = (PMMPTE)MI_PFN_TO_KSEG0(MI_PTE_PAGE(Directory[(KSEG0_BASE >> 22) + Index]));
        } else {
            Table = (PMMPTE)MI_PFN_TO_KSEG0(Next);
            Directory[(KSEG0_BASE >> 22) + Index] = MI_MAKE_PTE(Next, PTE_PRESENT | PTE_WRITE);
            Next++;
        }
        MipFillKseg0Table(Table, (PFN_NUMBER)Index << 10);
    }
    for (Index = Kseg0Tables; Index < BOOT_PAGE_TABLES; Index++)
        Directory[(KSEG0_BASE >> 22) + Index] = 0;

    /* Empty tables for the system-PTE region and the last 4 MB. */
    for (Index = 0; Index < MI_SYSTEM_PTE_TABLES; Index++, Next++)
        Directory[MI_PDE_INDEX(MM_SYSTEM_PTE_BASE) + Index] = MI_MAKE_PTE(Next, PTE_PRESENT | PTE_WRITE);
    Directory[MI_PDE_INDEX(MM_SHARED_DATA_TABLE_BASE)] = MI_MAKE_PTE(Next, PTE_PRESENT | PTE_WRITE);
    Next++;
    __asm__ volatile("mov %0, %%cr3" : : "r"(__readcr3()) : "memory");

    Reserved.BasePage = EarlyBase;
    Reserved.PageCount = EarlyPages;
    Status = MiInitializePfnDatabase(MiDescriptors, MiDescriptorCount,
                                     (PMMPFN)MI_PFN_TO_KSEG0(Next), DatabaseBytes, &Reserved, 1);
    if (!NT_SUCCESS(Status))
        KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, 0x4D4D0003, (ULONG)Status, 0, 0);

    MmSystemAddressSpace.DirectoryTableBase = __readcr3();
    MmSystemAddressSpace.DirectoryPage = MI_PTE_PAGE(__readcr3());
    MiInitializeVadTable(&MmSystemAddressSpace.VadRoot);
    MiInitializeAddressSpaceLock(&MmSystemAddressSpace);
    MiInitializeSystemPtes();
    MiInitializeSharedUserData();
}

/* The hardware half of the PFN database's MiRemoveZeroPage: through KSEG0. */
VOID MiZeroPhysicalPage(PFN_NUMBER Page)
{
    memset(MI_PFN_TO_KSEG0(Page), 0, PAGE_SIZE);
}

/* The kernel address of a physical address KSEG0 maps (RAM and the first MB), or NULL. */
PVOID MmGetVirtualForPhysical(ULONG PhysicalAddress)
{
    PVOID Va;

    if (PhysicalAddress >= MM_KSEG0_SIZE)
        return NULL;
    Va = (PVOID)(KSEG0_BASE + PhysicalAddress);
    return MmIsAddressValid(Va) ? Va : NULL;
}

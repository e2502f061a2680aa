/*
 * ramdisk.c - the boot volume as a RAM disk (NT: ramdisk.sys, minus the device
 * object and IRPs, which the I/O manager will put in front of these functions).
 *
 * The boot loader (GRUB from the CD, or QEMU's -initrd) loads the volume as a
 * Multiboot module; multiboot.c recorded it in the loader block and kept its pages
 * out of free memory (LoaderBootDriver), and the memory manager never takes loader
 * pages back unless asked to. KSEG0 maps all RAM one to one, those pages included,
 * so the disk needs no mapping of its own: it is the module's KSEG0 range, checked
 * to be mapped whole. A module above what KSEG0 maps cannot be used (and says so).
 */
#include <ramdisk.h>
#include <arc.h>
#include <mm.h>
#include <kd.h>
#include <rtl.h>

/* Boot sector fields (Microsoft's FAT specification, "BPB"), by offset. */
#define BPB_BYTES_PER_SECTOR    0x0B    /* 16 bits */
#define BPB_SECTORS_PER_CLUSTER 0x0D    /* 8 bits */
#define BPB_RESERVED_SECTORS    0x0E    /* 16 bits */
#define BPB_NUMBER_OF_FATS      0x10    /* 8 bits */
#define BPB_ROOT_ENTRIES        0x11    /* 16 bits; 0 on FAT32 */
#define BPB_TOTAL_SECTORS_16    0x13    /* 16 bits; 0 when the 32-bit count is used */
#define BPB_FAT_SIZE_16         0x16    /* 16 bits; 0 on FAT32 */
#define BPB_TOTAL_SECTORS_32    0x20    /* 32 bits */
#define BPB_FAT_SIZE_32         0x24    /* 32 bits, FAT32 only */
#define BOOT_SIGNATURE_OFFSET   0x1FE   /* 0x55, 0xAA */
#define FAT_DIRENT_SIZE         32

/* The FAT type follows from the count of clusters alone (the specification's rule). */
#define FAT12_MAX_CLUSTERS 4084
#define FAT16_MAX_CLUSTERS 65524

static RAMDISK IopBootVolume;
static BOOLEAN IopBootVolumePresent;

static ULONG IopRead16(const UCHAR *Bytes, ULONG Offset)
{
    return Bytes[Offset] | ((ULONG)Bytes[Offset + 1] << 8);
}

static ULONG IopRead32(const UCHAR *Bytes, ULONG Offset)
{
    return IopRead16(Bytes, Offset) | (IopRead16(Bytes, Offset + 2) << 16);
}

/*
 * What the boot line says the volume holds. Only to tell the user: mounting is the
 * file system's job, and it checks far more than this.
 */
static PCSTR IopDescribeVolume(PRAMDISK Disk)
{
    const UCHAR *Boot = Disk->Base;
    ULONG TotalSectors, FatSize, RootSectors, MetaSectors, Clusters;

    if (Boot[BOOT_SIGNATURE_OFFSET] != 0x55 || Boot[BOOT_SIGNATURE_OFFSET + 1] != 0xAA)
        return "no boot sector (no 55AA signature)";

    TotalSectors = IopRead16(Boot, BPB_TOTAL_SECTORS_16);
    if (TotalSectors == 0)
        TotalSectors = IopRead32(Boot, BPB_TOTAL_SECTORS_32);
    FatSize = IopRead16(Boot, BPB_FAT_SIZE_16);
    if (FatSize == 0)
        FatSize = IopRead32(Boot, BPB_FAT_SIZE_32);
    RootSectors = (IopRead16(Boot, BPB_ROOT_ENTRIES) * FAT_DIRENT_SIZE + RAMDISK_SECTOR_SIZE - 1) /
                  RAMDISK_SECTOR_SIZE;

    /* The sizes are checked against the disk's before they are added up, so a forged
       boot sector cannot make the sum wrap (the disk has fewer than 2^23 sectors). */
    if (IopRead16(Boot, BPB_BYTES_PER_SECTOR) != RAMDISK_SECTOR_SIZE ||
        Boot[BPB_SECTORS_PER_CLUSTER] == 0 || Boot[BPB_NUMBER_OF_FATS] == 0 ||
        FatSize == 0 || FatSize > Disk->SectorCount ||
        TotalSectors == 0 || TotalSectors > Disk->SectorCount)
        return "a boot sector that is not FAT";
    MetaSectors = IopRead16(Boot, BPB_RESERVED_SECTORS) + Boot[BPB_NUMBER_OF_FATS] * FatSize +
                  RootSectors;
    if (MetaSectors >= TotalSectors)
        return "a boot sector that is not FAT";

    Clusters = (TotalSectors - MetaSectors) / Boot[BPB_SECTORS_PER_CLUSTER];
    if (Clusters <= FAT12_MAX_CLUSTERS)
        return "FAT12";
    if (Clusters <= FAT16_MAX_CLUSTERS)
        return "FAT16";
    return "FAT32";
}

/* Is the module's first word, after its last '/', the boot volume's name? */
static BOOLEAN IopIsBootVolumeModule(PCSTR Name)
{
    ULONG Length = strlen(IO_BOOT_VOLUME_MODULE_NAME);
    PCSTR Word = Name, Cursor;

    for (Cursor = Name; *Cursor != '\0' && *Cursor != ' '; Cursor++) {
        if (*Cursor == '/')
            Word = Cursor + 1;
    }
    return (ULONG)(Cursor - Word) == Length &&
           _strnicmp(Word, IO_BOOT_VOLUME_MODULE_NAME, Length) == 0;
}

VOID IoInitializeBootVolume(PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    PLOADER_MODULE Module = NULL;
    ULONG Index, Length;
    PUCHAR Base;

    for (Index = 0; Index < LoaderBlock->ModuleCount; Index++) {
        if (IopIsBootVolumeModule(LoaderBlock->Modules[Index].Name)) {
            Module = &LoaderBlock->Modules[Index];
            break;
        }
    }
    if (Module == NULL) {
        DbgPrint("Boot volume: none (no module named " IO_BOOT_VOLUME_MODULE_NAME ")\n");
        return;
    }

    Length = Module->PhysicalEnd - Module->PhysicalStart;
    if (Length == 0 || Length % RAMDISK_SECTOR_SIZE != 0) {
        DbgPrint("Boot volume: not used: %lu bytes is not a whole number of %u-byte sectors\n",
                 Length, RAMDISK_SECTOR_SIZE);
        return;
    }
    /* KSEG0 ends at MM_KSEG0_SIZE; past it the same addresses are something else. */
    Base = MmGetVirtualForPhysical(Module->PhysicalStart);
    if (Base == NULL || Module->PhysicalEnd > MM_KSEG0_SIZE ||
        !MmIsRangeValid((ULONG_PTR)Base, Length)) {
        DbgPrint("Boot volume: not used: %08lX-%08lX is not in the memory the kernel maps\n",
                 Module->PhysicalStart, Module->PhysicalEnd);
        return;
    }

    IopBootVolume.Base = Base;
    IopBootVolume.Length = Length;
    IopBootVolume.SectorCount = Length / RAMDISK_SECTOR_SIZE;
    IopBootVolume.PhysicalStart = Module->PhysicalStart;
    IopBootVolumePresent = TRUE;
    DbgPrint("Boot volume: %lu KB at %p (physical %08lX), %s\n", Length / 1024, (PVOID)Base,
             Module->PhysicalStart, IopDescribeVolume(&IopBootVolume));
}

PRAMDISK IoGetBootVolume(VOID)
{
    return IopBootVolumePresent ? &IopBootVolume : NULL;
}

/* The checks both directions share; the subtraction cannot wrap as the sum could. */
static NTSTATUS IopCheckTransfer(PRAMDISK Disk, ULONG FirstSector, ULONG SectorCount,
                                 const VOID *Buffer)
{
    if (Disk == NULL || Buffer == NULL || SectorCount == 0)
        return STATUS_INVALID_PARAMETER;
    if (FirstSector >= Disk->SectorCount || SectorCount > Disk->SectorCount - FirstSector)
        return STATUS_END_OF_FILE;
    return STATUS_SUCCESS;
}

NTSTATUS IoReadRamDisk(PRAMDISK Disk, ULONG FirstSector, ULONG SectorCount, PVOID Buffer)
{
    NTSTATUS Status = IopCheckTransfer(Disk, FirstSector, SectorCount, Buffer);

    if (NT_SUCCESS(Status))
        memcpy(Buffer, Disk->Base + FirstSector * RAMDISK_SECTOR_SIZE,
               SectorCount * RAMDISK_SECTOR_SIZE);
    return Status;
}

NTSTATUS IoWriteRamDisk(PRAMDISK Disk, ULONG FirstSector, ULONG SectorCount,
                        const VOID *Buffer)
{
    NTSTATUS Status = IopCheckTransfer(Disk, FirstSector, SectorCount, Buffer);

    if (NT_SUCCESS(Status))
        memcpy(Disk->Base + FirstSector * RAMDISK_SECTOR_SIZE, Buffer,
               SectorCount * RAMDISK_SECTOR_SIZE);
    return Status;
}

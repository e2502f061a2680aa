/*
 * iobootvol.c - self-test: the boot volume (kernel/io/ramdisk.c) is the image
 * tools/mkvolume made, its sectors read and write, and a transfer outside it fails
 * with a status instead of touching memory.
 *
 * A run with too little memory for the volume (tools/qemu-run --mem 16) boots
 * without one; the test then checks only that there is none and says so.
 */
#include <selftest.h>
#include <ramdisk.h>
#include <rtl.h>

/* What tools/mkvolume writes into the boot sector. */
#define KST_VOLUME_BYTES_PER_SECTOR 512
#define KST_VOLUME_SERIAL           0x4E544C42
#define KST_VOLUME_LABEL            "NTLAB      "       /* 11 characters, blank-padded */
#define KST_VOLUME_FS_TYPE          "FAT16   "          /* 8 characters */

/* The FAT16 extended BPB (Microsoft's FAT specification), by offset. */
#define KST_BPB_BYTES_PER_SECTOR 0x0B
#define KST_BPB_TOTAL_SECTORS_16 0x13
#define KST_BPB_TOTAL_SECTORS_32 0x20
#define KST_BPB_BOOT_SIGNATURE   0x26       /* 0x29: serial, label and type follow */
#define KST_BPB_SERIAL           0x27
#define KST_BPB_LABEL            0x2B
#define KST_BPB_FS_TYPE          0x36

static UCHAR KstSector[2 * RAMDISK_SECTOR_SIZE];
static UCHAR KstSaved[RAMDISK_SECTOR_SIZE];
static UCHAR KstPattern[RAMDISK_SECTOR_SIZE];

static ULONG KstRead16(const UCHAR *Bytes, ULONG Offset)
{
    return Bytes[Offset] | ((ULONG)Bytes[Offset + 1] << 8);
}

static ULONG KstRead32(const UCHAR *Bytes, ULONG Offset)
{
    return KstRead16(Bytes, Offset) | (KstRead16(Bytes, Offset + 2) << 16);
}

/* Sector 0 is mkvolume's FAT16 boot sector, and says the disk's size. */
static NTSTATUS KstCheckBootSector(PRAMDISK Disk)
{
    ULONG TotalSectors;

    KST_CHECK(IoReadRamDisk(Disk, 0, 1, KstSector) == STATUS_SUCCESS);
    KST_CHECK(KstSector[510] == 0x55 && KstSector[511] == 0xAA);
    KST_CHECK(KstRead16(KstSector, KST_BPB_BYTES_PER_SECTOR) == KST_VOLUME_BYTES_PER_SECTOR);
    KST_CHECK(KstSector[KST_BPB_BOOT_SIGNATURE] == 0x29);
    KST_CHECK(KstRead32(KstSector, KST_BPB_SERIAL) == KST_VOLUME_SERIAL);
    KST_CHECK(memcmp(KstSector + KST_BPB_LABEL, KST_VOLUME_LABEL, 11) == 0);
    KST_CHECK(memcmp(KstSector + KST_BPB_FS_TYPE, KST_VOLUME_FS_TYPE, 8) == 0);

    TotalSectors = KstRead16(KstSector, KST_BPB_TOTAL_SECTORS_16);
    if (TotalSectors == 0)
        TotalSectors = KstRead32(KstSector, KST_BPB_TOTAL_SECTORS_32);
    KST_CHECK(TotalSectors == Disk->SectorCount);
    KST_CHECK(Disk->Length == Disk->SectorCount * RAMDISK_SECTOR_SIZE);
    DbgPrint("    %lu sectors, label \"%.11s\", serial %08lX\n", Disk->SectorCount,
             (PCSTR)(KstSector + KST_BPB_LABEL), KstRead32(KstSector, KST_BPB_SERIAL));

    /* Two sectors at once are the same bytes as one at a time. */
    memcpy(KstSaved, KstSector, RAMDISK_SECTOR_SIZE);
    KST_CHECK(IoReadRamDisk(Disk, 0, 2, KstSector) == STATUS_SUCCESS);
    KST_CHECK(memcmp(KstSector, KstSaved, RAMDISK_SECTOR_SIZE) == 0);
    KST_CHECK(IoReadRamDisk(Disk, 1, 1, KstSaved) == STATUS_SUCCESS);
    KST_CHECK(memcmp(KstSector + RAMDISK_SECTOR_SIZE, KstSaved, RAMDISK_SECTOR_SIZE) == 0);
    return STATUS_SUCCESS;
}

/* Nothing outside the disk is read or written, and nothing is half done. */
static NTSTATUS KstCheckBounds(PRAMDISK Disk)
{
    ULONG Last = Disk->SectorCount - 1;

    KST_CHECK(IoReadRamDisk(Disk, Last, 1, KstSector) == STATUS_SUCCESS);
    KST_CHECK(IoReadRamDisk(Disk, Disk->SectorCount, 1, KstSector) == STATUS_END_OF_FILE);
    KST_CHECK(IoReadRamDisk(Disk, Last, 2, KstSector) == STATUS_END_OF_FILE);
    KST_CHECK(IoReadRamDisk(Disk, 0xFFFFFFFF, 2, KstSector) == STATUS_END_OF_FILE);
    KST_CHECK(IoReadRamDisk(Disk, 1, 0xFFFFFFFF, KstSector) == STATUS_END_OF_FILE);
    KST_CHECK(IoReadRamDisk(Disk, 0, 0, KstSector) == STATUS_INVALID_PARAMETER);
    KST_CHECK(IoReadRamDisk(Disk, 0, 1, NULL) == STATUS_INVALID_PARAMETER);
    KST_CHECK(IoReadRamDisk(NULL, 0, 1, KstSector) == STATUS_INVALID_PARAMETER);

    KST_CHECK(IoWriteRamDisk(Disk, Disk->SectorCount, 1, KstSector) == STATUS_END_OF_FILE);
    KST_CHECK(IoWriteRamDisk(Disk, 0, 0, KstSector) == STATUS_INVALID_PARAMETER);
    KST_CHECK(IoWriteRamDisk(Disk, 0, 1, NULL) == STATUS_INVALID_PARAMETER);
    return STATUS_SUCCESS;
}

/*
 * A write is read back, also through the disk's memory itself, and a write that
 * runs past the end changes nothing. The last sector is used (the end of the data
 * area, free on the nearly empty volume) and put back, so the volume stays as it was.
 */
static NTSTATUS KstCheckWrite(PRAMDISK Disk)
{
    ULONG Last = Disk->SectorCount - 1, Index;
    NTSTATUS Status = STATUS_SUCCESS;

    KST_CHECK(IoReadRamDisk(Disk, Last, 1, KstSaved) == STATUS_SUCCESS);
    for (Index = 0; Index < RAMDISK_SECTOR_SIZE; Index++)
        KstPattern[Index] = (UCHAR)(Index * 7 + 0x5A);

    if (IoWriteRamDisk(Disk, Last, 1, KstPattern) != STATUS_SUCCESS ||
        IoReadRamDisk(Disk, Last, 1, KstSector) != STATUS_SUCCESS ||
        memcmp(KstSector, KstPattern, RAMDISK_SECTOR_SIZE) != 0 ||
        memcmp(Disk->Base + Last * RAMDISK_SECTOR_SIZE, KstPattern, RAMDISK_SECTOR_SIZE) != 0) {
        DbgPrint("    check failed: the last sector does not read back what was written\n");
        Status = STATUS_UNSUCCESSFUL;
    }
    if (NT_SUCCESS(Status) &&
        (IoWriteRamDisk(Disk, Last, 2, KstSaved) != STATUS_END_OF_FILE ||
         memcmp(Disk->Base + Last * RAMDISK_SECTOR_SIZE, KstPattern, RAMDISK_SECTOR_SIZE) != 0)) {
        DbgPrint("    check failed: a write past the end changed the last sector\n");
        Status = STATUS_UNSUCCESSFUL;
    }

    /* Put the sector back whatever happened above. */
    KST_CHECK(IoWriteRamDisk(Disk, Last, 1, KstSaved) == STATUS_SUCCESS);
    KST_CHECK(IoReadRamDisk(Disk, Last, 1, KstSector) == STATUS_SUCCESS);
    KST_CHECK(memcmp(KstSector, KstSaved, RAMDISK_SECTOR_SIZE) == 0);
    return Status;
}

static NTSTATUS KstBootVolume(VOID)
{
    PRAMDISK Disk = IoGetBootVolume();
    NTSTATUS Status;

    if (Disk == NULL) {
        /* Without a volume there is only the no-disk answer to check. */
        DbgPrint("    no boot volume in this boot (too little memory?): nothing to read\n");
        KST_CHECK(IoReadRamDisk(NULL, 0, 1, KstSector) == STATUS_INVALID_PARAMETER);
        return STATUS_SUCCESS;
    }
    KST_CHECK(Disk->SectorCount >= 2 && Disk->Base != NULL);

    Status = KstCheckBootSector(Disk);
    if (NT_SUCCESS(Status))
        Status = KstCheckBounds(Disk);
    if (NT_SUCCESS(Status))
        Status = KstCheckWrite(Disk);
    return Status;
}
KSELFTEST(IO_BOOT_VOLUME, KstBootVolume);

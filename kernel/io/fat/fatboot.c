/*
 * fatboot.c - mounting a FAT volume: the boot sector's BPB, the FAT type, FSInfo,
 * and the sector I/O every other file goes through. NT: fastfat's FatMountVolume
 * and FatIsBootSectorFat.
 *
 * A boot sector that is not a FAT BPB at all (no jump instruction, a sector size
 * that is not 512..4096, a cluster that is not a power of two, no reserved sector,
 * no FAT, a bad media byte, no size) is STATUS_UNRECOGNIZED_VOLUME, so that the I/O
 * manager can try another file system. One that is a BPB but whose numbers do not
 * fit together (the data area past the end, a FAT too small for the clusters, a
 * FAT32 layout on a FAT16 count or the reverse, a root cluster out of range, a
 * volume larger than its device) is STATUS_DISK_CORRUPT_ERROR.
 */
#include "fatp.h"

/* Boot sector offsets (Microsoft's names in the comments). */
#define BPB_JUMP            0       /* BS_jmpBoot: EB xx 90 or E9 xx xx */
#define BPB_BYTES_PER_SEC   11      /* BPB_BytsPerSec */
#define BPB_SEC_PER_CLUS    13      /* BPB_SecPerClus */
#define BPB_RESERVED        14      /* BPB_RsvdSecCnt */
#define BPB_NUM_FATS        16      /* BPB_NumFATs */
#define BPB_ROOT_ENTRIES    17      /* BPB_RootEntCnt */
#define BPB_TOTAL16         19      /* BPB_TotSec16 */
#define BPB_MEDIA           21      /* BPB_Media */
#define BPB_FAT_SIZE16      22      /* BPB_FATSz16 */
#define BPB_TOTAL32         32      /* BPB_TotSec32 */
#define BS16_BOOT_SIG       38      /* BS_BootSig (FAT12/16) */
#define BS16_VOLUME_ID      39
#define BS16_VOLUME_LABEL   43
#define BPB32_FAT_SIZE      36      /* BPB_FATSz32 */
#define BPB32_EXT_FLAGS     40      /* BPB_ExtFlags */
#define BPB32_VERSION       42      /* BPB_FSVer */
#define BPB32_ROOT_CLUSTER  44      /* BPB_RootClus */
#define BPB32_FSINFO        48      /* BPB_FSInfo */
#define BS32_BOOT_SIG       66
#define BS32_VOLUME_ID      67
#define BS32_VOLUME_LABEL   71

#define FAT_EXTENDED_BOOT_SIGNATURE 0x29
#define FAT32_NO_MIRRORING          0x0080  /* ExtFlags: only the active FAT is used */
#define FAT32_ACTIVE_FAT_MASK       0x000F
#define FAT12_MAX_CLUSTERS          4084    /* fewer than 4085: FAT12 */
#define FAT16_MAX_CLUSTERS          65524   /* fewer than 65525: FAT16 */
#define FAT32_MAX_CLUSTERS          0x0FFFFFF5

/* FSInfo (FAT32), in a reserved sector. */
#define FSI_LEAD_SIGNATURE   0x41615252
#define FSI_STRUC_SIGNATURE  0x61417272
#define FSI_TRAIL_SIGNATURE  0xAA550000
#define FSI_LEAD_OFFSET      0
#define FSI_STRUC_OFFSET     484
#define FSI_FREE_COUNT       488
#define FSI_NEXT_FREE        492
#define FSI_TRAIL_OFFSET     508
#define FSI_UNKNOWN          0xFFFFFFFF

static USHORT FatpGet16(const UCHAR *Bytes)
{
    return (USHORT)(Bytes[0] | (Bytes[1] << 8));
}

static ULONG FatpGet32(const UCHAR *Bytes)
{
    return (ULONG)Bytes[0] | ((ULONG)Bytes[1] << 8) | ((ULONG)Bytes[2] << 16) | ((ULONG)Bytes[3] << 24);
}

static VOID FatpPut32(PUCHAR Bytes, ULONG Value)
{
    Bytes[0] = (UCHAR)Value;
    Bytes[1] = (UCHAR)(Value >> 8);
    Bytes[2] = (UCHAR)(Value >> 16);
    Bytes[3] = (UCHAR)(Value >> 24);
}

static BOOLEAN FatpIsPowerOfTwo(ULONG Value)
{
    return Value != 0 && (Value & (Value - 1)) == 0;
}

static ULONG FatpLog2(ULONG PowerOfTwo)
{
    ULONG Shift = 0;

    while ((1UL << Shift) < PowerOfTwo) {
        Shift++;
    }
    return Shift;
}

/* ---- memory and sectors ---- */

PVOID FatpAllocate(PFAT_VOLUME Volume, SIZE_T Size)
{
    return Volume->Parameters.Allocator.Allocate(Volume->Parameters.Allocator.Context, Size);
}

VOID FatpFree(PFAT_VOLUME Volume, PVOID Block)
{
    Volume->Parameters.Allocator.Free(Volume->Parameters.Allocator.Context, Block);
}

/* Logical sectors (BPB_BytsPerSec) to the device's; nothing outside the volume. */
NTSTATUS FatpReadSectors(PFAT_VOLUME Volume, ULONG Sector, ULONG Count, PVOID Buffer)
{
    ULONG Ratio = Volume->DeviceSectorsPerSector;

    if (Sector >= Volume->TotalSectors || Count > Volume->TotalSectors - Sector) {
        return STATUS_DISK_CORRUPT_ERROR;
    }
    return Volume->Parameters.ReadSectors(Volume->Parameters.DeviceContext, Sector * Ratio,
                                          Count * Ratio, Buffer);
}

NTSTATUS FatpWriteSectors(PFAT_VOLUME Volume, ULONG Sector, ULONG Count, const VOID *Buffer)
{
    ULONG Ratio = Volume->DeviceSectorsPerSector;
    NTSTATUS Status;

    if (Volume->ReadOnly) {
        return STATUS_MEDIA_WRITE_PROTECTED;
    }
    if (Sector >= Volume->TotalSectors || Count > Volume->TotalSectors - Sector) {
        return STATUS_DISK_CORRUPT_ERROR;
    }
    /* The directory cache must not keep what this write replaces (it holds no staged change then). */
    if (Volume->DirectorySector - Sector < Count && Buffer != Volume->DirectoryBuffer) {
        Volume->DirectorySector = FAT_NO_SECTOR;
        Volume->DirectoryDirty = FALSE;
    }
    Status = Volume->Parameters.WriteSectors(Volume->Parameters.DeviceContext, Sector * Ratio,
                                             Count * Ratio, Buffer);
    if (!NT_SUCCESS(Status) && Buffer == Volume->DirectoryBuffer) {
        Volume->DirectorySector = FAT_NO_SECTOR;      /* what it holds is not what the disk has */
        Volume->DirectoryDirty = FALSE;
    }
    return Status;
}

NTSTATUS FatpFinish(PFAT_VOLUME Volume, NTSTATUS Status)
{
    NTSTATUS FlushStatus = FatpFlushFat(Volume);

    return NT_SUCCESS(Status) ? FlushStatus : Status;
}

/* ---- the BPB ---- */

static VOID FatpCopyLabel(PFAT_VOLUME Volume, const UCHAR *Label)
{
    LONG Length = 11;

    while (Length > 0 && Label[Length - 1] == ' ') {
        Length--;
    }
    memcpy(Volume->Label, Label, (SIZE_T)Length);
    Volume->Label[Length] = '\0';
}

static NTSTATUS FatpParseBootSector(PFAT_VOLUME Volume, const UCHAR *Boot)
{
    ULONG BytesPerSector = FatpGet16(Boot + BPB_BYTES_PER_SEC);
    ULONG SectorsPerCluster = Boot[BPB_SEC_PER_CLUS];
    ULONG Reserved = FatpGet16(Boot + BPB_RESERVED);
    ULONG NumberOfFats = Boot[BPB_NUM_FATS];
    ULONG RootEntries = FatpGet16(Boot + BPB_ROOT_ENTRIES);
    ULONG Media = Boot[BPB_MEDIA];
    ULONG FatSize16 = FatpGet16(Boot + BPB_FAT_SIZE16);
    ULONG Total = FatpGet16(Boot + BPB_TOTAL16);
    ULONG FatSize = FatSize16 ? FatSize16 : FatpGet32(Boot + BPB32_FAT_SIZE);
    BOOLEAN Fat32Layout = FatSize16 == 0 && RootEntries == 0;
    ULONG RootSectors, Clusters, Bits;
    ULONGLONG Metadata, FatBytesNeeded, DeviceSectors;

    if (Total == 0) {
        Total = FatpGet32(Boot + BPB_TOTAL32);
    }
    /* Is it a FAT boot sector at all? */
    if ((Boot[BPB_JUMP] != 0xEB && Boot[BPB_JUMP] != 0xE9) ||
        !FatpIsPowerOfTwo(BytesPerSector) || BytesPerSector < 512 || BytesPerSector > 4096 ||
        BytesPerSector < Volume->Parameters.SectorSize || !FatpIsPowerOfTwo(SectorsPerCluster) ||
        Reserved == 0 || NumberOfFats == 0 || (Media != 0xF0 && Media < 0xF8) || Total == 0 ||
        FatSize == 0) {
        return STATUS_UNRECOGNIZED_VOLUME;
    }

    /* Do its numbers fit together? */
    RootSectors = (RootEntries * FAT_DIRENT_SIZE + BytesPerSector - 1) / BytesPerSector;
    Metadata = Reserved + (ULONGLONG)NumberOfFats * FatSize + RootSectors;
    if (Metadata >= Total) {
        return STATUS_DISK_CORRUPT_ERROR;
    }
    Clusters = (Total - (ULONG)Metadata) >> FatpLog2(SectorsPerCluster);
    if (Clusters == 0) {
        return STATUS_DISK_CORRUPT_ERROR;
    }
    /* The count decides the type (Microsoft's rule); the layout must agree with it. */
    Volume->FatType = Clusters <= FAT12_MAX_CLUSTERS ? 12 : Clusters <= FAT16_MAX_CLUSTERS ? 16 : 32;
    if ((Volume->FatType == 32) != Fat32Layout || (Volume->FatType != 32 && RootEntries == 0) ||
        Clusters > FAT32_MAX_CLUSTERS) {
        return STATUS_DISK_CORRUPT_ERROR;
    }
    Bits = Volume->FatType;
    FatBytesNeeded = ((ULONGLONG)(Clusters + FAT_FIRST_CLUSTER) * Bits + 7) >> 3;   /* bits to bytes */
    if (FatBytesNeeded > (ULONGLONG)FatSize * BytesPerSector) {
        return STATUS_DISK_CORRUPT_ERROR;
    }
    Volume->DeviceSectorsPerSector = BytesPerSector / Volume->Parameters.SectorSize;
    DeviceSectors = (ULONGLONG)Total * Volume->DeviceSectorsPerSector;
    if (DeviceSectors > 0xFFFFFFFFULL) {
        return STATUS_UNRECOGNIZED_VOLUME;     /* the callbacks count device sectors in 32 bits */
    }
    if (Volume->Parameters.SectorCount != 0 && DeviceSectors > Volume->Parameters.SectorCount) {
        return STATUS_DISK_CORRUPT_ERROR;
    }

    Volume->BytesPerSector = BytesPerSector;
    Volume->SectorShift = FatpLog2(BytesPerSector);
    Volume->SectorsPerCluster = SectorsPerCluster;
    Volume->BytesPerCluster = BytesPerSector * SectorsPerCluster;
    Volume->ClusterShift = FatpLog2(Volume->BytesPerCluster);
    Volume->ReservedSectors = Reserved;
    Volume->NumberOfFats = NumberOfFats;
    Volume->SectorsPerFat = FatSize;
    Volume->RootEntryCount = RootEntries;
    Volume->RootDirectorySector = Reserved + NumberOfFats * FatSize;
    Volume->FirstDataSector = (ULONG)Metadata;
    Volume->TotalSectors = Total;
    Volume->ClusterCount = Clusters;
    Volume->Mirrored = TRUE;

    if (Volume->FatType == 32) {
        ULONG ExtFlags = FatpGet16(Boot + BPB32_EXT_FLAGS);

        if (FatpGet16(Boot + BPB32_VERSION) != 0) {
            return STATUS_UNRECOGNIZED_VOLUME;     /* a newer FAT32 than the spec's 0.0 */
        }
        Volume->RootCluster = FatpGet32(Boot + BPB32_ROOT_CLUSTER);
        if (!FatpIsValidCluster(Volume, Volume->RootCluster)) {
            return STATUS_DISK_CORRUPT_ERROR;
        }
        if (ExtFlags & FAT32_NO_MIRRORING) {
            Volume->Mirrored = FALSE;
            Volume->ActiveFat = ExtFlags & FAT32_ACTIVE_FAT_MASK;
            if (Volume->ActiveFat >= NumberOfFats) {
                return STATUS_DISK_CORRUPT_ERROR;
            }
        }
        Volume->FsInfoSector = FatpGet16(Boot + BPB32_FSINFO);
        if (Volume->FsInfoSector == 0 || Volume->FsInfoSector >= Reserved) {
            Volume->FsInfoSector = 0;      /* none (0xFFFF says so too) */
        }
        if (Boot[BS32_BOOT_SIG] == FAT_EXTENDED_BOOT_SIGNATURE) {
            Volume->SerialNumber = FatpGet32(Boot + BS32_VOLUME_ID);
            FatpCopyLabel(Volume, Boot + BS32_VOLUME_LABEL);
        }
    } else if (Boot[BS16_BOOT_SIG] == FAT_EXTENDED_BOOT_SIGNATURE) {
        Volume->SerialNumber = FatpGet32(Boot + BS16_VOLUME_ID);
        FatpCopyLabel(Volume, Boot + BS16_VOLUME_LABEL);
    }
    return STATUS_SUCCESS;
}

/* ---- FSInfo: used when its three signatures are right, else ignored for good ---- */

static NTSTATUS FatpLoadFsInfo(PFAT_VOLUME Volume)
{
    PUCHAR Sector = Volume->Scratch;
    ULONG Next;
    NTSTATUS Status;

    if (Volume->FsInfoSector == 0) {
        return STATUS_SUCCESS;
    }
    Status = FatpReadSectors(Volume, Volume->FsInfoSector, 1, Sector);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (FatpGet32(Sector + FSI_LEAD_OFFSET) != FSI_LEAD_SIGNATURE ||
        FatpGet32(Sector + FSI_STRUC_OFFSET) != FSI_STRUC_SIGNATURE ||
        FatpGet32(Sector + FSI_TRAIL_OFFSET) != FSI_TRAIL_SIGNATURE) {
        Volume->FsInfoSector = 0;
        return STATUS_SUCCESS;
    }
    Volume->FsInfoFree = FatpGet32(Sector + FSI_FREE_COUNT);
    Volume->FsInfoNext = FatpGet32(Sector + FSI_NEXT_FREE);
    /* Only a hint: where the last allocation ended. The free count was counted. */
    Next = Volume->FsInfoNext + 1;
    if (FatpIsValidCluster(Volume, Next)) {
        Volume->NextFree = Next;
    }
    return STATUS_SUCCESS;
}

/* Rewrites FSInfo when what it says is no longer true (called by FatpFlushFat). */
NTSTATUS FatpUpdateFsInfo(PFAT_VOLUME Volume)
{
    PUCHAR Sector = Volume->Scratch;
    ULONG Last = Volume->NextFree > FAT_FIRST_CLUSTER ? Volume->NextFree - 1 : FSI_UNKNOWN;
    NTSTATUS Status;

    if (Volume->FsInfoSector == 0 || Volume->ReadOnly ||
        (Volume->FsInfoFree == Volume->FreeClusters && Volume->FsInfoNext == Last)) {
        return STATUS_SUCCESS;
    }
    Status = FatpReadSectors(Volume, Volume->FsInfoSector, 1, Sector);
    if (NT_SUCCESS(Status)) {
        FatpPut32(Sector + FSI_FREE_COUNT, Volume->FreeClusters);
        FatpPut32(Sector + FSI_NEXT_FREE, Last);
        Status = FatpWriteSectors(Volume, Volume->FsInfoSector, 1, Sector);
    }
    if (NT_SUCCESS(Status)) {
        Volume->FsInfoFree = Volume->FreeClusters;
        Volume->FsInfoNext = Last;
    }
    return Status;
}

/* ---- mount and dismount ---- */

static VOID FatpFreeVolume(PFAT_VOLUME Volume)
{
    if (Volume->RootFcb != NULL) {
        FatpFree(Volume, Volume->RootFcb);
    }
    if (Volume->FatWindow != NULL) {
        FatpFree(Volume, Volume->FatWindow);   /* the four sector buffers are one block */
    }
    FatpFree(Volume, Volume);
}

NTSTATUS FatMount(const FAT_MOUNT_PARAMETERS *Parameters, PFAT_VOLUME *Result)
{
    PFAT_VOLUME Volume;
    PUCHAR Boot, Buffers;
    ULONG SectorSize;
    NTSTATUS Status;

    if (Result == NULL || Parameters == NULL || Parameters->ReadSectors == NULL ||
        Parameters->Allocator.Allocate == NULL || Parameters->Allocator.Free == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    *Result = NULL;
    SectorSize = Parameters->SectorSize ? Parameters->SectorSize : 512;
    if (!FatpIsPowerOfTwo(SectorSize) || SectorSize < 512 || SectorSize > 4096) {
        return STATUS_INVALID_PARAMETER;
    }
    Volume = Parameters->Allocator.Allocate(Parameters->Allocator.Context, sizeof(*Volume));
    if (Volume == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memset(Volume, 0, sizeof(*Volume));
    Volume->Parameters = *Parameters;
    Volume->Parameters.SectorSize = SectorSize;

    Boot = FatpAllocate(Volume, SectorSize);
    if (Boot == NULL) {
        FatpFree(Volume, Volume);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Status = Parameters->ReadSectors(Parameters->DeviceContext, 0, 1, Boot);
    if (NT_SUCCESS(Status)) {
        Status = FatpParseBootSector(Volume, Boot);
    }
    FatpFree(Volume, Boot);
    if (!NT_SUCCESS(Status)) {
        FatpFree(Volume, Volume);
        return Status;
    }

    Buffers = FatpAllocate(Volume, 4 * Volume->BytesPerSector);
    if (Buffers == NULL) {
        FatpFree(Volume, Volume);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Volume->FatWindow = Buffers;
    Volume->DirectoryBuffer = Buffers + Volume->BytesPerSector;
    Volume->Scratch = Buffers + 2 * Volume->BytesPerSector;
    Volume->Zeros = Buffers + 3 * Volume->BytesPerSector;
    memset(Volume->Zeros, 0, Volume->BytesPerSector);
    Volume->FatWindowSector = FAT_NO_SECTOR;
    Volume->DirectorySector = FAT_NO_SECTOR;
    Volume->DirectoryHintFirst = FAT_NO_SECTOR;
    Volume->NextFree = FAT_FIRST_CLUSTER;
    /* FAT12 is read-only here: its 12-bit entries straddle sectors, and nobody needs it. */
    Volume->ReadOnly = Parameters->WriteSectors == NULL || Volume->FatType == 12;

    Status = FatpCountFreeClusters(Volume);
    if (NT_SUCCESS(Status)) {
        Status = FatpLoadFsInfo(Volume);
    }
    if (NT_SUCCESS(Status)) {
        Volume->RootFcb = FatpCreateRootFcb(Volume);
        if (Volume->RootFcb == NULL) {
            Status = STATUS_INSUFFICIENT_RESOURCES;
        }
    }
    if (NT_SUCCESS(Status)) {
        Status = FatpFlushFat(Volume);     /* makes FSInfo honest if it was not */
    }
    if (!NT_SUCCESS(Status)) {
        FatpFreeVolume(Volume);
        return Status;
    }
    *Result = Volume;
    return STATUS_SUCCESS;
}

NTSTATUS FatDismount(PFAT_VOLUME Volume)
{
    NTSTATUS Status;

    if (Volume->FcbCount != 0 || Volume->RootFcb->ReferenceCount != 0) {
        return STATUS_DEVICE_BUSY;
    }
    Status = FatpFlushFat(Volume);
    FatpFreeVolume(Volume);
    return Status;
}

NTSTATUS FatFlush(PFAT_VOLUME Volume)
{
    return FatpFlushFat(Volume);
}

VOID FatQueryVolumeInformation(PFAT_VOLUME Volume, PFAT_VOLUME_INFORMATION Information)
{
    memset(Information, 0, sizeof(*Information));
    Information->FatType = Volume->FatType;
    Information->BytesPerSector = Volume->BytesPerSector;
    Information->SectorsPerCluster = Volume->SectorsPerCluster;
    Information->TotalClusters = Volume->ClusterCount;
    Information->FreeClusters = Volume->FreeClusters;
    Information->SerialNumber = Volume->SerialNumber;
    Information->ReadOnly = Volume->ReadOnly;
    memcpy(Information->Label, Volume->Label, sizeof(Information->Label));
}

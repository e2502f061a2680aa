/*
 * fsdvol.c - IRP_MJ_QUERY_VOLUME_INFORMATION on a FAT volume (NT: fastfat's
 * volinfo.c, FatCommonQueryVolumeInfo): FileFsVolumeInformation,
 * FileFsSizeInformation and FileFsAttributeInformation from
 * FatQueryVolumeInformation. As in fastfat, a name or label that does not fit is
 * cut short with STATUS_BUFFER_OVERFLOW; the fixed part must fit (the I/O manager
 * checks it first). Other classes: STATUS_INVALID_PARAMETER, as fastfat answers.
 */
#include "fsdp.h"

/* fastfat's answer: names keep their case, and long names are UTF-16 on disk. */
#define FATP_FILE_SYSTEM_ATTRIBUTES (FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK)

/* Copies Source (Count characters, ASCII) as UTF-16 into at most Room bytes. */
static ULONG FatpCopyName(PWCHAR Destination, PCSTR Source, ULONG Count, ULONG Room)
{
    ULONG Index;

    for (Index = 0; Index < Count && (Index + 1) * sizeof(WCHAR) <= Room; Index++)
        Destination[Index] = (UCHAR)Source[Index];
    return Index * sizeof(WCHAR);
}

static NTSTATUS FatpQueryVolume(PFATP_VCB Vcb, PIRP Irp, PULONG_PTR Information)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    FS_INFORMATION_CLASS Class = Stack->Parameters.QueryVolume.FsInformationClass;
    ULONG Length = Stack->Parameters.QueryVolume.Length, Header, NameLength, Copied;
    PVOID Buffer = Irp->AssociatedIrp.SystemBuffer;
    FAT_VOLUME_INFORMATION Volume;
    PCSTR Name;

    if (Class == FileFsVolumeInformation)
        Header = FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel);
    else if (Class == FileFsSizeInformation)
        Header = sizeof(FILE_FS_SIZE_INFORMATION);
    else if (Class == FileFsAttributeInformation)
        Header = FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName);
    else
        return STATUS_INVALID_PARAMETER;
    if (Length < Header)
        return STATUS_INFO_LENGTH_MISMATCH;
    FatpAcquireVcb(Vcb);
    FatQueryVolumeInformation(Vcb->Volume, &Volume);
    FatpReleaseVcb(Vcb);
    memset(Buffer, 0, Header);

    if (Class == FileFsSizeInformation) {
        PFILE_FS_SIZE_INFORMATION Size = Buffer;
        Size->TotalAllocationUnits.QuadPart = Volume.TotalClusters;
        Size->AvailableAllocationUnits.QuadPart = Volume.FreeClusters;
        Size->SectorsPerAllocationUnit = Volume.SectorsPerCluster;
        Size->BytesPerSector = Volume.BytesPerSector;
        *Information = sizeof(*Size);
        return STATUS_SUCCESS;
    }
    if (Class == FileFsAttributeInformation) {
        PFILE_FS_ATTRIBUTE_INFORMATION Attribute = Buffer;
        /* fastfat says "FAT32" on FAT32, "FAT" on the others. */
        Name = Volume.FatType == 32 ? "FAT32" : "FAT";
        NameLength = Volume.FatType == 32 ? 5 : 3;
        Attribute->FileSystemAttributes = FATP_FILE_SYSTEM_ATTRIBUTES;
        Attribute->MaximumComponentNameLength = FAT_MAX_NAME_LENGTH;
        Attribute->FileSystemNameLength = NameLength * sizeof(WCHAR);
        Copied = FatpCopyName(Attribute->FileSystemName, Name, NameLength, Length - Header);
    } else {
        PFILE_FS_VOLUME_INFORMATION VolumeInformation = Buffer;
        /* FAT keeps no creation time of the volume: 0, as fastfat reports it. */
        for (NameLength = 0; NameLength < sizeof(Volume.Label) && Volume.Label[NameLength] != 0; NameLength++)
            ;
        VolumeInformation->VolumeSerialNumber = Volume.SerialNumber;
        VolumeInformation->VolumeLabelLength = NameLength * sizeof(WCHAR);
        Copied = FatpCopyName(VolumeInformation->VolumeLabel, Volume.Label, NameLength, Length - Header);
    }
    *Information = Header + Copied;
    return Copied < NameLength * sizeof(WCHAR) ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

NTSTATUS FatFsdQueryVolumeInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFATP_VCB Vcb = DeviceObject->DeviceExtension;
    ULONG_PTR Information = 0;
    NTSTATUS Status = STATUS_INVALID_DEVICE_REQUEST;

    if (Vcb != NULL)
        Status = FatpQueryVolume(Vcb, Irp, &Information);
    return FatpComplete(Irp, Status, Information);
}

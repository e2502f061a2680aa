/*
 * ramvol.c - \Driver\RamDisk: the boot volume (ramdisk.c) as the device
 * \Device\HarddiskVolume1 (NT: ramdisk.sys and, for opens of the volume itself,
 * the RAW file system's volume access). Opened with no name after it, the volume
 * is read and written raw: whole sectors at sector-aligned offsets.
 */
#include "iop.h"
#include <ramdisk.h>

PDEVICE_OBJECT IopBootVolumeDevice;

typedef struct _IOP_RAMDISK_EXTENSION {
    PRAMDISK Disk;
    SHARE_ACCESS ShareAccess;       /* the raw opens of the volume */
} IOP_RAMDISK_EXTENSION, *PIOP_RAMDISK_EXTENSION;

/*
 * A read or write of the volume. Offset and length must be multiples of the
 * sector (STATUS_INVALID_PARAMETER, as NT's disk drivers say); a transfer that
 * starts at or past the end is STATUS_END_OF_FILE, one that crosses it is cut at
 * the end (NT's RAW volume access does both the same way).
 */
static NTSTATUS IopRamDiskTransfer(PRAMDISK Disk, PIO_STACK_LOCATION Stack, PIRP Irp, PULONG_PTR Information)
{
    LARGE_INTEGER Offset = Stack->Parameters.Read.ByteOffset;
    ULONG Length = Stack->Parameters.Read.Length, Sectors, First;

    /* 32-bit arithmetic only (no 64-bit division in the kernel): the volume is
       smaller than 4 GB, so any offset with a high part is past its end. */
    if (Offset.HighPart < 0 || Offset.LowPart % RAMDISK_SECTOR_SIZE != 0 || Length % RAMDISK_SECTOR_SIZE != 0)
        return STATUS_INVALID_PARAMETER;
    if (Offset.HighPart != 0 || Offset.LowPart >= Disk->Length)
        return STATUS_END_OF_FILE;
    if (Length == 0)
        return STATUS_SUCCESS;
    First = Offset.LowPart / RAMDISK_SECTOR_SIZE;
    Sectors = Length / RAMDISK_SECTOR_SIZE;
    if (Sectors > Disk->SectorCount - First)
        Sectors = Disk->SectorCount - First;
    *Information = Sectors * RAMDISK_SECTOR_SIZE;
    if (Stack->MajorFunction == IRP_MJ_READ)
        return IoReadRamDisk(Disk, First, Sectors, Irp->AssociatedIrp.SystemBuffer);
    return IoWriteRamDisk(Disk, First, Sectors, Irp->AssociatedIrp.SystemBuffer);
}

static NTSTATUS IopRamDiskDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIOP_RAMDISK_EXTENSION Extension = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG_PTR Information = 0;
    KIRQL OldIrql;

    switch (Stack->MajorFunction) {
    case IRP_MJ_CREATE:
        /* Only the volume itself reaches here (names inside it go to the file
           system). Its raw opens share it as files do; the check and the count are
           one step at DISPATCH_LEVEL, so two opens cannot both pass. */
        OldIrql = KeRaiseIrqlToDpcLevel();
        Status = IoCheckShareAccess(Stack->FileObject, &Extension->ShareAccess, TRUE);
        KeLowerIrql(OldIrql);
        if (NT_SUCCESS(Status))
            Information = FILE_OPENED;
        break;
    case IRP_MJ_CLEANUP:
        OldIrql = KeRaiseIrqlToDpcLevel();
        IoRemoveShareAccess(Stack->FileObject, &Extension->ShareAccess);
        KeLowerIrql(OldIrql);
        break;
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        Status = IopRamDiskTransfer(Extension->Disk, Stack, Irp, &Information);
        if (!NT_SUCCESS(Status))
            Information = 0;
        break;
    case IRP_MJ_QUERY_INFORMATION:
        Status = IopQueryDeviceStandardInformation(Irp, Extension->Disk->Length, &Information);
        break;
    default:    /* CLOSE; FLUSH_BUFFERS: the RAM is the disk, nothing waits */
        break;
    }
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS IopRamDiskDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PIOP_RAMDISK_EXTENSION Extension;
    PDEVICE_OBJECT Device;
    UNICODE_STRING Name;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_CREATE] = IopRamDiskDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = IopRamDiskDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = IopRamDiskDispatch;
    DriverObject->MajorFunction[IRP_MJ_READ] = IopRamDiskDispatch;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = IopRamDiskDispatch;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = IopRamDiskDispatch;
    DriverObject->MajorFunction[IRP_MJ_QUERY_INFORMATION] = IopRamDiskDispatch;
    IopInitUnicodeString(&Name, u"\\Device\\HarddiskVolume1");
    Status = IoCreateDevice(DriverObject, sizeof(IOP_RAMDISK_EXTENSION), &Name, FILE_DEVICE_DISK, 0, FALSE,
                            &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Extension = Device->DeviceExtension;
    Extension->Disk = IoGetBootVolume();
    Device->AlignmentRequirement = 0;
    IopBootVolumeDevice = Device;       /* for IoInitSystem's mount */
    return STATUS_SUCCESS;
}

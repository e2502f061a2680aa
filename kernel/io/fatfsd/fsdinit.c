/*
 * fsdinit.c - \FileSystem\Fastfat's entry and mounting (NT: fastfat's FatInitialize
 * in fatinit.c and FatMountVolume in fsctrl.c).
 *
 * The driver makes its control device and registers it (iomount.c). A mount request
 * gives it a disk volume: it makes a volume device, hands kernel/io/fat the volume's
 * sectors through IRPs to the disk volume's device (as NT's file systems read their
 * disks), and fills the VPB. A volume FatMount refuses stays unmounted.
 */
#include "fsdp.h"

NTSTATUS FatpComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = NT_ERROR(Status) ? 0 : Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/*
 * Whole sectors to or from the disk volume, by a read or write IRP of its own (NT's
 * FatReadVolumeFile path ends the same way, in IoCallDriver to the real device).
 * Buffer is the IRP's system buffer: the pool or stack of this driver, non-paged.
 */
static NTSTATUS FatpSectorTransfer(PFATP_VCB Vcb, UCHAR MajorFunction, ULONG FirstSector, ULONG SectorCount,
                                   PVOID Buffer)
{
    PDEVICE_OBJECT Device = Vcb->RealDevice;
    ULONG SectorSize = Device->SectorSize != 0 ? Device->SectorSize : 512;
    PIO_STACK_LOCATION Stack;
    NTSTATUS Status;
    KEVENT Event;
    PIRP Irp;

    if (SectorCount == 0 || SectorCount > 0xFFFFFFFFUL / SectorSize)
        return STATUS_INVALID_PARAMETER;
    Irp = IoAllocateIrp(Device->StackSize, FALSE);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    Irp->RequestorMode = KernelMode;
    Irp->UserEvent = &Event;
    Irp->AssociatedIrp.SystemBuffer = Buffer;
    Irp->IoStatus.Status = STATUS_PENDING;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = MajorFunction;
    Stack->Parameters.Read.Length = SectorCount * SectorSize;
    Stack->Parameters.Read.ByteOffset.QuadPart = (LONGLONG)FirstSector * SectorSize;
    Status = IoCallDriver(Device, Irp);
    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL);
        Status = Irp->IoStatus.Status;
    }
    /* A transfer cut at the end of the disk is a failure for a file system. */
    if (NT_SUCCESS(Status) && Irp->IoStatus.Information != Stack->Parameters.Read.Length)
        Status = STATUS_END_OF_FILE;
    IoFreeIrp(Irp);
    return Status;
}

static NTSTATUS FatpReadSectors(PVOID Context, ULONG FirstSector, ULONG SectorCount, PVOID Buffer)
{
    return FatpSectorTransfer(Context, IRP_MJ_READ, FirstSector, SectorCount, Buffer);
}

static NTSTATUS FatpWriteSectors(PVOID Context, ULONG FirstSector, ULONG SectorCount, const VOID *Buffer)
{
    return FatpSectorTransfer(Context, IRP_MJ_WRITE, FirstSector, SectorCount, (PVOID)Buffer);
}

static PVOID FatpAllocate(PVOID Context, SIZE_T Size)
{
    UNREFERENCED_PARAMETER(Context);
    return ExAllocatePoolWithTag(NonPagedPool, Size, FATP_POOL_TAG);
}

static VOID FatpFree(PVOID Context, PVOID Block)
{
    UNREFERENCED_PARAMETER(Context);
    ExFreePoolWithTag(Block, FATP_POOL_TAG);
}

static VOID FatpQueryTime(PVOID Context, PLARGE_INTEGER CurrentTime)
{
    UNREFERENCED_PARAMETER(Context);
    KeQuerySystemTime(CurrentTime);
}

/* NT: FatMountVolume. The VPB gets the volume device, the label and the serial. */
static NTSTATUS FatpMountVolume(PDRIVER_OBJECT Driver, PVPB Vpb, PDEVICE_OBJECT RealDevice)
{
    FAT_VOLUME_INFORMATION Information;
    FAT_MOUNT_PARAMETERS Parameters;
    PDEVICE_OBJECT VolumeDevice;
    PFATP_VCB Vcb;
    NTSTATUS Status;
    ULONG Index;

    if (Vpb == NULL || RealDevice == NULL || (Vpb->Flags & VPB_MOUNTED))
        return STATUS_UNRECOGNIZED_VOLUME;
    Status = IoCreateDevice(Driver, sizeof(FATP_VCB), NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE,
                            &VolumeDevice);
    if (!NT_SUCCESS(Status))
        return Status;
    Vcb = VolumeDevice->DeviceExtension;
    Vcb->RealDevice = RealDevice;
    KeInitializeEvent(&Vcb->Lock, SynchronizationEvent, TRUE);

    memset(&Parameters, 0, sizeof(Parameters));
    Parameters.ReadSectors = FatpReadSectors;
    Parameters.WriteSectors = FatpWriteSectors;
    Parameters.DeviceContext = Vcb;
    Parameters.SectorSize = RealDevice->SectorSize;     /* 0 means 512 to FatMount */
    Parameters.Allocator.Allocate = FatpAllocate;
    Parameters.Allocator.Free = FatpFree;
    Parameters.QuerySystemTime = FatpQueryTime;
    Status = FatMount(&Parameters, &Vcb->Volume);
    if (!NT_SUCCESS(Status)) {
        IoDeleteDevice(VolumeDevice);
        return Status;
    }

    /* This driver builds its own IRPs for the disk; the +1 is NT's rule for a
       device stacked on another, kept so a request could be passed down. */
    VolumeDevice->StackSize = (CCHAR)(RealDevice->StackSize + 1);
    FatQueryVolumeInformation(Vcb->Volume, &Information);
    Vpb->SerialNumber = Information.SerialNumber;
    for (Index = 0; Index < sizeof(Information.Label) && Information.Label[Index] != 0; Index++)
        Vpb->VolumeLabel[Index] = (UCHAR)Information.Label[Index];
    Vpb->VolumeLabelLength = (USHORT)(Index * sizeof(WCHAR));
    /* The volume device keeps no Vpb pointer (NT's does): IoDeleteDevice frees a
       device's VPB, and this one stays the disk volume's. */
    Vpb->DeviceObject = VolumeDevice;
    Vpb->Flags |= VPB_MOUNTED;
    DbgPrint("Fastfat: mounted FAT%lu volume \"%s\", serial %08lX, %lu of %lu clusters free\n",
             Information.FatType, Information.Label, Information.SerialNumber, Information.FreeClusters,
             Information.TotalClusters);
    return STATUS_SUCCESS;
}

NTSTATUS FatFsdFileSystemControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status = STATUS_INVALID_DEVICE_REQUEST;

    /* Only the control device mounts; no other file-system control exists yet. */
    if (DeviceObject->DeviceExtension == NULL && Stack->MinorFunction == IRP_MN_MOUNT_VOLUME) {
        Status = FatpMountVolume(DeviceObject->DriverObject, Stack->Parameters.MountVolume.Vpb,
                                 Stack->Parameters.MountVolume.DeviceObject);
        if (Status != STATUS_INSUFFICIENT_RESOURCES && !NT_SUCCESS(Status))
            Status = STATUS_UNRECOGNIZED_VOLUME;
    }
    return FatpComplete(Irp, Status, 0);
}

NTSTATUS FatFsdDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT ControlDevice;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_CREATE] = FatFsdCreate;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = FatFsdCleanup;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = FatFsdClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = FatFsdRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = FatFsdWrite;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = FatFsdFlushBuffers;
    DriverObject->MajorFunction[IRP_MJ_QUERY_INFORMATION] = FatFsdQueryInformation;
    DriverObject->MajorFunction[IRP_MJ_SET_INFORMATION] = FatFsdSetInformation;
    DriverObject->MajorFunction[IRP_MJ_QUERY_VOLUME_INFORMATION] = FatFsdQueryVolumeInformation;
    DriverObject->MajorFunction[IRP_MJ_DIRECTORY_CONTROL] = FatFsdDirectoryControl;
    DriverObject->MajorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = FatFsdFileSystemControl;
    /* Unnamed: nothing opens the control device by name yet (NT calls it \Fat). */
    Status = IoCreateDevice(DriverObject, 0, NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &ControlDevice);
    if (!NT_SUCCESS(Status))
        return Status;
    IoRegisterFileSystem(ControlDevice);
    return STATUS_SUCCESS;
}

/*
 * iomount.c - file systems and the volumes they mount (NT: IoRegisterFileSystem,
 * IopMountVolume and IoGetRelatedDeviceObject in ntos\io\iosubs.c and fsrtl).
 *
 * A file system registers its control device; mounting a disk volume sends each
 * registered one IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME until one says yes.
 * That file system then fills the volume's VPB (its volume device, VPB_MOUNTED), and
 * names inside the volume go to that device from then on.
 *
 * Differences from NT: the list is a short fixed array (the kernel's built-in file
 * systems only), and the boot volume is mounted once at start-up (ioinit.c), not on
 * its first open; a volume that no file system recognizes stays unmounted.
 */
#include "iop.h"

#define IOP_MAX_FILE_SYSTEMS 4

static PDEVICE_OBJECT IopFileSystems[IOP_MAX_FILE_SYSTEMS];
static ULONG IopFileSystemCount;

VOID IoRegisterFileSystem(PDEVICE_OBJECT DeviceObject)
{
    /* Called only at start-up, from the built-in drivers' entries (phase 1, one thread). */
    if (IopFileSystemCount < IOP_MAX_FILE_SYSTEMS) {
        ObReferenceObject(DeviceObject);
        IopFileSystems[IopFileSystemCount++] = DeviceObject;
    }
}

PDEVICE_OBJECT IoGetRelatedDeviceObject(PFILE_OBJECT FileObject)
{
    if (FileObject->Vpb != NULL && FileObject->Vpb->DeviceObject != NULL)
        return FileObject->Vpb->DeviceObject;
    return FileObject->DeviceObject;
}

/* One mount request to one file system, waited for. */
static NTSTATUS IopSendMount(PDEVICE_OBJECT FileSystem, PDEVICE_OBJECT Device)
{
    PIO_STACK_LOCATION Stack;
    NTSTATUS Status;
    KEVENT Event;
    PIRP Irp;

    Irp = IoAllocateIrp(FileSystem->StackSize, FALSE);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    Irp->RequestorMode = KernelMode;
    Irp->UserEvent = &Event;
    Irp->IoStatus.Status = STATUS_PENDING;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
    Stack->MinorFunction = IRP_MN_MOUNT_VOLUME;
    Stack->Parameters.MountVolume.Vpb = Device->Vpb;
    Stack->Parameters.MountVolume.DeviceObject = Device;
    Status = IoCallDriver(FileSystem, Irp);
    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(&Event, Executive, KernelMode, FALSE, NULL);
        Status = Irp->IoStatus.Status;
    }
    IoFreeIrp(Irp);
    return Status;
}

NTSTATUS IopMountVolume(PDEVICE_OBJECT Device)
{
    NTSTATUS Status = STATUS_UNRECOGNIZED_VOLUME;
    ULONG Index;

    if (Device->Vpb == NULL)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (Device->Vpb->Flags & VPB_MOUNTED)
        return STATUS_SUCCESS;
    for (Index = 0; Index < IopFileSystemCount; Index++) {
        Status = IopSendMount(IopFileSystems[Index], Device);
        if (NT_SUCCESS(Status) && (Device->Vpb->Flags & VPB_MOUNTED))
            return STATUS_SUCCESS;
    }
    /* Whatever each one said (not FAT, corrupt, no memory), nobody mounted it. */
    return STATUS_UNRECOGNIZED_VOLUME;
}

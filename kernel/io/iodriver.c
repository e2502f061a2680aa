/*
 * iodriver.c - driver and device objects: a built-in driver's object and its
 * dispatch table, its devices, and their deletion (NT: IoCreateDriver,
 * IoCreateDevice, IoDeleteDevice in ntos\io\iosubs.c and internal.c).
 *
 * A device holds a reference to its driver; a file object holds one to its device
 * (and counts itself in ReferenceCount). The driver's list of devices holds the
 * device's creation reference, which IoDeleteDevice gives back: the memory goes
 * when the last file object open on the device goes.
 */
#include "iop.h"

NTSTATUS IoCreateDriver(PUNICODE_STRING DriverName, PDRIVER_INITIALIZE InitializationFunction)
{
    OBJECT_ATTRIBUTES Attributes;
    PDRIVER_OBJECT Driver;
    PWSTR NameBuffer;
    NTSTATUS Status;
    ULONG Index;

    NameBuffer = ExAllocatePoolWithTag(PagedPool, DriverName->Length + sizeof(WCHAR), IOP_NAME_TAG);
    if (NameBuffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(NameBuffer, DriverName->Buffer, DriverName->Length);
    NameBuffer[DriverName->Length / sizeof(WCHAR)] = 0;

    /* Permanent: a built-in driver is never unloaded. */
    InitializeObjectAttributes(&Attributes, DriverName, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = ObCreateObject(KernelMode, IoDriverObjectType, &Attributes, KernelMode, NULL,
                            sizeof(DRIVER_OBJECT) + sizeof(DRIVER_EXTENSION), 0, 0, (PVOID *)&Driver);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(NameBuffer, IOP_NAME_TAG);
        return Status;
    }
    Driver->Type = IO_TYPE_DRIVER;
    Driver->Size = sizeof(DRIVER_OBJECT);
    Driver->DriverExtension = (PDRIVER_EXTENSION)(Driver + 1);
    Driver->DriverExtension->DriverObject = Driver;
    Driver->DriverName.Buffer = NameBuffer;
    Driver->DriverName.Length = DriverName->Length;
    Driver->DriverName.MaximumLength = (USHORT)(DriverName->Length + sizeof(WCHAR));
    Driver->DriverInit = InitializationFunction;
    for (Index = 0; Index <= IRP_MJ_MAXIMUM_FUNCTION; Index++)
        Driver->MajorFunction[Index] = IopInvalidDeviceRequest;

    /* Named without a handle: the creation reference stays ours. */
    Status = ObInsertObject(Driver, NULL, FILE_ALL_ACCESS, 0, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;                  /* deleted (and its name freed) by ObInsertObject */
    Status = InitializationFunction(Driver, NULL);      /* no registry: no service key */
    if (!NT_SUCCESS(Status))
        ObMakeTemporaryObject(Driver);  /* its name goes; the devices it made keep it alive */
    ObDereferenceObject(Driver);
    return Status;
}

VOID IopDeleteDriver(PVOID Object)
{
    PDRIVER_OBJECT Driver = Object;

    if (Driver->DriverName.Buffer != NULL)
        ExFreePoolWithTag(Driver->DriverName.Buffer, IOP_NAME_TAG);
}

NTSTATUS IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
                        ULONG DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                        PDEVICE_OBJECT *DeviceObject)
{
    OBJECT_ATTRIBUTES Attributes;
    PDEVICE_OBJECT Device;
    ULONG ExtensionSize = (DeviceExtensionSize + 7) & ~7UL;
    NTSTATUS Status;
    KIRQL OldIrql;
    PVPB Vpb = NULL;

    *DeviceObject = NULL;
    if (DeviceExtensionSize > 0x10000)
        return STATUS_INVALID_PARAMETER;
    /* Disk volumes get the block a file system will mount them through. */
    if (DeviceType == FILE_DEVICE_DISK) {
        Vpb = ExAllocatePoolWithTag(NonPagedPool, sizeof(VPB), IOP_VPB_TAG);
        if (Vpb == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        memset(Vpb, 0, sizeof(VPB));
        Vpb->Type = IO_TYPE_VPB;
        Vpb->Size = sizeof(VPB);
    }

    /* A named device keeps its name until IoDeleteDevice (NT: OBJ_PERMANENT too). */
    InitializeObjectAttributes(&Attributes, DeviceName,
                               (DeviceName != NULL ? OBJ_PERMANENT : 0) | OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = ObCreateObject(KernelMode, IoDeviceObjectType, &Attributes, KernelMode, NULL,
                            sizeof(DEVICE_OBJECT) + ExtensionSize, 0, 0, (PVOID *)&Device);
    if (!NT_SUCCESS(Status)) {
        if (Vpb != NULL)
            ExFreePoolWithTag(Vpb, IOP_VPB_TAG);
        return Status;
    }
    Device->Type = IO_TYPE_DEVICE;
    Device->Size = (USHORT)(sizeof(DEVICE_OBJECT) + ExtensionSize);
    Device->DriverObject = DriverObject;
    ObReferenceObject(DriverObject);
    Device->Flags = DO_BUFFERED_IO | (Exclusive ? DO_EXCLUSIVE : 0);
    Device->Characteristics = DeviceCharacteristics;
    Device->DeviceType = DeviceType;
    Device->StackSize = 1;
    Device->DeviceExtension = ExtensionSize != 0 ? (PVOID)(Device + 1) : NULL;
    Device->Vpb = Vpb;
    if (Vpb != NULL) {
        Vpb->RealDevice = Device;
        Device->SectorSize = 512;
    }
    KeInitializeEvent(&Device->DeviceLock, SynchronizationEvent, TRUE);

    Status = ObInsertObject(Device, NULL, FILE_ALL_ACCESS, 0, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;                  /* deleted: IopDeleteDevice gave back the rest */

    /* The driver's list; NT guards it with IopDatabaseLock (a spin lock). */
    KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
    Device->NextDevice = DriverObject->DeviceObject;
    DriverObject->DeviceObject = Device;
    KeLowerIrql(OldIrql);
    *DeviceObject = Device;
    return STATUS_SUCCESS;
}

VOID IoDeleteDevice(PDEVICE_OBJECT DeviceObject)
{
    PDRIVER_OBJECT Driver = DeviceObject->DriverObject;
    PDEVICE_OBJECT *Link;
    KIRQL OldIrql;

    KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
    DeviceObject->Flags |= DO_DEVICE_DELETE_PENDING;    /* no new opens */
    for (Link = &Driver->DeviceObject; *Link != NULL; Link = &(*Link)->NextDevice) {
        if (*Link == DeviceObject) {
            *Link = DeviceObject->NextDevice;
            break;
        }
    }
    KeLowerIrql(OldIrql);
    ObMakeTemporaryObject(DeviceObject);    /* the name goes now: it has no handles */
    ObDereferenceObject(DeviceObject);
}

VOID IopDeleteDevice(PVOID Object)
{
    PDEVICE_OBJECT Device = Object;

    if (Device->Vpb != NULL)
        ExFreePoolWithTag(Device->Vpb, IOP_VPB_TAG);
    if (Device->DriverObject != NULL)
        ObDereferenceObject(Device->DriverObject);
}

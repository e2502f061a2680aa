/*
 * iodriver.c - self-test of a driver's life (IO_DRIVER_LIFE): a driver made with
 * IoCreateDriver whose device completes reads later, from a timer DPC, after
 * answering STATUS_PENDING (the requester waits it out); the IRP_MJ_* it is sent
 * for an open and a close; IoDeleteDevice while a file is still open on the
 * device (the name goes at once, the device when the file goes); and all of it
 * given back, the driver object included.
 */
#include "exobjtest.h"
#include <io.h>

typedef struct _KST_PENDING_DEVICE {
    KTIMER Timer;
    KDPC Dpc;
    PIRP Irp;                       /* the read waiting for the timer */
    ULONG Calls[IRP_MJ_MAXIMUM_FUNCTION + 1];
} KST_PENDING_DEVICE;

static KST_PENDING_DEVICE *KstPending;

/* At DISPATCH_LEVEL: the driver finishes the read it left pending. */
static VOID KstCompleteLater(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    KST_PENDING_DEVICE *Extension = Context;
    PIRP Irp = Extension->Irp;
    ULONG Length = IoGetCurrentIrpStackLocation(Irp)->Parameters.Read.Length;

    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    Extension->Irp = NULL;
    memset(Irp->AssociatedIrp.SystemBuffer, 'P', Length);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = Length;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

static NTSTATUS KstPendingDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KST_PENDING_DEVICE *Extension = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);

    Extension->Calls[Stack->MajorFunction]++;
    if (Stack->MajorFunction == IRP_MJ_READ) {
        Extension->Irp = Irp;
        KeSetTimer(&Extension->Timer, KstTicks(2), &Extension->Dpc);
        return STATUS_PENDING;
    }
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = Stack->MajorFunction == IRP_MJ_CREATE ? FILE_OPENED : 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static NTSTATUS KstPendingEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT Device;
    UNICODE_STRING Name;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_CREATE] = KstPendingDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = KstPendingDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = KstPendingDispatch;
    DriverObject->MajorFunction[IRP_MJ_READ] = KstPendingDispatch;
    Name.Buffer = (PWSTR)u"\\Device\\KstPending";
    Name.Length = sizeof(u"\\Device\\KstPending") - sizeof(WCHAR);
    Name.MaximumLength = sizeof(u"\\Device\\KstPending");
    Status = IoCreateDevice(DriverObject, sizeof(KST_PENDING_DEVICE), &Name, FILE_DEVICE_NULL, 0, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    KstPending = Device->DeviceExtension;
    KeInitializeTimer(&KstPending->Timer);
    KeInitializeDpc(&KstPending->Dpc, KstCompleteLater, KstPending);
    return STATUS_SUCCESS;
}

static NTSTATUS KstDriverLife(VOID)
{
    ULONG Files = IoFileObjectType->TotalNumberOfObjects, Devices = IoDeviceObjectType->TotalNumberOfObjects;
    ULONG Drivers = IoDriverObjectType->TotalNumberOfObjects;
    OBJECT_ATTRIBUTES Attributes;
    KST_EX_BASELINE Baseline;
    UNICODE_STRING Name, DriverName;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    PDRIVER_OBJECT Driver;
    PDEVICE_OBJECT Device;
    UCHAR Buffer[16];
    HANDLE File, Again;

    KstExTakeBaseline(&Baseline);
    DriverName.Buffer = (PWSTR)u"\\Driver\\KstPending";
    DriverName.Length = sizeof(u"\\Driver\\KstPending") - sizeof(WCHAR);
    DriverName.MaximumLength = sizeof(u"\\Driver\\KstPending");
    KST_CHECK(IoCreateDriver(&DriverName, KstPendingEntry) == STATUS_SUCCESS);
    KST_CHECK(ObReferenceObjectByName(&DriverName, OBJ_CASE_INSENSITIVE, NULL, 0, IoDriverObjectType, KernelMode,
                                      NULL, (PVOID *)&Driver) == STATUS_SUCCESS);
    Device = Driver->DeviceObject;
    KST_CHECK(Device != NULL && Device->DriverObject == Driver && Device->DeviceExtension == KstPending);
    KST_CHECK(Driver->MajorFunction[IRP_MJ_WRITE] != NULL);     /* the default: invalid request */

    KstExAttributes(&Attributes, &Name, u"\\Device\\KstPending", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtCreateFile(&File, FILE_GENERIC_READ | FILE_GENERIC_WRITE, &Attributes, &Iosb, NULL, 0, 0,
                           FILE_OPEN, 0, NULL, 0) == STATUS_SUCCESS);
    KST_CHECK(KstPending->Calls[IRP_MJ_CREATE] == 1 && Device->ReferenceCount == 1);

    /* The driver says STATUS_PENDING; the service waits for its DPC to complete it. */
    memset(Buffer, 0, sizeof(Buffer));
    Offset.QuadPart = 0;
    KST_CHECK(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer), &Offset, NULL) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Status == STATUS_SUCCESS && Iosb.Information == sizeof(Buffer));
    KST_CHECK(Buffer[0] == 'P' && Buffer[sizeof(Buffer) - 1] == 'P' && KstPending->Irp == NULL);
    KST_CHECK(NtWriteFile(File, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer), &Offset, NULL) ==
              STATUS_INVALID_DEVICE_REQUEST);

    /* Deleted with a file open: the name goes now, the device stays for the file. */
    IoDeleteDevice(Device);
    KST_CHECK(Driver->DeviceObject == NULL);
    KST_CHECK(NtCreateFile(&Again, FILE_GENERIC_READ, &Attributes, &Iosb, NULL, 0, 0, FILE_OPEN, 0, NULL, 0) ==
              STATUS_OBJECT_NAME_NOT_FOUND);
    KST_CHECK(NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer), &Offset, NULL) == STATUS_SUCCESS);
    KST_CHECK(IoDeviceObjectType->TotalNumberOfObjects == Devices + 1);
    KST_CHECK(KstPending->Calls[IRP_MJ_CLEANUP] == 0);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);
    /* (The extension is gone with the device now: its counts cannot be read.) */
    KST_CHECK(IoDeviceObjectType->TotalNumberOfObjects == Devices);
    KST_CHECK(IoFileObjectType->TotalNumberOfObjects == Files);

    /* A built-in driver is permanent; the test's goes with its name. */
    ObMakeTemporaryObject(Driver);
    ObDereferenceObject(Driver);
    KST_CHECK(IoDriverObjectType->TotalNumberOfObjects == Drivers);
    return KstExCheckBaseline(&Baseline, "driver life");
}
KSELFTEST(IO_DRIVER_LIFE, KstDriverLife);

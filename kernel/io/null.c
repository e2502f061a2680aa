/*
 * null.c - \Device\Null (NT: the null driver, null.sys): every open succeeds,
 * reads find the end at once, writes take everything and keep nothing.
 */
#include "iop.h"

static NTSTATUS IopNullDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG_PTR Information = 0;

    UNREFERENCED_PARAMETER(DeviceObject);
    switch (Stack->MajorFunction) {
    case IRP_MJ_CREATE:
        Information = FILE_OPENED;
        break;
    case IRP_MJ_READ:
        Status = STATUS_END_OF_FILE;
        break;
    case IRP_MJ_WRITE:
        Information = Stack->Parameters.Write.Length;
        break;
    case IRP_MJ_QUERY_INFORMATION:
        /* An empty file that stays empty. */
        Status = IopQueryDeviceStandardInformation(Irp, 0, &Information);
        break;
    default:    /* CLEANUP, CLOSE, FLUSH_BUFFERS: nothing to do */
        break;
    }
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS IopNullDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT Device;
    UNICODE_STRING Name;

    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_CREATE] = IopNullDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = IopNullDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = IopNullDispatch;
    DriverObject->MajorFunction[IRP_MJ_READ] = IopNullDispatch;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = IopNullDispatch;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = IopNullDispatch;
    DriverObject->MajorFunction[IRP_MJ_QUERY_INFORMATION] = IopNullDispatch;
    IopInitUnicodeString(&Name, u"\\Device\\Null");
    return IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_NULL, FILE_DEVICE_SECURE_OPEN, FALSE, &Device);
}

/*
 * condev.c - \Device\Console: the console as a device that NtReadFile and
 * NtWriteFile reach (NT's condrv.sys, minus the console host it talks to: here
 * the kernel is the host). Programs will get their standard handles on it.
 *
 * Writes go where the kernel's own messages go: the VGA text screen (scrolling,
 * the hardware cursor, the current colour) and COM1, in chunks so that interrupts
 * are never off for long. Reads take the console's input (coninput.c): in cooked
 * mode at most one line, ending "\r\n", as a cooked ReadFile on a Windows console
 * returns it; the reader waits until a line is there.
 */
#include "../iop.h"
#include "con.h"

/* Bytes written with interrupts off at a time: a screenful of text is 2000. */
#define IOP_CON_CHUNK 256

static VOID IopConWrite(const UCHAR *Bytes, ULONG Length)
{
    CHAR Chunk[IOP_CON_CHUNK + 1];
    ULONG Used = 0, Index;

    for (Index = 0; Index < Length; Index++) {
        if (Bytes[Index] != 0)          /* a NUL would end the string early: skipped */
            Chunk[Used++] = (CHAR)Bytes[Index];
        if (Used == IOP_CON_CHUNK || (Index + 1 == Length && Used != 0)) {
            Chunk[Used] = 0;
            KdpWriteString(Chunk);
            Used = 0;
        }
    }
}

static NTSTATUS IopConDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG_PTR Information = 0;
    ULONG Read;

    UNREFERENCED_PARAMETER(DeviceObject);
    switch (Stack->MajorFunction) {
    case IRP_MJ_CREATE:
        /* The device itself; NT's condrv has sub-names (\Reference, \Input...)
           for its host protocol, which has no equivalent here. */
        if (Stack->FileObject->FileName.Length != 0)
            Status = STATUS_OBJECT_NAME_NOT_FOUND;
        else
            Information = FILE_OPENED;
        break;
    case IRP_MJ_WRITE:
        IopConWrite(Irp->AssociatedIrp.SystemBuffer, Stack->Parameters.Write.Length);
        Information = Stack->Parameters.Write.Length;
        break;
    case IRP_MJ_READ:
        Status = IoReadConsoleInput(Irp->AssociatedIrp.SystemBuffer, Stack->Parameters.Read.Length,
                                    Irp->RequestorMode, NULL, &Read);
        Information = NT_SUCCESS(Status) ? Read : 0;
        break;
    case IRP_MJ_QUERY_INFORMATION:
        /* A character device: no size, no position of its own. */
        Status = IopQueryDeviceStandardInformation(Irp, 0, &Information);
        break;
    default:    /* CLEANUP, CLOSE, FLUSH_BUFFERS: the output is never held back */
        break;
    }
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS IopConsoleDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT Device;
    UNICODE_STRING Name;

    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->MajorFunction[IRP_MJ_CREATE] = IopConDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = IopConDispatch;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = IopConDispatch;
    DriverObject->MajorFunction[IRP_MJ_READ] = IopConDispatch;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = IopConDispatch;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = IopConDispatch;
    DriverObject->MajorFunction[IRP_MJ_QUERY_INFORMATION] = IopConDispatch;
    IopInitUnicodeString(&Name, u"\\Device\\Console");
    return IoCreateDevice(DriverObject, 0, &Name, FILE_DEVICE_CONSOLE, FILE_DEVICE_SECURE_OPEN, FALSE, &Device);
}

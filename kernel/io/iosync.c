/*
 * iosync.c - how the I/O manager sends its own requests: one IRP per call, sent
 * to the file object's device and waited for (NT: the tail of IopSynchronousServiceTail
 * and IopCompleteRequest, which run partly in an APC there; see IoCompleteRequest).
 */
#include "iop.h"

PIRP IopBuildIrp(PFILE_OBJECT FileObject, UCHAR MajorFunction, KPROCESSOR_MODE RequestorMode)
{
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(FileObject);
    PIO_STACK_LOCATION Stack;
    PIRP Irp;

    Irp = IoAllocateIrp(Device->StackSize, FALSE);
    if (Irp == NULL)
        return NULL;
    Irp->RequestorMode = RequestorMode;
    Irp->Overlay.OriginalFileObject = FileObject;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->MajorFunction = MajorFunction;
    Stack->FileObject = FileObject;
    return Irp;
}

/*
 * Each call waits on an event of its own: with the file's event (NT's choice for
 * synchronous files, which serialize their requests) two requests on a file that
 * is not synchronous would wake each other, and one would take the other's IRP
 * for done. The file's event still ends set, as in NT, for whoever waits on the
 * file handle.
 */
NTSTATUS IopSynchronousCall(PFILE_OBJECT FileObject, PIRP Irp)
{
    KEVENT Done;
    NTSTATUS Status;

    KeInitializeEvent(&Done, NotificationEvent, FALSE);
    KeClearEvent(&FileObject->Event);
    Irp->UserEvent = &Done;
    Irp->IoStatus.Status = STATUS_PENDING;
    Irp->IoStatus.Information = 0;
    Status = IoCallDriver(IoGetRelatedDeviceObject(FileObject), Irp);
    if (Status == STATUS_PENDING) {
        /* The driver completes it later, from wherever it runs: wait for that. */
        Irp->PendingReturned = TRUE;
        KeWaitForSingleObject(&Done, Executive, KernelMode, FALSE, NULL);
        Status = Irp->IoStatus.Status;
    } else {
        /* A driver that completed at once returns what it put in the IRP. */
        Irp->IoStatus.Status = Status;
    }
    KeSetEvent(&FileObject->Event, 0, FALSE);
    return Status;
}

NTSTATUS IopAcquireFileObjectLock(PFILE_OBJECT FileObject, KPROCESSOR_MODE RequestorMode)
{
    return KeWaitForSingleObject(&FileObject->Lock, Executive, RequestorMode, FALSE, NULL);
}

VOID IopReleaseFileObjectLock(PFILE_OBJECT FileObject)
{
    KeSetEvent(&FileObject->Lock, 0, FALSE);
}

NTSTATUS IopSerializedCall(PFILE_OBJECT FileObject, PIRP Irp)
{
    BOOLEAN Synchronous = (FileObject->Flags & FO_SYNCHRONOUS_IO) != 0;
    NTSTATUS Status;

    if (Synchronous) {
        Status = IopAcquireFileObjectLock(FileObject, Irp->RequestorMode);
        if (Status != STATUS_SUCCESS) {
            Irp->IoStatus.Status = Status;
            Irp->IoStatus.Information = 0;
            return Status;
        }
    }
    Status = IopSynchronousCall(FileObject, Irp);
    if (Synchronous)
        IopReleaseFileObjectLock(FileObject);
    return Status;
}

NTSTATUS IopInvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

VOID IopInitUnicodeString(PUNICODE_STRING String, PCWSTR Source)
{
    ULONG Length = 0;

    while (Source[Length] != 0)
        Length++;
    String->Buffer = (PWSTR)Source;
    String->Length = (USHORT)(Length * sizeof(WCHAR));
    String->MaximumLength = (USHORT)(String->Length + sizeof(WCHAR));
}

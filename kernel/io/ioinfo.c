/*
 * ioinfo.c - NtFlushBuffersFile and NtQueryInformationFile (NT: ntos\io\misc.c,
 * qsinfo.c). The position of a file is the I/O manager's own (the file object's
 * CurrentByteOffset), so it answers FilePositionInformation itself, as NT does for
 * synchronous files (here for every file: no file system keeps another position);
 * FileStandardInformation is the driver's (IRP_MJ_QUERY_INFORMATION). The other
 * classes need a file system: STATUS_NOT_IMPLEMENTED until there is one.
 */
#include "iop.h"

/* Sends a request with no transfer, one at a time on a synchronous file. */
static NTSTATUS IopSimpleRequest(PFILE_OBJECT FileObject, PIRP Irp)
{
    BOOLEAN Synchronous = (FileObject->Flags & FO_SYNCHRONOUS_IO) != 0;
    NTSTATUS Status;

    if (Synchronous)
        KeWaitForSingleObject(&FileObject->Lock, Executive, KernelMode, FALSE, NULL);
    Status = IopSynchronousCall(FileObject, Irp);
    if (Synchronous)
        KeSetEvent(&FileObject->Lock, 0, FALSE);
    return Status;
}

NTSTATUS NtFlushBuffersFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    OBJECT_HANDLE_INFORMATION HandleInformation;
    IO_STATUS_BLOCK IoStatus;
    PFILE_OBJECT FileObject;
    NTSTATUS Status;
    PIRP Irp;

    Status = ExProbeUserOutput(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(FileHandle, 0, IoFileObjectType, PreviousMode, (PVOID *)&FileObject,
                                       &HandleInformation);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Flushing is writing: NT wants either right to the data (user mode only). */
    if (PreviousMode != KernelMode &&
        !(HandleInformation.GrantedAccess & (FILE_WRITE_DATA | FILE_APPEND_DATA))) {
        ObDereferenceObject(FileObject);
        return STATUS_ACCESS_DENIED;
    }
    Irp = IopBuildIrp(FileObject, IRP_MJ_FLUSH_BUFFERS, PreviousMode);
    if (Irp == NULL) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
    } else {
        Status = IopSimpleRequest(FileObject, Irp);
        IoStatus.Status = Status;
        IoStatus.Information = Irp->IoStatus.Information;
        IoFreeIrp(Irp);
        if (!NT_ERROR(Status))
            (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), PreviousMode);
    }
    ObDereferenceObject(FileObject);
    return Status;
}

static NTSTATUS IopQueryStandard(PFILE_OBJECT FileObject, KPROCESSOR_MODE PreviousMode, PVOID Buffer,
                                 PULONG_PTR Information)
{
    PIO_STACK_LOCATION Stack;
    NTSTATUS Status;
    PIRP Irp;

    Irp = IopBuildIrp(FileObject, IRP_MJ_QUERY_INFORMATION, PreviousMode);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Irp->AssociatedIrp.SystemBuffer = Buffer;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->Parameters.QueryFile.Length = sizeof(FILE_STANDARD_INFORMATION);
    Stack->Parameters.QueryFile.FileInformationClass = FileStandardInformation;
    Status = IopSimpleRequest(FileObject, Irp);
    *Information = Irp->IoStatus.Information <= sizeof(FILE_STANDARD_INFORMATION)
                       ? Irp->IoStatus.Information : sizeof(FILE_STANDARD_INFORMATION);
    IoFreeIrp(Irp);
    return Status;
}

NTSTATUS NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    FILE_STANDARD_INFORMATION Answer;   /* the larger of the two classes */
    OBJECT_HANDLE_INFORMATION HandleInformation;
    IO_STATUS_BLOCK IoStatus = { { 0 }, 0 };
    PFILE_OBJECT FileObject;
    ULONG Needed;
    NTSTATUS Status;

    if (FileInformationClass < FileDirectoryInformation || FileInformationClass > FileEndOfFileInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (FileInformationClass == FilePositionInformation)
        Needed = sizeof(FILE_POSITION_INFORMATION);
    else if (FileInformationClass == FileStandardInformation)
        Needed = sizeof(FILE_STANDARD_INFORMATION);
    else
        return STATUS_NOT_IMPLEMENTED;      /* a file system's classes: none yet */
    if (Length < Needed)
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = ExProbeUserOutput(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(FileInformation, Length, sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(FileHandle, 0, IoFileObjectType, PreviousMode, (PVOID *)&FileObject,
                                       &HandleInformation);
    if (!NT_SUCCESS(Status))
        return Status;

    memset(&Answer, 0, sizeof(Answer));
    if (FileInformationClass == FilePositionInformation) {
        /* NT needs no right for the position; it is read under the file's lock. */
        PFILE_POSITION_INFORMATION Position = (PFILE_POSITION_INFORMATION)&Answer;
        if (FileObject->Flags & FO_SYNCHRONOUS_IO) {
            KeWaitForSingleObject(&FileObject->Lock, Executive, KernelMode, FALSE, NULL);
            Position->CurrentByteOffset = FileObject->CurrentByteOffset;
            KeSetEvent(&FileObject->Lock, 0, FALSE);
        } else {
            Position->CurrentByteOffset = FileObject->CurrentByteOffset;
        }
        IoStatus.Information = sizeof(FILE_POSITION_INFORMATION);
    } else if (PreviousMode != KernelMode && !(HandleInformation.GrantedAccess & FILE_READ_ATTRIBUTES)) {
        Status = STATUS_ACCESS_DENIED;
    } else {
        Status = IopQueryStandard(FileObject, PreviousMode, &Answer, &IoStatus.Information);
    }
    ObDereferenceObject(FileObject);

    if (NT_ERROR(Status))
        return Status;
    Status = ExCopyToCaller(FileInformation, &Answer, IoStatus.Information, PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    IoStatus.Status = Status;
    (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), PreviousMode);
    return Status;
}

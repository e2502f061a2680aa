/*
 * ioinfo.c - NtFlushBuffersFile, NtQueryInformationFile and NtSetInformationFile
 * (NT: ntos\io\misc.c, qsinfo.c). The position of a file is the I/O manager's own (the file object's
 * CurrentByteOffset), so it answers FilePositionInformation itself, as NT does for
 * synchronous files (here for every file: no file system keeps another position);
 * FileStandardInformation and FileBasicInformation are the driver's
 * (IRP_MJ_QUERY_INFORMATION; a driver that knows no such class says so). The other
 * classes: STATUS_NOT_IMPLEMENTED until a driver needs them. NtSetInformationFile
 * passes FileEndOfFileInformation, FileDispositionInformation, FileBasicInformation
 * and FileRenameInformation (iorename.c) to the driver (IRP_MJ_SET_INFORMATION);
 * the other classes are STATUS_NOT_IMPLEMENTED.
 */
#include "iop.h"

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
        Status = IopSerializedCall(FileObject, Irp);
        IoStatus.Status = Status;
        IoStatus.Information = Irp->IoStatus.Information;
        IoFreeIrp(Irp);
        if (!NT_ERROR(Status))
            (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), PreviousMode);
    }
    ObDereferenceObject(FileObject);
    return Status;
}

/*
 * IRP_MJ_QUERY_INFORMATION for a device that is one file of Size bytes with no
 * name space of its own (null, console, raw volume): FileStandardInformation is
 * all it answers, STATUS_INVALID_PARAMETER any other class (the I/O manager
 * answers FilePositionInformation itself). Fills the IRP's buffer and *Information.
 */
NTSTATUS IopQueryDeviceStandardInformation(PIRP Irp, LONGLONG Size, PULONG_PTR Information)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PFILE_STANDARD_INFORMATION Standard = Irp->AssociatedIrp.SystemBuffer;

    if (Stack->Parameters.QueryFile.FileInformationClass != FileStandardInformation)
        return STATUS_INVALID_PARAMETER;
    memset(Standard, 0, sizeof(*Standard));
    Standard->AllocationSize.QuadPart = Size;
    Standard->EndOfFile.QuadPart = Size;
    Standard->NumberOfLinks = 1;
    *Information = sizeof(*Standard);
    return STATUS_SUCCESS;
}

/* A class the driver answers (Standard, Basic), through an IRP with the kernel's buffer. */
NTSTATUS IopQueryDriver(PFILE_OBJECT FileObject, KPROCESSOR_MODE PreviousMode,
                        FILE_INFORMATION_CLASS FileInformationClass, PVOID Buffer, ULONG Length,
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
    Stack->Parameters.QueryFile.Length = Length;
    Stack->Parameters.QueryFile.FileInformationClass = FileInformationClass;
    Status = IopSerializedCall(FileObject, Irp);
    *Information = Irp->IoStatus.Information <= Length ? Irp->IoStatus.Information : Length;
    IoFreeIrp(Irp);
    return Status;
}

NTSTATUS NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    union {                             /* every class answered here */
        FILE_STANDARD_INFORMATION Standard;
        FILE_BASIC_INFORMATION Basic;
        FILE_POSITION_INFORMATION Position;
    } Answer;
    OBJECT_HANDLE_INFORMATION HandleInformation;
    IO_STATUS_BLOCK IoStatus = { { 0 }, 0 };
    PFILE_OBJECT FileObject;
    ULONG Needed;
    NTSTATUS Status, CopyStatus;

    if (FileInformationClass < FileDirectoryInformation || FileInformationClass > FileEndOfFileInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (FileInformationClass == FilePositionInformation)
        Needed = sizeof(FILE_POSITION_INFORMATION);
    else if (FileInformationClass == FileStandardInformation)
        Needed = sizeof(FILE_STANDARD_INFORMATION);
    else if (FileInformationClass == FileBasicInformation)
        Needed = sizeof(FILE_BASIC_INFORMATION);
    else
        return STATUS_NOT_IMPLEMENTED;      /* the other classes: not yet */
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
            Status = IopAcquireFileObjectLock(FileObject, PreviousMode);
            if (Status == STATUS_SUCCESS) {
                Position->CurrentByteOffset = FileObject->CurrentByteOffset;
                IopReleaseFileObjectLock(FileObject);
            }
        } else {
            Position->CurrentByteOffset = FileObject->CurrentByteOffset;
        }
        /* Nothing to copy for a thread that left the lock's queue to end. */
        IoStatus.Information = Status == STATUS_SUCCESS ? sizeof(FILE_POSITION_INFORMATION) : 0;
    } else if (PreviousMode != KernelMode && !(HandleInformation.GrantedAccess & FILE_READ_ATTRIBUTES)) {
        Status = STATUS_ACCESS_DENIED;
    } else {
        Status = IopQueryDriver(FileObject, PreviousMode, FileInformationClass, &Answer, Needed,
                                &IoStatus.Information);
    }
    ObDereferenceObject(FileObject);

    if (NT_ERROR(Status))
        return Status;
    /* The driver's status is the answer (a warning such as STATUS_BUFFER_OVERFLOW
       included), unless the caller's buffer has gone since the probe. */
    CopyStatus = ExCopyToCaller(FileInformation, &Answer, IoStatus.Information, PreviousMode);
    if (!NT_SUCCESS(CopyStatus))
        return CopyStatus;
    IoStatus.Status = Status;
    (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), PreviousMode);
    return Status;
}

NTSTATUS NtSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                              ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    union {
        FILE_END_OF_FILE_INFORMATION EndOfFile;
        FILE_DISPOSITION_INFORMATION Disposition;
        FILE_BASIC_INFORMATION Basic;
    } Request;
    IO_STATUS_BLOCK IoStatus = { { 0 }, 0 };
    PIO_STACK_LOCATION Stack;
    PFILE_OBJECT FileObject;
    ACCESS_MASK Access;
    ULONG Needed;
    NTSTATUS Status;
    PIRP Irp;

    if (FileInformationClass < FileDirectoryInformation || FileInformationClass > FileEndOfFileInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (FileInformationClass == FileEndOfFileInformation) {
        Needed = sizeof(FILE_END_OF_FILE_INFORMATION);
        Access = FILE_WRITE_DATA;
    } else if (FileInformationClass == FileDispositionInformation) {
        Needed = sizeof(FILE_DISPOSITION_INFORMATION);
        Access = DELETE;
    } else if (FileInformationClass == FileBasicInformation) {
        Needed = sizeof(FILE_BASIC_INFORMATION);
        Access = FILE_WRITE_ATTRIBUTES;
    } else if (FileInformationClass == FileRenameInformation) {
        /* Variable length, with a target to resolve: iorename.c. */
        return IopSetRename(FileHandle, IoStatusBlock, FileInformation, Length, PreviousMode);
    } else {
        return STATUS_NOT_IMPLEMENTED;
    }
    if (Length < Needed)
        return STATUS_INFO_LENGTH_MISMATCH;
    /* The caller's block is captured before anything happens (NT: a pool copy). */
    Status = ExProbeUserOutput(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Request, FileInformation, Needed, Needed == 1 ? 1 : sizeof(ULONG),
                                   PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    /* As NtQueryInformationFile: the right is checked for user-mode callers only. */
    Status = ObReferenceObjectByHandle(FileHandle, Access, IoFileObjectType, PreviousMode, (PVOID *)&FileObject,
                                       NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Irp = IopBuildIrp(FileObject, IRP_MJ_SET_INFORMATION, PreviousMode);
    if (Irp == NULL) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
    } else {
        Irp->AssociatedIrp.SystemBuffer = &Request;
        Stack = IoGetNextIrpStackLocation(Irp);
        Stack->Parameters.SetFile.Length = Needed;
        Stack->Parameters.SetFile.FileInformationClass = FileInformationClass;
        Status = IopSerializedCall(FileObject, Irp);
        IoStatus.Status = Status;
        IoStatus.Information = 0;
        IoFreeIrp(Irp);
        if (!NT_ERROR(Status))
            (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), PreviousMode);
    }
    ObDereferenceObject(FileObject);
    return Status;
}

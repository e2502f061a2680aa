/*
 * iovol.c - NtQueryVolumeInformationFile (NT: ntos\io\qsfs.c). The file system of
 * the handle's volume answers, through IRP_MJ_QUERY_VOLUME_INFORMATION with a pool
 * buffer (buffered, as NT sends it). The fixed part of the class must fit the
 * caller's buffer (STATUS_INFO_LENGTH_MISMATCH); a name that does not is the file
 * system's STATUS_BUFFER_OVERFLOW, with what fitted. Differences from NT: only the
 * three classes a file system here answers are passed on (the others of NT's list
 * are STATUS_NOT_IMPLEMENTED), and, as NT asks no right for those three, none is
 * checked; FileFsDeviceInformation, which NT answers itself, is not done yet.
 */
#include "iop.h"

/* The answer's largest size: the fixed part and a 255-character name are plenty. */
#define IOP_MAX_VOLUME_INFORMATION  0x400

NTSTATUS NtQueryVolumeInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FsInformation,
                                      ULONG Length, FS_INFORMATION_CLASS FsInformationClass)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    IO_STATUS_BLOCK IoStatus = { { 0 }, 0 };
    PIO_STACK_LOCATION Stack;
    PFILE_OBJECT FileObject;
    ULONG Header, Transfer;
    PVOID SystemBuffer;
    NTSTATUS Status;
    PIRP Irp;

    if (FsInformationClass == FileFsVolumeInformation)
        Header = FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel);
    else if (FsInformationClass == FileFsSizeInformation)
        Header = sizeof(FILE_FS_SIZE_INFORMATION);
    else if (FsInformationClass == FileFsAttributeInformation)
        Header = FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName);
    else if (FsInformationClass >= FileFsLabelInformation && FsInformationClass <= FileFsObjectIdInformation)
        return STATUS_NOT_IMPLEMENTED;
    else
        return STATUS_INVALID_INFO_CLASS;
    if (Length < Header)
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = ExProbeUserOutput(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(FsInformation, Length, sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    /* More than the largest answer is never filled: the pool copy stays small. */
    Transfer = Length < IOP_MAX_VOLUME_INFORMATION ? Length : IOP_MAX_VOLUME_INFORMATION;
    Status = ObReferenceObjectByHandle(FileHandle, 0, IoFileObjectType, PreviousMode, (PVOID *)&FileObject, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    SystemBuffer = ExAllocatePoolWithTag(NonPagedPool, Transfer, IOP_BUFFER_TAG);
    Irp = SystemBuffer != NULL ? IopBuildIrp(FileObject, IRP_MJ_QUERY_VOLUME_INFORMATION, PreviousMode) : NULL;
    if (Irp == NULL) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
    } else {
        Irp->AssociatedIrp.SystemBuffer = SystemBuffer;
        Stack = IoGetNextIrpStackLocation(Irp);
        Stack->Parameters.QueryVolume.Length = Transfer;
        Stack->Parameters.QueryVolume.FsInformationClass = FsInformationClass;
        /* One request at a time on a synchronous file, as every other request. */
        Status = IopSerializedCall(FileObject, Irp);
        IoStatus.Information = Irp->IoStatus.Information <= Transfer ? Irp->IoStatus.Information : Transfer;
        IoFreeIrp(Irp);
    }
    ObDereferenceObject(FileObject);
    if (!NT_ERROR(Status)) {
        NTSTATUS CopyStatus = ExCopyToCaller(FsInformation, SystemBuffer, IoStatus.Information, PreviousMode);
        if (!NT_SUCCESS(CopyStatus)) {
            Status = CopyStatus;
        } else {
            IoStatus.Status = Status;
            (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), PreviousMode);
        }
    }
    if (SystemBuffer != NULL)
        ExFreePoolWithTag(SystemBuffer, IOP_BUFFER_TAG);
    return Status;
}

/*
 * iopage.c - what the memory manager asks of files: their size, and their bytes
 * read into kernel memory (NT: FsRtlGetFileSize, and IoPageRead, the paging read
 * that fills a section's pages).
 *
 * NT's IoPageRead describes the pages with an MDL and marks the IRP as paging I/O
 * (the file system then skips the access checks of the open: a file opened only
 * for FILE_EXECUTE is still read to map it). There are no MDLs here: the request
 * carries a kernel buffer as SystemBuffer, as a buffered read does, and is sent
 * with the kernel as requestor; the file systems check nothing of the open on a
 * read, so the effect is the same.
 */
#include "iop.h"

NTSTATUS FsRtlGetFileSize(PFILE_OBJECT FileObject, PLARGE_INTEGER FileSize)
{
    FILE_STANDARD_INFORMATION Standard;
    ULONG_PTR Information;
    NTSTATUS Status;

    Status = IopQueryDriver(FileObject, KernelMode, FileStandardInformation, &Standard,
                            sizeof(Standard), &Information);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Information < sizeof(Standard))
        return STATUS_INVALID_DEVICE_REQUEST;
    /* A directory has no bytes to map (NT's answer for it). */
    if (Standard.Directory)
        return STATUS_FILE_IS_A_DIRECTORY;
    *FileSize = Standard.EndOfFile;
    return STATUS_SUCCESS;
}

NTSTATUS IoPageRead(PFILE_OBJECT FileObject, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                    PIO_STATUS_BLOCK IoStatusBlock)
{
    PIO_STACK_LOCATION Stack;
    NTSTATUS Status;
    PIRP Irp;

    Irp = IopBuildIrp(FileObject, IRP_MJ_READ, KernelMode);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Irp->AssociatedIrp.SystemBuffer = Buffer;
    Irp->UserBuffer = Buffer;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->Parameters.Read.Length = Length;
    Stack->Parameters.Read.Key = 0;
    Stack->Parameters.Read.ByteOffset = *ByteOffset;
    Status = IopSynchronousCall(FileObject, Irp);
    IoStatusBlock->Status = Status;
    IoStatusBlock->Information = Irp->IoStatus.Information <= Length ? Irp->IoStatus.Information : Length;
    IoFreeIrp(Irp);
    return Status;
}

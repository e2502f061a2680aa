/*
 * fsdrw.c - reading, writing and flushing files on a FAT volume (NT: fastfat's
 * read.c, write.c and flush.c).
 *
 * The I/O manager gives a resolved byte offset and a non-paged system buffer
 * (buffered I/O; there is no cache manager, so every request goes to kernel/io/fat
 * and from there to the disk: NT's fastfat would copy through the cache).
 */
#include "fsdp.h"

static NTSTATUS FatpTransfer(PDEVICE_OBJECT DeviceObject, PIRP Irp, PULONG Done)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PFATP_VCB Vcb = DeviceObject->DeviceExtension;
    LARGE_INTEGER Offset = Stack->Parameters.Read.ByteOffset;
    ULONG Length = Stack->Parameters.Read.Length;
    PFAT_FCB Fcb;
    NTSTATUS Status;

    *Done = 0;
    if (Vcb == NULL || Stack->FileObject == NULL || Stack->FileObject->FsContext == NULL)
        return STATUS_INVALID_DEVICE_REQUEST;
    Fcb = Stack->FileObject->FsContext;
    if (Offset.QuadPart < 0)
        return STATUS_INVALID_PARAMETER;
    /* NT answers an empty request at once, whatever the offset (no end-of-file check). */
    if (Length == 0)
        return Fcb->IsDirectory ? STATUS_INVALID_DEVICE_REQUEST : STATUS_SUCCESS;
    FatpAcquireVcb(Vcb);
    /* A write through a handle opened before an image section of the file was made
       (no open for writing is let in after: fsdcreate.c) changes the image's file.
       A cached image of it goes now; one in use keeps its users' pages but is not
       kept, nor given to a new section, once they are gone. */
    if (Stack->MajorFunction == IRP_MJ_WRITE && Fcb->Context != NULL)
        MmImageFileChanging(&((PFATP_FCB_CONTEXT)Fcb->Context)->SectionObjectPointers);
    if (Stack->MajorFunction == IRP_MJ_READ)
        Status = FatRead(Fcb, (ULONGLONG)Offset.QuadPart, Irp->AssociatedIrp.SystemBuffer, Length, Done);
    else
        Status = FatWrite(Fcb, (ULONGLONG)Offset.QuadPart, Irp->AssociatedIrp.SystemBuffer, Length, Done);
    FatpReleaseVcb(Vcb);
    return Status;
}

NTSTATUS FatFsdRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG Done;
    NTSTATUS Status = FatpTransfer(DeviceObject, Irp, &Done);

    return FatpComplete(Irp, Status, Done);
}

NTSTATUS FatFsdWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    ULONG Done;
    NTSTATUS Status = FatpTransfer(DeviceObject, Irp, &Done);

    return FatpComplete(Irp, Status, Done);
}

NTSTATUS FatFsdFlushBuffers(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFATP_VCB Vcb = DeviceObject->DeviceExtension;
    NTSTATUS Status;

    if (Vcb == NULL)
        return FatpComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    /* Every fat.h call writes what it changed before it returns: this finds nothing
       pending, but a file system that caches would write it here. */
    FatpAcquireVcb(Vcb);
    Status = FatFlush(Vcb->Volume);
    FatpReleaseVcb(Vcb);
    return FatpComplete(Irp, Status, 0);
}

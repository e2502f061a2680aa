/*
 * fsdcreate.c - opening and closing files on a FAT volume (NT: fastfat's create.c,
 * cleanup.c and close.c; share access is the I/O manager's, kernel/io/share.c).
 *
 * IRP_MJ_CREATE asks kernel/io/fat for the file (FatCreate), then checks the open's
 * share access against the others of the same FCB. IRP_MJ_CLEANUP (last handle of
 * the file object) gives the share access back and deletes a delete-pending file
 * when it was the file's last handle; IRP_MJ_CLOSE (last reference) drops the FCB.
 */
#include "fsdp.h"

/* The open may not go on with a file that is open already (share access, delete pending). */
static NTSTATUS FatpCheckOpenFile(PFILE_OBJECT FileObject, PFAT_FCB Fcb)
{
    PFATP_FCB_CONTEXT Context = Fcb->Context;

    if (Context == NULL)
        return STATUS_SUCCESS;
    if (Context->DeletePending)
        return STATUS_DELETE_PENDING;
    if (!MmFlushImageSection(&Context->SectionObjectPointers, MmFlushForWrite))
        return STATUS_SHARING_VIOLATION;    /* a mapped image is not overwritten */
    return IoCheckShareAccess(FileObject, &Context->ShareAccess, FALSE);
}

/*
 * Superseding or overwriting changes the file inside FatCreate, so an existing
 * file's open state is checked before (NT checks share access before it truncates).
 */
static NTSTATUS FatpCheckBeforeOverwrite(PFATP_VCB Vcb, PFILE_OBJECT FileObject, PFAT_FCB Related,
                                         ULONG Options)
{
    NTSTATUS Status;
    ULONG Information;
    PFAT_FCB Fcb;

    Status = FatCreate(Vcb->Volume, Related, &FileObject->FileName, FAT_CREATE_OPEN, Options, 0, &Fcb,
                       &Information);
    if (!NT_SUCCESS(Status))
        return STATUS_SUCCESS;          /* FatCreate gives the real answer next */
    Status = FatpCheckOpenFile(FileObject, Fcb);
    FatClose(Fcb);
    return Status;
}

static NTSTATUS FatpCreate(PFATP_VCB Vcb, PIRP Irp, PULONG Information)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = Stack->FileObject;
    ULONG Disposition = Stack->Parameters.Create.Options >> 24;
    ULONG CreateOptions = Stack->Parameters.Create.Options & 0x00FFFFFF;
    ULONG Options = CreateOptions & (FAT_CREATE_DIRECTORY | FAT_CREATE_NON_DIRECTORY);
    ULONG Attributes = Stack->Parameters.Create.FileAttributes &
                       (FAT_ATTRIBUTE_READONLY | FAT_ATTRIBUTE_HIDDEN | FAT_ATTRIBUTE_SYSTEM |
                        FAT_ATTRIBUTE_ARCHIVE);
    PFAT_FCB Related = NULL, Fcb;
    PFATP_FCB_CONTEXT Context;
    NTSTATUS Status;

    /* A relative open (IopParseFile): the name is resolved from the related file's
       FCB, which FatCreate wants to be a directory unless the name is empty (a reopen).
       The I/O manager gave this file object the related one's VPB, so a related file
       of another volume cannot come here; one with no FCB of ours is no file or
       directory open, which fastfat answers with STATUS_OBJECT_PATH_NOT_FOUND. */
    if (FileObject->RelatedFileObject != NULL) {
        Related = FileObject->RelatedFileObject->FsContext;
        if (FileObject->RelatedFileObject->Vpb != FileObject->Vpb || Related == NULL)
            return STATUS_OBJECT_PATH_NOT_FOUND;
    }
    /* NT wants DELETE access with FILE_DELETE_ON_CLOSE. */
    if ((CreateOptions & FILE_DELETE_ON_CLOSE) && !FileObject->DeleteAccess)
        return STATUS_ACCESS_DENIED;
    if (Disposition == FAT_CREATE_SUPERSEDE || Disposition == FAT_CREATE_OVERWRITE ||
        Disposition == FAT_CREATE_OVERWRITE_IF) {
        Status = FatpCheckBeforeOverwrite(Vcb, FileObject, Related, Options);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = FatCreate(Vcb->Volume, Related, &FileObject->FileName, Disposition, Options, Attributes, &Fcb,
                       Information);
    if (!NT_SUCCESS(Status))
        return Status;
    /* A read-only file opens for reading only (NT: STATUS_ACCESS_DENIED); the open
       that creates it read-only may still write what it is creating. */
    if ((Fcb->Dirent.Attributes & FAT_ATTRIBUTE_READONLY) && !Fcb->IsDirectory && *Information != FILE_CREATED &&
        (FileObject->WriteAccess || (CreateOptions & FILE_DELETE_ON_CLOSE))) {
        FatClose(Fcb);
        return STATUS_ACCESS_DENIED;
    }

    Context = Fcb->Context;
    if (Context == NULL) {
        Context = ExAllocatePoolWithTag(NonPagedPool, sizeof(*Context), FATP_POOL_TAG);
        if (Context == NULL) {
            FatClose(Fcb);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        memset(Context, 0, sizeof(*Context));
        Fcb->Context = Context;
    }
    /* While an image of the file is mapped its bytes must not change (NT: the same
       MmFlushImageSection test in fastfat's create, which answers a delete-on-close
       open with STATUS_CANNOT_DELETE, as the disposition below does); a cached image
       no one uses is dropped, so that the next image section reads the file anew. */
    if (Context->DeletePending)
        Status = STATUS_DELETE_PENDING;
    else if ((FileObject->WriteAccess || (CreateOptions & FILE_DELETE_ON_CLOSE)) &&
             !MmFlushImageSection(&Context->SectionObjectPointers,
                                  FileObject->WriteAccess ? MmFlushForWrite : MmFlushForDelete))
        Status = (CreateOptions & FILE_DELETE_ON_CLOSE) ? STATUS_CANNOT_DELETE : STATUS_SHARING_VIOLATION;
    else
        Status = IoCheckShareAccess(FileObject, &Context->ShareAccess, TRUE);
    if (!NT_SUCCESS(Status)) {
        if (Context->OpenCount == 0) {
            Fcb->Context = NULL;
            ExFreePoolWithTag(Context, FATP_POOL_TAG);
        }
        FatClose(Fcb);
        return Status;
    }
    Context->OpenCount++;
    Context->CleanupCount++;
    FileObject->FsContext = Fcb;
    FileObject->SectionObjectPointer = &Context->SectionObjectPointers;
    ((PFATP_CCB)FileObject->FsContext2)->DeleteOnClose = (CreateOptions & FILE_DELETE_ON_CLOSE) != 0;
    return Status;
}

NTSTATUS FatFsdCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFILE_OBJECT FileObject = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    PFATP_VCB Vcb = DeviceObject->DeviceExtension;
    ULONG Information = 0;
    NTSTATUS Status;
    PFATP_CCB Ccb;

    /* The control device is not opened (it has no name). */
    if (Vcb == NULL)
        return FatpComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    /* The CCB first, so that nothing needs undoing when there is no memory for it. */
    Ccb = ExAllocatePoolWithTag(NonPagedPool, sizeof(*Ccb), FATP_POOL_TAG);
    if (Ccb == NULL)
        return FatpComplete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    memset(Ccb, 0, sizeof(*Ccb));
    FileObject->FsContext2 = Ccb;
    FatpAcquireVcb(Vcb);
    Status = FatpCreate(Vcb, Irp, &Information);
    FatpReleaseVcb(Vcb);
    if (!NT_SUCCESS(Status)) {
        FileObject->FsContext2 = NULL;
        ExFreePoolWithTag(Ccb, FATP_POOL_TAG);
    }
    return FatpComplete(Irp, Status, Information);
}

NTSTATUS FatFsdCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFILE_OBJECT FileObject = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    PFATP_VCB Vcb = DeviceObject->DeviceExtension;
    PFAT_FCB Fcb = FileObject->FsContext;
    PFATP_FCB_CONTEXT Context;

    if (Vcb == NULL || Fcb == NULL)
        return FatpComplete(Irp, STATUS_SUCCESS, 0);
    FatpAcquireVcb(Vcb);
    Context = Fcb->Context;
    IoRemoveShareAccess(FileObject, &Context->ShareAccess);
    if (FileObject->FsContext2 != NULL && ((PFATP_CCB)FileObject->FsContext2)->DeleteOnClose)
        Context->DeletePending = TRUE;
    /* The file's last handle: a pending delete happens now, as in NT. A delete
       FatDelete refuses (a directory that is not empty) is dropped, as NT does. */
    if (--Context->CleanupCount == 0 && Context->DeletePending) {
        Context->DeletePending = FALSE;
        /* An image mapped since the delete was asked for keeps its file (NT's fastfat
           asks the memory manager again here). */
        if (!Fcb->Deleted && MmFlushImageSection(&Context->SectionObjectPointers, MmFlushForDelete))
            (VOID)FatDelete(Fcb);
    }
    FatpReleaseVcb(Vcb);
    return FatpComplete(Irp, STATUS_SUCCESS, 0);
}

NTSTATUS FatFsdClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFILE_OBJECT FileObject = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    PFATP_VCB Vcb = DeviceObject->DeviceExtension;
    PFAT_FCB Fcb = FileObject->FsContext;
    PFATP_FCB_CONTEXT Context;
    PFATP_CCB Ccb;

    if (Vcb == NULL || Fcb == NULL)
        return FatpComplete(Irp, STATUS_SUCCESS, 0);
    FatpAcquireVcb(Vcb);
    Context = Fcb->Context;
    if (--Context->OpenCount == 0) {
        Fcb->Context = NULL;
        ExFreePoolWithTag(Context, FATP_POOL_TAG);
    }
    FileObject->FsContext = NULL;
    FatClose(Fcb);
    FatpReleaseVcb(Vcb);
    Ccb = FileObject->FsContext2;
    FileObject->FsContext2 = NULL;
    if (Ccb != NULL) {
        if (Ccb->Pattern.Buffer != NULL)
            ExFreePoolWithTag(Ccb->Pattern.Buffer, FATP_POOL_TAG);
        ExFreePoolWithTag(Ccb, FATP_POOL_TAG);
    }
    return FatpComplete(Irp, STATUS_SUCCESS, 0);
}

/*
 * fsdinfo.c - IRP_MJ_QUERY_INFORMATION and IRP_MJ_SET_INFORMATION on a FAT volume
 * (NT: fastfat's fileinfo.c, FatCommonQueryInformation and FatCommonSetInformation):
 * FileStandardInformation and FileBasicInformation from FatQueryFileInformation;
 * FileEndOfFileInformation (FatSetEndOfFile), FileBasicInformation
 * (FatSetBasicInformation), FileRenameInformation (FatRename) and
 * FileDispositionInformation (delete pending, done by the last cleanup: fsdcreate.c). Other classes are
 * STATUS_INVALID_PARAMETER, as fastfat answers a class it does not know.
 */
#include "fsdp.h"

static NTSTATUS FatpQueryInformation(PFATP_VCB Vcb, PIRP Irp, PULONG_PTR Information)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = Stack->FileObject;
    FILE_INFORMATION_CLASS Class = Stack->Parameters.QueryFile.FileInformationClass;
    PFILE_STANDARD_INFORMATION Standard;
    PFILE_BASIC_INFORMATION Basic;
    FAT_FILE_INFORMATION FileInformation;
    PFATP_FCB_CONTEXT Context;
    PFAT_FCB Fcb;
    NTSTATUS Status;

    if (FileObject == NULL || FileObject->FsContext == NULL)
        return STATUS_INVALID_DEVICE_REQUEST;
    Fcb = FileObject->FsContext;
    if (Class == FileStandardInformation) {
        if (Stack->Parameters.QueryFile.Length < sizeof(FILE_STANDARD_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
    } else if (Class == FileBasicInformation) {
        if (Stack->Parameters.QueryFile.Length < sizeof(FILE_BASIC_INFORMATION))
            return STATUS_INFO_LENGTH_MISMATCH;
    } else {
        return STATUS_INVALID_PARAMETER;
    }

    FatpAcquireVcb(Vcb);
    Status = FatQueryFileInformation(Fcb, &FileInformation);
    Context = Fcb->Context;
    if (NT_SUCCESS(Status) && Class == FileStandardInformation) {
        Standard = Irp->AssociatedIrp.SystemBuffer;
        memset(Standard, 0, sizeof(*Standard));
        Standard->AllocationSize.QuadPart = (LONGLONG)FileInformation.AllocationSize;
        Standard->EndOfFile.QuadPart = FileInformation.EndOfFile;
        Standard->NumberOfLinks = 1;
        /* NT's fastfat reports the FCB's delete-pending; a FILE_DELETE_ON_CLOSE open
           makes it so only at its cleanup, here as there. */
        Standard->DeletePending = Context != NULL && Context->DeletePending;
        Standard->Directory = FileInformation.Directory;
        *Information = sizeof(*Standard);
    } else if (NT_SUCCESS(Status)) {
        Basic = Irp->AssociatedIrp.SystemBuffer;
        memset(Basic, 0, sizeof(*Basic));
        Basic->CreationTime = FileInformation.CreationTime;
        Basic->LastAccessTime = FileInformation.LastAccessTime;
        Basic->LastWriteTime = FileInformation.LastWriteTime;
        Basic->ChangeTime = FileInformation.ChangeTime;
        Basic->FileAttributes = FileInformation.FileAttributes;
        *Information = sizeof(*Basic);
    }
    FatpReleaseVcb(Vcb);
    return Status;
}

NTSTATUS FatFsdQueryInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFATP_VCB Vcb = DeviceObject->DeviceExtension;
    ULONG_PTR Information = 0;
    NTSTATUS Status = STATUS_INVALID_DEVICE_REQUEST;

    if (Vcb != NULL)
        Status = FatpQueryInformation(Vcb, Irp, &Information);
    return FatpComplete(Irp, Status, Information);
}

/* FileBasicInformation: FAT has no change time (ignored, as fastfat ignores it). */
static NTSTATUS FatpSetBasic(PFATP_VCB Vcb, PFAT_FCB Fcb, PFILE_BASIC_INFORMATION Basic, ULONG Length)
{
    FAT_BASIC_INFORMATION Information;
    NTSTATUS Status;

    if (Length < sizeof(*Basic))
        return STATUS_INFO_LENGTH_MISMATCH;
    Information.CreationTime = Basic->CreationTime;
    Information.LastAccessTime = Basic->LastAccessTime;
    Information.LastWriteTime = Basic->LastWriteTime;
    Information.FileAttributes = Basic->FileAttributes;
    FatpAcquireVcb(Vcb);
    Status = FatSetBasicInformation(Fcb, &Information);
    FatpReleaseVcb(Vcb);
    return Status;
}

/*
 * A rename over a file that only its cached image holds open (no handle: the open
 * file object is the image's) replaces it, as NT's fastfat does: the image is
 * flushed and the file deleted first, so that FatRename finds the name free. An
 * image in use, or a handle, keeps the target open, and FatRename refuses it
 * (STATUS_ACCESS_DENIED). As in fastfat, the target is gone even if the rename
 * then fails.
 */
static VOID FatpReleaseRenameTarget(PFAT_FCB Fcb, PFAT_FCB Related, PCUNICODE_STRING Name)
{
    PFAT_FCB Victim = FatOpenRenameTarget(Fcb, Related, Name);
    PFATP_FCB_CONTEXT Context;

    if (Victim == NULL)
        return;
    Context = Victim->Context;
    if (Context != NULL && Context->CleanupCount == 0 && !Victim->IsDirectory && !Victim->Deleted &&
        !(Victim->Dirent.Attributes & FAT_ATTRIBUTE_READONLY) &&
        MmFlushImageSection(&Context->SectionObjectPointers, MmFlushForDelete))
        (VOID)FatDelete(Victim);
    FatClose(Victim);
}

/*
 * FileRenameInformation. The I/O manager has made the name relative: with Target
 * (NT's TargetFileObject, the open directory the name is relative to) or, without,
 * a new name in the file's own directory.
 */
static NTSTATUS FatpSetRename(PFATP_VCB Vcb, PFAT_FCB Fcb, PFILE_RENAME_INFORMATION Rename, ULONG Length,
                              PFILE_OBJECT Target)
{
    UNICODE_STRING Name;
    NTSTATUS Status;

    if (Length < FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) ||
        Rename->FileNameLength > Length - FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) ||
        Rename->FileNameLength == 0 || Rename->FileNameLength > 0xFFFE || (Rename->FileNameLength & 1))
        return STATUS_INVALID_PARAMETER;
    /* The I/O manager sends only a target of the same volume device. */
    if (Target != NULL && (Target->FsContext == NULL || ((PFAT_FCB)Target->FsContext)->Volume != Fcb->Volume))
        return STATUS_NOT_SAME_DEVICE;
    Name.Buffer = Rename->FileName;
    Name.Length = Name.MaximumLength = (USHORT)Rename->FileNameLength;
    FatpAcquireVcb(Vcb);
    if (Rename->ReplaceIfExists)
        FatpReleaseRenameTarget(Fcb, Target != NULL ? Target->FsContext : NULL, &Name);
    Status = FatRename(Fcb, Target != NULL ? Target->FsContext : NULL, &Name, Rename->ReplaceIfExists);
    FatpReleaseVcb(Vcb);
    return Status;
}

static NTSTATUS FatpSetInformation(PFATP_VCB Vcb, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = Stack->FileObject;
    FILE_INFORMATION_CLASS Class = Stack->Parameters.SetFile.FileInformationClass;
    PFILE_END_OF_FILE_INFORMATION EndOfFile = Irp->AssociatedIrp.SystemBuffer;
    PFILE_DISPOSITION_INFORMATION Disposition = Irp->AssociatedIrp.SystemBuffer;
    PFATP_FCB_CONTEXT Context;
    NTSTATUS Status = STATUS_SUCCESS;
    PFAT_FCB Fcb;

    if (FileObject == NULL || FileObject->FsContext == NULL)
        return STATUS_INVALID_DEVICE_REQUEST;
    Fcb = FileObject->FsContext;
    if (Class == FileEndOfFileInformation) {
        if (Stack->Parameters.SetFile.Length < sizeof(*EndOfFile))
            return STATUS_INFO_LENGTH_MISMATCH;
        if (EndOfFile->EndOfFile.QuadPart < 0)
            return STATUS_INVALID_PARAMETER;
        if (Fcb->IsDirectory)
            return STATUS_INVALID_DEVICE_REQUEST;
        FatpAcquireVcb(Vcb);
        /* No cached image may outlive the bytes it was read from (fsdrw.c). */
        if (Fcb->Context != NULL)
            MmImageFileChanging(&((PFATP_FCB_CONTEXT)Fcb->Context)->SectionObjectPointers);
        Status = FatSetEndOfFile(Fcb, (ULONGLONG)EndOfFile->EndOfFile.QuadPart);
        FatpReleaseVcb(Vcb);
        return Status;
    }
    if (Class == FileBasicInformation)
        return FatpSetBasic(Vcb, Fcb, Irp->AssociatedIrp.SystemBuffer, Stack->Parameters.SetFile.Length);
    if (Class == FileRenameInformation)
        return FatpSetRename(Vcb, Fcb, Irp->AssociatedIrp.SystemBuffer, Stack->Parameters.SetFile.Length,
                             Stack->Parameters.SetFile.FileObject);
    if (Class != FileDispositionInformation)
        return STATUS_INVALID_PARAMETER;
    if (Stack->Parameters.SetFile.Length < sizeof(*Disposition))
        return STATUS_INFO_LENGTH_MISMATCH;
    FatpAcquireVcb(Vcb);
    Context = Fcb->Context;
    if (!Disposition->DeleteFile) {
        Context->DeletePending = FALSE;
    } else if (Fcb->IsRoot || (Fcb->Dirent.Attributes & FAT_ATTRIBUTE_READONLY)) {
        /* What FatDelete would refuse at the last cleanup is refused now, as in NT.
           A directory that is not empty is found out only then (NT checks here). */
        Status = STATUS_CANNOT_DELETE;
    } else if (Fcb->Deleted) {
        Status = STATUS_FILE_DELETED;
    } else if (!MmFlushImageSection(&Context->SectionObjectPointers, MmFlushForDelete)) {
        Status = STATUS_CANNOT_DELETE;      /* an image of it is mapped (NT's answer) */
    } else {
        Context->DeletePending = TRUE;
    }
    FatpReleaseVcb(Vcb);
    return Status;
}

NTSTATUS FatFsdSetInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFATP_VCB Vcb = DeviceObject->DeviceExtension;
    NTSTATUS Status = STATUS_INVALID_DEVICE_REQUEST;

    if (Vcb != NULL)
        Status = FatpSetInformation(Vcb, Irp);
    return FatpComplete(Irp, Status, 0);
}

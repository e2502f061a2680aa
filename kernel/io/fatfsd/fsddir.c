/*
 * fsddir.c - IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY on a FAT volume (NT:
 * fastfat's dirctrl.c, FatQueryDirectory): FileDirectoryInformation and
 * FileBothDirectoryInformation, one FatQueryDirectory call per entry, from the
 * cursor of this open (the CCB in FsContext2).
 *
 * NT's rules, as fastfat keeps them: the pattern is the first query's and stays for
 * the life of the open (a later FileName is ignored, RestartScan included); the first
 * query that finds nothing is STATUS_NO_SUCH_FILE, every other STATUS_NO_MORE_FILES;
 * an entry that does not fit ends the buffer and is returned by the next call, except
 * the first, which is cut short and returned with STATUS_BUFFER_OVERFLOW. The buffer
 * is the I/O manager's (buffered I/O, Irp->AssociatedIrp.SystemBuffer); fastfat
 * writes the caller's buffer directly (neither I/O). SL_INDEX_SPECIFIED is ignored,
 * as fastfat ignores it. FileIndex is the entry's place in the directory (fastfat:
 * its byte offset), here the cursor before the entry.
 */
#include "fsdp.h"

#define FATP_ALIGN8(Value) (((Value) + 7) & ~7UL)

/* The fixed part of an entry of Class, which FileName follows. */
static ULONG FatpEntryHeader(FILE_INFORMATION_CLASS Class)
{
    return Class == FileBothDirectoryInformation ? FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, FileName)
                                                 : FIELD_OFFSET(FILE_DIRECTORY_INFORMATION, FileName);
}

/* Writes Entry at Buffer in Class, with at most NameBytes of its name. */
static VOID FatpFillEntry(PVOID Buffer, FILE_INFORMATION_CLASS Class, const FAT_DIRECTORY_INFORMATION *Entry,
                          ULONG FileIndex, ULONG NameBytes)
{
    /* The two classes agree up to FileNameLength (offset 0x3C). */
    PFILE_DIRECTORY_INFORMATION Directory = Buffer;
    PFILE_BOTH_DIR_INFORMATION Both = Buffer;

    memset(Buffer, 0, FatpEntryHeader(Class));
    Directory->FileIndex = FileIndex;
    Directory->CreationTime = Entry->CreationTime;
    Directory->LastAccessTime = Entry->LastAccessTime;
    Directory->LastWriteTime = Entry->LastWriteTime;
    Directory->ChangeTime = Entry->LastWriteTime;       /* FAT keeps no change time */
    Directory->EndOfFile.QuadPart = Entry->EndOfFile;
    Directory->AllocationSize.QuadPart = (LONGLONG)Entry->AllocationSize;
    Directory->FileAttributes = Entry->FileAttributes;
    Directory->FileNameLength = Entry->FileNameLength;  /* the whole name's, even when cut */
    if (Class == FileBothDirectoryInformation) {
        Both->ShortNameLength = (CCHAR)Entry->ShortNameLength;
        memcpy(Both->ShortName, Entry->ShortName, Entry->ShortNameLength);
        memcpy(Both->FileName, Entry->FileName, NameBytes);
    } else {
        memcpy(Directory->FileName, Entry->FileName, NameBytes);
    }
}

static NTSTATUS FatpQueryDirectory(PFATP_VCB Vcb, PIRP Irp, PULONG_PTR Information)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = Stack->FileObject;
    FILE_INFORMATION_CLASS Class = Stack->Parameters.QueryDirectory.FileInformationClass;
    ULONG Length = Stack->Parameters.QueryDirectory.Length, Header = FatpEntryHeader(Class);
    PUNICODE_STRING FileName = Stack->Parameters.QueryDirectory.FileName;
    PUCHAR Buffer = Irp->AssociatedIrp.SystemBuffer;
    PFAT_DIRECTORY_INFORMATION Entry;
    ULONG Offset = 0, LastOffset = 0, End = 0, Count = 0, Before, Needed;
    BOOLEAN InitialQuery;
    NTSTATUS Status;
    PFATP_CCB Ccb;
    PFAT_FCB Fcb;

    if (FileObject == NULL || FileObject->FsContext == NULL || FileObject->FsContext2 == NULL)
        return STATUS_INVALID_PARAMETER;
    Fcb = FileObject->FsContext;
    Ccb = FileObject->FsContext2;
    if (!Fcb->IsDirectory)
        return STATUS_INVALID_PARAMETER;
    if (Class != FileDirectoryInformation && Class != FileBothDirectoryInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (Length < Header)
        return STATUS_INFO_LENGTH_MISMATCH;
    Entry = ExAllocatePoolWithTag(NonPagedPool, sizeof(*Entry), FATP_POOL_TAG);
    if (Entry == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;

    FatpAcquireVcb(Vcb);
    InitialQuery = !Ccb->SearchStarted;
    if (InitialQuery) {
        if (FileName != NULL && FileName->Length != 0) {
            Ccb->Pattern.Buffer = ExAllocatePoolWithTag(NonPagedPool, FileName->Length, FATP_POOL_TAG);
            if (Ccb->Pattern.Buffer == NULL) {
                FatpReleaseVcb(Vcb);
                ExFreePoolWithTag(Entry, FATP_POOL_TAG);
                return STATUS_INSUFFICIENT_RESOURCES;
            }
            memcpy(Ccb->Pattern.Buffer, FileName->Buffer, FileName->Length);
            Ccb->Pattern.Length = Ccb->Pattern.MaximumLength = FileName->Length;
        }
        Ccb->SearchStarted = TRUE;
        Ccb->Cursor = 0;
    } else if (Stack->Flags & SL_RESTART_SCAN) {
        Ccb->Cursor = 0;
    }

    for (;;) {
        Before = Ccb->Cursor;
        Status = FatQueryDirectory(Fcb, &Ccb->Pattern, &Ccb->Cursor, Entry);
        if (Status != STATUS_SUCCESS)
            break;
        Needed = Header + Entry->FileNameLength;
        if (Count == 0 && Needed > Length) {
            /* Not even the first fits: as much of its name as there is room for. */
            FatpFillEntry(Buffer, Class, Entry, Before, (Length - Header) & ~1UL);
            End = Length;
            Count++;
            Status = STATUS_BUFFER_OVERFLOW;
            break;
        }
        if (Count != 0 && (Offset > Length || Needed > Length - Offset)) {
            Ccb->Cursor = Before;           /* the next call returns it */
            break;
        }
        FatpFillEntry(Buffer + Offset, Class, Entry, Before, Entry->FileNameLength);
        if (Count != 0)
            ((PFILE_DIRECTORY_INFORMATION)(Buffer + LastOffset))->NextEntryOffset = Offset - LastOffset;
        LastOffset = Offset;
        End = Offset + Needed;
        Count++;
        if (Stack->Flags & SL_RETURN_SINGLE_ENTRY)
            break;
        Offset = FATP_ALIGN8(End);
    }
    FatpReleaseVcb(Vcb);
    ExFreePoolWithTag(Entry, FATP_POOL_TAG);

    if (Count == 0) {
        if (Status == STATUS_NO_MORE_FILES)
            Status = InitialQuery ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES;
        return Status;
    }
    *Information = End;
    if (Status == STATUS_BUFFER_OVERFLOW)
        return Status;
    /* An error after some entries (a bad cluster) is left for the next call, as
       fastfat leaves it: what was found is returned. */
    return STATUS_SUCCESS;
}

NTSTATUS FatFsdDirectoryControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFATP_VCB Vcb = DeviceObject->DeviceExtension;
    ULONG_PTR Information = 0;
    NTSTATUS Status = STATUS_INVALID_DEVICE_REQUEST;

    /* Change notification (IRP_MN_NOTIFY_CHANGE_DIRECTORY) does not exist here. */
    if (Vcb != NULL && IoGetCurrentIrpStackLocation(Irp)->MinorFunction == IRP_MN_QUERY_DIRECTORY)
        Status = FatpQueryDirectory(Vcb, Irp, &Information);
    return FatpComplete(Irp, Status, Information);
}

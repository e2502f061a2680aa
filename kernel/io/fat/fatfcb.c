/*
 * fatfcb.c - FCBs, paths and file information. NT: fastfat's strucsup.c (FCBs),
 * the path walk of create.c, and fileinfo.c's Basic information.
 *
 * One FCB per file that is open, found by where its short entry is (the directory's
 * first cluster and the entry's offset, which never move while the entry lives:
 * directories are never compacted). The FCB keeps the short entry as the truth and
 * writes it back after every change, so a directory scan always sees the current
 * size, first cluster and times. The root has a permanent FCB of its own.
 */
#include "fatp.h"

ULONG FatpDirentCluster(PFAT_VOLUME Volume, const FAT_DIRENT *Dirent)
{
    ULONG High = Volume->FatType == 32 ? (ULONG)Dirent->FirstClusterHigh << 16 : 0;

    return High | Dirent->FirstClusterLow;
}

VOID FatpSetDirentCluster(PFAT_VOLUME Volume, PFAT_DIRENT Dirent, ULONG Cluster)
{
    Dirent->FirstClusterLow = (USHORT)Cluster;
    Dirent->FirstClusterHigh = Volume->FatType == 32 ? (USHORT)(Cluster >> 16) : 0;
}

ULONG FatpFcbCluster(PFAT_FCB Fcb)
{
    return FatpDirentCluster(Fcb->Volume, FatpFcbDirent(Fcb));
}

/* ---- the FCB table ---- */

PFAT_FCB FatpFindFcb(PFAT_VOLUME Volume, ULONG ParentCluster, ULONG DirentOffset)
{
    PFAT_FCB Fcb;

    for (Fcb = Volume->FcbList; Fcb != NULL; Fcb = Fcb->Next) {
        if (Fcb->ParentCluster == ParentCluster && Fcb->DirentOffset == DirentOffset) {
            return Fcb;
        }
    }
    return NULL;
}

NTSTATUS FatpOpenFcb(PFAT_VOLUME Volume, ULONG ParentCluster, const FAT_ENTRY *Entry, PFAT_FCB *Result)
{
    PFAT_FCB Fcb = FatpFindFcb(Volume, ParentCluster, Entry->Offset);

    if (Fcb != NULL) {
        Fcb->ReferenceCount++;
        *Result = Fcb;
        return STATUS_SUCCESS;
    }
    /* A directory always has a cluster ("." lives in it); only ".." says 0. */
    if ((Entry->Dirent.Attributes & FAT_ATTRIBUTE_DIRECTORY) &&
        !FatpIsValidCluster(Volume, FatpDirentCluster(Volume, &Entry->Dirent))) {
        return STATUS_FILE_CORRUPT_ERROR;
    }
    Fcb = FatpAllocate(Volume, sizeof(*Fcb));
    if (Fcb == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memset(Fcb, 0, sizeof(*Fcb));
    Fcb->Volume = Volume;
    Fcb->ReferenceCount = 1;
    Fcb->IsDirectory = (Entry->Dirent.Attributes & FAT_ATTRIBUTE_DIRECTORY) != 0;
    Fcb->ParentCluster = ParentCluster;
    Fcb->DirentOffset = Entry->Offset;
    Fcb->LfnOffset = Entry->LfnOffset;
    Fcb->Dirent = Entry->Dirent;
    Fcb->Next = Volume->FcbList;
    Fcb->Linked = TRUE;
    Volume->FcbList = Fcb;
    Volume->FcbCount++;
    *Result = Fcb;
    return STATUS_SUCCESS;
}

PFAT_FCB FatpCreateRootFcb(PFAT_VOLUME Volume)
{
    PFAT_FCB Fcb = FatpAllocate(Volume, sizeof(*Fcb));

    if (Fcb != NULL) {
        memset(Fcb, 0, sizeof(*Fcb));
        Fcb->Volume = Volume;
        Fcb->IsDirectory = TRUE;
        Fcb->IsRoot = TRUE;
        FatpFcbDirent(Fcb)->Attributes = FAT_ATTRIBUTE_DIRECTORY;
        FatpSetDirentCluster(Volume, FatpFcbDirent(Fcb), Volume->RootCluster);
    }
    return Fcb;
}

VOID FatpUnlinkFcb(PFAT_FCB Fcb)
{
    PFAT_FCB *Link = &Fcb->Volume->FcbList;

    while (Fcb->Linked && *Link != NULL) {
        if (*Link == Fcb) {
            *Link = Fcb->Next;
            Fcb->Linked = FALSE;
        } else {
            Link = &(*Link)->Next;
        }
    }
}

VOID FatClose(PFAT_FCB Fcb)
{
    PFAT_VOLUME Volume = Fcb->Volume;

    if (Fcb->ReferenceCount == 0 || --Fcb->ReferenceCount != 0 || Fcb->IsRoot) {
        return;
    }
    FatpUnlinkFcb(Fcb);
    Volume->FcbCount--;
    FatpFree(Volume, Fcb);
}

NTSTATUS FatpWriteFcbDirent(PFAT_FCB Fcb)
{
    if (Fcb->IsRoot) {
        return STATUS_SUCCESS;      /* the root has no entry */
    }
    return FatpWriteDirent(Fcb->Volume, Fcb->ParentCluster, Fcb->DirentOffset, &Fcb->Dirent);
}

NTSTATUS FatpCheckFcb(PFAT_FCB Fcb, BOOLEAN Modify)
{
    if (Fcb->Deleted) {
        return STATUS_FILE_DELETED;
    }
    if (Modify && Fcb->Volume->ReadOnly) {
        return STATUS_MEDIA_WRITE_PROTECTED;
    }
    return STATUS_SUCCESS;
}

VOID FatpCurrentTime(PFAT_VOLUME Volume, PUSHORT Date, PUSHORT Time, PUCHAR Tenths)
{
    LARGE_INTEGER Now;

    Now.QuadPart = 0;
    if (Volume->Parameters.QuerySystemTime != NULL) {
        Volume->Parameters.QuerySystemTime(Volume->Parameters.TimeContext, &Now);
    }
    FatpNtTimeToFatTime(Now.QuadPart, Date, Time, Tenths);
}

/* ---- paths ---- */

NTSTATUS FatpWalkPath(PFAT_VOLUME Volume, PFAT_FCB Related, PCUNICODE_STRING Path,
                      PFAT_PATH Result, PFAT_ENTRY Scratch)
{
    PCWSTR Buffer = Path != NULL ? Path->Buffer : NULL;
    ULONG Length = Path != NULL ? Path->Length / sizeof(WCHAR) : 0, Position = 0, End;
    ULONG Directory;
    NTSTATUS Status;

    memset(Result, 0, sizeof(*Result));
    Result->Start = Related != NULL ? Related : Volume->RootFcb;
    if (Related != NULL && Related->Deleted) {
        return STATUS_FILE_DELETED;
    }
    if (Length != 0 && Buffer[0] == '\\') {
        if (Related != NULL) {
            return STATUS_OBJECT_NAME_INVALID;     /* relative names do not start at the root */
        }
        Position = 1;
    }
    if (Length > Position && Buffer[Length - 1] == '\\') {
        Result->TrailingSlash = TRUE;
        Length--;
    }
    Directory = FatpFcbCluster(Result->Start);
    Result->Directory = Directory;
    if (Position == Length) {
        return STATUS_SUCCESS;                     /* the start itself */
    }
    if (!Result->Start->IsDirectory) {
        return STATUS_OBJECT_PATH_NOT_FOUND;       /* a name below a file: fastfat's answer */
    }
    for (;;) {
        for (End = Position; End < Length && Buffer[End] != '\\'; End++) {
        }
        if (!FatpIsValidLongName(Buffer + Position, End - Position)) {
            return STATUS_OBJECT_NAME_INVALID;
        }
        if (End == Length) {
            Result->Directory = Directory;
            Result->Name = Buffer + Position;
            Result->NameLength = End - Position;
            return STATUS_SUCCESS;
        }
        Status = FatpLookup(Volume, Directory, Buffer + Position, End - Position, Scratch);
        if (Status == STATUS_OBJECT_NAME_NOT_FOUND) {
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if (!(Scratch->Dirent.Attributes & FAT_ATTRIBUTE_DIRECTORY)) {
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
        Directory = FatpDirentCluster(Volume, &Scratch->Dirent);
        if (!FatpIsValidCluster(Volume, Directory)) {
            return STATUS_FILE_CORRUPT_ERROR;
        }
        Position = End + 1;
    }
}

/* ---- information ---- */

NTSTATUS FatQueryFileInformation(PFAT_FCB Fcb, PFAT_FILE_INFORMATION Information)
{
    PFAT_VOLUME Volume = Fcb->Volume;
    PFAT_DIRENT Dirent = FatpFcbDirent(Fcb);
    NTSTATUS Status = FatpCheckFcb(Fcb, FALSE);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    memset(Information, 0, sizeof(*Information));
    Information->Directory = Fcb->IsDirectory;
    Information->FileAttributes = Dirent->Attributes & (FAT_ATTRIBUTE_CHANGEABLE | FAT_ATTRIBUTE_DIRECTORY);
    if (Information->FileAttributes == 0) {
        Information->FileAttributes = FAT_ATTRIBUTE_NORMAL;
    }
    if (Fcb->IsRoot && Volume->RootCluster == 0) {
        Information->AllocationSize = Volume->RootEntryCount * FAT_DIRENT_SIZE;
        return STATUS_SUCCESS;
    }
    if (Fcb->IsDirectory) {
        Fcb->AllocationKnown = FALSE;   /* directories grow behind their FCB's back */
    }
    Status = FatpLoadAllocation(Fcb);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Information->AllocationSize = (ULONGLONG)Fcb->AllocatedClusters << Volume->ClusterShift;
    if (Fcb->IsRoot) {
        return STATUS_SUCCESS;      /* no entry, no times */
    }
    Information->EndOfFile = Fcb->IsDirectory ? 0 : Dirent->FileSize;
    Information->CreationTime.QuadPart =
        FatpFatTimeToNtTime(Dirent->CreationDate, Dirent->CreationTime, Dirent->CreationTimeTenths);
    Information->LastAccessTime.QuadPart = FatpFatTimeToNtTime(Dirent->LastAccessDate, 0, 0);
    Information->LastWriteTime.QuadPart =
        FatpFatTimeToNtTime(Dirent->LastWriteDate, Dirent->LastWriteTime, 0);
    Information->ChangeTime = Information->LastWriteTime;
    return STATUS_SUCCESS;
}

static BOOLEAN FatpTimeGiven(const LARGE_INTEGER *Time)
{
    return Time->QuadPart != 0 && Time->QuadPart != -1;
}

NTSTATUS FatSetBasicInformation(PFAT_FCB Fcb, const FAT_BASIC_INFORMATION *Information)
{
    PFAT_DIRENT Dirent = FatpFcbDirent(Fcb);
    FAT_DIRENT Old = *Dirent;
    USHORT Date, Time;
    UCHAR Tenths;
    NTSTATUS Status = FatpCheckFcb(Fcb, TRUE);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Fcb->IsRoot) {
        return STATUS_INVALID_PARAMETER;    /* the root has no entry to keep them in */
    }
    if (FatpTimeGiven(&Information->CreationTime)) {
        FatpNtTimeToFatTime(Information->CreationTime.QuadPart, &Date, &Time, &Tenths);
        Dirent->CreationDate = Date;
        Dirent->CreationTime = Time;
        Dirent->CreationTimeTenths = Tenths;
    }
    if (FatpTimeGiven(&Information->LastAccessTime)) {
        FatpNtTimeToFatTime(Information->LastAccessTime.QuadPart, &Date, &Time, &Tenths);
        Dirent->LastAccessDate = Date;
    }
    if (FatpTimeGiven(&Information->LastWriteTime)) {
        FatpNtTimeToFatTime(Information->LastWriteTime.QuadPart, &Date, &Time, &Tenths);
        Dirent->LastWriteDate = Date;
        Dirent->LastWriteTime = Time;
    }
    if (Information->FileAttributes != 0) {
        Dirent->Attributes = (UCHAR)((Dirent->Attributes & FAT_ATTRIBUTE_DIRECTORY) |
                                     (Information->FileAttributes & FAT_ATTRIBUTE_CHANGEABLE));
    }
    Status = FatpWriteFcbDirent(Fcb);
    if (!NT_SUCCESS(Status)) {
        *Dirent = Old;                      /* the disk kept the old entry */
    }
    return FatpFinish(Fcb->Volume, Status);
}

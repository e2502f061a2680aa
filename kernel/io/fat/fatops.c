/*
 * fatops.c - the operations on names: create and open, delete, rename. NT: fastfat's
 * create.c (FatCommonCreate) and fileinfo.c (Disposition and Rename information).
 *
 * The order of the steps is what keeps a volume consistent when one fails: room in
 * the directory is found (the directory grown) before anything is written; a new
 * directory's cluster is allocated and filled before the entry that names it; a
 * renamed file's new entries are written before its old ones are removed (and taken
 * back if the old ones cannot be), and a file it replaces goes only once the room for
 * the new name is certain; a deleted file's short entry goes before its clusters are
 * freed. DISK_FULL always comes before the first change. An I/O error
 * midway is undone as far as the disk lets us: the aim is that every cluster stays
 * free or in exactly one chain whatever write fails (test_fatbad.c fails each in turn).
 *
 * Disposition semantics are NT's, including fastfat's answers for directories: a
 * directory exists only to be opened (FILE_OPEN, FILE_OPEN_IF); any other
 * disposition on one is STATUS_OBJECT_NAME_COLLISION. Overwriting or superseding a
 * file sets its attributes to the ones given plus ARCHIVE; a read-only file, or a
 * hidden or system one whose attribute the caller did not repeat, is
 * STATUS_ACCESS_DENIED, as on NT.
 */
#include "fatp.h"

#define FAT_DOTDOT_OFFSET FAT_DIRENT_SIZE      /* ".." is a directory's second entry */

static PFAT_ENTRY FatpAllocateEntry(PFAT_VOLUME Volume)
{
    /* 560 bytes: from the allocator, not from a 12 KB kernel stack. */
    return FatpAllocate(Volume, sizeof(FAT_ENTRY));
}

static ULONG FatpParentReference(PFAT_VOLUME Volume, ULONG Directory)
{
    return Directory == Volume->RootCluster ? 0 : Directory;   /* ".." names the root as 0 */
}

/* A new directory's cluster with "." and "..", zeroed otherwise. */
static NTSTATUS FatpMakeDirectoryCluster(PFAT_VOLUME Volume, ULONG Parent, const FAT_DIRENT *Template,
                                         PULONG Result)
{
    FAT_DIRENT Dot;
    ULONG Cluster;
    NTSTATUS Status = FatpAllocateClusters(Volume, 1, 0, &Cluster, NULL);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Status = FatpZeroCluster(Volume, Cluster);
    Dot = *Template;
    memcpy(Dot.Name, ".          ", 11);
    Dot.Attributes = FAT_ATTRIBUTE_DIRECTORY;
    Dot.NtCase = 0;
    FatpSetDirentCluster(Volume, &Dot, Cluster);
    if (NT_SUCCESS(Status)) {
        Status = FatpWriteDirent(Volume, Cluster, 0, &Dot);
    }
    memcpy(Dot.Name, "..         ", 11);
    FatpSetDirentCluster(Volume, &Dot, FatpParentReference(Volume, Parent));
    if (NT_SUCCESS(Status)) {
        Status = FatpWriteDirent(Volume, Cluster, FAT_DOTDOT_OFFSET, &Dot);
    }
    if (!NT_SUCCESS(Status)) {
        FatpFreeChain(Volume, Cluster);
        return Status;
    }
    *Result = Cluster;
    return STATUS_SUCCESS;
}

/* Writes the entries for a new file or directory; Entry says where they went. */
static NTSTATUS FatpCreateEntry(PFAT_VOLUME Volume, ULONG Directory, PCWSTR Name, ULONG Length,
                                BOOLEAN IsDirectory, ULONG Attributes, PFAT_ENTRY Entry)
{
    PFAT_DIRENT Dirent = &Entry->Dirent;
    ULONG Count, Offset, Cluster = 0;
    BOOLEAN NeedsLfn;
    NTSTATUS Status;

    memset(Dirent, 0, sizeof(*Dirent));
    Status = FatpChooseShortName(Volume, Directory, Name, Length, FAT_NO_SECTOR, Dirent, &NeedsLfn);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Count = NeedsLfn ? FatpEntrySetCount(Length) : 1;
    Status = FatpFindFreeEntries(Volume, Directory, Count, &Offset);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Dirent->Attributes = (UCHAR)(Attributes & FAT_ATTRIBUTE_CHANGEABLE);
    Dirent->Attributes |= IsDirectory ? FAT_ATTRIBUTE_DIRECTORY : FAT_ATTRIBUTE_ARCHIVE;
    FatpCurrentTime(Volume, &Dirent->CreationDate, &Dirent->CreationTime, &Dirent->CreationTimeTenths);
    Dirent->LastWriteDate = Dirent->LastAccessDate = Dirent->CreationDate;
    Dirent->LastWriteTime = Dirent->CreationTime;
    if (IsDirectory) {
        Status = FatpMakeDirectoryCluster(Volume, Directory, Dirent, &Cluster);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        FatpSetDirentCluster(Volume, Dirent, Cluster);
    }
    Status = FatpWriteEntrySet(Volume, Directory, Offset, Name, NeedsLfn ? Length : 0, Dirent);
    if (!NT_SUCCESS(Status)) {
        if (Cluster != 0) {
            FatpFreeChain(Volume, Cluster);
        }
        return Status;
    }
    Entry->LfnOffset = Offset;
    Entry->Offset = Offset + (Count - 1) * FAT_DIRENT_SIZE;
    return STATUS_SUCCESS;
}

/* FILE_SUPERSEDE, FILE_OVERWRITE(_IF) on an existing file. */
static NTSTATUS FatpOverwrite(PFAT_FCB Fcb, ULONG Attributes)
{
    PFAT_DIRENT Dirent = FatpFcbDirent(Fcb);
    ULONG Kept = FAT_ATTRIBUTE_HIDDEN | FAT_ATTRIBUTE_SYSTEM;
    UCHAR Old;
    NTSTATUS Status = FatpCheckFcb(Fcb, TRUE);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if ((Dirent->Attributes & FAT_ATTRIBUTE_READONLY) ||
        (Dirent->Attributes & Kept & ~Attributes) != 0) {
        return STATUS_ACCESS_DENIED;
    }
    Old = Dirent->Attributes;
    Dirent->Attributes = (UCHAR)((Attributes & FAT_ATTRIBUTE_CHANGEABLE) | FAT_ATTRIBUTE_ARCHIVE);
    Status = FatpSetFileSize(Fcb, 0);
    if (!NT_SUCCESS(Status)) {
        Dirent->Attributes = Old;
    }
    return Status;
}

static NTSTATUS FatpOpenExisting(PFAT_FCB Fcb, ULONG Disposition, ULONG Options, ULONG Attributes,
                                 PULONG Information)
{
    if (Fcb->IsDirectory) {
        if (Options & FAT_CREATE_NON_DIRECTORY) {
            return STATUS_FILE_IS_A_DIRECTORY;
        }
        if (Disposition != FAT_CREATE_OPEN && Disposition != FAT_CREATE_OPEN_IF) {
            return STATUS_OBJECT_NAME_COLLISION;
        }
        *Information = FAT_OPENED;
        return STATUS_SUCCESS;
    }
    if (Options & FAT_CREATE_DIRECTORY) {
        return STATUS_NOT_A_DIRECTORY;
    }
    switch (Disposition) {
    case FAT_CREATE_CREATE:
        return STATUS_OBJECT_NAME_COLLISION;
    case FAT_CREATE_SUPERSEDE:
    case FAT_CREATE_OVERWRITE:
    case FAT_CREATE_OVERWRITE_IF:
        *Information = Disposition == FAT_CREATE_SUPERSEDE ? FAT_SUPERSEDED : FAT_OVERWRITTEN;
        return FatpOverwrite(Fcb, Attributes);
    default:
        *Information = FAT_OPENED;
        return STATUS_SUCCESS;
    }
}

/* The last component of Parsed does not exist: make it, and its FCB. */
static NTSTATUS FatpCreateNew(PFAT_VOLUME Volume, PFAT_PATH Parsed, BOOLEAN WantDirectory, ULONG Attributes,
                              PFAT_ENTRY Entry, PFAT_FCB *Fcb)
{
    BOOLEAN Removed;
    NTSTATUS Status;

    if (Parsed->TrailingSlash && !WantDirectory) {
        return STATUS_OBJECT_NAME_INVALID;
    }
    if (Volume->ReadOnly) {
        return STATUS_MEDIA_WRITE_PROTECTED;
    }
    Status = FatpCreateEntry(Volume, Parsed->Directory, Parsed->Name, Parsed->NameLength, WantDirectory,
                             Attributes, Entry);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Status = FatpOpenFcb(Volume, Parsed->Directory, Entry, Fcb);
    if (!NT_SUCCESS(Status)) {
        /* No memory for the FCB: take the new file back off the disk. */
        FatpDeleteEntrySet(Volume, Parsed->Directory, Entry->LfnOffset, Entry->Offset, &Removed);
        if (WantDirectory && Removed) {
            FatpFreeChain(Volume, FatpDirentCluster(Volume, &Entry->Dirent));
        }
    }
    return Status;
}

NTSTATUS FatCreate(PFAT_VOLUME Volume, PFAT_FCB RelatedDirectory, PCUNICODE_STRING Path,
                   ULONG Disposition, ULONG Options, ULONG FileAttributes,
                   PFAT_FCB *Result, PULONG Information)
{
    BOOLEAN WantDirectory = (Options & FAT_CREATE_DIRECTORY) != 0, Created = FALSE;
    PFAT_FCB Fcb = NULL;
    PFAT_ENTRY Entry;
    FAT_PATH Parsed;
    NTSTATUS Status;

    *Result = NULL;
    *Information = 0;
    if (Disposition > FAT_CREATE_OVERWRITE_IF || (WantDirectory && (Options & FAT_CREATE_NON_DIRECTORY)) ||
        (WantDirectory && Disposition != FAT_CREATE_CREATE && Disposition != FAT_CREATE_OPEN &&
         Disposition != FAT_CREATE_OPEN_IF)) {
        return STATUS_INVALID_PARAMETER;
    }
    Entry = FatpAllocateEntry(Volume);
    if (Entry == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Status = FatpWalkPath(Volume, RelatedDirectory, Path, &Parsed, Entry);
    if (NT_SUCCESS(Status) && Parsed.Name == NULL) {
        /* The path names where it started: the root or the related file. */
        Fcb = Parsed.Start;
        Fcb->ReferenceCount++;
    } else if (NT_SUCCESS(Status)) {
        Status = FatpLookup(Volume, Parsed.Directory, Parsed.Name, Parsed.NameLength, Entry);
        if (NT_SUCCESS(Status)) {
            if (Parsed.TrailingSlash && !(Entry->Dirent.Attributes & FAT_ATTRIBUTE_DIRECTORY)) {
                Status = STATUS_OBJECT_NAME_INVALID;
            } else {
                Status = FatpOpenFcb(Volume, Parsed.Directory, Entry, &Fcb);
            }
        } else if (Status == STATUS_OBJECT_NAME_NOT_FOUND && Disposition != FAT_CREATE_OPEN &&
                   Disposition != FAT_CREATE_OVERWRITE) {
            Status = FatpCreateNew(Volume, &Parsed, WantDirectory, FileAttributes, Entry, &Fcb);
            Created = NT_SUCCESS(Status);
        }
    }
    FatpFree(Volume, Entry);
    if (NT_SUCCESS(Status) && !Created) {
        Status = FatpOpenExisting(Fcb, Disposition, Options, FileAttributes, Information);
    }
    if (!NT_SUCCESS(Status)) {
        if (Fcb != NULL) {
            FatClose(Fcb);
        }
        *Information = 0;
    } else {
        *Result = Fcb;
        if (Created) {
            *Information = FAT_CREATED;
        }
    }
    return FatpFinish(Volume, Status);
}

NTSTATUS FatDelete(PFAT_FCB Fcb)
{
    PFAT_VOLUME Volume = Fcb->Volume;
    ULONG Cluster = FatpFcbCluster(Fcb);
    BOOLEAN Removed = FALSE;
    NTSTATUS Status = FatpCheckFcb(Fcb, TRUE);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Fcb->IsRoot || (FatpFcbDirent(Fcb)->Attributes & FAT_ATTRIBUTE_READONLY)) {
        return STATUS_CANNOT_DELETE;
    }
    if (Fcb->IsDirectory) {
        Status = FatpCheckDirectoryEmpty(Volume, Cluster);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatpLoadAllocation(Fcb);          /* a broken chain: refuse, change nothing */
    }
    if (NT_SUCCESS(Status)) {
        Status = FatpDeleteEntrySet(Volume, Fcb->ParentCluster, Fcb->LfnOffset, Fcb->DirentOffset, &Removed);
    }
    if (Removed) {
        /* The name is gone: so must the clusters be, whatever else failed. */
        Fcb->Deleted = TRUE;
        FatpUnlinkFcb(Fcb);
        if (Cluster != 0) {
            NTSTATUS FreeStatus = FatpFreeChain(Volume, Cluster);
            Status = NT_SUCCESS(Status) ? FreeStatus : Status;
        }
    }
    return FatpFinish(Volume, Status);
}

/* Whether Directory is Moved or lies below it (walking up through ".." entries). */
static NTSTATUS FatpIsInside(PFAT_VOLUME Volume, ULONG Directory, ULONG Moved, PBOOLEAN Inside)
{
    FAT_DIRENT DotDot;
    ULONG Steps = 0;
    NTSTATUS Status;

    *Inside = FALSE;
    while (Directory != Volume->RootCluster) {
        if (Directory == Moved) {
            *Inside = TRUE;
            return STATUS_SUCCESS;
        }
        if (++Steps > Volume->ClusterCount) {
            return STATUS_FILE_CORRUPT_ERROR;
        }
        Status = FatpReadDirent(Volume, Directory, FAT_DOTDOT_OFFSET, &DotDot);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if (memcmp(DotDot.Name, "..         ", 11) != 0) {
            return STATUS_FILE_CORRUPT_ERROR;
        }
        Directory = FatpDirentCluster(Volume, &DotDot);
        if (Directory == 0) {
            Directory = Volume->RootCluster;
        }
    }
    return STATUS_SUCCESS;
}

/* Points the ".." entry of Directory at Parent. */
static NTSTATUS FatpSetDotDot(PFAT_VOLUME Volume, ULONG Directory, ULONG Parent)
{
    FAT_DIRENT DotDot;
    NTSTATUS Status = FatpReadDirent(Volume, Directory, FAT_DOTDOT_OFFSET, &DotDot);

    if (NT_SUCCESS(Status)) {
        FatpSetDirentCluster(Volume, &DotDot, FatpParentReference(Volume, Parent));
        Status = FatpWriteDirent(Volume, Directory, FAT_DOTDOT_OFFSET, &DotDot);
    }
    return Status;
}

static BOOLEAN FatpHasBackslash(PCUNICODE_STRING Name)
{
    ULONG Index;

    for (Index = 0; Index < Name->Length / sizeof(WCHAR); Index++) {
        if (Name->Buffer[Index] == '\\') {
            return TRUE;
        }
    }
    return FALSE;
}

/* Where the new name goes and, in Target, the entry it would replace (Offset ~0: none). */
static NTSTATUS FatpResolveRenameTarget(PFAT_FCB Fcb, PFAT_FCB Related, PCUNICODE_STRING NewName,
                                        BOOLEAN Replace, PFAT_PATH Parsed, PFAT_ENTRY Target)
{
    PFAT_VOLUME Volume = Fcb->Volume;
    BOOLEAN Inside;
    NTSTATUS Status;

    if (NewName == NULL || NewName->Length == 0) {
        return STATUS_OBJECT_NAME_INVALID;
    }
    if (Related == NULL && !FatpHasBackslash(NewName)) {
        memset(Parsed, 0, sizeof(*Parsed));
        Parsed->Directory = Fcb->ParentCluster;
        Parsed->Name = NewName->Buffer;
        Parsed->NameLength = NewName->Length / sizeof(WCHAR);
        if (!FatpIsValidLongName(Parsed->Name, Parsed->NameLength)) {
            return STATUS_OBJECT_NAME_INVALID;
        }
    } else {
        Status = FatpWalkPath(Volume, Related, NewName, Parsed, Target);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if (Parsed->Name == NULL || (Parsed->TrailingSlash && !Fcb->IsDirectory)) {
            return STATUS_OBJECT_NAME_INVALID;
        }
    }
    if (Fcb->IsDirectory && Parsed->Directory != Fcb->ParentCluster) {
        Status = FatpIsInside(Volume, Parsed->Directory, FatpFcbCluster(Fcb), &Inside);
        if (!NT_SUCCESS(Status) || Inside) {
            return NT_SUCCESS(Status) ? STATUS_INVALID_PARAMETER : Status;
        }
    }
    Status = FatpLookup(Volume, Parsed->Directory, Parsed->Name, Parsed->NameLength, Target);
    if (Status == STATUS_OBJECT_NAME_NOT_FOUND ||
        (NT_SUCCESS(Status) && Parsed->Directory == Fcb->ParentCluster &&
         Target->Offset == Fcb->DirentOffset)) {
        Target->Offset = FAT_NO_SECTOR;            /* free, or only this file itself (a new case) */
        return STATUS_SUCCESS;
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (!Replace) {
        return STATUS_OBJECT_NAME_COLLISION;
    }
    if ((Target->Dirent.Attributes & (FAT_ATTRIBUTE_DIRECTORY | FAT_ATTRIBUTE_READONLY)) ||
        FatpFindFcb(Volume, Parsed->Directory, Target->Offset) != NULL) {
        return STATUS_ACCESS_DENIED;
    }
    return STATUS_SUCCESS;
}

PFAT_FCB FatOpenRenameTarget(PFAT_FCB Fcb, PFAT_FCB RelatedDirectory, PCUNICODE_STRING NewName)
{
    PFAT_VOLUME Volume = Fcb->Volume;
    PFAT_ENTRY Target;
    FAT_PATH Parsed;
    PFAT_FCB Open = NULL;

    if (!NT_SUCCESS(FatpCheckFcb(Fcb, TRUE)) || Fcb->IsRoot) {
        return NULL;
    }
    Target = FatpAllocateEntry(Volume);
    if (Target == NULL) {
        return NULL;
    }
    if (FatpResolveRenameTarget(Fcb, RelatedDirectory, NewName, TRUE, &Parsed, Target) == STATUS_ACCESS_DENIED &&
        Target->Offset != FAT_NO_SECTOR) {
        Open = FatpFindFcb(Volume, Parsed.Directory, Target->Offset);
        if (Open != NULL) {
            Open->ReferenceCount++;
        }
    }
    FatpFree(Volume, Target);
    return Open;
}

NTSTATUS FatRename(PFAT_FCB Fcb, PFAT_FCB RelatedDirectory, PCUNICODE_STRING NewName,
                   BOOLEAN ReplaceIfExists)
{
    PFAT_VOLUME Volume = Fcb->Volume;
    PFAT_ENTRY Target;
    FAT_DIRENT Dirent = Fcb->Dirent;
    FAT_PATH Parsed;
    ULONG Count = 0, Offset = 0, Length, Last, Victim = 0;
    BOOLEAN NeedsLfn, Moved, Removed = FALSE;
    NTSTATUS Status = FatpCheckFcb(Fcb, TRUE);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Fcb->IsRoot) {
        return STATUS_INVALID_PARAMETER;
    }
    Target = FatpAllocateEntry(Volume);
    if (Target == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Status = FatpResolveRenameTarget(Fcb, RelatedDirectory, NewName, ReplaceIfExists, &Parsed, Target);
    if (NT_SUCCESS(Status) && Target->Offset != FAT_NO_SECTOR) {
        Victim = FatpDirentCluster(Volume, &Target->Dirent);
        Status = FatpWalkChain(Volume, Victim, &Length, &Last);    /* sound before anything changes */
    }
    if (NT_SUCCESS(Status)) {
        Status = FatpChooseShortName(Volume, Parsed.Directory, Parsed.Name, Parsed.NameLength,
                                     Parsed.Directory == Fcb->ParentCluster ? Fcb->DirentOffset : FAT_NO_SECTOR,
                                     &Dirent, &NeedsLfn);
    }
    if (NT_SUCCESS(Status)) {
        Count = NeedsLfn ? FatpEntrySetCount(Parsed.NameLength) : 1;
        Status = FatpFindFreeEntries(Volume, Parsed.Directory, Count, &Offset);
    }
    /* Room is there (DISK_FULL came before this). What is replaced goes first... */
    if (NT_SUCCESS(Status) && Target->Offset != FAT_NO_SECTOR) {
        Status = FatpDeleteEntrySet(Volume, Parsed.Directory, Target->LfnOffset, Target->Offset, &Removed);
        if (Removed && Victim != 0) {
            NTSTATUS FreeStatus = FatpFreeChain(Volume, Victim);
            Status = NT_SUCCESS(Status) ? FreeStatus : Status;
        }
    }
    /* ... then the new name, ".." of a directory that moves, and the old name last. */
    if (NT_SUCCESS(Status)) {
        Status = FatpWriteEntrySet(Volume, Parsed.Directory, Offset, Parsed.Name,
                                   NeedsLfn ? Parsed.NameLength : 0, &Dirent);
    }
    Moved = Fcb->IsDirectory && Parsed.Directory != Fcb->ParentCluster;
    if (NT_SUCCESS(Status) && Moved) {
        Status = FatpSetDotDot(Volume, FatpFcbCluster(Fcb), Parsed.Directory);
        if (!NT_SUCCESS(Status)) {
            FatpDeleteEntrySet(Volume, Parsed.Directory, Offset, Offset + (Count - 1) * FAT_DIRENT_SIZE, &Removed);
        }
    }
    if (NT_SUCCESS(Status)) {
        Status = FatpDeleteEntrySet(Volume, Fcb->ParentCluster, Fcb->LfnOffset, Fcb->DirentOffset, &Removed);
        if (!Removed) {
            /* The old name is still whole: take the new one back (best effort). */
            FatpDeleteEntrySet(Volume, Parsed.Directory, Offset, Offset + (Count - 1) * FAT_DIRENT_SIZE, &Removed);
            if (Moved) {
                FatpSetDotDot(Volume, FatpFcbCluster(Fcb), Fcb->ParentCluster);
            }
        } else {
            Fcb->ParentCluster = Parsed.Directory;
            Fcb->LfnOffset = Offset;
            Fcb->DirentOffset = Offset + (Count - 1) * FAT_DIRENT_SIZE;
            Fcb->Dirent = Dirent;
        }
    }
    FatpFree(Volume, Target);
    return FatpFinish(Volume, Status);
}

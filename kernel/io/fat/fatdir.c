/*
 * fatdir.c - directories: a stream of 32-byte entries, in the fixed root region of a
 * FAT12/16 volume or in a cluster chain. NT: fastfat's dirsup.c.
 *
 * A directory is named by its first cluster (0: the FAT12/16 root). Offsets are
 * bytes from its start. One directory sector is cached (Volume->DirectoryBuffer), and
 * a position in one directory's chain is remembered, so that a sequential scan costs
 * one FAT lookup per cluster, not one walk per entry. Changes are staged in the
 * cached sector and written when the next sector is needed and at the end of the
 * change: the entries of a name that share a sector reach the disk in one write, and
 * a name's short entry is written before (creating: after) its long-name entries, so
 * a failed write leaves at worst long-name entries that no short entry claims.
 *
 * A name is a run of long-name entries (last part first, each carrying the checksum
 * of the short name) followed by the short entry. A run that is broken (an ordinal
 * out of sequence, a checksum that does not match, a free entry in between) is
 * ignored and the short name stands alone, as the specification says.
 *
 * Directories grow by whole zeroed clusters, linked to the chain only once they are
 * zeroed, so a failed growth leaves the directory as it was. A directory is at most
 * 2 MB (65,536 entries); a chain that goes on past that is corrupt (a loop), and
 * reading it gives STATUS_FILE_CORRUPT_ERROR instead of going round forever.
 */
#include "fatp.h"

/* Where the 13 UTF-16 units of a long-name entry are, in bytes. */
static const UCHAR FatpLfnCharOffsets[FAT_LFN_CHARS] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };

#define FAT_LFN_CHECKSUM_OFFSET 13
#define FAT_DOT_NAME    ".          "
#define FAT_DOTDOT_NAME "..         "

/* ---- the stream ---- */

static NTSTATUS FatpDirectoryOffsetToSector(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset,
                                            PULONG Sector)
{
    ULONG Index, Current, Cluster, Next;
    NTSTATUS Status;

    if (Directory == 0) {
        if (Offset >= Volume->RootEntryCount * FAT_DIRENT_SIZE) {
            return STATUS_END_OF_FILE;
        }
        *Sector = Volume->RootDirectorySector + (Offset >> Volume->SectorShift);
        return STATUS_SUCCESS;
    }
    /* Past 2 MB only to see whether the chain (wrongly) goes on. */
    Index = (Offset < FAT_MAX_DIRECTORY_BYTES ? Offset : FAT_MAX_DIRECTORY_BYTES) >> Volume->ClusterShift;
    if (Volume->DirectoryHintFirst == Directory && Volume->DirectoryHintIndex <= Index) {
        Cluster = Volume->DirectoryHintCluster;
        Current = Volume->DirectoryHintIndex;
    } else {
        if (!FatpIsValidCluster(Volume, Directory)) {
            return STATUS_FILE_CORRUPT_ERROR;
        }
        Cluster = Directory;
        Current = 0;
    }
    while (Current < Index) {
        Status = FatpNextCluster(Volume, Cluster, &Next);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if (Next == FAT_CHAIN_END) {
            return STATUS_END_OF_FILE;
        }
        Cluster = Next;
        Current++;
    }
    Volume->DirectoryHintFirst = Directory;
    Volume->DirectoryHintIndex = Index;
    Volume->DirectoryHintCluster = Cluster;
    if (Offset >= FAT_MAX_DIRECTORY_BYTES) {
        return STATUS_FILE_CORRUPT_ERROR;
    }
    *Sector = FatpClusterToSector(Volume, Cluster) +
              ((Offset & (Volume->BytesPerCluster - 1)) >> Volume->SectorShift);
    return STATUS_SUCCESS;
}

/* Writes the staged directory sector, if there is one. */
static NTSTATUS FatpFlushDirectory(PFAT_VOLUME Volume)
{
    NTSTATUS Status;

    if (!Volume->DirectoryDirty) {
        return STATUS_SUCCESS;
    }
    Status = FatpWriteSectors(Volume, Volume->DirectorySector, 1, Volume->DirectoryBuffer);
    Volume->DirectoryDirty = FALSE;
    if (NT_SUCCESS(Status)) {
        Volume->DirectoryWrites++;
    }
    return Status;
}

static NTSTATUS FatpLoadDirectorySector(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset)
{
    ULONG Sector;
    NTSTATUS Status = FatpDirectoryOffsetToSector(Volume, Directory, Offset, &Sector);

    if (!NT_SUCCESS(Status) || Volume->DirectorySector == Sector) {
        return Status;
    }
    Status = FatpFlushDirectory(Volume);
    if (NT_SUCCESS(Status)) {
        Status = FatpReadSectors(Volume, Sector, 1, Volume->DirectoryBuffer);
    }
    Volume->DirectorySector = NT_SUCCESS(Status) ? Sector : FAT_NO_SECTOR;
    return Status;
}

NTSTATUS FatpReadDirent(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset, PVOID Entry)
{
    NTSTATUS Status = FatpLoadDirectorySector(Volume, Directory, Offset);

    if (NT_SUCCESS(Status)) {
        memcpy(Entry, Volume->DirectoryBuffer + (Offset & (Volume->BytesPerSector - 1)), FAT_DIRENT_SIZE);
    }
    return Status;
}

/* Changes an entry in the cached sector only; FatpFlushDirectory writes it. */
static NTSTATUS FatpStageDirent(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset, const VOID *Entry)
{
    NTSTATUS Status;

    if (Volume->ReadOnly) {
        return STATUS_MEDIA_WRITE_PROTECTED;
    }
    Status = FatpLoadDirectorySector(Volume, Directory, Offset);
    if (NT_SUCCESS(Status)) {
        memcpy(Volume->DirectoryBuffer + (Offset & (Volume->BytesPerSector - 1)), Entry, FAT_DIRENT_SIZE);
        Volume->DirectoryDirty = TRUE;
    }
    return Status;
}

NTSTATUS FatpWriteDirent(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset, const VOID *Entry)
{
    NTSTATUS Status = FatpStageDirent(Volume, Directory, Offset, Entry);

    return NT_SUCCESS(Status) ? FatpFlushDirectory(Volume) : Status;
}

/* ---- entries and their names ---- */

static BOOLEAN FatpIsLfnEntry(const UCHAR *Raw)
{
    return (Raw[11] & FAT_ATTRIBUTE_LFN_MASK) == FAT_ATTRIBUTE_LFN;
}

/* Copies one long-name entry's part of the name; its length when it is the last part. */
static ULONG FatpTakeLfnPart(const UCHAR *Raw, ULONG Ordinal, PWCHAR Name)
{
    ULONG Index, Position = (Ordinal - 1) * FAT_LFN_CHARS, Length = Position + FAT_LFN_CHARS;

    for (Index = 0; Index < FAT_LFN_CHARS; Index++) {
        WCHAR C = (WCHAR)(Raw[FatpLfnCharOffsets[Index]] | (Raw[FatpLfnCharOffsets[Index] + 1] << 8));

        if (C == 0 && Length == Position + FAT_LFN_CHARS) {
            Length = Position + Index;
        }
        if (Position + Index < FAT_MAX_NAME_LENGTH) {
            Name[Position + Index] = C;
        }
    }
    return Length;
}

NTSTATUS FatpNextEntry(PFAT_VOLUME Volume, ULONG Directory, PULONG Offset, PFAT_ENTRY Entry)
{
    UCHAR Raw[FAT_DIRENT_SIZE];
    ULONG Current = *Offset, Next = 0, LfnStart = 0, Length = 0;
    UCHAR Checksum = 0;
    BOOLEAN InLfn = FALSE;
    NTSTATUS Status;

    for (;; Current += FAT_DIRENT_SIZE) {
        Status = FatpReadDirent(Volume, Directory, Current, Raw);
        if (Status == STATUS_END_OF_FILE || (NT_SUCCESS(Status) && Raw[0] == FAT_DIRENT_END)) {
            *Offset = Current;
            return STATUS_NO_MORE_FILES;
        }
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if (Raw[0] == FAT_DIRENT_DELETED) {
            InLfn = FALSE;
            continue;
        }
        if (FatpIsLfnEntry(Raw)) {
            ULONG Ordinal = Raw[0] & FAT_LFN_ORDINAL_MASK;

            if ((Raw[0] & FAT_LFN_LAST) && Ordinal >= 1 && Ordinal <= FAT_LFN_MAX_ENTRIES) {
                Length = FatpTakeLfnPart(Raw, Ordinal, Entry->LongName);
                InLfn = Length != 0 && Length <= FAT_MAX_NAME_LENGTH;
                Checksum = Raw[FAT_LFN_CHECKSUM_OFFSET];
                LfnStart = Current;
                Next = Ordinal - 1;
            } else if (InLfn && Next != 0 && Ordinal == Next && !(Raw[0] & FAT_LFN_LAST) &&
                       Raw[FAT_LFN_CHECKSUM_OFFSET] == Checksum) {
                FatpTakeLfnPart(Raw, Ordinal, Entry->LongName);
                Next--;
            } else {
                InLfn = FALSE;
            }
            continue;
        }
        if (Raw[11] & FAT_ATTRIBUTE_VOLUME_ID) {
            InLfn = FALSE;          /* the volume label */
            continue;
        }
        break;
    }
    memcpy(&Entry->Dirent, Raw, FAT_DIRENT_SIZE);
    Entry->Offset = Current;
    if (InLfn && Next == 0 && FatpLfnChecksum(Raw) == Checksum) {
        Entry->LfnOffset = LfnStart;
        Entry->LongNameLength = Length;
    } else {
        Entry->LfnOffset = Current;
        Entry->LongNameLength = 0;
        Length = 0;
    }
    Entry->LongName[Length] = 0;
    Entry->ShortNameLength = FatpFormatShortName(&Entry->Dirent, FALSE, Entry->ShortName);
    Entry->ShortName[Entry->ShortNameLength] = 0;
    *Offset = Current + FAT_DIRENT_SIZE;
    return STATUS_SUCCESS;
}

NTSTATUS FatpLookup(PFAT_VOLUME Volume, ULONG Directory, PCWSTR Name, ULONG Length, PFAT_ENTRY Entry)
{
    ULONG Offset = 0;
    NTSTATUS Status;

    for (;;) {
        Status = FatpNextEntry(Volume, Directory, &Offset, Entry);
        if (Status == STATUS_NO_MORE_FILES) {
            return STATUS_OBJECT_NAME_NOT_FOUND;
        }
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if ((Entry->LongNameLength != 0 &&
             FatpNamesEqual(Entry->LongName, Entry->LongNameLength, Name, Length)) ||
            FatpNamesEqual(Entry->ShortName, Entry->ShortNameLength, Name, Length)) {
            return STATUS_SUCCESS;
        }
    }
}

/* Whether an entry of Directory has the 8.3 name ShortName (ASCII case folded). */
static NTSTATUS FatpShortNameExists(PFAT_VOLUME Volume, ULONG Directory, const UCHAR ShortName[11],
                                    ULONG Ignore, PBOOLEAN Exists)
{
    UCHAR Raw[FAT_DIRENT_SIZE];
    ULONG Offset, Index;
    NTSTATUS Status;

    *Exists = FALSE;
    for (Offset = 0;; Offset += FAT_DIRENT_SIZE) {
        Status = FatpReadDirent(Volume, Directory, Offset, Raw);
        if (Status == STATUS_END_OF_FILE || (NT_SUCCESS(Status) && Raw[0] == FAT_DIRENT_END)) {
            return STATUS_SUCCESS;
        }
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if (Raw[0] == FAT_DIRENT_DELETED || FatpIsLfnEntry(Raw) || (Raw[11] & FAT_ATTRIBUTE_VOLUME_ID) ||
            Offset == Ignore) {
            continue;
        }
        for (Index = 0; Index < 11 && FatpUpcase(Raw[Index]) == FatpUpcase(ShortName[Index]); Index++) {
        }
        if (Index == 11) {
            *Exists = TRUE;
            return STATUS_SUCCESS;
        }
    }
}

NTSTATUS FatpChooseShortName(PFAT_VOLUME Volume, ULONG Directory, PCWSTR Name, ULONG Length,
                             ULONG Ignore, PFAT_DIRENT Dirent, PBOOLEAN NeedsLfn)
{
    UCHAR Basis[11], Candidate[11];
    ULONG Number;
    BOOLEAN Exists = TRUE;
    NTSTATUS Status = STATUS_SUCCESS;

    /* An 8.3 name needs no alias (the caller made sure that no entry has it). */
    if (FatpIsShortName(Name, Length, Dirent->Name, &Dirent->NtCase)) {
        *NeedsLfn = FALSE;
        return STATUS_SUCCESS;
    }
    *NeedsLfn = TRUE;
    Dirent->NtCase = 0;
    if (!FatpMakeBasisName(Name, Length, Basis)) {
        memcpy(Candidate, Basis, sizeof(Candidate));
        Status = FatpShortNameExists(Volume, Directory, Candidate, Ignore, &Exists);
    }
    for (Number = 1; NT_SUCCESS(Status) && Exists && Number <= 999999; Number++) {
        FatpAddNumericTail(Basis, Number, Candidate);
        Status = FatpShortNameExists(Volume, Directory, Candidate, Ignore, &Exists);
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Exists) {
        return STATUS_OBJECT_NAME_COLLISION;   /* a million aliases of one basis */
    }
    memcpy(Dirent->Name, Candidate, sizeof(Candidate));
    return STATUS_SUCCESS;
}

/* ---- making room, writing and removing names ---- */

NTSTATUS FatpFindFreeEntries(PFAT_VOLUME Volume, ULONG Directory, ULONG Count, PULONG Result)
{
    UCHAR Raw[FAT_DIRENT_SIZE];
    ULONG Offset, Run = 0, RunStart = 0, Clusters, Length, Last, First, Cluster, Index;
    NTSTATUS Status;

    for (Offset = 0;; Offset += FAT_DIRENT_SIZE) {
        Status = FatpReadDirent(Volume, Directory, Offset, Raw);
        if (Status == STATUS_END_OF_FILE) {
            break;
        }
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if (Raw[0] == FAT_DIRENT_END || Raw[0] == FAT_DIRENT_DELETED) {
            if (Run++ == 0) {
                RunStart = Offset;
            }
            if (Run == Count) {
                *Result = RunStart;
                return STATUS_SUCCESS;
            }
        } else {
            Run = 0;
        }
    }
    /* Offset is the directory's size: grow it by zeroed clusters. */
    if (Directory == 0) {
        return STATUS_DISK_FULL;                /* the FAT12/16 root cannot grow (fastfat says the same) */
    }
    if (Run == 0) {
        RunStart = Offset;
    }
    Clusters = ((Count - Run) * FAT_DIRENT_SIZE + Volume->BytesPerCluster - 1) >> Volume->ClusterShift;
    if (Offset + (Clusters << Volume->ClusterShift) > FAT_MAX_DIRECTORY_BYTES) {
        return STATUS_DISK_FULL;
    }
    Status = FatpWalkChain(Volume, Directory, &Length, &Last);
    if (NT_SUCCESS(Status)) {
        Status = FatpAllocateClusters(Volume, Clusters, 0, &First, NULL);
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    for (Cluster = First, Index = 0; Index < Clusters && NT_SUCCESS(Status); Index++) {
        Status = FatpZeroCluster(Volume, Cluster);
        if (NT_SUCCESS(Status) && Index + 1 < Clusters) {
            Status = FatpNextCluster(Volume, Cluster, &Cluster);
        }
    }
    if (NT_SUCCESS(Status)) {
        Status = FatpSetFatEntry(Volume, Last, First);
    }
    if (!NT_SUCCESS(Status)) {
        FatpFreeChain(Volume, First);
        return Status;
    }
    *Result = RunStart;
    return STATUS_SUCCESS;
}

/* Stages one entry as free. */
static NTSTATUS FatpStageFree(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset)
{
    UCHAR Raw[FAT_DIRENT_SIZE];
    NTSTATUS Status = FatpReadDirent(Volume, Directory, Offset, Raw);

    if (NT_SUCCESS(Status)) {
        Raw[0] = FAT_DIRENT_DELETED;
        Status = FatpStageDirent(Volume, Directory, Offset, Raw);
    }
    return Status;
}

NTSTATUS FatpWriteEntrySet(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset, PCWSTR LongName,
                           ULONG Length, const FAT_DIRENT *Dirent)
{
    UCHAR Raw[FAT_DIRENT_SIZE];
    ULONG Count = Length ? FatpEntrySetCount(Length) - 1 : 0, Index, Slot;
    UCHAR Checksum = FatpLfnChecksum(Dirent->Name);
    NTSTATUS Status = STATUS_SUCCESS;

    for (Index = 0; Index < Count && NT_SUCCESS(Status); Index++) {
        ULONG Ordinal = Count - Index, Position = (Ordinal - 1) * FAT_LFN_CHARS;

        memset(Raw, 0, sizeof(Raw));
        Raw[0] = (UCHAR)(Ordinal | (Index == 0 ? FAT_LFN_LAST : 0));
        Raw[11] = FAT_ATTRIBUTE_LFN;
        Raw[FAT_LFN_CHECKSUM_OFFSET] = Checksum;
        for (Slot = 0; Slot < FAT_LFN_CHARS; Slot++) {
            ULONG Where = Position + Slot;
            WCHAR C = Where < Length ? LongName[Where] : Where == Length ? 0 : 0xFFFF;

            Raw[FatpLfnCharOffsets[Slot]] = (UCHAR)C;
            Raw[FatpLfnCharOffsets[Slot] + 1] = (UCHAR)(C >> 8);
        }
        Status = FatpStageDirent(Volume, Directory, Offset + Index * FAT_DIRENT_SIZE, Raw);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatpStageDirent(Volume, Directory, Offset + Count * FAT_DIRENT_SIZE, Dirent);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatpFlushDirectory(Volume);
    }
    if (!NT_SUCCESS(Status)) {
        /* Whatever of it reached the disk is taken back (best effort): the slots were free. */
        for (Index = 0; Index <= Count; Index++) {
            FatpStageFree(Volume, Directory, Offset + Index * FAT_DIRENT_SIZE);
        }
        FatpFlushDirectory(Volume);
    }
    return Status;
}

NTSTATUS FatpDeleteEntrySet(PFAT_VOLUME Volume, ULONG Directory, ULONG LfnOffset, ULONG Offset,
                            PBOOLEAN Removed)
{
    ULONG Current = Offset, Writes;
    NTSTATUS FlushStatus, Status = FatpStageFree(Volume, Directory, Offset);

    /*
     * Backwards from the short entry: its sector is written first, so the first write
     * that reaches the disk is the one that removes the name.
     */
    *Removed = FALSE;
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Writes = Volume->DirectoryWrites;
    while (Current > LfnOffset && NT_SUCCESS(Status)) {
        Current -= FAT_DIRENT_SIZE;
        Status = FatpStageFree(Volume, Directory, Current);
    }
    /* Whatever is staged goes out even after a failure, so *Removed is the disk's truth. */
    FlushStatus = FatpFlushDirectory(Volume);
    *Removed = Volume->DirectoryWrites != Writes;
    return NT_SUCCESS(Status) ? FlushStatus : Status;
}

NTSTATUS FatpCheckDirectoryEmpty(PFAT_VOLUME Volume, ULONG Directory)
{
    FAT_ENTRY *Entry;
    ULONG Offset = 0;
    NTSTATUS Status;

    Entry = FatpAllocate(Volume, sizeof(*Entry));
    if (Entry == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    do {
        Status = FatpNextEntry(Volume, Directory, &Offset, Entry);
    } while (NT_SUCCESS(Status) && (memcmp(Entry->Dirent.Name, FAT_DOT_NAME, 11) == 0 ||
                                    memcmp(Entry->Dirent.Name, FAT_DOTDOT_NAME, 11) == 0));
    FatpFree(Volume, Entry);
    if (Status == STATUS_NO_MORE_FILES) {
        return STATUS_SUCCESS;
    }
    return NT_SUCCESS(Status) ? STATUS_DIRECTORY_NOT_EMPTY : Status;
}

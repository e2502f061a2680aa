/*
 * fatfile.c - file data: read, write, extend, truncate. NT: fastfat's read.c,
 * write.c and the EndOfFile part of fileinfo.c, without the cache manager: data
 * goes straight between the caller's buffer and the sectors (whole sectors
 * directly, partial ones through Volume->Scratch).
 *
 * A file's chain is walked once (FatpLoadAllocation: checked for loops and broken
 * links, and that it is long enough for the file's size) and then remembered in the
 * FCB: its length, its last cluster, and the last position looked up, so reading or
 * writing a file front to back follows each link once.
 *
 * Growing a file allocates every cluster it needs first (all or nothing, so
 * STATUS_DISK_FULL changes nothing), records a new first cluster in the entry at
 * once (so the chain is never unreachable), zeroes any gap between the old end and
 * where the write starts, then writes. Shrinking cuts the chain and frees the rest.
 * FAT keeps no valid-data length, so extending writes the zeros out.
 */
#include "fatp.h"

typedef enum _FAT_TRANSFER {
    FatTransferRead,
    FatTransferWrite,
    FatTransferZero,
} FAT_TRANSFER;

static ULONG FatpClustersFor(PFAT_VOLUME Volume, ULONG Bytes)
{
    return (Bytes >> Volume->ClusterShift) + ((Bytes & (Volume->BytesPerCluster - 1)) != 0);
}

NTSTATUS FatpLoadAllocation(PFAT_FCB Fcb)
{
    PFAT_VOLUME Volume = Fcb->Volume;
    ULONG Count, Last;
    NTSTATUS Status;

    if (Fcb->AllocationKnown) {
        return STATUS_SUCCESS;
    }
    Status = FatpWalkChain(Volume, FatpFcbCluster(Fcb), &Count, &Last);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (!Fcb->IsDirectory && FatpClustersFor(Volume, FatpFcbDirent(Fcb)->FileSize) > Count) {
        return STATUS_FILE_CORRUPT_ERROR;      /* the size says more than the chain holds */
    }
    Fcb->AllocatedClusters = Count;
    Fcb->LastCluster = Last;
    Fcb->HintIndex = 0;
    Fcb->HintCluster = 0;
    Fcb->AllocationKnown = TRUE;
    return STATUS_SUCCESS;
}

/* The Index'th cluster of the file (Index < AllocatedClusters). */
static NTSTATUS FatpFileCluster(PFAT_FCB Fcb, ULONG Index, PULONG Result)
{
    ULONG Cluster, Current;
    NTSTATUS Status;

    if (Index + 1 == Fcb->AllocatedClusters) {
        Cluster = Fcb->LastCluster;
    } else {
        if (Fcb->HintCluster != 0 && Fcb->HintIndex <= Index) {
            Cluster = Fcb->HintCluster;
            Current = Fcb->HintIndex;
        } else {
            Cluster = FatpFcbCluster(Fcb);
            Current = 0;
        }
        for (; Current < Index; Current++) {
            Status = FatpNextCluster(Fcb->Volume, Cluster, &Cluster);
            if (!NT_SUCCESS(Status)) {
                return Status;
            }
            if (Cluster == FAT_CHAIN_END) {
                return STATUS_FILE_CORRUPT_ERROR;
            }
        }
    }
    Fcb->HintIndex = Index;
    Fcb->HintCluster = Cluster;
    *Result = Cluster;
    return STATUS_SUCCESS;
}

/* Moves Length bytes at Offset of the file (inside its allocation) in the given direction. */
static NTSTATUS FatpTransfer(PFAT_FCB Fcb, ULONG Offset, PUCHAR Buffer, ULONG Length, FAT_TRANSFER Kind)
{
    PFAT_VOLUME Volume = Fcb->Volume;
    ULONG BytesPerSector = Volume->BytesPerSector;
    ULONG Cluster, InCluster, InSector, Sector, Sectors, Chunk, Index;
    NTSTATUS Status;

    while (Length != 0) {
        Status = FatpFileCluster(Fcb, Offset >> Volume->ClusterShift, &Cluster);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        InCluster = Offset & (Volume->BytesPerCluster - 1);
        Sector = FatpClusterToSector(Volume, Cluster) + (InCluster >> Volume->SectorShift);
        InSector = InCluster & (BytesPerSector - 1);
        if (InSector != 0 || Length < BytesPerSector) {
            /* Part of a sector: through the scratch sector. */
            Chunk = BytesPerSector - InSector < Length ? BytesPerSector - InSector : Length;
            Status = FatpReadSectors(Volume, Sector, 1, Volume->Scratch);
            if (NT_SUCCESS(Status) && Kind == FatTransferRead) {
                memcpy(Buffer, Volume->Scratch + InSector, Chunk);
            } else if (NT_SUCCESS(Status)) {
                if (Kind == FatTransferWrite) {
                    memcpy(Volume->Scratch + InSector, Buffer, Chunk);
                } else {
                    memset(Volume->Scratch + InSector, 0, Chunk);
                }
                Status = FatpWriteSectors(Volume, Sector, 1, Volume->Scratch);
            }
        } else {
            /* Whole sectors, up to the end of this cluster: straight to or from the caller. */
            Sectors = Volume->SectorsPerCluster - (InCluster >> Volume->SectorShift);
            if (Sectors > Length >> Volume->SectorShift) {
                Sectors = Length >> Volume->SectorShift;
            }
            Chunk = Sectors << Volume->SectorShift;
            if (Kind == FatTransferRead) {
                Status = FatpReadSectors(Volume, Sector, Sectors, Buffer);
            } else if (Kind == FatTransferWrite) {
                Status = FatpWriteSectors(Volume, Sector, Sectors, Buffer);
            } else {
                for (Index = 0, Status = STATUS_SUCCESS; Index < Sectors && NT_SUCCESS(Status); Index++) {
                    Status = FatpWriteSectors(Volume, Sector + Index, 1, Volume->Zeros);
                }
            }
        }
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        Offset += Chunk;
        Length -= Chunk;
        if (Kind != FatTransferZero) {
            Buffer += Chunk;
        }
    }
    return STATUS_SUCCESS;
}

/* Makes the chain hold at least Size bytes: all or nothing. */
static NTSTATUS FatpExtendAllocation(PFAT_FCB Fcb, ULONG Size)
{
    PFAT_VOLUME Volume = Fcb->Volume;
    ULONG Needed = FatpClustersFor(Volume, Size), First, Last;
    NTSTATUS Status;

    if (Needed <= Fcb->AllocatedClusters) {
        return STATUS_SUCCESS;
    }
    Status = FatpAllocateClusters(Volume, Needed - Fcb->AllocatedClusters, Fcb->LastCluster, &First, &Last);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Fcb->AllocatedClusters == 0) {
        /* A new chain: the entry must point at it before anything else can fail. */
        FatpSetDirentCluster(Volume, FatpFcbDirent(Fcb), First);
        Status = FatpWriteFcbDirent(Fcb);
        if (!NT_SUCCESS(Status)) {
            FatpSetDirentCluster(Volume, FatpFcbDirent(Fcb), 0);
            FatpFreeChain(Volume, First);
            return Status;
        }
    }
    Fcb->AllocatedClusters = Needed;
    Fcb->LastCluster = Last;
    return STATUS_SUCCESS;
}

/* Cuts the chain to what Size needs and frees the rest. */
static NTSTATUS FatpTruncateAllocation(PFAT_FCB Fcb, ULONG Size)
{
    PFAT_VOLUME Volume = Fcb->Volume;
    PFAT_DIRENT Dirent = FatpFcbDirent(Fcb);
    ULONG Keep = FatpClustersFor(Volume, Size), Cluster, Rest;
    NTSTATUS Status;

    if (Keep >= Fcb->AllocatedClusters) {
        return STATUS_SUCCESS;
    }
    if (Keep == 0) {
        /* The entry lets go of the chain first, then the chain is freed. */
        ULONG OldSize = Dirent->FileSize;

        Rest = FatpFcbCluster(Fcb);
        FatpSetDirentCluster(Volume, Dirent, 0);
        Dirent->FileSize = 0;
        Status = FatpWriteFcbDirent(Fcb);
        if (!NT_SUCCESS(Status)) {
            FatpSetDirentCluster(Volume, Dirent, Rest);     /* the disk still has the old entry */
            Dirent->FileSize = OldSize;
        }
        Cluster = 0;
    } else {
        Status = FatpFileCluster(Fcb, Keep - 1, &Cluster);
        if (NT_SUCCESS(Status)) {
            Status = FatpNextCluster(Volume, Cluster, &Rest);
        }
        if (NT_SUCCESS(Status)) {
            Status = FatpSetFatEntry(Volume, Cluster, FatpEndOfChainValue(Volume));
        }
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Fcb->AllocatedClusters = Keep;
    Fcb->LastCluster = Cluster;
    if (Fcb->HintIndex >= Keep) {
        Fcb->HintIndex = 0;
        Fcb->HintCluster = 0;
    }
    return Rest == FAT_CHAIN_END ? STATUS_SUCCESS : FatpFreeChain(Volume, Rest);
}

static VOID FatpTouch(PFAT_FCB Fcb)
{
    PFAT_DIRENT Dirent = FatpFcbDirent(Fcb);
    UCHAR Tenths;

    FatpCurrentTime(Fcb->Volume, &Dirent->LastWriteDate, &Dirent->LastWriteTime, &Tenths);
    Dirent->LastAccessDate = Dirent->LastWriteDate;
    Dirent->Attributes |= FAT_ATTRIBUTE_ARCHIVE;
}

/*
 * After an I/O error in a write that had extended the chain: the size goes back to
 * what it was and the clusters the write took are given back (best effort), so that
 * the chain matches the size again.
 */
static VOID FatpUndoExtension(PFAT_FCB Fcb, ULONG OldSize)
{
    FatpFcbDirent(Fcb)->FileSize = OldSize;
    FatpTruncateAllocation(Fcb, OldSize);
    FatpWriteFcbDirent(Fcb);
}

NTSTATUS FatpSetFileSize(PFAT_FCB Fcb, ULONG NewSize)
{
    PFAT_DIRENT Dirent = FatpFcbDirent(Fcb);
    ULONG OldSize = Dirent->FileSize;
    NTSTATUS Status = FatpLoadAllocation(Fcb);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (NewSize <= OldSize) {
        /*
         * Shrinking: the entry first, then the chain. If cutting the chain fails, the
         * entry takes its old size back (best effort), so a size never outgrows its chain.
         */
        Dirent->FileSize = NewSize;
        FatpTouch(Fcb);
        Status = FatpWriteFcbDirent(Fcb);
        if (NT_SUCCESS(Status)) {
            Status = FatpTruncateAllocation(Fcb, NewSize);
        }
        if (!NT_SUCCESS(Status) && Dirent->FileSize == NewSize &&
            (ULONGLONG)Fcb->AllocatedClusters << Fcb->Volume->ClusterShift >= OldSize) {
            Dirent->FileSize = OldSize;
            FatpWriteFcbDirent(Fcb);
        }
        return Status;
    }
    /* Growing: the clusters, their zeros, then the entry; undone on failure. */
    Status = FatpExtendAllocation(Fcb, NewSize);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Status = FatpTransfer(Fcb, OldSize, NULL, NewSize - OldSize, FatTransferZero);
    if (NT_SUCCESS(Status)) {
        Dirent->FileSize = NewSize;
        FatpTouch(Fcb);
        Status = FatpWriteFcbDirent(Fcb);
    }
    if (!NT_SUCCESS(Status)) {
        FatpUndoExtension(Fcb, OldSize);
    }
    return Status;
}

NTSTATUS FatRead(PFAT_FCB Fcb, ULONGLONG Offset, PVOID Buffer, ULONG Length, PULONG BytesRead)
{
    ULONG Size = FatpFcbDirent(Fcb)->FileSize;
    NTSTATUS Status = FatpCheckFcb(Fcb, FALSE);

    *BytesRead = 0;
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Fcb->IsDirectory) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (Length == 0) {
        return STATUS_SUCCESS;
    }
    if (Offset >= Size) {
        return STATUS_END_OF_FILE;
    }
    if (Length > Size - (ULONG)Offset) {
        Length = Size - (ULONG)Offset;
    }
    Status = FatpLoadAllocation(Fcb);
    if (NT_SUCCESS(Status)) {
        Status = FatpTransfer(Fcb, (ULONG)Offset, Buffer, Length, FatTransferRead);
    }
    if (NT_SUCCESS(Status)) {
        *BytesRead = Length;
    }
    return Status;
}

NTSTATUS FatWrite(PFAT_FCB Fcb, ULONGLONG Offset, const VOID *Buffer, ULONG Length, PULONG BytesWritten)
{
    PFAT_DIRENT Dirent = FatpFcbDirent(Fcb);
    ULONG End, OldSize = Dirent->FileSize;
    BOOLEAN Extended = FALSE;
    NTSTATUS Status = FatpCheckFcb(Fcb, TRUE);

    *BytesWritten = 0;
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Fcb->IsDirectory) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (Length == 0) {
        return STATUS_SUCCESS;
    }
    if (Offset > FAT_MAX_FILE_SIZE || Length > FAT_MAX_FILE_SIZE - (ULONG)Offset) {
        return STATUS_DISK_FULL;                   /* FAT's 4 GB - 1 */
    }
    End = (ULONG)Offset + Length;
    Status = FatpLoadAllocation(Fcb);
    if (NT_SUCCESS(Status)) {
        Status = FatpExtendAllocation(Fcb, End);
        Extended = NT_SUCCESS(Status);
    }
    if (NT_SUCCESS(Status) && Offset > Dirent->FileSize) {
        Status = FatpTransfer(Fcb, Dirent->FileSize, NULL, (ULONG)Offset - Dirent->FileSize, FatTransferZero);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatpTransfer(Fcb, (ULONG)Offset, (PUCHAR)Buffer, Length, FatTransferWrite);
    }
    if (NT_SUCCESS(Status)) {
        if (End > Dirent->FileSize) {
            Dirent->FileSize = End;
        }
        FatpTouch(Fcb);
        Status = FatpWriteFcbDirent(Fcb);
    }
    if (NT_SUCCESS(Status)) {
        *BytesWritten = Length;
    } else if (Extended) {
        FatpUndoExtension(Fcb, OldSize);
    }
    return FatpFinish(Fcb->Volume, Status);
}

NTSTATUS FatSetEndOfFile(PFAT_FCB Fcb, ULONGLONG EndOfFile)
{
    NTSTATUS Status = FatpCheckFcb(Fcb, TRUE);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Fcb->IsDirectory) {
        return STATUS_INVALID_PARAMETER;
    }
    if (EndOfFile > FAT_MAX_FILE_SIZE) {
        return STATUS_DISK_FULL;
    }
    return FatpFinish(Fcb->Volume, FatpSetFileSize(Fcb, (ULONG)EndOfFile));
}

/*
 * fattable.c - the file allocation table: entries, chains, allocation and the free
 * count. NT: fastfat's allocsup.c.
 *
 * The FAT is read and changed one sector at a time through Volume->FatWindow. A
 * changed window is written back, to every FAT copy (or only the active one when a
 * FAT32 volume turned mirroring off), when another sector is needed or when the
 * operation ends (FatpFlushFat, from FatpFinish).
 *
 * The free count is counted at mount and then kept exact by FatpSetFatEntry, which
 * sees every change from free to used and back; so a request for more clusters than
 * are free fails before anything is touched. Allocation is all or nothing: a chain is
 * built from clusters marked end-of-chain one after another, and linked to the file
 * only when it is complete; on any failure what was taken is given back.
 *
 * Every walk along a chain is bounded by the number of clusters: a loop is
 * STATUS_FILE_CORRUPT_ERROR, never a hang. So is a link to a free, reserved, bad or
 * out-of-range cluster.
 */
#include "fatp.h"

#define FAT12_END_MIN   0xFF8
#define FAT16_END_MIN   0xFFF8
#define FAT32_END_MIN   0x0FFFFFF8

ULONG FatpEndOfChainValue(PFAT_VOLUME Volume)
{
    return Volume->FatType == 12 ? 0xFFF : Volume->FatType == 16 ? 0xFFFF : FAT32_ENTRY_MASK;
}

static BOOLEAN FatpIsEndOfChain(PFAT_VOLUME Volume, ULONG Value)
{
    ULONG EndMin = Volume->FatType == 12 ? FAT12_END_MIN :
                   Volume->FatType == 16 ? FAT16_END_MIN : FAT32_END_MIN;

    return Value >= EndMin;
}

/* ---- the window ---- */

static NTSTATUS FatpFlushFatWindow(PFAT_VOLUME Volume)
{
    ULONG Copy;
    NTSTATUS Status;

    if (!Volume->FatWindowDirty) {
        return STATUS_SUCCESS;
    }
    for (Copy = 0; Copy < Volume->NumberOfFats; Copy++) {
        if (!Volume->Mirrored && Copy != Volume->ActiveFat) {
            continue;
        }
        Status = FatpWriteSectors(Volume,
                                  Volume->ReservedSectors + Copy * Volume->SectorsPerFat +
                                      Volume->FatWindowSector,
                                  1, Volume->FatWindow);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
    }
    Volume->FatWindowDirty = FALSE;
    return STATUS_SUCCESS;
}

/* Makes FatWindow hold sector Index of the FAT (counted inside one copy). */
static NTSTATUS FatpLoadFatSector(PFAT_VOLUME Volume, ULONG Index)
{
    NTSTATUS Status;

    if (Volume->FatWindowSector == Index) {
        return STATUS_SUCCESS;
    }
    Status = FatpFlushFatWindow(Volume);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Status = FatpReadSectors(Volume,
                             Volume->ReservedSectors + Volume->ActiveFat * Volume->SectorsPerFat + Index,
                             1, Volume->FatWindow);
    Volume->FatWindowSector = NT_SUCCESS(Status) ? Index : FAT_NO_SECTOR;
    return Status;
}

/* The FAT's byte at Offset (FAT12 entries may straddle two sectors). */
static NTSTATUS FatpFatByte(PFAT_VOLUME Volume, ULONG Offset, PUCHAR Byte)
{
    NTSTATUS Status = FatpLoadFatSector(Volume, Offset >> Volume->SectorShift);

    if (NT_SUCCESS(Status)) {
        *Byte = Volume->FatWindow[Offset & (Volume->BytesPerSector - 1)];
    }
    return Status;
}

NTSTATUS FatpFlushFat(PFAT_VOLUME Volume)
{
    NTSTATUS Status = FatpFlushFatWindow(Volume);

    if (NT_SUCCESS(Status)) {
        Status = FatpUpdateFsInfo(Volume);
    }
    return Status;
}

/* ---- entries ---- */

NTSTATUS FatpGetFatEntry(PFAT_VOLUME Volume, ULONG Cluster, PULONG Value)
{
    ULONG Offset;
    PUCHAR Entry;
    NTSTATUS Status;

    if (Cluster - FAT_FIRST_CLUSTER >= Volume->ClusterCount) {
        return STATUS_FILE_CORRUPT_ERROR;
    }
    if (Volume->FatType == 12) {
        UCHAR Low, High;

        Offset = Cluster + Cluster / 2;
        Status = FatpFatByte(Volume, Offset, &Low);
        if (NT_SUCCESS(Status)) {
            Status = FatpFatByte(Volume, Offset + 1, &High);
        }
        if (NT_SUCCESS(Status)) {
            ULONG Pair = Low | ((ULONG)High << 8);
            *Value = (Cluster & 1) ? Pair >> 4 : Pair & 0xFFF;
        }
        return Status;
    }
    Offset = Cluster * (Volume->FatType / 8);
    Status = FatpLoadFatSector(Volume, Offset >> Volume->SectorShift);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Entry = Volume->FatWindow + (Offset & (Volume->BytesPerSector - 1));
    if (Volume->FatType == 16) {
        *Value = Entry[0] | ((ULONG)Entry[1] << 8);
    } else {
        *Value = (Entry[0] | ((ULONG)Entry[1] << 8) | ((ULONG)Entry[2] << 16) |
                  ((ULONG)Entry[3] << 24)) & FAT32_ENTRY_MASK;
    }
    return STATUS_SUCCESS;
}

/* FAT16 and FAT32 only (FAT12 volumes are read-only). Keeps the free count exact. */
NTSTATUS FatpSetFatEntry(PFAT_VOLUME Volume, ULONG Cluster, ULONG Value)
{
    ULONG Old, Offset;
    PUCHAR Entry;
    NTSTATUS Status;

    if (Volume->ReadOnly) {
        return STATUS_MEDIA_WRITE_PROTECTED;
    }
    Status = FatpGetFatEntry(Volume, Cluster, &Old);     /* also loads the window */
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Offset = Cluster * (Volume->FatType / 8);
    Entry = Volume->FatWindow + (Offset & (Volume->BytesPerSector - 1));
    Entry[0] = (UCHAR)Value;
    Entry[1] = (UCHAR)(Value >> 8);
    if (Volume->FatType == 32) {
        Entry[2] = (UCHAR)(Value >> 16);
        Entry[3] = (UCHAR)((Entry[3] & 0xF0) | ((Value >> 24) & 0x0F));  /* top 4 bits kept */
    }
    Volume->FatWindowDirty = TRUE;
    if (Old == FAT_CLUSTER_FREE && Value != FAT_CLUSTER_FREE) {
        Volume->FreeClusters--;
    } else if (Old != FAT_CLUSTER_FREE && Value == FAT_CLUSTER_FREE) {
        Volume->FreeClusters++;
        Volume->DirectoryHintFirst = FAT_NO_SECTOR;   /* the cluster may have been a directory's */
    }
    return STATUS_SUCCESS;
}

/* ---- chains ---- */

NTSTATUS FatpNextCluster(PFAT_VOLUME Volume, ULONG Cluster, PULONG Next)
{
    ULONG Value;
    NTSTATUS Status = FatpGetFatEntry(Volume, Cluster, &Value);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (FatpIsEndOfChain(Volume, Value)) {
        *Next = FAT_CHAIN_END;
    } else if (FatpIsValidCluster(Volume, Value)) {
        *Next = Value;
    } else {
        return STATUS_FILE_CORRUPT_ERROR;  /* free, reserved, bad or past the end */
    }
    return STATUS_SUCCESS;
}

NTSTATUS FatpWalkChain(PFAT_VOLUME Volume, ULONG First, PULONG Length, PULONG Last)
{
    ULONG Cluster = First, Next, Count = 1;
    NTSTATUS Status;

    *Length = 0;
    *Last = 0;
    if (First == 0) {
        return STATUS_SUCCESS;
    }
    if (!FatpIsValidCluster(Volume, First)) {
        return STATUS_FILE_CORRUPT_ERROR;
    }
    for (;;) {
        Status = FatpNextCluster(Volume, Cluster, &Next);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if (Next == FAT_CHAIN_END) {
            break;
        }
        if (++Count > Volume->ClusterCount) {
            return STATUS_FILE_CORRUPT_ERROR;      /* longer than the volume: a loop */
        }
        Cluster = Next;
    }
    *Length = Count;
    *Last = Cluster;
    return STATUS_SUCCESS;
}

NTSTATUS FatpFreeChain(PFAT_VOLUME Volume, ULONG First)
{
    ULONG Cluster = First, Next, Steps = 0;
    NTSTATUS Status = STATUS_SUCCESS, SetStatus;

    /*
     * Freeing as it goes also ends a loop: coming back to a freed cluster reads as a
     * link to a free cluster, which FatpNextCluster refuses. Callers walk the chain
     * first (FatpWalkChain), so on a sound volume nothing here fails.
     */
    while (Cluster != FAT_CHAIN_END && NT_SUCCESS(Status)) {
        if (++Steps > Volume->ClusterCount) {
            return STATUS_FILE_CORRUPT_ERROR;
        }
        Status = FatpNextCluster(Volume, Cluster, &Next);
        if (!NT_SUCCESS(Status)) {
            Next = FAT_CHAIN_END;
        }
        SetStatus = FatpSetFatEntry(Volume, Cluster, FAT_CLUSTER_FREE);
        if (!NT_SUCCESS(SetStatus)) {
            return SetStatus;
        }
        Cluster = Next;
    }
    return Status;
}

NTSTATUS FatpAllocateClusters(PFAT_VOLUME Volume, ULONG Count, ULONG LinkAfter, PULONG First,
                              PULONG Last)
{
    ULONG EndOfChain = FatpEndOfChainValue(Volume);
    ULONG Candidate = Volume->NextFree, Head = 0, Tail = 0, Found = 0, Scanned = 0, Value;
    NTSTATUS Status = STATUS_SUCCESS;

    *First = 0;
    if (Count == 0) {
        return STATUS_SUCCESS;
    }
    if (Volume->ReadOnly) {
        return STATUS_MEDIA_WRITE_PROTECTED;
    }
    if (Count > Volume->FreeClusters) {
        return STATUS_DISK_FULL;
    }
    if (!FatpIsValidCluster(Volume, Candidate)) {
        Candidate = FAT_FIRST_CLUSTER;
    }
    while (Found < Count) {
        if (Scanned++ == Volume->ClusterCount) {
            Status = STATUS_DISK_FULL;
            break;
        }
        Status = FatpGetFatEntry(Volume, Candidate, &Value);
        if (NT_SUCCESS(Status) && Value == FAT_CLUSTER_FREE) {
            /* The new cluster ends the chain before anything points at it. */
            Status = FatpSetFatEntry(Volume, Candidate, EndOfChain);
            if (NT_SUCCESS(Status) && Tail != 0) {
                Status = FatpSetFatEntry(Volume, Tail, Candidate);
                if (!NT_SUCCESS(Status)) {
                    FatpSetFatEntry(Volume, Candidate, FAT_CLUSTER_FREE);
                }
            }
            if (NT_SUCCESS(Status)) {
                if (Head == 0) {
                    Head = Candidate;
                }
                Tail = Candidate;
                Found++;
            }
        }
        if (!NT_SUCCESS(Status)) {
            break;
        }
        Candidate = Candidate - FAT_FIRST_CLUSTER + 1 < Volume->ClusterCount ? Candidate + 1
                                                                             : FAT_FIRST_CLUSTER;
    }
    if (NT_SUCCESS(Status) && LinkAfter != 0) {
        Status = FatpSetFatEntry(Volume, LinkAfter, Head);
    }
    if (!NT_SUCCESS(Status)) {
        if (Head != 0) {
            FatpFreeChain(Volume, Head);
        }
        return Status;
    }
    Volume->NextFree = Candidate;
    *First = Head;
    if (Last != NULL) {
        *Last = Tail;
    }
    return STATUS_SUCCESS;
}

NTSTATUS FatpCountFreeClusters(PFAT_VOLUME Volume)
{
    ULONG Cluster, Value, Free = 0;
    NTSTATUS Status;

    for (Cluster = FAT_FIRST_CLUSTER; Cluster - FAT_FIRST_CLUSTER < Volume->ClusterCount; Cluster++) {
        Status = FatpGetFatEntry(Volume, Cluster, &Value);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        if (Value == FAT_CLUSTER_FREE) {
            Free++;
        }
    }
    Volume->FreeClusters = Free;
    return STATUS_SUCCESS;
}

NTSTATUS FatpZeroCluster(PFAT_VOLUME Volume, ULONG Cluster)
{
    ULONG Sector = FatpClusterToSector(Volume, Cluster), Index;
    NTSTATUS Status = STATUS_SUCCESS;

    for (Index = 0; Index < Volume->SectorsPerCluster && NT_SUCCESS(Status); Index++) {
        Status = FatpWriteSectors(Volume, Sector + Index, 1, Volume->Zeros);
    }
    return Status;
}

/*
 * fatp.h - the FAT driver's private structures and the functions its files share
 * (NT keeps the same things in fastfat's fatstruc.h and fatprocs.h):
 *
 *   fatboot.c   the boot sector: BPB checks, the FAT type, FSInfo, mount, dismount,
 *               and the sector I/O everything goes through;
 *   fattable.c  the FAT: entries, chains, allocation, the free count;
 *   fatname.c   names: what FAT allows, 8.3 names and aliases, case, patterns, times;
 *   fatdir.c    directories: entries and long names, lookup, free slots, growth;
 *   fatfcb.c    FCBs, paths, file information;
 *   fatfile.c   file data: read, write, extend, truncate;
 *   fatops.c    create, delete, rename;
 *   fatdirctl.c directory listing.
 *
 * The on-disk formats are Microsoft's ("FAT: General Overview of On-Disk Format").
 */
#pragma once

#include <rtl.h>
#include "fat.h"

/* ---- on disk ---- */

/*
 * A long-name entry: 13 UTF-16 units of the name, stored last part first. The layout
 * for reference: the code reaches the units through FatpLfnCharOffsets (fatdir.c).
 */
typedef struct __attribute__((packed)) _FAT_LFN_ENTRY {
    UCHAR Ordinal;                  /* 1 .. 20; FAT_LFN_LAST on the first one on disk */
    USHORT Name1[5];
    UCHAR Attributes;               /* FAT_ATTRIBUTE_LFN */
    UCHAR Type;                     /* 0 */
    UCHAR Checksum;                 /* of the short name it belongs to */
    USHORT Name2[6];
    USHORT FirstClusterLow;         /* 0 */
    USHORT Name3[2];
} FAT_LFN_ENTRY, *PFAT_LFN_ENTRY;
C_ASSERT_SIZE(FAT_LFN_ENTRY, 32);

#define FAT_DIRENT_SIZE          32
#define FAT_DIRENT_END           0x00   /* Name[0]: this and every later entry are free */
#define FAT_DIRENT_DELETED       0xE5
#define FAT_DIRENT_E5            0x05   /* Name[0]: the name really starts with 0xE5 */
#define FAT_ATTRIBUTE_LFN        0x0F   /* READONLY|HIDDEN|SYSTEM|VOLUME_ID */
#define FAT_ATTRIBUTE_LFN_MASK   0x3F
#define FAT_ATTRIBUTE_CHANGEABLE (FAT_ATTRIBUTE_READONLY | FAT_ATTRIBUTE_HIDDEN | \
                                  FAT_ATTRIBUTE_SYSTEM | FAT_ATTRIBUTE_ARCHIVE)
#define FAT_CASE_LOWER_BASE      0x08
#define FAT_CASE_LOWER_EXT       0x10
#define FAT_LFN_LAST             0x40
#define FAT_LFN_ORDINAL_MASK     0x1F
#define FAT_LFN_CHARS            13
#define FAT_LFN_MAX_ENTRIES      20     /* 20 * 13 >= 255 */
/* A directory holds at most 65,536 entries (2 MB). */
#define FAT_MAX_DIRECTORY_BYTES  (65536UL * FAT_DIRENT_SIZE)

/* FAT entry values. */
#define FAT_CLUSTER_FREE         0
#define FAT_FIRST_CLUSTER        2
#define FAT12_BAD                0xFF7
#define FAT16_BAD                0xFFF7
#define FAT32_BAD                0x0FFFFFF7
#define FAT32_ENTRY_MASK         0x0FFFFFFF     /* the top 4 bits are reserved, kept as found */
#define FAT_CHAIN_END            0xFFFFFFFF     /* FatpNextCluster's "end of chain" */

/* ---- in memory ---- */

struct _FAT_VOLUME {
    FAT_MOUNT_PARAMETERS Parameters;
    ULONG DeviceSectorsPerSector;   /* BytesPerSector / the device's sector size */
    ULONG FatType;                  /* 12, 16, 32 */
    BOOLEAN ReadOnly;
    BOOLEAN Mirrored;               /* write every FAT copy (else only ActiveFat) */
    ULONG BytesPerSector;
    ULONG SectorShift;              /* log2(BytesPerSector) */
    ULONG SectorsPerCluster;
    ULONG BytesPerCluster;
    ULONG ClusterShift;             /* log2(BytesPerCluster) */
    ULONG ReservedSectors;
    ULONG NumberOfFats;
    ULONG ActiveFat;                /* the copy read from */
    ULONG SectorsPerFat;
    ULONG RootEntryCount;           /* FAT12/16: the fixed root directory's size */
    ULONG RootDirectorySector;      /* FAT12/16: where it starts */
    ULONG FirstDataSector;
    ULONG TotalSectors;
    ULONG ClusterCount;             /* data clusters: 2 .. ClusterCount + 1 */
    ULONG RootCluster;              /* FAT32: the root's first cluster; FAT12/16: 0 */
    ULONG FsInfoSector;             /* FAT32 with a valid FSInfo, else 0 */
    ULONG FreeClusters;
    ULONG NextFree;                 /* where the search for a free cluster starts */
    ULONG FsInfoFree;               /* what FSInfo says now */
    ULONG FsInfoNext;
    ULONG SerialNumber;
    CHAR Label[12];
    /* The FAT sector being read or changed (index inside one copy), written back by FatpFlushFat. */
    PUCHAR FatWindow;
    ULONG FatWindowSector;          /* ~0: none */
    BOOLEAN FatWindowDirty;
    /*
     * One directory sector. Changes to it are staged and written when another sector
     * is needed or the change is complete (fatdir.c), so the entries of one name that
     * share a sector reach the disk in one write. Dropped when anything else writes it.
     */
    PUCHAR DirectoryBuffer;
    ULONG DirectorySector;          /* ~0: none */
    BOOLEAN DirectoryDirty;
    ULONG DirectoryWrites;          /* staged sectors written so far */
    /* A known position in a directory's chain (dropped whenever a cluster is freed). */
    ULONG DirectoryHintFirst;       /* the directory's first cluster, ~0: none */
    ULONG DirectoryHintIndex;
    ULONG DirectoryHintCluster;
    PUCHAR Scratch;                 /* one sector for partial-sector file I/O */
    PUCHAR Zeros;                   /* one sector of zeros */
    PFAT_FCB FcbList;
    PFAT_FCB RootFcb;
    ULONG FcbCount;                 /* FCBs alive besides the root's (deleted ones included) */
};

#define FAT_NO_SECTOR 0xFFFFFFFFUL

/* A directory entry found by FatpNextEntry, with its long and 8.3 names. */
typedef struct _FAT_ENTRY {
    FAT_DIRENT Dirent;
    ULONG Offset;                   /* of the short entry, in bytes from the directory's start */
    ULONG LfnOffset;                /* of its first long-name entry; == Offset when none */
    ULONG LongNameLength;           /* WCHARs; 0: no long name */
    ULONG ShortNameLength;          /* WCHARs */
    WCHAR LongName[FAT_MAX_NAME_LENGTH + 1];
    WCHAR ShortName[13];            /* as on disk ("README.TXT"), case bits not applied */
} FAT_ENTRY, *PFAT_ENTRY;

/* ---- fatboot.c ---- */
NTSTATUS FatpReadSectors(PFAT_VOLUME Volume, ULONG Sector, ULONG Count, PVOID Buffer);
NTSTATUS FatpWriteSectors(PFAT_VOLUME Volume, ULONG Sector, ULONG Count, const VOID *Buffer);
PVOID FatpAllocate(PFAT_VOLUME Volume, SIZE_T Size);
VOID FatpFree(PFAT_VOLUME Volume, PVOID Block);
/* Every public operation ends here: flushes and turns the first failure into the result. */
NTSTATUS FatpFinish(PFAT_VOLUME Volume, NTSTATUS Status);
/* Rewrites the FAT32 FSInfo sector when its free count or hint went stale. */
NTSTATUS FatpUpdateFsInfo(PFAT_VOLUME Volume);

static inline ULONG FatpClusterToSector(PFAT_VOLUME Volume, ULONG Cluster)
{
    return Volume->FirstDataSector + ((Cluster - FAT_FIRST_CLUSTER) * Volume->SectorsPerCluster);
}

static inline BOOLEAN FatpIsValidCluster(PFAT_VOLUME Volume, ULONG Cluster)
{
    return Cluster >= FAT_FIRST_CLUSTER && Cluster - FAT_FIRST_CLUSTER < Volume->ClusterCount;
}

/* ---- fattable.c ---- */
NTSTATUS FatpGetFatEntry(PFAT_VOLUME Volume, ULONG Cluster, PULONG Value);
NTSTATUS FatpSetFatEntry(PFAT_VOLUME Volume, ULONG Cluster, ULONG Value);
NTSTATUS FatpFlushFat(PFAT_VOLUME Volume);
/* The cluster after Cluster, or FAT_CHAIN_END; STATUS_FILE_CORRUPT_ERROR when the entry is not a link. */
NTSTATUS FatpNextCluster(PFAT_VOLUME Volume, ULONG Cluster, PULONG Next);
/* Length and last cluster of a chain (First 0: empty); a loop is STATUS_FILE_CORRUPT_ERROR. */
NTSTATUS FatpWalkChain(PFAT_VOLUME Volume, ULONG First, PULONG Length, PULONG Last);
/* Count new clusters, chained, linked after LinkAfter (0: a new chain). All or nothing. */
NTSTATUS FatpAllocateClusters(PFAT_VOLUME Volume, ULONG Count, ULONG LinkAfter, PULONG First,
                              PULONG Last);
NTSTATUS FatpFreeChain(PFAT_VOLUME Volume, ULONG First);
NTSTATUS FatpCountFreeClusters(PFAT_VOLUME Volume);
NTSTATUS FatpZeroCluster(PFAT_VOLUME Volume, ULONG Cluster);
ULONG FatpEndOfChainValue(PFAT_VOLUME Volume);

/* ---- fatname.c ---- */
WCHAR FatpUpcase(WCHAR Character);
BOOLEAN FatpNamesEqual(PCWSTR A, ULONG ALength, PCWSTR B, ULONG BLength);
BOOLEAN FatpIsValidLongName(PCWSTR Name, ULONG Length);
/* Whether Name is exactly an 8.3 name (case per part aside): then no long name is needed. */
BOOLEAN FatpIsShortName(PCWSTR Name, ULONG Length, UCHAR ShortName[11], PUCHAR NtCase);
/* The basis of an alias (Microsoft's algorithm); TRUE when it needs a numeric tail. */
BOOLEAN FatpMakeBasisName(PCWSTR Name, ULONG Length, UCHAR ShortName[11]);
/* "NAME~N" from the basis name: N = 1 .. 999999. */
VOID FatpAddNumericTail(const UCHAR Basis[11], ULONG Number, UCHAR ShortName[11]);
UCHAR FatpLfnChecksum(const UCHAR ShortName[11]);
/* "NAME.EXT" (WCHARs, no NUL); with ApplyCase the NtCase bits lower-case the parts. */
ULONG FatpFormatShortName(const FAT_DIRENT *Dirent, BOOLEAN ApplyCase, PWCHAR Out);
BOOLEAN FatpMatchPattern(PCWSTR Pattern, ULONG PatternLength, PCWSTR Name, ULONG NameLength);
LONGLONG FatpFatTimeToNtTime(USHORT Date, USHORT Time, UCHAR Tenths);
VOID FatpNtTimeToFatTime(LONGLONG NtTime, PUSHORT Date, PUSHORT Time, PUCHAR Tenths);

/* ---- fatdir.c ---- */
/* A directory is named by its first cluster; 0 is the FAT12/16 fixed root. */
NTSTATUS FatpReadDirent(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset, PVOID Entry);
NTSTATUS FatpWriteDirent(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset, const VOID *Entry);
/* The next in-use entry at or after *Offset (labels skipped); STATUS_NO_MORE_FILES at the end. */
NTSTATUS FatpNextEntry(PFAT_VOLUME Volume, ULONG Directory, PULONG Offset, PFAT_ENTRY Entry);
/* STATUS_OBJECT_NAME_NOT_FOUND when no long or 8.3 name is Name. */
NTSTATUS FatpLookup(PFAT_VOLUME Volume, ULONG Directory, PCWSTR Name, ULONG Length, PFAT_ENTRY Entry);
/*
 * The 8.3 name and case bits for Name in Directory; *NeedsLfn when a long name must go
 * too. The entry at Ignore (a file being renamed in place; FAT_NO_SECTOR: none) does
 * not count as taking an alias, so a rename in place can keep its own.
 */
NTSTATUS FatpChooseShortName(PFAT_VOLUME Volume, ULONG Directory, PCWSTR Name, ULONG Length,
                             ULONG Ignore, PFAT_DIRENT Dirent, PBOOLEAN NeedsLfn);
/* Count free consecutive entries, growing the directory if it must; their offset. */
NTSTATUS FatpFindFreeEntries(PFAT_VOLUME Volume, ULONG Directory, ULONG Count, PULONG Offset);
/* The long-name entries (when Length != 0) and then the short entry, from Offset; all or none. */
NTSTATUS FatpWriteEntrySet(PFAT_VOLUME Volume, ULONG Directory, ULONG Offset, PCWSTR LongName,
                           ULONG Length, const FAT_DIRENT *Dirent);
/*
 * The short entry first, then its long-name entries. *Removed says whether the short
 * entry is gone (then the name is gone, even if a long-name entry could not be
 * cleared: readers ignore one without its short entry); on FALSE nothing changed.
 */
NTSTATUS FatpDeleteEntrySet(PFAT_VOLUME Volume, ULONG Directory, ULONG LfnOffset, ULONG Offset,
                            PBOOLEAN Removed);
/* STATUS_SUCCESS when only "." and ".." are in use, else STATUS_DIRECTORY_NOT_EMPTY. */
NTSTATUS FatpCheckDirectoryEmpty(PFAT_VOLUME Volume, ULONG Directory);
static inline ULONG FatpEntrySetCount(ULONG LongNameLength)
{
    return (LongNameLength + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS + 1;
}

/* ---- fatfcb.c ---- */
ULONG FatpDirentCluster(PFAT_VOLUME Volume, const FAT_DIRENT *Dirent);
VOID FatpSetDirentCluster(PFAT_VOLUME Volume, PFAT_DIRENT Dirent, ULONG Cluster);
static inline PFAT_DIRENT FatpFcbDirent(PFAT_FCB Fcb)
{
    return &Fcb->Dirent;
}
ULONG FatpFcbCluster(PFAT_FCB Fcb);
PFAT_FCB FatpFindFcb(PFAT_VOLUME Volume, ULONG ParentCluster, ULONG DirentOffset);
/* A referenced FCB for the entry (the open one when there is one). */
NTSTATUS FatpOpenFcb(PFAT_VOLUME Volume, ULONG ParentCluster, const FAT_ENTRY *Entry, PFAT_FCB *Fcb);
PFAT_FCB FatpCreateRootFcb(PFAT_VOLUME Volume);
VOID FatpUnlinkFcb(PFAT_FCB Fcb);
NTSTATUS FatpWriteFcbDirent(PFAT_FCB Fcb);
VOID FatpCurrentTime(PFAT_VOLUME Volume, PUSHORT Date, PUSHORT Time, PUCHAR Tenths);
NTSTATUS FatpCheckFcb(PFAT_FCB Fcb, BOOLEAN Modify);

/*
 * A path taken apart: the directory that holds the last component, and that
 * component (Name == NULL when the path names the starting directory itself).
 */
typedef struct _FAT_PATH {
    ULONG Directory;
    PCWSTR Name;
    ULONG NameLength;
    BOOLEAN TrailingSlash;
    PFAT_FCB Start;                 /* the root or the related FCB (not referenced) */
} FAT_PATH, *PFAT_PATH;
NTSTATUS FatpWalkPath(PFAT_VOLUME Volume, PFAT_FCB Related, PCUNICODE_STRING Path,
                      PFAT_PATH Result, PFAT_ENTRY Scratch);

/* ---- fatfile.c ---- */
/* The clusters the file holds (walked once, checked for loops), cached in the FCB. */
NTSTATUS FatpLoadAllocation(PFAT_FCB Fcb);
NTSTATUS FatpSetFileSize(PFAT_FCB Fcb, ULONG NewSize);

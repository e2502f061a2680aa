/*
 * fat.h - the FAT file system's logic (FAT12, FAT16, FAT32 with long file names),
 * as the FAT driver sees it from below. NT: fastfat.sys, minus the IRPs.
 *
 * What it is. Everything a file-system driver needs to do on a FAT volume (mount,
 * open and create by path, read, write, set the end of file, delete, rename, list a
 * directory, query free space) written as plain functions over a volume that is
 * reached through two callbacks, read sectors and write sectors. Nothing here knows
 * about IRPs, file objects, handles, access masks or share modes: the I/O manager's
 * FAT driver (kernel/io) builds those on top. Nothing touches hardware, so the same
 * files are compiled into the host unit tests (tests/unit/test_fat*.c), which run
 * them against images made by mtools.
 *
 * How the kernel is meant to use it.
 *   - Mount: fill FAT_MOUNT_PARAMETERS (the disk driver's sector callbacks, the pool
 *     as allocator, KeQuerySystemTime as the clock) and call FatMount. A volume that
 *     is not FAT gives STATUS_UNRECOGNIZED_VOLUME (try another file system); one that
 *     is FAT but inconsistent gives STATUS_DISK_CORRUPT_ERROR.
 *   - IRP_MJ_CREATE: FatCreate with the name that remains after the device object's
 *     (e.g. "\Windows\System32\ntdll.dll"), the related file object's FCB for
 *     relative opens, and NT's disposition and the two directory options, which this
 *     header names FAT_CREATE_* with NT's values. It returns a referenced FCB (one per
 *     file on the volume, shared by every open of it: FsContext) and NT's
 *     IO_STATUS_BLOCK.Information value. Share access, access checks against the
 *     desired access and FILE_DELETE_ON_CLOSE are the caller's; FAT_FCB.Context is
 *     there for its per-file state (e.g. SHARE_ACCESS).
 *   - IRP_MJ_CLEANUP/CLOSE: FatClose drops the reference. Delete-pending is the
 *     caller's too: it calls FatDelete when the last handle goes (FatDelete removes
 *     the file at once; other references then get STATUS_FILE_DELETED).
 *   - Read, write, set information (EndOfFile, Basic, Rename, Disposition), query
 *     information, query directory, query volume: one function each, below.
 *   - The caller serializes: one operation at a time per volume (the driver holds a
 *     per-volume lock around every call). Nothing in here waits or raises IRQL.
 *
 * Choices (see the files for the details):
 *   - FAT12 volumes mount read-only: every change gives STATUS_MEDIA_WRITE_PROTECTED.
 *     So does every volume mounted without a WriteSectors callback.
 *   - The FAT type is decided by the count of clusters, as Microsoft's specification
 *     says (< 4085 FAT12, < 65525 FAT16, else FAT32); a boot sector whose layout
 *     disagrees with that count (a FAT32 BPB on 1000 clusters) is
 *     STATUS_DISK_CORRUPT_ERROR.
 *   - Every copy of the FAT is written (only the active one when a FAT32 volume
 *     turned mirroring off). The free count is counted from the FAT at mount, and the
 *     FAT32 FSInfo sector is kept honest: its free count and next-free hint are
 *     rewritten after every operation that changed them.
 *   - Names: an 8.3 name whose parts are each all upper or all lower case is stored
 *     as a short entry alone, with NT's lower-case bits (as Windows NT does); any other
 *     name gets long-name entries and a "NAME~N.EXT" alias, with numeric tails only
 *     (Windows switches to hashed ones after ~4). A trailing dot or space is refused
 *     (STATUS_OBJECT_NAME_INVALID): Win32 strips them before they get here. Case is
 *     folded for ASCII, Latin-1, Greek and Cyrillic. Bytes above 0x7F in 8.3 names are
 *     OEM code page 850. Listing patterns know '*' and '?' (not the DOS_STAR family:
 *     kernel32 turns "*.*" into "*").
 *   - FAT stores local time with no zone; this kernel has no time zones, so FAT times
 *     are read and written as UTC. Reads do not update the last-access date.
 *   - A failed operation leaves the volume consistent. STATUS_DISK_FULL and the other
 *     refusals come before the first change (clusters are allocated all or nothing,
 *     and a directory grows before any entry is written into it). An I/O error midway
 *     is undone: the tests fail every disk read and write of a script in turn, and
 *     each time the volume still passes fsck.fat.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/* ---- what the volume is reached through ---- */

/*
 * The device's sectors (of FAT_MOUNT_PARAMETERS.SectorSize bytes), numbered from the
 * start of the volume. A callback returns STATUS_SUCCESS or the error to pass back.
 */
typedef NTSTATUS (*PFAT_READ_SECTORS)(PVOID Context, ULONG FirstSector, ULONG SectorCount,
                                      PVOID Buffer);
typedef NTSTATUS (*PFAT_WRITE_SECTORS)(PVOID Context, ULONG FirstSector, ULONG SectorCount,
                                       const VOID *Buffer);

/* Memory: the kernel passes nonpaged pool, the tests malloc. Allocate may fail (NULL). */
typedef PVOID (*PFAT_ALLOCATE)(PVOID Context, SIZE_T Size);
typedef VOID (*PFAT_FREE)(PVOID Context, PVOID Block);

typedef struct _FAT_ALLOCATOR {
    PFAT_ALLOCATE Allocate;
    PFAT_FREE Free;
    PVOID Context;
} FAT_ALLOCATOR, *PFAT_ALLOCATOR;

/* "Now" as NT system time (the kernel passes KeQuerySystemTime). */
typedef VOID (*PFAT_QUERY_TIME)(PVOID Context, PLARGE_INTEGER CurrentTime);

typedef struct _FAT_MOUNT_PARAMETERS {
    PFAT_READ_SECTORS ReadSectors;      /* required */
    PFAT_WRITE_SECTORS WriteSectors;    /* NULL: mount read-only */
    PVOID DeviceContext;                /* passed to both */
    ULONG SectorSize;                   /* the device's: 512 .. 4096, a power of two (0 = 512) */
    ULONG SectorCount;                  /* the device's size in its sectors; 0 = unknown */
    FAT_ALLOCATOR Allocator;            /* required */
    PFAT_QUERY_TIME QuerySystemTime;    /* NULL: new times are 1980-01-01 00:00:00 */
    PVOID TimeContext;
} FAT_MOUNT_PARAMETERS, *PFAT_MOUNT_PARAMETERS;

/* ---- the volume and its files ---- */

typedef struct _FAT_VOLUME FAT_VOLUME, *PFAT_VOLUME;   /* opaque (fatp.h) */

/*
 * A short directory entry, 32 bytes, little-endian (here because the FCB keeps one).
 * Every field falls on its natural alignment, so no packing is needed.
 */
typedef struct _FAT_DIRENT {
    UCHAR Name[11];                 /* 8 + 3, blank-padded, no dot; 0xE5 first = free, 0 = end */
    UCHAR Attributes;
    UCHAR NtCase;                   /* NT's case bits: FAT_CASE_LOWER_BASE, FAT_CASE_LOWER_EXT */
    UCHAR CreationTimeTenths;       /* 0 .. 199: 10 ms units added to CreationTime */
    USHORT CreationTime;
    USHORT CreationDate;
    USHORT LastAccessDate;
    USHORT FirstClusterHigh;        /* FAT32 only */
    USHORT LastWriteTime;
    USHORT LastWriteDate;
    USHORT FirstClusterLow;
    ULONG FileSize;
} FAT_DIRENT, *PFAT_DIRENT;
C_ASSERT_SIZE(FAT_DIRENT, 32);
C_ASSERT_OFFSET(FAT_DIRENT, CreationTime, 14);
C_ASSERT_OFFSET(FAT_DIRENT, FirstClusterLow, 26);
C_ASSERT_OFFSET(FAT_DIRENT, FileSize, 28);

/*
 * One per file or directory that is open, however often (NT: the FCB). Callers own
 * Context and may read the fields above the private line; the rest is the driver's.
 */
typedef struct _FAT_FCB {
    PVOID Context;                  /* the caller's; never touched here */
    PFAT_VOLUME Volume;
    ULONG ReferenceCount;           /* FatCreate adds one, FatClose takes it */
    BOOLEAN IsDirectory;
    BOOLEAN IsRoot;
    BOOLEAN Deleted;                /* FatDelete ran: every operation gets STATUS_FILE_DELETED */
    /* ---- private to the driver ---- */
    BOOLEAN Linked;                 /* on Volume's FCB list */
    BOOLEAN AllocationKnown;        /* AllocatedClusters and LastCluster are valid */
    struct _FAT_FCB *Next;          /* Volume's FCB list */
    ULONG ParentCluster;            /* directory holding the entry: its first cluster, 0 = FAT12/16 root */
    ULONG DirentOffset;             /* byte offset of the short entry in that directory */
    ULONG LfnOffset;                /* byte offset of the first long-name entry (== DirentOffset: none) */
    FAT_DIRENT Dirent;              /* the short entry, as on disk; the FCB's copy is the truth */
    ULONG AllocatedClusters;
    ULONG LastCluster;              /* of the chain, 0 when empty */
    ULONG HintIndex;                /* a known position in the chain: cluster HintCluster ... */
    ULONG HintCluster;              /* ... is the file's HintIndex'th (0 when unknown) */
} FAT_FCB, *PFAT_FCB;

/* ---- FatCreate: NT's dispositions, options and results, under FAT names ---- */

#define FAT_CREATE_SUPERSEDE      0   /* FILE_SUPERSEDE */
#define FAT_CREATE_OPEN           1   /* FILE_OPEN */
#define FAT_CREATE_CREATE         2   /* FILE_CREATE */
#define FAT_CREATE_OPEN_IF        3   /* FILE_OPEN_IF */
#define FAT_CREATE_OVERWRITE      4   /* FILE_OVERWRITE */
#define FAT_CREATE_OVERWRITE_IF   5   /* FILE_OVERWRITE_IF */

#define FAT_CREATE_DIRECTORY      0x00000001   /* FILE_DIRECTORY_FILE */
#define FAT_CREATE_NON_DIRECTORY  0x00000040   /* FILE_NON_DIRECTORY_FILE */

#define FAT_SUPERSEDED            0   /* FILE_SUPERSEDED */
#define FAT_OPENED                1   /* FILE_OPENED */
#define FAT_CREATED               2   /* FILE_CREATED */
#define FAT_OVERWRITTEN           3   /* FILE_OVERWRITTEN */

/* Attributes: FAT's on-disk bits, which are NT's FILE_ATTRIBUTE_* values. */
#define FAT_ATTRIBUTE_READONLY    0x01
#define FAT_ATTRIBUTE_HIDDEN      0x02
#define FAT_ATTRIBUTE_SYSTEM      0x04
#define FAT_ATTRIBUTE_VOLUME_ID   0x08   /* on disk only */
#define FAT_ATTRIBUTE_DIRECTORY   0x10
#define FAT_ATTRIBUTE_ARCHIVE     0x20
#define FAT_ATTRIBUTE_NORMAL      0x80   /* FILE_ATTRIBUTE_NORMAL: reported when none is set */

#define FAT_MAX_NAME_LENGTH       255    /* UTF-16 code units in one name */
#define FAT_MAX_FILE_SIZE         0xFFFFFFFFUL

/* ---- information ---- */

typedef struct _FAT_VOLUME_INFORMATION {
    ULONG FatType;                  /* 12, 16 or 32 */
    ULONG BytesPerSector;
    ULONG SectorsPerCluster;
    ULONG TotalClusters;
    ULONG FreeClusters;
    ULONG SerialNumber;
    BOOLEAN ReadOnly;
    CHAR Label[12];                 /* the boot sector's, trailing blanks removed */
} FAT_VOLUME_INFORMATION, *PFAT_VOLUME_INFORMATION;

/* Times are NT system time (100 ns since 1601, UTC); 0 where FAT keeps none. */
typedef struct _FAT_FILE_INFORMATION {
    LARGE_INTEGER CreationTime;
    LARGE_INTEGER LastAccessTime;   /* a date only on FAT: midnight */
    LARGE_INTEGER LastWriteTime;
    LARGE_INTEGER ChangeTime;       /* FAT has none: the last write */
    ULONG EndOfFile;                /* 0 for directories */
    ULONGLONG AllocationSize;       /* the clusters the file holds, in bytes */
    ULONG FileAttributes;           /* FAT_ATTRIBUTE_*; FAT_ATTRIBUTE_NORMAL when none */
    BOOLEAN Directory;
} FAT_FILE_INFORMATION, *PFAT_FILE_INFORMATION;

/* FatSetBasicInformation: a time of 0 or -1, or attributes of 0, leave it alone. */
typedef struct _FAT_BASIC_INFORMATION {
    LARGE_INTEGER CreationTime;
    LARGE_INTEGER LastAccessTime;
    LARGE_INTEGER LastWriteTime;
    ULONG FileAttributes;           /* READONLY|HIDDEN|SYSTEM|ARCHIVE; NORMAL clears them */
} FAT_BASIC_INFORMATION, *PFAT_BASIC_INFORMATION;

/* One directory entry, as NtQueryDirectoryFile's FileBothDirectoryInformation wants it. */
typedef struct _FAT_DIRECTORY_INFORMATION {
    LARGE_INTEGER CreationTime;
    LARGE_INTEGER LastAccessTime;
    LARGE_INTEGER LastWriteTime;
    ULONG EndOfFile;
    ULONGLONG AllocationSize;       /* EndOfFile rounded up to clusters, as fastfat reports */
    ULONG FileAttributes;
    ULONG FileNameLength;           /* bytes */
    ULONG ShortNameLength;          /* bytes; 0 when the entry has no long name */
    WCHAR FileName[FAT_MAX_NAME_LENGTH + 1];   /* the long name, else the 8.3 name; NUL-ended */
    WCHAR ShortName[13];            /* the 8.3 alias ("LONGFI~1.TXT") when there is a long name */
} FAT_DIRECTORY_INFORMATION, *PFAT_DIRECTORY_INFORMATION;

/* ---- the entry points ---- */

/* NT: FatMountVolume. *Volume is the caller's until FatDismount. */
NTSTATUS FatMount(const FAT_MOUNT_PARAMETERS *Parameters, PFAT_VOLUME *Volume);
/* Flushes and frees. STATUS_DEVICE_BUSY (nothing done) while a file is open. */
NTSTATUS FatDismount(PFAT_VOLUME Volume);
/* Writes what is cached (the FAT sector being changed, FSInfo). Every call below does. */
NTSTATUS FatFlush(PFAT_VOLUME Volume);
VOID FatQueryVolumeInformation(PFAT_VOLUME Volume, PFAT_VOLUME_INFORMATION Information);

/*
 * NT: FatCommonCreate. Path: components separated by '\', case-insensitive, long or
 * 8.3 names. Without RelatedDirectory it is from the root ("\a\b"; the leading '\'
 * may be left out; "" or "\" is the root); with it, relative ("a\b"; "" is the
 * related file itself; a name from '\' is STATUS_OBJECT_NAME_INVALID, one below a
 * related file that is no directory STATUS_OBJECT_PATH_NOT_FOUND, as in fastfat).
 * A trailing '\' means the target must be a directory.
 * Statuses as NT's: STATUS_OBJECT_NAME_NOT_FOUND (last component missing),
 * STATUS_OBJECT_PATH_NOT_FOUND (one before it missing, or a file), STATUS_OBJECT_NAME_INVALID
 * (empty component, ".", "..", a character FAT forbids, more than 255 units, a trailing
 * dot or space: NT's file systems do not resolve "." and "..", Win32 and ntdll's
 * path functions do), STATUS_OBJECT_NAME_COLLISION, STATUS_FILE_IS_A_DIRECTORY,
 * STATUS_NOT_A_DIRECTORY, STATUS_ACCESS_DENIED (overwriting a read-only file, or a
 * hidden or system one without asking for those attributes again),
 * STATUS_DISK_FULL, STATUS_INVALID_PARAMETER (a bad disposition or option mix).
 * FileAttributes (READONLY|HIDDEN|SYSTEM|ARCHIVE) are used when a file is created or
 * overwritten; ARCHIVE is always added to files, as NT does.
 */
NTSTATUS FatCreate(PFAT_VOLUME Volume, PFAT_FCB RelatedDirectory, PCUNICODE_STRING Path,
                   ULONG Disposition, ULONG Options, ULONG FileAttributes,
                   PFAT_FCB *Fcb, PULONG Information);
VOID FatClose(PFAT_FCB Fcb);

/*
 * Reads at Offset. STATUS_END_OF_FILE (0 bytes) at or past the end, a short count
 * when the read crosses it; STATUS_INVALID_DEVICE_REQUEST on a directory;
 * STATUS_FILE_CORRUPT_ERROR when the cluster chain is broken (a loop, a free or
 * out-of-range cluster, shorter than the file).
 */
NTSTATUS FatRead(PFAT_FCB Fcb, ULONGLONG Offset, PVOID Buffer, ULONG Length, PULONG BytesRead);
/*
 * Writes at Offset, extending the file (the gap, if any, reads as zeros). All or
 * nothing when space runs out: STATUS_DISK_FULL, nothing written, nothing allocated.
 * Past 4 GB - 1 is STATUS_DISK_FULL too (FAT's limit, fastfat's status).
 */
NTSTATUS FatWrite(PFAT_FCB Fcb, ULONGLONG Offset, const VOID *Buffer, ULONG Length,
                  PULONG BytesWritten);
/* NT: FileEndOfFileInformation. Truncating frees clusters; extending allocates and zeroes. */
NTSTATUS FatSetEndOfFile(PFAT_FCB Fcb, ULONGLONG EndOfFile);

/*
 * Removes the file or the (empty: else STATUS_DIRECTORY_NOT_EMPTY) directory now and
 * frees its clusters. STATUS_CANNOT_DELETE for the root or a read-only file.
 */
NTSTATUS FatDelete(PFAT_FCB Fcb);
/*
 * NT: FileRenameInformation. NewName is a path like FatCreate's: with
 * RelatedDirectory relative to it; without, from the root when it starts with '\',
 * else a new name in the file's own directory. An existing target is
 * STATUS_OBJECT_NAME_COLLISION, or replaced when ReplaceIfExists unless it is a
 * directory, read-only or open (STATUS_ACCESS_DENIED). A directory cannot move into
 * itself or below (STATUS_INVALID_PARAMETER). The 8.3 alias is made anew (a rename
 * within one directory may keep its own). An open file stays open across it.
 */
NTSTATUS FatRename(PFAT_FCB Fcb, PFAT_FCB RelatedDirectory, PCUNICODE_STRING NewName,
                   BOOLEAN ReplaceIfExists);
/*
 * The open FCB of the file that FatRename with ReplaceIfExists would refuse to
 * replace because it is open, referenced (FatClose it), or NULL: the caller may
 * know that only a cached image holds it open, and delete it first (NT's fastfat).
 */
PFAT_FCB FatOpenRenameTarget(PFAT_FCB Fcb, PFAT_FCB RelatedDirectory, PCUNICODE_STRING NewName);

NTSTATUS FatQueryFileInformation(PFAT_FCB Fcb, PFAT_FILE_INFORMATION Information);
NTSTATUS FatSetBasicInformation(PFAT_FCB Fcb, const FAT_BASIC_INFORMATION *Information);

/*
 * The next entry of a directory ("." and ".." included, as on disk) whose long or
 * 8.3 name matches Pattern ('*' and '?', case-insensitive; NULL or empty: all).
 * *Cursor is where to go on from: 0 to start, then left as this call set it.
 * STATUS_NO_MORE_FILES at the end; STATUS_INVALID_PARAMETER on a file.
 */
NTSTATUS FatQueryDirectory(PFAT_FCB Directory, PCUNICODE_STRING Pattern, PULONG Cursor,
                           PFAT_DIRECTORY_INFORMATION Information);

/*
 * ntioapi.h - files and devices as user mode sees them: the I/O status block, the
 * file access rights, share modes, create dispositions and options, what
 * NtCreateFile reports, and the NtQueryInformationFile classes, with NT's names,
 * values and i386 layouts (NT spreads them over winnt.h, ntioapi.h and wdm.h).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntobapi.h>

/* Where an I/O request's outcome is written (NT: IO_STATUS_BLOCK, 8 bytes on i386). */
typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;      /* bytes transferred, or FILE_OPENED and friends */
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;
C_ASSERT_OFFSET(IO_STATUS_BLOCK, Information, 0x04);
C_ASSERT_SIZE(IO_STATUS_BLOCK, 0x08);

/* The user APC a read or write may name (NT's PIO_APC_ROUTINE). */
typedef VOID (NTAPI *PIO_APC_ROUTINE)(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG Reserved);

/* ---- access rights of files (and of directories: the same bits, other names) ---- */
#define FILE_READ_DATA              0x0001
#define FILE_LIST_DIRECTORY         0x0001
#define FILE_WRITE_DATA             0x0002
#define FILE_ADD_FILE               0x0002
#define FILE_APPEND_DATA            0x0004
#define FILE_ADD_SUBDIRECTORY       0x0004
#define FILE_READ_EA                0x0008
#define FILE_WRITE_EA               0x0010
#define FILE_EXECUTE                0x0020
#define FILE_TRAVERSE               0x0020
#define FILE_DELETE_CHILD           0x0040
#define FILE_READ_ATTRIBUTES        0x0080
#define FILE_WRITE_ATTRIBUTES       0x0100
#define FILE_ALL_ACCESS             (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x01FF)
#define FILE_GENERIC_READ           (STANDARD_RIGHTS_READ | FILE_READ_DATA | FILE_READ_ATTRIBUTES | \
                                     FILE_READ_EA | SYNCHRONIZE)
#define FILE_GENERIC_WRITE          (STANDARD_RIGHTS_WRITE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | \
                                     FILE_WRITE_EA | FILE_APPEND_DATA | SYNCHRONIZE)
#define FILE_GENERIC_EXECUTE        (STANDARD_RIGHTS_EXECUTE | FILE_READ_ATTRIBUTES | FILE_EXECUTE | \
                                     SYNCHRONIZE)

/* ---- share modes ---- */
#define FILE_SHARE_READ             0x00000001
#define FILE_SHARE_WRITE            0x00000002
#define FILE_SHARE_DELETE           0x00000004
#define FILE_SHARE_VALID_FLAGS      0x00000007

/* ---- file attributes (NtCreateFile's FileAttributes) ---- */
#define FILE_ATTRIBUTE_READONLY     0x00000001
#define FILE_ATTRIBUTE_HIDDEN       0x00000002
#define FILE_ATTRIBUTE_SYSTEM       0x00000004
#define FILE_ATTRIBUTE_DIRECTORY    0x00000010
#define FILE_ATTRIBUTE_ARCHIVE      0x00000020
#define FILE_ATTRIBUTE_NORMAL       0x00000080
#define FILE_ATTRIBUTE_VALID_FLAGS  0x00007FB7

/* ---- create dispositions ---- */
#define FILE_SUPERSEDE              0x00000000
#define FILE_OPEN                   0x00000001
#define FILE_CREATE                 0x00000002
#define FILE_OPEN_IF                0x00000003
#define FILE_OVERWRITE              0x00000004
#define FILE_OVERWRITE_IF           0x00000005
#define FILE_MAXIMUM_DISPOSITION    0x00000005

/* ---- create options ---- */
#define FILE_DIRECTORY_FILE             0x00000001
#define FILE_WRITE_THROUGH              0x00000002
#define FILE_SEQUENTIAL_ONLY            0x00000004
#define FILE_NO_INTERMEDIATE_BUFFERING  0x00000008
#define FILE_SYNCHRONOUS_IO_ALERT       0x00000010
#define FILE_SYNCHRONOUS_IO_NONALERT    0x00000020
#define FILE_NON_DIRECTORY_FILE         0x00000040
#define FILE_CREATE_TREE_CONNECTION     0x00000080
#define FILE_COMPLETE_IF_OPLOCKED       0x00000100
#define FILE_NO_EA_KNOWLEDGE            0x00000200
#define FILE_OPEN_FOR_RECOVERY          0x00000400
#define FILE_RANDOM_ACCESS              0x00000800
#define FILE_DELETE_ON_CLOSE            0x00001000
#define FILE_OPEN_BY_FILE_ID            0x00002000
#define FILE_OPEN_FOR_BACKUP_INTENT     0x00004000
#define FILE_NO_COMPRESSION             0x00008000
#define FILE_RESERVE_OPFILTER           0x00100000
#define FILE_OPEN_REPARSE_POINT         0x00200000
#define FILE_OPEN_NO_RECALL             0x00400000
#define FILE_OPEN_FOR_FREE_SPACE_QUERY  0x00800000
#define FILE_VALID_OPTION_FLAGS         0x00FFFFFF

/* ---- what an open did (IO_STATUS_BLOCK.Information of NtCreateFile) ---- */
#define FILE_SUPERSEDED             0x00000000
#define FILE_OPENED                 0x00000001
#define FILE_CREATED                0x00000002
#define FILE_OVERWRITTEN            0x00000003
#define FILE_EXISTS                 0x00000004
#define FILE_DOES_NOT_EXIST         0x00000005

/* ByteOffset.LowPart values with HighPart -1: "the current position", "the end". */
#define FILE_USE_FILE_POINTER_POSITION  0xFFFFFFFE
#define FILE_WRITE_TO_END_OF_FILE       0xFFFFFFFF

/* ---- NtQueryInformationFile / NtSetInformationFile classes (NT's numbers) ---- */
typedef enum _FILE_INFORMATION_CLASS {
    FileDirectoryInformation = 1,
    FileFullDirectoryInformation,       /* 2 */
    FileBothDirectoryInformation,       /* 3 */
    FileBasicInformation,               /* 4 */
    FileStandardInformation,            /* 5 */
    FileInternalInformation,            /* 6 */
    FileEaInformation,                  /* 7 */
    FileAccessInformation,              /* 8 */
    FileNameInformation,                /* 9 */
    FileRenameInformation,              /* 10 */
    FileLinkInformation,                /* 11 */
    FileNamesInformation,               /* 12 */
    FileDispositionInformation,         /* 13 */
    FilePositionInformation,            /* 14 */
    FileFullEaInformation,              /* 15 */
    FileModeInformation,                /* 16 */
    FileAlignmentInformation,           /* 17 */
    FileAllInformation,                 /* 18 */
    FileAllocationInformation,          /* 19 */
    FileEndOfFileInformation,           /* 20 */
} FILE_INFORMATION_CLASS, *PFILE_INFORMATION_CLASS;

typedef struct _FILE_STANDARD_INFORMATION {
    LARGE_INTEGER AllocationSize;       /* 0x00 */
    LARGE_INTEGER EndOfFile;            /* 0x08 */
    ULONG NumberOfLinks;                /* 0x10 */
    BOOLEAN DeletePending;              /* 0x14 */
    BOOLEAN Directory;                  /* 0x15 */
} FILE_STANDARD_INFORMATION, *PFILE_STANDARD_INFORMATION;
C_ASSERT_OFFSET(FILE_STANDARD_INFORMATION, NumberOfLinks, 0x10);
C_ASSERT_SIZE(FILE_STANDARD_INFORMATION, 0x18);

typedef struct _FILE_BASIC_INFORMATION {
    LARGE_INTEGER CreationTime;         /* 0x00 */
    LARGE_INTEGER LastAccessTime;       /* 0x08 */
    LARGE_INTEGER LastWriteTime;        /* 0x10 */
    LARGE_INTEGER ChangeTime;           /* 0x18 */
    ULONG FileAttributes;               /* 0x20 */
} FILE_BASIC_INFORMATION, *PFILE_BASIC_INFORMATION;
C_ASSERT_OFFSET(FILE_BASIC_INFORMATION, FileAttributes, 0x20);
C_ASSERT_SIZE(FILE_BASIC_INFORMATION, 0x28);

typedef struct _FILE_DISPOSITION_INFORMATION {
    BOOLEAN DeleteFile;                 /* TRUE: delete when the last handle closes */
} FILE_DISPOSITION_INFORMATION, *PFILE_DISPOSITION_INFORMATION;
C_ASSERT_SIZE(FILE_DISPOSITION_INFORMATION, 0x01);

typedef struct _FILE_END_OF_FILE_INFORMATION {
    LARGE_INTEGER EndOfFile;
} FILE_END_OF_FILE_INFORMATION, *PFILE_END_OF_FILE_INFORMATION;
C_ASSERT_SIZE(FILE_END_OF_FILE_INFORMATION, 0x08);

typedef struct _FILE_POSITION_INFORMATION {
    LARGE_INTEGER CurrentByteOffset;
} FILE_POSITION_INFORMATION, *PFILE_POSITION_INFORMATION;
C_ASSERT_SIZE(FILE_POSITION_INFORMATION, 0x08);

/*
 * NtQueryDirectoryFile's two classes here (NT: FILE_DIRECTORY_INFORMATION and
 * FILE_BOTH_DIR_INFORMATION). Entries are chained by NextEntryOffset (0 on the
 * last), each starting on an 8-byte boundary; FileName is not NUL-terminated.
 */
typedef struct _FILE_DIRECTORY_INFORMATION {
    ULONG NextEntryOffset;              /* 0x00 */
    ULONG FileIndex;                    /* 0x04 */
    LARGE_INTEGER CreationTime;         /* 0x08 */
    LARGE_INTEGER LastAccessTime;       /* 0x10 */
    LARGE_INTEGER LastWriteTime;        /* 0x18 */
    LARGE_INTEGER ChangeTime;           /* 0x20 */
    LARGE_INTEGER EndOfFile;            /* 0x28 */
    LARGE_INTEGER AllocationSize;       /* 0x30 */
    ULONG FileAttributes;               /* 0x38 */
    ULONG FileNameLength;               /* 0x3C: bytes */
    WCHAR FileName[1];                  /* 0x40 */
} FILE_DIRECTORY_INFORMATION, *PFILE_DIRECTORY_INFORMATION;
C_ASSERT_OFFSET(FILE_DIRECTORY_INFORMATION, AllocationSize, 0x30);
C_ASSERT_OFFSET(FILE_DIRECTORY_INFORMATION, FileName, 0x40);

typedef struct _FILE_BOTH_DIR_INFORMATION {
    ULONG NextEntryOffset;              /* 0x00 */
    ULONG FileIndex;                    /* 0x04 */
    LARGE_INTEGER CreationTime;         /* 0x08 */
    LARGE_INTEGER LastAccessTime;       /* 0x10 */
    LARGE_INTEGER LastWriteTime;        /* 0x18 */
    LARGE_INTEGER ChangeTime;           /* 0x20 */
    LARGE_INTEGER EndOfFile;            /* 0x28 */
    LARGE_INTEGER AllocationSize;       /* 0x30 */
    ULONG FileAttributes;               /* 0x38 */
    ULONG FileNameLength;               /* 0x3C: bytes */
    ULONG EaSize;                       /* 0x40 */
    CHAR ShortNameLength;               /* 0x44 (NT: CCHAR): bytes; 0 when the name is 8.3 already */
    WCHAR ShortName[12];                /* 0x46 */
    WCHAR FileName[1];                  /* 0x5E */
} FILE_BOTH_DIR_INFORMATION, *PFILE_BOTH_DIR_INFORMATION;
C_ASSERT_OFFSET(FILE_BOTH_DIR_INFORMATION, EaSize, 0x40);
C_ASSERT_OFFSET(FILE_BOTH_DIR_INFORMATION, ShortNameLength, 0x44);
C_ASSERT_OFFSET(FILE_BOTH_DIR_INFORMATION, ShortName, 0x46);
C_ASSERT_OFFSET(FILE_BOTH_DIR_INFORMATION, FileName, 0x5E);

/* ---- NtQueryVolumeInformationFile classes (NT's numbers) and answers ---- */
typedef enum _FS_INFORMATION_CLASS {
    FileFsVolumeInformation = 1,
    FileFsLabelInformation,             /* 2 */
    FileFsSizeInformation,              /* 3 */
    FileFsDeviceInformation,            /* 4 */
    FileFsAttributeInformation,         /* 5 */
    FileFsControlInformation,           /* 6 */
    FileFsFullSizeInformation,          /* 7 */
    FileFsObjectIdInformation,          /* 8 */
} FS_INFORMATION_CLASS, *PFS_INFORMATION_CLASS;

typedef struct _FILE_FS_VOLUME_INFORMATION {
    LARGE_INTEGER VolumeCreationTime;   /* 0x00 */
    ULONG VolumeSerialNumber;           /* 0x08 */
    ULONG VolumeLabelLength;            /* 0x0C: bytes */
    BOOLEAN SupportsObjects;            /* 0x10 */
    WCHAR VolumeLabel[1];               /* 0x12 */
} FILE_FS_VOLUME_INFORMATION, *PFILE_FS_VOLUME_INFORMATION;
C_ASSERT_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeSerialNumber, 0x08);
C_ASSERT_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel, 0x12);

typedef struct _FILE_FS_SIZE_INFORMATION {
    LARGE_INTEGER TotalAllocationUnits;     /* 0x00: clusters */
    LARGE_INTEGER AvailableAllocationUnits; /* 0x08 */
    ULONG SectorsPerAllocationUnit;         /* 0x10 */
    ULONG BytesPerSector;                   /* 0x14 */
} FILE_FS_SIZE_INFORMATION, *PFILE_FS_SIZE_INFORMATION;
C_ASSERT_OFFSET(FILE_FS_SIZE_INFORMATION, SectorsPerAllocationUnit, 0x10);
C_ASSERT_SIZE(FILE_FS_SIZE_INFORMATION, 0x18);

/* FILE_FS_ATTRIBUTE_INFORMATION.FileSystemAttributes (winnt.h's FILE_* flags). */
#define FILE_CASE_SENSITIVE_SEARCH      0x00000001
#define FILE_CASE_PRESERVED_NAMES       0x00000002
#define FILE_UNICODE_ON_DISK            0x00000004

typedef struct _FILE_FS_ATTRIBUTE_INFORMATION {
    ULONG FileSystemAttributes;         /* 0x00 */
    LONG MaximumComponentNameLength;    /* 0x04: characters */
    ULONG FileSystemNameLength;         /* 0x08: bytes */
    WCHAR FileSystemName[1];            /* 0x0C: "FAT", "FAT32", "NTFS" */
} FILE_FS_ATTRIBUTE_INFORMATION, *PFILE_FS_ATTRIBUTE_INFORMATION;
C_ASSERT_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName, 0x0C);

/* NtSetInformationFile's FileRenameInformation (NT's i386 layout). */
typedef struct _FILE_RENAME_INFORMATION {
    BOOLEAN ReplaceIfExists;            /* 0x00 */
    HANDLE RootDirectory;               /* 0x04: the name is relative to it; NULL: see FileName */
    ULONG FileNameLength;               /* 0x08: bytes */
    WCHAR FileName[1];                  /* 0x0C: a full path from '\', or a name in the same directory */
} FILE_RENAME_INFORMATION, *PFILE_RENAME_INFORMATION;
C_ASSERT_OFFSET(FILE_RENAME_INFORMATION, RootDirectory, 0x04);
C_ASSERT_OFFSET(FILE_RENAME_INFORMATION, FileName, 0x0C);

/*
 * ntsection.h - section objects as user mode sees them: the SEC_* attributes of
 * NtCreateSection, the access rights, how a view is inherited (NtMapViewOfSection),
 * and what NtQuerySection tells, with NT's i386 layouts. kernel32 reads
 * SectionImageInformation when it creates a process: the entry point, the stack
 * sizes for the first thread, the subsystem and its version, the machine.
 *
 * The memory manager fills the image information when it checks an image
 * (kernel/mm/imagechk.c); the services are in kernel/mm/section.c and mapview.c.
 */
#pragma once

#include <nt/ntdef.h>

/* NtCreateSection's AllocationAttributes (winnt.h's values). */
#define SEC_BASED       0x00200000      /* every view at the same address */
#define SEC_NO_CHANGE   0x00400000
#define SEC_FILE        0x00800000      /* backed by a file (NtQuerySection reports it) */
#define SEC_IMAGE       0x01000000      /* the file is a PE image: map it as one */
#define SEC_RESERVE     0x04000000      /* pages reserved; views commit them */
#define SEC_COMMIT      0x08000000      /* every page committed (the default) */
#define SEC_NOCACHE     0x10000000

/* Access to a section (winnt.h's values). */
#define SECTION_QUERY                0x0001
#define SECTION_MAP_WRITE            0x0002
#define SECTION_MAP_READ             0x0004
#define SECTION_MAP_EXECUTE          0x0008
#define SECTION_EXTEND_SIZE          0x0010
#define SECTION_MAP_EXECUTE_EXPLICIT 0x0020
#define SECTION_ALL_ACCESS           0x000F001F  /* STANDARD_RIGHTS_REQUIRED | 0x1F */

/* NtMapViewOfSection: does a child process get the view? */
typedef enum _SECTION_INHERIT {
    ViewShare = 1,
    ViewUnmap = 2
} SECTION_INHERIT;

typedef enum _SECTION_INFORMATION_CLASS {
    SectionBasicInformation = 0,
    SectionImageInformation = 1
} SECTION_INFORMATION_CLASS;

typedef struct _SECTION_BASIC_INFORMATION {
    PVOID BaseAddress;              /* 0x00: SEC_BASED: the address of every view; an
                                       image: its preferred base (NT 5); else NULL */
    ULONG AllocationAttributes;     /* 0x04: SEC_* */
    LARGE_INTEGER MaximumSize;      /* 0x08: the section's size */
} SECTION_BASIC_INFORMATION, *PSECTION_BASIC_INFORMATION;

C_ASSERT_OFFSET(SECTION_BASIC_INFORMATION, AllocationAttributes, 0x04);
C_ASSERT_OFFSET(SECTION_BASIC_INFORMATION, MaximumSize, 0x08);
C_ASSERT_SIZE(SECTION_BASIC_INFORMATION, 0x10);

typedef struct _SECTION_IMAGE_INFORMATION {
    PVOID TransferAddress;          /* 0x00: ImageBase + AddressOfEntryPoint (preferred base) */
    ULONG ZeroBits;                 /* 0x04 */
    SIZE_T MaximumStackSize;        /* 0x08: SizeOfStackReserve */
    SIZE_T CommittedStackSize;      /* 0x0C: SizeOfStackCommit */
    ULONG SubSystemType;            /* 0x10: IMAGE_SUBSYSTEM_* */
    union {
        struct {
            USHORT SubSystemMinorVersion;   /* 0x14 */
            USHORT SubSystemMajorVersion;   /* 0x16 */
        };
        ULONG SubSystemVersion;     /* 0x14: Major << 16 | Minor */
    };
    ULONG GpValue;                  /* 0x18: 0 on i386 (no global pointer) */
    USHORT ImageCharacteristics;    /* 0x1C: IMAGE_FILE_* */
    USHORT DllCharacteristics;      /* 0x1E: IMAGE_DLLCHARACTERISTICS_* */
    USHORT Machine;                 /* 0x20: IMAGE_FILE_MACHINE_I386 */
    BOOLEAN ImageContainsCode;      /* 0x22 */
    UCHAR ImageFlags;               /* 0x23: ComPlus, ImageDynamicallyRelocated, ... (0 here) */
    ULONG LoaderFlags;              /* 0x24: the optional header's LoaderFlags */
    ULONG ImageFileSize;            /* 0x28: bytes in the file */
    ULONG CheckSum;                 /* 0x2C: the optional header's CheckSum */
} SECTION_IMAGE_INFORMATION, *PSECTION_IMAGE_INFORMATION;

C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, ZeroBits, 0x04);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, MaximumStackSize, 0x08);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, CommittedStackSize, 0x0C);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, SubSystemType, 0x10);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, SubSystemMinorVersion, 0x14);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, SubSystemMajorVersion, 0x16);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, GpValue, 0x18);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, ImageCharacteristics, 0x1C);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, DllCharacteristics, 0x1E);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, Machine, 0x20);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, ImageContainsCode, 0x22);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, ImageFlags, 0x23);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, LoaderFlags, 0x24);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, ImageFileSize, 0x28);
C_ASSERT_OFFSET(SECTION_IMAGE_INFORMATION, CheckSum, 0x2C);
C_ASSERT_SIZE(SECTION_IMAGE_INFORMATION, 0x30);

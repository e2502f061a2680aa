/*
 * ntsection.h - what NtQuerySection tells about an image section
 * (SectionImageInformation), with NT's i386 layout. kernel32 reads it when it
 * creates a process: the entry point, the stack sizes for the first thread, the
 * subsystem and its version, the machine.
 *
 * The memory manager fills it when it checks an image (kernel/mm/imagechk.c); the
 * rest of the section API (information classes, SEC_* flags, basic information)
 * belongs here too as it comes.
 */
#pragma once

#include <nt/ntdef.h>

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

/*
 * ntimage.h - the PE32 image format (NT: ntimage.h, the same names and values as
 * winnt.h): the MS-DOS stub header, the NT headers, sections, base relocations,
 * exports, imports and TLS, with the constants that go with them.
 *
 * Shared by the kernel (the image checker and mapper in kernel/mm), ntdll's loader
 * and the host tests. Every structure is a file and memory layout, so each size and
 * the offsets that matter are pinned below. Only the 32-bit (PE32, i386) forms are
 * here: a PE32+ image is recognised by its magic and refused.
 *
 * User code that includes <windows.h> already has these names; include one or the
 * other, as with NT's own headers.
 */
#pragma once

#include <nt/ntdef.h>

/* ---- signatures ---- */
#define IMAGE_DOS_SIGNATURE         0x5A4D      /* "MZ" */
#define IMAGE_OS2_SIGNATURE         0x454E      /* "NE" */
#define IMAGE_OS2_SIGNATURE_LE      0x454C      /* "LE" */
#define IMAGE_NT_SIGNATURE          0x00004550  /* "PE\0\0" */

/* ---- the MS-DOS header: only e_magic and e_lfanew matter to NT ---- */
typedef struct _IMAGE_DOS_HEADER {
    USHORT e_magic;             /* 0x00: IMAGE_DOS_SIGNATURE */
    USHORT e_cblp;
    USHORT e_cp;
    USHORT e_crlc;
    USHORT e_cparhdr;
    USHORT e_minalloc;
    USHORT e_maxalloc;
    USHORT e_ss;
    USHORT e_sp;
    USHORT e_csum;
    USHORT e_ip;
    USHORT e_cs;
    USHORT e_lfarlc;
    USHORT e_ovno;
    USHORT e_res[4];
    USHORT e_oemid;
    USHORT e_oeminfo;
    USHORT e_res2[10];
    LONG e_lfanew;              /* 0x3C: file offset of the NT headers */
} IMAGE_DOS_HEADER, *PIMAGE_DOS_HEADER;

C_ASSERT_OFFSET(IMAGE_DOS_HEADER, e_lfanew, 0x3C);
C_ASSERT_SIZE(IMAGE_DOS_HEADER, 64);

/* ---- the file (COFF) header ---- */
typedef struct _IMAGE_FILE_HEADER {
    USHORT Machine;             /* IMAGE_FILE_MACHINE_* */
    USHORT NumberOfSections;
    ULONG TimeDateStamp;
    ULONG PointerToSymbolTable;
    ULONG NumberOfSymbols;
    USHORT SizeOfOptionalHeader;
    USHORT Characteristics;     /* IMAGE_FILE_* */
} IMAGE_FILE_HEADER, *PIMAGE_FILE_HEADER;

C_ASSERT_OFFSET(IMAGE_FILE_HEADER, SizeOfOptionalHeader, 16);
C_ASSERT_SIZE(IMAGE_FILE_HEADER, 20);
#define IMAGE_SIZEOF_FILE_HEADER    20

#define IMAGE_FILE_MACHINE_UNKNOWN  0x0000
#define IMAGE_FILE_MACHINE_I386     0x014C
#define IMAGE_FILE_MACHINE_ARM      0x01C0
#define IMAGE_FILE_MACHINE_ARMNT    0x01C4
#define IMAGE_FILE_MACHINE_IA64     0x0200
#define IMAGE_FILE_MACHINE_AMD64    0x8664
#define IMAGE_FILE_MACHINE_ARM64    0xAA64

#define IMAGE_FILE_RELOCS_STRIPPED          0x0001  /* no relocations: loads at ImageBase only */
#define IMAGE_FILE_EXECUTABLE_IMAGE         0x0002  /* an image, not an object file */
#define IMAGE_FILE_LINE_NUMS_STRIPPED       0x0004
#define IMAGE_FILE_LOCAL_SYMS_STRIPPED      0x0008
#define IMAGE_FILE_AGGRESIVE_WS_TRIM        0x0010  /* (sic, NT's spelling) */
#define IMAGE_FILE_LARGE_ADDRESS_AWARE      0x0020
#define IMAGE_FILE_BYTES_REVERSED_LO        0x0080
#define IMAGE_FILE_32BIT_MACHINE            0x0100
#define IMAGE_FILE_DEBUG_STRIPPED           0x0200
#define IMAGE_FILE_REMOVABLE_RUN_FROM_SWAP  0x0400
#define IMAGE_FILE_NET_RUN_FROM_SWAP        0x0800
#define IMAGE_FILE_SYSTEM                   0x1000
#define IMAGE_FILE_DLL                      0x2000
#define IMAGE_FILE_UP_SYSTEM_ONLY           0x4000
#define IMAGE_FILE_BYTES_REVERSED_HI        0x8000

/* ---- data directories ---- */
typedef struct _IMAGE_DATA_DIRECTORY {
    ULONG VirtualAddress;       /* an RVA (for SECURITY, a file offset) */
    ULONG Size;
} IMAGE_DATA_DIRECTORY, *PIMAGE_DATA_DIRECTORY;

C_ASSERT_SIZE(IMAGE_DATA_DIRECTORY, 8);

#define IMAGE_NUMBEROF_DIRECTORY_ENTRIES    16

#define IMAGE_DIRECTORY_ENTRY_EXPORT            0
#define IMAGE_DIRECTORY_ENTRY_IMPORT            1
#define IMAGE_DIRECTORY_ENTRY_RESOURCE          2
#define IMAGE_DIRECTORY_ENTRY_EXCEPTION         3
#define IMAGE_DIRECTORY_ENTRY_SECURITY          4
#define IMAGE_DIRECTORY_ENTRY_BASERELOC         5
#define IMAGE_DIRECTORY_ENTRY_DEBUG             6
#define IMAGE_DIRECTORY_ENTRY_ARCHITECTURE      7
#define IMAGE_DIRECTORY_ENTRY_GLOBALPTR         8
#define IMAGE_DIRECTORY_ENTRY_TLS               9
#define IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG       10
#define IMAGE_DIRECTORY_ENTRY_BOUND_IMPORT      11
#define IMAGE_DIRECTORY_ENTRY_IAT               12
#define IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT      13
#define IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR    14

/* ---- the optional header (PE32) ---- */
#define IMAGE_NT_OPTIONAL_HDR32_MAGIC   0x010B
#define IMAGE_NT_OPTIONAL_HDR64_MAGIC   0x020B
#define IMAGE_ROM_OPTIONAL_HDR_MAGIC    0x0107

typedef struct _IMAGE_OPTIONAL_HEADER32 {
    USHORT Magic;                       /* 0x00: IMAGE_NT_OPTIONAL_HDR32_MAGIC */
    UCHAR MajorLinkerVersion;
    UCHAR MinorLinkerVersion;
    ULONG SizeOfCode;
    ULONG SizeOfInitializedData;
    ULONG SizeOfUninitializedData;
    ULONG AddressOfEntryPoint;          /* 0x10: RVA; 0 for a DLL without one */
    ULONG BaseOfCode;
    ULONG BaseOfData;
    ULONG ImageBase;                    /* 0x1C: preferred load address */
    ULONG SectionAlignment;             /* 0x20 */
    ULONG FileAlignment;                /* 0x24 */
    USHORT MajorOperatingSystemVersion;
    USHORT MinorOperatingSystemVersion;
    USHORT MajorImageVersion;
    USHORT MinorImageVersion;
    USHORT MajorSubsystemVersion;       /* 0x30 */
    USHORT MinorSubsystemVersion;
    ULONG Win32VersionValue;
    ULONG SizeOfImage;                  /* 0x38 */
    ULONG SizeOfHeaders;                /* 0x3C */
    ULONG CheckSum;
    USHORT Subsystem;                   /* 0x44: IMAGE_SUBSYSTEM_* */
    USHORT DllCharacteristics;          /* 0x46: IMAGE_DLLCHARACTERISTICS_* */
    ULONG SizeOfStackReserve;           /* 0x48 */
    ULONG SizeOfStackCommit;
    ULONG SizeOfHeapReserve;
    ULONG SizeOfHeapCommit;
    ULONG LoaderFlags;
    ULONG NumberOfRvaAndSizes;          /* 0x5C: directories that follow */
    IMAGE_DATA_DIRECTORY DataDirectory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];   /* 0x60 */
} IMAGE_OPTIONAL_HEADER32, *PIMAGE_OPTIONAL_HEADER32;

C_ASSERT_OFFSET(IMAGE_OPTIONAL_HEADER32, AddressOfEntryPoint, 0x10);
C_ASSERT_OFFSET(IMAGE_OPTIONAL_HEADER32, ImageBase, 0x1C);
C_ASSERT_OFFSET(IMAGE_OPTIONAL_HEADER32, SectionAlignment, 0x20);
C_ASSERT_OFFSET(IMAGE_OPTIONAL_HEADER32, MajorSubsystemVersion, 0x30);
C_ASSERT_OFFSET(IMAGE_OPTIONAL_HEADER32, SizeOfImage, 0x38);
C_ASSERT_OFFSET(IMAGE_OPTIONAL_HEADER32, Subsystem, 0x44);
C_ASSERT_OFFSET(IMAGE_OPTIONAL_HEADER32, SizeOfStackReserve, 0x48);
C_ASSERT_OFFSET(IMAGE_OPTIONAL_HEADER32, NumberOfRvaAndSizes, 0x5C);
C_ASSERT_OFFSET(IMAGE_OPTIONAL_HEADER32, DataDirectory, 0x60);
C_ASSERT_SIZE(IMAGE_OPTIONAL_HEADER32, 224);
#define IMAGE_SIZEOF_NT_OPTIONAL32_HEADER   224

#define IMAGE_SUBSYSTEM_UNKNOWN                     0
#define IMAGE_SUBSYSTEM_NATIVE                      1
#define IMAGE_SUBSYSTEM_WINDOWS_GUI                 2
#define IMAGE_SUBSYSTEM_WINDOWS_CUI                 3
#define IMAGE_SUBSYSTEM_OS2_CUI                     5
#define IMAGE_SUBSYSTEM_POSIX_CUI                   7
#define IMAGE_SUBSYSTEM_NATIVE_WINDOWS              8
#define IMAGE_SUBSYSTEM_WINDOWS_CE_GUI              9
#define IMAGE_SUBSYSTEM_EFI_APPLICATION             10
#define IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER     11
#define IMAGE_SUBSYSTEM_EFI_RUNTIME_DRIVER          12
#define IMAGE_SUBSYSTEM_EFI_ROM                     13
#define IMAGE_SUBSYSTEM_XBOX                        14
#define IMAGE_SUBSYSTEM_WINDOWS_BOOT_APPLICATION    16

#define IMAGE_DLLCHARACTERISTICS_HIGH_ENTROPY_VA        0x0020
#define IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE           0x0040
#define IMAGE_DLLCHARACTERISTICS_FORCE_INTEGRITY        0x0080
#define IMAGE_DLLCHARACTERISTICS_NX_COMPAT              0x0100
#define IMAGE_DLLCHARACTERISTICS_NO_ISOLATION           0x0200
#define IMAGE_DLLCHARACTERISTICS_NO_SEH                 0x0400
#define IMAGE_DLLCHARACTERISTICS_NO_BIND                0x0800
#define IMAGE_DLLCHARACTERISTICS_APPCONTAINER           0x1000
#define IMAGE_DLLCHARACTERISTICS_WDM_DRIVER             0x2000
#define IMAGE_DLLCHARACTERISTICS_GUARD_CF               0x4000
#define IMAGE_DLLCHARACTERISTICS_TERMINAL_SERVER_AWARE  0x8000

/* ---- the NT headers: at e_lfanew in the file and in the mapped image ---- */
typedef struct _IMAGE_NT_HEADERS32 {
    ULONG Signature;                            /* 0x00: IMAGE_NT_SIGNATURE */
    IMAGE_FILE_HEADER FileHeader;               /* 0x04 */
    IMAGE_OPTIONAL_HEADER32 OptionalHeader;     /* 0x18 */
} IMAGE_NT_HEADERS32, *PIMAGE_NT_HEADERS32;

C_ASSERT_OFFSET(IMAGE_NT_HEADERS32, FileHeader, 4);
C_ASSERT_OFFSET(IMAGE_NT_HEADERS32, OptionalHeader, 0x18);
C_ASSERT_SIZE(IMAGE_NT_HEADERS32, 248);

typedef IMAGE_NT_HEADERS32 IMAGE_NT_HEADERS, *PIMAGE_NT_HEADERS;
typedef IMAGE_OPTIONAL_HEADER32 IMAGE_OPTIONAL_HEADER, *PIMAGE_OPTIONAL_HEADER;
#define IMAGE_NT_OPTIONAL_HDR_MAGIC IMAGE_NT_OPTIONAL_HDR32_MAGIC

/* ---- the section table: NumberOfSections entries after the optional header ---- */
#define IMAGE_SIZEOF_SHORT_NAME     8

typedef struct _IMAGE_SECTION_HEADER {
    UCHAR Name[IMAGE_SIZEOF_SHORT_NAME];    /* not NUL-terminated when 8 long */
    union {
        ULONG PhysicalAddress;
        ULONG VirtualSize;                  /* bytes in memory (0: use SizeOfRawData) */
    } Misc;
    ULONG VirtualAddress;                   /* 0x0C: RVA */
    ULONG SizeOfRawData;                    /* 0x10: bytes in the file */
    ULONG PointerToRawData;                 /* 0x14: file offset */
    ULONG PointerToRelocations;
    ULONG PointerToLinenumbers;
    USHORT NumberOfRelocations;
    USHORT NumberOfLinenumbers;
    ULONG Characteristics;                  /* 0x24: IMAGE_SCN_* */
} IMAGE_SECTION_HEADER, *PIMAGE_SECTION_HEADER;

C_ASSERT_OFFSET(IMAGE_SECTION_HEADER, VirtualAddress, 0x0C);
C_ASSERT_OFFSET(IMAGE_SECTION_HEADER, PointerToRawData, 0x14);
C_ASSERT_OFFSET(IMAGE_SECTION_HEADER, Characteristics, 0x24);
C_ASSERT_SIZE(IMAGE_SECTION_HEADER, 40);
#define IMAGE_SIZEOF_SECTION_HEADER 40

/* The first section header: the optional header's size says where it is. */
#define IMAGE_FIRST_SECTION(NtHeaders) ((PIMAGE_SECTION_HEADER)((ULONG_PTR)(NtHeaders) + \
    FIELD_OFFSET(IMAGE_NT_HEADERS32, OptionalHeader) +                               \
    (NtHeaders)->FileHeader.SizeOfOptionalHeader))

#define IMAGE_SCN_TYPE_NO_PAD               0x00000008
#define IMAGE_SCN_CNT_CODE                  0x00000020
#define IMAGE_SCN_CNT_INITIALIZED_DATA      0x00000040
#define IMAGE_SCN_CNT_UNINITIALIZED_DATA    0x00000080
#define IMAGE_SCN_LNK_OTHER                 0x00000100
#define IMAGE_SCN_LNK_INFO                  0x00000200
#define IMAGE_SCN_LNK_REMOVE                0x00000800
#define IMAGE_SCN_LNK_COMDAT                0x00001000
#define IMAGE_SCN_GPREL                     0x00008000
#define IMAGE_SCN_ALIGN_MASK                0x00F00000  /* objects only: 1 << (n - 1) bytes */
#define IMAGE_SCN_LNK_NRELOC_OVFL           0x01000000
#define IMAGE_SCN_MEM_DISCARDABLE           0x02000000
#define IMAGE_SCN_MEM_NOT_CACHED            0x04000000
#define IMAGE_SCN_MEM_NOT_PAGED             0x08000000
#define IMAGE_SCN_MEM_SHARED                0x10000000
#define IMAGE_SCN_MEM_EXECUTE               0x20000000
#define IMAGE_SCN_MEM_READ                  0x40000000
#define IMAGE_SCN_MEM_WRITE                 0x80000000

/* ---- base relocations: blocks of USHORT entries, one block per 4 KB page ---- */
typedef struct _IMAGE_BASE_RELOCATION {
    ULONG VirtualAddress;       /* RVA of the page the block fixes */
    ULONG SizeOfBlock;          /* bytes, this header included */
    /* USHORT TypeOffset[]: type in the top 4 bits, offset in the page in the low 12 */
} IMAGE_BASE_RELOCATION, *PIMAGE_BASE_RELOCATION;

C_ASSERT_SIZE(IMAGE_BASE_RELOCATION, 8);
#define IMAGE_SIZEOF_BASE_RELOCATION 8

#define IMAGE_REL_BASED_ABSOLUTE    0   /* padding: nothing to do */
#define IMAGE_REL_BASED_HIGH        1
#define IMAGE_REL_BASED_LOW         2
#define IMAGE_REL_BASED_HIGHLOW     3   /* the i386 one: add the delta to a 32-bit word */
#define IMAGE_REL_BASED_HIGHADJ     4
#define IMAGE_REL_BASED_DIR64       10

/* ---- exports ---- */
typedef struct _IMAGE_EXPORT_DIRECTORY {
    ULONG Characteristics;
    ULONG TimeDateStamp;
    USHORT MajorVersion;
    USHORT MinorVersion;
    ULONG Name;                 /* 0x0C: RVA of the DLL's name */
    ULONG Base;                 /* 0x10: ordinal of AddressOfFunctions[0] */
    ULONG NumberOfFunctions;    /* 0x14 */
    ULONG NumberOfNames;        /* 0x18 */
    ULONG AddressOfFunctions;   /* 0x1C: RVA of ULONG[NumberOfFunctions] (function RVAs) */
    ULONG AddressOfNames;       /* 0x20: RVA of ULONG[NumberOfNames] (name RVAs, sorted) */
    ULONG AddressOfNameOrdinals;/* 0x24: RVA of USHORT[NumberOfNames] (indexes into functions) */
} IMAGE_EXPORT_DIRECTORY, *PIMAGE_EXPORT_DIRECTORY;

C_ASSERT_OFFSET(IMAGE_EXPORT_DIRECTORY, Base, 0x10);
C_ASSERT_OFFSET(IMAGE_EXPORT_DIRECTORY, AddressOfNameOrdinals, 0x24);
C_ASSERT_SIZE(IMAGE_EXPORT_DIRECTORY, 40);

/* ---- imports ---- */
typedef struct _IMAGE_IMPORT_DESCRIPTOR {
    union {
        ULONG Characteristics;  /* 0 in the all-zero descriptor that ends the table */
        ULONG OriginalFirstThunk;   /* RVA of the import name table (IMAGE_THUNK_DATA32[]) */
    };
    ULONG TimeDateStamp;        /* 0, or -1 / a stamp when bound */
    ULONG ForwarderChain;
    ULONG Name;                 /* RVA of the DLL's name */
    ULONG FirstThunk;           /* RVA of the import address table */
} IMAGE_IMPORT_DESCRIPTOR, *PIMAGE_IMPORT_DESCRIPTOR;

C_ASSERT_OFFSET(IMAGE_IMPORT_DESCRIPTOR, Name, 0x0C);
C_ASSERT_SIZE(IMAGE_IMPORT_DESCRIPTOR, 20);

typedef struct _IMAGE_IMPORT_BY_NAME {
    USHORT Hint;                /* index into the exporter's name table to try first */
    CHAR Name[1];               /* NUL-terminated */
} IMAGE_IMPORT_BY_NAME, *PIMAGE_IMPORT_BY_NAME;

typedef struct _IMAGE_THUNK_DATA32 {
    union {
        ULONG ForwarderString;
        ULONG Function;         /* after binding: the address */
        ULONG Ordinal;          /* IMAGE_ORDINAL_FLAG32 | ordinal */
        ULONG AddressOfData;    /* RVA of an IMAGE_IMPORT_BY_NAME */
    } u1;
} IMAGE_THUNK_DATA32, *PIMAGE_THUNK_DATA32;

C_ASSERT_SIZE(IMAGE_THUNK_DATA32, 4);

#define IMAGE_ORDINAL_FLAG32            0x80000000
#define IMAGE_ORDINAL32(Ordinal)        ((Ordinal) & 0xFFFF)
#define IMAGE_SNAP_BY_ORDINAL32(Ordinal) (((Ordinal) & IMAGE_ORDINAL_FLAG32) != 0)

/* ---- thread-local storage ---- */
typedef struct _IMAGE_TLS_DIRECTORY32 {
    ULONG StartAddressOfRawData;    /* VAs (relocated with the image), not RVAs */
    ULONG EndAddressOfRawData;
    ULONG AddressOfIndex;
    ULONG AddressOfCallBacks;       /* VA of a NULL-terminated array of PIMAGE_TLS_CALLBACK */
    ULONG SizeOfZeroFill;
    ULONG Characteristics;
} IMAGE_TLS_DIRECTORY32, *PIMAGE_TLS_DIRECTORY32;

C_ASSERT_SIZE(IMAGE_TLS_DIRECTORY32, 24);

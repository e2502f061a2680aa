/*
 * image.h - PE32 images as the memory manager sees them: checking a file before
 * anything is mapped (imagechk.c), laying it out in memory with its page
 * protections and base relocations (imagemap.c), and finding exports in a mapped
 * image (imageexp.c). NT: MiVerifyImageHeader and MiCreateImageFileMap (checking,
 * the subsections of an image's control area), the base relocation NT 6 does in the
 * kernel (NT 5: ntdll's LdrRelocateImage), RtlImageDirectoryEntryToData and the
 * loader's export lookup.
 *
 * Private to the memory manager (kernel/mm). Pure logic on memory buffers: nothing
 * here allocates, locks, touches a page table or reads a file, so all of it runs in
 * the host unit tests (tests/unit/test_image.c) against images built with MinGW.
 *
 * How the section code uses it (NtCreateSection with SEC_IMAGE, NtMapViewOfSection):
 *   1. Read the whole file into a kernel buffer that nobody else can change.
 *   2. MiVerifyImageHeader(File, FileSize, Info): every header check NT makes when
 *      the section is created. Info (2.4 KB: allocate it with the section's
 *      segment, not on a kernel stack) holds what NtQuerySection's
 *      SectionImageInformation returns (Info->ImageInformation) and the image's
 *      layout: one MI_IMAGE_SECTION per section (NT's subsections).
 *   3. Choose the address: Info->ImageBase when that range is free, else any other
 *      64 KB-aligned range of Info->ViewSize bytes.
 *   4. MiMapImage(File, FileSize, Info, Destination, LoadAddress) builds the image as
 *      it appears at LoadAddress in a kernel buffer of Info->ViewSize bytes (the
 *      pages that will back the view): headers, sections, zero fill, relocations.
 *      NtMapViewOfSection then returns STATUS_IMAGE_NOT_AT_BASE when LoadAddress is
 *      not Info->ImageBase. The same built pages can back every view at that address
 *      (several processes share the read-only ones).
 *   5. Give each page the protection MiGetImagePageProtection(Info, Rva) returns
 *      (PAGE_WRITECOPY pages are private to a process once written).
 *   6. The kernel finds ntdll's entry points with MiFindExportByName on the mapped
 *      image (a forwarder there is a boot failure: ntdll forwards nothing).
 *
 * Rules
 *   - A malformed image is a status, never a fault: every offset, size and RVA is
 *     checked against the buffer it points into, with overflow-free arithmetic.
 *   - File must not change between MiVerifyImageHeader and MiMapImage (the caller's
 *     own copy); MiMapImage reads only ranges that the check proved inside the file.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/ntimage.h>
#include <nt/ntsection.h>
#include <nt/ntmmapi.h>

/*
 * NT (XP): at most this many sections, as many as fit in the two header pages NT
 * reads (MM_MAXIMUM_IMAGE_SECTIONS = (2 pages - (1 page + NT headers)) / 40).
 */
#define MI_IMAGE_MAX_SECTIONS       96
/* NT: MM_SIZE_OF_LARGEST_IMAGE; a larger SizeOfImage is refused. */
#define MM_SIZE_OF_LARGEST_IMAGE    0x77000000
/* The alignment an image base must have (NT: X64K, the allocation granularity). */
#define MI_IMAGE_BASE_ALIGNMENT     MM_ALLOCATION_GRANULARITY
/* FileAlignment bounds for images aligned on pages (the PE specification's). */
#define MI_IMAGE_MIN_FILE_ALIGNMENT 0x200
#define MI_IMAGE_MAX_FILE_ALIGNMENT 0x10000

/* One section as it lies in memory (NT: a subsection of the image's control area). */
typedef struct _MI_IMAGE_SECTION {
    ULONG VirtualAddress;       /* RVA of its first byte, a multiple of SectionAlignment */
    ULONG VirtualSize;          /* bytes it spans, rounded up to SectionAlignment (at most
                                   to the end of the view) */
    ULONG PointerToRawData;     /* file offset of the bytes copied */
    ULONG SizeOfRawData;        /* bytes copied from the file: min(raw size, virtual size);
                                   the rest of the section is zero */
    ULONG Characteristics;      /* IMAGE_SCN_* */
    ULONG Protection;           /* PAGE_* for its pages (MiImageSectionProtection) */
} MI_IMAGE_SECTION, *PMI_IMAGE_SECTION;

typedef struct _MI_IMAGE_INFO {
    SECTION_IMAGE_INFORMATION ImageInformation;     /* for NtQuerySection */
    ULONG ImageBase;            /* preferred load address */
    ULONG SizeOfImage;          /* the header's value */
    ULONG ViewSize;             /* SizeOfImage rounded up to a page: the view's size */
    ULONG SizeOfHeaders;        /* bytes of headers copied from the file's start */
    ULONG SectionAlignment;
    ULONG FileAlignment;
    ULONG NtHeadersOffset;      /* e_lfanew */
    ULONG HeaderProtection;     /* PAGE_* of the header pages */
    ULONG RelocationRva;        /* the base-relocation directory (0, 0 when absent) */
    ULONG RelocationSize;
    ULONG NumberOfSections;
    MI_IMAGE_SECTION Sections[MI_IMAGE_MAX_SECTIONS];
} MI_IMAGE_INFO, *PMI_IMAGE_INFO;

/*
 * imagechk.c - checks a PE32 file, in NT's order with NT's statuses, and fills Info.
 *   STATUS_INVALID_IMAGE_NOT_MZ     no "MZ" at the start (kernel32 then tries the file
 *                                   as a .com / .bat / 16-bit program)
 *   STATUS_INVALID_IMAGE_WIN_64     a 64-bit image (AMD64, IA64, ARM64, or PE32+)
 *   STATUS_INVALID_IMAGE_FORMAT     anything else wrong: headers or sections outside
 *                                   the file, bad alignments, overlaps, overflows...
 * On failure Info's contents are undefined.
 */
NTSTATUS MiVerifyImageHeader(const VOID *File, SIZE_T FileSize, PMI_IMAGE_INFO Info);

/* NT's page protection for a section of an image, from its IMAGE_SCN_MEM_* flags. */
ULONG MiImageSectionProtection(ULONG Characteristics);

/*
 * imagemap.c - builds the image as it appears at LoadAddress (page aligned) in
 * Destination (Info->ViewSize bytes): the headers, each section at its RVA, zeros
 * everywhere else, and the base relocations applied when LoadAddress is not
 * Info->ImageBase (then the mapped header's ImageBase says LoadAddress, as Vista's
 * kernel-relocated images do).
 *   STATUS_CONFLICTING_ADDRESSES    it must move but cannot: relocations stripped
 *                                   (IMAGE_FILE_RELOCS_STRIPPED) or no relocation
 *                                   directory (checked before anything is written)
 *   STATUS_INVALID_IMAGE_FORMAT     a relocation block or target outside the image,
 *                                   or a type other than HIGHLOW and ABSOLUTE
 *   STATUS_INVALID_PARAMETER        LoadAddress not page aligned, the view would wrap
 *                                   past 4 GB, or File / Info not the pair checked
 * On failure Destination holds garbage: the caller discards it.
 */
NTSTATUS MiMapImage(const VOID *File, SIZE_T FileSize, const MI_IMAGE_INFO *Info,
                    PVOID Destination, ULONG_PTR LoadAddress);

/*
 * Moves an image that MiMapImage built at its preferred base (Image, Info->ViewSize
 * bytes) to LoadAddress: its relocations applied, the header's ImageBase changed.
 * The statuses of MiMapImage. (The section code keeps one built copy per image and
 * makes moved copies of it for views that cannot sit at the preferred base.)
 */
NTSTATUS MiRelocateMappedImage(PVOID Image, const MI_IMAGE_INFO *Info, ULONG_PTR LoadAddress);

/*
 * The protection of the page holding Rva: the header pages' for the headers, the
 * section's for a page of a section, PAGE_NOACCESS for a page of the view past the
 * last section (or past the view). An image aligned on less than a page maps every
 * page PAGE_EXECUTE_WRITECOPY, as NT does (its sections share pages).
 */
ULONG MiGetImagePageProtection(const MI_IMAGE_INFO *Info, ULONG Rva);

/*
 * imageexp.c - export lookup in an image mapped (by MiMapImage) at Image, ImageSize
 * bytes (the view size). On success *Rva is the export's RVA and *Forwarder is NULL,
 * or, for a forwarder (an RVA inside the export directory), *Forwarder points at its
 * "DLL.Function" (or "DLL.#Ordinal") string in the image and *Rva is that string's.
 *   STATUS_ENTRYPOINT_NOT_FOUND     no export by that name
 *   STATUS_ORDINAL_NOT_FOUND        ordinal below Base, past the table, or unused
 *   STATUS_INVALID_IMAGE_FORMAT     no export directory, or a table, name, RVA or
 *                                   name ordinal outside the image
 * By name: the name table is searched in binary (it is sorted, as the linker leaves
 * it); Hint, an index into the name table (IMAGE_IMPORT_BY_NAME.Hint), is tried first
 * (MI_NO_EXPORT_HINT: none). Names compare byte for byte, case-sensitive.
 */
#define MI_NO_EXPORT_HINT 0xFFFFFFFF

NTSTATUS MiFindExportByName(const VOID *Image, SIZE_T ImageSize, PCSTR Name, ULONG Hint,
                            PULONG Rva, PCSTR *Forwarder);
NTSTATUS MiFindExportByOrdinal(const VOID *Image, SIZE_T ImageSize, ULONG Ordinal,
                               PULONG Rva, PCSTR *Forwarder);

/* ---- helpers shared by the image files ---- */

/* TRUE when [Offset, Offset + Length) lies inside [0, Limit), without overflow. */
static inline BOOLEAN MiIsRangeInside(ULONG Offset, ULONG Length, ULONG Limit)
{
    return Offset <= Limit && Length <= Limit - Offset;
}

/* Value rounded up to Alignment (a power of two); FALSE if that overflows. */
static inline BOOLEAN MiAlignUp(ULONG Value, ULONG Alignment, PULONG Result)
{
    ULONG Sum;

    if (__builtin_add_overflow(Value, Alignment - 1, &Sum))
        return FALSE;
    *Result = Sum & ~(Alignment - 1);
    return TRUE;
}

/* Words that may sit at any address inside an image (relocation targets, tables). */
typedef ULONG __attribute__((aligned(1), may_alias)) MI_UNALIGNED_ULONG;
typedef USHORT __attribute__((aligned(1), may_alias)) MI_UNALIGNED_USHORT;

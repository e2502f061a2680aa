/*
 * section.h - section objects, the segments behind them, and views (NT: SECTION,
 * CONTROL_AREA and SEGMENT of ntos\mm\mi.h; creatsec.c, mapview.c).
 *
 * Private to the memory manager (kernel/mm).
 *
 * The model
 *   - A segment is the memory a section stands for: one physical page per page of
 *     the section (NT keeps prototype PTEs; with nothing paged out, a page number
 *     per page says the same). NT splits it into a CONTROL_AREA (the counts, the
 *     file) and a SEGMENT (the pages, the image information); one structure here.
 *       image      built once when the first section of the file is created: the
 *                  file is checked (imagechk.c) and laid out for its preferred base
 *                  (imagemap.c); the file system's SECTION_OBJECT_POINTERS of the
 *                  file point at it, so later sections of the same file share it.
 *                  A view of an image anywhere else gets a relocated copy of its
 *                  own (a segment whose BaseSegment is the image's).
 *       memory     (SEC_COMMIT, "backed by the paging file") zero pages, each made
 *                  at its first touch through any view and then shared by all.
 *   - A section object (SECTION) is a handle's way to a segment, with the size and
 *     protection it was created with. Several sections may share a segment.
 *   - A view is a VAD (Type MEM_IMAGE or MEM_MAPPED) whose ControlArea is the
 *     segment and FirstPrototypePage the segment page at its start. Its runs are
 *     committed with each page's protection; the page-fault handler maps the
 *     segment's page (read-only while the protection is write-copy: the first write
 *     gets the process a private copy).
 *   - A segment lives while a section or a view refers to it; an image segment
 *     that loses its last one stays cached, still its file's ImageSectionObject
 *     (NT: the unused segment list, segment.c), until the file is to change
 *     (MmFlushImageSection) or memory is wanted. Its pages are referenced once by
 *     the segment and once by every PTE that maps them, so a page goes back to the
 *     free list when the last of those goes.
 *
 * Commit: a segment charges its pages to the system's commit when it is made; a
 * view of an image charges its process for the write-copy pages it may copy (NT's
 * ImageCommitment). Both are returned when they go.
 */
#pragma once

#include "mi.h"
#include "image.h"
#include <ob.h>
#include <io.h>
#include <kewait.h>
#include <kd.h>
#include <nt/ntsection.h>

typedef struct _SEGMENT {
    LONG NumberOfSectionReferences; /* section objects on it (NT: CONTROL_AREA) */
    LONG NumberOfMappedViews;       /* views of it (NT: CONTROL_AREA) */
    BOOLEAN Image;                  /* an image (SEC_IMAGE), else memory (SEC_COMMIT) */
    PFILE_OBJECT FilePointer;       /* the image file, referenced (NT: CONTROL_AREA) */
    struct _SEGMENT *BaseSegment;   /* a relocated copy: the image it copies, referenced */
    ULONG TotalNumberOfPtes;        /* pages */
    ULONGLONG SizeOfSegment;        /* bytes (an image: its view size) */
    ULONG CommitCharge;             /* pages charged to the system's commit */
    ULONG ImageCommitment;          /* write-copy pages: what each view charges */
    ULONG_PTR BasedAddress;         /* an image: the address its pages are built for */
    PMI_IMAGE_INFO ImageInfo;       /* an image: its headers' facts (pool; a copy's
                                       is its base segment's) */
    LIST_ENTRY UnusedSegmentLink;   /* on the unused list while cached (Unused) */
    BOOLEAN Unused;                 /* cached: no section or view, still the file's */
    BOOLEAN DeleteOnClose;          /* a flush found it in use: the file is to change,
                                       so it serves only its present users (NT:
                                       the control area's flag of the name) */
    PFN_NUMBER PrototypePages[];    /* the pages; 0 = not made yet (memory only) */
} SEGMENT, *PSEGMENT;

/* A section object's body (NT 6: SECTION). */
typedef struct _SECTION {
    PSEGMENT Segment;
    LARGE_INTEGER SizeOfSection;    /* what NtQuerySection reports */
    ULONG InitialPageProtection;    /* the most a view may ask for */
    ULONG AllocationAttributes;     /* SEC_* */
} SECTION, *PSECTION;

/* ---- segments (segment.c) ---- */

VOID MiInitializeSegments(VOID);        /* the lock, at boot */

/*
 * The image segment of FileObject: the one its file already has, referenced, or a
 * new one (the file read, checked and laid out). The statuses of MiVerifyImageHeader,
 * STATUS_INVALID_FILE_FOR_SECTION for a directory or an empty file,
 * STATUS_COMMITMENT_LIMIT, STATUS_INSUFFICIENT_RESOURCES, or the file's read error.
 */
NTSTATUS MiGetImageSegment(PFILE_OBJECT FileObject, PSEGMENT *Segment);
/* A memory segment of Size bytes (rounded up to pages), every page committed. */
NTSTATUS MiCreatePagingFileSegment(ULONGLONG Size, PSEGMENT *Segment);
/*
 * A copy of image segment Base laid out for LoadAddress instead (its relocations
 * applied): STATUS_CONFLICTING_ADDRESSES when the image cannot move.
 */
NTSTATUS MiCreateRelocatedSegment(PSEGMENT Base, ULONG_PTR LoadAddress, PSEGMENT *Segment);

/* One more / one less section or view; the segment goes with the last. */
VOID MiReferenceSegment(PSEGMENT Segment, BOOLEAN View);
VOID MiDereferenceSegment(PSEGMENT Segment, BOOLEAN View);

/*
 * The physical page behind page Index of the segment, made (zeroed) if it was not
 * yet; 0 when no page is left. Called by the fault handler, interrupts off.
 */
PFN_NUMBER MiGetSegmentPage(PSEGMENT Segment, ULONG_PTR Index);

/* ---- views (mapview.c) ---- */

/* Removes every view of Space (its PTEs are the caller's: address-space deletion). */
VOID MiRemoveAllViews(PMM_ADDRESS_SPACE Space);

/*
 * segment.c - the memory behind sections (NT: MiCreateImageFileMap,
 * MiCreatePagingFileMap, MiCheckControlArea, MiSegmentDelete; see section.h).
 *
 * An image is read whole into pool, checked by MiVerifyImageHeader, and laid out
 * by MiMapImage straight into the segment's pages, seen for that moment through
 * system PTEs. Nothing of it is read again: the pages are the image from then on.
 *
 * One lock (MiSegmentLock) covers the reference counts, the files'
 * SECTION_OBJECT_POINTERS, the unused list and the list of images being made; it
 * is never held across I/O or a pool-heavy step, so that two threads making a
 * section of the same file at once both read it, and the second to finish takes
 * the first one's segment and drops its own.
 *
 * An image being made is not yet its file's, but it is in use (NT: a control area
 * BeingCreated): a flush meanwhile answers FALSE, and a change that goes ahead
 * anyway (MmImageFileChanging) marks the making, whose segment then serves only
 * the section that asked for it (DeleteOnClose, never on the file): its bytes were
 * read before the change, and a segment put on the file after the change found
 * nothing to drop would otherwise be cached and handed out stale.
 *
 * The image cache (NT: MmUnusedSegmentList). Reading and laying out an image is
 * most of a process start or a DLL load, so an image segment that loses its last
 * section and view is not deleted: it goes to the unused list, still its file's
 * ImageSectionObject and still holding its file object (so the FCB, and with it
 * the SECTION_OBJECT_POINTERS, stay), and the next section of the file takes it
 * back. It leaves the cache, deleted, when
 *   - the file is to change: the file system calls MmFlushImageSection before an
 *     open for writing or deleting, an overwrite, a rename over it (a flush that
 *     finds the image in use answers FALSE, and the operation is refused: nothing
 *     changes), and MmImageFileChanging before a write or a new end of file through
 *     a handle opened before the image was, which go ahead: an image in use is then
 *     marked DeleteOnClose, so that it is not cached, nor given to new sections;
 *   - the list is over its bounds (the oldest first): MI_UNUSED_SEGMENT_MAXIMUM
 *     segments, whose pages are at most 1/MI_UNUSED_SEGMENT_SHARE of the available
 *     pages (checked whenever a segment joins it);
 *   - a new segment finds no commit or no page: the whole list goes, and it tries
 *     again (NT trims the list when memory runs low, MiDereferenceSegmentThread);
 *   - MmTrimSegmentCache.
 */
#include "section.h"
#include <rtl.h>
#include <nt/list.h>

#define MI_SEGMENT_TAG      EX_POOL_TAG('M', 'm', 'S', 't')
#define MI_IMAGE_INFO_TAG   EX_POOL_TAG('M', 'm', 'I', 'i')
#define MI_IMAGE_FILE_TAG   EX_POOL_TAG('M', 'm', 'I', 'f')

/*
 * The largest image file read: it is held in non-paged pool while it is checked
 * and laid out. NT maps larger ones (MM_SIZE_OF_LARGEST_IMAGE); this kernel's pool
 * is made for a boot volume of 16 MB.
 */
#define MI_MAXIMUM_IMAGE_FILE_SIZE  (16 * 1024 * 1024)

/* The bounds of the unused list (see above). */
#define MI_UNUSED_SEGMENT_MAXIMUM   32
#define MI_UNUSED_SEGMENT_SHARE     8

static KEVENT MiSegmentLock;
static LIST_ENTRY MiUnusedSegmentList;      /* oldest first */
static ULONG MiUnusedSegmentCount;
static ULONG MiUnusedSegmentPages;
static ULONG MiImageFileReads;              /* for MmQuerySegmentCache */

/* An image segment being made for a file (on the maker's stack, see above). */
typedef struct _MI_IMAGE_CREATION {
    LIST_ENTRY Link;                        /* on MiImageCreationList */
    PSECTION_OBJECT_POINTERS Pointers;      /* the file's */
    BOOLEAN Flushed;                        /* a flush came meanwhile */
} MI_IMAGE_CREATION, *PMI_IMAGE_CREATION;

static LIST_ENTRY MiImageCreationList;

static VOID MipLockSegments(VOID)
{
    KeEnterCriticalRegion();
    KeWaitForSingleObject(&MiSegmentLock, Executive, KernelMode, FALSE, NULL);
}

static VOID MipUnlockSegments(VOID)
{
    KeSetEvent(&MiSegmentLock, 0, FALSE);
    KeLeaveCriticalRegion();
}

VOID MiInitializeSegments(VOID)
{
    KeInitializeEvent(&MiSegmentLock, SynchronizationEvent, TRUE);
    InitializeListHead(&MiUnusedSegmentList);
    InitializeListHead(&MiImageCreationList);
}

static BOOLEAN MipIsSegmentUsed(PSEGMENT Segment)
{
    return Segment->NumberOfMappedViews != 0 || Segment->NumberOfSectionReferences != 0;
}

/* Lock held: Segment leaves the unused list (it is being used again, or deleted). */
static VOID MipRemoveUnusedSegment(PSEGMENT Segment)
{
    RemoveEntryList(&Segment->UnusedSegmentLink);
    Segment->Unused = FALSE;
    MiUnusedSegmentCount--;
    MiUnusedSegmentPages -= Segment->TotalNumberOfPtes;
}

/* Lock held: the file forgets Segment, which it names (nothing can find it after). */
static VOID MipForgetImageSegment(PSECTION_OBJECT_POINTERS Pointers, PSEGMENT Segment)
{
    Pointers->ImageSectionObject = NULL;
    if (Segment->Unused)
        MipRemoveUnusedSegment(Segment);
}

/*
 * Lock held: moves the oldest unused segments to Victims (forgotten by their files)
 * until at most Count are left, holding at most Pages pages; the caller deletes them
 * once the lock is dropped (MipDeleteSegments).
 */
static VOID MipTakeUnusedSegments(ULONG Count, ULONG Pages, PLIST_ENTRY Victims)
{
    PSEGMENT Segment;

    while (MiUnusedSegmentCount > Count || MiUnusedSegmentPages > Pages) {
        Segment = CONTAINING_RECORD(MiUnusedSegmentList.Flink, SEGMENT, UnusedSegmentLink);
        MipForgetImageSegment(Segment->FilePointer->SectionObjectPointer, Segment);
        InsertTailList(Victims, &Segment->UnusedSegmentLink);
    }
}

/* A segment of PageCount pages, none made yet, its commit charged to the system. */
static NTSTATUS MipAllocateSegment(ULONG PageCount, PSEGMENT *Segment)
{
    PSEGMENT New;
    NTSTATUS Status;

    if (PageCount == 0 || PageCount > (MAXULONG - sizeof(SEGMENT)) / sizeof(PFN_NUMBER))
        return STATUS_SECTION_TOO_BIG;
    Status = MiChargeCommitment(NULL, PageCount);    /* empties the cache if it must */
    if (!NT_SUCCESS(Status))
        return Status;
    New = ExAllocatePoolWithTag(NonPagedPool, sizeof(SEGMENT) + PageCount * sizeof(PFN_NUMBER),
                                MI_SEGMENT_TAG);
    if (New == NULL) {
        MiReturnCommitment(NULL, PageCount);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memset(New, 0, sizeof(SEGMENT) + PageCount * sizeof(PFN_NUMBER));
    New->TotalNumberOfPtes = PageCount;
    New->SizeOfSegment = (ULONGLONG)PageCount << PAGE_SHIFT;
    New->CommitCharge = PageCount;
    *Segment = New;
    return STATUS_SUCCESS;
}

/*
 * Frees the segment's pages, commit, pool and what it refers to (no one uses it).
 * DeferClose: the caller is the file system, inside its own locks, which closing
 * the file object would take again: the close waits for the next safe point.
 */
static VOID MipDeleteSegment(PSEGMENT Segment, BOOLEAN DeferClose)
{
    ULONG Index;

    for (Index = 0; Index < Segment->TotalNumberOfPtes; Index++) {
        if (Segment->PrototypePages[Index] != 0)
            MiDereferencePage(Segment->PrototypePages[Index]);
    }
    MiReturnCommitment(NULL, Segment->CommitCharge);
    if (Segment->BaseSegment != NULL)
        MiDereferenceSegment(Segment->BaseSegment, FALSE);
    else if (Segment->ImageInfo != NULL)
        ExFreePoolWithTag(Segment->ImageInfo, MI_IMAGE_INFO_TAG);
    if (Segment->FilePointer != NULL && DeferClose)
        ObDereferenceObjectDeferDelete(Segment->FilePointer);
    else if (Segment->FilePointer != NULL)
        ObDereferenceObject(Segment->FilePointer);
    ExFreePoolWithTag(Segment, MI_SEGMENT_TAG);
}

static VOID MipDeleteSegments(PLIST_ENTRY Victims, BOOLEAN DeferClose)
{
    while (!IsListEmpty(Victims))
        MipDeleteSegment(CONTAINING_RECORD(RemoveHeadList(Victims), SEGMENT, UnusedSegmentLink), DeferClose);
}

/* Empties the unused list: TRUE when that gave anything back. */
static BOOLEAN MipTrimUnusedSegments(BOOLEAN DeferClose)
{
    LIST_ENTRY Victims;

    InitializeListHead(&Victims);
    MipLockSegments();
    MipTakeUnusedSegments(0, 0, &Victims);
    MipUnlockSegments();
    if (IsListEmpty(&Victims))
        return FALSE;
    MipDeleteSegments(&Victims, DeferClose);
    return TRUE;
}

/* Memory is short wherever the caller is (mi.h): the files are closed later. */
BOOLEAN MiTrimUnusedSegments(VOID)
{
    /* A glance without the lock: the common refusal (nothing cached, or before the
       lock exists at boot) takes none. */
    if (__atomic_load_n(&MiUnusedSegmentCount, __ATOMIC_RELAXED) == 0)
        return FALSE;
    return MipTrimUnusedSegments(TRUE);
}

VOID MmTrimSegmentCache(VOID)
{
    (VOID)MipTrimUnusedSegments(FALSE);
}

VOID MmQuerySegmentCache(PMM_SEGMENT_CACHE_INFORMATION Information)
{
    MipLockSegments();
    Information->UnusedSegments = MiUnusedSegmentCount;
    Information->UnusedPages = MiUnusedSegmentPages;
    Information->ImageFileReads = MiImageFileReads;
    MipUnlockSegments();
}

/* Gives every page of the segment a physical page (contents to be written). */
static NTSTATUS MipMakeAllPages(PSEGMENT Segment)
{
    ULONG Index;

    for (Index = 0; Index < Segment->TotalNumberOfPtes; Index++) {
        Segment->PrototypePages[Index] = MiRemoveAnyPage();
        if (Segment->PrototypePages[Index] == 0 && MipTrimUnusedSegments(FALSE))
            Segment->PrototypePages[Index] = MiRemoveAnyPage();    /* the cache's pages are back */
        if (Segment->PrototypePages[Index] == 0)
            return STATUS_INSUFFICIENT_RESOURCES;
    }
    return STATUS_SUCCESS;
}

/* Reads the whole file into pool (*Buffer, *Size bytes). */
static NTSTATUS MipReadImageFile(PFILE_OBJECT FileObject, PUCHAR *Buffer, PULONG Size)
{
    IO_STATUS_BLOCK IoStatus;
    LARGE_INTEGER FileSize, Offset;
    ULONG Done = 0;
    PUCHAR Bytes;
    NTSTATUS Status;

    Status = FsRtlGetFileSize(FileObject, &FileSize);
    if (Status == STATUS_FILE_IS_A_DIRECTORY)
        return STATUS_INVALID_FILE_FOR_SECTION;
    if (!NT_SUCCESS(Status))
        return Status;
    /* NT: an empty file is no image (its header page cannot be read). */
    if (FileSize.QuadPart == 0)
        return STATUS_INVALID_FILE_FOR_SECTION;
    if (FileSize.QuadPart > MI_MAXIMUM_IMAGE_FILE_SIZE)
        return STATUS_SECTION_TOO_BIG;

    Bytes = ExAllocatePoolWithTag(NonPagedPool, (SIZE_T)FileSize.QuadPart, MI_IMAGE_FILE_TAG);
    if (Bytes == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    __atomic_add_fetch(&MiImageFileReads, 1, __ATOMIC_RELAXED);
    while (Done < (ULONG)FileSize.QuadPart) {
        Offset.QuadPart = Done;
        Status = IoPageRead(FileObject, Bytes + Done, (ULONG)FileSize.QuadPart - Done, &Offset, &IoStatus);
        if (NT_SUCCESS(Status) && IoStatus.Information == 0)
            Status = STATUS_END_OF_FILE;    /* the file shrank under us */
        if (!NT_SUCCESS(Status)) {
            ExFreePoolWithTag(Bytes, MI_IMAGE_FILE_TAG);
            return Status;
        }
        Done += (ULONG)IoStatus.Information;
    }
    *Buffer = Bytes;
    *Size = Done;
    return STATUS_SUCCESS;
}

/* The pages of the image that a view may write (and so copy): NT's ImageCommitment. */
static ULONG MipCountWriteCopyPages(const MI_IMAGE_INFO *Info)
{
    ULONG Rva, Count = 0;

    for (Rva = 0; Rva < Info->ViewSize; Rva += PAGE_SIZE) {
        if (MiIsWriteCopyProtection(MiGetImagePageProtection(Info, Rva)))
            Count++;
    }
    return Count;
}

/* Writes the image, as it is at LoadAddress, into the segment's pages. */
typedef NTSTATUS (*PMIP_BUILD_ROUTINE)(PVOID Context, PVOID Image);

static NTSTATUS MipBuildPages(PSEGMENT Segment, PMIP_BUILD_ROUTINE Build, PVOID Context)
{
    PVOID Image;
    NTSTATUS Status;

    Status = MipMakeAllPages(Segment);
    if (!NT_SUCCESS(Status))
        return Status;
    Image = MiMapPagesInSystemSpace(Segment->PrototypePages, Segment->TotalNumberOfPtes);
    if (Image == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = Build(Context, Image);
    MiUnmapPagesInSystemSpace(Image, Segment->TotalNumberOfPtes);
    return Status;
}

typedef struct _MIP_IMAGE_FILE {
    PUCHAR Bytes;
    ULONG Size;
    PMI_IMAGE_INFO Info;
} MIP_IMAGE_FILE, *PMIP_IMAGE_FILE;

static NTSTATUS MipBuildFromFile(PVOID Context, PVOID Image)
{
    PMIP_IMAGE_FILE File = Context;

    return MiMapImage(File->Bytes, File->Size, File->Info, Image, File->Info->ImageBase);
}

/* A new segment for the image in FileObject (not yet known to the file). */
static NTSTATUS MipCreateImageSegment(PFILE_OBJECT FileObject, PSEGMENT *Segment)
{
    MIP_IMAGE_FILE File = { NULL, 0, NULL };
    PSEGMENT New = NULL;
    NTSTATUS Status;

    Status = MipReadImageFile(FileObject, &File.Bytes, &File.Size);
    if (!NT_SUCCESS(Status))
        return Status;
    File.Info = ExAllocatePoolWithTag(NonPagedPool, sizeof(MI_IMAGE_INFO), MI_IMAGE_INFO_TAG);
    if (File.Info == NULL) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
        goto Done;
    }
    Status = MiVerifyImageHeader(File.Bytes, File.Size, File.Info);
    if (!NT_SUCCESS(Status))
        goto Done;
    Status = MipAllocateSegment(File.Info->ViewSize >> PAGE_SHIFT, &New);
    if (!NT_SUCCESS(Status))
        goto Done;
    New->Image = TRUE;
    New->ImageInfo = File.Info;
    File.Info = NULL;               /* the segment's now */
    New->BasedAddress = New->ImageInfo->ImageBase;
    New->ImageCommitment = MipCountWriteCopyPages(New->ImageInfo);
    Status = MipBuildPages(New, MipBuildFromFile,
                           &(MIP_IMAGE_FILE){ File.Bytes, File.Size, New->ImageInfo });
    if (!NT_SUCCESS(Status)) {
        MipDeleteSegment(New, FALSE);
        goto Done;
    }
    ObReferenceObject(FileObject);
    New->FilePointer = FileObject;
    New->NumberOfSectionReferences = 1;
    *Segment = New;
Done:
    if (File.Info != NULL)
        ExFreePoolWithTag(File.Info, MI_IMAGE_INFO_TAG);
    ExFreePoolWithTag(File.Bytes, MI_IMAGE_FILE_TAG);
    return Status;
}

/*
 * Lock held: the file's image segment, referenced for a new section (taken off the
 * unused list if it was cached), or NULL. One marked DeleteOnClose is not handed
 * out: the file may have changed since it was read. The file forgets it (it lives
 * on for its users) and the caller reads the file again.
 */
static PSEGMENT MipReferenceImageSegment(PSECTION_OBJECT_POINTERS Pointers)
{
    PSEGMENT Existing = Pointers->ImageSectionObject;

    if (Existing != NULL && Existing->DeleteOnClose) {
        MipForgetImageSegment(Pointers, Existing);
        Existing = NULL;
    }
    if (Existing != NULL) {
        if (Existing->Unused)
            MipRemoveUnusedSegment(Existing);
        Existing->NumberOfSectionReferences++;
    }
    return Existing;
}

NTSTATUS MiGetImageSegment(PFILE_OBJECT FileObject, PSEGMENT *Segment)
{
    PSECTION_OBJECT_POINTERS Pointers = FileObject->SectionObjectPointer;
    MI_IMAGE_CREATION Creation = { { NULL, NULL }, Pointers, FALSE };
    PSEGMENT Existing, New = NULL;
    NTSTATUS Status;

    if (Pointers != NULL) {
        MipLockSegments();
        Existing = MipReferenceImageSegment(Pointers);
        if (Existing == NULL)
            InsertTailList(&MiImageCreationList, &Creation.Link);   /* flushes see it from now */
        MipUnlockSegments();
        if (Existing != NULL) {
            *Segment = Existing;
            return STATUS_SUCCESS;
        }
    }

    Status = MipCreateImageSegment(FileObject, &New);
    if (Pointers == NULL) {
        *Segment = New;
        return Status;
    }
    MipLockSegments();
    RemoveEntryList(&Creation.Link);
    if (!NT_SUCCESS(Status)) {
        MipUnlockSegments();
        *Segment = NULL;
        return Status;
    }
    /* Another thread may have made one meanwhile: the first one made stays. One a
       flush found being made is this section's only (its file may have changed
       since it was read): any good one of the file's is taken instead. */
    Existing = MipReferenceImageSegment(Pointers);
    if (Existing == NULL && Creation.Flushed)
        New->DeleteOnClose = TRUE;
    else if (Existing == NULL)
        Pointers->ImageSectionObject = New;
    MipUnlockSegments();
    if (Existing != NULL) {
        MipDeleteSegment(New, FALSE);
        New = Existing;
    }
    *Segment = New;
    return STATUS_SUCCESS;
}

NTSTATUS MiCreatePagingFileSegment(ULONGLONG Size, PSEGMENT *Segment)
{
    ULONGLONG Pages = (Size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    PSEGMENT New;
    NTSTATUS Status;

    if (Size == 0 || Pages > MI_VA_TO_VPN(MM_HIGHEST_VAD_ADDRESS))
        return STATUS_SECTION_TOO_BIG;
    Status = MipAllocateSegment((ULONG)Pages, &New);
    if (!NT_SUCCESS(Status))
        return Status;
    New->SizeOfSegment = Size;
    New->NumberOfSectionReferences = 1;
    *Segment = New;
    return STATUS_SUCCESS;
}

typedef struct _MIP_RELOCATION {
    PSEGMENT Base;
    ULONG_PTR LoadAddress;
} MIP_RELOCATION, *PMIP_RELOCATION;

/* Copies the image page by page from its base segment, then moves it. */
static NTSTATUS MipBuildRelocated(PVOID Context, PVOID Image)
{
    PMIP_RELOCATION Relocation = Context;
    PSEGMENT Base = Relocation->Base;
    ULONG Index;

    for (Index = 0; Index < Base->TotalNumberOfPtes; Index++)
        memcpy((PUCHAR)Image + ((ULONG_PTR)Index << PAGE_SHIFT),
               MI_PFN_TO_KSEG0(Base->PrototypePages[Index]), PAGE_SIZE);
    return MiRelocateMappedImage(Image, Base->ImageInfo, Relocation->LoadAddress);
}

NTSTATUS MiCreateRelocatedSegment(PSEGMENT Base, ULONG_PTR LoadAddress, PSEGMENT *Segment)
{
    MIP_RELOCATION Relocation = { Base, LoadAddress };
    PSEGMENT New;
    NTSTATUS Status;

    /* Checked before any page is made: most images that cannot move say so. */
    if ((Base->ImageInfo->ImageInformation.ImageCharacteristics & IMAGE_FILE_RELOCS_STRIPPED) ||
        Base->ImageInfo->RelocationSize == 0)
        return STATUS_CONFLICTING_ADDRESSES;
    Status = MipAllocateSegment(Base->TotalNumberOfPtes, &New);
    if (!NT_SUCCESS(Status))
        return Status;
    New->Image = TRUE;
    New->ImageInfo = Base->ImageInfo;
    New->BasedAddress = LoadAddress;
    New->ImageCommitment = Base->ImageCommitment;
    MiReferenceSegment(Base, FALSE);
    New->BaseSegment = Base;
    Status = MipBuildPages(New, MipBuildRelocated, &Relocation);
    if (!NT_SUCCESS(Status)) {
        MipDeleteSegment(New, FALSE);
        return Status;
    }
    *Segment = New;     /* no references: the view that asked takes the first */
    return STATUS_SUCCESS;
}

VOID MiReferenceSegment(PSEGMENT Segment, BOOLEAN View)
{
    MipLockSegments();
    if (View)
        Segment->NumberOfMappedViews++;
    else
        Segment->NumberOfSectionReferences++;
    MipUnlockSegments();
}

VOID MiDereferenceSegment(PSEGMENT Segment, BOOLEAN View)
{
    PSECTION_OBJECT_POINTERS Pointers;
    LIST_ENTRY Victims;
    BOOLEAN Delete;

    InitializeListHead(&Victims);
    MipLockSegments();
    if (View)
        Segment->NumberOfMappedViews--;
    else
        Segment->NumberOfSectionReferences--;
    if (Segment->NumberOfMappedViews < 0 || Segment->NumberOfSectionReferences < 0)
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x4D53, (ULONG_PTR)Segment,
                     (ULONG)Segment->NumberOfSectionReferences, (ULONG)Segment->NumberOfMappedViews);
    Delete = !MipIsSegmentUsed(Segment);
    Pointers = Segment->FilePointer != NULL ? Segment->FilePointer->SectionObjectPointer : NULL;
    if (Delete && Pointers != NULL && Pointers->ImageSectionObject == Segment) {
        if (Segment->DeleteOnClose) {
            /* The file forgets it before anyone else can find it. */
            Pointers->ImageSectionObject = NULL;
        } else {
            /* Cached for the file's next section; an older one may have to make room. */
            InsertTailList(&MiUnusedSegmentList, &Segment->UnusedSegmentLink);
            Segment->Unused = TRUE;
            MiUnusedSegmentCount++;
            MiUnusedSegmentPages += Segment->TotalNumberOfPtes;
            MipTakeUnusedSegments(MI_UNUSED_SEGMENT_MAXIMUM, MmAvailablePages / MI_UNUSED_SEGMENT_SHARE, &Victims);
            Delete = FALSE;
        }
    }
    MipUnlockSegments();
    if (Delete)
        MipDeleteSegment(Segment, FALSE);
    MipDeleteSegments(&Victims, FALSE);
}

PFN_NUMBER MiGetSegmentPage(PSEGMENT Segment, ULONG_PTR Index)
{
    PFN_NUMBER Page;

    if (Index >= Segment->TotalNumberOfPtes)
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x4D50, (ULONG_PTR)Segment, Index, Segment->TotalNumberOfPtes);
    Page = Segment->PrototypePages[Index];
    if (Page == 0) {
        /* Memory sections: the first touch through any view makes the page, zeroed. */
        Page = MiRemoveZeroPage();
        Segment->PrototypePages[Index] = Page;
    }
    return Page;
}

/*
 * Both: drops a cached unused image of the file; with Changing, marks an image in
 * use or being made so that it serves only its present users. TRUE when no image
 * of the file is in use or being made.
 */
static BOOLEAN MipFlushImage(PSECTION_OBJECT_POINTERS SectionPointer, BOOLEAN Changing)
{
    PMI_IMAGE_CREATION Creation;
    BOOLEAN Making = FALSE;
    PLIST_ENTRY Entry;
    PSEGMENT Segment;

    if (SectionPointer == NULL)
        return TRUE;
    MipLockSegments();
    /* An image of the file being made is in use too (see the top of the file). */
    for (Entry = MiImageCreationList.Flink; Entry != &MiImageCreationList; Entry = Entry->Flink) {
        Creation = CONTAINING_RECORD(Entry, MI_IMAGE_CREATION, Link);
        if (Creation->Pointers == SectionPointer) {
            if (Changing)
                Creation->Flushed = TRUE;
            Making = TRUE;
        }
    }
    Segment = SectionPointer->ImageSectionObject;
    if (Segment != NULL && MipIsSegmentUsed(Segment)) {
        if (Changing)
            Segment->DeleteOnClose = TRUE;
        MipUnlockSegments();
        return FALSE;
    }
    /* A cached one goes, even while another is being made (which may have made it
       and let it go meanwhile). */
    if (Segment != NULL)
        MipForgetImageSegment(SectionPointer, Segment);
    MipUnlockSegments();
    if (Segment != NULL)
        MipDeleteSegment(Segment, TRUE);
    return !Making;
}

BOOLEAN MmFlushImageSection(PSECTION_OBJECT_POINTERS SectionPointer, MMFLUSH_TYPE FlushType)
{
    /* Both refuse while the image is in use: NT tells them apart only for mapped
       data files, which do not exist here. */
    UNREFERENCED_PARAMETER(FlushType);
    return MipFlushImage(SectionPointer, FALSE);
}

VOID MmImageFileChanging(PSECTION_OBJECT_POINTERS SectionPointer)
{
    (VOID)MipFlushImage(SectionPointer, TRUE);
}

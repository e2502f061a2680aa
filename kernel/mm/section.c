/*
 * section.c - section objects (NT: MmSectionObjectType, MmCreateSection and
 * NtCreateSection in creatsec.c, NtOpenSection, NtQuerySection in querysec.c).
 *
 * A section object is a handle's way to a segment (section.h). Creating one checks
 * NT's arguments in NT's order, then gets the segment: the file's image segment
 * (made on the first section of the file), or new memory. The object is named
 * like any other (Win32 puts shared memory in \BaseNamedObjects), so that another
 * process can open it with NtOpenSection.
 */
#include "section.h"
#include <rtl.h>
#include "ntapi.h"      /* the prototypes, from include/nt/sysfuncs.lst */

POBJECT_TYPE MmSectionObjectType;

/* NT's MmpSectionMapping. */
static const GENERIC_MAPPING MiSectionMapping = {
    STANDARD_RIGHTS_READ | SECTION_QUERY | SECTION_MAP_READ,
    STANDARD_RIGHTS_WRITE | SECTION_MAP_WRITE,
    STANDARD_RIGHTS_EXECUTE | SECTION_MAP_EXECUTE,
    SECTION_ALL_ACCESS
};

#define MI_SECTION_ATTRIBUTES \
    (SEC_BASED | SEC_NO_CHANGE | SEC_IMAGE | SEC_RESERVE | SEC_COMMIT | SEC_NOCACHE)

/* The section's last reference: its segment loses one. */
static VOID MipDeleteSection(PVOID Object)
{
    PSECTION Section = Object;

    if (Section->Segment != NULL)
        MiDereferenceSegment(Section->Segment, FALSE);
}

VOID MmInitializeSections(VOID)
{
    OBJECT_TYPE_INITIALIZER Initializer;
    UNICODE_STRING Name;
    NTSTATUS Status;

    MiInitializeSegments();
    RtlInitUnicodeString(&Name, u"Section");
    memset(&Initializer, 0, sizeof(Initializer));
    Initializer.Length = sizeof(Initializer);
    Initializer.InvalidAttributes = OBJ_OPENLINK;
    Initializer.GenericMapping = MiSectionMapping;
    Initializer.ValidAccessMask = SECTION_ALL_ACCESS;
    Initializer.PoolType = NonPagedPool;
    Initializer.DefaultNonPagedPoolCharge = sizeof(SECTION);
    Initializer.DeleteProcedure = MipDeleteSection;
    Status = ObCreateObjectType(&Name, &Initializer, NULL, &MmSectionObjectType);
    if (!NT_SUCCESS(Status))
        KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, (ULONG_PTR)Status, 0x5345, 0, 0);
}

/*
 * A section's protection: one of the eight base values, with at most SEC_NOCACHE's
 * PAGE_NOCACHE; PAGE_NOACCESS and PAGE_GUARD mean nothing for a whole section.
 */
static BOOLEAN MipIsSectionProtection(ULONG Protect)
{
    if (Protect & PAGE_GUARD)
        return FALSE;
    if (!NT_SUCCESS(MiValidateProtection(Protect)))
        return FALSE;
    return (Protect & 0xFF) != PAGE_NOACCESS;
}

/* The access to the file a section of this protection needs (NT: MmMakeFileAccess). */
static ACCESS_MASK MipFileAccess(ULONG Protect)
{
    switch (Protect & 0xFF) {
    case PAGE_EXECUTE:
        return FILE_EXECUTE;
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_WRITECOPY:
        return FILE_EXECUTE | FILE_READ_DATA;
    case PAGE_READWRITE:
        return FILE_READ_DATA | FILE_WRITE_DATA;
    case PAGE_EXECUTE_READWRITE:
        return FILE_EXECUTE | FILE_READ_DATA | FILE_WRITE_DATA;
    default:                        /* PAGE_READONLY, PAGE_WRITECOPY */
        return FILE_READ_DATA;
    }
}

/* NT's checks of the attributes, in its order: STATUS_INVALID_PARAMETER_6. */
static NTSTATUS MipCheckAttributes(ULONG AllocationAttributes)
{
    ULONG Kind = AllocationAttributes & (SEC_IMAGE | SEC_RESERVE | SEC_COMMIT);

    if (AllocationAttributes & ~MI_SECTION_ATTRIBUTES)
        return STATUS_INVALID_PARAMETER_6;
    if (Kind != SEC_IMAGE && Kind != SEC_RESERVE && Kind != SEC_COMMIT)
        return STATUS_INVALID_PARAMETER_6;  /* none, or more than one */
    if ((AllocationAttributes & SEC_IMAGE) && (AllocationAttributes & (SEC_NOCACHE | SEC_NO_CHANGE)))
        return STATUS_INVALID_PARAMETER_6;
    return STATUS_SUCCESS;
}

NTSTATUS MmCreateSection(PVOID *SectionObject, ACCESS_MASK DesiredAccess,
                         POBJECT_ATTRIBUTES ObjectAttributes, PLARGE_INTEGER MaximumSize,
                         ULONG SectionPageProtection, ULONG AllocationAttributes,
                         PFILE_OBJECT FileObject)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PSEGMENT Segment;
    PSECTION Section;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(DesiredAccess);      /* ObInsertObject grants it */
    Status = MipCheckAttributes(AllocationAttributes);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!MipIsSectionProtection(SectionPageProtection))
        return STATUS_INVALID_PAGE_PROTECTION;

    if (AllocationAttributes & SEC_IMAGE) {
        if (FileObject == NULL)
            return STATUS_INVALID_FILE_FOR_SECTION;
        Status = MiGetImageSegment(FileObject, &Segment);
    } else if (FileObject != NULL) {
        /* A view of a data file is the file's bytes, kept coherent with its reads and
           writes: that needs the cache manager, which does not exist. */
        DbgPrint("NtCreateSection: mapped data files are not implemented\n");
        return STATUS_NOT_IMPLEMENTED;
    } else {
        if (MaximumSize == NULL || MaximumSize->QuadPart <= 0)
            return STATUS_INVALID_PARAMETER_4;
        if (AllocationAttributes & (SEC_RESERVE | SEC_BASED)) {
            DbgPrint("NtCreateSection: SEC_RESERVE and SEC_BASED are not implemented\n");
            return STATUS_NOT_IMPLEMENTED;
        }
        Status = MiCreatePagingFileSegment((ULONGLONG)MaximumSize->QuadPart, &Segment);
    }
    if (!NT_SUCCESS(Status))
        return Status;

    /* ObCreateObject captures ObjectAttributes (probing them for user mode). */
    Status = ObCreateObject(PreviousMode, MmSectionObjectType, ObjectAttributes, PreviousMode, NULL,
                            sizeof(SECTION), 0, 0, (PVOID *)&Section);
    if (!NT_SUCCESS(Status)) {
        MiDereferenceSegment(Segment, FALSE);
        return Status;
    }
    Section->Segment = Segment;
    Section->InitialPageProtection = SectionPageProtection;
    if (Segment->Image) {
        /* An image is its view size, whatever was asked (NT). */
        Section->SizeOfSection.QuadPart = (LONGLONG)Segment->SizeOfSegment;
        Section->AllocationAttributes = SEC_IMAGE | SEC_FILE;
    } else {
        /* Memory comes in pages: NT reports the size rounded up to one. */
        Section->SizeOfSection.QuadPart = (LONGLONG)Segment->TotalNumberOfPtes << PAGE_SHIFT;
        Section->AllocationAttributes = AllocationAttributes;
    }
    *SectionObject = Section;
    return STATUS_SUCCESS;
}

NTSTATUS NtCreateSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                         PLARGE_INTEGER MaximumSize, ULONG SectionPageProtection, ULONG AllocationAttributes,
                         HANDLE FileHandle)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    LARGE_INTEGER Size, *SizePointer = NULL;
    PFILE_OBJECT FileObject = NULL;
    HANDLE Handle;
    PVOID Section;
    NTSTATUS Status;

    /* NT's order: the attributes and the protection, then the pointers. */
    Status = MipCheckAttributes(AllocationAttributes);
    if (!NT_SUCCESS(Status))
        return Status;
    if (!MipIsSectionProtection(SectionPageProtection))
        return STATUS_INVALID_PAGE_PROTECTION;
    Status = ExProbeUserOutput(SectionHandle, sizeof(HANDLE), sizeof(HANDLE), PreviousMode);
    if (NT_SUCCESS(Status) && MaximumSize != NULL) {
        Status = ExCaptureUserData(&Size, MaximumSize, sizeof(Size), sizeof(ULONG), PreviousMode);
        SizePointer = &Size;
    }
    if (!NT_SUCCESS(Status))
        return Status;

    if (FileHandle != NULL) {
        Status = ObReferenceObjectByHandle(FileHandle, MipFileAccess(SectionPageProtection), IoFileObjectType,
                                           PreviousMode, (PVOID *)&FileObject, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = MmCreateSection(&Section, DesiredAccess, ObjectAttributes, SizePointer, SectionPageProtection,
                             AllocationAttributes, FileObject);
    if (FileObject != NULL)
        ObDereferenceObject(FileObject);    /* an image segment keeps its own reference */
    if (!NT_SUCCESS(Status))
        return Status;

    /* STATUS_OBJECT_NAME_EXISTS (OBJ_OPENIF) is a success: the handle is the old one's. */
    Status = ObInsertObject(Section, NULL, DesiredAccess, 0, NULL, &Handle);
    if (NT_SUCCESS(Status))
        (VOID)ExCopyToCaller(SectionHandle, &Handle, sizeof(Handle), PreviousMode);
    return Status;
}

NTSTATUS NtOpenSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    HANDLE Handle;
    NTSTATUS Status;

    Status = ExProbeUserOutput(SectionHandle, sizeof(HANDLE), sizeof(HANDLE), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObOpenObjectByName(ObjectAttributes, MmSectionObjectType, PreviousMode, NULL, DesiredAccess,
                                NULL, &Handle);
    if (NT_SUCCESS(Status))
        (VOID)ExCopyToCaller(SectionHandle, &Handle, sizeof(Handle), PreviousMode);
    return Status;
}

NTSTATUS NtQuerySection(HANDLE SectionHandle, SECTION_INFORMATION_CLASS SectionInformationClass,
                        PVOID SectionInformation, SIZE_T SectionInformationLength, PSIZE_T ResultLength)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    union {
        SECTION_BASIC_INFORMATION Basic;
        SECTION_IMAGE_INFORMATION Image;
    } Buffer;
    SIZE_T Length;
    PSECTION Section;
    NTSTATUS Status;

    Status = ExProbeUserOutput(SectionInformation, SectionInformationLength, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && ResultLength != NULL)
        Status = ExProbeUserOutput(ResultLength, sizeof(SIZE_T), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (SectionInformationClass == SectionBasicInformation)
        Length = sizeof(SECTION_BASIC_INFORMATION);
    else if (SectionInformationClass == SectionImageInformation)
        Length = sizeof(SECTION_IMAGE_INFORMATION);
    else
        return STATUS_INVALID_INFO_CLASS;
    if (SectionInformationLength < Length)
        return STATUS_INFO_LENGTH_MISMATCH;

    Status = ObReferenceObjectByHandle(SectionHandle, SECTION_QUERY, MmSectionObjectType, PreviousMode,
                                       (PVOID *)&Section, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Buffer, 0, sizeof(Buffer));
    if (SectionInformationClass == SectionBasicInformation) {
        /* An image reports its preferred base (NT 5), other sections none. */
        Buffer.Basic.BaseAddress = Section->Segment->Image ?
            (PVOID)Section->Segment->ImageInfo->ImageBase : NULL;
        Buffer.Basic.AllocationAttributes = Section->AllocationAttributes;
        Buffer.Basic.MaximumSize = Section->SizeOfSection;
    } else if (Section->Segment->Image) {
        Buffer.Image = Section->Segment->ImageInfo->ImageInformation;
    } else {
        Status = STATUS_SECTION_NOT_IMAGE;
    }
    ObDereferenceObject(Section);
    if (!NT_SUCCESS(Status))
        return Status;

    Status = ExCopyToCaller(SectionInformation, &Buffer, Length, PreviousMode);
    if (NT_SUCCESS(Status) && ResultLength != NULL)
        Status = ExCopyToCaller(ResultLength, &Length, sizeof(Length), PreviousMode);
    return Status;
}

/*
 * secexport.c - what the process manager asks of an image section: its image
 * information and preferred base, and an export by name read from the section's
 * own pages (NT: what PspLookupSystemDllEntryPoint does with
 * RtlImageDirectoryEntryToData and the loader's lookup on ntdll's view in the
 * System process).
 *
 * Reading the segment through system PTEs rather than through a view means the
 * lookup needs no address space, takes no page fault, and works for any section
 * whatever views exist; the RVA it returns holds for every view.
 */
#include "section.h"

NTSTATUS MmQuerySectionImageInformation(PVOID SectionObject, PSECTION_IMAGE_INFORMATION Information)
{
    PSECTION Section = SectionObject;

    if (!Section->Segment->Image)
        return STATUS_SECTION_NOT_IMAGE;
    *Information = Section->Segment->ImageInfo->ImageInformation;
    return STATUS_SUCCESS;
}

ULONG_PTR MmGetSectionImageBase(PVOID SectionObject)
{
    PSECTION Section = SectionObject;

    return Section->Segment->Image ? Section->Segment->ImageInfo->ImageBase : 0;
}

PFILE_OBJECT MmGetSectionFileObject(PVOID SectionObject)
{
    PSEGMENT Segment = ((PSECTION)SectionObject)->Segment;

    if (Segment->BaseSegment != NULL)
        Segment = Segment->BaseSegment;
    return Segment->FilePointer;
}

NTSTATUS MmFindSectionExport(PVOID SectionObject, PCSTR Name, PULONG Rva)
{
    PSECTION Section = SectionObject;
    PSEGMENT Segment = Section->Segment;
    PCSTR Forwarder;
    PVOID Image;
    NTSTATUS Status;

    if (!Segment->Image)
        return STATUS_SECTION_NOT_IMAGE;
    Image = MiMapPagesInSystemSpace(Segment->PrototypePages, Segment->TotalNumberOfPtes);
    if (Image == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = MiFindExportByName(Image, Segment->ImageInfo->ViewSize, Name, MI_NO_EXPORT_HINT, Rva,
                                &Forwarder);
    MiUnmapPagesInSystemSpace(Image, Segment->TotalNumberOfPtes);
    /* A forwarder is code in another DLL: no address in this one to give. */
    if (NT_SUCCESS(Status) && Forwarder != NULL)
        Status = STATUS_ENTRYPOINT_NOT_FOUND;
    return Status;
}

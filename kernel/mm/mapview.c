/*
 * mapview.c - views of sections (NT: MmMapViewOfSection, MiMapViewOfImageSection,
 * MiMapViewOfDataSection, MiUnmapViewOfSection; NtMapViewOfSection and
 * NtUnmapViewOfSection in mapview.c).
 *
 * Mapping a view only records it: a VAD whose runs give every page its protection
 * and whose ControlArea is the segment. No PTE is made, so a view can go into any
 * address space without attaching to it; the page-fault handler brings the
 * segment's pages in as they are touched. Unmapping attaches to the space to take
 * the PTEs down with the VAD.
 *
 * An image view goes at the image's preferred base when the caller does not say
 * where and that range is free; elsewhere the view gets a relocated copy of the
 * image and the status STATUS_IMAGE_NOT_AT_BASE (a success), as in NT 5.
 */
#include "section.h"
#include <rtl.h>
#include "ntapi.h"      /* the prototypes, from include/nt/sysfuncs.lst */

/* ---- the address of a new view ---- */

/*
 * Requested (the caller's address, 0 for any) must be 64 KB aligned, and the view
 * must fit below MM_HIGHEST_VAD_ADDRESS there. Otherwise Preferred (0 for none) is
 * tried, then the lowest (MEM_TOP_DOWN: highest) free range the ZeroBits allow.
 */
static NTSTATUS MipChooseViewAddress(PMM_AVL_TABLE Table, ULONG_PTR Requested, ULONG_PTR Pages,
                                     ULONG_PTR ZeroBits, ULONG AllocationType, ULONG_PTR Preferred,
                                     PULONG_PTR StartingVpn)
{
    ULONG_PTR Start, Highest = MI_HIGHEST_VAD_VPN;

    if (Pages == 0 || Pages > MI_HIGHEST_VAD_VPN)
        return STATUS_INVALID_VIEW_SIZE;
    if (Requested != 0) {
        if (Requested % MM_ALLOCATION_GRANULARITY != 0)
            return STATUS_MAPPED_ALIGNMENT;
        Start = MI_VA_TO_VPN(Requested);
        if (Start < MI_LOWEST_VAD_VPN || Pages - 1 > MI_HIGHEST_VAD_VPN - Start)
            return STATUS_INVALID_PARAMETER_3;
        /* NT: the view's last byte must keep the ZeroBits high bits zero too. */
        if (ZeroBits != 0 && MI_VPN_TO_VA_ENDING(Start + Pages - 1) > (0xFFFFFFFFUL >> ZeroBits))
            return STATUS_INVALID_PARAMETER_4;
        if (MiCheckForConflictingVad(Table, Start, Start + Pages - 1) != NULL)
            return STATUS_CONFLICTING_ADDRESSES;
        *StartingVpn = Start;
        return STATUS_SUCCESS;
    }

    /* ZeroBits: that many high bits of every address of the view must be zero. */
    if (ZeroBits != 0 && MI_VA_TO_VPN(0xFFFFFFFFUL >> ZeroBits) < Highest)
        Highest = MI_VA_TO_VPN(0xFFFFFFFFUL >> ZeroBits);
    if (Highest < MI_LOWEST_VAD_VPN)
        return STATUS_NO_MEMORY;
    if (Preferred != 0) {
        Start = MI_VA_TO_VPN(Preferred);
        if (Start >= MI_LOWEST_VAD_VPN && Start <= Highest && Pages - 1 <= Highest - Start &&
            MiCheckForConflictingVad(Table, Start, Start + Pages - 1) == NULL) {
            *StartingVpn = Start;
            return STATUS_SUCCESS;
        }
    }
    return (AllocationType & MEM_TOP_DOWN) ?
        MiFindEmptyAddressRangeDown(Table, Pages, MI_ALLOCATION_GRANULARITY_PAGES, MI_LOWEST_VAD_VPN,
                                    Highest, StartingVpn) :
        MiFindEmptyAddressRange(Table, Pages, MI_ALLOCATION_GRANULARITY_PAGES, MI_LOWEST_VAD_VPN,
                                Highest, StartingVpn);
}

/* ---- building the VAD ---- */

/* Every page of an image view committed with its section's protection. */
static NTSTATUS MipSetImageRuns(PMMVAD Vad, const MI_IMAGE_INFO *Info)
{
    ULONG_PTR Pages = Vad->EndingVpn - Vad->StartingVpn + 1, First = 0, Index;
    ULONG Protect = MiGetImagePageProtection(Info, 0);
    NTSTATUS Status;

    /* One run per stretch of equal protection: headers, each section, the tail. */
    for (Index = 1; Index <= Pages; Index++) {
        ULONG Next = Index < Pages ? MiGetImagePageProtection(Info, (ULONG)(Index << PAGE_SHIFT)) : 0;

        if (Index < Pages && Next == Protect)
            continue;
        Status = MiSetRunRange(Vad, Vad->StartingVpn + First, Vad->StartingVpn + Index - 1, MEM_COMMIT,
                               Protect, NULL, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
        First = Index;
        Protect = Next;
    }
    return STATUS_SUCCESS;
}

/* Links a built view VAD into Space and makes it hold its segment. */
static VOID MipInsertView(PMM_ADDRESS_SPACE Space, PMMVAD Vad, PSEGMENT Segment, ULONG_PTR FirstPage)
{
    NTSTATUS Status;
    BOOLEAN Enabled;

    Vad->ControlArea = Segment;
    Vad->FirstPrototypePage = FirstPage;
    MiReferenceSegment(Segment, TRUE);
    Enabled = MiLockVadTree();
    Status = MiInsertVad(&Space->VadRoot, Vad);
    MiUnlockVadTree(Enabled);
    /* The range was found free under the AddressCreationLock, which is still held. */
    ASSERT(NT_SUCCESS(Status));
    UNREFERENCED_PARAMETER(Status);
}

/* ---- images ---- */

static NTSTATUS MipMapImageView(PSECTION Section, PMM_ADDRESS_SPACE Space, PVOID *BaseAddress,
                                ULONG_PTR ZeroBits, PSIZE_T ViewSize, ULONG AllocationType)
{
    PSEGMENT Segment = Section->Segment, ViewSegment = Segment;
    ULONG_PTR Start, Pages = Segment->TotalNumberOfPtes;
    PMMVAD Vad;
    NTSTATUS Status;

    Status = MipChooseViewAddress(&Space->VadRoot, (ULONG_PTR)*BaseAddress, Pages, ZeroBits, AllocationType,
                                  Segment->BasedAddress, &Start);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The pages a process may write are charged to it: it may get a copy of each. */
    Status = MiChargeCommitment(Space, Segment->ImageCommitment);
    if (!NT_SUCCESS(Status))
        return Status;
    /* NT gives an image view PAGE_EXECUTE_WRITECOPY as its allocation protection. */
    Vad = MiAllocateVad(Start, Start + Pages - 1, MEM_IMAGE, PAGE_EXECUTE_WRITECOPY, MEM_COMMIT,
                        PAGE_READONLY);
    Status = Vad != NULL ? MipSetImageRuns(Vad, Segment->ImageInfo) : STATUS_INSUFFICIENT_RESOURCES;
    if (NT_SUCCESS(Status) && MI_VPN_TO_VA(Start) != Segment->BasedAddress)
        Status = MiCreateRelocatedSegment(Segment, MI_VPN_TO_VA(Start), &ViewSegment);
    if (!NT_SUCCESS(Status)) {
        if (Vad != NULL)
            MiFreeVad(Vad);
        MiReturnCommitment(Space, Segment->ImageCommitment);
        return Status;
    }
    Vad->ViewCommitment = Segment->ImageCommitment;
    MipInsertView(Space, Vad, ViewSegment, 0);

    *BaseAddress = (PVOID)MI_VPN_TO_VA(Start);
    *ViewSize = MI_VPN_TO_VA(Pages);
    return ViewSegment != Segment ? STATUS_IMAGE_NOT_AT_BASE : STATUS_SUCCESS;
}

/* ---- memory sections ---- */

static NTSTATUS MipMapMemoryView(PSECTION Section, PMM_ADDRESS_SPACE Space, PVOID *BaseAddress,
                                 ULONG_PTR ZeroBits, PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize,
                                 ULONG AllocationType, ULONG Protect)
{
    LONGLONG Size = Section->SizeOfSection.QuadPart, Offset = SectionOffset->QuadPart;
    ULONG_PTR Start, Pages, Delta;
    ULONGLONG Length = *ViewSize;
    ULONG Commitment;
    PMMVAD Vad;
    NTSTATUS Status;

    /* The offset goes down to the 64 KB granularity; the view grows by as much. */
    if (Offset < 0)
        return STATUS_INVALID_VIEW_SIZE;
    Delta = (ULONG_PTR)(Offset & (MM_ALLOCATION_GRANULARITY - 1));
    Offset -= Delta;
    if (Offset >= Size)
        return STATUS_INVALID_VIEW_SIZE;
    if (Length == 0)
        Length = (ULONGLONG)(Size - Offset);    /* to the end of the section */
    else if ((Length += Delta) > (ULONGLONG)(Size - Offset))
        return STATUS_INVALID_VIEW_SIZE;
    if (Length > MM_HIGHEST_VAD_ADDRESS)
        return STATUS_INVALID_VIEW_SIZE;
    Pages = (ULONG_PTR)((Length + PAGE_SIZE - 1) >> PAGE_SHIFT);
    if (!MiIsProtectionCompatible(Section->InitialPageProtection, Protect))
        return STATUS_SECTION_PROTECTION;
    if (Section->AllocationAttributes & SEC_NOCACHE)
        Protect |= PAGE_NOCACHE;

    Status = MipChooseViewAddress(&Space->VadRoot, (ULONG_PTR)*BaseAddress, Pages, ZeroBits, AllocationType, 0,
                                  &Start);
    if (!NT_SUCCESS(Status))
        return Status;
    /* A write-copy view may copy every page: its process is charged for them all. */
    Commitment = MiIsWriteCopyProtection(Protect) ? (ULONG)Pages : 0;
    Status = MiChargeCommitment(Space, Commitment);
    if (!NT_SUCCESS(Status))
        return Status;
    Vad = MiAllocateVad(Start, Start + Pages - 1, MEM_MAPPED, Protect, MEM_COMMIT, Protect);
    if (Vad == NULL) {
        MiReturnCommitment(Space, Commitment);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Vad->ViewCommitment = Commitment;
    MipInsertView(Space, Vad, Section->Segment, (ULONG_PTR)(Offset >> PAGE_SHIFT));

    *BaseAddress = (PVOID)MI_VPN_TO_VA(Start);
    *ViewSize = MI_VPN_TO_VA(Pages);
    SectionOffset->QuadPart = Offset;
    return STATUS_SUCCESS;
}

NTSTATUS MmMapViewOfSection(PVOID SectionObject, PMM_ADDRESS_SPACE AddressSpace, PVOID *BaseAddress,
                            ULONG_PTR ZeroBits, PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize,
                            ULONG AllocationType, ULONG Protect)
{
    PSECTION Section = SectionObject;
    LARGE_INTEGER NoOffset = { .QuadPart = 0 };
    NTSTATUS Status;

    if (ZeroBits > MI_MAXIMUM_ZERO_BITS)
        return STATUS_INVALID_PARAMETER_4;
    if (!NT_SUCCESS(MiValidateProtection(Protect)))
        return STATUS_INVALID_PAGE_PROTECTION;
    MiLockAddressSpace(AddressSpace);
    /* An image is mapped whole, from its start: the offset and size asked are replaced. */
    if (Section->Segment->Image) {
        if (SectionOffset != NULL)
            SectionOffset->QuadPart = 0;
        Status = MipMapImageView(Section, AddressSpace, BaseAddress, ZeroBits, ViewSize, AllocationType);
    } else {
        Status = MipMapMemoryView(Section, AddressSpace, BaseAddress, ZeroBits,
                                  SectionOffset != NULL ? SectionOffset : &NoOffset, ViewSize,
                                  AllocationType, Protect);
    }
    MiUnlockAddressSpace(AddressSpace);
    return Status;
}

/* ---- unmapping ---- */

/* A view's VAD, out of its tree: its commit, its segment reference, itself. */
static VOID MipDeleteView(PMM_ADDRESS_SPACE Space, PMMVAD Vad)
{
    PSEGMENT Segment = Vad->ControlArea;

    MiReturnCommitment(Space, Vad->ViewCommitment);
    MiFreeVad(Vad);
    MiDereferenceSegment(Segment, TRUE);
}

NTSTATUS MmUnmapViewOfSection(PMM_ADDRESS_SPACE AddressSpace, PVOID BaseAddress)
{
    MM_ATTACH_STATE Attach;
    ULONG_PTR Vpn;
    BOOLEAN Enabled;
    PMMVAD Vad;

    /* Any address inside the view names it (NT: MiLocateAddress). */
    if ((ULONG_PTR)BaseAddress > MM_HIGHEST_VAD_ADDRESS)
        return STATUS_NOT_MAPPED_VIEW;
    MiLockAddressSpace(AddressSpace);
    MmAttachAddressSpace(AddressSpace, &Attach);
    Vad = MiLocateAddress(&AddressSpace->VadRoot, MI_VA_TO_VPN(BaseAddress));
    if (Vad == NULL || Vad->ControlArea == NULL) {
        MmDetachAddressSpace(&Attach);
        MiUnlockAddressSpace(AddressSpace);
        return STATUS_NOT_MAPPED_VIEW;
    }
    /* The VAD first, then its PTEs, in one step: no fault can bring a page back. */
    Enabled = MiLockVadTree();
    MiRemoveVad(&AddressSpace->VadRoot, Vad);
    for (Vpn = Vad->StartingVpn; Vpn <= Vad->EndingVpn; Vpn++)
        MiDeleteUserPage(AddressSpace, MI_VPN_TO_VA(Vpn));
    MiUnlockVadTree(Enabled);
    MmDetachAddressSpace(&Attach);
    MiUnlockAddressSpace(AddressSpace);
    MipDeleteView(AddressSpace, Vad);
    return STATUS_SUCCESS;
}

VOID MiRemoveAllViews(PMM_ADDRESS_SPACE Space)
{
    PMMVAD Vad = MiGetFirstVad(&Space->VadRoot), Next;

    for (; Vad != NULL; Vad = Next) {
        Next = MiGetNextVad(Vad);
        if (Vad->ControlArea == NULL)
            continue;
        MiRemoveVad(&Space->VadRoot, Vad);
        MipDeleteView(Space, Vad);
    }
}

/* ---- the services ---- */

/* The access to a section a view of this protection needs (NT: MmMakeSectionAccess). */
static ACCESS_MASK MipSectionAccess(ULONG Protect)
{
    switch (Protect & 0xFF) {
    case PAGE_EXECUTE:
        return SECTION_MAP_EXECUTE;
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_WRITECOPY:
        return SECTION_MAP_EXECUTE | SECTION_MAP_READ;
    case PAGE_READWRITE:
        return SECTION_MAP_READ | SECTION_MAP_WRITE;
    case PAGE_EXECUTE_READWRITE:
        return SECTION_MAP_EXECUTE | SECTION_MAP_READ | SECTION_MAP_WRITE;
    default:                        /* PAGE_NOACCESS, PAGE_READONLY, PAGE_WRITECOPY */
        return SECTION_MAP_READ;
    }
}

NTSTATUS NtMapViewOfSection(HANDLE SectionHandle, HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                            SIZE_T CommitSize, PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize,
                            SECTION_INHERIT InheritDisposition, ULONG AllocationType, ULONG Win32Protect)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    LARGE_INTEGER Offset = { .QuadPart = 0 };
    PMM_ADDRESS_SPACE Space;
    PVOID Process;
    PVOID Base, Section;
    SIZE_T Size;
    NTSTATUS Status;

    /* NT's order: the plain arguments, then the pointers, then the handles. Views
       are not inherited yet (no process creation): the disposition is only checked. */
    if (AllocationType & ~MEM_TOP_DOWN)
        return STATUS_INVALID_PARAMETER_9;
    if (ZeroBits > MI_MAXIMUM_ZERO_BITS)
        return STATUS_INVALID_PARAMETER_4;
    if (InheritDisposition != ViewShare && InheritDisposition != ViewUnmap)
        return STATUS_INVALID_PARAMETER_8;
    if (!NT_SUCCESS(MiValidateProtection(Win32Protect)))
        return STATUS_INVALID_PAGE_PROTECTION;

    Status = ExProbeUserOutput(BaseAddress, sizeof(Base), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(ViewSize, sizeof(Size), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && SectionOffset != NULL)
        Status = ExProbeUserOutput(SectionOffset, sizeof(Offset), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Base, BaseAddress, sizeof(Base), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Size, ViewSize, sizeof(Size), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && SectionOffset != NULL)
        Status = ExCaptureUserData(&Offset, SectionOffset, sizeof(Offset), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if ((ULONG_PTR)Base > MM_HIGHEST_VAD_ADDRESS)
        return STATUS_INVALID_PARAMETER_3;
    /* Every page of a view is committed (SEC_COMMIT): CommitSize only has to fit. */
    if (Size != 0 && CommitSize > Size)
        return STATUS_INVALID_PARAMETER_5;

    Status = MiReferenceProcessSpace(ProcessHandle, PROCESS_VM_OPERATION, PreviousMode, &Space, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(SectionHandle, MipSectionAccess(Win32Protect), MmSectionObjectType,
                                       PreviousMode, &Section, NULL);
    if (NT_SUCCESS(Status)) {
        Status = MmMapViewOfSection(Section, Space, &Base, ZeroBits, &Offset, &Size, AllocationType,
                                    Win32Protect);
        ObDereferenceObject(Section);
    }
    MiDereferenceProcessSpace(Process);

    /* As NT: the view stands even when the results cannot be written back. */
    if (NT_SUCCESS(Status)) {
        ExCopyToCaller(BaseAddress, &Base, sizeof(Base), PreviousMode);
        ExCopyToCaller(ViewSize, &Size, sizeof(Size), PreviousMode);
        if (SectionOffset != NULL)
            ExCopyToCaller(SectionOffset, &Offset, sizeof(Offset), PreviousMode);
    }
    return Status;
}

NTSTATUS NtUnmapViewOfSection(HANDLE ProcessHandle, PVOID BaseAddress)
{
    PMM_ADDRESS_SPACE Space;
    PVOID Process;
    NTSTATUS Status;

    Status = MiReferenceProcessSpace(ProcessHandle, PROCESS_VM_OPERATION, ExGetPreviousMode(), &Space, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MmUnmapViewOfSection(Space, BaseAddress);
    MiDereferenceProcessSpace(Process);
    return Status;
}

/*
 * memdesc.c - turns the physical ranges the firmware reported into NT's memory
 * descriptors (whole pages, one type each, sorted, never overlapping).
 *
 * Pure logic: nothing here touches hardware, so the host unit tests run it as is.
 *
 * Method: every range is first cut to whole pages (free memory inward, everything
 * else outward) and clipped at 4 GB. The start and end pages of all ranges split the
 * page space into elementary intervals that no range starts or ends inside, so each
 * interval has exactly one winning type, found by asking every range whether it
 * covers the interval's first page. Walking the intervals in ascending order and
 * extending the previous descriptor when it has the same type and ends where the
 * interval begins yields sorted, merged output directly. The inputs are small (the
 * firmware map plus the kernel and its modules), so the quadratic cost is irrelevant,
 * and it keeps the code free of any allocation.
 */
#include <arc.h>
#include <rtl.h>

/*
 * The boundary array lives on the kernel stack (12 KB), so it is bounded: 256
 * boundaries are 1 KB and cover 128 disjoint input ranges, which is more than the
 * multiboot parser ever passes.
 */
#define KIP_MAX_BOUNDARIES 256

/* The first page at 4 GB: without PAE nothing at or above it can be mapped. */
#define KIP_PAGE_LIMIT 0x100000ULL

#define KIP_PAGE_OFFSET_MASK ((ULONGLONG)PAGE_SIZE - 1)

/*
 * Cuts one range to the pages [*StartPage, *EndPage). Free memory is rounded inward,
 * because a page that is only partly free cannot be handed out; every other type is
 * rounded outward, so that a partly reserved page is never handed out either.
 * Returns FALSE when no whole page remains (or the range is empty or reversed).
 * Written with shifts and an explicit carry rather than (End + PAGE_SIZE - 1), which
 * would wrap for ranges that end near 2^64.
 */
static BOOLEAN KipRangeToPages(const PHYSICAL_RANGE *Range, PULONG StartPage, PULONG EndPage)
{
    ULONGLONG First;
    ULONGLONG Last;
    BOOLEAN StartPartial = (Range->Start & KIP_PAGE_OFFSET_MASK) != 0;
    BOOLEAN EndPartial = (Range->End & KIP_PAGE_OFFSET_MASK) != 0;

    if (Range->End <= Range->Start) {
        return FALSE;
    }

    First = Range->Start >> PAGE_SHIFT;
    Last = Range->End >> PAGE_SHIFT;
    if (Range->Type == LoaderFree) {
        First += StartPartial;
    } else {
        Last += EndPartial;
    }

    if (Last > KIP_PAGE_LIMIT) {
        Last = KIP_PAGE_LIMIT;
    }
    if (First >= Last) {
        return FALSE;
    }

    *StartPage = (ULONG)First;
    *EndPage = (ULONG)Last;
    return TRUE;
}

/* Inserts Page into the ascending, duplicate-free array Boundaries[0 .. *Count). */
static NTSTATUS KipInsertBoundary(PULONG Boundaries, PULONG Count, ULONG Page)
{
    ULONG Position = 0;
    ULONG Index;

    while (Position < *Count && Boundaries[Position] < Page) {
        Position++;
    }
    if (Position < *Count && Boundaries[Position] == Page) {
        return STATUS_SUCCESS;
    }
    if (*Count == KIP_MAX_BOUNDARIES) {
        return STATUS_BUFFER_TOO_SMALL;
    }

    for (Index = *Count; Index > Position; Index--) {
        Boundaries[Index] = Boundaries[Index - 1];
    }
    Boundaries[Position] = Page;
    (*Count)++;
    return STATUS_SUCCESS;
}

/*
 * Finds the type that owns Page: any type other than LoaderFree beats LoaderFree, and
 * among those the later range wins, so the caller can list the kernel image and the
 * modules after the firmware map. Returns FALSE when no range covers Page.
 */
static BOOLEAN KipTypeOfPage(const PHYSICAL_RANGE *Ranges, ULONG RangeCount, ULONG Page,
                             TYPE_OF_MEMORY *Type)
{
    TYPE_OF_MEMORY Winner = LoaderFree;
    BOOLEAN Covered = FALSE;
    ULONG StartPage;
    ULONG EndPage;
    ULONG Index;

    for (Index = 0; Index < RangeCount; Index++) {
        if (!KipRangeToPages(&Ranges[Index], &StartPage, &EndPage) ||
            Page < StartPage || Page >= EndPage) {
            continue;
        }
        if (Ranges[Index].Type != LoaderFree) {
            Winner = Ranges[Index].Type;
        }
        Covered = TRUE;
    }

    *Type = Winner;
    return Covered;
}

/*
 * Appends the pages [StartPage, EndPage) of Type, growing the last descriptor instead
 * when it has the same type and ends exactly at StartPage.
 */
static NTSTATUS KipEmitPages(PMEMORY_ALLOCATION_DESCRIPTOR Descriptors, ULONG MaxDescriptors,
                             PULONG Count, TYPE_OF_MEMORY Type, ULONG StartPage,
                             ULONG EndPage)
{
    PMEMORY_ALLOCATION_DESCRIPTOR Last;

    if (*Count != 0) {
        Last = &Descriptors[*Count - 1];
        if (Last->MemoryType == Type && Last->BasePage + Last->PageCount == StartPage) {
            Last->PageCount += EndPage - StartPage;
            return STATUS_SUCCESS;
        }
    }

    if (*Count == MaxDescriptors) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    Descriptors[*Count].MemoryType = Type;
    Descriptors[*Count].BasePage = StartPage;
    Descriptors[*Count].PageCount = EndPage - StartPage;
    (*Count)++;
    return STATUS_SUCCESS;
}

NTSTATUS KiBuildMemoryDescriptors(const PHYSICAL_RANGE *Ranges, ULONG RangeCount,
                                  PMEMORY_ALLOCATION_DESCRIPTOR Descriptors,
                                  ULONG MaxDescriptors, PULONG DescriptorCount)
{
    ULONG Boundaries[KIP_MAX_BOUNDARIES];
    ULONG BoundaryCount = 0;
    ULONG Count = 0;
    ULONG StartPage;
    ULONG EndPage;
    ULONG Index;
    TYPE_OF_MEMORY Type;
    NTSTATUS Status;

    if (DescriptorCount == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    *DescriptorCount = 0;
    if ((Ranges == NULL && RangeCount != 0) || (Descriptors == NULL && MaxDescriptors != 0)) {
        return STATUS_INVALID_PARAMETER;
    }

    for (Index = 0; Index < RangeCount; Index++) {
        /* Compared as unsigned so that a stray negative value is caught as well. */
        if ((ULONG)Ranges[Index].Type >= (ULONG)LoaderMaximum) {
            return STATUS_INVALID_PARAMETER;
        }
        if (!KipRangeToPages(&Ranges[Index], &StartPage, &EndPage)) {
            continue;
        }
        Status = KipInsertBoundary(Boundaries, &BoundaryCount, StartPage);
        if (NT_SUCCESS(Status)) {
            Status = KipInsertBoundary(Boundaries, &BoundaryCount, EndPage);
        }
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
    }

    /* Every range starts and ends on a boundary, so one page decides each interval. */
    for (Index = 0; Index + 1 < BoundaryCount; Index++) {
        if (!KipTypeOfPage(Ranges, RangeCount, Boundaries[Index], &Type)) {
            continue;
        }
        Status = KipEmitPages(Descriptors, MaxDescriptors, &Count, Type, Boundaries[Index],
                              Boundaries[Index + 1]);
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
    }

    *DescriptorCount = Count;
    return STATUS_SUCCESS;
}

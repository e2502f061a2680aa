/*
 * test_memdesc.c - host tests for KiBuildMemoryDescriptors (kernel/init/memdesc.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arc.h>
#include <rtl.h>

typedef struct _EXPECTED_DESCRIPTOR {
    TYPE_OF_MEMORY Type;
    ULONG BasePage;
    ULONG PageCount;
} EXPECTED_DESCRIPTOR;

#define MB(x) ((ULONGLONG)(x) << 20)
#define GB(x) ((ULONGLONG)(x) << 30)

/* Builds descriptors from Ranges and checks that they are exactly Expected. */
static void CheckLayout(const PHYSICAL_RANGE *Ranges, ULONG RangeCount,
                        const EXPECTED_DESCRIPTOR *Expected, ULONG ExpectedCount)
{
    MEMORY_ALLOCATION_DESCRIPTOR Descriptors[LOADER_MAX_MEMORY_DESCRIPTORS];
    ULONG Count = 0xDEADBEEF;
    ULONG Index;
    NTSTATUS Status;

    Status = KiBuildMemoryDescriptors(Ranges, RangeCount, Descriptors,
                                      LOADER_MAX_MEMORY_DESCRIPTORS, &Count);
    assert_int_equal(Status, STATUS_SUCCESS);
    if (Count != ExpectedCount) {
        for (Index = 0; Index < Count && Index < LOADER_MAX_MEMORY_DESCRIPTORS; Index++) {
            print_message("got [%lu] type %d base 0x%lx count 0x%lx\n", Index,
                          Descriptors[Index].MemoryType, Descriptors[Index].BasePage,
                          Descriptors[Index].PageCount);
        }
    }
    assert_int_equal(Count, ExpectedCount);

    for (Index = 0; Index < ExpectedCount; Index++) {
        if (Descriptors[Index].MemoryType != Expected[Index].Type ||
            Descriptors[Index].BasePage != Expected[Index].BasePage ||
            Descriptors[Index].PageCount != Expected[Index].PageCount) {
            print_message("descriptor %lu: got type %d base 0x%lx count 0x%lx, "
                          "expected type %d base 0x%lx count 0x%lx\n",
                          Index, Descriptors[Index].MemoryType, Descriptors[Index].BasePage,
                          Descriptors[Index].PageCount, Expected[Index].Type,
                          Expected[Index].BasePage, Expected[Index].PageCount);
            fail();
        }
    }
}

#define CHECK_LAYOUT(Ranges, Expected) \
    CheckLayout((Ranges), RTL_NUMBER_OF(Ranges), (Expected), RTL_NUMBER_OF(Expected))

/* What QEMU's firmware reports for 128 MB, plus the kernel and two modules. */
static void test_qemu_like_map(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x0, 0x9FC00, LoaderFree },
        { 0x9FC00, 0xA0000, LoaderFirmwarePermanent },
        { 0xF0000, 0x100000, LoaderFirmwarePermanent },
        { MB(1), MB(128), LoaderFree },
        { 0xFFFC0000, GB(4), LoaderFirmwarePermanent },
        { 0x0, 0x1000, LoaderFirmwarePermanent },
        { 0x100000, 0x123456, LoaderSystemCode },
        { 0x124000, 0x130800, LoaderBootDriver },
        { 0x140000, 0x1FF800, LoaderBootDriver },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x1 },
        { LoaderFree, 0x1, 0x9E },
        { LoaderFirmwarePermanent, 0x9F, 0x1 },
        { LoaderFirmwarePermanent, 0xF0, 0x10 },
        { LoaderSystemCode, 0x100, 0x24 },
        { LoaderBootDriver, 0x124, 0xD },
        { LoaderFree, 0x131, 0xF },
        { LoaderBootDriver, 0x140, 0xC0 },
        { LoaderFree, 0x200, 0x7E00 },
        { LoaderFirmwarePermanent, 0xFFFC0, 0x40 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_empty_input(void **state)
{
    MEMORY_ALLOCATION_DESCRIPTOR Descriptors[4];
    ULONG Count = 0xDEADBEEF;

    (void)state;
    assert_int_equal(KiBuildMemoryDescriptors(NULL, 0, Descriptors, 4, &Count),
                     STATUS_SUCCESS);
    assert_int_equal(Count, 0);

    Count = 0xDEADBEEF;
    assert_int_equal(KiBuildMemoryDescriptors(NULL, 0, NULL, 0, &Count), STATUS_SUCCESS);
    assert_int_equal(Count, 0);
}

static void test_empty_and_reversed_ranges_ignored(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x5000, 0x5000, LoaderFirmwarePermanent },
        { 0x9000, 0x3000, LoaderFirmwarePermanent },
        { 0x9000, 0x3000, LoaderFree },
        { 0x1000, 0x3000, LoaderFree },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x1, 0x2 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_unaligned_free_shrinks(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x1800, 0x5800, LoaderFree },      /* pages 2..4 are whole */
        { 0x10001, 0x10FFF, LoaderFree },    /* no whole page at all */
        { 0x20000, 0x21000, LoaderFree },    /* exactly one page */
        { 0x30FFF, 0x33001, LoaderFree },    /* pages 0x31, 0x32 */
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x2, 0x3 },
        { LoaderFree, 0x20, 0x1 },
        { LoaderFree, 0x31, 0x2 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_unaligned_reserved_grows(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x1800, 0x5800, LoaderFirmwarePermanent },  /* pages 1..5 are touched */
        { 0x10FFF, 0x11001, LoaderFirmwareTemporary }, /* two bytes, two pages */
        { 0x20010, 0x20020, LoaderBad },               /* a few bytes, one page */
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x1, 0x5 },
        { LoaderFirmwareTemporary, 0x10, 0x2 },
        { LoaderBad, 0x20, 0x1 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

/* The page that holds both the end of free RAM and the start of the EBDA is reserved. */
static void test_shared_page_goes_to_reserved(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x0, 0xA0000, LoaderFree },
        { 0x9FC00, 0x9FD00, LoaderFirmwarePermanent },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x0, 0x9F },
        { LoaderFirmwarePermanent, 0x9F, 0x1 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_reserved_inside_free_splits_it(void **state)
{
    /* The free range is listed after the reserved one: it must still lose. */
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x4000, 0x6000, LoaderFirmwareTemporary },
        { 0x0, 0x10000, LoaderFree },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x0, 0x4 },
        { LoaderFirmwareTemporary, 0x4, 0x2 },
        { LoaderFree, 0x6, 0xA },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_free_overlapping_reserved_edges(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x0, 0x8000, LoaderFirmwarePermanent },
        { 0x6000, 0xC000, LoaderFree },
        { 0xA000, 0x10000, LoaderBad },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x8 },
        { LoaderFree, 0x8, 0x2 },
        { LoaderBad, 0xA, 0x6 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_later_non_free_wins(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x0, 0x10000, LoaderFirmwarePermanent },
        { 0x4000, 0x8000, LoaderSystemCode },
        { 0x6000, 0x7000, LoaderBootDriver },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x4 },
        { LoaderSystemCode, 0x4, 0x2 },
        { LoaderBootDriver, 0x6, 0x1 },
        { LoaderSystemCode, 0x7, 0x1 },
        { LoaderFirmwarePermanent, 0x8, 0x8 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_earlier_non_free_loses(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x4000, 0x8000, LoaderSystemCode },
        { 0x0, 0x10000, LoaderFirmwarePermanent },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFirmwarePermanent, 0x0, 0x10 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

/* LoaderExceptionBlock is 0: make sure it counts as "not free" like any other type. */
static void test_type_zero_is_not_free(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x0, 0x4000, LoaderFree },
        { 0x1000, 0x2000, LoaderExceptionBlock },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x0, 0x1 },
        { LoaderExceptionBlock, 0x1, 0x1 },
        { LoaderFree, 0x2, 0x2 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_overlapping_free_ranges_unite(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x0, 0x8000, LoaderFree },
        { 0x4000, 0xC000, LoaderFree },
        { 0x4000, 0xC000, LoaderFree },
        { 0x2000, 0x3000, LoaderFree },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x0, 0xC },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_ranges_above_4gb_dropped(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { GB(4), GB(8), LoaderFree },
        { GB(4), GB(4) + 0x1000, LoaderFirmwarePermanent },
        { 0xFD00000000ULL, 0x10000000000ULL, LoaderFirmwarePermanent },
        { 0x1000, 0x2000, LoaderFree },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x1, 0x1 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_ranges_across_4gb_clipped(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { GB(3), GB(5), LoaderFree },
        { 0xFFFFF800, GB(4) + 0x800, LoaderFirmwarePermanent },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0xC0000, 0x3FFFF },
        { LoaderFirmwarePermanent, 0xFFFFF, 0x1 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

/* Rounding up an end just below 2^64 must not wrap around to page 0. */
static void test_range_ending_near_2_pow_64(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0xFFFFE000, ~0ULL, LoaderFirmwarePermanent },
        { 0xFFFFFFFFFFFFF001ULL, ~0ULL, LoaderBad },
        { 0x1000, 0x3000, LoaderFree },
        { 0xF0000000, ~0ULL, LoaderFree },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x1, 0x2 },
        { LoaderFree, 0xF0000, 0xFFFE },
        { LoaderFirmwarePermanent, 0xFFFFE, 0x2 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_adjacent_equal_types_merge(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x0, 0x5000, LoaderFree },
        { 0x5000, 0x9000, LoaderFree },
        { 0x9000, 0xA000, LoaderBootDriver },
        { 0xA000, 0xB800, LoaderBootDriver },   /* grows to page 0xC */
        { 0xB800, 0xD000, LoaderBootDriver },   /* shares page 0xB, ends at 0xD */
        { 0xD000, 0xE000, LoaderSystemCode },   /* touching, different type */
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x0, 0x9 },
        { LoaderBootDriver, 0x9, 0x4 },
        { LoaderSystemCode, 0xD, 0x1 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

/* Free ranges that touch in bytes but lose the shared page stay apart. */
static void test_free_ranges_split_by_lost_page(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x0, 0x5800, LoaderFree },
        { 0x5800, 0x9000, LoaderFree },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x0, 0x5 },
        { LoaderFree, 0x6, 0x3 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_uncovered_gaps_not_emitted(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { 0x0, 0x1000, LoaderFree },
        { 0x3000, 0x4000, LoaderFree },
        { 0x8000, 0x9000, LoaderFirmwarePermanent },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x0, 0x1 },
        { LoaderFree, 0x3, 0x1 },
        { LoaderFirmwarePermanent, 0x8, 0x1 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static void test_unsorted_input(void **state)
{
    static const PHYSICAL_RANGE Ranges[] = {
        { MB(1), MB(64), LoaderFree },
        { 0xFFFC0000, GB(4), LoaderFirmwarePermanent },
        { 0x0, 0x9FC00, LoaderFree },
        { 0xF0000, 0x100000, LoaderFirmwarePermanent },
        { 0x9FC00, 0xA0000, LoaderFirmwarePermanent },
    };
    static const EXPECTED_DESCRIPTOR Expected[] = {
        { LoaderFree, 0x0, 0x9F },
        { LoaderFirmwarePermanent, 0x9F, 0x1 },
        { LoaderFirmwarePermanent, 0xF0, 0x10 },
        { LoaderFree, 0x100, 0x3F00 },
        { LoaderFirmwarePermanent, 0xFFFC0, 0x40 },
    };

    (void)state;
    CHECK_LAYOUT(Ranges, Expected);
}

static const PHYSICAL_RANGE ThreeDescriptorRanges[] = {
    { 0x0, 0x1000, LoaderFirmwarePermanent },
    { 0x1000, 0x9F000, LoaderFree },
    { 0x9F000, 0xA0000, LoaderFirmwarePermanent },
};

static void test_descriptor_overflow(void **state)
{
    MEMORY_ALLOCATION_DESCRIPTOR Descriptors[3];
    ULONG Count = 0xDEADBEEF;

    (void)state;
    assert_int_equal(KiBuildMemoryDescriptors(ThreeDescriptorRanges, 3, Descriptors, 2, &Count),
                     STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Count, 0);

    Count = 0xDEADBEEF;
    assert_int_equal(KiBuildMemoryDescriptors(ThreeDescriptorRanges, 3, NULL, 0, &Count),
                     STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Count, 0);
}

static void test_descriptors_exactly_fit(void **state)
{
    MEMORY_ALLOCATION_DESCRIPTOR Descriptors[4];
    ULONG Count = 0;

    (void)state;
    /* The element after the three that fit must stay untouched. */
    memset(Descriptors, 0xA5, sizeof(Descriptors));
    assert_int_equal(KiBuildMemoryDescriptors(ThreeDescriptorRanges, 3, Descriptors, 3, &Count),
                     STATUS_SUCCESS);
    assert_int_equal(Count, 3);
    assert_int_equal(Descriptors[2].MemoryType, LoaderFirmwarePermanent);
    assert_int_equal(Descriptors[2].BasePage, 0x9F);
    assert_int_equal(Descriptors[2].PageCount, 1);
    assert_int_equal(Descriptors[3].BasePage, 0xA5A5A5A5);
}

/* Many disjoint ranges: more boundaries than the fixed array holds. */
static void test_boundary_overflow(void **state)
{
    static PHYSICAL_RANGE Ranges[200];
    static MEMORY_ALLOCATION_DESCRIPTOR Descriptors[256];
    ULONG Count = 0xDEADBEEF;
    ULONG Index;

    (void)state;
    for (Index = 0; Index < RTL_NUMBER_OF(Ranges); Index++) {
        Ranges[Index].Start = (ULONGLONG)Index * 0x2000;
        Ranges[Index].End = Ranges[Index].Start + 0x1000;
        Ranges[Index].Type = LoaderFree;
    }
    assert_int_equal(KiBuildMemoryDescriptors(Ranges, RTL_NUMBER_OF(Ranges), Descriptors,
                                              RTL_NUMBER_OF(Descriptors), &Count),
                     STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Count, 0);
}

/* Touching ranges share boundaries, so many of them still fit. */
static void test_many_touching_ranges(void **state)
{
    static PHYSICAL_RANGE Ranges[200];
    static MEMORY_ALLOCATION_DESCRIPTOR Descriptors[256];
    ULONG Count = 0;
    ULONG Index;

    (void)state;
    for (Index = 0; Index < RTL_NUMBER_OF(Ranges); Index++) {
        Ranges[Index].Start = (ULONGLONG)Index * 0x1000;
        Ranges[Index].End = Ranges[Index].Start + 0x1000;
        Ranges[Index].Type = (Index & 1) ? LoaderBad : LoaderFree;
    }
    assert_int_equal(KiBuildMemoryDescriptors(Ranges, RTL_NUMBER_OF(Ranges), Descriptors,
                                              RTL_NUMBER_OF(Descriptors), &Count),
                     STATUS_SUCCESS);
    assert_int_equal(Count, 200);
    for (Index = 0; Index < Count; Index++) {
        assert_int_equal(Descriptors[Index].BasePage, Index);
        assert_int_equal(Descriptors[Index].PageCount, 1);
        assert_int_equal(Descriptors[Index].MemoryType, (Index & 1) ? LoaderBad : LoaderFree);
    }
}

static void test_invalid_parameters(void **state)
{
    static const PHYSICAL_RANGE BadType[] = {
        { 0x0, 0x1000, LoaderFree },
        { 0x1000, 0x2000, LoaderMaximum },
    };
    MEMORY_ALLOCATION_DESCRIPTOR Descriptors[4];
    ULONG Count = 0xDEADBEEF;

    (void)state;
    assert_int_equal(KiBuildMemoryDescriptors(ThreeDescriptorRanges, 3, Descriptors, 4, NULL),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(KiBuildMemoryDescriptors(NULL, 1, Descriptors, 4, &Count),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(Count, 0);
    Count = 0xDEADBEEF;
    assert_int_equal(KiBuildMemoryDescriptors(ThreeDescriptorRanges, 3, NULL, 4, &Count),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(Count, 0);
    Count = 0xDEADBEEF;
    assert_int_equal(KiBuildMemoryDescriptors(BadType, 2, Descriptors, 4, &Count),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(Count, 0);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_qemu_like_map),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_empty_and_reversed_ranges_ignored),
        cmocka_unit_test(test_unaligned_free_shrinks),
        cmocka_unit_test(test_unaligned_reserved_grows),
        cmocka_unit_test(test_shared_page_goes_to_reserved),
        cmocka_unit_test(test_reserved_inside_free_splits_it),
        cmocka_unit_test(test_free_overlapping_reserved_edges),
        cmocka_unit_test(test_later_non_free_wins),
        cmocka_unit_test(test_earlier_non_free_loses),
        cmocka_unit_test(test_type_zero_is_not_free),
        cmocka_unit_test(test_overlapping_free_ranges_unite),
        cmocka_unit_test(test_ranges_above_4gb_dropped),
        cmocka_unit_test(test_ranges_across_4gb_clipped),
        cmocka_unit_test(test_range_ending_near_2_pow_64),
        cmocka_unit_test(test_adjacent_equal_types_merge),
        cmocka_unit_test(test_free_ranges_split_by_lost_page),
        cmocka_unit_test(test_uncovered_gaps_not_emitted),
        cmocka_unit_test(test_unsorted_input),
        cmocka_unit_test(test_descriptor_overflow),
        cmocka_unit_test(test_descriptors_exactly_fit),
        cmocka_unit_test(test_boundary_overflow),
        cmocka_unit_test(test_many_touching_ranges),
        cmocka_unit_test(test_invalid_parameters),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

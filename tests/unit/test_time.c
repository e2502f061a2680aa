/*
 * test_time.c - host tests for RtlTimeFieldsToTime / RtlTimeToTimeFields
 * (kernel/rtl/time.c) and the 64/32 division helper (kernel/rtl/divide.c).
 *
 * Besides fixed, independently known points, the conversions are checked against a
 * reference calendar written here in a different way (Howard Hinnant's era-based
 * days-from-civil algorithm, counted from 1970 and using the host's 64-bit division),
 * so a mistake would have to be made twice, differently, to go unnoticed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rtl.h>

#define TICKS_PER_MS     10000LL
#define TICKS_PER_SECOND 10000000LL
#define TICKS_PER_DAY    (86400LL * TICKS_PER_SECOND)
#define DAYS_1601_TO_1970 134774LL
#define MAX_TIME         0x7FFFFFFFFFFFFFFFLL

/* ---- Reference calendar (host arithmetic, independent of time.c) ---- */

static LONGLONG RefDaysFromCivil(LONGLONG Year, LONGLONG Month, LONGLONG Day)
{
    LONGLONG Era;
    LONGLONG YearOfEra;
    LONGLONG DayOfYear;
    LONGLONG DayOfEra;

    /* Years start on March 1 here, so the leap day is the last day of a year. */
    Year -= Month <= 2;
    Era = (Year >= 0 ? Year : Year - 399) / 400;
    YearOfEra = Year - Era * 400;
    DayOfYear = (153 * (Month > 2 ? Month - 3 : Month + 9) + 2) / 5 + Day - 1;
    DayOfEra = YearOfEra * 365 + YearOfEra / 4 - YearOfEra / 100 + DayOfYear;
    return Era * 146097 + DayOfEra - 719468 + DAYS_1601_TO_1970;
}

static void RefCivilFromDays(LONGLONG Days, PTIME_FIELDS Fields)
{
    LONGLONG Z = Days - DAYS_1601_TO_1970 + 719468;
    LONGLONG Era = (Z >= 0 ? Z : Z - 146096) / 146097;
    LONGLONG DayOfEra = Z - Era * 146097;
    LONGLONG YearOfEra = (DayOfEra - DayOfEra / 1460 + DayOfEra / 36524 - DayOfEra / 146096) / 365;
    LONGLONG DayOfYear = DayOfEra - (365 * YearOfEra + YearOfEra / 4 - YearOfEra / 100);
    LONGLONG MonthIndex = (5 * DayOfYear + 2) / 153;
    LONGLONG Month = MonthIndex < 10 ? MonthIndex + 3 : MonthIndex - 9;

    Fields->Day = (SHORT)(DayOfYear - (153 * MonthIndex + 2) / 5 + 1);
    Fields->Month = (SHORT)Month;
    Fields->Year = (SHORT)(YearOfEra + Era * 400 + (Month <= 2));
    /* 1601-01-01 was a Monday. */
    Fields->Weekday = (SHORT)((Days + 1) % 7);
}

static void RefTimeToFields(LONGLONG Time, PTIME_FIELDS Fields)
{
    LONGLONG InDay = Time % TICKS_PER_DAY;

    RefCivilFromDays(Time / TICKS_PER_DAY, Fields);
    Fields->Hour = (SHORT)(InDay / (3600 * TICKS_PER_SECOND));
    Fields->Minute = (SHORT)(InDay / (60 * TICKS_PER_SECOND) % 60);
    Fields->Second = (SHORT)(InDay / TICKS_PER_SECOND % 60);
    Fields->Milliseconds = (SHORT)(InDay / TICKS_PER_MS % 1000);
}

/* ---- Helpers ---- */

static TIME_FIELDS MakeFields(int Year, int Month, int Day, int Hour, int Minute, int Second, int Ms)
{
    TIME_FIELDS Fields;

    Fields.Year = (SHORT)Year;
    Fields.Month = (SHORT)Month;
    Fields.Day = (SHORT)Day;
    Fields.Hour = (SHORT)Hour;
    Fields.Minute = (SHORT)Minute;
    Fields.Second = (SHORT)Second;
    Fields.Milliseconds = (SHORT)Ms;
    Fields.Weekday = 0;
    return Fields;
}

static void AssertFieldsEqualAt(const char *File, int Line, const TIME_FIELDS *Actual, const TIME_FIELDS *Expected)
{
    if (Actual->Year != Expected->Year || Actual->Month != Expected->Month ||
        Actual->Day != Expected->Day || Actual->Hour != Expected->Hour ||
        Actual->Minute != Expected->Minute || Actual->Second != Expected->Second ||
        Actual->Milliseconds != Expected->Milliseconds || Actual->Weekday != Expected->Weekday) {
        print_error("got %d-%02d-%02d %02d:%02d:%02d.%03d wd %d, want %d-%02d-%02d %02d:%02d:%02d.%03d wd %d\n",
                    Actual->Year, Actual->Month, Actual->Day, Actual->Hour, Actual->Minute,
                    Actual->Second, Actual->Milliseconds, Actual->Weekday,
                    Expected->Year, Expected->Month, Expected->Day, Expected->Hour,
                    Expected->Minute, Expected->Second, Expected->Milliseconds, Expected->Weekday);
        _fail(File, Line);
    }
}
#define ASSERT_FIELDS_EQUAL(Actual, Expected) AssertFieldsEqualAt(__FILE__, __LINE__, (Actual), (Expected))

/* Converts Fields both ways and checks the time and the weekday against known values. */
static void CheckKnownPointAt(const char *File, int Line, TIME_FIELDS Fields, LONGLONG ExpectedTime, int ExpectedWeekday)
{
    LARGE_INTEGER Time;
    TIME_FIELDS Back;

    Time.QuadPart = -12345;
    _assert_true(RtlTimeFieldsToTime(&Fields, &Time), "RtlTimeFieldsToTime", File, Line);
    _assert_int_equal((LargestIntegralType)Time.QuadPart, (LargestIntegralType)ExpectedTime, File, Line);

    Time.QuadPart = ExpectedTime;
    RtlTimeToTimeFields(&Time, &Back);
    Fields.Weekday = (SHORT)ExpectedWeekday;
    AssertFieldsEqualAt(File, Line, &Back, &Fields);
}
#define CHECK_KNOWN(Fields, Time, Weekday) CheckKnownPointAt(__FILE__, __LINE__, (Fields), (Time), (Weekday))

/* ---- Time tests ---- */

static void test_known_points(void **State)
{
    (void)State;
    /* The epoch itself: day 0, a Monday. */
    CHECK_KNOWN(MakeFields(1601, 1, 1, 0, 0, 0, 0), 0, 1);
    /* The Unix epoch, a Thursday. */
    CHECK_KNOWN(MakeFields(1970, 1, 1, 0, 0, 0, 0), 116444736000000000LL, 4);
    /* 2024-01-01 00:00:00, a Monday. */
    CHECK_KNOWN(MakeFields(2024, 1, 1, 0, 0, 0, 0), 133485408000000000LL, 1);
    /* 2000-02-29 (a century leap day), a Tuesday: Unix time 951782400. */
    CHECK_KNOWN(MakeFields(2000, 2, 29, 0, 0, 0, 0),
                951782400LL * TICKS_PER_SECOND + 116444736000000000LL, 2);
    /* 2000-03-01 12:34:56.789, a Wednesday: Unix time 951914096. */
    CHECK_KNOWN(MakeFields(2000, 3, 1, 12, 34, 56, 789),
                951914096LL * TICKS_PER_SECOND + 789 * TICKS_PER_MS + 116444736000000000LL, 3);
    /* 2038-01-19 03:14:07, the 32-bit Unix limit, a Tuesday. */
    CHECK_KNOWN(MakeFields(2038, 1, 19, 3, 14, 7, 0),
                2147483647LL * TICKS_PER_SECOND + 116444736000000000LL, 2);
    /* 1601-12-31 23:59:59.999: the last millisecond of the first year (365 days). */
    CHECK_KNOWN(MakeFields(1601, 12, 31, 23, 59, 59, 999), 365 * TICKS_PER_DAY - TICKS_PER_MS, 1);
    /* 1700-03-01: 1700 is not a leap year. Days: 99 years of 365 + 24 leap days + 59. */
    CHECK_KNOWN(MakeFields(1700, 3, 1, 0, 0, 0, 0), (99 * 365 + 24 + 59) * TICKS_PER_DAY, 1);
    /* The last valid millisecond of year 30827 (weekday from the reference calendar). */
    CHECK_KNOWN(MakeFields(30827, 12, 31, 23, 59, 59, 999),
                (RefDaysFromCivil(30828, 1, 1) * TICKS_PER_DAY) - TICKS_PER_MS,
                (int)((RefDaysFromCivil(30827, 12, 31) + 1) % 7));
}

/* The largest LONGLONG is 30828-09-14 02:48:05.477 (the documented SYSTEMTIME limit). */
static void test_largest_time(void **State)
{
    LARGE_INTEGER Time;
    TIME_FIELDS Fields;
    TIME_FIELDS Expected = MakeFields(30828, 9, 14, 2, 48, 5, 477);

    (void)State;
    Time.QuadPart = MAX_TIME;
    RtlTimeToTimeFields(&Time, &Fields);
    RefTimeToFields(MAX_TIME, &Expected);
    ASSERT_FIELDS_EQUAL(&Fields, &Expected);
    assert_int_equal(Fields.Year, 30828);
    assert_int_equal(Fields.Month, 9);
    assert_int_equal(Fields.Day, 14);
    assert_int_equal(Fields.Hour, 2);
    assert_int_equal(Fields.Minute, 48);
    assert_int_equal(Fields.Second, 5);
    assert_int_equal(Fields.Milliseconds, 477);
}

/* Sub-millisecond ticks are dropped, not rounded. */
static void test_sub_millisecond_truncation(void **State)
{
    LARGE_INTEGER Time;
    TIME_FIELDS Fields;

    (void)State;
    Time.QuadPart = 116444736000000000LL + 9999;
    RtlTimeToTimeFields(&Time, &Fields);
    assert_int_equal(Fields.Milliseconds, 0);
    assert_int_equal(Fields.Second, 0);

    Time.QuadPart = 116444736000000000LL + 59 * TICKS_PER_SECOND + 999 * TICKS_PER_MS + 9999;
    RtlTimeToTimeFields(&Time, &Fields);
    assert_int_equal(Fields.Second, 59);
    assert_int_equal(Fields.Milliseconds, 999);
    assert_int_equal(Fields.Year, 1970);
}

/* A time before 1601 has no date; it is treated as the epoch. */
static void test_negative_time_clamps_to_epoch(void **State)
{
    LARGE_INTEGER Time;
    TIME_FIELDS Fields;
    TIME_FIELDS Epoch = MakeFields(1601, 1, 1, 0, 0, 0, 0);

    (void)State;
    Epoch.Weekday = 1;
    Time.QuadPart = -1;
    RtlTimeToTimeFields(&Time, &Fields);
    ASSERT_FIELDS_EQUAL(&Fields, &Epoch);
    Time.QuadPart = (LONGLONG)0x8000000000000000ULL;
    RtlTimeToTimeFields(&Time, &Fields);
    ASSERT_FIELDS_EQUAL(&Fields, &Epoch);
}

/* Every day from 1601 into the 26th century: dates advance by exactly one calendar day. */
static void test_every_day_matches_reference(void **State)
{
    LONGLONG Day;
    LONGLONG LastDay = RefDaysFromCivil(2600, 12, 31);
    TIME_FIELDS Previous = MakeFields(1600, 12, 31, 0, 0, 0, 0);

    (void)State;
    Previous.Weekday = 0;   /* 1600-12-31 was a Sunday */
    for (Day = 0; Day <= LastDay; Day++) {
        LARGE_INTEGER Time;
        LARGE_INTEGER Back;
        TIME_FIELDS Fields;
        TIME_FIELDS Expected;

        /* A different time of day each day, so the clock fields are exercised too. */
        Time.QuadPart = Day * TICKS_PER_DAY + (Day * 7919 % 86400000) * TICKS_PER_MS;
        RtlTimeToTimeFields(&Time, &Fields);
        RefTimeToFields(Time.QuadPart, &Expected);
        ASSERT_FIELDS_EQUAL(&Fields, &Expected);

        /* Independently of the reference: one day after the previous one. */
        assert_int_equal(Fields.Weekday, (Previous.Weekday + 1) % 7);
        if (Fields.Day == 1) {
            assert_true(Fields.Month == Previous.Month % 12 + 1);
            assert_int_equal(Fields.Year, Previous.Year + (Fields.Month == 1 ? 1 : 0));
        } else {
            assert_int_equal(Fields.Day, Previous.Day + 1);
            assert_int_equal(Fields.Month, Previous.Month);
            assert_int_equal(Fields.Year, Previous.Year);
        }

        assert_true(RtlTimeFieldsToTime(&Fields, &Back));
        assert_int_equal(Back.QuadPart, Time.QuadPart);
        Previous = Fields;
    }
    assert_int_equal(Previous.Year, 2600);
    assert_int_equal(Previous.Month, 12);
    assert_int_equal(Previous.Day, 31);
}

/*
 * The whole range, in odd steps that land on every kind of tick, millisecond, second
 * and day boundary: fields must match the reference and convert back to the same time
 * with the sub-millisecond part dropped.
 */
static void test_round_trip_whole_range(void **State)
{
    static const LONGLONG Steps[] = {
        MAX_TIME / 100003,                  /* about 107 days, 100003 steps */
        123456789012347LL,                  /* an odd tick count, about 143 days */
        TICKS_PER_DAY * 365 * 97 + 1234567, /* nearly a century, off every boundary */
        TICKS_PER_DAY * 1461 + 1,           /* four years and one tick */
    };
    size_t Index;
    unsigned long Checked = 0;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Steps); Index++) {
        LONGLONG Value;

        for (Value = 0; Value >= 0 && Value <= MAX_TIME; Value += Steps[Index]) {
            LARGE_INTEGER Time;
            LARGE_INTEGER Back;
            TIME_FIELDS Fields;
            TIME_FIELDS Expected;

            Time.QuadPart = Value;
            RtlTimeToTimeFields(&Time, &Fields);
            RefTimeToFields(Value, &Expected);
            ASSERT_FIELDS_EQUAL(&Fields, &Expected);

            if (Fields.Year <= 30827) {
                assert_true(RtlTimeFieldsToTime(&Fields, &Back));
                assert_int_equal(Back.QuadPart, Value - Value % TICKS_PER_MS);
            } else {
                /* The tail of 30828 is representable as a time but not as fields. */
                assert_false(RtlTimeFieldsToTime(&Fields, &Back));
            }
            Checked++;
            if (Value > MAX_TIME - Steps[Index]) {
                break;
            }
        }
    }
    assert_true(Checked > 100000);
}

/* Field to time for every valid day of some interesting years, against the reference. */
static void test_fields_to_time_matches_reference(void **State)
{
    static const int Years[] = { 1601, 1604, 1700, 1800, 1900, 1999, 2000, 2001, 2023, 2024,
                                 2100, 2400, 9999, 10000, 30000, 30827 };
    static const int MonthDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    size_t Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Years); Index++) {
        int Year = Years[Index];
        int Leap = (Year % 4 == 0 && Year % 100 != 0) || Year % 400 == 0;
        int Month;

        for (Month = 1; Month <= 12; Month++) {
            int Days = MonthDays[Month - 1] + (Month == 2 ? Leap : 0);
            int Day;

            for (Day = 1; Day <= Days; Day++) {
                TIME_FIELDS Fields = MakeFields(Year, Month, Day, Day % 24, (Day * 7) % 60,
                                                (Day * 13) % 60, (Day * 37) % 1000);
                LARGE_INTEGER Time;
                LONGLONG Expected = RefDaysFromCivil(Year, Month, Day) * TICKS_PER_DAY +
                                    (((Day % 24) * 60 + (Day * 7) % 60) * 60 + (Day * 13) % 60) * TICKS_PER_SECOND +
                                    ((Day * 37) % 1000) * TICKS_PER_MS;

                assert_true(RtlTimeFieldsToTime(&Fields, &Time));
                assert_int_equal(Time.QuadPart, Expected);
            }
        }
    }
}

static void ExpectInvalidAt(const char *File, int Line, TIME_FIELDS Fields)
{
    LARGE_INTEGER Time;

    Time.QuadPart = 0x1122334455667788LL;
    _assert_true(!RtlTimeFieldsToTime(&Fields, &Time), "RtlTimeFieldsToTime rejects", File, Line);
    /* On failure *Time is left alone. */
    _assert_int_equal((LargestIntegralType)Time.QuadPart, (LargestIntegralType)0x1122334455667788LL, File, Line);
}
#define EXPECT_INVALID(...) ExpectInvalidAt(__FILE__, __LINE__, MakeFields(__VA_ARGS__))

static void ExpectValidAt(const char *File, int Line, TIME_FIELDS Fields)
{
    LARGE_INTEGER Time;

    _assert_true(RtlTimeFieldsToTime(&Fields, &Time), "RtlTimeFieldsToTime accepts", File, Line);
}
#define EXPECT_VALID(...) ExpectValidAt(__FILE__, __LINE__, MakeFields(__VA_ARGS__))

static void test_invalid_fields_rejected(void **State)
{
    (void)State;
    /* Month */
    EXPECT_INVALID(2024, 0, 1, 0, 0, 0, 0);
    EXPECT_INVALID(2024, 13, 1, 0, 0, 0, 0);
    EXPECT_INVALID(2024, -1, 1, 0, 0, 0, 0);
    /* Day */
    EXPECT_INVALID(2024, 1, 0, 0, 0, 0, 0);
    EXPECT_INVALID(2024, 1, 32, 0, 0, 0, 0);
    EXPECT_INVALID(2024, 4, 31, 0, 0, 0, 0);
    EXPECT_INVALID(2024, 6, 31, 0, 0, 0, 0);
    EXPECT_INVALID(2024, 9, 31, 0, 0, 0, 0);
    EXPECT_INVALID(2024, 11, 31, 0, 0, 0, 0);
    EXPECT_INVALID(2024, 12, -3, 0, 0, 0, 0);
    /* February 29 only in leap years; never February 30. */
    EXPECT_INVALID(1900, 2, 29, 0, 0, 0, 0);
    EXPECT_INVALID(2023, 2, 29, 0, 0, 0, 0);
    EXPECT_INVALID(2100, 2, 29, 0, 0, 0, 0);
    EXPECT_INVALID(1700, 2, 29, 0, 0, 0, 0);
    EXPECT_INVALID(1601, 2, 29, 0, 0, 0, 0);
    EXPECT_INVALID(2000, 2, 30, 0, 0, 0, 0);
    EXPECT_INVALID(2024, 2, 30, 0, 0, 0, 0);
    /* Clock fields */
    EXPECT_INVALID(2024, 1, 1, 24, 0, 0, 0);
    EXPECT_INVALID(2024, 1, 1, -1, 0, 0, 0);
    EXPECT_INVALID(2024, 1, 1, 0, 60, 0, 0);
    EXPECT_INVALID(2024, 1, 1, 0, -1, 0, 0);
    EXPECT_INVALID(2024, 1, 1, 0, 0, 60, 0);
    EXPECT_INVALID(2024, 1, 1, 0, 0, -1, 0);
    EXPECT_INVALID(2024, 1, 1, 0, 0, 0, 1000);
    EXPECT_INVALID(2024, 1, 1, 0, 0, 0, -1);
    /* Year */
    EXPECT_INVALID(1600, 12, 31, 23, 59, 59, 999);
    EXPECT_INVALID(30828, 1, 1, 0, 0, 0, 0);
    EXPECT_INVALID(0, 1, 1, 0, 0, 0, 0);
    EXPECT_INVALID(-2024, 1, 1, 0, 0, 0, 0);
    EXPECT_INVALID(32767, 1, 1, 0, 0, 0, 0);
}

static void test_valid_edges_accepted(void **State)
{
    TIME_FIELDS Fields = MakeFields(2024, 5, 17, 8, 30, 0, 0);
    LARGE_INTEGER First;
    LARGE_INTEGER Second;

    (void)State;
    EXPECT_VALID(1604, 2, 29, 0, 0, 0, 0);
    EXPECT_VALID(2000, 2, 29, 0, 0, 0, 0);
    EXPECT_VALID(2024, 2, 29, 23, 59, 59, 999);
    EXPECT_VALID(2400, 2, 29, 0, 0, 0, 0);
    EXPECT_VALID(2023, 2, 28, 0, 0, 0, 0);
    EXPECT_VALID(2024, 12, 31, 23, 59, 59, 999);
    EXPECT_VALID(1601, 1, 1, 0, 0, 0, 0);
    EXPECT_VALID(30827, 12, 31, 23, 59, 59, 999);

    /* The weekday is output only: whatever it holds, the time is the same. */
    Fields.Weekday = 3;
    assert_true(RtlTimeFieldsToTime(&Fields, &First));
    Fields.Weekday = -77;
    assert_true(RtlTimeFieldsToTime(&Fields, &Second));
    assert_int_equal(First.QuadPart, Second.QuadPart);
}

/* ---- RtlpDivide64By32 ---- */

static void CheckDivideAt(const char *File, int Line, ULONGLONG Dividend, ULONG Divisor)
{
    ULONG Remainder = 0xDEADBEEF;
    ULONGLONG Quotient = RtlpDivide64By32(Dividend, Divisor, &Remainder);

    if (Quotient != Dividend / Divisor || Remainder != Dividend % Divisor) {
        print_error("%llu / %lu: got %llu rem %lu\n", Dividend, Divisor, Quotient, Remainder);
    }
    _assert_int_equal(Quotient, Dividend / Divisor, File, Line);
    _assert_int_equal(Remainder, (ULONG)(Dividend % Divisor), File, Line);
    /* The remainder is optional. */
    _assert_int_equal(RtlpDivide64By32(Dividend, Divisor, NULL), Quotient, File, Line);
}
#define CHECK_DIVIDE(Dividend, Divisor) CheckDivideAt(__FILE__, __LINE__, (Dividend), (Divisor))

static void test_divide_edges(void **State)
{
    static const ULONGLONG Dividends[] = {
        0, 1, 2, 9, 10, 11, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF,
        0x100000000ULL, 0x100000001ULL, 0x1FFFFFFFFULL, 0xFFFFFFFF00000000ULL,
        0xFFFFFFFF7FFFFFFFULL, 0x7FFFFFFFFFFFFFFFULL, 0x8000000000000000ULL,
        0xFFFFFFFFFFFFFFFEULL, 0xFFFFFFFFFFFFFFFFULL, 116444736000000000ULL,
        133485408000000000ULL, 10000000000000000000ULL,
    };
    static const ULONG Divisors[] = {
        1, 2, 3, 7, 8, 10, 16, 60, 1000, 10000, 86400, 10000000, 0x10000, 0xFFFF,
        0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF,
    };
    size_t D, V;

    (void)State;
    for (V = 0; V < RTL_NUMBER_OF(Dividends); V++) {
        for (D = 0; D < RTL_NUMBER_OF(Divisors); D++) {
            CHECK_DIVIDE(Dividends[V], Divisors[D]);
        }
    }
    /* Divisor larger than the whole dividend, and equal to it. */
    CHECK_DIVIDE(0xFFFFFFFFULL, 0xFFFFFFFF);
    CHECK_DIVIDE(5, 0xFFFFFFFF);
}

static void test_divide_random(void **State)
{
    ULONGLONG Seed = 0x9E3779B97F4A7C15ULL;
    unsigned long Index;

    (void)State;
    for (Index = 0; Index < 200000; Index++) {
        ULONGLONG Dividend;
        ULONG Divisor;

        /* 64-bit LCG; the shifts vary the magnitudes of both operands. */
        Seed = Seed * 6364136223846793005ULL + 1442695040888963407ULL;
        Dividend = Seed >> (Index % 61);
        Seed = Seed * 6364136223846793005ULL + 1442695040888963407ULL;
        Divisor = (ULONG)(Seed >> 32) >> (Index % 32);
        if (Divisor == 0) {
            Divisor = 1;
        }
        CHECK_DIVIDE(Dividend, Divisor);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_points),
        cmocka_unit_test(test_largest_time),
        cmocka_unit_test(test_sub_millisecond_truncation),
        cmocka_unit_test(test_negative_time_clamps_to_epoch),
        cmocka_unit_test(test_every_day_matches_reference),
        cmocka_unit_test(test_round_trip_whole_range),
        cmocka_unit_test(test_fields_to_time_matches_reference),
        cmocka_unit_test(test_invalid_fields_rejected),
        cmocka_unit_test(test_valid_edges_accepted),
        cmocka_unit_test(test_divide_edges),
        cmocka_unit_test(test_divide_random),
    };

    return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}

/*
 * time.c - conversion between NT system time and TIME_FIELDS.
 *
 * NT system time is a count of 100-nanosecond intervals since 1601-01-01 00:00:00
 * UTC in the proleptic Gregorian calendar. 1601 was chosen by NT because it starts
 * a 400-year Gregorian cycle, which is what makes the arithmetic below simple: day 0
 * is the first day of a cycle, and every 400 years the calendar repeats exactly.
 *
 * Only 32-bit division is used (plus RtlpDivide64By32): the kernel has no libgcc.
 */
#include <rtl.h>

#define RTLP_TICKS_PER_MILLISECOND 10000UL       /* 100ns ticks */
#define RTLP_TICKS_PER_SECOND      10000000UL
#define RTLP_SECONDS_PER_DAY       86400UL

#define RTLP_DAYS_PER_YEAR         365UL
#define RTLP_DAYS_PER_4_YEARS      (4 * RTLP_DAYS_PER_YEAR + 1)        /* 1461 */
#define RTLP_DAYS_PER_100_YEARS    (25 * RTLP_DAYS_PER_4_YEARS - 1)    /* 36524: no leap in year 100 */
#define RTLP_DAYS_PER_400_YEARS    (4 * RTLP_DAYS_PER_100_YEARS + 1)   /* 146097: leap in year 400 */

#define RTLP_BASE_YEAR             1601
#define RTLP_MAX_YEAR              30827   /* the last full year a positive LONGLONG reaches */
#define RTLP_BASE_WEEKDAY          1       /* 1601-01-01 was a Monday */

static const UCHAR RtlpDaysInMonth[2][12] = {
    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
    { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
};

static BOOLEAN RtlpIsLeapYear(ULONG Year)
{
    return (Year % 4 == 0 && Year % 100 != 0) || Year % 400 == 0;
}

/* Days from 1601-01-01 to January 1 of Year (Year >= 1601). */
static ULONG RtlpDaysBeforeYear(ULONG Year)
{
    ULONG Elapsed = Year - RTLP_BASE_YEAR;

    /* Every 4th elapsed year was a leap year, except centuries not divisible by 400.
       Since 1601 starts a cycle, the leap years are exactly the multiples counted here. */
    return Elapsed * RTLP_DAYS_PER_YEAR + Elapsed / 4 - Elapsed / 100 + Elapsed / 400;
}

BOOLEAN NTAPI RtlTimeFieldsToTime(const TIME_FIELDS *TimeFields, PLARGE_INTEGER Time)
{
    ULONG Leap;
    ULONG Days;
    ULONG Month;
    ULONG SecondsInDay;
    ULONGLONG Milliseconds;

    /* Check every field before using any of them; SHORTs can also be negative. */
    if (TimeFields->Year < RTLP_BASE_YEAR || TimeFields->Year > RTLP_MAX_YEAR ||
        TimeFields->Month < 1 || TimeFields->Month > 12 ||
        TimeFields->Day < 1 ||
        TimeFields->Hour < 0 || TimeFields->Hour > 23 ||
        TimeFields->Minute < 0 || TimeFields->Minute > 59 ||
        TimeFields->Second < 0 || TimeFields->Second > 59 ||
        TimeFields->Milliseconds < 0 || TimeFields->Milliseconds > 999) {
        return FALSE;
    }

    Leap = RtlpIsLeapYear((ULONG)TimeFields->Year) ? 1 : 0;
    if (TimeFields->Day > RtlpDaysInMonth[Leap][TimeFields->Month - 1]) {
        return FALSE;
    }

    Days = RtlpDaysBeforeYear((ULONG)TimeFields->Year);
    for (Month = 1; Month < (ULONG)TimeFields->Month; Month++) {
        Days += RtlpDaysInMonth[Leap][Month - 1];
    }
    Days += (ULONG)TimeFields->Day - 1;

    SecondsInDay = (ULONG)TimeFields->Hour * 3600 + (ULONG)TimeFields->Minute * 60 +
                   (ULONG)TimeFields->Second;

    /* Multiplications and additions of 64-bit values are inlined by gcc; only
       division would need libgcc. The largest result (30827-12-31 23:59:59.999)
       is below 2^63, so the value is never negative. */
    Milliseconds = ((ULONGLONG)Days * RTLP_SECONDS_PER_DAY + SecondsInDay) * 1000 +
                   (ULONG)TimeFields->Milliseconds;
    Time->QuadPart = (LONGLONG)(Milliseconds * RTLP_TICKS_PER_MILLISECOND);
    return TRUE;
}

/*
 * Splits a day count since 1601-01-01 into a year and a 0-based day of that year by
 * peeling off whole 400-, 100-, 4- and 1-year periods. The last century of a 400-year
 * cycle and the last year of a 4-year period are one day longer than the others, so
 * the quotients 4 (for centuries) and 4 (for single years) can only occur on that
 * extra day, which still belongs to the previous period: clamp them to 3.
 */
static VOID RtlpSplitDays(ULONG Days, PULONG Year, PULONG DayOfYear)
{
    ULONG Cycles = Days / RTLP_DAYS_PER_400_YEARS;
    ULONG Rest = Days % RTLP_DAYS_PER_400_YEARS;
    ULONG Centuries;
    ULONG FourYears;
    ULONG Years;

    Centuries = Rest / RTLP_DAYS_PER_100_YEARS;
    if (Centuries == 4) {
        Centuries = 3;
    }
    Rest -= Centuries * RTLP_DAYS_PER_100_YEARS;

    FourYears = Rest / RTLP_DAYS_PER_4_YEARS;
    Rest %= RTLP_DAYS_PER_4_YEARS;

    Years = Rest / RTLP_DAYS_PER_YEAR;
    if (Years == 4) {
        Years = 3;
    }
    Rest -= Years * RTLP_DAYS_PER_YEAR;

    *Year = RTLP_BASE_YEAR + Cycles * 400 + Centuries * 100 + FourYears * 4 + Years;
    *DayOfYear = Rest;
}

/*
 * A negative time has no meaning as an absolute date (it would be before 1601); it is
 * treated as 0 so the result is always a valid TIME_FIELDS. Every non-negative LONGLONG
 * fits: the largest one is in the year 30828, well within a SHORT.
 */
VOID NTAPI RtlTimeToTimeFields(const LARGE_INTEGER *Time, PTIME_FIELDS TimeFields)
{
    ULONGLONG Ticks = Time->QuadPart < 0 ? 0 : (ULONGLONG)Time->QuadPart;
    ULONGLONG TotalSeconds;
    ULONG TicksInSecond;
    ULONG SecondsInDay;
    ULONG Days;
    ULONG Year;
    ULONG DayOfYear;
    ULONG Leap;
    ULONG Month;

    TotalSeconds = RtlpDivide64By32(Ticks, RTLP_TICKS_PER_SECOND, &TicksInSecond);

    /* At most 2^63 / 10^7 / 86400 (about 10.7 million) days: fits in 32 bits. */
    Days = (ULONG)RtlpDivide64By32(TotalSeconds, RTLP_SECONDS_PER_DAY, &SecondsInDay);

    TimeFields->Milliseconds = (SHORT)(TicksInSecond / RTLP_TICKS_PER_MILLISECOND);
    TimeFields->Second = (SHORT)(SecondsInDay % 60);
    TimeFields->Minute = (SHORT)(SecondsInDay / 60 % 60);
    TimeFields->Hour = (SHORT)(SecondsInDay / 3600);
    TimeFields->Weekday = (SHORT)((Days + RTLP_BASE_WEEKDAY) % 7);

    RtlpSplitDays(Days, &Year, &DayOfYear);
    Leap = RtlpIsLeapYear(Year) ? 1 : 0;
    for (Month = 0; DayOfYear >= RtlpDaysInMonth[Leap][Month]; Month++) {
        DayOfYear -= RtlpDaysInMonth[Leap][Month];
    }

    TimeFields->Year = (SHORT)Year;
    TimeFields->Month = (SHORT)(Month + 1);
    TimeFields->Day = (SHORT)(DayOfYear + 1);
}

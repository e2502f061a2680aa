/*
 * cmos.c - the battery-backed real-time clock (NT: HalQueryRealTimeClock).
 *
 * The RTC updates its registers once a second; a read that overlaps the update
 * can mix two seconds. So: wait while "update in progress" is set, read all
 * fields, and read again until two passes agree. Values may be BCD or binary and
 * the hour 12- or 24-hour, as status register B says.
 */
#include <hal.h>
#include <ke.h>

#define CMOS_ADDRESS 0x70
#define CMOS_DATA    0x71
#define CMOS_NMI_DISABLE 0x80

#define RTC_SECONDS  0x00
#define RTC_MINUTES  0x02
#define RTC_HOURS    0x04
#define RTC_DAY      0x07
#define RTC_MONTH    0x08
#define RTC_YEAR     0x09
#define RTC_CENTURY  0x32   /* the usual location (ACPI FADT may say otherwise) */
#define RTC_STATUS_A 0x0A
#define RTC_STATUS_B 0x0B

#define RTC_A_UPDATE_IN_PROGRESS 0x80
#define RTC_B_24_HOUR            0x02
#define RTC_B_BINARY             0x04
#define RTC_HOUR_PM              0x80

static UCHAR HalpReadCmos(UCHAR Register)
{
    WRITE_PORT_UCHAR(CMOS_ADDRESS, CMOS_NMI_DISABLE | Register);
    return READ_PORT_UCHAR(CMOS_DATA);
}

typedef struct _RTC_SNAPSHOT {
    UCHAR Second, Minute, Hour, Day, Month, Year, Century;
} RTC_SNAPSHOT;

static BOOLEAN HalpReadSnapshot(RTC_SNAPSHOT *Snapshot)
{
    ULONG Spins = 0;

    while (HalpReadCmos(RTC_STATUS_A) & RTC_A_UPDATE_IN_PROGRESS) {
        if (++Spins > 1000000)
            return FALSE;       /* no RTC, or a stuck one */
    }
    Snapshot->Second = HalpReadCmos(RTC_SECONDS);
    Snapshot->Minute = HalpReadCmos(RTC_MINUTES);
    Snapshot->Hour = HalpReadCmos(RTC_HOURS);
    Snapshot->Day = HalpReadCmos(RTC_DAY);
    Snapshot->Month = HalpReadCmos(RTC_MONTH);
    Snapshot->Year = HalpReadCmos(RTC_YEAR);
    Snapshot->Century = HalpReadCmos(RTC_CENTURY);
    return TRUE;
}

static UCHAR HalpFromBcd(UCHAR Value)
{
    return (UCHAR)((Value >> 4) * 10 + (Value & 0x0F));
}

BOOLEAN HalQueryRealTimeClock(PTIME_FIELDS Time)
{
    RTC_SNAPSHOT First, Second;
    UCHAR StatusB, Hour;
    BOOLEAN Pm;
    ULONG Tries;

    for (Tries = 0; ; Tries++) {
        if (Tries == 5 || !HalpReadSnapshot(&First) || !HalpReadSnapshot(&Second))
            return FALSE;
        if (memcmp(&First, &Second, sizeof(First)) == 0)
            break;
    }

    StatusB = HalpReadCmos(RTC_STATUS_B);
    Pm = (First.Hour & RTC_HOUR_PM) != 0;
    Hour = First.Hour & (UCHAR)~RTC_HOUR_PM;
    if (!(StatusB & RTC_B_BINARY)) {
        First.Second = HalpFromBcd(First.Second);
        First.Minute = HalpFromBcd(First.Minute);
        Hour = HalpFromBcd(Hour);
        First.Day = HalpFromBcd(First.Day);
        First.Month = HalpFromBcd(First.Month);
        First.Year = HalpFromBcd(First.Year);
        First.Century = HalpFromBcd(First.Century);
    }
    if (!(StatusB & RTC_B_24_HOUR)) {
        Hour %= 12;             /* 12 AM is 0, 12 PM is 12 */
        if (Pm)
            Hour += 12;
    }

    Time->Year = (SHORT)((First.Century >= 19 && First.Century <= 30 ? First.Century : 20) * 100
                         + First.Year);
    Time->Month = First.Month;
    Time->Day = First.Day;
    Time->Hour = Hour;
    Time->Minute = First.Minute;
    Time->Second = First.Second;
    Time->Milliseconds = 0;
    Time->Weekday = 0;
    return TRUE;
}

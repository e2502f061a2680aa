/*
 * time1970.c - NT system time (100 ns units since 1601-01-01 UTC) and the Unix
 * count of seconds since 1970-01-01 UTC: RtlSecondsSince1970ToTime,
 * RtlTimeToSecondsSince1970 (FALSE for a time before 1970 or past the 32-bit
 * seconds' end in 2106). The broken-down forms (RtlTimeToTimeFields,
 * RtlTimeFieldsToTime) are the kernel's kernel/rtl/time.c, built into ntdll.
 */
#include "rtlp.h"

#define RTLP_TICKS_PER_SECOND 10000000UL
#define RTLP_TICKS_1601_TO_1970 116444736000000000ULL   /* 11644473600 s: 369 years, 89 of them leap */

VOID NTAPI RtlSecondsSince1970ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time)
{
    Time->QuadPart = (LONGLONG)((ULONGLONG)ElapsedSeconds * RTLP_TICKS_PER_SECOND + RTLP_TICKS_1601_TO_1970);
}

BOOLEAN NTAPI RtlTimeToSecondsSince1970(PLARGE_INTEGER Time, PULONG ElapsedSeconds)
{
    ULONGLONG Seconds;
    ULONG Remainder;

    if (Time->QuadPart < (LONGLONG)RTLP_TICKS_1601_TO_1970)
        return FALSE;
    Seconds = RtlpDivide64By32((ULONGLONG)Time->QuadPart - RTLP_TICKS_1601_TO_1970, RTLP_TICKS_PER_SECOND, &Remainder);
    if (Seconds > 0xFFFFFFFFULL)
        return FALSE;
    *ElapsedSeconds = (ULONG)Seconds;
    return TRUE;
}

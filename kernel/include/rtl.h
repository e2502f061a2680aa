/*
 * rtl.h - the run-time library the kernel shares with ntdll (NT: ntos\rtl):
 * formatted output, time conversion, string helpers. Nothing here touches hardware,
 * so every file under kernel/rtl/ also builds into the host unit tests.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/*
 * Formatted output (the engine behind DbgPrint and the bugcheck screen).
 * Writes at most Size - 1 characters and always a terminating NUL when Size > 0;
 * returns the length the whole output would have had (C99 vsnprintf rules), so a
 * caller sees truncation as a return value >= Size.
 *
 * Conversions: %d %i %u %x %X %o %p %c %s %%, with flags '-' '0' '+' ' ' '#',
 * width and precision (numbers or '*'), length modifiers h, hh, l, ll, z, I64
 * (also j, t, I32 and a bare I, pointer-sized);
 * NT's extras: %S, %ls and %ws (a NUL-terminated WCHAR string), %C, %lc and %wc (a
 * WCHAR), %Z (PANSI_STRING), %wZ (PUNICODE_STRING; Length is in bytes).
 * A NULL string, or a counted string with a NULL Buffer, prints "(null)" (cut by the
 * precision). WCHARs above 0x7F print '?'. %p prints 8 upper-case hex digits, no
 * prefix. No floating point and no %n: an unknown conversion is printed literally
 * ("%q" gives "%q"). gcc's printf format checking does not know %wZ, %Z, %S or I64,
 * so calls that use them through a format-attributed function need -Wno-format.
 */
int RtlStringVPrintf(PCHAR Buffer, SIZE_T Size, PCSTR Format, va_list Args);
int RtlStringPrintf(PCHAR Buffer, SIZE_T Size, PCSTR Format, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * The engine under RtlStringVPrintf, also for ntdll's _snprintf/_snwprintf family:
 * stores at most Limit characters and no terminating NUL, and returns the length
 * the whole output has. With Wide, Format is a WCHAR string and WCHARs are stored,
 * with Microsoft's wide-printf meanings (%s and %c are WCHAR, %S and %C narrow).
 */
SIZE_T RtlFormatCharacters(PVOID Buffer, SIZE_T Limit, BOOLEAN Wide, PCVOID Format, va_list Args);

/*
 * 64-bit division without libgcc. The kernel is linked without libgcc, so a 64-bit
 * '/' or '%' (which gcc turns into calls to __udivdi3/__umoddi3 on i386) must not
 * appear anywhere; code that needs one calls this helper instead.
 * Returns Dividend / Divisor and, when Remainder is not NULL, stores Dividend % Divisor.
 * Divisor must not be 0 (like the DIV instruction, it then raises a divide error).
 */
ULONGLONG RtlpDivide64By32(ULONGLONG Dividend, ULONG Divisor, PULONG Remainder);

/*
 * Time: NT system time counts 100-nanosecond intervals since 1601-01-01 00:00 UTC.
 * TIME_FIELDS is NT's broken-down form (Weekday 0 = Sunday).
 */
typedef struct _TIME_FIELDS {
    SHORT Year;         /* 1601 .. 30827 */
    SHORT Month;        /* 1 .. 12 */
    SHORT Day;          /* 1 .. 31 */
    SHORT Hour;         /* 0 .. 23 */
    SHORT Minute;       /* 0 .. 59 */
    SHORT Second;       /* 0 .. 59 */
    SHORT Milliseconds; /* 0 .. 999 */
    SHORT Weekday;      /* 0 .. 6, ignored by RtlTimeFieldsToTime */
} TIME_FIELDS, *PTIME_FIELDS;

/* Returns FALSE (and leaves *Time alone) when a field is out of range, e.g. Feb 30. */
BOOLEAN NTAPI RtlTimeFieldsToTime(const TIME_FIELDS *TimeFields, PLARGE_INTEGER Time);
VOID NTAPI RtlTimeToTimeFields(const LARGE_INTEGER *Time, PTIME_FIELDS TimeFields);

/* Freestanding string and memory helpers with the C library's names and meanings. */
/* Points DestinationString at the NUL-terminated SourceString (NULL: empty). */
VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);

void *memcpy(void *Destination, const void *Source, size_t Length);
void *memmove(void *Destination, const void *Source, size_t Length);
void *memset(void *Destination, int Value, size_t Length);
int memcmp(const void *A, const void *B, size_t Length);
size_t strlen(const char *String);
size_t strnlen(const char *String, size_t MaxLength);
int strcmp(const char *A, const char *B);
int strncmp(const char *A, const char *B, size_t Length);
char *strchr(const char *String, int Character);
int _stricmp(const char *A, const char *B);
int _strnicmp(const char *A, const char *B, size_t Length);

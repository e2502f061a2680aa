/*
 * crtconv.c - the C library's number conversions that NT's ntdll exports (cdecl):
 * atoi atol _atoi64 strtol strtoul, their wide forms _wtoi _wtol _wtoi64 wcstol
 * wcstoul and the 64-bit _wcstoi64 _wcstoui64, the other way _itoa _ltoa _ultoa
 * _i64toa _ui64toa and _itow _ltow _ultow _i64tow _ui64tow, and abs, labs.
 *
 * MSVCRT's rules, which ntdll's copies follow: leading white space is skipped, then
 * one sign; base 0 reads a 0x/0X prefix as 16 and a leading 0 as 8; base 16 takes
 * an optional 0x. strtol clamps an out-of-range value to LONG_MAX/LONG_MIN and
 * strtoul to ULONG_MAX, the 64-bit ones to _I64_MAX/_I64_MIN and _UI64_MAX
 * (ntdll has no errno to set); with no digits the result is 0
 * and *End is the string's start. atoi/atol are strtol(base 10) without the
 * clamp, as MSVCRT's wrap; _atoi64 reads 64 bits the same way. The *toa routines
 * write digits in lower case; _itoa/_ltoa print a '-' only in base 10 (other bases
 * show the two's-complement bits, as MSVCRT does); the buffer is the caller's.
 */
#include "rtlp.h"

#define RTLP_LONG_MAX  0x7FFFFFFFUL
#define RTLP_ULONG_MAX 0xFFFFFFFFUL
#define RTLP_I64_MAX   0x7FFFFFFFFFFFFFFFULL

/* A string of either width, read one character at a time. */
typedef struct _RTLP_CHARS {
    const void *At;
    BOOLEAN Wide;
} RTLP_CHARS;

static ULONG RtlpPeek(const RTLP_CHARS *Chars, ULONG Index)
{
    return Chars->Wide ? ((const WCHAR *)Chars->At)[Index] : ((const UCHAR *)Chars->At)[Index];
}

static BOOLEAN RtlpIsSpaceChar(ULONG Character)
{
    return Character == ' ' || (Character >= '\t' && Character <= '\r');
}

static ULONG RtlpDigitValue(ULONG Character)
{
    if (Character >= '0' && Character <= '9')
        return Character - '0';
    if (Character >= 'a' && Character <= 'z')
        return Character - 'a' + 10;
    if (Character >= 'A' && Character <= 'Z')
        return Character - 'A' + 10;
    return 36;
}

/*
 * The common parser: the magnitude in *Value (saturated at Limit; *Overflow says
 * whether it was), the sign in *Negative; returns the number of characters used
 * (0 when there were no digits: then nothing was read, as strtol's *End says).
 */
static ULONG RtlpParseNumber(const RTLP_CHARS *Chars, int Base, ULONGLONG Limit,
                             ULONGLONG *Value, BOOLEAN *Negative, BOOLEAN *Overflow)
{
    ULONG Index = 0, Digit, FirstDigit, LastDigit;
    ULONGLONG Result = 0, Cutoff;

    *Value = 0;
    *Negative = FALSE;
    *Overflow = FALSE;
    if (Base < 0 || Base == 1 || Base > 36)
        return 0;
    while (RtlpIsSpaceChar(RtlpPeek(Chars, Index)))
        Index++;
    if (RtlpPeek(Chars, Index) == '-' || RtlpPeek(Chars, Index) == '+')
        *Negative = RtlpPeek(Chars, Index++) == '-';
    if ((Base == 0 || Base == 16) && RtlpPeek(Chars, Index) == '0' &&
        (RtlpPeek(Chars, Index + 1) | 0x20) == 'x' && RtlpDigitValue(RtlpPeek(Chars, Index + 2)) < 16) {
        Index += 2;
        Base = 16;
    } else if (Base == 0) {
        Base = RtlpPeek(Chars, Index) == '0' ? 8 : 10;
    }
    FirstDigit = Index;
    /* Result * Base + Digit exceeds Limit exactly when Result is past Cutoff, or
       at it with Digit past LastDigit (no 64-bit product can wrap unseen). */
    Cutoff = RtlpDivide64By32(Limit, (ULONG)Base, &LastDigit);
    while ((Digit = RtlpDigitValue(RtlpPeek(Chars, Index))) < (ULONG)Base) {
        if (Result > Cutoff || (Result == Cutoff && Digit > LastDigit)) {
            *Overflow = TRUE;
            Result = Limit;
        } else if (!*Overflow) {
            Result = Result * (ULONG)Base + Digit;
        }
        Index++;
    }
    if (Index == FirstDigit) {
        *Negative = FALSE;
        return 0;
    }
    *Value = Result;
    return Index;
}

static LONG RtlpToLong(const RTLP_CHARS *Chars, PVOID *End, int Base)
{
    ULONGLONG Value;
    BOOLEAN Negative, Overflow;
    ULONG Used = RtlpParseNumber(Chars, Base, RTLP_ULONG_MAX, &Value, &Negative, &Overflow);

    if (End != NULL)
        *End = (PUCHAR)Chars->At + Used * (Chars->Wide ? sizeof(WCHAR) : 1);
    if (Negative)
        return Overflow || Value > RTLP_LONG_MAX + 1 ? (LONG)0x80000000 : (LONG)(0 - (ULONG)Value);
    return Overflow || Value > RTLP_LONG_MAX ? (LONG)RTLP_LONG_MAX : (LONG)Value;
}

static ULONG RtlpToUlong(const RTLP_CHARS *Chars, PVOID *End, int Base)
{
    ULONGLONG Value;
    BOOLEAN Negative, Overflow;
    ULONG Used = RtlpParseNumber(Chars, Base, RTLP_ULONG_MAX, &Value, &Negative, &Overflow);

    if (End != NULL)
        *End = (PUCHAR)Chars->At + Used * (Chars->Wide ? sizeof(WCHAR) : 1);
    if (Overflow)
        return RTLP_ULONG_MAX;
    return Negative ? 0 - (ULONG)Value : (ULONG)Value;
}

/* The 64-bit forms: clamped to _I64_MAX/_I64_MIN and _UI64_MAX. */
static LONGLONG RtlpToLong64(const RTLP_CHARS *Chars, PVOID *End, int Base)
{
    ULONGLONG Value;
    BOOLEAN Negative, Overflow;
    ULONG Used = RtlpParseNumber(Chars, Base, ~0ULL, &Value, &Negative, &Overflow);

    if (End != NULL)
        *End = (PUCHAR)Chars->At + Used * (Chars->Wide ? sizeof(WCHAR) : 1);
    if (Negative)
        return Overflow || Value > RTLP_I64_MAX + 1 ? (LONGLONG)(RTLP_I64_MAX + 1) : (LONGLONG)(0 - Value);
    return Overflow || Value > RTLP_I64_MAX ? (LONGLONG)RTLP_I64_MAX : (LONGLONG)Value;
}

static ULONGLONG RtlpToUlong64(const RTLP_CHARS *Chars, PVOID *End, int Base)
{
    ULONGLONG Value;
    BOOLEAN Negative, Overflow;
    ULONG Used = RtlpParseNumber(Chars, Base, ~0ULL, &Value, &Negative, &Overflow);

    if (End != NULL)
        *End = (PUCHAR)Chars->At + Used * (Chars->Wide ? sizeof(WCHAR) : 1);
    if (Overflow)
        return ~0ULL;
    return Negative ? 0 - Value : Value;
}

/* atoi's rules: base 10, no clamp (the value wraps, as MSVCRT's does). */
static LONGLONG RtlpToInteger64(const RTLP_CHARS *Chars)
{
    ULONGLONG Value = 0;
    ULONG Index = 0, Digit;
    BOOLEAN Negative = FALSE;

    while (RtlpIsSpaceChar(RtlpPeek(Chars, Index)))
        Index++;
    if (RtlpPeek(Chars, Index) == '-' || RtlpPeek(Chars, Index) == '+')
        Negative = RtlpPeek(Chars, Index++) == '-';
    while ((Digit = RtlpPeek(Chars, Index)) >= '0' && Digit <= '9') {
        Value = Value * 10 + (Digit - '0');
        Index++;
    }
    return Negative ? (LONGLONG)(0 - Value) : (LONGLONG)Value;
}

long __cdecl strtol(const char *String, char **End, int Base)
{
    RTLP_CHARS Chars = { String, FALSE };
    return RtlpToLong(&Chars, (PVOID *)End, Base);
}

unsigned long __cdecl strtoul(const char *String, char **End, int Base)
{
    RTLP_CHARS Chars = { String, FALSE };
    return RtlpToUlong(&Chars, (PVOID *)End, Base);
}

long __cdecl wcstol(const WCHAR *String, WCHAR **End, int Base)
{
    RTLP_CHARS Chars = { String, TRUE };
    return RtlpToLong(&Chars, (PVOID *)End, Base);
}

unsigned long __cdecl wcstoul(const WCHAR *String, WCHAR **End, int Base)
{
    RTLP_CHARS Chars = { String, TRUE };
    return RtlpToUlong(&Chars, (PVOID *)End, Base);
}

LONGLONG __cdecl _wcstoi64(const WCHAR *String, WCHAR **End, int Base)
{
    RTLP_CHARS Chars = { String, TRUE };
    return RtlpToLong64(&Chars, (PVOID *)End, Base);
}

ULONGLONG __cdecl _wcstoui64(const WCHAR *String, WCHAR **End, int Base)
{
    RTLP_CHARS Chars = { String, TRUE };
    return RtlpToUlong64(&Chars, (PVOID *)End, Base);
}

int __cdecl atoi(const char *String)
{
    RTLP_CHARS Chars = { String, FALSE };
    return (int)RtlpToInteger64(&Chars);
}

long __cdecl atol(const char *String)
{
    return atoi(String);
}

LONGLONG __cdecl _atoi64(const char *String)
{
    RTLP_CHARS Chars = { String, FALSE };
    return RtlpToInteger64(&Chars);
}

int __cdecl _wtoi(const WCHAR *String)
{
    RTLP_CHARS Chars = { String, TRUE };
    return (int)RtlpToInteger64(&Chars);
}

long __cdecl _wtol(const WCHAR *String)
{
    return _wtoi(String);
}

LONGLONG __cdecl _wtoi64(const WCHAR *String)
{
    RTLP_CHARS Chars = { String, TRUE };
    return RtlpToInteger64(&Chars);
}

/* Value in Base (2..36) into Buffer, of either width, '-' first when Negative. */
static PVOID RtlpFormatNumber(ULONGLONG Value, BOOLEAN Negative, int Base, PVOID Buffer, BOOLEAN Wide)
{
    CHAR Digits[66];
    ULONG Count = 0, Index = 0, Remainder;

    if (Base < 2 || Base > 36) {
        /* MSVCRT's leave the buffer alone for a base it cannot print in. */
        return Buffer;
    }
    do {
        Value = RtlpDivide64By32(Value, (ULONG)Base, &Remainder);
        Digits[Count++] = (CHAR)(Remainder < 10 ? '0' + Remainder : 'a' + Remainder - 10);
    } while (Value != 0);
    if (Negative)
        Digits[Count++] = '-';
    while (Count > 0) {
        CHAR Character = Digits[--Count];
        if (Wide)
            ((PWCHAR)Buffer)[Index++] = (WCHAR)Character;
        else
            ((PCHAR)Buffer)[Index++] = Character;
    }
    if (Wide)
        ((PWCHAR)Buffer)[Index] = 0;
    else
        ((PCHAR)Buffer)[Index] = 0;
    return Buffer;
}

/* A signed 32-bit value: '-' only in base 10; other bases print the bits. */
static PVOID RtlpFormatLong(LONG Value, PVOID Buffer, int Base, BOOLEAN Wide)
{
    if (Base == 10 && Value < 0)
        return RtlpFormatNumber(0 - (ULONG)Value, TRUE, Base, Buffer, Wide);
    return RtlpFormatNumber((ULONG)Value, FALSE, Base, Buffer, Wide);
}

static PVOID RtlpFormatLong64(LONGLONG Value, PVOID Buffer, int Base, BOOLEAN Wide)
{
    if (Base == 10 && Value < 0)
        return RtlpFormatNumber(0 - (ULONGLONG)Value, TRUE, Base, Buffer, Wide);
    return RtlpFormatNumber((ULONGLONG)Value, FALSE, Base, Buffer, Wide);
}

char *__cdecl _itoa(int Value, char *Buffer, int Base) { return RtlpFormatLong(Value, Buffer, Base, FALSE); }
char *__cdecl _ltoa(long Value, char *Buffer, int Base) { return RtlpFormatLong(Value, Buffer, Base, FALSE); }
char *__cdecl _ultoa(unsigned long Value, char *Buffer, int Base) { return RtlpFormatNumber(Value, FALSE, Base, Buffer, FALSE); }
char *__cdecl _i64toa(LONGLONG Value, char *Buffer, int Base) { return RtlpFormatLong64(Value, Buffer, Base, FALSE); }
char *__cdecl _ui64toa(ULONGLONG Value, char *Buffer, int Base) { return RtlpFormatNumber(Value, FALSE, Base, Buffer, FALSE); }
WCHAR *__cdecl _itow(int Value, WCHAR *Buffer, int Base) { return RtlpFormatLong(Value, Buffer, Base, TRUE); }
WCHAR *__cdecl _ltow(long Value, WCHAR *Buffer, int Base) { return RtlpFormatLong(Value, Buffer, Base, TRUE); }
WCHAR *__cdecl _ultow(unsigned long Value, WCHAR *Buffer, int Base) { return RtlpFormatNumber(Value, FALSE, Base, Buffer, TRUE); }
WCHAR *__cdecl _i64tow(LONGLONG Value, WCHAR *Buffer, int Base) { return RtlpFormatLong64(Value, Buffer, Base, TRUE); }
WCHAR *__cdecl _ui64tow(ULONGLONG Value, WCHAR *Buffer, int Base) { return RtlpFormatNumber(Value, FALSE, Base, Buffer, TRUE); }

int __cdecl abs(int Value) { return Value < 0 ? -Value : Value; }
long __cdecl labs(long Value) { return Value < 0 ? -Value : Value; }

/*
 * integer.c - NT's own integer <-> text conversions (not the C library's):
 * RtlCharToInteger and RtlUnicodeStringToInteger read, RtlIntegerToChar and
 * RtlIntegerToUnicodeString write.
 *
 * Reading (NT's rules): leading blanks (anything up to ' ') are skipped, then one
 * '+' or '-'; Base 0 takes a prefix 0x (16), 0o (8), 0b (2) and is 10 without one;
 * otherwise Base must be 2, 8, 10 or 16. Digits are read up to the first
 * character that is not one in the base; no digits gives 0; there is no overflow
 * check (the value wraps). Writing: Base 0 is 10; digits in upper case; the
 * text must fit in Length characters (else STATUS_BUFFER_OVERFLOW), and gets a NUL
 * when there is room for one.
 */
#include "rtlp.h"

static BOOLEAN RtlpValidBase(ULONG Base)
{
    return Base == 2 || Base == 8 || Base == 10 || Base == 16;
}

static ULONG RtlpDigit(WCHAR Character)
{
    if (Character >= '0' && Character <= '9')
        return Character - '0';
    if ((Character | 0x20) >= 'a' && (Character | 0x20) <= 'f')
        return (Character | 0x20) - 'a' + 10;
    return 16;
}

/* Reads Count characters of either width. */
static NTSTATUS RtlpReadInteger(const VOID *Text, ULONG Count, BOOLEAN Wide, ULONG Base, PULONG Value)
{
    ULONG Index = 0, Result = 0, Digit;
    BOOLEAN Negative = FALSE;
#define RTLP_AT(i) ((i) < Count ? (Wide ? ((const WCHAR *)Text)[i] : (WCHAR)((const UCHAR *)Text)[i]) : 0)

    while (Index < Count && RTLP_AT(Index) != 0 && RTLP_AT(Index) <= ' ')
        Index++;
    if (RTLP_AT(Index) == '+' || RTLP_AT(Index) == '-') {
        Negative = RTLP_AT(Index) == '-';
        Index++;
    }
    if (Base == 0) {
        Base = 10;
        if (RTLP_AT(Index) == '0') {
            switch (RTLP_AT(Index + 1)) {
            case 'x': Base = 16; Index += 2; break;
            case 'o': Base = 8; Index += 2; break;
            case 'b': Base = 2; Index += 2; break;
            }
        }
    } else if (!RtlpValidBase(Base)) {
        return STATUS_INVALID_PARAMETER;
    }
    while (Index < Count && (Digit = RtlpDigit(RTLP_AT(Index))) < Base) {
        Result = Result * Base + Digit;
        Index++;
    }
#undef RTLP_AT
    *Value = Negative ? 0 - Result : Result;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlCharToInteger(PCSTR String, ULONG Base, PULONG Value)
{
    return RtlpReadInteger(String, strlen(String), FALSE, Base, Value);
}

NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base, PULONG Value)
{
    return RtlpReadInteger(String->Buffer, String->Length / sizeof(WCHAR), TRUE, Base, Value);
}

/* The digits of Value in Base into Digits (no NUL); their count. */
static ULONG RtlpWriteDigits(ULONG Value, ULONG Base, PCHAR Digits)
{
    CHAR Reversed[32];
    ULONG Count = 0, Index;

    do {
        ULONG Digit = Value % Base;
        Reversed[Count++] = (CHAR)(Digit < 10 ? '0' + Digit : 'A' + Digit - 10);
        Value /= Base;
    } while (Value != 0);
    for (Index = 0; Index < Count; Index++)
        Digits[Index] = Reversed[Count - 1 - Index];
    return Count;
}

NTSTATUS NTAPI RtlIntegerToChar(ULONG Value, ULONG Base, LONG Length, PSTR String)
{
    CHAR Digits[32];
    ULONG Count;

    if (Base == 0)
        Base = 10;
    if (!RtlpValidBase(Base))
        return STATUS_INVALID_PARAMETER;
    Count = RtlpWriteDigits(Value, Base, Digits);
    if (Length < 0 || (ULONG)Length < Count)
        return STATUS_BUFFER_OVERFLOW;
    memcpy(String, Digits, Count);
    if ((ULONG)Length > Count)
        String[Count] = '\0';
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String)
{
    CHAR Digits[32];
    ULONG Count, Index;

    if (Base == 0)
        Base = 10;
    if (!RtlpValidBase(Base))
        return STATUS_INVALID_PARAMETER;
    Count = RtlpWriteDigits(Value, Base, Digits);
    if (Count * sizeof(WCHAR) > String->MaximumLength)
        return STATUS_BUFFER_OVERFLOW;
    for (Index = 0; Index < Count; Index++)
        String->Buffer[Index] = (WCHAR)Digits[Index];
    String->Length = (USHORT)(Count * sizeof(WCHAR));
    if (String->Length + sizeof(WCHAR) <= String->MaximumLength)
        String->Buffer[Count] = 0;
    return STATUS_SUCCESS;
}

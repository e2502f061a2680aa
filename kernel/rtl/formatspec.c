/*
 * formatspec.c - the parser of one conversion specification for format.c's engine:
 * flags (- 0 + space #), width and precision (numbers or '*'), and the length
 * modifiers of C99 (hh h l ll j z t) and Microsoft (w, I, I32, I64); and the fetching
 * of an integer argument at the width the modifier gives it.
 */
#include "formatp.h"

static BOOLEAN RtlpIsDigit(CHAR Character)
{
    return Character >= '0' && Character <= '9';
}

/* Reads a decimal number, saturating instead of overflowing on absurd widths. */
static ULONG RtlpParseNumber(PCSTR *Format)
{
    ULONG Value = 0;

    while (RtlpIsDigit(**Format)) {
        ULONG Digit = (ULONG)(**Format - '0');

        if (Value > (RTLP_MAX_NUMBER - Digit) / 10) {
            Value = RTLP_MAX_NUMBER;
        } else {
            Value = Value * 10 + Digit;
        }
        (*Format)++;
    }
    return Value;
}

/* Declared in formatp.h. */
VOID RtlpParseSpec(PCSTR *Format, va_list *Args, PRTLP_FORMAT_SPEC Spec)
{
    PCSTR Cursor = *Format;

    Spec->Flags = 0;
    Spec->Width = 0;
    Spec->Precision = RTLP_NO_PRECISION;
    Spec->Length = RtlpLengthDefault;

    for (;; Cursor++) {
        if (*Cursor == '-') {
            Spec->Flags |= RTLP_FLAG_LEFT;
        } else if (*Cursor == '0') {
            Spec->Flags |= RTLP_FLAG_ZERO;
        } else if (*Cursor == '+') {
            Spec->Flags |= RTLP_FLAG_PLUS;
        } else if (*Cursor == ' ') {
            Spec->Flags |= RTLP_FLAG_SPACE;
        } else if (*Cursor == '#') {
            Spec->Flags |= RTLP_FLAG_ALTERNATE;
        } else {
            break;
        }
    }

    if (*Cursor == '*') {
        int Width = va_arg(*Args, int);

        Cursor++;
        /* C: a negative '*' width is a '-' flag plus a positive width. Negate in
           unsigned arithmetic so INT_MIN does not overflow. */
        if (Width < 0) {
            Spec->Flags |= RTLP_FLAG_LEFT;
            Spec->Width = 0U - (ULONG)Width;
            if (Spec->Width > RTLP_MAX_NUMBER) {
                Spec->Width = RTLP_MAX_NUMBER;
            }
        } else {
            Spec->Width = (ULONG)Width;
        }
    } else {
        Spec->Width = RtlpParseNumber(&Cursor);
    }

    if (*Cursor == '.') {
        Cursor++;
        if (*Cursor == '*') {
            int Precision = va_arg(*Args, int);

            Cursor++;
            /* C: a negative '*' precision is as if none were given. */
            Spec->Precision = Precision < 0 ? RTLP_NO_PRECISION : Precision;
        } else {
            /* A lone '.' means precision 0. */
            Spec->Precision = (LONG)RtlpParseNumber(&Cursor);
        }
    }

    switch (*Cursor) {
    case 'h':
        Cursor++;
        if (*Cursor == 'h') {
            Cursor++;
            Spec->Length = RtlpLengthChar;
        } else {
            Spec->Length = RtlpLengthShort;
        }
        break;
    case 'l':
        Cursor++;
        if (*Cursor == 'l') {
            Cursor++;
            Spec->Length = RtlpLengthLongLong;
        } else {
            Spec->Length = RtlpLengthLong;
        }
        break;
    case 'j':
        Cursor++;
        Spec->Length = RtlpLengthLongLong;
        break;
    case 'z':
    case 't':
        Cursor++;
        Spec->Length = RtlpLengthPointer;
        break;
    case 'w':
        Cursor++;
        Spec->Length = RtlpLengthWide;
        break;
    case 'I':
        /* Microsoft: I64 is 64-bit, I32 is 32-bit, a bare I is pointer-sized. */
        Cursor++;
        if (Cursor[0] == '6' && Cursor[1] == '4') {
            Cursor += 2;
            Spec->Length = RtlpLengthLongLong;
        } else if (Cursor[0] == '3' && Cursor[1] == '2') {
            Cursor += 2;
            Spec->Length = RtlpLengthDefault;
        } else {
            Spec->Length = RtlpLengthPointer;
        }
        break;
    default:
        break;
    }

    *Format = Cursor;
}

/* Fetches an unsigned integer argument and truncates it to the modifier's width. */
ULONGLONG RtlpFetchUnsigned(va_list *Args, RTLP_LENGTH Length)
{
    switch (Length) {
    case RtlpLengthChar:
        return (UCHAR)va_arg(*Args, unsigned int);
    case RtlpLengthShort:
        return (USHORT)va_arg(*Args, unsigned int);
    case RtlpLengthLong:
        return va_arg(*Args, unsigned long);
    case RtlpLengthLongLong:
        return va_arg(*Args, unsigned long long);
    case RtlpLengthPointer:
        return va_arg(*Args, SIZE_T);
    default:
        return va_arg(*Args, unsigned int);
    }
}

LONGLONG RtlpFetchSigned(va_list *Args, RTLP_LENGTH Length)
{
    switch (Length) {
    case RtlpLengthChar:
        return (signed char)va_arg(*Args, int);
    case RtlpLengthShort:
        return (SHORT)va_arg(*Args, int);
    case RtlpLengthLong:
        return va_arg(*Args, long);
    case RtlpLengthLongLong:
        return va_arg(*Args, long long);
    case RtlpLengthPointer:
        return va_arg(*Args, LONG_PTR);
    default:
        return va_arg(*Args, int);
    }
}

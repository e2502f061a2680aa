/*
 * crtscan.c - sscanf as NT's ntdll exports it (cdecl), with Microsoft's C-library
 * rules for the conversions native programs use:
 *
 *   %d %i %u %x %X %o   integers (%i: 0x.. hex, 0.. octal, else decimal), with a
 *                       sign; sizes hh, h, l, ll, I64, I32 (MSVCRT's), L as ll
 *   %p                  a pointer, in hex
 *   %c                  Width characters (1 by default), no NUL added, no
 *                       white space skipped
 *   %s                  a run of non-white-space characters, NUL added
 *   %[abc] %[^a-z]      a run of characters in (or not in) the set, NUL added;
 *                       ']' first in the set is a member, '-' between two
 *                       characters a range
 *   %lc %ls %l[ %C %S   the same, stored as WCHARs (ANSI, code page 1252, nls.c)
 *   %n                  characters read so far, not counted as a conversion
 *   %*...               read and discarded, not counted; a width limits any of them
 *
 * No floating point (ntdll has no use for it, and NT's own does none here either
 * way that a native program may count on): %e %f %g %a end the scan as a
 * conversion that did not match. White space in the format skips any amount of
 * input white space; any other character must match. The result is the number
 * of values stored, or EOF (-1) when the input ended before the first conversion.
 * Integers wrap on overflow, as MSVCRT's do.
 */
#include "rtlp.h"

#define RTLP_EOF (-1)

typedef enum _RTLP_SCAN_SIZE {
    RtlpScanDefault, RtlpScanChar, RtlpScanShort, RtlpScanLong, RtlpScanLongLong, RtlpScanWide
} RTLP_SCAN_SIZE;

static BOOLEAN RtlpScanSpace(UCHAR Character)
{
    return Character == ' ' || (Character >= '\t' && Character <= '\r');
}

static ULONG RtlpScanDigit(UCHAR Character)
{
    if (Character >= '0' && Character <= '9')
        return Character - '0';
    if ((Character | 0x20) >= 'a' && (Character | 0x20) <= 'f')
        return (Character | 0x20) - 'a' + 10;
    return 16;
}

/*
 * An integer of at most Width characters at *Input, in Base (0: as C's %i), into
 * *Value; FALSE when no digit was there. *Input moves past what was read.
 */
static BOOLEAN RtlpScanInteger(const UCHAR **Input, ULONG Width, ULONG Base, ULONGLONG *Value)
{
    const UCHAR *At = *Input;
    BOOLEAN Negative = FALSE, Digits = FALSE;
    ULONGLONG Result = 0;
    ULONG Digit;

    if (Width != 0 && (*At == '-' || *At == '+')) {
        Negative = *At++ == '-';
        Width--;
    }
    if ((Base == 0 || Base == 16) && Width >= 2 && At[0] == '0' && (At[1] | 0x20) == 'x') {
        At += 2;
        Width -= 2;
        Base = 16;
        Digits = TRUE;                  /* "0x" alone reads as 0, as MSVCRT's */
    } else if (Base == 0) {
        Base = *At == '0' ? 8 : 10;
    }
    while (Width != 0 && (Digit = RtlpScanDigit(*At)) < Base) {
        Result = Result * Base + Digit;
        Digits = TRUE;
        At++;
        Width--;
    }
    if (!Digits)
        return FALSE;
    *Input = At;
    *Value = Negative ? 0 - Result : Result;
    return TRUE;
}

static VOID RtlpStoreInteger(va_list *Args, RTLP_SCAN_SIZE Size, ULONGLONG Value)
{
    switch (Size) {
    case RtlpScanChar:
        *va_arg(*Args, UCHAR *) = (UCHAR)Value;
        break;
    case RtlpScanShort:
        *va_arg(*Args, USHORT *) = (USHORT)Value;
        break;
    case RtlpScanLongLong:
        *va_arg(*Args, ULONGLONG *) = Value;
        break;
    default:                            /* int, long and pointers are 32 bits on i386 */
        *va_arg(*Args, ULONG *) = (ULONG)Value;
        break;
    }
}

/* Is Character in the set of %[...] (Set..SetEnd, the '^' already taken off)? */
static BOOLEAN RtlpInScanSet(const UCHAR *Set, const UCHAR *SetEnd, UCHAR Character)
{
    for (const UCHAR *At = Set; At < SetEnd; At++) {
        if (At + 2 < SetEnd && At[1] == '-') {
            if (Character >= At[0] && Character <= At[2])
                return TRUE;
            At += 2;
        } else if (*At == Character) {
            return TRUE;
        }
    }
    return FALSE;
}

static int RtlpScan(const UCHAR *Input, const UCHAR *Format, va_list Args)
{
    const UCHAR *Start = Input;
    int Stored = 0;
    BOOLEAN Converted = FALSE;

    while (*Format != '\0') {
        RTLP_SCAN_SIZE Size = RtlpScanDefault;
        BOOLEAN Suppress = FALSE, Invert = FALSE;
        ULONG Width = 0;
        ULONGLONG Value;
        const UCHAR *Set = NULL, *SetEnd = NULL;
        UCHAR Conversion;

        if (RtlpScanSpace(*Format)) {
            while (RtlpScanSpace(*Format))
                Format++;
            while (RtlpScanSpace(*Input))
                Input++;
            continue;
        }
        if (*Format != '%' || Format[1] == '%') {
            if (*Format == '%') {
                Format++;
                while (RtlpScanSpace(*Input))
                    Input++;
            }
            if (*Input == '\0')
                return Converted ? Stored : RTLP_EOF;
            if (*Input != *Format)
                return Stored;
            Input++;
            Format++;
            continue;
        }

        Format++;
        if (*Format == '*') {
            Suppress = TRUE;
            Format++;
        }
        while (*Format >= '0' && *Format <= '9')
            Width = Width * 10 + (*Format++ - '0');
        if (Format[0] == 'h') {
            Size = Format[1] == 'h' ? RtlpScanChar : RtlpScanShort;
            Format += Format[1] == 'h' ? 2 : 1;
        } else if (Format[0] == 'l') {
            Size = Format[1] == 'l' ? RtlpScanLongLong : RtlpScanLong;
            Format += Format[1] == 'l' ? 2 : 1;
        } else if (Format[0] == 'L') {
            Size = RtlpScanLongLong;
            Format++;
        } else if (Format[0] == 'w') {
            Size = RtlpScanWide;
            Format++;
        } else if (Format[0] == 'I' && Format[1] == '6' && Format[2] == '4') {
            Size = RtlpScanLongLong;
            Format += 3;
        } else if (Format[0] == 'I' && Format[1] == '3' && Format[2] == '2') {
            Size = RtlpScanLong;
            Format += 3;
        }
        Conversion = *Format++;
        if (Conversion == '\0')
            break;
        if (Conversion == 'C' || Conversion == 'S') {   /* Microsoft: the other width */
            Conversion = (UCHAR)(Conversion | 0x20);
            Size = RtlpScanWide;
        }
        if ((Conversion == 'c' || Conversion == 's' || Conversion == '[') && Size == RtlpScanLong)
            Size = RtlpScanWide;

        if (Conversion == 'n') {
            if (!Suppress)
                RtlpStoreInteger(&Args, Size, (ULONGLONG)(Input - Start));
            continue;
        }
        if (Conversion == '[') {
            if (*Format == '^') {
                Invert = TRUE;
                Format++;
            }
            Set = Format;
            if (*Format == ']')
                Format++;
            while (*Format != '\0' && *Format != ']')
                Format++;
            if (*Format == '\0')
                return Stored;                          /* an unfinished set: a bad format */
            SetEnd = Format++;
        }
        if (Conversion != 'c' && Conversion != '[') {
            while (RtlpScanSpace(*Input))
                Input++;
        }
        if (*Input == '\0')
            return Converted ? Stored : RTLP_EOF;

        switch (Conversion) {
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'p': {
            ULONG Base = Conversion == 'd' || Conversion == 'u' ? 10 : Conversion == 'i' ? 0 :
                         Conversion == 'o' ? 8 : 16;
            if (!RtlpScanInteger(&Input, Width != 0 ? Width : ~0UL, Base, &Value))
                return Stored;
            if (!Suppress) {
                RtlpStoreInteger(&Args, Conversion == 'p' ? RtlpScanDefault : Size, Value);
                Stored++;
            }
            break;
        }
        case 'c': case 's': case '[': {
            PCHAR Narrow = NULL;
            PWCHAR Wide = NULL;
            ULONG Count = 0, Limit = Width != 0 ? Width : Conversion == 'c' ? 1 : ~0UL;

            if (!Suppress) {
                if (Size == RtlpScanWide)
                    Wide = va_arg(Args, PWCHAR);
                else
                    Narrow = va_arg(Args, PCHAR);
            }
            while (Count < Limit && *Input != '\0') {
                if (Conversion == 's' && RtlpScanSpace(*Input))
                    break;
                if (Conversion == '[' && RtlpInScanSet(Set, SetEnd, *Input) == Invert)
                    break;
                if (Wide != NULL)
                    Wide[Count] = RtlpAnsiToUnicode(*Input);
                else if (Narrow != NULL)
                    Narrow[Count] = (CHAR)*Input;
                Count++;
                Input++;
            }
            if (Count == 0 || (Conversion == 'c' && Count < Limit))
                return Stored;
            if (Conversion != 'c') {
                if (Wide != NULL)
                    Wide[Count] = 0;
                else if (Narrow != NULL)
                    Narrow[Count] = '\0';
            }
            if (!Suppress)
                Stored++;
            break;
        }
        default:                                        /* floating point, or unknown */
            return Stored;
        }
        Converted = TRUE;
    }
    return Stored;
}

int RtlpScanString(const char *Input, const char *Format, va_list Args)
{
    return RtlpScan((const UCHAR *)Input, (const UCHAR *)Format, Args);
}

int __cdecl sscanf(const char *Input, const char *Format, ...)
{
    va_list Args;
    int Stored;

    va_start(Args, Format);
    Stored = RtlpScanString(Input, Format, Args);
    va_end(Args);
    return Stored;
}

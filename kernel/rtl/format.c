/*
 * format.c - RtlStringVPrintf, the formatted-output engine behind DbgPrint.
 *
 * It follows C99 vsnprintf for everything C defines (conversions d i u x X o c s p %,
 * flags, width, precision, truncation and the return value) and adds what NT's
 * debug output uses: %S/%ls/%ws for WCHAR strings, %Z for ANSI_STRING, %wZ for
 * UNICODE_STRING, and Microsoft's I64 (also I32 and I) length modifiers.
 *
 * Deliberate differences from a C library:
 *  - no floating point (the kernel is built without an FPU/SSE): %e %E %f %F %g %G
 *    %a %A are copied to the output literally, like an unknown conversion, but they
 *    do take their double (8 bytes on the i386 stack) from the arguments, so that the
 *    conversions after them still get theirs ("%f %d" with 1.5, 7 prints "%f 7";
 *    NT's formatter prints the number);
 *  - %n is not supported: writing through an argument pointer is an exploit primitive
 *    and nothing in the system needs it;
 *  - an unknown conversion is copied to the output literally ("%q" prints "%q",
 *    "%-5q" prints "%-5q"); only a '*' width or precision in it takes an argument;
 *  - %p prints the pointer as 8 upper-case hex digits without a prefix, as NT does;
 *  - a NULL string pointer, or a counted string whose Buffer is NULL, prints "(null)"
 *    (cut by the precision like any other string);
 *  - WCHARs are narrowed to ASCII; anything above 0x7F prints '?'.
 *
 * 64-bit values are converted with RtlpDivide64By32 because the kernel has no libgcc.
 * One conversion specification ("%-08.3I64x") is parsed by formatspec.c.
 *
 * ntdll builds this same file for its C-library exports (_snprintf, _snwprintf...),
 * which is why the engine can also write WCHARs from a WCHAR format
 * (RtlFormatCharacters with Wide): there, as in Microsoft's wide printf, %s and %c
 * take WCHAR arguments and %S and %C narrow ones, and WCHARs are written as they
 * are (narrow characters widen byte for byte). Only the narrow output narrows.
 */
#include "formatp.h"

/*
 * Where output goes. Length counts every character produced, stored or not, because
 * the return value must be the untruncated length; only the first Size - 1 are stored.
 */
typedef struct _RTLP_OUTPUT {
    PVOID Buffer;           /* CHARs, or WCHARs when Wide */
    SIZE_T Limit;           /* characters that may be stored */
    SIZE_T Length;
    BOOLEAN Wide;
} RTLP_OUTPUT, *PRTLP_OUTPUT;

static const CHAR RtlpNullString[] = "(null)";

/* Narrow characters are passed as their byte value (0-255), so they widen as Latin-1. */
static VOID RtlpPutChar(PRTLP_OUTPUT Output, WCHAR Character)
{
    if (Output->Length < Output->Limit) {
        if (Output->Wide) {
            ((PWCHAR)Output->Buffer)[Output->Length] = Character;
        } else {
            ((PCHAR)Output->Buffer)[Output->Length] = (CHAR)Character;
        }
    }
    Output->Length++;
}

static VOID RtlpPutRepeated(PRTLP_OUTPUT Output, CHAR Character, SIZE_T Count)
{
    while (Count-- != 0) {
        RtlpPutChar(Output, Character);
    }
}

static VOID RtlpPutRange(PRTLP_OUTPUT Output, PCSTR Start, PCSTR End)
{
    while (Start < End) {
        RtlpPutChar(Output, (UCHAR)*Start++);
    }
}

/* The debug output is plain ASCII: anything a byte cannot show faithfully is '?'. */
static CHAR RtlpNarrowChar(WCHAR Character)
{
    return Character <= 0x7F ? (CHAR)Character : '?';
}

/*
 * Writes the digits of Value into Digits, least significant first, and returns how
 * many. Powers of two use shifts; base 10 uses the 64/32 helper (no libgcc).
 * Digits must hold 22 characters (a 64-bit value in octal).
 */
static ULONG RtlpConvertDigits(ULONGLONG Value, ULONG Base, BOOLEAN UpperCase, PCHAR Digits)
{
    PCSTR DigitChars = UpperCase ? "0123456789ABCDEF" : "0123456789abcdef";
    ULONG Count = 0;

    do {
        ULONG Digit;

        if (Base == 10) {
            Value = RtlpDivide64By32(Value, 10, &Digit);
        } else {
            Digit = (ULONG)Value & (Base - 1);
            Value >>= (Base == 16) ? 4 : 3;
        }
        Digits[Count++] = DigitChars[Digit];
    } while (Value != 0);

    return Count;
}

/*
 * Prints a number as [padding][sign][prefix][zeros][digits][padding].
 * Sign is 0 when none is printed. The C rules implemented here: a precision is the
 * minimum digit count and disables the '0' flag; precision 0 prints no digits for the
 * value 0; '#' with 'o' forces a leading zero digit; '#' with 'x' adds 0x only when the
 * value is not 0.
 */
static VOID RtlpFormatInteger(PRTLP_OUTPUT Output,
                              PCRTLP_FORMAT_SPEC Spec,
                              ULONGLONG Magnitude,
                              CHAR Sign,
                              ULONG Base,
                              BOOLEAN UpperCase)
{
    CHAR Digits[24];
    ULONG DigitCount;
    ULONG ZeroCount = 0;
    ULONG PrefixLength = 0;
    ULONG BodyLength;
    ULONG Padding = 0;

    DigitCount = RtlpConvertDigits(Magnitude, Base, UpperCase, Digits);
    if (Spec->Precision == 0 && Magnitude == 0) {
        DigitCount = 0;
    }
    if (Spec->Precision > 0 && (ULONG)Spec->Precision > DigitCount) {
        ZeroCount = (ULONG)Spec->Precision - DigitCount;
    }

    if (Spec->Flags & RTLP_FLAG_ALTERNATE) {
        if (Base == 8 && ZeroCount == 0 &&
            (DigitCount == 0 || Digits[DigitCount - 1] != '0')) {
            ZeroCount = 1;
        } else if (Base == 16 && Magnitude != 0) {
            PrefixLength = 2;
        }
    }

    BodyLength = (Sign != 0 ? 1 : 0) + PrefixLength + ZeroCount + DigitCount;
    if (Spec->Width > BodyLength) {
        Padding = Spec->Width - BodyLength;
    }

    /* The '0' flag turns the width padding into leading zeros after sign and prefix. */
    if (!(Spec->Flags & RTLP_FLAG_LEFT) && (Spec->Flags & RTLP_FLAG_ZERO) &&
        Spec->Precision == RTLP_NO_PRECISION) {
        ZeroCount += Padding;
        Padding = 0;
    }

    if (!(Spec->Flags & RTLP_FLAG_LEFT)) {
        RtlpPutRepeated(Output, ' ', Padding);
    }
    if (Sign != 0) {
        RtlpPutChar(Output, Sign);
    }
    if (PrefixLength != 0) {
        RtlpPutChar(Output, '0');
        RtlpPutChar(Output, UpperCase ? 'X' : 'x');
    }
    RtlpPutRepeated(Output, '0', ZeroCount);
    while (DigitCount != 0) {
        RtlpPutChar(Output, Digits[--DigitCount]);
    }
    if (Spec->Flags & RTLP_FLAG_LEFT) {
        RtlpPutRepeated(Output, ' ', Padding);
    }
}

static VOID RtlpFormatSigned(PRTLP_OUTPUT Output, PCRTLP_FORMAT_SPEC Spec, LONGLONG Value)
{
    CHAR Sign = 0;
    ULONGLONG Magnitude = (ULONGLONG)Value;

    if (Value < 0) {
        Sign = '-';
        /* Negate in unsigned arithmetic: -LLONG_MIN does not exist as a LONGLONG. */
        Magnitude = 0 - Magnitude;
    } else if (Spec->Flags & RTLP_FLAG_PLUS) {
        Sign = '+';
    } else if (Spec->Flags & RTLP_FLAG_SPACE) {
        Sign = ' ';
    }
    RtlpFormatInteger(Output, Spec, Magnitude, Sign, 10, FALSE);
}

/* NT prints pointers as %.8X: fixed width, upper case, no prefix. */
static VOID RtlpFormatPointer(PRTLP_OUTPUT Output, PCRTLP_FORMAT_SPEC Spec, PVOID Pointer)
{
    RTLP_FORMAT_SPEC PointerSpec = *Spec;

    PointerSpec.Flags &= RTLP_FLAG_LEFT;
    if (PointerSpec.Precision < (LONG)(2 * sizeof(PVOID))) {
        PointerSpec.Precision = (LONG)(2 * sizeof(PVOID));
    }
    RtlpFormatInteger(Output, &PointerSpec, (ULONG_PTR)Pointer, 0, 16, TRUE);
}

/*
 * Prints Count characters of a narrow (Wide == FALSE) or WCHAR string, padded to the
 * width with spaces. The caller has already applied the precision to Count.
 */
static VOID RtlpFormatText(PRTLP_OUTPUT Output,
                           PCRTLP_FORMAT_SPEC Spec,
                           PCVOID Text,
                           SIZE_T Count,
                           BOOLEAN Wide)
{
    SIZE_T Padding = Spec->Width > Count ? Spec->Width - Count : 0;
    SIZE_T Index;

    if (!(Spec->Flags & RTLP_FLAG_LEFT)) {
        RtlpPutRepeated(Output, ' ', Padding);
    }
    for (Index = 0; Index < Count; Index++) {
        if (Wide) {
            WCHAR Character = ((PCWSTR)Text)[Index];
            RtlpPutChar(Output, Output->Wide ? Character : (WCHAR)RtlpNarrowChar(Character));
        } else {
            RtlpPutChar(Output, ((const UCHAR *)Text)[Index]);
        }
    }
    if (Spec->Flags & RTLP_FLAG_LEFT) {
        RtlpPutRepeated(Output, ' ', Padding);
    }
}

/* The precision caps the number of characters; without one there is no cap. */
static SIZE_T RtlpCapLength(PCRTLP_FORMAT_SPEC Spec, SIZE_T Length)
{
    if (Spec->Precision != RTLP_NO_PRECISION && (SIZE_T)Spec->Precision < Length) {
        return (SIZE_T)Spec->Precision;
    }
    return Length;
}

static VOID RtlpFormatNull(PRTLP_OUTPUT Output, PCRTLP_FORMAT_SPEC Spec)
{
    RtlpFormatText(Output,
                   Spec,
                   RtlpNullString,
                   RtlpCapLength(Spec, sizeof(RtlpNullString) - 1),
                   FALSE);
}

/* A NUL-terminated string; with a precision it is not read beyond that many characters. */
static VOID RtlpFormatString(PRTLP_OUTPUT Output, PCRTLP_FORMAT_SPEC Spec, PCVOID String, BOOLEAN Wide)
{
    SIZE_T Length = 0;
    SIZE_T Limit = RtlpCapLength(Spec, (SIZE_T)-1);

    if (String == NULL) {
        RtlpFormatNull(Output, Spec);
        return;
    }

    if (Wide) {
        PCWSTR WideString = String;

        while (Length < Limit && WideString[Length] != 0) {
            Length++;
        }
    } else {
        Length = strnlen(String, Limit);
    }
    RtlpFormatText(Output, Spec, String, Length, Wide);
}

/*
 * %Z and %wZ: counted strings. The two structures have the same layout (USHORT
 * Length, USHORT MaximumLength, buffer pointer), and Length is in bytes for both,
 * so a UNICODE_STRING holds Length / 2 characters (an odd trailing byte is ignored).
 */
static VOID RtlpFormatCounted(PRTLP_OUTPUT Output, PCRTLP_FORMAT_SPEC Spec, PCVOID Counted, BOOLEAN Wide)
{
    if (Wide) {
        PCUNICODE_STRING String = Counted;

        if (String == NULL || String->Buffer == NULL) {
            RtlpFormatNull(Output, Spec);
            return;
        }
        RtlpFormatText(Output,
                       Spec,
                       String->Buffer,
                       RtlpCapLength(Spec, String->Length / sizeof(WCHAR)),
                       TRUE);
    } else {
        PCANSI_STRING String = Counted;

        if (String == NULL || String->Buffer == NULL) {
            RtlpFormatNull(Output, Spec);
            return;
        }
        RtlpFormatText(Output, Spec, String->Buffer, RtlpCapLength(Spec, String->Length), FALSE);
    }
}

static VOID RtlpFormatChar(PRTLP_OUTPUT Output, PCRTLP_FORMAT_SPEC Spec, int Argument, BOOLEAN Wide)
{
    WCHAR WideCharacter = (WCHAR)Argument;
    CHAR Character = (CHAR)Argument;
    RTLP_FORMAT_SPEC CharSpec = *Spec;

    /* A precision means nothing for %c; do not let it cut the character. */
    CharSpec.Precision = RTLP_NO_PRECISION;
    if (Wide) {
        RtlpFormatText(Output, &CharSpec, &WideCharacter, 1, TRUE);
    } else {
        RtlpFormatText(Output, &CharSpec, &Character, 1, FALSE);
    }
}

/* l and w make c, s and Z wide; an upper-case C or S is wide unless h says otherwise
   (in a wide format the other way round: the lower-case ones are wide). */
static BOOLEAN RtlpIsWide(PCRTLP_FORMAT_SPEC Spec, BOOLEAN WideByDefault)
{
    if (Spec->Length == RtlpLengthLong || Spec->Length == RtlpLengthWide) {
        return TRUE;
    }
    if (Spec->Length == RtlpLengthShort) {
        return FALSE;
    }
    return WideByDefault;
}

/*
 * Formats one conversion. Returns FALSE when Conversion is not one we know, in which
 * case nothing was printed and no argument was consumed.
 */
static BOOLEAN RtlpFormatConversion(PRTLP_OUTPUT Output,
                                    PCRTLP_FORMAT_SPEC Spec,
                                    CHAR Conversion,
                                    va_list *Args)
{
    switch (Conversion) {
    case 'd':
    case 'i':
        RtlpFormatSigned(Output, Spec, RtlpFetchSigned(Args, Spec->Length));
        return TRUE;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 'a':
    case 'A':
        /* A double's 8 bytes, read as an integer of that size (no x87 here). */
        (VOID)va_arg(*Args, ULONGLONG);
        return FALSE;
    case 'u':
        RtlpFormatInteger(Output, Spec, RtlpFetchUnsigned(Args, Spec->Length), 0, 10, FALSE);
        return TRUE;
    case 'x':
        RtlpFormatInteger(Output, Spec, RtlpFetchUnsigned(Args, Spec->Length), 0, 16, FALSE);
        return TRUE;
    case 'X':
        RtlpFormatInteger(Output, Spec, RtlpFetchUnsigned(Args, Spec->Length), 0, 16, TRUE);
        return TRUE;
    case 'o':
        RtlpFormatInteger(Output, Spec, RtlpFetchUnsigned(Args, Spec->Length), 0, 8, FALSE);
        return TRUE;
    case 'p':
        RtlpFormatPointer(Output, Spec, va_arg(*Args, PVOID));
        return TRUE;
    case 'c':
    case 'C':
        RtlpFormatChar(Output, Spec, va_arg(*Args, int), RtlpIsWide(Spec, (Conversion == 'C') != Output->Wide));
        return TRUE;
    case 's':
    case 'S':
        RtlpFormatString(Output, Spec, va_arg(*Args, PCVOID), RtlpIsWide(Spec, (Conversion == 'S') != Output->Wide));
        return TRUE;
    case 'Z':
        RtlpFormatCounted(Output, Spec, va_arg(*Args, PCVOID), RtlpIsWide(Spec, FALSE));
        return TRUE;
    case '%':
        RtlpPutChar(Output, '%');
        return TRUE;
    default:
        return FALSE;
    }
}

/* The narrow format's loop. */
static VOID RtlpFormatNarrow(PRTLP_OUTPUT Output, PCSTR Format, va_list *Args)
{
    RTLP_FORMAT_SPEC Spec;

    while (*Format != '\0') {
        PCSTR Start = Format;

        if (*Format != '%') {
            RtlpPutChar(Output, (UCHAR)*Format++);
            continue;
        }

        Format++;
        RtlpParseSpec(&Format, Args, &Spec);
        if (*Format == '\0') {
            /* The format ends inside a specification: print what there is. */
            RtlpPutRange(Output, Start, Format);
            break;
        }
        if (!RtlpFormatConversion(Output, &Spec, *Format, Args)) {
            RtlpPutRange(Output, Start, Format + 1);
        }
        Format++;
    }
}

/*
 * The wide format's loop. A specification is ASCII, so each one is copied into a
 * narrow buffer and parsed there by the same code; a non-ASCII character ends the
 * copy and is then no conversion letter (an unknown conversion, printed as is).
 */
static VOID RtlpFormatWide(PRTLP_OUTPUT Output, PCWSTR Format, va_list *Args)
{
    RTLP_FORMAT_SPEC Spec;
    CHAR Narrow[64];

    while (*Format != 0) {
        ULONG Count = 0;
        PCSTR Cursor;

        if (*Format != '%') {
            RtlpPutChar(Output, *Format++);
            continue;
        }

        while (Count < sizeof(Narrow) - 1 && Format[Count] != 0 && Format[Count] < 0x80) {
            Narrow[Count] = (CHAR)Format[Count];
            Count++;
        }
        Narrow[Count] = '\0';
        Cursor = Narrow + 1;
        RtlpParseSpec(&Cursor, Args, &Spec);
        if (*Cursor == '\0') {
            /* Cut by the end of the format or a non-ASCII character: print it as it
               was and go on after it (at the end, that is the end). */
            RtlpPutRange(Output, Narrow, Cursor);
            Format += Cursor - Narrow;
            continue;
        }
        if (!RtlpFormatConversion(Output, &Spec, *Cursor, Args)) {
            RtlpPutRange(Output, Narrow, Cursor + 1);
        }
        Format += Cursor + 1 - Narrow;
    }
}

SIZE_T RtlFormatCharacters(PVOID Buffer, SIZE_T Limit, BOOLEAN Wide, PCVOID Format, va_list Args)
{
    RTLP_OUTPUT Output;
    va_list ArgsCopy;

    Output.Buffer = Buffer;
    Output.Limit = Limit;
    Output.Length = 0;
    Output.Wide = Wide;

    /* The helpers take a va_list pointer so that every one of them advances the same
       list; a local copy makes taking its address portable. */
    va_copy(ArgsCopy, Args);
    if (Wide) {
        RtlpFormatWide(&Output, Format, &ArgsCopy);
    } else {
        RtlpFormatNarrow(&Output, Format, &ArgsCopy);
    }
    va_end(ArgsCopy);
    return Output.Length;
}

int RtlStringVPrintf(PCHAR Buffer, SIZE_T Size, PCSTR Format, va_list Args)
{
    SIZE_T Limit = Size != 0 ? Size - 1 : 0;
    SIZE_T Length = RtlFormatCharacters(Buffer, Limit, FALSE, Format, Args);

    if (Size != 0) {
        Buffer[Length < Limit ? Length : Limit] = '\0';
    }

    /* C99: an output longer than INT_MAX cannot be reported; that is an error. */
    if (Length > 0x7FFFFFFF) {
        return -1;
    }
    return (int)Length;
}

int RtlStringPrintf(PCHAR Buffer, SIZE_T Size, PCSTR Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = RtlStringVPrintf(Buffer, Size, Format, Args);
    va_end(Args);
    return Length;
}

/*
 * formatp.h - what format.c (the output engine) and formatspec.c (the parser of one
 * conversion specification) share: the parsed form of a "%-08.3I64x".
 */
#ifndef _RTL_FORMATP_H
#define _RTL_FORMATP_H

#include <rtl.h>

/* Flag characters. */
#define RTLP_FLAG_LEFT      0x01    /* '-': pad on the right */
#define RTLP_FLAG_ZERO      0x02    /* '0': pad numbers with zeros */
#define RTLP_FLAG_PLUS      0x04    /* '+': always print a sign */
#define RTLP_FLAG_SPACE     0x08    /* ' ': a space where '+' would go */
#define RTLP_FLAG_ALTERNATE 0x10    /* '#': 0x / 0X prefix, leading 0 for octal */

#define RTLP_NO_PRECISION   (-1)
#define RTLP_MAX_NUMBER     0x7FFFFFFF  /* width and precision saturate here */

typedef enum _RTLP_LENGTH {
    RtlpLengthDefault,      /* int */
    RtlpLengthChar,         /* hh */
    RtlpLengthShort,        /* h; also "narrow" for c, s, S, C, Z */
    RtlpLengthLong,         /* l: long for integers, "wide" for c and s */
    RtlpLengthLongLong,     /* ll, I64, j */
    RtlpLengthPointer,      /* z, t, I: pointer-sized */
    RtlpLengthWide,         /* w: Microsoft's "wide" for c, s, Z */
} RTLP_LENGTH;

/* One parsed conversion specification. */
typedef struct _RTLP_FORMAT_SPEC {
    ULONG Flags;
    ULONG Width;
    LONG Precision;         /* RTLP_NO_PRECISION when none was given */
    RTLP_LENGTH Length;
} RTLP_FORMAT_SPEC, *PRTLP_FORMAT_SPEC;
typedef const RTLP_FORMAT_SPEC *PCRTLP_FORMAT_SPEC;

/* Parses flags, width, precision and length modifier after the '%'; leaves *Format at
   the conversion character. '*' arguments are fetched here, in the order C specifies. */
VOID RtlpParseSpec(PCSTR *Format, va_list *Args, PRTLP_FORMAT_SPEC Spec);

/* An integer argument of the modifier's width (hh, h, l, ll/I64/j, z/t/I). */
ULONGLONG RtlpFetchUnsigned(va_list *Args, RTLP_LENGTH Length);
LONGLONG RtlpFetchSigned(va_list *Args, RTLP_LENGTH Length);

#endif

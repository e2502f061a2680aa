/*
 * crtctype.c - toupper, tolower, _toupper, _tolower, towupper, towlower as ntdll
 * exports them (cdecl).
 * The narrow pair is the "C" locale's: ASCII letters only, anything else (EOF
 * included) unchanged. towupper is RtlUpcaseUnicodeChar (upcase.c), which is what
 * NT's ntdll uses; towlower is its inverse for ASCII and Latin-1, the letters the
 * runtime's own callers meet.
 *
 * The classification routines (isalpha ... isxdigit) are the "C" locale's too,
 * returning, as MSVCRT's do, the _ctype mask bit of the class (nonzero) rather
 * than 1: _UPPER 1, _LOWER 2, _DIGIT 4, _SPACE 8, _PUNCT 0x10, _CONTROL 0x20,
 * _BLANK 0x40, _HEX 0x80, and isalpha = _UPPER|_LOWER... Anything outside 0..127
 * is in no class. The wide ones (isw*) are the same for ASCII and also count
 * Latin-1's letters (0xC0-0xFF but the two signs 0xD7, 0xF7) as letters and 0xA0
 * as a space.
 */
#include "rtlp.h"

int toupper(int Character)
{
    return Character >= 'a' && Character <= 'z' ? Character - 'a' + 'A' : Character;
}

int tolower(int Character)
{
    return Character >= 'A' && Character <= 'Z' ? Character - 'A' + 'a' : Character;
}

/* Microsoft's unchecked forms: the caller promises a letter of the other case,
   and any other value is shifted all the same (MSVCRT's macros do so). */
int __cdecl _toupper(int Character)
{
    return Character - 'a' + 'A';
}

int __cdecl _tolower(int Character)
{
    return Character - 'A' + 'a';
}

WCHAR towupper(WCHAR Character)
{
    return RtlUpcaseUnicodeChar(Character);
}

WCHAR towlower(WCHAR Character)
{
    if ((Character >= 'A' && Character <= 'Z') ||
        (Character >= 0xC0 && Character <= 0xDE && Character != 0xD7))
        return (WCHAR)(Character + 0x20);
    return Character;
}

#define RTLP_UPPER   0x01
#define RTLP_LOWER   0x02
#define RTLP_DIGIT   0x04
#define RTLP_SPACE   0x08
#define RTLP_PUNCT   0x10
#define RTLP_CONTROL 0x20
#define RTLP_BLANK   0x40
#define RTLP_HEX     0x80

/* The class bits of an ASCII character (0..127; 0 for anything else). */
static int RtlpCharClass(int Character)
{
    int Class = 0;

    if (Character < 0 || Character > 127)
        return 0;
    if (Character < 0x20 || Character == 0x7F)
        Class |= RTLP_CONTROL;
    if (Character == ' ' || (Character >= '\t' && Character <= '\r'))
        Class |= RTLP_SPACE;
    if (Character == ' ')
        Class |= RTLP_BLANK;
    if (Character >= 'A' && Character <= 'Z')
        Class |= RTLP_UPPER;
    if (Character >= 'a' && Character <= 'z')
        Class |= RTLP_LOWER;
    if (Character >= '0' && Character <= '9')
        Class |= RTLP_DIGIT | RTLP_HEX;
    if ((Character >= 'A' && Character <= 'F') || (Character >= 'a' && Character <= 'f'))
        Class |= RTLP_HEX;
    if (Character > 0x20 && Character < 0x7F && !(Class & (RTLP_UPPER | RTLP_LOWER | RTLP_DIGIT)))
        Class |= RTLP_PUNCT;
    return Class;
}

/* Latin-1's letters count too in the wide forms. */
static int RtlpWideClass(WCHAR Character)
{
    if (Character < 0x80)
        return RtlpCharClass(Character);
    if (Character == 0xA0)
        return RTLP_SPACE | RTLP_BLANK;
    if (Character >= 0xC0 && Character <= 0xDE && Character != 0xD7)
        return RTLP_UPPER;
    if (Character >= 0xDF && Character <= 0xFF && Character != 0xF7)
        return RTLP_LOWER;
    if (Character >= 0xA1 && Character <= 0xBF)
        return RTLP_PUNCT;
    return 0;
}

int isalpha(int Character) { return RtlpCharClass(Character) & (RTLP_UPPER | RTLP_LOWER); }
int isupper(int Character) { return RtlpCharClass(Character) & RTLP_UPPER; }
int islower(int Character) { return RtlpCharClass(Character) & RTLP_LOWER; }
int isdigit(int Character) { return RtlpCharClass(Character) & RTLP_DIGIT; }
int isxdigit(int Character) { return RtlpCharClass(Character) & RTLP_HEX; }
int isspace(int Character) { return RtlpCharClass(Character) & RTLP_SPACE; }
int ispunct(int Character) { return RtlpCharClass(Character) & RTLP_PUNCT; }
int isalnum(int Character) { return RtlpCharClass(Character) & (RTLP_UPPER | RTLP_LOWER | RTLP_DIGIT); }
int isprint(int Character)
{
    return (Character == ' ' ? RTLP_BLANK : 0) |
           (RtlpCharClass(Character) & (RTLP_UPPER | RTLP_LOWER | RTLP_DIGIT | RTLP_PUNCT));
}
int isgraph(int Character) { return RtlpCharClass(Character) & (RTLP_UPPER | RTLP_LOWER | RTLP_DIGIT | RTLP_PUNCT); }
int iscntrl(int Character) { return RtlpCharClass(Character) & RTLP_CONTROL; }
int __isascii(int Character) { return (unsigned)Character < 0x80; }
int __toascii(int Character) { return Character & 0x7F; }

int iswalpha(WCHAR Character) { return RtlpWideClass(Character) & (RTLP_UPPER | RTLP_LOWER); }
int iswlower(WCHAR Character) { return RtlpWideClass(Character) & RTLP_LOWER; }
int iswdigit(WCHAR Character) { return RtlpWideClass(Character) & RTLP_DIGIT; }
int iswxdigit(WCHAR Character) { return RtlpWideClass(Character) & RTLP_HEX; }
int iswspace(WCHAR Character) { return RtlpWideClass(Character) & RTLP_SPACE; }
int iswalnum(WCHAR Character) { return RtlpWideClass(Character) & (RTLP_UPPER | RTLP_LOWER | RTLP_DIGIT); }
int iswgraph(WCHAR Character) { return RtlpWideClass(Character) & (RTLP_UPPER | RTLP_LOWER | RTLP_DIGIT | RTLP_PUNCT); }
int iswprint(WCHAR Character)
{
    return (Character == ' ' || Character == 0xA0 ? RTLP_BLANK : 0) |
           (RtlpWideClass(Character) & (RTLP_UPPER | RTLP_LOWER | RTLP_DIGIT | RTLP_PUNCT));
}
int iswascii(WCHAR Character) { return Character < 0x80; }

/* MinGW's <wctype.h> tests classes through this one: Mask is _ctype bits
   (_ALPHA is _UPPER|_LOWER plus 0x100, a bit no ASCII or Latin-1 class sets here). */
int iswctype(WCHAR Character, USHORT Mask)
{
    return RtlpWideClass(Character) & Mask;
}

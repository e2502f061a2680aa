/*
 * crtctype.c - toupper, tolower, towupper, towlower as ntdll exports them (cdecl).
 * The narrow pair is the "C" locale's: ASCII letters only, anything else (EOF
 * included) unchanged. towupper is RtlUpcaseUnicodeChar (upcase.c), which is what
 * NT's ntdll uses; towlower is its inverse for ASCII and Latin-1, the letters the
 * runtime's own callers meet.
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

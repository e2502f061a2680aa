/*
 * downcase.c - RtlDowncaseUnicodeChar and RtlDowncaseUnicodeString: the inverse
 * of upcase.c's rules, over the same scripts (ASCII, Latin-1, Latin Extended-A,
 * Greek, Cyrillic, fullwidth Latin), so that a character this lowers upcases
 * back to itself. Letters with no one-to-one partner (dotted capital I, the
 * Greek final sigma's capital, which is sigma's) lower to their usual small
 * letter or stay as they are; everything outside those scripts is unchanged.
 */
#include "rtlp.h"

WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR Character)
{
    if (Character < 'A')
        return Character;
    if (Character <= 'Z')
        return (WCHAR)(Character + ('a' - 'A'));
    if (Character < 0xC0)
        return Character;
    if (Character <= 0xDE && Character != 0xD7)
        return (WCHAR)(Character + 0x20);
    if (Character == 0x0178)                        /* Y diaeresis */
        return 0xFF;
    /* Latin Extended-A: capitals on even code points, small on odd, except
       0139-0148 and 0179-017E (capitals odd) and the letters with no pair. */
    if (Character >= 0x0100 && Character <= 0x017F) {
        if (Character == 0x0130 || Character == 0x0131 || Character == 0x0138 || Character == 0x0149 ||
            Character == 0x017F)
            return Character;
        if ((Character >= 0x0139 && Character <= 0x0148) || (Character >= 0x0179 && Character <= 0x017E))
            return (Character & 1) != 0 ? (WCHAR)(Character + 1) : Character;
        return (Character & 1) == 0 ? (WCHAR)(Character + 1) : Character;
    }
    /* Greek: Alpha-Omega and the two dialytika capitals (03A2 is unassigned), the
       accented capitals. */
    if (Character >= 0x0391 && Character <= 0x03AB && Character != 0x03A2)
        return (WCHAR)(Character + 0x20);
    if (Character == 0x0386)
        return 0x03AC;
    if (Character >= 0x0388 && Character <= 0x038A)
        return (WCHAR)(Character + 0x25);
    if (Character == 0x038C)
        return 0x03CC;
    if (Character == 0x038E || Character == 0x038F)
        return (WCHAR)(Character + 0x3F);
    /* Cyrillic: A-Ya, then the 0400-040F capitals whose small letters are at 0450. */
    if (Character >= 0x0410 && Character <= 0x042F)
        return (WCHAR)(Character + 0x20);
    if (Character >= 0x0400 && Character <= 0x040F)
        return (WCHAR)(Character + 0x50);
    /* Fullwidth Latin capital letters. */
    if (Character >= 0xFF21 && Character <= 0xFF3A)
        return (WCHAR)(Character + 0x20);
    return Character;
}

NTSTATUS NTAPI RtlDowncaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                        BOOLEAN AllocateDestinationString)
{
    return RtlpMapUnicodeString(DestinationString, SourceString, AllocateDestinationString, RtlDowncaseUnicodeChar);
}

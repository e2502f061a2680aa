/*
 * upcase.c - RtlUpcaseUnicodeChar and RtlUpcaseUnicodeString (downcase.c has the
 * inverse). NT upcases through the system's casing table (l_intl.nls, PEB->UnicodeCaseTableData); without that
 * file the common scripts' rules are computed here: ASCII, Latin-1, Latin
 * Extended-A, Greek and Cyrillic (and fullwidth Latin). Everything else is its
 * own upper case: case-blind compares of such names (environment variables,
 * paths) see different cases as different names.
 */
#include "rtlp.h"

WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR Character)
{
    if (Character < 'a')
        return Character;
    if (Character <= 'z')
        return (WCHAR)(Character - ('a' - 'A'));
    if (Character < 0xB5)
        return Character;
    if (Character == 0xB5)                          /* micro sign -> Greek capital mu */
        return 0x039C;
    if (Character >= 0xE0 && Character <= 0xFE && Character != 0xF7)
        return (WCHAR)(Character - 0x20);
    if (Character == 0xFF)                          /* y diaeresis */
        return 0x0178;
    /* Latin Extended-A pairs capital/small on even/odd, except 0139-0148 and
       0179-017E (odd/even) and the dotless i and long s. */
    if (Character >= 0x0100 && Character <= 0x017F) {
        if (Character == 0x0131)
            return 'I';
        if (Character == 0x017F)
            return 'S';
        if ((Character >= 0x0139 && Character <= 0x0148) || (Character >= 0x0179 && Character <= 0x017E))
            return (Character & 1) == 0 ? (WCHAR)(Character - 1) : Character;
        if (Character == 0x0138 || Character == 0x0149)
            return Character;
        return (Character & 1) != 0 ? (WCHAR)(Character - 1) : Character;
    }
    /* Greek: alpha-omega (final sigma upcases to sigma), the accented small letters. */
    if (Character >= 0x03B1 && Character <= 0x03CB)
        return Character == 0x03C2 ? 0x03A3 : (WCHAR)(Character - 0x20);
    if (Character == 0x03AC)
        return 0x0386;
    if (Character >= 0x03AD && Character <= 0x03AF)
        return (WCHAR)(Character - 0x25);
    if (Character == 0x03CC)
        return 0x038C;
    if (Character == 0x03CD || Character == 0x03CE)
        return (WCHAR)(Character - 0x3F);
    /* Cyrillic: a-ya, then the 0450-045F letters whose capitals are at 0400. */
    if (Character >= 0x0430 && Character <= 0x044F)
        return (WCHAR)(Character - 0x20);
    if (Character >= 0x0450 && Character <= 0x045F)
        return (WCHAR)(Character - 0x50);
    /* Fullwidth Latin small letters. */
    if (Character >= 0xFF41 && Character <= 0xFF5A)
        return (WCHAR)(Character - 0x20);
    return Character;
}

/*
 * Each character of SourceString through Map into DestinationString (shared with
 * RtlDowncaseUnicodeString, downcase.c): NT's rules for both.
 */
NTSTATUS RtlpMapUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                              BOOLEAN AllocateDestinationString, WCHAR (NTAPI *Map)(WCHAR))
{
    ULONG Count = SourceString->Length / sizeof(WCHAR);
    /* Whole characters and a NUL - unless that no longer fits a USHORT (a source
       of 32767 characters): then the characters alone, unterminated. */
    ULONG Room = Count * sizeof(WCHAR) + sizeof(WCHAR);

    if (Room > 0xFFFF)
        Room = Count * sizeof(WCHAR);
    if (AllocateDestinationString) {
        DestinationString->Buffer = RtlpAllocate(Room);
        if (DestinationString->Buffer == NULL)
            return STATUS_NO_MEMORY;
        DestinationString->MaximumLength = (USHORT)Room;
    } else if (SourceString->Length > DestinationString->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    /* Index by index, so the destination may be the source itself. */
    for (ULONG Index = 0; Index < Count; Index++)
        DestinationString->Buffer[Index] = Map(SourceString->Buffer[Index]);
    DestinationString->Length = (USHORT)(Count * sizeof(WCHAR));
    if (AllocateDestinationString && Room > Count * sizeof(WCHAR))
        DestinationString->Buffer[Count] = 0;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                      BOOLEAN AllocateDestinationString)
{
    return RtlpMapUnicodeString(DestinationString, SourceString, AllocateDestinationString, RtlUpcaseUnicodeChar);
}

/*
 * astring.c - comparing and upcasing 8-bit counted strings (NT: RtlCompareString,
 * RtlEqualString, RtlUpperString). The bytes are ANSI (code page 1252, nls.c);
 * a byte's upper case is its character's (upcase.c) when code page 1252 has that
 * character, else the byte itself (micro sign, sharp s), as NT's ANSI upcase table.
 */
#include "rtlp.h"

static CHAR RtlpUpperAnsiChar(CHAR Character)
{
    UCHAR Byte = (UCHAR)Character;
    WCHAR Upper;

    if (Byte < 0x80)
        return (CHAR)toupper(Byte);
    Upper = RtlUpcaseUnicodeChar(RtlpAnsiToUnicode(Byte));
    if (Upper == RtlpAnsiToUnicode(Byte))
        return Character;
    Byte = RtlpUnicodeToAnsi(Upper);
    return Byte == '?' ? Character : (CHAR)Byte;
}

/* Byte by byte (upcased first when asked), then the shorter string first: NT's order. */
LONG NTAPI RtlCompareString(PCSTRING String1, PCSTRING String2, BOOLEAN CaseInSensitive)
{
    USHORT Count = String1->Length < String2->Length ? String1->Length : String2->Length;

    for (USHORT Index = 0; Index < Count; Index++) {
        CHAR A = String1->Buffer[Index], B = String2->Buffer[Index];

        if (CaseInSensitive) {
            A = RtlpUpperAnsiChar(A);
            B = RtlpUpperAnsiChar(B);
        }
        if (A != B)
            return (LONG)(UCHAR)A - (LONG)(UCHAR)B;
    }
    return (LONG)String1->Length - (LONG)String2->Length;
}

BOOLEAN NTAPI RtlEqualString(PCSTRING String1, PCSTRING String2, BOOLEAN CaseInSensitive)
{
    if (String1->Length != String2->Length)
        return FALSE;
    return RtlCompareString(String1, String2, CaseInSensitive) == 0;
}

/* As much of SourceString as DestinationString holds, upcased (NT truncates silently). */
VOID NTAPI RtlUpperString(PSTRING DestinationString, PCSTRING SourceString)
{
    USHORT Count = SourceString->Length;

    if (Count > DestinationString->MaximumLength)
        Count = DestinationString->MaximumLength;
    for (USHORT Index = 0; Index < Count; Index++)
        DestinationString->Buffer[Index] = RtlpUpperAnsiChar(SourceString->Buffer[Index]);
    DestinationString->Length = Count;
}

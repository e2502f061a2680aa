/*
 * ldrstr.c - the string work of the loader: DLL names come ANSI from import
 * tables and UTF-16 from callers and the PEB; they are compared without case
 * (NT's file names are case-blind) and glued into paths. Names and paths are
 * ASCII in practice; characters above 0x7F are compared exactly and narrowed
 * to '?', which is enough for the messages the names end up in.
 */
#include "ldrp.h"

ULONG LdrpWideLength(PCWSTR String)
{
    ULONG Length = 0;

    while (String[Length] != 0)
        Length++;
    return Length;
}

static WCHAR LdrpDownCase(WCHAR Char)
{
    return (Char >= 'A' && Char <= 'Z') ? (WCHAR)(Char + ('a' - 'A')) : Char;
}

BOOLEAN LdrpEqualWide(PCWSTR A, ULONG LengthA, PCWSTR B, ULONG LengthB)
{
    ULONG Index;

    if (LengthA != LengthB)
        return FALSE;
    for (Index = 0; Index < LengthA; Index++)
        if (LdrpDownCase(A[Index]) != LdrpDownCase(B[Index]))
            return FALSE;
    return TRUE;
}

/* Widens a NUL-terminated ANSI string; returns its length, or 0 if it does not fit. */
ULONG LdrpAnsiToWide(PCSTR Ansi, PWSTR Wide, ULONG Capacity)
{
    ULONG Length = 0;

    while (Ansi[Length] != 0) {
        if (Length + 1 >= Capacity)
            return 0;
        Wide[Length] = (UCHAR)Ansi[Length];
        Length++;
    }
    Wide[Length] = 0;
    return Length;
}

ULONG LdrpWideToAnsi(PCWSTR Wide, ULONG Length, PSTR Ansi, ULONG Capacity)
{
    ULONG Index;

    for (Index = 0; Index < Length && Index + 1 < Capacity; Index++)
        Ansi[Index] = Wide[Index] < 0x80 ? (CHAR)Wide[Index] : '?';
    Ansi[Index] = 0;
    return Index;
}

/* Appends Length characters at Used; returns the new length, or Capacity when they did not fit. */
ULONG LdrpAppend(PWSTR Buffer, ULONG Used, ULONG Capacity, PCWSTR Text, ULONG Length)
{
    ULONG Index;

    if (Used >= Capacity || Length >= Capacity - Used)
        return Capacity;
    for (Index = 0; Index < Length; Index++)
        Buffer[Used + Index] = Text[Index];
    Buffer[Used + Length] = 0;
    return Used + Length;
}

/*
 * An export table's name (NUL-terminated) against a name of Length characters,
 * compared where they lie, however long: export names are sorted by their bytes,
 * case and all (the linker's order), and the shorter of two equal prefixes first.
 * ExportName has Limit bytes of image under it: one that runs off the image
 * before its NUL matches nothing, and is read no further.
 */
int LdrpCompareExportName(PCSTR ExportName, ULONG Limit, PCSTR Name, ULONG Length)
{
    ULONG Index;

    for (Index = 0; Index < Length; Index++) {
        if (Index >= Limit)
            return 1;
        if (ExportName[Index] == 0)
            return -1;                  /* shorter (or Name holds a NUL: never a match) */
        if (ExportName[Index] != Name[Index])
            return (int)(UCHAR)ExportName[Index] - (int)(UCHAR)Name[Index];
    }
    return Length >= Limit || ExportName[Length] != 0 ? 1 : 0;
}

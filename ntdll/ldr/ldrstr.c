/*
 * ldrstr.c - the string work of the loader: DLL names come ANSI from import
 * tables and UTF-16 from callers and the PEB; they are compared without case
 * (NT's file names are case-blind, by RtlUpcaseUnicodeChar's table) and glued
 * into paths. The code page and case tables are the runtime's (ntdll/rtl); the
 * loader keeps these few helpers because it works in fixed buffers of
 * characters, not counted strings. Names shown in messages are narrowed to
 * ASCII ('?' above 0x7F): the console shows bytes, not a code page.
 */
#include "ldrp.h"
#include "../rtl/rtlp.h"

ULONG LdrpWideLength(PCWSTR String)
{
    return (ULONG)wcslen(String);
}

BOOLEAN LdrpEqualWide(PCWSTR A, ULONG LengthA, PCWSTR B, ULONG LengthB)
{
    ULONG Index;

    if (LengthA != LengthB)
        return FALSE;
    for (Index = 0; Index < LengthA; Index++)
        if (A[Index] != B[Index] && RtlUpcaseUnicodeChar(A[Index]) != RtlUpcaseUnicodeChar(B[Index]))
            return FALSE;
    return TRUE;
}

/* Widens Length ANSI characters through the ANSI code page, as NT converts an
   import's DLL name, and ends them with a NUL: Wide holds Length + 1. */
VOID LdrpAnsiToWide(PCSTR Ansi, ULONG Length, PWSTR Wide)
{
    ULONG Bytes;

    RtlMultiByteToUnicodeN(Wide, Length * sizeof(WCHAR), &Bytes, Ansi, Length);
    Wide[Length] = 0;
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

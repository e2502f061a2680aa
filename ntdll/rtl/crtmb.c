/*
 * crtmb.c - mbstowcs and wcstombs as NT's ntdll exports them (cdecl): the
 * multibyte side is the runtime's ANSI code page, 1252 (nls.c), one byte per
 * character; a character 1252 lacks becomes '?', the code page's default, as
 * RtlUnicodeToMultiByteN makes it (MSVCRT's "C" locale would fail instead; ntdll
 * has no errno to fail with).
 *
 * C's rules otherwise: at most Count characters are written and the NUL only if
 * it fits, the count returned leaves the NUL out, and a NULL destination asks
 * for the count the whole string would take.
 */
#include "rtlp.h"

size_t __cdecl mbstowcs(WCHAR *Destination, const char *Source, size_t Count)
{
    size_t Index;

    if (Destination == NULL)
        return strlen(Source);
    for (Index = 0; Index < Count; Index++) {
        Destination[Index] = RtlpAnsiToUnicode((UCHAR)Source[Index]);
        if (Source[Index] == '\0')
            break;
    }
    return Index;
}

size_t __cdecl wcstombs(char *Destination, const WCHAR *Source, size_t Count)
{
    size_t Index;

    if (Destination == NULL)
        return wcslen(Source);
    for (Index = 0; Index < Count; Index++) {
        Destination[Index] = (char)RtlpUnicodeToAnsi(Source[Index]);
        if (Source[Index] == 0)
            break;
    }
    return Index;
}

/*
 * crtstr.c - the C library's string routines ntdll exports that the kernel's
 * kernel/rtl/string.c (also built into ntdll: memcpy, strlen, strcmp, _stricmp...)
 * does not have: the WCHAR ones and the narrow copies, appends and searches from
 * the end. cdecl, C semantics; the case-blind compares fold ASCII only, as
 * Microsoft's do in the "C" locale.
 */
#include "rtlp.h"

/* gcc must not turn these loops into calls to themselves (see kernel/rtl/string.c). */
#if defined(__GNUC__) && !defined(__clang__)
#define RTLP_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define RTLP_NO_LIBCALLS
#endif

static inline WCHAR RtlpFoldWide(WCHAR Character)
{
    return Character >= 'A' && Character <= 'Z' ? (WCHAR)(Character - 'A' + 'a') : Character;
}

RTLP_NO_LIBCALLS
size_t wcslen(const WCHAR *String)
{
    const WCHAR *End = String;

    while (*End != 0)
        End++;
    return (size_t)(End - String);
}

RTLP_NO_LIBCALLS
int wcscmp(const WCHAR *A, const WCHAR *B)
{
    while (*A != 0 && *A == *B) {
        A++;
        B++;
    }
    return (int)*A - (int)*B;
}

RTLP_NO_LIBCALLS
int wcsncmp(const WCHAR *A, const WCHAR *B, size_t Count)
{
    for (; Count != 0; Count--, A++, B++) {
        if (*A != *B || *A == 0)
            return (int)*A - (int)*B;
    }
    return 0;
}

RTLP_NO_LIBCALLS
int _wcsicmp(const WCHAR *A, const WCHAR *B)
{
    while (*A != 0 && RtlpFoldWide(*A) == RtlpFoldWide(*B)) {
        A++;
        B++;
    }
    return (int)RtlpFoldWide(*A) - (int)RtlpFoldWide(*B);
}

RTLP_NO_LIBCALLS
int _wcsnicmp(const WCHAR *A, const WCHAR *B, size_t Count)
{
    for (; Count != 0; Count--, A++, B++) {
        if (RtlpFoldWide(*A) != RtlpFoldWide(*B) || *A == 0)
            return (int)RtlpFoldWide(*A) - (int)RtlpFoldWide(*B);
    }
    return 0;
}

/* C: the terminating NUL is part of the string, so searching for 0 finds it. */
RTLP_NO_LIBCALLS
WCHAR *wcschr(const WCHAR *String, WCHAR Character)
{
    for (;; String++) {
        if (*String == Character)
            return (WCHAR *)String;
        if (*String == 0)
            return NULL;
    }
}

RTLP_NO_LIBCALLS
WCHAR *wcsrchr(const WCHAR *String, WCHAR Character)
{
    const WCHAR *Found = NULL;

    for (;; String++) {
        if (*String == Character)
            Found = String;
        if (*String == 0)
            return (WCHAR *)Found;
    }
}

RTLP_NO_LIBCALLS
WCHAR *wcscpy(WCHAR *Destination, const WCHAR *Source)
{
    WCHAR *Target = Destination;

    while ((*Target++ = *Source++) != 0)
        ;
    return Destination;
}

RTLP_NO_LIBCALLS
WCHAR *wcscat(WCHAR *Destination, const WCHAR *Source)
{
    wcscpy(Destination + wcslen(Destination), Source);
    return Destination;
}

RTLP_NO_LIBCALLS
char *strrchr(const char *String, int Character)
{
    const char *Found = NULL;

    for (;; String++) {
        if (*String == (char)Character)
            Found = String;
        if (*String == 0)
            return (char *)Found;
    }
}

RTLP_NO_LIBCALLS
char *strcpy(char *Destination, const char *Source)
{
    char *Target = Destination;

    while ((*Target++ = *Source++) != 0)
        ;
    return Destination;
}

RTLP_NO_LIBCALLS
char *strcat(char *Destination, const char *Source)
{
    strcpy(Destination + strlen(Destination), Source);
    return Destination;
}

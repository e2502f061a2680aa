/*
 * ntcrt.c - the C library routines ntdll exports (_snprintf, _snwprintf, strlen,
 * memmove, _stricmp, wcslen...), called from ring 3 the way a native program
 * calls them: declared by MinGW's own <stdio.h>, <string.h>, <wchar.h> and
 * <ctype.h>, imported through MinGW's own libntdllcrt.a (the import library for
 * ntdll's C runtime exports), then -lntdll. A name ntdll did not export would
 * stop the process before its entry with STATUS_ENTRYPOINT_NOT_FOUND.
 *
 * The checks are MSVCRT's rules, which NT's ntdll follows and a Windows
 * program relies on: _snprintf returns -1 and writes no terminator when the text
 * does not fit; %wZ prints a UNICODE_STRING; %I64d a 64-bit value; %S a wide
 * string in a narrow format. Prints "PASS name" or "FAIL name: why" for each,
 * then "ntcrt: N failed"; the exit status is the number of failures.
 */
#include "native.h"
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <ctype.h>

static ULONG Failures;

static void Report(const char *Name, const char *Why)
{
    char Line[160];

    if (Why != NULL)
        Failures++;
    /* The report itself goes through _snprintf: a broken one shows here first. */
    _snprintf(Line, sizeof(Line) - 1, Why ? "FAIL %s: %s\r\n" : "PASS %s\r\n", Name, Why);
    Line[sizeof(Line) - 1] = 0;
    NativeWrite(Line);
}

#define CHECK(Condition, Why) do { if (!(Condition)) return (Why); } while (0)

static const char *TestSnprintf(void)
{
    char Buffer[16];
    UNICODE_STRING Name;
    wchar_t Wide[] = L"wide";

    memset(Buffer, '#', sizeof(Buffer));
    CHECK(_snprintf(Buffer, sizeof(Buffer), "%d:%s", 42, "ok") == 5, "returned length");
    CHECK(strcmp(Buffer, "42:ok") == 0, "text");
    memset(Buffer, '#', sizeof(Buffer));
    CHECK(_snprintf(Buffer, 4, "%s", "123456") == -1, "a cut text did not return -1");
    CHECK(memcmp(Buffer, "1234#", 5) == 0, "a cut text was terminated or overran");
    CHECK(_snprintf(Buffer, 4, "%s", "1234") == 4 && memcmp(Buffer, "1234#", 5) == 0,
          "an exact fit is not terminated, and returns its length");
    RtlInitUnicodeString(&Name, L"C:\\x");
    /* gcc's format checker knows MSVCRT's letters but not NT's %wZ. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
    CHECK(_snprintf(Buffer, sizeof(Buffer), "[%wZ]", &Name) == 6 && strcmp(Buffer, "[C:\\x]") == 0, "%wZ");
#pragma GCC diagnostic pop
    CHECK(_snprintf(Buffer, sizeof(Buffer), "%I64d", -5000000000LL) == 11 &&
          strcmp(Buffer, "-5000000000") == 0, "%I64d");
    CHECK(_snprintf(Buffer, sizeof(Buffer), "%S|%08lx", Wide, 0xBEEFUL) == 13 &&
          strcmp(Buffer, "wide|0000beef") == 0, "%S and %08lx");
    return NULL;
}

static const char *TestWidePrintf(void)
{
    wchar_t Buffer[16];

    CHECK(_snwprintf(Buffer, 16, L"%d-%s-%hs", 7, L"w", "n") == 5, "returned length");
    CHECK(wcscmp(Buffer, L"7-w-n") == 0, "text");
    CHECK(_snwprintf(Buffer, 3, L"%s", L"abcd") == -1 && wcsncmp(Buffer, L"abc", 3) == 0, "cut");
    return NULL;
}

static const char *TestStrings(void)
{
    char Buffer[16] = "abcdef";

    CHECK(strlen("hello") == 5 && strlen("") == 0, "strlen");
    CHECK(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && strncmp("abcX", "abcY", 3) == 0, "strcmp");
    CHECK(_stricmp("Hello", "hELLO") == 0 && _stricmp("a", "B") < 0 && _strnicmp("ABx", "aby", 2) == 0,
          "_stricmp");
    CHECK(strchr("a.b.c", '.') - "a.b.c" == 1 && strrchr("a.b.c", '.') - "a.b.c" == 3, "strchr/strrchr");
    memmove(Buffer + 1, Buffer, 5);                     /* overlapping, forwards */
    CHECK(memcmp(Buffer, "aabcde", 6) == 0, "memmove up");
    memmove(Buffer, Buffer + 2, 4);                     /* overlapping, backwards */
    CHECK(memcmp(Buffer, "bcdede", 6) == 0, "memmove down");
    memset(Buffer, 'z', 3);
    memcpy(Buffer + 3, "!", 2);
    CHECK(strcmp(Buffer, "zzz!") == 0, "memset/memcpy");
    strcpy(Buffer, "ab");
    strcat(Buffer, "cd");
    CHECK(strcmp(Buffer, "abcd") == 0, "strcpy/strcat");
    CHECK(toupper('q') == 'Q' && tolower('Q') == 'q' && toupper('1') == '1', "toupper/tolower");
    return NULL;
}

static const char *TestWideStrings(void)
{
    wchar_t Buffer[16];

    CHECK(wcslen(L"four") == 4, "wcslen");
    CHECK(_wcsicmp(L"System32", L"SYSTEM32") == 0 && _wcsnicmp(L"abX", L"ABy", 2) == 0, "_wcsicmp");
    CHECK(wcschr(L"a\\b", L'\\') != NULL && wcsrchr(L"a\\b\\c", L'\\') - L"a\\b\\c" == 3, "wcschr/wcsrchr");
    wcscpy(Buffer, L"x");
    wcscat(Buffer, L"yz");
    CHECK(wcscmp(Buffer, L"xyz") == 0, "wcscpy/wcscat");
    CHECK(towupper(L'a') == L'A' && towlower(L'A') == L'a', "towupper/towlower");
    return NULL;
}

ULONG NTAPI NtCrtStart(PVOID Peb)
{
    char Line[32];

    (void)Peb;
    Report("snprintf", TestSnprintf());
    Report("snwprintf", TestWidePrintf());
    Report("strings", TestStrings());
    Report("wide-strings", TestWideStrings());
    _snprintf(Line, sizeof(Line) - 1, "ntcrt: %lu failed\r\n", Failures);
    Line[sizeof(Line) - 1] = 0;
    NativeWrite(Line);
    return Failures;
}

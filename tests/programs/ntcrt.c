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
/* Microsoft's own stdio declarations (sscanf is ntdll's import, not MinGW's
   replacement in libmingwex, which ANSI mode would inline). */
#define __USE_MINGW_ANSI_STDIO 0
#include "native.h"
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <ctype.h>
#include <stdlib.h>
#include <wctype.h>

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

/* The number conversions (atoi, strtol, _itoa... in crtconv.c), MSVCRT's rules. */
static const char *TestConversions(void)
{
    char Buffer[40], *End;
    wchar_t Wide[40], *WideEnd;

    CHECK(atoi("  -42xyz") == -42 && atol("+7") == 7 && atoi("") == 0 && _atoi64("-9000000000") == -9000000000LL,
          "atoi/atol/_atoi64");
    CHECK(strtol(" 0x1F!", &End, 0) == 31 && *End == '!', "strtol base 0, hex");
    CHECK(strtol("017", NULL, 0) == 15 && strtol("z", NULL, 36) == 35 && strtol("-101", NULL, 2) == -5,
          "strtol bases");
    CHECK(strtol("99999999999", &End, 10) == 0x7FFFFFFFL && *End == 0 && strtol("-99999999999", NULL, 10) == (long)0x80000000L,
          "strtol clamps");
    CHECK(strtol("  +", &End, 10) == 0 && strcmp(End, "  +") == 0, "strtol: no digits, End at the start");
    CHECK(strtoul("4294967295", NULL, 10) == 0xFFFFFFFFUL && strtoul("4294967296", NULL, 10) == 0xFFFFFFFFUL &&
          strtoul("-1", NULL, 10) == 0xFFFFFFFFUL, "strtoul");
    CHECK(wcstol(L" -0x10", &WideEnd, 16) == -16 && *WideEnd == 0 && wcstoul(L"12a", &WideEnd, 10) == 12 && *WideEnd == L'a',
          "wcstol/wcstoul");
    CHECK(_wtoi(L"123") == 123 && _wtol(L"-5") == -5 && _wtoi64(L"10000000000") == 10000000000LL, "_wtoi/_wtol/_wtoi64");
    CHECK(strcmp(_itoa(-123, Buffer, 10), "-123") == 0 && strcmp(_itoa(-1, Buffer, 16), "ffffffff") == 0 &&
          strcmp(_ultoa(0xDEADBEEFUL, Buffer, 16), "deadbeef") == 0 && strcmp(_ltoa(5, Buffer, 2), "101") == 0,
          "_itoa/_ultoa/_ltoa");
    CHECK(strcmp(_i64toa(-1234567890123LL, Buffer, 10), "-1234567890123") == 0 &&
          strcmp(_ui64toa(0xFFFFFFFFFFFFFFFFULL, Buffer, 10), "18446744073709551615") == 0, "_i64toa/_ui64toa");
    CHECK(wcscmp(_itow(-77, Wide, 10), L"-77") == 0 && wcscmp(_ui64tow(255, Wide, 16), L"ff") == 0, "_itow/_ui64tow");
    CHECK(abs(-3) == 3 && labs(-4L) == 4, "abs/labs");
    return NULL;
}

static int __cdecl CompareInts(const void *A, const void *B)
{
    int Left = *(const int *)A, Right = *(const int *)B;
    return Left < Right ? -1 : Left > Right;
}

/* Classification, searches, bounded copies, qsort/bsearch (crtctype.c, crtsrch.c). */
static const char *TestSearches(void)
{
    char Buffer[16];
    wchar_t Wide[16];
    int Numbers[] = { 9, -2, 7, 7, 0, 31, 4, -8, 15, 1 }, Key = 15, Index;

    CHECK(isdigit('7') && !isdigit('a') && isalpha('Q') && !isalpha('1') && isspace('\t') && !isspace('x') &&
          isxdigit('f') && !isxdigit('g') && isupper('A') && !isupper('a') && islower('z') && ispunct('!') &&
          isalnum('5') && !isalnum('-') && isprint(' ') && !isgraph(' ') && iscntrl('\n') && !isdigit(0xB2),
          "is* (the C locale)");
    CHECK(iswdigit(L'3') && iswalpha(L'\xE9') && iswspace(L' ') && !iswalpha(L'1') && iswxdigit(L'B'), "isw*");
    memset(Buffer, '#', sizeof(Buffer));
    strncpy(Buffer, "ab", 5);
    CHECK(memcmp(Buffer, "ab\0\0\0#", 6) == 0, "strncpy pads with NULs");
    strncpy(Buffer, "abcdef", 3);
    CHECK(memcmp(Buffer, "abc\0", 4) == 0, "strncpy does not terminate a long source");
    strcpy(Buffer, "ab");
    strncat(Buffer, "cdef", 2);
    CHECK(strcmp(Buffer, "abcd") == 0, "strncat");
    CHECK(strstr("hello world", "o w") != NULL && strstr("abc", "") != NULL && strstr("abc", "abcd") == NULL, "strstr");
    CHECK(strspn("aabbc", "ab") == 4 && strcspn("abc;d", ";") == 3 && strcmp(strpbrk("x=y", "=;"), "=y") == 0 &&
          strnlen("abc", 2) == 2, "strspn/strcspn/strpbrk/strnlen");
    CHECK(memchr("abc", 'c', 3) != NULL && memchr("abc", 'c', 2) == NULL, "memchr");
    wcsncpy(Wide, L"xyz", 16);
    wcsncat(Wide, L"123", 1);
    CHECK(wcscmp(Wide, L"xyz1") == 0 && wcsstr(Wide, L"z1") == Wide + 2 && wcsspn(Wide, L"yx") == 2 &&
          wcscspn(Wide, L"1") == 3 && wcspbrk(Wide, L"1z") == Wide + 2 && wcsnlen(Wide, 2) == 2, "wide searches");
    strcpy(Buffer, "MiXeD");
    CHECK(strcmp(_strlwr(Buffer), "mixed") == 0 && strcmp(_strupr(Buffer), "MIXED") == 0 &&
          _memicmp("ABC", "abd", 2) == 0 && _memicmp("ABC", "abd", 3) < 0, "_strlwr/_strupr/_memicmp");
    wcscpy(Wide, L"Dir");
    CHECK(wcscmp(_wcsupr(Wide), L"DIR") == 0 && wcscmp(_wcslwr(Wide), L"dir") == 0, "_wcsupr/_wcslwr");
    qsort(Numbers, 10, sizeof(int), CompareInts);
    for (Index = 1; Index < 10; Index++)
        CHECK(Numbers[Index - 1] <= Numbers[Index], "qsort");
    CHECK(bsearch(&Key, Numbers, 10, sizeof(int), CompareInts) == &Numbers[8], "bsearch");
    Key = 5;
    CHECK(bsearch(&Key, Numbers, 10, sizeof(int), CompareInts) == NULL, "bsearch of a missing key");
    return NULL;
}

/* A floating-point conversion takes its double, so the ones after it get theirs. */
static const char *TestFloatArgument(void)
{
    char Buffer[32];

    CHECK(_snprintf(Buffer, sizeof(Buffer), "%f|%d", 2.25, 7) > 0 && strchr(Buffer, '|') != NULL &&
          strcmp(strchr(Buffer, '|'), "|7") == 0, "the argument after a double");
    return NULL;
}

static int CountFormat(const char *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = _vscprintf(Format, Args);
    va_end(Args);
    return Length;
}

/* The later exports: sscanf, _vscprintf, mbstowcs/wcstombs (code page 1252),
   _splitpath, _wcstoi64, _strcmpi, _memccpy. */
static const char *TestMore(void)
{
    char Name[16], Extension[8], Narrow[8];
    wchar_t Wide[8];
    int A = 0, Consumed = 0;
    unsigned long long Big = 0;

    CHECK(sscanf("id=42 name=ntdll", "id=%d name=%15s%n", &A, Name, &Consumed) == 2 && A == 42 &&
          strcmp(Name, "ntdll") == 0 && Consumed == 16, "sscanf");
    CHECK(sscanf("ff 18446744073709551615", "%x %llu", &A, &Big) == 2 && A == 255 && Big == ~0ULL, "sscanf %x %llu");
    CHECK(sscanf("", "%d", &A) == -1, "sscanf of nothing is EOF");
    CHECK(CountFormat("%s=%d", "abc", 12345) == 9, "_vscprintf");
    CHECK(mbstowcs(Wide, "\x80x", 8) == 2 && Wide[0] == 0x20AC && Wide[2] == 0, "mbstowcs");
    CHECK(wcstombs(Narrow, L"\x20ACy", 8) == 2 && (unsigned char)Narrow[0] == 0x80 && Narrow[2] == 0, "wcstombs");
    _splitpath("C:\\dir\\file.txt", NULL, NULL, Name, Extension);
    CHECK(strcmp(Name, "file") == 0 && strcmp(Extension, ".txt") == 0, "_splitpath");
    CHECK(_wcstoi64(L"-1234567890123", NULL, 10) == -1234567890123LL, "_wcstoi64");
    CHECK(_strcmpi("NTDLL", "ntdll") == 0, "_strcmpi");
    CHECK(_memccpy(Narrow, "ab.c", '.', 4) == Narrow + 3, "_memccpy");
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
    Report("conversions", TestConversions());
    Report("searches", TestSearches());
    Report("float-argument", TestFloatArgument());
    Report("more-crt", TestMore());
    _snprintf(Line, sizeof(Line) - 1, "ntcrt: %lu failed\r\n", Failures);
    Line[sizeof(Line) - 1] = 0;
    NativeWrite(Line);
    return Failures;
}

/*
 * test_rtlfmt.c - ntdll's formatting and C-library exports on the host
 * (ntdll/rtl/printf.c over kernel/rtl/format.c, dbgprint.c, crtstr.c, crtctype.c):
 * Microsoft's _snprintf truncation rules, the wide family with its %s/%S meanings,
 * DbgPrint to the standard error handle, and the string routines; sscanf's
 * conversions (crtscan.c), the counting and unbounded printf forms, DbgPrintEx and
 * RtlAssert, _splitpath, _wcstoi64/_wcstoui64, _memccpy, _lfind, _toupper/_tolower.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rtlhost.h"

static int Setup(void **State)
{
    (void)State;
    RtlHostReset(u"C:\\", NULL);
    return 0;
}

static void test_snprintf(void **State)
{
    char Buffer[8];
    UNICODE_STRING Name = RTL_HOST_USTR(u"ntdll");

    (void)State;
    memset(Buffer, 'z', sizeof(Buffer));
    assert_int_equal(_snprintf(Buffer, sizeof(Buffer), "%d-%s", 42, "ab"), 5);
    assert_string_equal(Buffer, "42-ab");
    /* Exactly full: the count, no NUL. */
    memset(Buffer, 'z', sizeof(Buffer));
    assert_int_equal(_snprintf(Buffer, 4, "%04X", 0xBEEF), 4);
    assert_memory_equal(Buffer, "BEEFz", 5);
    /* Too long: -1, Count characters written, no NUL. */
    memset(Buffer, 'z', sizeof(Buffer));
    assert_int_equal(_snprintf(Buffer, 3, "%s", "abcdef"), -1);
    assert_memory_equal(Buffer, "abcz", 4);
    assert_int_equal(_snprintf(Buffer, 0, "x"), -1);
    assert_int_equal(_snprintf(NULL, 0, ""), 0);

    char Big[64];
    assert_int_equal(sprintf(Big, "%wZ %S %c %I64u %p", &Name, u"wide", 'c', 12345678901ULL, (void *)0x7C900000),
                     33);
    assert_string_equal(Big, "ntdll wide c 12345678901 7C900000");
}

static int CallVsnprintf(char *Buffer, size_t Count, const char *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = _vsnprintf(Buffer, Count, Format, Args);
    va_end(Args);
    return Length;
}

static int CallVsnwprintf(WCHAR *Buffer, size_t Count, const WCHAR *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = _vsnwprintf(Buffer, Count, Format, Args);
    va_end(Args);
    return Length;
}

static void test_vsnprintf(void **State)
{
    char Buffer[16];
    WCHAR Wide[16];

    (void)State;
    assert_int_equal(CallVsnprintf(Buffer, sizeof(Buffer), "[%-4d|%+d]", 7, 3), 9);
    assert_string_equal(Buffer, "[7   |+3]");
    assert_int_equal(CallVsnwprintf(Wide, 16, u"%s=%u", u"n", 10u), 4);
    assert_wstr(Wide, u"n=10");
}

/* Wide: %s and %c are WCHAR, %S and %C narrow, %hs narrow, %ls wide; non-ASCII kept. */
static void test_swprintf(void **State)
{
    WCHAR Buffer[64];

    (void)State;
    assert_int_equal(swprintf(Buffer, u"%s|%S|%hs|%ls|%c%C", u"\u00e9t\u00e9", "narrow", "h", u"l", u'\u03a9', 'n'),
                     17);
    assert_wstr(Buffer, u"\u00e9t\u00e9|narrow|h|l|\u03a9n");
    assert_int_equal(swprintf(Buffer, u"\u4e2d%d\u6587 %5.2s|%-3c|%%|%q", -12, u"abc", u'x'), 20);
    assert_wstr(Buffer, u"\u4e2d-12\u6587    ab|x  |%|%q");
    /* A non-ASCII character where a conversion letter should be: printed as it is. */
    assert_int_equal(swprintf(Buffer, u"a%5\u00e9b"), 5);
    assert_wstr(Buffer, u"a%5\u00e9b");

    memset(Buffer, 0x55, sizeof(Buffer));
    assert_int_equal(_snwprintf(Buffer, 3, u"%d", 12345), -1);
    assert_int_equal(Buffer[0], '1');
    assert_int_equal(Buffer[2], '3');
    assert_int_equal(Buffer[3], 0x5555);
    assert_int_equal(_snwprintf(Buffer, 5, u"%d", 12345), 5);
    assert_int_equal(_snwprintf(Buffer, 6, u"%x", 255), 2);
    assert_wstr(Buffer, u"ff");
}

static void test_dbgprint(void **State)
{
    (void)State;
    assert_int_equal(DbgPrint("pid %u: %s\n", 4u, "hello"), STATUS_SUCCESS);
    assert_string_equal(RtlHostWritten, "pid 4: hello\n");
    assert_ptr_equal(RtlHostWrittenHandle, (HANDLE)0x2C);

    /* Long lines are cut at 511 characters. */
    char Long[700];
    memset(Long, 'x', sizeof(Long) - 1);
    Long[sizeof(Long) - 1] = 0;
    DbgPrint("%s", Long);
    assert_int_equal(strlen(RtlHostWritten), 511);

    /* No standard error: dropped. */
    RtlHostParameters.StandardError = NULL;
    RtlHostWritten[0] = 0;
    assert_int_equal(DbgPrint("lost"), STATUS_SUCCESS);
    assert_string_equal(RtlHostWritten, "");
}

static void test_narrow_strings(void **State)
{
    char Buffer[32];

    (void)State;
    assert_ptr_equal(strcpy(Buffer, "abc"), Buffer);
    assert_ptr_equal(strcat(Buffer, "def"), Buffer);
    assert_string_equal(Buffer, "abcdef");
    strcat(Buffer, "abc");
    assert_ptr_equal(strrchr(Buffer, 'b'), Buffer + 7);
    assert_ptr_equal(strrchr(Buffer, 0), Buffer + 9);
    assert_null(strrchr(Buffer, 'q'));
    assert_int_equal(toupper('a'), 'A');
    assert_int_equal(toupper('{'), '{');
    assert_int_equal(toupper(0xE9), 0xE9);
    assert_int_equal(toupper(-1), -1);
    assert_int_equal(tolower('Q'), 'q');
    assert_int_equal(tolower('@'), '@');
}

static void test_wide_strings(void **State)
{
    WCHAR Buffer[32];

    (void)State;
    assert_int_equal(wcslen(u""), 0);
    assert_int_equal(wcslen(u"\u00e9\u00e9"), 2);
    assert_ptr_equal(wcscpy(Buffer, u"Hello"), Buffer);
    assert_ptr_equal(wcscat(Buffer, u", World"), Buffer);
    assert_wstr(Buffer, u"Hello, World");
    assert_ptr_equal(wcschr(Buffer, 'o'), Buffer + 4);
    assert_ptr_equal(wcsrchr(Buffer, 'o'), Buffer + 8);
    assert_ptr_equal(wcschr(Buffer, 0), Buffer + 12);
    assert_null(wcschr(Buffer, 'z'));
    assert_null(wcsrchr(Buffer, 'z'));
    assert_int_equal(wcscmp(u"abc", u"abc"), 0);
    assert_true(wcscmp(u"abc", u"abd") < 0);
    assert_true(wcscmp(u"ab", u"a") > 0);
    assert_true(wcscmp(u"\u00e9", u"z") > 0);           /* unsigned code units */
    assert_int_equal(wcsncmp(u"abcX", u"abcY", 3), 0);
    assert_true(wcsncmp(u"abcX", u"abcY", 4) < 0);
    assert_int_equal(_wcsicmp(u"KERNEL32.DLL", u"kernel32.dll"), 0);
    assert_true(_wcsicmp(u"a", u"B") < 0);
    assert_true(_wcsicmp(u"_", u"a") < 0);              /* folded to lower case, as Microsoft's */
    assert_int_equal(_wcsnicmp(u"NTDLL.dll", u"ntdll.DLX", 8), 0);
    assert_true(_wcsnicmp(u"NTDLL.dll", u"ntdll.DLX", 9) < 0);
    assert_int_equal(towupper(u'\u00e9'), 0xC9);
    assert_int_equal(towupper('x'), 'X');
    assert_int_equal(towlower(0xC9), 0xE9);
    assert_int_equal(towlower('X'), 'x');
    assert_int_equal(towlower(0xD7), 0xD7);
}

/* sscanf's body (crtscan.c), called the way sscanf calls it. */
static int Scan(const char *Input, const char *Format, ...)
{
    va_list Args;
    int Stored;

    va_start(Args, Format);
    Stored = RtlpScanString(Input, Format, Args);
    va_end(Args);
    return Stored;
}

static void test_scan(void **State)
{
    int A = 0, B = 0, N = 0;
    unsigned int U = 0;
    short H = 0;
    LONGLONG Big = 0;
    char Word[16], Set[16], Chars[4] = "###";
    WCHAR Wide[8];
    void *Pointer = NULL;

    (void)State;
    assert_int_equal(Scan("  42 -7", "%d %d", &A, &B), 2);
    assert_int_equal(A, 42);
    assert_int_equal(B, -7);
    assert_int_equal(Scan("0x1f 017 9", "%i %i %i", &A, &B, &N), 3);
    assert_int_equal(A, 31);
    assert_int_equal(B, 15);
    assert_int_equal(Scan("ff 777 4294967295", "%x %o %u", &A, &B, &U), 3);
    assert_int_equal(A, 255);
    assert_int_equal(B, 0777);
    assert_int_equal(U, 0xFFFFFFFFu);
    assert_int_equal(Scan("-5000000000 70000", "%I64d %hd", &Big, &H), 2);
    assert_true(Big == -5000000000LL);
    assert_int_equal(H, (short)70000);
    assert_int_equal(Scan("12345", "%2d%3d", &A, &B), 2);   /* widths */
    assert_int_equal(A, 12);
    assert_int_equal(B, 345);
    assert_int_equal(Scan("key=value; rest", "%[^=]=%[a-z]%n", Word, Set, &N), 2);
    assert_string_equal(Word, "key");
    assert_string_equal(Set, "value");
    assert_int_equal(N, 9);
    assert_int_equal(Scan("abc-def", "%[a-c-]", Word), 1);
    assert_string_equal(Word, "abc-");
    assert_int_equal(Scan("xyz", "%2c", Chars), 1);
    assert_memory_equal(Chars, "xy#", 3);                /* %c adds no NUL */
    assert_int_equal(Scan("skip 5", "%*s %d", &A), 1);   /* suppressed: not counted */
    assert_int_equal(A, 5);
    assert_int_equal(Scan("caf\xE9 x", "%ls", Wide), 1);
    assert_int_equal(Wide[3], 0xE9);
    assert_int_equal(Wide[4], 0);
    assert_int_equal(Scan("wide", "%S", Wide), 1);
    assert_int_equal(Wide[0], 'w');
    assert_int_equal(Scan("7fff0000", "%p", &Pointer), 1);
    assert_ptr_equal(Pointer, (void *)0x7FFF0000);
    assert_int_equal(Scan("100%", "%d%%", &A), 1);
    /* Failures: a mismatch stops the scan, an empty input is EOF, no floats. */
    assert_int_equal(Scan("12 abc", "%d %d", &A, &B), 1);
    assert_int_equal(Scan("x1", "y%d", &A), 0);
    assert_int_equal(Scan("", "%d", &A), -1);
    assert_int_equal(Scan("   ", "%s", Word), -1);
    assert_int_equal(Scan("5 ", "%d %d", &A, &B), 1);
    assert_int_equal(Scan("1.5", "%f", &A), 0);
}

static int Counted(const char *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = _vscprintf(Format, Args);
    va_end(Args);
    return Length;
}

static int CountedWide(const WCHAR *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = _vscwprintf(Format, Args);
    va_end(Args);
    return Length;
}

static int Vsprintf(char *Buffer, const char *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = vsprintf(Buffer, Format, Args);
    va_end(Args);
    return Length;
}

static void test_more_printf(void **State)
{
    char Buffer[32];
    WCHAR Wide[32];

    (void)State;
    assert_int_equal(Counted("%d-%s", 1234, "abc"), 8);
    assert_int_equal(CountedWide(u"%s!", u"wide"), 5);
    assert_int_equal(Vsprintf(Buffer, "%05d|%x", 42, 255), 8);
    assert_string_equal(Buffer, "00042|ff");
    assert_int_equal(_swprintf(Wide, u"%d%s", 7, u"x"), 2);
    assert_wstr(Wide, u"7x");
    assert_int_equal(DbgPrintEx(77, 3, "level %d\n", 3), STATUS_SUCCESS);
    assert_string_equal(RtlHostWritten, "level 3\n");
    RtlAssert("x == 1", "file.c", 12, NULL);
    assert_string_equal(RtlHostWritten, "\n*** Assertion failed: x == 1\n***   Source File: file.c, line 12\n\n");
}

static int __cdecl CompareChars(const void *A, const void *B)
{
    return *(const char *)A - *(const char *)B;
}

static void test_more_crt(void **State)
{
    char Drive[3], Directory[256], Name[256], Extension[256], Buffer[8];
    WCHAR *End;
    unsigned int Count = 4;

    (void)State;
    _splitpath("C:\\dir.x\\sub/file.tar.gz", Drive, Directory, Name, Extension);
    assert_string_equal(Drive, "C:");
    assert_string_equal(Directory, "\\dir.x\\sub/");
    assert_string_equal(Name, "file.tar");
    assert_string_equal(Extension, ".gz");
    _splitpath("name", Drive, Directory, Name, NULL);
    assert_string_equal(Drive, "");
    assert_string_equal(Directory, "");
    assert_string_equal(Name, "name");
    _splitpath("\\a.b\\", NULL, Directory, Name, Extension);
    assert_string_equal(Directory, "\\a.b\\");
    assert_string_equal(Name, "");
    assert_string_equal(Extension, "");

    assert_true(_wcstoi64(u" -9223372036854775808x", &End, 10) == (LONGLONG)0x8000000000000000ULL);
    assert_int_equal(*End, 'x');
    assert_true(_wcstoi64(u"99999999999999999999", NULL, 10) == 0x7FFFFFFFFFFFFFFFLL);
    assert_true(_wcstoi64(u"-99999999999999999999", NULL, 10) == (LONGLONG)0x8000000000000000ULL);
    assert_true(_wcstoui64(u"0xFFFFFFFFFFFFFFFF", NULL, 0) == 0xFFFFFFFFFFFFFFFFULL);
    assert_true(_wcstoui64(u"18446744073709551616", NULL, 10) == 0xFFFFFFFFFFFFFFFFULL);
    assert_true(_wcstoui64(u"-1", NULL, 10) == 0xFFFFFFFFFFFFFFFFULL);
    assert_true(_wcstoui64(u"z", &End, 10) == 0 && *End == 'z');

    assert_ptr_equal(_memccpy(Buffer, "abc:de", ':', 6), Buffer + 4);
    assert_memory_equal(Buffer, "abc:", 4);
    assert_null(_memccpy(Buffer, "abcdef", ':', 3));
    assert_ptr_equal(_lfind("c", "abcd", &Count, 1, CompareChars), (const char *)"abcd" + 2);
    assert_null(_lfind("z", "abcd", &Count, 1, CompareChars));
    assert_int_equal(Count, 4);
    assert_int_equal(_toupper('a'), 'A');
    assert_int_equal(_tolower('A'), 'a');
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup(test_snprintf, Setup),
        cmocka_unit_test_setup(test_vsnprintf, Setup),
        cmocka_unit_test_setup(test_swprintf, Setup),
        cmocka_unit_test_setup(test_dbgprint, Setup),
        cmocka_unit_test_setup(test_narrow_strings, Setup),
        cmocka_unit_test_setup(test_wide_strings, Setup),
        cmocka_unit_test_setup(test_scan, Setup),
        cmocka_unit_test_setup(test_more_printf, Setup),
        cmocka_unit_test_setup(test_more_crt, Setup),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

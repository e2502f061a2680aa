/*
 * test_rtlfmt.c - ntdll's formatting and C-library exports on the host
 * (ntdll/rtl/printf.c over kernel/rtl/format.c, dbgprint.c, crtstr.c, crtctype.c):
 * Microsoft's _snprintf truncation rules, the wide family with its %s/%S meanings,
 * DbgPrint to the standard error handle, and the string routines.
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

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup(test_snprintf, Setup),
        cmocka_unit_test_setup(test_vsnprintf, Setup),
        cmocka_unit_test_setup(test_swprintf, Setup),
        cmocka_unit_test_setup(test_dbgprint, Setup),
        cmocka_unit_test_setup(test_narrow_strings, Setup),
        cmocka_unit_test_setup(test_wide_strings, Setup),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

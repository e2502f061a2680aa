/*
 * test_rtlstr.c - ntdll's counted strings on the host (ntdll/rtl/ustring.c,
 * upcase.c, convert.c, nls.c): init, copy, append, compare, prefix, upcase, and
 * the ANSI (Windows-1252) and OEM (437) conversions both ways, allocated and not;
 * ustrnew.c, astring.c, downcase.c, mbconv.c: creating and duplicating, 8-bit
 * compares and upcasing, downcasing, and the buffer (N) conversions and sizes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "rtlhost.h"

static int Setup(void **State)
{
    (void)State;
    RtlHostReset(u"C:\\", NULL);
    return 0;
}

static void test_init(void **State)
{
    UNICODE_STRING U;
    ANSI_STRING A;
    STRING S;

    (void)State;
    RtlInitUnicodeString(&U, u"abc");
    assert_int_equal(U.Length, 6);
    assert_int_equal(U.MaximumLength, 8);
    RtlInitUnicodeString(&U, NULL);
    assert_int_equal(U.Length, 0);
    assert_int_equal(U.MaximumLength, 0);
    assert_null(U.Buffer);
    RtlInitAnsiString(&A, "abcd");
    assert_int_equal(A.Length, 4);
    assert_int_equal(A.MaximumLength, 5);
    RtlInitString(&S, "");
    assert_int_equal(S.Length, 0);
    assert_int_equal(S.MaximumLength, 1);
}

static void test_copy_append(void **State)
{
    WCHAR Buffer[8];
    UNICODE_STRING D = { 0, sizeof(Buffer), Buffer };
    UNICODE_STRING S = RTL_HOST_USTR(u"abc");

    (void)State;
    RtlCopyUnicodeString(&D, &S);
    assert_ustr(&D, u"abc");
    assert_int_equal(Buffer[3], 0);
    assert_int_equal(RtlAppendUnicodeToString(&D, u"de"), STATUS_SUCCESS);
    assert_ustr(&D, u"abcde");
    assert_int_equal(RtlAppendUnicodeStringToString(&D, &S), STATUS_SUCCESS);
    assert_ustr(&D, u"abcdeabc");                       /* exactly full: no NUL */
    assert_int_equal(RtlAppendUnicodeToString(&D, u"x"), STATUS_BUFFER_TOO_SMALL);
    assert_ustr(&D, u"abcdeabc");
    /* A copy is cut to the destination. */
    UNICODE_STRING Long = RTL_HOST_USTR(u"0123456789");
    RtlCopyUnicodeString(&D, &Long);
    assert_ustr(&D, u"01234567");
    RtlCopyUnicodeString(&D, NULL);
    assert_int_equal(D.Length, 0);

    /* A source longer than a counted string can hold does not fit: it is not cut
       to the 32766 characters RtlInitUnicodeString would keep and appended. */
    enum { LongChars = 40000 };
    PWSTR Huge = malloc((LongChars + 1) * sizeof(WCHAR)), Room = malloc(0xFFFE);
    UNICODE_STRING Big = { 0, 0xFFFE, Room };
    for (int Index = 0; Index < LongChars; Index++)
        Huge[Index] = 'x';
    Huge[LongChars] = 0;
    assert_int_equal(RtlAppendUnicodeToString(&Big, Huge), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Big.Length, 0);
    free(Huge);
    free(Room);
}

static void test_compare(void **State)
{
    UNICODE_STRING Abc = RTL_HOST_USTR(u"abc"), ABC = RTL_HOST_USTR(u"ABC"), Abcd = RTL_HOST_USTR(u"abcd");
    UNICODE_STRING Abd = RTL_HOST_USTR(u"abd"), Empty = RTL_HOST_USTR(u"");
    UNICODE_STRING Greek = RTL_HOST_USTR(u"\u03b1\u03b2\u03c2"), GREEK = RTL_HOST_USTR(u"\u0391\u0392\u03a3");

    (void)State;
    assert_true(RtlCompareUnicodeString(&Abc, &ABC, FALSE) > 0);
    assert_int_equal(RtlCompareUnicodeString(&Abc, &ABC, TRUE), 0);
    assert_true(RtlCompareUnicodeString(&Abc, &Abcd, FALSE) < 0);
    assert_true(RtlCompareUnicodeString(&Abd, &Abcd, TRUE) > 0);
    assert_true(RtlCompareUnicodeString(&Empty, &Abc, TRUE) < 0);
    assert_true(RtlEqualUnicodeString(&Abc, &ABC, TRUE));
    assert_false(RtlEqualUnicodeString(&Abc, &ABC, FALSE));
    assert_false(RtlEqualUnicodeString(&Abc, &Abcd, TRUE));
    assert_true(RtlEqualUnicodeString(&Greek, &GREEK, TRUE));
    assert_true(RtlPrefixUnicodeString(&ABC, &Abcd, TRUE));
    assert_false(RtlPrefixUnicodeString(&ABC, &Abcd, FALSE));
    assert_false(RtlPrefixUnicodeString(&Abcd, &Abc, TRUE));
    assert_true(RtlPrefixUnicodeString(&Empty, &Abc, FALSE));
}

static void test_upcase(void **State)
{
    static const WCHAR Pairs[][2] = {
        { 'a', 'A' },       { 'z', 'Z' },       { 'A', 'A' },       { '1', '1' },       { '{', '{' },
        { 0xE9, 0xC9 },     { 0xF7, 0xF7 },     { 0xFF, 0x178 },    { 0xDF, 0xDF },     { 0xB5, 0x39C },
        { 0x101, 0x100 },   { 0x13A, 0x139 },   { 0x17E, 0x17D },   { 0x131, 'I' },     { 0x3B1, 0x391 },
        { 0x3C2, 0x3A3 },   { 0x3AC, 0x386 },   { 0x3CE, 0x38F },   { 0x430, 0x410 },   { 0x451, 0x401 },
        { 0xFF41, 0xFF21 }, { 0x4E00, 0x4E00 },
    };
    WCHAR Buffer[16];
    UNICODE_STRING Source = RTL_HOST_USTR(u"mixed \u00e9\u0451"), Upper, Small = { 0, 4, Buffer };

    (void)State;
    for (size_t Index = 0; Index < RTL_NUMBER_OF(Pairs); Index++) {
        if (RtlUpcaseUnicodeChar(Pairs[Index][0]) != Pairs[Index][1])
            fail_msg("%04X -> %04X, expected %04X", Pairs[Index][0], RtlUpcaseUnicodeChar(Pairs[Index][0]),
                     Pairs[Index][1]);
    }
    assert_int_equal(RtlUpcaseUnicodeString(&Upper, &Source, TRUE), STATUS_SUCCESS);
    assert_ustr(&Upper, u"MIXED \u00c9\u0401");
    RtlFreeUnicodeString(&Upper);
    assert_null(Upper.Buffer);
    assert_int_equal(RtlUpcaseUnicodeString(&Small, &Source, FALSE), STATUS_BUFFER_OVERFLOW);
    /* In place. */
    memcpy(Buffer, u"abc", 8);
    Small.Length = 6;
    Small.MaximumLength = sizeof(Buffer);
    assert_int_equal(RtlUpcaseUnicodeString(&Small, &Small, FALSE), STATUS_SUCCESS);
    assert_ustr(&Small, u"ABC");

    /* Allocated for the longest sources: MaximumLength holds what was allocated
       (it wrapped to 0 or 1 when the NUL's room was added to 0xFFFE or 0xFFFF). */
    UNICODE_STRING Longest = { 0xFFFF, 0xFFFF, malloc(0x10000) };
    memset(Longest.Buffer, 'a', 0x10000);
    assert_int_equal(RtlUpcaseUnicodeString(&Upper, &Longest, TRUE), STATUS_SUCCESS);
    assert_int_equal(Upper.Length, 0xFFFE);
    assert_true(Upper.MaximumLength >= Upper.Length);
    RtlFreeUnicodeString(&Upper);
    Longest.Length = 5;
    assert_int_equal(RtlUpcaseUnicodeString(&Upper, &Longest, TRUE), STATUS_SUCCESS);
    assert_int_equal(Upper.Length, 4);
    assert_int_equal(Upper.MaximumLength, 6);
    assert_int_equal(Upper.Buffer[2], 0);
    RtlFreeUnicodeString(&Upper);
    free(Longest.Buffer);
}

/* Windows-1252 both ways: the 80-9F block, Latin-1 above, '?' for what it cannot show. */
static void test_ansi(void **State)
{
    ANSI_STRING Ansi = { 8, 9, (PCHAR)"A\x80\x9f\xe9\x81\xff\x8c!" };
    UNICODE_STRING Unicode;
    ANSI_STRING Back;

    (void)State;
    assert_int_equal(RtlAnsiStringToUnicodeString(&Unicode, &Ansi, TRUE), STATUS_SUCCESS);
    assert_ustr(&Unicode, u"A\u20ac\u0178\u00e9\x0081\u00ff\u0152!");
    assert_int_equal(Unicode.MaximumLength, 18);
    assert_int_equal(Unicode.Buffer[8], 0);
    assert_int_equal(RtlUnicodeStringToAnsiString(&Back, &Unicode, TRUE), STATUS_SUCCESS);
    assert_int_equal(Back.Length, 8);
    assert_memory_equal(Back.Buffer, Ansi.Buffer, 9);
    RtlFreeAnsiString(&Back);
    RtlFreeUnicodeString(&Unicode);

    UNICODE_STRING Foreign = RTL_HOST_USTR(u"\u4e00x\u0391");
    CHAR Bytes[4];
    ANSI_STRING Out = { 0, sizeof(Bytes), Bytes };
    assert_int_equal(RtlUnicodeStringToAnsiString(&Out, &Foreign, FALSE), STATUS_SUCCESS);
    assert_int_equal(Out.Length, 3);
    assert_memory_equal(Bytes, "?x?", 4);              /* with its NUL */
    /* No room for the NUL: NT's STATUS_BUFFER_OVERFLOW, with what fits converted
       and terminated. */
    memset(Bytes, '#', sizeof(Bytes));
    Out.MaximumLength = 3;
    assert_int_equal(RtlUnicodeStringToAnsiString(&Out, &Foreign, FALSE), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(Out.Length, 2);
    assert_memory_equal(Bytes, "?x\0#", 4);
    Out.MaximumLength = 0;
    assert_int_equal(RtlUnicodeStringToAnsiString(&Out, &Foreign, FALSE), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(Bytes[0], '?');                    /* nothing written */

    /* To Unicode: the NUL must fit as well, or nothing is converted. */
    ANSI_STRING Three = { 3, 4, (PCHAR)"abc" };
    WCHAR Wide[4] = { '#', '#', '#', '#' };
    UNICODE_STRING Into = { 0, 6, Wide };
    assert_int_equal(RtlAnsiStringToUnicodeString(&Into, &Three, FALSE), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(Wide[0], '#');
    Into.MaximumLength = 7;                             /* an odd byte is not a character */
    assert_int_equal(RtlAnsiStringToUnicodeString(&Into, &Three, FALSE), STATUS_BUFFER_OVERFLOW);
    Into.MaximumLength = 8;
    assert_int_equal(RtlAnsiStringToUnicodeString(&Into, &Three, FALSE), STATUS_SUCCESS);
    assert_ustr(&Into, u"abc");
    assert_int_equal(Wide[3], 0);
}

/* Code page 437: box drawing and Greek in the upper half. */
static void test_oem(void **State)
{
    OEM_STRING Oem = { 6, 7, (PCHAR)"\x80\xb3\xc9\xe0\xe1\xff" };
    WCHAR Buffer[7];
    UNICODE_STRING Unicode = { 0, sizeof(Buffer), Buffer };
    OEM_STRING Back;

    (void)State;
    assert_int_equal(RtlOemStringToUnicodeString(&Unicode, &Oem, FALSE), STATUS_SUCCESS);
    assert_ustr(&Unicode, u"\u00c7\u2502\u2554\u03b1\u00df\u00a0");
    assert_int_equal(RtlUnicodeStringToOemString(&Back, &Unicode, TRUE), STATUS_SUCCESS);
    assert_memory_equal(Back.Buffer, Oem.Buffer, 7);
    RtlFreeAnsiString(&Back);
    Unicode.MaximumLength = 12;                         /* the characters, but not the NUL */
    assert_int_equal(RtlOemStringToUnicodeString(&Unicode, &Oem, FALSE), STATUS_BUFFER_OVERFLOW);

    /* Every OEM byte comes back as itself. */
    for (int Byte = 0; Byte < 256; Byte++) {
        if (RtlpUnicodeToOem(RtlpOemToUnicode((UCHAR)Byte)) != Byte)
            fail_msg("OEM byte %02X does not round-trip", Byte);
        if (RtlpUnicodeToAnsi(RtlpAnsiToUnicode((UCHAR)Byte)) != Byte)
            fail_msg("ANSI byte %02X does not round-trip", Byte);
    }
    assert_int_equal(RtlpUnicodeToOem(0x00E9), 0x82);   /* é */
    assert_int_equal(RtlpUnicodeToOem(0x20AC), '?');     /* no euro in 437 */
}

static void test_create_duplicate(void **State)
{
    UNICODE_STRING U, D;
    UNICODE_STRING Src = RTL_HOST_USTR(u"abc"), Empty = { 0, 0, NULL };

    (void)State;
    assert_true(RtlCreateUnicodeString(&U, u"path"));
    assert_ustr(&U, u"path");
    assert_int_equal(U.MaximumLength, 10);
    assert_int_equal(U.Buffer[4], 0);
    RtlFreeUnicodeString(&U);
    assert_true(RtlCreateUnicodeStringFromAsciiz(&U, "caf\xE9"));
    assert_ustr(&U, u"caf\u00e9");
    RtlFreeUnicodeString(&U);

    assert_int_equal(RtlDuplicateUnicodeString(1, &Src, &D), STATUS_SUCCESS);
    assert_ustr(&D, u"abc");
    assert_int_equal(D.MaximumLength, 8);
    assert_int_equal(D.Buffer[3], 0);
    RtlFreeUnicodeString(&D);
    assert_int_equal(RtlDuplicateUnicodeString(0, &Src, &D), STATUS_SUCCESS);
    assert_int_equal(D.MaximumLength, 6);                /* no room for a NUL asked */
    RtlFreeUnicodeString(&D);
    assert_int_equal(RtlDuplicateUnicodeString(1, &Empty, &D), STATUS_SUCCESS);
    assert_null(D.Buffer);
    assert_int_equal(RtlDuplicateUnicodeString(3, &Empty, &D), STATUS_SUCCESS);
    assert_non_null(D.Buffer);
    assert_int_equal(D.Length, 0);
    assert_int_equal(D.MaximumLength, 2);
    assert_int_equal(D.Buffer[0], 0);
    RtlFreeUnicodeString(&D);
    assert_int_equal(RtlDuplicateUnicodeString(2, &Src, &D), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlDuplicateUnicodeString(4, &Src, &D), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlDuplicateUnicodeString(1, NULL, &D), STATUS_INVALID_PARAMETER);

    enum { LongChars = 32767 };
    PWSTR Huge = malloc((LongChars + 1) * sizeof(WCHAR));
    for (int Index = 0; Index < LongChars; Index++)
        Huge[Index] = 'x';
    Huge[LongChars] = 0;
    assert_int_equal(RtlInitUnicodeStringEx(&U, Huge), STATUS_NAME_TOO_LONG);
    assert_int_equal(U.Length, 0);
    assert_false(RtlCreateUnicodeString(&U, Huge));
    Huge[LongChars - 1] = 0;                            /* 32766: the longest there is */
    assert_int_equal(RtlInitUnicodeStringEx(&U, Huge), STATUS_SUCCESS);
    assert_int_equal(U.Length, 65532);
    assert_int_equal(U.MaximumLength, 65534);
    free(Huge);
    assert_int_equal(RtlInitUnicodeStringEx(&U, NULL), STATUS_SUCCESS);
    assert_null(U.Buffer);
}

static void test_narrow_strings(void **State)
{
    STRING A, B;
    CHAR Buffer[4];
    STRING Upper = { 0, sizeof(Buffer), Buffer };

    (void)State;
    RtlInitString(&A, "abc\xE9");
    RtlInitString(&B, "ABC\xC9");
    assert_true(RtlCompareString(&A, &B, FALSE) > 0);
    assert_int_equal(RtlCompareString(&A, &B, TRUE), 0);
    assert_true(RtlEqualString(&A, &B, TRUE));
    assert_false(RtlEqualString(&A, &B, FALSE));
    RtlInitString(&B, "ab");
    assert_true(RtlCompareString(&B, &A, TRUE) < 0);     /* a prefix sorts first */
    RtlInitString(&A, "x\xB5\xFFyz");                   /* micro sign: no capital in 1252 */
    RtlUpperString(&Upper, &A);
    assert_int_equal(Upper.Length, 4);                   /* cut to the destination */
    assert_memory_equal(Buffer, "X\xB5\x9FY", 4);
}

static void test_downcase(void **State)
{
    WCHAR Buffer[8];
    UNICODE_STRING D = { 0, sizeof(Buffer), Buffer }, S = RTL_HOST_USTR(u"AbC\u00c9\u0416"), A;

    (void)State;
    assert_int_equal(RtlDowncaseUnicodeChar('Q'), 'q');
    assert_int_equal(RtlDowncaseUnicodeChar('q'), 'q');
    assert_int_equal(RtlDowncaseUnicodeChar(0x0178), 0xFF);
    assert_int_equal(RtlDowncaseUnicodeChar(0x0391), 0x03B1);
    assert_int_equal(RtlDowncaseUnicodeChar(0x0401), 0x0451);
    /* Every character lowered upcases back to itself. */
    for (ULONG Character = 0; Character < 0x10000; Character++) {
        WCHAR Lower = RtlDowncaseUnicodeChar((WCHAR)Character);
        if (Lower != Character && RtlUpcaseUnicodeChar(Lower) != Character)
            fail_msg("U+%04lX lowers to U+%04X, which upcases to U+%04X", Character, Lower,
                     RtlUpcaseUnicodeChar(Lower));
    }
    assert_int_equal(RtlDowncaseUnicodeString(&D, &S, FALSE), STATUS_SUCCESS);
    assert_ustr(&D, u"abc\u00e9\u0436");
    assert_int_equal(RtlDowncaseUnicodeString(&A, &S, TRUE), STATUS_SUCCESS);
    assert_ustr(&A, u"abc\u00e9\u0436");
    RtlFreeUnicodeString(&A);
    D.MaximumLength = 4;
    assert_int_equal(RtlDowncaseUnicodeString(&D, &S, FALSE), STATUS_BUFFER_OVERFLOW);
}

static void test_multibyte_n(void **State)
{
    WCHAR Wide[8];
    CHAR Narrow[8];
    ULONG Bytes = 0;
    ANSI_STRING A;
    UNICODE_STRING U = RTL_HOST_USTR(u"ab\u20ac");

    (void)State;
    assert_int_equal(RtlMultiByteToUnicodeN(Wide, sizeof(Wide), &Bytes, "x\x80y", 3), STATUS_SUCCESS);
    assert_int_equal(Bytes, 6);
    assert_int_equal(Wide[1], 0x20AC);
    /* Cut to the destination, still a success. */
    assert_int_equal(RtlMultiByteToUnicodeN(Wide, 4, &Bytes, "abc", 3), STATUS_SUCCESS);
    assert_int_equal(Bytes, 4);
    assert_int_equal(RtlOemToUnicodeN(Wide, sizeof(Wide), NULL, "\x82", 1), STATUS_SUCCESS);
    assert_int_equal(Wide[0], 0x00E9);
    assert_int_equal(RtlUnicodeToMultiByteN(Narrow, sizeof(Narrow), &Bytes, u"a\u20ac\u4e00", 6), STATUS_SUCCESS);
    assert_int_equal(Bytes, 3);
    assert_memory_equal(Narrow, "a\x80?", 3);
    assert_int_equal(RtlUnicodeToMultiByteN(Narrow, 2, &Bytes, u"abc", 6), STATUS_SUCCESS);
    assert_int_equal(Bytes, 2);
    assert_int_equal(RtlUnicodeToOemN(Narrow, sizeof(Narrow), &Bytes, u"\u00e9", 2), STATUS_SUCCESS);
    assert_int_equal((UCHAR)Narrow[0], 0x82);
    assert_int_equal(RtlUpcaseUnicodeToMultiByteN(Narrow, sizeof(Narrow), &Bytes, u"a\u00e9z", 6), STATUS_SUCCESS);
    assert_memory_equal(Narrow, "A\xC9Z", 3);
    assert_int_equal(RtlMultiByteToUnicodeSize(&Bytes, "abcd", 4), STATUS_SUCCESS);
    assert_int_equal(Bytes, 8);
    assert_int_equal(RtlUnicodeToMultiByteSize(&Bytes, u"abcd", 8), STATUS_SUCCESS);
    assert_int_equal(Bytes, 4);
    RtlInitAnsiString(&A, "abc");
    assert_int_equal(RtlAnsiStringToUnicodeSize(&A), 8);
    assert_int_equal(RtlxAnsiStringToUnicodeSize(&A), 8);
    assert_int_equal(RtlUnicodeStringToAnsiSize(&U), 4);
    assert_int_equal(RtlxUnicodeStringToAnsiSize(&U), 4);
    assert_int_equal(RtlUnicodeStringToOemString(&A, &U, TRUE), STATUS_SUCCESS);
    RtlFreeOemString(&A);
    assert_null(A.Buffer);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_init, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_copy_append, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_compare, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_upcase, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_ansi, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_oem, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_create_duplicate, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_narrow_strings, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_downcase, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_multibyte_n, Setup, RtlHostCheckLeaks),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

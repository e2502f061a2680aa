/*
 * test_fatname.c - FAT names and times (kernel/io/fat/fatname.c), on their own:
 * which names are 8.3 and with which case bits, alias basis names and numeric tails,
 * the long-name checksum, what long names FAT allows, case folding, patterns, and
 * the conversion between FAT's date/time fields and NT time.
 */
#include "test_fatfix.h"

static BOOLEAN IsShort(const char *Name, UCHAR Short[11], PUCHAR Case)
{
    PUNICODE_STRING String = TestFatString(Name);

    return FatpIsShortName(String->Buffer, String->Length / 2, Short, Case);
}

static void ExpectShort(const char *Name, const char *Short11, UCHAR Case)
{
    UCHAR Short[11], Got = 0xFF;

    assert_true(IsShort(Name, Short, &Got));
    assert_memory_equal(Short, Short11, 11);
    assert_int_equal(Got, Case);
}

static void test_short_names_exact(void **state)
{
    UCHAR Short[11], Case;
    static const char *NotShort[] = {
        "ReadMe.txt", "Makefile", "a.b.c", "toolongname.txt", "name.text", ".bashrc",
        "a b.txt", "a+b.c", "x,y", "[x]", "tr\xc3\xa8s.txt", "123456789", "a.", ".", "..",
    };
    ULONG Index;

    (void)state;
    ExpectShort("README.TXT", "README  TXT", 0);
    ExpectShort("readme.txt", "README  TXT", FAT_CASE_LOWER_BASE | FAT_CASE_LOWER_EXT);
    ExpectShort("readme.TXT", "README  TXT", FAT_CASE_LOWER_BASE);
    ExpectShort("README.txt", "README  TXT", FAT_CASE_LOWER_EXT);
    ExpectShort("makefile", "MAKEFILE   ", FAT_CASE_LOWER_BASE);
    ExpectShort("12345678.123", "12345678123", 0);
    ExpectShort("A", "A          ", 0);
    ExpectShort("x1$%-_@~.!()", "X1$%-_@~!()", FAT_CASE_LOWER_BASE);
    ExpectShort("file.c", "FILE    C  ", FAT_CASE_LOWER_BASE | FAT_CASE_LOWER_EXT);
    for (Index = 0; Index < RTL_NUMBER_OF(NotShort); Index++) {
        if (IsShort(NotShort[Index], Short, &Case)) {
            fail_msg("\"%s\" taken for an 8.3 name", NotShort[Index]);
        }
    }
}

static void ExpectBasis(const char *Name, const char *Basis11, BOOLEAN Tail)
{
    PUNICODE_STRING String = TestFatString(Name);
    UCHAR Basis[11];
    BOOLEAN NeedsTail = FatpMakeBasisName(String->Buffer, String->Length / 2, Basis);

    if (memcmp(Basis, Basis11, 11) != 0 || NeedsTail != Tail) {
        fail_msg("\"%s\": basis \"%.11s\" tail %d, want \"%s\" tail %d", Name, (char *)Basis, NeedsTail,
                 Basis11, Tail);
    }
}

static void ExpectTail(const char *Basis11, ULONG Number, const char *Want11)
{
    UCHAR Out[11];

    FatpAddNumericTail((const UCHAR *)Basis11, Number, Out);
    if (memcmp(Out, Want11, 11) != 0) {
        fail_msg("tail %lu on \"%s\": \"%.11s\", want \"%s\"", Number, Basis11, (char *)Out, Want11);
    }
}

static void test_alias_basis_and_tails(void **state)
{
    (void)state;
    ExpectBasis("Long File Name One.txt", "LONGFILETXT", TRUE);
    ExpectBasis("Makefile", "MAKEFILE   ", FALSE);
    ExpectBasis("ReadMe.txt", "README  TXT", FALSE);
    ExpectBasis(".bashrc", "BASHRC     ", TRUE);
    ExpectBasis("a.b.c", "AB      C  ", TRUE);
    ExpectBasis("a+b.c", "A_B     C  ", TRUE);
    ExpectBasis("tr\xc3\xa8s.txt", "TR_S    TXT", TRUE);
    ExpectBasis("name.text", "NAME    TEX", TRUE);
    ExpectBasis("x y.tar.gz", "XYTAR   GZ ", TRUE);
    ExpectBasis("ABCDEFGHIJ", "ABCDEFGH   ", TRUE);

    ExpectTail("LONGFILETXT", 1, "LONGFI~1TXT");
    ExpectTail("LONGFILETXT", 2, "LONGFI~2TXT");
    ExpectTail("LONGFILETXT", 10, "LONGF~10TXT");
    ExpectTail("LONGFILETXT", 123456, "L~123456TXT");
    ExpectTail("AB      C  ", 1, "AB~1    C  ");
    ExpectTail("BASHRC     ", 99, "BASHR~99   ");
}

static void test_lfn_checksum(void **state)
{
    (void)state;
    /* From an image mcopy made: "A Long File Name.text" as ALONGF~1.TEX. */
    assert_int_equal(FatpLfnChecksum((const UCHAR *)"ALONGF~1TEX"), 0x7D);
    assert_int_equal(FatpLfnChecksum((const UCHAR *)"           "), 0xF7);
    assert_int_not_equal(FatpLfnChecksum((const UCHAR *)"LONGFI~1TXT"),
                         FatpLfnChecksum((const UCHAR *)"LONGFI~2TXT"));
}

static BOOLEAN ValidLong(const char *Name)
{
    PUNICODE_STRING String = TestFatString(Name);

    return FatpIsValidLongName(String->Buffer, String->Length / 2);
}

static void test_long_name_validity(void **state)
{
    static const char *Bad[] = {
        "", "a*b", "a?b", "a:b", "a<b", "a>b", "a|b", "a\"b", "a/b", "a\\b", "a\x01", "tab\there",
        "a.", "a ", ".", "..", "...",
    };
    static const char *Good[] = {
        "a", "+,;=[]", " leading space", "x.y.z", "tr\xc3\xa8s", "\xd0\x96\xd1\x83\xd0\xba",
        "a'b`c!d#e$f%g&h(i)j{k}l~m^n@o", ".hidden",
    };
    char Long[300];
    ULONG Index;

    (void)state;
    for (Index = 0; Index < RTL_NUMBER_OF(Bad); Index++) {
        if (ValidLong(Bad[Index])) {
            fail_msg("\"%s\" accepted", Bad[Index]);
        }
    }
    for (Index = 0; Index < RTL_NUMBER_OF(Good); Index++) {
        if (!ValidLong(Good[Index])) {
            fail_msg("\"%s\" refused", Good[Index]);
        }
    }
    memset(Long, 'n', sizeof(Long));
    Long[255] = '\0';
    assert_true(ValidLong(Long));
    Long[255] = 'n';
    Long[256] = '\0';
    assert_false(ValidLong(Long));
}

static BOOLEAN Equal(const char *A, const char *B)
{
    PUNICODE_STRING SA = TestFatString(A), SB = TestFatString(B);

    return FatpNamesEqual(SA->Buffer, SA->Length / 2, SB->Buffer, SB->Length / 2);
}

static void test_case_folding(void **state)
{
    (void)state;
    assert_true(Equal("Read Me.TXT", "read me.txt"));
    assert_true(Equal("tr\xc3\xa8s", "TR\xc3\x88S"));                   /* e grave */
    assert_true(Equal("\xd0\xb6\xd1\x83\xd0\xba", "\xd0\x96\xd0\xa3\xd0\x9a")); /* Cyrillic */
    assert_true(Equal("\xcf\x82", "\xce\xa3"));                         /* final sigma */
    assert_false(Equal("abc", "abcd"));
    assert_false(Equal("abc", "abd"));
    assert_int_equal(FatpUpcase('a'), 'A');
    assert_int_equal(FatpUpcase('['), '[');
    assert_int_equal(FatpUpcase(0xFF), 0x178);
    assert_int_equal(FatpUpcase(0xF7), 0xF7);                           /* division sign */
}

static BOOLEAN Match(const char *Pattern, const char *Name)
{
    PUNICODE_STRING P = TestFatString(Pattern), N = TestFatString(Name);

    return FatpMatchPattern(P->Buffer, P->Length / 2, N->Buffer, N->Length / 2);
}

static void test_patterns(void **state)
{
    (void)state;
    assert_true(Match("*", "anything.at all"));
    assert_true(Match("*.txt", "Notes.TXT"));
    assert_false(Match("*.txt", "notes.txt.bak"));
    assert_true(Match("a?c", "ABC"));
    assert_false(Match("a?c", "ac"));
    assert_true(Match("*a*b*", "xxAyyByy"));
    assert_false(Match("*a*b*", "xxByyAyy"));
    assert_true(Match("*.*", "a.b"));
    assert_false(Match("*.*", "ab"));        /* plain '*': kernel32 turns "*.*" into "*" */
    assert_true(Match("long*~1.*", "LONGFI~1.TXT"));
    assert_true(Match("**", ""));
}

static void test_format_short_name(void **state)
{
    FAT_DIRENT Dirent;
    WCHAR Out[13];
    ULONG Length;

    (void)state;
    memset(&Dirent, 0, sizeof(Dirent));
    memcpy(Dirent.Name, "README  TXT", 11);
    Dirent.NtCase = FAT_CASE_LOWER_BASE | FAT_CASE_LOWER_EXT;
    Length = FatpFormatShortName(&Dirent, TRUE, Out);
    assert_string_equal(TestFatUtf8(Out, Length * 2), "readme.txt");
    Length = FatpFormatShortName(&Dirent, FALSE, Out);
    assert_string_equal(TestFatUtf8(Out, Length * 2), "README.TXT");
    Dirent.NtCase = FAT_CASE_LOWER_EXT;
    Length = FatpFormatShortName(&Dirent, TRUE, Out);
    assert_string_equal(TestFatUtf8(Out, Length * 2), "README.txt");
    memcpy(Dirent.Name, "NOEXT      ", 11);
    Length = FatpFormatShortName(&Dirent, TRUE, Out);
    assert_string_equal(TestFatUtf8(Out, Length * 2), "NOEXT");
    memcpy(Dirent.Name, "\x05" "BC     D  ", 11);
    Length = FatpFormatShortName(&Dirent, FALSE, Out);
    assert_int_equal(Length, 5);
    assert_int_equal(Out[0], 0xD5);            /* 0x05 stands for 0xE5: O tilde in code page 850 */
    memcpy(Dirent.Name, "CAF\x90    TXT", 11);
    Dirent.NtCase = FAT_CASE_LOWER_BASE | FAT_CASE_LOWER_EXT;
    Length = FatpFormatShortName(&Dirent, TRUE, Out);
    assert_string_equal(TestFatUtf8(Out, Length * 2), "caf\xc3\xa9.txt");   /* mcopy's "café.txt" */
}

static void test_times(void **state)
{
    USHORT Date, Time;
    UCHAR Tenths;
    LONGLONG NtTime;

    (void)state;
    NtTime = TestFatMakeTime(2024, 5, 17, 13, 45, 22, 500);
    FatpNtTimeToFatTime(NtTime, &Date, &Time, &Tenths);
    assert_int_equal(Date, (44 << 9) | (5 << 5) | 17);
    assert_int_equal(Time, (13 << 11) | (45 << 5) | 11);
    assert_int_equal(Tenths, 50);
    assert_true(FatpFatTimeToNtTime(Date, Time, Tenths) == NtTime);
    /* Without the tenths (write times), 2 s resolution, rounded down. */
    assert_true(FatpFatTimeToNtTime(Date, Time, 0) == TestFatMakeTime(2024, 5, 17, 13, 45, 22, 0));

    NtTime = TestFatMakeTime(1999, 12, 31, 23, 59, 59, 990);
    FatpNtTimeToFatTime(NtTime, &Date, &Time, &Tenths);
    assert_int_equal(Tenths, 199);
    assert_true(FatpFatTimeToNtTime(Date, Time, Tenths) == NtTime);

    /* Outside 1980..2107: clamped to the ends. */
    FatpNtTimeToFatTime(TestFatMakeTime(1970, 1, 1, 0, 0, 0, 0), &Date, &Time, &Tenths);
    assert_true(FatpFatTimeToNtTime(Date, Time, Tenths) == TestFatMakeTime(1980, 1, 1, 0, 0, 0, 0));
    FatpNtTimeToFatTime(TestFatMakeTime(2200, 6, 1, 0, 0, 0, 0), &Date, &Time, &Tenths);
    assert_true(FatpFatTimeToNtTime(Date, Time, Tenths) == TestFatMakeTime(2107, 12, 31, 23, 59, 59, 990));
    FatpNtTimeToFatTime(0, &Date, &Time, &Tenths);
    assert_int_equal(Date, (1 << 5) | 1);

    /* Fields FAT cannot mean: no time, as NT reports them. */
    assert_true(FatpFatTimeToNtTime(0, 0, 0) == 0);
    assert_true(FatpFatTimeToNtTime((44 << 9) | (13 << 5) | 1, 0, 0) == 0);   /* month 13 */
    assert_true(FatpFatTimeToNtTime((44 << 9) | (2 << 5) | 30, 0, 0) == 0);   /* Feb 30 */
    assert_true(FatpFatTimeToNtTime((44 << 9) | (1 << 5) | 1, 30, 0) == 0);   /* second 60 */
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_short_names_exact),
        cmocka_unit_test(test_alias_basis_and_tails),
        cmocka_unit_test(test_lfn_checksum),
        cmocka_unit_test(test_long_name_validity),
        cmocka_unit_test(test_case_folding),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_format_short_name),
        cmocka_unit_test(test_times),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

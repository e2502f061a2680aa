/*
 * test_format.c - host tests for RtlStringVPrintf / RtlStringPrintf (kernel/rtl/format.c).
 *
 * Where C defines the behaviour, the result is compared with the host C library's
 * vsnprintf (which this program still gets from libc: string.c does not define it).
 * NT's extras (%S %Z %wZ I64, %p, "(null)", unknown conversions) are checked against
 * fixed expected strings.
 *
 * The checks go through small non-printf-attributed wrappers so that gcc's format
 * checking does not reject NT-only conversions such as %wZ.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <cmocka.h>

#include <rtl.h>

#define SENTINEL '#'

/* Formats with our engine into a large buffer and checks text and return value. */
static void ExpectAt(const char *File, int Line, const char *Expected, const char *Format, ...)
{
    char Buffer[512];
    va_list Args;
    va_list Copy;
    int Length;
    int Measured;

    va_start(Args, Format);
    va_copy(Copy, Args);
    Length = RtlStringVPrintf(Buffer, sizeof(Buffer), Format, Args);
    /* Measuring only (NULL buffer, size 0) must report the same length. */
    Measured = RtlStringVPrintf(NULL, 0, Format, Copy);
    va_end(Copy);
    va_end(Args);

    _assert_string_equal(Buffer, Expected, File, Line);
    _assert_int_equal((LargestIntegralType)Length, (LargestIntegralType)strlen(Expected), File, Line);
    _assert_int_equal((LargestIntegralType)Measured, (LargestIntegralType)Length, File, Line);
}
#define EXPECT(Expected, ...) ExpectAt(__FILE__, __LINE__, (Expected), __VA_ARGS__)

/* Formats with our engine and with the host's vsnprintf; both must agree exactly. */
static void VCompareWithHostAt(const char *File, int Line, const char *Format, va_list Args)
{
    char Ours[512];
    char Host[512];
    va_list Copy;
    int OurLength;
    int HostLength;

    va_copy(Copy, Args);
    OurLength = RtlStringVPrintf(Ours, sizeof(Ours), Format, Args);
    HostLength = vsnprintf(Host, sizeof(Host), Format, Copy);
    va_end(Copy);

    if (OurLength != HostLength || strcmp(Ours, Host) != 0) {
        print_error("format \"%s\": ours \"%s\" (%d), host \"%s\" (%d)\n",
                    Format, Ours, OurLength, Host, HostLength);
    }
    _assert_string_equal(Ours, Host, File, Line);
    _assert_int_equal((LargestIntegralType)OurLength, (LargestIntegralType)HostLength, File, Line);
}

static void CompareWithHostAt(const char *File, int Line, const char *Format, ...)
{
    va_list Args;

    va_start(Args, Format);
    VCompareWithHostAt(File, Line, Format, Args);
    va_end(Args);
}
#define HOST(...) CompareWithHostAt(__FILE__, __LINE__, __VA_ARGS__)

static int OurFormat(char *Buffer, size_t Size, const char *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = RtlStringVPrintf(Buffer, Size, Format, Args);
    va_end(Args);
    return Length;
}

static void test_plain_text(void **State)
{
    (void)State;
    EXPECT("", "");
    EXPECT("hello, world", "hello, world");
    EXPECT("%", "%%");
    EXPECT("100% sure", "100%% sure");
    EXPECT("a%%b", "a%%%%b");
    HOST("tab\tnewline\n");
}

static void test_signed_decimal(void **State)
{
    static const int Values[] = { 0, 1, -1, 9, 10, -10, 42, 12345, -98765, INT_MAX, INT_MIN };
    size_t Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Values); Index++) {
        HOST("%d", Values[Index]);
        HOST("%i", Values[Index]);
        HOST("[%d|%i]", Values[Index], -Values[Index] / 2);
    }
    EXPECT("-2147483648", "%d", INT_MIN);
    EXPECT("2147483647", "%i", INT_MAX);
}

static void test_unsigned_conversions(void **State)
{
    static const unsigned int Values[] = {
        0, 1, 7, 8, 9, 10, 15, 16, 255, 256, 0x7FFFFFFF, 0x80000000, 0xDEADBEEF, UINT_MAX,
    };
    size_t Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Values); Index++) {
        HOST("%u", Values[Index]);
        HOST("%x", Values[Index]);
        HOST("%X", Values[Index]);
        HOST("%o", Values[Index]);
    }
    EXPECT("deadbeef DEADBEEF 33653337357 3735928559", "%x %X %o %u",
           0xDEADBEEFu, 0xDEADBEEFu, 0xDEADBEEFu, 0xDEADBEEFu);
}

/*
 * Every combination of flags, widths and precisions for every integer conversion,
 * compared with the host. '#' is left out for d, i and u (undefined in C), and the
 * '0' flag is combined with '-' too (C says '-' wins).
 */
static void test_integer_flag_matrix(void **State)
{
    static const char FlagChars[] = "-0+ #";
    static const char *const Widths[] = { "", "1", "5", "12" };
    static const char *const Precisions[] = { "", ".", ".0", ".1", ".3", ".10" };
    static const char Conversions[] = "diuxXo";
    static const int Values[] = { 0, 1, -1, 7, 42, -42, 255, 0x7F, INT_MIN, INT_MAX };
    unsigned int FlagSet;
    size_t W, P, C, V;
    unsigned long Compared = 0;

    (void)State;
    for (FlagSet = 0; FlagSet < 32; FlagSet++) {
        for (C = 0; Conversions[C] != '\0'; C++) {
            char Flags[8];
            size_t FlagCount = 0;
            unsigned int Bit;
            BOOLEAN Signed = Conversions[C] == 'd' || Conversions[C] == 'i';
            BOOLEAN Decimal = Signed || Conversions[C] == 'u';

            if (Decimal && (FlagSet & 0x10)) {
                continue;
            }
            for (Bit = 0; Bit < 5; Bit++) {
                if (FlagSet & (1U << Bit)) {
                    Flags[FlagCount++] = FlagChars[Bit];
                }
            }
            Flags[FlagCount] = '\0';

            for (W = 0; W < RTL_NUMBER_OF(Widths); W++) {
                for (P = 0; P < RTL_NUMBER_OF(Precisions); P++) {
                    char Format[32];

                    snprintf(Format, sizeof(Format), "<%%%s%s%s%c>",
                             Flags, Widths[W], Precisions[P], Conversions[C]);
                    for (V = 0; V < RTL_NUMBER_OF(Values); V++) {
                        HOST(Format, Values[V]);
                        Compared++;
                    }
                }
            }
        }
    }
    assert_true(Compared > 10000);
}

static void test_flags_examples(void **State)
{
    (void)State;
    EXPECT("   42", "%5d", 42);
    EXPECT("42   |", "%-5d|", 42);
    EXPECT("00042", "%05d", 42);
    EXPECT("-0042", "%05d", -42);
    EXPECT("+42", "%+d", 42);
    EXPECT(" 42", "% d", 42);
    EXPECT("+42", "%+ d", 42);
    EXPECT("  +042", "%+6.3d", 42);
    EXPECT("0x2a", "%#x", 42);
    EXPECT("0X2A", "%#X", 42);
    EXPECT("0x002a", "%#06x", 42);
    EXPECT("052", "%#o", 42);
    EXPECT("0", "%#o", 0);
    EXPECT("0", "%#x", 0);
    EXPECT("", "%.0d", 0);
    EXPECT("", "%#.0x", 0);
    EXPECT("0", "%#.0o", 0);
    EXPECT("     ", "%5.0u", 0);
    EXPECT("   00042", "%08.5d", 42);
    EXPECT("-2147483648", "%+d", INT_MIN);
}

static void test_star_width_and_precision(void **State)
{
    static const int Widths[] = { 0, 1, 6, 15, -1, -6, -15 };
    static const int Precisions[] = { -1, -5, 0, 1, 4, 10 };
    size_t W, P;

    (void)State;
    for (W = 0; W < RTL_NUMBER_OF(Widths); W++) {
        HOST("[%*d]", Widths[W], 1234);
        HOST("[%0*x]", Widths[W], 0xABCu);
        HOST("[%*s]", Widths[W], "str");
        HOST("[%*c]", Widths[W], 'z');
        for (P = 0; P < RTL_NUMBER_OF(Precisions); P++) {
            HOST("[%*.*d]", Widths[W], Precisions[P], -77);
            HOST("[%0*.*u]", Widths[W], Precisions[P], 77u);
            HOST("[%*.*s]", Widths[W], Precisions[P], "abcdefgh");
        }
    }
    /* A negative '*' width is the '-' flag, even combined with '0'. */
    EXPECT("[7    ]", "[%0*d]", -5, 7);
    /* A negative '*' precision is no precision, so '0' pads again. */
    EXPECT("[00007]", "[%0*.*d]", 5, -1, 7);
    /* INT_MIN as a width must not overflow; measure only (2^31 characters). */
    assert_int_equal(OurFormat(NULL, 0, "%*d", -10, 5), 10);
}

static void test_length_modifiers(void **State)
{
    (void)State;
    /* hh and h truncate the promoted int to char and short. */
    HOST("%hhd %hhd %hhd %hhd", 300, -129, 127, 128);
    HOST("%hhu %hhx %hho", 0x1FF, 0x1AB, 0x1FF);
    HOST("%hd %hd %hd", 70000, -32769, 32767);
    HOST("%hu %hx %hX %ho", 0x12345, 0xFFFF1, 0xABCDE, 0x10008);

    /* l is long, which is 32 bits on i386. */
    HOST("%ld %lu %lx %lo", LONG_MIN, ULONG_MAX, 0xCAFEBABEUL, 0777UL);

    /* z, t and j. */
    HOST("%zu %zx %zd", (size_t)123456, (size_t)0xFFFFFFFF, (ptrdiff_t)-5);
    HOST("%td %tx", (ptrdiff_t)-12345, (ptrdiff_t)0x1234);
    HOST("%jd %ju %jx", (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX, (uintmax_t)0x123456789ULL);

    /* Microsoft's I64, I32 and I. */
    EXPECT("-9223372036854775808", "%I64d", (LONGLONG)INT64_MIN);
    EXPECT("18446744073709551615", "%I64u", (ULONGLONG)UINT64_MAX);
    EXPECT("123456789abcdef0 123456789ABCDEF0", "%I64x %I64X",
           0x123456789ABCDEF0ULL, 0x123456789ABCDEF0ULL);
    EXPECT("1777777777777777777777", "%I64o", (ULONGLONG)UINT64_MAX);
    EXPECT("0x00000001ffffffff", "%#018I64x", 0x1FFFFFFFFULL);
    EXPECT("-1 4294967295", "%I32d %I32u", -1, 0xFFFFFFFFu);
    EXPECT("-7 fffffff9", "%Id %Ix", (LONG_PTR)-7, (ULONG_PTR)-7);
    /* An argument after a 64-bit one is read from the right place. */
    EXPECT("1 2 3", "%I64u %d %llu", 1ULL, 2, 3ULL);
}

/* 64-bit values: the extremes and a spread of values, against the host. */
static void test_64bit_values(void **State)
{
    static const ULONGLONG Fixed[] = {
        0, 1, 9, 10, 99, 100, 0xFFFFFFFFULL, 0x100000000ULL, 0x100000001ULL,
        9999999999ULL, 10000000000ULL, 0x7FFFFFFFFFFFFFFFULL, 0x8000000000000000ULL,
        0xFFFFFFFFFFFFFFFEULL, 0xFFFFFFFFFFFFFFFFULL, 10000000000000000000ULL,
        9999999999999999999ULL, 1844674407370955161ULL,
    };
    ULONGLONG Value;
    ULONGLONG Power;
    size_t Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Fixed); Index++) {
        HOST("%llu %lld %llx %llX %llo", Fixed[Index], (long long)Fixed[Index],
             Fixed[Index], Fixed[Index], Fixed[Index]);
        HOST("%+25lld|%-25llu|%#30llo|%#.20llx", (long long)Fixed[Index],
             Fixed[Index], Fixed[Index], Fixed[Index]);
    }

    /* Every power of ten and its neighbours, where decimal carries go wrong. */
    for (Power = 1; ; Power *= 10) {
        HOST("%llu %llu %llu %lld", Power - 1, Power, Power + 1, -(long long)Power);
        if (Power > 0xFFFFFFFFFFFFFFFFULL / 10) {
            break;
        }
    }

    /* A pseudo-random walk over the whole range (64-bit LCG, Knuth's MMIX constants). */
    Value = 0x0123456789ABCDEFULL;
    for (Index = 0; Index < 20000; Index++) {
        Value = Value * 6364136223846793005ULL + 1442695040888963407ULL;
        HOST("%llu %lld", Value >> (Index % 64), (long long)Value);
    }

    EXPECT("0 18446744073709551615 -9223372036854775808 9223372036854775807",
           "%llu %llu %lld %lld", 0ULL, (ULONGLONG)UINT64_MAX, (LONGLONG)INT64_MIN,
           (LONGLONG)INT64_MAX);
    EXPECT("ffffffffffffffff 8000000000000000", "%llx %llx",
           (ULONGLONG)UINT64_MAX, 0x8000000000000000ULL);
}

static void test_pointer(void **State)
{
    (void)State;
    /* NT style: 8 upper-case hex digits, no prefix. */
    EXPECT("8010ABCD", "%p", (PVOID)0x8010ABCD);
    EXPECT("00000000", "%p", NULL);
    EXPECT("0000BEEF", "%p", (PVOID)0xBEEF);
    EXPECT("    8010ABCD|", "%12p|", (PVOID)0x8010ABCD);
    EXPECT("8010ABCD    |", "%-12p|", (PVOID)0x8010ABCD);
    /* Sign, '#' and '0' have no meaning for pointers here. */
    EXPECT("    00001000", "%+#012p", (PVOID)0x1000);
    EXPECT("FFFFFFFF 1", "%p %d", (PVOID)0xFFFFFFFF, 1);
}

static void test_characters(void **State)
{
    (void)State;
    HOST("%c", 'A');
    HOST("[%5c][%-5c][%1c]", 'x', 'y', 'z');
    HOST("%c%c%c", 'a', 'b', 'c');
    /* A precision does not cut a character. */
    EXPECT("[q]", "[%.0c]", 'q');
    EXPECT("A", "%c", 'A');
    /* Wide characters: %lc, %wc and %C take a WCHAR; non-ASCII prints '?'. */
    EXPECT("A B C", "%lc %wc %C", (WCHAR)'A', (WCHAR)'B', (WCHAR)'C');
    EXPECT("? ? ~", "%lc %C %wc", (WCHAR)0x263A, (WCHAR)0x80, (WCHAR)0x7E);
    EXPECT("   ?|", "%4C|", (WCHAR)0xFFFF);
    /* %hC is narrow. */
    EXPECT("Q", "%hC", 'Q');
}

static void test_narrow_strings(void **State)
{
    static const char Unterminated[3] = { 'a', 'b', 'c' };

    (void)State;
    HOST("%s", "hello");
    HOST("%s", "");
    HOST("[%10s][%-10s][%.2s][%10.2s][%-10.2s][%.0s][%.10s]",
         "abc", "abc", "abc", "abc", "abc", "abc", "abc");
    HOST("[%05s]", "ab");
    HOST("%s %s %s", "one", "two", "three");
    EXPECT("(null)", "%s", (char *)NULL);
    EXPECT("  (null)|(null)  |", "%8s|%-8s|", (char *)NULL, (char *)NULL);
    /* The precision cuts "(null)" like any other string. */
    EXPECT("(nu", "%.3s", (char *)NULL);
    /* With a precision the string need not be terminated. */
    EXPECT("abc", "%.3s", Unterminated);
    EXPECT("ab", "%.2s", Unterminated);
    /* %hs and %hS are always narrow. */
    EXPECT("narrow narrow", "%hs %hS", "narrow", "narrow");
}

static void test_wide_strings(void **State)
{
    static const WCHAR Hello[] = u"Hello";
    static const WCHAR Mixed[] = { 'a', 0xE9, 'b', 0x4E2D, 0xD83D, 0xDE00, 'c', 0 };
    static const WCHAR Unterminated[4] = { 'w', 'x', 'y', 'z' };

    (void)State;
    EXPECT("Hello", "%S", Hello);
    EXPECT("Hello", "%ls", Hello);
    EXPECT("Hello", "%ws", Hello);
    EXPECT("Hello", "%lS", Hello);
    EXPECT("", "%S", u"");
    EXPECT("a?b???c", "%S", Mixed);
    EXPECT("[   Hello][Hello   ][He][     Hel]", "[%8S][%-8ls][%.2ws][%8.3S]",
           Hello, Hello, Hello, Hello);
    EXPECT("(null)", "%S", (PCWSTR)NULL);
    EXPECT("(null)|(nu", "%ls|%.3ws", (PCWSTR)NULL, (PCWSTR)NULL);
    EXPECT("wxyz", "%.4S", Unterminated);
    EXPECT("w", "%.1ls", Unterminated);
    EXPECT("Hello 42", "%S %d", Hello, 42);
}

static void test_ansi_string(void **State)
{
    /* Counted strings need not be NUL-terminated; Length is what counts. */
    static char Storage[] = { 'c', 'o', 'u', 'n', 't', 'e', 'd', 'X', 'Y', 'Z' };
    ANSI_STRING String;
    ANSI_STRING Empty = { 0, 0, Storage };
    ANSI_STRING NullBuffer = { 4, 4, NULL };

    (void)State;
    String.Buffer = Storage;
    String.MaximumLength = sizeof(Storage);

    String.Length = 7;
    EXPECT("counted", "%Z", &String);
    EXPECT("[   counted][counted   ][cou]", "[%10Z][%-10Z][%.3Z]", &String, &String, &String);
    EXPECT("<counted>", "<%hZ>", &String);

    /* Odd and even lengths, including 1 and the full buffer. */
    String.Length = 1;
    EXPECT("c", "%Z", &String);
    String.Length = 5;
    EXPECT("count", "%Z", &String);
    String.Length = 10;
    EXPECT("countedXYZ", "%Z", &String);

    EXPECT("[]", "[%Z]", &Empty);
    EXPECT("(null)", "%Z", (PANSI_STRING)NULL);
    EXPECT("(null)", "%Z", &NullBuffer);
    String.Length = 7;
    EXPECT("a counted 7", "a %Z %d", &String, 7);
}

static void test_unicode_string(void **State)
{
    static WCHAR Storage[] = { 'U', 'n', 'i', 0x263A, 'c', 'o', 'd', 'e' };
    UNICODE_STRING String;
    UNICODE_STRING NullBuffer = { 2, 2, NULL };

    (void)State;
    String.Buffer = Storage;
    String.MaximumLength = sizeof(Storage);

    /* Length is in bytes: 16 bytes = 8 WCHARs. */
    String.Length = sizeof(Storage);
    EXPECT("Uni?code", "%wZ", &String);
    EXPECT("[  Uni?code][Uni?code  ][Un]", "[%10wZ][%-10wZ][%.2wZ]", &String, &String, &String);

    /* Odd byte lengths: the trailing half WCHAR is not printed. */
    String.Length = 1;
    EXPECT("[]", "[%wZ]", &String);
    String.Length = 3;
    EXPECT("U", "%wZ", &String);
    String.Length = 5;
    EXPECT("Un", "%wZ", &String);
    String.Length = 6;
    EXPECT("Uni", "%wZ", &String);
    String.Length = 0;
    EXPECT("[]", "[%wZ]", &String);

    /* %lZ is a synonym for %wZ. */
    String.Length = 6;
    EXPECT("Uni", "%lZ", &String);

    EXPECT("(null)", "%wZ", (PUNICODE_STRING)NULL);
    EXPECT("(null)", "%wZ", &NullBuffer);
    EXPECT("x Uni y", "x %wZ %c", &String, 'y');
}

static void test_unknown_conversions(void **State)
{
    (void)State;
    EXPECT("%q", "%q");
    EXPECT("a%qb", "a%qb");
    EXPECT("%-5q", "%-5q");
    EXPECT("%lly", "%lly");
    /* No %n: it consumes no argument. */
    EXPECT("%n 5", "%n %d", 5);
    /* No floating point, but each conversion takes its double, so that the ones
       after it still get theirs (a C caller always passes a double for them). */
    EXPECT("%f 7", "%f %d", 1.5, 7);
    EXPECT("%e|%G|%.2f|%a 9", "%e|%G|%.2f|%a %d", 1.0, 2.0, 3.0, 4.0, 9);
    /* A format that ends inside a specification. */
    EXPECT("%", "%");
    EXPECT("abc%", "abc%");
    EXPECT("%5", "%5");
    EXPECT("%-#08.3l", "%-#08.3l");
    EXPECT("%I6", "%I6");
    /* "%I6d": a bare I (pointer-sized) followed by the unknown conversion '6'. */
    EXPECT("%I6d", "%I6d");
    /* Other text around is unaffected. */
    EXPECT("x%yz 1", "x%yz %d", 1);
    /* '%' with width: C prints a lone '%'. */
    HOST("[%5%]");
}

/* The C99 truncation contract, at every buffer size, against the host. */
static void test_truncation_every_size(void **State)
{
    static const char Format[] = "[%5d|%-6s|%#x|%+.3d|%c|%%|%llu|%o]";
    char Host[128];
    char Ours[128];
    int HostLength;
    size_t Size;

    (void)State;
    HostLength = snprintf(NULL, 0, Format, -42, "ab", 0xBEEFu, 7, 'Q', 18446744073709551615ULL, 8u);
    assert_true(HostLength > 40);

    for (Size = 0; Size <= (size_t)HostLength + 3; Size++) {
        int OurLength;
        size_t Index;

        memset(Host, SENTINEL, sizeof(Host));
        memset(Ours, SENTINEL, sizeof(Ours));
        snprintf(Host, Size, Format, -42, "ab", 0xBEEFu, 7, 'Q', 18446744073709551615ULL, 8u);
        OurLength = RtlStringPrintf(Ours, Size, Format,
                                    -42, "ab", 0xBEEFu, 7, 'Q', 18446744073709551615ULL, 8u);

        /* Always the full length, whatever the size. */
        assert_int_equal(OurLength, HostLength);
        /* Same bytes written, and nothing beyond Size touched. */
        assert_memory_equal(Ours, Host, sizeof(Ours));
        for (Index = Size; Index < sizeof(Ours); Index++) {
            assert_int_equal(Ours[Index], SENTINEL);
        }
        if (Size == 0) {
            assert_int_equal(Ours[0], SENTINEL);
        } else {
            size_t Stored = Size - 1 < (size_t)HostLength ? Size - 1 : (size_t)HostLength;

            assert_int_equal(Ours[Stored], '\0');
            assert_int_equal(strlen(Ours), Stored);
        }
    }
}

/* Truncation in the middle of NT conversions and padding. */
static void test_truncation_nt_conversions(void **State)
{
    static const WCHAR Wide[] = u"wide";
    UNICODE_STRING Unicode = { 8, 8, (PWSTR)Wide };
    char Buffer[16];
    int Length;

    (void)State;
    memset(Buffer, SENTINEL, sizeof(Buffer));
    Length = OurFormat(Buffer, 6, "%wZ-%p", &Unicode, (PVOID)0x12345678);
    assert_int_equal(Length, 13);
    assert_string_equal(Buffer, "wide-");
    assert_int_equal(Buffer[6], SENTINEL);

    memset(Buffer, SENTINEL, sizeof(Buffer));
    Length = OurFormat(Buffer, 3, "%10S", Wide);
    assert_int_equal(Length, 10);
    assert_string_equal(Buffer, "  ");
    assert_int_equal(Buffer[3], SENTINEL);

    memset(Buffer, SENTINEL, sizeof(Buffer));
    Length = OurFormat(Buffer, 1, "%I64u", 12345678901234ULL);
    assert_int_equal(Length, 14);
    assert_int_equal(Buffer[0], '\0');
    assert_int_equal(Buffer[1], SENTINEL);
}

static void test_zero_size(void **State)
{
    char Buffer[4] = { SENTINEL, SENTINEL, SENTINEL, SENTINEL };

    (void)State;
    /* Size 0 writes nothing at all, not even a NUL, and the buffer may be NULL. */
    assert_int_equal(RtlStringPrintf(Buffer, 0, "%s", "abc"), 3);
    assert_int_equal(Buffer[0], SENTINEL);
    assert_int_equal(RtlStringPrintf(NULL, 0, "%d-%s", 12345, "xyz"), 9);
    assert_int_equal(OurFormat(NULL, 0, ""), 0);

    /* Size 1 stores only the NUL. */
    assert_int_equal(RtlStringPrintf(Buffer, 1, "%s", "abc"), 3);
    assert_int_equal(Buffer[0], '\0');
    assert_int_equal(Buffer[1], SENTINEL);
}

static void test_wide_output(void **State)
{
    char Buffer[512];
    char Expected[512];
    int Length;

    (void)State;
    /* Padding longer than the buffer keeps counting. */
    Length = RtlStringPrintf(Buffer, sizeof(Buffer), "%300d|", 1);
    assert_int_equal(Length, 301);
    assert_int_equal(snprintf(Expected, sizeof(Expected), "%300d|", 1), 301);
    assert_string_equal(Buffer, Expected);

    assert_int_equal(RtlStringPrintf(NULL, 0, "%-1000s|", "x"), 1001);
    assert_int_equal(RtlStringPrintf(NULL, 0, "%.700d", 5), 700);
    /* A huge width saturates rather than overflowing the parser. */
    assert_int_equal(OurFormat(NULL, 0, "%99999999999999999999q"), 22);
    assert_int_equal(OurFormat(NULL, 0, "%.99999999999999999999q"), 23);
}

/* The va_list entry point, called the way DbgPrint-style wrappers call it. */
static int CallVPrintf(char *Buffer, size_t Size, const char *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = RtlStringVPrintf(Buffer, Size, Format, Args);
    va_end(Args);
    return Length;
}

static void test_vprintf_entry(void **State)
{
    char Buffer[32];

    (void)State;
    assert_int_equal(CallVPrintf(Buffer, sizeof(Buffer), "%d %s", 7, "seven"), 7);
    assert_string_equal(Buffer, "7 seven");
    assert_int_equal(RtlStringPrintf(Buffer, sizeof(Buffer), "%s=%u", "x", 3u), 3);
    assert_string_equal(Buffer, "x=3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_signed_decimal),
        cmocka_unit_test(test_unsigned_conversions),
        cmocka_unit_test(test_integer_flag_matrix),
        cmocka_unit_test(test_flags_examples),
        cmocka_unit_test(test_star_width_and_precision),
        cmocka_unit_test(test_length_modifiers),
        cmocka_unit_test(test_64bit_values),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_characters),
        cmocka_unit_test(test_narrow_strings),
        cmocka_unit_test(test_wide_strings),
        cmocka_unit_test(test_ansi_string),
        cmocka_unit_test(test_unicode_string),
        cmocka_unit_test(test_unknown_conversions),
        cmocka_unit_test(test_truncation_every_size),
        cmocka_unit_test(test_truncation_nt_conversions),
        cmocka_unit_test(test_zero_size),
        cmocka_unit_test(test_wide_output),
        cmocka_unit_test(test_vprintf_entry),
    };

    return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}

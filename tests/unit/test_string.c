/*
 * test_string.c - host tests for the freestanding C string helpers (kernel/rtl/string.c).
 *
 * This program links string.c in place of the C library's versions (and is compiled
 * with -fno-builtin), so every call below, and every call cmocka itself makes, runs
 * our code. The expected results therefore come from byte-by-byte reference loops
 * written here, not from libc.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rtl.h>

#define AREA 96
#define FILL 0xA5

static int Sign(int Value)
{
    return (Value > 0) - (Value < 0);
}

/* A recognizable, non-repeating pattern, so a shifted copy can never look right. */
static void FillPattern(unsigned char *Buffer, size_t Length, unsigned int Seed)
{
    size_t Index;

    for (Index = 0; Index < Length; Index++) {
        Buffer[Index] = (unsigned char)(Seed + Index * 7 + (Index >> 3) * 13);
    }
}

/* ---- memcpy ---- */

static void test_memcpy_lengths_and_alignments(void **State)
{
    unsigned char Source[AREA];
    unsigned char Target[AREA];
    size_t SourceOffset, TargetOffset, Length, Index;

    (void)State;
    FillPattern(Source, sizeof(Source), 1);
    for (SourceOffset = 0; SourceOffset < 8; SourceOffset++) {
        for (TargetOffset = 0; TargetOffset < 8; TargetOffset++) {
            for (Length = 0; Length <= 64; Length++) {
                void *Result;

                for (Index = 0; Index < sizeof(Target); Index++) {
                    Target[Index] = FILL;
                }
                Result = memcpy(Target + TargetOffset, Source + SourceOffset, Length);
                assert_ptr_equal(Result, Target + TargetOffset);
                for (Index = 0; Index < sizeof(Target); Index++) {
                    if (Index >= TargetOffset && Index < TargetOffset + Length) {
                        assert_int_equal(Target[Index], Source[SourceOffset + Index - TargetOffset]);
                    } else {
                        assert_int_equal(Target[Index], FILL);
                    }
                }
            }
        }
    }
}

static void test_memcpy_large(void **State)
{
    static unsigned char Source[10000];
    static unsigned char Target[10002];
    size_t Index;

    (void)State;
    FillPattern(Source, sizeof(Source), 99);
    Target[0] = FILL;
    Target[sizeof(Target) - 1] = FILL;
    memcpy(Target + 1, Source, sizeof(Source));
    for (Index = 0; Index < sizeof(Source); Index++) {
        assert_int_equal(Target[Index + 1], Source[Index]);
    }
    assert_int_equal(Target[0], FILL);
    assert_int_equal(Target[sizeof(Target) - 1], FILL);
}

/* ---- memmove ---- */

/* Every source/destination/length combination inside one buffer, both directions. */
static void test_memmove_overlaps(void **State)
{
    unsigned char Original[48];
    unsigned char Buffer[48];
    unsigned char Expected[48];
    size_t Source, Target, Length, Index;
    unsigned long Overlapping = 0;

    (void)State;
    FillPattern(Original, sizeof(Original), 5);
    for (Source = 0; Source < sizeof(Buffer); Source++) {
        for (Target = 0; Target < sizeof(Buffer); Target++) {
            size_t Room = sizeof(Buffer) - (Source > Target ? Source : Target);

            for (Length = 0; Length <= Room; Length++) {
                void *Result;
                unsigned char Saved[48];

                /* Reference: copy out first, then in, which is always correct. */
                for (Index = 0; Index < sizeof(Buffer); Index++) {
                    Buffer[Index] = Expected[Index] = Original[Index];
                }
                for (Index = 0; Index < Length; Index++) {
                    Saved[Index] = Original[Source + Index];
                }
                for (Index = 0; Index < Length; Index++) {
                    Expected[Target + Index] = Saved[Index];
                }

                Result = memmove(Buffer + Target, Buffer + Source, Length);
                assert_ptr_equal(Result, Buffer + Target);
                for (Index = 0; Index < sizeof(Buffer); Index++) {
                    if (Buffer[Index] != Expected[Index]) {
                        fail_msg("memmove(%zu <- %zu, %zu): byte %zu is %u, want %u", Target,
                                 Source, Length, Index, Buffer[Index], Expected[Index]);
                    }
                }
                if (Length != 0 && Source != Target &&
                    (Source < Target ? Target - Source : Source - Target) < Length) {
                    Overlapping++;
                }
            }
        }
    }
    assert_true(Overlapping > 1000);
}

static void test_memmove_simple_cases(void **State)
{
    char Text[] = "0123456789";

    (void)State;
    /* Destination after the source (must copy backward). */
    memmove(Text + 2, Text, 5);
    assert_memory_equal(Text, "0101234789", 10);

    /* Destination before the source (must copy forward). */
    memcpy(Text, "0123456789", 10);
    memmove(Text, Text + 3, 6);
    assert_memory_equal(Text, "3456786789", 10);

    /* Same place and zero length change nothing. */
    memcpy(Text, "0123456789", 10);
    assert_ptr_equal(memmove(Text, Text, 10), Text);
    assert_ptr_equal(memmove(Text + 1, Text, 0), Text + 1);
    assert_memory_equal(Text, "0123456789", 10);
}

/* ---- memset ---- */

static void test_memset(void **State)
{
    static const int Values[] = { 0, 1, 0x7F, 0x80, 0xFF, -1, 0x1FF, 0x12345678, -128 };
    unsigned char Buffer[AREA];
    size_t V, Offset, Length, Index;

    (void)State;
    for (V = 0; V < RTL_NUMBER_OF(Values); V++) {
        /* C: the value is converted to unsigned char. */
        unsigned char Byte = (unsigned char)Values[V];

        for (Offset = 0; Offset < 8; Offset++) {
            for (Length = 0; Length <= 70; Length++) {
                for (Index = 0; Index < sizeof(Buffer); Index++) {
                    Buffer[Index] = (unsigned char)(Byte ^ 0x5A);
                }
                assert_ptr_equal(memset(Buffer + Offset, Values[V], Length), Buffer + Offset);
                for (Index = 0; Index < sizeof(Buffer); Index++) {
                    if (Index >= Offset && Index < Offset + Length) {
                        assert_int_equal(Buffer[Index], Byte);
                    } else {
                        assert_int_equal(Buffer[Index], (unsigned char)(Byte ^ 0x5A));
                    }
                }
            }
        }
    }
}

/* ---- memcmp ---- */

static void test_memcmp(void **State)
{
    unsigned char A[40];
    unsigned char B[40];
    size_t Position, Index;

    (void)State;
    assert_int_equal(memcmp("abc", "abd", 0), 0);
    assert_int_equal(memcmp("abc", "abc", 3), 0);
    assert_int_equal(Sign(memcmp("abc", "abd", 3)), -1);
    assert_int_equal(Sign(memcmp("abd", "abc", 3)), 1);
    /* A difference beyond the length does not count. */
    assert_int_equal(memcmp("abcX", "abcY", 3), 0);
    /* Bytes compare as unsigned char: 0x80 is greater than 0x7F. */
    assert_int_equal(Sign(memcmp("\x80", "\x7F", 1)), 1);
    assert_int_equal(Sign(memcmp("\x01", "\xFF", 1)), -1);
    /* memcmp does not stop at NUL. */
    assert_int_equal(Sign(memcmp("a\0b", "a\0c", 3)), -1);

    /* A single differing byte at every position. */
    FillPattern(A, sizeof(A), 3);
    for (Position = 0; Position < sizeof(A); Position++) {
        for (Index = 0; Index < sizeof(A); Index++) {
            B[Index] = A[Index];
        }
        B[Position] = (unsigned char)(A[Position] + 1);
        assert_int_equal(memcmp(A, B, Position), 0);
        assert_int_equal(Sign(memcmp(A, B, sizeof(A))), A[Position] == 0xFF ? 1 : -1);
        assert_int_equal(Sign(memcmp(B, A, sizeof(A))), A[Position] == 0xFF ? -1 : 1);
    }
}

/* ---- strlen, strnlen ---- */

static void test_strlen(void **State)
{
    char Buffer[80];
    size_t Offset, Length, Index;

    (void)State;
    assert_int_equal(strlen(""), 0);
    assert_int_equal(strlen("a"), 1);
    assert_int_equal(strlen("hello, world"), 12);
    assert_int_equal(strlen("stops\0here"), 5);
    /* Every length at every alignment (word-at-a-time bugs show up here). */
    for (Offset = 0; Offset < 8; Offset++) {
        for (Length = 0; Length < 64; Length++) {
            for (Index = 0; Index < sizeof(Buffer); Index++) {
                Buffer[Index] = 'x';
            }
            Buffer[Offset + Length] = '\0';
            assert_int_equal(strlen(Buffer + Offset), Length);
        }
    }
}

static void test_strnlen(void **State)
{
    static const char Unterminated[4] = { 'a', 'b', 'c', 'd' };

    (void)State;
    assert_int_equal(strnlen("hello", 0), 0);
    assert_int_equal(strnlen("hello", 3), 3);
    assert_int_equal(strnlen("hello", 5), 5);
    assert_int_equal(strnlen("hello", 6), 5);
    assert_int_equal(strnlen("hello", 1000), 5);
    assert_int_equal(strnlen("", 10), 0);
    /* Never reads past MaxLength: safe on an unterminated buffer. */
    assert_int_equal(strnlen(Unterminated, sizeof(Unterminated)), 4);
    assert_int_equal(strnlen(Unterminated, 2), 2);
    /* SIZE_MAX means "no limit". */
    assert_int_equal(strnlen("abc", (size_t)-1), 3);
}

/* ---- strcmp, strncmp ---- */

static void test_strcmp(void **State)
{
    (void)State;
    assert_int_equal(strcmp("", ""), 0);
    assert_int_equal(strcmp("abc", "abc"), 0);
    assert_int_equal(Sign(strcmp("abc", "abd")), -1);
    assert_int_equal(Sign(strcmp("abd", "abc")), 1);
    /* A prefix sorts first. */
    assert_int_equal(Sign(strcmp("ab", "abc")), -1);
    assert_int_equal(Sign(strcmp("abc", "ab")), 1);
    assert_int_equal(Sign(strcmp("", "a")), -1);
    /* Unsigned char comparison: "\xE9" (é in Latin-1) is after "z". */
    assert_int_equal(Sign(strcmp("\xE9", "z")), 1);
    assert_int_equal(Sign(strcmp("a\x80", "a\x7F")), 1);
    /* Case matters. */
    assert_int_equal(Sign(strcmp("ABC", "abc")), -1);
}

static void test_strncmp(void **State)
{
    (void)State;
    assert_int_equal(strncmp("abc", "abd", 0), 0);
    assert_int_equal(strncmp("abc", "abd", 2), 0);
    assert_int_equal(Sign(strncmp("abc", "abd", 3)), -1);
    assert_int_equal(Sign(strncmp("abd", "abc", 100)), 1);
    /* Stops at a common NUL, even with a larger count. */
    assert_int_equal(strncmp("ab\0x", "ab\0y", 4), 0);
    assert_int_equal(strncmp("abc", "abc", 100), 0);
    assert_int_equal(Sign(strncmp("ab", "abc", 3)), -1);
    assert_int_equal(Sign(strncmp("abc", "ab", 3)), 1);
    assert_int_equal(strncmp("abc", "ab", 2), 0);
    assert_int_equal(Sign(strncmp("\xFF", "\x01", 1)), 1);
}

/* ---- strchr ---- */

static void test_strchr(void **State)
{
    static const char Text[] = "hello, world";

    (void)State;
    assert_ptr_equal(strchr(Text, 'h'), Text);
    assert_ptr_equal(strchr(Text, 'o'), Text + 4);     /* the first 'o' */
    assert_ptr_equal(strchr(Text, 'd'), Text + 11);
    assert_ptr_equal(strchr(Text, 'z'), NULL);
    assert_ptr_equal(strchr(Text, 'H'), NULL);
    /* The terminator is part of the string. */
    assert_ptr_equal(strchr(Text, '\0'), Text + 12);
    assert_ptr_equal(strchr("", '\0'), strchr("", 0));
    assert_ptr_equal(strchr("", 'a'), NULL);
    /* The character is converted to char: 0x16C is 'l', 0x100 is NUL. */
    assert_ptr_equal(strchr(Text, 0x16C), Text + 2);
    assert_ptr_equal(strchr(Text, 0x100), Text + 12);
    /* High bytes are found whether passed as negative or as unsigned char. */
    assert_ptr_equal(strchr("caf\xE9!", 0xE9), strchr("caf\xE9!", (char)0xE9));
    assert_non_null(strchr("caf\xE9!", 0xE9));
}

/* ---- _stricmp, _strnicmp ---- */

static void test_stricmp(void **State)
{
    (void)State;
    assert_int_equal(_stricmp("", ""), 0);
    assert_int_equal(_stricmp("Hello", "hELLO"), 0);
    assert_int_equal(_stricmp("NTOSKRNL.EXE", "ntoskrnl.exe"), 0);
    assert_int_equal(_stricmp("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"), 0);
    assert_int_equal(Sign(_stricmp("abc", "ABD")), -1);
    assert_int_equal(Sign(_stricmp("ABD", "abc")), 1);
    assert_int_equal(Sign(_stricmp("ab", "ABC")), -1);
    assert_int_equal(Sign(_stricmp("ABC", "ab")), 1);
    /* Folding is to lower case, as Microsoft's: '_' (0x5F) sorts before 'a' and 'A'. */
    assert_int_equal(Sign(_stricmp("_", "A")), -1);
    assert_int_equal(Sign(_stricmp("A", "_")), 1);
    /* The neighbours of the letter ranges are not letters. */
    assert_int_equal(Sign(_stricmp("@", "`")), -1);
    assert_int_equal(Sign(_stricmp("[", "{")), -1);
    /* Only ASCII folds: Latin-1 É (0xC9) and é (0xE9) differ. */
    assert_int_equal(Sign(_stricmp("\xC9", "\xE9")), -1);
    /* Unsigned comparison after folding. */
    assert_int_equal(Sign(_stricmp("\x80", "Z")), 1);
}

static void test_strnicmp(void **State)
{
    (void)State;
    assert_int_equal(_strnicmp("abc", "XYZ", 0), 0);
    assert_int_equal(_strnicmp("HelloWorld", "hELLOthere", 5), 0);
    assert_int_equal(Sign(_strnicmp("HelloWorld", "hELLOthere", 6)), 1);
    assert_int_equal(_strnicmp("ABC", "abc", 100), 0);
    assert_int_equal(Sign(_strnicmp("ab", "ABC", 3)), -1);
    assert_int_equal(_strnicmp("ab", "ABC", 2), 0);
    /* Stops at a common NUL. */
    assert_int_equal(_strnicmp("a\0X", "A\0Y", 3), 0);
    assert_int_equal(Sign(_strnicmp("_x", "ax", 2)), -1);
    assert_int_equal(Sign(_strnicmp("\xE9", "\xC9", 1)), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy_lengths_and_alignments),
        cmocka_unit_test(test_memcpy_large),
        cmocka_unit_test(test_memmove_overlaps),
        cmocka_unit_test(test_memmove_simple_cases),
        cmocka_unit_test(test_memset),
        cmocka_unit_test(test_memcmp),
        cmocka_unit_test(test_strlen),
        cmocka_unit_test(test_strnlen),
        cmocka_unit_test(test_strcmp),
        cmocka_unit_test(test_strncmp),
        cmocka_unit_test(test_strchr),
        cmocka_unit_test(test_stricmp),
        cmocka_unit_test(test_strnicmp),
    };

    return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}

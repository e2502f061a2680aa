/*
 * test_bootopt.c - host tests for KiQueryBootOption (kernel/init/bootopt.c) and the
 * KeLoaderBlock forms (kernel/init/loaderblock.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arc.h>
#include <rtl.h>

/* Looks Name up and checks that it is found with exactly ExpectedValue. */
static void ExpectValue(PCSTR Options, PCSTR Name, PCSTR ExpectedValue)
{
    CHAR Value[128];

    memset(Value, 'Z', sizeof(Value));
    assert_int_equal(KiQueryBootOption(Options, Name, Value, sizeof(Value)), STATUS_SUCCESS);
    assert_string_equal(Value, ExpectedValue);
}

static void ExpectMissing(PCSTR Options, PCSTR Name)
{
    CHAR Value[16] = "untouched";

    assert_int_equal(KiQueryBootOption(Options, Name, Value, sizeof(Value)),
                     STATUS_NOT_FOUND);
    assert_string_equal(Value, "untouched");
    assert_int_equal(KiQueryBootOption(Options, Name, NULL, 0), STATUS_NOT_FOUND);
}

static void test_present_and_absent(void **state)
{
    (void)state;
    ExpectValue("/DEBUG /TESTMODE", "DEBUG", "");
    ExpectValue("/DEBUG /TESTMODE", "TESTMODE", "");
    ExpectMissing("/DEBUG /TESTMODE", "NOLOG");
    ExpectMissing("/DEBUG /TESTMODE", "TEST");
}

static void test_case_insensitive_names(void **state)
{
    (void)state;
    ExpectValue("/Debug", "DEBUG", "");
    ExpectValue("/DEBUG", "debug", "");
    ExpectValue("/dEbUg", "DeBuG", "");
    /* Only the name folds: the value keeps its case. */
    ExpectValue("/init=C:\\Windows\\Init.EXE", "INIT", "C:\\Windows\\Init.EXE");
}

static void test_prefix_does_not_match(void **state)
{
    (void)state;
    ExpectMissing("/DEBUGPORT=COM1", "DEBUG");
    ExpectMissing("/DEBUGPORT", "DEBUG");
    ExpectMissing("/DEBUG", "DEBUGPORT");
    ExpectMissing("/DEBUG=COM1", "DEBUGPORT");
    ExpectValue("/DEBUG /DEBUGPORT=COM1", "DEBUG", "");
    ExpectValue("/DEBUG /DEBUGPORT=COM1", "DEBUGPORT", "COM1");
    ExpectValue("/DEBUGPORT=COM1 /DEBUG", "DEBUG", "");
    ExpectValue("/DEBUGPORT=COM1 /DEBUG", "DEBUGPORT", "COM1");
}

static void test_values(void **state)
{
    (void)state;
    ExpectValue("/INIT=C:\\x.exe /BAUDRATE=115200", "INIT", "C:\\x.exe");
    ExpectValue("/INIT=C:\\x.exe /BAUDRATE=115200", "BAUDRATE", "115200");
    /* Only the first '=' separates: the rest belongs to the value. */
    ExpectValue("/SET=A=B", "SET", "A=B");
}

static void test_quoted_value_with_spaces(void **state)
{
    (void)state;
    ExpectValue("/INIT=\"C:\\a b.exe\" /DEBUG", "INIT", "C:\\a b.exe");
    ExpectValue("/INIT=\"C:\\a b.exe\" /DEBUG", "DEBUG", "");
    ExpectValue("/DEBUG /INIT=\"C:\\a  b.exe\"", "INIT", "C:\\a  b.exe");
}

/* An option spelled inside a quoted value is part of that value, not an option. */
static void test_quoted_value_hides_options(void **state)
{
    (void)state;
    ExpectValue("/X=\"a /DEBUG b\"", "X", "a /DEBUG b");
    ExpectMissing("/X=\"a /DEBUG b\"", "DEBUG");
    ExpectValue("/X=\"a /DEBUG b\" /Y=1", "Y", "1");
}

static void test_unterminated_quote_runs_to_end(void **state)
{
    (void)state;
    ExpectValue("/X=\"a b /DEBUG", "X", "a b /DEBUG");
    ExpectMissing("/X=\"a b /DEBUG", "DEBUG");
}

static void test_quotes_inside_value_removed(void **state)
{
    (void)state;
    ExpectValue("/X=a\"b c\"d /Y", "X", "ab cd");
    ExpectValue("/X=a\"b c\"d /Y", "Y", "");
}

static void test_empty_values(void **state)
{
    (void)state;
    ExpectValue("/INIT= /DEBUG", "INIT", "");
    ExpectValue("/INIT=\"\" /DEBUG", "INIT", "");
    ExpectValue("/INIT=\"\" /DEBUG", "DEBUG", "");
    ExpectValue("/INIT", "INIT", "");
}

static void test_value_buffer_limits(void **state)
{
    CHAR Value[8];

    (void)state;
    /* "abcd" and its NUL fill 5 bytes exactly. */
    memset(Value, 'Z', sizeof(Value));
    assert_int_equal(KiQueryBootOption("/X=abcd", "X", Value, 5), STATUS_SUCCESS);
    assert_string_equal(Value, "abcd");
    assert_int_equal(Value[5], 'Z');

    /* One byte short: nothing is written. */
    memset(Value, 'Z', sizeof(Value));
    assert_int_equal(KiQueryBootOption("/X=abcd", "X", Value, 4), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Value[0], 'Z');
    assert_int_equal(KiQueryBootOption("/X=abcd", "X", Value, 0), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Value[0], 'Z');

    /* Even an empty value needs room for its NUL. */
    assert_int_equal(KiQueryBootOption("/X", "X", Value, 0), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Value[0], 'Z');
    assert_int_equal(KiQueryBootOption("/X", "X", Value, 1), STATUS_SUCCESS);
    assert_int_equal(Value[0], '\0');

    /* The quotes do not count against the buffer. */
    memset(Value, 'Z', sizeof(Value));
    assert_int_equal(KiQueryBootOption("/X=\"ab cd\"", "X", Value, 6), STATUS_SUCCESS);
    assert_string_equal(Value, "ab cd");
    assert_int_equal(KiQueryBootOption("/X=\"ab cd\" /Y", "X", Value, 5),
                     STATUS_BUFFER_TOO_SMALL);
}

static void test_null_value_pointer(void **state)
{
    (void)state;
    assert_int_equal(KiQueryBootOption("/INIT=C:\\x.exe", "INIT", NULL, 0), STATUS_SUCCESS);
    assert_int_equal(KiQueryBootOption("/INIT=C:\\x.exe", "INIT", NULL, 3), STATUS_SUCCESS);
    assert_int_equal(KiQueryBootOption("/DEBUG", "DEBUG", NULL, 0), STATUS_SUCCESS);
}

static void test_option_at_start_and_end(void **state)
{
    (void)state;
    ExpectValue("/A=1 /B=2 /C=3", "A", "1");
    ExpectValue("/A=1 /B=2 /C=3", "B", "2");
    ExpectValue("/A=1 /B=2 /C=3", "C", "3");
    ExpectValue("/ONLY", "ONLY", "");
    ExpectValue("   /A=1   ", "A", "1");
}

static void test_tabs_and_multiple_spaces(void **state)
{
    static const CHAR Options[] = "\t/A\t\t/B=1 \t  /C=\"x\ty\"\t";

    (void)state;
    ExpectValue(Options, "A", "");
    ExpectValue(Options, "B", "1");
    ExpectValue(Options, "C", "x\ty");
}

static void test_token_without_slash_ignored(void **state)
{
    (void)state;
    ExpectMissing("DEBUG /A", "DEBUG");
    ExpectMissing("-DEBUG", "DEBUG");
    ExpectMissing("x/DEBUG", "DEBUG");
    ExpectMissing("DEBUG=1", "DEBUG");
    ExpectValue("kernel.elf /A=2 junk", "A", "2");
    /* A quoted blank inside an ignored token does not start a new token. */
    ExpectMissing("x=\"a /DEBUG\"", "DEBUG");
}

static void test_degenerate_strings(void **state)
{
    (void)state;
    ExpectMissing("", "DEBUG");
    ExpectMissing(" \t ", "DEBUG");
    ExpectMissing("/", "DEBUG");
    ExpectMissing("/=", "DEBUG");
    ExpectMissing("//DEBUG", "DEBUG");
    ExpectMissing("\"/DEBUG\"", "DEBUG");
}

static void test_name_with_leading_slash(void **state)
{
    (void)state;
    ExpectValue("/DEBUG /INIT=a", "/DEBUG", "");
    ExpectValue("/DEBUG /INIT=a", "/init", "a");
}

static void test_last_occurrence_wins(void **state)
{
    (void)state;
    ExpectValue("/INIT=a /INIT=b", "INIT", "b");
    ExpectValue("/INIT=a /DEBUG /init", "INIT", "");
}

static void test_invalid_parameters(void **state)
{
    CHAR Value[8];

    (void)state;
    assert_int_equal(KiQueryBootOption(NULL, "DEBUG", Value, sizeof(Value)),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(KiQueryBootOption("/DEBUG", NULL, Value, sizeof(Value)),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(KiQueryBootOption("/DEBUG", "", Value, sizeof(Value)),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(KiQueryBootOption("/ /=", "/", Value, sizeof(Value)),
                     STATUS_INVALID_PARAMETER);
}

static void SetLoadOptions(PCSTR Options)
{
    memset(&KeLoaderBlock, 0, sizeof(KeLoaderBlock));
    memcpy(KeLoaderBlock.LoadOptions, Options, strlen(Options) + 1);
}

static void test_loader_block_forms(void **state)
{
    CHAR Value[16] = "default";

    (void)state;
    SetLoadOptions("/DEBUG /INIT=\"C:\\a b.exe\" /BAUDRATE=9600");
    assert_true(KeBootOptionPresent("DEBUG"));
    assert_true(KeBootOptionPresent("init"));
    assert_false(KeBootOptionPresent("DEBUGPORT"));
    assert_false(KeBootOptionPresent(""));

    assert_int_equal(KeBootOptionValue("NOLOG", Value, sizeof(Value)), STATUS_NOT_FOUND);
    assert_string_equal(Value, "default");
    assert_int_equal(KeBootOptionValue("INIT", Value, sizeof(Value)), STATUS_SUCCESS);
    assert_string_equal(Value, "C:\\a b.exe");
    assert_int_equal(KeBootOptionValue("BAUDRATE", Value, 4), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(KeBootOptionValue("BAUDRATE", Value, 5), STATUS_SUCCESS);
    assert_string_equal(Value, "9600");

    SetLoadOptions("");
    assert_false(KeBootOptionPresent("DEBUG"));
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_present_and_absent),
        cmocka_unit_test(test_case_insensitive_names),
        cmocka_unit_test(test_prefix_does_not_match),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_quoted_value_with_spaces),
        cmocka_unit_test(test_quoted_value_hides_options),
        cmocka_unit_test(test_unterminated_quote_runs_to_end),
        cmocka_unit_test(test_quotes_inside_value_removed),
        cmocka_unit_test(test_empty_values),
        cmocka_unit_test(test_value_buffer_limits),
        cmocka_unit_test(test_null_value_pointer),
        cmocka_unit_test(test_option_at_start_and_end),
        cmocka_unit_test(test_tabs_and_multiple_spaces),
        cmocka_unit_test(test_token_without_slash_ignored),
        cmocka_unit_test(test_degenerate_strings),
        cmocka_unit_test(test_name_with_leading_slash),
        cmocka_unit_test(test_last_occurrence_wins),
        cmocka_unit_test(test_invalid_parameters),
        cmocka_unit_test(test_loader_block_forms),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

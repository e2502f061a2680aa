/*
 * test_conline.c - host tests for the console's line discipline
 * (kernel/io/console/conline.c): cooked lines with echo and editing, partial
 * reads, raw mode, a full buffer, and the serial port's ways of saying Enter,
 * Backspace and arrow keys. The keyboard path goes through kbdmap.c first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/io/console/conp.h"

/* The echo routine: what the console would have printed, kept as a string. */
typedef struct _ECHO_LOG {
    char Text[1024];
    size_t Length;
    int Calls;
} ECHO_LOG;

static void EchoToLog(PVOID Context, PCSTR Bytes, ULONG Length)
{
    ECHO_LOG *Log = Context;

    assert_true(Log->Length + Length < sizeof(Log->Text));
    memcpy(Log->Text + Log->Length, Bytes, Length);
    Log->Length += Length;
    Log->Text[Log->Length] = '\0';
    Log->Calls++;
}

static void Feed(CON_LINE *Line, const char *Bytes)
{
    while (*Bytes != '\0')
        assert_true(IopConLineInput(Line, (UCHAR)*Bytes++));
}

/* Reads at most Size bytes and returns them as a string. */
static const char *Read(CON_LINE *Line, ULONG Size)
{
    static char Out[CON_LINE_BUFFER_SIZE + 1];
    ULONG Count;

    assert_true(Size <= CON_LINE_BUFFER_SIZE);
    memset(Out, 0x55, sizeof(Out));
    Count = IopConLineRead(Line, (PUCHAR)Out, Size);
    assert_true(Count <= Size);
    assert_int_equal((unsigned char)Out[Count], 0x55);   /* nothing written past the count */
    Out[Count] = '\0';
    return Out;
}

static void test_cooked_line_echo_and_read(void **State)
{
    CON_LINE Line;
    ECHO_LOG Log = { 0 };

    (void)State;
    IopConInitializeLine(&Line, EchoToLog, &Log);
    Feed(&Line, "hello");
    assert_string_equal(Log.Text, "hello");
    /* Nothing to read before Enter. */
    assert_false(IopConLineReadable(&Line));
    assert_string_equal(Read(&Line, 100), "");
    Feed(&Line, "\r");
    assert_string_equal(Log.Text, "hello\r\n");
    assert_true(IopConLineReadable(&Line));
    assert_string_equal(Read(&Line, 100), "hello\r\n");
    assert_false(IopConLineReadable(&Line));
    /* An empty line is just "\r\n". */
    Feed(&Line, "\r");
    assert_string_equal(Read(&Line, 100), "\r\n");
}

static void test_backspace(void **State)
{
    CON_LINE Line;
    ECHO_LOG Log = { 0 };

    (void)State;
    IopConInitializeLine(&Line, EchoToLog, &Log);
    /* At the start of a line Backspace does nothing, and echoes nothing. */
    Feed(&Line, "\b\x7f");
    assert_int_equal(Log.Length, 0);
    /* Both of a terminal's Backspace codes erase, with "\b \b" each. */
    Feed(&Line, "abc\x7f\bd\r");
    assert_string_equal(Log.Text, "abc\b \b\b \bd\r\n");
    assert_string_equal(Read(&Line, 100), "ad\r\n");
    /* Backspace cannot reach into a line already ended. */
    Feed(&Line, "x\ry\b\b\b");
    assert_string_equal(Read(&Line, 100), "x\r\n");
    Feed(&Line, "z\r");
    assert_string_equal(Read(&Line, 100), "z\r\n");
}

static void test_partial_reads_and_line_boundaries(void **State)
{
    CON_LINE Line;

    (void)State;
    IopConInitializeLine(&Line, NULL, NULL);     /* no echo at all is allowed */
    Feed(&Line, "first line\rsecond\r");
    assert_string_equal(Read(&Line, 4), "firs");
    assert_string_equal(Read(&Line, 3), "t l");
    /* The rest of the line, and not the next one, even with room for both. */
    assert_string_equal(Read(&Line, 100), "ine\r\n");
    assert_string_equal(Read(&Line, 7), "second\r");
    assert_string_equal(Read(&Line, 7), "\n");
    assert_string_equal(Read(&Line, 7), "");
    /* A line still being typed is not handed out with a finished one before it. */
    Feed(&Line, "one\rtw");
    assert_string_equal(Read(&Line, 100), "one\r\n");
    assert_false(IopConLineReadable(&Line));
    Feed(&Line, "o\r");
    assert_string_equal(Read(&Line, 100), "two\r\n");
    /* A zero-byte read takes nothing. */
    Feed(&Line, "q\r");
    assert_string_equal(Read(&Line, 0), "");
    assert_string_equal(Read(&Line, 100), "q\r\n");
}

static void test_serial_line_endings_and_escapes(void **State)
{
    CON_LINE Line;
    ECHO_LOG Log = { 0 };

    (void)State;
    IopConInitializeLine(&Line, EchoToLog, &Log);
    /* "\r\n" from a terminal is one Enter; a lone "\n" is one too. */
    Feed(&Line, "a\r\nb\n");
    assert_string_equal(Read(&Line, 100), "a\r\n");
    assert_string_equal(Read(&Line, 100), "b\r\n");
    assert_false(IopConLineReadable(&Line));
    /* Arrows (ESC [ A, ESC O D), a longer CSI (Delete: ESC [ 3 ~) and control
       codes leave nothing in the line and echo nothing. */
    Log.Length = 0;
    Log.Text[0] = '\0';
    Feed(&Line, "x\x1b[A\x1bOD\x1b[3~\x03y\r");
    assert_string_equal(Log.Text, "xy\r\n");
    assert_string_equal(Read(&Line, 100), "xy\r\n");
    /* A lone Esc before an ordinary key: the key counts. Tab is kept. */
    Feed(&Line, "\x1bk\tm\r");
    assert_string_equal(Read(&Line, 100), "k\tm\r\n");
}

static void test_raw_mode(void **State)
{
    CON_LINE Line;
    ECHO_LOG Log = { 0 };

    (void)State;
    IopConInitializeLine(&Line, EchoToLog, &Log);
    IopConSetLineMode(&Line, TRUE);
    /* Every byte as it came: no echo, no editing, no line ends made up. */
    Feed(&Line, "a\x7f\b\r\x1b[A");
    assert_int_equal(Log.Calls, 0);
    assert_true(IopConLineReadable(&Line));
    assert_string_equal(Read(&Line, 2), "a\x7f");
    assert_string_equal(Read(&Line, 100), "\b\r\x1b[A");
    assert_string_equal(Read(&Line, 100), "");
    /* Raw reads cross "\n": they are not lines. */
    Feed(&Line, "1\n2");
    assert_string_equal(Read(&Line, 100), "1\n2");
    /* Switching to raw hands a half-typed cooked line over as it stands. */
    IopConSetLineMode(&Line, FALSE);
    Feed(&Line, "ab");
    assert_false(IopConLineReadable(&Line));
    IopConSetLineMode(&Line, TRUE);
    assert_string_equal(Read(&Line, 100), "ab");
}

static void test_buffer_full(void **State)
{
    CON_LINE Line;
    ECHO_LOG Log = { 0 };
    char Expected[CON_LINE_BUFFER_SIZE + 1];
    int Index;

    (void)State;
    IopConInitializeLine(&Line, EchoToLog, &Log);
    /* 254 characters fit, leaving room for the "\r\n". */
    for (Index = 0; Index < CON_LINE_BUFFER_SIZE - 2; Index++)
        assert_true(IopConLineInput(&Line, (UCHAR)('a' + Index % 26)));
    assert_false(IopConLineInput(&Line, 'X'));
    assert_int_equal(Log.Length, CON_LINE_BUFFER_SIZE - 2);   /* refused: not echoed */
    /* Backspace still works, and then there is room for one more. */
    assert_true(IopConLineInput(&Line, 0x7F));
    assert_true(IopConLineInput(&Line, 'Y'));
    assert_false(IopConLineInput(&Line, 'Z'));
    /* Enter still works. */
    assert_true(IopConLineInput(&Line, '\r'));
    for (Index = 0; Index < CON_LINE_BUFFER_SIZE - 3; Index++)
        Expected[Index] = (char)('a' + Index % 26);
    memcpy(Expected + CON_LINE_BUFFER_SIZE - 3, "Y\r\n", 4);
    /* Nothing fits behind a full unread line, not even an empty line. */
    assert_false(IopConLineInput(&Line, 'q'));
    assert_false(IopConLineInput(&Line, '\r'));
    assert_string_equal(Read(&Line, CON_LINE_BUFFER_SIZE), Expected);
    Feed(&Line, "ok\r");
    assert_string_equal(Read(&Line, 100), "ok\r\n");

    /* Raw mode: the whole buffer, then refusals until a read makes room. */
    IopConSetLineMode(&Line, TRUE);
    for (Index = 0; Index < CON_LINE_BUFFER_SIZE; Index++)
        assert_true(IopConLineInput(&Line, (UCHAR)Index));
    assert_false(IopConLineInput(&Line, 0xFF));
    assert_int_equal(IopConLineRead(&Line, (PUCHAR)Expected, 10), 10);
    assert_int_equal((unsigned char)Expected[9], 9);
    assert_true(IopConLineInput(&Line, 0xFF));
}

/* The keyboard path end to end: scan codes through kbdmap.c into the line. */
static void test_keyboard_into_line(void **State)
{
    static const unsigned char Codes[] = {
        0x2A, 0x23, 0xAA, 0x12, 0x26, 0x26, 0x18,   /* Shift h, e l l o: "Hello" */
        0x0E, 0x8E, 0x18,                           /* Backspace, o again */
        0xE0, 0x48, 0xE0, 0xC8,                     /* up arrow: nothing */
        0xE0, 0x1C, 0xE0, 0x9C,                     /* keypad Enter */
    };
    CON_KEYBOARD Keyboard;
    CON_LINE Line;
    ECHO_LOG Log = { 0 };
    size_t Index;

    (void)State;
    IopConInitializeKeyboard(&Keyboard);
    IopConInitializeLine(&Line, EchoToLog, &Log);
    for (Index = 0; Index < sizeof(Codes); Index++) {
        UCHAR Character;

        if (IopConTranslateScanCode(&Keyboard, Codes[Index], &Character))
            assert_true(IopConLineInputKey(&Line, Character));
    }
    assert_string_equal(Log.Text, "Hello\b \bo\r\n");
    assert_string_equal(Read(&Line, 100), "Hello\r\n");

    /* The keyboard's Esc key is a key, not the start of a terminal sequence:
       "[a" typed after it stays. From the terminal, the same bytes are eaten. */
    assert_true(IopConLineInputKey(&Line, 0x1B));
    assert_true(IopConLineInputKey(&Line, '['));
    assert_true(IopConLineInputKey(&Line, 'a'));
    assert_true(IopConLineInputKey(&Line, '\r'));
    assert_string_equal(Read(&Line, 100), "[a\r\n");
    Feed(&Line, "\x1b[ab\r");
    assert_string_equal(Read(&Line, 100), "b\r\n");
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_cooked_line_echo_and_read),
        cmocka_unit_test(test_backspace),
        cmocka_unit_test(test_partial_reads_and_line_boundaries),
        cmocka_unit_test(test_serial_line_endings_and_escapes),
        cmocka_unit_test(test_raw_mode),
        cmocka_unit_test(test_buffer_full),
        cmocka_unit_test(test_keyboard_into_line),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

/*
 * test_kbd.c - host tests for the PS/2 scan code set 1 translation, US layout
 * (kernel/io/console/kbdmap.c): sequences of make and break codes in, the
 * characters they type out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/io/console/conp.h"

/* Set 1 make codes used below; a break code is the make code | 0x80. */
#define K_ESC    0x01
#define K_1      0x02
#define K_2      0x03
#define K_0      0x0B
#define K_MINUS  0x0C
#define K_BS     0x0E
#define K_TAB    0x0F
#define K_Q      0x10
#define K_P      0x19
#define K_LBRACK 0x1A
#define K_ENTER  0x1C
#define K_CTRL   0x1D
#define K_A      0x1E
#define K_C      0x2E
#define K_L      0x26
#define K_SEMI   0x27
#define K_QUOTE  0x28
#define K_LSHIFT 0x2A
#define K_BSLASH 0x2B
#define K_Z      0x2C
#define K_M      0x32
#define K_SLASH  0x35
#define K_RSHIFT 0x36
#define K_KPSTAR 0x37
#define K_ALT    0x38
#define K_SPACE  0x39
#define K_CAPS   0x3A
#define K_F1     0x3B
#define K_NUM    0x45
#define K_KP7    0x47
#define K_KP8    0x48
#define K_KPDOT  0x53
#define K_F12    0x58
#define BRK(c)   ((unsigned char)((c) | 0x80))
#define E0       0xE0
#define E1       0xE1

/* Feeds Codes to a fresh or given keyboard; the characters typed, as a string. */
static const char *Type(CON_KEYBOARD *Keyboard, const unsigned char *Codes, size_t Count)
{
    static char Out[128];
    size_t Length = 0, Index;

    for (Index = 0; Index < Count; Index++) {
        UCHAR Character = 0xEE;

        if (IopConTranslateScanCode(Keyboard, Codes[Index], &Character)) {
            assert_true(Length < sizeof(Out) - 1);
            Out[Length++] = (char)Character;
        } else {
            assert_int_equal(Character, 0xEE);  /* FALSE never writes */
        }
    }
    Out[Length] = '\0';
    return Out;
}

#define TYPE(Kb, ...) \
    Type((Kb), (const unsigned char[]){ __VA_ARGS__ }, sizeof((const unsigned char[]){ __VA_ARGS__ }))

static void test_plain_keys(void **State)
{
    CON_KEYBOARD Kb;

    (void)State;
    IopConInitializeKeyboard(&Kb);
    assert_string_equal(TYPE(&Kb, K_Q, BRK(K_Q), K_P, BRK(K_P), K_A, BRK(K_A), K_L, BRK(K_L),
                             K_Z, BRK(K_Z), K_M, BRK(K_M)), "qpalzm");
    assert_string_equal(TYPE(&Kb, K_1, BRK(K_1), K_0, BRK(K_0), K_MINUS, BRK(K_MINUS),
                             K_SEMI, K_QUOTE, K_BSLASH, K_SLASH, K_LBRACK, K_SPACE, K_KPSTAR),
                        "10-;'\\/[ *");
    /* Keys with control codes of their own. */
    assert_string_equal(TYPE(&Kb, K_ENTER, BRK(K_ENTER), K_BS, K_TAB, K_ESC), "\r\b\t\x1b");
    /* Break codes alone type nothing. */
    assert_string_equal(TYPE(&Kb, BRK(K_A), BRK(K_1), BRK(K_ENTER)), "");
}

static void test_shift_both_sides(void **State)
{
    CON_KEYBOARD Kb;

    (void)State;
    IopConInitializeKeyboard(&Kb);
    assert_string_equal(TYPE(&Kb, K_LSHIFT, K_A, BRK(K_A), K_1, K_2, K_SLASH, K_QUOTE, K_BSLASH,
                             BRK(K_LSHIFT), K_A), "A!@?\"|a");
    assert_string_equal(TYPE(&Kb, K_RSHIFT, K_M, K_MINUS, BRK(K_RSHIFT), K_M), "M_m");
    /* Both held, one released: still shifted until the other goes too. */
    assert_string_equal(TYPE(&Kb, K_LSHIFT, K_RSHIFT, BRK(K_LSHIFT), K_Q, BRK(K_RSHIFT), K_Q), "Qq");
}

static void test_caps_lock_letters_only(void **State)
{
    CON_KEYBOARD Kb;

    (void)State;
    IopConInitializeKeyboard(&Kb);
    assert_string_equal(TYPE(&Kb, K_CAPS, BRK(K_CAPS), K_A, K_1, K_SLASH), "A1/");
    /* Shift undoes Caps Lock for letters, shifts the rest as usual. */
    assert_string_equal(TYPE(&Kb, K_LSHIFT, K_A, K_1, K_SLASH, BRK(K_LSHIFT)), "a!?");
    assert_string_equal(TYPE(&Kb, K_CAPS, BRK(K_CAPS), K_A), "a");
    /* A held Caps Lock repeats its make code: it toggles once, not per repeat. */
    assert_string_equal(TYPE(&Kb, K_CAPS, K_CAPS, K_CAPS, BRK(K_CAPS), K_Z), "Z");
    assert_string_equal(TYPE(&Kb, K_CAPS, K_CAPS, BRK(K_CAPS), K_Z), "z");
}

static void test_ctrl_codes(void **State)
{
    CON_KEYBOARD Kb;

    (void)State;
    IopConInitializeKeyboard(&Kb);
    assert_string_equal(TYPE(&Kb, K_CTRL, K_C, BRK(K_C), K_A, K_Z, K_LBRACK, BRK(K_CTRL), K_C),
                        "\x03\x01\x1a\x1b" "c");
    /* Right Ctrl is E0 1D; Shift or Caps do not change the code. */
    assert_string_equal(TYPE(&Kb, E0, K_CTRL, K_LSHIFT, K_C, BRK(K_LSHIFT), E0, BRK(K_CTRL), K_C),
                        "\x03" "c");
    /* Ctrl with a digit types nothing; Enter and Backspace keep their codes. */
    assert_string_equal(TYPE(&Kb, K_CTRL, K_1, K_ENTER, K_BS, BRK(K_CTRL)), "\r\b");
    /* Releasing right Ctrl while left Ctrl is held keeps Ctrl down. */
    assert_string_equal(TYPE(&Kb, K_CTRL, E0, K_CTRL, E0, BRK(K_CTRL), K_A, BRK(K_CTRL), K_A),
                        "\x01" "a");
}

static void test_e0_keys(void **State)
{
    CON_KEYBOARD Kb;

    (void)State;
    IopConInitializeKeyboard(&Kb);
    /* Keypad Enter and keypad / type; the arrows (up, left, right, down) do not. */
    assert_string_equal(TYPE(&Kb, E0, K_ENTER, E0, BRK(K_ENTER), E0, K_SLASH, E0, BRK(K_SLASH)), "\r/");
    assert_string_equal(TYPE(&Kb, E0, 0x48, E0, BRK(0x48), E0, 0x4B, E0, 0x4D, E0, 0x50,
                             E0, BRK(0x50), K_A), "a");
    /* An arrow with Num Lock on comes wrapped in fake shifts (E0 2A ... E0 AA):
       a key typed while the arrow is held must not come out shifted. */
    assert_string_equal(TYPE(&Kb, E0, K_LSHIFT, E0, 0x48, K_A, E0, BRK(0x48), E0, BRK(K_LSHIFT),
                             K_A), "aa");
    /* With Shift held the arrow comes as E0 AA E0 48 ... E0 C8 E0 2A: that fake
       release must not cancel the user's real shift. */
    assert_string_equal(TYPE(&Kb, K_LSHIFT, E0, BRK(K_LSHIFT), E0, 0x48, K_A, E0, BRK(0x48),
                             E0, K_LSHIFT, K_A, BRK(K_LSHIFT), K_A), "AAa");
    /* The E0 prefix covers one code only. */
    assert_string_equal(TYPE(&Kb, E0, 0x48, K_ENTER, K_SLASH), "\r/");
    /* Right Alt (E0 38) and the Windows keys type nothing. */
    assert_string_equal(TYPE(&Kb, E0, K_ALT, E0, 0x5B, E0, BRK(0x5B), E0, BRK(K_ALT)), "");
}

static void test_pause_and_other_keys(void **State)
{
    CON_KEYBOARD Kb;

    (void)State;
    IopConInitializeKeyboard(&Kb);
    /* Pause: E1 1D 45 E1 9D C5 must neither hold Ctrl nor toggle Num Lock. */
    assert_string_equal(TYPE(&Kb, E1, 0x1D, 0x45, E1, 0x9D, 0xC5, K_A, K_KP7), "a7");
    /* Function keys, Alt, Scroll Lock, unknown codes and controller bytes
       (0xFA ack, 0xFE resend, 0xAA self-test) type nothing. */
    assert_string_equal(TYPE(&Kb, K_F1, BRK(K_F1), K_F12, K_ALT, BRK(K_ALT), 0x46, 0x7F,
                             0xFA, 0xFE, 0xAA, K_Q), "q");
}

static void test_keypad_num_lock(void **State)
{
    CON_KEYBOARD Kb;

    (void)State;
    IopConInitializeKeyboard(&Kb);
    assert_string_equal(TYPE(&Kb, K_KP7, K_KP8, K_KPDOT, 0x4A, 0x4E, 0x52), "78.-+0");
    /* Num Lock off: the keypad moves the cursor, which types nothing. */
    assert_string_equal(TYPE(&Kb, K_NUM, K_NUM, BRK(K_NUM), K_KP7, K_KPDOT, K_KPSTAR), "*");
    assert_string_equal(TYPE(&Kb, K_NUM, BRK(K_NUM), K_KP8), "8");
}

static void test_repeat_and_independent_keyboards(void **State)
{
    CON_KEYBOARD One, Two;

    (void)State;
    IopConInitializeKeyboard(&One);
    IopConInitializeKeyboard(&Two);
    /* A held key repeats its make code: each repeat types again. */
    assert_string_equal(TYPE(&One, K_A, K_A, K_A, BRK(K_A)), "aaa");
    assert_string_equal(TYPE(&One, K_LSHIFT, K_LSHIFT, K_LSHIFT, K_Q, K_Q, BRK(K_LSHIFT)), "QQ");
    /* State is per keyboard: a shift or prefix on one does not reach the other. */
    assert_string_equal(TYPE(&One, K_LSHIFT, E0), "");
    assert_string_equal(TYPE(&Two, K_Q, K_KP8), "q8");  /* no shift, no E0 here */
    /* On One, 48 after the pending E0 is the up arrow, not keypad 8. */
    assert_string_equal(TYPE(&One, K_KP8, K_Q, BRK(K_LSHIFT), K_Q), "Qq");
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_plain_keys),
        cmocka_unit_test(test_shift_both_sides),
        cmocka_unit_test(test_caps_lock_letters_only),
        cmocka_unit_test(test_ctrl_codes),
        cmocka_unit_test(test_e0_keys),
        cmocka_unit_test(test_pause_and_other_keys),
        cmocka_unit_test(test_keypad_num_lock),
        cmocka_unit_test(test_repeat_and_independent_keyboards),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

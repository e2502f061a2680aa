/*
 * kbdmap.c - PS/2 scan code set 1 to characters, US layout (NT: the work of
 * i8042prt's scan code state machine plus the kbdus.dll layout tables, which is
 * what turns a key into a character for the console).
 *
 * Set 1 is what the 8042 controller hands the processor (it translates the
 * keyboard's set 2): one byte per key press ("make" code), the same byte with
 * bit 7 set when the key is released ("break" code). A held key repeats its make
 * code. Keys added after the XT (right Ctrl, the arrows, keypad Enter and /)
 * come after an E0 prefix byte; Pause sends E1 1D 45 E1 9D C5 and no break.
 */
#include "conp.h"

#define SC_PREFIX_E0     0xE0
#define SC_PREFIX_E1     0xE1
#define SC_BREAK         0x80
#define SC_ESCAPE        0x01
#define SC_BACKSPACE     0x0E
#define SC_TAB           0x0F
#define SC_ENTER         0x1C
#define SC_CTRL          0x1D
#define SC_LEFT_SHIFT    0x2A
#define SC_RIGHT_SHIFT   0x36
#define SC_KEYPAD_STAR   0x37
#define SC_CAPS_LOCK     0x3A
#define SC_NUM_LOCK      0x45
#define SC_KEYPAD_FIRST  0x47   /* keypad 7 .. keypad . (0x53) */
#define SC_KEYPAD_LAST   0x53
#define SC_KEYPAD_SLASH  0x35   /* after E0; without it, the / ? key */
#define SC_MAP_SIZE      0x3A   /* the table covers 0x00 .. 0x39 (space) */
#define PAUSE_TAIL       5      /* bytes after E1 in the Pause sequence */

#define CTRL_MASK  (CON_KBD_LEFT_CTRL | CON_KBD_RIGHT_CTRL)
#define SHIFT_MASK (CON_KBD_LEFT_SHIFT | CON_KBD_RIGHT_SHIFT)

/* The main block, unshifted and shifted; 0: the key types nothing (modifiers). */
static const char KbdNormal[SC_MAP_SIZE] = {
    0, CON_CHAR_ESCAPE, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=',
    CON_CHAR_BACKSPACE, '\t',
    'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', CON_CHAR_ENTER, 0,
    'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\',
    'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};

static const char KbdShifted[SC_MAP_SIZE] = {
    0, CON_CHAR_ESCAPE, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',
    CON_CHAR_BACKSPACE, '\t',
    'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', CON_CHAR_ENTER, 0,
    'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|',
    'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

/* The keypad with Num Lock on (0x47 .. 0x53); with it off these keys move the
   cursor, which a cooked line cannot do, so they type nothing. */
static const char KbdKeypad[SC_KEYPAD_LAST - SC_KEYPAD_FIRST + 1] = {
    '7', '8', '9', '-', '4', '5', '6', '+', '1', '2', '3', '0', '.',
};

VOID IopConInitializeKeyboard(PCON_KEYBOARD Keyboard)
{
    /* Num Lock on: what a PC BIOS leaves at boot, and what a user expects of the
       keypad. No LED command is sent; the logic does not own the hardware. */
    Keyboard->State = CON_KBD_NUM_LOCK;
    Keyboard->Extended = FALSE;
    Keyboard->PauseSkip = 0;
}

/* A modifier changes state and types nothing; a lock key toggles on its first
   make only, so a held (repeating) Caps Lock does not flicker. */
static BOOLEAN IopConUpdateModifiers(PCON_KEYBOARD Keyboard, UCHAR Code, BOOLEAN Extended, BOOLEAN Released)
{
    UCHAR Bit;

    switch (Code) {
    case SC_LEFT_SHIFT:  Bit = CON_KBD_LEFT_SHIFT; break;
    case SC_RIGHT_SHIFT: Bit = CON_KBD_RIGHT_SHIFT; break;
    case SC_CTRL:        Bit = Extended ? CON_KBD_RIGHT_CTRL : CON_KBD_LEFT_CTRL; break;
    case SC_CAPS_LOCK:
    case SC_NUM_LOCK: {
        UCHAR Down = Code == SC_CAPS_LOCK ? CON_KBD_CAPS_DOWN : CON_KBD_NUM_DOWN;
        UCHAR Lock = Code == SC_CAPS_LOCK ? CON_KBD_CAPS_LOCK : CON_KBD_NUM_LOCK;

        if (Released) {
            Keyboard->State &= (UCHAR)~Down;
        } else if (!(Keyboard->State & Down)) {
            Keyboard->State ^= Lock;
            Keyboard->State |= Down;
        }
        return TRUE;
    }
    default:
        return FALSE;
    }
    if (Extended && Bit != CON_KBD_RIGHT_CTRL) {
        /* E0 2A / E0 36: the "fake shifts" a keyboard wraps around the grey
           navigation keys. They are not the user's shift keys: ignore them. */
        return TRUE;
    }
    if (Released)
        Keyboard->State &= (UCHAR)~Bit;
    else
        Keyboard->State |= Bit;
    return TRUE;
}

/* An extended key (after E0) that types: keypad Enter and keypad /. The arrows,
   Insert, Delete, Home, End, Page Up/Down, the Windows keys type nothing. */
static BOOLEAN IopConExtendedCharacter(UCHAR Code, PUCHAR Character)
{
    if (Code == SC_ENTER) {
        *Character = CON_CHAR_ENTER;
        return TRUE;
    }
    if (Code == SC_KEYPAD_SLASH) {
        *Character = '/';
        return TRUE;
    }
    return FALSE;
}

/* Ctrl+letter is the control code (Ctrl+C = 0x03), as are Ctrl+[ \ ] (0x1B..0x1D).
   Enter, Backspace, Tab and Esc keep their own codes. Ctrl with other keys types
   nothing rather than a character the user did not mean. */
static BOOLEAN IopConControlCharacter(char Plain, PUCHAR Character)
{
    if (Plain >= 'a' && Plain <= 'z') {
        *Character = (UCHAR)(Plain - 'a' + 1);
        return TRUE;
    }
    if (Plain == '[' || Plain == '\\' || Plain == ']') {
        *Character = (UCHAR)(Plain & 0x1F);
        return TRUE;
    }
    if (Plain == CON_CHAR_ENTER || Plain == CON_CHAR_BACKSPACE || Plain == '\t' ||
        Plain == CON_CHAR_ESCAPE) {
        *Character = (UCHAR)Plain;
        return TRUE;
    }
    return FALSE;
}

BOOLEAN IopConTranslateScanCode(PCON_KEYBOARD Keyboard, UCHAR ScanCode, PUCHAR Character)
{
    BOOLEAN Extended, Released;
    UCHAR Code;
    char Plain;

    if (Keyboard->PauseSkip != 0) {
        Keyboard->PauseSkip--;
        return FALSE;
    }
    if (ScanCode == SC_PREFIX_E0) {
        Keyboard->Extended = TRUE;
        return FALSE;
    }
    if (ScanCode == SC_PREFIX_E1) {
        /* Pause: its 1D 45 would otherwise look like Ctrl and Num Lock. */
        Keyboard->PauseSkip = PAUSE_TAIL;
        Keyboard->Extended = FALSE;
        return FALSE;
    }

    Extended = Keyboard->Extended;
    Keyboard->Extended = FALSE;
    Released = (ScanCode & SC_BREAK) != 0;
    Code = ScanCode & (UCHAR)~SC_BREAK;

    if (IopConUpdateModifiers(Keyboard, Code, Extended, Released) || Released)
        return FALSE;
    if (Extended)
        return IopConExtendedCharacter(Code, Character);

    if (Code >= SC_KEYPAD_FIRST && Code <= SC_KEYPAD_LAST) {
        if (!(Keyboard->State & CON_KBD_NUM_LOCK))
            return FALSE;
        *Character = (UCHAR)KbdKeypad[Code - SC_KEYPAD_FIRST];
        return TRUE;
    }
    if (Code >= SC_MAP_SIZE || KbdNormal[Code] == 0)
        return FALSE;           /* function keys, Alt, Scroll Lock, the unknown */

    Plain = KbdNormal[Code];
    if (Keyboard->State & CTRL_MASK)
        return IopConControlCharacter(Plain, Character);

    {
        BOOLEAN Shift = (Keyboard->State & SHIFT_MASK) != 0;

        /* Caps Lock shifts letters only, and Shift undoes it, as on a real keyboard. */
        if (Plain >= 'a' && Plain <= 'z' && (Keyboard->State & CON_KBD_CAPS_LOCK))
            Shift = !Shift;
        *Character = (UCHAR)(Shift ? KbdShifted[Code] : Plain);
    }
    return TRUE;
}

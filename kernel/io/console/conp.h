/*
 * conp.h - the console's input logic, private to kernel/io/console: the PS/2
 * keyboard's scan codes to characters (kbdmap.c) and the line discipline that
 * both the keyboard and the serial port feed (conline.c).
 *
 * NT splits this between i8042prt/kbdclass (scan codes to key events), the
 * keyboard layout (kbdus.dll: keys to characters) and the console host (the
 * cooked line). Here there is no user-mode console yet, so the kernel does all
 * three, in plain logic without hardware or globals: the state lives in the
 * structures below, so the host tests can make as many as they like.
 */
#pragma once

#include <nt/ntdef.h>

/* ---- the keyboard: PS/2 scan code set 1, US layout (kbdmap.c) ---- */

#define CON_KBD_LEFT_SHIFT  0x01
#define CON_KBD_RIGHT_SHIFT 0x02
#define CON_KBD_LEFT_CTRL   0x04
#define CON_KBD_RIGHT_CTRL  0x08
#define CON_KBD_CAPS_LOCK   0x10    /* toggled */
#define CON_KBD_NUM_LOCK    0x20    /* toggled */
#define CON_KBD_CAPS_DOWN   0x40    /* the key is held: repeats must not toggle again */
#define CON_KBD_NUM_DOWN    0x80

typedef struct _CON_KEYBOARD {
    UCHAR State;            /* CON_KBD_* */
    BOOLEAN Extended;       /* an E0 prefix came: the next code is an extended key */
    UCHAR PauseSkip;        /* bytes of an E1 (Pause) sequence still to swallow */
} CON_KEYBOARD, *PCON_KEYBOARD;

/* Keys that are not characters still come through as these codes (see kbdmap.c). */
#define CON_CHAR_ENTER     '\r'
#define CON_CHAR_BACKSPACE 0x08
#define CON_CHAR_ESCAPE    0x1B

VOID IopConInitializeKeyboard(PCON_KEYBOARD Keyboard);

/* One byte from the keyboard. TRUE and *Character when it completes a key that
   types a character; FALSE for prefixes, releases, modifiers and keys (arrows,
   function keys) that type nothing. */
BOOLEAN IopConTranslateScanCode(PCON_KEYBOARD Keyboard, UCHAR ScanCode, PUCHAR Character);

/* ---- the line discipline (conline.c) ---- */

/*
 * One buffer holds both the bytes a reader may take (the front, ReadyLength
 * bytes) and, in cooked mode, the line still being typed after them. Its size is
 * the limit of a line: 256 bytes with the "\r\n" that ends it, so 254 typed
 * characters when nothing is waiting to be read. (NT's console host has its own,
 * larger, limit; a small one keeps the kernel's buffer in the structure.)
 */
#define CON_LINE_BUFFER_SIZE 256

typedef VOID (*PCON_ECHO_ROUTINE)(PVOID Context, PCSTR Bytes, ULONG Length);

typedef struct _CON_LINE {
    BOOLEAN Raw;                /* FALSE: cooked (echo, editing, whole lines) */
    BOOLEAN LastWasCr;          /* a "\r\n" from a terminal is one Enter */
    UCHAR EscapeState;          /* inside a terminal's escape sequence (arrows) */
    PCON_ECHO_ROUTINE Echo;     /* where the console prints; NULL: no echo */
    PVOID EchoContext;
    ULONG ReadyLength;          /* bytes a reader may take, from Buffer[0] */
    ULONG Length;               /* ReadyLength + the line being typed */
    UCHAR Buffer[CON_LINE_BUFFER_SIZE];
} CON_LINE, *PCON_LINE;

VOID IopConInitializeLine(PCON_LINE Line, PCON_ECHO_ROUTINE Echo, PVOID EchoContext);
VOID IopConSetLineMode(PCON_LINE Line, BOOLEAN Raw);

/* One input byte from a terminal (the serial port), where ESC may begin an
   escape sequence (an arrow key). FALSE when it was refused (the buffer is full). */
BOOLEAN IopConLineInput(PCON_LINE Line, UCHAR Byte);

/* The same for a character from the keyboard (kbdmap.c), whose Esc key is only
   a key: its arrows type nothing already, so there are no sequences to undo. */
BOOLEAN IopConLineInputKey(PCON_LINE Line, UCHAR Character);

/* TRUE when a read would return something now. */
BOOLEAN IopConLineReadable(const CON_LINE *Line);

/* Takes up to Size bytes: in cooked mode never past the end of one line (its
   "\r\n"), in raw mode whatever has come. Returns the count, 0 when nothing. */
ULONG IopConLineRead(PCON_LINE Line, PUCHAR Buffer, ULONG Size);

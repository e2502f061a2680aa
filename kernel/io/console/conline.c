/*
 * conline.c - the console's input line discipline, fed by the keyboard and the
 * serial port alike (NT: the console host's cooked read, what ReadConsole and
 * ReadFile on a console do with ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT; raw
 * mode is that console with both flags cleared).
 *
 * Cooked: typed characters are echoed and kept until Enter; Backspace takes back
 * the last one; Enter hands the line to readers ending in "\r\n", as Windows'
 * cooked ReadFile returns it. A read never goes past one line's end, and a
 * reader that asks for less gets the rest on its next read. Raw: every byte goes
 * to the reader as it came, with no echo and no editing.
 *
 * A serial terminal sends '\r' for Enter (some "\r\n"), 0x7F or 0x08 for
 * Backspace, and escape sequences (ESC [ A ...) for its arrows and function keys.
 */
#include "conp.h"
#include <rtl.h>

#define CHAR_BACKSPACE 0x08
#define CHAR_DELETE    0x7F
#define CHAR_ESCAPE    0x1B
#define CR_LF_LENGTH   2

/* Where a terminal's escape sequence is: after ESC, then inside "ESC [" (a CSI
   sequence: parameters up to a final byte 0x40..0x7E), or after "ESC O" (one
   more byte: the keypad/F1-F4 form). */
enum {
    ESCAPE_NONE,
    ESCAPE_SEEN,
    ESCAPE_CSI,
    ESCAPE_SS3,
};

static VOID IopConEcho(PCON_LINE Line, PCSTR Bytes, ULONG Length)
{
    if (Line->Echo != NULL)
        Line->Echo(Line->EchoContext, Bytes, Length);
}

VOID IopConInitializeLine(PCON_LINE Line, PCON_ECHO_ROUTINE Echo, PVOID EchoContext)
{
    memset(Line, 0, sizeof(*Line));
    Line->Echo = Echo;
    Line->EchoContext = EchoContext;
}

VOID IopConSetLineMode(PCON_LINE Line, BOOLEAN Raw)
{
    /* A half-typed cooked line becomes raw bytes for the reader as it stands;
       nothing typed is lost by the switch. */
    if (Raw)
        Line->ReadyLength = Line->Length;
    Line->Raw = Raw;
    Line->EscapeState = ESCAPE_NONE;
    Line->LastWasCr = FALSE;
}

/* Swallows a terminal's escape sequence: the arrows type nothing in a cooked
   line, and their bytes must not land in it as "[A". TRUE: Byte was eaten. */
static BOOLEAN IopConSkipEscape(PCON_LINE Line, UCHAR Byte)
{
    switch (Line->EscapeState) {
    case ESCAPE_SEEN:
        if (Byte == '[') {
            Line->EscapeState = ESCAPE_CSI;
            return TRUE;
        }
        if (Byte == 'O') {
            Line->EscapeState = ESCAPE_SS3;
            return TRUE;
        }
        /* A lone Esc key followed by an ordinary key: the key counts. */
        Line->EscapeState = ESCAPE_NONE;
        return FALSE;
    case ESCAPE_CSI:
        if (Byte >= 0x40 && Byte <= 0x7E)
            Line->EscapeState = ESCAPE_NONE;
        return TRUE;
    case ESCAPE_SS3:
        Line->EscapeState = ESCAPE_NONE;
        return TRUE;
    default:
        return FALSE;
    }
}

static BOOLEAN IopConCookedInput(PCON_LINE Line, UCHAR Byte, BOOLEAN FromTerminal)
{
    BOOLEAN LastWasCr = Line->LastWasCr;

    Line->LastWasCr = Byte == '\r';
    if (FromTerminal && IopConSkipEscape(Line, Byte))
        return TRUE;

    if (Byte == '\r' || Byte == '\n') {
        if (Byte == '\n' && LastWasCr)
            return TRUE;            /* the second half of a terminal's "\r\n" */
        /* Typed characters always leave room for these two (see below), so
           only Enters on empty lines can find the buffer full. */
        if (Line->Length + CR_LF_LENGTH > CON_LINE_BUFFER_SIZE)
            return FALSE;
        Line->Buffer[Line->Length++] = '\r';
        Line->Buffer[Line->Length++] = '\n';
        Line->ReadyLength = Line->Length;
        IopConEcho(Line, "\r\n", CR_LF_LENGTH);
        return TRUE;
    }
    if (Byte == CHAR_BACKSPACE || Byte == CHAR_DELETE) {
        /* Only the line being typed can be taken back, not one already ended. */
        if (Line->Length > Line->ReadyLength) {
            Line->Length--;
            IopConEcho(Line, "\b \b", 3);
        }
        return TRUE;
    }
    if (Byte == CHAR_ESCAPE) {
        /* From a terminal it may begin a sequence; the keyboard's Esc key is
           just a control code, and must not eat the keys typed after it. */
        if (FromTerminal)
            Line->EscapeState = ESCAPE_SEEN;
        return TRUE;
    }
    if (Byte < ' ' && Byte != '\t') {
        /* Other control codes (Ctrl+letter) have no meaning in a line yet and
           would echo as terminal commands: they are dropped. */
        return TRUE;
    }
    if (Line->Length + 1 + CR_LF_LENGTH > CON_LINE_BUFFER_SIZE)
        return FALSE;               /* full: only Backspace and Enter still work */
    Line->Buffer[Line->Length++] = Byte;
    IopConEcho(Line, (PCSTR)&Byte, 1);
    return TRUE;
}

static BOOLEAN IopConLineInputByte(PCON_LINE Line, UCHAR Byte, BOOLEAN FromTerminal)
{
    if (!Line->Raw)
        return IopConCookedInput(Line, Byte, FromTerminal);
    if (Line->Length >= CON_LINE_BUFFER_SIZE)
        return FALSE;
    Line->Buffer[Line->Length++] = Byte;
    Line->ReadyLength = Line->Length;
    return TRUE;
}

BOOLEAN IopConLineInput(PCON_LINE Line, UCHAR Byte)
{
    return IopConLineInputByte(Line, Byte, TRUE);
}

BOOLEAN IopConLineInputKey(PCON_LINE Line, UCHAR Character)
{
    return IopConLineInputByte(Line, Character, FALSE);
}

BOOLEAN IopConLineReadable(const CON_LINE *Line)
{
    return Line->ReadyLength != 0;
}

ULONG IopConLineRead(PCON_LINE Line, PUCHAR Buffer, ULONG Size)
{
    ULONG Count = Line->ReadyLength;

    if (!Line->Raw) {
        ULONG Index;

        /* Up to the end of the first line: a read returns one line at most. */
        for (Index = 0; Index < Line->ReadyLength; Index++) {
            if (Line->Buffer[Index] == '\n') {
                Count = Index + 1;
                break;
            }
        }
    }
    if (Count > Size)
        Count = Size;
    if (Count == 0)
        return 0;

    memcpy(Buffer, Line->Buffer, Count);
    memmove(Line->Buffer, Line->Buffer + Count, Line->Length - Count);
    Line->Length -= Count;
    Line->ReadyLength -= Count;
    return Count;
}

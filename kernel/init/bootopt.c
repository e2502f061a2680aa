/*
 * bootopt.c - looks up NT-style boot options ("/DEBUG /INIT=\"C:\\a b.exe\"") in a
 * load-options string.
 *
 * Pure logic over a string passed in, so the host unit tests run it unchanged; the
 * forms over the global KeLoaderBlock live in loaderblock.c.
 *
 * Grammar, as this file reads it:
 *  - options are separated by runs of spaces and tabs;
 *  - a token is a run of other characters, except that text between double quotes
 *    belongs to the token even when it contains blanks (an unterminated quote runs to
 *    the end of the string), so a quoted value can never be mistaken for an option;
 *  - a token that starts with '/' is an option: its name runs to the first '=' or to
 *    the end of the token, its value is what follows the '=' with every '"' removed;
 *  - any other token is ignored.
 */
#include <arc.h>
#include <rtl.h>

static BOOLEAN KipIsBlank(CHAR Character)
{
    return Character == ' ' || Character == '\t';
}

/* Returns the first character after the token that starts at Token. */
static PCSTR KipSkipToken(PCSTR Token)
{
    BOOLEAN Quoted = FALSE;

    while (*Token != '\0' && (Quoted || !KipIsBlank(*Token))) {
        if (*Token == '"') {
            Quoted = !Quoted;
        }
        Token++;
    }
    return Token;
}

/* Finds the '=' that ends an option's name, or returns TokenEnd when there is none. */
static PCSTR KipFindEquals(PCSTR Name, PCSTR TokenEnd)
{
    while (Name < TokenEnd && *Name != '=') {
        Name++;
    }
    return Name;
}

/* The value's length once its quotes are removed. */
static SIZE_T KipUnquotedLength(PCSTR Start, PCSTR End)
{
    SIZE_T Length = 0;

    for (; Start < End; Start++) {
        if (*Start != '"') {
            Length++;
        }
    }
    return Length;
}

static VOID KipCopyUnquoted(PCHAR Destination, PCSTR Start, PCSTR End)
{
    for (; Start < End; Start++) {
        if (*Start != '"') {
            *Destination++ = *Start;
        }
    }
    *Destination = '\0';
}

NTSTATUS KiQueryBootOption(PCSTR LoadOptions, PCSTR Name, PCHAR Value, SIZE_T ValueSize)
{
    PCSTR Cursor;
    PCSTR TokenEnd;
    PCSTR NameEnd;
    PCSTR ValueStart = NULL;
    PCSTR ValueEnd = NULL;
    SIZE_T NameLength;

    if (LoadOptions == NULL || Name == NULL) {
        return STATUS_INVALID_PARAMETER;
    }

    /* Callers may spell the option as it appears on the command line. */
    if (*Name == '/') {
        Name++;
    }
    NameLength = strlen(Name);
    if (NameLength == 0) {
        return STATUS_INVALID_PARAMETER;
    }

    /*
     * Scan every token and remember the last match: an option appended at the end of
     * the command line (say, by editing the GRUB entry) overrides an earlier one.
     */
    Cursor = LoadOptions;
    for (;;) {
        while (KipIsBlank(*Cursor)) {
            Cursor++;
        }
        if (*Cursor == '\0') {
            break;
        }

        TokenEnd = KipSkipToken(Cursor);
        if (*Cursor == '/') {
            NameEnd = KipFindEquals(Cursor + 1, TokenEnd);
            if ((SIZE_T)(NameEnd - (Cursor + 1)) == NameLength &&
                _strnicmp(Cursor + 1, Name, NameLength) == 0) {
                ValueStart = NameEnd < TokenEnd ? NameEnd + 1 : TokenEnd;
                ValueEnd = TokenEnd;
            }
        }
        Cursor = TokenEnd;
    }

    if (ValueStart == NULL) {
        return STATUS_NOT_FOUND;
    }

    /* Value is written only on success, so a caller can pre-load it with a default. */
    if (Value != NULL) {
        if (KipUnquotedLength(ValueStart, ValueEnd) >= ValueSize) {
            return STATUS_BUFFER_TOO_SMALL;
        }
        KipCopyUnquoted(Value, ValueStart, ValueEnd);
    }
    return STATUS_SUCCESS;
}

/*
 * ustring.c - counted strings (NT: ntos\rtl\string.c, the parts ntdll exports):
 * initializing, copying, appending, comparing and freeing UNICODE_STRING and
 * ANSI_STRING. Lengths are bytes, buffers need not end in NUL; where there is
 * room, copies and appends add one anyway, as NT's do, because callers pass the
 * Buffer on as a C string.
 */
#include "rtlp.h"

/* NT cuts a string whose byte count does not fit a USHORT at the largest one that does. */
#define RTLP_MAX_USTRING_CHARS ((0xFFFF - sizeof(WCHAR)) / sizeof(WCHAR))
#define RTLP_MAX_STRING_CHARS  (0xFFFF - 1)

VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    SIZE_T Length = 0;

    DestinationString->Buffer = (PWSTR)SourceString;
    if (SourceString == NULL) {
        DestinationString->Length = DestinationString->MaximumLength = 0;
        return;
    }
    while (SourceString[Length] != 0)
        Length++;
    if (Length > RTLP_MAX_USTRING_CHARS)
        Length = RTLP_MAX_USTRING_CHARS;
    DestinationString->Length = (USHORT)(Length * sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)(DestinationString->Length + sizeof(WCHAR));
}

VOID NTAPI RtlInitString(PSTRING DestinationString, PCSTR SourceString)
{
    SIZE_T Length = 0;

    DestinationString->Buffer = (PCHAR)SourceString;
    if (SourceString == NULL) {
        DestinationString->Length = DestinationString->MaximumLength = 0;
        return;
    }
    while (SourceString[Length] != 0)
        Length++;
    if (Length > RTLP_MAX_STRING_CHARS)
        Length = RTLP_MAX_STRING_CHARS;
    DestinationString->Length = (USHORT)Length;
    DestinationString->MaximumLength = (USHORT)(Length + 1);
}

/* The same structure and rules as RtlInitString; NT exports both names. */
VOID NTAPI RtlInitAnsiString(PANSI_STRING DestinationString, PCSTR SourceString)
{
    RtlInitString(DestinationString, SourceString);
}

/* Only for strings this runtime allocated (AllocateDestinationString, path names). */
VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING UnicodeString)
{
    RtlpFree(UnicodeString->Buffer);
    UnicodeString->Buffer = NULL;
    UnicodeString->Length = UnicodeString->MaximumLength = 0;
}

VOID NTAPI RtlFreeAnsiString(PANSI_STRING AnsiString)
{
    RtlpFree(AnsiString->Buffer);
    AnsiString->Buffer = NULL;
    AnsiString->Length = AnsiString->MaximumLength = 0;
}

/* Copies as much as fits (NT truncates silently here); NULL Source empties Destination. */
VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString)
{
    USHORT Length;

    if (SourceString == NULL || SourceString->Buffer == NULL) {
        DestinationString->Length = 0;
        return;
    }
    Length = SourceString->Length;
    if (Length > DestinationString->MaximumLength)
        Length = DestinationString->MaximumLength & ~1;
    memmove(DestinationString->Buffer, SourceString->Buffer, Length);
    DestinationString->Length = Length;
    if (Length + sizeof(WCHAR) <= DestinationString->MaximumLength)
        DestinationString->Buffer[Length / sizeof(WCHAR)] = 0;
}

/* Appends all of Source or nothing: STATUS_BUFFER_TOO_SMALL when it would not fit. */
static NTSTATUS RtlpAppend(PUNICODE_STRING Destination, PCWSTR Source, SIZE_T Bytes)
{
    SIZE_T Total = (SIZE_T)Destination->Length + Bytes;

    if (Bytes == 0)
        return STATUS_SUCCESS;
    if (Total > Destination->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    memmove((PUCHAR)Destination->Buffer + Destination->Length, Source, Bytes);
    Destination->Length = (USHORT)Total;
    if (Total + sizeof(WCHAR) <= Destination->MaximumLength)
        Destination->Buffer[Total / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source)
{
    return RtlpAppend(Destination, Source->Buffer, Source->Length);
}

/* All of Source, however long: RtlInitUnicodeString would cut one of more than
   32766 characters, and the cut string would be appended as if it were all. */
NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source)
{
    if (Source == NULL)
        return STATUS_SUCCESS;
    return RtlpAppend(Destination, Source, wcslen(Source) * sizeof(WCHAR));
}

/* Compares code units (upcased first when asked): NT's ordinal comparison, no locale. */
LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                   BOOLEAN CaseInSensitive)
{
    ULONG Count1 = String1->Length / sizeof(WCHAR), Count2 = String2->Length / sizeof(WCHAR);
    ULONG Count = Count1 < Count2 ? Count1 : Count2;

    for (ULONG Index = 0; Index < Count; Index++) {
        WCHAR A = String1->Buffer[Index], B = String2->Buffer[Index];

        if (CaseInSensitive) {
            A = RtlUpcaseUnicodeChar(A);
            B = RtlUpcaseUnicodeChar(B);
        }
        if (A != B)
            return (LONG)A - (LONG)B;
    }
    return (LONG)Count1 - (LONG)Count2;
}

BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                    BOOLEAN CaseInSensitive)
{
    if (String1->Length != String2->Length)
        return FALSE;
    return RtlCompareUnicodeString(String1, String2, CaseInSensitive) == 0;
}

/* TRUE when String1 is a prefix of String2 (NT's argument order). */
BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                     BOOLEAN CaseInSensitive)
{
    UNICODE_STRING Head;

    if (String1->Length > String2->Length)
        return FALSE;
    Head.Buffer = String2->Buffer;
    Head.Length = Head.MaximumLength = String1->Length;
    return RtlCompareUnicodeString(String1, &Head, CaseInSensitive) == 0;
}

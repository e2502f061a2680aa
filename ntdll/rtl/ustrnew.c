/*
 * ustrnew.c - counted strings the runtime allocates or checks as it fills them
 * (NT: RtlCreateUnicodeString, RtlCreateUnicodeStringFromAsciiz,
 * RtlDuplicateUnicodeString, RtlInitUnicodeStringEx, RtlFreeOemString).
 *
 * The buffers come from the process heap and go back with RtlFreeUnicodeString
 * (or RtlFreeOemString). A counted string's byte count is a USHORT: a string that
 * would not fit, NUL included where one is asked for, is refused rather than cut.
 */
#include "rtlp.h"

/* RtlDuplicateUnicodeString's flags (NT's values). */
#define RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE        0x00000001
#define RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING  0x00000002

/* The largest byte count of a string that still leaves room for its NUL. */
#define RTLP_MAX_USTRING_BYTES (0xFFFF & ~1)

/* A copy of SourceString, NUL included; FALSE when it is too long or memory is short. */
BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    SIZE_T Bytes = (wcslen(SourceString) + 1) * sizeof(WCHAR);
    PWSTR Buffer;

    if (Bytes > RTLP_MAX_USTRING_BYTES)
        return FALSE;
    Buffer = RtlpAllocate(Bytes);
    if (Buffer == NULL)
        return FALSE;
    memcpy(Buffer, SourceString, Bytes);
    DestinationString->Buffer = Buffer;
    DestinationString->Length = (USHORT)(Bytes - sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)Bytes;
    return TRUE;
}

/* The ANSI (code page 1252) C string converted, as RtlAnsiStringToUnicodeString does. */
BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(PUNICODE_STRING DestinationString, PCSTR SourceString)
{
    ANSI_STRING Ansi;

    RtlInitAnsiString(&Ansi, SourceString);
    return NT_SUCCESS(RtlAnsiStringToUnicodeString(DestinationString, &Ansi, TRUE));
}

/*
 * A heap copy of SourceString. NULL_TERMINATE adds a NUL after the characters;
 * an empty source gives an empty string with no buffer unless ALLOCATE_NULL_STRING
 * asks for one (a buffer holding just the NUL), which only makes sense with
 * NULL_TERMINATE: NT refuses it alone, as it refuses unknown flags and a source
 * whose Length is past its MaximumLength.
 */
NTSTATUS NTAPI RtlDuplicateUnicodeString(ULONG Flags, PCUNICODE_STRING SourceString,
                                         PUNICODE_STRING DestinationString)
{
    BOOLEAN Terminate = (Flags & RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE) != 0;
    ULONG Bytes;
    PWSTR Buffer;

    if (SourceString == NULL || DestinationString == NULL ||
        (Flags & ~(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE | RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING)) != 0 ||
        Flags == RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING ||
        SourceString->Length > SourceString->MaximumLength || (SourceString->Length & 1) != 0 ||
        (SourceString->Length != 0 && SourceString->Buffer == NULL))
        return STATUS_INVALID_PARAMETER;

    if (SourceString->Length == 0 && !(Flags & RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING)) {
        DestinationString->Buffer = NULL;
        DestinationString->Length = DestinationString->MaximumLength = 0;
        return STATUS_SUCCESS;
    }
    Bytes = SourceString->Length + (Terminate ? sizeof(WCHAR) : 0);
    if (Bytes > 0xFFFF)
        return STATUS_NAME_TOO_LONG;
    Buffer = RtlpAllocate(Bytes);
    if (Buffer == NULL)
        return STATUS_NO_MEMORY;
    memcpy(Buffer, SourceString->Buffer, SourceString->Length);
    if (Terminate)
        Buffer[SourceString->Length / sizeof(WCHAR)] = 0;
    DestinationString->Buffer = Buffer;
    DestinationString->Length = SourceString->Length;
    DestinationString->MaximumLength = (USHORT)Bytes;
    return STATUS_SUCCESS;
}

/*
 * RtlInitUnicodeString that says when the string is too long for a counted string
 * (more than 32766 characters: its bytes and its NUL would not fit a USHORT)
 * instead of cutting it: STATUS_NAME_TOO_LONG, and an empty string.
 */
NTSTATUS NTAPI RtlInitUnicodeStringEx(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    SIZE_T Length;

    DestinationString->Buffer = (PWSTR)SourceString;
    DestinationString->Length = DestinationString->MaximumLength = 0;
    if (SourceString == NULL)
        return STATUS_SUCCESS;
    Length = wcslen(SourceString) * sizeof(WCHAR);
    if (Length + sizeof(WCHAR) > RTLP_MAX_USTRING_BYTES)
        return STATUS_NAME_TOO_LONG;
    DestinationString->Length = (USHORT)Length;
    DestinationString->MaximumLength = (USHORT)(Length + sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* An OEM string RtlUnicodeStringToOemString allocated. */
VOID NTAPI RtlFreeOemString(POEM_STRING OemString)
{
    RtlFreeAnsiString(OemString);
}

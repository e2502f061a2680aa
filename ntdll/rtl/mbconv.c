/*
 * mbconv.c - ANSI and OEM text to and from Unicode in caller's buffers rather than
 * counted strings (NT: RtlMultiByteToUnicodeN, RtlUnicodeToMultiByteN, their OEM
 * forms, RtlUpcaseUnicodeToMultiByteN, and the size queries), through nls.c's
 * single-byte code pages: one byte is one character, one WCHAR one byte.
 *
 * NT's rules for the N forms: lengths are in bytes, nothing is NUL-terminated, and
 * as much as fits the destination is converted, with STATUS_SUCCESS even when the
 * source was cut (the byte count written says how much). Also the size functions
 * behind the RtlAnsiStringToUnicodeSize / RtlUnicodeStringToAnsiSize macros of
 * NT's headers, which ntdll exports under both names (with and without the x):
 * sizes a conversion needs, the NUL included.
 */
#include "rtlp.h"

typedef WCHAR (*RTLP_TO_UNICODE)(UCHAR Character);
typedef UCHAR (*RTLP_FROM_UNICODE)(WCHAR Character);

static NTSTATUS RtlpBytesToWide(PWCHAR UnicodeString, ULONG MaxBytesInUnicodeString, PULONG BytesInUnicodeString,
                                const CHAR *MultiByteString, ULONG BytesInMultiByteString, RTLP_TO_UNICODE Convert)
{
    ULONG Count = MaxBytesInUnicodeString / sizeof(WCHAR);

    if (Count > BytesInMultiByteString)
        Count = BytesInMultiByteString;
    for (ULONG Index = 0; Index < Count; Index++)
        UnicodeString[Index] = Convert((UCHAR)MultiByteString[Index]);
    if (BytesInUnicodeString != NULL)
        *BytesInUnicodeString = Count * sizeof(WCHAR);
    return STATUS_SUCCESS;
}

static NTSTATUS RtlpWideToBytes(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
                                PULONG BytesInMultiByteString, const WCHAR *UnicodeString, ULONG BytesInUnicodeString,
                                RTLP_FROM_UNICODE Convert, BOOLEAN Upcase)
{
    ULONG Count = BytesInUnicodeString / sizeof(WCHAR);

    if (Count > MaxBytesInMultiByteString)
        Count = MaxBytesInMultiByteString;
    for (ULONG Index = 0; Index < Count; Index++) {
        WCHAR Character = UnicodeString[Index];
        MultiByteString[Index] = (CHAR)Convert(Upcase ? RtlUpcaseUnicodeChar(Character) : Character);
    }
    if (BytesInMultiByteString != NULL)
        *BytesInMultiByteString = Count;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlMultiByteToUnicodeN(PWCHAR UnicodeString, ULONG MaxBytesInUnicodeString,
                                      PULONG BytesInUnicodeString, const CHAR *MultiByteString,
                                      ULONG BytesInMultiByteString)
{
    return RtlpBytesToWide(UnicodeString, MaxBytesInUnicodeString, BytesInUnicodeString, MultiByteString,
                           BytesInMultiByteString, RtlpAnsiToUnicode);
}

NTSTATUS NTAPI RtlOemToUnicodeN(PWCHAR UnicodeString, ULONG MaxBytesInUnicodeString, PULONG BytesInUnicodeString,
                                const CHAR *OemString, ULONG BytesInOemString)
{
    return RtlpBytesToWide(UnicodeString, MaxBytesInUnicodeString, BytesInUnicodeString, OemString,
                           BytesInOemString, RtlpOemToUnicode);
}

NTSTATUS NTAPI RtlUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
                                      PULONG BytesInMultiByteString, const WCHAR *UnicodeString,
                                      ULONG BytesInUnicodeString)
{
    return RtlpWideToBytes(MultiByteString, MaxBytesInMultiByteString, BytesInMultiByteString, UnicodeString,
                           BytesInUnicodeString, RtlpUnicodeToAnsi, FALSE);
}

NTSTATUS NTAPI RtlUnicodeToOemN(PCHAR OemString, ULONG MaxBytesInOemString, PULONG BytesInOemString,
                                const WCHAR *UnicodeString, ULONG BytesInUnicodeString)
{
    return RtlpWideToBytes(OemString, MaxBytesInOemString, BytesInOemString, UnicodeString, BytesInUnicodeString,
                           RtlpUnicodeToOem, FALSE);
}

/* Upcased first (upcase.c), then ANSI. */
NTSTATUS NTAPI RtlUpcaseUnicodeToMultiByteN(PCHAR MultiByteString, ULONG MaxBytesInMultiByteString,
                                            PULONG BytesInMultiByteString, const WCHAR *UnicodeString,
                                            ULONG BytesInUnicodeString)
{
    return RtlpWideToBytes(MultiByteString, MaxBytesInMultiByteString, BytesInMultiByteString, UnicodeString,
                           BytesInUnicodeString, RtlpUnicodeToAnsi, TRUE);
}

NTSTATUS NTAPI RtlMultiByteToUnicodeSize(PULONG BytesInUnicodeString, const CHAR *MultiByteString,
                                         ULONG BytesInMultiByteString)
{
    (void)MultiByteString;
    *BytesInUnicodeString = BytesInMultiByteString * sizeof(WCHAR);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeToMultiByteSize(PULONG BytesInMultiByteString, const WCHAR *UnicodeString,
                                         ULONG BytesInUnicodeString)
{
    (void)UnicodeString;
    *BytesInMultiByteString = BytesInUnicodeString / sizeof(WCHAR);
    return STATUS_SUCCESS;
}

/* Bytes of the Unicode form of AnsiString, its NUL included. */
ULONG NTAPI RtlxAnsiStringToUnicodeSize(PCANSI_STRING AnsiString)
{
    return ((ULONG)AnsiString->Length + 1) * sizeof(WCHAR);
}

ULONG NTAPI RtlAnsiStringToUnicodeSize(PCANSI_STRING AnsiString)
{
    return RtlxAnsiStringToUnicodeSize(AnsiString);
}

/* Bytes of the ANSI form of UnicodeString, its NUL included. */
ULONG NTAPI RtlxUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString)
{
    return UnicodeString->Length / sizeof(WCHAR) + 1;
}

ULONG NTAPI RtlUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString)
{
    return RtlxUnicodeStringToAnsiSize(UnicodeString);
}

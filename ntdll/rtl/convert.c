/*
 * convert.c - ANSI and OEM strings to and from Unicode (NT: RtlAnsiStringToUnicodeString
 * and friends), through nls.c's single-byte code pages: one byte is one character,
 * so every result's length is known before converting.
 *
 * NT's rules: AllocateDestinationString takes a buffer from the process heap
 * (freed with RtlFreeUnicodeString/RtlFreeAnsiString) one character longer than
 * needed, for a NUL. The result always ends in a NUL, so a caller's buffer must
 * have room for it too, else STATUS_BUFFER_OVERFLOW: to Unicode nothing is
 * converted then; to ANSI/OEM as much as fits is (MaximumLength - 1 bytes and the
 * NUL), as NT's do. A string whose converted length with its NUL would not fit a
 * USHORT is STATUS_INVALID_PARAMETER_2.
 */
#include "rtlp.h"

typedef WCHAR (*RTLP_TO_UNICODE)(UCHAR Character);
typedef UCHAR (*RTLP_FROM_UNICODE)(WCHAR Character);

static NTSTATUS RtlpBytesToUnicode(PUNICODE_STRING Destination, PCANSI_STRING Source, BOOLEAN Allocate,
                                   RTLP_TO_UNICODE Convert)
{
    ULONG Bytes = (ULONG)Source->Length * sizeof(WCHAR);

    if (Bytes + sizeof(WCHAR) > 0xFFFF)
        return STATUS_INVALID_PARAMETER_2;
    if (Allocate) {
        Destination->Buffer = RtlpAllocate(Bytes + sizeof(WCHAR));
        if (Destination->Buffer == NULL)
            return STATUS_NO_MEMORY;
        Destination->MaximumLength = (USHORT)(Bytes + sizeof(WCHAR));
    } else if (Bytes + sizeof(WCHAR) > Destination->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    for (ULONG Index = 0; Index < Source->Length; Index++)
        Destination->Buffer[Index] = Convert((UCHAR)Source->Buffer[Index]);
    Destination->Length = (USHORT)Bytes;
    Destination->Buffer[Source->Length] = 0;
    return STATUS_SUCCESS;
}

static NTSTATUS RtlpUnicodeToBytes(PANSI_STRING Destination, PCUNICODE_STRING Source, BOOLEAN Allocate,
                                   RTLP_FROM_UNICODE Convert)
{
    ULONG Count = Source->Length / sizeof(WCHAR);
    NTSTATUS Status = STATUS_SUCCESS;

    if (Allocate) {
        Destination->Buffer = RtlpAllocate(Count + 1);
        if (Destination->Buffer == NULL)
            return STATUS_NO_MEMORY;
        Destination->MaximumLength = (USHORT)(Count + 1);
    } else if (Count + 1 > Destination->MaximumLength) {
        if (Destination->MaximumLength == 0)
            return STATUS_BUFFER_OVERFLOW;
        Count = Destination->MaximumLength - 1u;       /* what fits, with the NUL */
        Status = STATUS_BUFFER_OVERFLOW;
    }
    for (ULONG Index = 0; Index < Count; Index++)
        Destination->Buffer[Index] = (CHAR)Convert(Source->Buffer[Index]);
    Destination->Length = (USHORT)Count;
    Destination->Buffer[Count] = 0;
    return Status;
}

NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString, PCANSI_STRING SourceString,
                                            BOOLEAN AllocateDestinationString)
{
    return RtlpBytesToUnicode(DestinationString, SourceString, AllocateDestinationString, RtlpAnsiToUnicode);
}

NTSTATUS NTAPI RtlOemStringToUnicodeString(PUNICODE_STRING DestinationString, PCANSI_STRING SourceString,
                                           BOOLEAN AllocateDestinationString)
{
    return RtlpBytesToUnicode(DestinationString, SourceString, AllocateDestinationString, RtlpOemToUnicode);
}

NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString, PCUNICODE_STRING SourceString,
                                            BOOLEAN AllocateDestinationString)
{
    return RtlpUnicodeToBytes(DestinationString, SourceString, AllocateDestinationString, RtlpUnicodeToAnsi);
}

NTSTATUS NTAPI RtlUnicodeStringToOemString(POEM_STRING DestinationString, PCUNICODE_STRING SourceString,
                                           BOOLEAN AllocateDestinationString)
{
    return RtlpUnicodeToBytes(DestinationString, SourceString, AllocateDestinationString, RtlpUnicodeToOem);
}

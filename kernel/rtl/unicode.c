/*
 * unicode.c - counted Unicode strings (NT: RtlInitUnicodeString in ntos\rtl\string.c).
 */
#include <rtl.h>

VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    SIZE_T Length = 0;

    DestinationString->Buffer = (PWSTR)SourceString;
    if (SourceString == NULL) {
        DestinationString->Length = DestinationString->MaximumLength = 0;
        return;
    }
    while (SourceString[Length] != 0)
        Length++;
    /* NT cuts a string too long for a USHORT byte count at the largest even length. */
    if (Length > (0xFFFF - sizeof(WCHAR)) / sizeof(WCHAR))
        Length = (0xFFFF - sizeof(WCHAR)) / sizeof(WCHAR);
    DestinationString->Length = (USHORT)(Length * sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)(DestinationString->Length + sizeof(WCHAR));
}

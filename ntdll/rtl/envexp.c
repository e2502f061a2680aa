/*
 * envexp.c - RtlExpandEnvironmentStrings_U: "%NAME%" replaced by the variable's
 * value. As NT's: a name that is not set, and a '%' with no closing one, stay as
 * they were written; the result is counted in full even when it does not fit, so
 * *ReturnedLength (bytes, the NUL included) tells the caller what to allocate.
 */
#include "rtlp.h"

typedef struct _RTLP_EXPANSION {
    PWSTR Buffer;
    ULONG Capacity;     /* characters that may be stored */
    ULONG Length;       /* characters produced, stored or not */
} RTLP_EXPANSION;

static VOID RtlpEmit(RTLP_EXPANSION *Out, PCWSTR Text, ULONG Count)
{
    for (ULONG Index = 0; Index < Count; Index++, Out->Length++) {
        if (Out->Length < Out->Capacity)
            Out->Buffer[Out->Length] = Text[Index];
    }
}

static NTSTATUS RtlpExpand(PVOID Environment, PUNICODE_STRING Source, PUNICODE_STRING Destination,
                           PULONG ReturnedLength)
{
    PCWSTR Cursor = Source->Buffer, End = Source->Buffer + Source->Length / sizeof(WCHAR);
    RTLP_EXPANSION Out;
    ULONG Bytes;

    Out.Buffer = Destination->Buffer;
    Out.Capacity = Destination->MaximumLength / sizeof(WCHAR);
    Out.Length = 0;

    while (Cursor < End) {
        PCWSTR Close, Value;
        ULONG ValueChars;

        if (*Cursor != '%') {
            RtlpEmit(&Out, Cursor++, 1);
            continue;
        }
        for (Close = Cursor + 1; Close < End && *Close != '%'; Close++)
            ;
        if (Close == End) {                         /* no closing '%': the rest as it is */
            RtlpEmit(&Out, Cursor, (ULONG)(End - Cursor));
            break;
        }
        Value = RtlpFindVariable(Environment, Cursor + 1, (ULONG)(Close - Cursor - 1), &ValueChars);
        if (Value != NULL) {
            RtlpEmit(&Out, Value, ValueChars);
            Cursor = Close + 1;
        } else {
            /* "%NOTSET%" stays; its closing '%' may open the next name ("%A%B%"). */
            RtlpEmit(&Out, Cursor, (ULONG)(Close - Cursor));
            Cursor = Close;
        }
    }

    Bytes = (Out.Length + 1) * sizeof(WCHAR);
    if (ReturnedLength != NULL)
        *ReturnedLength = Bytes;
    if (Bytes > Destination->MaximumLength || Bytes > 0xFFFF)
        return STATUS_BUFFER_TOO_SMALL;
    Destination->Buffer[Out.Length] = 0;
    Destination->Length = (USHORT)(Out.Length * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* The process's environment (Environment NULL) is read under the PEB lock. */
NTSTATUS NTAPI RtlExpandEnvironmentStrings_U(PVOID Environment, PUNICODE_STRING Source,
                                             PUNICODE_STRING Destination, PULONG ReturnedLength)
{
    NTSTATUS Status;

    if (Environment != NULL)
        return RtlpExpand(Environment, Source, Destination, ReturnedLength);
    RtlAcquirePebLock();
    Status = RtlpExpand(NULL, Source, Destination, ReturnedLength);
    RtlReleasePebLock();
    return Status;
}

/*
 * output.c - ntsh's output: formatted text on standard output (ntdll's
 * _vsnprintf, MSVCRT's rules: %S prints a UTF-16 string), and errors by name.
 *
 * Status names come from include/nt/ntstatus.h, the list the kernel's system-call
 * trace prints names from too: mk/demos.mk turns its #define lines into
 * ntstatus.inc, one { value, "NAME" } per line, so the shell never keeps a second
 * copy by hand. The first name a value has wins, as in the trace.
 */
#include "ntsh.h"

typedef struct _SH_STATUS_NAME {
    ULONG Value;
    const char *Name;
} SH_STATUS_NAME;

static const SH_STATUS_NAME ShStatusNames[] = {
#include "ntstatus.inc"
};

#define SH_PRINT_CHARS 1024

void ShWrite(const char *Text, ULONG Length)
{
    IO_STATUS_BLOCK Iosb;

    NtWriteFile(ShParameters()->StandardOutput, NULL, NULL, NULL, &Iosb, (PVOID)Text, Length, NULL, NULL);
}

void ShPrint(const char *Format, ...)
{
    char Buffer[SH_PRINT_CHARS];
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = _vsnprintf(Buffer, sizeof(Buffer), Format, Args);
    va_end(Args);
    /* MSVCRT's rule: -1 when the text did not fit (and no NUL): print what fit. */
    if (Length < 0 || Length > (int)sizeof(Buffer))
        Length = sizeof(Buffer);
    ShWrite(Buffer, (ULONG)Length);
}

/* NT's name for a status, or NULL when the list does not have it. */
const char *ShStatusName(NTSTATUS Status)
{
    ULONG Index;

    for (Index = 0; Index < sizeof(ShStatusNames) / sizeof(ShStatusNames[0]); Index++) {
        if (ShStatusNames[Index].Value == (ULONG)Status)
            return ShStatusNames[Index].Name;
    }
    return NULL;
}

/* "ntsh: WHAT: STATUS_NAME (0xXXXXXXXX)", or the number alone when unnamed. */
void ShError(const WCHAR *What, NTSTATUS Status)
{
    const char *Name = ShStatusName(Status);

    if (Name != NULL)
        ShPrint("ntsh: %S: %s (0x%08lX)\r\n", What, Name, (ULONG)Status);
    else
        ShPrint("ntsh: %S: status 0x%08lX\r\n", What, (ULONG)Status);
}

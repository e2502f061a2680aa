/*
 * dbgprint.c - DbgPrint and DbgPrintEx. NT's sends the text to the kernel debugger (int 2Dh,
 * DebugService); this kernel has no debugger service and no NtDebugPrint, so the
 * text goes where a native program's diagnostics can be seen: the process's
 * standard error handle (PEB->ProcessParameters->StandardError), which the
 * kernel gives the first process on the console. Without one, the text is
 * dropped, as NT's is without a debugger.
 *
 * One line up to 512 characters; a longer one is cut (NT cuts at 512 too).
 */
#include "rtlp.h"

#define RTLP_DBGPRINT_MAX 512

static ULONG RtlpDebugPrint(PCSTR Format, va_list Args)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = RtlpCurrentPeb()->ProcessParameters;
    CHAR Text[RTLP_DBGPRINT_MAX];
    IO_STATUS_BLOCK IoStatus;
    int Length;

    Length = RtlStringVPrintf(Text, sizeof(Text), Format, Args);
    if (Length < 0)
        return (ULONG)STATUS_INVALID_PARAMETER;
    if (Length >= (int)sizeof(Text))
        Length = sizeof(Text) - 1;
    if (Parameters == NULL || Parameters->StandardError == NULL)
        return STATUS_SUCCESS;
    return (ULONG)NtWriteFile(Parameters->StandardError, NULL, NULL, NULL, &IoStatus, Text, (ULONG)Length,
                              NULL, NULL);
}

ULONG __cdecl DbgPrint(PCSTR Format, ...)
{
    va_list Args;
    ULONG Status;

    va_start(Args, Format);
    Status = RtlpDebugPrint(Format, Args);
    va_end(Args);
    return Status;
}

/*
 * NT filters DbgPrintEx by ComponentId and Level against the kernel debugger's
 * masks (Kd_<component>_Mask), which are the debugger's to set. There is no
 * debugger here to set them, so every level prints, as DbgPrint does.
 */
ULONG __cdecl DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
    va_list Args;
    ULONG Status;

    (void)ComponentId;
    (void)Level;
    va_start(Args, Format);
    Status = RtlpDebugPrint(Format, Args);
    va_end(Args);
    return Status;
}

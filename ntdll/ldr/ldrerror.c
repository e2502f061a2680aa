/*
 * ldrerror.c - what a process that cannot start says before it ends. NT raises a
 * hard error (csrss shows "The procedure entry point X could not be located in the
 * dynamic link library Y"); with no csrss yet the same facts go to the process's
 * standard error, one line, and the status becomes the exit code.
 *
 * "the procedure X was not found in Y.dll", "the DLL Y.dll was not found", ...
 *
 * Only for the process's own start (LdrpReportFailures), whose failure ends it:
 * LdrLoadDll's and LdrGetProcedureAddress's failures are their callers' to report,
 * even when a DllMain calls them while the process starts (NT raises no hard
 * error for them either).
 */
#include "ldrp.h"

NTSTATUS LdrpReport(NTSTATUS Status, PCSTR What, PCSTR Name, PCSTR Verb, PCSTR Dll)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = LdrpCurrentPeb()->ProcessParameters;
    CHAR Line[300];
    ULONG Length = 0;
    IO_STATUS_BLOCK IoStatus;
    PCSTR Parts[] = { "The program can't start: ", What, " ", Name, " ", Verb, Dll ? " " : "", Dll ? Dll : "", "\r\n" };
    ULONG Index;

    if (!LdrpReportFailures)
        return Status;
    for (Index = 0; Index < sizeof(Parts) / sizeof(Parts[0]); Index++) {
        PCSTR Part = Parts[Index];
        while (*Part != 0 && Length < sizeof(Line))
            Line[Length++] = *Part++;
    }
    if (Parameters != NULL && Parameters->StandardError != NULL)
        NtWriteFile(Parameters->StandardError, NULL, NULL, NULL, &IoStatus, Line, Length, NULL, NULL);
    return Status;
}

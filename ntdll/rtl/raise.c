/*
 * raise.c - RtlRaiseStatus: raises a status as a non-continuable exception with no
 * parameters (NT's, for code that has a status and nowhere to return it: a failed
 * NtContinue in KiUserExceptionDispatcher, RtlRaiseException's own NtRaiseException
 * failing). RtlRaiseException itself is assembly (i386/raise.asm): it must capture
 * its caller's registers exactly.
 */
#include "../ntdllp.h"

VOID NTAPI RtlRaiseStatus(NTSTATUS Status)
{
    EXCEPTION_RECORD Record;

    Record.ExceptionCode = Status;
    Record.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    Record.ExceptionRecord = NULL;
    Record.ExceptionAddress = NULL;     /* RtlRaiseException sets it: its caller, here */
    Record.NumberParameters = 0;
    /* Does not come back: no handler may continue a non-continuable exception, and
       one that is not handled ends the process. */
    RtlRaiseException(&Record);
}

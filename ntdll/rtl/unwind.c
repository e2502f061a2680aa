/*
 * unwind.c - RtlpUnwind, the body of RtlUnwind (i386/unwind.asm captures the
 * caller's registers and calls here): the i386 SEH unwind, NT's way.
 *
 * A handler that decides to handle an exception in an outer frame (its own, for
 * a __try/__except) first unwinds: every record between the top of the chain
 * (fs:[0]) and the target frame gets its handler called once more, with
 * EXCEPTION_UNWINDING in the record's flags (EXCEPTION_EXIT_UNWIND too when there
 * is no target: the thread is going away), so it can run its cleanup (__finally,
 * destructors); then the record is unlinked. The target's own handler is not
 * called: it is the one resuming. Then NtContinue resumes the CONTEXT of
 * RtlUnwind's caller, with EAX = ReturnValue.
 *
 * Where it resumes: NT's i386 RtlUnwind ignores TargetIp and always comes back
 * right after the call; MSVC's __global_unwind2 and every compiler's call site
 * pass that same address. Here a non-NULL TargetIp is honoured (the registers
 * and ESP are still the caller's after the call), so the two agree for every real
 * caller, and a NULL TargetIp returns to the caller.
 *
 * Errors are raised as NT raises them, as non-continuable exceptions whose
 * ExceptionRecord is the unwind's: STATUS_INVALID_UNWIND_TARGET when the target
 * frame is below the record reached (it cannot be in the chain any more: the
 * chain grows toward lower addresses), STATUS_BAD_STACK for a record outside the
 * thread's stack or misaligned, STATUS_INVALID_DISPOSITION for a handler that
 * answers anything but ExceptionContinueSearch (or a collision). An unwind that
 * reaches the end of the chain without meeting its target (and is not an unwind
 * to EXCEPTION_CHAIN_END) is raised again as a second chance, which ends the
 * process, as NT's does.
 */
#include "../ntdllp.h"

/* A non-continuable exception Code, raised because of the unwind's Record. */
static VOID RtlpRaiseUnwindError(NTSTATUS Code, PEXCEPTION_RECORD Record)
{
    EXCEPTION_RECORD Error;

    Error.ExceptionCode = Code;
    Error.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    Error.ExceptionRecord = Record;
    Error.ExceptionAddress = NULL;      /* RtlRaiseException sets it */
    Error.NumberParameters = 0;
    RtlRaiseException(&Error);
}

VOID NTAPI RtlpUnwind(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord, PVOID ReturnValue,
                      PCONTEXT Context)
{
    PNT_TIB Tib = RtlpCurrentTib();
    ULONG_PTR StackLimit = (ULONG_PTR)Tib->StackLimit;
    ULONG_PTR StackBase = (ULONG_PTR)Tib->StackBase;
    PEXCEPTION_REGISTRATION_RECORD Record, Prior;
    DISPATCHER_CONTEXT DispatcherContext;
    EXCEPTION_DISPOSITION Disposition;
    EXCEPTION_RECORD Local;
    NTSTATUS Status;

    /* No record of the caller's: an unwind of its own, STATUS_UNWIND, raised
       where RtlUnwind was called. */
    if (ExceptionRecord == NULL) {
        Local.ExceptionCode = STATUS_UNWIND;
        Local.ExceptionFlags = 0;
        Local.ExceptionRecord = NULL;
        Local.ExceptionAddress = (PVOID)(ULONG_PTR)Context->Eip;
        Local.NumberParameters = 0;
        ExceptionRecord = &Local;
    }
    ExceptionRecord->ExceptionFlags |= EXCEPTION_UNWINDING;
    if (TargetFrame == NULL)
        ExceptionRecord->ExceptionFlags |= EXCEPTION_EXIT_UNWIND;

    Context->Eax = (ULONG)(ULONG_PTR)ReturnValue;
    if (TargetIp != NULL)
        Context->Eip = (ULONG)(ULONG_PTR)TargetIp;

    for (Record = Tib->ExceptionList; Record != EXCEPTION_CHAIN_END;) {
        if (Record == TargetFrame) {
            Status = NtContinue(Context, FALSE);    /* returns only when refused */
            RtlRaiseStatus(Status);
        }
        if (TargetFrame != NULL && (ULONG_PTR)TargetFrame < (ULONG_PTR)Record)
            RtlpRaiseUnwindError(STATUS_INVALID_UNWIND_TARGET, ExceptionRecord);

        if ((ULONG_PTR)Record < StackLimit || StackBase < sizeof(*Record) ||
            (ULONG_PTR)Record > StackBase - sizeof(*Record) || ((ULONG_PTR)Record & 3) != 0)
            RtlpRaiseUnwindError(STATUS_BAD_STACK, ExceptionRecord);

        /* Inside the unwinder's guard: an unwind started by this handler that
           runs past it comes back as ExceptionCollidedUnwind. */
        DispatcherContext.RegistrationPointer = NULL;
        Disposition = RtlpExecuteHandlerForUnwind(ExceptionRecord, Record, Context, &DispatcherContext,
                                                  Record->Handler);
        switch (Disposition) {
        case ExceptionContinueSearch:
            break;
        case ExceptionCollidedUnwind:
            /* Another unwind already took the records up to the one whose handler
               it interrupted: go on from there. */
            Record = DispatcherContext.RegistrationPointer;
            break;
        default:
            RtlpRaiseUnwindError(STATUS_INVALID_DISPOSITION, ExceptionRecord);
            break;
        }

        /* Done with it: out of the chain (NT: RtlpUnlinkHandler). */
        Prior = Record;
        Record = Record->Next;
        Tib->ExceptionList = Prior->Next;
    }

    if (TargetFrame == EXCEPTION_CHAIN_END)
        Status = NtContinue(Context, FALSE);
    else
        Status = NtRaiseException(ExceptionRecord, Context, FALSE);
    RtlRaiseStatus(Status);
}

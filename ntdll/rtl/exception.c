/*
 * exception.c - RtlDispatchException: offers an exception to the process's vectored
 * handlers (vectored.c), then to the thread's frame-based handlers (structured
 * exception handling, the SEH chain), innermost first. Called by
 * KiUserExceptionDispatcher (i386/excdisp.asm) with what the kernel put on the
 * user stack.
 *
 * The chain starts at fs:[0] (NT_TIB.ExceptionList) and links
 * EXCEPTION_REGISTRATION_RECORDs that live on this thread's stack, each set up by
 * a function that has a handler (__try, or a compiler's frame handler). A record
 * that is not on the stack, or not 4-byte aligned, means the chain is corrupt (or
 * forged by an overflow): dispatch stops there, as NT's does, and the exception is
 * unhandled.
 *
 * A handler that misbehaves gets NT's follow-up exception, raised from here with
 * the original as its ExceptionRecord: STATUS_NONCONTINUABLE_EXCEPTION when it
 * continues what may not be continued, STATUS_INVALID_DISPOSITION when it answers
 * anything but NT's dispositions. Both are non-continuable; a frame further out
 * (an __except) may still handle them, as on NT, and otherwise the process ends
 * with their code.
 *
 * Not yet here: the SafeSEH check of each handler against its image's table
 * (RtlIsValidHandler).
 */
#include "../ntdllp.h"

/* NT's follow-up exception for Original, raised where the dispatch is; not continuable. */
static VOID RtlpRaiseFollowUp(NTSTATUS Code, PEXCEPTION_RECORD Original)
{
    EXCEPTION_RECORD Record;

    Record.ExceptionCode = Code;
    Record.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    Record.ExceptionRecord = Original;
    Record.ExceptionAddress = NULL;     /* RtlRaiseException sets it */
    Record.NumberParameters = 0;
    RtlRaiseException(&Record);
}

/* The whole record inside [StackLimit, StackBase) and 4-byte aligned. */
static BOOLEAN RtlpIsRecordOnStack(PEXCEPTION_REGISTRATION_RECORD Record,
                                   ULONG_PTR StackLimit, ULONG_PTR StackBase)
{
    ULONG_PTR Address = (ULONG_PTR)Record;

    return Address >= StackLimit && StackBase >= sizeof(*Record) &&
           Address <= StackBase - sizeof(*Record) && (Address & 3) == 0;
}

/*
 * TRUE when a handler fixed the exception (ExceptionContinueExecution): the caller
 * then resumes at ContextRecord, which the handler may have changed. FALSE when no
 * handler took it, or the chain was found corrupt (EXCEPTION_STACK_INVALID set).
 */
BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord)
{
    PNT_TIB Tib = RtlpCurrentTib();
    ULONG_PTR StackLimit = (ULONG_PTR)Tib->StackLimit;
    ULONG_PTR StackBase = (ULONG_PTR)Tib->StackBase;
    PEXCEPTION_REGISTRATION_RECORD Record;
    /* The outermost record whose handler was running when this exception was
       raised (a nested exception): records up to it see EXCEPTION_NESTED_CALL. */
    PEXCEPTION_REGISTRATION_RECORD NestedFrame = NULL;
    DISPATCHER_CONTEXT DispatcherContext;
    EXCEPTION_DISPOSITION Disposition;

    /* The process's vectored handlers first (NT 5.1 and later). */
    if (RtlpCallVectoredHandlers(ExceptionRecord, ContextRecord))
        return (ExceptionRecord->ExceptionFlags & EXCEPTION_NONCONTINUABLE) == 0;

    for (Record = Tib->ExceptionList; Record != EXCEPTION_CHAIN_END; Record = Record->Next) {
        if (!RtlpIsRecordOnStack(Record, StackLimit, StackBase)) {
            ExceptionRecord->ExceptionFlags |= EXCEPTION_STACK_INVALID;
            return FALSE;
        }

        /* Inside the dispatcher's guard record: a fault in the handler comes back
           to a nested dispatch as ExceptionNestedException (i386/exchandl.asm). */
        DispatcherContext.RegistrationPointer = NULL;
        Disposition = RtlpExecuteHandlerForException(ExceptionRecord, Record, ContextRecord,
                                                     &DispatcherContext, Record->Handler);

        /* Past the frame the nested exception came from: no longer nested. */
        if (Record == NestedFrame) {
            ExceptionRecord->ExceptionFlags &= ~EXCEPTION_NESTED_CALL;
            NestedFrame = NULL;
        }

        switch (Disposition) {
        case ExceptionContinueExecution:
            if ((ExceptionRecord->ExceptionFlags & EXCEPTION_NONCONTINUABLE) == 0)
                return TRUE;
            RtlpRaiseFollowUp(STATUS_NONCONTINUABLE_EXCEPTION, ExceptionRecord);
            return FALSE;               /* not reached: nothing continues it */

        case ExceptionContinueSearch:
            break;

        case ExceptionNestedException:
            /* Our guard answered: the handler of DispatcherContext's record was
               running when this exception was raised. Keep the outermost such
               record (the stack grows down: the highest address). */
            ExceptionRecord->ExceptionFlags |= EXCEPTION_NESTED_CALL;
            if ((ULONG_PTR)DispatcherContext.RegistrationPointer > (ULONG_PTR)NestedFrame)
                NestedFrame = DispatcherContext.RegistrationPointer;
            break;

        default:
            /* ExceptionCollidedUnwind (only an unwinder's guard answers that) or
               garbage. */
            RtlpRaiseFollowUp(STATUS_INVALID_DISPOSITION, ExceptionRecord);
            return FALSE;               /* not reached */
        }
    }
    return FALSE;
}

/*
 * exceptn.c - exceptions of user-mode code, delivered to the thread's own handlers
 * (NT: KiDispatchException for PreviousMode UserMode, NtRaiseException /
 * KiRaiseException, ntos\ke\i386\exceptn.c and raisexcp.c).
 *
 * The path, as in NT:
 *   1. a fault in ring 3 (trap.c builds the EXCEPTION_RECORD), or NtRaiseException
 *      from ntdll (RtlRaiseException) with a record and a CONTEXT;
 *   2. first chance: the CONTEXT and the record are copied to the user stack and
 *      the thread resumes at ntdll's KiUserExceptionDispatcher, which runs the
 *      vectored handlers and the SEH chain (RtlDispatchException) and NtContinues
 *      when one of them fixed things;
 *   3. nobody did: the dispatcher calls NtRaiseException(FirstChance FALSE), the
 *      second chance, and the process ends with the exception code.
 * There is no debugger port yet, so neither chance is offered to a debugger first.
 *
 * Kernel-mode exceptions never come here: the kernel's own faults end in a bugcheck
 * or in a fault-recovery block (trap.c, except.c).
 */
#include "../ki.h"
#include "excframe.h"
#include <ex.h>
#include <kd.h>
#include <rtl.h>
#include "zwapi.h"      /* the kernel's Zw stubs */

NTSTATUS KiCallbackReturnFromUser(PVOID OutputBuffer, ULONG OutputLength, NTSTATUS Status);

/* Guard pages the frame may run into on the way down (it spans at most two pages). */
#define KI_FRAME_COPY_ATTEMPTS 3

/*
 * The one place a process ends because of an exception: NT's second chance ends
 * in ZwTerminateProcess(NtCurrentProcess(), Code), which ends every thread of the
 * process with the code (the caller's last). A thread that belongs to no process
 * object (a bare kernel thread the self-tests send into ring 3) can only end
 * itself.
 */
__attribute__((noreturn)) VOID KiEndUserProcess(NTSTATUS Code)
{
    if (KeGetCurrentThread()->ExecutiveThread != NULL) {
        (VOID)ZwTerminateProcess(NtCurrentProcess(), Code);
        /* Not reached: the process's end includes this thread's. */
        KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG)Code, 0, 0, 0);
    }
    KeTerminateThread();
}

/*
 * Second chance, or no first chance possible. A thread inside a user-mode callback
 * (KeUserModeCallback) gets the callback ended with the exception code instead:
 * the kernel code that called out is waiting for a status, and ending the process
 * under it would leave its frames on this thread's kernel stack.
 */
__attribute__((noreturn))
static VOID KipUnhandledException(const EXCEPTION_RECORD *ExceptionRecord)
{
    if (KeGetCurrentThread()->CallbackStack != NULL)
        KiCallbackReturnFromUser(NULL, 0, ExceptionRecord->ExceptionCode);
    DbgPrint("*** unhandled exception 0x%08lX at %08lX: ending the process\n",
             (ULONG)ExceptionRecord->ExceptionCode, (ULONG)(ULONG_PTR)ExceptionRecord->ExceptionAddress);
    KiEndUserProcess(ExceptionRecord->ExceptionCode);
}

/* The frame's bytes onto the user stack; the status of a fault doing it. */
static NTSTATUS KipCopyFrameToUser(const KI_USER_EXCEPTION_FRAME *Frame)
{
    KFAULT_RECOVERY Recovery;
    ULONG Attempt;

    for (Attempt = 0; Attempt < KI_FRAME_COPY_ATTEMPTS; Attempt++) {
        if (KiSetFaultRecovery(&Recovery) == 0) {
            ProbeForWrite((PVOID)(ULONG_PTR)Frame->Esp, Frame->Length, sizeof(ULONG));
            memcpy((PVOID)(ULONG_PTR)Frame->Esp, Frame->Image, Frame->Length);
            KiClearFaultRecovery(&Recovery);
            return STATUS_SUCCESS;
        }
        /* A guard page below the stack: touching it made it an ordinary page, as a
           push by the thread itself would have (NT grows the stack there); again. */
        if (Recovery.ExceptionCode != STATUS_GUARD_PAGE_VIOLATION)
            break;
    }
    return Recovery.ExceptionCode;
}

VOID KiDispatchException(PEXCEPTION_RECORD ExceptionRecord, PKTRAP_FRAME TrapFrame,
                         BOOLEAN FirstChance)
{
    /* About 1.5 KB of kernel stack with the CONTEXT: a leaf of the trap or of
       NtRaiseException, well inside a 12 KB stack (a pool block would add a
       failure that has no NT status to end with). */
    KI_USER_EXCEPTION_FRAME Frame;
    CONTEXT Context;
    NTSTATUS Status;

    if (!FirstChance || KeUserExceptionDispatcher == 0)
        KipUnhandledException(ExceptionRecord);

    /* The registers at the exception, as the handlers will see and edit them. */
    memset(&Context, 0, sizeof(Context));
    Context.ContextFlags = CONTEXT_FULL;
    KeTrapFrameToContext(TrapFrame, &Context);

    if (!KiBuildUserExceptionFrame(&Context, ExceptionRecord, Context.Esp, &Frame))
        Status = STATUS_ACCESS_VIOLATION;
    else
        Status = KipCopyFrameToUser(&Frame);
    if (!NT_SUCCESS(Status)) {
        /* NT: a user stack that cannot take the frame gets no first chance; the
           exception goes straight to second-chance processing, which ends the
           process (a stack overflow found here would be raised instead, once the
           memory manager reports STATUS_STACK_OVERFLOW for user stacks). */
        DbgPrint("*** exception 0x%08lX at %08lX: the user stack at %08lX cannot take it (0x%08lX)\n",
                 (ULONG)ExceptionRecord->ExceptionCode, (ULONG)(ULONG_PTR)ExceptionRecord->ExceptionAddress,
                 Context.Esp, (ULONG)Status);
        KipUnhandledException(ExceptionRecord);
    }
    KiSetUserExceptionFrameRegisters(TrapFrame, &Frame, (ULONG)KeUserExceptionDispatcher);
}

/*
 * NtRaiseException: user mode (ntdll's RtlRaiseException, KiUserExceptionDispatcher)
 * raises an exception of its own: the thread takes the CONTEXT's registers, as with
 * NtContinue, and the exception is dispatched from there - back to the user
 * dispatcher for a first chance, or the end of the process for a second.
 */
NTSTATUS NtRaiseException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord, BOOLEAN FirstChance)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    PKTRAP_FRAME TrapFrame = KeGetCurrentThread()->TrapFrame;
    EXCEPTION_RECORD Record;
    CONTEXT Context;
    NTSTATUS Status;

    /* Kernel-mode exception dispatch (handlers in the kernel) does not exist here:
       the kernel uses fault-recovery blocks. */
    if (TrapFrame == NULL || !KiUserTrap(TrapFrame))
        return STATUS_NOT_SUPPORTED;

    /* Everything captured before the thread's registers change. The record in two
       steps: its head, then only as many parameters as the (checked) count says. */
    Status = KiCaptureContext(&Context, ContextRecord);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Record, ExceptionRecord, KI_EXCEPTION_RECORD_HEADER,
                                   sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Record.NumberParameters > EXCEPTION_MAXIMUM_PARAMETERS)
        return STATUS_INVALID_PARAMETER;
    if (Record.NumberParameters != 0) {
        Status = ExCaptureUserData(Record.ExceptionInformation, ExceptionRecord->ExceptionInformation,
                                   Record.NumberParameters * sizeof(ULONG), sizeof(ULONG), PreviousMode);
        if (!NT_SUCCESS(Status))
            return Status;
    }

    KeContextToTrapFrame(&Context, TrapFrame);
    KiDispatchException(&Record, TrapFrame, FirstChance);
    /* The frame now resumes at the dispatcher; the exit stores this as EAX, so keep
       the one the frame has (as NtContinue does). */
    return (NTSTATUS)TrapFrame->Eax;
}

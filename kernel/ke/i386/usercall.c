/*
 * usercall.c - calls from the kernel into user mode and back (NT: KeUserModeCallback,
 * KiCallUserMode, NtCallbackReturn; seed 002, section 2.6.4 "reverse calls").
 *
 * A service running for a user thread can call a function of the thread's process
 * in user mode: ntdll's KiUserCallbackDispatcher looks the function up in
 * PEB->KernelCallbackTable by ApiNumber and, when it returns, gives the result back
 * with INT 2B (or NtCallbackReturn). Meanwhile the kernel's own frames stay on the
 * kernel stack, so entries from user mode during the callback (its system calls,
 * nested callbacks) must build their frames below them: KTHREAD.TrapStackTop is
 * lowered for the callback's duration. Each callback is a KCALLOUT on the kernel
 * stack, chained from KTHREAD.CallbackStack, innermost first.
 */
#include "../ki.h"
#include <ex.h>
#include <kd.h>
#include <rtl.h>

/* ntdll's dispatchers, found by the loader of the system DLL (NT's globals). */
ULONG_PTR KeUserApcDispatcher;
ULONG_PTR KeUserCallbackDispatcher;
ULONG_PTR KeUserExceptionDispatcher;
ULONG_PTR KeRaiseUserExceptionDispatcher;

/* Kernel stack a callback needs left below its frames (its system calls use it). */
#define KI_CALLBACK_STACK_RESERVE 0x1000

typedef struct _KCALLOUT {
    struct _KCALLOUT *Previous;     /* the next outer callback */
    ULONG SavedEsp;                 /* KiCallUserMode's registers */
    PVOID TrapStackTop;             /* to restore */
    PKTRAP_FRAME TrapFrame;
    KPROCESSOR_MODE PreviousMode;
    PVOID ExceptionList;
    PVOID OutputBuffer;             /* what NtCallbackReturn handed back */
    ULONG OutputLength;
} KCALLOUT, *PKCALLOUT;

NTSTATUS KiCallUserMode(PKTRAP_FRAME CallbackFrame, PKCALLOUT Callout);
__attribute__((noreturn)) VOID KiCallbackUnwind(ULONG SavedEsp, NTSTATUS Status);

/* From KiCallUserMode, interrupts on, before it leaves for user mode. */
VOID KiCallUserModePrepare(PKCALLOUT Callout, ULONG SavedEsp)
{
    PKTHREAD Thread = KeGetCurrentThread();

    Callout->SavedEsp = SavedEsp;
    Callout->Previous = Thread->CallbackStack;
    Callout->TrapStackTop = Thread->TrapStackTop;
    Callout->TrapFrame = Thread->TrapFrame;
    Callout->PreviousMode = Thread->PreviousMode;
    Callout->ExceptionList = KeGetPcr()->NtTib.ExceptionList;
    _disable();     /* the exit path would turn them off anyway; nothing may switch now */
    Thread->CallbackStack = Callout;
    KiSetTrapStackTop(Thread, (PVOID)((SavedEsp - 64) & ~15UL));
}

NTSTATUS KeUserModeCallback(ULONG ApiNumber, PVOID InputBuffer, ULONG InputLength,
                            PVOID *OutputBuffer, PULONG OutputLength)
{
    PKTHREAD Thread = KeGetCurrentThread();
    PKTRAP_FRAME UserFrame = Thread->TrapFrame;
    KTRAP_FRAME CallbackFrame;
    KFAULT_RECOVERY Recovery;
    KCALLOUT Callout;
    ULONG_PTR UserEsp, Buffer;
    ULONG_PTR Here = (ULONG_PTR)__builtin_frame_address(0);
    NTSTATUS Status;

    if (KeGetCurrentIrql() != PASSIVE_LEVEL)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, ApiNumber, KeGetCurrentIrql(), 0,
                     (ULONG_PTR)__builtin_return_address(0));
    /* Only a thread that came from user mode has a user mode to go back to. */
    if (UserFrame == NULL || !KiUserTrap(UserFrame) || KeUserCallbackDispatcher == 0)
        return STATUS_NOT_SUPPORTED;
    if (Here - (ULONG_PTR)Thread->StackLimit < KI_CALLBACK_STACK_RESERVE + sizeof(KTRAP_FRAME))
        return STATUS_STACK_OVERFLOW;   /* NT grows the stack here; 12 KB does not grow */

    /* The user stack gets the input and the frame the dispatcher reads:
       [esp] = buffer, [esp + 4] = length, [esp + 8] = ApiNumber. */
    UserEsp = UserFrame->HardwareEsp;
    Buffer = (UserEsp - InputLength) & ~3UL;
    if (KiSetFaultRecovery(&Recovery) == 0) {
        PULONG Frame = (PULONG)(Buffer - 3 * sizeof(ULONG));
        ProbeForWrite(Frame, UserEsp - (ULONG_PTR)Frame, sizeof(ULONG));
        memcpy((PVOID)Buffer, InputBuffer, InputLength);
        Frame[0] = Buffer;
        Frame[1] = InputLength;
        Frame[2] = ApiNumber;
        KiClearFaultRecovery(&Recovery);
        Status = STATUS_SUCCESS;
    } else {
        Status = Recovery.ExceptionCode;
    }
    if (!NT_SUCCESS(Status))
        return Status;

    CallbackFrame = *UserFrame;
    CallbackFrame.Eip = KeUserCallbackDispatcher;
    CallbackFrame.HardwareEsp = Buffer - 3 * sizeof(ULONG);
    CallbackFrame.EFlags &= ~EFLAGS_TF;
    CallbackFrame.ErrCode = KI_FRAME_EDITED;
    CallbackFrame.SegDs = CallbackFrame.SegEs = KGDT_R3_DATA | RPL_MASK;
    CallbackFrame.SegFs = KGDT_R3_TEB | RPL_MASK;
    CallbackFrame.SegGs = 0;
    CallbackFrame.PreviousPreviousMode = UserMode;
    CallbackFrame.ExceptionList = (ULONG)(ULONG_PTR)EXCEPTION_CHAIN_END;
    CallbackFrame.TempEsp = (ULONG)(ULONG_PTR)UserFrame;   /* KTHREAD.TrapFrame meanwhile */

    Status = KiCallUserMode(&CallbackFrame, &Callout);
    *OutputBuffer = Callout.OutputBuffer;
    *OutputLength = Callout.OutputLength;
    return Status;
}

/*
 * The end of the innermost callback (NtCallbackReturn, INT 2B, or an exception
 * nobody in user mode handled): restores what KiCallUserModePrepare changed and
 * resumes KeUserModeCallback. Returns only when no callback is active.
 */
NTSTATUS KiCallbackReturnFromUser(PVOID OutputBuffer, ULONG OutputLength, NTSTATUS Status)
{
    PKTHREAD Thread = KeGetCurrentThread();
    PKCALLOUT Callout = Thread->CallbackStack;

    if (Callout == NULL)
        return STATUS_NO_CALLBACK_ACTIVE;
    Callout->OutputBuffer = OutputBuffer;
    Callout->OutputLength = OutputLength;
    _disable();
    Thread->CallbackStack = Callout->Previous;
    Thread->TrapFrame = Callout->TrapFrame;
    Thread->PreviousMode = Callout->PreviousMode;
    KeGetPcr()->NtTib.ExceptionList = (PEXCEPTION_REGISTRATION_RECORD)Callout->ExceptionList;
    KiSetTrapStackTop(Thread, Callout->TrapStackTop);
    KiCallbackUnwind(Callout->SavedEsp, Status);
}

NTSTATUS NtCallbackReturn(PVOID OutputBuffer, ULONG OutputLength, NTSTATUS Status)
{
    return KiCallbackReturnFromUser(OutputBuffer, OutputLength, Status);
}

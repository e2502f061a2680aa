/*
 * context.c - CONTEXT and KTRAP_FRAME, both ways, and NtContinue
 * (NT: KeContextFromKframes, KeContextToKframes, NtContinue).
 *
 * What user mode asks for is sanitised on the way in: a user frame always gets
 * ring-3 selectors, interrupts on, and only the EFLAGS bits user mode may set, so
 * no CONTEXT can make the processor return to ring 0 or with IOPL raised.
 */
#include "../ki.h"
#include <nt/context.h>
#include <kewait.h>
#include <ex.h>
#include <rtl.h>

/* EFLAGS bits a user CONTEXT may change: CF PF AF ZF SF TF DF OF NT RF AC ID (as
   ring 3 itself may; the kernel's entries clear NT for their own use). */
#define KI_USER_EFLAGS_MASK 0x00254DD5

VOID KeTrapFrameToContext(const KTRAP_FRAME *TrapFrame, PCONTEXT Context)
{
    if ((Context->ContextFlags & CONTEXT_CONTROL) == CONTEXT_CONTROL) {
        Context->Ebp = TrapFrame->Ebp;
        Context->Eip = TrapFrame->Eip;
        Context->SegCs = TrapFrame->SegCs & 0xFFFF;
        Context->EFlags = TrapFrame->EFlags;
        Context->Esp = KiTrapFrameEsp(TrapFrame);
        Context->SegSs = KiUserTrap(TrapFrame) ? TrapFrame->HardwareSegSs & 0xFFFF : KGDT_R0_DATA;
    }
    if ((Context->ContextFlags & CONTEXT_INTEGER) == CONTEXT_INTEGER) {
        Context->Edi = TrapFrame->Edi;
        Context->Esi = TrapFrame->Esi;
        Context->Ebx = TrapFrame->Ebx;
        Context->Edx = TrapFrame->Edx;
        Context->Ecx = TrapFrame->Ecx;
        Context->Eax = TrapFrame->Eax;
    }
    if ((Context->ContextFlags & CONTEXT_SEGMENTS) == CONTEXT_SEGMENTS) {
        Context->SegGs = TrapFrame->SegGs & 0xFFFF;
        Context->SegFs = TrapFrame->SegFs & 0xFFFF;
        Context->SegEs = TrapFrame->SegEs & 0xFFFF;
        Context->SegDs = TrapFrame->SegDs & 0xFFFF;
    }
}

/* Into a user-mode frame (the only kind a CONTEXT from user mode may change). */
VOID KeContextToTrapFrame(const CONTEXT *Context, PKTRAP_FRAME TrapFrame)
{
    if ((Context->ContextFlags & CONTEXT_CONTROL) == CONTEXT_CONTROL) {
        TrapFrame->Ebp = Context->Ebp;
        TrapFrame->Eip = Context->Eip;
        TrapFrame->SegCs = KGDT_R3_CODE | RPL_MASK;
        TrapFrame->EFlags = (Context->EFlags & KI_USER_EFLAGS_MASK) | EFLAGS_IF | 0x2;
        TrapFrame->HardwareEsp = Context->Esp;
        TrapFrame->HardwareSegSs = KGDT_R3_DATA | RPL_MASK;
    }
    if ((Context->ContextFlags & CONTEXT_INTEGER) == CONTEXT_INTEGER) {
        TrapFrame->Edi = Context->Edi;
        TrapFrame->Esi = Context->Esi;
        TrapFrame->Ebx = Context->Ebx;
        TrapFrame->Edx = Context->Edx;
        TrapFrame->Ecx = Context->Ecx;
        TrapFrame->Eax = Context->Eax;
    }
    /* Segments are not the caller's to choose: the user ones, always. */
    TrapFrame->SegDs = TrapFrame->SegEs = KGDT_R3_DATA | RPL_MASK;
    TrapFrame->SegFs = KGDT_R3_TEB | RPL_MASK;
    TrapFrame->SegGs = 0;
    TrapFrame->ErrCode = KI_FRAME_EDITED;
}

/*
 * The caller's CONTEXT, copied in (probed when it comes from user mode). What
 * NtContinue and NtRaiseException both start with: neither touches the trap frame
 * before everything it needs from the caller has been captured.
 */
NTSTATUS KiCaptureContext(PCONTEXT Captured, const CONTEXT *ContextRecord)
{
    return ExCaptureUserData(Captured, ContextRecord, sizeof(CONTEXT), sizeof(ULONG),
                             KeGetPreviousMode());
}

/*
 * Resumes the thread with the given CONTEXT: the registers go into this system
 * call's own trap frame, which the exit then restores in full. The "status" it
 * returns is the new EAX, so the exit's store of the status is the context's.
 * (The floating-point parts of a CONTEXT are not applied yet.)
 */
NTSTATUS NtContinue(PCONTEXT ContextRecord, BOOLEAN TestAlert)
{
    PKTRAP_FRAME TrapFrame = KeGetCurrentThread()->TrapFrame;
    CONTEXT Context;
    NTSTATUS Status;

    if (TrapFrame == NULL || !KiUserTrap(TrapFrame))
        return STATUS_INVALID_PARAMETER;     /* nothing to continue into from the kernel */
    Status = KiCaptureContext(&Context, ContextRecord);
    if (!NT_SUCCESS(Status))
        return Status;

    KeContextToTrapFrame(&Context, TrapFrame);
    if (TestAlert)
        KeTestAlertThread(UserMode);
    return (NTSTATUS)TrapFrame->Eax;
}

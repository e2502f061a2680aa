/*
 * excframe.c - the exception frame on the user stack, as bytes (NT: the middle of
 * KiDispatchException, i386). Pure logic, so the host tests can check the layout
 * byte for byte; exceptn.c does the probing and copying.
 */
#include "excframe.h"
#include <rtl.h>

BOOLEAN KiBuildUserExceptionFrame(const CONTEXT *Context, const EXCEPTION_RECORD *Record,
                                  ULONG UserEsp, PKI_USER_EXCEPTION_FRAME Frame)
{
    /* The record is copied only as far as its parameters go (NT does the same),
       so a 0-parameter exception costs 0x3C bytes less stack. */
    ULONG RecordLength, ContextAddress, RecordAddress;
    PULONG Pointers;

    if (Record->NumberParameters > EXCEPTION_MAXIMUM_PARAMETERS)
        return FALSE;
    RecordLength = KI_EXCEPTION_RECORD_HEADER + Record->NumberParameters * sizeof(ULONG);
    Frame->Length = 2 * sizeof(ULONG) + RecordLength + sizeof(CONTEXT);

    /* Whatever the thread did to ESP, the frame is 4-byte aligned below it. */
    UserEsp &= ~(ULONG)(sizeof(ULONG) - 1);
    if (UserEsp < Frame->Length)
        return FALSE;                   /* would wrap around address 0 */
    ContextAddress = UserEsp - sizeof(CONTEXT);
    RecordAddress = ContextAddress - RecordLength;
    Frame->Esp = RecordAddress - 2 * sizeof(ULONG);
    Frame->RecordAddress = RecordAddress;
    Frame->ContextAddress = ContextAddress;

    Pointers = (PULONG)Frame->Image;
    Pointers[0] = RecordAddress;        /* [esp]: ExceptionRecord */
    Pointers[1] = ContextAddress;       /* [esp + 4]: ContextRecord */
    memcpy(Frame->Image + 2 * sizeof(ULONG), Record, RecordLength);
    memcpy(Frame->Image + 2 * sizeof(ULONG) + RecordLength, Context, sizeof(CONTEXT));
    return TRUE;
}

VOID KiSetUserExceptionFrameRegisters(PKTRAP_FRAME TrapFrame, const KI_USER_EXCEPTION_FRAME *Frame,
                                      ULONG Dispatcher)
{
    TrapFrame->Eip = Dispatcher;
    TrapFrame->SegCs = KGDT_R3_CODE | RPL_MASK;
    TrapFrame->HardwareEsp = Frame->Esp;
    TrapFrame->HardwareSegSs = KGDT_R3_DATA | RPL_MASK;
    TrapFrame->SegDs = TrapFrame->SegEs = KGDT_R3_DATA | RPL_MASK;
    TrapFrame->SegFs = KGDT_R3_TEB | RPL_MASK;
    TrapFrame->SegGs = 0;
    TrapFrame->EFlags &= ~EFLAGS_TF;
    /* A system call's exit (NtRaiseException) must restore the whole frame. */
    TrapFrame->ErrCode = KI_FRAME_EDITED;
}

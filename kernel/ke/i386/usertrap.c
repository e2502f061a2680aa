/*
 * usertrap.c - a processor exception in ring 3 becomes an NT exception: the code
 * and parameters NT's trap handlers (KiTrap00..KiTrap13, user-mode half) put in
 * the EXCEPTION_RECORD, then KiDispatchException (exceptn.c) sends it to the
 * thread's handlers.
 *
 * Reported as NT reports them:
 *   #DE   STATUS_INTEGER_DIVIDE_BY_ZERO
 *   #DB   STATUS_SINGLE_STEP, with TF cleared (a handler that continues is not
 *         stepped again unless it sets TF itself, as a debugger does)
 *   #BP   STATUS_BREAKPOINT, [0] = BREAKPOINT_BREAK, at the INT 3 itself (the
 *         trap left EIP after it)
 *   #OF   STATUS_INTEGER_OVERFLOW, at the INTO (EIP - 1)
 *   #BR   STATUS_ARRAY_BOUNDS_EXCEEDED
 *   #UD   STATUS_ILLEGAL_INSTRUCTION
 *   #GP   STATUS_PRIVILEGED_INSTRUCTION for an instruction only ring 0 may run
 *         (privinst.c), otherwise STATUS_ACCESS_VIOLATION, [0] = 0, [1] = -1 (no
 *         address to name: a selector, a limit); #NP and #SS from ring 3 the same
 *   #PF   the memory manager's status (access violation, guard page, in-page
 *         error), [0] = 0 read / 1 write, [1] = the address, [2] = the I/O status
 *         of an in-page error
 *   #MF   x87: STATUS_FLOAT_* of the first unmasked exception in the status word
 *   #AC   STATUS_DATATYPE_MISALIGNMENT
 *   #XM   SSE: STATUS_FLOAT_MULTIPLE_FAULTS (invalid, denormal, divide) or
 *         STATUS_FLOAT_MULTIPLE_TRAPS (overflow, underflow, precision), as NT
 * Not decoded as NT does: a #DE from a quotient too big rather than a zero divisor
 * (NT reads the divide's operand to report STATUS_INTEGER_OVERFLOW) is reported as
 * a divide by zero.
 */
#include "../ki.h"
#include "excframe.h"
#include <ex.h>
#include <mm.h>
#include <rtl.h>

#define KI_TRAP_DIVIDE          0
#define KI_TRAP_DEBUG           1
#define KI_TRAP_BREAKPOINT      3
#define KI_TRAP_OVERFLOW        4
#define KI_TRAP_BOUND           5
#define KI_TRAP_INVALID_OPCODE  6
#define KI_TRAP_NPX_NOT_AVAILABLE 7
#define KI_TRAP_SEGMENT_NOT_PRESENT 11
#define KI_TRAP_STACK_FAULT     12
#define KI_TRAP_GENERAL_PROTECTION 13
#define KI_TRAP_PAGE_FAULT      14
#define KI_TRAP_NPX_ERROR       16
#define KI_TRAP_ALIGNMENT_CHECK 17
#define KI_TRAP_XMM_ERROR       19

#define KI_PF_WRITE             0x2     /* page-fault error code: the access was a write */

/* x87 status and control word bits (the same positions in both), MXCSR's */
#define FSW_INVALID_OPERATION   0x0001
#define FSW_DENORMAL            0x0002
#define FSW_ZERO_DIVIDE         0x0004
#define FSW_OVERFLOW            0x0008
#define FSW_UNDERFLOW           0x0010
#define FSW_PRECISION           0x0020
#define FSW_STACK_FAULT         0x0040
#define FSW_EXCEPTIONS          0x003F
#define MXCSR_FAULTS            (FSW_INVALID_OPERATION | FSW_DENORMAL | FSW_ZERO_DIVIDE)
#define MXCSR_MASK_SHIFT        7

static VOID KipSetRecord(PEXCEPTION_RECORD Record, NTSTATUS Code, ULONG Address, ULONG Count,
                         ULONG Parameter0, ULONG Parameter1, ULONG Parameter2)
{
    memset(Record, 0, sizeof(*Record));
    Record->ExceptionCode = Code;
    Record->ExceptionAddress = (PVOID)(ULONG_PTR)Address;
    Record->NumberParameters = Count;
    Record->ExceptionInformation[0] = Parameter0;
    Record->ExceptionInformation[1] = Parameter1;
    Record->ExceptionInformation[2] = Parameter2;
}

/* Reads the instruction at the user's EIP, as much of it as is readable. */
static ULONG KipReadUserInstruction(ULONG Eip, PUCHAR Buffer, ULONG Size)
{
    KFAULT_RECOVERY Recovery;
    volatile ULONG Count = 0;

    if (KiSetFaultRecovery(&Recovery) == 0) {
        while (Count < Size) {
            ProbeForRead((PCVOID)(ULONG_PTR)(Eip + Count), 1, 1);
            Buffer[Count] = *(volatile UCHAR *)(ULONG_PTR)(Eip + Count);
            Count++;
        }
        KiClearFaultRecovery(&Recovery);
    }
    return Count;
}

/* The x87 exception in the thread's status word. The thread owns the FPU: the
   faulting instruction ran with CR0.TS clear, and interrupts have been off since. */
static NTSTATUS KipNpxExceptionCode(VOID)
{
    USHORT StatusWord, ControlWord, Pending;

    __asm__ volatile ("fnstsw %0" : "=m"(StatusWord));
    __asm__ volatile ("fnstcw %0" : "=m"(ControlWord));
    Pending = StatusWord & ~ControlWord & FSW_EXCEPTIONS;
    if (Pending & FSW_INVALID_OPERATION)
        return (StatusWord & FSW_STACK_FAULT) ? STATUS_FLOAT_STACK_CHECK : STATUS_FLOAT_INVALID_OPERATION;
    if (Pending & FSW_ZERO_DIVIDE)
        return STATUS_FLOAT_DIVIDE_BY_ZERO;
    if (Pending & FSW_DENORMAL)
        return STATUS_FLOAT_DENORMAL_OPERAND;
    if (Pending & FSW_OVERFLOW)
        return STATUS_FLOAT_OVERFLOW;
    if (Pending & FSW_UNDERFLOW)
        return STATUS_FLOAT_UNDERFLOW;
    if (Pending & FSW_PRECISION)
        return STATUS_FLOAT_INEXACT_RESULT;
    return STATUS_FLOAT_INVALID_OPERATION;  /* nothing pending: NT's default too */
}

static NTSTATUS KipXmmExceptionCode(VOID)
{
    ULONG Mxcsr, Pending;

    __asm__ volatile ("stmxcsr %0" : "=m"(Mxcsr));
    Pending = Mxcsr & ~(Mxcsr >> MXCSR_MASK_SHIFT) & FSW_EXCEPTIONS;
    return (Pending & MXCSR_FAULTS) ? STATUS_FLOAT_MULTIPLE_FAULTS : STATUS_FLOAT_MULTIPLE_TRAPS;
}

/*
 * A trap from ring 3 (vector < 32), interrupts off as the gate left them. Returns
 * when the thread can go back to user mode: the fault was resolved (a demand-zero
 * page, the FPU switched to it), or its frame now leads to KiUserExceptionDispatcher.
 */
VOID KiDispatchUserTrap(PKTRAP_FRAME TrapFrame, ULONG Vector)
{
    EXCEPTION_RECORD Record;
    UCHAR Instruction[16];
    ULONG Address, Length;
    NTSTATUS Status;

    switch (Vector) {
    case KI_TRAP_NPX_NOT_AVAILABLE:
        KiNpxNotAvailable();            /* lazy FPU switch: the instruction runs again */
        return;

    case KI_TRAP_PAGE_FAULT:
        Address = __readcr2();
        Status = MmAccessFault((TrapFrame->ErrCode & KI_PF_WRITE) != 0, Address, UserMode);
        if (NT_SUCCESS(Status))
            return;
        /* i386 without PAE has no execute permission: reads and writes only. */
        KipSetRecord(&Record, Status, TrapFrame->Eip, Status == STATUS_IN_PAGE_ERROR ? 3 : 2,
                     (TrapFrame->ErrCode & KI_PF_WRITE) ? EXCEPTION_WRITE_FAULT : EXCEPTION_READ_FAULT,
                     Address, (ULONG)Status);
        break;

    case KI_TRAP_DIVIDE:
        KipSetRecord(&Record, STATUS_INTEGER_DIVIDE_BY_ZERO, TrapFrame->Eip, 0, 0, 0, 0);
        break;
    case KI_TRAP_DEBUG:
        TrapFrame->EFlags &= ~EFLAGS_TF;
        KipSetRecord(&Record, STATUS_SINGLE_STEP, TrapFrame->Eip, 0, 0, 0, 0);
        break;
    case KI_TRAP_BREAKPOINT:
        TrapFrame->Eip--;               /* at the INT 3, for the CONTEXT too */
        KipSetRecord(&Record, STATUS_BREAKPOINT, TrapFrame->Eip, 1, BREAKPOINT_BREAK, 0, 0);
        break;
    case KI_TRAP_OVERFLOW:
        KipSetRecord(&Record, STATUS_INTEGER_OVERFLOW, TrapFrame->Eip - 1, 0, 0, 0, 0);
        break;
    case KI_TRAP_BOUND:
        KipSetRecord(&Record, STATUS_ARRAY_BOUNDS_EXCEEDED, TrapFrame->Eip, 0, 0, 0, 0);
        break;
    case KI_TRAP_INVALID_OPCODE:
        KipSetRecord(&Record, STATUS_ILLEGAL_INSTRUCTION, TrapFrame->Eip, 0, 0, 0, 0);
        break;
    case KI_TRAP_GENERAL_PROTECTION:
        Length = KipReadUserInstruction(TrapFrame->Eip, Instruction, sizeof(Instruction) - 1);
        if (KiIsPrivilegedInstruction(Instruction, Length)) {
            KipSetRecord(&Record, STATUS_PRIVILEGED_INSTRUCTION, TrapFrame->Eip, 0, 0, 0, 0);
            break;
        }
        /* any other #GP is an access violation without an address */
        __attribute__((fallthrough));
    case KI_TRAP_SEGMENT_NOT_PRESENT:
    case KI_TRAP_STACK_FAULT:
        KipSetRecord(&Record, STATUS_ACCESS_VIOLATION, TrapFrame->Eip, 2, EXCEPTION_READ_FAULT,
                     0xFFFFFFFF, 0);
        break;
    case KI_TRAP_NPX_ERROR:
        KipSetRecord(&Record, KipNpxExceptionCode(), TrapFrame->Eip, 0, 0, 0, 0);
        break;
    case KI_TRAP_ALIGNMENT_CHECK:
        KipSetRecord(&Record, STATUS_DATATYPE_MISALIGNMENT, TrapFrame->Eip, 0, 0, 0, 0);
        break;
    case KI_TRAP_XMM_ERROR:
        KipSetRecord(&Record, KipXmmExceptionCode(), TrapFrame->Eip, 0, 0, 0, 0);
        break;
    default:
        /* Not an exception of the code that ran (NMI, machine check, a reserved
           vector): nothing a handler could fix. No first chance; the thread's
           process ends, as the thread did before exceptions were dispatched. */
        KipSetRecord(&Record, STATUS_ILLEGAL_INSTRUCTION, TrapFrame->Eip, 0, 0, 0, 0);
        _enable();
        KiDispatchException(&Record, TrapFrame, FALSE);
        return;
    }

    _enable();
    KiDispatchException(&Record, TrapFrame, TRUE);
}

/*
 * trap.c - what happens after trap.asm has built the KTRAP_FRAME
 * (NT: the C halves of KiTrap00..KiTrap13 and the interrupt dispatch).
 *
 * Hardware interrupts go to the HAL. A processor exception raised in kernel mode
 * has no handler in this kernel yet (kernel fault recovery arrives with the
 * system-call probes), so it ends in the bugcheck NT would show:
 *   - exceptions NT dispatches as exceptions (divide, invalid opcode, #GP, ...)
 *     end in KERNEL_MODE_EXCEPTION_NOT_HANDLED with their NTSTATUS code;
 *   - traps that must never happen in kernel mode (double fault, invalid TSS,
 *     segment not present, stack fault, FPU use, ...) end in
 *     UNEXPECTED_KERNEL_MODE_TRAP with the vector as the first parameter;
 *   - a page fault ends in PAGE_FAULT_IN_NONPAGED_AREA with the address.
 * A trap from ring 3 is the faulting thread's business: usertrap.c turns it into
 * an NT exception for the thread's own handlers (exceptn.c).
 */
#include <ke.h>
#include <hal.h>
#include <kd.h>
#include <mm.h>
#include "../ki.h"

extern VOID KiFastCallEntry(VOID), KiFastCallEntryWithSingleStep(VOID);
extern UCHAR KiSystemServiceCopyArguments[], KiSystemServiceAccessViolation[];

typedef struct _KI_TRAP_INFO {
    PCSTR Name;
    NTSTATUS ExceptionCode;     /* 0: never expected in kernel mode */
} KI_TRAP_INFO;

/* Indexed by vector: the 32 processor exceptions. */
static const KI_TRAP_INFO KiTrapInfo[32] = {
    [0]  = { "divide error",               STATUS_INTEGER_DIVIDE_BY_ZERO },
    [1]  = { "debug",                      STATUS_SINGLE_STEP },
    [2]  = { "non-maskable interrupt",     0 },
    [3]  = { "breakpoint",                 STATUS_BREAKPOINT },
    [4]  = { "overflow",                   STATUS_INTEGER_OVERFLOW },
    [5]  = { "bound range exceeded",       STATUS_ARRAY_BOUNDS_EXCEEDED },
    [6]  = { "invalid opcode",             STATUS_ILLEGAL_INSTRUCTION },
    [7]  = { "coprocessor not available",  0 },
    [8]  = { "double fault",               0 },
    [9]  = { "coprocessor segment overrun", 0 },
    [10] = { "invalid TSS",                0 },
    [11] = { "segment not present",        0 },
    [12] = { "stack fault",                0 },
    [13] = { "general protection",         STATUS_ACCESS_VIOLATION },
    [14] = { "page fault",                 STATUS_ACCESS_VIOLATION },
    [15] = { "reserved",                   0 },
    [16] = { "x87 floating-point error",   0 },
    [17] = { "alignment check",            STATUS_DATATYPE_MISALIGNMENT },
    [18] = { "machine check",              0 },
    [19] = { "SIMD floating-point error",  0 },
};

#define KI_TRAP_NPX_NOT_AVAILABLE 7
#define KI_TRAP_DOUBLE_FAULT 8
#define KI_TRAP_PAGE_FAULT   14
#define KI_PF_WRITE          0x2     /* page-fault error code: the access was a write */

PCSTR KiTrapName(ULONG Vector)
{
    if (Vector < RTL_NUMBER_OF(KiTrapInfo) && KiTrapInfo[Vector].Name)
        return KiTrapInfo[Vector].Name;
    if (Vector < 32)
        return "reserved";
    return "interrupt";
}

static VOID KipDispatchKernelException(PKTRAP_FRAME TrapFrame, ULONG Vector)
{
    NTSTATUS Code = KiTrapInfo[Vector].ExceptionCode;

    if (Vector == KI_TRAP_NPX_NOT_AVAILABLE) {
        KiNpxNotAvailable();            /* lazy FPU switch: the instruction runs again */
        return;
    }

    if (Vector == KI_TRAP_PAGE_FAULT) {
        ULONG Address = __readcr2();
        NTSTATUS Status = MmAccessFault((TrapFrame->ErrCode & KI_PF_WRITE) != 0, Address, KernelMode);

        if (NT_SUCCESS(Status))
            return;                     /* resolved: the instruction runs again */
        /* The system-service dispatcher copying a caller's bad argument list: the
           service ends with STATUS_ACCESS_VIOLATION (NT's KiTrap0E does this). */
        if (TrapFrame->Eip == (ULONG)(ULONG_PTR)KiSystemServiceCopyArguments) {
            TrapFrame->Eip = (ULONG)(ULONG_PTR)KiSystemServiceAccessViolation;
            return;
        }
        /* The kernel touching user memory inside a fault-recovery block (a probe,
           a copy from a user buffer): the block gets the status. Kernel addresses
           are all mapped from boot, so a fault there is a bug, never recovered. */
        if (Address < KSEG0_BASE && KiCurrentFaultRecovery() != NULL)
            KiRaiseToFaultRecovery(Status, Address);
        KiBugCheckWithTrapFrame(PAGE_FAULT_IN_NONPAGED_AREA, Address,
                                (TrapFrame->ErrCode & KI_PF_WRITE) ? 1 : 0,
                                TrapFrame->Eip, 0, TrapFrame, Vector);
    }
    if (Code == 0)
        KiBugCheckWithTrapFrame(UNEXPECTED_KERNEL_MODE_TRAP, Vector, 0, 0, 0, TrapFrame, Vector);
    KiBugCheckWithTrapFrame(KERNEL_MODE_EXCEPTION_NOT_HANDLED, (ULONG)Code, TrapFrame->Eip,
                            (ULONG_PTR)TrapFrame, 0, TrapFrame, Vector);
}


#define KI_TRAP_DEBUG 1

/* usertrap.c: a trap from ring 3 becomes an exception for the thread's handlers. */
VOID KiDispatchUserTrap(PKTRAP_FRAME TrapFrame, ULONG Vector);

VOID KiDispatchTrap(PKTRAP_FRAME TrapFrame, ULONG Vector)
{
    if (Vector >= PRIMARY_VECTOR_BASE && Vector < PRIMARY_VECTOR_BASE + HAL_IRQ_COUNT) {
        /* An interrupt handler must not land in the fault-recovery block of the
           code it interrupted: it starts with an empty chain (KiTrapExit restores
           the interrupted one from the frame). */
        KeGetPcr()->NtTib.ExceptionList = EXCEPTION_CHAIN_END;
        HalpDispatchInterrupt(TrapFrame, Vector - PRIMARY_VECTOR_BASE);
        return;
    }
    if (Vector < RTL_NUMBER_OF(KiTrapInfo) && KiUserTrap(TrapFrame)) {
        KiDispatchUserTrap(TrapFrame, Vector);
        return;
    }
    /* SYSENTER with EFLAGS.TF: the single step lands on KiFastCallEntry's first
       instruction, in kernel mode. Carry on there without TF, and keep TF for the
       user (NT's KiTrap01 does the same). */
    if (Vector == KI_TRAP_DEBUG && TrapFrame->Eip == (ULONG)(ULONG_PTR)KiFastCallEntry) {
        TrapFrame->Eip = (ULONG)(ULONG_PTR)KiFastCallEntryWithSingleStep;
        TrapFrame->EFlags &= ~EFLAGS_TF;
        return;
    }
    if (Vector < RTL_NUMBER_OF(KiTrapInfo)) {
        KipDispatchKernelException(TrapFrame, Vector);
        return;                         /* a resolved page fault */
    }

    /* Vectors nothing is connected to: only kernel code can raise them (INT n from
       ring 3 to a DPL 0 gate is a #GP), so this is a kernel bug. */
    KiBugCheckWithTrapFrame(TRAP_CAUSE_UNKNOWN, Vector, TrapFrame->Eip, 0, 0, TrapFrame, Vector);
}

/*
 * Entered through the double-fault task gate, on KiDoubleFaultTss's own stack.
 * The processor saved the interrupted state in the main TSS; shape it as a trap
 * frame so the bugcheck screen can show registers and walk the stack.
 */
__attribute__((noreturn))
VOID KiDoubleFaultHandler(VOID)
{
    const KTSS *Tss = KiGetInterruptedTaskState();
    KTRAP_FRAME Frame = { 0 };

    Frame.Eip = Tss->Eip;
    Frame.SegCs = Tss->Cs;
    Frame.EFlags = Tss->EFlags;
    Frame.Eax = Tss->Eax;
    Frame.Ebx = Tss->Ebx;
    Frame.Ecx = Tss->Ecx;
    Frame.Edx = Tss->Edx;
    Frame.Esi = Tss->Esi;
    Frame.Edi = Tss->Edi;
    Frame.Ebp = Tss->Ebp;
    Frame.HardwareEsp = Tss->Esp;
    Frame.HardwareSegSs = Tss->Ss;
    Frame.SegDs = Tss->Ds;
    Frame.SegEs = Tss->Es;
    Frame.SegFs = Tss->Fs;
    Frame.SegGs = Tss->Gs;
    Frame.DbgEbp = Tss->Ebp;
    Frame.DbgEip = Tss->Eip;
    if (MmIsKernelStackGuardPage(__readcr2() & ~(PAGE_SIZE - 1)))
        KdpSerialWriteString("*** kernel stack overflow: the fault hit a stack's guard page\n");
    /* A same-ring frame has no ESP of its own: pass the one the TSS saved. */
    KiBugCheckWithRegisters(UNEXPECTED_KERNEL_MODE_TRAP, KI_TRAP_DOUBLE_FAULT, (ULONG_PTR)Tss,
                            Tss->Esp, 0, &Frame, KI_TRAP_DOUBLE_FAULT, Tss->Esp);
}

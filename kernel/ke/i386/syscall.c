/*
 * syscall.c - the C half of the system-service path (syscall.asm): setting up the
 * two doors at boot, the checks and user-APC delivery on the way out, and the
 * frame that runs a user APC (NT: KiInitializeUserApc).
 */
#include "../ki.h"
#include <kewait.h>
#include <nt/context.h>
#include <nt/kuser.h>
#include <arc.h>
#include <ex.h>
#include <kd.h>
#include <rtl.h>

#define KI_VECTOR_CALLBACK_RETURN 0x2B
#define KI_VECTOR_SYSTEM_SERVICE  0x2E
#define MSR_SYSENTER_CS           0x174
#define MSR_SYSENTER_ESP          0x175
#define MSR_SYSENTER_EIP          0x176

extern VOID KiSystemService(VOID), KiCallbackReturn(VOID), KiFastCallEntry(VOID);
extern ULONG_PTR KeUserApcDispatcher;

/* Read by the exit path in syscall.asm, which may use SYSEXIT only when it is set. */
BOOLEAN KiFastSystemCallEnabled;

/* SYSENTER when the processor has it and /NOSYSENTER does not forbid it. */
BOOLEAN KeFastSystemCallEnabled(VOID)
{
    return KiFastSystemCallEnabled;
}

VOID KiInitializeSystemCalls(VOID)
{
    PKPCR Pcr = KeGetPcr();

    KeSetIdtGate(KI_VECTOR_SYSTEM_SERVICE, (PVOID)KiSystemService, TRUE);
    KeSetIdtGate(KI_VECTOR_CALLBACK_RETURN, (PVOID)KiCallbackReturn, TRUE);
    KiFastSystemCallEnabled = (Pcr->PrcbData.FeatureBits & KF_FAST_SYSCALL) &&
                              !KeBootOptionPresent("NOSYSENTER");
    if (!KiFastSystemCallEnabled) {
        /* Without SEP (or refused), SYSENTER must not be usable at all. */
        Pcr->PrcbData.FeatureBits &= ~KF_FAST_SYSCALL;
        return;
    }
    __wrmsr(MSR_SYSENTER_CS, KGDT_R0_CODE);
    __wrmsr(MSR_SYSENTER_ESP, Pcr->TSS->Esp0);
    __wrmsr(MSR_SYSENTER_EIP, (ULONG)(ULONG_PTR)KiFastCallEntry);
}

/* A user APC is pending on the way back to user mode: deliver it at APC_LEVEL. */
VOID KiServiceExitDeliverApc(PKTRAP_FRAME TrapFrame)
{
    KIRQL OldIrql = KfRaiseIrql(APC_LEVEL);

    _enable();
    KiDeliverApc(UserMode, NULL, TrapFrame);
    _disable();
    KfLowerIrql(OldIrql);
}

/* A service came back at a raised IRQL or inside a critical region: NT's
   bugchecks, naming the service so the culprit is plain. */
VOID KiServiceExitCheckFailed(PKTRAP_FRAME TrapFrame)
{
    ULONG Number = TrapFrame->DbgArgMark;
    PKTHREAD Thread = KeGetCurrentThread();
    PCSTR Name = (Number >> SERVICE_TABLE_SHIFT) == 0 &&
                 (Number & SERVICE_NUMBER_MASK) < KeServiceDescriptorTable[0].Limit ?
                 KiServiceNames[Number & SERVICE_NUMBER_MASK] : "(service)";

    DbgPrint("*** %s returned at IRQL %u with KernelApcDisable %lu\n", Name,
             (unsigned)KeGetCurrentIrql(), Thread->KernelApcDisable);
    if (KeGetCurrentIrql() != PASSIVE_LEVEL)
        KeBugCheckEx(IRQL_GT_ZERO_AT_SYSTEM_SERVICE, Number, KeGetCurrentIrql(), 0,
                     (ULONG_PTR)TrapFrame);
    KeBugCheckEx(APC_INDEX_MISMATCH, Number, Thread->ApcStateIndex, Thread->KernelApcDisable, 0);
}

/*
 * Sets the thread up to run a user APC when it returns to user mode: the CONTEXT
 * it would have returned with, and the routine with its three arguments, go on
 * the user stack, and the frame now returns to ntdll's KiUserApcDispatcher, which
 * calls NormalRoutine(NormalContext, SystemArgument1, SystemArgument2) and then
 * NtContinue(Context, TRUE). NT's layout: [esp] routine, [esp+4..+12] arguments,
 * [esp+16] CONTEXT.
 */
VOID KiInitializeUserApc(PVOID ExceptionFrame, PKTRAP_FRAME TrapFrame,
                         PKNORMAL_ROUTINE NormalRoutine, PVOID NormalContext,
                         PVOID SystemArgument1, PVOID SystemArgument2)
{
    KFAULT_RECOVERY Recovery;
    CONTEXT Context;
    ULONG_PTR NewEsp;
    PULONG Frame;

    UNREFERENCED_PARAMETER(ExceptionFrame);
    memset(&Context, 0, sizeof(Context));
    Context.ContextFlags = CONTEXT_FULL;
    KeTrapFrameToContext(TrapFrame, &Context);
    NewEsp = (TrapFrame->HardwareEsp - sizeof(CONTEXT) - 4 * sizeof(ULONG)) & ~3UL;

    if (KiSetFaultRecovery(&Recovery) == 0) {
        ProbeForWrite((PVOID)NewEsp, sizeof(CONTEXT) + 4 * sizeof(ULONG), sizeof(ULONG));
        Frame = (PULONG)NewEsp;
        Frame[0] = (ULONG)(ULONG_PTR)NormalRoutine;
        Frame[1] = (ULONG)(ULONG_PTR)NormalContext;
        Frame[2] = (ULONG)(ULONG_PTR)SystemArgument1;
        Frame[3] = (ULONG)(ULONG_PTR)SystemArgument2;
        memcpy(&Frame[4], &Context, sizeof(Context));
        KiClearFaultRecovery(&Recovery);
    } else {
        /* The user stack cannot take the frame: the thread cannot go on in user
           mode. NT raises the fault in user mode, where the same stack cannot take
           the exception's frame either, so the process ends with the fault's code;
           here that end comes at once. Not KeTerminateThread alone: that would skip
           the executive's end of the thread (PspExitThread), and a process whose
           thread left uncounted never ends. */
        DbgPrint("*** user APC: the user stack at %08lX is unusable (0x%08lX); ending the process\n",
                 (ULONG)NewEsp, (ULONG)Recovery.ExceptionCode);
        KfLowerIrql(PASSIVE_LEVEL);
        _enable();
        KiEndUserProcess(Recovery.ExceptionCode);
    }
    TrapFrame->HardwareEsp = NewEsp;
    TrapFrame->Eip = KeUserApcDispatcher;
    TrapFrame->EFlags &= ~EFLAGS_TF;
    TrapFrame->ErrCode = KI_FRAME_EDITED;
}

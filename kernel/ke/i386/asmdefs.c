/*
 * asmdefs.c - the one place the assembly learns structure offsets and constants.
 *
 * This file is compiled to assembly text only (gcc -S), never linked. Each DEFINE
 * leaves a marker line "->NAME VALUE" in the output, which the build turns into
 * "%define NAME VALUE" in build/asmdefs.inc. So an offset the NASM code uses is
 * always the C compiler's own idea of it, and ketypes.h pins it to NT's layout.
 */
#include <nt/ntdef.h>
#include <i386/ketypes.h>
#include <mmlayout.h>
#include <multiboot.h>
#include <kobjects.h>
#include <ke.h>

#define DEFINE(Name, Value) \
    __asm__ volatile("\n->" #Name " %c0" : : "i"((ULONG)(Value)))
#define OFFSET(Name, Type, Field) DEFINE(Name, offsetof(Type, Field))

void KiAsmDefinitions(void);

void KiAsmDefinitions(void)
{
    /* Selectors */
    DEFINE(KGDT_R0_CODE, KGDT_R0_CODE);
    DEFINE(KGDT_R0_DATA, KGDT_R0_DATA);
    DEFINE(KGDT_R3_CODE, KGDT_R3_CODE);
    DEFINE(KGDT_R3_DATA, KGDT_R3_DATA);
    DEFINE(KGDT_TSS, KGDT_TSS);
    DEFINE(KGDT_R0_PCR, KGDT_R0_PCR);
    DEFINE(KGDT_R3_TEB, KGDT_R3_TEB);
    DEFINE(KGDT_DF_TSS, KGDT_DF_TSS);
    DEFINE(RPL_MASK, RPL_MASK);
    DEFINE(MODE_MASK, MODE_MASK);

    /* Control register and flag bits */
    DEFINE(CR0_PG, CR0_PG);
    DEFINE(CR0_WP, CR0_WP);
    DEFINE(EFLAGS_IF, EFLAGS_IF);
    DEFINE(EFLAGS_TF, EFLAGS_TF);

    /* Address space */
    DEFINE(KSEG0_BASE, KSEG0_BASE);
    DEFINE(BOOT_PAGE_TABLES, BOOT_PAGE_TABLES);
    DEFINE(PDE_SELFMAP_INDEX, PDE_SELFMAP_INDEX);
    DEFINE(PTE_PRESENT, PTE_PRESENT);
    DEFINE(PTE_WRITE, PTE_WRITE);
    DEFINE(KERNEL_STACK_SIZE, KERNEL_STACK_SIZE);
    DEFINE(MULTIBOOT_HEADER_MAGIC, MULTIBOOT_HEADER_MAGIC);

    /* KTRAP_FRAME */
    DEFINE(KTRAP_FRAME_LENGTH, sizeof(KTRAP_FRAME));
    OFFSET(TrDbgEbp, KTRAP_FRAME, DbgEbp);
    OFFSET(TrDbgEip, KTRAP_FRAME, DbgEip);
    OFFSET(TrSegGs, KTRAP_FRAME, SegGs);
    OFFSET(TrSegEs, KTRAP_FRAME, SegEs);
    OFFSET(TrSegDs, KTRAP_FRAME, SegDs);
    OFFSET(TrEdx, KTRAP_FRAME, Edx);
    OFFSET(TrEcx, KTRAP_FRAME, Ecx);
    OFFSET(TrEax, KTRAP_FRAME, Eax);
    OFFSET(TrPreviousPreviousMode, KTRAP_FRAME, PreviousPreviousMode);
    OFFSET(TrExceptionList, KTRAP_FRAME, ExceptionList);
    OFFSET(TrSegFs, KTRAP_FRAME, SegFs);
    OFFSET(TrEdi, KTRAP_FRAME, Edi);
    OFFSET(TrEsi, KTRAP_FRAME, Esi);
    OFFSET(TrEbx, KTRAP_FRAME, Ebx);
    OFFSET(TrEbp, KTRAP_FRAME, Ebp);
    OFFSET(TrErrCode, KTRAP_FRAME, ErrCode);
    OFFSET(TrEip, KTRAP_FRAME, Eip);
    OFFSET(TrSegCs, KTRAP_FRAME, SegCs);
    OFFSET(TrEFlags, KTRAP_FRAME, EFlags);
    OFFSET(TrHardwareEsp, KTRAP_FRAME, HardwareEsp);
    OFFSET(TrHardwareSegSs, KTRAP_FRAME, HardwareSegSs);
    /* the part of the frame below the general registers: Dbg*, Temp*, Dr* */
    DEFINE(TrDebugAreaLength, offsetof(KTRAP_FRAME, SegGs));

    /* KPCR */
    OFFSET(PcExceptionList, KPCR, NtTib.ExceptionList);
    OFFSET(PcSelfPcr, KPCR, SelfPcr);
    OFFSET(PcPrcb, KPCR, Prcb);
    OFFSET(PcIrql, KPCR, Irql);
    OFFSET(PcTss, KPCR, TSS);
    DEFINE(PcCurrentThread, offsetof(KPCR, PrcbData) + offsetof(KPRCB, CurrentThread));

    /* KFAULT_RECOVERY */
    OFFSET(FrNext, KFAULT_RECOVERY, Next);
    OFFSET(FrHandler, KFAULT_RECOVERY, Handler);
    OFFSET(FrEbx, KFAULT_RECOVERY, Ebx);
    OFFSET(FrEsi, KFAULT_RECOVERY, Esi);
    OFFSET(FrEdi, KFAULT_RECOVERY, Edi);
    OFFSET(FrEbp, KFAULT_RECOVERY, Ebp);
    OFFSET(FrEsp, KFAULT_RECOVERY, Esp);
    OFFSET(FrEip, KFAULT_RECOVERY, Eip);
    OFFSET(FrEFlags, KFAULT_RECOVERY, EFlags);

    /* KTHREAD */
    OFFSET(ThCallbackStack, KTHREAD, CallbackStack);
    OFFSET(ThServiceTable, KTHREAD, ServiceTable);
    OFFSET(ThKernelApcDisable, KTHREAD, KernelApcDisable);
    DEFINE(ThUserApcPending, offsetof(KTHREAD, ApcState) + offsetof(KAPC_STATE, UserApcPending));
    OFFSET(ThTrapStackTop, KTHREAD, TrapStackTop);
    OFFSET(ThInitialStack, KTHREAD, InitialStack);
    OFFSET(ThKernelStack, KTHREAD, KernelStack);
    OFFSET(ThTrapFrame, KTHREAD, TrapFrame);
    OFFSET(ThPreviousMode, KTHREAD, PreviousMode);

    /* KSERVICE_TABLE_DESCRIPTOR */
    OFFSET(SdBase, KSERVICE_TABLE_DESCRIPTOR, Base);
    OFFSET(SdLimit, KSERVICE_TABLE_DESCRIPTOR, Limit);
    OFFSET(SdNumber, KSERVICE_TABLE_DESCRIPTOR, Number);
    DEFINE(SERVICE_NUMBER_MASK, SERVICE_NUMBER_MASK);
    DEFINE(SERVICE_TABLE_SHIFT, SERVICE_TABLE_SHIFT);
    DEFINE(SERVICE_TABLE_MASK, SERVICE_TABLE_MASK);
    DEFINE(MM_USER_PROBE_ADDRESS, MM_USER_PROBE_ADDRESS);
    DEFINE(KI_USER_SHARED_DATA, KI_USER_SHARED_DATA);
    DEFINE(UsSystemCallReturn, 0x304);  /* KUSER_SHARED_DATA.SystemCallReturn (kuser.h pins it) */
    DEFINE(STATUS_INVALID_SYSTEM_SERVICE, STATUS_INVALID_SYSTEM_SERVICE);
    DEFINE(STATUS_ACCESS_VIOLATION, STATUS_ACCESS_VIOLATION);
    DEFINE(STATUS_NO_CALLBACK_ACTIVE, STATUS_NO_CALLBACK_ACTIVE);
    DEFINE(EXCEPTION_CHAIN_END, (ULONG_PTR)EXCEPTION_CHAIN_END);
    DEFINE(KTRAP_FRAME_V86_EXTRA, KTRAP_FRAME_V86_EXTRA);
    DEFINE(PASSIVE_LEVEL, PASSIVE_LEVEL);
    DEFINE(KI_FRAME_EDITED, KI_FRAME_EDITED);
    /* where the entry keeps the previous KTHREAD.TrapFrame (NT uses the Edx slot) */
    OFFSET(TrSavedTrapFrame, KTRAP_FRAME, TempEsp);
    OFFSET(TrServiceNumber, KTRAP_FRAME, DbgArgMark);
    OFFSET(TrDbgArgPointer, KTRAP_FRAME, DbgArgPointer);

    /* KTSS */
    OFFSET(TssEsp0, KTSS, Esp0);
}

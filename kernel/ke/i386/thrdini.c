/*
 * thrdini.c - the i386 side of threads (NT: KiInitializeContextThread and the
 * per-thread part of SwapContext).
 *
 * A new thread's kernel stack is built so that the first KiSwapContext to it
 * "returns" into KiThreadStartupStub, exactly as a switch back to a thread that
 * ran before returns into the KiSwapContext call it made.
 */
#include "../ki.h"
#include <mm.h>
#include <rtl.h>

#define MSR_SYSENTER_ESP 0x175
#define CR4_OSFXSR       0x00000200
#define CR4_OSXMMEXCPT   0x00000400
#define X87_DEFAULT_CONTROL 0x037F   /* all exceptions masked, 64-bit precision */
#define SSE_DEFAULT_MXCSR   0x1F80   /* all exceptions masked */

extern VOID KiThreadStartupStub(VOID);
VOID KiSetTebDescriptorBase(ULONG Base);

/* The frame KiSwapContext pops, from KTHREAD.KernelStack upwards. */
typedef struct _KSWITCH_FRAME {
    PVOID ExceptionList;
    ULONG EFlags;
    ULONG Edi, Esi, Ebx, Ebp;
    PVOID ReturnAddress;
} KSWITCH_FRAME;

VOID KiInitializeContextThread(PKTHREAD Thread)
{
    PFX_SAVE_AREA Npx = KiThreadNpxArea(Thread);
    KSWITCH_FRAME *Frame;

    /* The FPU/SSE state a thread starts with, as NT's: everything masked, every
       x87 register empty. The image is FXSAVE's, or FNSAVE's on an older CPU. */
    memset(Npx, 0, sizeof(*Npx));
    *(PUSHORT)&Npx->Image[0] = X87_DEFAULT_CONTROL;     /* FCW, in both formats */
    if (KeGetCurrentPrcb()->FeatureBits & KF_FXSR)
        *(PULONG)&Npx->Image[24] = SSE_DEFAULT_MXCSR;   /* FXSAVE: MXCSR */
    else
        *(PUSHORT)&Npx->Image[8] = 0xFFFF;              /* FNSAVE: tag word, all empty */
    Thread->NpxState = NPX_STATE_NOT_LOADED;

    /* Below the space of the KTRAP_FRAME an entry from user mode will build, as NT
       lays a new thread's stack out: the start-up code's own frames must never
       lie where the thread's first user-mode frame goes. */
    Frame = (KSWITCH_FRAME *)((PUCHAR)Thread->InitialStack - sizeof(KTRAP_FRAME) -
                              sizeof(KSWITCH_FRAME));
    memset(Frame, 0, sizeof(*Frame));
    Frame->ExceptionList = EXCEPTION_CHAIN_END;
    Frame->EFlags = 0x2;                /* interrupts off: KiThreadStartup turns them on */
    Frame->ReturnAddress = (PVOID)KiThreadStartupStub;
    Thread->KernelStack = Frame;
}

/*
 * Everything that must follow the thread onto the processor, done just before the
 * stacks are swapped (interrupts off).
 */
VOID KiPrepareSwitch(PKTHREAD Old, PKTHREAD New)
{
    PKPCR Pcr = KeGetPcr();
    ULONG Esp0 = (ULONG)(ULONG_PTR)New->TrapStackTop - KTRAP_FRAME_V86_EXTRA;

    Pcr->PrcbData.CurrentThread = New;
    /* A trap from user mode builds its KTRAP_FRAME just below InitialStack. */
    Pcr->TSS->Esp0 = Esp0;
    if (Pcr->PrcbData.FeatureBits & KF_FAST_SYSCALL)
        __wrmsr(MSR_SYSENTER_ESP, Esp0);
    Pcr->NtTib.StackBase = New->InitialStack;
    Pcr->NtTib.StackLimit = New->StackLimit;
    if (New->Teb != NULL && New->Teb != Old->Teb)
        KiSetTebDescriptorBase((ULONG)(ULONG_PTR)New->Teb);
    if (New->AddressSpace != Old->AddressSpace)
        MmSwitchAddressSpace(New->AddressSpace);
    /* Lazy FPU: only the owner of the registers may use them without a trap. */
    if (Pcr->PrcbData.NpxThread == New)
        __asm__ volatile("clts");
    else
        __asm__ volatile("movl %%cr0, %%eax; orl %0, %%eax; movl %%eax, %%cr0"
                         : : "i"(CR0_TS) : "eax");
}

/* Boot: FXSAVE/FXRSTOR and SSE for threads, the FPU reporting errors natively. */
VOID KiInitializeNpx(VOID)
{
    ULONG Cr0 = __readcr0();

    Cr0 = (Cr0 & ~CR0_EM) | CR0_MP | CR0_NE | CR0_TS;
    __asm__ volatile("movl %0, %%cr0" : : "r"(Cr0));
    if (KeGetCurrentPrcb()->FeatureBits & KF_FXSR)
        __asm__ volatile("movl %%cr4, %%eax; orl %0, %%eax; movl %%eax, %%cr4"
                         : : "i"(CR4_OSFXSR | CR4_OSXMMEXCPT) : "eax");
}

/*
 * #NM, device not available (NT: KiTrap07): a thread touched the FPU while CR0.TS
 * said the registers are someone else's. Save the owner's registers in its area,
 * load the current thread's, and let the instruction run again.
 */
VOID KiNpxNotAvailable(VOID)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    PKTHREAD Current = Prcb->CurrentThread, Owner = Prcb->NpxThread;
    BOOLEAN Fxsr = (Prcb->FeatureBits & KF_FXSR) != 0;

    __asm__ volatile("clts");
    if (Owner == Current)
        return;
    if (Owner != NULL) {
        if (Fxsr)
            __asm__ volatile("fxsave %0" : "=m"(*KiThreadNpxArea(Owner)));
        else
            __asm__ volatile("fnsave %0" : "=m"(*KiThreadNpxArea(Owner)));
        Owner->NpxState = NPX_STATE_NOT_LOADED;
    }
    if (Fxsr)
        __asm__ volatile("fxrstor %0" : : "m"(*KiThreadNpxArea(Current)));
    else
        __asm__ volatile("frstor %0" : : "m"(*KiThreadNpxArea(Current)));
    Current->NpxState = NPX_STATE_LOADED;
    Prcb->NpxThread = Current;
}

/*
 * Moves where entries from user mode build their trap frame (KeUserModeCallback
 * lowers it under its own frames, NtCallbackReturn puts it back). Interrupts off.
 */
VOID KiSetTrapStackTop(PKTHREAD Thread, PVOID Top)
{
    ULONG Esp0 = (ULONG)(ULONG_PTR)Top - KTRAP_FRAME_V86_EXTRA;
    PKPCR Pcr = KeGetPcr();

    Thread->TrapStackTop = Top;
    if (Thread == Pcr->PrcbData.CurrentThread) {
        Pcr->TSS->Esp0 = Esp0;
        if (Pcr->PrcbData.FeatureBits & KF_FAST_SYSCALL)
            __wrmsr(MSR_SYSENTER_ESP, Esp0);
    }
}

/*
 * ke.h - what the kernel core (ke/) offers the rest of the executive.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/bugcodes.h>
#include <i386/ketypes.h>

/* ---- processor access ---- */

static inline void _disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void _enable(void)  { __asm__ volatile("sti" ::: "memory"); }

static inline ULONG __readeflags(void)
{
    ULONG Flags;
    __asm__ volatile("pushfl; popl %0" : "=r"(Flags) : : "memory");
    return Flags;
}

static inline void __writeeflags(ULONG Flags)
{
    __asm__ volatile("pushl %0; popfl" : : "r"(Flags) : "memory", "cc");
}

/* Disables interrupts and returns whether they were enabled (for KiRestoreInterrupts). */
static inline BOOLEAN KiDisableInterrupts(void)
{
    BOOLEAN Enabled = (__readeflags() & EFLAGS_IF) != 0;
    _disable();
    return Enabled;
}

static inline void KiRestoreInterrupts(BOOLEAN Enabled)
{
    if (Enabled)
        _enable();
}

static inline ULONGLONG __rdtsc(void)
{
    ULONG Low, High;
    __asm__ volatile("rdtsc" : "=a"(Low), "=d"(High));
    return ((ULONGLONG)High << 32) | Low;
}

static inline void __cpuid(ULONG Info[4], ULONG Leaf)
{
    __asm__ volatile("cpuid" : "=a"(Info[0]), "=b"(Info[1]), "=c"(Info[2]), "=d"(Info[3])
                     : "a"(Leaf), "c"(0));
}

static inline ULONG __readcr0(void) { ULONG V; __asm__ volatile("mov %%cr0, %0" : "=r"(V)); return V; }
static inline ULONG __readcr2(void) { ULONG V; __asm__ volatile("mov %%cr2, %0" : "=r"(V)); return V; }
static inline ULONG __readcr3(void) { ULONG V; __asm__ volatile("mov %%cr3, %0" : "=r"(V)); return V; }
static inline ULONG __readcr4(void) { ULONG V; __asm__ volatile("mov %%cr4, %0" : "=r"(V)); return V; }

static inline void __halt(void) { __asm__ volatile("hlt" ::: "memory"); }

static inline void __wrmsr(ULONG Msr, ULONGLONG Value)
{
    __asm__ volatile("wrmsr" : : "c"(Msr), "a"((ULONG)Value), "d"((ULONG)(Value >> 32)));
}

static inline ULONGLONG __rdmsr(ULONG Msr)
{
    ULONG Low, High;
    __asm__ volatile("rdmsr" : "=a"(Low), "=d"(High) : "c"(Msr));
    return ((ULONGLONG)High << 32) | Low;
}

/* ---- the processor control region ---- */

/* KPCR.SelfPcr through fs, the way NT's KeGetPcr reads it. */
static inline PKPCR KeGetPcr(void)
{
    PKPCR Pcr;
    __asm__ volatile("movl %%fs:%c1, %0" : "=r"(Pcr) : "i"(offsetof(KPCR, SelfPcr)));
    return Pcr;
}

static inline PKPRCB KeGetCurrentPrcb(void)
{
    PKPRCB Prcb;
    __asm__ volatile("movl %%fs:%c1, %0" : "=r"(Prcb) : "i"(offsetof(KPCR, Prcb)));
    return Prcb;
}

/* KPRCB.FeatureBits: what the processor offers (NT's KF_* names). */
#define KF_V86_VIS      0x00000001
#define KF_RDTSC        0x00000002
#define KF_CR4          0x00000004
#define KF_CMOV         0x00000008
#define KF_GLOBAL_PAGE  0x00000010
#define KF_LARGE_PAGE   0x00000020
#define KF_MTRR         0x00000040
#define KF_CMPXCHG8B    0x00000080
#define KF_MMX          0x00000100
#define KF_WORKING_PTE  0x00000200
#define KF_PAT          0x00000400
#define KF_FXSR         0x00000800
#define KF_FAST_SYSCALL 0x00001000
#define KF_XMMI         0x00002000
#define KF_3DNOW        0x00004000
#define KF_AMDK6MTRR    0x00008000
#define KF_XMMI64       0x00010000
#define KF_DTS          0x00020000
#define KF_NX_BIT       0x20000000
#define KF_NX_DISABLED  0x40000000
#define KF_NX_ENABLED   0x80000000

/* ---- IRQL (NT's i386 levels) ---- */

#define PASSIVE_LEVEL   0
#define LOW_LEVEL       0
#define APC_LEVEL       1
#define DISPATCH_LEVEL  2
#define PROFILE_LEVEL   27
#define CLOCK1_LEVEL    28
#define CLOCK2_LEVEL    28
#define IPI_LEVEL       29
#define POWER_LEVEL     30
#define HIGH_LEVEL      31

/* KPCR.Irql through fs, as NT's KeGetCurrentIrql reads it. */
static inline KIRQL KeGetCurrentIrql(void)
{
    KIRQL Irql;
    __asm__ volatile("movb %%fs:%c1, %0" : "=q"(Irql) : "i"(offsetof(KPCR, Irql)));
    return Irql;
}

/* ---- threads, processes, IRQL, DPCs (ke/thrdobj.c, thrdschd.c, irql.c, dpc.c) ---- */

#include <kobjects.h>

/* fs:[124h]: the running thread (KPCR.PrcbData.CurrentThread). */
static inline PKTHREAD KeGetCurrentThread(void)
{
    PKTHREAD Thread;
    __asm__ volatile("movl %%fs:%c1, %0" : "=r"(Thread)
                     : "i"(offsetof(KPCR, PrcbData) + offsetof(KPRCB, CurrentThread)));
    return Thread;
}

#define KeGetCurrentProcess() (KeGetCurrentThread()->ApcState.Process)
#define KeGetPreviousMode()   (KeGetCurrentThread()->PreviousMode)

KIRQL KfRaiseIrql(KIRQL NewIrql);
VOID KfLowerIrql(KIRQL NewIrql);
KIRQL KeRaiseIrqlToDpcLevel(VOID);
#define KeRaiseIrql(NewIrql, OldIrql) (*(OldIrql) = KfRaiseIrql(NewIrql))
#define KeLowerIrql(NewIrql)          KfLowerIrql(NewIrql)

VOID KeInitializeDpc(PKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext);
BOOLEAN KeInsertQueueDpc(PKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2);
BOOLEAN KeRemoveQueueDpc(PKDPC Dpc);

/* What a system thread runs (NT: PKSTART_ROUTINE). */
typedef VOID (*PKSTART_ROUTINE)(PVOID StartContext);

VOID KeInitializeProcess(PKPROCESS Process, KPRIORITY BasePriority,
                         struct _MM_ADDRESS_SPACE *AddressSpace);
/*
 * Prepares Thread to run StartRoutine(StartContext) in kernel mode in Process:
 * a kernel stack (with its guard page) and the frame of its first switch.
 * STATUS_INSUFFICIENT_RESOURCES when no stack can be had. KeStartThread then
 * links it into the process and makes it ready (NT: KeInitThread, KeStartThread).
 */
NTSTATUS KeInitThread(PKTHREAD Thread, PKPROCESS Process, PKSTART_ROUTINE StartRoutine,
                      PVOID StartContext, KPRIORITY Priority);
VOID KeStartThread(PKTHREAD Thread);
/* Ends the current thread: its object becomes signalled; its stack is freed. */
__attribute__((noreturn)) VOID KeTerminateThread(VOID);
/* After a thread has ended, the stack it ran on is freed by the next thread; its
   KTHREAD belongs to whoever created it, who may free it once it is signalled. */

KPRIORITY KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority);
KPRIORITY KeQueryPriorityThread(PKTHREAD Thread);
/* Gives up the rest of the quantum to a ready thread of the same priority (NtYieldExecution). */
NTSTATUS KeYieldExecution(VOID);

/* Phase 0: SystemProcess (the System EPROCESS's Pcb) becomes the kernel threads' process. */
VOID KeInitSystem(struct _MM_ADDRESS_SPACE *SystemSpace, PKPROCESS SystemProcess);
PKPROCESS KeGetSystemProcess(VOID);

/*
 * Thread lifetime for the process manager: KeThreadReapedRoutine (optional) is
 * called, interrupts off, for each ended thread once its kernel stack is freed
 * (so an ended thread's KTHREAD must live until then); KeDeleteThreadStack frees
 * the stack of a thread that was initialized but never started.
 */
typedef VOID (*PKTHREAD_REAPED_ROUTINE)(PKTHREAD Thread);
extern PKTHREAD_REAPED_ROUTINE KeThreadReapedRoutine;
VOID KeDeleteThreadStack(PKTHREAD Thread);
/* Signals a process object: its threads have all ended (NT: KeSetProcess). */
LONG KeSetProcess(PKPROCESS Process, KPRIORITY Increment, BOOLEAN Wait);

/*
 * CONTEXT <-> KTRAP_FRAME (ke/i386/context.c; NT: KeContextFromKframes,
 * KeContextToKframes). Into a frame, a CONTEXT is made safe for user mode: ring-3
 * selectors, interrupts on, only the EFLAGS bits user mode may set.
 */
struct _CONTEXT;
VOID KeTrapFrameToContext(const KTRAP_FRAME *TrapFrame, struct _CONTEXT *Context);
VOID KeContextToTrapFrame(const struct _CONTEXT *Context, PKTRAP_FRAME TrapFrame);
/* Leaves the kernel through TrapFrame (a new thread's first entry to user mode). */
__attribute__((noreturn)) VOID KiEnterUserMode(PKTRAP_FRAME TrapFrame);

/* ---- system services (ke/i386/syscall.asm, the generated tables) ---- */

/*
 * A service table (NT's KSERVICE_TABLE_DESCRIPTOR): bits 12-13 of a service number
 * pick one of four tables (0: the native services; 1 is kept for a Win32 table),
 * bits 0-11 the service in it. Number[n] is how many bytes of arguments service n
 * takes from the caller's stack.
 */
typedef struct _KSERVICE_TABLE_DESCRIPTOR {
    PULONG_PTR Base;            /* 0x0: the service routines */
    PULONG Count;               /* 0x4: per-service call counts (unused: NULL) */
    ULONG Limit;                /* 0x8: number of services */
    PUCHAR Number;              /* 0xC: argument bytes per service */
} KSERVICE_TABLE_DESCRIPTOR, *PKSERVICE_TABLE_DESCRIPTOR;
C_ASSERT_SIZE(KSERVICE_TABLE_DESCRIPTOR, 0x10);

#define NUMBER_SERVICE_TABLES 4
#define SERVICE_NUMBER_MASK   0x0FFF
#define SERVICE_TABLE_SHIFT   12
#define SERVICE_TABLE_MASK    0x3

VOID KiInitializeSystemCalls(VOID);
/* SYSENTER when the processor has it and /NOSYSENTER does not forbid it. */
BOOLEAN KeFastSystemCallEnabled(VOID);

/*
 * Calls function ApiNumber of PEB->KernelCallbackTable in user mode, through
 * ntdll's KiUserCallbackDispatcher, with a copy of the input on the user stack;
 * returns the status and output the callback gave to NtCallbackReturn / INT 2B.
 * Only for a thread that came from user mode, at PASSIVE_LEVEL.
 */
NTSTATUS KeUserModeCallback(ULONG ApiNumber, PVOID InputBuffer, ULONG InputLength,
                            PVOID *OutputBuffer, PULONG OutputLength);

/* ntdll's entry points the kernel sends threads to (set when ntdll is mapped). */
extern ULONG_PTR KeUserApcDispatcher;
extern ULONG_PTR KeUserCallbackDispatcher;
extern ULONG_PTR KeUserExceptionDispatcher;
extern ULONG_PTR KeRaiseUserExceptionDispatcher;

/* Made by tools/gensvc from include/nt/sysfuncs.lst (build/gen/kisvctab.c). */
extern KSERVICE_TABLE_DESCRIPTOR KeServiceDescriptorTable[NUMBER_SERVICE_TABLES];
extern const PCSTR KiServiceNames[];

/* ---- start-up (ke/i386) ---- */

extern ULONGLONG KiBootTsc;             /* TSC at the kernel's first instruction */
extern UCHAR KiBootStackLimit[], KiBootStackBase[];
extern ULONG KiBootPageDirectory[1024];

VOID KiInitializeGdt(VOID);
VOID KiInitializeIdt(VOID);
VOID KiInitializeProcessorFeatures(VOID);
PCSTR KiFeatureBitsToString(ULONG FeatureBits, PCHAR Buffer, SIZE_T Size);

/* ---- traps (ke/i386/trap.c) ---- */

VOID KiDispatchTrap(PKTRAP_FRAME TrapFrame, ULONG Vector);
VOID KiDoubleFaultHandler(VOID);

/* ---- fault recovery (ke/i386/recovery.asm, ke/except.c) ---- */

/*
 * Use:
 *     KFAULT_RECOVERY Recovery;
 *     if (KiSetFaultRecovery(&Recovery) == 0) {
 *         ... touch user memory, call ProbeForRead ...
 *         KiClearFaultRecovery(&Recovery);
 *     } else {
 *         Status = Recovery.ExceptionCode;      (the record is already unlinked)
 *     }
 * Locals changed inside the block and read after a fault must be volatile.
 * Blocks nest; leaving one without KiClearFaultRecovery is a bug.
 */
__attribute__((returns_twice)) ULONG KiSetFaultRecovery(PKFAULT_RECOVERY Recovery);
__attribute__((noreturn)) VOID KiResumeFaultRecovery(PKFAULT_RECOVERY Recovery);
VOID KiClearFaultRecovery(PKFAULT_RECOVERY Recovery);
/* The innermost record, or NULL when no block is active. */
PKFAULT_RECOVERY KiCurrentFaultRecovery(VOID);
/* Leaves the innermost block with Status (noreturn); bugchecks when there is none. */
__attribute__((noreturn)) VOID KiRaiseToFaultRecovery(NTSTATUS Status, ULONG_PTR Address);

/* ---- time (ke/clock.c) ---- */

/* 100 ns units per clock tick, set by the HAL when it programs the clock. */
extern ULONG KeMaximumIncrement;
extern volatile ULONG KeTickCount;

VOID KeInitializeClock(ULONG TimeIncrement, const LARGE_INTEGER *BootTime);
VOID KeUpdateSystemTime(PKTRAP_FRAME TrapFrame);
ULONGLONG KeQueryInterruptTime(VOID);
VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime);
ULONG KeQueryTimeIncrement(VOID);
VOID KeInitializeSharedUserTime(VOID);

/* ---- bugcheck (ke/bugcheck.c) ---- */

__attribute__((noreturn))
VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4);
__attribute__((noreturn))
VOID KeBugCheck(ULONG BugCheckCode);
/*
 * A bugcheck caused by a trap: also shows the trap (Vector) and the registers of its
 * frame, and walks the stack from the trapping instruction (NT: KeBugCheckWithTf).
 */
__attribute__((noreturn))
VOID KiBugCheckWithTrapFrame(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3,
                             ULONG_PTR P4, const KTRAP_FRAME *TrapFrame, ULONG Vector);
/* The same, with the stack pointer given (a frame not built on the faulting stack). */
__attribute__((noreturn))
VOID KiBugCheckWithRegisters(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3,
                             ULONG_PTR P4, const KTRAP_FRAME *TrapFrame, ULONG Vector,
                             ULONG Esp);

#define ASSERT(Expression) \
    ((Expression) ? (void)0 : KiAssertFailed(#Expression, __FILE__, __LINE__))
__attribute__((noreturn))
VOID KiAssertFailed(PCSTR Expression, PCSTR File, ULONG Line);

/* The register state the double-fault task switch saved (ke/i386/gdt.c). */
const KTSS *KiGetInterruptedTaskState(VOID);
VOID KeSetIdtGate(ULONG Vector, PVOID Handler, BOOLEAN UserAccessible);
PCSTR KiTrapName(ULONG Vector);
VOID KiInitializeKernel(ULONG MultibootMagic, ULONG MultibootInfo) __attribute__((noreturn));

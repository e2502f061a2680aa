/*
 * psstart.c - a user thread's way out of the kernel the first time (NT:
 * PspUserThreadStartup, with KiThreadStartup before it).
 *
 * A new thread's first switch lands in KiThreadStartup, which calls this at
 * PASSIVE_LEVEL on the thread's own kernel stack. It builds the user-mode trap
 * frame from the thread's initial CONTEXT (ntdll!RtlUserThreadStart, EAX = the
 * start address, EBX = its parameter), queues the user APC that runs
 * ntdll!LdrInitializeThunk first (the loader: NormalContext NULL, SystemArgument1
 * ntdll's base, as NT queues it), and leaves through the system-service exit,
 * which delivers that APC: KiUserApcDispatcher calls LdrInitializeThunk, then
 * NtContinue's to the CONTEXT.
 */
#include "psp.h"

/* The time-stamp counter as the last thread to start left for user mode: what the
   loader benchmarks (tests/bench/ldr.c) count the loader's share from. Under
   -icount, instructions; the APC's delivery (a few hundred) lies between it and
   the thread's first user instruction, in ntdll's KiUserApcDispatcher. */
volatile ULONGLONG PsLastUserStartTime;

/* The start APC's memory is its own: freed when it has been delivered, or run down. */
static VOID PspFreeStartApc(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                            PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    UNREFERENCED_PARAMETER(NormalRoutine);
    UNREFERENCED_PARAMETER(NormalContext);
    UNREFERENCED_PARAMETER(SystemArgument1);
    UNREFERENCED_PARAMETER(SystemArgument2);
    ExFreePoolWithTag(Apc, PSP_THREAD_TAG);
}

static VOID PspRundownStartApc(PKAPC Apc)
{
    ExFreePoolWithTag(Apc, PSP_THREAD_TAG);
}

VOID PspUserThreadStartup(PVOID StartContext)
{
    PETHREAD Thread = StartContext;
    PKTRAP_FRAME Frame = (PKTRAP_FRAME)((PUCHAR)Thread->Tcb.TrapStackTop - sizeof(KTRAP_FRAME));
    PKAPC Apc;

    memset(Frame, 0, sizeof(*Frame));
    KeContextToTrapFrame(Thread->InitialContext, Frame);
    Frame->PreviousPreviousMode = UserMode;
    Frame->ExceptionList = (ULONG)(ULONG_PTR)EXCEPTION_CHAIN_END;
    ExFreePoolWithTag(Thread->InitialContext, PSP_THREAD_TAG);
    Thread->InitialContext = NULL;

    Apc = ExAllocatePoolWithTag(NonPagedPool, sizeof(KAPC), PSP_THREAD_TAG);
    if (Apc == NULL)
        PspExitThread(STATUS_INSUFFICIENT_RESOURCES);
    KeInitializeApc(Apc, &Thread->Tcb, OriginalApcEnvironment, PspFreeStartApc, PspRundownStartApc,
                    (PKNORMAL_ROUTINE)PspSystemDll.LoaderInitRoutine, UserMode, NULL);
    if (!KeInsertQueueApc(Apc, PspSystemDll.DllBase, NULL, 0)) {
        /* It is ending already (terminated before it ever ran). */
        ExFreePoolWithTag(Apc, PSP_THREAD_TAG);
        PspExitThread(Thread->ExitStatus);
    }
    /* Delivered on the way out, as NT's PspUserThreadStartup arranges. */
    Thread->Tcb.ApcState.UserApcPending = TRUE;
    PsLastUserStartTime = __rdtsc();
    KiEnterUserMode(Frame);
}

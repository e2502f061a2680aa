/*
 * ntdllp.h - what ntdll's own C files share: the thread's NT_TIB as user mode
 * reads it through fs, and the routines the assembly and the C call across. The
 * exception types (EXCEPTION_RECORD, EXCEPTION_REGISTRATION_RECORD, NT_TIB, ...)
 * are include/nt/ntexcept.h's, the same the kernel builds on the user stack.
 *
 * Compiled by MinGW (i686-w64-mingw32-gcc) only: i386, stdcall where NT's is.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/context.h>
#include <nt/ntexcept.h>
#include <nt/ntldr.h>

/*
 * What the dispatcher hands a handler as DispatcherContext. Only the dispatcher's
 * own guard record (see exchandl.asm) writes it: when an exception is raised
 * inside a handler, RegistrationPointer says which record's handler was running.
 */
typedef struct _DISPATCHER_CONTEXT {
    PEXCEPTION_REGISTRATION_RECORD RegistrationPointer;
} DISPATCHER_CONTEXT, *PDISPATCHER_CONTEXT;

/* ---- the thread's TIB, at fs:[0] in user mode (the head of the TEB) ---- */

/* The current thread's TIB: fs:[18h] holds its flat address (NT: NtCurrentTeb). */
static inline PNT_TIB RtlpCurrentTib(VOID)
{
    PNT_TIB Tib;

    __asm__ volatile ("movl %%fs:0x18, %0" : "=r"(Tib));
    return Tib;
}

/* ---- system services ntdll's own C calls ----
 * The stubs are generated (build/gen/ntstubs.asm, from include/nt/sysfuncs.lst);
 * build/gen/ntapi.h declares them the kernel's way (cdecl), so the stdcall
 * prototypes the caller needs are written here, for the few that are used. */

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect);
NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                   ULONG FreeType);
NTSTATUS NTAPI NtContinue(PCONTEXT ContextRecord, BOOLEAN TestAlert);
NTSTATUS NTAPI NtRaiseException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord,
                                BOOLEAN FirstChance);
NTSTATUS NTAPI NtYieldExecution(VOID);

/* ---- exported runtime routines (NT's names and conventions) ---- */

/* i386/raise.asm */
VOID NTAPI RtlCaptureContext(PCONTEXT ContextRecord);
VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord);
/* rtl/raise.c */
VOID NTAPI RtlRaiseStatus(NTSTATUS Status);
/* i386/unwind.asm (its body is RtlpUnwind, rtl/unwind.c) */
VOID NTAPI RtlUnwind(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord, PVOID ReturnValue);
/* rtl/vectored.c */
PVOID NTAPI RtlAddVectoredExceptionHandler(ULONG FirstHandler, PVECTORED_EXCEPTION_HANDLER Handler);
ULONG NTAPI RtlRemoveVectoredExceptionHandler(PVOID Handle);

/* ---- critical sections (rtl/critsect.c): ntdll's own locks are these too, as
 * NT's are (the loader lock, the PEB lock, each heap's lock, the vectored
 * handler list's) ---- */
NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION Section, ULONG SpinCount);
NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION Section);
BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION Section);

/* What RtlInitializeCriticalSection leaves (free: LockCount -1, no event yet), as
   an initializer: ntdll's static sections are ready before any code has run. */
#define RTLP_CRITICAL_SECTION_INIT { NULL, -1, 0, NULL, NULL, 0 }

/* rtl/peblock.c, called by LdrpInitialize for the first thread: PEB->FastPebLock
   and its routines, as NT 5 fills them. */
struct _PEB;
VOID RtlpInitializePebLock(struct _PEB *Peb);

/* rtl/heap.c, called by LdrpInitialize for the first thread: creates the process
   heap with the PEB's HeapSegmentReserve/HeapSegmentCommit into PEB->ProcessHeap. */
NTSTATUS RtlpInitializeProcessHeap(struct _PEB *Peb);

/* ---- across the C / assembly line ---- */

/* rtl/vectored.c, called by RtlDispatchException before the frames: TRUE when a
   vectored handler answered EXCEPTION_CONTINUE_EXECUTION. */
BOOLEAN RtlpCallVectoredHandlers(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord);

/* rtl/exception.c, called by KiUserExceptionDispatcher (i386/excdisp.asm). */
BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord);

/* i386/exchandl.asm: calls one handler inside the dispatcher's guard record. */
EXCEPTION_DISPOSITION NTAPI RtlpExecuteHandlerForException(PEXCEPTION_RECORD ExceptionRecord,
                                                           PVOID EstablisherFrame,
                                                           PCONTEXT ContextRecord,
                                                           PVOID DispatcherContext,
                                                           PEXCEPTION_ROUTINE Handler);
/* i386/exchandl.asm: the same, inside the unwinder's guard record (collisions). */
EXCEPTION_DISPOSITION NTAPI RtlpExecuteHandlerForUnwind(PEXCEPTION_RECORD ExceptionRecord,
                                                        PVOID EstablisherFrame,
                                                        PCONTEXT ContextRecord,
                                                        PVOID DispatcherContext,
                                                        PEXCEPTION_ROUTINE Handler);

/* rtl/unwind.c, called by RtlUnwind (i386/unwind.asm) with its caller's CONTEXT. */
VOID NTAPI RtlpUnwind(PVOID TargetFrame, PVOID TargetIp, PEXCEPTION_RECORD ExceptionRecord, PVOID ReturnValue,
                      PCONTEXT Context);

/* ldr/ldrinit.c, jumped to by LdrInitializeThunk (i386/ldrthunk.asm). */
VOID NTAPI LdrpInitialize(PCONTEXT Context, PVOID SystemArgument1, PVOID SystemArgument2);

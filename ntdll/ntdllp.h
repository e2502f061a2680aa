/*
 * ntdllp.h - what ntdll's own C files share: the exception-dispatch types of
 * NT's <ntdef.h>/<winnt.h> (EXCEPTION_RECORD, EXCEPTION_REGISTRATION_RECORD,
 * EXCEPTION_DISPOSITION), the thread's NT_TIB as user mode reads it through fs,
 * and the routines the assembly and the C call across.
 *
 * The types live here, not in include/nt, because only ntdll uses them so far.
 * When the kernel starts dispatching exceptions to user mode (KiDispatchException,
 * the process issue) it builds the same EXCEPTION_RECORD on the user stack: the
 * definitions then move to include/nt, shared by both sides.
 *
 * Compiled by MinGW (i686-w64-mingw32-gcc) only: i386, stdcall where NT's is.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/context.h>

/* ---- exception records (NT's layout: 0x50 bytes on i386) ---- */

#define EXCEPTION_MAXIMUM_PARAMETERS 15

/* ExceptionFlags */
#define EXCEPTION_NONCONTINUABLE    0x01    /* a handler may not continue it */
#define EXCEPTION_UNWINDING         0x02    /* handlers are being called by RtlUnwind */
#define EXCEPTION_EXIT_UNWIND       0x04    /* ... for the thread's exit */
#define EXCEPTION_STACK_INVALID     0x08    /* a registration record was off the stack */
#define EXCEPTION_NESTED_CALL       0x10    /* raised while a handler was running */
#define EXCEPTION_UNWIND            (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)

typedef struct _EXCEPTION_RECORD {
    NTSTATUS ExceptionCode;                 /* 0x00 */
    ULONG ExceptionFlags;                   /* 0x04 */
    struct _EXCEPTION_RECORD *ExceptionRecord;  /* 0x08: the one this was raised for */
    PVOID ExceptionAddress;                 /* 0x0C */
    ULONG NumberParameters;                 /* 0x10 */
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];  /* 0x14 */
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;

C_ASSERT_OFFSET(EXCEPTION_RECORD, ExceptionFlags, 0x04);
C_ASSERT_OFFSET(EXCEPTION_RECORD, ExceptionInformation, 0x14);
C_ASSERT_SIZE(EXCEPTION_RECORD, 0x50);

/* What a frame-based handler answers. */
typedef enum _EXCEPTION_DISPOSITION {
    ExceptionContinueExecution = 0,     /* fixed: resume at the (edited) CONTEXT */
    ExceptionContinueSearch = 1,        /* not mine: ask the next record */
    ExceptionNestedException = 2,       /* (the dispatcher's own guard) raised in a handler */
    ExceptionCollidedUnwind = 3         /* (the unwinder's own guard) */
} EXCEPTION_DISPOSITION;

struct _EXCEPTION_REGISTRATION_RECORD;

/*
 * A frame-based handler. Compilers give them either convention (MSVC's
 * _except_handler3 and MinGW's are cdecl, NT's declaration says NTAPI), so the
 * code that calls one (RtlpExecuteHandlerForException) restores ESP itself and
 * works with both.
 */
typedef EXCEPTION_DISPOSITION NTAPI EXCEPTION_ROUTINE(PEXCEPTION_RECORD ExceptionRecord,
                                                      PVOID EstablisherFrame,
                                                      PCONTEXT ContextRecord,
                                                      PVOID DispatcherContext);
typedef EXCEPTION_ROUTINE *PEXCEPTION_ROUTINE;

/* One link of the SEH chain: on the stack of the function that set it up. */
typedef struct _EXCEPTION_REGISTRATION_RECORD {
    struct _EXCEPTION_REGISTRATION_RECORD *Next;    /* 0x00: the outer record */
    PEXCEPTION_ROUTINE Handler;                     /* 0x04 */
} EXCEPTION_REGISTRATION_RECORD, *PEXCEPTION_REGISTRATION_RECORD;

/* The last record's Next. */
#define EXCEPTION_CHAIN_END ((PEXCEPTION_REGISTRATION_RECORD)(LONG_PTR)-1)

/*
 * What the dispatcher hands a handler as DispatcherContext. Only the dispatcher's
 * own guard record (see exchandl.asm) writes it: when an exception is raised
 * inside a handler, RegistrationPointer says which record's handler was running.
 */
typedef struct _DISPATCHER_CONTEXT {
    PEXCEPTION_REGISTRATION_RECORD RegistrationPointer;
} DISPATCHER_CONTEXT, *PDISPATCHER_CONTEXT;

/* ---- the thread's TIB, at fs:[0] in user mode (the head of the TEB) ---- */

typedef struct _NT_TIB {
    PEXCEPTION_REGISTRATION_RECORD ExceptionList;   /* 0x00: fs:[0], the SEH chain */
    PVOID StackBase;            /* 0x04: highest address of the stack, exclusive */
    PVOID StackLimit;           /* 0x08: lowest committed address */
    PVOID SubSystemTib;         /* 0x0C */
    PVOID FiberData;            /* 0x10 */
    PVOID ArbitraryUserPointer; /* 0x14 */
    struct _NT_TIB *Self;       /* 0x18: the TIB's own linear address */
} NT_TIB, *PNT_TIB;

C_ASSERT_OFFSET(NT_TIB, StackLimit, 0x08);
C_ASSERT_OFFSET(NT_TIB, Self, 0x18);

/* The current thread's TIB: fs:[18h] holds its flat address (NT: NtCurrentTeb). */
static inline PNT_TIB RtlpCurrentTib(VOID)
{
    PNT_TIB Tib;

    __asm__ volatile ("movl %%fs:0x18, %0" : "=r"(Tib));
    return Tib;
}

/* ---- across the C / assembly line ---- */

/* rtl/exception.c, called by KiUserExceptionDispatcher (i386/excdisp.asm). */
BOOLEAN NTAPI RtlDispatchException(PEXCEPTION_RECORD ExceptionRecord, PCONTEXT ContextRecord);

/* i386/exchandl.asm: calls one handler inside the dispatcher's guard record. */
EXCEPTION_DISPOSITION NTAPI RtlpExecuteHandlerForException(PEXCEPTION_RECORD ExceptionRecord,
                                                           PVOID EstablisherFrame,
                                                           PCONTEXT ContextRecord,
                                                           PVOID DispatcherContext,
                                                           PEXCEPTION_ROUTINE Handler);

/* ldr/ldrinit.c, jumped to by LdrInitializeThunk (i386/ldrthunk.asm). */
VOID NTAPI LdrpInitialize(PCONTEXT Context, PVOID SystemArgument1, PVOID SystemArgument2);

/*
 * ntexcept.h - exceptions as both sides of the kernel/user line see them (NT's
 * <ntdef.h>/<winnt.h> types, i386 layouts): the EXCEPTION_RECORD the kernel copies
 * to the user stack (KiDispatchException) and NtRaiseException captures, the SEH
 * chain's EXCEPTION_REGISTRATION_RECORD, what a handler answers, and NT_TIB, the
 * head of the TEB (fs:[0] in user mode) and of the KPCR (fs:[0] in kernel mode).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/context.h>

/* ---- exception records (0x50 bytes on i386) ---- */

#define EXCEPTION_MAXIMUM_PARAMETERS 15

/* ExceptionFlags */
#define EXCEPTION_NONCONTINUABLE    0x01    /* a handler may not continue it */
#define EXCEPTION_UNWINDING         0x02    /* handlers are being called by RtlUnwind */
#define EXCEPTION_EXIT_UNWIND       0x04    /* ... for the thread's exit */
#define EXCEPTION_STACK_INVALID     0x08    /* a registration record was off the stack */
#define EXCEPTION_NESTED_CALL       0x10    /* raised while a handler was running */
#define EXCEPTION_TARGET_UNWIND     0x20    /* the unwind reached its target frame */
#define EXCEPTION_COLLIDED_UNWIND   0x40    /* an unwind met another unwind */
#define EXCEPTION_UNWIND            (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)

/* ExceptionInformation[0] of an access violation or guard-page violation (NT's
   EXCEPTION_READ_FAULT...); [1] is the address. Execute faults need NX, which i386
   without PAE has not: this kernel reports reads and writes only. */
#define EXCEPTION_READ_FAULT        0
#define EXCEPTION_WRITE_FAULT       1
#define EXCEPTION_EXECUTE_FAULT     8

/* ExceptionInformation[0] of STATUS_BREAKPOINT raised by INT 3 */
#define BREAKPOINT_BREAK            0

typedef struct _EXCEPTION_RECORD {
    NTSTATUS ExceptionCode;                 /* 0x00 */
    ULONG ExceptionFlags;                   /* 0x04 */
    struct _EXCEPTION_RECORD *ExceptionRecord;  /* 0x08: the one this was raised for */
    PVOID ExceptionAddress;                 /* 0x0C */
    ULONG NumberParameters;                 /* 0x10 */
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];  /* 0x14 */
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;
C_ASSERT_OFFSET(EXCEPTION_RECORD, ExceptionFlags, 0x04);
C_ASSERT_OFFSET(EXCEPTION_RECORD, ExceptionRecord, 0x08);
C_ASSERT_OFFSET(EXCEPTION_RECORD, ExceptionAddress, 0x0C);
C_ASSERT_OFFSET(EXCEPTION_RECORD, NumberParameters, 0x10);
C_ASSERT_OFFSET(EXCEPTION_RECORD, ExceptionInformation, 0x14);
C_ASSERT_SIZE(EXCEPTION_RECORD, 0x50);

/* What a vectored handler and an __except filter receive. */
typedef struct _EXCEPTION_POINTERS {
    PEXCEPTION_RECORD ExceptionRecord;
    PCONTEXT ContextRecord;
} EXCEPTION_POINTERS, *PEXCEPTION_POINTERS;

/* What a vectored handler (or a filter) answers. */
#define EXCEPTION_EXECUTE_HANDLER       1
#define EXCEPTION_CONTINUE_SEARCH       0
#define EXCEPTION_CONTINUE_EXECUTION    (-1)

typedef LONG NTAPI VECTORED_EXCEPTION_HANDLER(PEXCEPTION_POINTERS ExceptionInfo);
typedef VECTORED_EXCEPTION_HANDLER *PVECTORED_EXCEPTION_HANDLER;

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
 * code that calls one (ntdll's RtlpExecuteHandlerForException) restores ESP
 * itself and works with both.
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
C_ASSERT_OFFSET(EXCEPTION_REGISTRATION_RECORD, Handler, 0x04);
C_ASSERT_SIZE(EXCEPTION_REGISTRATION_RECORD, 0x08);

/* The last record's Next. */
#define EXCEPTION_CHAIN_END ((PEXCEPTION_REGISTRATION_RECORD)(LONG_PTR)-1)

/* ---- the thread information block: fs:[0] (winnt.h's NT_TIB) ---- */

typedef struct _NT_TIB {
    PEXCEPTION_REGISTRATION_RECORD ExceptionList;   /* 0x00: fs:[0], the SEH chain */
    PVOID StackBase;            /* 0x04: highest address of the stack, exclusive */
    PVOID StackLimit;           /* 0x08: lowest committed address */
    PVOID SubSystemTib;         /* 0x0C */
    PVOID FiberData;            /* 0x10: (a union with ULONG Version in winnt.h) */
    PVOID ArbitraryUserPointer; /* 0x14 */
    struct _NT_TIB *Self;       /* 0x18: the TIB's own linear address (fs:[18h]) */
} NT_TIB, *PNT_TIB;
C_ASSERT_OFFSET(NT_TIB, ExceptionList, 0x00);
C_ASSERT_OFFSET(NT_TIB, StackBase, 0x04);
C_ASSERT_OFFSET(NT_TIB, StackLimit, 0x08);
C_ASSERT_OFFSET(NT_TIB, SubSystemTib, 0x0C);
C_ASSERT_OFFSET(NT_TIB, FiberData, 0x10);
C_ASSERT_OFFSET(NT_TIB, ArbitraryUserPointer, 0x14);
C_ASSERT_OFFSET(NT_TIB, Self, 0x18);
C_ASSERT_SIZE(NT_TIB, 0x1C);

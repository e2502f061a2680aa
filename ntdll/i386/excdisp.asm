; excdisp.asm - KiUserExceptionDispatcher: where the kernel sends a thread whose
; user-mode code raised an exception (a fault, or RtlRaiseException), for the
; thread's own handlers to deal with.
;
; NT's frame (KiDispatchException copies the CONTEXT and the EXCEPTION_RECORD to
; the user stack, then these two pointers below them):
;   [esp + 0]  PEXCEPTION_RECORD
;   [esp + 4]  PCONTEXT            the registers at the exception
; RtlDispatchException (rtl/exception.c) offers the exception to the SEH chain.
; Handled: NtContinue(Context, FALSE) resumes at the CONTEXT a handler may have
; edited. Not handled: NT calls NtRaiseException(ExceptionRecord, Context, FALSE),
; the "second chance", with which the kernel ends the process.
;
; This kernel does not send exceptions here yet (kernel/ke/i386/trap.c ends the
; thread on any user-mode exception), and has no NtRaiseException: the process
; issue adds both.

bits 32
section .text

global _KiUserExceptionDispatcher
extern _RtlDispatchException@8, _NtContinue@8

align 16
_KiUserExceptionDispatcher:
    cld                         ; the C code may assume DF clear; the fault may not have had it
    mov ecx, [esp + 4]          ; Context
    mov ebx, [esp]              ; ExceptionRecord
    push ecx
    push ebx
    call _RtlDispatchException@8
    or al, al
    jz .unhandled
    ; Handled: the two pointers are still at [esp], [esp + 4].
    pop ebx                     ; ExceptionRecord
    pop ecx                     ; Context
    push 0                      ; TestAlert = FALSE
    push ecx
    call _NtContinue@8          ; does not return when the CONTEXT is good
    ; NtContinue refused the CONTEXT: NT raises its status (non-continuable).
    ; Without NtRaiseException, the same end as below.
    ud2

.unhandled:
    ; No handler took it. NT: NtRaiseException(ExceptionRecord, Context, FALSE),
    ; the second chance, after which the process ends. That service comes with the
    ; process issue, which replaces this instruction by the call. Until then, an
    ; invalid opcode: the kernel ends a thread whose user-mode exception it
    ; cannot dispatch (kernel/ke/i386/trap.c), which is the outcome NT's second
    ; chance has for a process without a debugger.
    ud2

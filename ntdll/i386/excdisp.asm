; excdisp.asm - KiUserExceptionDispatcher: where the kernel sends a thread whose
; user-mode code raised an exception (a fault, or RtlRaiseException), for the
; thread's own handlers to deal with.
;
; NT's frame (KiDispatchException copies the CONTEXT and the EXCEPTION_RECORD to
; the user stack, then these two pointers below them):
;   [esp + 0]  PEXCEPTION_RECORD
;   [esp + 4]  PCONTEXT            the registers at the exception
; RtlDispatchException (rtl/exception.c) offers the exception to the vectored
; handlers, then to the SEH chain.
; Handled: NtContinue(Context, FALSE) resumes at the CONTEXT a handler may have
; edited. Not handled: NT calls NtRaiseException(ExceptionRecord, Context, FALSE),
; the "second chance", with which the kernel ends the process.
;
; Either service coming back means it refused: NT then raises its status as a
; new, non-continuable exception whose ExceptionRecord is the one being dispatched
; (RtlRaiseException, so the handlers see it; if none can, the process ends).

bits 32
section .text

global _KiUserExceptionDispatcher
extern _RtlDispatchException@8, _NtContinue@8, _NtRaiseException@12, _RtlRaiseException@4

EXCEPTION_RECORD_SIZE    equ 50h
ErExceptionCode          equ 00h
ErExceptionFlags         equ 04h
ErExceptionRecord        equ 08h
ErNumberParameters       equ 10h
EXCEPTION_NONCONTINUABLE equ 01h

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
    jmp .refused

.unhandled:
    ; No handler took it: the second chance, after which the process ends.
    pop ebx                     ; ExceptionRecord
    pop ecx                     ; Context
    push 0                      ; FirstChance = FALSE
    push ecx
    push ebx
    call _NtRaiseException@12   ; does not return when its arguments are good

.refused:
    ; EAX: the status the service refused with. EBX (kept by both calls) is the
    ; exception being dispatched.
    sub esp, EXCEPTION_RECORD_SIZE
    mov [esp + ErExceptionCode], eax
    mov dword [esp + ErExceptionFlags], EXCEPTION_NONCONTINUABLE
    mov [esp + ErExceptionRecord], ebx
    mov dword [esp + ErNumberParameters], 0
    push esp
    call _RtlRaiseException@4
    ; Not reached: nothing may continue a non-continuable exception.
    ud2

; exchandl.asm - RtlpExecuteHandlerForException: calls one frame-based handler for
; RtlDispatchException (rtl/exception.c), inside a guard registration record of
; the dispatcher's own, so that an exception raised while the handler runs is seen
; as nested (NT's RtlpExecuteHandlerForException / RtlpExecuteHandler2).
;
; EXCEPTION_DISPOSITION NTAPI RtlpExecuteHandlerForException(
;     PEXCEPTION_RECORD ExceptionRecord,  [ebp + 08h]
;     PVOID EstablisherFrame,             [ebp + 0Ch]  the record whose handler this is
;     PCONTEXT ContextRecord,             [ebp + 10h]
;     PVOID DispatcherContext,            [ebp + 14h]
;     PEXCEPTION_ROUTINE Handler)         [ebp + 18h]
;
; The guard record, on this frame's stack, is NT's EXCEPTION_REGISTRATION_RECORD
; with one more field:
;   [ebp - 0Ch]  Next               the chain as it was (fs:[0])
;   [ebp - 08h]  Handler            RtlpNestedExceptionHandler
;   [ebp - 04h]  EstablisherFrame   the record whose handler is running
; A nested dispatch meets the guard before the records outside the handler; the
; guard's handler answers ExceptionNestedException and puts EstablisherFrame in its
; DispatcherContext, from which the nested RtlDispatchException knows up to which
; record the exception is nested.
;
; Handlers are declared NTAPI but compilers make them cdecl as often: ESP is put
; back from EBP after the call, so either works (and an unbalanced one too).

bits 32
section .text

global _RtlpExecuteHandlerForException@20

EXCEPTION_UNWIND         equ 06h    ; EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND
ExceptionContinueSearch  equ 1
ExceptionNestedException equ 2

align 16
_RtlpExecuteHandlerForException@20:
    push ebp
    mov ebp, esp
    push dword [ebp + 0Ch]      ; guard.EstablisherFrame
    push RtlpNestedExceptionHandler ; guard.Handler
    push dword [fs:0]           ; guard.Next
    mov [fs:0], esp             ; the guard is now the innermost record
    push dword [ebp + 14h]      ; DispatcherContext
    push dword [ebp + 10h]      ; ContextRecord
    push dword [ebp + 0Ch]      ; EstablisherFrame
    push dword [ebp + 08h]      ; ExceptionRecord
    mov ecx, [ebp + 18h]
    call ecx                    ; EAX = the disposition
    mov ecx, [ebp - 0Ch]        ; unlink the guard (whatever the handler did to ESP)
    mov [fs:0], ecx
    mov esp, ebp
    pop ebp
    ret 14h

; The guard's handler (cdecl, called by a nested dispatch through the function
; above): (ExceptionRecord, EstablisherFrame = the guard, ContextRecord,
; DispatcherContext). An unwind passing through is none of its business.
RtlpNestedExceptionHandler:
    mov ecx, [esp + 4]          ; ExceptionRecord
    mov eax, ExceptionContinueSearch
    test dword [ecx + 4], EXCEPTION_UNWIND   ; ExceptionFlags
    jnz .done
    mov ecx, [esp + 8]          ; the guard record
    mov edx, [esp + 10h]        ; DispatcherContext
    mov ecx, [ecx + 8]          ; guard.EstablisherFrame
    mov [edx], ecx              ; DispatcherContext->RegistrationPointer
    mov eax, ExceptionNestedException
.done:
    ret

; exchandl.asm - the one place ntdll calls a frame-based handler: inside a guard
; registration record of its own, so that whatever happens while the handler
; runs is recognised when it reaches the chain (NT's RtlpExecuteHandler2, with
; its two entries RtlpExecuteHandlerForException and RtlpExecuteHandlerForUnwind).
;
;   RtlpExecuteHandlerForException  for RtlDispatchException (rtl/exception.c): an
;       exception raised inside the handler meets the guard first, which answers
;       ExceptionNestedException (the nested dispatch then knows up to which record
;       it is nested);
;   RtlpExecuteHandlerForUnwind     for RtlUnwind (rtl/unwind.c): an unwind started
;       inside the handler that runs past the guard collides with this one; the
;       guard answers ExceptionCollidedUnwind, and the inner unwind goes on from the
;       record whose handler was running (the records in between are this unwind's).
;
; EXCEPTION_DISPOSITION NTAPI RtlpExecuteHandlerFor...(
;     PEXCEPTION_RECORD ExceptionRecord,  [ebp + 08h]
;     PVOID EstablisherFrame,             [ebp + 0Ch]  the record whose handler this is
;     PCONTEXT ContextRecord,             [ebp + 10h]
;     PVOID DispatcherContext,            [ebp + 14h]
;     PEXCEPTION_ROUTINE Handler)         [ebp + 18h]
;
; The guard record, on this frame's stack, is NT's EXCEPTION_REGISTRATION_RECORD
; with one more field:
;   [ebp - 0Ch]  Next               the chain as it was (fs:[0])
;   [ebp - 08h]  Handler            RtlpNestedExceptionHandler or RtlpUnwindCollisionHandler
;   [ebp - 04h]  EstablisherFrame   the record whose handler is running
; Either guard handler puts EstablisherFrame in its DispatcherContext
; (DISPATCHER_CONTEXT.RegistrationPointer) when it answers.
;
; Handlers are declared NTAPI but compilers make them cdecl as often: ESP is put
; back from EBP after the call, so either works (and an unbalanced one too).

bits 32
section .text

global _RtlpExecuteHandlerForException@20, _RtlpExecuteHandlerForUnwind@20

EXCEPTION_UNWIND         equ 06h    ; EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND
ExceptionContinueSearch  equ 1
ExceptionNestedException equ 2
ExceptionCollidedUnwind  equ 3

align 16
_RtlpExecuteHandlerForException@20:
    mov edx, RtlpNestedExceptionHandler
    jmp RtlpExecuteHandler

align 16
_RtlpExecuteHandlerForUnwind@20:
    mov edx, RtlpUnwindCollisionHandler
    ; (falls through)

; The shared body: EDX = the guard's handler, the five arguments as above.
RtlpExecuteHandler:
    push ebp
    mov ebp, esp
    push dword [ebp + 0Ch]      ; guard.EstablisherFrame
    push edx                    ; guard.Handler
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

; The guards' handlers (cdecl, called by a dispatch or an unwind through the body
; above): (ExceptionRecord, EstablisherFrame = the guard, ContextRecord,
; DispatcherContext).

; The exception guard: an unwind passing through is none of its business.
RtlpNestedExceptionHandler:
    mov ecx, [esp + 4]          ; ExceptionRecord
    mov eax, ExceptionContinueSearch
    test dword [ecx + 4], EXCEPTION_UNWIND   ; ExceptionFlags
    jnz .done
    mov eax, ExceptionNestedException
    jmp RtlpGuardAnswers
.done:
    ret

; The unwind guard: only another unwind concerns it; an exception raised in an
; unwind handler is dispatched past it as usual.
RtlpUnwindCollisionHandler:
    mov ecx, [esp + 4]          ; ExceptionRecord
    mov eax, ExceptionContinueSearch
    test dword [ecx + 4], EXCEPTION_UNWIND   ; ExceptionFlags
    jz .done
    mov eax, ExceptionCollidedUnwind
    jmp RtlpGuardAnswers
.done:
    ret

; EAX = the answer: DispatcherContext->RegistrationPointer = guard.EstablisherFrame.
RtlpGuardAnswers:
    mov ecx, [esp + 8]          ; the guard record
    mov edx, [esp + 10h]        ; DispatcherContext
    mov ecx, [ecx + 8]          ; guard.EstablisherFrame
    mov [edx], ecx              ; DispatcherContext->RegistrationPointer
    ret

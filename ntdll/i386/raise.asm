; raise.asm - RtlCaptureContext and RtlRaiseException (NT's i386 ntdll has both in
; assembly: the registers they report are their caller's, which C cannot get).
;
; Offsets into CONTEXT and EXCEPTION_RECORD are include/nt/context.h's and
; include/nt/ntexcept.h's (pinned there by C_ASSERT_OFFSET).

bits 32
section .text

global _RtlCaptureContext@4, _RtlRaiseException@4
extern _NtRaiseException@12, _RtlRaiseStatus@4

CONTEXT_SIZE        equ 2CCh
CONTEXT_FULL        equ 10007h      ; CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS
CsContextFlags      equ 000h
CsSegGs             equ 08Ch
CsSegFs             equ 090h
CsSegEs             equ 094h
CsSegDs             equ 098h
CsEdi               equ 09Ch
CsEsi               equ 0A0h
CsEbx               equ 0A4h
CsEdx               equ 0A8h
CsEcx               equ 0ACh
CsEax               equ 0B0h
CsEbp               equ 0B4h
CsEip               equ 0B8h
CsSegCs             equ 0BCh
CsEFlags            equ 0C0h
CsEsp               equ 0C4h
CsSegSs             equ 0C8h
ErExceptionAddress  equ 0Ch

; VOID NTAPI RtlCaptureContext(PCONTEXT ContextRecord)
; The integer, control and segment registers as the caller has them: EIP the
; return address, ESP as after this function's RET 4, EBP the caller's.
align 16
_RtlCaptureContext@4:
    push ebx
    mov ebx, [esp + 8]              ; ContextRecord
    mov [ebx + CsEax], eax
    mov [ebx + CsEcx], ecx
    mov [ebx + CsEdx], edx
    mov eax, [esp]                  ; the caller's EBX
    mov [ebx + CsEbx], eax
    mov [ebx + CsEsi], esi
    mov [ebx + CsEdi], edi
    mov [ebx + CsEbp], ebp
    mov eax, [esp + 4]              ; the return address
    mov [ebx + CsEip], eax
    lea eax, [esp + 12]             ; past EBX, the return address and the argument
    mov [ebx + CsEsp], eax
    pushfd
    pop dword [ebx + CsEFlags]
    xor eax, eax                    ; selectors are 16 bits in 32-bit slots
    mov ax, cs
    mov [ebx + CsSegCs], eax
    mov ax, ss
    mov [ebx + CsSegSs], eax
    mov ax, ds
    mov [ebx + CsSegDs], eax
    mov ax, es
    mov [ebx + CsSegEs], eax
    mov ax, fs
    mov [ebx + CsSegFs], eax
    mov ax, gs
    mov [ebx + CsSegGs], eax
    mov dword [ebx + CsContextFlags], CONTEXT_FULL
    mov eax, [ebx + CsEax]          ; EAX as it was (nothing else was changed)
    pop ebx
    ret 4

; VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord)
; Raises the exception at the caller: the CONTEXT is the caller's as if this
; function had returned, ExceptionAddress the return address. Then
; NtRaiseException(Record, Context, TRUE): the kernel sends the thread to
; KiUserExceptionDispatcher with them, from where a handler that continues
; resumes the caller. NtRaiseException returns only when it refused its
; arguments: that status is raised instead (RtlRaiseStatus), as NT does.
align 16
_RtlRaiseException@4:
    push ebp
    mov ebp, esp
    sub esp, CONTEXT_SIZE
    push esp
    call _RtlCaptureContext@4       ; the registers here, then made the caller's:
    mov eax, [ebp + 4]              ; EIP: the return address
    mov [esp + CsEip], eax
    mov edx, [ebp + 8]
    mov [edx + ErExceptionAddress], eax
    mov eax, [ebp]                  ; EBP: the caller's
    mov [esp + CsEbp], eax
    lea eax, [ebp + 12]             ; ESP: past the return address and the argument
    mov [esp + CsEsp], eax
    mov eax, esp
    push 1                          ; FirstChance
    push eax                        ; ContextRecord
    push edx                        ; ExceptionRecord
    call _NtRaiseException@12
    push eax
    call _RtlRaiseStatus@4          ; does not return
    leave
    ret 4

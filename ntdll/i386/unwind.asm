; unwind.asm - RtlUnwind's entry: takes its caller's registers as the CONTEXT the
; unwind ends in, then hands everything to RtlpUnwind (rtl/unwind.c), which calls
; the handlers, unlinks their records and resumes that CONTEXT with NtContinue.
;
; VOID NTAPI RtlUnwind(PVOID TargetFrame, PVOID TargetIp,
;                      PEXCEPTION_RECORD ExceptionRecord, PVOID ReturnValue)
;
; Why assembly: the CONTEXT must hold the caller's EBX, ESI, EDI and EBP as they
; were at the call. NT's i386 RtlUnwind is C and zeroes them (MSVC's
; __global_unwind2 saves its own around the call for that reason); gcc-built
; callers, MinGW's among them, expect them kept like across any call, so here
; they are captured before any C runs. EIP and ESP are the caller's as after this
; function's RET 10h; EAX becomes ReturnValue in RtlpUnwind. Offsets are
; include/nt/context.h's (pinned there), as in raise.asm.

bits 32
section .text

global _RtlUnwind@16
extern _RtlCaptureContext@4, _RtlpUnwind@20

CONTEXT_SIZE        equ 2CCh
CsEbp               equ 0B4h
CsEip               equ 0B8h
CsEsp               equ 0C4h

align 16
_RtlUnwind@16:
    push ebp
    mov ebp, esp
    sub esp, CONTEXT_SIZE
    push esp
    call _RtlCaptureContext@4       ; EBX, ESI, EDI, segments, flags: the caller's
    mov eax, [ebp + 4]              ; EIP: the return address
    mov [esp + CsEip], eax
    mov eax, [ebp]                  ; EBP: the caller's
    mov [esp + CsEbp], eax
    lea eax, [ebp + 18h]            ; ESP: past the return address and four arguments
    mov [esp + CsEsp], eax
    mov eax, esp
    push eax                        ; ContextRecord
    push dword [ebp + 14h]          ; ReturnValue
    push dword [ebp + 10h]          ; ExceptionRecord
    push dword [ebp + 0Ch]          ; TargetIp
    push dword [ebp + 08h]          ; TargetFrame
    call _RtlpUnwind@20             ; does not return: NtContinue, or a raise
    leave
    ret 10h

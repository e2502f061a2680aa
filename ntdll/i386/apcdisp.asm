; apcdisp.asm - KiUserApcDispatcher: where a thread enters user mode to run a user
; APC (and, through LdrInitializeThunk, where every new thread starts).
;
; The kernel (KiInitializeUserApc, kernel/ke/i386/syscall.c) points the trap frame's
; EIP here and leaves on the user stack, at ESP (4-byte aligned):
;   [esp + 00h]  NormalRoutine      the APC's user-mode routine
;   [esp + 04h]  NormalContext      its three arguments
;   [esp + 08h]  SystemArgument1
;   [esp + 0Ch]  SystemArgument2
;   [esp + 10h]  CONTEXT            the registers the thread had when the APC came:
;                                   where it resumes once the routine is done
; NT's layout and NT's code (XP): pop the routine, call it (stdcall: it pops its
; three arguments, leaving ESP at the CONTEXT), then NtContinue(Context, TRUE):
; TestAlert TRUE so that another pending user APC is delivered at once, the same way.

bits 32
section .text

global _KiUserApcDispatcher
extern _NtContinue@8

align 16
_KiUserApcDispatcher:
    lea edi, [esp + 10h]        ; the CONTEXT, in a register the call preserves
    pop eax                     ; NormalRoutine; ESP now at its three arguments
    call eax                    ; NormalRoutine(NormalContext, SystemArgument1, SystemArgument2)
    push 1                      ; TestAlert = TRUE
    push edi                    ; Context
    call _NtContinue@8          ; does not return when the CONTEXT is good
    ; NtContinue refused the CONTEXT. NT raises its status here (RtlRaiseStatus),
    ; which needs NtRaiseException (the process issue). Until then an invalid
    ; opcode: the kernel ends a thread whose user-mode exception it cannot
    ; dispatch (kernel/ke/i386/trap.c).
    ud2

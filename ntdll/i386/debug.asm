; debug.asm - DbgBreakPoint and DbgUserBreakPoint (NT's i386 ntdll has them as
; "int 3; ret": a breakpoint exception at a known address, raised in the caller's
; thread). Without a debugger, the exception goes to the thread's handlers as
; STATUS_BREAKPOINT, as on NT; unhandled, it ends the process.

bits 32
section .text

global _DbgBreakPoint@0, _DbgUserBreakPoint@0

; VOID NTAPI DbgBreakPoint(VOID)
align 16
_DbgBreakPoint@0:
    int3
    ret

; VOID NTAPI DbgUserBreakPoint(VOID): the user-mode name NT 5 added; the same code.
align 16
_DbgUserBreakPoint@0:
    int3
    ret

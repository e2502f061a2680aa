; ldrthunk.asm - LdrInitializeThunk: the first user-mode code of every thread.
;
; The kernel starts a thread in user mode by delivering it a user APC whose
; NormalRoutine is LdrInitializeThunk (NT: PspUserThreadStartup queues it with
; NormalContext = NULL, SystemArgument1 = ntdll's base, SystemArgument2 = NULL),
; and whose CONTEXT is the thread's start (EIP = the image's entry, or kernel32's
; BaseProcessStartThunk). So the thread arrives through KiUserApcDispatcher
; (apcdisp.asm), which has popped NormalRoutine and called us. The stack here, from
; the frame KiInitializeUserApc (kernel/ke/i386/syscall.c) builds:
;   [esp + 00h]  return address into KiUserApcDispatcher (after its call eax)
;   [esp + 04h]  NormalContext      (frame slot 1)
;   [esp + 08h]  SystemArgument1    (frame slot 2)
;   [esp + 0Ch]  SystemArgument2    (frame slot 3)
;   [esp + 10h]  CONTEXT            (frame slot 4 on, sizeof(CONTEXT) = 2CCh bytes)
; NT XP's thunk, the same bytes: replace NormalContext by the CONTEXT's address and
; jump to LdrpInitialize(Context, SystemArgument1, SystemArgument2), a stdcall
; function whose `ret 0Ch` goes straight back to KiUserApcDispatcher with ESP at
; the CONTEXT; that then calls NtContinue(Context, TRUE), which starts the thread
; at the CONTEXT's EIP. EBP is zeroed so stack walks end here.

bits 32
section .text

global _LdrInitializeThunk
extern _LdrpInitialize@12

align 16
_LdrInitializeThunk:
    lea eax, [esp + 10h]        ; the CONTEXT
    mov [esp + 4], eax          ; in place of NormalContext: LdrpInitialize's first argument
    xor ebp, ebp                ; the outermost frame
    jmp _LdrpInitialize@12

; ctxswap.asm - the context switch (NT: SwapContext) and a new thread's first
; instructions (NT: KiThreadStartup).
;
; The switch saves what the C calling convention says a callee must preserve
; (EBX, ESI, EDI, EBP), the flags, and the thread's fault-recovery chain
; (KPCR.NtTib.ExceptionList, which belongs to the thread, not the processor) on
; the old thread's stack, records that stack pointer in KTHREAD.KernelStack, and
; does the reverse from the new thread's. Everything else that changes with the
; thread (TSS.Esp0, the SYSENTER stack, CR3, the TEB selector, CR0.TS) is done in C
; before it, by KiPrepareSwitch.

%include "asmdefs.inc"

extern KiThreadStartup

section .text

; VOID KiSwapContext(PKTHREAD Old, PKTHREAD New)   -- interrupts off
global KiSwapContext
KiSwapContext:
    push ebp
    push ebx
    push esi
    push edi
    pushfd
    push dword [fs:PcExceptionList]
    mov eax, [esp + 28]                 ; Old (6 saved dwords + the return address)
    mov edx, [esp + 32]                 ; New
    mov [eax + ThKernelStack], esp
    mov esp, [edx + ThKernelStack]
    pop dword [fs:PcExceptionList]
    popfd
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; Where a new thread's first switch "returns" to (KiInitializeContextThread built
; that frame). EBP = 0 ends backtraces here.
global KiThreadStartupStub
KiThreadStartupStub:
    xor ebp, ebp
    call KiThreadStartup                ; does not return
.hang:
    cli
    hlt
    jmp .hang

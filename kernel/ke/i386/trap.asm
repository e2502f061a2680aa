; trap.asm - the entry of every exception and interrupt (NT: KiTrap00..KiTrap13,
; the interrupt stubs, and the frame-building ENTER_TRAP / EXIT_ALL macros).
;
; One small stub per IDT vector pushes a zero where the processor pushes no error
; code, so the frame has one shape, then pushes its vector number and jumps to
; KiTrapCommon. KiTrapCommon builds a KTRAP_FRAME (see ketypes.h; offsets come from
; asmdefs.inc), loads the kernel's segments, and calls
;     VOID KiDispatchTrap(PKTRAP_FRAME TrapFrame, ULONG Vector);
; KiTrapExit restores everything from the frame and returns with IRETD.
;
; Segment rules, as in NT: in kernel mode DS = ES = KGDT_R3_DATA | 3 (a flat data
; segment both rings can use, so nothing needs reloading on the way back to ring 3)
; and FS = KGDT_R0_PCR, which points at the KPCR.

%include "asmdefs.inc"

extern KiDispatchTrap

section .text

; The vectors for which the processor pushes an error code.
%macro TRAP_STUB 1
align 8
KiTrapStub%1:
%if %1 == 8 || %1 == 10 || %1 == 11 || %1 == 12 || %1 == 13 || %1 == 14 || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
    push 0                              ; the missing error code
%endif
    push %1                             ; vector, in the slot that will hold EBP
    jmp KiTrapCommon
%endmacro

%assign vector 0
%rep 256
    TRAP_STUB vector
%assign vector vector + 1
%endrep

; On entry: [esp] = vector, [esp+4] = error code, then EIP, CS, EFLAGS (and ESP, SS
; when the trap came from ring 3). The pushes below fill the frame downwards from
; Ebp (TrEbp) to SegGs (TrSegGs); the debug area below that is reserved with SUB.
extern KiServiceExitDeliverApc
global KiTrapCommon
KiTrapCommon:
    push ebx
    push esi
    push edi
    push fs
    mov ebx, KGDT_R0_PCR
    mov fs, bx
    push dword [fs:PcExceptionList]
    sub esp, 4                          ; PreviousPreviousMode: system calls only
    push eax
    push ecx
    push edx
    push ds
    push es
    push gs
    sub esp, TrDebugAreaLength
    mov ebx, KGDT_R3_DATA | RPL_MASK
    mov ds, bx
    mov es, bx
    cld

    ; The vector sits where EBP belongs: take it out, put EBP in.
    mov ecx, [esp + TrEbp]
    mov [esp + TrEbp], ebp

    ; Make the frame look like a call from the trapping instruction, so that a
    ; stack walk from here goes on through the interrupted code.
    mov [esp + TrDbgEbp], ebp
    mov eax, [esp + TrEip]
    mov [esp + TrDbgEip], eax
    mov ebp, esp

    push ecx                            ; Vector
    push ebp                            ; TrapFrame
    call KiDispatchTrap
    add esp, 8

    ; Back to ring 3: a pending user APC is delivered first, as at the end of a
    ; system service (NT's interrupt exit does the same). A thread that spins in
    ; user mode is reached this way by the clock, so NtTerminateThread's user APC
    ; ends it even if it never calls the kernel.
.user_apcs:
    test byte [ebp + TrSegCs], MODE_MASK
    jz KiTrapExit
    cli
    mov ebx, [fs:PcCurrentThread]
    cmp byte [ebx + ThUserApcPending], 0
    je KiTrapExit
    push ebp
    call KiServiceExitDeliverApc
    add esp, 4
    jmp .user_apcs

; Restores the machine state from the KTRAP_FRAME at EBP and returns to it.
global KiTrapExit
KiTrapExit:
    mov esp, ebp
    add esp, TrDebugAreaLength
    pop gs
    pop es
    pop ds
    pop edx
    pop ecx
    pop eax
    add esp, 4                          ; PreviousPreviousMode
    pop dword [fs:PcExceptionList]
    pop fs
    pop edi
    pop esi
    pop ebx
    pop ebp
    add esp, 4                          ; error code
    iretd

; The address of each stub, indexed by vector: KiInitializeIdt reads this.
section .rodata
align 4
global KiTrapStubTable
KiTrapStubTable:
%assign vector 0
%rep 256
    dd KiTrapStub %+ vector
%assign vector vector + 1
%endrep

; cbdisp.asm - KiUserCallbackDispatcher: where the kernel enters user mode to call
; a function of the process (KeUserModeCallback, kernel/ke/i386/usercall.c).
;
; The function is entry ApiNumber of PEB->KernelCallbackTable (user32 fills that
; table in NT; the kernel only passes the index). The kernel leaves on the user
; stack, with the input buffer copied just above:
;   [esp + 0]  InputBuffer
;   [esp + 4]  InputLength
;   [esp + 8]  ApiNumber
; (This kernel's order. NT XP's frame is [esp+4] ApiNumber, [esp+8] InputBuffer,
; [esp+0Ch] InputLength, and its dispatcher starts with add esp, 4 / pop edx; here
; the two arguments are already in place for the call, so the index is read from
; above them.) The function is stdcall (InputBuffer, InputLength) -> NTSTATUS and
; pops both; its status goes back with NtCallbackReturn(NULL, 0, Status), which
; resumes the kernel inside KeUserModeCallback. (XP does the same with INT 2Bh,
; ECX = EDX = 0, EAX = status: the kernel offers both, kernel/ke/i386/syscall.c.)

bits 32
section .text

global _KiUserCallbackDispatcher
extern _NtCallbackReturn@12, _RtlRaiseStatus@4

PEB_KERNEL_CALLBACK_TABLE equ 2Ch   ; PEB.KernelCallbackTable (NT's offset)
TEB_PEB                   equ 30h   ; TEB.ProcessEnvironmentBlock
TEB_SELF                  equ 18h   ; NT_TIB.Self: the TEB's flat address

align 16
_KiUserCallbackDispatcher:
    mov edx, [esp + 8]              ; ApiNumber
    mov eax, [fs:TEB_SELF]          ; the TEB
    mov eax, [eax + TEB_PEB]        ; the PEB
    mov eax, [eax + PEB_KERNEL_CALLBACK_TABLE]
    call [eax + edx * 4]            ; Function(InputBuffer, InputLength)
    push eax                        ; Status
    push 0                          ; OutputLength
    push 0                          ; OutputBuffer
    call _NtCallbackReturn@12       ; does not return while a callback is active
    ; It came back: no callback was active (EAX = STATUS_NO_CALLBACK_ACTIVE), or
    ; the kernel refused. NT raises that status, non-continuable, at this point.
    push eax
    call _RtlRaiseStatus@4          ; does not return

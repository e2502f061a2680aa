; recovery.asm - the two halves of a kernel fault-recovery block (see ketypes.h,
; KFAULT_RECOVERY). They are assembly because they save and restore the stack and
; the callee-saved registers, which C cannot do for itself.

%include "asmdefs.inc"

section .text

; ULONG KiSetFaultRecovery(PKFAULT_RECOVERY Recovery)
; Saves the caller's context in the record, links it at the head of the KPCR's
; exception list and returns 0. KiResumeFaultRecovery returns here again with 1.
global KiSetFaultRecovery
KiSetFaultRecovery:
    mov eax, [esp + 4]
    mov [eax + FrEbx], ebx
    mov [eax + FrEsi], esi
    mov [eax + FrEdi], edi
    mov [eax + FrEbp], ebp
    lea ecx, [esp + 4]                  ; ESP once this function has returned
    mov [eax + FrEsp], ecx
    mov ecx, [esp]
    mov [eax + FrEip], ecx
    pushfd
    pop dword [eax + FrEFlags]
    mov dword [eax + FrHandler], KiSetFaultRecovery
    mov ecx, [fs:PcExceptionList]
    mov [eax + FrNext], ecx
    mov [fs:PcExceptionList], eax
    xor eax, eax
    ret

; VOID KiResumeFaultRecovery(PKFAULT_RECOVERY Recovery)
; Unlinks the record and continues after its KiSetFaultRecovery call, returning 1,
; on the stack and with the interrupt flag it had then. Whatever the stack held
; below that point (a trap frame, the frames of the functions that faulted) is
; abandoned, as an __except abandons the frames it unwinds.
global KiResumeFaultRecovery
KiResumeFaultRecovery:
    mov edx, [esp + 4]
    mov ecx, [edx + FrNext]
    mov [fs:PcExceptionList], ecx
    mov ebx, [edx + FrEbx]
    mov esi, [edx + FrEsi]
    mov edi, [edx + FrEdi]
    mov ebp, [edx + FrEbp]
    mov esp, [edx + FrEsp]
    push dword [edx + FrEFlags]
    popfd
    mov eax, 1
    jmp [edx + FrEip]

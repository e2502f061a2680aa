; starthigh.asm - the kernel's first instructions at their linked (high) address.
;
; entry.asm turned paging on with low memory mapped twice, at 0 and at KSEG0_BASE,
; and jumped here; ESI = Multiboot magic, EDI = Multiboot information (physical).
; (A file of its own: one NASM object holding both the physical .boot code and
; this high code gives gdb debug information it cannot read.)

%include "asmdefs.inc"

extern KiInitializeKernel
extern KiBootPageDirectory, KiBootStackBase

section .text
global KiSystemStartupHigh
KiSystemStartupHigh:
    ; Nothing below KSEG0_BASE is needed any more: drop the identity map.
    mov ebx, KiBootPageDirectory
    xor ecx, ecx
.drop_identity:
    mov dword [ebx + ecx * 4], 0
    inc ecx
    cmp ecx, BOOT_PAGE_TABLES
    jb .drop_identity
    mov eax, cr3
    mov cr3, eax                        ; flush the identity translations

    mov esp, KiBootStackBase
    xor ebp, ebp                        ; ends every backtrace
    push edi                            ; Multiboot information (physical)
    push esi                            ; Multiboot magic
    call KiInitializeKernel             ; does not return

.hang:
    cli
    hlt
    jmp .hang

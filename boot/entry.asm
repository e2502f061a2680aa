; entry.asm - the Multiboot header and the first instructions of the kernel.
;
; GRUB's 'multiboot' command and QEMU's -kernel both load the image at physical
; 0x100000 and jump to the ELF entry with paging off, EAX = the Multiboot magic and
; EBX = the physical address of the Multiboot information. KiSystemStartup lives in
; .boot, linked at its physical address (see kernel.ld); everything else is linked
; at KSEG0_BASE and up, so until paging is on, every address of the kernel proper
; that this code uses has KSEG0_BASE taken off.
;
; It then (NT: KiSystemStartup)
;   1. zeroes .bss (the loader may not) and reads the TSC for the boot benchmark,
;   2. builds the boot page directory: the first BOOT_MAPPED_SIZE of physical memory
;      mapped both at 0 (so the next instruction still exists after paging is on)
;      and at KSEG0_BASE, plus the self-map entry at PDE 0x300,
;   3. turns on paging with CR0.WP (ring 0 honours read-only pages),
;   4. jumps to the high half (starthigh.asm), which drops the identity map and
;      calls KiInitializeKernel.

%include "asmdefs.inc"

MULTIBOOT_FLAGS equ 0x00000003          ; bit 0: page-align modules; bit 1: memory info

section .multiboot
align 4
    dd MULTIBOOT_HEADER_MAGIC
    dd MULTIBOOT_FLAGS
    dd -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_FLAGS)

section .bss
align 4096
global KiBootPageDirectory
KiBootPageDirectory:    resb 4096
KiBootPageTables:       resb 4096 * BOOT_PAGE_TABLES
align 16
global KiBootStackLimit, KiBootStackBase
KiBootStackLimit:       resb KERNEL_STACK_SIZE
KiBootStackBase:

section .data
align 8
global KiBootTsc
KiBootTsc:              dq 0            ; TSC at the first instruction (make bench)

section .boot progbits alloc exec nowrite align=16
extern KiSystemStartupHigh
extern __bss_start, __bss_end
global KiSystemStartup
KiSystemStartup:
    cli
    cld
    mov esi, eax                        ; Multiboot magic
    mov edi, ebx                        ; Multiboot information (physical)

    ; Under QEMU -icount the TSC counts instructions: this is "reset to entry".
    rdtsc
    mov [KiBootTsc - KSEG0_BASE], eax
    mov [KiBootTsc - KSEG0_BASE + 4], edx

    ; 1. .bss is zero by contract of the C code, whoever loaded us.
    mov edx, edi
    mov edi, __bss_start - KSEG0_BASE
    mov ecx, __bss_end - KSEG0_BASE
    sub ecx, edi
    shr ecx, 2
    xor eax, eax
    rep stosd
    mov edi, edx

    ; 2a. The page tables: entry i maps physical page i, present and writable.
    mov ebx, KiBootPageTables - KSEG0_BASE
    mov ecx, BOOT_PAGE_TABLES * 1024
    mov eax, PTE_PRESENT | PTE_WRITE
.fill_pte:
    mov [ebx], eax
    add ebx, 4
    add eax, 4096
    loop .fill_pte

    ; 2b. The directory: each table at PDE i (identity) and PDE 0x200 + i (KSEG0).
    mov ebx, KiBootPageDirectory - KSEG0_BASE
    mov eax, (KiBootPageTables - KSEG0_BASE) + (PTE_PRESENT | PTE_WRITE)
    xor ecx, ecx
.fill_pde:
    mov [ebx + ecx * 4], eax
    mov [ebx + ecx * 4 + (KSEG0_BASE >> 22) * 4], eax
    add eax, 4096
    inc ecx
    cmp ecx, BOOT_PAGE_TABLES
    jb .fill_pde

    ; 2c. The self-map: the directory is its own page table for 0xC0000000.
    mov eax, ebx
    or eax, PTE_PRESENT | PTE_WRITE
    mov [ebx + PDE_SELFMAP_INDEX * 4], eax

    ; 3. Paging on.
    mov cr3, ebx
    mov eax, cr0
    or eax, CR0_PG | CR0_WP
    mov cr0, eax

    ; 4. Into the high half (starthigh.asm).
    mov eax, KiSystemStartupHigh
    jmp eax

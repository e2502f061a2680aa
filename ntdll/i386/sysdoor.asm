; sysdoor.asm - the two doors into the kernel. Every NtXxx/ZwXxx stub
; (build/gen/ntstubs.asm: mov eax, N / mov edx, 7FFE0300h / call [edx] / ret 4*argc)
; calls through SharedUserData->SystemCall, which the kernel sets at boot to one of
; these, found by name in this DLL's exports: KiFastSystemCall when the processor
; has SYSENTER, KiIntSystemCall otherwise. The bytes are NT's (XP and later).
;
; At the door, [esp] is the stub's return address (into the stub, before its
; `ret N`) and [esp+4] the caller's return address; the service's arguments start
; at [esp+8]. Both doors hand the kernel EAX = service number and EDX = a pointer
; from which it finds them.

bits 32
section .text

global _KiFastSystemCall, _KiFastSystemCallRet, _KiIntSystemCall

; SYSENTER saves nothing: EDX = ESP tells the kernel where the user stack is
; ([edx+8] the arguments). The kernel returns with SYSEXIT to the address in
; SharedUserData->SystemCallReturn, which it sets to KiFastSystemCallRet.
align 16
; `mov edx, esp` has two encodings: NASM picks 89 E2 (MOV r/m32, r32), NT's
; assembler the other, 8B D4 (MOV r32, r/m32). NT's bytes are written out, since
; tools (debuggers, hook checks) recognise the door by them.
_KiFastSystemCall:
    db 0x8B, 0xD4               ; mov edx, esp
    sysenter                    ; 0F 34

; SYSEXIT lands here with ESP as it was at the SYSENTER: back into the stub.
_KiFastSystemCallRet:
    ret                         ; C3

; INT 2Eh pushes its own return frame, so EDX must point past the two return
; addresses already on the stack: the arguments.
align 16
_KiIntSystemCall:
    lea edx, [esp + 8]          ; 8D 54 24 08
    int 0x2E                    ; CD 2E
    ret                         ; C3

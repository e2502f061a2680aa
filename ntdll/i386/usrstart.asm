; usrstart.asm - RtlUserThreadStart, where every thread's user-mode code begins
; (NT 6), and RtlExitUserThread, how it ends.
;
; The kernel gives a new thread the CONTEXT EIP = RtlUserThreadStart, EAX = the
; start routine, EBX = its parameter (kernel/ps/create.c), and runs the loader
; first (LdrInitializeThunk, through the start APC). For a process's first thread
; the routine is the image's entry point and the parameter the PEB, as NT passes
; them. A thread routine is __stdcall with one argument; an exe's entry point is
; called the same way (mainCRTStartup ignores it; the stack is not used after).
; What the routine returns is the thread's exit status.

bits 32
section .text

global _RtlUserThreadStart
extern _RtlExitUserThread@4

align 16
_RtlUserThreadStart:
    xor ebp, ebp                ; the outermost frame: stack walks end here
    push ebx                    ; Parameter
    call eax                    ; StartAddress(Parameter)
    push eax                    ; its result is the exit status
    call _RtlExitUserThread@4
    ud2                         ; not reached: the thread has ended

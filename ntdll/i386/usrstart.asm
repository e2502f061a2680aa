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

global _RtlUserThreadStart, _RtlExitUserThread@4
extern _NtTerminateThread@8

align 16
_RtlUserThreadStart:
    xor ebp, ebp                ; the outermost frame: stack walks end here
    push ebx                    ; Parameter
    call eax                    ; StartAddress(Parameter)
    push eax                    ; its result is the exit status
    call _RtlExitUserThread@4
    ud2                         ; not reached: the thread has ended

; VOID NTAPI RtlExitUserThread(NTSTATUS ExitStatus). The thread ends; the last one
; ends its process with this status (the kernel's rule, NT's too). The loader's
; DLL_THREAD_DETACH calls come here with the loader (LdrShutdownThread).
align 16
_RtlExitUserThread@4:
    mov eax, [esp + 4]
    push eax                    ; ExitStatus
    push -2                     ; NtCurrentThread()
    call _NtTerminateThread@8
    ud2                         ; not reached

; syscall.asm - entering and leaving the kernel for a system service
; (NT: KiSystemService, KiFastCallEntry, KiServiceExit, KiCallbackReturn).
;
; Two doors, one room. INT 2E (KiSystemService; also the kernel's own ZwXxx stubs,
; which fake the same frame with pushfd / push cs / call) and SYSENTER
; (KiFastCallEntry) both build the same KTRAP_FRAME and meet in
; KiSystemServiceDispatch:
;     EAX = service number: bits 12-13 pick the table, bits 0-11 the service;
;     EDX = the caller's arguments (on the user stack for user callers);
;     the service's argument bytes are copied to the kernel stack and it is called;
;     its status comes back in EAX.
; The way out, KiServiceExit, delivers pending user APCs, checks that the service
; left IRQL at PASSIVE_LEVEL with no APC-disable held (a bugcheck names it if not),
; and returns with SYSEXIT - unless the frame must be restored in full (edited by
; NtContinue, a user APC or a callback, or single-stepping, or a kernel caller), or
; SYSENTER is off (no SEP, or /NOSYSENTER: the MSRs SYSEXIT needs are not set):
; then IRETD.
;
; A fault while copying the arguments (a bad user pointer) is not recovered by a
; fault-recovery block - nothing is set up on this hot path. Instead the page-fault
; handler recognises the faulting instruction, KiSystemServiceCopyArguments, and
; resumes at KiSystemServiceAccessViolation, as NT's KiTrap0E does.

%include "asmdefs.inc"

extern KiTraceSystemCall, KdSystemCallTrace
extern KiServiceExitDeliverApc, KiServiceExitCheckFailed
extern KiCallbackReturnFromUser
extern KiFastSystemCallEnabled

; The part of the KTRAP_FRAME every entry pushes below what the processor (or
; the SYSENTER door) pushed: the error-code slot (0: not edited), the callee-saved
; registers, and FS, which then points at the KPCR.
%macro PUSH_NONVOLATILE_AND_LOAD_PCR 0
    push 0
    push ebp
    push ebx
    push esi
    push edi
    push fs
    mov ebx, KGDT_R0_PCR
    mov fs, bx
%endmacro

; The rest of the frame and the thread's bookkeeping (NT: ENTER_SYSCALL): the
; exception list, PreviousPreviousMode, the caller's volatile registers and data
; segments, kernel DS/ES, PreviousMode from CS, the thread's previous trap frame
; kept in the frame. Leaves EBP = the frame, ESI = the current thread, interrupts on.
;
; EAX, ECX, EDX, DS, ES and GS are saved although a service may clobber the
; volatile ones, because the frame is restored whole whenever the exit takes
; IRETD (INT 2E without SYSEXIT, /NOSYSENTER, edited frames) and is read whole by
; KeTrapFrameToContext (user APCs, exceptions, NtGetContextThread) and copied by
; KeUserModeCallback: a slot left unwritten holds whatever the kernel stack last
; held there - in a callback, where the frame lies over the kernel's old call
; frames, a stack address, which the exit's POP GS then loaded as a selector.
%if TrEax != TrPreviousPreviousMode - 4 || TrEcx != TrEax - 4 || TrEdx != TrEcx - 4 || TrSegDs != TrEdx - 4 || TrSegEs != TrSegDs - 4 || TrSegGs != TrSegEs - 4
%error "ENTER_SYSCALL_FRAME pushes Eax..SegGs in KTRAP_FRAME order"
%endif
%macro ENTER_SYSCALL_FRAME 0
    push dword [fs:PcExceptionList]
    mov dword [fs:PcExceptionList], EXCEPTION_CHAIN_END
    mov esi, [fs:PcCurrentThread]
    movzx ebx, byte [esi + ThPreviousMode]
    push ebx                            ; PreviousPreviousMode
    push eax                            ; Eax: the service number, the status later
    push ecx
    push edx
    push ds                             ; the caller's, before the kernel's go in
    push es
    push gs
    sub esp, TrSegGs                    ; DbgEbp..Dr7: filled below or not needed
    mov ebp, esp
    mov ebx, KGDT_R3_DATA | RPL_MASK    ; a caller may have loaded anything in DS/ES
    mov ds, bx
    mov es, bx
    mov ebx, [ebp + TrSegCs]
    and ebx, MODE_MASK
    mov [esi + ThPreviousMode], bl
    mov ebx, [esi + ThTrapFrame]
    mov [ebp + TrSavedTrapFrame], ebx
    mov [esi + ThTrapFrame], ebp
    mov [ebp + TrServiceNumber], eax
    mov [ebp + TrDbgArgPointer], edx
    mov ebx, [ebp + TrEbp]              ; look like a call frame to a stack walk
    mov [ebp + TrDbgEbp], ebx
    mov ebx, [ebp + TrEip]
    mov [ebp + TrDbgEip], ebx
    cld
    sti
%endmacro

section .text

; ---- the doors ----

; INT 2E. The processor pushed [SS, ESP,] EFLAGS, CS, EIP; interrupts are off.
global KiSystemService
KiSystemService:
    PUSH_NONVOLATILE_AND_LOAD_PCR
    jmp KiSystemServiceCommon

; SYSENTER from ntdll!KiFastSystemCall (mov edx, esp; sysenter): CS = 0x08,
; SS = 0x10, ESP = this thread's TSS.Esp0 (KiPrepareSwitch keeps the MSR equal),
; interrupts off. Nothing of the user's state is on the stack yet: build the part
; INT would have pushed. The return EIP is KiFastSystemCallRet, from
; SharedUserData->SystemCallReturn, as in NT.
global KiFastCallEntry
KiFastCallEntry:
    push KGDT_R3_DATA | RPL_MASK        ; SS
    push edx                            ; ESP: [edx] is the stub's return address
    pushfd
    or dword [esp], EFLAGS_IF           ; user mode always runs with interrupts on
KiFastCallEntryCommon:
    push 2                              ; SYSENTER leaves the user's flags: clear them
    popfd                               ; (NT set would make the exit's IRETD a task return)
    push KGDT_R3_CODE | RPL_MASK        ; CS
    push dword [KI_USER_SHARED_DATA + UsSystemCallReturn]   ; EIP
    add edx, 8                          ; the arguments: past two return addresses
    PUSH_NONVOLATILE_AND_LOAD_PCR
    jmp KiSystemServiceCommon

; The single-step trap a SYSENTER with EFLAGS.TF set raises at KiFastCallEntry's
; first instruction is sent here (trap.c): the same, with TF kept in the saved
; EFLAGS, so the exit goes through IRETD and the user's single-step carries on.
global KiFastCallEntryWithSingleStep
KiFastCallEntryWithSingleStep:
    push KGDT_R3_DATA | RPL_MASK
    push edx
    pushfd
    or dword [esp], EFLAGS_IF | EFLAGS_TF
    jmp KiFastCallEntryCommon

; ---- the room ----

KiSystemServiceCommon:
    ENTER_SYSCALL_FRAME

; EAX = service number, EDX = arguments, ESI = current thread, EBP = trap frame.
global KiSystemServiceDispatch
KiSystemServiceDispatch:
    mov edi, eax
    shr edi, SERVICE_TABLE_SHIFT - 4    ; table index * 16 (the descriptor size)
    and edi, SERVICE_TABLE_MASK << 4
    add edi, [esi + ThServiceTable]
    and eax, SERVICE_NUMBER_MASK
    cmp eax, [edi + SdLimit]
    jae KiSystemServiceInvalid
    mov ecx, [edi + SdNumber]
    movzx ecx, byte [ecx + eax]         ; argument bytes
    mov ebx, [edi + SdBase]
    mov ebx, [ebx + eax * 4]            ; the service
    test byte [ebp + TrSegCs], MODE_MASK
    jz .copy
    cmp edx, MM_USER_PROBE_ADDRESS      ; the caller's arguments must be user memory
    jae KiSystemServiceAccessViolation
.copy:
    mov esi, edx
    sub esp, ecx
    mov edi, esp
    shr ecx, 2
global KiSystemServiceCopyArguments
KiSystemServiceCopyArguments:
    rep movsd
    call ebx

; EAX = status. (Services are cdecl or stdcall alike: ESP is reset from EBP.)
global KiSystemServiceReturn
KiSystemServiceReturn:
    mov esp, ebp
    cmp byte [KdSystemCallTrace], 0
    jne KiSystemServiceTrace

global KiServiceExit
KiServiceExit:
    mov [ebp + TrEax], eax

; Leave through the frame at EBP; the status is in TrEax. Also the way out of
; NtContinue and of a callback's entry into user mode (frames marked edited).
global KiServiceExit2
KiServiceExit2:
    cli
    test byte [ebp + TrSegCs], MODE_MASK
    jz .restore_thread
.user_apcs:
    mov ebx, [fs:PcCurrentThread]
    cmp byte [ebx + ThUserApcPending], 0
    jne .deliver_user_apc
    cmp byte [fs:PcIrql], PASSIVE_LEVEL
    jne .check_failed
    cmp dword [ebx + ThKernelApcDisable], 0
    jne .check_failed
.restore_thread:
    mov ebx, [fs:PcCurrentThread]
    mov edx, [ebp + TrSavedTrapFrame]
    mov [ebx + ThTrapFrame], edx
    mov dl, [ebp + TrPreviousPreviousMode]
    mov [ebx + ThPreviousMode], dl
    mov edx, [ebp + TrExceptionList]
    mov [fs:PcExceptionList], edx
    test byte [ebp + TrSegCs], MODE_MASK
    jz .iret_kernel
    test dword [ebp + TrEFlags], EFLAGS_TF
    jnz .iret_user
    cmp dword [ebp + TrErrCode], 0
    jne .iret_user
    cmp byte [KiFastSystemCallEnabled], 0   ; no SYSENTER MSRs: SYSEXIT would fault
    je .iret_user

    ; SYSEXIT: EDX = user EIP, ECX = user ESP; CS/SS come from SYSENTER_CS.
    mov edi, [ebp + TrEdi]
    mov esi, [ebp + TrEsi]
    mov ebx, [ebp + TrEbx]
    mov ecx, [ebp + TrSegFs]
    mov fs, cx
    mov edx, [ebp + TrEip]
    mov ecx, [ebp + TrHardwareEsp]
    mov eax, [ebp + TrEax]
    mov ebp, [ebp + TrEbp]
    sti                                 ; takes effect after SYSEXIT: no window
    sysexit

.iret_user:
    ; Every register from the frame (it may have been edited as a whole).
    mov esp, ebp
    add esp, TrSegGs
    pop gs
    pop es
    pop ds
    pop edx
    pop ecx
    pop eax
    add esp, 8                          ; PreviousPreviousMode, ExceptionList (done)
    pop fs
    pop edi
    pop esi
    pop ebx
    pop ebp
    add esp, 4                          ; ErrCode
    iretd

.iret_kernel:
    ; Back to a kernel caller (a ZwXxx stub): same ring, no ESP/SS in the frame.
    mov esp, ebp
    mov eax, [ebp + TrEax]
    add esp, TrSegFs
    pop fs
    pop edi
    pop esi
    pop ebx
    pop ebp
    add esp, 4
    iretd

.deliver_user_apc:
    push ebp                            ; C: raise to APC_LEVEL, deliver, lower
    call KiServiceExitDeliverApc
    add esp, 4
    cli
    jmp .user_apcs

.check_failed:
    push ebp
    call KiServiceExitCheckFailed       ; does not return: a bugcheck naming the service

KiSystemServiceTrace:
    push eax
    push eax                            ; Status
    push dword [ebp + TrDbgArgPointer]  ; the caller's arguments
    push dword [ebp + TrServiceNumber]
    call KiTraceSystemCall
    add esp, 12
    pop eax
    jmp KiServiceExit

global KiSystemServiceAccessViolation
KiSystemServiceAccessViolation:
    mov eax, STATUS_ACCESS_VIOLATION
    jmp KiSystemServiceReturn

KiSystemServiceInvalid:
    mov eax, STATUS_INVALID_SYSTEM_SERVICE
    jmp KiSystemServiceReturn

; ---- INT 2B: the end of a user-mode callback (NT: KiCallbackReturn) ----
; EAX = status, ECX = output buffer, EDX = output length, as ntdll's
; KiUserCallbackDispatcher leaves them. Enters like a system service (so that a
; failure can return to the caller of INT 2B with a status) and hands over to C.
global KiCallbackReturn
KiCallbackReturn:
    PUSH_NONVOLATILE_AND_LOAD_PCR
    ENTER_SYSCALL_FRAME
    push eax                            ; Status
    push edx                            ; OutputLength
    push ecx                            ; OutputBuffer
    call KiCallbackReturnFromUser       ; returns only when no callback is active
    jmp KiSystemServiceReturn

; ---- entering user mode ----

; VOID KiEnterUserMode(PKTRAP_FRAME TrapFrame): leaves the kernel through the
; frame (a new thread's first entry to user mode, a callback's). Does not return.
global KiEnterUserMode
KiEnterUserMode:
    mov ebp, [esp + 4]
    jmp KiServiceExit2

; NTSTATUS KiCallUserMode(PKTRAP_FRAME CallbackFrame, PKCALLOUT Callout)
; Saves this kernel context (the callee-saved registers, then ESP in the callout,
; which KiCallUserModePrepare chains from KTHREAD.CallbackStack), enters user mode
; through CallbackFrame, and "returns" when NtCallbackReturn unwinds to the callout
; (KiCallbackUnwind) with the callback's status.
extern KiCallUserModePrepare
global KiCallUserMode
KiCallUserMode:
    push ebp
    push ebx
    push esi
    push edi
    mov eax, esp
    push eax                            ; SavedEsp
    push dword [esp + 28]               ; Callout (2nd argument)
    call KiCallUserModePrepare
    add esp, 8
    mov ebp, [esp + 20]                 ; CallbackFrame (1st argument)
    jmp KiServiceExit2

; VOID KiCallbackUnwind(ULONG SavedEsp, NTSTATUS Status): back into KiCallUserMode's
; frame, returning Status to its caller (which runs with interrupts on).
global KiCallbackUnwind
KiCallbackUnwind:
    mov eax, [esp + 8]
    mov esp, [esp + 4]
    pop edi
    pop esi
    pop ebx
    pop ebp
    sti
    ret

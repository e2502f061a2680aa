; exctest.asm - a ring-3 program for the user-exception self-tests
; (tests/kernel/kiexcept.c).
;
; Assembled flat (-f bin), loaded at 0x00400000 in a scratch address space that
; also holds the real ntdll.dll (at 0x7C900000), a TEB (fs) whose NT_TIB names the
; stack, and a page for results. Exceptions go the whole NT way: the kernel's
; KiDispatchException, ntdll's KiUserExceptionDispatcher and RtlDispatchException,
; the SEH records this program pushes on fs:[0], its vectored handlers.
;
; The harness writes the addresses of the ntdll exports it uses into the import
; table at 0x00400010 (as a loader would). EBX at entry selects the test; results
; go to the RESULTS page at the indexes kiexcept.c reads (R_*, ROW_*). The program
; ends through the test service KxtExit (or, in the tests of ending, does not).

bits 32
org 0x00400000

RESULTS     equ 0x00410000
GUARD_PAGE  equ 0x00430000              ; mapped PAGE_READWRITE | PAGE_GUARD by the harness
UNMAPPED_STACK equ 0x00500000           ; nothing there
SHARED_SYSCALL equ 0x7FFE0300           ; SharedUserData->SystemCall (ntdll's door)
KXT_EXIT    equ 0x3000                  ; the test table's one service

; Result slots (dwords)
R_DONE      equ 0       ; 0x600D when the test ran to its end
R_STAGE     equ 1       ; how far a test that must not end got
R_VEH_LOG   equ 2       ; which vectored handler ran, in order (8 slots)
R_VEH_COUNT equ 10
R_VEH_HANDLE1 equ 11
R_VEH_HANDLE2 equ 12
R_VEH_REMOVE1 equ 13    ; RtlRemoveVectoredExceptionHandler results
R_VEH_REMOVE2 equ 14
R_VEH_REMOVE_AGAIN equ 15
R_SEH_CALLS equ 16
R_BAD_RECORD equ 17     ; NtRaiseException with a bad record pointer
R_BAD_CONTEXT equ 18    ; ... a bad CONTEXT pointer
R_TOO_MANY  equ 19      ; ... NumberParameters 16
R_BENCH     equ 24      ; cycles for BENCH_LOOPS handled INT 3s, then the empty loop
R_BENCH_EMPTY equ 25
ROWS        equ 32      ; one row of ROW_SIZE dwords per fault of test 0

; A row: written by the program before the fault ([0], [1]) and by its SEH handler.
ROW_SIZE    equ 10
ROW_AT      equ 0       ; the faulting instruction
ROW_ESP     equ 1       ; ESP at it
ROW_CODE    equ 2       ; ExceptionCode
ROW_ADDRESS equ 3       ; ExceptionAddress
ROW_NPARAMS equ 4
ROW_P0      equ 5
ROW_P1      equ 6
ROW_CTX_EIP equ 7       ; CONTEXT.Eip
ROW_CTX_ESP equ 8
ROW_CTX_EFLAGS equ 9

; CONTEXT and EXCEPTION_RECORD offsets (include/nt/context.h, ntexcept.h)
CsEip       equ 0B8h
CsEFlags    equ 0C0h
CsEsp       equ 0C4h
ErCode      equ 00h
ErAddress   equ 0Ch
ErNParams   equ 10h
ErInfo      equ 14h

BENCH_LOOPS equ 100

%macro RESULT 2                         ; RESULT slot, value
    mov dword [RESULTS + (%1) * 4], %2
%endmacro

start:
    jmp entry
align 16
imports:                                ; filled in by the harness, in this order
RtlAddVectoredExceptionHandler:     dd 0
RtlRemoveVectoredExceptionHandler:  dd 0
RtlRaiseException:                  dd 0
NtRaiseException:                   dd 0

entry:
    cmp ebx, 0
    je test_faults
    cmp ebx, 1
    je test_vectored
    cmp ebx, 2
    je test_raise
    cmp ebx, 3
    je test_unhandled
    cmp ebx, 4
    je test_bad_stack
    cmp ebx, 5
    je test_bench
    push 0xBADBAD
    call KxtExit

finish:
    RESULT R_DONE, 0x600D
    push 0
    call KxtExit

KxtExit:                                ; (Status): the test service, never returns
    mov eax, KXT_EXIT
    mov edx, SHARED_SYSCALL
    call [edx]
    ret 4

; ---------------------------------------------------------------- the SEH handler
; cdecl (ExceptionRecord, EstablisherFrame, ContextRecord, DispatcherContext).
; Fills the current row from the record and the CONTEXT, then continues at
; resume_eip (or where the CONTEXT says, when that is 0).
seh_handler:
    push ebx
    push esi
    push edi
    inc dword [RESULTS + R_SEH_CALLS * 4]
    mov esi, [esp + 16]                 ; ExceptionRecord
    mov edi, [esp + 24]                 ; ContextRecord
    mov ebx, [current_row]
    mov eax, [esi + ErCode]
    mov [ebx + ROW_CODE * 4], eax
    mov eax, [esi + ErAddress]
    mov [ebx + ROW_ADDRESS * 4], eax
    mov eax, [esi + ErNParams]
    mov [ebx + ROW_NPARAMS * 4], eax
    mov eax, [esi + ErInfo]
    mov [ebx + ROW_P0 * 4], eax
    mov eax, [esi + ErInfo + 4]
    mov [ebx + ROW_P1 * 4], eax
    mov eax, [edi + CsEip]
    mov [ebx + ROW_CTX_EIP * 4], eax
    mov eax, [edi + CsEsp]
    mov [ebx + ROW_CTX_ESP * 4], eax
    mov eax, [edi + CsEFlags]
    mov [ebx + ROW_CTX_EFLAGS * 4], eax
    mov eax, [resume_eip]
    test eax, eax
    jz .as_is
    mov [edi + CsEip], eax              ; the fix-up: go on past the fault
.as_is:
    xor eax, eax                        ; ExceptionContinueExecution
    pop edi
    pop esi
    pop ebx
    ret

%macro PUSH_SEH 0                       ; an EXCEPTION_REGISTRATION_RECORD on the stack
    push seh_handler
    push dword [fs:0]
    mov [fs:0], esp
%endmacro

%macro POP_SEH 0
    mov eax, [esp]
    mov [fs:0], eax
    add esp, 8
%endmacro

; FAULT row, instruction: the instruction faults; the handler fills the row and
; the program goes on after it.
%macro FAULT 2+
    mov dword [current_row], RESULTS + (ROWS + (%1) * ROW_SIZE) * 4
    mov dword [RESULTS + (ROWS + (%1) * ROW_SIZE + ROW_AT) * 4], %%at
    mov [RESULTS + (ROWS + (%1) * ROW_SIZE + ROW_ESP) * 4], esp
    mov dword [resume_eip], %%resume
%%at:
    %2
%%resume:
%endmacro

; ---------------------------------------------------------------- test 0
; Each kind of fault reaches the SEH handler with NT's code and parameters.
test_faults:
    PUSH_SEH
    FAULT 0, mov eax, [0x00000010]      ; read of the null page
    FAULT 1, mov dword [0x00000020], 1  ; write to it
    xor ecx, ecx
    FAULT 2, div ecx
    FAULT 3, ud2
    FAULT 4, hlt
    FAULT 5, cli
    FAULT 6, int 0x80                   ; a DPL 0 gate: #GP, not privileged
    FAULT 7, int3
    mov al, 0x7F
    add al, 1                           ; OF set
    FAULT 8, into
    mov eax, 20
    FAULT 9, bound eax, [bound_pair]
    FAULT 10, mov eax, [GUARD_PAGE]
    mov eax, [GUARD_PAGE]               ; the guard is gone: an ordinary read now
    mov edx, 0x80
    FAULT 12, in al, dx
    ; Single step: POPFD sets TF, the trap comes after the next instruction.
    mov dword [current_row], RESULTS + (ROWS + 11 * ROW_SIZE) * 4
    mov dword [RESULTS + (ROWS + 11 * ROW_SIZE + ROW_AT) * 4], .stepped
    mov dword [resume_eip], .stepped
    pushfd
    or dword [esp], 0x100
    mov [RESULTS + (ROWS + 11 * ROW_SIZE + ROW_ESP) * 4], esp
    add dword [RESULTS + (ROWS + 11 * ROW_SIZE + ROW_ESP) * 4], 4
    popfd
    nop
.stepped:
    POP_SEH
    jmp finish

; ---------------------------------------------------------------- test 1
; Vectored handlers: run before the SEH chain, in list order (FirstHandler at the
; head), EXCEPTION_CONTINUE_EXECUTION resumes at the edited CONTEXT; removed ones
; no longer run.
vh_first:                               ; stdcall (EXCEPTION_POINTERS *)
    mov eax, [veh_log]
    mov dword [eax], 1
    add dword [veh_log], 4
    inc dword [RESULTS + R_VEH_COUNT * 4]
    xor eax, eax                        ; EXCEPTION_CONTINUE_SEARCH
    ret 4

vh_second:
    mov eax, [veh_log]
    mov dword [eax], 2
    add dword [veh_log], 4
    inc dword [RESULTS + R_VEH_COUNT * 4]
    mov eax, [esp + 4]
    mov eax, [eax + 4]                  ; ->ContextRecord
    mov ecx, [resume_eip]
    mov [eax + CsEip], ecx
    mov eax, -1                         ; EXCEPTION_CONTINUE_EXECUTION
    ret 4

test_vectored:
    mov dword [veh_log], RESULTS + R_VEH_LOG * 4
    PUSH_SEH
    push vh_second
    push 0                              ; at the tail
    call [RtlAddVectoredExceptionHandler]
    RESULT R_VEH_HANDLE2, eax
    push vh_first
    push 1                              ; at the head: runs first
    call [RtlAddVectoredExceptionHandler]
    RESULT R_VEH_HANDLE1, eax
    ; first, second: the second continues, the SEH handler never sees it
    FAULT 0, mov eax, [0x00000010]
    ; without the second: first searches on, the SEH handler takes it
    push dword [RESULTS + R_VEH_HANDLE2 * 4]
    call [RtlRemoveVectoredExceptionHandler]
    RESULT R_VEH_REMOVE2, eax
    FAULT 1, mov eax, [0x00000010]
    push dword [RESULTS + R_VEH_HANDLE1 * 4]
    call [RtlRemoveVectoredExceptionHandler]
    RESULT R_VEH_REMOVE1, eax
    push dword [RESULTS + R_VEH_HANDLE1 * 4]
    call [RtlRemoveVectoredExceptionHandler]
    RESULT R_VEH_REMOVE_AGAIN, eax
    ; none left: the SEH handler alone
    FAULT 2, mov eax, [0x00000010]
    POP_SEH
    jmp finish

; ---------------------------------------------------------------- test 2
; RtlRaiseException: a software exception with parameters, continued by the SEH
; handler right after the call. NtRaiseException with bad arguments: a status.
test_raise:
    PUSH_SEH
    mov dword [current_row], RESULTS + (ROWS + 0 * ROW_SIZE) * 4
    mov dword [RESULTS + (ROWS + ROW_AT) * 4], .after_raise
    mov dword [resume_eip], 0           ; continue where the CONTEXT says
    mov [RESULTS + (ROWS + ROW_ESP) * 4], esp
    push raise_record
    call [RtlRaiseException]
.after_raise:
    POP_SEH

    push 1                              ; FirstChance
    push raise_context
    push 0x00000010                     ; a record in the null page
    call [NtRaiseException]
    RESULT R_BAD_RECORD, eax
    push 1
    push 0x00000010                     ; a CONTEXT in the null page
    push raise_record
    call [NtRaiseException]
    RESULT R_BAD_CONTEXT, eax
    push 1
    push raise_context
    push too_many_record
    call [NtRaiseException]
    RESULT R_TOO_MANY, eax
    jmp finish

; ---------------------------------------------------------------- test 3
; No handler anywhere: the second chance ends the program with the code.
test_unhandled:
    RESULT R_STAGE, 1
    xor ecx, ecx
    div ecx
    RESULT R_STAGE, 2                   ; not reached
    jmp finish

; ---------------------------------------------------------------- test 4
; A stack that cannot take the exception frame: the kernel ends the program.
test_bad_stack:
    RESULT R_STAGE, 1
    PUSH_SEH                            ; a handler that never gets the chance
    mov esp, UNMAPPED_STACK
    ud2
    RESULT R_STAGE, 2                   ; not reached
    jmp finish

; ---------------------------------------------------------------- test 5
; Benchmark: BENCH_LOOPS INT 3s, each delivered to an SEH handler that steps over
; it, against the same loop without the INT 3. Under -icount, RDTSC counts
; instructions.
bench_handler:                          ; cdecl: skip the INT 3, continue
    mov eax, [esp + 12]                 ; ContextRecord
    inc dword [eax + CsEip]
    xor eax, eax
    ret

test_bench:
    push bench_handler
    push dword [fs:0]
    mov [fs:0], esp
    rdtsc
    mov esi, eax
    mov ecx, BENCH_LOOPS
.loop:
    int3
    loop .loop
    rdtsc
    sub eax, esi
    RESULT R_BENCH, eax
    rdtsc
    mov esi, eax
    mov ecx, BENCH_LOOPS
.empty:
    nop
    loop .empty
    rdtsc
    sub eax, esi
    RESULT R_BENCH_EMPTY, eax
    POP_SEH
    jmp finish

; ---------------------------------------------------------------- data
align 4
current_row:    dd 0
resume_eip:     dd 0
veh_log:        dd 0
bound_pair:     dd 0, 10
raise_record:                           ; EXCEPTION_RECORD, 2 parameters
    dd 0xE0001234, 0, 0, 0, 2, 0x11, 0x22
    times 13 dd 0
too_many_record:
    dd 0xE0001234, 0, 0, 0, 16
    times 15 dd 0
raise_context:
    dd 0x00010007                       ; CONTEXT_FULL, the rest zero
    times (0x2CC / 4 - 1) dd 0

; svctest.asm - a ring-3 program for the system-service self-tests (tests/kernel/syscall.c).
;
; Assembled flat (-f bin) and loaded at 0x00400000 in a scratch address space,
; before ntdll exists: so it carries the few pieces of ntdll the tests need -
; the two system-call doors (KiFastSystemCall, KiIntSystemCall, KiFastSystemCallRet)
; that SharedUserData->SystemCall points at, the APC dispatcher, the callback
; dispatcher - written as NT's are, byte for byte where it matters.
;
; EBX at entry selects the test; results go to the RESULTS page, at the indexes
; syscall.c reads (R_*). The program ends through the test service KstExit.

bits 32
org 0x00400000

%include "svcnum.inc"                   ; SVC_NtXxx: the generated service numbers

RESULTS     equ 0x00410000              ; one page the harness maps for results
SHARED_SYSCALL equ 0x7FFE0300           ; SharedUserData->SystemCall

; Services of the test table (table 3, present only during these tests).
TEST_TABLE  equ 0x3000
KST_NULL    equ TEST_TABLE + 0
KST_EXIT    equ TEST_TABLE + 1
KST_CALLBACK equ TEST_TABLE + 2
KST_ARGS_BASE equ TEST_TABLE + 3        ; KstArgs0,1,2,3,4,8,12,16 follow

; Result slots (dwords)
R_ARGS      equ 0       ; 8 checksums, one per argument count
R_REGS      equ 8       ; 1 when EBX/ESI/EDI/EBP survived every call
R_UNKNOWN   equ 9       ; status of service 0x0FFF
R_NOTABLE   equ 10      ; status of service 0x2000 (an empty table)
R_BADARGS_INT equ 11    ; INT 2E with the arguments in kernel space
R_BADARGS_COPY equ 12   ; arguments running into an unmapped page
R_TIME_NULL equ 13      ; NtQuerySystemTime(NULL)
R_TIME_MISALIGNED equ 14
R_TIME_UNMAPPED equ 15
R_TIME_OK   equ 16      ; status, then the time's high part at 17
R_TIME_HIGH equ 17
R_APC_STATUS equ 18     ; NtQueueApcThread
R_APC_RAN   equ 19      ; the APC routine's three arguments, summed, or 0
R_APC_AFTER equ 20      ; EAX after NtTestAlert (restored by NtContinue)
R_CB_SIMPLE equ 21      ; callback: status ^ output
R_CB_NESTED equ 22
R_CB_FAULT  equ 23
R_BENCH_NULL equ 24     ; cycles for BENCH_LOOPS null calls, then the empty loop
R_BENCH_EMPTY equ 25
R_BENCH_ARGS4 equ 26
R_DONE      equ 27      ; 0x600D when the test ran to its end
R_FRAME_BAD equ 28      ; test 6: checks that found a data segment changed
R_FRAME_SEEN equ 29     ; the first bad one: GS << 16 | DS (ES is in R_FRAME_SEEN_ES)
R_FRAME_SEEN_ES equ 30
R_FRAME_APC equ 31      ; APCs that ran (one at the top, one in each callback)
R_FRAME_CALLBACKS equ 32 ; callbacks that came back with STATUS_SUCCESS

BENCH_LOOPS equ 1000
FRAME_CALLBACK_LOOPS equ 2000           ; test 6: enough to span several clock ticks
USER_DATA   equ 0x23                    ; KGDT_R3_DATA | 3: DS and ES in user mode

%macro RESULT 2                         ; RESULT slot, value
    mov dword [RESULTS + (%1) * 4], %2
%endmacro

; The harness finds the doors and dispatchers here (the loader reads ntdll's
; exports for the same): a fixed table at 0x00400010.
start:
    jmp entry
align 16
dispatch_table:
    dd KiFastSystemCall, KiFastSystemCallRet, KiIntSystemCall
    dd KiUserApcDispatcher, KiUserCallbackDispatcher, KiUserExceptionDispatcher

; ---------------------------------------------------------------- entry
entry:
    cmp ebx, 0
    je test_services
    cmp ebx, 1
    je test_errors
    cmp ebx, 2
    je test_apc
    cmp ebx, 3
    je test_callbacks
    cmp ebx, 4
    je test_single_step
    cmp ebx, 5
    je test_bench
    cmp ebx, 6
    je test_frames
    push 0xBADBAD
    call KstExit

finish:
    RESULT R_DONE, 0x600D
    push 0
    call KstExit

; ---------------------------------------------------------------- ntdll's doors
; The bytes NT's ntdll has: SharedUserData->SystemCall points at one of the two.
KiFastSystemCall:
    mov edx, esp
    sysenter
KiFastSystemCallRet:
    ret
KiIntSystemCall:
    lea edx, [esp + 8]
    int 0x2E
    ret

%macro STUB 3                           ; name, service number, argument count
%1:
    mov eax, %2
    mov edx, SHARED_SYSCALL
    call [edx]
    ret 4 * %3
%endmacro

STUB KstNull, KST_NULL, 0
STUB KstExit, KST_EXIT, 1
STUB KstCallback, KST_CALLBACK, 3
STUB KstArgs0, KST_ARGS_BASE + 0, 0
STUB KstArgs1, KST_ARGS_BASE + 1, 1
STUB KstArgs2, KST_ARGS_BASE + 2, 2
STUB KstArgs3, KST_ARGS_BASE + 3, 3
STUB KstArgs4, KST_ARGS_BASE + 4, 4
STUB KstArgs8, KST_ARGS_BASE + 5, 8
STUB KstArgs12, KST_ARGS_BASE + 6, 12
STUB KstArgs16, KST_ARGS_BASE + 7, 16
STUB NtQuerySystemTime, SVC_NtQuerySystemTime, 1
STUB NtQueueApcThread, SVC_NtQueueApcThread, 5
STUB NtTestAlert, SVC_NtTestAlert, 0
STUB NtContinue, SVC_NtContinue, 2
STUB NtRaiseException, SVC_NtRaiseException, 3

; ---------------------------------------------------------------- test 0
; Every argument count arrives intact; the registers the ABI preserves survive.
%macro CALL_ARGS 2                      ; stub, count
%assign i %2
%rep %2
    push (0x11111111 * i + %2) & 0xFFFFFFFF
%assign i i - 1
%endrep
    call %1
%endmacro

%macro CHECK_REGS 0
    cmp ebx, 0xB0B0B0B0
    jne %%bad
    cmp esi, 0x51515151
    jne %%bad
    cmp edi, 0xD1D1D1D1
    jne %%bad
    cmp ebp, 0xE0E0E0E0
    je %%ok
%%bad:
    RESULT R_REGS, 0
%%ok:
%endmacro

test_services:
    RESULT R_REGS, 1
    mov ebx, 0xB0B0B0B0
    mov esi, 0x51515151
    mov edi, 0xD1D1D1D1
    mov ebp, 0xE0E0E0E0
    CALL_ARGS KstArgs0, 0
    mov [RESULTS + (R_ARGS + 0) * 4], eax
    CHECK_REGS
    CALL_ARGS KstArgs1, 1
    mov [RESULTS + (R_ARGS + 1) * 4], eax
    CHECK_REGS
    CALL_ARGS KstArgs2, 2
    mov [RESULTS + (R_ARGS + 2) * 4], eax
    CHECK_REGS
    CALL_ARGS KstArgs3, 3
    mov [RESULTS + (R_ARGS + 3) * 4], eax
    CHECK_REGS
    CALL_ARGS KstArgs4, 4
    mov [RESULTS + (R_ARGS + 4) * 4], eax
    CHECK_REGS
    CALL_ARGS KstArgs8, 8
    mov [RESULTS + (R_ARGS + 5) * 4], eax
    CHECK_REGS
    CALL_ARGS KstArgs12, 12
    mov [RESULTS + (R_ARGS + 6) * 4], eax
    CHECK_REGS
    CALL_ARGS KstArgs16, 16
    mov [RESULTS + (R_ARGS + 7) * 4], eax
    CHECK_REGS
    jmp finish

; ---------------------------------------------------------------- test 1
; Bad service numbers and bad pointers: each a status, and the program goes on.
test_errors:
    mov eax, 0x0FFF
    mov edx, SHARED_SYSCALL
    call [edx]
    RESULT R_UNKNOWN, eax
    mov eax, 0x2000
    mov edx, SHARED_SYSCALL
    call [edx]
    RESULT R_NOTABLE, eax

    ; INT 2E with the argument pointer in kernel space.
    mov eax, KST_ARGS_BASE + 4
    mov edx, 0x80000000
    int 0x2E
    RESULT R_BADARGS_INT, eax

    ; The arguments run into an unmapped page: the copy itself faults. The stack
    ; is moved to end 8 bytes below the page after RESULTS (which is unmapped),
    ; so the return address is readable and the arguments are not.
    mov [saved_esp], esp
    mov esp, RESULTS + 0x1000 - 8
    mov dword [esp], .after_copy        ; where KiFastSystemCallRet / the INT returns
    mov eax, KST_ARGS_BASE + 4
    mov edx, SHARED_SYSCALL
    jmp [edx]                           ; as if called from .after_copy
.after_copy:
    mov esp, [saved_esp]
    RESULT R_BADARGS_COPY, eax

    push 0
    call NtQuerySystemTime
    RESULT R_TIME_NULL, eax
    push time_buffer + 1
    call NtQuerySystemTime
    RESULT R_TIME_MISALIGNED, eax
    push 0x50000000
    call NtQuerySystemTime
    RESULT R_TIME_UNMAPPED, eax
    push time_buffer
    call NtQuerySystemTime
    RESULT R_TIME_OK, eax
    mov eax, [time_buffer + 4]
    RESULT R_TIME_HIGH, eax
    jmp finish

; ---------------------------------------------------------------- test 2
; A user APC queued to ourselves runs when NtTestAlert returns to user mode, and
; NtContinue brings us back exactly where we were, with EFLAGS.NT set meanwhile.
test_apc:
    RESULT R_APC_RAN, 0
    push 0x33                           ; SystemArgument2
    push 0x22                           ; SystemArgument1
    push 0x11                           ; NormalContext
    push apc_routine
    push -2                             ; NtCurrentThread()
    call NtQueueApcThread
    RESULT R_APC_STATUS, eax
    ; EFLAGS.NT set, as ring 3 may: SYSENTER does not clear it, and the exit that
    ; delivers the APC is an IRETD, which with NT set in the kernel would be a
    ; task return (#TS). The entry must clear it, as NT's does.
    pushfd
    or dword [esp], 0x4000
    popfd
    call NtTestAlert
    RESULT R_APC_AFTER, eax
    pushfd
    and dword [esp], ~0x4000
    popfd
    jmp finish

apc_routine:                            ; stdcall (Context, Argument1, Argument2)
    mov eax, [esp + 4]
    add eax, [esp + 8]
    add eax, [esp + 12]
    RESULT R_APC_RAN, eax
    ret 12

; NT's KiUserApcDispatcher: [esp] routine, [esp+4..+12] its arguments, [esp+16] CONTEXT.
KiUserApcDispatcher:
    lea edi, [esp + 16]
    pop eax
    call eax
    push 1                              ; TestAlert
    push edi
    call NtContinue
    push eax                            ; NtContinue does not come back: if it does,
    call KstExit                        ; end with its status

; ---------------------------------------------------------------- test 3
; Calls from the kernel into user mode: simple, nested, and one that faults.
test_callbacks:
    push 4
    push callback_input
    push 0                              ; ApiNumber 0: sum the input
    call KstCallback
    RESULT R_CB_SIMPLE, eax
    push 4
    push callback_input
    push 1                              ; ApiNumber 1: calls back in again
    call KstCallback
    RESULT R_CB_NESTED, eax
    push 4
    push callback_input
    push 2                              ; ApiNumber 2: faults
    call KstCallback
    RESULT R_CB_FAULT, eax
    jmp finish

; NT's KiUserCallbackDispatcher: [esp] buffer, [esp+4] length, [esp+8] ApiNumber.
; The function's result goes back with INT 2B (EAX status, ECX buffer, EDX length).
KiUserCallbackDispatcher:
    mov eax, [esp + 8]
    call [callback_table + eax * 4]     ; stdcall (Buffer, Length): pops both
    mov ecx, callback_output
    mov edx, 4
    int 0x2B
    push eax                            ; INT 2B came back: no callback was active
    call KstExit

callback_sum:                           ; (Buffer, Length) -> STATUS_SUCCESS, output = sum
    mov ecx, [esp + 4]
    mov eax, [ecx]
    mov [callback_output], eax
    xor eax, eax
    ret 8

callback_nested:                        ; calls back in, then adds 1 to the result
    push 4
    push callback_input
    push 0
    call KstCallback
    inc eax
    mov [callback_output], eax
    xor eax, eax
    ret 8

callback_fault:
    mov dword [0], 1                    ; an access violation inside the callback
    ret 8

; An exception dispatcher with no handlers at all (ntdll's, with an empty chain,
; comes to the same): [esp] ExceptionRecord, [esp+4] CONTEXT; the second chance at
; once. Inside a callback that ends the callback with the code (test 3); otherwise
; it ends the program (test 4).
KiUserExceptionDispatcher:
    mov ecx, [esp + 4]
    mov ebx, [esp]
    push 0                              ; FirstChance = FALSE
    push ecx
    push ebx
    call NtRaiseException
    push eax                            ; refused: end with its status
    call KstExit

; ---------------------------------------------------------------- test 4
; SYSENTER with EFLAGS.TF set: the kernel must carry on, run the service, and
; return with the single step still on (this program then ends on its trap).
test_single_step:
    push .after_tf                      ; the return address KiFastSystemCallRet takes
    mov eax, KST_NULL
    mov edx, esp
    pushfd
    or dword [esp], 0x100
    popfd
    sysenter                            ; TF traps after this instruction: in the kernel
.after_tf:
    jmp finish                          ; not reached: the single step ends the thread

; ---------------------------------------------------------------- test 5
; Benchmarks: BENCH_LOOPS calls through the stub, against the same loop calling a
; function that returns at once. Under -icount, RDTSC counts instructions.
test_bench:
    rdtsc
    mov esi, eax
    mov ecx, BENCH_LOOPS
.null:
    push ecx
    call KstNull
    pop ecx
    loop .null
    rdtsc
    sub eax, esi
    RESULT R_BENCH_NULL, eax

    rdtsc
    mov esi, eax
    mov ecx, BENCH_LOOPS
.empty:
    push ecx
    call empty_function
    pop ecx
    loop .empty
    rdtsc
    sub eax, esi
    RESULT R_BENCH_EMPTY, eax

    rdtsc
    mov esi, eax
    mov ecx, BENCH_LOOPS
.args4:
    push ecx
    push 4
    push 3
    push 2
    push 1
    call KstArgs4
    pop ecx
    loop .args4
    rdtsc
    sub eax, esi
    RESULT R_BENCH_ARGS4, eax
    jmp finish

empty_function:                         ; what a stub does without entering the kernel
    mov eax, 0
    mov edx, empty_door_pointer
    call [edx]
    ret 0
empty_door:
    ret

; ---------------------------------------------------------------- test 6
; The data segments come back from every system call as they went in - DS = ES =
; USER_DATA and GS = 0, as NT keeps them - whichever way the kernel leaves: SYSEXIT,
; IRETD from an INT 2E frame, IRETD from a frame a user APC edited, inside
; callbacks. The harness starts the program with the first frame's DS, ES and GS
; holding KGDT_R3_TEB | 3 (where the frames of the system calls will lie), and
; KstCallback scribbles the same into the kernel stack below it before calling
; back, so a frame whose slots the entry left unwritten is seen here as a wrong
; selector (the /NOSYSENTER crash of SYSCALL_CALLBACKS: POP GS of a stack address).

; Counts a changed segment in R_FRAME_BAD (the first one's values in R_FRAME_SEEN*),
; with the right segments back first so that the count goes to the right place.
; Keeps every register.
%macro CHECK_SEGS 0
    push eax
    push ecx
    push edx
    mov eax, ds
    mov ecx, es
    mov edx, gs
    cmp ax, USER_DATA
    jne %%bad
    cmp cx, USER_DATA
    jne %%bad
    test dx, dx
    jz %%ok
%%bad:
    call frames_bad
%%ok:
    pop edx
    pop ecx
    pop eax
%endmacro

; (EAX = DS, ECX = ES, EDX = GS as found; clobbers EAX.)
frames_bad:
    push eax
    mov ax, USER_DATA
    mov ds, ax
    mov es, ax
    xor eax, eax
    mov gs, ax
    pop eax
    cmp dword [RESULTS + R_FRAME_BAD * 4], 0
    jne .counted
    shl edx, 16
    mov dx, ax
    mov [RESULTS + R_FRAME_SEEN * 4], edx
    movzx ecx, cx
    mov [RESULTS + R_FRAME_SEEN_ES * 4], ecx
.counted:
    inc dword [RESULTS + R_FRAME_BAD * 4]
    ret

test_frames:
    mov ax, USER_DATA                   ; not what the first frame held
    mov ds, ax
    mov es, ax
    xor eax, eax
    mov gs, ax
    RESULT R_FRAME_BAD, 0
    RESULT R_FRAME_SEEN, 0
    RESULT R_FRAME_SEEN_ES, 0
    RESULT R_FRAME_APC, 0
    RESULT R_FRAME_CALLBACKS, 0

    ; A plain service: its frame lies where the first one did.
    call KstNull
    CHECK_SEGS

    ; A user APC on the way out: the frame is edited, left through IRETD on every
    ; door, and the APC's CONTEXT is made from it. (Here the program's own page
    ; faults may have refreshed the slots already; in the callbacks below they
    ; have not.)
    push 0
    push 0
    push 0
    push frames_apc
    push -2                             ; NtCurrentThread()
    call NtQueueApcThread
    call NtTestAlert
    CHECK_SEGS

    ; Callbacks, each making system calls on frames built over the kernel's
    ; scribbled stack, many times, with the clock interrupting them.
    mov esi, FRAME_CALLBACK_LOOPS
.callbacks:
    push 4
    push callback_input
    push 3                              ; ApiNumber 3: callback_frames
    call KstCallback
    CHECK_SEGS
    cmp eax, 0x12345678                 ; STATUS_SUCCESS ^ the output
    jne .next
    inc dword [RESULTS + R_FRAME_CALLBACKS * 4]
.next:
    dec esi
    jnz .callbacks
    jmp finish

; The APC routine (stdcall, 3 arguments). KiUserApcDispatcher keeps the CONTEXT
; pointer in EDI: its segments must be the ones the program had.
CONTEXT_SEG_GS equ 0x8C
CONTEXT_SEG_ES equ 0x94
CONTEXT_SEG_DS equ 0x98
frames_apc:
    CHECK_SEGS
    cmp dword [edi + CONTEXT_SEG_GS], 0
    jne .bad_context
    cmp dword [edi + CONTEXT_SEG_ES], USER_DATA
    jne .bad_context
    cmp dword [edi + CONTEXT_SEG_DS], USER_DATA
    jne .bad_context
    inc dword [RESULTS + R_FRAME_APC * 4]
    ret 12
.bad_context:
    mov eax, [edi + CONTEXT_SEG_DS]
    mov ecx, [edi + CONTEXT_SEG_ES]
    mov edx, [edi + CONTEXT_SEG_GS]
    call frames_bad
    ret 12

callback_frames:                        ; (Buffer, Length): system calls, checked
    CHECK_SEGS
    call KstNull
    CHECK_SEGS
    push 0                              ; a user APC here too: an edited frame,
    push 0                              ; left through IRETD on every door
    push 0
    push frames_apc
    push -2
    call NtQueueApcThread
    call NtTestAlert
    CHECK_SEGS
    push 4
    push callback_input
    push 0                              ; and a nested callback, on a lower frame
    call KstCallback
    CHECK_SEGS
    mov eax, [callback_input]
    mov [callback_output], eax
    xor eax, eax
    ret 8

; ---------------------------------------------------------------- data
align 4
empty_door_pointer: dd empty_door
callback_table:     dd callback_sum, callback_nested, callback_fault, callback_frames
callback_input:     dd 0x12345678
callback_output:    dd 0
saved_esp:          dd 0
time_buffer:        dd 0, 0, 0

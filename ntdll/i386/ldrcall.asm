; ldrcall.asm - LdrpCallInitRoutine: calls a DLL's entry point (DllMain) or a TLS
; callback inside an SEH frame of the loader's own, so that an exception the
; routine does not handle itself comes back to the loader as a status instead of
; running past it with the loader lock held (NT 6's loader calls its init
; routines the same way, inside a frame whose handler ends the call; NT 4 to XP
; already caught an access violation in a DLL's start-up code and failed the
; LoadLibrary, KB196069).
;
; NTSTATUS NTAPI LdrpCallInitRoutine(
;     PVOID Routine,      [ebp + 08h]  BOOL WINAPI (*)(PVOID DllHandle, ULONG Reason, PVOID Context)
;     PVOID DllHandle,    [ebp + 0Ch]
;     ULONG Reason,       [ebp + 10h]
;     PVOID Context,      [ebp + 14h]
;     PLONG Result)       [ebp + 18h]  what the routine returned (EAX), when it returned
;
; Returns STATUS_SUCCESS when the routine returned (its EAX in *Result), or the
; code of the exception that ended it (never STATUS_SUCCESS: an exception raised
; with code 0 comes back as STATUS_UNSUCCESSFUL), *Result left alone. What the
; loader makes of either is ldrcall.c's business.
;
; The frame, below the saved EBP (the registration record is the innermost part,
; so its address finds the rest after an unwind):
;   [ebp - 04h]  EBX  \
;   [ebp - 08h]  ESI   > the caller's, restored on both ways out
;   [ebp - 0Ch]  EDI  /
;   [ebp - 10h]  Handler   LdrpInitRoutineHandler   \ EXCEPTION_REGISTRATION_RECORD,
;   [ebp - 14h]  Next      fs:[0] as it was          / ESP after the prologue
;
; On an exception the handler unwinds: RtlUnwind(this record) runs the handlers of
; the records the routine left above ours (its __finally blocks, say) and unlinks
; them, then comes back to the handler's call site; the handler then takes the
; stack back to this frame (the record's address + 14h is EBP) and leaves through
; the same epilogue, with the exception code in EAX.
;
; Routines are declared WINAPI but an entry point built cdecl returns with ESP 12
; bytes off: ESP is put back from EBP after the call, so either works.

bits 32
section .text

global _LdrpCallInitRoutine@20
extern _RtlUnwind@16

LDRP_RECORD_TO_EBP       equ 14h    ; EBP - ESP after the prologue
EXCEPTION_UNWIND         equ 06h    ; EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND
ExceptionContinueSearch  equ 1
ErExceptionCode          equ 00h
ErExceptionFlags         equ 04h
STATUS_SUCCESS           equ 0
STATUS_UNSUCCESSFUL      equ 0C0000001h

align 16
_LdrpCallInitRoutine@20:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    push edi
    push LdrpInitRoutineHandler     ; record.Handler
    push dword [fs:0]               ; record.Next
    mov [fs:0], esp                 ; the record is now the innermost
    push dword [ebp + 14h]          ; Context
    push dword [ebp + 10h]          ; Reason
    push dword [ebp + 0Ch]          ; DllHandle
    call [ebp + 08h]
    mov ecx, [ebp + 18h]
    mov [ecx], eax                  ; *Result
    mov eax, STATUS_SUCCESS
LdrpLeave:
    lea esp, [ebp - LDRP_RECORD_TO_EBP]
    pop dword [fs:0]                ; unlink the record (record.Next)
    add esp, 4                      ; record.Handler
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret 14h

; EXCEPTION_DISPOSITION __cdecl LdrpInitRoutineHandler(ExceptionRecord [esp + 4],
;     EstablisherFrame [esp + 8] = our record, ContextRecord, DispatcherContext)
; An unwind passing through (a handler further out taking the exception, or a
; thread ending) is none of ours: only a dispatch is answered, by ending the call.
LdrpInitRoutineHandler:
    mov ecx, [esp + 4]              ; ExceptionRecord
    test dword [ecx + ErExceptionFlags], EXCEPTION_UNWIND
    jz .catch
    mov eax, ExceptionContinueSearch
    ret
.catch:
    mov ebx, [esp + 8]              ; our record (EBX survives RtlUnwind)
    mov esi, [ecx + ErExceptionCode]
    push 0                          ; ReturnValue
    push ecx                        ; ExceptionRecord
    push .unwound                   ; TargetIp: right here, as NT's RtlUnwind returns
    push ebx                        ; TargetFrame: ours, kept in the chain
    call _RtlUnwind@16
.unwound:
    mov eax, esi                    ; the exception's code (ESI survives too)
    test eax, eax
    jnz .coded
    mov eax, STATUS_UNSUCCESSFUL
.coded:
    mov esp, ebx                    ; back on LdrpCallInitRoutine's frame
    lea ebp, [ebx + LDRP_RECORD_TO_EBP]
    jmp LdrpLeave

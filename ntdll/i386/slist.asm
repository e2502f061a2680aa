; slist.asm - interlocked singly linked lists (NT: RtlInitializeSListHead,
; RtlInterlockedPushEntrySList, RtlInterlockedPopEntrySList, RtlInterlockedFlushSList,
; RtlQueryDepthSList, RtlFirstEntrySList; kernel32's InterlockedPushEntrySList
; and friends are these). stdcall, as NT's i386 ntdll exports them.
;
; The i386 SLIST_HEADER is 8 bytes, 8-aligned, changed as one quadword by
; LOCK CMPXCHG8B, so the head and its counters never disagree:
;   +0  Next      the first entry (SLIST_ENTRY: its first field is the next pointer)
;   +4  Depth     entries on the list (16 bits)
;   +6  Sequence  pushes so far (16 bits, wrapping)
; A push bumps Depth and Sequence together (+10001h on the high dword), so a pop
; that read the head before another thread popped and pushed the same entry back
; sees a different Sequence and retries (the ABA case). A pop reads the first
; entry's Next before swapping: as on NT, the entry must not be freed while it
; may still be popped (NT also restarts a pop that faults on a freed entry; this
; one does not: the fault is the caller's, an access violation).

bits 32
section .text

global _RtlInitializeSListHead@4, _RtlFirstEntrySList@4, _RtlQueryDepthSList@4
global _RtlInterlockedPushEntrySList@8, _RtlInterlockedPopEntrySList@4, _RtlInterlockedFlushSList@4

SlNext      equ 0
SlDepth     equ 4
SLIST_PUSH  equ 10001h              ; Depth + 1, Sequence + 1

; VOID NTAPI RtlInitializeSListHead(PSLIST_HEADER ListHead)
align 16
_RtlInitializeSListHead@4:
    mov eax, [esp + 4]
    mov dword [eax + SlNext], 0
    mov dword [eax + SlDepth], 0
    ret 4

; PSLIST_ENTRY NTAPI RtlFirstEntrySList(const SLIST_HEADER *ListHead)
align 16
_RtlFirstEntrySList@4:
    mov eax, [esp + 4]
    mov eax, [eax + SlNext]
    ret 4

; USHORT NTAPI RtlQueryDepthSList(PSLIST_HEADER ListHead)
align 16
_RtlQueryDepthSList@4:
    mov eax, [esp + 4]
    movzx eax, word [eax + SlDepth]
    ret 4

; PSLIST_ENTRY NTAPI RtlInterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry)
; Returns the entry that was first before (NULL: the list was empty).
align 16
_RtlInterlockedPushEntrySList@8:
    push ebx
    push esi
    mov esi, [esp + 12]             ; ListHead
    mov ebx, [esp + 16]             ; ListEntry: the new Next (the low dword, in EBX)
    mov eax, [esi + SlNext]
    mov edx, [esi + SlDepth]
.retry:
    mov [ebx], eax                  ; ListEntry->Next = the present first entry
    lea ecx, [edx + SLIST_PUSH]
    lock cmpxchg8b [esi]            ; EDX:EAX still the head? then ECX:EBX is
    jnz .retry                      ; else EDX:EAX now holds the head: again
    pop esi
    pop ebx
    ret 8

; PSLIST_ENTRY NTAPI RtlInterlockedPopEntrySList(PSLIST_HEADER ListHead)
; Returns the entry taken off, or NULL when the list was empty.
align 16
_RtlInterlockedPopEntrySList@4:
    push ebx
    push esi
    mov esi, [esp + 12]             ; ListHead
    mov eax, [esi + SlNext]
    mov edx, [esi + SlDepth]
.retry:
    test eax, eax
    jz .done
    mov ebx, [eax]                  ; the new first entry: the old one's Next
    lea ecx, [edx - 1]              ; Depth - 1, Sequence kept
    lock cmpxchg8b [esi]
    jnz .retry
.done:
    pop esi
    pop ebx
    ret 4

; PSLIST_ENTRY NTAPI RtlInterlockedFlushSList(PSLIST_HEADER ListHead)
; Takes every entry off at once; returns the first (the chain stays linked).
align 16
_RtlInterlockedFlushSList@4:
    push ebx
    push esi
    mov esi, [esp + 12]             ; ListHead
    mov eax, [esi + SlNext]
    mov edx, [esi + SlDepth]
.retry:
    test eax, eax
    jz .done
    xor ebx, ebx                    ; Next = NULL
    mov ecx, edx
    and ecx, 0FFFF0000h             ; Depth 0, Sequence kept
    lock cmpxchg8b [esi]
    jnz .retry
.done:
    pop esi
    pop ebx
    ret 4

/*
 * readwrt.c - copying between address spaces (NT: MmCopyVirtualMemory and its
 * MiDoPoolCopy, the body of NtReadVirtualMemory and NtWriteVirtualMemory).
 *
 * Two user addresses of two processes are never mapped at once, so the copy goes
 * through a kernel buffer, a chunk at a time: attach to the source, read a chunk,
 * attach to the target, write it. Each side runs in a fault-recovery block, so a
 * bad address ends the copy with a status and the count of bytes that made it.
 * As in NT, a fault in the caller's own address space is STATUS_ACCESS_VIOLATION
 * and a fault in the other process's is STATUS_PARTIAL_COPY.
 */
#include "mi.h"
#include <rtl.h>

#define MI_COPY_CHUNK 512

/* Copies Length bytes inside Space, in a recovery block; returns the fault's status. */
static NTSTATUS MipCopyIn(PMM_ADDRESS_SPACE Space, PVOID Destination, const VOID *Source,
                          SIZE_T Length)
{
    KFAULT_RECOVERY Recovery;
    MM_ATTACH_STATE Attach;
    NTSTATUS Status;

    MmAttachAddressSpace(Space, &Attach);
    if (KiSetFaultRecovery(&Recovery) == 0) {
        memcpy(Destination, Source, Length);
        KiClearFaultRecovery(&Recovery);
        Status = STATUS_SUCCESS;
    } else {
        Status = Recovery.ExceptionCode;
    }
    MmDetachAddressSpace(&Attach);
    return Status;
}

NTSTATUS MmCopyVirtualMemory(PMM_ADDRESS_SPACE SourceSpace, PVOID SourceAddress,
                             PMM_ADDRESS_SPACE TargetSpace, PVOID TargetAddress,
                             SIZE_T Size, PSIZE_T BytesCopied)
{
    UCHAR Buffer[MI_COPY_CHUNK];
    PMM_ADDRESS_SPACE Caller = MmCurrentAddressSpace;
    SIZE_T Done = 0;
    NTSTATUS Status = STATUS_SUCCESS;

    *BytesCopied = 0;
    if ((ULONG_PTR)SourceAddress + Size < (ULONG_PTR)SourceAddress ||
        (ULONG_PTR)SourceAddress + Size > MmUserProbeAddress ||
        (ULONG_PTR)TargetAddress + Size < (ULONG_PTR)TargetAddress ||
        (ULONG_PTR)TargetAddress + Size > MmUserProbeAddress)
        return STATUS_ACCESS_VIOLATION;

    while (Done < Size) {
        /* A chunk never crosses a page of either side, so a fault's page is
           exactly where the copy stopped, and *BytesCopied is exact. */
        ULONG_PTR From = (ULONG_PTR)SourceAddress + Done, To = (ULONG_PTR)TargetAddress + Done;
        SIZE_T Chunk = Size - Done < MI_COPY_CHUNK ? Size - Done : MI_COPY_CHUNK;

        if (Chunk > PAGE_SIZE - (From & (PAGE_SIZE - 1)))
            Chunk = PAGE_SIZE - (From & (PAGE_SIZE - 1));
        if (Chunk > PAGE_SIZE - (To & (PAGE_SIZE - 1)))
            Chunk = PAGE_SIZE - (To & (PAGE_SIZE - 1));

        Status = MipCopyIn(SourceSpace, Buffer, (PUCHAR)SourceAddress + Done, Chunk);
        if (!NT_SUCCESS(Status)) {
            Status = SourceSpace == Caller ? STATUS_ACCESS_VIOLATION : STATUS_PARTIAL_COPY;
            break;
        }
        Status = MipCopyIn(TargetSpace, (PUCHAR)TargetAddress + Done, Buffer, Chunk);
        if (!NT_SUCCESS(Status)) {
            Status = TargetSpace == Caller ? STATUS_ACCESS_VIOLATION : STATUS_PARTIAL_COPY;
            break;
        }
        Done += Chunk;
    }
    *BytesCopied = Done;
    return Status;
}

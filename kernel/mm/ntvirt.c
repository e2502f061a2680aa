/*
 * ntvirt.c - the virtual-memory system services (NT: NtAllocateVirtualMemory in
 * ntos\mm\allocvm.c, NtFreeVirtualMemory in freevm.c, NtProtectVirtualMemory in
 * protect.c, NtQueryVirtualMemory in queryvm.c, NtReadVirtualMemory and
 * NtWriteVirtualMemory in readwrt.c).
 *
 * Each service does what NT's does around the memory manager's body: captures its
 * arguments into kernel copies (probing them inside a fault-recovery block when the
 * caller is user mode: NT's try/except), finds the address space the process handle
 * names, runs the body (virtual.c, readwrt.c) attached to it, and writes the results
 * back the same careful way. User memory is never touched while attached: the user
 * half of the address space is then another process's.
 *
 * Process handles. NtCurrentProcess() is the current address space. NT resolves any
 * other handle with ObReferenceObjectByHandle(..., PsProcessType, ...); process
 * objects arrive with the process issue, which completes MiReferenceProcessSpace
 * (an EPROCESS's address space, referenced while in use). Until then no handle can
 * name a process, so the answer is the one the object manager would give with the
 * process type: STATUS_OBJECT_TYPE_MISMATCH for a valid handle to anything else,
 * its own status (STATUS_INVALID_HANDLE) for a bad one.
 */
#include "mi.h"
#include <ob.h>
#include <ex.h>
#include <ke.h>
#include <rtl.h>
#include <ps.h>
#include "ntapi.h"      /* the prototypes, from include/nt/sysfuncs.lst */

NTSTATUS MiReferenceProcessSpace(HANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                                 KPROCESSOR_MODE PreviousMode, PMM_ADDRESS_SPACE *Space, PVOID *Process)
{
    PEPROCESS Object;
    NTSTATUS Status;

    *Process = NULL;
    if (ProcessHandle == NtCurrentProcess()) {
        *Space = MmGetCurrentAddressSpace();
        return STATUS_SUCCESS;
    }
    Status = ObReferenceObjectByHandle(ProcessHandle, DesiredAccess, PsProcessType, PreviousMode,
                                       (PVOID *)&Object, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Its address space stays until the reference below is given back (NT: the
       process's rundown protection); a process past its end has none. Held inside a
       critical region: the holder is never suspended with it. */
    KeEnterCriticalRegion();
    if (!PsAcquireProcessExitSynchronization(Object)) {
        KeLeaveCriticalRegion();
        ObDereferenceObject(Object);
        return STATUS_PROCESS_IS_TERMINATING;
    }
    *Space = Object->Pcb.AddressSpace;
    *Process = Object;
    return STATUS_SUCCESS;
}

VOID MiDereferenceProcessSpace(PVOID Process)
{
    if (Process == NULL)
        return;             /* the caller's own space: nothing was taken */
    PsReleaseProcessExitSynchronization(Process);
    KeLeaveCriticalRegion();
    ObDereferenceObject(Process);
}

/*
 * The shape shared by allocate, free and protect: *BaseAddress and *RegionSize in
 * and out, a body run attached to the process's space. As NT does, a success stands
 * even when the results cannot be written back (the memory has changed already).
 */
typedef enum _MIP_RANGE_OPERATION {
    MipAllocate,
    MipFree,
    MipProtect
} MIP_RANGE_OPERATION;

static NTSTATUS MipRangeService(MIP_RANGE_OPERATION Operation, HANDLE ProcessHandle,
                                PVOID *BaseAddress, PSIZE_T RegionSize, ULONG_PTR ZeroBits,
                                ULONG Type, ULONG Protect, PULONG OldProtect)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    PMM_ADDRESS_SPACE Space;
    PVOID Process;
    MM_ATTACH_STATE Attach;
    ULONG PreviousProtect = 0;
    PVOID Base;
    SIZE_T Size;
    NTSTATUS Status;

    /* In-out arguments: probed for writing, as NT does, then read. */
    Status = ExProbeUserOutput(BaseAddress, sizeof(Base), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(RegionSize, sizeof(Size), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Base, BaseAddress, sizeof(Base), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Size, RegionSize, sizeof(Size), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && Operation == MipProtect)
        Status = ExProbeUserOutput(OldProtect, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = MiReferenceProcessSpace(ProcessHandle, PROCESS_VM_OPERATION, PreviousMode, &Space, &Process);
    if (!NT_SUCCESS(Status))
        return Status;

    MmAttachAddressSpace(Space, &Attach);
    switch (Operation) {
    case MipAllocate:
        Status = MmAllocateVirtualMemory(&Base, ZeroBits, &Size, Type, Protect);
        break;
    case MipFree:
        Status = MmFreeVirtualMemory(&Base, &Size, Type);
        break;
    default:
        Status = MmProtectVirtualMemory(&Base, &Size, Protect, &PreviousProtect);
        break;
    }
    MmDetachAddressSpace(&Attach);
    MiDereferenceProcessSpace(Process);

    if (NT_SUCCESS(Status)) {
        ExCopyToCaller(BaseAddress, &Base, sizeof(Base), PreviousMode);
        ExCopyToCaller(RegionSize, &Size, sizeof(Size), PreviousMode);
        if (Operation == MipProtect)
            ExCopyToCaller(OldProtect, &PreviousProtect, sizeof(PreviousProtect), PreviousMode);
    }
    return Status;
}

NTSTATUS NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                 PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect)
{
    return MipRangeService(MipAllocate, ProcessHandle, BaseAddress, RegionSize, ZeroBits,
                           AllocationType, Protect, NULL);
}

NTSTATUS NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                             ULONG FreeType)
{
    return MipRangeService(MipFree, ProcessHandle, BaseAddress, RegionSize, 0, FreeType, 0, NULL);
}

NTSTATUS NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                ULONG NewProtect, PULONG OldProtect)
{
    return MipRangeService(MipProtect, ProcessHandle, BaseAddress, RegionSize, 0, 0, NewProtect,
                           OldProtect);
}

/*
 * NT's order: the class and the length first, then the probes, then the address
 * (a kernel address is STATUS_INVALID_PARAMETER), then the process.
 */
NTSTATUS NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress,
                              MEMORY_INFORMATION_CLASS MemoryInformationClass, PVOID MemoryInformation,
                              SIZE_T MemoryInformationLength, PSIZE_T ReturnLength)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    MEMORY_BASIC_INFORMATION Basic;
    PMM_ADDRESS_SPACE Space;
    PVOID Process;
    MM_ATTACH_STATE Attach;
    SIZE_T Returned = 0;
    NTSTATUS Status;

    if (MemoryInformationClass != MemoryBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (MemoryInformationLength < sizeof(MEMORY_BASIC_INFORMATION))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = ExProbeUserOutput(MemoryInformation, MemoryInformationLength, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExProbeUserOutput(ReturnLength, sizeof(SIZE_T), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if ((ULONG_PTR)BaseAddress > (ULONG_PTR)MmHighestUserAddress)
        return STATUS_INVALID_PARAMETER;
    Status = MiReferenceProcessSpace(ProcessHandle, PROCESS_QUERY_INFORMATION, PreviousMode, &Space, &Process);
    if (!NT_SUCCESS(Status))
        return Status;

    MmAttachAddressSpace(Space, &Attach);
    Status = MmQueryVirtualMemory(BaseAddress, MemoryInformationClass, &Basic, sizeof(Basic), &Returned);
    MmDetachAddressSpace(&Attach);
    MiDereferenceProcessSpace(Process);
    if (!NT_SUCCESS(Status))
        return Status;

    /* The answer not delivered is a failure: the fault's status. */
    Status = ExCopyToCaller(MemoryInformation, &Basic, sizeof(Basic), PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExCopyToCaller(ReturnLength, &Returned, sizeof(Returned), PreviousMode);
    return Status;
}

/*
 * The body of NtReadVirtualMemory (Read: from the process to the caller) and
 * NtWriteVirtualMemory. From user mode NT checks only that both ranges lie in user
 * space (ProbeForRead is exactly that check: it touches nothing) and that the
 * count can be written; the copy itself catches faults and says how far it got:
 * STATUS_ACCESS_VIOLATION for the caller's side, STATUS_PARTIAL_COPY for the
 * process's. A zero size copies nothing and looks at no handle (NT neither).
 */
static NTSTATUS MipProbeCopyArguments(PVOID BaseAddress, PVOID Buffer, SIZE_T BufferSize,
                                      PSIZE_T NumberOfBytesCopied)
{
    KFAULT_RECOVERY Recovery;

    if (KiSetFaultRecovery(&Recovery) != 0)
        return Recovery.ExceptionCode;
    ProbeForRead(BaseAddress, BufferSize, sizeof(UCHAR));
    ProbeForRead(Buffer, BufferSize, sizeof(UCHAR));
    if (NumberOfBytesCopied != NULL)
        ProbeForWrite(NumberOfBytesCopied, sizeof(SIZE_T), sizeof(ULONG));
    KiClearFaultRecovery(&Recovery);
    return STATUS_SUCCESS;
}

static NTSTATUS MipCopyService(BOOLEAN Read, HANDLE ProcessHandle, PVOID BaseAddress, PVOID Buffer,
                               SIZE_T BufferSize, PSIZE_T NumberOfBytesCopied)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    PMM_ADDRESS_SPACE Space, Caller;
    PVOID Process;
    SIZE_T Copied = 0;
    NTSTATUS Status = STATUS_SUCCESS;

    if (PreviousMode != KernelMode) {
        Status = MipProbeCopyArguments(BaseAddress, Buffer, BufferSize, NumberOfBytesCopied);
        if (!NT_SUCCESS(Status))
            return Status;
    }

    if (BufferSize != 0) {
        Status = MiReferenceProcessSpace(ProcessHandle, Read ? PROCESS_VM_READ : PROCESS_VM_WRITE,
                                          PreviousMode, &Space, &Process);
        if (NT_SUCCESS(Status)) {
            Caller = MmGetCurrentAddressSpace();
            if (Read)
                Status = MmCopyVirtualMemory(Space, BaseAddress, Caller, Buffer, BufferSize, &Copied);
            else
                Status = MmCopyVirtualMemory(Caller, Buffer, Space, BaseAddress, BufferSize, &Copied);
            MiDereferenceProcessSpace(Process);
        }
    }
    /* NT: the count is reported whatever happened, and a fault writing it is ignored. */
    if (NumberOfBytesCopied != NULL)
        ExCopyToCaller(NumberOfBytesCopied, &Copied, sizeof(Copied), PreviousMode);
    return Status;
}

NTSTATUS NtReadVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, PVOID Buffer, SIZE_T BufferSize,
                             PSIZE_T NumberOfBytesRead)
{
    return MipCopyService(TRUE, ProcessHandle, BaseAddress, Buffer, BufferSize, NumberOfBytesRead);
}

NTSTATUS NtWriteVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, const VOID *Buffer,
                              SIZE_T BufferSize, PSIZE_T NumberOfBytesWritten)
{
    return MipCopyService(FALSE, ProcessHandle, BaseAddress, (PVOID)Buffer, BufferSize,
                          NumberOfBytesWritten);
}

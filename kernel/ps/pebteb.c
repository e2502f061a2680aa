/*
 * pebteb.c - the user-mode blocks of a new process and thread, written into the
 * new address space (NT: MmCreatePeb, MmCreateTeb, and the stack part of
 * RtlCreateUserStack, which NT 6's PspCreateThread does in the kernel).
 *
 * Everything is written while attached to the new space, inside a fault-recovery
 * block: the pages come in at the first touch, and a failure to get one is a
 * status, not a crash.
 */
#include "psp.h"
#include <nt/ntimage.h>

/* NT 5.1 (XP, build 2600): what GetVersionEx will report. */
#define PSP_OS_MAJOR_VERSION    5
#define PSP_OS_MINOR_VERSION    1
#define PSP_OS_BUILD_NUMBER     2600
#define PSP_OS_PLATFORM_WIN32_NT 2

/* NT's defaults for the heap and critical sections (MmHeapSegmentReserve, ...). */
#define PSP_HEAP_SEGMENT_RESERVE    0x100000
#define PSP_HEAP_SEGMENT_COMMIT     0x2000
#define PSP_HEAP_DECOMMIT_TOTAL     0x10000
#define PSP_HEAP_DECOMMIT_BLOCK     0x1000
#define PSP_MAXIMUM_HEAPS           16
#define PSP_CRITICAL_SECTION_TIMEOUT (-2592000LL * 1000 * 1000 * 10)  /* 30 days, relative */

/* Runs Write(Context) attached to Process's space inside a fault-recovery block. */
typedef VOID (*PPSP_WRITE_ROUTINE)(PVOID Context);

static NTSTATUS PspWriteInProcess(PEPROCESS Process, PPSP_WRITE_ROUTINE Write, PVOID Context)
{
    MM_ATTACH_STATE Attach;
    KFAULT_RECOVERY Recovery;
    NTSTATUS Status;

    MmAttachAddressSpace(Process->Pcb.AddressSpace, &Attach);
    if (KiSetFaultRecovery(&Recovery) == 0) {
        Write(Context);
        KiClearFaultRecovery(&Recovery);
        Status = STATUS_SUCCESS;
    } else {
        Status = Recovery.ExceptionCode;
    }
    MmDetachAddressSpace(&Attach);
    return Status;
}

/* ---- the PEB ---- */

typedef struct _PSP_PEB_WRITE {
    PPEB Peb;
    PEPROCESS Process;
    const SECTION_IMAGE_INFORMATION *Image;
} PSP_PEB_WRITE;

static VOID PspWritePeb(PVOID Context)
{
    PSP_PEB_WRITE *Write = Context;
    PPEB Peb = Write->Peb;

    /* The page is fresh (zero): only what is not zero is written. */
    Peb->ImageBaseAddress = Write->Process->SectionBaseAddress;
    Peb->NumberOfProcessors = 1;
    Peb->CriticalSectionTimeout.QuadPart = PSP_CRITICAL_SECTION_TIMEOUT;
    Peb->HeapSegmentReserve = PSP_HEAP_SEGMENT_RESERVE;
    Peb->HeapSegmentCommit = PSP_HEAP_SEGMENT_COMMIT;
    Peb->HeapDeCommitTotalFreeThreshold = PSP_HEAP_DECOMMIT_TOTAL;
    Peb->HeapDeCommitFreeBlockThreshold = PSP_HEAP_DECOMMIT_BLOCK;
    Peb->MaximumNumberOfHeaps = PSP_MAXIMUM_HEAPS;
    Peb->OSMajorVersion = PSP_OS_MAJOR_VERSION;
    Peb->OSMinorVersion = PSP_OS_MINOR_VERSION;
    Peb->OSBuildNumber = PSP_OS_BUILD_NUMBER;
    Peb->OSPlatformId = PSP_OS_PLATFORM_WIN32_NT;
    Peb->ImageProcessAffinityMask = 0;  /* NT: 0 unless the image asks for one */
    if (Write->Image != NULL) {
        Peb->ImageSubsystem = Write->Image->SubSystemType;
        Peb->ImageSubsystemMajorVersion = Write->Image->SubSystemMajorVersion;
        Peb->ImageSubsystemMinorVersion = Write->Image->SubSystemMinorVersion;
    }
}

NTSTATUS PspCreatePeb(PEPROCESS Process, const SECTION_IMAGE_INFORMATION *ImageInformation)
{
    PSP_PEB_WRITE Write;
    PVOID Peb;
    NTSTATUS Status;

    Status = MmCreatePebOrTeb(Process->Pcb.AddressSpace, sizeof(PEB), &Peb);
    if (!NT_SUCCESS(Status))
        return Status;
    Write.Peb = Peb;
    Write.Process = Process;
    Write.Image = ImageInformation;
    Status = PspWriteInProcess(Process, PspWritePeb, &Write);
    if (NT_SUCCESS(Status))
        Process->Peb = Peb;
    return Status;      /* on failure the block goes with the address space */
}

/* ---- the process parameters ---- */

typedef struct _PSP_PARAMETERS_WRITE {
    PRTL_USER_PROCESS_PARAMETERS Source;    /* kernel, normalized, one block */
    PRTL_USER_PROCESS_PARAMETERS Target;    /* in the process */
    PPEB Peb;
} PSP_PARAMETERS_WRITE;

/* A string of the block, moved with it. */
static VOID PspRelocateString(PUNICODE_STRING String, ULONG_PTR From, ULONG_PTR To)
{
    if (String->Buffer != NULL)
        String->Buffer = (PWSTR)((ULONG_PTR)String->Buffer - From + To);
}

static VOID PspWriteParameters(PVOID Context)
{
    PSP_PARAMETERS_WRITE *Write = Context;
    PRTL_USER_PROCESS_PARAMETERS Target = Write->Target;
    ULONG_PTR From = (ULONG_PTR)Write->Source, To = (ULONG_PTR)Target;

    memcpy(Target, Write->Source, Write->Source->Length);
    PspRelocateString(&Target->CurrentDirectory.DosPath, From, To);
    PspRelocateString(&Target->DllPath, From, To);
    PspRelocateString(&Target->ImagePathName, From, To);
    PspRelocateString(&Target->CommandLine, From, To);
    PspRelocateString(&Target->WindowTitle, From, To);
    PspRelocateString(&Target->DesktopInfo, From, To);
    PspRelocateString(&Target->ShellInfo, From, To);
    PspRelocateString(&Target->RuntimeData, From, To);
    if (Target->Environment != NULL)
        Target->Environment = (PVOID)((ULONG_PTR)Target->Environment - From + To);
    Target->MaximumLength = Target->Length;
    Write->Peb->ProcessParameters = Target;
}

NTSTATUS PspCopyProcessParameters(PEPROCESS Process, PRTL_USER_PROCESS_PARAMETERS Parameters,
                                  PVOID *ChildParameters)
{
    PSP_PARAMETERS_WRITE Write;
    MM_ATTACH_STATE Attach;
    PVOID Base = NULL;
    SIZE_T Size = Parameters->Length;
    NTSTATUS Status;

    MmAttachAddressSpace(Process->Pcb.AddressSpace, &Attach);
    Status = MmAllocateVirtualMemory(&Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    MmDetachAddressSpace(&Attach);
    if (!NT_SUCCESS(Status))
        return Status;
    Write.Source = Parameters;
    Write.Target = Base;
    Write.Peb = Process->Peb;
    Status = PspWriteInProcess(Process, PspWriteParameters, &Write);
    if (NT_SUCCESS(Status))
        *ChildParameters = Base;
    return Status;
}

/* ---- the user stack ---- */

/*
 * NT's layout: Reserve bytes reserved (64 KB granules), the top Commit bytes
 * committed read-write, and the page below them a guard page, so the stack grows
 * by faulting on it until the reservation runs out.
 */
NTSTATUS PspCreateUserStack(PEPROCESS Process, SIZE_T Reserve, SIZE_T Commit, PINITIAL_TEB InitialTeb)
{
    MM_ATTACH_STATE Attach;
    PVOID Base = NULL, CommitBase, GuardBase;
    SIZE_T Size;
    NTSTATUS Status;

    if (Reserve == 0)
        Reserve = PSP_DEFAULT_STACK_RESERVE;
    if (Commit == 0)
        Commit = PSP_DEFAULT_STACK_COMMIT;
    Reserve = (Reserve + MM_ALLOCATION_GRANULARITY - 1) & ~(SIZE_T)(MM_ALLOCATION_GRANULARITY - 1);
    Commit = (Commit + PAGE_SIZE - 1) & ~(SIZE_T)(PAGE_SIZE - 1);
    if (Commit + PAGE_SIZE > Reserve)
        Reserve = (Commit + PAGE_SIZE + MM_ALLOCATION_GRANULARITY - 1) &
                  ~(SIZE_T)(MM_ALLOCATION_GRANULARITY - 1);

    MmAttachAddressSpace(Process->Pcb.AddressSpace, &Attach);
    Size = Reserve;
    Status = MmAllocateVirtualMemory(&Base, 0, &Size, MEM_RESERVE, PAGE_READWRITE);
    if (NT_SUCCESS(Status)) {
        CommitBase = (PUCHAR)Base + Reserve - Commit;
        Size = Commit;
        Status = MmAllocateVirtualMemory(&CommitBase, 0, &Size, MEM_COMMIT, PAGE_READWRITE);
        if (NT_SUCCESS(Status)) {
            GuardBase = (PUCHAR)CommitBase - PAGE_SIZE;
            Size = PAGE_SIZE;
            Status = MmAllocateVirtualMemory(&GuardBase, 0, &Size, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD);
        }
        if (!NT_SUCCESS(Status)) {
            Size = 0;
            (VOID)MmFreeVirtualMemory(&Base, &Size, MEM_RELEASE);
        }
    }
    MmDetachAddressSpace(&Attach);
    if (!NT_SUCCESS(Status))
        return Status;

    memset(InitialTeb, 0, sizeof(*InitialTeb));
    InitialTeb->StackBase = (PUCHAR)Base + Reserve;
    InitialTeb->StackLimit = (PUCHAR)Base + Reserve - Commit;
    InitialTeb->StackAllocationBase = Base;
    return STATUS_SUCCESS;
}

/* ---- the TEB ---- */

typedef struct _PSP_TEB_WRITE {
    PTEB Teb;
    PETHREAD Thread;
    const INITIAL_TEB *InitialTeb;
    PPEB Peb;
} PSP_TEB_WRITE;

static VOID PspWriteTeb(PVOID Context)
{
    PSP_TEB_WRITE *Write = Context;
    PTEB Teb = Write->Teb;

    Teb->NtTib.ExceptionList = (struct _EXCEPTION_REGISTRATION_RECORD *)EXCEPTION_CHAIN_END;
    Teb->NtTib.StackBase = Write->InitialTeb->StackBase;
    Teb->NtTib.StackLimit = Write->InitialTeb->StackLimit;
    Teb->NtTib.Self = &Teb->NtTib;
    Teb->ClientId = Write->Thread->Cid;
    Teb->RealClientId = Write->Thread->Cid;
    Teb->ProcessEnvironmentBlock = Write->Peb;
    Teb->CurrentLocale = 0x0409;            /* en-US, as a fresh NT install */
    Teb->DeallocationStack = Write->InitialTeb->StackAllocationBase;
    Teb->StaticUnicodeString.Buffer = Teb->StaticUnicodeBuffer;
    Teb->StaticUnicodeString.MaximumLength = sizeof(Teb->StaticUnicodeBuffer);
    Teb->StaticUnicodeString.Length = 0;
}

NTSTATUS PspCreateTeb(PEPROCESS Process, PETHREAD Thread, const INITIAL_TEB *InitialTeb, PTEB *Teb)
{
    PSP_TEB_WRITE Write;
    PVOID Base;
    NTSTATUS Status;

    Status = MmCreatePebOrTeb(Process->Pcb.AddressSpace, sizeof(TEB), &Base);
    if (!NT_SUCCESS(Status))
        return Status;
    Write.Teb = Base;
    Write.Thread = Thread;
    Write.InitialTeb = InitialTeb;
    Write.Peb = Process->Peb;
    Status = PspWriteInProcess(Process, PspWriteTeb, &Write);
    if (NT_SUCCESS(Status))
        *Teb = Base;
    return Status;
}

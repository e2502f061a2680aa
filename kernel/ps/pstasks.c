/*
 * pstasks.c - the task list: NtQuerySystemInformation(SystemProcessInformation)
 * (NT: ExpGetProcessInformation, ExpCopyProcessInfo, ExpCopyThreadInfo).
 *
 * Every process on the active list, and the idle process first (ID 0, the boot
 * thread, which is no object), each with every thread its KPROCESS holds: user
 * threads with their IDs, the System process's kernel threads with none (they
 * are bare KTHREADs here). The list is walked twice - to size the answer, then
 * to write it - under the active-process lock, and each process's threads with
 * interrupts off (the dispatcher's own lock on one processor), so the answer is
 * one consistent moment's; a thread born between the passes makes it try again.
 */
#include "psp.h"
#include <nt/ntexapi.h>

/* What one pass counts, or (Output not NULL) writes. */
typedef struct _PSP_TASK_WALK {
    PUCHAR Output;                  /* kernel copy, Length bytes, or NULL */
    ULONG_PTR UserBase;             /* the caller's buffer: the names' addresses */
    ULONG Length;
    ULONG Used;                     /* entries so far */
    ULONG NameBytes;                /* names so far (they go after the entries) */
    ULONG EntryBytes;               /* all entries (the second pass knows it) */
    PSYSTEM_PROCESS_INFORMATION Last;
} PSP_TASK_WALK, *PPSP_TASK_WALK;

static VOID PspTicks(ULONG Ticks, PLARGE_INTEGER Time)
{
    Time->QuadPart = (LONGLONG)Ticks * KeQueryTimeIncrement();
}

static VOID PspWriteThread(PPSP_TASK_WALK Walk, PKTHREAD Thread)
{
    PSYSTEM_THREAD_INFORMATION Info;
    PETHREAD Executive = Thread->ExecutiveThread;

    if (Walk->Output != NULL && Walk->Used + sizeof(*Info) <= Walk->Length) {
        Info = (PSYSTEM_THREAD_INFORMATION)(Walk->Output + Walk->Used);
        memset(Info, 0, sizeof(*Info));
        PspTicks(Thread->KernelTime, &Info->KernelTime);
        PspTicks(Thread->UserTime, &Info->UserTime);
        Info->WaitTime = Thread->WaitTime;
        Info->Priority = Thread->Priority;
        Info->BasePriority = Thread->BasePriority;
        Info->ContextSwitches = Thread->ContextSwitches;
        Info->ThreadState = Thread->State;
        Info->WaitReason = Thread->WaitReason;
        Info->StartAddress = Thread->StartRoutine;
        if (Executive != NULL) {
            Info->CreateTime = Executive->CreateTime;
            Info->StartAddress = Executive->Win32StartAddress;
            Info->UniqueProcess = Executive->Cid.UniqueProcess;
            Info->UniqueThread = Executive->Cid.UniqueThread;
        }
    }
    Walk->Used += sizeof(SYSTEM_THREAD_INFORMATION);
}

static VOID PspWriteProcess(PPSP_TASK_WALK Walk, PKPROCESS Pcb, PEPROCESS Process, PKTHREAD OnlyThread)
{
    PSYSTEM_PROCESS_INFORMATION Info = NULL;
    UNICODE_STRING SystemName;
    PUNICODE_STRING Name = NULL;
    PLIST_ENTRY Entry;
    ULONG Start = Walk->Used, Threads = 0, Kernel = Pcb->KernelTime, User = Pcb->UserTime, NameLength = 0;
    BOOLEAN Enabled;

    if (Process == PsInitialSystemProcess) {
        RtlInitUnicodeString(&SystemName, u"System");
        Name = &SystemName;
        NameLength = SystemName.Length / sizeof(WCHAR);
    } else if (Process != NULL && Process->ImageFileNameInfo != NULL) {
        Name = Process->ImageFileNameInfo;
        /* NT's task list names the image alone ("x.exe"), not its path. */
        while (NameLength < Name->Length / sizeof(WCHAR) &&
               Name->Buffer[Name->Length / sizeof(WCHAR) - NameLength - 1] != L'\\')
            NameLength++;
    }
    if (Walk->Output != NULL && Start + sizeof(*Info) <= Walk->Length) {
        Info = (PSYSTEM_PROCESS_INFORMATION)(Walk->Output + Start);
        memset(Info, 0, sizeof(*Info));
    }
    Walk->Used += sizeof(SYSTEM_PROCESS_INFORMATION);

    Enabled = KiDisableInterrupts();
    if (OnlyThread != NULL) {
        PspWriteThread(Walk, OnlyThread);
        Threads = 1;
    } else {
        for (Entry = Pcb->ThreadListHead.Flink; Entry != &Pcb->ThreadListHead; Entry = Entry->Flink) {
            PKTHREAD Thread = CONTAINING_RECORD(Entry, KTHREAD, ThreadListEntry);
            PspWriteThread(Walk, Thread);
            Kernel += Thread->KernelTime;
            User += Thread->UserTime;
            Threads++;
        }
    }
    KiRestoreInterrupts(Enabled);

    if (Info != NULL) {
        Info->NumberOfThreads = Threads;
        PspTicks(Kernel, &Info->KernelTime);
        PspTicks(User, &Info->UserTime);
        Info->BasePriority = Pcb->BasePriority;
        if (Process != NULL) {
            Info->CreateTime = Process->CreateTime;
            Info->UniqueProcessId = Process->UniqueProcessId;
            Info->InheritedFromUniqueProcessId = Process->InheritedFromUniqueProcessId;
            Info->HandleCount = Process->ObjectTable != NULL ? (ULONG)Process->ObjectTable->HandleCount : 0;
            Info->PageDirectoryBase = Pcb->DirectoryTableBase[0];
            if (Pcb->AddressSpace != NULL && Process != PsInitialSystemProcess)
                Info->PagefileUsage = Info->PrivatePageCount =
                    (SIZE_T)MmGetAddressSpaceCommitment(Pcb->AddressSpace) << PAGE_SHIFT;
        }
    }
    if (NameLength != 0) {
        ULONG Offset = Walk->EntryBytes + Walk->NameBytes;
        ULONG Bytes = NameLength * sizeof(WCHAR);
        if (Info != NULL && Offset + Bytes + sizeof(WCHAR) <= Walk->Length) {
            PCWSTR Source = Name->Buffer + Name->Length / sizeof(WCHAR) - NameLength;
            memcpy(Walk->Output + Offset, Source, Bytes);
            ((PWCHAR)(Walk->Output + Offset))[NameLength] = 0;
            Info->ImageName.Buffer = (PWSTR)(Walk->UserBase + Offset);
            Info->ImageName.Length = (USHORT)Bytes;
            Info->ImageName.MaximumLength = (USHORT)(Bytes + sizeof(WCHAR));
        }
        Walk->NameBytes += (Bytes + sizeof(WCHAR) + 3) & ~3u;
    }
    if (Info != NULL) {
        if (Walk->Last != NULL)
            Walk->Last->NextEntryOffset = (ULONG)((PUCHAR)Info - (PUCHAR)Walk->Last);
        Walk->Last = Info;
    }
}

static VOID PspWalkTasks(PPSP_TASK_WALK Walk)
{
    PLIST_ENTRY Entry;

    Walk->Used = Walk->NameBytes = 0;
    Walk->Last = NULL;
    PspWriteProcess(Walk, KeGetCurrentPrcb()->IdleThread->ApcState.Process, NULL,
                    KeGetCurrentPrcb()->IdleThread);
    for (Entry = PsActiveProcessHead.Flink; Entry != &PsActiveProcessHead; Entry = Entry->Flink) {
        PEPROCESS Process = CONTAINING_RECORD(Entry, EPROCESS, ActiveProcessLinks);
        PspWriteProcess(Walk, &Process->Pcb, Process, NULL);
    }
}

NTSTATUS PsQuerySystemProcessInformation(PVOID UserBuffer, ULONG Length, PVOID *KernelCopy, PULONG Needed)
{
    PSP_TASK_WALK Walk;
    ULONG Attempt;

    *KernelCopy = NULL;
    for (Attempt = 0; Attempt < 4; Attempt++) {
        memset(&Walk, 0, sizeof(Walk));
        PspLockActiveProcessList();
        PspWalkTasks(&Walk);            /* sizes only */
        Walk.EntryBytes = Walk.Used;
        *Needed = Walk.Used + Walk.NameBytes;
        if (*Needed > Length) {
            PspUnlockActiveProcessList();
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        Walk.Output = ExAllocatePoolWithTag(NonPagedPool, *Needed, PSP_PROCESS_TAG);
        if (Walk.Output == NULL) {
            PspUnlockActiveProcessList();
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        memset(Walk.Output, 0, *Needed);
        Walk.Length = *Needed;
        Walk.UserBase = (ULONG_PTR)UserBuffer;
        PspWalkTasks(&Walk);
        PspUnlockActiveProcessList();
        if (Walk.Used == Walk.EntryBytes && Walk.Used + Walk.NameBytes == *Needed) {
            *KernelCopy = Walk.Output;
            return STATUS_SUCCESS;
        }
        ExFreePoolWithTag(Walk.Output, PSP_PROCESS_TAG);     /* a thread came or went: again */
    }
    return STATUS_UNSUCCESSFUL;
}

VOID PsFreeSystemProcessInformation(PVOID KernelCopy)
{
    ExFreePoolWithTag(KernelCopy, PSP_PROCESS_TAG);
}

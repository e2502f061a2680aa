/*
 * pstasks.c - self-test of the task list (PS_TASK_LIST):
 * NtQuerySystemInformation(SystemProcessInformation) as a tool like tlist reads it.
 * The idle process comes first (ID 0, one thread), then System (ID 4, named
 * "System", its kernel threads among them this one); every entry's threads follow
 * it, NextEntryOffset chains them, and a buffer too small gets
 * STATUS_INFO_LENGTH_MISMATCH with the length needed.
 */
#include <selftest.h>
#include <ex.h>
#include <ps.h>
#include <rtl.h>
#include <nt/ntexapi.h>
#include "ntapi.h"

#define KST_TASKS_TAG EX_POOL_TAG('K', 's', 't', 'L')

static NTSTATUS KstTaskList(VOID)
{
    PSYSTEM_PROCESS_INFORMATION Entry;
    PSYSTEM_THREAD_INFORMATION Threads;
    PUCHAR Buffer;
    ULONG Needed = 0, Count = 0, Index;
    BOOLEAN SawSystem = FALSE, SawMe = FALSE;
    NTSTATUS Status;

    KST_CHECK(NtQuerySystemInformation(SystemProcessInformation, &Count, sizeof(Count), &Needed) ==
              STATUS_INFO_LENGTH_MISMATCH);
    KST_CHECK(Needed > 2 * sizeof(SYSTEM_PROCESS_INFORMATION));
    Buffer = ExAllocatePoolWithTag(NonPagedPool, Needed + 1024, KST_TASKS_TAG);
    KST_CHECK(Buffer != NULL);
    Status = NtQuerySystemInformation(SystemProcessInformation, Buffer, Needed + 1024, &Needed);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Buffer, KST_TASKS_TAG);
        KST_CHECK(NT_SUCCESS(Status));
    }

    Entry = (PSYSTEM_PROCESS_INFORMATION)Buffer;
    Status = Entry->UniqueProcessId == NULL && Entry->NumberOfThreads == 1 ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
    for (;;) {
        Count++;
        Threads = (PSYSTEM_THREAD_INFORMATION)(Entry + 1);
        if (Entry->UniqueProcessId == (HANDLE)4) {
            SawSystem = Entry->ImageName.Length == 12 && Entry->ImageName.Buffer[0] == L'S';
            for (Index = 0; Index < Entry->NumberOfThreads; Index++)
                if (Threads[Index].StartAddress == KeGetCurrentThread()->StartRoutine &&
                    Threads[Index].ThreadState == Running)
                    SawMe = TRUE;
        }
        if (Entry->NextEntryOffset == 0)
            break;
        Entry = (PSYSTEM_PROCESS_INFORMATION)((PUCHAR)Entry + Entry->NextEntryOffset);
        if ((PUCHAR)Entry >= Buffer + Needed) {
            Status = STATUS_UNSUCCESSFUL;
            break;
        }
    }
    ExFreePoolWithTag(Buffer, KST_TASKS_TAG);
    DbgPrint("    %lu processes in the task list\n", Count);
    KST_CHECK(NT_SUCCESS(Status));
    KST_CHECK(Count >= 2 && SawSystem && SawMe);
    return STATUS_SUCCESS;
}
KSELFTEST(PS_TASK_LIST, KstTaskList);

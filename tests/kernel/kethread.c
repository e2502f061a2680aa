/*
 * kethread.c - helpers for the dispatcher self-tests (kethread.h).
 */
#include "kethread.h"
#include <rtl.h>

#define KST_THREAD_TAG EX_POOL_TAG('K', 's', 't', 'T')

PKTHREAD KstCreateThread(PKSTART_ROUTINE Routine, PVOID Context, KPRIORITY Priority)
{
    PKTHREAD Thread = ExAllocatePoolWithTag(NonPagedPool, sizeof(KTHREAD), KST_THREAD_TAG);

    if (Thread == NULL)
        return NULL;
    if (!NT_SUCCESS(KeInitThread(Thread, KeGetSystemProcess(), Routine, Context, Priority))) {
        ExFreePoolWithTag(Thread, KST_THREAD_TAG);
        return NULL;
    }
    KeStartThread(Thread);
    return Thread;
}

NTSTATUS KstJoinThread(PKTHREAD Thread)
{
    NTSTATUS Status = KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL);
    ExFreePoolWithTag(Thread, KST_THREAD_TAG);
    return Status;
}

LARGE_INTEGER KstTicks(ULONG Ticks)
{
    LARGE_INTEGER Timeout;
    Timeout.QuadPart = -(LONGLONG)Ticks * KeQueryTimeIncrement();
    return Timeout;
}

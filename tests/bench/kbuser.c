/*
 * kbuser.c - KbRunUserBenchmark (kbuser.h): the kernel's side of a benchmark that
 * runs in a user-mode program.
 */
#include "kbuser.h"
#include <ke.h>
#include <ob.h>
#include <ps.h>
#include <ramdisk.h>
#include <rtl.h>

ULONGLONG KbRunUserBenchmark(PCWSTR ImagePath, PCWSTR CommandLine)
{
    UNICODE_STRING Image, Command;
    PEPROCESS Process;
    ULONG Result;

    if (IoGetBootVolume() == NULL)
        return 0;
    RtlInitUnicodeString(&Image, ImagePath);
    RtlInitUnicodeString(&Command, CommandLine);
    if (!NT_SUCCESS(PsCreateSystemChildProcess(&Image, &Command, &Process)))
        return 0;
    KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
    Result = (ULONG)Process->ExitStatus;
    ObDereferenceObject(Process);
    return Result;
}

/*
 * rtlexec.c - ntdll's own creation routines measured from ring 3: the kernel
 * starts "C:\Tests\rtlexec.exe bench WHAT", which times a loop with the TSC
 * (instructions, under QEMU -icount) and ends with the per-iteration count as its
 * exit status (tests/programs/rtlexec.c):
 *   rtl_create_user_process_cycle  RtlCreateUserProcess (file, section,
 *       NtCreateProcessEx, parameters and environment written in, stack, thread)
 *       + NtResumeThread + the child's start and NtTerminateProcess + the wait
 *   rtl_create_user_thread_cycle   RtlCreateUserThread in its own process + run
 *       (RtlExitUserThread) + the wait + the stack freed
 * Compare with process_cycle_nt5 and thread_cycle (tests/bench/process.c), the
 * same work driven from the kernel through Zw calls.
 */
#include <bench.h>
#include <ke.h>
#include <ob.h>
#include <ps.h>
#include <ramdisk.h>
#include <rtl.h>

/* The program's exit status: its measurement, 0 when it failed. */
static ULONGLONG KbRunRtlExec(PCWSTR CommandLine)
{
    UNICODE_STRING Image, Command;
    PEPROCESS Process;
    ULONG Result;

    if (IoGetBootVolume() == NULL)
        return 0;
    RtlInitUnicodeString(&Image, u"\\??\\C:\\Tests\\rtlexec.exe");
    RtlInitUnicodeString(&Command, CommandLine);
    if (!NT_SUCCESS(PsCreateSystemChildProcess(&Image, &Command, &Process)))
        return 0;
    KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
    Result = (ULONG)Process->ExitStatus;
    ObDereferenceObject(Process);
    return Result;
}

static ULONGLONG KbRtlProcessCycle(VOID)
{
    return KbRunRtlExec(u"C:\\Tests\\rtlexec.exe bench process");
}
KBENCH(rtl_create_user_process_cycle, KbRtlProcessCycle,
       "instructions per RtlCreateUserProcess + NtResumeThread + child run and ended + wait (from ring 3)");

static ULONGLONG KbRtlThreadCycle(VOID)
{
    return KbRunRtlExec(u"C:\\Tests\\rtlexec.exe bench thread");
}
KBENCH(rtl_create_user_thread_cycle, KbRtlThreadCycle,
       "instructions per RtlCreateUserThread + run (RtlExitUserThread) + wait + stack freed (from ring 3)");

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
#include "kbuser.h"

/* The program's exit status: its measurement, 0 when it failed. */
static ULONGLONG KbRunRtlExec(PCWSTR CommandLine)
{
    return KbRunUserBenchmark(u"\\??\\C:\\Tests\\rtlexec.exe", CommandLine);
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

/*
 * crash.c - self-tests that end the kernel on purpose, to check the bugcheck
 * screen: stop code and name, registers, and a backtrace that names the function
 * that faulted (tests/system/bugcheck-*.test read it). /SELFTEST=ALL skips these.
 *
 * Each faulting function is noinline and called through the test table, so it
 * keeps its own frame and its own name in the backtrace.
 */
#include <selftest.h>
#include <ke.h>

/* Far above anything the boot page tables map, and not in the self-map. */
#define KST_UNMAPPED_ADDRESS 0xBADC0DE0UL

__attribute__((noinline)) static NTSTATUS KstCrashPageFault(VOID)
{
    *(volatile ULONG *)KST_UNMAPPED_ADDRESS = 0x1234;
    return STATUS_UNSUCCESSFUL;     /* not reached */
}
KSELFTEST_ALONE(CRASH_PAGEFAULT, KstCrashPageFault);

__attribute__((noinline)) static NTSTATUS KstCrashDivide(VOID)
{
    volatile ULONG Zero = 0;
    volatile ULONG Result = 100 / Zero;
    (void)Result;
    return STATUS_UNSUCCESSFUL;
}
KSELFTEST_ALONE(CRASH_DIVIDE, KstCrashDivide);

__attribute__((noinline)) static NTSTATUS KstCrashInvalidOpcode(VOID)
{
    __asm__ volatile("ud2");
    return STATUS_UNSUCCESSFUL;
}
KSELFTEST_ALONE(CRASH_INVALIDOPCODE, KstCrashInvalidOpcode);

/*
 * A trap whose frame cannot be pushed: with ESP in unmapped memory, the breakpoint
 * faults on its own push, and that page fault cannot push either. The processor
 * raises a double fault, which arrives through the task gate on its own stack.
 */
__attribute__((noinline)) static NTSTATUS KstCrashDoubleFault(VOID)
{
    __asm__ volatile("movl %0, %%esp\n\tint3" : : "i"(KST_UNMAPPED_ADDRESS) : "memory");
    return STATUS_UNSUCCESSFUL;
}
KSELFTEST_ALONE(CRASH_DOUBLEFAULT, KstCrashDoubleFault);

__attribute__((noinline)) static NTSTATUS KstCrashBugCheck(VOID)
{
    KeBugCheckEx(MANUALLY_INITIATED_CRASH, 1, 2, 3, 4);
}
KSELFTEST_ALONE(CRASH_BUGCHECK, KstCrashBugCheck);

/* Never ends: lets the system tests check that tools/qemu-run's timeout works. */
__attribute__((noinline)) static NTSTATUS KstHang(VOID)
{
    for (;;)
        __halt();
    return STATUS_UNSUCCESSFUL;     /* not reached */
}
KSELFTEST_ALONE(HANG, KstHang);

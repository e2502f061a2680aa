/*
 * init.c - the executive's start-up (NT: ExpInitializeExecutive, Phase1Initialization).
 *
 * Phase 0 prints the banner and builds what everything else stands on (memory);
 * phase 1, in a thread, prints what the kernel learned at boot (memory, processor,
 * options, clock), then does what the boot options ask: /SELFTEST=... runs kernel
 * self-tests, /BENCH runs the benchmarks. In test mode (/TESTMODE) the run then ends
 * with an exit status; otherwise phase 1 ends and the kernel idles.
 */
#include <init.h>
#include <ke.h>
#include <kd.h>
#include <hal.h>
#include <bench.h>
#include <selftest.h>
#include <rtl.h>
#include <mm.h>
#include <ob.h>
#include <exobj.h>
#include <ramdisk.h>
#include <io.h>
#include <coninput.h>
#include <ps.h>

#define KI_VERSION_STRING "0.1"
#define KI_OPTION_BUFFER  LOADER_MAX_OPTIONS
#define EXP_PHASE1_PRIORITY 8           /* a normal kernel thread's priority */

extern UCHAR __KernelEnd[];

ULONGLONG KiBannerTsc;

static const PCSTR KiMemoryTypeNames[LoaderMaximum] = {
    [LoaderFree] = "Free",
    [LoaderBad] = "Bad",
    [LoaderFirmwareTemporary] = "FirmwareTemporary",
    [LoaderFirmwarePermanent] = "FirmwarePermanent",
    [LoaderSystemCode] = "SystemCode",
    [LoaderBootDriver] = "BootDriver",
};

PCSTR KiMemoryTypeName(ULONG Type)
{
    if (Type < LoaderMaximum && KiMemoryTypeNames[Type])
        return KiMemoryTypeNames[Type];
    return "Other";
}

static VOID ExpPrintMemory(PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    ULONG Index, FreePages = 0;

    for (Index = 0; Index < LoaderBlock->MemoryDescriptorCount; Index++) {
        PMEMORY_ALLOCATION_DESCRIPTOR Descriptor = &LoaderBlock->MemoryDescriptors[Index];

        if (Descriptor->MemoryType == LoaderFree)
            FreePages += Descriptor->PageCount;
        DbgPrint("  %08lX-%08lX %-18s %6lu pages\n",
                 Descriptor->BasePage << PAGE_SHIFT,
                 ((Descriptor->BasePage + Descriptor->PageCount) << PAGE_SHIFT) - 1,
                 KiMemoryTypeName(Descriptor->MemoryType), Descriptor->PageCount);
    }
    DbgPrint("Memory: %lu KB free in %lu pages\n", FreePages * (PAGE_SIZE / 1024), FreePages);
}

static VOID ExpPrintMemoryManager(VOID)
{
    MM_MEMORY_COUNTERS Counters;

    MmQueryMemoryCounters(&Counters);
    DbgPrint("Memory manager: %lu pages of RAM, %lu available, %lu in use; "
             "commit limit %lu pages; %lu system PTEs free\n",
             Counters.TotalPages, Counters.AvailablePages, Counters.InUsePages,
             Counters.CommitLimit, Counters.FreeSystemPtes);
}

static VOID ExpPrintBootFacts(PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    PKPRCB Prcb = KeGetCurrentPrcb();
    CHAR Features[128];
    TIME_FIELDS Time;
    LARGE_INTEGER Now;
    ULONG Index;

    DbgPrint("Boot loader: %s\n", LoaderBlock->BootLoaderName[0] ? LoaderBlock->BootLoaderName
                                                                  : "(not named)");
    DbgPrint("Boot options: %s\n", LoaderBlock->LoadOptions[0] ? LoaderBlock->LoadOptions
                                                                : "(none)");
    DbgPrint("Kernel: %p-%p, KPCR %p, PRCB %p\n", (PVOID)KERNEL_VIRTUAL_BASE,
             (PVOID)__KernelEnd, (PVOID)KeGetPcr(), (PVOID)Prcb);
    if (Prcb->CpuID)
        DbgPrint("Processor: %s family %u model %u stepping %u\n", Prcb->VendorString,
                 (unsigned)Prcb->CpuType, (unsigned)(Prcb->CpuStep >> 8),
                 (unsigned)(Prcb->CpuStep & 0xFF));
    else
        DbgPrint("Processor: no CPUID (family %u)\n", (unsigned)Prcb->CpuType);
    DbgPrint("Features: %s\n", KiFeatureBitsToString(Prcb->FeatureBits, Features, sizeof(Features)));
    DbgPrint("System calls: %s\n", KeFastSystemCallEnabled() ?
             "SYSENTER (KiFastCallEntry) and INT 2E (KiSystemService)" :
             "INT 2E (KiSystemService) only");

    ExpPrintMemory(LoaderBlock);
    ExpPrintMemoryManager();
    for (Index = 0; Index < LoaderBlock->ModuleCount; Index++)
        DbgPrint("Module %lu: %08lX-%08lX %s\n", Index, LoaderBlock->Modules[Index].PhysicalStart,
                 LoaderBlock->Modules[Index].PhysicalEnd, LoaderBlock->Modules[Index].Name);

    KeQuerySystemTime(&Now);
    RtlTimeToTimeFields(&Now, &Time);
    DbgPrint("Time: %04d-%02d-%02d %02d:%02d:%02d UTC (CMOS)\n", Time.Year, Time.Month,
             Time.Day, Time.Hour, Time.Minute, Time.Second);
    DbgPrint("Clock: %u Hz, time increment %lu (100 ns units)\n", HAL_CLOCK_HZ,
             KeQueryTimeIncrement());
}

VOID ExShutdownSystem(NTSTATUS ExitStatus)
{
    DbgPrint("exit status 0x%08lX\n", (ULONG)ExitStatus);
    /* An exit status is a process's exit code too, where 1 is a failure: only 0 passes. */
    if (KdTestMode)
        HalpTestExit(ExitStatus == STATUS_SUCCESS ? HAL_TEST_EXIT_SUCCESS : HAL_TEST_EXIT_FAILURE);
    DbgPrint("The system has stopped. It is now safe to turn off your computer.\n");
    HalHaltSystem();
}

/*
 * Phase 1 (NT: Phase1Initialization), in a system thread of its own, with
 * interrupts on and the scheduler running: what needs threads, waits and time.
 */
static VOID ExpPhase1Initialization(PVOID Context)
{
    PLOADER_PARAMETER_BLOCK LoaderBlock = Context;
    CHAR Selection[KI_OPTION_BUFFER];
    NTSTATUS Status = STATUS_SUCCESS;

    ExpPrintBootFacts(LoaderBlock);
    IoInitializeBootVolume(LoaderBlock);
    IoInitSystem();
    PsLocateSystemDll();
    if (!NT_SUCCESS(IoInitializeConsoleInput()))
        DbgPrint("Console input: the keyboard or COM1 could not be connected\n");

    if (KeBootOptionValue("SELFTEST", Selection, sizeof(Selection)) == STATUS_SUCCESS)
        Status = KiRunSelfTests(Selection);
    if (KeBootOptionPresent("BENCH"))
        KiRunBenchmarks();

    /* /INIT names the first user process; a test run's result is its exit status
       (or why it could not start). */
    if (KeBootOptionPresent("INIT") && NT_SUCCESS(Status)) {
        NTSTATUS ExitStatus = STATUS_SUCCESS;
        Status = ExpRunInitialProcess(&ExitStatus);
        if (NT_SUCCESS(Status))
            Status = ExitStatus;
    }

    /* A test run ends here. So does any run whose /INIT program has ended: that
       program is the session (make run's shell: its `exit` is the user's), and
       nothing else would ever run. NT bugchecks when its first process, smss.exe,
       ends; here the first process is an ordinary program, and its end is a
       shutdown: the exit status, "safe to turn off", the processor halted. */
    if (KdTestMode || KeBootOptionPresent("INIT"))
        ExShutdownSystem(Status);
    DbgPrint("Boot complete. The kernel is idle: no /INIT program was named.\n");
}

static KTHREAD ExpPhase1Thread;

/*
 * Phase 0 (NT: ExpInitializeExecutive), on the boot thread with interrupts off:
 * the memory manager and the executive's structures, then phase 1 is started in
 * a system thread and the boot thread goes on to become the idle thread.
 */
VOID ExpInitializeExecutive(PLOADER_PARAMETER_BLOCK LoaderBlock)
{
    NTSTATUS Status;

    KiBannerTsc = __rdtsc();
    DbgPrint("NTLab " KI_VERSION_STRING " (i386): an NT-style kernel\n");
    MmInitSystem(LoaderBlock);
    ObInitSystem();
    ExInitializeObjectTypes();
    MmInitializeSections();
    PsInitSystem();
    KeInitSystem(MmGetSystemAddressSpace(), &PsInitialSystemProcess->Pcb);

    Status = KeInitThread(&ExpPhase1Thread, KeGetSystemProcess(), ExpPhase1Initialization,
                          LoaderBlock, EXP_PHASE1_PRIORITY);
    if (!NT_SUCCESS(Status))
        KeBugCheckEx(PHASE1_INITIALIZATION_FAILED, (ULONG)Status, 0, 0, 0);
    KeStartThread(&ExpPhase1Thread);
}

/*
 * kiinit.c - phase 0 on the boot processor (NT: KiSystemStartup's C half,
 * KiInitializeKernel, and the idle loop it ends in).
 *
 * Order matters: COM1 first, so anything that goes wrong later can be read; then
 * the GDT and the KPCR (fs must point somewhere before any code reads fs:); the
 * IDT (so a fault from here on is a bugcheck, not a triple fault); the loader block
 * (boot options decide test mode); the processor's features; the PIC and the
 * clock. Interrupts stay off through phase 0; the idle loop turns them on.
 */
#include <ke.h>
#include <hal.h>
#include <kd.h>
#include <arc.h>
#include <init.h>
#include <mmlayout.h>
#include "../ki.h"

extern UCHAR __KernelStart[], __KernelEnd[];

/* The boot page tables map BOOT_MAPPED_SIZE of physical memory at KSEG0_BASE. */
static const void *KipMapBootPhysical(ULONG Physical, ULONG Length)
{
    if (Physical >= BOOT_MAPPED_SIZE || Length > BOOT_MAPPED_SIZE - Physical)
        return NULL;
    return (const void *)(ULONG_PTR)(KSEG0_BASE + Physical);
}

__attribute__((noreturn))
VOID KiInitializeKernel(ULONG MultibootMagic, ULONG MultibootInfo)
{
    NTSTATUS Status;

    HalpInitializeSerial();
    KiInitializeGdt();
    KiInitializeIdt();
    HalpInitializeDisplay();

    Status = KiParseMultibootInfo(MultibootMagic, MultibootInfo, KipMapBootPhysical,
                                  (ULONG)(ULONG_PTR)__KernelStart - KSEG0_BASE,
                                  (ULONG)(ULONG_PTR)__KernelEnd - KSEG0_BASE,
                                  &KeLoaderBlock);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("KiInitializeKernel: cannot read the boot loader's information "
                 "(magic 0x%08lX, info at 0x%08lX): 0x%08lX\n",
                 MultibootMagic, MultibootInfo, (ULONG)Status);
        KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, (ULONG)Status, MultibootMagic,
                     MultibootInfo, 0);
    }
    KdInitSystem();
    KiInitializeProcessorFeatures();
    KiInitializeNpx();
    KiInitializeSystemCalls();          /* INT 2E, INT 2B, and SYSENTER if allowed */

    /* From here on there is a current thread: this one, which becomes idle. */
    KiInitializeDispatcher();
    KiInitializeIdleThread();
    KiInitializeClockDpc();
    HalpInitializePic();
    HalpInitializeClock();

    /* Phase 0 of the executive runs with interrupts off, and starts phase 1 in a
       system thread; then this thread idles (NT does the same). */
    ExpInitializeExecutive(&KeLoaderBlock);
    KiIdleLoop();
}

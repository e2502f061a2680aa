/*
 * reboot.c - leaving the machine (NT: HalReturnToFirmware).
 *
 * In test mode the kernel ends a run through QEMU's isa-debug-exit device, so the
 * runner learns the verdict from QEMU's exit status. Without that device the
 * write goes nowhere and the processor halts instead.
 */
#include <hal.h>
#include <ke.h>

VOID HalHaltSystem(VOID)
{
    for (;;) {
        _disable();
        __halt();
    }
}

VOID HalpTestExit(UCHAR Code)
{
    WRITE_PORT_UCHAR(HAL_DEBUG_EXIT_PORT, Code);
    HalHaltSystem();
}

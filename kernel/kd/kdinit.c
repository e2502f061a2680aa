/*
 * kdinit.c - debug-support settings taken from the boot options
 * (NT: KdInitSystem reading /DEBUG, /DEBUGPORT, ...).
 *
 * /TESTMODE: the run is a test. The kernel ends it itself (exit status line, then
 * QEMU's debug-exit device), and a bugcheck leaves QEMU at once with its own code.
 */
#include <kd.h>
#include <arc.h>

BOOLEAN KdTestMode;

VOID KdInitSystem(VOID)
{
    KdTestMode = KeBootOptionPresent("TESTMODE");
    KdSystemCallTrace = KeBootOptionPresent("TRACE");
    /* /TRACE also reports processes and threads as they come and go. */
    if (KdSystemCallTrace)
        KdInitializeProcessTrace();
}

/*
 * capture.c - the three steps of every Nt service's handling of its caller's
 * buffers: capture an argument, probe an output before the work, copy a result
 * out afterwards (NT writes these inline as try/except blocks around
 * ProbeForRead/ProbeForWrite; here each is one function, used by every service).
 */
#include <ex.h>
#include <ke.h>
#include <rtl.h>

/*
 * Each runs in its own fault-recovery block when the caller is user mode (a kernel
 * caller's pointers are trusted, as in NT) and returns the status of a fault, if any.
 */

/* Copies an argument in (an in-out one is probed with ExProbeUserOutput first). */
NTSTATUS ExCaptureUserData(PVOID Destination, PCVOID Source, SIZE_T Length, ULONG Alignment,
                           KPROCESSOR_MODE PreviousMode)
{
    KFAULT_RECOVERY Recovery;

    if (PreviousMode == KernelMode) {
        memcpy(Destination, Source, Length);
        return STATUS_SUCCESS;
    }
    if (KiSetFaultRecovery(&Recovery) != 0)
        return Recovery.ExceptionCode;
    ProbeForRead(Source, Length, Alignment);
    memcpy(Destination, Source, Length);
    KiClearFaultRecovery(&Recovery);
    return STATUS_SUCCESS;
}

/* A probe alone, before any work is done: the status of a bad buffer, nothing copied. */
static NTSTATUS ExpProbe(PVOID Address, SIZE_T Length, ULONG Alignment, BOOLEAN ForWrite,
                         KPROCESSOR_MODE PreviousMode)
{
    KFAULT_RECOVERY Recovery;

    if (PreviousMode == KernelMode)
        return STATUS_SUCCESS;
    if (KiSetFaultRecovery(&Recovery) != 0)
        return Recovery.ExceptionCode;
    if (ForWrite)
        ProbeForWrite(Address, Length, Alignment);
    else
        ProbeForRead(Address, Length, Alignment);
    KiClearFaultRecovery(&Recovery);
    return STATUS_SUCCESS;
}

/* Checks that an input can be read (without copying it). */
NTSTATUS ExProbeUserInput(PCVOID Address, SIZE_T Length, ULONG Alignment, KPROCESSOR_MODE PreviousMode)
{
    return ExpProbe((PVOID)Address, Length, Alignment, FALSE, PreviousMode);
}

/* Checks that an output can be written. */
NTSTATUS ExProbeUserOutput(PVOID Address, SIZE_T Length, ULONG Alignment, KPROCESSOR_MODE PreviousMode)
{
    return ExpProbe(Address, Length, Alignment, TRUE, PreviousMode);
}

/* Writes a result out (the caller may have unmapped the buffer since the probe;
   its alignment was checked then). */
NTSTATUS ExCopyToCaller(PVOID Destination, PCVOID Source, SIZE_T Length,
                        KPROCESSOR_MODE PreviousMode)
{
    KFAULT_RECOVERY Recovery;

    if (PreviousMode == KernelMode) {
        memcpy(Destination, Source, Length);
        return STATUS_SUCCESS;
    }
    if (KiSetFaultRecovery(&Recovery) != 0)
        return Recovery.ExceptionCode;
    ProbeForWrite(Destination, Length, 1);
    memcpy(Destination, Source, Length);
    KiClearFaultRecovery(&Recovery);
    return STATUS_SUCCESS;
}

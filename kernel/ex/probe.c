/*
 * probe.c - ExRaiseStatus and the probes every system service runs on user
 * pointers (NT: ExRaiseStatus, ProbeForRead, ProbeForWrite).
 *
 * A probe checks that a buffer lies in user space and is aligned, and raises an
 * exception if not: STATUS_ACCESS_VIOLATION or STATUS_DATATYPE_MISALIGNMENT. It is
 * meant to run inside a fault-recovery block, which catches the raise just as it
 * catches a fault while the buffer is then read or written.
 */
#include <ex.h>
#include <ke.h>
#include <mm.h>
#include <rtl.h>

VOID ExRaiseStatus(NTSTATUS Status)
{
    KiRaiseToFaultRecovery(Status, (ULONG_PTR)__builtin_return_address(0));
}

static VOID ExpCheckRange(PCVOID Address, SIZE_T Length, ULONG Alignment)
{
    ULONG_PTR Start = (ULONG_PTR)Address, End = Start + Length;

    if ((Start & (Alignment - 1)) != 0)
        ExRaiseStatus(STATUS_DATATYPE_MISALIGNMENT);
    if (End < Start || End > MmUserProbeAddress)
        ExRaiseStatus(STATUS_ACCESS_VIOLATION);
}

VOID ProbeForRead(PCVOID Address, SIZE_T Length, ULONG Alignment)
{
    if (Length == 0)
        return;     /* NT: an empty buffer is valid wherever it points */
    ExpCheckRange(Address, Length, Alignment);
}

/*
 * Also proves that every page is writable, by writing each one's first byte back
 * (the last page's too), as NT does: a read-only page faults here, inside the
 * caller's block, rather than halfway through the service's real work.
 */
VOID ProbeForWrite(PVOID Address, SIZE_T Length, ULONG Alignment)
{
    volatile UCHAR *Byte;
    ULONG_PTR Page, Last;

    if (Length == 0)
        return;
    ExpCheckRange(Address, Length, Alignment);
    Last = ((ULONG_PTR)Address + Length - 1) & ~(PAGE_SIZE - 1);
    for (Page = (ULONG_PTR)Address; ; Page = (Page & ~(PAGE_SIZE - 1)) + PAGE_SIZE) {
        Byte = (volatile UCHAR *)Page;
        *Byte = *Byte;
        if ((Page & ~(PAGE_SIZE - 1)) == Last)
            break;
    }
}

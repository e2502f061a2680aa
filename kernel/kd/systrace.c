/*
 * systrace.c - the system-call trace: one line on the debug output per service
 * call, after it returns,
 *     [pid.tid] NtName(0x..., 0x..., ...) = STATUS_NAME
 * with the name from the generated KiServiceNames, the arguments as the caller
 * passed them (SSPT[n] / 4 of them), and the status by name (KdStatusName, made
 * from ntstatus.h) or in hex. It is how one watches a program walk into the kernel.
 *
 * The boot option /TRACE turns it on (KdInitSystem); writing KdSystemCallTrace
 * turns it on or off at any time, e.g. from gdb: set var KdSystemCallTrace = 1.
 * The dispatcher tests the flag and calls KiTraceSystemCall; nothing here is on the
 * path of an untraced call.
 *
 * The caller is named by its CLIENT_ID, as NT's own tracing tools print it. The
 * kernel's own threads (the System process's) are bare KTHREADs without an ETHREAD
 * and so without IDs: they show as [-.XXXXXXXX], the KTHREAD's address.
 */
#include <kd.h>
#include <ps.h>
#include <ke.h>
#include <mm.h>
#include <rtl.h>

BOOLEAN KdSystemCallTrace;

/* Room for the longest line: a name and 63 arguments of 12 characters. */
#define KDP_TRACE_LINE 896

/*
 * Reads one argument of the caller. A user-mode caller's list is user memory, which
 * may be gone or never have been there (a bad EDX): it is read in a fault-recovery
 * block. A kernel-mode caller's (a Zw stub's) is on its kernel stack; a fault on a
 * kernel address is never recovered, so those are checked first.
 */
static BOOLEAN KdpReadArgument(ULONG_PTR Address, PULONG Value)
{
    KFAULT_RECOVERY Recovery;

    if (Address + sizeof(ULONG) > KSEG0_BASE || Address + sizeof(ULONG) < Address) {
        if (Address + sizeof(ULONG) < Address || !MmIsRangeValid(Address, sizeof(ULONG)))
            return FALSE;
        *Value = *(volatile ULONG *)Address;
        return TRUE;
    }
    if (KiSetFaultRecovery(&Recovery) != 0)
        return FALSE;
    *Value = *(volatile ULONG *)Address;
    KiClearFaultRecovery(&Recovery);
    return TRUE;
}

/* "[pid.tid] " of the caller (a kernel thread has no IDs: "[-.address]"). */
static ULONG KdpTracePrefix(PCHAR Line, ULONG Size)
{
    PKTHREAD Thread = KeGetCurrentThread();
    PETHREAD Executive = Thread->ExecutiveThread;

    if (Executive == NULL)
        return (ULONG)RtlStringPrintf(Line, Size, "[-.%p] ", (PVOID)Thread);
    return (ULONG)RtlStringPrintf(Line, Size, "[%lu.%lu] ", (ULONG)(ULONG_PTR)Executive->Cid.UniqueProcess,
                                  (ULONG)(ULONG_PTR)Executive->Cid.UniqueThread);
}

/* The trace's process and thread lines, through the process manager's callbacks. */
static VOID KdpTraceProcess(HANDLE ParentId, HANDLE ProcessId, BOOLEAN Create)
{
    CHAR Line[KDP_TRACE_LINE];

    if (Create)
        RtlStringPrintf(Line, sizeof(Line), "[%lu] process created by %lu\n", (ULONG)(ULONG_PTR)ProcessId,
                        (ULONG)(ULONG_PTR)ParentId);
    else
        RtlStringPrintf(Line, sizeof(Line), "[%lu] process ended\n", (ULONG)(ULONG_PTR)ProcessId);
    KdpWriteString(Line);
}

static VOID KdpTraceThread(HANDLE ProcessId, HANDLE ThreadId, BOOLEAN Create)
{
    CHAR Line[KDP_TRACE_LINE];

    RtlStringPrintf(Line, sizeof(Line), "[%lu.%lu] thread %s\n", (ULONG)(ULONG_PTR)ProcessId,
                    (ULONG)(ULONG_PTR)ThreadId, Create ? "created" : "ended");
    KdpWriteString(Line);
}

VOID KdInitializeProcessTrace(VOID)
{
    (VOID)PsSetCreateProcessNotifyRoutine(KdpTraceProcess, FALSE);
    (VOID)PsSetCreateThreadNotifyRoutine(KdpTraceThread);
}

VOID KiTraceSystemCall(ULONG ServiceNumber, ULONG_PTR CallerArguments, NTSTATUS Status)
{
    PKSERVICE_TABLE_DESCRIPTOR Table =
        &KeServiceDescriptorTable[(ServiceNumber >> SERVICE_TABLE_SHIFT) & SERVICE_TABLE_MASK];
    ULONG Index = ServiceNumber & SERVICE_NUMBER_MASK, Count = 0, Argument, Used;
    CHAR Line[KDP_TRACE_LINE], Name[24];
    PCSTR ServiceName, StatusName;

    if (Index < Table->Limit && Table->Base != NULL) {
        Count = Table->Number[Index] / sizeof(ULONG);
        ServiceName = Table == &KeServiceDescriptorTable[0] ? KiServiceNames[Index] : NULL;
    } else {
        ServiceName = NULL;     /* an unknown number: no arguments were taken */
    }
    if (ServiceName == NULL) {
        RtlStringPrintf(Name, sizeof(Name), "<service 0x%lX>", ServiceNumber);
        ServiceName = Name;
    }

    Used = KdpTracePrefix(Line, sizeof(Line));
    Used += (ULONG)RtlStringPrintf(Line + Used, sizeof(Line) - Used, "%s(", ServiceName);
    for (Argument = 0; Argument < Count && Used < sizeof(Line); Argument++) {
        ULONG Value;
        PCSTR Separator = Argument + 1 < Count ? ", " : "";

        if (KdpReadArgument(CallerArguments + Argument * sizeof(ULONG), &Value))
            Used += (ULONG)RtlStringPrintf(Line + Used, sizeof(Line) - Used, "0x%lX%s", Value, Separator);
        else
            Used += (ULONG)RtlStringPrintf(Line + Used, sizeof(Line) - Used, "?%s", Separator);
    }
    StatusName = KdStatusName(Status);
    if (Used < sizeof(Line)) {
        if (StatusName != NULL)
            RtlStringPrintf(Line + Used, sizeof(Line) - Used, ") = %s\n", StatusName);
        else
            RtlStringPrintf(Line + Used, sizeof(Line) - Used, ") = 0x%08lX\n", (ULONG)Status);
    }
    KdpWriteString(Line);
}

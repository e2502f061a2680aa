/*
 * pslast.c - self-test PS_LAST_THREAD: what ThreadAmILastThread answers
 * (PsIsLastThread), asked of the threads of a real process that never runs:
 * C:\Tests\child.exe created with its first thread suspended is alone; a second
 * thread, created suspended and so never started, already counts; once that one
 * is ended from outside, the first is alone again. A system thread is no ETHREAD
 * of a user process, so the service itself is checked only for its length rule
 * here (ntdll's RtlExitUserThread uses it for real: tests/system/ldr-*.test).
 */
#include <selftest.h>
#include <ke.h>
#include <ex.h>
#include <ob.h>
#include <ps.h>
#include <rtl.h>
#include <nt/ntpsapi.h>
#include "zwapi.h"

#define KST_LAST_NT  u"\\??\\C:\\Tests\\child.exe"
#define KST_LAST_DOS u"C:\\Tests\\child.exe"

/* child.exe, its first thread suspended; both handles back. */
static NTSTATUS KstCreateSuspendedChild(PHANDLE Process, PHANDLE Thread)
{
    static const WCHAR ImageName[] = KST_LAST_NT;
    RTL_USER_PROCESS_PARAMETERS Parameters;
    PS_CREATE_INFO CreateInfo;
    struct {
        SIZE_T TotalLength;
        PS_ATTRIBUTE Attributes[1];
    } List;

    memset(&Parameters, 0, sizeof(Parameters));
    Parameters.Length = Parameters.MaximumLength = sizeof(Parameters);
    Parameters.Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    RtlInitUnicodeString(&Parameters.ImagePathName, KST_LAST_DOS);
    RtlInitUnicodeString(&Parameters.CommandLine, KST_LAST_DOS);
    memset(&List, 0, sizeof(List));
    List.TotalLength = sizeof(List);
    List.Attributes[0].Attribute = PS_ATTRIBUTE_IMAGE_NAME;
    List.Attributes[0].Size = sizeof(ImageName) - sizeof(WCHAR);
    List.Attributes[0].ValuePtr = (PVOID)ImageName;
    memset(&CreateInfo, 0, sizeof(CreateInfo));
    CreateInfo.Size = sizeof(CreateInfo);
    return ZwCreateUserProcess(Process, Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL, NULL, 0,
                               THREAD_CREATE_FLAGS_CREATE_SUSPENDED, &Parameters, &CreateInfo,
                               (PPS_ATTRIBUTE_LIST)&List);
}

/* A second thread in Process, suspended: it never reaches user mode, so its
   stack and CONTEXT only have to pass NtCreateThread's checks. */
static NTSTATUS KstCreateSecondThread(HANDLE Process, PHANDLE Thread)
{
    INITIAL_TEB Teb;
    CONTEXT Context;
    CLIENT_ID Id;

    memset(&Teb, 0, sizeof(Teb));
    Teb.StackBase = (PVOID)0x00200000;
    Teb.StackLimit = Teb.StackAllocationBase = (PVOID)0x001F0000;
    memset(&Context, 0, sizeof(Context));
    Context.ContextFlags = CONTEXT_FULL;
    Context.Eip = 0x00401000;
    Context.Esp = 0x001FFFF0;
    return ZwCreateThread(Thread, THREAD_ALL_ACCESS, NULL, Process, &Id, &Context, &Teb, TRUE);
}

static NTSTATUS KstLastThread(VOID)
{
    HANDLE Process = NULL, First = NULL, Second = NULL;
    PETHREAD FirstThread = NULL, SecondThread = NULL;
    LARGE_INTEGER Timeout;
    ULONG Answer;
    NTSTATUS Status;
    BOOLEAN Alone = FALSE, Counted = FALSE, NotSecond = FALSE, AloneAgain = FALSE;

    KST_CHECK(ZwQueryInformationThread(NtCurrentThread(), ThreadAmILastThread, &Answer, 2, NULL) ==
              STATUS_INFO_LENGTH_MISMATCH);
    Status = KstCreateSuspendedChild(&Process, &First);
    /* Booted without the volume (--mem 16): no C:, nothing to create. */
    if (Status == STATUS_OBJECT_PATH_NOT_FOUND || Status == STATUS_OBJECT_NAME_NOT_FOUND) {
        DbgPrint("    C:\\Tests\\child.exe cannot be created (0x%08lX): nothing to do\n", (ULONG)Status);
        return STATUS_SUCCESS;
    }
    KST_CHECK(NT_SUCCESS(Status));
    Status = ObReferenceObjectByHandle(First, THREAD_QUERY_INFORMATION, PsThreadType, KernelMode,
                                       (PVOID *)&FirstThread, NULL);
    if (NT_SUCCESS(Status)) {
        Alone = PsIsLastThread(FirstThread);
        Status = KstCreateSecondThread(Process, &Second);
    }
    if (NT_SUCCESS(Status))
        Status = ObReferenceObjectByHandle(Second, THREAD_QUERY_INFORMATION, PsThreadType, KernelMode,
                                           (PVOID *)&SecondThread, NULL);
    if (NT_SUCCESS(Status)) {
        Counted = !PsIsLastThread(FirstThread);
        NotSecond = !PsIsLastThread(SecondThread);
        Status = ZwTerminateThread(Second, STATUS_UNSUCCESSFUL);
    }
    if (NT_SUCCESS(Status)) {
        /* Told to end is enough; then really ended, and still alone. */
        AloneAgain = PsIsLastThread(FirstThread);
        Timeout.QuadPart = -5LL * 1000 * 10000;     /* 5 s */
        Status = ZwWaitForSingleObject(Second, FALSE, &Timeout);
        if (Status == STATUS_SUCCESS)
            AloneAgain &= PsIsLastThread(FirstThread);
        else
            Status = STATUS_UNSUCCESSFUL;
    }
    DbgPrint("    alone %u, unstarted thread counted %u/%u, alone after it ended %u\n", Alone, Counted,
             NotSecond, AloneAgain);
    ZwTerminateProcess(Process, STATUS_SUCCESS);
    if (SecondThread != NULL)
        ObDereferenceObject(SecondThread);
    if (FirstThread != NULL)
        ObDereferenceObject(FirstThread);
    if (Second != NULL)
        ZwClose(Second);
    ZwClose(First);
    ZwClose(Process);
    KST_CHECK(NT_SUCCESS(Status));
    KST_CHECK(Alone && Counted && NotSecond && AloneAgain);
    return STATUS_SUCCESS;
}
KSELFTEST(PS_LAST_THREAD, KstLastThread);

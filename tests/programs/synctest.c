/*
 * synctest.c - keyed events (the kernel's NtCreateKeyedEvent, NtOpenKeyedEvent,
 * NtWaitForKeyedEvent, NtReleaseKeyedEvent) and what ntdll builds on them: slim
 * reader/writer locks and condition variables, from ring 3, linked with MinGW's
 * own libntdll.a.
 *
 *   synctest.exe                    every check below
 *   synctest.exe child MODE         a child the parent starts:
 *     release-unowned   releases an SRW lock nobody owns (ends with the raise)
 *     other-process     releases a key the parent waits with (must not meet it)
 *
 * Prints "PASS name" or "FAIL name (value)" per check with DbgPrint, then
 * "synctest: N failed"; the exit status is the number of failures. Threads meet
 * by sleeping and yielding, so a failure can show as a hang: the system test's
 * timeout catches that.
 */
#include "pstest.h"

PST_DEFINE_MEMORY_ROUTINES

NTSYSAPI ULONG __cdecl DbgPrint(PCSTR Format, ...);
NTSYSAPI NTSTATUS NTAPI NtYieldExecution(VOID);
NTSYSAPI NTSTATUS NTAPI NtAlertThread(HANDLE ThreadHandle);
NTSYSAPI NTSTATUS NTAPI NtQueueApcThread(HANDLE Thread, PVOID ApcRoutine, PVOID Argument1, PVOID Argument2,
                                         PVOID Argument3);

/* Keyed events (NT 5.1), which MinGW's headers do not declare. */
#define KEYEDEVENT_WAIT       0x0001
#define KEYEDEVENT_WAKE       0x0002
#define KEYEDEVENT_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | KEYEDEVENT_WAIT | KEYEDEVENT_WAKE)
NTSYSAPI NTSTATUS NTAPI NtCreateKeyedEvent(PHANDLE Handle, ACCESS_MASK Access, POBJECT_ATTRIBUTES Attributes,
                                           ULONG Flags);
NTSYSAPI NTSTATUS NTAPI NtOpenKeyedEvent(PHANDLE Handle, ACCESS_MASK Access, POBJECT_ATTRIBUTES Attributes);
NTSYSAPI NTSTATUS NTAPI NtWaitForKeyedEvent(HANDLE Handle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtReleaseKeyedEvent(HANDLE Handle, PVOID Key, BOOLEAN Alertable, PLARGE_INTEGER Timeout);

/* NT 6's locks, with the layouts and names of its ntdll (winnt.h has the Win32 forms). */
NTSYSAPI VOID NTAPI RtlInitializeSRWLock(PSRWLOCK Lock);
NTSYSAPI VOID NTAPI RtlAcquireSRWLockExclusive(PSRWLOCK Lock);
NTSYSAPI VOID NTAPI RtlAcquireSRWLockShared(PSRWLOCK Lock);
NTSYSAPI VOID NTAPI RtlReleaseSRWLockExclusive(PSRWLOCK Lock);
NTSYSAPI VOID NTAPI RtlReleaseSRWLockShared(PSRWLOCK Lock);
NTSYSAPI BOOLEAN NTAPI RtlTryAcquireSRWLockExclusive(PSRWLOCK Lock);
NTSYSAPI BOOLEAN NTAPI RtlTryAcquireSRWLockShared(PSRWLOCK Lock);
NTSYSAPI VOID NTAPI RtlConvertSRWLockExclusiveToShared(PSRWLOCK Lock);
NTSYSAPI VOID NTAPI RtlInitializeConditionVariable(PCONDITION_VARIABLE Condition);
NTSYSAPI NTSTATUS NTAPI RtlSleepConditionVariableCS(PCONDITION_VARIABLE Condition, PRTL_CRITICAL_SECTION Section,
                                                    PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI RtlSleepConditionVariableSRW(PCONDITION_VARIABLE Condition, PSRWLOCK Lock,
                                                     PLARGE_INTEGER Timeout, ULONG Flags);
NTSYSAPI VOID NTAPI RtlWakeConditionVariable(PCONDITION_VARIABLE Condition);
NTSYSAPI VOID NTAPI RtlWakeAllConditionVariable(PCONDITION_VARIABLE Condition);
NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION Section);

/* Process and thread starting (NT's prototypes). */
typedef NTSTATUS (NTAPI *PUSER_THREAD_START_ROUTINE)(PVOID Parameter);
typedef struct _RTL_USER_PROCESS_INFORMATION {
    ULONG Length;
    HANDLE Process;
    HANDLE Thread;
    NATIVE_CLIENT_ID ClientId;
    NATIVE_SECTION_IMAGE_INFORMATION ImageInformation;
} RTL_USER_PROCESS_INFORMATION;
NTSYSAPI NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID ThreadSecurityDescriptor,
    BOOLEAN CreateSuspended, ULONG_PTR StackZeroBits, SIZE_T StackReserve, SIZE_T StackCommit,
    PUSER_THREAD_START_ROUTINE StartAddress, PVOID Parameter, PHANDLE Thread, NATIVE_CLIENT_ID *ClientId);
NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParameters(NATIVE_PROCESS_PARAMETERS **Parameters, PUNICODE_STRING Image,
    PUNICODE_STRING DllPath, PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine, PVOID Environment,
    PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
    PUNICODE_STRING RuntimeData);
NTSYSAPI NTSTATUS NTAPI RtlDestroyProcessParameters(NATIVE_PROCESS_PARAMETERS *Parameters);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
    NATIVE_PROCESS_PARAMETERS *ProcessParameters, PVOID ProcessSecurityDescriptor,
    PVOID ThreadSecurityDescriptor, HANDLE ParentProcess, BOOLEAN InheritHandles, HANDLE DebugPort,
    HANDLE ExceptionPort, RTL_USER_PROCESS_INFORMATION *ProcessInformation);

#define STATUS_USER_APC_NT             ((NTSTATUS)0x000000C0L)
#define STATUS_TIMEOUT_NT              ((NTSTATUS)0x00000102L)
#define STATUS_ALERTED_NT              ((NTSTATUS)0x00000101L)
#define STATUS_INVALID_PARAMETER_1_NT  ((NTSTATUS)0xC00000EFL)
#define STATUS_INVALID_PARAMETER_4_NT  ((NTSTATUS)0xC00000F2L)
#define STATUS_RESOURCE_NOT_OWNED_NT   ((NTSTATUS)0xC0000264L)
#define ST_IMAGE_NT  L"\\??\\C:\\Tests\\synctest.exe"
#define ST_IMAGE_DOS L"C:\\Tests\\synctest.exe"
#define ST_OTHER_KEY ((PVOID)0x5150)

static ULONG Failures;

static void Check(const char *Name, BOOL Passed, ULONG Value)
{
    if (Passed) {
        DbgPrint("PASS %s\r\n", Name);
    } else {
        DbgPrint("FAIL %s (%08lX)\r\n", Name, Value);
        Failures++;
    }
}

/* A relative timeout of Milliseconds (0: do not wait at all). */
static PLARGE_INTEGER Millis(LARGE_INTEGER *Time, LONG Milliseconds)
{
    Time->QuadPart = -10000LL * Milliseconds;
    return Time;
}

static void SleepFor(LONG Milliseconds)
{
    LARGE_INTEGER Time;

    NtDelayExecution(FALSE, Millis(&Time, Milliseconds));
}

static HANDLE Start(PUSER_THREAD_START_ROUTINE Routine, PVOID Parameter)
{
    HANDLE Thread = NULL;
    NTSTATUS Status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, Routine, Parameter, &Thread,
                                          NULL);

    if (!NT_SUCCESS(Status)) {
        Check("thread-start", FALSE, (ULONG)Status);
        return NULL;
    }
    return Thread;
}

/* Waits for the thread (at most 10 s), closes it, returns its exit status. */
static NTSTATUS Finish(HANDLE Thread)
{
    NATIVE_THREAD_BASIC_INFORMATION Basic;
    LARGE_INTEGER Time;
    NTSTATUS Status;

    if (Thread == NULL)
        return (NTSTATUS)0xDEAD;
    Status = NtWaitForSingleObject(Thread, FALSE, Millis(&Time, 10000));
    if (Status != 0) {
        NtTerminateThread(Thread, 0xDEAD);
        NtClose(Thread);
        return (NTSTATUS)0xDEAD;
    }
    Status = NtQueryInformationThread(Thread, (THREADINFOCLASS)0, &Basic, sizeof(Basic), NULL);  /* ThreadBasicInformation */
    NtClose(Thread);
    return NT_SUCCESS(Status) ? Basic.ExitStatus : Status;
}

/* Lets the other threads run until they have all blocked somewhere. */
static void Settle(void)
{
    for (int Index = 0; Index < 20; Index++)
        NtYieldExecution();
    SleepFor(20);
}

/* ---- keyed events ---- */

static HANDLE Keyed;
static volatile LONG Arrived;

static NTSTATUS NTAPI WaitKeyA(PVOID Parameter)
{
    NTSTATUS Status = NtWaitForKeyedEvent(Keyed, Parameter, FALSE, NULL);

    Arrived = 1;
    return Status;
}

static NTSTATUS NTAPI ReleaseKeyC(PVOID Parameter)
{
    return NtReleaseKeyedEvent(Keyed, Parameter, FALSE, NULL);
}

static NTSTATUS NTAPI WaitAlertable(PVOID Parameter)
{
    return NtWaitForKeyedEvent(NULL, Parameter, TRUE, NULL);
}

static volatile ULONG ApcSum;

static VOID NTAPI CountApc(PVOID Argument1, PVOID Argument2, PVOID Argument3)
{
    ApcSum += (ULONG)(ULONG_PTR)Argument1 + (ULONG)(ULONG_PTR)Argument2 + (ULONG)(ULONG_PTR)Argument3;
}

static NTSTATUS NTAPI WaitSystemKey(PVOID Parameter)
{
    LARGE_INTEGER Time;

    return NtWaitForKeyedEvent(NULL, Parameter, FALSE, Millis(&Time, 3000));
}

static NTSTATUS RunChild(PCWSTR CommandLine, NTSTATUS *ExitStatus);

/* Ends Thread from here and waits until it has gone; its exit status. */
static NTSTATUS Kill(HANDLE Thread, NTSTATUS ExitStatus)
{
    NTSTATUS Status = NtTerminateThread(Thread, ExitStatus);

    if (!NT_SUCCESS(Status))
        return Status;
    return Finish(Thread);
}

/* Waits and releases with short timeouts racing each other: a wait and a release
   that meet both report it, so the successes on both sides are equal. */
#define ST_RACE_ROUNDS 300
static volatile LONG RaceWaitsMet;

static NTSTATUS NTAPI RaceWaits(PVOID Parameter)
{
    LARGE_INTEGER Time;

    for (int Index = 0; Index < ST_RACE_ROUNDS; Index++) {
        if (NtWaitForKeyedEvent(Keyed, Parameter, FALSE, Millis(&Time, Index % 3)) == 0)
            RaceWaitsMet++;
        if (Index % 5 == 0)
            NtYieldExecution();
    }
    return 0;
}

/*
 * A thread ended while it sleeps in the kernel on a keyed event leaves no trace
 * there: its record (on its kernel stack, gone with the thread) is off the queue,
 * so a later release meets the next sleeper instead, and a later wait is not met
 * by a releaser that was ended.
 */
static void TestKeyedEventEnds(ULONG *Key)
{
    HANDLE First, Second;
    LARGE_INTEGER Time;
    NTSTATUS Status, Child, Killed;
    LONG Released = 0;

    Arrived = 0;
    First = Start(WaitKeyA, Key);
    Settle();
    Second = Start(WaitKeyA, Key);
    Settle();
    Killed = Kill(First, 0x1234);
    Status = NtReleaseKeyedEvent(Keyed, Key, FALSE, Millis(&Time, 1000));
    Child = Finish(Second);
    Check("keyed-ended-waiter", Killed == 0x1234 && Status == 0 && Child == 0 && Arrived == 1, (ULONG)Status);

    First = Start(ReleaseKeyC, Key);
    Settle();
    Killed = Kill(First, 0x1234);
    Status = NtWaitForKeyedEvent(Keyed, Key, FALSE, Millis(&Time, 50));
    Check("keyed-ended-releaser", Killed == 0x1234 && Status == STATUS_TIMEOUT_NT, (ULONG)Status);

    /* A suspended sleeper is still queued: a release meets it, and it returns
       met once resumed. */
    Arrived = 0;
    First = Start(WaitKeyA, Key);
    Settle();
    Status = NtSuspendThread(First, NULL);
    if (NT_SUCCESS(Status))
        Status = NtReleaseKeyedEvent(Keyed, Key, FALSE, Millis(&Time, 1000));
    Settle();
    Child = Arrived;
    NtResumeThread(First, NULL);
    Killed = Finish(First);
    Check("keyed-suspended-waiter", Status == 0 && Child == 0 && Killed == 0 && Arrived == 1, (ULONG)Status);

    /* Timeouts of 0 and 1 ms on both sides, racing. */
    RaceWaitsMet = 0;
    First = Start(RaceWaits, Key);
    for (int Index = 0; Index < ST_RACE_ROUNDS; Index++) {
        if (NtReleaseKeyedEvent(Keyed, Key, FALSE, Millis(&Time, (Index + 1) % 2)) == 0)
            Released++;
        if (Index % 7 == 0)
            NtYieldExecution();
    }
    Child = Finish(First);
    Check("keyed-timeout-race", Child == 0 && Released == RaceWaitsMet, (ULONG)Released);
}

static void TestKeyedEvents(void)
{
    UNICODE_STRING Name = PST_STRING(L"\\KernelObjects\\CritSecOutOfMemoryEvent");
    OBJECT_ATTRIBUTES Attributes;
    LARGE_INTEGER Time;
    HANDLE Thread, Opened;
    NTSTATUS Status, Child;
    ULONG Key[4];

    Status = NtCreateKeyedEvent(&Keyed, KEYEDEVENT_ALL_ACCESS, NULL, 0);
    Check("keyed-create", NT_SUCCESS(Status), (ULONG)Status);
    Status = NtCreateKeyedEvent(&Opened, KEYEDEVENT_ALL_ACCESS, NULL, 1);
    Check("keyed-flags", Status == STATUS_INVALID_PARAMETER_4_NT, (ULONG)Status);
    Status = NtWaitForKeyedEvent(Keyed, (PUCHAR)&Key[0] + 1, FALSE, Millis(&Time, 10));
    Check("keyed-odd-key", Status == STATUS_INVALID_PARAMETER_1_NT, (ULONG)Status);
    Status = NtWaitForKeyedEvent(Keyed, &Key[0], FALSE, Millis(&Time, 10));
    Check("keyed-wait-timeout", Status == STATUS_TIMEOUT_NT, (ULONG)Status);
    Status = NtReleaseKeyedEvent(Keyed, &Key[0], FALSE, Millis(&Time, 0));
    Check("keyed-release-timeout", Status == STATUS_TIMEOUT_NT, (ULONG)Status);
    Status = NtWaitForSingleObject(Keyed, FALSE, Millis(&Time, 0));
    Check("keyed-not-waitable", !NT_SUCCESS(Status), (ULONG)Status);

    /* A waiter sleeps until its own key is released; another key does not meet it. */
    Arrived = 0;
    Thread = Start(WaitKeyA, &Key[0]);
    Settle();
    Check("keyed-waits", Arrived == 0, Arrived);
    Status = NtReleaseKeyedEvent(Keyed, &Key[1], FALSE, Millis(&Time, 20));
    Check("keyed-other-key", Status == STATUS_TIMEOUT_NT && Arrived == 0, (ULONG)Status);
    Status = NtReleaseKeyedEvent(Keyed, &Key[0], FALSE, NULL);
    Child = Finish(Thread);
    Check("keyed-meet", Status == 0 && Child == 0 && Arrived == 1, (ULONG)Child);

    /* A release sleeps until its waiter comes. */
    Thread = Start(ReleaseKeyC, &Key[2]);
    Settle();
    Status = NtWaitForKeyedEvent(Keyed, &Key[2], FALSE, Millis(&Time, 1000));
    Child = Finish(Thread);
    Check("keyed-release-first", Status == 0 && Child == 0, (ULONG)Status);

    /* An alertable wait ends for NtAlertThread. */
    Thread = Start(WaitAlertable, &Key[3]);
    Settle();
    Status = NtAlertThread(Thread);
    Child = Finish(Thread);
    Check("keyed-alerted", NT_SUCCESS(Status) && Child == STATUS_ALERTED_NT, (ULONG)Child);

    /* So does a user APC queued to it by another thread (NtQueueApcThread), which
       runs before the wait returns STATUS_USER_APC. */
    ApcSum = 0;
    Thread = Start(WaitAlertable, &Key[3]);
    Settle();
    Status = NtQueueApcThread(Thread, (PVOID)CountApc, (PVOID)1, (PVOID)20, (PVOID)300);
    Child = Finish(Thread);
    Check("keyed-user-apc", NT_SUCCESS(Status) && Child == STATUS_USER_APC_NT && ApcSum == 321, (ULONG)Child);

    /* The system's keyed event, by name, and its rights. */
    InitializeObjectAttributes(&Attributes, &Name, 0, NULL, NULL);
    Status = NtOpenKeyedEvent(&Opened, KEYEDEVENT_WAIT, &Attributes);
    Check("keyed-open-system", NT_SUCCESS(Status), (ULONG)Status);
    if (NT_SUCCESS(Status)) {
        Status = NtReleaseKeyedEvent(Opened, &Key[0], FALSE, Millis(&Time, 0));
        Check("keyed-access", Status == STATUS_ACCESS_DENIED, (ULONG)Status);
        NtClose(Opened);
    }

    /* Keys are per process: another process's release of the same address does
       not meet our waiter (the NULL handle: the system's event, shared by all). */
    Thread = Start(WaitSystemKey, ST_OTHER_KEY);
    Settle();
    Status = RunChild(L"synctest.exe child other-process", &Child);
    Check("keyed-other-process", NT_SUCCESS(Status) && Child == STATUS_TIMEOUT_NT, (ULONG)Child);
    Status = NtReleaseKeyedEvent(NULL, ST_OTHER_KEY, FALSE, NULL);
    Child = Finish(Thread);
    Check("keyed-same-process", Status == 0 && Child == 0, (ULONG)Child);
    TestKeyedEventEnds(&Key[1]);
    NtClose(Keyed);
}

/* ---- slim reader/writer locks ---- */

static SRWLOCK Lock;
static volatile LONG Counter, Inside, Collisions, Readers, MostReaders, Entered;
static volatile LONG PairA, PairB, Torn;

static NTSTATUS NTAPI Writer(PVOID Parameter)
{
    for (ULONG Index = 0; Index < (ULONG)(ULONG_PTR)Parameter; Index++) {
        RtlAcquireSRWLockExclusive(&Lock);
        if (__sync_add_and_fetch(&Inside, 1) != 1)
            Collisions++;
        LONG Value = Counter;
        NtYieldExecution();                 /* let the others try while we hold it */
        Counter = Value + 1;
        __sync_sub_and_fetch(&Inside, 1);
        RtlReleaseSRWLockExclusive(&Lock);
    }
    return 0;
}

static NTSTATUS NTAPI Reader(PVOID Parameter)
{
    LONG Now;

    (void)Parameter;
    RtlAcquireSRWLockShared(&Lock);
    Now = __sync_add_and_fetch(&Readers, 1);
    if (Now > MostReaders)
        MostReaders = Now;
    /* Stay until all three are in together (or long enough to show they cannot be). */
    for (int Index = 0; Index < 200 && Readers < 3; Index++)
        NtYieldExecution();
    if (Readers > MostReaders)
        MostReaders = Readers;
    Settle();
    __sync_sub_and_fetch(&Readers, 1);
    RtlReleaseSRWLockShared(&Lock);
    return 0;
}

static NTSTATUS NTAPI EnterExclusive(PVOID Parameter)
{
    (void)Parameter;
    RtlAcquireSRWLockExclusive(&Lock);
    Entered |= 1;
    Settle();
    RtlReleaseSRWLockExclusive(&Lock);
    return 0;
}

static NTSTATUS NTAPI EnterShared(PVOID Parameter)
{
    (void)Parameter;
    RtlAcquireSRWLockShared(&Lock);
    Entered |= 2;
    RtlReleaseSRWLockShared(&Lock);
    return 0;
}

/* Readers must never see the pair half-written; writers keep it equal. */
static NTSTATUS NTAPI Mixed(PVOID Parameter)
{
    ULONG Seed = (ULONG)(ULONG_PTR)Parameter;

    for (int Index = 0; Index < 150; Index++) {
        Seed = Seed * 1103515245 + 12345;
        if ((Seed >> 16) % 4 == 0) {
            RtlAcquireSRWLockExclusive(&Lock);
            PairA++;
            NtYieldExecution();
            PairB++;
            RtlReleaseSRWLockExclusive(&Lock);
        } else {
            RtlAcquireSRWLockShared(&Lock);
            LONG A = PairA;
            NtYieldExecution();
            if (PairB != A)
                Torn++;
            RtlReleaseSRWLockShared(&Lock);
        }
    }
    return 0;
}

/*
 * Every operation at random from several threads, yielding inside and between:
 * a writer is alone (no other writer, no reader), readers only with readers, a
 * writer turned reader lets no writer in before its release, and the lock ends
 * free with nobody counted.
 */
#define ST_STRESS_THREADS 6
static volatile LONG Writers, SharedIn, Broken;

static void StressExclusiveBody(void)
{
    if (__sync_add_and_fetch(&Writers, 1) != 1 || SharedIn != 0)
        Broken++;
    NtYieldExecution();
    if (Writers != 1 || SharedIn != 0)
        Broken++;
    __sync_sub_and_fetch(&Writers, 1);
}

static void StressSharedBody(ULONG Seed)
{
    __sync_add_and_fetch(&SharedIn, 1);
    if (Writers != 0)
        Broken++;
    if (Seed & 0x100)
        NtYieldExecution();
    if (Writers != 0)
        Broken++;
    __sync_sub_and_fetch(&SharedIn, 1);
}

static NTSTATUS NTAPI SrwStress(PVOID Parameter)
{
    ULONG Seed = (ULONG)(ULONG_PTR)Parameter;

    for (int Index = 0; Index < 300; Index++) {
        Seed = Seed * 1103515245 + 12345;
        switch ((Seed >> 16) % 6) {
        case 0:
            RtlAcquireSRWLockExclusive(&Lock);
            StressExclusiveBody();
            RtlReleaseSRWLockExclusive(&Lock);
            break;
        case 1:
        case 2:
            RtlAcquireSRWLockShared(&Lock);
            StressSharedBody(Seed);
            RtlReleaseSRWLockShared(&Lock);
            break;
        case 3:
            if (RtlTryAcquireSRWLockExclusive(&Lock)) {
                StressExclusiveBody();
                RtlReleaseSRWLockExclusive(&Lock);
            }
            break;
        case 4:
            if (RtlTryAcquireSRWLockShared(&Lock)) {
                StressSharedBody(Seed);
                RtlReleaseSRWLockShared(&Lock);
            }
            break;
        default:
            RtlAcquireSRWLockExclusive(&Lock);
            StressExclusiveBody();
            __sync_add_and_fetch(&SharedIn, 1);      /* a reader from the conversion on */
            RtlConvertSRWLockExclusiveToShared(&Lock);
            StressSharedBody(Seed);
            __sync_sub_and_fetch(&SharedIn, 1);
            RtlReleaseSRWLockShared(&Lock);
            break;
        }
        if (Seed & 0x200)
            NtYieldExecution();
    }
    return 0;
}

static void TestSrwLocks(void)
{
    HANDLE Threads[4];
    NTSTATUS Child;
    BOOL Done;

    RtlInitializeSRWLock(&Lock);
    Check("srw-init", Lock.Ptr == NULL, 0);
    for (int Index = 0; Index < 4; Index++)
        Threads[Index] = Start(Writer, (PVOID)100);
    for (int Index = 0; Index < 4; Index++)
        Finish(Threads[Index]);
    Check("srw-exclusive", Counter == 400 && Collisions == 0, (ULONG)Counter);
    Check("srw-free-after", Lock.Ptr == NULL, (ULONG)(ULONG_PTR)Lock.Ptr);

    for (int Index = 0; Index < 3; Index++)
        Threads[Index] = Start(Reader, NULL);
    for (int Index = 0; Index < 3; Index++)
        Finish(Threads[Index]);
    Check("srw-shared", MostReaders == 3, (ULONG)MostReaders);

    Done = RtlTryAcquireSRWLockExclusive(&Lock);
    Check("srw-try-exclusive", Done && !RtlTryAcquireSRWLockExclusive(&Lock) && !RtlTryAcquireSRWLockShared(&Lock), 0);
    RtlReleaseSRWLockExclusive(&Lock);
    Done = RtlTryAcquireSRWLockShared(&Lock) && RtlTryAcquireSRWLockShared(&Lock);
    Check("srw-try-shared", Done && !RtlTryAcquireSRWLockExclusive(&Lock), 0);
    RtlReleaseSRWLockShared(&Lock);
    RtlReleaseSRWLockShared(&Lock);
    Check("srw-try-free", Lock.Ptr == NULL, (ULONG)(ULONG_PTR)Lock.Ptr);

    /* A writer waits for the reader; a reader arriving then queues behind the
       writer, and comes in after it. */
    Entered = 0;
    RtlAcquireSRWLockShared(&Lock);
    Threads[0] = Start(EnterExclusive, NULL);
    Settle();
    Check("srw-writer-waits", Entered == 0, Entered);
    Check("srw-reader-queues", !RtlTryAcquireSRWLockShared(&Lock), 0);
    Threads[1] = Start(EnterShared, NULL);
    Settle();
    Check("srw-reader-waits", Entered == 0, Entered);
    RtlReleaseSRWLockShared(&Lock);
    Finish(Threads[0]);
    Finish(Threads[1]);
    Check("srw-handover", Entered == 3 && Lock.Ptr == NULL, Entered);

    /* A writer turned reader lets the waiting readers in. */
    Entered = 0;
    RtlAcquireSRWLockExclusive(&Lock);
    Threads[0] = Start(EnterShared, NULL);
    Settle();
    Check("srw-convert-before", Entered == 0, Entered);
    RtlConvertSRWLockExclusiveToShared(&Lock);
    Child = Finish(Threads[0]);
    Check("srw-convert", Entered == 2 && Child == 0, Entered);
    RtlReleaseSRWLockShared(&Lock);

    for (int Index = 0; Index < 4; Index++)
        Threads[Index] = Start(Mixed, (PVOID)(ULONG_PTR)(Index * 7919 + 1));
    for (int Index = 0; Index < 4; Index++)
        Finish(Threads[Index]);
    Check("srw-mixed", Torn == 0 && PairA == PairB && Lock.Ptr == NULL, (ULONG)Torn);

    {
        HANDLE Stress[ST_STRESS_THREADS];
        LONG Ended = 0;

        for (int Index = 0; Index < ST_STRESS_THREADS; Index++)
            Stress[Index] = Start(SrwStress, (PVOID)(ULONG_PTR)(Index * 40503 + 17));
        for (int Index = 0; Index < ST_STRESS_THREADS; Index++)
            Ended += Finish(Stress[Index]) == 0;
        Check("srw-stress", Ended == ST_STRESS_THREADS && Broken == 0 && Lock.Ptr == NULL, (ULONG)Broken);
    }

    Check("srw-release-unowned",
          NT_SUCCESS(RunChild(L"synctest.exe child release-unowned", &Child)) && Child == STATUS_RESOURCE_NOT_OWNED_NT,
          (ULONG)Child);
}

/* ---- condition variables ---- */

static RTL_CRITICAL_SECTION Section;
static CONDITION_VARIABLE NotEmpty, NotFull, Gate;
static volatile LONG Queue[2], QueueCount, Produced, Consumed, Sum, Woken, Opened;

static NTSTATUS NTAPI Producer(PVOID Parameter)
{
    for (LONG Index = 1; Index <= 100; Index++) {
        RtlEnterCriticalSection(&Section);
        while (QueueCount == 2)
            RtlSleepConditionVariableCS(&NotFull, &Section, NULL);
        Queue[QueueCount++] = Index + (LONG)(ULONG_PTR)Parameter;
        Produced++;
        RtlWakeConditionVariable(&NotEmpty);
        RtlLeaveCriticalSection(&Section);
    }
    return 0;
}

static NTSTATUS NTAPI Consumer(PVOID Parameter)
{
    (void)Parameter;
    for (int Index = 0; Index < 100; Index++) {
        RtlEnterCriticalSection(&Section);
        while (QueueCount == 0)
            RtlSleepConditionVariableCS(&NotEmpty, &Section, NULL);
        Sum += Queue[--QueueCount];
        Consumed++;
        RtlWakeConditionVariable(&NotFull);
        RtlLeaveCriticalSection(&Section);
    }
    return 0;
}

/* Sleeps on Gate until Opened, holding Lock shared or exclusive (Parameter). */
static NTSTATUS NTAPI GateSleeper(PVOID Parameter)
{
    ULONG Flags = (ULONG)(ULONG_PTR)Parameter;

    if (Flags)
        RtlAcquireSRWLockShared(&Lock);
    else
        RtlAcquireSRWLockExclusive(&Lock);
    while (!Opened)
        RtlSleepConditionVariableSRW(&Gate, &Lock, NULL, Flags);
    __sync_add_and_fetch(&Woken, 1);
    if (Flags)
        RtlReleaseSRWLockShared(&Lock);
    else
        RtlReleaseSRWLockExclusive(&Lock);
    return 0;
}

/* Sleeps on Gate once, however it ends; counts the wake. */
static NTSTATUS NTAPI OneSleep(PVOID Parameter)
{
    NTSTATUS Status;

    (void)Parameter;
    RtlEnterCriticalSection(&Section);
    Status = RtlSleepConditionVariableCS(&Gate, &Section, NULL);
    __sync_add_and_fetch(&Woken, 1);
    RtlLeaveCriticalSection(&Section);
    return Status;
}

/* Sleeps with timeouts as short as they come, racing the waker below. */
static NTSTATUS NTAPI ShortSleeper(PVOID Parameter)
{
    LARGE_INTEGER Time;

    (void)Parameter;
    for (int Index = 0; Index < 150; Index++) {
        RtlEnterCriticalSection(&Section);
        RtlSleepConditionVariableCS(&Gate, &Section, Millis(&Time, Index % 3 == 0 ? 0 : 10));
        RtlLeaveCriticalSection(&Section);
    }
    return 0;
}

static NTSTATUS NTAPI Waker(PVOID Parameter)
{
    (void)Parameter;
    for (int Index = 0; Index < 300; Index++) {
        RtlEnterCriticalSection(&Section);
        if (Index % 2)
            RtlWakeConditionVariable(&Gate);
        else
            RtlWakeAllConditionVariable(&Gate);
        RtlLeaveCriticalSection(&Section);
        NtYieldExecution();
    }
    return 0;
}

/*
 * Many sleepers, with timeouts of 0, 1 ms and none, and wakers alternating wakes
 * of one and of all with yields between: every sleeper comes back (the ones
 * without a timeout when Stop is set and all are woken), and the variable ends
 * with nobody counted. Half the sleepers hold an SRW lock, half a section.
 */
#define ST_STORM_SLEEPERS 6
static CONDITION_VARIABLE Storm;
static SRWLOCK StormLock;
static volatile LONG Stop, StormWakes;

static NTSTATUS NTAPI StormSleeper(PVOID Parameter)
{
    ULONG Seed = (ULONG)(ULONG_PTR)Parameter;
    BOOL UseSrw = Seed & 1;
    LARGE_INTEGER Time;

    for (int Index = 0; Index < 200; Index++) {
        PLARGE_INTEGER Timeout;

        Seed = Seed * 1103515245 + 12345;
        switch ((Seed >> 16) % 3) {
        case 0: Timeout = Millis(&Time, 0); break;
        case 1: Timeout = Millis(&Time, 1); break;
        default: Timeout = NULL; break;
        }
        if (UseSrw) {
            RtlAcquireSRWLockExclusive(&StormLock);
            if (!Stop)
                RtlSleepConditionVariableSRW(&Storm, &StormLock, Timeout, 0);
            RtlReleaseSRWLockExclusive(&StormLock);
        } else {
            RtlEnterCriticalSection(&Section);
            if (!Stop)
                RtlSleepConditionVariableCS(&Storm, &Section, Timeout);
            RtlLeaveCriticalSection(&Section);
        }
        if (Seed & 0x400)
            NtYieldExecution();
    }
    return 0;
}

static NTSTATUS NTAPI StormWaker(PVOID Parameter)
{
    ULONG Seed = (ULONG)(ULONG_PTR)Parameter;

    while (!Stop) {
        Seed = Seed * 1103515245 + 12345;
        if ((Seed >> 16) % 3 == 0)
            RtlWakeAllConditionVariable(&Storm);
        else
            RtlWakeConditionVariable(&Storm);
        StormWakes++;
        if (Seed & 0x100)
            NtYieldExecution();
    }
    return 0;
}

static void TestConditionStorm(void)
{
    HANDLE Sleepers[ST_STORM_SLEEPERS], Wakers[2];
    LONG Ended = 0;

    RtlInitializeConditionVariable(&Storm);
    RtlInitializeSRWLock(&StormLock);
    Stop = 0;
    for (int Index = 0; Index < 2; Index++)
        Wakers[Index] = Start(StormWaker, (PVOID)(ULONG_PTR)(Index * 3 + 5));
    for (int Index = 0; Index < ST_STORM_SLEEPERS; Index++)
        Sleepers[Index] = Start(StormSleeper, (PVOID)(ULONG_PTR)(Index * 7919 + Index));
    for (int Index = 0; Index < ST_STORM_SLEEPERS; Index++) {
        /* The sleepers without a timeout need a wake once the wakers have stopped:
           Stop is set and read under the sleepers' locks, then all are woken. */
        if (Index == 0) {
            NtWaitForSingleObject(Sleepers[0], FALSE, NULL);
            RtlAcquireSRWLockExclusive(&StormLock);
            RtlEnterCriticalSection(&Section);
            Stop = 1;
            RtlLeaveCriticalSection(&Section);
            RtlReleaseSRWLockExclusive(&StormLock);
            for (int Waker = 0; Waker < 2; Waker++)
                Finish(Wakers[Waker]);
            RtlWakeAllConditionVariable(&Storm);
        }
        Ended += Finish(Sleepers[Index]) == 0;
    }
    Check("cv-storm", Ended == ST_STORM_SLEEPERS && Storm.Ptr == NULL && StormLock.Ptr == NULL &&
          Section.LockCount == -1, (ULONG)Ended);
}

static void TestConditionVariables(void)
{
    HANDLE Threads[4];
    LARGE_INTEGER Time;
    NTSTATUS Status;

    RtlInitializeCriticalSection(&Section);
    RtlInitializeConditionVariable(&NotEmpty);
    RtlInitializeConditionVariable(&NotFull);
    RtlInitializeConditionVariable(&Gate);
    Check("cv-init", NotEmpty.Ptr == NULL, 0);

    /* Two producers, two consumers, a queue of two. */
    Threads[0] = Start(Producer, (PVOID)0);
    Threads[1] = Start(Consumer, NULL);
    Threads[2] = Start(Producer, (PVOID)1000);
    Threads[3] = Start(Consumer, NULL);
    for (int Index = 0; Index < 4; Index++)
        Finish(Threads[Index]);
    Check("cv-producer-consumer", Produced == 200 && Consumed == 200 && Sum == 2 * 5050 + 100 * 1000, (ULONG)Sum);
    Check("cv-empty-after", NotEmpty.Ptr == NULL && NotFull.Ptr == NULL, (ULONG)(ULONG_PTR)NotEmpty.Ptr);

    /* A timeout with nobody to wake: STATUS_TIMEOUT, the section held again. */
    RtlEnterCriticalSection(&Section);
    Status = RtlSleepConditionVariableCS(&Gate, &Section, Millis(&Time, 20));
    Check("cv-timeout", Status == STATUS_TIMEOUT_NT && Section.RecursionCount == 1 && Gate.Ptr == NULL,
          (ULONG)Status);
    RtlLeaveCriticalSection(&Section);

    /* One wake wakes one sleeper; a wake of all the rest. */
    Woken = 0;
    for (int Index = 0; Index < 3; Index++)
        Threads[Index] = Start(OneSleep, NULL);
    Settle();
    Check("cv-sleeping", Woken == 0 && (ULONG)(ULONG_PTR)Gate.Ptr == 3, (ULONG)(ULONG_PTR)Gate.Ptr);
    RtlWakeConditionVariable(&Gate);
    Settle();
    Check("cv-wake-one", Woken == 1, (ULONG)Woken);
    RtlWakeAllConditionVariable(&Gate);
    for (int Index = 0; Index < 3; Index++)
        Finish(Threads[Index]);
    Check("cv-wake-all", Woken == 3 && Gate.Ptr == NULL, (ULONG)Woken);

    /* With an SRW lock, held shared by some sleepers and exclusive by another. */
    Woken = 0;
    Opened = 0;
    Threads[0] = Start(GateSleeper, (PVOID)1);
    Threads[1] = Start(GateSleeper, (PVOID)1);
    Threads[2] = Start(GateSleeper, (PVOID)0);
    Settle();
    RtlAcquireSRWLockExclusive(&Lock);
    Opened = 1;
    RtlWakeAllConditionVariable(&Gate);
    RtlReleaseSRWLockExclusive(&Lock);
    for (int Index = 0; Index < 3; Index++)
        Finish(Threads[Index]);
    Check("cv-srw", Woken == 3 && Lock.Ptr == NULL && Gate.Ptr == NULL, (ULONG)Woken);
    Status = RtlSleepConditionVariableSRW(&Gate, &Lock, NULL, 2);
    Check("cv-srw-flags", Status == STATUS_INVALID_PARAMETER_4_NT && Lock.Ptr == NULL, (ULONG)Status);

    /* Timeouts racing wakes: nobody is lost or left counted. */
    Threads[0] = Start(ShortSleeper, NULL);
    Threads[1] = Start(ShortSleeper, NULL);
    Threads[2] = Start(Waker, NULL);
    for (int Index = 0; Index < 3; Index++)
        Finish(Threads[Index]);
    Check("cv-timeout-race", Gate.Ptr == NULL && Section.LockCount == -1, (ULONG)(ULONG_PTR)Gate.Ptr);
    TestConditionStorm();
    RtlDeleteCriticalSection(&Section);
}

/* ---- children ---- */

static NTSTATUS RunChild(PCWSTR CommandLine, NTSTATUS *ExitStatus)
{
    UNICODE_STRING Image = PST_STRING(ST_IMAGE_NT), DosImage = PST_STRING(ST_IMAGE_DOS), Command;
    NATIVE_PROCESS_PARAMETERS *Parameters;
    RTL_USER_PROCESS_INFORMATION Info;
    PROCESS_BASIC_INFORMATION Basic;
    LARGE_INTEGER Time;
    NTSTATUS Status;

    RtlInitUnicodeString(&Command, CommandLine);
    Status = RtlCreateProcessParameters(&Parameters, &DosImage, NULL, NULL, &Command, NULL, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlCreateUserProcess(&Image, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL,
                                  &Info);
    RtlDestroyProcessParameters(Parameters);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtResumeThread(Info.Thread, NULL);
    if (NT_SUCCESS(Status))
        Status = NtWaitForSingleObject(Info.Process, FALSE, Millis(&Time, 10000));
    if (Status == 0)
        Status = NtQueryInformationProcess(Info.Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    else
        NtTerminateProcess(Info.Process, 1);
    if (NT_SUCCESS(Status))
        *ExitStatus = Basic.ExitStatus;
    NtClose(Info.Thread);
    NtClose(Info.Process);
    return Status == STATUS_TIMEOUT_NT ? (NTSTATUS)0xC00000B5L : Status;    /* STATUS_IO_TIMEOUT */
}

static NTSTATUS ChildMain(const char *Mode)
{
    LARGE_INTEGER Time;

    if (PstEqual(Mode, "release-unowned")) {
        RtlReleaseSRWLockExclusive(&Lock);  /* raises: never returns */
        return 1;
    }
    if (PstEqual(Mode, "other-process"))
        return NtReleaseKeyedEvent(NULL, ST_OTHER_KEY, FALSE, Millis(&Time, 200));
    return 2;
}

NTSTATUS NTAPI SyncTestStart(PVOID Peb)
{
    char Buffer[128], *Words[4];
    ULONG Count = PstSplitCommandLine(Buffer, sizeof(Buffer), Words, 4);

    (void)Peb;
    if (Count == 2 && PstEqual(Words[0], "child"))
        NtTerminateProcess(NtCurrentProcess(), ChildMain(Words[1]));
    TestKeyedEvents();
    TestSrwLocks();
    TestConditionVariables();
    DbgPrint("synctest: %lu failed\r\n", Failures);
    NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)Failures);
    return 0;
}

/*
 * scfuzz.c - a deterministic ring-3 system-call fuzzer: every native service, called
 * through ntdll's own exports with hostile arguments drawn from a seeded PRNG, to
 * hold the kernel to its bar: nothing ring 3 does brings it down. A bad pointer,
 * handle, length or service number returns an NTSTATUS; a program that crashes ends
 * with its exception code.
 *
 *   scfuzz.exe [SEED [CHILDREN [CALLS [FIRST]]]]   the parent (defaults: 1, 48, 300, 0);
 *                                          FIRST: the first child's number (to rerun one)
 *   scfuzz.exe child SEED CALLS            one child: CALLS calls, then a last one
 *
 * The parent first checks the doors themselves with exact answers: service numbers
 * past the table, in the tables that do not exist (EAX = 0x1000, 0x2000, 0x3FFF...),
 * through INT 2E and through KiFastSystemCall (STATUS_INVALID_SYSTEM_SERVICE), and
 * argument pointers in kernel space or straddling the end of user space
 * (STATUS_ACCESS_VIOLATION). Then it runs CHILDREN copies of itself, one at a time,
 * child i with seed SEED * 65537 + i, each with no handles of the parent's: a child
 * makes one object of each type, a few stale handles and pages of every kind
 * (read-only, guard, decommitted, a valid page ending at an unmapped one), and calls
 * CALLS services chosen at random with arguments of each one's kind mixed with any
 * other kind. The parent waits for each child (CHILD_TIMEOUT_MS at most: a child
 * still running then is hung, and is ended and reported), records how it ended (any
 * status is fine: a crash ends a child with its exception code), ends what the child
 * left running (the idle process it made to be a target, and any process it made),
 * and checks that the child's process and thread objects are gone (their client IDs
 * no longer open: nothing kept a reference). After all children its own handle count,
 * the number of processes, and the references to the section the children shared
 * (ObjectBasicInformation) must be where they were: no leaks. NtQuerySystemInformation
 * here has no pool or page counters for user mode (basic, time of day and the task
 * list only), so those are what ring 3 can see. The last line is
 *   scfuzz: N calls in M children, K kernel failures
 * and the exit status is 0 when K is 0.
 *
 * What a child may not do in its CALLS calls, and why (each comes back tamed, not
 * left out: the arguments that would end or stop the fuzzer itself are replaced):
 *   - end itself: NtTerminateProcess / NtTerminateThread / NtSuspendProcess /
 *     NtSuspendThread / NtSetContextThread / NtQueueApcThread on its own process or
 *     thread (a handle that turns out to be either, however it was obtained, is
 *     swapped for another): the rest of its calls would not run, or never return;
 *   - NtContinue and NtRaiseException with a CONTEXT that can be read: they would
 *     resume somewhere random or raise an exception nobody handles; they get
 *     unreadable or straddling ones, which must be refused;
 *   - wait forever: NtWaitForSingleObject / NtWaitForMultipleObjects /
 *     NtSignalAndWaitForSingleObject / NtDelayExecution / NtWaitForKeyedEvent /
 *     NtReleaseKeyedEvent get a timeout of at most
 *     10 ms (or a bad pointer to one), never NULL (infinite) or a long one;
 *   - have user APCs run random code: APC routines (NtQueueApcThread, NtSetTimer,
 *     the I/O services) are NULL, so an alertable wait delivers nothing random;
 *   - NtCreateThread starts its thread suspended (random registers would crash it);
 *   - free, protect, unmap or overwrite its own code, stack, scratch pages or ntdll:
 *     the virtual-memory services get target addresses from a pool that leaves those
 *     out (bad addresses and a victim region instead);
 *   - open its parent: the client IDs NtOpenProcess/NtOpenThread get are its own,
 *     its victim's, the System process's, 0 or ones that do not exist, since a child
 *     that could open its parent could end the test from inside;
 *   - NtMakeTemporaryObject only on the objects it made itself: on \??\C: or
 *     \BaseNamedObjects it would delete names the next child needs.
 * Then, once the CALLS calls are done, the last call is one that ends it, with
 * hostile arguments: NtContinue or NtSetContextThread of itself with a random CONTEXT
 * (kernel segments, IOPL, VM86, kernel EIP, debug registers), NtRaiseException with
 * a random record, NtTerminateThread/NtTerminateProcess of itself with a random
 * status, an APC at a random address delivered by NtTestAlert. Left out entirely:
 * NtSuspendThread of the last thread of a process (nothing could resume it: a hang
 * by design, not a kernel defect).
 */
#include "pstest.h"

PST_DEFINE_MEMORY_ROUTINES

NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParameters(NATIVE_PROCESS_PARAMETERS **Parameters, PUNICODE_STRING Image,
                                                   PUNICODE_STRING DllPath, PUNICODE_STRING CurrentDirectory,
                                                   PUNICODE_STRING CommandLine, PVOID Environment,
                                                   PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo,
                                                   PUNICODE_STRING ShellInfo, PUNICODE_STRING RuntimeData);
NTSYSAPI NTSTATUS NTAPI RtlDestroyProcessParameters(NATIVE_PROCESS_PARAMETERS *Parameters);

typedef struct _RTL_USER_PROCESS_INFORMATION {
    ULONG Length;
    HANDLE Process;
    HANDLE Thread;
    NATIVE_CLIENT_ID ClientId;
    NATIVE_SECTION_IMAGE_INFORMATION ImageInformation;
} RTL_USER_PROCESS_INFORMATION;

NTSYSAPI NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
    NATIVE_PROCESS_PARAMETERS *ProcessParameters, PVOID ProcessSecurityDescriptor,
    PVOID ThreadSecurityDescriptor, HANDLE ParentProcess, BOOLEAN InheritHandles, HANDLE DebugPort,
    HANDLE ExceptionPort, RTL_USER_PROCESS_INFORMATION *ProcessInformation);
typedef NTSTATUS (NTAPI *PUSER_THREAD_START_ROUTINE)(PVOID Parameter);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID ThreadSecurityDescriptor,
    BOOLEAN CreateSuspended, ULONG_PTR StackZeroBits, SIZE_T StackReserve, SIZE_T StackCommit,
    PUSER_THREAD_START_ROUTINE StartAddress, PVOID Parameter, PHANDLE Thread, NATIVE_CLIENT_ID *ClientId);
NTSYSAPI NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE Process, PVOID *Base, PSIZE_T Size, ULONG FreeType);
NTSYSAPI NTSTATUS NTAPI NtCreateDirectoryObject(PHANDLE Handle, ACCESS_MASK Access, POBJECT_ATTRIBUTES Attributes);
NTSYSAPI NTSTATUS NTAPI NtCreateSymbolicLinkObject(PHANDLE Handle, ACCESS_MASK Access, POBJECT_ATTRIBUTES Attributes,
                                                   PUNICODE_STRING Target);
NTSYSAPI NTSTATUS NTAPI NtCreateSemaphore(PHANDLE Handle, ACCESS_MASK Access, POBJECT_ATTRIBUTES Attributes,
                                          LONG Initial, LONG Maximum);
NTSYSAPI NTSTATUS NTAPI NtCreateMutant(PHANDLE Handle, ACCESS_MASK Access, POBJECT_ATTRIBUTES Attributes,
                                       BOOLEAN InitialOwner);
NTSYSAPI NTSTATUS NTAPI NtCreateTimer(PHANDLE Handle, ACCESS_MASK Access, POBJECT_ATTRIBUTES Attributes, ULONG Type);
NTSYSAPI NTSTATUS NTAPI NtSetInformationObject(HANDLE Handle, ULONG Class, PVOID Information, ULONG Length);

#define STATUS_INVALID_SYSTEM_SERVICE_NT ((NTSTATUS)0xC000001CL)
#define STATUS_TIMEOUT_NT                ((NTSTATUS)0x00000102L)

#define SC_IMAGE_NT        L"\\??\\C:\\Tests\\scfuzz.exe"
#define SC_IMAGE_DOS       L"C:\\Tests\\scfuzz.exe"
#define SC_VICTIM_NT       L"\\??\\C:\\Tests\\idle.exe"
#define SC_SHARED_NAME     L"\\BaseNamedObjects\\ScFuzzShared"
#define SC_DIRECTORY_NT    L"\\??\\C:\\ScFuzzDir"
#define SC_DIRECTORY_DOS   L"C:\\ScFuzzDir\\"

#define CHILD_TIMEOUT_MS   10000
#define DEFAULT_SEED       1
#define DEFAULT_CHILDREN   48
#define DEFAULT_CALLS      300

/* What a child tells its parent, in a section both map (the parent resets it). */
typedef struct _SC_SHARED {
    volatile ULONG Calls;           /* calls made so far */
    volatile ULONG Service;         /* the table index of the one being made */
    volatile ULONG Finale;          /* the last call has begun */
} SC_SHARED;

/* ---- the services ---- */

/*
 * Every service of include/nt/sysfuncs.lst, by its ntdll export: SC(Name, argument
 * bytes, kinds, flags). The import's decorated name (__imp__NtClose@4) comes from
 * MinGW's libntdll.a, so a wrong argument count does not link; the kinds string has
 * one letter per argument and its length is checked against the bytes:
 *   H handle      W PHANDLE (out)        A ACCESS_MASK   O POBJECT_ATTRIBUTES
 *   U UNICODE_STRING pointer             T PLARGE_INTEGER   C PCONTEXT
 *   B BOOLEAN     V PVOID * (in/out)     S PSIZE_T (in/out) R a routine (APC)
 *   P any other pointer    L a length   I an integer, class or flags
 *   M an array of handles (NtWaitForMultipleObjects)
 */
#define SCF_WAIT     0x01           /* its T is a timeout: bounded */
#define SCF_SELF     0x02           /* its first H must not be this process or thread */
#define SCF_CONTEXT  0x04           /* NtContinue/NtRaiseException: no readable CONTEXT */
#define SCF_SUSPEND  0x08           /* NtCreateThread: the thread starts suspended */
#define SCF_MEMORY   0x10           /* addresses from the victim pool (V, and P as address) */
#define SCF_CID      0x20           /* NtOpenProcess/NtOpenThread: the client ID is tamed */
#define SCF_OWNED    0x40           /* NtMakeTemporaryObject: only objects made here */

#define SC_SERVICES(SC)                                                        \
    SC(NtAlertThread, 4, "H", 0)                                               \
    SC(NtAllocateVirtualMemory, 24, "HVISII", SCF_MEMORY)                      \
    SC(NtCallbackReturn, 12, "PLI", 0)                                         \
    SC(NtCancelTimer, 8, "HP", 0)                                              \
    SC(NtClearEvent, 4, "H", 0)                                                \
    SC(NtClose, 4, "H", 0)                                                     \
    SC(NtContinue, 8, "CB", SCF_CONTEXT)                                       \
    SC(NtCreateDirectoryObject, 12, "WAO", 0)                                  \
    SC(NtCreateEvent, 20, "WAOIB", 0)                                          \
    SC(NtCreateFile, 44, "WAOPTIIIIPL", 0)                                     \
    SC(NtCreateKeyedEvent, 16, "WAOI", 0)                                      \
    SC(NtCreateMutant, 16, "WAOB", 0)                                          \
    SC(NtCreateProcess, 32, "WAOHBHHH", 0)                                     \
    SC(NtCreateProcessEx, 36, "WAOHIHHHI", 0)                                  \
    SC(NtCreateSection, 28, "WAOTIIH", 0)                                      \
    SC(NtCreateSemaphore, 20, "WAOII", 0)                                      \
    SC(NtCreateSymbolicLinkObject, 16, "WAOU", 0)                              \
    SC(NtCreateThread, 32, "WAOHPCPB", SCF_SUSPEND)                            \
    SC(NtCreateTimer, 16, "WAOI", 0)                                           \
    SC(NtCreateUserProcess, 44, "WWAAOOIIPPP", 0)                              \
    SC(NtDelayExecution, 8, "BT", SCF_WAIT)                                    \
    SC(NtDeleteFile, 4, "O", 0)                                                \
    SC(NtDuplicateObject, 28, "HHHWAII", 0)                                    \
    SC(NtFlushBuffersFile, 8, "HP", 0)                                         \
    SC(NtFreeVirtualMemory, 16, "HVSI", SCF_MEMORY)                            \
    SC(NtGetContextThread, 8, "HC", 0)                                         \
    SC(NtMakeTemporaryObject, 4, "H", SCF_OWNED)                               \
    SC(NtMapViewOfSection, 40, "HHVILTSIII", SCF_MEMORY)                       \
    SC(NtOpenDirectoryObject, 12, "WAO", 0)                                    \
    SC(NtOpenEvent, 12, "WAO", 0)                                              \
    SC(NtOpenFile, 24, "WAOPII", 0)                                            \
    SC(NtOpenKeyedEvent, 12, "WAO", 0)                                         \
    SC(NtOpenMutant, 12, "WAO", 0)                                             \
    SC(NtOpenProcess, 16, "WAOP", SCF_CID)                                     \
    SC(NtOpenSection, 12, "WAO", 0)                                            \
    SC(NtOpenSemaphore, 12, "WAO", 0)                                          \
    SC(NtOpenSymbolicLinkObject, 12, "WAO", 0)                                 \
    SC(NtOpenThread, 16, "WAOP", SCF_CID)                                      \
    SC(NtOpenTimer, 12, "WAO", 0)                                              \
    SC(NtProtectVirtualMemory, 20, "HVSIP", SCF_MEMORY)                        \
    SC(NtPulseEvent, 8, "HP", 0)                                               \
    SC(NtQueryAttributesFile, 8, "OP", 0)                                      \
    SC(NtQueryDirectoryFile, 44, "HHRPPPLIBUB", 0)                             \
    SC(NtQueryDirectoryObject, 28, "HPLBBPP", 0)                               \
    SC(NtQueryEvent, 20, "HIPLP", 0)                                           \
    SC(NtQueryInformationFile, 20, "HPPLI", 0)                                 \
    SC(NtQueryInformationProcess, 20, "HIPLP", 0)                              \
    SC(NtQueryInformationThread, 20, "HIPLP", 0)                               \
    SC(NtQueryMutant, 20, "HIPLP", 0)                                          \
    SC(NtQueryObject, 20, "HIPLP", 0)                                          \
    SC(NtQueryPerformanceCounter, 8, "TT", 0)                                  \
    SC(NtQuerySection, 20, "HIPLS", 0)                                         \
    SC(NtQuerySemaphore, 20, "HIPLP", 0)                                       \
    SC(NtQuerySymbolicLinkObject, 12, "HUP", 0)                                \
    SC(NtQuerySystemInformation, 16, "IPLP", 0)                                \
    SC(NtQuerySystemTime, 4, "T", 0)                                           \
    SC(NtQueryTimer, 20, "HIPLP", 0)                                           \
    SC(NtQueryTimerResolution, 12, "PPP", 0)                                   \
    SC(NtQueryVirtualMemory, 24, "HPIPLS", 0)                                  \
    SC(NtQueryVolumeInformationFile, 20, "HPPLI", 0)                           \
    SC(NtQueueApcThread, 20, "HRPPP", SCF_SELF)                                \
    SC(NtRaiseException, 12, "PCB", SCF_CONTEXT)                               \
    SC(NtReadFile, 36, "HHRPPPLTP", 0)                                         \
    SC(NtReadVirtualMemory, 20, "HPPLS", 0)                                    \
    SC(NtReleaseKeyedEvent, 16, "HPBT", SCF_WAIT)                              \
    SC(NtReleaseMutant, 8, "HP", 0)                                            \
    SC(NtReleaseSemaphore, 12, "HIP", 0)                                       \
    SC(NtResetEvent, 8, "HP", 0)                                               \
    SC(NtResumeProcess, 4, "H", 0)                                             \
    SC(NtResumeThread, 8, "HP", 0)                                             \
    SC(NtSetContextThread, 8, "HC", SCF_SELF)                                  \
    SC(NtSetEvent, 8, "HP", 0)                                                 \
    SC(NtSetInformationFile, 20, "HPPLI", 0)                                   \
    SC(NtSetInformationObject, 16, "HIPL", 0)                                  \
    SC(NtSetInformationProcess, 16, "HIPL", 0)                                 \
    SC(NtSetTimer, 28, "HTRPBIP", 0)                                           \
    SC(NtSignalAndWaitForSingleObject, 16, "HHBT", SCF_WAIT)                   \
    SC(NtSuspendProcess, 4, "H", SCF_SELF)                                     \
    SC(NtSuspendThread, 8, "HP", SCF_SELF)                                     \
    SC(NtTerminateProcess, 8, "HI", SCF_SELF)                                  \
    SC(NtTerminateThread, 8, "HI", SCF_SELF)                                   \
    SC(NtTestAlert, 0, "", 0)                                                  \
    SC(NtUnmapViewOfSection, 8, "HP", SCF_MEMORY)                              \
    SC(NtWaitForKeyedEvent, 16, "HPBT", SCF_WAIT)                              \
    SC(NtWaitForMultipleObjects, 20, "LMIBT", SCF_WAIT)                        \
    SC(NtWaitForSingleObject, 12, "HBT", SCF_WAIT)                             \
    SC(NtWriteFile, 36, "HHRPPPLTP", 0)                                        \
    SC(NtWriteVirtualMemory, 20, "HPPLS", SCF_MEMORY)                          \
    SC(NtYieldExecution, 0, "", 0)

#define SC_IMPORT(Name, Bytes, Kinds, Flags)                                   \
    extern PVOID ScImport_##Name __asm__("__imp__" #Name "@" #Bytes);          \
    _Static_assert(sizeof(Kinds) - 1 == (Bytes) / 4, #Name ": one kind per argument");
SC_SERVICES(SC_IMPORT)

typedef struct _SC_SERVICE {
    const char *Name;
    PVOID *Import;                  /* the import address table's slot */
    const char *Kinds;
    ULONG Flags;
} SC_SERVICE;

#define SC_ENTRY(Name, Bytes, Kinds, Flags) { #Name, &ScImport_##Name, Kinds, Flags },
static const SC_SERVICE Services[] = { SC_SERVICES(SC_ENTRY) };
#define SERVICE_COUNT (sizeof(Services) / sizeof(Services[0]))

static ULONG ServiceIndex(PVOID *Import)
{
    ULONG Index;

    for (Index = 0; Index < SERVICE_COUNT; Index++)
        if (Services[Index].Import == Import)
            return Index;
    return 0;
}

/*
 * Calls Function (stdcall) with Count arguments: ESP is restored from ESI after the
 * call, whatever the callee popped.
 */
ULONG ScCall(PVOID Function, ULONG Count, const ULONG *Arguments);
__asm__(".globl _ScCall\n"
        "_ScCall:\n"
        "    push %ebp\n"
        "    mov %esp, %ebp\n"
        "    push %esi\n"
        "    push %edi\n"
        "    push %ebx\n"
        "    mov %esp, %esi\n"
        "    mov 12(%ebp), %ecx\n"
        "    mov 16(%ebp), %edx\n"
        "1:  test %ecx, %ecx\n"
        "    jz 2f\n"
        "    dec %ecx\n"
        "    push (%edx,%ecx,4)\n"
        "    jmp 1b\n"
        "2:  call *8(%ebp)\n"
        "    mov %esi, %esp\n"
        "    pop %ebx\n"
        "    pop %edi\n"
        "    pop %esi\n"
        "    pop %ebp\n"
        "    ret\n");

/* The service number an ntdll stub loads (mov eax, imm32: B8 xx xx xx xx). */
static ULONG StubNumber(PVOID Stub)
{
    const UCHAR *Code = Stub;

    return Code[0] == 0xB8 ? *(const ULONG *)(Code + 1) : 0xFFFFFFFF;
}

/* INT 2E with EAX = Number and EDX = Arguments: what comes back in EAX. */
static NTSTATUS Int2e(ULONG Number, ULONG_PTR Arguments)
{
    NTSTATUS Status;
    ULONG_PTR Edx = Arguments;

    __asm__ volatile("int $0x2e" : "=a"(Status), "+d"(Edx) : "a"(Number) : "ecx", "memory");
    return Status;
}

/* The same through SharedUserData->SystemCall (KiFastSystemCall with SYSENTER). */
static NTSTATUS FastCall(ULONG Number)
{
    NTSTATUS Status;
    ULONG_PTR Door = *(volatile ULONG_PTR *)0x7FFE0300;

    __asm__ volatile("call *%%edx" : "=a"(Status), "+d"(Door) : "a"(Number) : "ecx", "memory");
    return Status;
}

/* ---- the PRNG (xorshift32; a seed of 0 is moved off the fixed point) ---- */

static ULONG RandomState;

static void Seed(ULONG Value)
{
    RandomState = Value * 2654435761u + 0x9E3779B9u;
    if (RandomState == 0)
        RandomState = 1;
}

static ULONG Random(void)
{
    ULONG X = RandomState;

    X ^= X << 13;
    X ^= X >> 17;
    X ^= X << 5;
    return RandomState = X;
}

static ULONG Below(ULONG Limit)
{
    return Random() % Limit;
}

#define PICK(Array) ((Array)[Below(sizeof(Array) / sizeof((Array)[0]))])

/* ---- output ---- */

static void Say(const char *A, ULONG Number, const char *B)
{
    PST_LINE Line;

    Line.Length = 0;
    PstAdd(&Line, "scfuzz: ");
    PstAdd(&Line, A);
    if (B != NULL) {
        PstAddHex(&Line, Number);
        PstAdd(&Line, B);
    }
    PstWriteLine(&Line);
}

/* =========================================================================
 * The child
 * ========================================================================= */

#define PAGE 4096
#define SLOT_SIZE 1024              /* one per argument, in the scratch pages */
#define MAX_ARGUMENTS 11

/* The child's region: each page has one job. */
enum {
    RG_SCRATCH = 0,                 /* 0-3: the argument slots */
    RG_READONLY = 4,
    RG_GUARDED = 5,
    RG_VALID = 6,                   /* ends where RG_UNMAPPED begins */
    RG_UNMAPPED = 7,                /* decommitted */
    RG_VICTIM = 8,                  /* 8-15: what the memory services may free or protect */
    RG_PAGES = 16
};

static PUCHAR Region;
static SC_SHARED *Shared;
static HANDLE SharedSection;
static ULONG MyPid, MyTid;

/* Handles of every kind: made here, stale, pseudo, and those calls returned. */
#define STATIC_HANDLES 24
#define DYNAMIC_HANDLES 16
static HANDLE StaticHandles[STATIC_HANDLES];
static ULONG StaticCount;
static HANDLE DynamicHandles[DYNAMIC_HANDLES];
static ULONG DynamicNext;
static HANDLE VictimThread, VictimProcess, VictimEvent;
static NATIVE_CLIENT_ID VictimProcessCid, VictimThreadCid;
static volatile LONG VictimStop;

static const WCHAR *const Names[] = {
    L"\\??\\C:\\ScFuzzDir\\a.tmp",
    L"\\??\\C:\\ScFuzzDir\\b.tmp",
    L"\\??\\C:\\ScFuzzDir",
    L"\\??\\C:\\ScFuzzDir\\sub",
    L"\\??\\C:\\ScFuzzDir\\a.tmp\\x",
    L"\\??\\C:\\ScFuzzDir\\..\\ScFuzzDir\\a.tmp",
    L"\\??\\C:\\ScFuzzDir\\*?<>|\"",
    L"\\??\\C:\\ScFuzzDir\\ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    L"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"
    L"KLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.txt",
    L"\\??\\C:\\",
    L"\\??\\C:",
    L"\\??",
    L"\\",
    L"\\\\\\",
    L"\\Device",
    L"\\Device\\Null",
    L"\\Device\\Null\\x",
    L"\\BaseNamedObjects",
    L"\\BaseNamedObjects\\ScFuzzObject",
    L"\\BaseNamedObjects\\ScFuzzDirectory\\x",
    L"\\BaseNamedObjects\\ScFuzzLink",
    L"\\BaseNamedObjects\\ScFuzzLink\\x",
    SC_SHARED_NAME,
    L"a.tmp",
    L"..",
    L".",
    L"",
    L"\\Nope\\Nope",
};

/* Addresses nothing of the child's lives at. */
static const ULONG_PTR BadAddresses[] = {
    0, 1, 0x10, 0xFFC, 0x1000, 0x10000, 0x7FFDFFFF, 0x7FFE0000 /* SharedUserData: read-only */, 0x7FFE0FFC,
    0x7FFEFFFC, 0x7FFEFFFF, 0x7FFF0000, 0x7FFFFFFF, 0x80000000, 0x80100000, 0xBFFFFFFC, 0xC0000000, 0xC0300000,
    0xC0300C00, 0xFFDF0000, 0xFFDF0FFF, 0xFFFFF000, 0xFFFFFFFC, 0xFFFFFFFF,
};

static const ULONG Lengths[] = {
    0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 0x2C, 0x30, 0x100, 0x2CC, 0x3FF, 0x400, 0x1000, 0x1001, 0x10000,
    0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x7FFEFFFF, 0x01000000,
};

static const ULONG Integers[] = {
    0, 1, 2, 3, 4, 5, 7, 8, 0x10, 0x20, 0x40, 0xFF, 0x100, 0x1000, 0x3000, 0x8000, 0x10000, 0x100000,
    0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFF, 0x2000, 0x1000000,
};

static const ULONG AccessMasks[] = {
    0, 1, 0x1F0FFF, 0x1F0003, 0x1F01FF, 0x10000000, 0x02000000, 0x00100000, 0x80000000, 0xFFFFFFFF, 0x000F0000,
};

static ULONG_PTR Slot(ULONG Argument)
{
    return (ULONG_PTR)Region + RG_SCRATCH * PAGE + Argument * SLOT_SIZE;
}

static void FillRandom(PVOID Buffer, ULONG Length)
{
    PULONG Out = Buffer;
    ULONG Index, Mode = Below(4);

    for (Index = 0; Index < Length / 4; Index++)
        Out[Index] = Mode == 0 ? Random() : Mode == 1 ? 0 : Mode == 2 ? 0xFFFFFFFF : Below(0x40) * 4;
}

static void Guard(void)
{
    PVOID Base = Region + RG_GUARDED * PAGE;
    SIZE_T Size = PAGE;
    ULONG Old;

    NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Size, PAGE_READWRITE | PAGE_GUARD, &Old);
}

/* An address: bad, in the special pages, or good (a scratch slot's). */
static ULONG_PTR AnyAddress(ULONG Argument)
{
    switch (Below(10)) {
    case 0: case 1: case 2:
        return PICK(BadAddresses);
    case 3:
        return (ULONG_PTR)Region + RG_READONLY * PAGE + Below(4) * 4;
    case 4:
        return (ULONG_PTR)Region + RG_GUARDED * PAGE + Below(4) * 4;
    case 5:
        return (ULONG_PTR)Region + RG_UNMAPPED * PAGE - 1 - Below(32);     /* straddles */
    case 6:
        return (ULONG_PTR)Region + RG_UNMAPPED * PAGE + Below(PAGE);
    case 7:
        return Slot(Argument) + 1 + Below(3);                                  /* unaligned */
    case 8:
        return Random();
    default:
        return Slot(Argument);
    }
}

/* Targets for the virtual-memory services: never the child's own code, stack or slots. */
static ULONG_PTR MemoryAddress(void)
{
    switch (Below(4)) {
    case 0:
        return PICK(BadAddresses);
    case 1:
        return (ULONG_PTR)Region + RG_VICTIM * PAGE + Below(8 * PAGE);
    case 2:
        return (ULONG_PTR)Region + RG_VICTIM * PAGE;
    default:
        return 0x20000000 + (Random() & 0x1FFFFFFF);
    }
}

static BOOLEAN IsSelf(HANDLE Handle)
{
    PROCESS_BASIC_INFORMATION Process;
    NATIVE_THREAD_BASIC_INFORMATION Thread;

    if (Handle == NtCurrentProcess() || Handle == NtCurrentThread() || Handle == NULL)
        return TRUE;
    if (NT_SUCCESS(NtQueryInformationProcess(Handle, ProcessBasicInformation, &Process, sizeof(Process), NULL)) &&
        Process.UniqueProcessId == MyPid)
        return TRUE;
    if (NT_SUCCESS(NtQueryInformationThread(Handle, (THREADINFOCLASS)0, &Thread, sizeof(Thread), NULL)) &&
        (ULONG_PTR)Thread.ClientId.UniqueThread == MyTid)
        return TRUE;
    return FALSE;
}

static HANDLE AnyHandle(void)
{
    static const ULONG_PTR Odd[] = { 0x3, 0x4, 0x8, 0xC, 0x10, 0x7FFFFFFC, 0x80000000, 0x80000004, 0xFFFFFFF0,
                                     0xFFFFFFFC, 0xFFFFFFFD, 0xFFFF, 0x1000004 };

    switch (Below(10)) {
    case 0:
        return (HANDLE)PICK(Odd);
    case 1:
        return (HANDLE)(ULONG_PTR)(Below(64) * 4);
    case 2:
        return Below(2) ? NtCurrentProcess() : NtCurrentThread();
    case 3: case 4:
        return DynamicHandles[Below(DYNAMIC_HANDLES)];
    default:
        return StaticHandles[Below(StaticCount)];
    }
}

/* A counted string at Where (room for 512 bytes after it). */
static ULONG_PTR MakeString(ULONG_PTR Where)
{
    PUNICODE_STRING String = (PUNICODE_STRING)Where;
    PWSTR Text = (PWSTR)(Where + 16);
    const WCHAR *Name = PICK(Names);
    ULONG Count = 0;

    while (Name[Count] != 0 && Count < 240)
        Text[Count] = Name[Count], Count++;
    String->Length = (USHORT)(Count * 2);
    String->MaximumLength = (USHORT)(Count * 2 + 2);
    String->Buffer = Text;
    switch (Below(8)) {
    case 0:
        String->Length = (USHORT)Random();
        break;
    case 1:
        String->Length |= 1;
        break;
    case 2:
        String->MaximumLength = (USHORT)Below(String->Length + 1);
        break;
    case 3:
        String->Buffer = (PWSTR)AnyAddress(0);
        break;
    case 4:     /* the text runs into the unmapped page */
        String->Buffer = (PWSTR)((ULONG_PTR)Region + RG_UNMAPPED * PAGE - 2 * Below(8));
        break;
    default:
        break;
    }
    return Where;
}

/* Copies the first bytes of a structure to the end of RG_VALID: the rest is unmapped. */
static ULONG_PTR Straddle(PVOID Structure, ULONG Size)
{
    ULONG Keep = 1 + Below(Size - 1);
    PUCHAR End = Region + RG_UNMAPPED * PAGE;

    memcpy(End - Keep, Structure, Keep);
    return (ULONG_PTR)(End - Keep);
}

static ULONG_PTR MakeAttributes(ULONG Argument)
{
    ULONG_PTR Where = Slot(Argument);
    POBJECT_ATTRIBUTES Attributes = (POBJECT_ATTRIBUTES)Where;
    static const ULONG Flags[] = { 0, 0x40, 0x40, 0x80, 0x2, 0x10, 0x20, 0x100, 0x200, 0x1F2, 0xFFFFFFFF };

    Attributes->Length = Below(6) ? sizeof(OBJECT_ATTRIBUTES) : PICK(Lengths);
    Attributes->RootDirectory = Below(4) ? NULL : AnyHandle();
    Attributes->ObjectName = Below(8) ? (PUNICODE_STRING)MakeString(Where + 32) : (PUNICODE_STRING)AnyAddress(Argument);
    Attributes->Attributes = PICK(Flags);
    Attributes->SecurityDescriptor = Below(6) ? NULL : (PVOID)AnyAddress(Argument);
    Attributes->SecurityQualityOfService = Below(6) ? NULL : (PVOID)AnyAddress(Argument);
    if (Below(12) == 0)
        return Straddle(Attributes, sizeof(*Attributes));
    return Where;
}

/* A CONTEXT for NtContinue/NtSetContextThread: random, with what a kernel must refuse. */
static void MakeContext(PCONTEXT Context)
{
    static const ULONG Flags[] = { 0x10007, 0x1003F, 0x10010, 0x10001, 0x10002, 0x10004, 0, 0xFFFFFFFF };
    static const ULONG Segments[] = { 0, 0x08, 0x10, 0x1B, 0x23, 0x3B, 0x30, 0x28, 0x0B, 0x13, 0xFFFF, 0x4B };
    static const ULONG EFlags[] = { 0x202, 0x3202, 0x20202, 0x4202, 0x302, 0x200, 0xFFFFFFFF, 0 };

    FillRandom(Context, sizeof(*Context));
    Context->ContextFlags = PICK(Flags);
    Context->SegCs = PICK(Segments);
    Context->SegSs = PICK(Segments);
    Context->SegDs = PICK(Segments);
    Context->SegEs = PICK(Segments);
    Context->SegFs = PICK(Segments);
    Context->SegGs = PICK(Segments);
    Context->EFlags = Below(2) ? PICK(EFlags) : Random();
    Context->Eip = Below(3) ? PICK(BadAddresses) : Random();
    Context->Esp = Below(3) ? PICK(BadAddresses) : Random();
    Context->Dr0 = PICK(BadAddresses);
    Context->Dr1 = 0x80100000;
    Context->Dr7 = Below(2) ? 0xFFFFFFFF : Random();
}

static ULONG_PTR MakeTimeout(ULONG Argument, BOOLEAN Bounded)
{
    PLARGE_INTEGER Time = (PLARGE_INTEGER)Slot(Argument);
    static const LONGLONG Short[] = { 0, -1, -10000, -100000, 1, -5000 };

    if (Bounded) {
        switch (Below(8)) {
        case 0:
            return PICK(BadAddresses) | 1;      /* never NULL: that is forever */
        case 1:     /* straddling: cannot be read whole */
            Time->QuadPart = -1;
            return Straddle(Time, sizeof(*Time));
        default:
            Time->QuadPart = PICK(Short);
            return (ULONG_PTR)Time;
        }
    }
    switch (Below(4)) {
    case 0:
        return AnyAddress(Argument);
    default:
        Time->LowPart = Below(2) ? Random() : PICK(Lengths);
        Time->HighPart = Below(2) ? (LONG)Random() : (LONG)Below(3) - 1;
        return (ULONG_PTR)Time;
    }
}

/* The pointer to a handle array for NtWaitForMultipleObjects. */
static ULONG_PTR MakeHandleArray(ULONG Argument)
{
    PHANDLE Array = (PHANDLE)Slot(Argument);
    ULONG Index;

    for (Index = 0; Index < 80; Index++)
        Array[Index] = AnyHandle();
    return Below(5) ? (ULONG_PTR)Array : AnyAddress(Argument);
}

/* One argument of the given kind (or, now and then, of any kind). */
static ULONG Argument(const SC_SERVICE *Service, ULONG Index, char Kind)
{
    ULONG_PTR Where = Slot(Index);

    /* Now and then any kind, except where the kind is what tames the call. */
    if (Below(8) == 0 && !(Kind == 'T' && (Service->Flags & SCF_WAIT)) &&
        !(Kind == 'C' && (Service->Flags & SCF_CONTEXT)) && Kind != 'R')
        Kind = "HWAOUTCBVSPLIM"[Below(14)];
    switch (Kind) {
    case 'H':
        return (ULONG)(ULONG_PTR)AnyHandle();
    case 'W':
        return Below(4) ? Where : AnyAddress(Index);
    case 'A':
        return Below(4) ? PICK(AccessMasks) : Random();
    case 'O':
        return Below(10) ? MakeAttributes(Index) : AnyAddress(Index);
    case 'U':
        return Below(6) ? MakeString(Where) : AnyAddress(Index);
    case 'T':
        return MakeTimeout(Index, (Service->Flags & SCF_WAIT) != 0);
    case 'C':
        if (Service->Flags & SCF_CONTEXT) {
            /* Tamed: a CONTEXT the kernel cannot read whole. */
            MakeContext((PCONTEXT)Where);
            return Below(2) ? Straddle((PVOID)Where, sizeof(CONTEXT)) : PICK(BadAddresses);
        }
        MakeContext((PCONTEXT)Where);
        return Below(4) ? Where : AnyAddress(Index);
    case 'B':
        return Below(4) ? Below(2) : Random();
    case 'V':
        *(PULONG_PTR)Where = (Service->Flags & SCF_MEMORY) ? MemoryAddress() : AnyAddress(Index);
        if (Below(8) == 0)
            return Straddle((PVOID)Where, sizeof(PVOID));
        return Below(6) ? Where : AnyAddress(Index);
    case 'S':
        *(PULONG)Where = PICK(Lengths);
        return Below(6) ? Where : AnyAddress(Index);
    case 'R':
        return 0;       /* no random APC routines in a child's calls (see the header) */
    case 'P':
        if (Service->Flags & SCF_MEMORY)
            return MemoryAddress();
        FillRandom((PVOID)Where, SLOT_SIZE);
        if (Below(3) == 0)
            MakeString(Where);          /* a structure that begins with pointers */
        return Below(3) ? Where : AnyAddress(Index);
    case 'L':
        return Below(2) ? PICK(Lengths) : Below(3) ? Below(0x200) : Random();
    case 'M':
        return MakeHandleArray(Index);
    default:
        return Below(2) ? PICK(Integers) : Below(2) ? Below(64) : Random();
    }
}

/* A handle that is none of this process's own threads or itself. */
static HANDLE OtherHandle(void)
{
    HANDLE Handle;
    ULONG Tries;

    for (Tries = 0; Tries < 8; Tries++) {
        Handle = AnyHandle();
        if (!IsSelf(Handle))
            return Handle;
    }
    return VictimThread;
}

static void Tame(const SC_SERVICE *Service, ULONG *Arguments)
{
    if (Service->Flags & SCF_SELF) {
        if (IsSelf((HANDLE)(ULONG_PTR)Arguments[0]))
            Arguments[0] = (ULONG)(ULONG_PTR)OtherHandle();
    }
    if (Service->Flags & SCF_SUSPEND)
        Arguments[7] = TRUE;
    if (Service->Flags & SCF_OWNED)
        Arguments[0] = (ULONG)(ULONG_PTR)StaticHandles[Below(StaticCount)];
    if (Service->Flags & SCF_CID) {
        ULONG_PTR Where = Arguments[3];
        if (Where >= Slot(0) && Where < Slot(MAX_ARGUMENTS)) {
            ULONG_PTR Ids[] = { 0, MyPid, MyTid, (ULONG_PTR)VictimProcessCid.UniqueProcess,
                                (ULONG_PTR)VictimThreadCid.UniqueThread, 4, 0xFFFC, 0x12345678, 3 };
            ((PULONG_PTR)Where)[0] = PICK(Ids);
            ((PULONG_PTR)Where)[1] = PICK(Ids);
        }
    }
}

/* Records a handle a call returned. */
static void Harvest(const SC_SERVICE *Service, const ULONG *Arguments, NTSTATUS Status)
{
    ULONG Index;

    if (!NT_SUCCESS(Status))
        return;
    for (Index = 0; Service->Kinds[Index] != 0; Index++) {
        ULONG_PTR Where = Arguments[Index];
        if (Service->Kinds[Index] == 'W' && Where >= Slot(0) && Where < Slot(MAX_ARGUMENTS)) {
            DynamicHandles[DynamicNext] = *(PHANDLE)Where;
            DynamicNext = (DynamicNext + 1) % DYNAMIC_HANDLES;
        }
    }
}

static NTSTATUS NTAPI VictimThreadRoutine(PVOID Parameter)
{
    (void)Parameter;
    while (!VictimStop)
        NtWaitForSingleObject(VictimEvent, FALSE, NULL);
    return 0;
}

static void AddHandle(HANDLE Handle)
{
    if (StaticCount < STATIC_HANDLES)
        StaticHandles[StaticCount++] = Handle;
}

static void InitializeAttributes(POBJECT_ATTRIBUTES Attributes, PUNICODE_STRING Name, PCWSTR Text)
{
    RtlInitUnicodeString(Name, Text);
    InitializeObjectAttributes(Attributes, Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
}

/* The child's world: its pages, one object of each type, its victims. */
static NTSTATUS ChildSetup(void)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name, Target;
    IO_STATUS_BLOCK IoStatus;
    LARGE_INTEGER Size;
    NATIVE_PROCESS_PARAMETERS *Parameters;
    RTL_USER_PROCESS_INFORMATION Info;
    HANDLE Handle;
    PVOID Base = NULL;
    SIZE_T Length = RG_PAGES * PAGE, ViewSize = 0;
    ULONG Old;
    NTSTATUS Status;

    InitializeAttributes(&Attributes, &Name, SC_SHARED_NAME);
    Status = NtOpenSection(&SharedSection, SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY, &Attributes);
    if (NT_SUCCESS(Status))
        Status = NtMapViewOfSection(SharedSection, NtCurrentProcess(), &Base, 0, 0, NULL, &ViewSize, ViewShare, 0,
                                    PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    Shared = Base;
    AddHandle(SharedSection);

    Base = NULL;
    Status = NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Length, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    Region = Base;
    Base = Region + RG_READONLY * PAGE;
    Length = PAGE;
    NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Length, PAGE_READONLY, &Old);
    Guard();
    Base = Region + RG_UNMAPPED * PAGE;
    Length = PAGE;
    NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Length, MEM_DECOMMIT);

    /* One of each type (names under \BaseNamedObjects are this child's). */
    if (NT_SUCCESS(NtCreateEvent(&VictimEvent, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, FALSE)))
        NtSetInformationObject(VictimEvent, 4 /* ObjectHandleFlagInformation */, "\0\1", 2);
    if (NT_SUCCESS(NtCreateEvent(&Handle, EVENT_ALL_ACCESS, NULL, NotificationEvent, TRUE)))
        AddHandle(Handle);
    if (NT_SUCCESS(NtCreateSemaphore(&Handle, SEMAPHORE_ALL_ACCESS, NULL, 1, 4)))
        AddHandle(Handle);
    if (NT_SUCCESS(NtCreateMutant(&Handle, MUTANT_ALL_ACCESS, NULL, TRUE)))
        AddHandle(Handle);
    if (NT_SUCCESS(NtCreateTimer(&Handle, TIMER_ALL_ACCESS, NULL, 0)))
        AddHandle(Handle);
    Size.QuadPart = 0x10000;
    if (NT_SUCCESS(NtCreateSection(&Handle, SECTION_ALL_ACCESS, NULL, &Size, PAGE_READWRITE, SEC_COMMIT, NULL)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, L"\\BaseNamedObjects\\ScFuzzDirectory");
    if (NT_SUCCESS(NtCreateDirectoryObject(&Handle, 0xF000F /* DIRECTORY_ALL_ACCESS */, &Attributes)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, L"\\BaseNamedObjects\\ScFuzzLink");
    RtlInitUnicodeString(&Target, L"\\Device\\Null");
    if (NT_SUCCESS(NtCreateSymbolicLinkObject(&Handle, 0xF0001 /* SYMBOLIC_LINK_ALL_ACCESS */, &Attributes, &Target)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, L"\\??\\C:\\ScFuzzDir\\a.tmp");
    if (NT_SUCCESS(NtCreateFile(&Handle, GENERIC_READ | GENERIC_WRITE | DELETE | SYNCHRONIZE, &Attributes, &IoStatus,
                                NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OVERWRITE_IF,
                                FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, NULL, 0)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, SC_DIRECTORY_NT);
    if (NT_SUCCESS(NtOpenFile(&Handle, FILE_LIST_DIRECTORY | SYNCHRONIZE, &Attributes, &IoStatus,
                              FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT | FILE_DIRECTORY_FILE)))
        AddHandle(Handle);
    InitializeAttributes(&Attributes, &Name, L"\\Device\\Null");
    if (NT_SUCCESS(NtOpenFile(&Handle, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &Attributes, &IoStatus, 0,
                              FILE_SYNCHRONOUS_IO_NONALERT)))
        AddHandle(Handle);
    /* Stale: closed, so its value names nothing (or, later, something else). */
    if (NT_SUCCESS(NtCreateEvent(&Handle, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE))) {
        NtClose(Handle);
        AddHandle(Handle);
    }

    /* The victims: a thread of this process, and an idle process left suspended. */
    Status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, VictimThreadRoutine, NULL, &VictimThread,
                                 &VictimThreadCid);
    if (NT_SUCCESS(Status))
        AddHandle(VictimThread);
    RtlInitUnicodeString(&Name, SC_VICTIM_NT);
    Status = RtlCreateProcessParameters(&Parameters, &Name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    if (NT_SUCCESS(Status)) {
        Status = RtlCreateUserProcess(&Name, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL,
                                      &Info);
        RtlDestroyProcessParameters(Parameters);
    }
    if (NT_SUCCESS(Status)) {
        VictimProcess = Info.Process;
        VictimProcessCid = Info.ClientId;
        AddHandle(Info.Process);
        AddHandle(Info.Thread);
    }
    return STATUS_SUCCESS;
}

/* The last call: one that may well end the child. */
static void ChildFinale(void)
{
    static CONTEXT Context;
    static EXCEPTION_RECORD Record;
    ULONG Arguments[3];
    LARGE_INTEGER Short;

    Shared->Finale = 1;
    /* The victim thread goes first, so that ending this thread ends the process. */
    VictimStop = 1;
    NtSetEvent(VictimEvent, NULL);
    Short.QuadPart = -10000 * 100;
    NtWaitForSingleObject(VictimThread, FALSE, &Short);
    MakeContext(&Context);
    FillRandom(&Record, sizeof(Record));
    Record.ExceptionRecord = NULL;
    Record.NumberParameters = Below(20);
    switch (Below(7)) {
    case 0:
        Shared->Service = ServiceIndex(&ScImport_NtContinue);
        Arguments[0] = (ULONG)(ULONG_PTR)&Context;
        Arguments[1] = Below(2);
        ScCall(ScImport_NtContinue, 2, Arguments);
        break;
    case 1:
        Shared->Service = ServiceIndex(&ScImport_NtSetContextThread);
        Arguments[0] = (ULONG)(ULONG_PTR)NtCurrentThread();
        Arguments[1] = (ULONG)(ULONG_PTR)&Context;
        ScCall(ScImport_NtSetContextThread, 2, Arguments);
        break;
    case 2:
        Shared->Service = ServiceIndex(&ScImport_NtRaiseException);
        Arguments[0] = (ULONG)(ULONG_PTR)&Record;
        Arguments[1] = (ULONG)(ULONG_PTR)&Context;
        Arguments[2] = Below(2);
        ScCall(ScImport_NtRaiseException, 3, Arguments);
        break;
    case 3:
        /* Every other thread first (those the calls made, suspended, among them):
           the last thread's end is the process's. */
        Shared->Service = ServiceIndex(&ScImport_NtTerminateProcess);
        NtTerminateProcess(NULL, Random());
        Shared->Service = ServiceIndex(&ScImport_NtTerminateThread);
        Arguments[0] = (ULONG)(ULONG_PTR)(Below(2) ? NtCurrentThread() : NULL);
        Arguments[1] = Random();
        ScCall(ScImport_NtTerminateThread, 2, Arguments);
        break;
    case 4:
        Shared->Service = ServiceIndex(&ScImport_NtTerminateProcess);
        Arguments[0] = (ULONG)(ULONG_PTR)NtCurrentProcess();
        Arguments[1] = Random();
        ScCall(ScImport_NtTerminateProcess, 2, Arguments);
        break;
    case 5: {
        ULONG Queue[5] = { (ULONG)(ULONG_PTR)NtCurrentThread(), Random(), Random(), Random(), Random() };
        Shared->Service = ServiceIndex(&ScImport_NtQueueApcThread);
        if (Below(2))
            Queue[1] = PICK(BadAddresses);
        ScCall(ScImport_NtQueueApcThread, 5, Queue);
        ScCall(ScImport_NtTestAlert, 0, Arguments);
        break;
    }
    default: {
        /* A hostile call with every argument of any kind, untamed. */
        const SC_SERVICE *Service = &Services[Below(SERVICE_COUNT)];
        ULONG Any[MAX_ARGUMENTS], Index;
        Shared->Service = (ULONG)(Service - Services);
        for (Index = 0; Service->Kinds[Index] != 0; Index++)
            Any[Index] = Argument(Service, Index, Service->Kinds[Index]);
        if (Service->Flags & SCF_WAIT) {     /* still not forever */
            for (Index = 0; Service->Kinds[Index] != 0; Index++)
                if (Service->Kinds[Index] == 'T')
                    Any[Index] = MakeTimeout(Index, TRUE);
        }
        ScCall(*Service->Import, Index, Any);
        break;
    }
    }
}

static ULONG ChildMain(ULONG ChildSeed, ULONG Calls)
{
    ULONG Call, Index;
    ULONG Arguments[MAX_ARGUMENTS];
    NATIVE_THREAD_BASIC_INFORMATION Me;
    NTSTATUS Status;

    Seed(ChildSeed);
    NtQueryInformationThread(NtCurrentThread(), (THREADINFOCLASS)0, &Me, sizeof(Me), NULL);
    MyPid = (ULONG)(ULONG_PTR)Me.ClientId.UniqueProcess;
    MyTid = (ULONG)(ULONG_PTR)Me.ClientId.UniqueThread;
    Status = ChildSetup();
    if (!NT_SUCCESS(Status))
        return (ULONG)Status;
    for (Index = 0; Index < DYNAMIC_HANDLES; Index++)
        DynamicHandles[Index] = AnyHandle();

    for (Call = 0; Call < Calls; Call++) {
        const SC_SERVICE *Service = &Services[Below(SERVICE_COUNT)];

        for (Index = 0; Service->Kinds[Index] != 0; Index++)
            Arguments[Index] = Argument(Service, Index, Service->Kinds[Index]);
        Tame(Service, Arguments);
        Shared->Service = (ULONG)(Service - Services);
        Shared->Calls++;
        Status = (NTSTATUS)ScCall(*Service->Import, Index, Arguments);
        Harvest(Service, Arguments, Status);
        if ((Call & 15) == 15)
            Guard();
    }
    Shared->Calls++;
    ChildFinale();
    return 0;
}

/* =========================================================================
 * The parent
 * ========================================================================= */

static ULONG KernelFailures;

static void Failure(const char *What, ULONG Value, const char *Rest)
{
    KernelFailures++;
    Say(What, Value, Rest != NULL ? Rest : "");
}

/* The doors, with exact answers. */
static ULONG CheckDoors(void)
{
    static const ULONG Invalid[] = { 0x1000, 0x1001, 0x2000, 0x3000, 0x3FFF, 0xFFF, 0x7FFFFFFF, 0xFFFFFFFF };
    ULONG Close = StubNumber(ScImport_NtClose), Yield = StubNumber(ScImport_NtYieldExecution);
    ULONG Create = StubNumber(ScImport_NtCreateFile);
    ULONG Arguments[12] = { 0 };
    ULONG Index, Checks = 0;
    NTSTATUS Status;

    /* NtYieldExecution is the last service: the one after it is past the table. */
    for (Index = 0; Index <= sizeof(Invalid) / sizeof(Invalid[0]); Index++) {
        ULONG Number = Index < sizeof(Invalid) / sizeof(Invalid[0]) ? Invalid[Index] : Yield + 1;
        Status = Int2e(Number, (ULONG_PTR)Arguments);
        if (Status != STATUS_INVALID_SYSTEM_SERVICE_NT)
            Failure("INT 2E service ", Number, " did not return STATUS_INVALID_SYSTEM_SERVICE");
        Status = FastCall(Number);
        if (Status != STATUS_INVALID_SYSTEM_SERVICE_NT)
            Failure("KiFastSystemCall service ", Number, " did not return STATUS_INVALID_SYSTEM_SERVICE");
        Checks += 2;
    }
    /* Arguments in kernel space, or running past the end of user space. */
    {
        static const ULONG_PTR Bad[] = { 0x80000000, 0xFFFFFFF0, 0x7FFF0000, 0x7FFEFFFC, 0x7FFEFFE0, 0 };
        for (Index = 0; Index < sizeof(Bad) / sizeof(Bad[0]); Index++) {
            Status = Int2e(Create, Bad[Index]);
            if (Status != STATUS_ACCESS_VIOLATION)
                Failure("INT 2E with its arguments at ", (ULONG)Bad[Index], " did not return STATUS_ACCESS_VIOLATION");
            Status = Int2e(Close, Bad[Index]);
            if (Status != STATUS_ACCESS_VIOLATION)
                Failure("INT 2E NtClose with its argument at ", (ULONG)Bad[Index], " did not return STATUS_ACCESS_VIOLATION");
            Checks += 2;
        }
    }
    return Checks;
}

/* The task list: this process's handle count, how many processes there are. */
static NTSTATUS QueryTasks(ULONG Pid, ULONG *Handles, ULONG *Processes, ULONG ParentOf, ULONG *Children,
                           ULONG MaximumChildren, ULONG *ChildCount)
{
    static UCHAR Buffer[32768];
    PSYSTEM_PROCESS_INFORMATION Entry = (PSYSTEM_PROCESS_INFORMATION)Buffer;
    ULONG Length;
    NTSTATUS Status;

    Status = NtQuerySystemInformation(SystemProcessInformation, Buffer, sizeof(Buffer), &Length);
    if (!NT_SUCCESS(Status))
        return Status;
    *Processes = 0;
    if (ChildCount != NULL)
        *ChildCount = 0;
    for (;;) {
        (*Processes)++;
        if ((ULONG)(ULONG_PTR)Entry->UniqueProcessId == Pid && Handles != NULL)
            *Handles = Entry->HandleCount;
        if (ChildCount != NULL && ParentOf != 0 && (ULONG)(ULONG_PTR)Entry->InheritedFromUniqueProcessId == ParentOf &&
            *ChildCount < MaximumChildren)
            Children[(*ChildCount)++] = (ULONG)(ULONG_PTR)Entry->UniqueProcessId;
        if (Entry->NextEntryOffset == 0)
            break;
        Entry = (PSYSTEM_PROCESS_INFORMATION)((PUCHAR)Entry + Entry->NextEntryOffset);
    }
    return STATUS_SUCCESS;
}

/* NT's SYSTEM_THREAD_INFORMATION, after each process's entry in the task list. */
typedef struct _SC_THREAD_INFORMATION {
    LARGE_INTEGER KernelTime, UserTime, CreateTime;
    ULONG WaitTime;
    PVOID StartAddress;
    NATIVE_CLIENT_ID ClientId;
    LONG Priority, BasePriority;
    ULONG ContextSwitches, ThreadState, WaitReason;
} SC_THREAD_INFORMATION;

/* For a hung child: its threads' states and wait reasons (KTHREAD_STATE, KWAIT_REASON). */
static void ReportThreads(ULONG Pid)
{
    static UCHAR Buffer[32768];
    PSYSTEM_PROCESS_INFORMATION Entry = (PSYSTEM_PROCESS_INFORMATION)Buffer;
    SC_THREAD_INFORMATION *Thread;
    PST_LINE Line;
    ULONG Length, Index;

    if (!NT_SUCCESS(NtQuerySystemInformation(SystemProcessInformation, Buffer, sizeof(Buffer), &Length)))
        return;
    for (;;) {
        if ((ULONG)(ULONG_PTR)Entry->UniqueProcessId == Pid || (ULONG)(ULONG_PTR)Entry->InheritedFromUniqueProcessId == Pid) {
            Line.Length = 0;
            PstAdd(&Line, "scfuzz:   PID ");
            PstAddDecimal(&Line, (ULONG)(ULONG_PTR)Entry->UniqueProcessId);
            PstAdd(&Line, " parent ");
            PstAddDecimal(&Line, (ULONG)(ULONG_PTR)Entry->InheritedFromUniqueProcessId);
            PstAdd(&Line, ": ");
            PstAddDecimal(&Line, Entry->NumberOfThreads);
            PstAdd(&Line, " threads, ");
            PstAddDecimal(&Line, Entry->HandleCount);
            PstAdd(&Line, " handles");
            PstWriteLine(&Line);
            Thread = (SC_THREAD_INFORMATION *)(Entry + 1);
            for (Index = 0; Index < Entry->NumberOfThreads; Index++, Thread++) {
                Line.Length = 0;
                PstAdd(&Line, "scfuzz:   PID ");
                PstAddDecimal(&Line, (ULONG)(ULONG_PTR)Entry->UniqueProcessId);
                PstAdd(&Line, " thread ");
                PstAddDecimal(&Line, (ULONG)(ULONG_PTR)Thread->ClientId.UniqueThread);
                PstAdd(&Line, " state ");
                PstAddDecimal(&Line, Thread->ThreadState);
                PstAdd(&Line, " wait reason ");
                PstAddDecimal(&Line, Thread->WaitReason);
                PstAdd(&Line, " start ");
                PstAddHex(&Line, (ULONG)(ULONG_PTR)Thread->StartAddress);
                PstWriteLine(&Line);
            }
        }
        if (Entry->NextEntryOffset == 0)
            break;
        Entry = (PSYSTEM_PROCESS_INFORMATION)((PUCHAR)Entry + Entry->NextEntryOffset);
    }
}

static NTSTATUS OpenByCid(ULONG Pid, ULONG Tid, HANDLE *Handle)
{
    NATIVE_CLIENT_ID Cid = { (HANDLE)(ULONG_PTR)Pid, (HANDLE)(ULONG_PTR)Tid };
    OBJECT_ATTRIBUTES Attributes;

    InitializeObjectAttributes(&Attributes, NULL, 0, NULL, NULL);
    if (Tid != 0)
        return NtOpenThread(Handle, THREAD_QUERY_INFORMATION, &Attributes, (PVOID)&Cid);
    return NtOpenProcess(Handle, PROCESS_ALL_ACCESS, &Attributes, &Cid);
}

/* Ends what a child left running: processes it made (its victim among them). */
static void EndDescendants(ULONG Pid)
{
    ULONG Children[16], Count = 0, Processes, Index;
    LARGE_INTEGER Timeout;
    HANDLE Process;

    if (!NT_SUCCESS(QueryTasks(0, NULL, &Processes, Pid, Children, 16, &Count)))
        return;
    for (Index = 0; Index < Count; Index++) {
        EndDescendants(Children[Index]);
        if (NT_SUCCESS(OpenByCid(Children[Index], 0, &Process))) {
            NtTerminateProcess(Process, 0xDEAD);
            Timeout.QuadPart = -10000LL * 5000;
            if (NtWaitForSingleObject(Process, FALSE, &Timeout) != STATUS_SUCCESS)
                Failure("a process the child left would not end: PID ", Children[Index], NULL);
            NtClose(Process);
        }
    }
}

static NTSTATUS StartChild(ULONG ChildSeed, ULONG Calls, RTL_USER_PROCESS_INFORMATION *Info)
{
    UNICODE_STRING Image, DosImage, Command, Directory;
    NATIVE_PROCESS_PARAMETERS *Parameters;
    WCHAR Text[80];
    char Numbers[40], *End;
    ULONG Length = 0, Index;
    NTSTATUS Status;

    for (Index = 0; SC_IMAGE_DOS[Index]; Index++)
        Text[Length++] = SC_IMAGE_DOS[Index];
    End = Numbers;
    *End++ = ' ';
    End = NativeFormatDecimal(End, ChildSeed);
    *End++ = ' ';
    NativeFormatDecimal(End, Calls);
    for (Index = 0; L" child"[Index]; Index++)
        Text[Length++] = L" child"[Index];
    for (Index = 0; Numbers[Index]; Index++)
        Text[Length++] = (WCHAR)Numbers[Index];
    Text[Length] = 0;
    RtlInitUnicodeString(&Image, SC_IMAGE_NT);
    RtlInitUnicodeString(&DosImage, SC_IMAGE_DOS);
    RtlInitUnicodeString(&Command, Text);
    RtlInitUnicodeString(&Directory, SC_DIRECTORY_DOS);
    Status = RtlCreateProcessParameters(&Parameters, &DosImage, NULL, &Directory, &Command, NULL, NULL, NULL, NULL,
                                        NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlCreateUserProcess(&Image, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL,
                                  Info);
    RtlDestroyProcessParameters(Parameters);
    return Status;
}

/* The folder the children work in (made again each time: a child may rename it). */
static void MakeDirectory(void)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK IoStatus;
    HANDLE Handle;

    InitializeAttributes(&Attributes, &Name, SC_DIRECTORY_NT);
    if (NT_SUCCESS(NtCreateFile(&Handle, FILE_LIST_DIRECTORY | SYNCHRONIZE, &Attributes, &IoStatus, NULL, 0,
                                FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN_IF,
                                FILE_SYNCHRONOUS_IO_NONALERT | FILE_DIRECTORY_FILE, NULL, 0)))
        NtClose(Handle);
}

typedef struct _SC_OBJECT_BASIC {
    ULONG Attributes;
    ACCESS_MASK GrantedAccess;
    ULONG HandleCount;
    ULONG PointerCount;
    ULONG Reserved[10];
} SC_OBJECT_BASIC;

static ULONG ParentMain(ULONG BaseSeed, ULONG Children, ULONG Calls, ULONG First)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    LARGE_INTEGER Size, Timeout;
    SC_OBJECT_BASIC Before, After;
    PVOID Base = NULL;
    SIZE_T ViewSize = 0;
    ULONG Child, TotalCalls = 0, Handles0 = 0, Processes0 = 0, Handles1 = 0, Processes1 = 0, Hangs = 0;
    ULONG Exits[8], ExitCounts[8], Distinct = 0, Index, Doors;
    PST_LINE Line;
    NTSTATUS Status;

    MyPid = (ULONG)(ULONG_PTR)((NATIVE_CLIENT_ID *)((PUCHAR)NtCurrentTeb() + 0x20))->UniqueProcess;
    Doors = CheckDoors();
    Say("the doors: ", Doors, " checks of service numbers and argument pointers");

    MakeDirectory();
    InitializeAttributes(&Attributes, &Name, SC_SHARED_NAME);
    Size.QuadPart = PAGE;
    Status = NtCreateSection(&SharedSection, SECTION_ALL_ACCESS, &Attributes, &Size, PAGE_READWRITE, SEC_COMMIT,
                             NULL);
    if (NT_SUCCESS(Status))
        Status = NtMapViewOfSection(SharedSection, NtCurrentProcess(), &Base, 0, 0, NULL, &ViewSize, ViewShare, 0,
                                    PAGE_READWRITE);
    if (!NT_SUCCESS(Status)) {
        Failure("cannot make the shared section: ", (ULONG)Status, NULL);
        return 1;
    }
    Shared = Base;
    QueryTasks(MyPid, &Handles0, &Processes0, 0, NULL, 0, NULL);
    NtQueryObject(SharedSection, ObjectBasicInformation, &Before, sizeof(Before), NULL);

    for (Child = First; Child < First + Children; Child++) {
        RTL_USER_PROCESS_INFORMATION Info;
        PROCESS_BASIC_INFORMATION Basic;
        ULONG ChildSeed = BaseSeed * 65537 + Child, ChildPid, ChildTid;
        NTSTATUS ExitStatus = 0;
        HANDLE Stale;

        MakeDirectory();
        Shared->Calls = 0;
        Shared->Service = 0xFFFFFFFF;
        Shared->Finale = 0;
        Status = StartChild(ChildSeed, Calls, &Info);
        if (!NT_SUCCESS(Status)) {
            Failure("cannot start a child: ", (ULONG)Status, NULL);
            break;
        }
        ChildPid = (ULONG)(ULONG_PTR)Info.ClientId.UniqueProcess;
        ChildTid = (ULONG)(ULONG_PTR)Info.ClientId.UniqueThread;
        NtResumeThread(Info.Thread, NULL);
        Timeout.QuadPart = -10000LL * CHILD_TIMEOUT_MS;
        Status = NtWaitForSingleObject(Info.Process, FALSE, &Timeout);
        if (Status != STATUS_SUCCESS) {
            Line.Length = 0;
            PstAdd(&Line, "scfuzz: child seed ");
            PstAddDecimal(&Line, ChildSeed);
            PstAdd(&Line, " hung after ");
            PstAddDecimal(&Line, Shared->Calls);
            PstAdd(&Line, " calls, in ");
            PstAdd(&Line, Shared->Service < SERVICE_COUNT ? Services[Shared->Service].Name : "its setup");
            PstAdd(&Line, Shared->Finale ? " (its last call)" : "");
            PstWriteLine(&Line);
            KernelFailures++;
            Hangs++;
            ReportThreads(ChildPid);
            NtTerminateProcess(Info.Process, 0xDEAD);
            Timeout.QuadPart = -10000LL * 5000;
            if (NtWaitForSingleObject(Info.Process, FALSE, &Timeout) != STATUS_SUCCESS) {
                Say("  and NtTerminateProcess did not end it:", 0, NULL);
                ReportThreads(ChildPid);
            }
        }
        if (NT_SUCCESS(NtQueryInformationProcess(Info.Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL)))
            ExitStatus = Basic.ExitStatus;
        TotalCalls += Shared->Calls;
        for (Index = 0; Index < Distinct && Exits[Index] != (ULONG)ExitStatus; Index++)
            ;
        if (Index == Distinct && Distinct < 8) {
            Exits[Distinct] = (ULONG)ExitStatus;
            ExitCounts[Distinct++] = 0;
        }
        if (Index < Distinct)
            ExitCounts[Index]++;
        EndDescendants(ChildPid);
        NtClose(Info.Thread);
        NtClose(Info.Process);
        /* Nothing may keep the child's objects: their client IDs open nothing now. */
        if (NT_SUCCESS(OpenByCid(ChildPid, 0, &Stale))) {
            Failure("a child's process object outlived its handles: PID ", ChildPid, NULL);
            NtClose(Stale);
        }
        if (NT_SUCCESS(OpenByCid(0, ChildTid, &Stale))) {
            Failure("a child's thread object outlived its handles: TID ", ChildTid, NULL);
            NtClose(Stale);
        }
    }

    QueryTasks(MyPid, &Handles1, &Processes1, 0, NULL, 0, NULL);
    NtQueryObject(SharedSection, ObjectBasicInformation, &After, sizeof(After), NULL);
    Line.Length = 0;
    PstAdd(&Line, "scfuzz: children ended with");
    for (Index = 0; Index < Distinct; Index++) {
        PstAdd(&Line, " ");
        PstAddHex(&Line, Exits[Index]);
        PstAdd(&Line, " x");
        PstAddDecimal(&Line, ExitCounts[Index]);
    }
    PstWriteLine(&Line);
    if (Handles1 != Handles0)
        Failure("the parent's handle count did not come back: ", Handles1, NULL);
    if (Processes1 != Processes0)
        Failure("the number of processes did not come back: ", Processes1, NULL);
    if (After.HandleCount != Before.HandleCount || After.PointerCount != Before.PointerCount)
        Failure("references to the shared section leaked: pointer count ", After.PointerCount, NULL);

    Line.Length = 0;
    PstAdd(&Line, "scfuzz: ");
    PstAddDecimal(&Line, TotalCalls);
    PstAdd(&Line, " calls in ");
    PstAddDecimal(&Line, Child - First);
    PstAdd(&Line, " children, ");
    PstAddDecimal(&Line, KernelFailures);
    PstAdd(&Line, " kernel failures");
    PstWriteLine(&Line);
    (void)Hangs;
    return KernelFailures == 0 ? 0 : 1;
}

ULONG NTAPI ScFuzzStart(PVOID Peb)
{
    char Buffer[128];
    char *Words[5];
    ULONG Count = PstSplitCommandLine(Buffer, sizeof(Buffer), Words, 5);

    (void)Peb;
    if (Count == 3 && PstEqual(Words[0], "child"))
        NtTerminateProcess(NtCurrentProcess(), ChildMain(PstParseNumber(Words[1]), PstParseNumber(Words[2])));
    return ParentMain(Count >= 1 ? PstParseNumber(Words[0]) : DEFAULT_SEED,
                      Count >= 2 ? PstParseNumber(Words[1]) : DEFAULT_CHILDREN,
                      Count >= 3 ? PstParseNumber(Words[2]) : DEFAULT_CALLS,
                      Count >= 4 ? PstParseNumber(Words[3]) : 0);
}

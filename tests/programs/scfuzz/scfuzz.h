/*
 * scfuzz.h - what the parts of scfuzz.exe share (the service table, the shared
 * page, the child's pages and handle pools, the prototypes each file offers the
 * others). scfuzz.exe is a deterministic ring-3 system-call fuzzer: every native service, called
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
 *   - NtMakeTemporaryObject only on the objects it made itself (checked by name at
 *     the call: a static handle's value may have been closed and reused): on \??\C:
 *     or \BaseNamedObjects it would delete names the next child needs.
 * Then, once the CALLS calls are done, the last call is one that ends it, with
 * hostile arguments: NtContinue or NtSetContextThread of itself with a random CONTEXT
 * (kernel segments, IOPL, VM86, kernel EIP, debug registers), NtRaiseException with
 * a random record, NtTerminateThread/NtTerminateProcess of itself with a random
 * status, an APC at a random address delivered by NtTestAlert. Left out entirely:
 * NtSuspendThread of the last thread of a process (nothing could resume it: a hang
 * by design, not a kernel defect).
 *
 * The files, one job each:
 *   services.c  the service table and the raw doors (service numbers from the import
 *               stubs, INT 2E, KiFastSystemCall, ScCall);
 *   args.c      the PRNG and the hostile arguments (addresses, handles, strings,
 *               OBJECT_ATTRIBUTES, CONTEXTs, timeouts) and their taming;
 *   child.c     the child: its setup, its calls, its last call;
 *   parent.c    the parent: the door checks, starting and watching the children, the
 *               leak checks, and the entry point ScFuzzStart.
 */
#ifndef SCFUZZ_H
#define SCFUZZ_H

#include "../pstest.h"

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
    SC(NtDisplayString, 4, "U", 0)                                             \
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

/* The number of services (Services[] in services.c has one entry per SC line). */
#define SC_COUNT_ONE(Name, Bytes, Kinds, Flags) + 1u
#define SERVICE_COUNT (0u SC_SERVICES(SC_COUNT_ONE))

/* ---- services.c: the table and the doors ---- */

extern const SC_SERVICE Services[SERVICE_COUNT];
/* The table index of the service whose import slot is Import. */
ULONG ServiceIndex(PVOID *Import);
/* Calls Function (stdcall) with Count arguments, whatever it pops. */
ULONG ScCall(PVOID Function, ULONG Count, const ULONG *Arguments);
/* The service number an ntdll stub loads; INT 2E and KiFastSystemCall with any. */
ULONG StubNumber(PVOID Stub);
NTSTATUS Int2e(ULONG Number, ULONG_PTR Arguments);
NTSTATUS FastCall(ULONG Number);

/* ---- args.c: the PRNG and the hostile arguments ---- */

void Seed(ULONG Value);
ULONG Random(void);
ULONG Below(ULONG Limit);
#define PICK(Array) ((Array)[Below(sizeof(Array) / sizeof((Array)[0]))])

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

/* The child's world (child.c fills it in): what the arguments are drawn from. In
   the parent, MyPid is the parent's own ID. */
extern PUCHAR Region;
extern ULONG MyPid, MyTid;

/* Handles of every kind: made here, stale, pseudo, and those calls returned. */
#define STATIC_HANDLES 24
#define DYNAMIC_HANDLES 16
extern HANDLE StaticHandles[STATIC_HANDLES];
extern ULONG StaticCount;
extern HANDLE DynamicHandles[DYNAMIC_HANDLES];
extern ULONG DynamicNext;
extern HANDLE VictimThread;
extern NATIVE_CLIENT_ID VictimProcessCid, VictimThreadCid;

/* The page parent and child share (parent.c makes it, the child opens it). */
extern SC_SHARED *Shared;
extern HANDLE SharedSection;

ULONG_PTR BadAddress(void);
ULONG_PTR Slot(ULONG Argument);
void FillRandom(PVOID Buffer, ULONG Length);
void Guard(void);
HANDLE AnyHandle(void);
void MakeContext(PCONTEXT Context);
ULONG_PTR MakeTimeout(ULONG Argument, BOOLEAN Bounded);
ULONG Argument(const SC_SERVICE *Service, ULONG Index, char Kind);
void Tame(const SC_SERVICE *Service, ULONG *Arguments);
void Harvest(const SC_SERVICE *Service, const ULONG *Arguments, NTSTATUS Status);

/* ---- child.c ---- */

ULONG ChildMain(ULONG ChildSeed, ULONG Calls);

/* ---- shared helpers ---- */

static inline void InitializeAttributes(POBJECT_ATTRIBUTES Attributes, PUNICODE_STRING Name, PCWSTR Text)
{
    RtlInitUnicodeString(Name, Text);
    InitializeObjectAttributes(Attributes, Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
}

#endif

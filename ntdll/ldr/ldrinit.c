/*
 * ldrinit.c - LdrpInitialize: the loader's work at the start of each thread,
 * reached from LdrInitializeThunk (i386/ldrthunk.asm) with the thread's start
 * CONTEXT, before the thread runs any code of its image (NT: LdrpInitialize,
 * LdrpInitializeProcess, LdrpInitializeThread).
 *
 * The process's first thread sets the process up: the loader lock and the
 * process heap, PEB->Ldr with entries for the exe and ntdll (both mapped by the
 * kernel, both pinned), the DLL search path, then every DLL the exe needs,
 * loaded and bound depth first (ldrsnap.c), static TLS, and the DLLs'
 * DLL_PROCESS_ATTACH in initialization order. Any failure ends the process with
 * its status, after the line on standard error (ldrerror.c). Later threads get
 * their TLS blocks and the DLLs' DLL_THREAD_ATTACH.
 *
 * Returning leads back through KiUserApcDispatcher to NtContinue(Context, TRUE),
 * which starts the thread at the CONTEXT's EIP (ntdll!RtlUserThreadStart).
 */
#include "ldrp.h"
#include <nt/context.h>
#include <nt/kuser.h>

/* User mode's address of KUSER_SHARED_DATA (nt/kuser.h names the kernel's). */
#define LDRP_SHARED_USER_DATA ((const KUSER_SHARED_DATA *)0x7FFE0000)

PEB_LDR_DATA LdrpData;
/* Free from the start (LockCount -1): a thread that arrives while the first one
   still sets the process up waits on it rather than finding it uninitialized. */
RTL_CRITICAL_SECTION LdrpLoaderLock = RTLP_CRITICAL_SECTION_INIT;
PLDRP_MODULE LdrpExeModule, LdrpNtdllModule;
PWSTR LdrpDefaultPath;
BOOLEAN LdrpReportFailures;

/* A string of the process parameters: an address once normalized, an offset before. */
static PCWSTR LdrpParameterString(PRTL_USER_PROCESS_PARAMETERS Parameters, PUNICODE_STRING String)
{
    if (String->Buffer == NULL || (Parameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED))
        return String->Buffer;
    return (PCWSTR)((PUCHAR)Parameters + (ULONG_PTR)String->Buffer);
}

/* PATH's value in the environment block ("NAME=value\0...\0\0"), or NULL. */
static PCWSTR LdrpFindPath(PCWSTR Environment)
{
    static const WCHAR Name[] = u"PATH=";

    while (Environment != NULL && *Environment != 0) {
        if (LdrpEqualWide(Environment, 5, Name, 5))
            return Environment + 5;
        Environment += LdrpWideLength(Environment) + 1;
    }
    return NULL;
}

/*
 * The default search path, NT's order: the application's folder, System32, the
 * Windows folder, then PATH.
 */
static NTSTATUS LdrpBuildDefaultPath(PCWSTR Image, ULONG ImageLength, PCWSTR Path)
{
    PCWSTR Root = LDRP_SHARED_USER_DATA->NtSystemRoot;
    ULONG RootLength = LdrpWideLength(Root), PathLength = Path != NULL ? LdrpWideLength(Path) : 0;
    ULONG Capacity = ImageLength + 2 * RootLength + PathLength + 16, Used, Folder = 0, Index;

    LdrpDefaultPath = LdrpAllocate(Capacity * sizeof(WCHAR));
    if (LdrpDefaultPath == NULL)
        return STATUS_NO_MEMORY;
    for (Index = 0; Index < ImageLength; Index++)
        if (Image[Index] == '\\')
            Folder = Index;
    Used = LdrpAppend(LdrpDefaultPath, 0, Capacity, Image, Folder);
    Used = LdrpAppend(LdrpDefaultPath, Used, Capacity, u";", 1);
    Used = LdrpAppend(LdrpDefaultPath, Used, Capacity, Root, RootLength);
    Used = LdrpAppend(LdrpDefaultPath, Used, Capacity, u"\\System32;", 10);
    Used = LdrpAppend(LdrpDefaultPath, Used, Capacity, Root, RootLength);
    if (Path != NULL) {
        Used = LdrpAppend(LdrpDefaultPath, Used, Capacity, u";", 1);
        Used = LdrpAppend(LdrpDefaultPath, Used, Capacity, Path, PathLength);
    }
    return Used < Capacity ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

/* The two images the kernel mapped: the exe first in load order, then ntdll. */
static NTSTATUS LdrpCreateFirstModules(PPEB Peb, PCWSTR Image, ULONG ImageLength, PVOID NtdllBase)
{
    PCWSTR Root = LDRP_SHARED_USER_DATA->NtSystemRoot;
    WCHAR Ntdll[300];
    ULONG Used;

    LdrpExeModule = LdrpCreateModule(Peb->ImageBaseAddress, Image, ImageLength);
    Used = LdrpAppend(Ntdll, 0, 300, Root, LdrpWideLength(Root));
    Used = LdrpAppend(Ntdll, Used, 300, u"\\System32\\ntdll.dll", 19);
    LdrpNtdllModule = LdrpCreateModule(NtdllBase, Ntdll, Used);
    if (LdrpExeModule == NULL || LdrpNtdllModule == NULL)
        return STATUS_NO_MEMORY;
    LdrpExeModule->Entry.LoadCount = LDRP_PINNED_COUNT;
    LdrpNtdllModule->Entry.LoadCount = LDRP_PINNED_COUNT;
    LdrpExeModule->Entry.Flags |= LDRP_ENTRY_PROCESSED;
    LdrpNtdllModule->Entry.Flags |= LDRP_ENTRY_PROCESSED;
    LdrpInsertModule(LdrpExeModule);
    LdrpInsertModule(LdrpNtdllModule);
    /* ntdll heads the initialization order (it has no DllMain); the exe is not in it. */
    InsertTailList(&LdrpData.InInitializationOrderModuleList, &LdrpNtdllModule->Entry.InInitializationOrderLinks);
    LdrpNtdllModule->InitRun = TRUE;
    return STATUS_SUCCESS;
}

/* Everything the exe's imports reached stays as long as the exe: pinned. */
static VOID LdrpPinStaticModules(VOID)
{
    PLIST_ENTRY Link;

    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InLoadOrderLinks);
        Module->Entry.LoadCount = LDRP_PINNED_COUNT;
        Module->Entry.Flags |= LDRP_STATIC_LINK;
    }
}

static NTSTATUS LdrpInitializeProcess(PCONTEXT Context, PVOID NtdllBase)
{
    PPEB Peb = LdrpCurrentPeb();
    PRTL_USER_PROCESS_PARAMETERS Parameters = Peb->ProcessParameters;
    PCWSTR Image = u"";
    ULONG ImageLength = 0;
    NTSTATUS Status;

    Peb->LoaderLock = &LdrpLoaderLock;
    RtlpInitializePebLock(Peb);
    RtlEnterCriticalSection(&LdrpLoaderLock);
    LdrpReportFailures = TRUE;
    /* From here on other threads take LdrpInitializeThread, and wait for the lock. */
    Peb->Ldr = &LdrpData;
    LdrpData.Length = sizeof(LdrpData);
    InitializeListHead(&LdrpData.InLoadOrderModuleList);
    InitializeListHead(&LdrpData.InMemoryOrderModuleList);
    InitializeListHead(&LdrpData.InInitializationOrderModuleList);
    Status = RtlpInitializeProcessHeap(Peb);
    if (!NT_SUCCESS(Status))
        return Status;

    if (Parameters != NULL && Parameters->ImagePathName.Length != 0) {
        Image = LdrpParameterString(Parameters, &Parameters->ImagePathName);
        ImageLength = Parameters->ImagePathName.Length / sizeof(WCHAR);
    }
    Status = LdrpBuildDefaultPath(Image, ImageLength,
                                  Parameters != NULL ? LdrpFindPath(Parameters->Environment) : NULL);
    if (NT_SUCCESS(Status))
        Status = LdrpCreateFirstModules(Peb, Image, ImageLength, NtdllBase);
    if (!NT_SUCCESS(Status))
        return Status;
    LdrpSearchPath = LdrpDefaultPath;

    Status = LdrpWalkImports(LdrpExeModule);
    if (NT_SUCCESS(Status)) {
        LdrpPinStaticModules();
        Status = LdrpInitializeTls();
    }
    if (NT_SUCCESS(Status))
        Status = LdrpAllocateTls();
    LdrpData.Initialized = TRUE;
    if (NT_SUCCESS(Status))
        Status = LdrpRunInitializeRoutines(&LdrpData.InInitializationOrderModuleList, Context);
    if (NT_SUCCESS(Status))
        LdrpCallTlsCallbacks(LdrpExeModule, DLL_PROCESS_ATTACH);
    /* What the DllMains loaded and let go of while they ran. */
    LdrpUnloadUnreferenced();
    LdrpReportFailures = FALSE;
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    return Status;
}

/*
 * A thread whose TLS blocks cannot be allocated must not run: its image's code
 * would read its __declspec(thread) variables through a NULL vector. As NT's
 * LdrpInitialize does with a thread whose initialization failed, it ends here
 * with the status (no DLL got DLL_THREAD_ATTACH, so none gets a detach).
 */
static VOID LdrpInitializeThread(VOID)
{
    NTSTATUS Status = STATUS_SUCCESS;

    RtlEnterCriticalSection(&LdrpLoaderLock);
    /* (Not Initialized: the first thread's start failed, and the process is ending.) */
    if (LdrpData.Initialized && !LdrpData.ShutdownInProgress) {
        Status = LdrpAllocateTls();
        if (NT_SUCCESS(Status))
            LdrpCallThreadRoutines(DLL_THREAD_ATTACH);
        LdrpUnloadUnreferenced();
    }
    RtlLeaveCriticalSection(&LdrpLoaderLock);
    if (!NT_SUCCESS(Status))
        NtTerminateThread(NtCurrentThread(), Status);
}

VOID NTAPI LdrpInitialize(PCONTEXT Context, PVOID NtdllBase, PVOID SystemArgument2)
{
    NTSTATUS Status;

    (void)SystemArgument2;
    /* The kernel leaves PEB->Ldr NULL: the process's first thread finds it so. */
    if (LdrpCurrentPeb()->Ldr != NULL) {
        LdrpInitializeThread();
        return;
    }
    Status = LdrpInitializeProcess(Context, NtdllBase);
    if (!NT_SUCCESS(Status))
        NtTerminateProcess(NtCurrentProcess(), Status);     /* NT: LdrpInitializationFailure */
}

/*
 * ldrtest.c - the loader's tests from the inside (tests/system/ldr-*.test): a
 * native program that imports ldra.dll by name, by ordinal and through its
 * forwarders to ldrb.dll (ldra -> ldrb -> ldrc), ldrord.dll (in its own folder
 * and in System32: its own folder wins), ldrsys.dll (only in System32) and
 * ldrreloc.dll (linked at ldra's base, so relocated); has static TLS of its own
 * (the TLS directory MinGW's CRT would give it, built by hand below) with a
 * callback; and at run time loads, queries and unloads ldrdyn.dll. One line
 * "PASS name" or "FAIL name: ..." per check; the DLLs' DllMains and the TLS
 * callback print a line per call, whose order the system test checks. The exit
 * status is the number of failures.
 */
#include "ldrtest.h"

NTSYSAPI VOID NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION Section, ULONG SpinCount);
NTSYSAPI VOID NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI VOID NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION Section);
NTSYSAPI VOID NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION Section);

/* ---- the imports ---- */
ULONG LdrAValue(void);              /* ldra, by name (hint) */
ULONG LdrAOrdinal(void);            /* ldra, by ordinal 5 (no name) */
ULONG LdrAForward(void);            /* ldra -> ldrb.LdrBValue */
ULONG LdrAForwardOrdinal(void);     /* ldra -> ldrb.#7 */
ULONG LdrOrdWhere(void);            /* ldrord.dll: 1 from C:\Tests, 2 from System32 */
ULONG LdrSysWhere(void);            /* ldrsys.dll: only in System32 */
ULONG LdrWinWhere(void);            /* ldrwin.dll: only in C:\Windows */
ULONG *LdrRelocData(void);          /* ldrreloc.dll */
ULONG LdrOptStatus(ULONG Index);    /* ldropt.dll: what its DllMain's loads returned */

/* ---- static TLS, laid out as MinGW's CRT (tlssup.c) lays it out ----
 * The linker sorts the .tls$ and .CRT$XL pieces by name and makes _tls_used the
 * image's TLS directory. Variables are reached through TEB->ThreadLocalStoragePointer
 * (fs:[2Ch]) [_tls_index] + their offset in the template. */
ULONG _tls_index;
__attribute__((section(".tls$AAA"), used)) ULONG LdrTlsStart = 0;
__attribute__((section(".tls$BBB"), used)) ULONG LdrTlsValue = 0x600D;
__attribute__((section(".tls$ZZZ"), used)) ULONG LdrTlsEnd = 0;
#define LDR_TLS(Variable) \
    (*(__typeof__(Variable) *)((PUCHAR)((PVOID *)__readfsdword(0x2C))[_tls_index] + \
                               ((PUCHAR)&(Variable) - (PUCHAR)&LdrTlsStart)))

static VOID NTAPI LdrTestTlsCallback(PVOID Image, DWORD Reason, PVOID Reserved)
{
    (void)Image;
    (void)Reserved;
    LdrTestLog("ldrtest tls callback", Reason);
}

/* A second callback that raises (an access violation) in DLL_THREAD_ATTACH while
   TestExceptions asks it to: the loader skips it and the thread starts. */
static volatile BOOLEAN RaiseInTlsCallback;
static volatile ULONG_PTR Nowhere = 0x10;

static VOID NTAPI LdrTestRaisingCallback(PVOID Image, DWORD Reason, PVOID Reserved)
{
    (void)Image;
    (void)Reserved;
    if (RaiseInTlsCallback && Reason == DLL_THREAD_ATTACH)
        *(volatile ULONG *)Nowhere = Reason;
}

__attribute__((section(".CRT$XLA"), used)) PIMAGE_TLS_CALLBACK LdrTlsCallbacks = NULL;
__attribute__((section(".CRT$XLM"), used)) PIMAGE_TLS_CALLBACK LdrTlsCallback = LdrTestTlsCallback;
__attribute__((section(".CRT$XLN"), used)) PIMAGE_TLS_CALLBACK LdrTlsCallback2 = LdrTestRaisingCallback;
__attribute__((section(".CRT$XLZ"), used)) PIMAGE_TLS_CALLBACK LdrTlsCallbacksEnd = NULL;

__attribute__((used)) const IMAGE_TLS_DIRECTORY32 _tls_used = {
    (DWORD)(ULONG_PTR)&LdrTlsStart, (DWORD)(ULONG_PTR)&LdrTlsEnd, (DWORD)(ULONG_PTR)&_tls_index,
    (DWORD)(ULONG_PTR)(&LdrTlsCallbacks + 1), 0, 0
};

/* ---- PEB->Ldr as NT lays it out (include/nt/ntldr.h; not from this repository) ---- */
typedef struct _LDRT_ENTRY {
    LIST_ENTRY InLoadOrderLinks;
    LIST_ENTRY InMemoryOrderLinks;
    LIST_ENTRY InInitializationOrderLinks;
    PVOID DllBase;
    PVOID EntryPoint;
    ULONG SizeOfImage;
    UNICODE_STRING FullDllName;
    UNICODE_STRING BaseDllName;
    ULONG Flags;
    USHORT LoadCount;
    USHORT TlsIndex;
} LDRT_ENTRY;
_Static_assert(__builtin_offsetof(LDRT_ENTRY, BaseDllName) == 0x2C, "BaseDllName");
_Static_assert(__builtin_offsetof(LDRT_ENTRY, LoadCount) == 0x38, "LoadCount");

typedef struct _LDRT_DATA {
    ULONG Length;
    BOOLEAN Initialized;
    PVOID SsHandle;
    LIST_ENTRY InLoadOrderModuleList;
    LIST_ENTRY InMemoryOrderModuleList;
    LIST_ENTRY InInitializationOrderModuleList;
    PVOID EntryInProgress;
} LDRT_DATA;
_Static_assert(__builtin_offsetof(LDRT_DATA, EntryInProgress) == 0x24, "EntryInProgress");

/* PEB->LoaderLock (PEB offset 0xA0). */
#define LDRT_LOADER_LOCK (*(PRTL_CRITICAL_SECTION *)((PUCHAR)NativePeb() + 0xA0))

#define LDRT_IMAGE_NOT_AT_BASE 0x00200000

/* ---- reporting ---- */
static ULONG Passed, Failed;

static void Check(BOOLEAN Ok, const char *Name, ULONG Value)
{
    char Line[128], *Out = Line;
    const char *Text;

    for (Text = Ok ? "PASS " : "FAIL "; *Text; )
        *Out++ = *Text++;
    for (Text = Name; *Text && Out < Line + 90; )
        *Out++ = *Text++;
    if (!Ok) {
        *Out++ = ':';
        *Out++ = ' ';
        *Out++ = '0';
        *Out++ = 'x';
        Out = NativeFormatHex(Out, Value);
    }
    *Out++ = '\r';
    *Out++ = '\n';
    *Out = 0;
    NativeWrite(Line);
    if (Ok)
        Passed++;
    else
        Failed++;
}

static void InitName(PUNICODE_STRING String, PCWSTR Text)
{
    USHORT Length = 0;

    while (Text[Length] != 0)
        Length++;
    String->Buffer = (PWSTR)Text;
    String->Length = (USHORT)(Length * 2);
    String->MaximumLength = (USHORT)(Length * 2 + 2);
}

static BOOLEAN SameName(PUNICODE_STRING String, PCWSTR Text)
{
    USHORT Index;

    for (Index = 0; Index < String->Length / 2; Index++) {
        WCHAR A = String->Buffer[Index], B = Text[Index];
        if (A >= 'A' && A <= 'Z')
            A += 32;
        if (A != B)
            return FALSE;
    }
    return Text[Index] == 0;
}

static LDRT_DATA *Ldr(void)
{
    return (LDRT_DATA *)NativePeb()->Ldr;
}

static LDRT_ENTRY *FindEntry(PCWSTR BaseName)
{
    LIST_ENTRY *Link;

    for (Link = Ldr()->InLoadOrderModuleList.Flink; Link != &Ldr()->InLoadOrderModuleList; Link = Link->Flink) {
        LDRT_ENTRY *Entry = CONTAINING_RECORD(Link, LDRT_ENTRY, InLoadOrderLinks);
        if (SameName(&Entry->BaseDllName, BaseName))
            return Entry;
    }
    return NULL;
}

/* Position in the initialization-order list, or 99. */
static ULONG InitPosition(PCWSTR BaseName)
{
    LIST_ENTRY *Link;
    ULONG Index = 0;

    for (Link = Ldr()->InInitializationOrderModuleList.Flink; Link != &Ldr()->InInitializationOrderModuleList;
         Link = Link->Flink, Index++) {
        LDRT_ENTRY *Entry = CONTAINING_RECORD(Link, LDRT_ENTRY, InInitializationOrderLinks);
        if (SameName(&Entry->BaseDllName, BaseName))
            return Index;
    }
    return 99;
}

/* ---- the checks ---- */

static void TestImports(void)
{
    Check(LdrAValue() == 123, "import by name through a chain of three DLLs", LdrAValue());
    Check(LdrAOrdinal() == 555, "import by ordinal", LdrAOrdinal());
    Check(LdrAForward() == 23, "import through a forwarder by name", LdrAForward());
    Check(LdrAForwardOrdinal() == 77, "import through a forwarder by ordinal", LdrAForwardOrdinal());
    Check(LdrOrdWhere() == 1, "search order: the program's folder before System32", LdrOrdWhere());
    Check(LdrSysWhere() == 2, "search order: System32", LdrSysWhere());
    Check(LdrWinWhere() == 3, "search order: the Windows folder", LdrWinWhere());
}

static void TestRelocated(void)
{
    LDRT_ENTRY *Reloc = FindEntry(u"ldrreloc.dll"), *A = FindEntry(u"ldra.dll");
    ULONG *Data = LdrRelocData();

    Check(Reloc != NULL && A != NULL, "ldrreloc.dll and ldra.dll in the module list", 0);
    if (Reloc == NULL || A == NULL)
        return;
    Check(A->DllBase == (PVOID)0x10000000, "ldra.dll at its preferred base", (ULONG)A->DllBase);
    Check(Reloc->DllBase != (PVOID)0x10000000, "ldrreloc.dll moved", (ULONG)Reloc->DllBase);
    Check((Reloc->Flags & LDRT_IMAGE_NOT_AT_BASE) != 0, "ldrreloc.dll flagged LDRP_IMAGE_NOT_AT_BASE", Reloc->Flags);
    Check((PUCHAR)Data >= (PUCHAR)Reloc->DllBase && (PUCHAR)Data < (PUCHAR)Reloc->DllBase + Reloc->SizeOfImage &&
          *Data == 0x1234, "ldrreloc.dll's data pointer relocated", (ULONG)Data);
}

static void TestModuleList(void)
{
    LDRT_DATA *Data = Ldr();
    LDRT_ENTRY *First, *Second, *Ntdll = FindEntry(u"ntdll.dll");
    ULONG C = InitPosition(u"ldrc.dll"), B = InitPosition(u"ldrb.dll"), A = InitPosition(u"ldra.dll");

    Check(Data != NULL && Data->Initialized && Data->Length >= 0x28, "PEB->Ldr initialized", (ULONG)Data);
    First = CONTAINING_RECORD(Data->InLoadOrderModuleList.Flink, LDRT_ENTRY, InLoadOrderLinks);
    Second = CONTAINING_RECORD(First->InLoadOrderLinks.Flink, LDRT_ENTRY, InLoadOrderLinks);
    Check(First->DllBase == NativePeb()->ImageBaseAddress && SameName(&First->BaseDllName, u"ldrtest.exe"),
          "the exe first in load order", (ULONG)First->DllBase);
    Check(Second == Ntdll && Ntdll != NULL && SameName(&Ntdll->FullDllName, u"c:\\windows\\system32\\ntdll.dll"),
          "ntdll second in load order", (ULONG)Second->DllBase);
    Check(First->LoadCount == 0xFFFF && Ntdll->LoadCount == 0xFFFF, "exe and ntdll pinned", First->LoadCount);
    Check(InitPosition(u"ntdll.dll") == 0 && C < B && B < A && A != 99,
          "initialization order ntdll, ldrc, ldrb, ldra", C << 16 | B << 8 | A);
    Check(SameName(&FindEntry(u"ldra.dll")->FullDllName, u"c:\\tests\\ldra.dll"), "ldra.dll's full name", 0);
    Check(SameName(&FindEntry(u"ldrsys.dll")->FullDllName, u"c:\\windows\\system32\\ldrsys.dll"),
          "ldrsys.dll's full name", 0);
    Check(SameName(&FindEntry(u"ldrwin.dll")->FullDllName, u"c:\\windows\\ldrwin.dll"), "ldrwin.dll's full name", 0);
}

/* ---- threads: TLS per thread, DLL_THREAD_ATTACH/DETACH, the critical section ---- */

static RTL_CRITICAL_SECTION Lock;
static volatile ULONG Counter;
static ULONG ThreadSawTemplate, *ThreadTls;

static void Contend(void)
{
    ULONG Index, Value;

    for (Index = 0; Index < 200; Index++) {
        RtlEnterCriticalSection(&Lock);
        RtlEnterCriticalSection(&Lock);             /* recursion */
        Value = Counter;
        NtYieldExecution();                         /* let the other thread find it taken */
        Counter = Value + 1;
        RtlLeaveCriticalSection(&Lock);
        RtlLeaveCriticalSection(&Lock);
    }
}

static ULONG NTAPI LdrTestThread(PVOID Parameter)
{
    (void)Parameter;
    ThreadSawTemplate = LDR_TLS(LdrTlsValue);
    LDR_TLS(LdrTlsValue) = 0xBEEF;
    ThreadTls = &LDR_TLS(LdrTlsValue);
    Contend();
    return 0x77;
}

static void TestThreads(void)
{
    HANDLE Thread;
    NATIVE_THREAD_BASIC_INFORMATION Basic;

    Check(LDR_TLS(LdrTlsValue) == 0x600D, "TLS: the first thread's copy of the template", LDR_TLS(LdrTlsValue));
    LDR_TLS(LdrTlsValue) = 0x1111;
    RtlInitializeCriticalSection(&Lock);
    NativeWrite("ldrtest: starting a thread\r\n");
    Thread = LdrTestStartThread(LdrTestThread, NULL, FALSE);
    Check(Thread != NULL, "thread created", 0);
    if (Thread == NULL)
        return;
    Contend();
    NtWaitForSingleObject(Thread, FALSE, NULL);
    NativeWrite("ldrtest: the thread ended\r\n");
    Basic.ExitStatus = 0;
    NtQueryInformationThread(Thread, 0, &Basic, sizeof(Basic), NULL);
    NtClose(Thread);
    Check(Basic.ExitStatus == 0x77, "the thread's exit status", Basic.ExitStatus);
    Check(ThreadSawTemplate == 0x600D, "TLS: a new thread starts from the template", ThreadSawTemplate);
    Check(LDR_TLS(LdrTlsValue) == 0x1111 && ThreadTls != &LDR_TLS(LdrTlsValue), "TLS: each thread its own block",
          LDR_TLS(LdrTlsValue));
    Check(Counter == 400, "critical section: 400 increments from two threads", Counter);
    Check(Lock.LockCount == -1 && Lock.RecursionCount == 0 && Lock.OwningThread == NULL,
          "critical section free at the end", (ULONG)Lock.LockCount);
    Check(RtlTryEnterCriticalSection(&Lock), "critical section: TryEnter when free", 0);
    RtlLeaveCriticalSection(&Lock);
    RtlDeleteCriticalSection(&Lock);
}

/* The spin count's high bit: the event made at once, the bit not kept in the count. */
static void TestSpinCountFlag(void)
{
    RTL_CRITICAL_SECTION Early, Late;
    NTSTATUS Status = RtlInitializeCriticalSectionAndSpinCount(&Early, 0x80000400);

    Check(NT_SUCCESS(Status) && Early.LockSemaphore != NULL && Early.SpinCount == 0x400 && Early.LockCount == -1,
          "critical section: the spin count's high bit makes the event at once", (ULONG)Early.LockSemaphore);
    Status = RtlInitializeCriticalSectionAndSpinCount(&Late, 0x400);
    Check(NT_SUCCESS(Status) && Late.LockSemaphore == NULL && Late.SpinCount == 0x400,
          "critical section: without it, the event waits for contention", (ULONG)Late.LockSemaphore);
    RtlDeleteCriticalSection(&Early);
    RtlDeleteCriticalSection(&Late);
}

/* ---- run time: LdrLoadDll, LdrGetProcedureAddress, LdrGetDllHandle, LdrUnloadDll ---- */

static void TestRunTime(void)
{
    UNICODE_STRING Name, Path, Missing, Fail;
    ANSI_STRING Procedure = { 11, 12, (PCHAR)"LdrDynValue" }, Nope = { 7, 8, (PCHAR)"LdrNope" };
    ANSI_STRING Where = { 12, 13, (PCHAR)"LdrPathWhere" };
    PVOID Base = NULL, Again = NULL, Handle = NULL, Address = NULL, A = NULL;
    ULONG (*Function)(void);
    NTSTATUS Status;
    LDRT_ENTRY *Entry;

    InitName(&Name, u"ldrdyn");
    InitName(&Path, u"C:\\Tests\\LDRDYN.DLL");
    InitName(&Missing, u"ldrnone.dll");
    InitName(&Fail, u"ldrfail.dll");

    Status = LdrGetDllHandle(NULL, NULL, &Name, &Handle);
    Check(Status == LDR_STATUS_DLL_NOT_FOUND, "LdrGetDllHandle: not loaded yet", Status);
    NativeWrite("ldrtest: LdrLoadDll ldrdyn\r\n");
    Status = LdrLoadDll(NULL, NULL, &Name, &Base);
    Check(NT_SUCCESS(Status) && Base != NULL, "LdrLoadDll", Status);
    if (!NT_SUCCESS(Status))
        return;
    Status = LdrGetProcedureAddress(Base, &Procedure, 0, &Address);
    Function = (ULONG (*)(void))Address;
    Check(NT_SUCCESS(Status) && Function() == 4003, "LdrGetProcedureAddress by name", Status);
    Status = LdrGetProcedureAddress(Base, &Nope, 0, &Address);
    Check(Status == LDR_STATUS_ENTRYPOINT_NOT_FOUND, "LdrGetProcedureAddress: a missing name", Status);
    InitName(&Name, u"ldra.dll");
    Status = LdrGetDllHandle(NULL, NULL, &Name, &A);
    Check(NT_SUCCESS(Status) && A == (PVOID)0x10000000, "LdrGetDllHandle ldra.dll", Status);
    Status = LdrGetProcedureAddress(A, NULL, 5, &Address);
    Function = (ULONG (*)(void))Address;
    Check(NT_SUCCESS(Status) && Function() == 555, "LdrGetProcedureAddress by ordinal", Status);
    Status = LdrGetProcedureAddress(A, NULL, 99, &Address);
    Check(Status == LDR_STATUS_ORDINAL_NOT_FOUND, "LdrGetProcedureAddress: a missing ordinal", Status);

    Status = LdrLoadDll(NULL, NULL, &Path, &Again);
    Entry = FindEntry(u"ldrdyn.dll");
    Check(NT_SUCCESS(Status) && Again == Base && Entry != NULL && Entry->LoadCount == 2,
          "LdrLoadDll by full path: the same module, counted twice", Entry ? Entry->LoadCount : Status);
    Check(FindEntry(u"ldrc.dll")->LoadCount == 0xFFFF, "a static import stays pinned", FindEntry(u"ldrc.dll")->LoadCount);
    LdrUnloadDll(Base);
    InitName(&Name, u"LdrDyn.dll");
    Status = LdrGetDllHandle(NULL, NULL, &Name, &Handle);
    Check(NT_SUCCESS(Status) && Handle == Base, "still loaded after one LdrUnloadDll", Status);
    NativeWrite("ldrtest: LdrUnloadDll ldrdyn\r\n");
    Status = LdrUnloadDll(Base);
    Check(NT_SUCCESS(Status), "LdrUnloadDll", Status);
    Status = LdrGetDllHandle(NULL, NULL, &Name, &Handle);
    Check(Status == LDR_STATUS_DLL_NOT_FOUND && FindEntry(u"ldrdyn.dll") == NULL, "gone after the last LdrUnloadDll",
          Status);
    Check(LdrUnloadDll(Base) == LDR_STATUS_DLL_NOT_FOUND, "LdrUnloadDll of what is not loaded", 0);

    InitName(&Name, u"ldrpath.dll");
    Status = LdrLoadDll(NULL, NULL, &Name, &Handle);
    Check(Status == LDR_STATUS_DLL_NOT_FOUND, "LdrLoadDll: C:\\Tests\\Path is not on the default path", Status);
    Status = LdrLoadDll((PWSTR)u"C:\\Windows;C:\\Tests\\Path", NULL, &Name, &Handle);
    Address = NULL;
    if (NT_SUCCESS(Status))
        LdrGetProcedureAddress(Handle, &Where, 0, &Address);
    Function = (ULONG (*)(void))Address;
    Check(NT_SUCCESS(Status) && Function != NULL && Function() == 4, "LdrLoadDll with its own search path", Status);
    if (NT_SUCCESS(Status))
        LdrUnloadDll(Handle);

    /* A chain loaded at run time goes with its head: ldrq1 holds ldrq2, which holds ldrq3. */
    InitName(&Name, u"ldrq1");
    Status = LdrLoadDll(NULL, NULL, &Name, &Handle);
    Entry = FindEntry(u"ldrq3.dll");
    Check(NT_SUCCESS(Status) && FindEntry(u"ldrq1.dll") != NULL && FindEntry(u"ldrq2.dll") != NULL && Entry != NULL &&
          Entry->LoadCount == 1 && InitPosition(u"ldrq3.dll") < InitPosition(u"ldrq1.dll"),
          "LdrLoadDll of a chain: its imports loaded, counted once, initialized first", Status);
    if (NT_SUCCESS(Status))
        LdrUnloadDll(Handle);
    Check(FindEntry(u"ldrq1.dll") == NULL && FindEntry(u"ldrq2.dll") == NULL && FindEntry(u"ldrq3.dll") == NULL,
          "LdrUnloadDll of a chain's head unloads the chain", 0);

    Status = LdrLoadDll(NULL, NULL, &Missing, &Handle);
    Check(Status == LDR_STATUS_DLL_NOT_FOUND, "LdrLoadDll of a DLL that is not there", Status);
    NativeWrite("ldrtest: LdrLoadDll ldrfail\r\n");
    Status = LdrLoadDll(NULL, NULL, &Fail, &Handle);
    Check(Status == LDR_STATUS_DLL_INIT_FAILED && FindEntry(u"ldrfail.dll") == NULL,
          "LdrLoadDll of a DLL whose DllMain fails", Status);
}

/* ---- run time, the harder cases ---- */

static NTSTATUS Load(PCWSTR Text, PVOID *Base)
{
    UNICODE_STRING Name;

    InitName(&Name, Text);
    *Base = NULL;
    return LdrLoadDll(NULL, NULL, &Name, Base);
}

static PVOID Procedure(PVOID Base, const char *Text, NTSTATUS *Status)
{
    ANSI_STRING Name;
    PVOID Address = NULL;
    USHORT Length = 0;

    while (Text[Length] != 0)
        Length++;
    Name.Buffer = (PCHAR)Text;
    Name.Length = Length;
    Name.MaximumLength = Length;        /* not NUL-terminated as far as the loader knows */
    *Status = LdrGetProcedureAddress(Base, &Name, 0, &Address);
    return Address;
}

/* A DllMain that unloads a DLL while its own DLL is being unloaded (ldrouter.c). */
static void TestUnloadFromDetach(void)
{
    PVOID Outer;
    NTSTATUS Status = Load(u"ldrouter", &Outer);

    Check(NT_SUCCESS(Status) && FindEntry(u"ldrdyn.dll") != NULL, "LdrLoadDll from a DllMain", Status);
    if (!NT_SUCCESS(Status))
        return;
    NativeWrite("ldrtest: LdrUnloadDll ldrouter\r\n");
    Status = LdrUnloadDll(Outer);
    Check(NT_SUCCESS(Status) && FindEntry(u"ldrouter.dll") == NULL && FindEntry(u"ldrdyn.dll") == NULL,
          "LdrUnloadDll from a DllMain being detached: only counted, both unloaded after", Status);
}

/* Loads from a DllMain initialize only their own DLLs and see their failures (ldrnesta.c). */
static void TestNestedLoads(void)
{
    ULONG (*Result)(ULONG);
    UNICODE_STRING Name;
    PVOID B, A = NULL;
    NTSTATUS Status;

    NativeWrite("ldrtest: LdrLoadDll ldrnestc\r\n");
    Status = Load(u"ldrnestc", &B);
    Check(Status == LDR_STATUS_DLL_INIT_FAILED && FindEntry(u"ldrnestc.dll") == NULL &&
          FindEntry(u"ldrnesta.dll") == NULL && FindEntry(u"ldrfail.dll") == NULL,
          "a DLL failing after another's DllMain loaded DLLs: the load fails, nothing stays", Status);
    NativeWrite("ldrtest: LdrLoadDll ldrnestb\r\n");
    Status = Load(u"ldrnestb", &B);
    Check(NT_SUCCESS(Status), "LdrLoadDll of a DLL whose import loads DLLs in its DllMain", Status);
    if (!NT_SUCCESS(Status))
        return;
    InitName(&Name, u"ldrnesta.dll");
    Status = LdrGetDllHandle(NULL, NULL, &Name, &A);
    Result = (ULONG (*)(ULONG))Procedure(A, "LdrNestAResult", &Status);
    if (Result != NULL) {
        Check(Result(0) == 0, "a nested LdrLoadDll succeeds", Result(0));
        Check(Result(2) == 0, "a nested LdrLoadDll runs no DllMain of the outer load's", Result(2));
        Check(Result(1) == (ULONG)LDR_STATUS_DLL_INIT_FAILED, "a nested LdrLoadDll sees STATUS_DLL_INIT_FAILED", Result(1));
    } else {
        Check(FALSE, "LdrNestAResult", Status);
    }
    Check(FindEntry(u"ldrfail.dll") == NULL && FindEntry(u"ldrdyn.dll") == NULL,
          "what nested loads failed or let go of is gone", 0);
    LdrUnloadDll(B);
    Check(FindEntry(u"ldrnestb.dll") == NULL && FindEntry(u"ldrnesta.dll") == NULL, "ldrnestb and ldrnesta unloaded",
          0);
}

/* Two DLLs importing each other go with the last hold on them. */
static void TestCycle(void)
{
    ULONG (*Value)(ULONG);
    LDRT_ENTRY *A, *B;
    PVOID Base;
    NTSTATUS Status = Load(u"ldrcyca.dll", &Base);

    A = FindEntry(u"ldrcyca.dll");
    B = FindEntry(u"ldrcycb.dll");
    Check(NT_SUCCESS(Status) && A != NULL && B != NULL && A->LoadCount == 1 && B->LoadCount == 1,
          "LdrLoadDll of a DLL in an import cycle: both loaded, counted once", Status);
    if (!NT_SUCCESS(Status))
        return;
    Value = (ULONG (*)(ULONG))Procedure(Base, "LdrCycAValue", &Status);
    Check(Value != NULL && Value(3) == 22, "calls around the cycle", Value != NULL ? Value(3) : (ULONG)Status);
    NativeWrite("ldrtest: LdrUnloadDll ldrcyca\r\n");
    LdrUnloadDll(Base);
    Check(FindEntry(u"ldrcyca.dll") == NULL && FindEntry(u"ldrcycb.dll") == NULL,
          "LdrUnloadDll of a DLL in an import cycle unloads the cycle", 0);
}

/* Names: no limit on an export's length, a hint checked, a forwarder's failing DLL. */
static void TestExports(void)
{
    static char Long[301];
    ULONG (*Function)(void);
    PVOID Exp, Bad;
    NTSTATUS Status;
    ULONG Index;

    Status = Load(u"ldrexp", &Exp);
    Check(NT_SUCCESS(Status), "LdrLoadDll ldrexp", Status);
    if (!NT_SUCCESS(Status))
        return;
    for (Index = 0; Index < 6; Index++)
        Long[Index] = "LdrExp"[Index];
    for (; Index < 300; Index++)
        Long[Index] = 'L';
    Function = (ULONG (*)(void))Procedure(Exp, Long, &Status);
    Check(NT_SUCCESS(Status) && Function() == 300, "LdrGetProcedureAddress of a 300-character name", Status);
    Long[299] = 0;
    Procedure(Exp, Long, &Status);
    Check(Status == LDR_STATUS_ENTRYPOINT_NOT_FOUND, "a name one character short is another name", Status);

    for (Index = 0; Index < 2; Index++) {
        Procedure(Exp, "LdrExpFail", &Status);
        Check(Status == LDR_STATUS_DLL_INIT_FAILED && FindEntry(u"ldrfail.dll") == NULL,
              Index == 0 ? "a forwarder to a DLL whose DllMain fails: STATUS_DLL_INIT_FAILED, the DLL unloaded"
                         : "and again: not left behind as initialized", Status);
    }

    Function = (ULONG (*)(void))Procedure(Exp, "AAAFirst", &Status);
    Check(NT_SUCCESS(Status) && Function() == 1, "the first name through its hint", Status);
    LdrUnloadDll(Exp);

    /* ldrbadexp.dll is ldrexp.dll patched: the same base, so not both at once. */
    Status = Load(u"ldrbadexp", &Bad);
    Check(NT_SUCCESS(Status), "LdrLoadDll ldrbadexp", Status);
    if (NT_SUCCESS(Status)) {
        Function = (ULONG (*)(void))Procedure(Bad, "AAAFirst", &Status);
        Check(Status == LDR_STATUS_ENTRYPOINT_NOT_FOUND && Function == NULL,
              "a name whose ordinal is past the function table is refused", Status);
        LdrUnloadDll(Bad);
    }
}

/*
 * Images whose tables lead out of the image (tests/programs/ldr/badimage.py): an
 * import descriptor's DLL name, an import's name, an export name. The loader
 * checks them against SizeOfImage and refuses (or skips the name) instead of
 * faulting with the loader lock held.
 */
static void TestDamagedImages(void)
{
    PVOID Base;
    NTSTATUS Status;
    ULONG (*Function)(void);

    Status = Load(u"ldrbadimp", &Base);
    Check(Status == LDR_STATUS_INVALID_IMAGE_FORMAT && Base == NULL && FindEntry(u"ldrbadimp.dll") == NULL,
          "an import descriptor's DLL name outside the image: refused, nothing stays", Status);
    Status = Load(u"ldrbadthk", &Base);
    Check(Status == LDR_STATUS_INVALID_IMAGE_FORMAT && Base == NULL && FindEntry(u"ldrbadthk.dll") == NULL,
          "an import's name outside the image: refused, nothing stays", Status);
    Status = Load(u"ldrbadnam", &Base);
    Check(NT_SUCCESS(Status), "LdrLoadDll ldrbadnam", Status);
    if (NT_SUCCESS(Status)) {
        Function = (ULONG (*)(void))Procedure(Base, "AAAFirst", &Status);
        Check(Status == LDR_STATUS_ENTRYPOINT_NOT_FOUND && Function == NULL,
              "an export name outside the image matches nothing", Status);
        LdrUnloadDll(Base);
    }
}

/*
 * DllMains and TLS callbacks that raise (ldrraise.c): the loader catches the
 * exception in its own SEH frame, fails the attach or ignores the rest, and is
 * left as it was: its lock free, no entry in progress, unloads unloading again.
 */
static BOOLEAN LoaderIdle(void)
{
    PRTL_CRITICAL_SECTION Lock = LDRT_LOADER_LOCK;

    return Lock->LockCount == -1 && Lock->RecursionCount == 0 && Lock->OwningThread == NULL &&
           Ldr()->EntryInProgress == NULL;
}

static ULONG NTAPI QuietThread(PVOID Parameter)
{
    (void)Parameter;
    return 0x66;
}

static void TestExceptions(void)
{
    NATIVE_THREAD_BASIC_INFORMATION Basic;
    HANDLE Thread;
    PVOID Base;
    NTSTATUS Status;

    NativeWrite("ldrtest: LdrLoadDll ldrraisea\r\n");
    Status = Load(u"ldrraisea", &Base);
    Check(Status == LDR_STATUS_DLL_INIT_FAILED && FindEntry(u"ldrraisea.dll") == NULL && LoaderIdle(),
          "an exception in DLL_PROCESS_ATTACH fails the load, the DLL goes, the loader is free", Status);
    Status = Load(u"ldrraisen", &Base);
    Check(Status == LDR_STATUS_DLL_INIT_FAILED && FindEntry(u"ldrraisen.dll") == NULL && LoaderIdle(),
          "an exception inside a DllMain's own LdrLoadDll: the nested call's lock given back too",
          LDRT_LOADER_LOCK->RecursionCount);

    Status = Load(u"ldrraised", &Base);
    Check(NT_SUCCESS(Status), "LdrLoadDll ldrraised", Status);
    if (!NT_SUCCESS(Status))
        return;
    NativeWrite("ldrtest: a thread whose attach routines raise\r\n");
    RaiseInTlsCallback = TRUE;
    Thread = LdrTestStartThread(QuietThread, NULL, FALSE);
    Basic.ExitStatus = 0;
    if (Thread != NULL) {
        NtWaitForSingleObject(Thread, FALSE, NULL);
        NtQueryInformationThread(Thread, 0, &Basic, sizeof(Basic), NULL);
        NtClose(Thread);
    }
    RaiseInTlsCallback = FALSE;
    Check(Basic.ExitStatus == 0x66 && LoaderIdle(),
          "exceptions in DLL_THREAD_ATTACH/DETACH and a TLS callback: ignored, the thread runs", Basic.ExitStatus);
    NativeWrite("ldrtest: LdrUnloadDll ldrraised\r\n");
    Status = LdrUnloadDll(Base);
    Check(NT_SUCCESS(Status) && FindEntry(u"ldrraised.dll") == NULL && LoaderIdle(),
          "an exception in DLL_PROCESS_DETACH: ignored, the DLL unloaded", Status);
    Status = Load(u"ldrdyn", &Base);
    if (NT_SUCCESS(Status))
        LdrUnloadDll(Base);
    Check(NT_SUCCESS(Status) && FindEntry(u"ldrdyn.dll") == NULL && LoaderIdle(),
          "after the exceptions the loader loads and unloads as before", Status);
}

/*
 * A thread whose TLS blocks cannot be allocated is ended with the status before
 * it runs (NT's way), not started without its TLS vector. The loader allocates
 * from PEB->ProcessHeap (offset 0x18): for the new thread's start it is swapped
 * for a small heap that cannot grow, filled up first.
 */
static void TestThreadWithoutTls(void)
{
    PVOID *ProcessHeap = (PVOID *)((PUCHAR)NativePeb() + 0x18), Saved = *ProcessHeap;
    PVOID Full = RtlCreateHeap(0, NULL, 0x10000, 0x10000, NULL, NULL);
    NATIVE_THREAD_BASIC_INFORMATION Basic;
    HANDLE Thread;
    SIZE_T Size;

    Check(Full != NULL, "a heap that cannot grow", 0);
    if (Full == NULL)
        return;
    for (Size = 0x1000; Size >= 8; Size /= 2)
        while (RtlAllocateHeap(Full, 0, Size) != NULL)
            ;
    *ProcessHeap = Full;
    Thread = LdrTestStartThread(QuietThread, NULL, FALSE);
    Basic.ExitStatus = 0;
    if (Thread != NULL) {
        NtWaitForSingleObject(Thread, FALSE, NULL);
        NtQueryInformationThread(Thread, 0, &Basic, sizeof(Basic), NULL);
        NtClose(Thread);
    }
    *ProcessHeap = Saved;
    RtlDestroyHeap(Full);
    Check(Basic.ExitStatus == LDR_STATUS_NO_MEMORY && LoaderIdle(),
          "a thread whose TLS cannot be allocated ends with STATUS_NO_MEMORY before it runs", Basic.ExitStatus);
}

/* A path names a file, not a base name; a name without an extension gets ".dll". */
static void TestPaths(void)
{
    ANSI_STRING Where = { 11, 12, (PCHAR)"LdrOrdWhere" };
    ULONG (*Function)(void);
    PVOID Base = NULL, Address = NULL;
    NTSTATUS Status = Load(u"C:\\Windows\\System32\\ldrord", &Base);

    if (NT_SUCCESS(Status))
        LdrGetProcedureAddress(Base, &Where, 0, &Address);
    Function = (ULONG (*)(void))Address;
    Check(NT_SUCCESS(Status) && Base != FindEntry(u"ldrtest.exe")->DllBase && Function != NULL && Function() == 2,
          "LdrLoadDll of a full path without extension: that file, not the loaded DLL of the same name", Status);
    if (NT_SUCCESS(Status))
        LdrUnloadDll(Base);
    Status = Load(u"C:\\Tests\\ldrord", &Base);
    Check(NT_SUCCESS(Status) && Base == (PVOID)0x10300000, "a full path matches the loaded DLL's full name", Status);
    if (NT_SUCCESS(Status))
        LdrUnloadDll(Base);
    Status = Load(u"ldrc.", &Base);
    Check(Status == LDR_STATUS_DLL_NOT_FOUND, "\"ldrc.\" names a file without extension", Status);
}

static void TestOptionalLoads(void)
{
    Check(LdrOptStatus(0) == (ULONG)LDR_STATUS_DLL_NOT_FOUND && LdrOptStatus(1) == (ULONG)LDR_STATUS_DLL_INIT_FAILED &&
          FindEntry(u"ldrfail.dll") == NULL, "loads that fail in a DllMain while the process starts",
          LdrOptStatus(0));
}

/*
 * A DLL whose full path (267 characters: mk/ldrtests.mk's LDR_LONG_DIR) is longer
 * than FullPathName's 256 bytes: the name is cut, and OffsetToFileName must not
 * point past the cut name's end.
 */
#define LDRT_DECADE u"0123456789"
#define LDRT_LONG_DLL u"C:\\Tests\\LongPath" LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE \
    LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE \
    LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE LDRT_DECADE \
    LDRT_DECADE u"\\ldrq3.dll"

static void TestLongPathModule(void)
{
    static UCHAR Buffer[8192];
    PULONG Modules = (PULONG)Buffer;
    ULONG Index, Length, Offset = 0xFFFF;
    BOOLEAN Found = FALSE;
    PVOID Base;
    NTSTATUS Status = Load(LDRT_LONG_DLL, &Base);

    Check(NT_SUCCESS(Status), "LdrLoadDll of a 267-character path", Status);
    if (!NT_SUCCESS(Status))
        return;
    Status = LdrQueryProcessModuleInformation(Buffer, sizeof(Buffer), NULL);
    for (Index = 0; NT_SUCCESS(Status) && Index < Modules[0]; Index++) {
        PUCHAR Module = Buffer + 4 + Index * 0x11C;
        const char *Path = (const char *)Module + 0x1C;

        if (*(PVOID *)(Module + 8) != Base)
            continue;
        for (Length = 0; Path[Length] != 0; Length++)
            ;
        Offset = *(PUSHORT)(Module + 0x1A);
        Found = Length == 255 && Offset <= Length;
    }
    Check(Found, "LdrQueryProcessModuleInformation: a long path cut, OffsetToFileName inside it", Offset);
    LdrUnloadDll(Base);
}

static void TestModuleInformation(void)
{
    static UCHAR Buffer[8192];
    ULONG Needed = 0, Count = 0, Index;
    LIST_ENTRY *Link;
    NTSTATUS Status;
    PULONG Modules = (PULONG)Buffer;

    for (Link = Ldr()->InLoadOrderModuleList.Flink; Link != &Ldr()->InLoadOrderModuleList; Link = Link->Flink)
        Count++;
    Status = LdrQueryProcessModuleInformation(Buffer, 4, &Needed);
    Check(Status == (NTSTATUS)0xC0000004L && Needed == 4 + Count * 0x11C,
          "LdrQueryProcessModuleInformation: the size needed", Needed);
    Status = LdrQueryProcessModuleInformation(Buffer, sizeof(Buffer), &Needed);
    Check(NT_SUCCESS(Status) && Modules[0] == Count, "LdrQueryProcessModuleInformation", Status);
    TestLongPathModule();
    for (Index = 0; NT_SUCCESS(Status) && Index < Modules[0]; Index++) {
        PUCHAR Module = Buffer + 4 + Index * 0x11C;
        char Line[300], *Out = Line;
        const char *Text;

        for (Text = "module: "; *Text; )
            *Out++ = *Text++;
        Out = NativeFormatHex(Out, *(PULONG)(Module + 8));
        *Out++ = ' ';
        for (Text = (const char *)Module + 0x1C; *Text; )
            *Out++ = *Text++;
        *Out++ = '\r';
        *Out++ = '\n';
        *Out = 0;
        NativeWrite(Line);
    }
}

ULONG NTAPI LdrTestStart(PVOID Peb)
{
    char Line[64], *Out;

    (void)Peb;
    NativeWrite("ldrtest: entry point\r\n");
    TestImports();
    TestModuleList();
    TestRelocated();
    TestThreads();
    TestSpinCountFlag();
    TestRunTime();
    TestUnloadFromDetach();
    TestNestedLoads();
    TestCycle();
    TestExports();
    TestPaths();
    TestDamagedImages();
    TestExceptions();
    TestThreadWithoutTls();
    TestOptionalLoads();
    TestModuleInformation();
    Out = Line;
    for (const char *Text = "ldrtest: "; *Text; )
        *Out++ = *Text++;
    Out = NativeFormatDecimal(Out, Passed);
    for (const char *Text = " passed, "; *Text; )
        *Out++ = *Text++;
    Out = NativeFormatDecimal(Out, Failed);
    for (const char *Text = " failed\r\n"; *Text; )
        *Out++ = *Text++;
    *Out = 0;
    NativeWrite(Line);
    return Failed;
}

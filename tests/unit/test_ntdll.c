/*
 * test_ntdll.c - host tests for build/ntdll/ntdll.dll, the system DLL (ntdll/,
 * built with MinGW by mk/ntdll.mk), checked with the kernel's own PE code
 * (kernel/mm/imagechk.c, imagemap.c, imageexp.c) the way the kernel will check and
 * map it at boot:
 *   - it verifies, is a 32-bit i386 DLL at XP's base 0x7C900000, has no entry point,
 *     maps at its base (and elsewhere: its relocations are sound);
 *   - the entry points the kernel looks up exist, are not forwarders, and hold NT's
 *     bytes (the doors, the dispatchers, LdrInitializeThunk);
 *   - every service of include/nt/sysfuncs.lst (read here, independently of the
 *     generator) is exported as NtXxx and ZwXxx at one address, whose stub loads
 *     the service's number and pops its argument bytes;
 *   - a program linked with MinGW's own import library (-lntdll:
 *     build/test-images/usentdll.exe) finds every name it imports from ntdll.dll.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "../../kernel/mm/image.h"

#if !defined(TEST_NTDLL_PATH) || !defined(TEST_USENTDLL_PATH) || !defined(TEST_SERVICE_LIST)
#error "the paths come from mk/ntdll.mk (ntdll_CFLAGS)"
#endif

#define NTDLL_BASE      0x7C900000
#define OTHER_BASE      0x10000000      /* where a relocated copy goes */
#define SHARED_SYSCALL  0x7FFE0300      /* SharedUserData->SystemCall */

typedef struct _TEST_FILE {
    PUCHAR Bytes;
    SIZE_T Size;
} TEST_FILE;

typedef struct _TEST_SERVICE {
    char Name[64];                      /* "NtClose" */
    ULONG Number;                       /* its line's position in the list */
    ULONG ArgumentBytes;                /* 4 per parameter */
} TEST_SERVICE;

static TEST_FILE Ntdll;
static MI_IMAGE_INFO NtdllInfo;
static PUCHAR NtdllView;                /* mapped at NTDLL_BASE */
static TEST_SERVICE *Services;
static ULONG ServiceCount;

/* The entry points the kernel finds by name when it maps ntdll (issues 7, 8). */
static const char *const KernelEntryPoints[] = {
    "LdrInitializeThunk", "KiUserApcDispatcher", "KiUserExceptionDispatcher",
    "KiUserCallbackDispatcher", "KiFastSystemCall", "KiFastSystemCallRet", "KiIntSystemCall",
    "RtlUserThreadStart",
};

/* The runtime routines exported by NT's names (ntdll/ntdll.def). */
static const char *const RuntimeExports[] = {
    /* the loader (ntdll/ldr) */
    "LdrGetDllHandle", "LdrGetProcedureAddress", "LdrLoadDll", "LdrQueryProcessModuleInformation",
    "LdrShutdownProcess", "LdrShutdownThread", "LdrUnloadDll", "RtlExitUserProcess", "RtlExitUserThread",
    /* critical sections (ntdll/rtl/critsect.c) */
    "RtlDeleteCriticalSection", "RtlEnterCriticalSection", "RtlInitializeCriticalSection",
    "RtlInitializeCriticalSectionAndSpinCount", "RtlLeaveCriticalSection", "RtlTryEnterCriticalSection",
    /* the exception routines */
    "RtlAddVectoredExceptionHandler", "RtlCaptureContext", "RtlRaiseException",
    "RtlRaiseStatus", "RtlRemoveVectoredExceptionHandler", "RtlUnwind",
    /* the heap */
    "RtlAllocateHeap", "RtlCreateHeap", "RtlDestroyHeap", "RtlFreeHeap", "RtlGetProcessHeaps",
    "RtlReAllocateHeap", "RtlSizeHeap", "RtlValidateHeap",
    /* process and thread creation */
    "RtlCreateUserProcess", "RtlCreateUserThread", "RtlFreeUserThreadStack", "RtlInitializeContext",
    /* counted strings */
    "RtlAnsiStringToUnicodeString", "RtlAppendUnicodeStringToString", "RtlAppendUnicodeToString",
    "RtlCompareUnicodeString", "RtlCopyUnicodeString", "RtlEqualUnicodeString", "RtlFreeAnsiString",
    "RtlFreeUnicodeString", "RtlInitAnsiString", "RtlInitString", "RtlInitUnicodeString",
    "RtlOemStringToUnicodeString", "RtlPrefixUnicodeString", "RtlUnicodeStringToAnsiString",
    "RtlUnicodeStringToOemString", "RtlUpcaseUnicodeChar", "RtlUpcaseUnicodeString",
    /* the PEB lock (the current directory and the environment) */
    "RtlAcquirePebLock", "RtlReleasePebLock",
    /* paths */
    "RtlDetermineDosPathNameType_U", "RtlDosPathNameToNtPathName_U", "RtlGetCurrentDirectory_U",
    "RtlGetFullPathName_U", "RtlSetCurrentDirectory_U",
    /* environment blocks */
    "RtlCreateEnvironment", "RtlDestroyEnvironment", "RtlExpandEnvironmentStrings_U",
    "RtlQueryEnvironmentVariable_U", "RtlSetEnvironmentVariable",
    /* process parameters */
    "RtlCreateProcessParameters", "RtlCreateProcessParametersEx", "RtlDeNormalizeProcessParams",
    "RtlDestroyProcessParameters", "RtlNormalizeProcessParams",
    /* status mapping, debug output */
    "RtlNtStatusToDosError", "RtlNtStatusToDosErrorNoTeb", "DbgPrint",
    /* formatting (cdecl) */
    "_snprintf", "_snwprintf", "_vsnprintf", "_vsnwprintf", "sprintf", "swprintf",
    /* the C library's memory and string routines (cdecl) */
    "memcmp", "memcpy", "memmove", "memset", "strcat", "strchr", "strcmp", "strcpy", "strlen", "strncmp",
    "strrchr", "_stricmp", "_strnicmp",
    /* (wide) */
    "wcscat", "wcschr", "wcscmp", "wcscpy", "wcslen", "wcsncmp", "wcsrchr", "_wcsicmp", "_wcsnicmp",
    "tolower", "toupper", "towlower", "towupper",
    /* number conversions (crtconv.c) */
    "atoi", "atol", "_atoi64", "strtol", "strtoul", "wcstol", "wcstoul", "_wtoi", "_wtol", "_wtoi64",
    "_itoa", "_ltoa", "_ultoa", "_i64toa", "_ui64toa", "_itow", "_ltow", "_ultow", "_i64tow", "_ui64tow",
    "abs", "labs",
    /* classification (crtctype.c) */
    "isalpha", "isupper", "islower", "isdigit", "isxdigit", "isspace", "ispunct", "isalnum", "isprint",
    "isgraph", "iscntrl", "__isascii", "__toascii", "iswalpha", "iswlower", "iswdigit", "iswxdigit",
    "iswspace", "iswctype", "iswalnum", "iswgraph", "iswprint", "iswascii",
    /* searches, bounded copies, case, sorting (crtsrch.c; strnlen: kernel/rtl/string.c) */
    "strncpy", "wcsncpy", "strncat", "wcsncat", "strnlen", "wcsnlen", "memchr", "strstr", "wcsstr",
    "strspn", "strcspn", "wcsspn", "wcscspn", "strpbrk", "wcspbrk", "_strlwr", "_strupr", "_wcslwr",
    "_wcsupr", "_memicmp", "qsort", "bsearch",
    /* the small Rtl helpers (memory.c, version.c, integer.c, time1970.c, random.c, imagedir.c,
       kernel/rtl/time.c) */
    "RtlCompareMemory", "RtlFillMemory", "RtlZeroMemory", "RtlMoveMemory", "RtlGetVersion",
    "RtlGetNtVersionNumbers", "RtlGetCurrentPeb", "RtlGetLastWin32Error", "RtlSetLastWin32Error",
    "RtlCharToInteger", "RtlIntegerToChar", "RtlUnicodeStringToInteger", "RtlIntegerToUnicodeString",
    "RtlTimeToTimeFields", "RtlTimeFieldsToTime", "RtlSecondsSince1970ToTime", "RtlTimeToSecondsSince1970",
    "RtlRandom", "RtlRandomEx", "RtlUniform", "RtlImageNtHeader", "RtlImageDirectoryEntryToData",
    /* more counted strings (ustrnew.c, astring.c, downcase.c, mbconv.c) */
    "RtlCreateUnicodeString", "RtlCreateUnicodeStringFromAsciiz", "RtlDuplicateUnicodeString",
    "RtlInitUnicodeStringEx", "RtlFreeOemString", "RtlCompareString", "RtlEqualString", "RtlUpperString",
    "RtlDowncaseUnicodeChar", "RtlDowncaseUnicodeString", "RtlMultiByteToUnicodeN", "RtlUnicodeToMultiByteN",
    "RtlMultiByteToUnicodeSize", "RtlUnicodeToMultiByteSize", "RtlOemToUnicodeN", "RtlUnicodeToOemN",
    "RtlUpcaseUnicodeToMultiByteN", "RtlAnsiStringToUnicodeSize", "RtlxAnsiStringToUnicodeSize",
    "RtlUnicodeStringToAnsiSize", "RtlxUnicodeStringToAnsiSize",
    /* more paths (relname.c, fileexist.c, dosdev.c, srchpath.c) */
    "RtlDosPathNameToRelativeNtPathName_U", "RtlReleaseRelativeName", "RtlDoesFileExists_U",
    "RtlIsDosDeviceName_U", "RtlDosSearchPath_U",
    /* the loader's address lookup (ldr/ldrfind.c), debugging (i386/debug.asm, dbgprint.c, assert.c) */
    "LdrFindEntryForAddress", "RtlPcToFileHeader", "DbgBreakPoint", "DbgUserBreakPoint", "DbgPrintEx", "RtlAssert",
    /* slim reader/writer locks and condition variables (srwlock.c, condvar.c) */
    "RtlInitializeSRWLock", "RtlAcquireSRWLockExclusive", "RtlAcquireSRWLockShared", "RtlReleaseSRWLockExclusive",
    "RtlReleaseSRWLockShared", "RtlTryAcquireSRWLockExclusive", "RtlTryAcquireSRWLockShared",
    "RtlConvertSRWLockExclusiveToShared", "RtlInitializeConditionVariable", "RtlSleepConditionVariableCS",
    "RtlSleepConditionVariableSRW", "RtlWakeConditionVariable", "RtlWakeAllConditionVariable",
    /* interlocked lists (i386/slist.asm) */
    "RtlInitializeSListHead", "RtlInterlockedPushEntrySList", "RtlInterlockedPopEntrySList",
    "RtlInterlockedFlushSList", "RtlQueryDepthSList", "RtlFirstEntrySList",
    /* more of the C library (printf.c, crtmb.c, crtpath.c, crtconv.c, crtsrch.c, crtctype.c, crtscan.c;
       _strcmpi is _stricmp under its other name) */
    "vsprintf", "_vscprintf", "_vscwprintf", "_swprintf", "_vswprintf", "mbstowcs", "wcstombs", "_splitpath",
    "_wcstoi64", "_wcstoui64", "_strcmpi", "_memccpy", "_lfind", "_tolower", "_toupper", "sscanf",
};

/* ---- reading files ---- */

static TEST_FILE ReadFile(const char *Path)
{
    TEST_FILE File;
    FILE *Stream;
    long Length;

    Stream = fopen(Path, "rb");
    if (Stream == NULL)
        fail_msg("cannot open %s (built by mk/ntdll.mk)", Path);
    fseek(Stream, 0, SEEK_END);
    Length = ftell(Stream);
    fseek(Stream, 0, SEEK_SET);
    File.Size = (SIZE_T)Length;
    File.Bytes = malloc(File.Size + 1);
    assert_non_null(File.Bytes);
    assert_int_equal(fread(File.Bytes, 1, File.Size, Stream), File.Size);
    File.Bytes[File.Size] = 0;          /* the service list is read as text */
    fclose(Stream);
    return File;
}

static ULONG Get32(const UCHAR *Base, ULONG Offset)
{
    ULONG Value;
    memcpy(&Value, Base + Offset, sizeof(Value));
    return Value;
}

static PIMAGE_NT_HEADERS32 NtHeaders(const TEST_FILE *File)
{
    return (PIMAGE_NT_HEADERS32)(File->Bytes + Get32(File->Bytes, offsetof(IMAGE_DOS_HEADER, e_lfanew)));
}

/* Checks File with the kernel's code, then builds it at LoadAddress in a fresh buffer. */
static PUCHAR Map(const TEST_FILE *File, PMI_IMAGE_INFO Info, ULONG LoadAddress)
{
    PUCHAR View;

    assert_int_equal(MiVerifyImageHeader(File->Bytes, File->Size, Info), STATUS_SUCCESS);
    View = malloc(Info->ViewSize);
    assert_non_null(View);
    assert_int_equal(MiMapImage(File->Bytes, File->Size, Info, View, LoadAddress), STATUS_SUCCESS);
    return View;
}

/*
 * The service list, read as the generator documents it (include/nt/sysfuncs.lst):
 * '#' lines and blank lines are comments, every other line is
 * "NTSTATUS NtName(TYPE Name, ...);" or "NTSTATUS NtName(VOID);", numbered from 0.
 */
static void ReadServiceList(void)
{
    TEST_FILE List = ReadFile(TEST_SERVICE_LIST);
    char *Line, *Next;

    Services = calloc(4096, sizeof(*Services));
    assert_non_null(Services);
    for (Line = (char *)List.Bytes; Line != NULL && *Line != 0; Line = Next) {
        char *Open, *Close, *Name, *Parameters, *End;

        Next = strchr(Line, '\n');
        if (Next != NULL)
            *Next++ = 0;
        while (*Line == ' ' || *Line == '\t')
            Line++;
        if (*Line == 0 || *Line == '#' || *Line == '\r')
            continue;
        assert_int_equal(strncmp(Line, "NTSTATUS ", 9), 0);
        Name = Line + 9;
        while (*Name == ' ')
            Name++;
        Open = strchr(Name, '(');
        Close = strrchr(Name, ')');
        assert_non_null(Open);
        assert_non_null(Close);
        End = Open;
        while (End > Name && End[-1] == ' ')
            End--;
        assert_true(End - Name > 2 && (size_t)(End - Name) < sizeof(Services[0].Name));
        assert_int_equal(strncmp(Name, "Nt", 2), 0);
        memcpy(Services[ServiceCount].Name, Name, (size_t)(End - Name));
        Services[ServiceCount].Number = ServiceCount;

        /* Parameters: none for (VOID), else one per comma plus one. */
        *Close = 0;
        Parameters = Open + 1;
        while (*Parameters == ' ')
            Parameters++;
        if (strcmp(Parameters, "VOID") == 0) {
            Services[ServiceCount].ArgumentBytes = 0;
        } else {
            ULONG Count = 1;
            for (char *p = Parameters; *p; p++)
                Count += *p == ',';
            Services[ServiceCount].ArgumentBytes = 4 * Count;
        }
        ServiceCount++;
        assert_true(ServiceCount < 4096);
    }
    free(List.Bytes);
    assert_true(ServiceCount > 0);
}

static int Setup(void **State)
{
    (void)State;
    Ntdll = ReadFile(TEST_NTDLL_PATH);
    NtdllView = Map(&Ntdll, &NtdllInfo, NTDLL_BASE);
    ReadServiceList();
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    free(NtdllView);
    free(Ntdll.Bytes);
    free(Services);
    return 0;
}

/* The RVA of an export of ntdll found by the kernel's lookup; fails on a forwarder. */
static ULONG Export(PCSTR Name)
{
    ULONG Rva = 0;
    PCSTR Forwarder = (PCSTR)1;
    NTSTATUS Status;

    Status = MiFindExportByName(NtdllView, NtdllInfo.ViewSize, Name, MI_NO_EXPORT_HINT, &Rva, &Forwarder);
    if (Status != STATUS_SUCCESS)
        fail_msg("ntdll.dll does not export %s (0x%08lX)", Name, (unsigned long)Status);
    if (Forwarder != NULL)
        fail_msg("ntdll.dll forwards %s to %s", Name, Forwarder);
    assert_true(Rva >= NtdllInfo.SizeOfHeaders && Rva < NtdllInfo.ViewSize);
    return Rva;
}

/* The bytes at an export are Expected (the size of the array). */
#define assert_bytes_at(Name, ...) do { \
        static const UCHAR Expected_[] = { __VA_ARGS__ }; \
        ULONG Rva_ = Export(Name); \
        assert_true(Rva_ + sizeof(Expected_) <= NtdllInfo.ViewSize); \
        assert_memory_equal(NtdllView + Rva_, Expected_, sizeof(Expected_)); \
    } while (0)

/* The target RVA of the rel32 call or jump whose opcode is at Rva. */
static ULONG RelativeTarget(ULONG Rva)
{
    return Rva + 5 + Get32(NtdllView, Rva + 1);
}

/* ---- the image ---- */

static void test_image_headers(void **State)
{
    PIMAGE_NT_HEADERS32 Nt = NtHeaders(&Ntdll);
    PIMAGE_EXPORT_DIRECTORY Directory;
    ULONG DirectoryRva;

    (void)State;
    assert_int_equal(NtdllInfo.ImageBase, NTDLL_BASE);
    assert_int_equal(Nt->FileHeader.Machine, IMAGE_FILE_MACHINE_I386);
    assert_true(Nt->FileHeader.Characteristics & IMAGE_FILE_DLL);
    assert_true(Nt->FileHeader.Characteristics & IMAGE_FILE_EXECUTABLE_IMAGE);
    assert_int_equal(Nt->OptionalHeader.Magic, IMAGE_NT_OPTIONAL_HDR32_MAGIC);
    assert_int_equal(Nt->OptionalHeader.ImageBase, NTDLL_BASE);
    assert_int_equal(Nt->OptionalHeader.AddressOfEntryPoint, 0);   /* no DllMain, as NT's */
    assert_int_equal(Nt->FileHeader.TimeDateStamp, 0);             /* reproducible */

    /* The export directory names the DLL as NT's does. */
    DirectoryRva = Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT].VirtualAddress;
    assert_true(DirectoryRva != 0 && DirectoryRva + sizeof(*Directory) <= NtdllInfo.ViewSize);
    Directory = (PIMAGE_EXPORT_DIRECTORY)(NtdllView + DirectoryRva);
    assert_string_equal((const char *)NtdllView + Directory->Name, "ntdll.dll");

    /* Exactly the kernel's entry points, the runtime routines and two names per
       service: nothing else leaks out (no decorated _NtXxx@N, no internal routine). */
    assert_int_equal(Directory->NumberOfNames,
                     RTL_NUMBER_OF(KernelEntryPoints) + RTL_NUMBER_OF(RuntimeExports) + 2 * ServiceCount);
    assert_int_equal(Directory->NumberOfFunctions, Directory->NumberOfNames);
}

/* Its relocations are sound: the kernel's mapper can also place it elsewhere. */
static void test_image_relocates(void **State)
{
    MI_IMAGE_INFO Info;
    PUCHAR View;

    (void)State;
    View = Map(&Ntdll, &Info, OTHER_BASE);
    free(View);
}

/* ---- the kernel's entry points ---- */

static void test_entry_points_exported(void **State)
{
    (void)State;
    for (size_t i = 0; i < RTL_NUMBER_OF(KernelEntryPoints); i++)
        Export(KernelEntryPoints[i]);
    for (size_t i = 0; i < RTL_NUMBER_OF(RuntimeExports); i++)
        Export(RuntimeExports[i]);
    /* Exported by NT's ntdll neither, so not here. */
    ULONG Rva;
    PCSTR Forwarder;
    assert_int_equal(MiFindExportByName(NtdllView, NtdllInfo.ViewSize, "RtlDispatchException",
                                        MI_NO_EXPORT_HINT, &Rva, &Forwarder),
                     STATUS_ENTRYPOINT_NOT_FOUND);
    assert_int_equal(MiFindExportByName(NtdllView, NtdllInfo.ViewSize, "_NtClose@4",
                                        MI_NO_EXPORT_HINT, &Rva, &Forwarder),
                     STATUS_ENTRYPOINT_NOT_FOUND);
}

static void test_system_call_doors(void **State)
{
    (void)State;
    assert_bytes_at("KiFastSystemCall", 0x8B, 0xD4, 0x0F, 0x34);            /* mov edx, esp; sysenter */
    assert_bytes_at("KiFastSystemCallRet", 0xC3);                           /* ret */
    assert_bytes_at("KiIntSystemCall", 0x8D, 0x54, 0x24, 0x08, 0xCD, 0x2E, 0xC3);  /* lea edx, [esp+8]; int 2Eh; ret */
}

/* NT's: lea edi, [esp+10h]; pop eax; call eax; push 1; push edi; call NtContinue. */
static void test_apc_dispatcher(void **State)
{
    ULONG Rva = Export("KiUserApcDispatcher");

    (void)State;
    assert_bytes_at("KiUserApcDispatcher", 0x8D, 0x7C, 0x24, 0x10, 0x58, 0xFF, 0xD0,
                    0x6A, 0x01, 0x57, 0xE8);
    assert_int_equal(RelativeTarget(Rva + 10), Export("NtContinue"));
}

/* NT XP's: lea eax, [esp+10h]; mov [esp+4], eax; xor ebp, ebp; jmp LdrpInitialize,
   a function of the DLL (test_ntdllrun.c runs it). */
static void test_loader_thunk(void **State)
{
    ULONG Rva = Export("LdrInitializeThunk");
    ULONG Target;

    (void)State;
    assert_bytes_at("LdrInitializeThunk", 0x8D, 0x44, 0x24, 0x10, 0x89, 0x44, 0x24, 0x04,
                    0x31, 0xED, 0xE9);
    Target = RelativeTarget(Rva + 10);
    assert_true(Target >= NtdllInfo.Sections[0].VirtualAddress && Target < NtdllInfo.ViewSize - 3);
}

/* Index from [esp+8] (this kernel's frame), the table from the PEB, the function
   called, its status handed to NtCallbackReturn(NULL, 0, Status). */
static void test_callback_dispatcher(void **State)
{
    ULONG Rva = Export("KiUserCallbackDispatcher");

    (void)State;
    assert_bytes_at("KiUserCallbackDispatcher",
                    0x8B, 0x54, 0x24, 0x08,                 /* mov edx, [esp+8] */
                    0x64, 0xA1, 0x18, 0x00, 0x00, 0x00,     /* mov eax, fs:[18h] */
                    0x8B, 0x40, 0x30,                       /* mov eax, [eax+30h] (PEB) */
                    0x8B, 0x40, 0x2C,                       /* mov eax, [eax+2Ch] (KernelCallbackTable) */
                    0xFF, 0x14, 0x90,                       /* call [eax+edx*4] */
                    0x50, 0x6A, 0x00, 0x6A, 0x00, 0xE8);    /* push eax; push 0; push 0; call */
    assert_int_equal(RelativeTarget(Rva + 24), Export("NtCallbackReturn"));
}

/* cld; mov ecx, [esp+4]; mov ebx, [esp]; push ecx; push ebx; call RtlDispatchException. */
static void test_exception_dispatcher(void **State)
{
    (void)State;
    assert_bytes_at("KiUserExceptionDispatcher", 0xFC, 0x8B, 0x4C, 0x24, 0x04, 0x8B, 0x1C, 0x24,
                    0x51, 0x53, 0xE8);
}

/* ---- the system services ---- */

static void test_service_stubs(void **State)
{
    (void)State;
    for (ULONG i = 0; i < ServiceCount; i++) {
        const TEST_SERVICE *Service = &Services[i];
        char ZwName[sizeof(Service->Name)];
        ULONG Rva, ZwRva;
        const UCHAR *Stub;
        UCHAR Expected[15];
        SIZE_T Length;

        snprintf(ZwName, sizeof(ZwName), "Zw%s", Service->Name + 2);
        Rva = Export(Service->Name);
        ZwRva = Export(ZwName);
        if (Rva != ZwRva)
            fail_msg("%s at %lX, %s at %lX: one stub for both", Service->Name,
                     (unsigned long)Rva, ZwName, (unsigned long)ZwRva);

        /* mov eax, N; mov edx, 7FFE0300h; call [edx]; ret N (or ret) */
        Expected[0] = 0xB8;
        memcpy(&Expected[1], &Service->Number, 4);
        Expected[5] = 0xBA;
        Expected[6] = SHARED_SYSCALL & 0xFF;
        Expected[7] = (SHARED_SYSCALL >> 8) & 0xFF;
        Expected[8] = (SHARED_SYSCALL >> 16) & 0xFF;
        Expected[9] = (SHARED_SYSCALL >> 24) & 0xFF;
        Expected[10] = 0xFF;
        Expected[11] = 0x12;
        if (Service->ArgumentBytes == 0) {
            Expected[12] = 0xC3;
            Length = 13;
        } else {
            Expected[12] = 0xC2;
            Expected[13] = Service->ArgumentBytes & 0xFF;
            Expected[14] = Service->ArgumentBytes >> 8;
            Length = 15;
        }
        assert_true(Rva + Length <= NtdllInfo.ViewSize);
        Stub = NtdllView + Rva;
        if (memcmp(Stub, Expected, Length) != 0)
            fail_msg("%s: not the stub for service 0x%03lX popping %lu bytes", Service->Name,
                     (unsigned long)Service->Number, (unsigned long)Service->ArgumentBytes);
    }
}

/* ---- binary compatibility with MinGW's import library ---- */

static void test_mingw_imports_resolve(void **State)
{
    TEST_FILE Program = ReadFile(TEST_USENTDLL_PATH);
    PIMAGE_NT_HEADERS32 Nt = NtHeaders(&Program);
    MI_IMAGE_INFO Info;
    PUCHAR View;
    ULONG Rva, Size, Checked = 0;
    BOOLEAN FoundNtdll = FALSE;

    (void)State;
    View = Map(&Program, &Info, Nt->OptionalHeader.ImageBase);
    Rva = Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT].VirtualAddress;
    Size = Nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT].Size;
    assert_true(Rva != 0 && MiIsRangeInside(Rva, Size, Info.ViewSize));

    for (;; Rva += sizeof(IMAGE_IMPORT_DESCRIPTOR)) {
        IMAGE_IMPORT_DESCRIPTOR Descriptor;
        ULONG Thunk;

        assert_true(MiIsRangeInside(Rva, sizeof(Descriptor), Info.ViewSize));
        memcpy(&Descriptor, View + Rva, sizeof(Descriptor));
        if (Descriptor.Name == 0)
            break;
        assert_true(Descriptor.Name < Info.ViewSize);
        if (strcasecmp((const char *)View + Descriptor.Name, "ntdll.dll") != 0)
            continue;
        FoundNtdll = TRUE;

        /* The name table (the IAT when there is none), one thunk per import. */
        Thunk = Descriptor.OriginalFirstThunk ? Descriptor.OriginalFirstThunk : Descriptor.FirstThunk;
        for (;; Thunk += sizeof(IMAGE_THUNK_DATA32)) {
            ULONG Data;
            PCSTR Name;
            ULONG ExportRva;
            PCSTR Forwarder;
            NTSTATUS Status;

            assert_true(MiIsRangeInside(Thunk, 4, Info.ViewSize));
            Data = Get32(View, Thunk);
            if (Data == 0)
                break;
            if (IMAGE_SNAP_BY_ORDINAL32(Data))
                fail_msg("usentdll.exe imports ntdll ordinal %lu: ordinals are not NT's interface",
                         (unsigned long)IMAGE_ORDINAL32(Data));
            assert_true(Data + 3 < Info.ViewSize);
            Name = (PCSTR)View + Data + offsetof(IMAGE_IMPORT_BY_NAME, Name);
            Status = MiFindExportByName(NtdllView, NtdllInfo.ViewSize, Name, MI_NO_EXPORT_HINT,
                                        &ExportRva, &Forwarder);
            if (Status != STATUS_SUCCESS)
                fail_msg("MinGW's libntdll.a imports %s: our ntdll.dll does not export it", Name);
            assert_null(Forwarder);
            Checked++;
        }
    }
    assert_true(FoundNtdll);
    assert_true(Checked >= 10);         /* usentdll.c calls that many */
    free(View);
    free(Program.Bytes);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_image_headers),
        cmocka_unit_test(test_image_relocates),
        cmocka_unit_test(test_entry_points_exported),
        cmocka_unit_test(test_system_call_doors),
        cmocka_unit_test(test_apc_dispatcher),
        cmocka_unit_test(test_loader_thunk),
        cmocka_unit_test(test_callback_dispatcher),
        cmocka_unit_test(test_exception_dispatcher),
        cmocka_unit_test(test_service_stubs),
        cmocka_unit_test(test_mingw_imports_resolve),
    };
    return cmocka_run_group_tests(Tests, Setup, Teardown);
}

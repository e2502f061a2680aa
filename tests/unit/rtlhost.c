/*
 * rtlhost.c - the fake process for ntdll's runtime on the host (see rtlhost.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <cmocka.h>

#include "rtlhost.h"

PEB RtlHostPeb;
TEB RtlHostTeb;
RTL_USER_PROCESS_PARAMETERS RtlHostParameters;
int RtlHostOpenHandles;
char RtlHostWritten[1024];
HANDLE RtlHostWrittenHandle;
int RtlHostPebLockDepth, RtlHostPebLockTaken, RtlHostPebLockAtOpen, RtlHostPebLockAtFree;

static WCHAR RtlHostDirectory[RTLP_MAX_PATH];
static int RtlHostHeap;
static void *RtlHostVirtual[256];

PPEB RtlpCurrentPeb(VOID)
{
    return &RtlHostPeb;
}

PTEB RtlpCurrentTeb(VOID)
{
    return &RtlHostTeb;
}

void RtlHostReset(PCWSTR CurrentDirectory, PCWSTR Environment)
{
    memset(&RtlHostPeb, 0, sizeof(RtlHostPeb));
    memset(&RtlHostTeb, 0, sizeof(RtlHostTeb));
    memset(&RtlHostParameters, 0, sizeof(RtlHostParameters));
    RtlHostPeb.ProcessParameters = &RtlHostParameters;
    RtlHostPeb.ProcessHeap = (PVOID)0x12340000;
    RtlHostTeb.ProcessEnvironmentBlock = &RtlHostPeb;
    RtlHostParameters.Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    RtlHostParameters.StandardError = (HANDLE)0x2C;
    RtlHostParameters.Environment = (PVOID)Environment;
    wcscpy(RtlHostDirectory, CurrentDirectory);
    RtlHostParameters.CurrentDirectory.DosPath.Buffer = RtlHostDirectory;
    RtlHostParameters.CurrentDirectory.DosPath.Length = (USHORT)(wcslen(RtlHostDirectory) * sizeof(WCHAR));
    RtlHostParameters.CurrentDirectory.DosPath.MaximumLength = sizeof(RtlHostDirectory);
    RtlHostOpenHandles = 0;
    RtlHostWritten[0] = 0;
    RtlHostWrittenHandle = NULL;
    RtlHostPebLockDepth = RtlHostPebLockTaken = 0;
    RtlHostPebLockAtOpen = RtlHostPebLockAtFree = -1;
}

/* ---- the PEB lock: counted (one thread here; the tests check who takes it) ---- */

VOID NTAPI RtlAcquirePebLock(VOID)
{
    RtlHostPebLockDepth++;
    RtlHostPebLockTaken++;
}

VOID NTAPI RtlReleasePebLock(VOID)
{
    assert_true(RtlHostPebLockDepth > 0);
    RtlHostPebLockDepth--;
}

int RtlHostHeapBlocks(void)
{
    return RtlHostHeap;
}

int RtlHostVirtualBlocks(void)
{
    int Count = 0;

    for (size_t Index = 0; Index < RTL_NUMBER_OF(RtlHostVirtual); Index++)
        Count += RtlHostVirtual[Index] != NULL;
    return Count;
}

/* ---- the process heap ---- */

PVOID NTAPI RtlAllocateHeap(PVOID Heap, ULONG Flags, SIZE_T Size)
{
    assert_ptr_equal(Heap, RtlHostPeb.ProcessHeap);
    (void)Flags;
    RtlHostHeap++;
    return malloc(Size != 0 ? Size : 1);
}

BOOLEAN NTAPI RtlFreeHeap(PVOID Heap, ULONG Flags, PVOID Block)
{
    assert_ptr_equal(Heap, RtlHostPeb.ProcessHeap);
    (void)Flags;
    if (Block == NULL)
        return FALSE;
    RtlHostHeap--;
    free(Block);
    return TRUE;
}

/* ---- virtual memory: zero-filled, page-aligned, released by an address in the first page ---- */

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect)
{
    SIZE_T Size = ROUND_TO_PAGES(*RegionSize);

    assert_ptr_equal(ProcessHandle, RtlpCurrentProcess());
    assert_null(*BaseAddress);
    assert_int_equal(ZeroBits, 0);
    assert_int_equal(AllocationType, MEM_RESERVE | MEM_COMMIT);
    assert_int_equal(Protect, PAGE_READWRITE);
    for (size_t Index = 0; Index < RTL_NUMBER_OF(RtlHostVirtual); Index++) {
        if (RtlHostVirtual[Index] == NULL) {
            RtlHostVirtual[Index] = aligned_alloc(PAGE_SIZE, Size);
            memset(RtlHostVirtual[Index], 0, Size);
            *BaseAddress = RtlHostVirtual[Index];
            *RegionSize = Size;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_NO_MEMORY;
}

NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType)
{
    assert_ptr_equal(ProcessHandle, RtlpCurrentProcess());
    assert_int_equal(*RegionSize, 0);
    assert_int_equal(FreeType, MEM_RELEASE);
    RtlHostPebLockAtFree = RtlHostPebLockDepth;
    for (size_t Index = 0; Index < RTL_NUMBER_OF(RtlHostVirtual); Index++) {
        /* NT's rule: the page the address is in must be the allocation's first;
           the whole allocation goes. */
        if (RtlHostVirtual[Index] != NULL && RtlHostVirtual[Index] == PAGE_ALIGN(*BaseAddress)) {
            free(RtlHostVirtual[Index]);
            RtlHostVirtual[Index] = NULL;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_MEMORY_NOT_ALLOCATED;
}

/* ---- files: three directories and a file ---- */

static BOOLEAN RtlHostNameIs(PCUNICODE_STRING Name, PCWSTR Expected)
{
    UNICODE_STRING String;

    RtlInitUnicodeString(&String, Expected);
    return RtlEqualUnicodeString(Name, &String, TRUE);
}

/* The directories NtOpenFile opens, by handle (0x100 + 4 * index). */
static const WCHAR *const RtlHostDirectories[] = { u"\\??\\C:\\", u"\\??\\C:\\Dir", u"\\??\\C:\\Windows",
                                                   u"\\??\\C:\\Windows\\System32", u"\\??\\UNC\\server\\share" };

HANDLE RtlHostQueryRoot;
WCHAR RtlHostQueryName[RTLP_MAX_PATH];

/* The files there are: the directories and these. Relative to a root directory
   handle, the name is looked up after the directory's own. */
NTSTATUS NTAPI NtQueryAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes, PFILE_BASIC_INFORMATION FileInformation)
{
    static const WCHAR *const Files[] = { u"\\??\\C:\\Dir\\file.txt", u"\\??\\C:\\Windows\\System32\\ntdll.dll",
                                          u"\\??\\C:\\Windows\\notepad.exe", u"\\??\\C:\\Dir\\sub\\x.exe",
                                          u"\\??\\C:\\Dir\\locked.txt" };
    WCHAR Name[RTLP_MAX_PATH] = { 0 };
    UNICODE_STRING Full;
    size_t Length = 0, Count = ObjectAttributes->ObjectName->Length / sizeof(WCHAR);

    RtlHostQueryRoot = ObjectAttributes->RootDirectory;
    memcpy(RtlHostQueryName, ObjectAttributes->ObjectName->Buffer, Count * sizeof(WCHAR));
    RtlHostQueryName[Count] = 0;
    if (ObjectAttributes->RootDirectory != NULL) {
        size_t Index = ((ULONG_PTR)ObjectAttributes->RootDirectory - 0x100) / 4;
        assert_true(Index < RTL_NUMBER_OF(RtlHostDirectories));
        wcscpy(Name, RtlHostDirectories[Index]);
        Length = wcslen(Name);
        if (Name[Length - 1] != '\\')
            Name[Length++] = '\\';
    }
    memcpy(Name + Length, ObjectAttributes->ObjectName->Buffer, Count * sizeof(WCHAR));
    Name[Length + Count] = 0;
    RtlInitUnicodeString(&Full, Name);
    memset(FileInformation, 0, sizeof(*FileInformation));
    for (size_t Index = 0; Index < RTL_NUMBER_OF(Files); Index++) {
        if (RtlHostNameIs(&Full, Files[Index]))
            return Index == 4 ? STATUS_SHARING_VIOLATION : STATUS_SUCCESS;
    }
    for (size_t Index = 0; Index < RTL_NUMBER_OF(RtlHostDirectories); Index++) {
        if (RtlHostNameIs(&Full, RtlHostDirectories[Index]))
            return STATUS_SUCCESS;
    }
    return STATUS_OBJECT_NAME_NOT_FOUND;
}

NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions)
{

    (void)IoStatusBlock;
    RtlHostPebLockAtOpen = RtlHostPebLockDepth;
    assert_int_equal(DesiredAccess, FILE_TRAVERSE | SYNCHRONIZE);
    assert_int_equal(ShareAccess, FILE_SHARE_READ | FILE_SHARE_WRITE);
    assert_int_equal(OpenOptions, FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
    assert_int_equal(ObjectAttributes->Attributes, OBJ_CASE_INSENSITIVE);
    assert_null(ObjectAttributes->RootDirectory);
    for (size_t Index = 0; Index < RTL_NUMBER_OF(RtlHostDirectories); Index++) {
        if (RtlHostNameIs(ObjectAttributes->ObjectName, RtlHostDirectories[Index])) {
            RtlHostOpenHandles++;
            *FileHandle = (HANDLE)(0x100 + 4 * Index);
            return STATUS_SUCCESS;
        }
    }
    if (RtlHostNameIs(ObjectAttributes->ObjectName, u"\\??\\C:\\Dir\\file.txt"))
        return STATUS_NOT_A_DIRECTORY;
    return STATUS_OBJECT_NAME_NOT_FOUND;
}

NTSTATUS NTAPI NtClose(HANDLE Handle)
{
    assert_true((ULONG_PTR)Handle >= 0x100);
    RtlHostOpenHandles--;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                           PVOID IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                           PULONG Key)
{
    assert_null(Event);
    assert_null(ApcRoutine);
    assert_null(ApcContext);
    assert_non_null(IoStatusBlock);
    assert_null(ByteOffset);
    assert_null(Key);
    assert_true(Length < sizeof(RtlHostWritten));
    memcpy(RtlHostWritten, Buffer, Length);
    RtlHostWritten[Length] = 0;
    RtlHostWrittenHandle = FileHandle;
    return STATUS_SUCCESS;
}

/* ---- assertions on WCHAR strings ---- */

static void RtlHostNarrow(char *Out, size_t Size, PCWSTR Text, size_t Count)
{
    size_t Index;

    for (Index = 0; Index < Count && Index + 1 < Size; Index++)
        Out[Index] = Text[Index] < 0x80 ? (char)Text[Index] : '?';
    Out[Index] = 0;
}

void RtlHostAssertUstr(PCUNICODE_STRING Actual, PCWSTR Expected, const char *File, int Line)
{
    UNICODE_STRING Want;
    char A[512], B[512];

    RtlInitUnicodeString(&Want, Expected);
    if (!RtlEqualUnicodeString(Actual, &Want, FALSE)) {
        RtlHostNarrow(A, sizeof(A), Actual->Buffer, Actual->Length / sizeof(WCHAR));
        RtlHostNarrow(B, sizeof(B), Expected, wcslen(Expected));
        print_error("got \"%s\", expected \"%s\"\n", A, B);
        _fail(File, Line);
    }
}

void RtlHostAssertWstr(PCWSTR Actual, PCWSTR Expected, const char *File, int Line)
{
    char A[512], B[512];

    if (Actual == NULL || wcscmp(Actual, Expected) != 0) {
        RtlHostNarrow(A, sizeof(A), Actual != NULL ? Actual : u"(null)", wcslen(Actual != NULL ? Actual : u"(null)"));
        RtlHostNarrow(B, sizeof(B), Expected, wcslen(Expected));
        print_error("got \"%s\", expected \"%s\"\n", A, B);
        _fail(File, Line);
    }
}

int RtlHostCheckLeaks(void **State)
{
    (void)State;
    assert_int_equal(RtlHostHeapBlocks(), 0);
    assert_int_equal(RtlHostVirtualBlocks(), 0);
    return 0;
}

/*
 * usentdll.c - a test image for tests/unit/test_ntdll.c (built by mk/ntdll.mk with
 * MinGW into build/test-images/usentdll.exe). Never run: the test reads its import
 * table.
 *
 * It is linked with MinGW's own import library, -lntdll (libntdll.a), not with
 * anything of ours: the names it imports from ntdll.dll are the names any MinGW
 * program expects ntdll to export, and the test checks that ours exports each one.
 * The prototypes are declared here, stdcall as NT's, so that they match the
 * decorated symbols of libntdll.a (_NtClose@4 ...) without a Windows header.
 */
typedef long NTSTATUS;
typedef void *HANDLE;
typedef void *PVOID;
typedef unsigned long ULONG;
typedef unsigned char BOOLEAN;

#define NTAPI __stdcall
#define IMPORT __declspec(dllimport)

IMPORT NTSTATUS NTAPI NtClose(HANDLE Handle);
IMPORT NTSTATUS NTAPI ZwClose(HANDLE Handle);
IMPORT NTSTATUS NTAPI NtCreateFile(HANDLE *FileHandle, ULONG DesiredAccess, PVOID ObjectAttributes,
                                   PVOID IoStatusBlock, PVOID AllocationSize, ULONG FileAttributes,
                                   ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions,
                                   PVOID EaBuffer, ULONG EaLength);
IMPORT NTSTATUS NTAPI NtOpenFile(HANDLE *FileHandle, ULONG DesiredAccess, PVOID ObjectAttributes,
                                 PVOID IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions);
IMPORT NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                                 PVOID IoStatusBlock, PVOID Buffer, ULONG Length, PVOID ByteOffset,
                                 PVOID Key);
IMPORT NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                                  PVOID IoStatusBlock, PVOID Buffer, ULONG Length, PVOID ByteOffset,
                                  PVOID Key);
IMPORT NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PVOID Timeout);
IMPORT NTSTATUS NTAPI ZwWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PVOID Timeout);
IMPORT NTSTATUS NTAPI NtContinue(PVOID Context, BOOLEAN TestAlert);
IMPORT NTSTATUS NTAPI NtQuerySystemTime(PVOID SystemTime);
IMPORT NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG ZeroBits,
                                              ULONG *RegionSize, ULONG AllocationType, ULONG Protect);
IMPORT NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG *RegionSize,
                                          ULONG FreeType);
IMPORT NTSTATUS NTAPI NtCreateEvent(HANDLE *EventHandle, ULONG DesiredAccess, PVOID ObjectAttributes,
                                    ULONG EventType, BOOLEAN InitialState);
IMPORT NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, long *PreviousState);
IMPORT NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PVOID DelayInterval);
IMPORT NTSTATUS NTAPI NtYieldExecution(void);
IMPORT NTSTATUS NTAPI NtQueueApcThread(HANDLE ThreadHandle, PVOID ApcRoutine, PVOID Argument1,
                                       PVOID Argument2, PVOID Argument3);
IMPORT NTSTATUS NTAPI NtTestAlert(void);
IMPORT NTSTATUS NTAPI NtCallbackReturn(PVOID OutputBuffer, ULONG OutputLength, NTSTATUS Status);

/* The entry point (-e _UseNtdllStart): one call of each, so each is imported. */
void __cdecl UseNtdllStart(void)
{
    HANDLE Handle = 0;
    PVOID Base = 0;
    ULONG Size = 0;
    long Time[2];

    NtCreateFile(&Handle, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    NtOpenFile(&Handle, 0, 0, 0, 0, 0);
    NtReadFile(Handle, 0, 0, 0, 0, 0, 0, 0, 0);
    NtWriteFile(Handle, 0, 0, 0, 0, 0, 0, 0, 0);
    NtWaitForSingleObject(Handle, 0, 0);
    ZwWaitForSingleObject(Handle, 0, 0);
    NtQuerySystemTime(Time);
    NtAllocateVirtualMemory((HANDLE)-1, &Base, 0, &Size, 0, 0);
    NtFreeVirtualMemory((HANDLE)-1, &Base, &Size, 0);
    NtCreateEvent(&Handle, 0, 0, 0, 0);
    NtSetEvent(Handle, 0);
    NtDelayExecution(0, 0);
    NtYieldExecution();
    NtQueueApcThread((HANDLE)-2, 0, 0, 0, 0);
    NtTestAlert();
    NtClose(Handle);
    ZwClose(Handle);
    NtCallbackReturn(0, 0, 0);
    NtContinue(0, 0);
}

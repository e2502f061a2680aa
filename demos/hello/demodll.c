/*
 * demodll.c - demodll.dll, the DLL hello.exe imports, to show the loader at work:
 * when hello.exe starts, ntdll's loader (LdrpInitializeProcess) finds demodll.dll
 * in the program's folder, maps it (NtCreateSection(SEC_IMAGE) +
 * NtMapViewOfSection), binds hello.exe's import of DemoPrint to it, and calls its
 * DllMain with DLL_PROCESS_ATTACH before hello.exe's entry point runs; when the
 * process ends through RtlExitUserProcess, LdrShutdownProcess calls it again with
 * DLL_PROCESS_DETACH. Reserved (lpvReserved) tells a static load from LdrLoadDll's
 * and a process's end from LdrUnloadDll's.
 *
 * It imports only ntdll: NtWriteFile and _vsnprintf (through MinGW's libntdll.a
 * and libntdllcrt.a).
 */
#define DEMODLL_BUILD
#include "demodll.h"
#include <winternl.h>
#include <stdarg.h>

NTSYSAPI NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key);
NTSYSAPI int __cdecl _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args);

/* PEB->ProcessParameters->StandardOutput: offset 0x1C of the parameters. */
static HANDLE DemoStandardOutput(void)
{
    PBYTE Parameters = (PBYTE)NtCurrentTeb()->ProcessEnvironmentBlock->ProcessParameters;

    return *(HANDLE *)(Parameters + 0x1C);
}

void __cdecl DemoPrint(const char *Format, ...)
{
    char Buffer[256];
    IO_STATUS_BLOCK Iosb;
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = _vsnprintf(Buffer, sizeof(Buffer), Format, Args);
    va_end(Args);
    if (Length < 0 || Length > (int)sizeof(Buffer))
        Length = sizeof(Buffer);            /* cut: what fit */
    NtWriteFile(DemoStandardOutput(), NULL, NULL, NULL, &Iosb, Buffer, (ULONG)Length, NULL, NULL);
}

/* The DLL's entry point (-e): the loader calls it, under the loader lock. */
BOOL WINAPI DemoDllMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    if (Reason == DLL_PROCESS_ATTACH)
        DemoPrint("demodll: DllMain(DLL_PROCESS_ATTACH) at %p, %s\r\n", (PVOID)Instance,
                  Reserved != NULL ? "a static import, before the program's entry point" : "LdrLoadDll");
    else if (Reason == DLL_PROCESS_DETACH)
        DemoPrint("demodll: DllMain(DLL_PROCESS_DETACH), %s\r\n",
                  Reserved != NULL ? "the process is ending" : "LdrUnloadDll");
    return TRUE;
}

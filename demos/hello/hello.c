/*
 * hello.c - hello.exe, a console hello that shows the loader: it imports
 * DemoPrint from demodll.dll (see demodll.c), so by the time its entry point
 * runs, the loader has already mapped the DLL and run its DllMain. It prints its
 * process ID, its command line (PEB->ProcessParameters->CommandLine, as the shell
 * passed it) and its current directory, then leaves through RtlExitUserProcess,
 * which runs the DLLs' DLL_PROCESS_DETACH first. (Returning from the entry point
 * would end it too: ntdll's RtlUserThreadStart, where every thread begins, ends
 * the thread with the result, and the last thread's end is the process's. Saying
 * it explicitly keeps the demo's path visible.)
 *
 * Exit status: 0, or the number given as "hello exit N", to try the shell's
 * "[exit 0x...]".
 */
#include "demodll.h"
#include <winternl.h>

NTSYSAPI VOID NTAPI RtlExitUserProcess(NTSTATUS ExitStatus);

/* NT's RTL_USER_PROCESS_PARAMETERS, the fields used here (winternl.h hides them). */
typedef struct _HELLO_PARAMETERS {
    BYTE Reserved[0x24];
    UNICODE_STRING CurrentDirectory;    /* 0x24 */
    HANDLE CurrentDirectoryHandle;
    UNICODE_STRING DllPath;             /* 0x30 */
    UNICODE_STRING ImagePathName;       /* 0x38 */
    UNICODE_STRING CommandLine;         /* 0x40 */
} HELLO_PARAMETERS;

/* The number after " exit " in the command line, or 0. */
static ULONG HelloExitCode(const UNICODE_STRING *CommandLine)
{
    const WCHAR *Text = CommandLine->Buffer;
    ULONG Count = CommandLine->Length / sizeof(WCHAR), Index, Value = 0;

    for (Index = 0; Index + 6 <= Count; Index++) {
        if (Text[Index] == L' ' && Text[Index + 1] == L'e' && Text[Index + 2] == L'x' &&
            Text[Index + 3] == L'i' && Text[Index + 4] == L't' && Text[Index + 5] == L' ') {
            for (Index += 6; Index < Count && Text[Index] >= L'0' && Text[Index] <= L'9'; Index++)
                Value = Value * 10 + (Text[Index] - L'0');
            break;
        }
    }
    return Value;
}

/* The entry point (-e): the PEB's address is its argument. */
ULONG NTAPI HelloStart(PVOID Peb)
{
    HELLO_PARAMETERS *Parameters = (HELLO_PARAMETERS *)((PEB *)Peb)->ProcessParameters;
    ULONG ExitCode = HelloExitCode(&Parameters->CommandLine);

    /* TEB->ClientId: fs:[0x20] the process ID, fs:[0x24] the thread's. */
    DemoPrint("Hello from hello.exe: PID %lu, thread %lu\r\n", __readfsdword(0x20), __readfsdword(0x24));
    DemoPrint("  command line:      %.*S\r\n", (int)(Parameters->CommandLine.Length / sizeof(WCHAR)),
              Parameters->CommandLine.Buffer);
    DemoPrint("  image:             %.*S\r\n", (int)(Parameters->ImagePathName.Length / sizeof(WCHAR)),
              Parameters->ImagePathName.Buffer);
    DemoPrint("  current directory: %.*S\r\n", (int)(Parameters->CurrentDirectory.Length / sizeof(WCHAR)),
              Parameters->CurrentDirectory.Buffer);
    RtlExitUserProcess((NTSTATUS)ExitCode);
    return ExitCode;
}

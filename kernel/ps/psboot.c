/*
 * psboot.c - the first user process (what NT's phase 1 does for smss.exe with
 * RtlCreateUserProcess): the program the boot option /INIT names, started by the
 * System process with its standard handles on \Device\Console, and waited for.
 *
 * Its process parameters are made here as a creator would (normalized, in
 * kernel memory) and go through the same capture as a user creator's, so the
 * first process gets exactly what NtCreateUserProcess would give it.
 */
#include "psp.h"

#define PSP_CONSOLE_NAME u"\\Device\\Console"
/* The first process's environment: where Windows is (UTF-16, double NUL at the end). */
static const WCHAR PspInitialEnvironment[] =
    u"Path=C:\\Windows\\System32;C:\\Windows\0SystemRoot=C:\\Windows\0windir=C:\\Windows\0";

static NTSTATUS PspOpenConsole(PHANDLE Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK IoStatus;
    UNICODE_STRING Name;

    RtlInitUnicodeString(&Name, PSP_CONSOLE_NAME);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_KERNEL_HANDLE, NULL, NULL);
    return ZwOpenFile(Handle, FILE_GENERIC_READ | FILE_GENERIC_WRITE, &Attributes, &IoStatus,
                      FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT);
}

NTSTATUS PsCreateSystemChildProcess(PCUNICODE_STRING ImagePath, PCUNICODE_STRING CommandLine, PEPROCESS *Process)
{
    RTL_USER_PROCESS_PARAMETERS Parameters;
    PRTL_USER_PROCESS_PARAMETERS Captured = NULL;
    PS_STD_HANDLE_INFO StdHandles;
    PSP_USER_PROCESS Create;
    UNICODE_STRING DosPath;
    HANDLE Console = NULL;
    NTSTATUS Status;

    /* The DOS form of the image's path ("\??\C:\x.exe" -> "C:\x.exe") for the PEB. */
    DosPath = *ImagePath;
    if (DosPath.Length >= 4 * sizeof(WCHAR) && DosPath.Buffer[0] == L'\\' && DosPath.Buffer[1] == L'?' &&
        DosPath.Buffer[2] == L'?' && DosPath.Buffer[3] == L'\\') {
        DosPath.Buffer += 4;
        DosPath.Length -= 4 * sizeof(WCHAR);
        DosPath.MaximumLength = DosPath.Length;
    }

    Status = PspOpenConsole(&Console);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Parameters, 0, sizeof(Parameters));
    Parameters.Length = Parameters.MaximumLength = sizeof(Parameters);
    Parameters.Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    Parameters.StandardInput = Parameters.StandardOutput = Parameters.StandardError = Console;
    /* NT's ExpLoadInitialProcess starts smss.exe in \SystemRoot\System32. */
    RtlInitUnicodeString(&Parameters.CurrentDirectory.DosPath, u"C:\\Windows\\System32\\");
    RtlInitUnicodeString(&Parameters.DllPath, u"C:\\Windows\\System32;C:\\Windows");
    Parameters.ImagePathName = DosPath;
    Parameters.CommandLine = *CommandLine;
    Parameters.Environment = (PVOID)PspInitialEnvironment;
    Parameters.EnvironmentSize = sizeof(PspInitialEnvironment);
    Status = PspCaptureProcessParameters(&Parameters, KernelMode, &Captured);
    if (!NT_SUCCESS(Status))
        goto Done;

    /* The console handle, duplicated three times into the child. */
    StdHandles.Flags = 0;
    StdHandles.StdHandleState = PsAlwaysDuplicate;
    StdHandles.StdHandleSubsystemType = 0;
    memset(&Create, 0, sizeof(Create));
    Create.PreviousMode = KernelMode;
    Create.Parent = PsInitialSystemProcess;
    Create.ImagePath = ImagePath;
    Create.Parameters = Captured;
    Create.StdHandleInfo = &StdHandles;
    Create.ProcessDesiredAccess = PROCESS_ALL_ACCESS;
    Create.ThreadDesiredAccess = THREAD_ALL_ACCESS;
    Status = PspCreateUserProcess(&Create);
    if (NT_SUCCESS(Status)) {
        ObCloseHandle(Create.ThreadHandle, KernelMode);
        ObCloseHandle(Create.ProcessHandle, KernelMode);
        ObDereferenceObject(Create.Thread);
        *Process = Create.Process;
    }

Done:
    if (Captured != NULL)
        ExFreePoolWithTag(Captured, PSP_PROCESS_TAG);
    ZwClose(Console);
    return Status;
}

NTSTATUS PsRunInitialProcess(PCUNICODE_STRING ImagePath, PCUNICODE_STRING CommandLine, PNTSTATUS ExitStatus)
{
    PEPROCESS Process;
    NTSTATUS Status;

    Status = PsCreateSystemChildProcess(ImagePath, CommandLine, &Process);
    if (!NT_SUCCESS(Status))
        return Status;
    KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
    *ExitStatus = Process->ExitStatus;
    ObDereferenceObject(Process);
    return STATUS_SUCCESS;
}

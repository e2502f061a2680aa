/*
 * ppb.c - process parameter blocks (NT: ntdll\rtl\ppb.c's exports): the
 * RTL_USER_PROCESS_PARAMETERS a creator hands NtCreateUserProcess /
 * RtlCreateUserProcess, laid out as NT's: the structure, then each string with a
 * NUL (the current directory with room for MAX_PATH characters, so the child can
 * change it in place), all in one virtual memory allocation, as NT makes it so
 * the kernel can copy it without any heap of the creator's.
 *
 * The block comes back denormalized: every string Buffer is an offset from the
 * block's start, so it means the same wherever the block is copied to; the
 * environment stays an address (it is a separate block, copied separately).
 * RtlNormalizeProcessParams turns offsets into addresses (what a process does
 * with its own block first), RtlDeNormalizeProcessParams back; Flags says which.
 */
#include "rtlp.h"

/* Rounds a byte count up to a ULONG boundary, where each string starts. */
#define RTLP_ALIGN(Size) (((Size) + sizeof(ULONG) - 1) & ~(SIZE_T)(sizeof(ULONG) - 1))

/* The strings of the block, in layout order (the current directory is first). */
static PUNICODE_STRING RtlpParameterString(PRTL_USER_PROCESS_PARAMETERS Parameters, ULONG Index)
{
    switch (Index) {
    case 0: return &Parameters->CurrentDirectory.DosPath;
    case 1: return &Parameters->DllPath;
    case 2: return &Parameters->ImagePathName;
    case 3: return &Parameters->CommandLine;
    case 4: return &Parameters->WindowTitle;
    case 5: return &Parameters->DesktopInfo;
    case 6: return &Parameters->ShellInfo;
    case 7: return &Parameters->RuntimeData;
    default: return NULL;
    }
}

/* Bytes a string takes in the block: its characters, a NUL, at least Minimum. */
static SIZE_T RtlpStringRoom(PCUNICODE_STRING String, SIZE_T Minimum)
{
    SIZE_T Room = (String != NULL ? String->Length : 0) + sizeof(WCHAR);

    return RTLP_ALIGN(Room > Minimum ? Room : Minimum);
}

/* Copies Source to *Cursor as Target, NUL-terminated, Room bytes reserved. */
static VOID RtlpPlaceString(PUNICODE_STRING Target, PCUNICODE_STRING Source, PUCHAR *Cursor, SIZE_T Room)
{
    /* Whole characters: an odd byte count would leave Length above MaximumLength. */
    USHORT Length = Source != NULL ? Source->Length & ~1 : 0;

    Target->Buffer = (PWSTR)*Cursor;
    Target->Length = Length;
    Target->MaximumLength = (USHORT)(Room > 0xFFFE ? 0xFFFE : Room);
    if (Length != 0)
        memcpy(Target->Buffer, Source->Buffer, Length);
    Target->Buffer[Length / sizeof(WCHAR)] = 0;
    *Cursor += Room;
}

static NTSTATUS RtlpCreateProcessParameters(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                            PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                            PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
                                            PVOID Environment, PUNICODE_STRING WindowTitle,
                                            PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
                                            PUNICODE_STRING RuntimeData, ULONG Flags)
{
    PRTL_USER_PROCESS_PARAMETERS Current = RtlpCurrentPeb()->ProcessParameters;
    PCUNICODE_STRING Sources[8];
    SIZE_T Rooms[8], Total = sizeof(RTL_USER_PROCESS_PARAMETERS), Size;
    UNICODE_STRING Directory;
    PRTL_USER_PROCESS_PARAMETERS Block = NULL;
    PUCHAR Cursor;
    NTSTATUS Status;

    if (ImagePathName == NULL)
        return STATUS_INVALID_PARAMETER;

    /* What NULL means, as NT: the creator's own DLL path, current directory and
       environment; the image name as the command line; empty strings otherwise. */
    if (DllPath == NULL && Current != NULL)
        DllPath = &Current->DllPath;
    if (CurrentDirectory == NULL && Current != NULL)
        CurrentDirectory = &Current->CurrentDirectory.DosPath;
    if (Environment == NULL && Current != NULL)
        Environment = Current->Environment;
    if (CommandLine == NULL)
        CommandLine = ImagePathName;

    /* The current directory is kept with its trailing '\'. */
    Directory.Length = 0;
    Directory.Buffer = NULL;
    if (CurrentDirectory != NULL) {
        Directory = *CurrentDirectory;
        Directory.Length &= ~1;                         /* whole characters (1 byte is none) */
        if (Directory.Length != 0 && Directory.Buffer[Directory.Length / sizeof(WCHAR) - 1] == '\\')
            Directory.Length -= sizeof(WCHAR);
    }
    /* With the '\' added back and its NUL it must still be a counted string. */
    if (Directory.Length + 2 * sizeof(WCHAR) > 0xFFFF)
        return STATUS_NAME_TOO_LONG;

    Sources[0] = &Directory;
    Sources[1] = DllPath;
    Sources[2] = ImagePathName;
    Sources[3] = CommandLine;
    Sources[4] = WindowTitle;
    Sources[5] = DesktopInfo;
    Sources[6] = ShellInfo;
    Sources[7] = RuntimeData;
    for (ULONG Index = 0; Index < 8; Index++) {
        /* The directory's '\' and NUL, and MAX_PATH for it to grow into. */
        Rooms[Index] = Index == 0 ? RtlpStringRoom(&Directory, RTLP_MAX_PATH * sizeof(WCHAR)) + sizeof(WCHAR)
                                  : RtlpStringRoom(Sources[Index], 0);
        Total += Rooms[Index];
    }

    Size = Total;
    Status = NtAllocateVirtualMemory(RtlpCurrentProcess(), (PVOID *)&Block, 0, &Size,
                                     MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;

    /* The allocation is zero-filled: handles, console and window fields start 0. */
    Block->MaximumLength = (ULONG)Total;
    Block->Length = (ULONG)Total;
    Block->Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    Block->Environment = Environment;
    Block->EnvironmentSize = (ULONG)RtlpEnvironmentSize(Environment);
    Cursor = (PUCHAR)(Block + 1);
    for (ULONG Index = 0; Index < 8; Index++)
        RtlpPlaceString(RtlpParameterString(Block, Index), Sources[Index], &Cursor, Rooms[Index]);
    if (Directory.Length != 0) {
        PUNICODE_STRING DosPath = &Block->CurrentDirectory.DosPath;

        DosPath->Buffer[DosPath->Length / sizeof(WCHAR)] = '\\';
        DosPath->Length += sizeof(WCHAR);
        DosPath->Buffer[DosPath->Length / sizeof(WCHAR)] = 0;
    }

    /* NT's Ex returns it normalized when asked to; the classic call never does. */
    if (!(Flags & RTL_USER_PROC_PARAMS_NORMALIZED))
        RtlDeNormalizeProcessParams(Block);
    *ProcessParameters = Block;
    return STATUS_SUCCESS;
}

/* Under the PEB lock, as NT: the defaults are the creator's current directory and
   environment, which another thread may be replacing (and freeing) meanwhile. */
NTSTATUS NTAPI RtlCreateProcessParametersEx(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                            PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                            PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
                                            PVOID Environment, PUNICODE_STRING WindowTitle,
                                            PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
                                            PUNICODE_STRING RuntimeData, ULONG Flags)
{
    NTSTATUS Status;

    RtlAcquirePebLock();
    Status = RtlpCreateProcessParameters(ProcessParameters, ImagePathName, DllPath, CurrentDirectory,
                                         CommandLine, Environment, WindowTitle, DesktopInfo, ShellInfo,
                                         RuntimeData, Flags);
    RtlReleasePebLock();
    return Status;
}

NTSTATUS NTAPI RtlCreateProcessParameters(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                          PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                          PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
                                          PVOID Environment, PUNICODE_STRING WindowTitle,
                                          PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
                                          PUNICODE_STRING RuntimeData)
{
    return RtlCreateProcessParametersEx(ProcessParameters, ImagePathName, DllPath, CurrentDirectory,
                                        CommandLine, Environment, WindowTitle, DesktopInfo, ShellInfo,
                                        RuntimeData, 0);
}

NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS ProcessParameters)
{
    PVOID Base = ProcessParameters;
    SIZE_T Size = 0;

    return NtFreeVirtualMemory(RtlpCurrentProcess(), &Base, &Size, MEM_RELEASE);
}

PRTL_USER_PROCESS_PARAMETERS NTAPI RtlNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS ProcessParameters)
{
    if (ProcessParameters != NULL && !(ProcessParameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) {
        for (ULONG Index = 0; Index < 8; Index++) {
            PUNICODE_STRING String = RtlpParameterString(ProcessParameters, Index);

            if (String->Buffer != NULL)
                String->Buffer = (PWSTR)((PUCHAR)ProcessParameters + (ULONG_PTR)String->Buffer);
        }
        ProcessParameters->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
    }
    return ProcessParameters;
}

PRTL_USER_PROCESS_PARAMETERS NTAPI RtlDeNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS ProcessParameters)
{
    if (ProcessParameters != NULL && (ProcessParameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)) {
        for (ULONG Index = 0; Index < 8; Index++) {
            PUNICODE_STRING String = RtlpParameterString(ProcessParameters, Index);

            if (String->Buffer != NULL)
                String->Buffer = (PWSTR)((PUCHAR)String->Buffer - (PUCHAR)ProcessParameters);
        }
        ProcessParameters->Flags &= ~RTL_USER_PROC_PARAMS_NORMALIZED;
    }
    return ProcessParameters;
}

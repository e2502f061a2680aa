/*
 * process.c - RtlCreateUserProcess: a process and its first thread made the NT 5
 * way, all of it from user mode except the objects themselves (NT: ntdll\rtl\
 * rtlexec.c; what smss.exe starts csrss and winlogon with, and what XP's
 * kernel32 did in its own code):
 *
 *   1. NtOpenFile the image (its NT path), NtCreateSection(SEC_IMAGE) on it;
 *   2. NtCreateProcessEx from the section (the kernel maps the image and ntdll,
 *      makes the PEB); NtQuerySection(SectionImageInformation) for the entry point
 *      and stack sizes;
 *   3. the environment and the process parameters copied into the new process
 *      (NtAllocateVirtualMemory + NtWriteVirtualMemory) and PEB->ProcessParameters
 *      pointed at them;
 *   4. RtlCreateUserThread at the image's entry point with the PEB as its argument,
 *      always suspended: the caller resumes it (after telling a subsystem about
 *      the process, say).
 *
 * Any failure after the process exists terminates it (which frees everything
 * made inside it) and closes its handle; the section and file handles are closed
 * on every path.
 */
#include "rtlps.h"

/*
 * The caller's block (normalized or not, strings inside it, as
 * RtlCreateProcessParameters makes it) written into Process at Target, normalized
 * for there: each string's Buffer is Target plus its offset, Environment is
 * ChildEnvironment. The strings are written as they are; only the structure is
 * rewritten, from a copy.
 */
static NTSTATUS RtlpWriteParameters(HANDLE Process, PRTL_USER_PROCESS_PARAMETERS Parameters, PVOID Target,
                                    PVOID ChildEnvironment, SIZE_T EnvironmentSize)
{
    RTL_USER_PROCESS_PARAMETERS Copy;
    PUNICODE_STRING Strings[] = {
        &Copy.CurrentDirectory.DosPath, &Copy.DllPath, &Copy.ImagePathName, &Copy.CommandLine,
        &Copy.WindowTitle, &Copy.DesktopInfo, &Copy.ShellInfo, &Copy.RuntimeData,
    };
    ULONG_PTR Base = (Parameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED) ? (ULONG_PTR)Parameters : 0;
    NTSTATUS Status;

    if (Parameters->Length < sizeof(Copy))
        return STATUS_INVALID_PARAMETER;
    Copy = *Parameters;
    for (ULONG Index = 0; Index < RTL_NUMBER_OF(Strings); Index++) {
        ULONG_PTR Offset = (ULONG_PTR)Strings[Index]->Buffer - Base;

        if (Strings[Index]->Buffer == NULL)
            continue;
        /* A string outside the block would not be copied with it. */
        if (Offset < sizeof(Copy) || Offset > Parameters->Length ||
            Parameters->Length - Offset < Strings[Index]->MaximumLength)
            return STATUS_INVALID_PARAMETER;
        Strings[Index]->Buffer = (PWSTR)((PUCHAR)Target + Offset);
    }
    Copy.Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
    Copy.MaximumLength = Copy.Length;
    Copy.Environment = ChildEnvironment;
    Copy.EnvironmentSize = (ULONG)EnvironmentSize;

    Status = NtWriteVirtualMemory(Process, Target, Parameters, Parameters->Length, NULL);
    if (NT_SUCCESS(Status))
        Status = NtWriteVirtualMemory(Process, Target, &Copy, sizeof(Copy), NULL);
    return Status;
}

/* Size bytes of Process's memory, read-write (NT: RtlpCreateUserProcess's copies). */
static NTSTATUS RtlpAllocateIn(HANDLE Process, SIZE_T Size, PVOID *Base)
{
    *Base = NULL;
    return NtAllocateVirtualMemory(Process, Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

/* NT's RtlpInitEnvironment: the environment, the parameters, PEB->ProcessParameters. */
static NTSTATUS RtlpCopyParameters(HANDLE Process, PPEB Peb, PRTL_USER_PROCESS_PARAMETERS Parameters)
{
    SIZE_T EnvironmentSize = 0;
    PVOID Environment = NULL, Block;
    NTSTATUS Status;

    if (Parameters->Environment != NULL) {
        EnvironmentSize = RtlpEnvironmentSize(Parameters->Environment);
        Status = RtlpAllocateIn(Process, EnvironmentSize, &Environment);
        if (NT_SUCCESS(Status))
            Status = NtWriteVirtualMemory(Process, Environment, Parameters->Environment, EnvironmentSize, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = RtlpAllocateIn(Process, Parameters->Length, &Block);
    if (NT_SUCCESS(Status))
        Status = RtlpWriteParameters(Process, Parameters, Block, Environment, EnvironmentSize);
    if (NT_SUCCESS(Status))
        Status = NtWriteVirtualMemory(Process, &Peb->ProcessParameters, &Block, sizeof(Block), NULL);
    /* (On failure the memory goes with the process, which the caller ends.) */
    return Status;
}

/* NT's RtlpOpenImageFile + the section: SEC_IMAGE from the file, which is then closed. */
static NTSTATUS RtlpCreateImageSection(PUNICODE_STRING NtImagePathName, ULONG Attributes, PHANDLE Section)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    IO_STATUS_BLOCK IoStatus;
    HANDLE File;
    NTSTATUS Status;

    InitializeObjectAttributes(&ObjectAttributes, NtImagePathName, Attributes, NULL, NULL);
    Status = NtOpenFile(&File, SYNCHRONIZE | FILE_EXECUTE, &ObjectAttributes, &IoStatus,
                        FILE_SHARE_READ | FILE_SHARE_DELETE, FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtCreateSection(Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, File);
    NtClose(File);
    return Status;
}

NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
                                    PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
                                    PSECURITY_DESCRIPTOR ProcessSecurityDescriptor,
                                    PSECURITY_DESCRIPTOR ThreadSecurityDescriptor, HANDLE ParentProcess,
                                    BOOLEAN InheritHandles, HANDLE DebugPort, HANDLE ExceptionPort,
                                    PRTL_USER_PROCESS_INFORMATION ProcessInformation)
{
    PRTL_USER_PROCESS_INFORMATION Info = ProcessInformation;
    PROCESS_BASIC_INFORMATION Basic;
    OBJECT_ATTRIBUTES ObjectAttributes;
    HANDLE Section;
    NTSTATUS Status;

    if (NtImagePathName == NULL || ProcessParameters == NULL || ProcessInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    memset(Info, 0, sizeof(*Info));
    Info->Length = sizeof(*Info);

    Status = RtlpCreateImageSection(NtImagePathName, Attributes, &Section);
    if (!NT_SUCCESS(Status))
        return Status;

    /* A NULL parent is the caller itself, as NT's. */
    InitializeObjectAttributes(&ObjectAttributes, NULL, 0, NULL, ProcessSecurityDescriptor);
    Status = NtCreateProcessEx(&Info->Process, PROCESS_ALL_ACCESS, &ObjectAttributes,
                               ParentProcess != NULL ? ParentProcess : RtlpCurrentProcess(),
                               InheritHandles ? PROCESS_CREATE_FLAGS_INHERIT_HANDLES : 0, Section, DebugPort,
                               ExceptionPort, 0);
    if (NT_SUCCESS(Status))
        Status = NtQuerySection(Section, SectionImageInformation, &Info->ImageInformation,
                                sizeof(Info->ImageInformation), NULL);
    NtClose(Section);
    if (Info->Process == NULL)
        return Status;

    if (NT_SUCCESS(Status))
        Status = NtQueryInformationProcess(Info->Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    if (NT_SUCCESS(Status))
        Status = RtlpCopyParameters(Info->Process, Basic.PebBaseAddress, ProcessParameters);

    /* The first thread, at the entry point (TransferAddress is for the image's
       preferred base, where an exe always goes in a new address space), its
       stack sized by the image, suspended. */
    if (NT_SUCCESS(Status))
        Status = RtlCreateUserThread(Info->Process, ThreadSecurityDescriptor, TRUE,
                                     Info->ImageInformation.ZeroBits, Info->ImageInformation.MaximumStackSize,
                                     Info->ImageInformation.CommittedStackSize,
                                     (PUSER_THREAD_START_ROUTINE)Info->ImageInformation.TransferAddress,
                                     Basic.PebBaseAddress, &Info->Thread, &Info->ClientId);
    if (!NT_SUCCESS(Status)) {
        NtTerminateProcess(Info->Process, Status);
        NtClose(Info->Process);
        Info->Process = NULL;
    }
    return Status;
}

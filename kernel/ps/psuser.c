/*
 * psuser.c - a whole user process from an image path (NT 6: PspCreateUserProcess,
 * the body of NtCreateUserProcess; PsRunInitialProcess uses it too).
 *
 * The steps, as the seeds list them: open the image file and make its image
 * section; PspAllocateProcess; the process parameters copied in (with the
 * standard handles duplicated into the child when asked); PspInsertProcess; the
 * first thread (PspAllocateThread, PspInsertThread) starting at the image's entry
 * point with the PEB as its parameter. A failure after the process exists
 * terminates it, so nothing is left half made.
 */
#include "psp.h"

/* Opens the image for execution and makes its section (NT's order and statuses). */
static NTSTATUS PspOpenImage(PCUNICODE_STRING ImagePath, PPS_CREATE_STATE State, PVOID *Section)
{
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK IoStatus;
    HANDLE File, SectionHandle;
    NTSTATUS Status;

    InitializeObjectAttributes(&Attributes, (PUNICODE_STRING)ImagePath, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
                               NULL, NULL);
    Status = ZwOpenFile(&File, SYNCHRONIZE | FILE_EXECUTE | FILE_READ_DATA | FILE_READ_ATTRIBUTES, &Attributes,
                        &IoStatus, FILE_SHARE_READ | FILE_SHARE_DELETE,
                        FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(Status)) {
        *State = PsCreateFailOnFileOpen;
        return Status;
    }
    Status = ZwCreateSection(&SectionHandle, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, File);
    ZwClose(File);
    if (!NT_SUCCESS(Status)) {
        *State = (Status == STATUS_INVALID_IMAGE_WIN_64) ? PsCreateFailMachineMismatch : PsCreateFailOnSectionCreate;
        return Status;
    }
    Status = ObReferenceObjectByHandle(SectionHandle, SECTION_ALL_ACCESS, MmSectionObjectType, KernelMode, Section,
                                       NULL);
    ZwClose(SectionHandle);
    return Status;
}

/* The parameters' standard handles, copied from the parent into the child as asked. */
static NTSTATUS PspDuplicateStandardHandles(PEPROCESS Parent, PEPROCESS Child,
                                            PRTL_USER_PROCESS_PARAMETERS Parameters,
                                            const PS_STD_HANDLE_INFO *Info)
{
    PHANDLE Handles[3] = { &Parameters->StandardInput, &Parameters->StandardOutput, &Parameters->StandardError };
    ULONG Index, Mask;
    NTSTATUS Status;

    if (Info == NULL || Info->StdHandleState == PsNeverDuplicate)
        return STATUS_SUCCESS;
    Mask = Info->StdHandleState == PsAlwaysDuplicate ? 7 : Info->PseudoHandleMask;
    for (Index = 0; Index < 3; Index++) {
        if (!(Mask & (1u << Index)) || *Handles[Index] == NULL)
            continue;
        Status = ObDuplicateObject(Parent->ObjectTable, *Handles[Index], Child->ObjectTable, Handles[Index], 0, 0,
                                   DUPLICATE_SAME_ACCESS, KernelMode);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    return STATUS_SUCCESS;
}

NTSTATUS PspCreateUserProcess(PPSP_USER_PROCESS Create)
{
    PSP_PROCESS_CREATE ProcessCreate;
    PSP_THREAD_CREATE ThreadCreate;
    PVOID Section = NULL, ChildParameters = NULL;
    PEPROCESS Process = NULL;
    PETHREAD Thread = NULL;
    NTSTATUS Status;

    Create->State = PsCreateInitialState;
    Status = PspOpenImage(Create->ImagePath, &Create->State, &Section);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MmQuerySectionImageInformation(Section, &Create->ImageInformation);
    if (!NT_SUCCESS(Status))
        goto Done;

    ProcessCreate.Parent = Create->Parent;
    ProcessCreate.SectionObject = Section;
    ProcessCreate.InheritHandles = (Create->ProcessFlags & PROCESS_CREATE_FLAGS_INHERIT_HANDLES) != 0;
    Status = PspAllocateProcess(&ProcessCreate, Create->ProcessObjectAttributes, Create->PreviousMode, &Process);
    if (!NT_SUCCESS(Status))
        goto Done;
    Status = PspDuplicateStandardHandles(Create->Parent, Process, Create->Parameters, Create->StdHandleInfo);
    if (NT_SUCCESS(Status))
        Status = PspCopyProcessParameters(Process, Create->Parameters, &ChildParameters);
    if (!NT_SUCCESS(Status)) {
        ObDereferenceObject(Process);
        goto Done;
    }
    /* Visible from here on (its ID, the handle): held from ending until its first
       thread is in, so a terminate meanwhile waits for that (then ends it). */
    PsAcquireProcessExitSynchronization(Process);
    Status = PspInsertProcess(Process, Create->ProcessDesiredAccess, &Create->ProcessHandle);
    if (!NT_SUCCESS(Status)) {
        PsReleaseProcessExitSynchronization(Process);
        goto Done;                      /* the object is gone with its failure */
    }

    /* The first thread: RtlUserThreadStart(entry point, PEB), the image's stack. */
    memset(&ThreadCreate, 0, sizeof(ThreadCreate));
    ThreadCreate.StartAddress = (PVOID)((ULONG_PTR)Process->SectionBaseAddress +
        ((ULONG_PTR)Create->ImageInformation.TransferAddress - MmGetSectionImageBase(Section)));
    ThreadCreate.Parameter = Process->Peb;
    ThreadCreate.CreateSuspended = (Create->ThreadFlags & THREAD_CREATE_FLAGS_CREATE_SUSPENDED) != 0;
    Status = PspAllocateThread(Process, &ThreadCreate, Create->ThreadObjectAttributes, Create->PreviousMode,
                               &Thread);
    if (NT_SUCCESS(Status))
        Status = PspInsertThread(Thread, &ThreadCreate, Create->ThreadDesiredAccess, &Create->ThreadHandle);
    PsReleaseProcessExitSynchronization(Process);
    if (!NT_SUCCESS(Status)) {
        /* A process without its thread is no process: ended (unless a terminate did
           it meanwhile), and the caller's handle closed as the caller would. */
        PspLockProcess(Process);
        if (Process->ExitStatus == STATUS_PENDING)
            Process->ExitStatus = Status;
        Process->Flags |= PS_PROCESS_FLAGS_PROCESS_EXITING | PS_PROCESS_FLAGS_PROCESS_DELETE;
        PspUnlockProcess(Process);
        PspExitProcess(Process);
        ObCloseHandle(Create->ProcessHandle, Create->PreviousMode);
        ObDereferenceObject(Process);
        Create->ProcessHandle = NULL;
        goto Done;
    }
    Create->Process = Process;          /* the caller's references (the handles' bias) */
    Create->Thread = Thread;
    Create->ChildParameters = ChildParameters;
    Create->State = PsCreateSuccess;

Done:
    if (Section != NULL)
        ObDereferenceObject(Section);
    return Status;
}

/*
 * ntcreate.c - the creation services: NT 6's NtCreateUserProcess (everything in
 * one call, from an image path), and NT 5's NtCreateProcessEx / NtCreateProcess
 * (a process from a section the caller made) with NtCreateThread (its thread,
 * from a stack and CONTEXT the caller made). Both paths end in the same Psp
 * routines (create.c), so they make the same processes.
 *
 * Every argument is captured first (probed for user mode), NT's way: the
 * attribute list and the process parameters into kernel copies, the output
 * pointers probed before anything is created, the results written last.
 */
#include "psp.h"

#define PSP_VALID_PROCESS_FLAGS (PROCESS_CREATE_FLAGS_BREAKAWAY | PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT | \
                                 PROCESS_CREATE_FLAGS_INHERIT_HANDLES)
#define PSP_MAXIMUM_ATTRIBUTES  32
#define PSP_MAXIMUM_IMAGE_NAME  (32767 * sizeof(WCHAR))

/*
 * The parent: the one the attribute names (with PROCESS_CREATE_PROCESS), or the
 * caller; referenced, and held from ending (its handle table is read to inherit
 * and duplicate handles) until PspDereferenceParent.
 */
static NTSTATUS PspReferenceParent(HANDLE ParentHandle, KPROCESSOR_MODE PreviousMode, PEPROCESS *Parent)
{
    NTSTATUS Status = STATUS_SUCCESS;

    if (ParentHandle == NULL) {
        *Parent = PsGetCurrentProcess();
        if (*Parent == NULL)
            return STATUS_INVALID_HANDLE;
        ObReferenceObject(*Parent);
    } else {
        Status = ObReferenceObjectByHandle(ParentHandle, PROCESS_CREATE_PROCESS, PsProcessType, PreviousMode,
                                           (PVOID *)Parent, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    if (!PsAcquireProcessExitSynchronization(*Parent)) {
        ObDereferenceObject(*Parent);
        *Parent = NULL;
        return STATUS_PROCESS_IS_TERMINATING;
    }
    return Status;
}

static VOID PspDereferenceParent(PEPROCESS Parent)
{
    PsReleaseProcessExitSynchronization(Parent);
    ObDereferenceObject(Parent);
}

/* ---- NtCreateUserProcess ---- */

/* What the attribute list says, captured. */
typedef struct _PSP_ATTRIBUTES {
    UNICODE_STRING ImageName;           /* pool copy */
    HANDLE ParentProcess;
    PCLIENT_ID ClientId;                /* the caller's, probed for writing */
    PSECTION_IMAGE_INFORMATION ImageInfo;
    PS_STD_HANDLE_INFO StdHandleInfo;
    BOOLEAN HasStdHandleInfo;
} PSP_ATTRIBUTES, *PPSP_ATTRIBUTES;

static NTSTATUS PspCaptureAttributes(PPS_ATTRIBUTE_LIST List, KPROCESSOR_MODE PreviousMode,
                                     PPSP_ATTRIBUTES Attributes)
{
    PS_ATTRIBUTE Captured[PSP_MAXIMUM_ATTRIBUTES];
    SIZE_T TotalLength;
    ULONG Count, Index;
    NTSTATUS Status;

    memset(Attributes, 0, sizeof(*Attributes));
    if (List == NULL)
        return STATUS_INVALID_PARAMETER;    /* NT: the image name is required */
    Status = ExCaptureUserData(&TotalLength, &List->TotalLength, sizeof(TotalLength), sizeof(ULONG),
                               PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (TotalLength < sizeof(SIZE_T) || (TotalLength - sizeof(SIZE_T)) % sizeof(PS_ATTRIBUTE) != 0)
        return STATUS_INVALID_PARAMETER;
    Count = (ULONG)((TotalLength - sizeof(SIZE_T)) / sizeof(PS_ATTRIBUTE));
    if (Count > PSP_MAXIMUM_ATTRIBUTES)
        return STATUS_INVALID_PARAMETER;
    Status = ExCaptureUserData(Captured, List->Attributes, Count * sizeof(PS_ATTRIBUTE), sizeof(ULONG),
                               PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;

    for (Index = 0; Index < Count && NT_SUCCESS(Status); Index++) {
        PPS_ATTRIBUTE Attribute = &Captured[Index];

        switch (Attribute->Attribute) {
        case PS_ATTRIBUTE_IMAGE_NAME:
            if (Attribute->Size == 0 || Attribute->Size > PSP_MAXIMUM_IMAGE_NAME ||
                Attribute->Size % sizeof(WCHAR) != 0 || Attributes->ImageName.Buffer != NULL) {
                Status = STATUS_INVALID_PARAMETER;
                break;
            }
            Attributes->ImageName.Buffer = ExAllocatePoolWithTag(NonPagedPool, Attribute->Size, PSP_PROCESS_TAG);
            if (Attributes->ImageName.Buffer == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
                break;
            }
            Attributes->ImageName.Length = Attributes->ImageName.MaximumLength = (USHORT)Attribute->Size;
            Status = ExCaptureUserData(Attributes->ImageName.Buffer, Attribute->ValuePtr, Attribute->Size,
                                       sizeof(WCHAR), PreviousMode);
            break;
        case PS_ATTRIBUTE_PARENT_PROCESS:
            Attributes->ParentProcess = (HANDLE)Attribute->Value;
            break;
        case PS_ATTRIBUTE_CLIENT_ID:
            if (Attribute->Size < sizeof(CLIENT_ID)) {
                Status = STATUS_INVALID_PARAMETER;
                break;
            }
            Attributes->ClientId = Attribute->ValuePtr;
            Status = ExProbeUserOutput(Attributes->ClientId, sizeof(CLIENT_ID), sizeof(ULONG), PreviousMode);
            break;
        case PS_ATTRIBUTE_IMAGE_INFO:
            if (Attribute->Size < sizeof(SECTION_IMAGE_INFORMATION)) {
                Status = STATUS_INVALID_PARAMETER;
                break;
            }
            Attributes->ImageInfo = Attribute->ValuePtr;
            Status = ExProbeUserOutput(Attributes->ImageInfo, sizeof(SECTION_IMAGE_INFORMATION), sizeof(ULONG),
                                       PreviousMode);
            break;
        case PS_ATTRIBUTE_STD_HANDLE_INFO:
            if (Attribute->Size < sizeof(PS_STD_HANDLE_INFO)) {
                Status = STATUS_INVALID_PARAMETER;
                break;
            }
            Status = ExCaptureUserData(&Attributes->StdHandleInfo, Attribute->ValuePtr, sizeof(PS_STD_HANDLE_INFO),
                                       sizeof(ULONG), PreviousMode);
            Attributes->HasStdHandleInfo = TRUE;
            break;
        default:
            /* An attribute this kernel does not know is refused, not ignored. */
            DbgPrint("NtCreateUserProcess: attribute 0x%lx is not implemented\n", (ULONG)Attribute->Attribute);
            Status = STATUS_NOT_IMPLEMENTED;
            break;
        }
    }
    if (NT_SUCCESS(Status) && Attributes->ImageName.Buffer == NULL)
        Status = STATUS_INVALID_PARAMETER;
    return Status;
}

NTSTATUS NtCreateUserProcess(PHANDLE ProcessHandle, PHANDLE ThreadHandle, ACCESS_MASK ProcessDesiredAccess,
                             ACCESS_MASK ThreadDesiredAccess, POBJECT_ATTRIBUTES ProcessObjectAttributes,
                             POBJECT_ATTRIBUTES ThreadObjectAttributes, ULONG ProcessFlags, ULONG ThreadFlags,
                             PRTL_USER_PROCESS_PARAMETERS ProcessParameters, PPS_CREATE_INFO CreateInfo,
                             PPS_ATTRIBUTE_LIST AttributeList)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PSP_ATTRIBUTES Attributes;
    PSP_USER_PROCESS Create;
    PS_CREATE_INFO Info;
    PRTL_USER_PROCESS_PARAMETERS Parameters = NULL;
    PEPROCESS Parent = NULL;
    NTSTATUS Status;

    if ((ProcessFlags & ~PSP_VALID_PROCESS_FLAGS) || (ThreadFlags & ~THREAD_CREATE_FLAGS_CREATE_SUSPENDED))
        return STATUS_INVALID_PARAMETER;
    Status = ExProbeUserOutput(ProcessHandle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(ThreadHandle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Info, CreateInfo, sizeof(Info), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(CreateInfo, sizeof(Info), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Info.Size != sizeof(PS_CREATE_INFO))
        return STATUS_INVALID_PARAMETER;
    if (ProcessParameters == NULL)
        return STATUS_INVALID_PARAMETER;

    Status = PspCaptureAttributes(AttributeList, PreviousMode, &Attributes);
    if (NT_SUCCESS(Status))
        Status = PspCaptureProcessParameters(ProcessParameters, PreviousMode, &Parameters);
    if (NT_SUCCESS(Status))
        Status = PspReferenceParent(Attributes.ParentProcess, PreviousMode, &Parent);
    if (!NT_SUCCESS(Status))
        goto Done;

    memset(&Create, 0, sizeof(Create));
    Create.PreviousMode = PreviousMode;
    Create.Parent = Parent;
    Create.ImagePath = &Attributes.ImageName;
    Create.Parameters = Parameters;
    Create.StdHandleInfo = Attributes.HasStdHandleInfo ? &Attributes.StdHandleInfo : NULL;
    Create.ProcessFlags = ProcessFlags;
    Create.ThreadFlags = ThreadFlags;
    Create.ProcessDesiredAccess = ProcessDesiredAccess;
    Create.ThreadDesiredAccess = ThreadDesiredAccess;
    Create.ProcessObjectAttributes = ProcessObjectAttributes;
    Create.ThreadObjectAttributes = ThreadObjectAttributes;
    Status = PspCreateUserProcess(&Create);

    /* How far it got, as NT reports it (kernel32 turns it into its errors). */
    memset(&Info, 0, sizeof(Info));
    Info.Size = sizeof(Info);
    Info.State = Create.State;
    if (NT_SUCCESS(Status)) {
        Info.SuccessState.PebAddressNative = (ULONG_PTR)Create.Process->Peb;
        Info.SuccessState.UserProcessParametersNative = (ULONG_PTR)Create.ChildParameters;
        Info.SuccessState.CurrentParameterFlags = RTL_USER_PROC_PARAMS_NORMALIZED;
    } else if (Create.State == PsCreateFailExeFormat) {
        Info.ExeFormat.DllCharacteristics = Create.ImageInformation.DllCharacteristics;
    }
    (VOID)ExCopyToCaller(CreateInfo, &Info, sizeof(Info), PreviousMode);
    if (NT_SUCCESS(Status)) {
        /* As NT: the process exists now, whatever the caller's memory does. */
        (VOID)ExCopyToCaller(ProcessHandle, &Create.ProcessHandle, sizeof(HANDLE), PreviousMode);
        (VOID)ExCopyToCaller(ThreadHandle, &Create.ThreadHandle, sizeof(HANDLE), PreviousMode);
        if (Attributes.ClientId != NULL)
            (VOID)ExCopyToCaller(Attributes.ClientId, &Create.Thread->Cid, sizeof(CLIENT_ID), PreviousMode);
        if (Attributes.ImageInfo != NULL)
            (VOID)ExCopyToCaller(Attributes.ImageInfo, &Create.ImageInformation, sizeof(SECTION_IMAGE_INFORMATION),
                                 PreviousMode);
        ObDereferenceObject(Create.Thread);
        ObDereferenceObject(Create.Process);
    }

Done:
    if (Parent != NULL)
        PspDereferenceParent(Parent);
    if (Parameters != NULL)
        ExFreePoolWithTag(Parameters, PSP_PROCESS_TAG);
    if (Attributes.ImageName.Buffer != NULL)
        ExFreePoolWithTag(Attributes.ImageName.Buffer, PSP_PROCESS_TAG);
    return Status;
}

/* ---- NT 5: NtCreateProcessEx, NtCreateProcess, NtCreateThread ---- */

NTSTATUS NtCreateProcessEx(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                           HANDLE ParentProcess, ULONG Flags, HANDLE SectionHandle, HANDLE DebugPort,
                           HANDLE ExceptionPort, ULONG JobMemberLevel)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PSP_PROCESS_CREATE Create;
    PEPROCESS Parent, Process;
    PVOID Section;
    HANDLE Handle;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(JobMemberLevel);     /* no jobs */
    if (Flags & ~PSP_VALID_PROCESS_FLAGS)
        return STATUS_INVALID_PARAMETER;
    Status = ExProbeUserOutput(ProcessHandle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    /* NT requires the parent (a NULL one is the boot's own first process). */
    if (ParentProcess == NULL)
        return STATUS_INVALID_PARAMETER;
    /* No debugger or exception ports exist to attach. */
    if (DebugPort != NULL || ExceptionPort != NULL) {
        DbgPrint("NtCreateProcessEx: debug and exception ports are not implemented\n");
        return STATUS_NOT_IMPLEMENTED;
    }
    /* NT 5 clones the parent's address space when there is no section: not here. */
    if (SectionHandle == NULL) {
        DbgPrint("NtCreateProcessEx: a process without a section (fork) is not implemented\n");
        return STATUS_NOT_IMPLEMENTED;
    }
    Status = PspReferenceParent(ParentProcess, PreviousMode, &Parent);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(SectionHandle, SECTION_MAP_EXECUTE, MmSectionObjectType, PreviousMode,
                                       &Section, NULL);
    if (!NT_SUCCESS(Status)) {
        PspDereferenceParent(Parent);
        return Status;
    }

    Create.Parent = Parent;
    Create.SectionObject = Section;
    Create.InheritHandles = (Flags & PROCESS_CREATE_FLAGS_INHERIT_HANDLES) != 0;
    Status = PspAllocateProcess(&Create, ObjectAttributes, PreviousMode, &Process);
    if (NT_SUCCESS(Status))
        Status = PspInsertProcess(Process, DesiredAccess, &Handle);
    if (NT_SUCCESS(Status)) {
        (VOID)ExCopyToCaller(ProcessHandle, &Handle, sizeof(Handle), PreviousMode);
        ObDereferenceObject(Process);
    }
    ObDereferenceObject(Section);
    PspDereferenceParent(Parent);
    return Status;
}

/* NT 5's older form: InheritObjectTable becomes PROCESS_CREATE_FLAGS_INHERIT_HANDLES. */
NTSTATUS NtCreateProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                         HANDLE ParentProcess, BOOLEAN InheritObjectTable, HANDLE SectionHandle, HANDLE DebugPort,
                         HANDLE ExceptionPort)
{
    ULONG Flags = InheritObjectTable ? PROCESS_CREATE_FLAGS_INHERIT_HANDLES : 0;

    return NtCreateProcessEx(ProcessHandle, DesiredAccess, ObjectAttributes, ParentProcess, Flags, SectionHandle,
                             DebugPort, ExceptionPort, 0);
}

NTSTATUS NtCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                        HANDLE ProcessHandle, PCLIENT_ID ClientId, PCONTEXT ThreadContext, PINITIAL_TEB InitialTeb,
                        BOOLEAN CreateSuspended)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PSP_THREAD_CREATE Create;
    INITIAL_TEB Teb;
    CONTEXT Context;
    PEPROCESS Process;
    PETHREAD Thread;
    HANDLE Handle;
    NTSTATUS Status;

    Status = ExProbeUserOutput(ThreadHandle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && ClientId != NULL)
        Status = ExProbeUserOutput(ClientId, sizeof(CLIENT_ID), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    /* NT 5: the caller makes the stack and the CONTEXT; both are required. */
    if (ThreadContext == NULL || InitialTeb == NULL)
        return STATUS_INVALID_PARAMETER;
    Status = ExCaptureUserData(&Context, ThreadContext, sizeof(Context), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Teb, InitialTeb, sizeof(Teb), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_CREATE_THREAD, PsProcessType, PreviousMode,
                                       (PVOID *)&Process, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Process == PsInitialSystemProcess) {
        ObDereferenceObject(Process);
        return STATUS_ACCESS_DENIED;    /* user threads in the System process: never */
    }
    /* Its address space stays until the thread is in (NT: the process's rundown). */
    if (!PsAcquireProcessExitSynchronization(Process)) {
        ObDereferenceObject(Process);
        return STATUS_PROCESS_IS_TERMINATING;
    }

    memset(&Create, 0, sizeof(Create));
    Context.ContextFlags |= CONTEXT_CONTROL | CONTEXT_INTEGER;
    Create.Context = &Context;
    Create.InitialTeb = &Teb;
    Create.CreateSuspended = CreateSuspended != FALSE;
    Status = PspAllocateThread(Process, &Create, ObjectAttributes, PreviousMode, &Thread);
    if (NT_SUCCESS(Status))
        Status = PspInsertThread(Thread, &Create, DesiredAccess, &Handle);
    if (NT_SUCCESS(Status)) {
        (VOID)ExCopyToCaller(ThreadHandle, &Handle, sizeof(Handle), PreviousMode);
        if (ClientId != NULL)
            (VOID)ExCopyToCaller(ClientId, &Thread->Cid, sizeof(CLIENT_ID), PreviousMode);
        ObDereferenceObject(Thread);
    }
    PsReleaseProcessExitSynchronization(Process);
    ObDereferenceObject(Process);
    return Status;
}

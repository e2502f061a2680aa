/*
 * create.c - making processes and threads, in the seeds' order (NT 6:
 * PspAllocateProcess, PspInsertProcess, PspAllocateThread, PspInsertThread; NT 5's
 * PspCreateProcess and PspCreateThread do the same steps).
 *
 * Each Allocate routine builds an object nobody else can see yet; a failure part
 * way drops the object, and its delete procedure (psexit.c) undoes whatever was
 * done, so every step here can simply return. Each Insert routine publishes it:
 * on the active process list or the process's thread list, with a handle for the
 * creator, and for a thread, running.
 */
#include "psp.h"

/* The image's name for EPROCESS.ImageFileName: its last component, 15 characters. */
static VOID PspSetImageFileName(PEPROCESS Process, PCUNICODE_STRING FullName)
{
    ULONG Count = FullName->Length / sizeof(WCHAR), Start = Count, Index;

    while (Start > 0 && FullName->Buffer[Start - 1] != L'\\')
        Start--;
    for (Index = 0; Index + Start < Count && Index < sizeof(Process->ImageFileName) - 1; Index++) {
        WCHAR Character = FullName->Buffer[Start + Index];
        Process->ImageFileName[Index] = Character < 0x80 ? (UCHAR)Character : '?';
    }
}

/*
 * The image file's full NT name, its device's name and its path on the device
 * ("\Device\HarddiskVolume1\Windows\System32\x.exe"; NT keeps it in
 * SeAuditProcessCreationInfo for ProcessImageFileName).
 */
static NTSTATUS PspSetImageFileNameInfo(PEPROCESS Process, PVOID Section)
{
    PFILE_OBJECT File = MmGetSectionFileObject(Section);
    PUNICODE_STRING Copy;
    ULONG Length, Total, Path;
    NTSTATUS Status;
    union {
        OBJECT_NAME_INFORMATION Info;
        UCHAR Buffer[sizeof(OBJECT_NAME_INFORMATION) + 128 * sizeof(WCHAR)];
    } Device;

    if (File == NULL || File->DeviceObject == NULL)
        return STATUS_SUCCESS;
    Status = ObQueryNameString(File->DeviceObject, &Device.Info, sizeof(Device), &Length);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The path on the device: a file opened relative to a directory's handle has only
       the tail in its FileName. */
    Path = IoGetFileObjectPath(File, NULL, 0);
    Total = (ULONG)Device.Info.Name.Length + Path;
    if (Total > 0xFFFC)
        return STATUS_NAME_TOO_LONG;
    Copy = ExAllocatePoolWithTag(NonPagedPool, sizeof(UNICODE_STRING) + Total + sizeof(WCHAR), PSP_PROCESS_TAG);
    if (Copy == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Copy->Buffer = (PWSTR)(Copy + 1);
    Copy->Length = (USHORT)Total;
    Copy->MaximumLength = (USHORT)(Total + sizeof(WCHAR));
    memcpy(Copy->Buffer, Device.Info.Name.Buffer, Device.Info.Name.Length);
    (VOID)IoGetFileObjectPath(File, (PWCHAR)((PUCHAR)Copy->Buffer + Device.Info.Name.Length), Path);
    Copy->Buffer[Copy->Length / sizeof(WCHAR)] = 0;
    Process->ImageFileNameInfo = Copy;
    PspSetImageFileName(Process, Copy);
    return STATUS_SUCCESS;
}

/* The image, then ntdll, into the new space (NT: MmInitializeProcessAddressSpace). */
static NTSTATUS PspMapImages(PEPROCESS Process, PVOID Section)
{
    PMM_ADDRESS_SPACE Space = Process->Pcb.AddressSpace;
    PVOID Base = NULL;
    SIZE_T Size = 0;
    NTSTATUS Status;

    ObReferenceObject(Section);
    Process->SectionObject = Section;
    Status = MmMapViewOfSection(Section, Space, &Base, 0, NULL, &Size, 0, PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    Process->SectionBaseAddress = Base;     /* moved when its base was taken (relocated) */

    /* ntdll goes at the same address in every process: its base is never taken. */
    Base = PspSystemDll.DllBase;
    Size = 0;
    Status = MmMapViewOfSection(PspSystemDll.Section, Space, &Base, 0, NULL, &Size, 0, PAGE_READWRITE);
    if (Status == STATUS_IMAGE_NOT_AT_BASE || (NT_SUCCESS(Status) && Base != PspSystemDll.DllBase))
        return STATUS_CONFLICTING_ADDRESSES;
    return Status;
}

NTSTATUS PspAllocateProcess(PPSP_PROCESS_CREATE Create, POBJECT_ATTRIBUTES ObjectAttributes,
                            KPROCESSOR_MODE PreviousMode, PEPROCESS *ProcessOut)
{
    SECTION_IMAGE_INFORMATION ImageInformation;
    PMM_ADDRESS_SPACE Space;
    PEPROCESS Process;
    NTSTATUS Status;

    if (PspSystemDll.Section == NULL)
        return STATUS_DLL_NOT_FOUND;        /* booted without ntdll: no user mode */
    Status = MmQuerySectionImageInformation(Create->SectionObject, &ImageInformation);
    if (!NT_SUCCESS(Status))
        return Status;

    /* The object (ObCreateObject captures the attributes, probing them for user mode). */
    Status = ObCreateObject(PreviousMode, PsProcessType, ObjectAttributes, PreviousMode, NULL,
                            sizeof(EPROCESS), 0, 0, (PVOID *)&Process);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeEvent(&Process->ProcessLock, SynchronizationEvent, TRUE);
    KeInitializeEvent(&Process->RundownDone, NotificationEvent, FALSE);
    InitializeListHead(&Process->ThreadListHead);
    KeQuerySystemTime(&Process->CreateTime);
    Process->ExitStatus = STATUS_PENDING;
    Process->PriorityClass = PROCESS_PRIORITY_CLASS_NORMAL;
    Process->InheritedFromUniqueProcessId = Create->Parent->UniqueProcessId;
    if (Create->InheritHandles)
        Process->Flags |= PS_PROCESS_FLAGS_INHERIT_HANDLES;

    /* The address space and the KPROCESS around it. */
    Status = MmCreateProcessAddressSpace(&Space);
    if (!NT_SUCCESS(Status))
        goto Fail;
    KeInitializeProcess(&Process->Pcb, 8, Space);

    /* The handle table: empty, or the parent's inheritable handles. */
    Status = ObInitProcess(Create->Parent->ObjectTable, Create->InheritHandles, Process, &Process->ObjectTable);
    if (!NT_SUCCESS(Status))
        goto Fail;

    Status = PspMapImages(Process, Create->SectionObject);
    if (NT_SUCCESS(Status))
        Status = PspCreatePeb(Process, &ImageInformation);
    if (NT_SUCCESS(Status))
        Status = PspSetImageFileNameInfo(Process, Create->SectionObject);
    if (!NT_SUCCESS(Status))
        goto Fail;

    /* Last, the ID: from here on the process can be found by it. */
    Process->UniqueProcessId = PspCreateCid(Process);
    if (Process->UniqueProcessId == NULL) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
        goto Fail;
    }
    *ProcessOut = Process;
    return STATUS_SUCCESS;

Fail:
    ObDereferenceObject(Process);       /* PspDeleteProcess undoes what was done */
    return Status;
}

NTSTATUS PspInsertProcess(PEPROCESS Process, ACCESS_MASK DesiredAccess, PHANDLE ProcessHandle)
{
    PspLockActiveProcessList();
    InsertTailList(&PsActiveProcessHead, &Process->ActiveProcessLinks);
    PspUnlockActiveProcessList();
    /* One reference more than the handle's is the caller's, on success. */
    return ObInsertObject(Process, NULL, DesiredAccess, 1, NULL, ProcessHandle);
}

/* ---- threads ---- */

/* NT 6's first CONTEXT: ntdll!RtlUserThreadStart(StartAddress in EAX, Parameter in EBX). */
static VOID PspBuildInitialContext(PCONTEXT Context, PVOID StartAddress, PVOID Parameter, PVOID StackBase)
{
    memset(Context, 0, sizeof(*Context));
    Context->ContextFlags = CONTEXT_FULL;
    Context->Eip = PspSystemDll.UserThreadStart;
    Context->Eax = (ULONG)(ULONG_PTR)StartAddress;
    Context->Ebx = (ULONG)(ULONG_PTR)Parameter;
    Context->Esp = (ULONG)(ULONG_PTR)StackBase;
    Context->SegCs = KGDT_R3_CODE | RPL_MASK;
    Context->SegDs = Context->SegEs = Context->SegSs = KGDT_R3_DATA | RPL_MASK;
    Context->SegFs = KGDT_R3_TEB | RPL_MASK;
    Context->EFlags = EFLAGS_IF | 0x2;
}

NTSTATUS PspAllocateThread(PEPROCESS Process, PPSP_THREAD_CREATE Create, POBJECT_ATTRIBUTES ObjectAttributes,
                           KPROCESSOR_MODE PreviousMode, PETHREAD *ThreadOut)
{
    SECTION_IMAGE_INFORMATION ImageInformation;
    INITIAL_TEB InitialTeb;
    PETHREAD Thread;
    PTEB Teb;
    NTSTATUS Status;

    Status = ObCreateObject(PreviousMode, PsThreadType, ObjectAttributes, PreviousMode, NULL, sizeof(ETHREAD), 0,
                            0, (PVOID *)&Thread);
    if (!NT_SUCCESS(Status))
        return Status;
    KeQuerySystemTime(&Thread->CreateTime);
    Thread->ExitStatus = STATUS_PENDING;
    ObReferenceObject(Process);
    Thread->ThreadsProcess = Process;
    Thread->Cid.UniqueProcess = Process->UniqueProcessId;
    Thread->Cid.UniqueThread = PspCreateCid(Thread);
    if (Thread->Cid.UniqueThread == NULL) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
        goto Fail;
    }

    /* The stack: the creator's (NT 5), or one the image's headers size (NT 6). */
    if (Create->InitialTeb != NULL) {
        InitialTeb = *Create->InitialTeb;
    } else {
        Status = MmQuerySectionImageInformation(Process->SectionObject, &ImageInformation);
        if (NT_SUCCESS(Status))
            Status = PspCreateUserStack(Process, ImageInformation.MaximumStackSize,
                                        ImageInformation.CommittedStackSize, &InitialTeb);
        if (!NT_SUCCESS(Status))
            goto Fail;
        Thread->CrossThreadFlags |= PS_CROSS_THREAD_FLAGS_OWN_STACK;
        Thread->UserStackAllocation = InitialTeb.StackAllocationBase;
    }
    Status = PspCreateTeb(Process, Thread, &InitialTeb, &Teb);
    if (!NT_SUCCESS(Status))
        goto Fail;
    Thread->Teb = Teb;

    /* Where it starts: the creator's CONTEXT (its EIP, and EAX for Win32's routine,
       as NT 5 records them), or RtlUserThreadStart. */
    Thread->InitialContext = ExAllocatePoolWithTag(NonPagedPool, sizeof(CONTEXT), PSP_THREAD_TAG);
    if (Thread->InitialContext == NULL) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
        goto Fail;
    }
    if (Create->Context != NULL) {
        *Thread->InitialContext = *Create->Context;
        Thread->StartAddress = (PVOID)(ULONG_PTR)Create->Context->Eip;
        Thread->Win32StartAddress = (PVOID)(ULONG_PTR)Create->Context->Eax;
    } else {
        PspBuildInitialContext(Thread->InitialContext, Create->StartAddress, Create->Parameter,
                               InitialTeb.StackBase);
        Thread->StartAddress = (PVOID)PspSystemDll.UserThreadStart;
        Thread->Win32StartAddress = Create->StartAddress;
    }

    /* The kernel's part: a kernel stack whose first switch runs PspUserThreadStartup. */
    Status = KeInitThread(&Thread->Tcb, &Process->Pcb, PspUserThreadStartup, Thread, 8);
    Thread->Tcb.ExecutiveThread = Thread;
    Thread->Tcb.Teb = Teb;
    if (!NT_SUCCESS(Status))
        goto Fail;
    *ThreadOut = Thread;
    return STATUS_SUCCESS;

Fail:
    ObDereferenceObject(Thread);        /* PspDeleteThread undoes what was done */
    return Status;
}

NTSTATUS PspInsertThread(PETHREAD Thread, PPSP_THREAD_CREATE Create, ACCESS_MASK DesiredAccess,
                         PHANDLE ThreadHandle)
{
    PEPROCESS Process = Thread->ThreadsProcess;
    BOOLEAN First;
    NTSTATUS Status;

    /* No new thread in a process that is ending (NT's answer). */
    PspLockProcess(Process);
    if (Process->Flags & (PS_PROCESS_FLAGS_PROCESS_EXITING | PS_PROCESS_FLAGS_PROCESS_DELETE)) {
        PspUnlockProcess(Process);
        ObDereferenceObject(Thread);
        return STATUS_PROCESS_IS_TERMINATING;
    }
    InsertTailList(&Process->ThreadListHead, &Thread->ThreadListEntry);
    First = ++Process->ActiveThreads == 1;
    Thread->CrossThreadFlags |= PS_CROSS_THREAD_FLAGS_COUNTED;
    PspUnlockProcess(Process);

    /* The handle, and two references more: the thread's own while it runs (the
       reaper drops it once its kernel stack is freed) and the caller's. */
    Status = ObInsertObject(Thread, NULL, DesiredAccess, 2, NULL, ThreadHandle);
    if (!NT_SUCCESS(Status))
        return Status;              /* the object is gone; PspDeleteThread unlinked it */
    /* Watchers hear of the process with its first thread (NT 6's order), then of it. */
    if (First)
        PspNotifyProcess(Process, TRUE);
    PspNotifyThread(Thread, TRUE);
    if (Create->CreateSuspended)
        KeSuspendThread(&Thread->Tcb);
    KeStartThread(&Thread->Tcb);
    return STATUS_SUCCESS;
}

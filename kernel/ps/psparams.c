/*
 * psparams.c - a creator's process parameters, captured (NT 6: the capture part of
 * PspCaptureProcessParameters / PspCopyAndFixupParameters).
 *
 * The creator's block may be normalized (string Buffers are addresses) or not
 * (offsets from the block's start, how RtlCreateProcessParameters leaves them);
 * the environment is always an address. Everything is read once, inside a
 * fault-recovery block, checked, and laid out again in one pool block: the
 * structure, each string NUL-terminated, then the environment. The copy is
 * normalized with kernel addresses; PspCopyProcessParameters moves it into the
 * child, where its Buffers become the child's addresses.
 */
#include "psp.h"

/* The largest parameter block and environment accepted (NT has no lower limits
   than the address space; a kernel copy needs one). */
#define PSP_MAXIMUM_PARAMETERS_SIZE  (256 * 1024)
#define PSP_MAXIMUM_ENVIRONMENT_SIZE (256 * 1024)

/* The strings of the block, in the order they are laid out. */
#define PSP_PARAMETER_STRINGS 8

static PUNICODE_STRING PspParameterString(PRTL_USER_PROCESS_PARAMETERS Parameters, ULONG Index)
{
    switch (Index) {
    case 0: return &Parameters->CurrentDirectory.DosPath;
    case 1: return &Parameters->DllPath;
    case 2: return &Parameters->ImagePathName;
    case 3: return &Parameters->CommandLine;
    case 4: return &Parameters->WindowTitle;
    case 5: return &Parameters->DesktopInfo;
    case 6: return &Parameters->ShellInfo;
    default: return &Parameters->RuntimeData;
    }
}

/* Where a string's characters are in the creator's memory. */
static PCWSTR PspStringSource(PRTL_USER_PROCESS_PARAMETERS User, const UNICODE_STRING *String, BOOLEAN Normalized)
{
    if (String->Buffer == NULL)
        return NULL;
    return Normalized ? String->Buffer : (PCWSTR)((PUCHAR)User + (ULONG_PTR)String->Buffer);
}

/* The environment's size: the creator's EnvironmentSize, else up to its double NUL. */
static NTSTATUS PspEnvironmentSize(PCWSTR Environment, SIZE_T Declared, KPROCESSOR_MODE PreviousMode,
                                   PSIZE_T Size)
{
    SIZE_T Count;

    if (Environment == NULL) {
        *Size = 0;
        return STATUS_SUCCESS;
    }
    if (Declared != 0) {
        if (Declared > PSP_MAXIMUM_ENVIRONMENT_SIZE || Declared % sizeof(WCHAR) != 0)
            return STATUS_INVALID_PARAMETER;
        if (PreviousMode == UserMode)
            ProbeForRead((PVOID)Environment, Declared, sizeof(WCHAR));
        *Size = Declared;
        return STATUS_SUCCESS;
    }
    for (Count = 0; Count + 1 < PSP_MAXIMUM_ENVIRONMENT_SIZE / sizeof(WCHAR); Count++) {
        if (PreviousMode == UserMode)
            ProbeForRead((PVOID)(Environment + Count), 2 * sizeof(WCHAR), sizeof(WCHAR));
        if (Environment[Count] == 0 && Environment[Count + 1] == 0) {
            *Size = (Count + 2) * sizeof(WCHAR);
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INVALID_PARAMETER;
}

static NTSTATUS PspCaptureBlock(PRTL_USER_PROCESS_PARAMETERS User, KPROCESSOR_MODE PreviousMode,
                                PRTL_USER_PROCESS_PARAMETERS *Captured)
{
    RTL_USER_PROCESS_PARAMETERS Header;
    PRTL_USER_PROCESS_PARAMETERS Copy;
    PCWSTR Sources[PSP_PARAMETER_STRINGS];
    SIZE_T Total = sizeof(Header), EnvironmentSize = 0, Declared = 0;
    BOOLEAN Normalized;
    PUCHAR Cursor;
    ULONG Index;
    NTSTATUS Status;

    if (PreviousMode == UserMode)
        ProbeForRead(User, FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, EnvironmentSize), sizeof(ULONG));
    memcpy(&Header, User, FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, EnvironmentSize));
    /* NT 5's blocks end before EnvironmentSize; NT 6's include it. */
    if (Header.Length < FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, EnvironmentSize) ||
        Header.Length > PSP_MAXIMUM_PARAMETERS_SIZE || Header.MaximumLength < Header.Length)
        return STATUS_INVALID_PARAMETER;
    Header.EnvironmentSize = 0;
    if (Header.Length >= sizeof(RTL_USER_PROCESS_PARAMETERS)) {
        if (PreviousMode == UserMode)
            ProbeForRead(&User->EnvironmentSize, sizeof(ULONG), sizeof(ULONG));
        Declared = User->EnvironmentSize;
    }
    Normalized = (Header.Flags & RTL_USER_PROC_PARAMS_NORMALIZED) != 0;

    for (Index = 0; Index < PSP_PARAMETER_STRINGS; Index++) {
        PUNICODE_STRING String = PspParameterString(&Header, Index);

        if (String->Length % sizeof(WCHAR) != 0 || String->Length > String->MaximumLength)
            return STATUS_INVALID_PARAMETER;
        Sources[Index] = PspStringSource(User, String, Normalized);
        if (Sources[Index] == NULL && String->Length != 0)
            return STATUS_INVALID_PARAMETER;
        if (Sources[Index] != NULL && PreviousMode == UserMode)
            ProbeForRead((PVOID)Sources[Index], String->Length, sizeof(WCHAR));
        Total += ((SIZE_T)String->Length + sizeof(WCHAR) + 3) & ~(SIZE_T)3;
    }
    Status = PspEnvironmentSize(Header.Environment, Declared, PreviousMode, &EnvironmentSize);
    if (!NT_SUCCESS(Status))
        return Status;
    Total += EnvironmentSize;
    if (Total > PSP_MAXIMUM_PARAMETERS_SIZE + PSP_MAXIMUM_ENVIRONMENT_SIZE)
        return STATUS_INVALID_PARAMETER;

    Copy = ExAllocatePoolWithTag(NonPagedPool, Total, PSP_PROCESS_TAG);
    if (Copy == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(Copy, 0, Total);
    *Captured = Copy;               /* the caller frees it if a fault cuts the copy short */
    memcpy(Copy, &Header, sizeof(Header));
    Cursor = (PUCHAR)(Copy + 1);
    for (Index = 0; Index < PSP_PARAMETER_STRINGS; Index++) {
        PUNICODE_STRING String = PspParameterString(Copy, Index);

        if (Sources[Index] == NULL) {
            String->Buffer = NULL;
            String->Length = String->MaximumLength = 0;
            continue;
        }
        memcpy(Cursor, Sources[Index], String->Length);
        String->Buffer = (PWSTR)Cursor;
        String->MaximumLength = (USHORT)(String->Length + sizeof(WCHAR));
        Cursor += ((SIZE_T)String->Length + sizeof(WCHAR) + 3) & ~(SIZE_T)3;
    }
    if (EnvironmentSize != 0) {
        memcpy(Cursor, Header.Environment, EnvironmentSize);
        Copy->Environment = Cursor;
    } else {
        Copy->Environment = NULL;
    }
    Copy->EnvironmentSize = (ULONG)EnvironmentSize;
    Copy->Length = Copy->MaximumLength = (ULONG)Total;
    Copy->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
    return STATUS_SUCCESS;
}

NTSTATUS PspCaptureProcessParameters(PRTL_USER_PROCESS_PARAMETERS UserParameters, KPROCESSOR_MODE PreviousMode,
                                     PRTL_USER_PROCESS_PARAMETERS *Captured)
{
    KFAULT_RECOVERY Recovery;
    NTSTATUS Status;

    *Captured = NULL;
    if (KiSetFaultRecovery(&Recovery) == 0) {
        Status = PspCaptureBlock(UserParameters, PreviousMode, Captured);
        KiClearFaultRecovery(&Recovery);
    } else {
        Status = Recovery.ExceptionCode;
        if (*Captured != NULL) {
            ExFreePoolWithTag(*Captured, PSP_PROCESS_TAG);
            *Captured = NULL;
        }
    }
    return Status;
}

/*
 * curdir.c - the process's current directory (NT: RtlGetCurrentDirectory_U,
 * RtlSetCurrentDirectory_U). It lives in PEB->ProcessParameters->CurrentDirectory:
 * DosPath is the full DOS path with a trailing '\' ("C:\Dir\"), Handle the
 * directory opened, which keeps it from being deleted or renamed while it is
 * current (as on NT) and is what NT opens relative names against.
 *
 * The kernel lays out a child's DosPath with only the room its string needs, so a
 * longer new path gets a MAX_PATH buffer from the process heap (NT's creator
 * reserves MAX_PATH; ours does not); only that buffer is ever freed here.
 * Both hold the PEB lock, as NT's do: a change replaces the buffer and closes the
 * old handle that a reader on another thread would otherwise still be using.
 */
#include "rtlp.h"

static PWSTR RtlpOwnedDosPath;      /* the heap buffer DosPath points to, if any */

/*
 * A counted reference to the current directory's handle (NT: RTLP_CURDIR_REF),
 * made the first time RtlDosPathNameToRelativeNtPathName_U hands the handle out
 * as a name's ContainingDirectory: the caller may open against it after another
 * thread has changed directory, so the handle is closed only when the PEB's
 * reference and every relative name's (RtlReleaseRelativeName) are gone.
 */
struct _RTLP_CURDIR_REF {
    LONG RefCount;
    HANDLE Handle;
};
static PRTLP_CURDIR_REF RtlpCurDirRef;     /* the reference of CurrentDirectory.Handle, if made */

/* Caller holds the PEB lock. NULL when there is no handle or no memory. */
PRTLP_CURDIR_REF RtlpReferenceCurrentDirectory(VOID)
{
    HANDLE Handle = RtlpCurrentPeb()->ProcessParameters->CurrentDirectory.Handle;

    if (Handle == NULL)
        return NULL;
    if (RtlpCurDirRef == NULL || RtlpCurDirRef->Handle != Handle) {
        RtlpCurDirRef = RtlpAllocate(sizeof(*RtlpCurDirRef));
        if (RtlpCurDirRef == NULL)
            return NULL;
        RtlpCurDirRef->RefCount = 1;                 /* the PEB's own */
        RtlpCurDirRef->Handle = Handle;
    }
    __atomic_add_fetch(&RtlpCurDirRef->RefCount, 1, __ATOMIC_SEQ_CST);
    return RtlpCurDirRef;
}

/* Any thread, any lock: the last reference closes the handle. */
VOID RtlpDereferenceCurrentDirectory(PRTLP_CURDIR_REF Reference)
{
    if (__atomic_sub_fetch(&Reference->RefCount, 1, __ATOMIC_SEQ_CST) == 0) {
        NtClose(Reference->Handle);
        RtlpFree(Reference);
    }
}

ULONG NTAPI RtlGetCurrentDirectory_U(ULONG MaximumLength, PWSTR Buffer)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = RtlpCurrentPeb()->ProcessParameters;
    PCWSTR Path;
    ULONG Count, Bytes;

    RtlAcquirePebLock();
    Path = Parameters->CurrentDirectory.DosPath.Buffer;
    Count = Parameters->CurrentDirectory.DosPath.Length / sizeof(WCHAR);
    /* "C:\Dir\" is reported as "C:\Dir"; a root keeps its '\' ("C:\"). */
    if (Count > 1 && Path[Count - 1] == '\\' && !(Count == 3 && Path[1] == ':'))
        Count--;
    if ((Count + 1) * sizeof(WCHAR) > MaximumLength) {
        Bytes = (Count + 1) * sizeof(WCHAR);
    } else {
        memcpy(Buffer, Path, Count * sizeof(WCHAR));
        Buffer[Count] = 0;
        Bytes = Count * sizeof(WCHAR);
    }
    RtlReleasePebLock();
    return Bytes;
}

/* Opens the directory NtPath names (FILE_DIRECTORY_FILE: a file is STATUS_NOT_A_DIRECTORY). */
static NTSTATUS RtlpOpenDirectory(PUNICODE_STRING NtPath, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK IoStatus;

    InitializeObjectAttributes(&Attributes, NtPath, OBJ_CASE_INSENSITIVE, NULL, NULL);
    return NtOpenFile(Handle, FILE_TRAVERSE | SYNCHRONIZE, &Attributes, &IoStatus,
                      FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
}

static NTSTATUS RtlpSetCurrentDirectory(PUNICODE_STRING Path)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = RtlpCurrentPeb()->ProcessParameters;
    PUNICODE_STRING DosPath = &Parameters->CurrentDirectory.DosPath;
    ULONG Count = Path->Length / sizeof(WCHAR), Length;
    PWSTR Name, Full = NULL, Target;
    UNICODE_STRING NtPath;
    RTL_PATH_TYPE Type;
    BOOLEAN IsDevice;
    HANDLE Handle;
    NTSTATUS Status;

    /* The caller's string need not end in NUL. */
    Name = RtlpAllocate((Count + 1) * sizeof(WCHAR));
    if (Name == NULL)
        return STATUS_NO_MEMORY;
    memcpy(Name, Path->Buffer, Count * sizeof(WCHAR));
    Name[Count] = 0;
    if (Count != 0)
        Full = RtlpFullPathName(Name, &Length, &Type, &IsDevice);
    RtlpFree(Name);
    if (Full == NULL)
        return Count == 0 ? STATUS_OBJECT_NAME_INVALID : STATUS_NO_MEMORY;
    if (IsDevice) {
        RtlpFree(Full);
        return STATUS_NOT_A_DIRECTORY;
    }

    /* Opened without the trailing '\' (but "C:\" keeps it: "\??\C:" is the volume). */
    if (Length > 3 && Full[Length - 1] == '\\')
        Full[--Length] = 0;
    if (!RtlpFullToNtPath(Full, Length, &NtPath)) {
        RtlpFree(Full);
        return STATUS_NO_MEMORY;
    }
    Status = RtlpOpenDirectory(&NtPath, &Handle);
    RtlFreeUnicodeString(&NtPath);
    if (!NT_SUCCESS(Status)) {
        RtlpFree(Full);
        return Status;
    }

    /* Stored with its trailing '\'. Full has room for one more character and a NUL. */
    if (Full[Length - 1] != '\\') {
        Full[Length++] = '\\';
        Full[Length] = 0;
    }
    if ((Length + 1) * sizeof(WCHAR) > 0xFFFF) {
        NtClose(Handle);
        RtlpFree(Full);
        return STATUS_NAME_TOO_LONG;
    }
    Target = DosPath->Buffer;
    if (Target == NULL || (Length + 1) * sizeof(WCHAR) > DosPath->MaximumLength) {
        ULONG Chars = Length + 1 > RTLP_MAX_PATH ? Length + 1 : RTLP_MAX_PATH;

        Target = RtlpAllocate(Chars * sizeof(WCHAR));
        if (Target == NULL) {
            NtClose(Handle);
            RtlpFree(Full);
            return STATUS_NO_MEMORY;
        }
        if (DosPath->Buffer == RtlpOwnedDosPath)
            RtlpFree(RtlpOwnedDosPath);
        RtlpOwnedDosPath = Target;
        DosPath->MaximumLength = (USHORT)(Chars * sizeof(WCHAR));
    }
    memcpy(Target, Full, (Length + 1) * sizeof(WCHAR));
    DosPath->Buffer = Target;
    DosPath->Length = (USHORT)(Length * sizeof(WCHAR));
    RtlpFree(Full);

    /* The old handle goes with the PEB's reference when relative names hold it too. */
    if (RtlpCurDirRef != NULL && RtlpCurDirRef->Handle == Parameters->CurrentDirectory.Handle) {
        RtlpDereferenceCurrentDirectory(RtlpCurDirRef);
        RtlpCurDirRef = NULL;
    } else if (Parameters->CurrentDirectory.Handle != NULL) {
        NtClose(Parameters->CurrentDirectory.Handle);
    }
    Parameters->CurrentDirectory.Handle = Handle;
    return STATUS_SUCCESS;
}

/* Under the PEB lock from the full path to the swap, as NT: two threads setting it
   at once must not both free the old buffer or close the old handle. */
NTSTATUS NTAPI RtlSetCurrentDirectory_U(PUNICODE_STRING Path)
{
    NTSTATUS Status;

    RtlAcquirePebLock();
    Status = RtlpSetCurrentDirectory(Path);
    RtlReleasePebLock();
    return Status;
}

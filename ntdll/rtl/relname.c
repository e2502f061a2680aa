/*
 * relname.c - RtlDosPathNameToRelativeNtPathName_U and RtlReleaseRelativeName (NT 6):
 * the NT name of a DOS path, as RtlDosPathNameToNtPathName_U makes it, and, for a
 * relative name ("x\y.txt") that lands under the current directory, the same file
 * named relative to the directory's open handle: RelativeName is then the tail
 * of NtName past the directory ("x\y.txt", pointing into NtName's buffer),
 * ContainingDirectory the handle, CurDirRef a reference that keeps the handle open
 * (curdir.c) until RtlReleaseRelativeName, even if the current directory changes
 * meanwhile. Otherwise (an absolute name, "..\x" leaving the directory) the
 * relative part is empty and the caller opens NtName itself.
 */
#include "rtlp.h"

static VOID RtlpClearRelativeName(PRTL_RELATIVE_NAME_U RelativeName)
{
    RelativeName->RelativeName.Buffer = NULL;
    RelativeName->RelativeName.Length = RelativeName->RelativeName.MaximumLength = 0;
    RelativeName->ContainingDirectory = NULL;
    RelativeName->CurDirRef = NULL;
}

/* PEB lock held: the current directory's NT name ("\??\C:\Dir\") prefixes NtName. */
static VOID RtlpRelativeToCurrentDirectory(PCUNICODE_STRING NtName, PRTL_RELATIVE_NAME_U RelativeName)
{
    PCUNICODE_STRING DosPath = &RtlpCurrentPeb()->ProcessParameters->CurrentDirectory.DosPath;
    UNICODE_STRING Directory;
    ULONG Count = DosPath->Length / sizeof(WCHAR), Tail;
    PCWSTR Full = DosPath->Buffer;

    /* DosPath ends in '\' (curdir.c keeps it so): what follows it is the tail. */
    if (Count == 0 || Full[Count - 1] != '\\' || !RtlpFullToNtPath(Full, Count, &Directory))
        return;
    if (NtName->Length > Directory.Length && RtlPrefixUnicodeString(&Directory, NtName, TRUE)) {
        RelativeName->CurDirRef = RtlpReferenceCurrentDirectory();
        if (RelativeName->CurDirRef != NULL) {
            Tail = (ULONG)(NtName->Length - Directory.Length);
            RelativeName->RelativeName.Buffer = NtName->Buffer + Directory.Length / sizeof(WCHAR);
            RelativeName->RelativeName.Length = RelativeName->RelativeName.MaximumLength = (USHORT)Tail;
            RelativeName->ContainingDirectory = RtlpCurrentPeb()->ProcessParameters->CurrentDirectory.Handle;
        }
    }
    RtlFreeUnicodeString(&Directory);
}

BOOLEAN NTAPI RtlDosPathNameToRelativeNtPathName_U(PCWSTR DosName, PUNICODE_STRING NtName, PCWSTR *FilePart,
                                                   PRTL_RELATIVE_NAME_U RelativeName)
{
    BOOLEAN Made;

    if (RelativeName != NULL)
        RtlpClearRelativeName(RelativeName);
    /* One hold of the lock: the directory the name was joined to is the one compared. */
    RtlAcquirePebLock();
    Made = RtlDosPathNameToNtPathName_U(DosName, NtName, FilePart, NULL);
    if (Made && RelativeName != NULL && RtlDetermineDosPathNameType_U(DosName) == RtlPathTypeRelative)
        RtlpRelativeToCurrentDirectory(NtName, RelativeName);
    RtlReleasePebLock();
    return Made;
}

VOID NTAPI RtlReleaseRelativeName(PRTL_RELATIVE_NAME_U RelativeName)
{
    if (RelativeName->CurDirRef != NULL) {
        RtlpDereferenceCurrentDirectory(RelativeName->CurDirRef);
        RelativeName->CurDirRef = NULL;
    }
}

/*
 * ntpath.c - RtlDosPathNameToNtPathName_U: the name the object manager resolves
 * for a DOS path. "\??\" is the caller's DOS devices directory, where "C:" and
 * "CON" are symbolic links; UNC paths go through its "UNC" link to the
 * redirector. "\\?\" is Win32's "do not touch this name": it becomes "\??\" and
 * nothing else changes (no "..", no trailing dots, no device names), as on NT.
 * Every other form is first made a full path (fullpath.c).
 *
 * The result is allocated from the process heap; the caller frees it with
 * RtlFreeUnicodeString. RelativeName (NT uses it to open relative to the current
 * directory's handle) is always returned empty: every name here is absolute,
 * which NT also does whenever the name is not under the current directory.
 */
#include "rtlp.h"

static const WCHAR RtlpDosDevices[] = u"\\??\\";
static const WCHAR RtlpUncPrefix[] = u"\\??\\UNC\\";

/* Prefix (PrefixLength characters) followed by Tail (TailLength), NUL-terminated. */
static BOOLEAN RtlpMakeNtName(PUNICODE_STRING NtName, PCWSTR Prefix, ULONG PrefixLength, PCWSTR Tail,
                              ULONG TailLength)
{
    ULONG Length = PrefixLength + TailLength;
    PWSTR Buffer;

    if ((Length + 1) * sizeof(WCHAR) > 0xFFFF)
        return FALSE;
    Buffer = RtlpAllocate((Length + 1) * sizeof(WCHAR));
    if (Buffer == NULL)
        return FALSE;
    memcpy(Buffer, Prefix, PrefixLength * sizeof(WCHAR));
    memcpy(Buffer + PrefixLength, Tail, TailLength * sizeof(WCHAR));
    Buffer[Length] = 0;
    NtName->Buffer = Buffer;
    NtName->Length = (USHORT)(Length * sizeof(WCHAR));
    NtName->MaximumLength = (USHORT)((Length + 1) * sizeof(WCHAR));
    return TRUE;
}

BOOLEAN RtlpFullToNtPath(PCWSTR Full, ULONG FullLength, PUNICODE_STRING NtName)
{
    /* "\\.\x" and "\\?\x" name a device or a path under \??\ directly. */
    if (FullLength >= 4 && Full[0] == '\\' && Full[1] == '\\' && (Full[2] == '.' || Full[2] == '?') &&
        Full[3] == '\\')
        return RtlpMakeNtName(NtName, RtlpDosDevices, 4, Full + 4, FullLength - 4);
    if (FullLength >= 2 && Full[0] == '\\' && Full[1] == '\\')
        return RtlpMakeNtName(NtName, RtlpUncPrefix, 8, Full + 2, FullLength - 2);
    return RtlpMakeNtName(NtName, RtlpDosDevices, 4, Full, FullLength);
}

BOOLEAN NTAPI RtlDosPathNameToNtPathName_U(PCWSTR DosName, PUNICODE_STRING NtName, PCWSTR *FilePart,
                                           PCURDIR RelativeName)
{
    RTL_PATH_TYPE Type;
    BOOLEAN IsDevice = FALSE, Made;
    ULONG Length;
    PWSTR Full;

    if (FilePart != NULL)
        *FilePart = NULL;
    if (RelativeName != NULL) {
        RelativeName->DosPath.Buffer = NULL;
        RelativeName->DosPath.Length = RelativeName->DosPath.MaximumLength = 0;
        RelativeName->Handle = NULL;
    }
    if (DosName == NULL || DosName[0] == 0)
        return FALSE;

    if (DosName[0] == '\\' && DosName[1] == '\\' && DosName[2] == '?' && DosName[3] == '\\') {
        Made = RtlpMakeNtName(NtName, RtlpDosDevices, 4, DosName + 4, (ULONG)wcslen(DosName + 4));
    } else {
        Full = RtlpFullPathName(DosName, &Length, &Type, &IsDevice);
        if (Full == NULL)
            return FALSE;
        Made = RtlpFullToNtPath(Full, Length, NtName);
        RtlpFree(Full);
    }
    if (!Made)
        return FALSE;

    /* The last component, unless the name ends in a separator or is a device. */
    if (FilePart != NULL && !IsDevice) {
        ULONG Count = NtName->Length / sizeof(WCHAR);
        PCWSTR Last = NtName->Buffer + Count;

        if (Count != 0 && Last[-1] != '\\') {
            while (Last > NtName->Buffer && Last[-1] != '\\')
                Last--;
            *FilePart = Last;
        }
    }
    return TRUE;
}

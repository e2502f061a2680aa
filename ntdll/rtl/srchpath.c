/*
 * srchpath.c - RtlDosSearchPath_U (NT; the body of Win32's SearchPathW): the first
 * directory of Path, a ';'-separated list, that holds FileName, with Extension
 * (".exe", its dot included) added when the name's last component has no
 * extension of its own. A name that is not relative ("C:\x", "\x", "\\s\h\x",
 * "C:x") is not searched for: only whether it exists is asked. The answer is the
 * full path (RtlGetFullPathName_U) in Buffer and its length in bytes, or, when
 * Buffer (BufferLength bytes) is too small, the bytes needed, NUL included; 0
 * when the file is nowhere. *FilePart points at the name in Buffer.
 */
#include "rtlp.h"

/* Does the last component of Name have a '.'? */
static BOOLEAN RtlpHasExtension(PCWSTR Name)
{
    PCWSTR Dot = NULL;

    for (; *Name != 0; Name++) {
        if (*Name == '.')
            Dot = Name;
        else if (*Name == '\\' || *Name == '/')
            Dot = NULL;
    }
    return Dot != NULL;
}

/* Directory (Length characters, possibly 0) '\' Name Extension, NUL-terminated, on the heap. */
static PWSTR RtlpJoin(PCWSTR Directory, ULONG Length, PCWSTR Name, PCWSTR Extension)
{
    ULONG NameLength = (ULONG)wcslen(Name), ExtensionLength = Extension != NULL ? (ULONG)wcslen(Extension) : 0;
    PWSTR Joined = RtlpAllocate((Length + 1 + NameLength + ExtensionLength + 1) * sizeof(WCHAR));
    ULONG At = Length;

    if (Joined == NULL)
        return NULL;
    memcpy(Joined, Directory, Length * sizeof(WCHAR));
    if (Length != 0 && Directory[Length - 1] != '\\' && Directory[Length - 1] != '/')
        Joined[At++] = '\\';
    memcpy(Joined + At, Name, NameLength * sizeof(WCHAR));
    At += NameLength;
    memcpy(Joined + At, Extension, ExtensionLength * sizeof(WCHAR));
    Joined[At + ExtensionLength] = 0;
    return Joined;
}

/* Candidate's full path into Buffer when it exists: its bytes (or the bytes needed), else 0. */
static ULONG RtlpTry(PCWSTR Candidate, ULONG BufferLength, PWSTR Buffer, PWSTR *FilePart)
{
    ULONG Bytes;

    if (!RtlDoesFileExists_U(Candidate))
        return 0;
    Bytes = RtlGetFullPathName_U(Candidate, BufferLength, Buffer, FilePart);
    /* RtlGetFullPathName_U's "too small" is the size with the NUL: the same here. */
    return Bytes;
}

ULONG NTAPI RtlDosSearchPath_U(PCWSTR Path, PCWSTR FileName, PCWSTR Extension, ULONG BufferLength, PWSTR Buffer,
                               PWSTR *FilePart)
{
    PCWSTR Element, End;
    PWSTR Candidate;
    ULONG Bytes = 0;

    if (FilePart != NULL)
        *FilePart = NULL;
    if (FileName == NULL || FileName[0] == 0)
        return 0;
    if (Extension != NULL && (Extension[0] == 0 || RtlpHasExtension(FileName)))
        Extension = NULL;

    if (RtlDetermineDosPathNameType_U(FileName) != RtlPathTypeRelative) {
        Candidate = RtlpJoin(u"", 0, FileName, Extension);
        if (Candidate == NULL)
            return 0;
        Bytes = RtlpTry(Candidate, BufferLength, Buffer, FilePart);
        RtlpFree(Candidate);
        return Bytes;
    }
    for (Element = Path != NULL ? Path : u""; *Element != 0 && Bytes == 0; Element = *End != 0 ? End + 1 : End) {
        End = Element;
        while (*End != 0 && *End != ';')
            End++;
        if (End == Element)
            continue;                                   /* ";;": an empty element is no directory */
        Candidate = RtlpJoin(Element, (ULONG)(End - Element), FileName, Extension);
        if (Candidate == NULL)
            return 0;
        Bytes = RtlpTry(Candidate, BufferLength, Buffer, FilePart);
        RtlpFree(Candidate);
    }
    return Bytes;
}

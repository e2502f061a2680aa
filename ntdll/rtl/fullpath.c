/*
 * fullpath.c - a DOS path made whole (NT: RtlGetFullPathName_U and the work
 * behind RtlDosPathNameToNtPathName_U): joined to the current directory (or to a
 * drive's own, the "=C:" environment variable, for "D:x"), '/' made '\', runs of
 * separators made one, "." dropped and ".." taking the component before it off
 * (never the root: "C:", "\\server\share", "\\."), a component's trailing '.'
 * dropped and the last component's trailing dots and spaces too (so "a." and "a"
 * are one file, as Win32 has always had it). A DOS device name as the last
 * component ("CON", "C:\x\nul.txt", "COM1 ") is the device: "\\.\CON".
 */
#include "rtlp.h"

static BOOLEAN RtlpIsSlash(WCHAR Character)
{
    return Character == '\\' || Character == '/';
}

/* Compares Count characters without case, B being upper-case ASCII. */
static BOOLEAN RtlpSameName(PCWSTR A, PCSTR B, ULONG Count)
{
    for (ULONG Index = 0; Index < Count; Index++) {
        if (RtlUpcaseUnicodeChar(A[Index]) != (WCHAR)B[Index])
            return FALSE;
    }
    return TRUE;
}

ULONG RtlpDosDeviceNameLength(PCWSTR Name, PULONG Offset)
{
    static const char *const Names3[] = { "CON", "PRN", "AUX", "NUL" };
    PCWSTR Last = Name, Cursor;
    ULONG Length = 0;

    if (Name[0] != 0 && Name[1] == ':')
        Last = Name + 2;
    for (Cursor = Last; *Cursor != 0; Cursor++) {
        if (RtlpIsSlash(*Cursor))
            Last = Cursor + 1;
    }
    /* The base name: up to an extension or a ':', without trailing spaces. */
    while (Last[Length] != 0 && Last[Length] != '.' && Last[Length] != ':')
        Length++;
    while (Length != 0 && Last[Length - 1] == ' ')
        Length--;

    *Offset = (ULONG)(Last - Name);
    if (Length == 3) {
        for (ULONG Index = 0; Index < RTL_NUMBER_OF(Names3); Index++) {
            if (RtlpSameName(Last, Names3[Index], 3))
                return 3;
        }
    } else if (Length == 4 && Last[3] >= '1' && Last[3] <= '9' &&
               (RtlpSameName(Last, "COM", 3) || RtlpSameName(Last, "LPT", 3))) {
        return 4;
    }
    return 0;
}

/* Characters of the root at Path's start: "C:" or "\\server\share" (or as much as there is). */
static ULONG RtlpRootLength(PCWSTR Path)
{
    ULONG Length = 2, Part;

    if (!RtlpIsSlash(Path[0]))
        return Path[0] != 0 && Path[1] == ':' ? 2 : 0;
    for (Part = 0; Part < 2; Part++) {
        if (Part == 1 && Path[Length] != 0)
            Length++;                                   /* the slash between server and share */
        while (Path[Length] != 0 && !RtlpIsSlash(Path[Length]))
            Length++;
    }
    return Length;
}

/*
 * Writes Root (RootLength characters, '/' made '\') and then Rest's components,
 * normalized as the header says, to Out; returns the characters written.
 */
static ULONG RtlpNormalize(PWSTR Out, PCWSTR Root, ULONG RootLength, PCWSTR Rest, BOOLEAN DriveRoot)
{
    ULONG Length = 0;
    BOOLEAN EndsInSlash = FALSE;

    for (; Length < RootLength; Length++)
        Out[Length] = RtlpIsSlash(Root[Length]) ? '\\' : Root[Length];

    while (*Rest != 0) {
        PCWSTR Start, End;
        ULONG Count;

        while (RtlpIsSlash(*Rest))
            Rest++;
        if (*Rest == 0) {
            EndsInSlash = TRUE;
            break;
        }
        Start = Rest;
        while (*Rest != 0 && !RtlpIsSlash(*Rest))
            Rest++;
        End = Rest;
        Count = (ULONG)(End - Start);

        if (Count == 1 && Start[0] == '.')
            continue;
        if (Count == 2 && Start[0] == '.' && Start[1] == '.') {
            while (Length > RootLength && Out[Length - 1] != '\\')
                Length--;
            if (Length > RootLength)
                Length--;                               /* the separator before it */
            continue;
        }
        if (*End == 0) {
            while (Count != 0 && (Start[Count - 1] == '.' || Start[Count - 1] == ' '))
                Count--;
        } else if (Start[Count - 1] == '.') {
            Count--;
        }
        if (Count == 0)
            continue;
        Out[Length++] = '\\';
        memcpy(Out + Length, Start, Count * sizeof(WCHAR));
        Length += Count;
    }

    if (Length == RootLength ? (DriveRoot || EndsInSlash) : EndsInSlash)
        Out[Length++] = '\\';
    Out[Length] = 0;
    return Length;
}

static PWSTR RtlpDeviceFullPath(PCWSTR Name, ULONG Offset, ULONG DeviceLength, PULONG Length)
{
    PWSTR Full = RtlpAllocate((4 + DeviceLength + 1) * sizeof(WCHAR));

    if (Full == NULL)
        return NULL;
    memcpy(Full, u"\\\\.\\", 4 * sizeof(WCHAR));
    memcpy(Full + 4, Name + Offset, DeviceLength * sizeof(WCHAR));
    Full[4 + DeviceLength] = 0;
    *Length = 4 + DeviceLength;
    return Full;
}

static PWSTR RtlpFullPathNameLocked(PCWSTR Name, PULONG Length, RTL_PATH_TYPE *Type, BOOLEAN *IsDevice)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = RtlpCurrentPeb()->ProcessParameters;
    PCWSTR CurrentDirectory = u"";
    ULONG NameLength = (ULONG)wcslen(Name), BaseLength = 0, RootLength, DeviceLength, Offset;
    WCHAR DriveBase[4];
    PCWSTR Base = NULL, Rest = Name;
    PWSTR Joined, Full;
    BOOLEAN DriveRoot = FALSE;

    *Type = RtlDetermineDosPathNameType_U(Name);
    *IsDevice = FALSE;
    if (NameLength == 0)
        return NULL;
    if (Parameters != NULL && Parameters->CurrentDirectory.DosPath.Buffer != NULL)
        CurrentDirectory = Parameters->CurrentDirectory.DosPath.Buffer;

    if (*Type != RtlPathTypeUncAbsolute && *Type != RtlPathTypeLocalDevice &&
        *Type != RtlPathTypeRootLocalDevice) {
        DeviceLength = RtlpDosDeviceNameLength(Name, &Offset);
        if (DeviceLength != 0) {
            *IsDevice = TRUE;
            return RtlpDeviceFullPath(Name, Offset, DeviceLength, Length);
        }
    }

    /* What the name is joined to (Base) and how much of the result is root. */
    switch (*Type) {
    case RtlPathTypeDriveAbsolute:
        RootLength = 2;
        DriveRoot = TRUE;
        break;
    case RtlPathTypeDriveRelative:
        DriveBase[0] = RtlUpcaseUnicodeChar(Name[0]);
        DriveBase[1] = ':';
        DriveBase[2] = '\\';
        DriveBase[3] = 0;
        if (RtlUpcaseUnicodeChar(CurrentDirectory[0]) == DriveBase[0] && CurrentDirectory[1] == ':') {
            Base = CurrentDirectory;
            BaseLength = (ULONG)wcslen(Base);
        } else {
            /* The drive's own current directory, kept by cmd and kernel32 as "=D:". */
            WCHAR Variable[3] = { '=', DriveBase[0], ':' };
            Base = RtlpFindVariable(NULL, Variable, 3, &BaseLength);
            if (Base == NULL || BaseLength < 2) {
                Base = DriveBase;
                BaseLength = 3;
            }
        }
        Rest = Name + 2;
        RootLength = 2;
        DriveRoot = TRUE;
        break;
    case RtlPathTypeRooted:
    case RtlPathTypeRelative:
        Base = CurrentDirectory;
        RootLength = RtlpRootLength(CurrentDirectory);
        BaseLength = *Type == RtlPathTypeRooted ? RootLength : (ULONG)wcslen(CurrentDirectory);
        DriveRoot = CurrentDirectory[0] != 0 && CurrentDirectory[1] == ':';
        break;
    case RtlPathTypeUncAbsolute:
        RootLength = RtlpRootLength(Name);
        break;
    default:                                            /* \\.\x, \\?\x, \\., \\? */
        RootLength = 3;
        DriveRoot = TRUE;
        break;
    }

    /* The name after its base, unnormalized, in one string. */
    Joined = RtlpAllocate((BaseLength + 1 + NameLength + 2) * sizeof(WCHAR));
    Full = RtlpAllocate((BaseLength + 1 + NameLength + 3) * sizeof(WCHAR));
    if (Joined == NULL || Full == NULL) {
        RtlpFree(Joined);
        RtlpFree(Full);
        return NULL;
    }
    if (Base != NULL) {
        /* "C:" alone is the drive's directory itself: "C:\Dir", not "C:\Dir\". */
        if (*Rest == 0)
            Rest = u".";
        memcpy(Joined, Base, BaseLength * sizeof(WCHAR));
        Joined[BaseLength] = '\\';
        memcpy(Joined + BaseLength + 1, Rest, (wcslen(Rest) + 1) * sizeof(WCHAR));
    } else {
        memcpy(Joined, Name, (NameLength + 1) * sizeof(WCHAR));
    }
    if (RootLength > wcslen(Joined))
        RootLength = (ULONG)wcslen(Joined);
    *Length = RtlpNormalize(Full, Joined, RootLength, Joined + RootLength, DriveRoot);
    /* Drive letters are upper case in full paths ("c:x" -> "C:\Dir\x"). */
    if (*Length >= 2 && Full[1] == ':')
        Full[0] = RtlUpcaseUnicodeChar(Full[0]);
    RtlpFree(Joined);
    return Full;
}

/* The current directory and the "=D:" variables are the PEB's: read under its lock. */
PWSTR RtlpFullPathName(PCWSTR Name, PULONG Length, RTL_PATH_TYPE *Type, BOOLEAN *IsDevice)
{
    PWSTR Full;

    RtlAcquirePebLock();
    Full = RtlpFullPathNameLocked(Name, Length, Type, IsDevice);
    RtlReleasePebLock();
    return Full;
}

ULONG NTAPI RtlGetFullPathName_U(PCWSTR FileName, ULONG Size, PWSTR Buffer, PWSTR *ShortName)
{
    RTL_PATH_TYPE Type;
    BOOLEAN IsDevice;
    ULONG Length;
    PWSTR Full;

    if (ShortName != NULL)
        *ShortName = NULL;
    if (FileName == NULL)
        return 0;
    Full = RtlpFullPathName(FileName, &Length, &Type, &IsDevice);
    if (Full == NULL)
        return 0;
    /* Too small: the size needed, the NUL included (the caller retries with it). */
    if ((Length + 1) * sizeof(WCHAR) > Size) {
        RtlpFree(Full);
        return (Length + 1) * sizeof(WCHAR);
    }
    memcpy(Buffer, Full, (Length + 1) * sizeof(WCHAR));
    RtlpFree(Full);
    if (ShortName != NULL && !IsDevice && Length != 0 && Buffer[Length - 1] != '\\') {
        PWSTR Last = Buffer + Length;

        while (Last > Buffer && Last[-1] != '\\')
            Last--;
        *ShortName = Last;
    }
    return Length * sizeof(WCHAR);
}

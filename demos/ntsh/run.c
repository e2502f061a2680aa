/*
 * run.c - running a program: find it as cmd.exe does, create it the NT 5 way
 * with ntdll's RtlCreateUserProcess, let it run, wait for it (the path is drawn
 * at the top of ntsh.c).
 */
#include "ntsh.h"

#define SH_EXE_SUFFIX L".exe"

/* TRUE when DosPath names a file that exists (a folder of that name does not count). */
static BOOLEAN ShIsFile(const WCHAR *DosPath)
{
    FILE_BASIC_INFORMATION Basic;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING NtPath;
    NTSTATUS Status;

    if (!RtlDosPathNameToNtPathName_U(DosPath, &NtPath, NULL, NULL))
        return FALSE;
    InitializeObjectAttributes(&Attributes, &NtPath, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtQueryAttributesFile(&Attributes, &Basic);
    RtlFreeUnicodeString(&NtPath);
    return NT_SUCCESS(Status) && !(Basic.FileAttributes & FILE_ATTRIBUTE_DIRECTORY);
}

/* Out = Folder (may be empty) + "\" + Name + ".exe" when Name has no extension.
   FALSE when it would not fit. */
static BOOLEAN ShMakeCandidate(WCHAR *Out, ULONG OutChars, const WCHAR *Folder, ULONG FolderChars,
                               const WCHAR *Name, BOOLEAN AddSuffix)
{
    ULONG NameChars = ShLength(Name), SuffixChars = AddSuffix ? ShLength(SH_EXE_SUFFIX) : 0;
    ULONG Used = 0;

    if (FolderChars + 1 + NameChars + SuffixChars + 1 > OutChars)
        return FALSE;
    if (FolderChars != 0) {
        memcpy(Out, Folder, FolderChars * sizeof(WCHAR));
        Used = FolderChars;
        if (Out[Used - 1] != L'\\')
            Out[Used++] = L'\\';
    }
    memcpy(Out + Used, Name, NameChars * sizeof(WCHAR));
    Used += NameChars;
    if (AddSuffix)
        memcpy(Out + Used, SH_EXE_SUFFIX, SuffixChars * sizeof(WCHAR));
    Out[Used + SuffixChars] = 0;
    return TRUE;
}

/* Found = the full DOS path of Candidate (relative to the current directory). */
static BOOLEAN ShFullPath(const WCHAR *Candidate, WCHAR *Found, ULONG FoundChars)
{
    ULONG Bytes = RtlGetFullPathName_U(Candidate, FoundChars * sizeof(WCHAR), Found, NULL);

    return Bytes != 0 && Bytes < FoundChars * sizeof(WCHAR);
}

/*
 * The search, cmd's order: a name with a path ("C:\x\y", "..\y", "sub\y") is
 * taken as it is; a bare name is looked for in the current directory, then in
 * each folder of the PATH environment variable. A name without an extension gets
 * ".exe" (cmd's PATHEXT, reduced to what a native system runs).
 *
 * Found: TRUE, with the full DOS path in Found. Not found: FALSE, and Found is
 * empty - except for a path, where it is the full path anyway, so that the
 * creation itself reports why nothing is there.
 */
static BOOLEAN ShFindProgram(const WCHAR *Name, WCHAR *Found, ULONG FoundChars)
{
    const WCHAR *LastPart = Name, *Scan;
    BOOLEAN HasPath = FALSE, AddSuffix = TRUE;
    WCHAR Candidate[SH_PATH_CHARS], PathValue[1024];
    UNICODE_STRING VariableName, Value;

    Found[0] = 0;
    for (Scan = Name; *Scan != 0; Scan++) {
        if (*Scan == L'\\' || *Scan == L'/' || *Scan == L':') {
            HasPath = TRUE;
            LastPart = Scan + 1;
        }
    }
    for (Scan = LastPart; *Scan != 0; Scan++) {
        if (*Scan == L'.')
            AddSuffix = FALSE;
    }

    /* A path, or a bare name in the current directory (RtlGetFullPathName_U
       resolves both against it). */
    if (!ShMakeCandidate(Candidate, SH_PATH_CHARS, NULL, 0, Name, AddSuffix) ||
        !ShFullPath(Candidate, Found, FoundChars)) {
        Found[0] = 0;
        return FALSE;
    }
    if (ShIsFile(Found))
        return TRUE;
    if (HasPath)
        return FALSE;
    Found[0] = 0;

    /* Then PATH: folders separated by ';'. */
    RtlInitUnicodeString(&VariableName, L"PATH");
    Value.Buffer = PathValue;
    Value.Length = 0;
    Value.MaximumLength = sizeof(PathValue) - sizeof(WCHAR);
    if (!NT_SUCCESS(RtlQueryEnvironmentVariable_U(NULL, &VariableName, &Value)))
        return FALSE;
    PathValue[Value.Length / sizeof(WCHAR)] = 0;
    for (Scan = PathValue; *Scan != 0; ) {
        const WCHAR *End = Scan;

        while (*End != 0 && *End != L';')
            End++;
        if (End != Scan && ShMakeCandidate(Candidate, SH_PATH_CHARS, Scan, (ULONG)(End - Scan), Name, AddSuffix) &&
            ShFullPath(Candidate, Found, FoundChars) && ShIsFile(Found))
            return TRUE;
        Scan = *End == L';' ? End + 1 : End;
    }
    Found[0] = 0;
    return FALSE;
}

/*
 * Creates the process for DosImage with CommandLine, runs it and waits for it.
 * Every step is one NT call; a failure is printed with its status and undoes
 * what came before it.
 */
static void ShCreateAndWait(const WCHAR *DosImage, const WCHAR *CommandLine)
{
    SH_PROCESS_PARAMETERS *Parameters = NULL, *Own = ShParameters();
    RTL_USER_PROCESS_INFORMATION Info;
    PROCESS_BASIC_INFORMATION Basic;
    UNICODE_STRING NtImage, ImagePath, Command;
    NTSTATUS Status;

    /* 1. The NT name the object manager parses: "C:\x.exe" -> "\??\C:\x.exe". */
    if (!RtlDosPathNameToNtPathName_U(DosImage, &NtImage, NULL, NULL)) {
        ShError(DosImage, SH_STATUS_OBJECT_NAME_INVALID);
        return;
    }

    /* 2. The child's parameters. NULL DLL path, current directory and environment
          mean the creator's (this shell's: `cd` and `set` reach the child). */
    RtlInitUnicodeString(&ImagePath, DosImage);
    RtlInitUnicodeString(&Command, CommandLine);
    Status = RtlCreateProcessParametersEx(&Parameters, &ImagePath, NULL, NULL, &Command, NULL, NULL, NULL, NULL,
                                          NULL, RTL_USER_PROC_PARAMS_NORMALIZED);
    if (!NT_SUCCESS(Status)) {
        RtlFreeUnicodeString(&NtImage);
        ShError(DosImage, Status);
        return;
    }
    Parameters->StandardInput = Own->StandardInput;
    Parameters->StandardOutput = Own->StandardOutput;
    Parameters->StandardError = Own->StandardError;

    /* 3. The process and its first thread, suspended; InheritHandles = TRUE gives
          it the (inheritable) standard handles under the same values. */
    Status = RtlCreateUserProcess(&NtImage, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL, TRUE, NULL, NULL,
                                  &Info);
    RtlDestroyProcessParameters(Parameters);
    RtlFreeUnicodeString(&NtImage);
    if (!NT_SUCCESS(Status)) {
        ShError(DosImage, Status);
        return;
    }

    /* 4. Let it run - unless the image is a DLL, which maps as an image too:
          its DllMain would run as if it were a program's entry. kernel32's
          CreateProcess refuses it here, from the same NtQuerySection answer
          (ERROR_BAD_EXE_FORMAT), and so does the shell, ending the process it
          made suspended. 5. Wait for its end, then read its exit status. */
    if (Info.ImageInformation.ImageCharacteristics & IMAGE_FILE_DLL)
        Status = SH_STATUS_INVALID_IMAGE_FORMAT;
    else
        Status = NtResumeThread(Info.Thread, NULL);
    if (NT_SUCCESS(Status)) {
        Status = NtWaitForSingleObject(Info.Process, FALSE, NULL);
    } else {
        /* Another process's end is not immediate (its thread has to be run to
           its end): wait for it, so the prompt comes back with it gone, as it
           does after a program that ran. */
        NtTerminateProcess(Info.Process, Status);
        NtWaitForSingleObject(Info.Process, FALSE, NULL);
    }
    if (NT_SUCCESS(Status))
        Status = NtQueryInformationProcess(Info.Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    if (!NT_SUCCESS(Status)) {
        ShError(DosImage, Status);
    } else if (Basic.ExitStatus != SH_STATUS_SUCCESS) {
        const char *Name = ShStatusName(Basic.ExitStatus);

        ShPrint("[exit 0x%08lX%s%s]\r\n", (ULONG)Basic.ExitStatus, Name != NULL ? " " : "", Name != NULL ? Name : "");
    }
    NtClose(Info.Thread);
    NtClose(Info.Process);
}

void ShRunProgram(int Argc, WCHAR **Argv, const WCHAR *CommandLine)
{
    WCHAR Image[SH_PATH_CHARS];

    (void)Argc;
    /* Found, or a path that names nothing (the creation then says why). */
    if (ShFindProgram(Argv[0], Image, SH_PATH_CHARS) || Image[0] != 0)
        ShCreateAndWait(Image, CommandLine);
    else
        ShPrint("ntsh: %S: not a built-in command, nor a program in the current directory or PATH\r\n", Argv[0]);
}

/*
 * ntsh.c - ntsh, NTLab's native shell: a small cmd.exe for a system that has
 * nothing above ntdll.dll yet (no kernel32, no csrss). It is the program `make run`
 * lands in, and it is written to be read: every command is a short walk through
 * the NT native API.
 *
 * A line is read from standard input (NtReadFile on the handle in
 * PEB->ProcessParameters->StandardInput, which is \Device\Console in cooked mode:
 * the kernel echoes and edits the line and hands it over with its "\r\n"), split
 * into words (double quotes group), and then either a built-in command runs
 * (builtins.c: cd, dir, type, set, ps, modules, echo, help, exit) or a program does
 * (run.c). Running a program is the path kernel32's CreateProcess took in NT 5,
 * done by hand:
 *
 *   "hello a b"            the typed line; the first word names the program
 *      |  search (as cmd does): the current directory, then each folder of PATH,
 *      |  ".exe" appended to a name without an extension; NtQueryAttributesFile
 *      |  says whether a candidate exists
 *      v
 *   RtlDosPathNameToNtPathName_U   "C:\Windows\System32\hello.exe"
 *      |                            -> "\??\C:\Windows\System32\hello.exe"
 *      v
 *   RtlCreateProcessParametersEx   the child's RTL_USER_PROCESS_PARAMETERS: image
 *      |                            path, command line as typed, and (NULL = the
 *      |                            creator's) DLL path, current directory and
 *      |                            environment; the shell adds its standard
 *      |                            handles, which it made inheritable at start
 *      v
 *   RtlCreateUserProcess           ntdll opens the image, NtCreateSection(SEC_IMAGE),
 *      |                            NtCreateProcessEx (inheriting handles), copies
 *      |                            the parameters in, RtlCreateUserThread at the
 *      |                            entry point - suspended
 *      v
 *   NtResumeThread                 the thread runs: LdrInitializeThunk loads the
 *      |                            DLLs, runs DllMain, calls the entry point
 *      v
 *   NtWaitForSingleObject          on the process handle, until the process ends;
 *                                  NtQueryInformationProcess(ProcessBasicInformation)
 *                                  gives its exit status: "[exit 0x...]" unless 0
 *
 * Errors come back as NTSTATUS values and are printed with their names:
 *   ntsh: C:\nope.exe: STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)
 *
 * The shell is an ordinary native program: MinGW-w64's headers and import
 * libraries (libntdllcrt.a for _vsnprintf, libntdll.a), its own entry point, the
 * console subsystem. `exit` ends it, and with it the first process: what the
 * kernel does then is in the README.
 */
#include "ntsh.h"

ULONG ShLength(const WCHAR *Text)
{
    ULONG Length = 0;

    while (Text[Length] != 0)
        Length++;
    return Length;
}

static WCHAR ShUpcase(WCHAR Character)
{
    return (Character >= L'a' && Character <= L'z') ? (WCHAR)(Character - L'a' + L'A') : Character;
}

/* NT's names are case-insensitive (ASCII is all a typed line holds here). */
BOOLEAN ShEqualNoCase(const WCHAR *A, const WCHAR *B)
{
    while (*A != 0 && ShUpcase(*A) == ShUpcase(*B)) {
        A++;
        B++;
    }
    return ShUpcase(*A) == ShUpcase(*B);
}

/*
 * One line from standard input, without its "\r\n" and trailing blanks, widened
 * to UTF-16 (the console gives bytes; NT's names are UTF-16). A cooked console
 * read returns at most one line, but a line longer than the buffer comes in
 * pieces: read until the '\n'. Returns the read's failure (the handle is gone,
 * say), STATUS_END_OF_FILE when a read returns nothing (input that is a file
 * has ended), or success.
 */
static NTSTATUS ShReadLine(WCHAR *Line, ULONG Size)
{
    HANDLE Input = ShParameters()->StandardInput;
    ULONG Used = 0;

    for (;;) {
        IO_STATUS_BLOCK Iosb;
        CHAR Bytes[SH_LINE_CHARS];
        NTSTATUS Status;
        ULONG Index;

        Status = NtReadFile(Input, NULL, NULL, NULL, &Iosb, Bytes, sizeof(Bytes), NULL, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
        if (Iosb.Information == 0)
            return SH_STATUS_END_OF_FILE;
        for (Index = 0; Index < Iosb.Information; Index++) {
            UCHAR Byte = (UCHAR)Bytes[Index];

            if (Byte == '\n') {
                while (Used != 0 && (Line[Used - 1] == L' ' || Line[Used - 1] == L'\t'))
                    Used--;
                Line[Used] = 0;
                return SH_STATUS_SUCCESS;
            }
            if (Byte != '\r' && Used + 1 < Size)
                Line[Used++] = Byte;        /* Latin-1 to UTF-16: the same values */
        }
    }
}

/*
 * Splits Line in place into words at spaces and tabs; "double quotes" group
 * spaces into a word and are taken out (a path with spaces: cd "C:\My Files").
 * Returns the number of words; Argv[i] point into Line.
 */
static int ShSplit(WCHAR *Line, WCHAR **Argv, int Max)
{
    WCHAR *Read = Line, *Write;
    int Argc = 0;

    for (;;) {
        BOOLEAN Quoted = FALSE;

        while (*Read == L' ' || *Read == L'\t')
            Read++;
        if (*Read == 0 || Argc == Max)
            return Argc;
        Argv[Argc++] = Write = Read;
        while (*Read != 0 && (Quoted || (*Read != L' ' && *Read != L'\t'))) {
            if (*Read == L'"')
                Quoted = !Quoted;
            else
                *Write++ = *Read;
            Read++;
        }
        if (*Read != 0)
            Read++;
        *Write = 0;
    }
}

/* The prompt is the current directory, as cmd's default ($P$G). */
static void ShPrompt(void)
{
    WCHAR Directory[SH_PATH_CHARS];
    ULONG Bytes = RtlGetCurrentDirectory_U(sizeof(Directory), Directory);

    if (Bytes == 0 || Bytes >= sizeof(Directory))
        ShPrint(">");
    else
        ShPrint("%S>", Directory);
}

/* The text after the first word of Line (for `echo` and `set`, which keep spaces). */
static const WCHAR *ShAfterFirstWord(const WCHAR *Line)
{
    BOOLEAN Quoted = FALSE;

    while (*Line == L' ' || *Line == L'\t')
        Line++;
    while (*Line != 0 && (Quoted || (*Line != L' ' && *Line != L'\t'))) {
        if (*Line == L'"')
            Quoted = !Quoted;
        Line++;
    }
    if (*Line != 0)
        Line++;         /* one separator: `echo  x` prints " x", as cmd does */
    return Line;
}

/* The child's standard handles are the shell's own, passed on by inheritance:
   the handles the kernel gave this process are made inheritable once, here, and
   every child is created with InheritHandles (NT: what cmd.exe's
   CreateProcess(bInheritHandles = TRUE) relies on). */
static void ShMakeStandardHandlesInheritable(void)
{
    SH_PROCESS_PARAMETERS *Parameters = ShParameters();
    HANDLE Handles[3] = { Parameters->StandardInput, Parameters->StandardOutput, Parameters->StandardError };
    SH_OBJECT_HANDLE_FLAG_INFORMATION Flags = { TRUE, FALSE };
    int Index;

    for (Index = 0; Index < 3; Index++) {
        if (Handles[Index] != NULL)
            NtSetInformationObject(Handles[Index], SH_OBJECT_HANDLE_FLAG_CLASS, &Flags, sizeof(Flags));
    }
}

/* The entry point (-e): the PEB's address comes as the argument. */
ULONG NTAPI NtshStart(PVOID Peb)
{
    WCHAR Line[SH_LINE_CHARS], Copy[SH_LINE_CHARS];
    WCHAR *Argv[SH_MAX_ARGS];

    (void)Peb;
    ShMakeStandardHandlesInheritable();
    ShPrint("ntsh: the NTLab native shell. Type help for its commands.\r\n");

    while (!ShExitRequested) {
        NTSTATUS Status;
        ULONG Length;
        int Argc;

        ShPrompt();
        Status = ShReadLine(Line, SH_LINE_CHARS);
        if (Status == SH_STATUS_END_OF_FILE) {
            ShPrint("\r\n");
            break;
        }
        if (!NT_SUCCESS(Status)) {
            ShError(L"standard input", Status);
            break;
        }
        /* Split a copy: the programs get the line as typed. */
        Length = ShLength(Line);
        memcpy(Copy, Line, (Length + 1) * sizeof(WCHAR));
        Argc = ShSplit(Copy, Argv, SH_MAX_ARGS);
        if (Argc == 0)
            continue;
        if (!ShRunBuiltin(Argc, Argv, ShAfterFirstWord(Line)))
            ShRunProgram(Argc, Argv, Line);
    }
    /* NT's way out of a process: the loader's DLL_PROCESS_DETACH, then the end. */
    RtlExitUserProcess(ShExitStatus);
    return 0;
}

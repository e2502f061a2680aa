/*
 * builtins.c - the commands ntsh runs itself, each a few native calls:
 *
 *   cd [DIR]          RtlSetCurrentDirectory_U / RtlGetCurrentDirectory_U
 *   dir [DIR][\PAT]   NtOpenFile(FILE_DIRECTORY_FILE) + NtQueryDirectoryFile
 *                     (FileDirectoryInformation), a pattern such as *.exe
 *   type FILE         NtOpenFile + NtReadFile, the bytes to standard output
 *   set [NAME[=VAL]]  the environment block (PEB->ProcessParameters->Environment),
 *                     RtlSetEnvironmentVariable
 *   ps                NtQuerySystemInformation(SystemProcessInformation)
 *   modules           the loader's list, PEB->Ldr->InLoadOrderModuleList
 *   echo, help, exit
 */
#include "ntsh.h"

BOOLEAN ShExitRequested;
NTSTATUS ShExitStatus;

/* NT's SystemProcessInformation class number (winternl.h's enum has it too). */
#define SH_SYSTEM_PROCESS_INFORMATION 5
#define SH_DIR_BUFFER 2048

/* Opens DosPath (relative to the current directory) with Access and Options. */
static NTSTATUS ShOpen(const WCHAR *DosPath, ACCESS_MASK Access, ULONG Options, HANDLE *Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;
    UNICODE_STRING NtPath;
    NTSTATUS Status;

    if (!RtlDosPathNameToNtPathName_U(DosPath, &NtPath, NULL, NULL))
        return SH_STATUS_OBJECT_NAME_INVALID;
    InitializeObjectAttributes(&Attributes, &NtPath, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtOpenFile(Handle, Access | SYNCHRONIZE, &Attributes, &Iosb, FILE_SHARE_READ | FILE_SHARE_WRITE,
                        Options | FILE_SYNCHRONOUS_IO_NONALERT);
    RtlFreeUnicodeString(&NtPath);
    return Status;
}

/* cd takes the rest of the line, as cmd does (cd C:\Program Files needs no
   quotes); quotes around it and spaces after it are dropped. */
static void ShCd(int Argc, const WCHAR *Rest)
{
    WCHAR Directory[SH_PATH_CHARS];
    UNICODE_STRING Path;
    ULONG Length;
    NTSTATUS Status;

    if (Argc < 2) {
        if (RtlGetCurrentDirectory_U(sizeof(Directory), Directory) < sizeof(Directory))
            ShPrint("%S\r\n", Directory);
        return;
    }
    if (*Rest == L'"')
        Rest++;
    for (Length = 0; Rest[Length] != 0 && Length < SH_PATH_CHARS - 1; Length++)
        Directory[Length] = Rest[Length];
    while (Length > 0 && (Directory[Length - 1] == L' ' || Directory[Length - 1] == L'"'))
        Length--;
    Directory[Length] = 0;
    /* ntdll checks that the folder exists and keeps a handle to it (CURDIR). */
    RtlInitUnicodeString(&Path, Directory);
    Status = RtlSetCurrentDirectory_U(&Path);
    if (!NT_SUCCESS(Status))
        ShError(Directory, Status);
}

/*
 * dir's first columns, as cmd prints them ("11/21/2026  04:43 PM"): the last write
 * time, which FAT keeps in local time and the system shows as it is (there are no
 * time zones here). A time FAT could not hold (0: never set) leaves them blank.
 */
static void ShPrintTime(LARGE_INTEGER *Time)
{
    SH_TIME_FIELDS Fields;
    int Hour12;

    if (Time->QuadPart == 0) {
        ShPrint("%20s", "");
        return;
    }
    RtlTimeToTimeFields(Time, &Fields);
    Hour12 = Fields.Hour % 12 == 0 ? 12 : Fields.Hour % 12;
    ShPrint("%02d/%02d/%04d  %02d:%02d %s", Fields.Month, Fields.Day, Fields.Year, Hour12, Fields.Minute,
            Fields.Hour < 12 ? "AM" : "PM");
}

/*
 * dir: the folder (or the current directory) and, when the last part of the
 * argument has * or ?, the pattern the file system matches names against.
 */
static void ShDir(int Argc, WCHAR **Argv)
{
    WCHAR Folder[SH_PATH_CHARS], Full[SH_PATH_CHARS], PatternText[SH_PATH_CHARS];
    /* Static: a page of stack would need stack probes (__chkstk), and the shell
       has one thread. ULONGs: the entries are ULONG-aligned. */
    static ULONG Buffer[SH_DIR_BUFFER / sizeof(ULONG)];
    UNICODE_STRING Pattern, *PatternPointer = NULL;
    ULONG Files = 0, Folders = 0, Length;
    ULONGLONG Bytes = 0;
    BOOLEAN First = TRUE;
    HANDLE Handle;
    NTSTATUS Status;
    WCHAR *Last;

    Length = Argc >= 2 ? ShLength(Argv[1]) : 1;
    if (Length + 1 > SH_PATH_CHARS) {
        ShError(Argv[1], SH_STATUS_NAME_TOO_LONG);
        return;
    }
    memcpy(Folder, Argc >= 2 ? Argv[1] : L".", (Length + 1) * sizeof(WCHAR));
    /* The last part: after the last '\', or after "C:". */
    Last = wcsrchr(Folder, L'\\');
    Last = Last != NULL ? Last + 1 : (Folder[0] != 0 && Folder[1] == L':' ? Folder + 2 : Folder);
    if (wcschr(Last, L'*') != NULL || wcschr(Last, L'?') != NULL) {
        wcscpy(PatternText, Last);
        RtlInitUnicodeString(&Pattern, PatternText);
        PatternPointer = &Pattern;
        /* The pattern's folder is what comes before it ("" is the current one). */
        if (Last == Folder)
            wcscpy(Folder, L".");
        else
            *Last = 0;
    }
    Length = RtlGetFullPathName_U(Folder, sizeof(Full), Full, NULL) / sizeof(WCHAR);
    if (Length >= SH_PATH_CHARS)
        Length = Full[0] = 0;
    if (Length > 3 && Full[Length - 1] == L'\\')
        Full[Length - 1] = 0;          /* "C:\x\" is shown as "C:\x", the root as "C:\" */

    Status = ShOpen(Folder, FILE_LIST_DIRECTORY, FILE_DIRECTORY_FILE, &Handle);
    if (!NT_SUCCESS(Status)) {
        ShError(Folder, Status);
        return;
    }
    ShPrint(" Directory of %S\r\n\r\n", Full);
    for (;;) {
        FILE_DIRECTORY_INFORMATION *Entry = (FILE_DIRECTORY_INFORMATION *)Buffer;
        IO_STATUS_BLOCK Iosb;

        /* Each call fills the buffer with as many entries as fit, chained by
           NextEntryOffset; the pattern is given on the first call only. */
        Status = NtQueryDirectoryFile(Handle, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer),
                                      FileDirectoryInformation, FALSE, First ? PatternPointer : NULL, First);
        First = FALSE;
        if (!NT_SUCCESS(Status))
            break;
        for (;;) {
            WCHAR Name[SH_PATH_CHARS];
            ULONG Chars = Entry->FileNameLength / sizeof(WCHAR);

            if (Chars >= SH_PATH_CHARS)
                Chars = SH_PATH_CHARS - 1;
            memcpy(Name, Entry->FileName, Chars * sizeof(WCHAR));
            Name[Chars] = 0;
            ShPrintTime(&Entry->LastWriteTime);
            if (Entry->FileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
                ShPrint("    <DIR>          %S\r\n", Name);
                Folders++;
            } else {
                ShPrint("    %14I64u %S\r\n", (ULONGLONG)Entry->EndOfFile.QuadPart, Name);
                Files++;
                Bytes += Entry->EndOfFile.QuadPart;
            }
            if (Entry->NextEntryOffset == 0)
                break;
            Entry = (FILE_DIRECTORY_INFORMATION *)((PUCHAR)Entry + Entry->NextEntryOffset);
        }
    }
    NtClose(Handle);
    /* The end of the listing is STATUS_NO_MORE_FILES (a warning, not an error);
       nothing matching at all is STATUS_NO_SUCH_FILE. */
    if (Status != SH_STATUS_NO_MORE_FILES && !(Files == 0 && Folders == 0 && !NT_SUCCESS(Status)))
        ShError(Folder, Status);
    ShPrint("    %lu file(s), %I64u bytes; %lu dir(s)\r\n", Files, Bytes, Folders);
}

static void ShType(int Argc, WCHAR **Argv)
{
    CHAR Bytes[512], Last = '\n';
    HANDLE Handle;
    NTSTATUS Status;

    if (Argc < 2) {
        ShPrint("usage: type FILE\r\n");
        return;
    }
    Status = ShOpen(Argv[1], FILE_READ_DATA, FILE_NON_DIRECTORY_FILE, &Handle);
    if (!NT_SUCCESS(Status)) {
        ShError(Argv[1], Status);
        return;
    }
    /* Synchronous reads from the current position, until STATUS_END_OF_FILE. */
    for (;;) {
        IO_STATUS_BLOCK Iosb;
        ULONG Index;

        Status = NtReadFile(Handle, NULL, NULL, NULL, &Iosb, Bytes, sizeof(Bytes), NULL, NULL);
        if (!NT_SUCCESS(Status) || Iosb.Information == 0)
            break;
        /* Text goes out as it is; control codes other than tab and line ends are
           terminal commands (ESC sequences clear or reprogram the user's terminal),
           so a binary file's are shown as '.', as the console drops them from a
           typed line. */
        for (Index = 0; Index < Iosb.Information; Index++) {
            UCHAR Byte = (UCHAR)Bytes[Index];

            if ((Byte < ' ' && Byte != '\t' && Byte != '\r' && Byte != '\n') || Byte == 0x7F)
                Bytes[Index] = '.';
        }
        ShWrite(Bytes, (ULONG)Iosb.Information);
        Last = Bytes[Iosb.Information - 1];
    }
    NtClose(Handle);
    if (!NT_SUCCESS(Status) && Status != SH_STATUS_END_OF_FILE)
        ShError(Argv[1], Status);
    /* The prompt begins a line of its own even when the file's last line has no
       end (cmd prints a blank line before every prompt instead). */
    if (Last != '\n')
        ShPrint("\r\n");
}

/*
 * set: the environment is a block of "NAME=value\0" strings ending in an empty
 * one, at PEB->ProcessParameters->Environment; RtlSetEnvironmentVariable(NULL,
 * ...) changes the process's own (and may move it, under the PEB lock). The
 * children get a copy (RtlCreateProcessParametersEx with a NULL environment).
 */
static void ShSet(int Argc, const WCHAR *Rest)
{
    WCHAR Unquoted[SH_LINE_CHARS];
    const WCHAR *Equals, *Variable;
    UNICODE_STRING Name, Value;
    NTSTATUS Status;

    /* cmd's quoted form, set "NAME=a value": the quotes are not part of the name
       or the value, and anything after the closing one is ignored. */
    if (Rest[0] == L'"') {
        WCHAR *Close;

        wcscpy(Unquoted, Rest + 1);     /* Rest is a part of a line: it fits */
        Close = wcsrchr(Unquoted, L'"');
        if (Close != NULL)
            *Close = 0;
        Rest = Unquoted;
    }
    Equals = wcschr(Rest, L'=');
    if (Argc < 2 || Equals == NULL) {
        ULONG PrefixChars = Argc < 2 ? 0 : ShLength(Rest);
        BOOLEAN Any = FALSE;

        /* Every variable, or those whose names begin with the argument (cmd's rule). */
        for (Variable = ShParameters()->Environment; Variable != NULL && *Variable != 0;
             Variable += ShLength(Variable) + 1) {
            if (PrefixChars == 0 || _wcsnicmp(Variable, Rest, PrefixChars) == 0) {
                ShPrint("%S\r\n", Variable);
                Any = TRUE;
            }
        }
        if (!Any)
            ShPrint("ntsh: environment variable %S not defined\r\n", Rest);
        return;
    }
    Name.Buffer = (PWSTR)Rest;
    Name.Length = Name.MaximumLength = (USHORT)((Equals - Rest) * sizeof(WCHAR));
    RtlInitUnicodeString(&Value, Equals + 1);
    /* "set NAME=" deletes it: a NULL value. */
    Status = RtlSetEnvironmentVariable(NULL, &Name, Value.Length != 0 ? &Value : NULL);
    if (!NT_SUCCESS(Status))
        ShError(Rest, Status);
}

/*
 * ps: the task list. The size is not known beforehand: ask, and when the answer
 * is STATUS_INFO_LENGTH_MISMATCH, ask again with the size it says it needs
 * (processes may have come meanwhile: some room to spare).
 */
static void ShPs(void)
{
    SYSTEM_PROCESS_INFORMATION *Process;
    SIZE_T Size = 8192;
    PVOID Buffer = NULL;
    ULONG Needed = 0;
    NTSTATUS Status;

    for (;;) {
        SIZE_T Free = 0;

        Buffer = NULL;
        Status = NtAllocateVirtualMemory(NtCurrentProcess(), &Buffer, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                         PAGE_READWRITE);
        if (!NT_SUCCESS(Status))
            break;
        Status = NtQuerySystemInformation(SH_SYSTEM_PROCESS_INFORMATION, Buffer, (ULONG)Size, &Needed);
        if (Status != SH_STATUS_INFO_LENGTH_MISMATCH)
            break;
        NtFreeVirtualMemory(NtCurrentProcess(), &Buffer, &Free, MEM_RELEASE);
        Size = Needed + 4096;
    }
    if (!NT_SUCCESS(Status)) {
        ShError(L"NtQuerySystemInformation", Status);
    } else {
        /* HANDLES and PRIVATE (committed private memory: the heap, stacks, ...) are
           the two numbers that grow when a program leaks. */
        ShPrint("  PID  PPID  THREADS  HANDLES  PRIVATE  IMAGE\r\n");
        for (Process = Buffer;; Process = (SYSTEM_PROCESS_INFORMATION *)((PUCHAR)Process + Process->NextEntryOffset)) {
            WCHAR Name[64];
            ULONG Chars = Process->ImageName.Length / sizeof(WCHAR);

            if (Chars >= 64)
                Chars = 63;
            memcpy(Name, Process->ImageName.Buffer, Chars * sizeof(WCHAR));
            Name[Chars] = 0;
            /* The idle process (ID 0) has no name, as in NT's task list. */
            ShPrint("%5lu %5lu %8lu %8lu %7luK  %S\r\n", (ULONG)(ULONG_PTR)Process->UniqueProcessId,
                    (ULONG)(ULONG_PTR)Process->InheritedFromUniqueProcessId, Process->NumberOfThreads,
                    Process->HandleCount, (ULONG)(Process->PrivatePageCount / 1024),
                    Chars != 0 ? Name : L"[Idle]");
            if (Process->NextEntryOffset == 0)
                break;
        }
    }
    if (Buffer != NULL) {
        SIZE_T Free = 0;

        NtFreeVirtualMemory(NtCurrentProcess(), &Buffer, &Free, MEM_RELEASE);
    }
}

/* The loader's entry for a module (NT's LDR_DATA_TABLE_ENTRY, its first fields). */
typedef struct _SH_LDR_ENTRY {
    LIST_ENTRY InLoadOrderLinks;
    LIST_ENTRY InMemoryOrderLinks;
    LIST_ENTRY InInitializationOrderLinks;
    PVOID DllBase;
    PVOID EntryPoint;
    ULONG SizeOfImage;
    UNICODE_STRING FullDllName;
    UNICODE_STRING BaseDllName;
} SH_LDR_ENTRY;

/* PEB_LDR_DATA: Length, Initialized, SsHandle, then the three lists. */
typedef struct _SH_LDR_DATA {
    ULONG Length;
    BOOLEAN Initialized;
    PVOID SsHandle;
    LIST_ENTRY InLoadOrderModuleList;
} SH_LDR_DATA;

/* modules: the shell's own modules, as its loader keeps them (the exe first). */
static void ShModules(void)
{
    SH_LDR_DATA *Ldr = (SH_LDR_DATA *)NtCurrentTeb()->ProcessEnvironmentBlock->Ldr;
    LIST_ENTRY *Link;

    ShPrint("  BASE      SIZE      PATH\r\n");
    for (Link = Ldr->InLoadOrderModuleList.Flink; Link != &Ldr->InLoadOrderModuleList; Link = Link->Flink) {
        SH_LDR_ENTRY *Entry = CONTAINING_RECORD(Link, SH_LDR_ENTRY, InLoadOrderLinks);

        WCHAR Path[SH_PATH_CHARS];
        ULONG Chars = Entry->FullDllName.Length / sizeof(WCHAR);

        if (Chars >= SH_PATH_CHARS)
            Chars = SH_PATH_CHARS - 1;
        memcpy(Path, Entry->FullDllName.Buffer, Chars * sizeof(WCHAR));
        Path[Chars] = 0;
        ShPrint("  %08lX  %08lX  %S\r\n", (ULONG)(ULONG_PTR)Entry->DllBase, Entry->SizeOfImage, Path);
    }
}

static void ShHelp(void)
{
    ShPrint("Built-in commands:\r\n"
            "  cd [DIR]            show or change the current directory\r\n"
            "  dir [DIR][\\*.EXT]   list a directory (times, sizes, <DIR>)\r\n"
            "  type FILE           print a file\r\n"
            "  set [NAME[=VALUE]]  show the environment, or set (NAME=) / delete a variable\r\n"
            "  ps                  the processes (ID, parent, threads, handles, memory)\r\n"
            "  modules             the DLLs loaded in this shell\r\n"
            "  echo TEXT           print TEXT\r\n"
            "  help                this list\r\n"
            "  exit [STATUS]       leave the shell\r\n"
            "Anything else runs a program: PROGRAM [ARGUMENTS], looked for in the current\r\n"
            "directory, then in PATH, with .exe added. Try: hello, fault, dir C:\\Windows\r\n");
}

/* A number as C writes it: 0x1F, 31, -1. FALSE for anything else (a typo must
   not end the session with a status nobody asked for) or more than 32 bits. */
static BOOLEAN ShParseNumber(const WCHAR *Text, NTSTATUS *Number)
{
    ULONGLONG Value = 0;
    ULONG Base = 10;
    BOOLEAN Negative = FALSE;

    if (Text[0] == L'-') {
        Negative = TRUE;
        Text++;
    } else if (Text[0] == L'0' && (Text[1] == L'x' || Text[1] == L'X')) {
        Base = 16;
        Text += 2;
    }
    if (*Text == 0)
        return FALSE;
    for (; *Text != 0; Text++) {
        WCHAR Digit = *Text;
        ULONG DigitValue = Digit >= L'0' && Digit <= L'9'   ? (ULONG)(Digit - L'0')
                           : Digit >= L'a' && Digit <= L'f' ? (ULONG)(Digit - L'a' + 10)
                           : Digit >= L'A' && Digit <= L'F' ? (ULONG)(Digit - L'A' + 10)
                                                             : 99;
        if (DigitValue >= Base)
            return FALSE;
        Value = Value * Base + DigitValue;
        if (Value > (Negative ? 0x80000000ULL : 0xFFFFFFFFULL))
            return FALSE;
    }
    *Number = (NTSTATUS)(Negative ? 0 - (ULONG)Value : (ULONG)Value);
    return TRUE;
}

BOOLEAN ShRunBuiltin(int Argc, WCHAR **Argv, const WCHAR *Rest)
{
    const WCHAR *Command = Argv[0];

    if (ShEqualNoCase(Command, L"cd") || ShEqualNoCase(Command, L"chdir"))
        ShCd(Argc, Rest);
    else if (ShEqualNoCase(Command, L"dir"))
        ShDir(Argc, Argv);
    else if (ShEqualNoCase(Command, L"type"))
        ShType(Argc, Argv);
    else if (ShEqualNoCase(Command, L"set"))
        ShSet(Argc, Rest);
    else if (ShEqualNoCase(Command, L"ps"))
        ShPs();
    else if (ShEqualNoCase(Command, L"modules"))
        ShModules();
    else if (ShEqualNoCase(Command, L"echo"))
        ShPrint("%S\r\n", Rest);
    else if (ShEqualNoCase(Command, L"help") || ShEqualNoCase(Command, L"?"))
        ShHelp();
    else if (ShEqualNoCase(Command, L"exit")) {
        ShExitStatus = SH_STATUS_SUCCESS;
        if (Argc < 2 || ShParseNumber(Argv[1], &ShExitStatus))
            ShExitRequested = TRUE;
        else
            ShPrint("ntsh: exit: %S is not a number (exit 42, exit 0x2A)\r\n", Argv[1]);
    } else
        return FALSE;
    return TRUE;
}

/*
 * ldrmap.c - finding a DLL and mapping it (NT: LdrpMapDll, LdrpResolveDllName,
 * LdrpAllocateDataTableEntry, LdrpInsertMemoryTableEntry).
 *
 * A name without a backslash is looked for in each directory of the search path
 * in turn (the application's folder, System32, the Windows folder, PATH: see
 * ldrinit.c); the first file that opens is the DLL. A name without an extension
 * gets ".dll", path or not, as NT adds it ("NAME." means NAME, no extension).
 * LdrpFindModule matches a bare name against the loaded modules' base names
 * ("LDRA" and "ldra.dll" are one module) and a path against their full names, so
 * "C:\Windows\System32\x.dll" is not taken for a loaded "C:\Tests\x.dll".
 *
 * The kernel maps the image (NtCreateSection(SEC_IMAGE) checks it,
 * NtMapViewOfSection places it) and, as NT 6 does, relocates it when its preferred
 * base is taken (STATUS_IMAGE_NOT_AT_BASE): the loader only notes that.
 */
#include "ldrp.h"

#define LDRP_MAX_PATH 300

PIMAGE_NT_HEADERS32 LdrpNtHeader(PVOID Base)
{
    return (PIMAGE_NT_HEADERS32)((PUCHAR)Base + ((PIMAGE_DOS_HEADER)Base)->e_lfanew);
}

PVOID LdrpDirectory(PVOID Base, ULONG Index, PULONG Size)
{
    PIMAGE_NT_HEADERS32 Nt = LdrpNtHeader(Base);

    if (Index >= Nt->OptionalHeader.NumberOfRvaAndSizes || Nt->OptionalHeader.DataDirectory[Index].VirtualAddress == 0)
        return NULL;
    *Size = Nt->OptionalHeader.DataDirectory[Index].Size;
    return (PUCHAR)Base + Nt->OptionalHeader.DataDirectory[Index].VirtualAddress;
}

BOOLEAN LdrpArrayInImage(PVOID Base, ULONG Rva, ULONG Count, ULONG ElementSize)
{
    ULONG Image = LdrpNtHeader(Base)->OptionalHeader.SizeOfImage;

    /* Count first: Count * ElementSize must not wrap. */
    return Rva <= Image && Count <= (Image - Rva) / ElementSize;
}

BOOLEAN LdrpStringInImage(PVOID Base, ULONG Rva, PULONG Length)
{
    ULONG Image = LdrpNtHeader(Base)->OptionalHeader.SizeOfImage, Index;
    PCSTR String = (PCSTR)Base + Rva;

    for (Index = 0; Rva < Image && Index < Image - Rva; Index++)
        if (String[Index] == 0) {
            *Length = Index;
            return TRUE;
        }
    return FALSE;
}

/* Where the base name starts: after the last '\' (or '/', or a drive's ':'). */
static ULONG LdrpBaseNameOffset(PCWSTR Name, ULONG Length)
{
    ULONG Index, Start = 0;

    for (Index = 0; Index < Length; Index++)
        if (Name[Index] == '\\' || Name[Index] == '/' || Name[Index] == ':')
            Start = Index + 1;
    return Start;
}

/*
 * Name as the module list spells it: ".dll" added when its base name has no
 * extension (a '.' in a folder's name is none), a trailing '.' dropped.
 */
static ULONG LdrpNormalizeName(PCWSTR Name, ULONG Length, PWSTR Out, ULONG Capacity)
{
    static const WCHAR Dll[] = u".dll";
    ULONG Start = LdrpBaseNameOffset(Name, Length), Used, Index;
    BOOLEAN Dot = FALSE;

    Used = LdrpAppend(Out, 0, Capacity, Name, Length);
    if (Used >= Capacity)
        return Capacity;
    for (Index = Start; Index < Used; Index++)
        Dot |= Out[Index] == '.';
    if (!Dot)
        Used = LdrpAppend(Out, Used, Capacity, Dll, 4);
    else if (Used > Start && Out[Used - 1] == '.')
        Out[--Used] = 0;               /* "NAME." means exactly NAME, no extension */
    return Used;
}

PLDRP_MODULE LdrpCreateModule(PVOID Base, PCWSTR FullName, ULONG Length)
{
    PIMAGE_NT_HEADERS32 Nt = LdrpNtHeader(Base);
    PLDRP_MODULE Module = LdrpAllocate(sizeof(LDRP_MODULE) + (Length + 1) * sizeof(WCHAR));
    ULONG Start;

    if (Module == NULL)
        return NULL;
    LdrpAppend(Module->Name, 0, Length + 1, FullName, Length);
    Start = LdrpBaseNameOffset(FullName, Length);
    Module->Entry.DllBase = Base;
    Module->Entry.SizeOfImage = Nt->OptionalHeader.SizeOfImage;
    Module->Entry.EntryPoint = Nt->OptionalHeader.AddressOfEntryPoint != 0 ?
        (PUCHAR)Base + Nt->OptionalHeader.AddressOfEntryPoint : NULL;
    Module->Entry.TimeDateStamp = Nt->FileHeader.TimeDateStamp;
    Module->Entry.FullDllName.Buffer = Module->Name;
    Module->Entry.FullDllName.Length = (USHORT)(Length * sizeof(WCHAR));
    Module->Entry.FullDllName.MaximumLength = (USHORT)((Length + 1) * sizeof(WCHAR));
    Module->Entry.BaseDllName.Buffer = Module->Name + Start;
    Module->Entry.BaseDllName.Length = (USHORT)((Length - Start) * sizeof(WCHAR));
    Module->Entry.BaseDllName.MaximumLength = (USHORT)((Length - Start + 1) * sizeof(WCHAR));
    if (Nt->FileHeader.Characteristics & IMAGE_FILE_DLL)
        Module->Entry.Flags |= LDRP_IMAGE_DLL;
    Module->Entry.TlsIndex = 0xFFFF;
    InitializeListHead(&Module->Entry.HashLinks);
    InitializeListHead(&Module->Entry.InInitializationOrderLinks);
    return Module;
}

/* Into the load-order list (at the end) and the memory-order list (by address). */
VOID LdrpInsertModule(PLDRP_MODULE Module)
{
    PLIST_ENTRY Link;

    InsertTailList(&LdrpData.InLoadOrderModuleList, &Module->Entry.InLoadOrderLinks);
    for (Link = LdrpData.InMemoryOrderModuleList.Flink; Link != &LdrpData.InMemoryOrderModuleList;
         Link = Link->Flink)
        if ((ULONG_PTR)LDRP_MODULE_OF(Link, InMemoryOrderLinks)->Entry.DllBase > (ULONG_PTR)Module->Entry.DllBase)
            break;
    InsertTailList(Link, &Module->Entry.InMemoryOrderLinks);   /* before Link */
}

PLDRP_MODULE LdrpFindModule(PCWSTR Name, ULONG Length)
{
    WCHAR Wanted[LDRP_MAX_PATH];
    ULONG WantedLength = LdrpNormalizeName(Name, Length, Wanted, LDRP_MAX_PATH);
    BOOLEAN Path = LdrpBaseNameOffset(Name, Length) != 0;
    PLIST_ENTRY Link;

    if (WantedLength >= LDRP_MAX_PATH)
        return NULL;
    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InLoadOrderLinks);
        PUNICODE_STRING Known = Path ? &Module->Entry.FullDllName : &Module->Entry.BaseDllName;

        if (!(Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS) &&
            LdrpEqualWide(Known->Buffer, Known->Length / sizeof(WCHAR), Wanted, WantedLength))
            return Module;
    }
    return NULL;
}

PLDRP_MODULE LdrpFindModuleByBase(PVOID Base)
{
    PLIST_ENTRY Link;

    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InLoadOrderLinks);
        if (Module->Entry.DllBase == Base)
            return Module;
    }
    return NULL;
}

/* Opens "\??\" Path; STATUS_OBJECT_NAME_NOT_FOUND and the like mean "try the next". */
static NTSTATUS LdrpOpenImage(PCWSTR Path, ULONG Length, PHANDLE File)
{
    WCHAR NtPath[LDRP_MAX_PATH + 8];
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes = { sizeof(Attributes), NULL, &Name, OBJ_CASE_INSENSITIVE, NULL, NULL };
    IO_STATUS_BLOCK IoStatus;
    ULONG Used;

    Used = LdrpAppend(NtPath, 0, LDRP_MAX_PATH + 8, u"\\??\\", 4);
    Used = LdrpAppend(NtPath, Used, LDRP_MAX_PATH + 8, Path, Length);
    if (Used >= LDRP_MAX_PATH + 8)
        return STATUS_OBJECT_NAME_INVALID;
    Name.Buffer = NtPath;
    Name.Length = (USHORT)(Used * sizeof(WCHAR));
    Name.MaximumLength = Name.Length + sizeof(WCHAR);
    return NtOpenFile(File, SYNCHRONIZE | FILE_EXECUTE | FILE_READ_DATA, &Attributes, &IoStatus,
                      FILE_SHARE_READ | FILE_SHARE_DELETE, FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
}

static BOOLEAN LdrpNotThere(NTSTATUS Status)
{
    return Status == STATUS_OBJECT_NAME_NOT_FOUND || Status == STATUS_OBJECT_PATH_NOT_FOUND ||
           Status == STATUS_NO_SUCH_FILE || Status == STATUS_OBJECT_NAME_INVALID ||
           Status == STATUS_OBJECT_PATH_SYNTAX_BAD || Status == STATUS_OBJECT_PATH_INVALID;
}

/*
 * Finds the file: Name itself when it is a path (has a '\'), else Name in each
 * directory of SearchPath. Path receives the DOS path that opened.
 */
static NTSTATUS LdrpSearch(PCWSTR SearchPath, PCWSTR Name, ULONG Length, PWSTR Path, PULONG PathLength,
                           PHANDLE File)
{
    WCHAR Base[LDRP_MAX_PATH];
    ULONG BaseLength, Used;
    NTSTATUS Status;
    PCWSTR Directory, End;

    if (LdrpBaseNameOffset(Name, Length) != 0) {
        Used = LdrpNormalizeName(Name, Length, Path, LDRP_MAX_PATH);
        Status = Used < LDRP_MAX_PATH ? LdrpOpenImage(Path, Used, File) : STATUS_OBJECT_NAME_INVALID;
        *PathLength = Used;
        return LdrpNotThere(Status) ? STATUS_DLL_NOT_FOUND : Status;
    }
    BaseLength = LdrpNormalizeName(Name, Length, Base, LDRP_MAX_PATH);
    if (BaseLength >= LDRP_MAX_PATH)
        return STATUS_DLL_NOT_FOUND;
    for (Directory = SearchPath; Directory != NULL && *Directory != 0; Directory = *End ? End + 1 : End) {
        for (End = Directory; *End != 0 && *End != ';'; End++)
            ;
        if (End == Directory)
            continue;
        Used = LdrpAppend(Path, 0, LDRP_MAX_PATH, Directory, (ULONG)(End - Directory));
        if (Used != 0 && Used < LDRP_MAX_PATH && Path[Used - 1] != '\\')
            Used = LdrpAppend(Path, Used, LDRP_MAX_PATH, u"\\", 1);
        Used = LdrpAppend(Path, Used, LDRP_MAX_PATH, Base, BaseLength);
        if (Used >= LDRP_MAX_PATH)
            continue;
        Status = LdrpOpenImage(Path, Used, File);
        if (NT_SUCCESS(Status)) {
            *PathLength = Used;
            return Status;
        }
        if (!LdrpNotThere(Status))
            return Status;
    }
    return STATUS_DLL_NOT_FOUND;
}

NTSTATUS LdrpMapDll(PCWSTR SearchPath, PCWSTR Name, ULONG Length, PLDRP_MODULE *Result)
{
    WCHAR Path[LDRP_MAX_PATH];
    ULONG PathLength = 0;
    HANDLE File, Section;
    PVOID Base = NULL;
    SIZE_T ViewSize = 0;
    PLDRP_MODULE Module;
    NTSTATUS Status, MapStatus;

    Status = LdrpSearch(SearchPath, Name, Length, Path, &PathLength, &File);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtCreateSection(&Section, SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_MAP_EXECUTE | SECTION_QUERY, NULL, NULL,
                             PAGE_EXECUTE, SEC_IMAGE, File);
    NtClose(File);
    if (!NT_SUCCESS(Status))
        return Status;
    MapStatus = NtMapViewOfSection(Section, NtCurrentProcess(), &Base, 0, 0, NULL, &ViewSize, ViewShare, 0,
                                   PAGE_READWRITE);
    NtClose(Section);                   /* the view keeps the image */
    if (!NT_SUCCESS(MapStatus))
        return MapStatus;
    Module = LdrpCreateModule(Base, Path, PathLength);
    if (Module == NULL) {
        NtUnmapViewOfSection(NtCurrentProcess(), Base);
        return STATUS_NO_MEMORY;
    }
    Module->Mapped = TRUE;
    if (MapStatus == STATUS_IMAGE_NOT_AT_BASE)
        Module->Entry.Flags |= LDRP_IMAGE_NOT_AT_BASE;
    LdrpInsertModule(Module);
    *Result = Module;
    return STATUS_SUCCESS;
}

/*
 * iofatdir.c - self-test of NtQueryDirectoryFile on the boot volume
 * (IO_FAT_DIRECTORY): \??\C:\Windows\System32 listed in FileBothDirectoryInformation
 * and FileDirectoryInformation, readme.txt found with the size and attributes
 * NtQueryInformationFile gives, the entries' chaining and alignment, a pattern,
 * a pattern that matches nothing, ReturnSingleEntry, RestartScan, a buffer too
 * small for one entry, the event, kernel pointers from user mode, and the pool and
 * the File type's counts as they began.
 *
 * A run without a boot volume (16 MB of memory) checks only that C: is absent.
 */
#include "exobjtest.h"
#include <io.h>
#include <ramdisk.h>

/* A call as if from user mode (tests/kernel/iomgr.c has the same). */
#define KST_USER_CALL(Call)                                  \
    ({                                                       \
        KeGetCurrentThread()->PreviousMode = UserMode;       \
        NTSTATUS KstStatus_ = (Call);                        \
        KeGetCurrentThread()->PreviousMode = KernelMode;     \
        KstStatus_;                                          \
    })

#define KST_DIR_SYSTEM32 u"\\??\\C:\\Windows\\System32"
#define KST_DIR_README   u"\\??\\C:\\Windows\\System32\\readme.txt"

static ULONGLONG KstDirBuffer[512];     /* 4 KB, 8-byte aligned as NT's callers align it */

static NTSTATUS KstDirOpen(PCWSTR Path, ULONG Attributes, ULONG Options, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    IO_STATUS_BLOCK Iosb;
    UNICODE_STRING Name;

    KstExAttributes(&ObjectAttributes, &Name, Path, OBJ_CASE_INSENSITIVE | Attributes);
    return NtCreateFile(Handle, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE, &ObjectAttributes,
                        &Iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN,
                        Options | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

static VOID KstDirInitString(PUNICODE_STRING String, PCWSTR Source)
{
    USHORT Length = 0;

    while (Source[Length] != 0)
        Length++;
    String->Buffer = (PWSTR)Source;
    String->Length = String->MaximumLength = (USHORT)(Length * sizeof(WCHAR));
}

static BOOLEAN KstDirNameIs(PCWSTR Name, ULONG Length, PCWSTR Expected)
{
    ULONG Index;

    for (Index = 0; Index < Length / sizeof(WCHAR); Index++) {
        if (Expected[Index] == 0 || Name[Index] != Expected[Index])
            return FALSE;
    }
    return Expected[Index] == 0;
}

/* Every entry of the whole directory, in FileBothDirectoryInformation. */
static NTSTATUS KstDirListBoth(HANDLE Directory, const FILE_STANDARD_INFORMATION *Standard,
                               const FILE_BASIC_INFORMATION *Basic)
{
    PFILE_BOTH_DIR_INFORMATION Entry;
    ULONG Offset = 0, Count = 0, Found = 0;
    IO_STATUS_BLOCK Iosb;

    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileBothDirectoryInformation, FALSE, NULL, FALSE) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Status == STATUS_SUCCESS && Iosb.Information > 0 && Iosb.Information <= sizeof(KstDirBuffer));
    for (;;) {
        Entry = (PFILE_BOTH_DIR_INFORMATION)((PUCHAR)KstDirBuffer + Offset);
        KST_CHECK(Offset % 8 == 0);
        KST_CHECK(Offset + FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, FileName) + Entry->FileNameLength <=
                  Iosb.Information);
        Count++;
        if (KstDirNameIs(Entry->FileName, Entry->FileNameLength, u"readme.txt")) {
            Found++;
            KST_CHECK(Entry->EndOfFile.QuadPart == Standard->EndOfFile.QuadPart);
            KST_CHECK(Entry->AllocationSize.QuadPart == Standard->AllocationSize.QuadPart);
            KST_CHECK(Entry->FileAttributes == Basic->FileAttributes);
            KST_CHECK(Entry->LastWriteTime.QuadPart == Basic->LastWriteTime.QuadPart);
            KST_CHECK(Entry->ShortNameLength == 0);     /* 8.3 already: no alias */
        } else if (KstDirNameIs(Entry->FileName, Entry->FileNameLength, u".")) {
            KST_CHECK(Entry->FileAttributes & FILE_ATTRIBUTE_DIRECTORY);
        }
        if (Entry->NextEntryOffset == 0)
            break;
        Offset += Entry->NextEntryOffset;
    }
    KST_CHECK(Found == 1 && Count >= 3);    /* ".", ".." and readme.txt at least */
    KST_CHECK(Offset + FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, FileName) + Entry->FileNameLength ==
              Iosb.Information);
    DbgPrint("    System32: %lu entries, readme.txt %lu bytes, attributes %02lX\n", Count,
             (ULONG)Standard->EndOfFile.QuadPart, Basic->FileAttributes);
    /* The end, and it stays the end; a restart starts over. */
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileBothDirectoryInformation, FALSE, NULL, FALSE) == STATUS_NO_MORE_FILES);
    KST_CHECK(Iosb.Status == STATUS_NO_MORE_FILES && Iosb.Information == 0);
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileBothDirectoryInformation, FALSE, NULL, FALSE) == STATUS_NO_MORE_FILES);
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileBothDirectoryInformation, TRUE, NULL, TRUE) == STATUS_SUCCESS);
    Entry = (PFILE_BOTH_DIR_INFORMATION)KstDirBuffer;
    KST_CHECK(Entry->NextEntryOffset == 0 && KstDirNameIs(Entry->FileName, Entry->FileNameLength, u"."));
    KST_CHECK(Iosb.Information == FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, FileName) + sizeof(WCHAR));
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileBothDirectoryInformation, TRUE, NULL, FALSE) == STATUS_SUCCESS);
    KST_CHECK(KstDirNameIs(Entry->FileName, Entry->FileNameLength, u".."));
    return STATUS_SUCCESS;
}

/* Patterns: one that matches readme.txt, one that matches nothing; a buffer too small. */
static NTSTATUS KstDirPatterns(const FILE_STANDARD_INFORMATION *Standard)
{
    PFILE_DIRECTORY_INFORMATION Entry = (PFILE_DIRECTORY_INFORMATION)KstDirBuffer;
    ULONG Header = FIELD_OFFSET(FILE_DIRECTORY_INFORMATION, FileName);
    UNICODE_STRING Pattern;
    IO_STATUS_BLOCK Iosb;
    HANDLE Directory;

    KST_CHECK(KstDirOpen(KST_DIR_SYSTEM32, 0, FILE_DIRECTORY_FILE, &Directory) == STATUS_SUCCESS);
    KstDirInitString(&Pattern, u"README.?X*");
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileDirectoryInformation, FALSE, &Pattern, FALSE) == STATUS_SUCCESS);
    KST_CHECK(Entry->NextEntryOffset == 0 && KstDirNameIs(Entry->FileName, Entry->FileNameLength, u"readme.txt"));
    KST_CHECK(Entry->EndOfFile.QuadPart == Standard->EndOfFile.QuadPart);
    KST_CHECK(Iosb.Information == Header + Entry->FileNameLength);
    /* The first pattern stays: a later one is ignored, as in NT. */
    KstDirInitString(&Pattern, u"*");
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileDirectoryInformation, FALSE, &Pattern, FALSE) == STATUS_NO_MORE_FILES);
    /* Too small for the name: what fits, and STATUS_BUFFER_OVERFLOW. */
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, Header + 4,
                                   FileDirectoryInformation, FALSE, NULL, TRUE) == STATUS_BUFFER_OVERFLOW);
    KST_CHECK(Iosb.Status == STATUS_BUFFER_OVERFLOW && Iosb.Information == Header + 4);
    KST_CHECK(Entry->FileNameLength == 10 * sizeof(WCHAR) && Entry->FileName[0] == u'r');
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, Header - 1,
                                   FileDirectoryInformation, FALSE, NULL, TRUE) == STATUS_INFO_LENGTH_MISMATCH);
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileNamesInformation, FALSE, NULL, TRUE) == STATUS_NOT_IMPLEMENTED);
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileBasicInformation, FALSE, NULL, TRUE) == STATUS_INVALID_INFO_CLASS);
    KST_CHECK(NtClose(Directory) == STATUS_SUCCESS);

    /* Nothing matches: NO_SUCH_FILE first, NO_MORE_FILES after. */
    KST_CHECK(KstDirOpen(KST_DIR_SYSTEM32, 0, FILE_DIRECTORY_FILE, &Directory) == STATUS_SUCCESS);
    KstDirInitString(&Pattern, u"nosuch*.dll");
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileDirectoryInformation, FALSE, &Pattern, FALSE) == STATUS_NO_SUCH_FILE);
    KST_CHECK(NtQueryDirectoryFile(Directory, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileDirectoryInformation, FALSE, NULL, FALSE) == STATUS_NO_MORE_FILES);
    KST_CHECK(NtClose(Directory) == STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

/* A file is not a directory; user mode may not pass kernel pointers; no APCs yet. */
static NTSTATUS KstDirRefusals(VOID)
{
    LARGE_INTEGER Timeout;
    UNICODE_STRING Pattern;
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle, Event;

    KST_CHECK(KstDirOpen(KST_DIR_README, 0, FILE_NON_DIRECTORY_FILE, &Handle) == STATUS_SUCCESS);
    KST_CHECK(NtQueryDirectoryFile(Handle, NULL, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileDirectoryInformation, FALSE, NULL, FALSE) == STATUS_INVALID_PARAMETER);
    KST_CHECK(NtClose(Handle) == STATUS_SUCCESS);

    KST_CHECK(KstDirOpen(KST_DIR_SYSTEM32, KST_USER_HANDLE, FILE_DIRECTORY_FILE, &Handle) == STATUS_SUCCESS);
    KST_CHECK(KST_USER_CALL(NtQueryDirectoryFile(Handle, NULL, NULL, NULL, &Iosb, KstDirBuffer,
                                                 sizeof(KstDirBuffer), FileDirectoryInformation, FALSE, NULL,
                                                 FALSE)) == STATUS_ACCESS_VIOLATION);
    KstDirInitString(&Pattern, u"*");
    KST_CHECK(KST_USER_CALL(NtQueryDirectoryFile(Handle, NULL, NULL, NULL, (PIO_STATUS_BLOCK)0x1000,
                                                 (PVOID)0x2000, 0x100, FileDirectoryInformation, FALSE, &Pattern,
                                                 FALSE)) == STATUS_ACCESS_VIOLATION);
    /* The event is cleared, then set when the request is done (as NtReadFile's). */
    KST_CHECK(NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE) == STATUS_SUCCESS);
    KST_CHECK(NtQueryDirectoryFile(Handle, Event, NULL, NULL, &Iosb, KstDirBuffer, sizeof(KstDirBuffer),
                                   FileDirectoryInformation, TRUE, NULL, FALSE) == STATUS_SUCCESS);
    Timeout.QuadPart = 0;
    KST_CHECK(NtWaitForSingleObject(Event, FALSE, &Timeout) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Event) == STATUS_SUCCESS);
    KST_CHECK(NtQueryDirectoryFile(Handle, NULL, (PIO_APC_ROUTINE)1, NULL, &Iosb, KstDirBuffer,
                                   sizeof(KstDirBuffer), FileDirectoryInformation, FALSE, NULL,
                                   FALSE) == STATUS_NOT_IMPLEMENTED);
    KST_CHECK(NtClose(Handle) == STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

static NTSTATUS KstDirReadme(FILE_STANDARD_INFORMATION *Standard, FILE_BASIC_INFORMATION *Basic)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE File;

    KST_CHECK(KstDirOpen(KST_DIR_README, 0, FILE_NON_DIRECTORY_FILE, &File) == STATUS_SUCCESS);
    KST_CHECK(NtQueryInformationFile(File, &Iosb, Standard, sizeof(*Standard), FileStandardInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(NtQueryInformationFile(File, &Iosb, Basic, sizeof(*Basic), FileBasicInformation) == STATUS_SUCCESS);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

static NTSTATUS KstFatDirectory(VOID)
{
    FILE_STANDARD_INFORMATION Standard;
    FILE_BASIC_INFORMATION Basic;
    KST_EX_BASELINE Baseline;
    ULONG Files, FileHandles;
    HANDLE Directory;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL) {
        DbgPrint("    no boot volume in this boot: C: must be absent\n");
        KST_CHECK(KstDirOpen(KST_DIR_SYSTEM32, 0, FILE_DIRECTORY_FILE, &Directory) ==
                  STATUS_OBJECT_PATH_NOT_FOUND);
        return STATUS_SUCCESS;
    }
    Files = IoFileObjectType->TotalNumberOfObjects;
    FileHandles = IoFileObjectType->TotalNumberOfHandles;
    KstExTakeBaseline(&Baseline);
    Status = KstDirReadme(&Standard, &Basic);
    if (NT_SUCCESS(Status)) {
        KST_CHECK(KstDirOpen(KST_DIR_SYSTEM32, 0, FILE_DIRECTORY_FILE, &Directory) == STATUS_SUCCESS);
        Status = KstDirListBoth(Directory, &Standard, &Basic);
        KST_CHECK(NtClose(Directory) == STATUS_SUCCESS);
    }
    if (NT_SUCCESS(Status))
        Status = KstDirPatterns(&Standard);
    if (NT_SUCCESS(Status))
        Status = KstDirRefusals();
    if (!NT_SUCCESS(Status))
        return Status;
    KST_CHECK(IoFileObjectType->TotalNumberOfObjects == Files);
    KST_CHECK(IoFileObjectType->TotalNumberOfHandles == FileHandles);
    return KstExCheckBaseline(&Baseline, "fat directory");
}
KSELFTEST(IO_FAT_DIRECTORY, KstFatDirectory);

/*
 * iofat.c - self-test of \FileSystem\Fastfat on the boot volume (IO_FAT_FILES):
 * files opened by name through \??\C:, read, created, written and read back at an
 * offset, share access, the directory options, missing names, delete-on-close,
 * NtSetInformationFile (end of file, disposition), and
 * the pool and the File type's counts as they began. When the run put a
 * C:\added.txt on the volume (tests/system/io-fat.test), its first line is printed.
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

#define KST_FAT_SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#define KST_FAT_LENGTH    5000

static UCHAR KstFatBuffer[KST_FAT_LENGTH], KstFatCheck[KST_FAT_LENGTH];

static NTSTATUS KstFatOpen(PCWSTR Path, ACCESS_MASK Access, ULONG Share, ULONG Disposition, ULONG Options,
                           PHANDLE Handle, PIO_STATUS_BLOCK Iosb)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    KstExAttributes(&Attributes, &Name, Path, OBJ_CASE_INSENSITIVE);
    return NtCreateFile(Handle, Access, &Attributes, Iosb, NULL, FILE_ATTRIBUTE_NORMAL, Share, Disposition,
                        Options, NULL, 0);
}

static NTSTATUS KstFatRead(HANDLE Handle, ULONG Offset, PVOID Buffer, ULONG Length, PIO_STATUS_BLOCK Iosb)
{
    LARGE_INTEGER ByteOffset;

    ByteOffset.QuadPart = Offset;
    return NtReadFile(Handle, NULL, NULL, NULL, Iosb, Buffer, Length, &ByteOffset, NULL);
}

/* The file object's FCB: two opens of one file share it. */
static PVOID KstFatFcb(HANDLE Handle)
{
    return ((PFILE_OBJECT)KstExObject(Handle))->FsContext;
}

/* mkvolume's \Windows\System32\readme.txt, by its name and by another case. */
static NTSTATUS KstFatReadme(VOID)
{
    FILE_STANDARD_INFORMATION Standard;
    FILE_BASIC_INFORMATION Basic;
    static const char Start[] = "NTLab boot volume";
    IO_STATUS_BLOCK Iosb;
    HANDLE File, Other;

    KST_CHECK(KstFatOpen(u"\\??\\C:\\Windows\\System32\\readme.txt", FILE_GENERIC_READ, FILE_SHARE_READ,
                         FILE_OPEN, FILE_NON_DIRECTORY_FILE, &File, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == FILE_OPENED);
    memset(KstFatBuffer, 0, sizeof(KstFatBuffer));
    KST_CHECK(KstFatRead(File, 0, KstFatBuffer, sizeof(KstFatBuffer), &Iosb) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information > sizeof(Start) && Iosb.Information < sizeof(KstFatBuffer));
    KST_CHECK(memcmp(KstFatBuffer, Start, sizeof(Start) - 1) == 0);
    KST_CHECK(NtQueryInformationFile(File, &Iosb, &Standard, sizeof(Standard), FileStandardInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(!Standard.Directory && Standard.NumberOfLinks == 1);
    KST_CHECK(KstFatRead(File, 0, KstFatCheck, 5, &Iosb) == STATUS_SUCCESS && Iosb.Information == 5);
    KST_CHECK(KstFatRead(File, Standard.EndOfFile.LowPart, KstFatCheck, 5, &Iosb) == STATUS_END_OF_FILE);
    KST_CHECK(KstFatRead(File, Standard.EndOfFile.LowPart - 3, KstFatCheck, 5, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == 3);
    KST_CHECK(NtQueryInformationFile(File, &Iosb, &Basic, sizeof(Basic), FileBasicInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == sizeof(Basic) && !(Basic.FileAttributes & FILE_ATTRIBUTE_DIRECTORY));
    KST_CHECK(Basic.LastWriteTime.QuadPart != 0);
    DbgPrint("    readme.txt: %lu bytes, \"%.17s\"\n", Standard.EndOfFile.LowPart, (PCSTR)KstFatBuffer);

    /* FAT names are case-insensitive: the same file, the same FCB. */
    KST_CHECK(KstFatOpen(u"\\??\\c:\\WINDOWS\\system32\\README.TXT", FILE_GENERIC_READ, FILE_SHARE_READ,
                         FILE_OPEN, 0, &Other, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(KstFatFcb(Other) == KstFatFcb(File));
    KST_CHECK(KstFatRead(Other, 0, KstFatCheck, sizeof(Start) - 1, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(memcmp(KstFatCheck, Start, sizeof(Start) - 1) == 0);
    KST_CHECK(NtClose(Other) == STATUS_SUCCESS);

    /* The directory options, and names that are not there. */
    KST_CHECK(KstFatOpen(u"\\??\\C:\\Windows\\System32\\readme.txt", FILE_GENERIC_READ, FILE_SHARE_READ,
                         FILE_OPEN, FILE_DIRECTORY_FILE, &Other, &Iosb) == STATUS_NOT_A_DIRECTORY);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\Windows", FILE_GENERIC_READ, FILE_SHARE_READ, FILE_OPEN,
                         FILE_NON_DIRECTORY_FILE, &Other, &Iosb) == STATUS_FILE_IS_A_DIRECTORY);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\Windows\\nosuch.txt", FILE_GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0,
                         &Other, &Iosb) == STATUS_OBJECT_NAME_NOT_FOUND);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\NoSuchDir\\readme.txt", FILE_GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0,
                         &Other, &Iosb) == STATUS_OBJECT_PATH_NOT_FOUND);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\Windows\\System32\\readme.txt", FILE_GENERIC_READ, FILE_SHARE_READ,
                         FILE_CREATE, 0, &Other, &Iosb) == STATUS_OBJECT_NAME_COLLISION);
    /* Reading a directory is not a file system's business. */
    KST_CHECK(KstFatOpen(u"\\??\\C:\\Windows", FILE_GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, FILE_DIRECTORY_FILE,
                         &Other, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(KstFatRead(Other, 0, KstFatCheck, 16, &Iosb) == STATUS_INVALID_DEVICE_REQUEST);
    KST_CHECK(NtClose(Other) == STATUS_SUCCESS);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

/* A new file: written, read back at an offset, shared, deleted on close. */
static NTSTATUS KstFatNewFile(VOID)
{
    FILE_STANDARD_INFORMATION Standard;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    HANDLE File, Other;
    ULONG Index;

    for (Index = 0; Index < KST_FAT_LENGTH; Index++)
        KstFatBuffer[Index] = (UCHAR)(Index * 13 + 7);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\kst.txt", FILE_GENERIC_READ | FILE_GENERIC_WRITE, FILE_SHARE_READ,
                         FILE_CREATE, FILE_NON_DIRECTORY_FILE, &File, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == FILE_CREATED);
    Offset.QuadPart = 0;
    KST_CHECK(NtWriteFile(File, NULL, NULL, NULL, &Iosb, KstFatBuffer, KST_FAT_LENGTH, &Offset, NULL) ==
              STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == KST_FAT_LENGTH);
    KST_CHECK(KstFatRead(File, 3000, KstFatCheck, 1000, &Iosb) == STATUS_SUCCESS && Iosb.Information == 1000);
    KST_CHECK(memcmp(KstFatCheck, KstFatBuffer + 3000, 1000) == 0);
    KST_CHECK(KstFatRead(File, 4500, KstFatCheck, 1000, &Iosb) == STATUS_SUCCESS && Iosb.Information == 500);
    KST_CHECK(memcmp(KstFatCheck, KstFatBuffer + 4500, 500) == 0);
    KST_CHECK(KstFatRead(File, KST_FAT_LENGTH, KstFatCheck, 10, &Iosb) == STATUS_END_OF_FILE);
    KST_CHECK(NtQueryInformationFile(File, &Iosb, &Standard, sizeof(Standard), FileStandardInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(Standard.EndOfFile.QuadPart == KST_FAT_LENGTH && Standard.AllocationSize.QuadPart >= KST_FAT_LENGTH);
    KST_CHECK(NtFlushBuffersFile(File, &Iosb) == STATUS_SUCCESS);

    /* It writes: an open that does not share writing is refused; one that does is not. */
    KST_CHECK(KstFatOpen(u"\\??\\C:\\KST.TXT", FILE_GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &Other,
                         &Iosb) == STATUS_SHARING_VIOLATION);
    /* It shares only reading: a second writer is refused too. */
    KST_CHECK(KstFatOpen(u"\\??\\C:\\kst.txt", FILE_GENERIC_WRITE, KST_FAT_SHARE_ALL, FILE_OPEN, 0, &Other,
                         &Iosb) == STATUS_SHARING_VIOLATION);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\kst.txt", FILE_GENERIC_READ, KST_FAT_SHARE_ALL, FILE_OPEN, 0, &Other,
                         &Iosb) == STATUS_SUCCESS);
    KST_CHECK(KstFatRead(Other, 0, KstFatCheck, 100, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(memcmp(KstFatCheck, KstFatBuffer, 100) == 0);
    KST_CHECK(NtClose(Other) == STATUS_SUCCESS);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);

    /* Closed, it keeps its bytes; deleted on close, it is gone. */
    KST_CHECK(KstFatOpen(u"\\??\\C:\\kst.txt", FILE_GENERIC_READ | DELETE, 0, FILE_OPEN, FILE_DELETE_ON_CLOSE,
                         &File, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(KstFatRead(File, 4000, KstFatCheck, 1000, &Iosb) == STATUS_SUCCESS && Iosb.Information == 1000);
    KST_CHECK(memcmp(KstFatCheck, KstFatBuffer + 4000, 1000) == 0);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\kst.txt", FILE_GENERIC_READ, KST_FAT_SHARE_ALL, FILE_OPEN, 0, &Other,
                         &Iosb) == STATUS_SHARING_VIOLATION);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\kst.txt", FILE_GENERIC_READ, KST_FAT_SHARE_ALL, FILE_OPEN, 0, &Other,
                         &Iosb) == STATUS_OBJECT_NAME_NOT_FOUND);
    /* Delete-on-close asks for DELETE access. */
    KST_CHECK(KstFatOpen(u"\\??\\C:\\Windows\\System32\\readme.txt", FILE_GENERIC_READ, KST_FAT_SHARE_ALL,
                         FILE_OPEN, FILE_DELETE_ON_CLOSE, &Other, &Iosb) == STATUS_ACCESS_DENIED);
    return STATUS_SUCCESS;
}

/* NtSetInformationFile: the end of file moves; a delete is pending until the last close. */
static NTSTATUS KstFatSetInformation(VOID)
{
    FILE_END_OF_FILE_INFORMATION EndOfFile;
    FILE_DISPOSITION_INFORMATION Disposition;
    FILE_STANDARD_INFORMATION Standard;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    HANDLE File, Other;

    KST_CHECK(KstFatOpen(u"\\??\\C:\\kst2.txt", FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE,
                         KST_FAT_SHARE_ALL, FILE_CREATE, 0, &File, &Iosb) == STATUS_SUCCESS);
    EndOfFile.EndOfFile.QuadPart = 3000;
    KST_CHECK(NtSetInformationFile(File, &Iosb, &EndOfFile, sizeof(EndOfFile), FileEndOfFileInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(KstFatRead(File, 2990, KstFatCheck, 100, &Iosb) == STATUS_SUCCESS && Iosb.Information == 10);
    KST_CHECK(KstFatCheck[0] == 0 && KstFatCheck[9] == 0);     /* extended with zeros */
    EndOfFile.EndOfFile.QuadPart = 100;
    KST_CHECK(NtSetInformationFile(File, &Iosb, &EndOfFile, sizeof(EndOfFile), FileEndOfFileInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(KstFatRead(File, 100, KstFatCheck, 10, &Iosb) == STATUS_END_OF_FILE);
    EndOfFile.EndOfFile.QuadPart = -1;
    KST_CHECK(NtSetInformationFile(File, &Iosb, &EndOfFile, sizeof(EndOfFile), FileEndOfFileInformation) ==
              STATUS_INVALID_PARAMETER);
    KST_CHECK(NtSetInformationFile(File, &Iosb, &EndOfFile, 4, FileEndOfFileInformation) ==
              STATUS_INFO_LENGTH_MISMATCH);
    KST_CHECK(NtSetInformationFile(File, &Iosb, &EndOfFile, sizeof(EndOfFile), FileBasicInformation) ==
              STATUS_INFO_LENGTH_MISMATCH);
    KST_CHECK(NtSetInformationFile(File, &Iosb, &EndOfFile, sizeof(EndOfFile), FileAllocationInformation) ==
              STATUS_NOT_IMPLEMENTED);

    Disposition.DeleteFile = TRUE;
    KST_CHECK(NtSetInformationFile(File, &Iosb, &Disposition, sizeof(Disposition), FileDispositionInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(NtQueryInformationFile(File, &Iosb, &Standard, sizeof(Standard), FileStandardInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(Standard.DeletePending && Standard.EndOfFile.QuadPart == 100);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\kst2.txt", FILE_GENERIC_READ, KST_FAT_SHARE_ALL, FILE_OPEN, 0, &Other,
                         &Iosb) == STATUS_DELETE_PENDING);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);
    KST_CHECK(KstFatOpen(u"\\??\\C:\\kst2.txt", FILE_GENERIC_READ, KST_FAT_SHARE_ALL, FILE_OPEN, 0, &Other,
                         &Iosb) == STATUS_OBJECT_NAME_NOT_FOUND);

    /* From user mode, kernel pointers are refused before anything happens. */
    KstExAttributes(&Attributes, &Name, u"\\??\\C:\\Windows\\System32\\readme.txt",
                    OBJ_CASE_INSENSITIVE | KST_USER_HANDLE);
    KST_CHECK(NtCreateFile(&File, FILE_GENERIC_READ, &Attributes, &Iosb, NULL, 0, KST_FAT_SHARE_ALL, FILE_OPEN, 0,
                           NULL, 0) == STATUS_SUCCESS);
    KST_CHECK(KST_USER_CALL(NtSetInformationFile(File, &Iosb, &Disposition, sizeof(Disposition),
                                                 FileDispositionInformation)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtQueryInformationFile(File, &Iosb, &Standard, sizeof(Standard),
                                                   FileStandardInformation)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);

    /* The root cannot go. */
    KST_CHECK(KstFatOpen(u"\\??\\C:\\", FILE_GENERIC_READ | DELETE, KST_FAT_SHARE_ALL, FILE_OPEN,
                         FILE_DIRECTORY_FILE, &File, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(NtSetInformationFile(File, &Iosb, &Disposition, sizeof(Disposition), FileDispositionInformation) ==
              STATUS_CANNOT_DELETE);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

/* tests/system/io-fat.test adds C:\added.txt: its first line goes to the log. */
static NTSTATUS KstFatAdded(VOID)
{
    IO_STATUS_BLOCK Iosb;
    NTSTATUS Status;
    HANDLE File;
    ULONG Length;

    Status = KstFatOpen(u"\\??\\C:\\added.txt", FILE_GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &File, &Iosb);
    if (Status == STATUS_OBJECT_NAME_NOT_FOUND)
        return STATUS_SUCCESS;
    KST_CHECK(Status == STATUS_SUCCESS);
    memset(KstFatBuffer, 0, sizeof(KstFatBuffer));
    Status = KstFatRead(File, 0, KstFatBuffer, 200, &Iosb);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);
    KST_CHECK(Status == STATUS_SUCCESS);
    for (Length = 0; Length < Iosb.Information && KstFatBuffer[Length] != '\r' && KstFatBuffer[Length] != '\n';
         Length++)
        ;
    DbgPrint("    added.txt: %.*s\n", (int)Length, (PCSTR)KstFatBuffer);
    return STATUS_SUCCESS;
}

static NTSTATUS KstFatFiles(VOID)
{
    KST_EX_BASELINE Baseline;
    IO_STATUS_BLOCK Iosb;
    ULONG Files, FileHandles;
    NTSTATUS Status;
    HANDLE File;

    if (IoGetBootVolume() == NULL) {
        DbgPrint("    no boot volume in this boot: C: must be absent\n");
        KST_CHECK(KstFatOpen(u"\\??\\C:\\Windows\\System32\\readme.txt", FILE_GENERIC_READ, FILE_SHARE_READ,
                             FILE_OPEN, 0, &File, &Iosb) == STATUS_OBJECT_PATH_NOT_FOUND);
        return STATUS_SUCCESS;
    }
    Files = IoFileObjectType->TotalNumberOfObjects;
    FileHandles = IoFileObjectType->TotalNumberOfHandles;
    KstExTakeBaseline(&Baseline);
    Status = KstFatReadme();
    if (NT_SUCCESS(Status))
        Status = KstFatNewFile();
    if (NT_SUCCESS(Status))
        Status = KstFatSetInformation();
    if (NT_SUCCESS(Status))
        Status = KstFatAdded();
    if (!NT_SUCCESS(Status))
        return Status;
    KST_CHECK(IoFileObjectType->TotalNumberOfObjects == Files);
    KST_CHECK(IoFileObjectType->TotalNumberOfHandles == FileHandles);
    return KstExCheckBaseline(&Baseline, "fat files");
}
KSELFTEST(IO_FAT_FILES, KstFatFiles);

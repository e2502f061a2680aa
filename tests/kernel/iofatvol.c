/*
 * iofatvol.c - self-test of the boot volume's name and volume services
 * (IO_FAT_VOLUME): NtQueryVolumeInformationFile (size against what mkvolume made,
 * a 16 MB FAT16 volume; "FAT" and fastfat's attributes; the label and serial),
 * NtQueryAttributesFile on readme.txt and on a missing name, NtDeleteFile of a
 * created file, NtSetInformationFile's rename (a bare name, a full path, relative to
 * an open directory, replacing) and basic information, kernel pointers from user mode, and the pool and the File type's
 * counts as they began.
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

#define KST_VOL_README u"\\??\\C:\\Windows\\System32\\readme.txt"

static ULONGLONG KstVolBuffer[64];

static NTSTATUS KstVolOpen(PCWSTR Path, ACCESS_MASK Access, ULONG Disposition, ULONG Attributes, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    IO_STATUS_BLOCK Iosb;
    UNICODE_STRING Name;

    KstExAttributes(&ObjectAttributes, &Name, Path, OBJ_CASE_INSENSITIVE | Attributes);
    return NtCreateFile(Handle, Access | SYNCHRONIZE, &ObjectAttributes, &Iosb, NULL, FILE_ATTRIBUTE_NORMAL,
                        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, Disposition,
                        FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

static NTSTATUS KstVolSize(VOID)
{
    PFILE_FS_ATTRIBUTE_INFORMATION Attribute = (PFILE_FS_ATTRIBUTE_INFORMATION)KstVolBuffer;
    PFILE_FS_VOLUME_INFORMATION Volume = (PFILE_FS_VOLUME_INFORMATION)KstVolBuffer;
    FILE_FS_SIZE_INFORMATION Size;
    IO_STATUS_BLOCK Iosb;
    ULONGLONG Bytes;
    HANDLE Handle;

    KST_CHECK(KstVolOpen(KST_VOL_README, FILE_READ_DATA, FILE_OPEN, 0, &Handle) == STATUS_SUCCESS);
    KST_CHECK(NtQueryVolumeInformationFile(Handle, &Iosb, &Size, sizeof(Size), FileFsSizeInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(Iosb.Status == STATUS_SUCCESS && Iosb.Information == sizeof(Size));
    Bytes = (ULONGLONG)Size.TotalAllocationUnits.QuadPart * Size.SectorsPerAllocationUnit * Size.BytesPerSector;
    /* 16 MB less the boot sector, the FATs and the root directory; FAT16's count. */
    KST_CHECK(Size.BytesPerSector == 512 && Bytes <= 16 * 1024 * 1024 && Bytes > 15 * 1024 * 1024);
    KST_CHECK(Size.TotalAllocationUnits.QuadPart >= 4085 && Size.TotalAllocationUnits.QuadPart < 65525);
    KST_CHECK(Size.AvailableAllocationUnits.QuadPart > 0 &&
              Size.AvailableAllocationUnits.QuadPart < Size.TotalAllocationUnits.QuadPart);
    KST_CHECK(NtQueryVolumeInformationFile(Handle, &Iosb, &Size, sizeof(Size) - 1, FileFsSizeInformation) ==
              STATUS_INFO_LENGTH_MISMATCH);

    KST_CHECK(NtQueryVolumeInformationFile(Handle, &Iosb, KstVolBuffer, sizeof(KstVolBuffer),
                                           FileFsAttributeInformation) == STATUS_SUCCESS);
    KST_CHECK(Attribute->FileSystemAttributes == (FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK));
    KST_CHECK(Attribute->MaximumComponentNameLength == 255 && Attribute->FileSystemNameLength == 6);
    KST_CHECK(memcmp(Attribute->FileSystemName, u"FAT", 6) == 0);
    KST_CHECK(Iosb.Information == FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName) + 6);
    /* Room for one character of the name: cut short. */
    KST_CHECK(NtQueryVolumeInformationFile(Handle, &Iosb, KstVolBuffer,
                                           FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName) + 2,
                                           FileFsAttributeInformation) == STATUS_BUFFER_OVERFLOW);
    KST_CHECK(Iosb.Information == FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName) + 2);

    KST_CHECK(NtQueryVolumeInformationFile(Handle, &Iosb, KstVolBuffer, sizeof(KstVolBuffer),
                                           FileFsVolumeInformation) == STATUS_SUCCESS);
    KST_CHECK(Volume->VolumeSerialNumber == 0x4E544C42 && Volume->VolumeLabelLength == 10);
    KST_CHECK(memcmp(Volume->VolumeLabel, u"NTLAB", 10) == 0);
    KST_CHECK(NtQueryVolumeInformationFile(Handle, &Iosb, KstVolBuffer, sizeof(KstVolBuffer),
                                           FileFsDeviceInformation) == STATUS_NOT_IMPLEMENTED);
    DbgPrint("    volume: %lu clusters of %lu bytes, %lu free, FAT\n", (ULONG)Size.TotalAllocationUnits.QuadPart,
             Size.SectorsPerAllocationUnit * Size.BytesPerSector, (ULONG)Size.AvailableAllocationUnits.QuadPart);
    KST_CHECK(NtClose(Handle) == STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

static NTSTATUS KstVolNames(VOID)
{
    FILE_BASIC_INFORMATION Basic, Expected;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;

    KST_CHECK(KstVolOpen(KST_VOL_README, FILE_READ_ATTRIBUTES, FILE_OPEN, 0, &Handle) == STATUS_SUCCESS);
    KST_CHECK(NtQueryInformationFile(Handle, &Iosb, &Expected, sizeof(Expected), FileBasicInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(NtClose(Handle) == STATUS_SUCCESS);
    KstExAttributes(&Attributes, &Name, KST_VOL_README, OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_SUCCESS);
    KST_CHECK(memcmp(&Basic, &Expected, sizeof(Basic)) == 0);
    KST_CHECK(Basic.FileAttributes == FILE_ATTRIBUTE_ARCHIVE);
    KstExAttributes(&Attributes, &Name, u"\\??\\C:\\Windows", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_SUCCESS);
    KST_CHECK(Basic.FileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    KstExAttributes(&Attributes, &Name, u"\\??\\C:\\Windows\\nosuch.txt", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_OBJECT_NAME_NOT_FOUND);

    /* Created, deleted by name, gone; a second delete finds nothing. */
    KST_CHECK(KstVolOpen(u"\\??\\C:\\kstdel.txt", FILE_WRITE_DATA, FILE_CREATE, 0, &Handle) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Handle) == STATUS_SUCCESS);
    KstExAttributes(&Attributes, &Name, u"\\??\\C:\\kstdel.txt", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_SUCCESS);
    KST_CHECK(NtDeleteFile(&Attributes) == STATUS_SUCCESS);
    KST_CHECK(KstVolOpen(u"\\??\\C:\\kstdel.txt", FILE_READ_DATA, FILE_OPEN, 0, &Handle) ==
              STATUS_OBJECT_NAME_NOT_FOUND);
    KST_CHECK(NtDeleteFile(&Attributes) == STATUS_OBJECT_NAME_NOT_FOUND);
    /* An open file without FILE_SHARE_DELETE cannot be deleted. */
    KST_CHECK(KstVolOpen(u"\\??\\C:\\kstdel.txt", FILE_WRITE_DATA, FILE_CREATE, 0, &Handle) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Handle) == STATUS_SUCCESS);
    KST_CHECK(NtCreateFile(&Handle, FILE_READ_DATA | SYNCHRONIZE, &Attributes, &Iosb, NULL, 0, FILE_SHARE_READ,
                           FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0) == STATUS_SUCCESS);
    KST_CHECK(NtDeleteFile(&Attributes) == STATUS_SHARING_VIOLATION);
    KST_CHECK(NtClose(Handle) == STATUS_SUCCESS);
    KST_CHECK(NtDeleteFile(&Attributes) == STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

static ULONG KstVolRenameBuffer[80];

static NTSTATUS KstVolRenameTo(HANDLE File, HANDLE Root, PCWSTR Name, BOOLEAN Replace)
{
    PFILE_RENAME_INFORMATION Rename = (PFILE_RENAME_INFORMATION)KstVolRenameBuffer;
    IO_STATUS_BLOCK Iosb;
    ULONG Length = 0;

    while (Name[Length] != 0)
        Length++;
    memset(KstVolRenameBuffer, 0, sizeof(KstVolRenameBuffer));
    Rename->ReplaceIfExists = Replace;
    Rename->RootDirectory = Root;
    Rename->FileNameLength = Length * sizeof(WCHAR);
    memcpy(Rename->FileName, Name, Length * sizeof(WCHAR));
    return NtSetInformationFile(File, &Iosb, Rename, FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) +
                                Length * sizeof(WCHAR), FileRenameInformation);
}

/* FileRenameInformation in its three forms, and FileBasicInformation set. */
static NTSTATUS KstVolRename(VOID)
{
    FILE_BASIC_INFORMATION Basic;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    HANDLE File, Other, Windows;

    KST_CHECK(KstVolOpen(u"\\??\\C:\\kstren.txt", DELETE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES |
                         FILE_READ_ATTRIBUTES, FILE_CREATE, 0, &File) == STATUS_SUCCESS);
    KST_CHECK(KstVolRenameTo(File, NULL, u"kstren2.txt", FALSE) == STATUS_SUCCESS);
    KST_CHECK(KstVolOpen(u"\\??\\C:\\kstren.txt", FILE_READ_DATA, FILE_OPEN, 0, &Other) ==
              STATUS_OBJECT_NAME_NOT_FOUND);
    KstExAttributes(&Attributes, &Name, u"\\??\\C:\\kstren2.txt", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_SUCCESS);
    KST_CHECK(KstVolRenameTo(File, NULL, u"a\\b.txt", FALSE) == STATUS_OBJECT_NAME_INVALID);
    /* A full path on the same volume moves it. */
    KST_CHECK(KstVolRenameTo(File, NULL, u"\\??\\C:\\Windows\\kstren3.txt", FALSE) == STATUS_SUCCESS);
    KstExAttributes(&Attributes, &Name, u"\\??\\C:\\Windows\\kstren3.txt", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_SUCCESS);
    /* An existing target: a collision, unless replaced. */
    KST_CHECK(KstVolOpen(u"\\??\\C:\\Windows\\kstren4.txt", FILE_WRITE_DATA, FILE_CREATE, 0, &Other) ==
              STATUS_SUCCESS);
    KST_CHECK(NtClose(Other) == STATUS_SUCCESS);
    KST_CHECK(KstVolRenameTo(File, NULL, u"kstren4.txt", FALSE) == STATUS_OBJECT_NAME_COLLISION);
    KST_CHECK(KstVolRenameTo(File, NULL, u"KSTREN4.TXT", TRUE) == STATUS_SUCCESS);
    /* Relative to an open directory. */
    KST_CHECK(KstVolOpen(u"\\??\\C:\\", FILE_ADD_FILE, FILE_OPEN, 0, &Windows) == STATUS_SUCCESS);
    KST_CHECK(KstVolRenameTo(File, Windows, u"kstren5.txt", FALSE) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Windows) == STATUS_SUCCESS);
    KstExAttributes(&Attributes, &Name, u"\\??\\C:\\kstren5.txt", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_SUCCESS);

    /* Basic: attributes and a write time (2020-01-01, which FAT keeps exactly). */
    memset(&Basic, 0, sizeof(Basic));
    Basic.LastWriteTime.QuadPart = 132223104000000000LL;
    Basic.FileAttributes = FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE;
    KST_CHECK(NtSetInformationFile(File, &Iosb, &Basic, sizeof(Basic), FileBasicInformation) == STATUS_SUCCESS);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_SUCCESS);
    KST_CHECK(Basic.FileAttributes == (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE));
    KST_CHECK(Basic.LastWriteTime.QuadPart == 132223104000000000LL);
    memset(&Basic, 0, sizeof(Basic));
    Basic.FileAttributes = FILE_ATTRIBUTE_NORMAL;
    KST_CHECK(NtSetInformationFile(File, &Iosb, &Basic, sizeof(Basic), FileBasicInformation) == STATUS_SUCCESS);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_SUCCESS);
    KST_CHECK(Basic.FileAttributes == FILE_ATTRIBUTE_NORMAL);
    KST_CHECK(NtClose(File) == STATUS_SUCCESS);
    KST_CHECK(NtDeleteFile(&Attributes) == STATUS_SUCCESS);
    KstExAttributes(&Attributes, &Name, u"\\??\\C:\\Windows\\kstren4.txt", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_OBJECT_NAME_NOT_FOUND);
    return STATUS_SUCCESS;
}

/* From user mode, kernel pointers are refused before anything happens. */
static NTSTATUS KstVolUser(VOID)
{
    FILE_FS_SIZE_INFORMATION Size;
    FILE_BASIC_INFORMATION Basic;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;

    KST_CHECK(KstVolOpen(KST_VOL_README, FILE_READ_DATA, FILE_OPEN, KST_USER_HANDLE, &Handle) == STATUS_SUCCESS);
    KST_CHECK(KST_USER_CALL(NtQueryVolumeInformationFile(Handle, &Iosb, &Size, sizeof(Size),
                                                         FileFsSizeInformation)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtSetInformationFile(Handle, &Iosb, KstVolRenameBuffer, 32,
                                                 FileRenameInformation)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(NtClose(Handle) == STATUS_SUCCESS);
    KstExAttributes(&Attributes, &Name, KST_VOL_README, OBJ_CASE_INSENSITIVE);
    KST_CHECK(KST_USER_CALL(NtQueryAttributesFile(&Attributes, &Basic)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtDeleteFile(&Attributes)) == STATUS_ACCESS_VIOLATION);
    return STATUS_SUCCESS;
}

static NTSTATUS KstFatVolume(VOID)
{
    FILE_BASIC_INFORMATION Basic;
    OBJECT_ATTRIBUTES Attributes;
    KST_EX_BASELINE Baseline;
    ULONG Files, FileHandles;
    UNICODE_STRING Name;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL) {
        DbgPrint("    no boot volume in this boot: C: must be absent\n");
        KstExAttributes(&Attributes, &Name, KST_VOL_README, OBJ_CASE_INSENSITIVE);
        KST_CHECK(NtQueryAttributesFile(&Attributes, &Basic) == STATUS_OBJECT_PATH_NOT_FOUND);
        return STATUS_SUCCESS;
    }
    Files = IoFileObjectType->TotalNumberOfObjects;
    FileHandles = IoFileObjectType->TotalNumberOfHandles;
    KstExTakeBaseline(&Baseline);
    Status = KstVolSize();
    if (NT_SUCCESS(Status))
        Status = KstVolNames();
    if (NT_SUCCESS(Status))
        Status = KstVolRename();
    if (NT_SUCCESS(Status))
        Status = KstVolUser();
    if (!NT_SUCCESS(Status))
        return Status;
    KST_CHECK(IoFileObjectType->TotalNumberOfObjects == Files);
    KST_CHECK(IoFileObjectType->TotalNumberOfHandles == FileHandles);
    return KstExCheckBaseline(&Baseline, "fat volume");
}
KSELFTEST(IO_FAT_VOLUME, KstFatVolume);

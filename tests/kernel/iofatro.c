/*
 * iofatro.c - self-test of read-only files on the boot volume (IO_FAT_READONLY):
 * the open that creates a file read-only may write it; later opens get
 * STATUS_ACCESS_DENIED for writing or deleting and succeed for reading; once the
 * attribute is cleared (FileBasicInformation) the file can be deleted.
 */
#include "exobjtest.h"
#include <io.h>
#include <ramdisk.h>

#define KST_RO_PATH u"\\??\\C:\\readonly.txt"

static NTSTATUS KstRoOpen(ACCESS_MASK Access, ULONG Disposition, ULONG Attributes, ULONG Options, PHANDLE File)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;

    KstExAttributes(&ObjectAttributes, &Name, KST_RO_PATH, OBJ_CASE_INSENSITIVE);
    return NtCreateFile(File, Access | SYNCHRONIZE, &ObjectAttributes, &Iosb, NULL, Attributes,
                        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, Disposition,
                        Options | FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, NULL, 0);
}

static NTSTATUS KstFatReadOnly(VOID)
{
    FILE_BASIC_INFORMATION Basic;
    IO_STATUS_BLOCK Iosb;
    HANDLE File, Other;
    UCHAR Byte = 'x';

    if (IoGetBootVolume() == NULL)
        return STATUS_SUCCESS;
    KST_CHECK(NT_SUCCESS(KstRoOpen(FILE_GENERIC_WRITE, FILE_CREATE, FILE_ATTRIBUTE_READONLY, 0, &File)));
    KST_CHECK(NT_SUCCESS(NtWriteFile(File, NULL, NULL, NULL, &Iosb, &Byte, 1, NULL, NULL)));
    NtClose(File);

    KST_CHECK(KstRoOpen(FILE_GENERIC_WRITE, FILE_OPEN, 0, 0, &File) == STATUS_ACCESS_DENIED);
    KST_CHECK(KstRoOpen(FILE_GENERIC_READ | DELETE, FILE_OPEN, 0, FILE_DELETE_ON_CLOSE, &File) ==
              STATUS_ACCESS_DENIED);
    KST_CHECK(NT_SUCCESS(KstRoOpen(FILE_GENERIC_READ, FILE_OPEN, 0, 0, &Other)));
    NtClose(Other);

    /* Attributes back to normal, then the file can go. */
    KST_CHECK(NT_SUCCESS(KstRoOpen(FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES, FILE_OPEN, 0, 0, &File)));
    memset(&Basic, 0, sizeof(Basic));
    Basic.FileAttributes = FILE_ATTRIBUTE_NORMAL;
    KST_CHECK(NT_SUCCESS(NtSetInformationFile(File, &Iosb, &Basic, sizeof(Basic), FileBasicInformation)));
    NtClose(File);
    KST_CHECK(NT_SUCCESS(KstRoOpen(DELETE, FILE_OPEN, 0, FILE_DELETE_ON_CLOSE, &File)));
    NtClose(File);
    KST_CHECK(KstRoOpen(FILE_GENERIC_READ, FILE_OPEN, 0, 0, &File) == STATUS_OBJECT_NAME_NOT_FOUND);
    return STATUS_SUCCESS;
}
KSELFTEST(IO_FAT_READONLY, KstFatReadOnly);

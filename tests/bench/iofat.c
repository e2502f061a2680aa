/*
 * iofat.c - the FAT file system's benchmark: a whole open, 4 KB read and close of a
 * file on the boot volume, by name, through \FileSystem\Fastfat. mkvolume's
 * readme.txt is shorter than 4 KB, so the benchmark writes its own 8 KB file in
 * C:\Windows\System32 first and deletes it at the end.
 */
#include <bench.h>
#include <ke.h>
#include <ex.h>
#include <ob.h>
#include <io.h>
#include <ramdisk.h>
#include "ntapi.h"

#define KB_FAT_ITERATIONS 200
#define KB_FAT_PATH       u"\\??\\C:\\Windows\\System32\\bench.dat"

static UCHAR KbFatBuffer[8192];

static NTSTATUS KbFatOpen(ACCESS_MASK Access, ULONG Disposition, ULONG Options, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;

    Name.Buffer = (PWSTR)KB_FAT_PATH;
    Name.Length = (USHORT)(sizeof(KB_FAT_PATH) - sizeof(WCHAR));
    Name.MaximumLength = (USHORT)sizeof(KB_FAT_PATH);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    return NtCreateFile(Handle, Access, &Attributes, &Iosb, NULL, 0, FILE_SHARE_READ, Disposition,
                        Options | FILE_NON_DIRECTORY_FILE, NULL, 0);
}

static VOID KbFatOpenReadClose(PVOID Context)
{
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    HANDLE Handle;

    UNREFERENCED_PARAMETER(Context);
    if (!NT_SUCCESS(KbFatOpen(FILE_GENERIC_READ, FILE_OPEN, 0, &Handle)))
        return;
    Offset.QuadPart = 0;
    (VOID)NtReadFile(Handle, NULL, NULL, NULL, &Iosb, KbFatBuffer, 4096, &Offset, NULL);
    NtClose(Handle);
}

static ULONGLONG KbFatRead(VOID)
{
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    ULONGLONG Result;
    HANDLE Handle;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL ||
        !NT_SUCCESS(KbFatOpen(FILE_GENERIC_WRITE, FILE_OVERWRITE_IF, 0, &Handle)))
        return 0;
    Offset.QuadPart = 0;
    Status = NtWriteFile(Handle, NULL, NULL, NULL, &Iosb, KbFatBuffer, sizeof(KbFatBuffer), &Offset, NULL);
    NtClose(Handle);
    Result = NT_SUCCESS(Status) ? KeBenchLoop(KbFatOpenReadClose, NULL, KB_FAT_ITERATIONS) : 0;
    /* Gone again when this handle closes. */
    if (NT_SUCCESS(KbFatOpen(FILE_GENERIC_READ | DELETE, FILE_OPEN, FILE_DELETE_ON_CLOSE, &Handle)))
        NtClose(Handle);
    return Result;
}
KBENCH(io_fat_open_read_4k_close, KbFatRead,
       "instructions per NtCreateFile(C:\\Windows\\System32\\bench.dat) + NtReadFile(4 KB) + NtClose");

/*
 * io.c - I/O manager benchmarks: a whole open-write-close of \Device\Null, and a
 * 4 KB read of the boot volume opened raw, through the Nt services from kernel mode.
 */
#include <bench.h>
#include <ke.h>
#include <ex.h>
#include <ob.h>
#include <io.h>
#include <ramdisk.h>
#include "ntapi.h"

#define KB_ITERATIONS 200

static NTSTATUS KbOpen(PCWSTR Path, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    ULONG Length = 0;

    while (Path[Length] != 0)
        Length++;
    Name.Buffer = (PWSTR)Path;
    Name.Length = (USHORT)(Length * sizeof(WCHAR));
    Name.MaximumLength = (USHORT)(Name.Length + sizeof(WCHAR));
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    return NtCreateFile(Handle, FILE_GENERIC_READ | FILE_GENERIC_WRITE, &Attributes, &Iosb, NULL, 0,
                        FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

static VOID KbNullOpenWriteClose(PVOID Context)
{
    static UCHAR Line[80];
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;

    UNREFERENCED_PARAMETER(Context);
    if (!NT_SUCCESS(KbOpen(u"\\Device\\Null", &Handle)))
        return;
    (VOID)NtWriteFile(Handle, NULL, NULL, NULL, &Iosb, Line, sizeof(Line), NULL, NULL);
    NtClose(Handle);
}

static ULONGLONG KbNullDevice(VOID)
{
    return KeBenchLoop(KbNullOpenWriteClose, NULL, KB_ITERATIONS);
}
KBENCH(io_null_open_write_close, KbNullDevice,
       "instructions per NtCreateFile(\\Device\\Null) + NtWriteFile(80 bytes) + NtClose");

static VOID KbRead4K(PVOID Context)
{
    static UCHAR Buffer[4096];
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;

    Offset.QuadPart = 0;
    (VOID)NtReadFile((HANDLE)Context, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer), &Offset, NULL);
}

static ULONGLONG KbRawVolumeRead(VOID)
{
    ULONGLONG Result;
    HANDLE Handle;

    if (IoGetBootVolume() == NULL || !NT_SUCCESS(KbOpen(u"\\??\\C:", &Handle)))
        return 0;
    Result = KeBenchLoop(KbRead4K, Handle, KB_ITERATIONS);
    NtClose(Handle);
    return Result;
}
KBENCH(io_raw_volume_read_4k, KbRawVolumeRead,
       "instructions per NtReadFile of 4 KB at offset 0 of the raw boot volume (\\??\\C:)");

/*
 * iocondev.c - self-test of \Device\Console through the file services
 * (IO_CONSOLE_DEVICE): a write reaches the screen and COM1 whole, a cooked read
 * returns the typed line with "\r\n", names below the device are refused, user
 * pointers are probed, and the File type's counts and the pool end as they began.
 */
#include "exobjtest.h"
#include <io.h>
#include "../../kernel/io/console/con.h"     /* white box: types through IopConQueueInput */

static NTSTATUS KstOpenConsole(PCWSTR Path, PHANDLE Handle, PIO_STATUS_BLOCK Iosb)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    /* A handle user mode may use too (not OBJ_KERNEL_HANDLE), for the probe check. */
    KstExAttributes(&Attributes, &Name, Path, OBJ_CASE_INSENSITIVE | KST_USER_HANDLE);
    return NtOpenFile(Handle, FILE_GENERIC_READ | FILE_GENERIC_WRITE, &Attributes, Iosb,
                      FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT);
}

static NTSTATUS KstConsoleDevice(VOID)
{
    static const char Line[] = "console device: one line through NtWriteFile\r\n";
    static const char Typed[] = "dev\r";
    FILE_STANDARD_INFORMATION Standard;
    KST_EX_BASELINE Baseline;
    IO_STATUS_BLOCK Iosb;
    ULONG Files = IoFileObjectType->TotalNumberOfObjects;
    char Buffer[16];
    HANDLE Console, Other;
    ULONG Index;

    KST_CHECK(NT_SUCCESS(IoInitializeConsoleInput()));
    KstExTakeBaseline(&Baseline);
    KST_CHECK(KstOpenConsole(u"\\Device\\Console", &Console, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == FILE_OPENED);
    KST_CHECK(KstOpenConsole(u"\\Device\\Console\\Input", &Other, &Iosb) == STATUS_OBJECT_NAME_NOT_FOUND);

    /* A write is taken whole; a NUL in it is not printed but counted. */
    KST_CHECK(NtWriteFile(Console, NULL, NULL, NULL, &Iosb, (PVOID)Line, sizeof(Line) - 1, NULL, NULL) ==
              STATUS_SUCCESS);
    KST_CHECK(Iosb.Status == STATUS_SUCCESS && Iosb.Information == sizeof(Line) - 1);
    KST_CHECK(NtWriteFile(Console, NULL, NULL, NULL, &Iosb, "a\0b\r\n", 5, NULL, NULL) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == 5);

    /* A cooked read: the line typed (through the serial input's entry), with "\r\n". */
    for (Index = 0; Typed[Index] != 0; Index++)
        IopConQueueInput((UCHAR)Typed[Index]);
    memset(Buffer, 0, sizeof(Buffer));
    KST_CHECK(NtReadFile(Console, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer) - 1, NULL, NULL) ==
              STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == 5 && strcmp(Buffer, "dev\r\n") == 0);

    KST_CHECK(NtQueryInformationFile(Console, &Iosb, &Standard, sizeof(Standard), FileStandardInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(Standard.EndOfFile.QuadPart == 0 && !Standard.Directory);

    /* From user mode a kernel buffer is refused before the device sees it. */
    KeGetCurrentThread()->PreviousMode = UserMode;
    Index = NtWriteFile(Console, NULL, NULL, NULL, (PIO_STATUS_BLOCK)Buffer, (PVOID)Line, 4, NULL, NULL);
    KeGetCurrentThread()->PreviousMode = KernelMode;
    KST_CHECK(Index == (ULONG)STATUS_ACCESS_VIOLATION);

    KST_CHECK(NtClose(Console) == STATUS_SUCCESS);
    KST_CHECK(IoFileObjectType->TotalNumberOfObjects == Files);
    return KstExCheckBaseline(&Baseline, "console device");
}
KSELFTEST(IO_CONSOLE_DEVICE, KstConsoleDevice);

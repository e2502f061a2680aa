/*
 * console.c - the console benchmark: one 80-character line (78 characters and
 * "\r\n") written to \Device\Console through NtWriteFile from kernel mode, so the
 * I/O manager's path, the screen (with scrolling) and COM1 (one port write per
 * byte) are all in it. 20 lines: enough for a stable count, few in the output.
 */
#include <bench.h>
#include <ke.h>
#include <ob.h>
#include <io.h>
#include "ntapi.h"

#define KB_CONSOLE_LINES 20

static VOID KbConsoleWrite(PVOID Context)
{
    static const char Line[] =
        "console benchmark: 78 characters and CR LF, one NtWriteFile to \\Device\\Console\r\n";
    IO_STATUS_BLOCK Iosb;

    _Static_assert(sizeof(Line) - 1 == 80, "one 80-character line");
    (VOID)NtWriteFile((HANDLE)Context, NULL, NULL, NULL, &Iosb, (PVOID)Line, sizeof(Line) - 1, NULL, NULL);
}

static ULONGLONG KbConsoleLine(VOID)
{
    OBJECT_ATTRIBUTES Attributes;
    static WCHAR Path[] = u"\\Device\\Console";
    UNICODE_STRING Name = { sizeof(Path) - sizeof(WCHAR), sizeof(Path), Path };
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;
    ULONGLONG Instructions;

    InitializeObjectAttributes(&Attributes, &Name, OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(NtOpenFile(&Handle, FILE_GENERIC_WRITE, &Attributes, &Iosb, FILE_SHARE_WRITE,
                               FILE_SYNCHRONOUS_IO_NONALERT)))
        return 0;       /* shown as 0 in the table: the device is missing */
    Instructions = KeBenchLoop(KbConsoleWrite, Handle, KB_CONSOLE_LINES);
    NtClose(Handle);
    return Instructions;
}
KBENCH(console_write_line, KbConsoleLine,
       "instructions per NtWriteFile of one 80-character line to \\Device\\Console (screen + COM1)");

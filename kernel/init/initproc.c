/*
 * initproc.c - the boot option /INIT="C:\path\prog.exe args": the first user
 * process, started once the system is up, and its exit status (NT: phase 1's
 * start of smss.exe, whose path is fixed there; here the option names it).
 *
 * The image is the first word of the value (or the quoted part, for a path with
 * spaces) as a DOS path, which becomes the NT path \??\C:\...; the whole value is
 * the command line, as a program's own name starts Windows command lines.
 */
#include <init.h>
#include <arc.h>
#include <ps.h>
#include <rtl.h>
#include <kd.h>

#define EXP_INIT_MAX 260

NTSTATUS ExpRunInitialProcess(PNTSTATUS ExitStatus)
{
    static WCHAR ImageBuffer[4 + EXP_INIT_MAX], CommandBuffer[EXP_INIT_MAX];
    CHAR Value[EXP_INIT_MAX];
    UNICODE_STRING Image, CommandLine;
    ULONG Index, Start = 0, End;
    NTSTATUS Status;

    Status = KeBootOptionValue("INIT", Value, sizeof(Value));
    if (!NT_SUCCESS(Status))
        return Status;
    if (Value[0] == '"') {
        Start = 1;
        for (End = 1; Value[End] != 0 && Value[End] != '"'; End++)
            ;
    } else {
        for (End = 0; Value[End] != 0 && Value[End] != ' '; End++)
            ;
    }
    /* A full DOS path is all the first process can have: there is no current
       directory or search path before it. */
    if (End - Start < 4 || Value[Start + 1] != ':' || Value[Start + 2] != '\\') {
        DbgPrint("/INIT: \"%s\" is not a full path like C:\\Windows\\System32\\prog.exe\n", Value);
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    }
    memcpy(ImageBuffer, u"\\??\\", 4 * sizeof(WCHAR));
    for (Index = Start; Index < End; Index++)
        ImageBuffer[4 + Index - Start] = (UCHAR)Value[Index];
    Image.Buffer = ImageBuffer;
    Image.Length = Image.MaximumLength = (USHORT)((4 + End - Start) * sizeof(WCHAR));
    for (Index = 0; Value[Index] != 0; Index++)
        CommandBuffer[Index] = (UCHAR)Value[Index];
    CommandLine.Buffer = CommandBuffer;
    CommandLine.Length = CommandLine.MaximumLength = (USHORT)(Index * sizeof(WCHAR));

    DbgPrint("Starting %s\n", Value);
    Status = PsRunInitialProcess(&Image, &CommandLine, ExitStatus);
    if (!NT_SUCCESS(Status))
        DbgPrint("/INIT: the process could not be created: %s (0x%08lX)\n",
                 KdStatusName(Status) ? KdStatusName(Status) : "?", (ULONG)Status);
    else
        DbgPrint("The process ended with status 0x%08lX\n", (ULONG)*ExitStatus);
    return Status;
}

/*
 * hello.c - the smallest native program: prints a line with its process and
 * thread IDs (from its TEB) and its command line on standard output, then returns
 * 42 from its entry point, which becomes its exit status (RtlUserThreadStart ends
 * the thread with it; the last thread ends the process).
 */
#include "native.h"

ULONG NTAPI HelloStart(PVOID Peb)
{
    char Line[128], *Out = Line;
    const char *Text = "hello from user mode: PID ";
    NATIVE_PROCESS_PARAMETERS *Parameters = NativePeb()->ProcessParameters;
    ULONG Index;

    while (*Text)
        *Out++ = *Text++;
    Out = NativeFormatDecimal(Out, __readfsdword(0x20));
    for (Text = ", TID "; *Text; )
        *Out++ = *Text++;
    Out = NativeFormatDecimal(Out, __readfsdword(0x24));
    for (Text = ", PEB ok"; *Text; )
        *Out++ = *Text++;
    if (Peb != (PVOID)NativePeb())
        Out[-2] = '!', Out[-1] = '!';
    *Out++ = '\r';
    *Out++ = '\n';
    *Out = 0;
    NativeWrite(Line);

    Out = Line;
    for (Text = "command line: "; *Text; )
        *Out++ = *Text++;
    for (Index = 0; Index < Parameters->CommandLine.Length / 2 && Out < Line + sizeof(Line) - 3; Index++)
        *Out++ = (char)Parameters->CommandLine.Buffer[Index];
    *Out++ = '\r';
    *Out++ = '\n';
    *Out = 0;
    NativeWrite(Line);
    return 42;
}

/*
 * dispstr.c - NtDisplayString: a native program's text on the boot screen (NT keeps
 * it with the boot video driver, ntos\inbv, which writes to the screen smss and
 * autochk print their progress on before any console exists).
 *
 * This kernel's boot screen is the HAL's VGA text screen, which COM1 mirrors, the
 * same place DbgPrint writes: so a native program that says hello with
 * RtlInitUnicodeString + NtDisplayString, as native samples for NT do, is seen on
 * both. NT asks for SeTcbPrivilege; there are no privileges yet, so any caller may.
 *
 * The string is captured (the Length bytes of its Buffer, probed in a fault-recovery
 * block) and narrowed a chunk at a time: characters the screen cannot show as they
 * are (above 0x7E, and control characters other than tab and the line ends) become
 * '?', so that nothing a program sends can drive the terminal on COM1.
 */
#include "exobjp.h"

#define EXP_DISPLAY_CHUNK 128   /* WCHARs narrowed and written at a time */

NTSTATUS NtDisplayString(PUNICODE_STRING String)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    WCHAR Wide[EXP_DISPLAY_CHUNK];
    CHAR Narrow[EXP_DISPLAY_CHUNK + 1];
    UNICODE_STRING Captured;
    ULONG Done, Count, Index;
    NTSTATUS Status;

    Status = ExCaptureUserData(&Captured, String, sizeof(Captured), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Captured.Length % sizeof(WCHAR) != 0 || Captured.Length > Captured.MaximumLength)
        return STATUS_INVALID_PARAMETER;
    if (Captured.Length != 0 && Captured.Buffer == NULL)
        return STATUS_ACCESS_VIOLATION;
    for (Done = 0; Done < Captured.Length / sizeof(WCHAR); Done += Count) {
        Count = Captured.Length / sizeof(WCHAR) - Done;
        if (Count > EXP_DISPLAY_CHUNK)
            Count = EXP_DISPLAY_CHUNK;
        Status = ExCaptureUserData(Wide, Captured.Buffer + Done, Count * sizeof(WCHAR), sizeof(WCHAR),
                                   PreviousMode);
        if (!NT_SUCCESS(Status))
            return Status;
        for (Index = 0; Index < Count; Index++) {
            WCHAR Character = Wide[Index];
            BOOLEAN Shown = (Character >= 0x20 && Character <= 0x7E) || Character == '\t' || Character == '\n' ||
                            Character == '\r';

            Narrow[Index] = Shown ? (CHAR)Character : '?';
        }
        Narrow[Count] = '\0';
        KdpWriteString(Narrow);
    }
    return STATUS_SUCCESS;
}

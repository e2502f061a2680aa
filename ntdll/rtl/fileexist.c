/*
 * fileexist.c - RtlDoesFileExists_U: whether a file or directory of that DOS name
 * exists, asked with NtQueryAttributesFile (no handle is opened). A name that is
 * there but may not be looked at (STATUS_ACCESS_DENIED, STATUS_SHARING_VIOLATION)
 * exists, as NT counts it.
 *
 * NT asks relative to the current directory's handle when the name is under it
 * (RtlDosPathNameToRelativeNtPathName_U's RelativeName). This kernel's I/O
 * manager does not yet open a name relative to a directory's file handle
 * (RootDirectory naming a file object), so the full NT name is asked instead:
 * the same answer, one lookup from the root longer.
 */
#include "rtlp.h"

BOOLEAN NTAPI RtlDoesFileExists_U(PCWSTR FileName)
{
    UNICODE_STRING NtName;
    OBJECT_ATTRIBUTES Attributes;
    FILE_BASIC_INFORMATION Information;
    NTSTATUS Status;

    if (!RtlDosPathNameToNtPathName_U(FileName, &NtName, NULL, NULL))
        return FALSE;
    InitializeObjectAttributes(&Attributes, &NtName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtQueryAttributesFile(&Attributes, &Information);
    RtlFreeUnicodeString(&NtName);
    return NT_SUCCESS(Status) || Status == STATUS_ACCESS_DENIED || Status == STATUS_SHARING_VIOLATION;
}

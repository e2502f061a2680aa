/*
 * fileexist.c - RtlDoesFileExists_U: whether a file or directory of that DOS name
 * exists, asked with NtQueryAttributesFile (no handle is opened). A name that is
 * there but may not be looked at (STATUS_ACCESS_DENIED, STATUS_SHARING_VIOLATION)
 * exists, as NT counts it.
 *
 * As NT does, a name under the current directory is asked relative to the
 * directory's open handle (RtlDosPathNameToRelativeNtPathName_U's RelativeName):
 * the file system starts from the directory it already holds instead of walking
 * the whole path from the volume's root again. Other names are asked by their full
 * NT name.
 */
#include "rtlp.h"

BOOLEAN NTAPI RtlDoesFileExists_U(PCWSTR FileName)
{
    RTL_RELATIVE_NAME_U Relative;
    UNICODE_STRING NtName;
    OBJECT_ATTRIBUTES Attributes;
    FILE_BASIC_INFORMATION Information;
    NTSTATUS Status;

    if (!RtlDosPathNameToRelativeNtPathName_U(FileName, &NtName, NULL, &Relative))
        return FALSE;
    if (Relative.RelativeName.Length != 0)
        InitializeObjectAttributes(&Attributes, &Relative.RelativeName, OBJ_CASE_INSENSITIVE,
                                   Relative.ContainingDirectory, NULL);
    else
        InitializeObjectAttributes(&Attributes, &NtName, OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtQueryAttributesFile(&Attributes, &Information);
    RtlReleaseRelativeName(&Relative);
    RtlFreeUnicodeString(&NtName);
    return NT_SUCCESS(Status) || Status == STATUS_ACCESS_DENIED || Status == STATUS_SHARING_VIOLATION;
}

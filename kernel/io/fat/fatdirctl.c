/*
 * fatdirctl.c - directory listing. NT: fastfat's dirctrl.c (FatQueryDirectory): one
 * entry per call, from a cursor the caller keeps (the FAT driver keeps it in the CCB
 * of each open: fatfsd/fsddir.c), with the long name, the 8.3 alias, sizes, attributes and times
 * as FileBothDirectoryInformation wants them.
 */
#include "fatp.h"

NTSTATUS FatQueryDirectory(PFAT_FCB Directory, PCUNICODE_STRING Pattern, PULONG Cursor,
                           PFAT_DIRECTORY_INFORMATION Information)
{
    PFAT_VOLUME Volume = Directory->Volume;
    ULONG PatternLength = Pattern != NULL ? Pattern->Length / sizeof(WCHAR) : 0;
    PFAT_ENTRY Entry;
    PFAT_DIRENT Dirent;
    PWCHAR Name;
    ULONG NameLength;
    NTSTATUS Status = FatpCheckFcb(Directory, FALSE);

    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (!Directory->IsDirectory) {
        return STATUS_INVALID_PARAMETER;
    }
    Entry = FatpAllocate(Volume, sizeof(*Entry));
    if (Entry == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (;;) {
        Status = FatpNextEntry(Volume, FatpFcbCluster(Directory), Cursor, Entry);
        if (!NT_SUCCESS(Status) || Status == STATUS_NO_MORE_FILES) {
            break;
        }
        Name = Entry->LongName;
        NameLength = Entry->LongNameLength;
        if (NameLength == 0) {
            NameLength = FatpFormatShortName(&Entry->Dirent, TRUE, Name);   /* "readme.txt" */
        }
        if (PatternLength == 0 ||
            FatpMatchPattern(Pattern->Buffer, PatternLength, Name, NameLength) ||
            FatpMatchPattern(Pattern->Buffer, PatternLength, Entry->ShortName, Entry->ShortNameLength)) {
            break;
        }
    }
    if (Status == STATUS_SUCCESS) {
        Dirent = &Entry->Dirent;
        memset(Information, 0, sizeof(*Information));
        memcpy(Information->FileName, Name, NameLength * sizeof(WCHAR));
        Information->FileNameLength = NameLength * sizeof(WCHAR);
        if (Entry->LongNameLength != 0) {
            memcpy(Information->ShortName, Entry->ShortName, Entry->ShortNameLength * sizeof(WCHAR));
            Information->ShortNameLength = Entry->ShortNameLength * sizeof(WCHAR);
        }
        Information->FileAttributes = Dirent->Attributes & (FAT_ATTRIBUTE_CHANGEABLE | FAT_ATTRIBUTE_DIRECTORY);
        if (Information->FileAttributes == 0) {
            Information->FileAttributes = FAT_ATTRIBUTE_NORMAL;
        }
        if (!(Dirent->Attributes & FAT_ATTRIBUTE_DIRECTORY)) {
            Information->EndOfFile = Dirent->FileSize;
            Information->AllocationSize = ((ULONGLONG)Dirent->FileSize + Volume->BytesPerCluster - 1) &
                                          ~((ULONGLONG)Volume->BytesPerCluster - 1);
        }
        Information->CreationTime.QuadPart =
            FatpFatTimeToNtTime(Dirent->CreationDate, Dirent->CreationTime, Dirent->CreationTimeTenths);
        Information->LastAccessTime.QuadPart = FatpFatTimeToNtTime(Dirent->LastAccessDate, 0, 0);
        Information->LastWriteTime.QuadPart =
            FatpFatTimeToNtTime(Dirent->LastWriteDate, Dirent->LastWriteTime, 0);
    }
    FatpFree(Volume, Entry);
    return Status;
}

/*
 * iofatrel.c - self-test of names relative to an open file (IO_FAT_RELATIVE):
 * OBJECT_ATTRIBUTES.RootDirectory a file handle, as kernel32 opens relative to the
 * current directory's handle. Through NtCreateFile, NtQueryAttributesFile,
 * NtDeleteFile and FileRenameInformation, with NT's answers:
 *   - relative to a directory: a file, a file in a subfolder ("sub\f.txt"), a new
 *     file; the new file object's RelatedFileObject and FileName; an empty name
 *     reopens the directory (the same FCB); the root handle needs no access;
 *   - relative to a file: a name is STATUS_OBJECT_PATH_NOT_FOUND, "" reopens it;
 *   - a name from '\' is STATUS_OBJECT_NAME_INVALID, as ".." and "." are (file
 *     systems do not resolve them); missing names and paths as for absolute ones;
 *   - relative to other devices' files: \Device\Null takes any name (its driver
 *     opens everything, as NT's does), the console none, a raw open of the volume
 *     none (STATUS_OBJECT_PATH_NOT_FOUND, fastfat's answer for a volume open);
 *   - the root handle closed while a file opened relative to it stays open;
 *   - a long chain of relative opens, each root closed, released by its last close;
 *   - IoGetFileObjectPath joins the names of a chain of relative opens;
 * and the pool and the File type's counts as they began.
 */
#include "exobjtest.h"
#include <io.h>
#include <ramdisk.h>

#define KST_REL_DIR u"\\??\\C:\\kstrel"

/* Links in a chain of relative opens: far more than a 12 KB kernel stack holds frames of
   a delete procedure that releases its related file object by recursion. */
#define KST_REL_CHAIN_DEPTH 2000

/* KST_CHECK of one status, saying which it was. */
#define KST_REL_STATUS(Call, Want)                                                           \
    do {                                                                                     \
        NTSTATUS KstGot_ = (Call);                                                           \
        if (KstGot_ != (Want)) {                                                             \
            DbgPrint("    %s: status %08lX, want %08lX (%s:%d)\n", #Call, (ULONG)KstGot_,     \
                     (ULONG)(Want), __FILE__, __LINE__);                                     \
            return STATUS_UNSUCCESSFUL;                                                      \
        }                                                                                    \
    } while (0)

static ULONG_PTR KstRelInformation;     /* the last open's IO_STATUS_BLOCK.Information */

/* Opens Path relative to Root (NULL: Path is absolute). */
static NTSTATUS KstRelOpen(HANDLE Root, PCWSTR Path, ACCESS_MASK Access, ULONG Disposition, ULONG Options,
                           PHANDLE Handle)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    IO_STATUS_BLOCK Iosb;
    UNICODE_STRING Name;
    NTSTATUS Status;

    KstExAttributes(&ObjectAttributes, &Name, Path, OBJ_CASE_INSENSITIVE);
    ObjectAttributes.RootDirectory = Root;
    Iosb.Information = 0;
    *Handle = NULL;
    Status = NtCreateFile(Handle, Access | SYNCHRONIZE, &ObjectAttributes, &Iosb, NULL, FILE_ATTRIBUTE_NORMAL,
                          FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, Disposition,
                          Options | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
    KstRelInformation = Iosb.Information;
    return Status;
}

/* Whether FileName of the file object behind Handle is Name. */
static BOOLEAN KstRelNameIs(HANDLE Handle, PCWSTR Name)
{
    PFILE_OBJECT FileObject = KstExObject(Handle);
    ULONG Length = 0;

    while (Name[Length] != 0)
        Length++;
    return FileObject->FileName.Length == Length * sizeof(WCHAR) &&
           memcmp(FileObject->FileName.Buffer, Name, Length * sizeof(WCHAR)) == 0;
}

static NTSTATUS KstRelQuery(HANDLE Root, PCWSTR Path, PFILE_BASIC_INFORMATION Basic)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;

    KstExAttributes(&ObjectAttributes, &Name, Path, OBJ_CASE_INSENSITIVE);
    ObjectAttributes.RootDirectory = Root;
    return NtQueryAttributesFile(&ObjectAttributes, Basic);
}

static NTSTATUS KstRelDelete(HANDLE Root, PCWSTR Path)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;

    KstExAttributes(&ObjectAttributes, &Name, Path, OBJ_CASE_INSENSITIVE);
    ObjectAttributes.RootDirectory = Root;
    return NtDeleteFile(&ObjectAttributes);
}

static ULONG KstRelRenameBuffer[64];

static NTSTATUS KstRelRename(HANDLE File, HANDLE Root, PCWSTR Name)
{
    PFILE_RENAME_INFORMATION Rename = (PFILE_RENAME_INFORMATION)KstRelRenameBuffer;
    IO_STATUS_BLOCK Iosb;
    ULONG Length = 0;

    while (Name[Length] != 0)
        Length++;
    memset(KstRelRenameBuffer, 0, sizeof(KstRelRenameBuffer));
    Rename->RootDirectory = Root;
    Rename->FileNameLength = Length * sizeof(WCHAR);
    memcpy(Rename->FileName, Name, Length * sizeof(WCHAR));
    return NtSetInformationFile(File, &Iosb, Rename, FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) +
                                Length * sizeof(WCHAR), FileRenameInformation);
}

/* The tree: \kstrel\sub\f.txt holding "rel". */
static NTSTATUS KstRelMakeTree(VOID)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;

    KST_REL_STATUS(KstRelOpen(NULL, KST_REL_DIR, FILE_LIST_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE, &Handle),
                   STATUS_SUCCESS);
    NtClose(Handle);
    KST_REL_STATUS(KstRelOpen(NULL, KST_REL_DIR u"\\sub", FILE_LIST_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE,
                              &Handle), STATUS_SUCCESS);
    NtClose(Handle);
    KST_REL_STATUS(KstRelOpen(NULL, KST_REL_DIR u"\\sub\\f.txt", FILE_WRITE_DATA, FILE_CREATE, 0, &Handle),
                   STATUS_SUCCESS);
    KST_REL_STATUS(NtWriteFile(Handle, NULL, NULL, NULL, &Iosb, "rel", 3, NULL, NULL), STATUS_SUCCESS);
    NtClose(Handle);
    return STATUS_SUCCESS;
}

/* Whether IoGetFileObjectPath of Handle's file is Path (the name ps gives an image). */
static BOOLEAN KstRelPathIs(HANDLE Handle, PCWSTR Path)
{
    WCHAR Buffer[64];
    ULONG Length = 0, Needed;

    while (Path[Length] != 0)
        Length++;
    Needed = IoGetFileObjectPath(KstExObject(Handle), NULL, 0);
    if (Needed != Length * sizeof(WCHAR) || Needed > sizeof(Buffer))
        return FALSE;
    return IoGetFileObjectPath(KstExObject(Handle), Buffer, sizeof(Buffer)) == Needed &&
           memcmp(Buffer, Path, Needed) == 0;
}

/* Opens relative to a directory, and the names that fail there. */
static NTSTATUS KstRelDirectory(HANDLE Dir)
{
    PFILE_OBJECT FileObject;
    IO_STATUS_BLOCK Iosb;
    HANDLE File, Again;
    CHAR Text[4];

    KST_REL_STATUS(KstRelOpen(Dir, u"sub\\f.txt", FILE_READ_DATA, FILE_OPEN, FILE_NON_DIRECTORY_FILE, &File),
                   STATUS_SUCCESS);
    KST_CHECK(KstRelInformation == FILE_OPENED);
    FileObject = KstExObject(File);
    KST_CHECK(FileObject->RelatedFileObject == KstExObject(Dir));
    KST_CHECK(KstRelNameIs(File, u"sub\\f.txt"));
    KST_CHECK(FileObject->Vpb == ((PFILE_OBJECT)KstExObject(Dir))->Vpb && FileObject->Vpb != NULL);
    KST_CHECK(KstRelPathIs(Dir, u"\\kstrel") && KstRelPathIs(File, u"\\kstrel\\sub\\f.txt"));
    memset(Text, 0, sizeof(Text));
    KST_REL_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Text, sizeof(Text), NULL, NULL), STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == 3 && memcmp(Text, "rel", 3) == 0);
    /* The same file by its absolute name is the same FCB. */
    KST_REL_STATUS(KstRelOpen(NULL, KST_REL_DIR u"\\SUB\\F.TXT", FILE_READ_DATA, FILE_OPEN, 0, &Again),
                   STATUS_SUCCESS);
    KST_CHECK(((PFILE_OBJECT)KstExObject(Again))->FsContext == FileObject->FsContext);
    NtClose(Again);

    /* Relative to a file that is no directory: a name is no path (fastfat's answer);
       an empty name reopens the file. */
    KST_REL_STATUS(KstRelOpen(File, u"x", FILE_READ_DATA, FILE_OPEN, 0, &Again), STATUS_OBJECT_PATH_NOT_FOUND);
    KST_REL_STATUS(KstRelOpen(File, u"", FILE_READ_DATA, FILE_OPEN, 0, &Again), STATUS_SUCCESS);
    KST_CHECK(((PFILE_OBJECT)KstExObject(Again))->FsContext == FileObject->FsContext);
    NtClose(Again);
    NtClose(File);

    /* An empty name: the directory itself, again. */
    KST_REL_STATUS(KstRelOpen(Dir, u"", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE, &Again),
                   STATUS_SUCCESS);
    KST_CHECK(((PFILE_OBJECT)KstExObject(Again))->FsContext == ((PFILE_OBJECT)KstExObject(Dir))->FsContext);
    KST_CHECK(KstRelNameIs(Again, u""));
    /* A path through the reopen (an empty name) has no doubled separator. */
    KST_REL_STATUS(KstRelOpen(Again, u"sub", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE, &File),
                   STATUS_SUCCESS);
    KST_CHECK(KstRelPathIs(Again, u"\\kstrel") && KstRelPathIs(File, u"\\kstrel\\sub"));
    NtClose(File);
    NtClose(Again);
    KST_REL_STATUS(KstRelOpen(Dir, u"sub\\", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE, &Again),
                   STATUS_SUCCESS);
    NtClose(Again);

    /* Created relative, in a subfolder; there by its absolute name. */
    KST_REL_STATUS(KstRelOpen(Dir, u"sub\\new.txt", FILE_WRITE_DATA, FILE_CREATE, 0, &File), STATUS_SUCCESS);
    KST_CHECK(KstRelInformation == FILE_CREATED);
    NtClose(File);
    KST_REL_STATUS(KstRelOpen(NULL, KST_REL_DIR u"\\sub\\new.txt", FILE_READ_DATA, FILE_OPEN, 0, &File),
                   STATUS_SUCCESS);
    NtClose(File);

    /* Names the file system refuses or does not find. */
    KST_REL_STATUS(KstRelOpen(Dir, u"\\sub", FILE_READ_DATA, FILE_OPEN, 0, &File), STATUS_OBJECT_NAME_INVALID);
    KST_REL_STATUS(KstRelOpen(Dir, u"..", FILE_READ_DATA, FILE_OPEN, 0, &File), STATUS_OBJECT_NAME_INVALID);
    KST_REL_STATUS(KstRelOpen(Dir, u"..\\kstrel", FILE_READ_DATA, FILE_OPEN, 0, &File),
                   STATUS_OBJECT_NAME_INVALID);
    KST_REL_STATUS(KstRelOpen(Dir, u"sub\\.\\f.txt", FILE_READ_DATA, FILE_OPEN, 0, &File),
                   STATUS_OBJECT_NAME_INVALID);
    KST_REL_STATUS(KstRelOpen(Dir, u"missing", FILE_READ_DATA, FILE_OPEN, 0, &File), STATUS_OBJECT_NAME_NOT_FOUND);
    KST_REL_STATUS(KstRelOpen(Dir, u"missing\\f.txt", FILE_READ_DATA, FILE_OPEN, 0, &File),
                   STATUS_OBJECT_PATH_NOT_FOUND);
    KST_REL_STATUS(KstRelOpen(Dir, u"sub\\f.txt\\x", FILE_READ_DATA, FILE_OPEN, 0, &File),
                   STATUS_OBJECT_PATH_NOT_FOUND);
    KST_REL_STATUS(KstRelOpen(Dir, u"sub", FILE_READ_DATA, FILE_OPEN, FILE_NON_DIRECTORY_FILE, &File),
                   STATUS_FILE_IS_A_DIRECTORY);
    return STATUS_SUCCESS;
}

/* NtQueryAttributesFile, NtDeleteFile and rename, relative. */
static NTSTATUS KstRelNameServices(HANDLE Dir)
{
    FILE_BASIC_INFORMATION Basic;
    HANDLE File, Sub;

    KST_REL_STATUS(KstRelQuery(Dir, u"sub\\f.txt", &Basic), STATUS_SUCCESS);
    KST_CHECK(Basic.FileAttributes == FILE_ATTRIBUTE_ARCHIVE);
    KST_REL_STATUS(KstRelQuery(Dir, u"sub", &Basic), STATUS_SUCCESS);
    KST_CHECK(Basic.FileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    KST_REL_STATUS(KstRelQuery(Dir, u"", &Basic), STATUS_SUCCESS);
    KST_CHECK(Basic.FileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    KST_REL_STATUS(KstRelQuery(Dir, u"nothing", &Basic), STATUS_OBJECT_NAME_NOT_FOUND);
    KST_REL_STATUS(KstRelQuery(Dir, u"\\sub", &Basic), STATUS_OBJECT_NAME_INVALID);

    KST_REL_STATUS(KstRelDelete(Dir, u"sub\\new.txt"), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelQuery(Dir, u"sub\\new.txt", &Basic), STATUS_OBJECT_NAME_NOT_FOUND);
    KST_REL_STATUS(KstRelDelete(Dir, u"sub\\new.txt"), STATUS_OBJECT_NAME_NOT_FOUND);

    /* Rename with RootDirectory: a bare name goes into the root handle's directory,
       a path below it into that folder (opened relative to the handle). */
    KST_REL_STATUS(KstRelOpen(Dir, u"sub\\f.txt", DELETE, FILE_OPEN, 0, &File), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelRename(File, Dir, u"moved.txt"), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelQuery(Dir, u"moved.txt", &Basic), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelRename(File, Dir, u"sub\\f2.txt"), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelQuery(Dir, u"sub\\f2.txt", &Basic), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelQuery(Dir, u"moved.txt", &Basic), STATUS_OBJECT_NAME_NOT_FOUND);
    KST_REL_STATUS(KstRelRename(File, Dir, u"\\x.txt"), STATUS_OBJECT_NAME_INVALID);
    KST_REL_STATUS(KstRelRename(File, Dir, u"nowhere\\x.txt"), STATUS_OBJECT_PATH_NOT_FOUND);
    /* Relative to the folder's own handle, back to its first name. */
    KST_REL_STATUS(KstRelOpen(Dir, u"sub", FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE, &Sub),
                   STATUS_SUCCESS);
    KST_REL_STATUS(KstRelRename(File, Sub, u"f.txt"), STATUS_SUCCESS);
    NtClose(Sub);
    NtClose(File);
    KST_REL_STATUS(KstRelQuery(Dir, u"sub\\f.txt", &Basic), STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

/* Roots that are other devices' files, a directory object, a handle closed early. */
static NTSTATUS KstRelOtherRoots(VOID)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;
    HANDLE Root, File, Directory;
    IO_STATUS_BLOCK Iosb;
    CHAR Text[4];

    /* \Device\Null's driver opens every name, relative ones too. */
    KST_REL_STATUS(KstRelOpen(NULL, u"\\Device\\Null", FILE_READ_DATA, FILE_OPEN, 0, &Root), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelOpen(Root, u"anything", FILE_READ_DATA, FILE_OPEN, 0, &File), STATUS_SUCCESS);
    KST_CHECK(((PFILE_OBJECT)KstExObject(File))->RelatedFileObject == KstExObject(Root));
    KST_CHECK(((PFILE_OBJECT)KstExObject(File))->DeviceObject == ((PFILE_OBJECT)KstExObject(Root))->DeviceObject);
    KST_CHECK(((PFILE_OBJECT)KstExObject(File))->Vpb == NULL);
    NtClose(File);

    /* A chain of relative opens each holding the one before, the handles closed as it
       grows: the last close releases the whole chain, as deep as it is, without
       recursing once per link on the kernel stack. */
    for (ULONG Depth = 0; Depth < KST_REL_CHAIN_DEPTH; Depth++) {
        KST_REL_STATUS(KstRelOpen(Root, u"", FILE_READ_DATA, FILE_OPEN, 0, &File), STATUS_SUCCESS);
        NtClose(Root);
        Root = File;
    }
    NtClose(Root);

    /* The console has no names below it; "" reopens it. */
    KST_REL_STATUS(KstRelOpen(NULL, u"\\Device\\Console", FILE_READ_ATTRIBUTES, FILE_OPEN, 0, &Root),
                   STATUS_SUCCESS);
    KST_REL_STATUS(KstRelOpen(Root, u"x", FILE_READ_ATTRIBUTES, FILE_OPEN, 0, &File), STATUS_OBJECT_NAME_NOT_FOUND);
    KST_REL_STATUS(KstRelOpen(Root, u"", FILE_READ_ATTRIBUTES, FILE_OPEN, 0, &File), STATUS_SUCCESS);
    NtClose(File);
    NtClose(Root);

    /* A raw open of the volume: no names below it. */
    KST_REL_STATUS(KstRelOpen(NULL, u"\\??\\C:", FILE_READ_DATA, FILE_OPEN, 0, &Root), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelOpen(Root, u"kstrel", FILE_READ_DATA, FILE_OPEN, 0, &File), STATUS_OBJECT_PATH_NOT_FOUND);
    KST_REL_STATUS(KstRelOpen(Root, u"", FILE_READ_DATA, FILE_OPEN, 0, &File), STATUS_SUCCESS);
    KST_CHECK(((PFILE_OBJECT)KstExObject(File))->Vpb == NULL);
    NtClose(File);
    NtClose(Root);

    /* A directory object as the root still works as it did (through \??'s C: link);
       a name from '\' relative to anything but a file is a syntax error. */
    KstExAttributes(&ObjectAttributes, &Name, u"\\??", OBJ_CASE_INSENSITIVE);
    KST_REL_STATUS(NtOpenDirectoryObject(&Directory, DIRECTORY_TRAVERSE, &ObjectAttributes), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelOpen(Directory, u"C:\\kstrel\\sub\\f.txt", FILE_READ_DATA, FILE_OPEN, 0, &File),
                   STATUS_SUCCESS);
    NtClose(File);
    KST_REL_STATUS(KstRelOpen(Directory, u"\\C:", FILE_READ_DATA, FILE_OPEN, 0, &File),
                   STATUS_OBJECT_PATH_SYNTAX_BAD);
    NtClose(Directory);

    /* The root handle may go first: the relative file keeps its related one. */
    KST_REL_STATUS(KstRelOpen(NULL, KST_REL_DIR, FILE_READ_ATTRIBUTES, FILE_OPEN, FILE_DIRECTORY_FILE, &Root),
                   STATUS_SUCCESS);
    KST_REL_STATUS(KstRelOpen(Root, u"sub\\f.txt", FILE_READ_DATA, FILE_OPEN, 0, &File), STATUS_SUCCESS);
    NtClose(Root);
    memset(Text, 0, sizeof(Text));
    KST_REL_STATUS(NtReadFile(File, NULL, NULL, NULL, &Iosb, Text, sizeof(Text), NULL, NULL), STATUS_SUCCESS);
    KST_CHECK(memcmp(Text, "rel", 3) == 0);
    KST_CHECK(((PFILE_OBJECT)KstExObject(File))->RelatedFileObject != NULL);
    NtClose(File);
    return STATUS_SUCCESS;
}

static NTSTATUS KstRelRemoveTree(VOID)
{
    KST_REL_STATUS(KstRelDelete(NULL, KST_REL_DIR u"\\sub\\f.txt"), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelDelete(NULL, KST_REL_DIR u"\\sub"), STATUS_SUCCESS);
    KST_REL_STATUS(KstRelDelete(NULL, KST_REL_DIR), STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

static NTSTATUS KstFatRelative(VOID)
{
    KST_EX_BASELINE Baseline;
    ULONG Files, FileHandles;
    NTSTATUS Status;
    HANDLE Dir;

    if (IoGetBootVolume() == NULL)
        return STATUS_SUCCESS;
    Files = IoFileObjectType->TotalNumberOfObjects;
    FileHandles = IoFileObjectType->TotalNumberOfHandles;
    KstExTakeBaseline(&Baseline);
    Status = KstRelMakeTree();
    if (!NT_SUCCESS(Status))
        return Status;
    /* FILE_READ_ATTRIBUTES only: opening below the handle asks no access of it. */
    KST_REL_STATUS(KstRelOpen(NULL, KST_REL_DIR, FILE_READ_ATTRIBUTES, FILE_OPEN, FILE_DIRECTORY_FILE, &Dir),
                   STATUS_SUCCESS);
    Status = KstRelDirectory(Dir);
    if (NT_SUCCESS(Status))
        Status = KstRelNameServices(Dir);
    NtClose(Dir);
    if (NT_SUCCESS(Status))
        Status = KstRelOtherRoots();
    if (NT_SUCCESS(Status))
        Status = KstRelRemoveTree();
    if (!NT_SUCCESS(Status))
        return Status;
    KST_CHECK(IoFileObjectType->TotalNumberOfObjects == Files);
    KST_CHECK(IoFileObjectType->TotalNumberOfHandles == FileHandles);
    return KstExCheckBaseline(&Baseline, "relative opens");
}
KSELFTEST(IO_FAT_RELATIVE, KstFatRelative);

/*
 * test_rtlpath.c - ntdll's DOS paths on the host (ntdll/rtl/pathtype.c,
 * fullpath.c, ntpath.c, curdir.c): path types, full paths and NT paths as a table
 * of inputs against a current directory of C:\Dir, the per-drive "=D:" variables,
 * a UNC current directory, and getting and setting the current directory over
 * rtlhost.c's fake directories; names relative to the current directory's
 * handle (relname.c), RtlDoesFileExists_U, RtlIsDosDeviceName_U and
 * RtlDosSearchPath_U over its fake files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rtlhost.h"

static const WCHAR DefaultEnvironment[] = u"=D:=D:\\Work\0PATH=C:\\Windows\0";

static int Setup(void **State)
{
    (void)State;
    RtlHostReset(u"C:\\Dir\\", DefaultEnvironment);
    return 0;
}

/* ---- path types ---- */

static void test_path_types(void **State)
{
    static const struct {
        PCWSTR Path;
        RTL_PATH_TYPE Type;
    } Cases[] = {
        { u"C:\\x", RtlPathTypeDriveAbsolute },   { u"c:/x", RtlPathTypeDriveAbsolute },
        { u"C:x", RtlPathTypeDriveRelative },     { u"C:", RtlPathTypeDriveRelative },
        { u"\\x", RtlPathTypeRooted },            { u"/x", RtlPathTypeRooted },
        { u"\\", RtlPathTypeRooted },             { u"x\\y", RtlPathTypeRelative },
        { u".", RtlPathTypeRelative },            { u"..", RtlPathTypeRelative },
        { u"", RtlPathTypeRelative },             { u"\\\\server\\share", RtlPathTypeUncAbsolute },
        { u"//server/share", RtlPathTypeUncAbsolute }, { u"\\\\.x", RtlPathTypeUncAbsolute },
        { u"\\\\", RtlPathTypeUncAbsolute },      { u"\\\\.\\CON", RtlPathTypeLocalDevice },
        { u"\\\\?\\C:\\x", RtlPathTypeLocalDevice }, { u"//./x", RtlPathTypeLocalDevice },
        { u"\\\\.", RtlPathTypeRootLocalDevice }, { u"\\\\?", RtlPathTypeRootLocalDevice },
    };

    (void)State;
    for (size_t Index = 0; Index < RTL_NUMBER_OF(Cases); Index++) {
        if (RtlDetermineDosPathNameType_U(Cases[Index].Path) != Cases[Index].Type)
            fail_msg("case %zu: type %d, expected %d", Index, RtlDetermineDosPathNameType_U(Cases[Index].Path),
                     Cases[Index].Type);
    }
}

/* ---- the table: DOS name -> full path -> NT path (current directory C:\Dir\) ---- */

typedef struct _PATH_CASE {
    PCWSTR Dos;
    PCWSTR Full;        /* RtlGetFullPathName_U */
    PCWSTR Nt;          /* RtlDosPathNameToNtPathName_U */
    PCWSTR FilePart;    /* its FilePart, NULL for none */
} PATH_CASE;

static const PATH_CASE PathCases[] = {
    /* drive-absolute */
    { u"C:\\x", u"C:\\x", u"\\??\\C:\\x", u"x" },
    { u"c:\\x\\y.txt", u"C:\\x\\y.txt", u"\\??\\C:\\x\\y.txt", u"y.txt" },
    { u"C:/a/b", u"C:\\a\\b", u"\\??\\C:\\a\\b", u"b" },
    { u"C:\\a\\\\b", u"C:\\a\\b", u"\\??\\C:\\a\\b", u"b" },
    { u"C:\\a\\b\\", u"C:\\a\\b\\", u"\\??\\C:\\a\\b\\", NULL },
    { u"C:\\", u"C:\\", u"\\??\\C:\\", NULL },
    { u"C:\\a\\..\\..\\..", u"C:\\", u"\\??\\C:\\", NULL },
    { u"C:\\a\\.\\b\\..\\c", u"C:\\a\\c", u"\\??\\C:\\a\\c", u"c" },
    /* relative to the current directory */
    { u"x\\y", u"C:\\Dir\\x\\y", u"\\??\\C:\\Dir\\x\\y", u"y" },
    { u"x", u"C:\\Dir\\x", u"\\??\\C:\\Dir\\x", u"x" },
    { u".", u"C:\\Dir", u"\\??\\C:\\Dir", u"Dir" },
    { u".\\", u"C:\\Dir\\", u"\\??\\C:\\Dir\\", NULL },
    { u"..", u"C:\\", u"\\??\\C:\\", NULL },
    { u"..\\..\\x", u"C:\\x", u"\\??\\C:\\x", u"x" },
    { u"a\\.\\b\\..\\c", u"C:\\Dir\\a\\c", u"\\??\\C:\\Dir\\a\\c", u"c" },
    /* rooted: the current drive's root */
    { u"\\x", u"C:\\x", u"\\??\\C:\\x", u"x" },
    { u"\\", u"C:\\", u"\\??\\C:\\", NULL },
    /* drive-relative: this drive's current directory, another's "=D:" or its root */
    { u"C:x", u"C:\\Dir\\x", u"\\??\\C:\\Dir\\x", u"x" },
    { u"C:", u"C:\\Dir", u"\\??\\C:\\Dir", u"Dir" },
    { u"D:x", u"D:\\Work\\x", u"\\??\\D:\\Work\\x", u"x" },
    { u"e:x", u"E:\\x", u"\\??\\E:\\x", u"x" },
    /* trailing dots and spaces */
    { u"file. ", u"C:\\Dir\\file", u"\\??\\C:\\Dir\\file", u"file" },
    { u"file...", u"C:\\Dir\\file", u"\\??\\C:\\Dir\\file", u"file" },
    { u"a.\\b", u"C:\\Dir\\a\\b", u"\\??\\C:\\Dir\\a\\b", u"b" },
    /* UNC */
    { u"\\\\server\\share\\x", u"\\\\server\\share\\x", u"\\??\\UNC\\server\\share\\x", u"x" },
    { u"\\\\server\\share", u"\\\\server\\share", u"\\??\\UNC\\server\\share", u"share" },
    { u"//server/share/x/../y", u"\\\\server\\share\\y", u"\\??\\UNC\\server\\share\\y", u"y" },
    { u"\\\\server\\share\\..\\..", u"\\\\server\\share", u"\\??\\UNC\\server\\share", u"share" },
    /* \\.\ : the local device namespace, normalized */
    { u"\\\\.\\CON", u"\\\\.\\CON", u"\\??\\CON", u"CON" },
    { u"\\\\.\\C:\\a\\..\\b", u"\\\\.\\C:\\b", u"\\??\\C:\\b", u"b" },
    { u"\\\\.\\PhysicalDrive0", u"\\\\.\\PhysicalDrive0", u"\\??\\PhysicalDrive0", u"PhysicalDrive0" },
    { u"\\\\.", u"\\\\.\\", u"\\??\\", NULL },
    /* DOS devices, wherever they are named and whatever their extension */
    { u"CON", u"\\\\.\\CON", u"\\??\\CON", NULL },
    { u"nul", u"\\\\.\\nul", u"\\??\\nul", NULL },
    { u"C:\\Dir\\con.txt", u"\\\\.\\con", u"\\??\\con", NULL },
    { u"COM1", u"\\\\.\\COM1", u"\\??\\COM1", NULL },
    { u"lpt9 ", u"\\\\.\\lpt9", u"\\??\\lpt9", NULL },
    { u"prn:", u"\\\\.\\prn", u"\\??\\prn", NULL },
    { u"AUX", u"\\\\.\\AUX", u"\\??\\AUX", NULL },
    /* not devices */
    { u"COM0", u"C:\\Dir\\COM0", u"\\??\\C:\\Dir\\COM0", u"COM0" },
    { u"CONX", u"C:\\Dir\\CONX", u"\\??\\C:\\Dir\\CONX", u"CONX" },
    { u"CON\\x", u"C:\\Dir\\CON\\x", u"\\??\\C:\\Dir\\CON\\x", u"x" },
};

static void test_full_path_table(void **State)
{
    WCHAR Buffer[RTLP_MAX_PATH];

    (void)State;
    for (size_t Index = 0; Index < RTL_NUMBER_OF(PathCases); Index++) {
        PWSTR ShortName = (PWSTR)1;
        ULONG Bytes = RtlGetFullPathName_U(PathCases[Index].Dos, sizeof(Buffer), Buffer, &ShortName);

        assert_wstr(Buffer, PathCases[Index].Full);
        assert_int_equal(Bytes, wcslen(PathCases[Index].Full) * sizeof(WCHAR));
        if (PathCases[Index].FilePart == NULL)
            assert_null(ShortName);
        else
            assert_wstr(ShortName, PathCases[Index].FilePart);
    }
}

static void test_nt_path_table(void **State)
{
    (void)State;
    for (size_t Index = 0; Index < RTL_NUMBER_OF(PathCases); Index++) {
        UNICODE_STRING NtName;
        PCWSTR FilePart = (PCWSTR)1;
        CURDIR Relative;

        memset(&Relative, 0xCC, sizeof(Relative));
        assert_true(RtlDosPathNameToNtPathName_U(PathCases[Index].Dos, &NtName, &FilePart, &Relative));
        assert_ustr(&NtName, PathCases[Index].Nt);
        assert_int_equal(NtName.MaximumLength, NtName.Length + sizeof(WCHAR));
        assert_int_equal(NtName.Buffer[NtName.Length / sizeof(WCHAR)], 0);
        if (PathCases[Index].FilePart == NULL) {
            assert_null(FilePart);
        } else {
            assert_wstr(FilePart, PathCases[Index].FilePart);
            assert_true(FilePart >= NtName.Buffer && FilePart < NtName.Buffer + NtName.Length / sizeof(WCHAR));
        }
        assert_null(Relative.Handle);
        assert_int_equal(Relative.DosPath.Length, 0);
        RtlFreeUnicodeString(&NtName);
    }
}

/* \\?\ is passed through untouched: no "..", no trailing dots, no devices. */
static void test_nt_path_verbatim(void **State)
{
    static const struct {
        PCWSTR Dos, Nt;
    } Cases[] = {
        { u"\\\\?\\C:\\a\\..\\b. ", u"\\??\\C:\\a\\..\\b. " },
        { u"\\\\?\\CON", u"\\??\\CON" },
        { u"\\\\?\\UNC\\server\\share\\x", u"\\??\\UNC\\server\\share\\x" },
        { u"\\\\?\\C:/x", u"\\??\\C:/x" },
    };
    UNICODE_STRING NtName;

    (void)State;
    for (size_t Index = 0; Index < RTL_NUMBER_OF(Cases); Index++) {
        assert_true(RtlDosPathNameToNtPathName_U(Cases[Index].Dos, &NtName, NULL, NULL));
        assert_ustr(&NtName, Cases[Index].Nt);
        RtlFreeUnicodeString(&NtName);
    }
    assert_false(RtlDosPathNameToNtPathName_U(u"", &NtName, NULL, NULL));
    assert_false(RtlDosPathNameToNtPathName_U(NULL, &NtName, NULL, NULL));
}

/* A current directory on a share: "\x" is the share's root, ".." stops there. */
static void test_unc_current_directory(void **State)
{
    static const struct {
        PCWSTR Dos, Full;
    } Cases[] = {
        { u"\\x", u"\\\\server\\share\\x" },
        { u"x", u"\\\\server\\share\\dir\\x" },
        { u"..\\..\\..", u"\\\\server\\share" },
        { u"C:x", u"C:\\x" },
    };
    WCHAR Buffer[RTLP_MAX_PATH];

    (void)State;
    RtlHostReset(u"\\\\server\\share\\dir\\", NULL);
    for (size_t Index = 0; Index < RTL_NUMBER_OF(Cases); Index++) {
        assert_int_not_equal(RtlGetFullPathName_U(Cases[Index].Dos, sizeof(Buffer), Buffer, NULL), 0);
        assert_wstr(Buffer, Cases[Index].Full);
    }
}

/* Too small a buffer: the size needed, NUL included, and nothing written. */
static void test_full_path_buffer_too_small(void **State)
{
    WCHAR Buffer[8] = { 'z', 0 };
    PWSTR ShortName = (PWSTR)1;

    (void)State;
    /* "C:\Dir\abc" is 10 characters: 22 bytes with the NUL. */
    assert_int_equal(RtlGetFullPathName_U(u"abc", sizeof(Buffer), Buffer, &ShortName), 22);
    assert_int_equal(Buffer[0], 'z');
    assert_null(ShortName);
    assert_int_equal(RtlGetFullPathName_U(u"abc", 22, (WCHAR[11]){ 0 }, NULL), 20);
    assert_int_equal(RtlGetFullPathName_U(u"", sizeof(Buffer), Buffer, NULL), 0);
}

/* ---- the current directory ---- */

static void test_get_current_directory(void **State)
{
    WCHAR Buffer[RTLP_MAX_PATH];

    (void)State;
    assert_int_equal(RtlGetCurrentDirectory_U(sizeof(Buffer), Buffer), 12);
    assert_wstr(Buffer, u"C:\\Dir");
    assert_int_equal(RtlGetCurrentDirectory_U(12, Buffer), 14);
    RtlHostReset(u"C:\\", NULL);
    assert_int_equal(RtlGetCurrentDirectory_U(sizeof(Buffer), Buffer), 6);
    assert_wstr(Buffer, u"C:\\");
}

static void SetDirectory(PCWSTR Path, NTSTATUS Expected)
{
    UNICODE_STRING String;

    RtlInitUnicodeString(&String, Path);
    assert_int_equal(RtlSetCurrentDirectory_U(&String), Expected);
}

static void test_set_current_directory(void **State)
{
    PCURDIR Current = &RtlHostParameters.CurrentDirectory;

    (void)State;
    SetDirectory(u"C:\\Windows", STATUS_SUCCESS);
    assert_ustr(&Current->DosPath, u"C:\\Windows\\");
    assert_ptr_equal(Current->Handle, (HANDLE)0x108);
    assert_int_equal(RtlHostOpenHandles, 1);

    SetDirectory(u"system32\\", STATUS_SUCCESS);        /* relative, any case */
    assert_ustr(&Current->DosPath, u"C:\\Windows\\system32\\");
    assert_int_equal(RtlHostOpenHandles, 1);            /* the old handle closed */

    SetDirectory(u"..\\..", STATUS_SUCCESS);
    assert_ustr(&Current->DosPath, u"C:\\");
    assert_ptr_equal(Current->Handle, (HANDLE)0x100);

    /* Failures leave everything as it was. */
    SetDirectory(u"C:\\Dir\\file.txt", STATUS_NOT_A_DIRECTORY);
    SetDirectory(u"C:\\Nowhere", STATUS_OBJECT_NAME_NOT_FOUND);
    SetDirectory(u"CON", STATUS_NOT_A_DIRECTORY);
    assert_ustr(&Current->DosPath, u"C:\\");
    assert_int_equal(RtlHostOpenHandles, 1);

    SetDirectory(u"\\\\server\\share", STATUS_SUCCESS);
    assert_ustr(&Current->DosPath, u"\\\\server\\share\\");

    /* The counted string need not end in NUL. */
    UNICODE_STRING Cut = { 12, 12, (PWSTR)u"C:\\Dirty" };
    assert_int_equal(RtlSetCurrentDirectory_U(&Cut), STATUS_SUCCESS);
    assert_ustr(&Current->DosPath, u"C:\\Dir\\");
    NtClose(Current->Handle);
}

/*
 * The current directory is read and changed under the PEB lock, as NT's: the
 * directory is opened and the old handle closed with it held, and every path
 * made whole reads the directory under it. Failures let it go.
 */
static void test_current_directory_peb_lock(void **State)
{
    WCHAR Buffer[64];
    UNICODE_STRING NtName;

    (void)State;
    SetDirectory(u"C:\\Windows", STATUS_SUCCESS);
    assert_int_equal(RtlHostPebLockAtOpen, 1);
    assert_int_equal(RtlHostPebLockDepth, 0);
    SetDirectory(u"C:\\Nowhere", STATUS_OBJECT_NAME_NOT_FOUND);
    SetDirectory(u"CON", STATUS_NOT_A_DIRECTORY);
    assert_int_equal(RtlHostPebLockDepth, 0);

    RtlHostPebLockTaken = 0;
    assert_int_equal(RtlGetCurrentDirectory_U(sizeof(Buffer), Buffer), 20);
    assert_int_equal(RtlHostPebLockTaken, 1);
    assert_int_equal(RtlGetFullPathName_U(u"x", sizeof(Buffer), Buffer, NULL), 24);
    assert_int_equal(RtlHostPebLockTaken, 2);
    assert_true(RtlDosPathNameToNtPathName_U(u"x", &NtName, NULL, NULL));
    assert_int_equal(RtlHostPebLockTaken, 3);
    assert_int_equal(RtlHostPebLockDepth, 0);
    RtlFreeUnicodeString(&NtName);
    NtClose(RtlHostParameters.CurrentDirectory.Handle);
}

/* A DosPath buffer too small for the new directory is replaced by a heap one. */
static void test_set_current_directory_grows(void **State)
{
    PCURDIR Current = &RtlHostParameters.CurrentDirectory;

    (void)State;
    Current->DosPath.MaximumLength = Current->DosPath.Length + sizeof(WCHAR);
    SetDirectory(u"C:\\Windows\\System32", STATUS_SUCCESS);
    assert_ustr(&Current->DosPath, u"C:\\Windows\\System32\\");
    assert_int_equal(Current->DosPath.MaximumLength, RTLP_MAX_PATH * sizeof(WCHAR));
    assert_int_equal(RtlHostHeapBlocks(), 1);
    SetDirectory(u"C:\\Windows", STATUS_SUCCESS);       /* fits: the same buffer */
    assert_int_equal(RtlHostHeapBlocks(), 1);
    assert_ustr(&Current->DosPath, u"C:\\Windows\\");
    RtlFreeHeap(RtlHostPeb.ProcessHeap, 0, Current->DosPath.Buffer);
    NtClose(Current->Handle);
}

/* ---- names relative to the current directory's handle (relname.c, curdir.c) ---- */

static void test_relative_name(void **State)
{
    UNICODE_STRING NtName;
    RTL_RELATIVE_NAME_U Relative;
    PCWSTR FilePart;

    (void)State;
    SetDirectory(u"C:\\Dir", STATUS_SUCCESS);
    assert_int_equal(RtlHostOpenHandles, 1);
    assert_true(RtlDosPathNameToRelativeNtPathName_U(u"sub\\x.exe", &NtName, &FilePart, &Relative));
    assert_ustr(&NtName, u"\\??\\C:\\Dir\\sub\\x.exe");
    assert_wstr(FilePart, u"x.exe");
    assert_ustr(&Relative.RelativeName, u"sub\\x.exe");
    assert_ptr_equal(Relative.RelativeName.Buffer, NtName.Buffer + 11);
    assert_ptr_equal(Relative.ContainingDirectory, RtlHostParameters.CurrentDirectory.Handle);
    assert_non_null(Relative.CurDirRef);
    assert_int_equal(RtlHostPebLockDepth, 0);

    /* The directory changes: its old handle stays open for the relative name. */
    SetDirectory(u"C:\\Windows", STATUS_SUCCESS);
    assert_int_equal(RtlHostOpenHandles, 2);
    RtlReleaseRelativeName(&Relative);
    assert_null(Relative.CurDirRef);
    assert_int_equal(RtlHostOpenHandles, 1);
    RtlFreeUnicodeString(&NtName);

    /* Not under the current directory, or not a relative name: no relative part. */
    static const WCHAR *const Outside[] = { u"..\\Dir\\x", u"C:\\Windows\\x", u"\\Windows\\x", u"C:x" };
    for (size_t Index = 0; Index < RTL_NUMBER_OF(Outside); Index++) {
        assert_true(RtlDosPathNameToRelativeNtPathName_U(Outside[Index], &NtName, NULL, &Relative));
        assert_int_equal(Relative.RelativeName.Length, 0);
        assert_null(Relative.RelativeName.Buffer);
        assert_null(Relative.ContainingDirectory);
        assert_null(Relative.CurDirRef);
        RtlReleaseRelativeName(&Relative);
        RtlFreeUnicodeString(&NtName);
    }
    assert_false(RtlDosPathNameToRelativeNtPathName_U(u"", &NtName, NULL, &Relative));
    /* The last reference, the PEB's, goes with the next change of directory. */
    assert_true(RtlDosPathNameToRelativeNtPathName_U(u"a", &NtName, NULL, &Relative));
    RtlReleaseRelativeName(&Relative);
    RtlFreeUnicodeString(&NtName);
    SetDirectory(u"C:\\", STATUS_SUCCESS);
    assert_int_equal(RtlHostOpenHandles, 1);
}

static void test_file_exists(void **State)
{
    (void)State;
    SetDirectory(u"C:\\Dir", STATUS_SUCCESS);
    assert_true(RtlDoesFileExists_U(u"file.txt"));
    /* Under the current directory: asked relative to its handle, as NT does (see
       fileexist.c); the handle's reference is given back (the teardown checks). */
    assert_non_null(RtlHostQueryRoot);
    assert_wstr(RtlHostQueryName, u"file.txt");
    assert_true(RtlDoesFileExists_U(u"sub\\x.exe"));
    assert_wstr(RtlHostQueryName, u"sub\\x.exe");
    assert_true(RtlDoesFileExists_U(u"..\\Dir\\file.txt"));     /* left the directory and came back */
    /* Elsewhere: by its full NT name. */
    assert_true(RtlDoesFileExists_U(u"..\\Windows\\notepad.exe"));
    assert_null(RtlHostQueryRoot);
    assert_wstr(RtlHostQueryName, u"\\??\\C:\\Windows\\notepad.exe");
    assert_true(RtlDoesFileExists_U(u"C:\\Windows\\System32\\NTDLL.DLL"));
    assert_null(RtlHostQueryRoot);
    assert_true(RtlDoesFileExists_U(u"locked.txt"));     /* sharing violation: it is there */
    assert_true(RtlDoesFileExists_U(u"C:\\Windows"));
    assert_false(RtlDoesFileExists_U(u"missing.txt"));
    assert_false(RtlDoesFileExists_U(u""));
    SetDirectory(u"C:\\", STATUS_SUCCESS);
}

static void test_dos_device_name(void **State)
{
    (void)State;
    assert_int_equal(RtlIsDosDeviceName_U(u"CON"), 0x00000006);
    assert_int_equal(RtlIsDosDeviceName_U(u"nul.txt"), 0x00000006);
    assert_int_equal(RtlIsDosDeviceName_U(u"C:\\x\\con.txt"), 0x000A0006);
    assert_int_equal(RtlIsDosDeviceName_U(u"c:com1"), 0x00040008);
    assert_int_equal(RtlIsDosDeviceName_U(u"LPT9 :"), 0x00000008);
    assert_int_equal(RtlIsDosDeviceName_U(u"C:\\dir\\"), 0);
    assert_int_equal(RtlIsDosDeviceName_U(u"console"), 0);
    assert_int_equal(RtlIsDosDeviceName_U(u"COM0"), 0);
    assert_int_equal(RtlIsDosDeviceName_U(u"\\\\.\\CON"), 0);
    assert_int_equal(RtlIsDosDeviceName_U(u"\\\\server\\share\\nul"), 0);
    assert_int_equal(RtlIsDosDeviceName_U(u""), 0);
}

static void test_search_path(void **State)
{
    WCHAR Buffer[64];
    PWSTR FilePart;
    ULONG Bytes;

    (void)State;
    Bytes = RtlDosSearchPath_U(u"C:\\Nowhere;;C:\\Windows\\System32;C:\\Windows", u"ntdll", u".dll",
                               sizeof(Buffer), Buffer, &FilePart);
    assert_int_equal(Bytes, wcslen(u"C:\\Windows\\System32\\ntdll.dll") * sizeof(WCHAR));
    assert_wstr(Buffer, u"C:\\Windows\\System32\\ntdll.dll");
    assert_wstr(FilePart, u"ntdll.dll");
    /* A name with an extension of its own is not given another. */
    assert_int_equal(RtlDosSearchPath_U(u"C:\\Windows", u"notepad.exe", u".dll", sizeof(Buffer), Buffer, NULL),
                     wcslen(u"C:\\Windows\\notepad.exe") * sizeof(WCHAR));
    assert_int_equal(RtlDosSearchPath_U(u"C:\\Windows\\", u"notepad", u".dll", sizeof(Buffer), Buffer, NULL), 0);
    /* Too small: the bytes needed, the NUL included. */
    assert_int_equal(RtlDosSearchPath_U(u"C:\\Windows", u"notepad", u".exe", 8, Buffer, NULL),
                     (wcslen(u"C:\\Windows\\notepad.exe") + 1) * sizeof(WCHAR));
    /* A directory part in the name; an absolute name is only looked for. */
    assert_int_equal(RtlDosSearchPath_U(u"C:\\Dir", u"sub\\x", u".exe", sizeof(Buffer), Buffer, NULL),
                     wcslen(u"C:\\Dir\\sub\\x.exe") * sizeof(WCHAR));
    assert_int_equal(RtlDosSearchPath_U(u"C:\\Nowhere", u"C:\\Dir\\file.txt", NULL, sizeof(Buffer), Buffer,
                                        &FilePart), wcslen(u"C:\\Dir\\file.txt") * sizeof(WCHAR));
    assert_wstr(FilePart, u"file.txt");
    assert_int_equal(RtlDosSearchPath_U(u"C:\\Windows", u"missing", NULL, sizeof(Buffer), Buffer, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_path_types, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_full_path_table, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_nt_path_table, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_nt_path_verbatim, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_unc_current_directory, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_full_path_buffer_too_small, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_get_current_directory, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_set_current_directory, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_set_current_directory_grows, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_current_directory_peb_lock, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_relative_name, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_file_exists, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_dos_device_name, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_search_path, Setup, RtlHostCheckLeaks),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

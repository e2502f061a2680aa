/*
 * test_rtlppb.c - process parameter blocks on the host (ntdll/rtl/ppb.c): NT's
 * layout (one allocation, each string NUL-terminated inside it, the current
 * directory with its '\' and MAX_PATH room), what NULL arguments inherit, the
 * denormalized result (offsets) normalized and denormalized again, and the Ex
 * flag that returns it normalized.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "rtlhost.h"

static WCHAR ProcessBlock[] = u"A=1\0B=2\0";
static WCHAR ProcessDllPath[] = u"C:\\Windows\\System32";

static int Setup(void **State)
{
    (void)State;
    RtlHostReset(u"C:\\Dir\\", ProcessBlock);
    RtlInitUnicodeString(&RtlHostParameters.DllPath, ProcessDllPath);
    return 0;
}

/* Each string of a normalized block lies inside it, NUL-terminated. */
static void AssertInside(PRTL_USER_PROCESS_PARAMETERS Block, PUNICODE_STRING String)
{
    PUCHAR Start = (PUCHAR)String->Buffer, End = Start + String->MaximumLength;

    assert_true(Start >= (PUCHAR)(Block + 1));
    assert_true(End <= (PUCHAR)Block + Block->Length);
    assert_true(String->Length + sizeof(WCHAR) <= String->MaximumLength);
    assert_int_equal(String->Buffer[String->Length / sizeof(WCHAR)], 0);
}

static void test_create_round_trip(void **State)
{
    UNICODE_STRING Image = RTL_HOST_USTR(u"C:\\Tests\\child.exe");
    UNICODE_STRING Directory = RTL_HOST_USTR(u"C:\\Tests");
    UNICODE_STRING Command = RTL_HOST_USTR(u"child.exe -x");
    UNICODE_STRING Title = RTL_HOST_USTR(u"Child");
    WCHAR Environment[] = u"X=y\0";
    PRTL_USER_PROCESS_PARAMETERS Block;
    ULONG_PTR Offsets[2];

    (void)State;
    assert_int_equal(RtlCreateProcessParameters(&Block, &Image, NULL, &Directory, &Command, Environment, &Title,
                                                NULL, NULL, NULL),
                     STATUS_SUCCESS);
    /* Denormalized: Buffers are offsets past the structure, the environment an address. */
    assert_int_equal(Block->Flags & RTL_USER_PROC_PARAMS_NORMALIZED, 0);
    assert_true((ULONG_PTR)Block->ImagePathName.Buffer >= sizeof(RTL_USER_PROCESS_PARAMETERS));
    assert_true((ULONG_PTR)Block->ImagePathName.Buffer < Block->Length);
    assert_ptr_equal(Block->Environment, Environment);
    assert_int_equal(Block->EnvironmentSize, sizeof(Environment));
    assert_int_equal(Block->Length, Block->MaximumLength);
    assert_null(Block->StandardInput);
    assert_null(Block->CurrentDirectory.Handle);
    Offsets[0] = (ULONG_PTR)Block->CommandLine.Buffer;

    assert_ptr_equal(RtlNormalizeProcessParams(Block), Block);
    assert_int_equal(Block->Flags & RTL_USER_PROC_PARAMS_NORMALIZED, RTL_USER_PROC_PARAMS_NORMALIZED);
    assert_ustr(&Block->ImagePathName, u"C:\\Tests\\child.exe");
    assert_ustr(&Block->CommandLine, u"child.exe -x");
    assert_ustr(&Block->CurrentDirectory.DosPath, u"C:\\Tests\\");
    assert_int_equal(Block->CurrentDirectory.DosPath.MaximumLength, (RTLP_MAX_PATH + 1) * sizeof(WCHAR));
    assert_ustr(&Block->DllPath, u"C:\\Windows\\System32");    /* inherited */
    assert_ustr(&Block->WindowTitle, u"Child");
    assert_ustr(&Block->DesktopInfo, u"");
    assert_ustr(&Block->ShellInfo, u"");
    assert_ustr(&Block->RuntimeData, u"");
    assert_ptr_not_equal(Block->DllPath.Buffer, ProcessDllPath);   /* copied in */
    AssertInside(Block, &Block->ImagePathName);
    AssertInside(Block, &Block->CommandLine);
    AssertInside(Block, &Block->CurrentDirectory.DosPath);
    AssertInside(Block, &Block->DllPath);
    AssertInside(Block, &Block->WindowTitle);
    AssertInside(Block, &Block->RuntimeData);
    /* Normalizing twice changes nothing. */
    Offsets[1] = (ULONG_PTR)Block->CommandLine.Buffer;
    RtlNormalizeProcessParams(Block);
    assert_int_equal((ULONG_PTR)Block->CommandLine.Buffer, Offsets[1]);

    assert_ptr_equal(RtlDeNormalizeProcessParams(Block), Block);
    assert_int_equal(Block->Flags & RTL_USER_PROC_PARAMS_NORMALIZED, 0);
    assert_int_equal((ULONG_PTR)Block->CommandLine.Buffer, Offsets[0]);
    RtlDeNormalizeProcessParams(Block);
    assert_int_equal((ULONG_PTR)Block->CommandLine.Buffer, Offsets[0]);

    assert_int_equal(RtlDestroyProcessParameters(Block), STATUS_SUCCESS);
}

/* NULLs: the creator's directory and environment, the image as the command line. */
static void test_create_inherits(void **State)
{
    UNICODE_STRING Image = RTL_HOST_USTR(u"C:\\a.exe");
    PRTL_USER_PROCESS_PARAMETERS Block;

    (void)State;
    assert_int_equal(RtlCreateProcessParametersEx(&Block, &Image, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                                  RTL_USER_PROC_PARAMS_NORMALIZED),
                     STATUS_SUCCESS);
    assert_int_equal(Block->Flags & RTL_USER_PROC_PARAMS_NORMALIZED, RTL_USER_PROC_PARAMS_NORMALIZED);
    assert_ustr(&Block->CommandLine, u"C:\\a.exe");
    assert_ustr(&Block->CurrentDirectory.DosPath, u"C:\\Dir\\");
    assert_ptr_equal(Block->Environment, ProcessBlock);
    assert_int_equal(Block->EnvironmentSize, sizeof(ProcessBlock));
    RtlDestroyProcessParameters(Block);
    /* The creator's directory and environment were read under the PEB lock. */
    assert_int_equal(RtlHostPebLockTaken, 1);
    assert_int_equal(RtlHostPebLockDepth, 0);

    assert_int_equal(RtlCreateProcessParameters(&Block, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                     STATUS_INVALID_PARAMETER);
}

/*
 * A caller's directory string with an odd byte count is whole characters only (a
 * 1-byte one is empty; the character before the buffer is never read), and one
 * too long to get its '\' back is STATUS_NAME_TOO_LONG, not a Length that wraps.
 */
static void test_create_directory_lengths(void **State)
{
    static const WCHAR Text[] = { '\\', 'C', ':', '\\', 'x', 0 };
    UNICODE_STRING Image = RTL_HOST_USTR(u"C:\\a.exe"), Odd = { 1, 2, (PWSTR)Text + 1 };
    UNICODE_STRING OddEnd = { 9, 10, (PWSTR)Text + 1 }, Huge;
    PRTL_USER_PROCESS_PARAMETERS Block;

    (void)State;
    assert_int_equal(RtlCreateProcessParametersEx(&Block, &Image, NULL, &Odd, NULL, NULL, NULL, NULL, NULL, NULL,
                                                  RTL_USER_PROC_PARAMS_NORMALIZED),
                     STATUS_SUCCESS);
    assert_int_equal(Block->CurrentDirectory.DosPath.Length, 0);
    assert_true(Block->CurrentDirectory.DosPath.Length <= Block->CurrentDirectory.DosPath.MaximumLength);
    RtlDestroyProcessParameters(Block);

    assert_int_equal(RtlCreateProcessParametersEx(&Block, &Image, NULL, &OddEnd, NULL, NULL, NULL, NULL, NULL, NULL,
                                                  RTL_USER_PROC_PARAMS_NORMALIZED),
                     STATUS_SUCCESS);
    assert_ustr(&Block->CurrentDirectory.DosPath, u"C:\\x\\");      /* 4 characters and the '\' */
    RtlDestroyProcessParameters(Block);

    Huge.Length = Huge.MaximumLength = 0xFFFE;
    Huge.Buffer = malloc(0xFFFE);
    for (int Index = 0; Index < 0x7FFF; Index++)
        Huge.Buffer[Index] = 'a';
    assert_int_equal(RtlCreateProcessParametersEx(&Block, &Image, NULL, &Huge, NULL, NULL, NULL, NULL, NULL, NULL,
                                                  RTL_USER_PROC_PARAMS_NORMALIZED),
                     STATUS_NAME_TOO_LONG);
    assert_int_equal(RtlHostVirtualBlocks(), 0);
    free(Huge.Buffer);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_create_round_trip, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_create_inherits, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_create_directory_lengths, Setup, RtlHostCheckLeaks),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

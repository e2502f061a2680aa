/*
 * test_rtlenv.c - ntdll's environment blocks on the host (ntdll/rtl/environ.c,
 * envexp.c): create (empty and a clone of the process's), set in name order,
 * replace, delete, query (case-blind, "=C:" names, short buffers), the process's
 * own block when Environment is NULL, and %VAR% expansion.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rtlhost.h"

/* The process's block lives with its parameters, not at an allocation's base. */
static WCHAR ProcessBlock[] = u"=C:=C:\\Dir\0Path=C:\\Windows\0windir=C:\\Windows\0";

static int Setup(void **State)
{
    (void)State;
    RtlHostReset(u"C:\\Dir\\", ProcessBlock);
    return 0;
}

/* The block's strings joined with '|', for comparing whole blocks. */
static void Flatten(PCWSTR Block, PWSTR Out)
{
    *Out = 0;
    for (PCWSTR Entry = Block; *Entry != 0; Entry += wcslen(Entry) + 1) {
        if (Out[0] != 0)
            wcscat(Out, u"|");
        wcscat(Out, Entry);
    }
}

static void AssertBlock(PCWSTR Block, PCWSTR Expected)
{
    WCHAR Flat[512];

    Flatten(Block, Flat);
    assert_wstr(Flat, Expected);
}

static NTSTATUS Set(PVOID *Environment, PCWSTR Name, PCWSTR Value)
{
    UNICODE_STRING N, V;

    RtlInitUnicodeString(&N, Name);
    RtlInitUnicodeString(&V, Value);
    return RtlSetEnvironmentVariable(Environment, &N, Value != NULL ? &V : NULL);
}

static NTSTATUS Query(PVOID Environment, PCWSTR Name, PWSTR Buffer, USHORT Size, PUNICODE_STRING Value)
{
    UNICODE_STRING N;

    RtlInitUnicodeString(&N, Name);
    Value->Buffer = Buffer;
    Value->Length = 0;
    Value->MaximumLength = Size;
    return RtlQueryEnvironmentVariable_U(Environment, &N, Value);
}

static void test_create_empty(void **State)
{
    PVOID Environment;

    (void)State;
    assert_int_equal(RtlCreateEnvironment(FALSE, &Environment), STATUS_SUCCESS);
    assert_int_equal(((PWSTR)Environment)[0], 0);
    assert_int_equal(RtlpEnvironmentSize(Environment), 4);
    assert_int_equal(RtlDestroyEnvironment(Environment), STATUS_SUCCESS);
}

static void test_create_clone(void **State)
{
    PVOID Environment;

    (void)State;
    assert_int_equal(RtlCreateEnvironment(TRUE, &Environment), STATUS_SUCCESS);
    assert_ptr_not_equal(Environment, ProcessBlock);
    assert_memory_equal(Environment, ProcessBlock, sizeof(ProcessBlock));
    assert_int_equal(RtlpEnvironmentSize(Environment), sizeof(ProcessBlock));
    RtlDestroyEnvironment(Environment);
}

static void test_set_replace_delete(void **State)
{
    PVOID Environment;

    (void)State;
    RtlCreateEnvironment(FALSE, &Environment);
    assert_int_equal(Set(&Environment, u"Path", u"C:\\Windows"), STATUS_SUCCESS);
    assert_int_equal(Set(&Environment, u"TEMP", u"C:\\Temp"), STATUS_SUCCESS);
    assert_int_equal(Set(&Environment, u"ComSpec", u"C:\\cmd.exe"), STATUS_SUCCESS);
    assert_int_equal(Set(&Environment, u"=C:", u"C:\\Dir"), STATUS_SUCCESS);
    /* Kept in name order, without case; "=C:" sorts first. */
    AssertBlock(Environment, u"=C:=C:\\Dir|ComSpec=C:\\cmd.exe|Path=C:\\Windows|TEMP=C:\\Temp");

    /* Replaced in place, whatever the case of the name given. */
    assert_int_equal(Set(&Environment, u"PATH", u"C:\\Bin"), STATUS_SUCCESS);
    AssertBlock(Environment, u"=C:=C:\\Dir|ComSpec=C:\\cmd.exe|PATH=C:\\Bin|TEMP=C:\\Temp");
    /* An empty value is a value. */
    assert_int_equal(Set(&Environment, u"temp", u""), STATUS_SUCCESS);
    AssertBlock(Environment, u"=C:=C:\\Dir|ComSpec=C:\\cmd.exe|PATH=C:\\Bin|temp=");

    /* Deleted with a NULL value; deleting what is not there is no error. */
    assert_int_equal(Set(&Environment, u"ComSpec", NULL), STATUS_SUCCESS);
    assert_int_equal(Set(&Environment, u"Nothing", NULL), STATUS_SUCCESS);
    AssertBlock(Environment, u"=C:=C:\\Dir|PATH=C:\\Bin|temp=");
    assert_int_equal(Set(&Environment, u"=C:", NULL), STATUS_SUCCESS);
    assert_int_equal(Set(&Environment, u"PATH", NULL), STATUS_SUCCESS);
    assert_int_equal(Set(&Environment, u"TEMP", NULL), STATUS_SUCCESS);
    assert_int_equal(((PWSTR)Environment)[0], 0);
    assert_int_equal(RtlpEnvironmentSize(Environment), 4);

    /* Names with '=' after the first character, and empty ones, are refused. */
    assert_int_equal(Set(&Environment, u"A=B", u"x"), STATUS_INVALID_PARAMETER);
    assert_int_equal(Set(&Environment, u"", u"x"), STATUS_INVALID_PARAMETER);
    RtlDestroyEnvironment(Environment);
}

static void test_query(void **State)
{
    WCHAR Buffer[64];
    UNICODE_STRING Value;

    (void)State;
    assert_int_equal(Query(ProcessBlock, u"WINDIR", Buffer, sizeof(Buffer), &Value), STATUS_SUCCESS);
    assert_ustr(&Value, u"C:\\Windows");
    assert_int_equal(Buffer[10], 0);
    assert_int_equal(Query(ProcessBlock, u"=c:", Buffer, sizeof(Buffer), &Value), STATUS_SUCCESS);
    assert_ustr(&Value, u"C:\\Dir");
    assert_int_equal(Query(ProcessBlock, u"Pat", Buffer, sizeof(Buffer), &Value), STATUS_VARIABLE_NOT_FOUND);
    assert_int_equal(Query(ProcessBlock, u"PathX", Buffer, sizeof(Buffer), &Value), STATUS_VARIABLE_NOT_FOUND);
    /* Too small: the length needed, in bytes without the NUL. */
    assert_int_equal(Query(ProcessBlock, u"Path", Buffer, 8, &Value), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Value.Length, 20);
    /* NULL: the process's own block. */
    assert_int_equal(Query(NULL, u"path", Buffer, sizeof(Buffer), &Value), STATUS_SUCCESS);
    assert_ustr(&Value, u"C:\\Windows");
}

/* Setting with Environment NULL changes the process's block, as kernel32's SetEnvironmentVariable does. */
static void test_process_environment(void **State)
{
    WCHAR Buffer[64];
    UNICODE_STRING Value;

    (void)State;
    assert_int_equal(Set(NULL, u"NEW", u"1"), STATUS_SUCCESS);
    assert_ptr_not_equal(RtlHostParameters.Environment, ProcessBlock);     /* a new block... */
    assert_int_equal(RtlHostVirtualBlocks(), 1);                            /* ...the old one not freed */
    assert_int_equal(RtlHostParameters.EnvironmentSize, RtlpEnvironmentSize(RtlHostParameters.Environment));
    AssertBlock(RtlHostParameters.Environment, u"=C:=C:\\Dir|NEW=1|Path=C:\\Windows|windir=C:\\Windows");
    assert_int_equal(Query(NULL, u"new", Buffer, sizeof(Buffer), &Value), STATUS_SUCCESS);
    assert_ustr(&Value, u"1");
    /* The next change frees the block the last one made. */
    assert_int_equal(Set(NULL, u"NEW", NULL), STATUS_SUCCESS);
    assert_int_equal(RtlHostVirtualBlocks(), 1);
    AssertBlock(RtlHostParameters.Environment, u"=C:=C:\\Dir|Path=C:\\Windows|windir=C:\\Windows");
    assert_int_equal(RtlHostParameters.EnvironmentSize, RtlpEnvironmentSize(RtlHostParameters.Environment));
    RtlDestroyEnvironment(RtlHostParameters.Environment);

    /* The last variable removed: an empty block, "\0\0", and its size says so (the
       kernel copies EnvironmentSize bytes into a child, so both NULs must be in it). */
    RtlHostParameters.Environment = NULL;
    assert_int_equal(Set(NULL, u"ONLY", u"1"), STATUS_SUCCESS);
    assert_int_equal(RtlHostParameters.EnvironmentSize, RtlpEnvironmentSize(RtlHostParameters.Environment));
    assert_int_equal(Set(NULL, u"only", NULL), STATUS_SUCCESS);
    assert_int_equal(RtlHostParameters.EnvironmentSize, 2 * sizeof(WCHAR));
    assert_int_equal(((PWSTR)RtlHostParameters.Environment)[0], 0);
    assert_int_equal(((PWSTR)RtlHostParameters.Environment)[1], 0);
    RtlDestroyEnvironment(RtlHostParameters.Environment);
}

/*
 * The process's block is read and replaced under the PEB lock (NT's rule): the old
 * block is freed with the lock held, and every call lets go of it again. A block
 * the caller passes is the caller's to serialize: no lock.
 */
static void test_process_environment_peb_lock(void **State)
{
    WCHAR Buffer[64];
    UNICODE_STRING Value, Source = RTL_HOST_USTR(u"%windir%"), Expanded = { 0, sizeof(Buffer), Buffer };
    PVOID Block;
    ULONG Length;
    int Taken;

    (void)State;
    assert_int_equal(Set(NULL, u"A", u"1"), STATUS_SUCCESS);
    assert_int_equal(Set(NULL, u"A", u"2"), STATUS_SUCCESS);
    assert_int_equal(RtlHostPebLockAtFree, 1);          /* the first change's block freed under it */
    assert_int_equal(RtlHostPebLockTaken, 2);
    assert_int_equal(Query(NULL, u"A", Buffer, sizeof(Buffer), &Value), STATUS_SUCCESS);
    assert_int_equal(RtlHostPebLockTaken, 3);
    assert_int_equal(RtlExpandEnvironmentStrings_U(NULL, &Source, &Expanded, &Length), STATUS_SUCCESS);
    assert_int_equal(RtlHostPebLockTaken, 4);
    assert_int_equal(RtlCreateEnvironment(TRUE, &Block), STATUS_SUCCESS);
    assert_int_equal(RtlHostPebLockTaken, 5);
    assert_int_equal(RtlHostPebLockDepth, 0);

    /* Failures let it go too. */
    assert_int_equal(Set(NULL, u"B=C", u"1"), STATUS_INVALID_PARAMETER);
    assert_int_equal(Query(NULL, u"NONE", Buffer, sizeof(Buffer), &Value), STATUS_VARIABLE_NOT_FOUND);
    assert_int_equal(RtlHostPebLockDepth, 0);

    Taken = RtlHostPebLockTaken;
    assert_int_equal(Set(&Block, u"X", u"1"), STATUS_SUCCESS);
    assert_int_equal(Query(Block, u"X", Buffer, sizeof(Buffer), &Value), STATUS_SUCCESS);
    assert_int_equal(RtlHostPebLockTaken, Taken);
    RtlDestroyEnvironment(Block);
    RtlDestroyEnvironment(RtlHostParameters.Environment);
}

/*
 * The kernel copies a process's first environment into its parameter block, in
 * the block's first page: releasing it would release the parameters. A change
 * leaves it alone; the block made for the change is freed by the next one.
 */
static void test_initial_block_in_parameters(void **State)
{
    PVOID Base = NULL;
    SIZE_T Size = PAGE_SIZE;
    PRTL_USER_PROCESS_PARAMETERS Parameters;
    PWSTR Inside;

    (void)State;
    NtAllocateVirtualMemory(RtlpCurrentProcess(), &Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    Parameters = Base;
    *Parameters = RtlHostParameters;
    Parameters->MaximumLength = Parameters->Length = sizeof(*Parameters) + sizeof(ProcessBlock);
    Inside = (PWSTR)(Parameters + 1);
    memcpy(Inside, ProcessBlock, sizeof(ProcessBlock));
    Parameters->Environment = Inside;
    RtlHostPeb.ProcessParameters = Parameters;

    assert_int_equal(Set(NULL, u"NEW", u"1"), STATUS_SUCCESS);
    assert_int_equal(RtlHostVirtualBlocks(), 2);                /* the parameters and the new block */
    assert_ptr_not_equal(Parameters->Environment, Inside);
    assert_memory_equal(Inside, ProcessBlock, sizeof(ProcessBlock));
    assert_int_equal(Set(NULL, u"NEW", NULL), STATUS_SUCCESS);
    assert_int_equal(RtlHostVirtualBlocks(), 2);
    RtlDestroyEnvironment(Parameters->Environment);
    Size = 0;
    NtFreeVirtualMemory(RtlpCurrentProcess(), &Base, &Size, MEM_RELEASE);
}

static NTSTATUS Expand(PCWSTR Source, PWSTR Buffer, USHORT Size, PUNICODE_STRING Result, PULONG Needed)
{
    UNICODE_STRING S;

    RtlInitUnicodeString(&S, Source);
    Result->Buffer = Buffer;
    Result->Length = 0;
    Result->MaximumLength = Size;
    return RtlExpandEnvironmentStrings_U(NULL, &S, Result, Needed);
}

static void test_expand(void **State)
{
    static const struct {
        PCWSTR Source, Expanded;
    } Cases[] = {
        { u"%windir%\\System32", u"C:\\Windows\\System32" },
        { u"%PATH%;%WinDir%", u"C:\\Windows;C:\\Windows" },
        { u"no variables", u"no variables" },
        { u"%NOTSET%\\x", u"%NOTSET%\\x" },
        { u"50%", u"50%" },
        { u"%", u"%" },
        { u"%%", u"%%" },
        { u"a%NOTSET%windir%", u"a%NOTSETC:\\Windows" },
        { u"%=C:%", u"C:\\Dir" },
        { u"", u"" },
    };
    WCHAR Buffer[128];
    UNICODE_STRING Result;
    ULONG Needed;

    (void)State;
    for (size_t Index = 0; Index < RTL_NUMBER_OF(Cases); Index++) {
        assert_int_equal(Expand(Cases[Index].Source, Buffer, sizeof(Buffer), &Result, &Needed), STATUS_SUCCESS);
        assert_ustr(&Result, Cases[Index].Expanded);
        assert_int_equal(Needed, (wcslen(Cases[Index].Expanded) + 1) * sizeof(WCHAR));
        assert_int_equal(Buffer[Result.Length / sizeof(WCHAR)], 0);
    }
    /* Too small: the size needed (NUL included) all the same. */
    assert_int_equal(Expand(u"%windir%", Buffer, 20, &Result, &Needed), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Needed, 22);
    assert_int_equal(Expand(u"%windir%", Buffer, 22, &Result, &Needed), STATUS_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_create_empty, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_create_clone, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_set_replace_delete, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_query, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_process_environment, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_process_environment_peb_lock, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_initial_block_in_parameters, Setup, RtlHostCheckLeaks),
        cmocka_unit_test_setup_teardown(test_expand, Setup, RtlHostCheckLeaks),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

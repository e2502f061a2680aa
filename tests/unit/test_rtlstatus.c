/*
 * test_rtlstatus.c - RtlNtStatusToDosError on the host (ntdll/rtl/status.c): the
 * table is sorted and spot-checked against Win32's numbers, NT's pass-through
 * rules (success, customer codes, facility-7 HRESULTs and statuses, HRESULT_FROM_NT),
 * ERROR_MR_MID_NOT_FOUND for the unknown, and TEB->LastStatusValue kept by
 * RtlNtStatusToDosError but not by ...NoTeb.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rtlhost.h"

const VOID *RtlpStatusTable(PULONG Count);

typedef struct {
    ULONG Status;
    USHORT Error;
} STATUS_ERROR;

static void test_table_sorted(void **State)
{
    ULONG Count;
    const STATUS_ERROR *Table = RtlpStatusTable(&Count);

    (void)State;
    assert_true(Count >= 150);
    for (ULONG Index = 1; Index < Count; Index++) {
        if (Table[Index - 1].Status >= Table[Index].Status)
            fail_msg("entry %lu (%08lX) is out of order", (unsigned long)Index, (unsigned long)Table[Index].Status);
    }
    /* Every entry is found by the search. */
    for (ULONG Index = 0; Index < Count; Index++)
        assert_int_equal(RtlNtStatusToDosErrorNoTeb((NTSTATUS)Table[Index].Status), Table[Index].Error);
}

static void test_spot_checks(void **State)
{
    static const struct {
        NTSTATUS Status;
        ULONG Error;
    } Cases[] = {
        { STATUS_SUCCESS, 0 },                       /* ERROR_SUCCESS */
        { STATUS_PENDING, 997 },                     /* ERROR_IO_PENDING */
        { STATUS_TIMEOUT, 258 },                     /* WAIT_TIMEOUT */
        { STATUS_BUFFER_OVERFLOW, 234 },             /* ERROR_MORE_DATA */
        { STATUS_NO_MORE_FILES, 18 },
        { STATUS_NO_MORE_ENTRIES, 259 },             /* ERROR_NO_MORE_ITEMS */
        { STATUS_UNSUCCESSFUL, 31 },                 /* ERROR_GEN_FAILURE */
        { STATUS_NOT_IMPLEMENTED, 1 },               /* ERROR_INVALID_FUNCTION */
        { STATUS_ACCESS_VIOLATION, 998 },            /* ERROR_NOACCESS */
        { STATUS_INVALID_HANDLE, 6 },
        { STATUS_INVALID_PARAMETER, 87 },
        { STATUS_NO_SUCH_FILE, 2 },
        { STATUS_END_OF_FILE, 38 },                  /* ERROR_HANDLE_EOF */
        { STATUS_NO_MEMORY, 8 },                     /* ERROR_NOT_ENOUGH_MEMORY */
        { STATUS_ACCESS_DENIED, 5 },
        { STATUS_BUFFER_TOO_SMALL, 122 },            /* ERROR_INSUFFICIENT_BUFFER */
        { STATUS_OBJECT_TYPE_MISMATCH, 6 },
        { STATUS_OBJECT_NAME_INVALID, 123 },         /* ERROR_INVALID_NAME */
        { STATUS_OBJECT_NAME_NOT_FOUND, 2 },         /* ERROR_FILE_NOT_FOUND */
        { STATUS_OBJECT_NAME_COLLISION, 183 },       /* ERROR_ALREADY_EXISTS */
        { STATUS_OBJECT_PATH_NOT_FOUND, 3 },         /* ERROR_PATH_NOT_FOUND */
        { STATUS_OBJECT_PATH_SYNTAX_BAD, 161 },      /* ERROR_BAD_PATHNAME */
        { STATUS_SHARING_VIOLATION, 32 },
        { STATUS_DELETE_PENDING, 5 },
        { STATUS_PRIVILEGE_NOT_HELD, 1314 },
        { STATUS_INVALID_IMAGE_FORMAT, 193 },        /* ERROR_BAD_EXE_FORMAT */
        { STATUS_DISK_FULL, 112 },
        { STATUS_INSUFFICIENT_RESOURCES, 1450 },     /* ERROR_NO_SYSTEM_RESOURCES */
        { STATUS_FILE_IS_A_DIRECTORY, 5 },
        { STATUS_NOT_SUPPORTED, 50 },
        { STATUS_INVALID_PARAMETER_3, 87 },
        { STATUS_DIRECTORY_NOT_EMPTY, 145 },         /* ERROR_DIR_NOT_EMPTY */
        { STATUS_NOT_A_DIRECTORY, 267 },             /* ERROR_DIRECTORY */
        { STATUS_NAME_TOO_LONG, 206 },               /* ERROR_FILENAME_EXCED_RANGE */
        { STATUS_VARIABLE_NOT_FOUND, 203 },          /* ERROR_ENVVAR_NOT_FOUND */
        { STATUS_DLL_NOT_FOUND, 126 },               /* ERROR_MOD_NOT_FOUND */
        { STATUS_ORDINAL_NOT_FOUND, 182 },           /* ERROR_INVALID_ORDINAL */
        { STATUS_ENTRYPOINT_NOT_FOUND, 127 },        /* ERROR_PROC_NOT_FOUND */
        { STATUS_DLL_INIT_FAILED, 1114 },
        { STATUS_MUTANT_NOT_OWNED, 288 },            /* ERROR_NOT_OWNER */
        { STATUS_SEMAPHORE_LIMIT_EXCEEDED, 298 },    /* ERROR_TOO_MANY_POSTS */
        { STATUS_NOT_FOUND, 1168 },
        { STATUS_OBJECT_NAME_EXISTS, 183 },
        /* NT's pass-through rules */
        { (NTSTATUS)0x80070005, 5 },                 /* HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED) */
        { (NTSTATUS)0xC0070057, 87 },                /* an NTSTATUS carrying a Win32 code */
        { (NTSTATUS)0xD0000022, 5 },                 /* HRESULT_FROM_NT(STATUS_ACCESS_DENIED) */
        { (NTSTATUS)0xE0001234, 0xE0001234 },        /* customer code: itself */
        { (NTSTATUS)0x20000001, 0x20000001 },
        /* unknown */
        { (NTSTATUS)0xC0FFEE00, 317 },               /* ERROR_MR_MID_NOT_FOUND */
        { STATUS_BREAKPOINT, 317 },
        { (NTSTATUS)0x00000001, 317 },
    };

    (void)State;
    for (size_t Index = 0; Index < RTL_NUMBER_OF(Cases); Index++) {
        ULONG Error = RtlNtStatusToDosErrorNoTeb(Cases[Index].Status);

        if (Error != Cases[Index].Error)
            fail_msg("%08lX -> %lu, expected %lu", (unsigned long)Cases[Index].Status, (unsigned long)Error,
                     (unsigned long)Cases[Index].Error);
    }
}

static void test_last_status(void **State)
{
    (void)State;
    RtlHostReset(u"C:\\", NULL);
    assert_int_equal(RtlNtStatusToDosError(STATUS_ACCESS_DENIED), 5);
    assert_int_equal(RtlHostTeb.LastStatusValue, STATUS_ACCESS_DENIED);
    assert_int_equal(RtlNtStatusToDosErrorNoTeb(STATUS_NO_MEMORY), 8);
    assert_int_equal(RtlHostTeb.LastStatusValue, STATUS_ACCESS_DENIED);
    assert_int_equal(RtlNtStatusToDosError(STATUS_SUCCESS), 0);
    assert_int_equal(RtlHostTeb.LastStatusValue, STATUS_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_table_sorted),
        cmocka_unit_test(test_spot_checks),
        cmocka_unit_test(test_last_status),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}

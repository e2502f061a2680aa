/*
 * test_psparams.c - the capture of a creator's process parameters
 * (kernel/ps/psparams.c) on the host: denormalized blocks (offsets, as
 * RtlCreateProcessParameters leaves them) and normalized ones (addresses) come out
 * the same, normalized, in one block with every string NUL-terminated and the
 * environment after them; malformed blocks are refused.
 *
 * The capture runs as for a kernel-mode creator (no probes); the fault-recovery
 * and pool routines are the host's below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/ps/psp.h"

/* ---- the kernel routines psparams.c calls ---- */

ULONG KiSetFaultRecovery(PKFAULT_RECOVERY Recovery)
{
    (void)Recovery;
    return 0;
}

VOID KiClearFaultRecovery(PKFAULT_RECOVERY Recovery)
{
    (void)Recovery;
}

VOID ProbeForRead(PCVOID Address, SIZE_T Length, ULONG Alignment)
{
    (void)Address;
    (void)Length;
    (void)Alignment;
    fail_msg("a kernel-mode capture probes nothing");
}

static int Allocations;

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    (void)PoolType;
    (void)Tag;
    Allocations++;
    return malloc(NumberOfBytes);
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    (void)Tag;
    Allocations--;
    free(P);
}

/* ---- building blocks ---- */

static const WCHAR Image[] = u"C:\\Tests\\x.exe";
static const WCHAR Command[] = u"x.exe /y";
static const WCHAR Environment[] = u"A=1\0B=22\0";      /* with the final NUL: double NUL */

/* A block as a creator lays it out: the structure, then the strings. */
typedef struct _TEST_BLOCK {
    RTL_USER_PROCESS_PARAMETERS Parameters;
    WCHAR Strings[64];
} TEST_BLOCK;

static VOID SetString(TEST_BLOCK *Block, PUNICODE_STRING String, PCWSTR Text, ULONG At, BOOLEAN Normalized)
{
    ULONG Length = 0;

    while (Text[Length] != 0)
        Length++;
    memcpy(&Block->Strings[At], Text, Length * sizeof(WCHAR));
    String->Length = (USHORT)(Length * sizeof(WCHAR));
    String->MaximumLength = String->Length;
    String->Buffer = Normalized ? &Block->Strings[At]
                                : (PWSTR)(uintptr_t)((PUCHAR)&Block->Strings[At] - (PUCHAR)Block);
}

static VOID BuildBlock(TEST_BLOCK *Block, BOOLEAN Normalized)
{
    memset(Block, 0, sizeof(*Block));
    Block->Parameters.MaximumLength = Block->Parameters.Length = sizeof(*Block);
    Block->Parameters.Flags = Normalized ? RTL_USER_PROC_PARAMS_NORMALIZED : 0;
    Block->Parameters.StandardOutput = (HANDLE)0x1C;
    SetString(Block, &Block->Parameters.ImagePathName, Image, 0, Normalized);
    SetString(Block, &Block->Parameters.CommandLine, Command, 32, Normalized);
    Block->Parameters.Environment = (PVOID)Environment;
}

static VOID CheckCaptured(PRTL_USER_PROCESS_PARAMETERS Copy)
{
    PUCHAR Start = (PUCHAR)Copy, End = Start + Copy->Length;

    assert_true(Copy->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
    assert_int_equal(Copy->MaximumLength, Copy->Length);
    assert_ptr_equal(Copy->StandardOutput, (HANDLE)0x1C);
    /* The strings and the environment are inside the copy, terminated. */
    assert_true((PUCHAR)Copy->ImagePathName.Buffer >= Start && (PUCHAR)Copy->ImagePathName.Buffer < End);
    assert_memory_equal(Copy->ImagePathName.Buffer, Image, sizeof(Image));
    assert_int_equal(Copy->ImagePathName.MaximumLength, sizeof(Image));
    assert_memory_equal(Copy->CommandLine.Buffer, Command, sizeof(Command));
    assert_null(Copy->DllPath.Buffer);
    assert_int_equal(Copy->DllPath.Length, 0);
    assert_int_equal(Copy->EnvironmentSize, sizeof(Environment));
    assert_true((PUCHAR)Copy->Environment >= Start &&
                (PUCHAR)Copy->Environment + Copy->EnvironmentSize <= End);
    assert_memory_equal(Copy->Environment, Environment, sizeof(Environment));
}

/* ---- tests ---- */

static void test_denormalized_and_normalized_agree(void **State)
{
    TEST_BLOCK Block;
    PRTL_USER_PROCESS_PARAMETERS Copy;
    BOOLEAN Normalized;

    (void)State;
    for (Normalized = 0; Normalized <= 1; Normalized++) {
        BuildBlock(&Block, Normalized);
        assert_int_equal(PspCaptureProcessParameters(&Block.Parameters, KernelMode, &Copy), STATUS_SUCCESS);
        CheckCaptured(Copy);
        ExFreePoolWithTag(Copy, PSP_PROCESS_TAG);
    }
    assert_int_equal(Allocations, 0);
}

/* NT 5's block ends before EnvironmentSize: the environment is measured to its double NUL. */
static void test_nt5_block_without_environment_size(void **State)
{
    TEST_BLOCK Block;
    PRTL_USER_PROCESS_PARAMETERS Copy;

    (void)State;
    BuildBlock(&Block, FALSE);
    Block.Parameters.Length = FIELD_OFFSET(RTL_USER_PROCESS_PARAMETERS, EnvironmentSize);
    assert_int_equal(PspCaptureProcessParameters(&Block.Parameters, KernelMode, &Copy), STATUS_SUCCESS);
    assert_int_equal(Copy->EnvironmentSize, sizeof(Environment));
    ExFreePoolWithTag(Copy, PSP_PROCESS_TAG);
}

static void test_malformed_blocks_refused(void **State)
{
    TEST_BLOCK Block;
    PRTL_USER_PROCESS_PARAMETERS Copy;

    (void)State;
    BuildBlock(&Block, TRUE);
    Block.Parameters.Length = 0x100;                            /* shorter than the structure */
    assert_int_equal(PspCaptureProcessParameters(&Block.Parameters, KernelMode, &Copy), STATUS_INVALID_PARAMETER);
    BuildBlock(&Block, TRUE);
    Block.Parameters.MaximumLength = Block.Parameters.Length - 2;  /* longer than its maximum */
    assert_int_equal(PspCaptureProcessParameters(&Block.Parameters, KernelMode, &Copy), STATUS_INVALID_PARAMETER);
    BuildBlock(&Block, TRUE);
    Block.Parameters.CommandLine.Length = Block.Parameters.CommandLine.MaximumLength + 2;
    assert_int_equal(PspCaptureProcessParameters(&Block.Parameters, KernelMode, &Copy), STATUS_INVALID_PARAMETER);
    BuildBlock(&Block, TRUE);
    Block.Parameters.CommandLine.Length = 3;                    /* half a character */
    assert_int_equal(PspCaptureProcessParameters(&Block.Parameters, KernelMode, &Copy), STATUS_INVALID_PARAMETER);
    BuildBlock(&Block, TRUE);
    Block.Parameters.DllPath.Length = 4;                        /* characters, but no buffer */
    Block.Parameters.DllPath.MaximumLength = 4;
    assert_int_equal(PspCaptureProcessParameters(&Block.Parameters, KernelMode, &Copy), STATUS_INVALID_PARAMETER);
    BuildBlock(&Block, TRUE);
    Block.Parameters.EnvironmentSize = 3;                       /* odd */
    assert_int_equal(PspCaptureProcessParameters(&Block.Parameters, KernelMode, &Copy), STATUS_INVALID_PARAMETER);
    assert_int_equal(Allocations, 0);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_denormalized_and_normalized_agree),
        cmocka_unit_test(test_nt5_block_without_environment_size),
        cmocka_unit_test(test_malformed_blocks_refused),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}

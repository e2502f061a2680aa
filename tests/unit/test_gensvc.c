/*
 * test_gensvc.c - host tests for tools/gensvc, the generator of the system-service
 * tables and stubs, run on the small list tests/unit/gensvc_test.lst.
 *
 * mk/services.mk generates build/gen/test/ from that list; this program is built
 * with the generated kisvctab.c and ntstatus_names.c compiled in, the generated
 * kernel Zw stubs (zwstubs.asm, assembled for the host) linked in, and reads the
 * ntdll stubs assembled as a flat binary (ntstubs.bin). Stand-ins play the Nt
 * services (here) and the two ways into the kernel: KiSystemService for the Zw
 * stubs and SharedUserData->SystemCall (a page mapped at 0x7FFE0000) for ntdll's.
 * Finally the generator is run on malformed lists, which it must refuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <ke.h>
#include <kd.h>
#include "ntapi.h"      /* build/gen/test: SVC_ numbers, Nt prototypes */
#include "zwapi.h"      /* build/gen/test: Zw stub prototypes */

/* ---- stand-ins for the services (only their addresses matter) ---- */

NTSTATUS NtAlpha(VOID) { return 0xA; }
NTSTATUS NtBeta(HANDLE Handle) { (void)Handle; return 0xB; }
NTSTATUS NtDelta(BOOLEAN Alertable, PLARGE_INTEGER Interval) { (void)Alertable; (void)Interval; return 0xD; }
NTSTATUS NtEpsilon(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                   ULONG AllocationType, ULONG Protect)
{
    return (NTSTATUS)((ULONG_PTR)ProcessHandle + (ULONG_PTR)BaseAddress + ZeroBits +
                      (ULONG_PTR)RegionSize + AllocationType + Protect);
}
NTSTATUS NtGamma(const VOID *Buffer, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return (NTSTATUS)((ULONG_PTR)Buffer + DesiredAccess + (ULONG_PTR)ObjectAttributes);
}
NTSTATUS NtMany(ULONG A0, ULONG A1, ULONG A2, ULONG A3, ULONG A4, ULONG A5, ULONG A6, ULONG A7,
                ULONG A8, ULONG A9, ULONG A10, ULONG A11, ULONG A12, ULONG A13, ULONG A14,
                ULONG A15, ULONG A16)
{
    return (NTSTATUS)(A0 + A1 + A2 + A3 + A4 + A5 + A6 + A7 + A8 + A9 + A10 + A11 + A12 + A13 +
                      A14 + A15 + A16);
}

/* What the list says, written out by hand: the generated tables must agree. */
static const struct {
    PCSTR Name;
    ULONG Number;
    ULONG Arguments;
    ULONG_PTR Routine;
    PVOID ZwStub;
} Expected[] = {
    { "NtAlpha",   SVC_NtAlpha,   0,  (ULONG_PTR)NtAlpha,   (PVOID)ZwAlpha },
    { "NtBeta",    SVC_NtBeta,    1,  (ULONG_PTR)NtBeta,    (PVOID)ZwBeta },
    { "NtDelta",   SVC_NtDelta,   2,  (ULONG_PTR)NtDelta,   (PVOID)ZwDelta },
    { "NtEpsilon", SVC_NtEpsilon, 6,  (ULONG_PTR)NtEpsilon, (PVOID)ZwEpsilon },
    { "NtGamma",   SVC_NtGamma,   3,  (ULONG_PTR)NtGamma,   (PVOID)ZwGamma },
    { "NtMany",    SVC_NtMany,    17, (ULONG_PTR)NtMany,    (PVOID)ZwMany },
};
#define EXPECTED_COUNT ((ULONG)RTL_NUMBER_OF(Expected))
#define MAX_TEST_ARGUMENTS 17

/* ---- the tables ---- */

static void test_descriptor_table(void **State)
{
    ULONG Table;

    (void)State;
    assert_int_equal(SVC_COUNT, EXPECTED_COUNT);
    assert_ptr_equal(KeServiceDescriptorTable[0].Base, KiServiceTable);
    assert_null(KeServiceDescriptorTable[0].Count);
    assert_int_equal(KeServiceDescriptorTable[0].Limit, EXPECTED_COUNT);
    assert_ptr_equal(KeServiceDescriptorTable[0].Number, KiArgumentTable);
    for (Table = 1; Table < NUMBER_SERVICE_TABLES; Table++) {
        assert_null(KeServiceDescriptorTable[Table].Base);
        assert_null(KeServiceDescriptorTable[Table].Count);
        assert_int_equal(KeServiceDescriptorTable[Table].Limit, 0);
        assert_null(KeServiceDescriptorTable[Table].Number);
    }
    assert_int_equal(sizeof(KiServiceTable), EXPECTED_COUNT * sizeof(ULONG_PTR));
    assert_int_equal(sizeof(KiArgumentTable), EXPECTED_COUNT);
}

static void test_routines_arguments_and_names(void **State)
{
    ULONG Index;

    (void)State;
    for (Index = 0; Index < EXPECTED_COUNT; Index++) {
        assert_int_equal(Expected[Index].Number, Index);
        assert_int_equal(KiServiceTable[Index], Expected[Index].Routine);
        assert_int_equal(KiArgumentTable[Index], 4 * Expected[Index].Arguments);
        assert_string_equal(KiServiceNames[Index], Expected[Index].Name);
    }
    assert_null(KiServiceNames[EXPECTED_COUNT]);
}

static void test_names_are_in_order(void **State)
{
    ULONG Index;

    (void)State;
    for (Index = 1; Index < EXPECTED_COUNT; Index++)
        assert_true(strcmp(KiServiceNames[Index - 1], KiServiceNames[Index]) < 0);
}

/* The dispatcher's decoding: table = (n >> 12) & 3, index = n & 0xFFF; bits above 13
   are ignored, as NT's dispatcher masks them away. */
static BOOLEAN TestDecode(ULONG Number, PULONG_PTR Routine, PULONG ArgumentBytes, PCSTR *Name)
{
    PKSERVICE_TABLE_DESCRIPTOR Descriptor =
        &KeServiceDescriptorTable[(Number >> SERVICE_TABLE_SHIFT) & SERVICE_TABLE_MASK];
    ULONG Index = Number & SERVICE_NUMBER_MASK;

    if (Index >= Descriptor->Limit)
        return FALSE;
    *Routine = Descriptor->Base[Index];
    *ArgumentBytes = Descriptor->Number[Index];
    *Name = Descriptor == &KeServiceDescriptorTable[0] ? KiServiceNames[Index] : NULL;
    return TRUE;
}

static void test_service_number_decoding(void **State)
{
    ULONG_PTR Routine;
    ULONG Bytes, Index;
    PCSTR Name;

    (void)State;
    assert_int_equal(SERVICE_TABLE_SHIFT, 12);
    assert_int_equal(SERVICE_TABLE_MASK, 3);
    assert_int_equal(SERVICE_NUMBER_MASK, 0xFFF);
    for (Index = 0; Index < EXPECTED_COUNT; Index++) {
        assert_true(TestDecode(Expected[Index].Number, &Routine, &Bytes, &Name));
        assert_int_equal(Routine, Expected[Index].Routine);
        assert_int_equal(Bytes, 4 * Expected[Index].Arguments);
        assert_string_equal(Name, Expected[Index].Name);
        /* Bits 14 and up do not take part. */
        assert_true(TestDecode(Expected[Index].Number | 0xFFFFC000UL, &Routine, &Bytes, &Name));
        assert_int_equal(Routine, Expected[Index].Routine);
        /* Tables 1-3 are empty: every number in them is unknown. */
        assert_false(TestDecode(Expected[Index].Number | 0x1000, &Routine, &Bytes, &Name));
        assert_false(TestDecode(Expected[Index].Number | 0x2000, &Routine, &Bytes, &Name));
        assert_false(TestDecode(Expected[Index].Number | 0x3000, &Routine, &Bytes, &Name));
    }
    assert_false(TestDecode(SVC_COUNT, &Routine, &Bytes, &Name));
    assert_false(TestDecode(0xFFF, &Routine, &Bytes, &Name));
    assert_false(TestDecode(0x1000, &Routine, &Bytes, &Name));
}

/* ---- the status names ---- */

static void test_status_names(void **State)
{
    (void)State;
    assert_string_equal(KdStatusName(STATUS_SUCCESS), "STATUS_SUCCESS");
    assert_string_equal(KdStatusName(STATUS_ACCESS_VIOLATION), "STATUS_ACCESS_VIOLATION");
    assert_string_equal(KdStatusName(STATUS_INVALID_SYSTEM_SERVICE), "STATUS_INVALID_SYSTEM_SERVICE");
    assert_string_equal(KdStatusName(STATUS_PARTIAL_COPY), "STATUS_PARTIAL_COPY");
    assert_string_equal(KdStatusName(STATUS_NO_YIELD_PERFORMED), "STATUS_NO_YIELD_PERFORMED");
    /* A value with two names prints the first one ntstatus.h gives. */
    assert_string_equal(KdStatusName(STATUS_WAIT_0), "STATUS_SUCCESS");
    assert_string_equal(KdStatusName(STATUS_ABANDONED), "STATUS_ABANDONED_WAIT_0");
    assert_null(KdStatusName((NTSTATUS)0xC0DEC0DE));
    assert_null(KdStatusName((NTSTATUS)0x00000001));
}

/* ---- the stubs, run against stand-ins for the ways into the kernel ---- */

ULONG TestServiceNumber, TestEdx, TestEspBefore, TestReturnStatus;
ULONG_PTR TestArguments;
LONG TestEspDelta;
ULONG TestFrameCs, TestFrameEFlags, TestArgumentCopy[MAX_TEST_ARGUMENTS];
NTSTATUS TestCallStub(PVOID Stub, ULONG Count, const ULONG *Arguments);
VOID TestFastSystemCall(VOID);

/*
 * KiSystemService as the Zw stubs see it: entered by a call with the INT 2E-style
 * frame [return EIP, CS, EFLAGS] on the stack, EAX = number, EDX = arguments. It
 * records them and returns the way the real one does to a kernel-mode caller
 * (IRETD, which at the same privilege pops exactly those three).
 *
 * TestFastSystemCall plays SharedUserData->SystemCall for ntdll's stubs: called
 * from the stub, the stub's caller's arguments start 8 bytes above its ESP (past
 * two return addresses), where KiFastSystemCall's `mov edx, esp` + 8 finds them.
 *
 * TestCallStub(Stub, Count, Arguments) pushes the arguments, calls the stdcall stub
 * and stores in TestEspDelta how far ESP moved: 0 when the stub popped exactly its
 * arguments; TestEspBefore is ESP before the pushes.
 */
__asm__(
    ".text\n"
    ".globl KiSystemService\n"
    "KiSystemService:\n"
    "    movl %eax, TestServiceNumber\n"
    "    movl %edx, TestArguments\n"
    "    movl 4(%esp), %ecx\n"
    "    movl %ecx, TestFrameCs\n"
    "    movl 8(%esp), %ecx\n"
    "    movl %ecx, TestFrameEFlags\n"
    "    call TestCopyArguments\n"
    "    ret $8\n"
    "\n"
    ".globl TestFastSystemCall\n"
    "TestFastSystemCall:\n"
    "    movl %eax, TestServiceNumber\n"
    "    movl %edx, TestEdx\n"
    "    leal 8(%esp), %edx\n"
    "    movl %edx, TestArguments\n"
    "    call TestCopyArguments\n"
    "    ret\n"
    "\n"
    "TestCopyArguments:\n"              /* 17 dwords from EDX; EAX = TestReturnStatus */
    "    pushl %esi\n"
    "    pushl %edi\n"
    "    movl %edx, %esi\n"
    "    movl $TestArgumentCopy, %edi\n"
    "    movl $17, %ecx\n"
    "    cld\n"
    "    rep movsl\n"
    "    popl %edi\n"
    "    popl %esi\n"
    "    movl TestReturnStatus, %eax\n"
    "    ret\n"
    "\n"
    ".globl TestCallStub\n"
    "TestCallStub:\n"
    "    pushl %ebp\n"
    "    movl %esp, %ebp\n"
    "    pushl %esi\n"
    "    pushl %edi\n"
    "    pushl %ebx\n"
    "    movl 12(%ebp), %ecx\n"
    "    movl 16(%ebp), %esi\n"
    "    movl %esp, %edi\n"
    "    movl %edi, TestEspBefore\n"
    "1:  testl %ecx, %ecx\n"
    "    jz 2f\n"
    "    decl %ecx\n"
    "    pushl (%esi,%ecx,4)\n"
    "    jmp 1b\n"
    "2:  call *8(%ebp)\n"
    "    movl %esp, %ecx\n"
    "    subl %edi, %ecx\n"
    "    movl %ecx, TestEspDelta\n"
    "    movl %edi, %esp\n"
    "    popl %ebx\n"
    "    popl %edi\n"
    "    popl %esi\n"
    "    popl %ebp\n"
    "    ret\n");

/* Calls Stub with Count distinct arguments and checks what the stand-in saw. */
static VOID CheckStubCall(PVOID Stub, ULONG Number, ULONG Count)
{
    ULONG Arguments[MAX_TEST_ARGUMENTS], Index;
    NTSTATUS Status;

    for (Index = 0; Index < Count; Index++)
        Arguments[Index] = 0x11110000UL * (Index + 1) + Number;
    memset(TestArgumentCopy, 0, sizeof(TestArgumentCopy));
    TestServiceNumber = 0xFFFFFFFF;
    TestReturnStatus = 0xC0000000UL | (Number << 4) | Count;
    Status = TestCallStub(Stub, Count, Arguments);
    assert_int_equal((ULONG)Status, TestReturnStatus);
    assert_int_equal(TestServiceNumber, Number);
    assert_int_equal(TestEspDelta, 0);              /* ret 4*argc */
    assert_int_equal(TestArguments, TestEspBefore - 4 * Count);
    for (Index = 0; Index < Count; Index++)
        assert_int_equal(TestArgumentCopy[Index], Arguments[Index]);
}

static void test_kernel_zw_stubs(void **State)
{
    ULONG Index;

    (void)State;
    for (Index = 0; Index < EXPECTED_COUNT; Index++) {
        CheckStubCall(Expected[Index].ZwStub, Expected[Index].Number, Expected[Index].Arguments);
        assert_int_equal(TestFrameCs, KGDT_R0_CODE);    /* PreviousMode = KernelMode */
    }
}

static void test_kernel_zw_stubs_from_c(void **State)
{
    LARGE_INTEGER Interval;

    (void)State;
    /* Through the NTAPI prototypes of zwapi.h, as kernel code calls them. */
    TestReturnStatus = 0x1234;
    assert_int_equal(ZwBeta((HANDLE)0x44), 0x1234);
    assert_int_equal(TestServiceNumber, SVC_NtBeta);
    assert_int_equal(TestArgumentCopy[0], 0x44);
    TestReturnStatus = STATUS_TIMEOUT;
    assert_int_equal(ZwDelta(TRUE, &Interval), STATUS_TIMEOUT);
    assert_int_equal(TestServiceNumber, SVC_NtDelta);
    assert_int_equal(TestArgumentCopy[0] & 0xFF, TRUE);
    assert_int_equal(TestArgumentCopy[1], (ULONG)(ULONG_PTR)&Interval);
}

static UCHAR *TestReadFile(PCSTR Path, SIZE_T *Length)
{
    FILE *File = fopen(Path, "rb");
    UCHAR *Data = malloc(65536);

    assert_non_null(File);
    assert_non_null(Data);
    *Length = fread(Data, 1, 65535, File);
    fclose(File);
    return Data;
}

/* svcnum.inc: the numbers for NASM code with its own stubs. */
static void test_svcnum_include(void **State)
{
    SIZE_T Length;
    UCHAR *Text = TestReadFile(GENSVC_GEN_DIR "/svcnum.inc", &Length);
    char Line[64];
    ULONG Index;

    (void)State;
    Text[Length] = 0;
    for (Index = 0; Index < EXPECTED_COUNT; Index++) {
        snprintf(Line, sizeof(Line), "\n%%define SVC_%s 0x%03lX\n", Expected[Index].Name, Expected[Index].Number);
        assert_non_null(strstr((char *)Text, Line));
    }
    snprintf(Line, sizeof(Line), "\n%%define SVC_COUNT %lu\n", EXPECTED_COUNT);
    assert_non_null(strstr((char *)Text, Line));
    free(Text);
}

/* The ntdll stubs: exactly one stub per service, in order, NT's bytes. */
static void test_ntdll_stub_bytes(void **State)
{
    SIZE_T Length, Offset = 0;
    UCHAR *Bin = TestReadFile(GENSVC_GEN_DIR "/ntstubs.bin", &Length);
    ULONG Index, Bytes;

    (void)State;
    for (Index = 0; Index < EXPECTED_COUNT; Index++) {
        Bytes = 4 * Expected[Index].Arguments;
        assert_true(Offset + 13 <= Length);
        assert_int_equal(Bin[Offset], 0xB8);                                 /* mov eax, N */
        assert_int_equal(*(ULONG *)&Bin[Offset + 1], Expected[Index].Number);
        assert_int_equal(Bin[Offset + 5], 0xBA);                             /* mov edx, imm */
        assert_int_equal(*(ULONG *)&Bin[Offset + 6], 0x7FFE0300);
        assert_int_equal(Bin[Offset + 10], 0xFF);                            /* call [edx] */
        assert_int_equal(Bin[Offset + 11], 0x12);
        if (Bytes == 0) {
            assert_int_equal(Bin[Offset + 12], 0xC3);                        /* ret */
            Offset += 13;
        } else {
            assert_int_equal(Bin[Offset + 12], 0xC2);                        /* ret imm16 */
            assert_int_equal(*(USHORT *)&Bin[Offset + 13], Bytes);
            Offset += 15;
        }
    }
    assert_int_equal(Offset, Length);
    free(Bin);
}

/* ...and they work: run from an executable copy, through a SharedUserData page. */
static void test_ntdll_stubs_run(void **State)
{
    SIZE_T Length, Offset = 0;
    UCHAR *Bin = TestReadFile(GENSVC_GEN_DIR "/ntstubs.bin", &Length);
    PVOID Shared, Code;
    ULONG Index;

    (void)State;
    Shared = mmap((PVOID)0x7FFE0000, 4096, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (Shared != (PVOID)0x7FFE0000) {
        free(Bin);
        skip();     /* the host has something at 0x7FFE0000 */
    }
    Code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(Code != MAP_FAILED);
    memcpy(Code, Bin, Length);
    *(ULONG *)((PUCHAR)Shared + 0x300) = (ULONG)(ULONG_PTR)TestFastSystemCall;

    for (Index = 0; Index < EXPECTED_COUNT; Index++) {
        TestEdx = 0;
        CheckStubCall((PUCHAR)Code + Offset, Expected[Index].Number, Expected[Index].Arguments);
        assert_int_equal(TestEdx, 0x7FFE0300);
        Offset += Expected[Index].Arguments ? 15 : 13;
    }
    munmap(Code, 4096);
    munmap(Shared, 4096);
    free(Bin);
}

/* ---- the generator refuses malformed input ---- */

static char TestDirectory[] = "/tmp/gensvc-test-XXXXXX";

/* Runs the generator on List (and Status, or the real ntstatus.h); its exit status. */
static int RunGenerator(PCSTR List, PCSTR Status)
{
    char ListPath[256], StatusPath[256], OutPath[256], Command[1024];
    FILE *File;
    int Result;

    snprintf(ListPath, sizeof(ListPath), "%s/test.lst", TestDirectory);
    snprintf(StatusPath, sizeof(StatusPath), "%s/ntstatus.h", TestDirectory);
    snprintf(OutPath, sizeof(OutPath), "%s/out", TestDirectory);
    File = fopen(ListPath, "w");
    assert_non_null(File);
    fputs(List, File);
    fclose(File);
    if (Status != NULL) {
        File = fopen(StatusPath, "w");
        assert_non_null(File);
        fputs(Status, File);
        fclose(File);
    }
    snprintf(Command, sizeof(Command), "rm -rf '%s'; python3 '%s' --list '%s' --status '%s' -o '%s' 2>/dev/null",
             OutPath, GENSVC_TOOL, ListPath, Status != NULL ? StatusPath : GENSVC_STATUS, OutPath);
    Result = system(Command);
    assert_true(WIFEXITED(Result));
    return WEXITSTATUS(Result);
}

static BOOLEAN OutputWritten(VOID)
{
    char Path[256];
    struct stat Info;

    snprintf(Path, sizeof(Path), "%s/out/kisvctab.c", TestDirectory);
    return stat(Path, &Info) == 0;
}

static int SetupDirectory(void **State)
{
    (void)State;
    return mkdtemp(TestDirectory) != NULL ? 0 : -1;
}


static int RemoveDirectory(void **State)
{
    char Command[128];

    (void)State;
    snprintf(Command, sizeof(Command), "rm -rf '%s'", TestDirectory);
    return system(Command) == 0 ? 0 : -1;
}

static void test_generator_accepts_a_good_list(void **State)
{
    (void)State;
    assert_int_equal(RunGenerator("# comment\n#include <nt/ntobapi.h>\n\n"
                                  "NTSTATUS NtA(VOID);\nNTSTATUS NtB(PVOID *P, const VOID *Q);\n", NULL), 0);
    assert_true(OutputWritten());
}

static void test_generator_rejects_malformed_lists(void **State)
{
    static const PCSTR Bad[] = {
        "NTSTATUS NtA(VOID)\n",                         /* no semicolon */
        "VOID NtA(VOID);\n",                            /* not NTSTATUS */
        "NTSTATUS ZwA(VOID);\n",                        /* not an Nt name */
        "NTSTATUS Ntlower(VOID);\n",                    /* Nt without a capital */
        "NTSTATUS NtA();\n",                            /* () instead of (VOID) */
        "NTSTATUS NtA(LARGE_INTEGER Time);\n",          /* 8 bytes by value */
        "NTSTATUS NtA(ULONGLONG Value);\n",
        "NTSTATUS NtA(PHYSICAL_ADDRESS Address);\n",
        "NTSTATUS NtA(UNICODE_STRING Name);\n",         /* a structure by value */
        "NTSTATUS NtA(unsigned long Value);\n",         /* not an NT type name */
        "NTSTATUS NtA(HANDLE);\n",                      /* no parameter name */
        "NTSTATUS NtA(HANDLE A, ULONG A);\n",           /* a name twice */
        "NTSTATUS NtA(HANDLE H,);\n",                   /* empty parameter */
        "NTSTATUS NtB(VOID);\nNTSTATUS NtA(VOID);\n",   /* out of order */
        "NTSTATUS NtA(VOID);\nNTSTATUS NtA(VOID);\n",   /* twice */
        "#include <ke.h>\nNTSTATUS NtA(VOID);\n",       /* not a header of include/nt */
        "# only a comment\n\n",                         /* no services */
        "NTSTATUS NtA(VOID); junk\n",
    };
    char TooMany[64 * 16] = "NTSTATUS NtA(";
    ULONG Index;

    (void)State;
    for (Index = 0; Index < RTL_NUMBER_OF(Bad); Index++) {
        if (RunGenerator(Bad[Index], NULL) != 1 || OutputWritten())
            fail_msg("bad list %lu was not refused: %s", Index, Bad[Index]);
    }
    /* 64 parameters: 256 argument bytes do not fit KiArgumentTable's UCHAR. */
    for (Index = 0; Index < 64; Index++)
        snprintf(TooMany + strlen(TooMany), sizeof(TooMany) - strlen(TooMany), "%sULONG A%lu",
                 Index ? ", " : "", Index);
    strcat(TooMany, ");\n");
    assert_int_equal(RunGenerator(TooMany, NULL), 1);
    TooMany[strlen(TooMany) - strlen(", ULONG A63);\n")] = 0;
    strcat(TooMany, ");\n");
    assert_int_equal(RunGenerator(TooMany, NULL), 0);     /* 63 is the most */
}

static void test_generator_rejects_malformed_status_lines(void **State)
{
    static const PCSTR Bad[] = {
        "#define STATUS_A 0x00000001\n",                            /* not the promised form */
        "#define STATUS_A ((NTSTATUS)0x1L)\n",                      /* not 8 digits */
        "#define STATUS_A ((NTSTATUS)0x00000001L)\n"
        "#define STATUS_A ((NTSTATUS)0x00000002L)\n",               /* a name twice */
        "/* nothing */\n",                                          /* no statuses */
    };
    ULONG Index;

    (void)State;
    assert_int_equal(RunGenerator("NTSTATUS NtA(VOID);\n", "#define STATUS_A ((NTSTATUS)0x00000001L)\n"), 0);
    for (Index = 0; Index < RTL_NUMBER_OF(Bad); Index++) {
        if (RunGenerator("NTSTATUS NtA(VOID);\n", Bad[Index]) != 1 || OutputWritten())
            fail_msg("bad status file %lu was not refused: %s", Index, Bad[Index]);
    }
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_descriptor_table),
        cmocka_unit_test(test_routines_arguments_and_names),
        cmocka_unit_test(test_names_are_in_order),
        cmocka_unit_test(test_service_number_decoding),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_kernel_zw_stubs),
        cmocka_unit_test(test_kernel_zw_stubs_from_c),
        cmocka_unit_test(test_svcnum_include),
        cmocka_unit_test(test_ntdll_stub_bytes),
        cmocka_unit_test(test_ntdll_stubs_run),
        cmocka_unit_test(test_generator_accepts_a_good_list),
        cmocka_unit_test(test_generator_rejects_malformed_lists),
        cmocka_unit_test(test_generator_rejects_malformed_status_lines),
    };

    return cmocka_run_group_tests(Tests, SetupDirectory, RemoveDirectory);
}

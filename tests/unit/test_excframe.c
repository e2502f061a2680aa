/*
 * test_excframe.c - host tests for the exception frame KiDispatchException writes
 * to the user stack (kernel/ke/i386/excframe.c) and for the decoding that tells a
 * privileged instruction from any other #GP in ring 3 (kernel/ke/i386/privinst.c).
 *
 * The layout is NT's i386 one, which ntdll's KiUserExceptionDispatcher (and any
 * debugger or program that walks it) relies on: below the interrupted ESP, rounded
 * down to 4, the CONTEXT, then the EXCEPTION_RECORD cut after its last parameter,
 * then [esp] -> the record, [esp + 4] -> the CONTEXT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <nt/ntstatus.h>
#include "../../kernel/ke/i386/excframe.h"

#define DISPATCHER 0x7C901040

static void FillContext(PCONTEXT Context, ULONG Esp)
{
    memset(Context, 0, sizeof(*Context));
    Context->ContextFlags = CONTEXT_FULL;
    Context->Eip = 0x00401234;
    Context->Esp = Esp;
    Context->Eax = 0xAAAAAAAA;
    Context->EFlags = 0x246 | EFLAGS_TF;
}

static void FillRecord(PEXCEPTION_RECORD Record, NTSTATUS Code, ULONG Count)
{
    memset(Record, 0xEE, sizeof(*Record));  /* unused parameters: must not be copied */
    Record->ExceptionCode = Code;
    Record->ExceptionFlags = 0;
    Record->ExceptionRecord = NULL;
    Record->ExceptionAddress = (PVOID)0x00401234;
    Record->NumberParameters = Count;
    for (ULONG i = 0; i < Count; i++)
        Record->ExceptionInformation[i] = 0x100 + i;
}

/* Two parameters (an access violation): the byte-exact image and its addresses. */
static void test_access_violation_frame(void **State)
{
    static KI_USER_EXCEPTION_FRAME Frame;
    CONTEXT Context;
    EXCEPTION_RECORD Record;
    const ULONG Esp = 0x0012FF80, RecordLength = 0x14 + 2 * 4;

    (void)State;
    FillContext(&Context, Esp);
    FillRecord(&Record, STATUS_ACCESS_VIOLATION, 2);
    assert_true(KiBuildUserExceptionFrame(&Context, &Record, Esp, &Frame));

    assert_int_equal(Frame.ContextAddress, Esp - 0x2CC);
    assert_int_equal(Frame.RecordAddress, Esp - 0x2CC - RecordLength);
    assert_int_equal(Frame.Esp, Frame.RecordAddress - 8);
    assert_int_equal(Frame.Length, Esp - Frame.Esp);
    assert_int_equal(Frame.Length, 8 + RecordLength + 0x2CC);

    /* [esp] the record, [esp + 4] the CONTEXT: the dispatcher's two arguments */
    assert_int_equal(((PULONG)Frame.Image)[0], Frame.RecordAddress);
    assert_int_equal(((PULONG)Frame.Image)[1], Frame.ContextAddress);
    assert_memory_equal(Frame.Image + 8, &Record, RecordLength);
    assert_memory_equal(Frame.Image + 8 + RecordLength, &Context, sizeof(CONTEXT));
}

/* No parameters: the record takes its 0x14-byte head only. */
static void test_record_cut_after_parameters(void **State)
{
    static KI_USER_EXCEPTION_FRAME Frame;
    CONTEXT Context;
    EXCEPTION_RECORD Record;

    (void)State;
    FillContext(&Context, 0x00200000);
    FillRecord(&Record, STATUS_INTEGER_DIVIDE_BY_ZERO, 0);
    assert_true(KiBuildUserExceptionFrame(&Context, &Record, 0x00200000, &Frame));
    assert_int_equal(Frame.Length, 8 + 0x14 + 0x2CC);
    assert_int_equal(Frame.ContextAddress - Frame.RecordAddress, 0x14);

    FillRecord(&Record, (NTSTATUS)0xE0000001, EXCEPTION_MAXIMUM_PARAMETERS);
    assert_true(KiBuildUserExceptionFrame(&Context, &Record, 0x00200000, &Frame));
    assert_int_equal(Frame.Length, 8 + sizeof(EXCEPTION_RECORD) + sizeof(CONTEXT));
    assert_memory_equal(Frame.Image + 8, &Record, sizeof(EXCEPTION_RECORD));
}

/* Whatever the thread did to ESP, the frame is 4-byte aligned below it. */
static void test_misaligned_esp(void **State)
{
    static KI_USER_EXCEPTION_FRAME Frame;
    CONTEXT Context;
    EXCEPTION_RECORD Record;

    (void)State;
    FillContext(&Context, 0x0012FF83);
    FillRecord(&Record, STATUS_BREAKPOINT, 1);
    assert_true(KiBuildUserExceptionFrame(&Context, &Record, 0x0012FF83, &Frame));
    assert_int_equal(Frame.ContextAddress, 0x0012FF80 - 0x2CC);
    assert_int_equal(Frame.Esp & 3, 0);
    assert_int_equal(Frame.Esp, 0x0012FF80 - 0x2CC - 0x18 - 8);
    /* the CONTEXT keeps the ESP the thread had */
    assert_int_equal(((PCONTEXT)(Frame.Image + 8 + 0x18))->Esp, 0x0012FF83);
}

/* A frame that would wrap below 0, or a record with too many parameters: no frame. */
static void test_unusable(void **State)
{
    static KI_USER_EXCEPTION_FRAME Frame;
    CONTEXT Context;
    EXCEPTION_RECORD Record;

    (void)State;
    FillContext(&Context, 0x100);
    FillRecord(&Record, STATUS_ACCESS_VIOLATION, 2);
    assert_false(KiBuildUserExceptionFrame(&Context, &Record, 0x100, &Frame));
    FillRecord(&Record, STATUS_ACCESS_VIOLATION, EXCEPTION_MAXIMUM_PARAMETERS + 1);
    assert_false(KiBuildUserExceptionFrame(&Context, &Record, 0x00200000, &Frame));
    /* exactly enough room is enough */
    FillRecord(&Record, STATUS_ACCESS_VIOLATION, 0);
    assert_true(KiBuildUserExceptionFrame(&Context, &Record, 8 + 0x14 + 0x2CC, &Frame));
    assert_int_equal(Frame.Esp, 0);
}

/* The trap frame then leads to the dispatcher, in ring 3 with the user selectors,
   TF off, everything restored in full; the other registers stay. */
static void test_trap_frame_registers(void **State)
{
    static KI_USER_EXCEPTION_FRAME Frame;
    KTRAP_FRAME TrapFrame;

    (void)State;
    memset(&TrapFrame, 0, sizeof(TrapFrame));
    TrapFrame.Eip = 0x00401234;
    TrapFrame.SegCs = KGDT_R3_CODE | RPL_MASK;
    TrapFrame.EFlags = 0x246 | EFLAGS_TF;
    TrapFrame.HardwareEsp = 0x0012FF80;
    TrapFrame.HardwareSegSs = KGDT_R3_DATA | RPL_MASK;
    TrapFrame.SegDs = TrapFrame.SegEs = 0x0F;   /* whatever the thread loaded */
    TrapFrame.SegFs = 0;
    TrapFrame.SegGs = 0x23;
    TrapFrame.Eax = 0xAAAAAAAA;
    Frame.Esp = 0x0012FC00;

    KiSetUserExceptionFrameRegisters(&TrapFrame, &Frame, DISPATCHER);
    assert_int_equal(TrapFrame.Eip, DISPATCHER);
    assert_int_equal(TrapFrame.HardwareEsp, 0x0012FC00);
    assert_int_equal(TrapFrame.SegCs, 0x1B);
    assert_int_equal(TrapFrame.HardwareSegSs, 0x23);
    assert_int_equal(TrapFrame.SegDs, 0x23);
    assert_int_equal(TrapFrame.SegEs, 0x23);
    assert_int_equal(TrapFrame.SegFs, 0x3B);
    assert_int_equal(TrapFrame.SegGs, 0);
    assert_int_equal(TrapFrame.EFlags, 0x246);
    assert_int_equal(TrapFrame.ErrCode, KI_FRAME_EDITED);
    assert_int_equal(TrapFrame.Eax, 0xAAAAAAAA);
}

/* ---- privileged instructions ---- */

#define PRIVILEGED(...) do { \
        static const UCHAR Code_[] = { __VA_ARGS__ }; \
        assert_true(KiIsPrivilegedInstruction(Code_, sizeof(Code_))); \
    } while (0)
#define NOT_PRIVILEGED(...) do { \
        static const UCHAR Code_[] = { __VA_ARGS__ }; \
        assert_false(KiIsPrivilegedInstruction(Code_, sizeof(Code_))); \
    } while (0)

static void test_privileged_instructions(void **State)
{
    (void)State;
    PRIVILEGED(0xF4);                           /* hlt */
    PRIVILEGED(0xFA);                           /* cli */
    PRIVILEGED(0xFB);                           /* sti */
    PRIVILEGED(0xE4, 0x60);                     /* in al, 60h */
    PRIVILEGED(0xEE);                           /* out dx, al */
    PRIVILEGED(0x66, 0xED);                     /* in ax, dx (a prefix first) */
    PRIVILEGED(0xF3, 0x6E);                     /* rep outsb */
    PRIVILEGED(0x0F, 0x01, 0x15, 0, 0, 0, 0);   /* lgdt [disp32] */
    PRIVILEGED(0x0F, 0x01, 0x18);               /* lidt [eax] */
    PRIVILEGED(0x0F, 0x01, 0xF0);               /* lmsw ax */
    PRIVILEGED(0x0F, 0x01, 0x38);               /* invlpg [eax] */
    PRIVILEGED(0x0F, 0x00, 0xD0);               /* lldt ax */
    PRIVILEGED(0x0F, 0x00, 0xD8);               /* ltr ax */
    PRIVILEGED(0x0F, 0x20, 0xC0);               /* mov eax, cr0 */
    PRIVILEGED(0x0F, 0x22, 0xD8);               /* mov cr3, eax */
    PRIVILEGED(0x0F, 0x23, 0xF8);               /* mov dr7, eax */
    PRIVILEGED(0x0F, 0x06);                     /* clts */
    PRIVILEGED(0x0F, 0x09);                     /* wbinvd */
    PRIVILEGED(0x0F, 0x30);                     /* wrmsr */
    PRIVILEGED(0x0F, 0x32);                     /* rdmsr */
    PRIVILEGED(0x2E, 0x3E, 0xF4);               /* hlt behind two prefixes */
}

static void test_other_instructions(void **State)
{
    (void)State;
    NOT_PRIVILEGED(0xCD, 0x80);                 /* int 80h: #GP by the gate's DPL */
    NOT_PRIVILEGED(0x8E, 0xD8);                 /* mov ds, ax */
    NOT_PRIVILEGED(0xA1, 0, 0, 0, 0);           /* mov eax, [0] */
    NOT_PRIVILEGED(0x0F, 0x31);                 /* rdtsc: allowed in ring 3 */
    NOT_PRIVILEGED(0x0F, 0xA2);                 /* cpuid */
    NOT_PRIVILEGED(0x0F, 0x00, 0xC0);           /* sldt eax */
    NOT_PRIVILEGED(0x0F, 0x01, 0x00);           /* sgdt [eax] */
    NOT_PRIVILEGED(0x0F, 0x01, 0xD0);           /* xgetbv: group 7 /2 with a register */
    NOT_PRIVILEGED(0x0F, 0x01, 0xF9);           /* rdtscp: group 7 /7 with a register */
    NOT_PRIVILEGED(0x0F, 0x0B);                 /* ud2 */
    /* cut short: what could be read says nothing */
    NOT_PRIVILEGED(0x0F);
    NOT_PRIVILEGED(0x66, 0x66);
    NOT_PRIVILEGED(0x0F, 0x01);
    assert_false(KiIsPrivilegedInstruction(NULL, 0));
}

/* Prefixes alone for 15 bytes: no instruction within the architectural limit. */
static void test_prefix_flood(void **State)
{
    UCHAR Code[20];

    (void)State;
    memset(Code, 0x66, sizeof(Code));
    Code[19] = 0xF4;
    assert_false(KiIsPrivilegedInstruction(Code, sizeof(Code)));
    Code[14] = 0xF4;
    assert_true(KiIsPrivilegedInstruction(Code, sizeof(Code)));
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_access_violation_frame),
        cmocka_unit_test(test_record_cut_after_parameters),
        cmocka_unit_test(test_misaligned_esp),
        cmocka_unit_test(test_unusable),
        cmocka_unit_test(test_trap_frame_registers),
        cmocka_unit_test(test_privileged_instructions),
        cmocka_unit_test(test_other_instructions),
        cmocka_unit_test(test_prefix_flood),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}

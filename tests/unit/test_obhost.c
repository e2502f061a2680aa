/*
 * test_obhost.c - the kernel services the handle-table and object-manager host
 * tests link against (see test_obhost.h).
 */
#include "test_obhost.h"

/* ---- the pool over malloc ---- */

#define TEST_POOL_MAGIC 0x504F4F4CUL    /* "POOL" */

typedef struct _TEST_POOL_BLOCK {
    ULONG Magic;
    ULONG Tag;
    SIZE_T Size;
    ULONG Pad;
} TEST_POOL_BLOCK;      /* 16 bytes: what follows stays 16-byte aligned */

#define TEST_MAX_TAGS 64

static struct {
    ULONG Tags[TEST_MAX_TAGS];
    ULONG Live[TEST_MAX_TAGS];
    ULONG TagCount;
    ULONG LiveBlocks;
    ULONG FailAt;           /* 0: never */
    ULONG SinceArmed;
    BOOLEAN Failed;
} TestPool;

static ULONG *TestPoolCounter(ULONG Tag)
{
    ULONG Index;

    Tag &= ~PROTECTED_POOL;
    for (Index = 0; Index < TestPool.TagCount; Index++) {
        if (TestPool.Tags[Index] == Tag)
            return &TestPool.Live[Index];
    }
    assert_true(TestPool.TagCount < TEST_MAX_TAGS);
    TestPool.Tags[TestPool.TagCount] = Tag;
    TestPool.Live[TestPool.TagCount] = 0;
    return &TestPool.Live[TestPool.TagCount++];
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    TEST_POOL_BLOCK *Block;

    assert_true(PoolType == NonPagedPool || PoolType == PagedPool);
    TestPool.SinceArmed++;
    if (TestPool.FailAt != 0 && TestPool.SinceArmed == TestPool.FailAt) {
        TestPool.Failed = TRUE;
        return NULL;
    }
    Block = aligned_alloc(16, (sizeof(*Block) + NumberOfBytes + 15) & ~(SIZE_T)15);
    assert_non_null(Block);
    Block->Magic = TEST_POOL_MAGIC;
    Block->Tag = Tag;
    Block->Size = NumberOfBytes;
    memset(Block + 1, 0xA5, NumberOfBytes);         /* pool memory does not come zeroed */
    (*TestPoolCounter(Tag))++;
    TestPool.LiveBlocks++;
    return Block + 1;
}

PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, EX_UNTAGGED_POOL_TAG);
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    TEST_POOL_BLOCK *Block = (TEST_POOL_BLOCK *)P - 1;

    assert_non_null(P);
    assert_int_equal(Block->Magic, TEST_POOL_MAGIC);
    /* The kernel pool's rules: a protected tag must be named exactly. */
    if (Block->Tag & PROTECTED_POOL)
        assert_int_equal(Tag, Block->Tag);
    else if (Tag != 0)
        assert_int_equal(Tag & ~PROTECTED_POOL, Block->Tag);
    (*TestPoolCounter(Block->Tag))--;
    TestPool.LiveBlocks--;
    Block->Magic = 0;
    memset(Block + 1, 0x5A, Block->Size);
    free(Block);
}

VOID ExFreePool(PVOID P)
{
    ExFreePoolWithTag(P, 0);
}

ULONG TestPoolLiveBlocks(VOID)
{
    return TestPool.LiveBlocks;
}

ULONG TestPoolLiveBlocksWithTag(ULONG Tag)
{
    return *TestPoolCounter(Tag);
}

VOID TestPoolFailAt(ULONG Nth)
{
    TestPool.FailAt = Nth;
    TestPool.SinceArmed = 0;
    TestPool.Failed = FALSE;
}

ULONG TestPoolAllocationsSinceArmed(VOID)
{
    return TestPool.SinceArmed;
}

BOOLEAN TestPoolFailureHappened(VOID)
{
    return TestPool.Failed;
}

/* ---- the kernel core ---- */

KIRQL TestIrql = PASSIVE_LEVEL;
KPROCESSOR_MODE TestPreviousMode = KernelMode;
UCHAR TestKernelMemory[TEST_KERNEL_MEMORY_SIZE];
ULONG TestBugCheckCode;
jmp_buf TestBugCheckJump;
BOOLEAN TestBugCheckArmed;

KIRQL ObpTestGetCurrentIrql(VOID)
{
    return TestIrql;
}

KPROCESSOR_MODE ExGetPreviousMode(VOID)
{
    return TestPreviousMode;
}

VOID KeBugCheckEx(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    if (!TestBugCheckArmed) {
        fail_msg("unexpected bugcheck %#lx (%#x, %#x, %#x, %#x)", Code, P1, P2, P3, P4);
        abort();
    }
    TestBugCheckArmed = FALSE;
    TestBugCheckCode = Code;
    longjmp(TestBugCheckJump, 1);
}

VOID KiAssertFailed(PCSTR Expression, PCSTR File, ULONG Line)
{
    fail_msg("ASSERT(%s) failed at %s:%lu", Expression, File, Line);
    abort();
}

ULONG DbgPrint(PCSTR Format, ...)
{
    va_list Args;

    if (getenv("OB_TEST_VERBOSE") != NULL) {
        va_start(Args, Format);
        vprintf(Format, Args);
        va_end(Args);
    }
    return STATUS_SUCCESS;
}

VOID KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
    static LONGLONG Now = 133000000000000000LL;     /* some day in 2022 */

    CurrentTime->QuadPart = Now;
    Now += 10000000;
}

/* ---- fault recovery: the kernel's recovery.asm, with a variable for fs:[0] ---- */

static PKFAULT_RECOVERY TestExceptionList;

/* Called by KiSetFaultRecovery once the registers are saved. */
void TestLinkFaultRecovery(PKFAULT_RECOVERY Recovery);
void TestLinkFaultRecovery(PKFAULT_RECOVERY Recovery)
{
    Recovery->Next = TestExceptionList;
    TestExceptionList = Recovery;
}

__asm__(
    ".text\n"
    ".globl KiSetFaultRecovery\n"
    "KiSetFaultRecovery:\n"
    "    movl 4(%esp), %eax\n"
    "    movl %ebx, 8(%eax)\n"
    "    movl %esi, 12(%eax)\n"
    "    movl %edi, 16(%eax)\n"
    "    movl %ebp, 20(%eax)\n"
    "    leal 4(%esp), %ecx\n"
    "    movl %ecx, 24(%eax)\n"
    "    movl (%esp), %ecx\n"
    "    movl %ecx, 28(%eax)\n"
    "    pushl %eax\n"
    "    call TestLinkFaultRecovery\n"
    "    addl $4, %esp\n"
    "    xorl %eax, %eax\n"
    "    ret\n"
    ".globl KiResumeFaultRecovery\n"
    "KiResumeFaultRecovery:\n"
    "    movl 4(%esp), %edx\n"
    "    movl 8(%edx), %ebx\n"
    "    movl 12(%edx), %esi\n"
    "    movl 16(%edx), %edi\n"
    "    movl 20(%edx), %ebp\n"
    "    movl 24(%edx), %esp\n"
    "    movl $1, %eax\n"
    "    jmp *28(%edx)\n");

PKFAULT_RECOVERY KiCurrentFaultRecovery(VOID)
{
    return TestExceptionList;
}

VOID KiClearFaultRecovery(PKFAULT_RECOVERY Recovery)
{
    assert_ptr_equal(TestExceptionList, Recovery);
    TestExceptionList = Recovery->Next;
}

VOID KiRaiseToFaultRecovery(NTSTATUS Status, ULONG_PTR Address)
{
    PKFAULT_RECOVERY Recovery = TestExceptionList;

    if (Recovery == NULL) {
        fail_msg("a raise of %#lx with no fault-recovery block", (ULONG)Status);
        abort();
    }
    Recovery->ExceptionCode = Status;
    Recovery->ExceptionAddress = Address;
    TestExceptionList = Recovery->Next;
    KiResumeFaultRecovery(Recovery);
}

VOID ExRaiseStatus(NTSTATUS Status)
{
    KiRaiseToFaultRecovery(Status, (ULONG_PTR)__builtin_return_address(0));
}

/* The host's "user space": everything but the first 64 KB and TestKernelMemory. */
static VOID TestCheckRange(PCVOID Address, SIZE_T Length, ULONG Alignment)
{
    ULONG_PTR Start = (ULONG_PTR)Address, End = Start + Length;
    ULONG_PTR KernelStart = (ULONG_PTR)TestKernelMemory, KernelEnd = KernelStart + TEST_KERNEL_MEMORY_SIZE;

    if (Start & (Alignment - 1))
        ExRaiseStatus(STATUS_DATATYPE_MISALIGNMENT);
    if (End < Start || Start < 0x10000 || (Start < KernelEnd && End > KernelStart))
        ExRaiseStatus(STATUS_ACCESS_VIOLATION);
}

VOID ProbeForRead(PCVOID Address, SIZE_T Length, ULONG Alignment)
{
    if (Length != 0)
        TestCheckRange(Address, Length, Alignment);
}

VOID ProbeForWrite(PVOID Address, SIZE_T Length, ULONG Alignment)
{
    if (Length != 0)
        TestCheckRange(Address, Length, Alignment);
}

/* ---- strings ---- */

VOID TestInitString(PUNICODE_STRING String, const char *Ascii)
{
    static WCHAR Ring[32][256];
    static ULONG Next;
    PWCHAR Buffer = Ring[Next++ % 32];
    SIZE_T Index, Length = strlen(Ascii);

    assert_true(Length < 256);
    for (Index = 0; Index < Length; Index++)
        Buffer[Index] = (UCHAR)Ascii[Index];
    Buffer[Length] = 0;
    String->Buffer = Buffer;
    String->Length = (USHORT)(Length * sizeof(WCHAR));
    String->MaximumLength = (USHORT)(String->Length + sizeof(WCHAR));
}

BOOLEAN TestStringEquals(PCUNICODE_STRING String, const char *Ascii)
{
    SIZE_T Index, Length = strlen(Ascii);

    if (String->Length != Length * sizeof(WCHAR))
        return FALSE;
    for (Index = 0; Index < Length; Index++) {
        if (String->Buffer[Index] != (UCHAR)Ascii[Index])
            return FALSE;
    }
    return TRUE;
}

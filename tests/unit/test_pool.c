/*
 * test_pool.c - host tests for the executive pool (kernel/ex/pool*.c).
 *
 * The test is the memory manager: MiAllocatePoolPages/MiFreePoolPages below hand out
 * aligned_alloc'd pages, count them, can be told to refuse, and check that every run
 * comes back exactly as it was given. It is also the kernel core: KeBugCheckEx records
 * the code and parameters and longjmps back into the test that expected it (any other
 * bugcheck fails the test), and DbgPrint keeps the last message (POOL_TEST_VERBOSE=1
 * prints them all).
 *
 * The pool is one global state shared by all tests, as in the kernel: every test
 * frees what it allocated and ends with AssertPoolIdle, so each starts from an idle
 * pool, and the last test checks that everything is back at its baseline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ex.h>
#include <ke.h>
#include <kd.h>
#include <rtl.h>

/* NT's numbers, written here independently of the pool's own definitions. */
#define SMALL_MAX               4080    /* POOL_BUDDY_MAX on i386 */
#define CACHE_ALIGNED_SMALL_MAX (PAGE_SIZE - POOL_CACHE_ALIGNMENT)

#define CALLER_ALREADY_FREED        0x07
#define CALLER_WRONG_TAG            0x0A
#define CALLER_NOT_IN_ANY_POOL      0x42
#define CALLER_INVALID_ADDRESS      0x46
#define HEADER_FREE_LIST_CORRUPT    0x03
#define HEADER_NEIGHBOURS_DISAGREE  0x05
#define HEADER_BAD_FIELD            0x06
#define HEADER_BAD_BLOCK_SIZE       0x20

#define TAG_A EX_POOL_TAG('T', 's', 't', 'A')
#define TAG_B EX_POOL_TAG('T', 's', 't', 'B')
#define TAG_C EX_POOL_TAG('T', 's', 't', 'C')

/* ---- the page provider ---- */

typedef struct _PROVIDER_RUN {
    PVOID Va;
    ULONG Pages;
} PROVIDER_RUN;

#define PROVIDER_MAX_RUNS 32768

static struct {
    PROVIDER_RUN Runs[PROVIDER_MAX_RUNS];
    ULONG RunCount;
    ULONG PagesOutstanding;
    ULONG AllocateCalls;
    ULONG FreeCalls;
    ULONG PageLimit;            /* refuse what would take PagesOutstanding past this */
    ULONG MaxPagesPerCall;      /* refuse runs longer than this */
    POOL_TYPE LastPoolType;
} Provider;

#define PROVIDER_DEFAULT_LIMIT 65536    /* 256 MB */

static VOID ProviderReset(VOID)
{
    Provider.PageLimit = PROVIDER_DEFAULT_LIMIT;
    Provider.MaxPagesPerCall = PROVIDER_DEFAULT_LIMIT;
}

PVOID MiAllocatePoolPages(POOL_TYPE PoolType, ULONG PageCount)
{
    PVOID Va;

    assert_true(PageCount != 0);
    Provider.AllocateCalls++;
    Provider.LastPoolType = PoolType;
    if (PageCount > Provider.MaxPagesPerCall ||
        PageCount > Provider.PageLimit - Provider.PagesOutstanding)
        return NULL;
    assert_true(Provider.RunCount < PROVIDER_MAX_RUNS);
    Va = aligned_alloc(PAGE_SIZE, PageCount * PAGE_SIZE);
    assert_non_null(Va);
    memset(Va, 0xA5, PageCount * PAGE_SIZE);    /* pages do not come zeroed */
    Provider.Runs[Provider.RunCount].Va = Va;
    Provider.Runs[Provider.RunCount].Pages = PageCount;
    Provider.RunCount++;
    Provider.PagesOutstanding += PageCount;
    return Va;
}

VOID MiFreePoolPages(PVOID BaseAddress, ULONG PageCount)
{
    ULONG Index;

    Provider.FreeCalls++;
    for (Index = 0; Index < Provider.RunCount; Index++) {
        if (Provider.Runs[Index].Va == BaseAddress)
            break;
    }
    assert_true(Index < Provider.RunCount);     /* a run this provider gave out */
    assert_int_equal(Provider.Runs[Index].Pages, PageCount);
    memset(BaseAddress, 0x5A, PageCount * PAGE_SIZE);
    free(BaseAddress);
    Provider.Runs[Index] = Provider.Runs[--Provider.RunCount];
    Provider.PagesOutstanding -= PageCount;
}

/* ---- the kernel core: bugcheck and debug output ---- */

static jmp_buf BugCheckJump;
static BOOLEAN BugCheckArmed;
static ULONG BugCheckCode;
static ULONG_PTR BugCheckParameter[4];
static CHAR LastMessage[1024];

VOID KeBugCheckEx(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    if (!BugCheckArmed) {
        fail_msg("unexpected bugcheck %#lx (%#x, %#x, %#x, %#x) after \"%s\"", Code,
                 P1, P2, P3, P4, LastMessage);
        abort();
    }
    BugCheckArmed = FALSE;
    BugCheckCode = Code;
    BugCheckParameter[0] = P1;
    BugCheckParameter[1] = P2;
    BugCheckParameter[2] = P3;
    BugCheckParameter[3] = P4;
    longjmp(BugCheckJump, 1);
}

ULONG DbgPrint(PCSTR Format, ...)
{
    va_list Args;

    va_start(Args, Format);
    vsnprintf(LastMessage, sizeof(LastMessage), Format, Args);
    va_end(Args);
    if (getenv("POOL_TEST_VERBOSE") != NULL)
        fputs(LastMessage, stdout);
    return STATUS_SUCCESS;
}

typedef struct _POOL_CALL {
    BOOLEAN Allocate;
    POOL_TYPE PoolType;
    SIZE_T NumberOfBytes;
    PVOID P;
    ULONG Tag;
} POOL_CALL;

/* Makes the call; TRUE when it bugchecked (the code and parameters are recorded). */
static BOOLEAN CallBugChecks(const POOL_CALL *Call)
{
    LastMessage[0] = '\0';
    BugCheckArmed = TRUE;
    if (setjmp(BugCheckJump) != 0)
        return TRUE;
    if (Call->Allocate)
        ExAllocatePoolWithTag(Call->PoolType, Call->NumberOfBytes, Call->Tag);
    else
        ExFreePoolWithTag(Call->P, Call->Tag);
    BugCheckArmed = FALSE;
    return FALSE;
}

static VOID ExpectBugCheck(const POOL_CALL *Call, ULONG Code, ULONG_PTR Parameter1)
{
    assert_true(CallBugChecks(Call));
    assert_int_equal(BugCheckCode, Code);
    assert_int_equal(BugCheckParameter[0], Parameter1);
    assert_true(LastMessage[0] != '\0');    /* it said why first */
}

static VOID ExpectFreeBugCheck(PVOID P, ULONG Tag, ULONG Code, ULONG_PTR Parameter1)
{
    POOL_CALL Call = { .Allocate = FALSE, .P = P, .Tag = Tag };

    ExpectBugCheck(&Call, Code, Parameter1);
}

static VOID ExpectAllocateBugCheck(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                   ULONG Code, ULONG_PTR Parameter1)
{
    POOL_CALL Call = { .Allocate = TRUE, .PoolType = PoolType,
                       .NumberOfBytes = NumberOfBytes, .Tag = Tag };

    ExpectBugCheck(&Call, Code, Parameter1);
}

static VOID ExpectMessageMentions(PCSTR Text)
{
    if (strstr(LastMessage, Text) == NULL)
        fail_msg("message \"%s\" does not mention \"%s\"", LastMessage, Text);
}

/* ---- helpers ---- */

/* Every tag a test used, for the final check that all of them are back to zero. */
#define MAX_TAGS_SEEN 8192
static ULONG TagsSeen[MAX_TAGS_SEEN];
static ULONG TagsSeenCount;

static VOID NoteTag(ULONG Tag)
{
    ULONG Index;

    Tag &= ~PROTECTED_POOL;
    for (Index = 0; Index < TagsSeenCount; Index++) {
        if (TagsSeen[Index] == Tag)
            return;
    }
    assert_true(TagsSeenCount < MAX_TAGS_SEEN);
    TagsSeen[TagsSeenCount++] = Tag;
}

static PVOID Alloc(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    NoteTag(Tag);
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
}

static EX_POOL_USAGE PoolUsage(VOID)
{
    EX_POOL_USAGE Usage;

    memset(&Usage, 0xEE, sizeof(Usage));
    ExQueryPoolUsage(&Usage);
    return Usage;
}

/* A tag's usage; all zero (but the tag) when it was never used. */
static EX_POOL_TAG_USAGE TagUsage(ULONG Tag)
{
    EX_POOL_TAG_USAGE Usage;
    NTSTATUS Status = ExQueryPoolTagUsage(Tag, &Usage);

    if (Status == STATUS_NOT_FOUND) {
        memset(&Usage, 0, sizeof(Usage));
        Usage.Tag = Tag & ~PROTECTED_POOL;
    } else {
        assert_int_equal(Status, STATUS_SUCCESS);
    }
    return Usage;
}

static BOOLEAN IsSmallRequest(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    if (PoolType & CACHE_ALIGNED_POOL_TYPE_MASK)
        return NumberOfBytes <= CACHE_ALIGNED_SMALL_MAX;
    return NumberOfBytes <= SMALL_MAX;
}

/* Units of a small block: the body rounded up to 8 bytes, plus the header; at least 2. */
static ULONG BlockUnits(SIZE_T NumberOfBytes)
{
    ULONG Units = (ULONG)((NumberOfBytes + 8 + 7) / 8);

    return Units < 2 ? 2 : Units;
}

static ULONG BigPages(SIZE_T NumberOfBytes)
{
    return (ULONG)((NumberOfBytes + PAGE_SIZE - 1) / PAGE_SIZE);
}

/* What the pool counts for one allocation. */
static SIZE_T ChargedBytes(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    if (IsSmallRequest(PoolType, NumberOfBytes))
        return BlockUnits(NumberOfBytes) * 8;
    return BigPages(NumberOfBytes) * PAGE_SIZE;
}

/* The header in front of a small block, read with NT's i386 layout. */
typedef struct _TEST_HEADER {
    ULONG PreviousSize, PoolIndex, BlockSize, PoolType, PoolTag;
} TEST_HEADER;

static TEST_HEADER ReadHeader(PVOID P)
{
    PUSHORT Words = (PUSHORT)((PUCHAR)P - 8);
    TEST_HEADER Header;

    Header.PreviousSize = Words[0] & 0x1FF;
    Header.PoolIndex = Words[0] >> 9;
    Header.BlockSize = Words[1] & 0x1FF;
    Header.PoolType = Words[1] >> 9;
    memcpy(&Header.PoolTag, Words + 2, sizeof(ULONG));
    return Header;
}

static UCHAR PatternByte(ULONG Seed, SIZE_T Index)
{
    return (UCHAR)((Seed * 0x9E3779B1UL + Index * 131 + (Index >> 8)) >> 3);
}

static VOID Fill(PVOID P, SIZE_T Size, ULONG Seed)
{
    SIZE_T Index;

    for (Index = 0; Index < Size; Index++)
        ((PUCHAR)P)[Index] = PatternByte(Seed, Index);
}

static BOOLEAN Intact(PVOID P, SIZE_T Size, ULONG Seed)
{
    SIZE_T Index;

    for (Index = 0; Index < Size; Index++) {
        if (((PUCHAR)P)[Index] != PatternByte(Seed, Index))
            return FALSE;
    }
    return TRUE;
}

static BOOLEAN IsAligned(PVOID P, ULONG Alignment)
{
    return ((ULONG_PTR)P & (Alignment - 1)) == 0;
}

/* The pool's own count of pages matches what the provider has given out. */
static VOID AssertProviderMatches(VOID)
{
    assert_int_equal(PoolUsage().TotalPagesHeld, Provider.PagesOutstanding);
}

/* Nothing allocated: no block, no byte, no data page, no page-table page. */
static VOID AssertPoolIdle(VOID)
{
    EX_POOL_USAGE Usage = PoolUsage();
    ULONG Pool;

    for (Pool = 0; Pool < EX_BASE_POOL_TYPES; Pool++) {
        assert_int_equal(Usage.Pool[Pool].BlocksInUse, 0);
        assert_int_equal(Usage.Pool[Pool].BytesInUse, 0);
        assert_int_equal(Usage.Pool[Pool].TotalPages, 0);
        assert_int_equal(Usage.Pool[Pool].TotalBigPages, 0);
        assert_int_equal(Usage.Pool[Pool].BigAllocations, 0);
        assert_int_equal(Usage.Pool[Pool].RunningAllocs, Usage.Pool[Pool].RunningDeAllocs);
    }
    assert_int_equal(Usage.BigPageTablePages, 0);
    assert_int_equal(Usage.TotalPagesHeld, Usage.TagTablePages);
    assert_int_equal(Provider.PagesOutstanding, Usage.TotalPagesHeld);
}

/* ---- sizes, alignment, layout ---- */

static void test_every_small_size_alone(void **state)
{
    SIZE_T Size;

    (void)state;
    for (Size = 0; Size <= SMALL_MAX; Size++) {
        ULONG PagesBefore = Provider.PagesOutstanding;
        PUCHAR P = Alloc(NonPagedPool, Size, TAG_A);
        TEST_HEADER Header;
        EX_POOL_USAGE Usage;

        assert_non_null(P);
        assert_true(IsAligned(P, 8));
        assert_false(IsAligned(P, PAGE_SIZE));
        /* First block of a fresh page, NT's header layout and "allocated" PoolType. */
        Header = ReadHeader(P);
        assert_ptr_equal(P, (PUCHAR)PAGE_ALIGN(P) + 8);
        assert_int_equal(Header.PreviousSize, 0);
        assert_int_equal(Header.PoolIndex, 0);
        assert_int_equal(Header.BlockSize, BlockUnits(Size));
        assert_int_equal(Header.PoolType, NonPagedPool + 1);
        assert_int_equal(Header.PoolTag, TAG_A);

        Usage = PoolUsage();
        assert_int_equal(Usage.Pool[NonPagedPool].BytesInUse, BlockUnits(Size) * 8);
        assert_int_equal(Usage.Pool[NonPagedPool].BlocksInUse, 1);
        assert_int_equal(Usage.Pool[NonPagedPool].TotalPages, 1);
        assert_int_equal(Provider.PagesOutstanding, PagesBefore + 1);

        Fill(P, Size, (ULONG)Size);
        assert_true(Intact(P, Size, (ULONG)Size));
        ExFreePoolWithTag(P, TAG_A);
        assert_int_equal(Provider.PagesOutstanding, PagesBefore);
    }
    AssertPoolIdle();
}

static const SIZE_T LargeSizes[] = {
    SMALL_MAX + 1, PAGE_SIZE, PAGE_SIZE + 1, 3 * PAGE_SIZE + 1, 10000, 65536, 1 << 20,
};

static void test_every_size_held_together(void **state)
{
    enum { SMALL_AND_MEDIUM = 8193 };
    static PVOID Blocks[SMALL_AND_MEDIUM + RTL_NUMBER_OF(LargeSizes)];
    static SIZE_T Sizes[SMALL_AND_MEDIUM + RTL_NUMBER_OF(LargeSizes)];
    ULONG Count = 0, Index, Step;
    EX_POOL_USAGE Usage;
    SIZE_T Expected = 0;

    (void)state;
    for (Index = 0; Index < SMALL_AND_MEDIUM; Index++)
        Sizes[Count++] = Index;
    for (Index = 0; Index < RTL_NUMBER_OF(LargeSizes); Index++)
        Sizes[Count++] = LargeSizes[Index];

    for (Index = 0; Index < Count; Index++) {
        Blocks[Index] = Alloc(Index & 1 ? PagedPool : NonPagedPool, Sizes[Index], TAG_B);
        assert_non_null(Blocks[Index]);
        assert_true(IsAligned(Blocks[Index], IsSmallRequest(NonPagedPool, Sizes[Index]) ?
                                             8 : PAGE_SIZE));
        Fill(Blocks[Index], Sizes[Index], Index);
        Expected += ChargedBytes(NonPagedPool, Sizes[Index]);
    }

    Usage = PoolUsage();
    assert_int_equal(Usage.Pool[NonPagedPool].BytesInUse + Usage.Pool[PagedPool].BytesInUse,
                     Expected);
    assert_int_equal(TagUsage(TAG_B).NonPagedBytes + TagUsage(TAG_B).PagedBytes, Expected);
    assert_int_equal(Usage.Pool[NonPagedPool].BlocksInUse + Usage.Pool[PagedPool].BlocksInUse,
                     Count);
    assert_true(Usage.BigPageTablePages > 0);   /* thousands of pages: the table grew */
    AssertProviderMatches();

    /* Nothing overlaps: every block still holds its own pattern. Free in a scattered order. */
    for (Step = 0; Step < 7; Step++) {
        for (Index = Step; Index < Count; Index += 7) {
            assert_true(Intact(Blocks[Index], Sizes[Index], Index));
            ExFreePoolWithTag(Blocks[Index], TAG_B);
        }
        AssertProviderMatches();
    }
    AssertPoolIdle();
}

static void test_zero_bytes_gives_a_minimal_block(void **state)
{
    PUCHAR P, Q;

    (void)state;
    P = Alloc(NonPagedPool, 0, TAG_A);
    Q = Alloc(NonPagedPool, 0, TAG_A);
    assert_non_null(P);
    assert_non_null(Q);
    assert_ptr_not_equal(P, Q);
    assert_int_equal(ReadHeader(P).BlockSize, 2);
    assert_ptr_equal(Q, P + 16);        /* header + 8 bytes, then the next block */
    assert_int_equal(PoolUsage().Pool[NonPagedPool].BytesInUse, 32);
    Fill(P, 8, 1);
    Fill(Q, 8, 2);
    assert_true(Intact(P, 8, 1));
    ExFreePool(P);
    assert_true(Intact(Q, 8, 2));
    ExFreePool(Q);
    AssertPoolIdle();
}

static void test_large_allocations_are_whole_pages(void **state)
{
    ULONG Index;

    (void)state;
    for (Index = 0; Index < RTL_NUMBER_OF(LargeSizes); Index++) {
        SIZE_T Size = LargeSizes[Index];
        ULONG PagesBefore = Provider.PagesOutstanding;
        POOL_TYPE PoolType = Index & 1 ? PagedPool : NonPagedPool;
        PVOID P = Alloc(PoolType, Size, TAG_C);
        EX_POOL_USAGE Usage = PoolUsage();

        assert_non_null(P);
        assert_true(IsAligned(P, PAGE_SIZE));
        assert_int_equal(Provider.PagesOutstanding, PagesBefore + BigPages(Size));
        assert_int_equal(Provider.LastPoolType, PoolType);
        assert_int_equal(Usage.Pool[PoolType].TotalBigPages, BigPages(Size));
        assert_int_equal(Usage.Pool[PoolType].BigAllocations, 1);
        assert_int_equal(Usage.Pool[PoolType].TotalPages, 0);
        assert_int_equal(Usage.Pool[PoolType].BytesInUse, BigPages(Size) * PAGE_SIZE);
        Fill(P, Size, Index);
        assert_true(Intact(P, Size, Index));
        ExFreePoolWithTag(P, TAG_C);
        /* Its pages went straight back. */
        assert_int_equal(Provider.PagesOutstanding, PagesBefore);
    }
    AssertPoolIdle();
}

static void test_cache_aligned_types(void **state)
{
    static const POOL_TYPE Types[] = {
        NonPagedPoolCacheAligned, PagedPoolCacheAligned, NonPagedPoolCacheAlignedMustS,
    };
    PVOID Ring[5] = { NULL };
    SIZE_T Size;
    ULONG Step = 0, Slot;

    (void)state;
    /*
     * Every size, each type, with ordinary blocks of odd sizes allocated in between
     * and a few blocks kept alive, so the aligned ones land at every kind of offset.
     */
    for (Size = 0; Size <= CACHE_ALIGNED_SMALL_MAX + 64; Size++, Step++) {
        POOL_TYPE PoolType = Types[Step % RTL_NUMBER_OF(Types)];
        PUCHAR P = Alloc(PoolType, Size, TAG_C);
        PVOID Spacer = Alloc(PoolType & BASE_POOL_TYPE_MASK, Step % 40, TAG_C);

        assert_non_null(P);
        assert_non_null(Spacer);
        if (Size <= CACHE_ALIGNED_SMALL_MAX) {
            assert_true(IsAligned(P, POOL_CACHE_ALIGNMENT));
            assert_false(IsAligned(P, PAGE_SIZE));
            assert_int_equal(ReadHeader(P).PoolTag, TAG_C);
            assert_int_equal(ReadHeader(P).BlockSize, BlockUnits(Size));
        } else {
            assert_true(IsAligned(P, PAGE_SIZE));
        }
        Fill(P, Size, Step);
        Slot = Step % RTL_NUMBER_OF(Ring);
        if (Ring[Slot] != NULL)
            ExFreePool(Ring[Slot]);
        Ring[Slot] = Spacer;
        assert_true(Intact(P, Size, Step));
        ExFreePoolWithTag(P, TAG_C);
    }
    for (Slot = 0; Slot < RTL_NUMBER_OF(Ring); Slot++)
        ExFreePool(Ring[Slot]);
    AssertPoolIdle();
}

/* ---- accounting ---- */

static void test_untagged_allocations_are_tagged_None(void **state)
{
    ULONG None = EX_POOL_TAG('N', 'o', 'n', 'e');
    EX_POOL_TAG_USAGE Before, After;
    PUCHAR P, Q;

    (void)state;
    NoteTag(None);
    Before = TagUsage(None);
    P = ExAllocatePool(PagedPool, 40);
    Q = ExAllocatePool(NonPagedPool, 5000);
    assert_non_null(P);
    assert_non_null(Q);
    assert_memory_equal(P - 4, "None", 4);      /* the bytes as a dump shows them */

    After = TagUsage(None);
    assert_int_equal(After.PagedAllocs, Before.PagedAllocs + 1);
    assert_int_equal(After.PagedBytes, Before.PagedBytes + 48);
    assert_int_equal(After.NonPagedAllocs, Before.NonPagedAllocs + 1);
    assert_int_equal(After.NonPagedBytes, Before.NonPagedBytes + 2 * PAGE_SIZE);

    ExFreePoolWithTag(P, None);
    ExFreePool(Q);
    After = TagUsage(None);
    assert_int_equal(After.PagedFrees, Before.PagedFrees + 1);
    assert_int_equal(After.NonPagedFrees, Before.NonPagedFrees + 1);
    assert_int_equal(After.PagedBytes, Before.PagedBytes);
    assert_int_equal(After.NonPagedBytes, Before.NonPagedBytes);
    AssertPoolIdle();
}

static void test_tag_accounting_up_and_down(void **state)
{
    ULONG Up = EX_POOL_TAG('U', 'p', 'D', 'n'), Other = EX_POOL_TAG('O', 't', 'h', 'r');
    EX_POOL_TAG_USAGE Usage;
    PVOID A[3], Paged, Big, Aligned, Mine;
    ULONG Index;

    (void)state;
    assert_int_equal(ExQueryPoolTagUsage(EX_POOL_TAG('n', 'e', 'v', 'r'), &Usage),
                     STATUS_NOT_FOUND);
    assert_int_equal(ExQueryPoolTagUsage(Up, NULL), STATUS_INVALID_PARAMETER);

    for (Index = 0; Index < 3; Index++)
        A[Index] = Alloc(NonPagedPool, 100, Up);
    Paged = Alloc(PagedPool, 200, Up);
    Big = Alloc(NonPagedPool, 10000, Up);
    Aligned = Alloc(PagedPoolCacheAligned, 64, Up);
    Mine = Alloc(NonPagedPool, 24, Other);

    Usage = TagUsage(Up);
    assert_int_equal(Usage.Tag, Up);
    assert_int_equal(Usage.NonPagedAllocs, 4);
    assert_int_equal(Usage.NonPagedFrees, 0);
    assert_int_equal(Usage.NonPagedBytes, 3 * 112 + 3 * PAGE_SIZE);
    assert_int_equal(Usage.PagedAllocs, 2);
    assert_int_equal(Usage.PagedBytes, 208 + 72);
    assert_int_equal(TagUsage(Other).NonPagedBytes, 32);

    ExFreePoolWithTag(A[1], Up);
    ExFreePool(Big);
    Usage = TagUsage(Up);
    assert_int_equal(Usage.NonPagedFrees, 2);
    assert_int_equal(Usage.NonPagedBytes, 2 * 112);
    assert_int_equal(Usage.PagedFrees, 0);

    ExFreePool(A[0]);
    ExFreePool(A[2]);
    ExFreePool(Paged);
    ExFreePoolWithTag(Aligned, Up);
    Usage = TagUsage(Up);
    assert_int_equal(Usage.NonPagedAllocs, 4);
    assert_int_equal(Usage.NonPagedFrees, 4);
    assert_int_equal(Usage.NonPagedBytes, 0);
    assert_int_equal(Usage.PagedAllocs, 2);
    assert_int_equal(Usage.PagedFrees, 2);
    assert_int_equal(Usage.PagedBytes, 0);
    /* Another tag's counters were not touched by any of that. */
    Usage = TagUsage(Other);
    assert_int_equal(Usage.NonPagedAllocs, 1);
    assert_int_equal(Usage.NonPagedFrees, 0);
    ExFreePoolWithTag(Mine, Other);
    AssertPoolIdle();
}

static void test_protected_tags_count_under_the_plain_tag(void **state)
{
    ULONG Tag = EX_POOL_TAG('P', 'r', 'o', 't');
    EX_POOL_TAG_USAGE Usage;
    PVOID P;

    (void)state;
    P = Alloc(NonPagedPool, 10, Tag | PROTECTED_POOL);
    assert_non_null(P);
    assert_int_equal(ExQueryPoolTagUsage(Tag, &Usage), STATUS_SUCCESS);
    assert_int_equal(Usage.NonPagedAllocs, 1);
    assert_int_equal(ExQueryPoolTagUsage(Tag | PROTECTED_POOL, &Usage), STATUS_SUCCESS);
    assert_int_equal(Usage.Tag, Tag);
    assert_int_equal(Usage.NonPagedBytes, 24);
    /* The header keeps the tag as given, protection bit included. */
    assert_int_equal(ReadHeader(P).PoolTag, Tag | PROTECTED_POOL);
    ExFreePoolWithTag(P, Tag | PROTECTED_POOL);
    assert_int_equal(TagUsage(Tag).NonPagedBytes, 0);
    AssertPoolIdle();
}

static void test_pool_types_are_counted_by_base_pool(void **state)
{
    static const struct { POOL_TYPE Type; POOL_TYPE Base; } Cases[] = {
        { NonPagedPool, NonPagedPool },
        { PagedPool, PagedPool },
        { NonPagedPoolMustSucceed, NonPagedPool },
        { NonPagedPoolCacheAligned, NonPagedPool },
        { PagedPoolCacheAligned, PagedPool },
        { NonPagedPoolCacheAlignedMustS, NonPagedPool },
    };
    PVOID Blocks[RTL_NUMBER_OF(Cases)];
    EX_POOL_USAGE Before = PoolUsage(), After;
    ULONG Index, Allocated[EX_BASE_POOL_TYPES] = { 0 };
    SIZE_T Bytes[EX_BASE_POOL_TYPES] = { 0 };

    (void)state;
    for (Index = 0; Index < RTL_NUMBER_OF(Cases); Index++) {
        Blocks[Index] = Alloc(Cases[Index].Type, 100, TAG_A);
        assert_non_null(Blocks[Index]);
        assert_int_equal(ReadHeader(Blocks[Index]).PoolType, Cases[Index].Base + 1);
        Allocated[Cases[Index].Base]++;
        Bytes[Cases[Index].Base] += 112;
    }
    After = PoolUsage();
    for (Index = 0; Index < EX_BASE_POOL_TYPES; Index++) {
        assert_int_equal(After.Pool[Index].RunningAllocs,
                         Before.Pool[Index].RunningAllocs + Allocated[Index]);
        assert_int_equal(After.Pool[Index].BlocksInUse, Allocated[Index]);
        assert_int_equal(After.Pool[Index].BytesInUse, Bytes[Index]);
        /* Each base pool carves its own page: paged blocks never share with non-paged. */
        assert_int_equal(After.Pool[Index].TotalPages, 1);
    }
    assert_ptr_not_equal(PAGE_ALIGN(Blocks[0]), PAGE_ALIGN(Blocks[1]));
    assert_ptr_equal(PAGE_ALIGN(Blocks[0]), PAGE_ALIGN(Blocks[2]));
    assert_ptr_equal(PAGE_ALIGN(Blocks[1]), PAGE_ALIGN(Blocks[4]));

    for (Index = 0; Index < RTL_NUMBER_OF(Cases); Index++)
        ExFreePool(Blocks[Index]);
    After = PoolUsage();
    for (Index = 0; Index < EX_BASE_POOL_TYPES; Index++)
        assert_int_equal(After.Pool[Index].RunningDeAllocs,
                         Before.Pool[Index].RunningDeAllocs + Allocated[Index]);
    AssertPoolIdle();
}

static void test_paged_pages_are_asked_for_as_paged(void **state)
{
    PVOID P;

    (void)state;
    P = Alloc(PagedPool, 10, TAG_A);
    assert_int_equal(Provider.LastPoolType & BASE_POOL_TYPE_MASK, PagedPool);
    ExFreePool(P);
    P = Alloc(NonPagedPoolCacheAligned, 10, TAG_A);
    assert_int_equal(Provider.LastPoolType & BASE_POOL_TYPE_MASK, NonPagedPool);
    ExFreePool(P);
    AssertPoolIdle();
}

static void test_unknown_pool_types_are_refused(void **state)
{
    EX_POOL_USAGE Before = PoolUsage(), After;
    ULONG Calls = Provider.AllocateCalls;

    (void)state;
    assert_null(Alloc(DontUseThisType, 10, TAG_A));
    assert_null(Alloc(MaxPoolType, 10, TAG_A));
    assert_null(Alloc((POOL_TYPE)32, 10, TAG_A));
    assert_null(Alloc((POOL_TYPE)-1, 10000, TAG_A));
    After = PoolUsage();
    assert_int_equal(After.Pool[NonPagedPool].RunningAllocs, Before.Pool[NonPagedPool].RunningAllocs);
    assert_int_equal(After.Pool[PagedPool].RunningAllocs, Before.Pool[PagedPool].RunningAllocs);
    assert_int_equal(Provider.AllocateCalls, Calls);
    AssertPoolIdle();
}

/* ---- reuse, splitting, coalescing, pages going back ---- */

static void test_freed_block_is_reused(void **state)
{
    PUCHAR Keep, A, B, C, Again;
    ULONG Calls;

    (void)state;
    Keep = Alloc(NonPagedPool, 200, TAG_A);
    A = Alloc(NonPagedPool, 200, TAG_A);
    Calls = Provider.AllocateCalls;
    ExFreePool(A);
    Again = Alloc(NonPagedPool, 200, TAG_A);
    assert_ptr_equal(Again, A);

    /* Blocks follow each other in the page; a freed middle one is reused exactly. */
    B = Alloc(NonPagedPool, 100, TAG_A);
    C = Alloc(NonPagedPool, 100, TAG_A);
    assert_ptr_equal(B, A + 208);
    assert_ptr_equal(C, B + 112);
    ExFreePool(B);
    assert_ptr_equal(Alloc(NonPagedPool, 100, TAG_A), B);
    assert_int_equal(Provider.AllocateCalls, Calls);    /* all from the one page */

    ExFreePool(Keep);
    ExFreePool(Again);
    ExFreePool(B);
    ExFreePool(C);
    AssertPoolIdle();
}

static void test_smallest_fit_and_split_from_the_front(void **state)
{
    PUCHAR S0, F1, S1, F2, S2, P;
    ULONG Calls;

    (void)state;
    /* S0 | F1 (200) | S1 | F2 (100) | S2 | the page's large free tail */
    S0 = Alloc(NonPagedPool, 100, TAG_A);
    F1 = Alloc(NonPagedPool, 200, TAG_A);
    S1 = Alloc(NonPagedPool, 100, TAG_A);
    F2 = Alloc(NonPagedPool, 100, TAG_A);
    S2 = Alloc(NonPagedPool, 100, TAG_A);
    assert_ptr_equal(F1, S0 + 112);
    assert_ptr_equal(S1, F1 + 208);
    assert_ptr_equal(F2, S1 + 112);
    assert_ptr_equal(S2, F2 + 112);
    ExFreePool(F1);
    ExFreePool(F2);
    Calls = Provider.AllocateCalls;

    /* 90 bytes (13 units) fit in F2 (14) and F1 (26): the smaller wins. */
    P = Alloc(NonPagedPool, 90, TAG_B);
    assert_ptr_equal(P, F2);
    assert_int_equal(ReadHeader(S2).PreviousSize, 1);   /* F2's 1-unit leftover */
    /* 50 bytes (8 units): F2's leftover is too small, F1 is split from its front... */
    assert_ptr_equal(Alloc(NonPagedPool, 50, TAG_B), F1);
    assert_int_equal(ReadHeader(F1).BlockSize, 8);
    /* ...and the 18 units left of F1 serve the next 100 bytes (14 units). */
    assert_ptr_equal(Alloc(NonPagedPool, 100, TAG_B), F1 + 64);
    assert_int_equal(ReadHeader(S1).PreviousSize, 4);
    assert_int_equal(Provider.AllocateCalls, Calls);

    ExFreePool(F1 + 64);
    ExFreePool(F1);
    ExFreePool(P);
    ExFreePool(S0);
    ExFreePool(S1);
    assert_int_equal(PoolUsage().Pool[NonPagedPool].TotalPages, 1);
    ExFreePool(S2);
    AssertPoolIdle();
}

/* Frees four blocks filling one page in the given order; the page goes back at the last. */
static VOID FreeQuarterPagesInOrder(const ULONG Order[4])
{
    PUCHAR Blocks[4];
    ULONG Index, FreeCalls, Pages = Provider.PagesOutstanding;

    /* 1016 bytes + header = 128 units: four fill the page exactly. */
    for (Index = 0; Index < 4; Index++) {
        Blocks[Index] = Alloc(NonPagedPool, 1016, TAG_C);
        Fill(Blocks[Index], 1016, Index);
    }
    for (Index = 1; Index < 4; Index++)
        assert_ptr_equal(Blocks[Index], Blocks[0] + Index * 1024);
    assert_int_equal(Provider.PagesOutstanding, Pages + 1);
    FreeCalls = Provider.FreeCalls;

    for (Index = 0; Index < 4; Index++) {
        assert_true(Intact(Blocks[Order[Index]], 1016, Order[Index]));
        ExFreePool(Blocks[Order[Index]]);
        if (Index < 3) {
            assert_int_equal(Provider.PagesOutstanding, Pages + 1);
            assert_int_equal(Provider.FreeCalls, FreeCalls);
        }
    }
    assert_int_equal(Provider.PagesOutstanding, Pages);
    assert_int_equal(Provider.FreeCalls, FreeCalls + 1);
}

static void test_page_goes_back_exactly_when_all_blocks_are_freed(void **state)
{
    ULONG Order[4] = { 0, 1, 2, 3 }, Count = 0, I, J;

    (void)state;
    /* Every order of freeing: merging with the previous block, the next, both, none. */
    for (;;) {
        FreeQuarterPagesInOrder(Order);
        Count++;
        /* next permutation */
        for (I = 3; I > 0 && Order[I - 1] > Order[I]; I--)
            ;
        if (I == 0)
            break;
        for (J = 3; Order[J] < Order[I - 1]; J--)
            ;
        ULONG Swap = Order[I - 1]; Order[I - 1] = Order[J]; Order[J] = Swap;
        for (J = 3; I < J; I++, J--) {
            Swap = Order[I]; Order[I] = Order[J]; Order[J] = Swap;
        }
    }
    assert_int_equal(Count, 24);
    AssertPoolIdle();
}

static void test_largest_small_block_and_its_one_unit_tail(void **state)
{
    PUCHAR P, Q;
    ULONG Pages = Provider.PagesOutstanding;

    (void)state;
    /* 511 units: the page keeps a 1-unit free header at its end, on no list. */
    P = Alloc(NonPagedPool, SMALL_MAX, TAG_A);
    assert_int_equal(ReadHeader(P).BlockSize, 511);
    Q = Alloc(NonPagedPool, 0, TAG_A);
    assert_ptr_not_equal(PAGE_ALIGN(Q), PAGE_ALIGN(P));
    assert_int_equal(Provider.PagesOutstanding, Pages + 2);
    ExFreePool(P);
    /* Merged with its tail, the block is the whole page: it went back. */
    assert_int_equal(Provider.PagesOutstanding, Pages + 1);
    ExFreePool(Q);
    AssertPoolIdle();
}

static void test_coalesced_space_is_reused(void **state)
{
    PUCHAR A, B, C, D, P;
    ULONG Calls;

    (void)state;
    /* Four 1000-byte blocks (126 units) fill all but 8 units of a page. */
    A = Alloc(NonPagedPool, 1000, TAG_A);
    B = Alloc(NonPagedPool, 1000, TAG_A);
    C = Alloc(NonPagedPool, 1000, TAG_A);
    D = Alloc(NonPagedPool, 1000, TAG_A);
    assert_ptr_equal(D, A + 3 * 1008);
    Calls = Provider.AllocateCalls;

    /* B then A: A merges with the free block after it. 2000 bytes fit only there. */
    ExFreePool(B);
    ExFreePool(A);
    P = Alloc(NonPagedPool, 2000, TAG_A);
    assert_ptr_equal(P, A);
    assert_int_equal(Provider.AllocateCalls, Calls);
    ExFreePool(P);

    /* C then B's place again: C merges with the free block before it (A+B). */
    ExFreePool(C);
    P = Alloc(NonPagedPool, 3000, TAG_A);
    assert_ptr_equal(P, A);
    assert_int_equal(Provider.AllocateCalls, Calls);
    assert_int_equal(ReadHeader(D).PreviousSize, 3 * 126 - BlockUnits(3000));   /* leftover */
    ExFreePool(P);
    ExFreePool(D);
    AssertPoolIdle();
}

/* ---- a random workload against a model ---- */

static ULONG RandomState;

static ULONG Random(VOID)
{
    RandomState ^= RandomState << 13;
    RandomState ^= RandomState >> 17;
    RandomState ^= RandomState << 5;
    return RandomState;
}

typedef struct _LIVE_BLOCK {
    PVOID P;
    SIZE_T Size;
    POOL_TYPE PoolType;
    ULONG Tag;
    ULONG Seed;
} LIVE_BLOCK;

#define MODEL_TAGS 6
#define MODEL_MAX_LIVE 700

typedef struct _MODEL {
    LIVE_BLOCK Live[MODEL_MAX_LIVE];
    ULONG LiveCount;
    EX_POOL_TAG_USAGE Start[MODEL_TAGS];
    ULONG Allocs[MODEL_TAGS][EX_BASE_POOL_TYPES];
    ULONG Frees[MODEL_TAGS][EX_BASE_POOL_TYPES];
    SIZE_T Bytes[MODEL_TAGS][EX_BASE_POOL_TYPES];
    ULONG Blocks[EX_BASE_POOL_TYPES];
    SIZE_T PoolBytes[EX_BASE_POOL_TYPES];
} MODEL;

static ULONG ModelTag(ULONG Index)
{
    return EX_POOL_TAG('R', 'n', 'd', '0' + Index);
}

static SIZE_T RandomSize(VOID)
{
    ULONG Kind = Random() % 100;

    if (Kind < 60)
        return Random() % 129;
    if (Kind < 85)
        return 129 + Random() % (1024 - 129);
    if (Kind < 95)
        return 1024 + Random() % (SMALL_MAX + 1 - 1024);
    return SMALL_MAX + 1 + Random() % 20000;
}

static VOID ModelCheck(const MODEL *Model)
{
    EX_POOL_USAGE Usage = PoolUsage();
    ULONG Tag, Pool, Index;

    for (Tag = 0; Tag < MODEL_TAGS; Tag++) {
        EX_POOL_TAG_USAGE Now = TagUsage(ModelTag(Tag));

        assert_int_equal(Now.NonPagedAllocs, Model->Start[Tag].NonPagedAllocs + Model->Allocs[Tag][0]);
        assert_int_equal(Now.NonPagedFrees, Model->Start[Tag].NonPagedFrees + Model->Frees[Tag][0]);
        assert_int_equal(Now.NonPagedBytes, Model->Bytes[Tag][0]);
        assert_int_equal(Now.PagedAllocs, Model->Start[Tag].PagedAllocs + Model->Allocs[Tag][1]);
        assert_int_equal(Now.PagedFrees, Model->Start[Tag].PagedFrees + Model->Frees[Tag][1]);
        assert_int_equal(Now.PagedBytes, Model->Bytes[Tag][1]);
    }
    for (Pool = 0; Pool < EX_BASE_POOL_TYPES; Pool++) {
        assert_int_equal(Usage.Pool[Pool].BlocksInUse, Model->Blocks[Pool]);
        assert_int_equal(Usage.Pool[Pool].BytesInUse, Model->PoolBytes[Pool]);
    }
    assert_int_equal(Usage.TotalPagesHeld, Provider.PagesOutstanding);
    for (Index = 0; Index < Model->LiveCount; Index++) {
        const LIVE_BLOCK *Block = &Model->Live[Index];
        assert_true(Intact(Block->P, Block->Size, Block->Seed));
    }
}

static VOID ModelAllocate(MODEL *Model, ULONG Step)
{
    static const POOL_TYPE Types[] = {
        NonPagedPool, PagedPool, NonPagedPoolCacheAligned, PagedPoolCacheAligned,
        NonPagedPoolMustSucceed,
    };
    LIVE_BLOCK *Block = &Model->Live[Model->LiveCount];
    ULONG TagIndex = Random() % MODEL_TAGS;
    POOL_TYPE Base;
    SIZE_T Charged;

    Block->Size = RandomSize();
    Block->PoolType = Types[Random() % RTL_NUMBER_OF(Types)];
    Block->Tag = ModelTag(TagIndex);
    Block->Seed = Step;
    Block->P = Alloc(Block->PoolType, Block->Size, Block->Tag);
    assert_non_null(Block->P);
    if (!IsSmallRequest(Block->PoolType, Block->Size))
        assert_true(IsAligned(Block->P, PAGE_SIZE));
    else if (Block->PoolType & CACHE_ALIGNED_POOL_TYPE_MASK)
        assert_true(IsAligned(Block->P, POOL_CACHE_ALIGNMENT));
    else
        assert_true(IsAligned(Block->P, 8));
    Fill(Block->P, Block->Size, Block->Seed);

    Base = Block->PoolType & BASE_POOL_TYPE_MASK;
    Charged = ChargedBytes(Block->PoolType, Block->Size);
    Model->Allocs[TagIndex][Base]++;
    Model->Bytes[TagIndex][Base] += Charged;
    Model->Blocks[Base]++;
    Model->PoolBytes[Base] += Charged;
    Model->LiveCount++;
}

static VOID ModelFree(MODEL *Model, ULONG Index)
{
    LIVE_BLOCK Block = Model->Live[Index];
    ULONG TagIndex = (Block.Tag >> 24) - '0';
    POOL_TYPE Base = Block.PoolType & BASE_POOL_TYPE_MASK;
    SIZE_T Charged = ChargedBytes(Block.PoolType, Block.Size);

    assert_true(Intact(Block.P, Block.Size, Block.Seed));
    if (Random() & 1)
        ExFreePoolWithTag(Block.P, Block.Tag);
    else
        ExFreePool(Block.P);
    Model->Frees[TagIndex][Base]++;
    Model->Bytes[TagIndex][Base] -= Charged;
    Model->Blocks[Base]--;
    Model->PoolBytes[Base] -= Charged;
    Model->Live[Index] = Model->Live[--Model->LiveCount];
}

static void test_random_workload_against_a_model(void **state)
{
    static MODEL Model;
    ULONG Step, Tag;

    (void)state;
    memset(&Model, 0, sizeof(Model));
    RandomState = 0x2545F491;
    for (Tag = 0; Tag < MODEL_TAGS; Tag++)
        Model.Start[Tag] = TagUsage(ModelTag(Tag));

    for (Step = 0; Step < 40000; Step++) {
        /* Phases that grow and shrink the live set, so pages come and go. */
        ULONG AllocatePercent = (Step / 5000) % 2 ? 35 : 65;

        if (Model.LiveCount == 0 ||
            (Model.LiveCount < MODEL_MAX_LIVE && Random() % 100 < AllocatePercent))
            ModelAllocate(&Model, Step);
        else
            ModelFree(&Model, Random() % Model.LiveCount);
        if (Step % 1000 == 0)
            ModelCheck(&Model);
    }
    ModelCheck(&Model);
    while (Model.LiveCount != 0)
        ModelFree(&Model, Random() % Model.LiveCount);
    ModelCheck(&Model);
    AssertPoolIdle();
}

/* ---- out of memory ---- */

static void test_no_page_means_NULL_and_nothing_changes(void **state)
{
    EX_POOL_USAGE Before = PoolUsage(), After;
    EX_POOL_TAG_USAGE TagBefore = TagUsage(TAG_A), TagAfter;
    ULONG Calls = Provider.AllocateCalls;

    (void)state;
    Provider.PageLimit = Provider.PagesOutstanding;
    assert_null(Alloc(NonPagedPool, 100, TAG_A));
    assert_null(Alloc(PagedPool, 0, TAG_A));
    assert_null(Alloc(NonPagedPoolCacheAligned, 100, TAG_A));
    assert_null(Alloc(NonPagedPool, 100000, TAG_A));
    assert_int_equal(Provider.AllocateCalls, Calls + 4);   /* it did ask */
    ProviderReset();

    After = PoolUsage();
    TagAfter = TagUsage(TAG_A);
    assert_int_equal(After.Pool[NonPagedPool].RunningAllocs, Before.Pool[NonPagedPool].RunningAllocs);
    assert_int_equal(After.Pool[PagedPool].RunningAllocs, Before.Pool[PagedPool].RunningAllocs);
    assert_int_equal(TagAfter.NonPagedAllocs, TagBefore.NonPagedAllocs);
    assert_int_equal(TagAfter.PagedAllocs, TagBefore.PagedAllocs);
    AssertPoolIdle();
}

static void test_exhaustion_then_everything_comes_back(void **state)
{
    static PVOID Blocks[200];
    ULONG Count = 0, Index, Pages = Provider.PagesOutstanding;
    PVOID Big[4], Small;

    (void)state;
    /* 20 pages, four 1000-byte blocks each. */
    Provider.PageLimit = Pages + 20;
    while ((Blocks[Count] = Alloc(NonPagedPool, 1000, TAG_B)) != NULL) {
        Fill(Blocks[Count], 1000, Count);
        Count++;
        assert_true(Count < RTL_NUMBER_OF(Blocks));
    }
    assert_int_equal(Count, 80);
    assert_null(Alloc(PagedPool, 8, TAG_B));
    assert_null(Alloc(NonPagedPool, 8000, TAG_B));
    /* What is free in the held pages still serves: 8 units are left in each page. */
    Small = Alloc(NonPagedPool, 56, TAG_B);
    assert_non_null(Small);
    ExFreePool(Small);
    for (Index = 0; Index < Count; Index++) {
        assert_true(Intact(Blocks[Index], 1000, Index));
        ExFreePool(Blocks[Index]);
    }
    assert_int_equal(Provider.PagesOutstanding, Pages);

    /* Three 3-page allocations fit in 10 pages, a fourth does not; a 1-page block does. */
    Provider.PageLimit = Pages + 10;
    for (Index = 0; Index < 3; Index++)
        assert_non_null(Big[Index] = Alloc(PagedPool, 3 * PAGE_SIZE, TAG_B));
    assert_null(Alloc(PagedPool, 3 * PAGE_SIZE, TAG_B));
    assert_non_null(Big[3] = Alloc(PagedPool, 4000, TAG_B));
    assert_null(Alloc(PagedPool, 4000, TAG_B));
    ProviderReset();
    for (Index = 0; Index < 4; Index++)
        ExFreePool(Big[Index]);
    AssertPoolIdle();
}

static void test_page_table_that_cannot_grow(void **state)
{
    static PVOID Blocks[300];
    ULONG Count = 0, Index, Pages, FreeCalls;
    EX_POOL_TAG_USAGE TagBefore;

    (void)state;
    /* Single pages only: the table (256 static slots) cannot grow past them. */
    Provider.MaxPagesPerCall = 1;
    while ((Blocks[Count] = Alloc(NonPagedPool, PAGE_SIZE, TAG_C)) != NULL) {
        Count++;
        assert_true(Count < RTL_NUMBER_OF(Blocks));
    }
    /* Well past the half-full point where it tries to grow: all slots but one serve. */
    assert_int_equal(Count, 255);
    assert_int_equal(PoolUsage().BigPageTablePages, 0);

    /* The refused allocation gave its page back and counted nothing. */
    Pages = Provider.PagesOutstanding;
    FreeCalls = Provider.FreeCalls;
    TagBefore = TagUsage(TAG_C);
    assert_null(Alloc(NonPagedPool, 10, TAG_C));
    assert_int_equal(Provider.PagesOutstanding, Pages);
    assert_int_equal(Provider.FreeCalls, FreeCalls + 1);
    assert_int_equal(TagUsage(TAG_C).NonPagedAllocs, TagBefore.NonPagedAllocs);
    AssertProviderMatches();

    /* Once pages are there again, the table grows and the allocation succeeds. */
    ProviderReset();
    Blocks[Count] = Alloc(NonPagedPool, PAGE_SIZE, TAG_C);
    assert_non_null(Blocks[Count]);
    Count++;
    assert_true(PoolUsage().BigPageTablePages > 0);
    AssertProviderMatches();
    for (Index = 0; Index < Count; Index++)
        ExFreePool(Blocks[Index]);
    AssertPoolIdle();
}

static void test_page_table_grows_and_shrinks_back(void **state)
{
    static PVOID Blocks[600];
    ULONG Index;

    (void)state;
    for (Index = 0; Index < RTL_NUMBER_OF(Blocks); Index++) {
        Blocks[Index] = Alloc(NonPagedPool, PAGE_SIZE, TAG_A);
        assert_non_null(Blocks[Index]);
    }
    assert_true(PoolUsage().BigPageTablePages > 0);
    AssertProviderMatches();

    /* It keeps its size until the entries would fill a quarter of the static table. */
    for (Index = RTL_NUMBER_OF(Blocks); Index > 65; Index--)
        ExFreePool(Blocks[Index - 1]);
    assert_true(PoolUsage().BigPageTablePages > 0);
    ExFreePool(Blocks[64]);
    assert_int_equal(PoolUsage().BigPageTablePages, 0);
    AssertProviderMatches();

    /* All entries survived both moves. */
    for (Index = 0; Index < 64; Index++)
        ExFreePool(Blocks[Index]);
    AssertPoolIdle();
}

static void test_tag_table_grows_and_never_drops_a_tag(void **state)
{
    ULONG Count = 0, Index, TablePages, Failed;
    EX_POOL_TAG_USAGE Usage;
    PVOID P;

    (void)state;
    /* A page of small blocks stays held, so new tags need no data page. */
    P = Alloc(NonPagedPool, 8, TAG_A);

    /* No multi-page run: the tag table cannot grow, and fills up to its last slot. */
    Provider.MaxPagesPerCall = 1;
    for (;;) {
        ULONG Tag = EX_POOL_TAG('g', Count % 64 + '0', Count / 64 % 64 + '0', Count / 4096 + 'a');
        PVOID Q = Alloc(NonPagedPool, 16, Tag);

        if (Q == NULL) {
            Failed = Tag;
            break;
        }
        ExFreePoolWithTag(Q, Tag);
        Count++;
        assert_true(Count < 100000);
    }
    assert_true(Count > 0);
    /* The tag that did not fit is nowhere, and its allocation failed: nothing is hidden. */
    assert_int_equal(ExQueryPoolTagUsage(Failed, &Usage), STATUS_NOT_FOUND);
    ProviderReset();

    /* With pages, the table grows; every tag so far is still there, and new ones fit. */
    TablePages = PoolUsage().TagTablePages;
    for (Index = 0; Index < Count + 3000; Index++) {
        ULONG Tag = EX_POOL_TAG('g', Index % 64 + '0', Index / 64 % 64 + '0', Index / 4096 + 'a');
        PVOID Q;

        if (Index >= Count) {
            Q = Alloc(NonPagedPool, 16, Tag);
            assert_non_null(Q);
            ExFreePool(Q);
        }
        assert_int_equal(ExQueryPoolTagUsage(Tag, &Usage), STATUS_SUCCESS);
        assert_int_equal(Usage.NonPagedAllocs, 1);
        assert_int_equal(Usage.NonPagedFrees, 1);
        assert_int_equal(Usage.NonPagedBytes, 0);
    }
    assert_true(PoolUsage().TagTablePages > TablePages);
    ExFreePool(P);
    AssertPoolIdle();
}

static void test_huge_requests_fail_cleanly(void **state)
{
    (void)state;
    assert_null(Alloc(NonPagedPool, 0xFFFFFFFF, TAG_A));
    assert_null(Alloc(PagedPool, 0x80000000, TAG_A));
    assert_null(Alloc(NonPagedPoolCacheAligned, 0xFFFFF001, TAG_A));
    assert_null(Alloc(NonPagedPool, (PROVIDER_DEFAULT_LIMIT + 1) * PAGE_SIZE, TAG_A));
    AssertPoolIdle();
}

/* ---- must succeed ---- */

static void test_must_succeed_bugchecks_when_no_page_is_left(void **state)
{
    PVOID Small, Big, P;

    (void)state;
    Provider.PageLimit = Provider.PagesOutstanding;
    ExpectAllocateBugCheck(NonPagedPoolMustSucceed, 100, TAG_A, MUST_SUCCEED_POOL_EMPTY, 100);
    assert_int_equal(BugCheckParameter[1], 0);
    ExpectAllocateBugCheck(NonPagedPoolCacheAlignedMustS, 8000, TAG_A,
                           MUST_SUCCEED_POOL_EMPTY, 8000);
    ExpectAllocateBugCheck(NonPagedPoolMustSucceed, 0xFFFFFFFF, TAG_A,
                           MUST_SUCCEED_POOL_EMPTY, 0xFFFFFFFF);
    ProviderReset();

    /* Held pages are reported; free space in them still serves must-succeed requests. */
    Small = Alloc(NonPagedPool, 100, TAG_A);
    Big = Alloc(NonPagedPool, 3 * PAGE_SIZE, TAG_A);
    Provider.PageLimit = Provider.PagesOutstanding;
    P = Alloc(NonPagedPoolMustSucceed, 100, TAG_A);
    assert_non_null(P);
    ExpectAllocateBugCheck(NonPagedPoolMustSucceed, 5000, TAG_A, MUST_SUCCEED_POOL_EMPTY, 5000);
    assert_int_equal(BugCheckParameter[1], 4);      /* 1 page of blocks + 3 big */
    assert_int_equal(BugCheckParameter[2], 1);      /* one allocation above a page */
    assert_int_equal(BugCheckParameter[3], 0);
    ExpectMessageMentions("5000");
    ProviderReset();

    ExFreePool(P);
    ExFreePool(Big);
    ExFreePool(Small);
    AssertPoolIdle();
}

/* ---- misuse and corruption ---- */

static void test_double_free(void **state)
{
    PUCHAR A, B, C, D, Big;

    (void)state;
    /* The block's own header says free. */
    A = Alloc(NonPagedPool, 100, TAG_A);
    B = Alloc(NonPagedPool, 100, TAG_A);
    ExFreePool(A);
    ExpectFreeBugCheck(A, 0, BAD_POOL_CALLER, CALLER_ALREADY_FREED);
    assert_int_equal(BugCheckParameter[1], 0);
    assert_int_equal(BugCheckParameter[3], (ULONG_PTR)A);
    ExpectFreeBugCheck(A, TAG_A, BAD_POOL_CALLER, CALLER_ALREADY_FREED);
    ExFreePool(B);
    AssertPoolIdle();

    /* Freed, then merged into the free block before it: still seen. */
    A = Alloc(NonPagedPool, 100, TAG_A);
    B = Alloc(NonPagedPool, 100, TAG_A);
    C = Alloc(NonPagedPool, 100, TAG_A);
    D = Alloc(NonPagedPool, 100, TAG_A);
    ExFreePool(B);
    ExFreePool(C);
    ExpectFreeBugCheck(C, 0, BAD_POOL_CALLER, CALLER_ALREADY_FREED);
    ExpectMessageMentions("merged");
    /* ...and merged into the free block after it. */
    ExFreePool(A);
    ExpectFreeBugCheck(B, 0, BAD_POOL_CALLER, CALLER_ALREADY_FREED);
    ExFreePool(D);
    AssertPoolIdle();

    /* Its page went back meanwhile: no longer the pool's at all (and never read). */
    A = Alloc(NonPagedPool, 100, TAG_A);
    ExFreePool(A);
    ExpectFreeBugCheck(A, 0, BAD_POOL_CALLER, CALLER_NOT_IN_ANY_POOL);
    assert_int_equal(BugCheckParameter[1], (ULONG_PTR)A);

    /* A large allocation freed twice. */
    Big = Alloc(PagedPool, 20000, TAG_A);
    ExFreePool(Big);
    ExpectFreeBugCheck(Big, 0, BAD_POOL_CALLER, CALLER_NOT_IN_ANY_POOL);
    AssertPoolIdle();
}

static void test_wrong_tag(void **state)
{
    PUCHAR Small, Big, Protected;
    ULONG Secret = EX_POOL_TAG('S', 'e', 'c', 'r');

    (void)state;
    Small = Alloc(NonPagedPool, 100, TAG_A);
    ExpectFreeBugCheck(Small, TAG_B, BAD_POOL_CALLER, CALLER_WRONG_TAG);
    assert_int_equal(BugCheckParameter[1], (ULONG_PTR)Small);
    assert_int_equal(BugCheckParameter[2], TAG_A);
    assert_int_equal(BugCheckParameter[3], TAG_B);
    ExpectMessageMentions("TstA");
    ExpectMessageMentions("TstB");
    assert_int_equal(TagUsage(TAG_A).NonPagedBytes, 112);    /* nothing was freed */

    Big = Alloc(PagedPool, 30000, TAG_A);
    ExpectFreeBugCheck(Big, TAG_C, BAD_POOL_CALLER, CALLER_WRONG_TAG);
    assert_int_equal(BugCheckParameter[2], TAG_A);
    assert_int_equal(BugCheckParameter[3], TAG_C);

    /* A protected tag must be given, in full, to free the block. */
    Protected = Alloc(NonPagedPool, 10, Secret | PROTECTED_POOL);
    ExpectFreeBugCheck(Protected, 0, BAD_POOL_CALLER, CALLER_WRONG_TAG);
    assert_int_equal(BugCheckParameter[2], Secret | PROTECTED_POOL);
    assert_int_equal(BugCheckParameter[3], 0);
    ExpectFreeBugCheck(Protected, Secret, BAD_POOL_CALLER, CALLER_WRONG_TAG);

    ExFreePoolWithTag(Protected, Secret | PROTECTED_POOL);
    ExFreePoolWithTag(Big, TAG_A);
    ExFreePoolWithTag(Small, TAG_A);
    AssertPoolIdle();
}

static void test_overrun_into_the_next_header(void **state)
{
    PUCHAR A, B, C;
    UCHAR Saved[8];

    (void)state;
    A = Alloc(NonPagedPool, 100, TAG_A);
    B = Alloc(NonPagedPool, 100, TAG_B);
    C = Alloc(NonPagedPool, 100, TAG_C);
    assert_ptr_equal(B, A + 112);
    memcpy(Saved, B - 8, 8);

    /* A writes 8 bytes past its 104 usable ones: over B's header. */
    memset(A, 'x', 112);
    ExpectFreeBugCheck(A, 0, BAD_POOL_HEADER, HEADER_NEIGHBOURS_DISAGREE);
    assert_int_equal(BugCheckParameter[1], (ULONG_PTR)(B - 8));
    assert_int_equal(BugCheckParameter[3], (ULONG_PTR)(A - 8));
    ExpectMessageMentions("TstA");
    ExpectFreeBugCheck(B, 0, BAD_POOL_HEADER, HEADER_NEIGHBOURS_DISAGREE);
    ExpectFreeBugCheck(C, 0, BAD_POOL_HEADER, HEADER_NEIGHBOURS_DISAGREE);

    /* A zeroed header: BlockSize 0. */
    memset(B - 8, 0, 8);
    ExpectFreeBugCheck(B, 0, BAD_POOL_HEADER, HEADER_BAD_BLOCK_SIZE);
    assert_int_equal(BugCheckParameter[1], (ULONG_PTR)(B - 8));
    ExpectFreeBugCheck(A, 0, BAD_POOL_HEADER, HEADER_BAD_BLOCK_SIZE);

    /* A BlockSize that runs past the end of the page. */
    memcpy(B - 8, Saved, 8);
    ((PUSHORT)(B - 8))[1] = (USHORT)((((PUSHORT)(B - 8))[1] & ~0x1FF) | 511);
    ExpectFreeBugCheck(B, 0, BAD_POOL_HEADER, HEADER_BAD_BLOCK_SIZE);
    ExpectMessageMentions("past the end");

    /* A PoolType no block has. */
    memcpy(B - 8, Saved, 8);
    ((PUSHORT)(B - 8))[1] = (USHORT)((((PUSHORT)(B - 8))[1] & 0x1FF) | (5 << 9));
    ExpectFreeBugCheck(B, 0, BAD_POOL_HEADER, HEADER_BAD_FIELD);

    /* A paged type in a non-paged page. */
    memcpy(B - 8, Saved, 8);
    ((PUSHORT)(B - 8))[1] = (USHORT)((((PUSHORT)(B - 8))[1] & 0x1FF) | ((PagedPool + 1) << 9));
    ExpectFreeBugCheck(B, 0, BAD_POOL_HEADER, HEADER_BAD_FIELD);

    /* The first block of the page with a PreviousSize: seen by a free of any block after it. */
    memcpy(B - 8, Saved, 8);
    ((PUSHORT)(A - 8))[0] |= 3;
    ExpectFreeBugCheck(C, 0, BAD_POOL_HEADER, HEADER_BAD_FIELD);
    assert_int_equal(BugCheckParameter[1], (ULONG_PTR)(A - 8));
    ((PUSHORT)(A - 8))[0] &= (USHORT)~0x1FF;

    /* A tag overwritten with one no allocation ever used. */
    memcpy(B - 4, "Zzz!", 4);
    ExpectFreeBugCheck(B, 0, BAD_POOL_HEADER, HEADER_BAD_FIELD);
    ExpectFreeBugCheck(B, TAG_B, BAD_POOL_CALLER, CALLER_WRONG_TAG);

    /* Repaired, everything frees normally: the failed frees changed nothing. */
    memcpy(B - 8, Saved, 8);
    ExFreePoolWithTag(A, TAG_A);
    ExFreePoolWithTag(C, TAG_C);
    ExFreePoolWithTag(B, TAG_B);
    AssertPoolIdle();
}

static void test_free_list_corruption(void **state)
{
    static LIST_ENTRY Elsewhere = { &Elsewhere, &Elsewhere };
    PUCHAR A, B, C;
    PLIST_ENTRY Links;
    LIST_ENTRY Saved;
    UCHAR SavedHeader[8];

    (void)state;
    A = Alloc(NonPagedPool, 100, TAG_A);
    B = Alloc(NonPagedPool, 100, TAG_A);
    C = Alloc(NonPagedPool, 100, TAG_A);
    ExFreePool(B);

    /* Written after its free: the links in B's body no longer lead back to it. */
    Links = (PLIST_ENTRY)B;
    Saved = *Links;
    Links->Flink = &Elsewhere;
    ExpectFreeBugCheck(A, 0, BAD_POOL_HEADER, HEADER_FREE_LIST_CORRUPT);   /* merging */
    assert_int_equal(BugCheckParameter[1], (ULONG_PTR)B);
    assert_int_equal(BugCheckParameter[2], (ULONG_PTR)&Elsewhere);
    assert_int_equal(BugCheckParameter[3], (ULONG_PTR)B);
    ExpectFreeBugCheck(C, 0, BAD_POOL_HEADER, HEADER_FREE_LIST_CORRUPT);
    ExpectAllocateBugCheck(NonPagedPool, 100, TAG_A, BAD_POOL_HEADER, HEADER_FREE_LIST_CORRUPT);
    *Links = Saved;

    /* A block on the list of 14-unit blocks whose header now says 13 units. */
    memcpy(SavedHeader, B - 8, 8);
    ((PUSHORT)(B - 8))[1] = (USHORT)((((PUSHORT)(B - 8))[1] & ~0x1FF) | 13);
    ExpectAllocateBugCheck(NonPagedPool, 100, TAG_A, BAD_POOL_HEADER, HEADER_FREE_LIST_CORRUPT);
    memcpy(B - 8, SavedHeader, 8);

    /* Repaired: B is found and reused, and everything frees. */
    assert_ptr_equal(Alloc(NonPagedPool, 100, TAG_A), B);
    ExFreePool(A);
    ExFreePool(B);
    ExFreePool(C);
    AssertPoolIdle();
}

static void test_free_of_pointers_that_are_not_pool_blocks(void **state)
{
    static UCHAR __attribute__((aligned(PAGE_SIZE))) StaticPage[PAGE_SIZE];
    ULONGLONG OnTheStack[4] = { 0 };
    PUCHAR Heap, Small, Big;

    (void)state;
    ExpectFreeBugCheck(NULL, 0, BAD_POOL_CALLER, CALLER_INVALID_ADDRESS);
    assert_int_equal(BugCheckParameter[1], 0);
    ExpectFreeBugCheck(OnTheStack, 0, BAD_POOL_CALLER, CALLER_NOT_IN_ANY_POOL);
    assert_int_equal(BugCheckParameter[1], (ULONG_PTR)OnTheStack);
    ExpectFreeBugCheck(StaticPage, 0, BAD_POOL_CALLER, CALLER_NOT_IN_ANY_POOL);
    ExpectFreeBugCheck(StaticPage + 8, 0, BAD_POOL_CALLER, CALLER_NOT_IN_ANY_POOL);
    Heap = malloc(64);
    ExpectFreeBugCheck(Heap + 8, 0, BAD_POOL_CALLER, CALLER_NOT_IN_ANY_POOL);
    free(Heap);

    Small = Alloc(NonPagedPool, 100, TAG_A);
    Big = Alloc(NonPagedPool, 3 * PAGE_SIZE, TAG_A);
    ExpectFreeBugCheck(Small + 1, 0, BAD_POOL_CALLER, CALLER_INVALID_ADDRESS);
    ExpectFreeBugCheck(Small + 8, 0, BAD_POOL_CALLER, CALLER_INVALID_ADDRESS);
    ExpectMessageMentions("inside the block");
    ExpectFreeBugCheck(Small + 512, 0, BAD_POOL_CALLER, CALLER_ALREADY_FREED);  /* free space */
    ExpectFreeBugCheck(PAGE_ALIGN(Small), 0, BAD_POOL_CALLER, CALLER_INVALID_ADDRESS);
    ExpectFreeBugCheck(Big + 16, 0, BAD_POOL_CALLER, CALLER_INVALID_ADDRESS);
    ExpectFreeBugCheck(Big + PAGE_SIZE, 0, BAD_POOL_CALLER, CALLER_NOT_IN_ANY_POOL);
    assert_true(OnTheStack[0] == 0 && OnTheStack[3] == 0);     /* never written */

    ExFreePool(Big);
    ExFreePool(Small);
    AssertPoolIdle();
}

/* ---- the end ---- */

static void test_everything_is_back_at_its_baseline(void **state)
{
    EX_POOL_USAGE Usage = PoolUsage();
    ULONG Index;

    (void)state;
    AssertPoolIdle();
    assert_int_equal(Provider.PagesOutstanding, Usage.TagTablePages);
    assert_int_equal(Provider.RunCount, Usage.TagTablePages != 0 ? 1 : 0);
    for (Index = 0; Index < TagsSeenCount; Index++) {
        EX_POOL_TAG_USAGE Tag = TagUsage(TagsSeen[Index]);

        assert_int_equal(Tag.NonPagedBytes, 0);
        assert_int_equal(Tag.PagedBytes, 0);
        assert_int_equal(Tag.NonPagedAllocs, Tag.NonPagedFrees);
        assert_int_equal(Tag.PagedAllocs, Tag.PagedFrees);
    }
}

/*
 * After each test, whatever it did to the harness is undone, so a failing test
 * does not leave the provider refusing pages for the next one.
 */
static int ResetHarness(void **state)
{
    (void)state;
    ProviderReset();
    BugCheckArmed = FALSE;
    return 0;
}

#define POOL_TEST(Function) cmocka_unit_test_teardown(Function, ResetHarness)

int main(void)
{
    const struct CMUnitTest Tests[] = {
        POOL_TEST(test_every_small_size_alone),
        POOL_TEST(test_every_size_held_together),
        POOL_TEST(test_zero_bytes_gives_a_minimal_block),
        POOL_TEST(test_large_allocations_are_whole_pages),
        POOL_TEST(test_cache_aligned_types),
        POOL_TEST(test_untagged_allocations_are_tagged_None),
        POOL_TEST(test_tag_accounting_up_and_down),
        POOL_TEST(test_protected_tags_count_under_the_plain_tag),
        POOL_TEST(test_pool_types_are_counted_by_base_pool),
        POOL_TEST(test_paged_pages_are_asked_for_as_paged),
        POOL_TEST(test_unknown_pool_types_are_refused),
        POOL_TEST(test_freed_block_is_reused),
        POOL_TEST(test_smallest_fit_and_split_from_the_front),
        POOL_TEST(test_page_goes_back_exactly_when_all_blocks_are_freed),
        POOL_TEST(test_largest_small_block_and_its_one_unit_tail),
        POOL_TEST(test_coalesced_space_is_reused),
        POOL_TEST(test_random_workload_against_a_model),
        POOL_TEST(test_no_page_means_NULL_and_nothing_changes),
        POOL_TEST(test_exhaustion_then_everything_comes_back),
        POOL_TEST(test_page_table_that_cannot_grow),
        POOL_TEST(test_page_table_grows_and_shrinks_back),
        POOL_TEST(test_tag_table_grows_and_never_drops_a_tag),
        POOL_TEST(test_huge_requests_fail_cleanly),
        POOL_TEST(test_must_succeed_bugchecks_when_no_page_is_left),
        POOL_TEST(test_double_free),
        POOL_TEST(test_wrong_tag),
        POOL_TEST(test_overrun_into_the_next_header),
        POOL_TEST(test_free_list_corruption),
        POOL_TEST(test_free_of_pointers_that_are_not_pool_blocks),
        POOL_TEST(test_everything_is_back_at_its_baseline),
    };

    ProviderReset();
    return cmocka_run_group_tests(Tests, NULL, NULL);
}

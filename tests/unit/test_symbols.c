/*
 * test_symbols.c - the symbol lookup and the frame walker behind bugcheck backtraces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <kd.h>

static const KD_SYMBOL TestSymbols[] = {
    { 0x80100000, 0 },   /* KiSystemStartup */
    { 0x80100100, 16 },  /* KiTrapCommon */
    { 0x80100180, 29 },  /* KeBugCheckEx */
};
static const CHAR TestNames[] = "KiSystemStartup\0KiTrapCommon\0KeBugCheckEx";
static const KD_SYMBOL_TABLE TestTable = { TestSymbols, 3, TestNames, 0x80100200 };

static void lookup_finds_containing_function(void **state)
{
    ULONG Offset = 0xFFFF;
    (void)state;
    assert_string_equal(KdpLookupSymbolInTable(&TestTable, 0x80100000, &Offset), "KiSystemStartup");
    assert_int_equal(Offset, 0);
    assert_string_equal(KdpLookupSymbolInTable(&TestTable, 0x801000FF, &Offset), "KiSystemStartup");
    assert_int_equal(Offset, 0xFF);
    assert_string_equal(KdpLookupSymbolInTable(&TestTable, 0x80100100, &Offset), "KiTrapCommon");
    assert_int_equal(Offset, 0);
    assert_string_equal(KdpLookupSymbolInTable(&TestTable, 0x80100181, &Offset), "KeBugCheckEx");
    assert_int_equal(Offset, 1);
    assert_string_equal(KdpLookupSymbolInTable(&TestTable, 0x801001FF, NULL), "KeBugCheckEx");
}

static void lookup_outside_text_fails(void **state)
{
    ULONG Offset = 0;
    (void)state;
    assert_null(KdpLookupSymbolInTable(&TestTable, 0x800FFFFF, &Offset));
    assert_null(KdpLookupSymbolInTable(&TestTable, 0x80100200, &Offset));  /* TextEnd */
    assert_null(KdpLookupSymbolInTable(&TestTable, 0, &Offset));
    assert_null(KdpLookupSymbolInTable(&TestTable, 0xFFFFFFFF, &Offset));
}

static void lookup_in_empty_table_fails(void **state)
{
    static const KD_SYMBOL_TABLE Empty = { TestSymbols, 0, TestNames, 0 };
    (void)state;
    assert_null(KdpLookupSymbolInTable(&Empty, 0x80100000, NULL));
}

static void lookup_many_symbols_binary_search(void **state)
{
    enum { N = 1000 };
    static KD_SYMBOL Symbols[N];
    static CHAR Names[N * 8];
    KD_SYMBOL_TABLE Table = { Symbols, N, Names, 0x80000000 + N * 0x40 };
    ULONG Index, Offset;
    (void)state;

    for (Index = 0; Index < N; Index++) {
        Symbols[Index].Address = 0x80000000 + Index * 0x40;
        Symbols[Index].NameOffset = Index * 8;
        snprintf(&Names[Index * 8], 8, "f%lu", Index);
    }
    for (Index = 0; Index < N * 0x40; Index += 7) {
        CHAR Expected[8];
        snprintf(Expected, sizeof(Expected), "f%lu", Index / 0x40);
        assert_string_equal(KdpLookupSymbolInTable(&Table, 0x80000000 + Index, &Offset), Expected);
        assert_int_equal(Offset, Index % 0x40);
    }
}

static void find_by_name(void **state)
{
    (void)state;
    assert_int_equal(KdpFindSymbolInTable(&TestTable, "KiTrapCommon"), 0x80100100);
    assert_int_equal(KdpFindSymbolInTable(&TestTable, "KeBugCheckEx"), 0x80100180);
    assert_int_equal(KdpFindSymbolInTable(&TestTable, "KeBugCheck"), 0);
    assert_int_equal(KdpFindSymbolInTable(&TestTable, ""), 0);
}

/* ---- the frame walker, over a fake stack ---- */

static ULONG Stack[64];
static ULONG Seen[32];
static ULONG SeenCount;

static BOOLEAN StackReadable(ULONG Address, ULONG Length)
{
    ULONG Low = (ULONG)(ULONG_PTR)Stack, High = Low + sizeof(Stack);
    return Address >= Low && Address + Length <= High;
}

static VOID Record(PVOID Context, ULONG Address)
{
    (void)Context;
    Seen[SeenCount++] = Address;
}

/* Builds a frame at Stack[Index]: [saved EBP, return address]. */
static ULONG Frame(ULONG Index, ULONG NextIndex, ULONG Return)
{
    Stack[Index] = NextIndex == (ULONG)-1 ? 0 : (ULONG)(ULONG_PTR)&Stack[NextIndex];
    Stack[Index + 1] = Return;
    return (ULONG)(ULONG_PTR)&Stack[Index];
}

static void walk_follows_chain_to_zero(void **state)
{
    ULONG Ebp;
    (void)state;
    SeenCount = 0;
    Frame(40, -1, 0x80100010);
    Frame(20, 40, 0x80100020);
    Ebp = Frame(4, 20, 0x80100030);
    assert_int_equal(KdpWalkFrames(0x80100040, Ebp, 32, StackReadable, Record, NULL), 4);
    assert_int_equal(Seen[0], 0x80100040);
    assert_int_equal(Seen[1], 0x80100030);
    assert_int_equal(Seen[2], 0x80100020);
    assert_int_equal(Seen[3], 0x80100010);
}

static void walk_stops_at_max_frames(void **state)
{
    ULONG Ebp;
    (void)state;
    SeenCount = 0;
    Frame(40, -1, 3);
    Frame(20, 40, 2);
    Ebp = Frame(4, 20, 1);
    assert_int_equal(KdpWalkFrames(0x100, Ebp, 2, StackReadable, Record, NULL), 2);
    assert_int_equal(KdpWalkFrames(0x100, Ebp, 0, StackReadable, Record, NULL), 0);
}

static void walk_rejects_loops_and_downward_links(void **state)
{
    ULONG Ebp;
    (void)state;
    SeenCount = 0;
    Frame(20, 4, 0x22);                 /* points back down: corrupt */
    Ebp = Frame(4, 20, 0x11);
    assert_int_equal(KdpWalkFrames(0x1, Ebp, 32, StackReadable, Record, NULL), 3);
    SeenCount = 0;
    Ebp = Frame(8, 8, 0x33);            /* points at itself */
    assert_int_equal(KdpWalkFrames(0x1, Ebp, 32, StackReadable, Record, NULL), 2);
}

static void walk_rejects_unreadable_and_misaligned_frames(void **state)
{
    (void)state;
    SeenCount = 0;
    assert_int_equal(KdpWalkFrames(0x1, 0x1000, 32, StackReadable, Record, NULL), 1);
    assert_int_equal(KdpWalkFrames(0x1, (ULONG)(ULONG_PTR)&Stack[4] + 2, 32, StackReadable,
                                   Record, NULL), 1);
    /* A frame whose second word is past the readable range. */
    assert_int_equal(KdpWalkFrames(0x1, (ULONG)(ULONG_PTR)&Stack[63], 32, StackReadable,
                                   Record, NULL), 1);
    assert_int_equal(KdpWalkFrames(0x1, 0, 32, StackReadable, Record, NULL), 1);
}

static void walk_stops_at_zero_return_address(void **state)
{
    ULONG Ebp;
    (void)state;
    SeenCount = 0;
    Frame(20, 40, 0);
    Ebp = Frame(4, 20, 0x55);
    assert_int_equal(KdpWalkFrames(0x1, Ebp, 32, StackReadable, Record, NULL), 2);
    assert_int_equal(Seen[1], 0x55);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookup_finds_containing_function),
        cmocka_unit_test(lookup_outside_text_fails),
        cmocka_unit_test(lookup_in_empty_table_fails),
        cmocka_unit_test(lookup_many_symbols_binary_search),
        cmocka_unit_test(find_by_name),
        cmocka_unit_test(walk_follows_chain_to_zero),
        cmocka_unit_test(walk_stops_at_max_frames),
        cmocka_unit_test(walk_rejects_loops_and_downward_links),
        cmocka_unit_test(walk_rejects_unreadable_and_misaligned_frames),
        cmocka_unit_test(walk_stops_at_zero_return_address),
    };
    return cmocka_run_group_tests_name("symbols", tests, NULL, NULL);
}

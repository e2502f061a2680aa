/*
 * symbols.c - looking up the kernel's own symbols, for backtraces and tests.
 *
 * The table (KD_SYMBOL_TABLE in kd.h) is generated from the linked kernel by
 * tools/gensyms and placed in .ksyms. The lookup itself takes the table as an
 * argument, so the host unit tests run it on tables of their own.
 */
#include <kd.h>
#include <rtl.h>

PCSTR KdpLookupSymbolInTable(const KD_SYMBOL_TABLE *Table, ULONG Address, PULONG Offset)
{
    ULONG Low = 0, High = Table->Count;

    if (Table->Count == 0 || Address < Table->Symbols[0].Address || Address >= Table->TextEnd)
        return NULL;

    /* The last symbol whose address is <= Address. */
    while (High - Low > 1) {
        ULONG Middle = Low + (High - Low) / 2;
        if (Table->Symbols[Middle].Address <= Address)
            Low = Middle;
        else
            High = Middle;
    }
    if (Offset)
        *Offset = Address - Table->Symbols[Low].Address;
    return Table->Names + Table->Symbols[Low].NameOffset;
}

ULONG KdpFindSymbolInTable(const KD_SYMBOL_TABLE *Table, PCSTR Name)
{
    ULONG Index;

    for (Index = 0; Index < Table->Count; Index++) {
        if (strcmp(Table->Names + Table->Symbols[Index].NameOffset, Name) == 0)
            return Table->Symbols[Index].Address;
    }
    return 0;
}

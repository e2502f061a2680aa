/*
 * ksyms.c - the kernel's embedded symbol table (generated part in build/ksyms.c).
 */
#include <kd.h>

extern const KD_SYMBOL_TABLE KdpKernelSymbols;

PCSTR KdLookupSymbol(ULONG Address, PULONG Offset)
{
    return KdpLookupSymbolInTable(&KdpKernelSymbols, Address, Offset);
}

ULONG KdFindSymbol(PCSTR Name)
{
    return KdpFindSymbolInTable(&KdpKernelSymbols, Name);
}

/*
 * loaderblock.c - the kernel's one copy of what the boot loader told it.
 *
 * Phase 0 start-up fills KeLoaderBlock from the Multiboot information
 * (KiParseMultibootInfo); from then on the rest of the kernel reads only this block.
 * Kept apart from bootopt.c so that the option parser stays free of global state.
 */
#include <arc.h>

LOADER_PARAMETER_BLOCK KeLoaderBlock;

BOOLEAN KeBootOptionPresent(PCSTR Name)
{
    return NT_SUCCESS(KiQueryBootOption(KeLoaderBlock.LoadOptions, Name, NULL, 0));
}

NTSTATUS KeBootOptionValue(PCSTR Name, PCHAR Value, SIZE_T ValueSize)
{
    return KiQueryBootOption(KeLoaderBlock.LoadOptions, Name, Value, ValueSize);
}

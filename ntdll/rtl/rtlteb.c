/*
 * rtlteb.c - how the runtime finds its thread's TEB and its process's PEB: through
 * fs, which in user mode is the TEB (fs:[18h] its own address, fs:[30h] the
 * PEB's). A file of its own so the host unit tests can leave it out and supply
 * a fake PEB and TEB instead (tests/unit/rtlhost.c).
 */
#include "rtlp.h"

PTEB RtlpCurrentTeb(VOID)
{
    PTEB Teb;

    __asm__ volatile("movl %%fs:0x18, %0" : "=r"(Teb));
    return Teb;
}

PPEB RtlpCurrentPeb(VOID)
{
    PPEB Peb;

    __asm__ volatile("movl %%fs:0x30, %0" : "=r"(Peb));
    return Peb;
}

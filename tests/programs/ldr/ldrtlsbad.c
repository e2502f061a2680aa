/*
 * ldrtlsbad.c - a program whose TLS directory makes the template's size wrap:
 * SizeOfZeroFill so large that raw size + zero fill overflows 32 bits. The loader
 * must refuse it (STATUS_INVALID_IMAGE_FORMAT) before its entry point, rather
 * than allocate a block the sum says is small and copy the template past it.
 */
#include "ldrtest.h"

ULONG _tls_index;
__attribute__((section(".tls$AAA"), used)) ULONG LdrTlsStart = 0;
__attribute__((section(".tls$BBB"), used)) ULONG LdrTlsValue[64] = { 0x600D };
__attribute__((section(".tls$ZZZ"), used)) ULONG LdrTlsEnd = 0;

__attribute__((used)) const IMAGE_TLS_DIRECTORY32 _tls_used = {
    (DWORD)(ULONG_PTR)&LdrTlsStart, (DWORD)(ULONG_PTR)&LdrTlsEnd, (DWORD)(ULONG_PTR)&_tls_index, 0,
    0xFFFFFF80, 0
};

ULONG NTAPI LdrTlsBadStart(PVOID Peb)
{
    (void)Peb;
    NativeWrite("ldrbad: the entry point ran\r\n");
    return 0;
}

/*
 * ldrtlsbad.c - a program whose TLS directory makes the template's size wrap:
 * SizeOfZeroFill so large that raw size + zero fill overflows 32 bits. The loader
 * must refuse it (STATUS_INVALID_IMAGE_FORMAT) before its entry point, rather
 * than allocate a block the sum says is small and copy the template past it.
 * Built twice more (LDR_TLS_CASE): with AddressOfIndex (ldrtlsidx.exe) or
 * AddressOfCallBacks (ldrtlscb.exe) outside the image, which the loader must
 * refuse the same way instead of writing or reading there.
 */
#include "ldrtest.h"

ULONG _tls_index;
__attribute__((section(".tls$AAA"), used)) ULONG LdrTlsStart = 0;
__attribute__((section(".tls$BBB"), used)) ULONG LdrTlsValue[64] = { 0x600D };
__attribute__((section(".tls$ZZZ"), used)) ULONG LdrTlsEnd = 0;

#if LDR_TLS_CASE == 1
/* ldrtlsidx.exe: AddressOfIndex outside the image (KUSER_SHARED_DATA, read-only). */
#define LDR_TLS_INDEX     0x7FFE0010
#define LDR_TLS_CALLBACKS 0
#define LDR_TLS_ZERO_FILL 0
#elif LDR_TLS_CASE == 2
/* ldrtlscb.exe: AddressOfCallBacks outside the image (the never-mapped first 64 KB). */
#define LDR_TLS_INDEX     (DWORD)(ULONG_PTR)&_tls_index
#define LDR_TLS_CALLBACKS 0x0000F000
#define LDR_TLS_ZERO_FILL 0
#else
/* ldrtlsbad.exe: the template's size wraps. */
#define LDR_TLS_INDEX     (DWORD)(ULONG_PTR)&_tls_index
#define LDR_TLS_CALLBACKS 0
#define LDR_TLS_ZERO_FILL 0xFFFFFF80
#endif

__attribute__((used)) const IMAGE_TLS_DIRECTORY32 _tls_used = {
    (DWORD)(ULONG_PTR)&LdrTlsStart, (DWORD)(ULONG_PTR)&LdrTlsEnd, LDR_TLS_INDEX, LDR_TLS_CALLBACKS,
    LDR_TLS_ZERO_FILL, 0
};

ULONG NTAPI LdrTlsBadStart(PVOID Peb)
{
    (void)Peb;
    NativeWrite("ldrbad: the entry point ran\r\n");
    return 0;
}

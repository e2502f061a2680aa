/*
 * test_string_asm.c - the string tests again, on the kernel's i386 assembly paths
 * of memcpy and memset (unit.mk builds this without NT_HOST_TEST; the host's own
 * process is i386 too, so the same instructions run).
 */
#include "test_string.c"

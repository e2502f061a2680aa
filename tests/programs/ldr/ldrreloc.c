/*
 * ldrreloc.c - a DLL linked at ldra.dll's base (mk/ldrtests.mk), so that in the
 * same process it cannot have its preferred base and the kernel relocates it. A
 * pointer in its initialized data says whether the relocations were applied.
 */
#include "ldrtest.h"

static ULONG LdrRelocTarget = 0x1234;
static ULONG *LdrRelocPointer = &LdrRelocTarget;

__declspec(dllexport) ULONG *LdrRelocData(void)
{
    return LdrRelocPointer;
}

BOOL WINAPI LdrRelocMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reason;
    (void)Reserved;
    return TRUE;
}

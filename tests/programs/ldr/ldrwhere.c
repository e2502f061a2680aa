/*
 * ldrwhere.c - built five times for the search order (mk/ldrtests.mk): ldrord.dll
 * in C:\Tests (LDR_WHERE 1) and in C:\Windows\System32 (2), where the program's own
 * folder must win; ldrsys.dll only in System32 (2), ldrwin.dll only in C:\Windows
 * (3), found there; ldrpath.dll only in C:\Tests\Path (4), which LdrLoadDll finds
 * when given that folder as its search path.
 */
#include "ldrtest.h"

__declspec(dllexport) ULONG LDR_EXPORT(void)
{
    return LDR_WHERE;
}

BOOL WINAPI LdrWhereMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reason;
    (void)Reserved;
    return TRUE;
}

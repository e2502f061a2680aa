/*
 * ldrwhere.c - built three times for the search order (mk/ldrtests.mk): ldrord.dll
 * in C:\Tests (LDR_WHERE 1) and in C:\Windows\System32 (2), where the program's own
 * folder must win; ldrsys.dll only in System32 (2), found there.
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

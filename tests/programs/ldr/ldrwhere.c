/*
 * ldrwhere.c - built five times for the search order (mk/ldrtests.mk): ldrord.dll
 * in C:\Tests (LDR_WHERE 1) and in C:\Windows\System32 (2), where the program's own
 * folder must win; ldrsys.dll only in System32 (2), ldrwin.dll only in C:\Windows
 * (3), found there; ldrpath.dll only in C:\Tests\Path (4), which LdrLoadDll finds
 * when given that folder as its search path.
 */
#include "ldrtest.h"

/* Read through a pointer in its data, so the image has a relocation and can be
   loaded away from its base (two ldrord.dll side by side: ldrtest.exe's TestPaths). */
static const ULONG LdrWhere = LDR_WHERE;
static const ULONG *volatile LdrWherePointer = &LdrWhere;

__declspec(dllexport) ULONG LDR_EXPORT(void)
{
    return *LdrWherePointer;
}

BOOL WINAPI LdrWhereMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reason;
    (void)Reserved;
    return TRUE;
}

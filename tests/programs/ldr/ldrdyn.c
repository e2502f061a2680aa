/* ldrdyn.c - loaded and unloaded at run time by ldrtest.exe (LdrLoadDll/LdrUnloadDll); imports ldrc. */
#include "ldrtest.h"

ULONG LdrCValue(void);

__declspec(dllexport) ULONG LdrDynValue(void)
{
    return 4000 + LdrCValue();
}

BOOL WINAPI LdrDynMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldrdyn", Reason);
    return TRUE;
}

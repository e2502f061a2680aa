/* ldrfail.c - a DLL whose DllMain refuses DLL_PROCESS_ATTACH: its importer cannot start. */
#include "ldrtest.h"

__declspec(dllexport) ULONG LdrFailValue(void)
{
    return 1;
}

BOOL WINAPI LdrFailMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldrfail", Reason);
    return Reason != DLL_PROCESS_ATTACH;
}

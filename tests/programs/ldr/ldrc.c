/* ldrc.c - the bottom of the test chain ldra -> ldrb -> ldrc: imports only ntdll. */
#include "ldrtest.h"

__declspec(dllexport) ULONG LdrCValue(void)
{
    return 3;
}

BOOL WINAPI LdrCMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldrc", Reason);
    return TRUE;
}

/* ldrb.c - the middle of the chain: imports ldrc, exports a name and a nameless ordinal (ldrb.def). */
#include "ldrtest.h"

ULONG LdrCValue(void);

ULONG LdrBValue(void)
{
    return 20 + LdrCValue();
}

ULONG LdrBOrdinal(void)
{
    return 77;
}

BOOL WINAPI LdrBMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldrb", Reason);
    return TRUE;
}

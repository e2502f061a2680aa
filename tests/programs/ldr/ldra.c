/*
 * ldra.c - the top of the chain: imports ldrb; exports by name, by ordinal only
 * (@5 NONAME), and forwarders to ldrb by name and by ordinal (ldra.def), so a
 * program binds through every kind of export.
 */
#include "ldrtest.h"

ULONG LdrBValue(void);

ULONG LdrAValue(void)
{
    return 100 + LdrBValue();
}

ULONG LdrAOrdinal(void)
{
    return 555;
}

BOOL WINAPI LdrAMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldra", Reason);
    return TRUE;
}

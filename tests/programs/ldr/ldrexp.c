/*
 * ldrexp.c - exports that test the lookup itself (ldrtest.exe): a name of 300
 * characters (found whole, with no limit on its length); a forwarder to
 * ldrfail.dll, whose DllMain fails (ldrexp.def: the lookup must fail with
 * STATUS_DLL_INIT_FAILED and leave ldrfail unloaded, every time); and AAAFirst,
 * first in the name table, which mk/ldrtests.mk's copy ldrbadexp.dll gives an
 * ordinal far outside the function table (tests/programs/ldr/badexport.py): the
 * lookup through the hint must refuse it rather than read past the table.
 */
#include "ldrtest.h"

ULONG AAAFirst(void)
{
    return 1;
}

ULONG LdrExpLongName(void)
{
    return 300;
}

BOOL WINAPI LdrExpMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reason;
    (void)Reserved;
    return TRUE;
}

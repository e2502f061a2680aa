/*
 * ldrbad.c - programs that must not start (mk/ldrtests.mk builds one per case,
 * LDR_IMPORT naming what it imports): a DLL that is not there (ldrmiss.exe), a
 * name (ldrnoent.exe) or an ordinal (ldrnoord.exe) ldra.dll does not export, a DLL
 * * whose DllMain fails (ldrinitf.exe), a DLL that is no image (ldrjunk.exe). The loader ends each before its entry point
 * with the status and a line on standard error; the entry's line must not appear.
 */
#include "ldrtest.h"

ULONG LDR_IMPORT(void);

ULONG NTAPI LdrBadStart(PVOID Peb)
{
    (void)Peb;
    NativeWrite("ldrbad: the entry point ran\r\n");
    return LDR_IMPORT();
}

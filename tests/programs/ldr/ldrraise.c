/*
 * ldrraise.c - DLLs whose DllMain raises an exception it does not handle (an
 * access violation: a write to address 0x10). mk/ldrtests.mk builds three:
 *   ldrraisea.dll  raises in DLL_PROCESS_ATTACH: its load fails
 *                  (STATUS_DLL_INIT_FAILED), it is not kept, and no
 *                  DLL_PROCESS_DETACH follows;
 *   ldrraisen.dll  in DLL_PROCESS_ATTACH calls LdrLoadDll with a name whose
 *                  buffer is no memory, so the fault hits inside the nested
 *                  loader call, with the loader lock entered a second time: the
 *                  loader must give that back too;
 *   ldrraised.dll  attaches, then raises in DLL_THREAD_ATTACH, DLL_THREAD_DETACH
 *                  and DLL_PROCESS_DETACH: ignored, the thread runs, the DLL unloads.
 * LDR_RAISE_ON is the set of reasons (1 << Reason) that raise.
 */
#include "ldrtest.h"

#define LDR_QUOTE(Name) #Name
#define LDR_STRING(Name) LDR_QUOTE(Name)

__declspec(dllexport) ULONG LdrRaiseValue(void)
{
    return 7;
}

/* Read at run time, so the compiler sees no null pointer to turn into a trap. */
static volatile ULONG_PTR LdrNowhere = 0x10;

BOOL WINAPI LdrRaiseMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reserved;
    LdrTestLog(LDR_STRING(LDR_NAME), Reason);
#ifdef LDR_RAISE_NESTED
    if (Reason == DLL_PROCESS_ATTACH) {
        UNICODE_STRING Name = { 8, 10, (PWSTR)(ULONG_PTR)0x10 };
        PVOID Base;

        LdrLoadDll(NULL, NULL, &Name, &Base);
    }
#endif
    if (LDR_RAISE_ON & (1u << Reason))
        *(volatile ULONG *)LdrNowhere = Reason;
    return TRUE;
}

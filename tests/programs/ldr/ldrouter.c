/*
 * ldrouter.c - a DLL that loads another in its DllMain and unloads it in its
 * DLL_PROCESS_DETACH (ldrtest.exe loads and unloads it). The unload it makes
 * runs while its own unload is detaching it: it may only drop ldrdyn's count,
 * and ldrouter's image must still be mapped when LdrUnloadDll returns into it
 * (the outer unload detaches ldrdyn next and unmaps both after).
 */
#include "ldrtest.h"

static PVOID Dyn;
static volatile ULONG Alive = 0xA11CE;

BOOL WINAPI LdrOuterMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    UNICODE_STRING Name = { 12, 14, (PWSTR)u"ldrdyn" };

    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldrouter", Reason);
    if (Reason == DLL_PROCESS_ATTACH)
        return NT_SUCCESS(LdrLoadDll(NULL, NULL, &Name, &Dyn));
    if (Reason == DLL_PROCESS_DETACH && Dyn != NULL) {
        LdrUnloadDll(Dyn);
        /* Code and data of this image, after the nested unload returned. */
        if (Alive == 0xA11CE)
            NativeWrite("ldrouter: still mapped after unloading ldrdyn\r\n");
    }
    return TRUE;
}

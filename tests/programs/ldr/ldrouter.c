/*
 * ldrouter.c - a DLL that loads another in its DllMain and unloads it in its
 * DLL_PROCESS_DETACH (ldrtest.exe loads and unloads it). The unload it makes
 * runs while its own unload is detaching it: it may only drop ldrdyn's count,
 * and ldrouter's image must still be mapped when LdrUnloadDll returns into it
 * (the outer unload detaches ldrdyn next and unmaps both after). While it is
 * being detached, LdrQueryProcessModuleInformation must not list it.
 */
#include "ldrtest.h"

static PVOID Dyn;
static volatile ULONG Alive = 0xA11CE;

/* Whether LdrQueryProcessModuleInformation lists a module whose FullPathName ends
   in "ldrouter.dll": asked while this one is being detached, it must not. */
static BOOLEAN LdrOuterListed(void)
{
    static UCHAR Buffer[8192];
    static const char Wanted[] = "ldrouter.dll";
    ULONG Index, Length;
    PULONG Count = (PULONG)Buffer;

    if (!NT_SUCCESS(LdrQueryProcessModuleInformation(Buffer, sizeof(Buffer), NULL)))
        return TRUE;
    for (Index = 0; Index < *Count; Index++) {
        const char *Path = (const char *)Buffer + 4 + Index * 0x11C + 0x1C;

        for (Length = 0; Path[Length] != 0; Length++)
            ;
        if (Length >= sizeof(Wanted) - 1) {
            const char *Tail = Path + Length - (sizeof(Wanted) - 1);
            ULONG At;

            for (At = 0; At < sizeof(Wanted) - 1 && (Tail[At] | 0x20) == Wanted[At]; At++)
                ;
            if (At == sizeof(Wanted) - 1)
                return TRUE;
        }
    }
    return FALSE;
}

BOOL WINAPI LdrOuterMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    UNICODE_STRING Name = { 12, 14, (PWSTR)u"ldrdyn" };

    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldrouter", Reason);
    if (Reason == DLL_PROCESS_ATTACH)
        return NT_SUCCESS(LdrLoadDll(NULL, NULL, &Name, &Dyn));
    if (Reason == DLL_PROCESS_DETACH && Dyn != NULL) {
        NativeWrite(LdrOuterListed() ? "ldrouter: listed while being unloaded\r\n"
                                     : "ldrouter: not listed while being unloaded\r\n");
        LdrUnloadDll(Dyn);
        /* Code and data of this image, after the nested unload returned. */
        if (Alive == 0xA11CE)
            NativeWrite("ldrouter: still mapped after unloading ldrdyn\r\n");
    }
    return TRUE;
}

/*
 * ldrtls.c - static TLS (NT: LdrpInitializeTls, LdrpAllocateTls, LdrpFreeTls).
 *
 * An image with a TLS directory (MinGW's CRT gives every exe one; __declspec(thread)
 * data lives there) gets an index when the process starts, written to the
 * directory's AddressOfIndex; compiled code reads its variables as
 * TEB->ThreadLocalStoragePointer[index] + offset. Every thread gets, for each
 * such image, a block holding a copy of the image's template (the data from
 * StartAddressOfRawData to EndAddressOfRawData, then SizeOfZeroFill zeros),
 * and the vector of those blocks in its TEB.
 *
 * As in NT 5, only the images present when the process starts take part: a DLL
 * loaded later with a TLS directory is loaded, but gets no index and its TLS
 * callbacks are not called.
 */
#include "ldrp.h"

static ULONG LdrpTlsCount;

static PIMAGE_TLS_DIRECTORY32 LdrpTlsDirectory(PLDRP_MODULE Module)
{
    ULONG Size;

    return LdrpDirectory(Module->Entry.DllBase, IMAGE_DIRECTORY_ENTRY_TLS, &Size);
}

/*
 * Whether the callback array at Address (a VA, as the directory holds it) lies
 * inside the image up to and including its NULL entry: the loader walks it at
 * every thread's start and end. The callbacks themselves may point anywhere in
 * the image (they are code, checked by nothing but being called).
 */
static BOOLEAN LdrpValidTlsCallbacks(PLDRP_MODULE Module, ULONG Address)
{
    ULONG Base = (ULONG)(ULONG_PTR)Module->Entry.DllBase;
    ULONG Count;

    if (Address == 0)
        return TRUE;
    if (Address < Base)
        return FALSE;
    for (Count = 0;; Count++) {
        if (!LdrpArrayInImage(Module->Entry.DllBase, Address - Base, Count + 1, sizeof(ULONG)))
            return FALSE;
        if (((PULONG)(ULONG_PTR)Address)[Count] == 0)
            return TRUE;
    }
}

/*
 * The template must lie inside the image, and its size with the zero fill (and
 * the byte LdrpAllocateTls adds) must not wrap: a block sized by a wrapped sum
 * would be smaller than the copy made into it. AddressOfIndex, which the loader
 * writes, and the callback array, which it reads, must lie inside the image too
 * (VA - ImageBase within SizeOfImage): an image's directory must not make the
 * loader write or read where the image does not reach.
 */
static BOOLEAN LdrpValidTls(PLDRP_MODULE Module, PIMAGE_TLS_DIRECTORY32 Tls)
{
    ULONG Base = (ULONG)(ULONG_PTR)Module->Entry.DllBase, Size = Module->Entry.SizeOfImage;
    ULONG Raw = Tls->EndAddressOfRawData - Tls->StartAddressOfRawData;

    if (Tls->EndAddressOfRawData < Tls->StartAddressOfRawData)
        return FALSE;
    if (Raw != 0 && (Tls->StartAddressOfRawData < Base || Tls->EndAddressOfRawData - Base > Size))
        return FALSE;
    if (Tls->AddressOfIndex != 0 &&
        (Tls->AddressOfIndex < Base ||
         !LdrpArrayInImage(Module->Entry.DllBase, Tls->AddressOfIndex - Base, 1, sizeof(ULONG))))
        return FALSE;
    if (!LdrpValidTlsCallbacks(Module, Tls->AddressOfCallBacks))
        return FALSE;
    return Tls->SizeOfZeroFill < 0xFFFFFFFF - Raw;
}

NTSTATUS LdrpInitializeTls(VOID)
{
    PLIST_ENTRY Link;
    CHAR Name[128];

    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InLoadOrderLinks);
        PIMAGE_TLS_DIRECTORY32 Tls = LdrpTlsDirectory(Module);

        if (Tls == NULL)
            continue;
        if (!LdrpValidTls(Module, Tls)) {
            LdrpWideToAnsi(Module->Entry.BaseDllName.Buffer, Module->Entry.BaseDllName.Length / sizeof(WCHAR),
                           Name, sizeof(Name));
            return LdrpReport(STATUS_INVALID_IMAGE_FORMAT, "the image", Name, "has an invalid TLS directory", NULL);
        }
        Module->Entry.TlsIndex = (USHORT)LdrpTlsCount;
        if (Tls->AddressOfIndex != 0)
            *(PULONG)(ULONG_PTR)Tls->AddressOfIndex = LdrpTlsCount;
        LdrpTlsCount++;
    }
    return STATUS_SUCCESS;
}

NTSTATUS LdrpAllocateTls(VOID)
{
    PVOID *Vector;
    PLIST_ENTRY Link;

    if (LdrpTlsCount == 0)
        return STATUS_SUCCESS;
    Vector = LdrpAllocate(LdrpTlsCount * sizeof(PVOID));
    if (Vector == NULL)
        return STATUS_NO_MEMORY;
    for (Link = LdrpData.InLoadOrderModuleList.Flink; Link != &LdrpData.InLoadOrderModuleList; Link = Link->Flink) {
        PLDRP_MODULE Module = LDRP_MODULE_OF(Link, InLoadOrderLinks);
        PIMAGE_TLS_DIRECTORY32 Tls;
        ULONG Raw, Index;
        PUCHAR Block;

        if (Module->Entry.TlsIndex == 0xFFFF)
            continue;
        Tls = LdrpTlsDirectory(Module);
        Raw = Tls->EndAddressOfRawData - Tls->StartAddressOfRawData;
        /* Zeroed by the heap: the zero fill needs no loop of its own. */
        Block = LdrpAllocate(Raw + Tls->SizeOfZeroFill + 1);
        if (Block == NULL) {
            /* The blocks made so far and the vector go back (the vector was zeroed). */
            for (Index = 0; Index < LdrpTlsCount; Index++)
                LdrpFree(Vector[Index]);
            LdrpFree(Vector);
            return STATUS_NO_MEMORY;
        }
        for (Index = 0; Index < Raw; Index++)
            Block[Index] = ((PUCHAR)(ULONG_PTR)Tls->StartAddressOfRawData)[Index];
        Vector[Module->Entry.TlsIndex] = Block;
    }
    LdrpCurrentTeb()->ThreadLocalStoragePointer = Vector;
    return STATUS_SUCCESS;
}

VOID LdrpFreeTls(VOID)
{
    PTEB Teb = LdrpCurrentTeb();
    PVOID *Vector = Teb->ThreadLocalStoragePointer;
    ULONG Index;

    if (Vector == NULL)
        return;
    Teb->ThreadLocalStoragePointer = NULL;
    for (Index = 0; Index < LdrpTlsCount; Index++)
        LdrpFree(Vector[Index]);
    LdrpFree(Vector);
}

VOID LdrpCallTlsCallbacks(PLDRP_MODULE Module, ULONG Reason)
{
    typedef VOID (NTAPI *PTLS_CALLBACK)(PVOID DllHandle, ULONG Reason, PVOID Reserved);
    PIMAGE_TLS_DIRECTORY32 Tls;
    PTLS_CALLBACK *Callback;
    LONG Ignored;

    if (Module == NULL || Module->Entry.TlsIndex == 0xFFFF)
        return;
    Tls = LdrpTlsDirectory(Module);
    if (Tls == NULL || Tls->AddressOfCallBacks == 0)
        return;
    /* Each inside the loader's SEH frame; one that raises is skipped (ldrcall.c). */
    for (Callback = (PTLS_CALLBACK *)(ULONG_PTR)Tls->AddressOfCallBacks; *Callback != NULL; Callback++)
        (VOID)LdrpCallGuarded(Module, (PVOID)*Callback, Reason, NULL, &Ignored);
}

/*
 * psdll.c - the system DLL (NT: PsLocateSystemDll, PspMapSystemDll,
 * PspLookupSystemDllEntryPoint, PspLookupKernelUserEntryPoints in ntos\ps\psinit.c).
 *
 * The kernel enters user mode at a handful of places, all in ntdll: a new thread
 * starts in LdrInitializeThunk (through an APC), APCs and exceptions are delivered
 * to KiUserApcDispatcher and KiUserExceptionDispatcher, callbacks to
 * KiUserCallbackDispatcher, and every system-service stub goes through the door
 * that SharedUserData->SystemCall names. They are looked up by name in ntdll's
 * export table, so the kernel holds no address that a rebuild of ntdll could move.
 */
#include <ps.h>
#include <mm.h>
#include <ob.h>
#include <ke.h>
#include <kd.h>
#include <io.h>
#include <ramdisk.h>
#include <rtl.h>
#include <nt/kuser.h>
#include <nt/ntsection.h>
#include "zwapi.h"      /* the kernel's Zw stubs, from include/nt/sysfuncs.lst */

SYSTEM_DLL PspSystemDll;

#define PSP_SYSTEM_DLL_PATH u"\\SystemRoot\\System32\\ntdll.dll"

/* NT: a missing system DLL, or one that cannot be mapped, stops the boot. */
static VOID PspSystemDllFailure(PCSTR What, NTSTATUS Status)
{
    DbgPrint("PsLocateSystemDll: %s failed with %s (0x%08lX)\n", What,
             KdStatusName(Status) ? KdStatusName(Status) : "?", (ULONG)Status);
    KeBugCheckEx(PROCESS1_INITIALIZATION_FAILED, (ULONG_PTR)Status, 0x5344, 0, 0);
}

static ULONG_PTR PspLookupSystemDllEntryPoint(PCSTR Name)
{
    ULONG Rva;
    NTSTATUS Status;

    Status = MmFindSectionExport(PspSystemDll.Section, Name, &Rva);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("PsLocateSystemDll: ntdll.dll does not export %s\n", Name);
        PspSystemDllFailure(Name, Status);
    }
    return (ULONG_PTR)PspSystemDll.DllBase + Rva;
}

static VOID PspLookupKernelUserEntryPoints(VOID)
{
    ULONG_PTR FastSystemCall, IntSystemCall;

    PspSystemDll.LoaderInitRoutine = PspLookupSystemDllEntryPoint("LdrInitializeThunk");
    PspSystemDll.UserThreadStart = PspLookupSystemDllEntryPoint("RtlUserThreadStart");
    KeUserApcDispatcher = PspLookupSystemDllEntryPoint("KiUserApcDispatcher");
    KeUserExceptionDispatcher = PspLookupSystemDllEntryPoint("KiUserExceptionDispatcher");
    KeUserCallbackDispatcher = PspLookupSystemDllEntryPoint("KiUserCallbackDispatcher");
    FastSystemCall = PspLookupSystemDllEntryPoint("KiFastSystemCall");
    IntSystemCall = PspLookupSystemDllEntryPoint("KiIntSystemCall");
    SharedUserData->SystemCallReturn = PspLookupSystemDllEntryPoint("KiFastSystemCallRet");
    /* SYSENTER when the processor has it and the boot options allow it (NT 5.1's choice). */
    SharedUserData->SystemCall = KeFastSystemCallEnabled() ? FastSystemCall : IntSystemCall;

    DbgPrint("ntdll.dll at %p: LdrInitializeThunk %p, KiUserApcDispatcher %p,\n"
             "  KiUserExceptionDispatcher %p, KiUserCallbackDispatcher %p,\n"
             "  KiFastSystemCall %p, KiFastSystemCallRet %p, KiIntSystemCall %p\n",
             PspSystemDll.DllBase, (PVOID)PspSystemDll.LoaderInitRoutine, (PVOID)KeUserApcDispatcher,
             (PVOID)KeUserExceptionDispatcher, (PVOID)KeUserCallbackDispatcher, (PVOID)FastSystemCall,
             (PVOID)(ULONG_PTR)SharedUserData->SystemCallReturn, (PVOID)IntSystemCall);
    DbgPrint("  RtlUserThreadStart %p\n", (PVOID)PspSystemDll.UserThreadStart);
    DbgPrint("System calls enter through %s\n", KeFastSystemCallEnabled() ? "SYSENTER" : "INT 2E");
}

/* Maps ntdll into the System process (here: the system address space) at its base. */
static VOID PspMapSystemDll(VOID)
{
    PVOID Base = NULL;
    SIZE_T Size = 0;
    NTSTATUS Status;

    Status = MmMapViewOfSection(PspSystemDll.Section, MmGetSystemAddressSpace(), &Base, 0, NULL, &Size, 0,
                                PAGE_READWRITE);
    /* Mapped first, into an empty space: anywhere but its base means a broken image. */
    if (Status == STATUS_IMAGE_NOT_AT_BASE)
        Status = STATUS_CONFLICTING_ADDRESSES;
    if (!NT_SUCCESS(Status))
        PspSystemDllFailure("mapping ntdll.dll", Status);
    PspSystemDll.DllBase = Base;
    PspSystemDll.ViewSize = Size;
}

VOID PsLocateSystemDll(VOID)
{
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK IoStatus;
    HANDLE File, Section;
    NTSTATUS Status;

    /* Booted without a volume (too little memory to hold one): no disk, no ntdll,
       and so no user mode. Said once; everything else works on. */
    if (IoGetBootVolume() == NULL) {
        DbgPrint("PsLocateSystemDll: no boot volume, so no ntdll.dll: user mode is unavailable\n");
        return;
    }
    RtlInitUnicodeString(&Name, PSP_SYSTEM_DLL_PATH);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    Status = ZwOpenFile(&File, FILE_READ_DATA | FILE_EXECUTE | SYNCHRONIZE, &Attributes, &IoStatus,
                        FILE_SHARE_READ, FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(Status))
        PspSystemDllFailure("opening " "\\SystemRoot\\System32\\ntdll.dll", Status);

    Status = ZwCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, File);
    ZwClose(File);
    if (!NT_SUCCESS(Status))
        PspSystemDllFailure("creating the image section of ntdll.dll", Status);
    Status = ObReferenceObjectByHandle(Section, SECTION_ALL_ACCESS, MmSectionObjectType, KernelMode,
                                       &PspSystemDll.Section, NULL);
    ZwClose(Section);
    if (!NT_SUCCESS(Status))
        PspSystemDllFailure("referencing the section of ntdll.dll", Status);

    PspMapSystemDll();
    PspLookupKernelUserEntryPoints();
}

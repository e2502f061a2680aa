/*
 * version.c - what the process asks of itself without a system call: the
 * version the kernel wrote into the PEB (RtlGetVersion, RtlGetNtVersionNumbers),
 * the PEB (RtlGetCurrentPeb), and the thread's last Win32 error in its TEB
 * (RtlGetLastWin32Error, RtlSetLastWin32Error: kernel32's GetLastError and
 * SetLastError are these).
 */
#include "rtlp.h"

/* RTL_OSVERSIONINFOW and, when the size says so, RTL_OSVERSIONINFOEXW (NT's layouts). */
typedef struct _RTLP_OSVERSIONINFOEXW {
    ULONG dwOSVersionInfoSize;
    ULONG dwMajorVersion;
    ULONG dwMinorVersion;
    ULONG dwBuildNumber;
    ULONG dwPlatformId;
    WCHAR szCSDVersion[128];
    USHORT wServicePackMajor;           /* the EX part, from 0x114 */
    USHORT wServicePackMinor;
    USHORT wSuiteMask;
    UCHAR wProductType;
    UCHAR wReserved;
} RTLP_OSVERSIONINFOEXW;

C_ASSERT_OFFSET(RTLP_OSVERSIONINFOEXW, wServicePackMajor, 0x114);
C_ASSERT_SIZE(RTLP_OSVERSIONINFOEXW, 284);

#define RTLP_OSVERSIONINFOW_SIZE 276    /* up to the end of szCSDVersion */
#define RTLP_VER_NT_WORKSTATION  1
#define RTLP_FREE_BUILD          0xF0000000UL   /* RtlGetNtVersionNumbers' mark of a free build */

/* NT: RtlGetVersion. Any other size is STATUS_INVALID_PARAMETER. */
NTSTATUS NTAPI RtlGetVersion(PVOID VersionInformation)
{
    RTLP_OSVERSIONINFOEXW *Info = VersionInformation;
    PPEB Peb = RtlpCurrentPeb();
    ULONG Length = 0;

    if (Info->dwOSVersionInfoSize != RTLP_OSVERSIONINFOW_SIZE && Info->dwOSVersionInfoSize != sizeof(*Info))
        return STATUS_INVALID_PARAMETER;
    Info->dwMajorVersion = Peb->OSMajorVersion;
    Info->dwMinorVersion = Peb->OSMinorVersion;
    Info->dwBuildNumber = Peb->OSBuildNumber;
    Info->dwPlatformId = Peb->OSPlatformId;
    if (Peb->CSDVersion.Buffer != NULL) {
        Length = Peb->CSDVersion.Length / sizeof(WCHAR);
        if (Length > RTL_NUMBER_OF(Info->szCSDVersion) - 1)
            Length = RTL_NUMBER_OF(Info->szCSDVersion) - 1;
        memcpy(Info->szCSDVersion, Peb->CSDVersion.Buffer, Length * sizeof(WCHAR));
    }
    Info->szCSDVersion[Length] = 0;
    if (Info->dwOSVersionInfoSize == sizeof(*Info)) {
        Info->wServicePackMajor = (USHORT)(Peb->OSCSDVersion >> 8);
        Info->wServicePackMinor = (USHORT)(Peb->OSCSDVersion & 0xFF);
        Info->wSuiteMask = 0;
        Info->wProductType = RTLP_VER_NT_WORKSTATION;
        Info->wReserved = 0;
    }
    return STATUS_SUCCESS;
}

/* NT: RtlGetNtVersionNumbers. Any pointer may be NULL. */
VOID NTAPI RtlGetNtVersionNumbers(PULONG MajorVersion, PULONG MinorVersion, PULONG BuildNumber)
{
    PPEB Peb = RtlpCurrentPeb();

    if (MajorVersion != NULL)
        *MajorVersion = Peb->OSMajorVersion;
    if (MinorVersion != NULL)
        *MinorVersion = Peb->OSMinorVersion;
    if (BuildNumber != NULL)
        *BuildNumber = Peb->OSBuildNumber | RTLP_FREE_BUILD;
}

PPEB NTAPI RtlGetCurrentPeb(VOID)
{
    return RtlpCurrentPeb();
}

ULONG NTAPI RtlGetLastWin32Error(VOID)
{
    return RtlpCurrentTeb()->LastErrorValue;
}

VOID NTAPI RtlSetLastWin32Error(ULONG Error)
{
    RtlpCurrentTeb()->LastErrorValue = Error;
}

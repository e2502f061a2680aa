/*
 * dosdev.c - RtlIsDosDeviceName_U: whether a DOS path's last component is a DOS
 * device (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension or trailing
 * spaces or ':', as fullpath.c decides). NT's answer packs where the device name
 * is: the offset of its first character in bytes in the high word, its length in
 * bytes in the low word ("C:\x\con.txt" -> 0x000A0006); 0 when it is not one.
 * UNC and "\\.\", "\\?\" names are never DOS devices: they name the object itself.
 */
#include "rtlp.h"

ULONG NTAPI RtlIsDosDeviceName_U(PCWSTR DosFileName)
{
    RTL_PATH_TYPE Type;
    ULONG Offset, Length;

    if (DosFileName == NULL || DosFileName[0] == 0)
        return 0;
    Type = RtlDetermineDosPathNameType_U(DosFileName);
    if (Type == RtlPathTypeUncAbsolute || Type == RtlPathTypeLocalDevice || Type == RtlPathTypeRootLocalDevice)
        return 0;
    Length = RtlpDosDeviceNameLength(DosFileName, &Offset);
    if (Length == 0)
        return 0;
    return ((Offset * sizeof(WCHAR)) << 16) | (Length * sizeof(WCHAR));
}

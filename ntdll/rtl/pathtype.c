/*
 * pathtype.c - RtlDetermineDosPathNameType_U: what kind of DOS path a string is,
 * by its first characters only (NT's RTL_PATH_TYPE; '/' counts as '\').
 */
#include "rtlp.h"

static BOOLEAN RtlpIsSlash(WCHAR Character)
{
    return Character == '\\' || Character == '/';
}

RTL_PATH_TYPE NTAPI RtlDetermineDosPathNameType_U(PCWSTR Path)
{
    if (RtlpIsSlash(Path[0])) {
        if (!RtlpIsSlash(Path[1]))
            return RtlPathTypeRooted;                   /* \x */
        if (Path[2] == '.' || Path[2] == '?') {
            if (RtlpIsSlash(Path[3]))
                return RtlPathTypeLocalDevice;          /* \\.\x, \\?\x */
            if (Path[3] == 0)
                return RtlPathTypeRootLocalDevice;      /* \\. , \\? */
        }
        return RtlPathTypeUncAbsolute;                  /* \\server\share */
    }
    if (Path[0] != 0 && Path[1] == ':')
        return RtlpIsSlash(Path[2]) ? RtlPathTypeDriveAbsolute : RtlPathTypeDriveRelative;
    return RtlPathTypeRelative;
}

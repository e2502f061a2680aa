/*
 * crtpath.c - _splitpath (cdecl, as NT's ntdll exports it): a path cut into its
 * drive ("C:"), directory (up to and with the last '\' or '/'), file name, and
 * extension (from the last '.' of the last component, the dot included). Each
 * part is optional (NULL: not wanted) and, as MSVCRT's, is cut to the size of
 * its _MAX_ buffer: _MAX_DRIVE 3, _MAX_DIR 256, _MAX_FNAME 256, _MAX_EXT 256
 * characters with the NUL.
 */
#include "rtlp.h"

#define RTLP_MAX_DRIVE 3
#define RTLP_MAX_DIR   256
#define RTLP_MAX_FNAME 256
#define RTLP_MAX_EXT   256

/* Start..End into Part (when wanted), cut to Size - 1 characters, NUL-terminated. */
static void RtlpCopyPart(char *Part, size_t Size, const char *Start, const char *End)
{
    size_t Length = (size_t)(End - Start);

    if (Part == NULL)
        return;
    if (Length > Size - 1)
        Length = Size - 1;
    memcpy(Part, Start, Length);
    Part[Length] = '\0';
}

void __cdecl _splitpath(const char *Path, char *Drive, char *Directory, char *FileName, char *Extension)
{
    const char *Rest = Path, *LastSlash = NULL, *LastDot = NULL, *End;

    if (Path[0] != '\0' && Path[1] == ':') {
        RtlpCopyPart(Drive, RTLP_MAX_DRIVE, Path, Path + 2);
        Rest = Path + 2;
    } else {
        RtlpCopyPart(Drive, RTLP_MAX_DRIVE, Path, Path);
    }
    for (End = Rest; *End != '\0'; End++) {
        if (*End == '\\' || *End == '/')
            LastSlash = End;
        else if (*End == '.')
            LastDot = End;
    }
    if (LastDot != NULL && LastSlash != NULL && LastDot < LastSlash)
        LastDot = NULL;                                 /* a dot in a directory's name */
    if (LastSlash != NULL) {
        RtlpCopyPart(Directory, RTLP_MAX_DIR, Rest, LastSlash + 1);
        Rest = LastSlash + 1;
    } else {
        RtlpCopyPart(Directory, RTLP_MAX_DIR, Rest, Rest);
    }
    if (LastDot == NULL)
        LastDot = End;
    RtlpCopyPart(FileName, RTLP_MAX_FNAME, Rest, LastDot);
    RtlpCopyPart(Extension, RTLP_MAX_EXT, LastDot, End);
}

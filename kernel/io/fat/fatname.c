/*
 * fatname.c - names and times on FAT. NT: fastfat's namesup.c and timesup.c, with
 * the parts of FsRtl and RtlGenerate8dot3Name they rely on.
 *
 * Names. A long name is 1..255 UTF-16 units without the characters FAT forbids
 * (controls and " * / : < > ? \ |), and, our choice, without a trailing dot or space
 * (Win32 strips those before they reach the file system; NT would store what
 * fastfat makes of them, we refuse them: STATUS_OBJECT_NAME_INVALID).
 * A name that is already 8.3 is stored as a short entry alone, the way Windows NT
 * does: "readme.txt" is README.TXT with the lower-case bits set in the entry's NtCase
 * byte (which mtools and Linux honour too); only a name that mixes cases inside one
 * part ("ReadMe.txt"), or does not fit 8.3, gets long-name entries and an alias.
 *
 * Aliases follow the basis-name algorithm of Microsoft's FAT specification: upper
 * case; characters a short name cannot hold become '_' (a "lossy" conversion);
 * spaces and leading periods go; the base is what comes before the last period, with
 * embedded periods dropped (our reading, as Linux does: "a.b.c" is AB~1.C), cut to 8;
 * the extension is the first 3 after the last period. A numeric tail "~N" is added
 * when the conversion was lossy or the name did not fit, and N counts up from 1
 * until the alias is unique in the directory (fatdir.c). Windows switches to hashed
 * tails after ~4; we keep counting (NAME~1 .. NAME~9, NAM~10 ...), which is also valid.
 * Only ASCII goes into the aliases we make; other characters become '_'.
 *
 * Case: names compare with FatpUpcase, NT's upcase table for ASCII, Latin-1, Greek
 * and Cyrillic (a subset of RtlUpcaseUnicodeChar's). Bytes above 0x7F in 8.3 names
 * written by others are read in OEM code page 850 (Western Europe, and what mtools
 * writes by default; US Windows uses 437, which differs mostly in box drawing), so
 * mcopy's "CAFÉ.TXT" is found as "café.txt".
 *
 * Times: FAT keeps a local date and time with 2 s resolution (creation time adds
 * 10 ms units); with no time zones in this kernel they are taken as UTC. Dates
 * run from 1980 to 2107; NT times outside are clamped to the ends.
 */
#include "fatp.h"

/* OEM code page 850, bytes 0x80..0xFF, in Unicode. */
static const WCHAR FatpOemToUnicode[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
    0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
    0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192,
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
    0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
    0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510,
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
    0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x0131, 0x00CD, 0x00CE,
    0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
    0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE,
    0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
    0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
    0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0,
};

/* One byte of an 8.3 name as Unicode; Lower: the entry's case bit for this part. */
static WCHAR FatpShortNameCharacter(UCHAR C, BOOLEAN Lower)
{
    WCHAR W = C < 0x80 ? C : FatpOemToUnicode[C - 0x80];

    if (Lower && ((W >= 'A' && W <= 'Z') || (W >= 0xC0 && W <= 0xDE && W != 0xD7))) {
        W = (WCHAR)(W + 0x20);
    }
    return W;
}

WCHAR FatpUpcase(WCHAR C)
{
    if (C < 'a') {
        return C;
    }
    if (C <= 'z') {
        return (WCHAR)(C - ('a' - 'A'));
    }
    if (C >= 0xE0 && C <= 0xFE && C != 0xF7) {          /* Latin-1 */
        return (WCHAR)(C - 0x20);
    }
    if (C == 0xFF) {
        return 0x178;                                   /* y with diaeresis */
    }
    if (C >= 0x3B1 && C <= 0x3CB && C != 0x3C2) {       /* Greek */
        return (WCHAR)(C - 0x20);
    }
    if (C == 0x3C2) {
        return 0x3A3;                                   /* final sigma */
    }
    if (C >= 0x430 && C <= 0x44F) {                     /* Cyrillic */
        return (WCHAR)(C - 0x20);
    }
    if (C >= 0x450 && C <= 0x45F) {
        return (WCHAR)(C - 0x50);
    }
    return C;
}

BOOLEAN FatpNamesEqual(PCWSTR A, ULONG ALength, PCWSTR B, ULONG BLength)
{
    ULONG Index;

    if (ALength != BLength) {
        return FALSE;
    }
    for (Index = 0; Index < ALength; Index++) {
        if (A[Index] != B[Index] && FatpUpcase(A[Index]) != FatpUpcase(B[Index])) {
            return FALSE;
        }
    }
    return TRUE;
}

static BOOLEAN FatpIsLongNameCharacter(WCHAR C)
{
    return C >= 0x20 && C != '"' && C != '*' && C != '/' && C != ':' && C != '<' && C != '>' &&
           C != '?' && C != '\\' && C != '|';
}

BOOLEAN FatpIsValidLongName(PCWSTR Name, ULONG Length)
{
    ULONG Index;

    if (Length == 0 || Length > FAT_MAX_NAME_LENGTH) {
        return FALSE;
    }
    for (Index = 0; Index < Length; Index++) {
        if (!FatpIsLongNameCharacter(Name[Index])) {
            return FALSE;
        }
    }
    /* Also refuses "." and "..". */
    return Name[Length - 1] != '.' && Name[Length - 1] != ' ';
}

/* What an upper-case ASCII character may be in an 8.3 name (space aside). */
static BOOLEAN FatpIsShortNameCharacter(WCHAR C)
{
    static const char Specials[] = "$%'-_@~`!(){}^#&";

    if ((C >= 'A' && C <= 'Z') || (C >= '0' && C <= '9')) {
        return TRUE;
    }
    return C < 0x80 && C != 0 && strchr(Specials, (int)C) != NULL;
}

BOOLEAN FatpIsShortName(PCWSTR Name, ULONG Length, UCHAR ShortName[11], PUCHAR NtCase)
{
    ULONG Dot = Length, Index, Part, Start, End, Out;
    UCHAR Case = 0;

    if (Length == 0 || Length > 12) {
        return FALSE;
    }
    for (Index = 0; Index < Length; Index++) {
        if (Name[Index] == '.') {
            if (Dot != Length) {
                return FALSE;
            }
            Dot = Index;
        }
    }
    if (Dot == 0 || Dot > 8 || (Dot < Length && (Length - Dot - 1 == 0 || Length - Dot - 1 > 3))) {
        return FALSE;
    }
    memset(ShortName, ' ', 11);
    for (Part = 0; Part < 2; Part++) {
        BOOLEAN Lower = FALSE, Upper = FALSE;

        Start = Part == 0 ? 0 : Dot + 1;
        End = Part == 0 ? Dot : Length;
        Out = Part == 0 ? 0 : 8;
        for (Index = Start; Index < End; Index++) {
            WCHAR C = Name[Index], Up = FatpUpcase(C);

            if (C >= 0x80 || !FatpIsShortNameCharacter(Up)) {
                return FALSE;
            }
            Lower |= C >= 'a' && C <= 'z';
            Upper |= C >= 'A' && C <= 'Z';
            ShortName[Out++] = (UCHAR)Up;
        }
        if (Lower && Upper) {
            return FALSE;           /* "ReadMe": only a long name keeps that */
        }
        if (Lower) {
            Case |= Part == 0 ? FAT_CASE_LOWER_BASE : FAT_CASE_LOWER_EXT;
        }
    }
    *NtCase = Case;
    return TRUE;
}

/* One character of a basis name; *Lossy when it had to become '_'. */
static UCHAR FatpBasisCharacter(WCHAR C, PBOOLEAN Lossy)
{
    WCHAR Up = FatpUpcase(C);

    if (Up < 0x80 && FatpIsShortNameCharacter(Up)) {
        return (UCHAR)Up;
    }
    *Lossy = TRUE;
    return '_';
}

BOOLEAN FatpMakeBasisName(PCWSTR Name, ULONG Length, UCHAR ShortName[11])
{
    ULONG Start = 0, LastDot = Length, Index, Count = 0;
    BOOLEAN Lossy = FALSE, Fits = TRUE;

    memset(ShortName, ' ', 11);
    while (Start < Length && (Name[Start] == '.' || Name[Start] == ' ')) {
        Start++;
        Fits = FALSE;
    }
    for (Index = Start; Index < Length; Index++) {
        if (Name[Index] == '.') {
            LastDot = Index;
        }
    }
    for (Index = Start; Index < LastDot; Index++) {
        if (Name[Index] == ' ' || Name[Index] == '.') {
            Fits = FALSE;           /* embedded spaces and periods are dropped */
        } else if (Count < 8) {
            ShortName[Count++] = FatpBasisCharacter(Name[Index], &Lossy);
        } else {
            Fits = FALSE;
        }
    }
    if (Count == 0) {
        ShortName[0] = '_';
        Fits = FALSE;
    }
    Count = 0;
    for (Index = LastDot + 1; Index < Length; Index++) {
        if (Name[Index] == ' ') {
            Fits = FALSE;
        } else if (Count < 3) {
            ShortName[8 + Count++] = FatpBasisCharacter(Name[Index], &Lossy);
        } else {
            Fits = FALSE;
        }
    }
    return Lossy || !Fits;
}

VOID FatpAddNumericTail(const UCHAR Basis[11], ULONG Number, UCHAR ShortName[11])
{
    UCHAR Tail[8];
    ULONG TailLength = 0, BaseLength = 8, Keep, Index;

    do {
        Tail[7 - TailLength++] = (UCHAR)('0' + Number % 10);
        Number /= 10;
    } while (Number != 0 && TailLength < 7);
    Tail[7 - TailLength++] = '~';
    while (BaseLength > 0 && Basis[BaseLength - 1] == ' ') {
        BaseLength--;
    }
    Keep = BaseLength < 8 - TailLength ? BaseLength : 8 - TailLength;
    memcpy(ShortName, Basis, 11);
    for (Index = 0; Index < 8; Index++) {
        if (Index >= Keep) {
            ShortName[Index] = Index - Keep < TailLength ? Tail[8 - TailLength + (Index - Keep)] : ' ';
        }
    }
}

UCHAR FatpLfnChecksum(const UCHAR ShortName[11])
{
    UCHAR Sum = 0;
    ULONG Index;

    for (Index = 0; Index < 11; Index++) {
        Sum = (UCHAR)(((Sum & 1) << 7) + (Sum >> 1) + ShortName[Index]);
    }
    return Sum;
}

ULONG FatpFormatShortName(const FAT_DIRENT *Dirent, BOOLEAN ApplyCase, PWCHAR Out)
{
    ULONG BaseLength = 8, ExtLength = 3, Index, Length = 0;
    BOOLEAN LowerBase = ApplyCase && (Dirent->NtCase & FAT_CASE_LOWER_BASE);
    BOOLEAN LowerExt = ApplyCase && (Dirent->NtCase & FAT_CASE_LOWER_EXT);

    while (BaseLength > 0 && Dirent->Name[BaseLength - 1] == ' ') {
        BaseLength--;
    }
    while (ExtLength > 0 && Dirent->Name[8 + ExtLength - 1] == ' ') {
        ExtLength--;
    }
    for (Index = 0; Index < BaseLength; Index++) {
        UCHAR C = Dirent->Name[Index];

        if (Index == 0 && C == FAT_DIRENT_E5) {
            C = FAT_DIRENT_DELETED;
        }
        Out[Length++] = FatpShortNameCharacter(C, LowerBase);
    }
    if (ExtLength != 0) {
        Out[Length++] = '.';
        for (Index = 0; Index < ExtLength; Index++) {
            Out[Length++] = FatpShortNameCharacter(Dirent->Name[8 + Index], LowerExt);
        }
    }
    return Length;
}

/* '*' is any run, '?' any one character; case-insensitive. Greedy with one backtrack point. */
BOOLEAN FatpMatchPattern(PCWSTR Pattern, ULONG PatternLength, PCWSTR Name, ULONG NameLength)
{
    ULONG P = 0, N = 0, StarP = 0, StarN = 0;
    BOOLEAN Star = FALSE;

    while (N < NameLength) {
        if (P < PatternLength && Pattern[P] == '*') {
            Star = TRUE;
            StarP = ++P;
            StarN = N;
        } else if (P < PatternLength &&
                   (Pattern[P] == '?' || FatpUpcase(Pattern[P]) == FatpUpcase(Name[N]))) {
            P++;
            N++;
        } else if (Star) {
            P = StarP;
            N = ++StarN;
        } else {
            return FALSE;
        }
    }
    while (P < PatternLength && Pattern[P] == '*') {
        P++;
    }
    return P == PatternLength;
}

/* ---- times ---- */

#define FAT_BASE_YEAR 1980
#define FAT_MAX_YEAR  (FAT_BASE_YEAR + 127)

LONGLONG FatpFatTimeToNtTime(USHORT Date, USHORT Time, UCHAR Tenths)
{
    TIME_FIELDS Fields;
    LARGE_INTEGER NtTime;

    if (Date == 0) {
        return 0;                   /* never set */
    }
    Fields.Year = (SHORT)(FAT_BASE_YEAR + (Date >> 9));
    Fields.Month = (SHORT)((Date >> 5) & 0x0F);
    Fields.Day = (SHORT)(Date & 0x1F);
    Fields.Hour = (SHORT)(Time >> 11);
    Fields.Minute = (SHORT)((Time >> 5) & 0x3F);
    Fields.Second = (SHORT)((Time & 0x1F) * 2 + (Tenths < 200 ? Tenths / 100 : 0));
    Fields.Milliseconds = (SHORT)(Tenths < 200 ? (Tenths % 100) * 10 : 0);
    Fields.Weekday = 0;
    if (!RtlTimeFieldsToTime(&Fields, &NtTime)) {
        return 0;                   /* Feb 30, hour 25...: what NT does with it too */
    }
    return NtTime.QuadPart;
}

VOID FatpNtTimeToFatTime(LONGLONG NtTime, PUSHORT Date, PUSHORT Time, PUCHAR Tenths)
{
    TIME_FIELDS Fields;
    LARGE_INTEGER Value;

    Value.QuadPart = NtTime > 0 ? NtTime : 0;
    RtlTimeToTimeFields(&Value, &Fields);
    if (Fields.Year < FAT_BASE_YEAR) {
        *Date = (1 << 5) | 1;       /* 1980-01-01 00:00:00 */
        *Time = 0;
        *Tenths = 0;
    } else if (Fields.Year > FAT_MAX_YEAR) {
        *Date = (USHORT)((127 << 9) | (12 << 5) | 31);
        *Time = (USHORT)((23 << 11) | (59 << 5) | 29);
        *Tenths = 199;
    } else {
        *Date = (USHORT)(((Fields.Year - FAT_BASE_YEAR) << 9) | (Fields.Month << 5) | Fields.Day);
        *Time = (USHORT)((Fields.Hour << 11) | (Fields.Minute << 5) | (Fields.Second / 2));
        *Tenths = (UCHAR)((Fields.Second % 2) * 100 + Fields.Milliseconds / 10);
    }
}

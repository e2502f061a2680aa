/*
 * crtsrch.c - more of the C library's string routines NT's ntdll exports (cdecl):
 * the bounded copies (strncpy strncat wcsncpy wcsncat), the searches (memchr
 * strstr strspn strcspn strpbrk and the wide ones), wcsnlen, the case changers
 * (_strlwr _strupr _wcslwr _wcsupr, "C" locale: ASCII letters; the wide ones
 * through towlower/towupper), _memicmp, _memccpy, and qsort/bsearch/_lfind.
 *
 * strncpy pads the rest of the destination with NULs and does not terminate a
 * source at least Count long; strncat always terminates (Count characters at most,
 * then a NUL), as C says.
 */
#include "rtlp.h"

char *__cdecl strncpy(char *Destination, const char *Source, size_t Count)
{
    size_t Index = 0;

    for (; Index < Count && Source[Index] != '\0'; Index++)
        Destination[Index] = Source[Index];
    for (; Index < Count; Index++)
        Destination[Index] = '\0';
    return Destination;
}

WCHAR *__cdecl wcsncpy(WCHAR *Destination, const WCHAR *Source, size_t Count)
{
    size_t Index = 0;

    for (; Index < Count && Source[Index] != 0; Index++)
        Destination[Index] = Source[Index];
    for (; Index < Count; Index++)
        Destination[Index] = 0;
    return Destination;
}

char *__cdecl strncat(char *Destination, const char *Source, size_t Count)
{
    char *End = Destination + strlen(Destination);

    while (Count-- > 0 && *Source != '\0')
        *End++ = *Source++;
    *End = '\0';
    return Destination;
}

WCHAR *__cdecl wcsncat(WCHAR *Destination, const WCHAR *Source, size_t Count)
{
    WCHAR *End = Destination + wcslen(Destination);

    while (Count-- > 0 && *Source != 0)
        *End++ = *Source++;
    *End = 0;
    return Destination;
}

size_t __cdecl wcsnlen(const WCHAR *String, size_t MaxLength)
{
    size_t Length = 0;

    while (Length < MaxLength && String[Length] != 0)
        Length++;
    return Length;
}

void *__cdecl memchr(const void *Buffer, int Character, size_t Length)
{
    const UCHAR *Byte = Buffer;

    for (; Length > 0; Length--, Byte++)
        if (*Byte == (UCHAR)Character)
            return (void *)Byte;
    return NULL;
}

char *__cdecl strstr(const char *String, const char *Pattern)
{
    size_t Length = strlen(Pattern);

    for (;; String++) {
        if (strncmp(String, Pattern, Length) == 0)
            return (char *)String;
        if (*String == '\0')
            return NULL;
    }
}

WCHAR *__cdecl wcsstr(const WCHAR *String, const WCHAR *Pattern)
{
    size_t Length = wcslen(Pattern);

    for (;; String++) {
        if (wcsncmp(String, Pattern, Length) == 0)
            return (WCHAR *)String;
        if (*String == 0)
            return NULL;
    }
}

/* The length of String's first run of characters that are (In) or are not in Set. */
static size_t RtlpSpan(const char *String, const char *Set, BOOLEAN In)
{
    size_t Length = 0;

    for (; String[Length] != '\0'; Length++) {
        const char *Member = Set;
        while (*Member != '\0' && *Member != String[Length])
            Member++;
        if ((*Member != '\0') != In)
            break;
    }
    return Length;
}

static size_t RtlpSpanWide(const WCHAR *String, const WCHAR *Set, BOOLEAN In)
{
    size_t Length = 0;

    for (; String[Length] != 0; Length++) {
        const WCHAR *Member = Set;
        while (*Member != 0 && *Member != String[Length])
            Member++;
        if ((*Member != 0) != In)
            break;
    }
    return Length;
}

size_t __cdecl strspn(const char *String, const char *Set) { return RtlpSpan(String, Set, TRUE); }
size_t __cdecl strcspn(const char *String, const char *Set) { return RtlpSpan(String, Set, FALSE); }
size_t __cdecl wcsspn(const WCHAR *String, const WCHAR *Set) { return RtlpSpanWide(String, Set, TRUE); }
size_t __cdecl wcscspn(const WCHAR *String, const WCHAR *Set) { return RtlpSpanWide(String, Set, FALSE); }

char *__cdecl strpbrk(const char *String, const char *Set)
{
    String += RtlpSpan(String, Set, FALSE);
    return *String != '\0' ? (char *)String : NULL;
}

WCHAR *__cdecl wcspbrk(const WCHAR *String, const WCHAR *Set)
{
    String += RtlpSpanWide(String, Set, FALSE);
    return *String != 0 ? (WCHAR *)String : NULL;
}

char *__cdecl _strlwr(char *String)
{
    for (char *At = String; *At != '\0'; At++)
        *At = (char)tolower((UCHAR)*At);
    return String;
}

char *__cdecl _strupr(char *String)
{
    for (char *At = String; *At != '\0'; At++)
        *At = (char)toupper((UCHAR)*At);
    return String;
}

WCHAR *__cdecl _wcslwr(WCHAR *String)
{
    for (WCHAR *At = String; *At != 0; At++)
        *At = towlower(*At);
    return String;
}

WCHAR *__cdecl _wcsupr(WCHAR *String)
{
    for (WCHAR *At = String; *At != 0; At++)
        *At = towupper(*At);
    return String;
}

int __cdecl _memicmp(const void *A, const void *B, size_t Length)
{
    const UCHAR *Left = A, *Right = B;

    for (; Length > 0; Length--, Left++, Right++) {
        int Difference = tolower(*Left) - tolower(*Right);
        if (Difference != 0)
            return Difference;
    }
    return 0;
}

/* ---- qsort, bsearch ---- */

typedef int (__cdecl *RTLP_COMPARE)(const void *, const void *);

static void RtlpSwapElements(PUCHAR A, PUCHAR B, size_t Size)
{
    while (Size-- > 0) {
        UCHAR Byte = *A;
        *A++ = *B;
        *B++ = Byte;
    }
}

/*
 * Heapsort: no recursion (a native thread's stack may be small) and O(n log n)
 * whatever the input; qsort makes no promise of stability, nor does this.
 */
static void RtlpSiftDown(PUCHAR Base, size_t Root, size_t Count, size_t Size, RTLP_COMPARE Compare)
{
    for (;;) {
        size_t Child = 2 * Root + 1;
        if (Child >= Count)
            return;
        if (Child + 1 < Count && Compare(Base + Child * Size, Base + (Child + 1) * Size) < 0)
            Child++;
        if (Compare(Base + Root * Size, Base + Child * Size) >= 0)
            return;
        RtlpSwapElements(Base + Root * Size, Base + Child * Size, Size);
        Root = Child;
    }
}

void __cdecl qsort(void *Base, size_t Count, size_t Size, RTLP_COMPARE Compare)
{
    PUCHAR Elements = Base;
    size_t Index;

    if (Count < 2 || Size == 0)
        return;
    for (Index = Count / 2; Index-- > 0;)
        RtlpSiftDown(Elements, Index, Count, Size, Compare);
    for (Index = Count - 1; Index > 0; Index--) {
        RtlpSwapElements(Elements, Elements + Index * Size, Size);
        RtlpSiftDown(Elements, 0, Index, Size, Compare);
    }
}

void *__cdecl bsearch(const void *Key, const void *Base, size_t Count, size_t Size, RTLP_COMPARE Compare)
{
    const UCHAR *Elements = Base;
    size_t Low = 0, High = Count;

    while (Low < High) {
        size_t Middle = Low + (High - Low) / 2;
        int Order = Compare(Key, Elements + Middle * Size);
        if (Order == 0)
            return (void *)(Elements + Middle * Size);
        if (Order < 0)
            High = Middle;
        else
            Low = Middle + 1;
    }
    return NULL;
}

/* Copies up to and with the first byte equal to Character: the byte after it in
   Destination, or NULL when Count bytes held none (all Count were copied). */
void *__cdecl _memccpy(void *Destination, const void *Source, int Character, size_t Count)
{
    PUCHAR Target = Destination;
    const UCHAR *From = Source;

    while (Count-- > 0) {
        *Target = *From++;
        if (*Target++ == (UCHAR)Character)
            return Target;
    }
    return NULL;
}

/* A linear search of *Count elements (MSVCRT's: the count by pointer, unchanged here). */
void *__cdecl _lfind(const void *Key, const void *Base, unsigned int *Count, unsigned int Size,
                     RTLP_COMPARE Compare)
{
    const UCHAR *Element = Base;

    for (unsigned int Index = 0; Index < *Count; Index++, Element += Size)
        if (Compare(Key, Element) == 0)
            return (void *)Element;
    return NULL;
}

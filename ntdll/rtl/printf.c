/*
 * printf.c - the formatting functions NT's ntdll exports to native programs,
 * with Microsoft's C-library semantics (cdecl), on the kernel's own formatter
 * (kernel/rtl/format.c, built into ntdll too; conversions as documented there:
 * no floating point, no %n).
 *
 * Microsoft's counted forms differ from C99's snprintf: _snprintf(Buffer, Count)
 * writes at most Count characters, adds the NUL only when the output is shorter
 * than Count, and returns -1 when the output did not fit (Count itself when it
 * fitted exactly, unterminated). sprintf and swprintf (ntdll's swprintf has no
 * count, the pre-ISO signature), vsprintf, _swprintf and _vswprintf trust the
 * buffer to be large enough; _vscprintf and _vscwprintf only count.
 */
#include "rtlp.h"

/* sprintf and swprintf: "large enough" is taken as INT_MAX characters. */
#define RTLP_UNBOUNDED 0x7FFFFFFF

static int RtlpCounted(PVOID Buffer, size_t Count, BOOLEAN Wide, PCVOID Format, va_list Args)
{
    SIZE_T Length = RtlFormatCharacters(Buffer, Count, Wide, Format, Args);

    if (Length < Count) {
        if (Wide)
            ((PWCHAR)Buffer)[Length] = 0;
        else
            ((PCHAR)Buffer)[Length] = 0;
        return (int)Length;
    }
    return Length == Count && Length <= RTLP_UNBOUNDED ? (int)Length : -1;
}

int __cdecl _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args)
{
    return RtlpCounted(Buffer, Count, FALSE, Format, Args);
}

int __cdecl _snprintf(char *Buffer, size_t Count, const char *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = RtlpCounted(Buffer, Count, FALSE, Format, Args);
    va_end(Args);
    return Length;
}

int __cdecl sprintf(char *Buffer, const char *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = RtlpCounted(Buffer, RTLP_UNBOUNDED, FALSE, Format, Args);
    va_end(Args);
    return Length;
}

int __cdecl _vsnwprintf(WCHAR *Buffer, size_t Count, const WCHAR *Format, va_list Args)
{
    return RtlpCounted(Buffer, Count, TRUE, Format, Args);
}

int __cdecl _snwprintf(WCHAR *Buffer, size_t Count, const WCHAR *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = RtlpCounted(Buffer, Count, TRUE, Format, Args);
    va_end(Args);
    return Length;
}

int __cdecl swprintf(WCHAR *Buffer, const WCHAR *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = RtlpCounted(Buffer, RTLP_UNBOUNDED, TRUE, Format, Args);
    va_end(Args);
    return Length;
}

int __cdecl vsprintf(char *Buffer, const char *Format, va_list Args)
{
    return RtlpCounted(Buffer, RTLP_UNBOUNDED, FALSE, Format, Args);
}

/* Microsoft's non-ISO wide forms: no count, the buffer trusted (MinGW declares
   both so); swprintf above is the same function under NT's older name. */
int __cdecl _vswprintf(WCHAR *Buffer, const WCHAR *Format, va_list Args)
{
    return RtlpCounted(Buffer, RTLP_UNBOUNDED, TRUE, Format, Args);
}

int __cdecl _swprintf(WCHAR *Buffer, const WCHAR *Format, ...)
{
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = RtlpCounted(Buffer, RTLP_UNBOUNDED, TRUE, Format, Args);
    va_end(Args);
    return Length;
}

/* The characters the text would take, its NUL not counted: nothing is stored. */
int __cdecl _vscprintf(const char *Format, va_list Args)
{
    SIZE_T Length = RtlFormatCharacters(NULL, 0, FALSE, Format, Args);
    return Length <= RTLP_UNBOUNDED ? (int)Length : -1;
}

int __cdecl _vscwprintf(const WCHAR *Format, va_list Args)
{
    SIZE_T Length = RtlFormatCharacters(NULL, 0, TRUE, Format, Args);
    return Length <= RTLP_UNBOUNDED ? (int)Length : -1;
}

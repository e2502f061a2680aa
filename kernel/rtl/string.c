/*
 * string.c - the C library's memory and string helpers, for a kernel without a libc.
 *
 * gcc emits calls to memcpy, memmove, memset and memcmp on its own (structure copies,
 * large initializers) even with -ffreestanding, so these must exist under exactly
 * these names. The host unit tests link this file in place of the C library's
 * versions (they are compiled with -fno-builtin), so everything here must be exact
 * C semantics, not "good enough for the kernel".
 */
#include <rtl.h>

/*
 * At -O2 gcc recognizes a byte-copy or byte-fill loop and replaces it with a call to
 * memcpy or memset, which inside memcpy and memset themselves is infinite recursion.
 * -ffreestanding does not stop that transformation, so turn it off for every function
 * in this file.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define RTLP_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define RTLP_NO_LIBCALLS
#endif

/* The string compares work on unsigned char, as C requires ("é" sorts after "z"). */
static inline int RtlpCompareBytes(unsigned char A, unsigned char B)
{
    return (int)A - (int)B;
}

/* ASCII-only case folding to lower case, like Microsoft's _stricmp in the "C" locale. */
static inline unsigned char RtlpFoldAscii(unsigned char Character)
{
    if (Character >= 'A' && Character <= 'Z') {
        return (unsigned char)(Character - 'A' + 'a');
    }
    return Character;
}

RTLP_NO_LIBCALLS
void *memcpy(void *Destination, const void *Source, size_t Length)
{
#if defined(__i386__) && !defined(NT_HOST_TEST)
    /* Dwords, then the 0-3 bytes left: a quarter of the iterations of rep movsb,
       which is what -icount (and older processors) count. The ABI guarantees the
       direction flag is clear on entry. */
    void *Target = Destination;
    size_t Dwords = Length >> 2, Bytes = Length & 3;

    __asm__ volatile("rep movsl\n\t"
                     "movl %3, %%ecx\n\t"
                     "rep movsb"
                     : "+D"(Target), "+S"(Source), "+c"(Dwords)
                     : "d"(Bytes)
                     : "memory");
#else
    unsigned char *Target = Destination;
    const unsigned char *From = Source;

    while (Length-- != 0) {
        *Target++ = *From++;
    }
#endif
    return Destination;
}

RTLP_NO_LIBCALLS
void *memmove(void *Destination, const void *Source, size_t Length)
{
    unsigned char *Target = Destination;
    const unsigned char *From = Source;

    if (Target == From || Length == 0) {
        return Destination;
    }

    /*
     * Copying forward is safe unless the destination starts inside the source
     * (it would overwrite source bytes before reading them); then copy backward.
     * Compare as integers: the two pointers need not point into the same object.
     */
    if ((uintptr_t)Target < (uintptr_t)From ||
        (uintptr_t)Target - (uintptr_t)From >= Length) {
        while (Length-- != 0) {
            *Target++ = *From++;
        }
    } else {
        Target += Length;
        From += Length;
        while (Length-- != 0) {
            *--Target = *--From;
        }
    }
    return Destination;
}

RTLP_NO_LIBCALLS
void *memset(void *Destination, int Value, size_t Length)
{
#if defined(__i386__) && !defined(NT_HOST_TEST)
    /* The byte in all four lanes of EAX, then dwords and the bytes left, as memcpy. */
    void *Target = Destination;
    size_t Dwords = Length >> 2, Bytes = Length & 3;
    unsigned int Pattern = (unsigned char)Value * 0x01010101U;

    __asm__ volatile("rep stosl\n\t"
                     "movl %3, %%ecx\n\t"
                     "rep stosb"
                     : "+D"(Target), "+c"(Dwords)
                     : "a"(Pattern), "d"(Bytes)
                     : "memory");
#else
    unsigned char *Target = Destination;

    while (Length-- != 0) {
        *Target++ = (unsigned char)Value;
    }
#endif
    return Destination;
}

RTLP_NO_LIBCALLS
int memcmp(const void *A, const void *B, size_t Length)
{
    const unsigned char *Left = A;
    const unsigned char *Right = B;
    size_t Index;

    for (Index = 0; Index < Length; Index++) {
        if (Left[Index] != Right[Index]) {
            return RtlpCompareBytes(Left[Index], Right[Index]);
        }
    }
    return 0;
}

RTLP_NO_LIBCALLS
size_t strlen(const char *String)
{
    const char *End = String;

    while (*End != '\0') {
        End++;
    }
    return (size_t)(End - String);
}

/* Never reads past String[MaxLength - 1], so it is safe on unterminated buffers. */
RTLP_NO_LIBCALLS
size_t strnlen(const char *String, size_t MaxLength)
{
    size_t Length = 0;

    while (Length < MaxLength && String[Length] != '\0') {
        Length++;
    }
    return Length;
}

RTLP_NO_LIBCALLS
int strcmp(const char *A, const char *B)
{
    const unsigned char *Left = (const unsigned char *)A;
    const unsigned char *Right = (const unsigned char *)B;

    while (*Left != '\0' && *Left == *Right) {
        Left++;
        Right++;
    }
    return RtlpCompareBytes(*Left, *Right);
}

RTLP_NO_LIBCALLS
int strncmp(const char *A, const char *B, size_t Length)
{
    const unsigned char *Left = (const unsigned char *)A;
    const unsigned char *Right = (const unsigned char *)B;
    size_t Index;

    for (Index = 0; Index < Length; Index++) {
        if (Left[Index] != Right[Index] || Left[Index] == '\0') {
            return RtlpCompareBytes(Left[Index], Right[Index]);
        }
    }
    return 0;
}

/* As in C, the terminating NUL is part of the string: strchr(s, 0) finds it. */
RTLP_NO_LIBCALLS
char *strchr(const char *String, int Character)
{
    const char Wanted = (char)Character;

    for (;;) {
        if (*String == Wanted) {
            return (char *)String;
        }
        if (*String == '\0') {
            return NULL;
        }
        String++;
    }
}

RTLP_NO_LIBCALLS
int _stricmp(const char *A, const char *B)
{
    const unsigned char *Left = (const unsigned char *)A;
    const unsigned char *Right = (const unsigned char *)B;
    unsigned char FoldedLeft;
    unsigned char FoldedRight;

    do {
        FoldedLeft = RtlpFoldAscii(*Left++);
        FoldedRight = RtlpFoldAscii(*Right++);
    } while (FoldedLeft != '\0' && FoldedLeft == FoldedRight);

    return RtlpCompareBytes(FoldedLeft, FoldedRight);
}

RTLP_NO_LIBCALLS
int _strnicmp(const char *A, const char *B, size_t Length)
{
    const unsigned char *Left = (const unsigned char *)A;
    const unsigned char *Right = (const unsigned char *)B;
    size_t Index;

    for (Index = 0; Index < Length; Index++) {
        unsigned char FoldedLeft = RtlpFoldAscii(Left[Index]);
        unsigned char FoldedRight = RtlpFoldAscii(Right[Index]);

        if (FoldedLeft != FoldedRight || FoldedLeft == '\0') {
            return RtlpCompareBytes(FoldedLeft, FoldedRight);
        }
    }
    return 0;
}

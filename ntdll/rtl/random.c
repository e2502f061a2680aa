/*
 * random.c - NT's pseudo-random numbers, whose state is the caller's seed:
 * RtlUniform, a Lehmer-style generator modulo 2^31 - 1 (the multiplier and
 * increment NT documents by behaviour: seed' = (seed * 0x7FFFFFED + 0x7FFFFFC3)
 * mod 0x7FFFFFFF), and RtlRandom / RtlRandomEx, which draw through a shuffle table
 * (Bays-Durham) fed by RtlUniform so that successive values are less correlated.
 * All return values lie in 0 .. MAXLONG - 1. The shuffle table is the process's,
 * as NT's is; it is not locked (NT's is not either: the values are only less random
 * when two threads race, never out of range).
 */
#include "rtlp.h"

#define RTLP_UNIFORM_MULTIPLIER 0x7FFFFFEDUL
#define RTLP_UNIFORM_INCREMENT  0x7FFFFFC3UL
#define RTLP_UNIFORM_MODULUS    0x7FFFFFFFUL
#define RTLP_SHUFFLE_SIZE       128

ULONG NTAPI RtlUniform(PULONG Seed)
{
    ULONG Remainder;

    (VOID)RtlpDivide64By32((ULONGLONG)*Seed * RTLP_UNIFORM_MULTIPLIER + RTLP_UNIFORM_INCREMENT,
                           RTLP_UNIFORM_MODULUS, &Remainder);
    *Seed = Remainder;
    return Remainder;
}

static ULONG RtlpShuffle[RTLP_SHUFFLE_SIZE];
static ULONG RtlpShuffleLast;
static BOOLEAN RtlpShuffleReady;

ULONG NTAPI RtlRandom(PULONG Seed)
{
    ULONG Index, Value;

    if (!RtlpShuffleReady) {
        ULONG Fill = 0x5EED1234;
        for (Index = 0; Index < RTLP_SHUFFLE_SIZE; Index++)
            RtlpShuffle[Index] = RtlUniform(&Fill);
        RtlpShuffleLast = RtlUniform(&Fill);
        RtlpShuffleReady = TRUE;
    }
    /* The last value picks the slot; the slot's value is returned and refilled. */
    Index = RtlpShuffleLast % RTLP_SHUFFLE_SIZE;
    Value = RtlpShuffle[Index];
    RtlpShuffle[Index] = RtlUniform(Seed);
    RtlpShuffleLast = Value;
    return Value;
}

ULONG NTAPI RtlRandomEx(PULONG Seed)
{
    return RtlRandom(Seed);
}

/*
 * divide.c - 64-bit by 32-bit unsigned division using only 32-bit operations.
 *
 * On i386 gcc compiles a 64-bit '/' or '%' into a call to libgcc's __udivdi3 or
 * __umoddi3, and the kernel is deliberately linked without libgcc. The formatter
 * (decimal output of 64-bit values) and the time code (splitting a 100ns count)
 * need such divisions, so they share this helper.
 *
 * Method: schoolbook long division with 32-bit "digits". The high half is divided
 * with an ordinary 32-bit division; its remainder is carried into the low half,
 * which is then divided one bit at a time (the carried remainder and the low half
 * together form a 64-bit value whose quotient does fit in 32 bits, but computing it
 * with one C division would again need a 64-bit '/').
 */
#include <rtl.h>

/*
 * Divides (High:Low) by Divisor where High < Divisor, so the quotient fits in 32 bits.
 * Classic restoring shift-subtract division: shift the partial remainder left one bit
 * at a time, bringing in the next bit of Low, and subtract Divisor whenever it fits.
 */
static ULONG RtlpDivideCarried(ULONG High, ULONG Low, ULONG Divisor, PULONG Remainder)
{
    ULONG Quotient = 0;
    ULONG Partial = High;
    int Bit;

    for (Bit = 31; Bit >= 0; Bit--) {
        /*
         * Partial < Divisor < 2^32 before the shift, so after it the true value
         * (Partial * 2 + next bit) is below 2^33: bit 32 is the bit shifted out of
         * the top. If it was set the true value certainly exceeds Divisor, and the
         * 32-bit subtraction below wraps to the correct result (which is < Divisor).
         */
        ULONG Overflow = Partial >> 31;

        Partial = (Partial << 1) | ((Low >> Bit) & 1);
        Quotient <<= 1;
        if (Overflow != 0 || Partial >= Divisor) {
            Partial -= Divisor;
            Quotient |= 1;
        }
    }

    *Remainder = Partial;
    return Quotient;
}

ULONGLONG RtlpDivide64By32(ULONGLONG Dividend, ULONG Divisor, PULONG Remainder)
{
    ULONG High = (ULONG)(Dividend >> 32);
    ULONG Low = (ULONG)Dividend;
    ULONG QuotientHigh;
    ULONG QuotientLow;
    ULONG Rest;

    /* Most callers divide values that fit in 32 bits: one hardware division. */
    if (High == 0) {
        QuotientHigh = 0;
        QuotientLow = Low / Divisor;
        Rest = Low % Divisor;
    } else {
        QuotientHigh = High / Divisor;
        QuotientLow = RtlpDivideCarried(High % Divisor, Low, Divisor, &Rest);
    }

    if (Remainder != NULL) {
        *Remainder = Rest;
    }
    return ((ULONGLONG)QuotientHigh << 32) | QuotientLow;
}

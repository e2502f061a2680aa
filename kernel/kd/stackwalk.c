/*
 * stackwalk.c - following the chain of EBP frames (NT: RtlWalkFrameChain,
 * RtlCaptureStackBackTrace, the "k" command of the kernel debugger).
 *
 * The kernel is built with -fno-omit-frame-pointer, so every function's frame is
 * [EBP] = caller's EBP, [EBP + 4] = return address. Trap frames keep the chain
 * going (DbgEbp/DbgEip). The walk trusts nothing: each frame must be readable,
 * 4-byte aligned, and above the previous one (stacks grow down), and a zero EBP
 * (set at the kernel's entry) ends it.
 *
 * One blind spot: gcc builds a leaf function that needs no stack at all without a
 * frame, even with -fno-omit-frame-pointer. A trap inside one still shows that
 * function (the first address is the trapping EIP), but not its caller.
 */
#include <kd.h>

ULONG KdpWalkFrames(ULONG Eip, ULONG Ebp, ULONG MaxFrames, PKD_IS_READABLE IsReadable,
                    PKD_FRAME_CALLBACK Callback, PVOID Context)
{
    ULONG Count = 0;

    if (MaxFrames == 0)
        return 0;
    Callback(Context, Eip);
    Count++;

    while (Count < MaxFrames && Ebp != 0 && (Ebp & 3) == 0 &&
           IsReadable(Ebp, 2 * sizeof(ULONG))) {
        const ULONG *Frame = (const ULONG *)(ULONG_PTR)Ebp;
        ULONG NextEbp = Frame[0];
        ULONG ReturnAddress = Frame[1];

        if (ReturnAddress == 0)
            break;
        Callback(Context, ReturnAddress);
        Count++;
        if (NextEbp <= Ebp)
            break;              /* a chain must climb the stack; anything else is corrupt */
        Ebp = NextEbp;
    }
    return Count;
}

/*
 * bench.c - running the registered benchmarks (bench.h).
 */
#include <bench.h>
#include <ke.h>
#include <kd.h>
#include <rtl.h>

extern const KBENCHMARK __BenchmarksStart[], __BenchmarksEnd[];

/* Not inlined, so the empty operation costs a real call, as the measured one does. */
__attribute__((noinline)) static VOID KipEmptyOperation(PVOID Context)
{
    __asm__ volatile("" : : "r"(Context) : "memory");
}

static ULONGLONG KipTimeLoop(PKBENCH_OPERATION Operation, PVOID Context, ULONG Iterations)
{
    ULONGLONG Start = __rdtsc();
    ULONG Index;

    for (Index = 0; Index < Iterations; Index++)
        Operation(Context);
    return __rdtsc() - Start;
}

ULONGLONG KeBenchLoop(PKBENCH_OPERATION Operation, PVOID Context, ULONG Iterations)
{
    ULONGLONG Work, Empty;
    ULONG Remainder;

    if (Iterations == 0)
        return 0;
    Work = KipTimeLoop(Operation, Context, Iterations);
    Empty = KipTimeLoop(KipEmptyOperation, Context, Iterations);
    if (Work <= Empty)
        return 0;
    return RtlpDivide64By32(Work - Empty, Iterations, &Remainder);
}

VOID KiRunBenchmarks(VOID)
{
    const KBENCHMARK *Bench;

    for (Bench = __BenchmarksStart; Bench < __BenchmarksEnd; Bench++) {
        ULONGLONG Value = Bench->Routine();
        DbgPrint("BENCH %s %llu %s\n", Bench->Name, Value, Bench->Description);
    }
}

/*
 * services.c - the service table (one entry per SC line of scfuzz.h, with its import
 * address table slot) and the raw doors: the service number an ntdll stub loads,
 * INT 2E and KiFastSystemCall with any number, and ScCall, which calls a service's
 * export with any arguments.
 */
#include "scfuzz.h"

#define SC_ENTRY(Name, Bytes, Kinds, Flags) { #Name, &ScImport_##Name, Kinds, Flags },
const SC_SERVICE Services[SERVICE_COUNT] = { SC_SERVICES(SC_ENTRY) };

ULONG ServiceIndex(PVOID *Import)
{
    ULONG Index;

    for (Index = 0; Index < SERVICE_COUNT; Index++)
        if (Services[Index].Import == Import)
            return Index;
    return 0;
}

/*
 * Calls Function (stdcall) with Count arguments: ESP is restored from ESI after the
 * call, whatever the callee popped.
 */
__asm__(".globl _ScCall\n"
        "_ScCall:\n"
        "    push %ebp\n"
        "    mov %esp, %ebp\n"
        "    push %esi\n"
        "    push %edi\n"
        "    push %ebx\n"
        "    mov %esp, %esi\n"
        "    mov 12(%ebp), %ecx\n"
        "    mov 16(%ebp), %edx\n"
        "1:  test %ecx, %ecx\n"
        "    jz 2f\n"
        "    dec %ecx\n"
        "    push (%edx,%ecx,4)\n"
        "    jmp 1b\n"
        "2:  call *8(%ebp)\n"
        "    mov %esi, %esp\n"
        "    pop %ebx\n"
        "    pop %edi\n"
        "    pop %esi\n"
        "    pop %ebp\n"
        "    ret\n");

/* The service number an ntdll stub loads (mov eax, imm32: B8 xx xx xx xx). */
ULONG StubNumber(PVOID Stub)
{
    const UCHAR *Code = Stub;

    return Code[0] == 0xB8 ? *(const ULONG *)(Code + 1) : 0xFFFFFFFF;
}

/* INT 2E with EAX = Number and EDX = Arguments: what comes back in EAX. */
NTSTATUS Int2e(ULONG Number, ULONG_PTR Arguments)
{
    NTSTATUS Status;
    ULONG_PTR Edx = Arguments;

    __asm__ volatile("int $0x2e" : "=a"(Status), "+d"(Edx) : "a"(Number) : "ecx", "memory");
    return Status;
}

/* The same through SharedUserData->SystemCall (KiFastSystemCall with SYSENTER). */
NTSTATUS FastCall(ULONG Number)
{
    NTSTATUS Status;
    ULONG_PTR Door = *(volatile ULONG_PTR *)0x7FFE0300;

    __asm__ volatile("call *%%edx" : "=a"(Status), "+d"(Door) : "a"(Number) : "ecx", "memory");
    return Status;
}

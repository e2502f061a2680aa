/*
 * privinst.c - is the instruction a #GP stopped in ring 3 a privileged one?
 * (NT's KiTrap0D decodes the same way, to report STATUS_PRIVILEGED_INSTRUCTION
 * for HLT or CLI rather than an access violation.) Pure logic: the trap handler
 * reads the bytes from user memory first.
 *
 * Privileged for ring 3 here means: only CPL 0 may run it (HLT, LGDT, MOV CR0,
 * WRMSR, ...), or it is IOPL-sensitive and user threads run with IOPL 0 and no
 * I/O permission bitmap (CLI, STI, IN, OUT, INS, OUTS). RDTSC is not in the list
 * (CR4.TSD stays clear: user mode may read the time-stamp counter, the benchmarks
 * do); RDPMC is (CR4.PCE stays clear).
 */
#include "excframe.h"

/* Legacy prefixes: segment overrides, operand and address size, LOCK, REP. */
static BOOLEAN KipIsPrefix(UCHAR Byte)
{
    switch (Byte) {
    case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
    case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3:
        return TRUE;
    default:
        return FALSE;
    }
}

#define KI_MAX_INSTRUCTION_LENGTH 15
#define MODRM_MOD(ModRm) ((ModRm) >> 6)
#define MODRM_REG(ModRm) (((ModRm) >> 3) & 7)

/* The two-byte opcodes 0F xx (ModRm the byte after, when there is one). */
static BOOLEAN KipIsPrivilegedTwoByte(UCHAR Opcode, const UCHAR *ModRm)
{
    switch (Opcode) {
    case 0x00:  /* group 6: LLDT (/2), LTR (/3); SLDT, STR, VERR, VERW are not */
        return ModRm != NULL && (MODRM_REG(*ModRm) == 2 || MODRM_REG(*ModRm) == 3);
    case 0x01:  /* group 7: LGDT (/2), LIDT (/3), INVLPG (/7) with a memory operand
                   (register forms are XGETBV, RDTSCP, ...), LMSW (/6) either way */
        if (ModRm == NULL)
            return FALSE;
        if (MODRM_REG(*ModRm) == 6)
            return TRUE;
        return MODRM_MOD(*ModRm) != 3 &&
               (MODRM_REG(*ModRm) == 2 || MODRM_REG(*ModRm) == 3 || MODRM_REG(*ModRm) == 7);
    case 0x06:  /* CLTS */
    case 0x08:  /* INVD */
    case 0x09:  /* WBINVD */
    case 0x20: case 0x21: case 0x22: case 0x23:    /* MOV to and from CRn, DRn */
    case 0x24: case 0x26:                           /* MOV TRn (386/486) */
    case 0x30:  /* WRMSR */
    case 0x32:  /* RDMSR */
    case 0x33:  /* RDPMC */
    case 0x35:  /* SYSEXIT */
        return TRUE;
    default:
        return FALSE;
    }
}

BOOLEAN KiIsPrivilegedInstruction(const UCHAR *Code, ULONG Length)
{
    ULONG Index = 0;

    if (Length > KI_MAX_INSTRUCTION_LENGTH)
        Length = KI_MAX_INSTRUCTION_LENGTH;
    while (Index < Length && KipIsPrefix(Code[Index]))
        Index++;
    if (Index >= Length)
        return FALSE;

    switch (Code[Index]) {
    case 0xF4:                          /* HLT */
    case 0xFA: case 0xFB:               /* CLI, STI */
    case 0xE4: case 0xE5: case 0xE6: case 0xE7:     /* IN, OUT with an immediate port */
    case 0xEC: case 0xED: case 0xEE: case 0xEF:     /* IN, OUT with DX */
    case 0x6C: case 0x6D: case 0x6E: case 0x6F:     /* INS, OUTS */
        return TRUE;
    case 0x0F:
        if (Index + 1 >= Length)
            return FALSE;
        return KipIsPrivilegedTwoByte(Code[Index + 1], Index + 2 < Length ? &Code[Index + 2] : NULL);
    default:
        return FALSE;
    }
}

/*
 * excframe.h - the pure parts of delivering an exception to user mode (no memory
 * access, no processor state): what KiDispatchException writes to the user stack
 * and where the thread then resumes (excframe.c), and which instructions a #GP
 * from ring 3 calls privileged (privinst.c). Compiled on the host by the unit tests
 * (tests/unit/test_excframe.c) as well as into the kernel.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/context.h>
#include <nt/ntexcept.h>
#include <i386/ketypes.h>

/*
 * The frame NT's i386 KiDispatchException leaves below the interrupted ESP (rounded
 * down to 4 bytes), from high to low addresses:
 *     CONTEXT                       (0x2CC bytes)
 *     EXCEPTION_RECORD              (0x14 + 4 * NumberParameters bytes: the unused
 *                                    parameters are not copied)
 *     PCONTEXT          [esp + 4]   -> the CONTEXT above
 *     PEXCEPTION_RECORD [esp + 0]   -> the record above
 * and KiUserExceptionDispatcher starts with ESP at the two pointers.
 */
#define KI_EXCEPTION_RECORD_HEADER  offsetof(EXCEPTION_RECORD, ExceptionInformation)
#define KI_USER_EXCEPTION_FRAME_MAX (2 * sizeof(ULONG) + sizeof(EXCEPTION_RECORD) + sizeof(CONTEXT))

typedef struct _KI_USER_EXCEPTION_FRAME {
    ULONG Esp;          /* where the image goes, and the dispatcher's ESP */
    ULONG Length;       /* bytes of Image used */
    ULONG RecordAddress;    /* the record's user address (Image + 8) */
    ULONG ContextAddress;   /* the CONTEXT's user address */
    UCHAR Image[KI_USER_EXCEPTION_FRAME_MAX];   /* the bytes, lowest address first */
} KI_USER_EXCEPTION_FRAME, *PKI_USER_EXCEPTION_FRAME;

/*
 * Lays out the frame for a thread whose user ESP was UserEsp. FALSE when the frame
 * cannot exist there (it would wrap below address 0, or the record claims more than
 * EXCEPTION_MAXIMUM_PARAMETERS): the caller treats that as an unusable stack.
 * Whether the addresses are mapped and writable is the caller's to find out.
 */
BOOLEAN KiBuildUserExceptionFrame(const CONTEXT *Context, const EXCEPTION_RECORD *Record,
                                  ULONG UserEsp, PKI_USER_EXCEPTION_FRAME Frame);

/*
 * Points a user trap frame at the dispatcher with the frame on its stack: EIP =
 * Dispatcher, ESP = Frame->Esp, the user selectors (a faulting thread may have
 * loaded anything into DS/ES/FS/GS), TF clear (the dispatcher is not single-stepped
 * because the faulting code was). The other registers stay as they were; the
 * dispatcher reads only its stack.
 */
VOID KiSetUserExceptionFrameRegisters(PKTRAP_FRAME TrapFrame, const KI_USER_EXCEPTION_FRAME *Frame,
                                      ULONG Dispatcher);

/*
 * TRUE when the instruction starting at Code[0] (Length bytes of it were readable)
 * is one ring 3 may not execute - a #GP on it is STATUS_PRIVILEGED_INSTRUCTION, as
 * NT decodes it; any other #GP from ring 3 is an access violation.
 */
BOOLEAN KiIsPrivilegedInstruction(const UCHAR *Code, ULONG Length);

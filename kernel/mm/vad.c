/*
 * vad.c - one VAD and the runs inside it: allocation, the run list's edits
 * (set a range, trim, split), and page protections.
 *
 * Every edit of the runs is planned before anything is touched. MiSetRunRange works
 * out the runs of the affected window (the runs holding the range plus one
 * neighbour on each side, the only ones a change can merge with), allocates the
 * entries the window needs beyond the ones it has (never more than two), and only
 * then rewrites the window. So an out-of-memory failure leaves the VAD as it was,
 * and the rewrite itself cannot fail.
 */
#include "vad.h"
#include <ex.h>

/* Pool tags, as NT's pool-tag tools show them ("Vad " is NT's own). */
#define MI_VAD_TAG      EX_POOL_TAG('V', 'a', 'd', ' ')
#define MI_VAD_RUN_TAG  EX_POOL_TAG('V', 'a', 'd', 'R')

/* A protection: one base value in the low byte, at most one modifier above it. */
#define MI_BASE_PROTECTION_MASK  0xFF
#define MI_PROTECTION_MODIFIERS  (PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE)

/* The most runs a window can hold after a change: neighbour, head, range, tail, neighbour. */
#define MI_WINDOW_PIECES 5

/* ---- run entries ---- */

static PMMVAD_RUN MipAllocateRun(VOID)
{
    return ExAllocatePoolWithTag(NonPagedPool, sizeof(MMVAD_RUN), MI_VAD_RUN_TAG);
}

static VOID MipFreeRun(PMMVAD_RUN Run)
{
    ExFreePoolWithTag(Run, MI_VAD_RUN_TAG);
}

static PMMVAD_RUN MipRunFromEntry(PLIST_ENTRY Entry)
{
    return CONTAINING_RECORD(Entry, MMVAD_RUN, ListEntry);
}

static PMMVAD_RUN MipNextRun(PMMVAD Vad, PMMVAD_RUN Run)
{
    PLIST_ENTRY Entry = Run->ListEntry.Flink;

    return (Entry == &Vad->RunListHead) ? NULL : MipRunFromEntry(Entry);
}

static PMMVAD_RUN MipPreviousRun(PMMVAD Vad, PMMVAD_RUN Run)
{
    PLIST_ENTRY Entry = Run->ListEntry.Blink;

    return (Entry == &Vad->RunListHead) ? NULL : MipRunFromEntry(Entry);
}

static PMMVAD_RUN MipFirstRun(PMMVAD Vad)
{
    return MipRunFromEntry(Vad->RunListHead.Flink);
}

static PMMVAD_RUN MipLastRun(PMMVAD Vad)
{
    return MipRunFromEntry(Vad->RunListHead.Blink);
}

/* ---- VADs ---- */

PMMVAD MiAllocateVad(ULONG_PTR StartingVpn, ULONG_PTR EndingVpn, ULONG Type,
                     ULONG AllocationProtect, ULONG State, ULONG Protect)
{
    PMMVAD Vad;
    PMMVAD_RUN Run;

    Vad = ExAllocatePoolWithTag(NonPagedPool, sizeof(MMVAD), MI_VAD_TAG);
    if (Vad == NULL)
        return NULL;
    Run = MipAllocateRun();
    if (Run == NULL) {
        ExFreePoolWithTag(Vad, MI_VAD_TAG);
        return NULL;
    }

    Vad->Parent = Vad->LeftChild = Vad->RightChild = NULL;
    Vad->Balance = 0;
    Vad->StartingVpn = StartingVpn;
    Vad->EndingVpn = EndingVpn;
    Vad->Type = Type;
    Vad->AllocationProtect = AllocationProtect;
    Vad->ControlArea = NULL;
    Vad->FirstPrototypePage = 0;
    Vad->ViewCommitment = 0;
    InitializeListHead(&Vad->RunListHead);

    Run->StartingVpn = StartingVpn;
    Run->EndingVpn = EndingVpn;
    Run->State = State;
    Run->Protect = (State == MEM_COMMIT) ? Protect : 0;
    InsertTailList(&Vad->RunListHead, &Run->ListEntry);
    return Vad;
}

VOID MiFreeVad(PMMVAD Vad)
{
    while (!IsListEmpty(&Vad->RunListHead))
        MipFreeRun(MipRunFromEntry(RemoveHeadList(&Vad->RunListHead)));
    ExFreePoolWithTag(Vad, MI_VAD_TAG);
}

/* The run holding Vpn, searching forward from Run. */
static PMMVAD_RUN MipLocateRunFrom(PMMVAD Vad, PMMVAD_RUN Run, ULONG_PTR Vpn)
{
    while (Run != NULL && Run->EndingVpn < Vpn)
        Run = MipNextRun(Vad, Run);
    return Run;
}

PMMVAD_RUN MiLocateRun(PMMVAD Vad, ULONG_PTR Vpn)
{
    return MipLocateRunFrom(Vad, MipFirstRun(Vad), Vpn);
}

ULONG_PTR MiEnumerateCommittedRuns(PMMVAD Vad, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                                   PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context)
{
    PMMVAD_RUN Run;
    ULONG_PTR Count = 0, First, Last;

    for (Run = MiLocateRun(Vad, StartingVpn);
         Run != NULL && Run->StartingVpn <= EndingVpn; Run = MipNextRun(Vad, Run)) {
        if (Run->State != MEM_COMMIT)
            continue;
        First = (Run->StartingVpn > StartingVpn) ? Run->StartingVpn : StartingVpn;
        Last = (Run->EndingVpn < EndingVpn) ? Run->EndingVpn : EndingVpn;
        Count += Last - First + 1;
        if (Routine != NULL)
            Routine(Context, First, Last);
    }
    return Count;
}

/* ---- setting a range: plan, allocate, rewrite ---- */

typedef struct _MIP_RUN_PIECE {
    ULONG_PTR StartingVpn;
    ULONG_PTR EndingVpn;
    ULONG State;
    ULONG Protect;
} MIP_RUN_PIECE;

/* The runs of a window before (First, OldCount) and after (Pieces) a change. */
typedef struct _MIP_RUN_PLAN {
    PMMVAD_RUN First;
    ULONG OldCount;
    ULONG PieceCount;
    MIP_RUN_PIECE Pieces[MI_WINDOW_PIECES];
} MIP_RUN_PLAN;

/* Appends a piece, merging it into the last one when State and Protect match. */
static VOID MipAddPiece(MIP_RUN_PLAN *Plan, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                        ULONG State, ULONG Protect)
{
    MIP_RUN_PIECE *Piece;

    if (Plan->PieceCount != 0) {
        Piece = &Plan->Pieces[Plan->PieceCount - 1];
        if (Piece->State == State && Piece->Protect == Protect) {
            Piece->EndingVpn = EndingVpn;
            return;
        }
    }
    Piece = &Plan->Pieces[Plan->PieceCount++];
    Piece->StartingVpn = StartingVpn;
    Piece->EndingVpn = EndingVpn;
    Piece->State = State;
    Piece->Protect = Protect;
}

static VOID MipAddRunPiece(MIP_RUN_PLAN *Plan, PMMVAD_RUN Run)
{
    MipAddPiece(Plan, Run->StartingVpn, Run->EndingVpn, Run->State, Run->Protect);
}

static VOID MipPlanRunChange(PMMVAD Vad, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                             ULONG State, ULONG Protect, MIP_RUN_PLAN *Plan)
{
    PMMVAD_RUN Low = MiLocateRun(Vad, StartingVpn);
    PMMVAD_RUN High = MipLocateRunFrom(Vad, Low, EndingVpn);
    PMMVAD_RUN Before = MipPreviousRun(Vad, Low), After = MipNextRun(Vad, High);
    PMMVAD_RUN Last = (After != NULL) ? After : High, Run;

    Plan->First = (Before != NULL) ? Before : Low;
    Plan->OldCount = 1;
    for (Run = Plan->First; Run != Last; Run = MipNextRun(Vad, Run))
        Plan->OldCount++;

    Plan->PieceCount = 0;
    if (Before != NULL)
        MipAddRunPiece(Plan, Before);
    if (StartingVpn > Low->StartingVpn)
        MipAddPiece(Plan, Low->StartingVpn, StartingVpn - 1, Low->State, Low->Protect);
    MipAddPiece(Plan, StartingVpn, EndingVpn, State, Protect);
    if (EndingVpn < High->EndingVpn)
        MipAddPiece(Plan, EndingVpn + 1, High->EndingVpn, High->State, High->Protect);
    if (After != NULL)
        MipAddRunPiece(Plan, After);
}

static VOID MipSetRun(PMMVAD_RUN Run, const MIP_RUN_PIECE *Piece)
{
    Run->StartingVpn = Piece->StartingVpn;
    Run->EndingVpn = Piece->EndingVpn;
    Run->State = Piece->State;
    Run->Protect = Piece->Protect;
}

/* Rewrites the window: reuse old entries in order, free the extra, link the spares. */
static VOID MipApplyRunPlan(const MIP_RUN_PLAN *Plan, PMMVAD_RUN *Spares)
{
    PLIST_ENTRY Entry = &Plan->First->ListEntry, Next;
    PMMVAD_RUN Run, Last = NULL;
    ULONG Index;

    for (Index = 0; Index < Plan->OldCount; Index++, Entry = Next) {
        Next = Entry->Flink;
        Run = MipRunFromEntry(Entry);
        if (Index < Plan->PieceCount) {
            MipSetRun(Run, &Plan->Pieces[Index]);
            Last = Run;
        } else {
            RemoveEntryList(Entry);
            MipFreeRun(Run);
        }
    }
    for (; Index < Plan->PieceCount; Index++) {
        Run = *Spares++;
        MipSetRun(Run, &Plan->Pieces[Index]);
        InsertHeadList(&Last->ListEntry, &Run->ListEntry);     /* right after Last */
        Last = Run;
    }
}

NTSTATUS MiSetRunRange(PMMVAD Vad, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn,
                       ULONG State, ULONG Protect,
                       PMI_COMMITTED_RUN_ROUTINE Routine, PVOID Context)
{
    MIP_RUN_PLAN Plan;
    PMMVAD_RUN Spares[MI_WINDOW_PIECES - 3];
    ULONG Needed, Index;

    if (State != MEM_COMMIT)
        Protect = 0;                    /* reserved pages have no protection */
    MipPlanRunChange(Vad, StartingVpn, EndingVpn, State, Protect, &Plan);

    /* k old runs (neighbours included) become at most k + 2 pieces. */
    Needed = (Plan.PieceCount > Plan.OldCount) ? Plan.PieceCount - Plan.OldCount : 0;
    for (Index = 0; Index < Needed; Index++) {
        Spares[Index] = MipAllocateRun();
        if (Spares[Index] == NULL) {
            while (Index-- != 0)
                MipFreeRun(Spares[Index]);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
    }

    if (Routine != NULL)
        MiEnumerateCommittedRuns(Vad, StartingVpn, EndingVpn, Routine, Context);
    MipApplyRunPlan(&Plan, Spares);
    return STATUS_SUCCESS;
}

/* ---- trimming and splitting (partial release) ---- */

VOID MiTrimVadStart(PMMVAD Vad, ULONG_PTR NewStartingVpn)
{
    PMMVAD_RUN Run;

    while ((Run = MipFirstRun(Vad))->EndingVpn < NewStartingVpn) {
        RemoveEntryList(&Run->ListEntry);
        MipFreeRun(Run);
    }
    Run->StartingVpn = NewStartingVpn;
    Vad->StartingVpn = NewStartingVpn;
}

VOID MiTrimVadEnd(PMMVAD Vad, ULONG_PTR NewEndingVpn)
{
    PMMVAD_RUN Run;

    while ((Run = MipLastRun(Vad))->StartingVpn > NewEndingVpn) {
        RemoveEntryList(&Run->ListEntry);
        MipFreeRun(Run);
    }
    Run->EndingVpn = NewEndingVpn;
    Vad->EndingVpn = NewEndingVpn;
}

VOID MiSplitVad(PMMVAD Vad, PMMVAD UpperVad)
{
    ULONG_PTR Split = UpperVad->StartingVpn;
    PMMVAD_RUN Run = MiLocateRun(Vad, Split), Top = MipFirstRun(UpperVad);
    PLIST_ENTRY Entry;

    /* The run holding the split point gives its upper part to UpperVad's one run... */
    Top->StartingVpn = Split;
    Top->EndingVpn = Run->EndingVpn;
    Top->State = Run->State;
    Top->Protect = Run->Protect;

    /* ...the runs above it move over whole... */
    while ((Entry = Run->ListEntry.Flink) != &Vad->RunListHead) {
        RemoveEntryList(Entry);
        InsertTailList(&UpperVad->RunListHead, Entry);
    }

    /* ...and it keeps what lies below the split, if anything. */
    if (Run->StartingVpn == Split) {
        RemoveEntryList(&Run->ListEntry);
        MipFreeRun(Run);
    } else {
        Run->EndingVpn = Split - 1;
    }
    Vad->EndingVpn = Split - 1;
}

/* ---- protections ---- */

NTSTATUS MiValidateProtection(ULONG Protect)
{
    ULONG Base = Protect & MI_BASE_PROTECTION_MASK;
    ULONG Modifiers = Protect & MI_PROTECTION_MODIFIERS;

    if ((Protect & ~(MI_BASE_PROTECTION_MASK | MI_PROTECTION_MODIFIERS)) != 0)
        return STATUS_INVALID_PAGE_PROTECTION;
    if (Base == 0 || (Base & (Base - 1)) != 0)
        return STATUS_INVALID_PAGE_PROTECTION;     /* none, or two base protections */
    if ((Modifiers & (Modifiers - 1)) != 0)
        return STATUS_INVALID_PAGE_PROTECTION;     /* two modifiers */
    if (Modifiers != 0 && Base == PAGE_NOACCESS)
        return STATUS_INVALID_PAGE_PROTECTION;
    return STATUS_SUCCESS;
}

BOOLEAN MiIsProtectionCompatible(ULONG MaximumProtect, ULONG Protect)
{
    ULONG Maximum = MaximumProtect & MI_BASE_PROTECTION_MASK, Asked = Protect & MI_BASE_PROTECTION_MASK;
    BOOLEAN MaximumWrites = Maximum == PAGE_READWRITE || Maximum == PAGE_EXECUTE_READWRITE;
    BOOLEAN AskedWrites = Asked == PAGE_READWRITE || Asked == PAGE_EXECUTE_READWRITE;

    /* Write-copy only reads the shared page: any section allows it. */
    if (AskedWrites && !MaximumWrites)
        return FALSE;
    return Asked < PAGE_EXECUTE || Maximum >= PAGE_EXECUTE;
}

ULONG_PTR MiCountWriteCopyPages(PMMVAD Vad, ULONG_PTR StartingVpn, ULONG_PTR EndingVpn)
{
    PMMVAD_RUN Run;
    ULONG_PTR Count = 0, First, Last;

    for (Run = MiLocateRun(Vad, StartingVpn);
         Run != NULL && Run->StartingVpn <= EndingVpn; Run = MipNextRun(Vad, Run)) {
        if (Run->State != MEM_COMMIT || !MiIsWriteCopyProtection(Run->Protect))
            continue;
        First = (Run->StartingVpn > StartingVpn) ? Run->StartingVpn : StartingVpn;
        Last = (Run->EndingVpn < EndingVpn) ? Run->EndingVpn : EndingVpn;
        Count += Last - First + 1;
    }
    return Count;
}

BOOLEAN MiIsWriteCopyProtection(ULONG Protect)
{
    return (Protect & (PAGE_WRITECOPY | PAGE_EXECUTE_WRITECOPY)) != 0;
}

/* ---- consistency ---- */

static BOOLEAN MipCheckRunAttributes(PMMVAD_RUN Run, PCSTR *Failure)
{
    if (Run->State == MEM_RESERVE && Run->Protect == 0)
        return TRUE;
    if (Run->State == MEM_COMMIT && NT_SUCCESS(MiValidateProtection(Run->Protect)))
        return TRUE;
    *Failure = (Run->State == MEM_RESERVE || Run->State == MEM_COMMIT)
             ? "run has a protection its state cannot have"
             : "run state is neither MEM_RESERVE nor MEM_COMMIT";
    return FALSE;
}

BOOLEAN MiValidateVadRuns(PMMVAD Vad, PCSTR *Failure)
{
    PLIST_ENTRY Entry, Previous = &Vad->RunListHead;
    PMMVAD_RUN Run, Before = NULL;
    ULONG_PTR Expected = Vad->StartingVpn;

    if (IsListEmpty(&Vad->RunListHead)) {
        *Failure = "VAD has no runs";
        return FALSE;
    }
    /* Starts strictly increase up to EndingVpn, so even a broken list ends here. */
    for (Entry = Vad->RunListHead.Flink; Entry != &Vad->RunListHead; Entry = Entry->Flink) {
        Run = MipRunFromEntry(Entry);
        if (Entry->Blink != Previous) {
            *Failure = "run list back link broken";
            return FALSE;
        }
        if (Run->StartingVpn != Expected) {
            *Failure = "runs leave a gap or overlap";
            return FALSE;
        }
        if (Run->EndingVpn < Run->StartingVpn || Run->EndingVpn > Vad->EndingVpn) {
            *Failure = "run is empty or ends past its VAD";
            return FALSE;
        }
        if (!MipCheckRunAttributes(Run, Failure))
            return FALSE;
        if (Before != NULL && Before->State == Run->State && Before->Protect == Run->Protect) {
            *Failure = "neighbouring runs with equal state and protection not merged";
            return FALSE;
        }
        Expected = Run->EndingVpn + 1;
        Previous = Entry;
        Before = Run;
    }
    if (Vad->RunListHead.Blink != Previous || Before->EndingVpn != Vad->EndingVpn) {
        *Failure = "runs do not reach the end of their VAD";
        return FALSE;
    }
    return TRUE;
}

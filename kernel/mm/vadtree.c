/*
 * vadtree.c - the per-process tree of VADs (NT: the VadRoot AVL table, MiInsertVad,
 * MiRemoveVad, MiLocateAddress, MiFindEmptyAddressRange[Down]).
 *
 * An AVL tree ordered by address. VADs never overlap, so "lower" and "higher" are
 * well defined between any two of them, and a search that does not meet an
 * overlapping VAD on its path cannot overlap one anywhere else. Every node keeps its
 * parent, so in-order walks need no stack, and removal relinks nodes rather than
 * copying their contents: a PMMVAD that a caller holds stays valid.
 */
#include "vad.h"

/* ---- links and rotations ---- */

static VOID MipReplaceChild(PMM_AVL_TABLE Table, PMMVAD Parent, PMMVAD Old, PMMVAD New)
{
    if (Parent == NULL)
        Table->Root = New;
    else if (Parent->LeftChild == Old)
        Parent->LeftChild = New;
    else
        Parent->RightChild = New;
}

static LONG MipMax0(LONG Value) { return Value > 0 ? Value : 0; }
static LONG MipMin0(LONG Value) { return Value < 0 ? Value : 0; }

/*
 * X's right child Y takes X's place, X becomes Y's left child. The balance updates
 * follow from the heights of the three subtrees that move; they hold for any
 * balance, so a double rotation is just two of these.
 */
static PMMVAD MipRotateLeft(PMM_AVL_TABLE Table, PMMVAD X)
{
    PMMVAD Y = X->RightChild;

    X->RightChild = Y->LeftChild;
    if (Y->LeftChild != NULL)
        Y->LeftChild->Parent = X;
    Y->Parent = X->Parent;
    MipReplaceChild(Table, X->Parent, X, Y);
    Y->LeftChild = X;
    X->Parent = Y;

    X->Balance = X->Balance - 1 - MipMax0(Y->Balance);
    Y->Balance = Y->Balance - 1 + MipMin0(X->Balance);
    return Y;
}

static PMMVAD MipRotateRight(PMM_AVL_TABLE Table, PMMVAD X)
{
    PMMVAD Y = X->LeftChild;

    X->LeftChild = Y->RightChild;
    if (Y->RightChild != NULL)
        Y->RightChild->Parent = X;
    Y->Parent = X->Parent;
    MipReplaceChild(Table, X->Parent, X, Y);
    Y->RightChild = X;
    X->Parent = Y;

    X->Balance = X->Balance + 1 - MipMin0(Y->Balance);
    Y->Balance = Y->Balance + 1 + MipMax0(X->Balance);
    return Y;
}

/* Node's balance is +2 or -2: rotate it back; returns the subtree's new root. */
static PMMVAD MipRebalance(PMM_AVL_TABLE Table, PMMVAD Node)
{
    if (Node->Balance > 0) {
        if (Node->RightChild->Balance < 0)
            MipRotateRight(Table, Node->RightChild);
        return MipRotateLeft(Table, Node);
    }
    if (Node->LeftChild->Balance > 0)
        MipRotateLeft(Table, Node->LeftChild);
    return MipRotateRight(Table, Node);
}

/* ---- insert and remove ---- */

VOID MiInitializeVadTable(PMM_AVL_TABLE Table)
{
    Table->Root = NULL;
    Table->NumberGenericTableElements = 0;
    Table->NodeHint = NULL;
}

NTSTATUS MiInsertVad(PMM_AVL_TABLE Table, PMMVAD Vad)
{
    PMMVAD Parent = NULL, *Link = &Table->Root, Child, Node;

    if (!MiIsVadRange(Vad->StartingVpn, Vad->EndingVpn))
        return STATUS_INVALID_PARAMETER;

    while (*Link != NULL) {
        Parent = *Link;
        if (Vad->EndingVpn < Parent->StartingVpn)
            Link = &Parent->LeftChild;
        else if (Vad->StartingVpn > Parent->EndingVpn)
            Link = &Parent->RightChild;
        else
            return STATUS_CONFLICTING_ADDRESSES;
    }
    Vad->Parent = Parent;
    Vad->LeftChild = Vad->RightChild = NULL;
    Vad->Balance = 0;
    *Link = Vad;
    Table->NumberGenericTableElements++;

    /* Walk up while the subtree that grew makes its parent taller. */
    for (Child = Vad, Node = Parent; Node != NULL; Child = Node, Node = Node->Parent) {
        Node->Balance += (Child == Node->LeftChild) ? -1 : 1;
        if (Node->Balance == 0)
            break;                      /* the shorter side caught up: height unchanged */
        if (Node->Balance == 2 || Node->Balance == -2) {
            MipRebalance(Table, Node);  /* back to the height before the insert */
            break;
        }
    }
    return STATUS_SUCCESS;
}

/* One side of Node lost a level; walk up while whole subtrees get shorter. */
static VOID MipRetraceAfterRemove(PMM_AVL_TABLE Table, PMMVAD Node, BOOLEAN LeftShrank)
{
    while (Node != NULL) {
        Node->Balance += LeftShrank ? 1 : -1;
        if (Node->Balance == 1 || Node->Balance == -1)
            return;                     /* was balanced: height unchanged */
        if (Node->Balance != 0) {
            Node = MipRebalance(Table, Node);
            if (Node->Balance != 0)
                return;                 /* a single rotation kept the height */
        }
        /* Node's subtree is one level lower than before. */
        if (Node->Parent == NULL)
            return;
        LeftShrank = (Node->Parent->LeftChild == Node);
        Node = Node->Parent;
    }
}

VOID MiRemoveVad(PMM_AVL_TABLE Table, PMMVAD Vad)
{
    PMMVAD Retrace, Successor, Child;
    BOOLEAN LeftShrank;

    if (Vad->LeftChild != NULL && Vad->RightChild != NULL) {
        /* The in-order successor (no left child) takes Vad's place and balance. */
        Successor = Vad->RightChild;
        while (Successor->LeftChild != NULL)
            Successor = Successor->LeftChild;
        if (Successor->Parent == Vad) {
            Retrace = Successor;
            LeftShrank = FALSE;
        } else {
            Retrace = Successor->Parent;
            LeftShrank = TRUE;
            Retrace->LeftChild = Successor->RightChild;
            if (Successor->RightChild != NULL)
                Successor->RightChild->Parent = Retrace;
            Successor->RightChild = Vad->RightChild;
            Successor->RightChild->Parent = Successor;
        }
        Successor->LeftChild = Vad->LeftChild;
        Successor->LeftChild->Parent = Successor;
        Successor->Parent = Vad->Parent;
        Successor->Balance = Vad->Balance;
        MipReplaceChild(Table, Vad->Parent, Vad, Successor);
    } else {
        Child = (Vad->LeftChild != NULL) ? Vad->LeftChild : Vad->RightChild;
        Retrace = Vad->Parent;
        LeftShrank = (Retrace != NULL && Retrace->LeftChild == Vad);
        MipReplaceChild(Table, Retrace, Vad, Child);
        if (Child != NULL)
            Child->Parent = Retrace;
    }

    Table->NumberGenericTableElements--;
    if (Table->NodeHint == Vad)
        Table->NodeHint = NULL;
    Vad->Parent = Vad->LeftChild = Vad->RightChild = NULL;
    Vad->Balance = 0;
    MipRetraceAfterRemove(Table, Retrace, LeftShrank);
}

/* ---- lookups and walks ---- */

PMMVAD MiLocateAddress(PMM_AVL_TABLE Table, ULONG_PTR Vpn)
{
    PMMVAD Node = Table->NodeHint;

    /* Faults and queries come in runs on the same VAD (NT keeps the same hint). */
    if (Node != NULL && Vpn >= Node->StartingVpn && Vpn <= Node->EndingVpn)
        return Node;
    for (Node = Table->Root; Node != NULL; ) {
        if (Vpn < Node->StartingVpn) {
            Node = Node->LeftChild;
        } else if (Vpn > Node->EndingVpn) {
            Node = Node->RightChild;
        } else {
            Table->NodeHint = Node;
            return Node;
        }
    }
    return NULL;
}

/* The lowest VAD ending at or above Vpn: the one holding Vpn or the next above it. */
static PMMVAD MipFindVadEndingAtOrAbove(PMM_AVL_TABLE Table, ULONG_PTR Vpn)
{
    PMMVAD Node = Table->Root, Found = NULL;

    while (Node != NULL) {
        if (Node->EndingVpn < Vpn) {
            Node = Node->RightChild;
        } else {
            Found = Node;
            Node = Node->LeftChild;
        }
    }
    return Found;
}

/* The highest VAD starting at or below Vpn. */
static PMMVAD MipFindVadStartingAtOrBelow(PMM_AVL_TABLE Table, ULONG_PTR Vpn)
{
    PMMVAD Node = Table->Root, Found = NULL;

    while (Node != NULL) {
        if (Node->StartingVpn > Vpn) {
            Node = Node->LeftChild;
        } else {
            Found = Node;
            Node = Node->RightChild;
        }
    }
    return Found;
}

PMMVAD MiCheckForConflictingVad(PMM_AVL_TABLE Table, ULONG_PTR StartingVpn,
                                ULONG_PTR EndingVpn)
{
    PMMVAD Vad = MipFindVadEndingAtOrAbove(Table, StartingVpn);

    return (Vad != NULL && Vad->StartingVpn <= EndingVpn) ? Vad : NULL;
}

PMMVAD MiGetFirstVad(PMM_AVL_TABLE Table)
{
    PMMVAD Node = Table->Root;

    while (Node != NULL && Node->LeftChild != NULL)
        Node = Node->LeftChild;
    return Node;
}

PMMVAD MiGetLastVad(PMM_AVL_TABLE Table)
{
    PMMVAD Node = Table->Root;

    while (Node != NULL && Node->RightChild != NULL)
        Node = Node->RightChild;
    return Node;
}

PMMVAD MiGetNextVad(PMMVAD Vad)
{
    if (Vad->RightChild != NULL) {
        Vad = Vad->RightChild;
        while (Vad->LeftChild != NULL)
            Vad = Vad->LeftChild;
        return Vad;
    }
    while (Vad->Parent != NULL && Vad == Vad->Parent->RightChild)
        Vad = Vad->Parent;
    return Vad->Parent;
}

PMMVAD MiGetPreviousVad(PMMVAD Vad)
{
    if (Vad->LeftChild != NULL) {
        Vad = Vad->LeftChild;
        while (Vad->RightChild != NULL)
            Vad = Vad->RightChild;
        return Vad;
    }
    while (Vad->Parent != NULL && Vad == Vad->Parent->LeftChild)
        Vad = Vad->Parent;
    return Vad->Parent;
}

/* ---- free ranges ---- */

static BOOLEAN MipCheckFindArguments(ULONG_PTR PageCount, ULONG_PTR AlignmentPages,
                                     ULONG_PTR LowestVpn, ULONG_PTR HighestVpn)
{
    return PageCount != 0 && AlignmentPages != 0 &&
           (AlignmentPages & (AlignmentPages - 1)) == 0 && LowestVpn <= HighestVpn;
}

/*
 * Bottom-up: try the lowest aligned start; while a VAD is in the way, try the first
 * aligned page above it. Each VAD is looked at once, in address order.
 */
NTSTATUS MiFindEmptyAddressRange(PMM_AVL_TABLE Table, ULONG_PTR PageCount,
                                 ULONG_PTR AlignmentPages, ULONG_PTR LowestVpn,
                                 ULONG_PTR HighestVpn, PULONG_PTR StartingVpn)
{
    ULONG_PTR Mask = AlignmentPages - 1, Candidate;
    PMMVAD Vad;

    if (!MipCheckFindArguments(PageCount, AlignmentPages, LowestVpn, HighestVpn))
        return STATUS_INVALID_PARAMETER;

    Candidate = (LowestVpn + Mask) & ~Mask;
    for (Vad = MipFindVadEndingAtOrAbove(Table, Candidate); ; Vad = MiGetNextVad(Vad)) {
        /* Candidate may have wrapped to 0 when rounded up at the very top. */
        if (Candidate < LowestVpn || Candidate > HighestVpn ||
            HighestVpn - Candidate < PageCount - 1)
            return STATUS_NO_MEMORY;
        if (Vad == NULL || (Vad->StartingVpn > Candidate &&
                            Vad->StartingVpn - Candidate >= PageCount)) {
            *StartingVpn = Candidate;
            return STATUS_SUCCESS;
        }
        Candidate = (Vad->EndingVpn + 1 + Mask) & ~Mask;
    }
}

/*
 * Top-down: the highest aligned start that still ends below the current ceiling;
 * while a VAD is in the way, the ceiling drops to just below it.
 */
NTSTATUS MiFindEmptyAddressRangeDown(PMM_AVL_TABLE Table, ULONG_PTR PageCount,
                                     ULONG_PTR AlignmentPages, ULONG_PTR LowestVpn,
                                     ULONG_PTR HighestVpn, PULONG_PTR StartingVpn)
{
    ULONG_PTR Mask = AlignmentPages - 1, Ceiling = HighestVpn, Candidate;
    PMMVAD Vad;

    if (!MipCheckFindArguments(PageCount, AlignmentPages, LowestVpn, HighestVpn))
        return STATUS_INVALID_PARAMETER;

    for (Vad = MipFindVadStartingAtOrBelow(Table, HighestVpn); ; Vad = MiGetPreviousVad(Vad)) {
        if (Ceiling < LowestVpn || Ceiling - LowestVpn < PageCount - 1)
            return STATUS_NO_MEMORY;
        Candidate = (Ceiling - (PageCount - 1)) & ~Mask;
        if (Candidate < LowestVpn)
            return STATUS_NO_MEMORY;    /* every lower gap has a lower ceiling */
        if (Vad == NULL || Candidate > Vad->EndingVpn) {
            *StartingVpn = Candidate;
            return STATUS_SUCCESS;
        }
        Ceiling = Vad->StartingVpn - 1;     /* no VAD starts at 0 (MiInsertVad) */
    }
}

/* ---- consistency ---- */

/*
 * Checks links and balance of the subtree at Node; returns its height, or -1 with
 * *Failure set.
 */
static LONG MipCheckSubtree(PMMVAD Node, PMMVAD Parent, ULONG Depth, PULONG Count,
                            PCSTR *Failure)
{
    LONG Left, Right;

    if (Node == NULL)
        return 0;
    if (Depth > 64) {
        *Failure = "tree deeper than any AVL tree of 2^32 nodes (a cycle?)";
        return -1;
    }
    if (Node->Parent != Parent) {
        *Failure = "parent link does not match";
        return -1;
    }
    (*Count)++;
    Left = MipCheckSubtree(Node->LeftChild, Node, Depth + 1, Count, Failure);
    if (Left < 0)
        return -1;
    Right = MipCheckSubtree(Node->RightChild, Node, Depth + 1, Count, Failure);
    if (Right < 0)
        return -1;
    if (Node->Balance != Right - Left) {
        *Failure = "balance factor is not height(right) - height(left)";
        return -1;
    }
    if (Node->Balance < -1 || Node->Balance > 1) {
        *Failure = "subtree out of AVL balance";
        return -1;
    }
    return 1 + (Left > Right ? Left : Right);
}

/* The in-order walk: ascending, disjoint, inside the VAD area, runs valid. */
static BOOLEAN MipCheckOrder(PMM_AVL_TABLE Table, PCSTR *Failure)
{
    PMMVAD Vad, Previous = NULL;
    ULONG Walked = 0, WalkedBack = 0;
    BOOLEAN HintSeen = (Table->NodeHint == NULL);

    for (Vad = MiGetFirstVad(Table); Vad != NULL; Previous = Vad, Vad = MiGetNextVad(Vad)) {
        if (Vad->StartingVpn > Vad->EndingVpn) {
            *Failure = "VAD ends before it starts";
            return FALSE;
        }
        if (!MiIsVadRange(Vad->StartingVpn, Vad->EndingVpn)) {
            *Failure = "VAD outside the VAD area of user space";
            return FALSE;
        }
        if (Previous != NULL && Previous->EndingVpn >= Vad->StartingVpn) {
            *Failure = "VADs out of order or overlapping";
            return FALSE;
        }
        if (!MiValidateVadRuns(Vad, Failure))
            return FALSE;
        HintSeen |= (Vad == Table->NodeHint);
        Walked++;
    }
    if (Previous != MiGetLastVad(Table)) {
        *Failure = "forward walk does not end at the last VAD";
        return FALSE;
    }
    for (Vad = MiGetLastVad(Table); Vad != NULL; Vad = MiGetPreviousVad(Vad))
        WalkedBack++;
    if (Walked != Table->NumberGenericTableElements || WalkedBack != Walked) {
        *Failure = "walks do not count NumberGenericTableElements VADs";
        return FALSE;
    }
    if (!HintSeen) {
        *Failure = "NodeHint is not a VAD of the tree";
        return FALSE;
    }
    return TRUE;
}

BOOLEAN MiValidateVadTree(PMM_AVL_TABLE Table, PCSTR *Failure)
{
    ULONG Count = 0;

    if (MipCheckSubtree(Table->Root, NULL, 0, &Count, Failure) < 0)
        return FALSE;
    if (Count != Table->NumberGenericTableElements) {
        *Failure = "NumberGenericTableElements does not count the nodes";
        return FALSE;
    }
    return MipCheckOrder(Table, Failure);
}

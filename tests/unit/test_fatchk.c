/*
 * test_fatchk.c - a consistency checker for FAT images, for the FAT tests. It shares
 * nothing with the driver but fat.h's constants: it reads the BPB, the FAT and the
 * directories itself, straight from the image file, and checks what a sound volume
 * must be (see TestFatCheck in test_fatfix.h). fsck.fat -n runs too when installed.
 */
#include "test_fatfix.h"

ULONG TestFatCheckedFree;

typedef struct _CHECK {
    PUCHAR Image;
    size_t Size;
    ULONG Bps, Spc, Bpc, Reserved, Fats, FatSize, RootEntries, Total;
    ULONG RootSector, FirstData, Clusters, Type, RootCluster, FsInfo;
    PULONG Owner;                   /* which file holds each cluster (0: none) */
    ULONG NextId;
    int Problems;
} CHECK;

static void ChkProblem(CHECK *Check, const char *Format, ...) __attribute__((format(printf, 2, 3)));
static void ChkProblem(CHECK *Check, const char *Format, ...)
{
    va_list Args;

    fprintf(stderr, "fat check: ");
    va_start(Args, Format);
    vfprintf(stderr, Format, Args);
    va_end(Args);
    fprintf(stderr, "\n");
    Check->Problems++;
}

static ULONG ChkGet16(const UCHAR *P)
{
    return P[0] | (P[1] << 8);
}

static ULONG ChkGet32(const UCHAR *P)
{
    return P[0] | (P[1] << 8) | ((ULONG)P[2] << 16) | ((ULONG)P[3] << 24);
}

static ULONG ChkFat(CHECK *Check, ULONG Cluster)
{
    PUCHAR Fat = Check->Image + (size_t)Check->Reserved * Check->Bps;

    if (Check->Type == 12) {
        ULONG Pair = ChkGet16(Fat + Cluster + Cluster / 2);
        return (Cluster & 1) ? Pair >> 4 : Pair & 0xFFF;
    }
    if (Check->Type == 16) {
        return ChkGet16(Fat + Cluster * 2);
    }
    return ChkGet32(Fat + Cluster * 4) & 0x0FFFFFFF;
}

static BOOLEAN ChkEnd(CHECK *Check, ULONG Value)
{
    return Value >= (Check->Type == 12 ? 0xFF8UL : Check->Type == 16 ? 0xFFF8UL : 0x0FFFFFF8UL);
}

/* Marks the chain as file Id's; its length. */
static ULONG ChkChain(CHECK *Check, ULONG First, ULONG Id, const char *Name)
{
    ULONG Cluster = First, Length = 0, Value;

    while (First != 0) {
        if (Cluster < 2 || Cluster >= Check->Clusters + 2) {
            ChkProblem(Check, "%s: cluster %lu out of range", Name, Cluster);
            break;
        }
        if (Check->Owner[Cluster] != 0) {
            ChkProblem(Check, "%s: cluster %lu %s", Name, Cluster,
                       Check->Owner[Cluster] == Id ? "again (a loop)" : "belongs to another file too");
            break;
        }
        Check->Owner[Cluster] = Id;
        Length++;
        Value = ChkFat(Check, Cluster);
        if (ChkEnd(Check, Value)) {
            break;
        }
        if (Value == 0 || Value == 1 || Value >= Check->Clusters + 2) {
            ChkProblem(Check, "%s: cluster %lu links to %lu", Name, Cluster, Value);
            break;
        }
        Cluster = Value;
    }
    return Length;
}

static PUCHAR ChkClusterData(CHECK *Check, ULONG Cluster)
{
    return Check->Image + ((size_t)Check->FirstData + (size_t)(Cluster - 2) * Check->Spc) * Check->Bps;
}

/* A directory's bytes, in one buffer (malloc'd). */
static PUCHAR ChkDirectoryBytes(CHECK *Check, ULONG First, PULONG Size)
{
    PUCHAR Bytes;
    ULONG Cluster = First, Count = 0;

    if (First == 0) {
        *Size = Check->RootEntries * 32;
        Bytes = malloc(*Size);
        memcpy(Bytes, Check->Image + (size_t)Check->RootSector * Check->Bps, *Size);
        return Bytes;
    }
    Bytes = malloc((size_t)Check->Clusters * Check->Bpc < 4 << 20 ? (size_t)Check->Clusters * Check->Bpc
                                                                  : 4 << 20);
    while (Cluster >= 2 && Cluster < Check->Clusters + 2 && Count < Check->Clusters &&
           (size_t)(Count + 1) * Check->Bpc <= (4 << 20)) {
        memcpy(Bytes + (size_t)Count * Check->Bpc, ChkClusterData(Check, Cluster), Check->Bpc);
        Count++;
        Cluster = ChkFat(Check, Cluster);
    }
    *Size = Count * Check->Bpc;
    return Bytes;
}

static WCHAR ChkFold(WCHAR C)
{
    return (C >= 'a' && C <= 'z') || (C >= 0xE0 && C <= 0xFE && C != 0xF7) ? (WCHAR)(C - 0x20) : C;
}

typedef struct _CHK_NAME {
    WCHAR Name[256];
    ULONG Length;
    UCHAR Short[11];
} CHK_NAME;

static void ChkDirectory(CHECK *Check, ULONG First, ULONG Parent, const char *Path, int Depth)
{
    static const UCHAR Offsets[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
    ULONG Size, Offset, Count = 0, Index, Expect = 0, Checksum = 0, Length = 0, Name, Slot;
    PUCHAR Bytes = ChkDirectoryBytes(Check, First, &Size), Entry;
    CHK_NAME *Names = malloc(sizeof(CHK_NAME) * (Size / 32 + 1));
    BOOLEAN Ended = FALSE, InLfn = FALSE;
    WCHAR Long[300];
    char Child[1024];

    for (Offset = 0; Offset < Size; Offset += 32) {
        Entry = Bytes + Offset;
        if (Ended) {
            if (Entry[0] != 0 && Entry[0] != 0xE5) {
                ChkProblem(Check, "%s: an entry at %lu after the end marker", Path, Offset);
            }
            continue;
        }
        if (Entry[0] == 0) {
            Ended = TRUE;
            continue;
        }
        if (Entry[0] == 0xE5) {
            if (InLfn) {
                ChkProblem(Check, "%s: long name broken by a free entry at %lu", Path, Offset);
            }
            InLfn = FALSE;
            continue;
        }
        if ((Entry[11] & 0x3F) == 0x0F) {
            ULONG Ordinal = Entry[0] & 0x1F;

            if (Entry[0] & 0x40) {
                if (InLfn) {
                    ChkProblem(Check, "%s: long name at %lu cut short", Path, Offset);
                }
                InLfn = TRUE;
                Expect = Ordinal;
                Checksum = Entry[13];
                Length = 13 * Ordinal;
            } else if (!InLfn || Ordinal != Expect || Entry[13] != Checksum) {
                ChkProblem(Check, "%s: long-name entry at %lu out of sequence", Path, Offset);
                InLfn = FALSE;
                continue;
            }
            for (Slot = 0; Slot < 13; Slot++) {
                WCHAR C = (WCHAR)ChkGet16(Entry + Offsets[Slot]);
                ULONG Where = (Ordinal - 1) * 13 + Slot;

                if (Where < 300) {
                    Long[Where] = C;
                }
                if (C == 0 && Where < Length && (Entry[0] & 0x40)) {
                    Length = Where;
                }
            }
            Expect--;
            continue;
        }
        if (Entry[11] & 0x08) {
            if (First != Check->RootCluster || InLfn) {
                ChkProblem(Check, "%s: a volume label where none belongs", Path);
            }
            InLfn = FALSE;
            continue;
        }
        /* A short entry. */
        {
            UCHAR Sum = 0;
            ULONG Cluster = ChkGet16(Entry + 26) | (Check->Type == 32 ? ChkGet16(Entry + 20) << 16 : 0);
            ULONG FileSize = ChkGet32(Entry + 28), Id, Chain;
            BOOLEAN Dot = memcmp(Entry, ".          ", 11) == 0, DotDot = memcmp(Entry, "..         ", 11) == 0;

            for (Index = 0; Index < 11; Index++) {
                Sum = (UCHAR)(((Sum & 1) << 7) + (Sum >> 1) + Entry[Index]);
            }
            if (InLfn && (Expect != 0 || Sum != Checksum)) {
                ChkProblem(Check, "%s: long name before %.11s does not belong to it", Path, (char *)Entry);
            }
            if (Dot || DotDot) {
                ULONG Want = Dot ? First : Parent;
                if (First == Check->RootCluster || Offset != (Dot ? 0U : 32U) || Cluster != Want) {
                    ChkProblem(Check, "%s: bad %s entry (cluster %lu, want %lu)", Path, Dot ? "." : "..",
                               Cluster, Want);
                }
                InLfn = FALSE;
                continue;
            }
            Name = Count++;
            Names[Name].Length = 0;
            if (InLfn && Length > 255) {
                ChkProblem(Check, "%s: a long name of %lu characters", Path, Length);
            } else if (InLfn && Expect == 0 && Sum == Checksum) {
                memcpy(Names[Name].Name, Long, Length * sizeof(WCHAR));
                Names[Name].Length = Length;
            }
            memcpy(Names[Name].Short, Entry, 11);
            InLfn = FALSE;
            for (Index = 0; Index < Name; Index++) {
                ULONG A = Names[Index].Length, B = Names[Name].Length, K;
                BOOLEAN Same = memcmp(Names[Index].Short, Names[Name].Short, 11) == 0;

                if (!Same && A != 0 && A == B) {
                    for (K = 0; K < A && ChkFold(Names[Index].Name[K]) == ChkFold(Names[Name].Name[K]); K++) {
                    }
                    Same = K == A;
                }
                if (Same) {
                    ChkProblem(Check, "%s: two entries named alike (%.11s, %.11s)", Path,
                               (char *)Names[Index].Short, (char *)Names[Name].Short);
                }
            }
            snprintf(Child, sizeof(Child), "%s/%.11s", Path, (char *)Entry);
            Id = ++Check->NextId;
            Chain = ChkChain(Check, Cluster, Id, Child);
            if (Entry[11] & 0x10) {
                if (Chain == 0) {
                    ChkProblem(Check, "%s: a directory without a cluster", Child);
                } else if (Depth < 32) {
                    ChkDirectory(Check, Cluster, First == Check->RootCluster ? 0 : First, Child, Depth + 1);
                }
            } else if (Chain != (FileSize + Check->Bpc - 1) / Check->Bpc) {
                ChkProblem(Check, "%s: %lu clusters for %lu bytes", Child, Chain, FileSize);
            }
        }
    }
    if (InLfn) {
        ChkProblem(Check, "%s: long name at the end with no short entry", Path);
    }
    free(Names);
    free(Bytes);
}

int TestFatCheck(const char *Image)
{
    CHECK Check;
    FILE *File = fopen(Image, "rb");
    PUCHAR Boot, Fat;
    ULONG Index, Cluster, Value, Free = 0;

    memset(&Check, 0, sizeof(Check));
    assert_non_null(File);
    fseek(File, 0, SEEK_END);
    Check.Size = (size_t)ftell(File);
    fseek(File, 0, SEEK_SET);
    Check.Image = malloc(Check.Size);
    assert_int_equal(fread(Check.Image, 1, Check.Size, File), Check.Size);
    fclose(File);

    Boot = Check.Image;
    Check.Bps = ChkGet16(Boot + 11);
    Check.Spc = Boot[13];
    Check.Bpc = Check.Bps * Check.Spc;
    Check.Reserved = ChkGet16(Boot + 14);
    Check.Fats = Boot[16];
    Check.RootEntries = ChkGet16(Boot + 17);
    Check.Total = ChkGet16(Boot + 19) ? ChkGet16(Boot + 19) : ChkGet32(Boot + 32);
    Check.FatSize = ChkGet16(Boot + 22) ? ChkGet16(Boot + 22) : ChkGet32(Boot + 36);
    Check.RootSector = Check.Reserved + Check.Fats * Check.FatSize;
    Check.FirstData = Check.RootSector + (Check.RootEntries * 32 + Check.Bps - 1) / Check.Bps;
    Check.Clusters = (Check.Total - Check.FirstData) / Check.Spc;
    Check.Type = Check.Clusters < 4085 ? 12 : Check.Clusters < 65525 ? 16 : 32;
    if (Check.Type == 32) {
        Check.RootCluster = ChkGet32(Boot + 44);
        Check.FsInfo = ChkGet16(Boot + 48);
    }
    Check.Owner = calloc(Check.Clusters + 2, sizeof(ULONG));

    /* Every FAT copy the same (unless a FAT32 volume turned mirroring off). */
    Fat = Check.Image + (size_t)Check.Reserved * Check.Bps;
    if (!(Check.Type == 32 && (ChkGet16(Boot + 40) & 0x80))) {
        for (Index = 1; Index < Check.Fats; Index++) {
            if (memcmp(Fat, Fat + (size_t)Index * Check.FatSize * Check.Bps, (size_t)Check.FatSize * Check.Bps)) {
                ChkProblem(&Check, "FAT copy %lu differs from the first", Index);
            }
        }
    }
    if (Check.Type == 32) {
        Check.NextId = 1;
        ChkChain(&Check, Check.RootCluster, 1, "root");
    }
    ChkDirectory(&Check, Check.RootCluster, 0, "", 0);
    for (Cluster = 2; Cluster < Check.Clusters + 2; Cluster++) {
        Value = ChkFat(&Check, Cluster);
        if (Value == 0) {
            Free++;
        } else if (Check.Owner[Cluster] == 0 && Value != (Check.Type == 16 ? 0xFFF7UL : 0x0FFFFFF7UL)) {
            ChkProblem(&Check, "cluster %lu is used (%#lx) by no file: lost", Cluster, Value);
        }
    }
    TestFatCheckedFree = Free;
    if (Check.Type == 32 && Check.FsInfo != 0 && Check.FsInfo != 0xFFFF) {
        PUCHAR Info = Check.Image + (size_t)Check.FsInfo * Check.Bps;
        if (ChkGet32(Info) == 0x41615252 && ChkGet32(Info + 484) == 0x61417272 &&
            ChkGet32(Info + 488) != 0xFFFFFFFF && ChkGet32(Info + 488) != Free) {
            ChkProblem(&Check, "FSInfo says %lu free clusters, the FAT %lu", ChkGet32(Info + 488), Free);
        }
    }
    free(Check.Owner);
    free(Check.Image);
    if (TestFatRun("command -v fsck.fat >/dev/null 2>&1") == 0 &&
        TestFatRun("fsck.fat -n '%s' >/dev/null 2>&1", Image) != 0) {
        ChkProblem(&Check, "fsck.fat -n finds problems: run it on %s", Image);
        TestFatRun("fsck.fat -n '%s' >&2", Image);
    }
    return Check.Problems;
}

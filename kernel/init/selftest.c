/*
 * selftest.c - running the kernel self-tests that /SELFTEST selects (selftest.h).
 *
 * Each test's result is one line, "selftest NAME: PASS" or "selftest NAME: FAIL
 * (0xSTATUS)", which the system tests read on the serial console.
 */
#include <selftest.h>
#include <rtl.h>

extern const KSELFTEST __SelfTestsStart[], __SelfTestsEnd[];

/* Is Name one of the comma-separated names in Selection? (case-insensitive) */
static BOOLEAN KipSelected(PCSTR Selection, PCSTR Name, BOOLEAN Alone)
{
    SIZE_T NameLength = strlen(Name);
    PCSTR Cursor = Selection;

    while (*Cursor) {
        PCSTR End = strchr(Cursor, ',');
        SIZE_T Length = End ? (SIZE_T)(End - Cursor) : strlen(Cursor);

        if (Length == 3 && _strnicmp(Cursor, "ALL", 3) == 0 && !Alone)
            return TRUE;
        if (Length == NameLength && _strnicmp(Cursor, Name, Length) == 0)
            return TRUE;
        Cursor += Length;
        if (*Cursor == ',')
            Cursor++;
    }
    return FALSE;
}

static BOOLEAN KipKnown(PCSTR Name, SIZE_T Length)
{
    const KSELFTEST *Test;

    if (Length == 3 && _strnicmp(Name, "ALL", 3) == 0)
        return TRUE;
    for (Test = __SelfTestsStart; Test < __SelfTestsEnd; Test++) {
        if (strlen(Test->Name) == Length && _strnicmp(Test->Name, Name, Length) == 0)
            return TRUE;
    }
    return FALSE;
}

NTSTATUS KiRunSelfTests(PCSTR Selection)
{
    NTSTATUS Result = STATUS_SUCCESS;
    const KSELFTEST *Test;
    PCSTR Cursor;
    ULONG Passed = 0, Failed = 0;

    /* An unknown name is a mistake in the test, not a test that passed. */
    for (Cursor = Selection; *Cursor; ) {
        PCSTR End = strchr(Cursor, ',');
        SIZE_T Length = End ? (SIZE_T)(End - Cursor) : strlen(Cursor);

        if (Length && !KipKnown(Cursor, Length)) {
            DbgPrint("selftest: no test named '%.*s'\n", (int)Length, Cursor);
            Result = STATUS_NOT_FOUND;
        }
        Cursor += Length;
        if (*Cursor == ',')
            Cursor++;
    }

    for (Test = __SelfTestsStart; Test < __SelfTestsEnd; Test++) {
        NTSTATUS Status;

        if (!KipSelected(Selection, Test->Name, Test->Alone))
            continue;
        DbgPrint("selftest %s: running\n", Test->Name);
        Status = Test->Routine();
        if (NT_SUCCESS(Status)) {
            DbgPrint("selftest %s: PASS\n", Test->Name);
            Passed++;
        } else {
            DbgPrint("selftest %s: FAIL (0x%08lX)\n", Test->Name, (ULONG)Status);
            Failed++;
            if (NT_SUCCESS(Result))
                Result = Status;
        }
    }
    DbgPrint("selftests: %lu passed, %lu failed\n", Passed, Failed);
    return Result;
}

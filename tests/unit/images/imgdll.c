/*
 * imgdll.c - a test DLL for tests/unit/test_image.c: exports by name, by ordinal
 * only, a data export and a forwarder, as imgdll.def lists them. Never run.
 */
int __stdcall DllEntry(void *Instance, unsigned long Reason, void *Reserved)
{
    (void)Instance;
    (void)Reason;
    (void)Reserved;
    return 1;
}

int AlphaFunction(void) { return 1; }
int BetaFunction(void) { return 2; }
int GammaFunction(void) { return 3; }
int ZetaFunction(void) { return 26; }
int HiddenFunction(void) { return 7; }
int ExportedData = 5;
/* A pointer, so that the DLL has a base relocation. */
int *DataPointer = &ExportedData;

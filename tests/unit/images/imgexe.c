/*
 * imgexe.c - a test image for tests/unit/test_image.c (built by mk/images.mk with
 * MinGW into build/test-images/imgexe.exe, and again without relocations and with
 * sub-page alignment). Never run: the test only checks and maps it.
 *
 * What the test looks for: an import (GetTickCount from kernel32), base relocations
 * (the pointers below, in .data and .rdata), a .bss array, and exports that tell
 * the test where those are: ImageSelfPointer holds the address of ImageFunction, so
 * after relocation it must have moved by exactly the delta.
 */
__declspec(dllimport) unsigned long __stdcall GetTickCount(void);

__declspec(dllexport) int ImageFunction(void)
{
    return 42;
}

/* .data: a pointer into .text and one into .rdata. */
__declspec(dllexport) int (*ImageSelfPointer)(void) = ImageFunction;
__declspec(dllexport) const char *ImageMessage = "relocated";

/* .rdata: a constant table of pointers is relocated too. */
__declspec(dllexport) int (*const ImageConstTable[2])(void) = { ImageFunction, ImageFunction };

/* .bss: in memory only, zero-filled by the mapper. */
__declspec(dllexport) char ImageBss[0x3000];

/* The entry point (exported so that the test can compare TransferAddress with it). */
__declspec(dllexport) void __cdecl ImageStart(void)
{
    ImageBss[0] = (char)(ImageSelfPointer() + (int)GetTickCount() + ImageMessage[0] +
                         ImageConstTable[1]());
}

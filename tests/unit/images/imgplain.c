/*
 * imgplain.c - a test image without exports or uninitialised data, for
 * tests/unit/test_image.c. mk/images.mk links it twice: with its relocations
 * stripped (it can only load at its preferred base), and aligned on 512 bytes in
 * memory as in the file (NT maps such an image as it lies in the file: no .bss, so
 * each section's RVA equals its file offset). Never run.
 */
int PlainFunction(void)
{
    return 42;
}

/* A pointer, so that the image needs one base relocation. */
int (*PlainPointer)(void) = PlainFunction;

void __cdecl PlainStart(void)
{
    PlainPointer();
}

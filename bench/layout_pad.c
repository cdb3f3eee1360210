/* layout_pad.c: FB_LAYOUT_PAD bytes of never-run code, linked first into
 * framebench and framebench-run so that everything after it sits that many
 * bytes further on.  tools/layouts builds variants with different pads to
 * measure how much of a figure is the code's placement, not the code. */
#define FB_STR2(x) #x
#define FB_STR(x) FB_STR2(x)

__asm__(".pushsection .text\n"
        ".globl fb_layout_pad\n"
        "fb_layout_pad:\n"
        ".skip " FB_STR(FB_LAYOUT_PAD) ", 0xcc\n"
                                       ".popsection\n");

/*
 * test_memmap.c: each map format read to the usable frame count worked out by
 * hand (the arithmetic is in the comments), then fa_init_ranges with ctz has
 * exactly that many free frames; untidy maps warn, malformed ones fail with
 * file and line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input_test.h"
#include "memmap_read.h"

static char err[1024];

/* The map must read as `format` with `frames` usable whole frames in `ranges`
 * ranges, and ctz built from it must have exactly that many free frames. */
static void expect_map(const char *path, enum fb_memmap_format format, uint64_t frames, size_t ranges, size_t warnings)
{
    struct fb_memmap m;
    if (fb_memmap_read(path, &m, err, sizeof err) != 0) {
        EXPECT(0, "%s", err);
        return;
    }
    EXPECT(m.format == format && m.count == ranges && m.warnings == warnings, "%s: format %d, %zu ranges, %zu warnings",
           path, m.format, m.count, m.warnings);
    EXPECT(m.usable_frames == frames, "%s: %llu usable frames", path, (unsigned long long)m.usable_frames);
    const struct fa_ops *ctz = fa_find("ctz");
    uint64_t base, nframes;
    EXPECT(fa_ranges_span(m.ranges, m.count, &base, &nframes) == FA_OK, "%s: span", path);
    size_t bytes;
    void *state = state_for(ctz, nframes, &bytes);
    EXPECT(fa_init_ranges(ctz, state, bytes, m.ranges, m.count) == FA_OK, "%s: init", path);
    EXPECT(ctz->free_frames(state) == frames, "%s: ctz has %llu free frames", path,
           (unsigned long long)ctz->free_frames(state));
    EXPECT(ctz->check(state) == FA_OK, "%s: check", path);
    check_state_free(state);
    fb_memmap_free(&m);
}

static void test_committed_maps(void)
{
    /* e820-vm-6g.dmesg.txt (the name says 6g; it holds 24 GiB of RAM):
     *   [0, 0x9fbff]                -> [0, 0x9fc00): frames 0..0x9e       =     159
     *                                  (frame 0x9f is partial)
     *   [0x100000, 0xbfffffff]      -> 0xc0000 - 0x100 = 786432 - 256     =  786176
     *   [0x100000000, 0x63fffffff]  -> 0x640000 - 0x100000 = 0x540000     = 5505024
     *   total 159 + 786176 + 5505024                                      = 6291359 */
    expect_map(DATA "/maps/e820-vm-6g.dmesg.txt", FB_MEMMAP_E820, 6291359, 3, 0);
    /* iomem-sample.txt, top-level System RAM only:
     *   00001000-0009fbff  -> frames 1..0x9e = 0x9f - 1                   =     158
     *   00100000-bffdefff  -> 0xbffdf - 0x100 = 786399 - 256              =  786143
     *   100000000-23fffffff -> 0x240000 - 0x100000 = 0x140000             = 1310720
     *   total 158 + 786143 + 1310720                                      = 2097021 */
    expect_map(DATA "/maps/iomem-sample.txt", FB_MEMMAP_IOMEM, 2097021, 3, 0);
    /* sysfs-memmap-sample/0..10 (10 sorts before 2 as text: must not warn):
     *   0: 0x0-0x9fbff                   -> frames 0..0x9e                =     159
     *   3: 0x100000-0x7ffdffff           -> 0x7ffe0 - 0x100 = 524256 - 256 =  524000
     *   9: 0x100000000-0x17fffffff       -> 0x80000                       =  524288
     *  10: 0x180000000-0x1bfffffff       -> 0x40000, adjacent to 9: merged =  262144
     *   total 159 + 524000 + 524288 + 262144                              = 1310591 */
    expect_map(DATA "/maps/sysfs-memmap-sample", FB_MEMMAP_SYSFS, 1310591, 3, 0);
}

static void test_untidy_maps(void)
{
    /* Out of order (entry 2 before 1: one warning), overlapping usable
     * entries (one warning), a reserved hole inside usable RAM (overlap: one
     * warning; reserved wins).  Usable: [0x100000, 0x400000) minus
     * [0x200000, 0x201000) = 0x100 + 0x1ff frames = 256 + 511 = 767, plus
     * [0x1000000, 0x1000fff] = 1 frame: 768 in 3 ranges. */
    const char *path = temp_text("[    0.000000] Linux version 6.1.0 (a line the reader ignores)\n"
                                 "[    0.000000] BIOS-e820: [mem 0x0000000001000000-0x0000000001000fff] usable\n"
                                 "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000002fffff] usable\n"
                                 "[    0.000000] BIOS-e820: [mem 0x0000000000200000-0x00000000003fffff] usable\n"
                                 "[    0.000000] BIOS-e820: [mem 0x0000000000200000-0x0000000000200fff] reserved\n");
    struct fb_memmap m;
    EXPECT(fb_memmap_read(path, &m, err, sizeof err) == 0, "%s", err);
    EXPECT(m.usable_frames == 768 && m.count == 3 && m.warnings == 3 && m.entries == 4,
           "%llu frames, %zu ranges, %zu warnings", (unsigned long long)m.usable_frames, m.count, m.warnings);
    EXPECT(m.count == 3 && m.ranges[0].start == 0x100000 && m.ranges[0].end == 0x200000 &&
               m.ranges[1].start == 0x201000 && m.ranges[1].end == 0x400000,
           "ranges");
    fb_memmap_free(&m);
    unlink(path);

    /* Pre-3.7 boot log: exclusive ends.  [0, 0x9fc00) = 159 frames.  A
     * trailing blank must not hide the type. */
    path = temp_text(" BIOS-e820: 0000000000000000 - 000000000009fc00 (usable) \r\n"
                     " BIOS-e820: 000000000009fc00 - 00000000000a0000 (reserved)\n");
    EXPECT(fb_memmap_read(path, &m, err, sizeof err) == 0 && m.usable_frames == 159, "%s", err);
    fb_memmap_free(&m);
    unlink(path);

    /* A range that ends at the top of the address space holds its last
     * frame (0xfffffffffffff000), in both formats. */
    path = temp_text("[0.0] BIOS-e820: [mem 0xffffffffffffe000-0xffffffffffffffff] usable\n");
    EXPECT(fb_memmap_read(path, &m, err, sizeof err) == 0 && m.usable_frames == 2, "e820 at 2^64: %s %llu", err,
           (unsigned long long)m.usable_frames);
    fb_memmap_free(&m);
    unlink(path);
    path = temp_text("fffffffffffff000-ffffffffffffffff : System RAM\n");
    EXPECT(fb_memmap_read(path, &m, err, sizeof err) == 0 && m.usable_frames == 1, "iomem at 2^64: %s %llu", err,
           (unsigned long long)m.usable_frames);
    fb_memmap_free(&m);
    unlink(path);

    /* An indented System RAM is a child, not top level: only 1 frame. */
    path = temp_text("00000000-00000fff : System RAM\n"
                     "00001000-00ffffff : PCI Bus\n"
                     "  00001000-00001fff : System RAM\n");
    EXPECT(fb_memmap_read(path, &m, err, sizeof err) == 0 && m.usable_frames == 1, "%s", err);
    fb_memmap_free(&m);
    unlink(path);
}

static void expect_map_error(const char *path, const char *snippet)
{
    struct fb_memmap m;
    int rc = fb_memmap_read(path, &m, err, sizeof err);
    EXPECT(rc == -1 && contains(err, snippet), "rc %d, \"%s\" wanted in \"%s\"", rc, snippet, rc ? err : "");
}

static void test_map_errors(void)
{
    char where[128];
    const char *path = temp_text("[0.0] BIOS-e820: [mem 0x0-0xfff] usable\n"
                                 "[0.0] BIOS-e820: [mem 0x1000-0xzz] usable\n");
    snprintf(where, sizeof where, "%s:2: ", path);
    expect_map_error(path, where);
    expect_map_error(path, "0x1000-0xzz");
    unlink(path);

    path = temp_text("00000000-00000fff : System RAM\nthis is no map\n");
    snprintf(where, sizeof where, "%s:2: ", path);
    expect_map_error(path, where);
    unlink(path);

    path = temp_text("00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n");
    expect_map_error(path, "read it as root");
    unlink(path);

    path = temp_text("[0.0] BIOS-e820: [mem 0x2000-0x1fff] usable\n");
    expect_map_error(path, "ends before it starts");
    unlink(path);

    path = temp_text("[0.0] BIOS-e820: [mem 0x0-0xfffff] reserved\n");
    expect_map_error(path, "none usable");
    unlink(path);

    /* sysfs: a bad start file is named with its line. */
    char dir[] = "fb-input-sysfs-XXXXXX";
    EXPECT(mkdtemp(dir) != NULL, "mkdtemp");
    char file[256];
    snprintf(file, sizeof file, "%s/0", dir);
    EXPECT(mkdir(file, 0700) == 0, "mkdir");
    const char *names[] = {"start", "end", "type"}, *values[] = {"0x1000\n", "12\n", "System RAM\n"};
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s/0/%s", dir, names[i]);
        FILE *f = fopen(file, "w");
        if (f) {
            fputs(values[i], f);
            fclose(f);
        }
    }
    snprintf(where, sizeof where, "%s/0/end:1: ", dir);
    expect_map_error(dir, where);
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s/0/%s", dir, names[i]);
        unlink(file);
    }
    snprintf(file, sizeof file, "%s/0", dir);
    rmdir(file);
    rmdir(dir);
}

/* One sysfs entry directory dir/name with its three files. */
static void sysfs_entry(const char *dir, const char *name, const char *start, const char *end, const char *type)
{
    char file[512];
    snprintf(file, sizeof file, "%s/%s", dir, name);
    EXPECT(mkdir(file, 0700) == 0, "mkdir %s", file);
    const char *names[] = {"start", "end", "type"}, *values[] = {start, end, type};
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s/%s/%s", dir, name, names[i]);
        FILE *f = fopen(file, "w");
        if (f) {
            fputs(values[i], f);
            fclose(f);
        }
    }
}

static void sysfs_remove(const char *dir, const char *name)
{
    char file[512];
    const char *names[] = {"start", "end", "type"};
    for (int i = 0; i < 3; i++) {
        snprintf(file, sizeof file, "%s/%s/%s", dir, name, names[i]);
        unlink(file);
    }
    snprintf(file, sizeof file, "%s/%s", dir, name);
    rmdir(file);
}

/* Entry directories are read by the name they have: "007" is entry 7,
 * read from 007/ (and named so in an error); "7" beside "007" is refused,
 * as their order is unknown. */
static void test_sysfs_names(void)
{
    char dir[] = "fb-input-sysfs-names-XXXXXX", where[256];
    EXPECT(mkdtemp(dir) != NULL, "mkdtemp");
    sysfs_entry(dir, "007", "0x100000\n", "0x1fffff\n", "System RAM\n");
    struct fb_memmap m;
    int rc = fb_memmap_read(dir, &m, err, sizeof err);
    EXPECT(rc == 0, "entry 007: %s", err);
    if (rc == 0) {
        EXPECT(m.count == 1 && m.usable_frames == 256, "entry 007: %zu ranges, %llu frames", m.count,
               (unsigned long long)m.usable_frames);
        fb_memmap_free(&m);
    }
    sysfs_remove(dir, "007");
    sysfs_entry(dir, "007", "12\n", "0x1fffff\n", "System RAM\n");
    snprintf(where, sizeof where, "%s/007/start:1: ", dir);
    expect_map_error(dir, where);
    sysfs_entry(dir, "7", "0x100000\n", "0x1fffff\n", "System RAM\n");
    expect_map_error(dir, "are both number 7");
    sysfs_remove(dir, "7");
    sysfs_remove(dir, "007");
    rmdir(dir);
}

/* Mangled copies of good lines either read or fail with a message naming
 * the file; the sanitizer build checks they never read out of bounds. */
static void test_mangled_lines(void)
{
    static const char *good[] = {
        "[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000bfffffff] usable\n",
        "00100000-bffdefff : System RAM\n",
    };
    static const char alphabet[] = "0x9fz-[] :()\t";
    unsigned long long seed = 11;
    size_t accepted = 0, refused = 0;
    for (int round = 0; round < 400; round++) {
        const char *g = good[round % 2];
        char line[128];
        size_t len = strlen(g);
        memcpy(line, g, len + 1);
        for (int k = 0; k < 2; k++)
            line[check_rand(&seed) % (len - 1)] = alphabet[check_rand(&seed) % (sizeof alphabet - 1)];
        const char *path = temp_text(line);
        struct fb_memmap m;
        if (fb_memmap_read(path, &m, err, sizeof err) == 0) {
            accepted++;
            EXPECT(m.count == 1, "one line, %zu ranges", m.count);
            fb_memmap_free(&m);
        } else {
            refused++;
            EXPECT(contains(err, path), "message without the file: %s", err);
        }
        unlink(path);
    }
    EXPECT(accepted > 0 && refused > 0, "%zu accepted, %zu refused", accepted, refused);
}

int main(void)
{
    test_committed_maps();
    test_untidy_maps();
    test_map_errors();
    test_sysfs_names();
    test_mangled_lines();
    return check_report();
}

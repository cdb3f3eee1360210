/*
 * replay.c: runs fuzz inputs without libFuzzer, with the ordinary compiler,
 * so the seed corpus and every crash once found stay ordinary ctest cases.
 * Usage: fuzz_replay PATH...  where each PATH is a file or a directory of
 * them (names starting with '.' are skipped, so a .gitkeep can hold one).
 * Fails when any input makes strategy and model disagree, and when no input
 * was found at all (a missing corpus must not pass silently).
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "fuzz_input.h"

static unsigned long inputs;

static void replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    EXPECT(f != NULL, "cannot open %s", path);
    if (!f)
        return;
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        exit(2);
    inputs++;
    EXPECT(fuzz_input_run(buf, len), "strategy and model disagree on %s (%zu bytes)", path, len);
    free(buf);
}

static void replay_path(const char *path)
{
    struct stat st;
    int found = stat(path, &st) == 0;
    EXPECT(found, "%s does not exist", path);
    if (!found)
        return;
    if (!S_ISDIR(st.st_mode)) {
        replay_file(path);
        return;
    }
    DIR *dir = opendir(path);
    EXPECT(dir != NULL, "cannot read directory %s", path);
    for (struct dirent *e; dir && (e = readdir(dir)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        replay_file(file);
    }
    if (dir)
        closedir(dir);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        replay_path(argv[i]);
    EXPECT(inputs > 0, "no fuzz inputs found");
    printf("%lu fuzz inputs replayed\n", inputs);
    return check_report();
}

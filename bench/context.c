/* context.c: see context.h.  Build facts come from CMake definitions, the
 * commit from git_info.h, which the build writes (bench/git_info.cmake). */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "git_info.h"
#include "json.h"
#include "timing.h"

#ifndef FB_COMPILER
#define FB_COMPILER "unknown"
#endif
#ifndef FB_C_FLAGS
#define FB_C_FLAGS ""
#endif
#ifndef FB_BUILD_TYPE
#define FB_BUILD_TYPE ""
#endif
#ifndef FB_GBENCH_VERSION
#define FB_GBENCH_VERSION "unknown"
#endif
#ifndef FB_CODE_ALIGN
#define FB_CODE_ALIGN ""
#endif
#ifndef FB_LAYOUT_PAD
#define FB_LAYOUT_PAD 0
#endif
#ifndef FB_LAYOUT_SEED
#define FB_LAYOUT_SEED 0
#endif

static void cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
            const char *v = strchr(line, ':') + 1;
            while (*v == ' ')
                v++;
            snprintf(buf, len, "%s", v);
            buf[strcspn(buf, "\n")] = '\0';
            break;
        }
    }
    if (f)
        fclose(f);
}

static void member_str(FILE *f, const char *key, const char *value)
{
    fprintf(f, "    \"%s\": ", key);
    json_str(f, value);
    fputs(",\n", f);
}

static void member_num(FILE *f, const char *key, double value)
{
    fprintf(f, "    \"%s\": ", key);
    json_num(f, value);
    fputs(",\n", f);
}

void fb_context_write(FILE *f, const struct fb_run_info *info)
{
    char buf[512], date[64];
    time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&now));
    member_str(f, "date", date);
    /* The commit the binary was built from (git_info.h, made at build time). */
    if (FB_GIT_COMMIT[0])
        member_str(f, "git_commit", FB_GIT_COMMIT);
    else
        fputs("    \"git_commit\": null,\n", f);
    fprintf(f, "    \"git_dirty\": %s,\n", FB_GIT_DIRTY ? "true" : "false");
    member_str(f, "compiler", FB_COMPILER);
    member_str(f, "c_flags", FB_C_FLAGS);
    member_str(f, "build_type", FB_BUILD_TYPE);
    /* The code layout (CMakeLists.txt): alignment, and bench/layouts' variant. */
    member_str(f, "code_alignment", FB_CODE_ALIGN);
    member_num(f, "layout_pad_bytes", FB_LAYOUT_PAD);
    member_num(f, "layout_seed", FB_LAYOUT_SEED);
    cpu_model(buf, sizeof buf);
    member_str(f, "cpu_model", buf);
    member_num(f, "num_cpus", (double)sysconf(_SC_NPROCESSORS_ONLN));
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(buf, sizeof buf, "%s %s", u.sysname, u.release);
        member_str(f, "kernel", buf);
        member_str(f, "host_name", u.nodename);
    }
    member_str(f, "matrix", info->matrix);
    member_num(f, "repetitions", info->repetitions);
    member_str(f, "benchmark_library", "Google Benchmark " FB_GBENCH_VERSION);
    member_num(f, "min_time_s", info->min_time);
    member_num(f, "cycle_budget_s", info->cycle_budget_s);
    member_num(f, "memory_cap_bytes", (double)info->mem_cap);
    member_num(f, "seed", (double)info->seed);
    fprintf(f, "    \"latency_all_patterns\": %s,\n", info->latency_all ? "true" : "false");
    member_str(f, "latency_clock", fb_tick_source());
    member_num(f, "latency_ticks_per_ns", fb_ticks_per_ns());
    member_num(f, "latency_overhead_ns_subtracted", (double)fb_tick_overhead() / fb_ticks_per_ns());
}

void fb_run_stem(char *buf, size_t len, const char *matrix)
{
    char date[32];
    time_t now = time(NULL);
    strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", gmtime(&now));
    snprintf(buf, len, "%s-%.12s%s-%s", date, FB_GIT_COMMIT[0] ? FB_GIT_COMMIT : "nogit",
             FB_GIT_DIRTY ? "-dirty" : "", matrix);
}

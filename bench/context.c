/* context.c: see context.h.  Build facts come from CMake definitions, the
 * commit from git_info.h, which the build writes (bench/git_info.cmake). */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "git_info.h"
#include "host.h"
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

void fb_context_write(struct json_out *j, const struct fb_run_info *info)
{
    char buf[512], date[64];
    time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&now));
    json_kstr(j, "date", date);
    /* The commit the binary was built from (git_info.h, made at build time). */
    json_key(j, "git_commit");
    if (FB_GIT_COMMIT[0])
        json_str_v(j, FB_GIT_COMMIT);
    else
        json_null_v(j);
    json_kbool(j, "git_dirty", FB_GIT_DIRTY);
    json_kstr(j, "compiler", FB_COMPILER);
    json_kstr(j, "c_flags", FB_C_FLAGS);
    json_kstr(j, "build_type", FB_BUILD_TYPE);
    /* The code layout (CMakeLists.txt): alignment, and tools/layouts' variant. */
    json_kstr(j, "code_alignment", FB_CODE_ALIGN);
    json_knum(j, "layout_pad_bytes", FB_LAYOUT_PAD);
    json_knum(j, "layout_seed", FB_LAYOUT_SEED);
    fb_cpu_model(buf, sizeof buf);
    json_kstr(j, "cpu_model", buf);
    json_kcount(j, "num_cpus", (unsigned long long)sysconf(_SC_NPROCESSORS_ONLN));
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(buf, sizeof buf, "%s %s", u.sysname, u.release);
        json_kstr(j, "kernel", buf);
        json_kstr(j, "host_name", u.nodename);
    }
    json_kstr(j, "matrix", info->matrix);
    json_kcount(j, "repetitions", (unsigned long long)info->repetitions);
    json_kcount(j, "max_repetitions", (unsigned long long)info->max_repetitions);
    json_knum(j, "precision_target_pct", info->target_pct);
    json_knum(j, "cell_cap_s", info->cell_cap_s);
    json_knum(j, "max_time_s", info->max_time_s);
    json_kstr(j, "benchmark_library", "Google Benchmark " FB_GBENCH_VERSION);
    json_knum(j, "min_time_s", info->min_time);
    json_knum(j, "cycle_budget_s", info->cycle_budget_s);
    json_kcount(j, "memory_cap_bytes", info->mem_cap);
    json_kcount(j, "seed", info->seed);
    json_kbool(j, "latency_all_patterns", info->latency_all);
    json_kstr(j, "latency_clock", fb_tick_source());
    json_knum(j, "latency_ticks_per_ns", fb_ticks_per_ns());
    json_knum(j, "latency_overhead_ns_subtracted", (double)fb_tick_overhead() / fb_ticks_per_ns());
}

void fb_run_stem(char *buf, size_t len, const char *matrix)
{
    char date[32];
    time_t now = time(NULL);
    strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", gmtime(&now));
    snprintf(buf, len, "%s-%.12s%s-%s", date, FB_GIT_COMMIT[0] ? FB_GIT_COMMIT : "nogit", FB_GIT_DIRTY ? "-dirty" : "",
             matrix);
}

/*
 * strategy_list.h: the strategies framebench runs: the library's own
 * (fa_strategies), the source plug-ins compiled in (FRAMEBENCH_EXTRA_STRATEGIES),
 * then those of each plug-in library loaded with --load.
 * Every driver asks here, never fa_strategies directly.
 */
#ifndef FB_STRATEGY_LIST_H
#define FB_STRATEGY_LIST_H

#include <stddef.h>

#include "frame_alloc_mt.h"

/* Every strategy, NULL-terminated: built-ins first, then plug-ins in the
 * order loaded. */
const struct fa_ops *const *fb_strategies(void);
const struct fa_ops *fb_strategy_find(const char *name);
/* "the strategies are linear, ctz, ..., mine (from mine.so)": for an error
 * that names a strategy nobody registered or loaded. */
void fb_strategy_names(char *buf, size_t len);

/* The thread-safe strategies, NULL-terminated: built-ins first, then those
 * of plug-ins (frame_alloc_mt.h: FA_MT_PLUGIN) in the order loaded. */
const struct fa_mt_ops *const *fb_mt_strategies(void);

/* Loads the plug-in library `path` (frame_alloc.h: FA_PLUGIN, and
 * optionally FA_MT_PLUGIN, whose strategies must each have a single-CPU
 * view of the same name in the library's FA_PLUGIN list): 0, or -1
 * with "path: why" in err: not loadable, no or another contract version, no
 * strategy list, a strategy with a NULL required member or a bad name, a
 * name another strategy has. */
int fb_strategies_load(const char *path, char *err, size_t len);

/* Where a strategy comes from: NULL for a built-in one, else the path of
 * its library; and a checksum of that file (FNV-1a, 64 bits), 0 if none. */
const char *fb_strategy_origin(const struct fa_ops *ops);
/* 1 for a source plug-in (compiled in: FRAMEBENCH_EXTRA_STRATEGIES), whose
 * origin is its source file. */
int fb_strategy_compiled_in(const struct fa_ops *ops);
unsigned long long fb_strategy_checksum(const struct fa_ops *ops);
/* What a plug-in declares it does not keep of the contract (frame_alloc.h:
 * FA_PLUGIN_TRAITS); zeros for a built-in strategy. */
struct fa_trait fb_strategy_declared(const struct fa_ops *ops);

#endif

/*
 * bad_plugin.c: plug-ins framebench must refuse, one per BAD_* define:
 * a name a built-in has, a name that reads as an option, no FA_PLUGIN symbols, a NULL required member,
 * another contract version; and of thread-safe ones (FA_MT_PLUGIN): one
 * without its single-CPU view, another thread-safe contract version; and of
 * declared traits (FA_PLUGIN_TRAITS): one for a strategy it has not, bits
 * framebench does not know.  Each refusal names the library and the fault.
 */
#include "frame_alloc_mt.h"

static size_t size(uint64_t n) { return n ? 64 + (size_t)n : 0; }
static fa_err init(void *s, size_t b, uint64_t base, uint64_t n)
{
    return (void)s, (void)b, (void)base, (void)n, FA_OK;
}
static fa_err alloc(void *s, uint64_t *pa) { return (void)s, (void)pa, FA_ENOMEM; }
static fa_err op(void *s, uint64_t pa) { return (void)s, (void)pa, FA_EFREE; }
static fa_err reserve(void *s, uint64_t pa, uint64_t c) { return (void)s, (void)pa, (void)c, FA_EBUSY; }
static uint64_t nfree(const void *s) { return (void)s, 0; }
#ifndef BAD_NULL_MEMBER
static fa_err check(const void *s) { return (void)s, FA_OK; }
#endif

static const struct fa_ops bad_ops = {
#ifdef BAD_CLASH
    .name = "ctz",
#elif defined(BAD_DASH_NAME)
    .name = "-dash", /* would read as an option */
#else
    .name = "bad",
#endif
    .summary = "a plug-in that must be refused",
    .state_size = size,
    .init = init,
    .alloc = alloc,
    .free = op,
    .reserve = reserve,
    .free_frames = nfree,
#ifndef BAD_NULL_MEMBER
    .check = check,
#endif
};

#if defined(BAD_VERSION)
const unsigned fa_plugin_contract = FA_CONTRACT_VERSION + 1;
const struct fa_ops *const fa_plugin_strategies[] = {&bad_ops, 0};
#elif !defined(BAD_NO_SYMBOL)
FA_PLUGIN(&bad_ops);
#else
const struct fa_ops *bad_plugin_unused = &bad_ops;
#endif

#if defined(BAD_TRAITS_NAME)
FA_PLUGIN_TRAITS({"ctz", FA_TRAIT_FIXED_STATE, 0});
#elif defined(BAD_TRAITS_BITS)
FA_PLUGIN_TRAITS({"bad", 0x80u, 0});
#endif

#if defined(BAD_MT_ORPHAN) || defined(BAD_MT_VERSION)
static size_t mt_size(uint64_t n, unsigned c) { return n && c ? 64 + (size_t)n : 0; }
static fa_err mt_init(void *s, size_t b, uint64_t base, uint64_t n, unsigned c)
{
    return (void)s, (void)b, (void)base, (void)n, (void)c, FA_OK;
}
static fa_err mt_alloc(void *s, unsigned c, uint64_t *pa) { return (void)s, (void)c, (void)pa, FA_ENOMEM; }
static fa_err mt_free(void *s, unsigned c, uint64_t pa) { return (void)s, (void)c, (void)pa, FA_EFREE; }
static const struct fa_mt_ops bad_mt_ops = {
#ifdef BAD_MT_ORPHAN
    .name = "orphan", /* no single-CPU view of this name in FA_PLUGIN's list */
#else
    .name = "bad",
#endif
    .summary = "a thread-safe plug-in that must be refused",
    .state_size = mt_size,
    .init = mt_init,
    .alloc = mt_alloc,
    .free = mt_free,
    .reserve = reserve,
    .free_frames = nfree,
    .check = check,
};
#ifdef BAD_MT_ORPHAN
FA_MT_PLUGIN(&bad_mt_ops);
#else
const unsigned fa_plugin_mt_contract = FA_MT_CONTRACT_VERSION + 1;
const struct fa_mt_ops *const fa_plugin_mt_strategies[] = {&bad_mt_ops, 0};
#endif
#endif

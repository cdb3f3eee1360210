#!/usr/bin/env python3
"""Write tests/data/sample-results.json: a TEST FIXTURE, not a measurement.

The numbers come from a rough cost model of each strategy (scan lengths times
a per-word cost, plus seeded jitter), so the figures drawn from it have the
shapes real runs will have. It follows results/README.md (schema
framebench-results/2) exactly, with a few skipped cells, a null and an absent
optional field, and an unknown strategy name ("harness" rows), so plots/ is
tested against the awkward cases too. Replace it with a real tiny run once
the framebench binary exists.

Usage: make_sample_results.py [OUT.json]
"""
import json
import math
import random
import sys

SIZES = [16384, 262144, 4194304, 16777216]          # 64 MiB, 1, 16, 64 GiB
STRATEGIES = ["linear", "ctz", "nextfit", "summary2", "tree", "simd",
              "freelist", "buddy"]
META = {"linear": 32832, "ctz": 32832, "nextfit": 32840, "summary2": 33344,
        "tree": 33360, "simd": 32832, "freelist": 2097216, "buddy": 524352}
WORD_NS = {"linear": 0.45, "ctz": 0.40, "nextfit": 0.40, "summary2": 0.40,
           "tree": 0.40, "simd": 0.06, "freelist": 0, "buddy": 0}
rng = random.Random(5)


def scan_words(strategy, frames, busy_frames):
    """Words a strategy reads to get past `busy_frames` used frames."""
    if strategy in ("linear", "ctz", "simd"):
        return busy_frames / 64
    if strategy == "summary2":
        return busy_frames / 4096 + 1
    if strategy == "tree":
        return math.log(frames, 64) * 2
    return 1  # nextfit (amortised), freelist, buddy


def model_ns(strategy, pattern, frames, params):
    base = {"linear": 3.0, "ctz": 2.5, "nextfit": 3.0, "summary2": 4.0,
            "tree": 6.0, "simd": 3.5, "freelist": 2.0, "buddy": 18.0}[strategy]
    cache = 1 + 0.25 * math.log(frames / 16384, 16)    # bigger maps miss more
    if pattern in ("fill", "checkerboard"):
        busy = frames / 2
    elif pattern == "worst":
        busy = frames if strategy != "nextfit" else frames / 2
    elif pattern == "churn":
        busy = frames * params["occupancy"] / 1000
    elif pattern == "runs":
        busy = frames * params["frag"] / 100 + params["run"]
    elif pattern in ("trace", "boot"):
        busy = frames / 8
    else:
        busy = 0
    if strategy == "linear" and pattern in ("fill", "checkerboard", "worst"):
        base += 40                                       # the bit-by-bit tail
    if strategy == "buddy":
        base += math.log2(frames)
    words = scan_words(strategy, frames, busy)
    return (base + WORD_NS[strategy] * words) * cache


def spread(median):
    lo = median * (1 - rng.uniform(0.005, 0.04))
    hi = median * (1 + rng.uniform(0.01, 0.08 if rng.random() < 0.8 else 0.4))
    return {"median": round(median, 2), "min": round(lo, 2), "max": round(hi, 2)}


def name_of(pattern, strategy, frames, params):
    parts = [pattern, strategy, "frames:%d" % frames]
    parts += ["%s:%s" % kv for kv in params.items()]
    return "/".join(parts)


def skip_reason(pattern, strategy, frames, params):
    if strategy == "freelist" and pattern == "runs":
        return "no alloc_run: a stack of single frames has no cheap contiguous runs"
    if strategy in ("linear", "ctz") and pattern in ("fill", "checkerboard") \
            and frames > 262144:
        return "O(n^2/64) word reads: about %.0e reads" % (frames * frames / 128)
    if strategy == "linear" and pattern == "churn" and frames == SIZES[-1] \
            and params["occupancy"] >= 990:
        return "O(n) scan per op at 99% occupancy: over the time budget"
    if (pattern, strategy, frames) == ("lifo", "simd", 4194304):
        return "fixture: a skipped cell inside a line, to show the gap it leaves"
    return None


def cells():
    for pattern in ("fill", "free_all", "checkerboard", "worst", "lifo"):
        for f in SIZES:
            yield pattern, f, {}
    for f in SIZES:
        for occ in (0, 500, 900, 990, 999):
            yield "churn", f, {"occupancy": occ}
        for run in (2, 8, 512):
            for frag in (0, 50):
                yield "runs", f, {"run": run, "frag": frag}
    for f in SIZES:
        yield "frag", f, {}
    yield "trace", 4194304, {"trace": "gcc-build.perf"}
    yield "boot", 1572608, {"map": "e820-vm-6g.dmesg"}


def row(pattern, strategy, frames, params):
    ns = spread(model_ns(strategy, pattern, frames, params))
    r = {"name": name_of(pattern, strategy, frames, params), "pattern": pattern,
         "strategy": strategy, "frames": frames, "params": params,
         "ns_per_op": ns, "ops_per_s": 1e9 / ns["median"],
         "meta_bytes_per_gib": META[strategy], "repetitions": 5}
    if pattern == "trace":
        r.update(failed=0, unsupported=0, skipped_frees=3, peak_occupancy=0.5)
    if pattern == "boot":
        r["init_ns"] = round(ns["median"] * frames * 0.1)
    if pattern == "runs":
        slots = frames // 512
        kept = 1.0 if params["frag"] == 0 else \
            {"buddy": 0.31, "nextfit": 0.004}.get(strategy, 0.012)
        # One unmeasured value, written as null the way the schema allows.
        r["runs_2m_free"] = None if (strategy == "tree" and frames == 16384) \
            else int(slots * kept)
    if pattern == "frag":
        # A made-up series of the three shapes frag shows: climbing (packs
        # low), flat (buddy), falling to 0 (scatters).
        n = 100
        shape = {"nextfit": lambda i: 0.04 * (1 - i / n), "buddy": lambda i: 0.13,
                 "freelist": lambda i: 0.10}.get(strategy, lambda i: 0.11 + 0.4 * i / n)
        share = [round(shape(i), 4) for i in range(n)]
        r["series"] = {"iterations": n, "orders": "0 (no alloc_run)" if strategy == "freelist"
                       else "0,1,2,3,4,5,9", "free_2m_share": share,
                       "unusable_index_9": [round(1 - v, 4) for v in share]}
        r.update(free_2m_share=share[-1], unusable_index_9=round(1 - share[-1], 4), failed_allocs=0)
    if pattern in ("churn", "worst") and not (strategy == "simd" and frames == 16384):
        m = ns["median"]
        r["latency_ns"] = {"p50": round(m * 0.93), "p99": round(m * 2.6 + 15),
                           "p999": round(m * 4 + 40),
                           "max": round(m * 30 + 4000 + rng.uniform(0, 9000))}
        r["latency_interrupted"], r["latency_preempted"] = 1, 0
        r["latency_interrupted_max_ns"] = 4.1e6
    return r


# The fixture's catalog, in the order framebench lists its patterns.
PATTERNS = ["fill", "free_all", "churn", "checkerboard", "worst", "lifo", "runs", "frag", "trace", "boot",
            "harness"]
KEYS = {"churn": ["occupancy"], "runs": ["run", "frag"]}
INPUT = {"trace": "trace", "boot": "map"}
# What a one-per-pattern figure draws, as framebench's catalog says it.
FIGURE = {"churn": ({"occupancy": 900}, "occupancy 90 %"), "runs": ({"run": 512, "frag": 0}, "512 frames, 0 % fragmented")}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/sample-results.json"
    results, skipped = [], []
    for pattern, frames, params in cells():
        for s in STRATEGIES:
            why = skip_reason(pattern, s, frames, params)
            if why:
                skipped.append({"name": name_of(pattern, s, frames, params),
                                "pattern": pattern, "strategy": s,
                                "frames": frames, "params": params, "reason": why})
            else:
                results.append(row(pattern, s, frames, params))
    for f in SIZES:  # the harness's own cost, under a strategy name plots do not know
        ns = spread(0.9)
        results.append({"name": name_of("harness", "harness", f, {}),
                        "pattern": "harness", "strategy": "harness", "frames": f,
                        "params": {}, "ns_per_op": ns, "ops_per_s": 1e9 / ns["median"],
                        "meta_bytes_per_gib": 0, "repetitions": 5})
    doc = {
        "schema": "framebench-results/2",
        "comment": "TEST FIXTURE made by tests/data/make_sample_results.py "
                   "from a cost model: not a measurement",
        "context": {
            "date": "2026-11-26T21:40:00+00:00",
            "git_commit": "0000000000000000000000000000000000000000",
            "git_dirty": False, "compiler": "GNU 12.2.0",
            "c_flags": "-O3 -DNDEBUG", "build_type": "Release",
            "cpu_model": "TEST FIXTURE (not a measurement)", "num_cpus": 2,
            "kernel": "Linux 6.1.0", "host_name": "test-fixture",
            "matrix": "default", "repetitions": 5,
            "benchmark_library": "Google Benchmark 1.7.1",
            "harness_ns_per_op": 0.9, "harness_share_of_fastest": 0.1, "crosscheck_max_deviation": 0.05},
        "patterns": [dict(name=p, one_op=f"one {p} op (fixture)", title=f"{p} op", keys=KEYS.get(p, []),
                          **({"input_key": INPUT[p]} if p in INPUT else {}),
                          **({"figure_params": FIGURE[p][0], "figure_text": FIGURE[p][1]} if p in FIGURE else {}),
                          **({"yardstick_of": "churn"} if p == "harness" else {}))
                     for p in PATTERNS],
        "strategies": [dict(name=s, summary=f"{s} (fixture)", origin="built-in", palette=i)
                       for i, s in enumerate(STRATEGIES)] + [{"name": "harness", "summary": "harness (fixture)"}],
        "results": results, "skipped": skipped, "benchmarks": []}
    with open(out, "w") as fp:
        json.dump(doc, fp, indent=1, allow_nan=False)
        fp.write("\n")


if __name__ == "__main__":
    main()

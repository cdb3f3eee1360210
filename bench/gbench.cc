// gbench.cc: the one C++ file; see gbench.h.  Everything else is C.
#include "gbench.h"

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace
{

std::map<std::string, const gb_case *> g_by_name;

// The case whose setup ran last.  Google Benchmark runs a case's repetitions
// back to back, so its state is set up once and torn down when the next case
// starts: large maps are built once per case, not once per repetition.
const gb_case *g_active = nullptr;
bool g_active_ok = false;
char g_active_err[GB_ERROR_LEN];

void deactivate()
{
    if (g_active && g_active->teardown)
        g_active->teardown(g_active->ctx);
    g_active = nullptr;
}

void activate(const gb_case *c)
{
    if (g_active == c)
        return;
    deactivate();
    g_active = c;
    g_active_err[0] = '\0';
    g_active_ok = !c->setup || c->setup(c->ctx, g_active_err) == 0;
}

void run_case(benchmark::State &state, const gb_case *c)
{
    activate(c);
    if (!g_active_ok) {
        state.SkipWithError(g_active_err);
        return;
    }
    char err[GB_ERROR_LEN] = "";
    while (state.KeepRunningBatch(static_cast<benchmark::IterationCount>(c->batch))) {
        double seconds = c->run(c->ctx, c->batch, err);
        if (seconds < 0) {
            state.SkipWithError(err);
            return;
        }
        state.SetIterationTime(seconds);
    }
    gb_finish f = {};
    if (c->finish)
        c->finish(c->ctx, &f);
    if (f.error[0]) {
        state.SkipWithError(f.error);
        return;
    }
    if (f.label[0])
        state.SetLabel(f.label);
    for (size_t i = 0; i < f.ncounters && i < GB_MAX_COUNTERS; i++)
        state.counters[f.counters[i].name] = benchmark::Counter(f.counters[i].value);
}

// Forwards every run to the C callback.  The console is framebench's own
// (one line per cell, when its last repetition is in), not Google
// Benchmark's line per run.
class ForwardingReporter : public benchmark::BenchmarkReporter
{
  public:
    ForwardingReporter(gb_on_result cb, void *arg) : cb_(cb), arg_(arg) {}
    int failed = 0;

    bool ReportContext(const Context &) override { return true; }

    void ReportRuns(const std::vector<Run> &runs) override
    {
        for (const Run &r : runs) {
            if (r.run_type != Run::RT_Iteration)
                continue;
            // function_name is the name as registered, without the
            // "/manual_time" and similar parts Google Benchmark appends.
            auto it = g_by_name.find(r.run_name.function_name);
            if (it == g_by_name.end())
                continue;
            std::vector<gb_counter> counters;
            for (const auto &kv : r.counters)
                counters.push_back(gb_counter{kv.first.c_str(), kv.second.value});
            gb_result out = {};
            out.c = it->second;
            out.repetition = r.repetition_index;
            out.iterations = static_cast<uint64_t>(r.iterations);
            out.ns_per_op = r.iterations ? r.real_accumulated_time * 1e9 / static_cast<double>(r.iterations) : 0;
            out.error = r.error_occurred ? r.error_message.c_str() : nullptr;
            out.counters = counters.data();
            out.ncounters = counters.size();
            failed += r.error_occurred;
            if (cb_)
                cb_(&out, arg_);
        }
    }

  private:
    gb_on_result cb_;
    void *arg_;
};

} // namespace

extern "C" int gb_init(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    return benchmark::ReportUnrecognizedArguments(argc, argv) ? -1 : 0;
}

extern "C" int gb_run(const gb_case *const *cases, size_t n, gb_on_result on_result, void *arg)
{
    benchmark::ClearRegisteredBenchmarks();
    g_by_name.clear();
    for (size_t i = 0; i < n; i++) {
        const gb_case *c = cases[i];
        g_by_name[c->name] = c;
        benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(c->name, run_case, c)->UseManualTime();
        if (c->iterations)
            b->Iterations(static_cast<benchmark::IterationCount>(c->iterations));
    }
    ForwardingReporter reporter(on_result, arg);
    benchmark::RunSpecifiedBenchmarks(&reporter);
    // Each round builds every state afresh: none is kept to the next.
    deactivate();
    return reporter.failed;
}

extern "C" void gb_shutdown(void) { benchmark::Shutdown(); }

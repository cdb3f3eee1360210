// gbench.cc: the one C++ file; see gbench.h.  Everything else is C.
#include "gbench.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

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


// Forwards every repetition to the C callback and shows one line per case
// (median, min-max over the repetitions), not Google Benchmark's line per
// repetition and per statistic.
class ForwardingReporter : public benchmark::BenchmarkReporter {
public:
    ForwardingReporter(gb_console console, gb_on_result cb, void *arg) : console_(console), cb_(cb), arg_(arg) {}
    int failed = 0;

    bool ReportContext(const Context &) override { return true; }

    void ReportRuns(const std::vector<Run> &runs) override
    {
        std::vector<double> ns;
        std::string name, error;
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
            name = r.run_name.function_name;
            if (r.error_occurred)
                error = r.error_message;
            else
                ns.push_back(out.ns_per_op);
            if (cb_)
                cb_(&out, arg_);
        }
        if (console_ != GB_CONSOLE_QUIET && !name.empty())
            print(name, ns, error);
    }

private:
    void print(const std::string &name, std::vector<double> ns, const std::string &error)
    {
        bool color = console_ == GB_CONSOLE_COLOR;
        if (!error.empty()) {
            std::printf("%s%-64s failed: %s%s\n", color ? "\033[31m" : "", name.c_str(), error.c_str(),
                        color ? "\033[0m" : "");
        } else if (!ns.empty()) {
            std::sort(ns.begin(), ns.end());
            size_t n = ns.size();
            double median = n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2;
            std::printf("%s%-64s%s %s%12.4g ns%s  [%.4g-%.4g]  %zu rep%s\n", color ? "\033[32m" : "", name.c_str(),
                        color ? "\033[0m" : "", color ? "\033[33m" : "", median, color ? "\033[0m" : "", ns[0],
                        ns[n - 1], n, n == 1 ? "" : "s");
        }
        std::fflush(stdout);
    }

    gb_console console_;
    gb_on_result cb_;
    void *arg_;
};

} // namespace

extern "C" void gb_register(const gb_case *c)
{
    g_by_name[c->name] = c;
    benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(c->name, run_case, c)
                                            ->UseManualTime();
    if (c->iterations)
        b->Iterations(static_cast<benchmark::IterationCount>(c->iterations));
}

extern "C" int gb_run(int argc, char **argv, gb_console console, gb_on_result on_result, void *arg)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return -1;
    ForwardingReporter reporter(console, on_result, arg);
    benchmark::RunSpecifiedBenchmarks(&reporter);
    deactivate();
    benchmark::Shutdown();
    return reporter.failed;
}

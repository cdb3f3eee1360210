# scaling: one column per threaded pattern. Top, the aggregate throughput
# of all threads (millions of ops per second): a strategy that scales rises
# with threads, one behind a lock falls. Bottom, the median thread's ns per
# op: the cost each CPU sees. Threads are pinned one per CPU. Each row
# shares one y range (mops_lo..mops_hi, ns_lo..ns_hi), so that panels side
# by side compare.
fig_w = 1400
fig_h = 760
load style_path
n = words(strats)
unset title
set label 98 fig_title at screen 0.5, screen 0.94 center font ",13"
set multiplot layout 2, npat margins 0.06, 0.99, 0.16, 0.82 spacing 0.035, 0.07
set xrange [0.5:tmax + 0.5]
set xtics 1, 1, tmax
set logscale y
set format y "%.10g"
# The legend: one row of labels under the panels (a key would take the
# width of one panel only).
do for [i=1:n] {
    set label (200 + i) word(strats, i) at screen (i - 0.5) / n * 0.8 + 0.1, screen 0.035 left offset 1.2, 0 \
        point pt spoint(word(strats, i)) ps 1.3 lc rgb scolor(word(strats, i)) textcolor rgb "#222222"
}
set key off
do for [p=1:npat] {
    set title word(pats, p) . " (" . word(phases, p) . ")" font ",11" offset 0, -0.4
    set xlabel ""
    set ylabel (p == 1 ? "aggregate Mops/s (log)" : "")
    set yrange [mops_lo:mops_hi]
    plot for [i=1:n] datafile using 2:($1 == p-1 ? column(2*i+1) : NaN) with linespoints lw 2 ps 1.2 \
         lc rgb scolor(word(strats, i)) pt spoint(word(strats, i)) notitle
}
do for [p=1:npat] {
    unset title
    set xlabel "threads"
    set ylabel (p == 1 ? "ns per op, median thread (log)" : "")
    set yrange [ns_lo:ns_hi]
    plot for [i=1:n] datafile using 2:($1 == p-1 ? column(2*i+2) : NaN) with linespoints lw 2 ps 1.2 \
         lc rgb scolor(word(strats, i)) pt spoint(word(strats, i)) notitle
}
unset multiplot

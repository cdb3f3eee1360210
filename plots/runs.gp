# runs: two panels over the same strategies. Left, how many 2 MiB (512-frame)
# runs are still free after the pattern, as a share of the region's 2 MiB
# slots, with the count written on the bar (a 0 must not look like a
# missing bar). Right, what one aligned run alloc + free costs. One bar per
# fragmentation level: solid at 0 %, light above that. one_panel: every
# strategy left the same runs (the title says how many): the cost alone.
fig_w = 1280
fig_h = 660
load style_path
n = words(strats)
k = words(frags)
bw = 0.8 / k
bar(x, j) = x - 0.4 + (j - 0.5) * bw
shade(j) = j == 1 ? 1.0 : 0.35
c(j, f) = 1 + 5 * (j - 1) + f    # column f (1..5) of fragmentation level j
# The multiplot title has no offset, so the title is a label placed under
# the corner, and the panels get explicit margins to leave room for it.
unset title
set label 98 fig_title at screen 0.5, screen 0.92 center font ",13"
if (one_panel) {
    set multiplot layout 1, 1 margins 0.07, 0.98, 0.22, 0.84
} else {
    set multiplot layout 1, 2 margins 0.07, 0.98, 0.22, 0.84 spacing 0.09, 0
}
set xrange [0.4:n + 0.6]
eval "set xtics " . xtics_def
set xtics font ",9"
set grid noxtics
set xlabel "strategy"

if (!one_panel) {
set yrange [0:118]
set ytics 0, 20, 100
set ylabel sprintf("2 MiB runs still free (%% of the region's %d)", slots)
plot for [j=1:k] for [i=1:n] datafile every ::(i-1)::(i-1) \
         using (bar($1,j)):(column(c(j,1))):(bar($1,j)-bw/2):(bar($1,j)+bw/2):(0):(column(c(j,1))) \
         with boxxyerror fs solid shade(j) border lc rgb scolor(word(strats, i)) lc rgb scolor(word(strats, i)), \
     for [j=1:k] datafile using (bar($1,j)):(column(c(j,1))):(stringcolumn(c(j,2))) \
         with labels rotate by 90 left offset 0, 0.4 font ",8", \
     for [j=1:k] keyentry with boxes fs solid shade(j) lc rgb "#555555" \
         title word(frags, j) . " % fragmented"
}

set logscale y
set yrange [*:*]
set ytics auto
set format y "%.10g"
set ylabel sprintf("ns per %d-frame alloc_run + free_run (log scale)", run)
plot for [j=1:k] for [i=1:n] datafile every ::(i-1)::(i-1) \
         using (bar($1,j)):(column(c(j,3))):(bar($1,j)-bw/2):(bar($1,j)+bw/2):(1):(column(c(j,3))) \
         with boxxyerror fs solid shade(j) border lc rgb scolor(word(strats, i)) lc rgb scolor(word(strats, i)), \
     for [j=1:k] datafile using (bar($1,j)):(column(c(j,4))):(0):(column(c(j,5)) - column(c(j,4))) \
         with vectors nohead lw 1.5 lc rgb "#333333" title (j == 1 ? "spread of repetitions" : ""), \
     for [j=1:k] keyentry with boxes fs solid shade(j) lc rgb "#555555" \
         title word(frags, j) . " % fragmented"
unset multiplot

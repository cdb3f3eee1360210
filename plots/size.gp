# ns per op against region size for one pattern: one line per strategy,
# median with bars: its confidence interval (min–max in older files). Log–log, so O(n) and O(1) strategies both fit
# and slopes read as growth orders. Skipped cells are NaN: a gap.
load style_path
set logscale xy
set xrange [xmin:xmax]
eval "set xtics " . xtics_def
set format y "%.10g"
set xlabel "region size managed (log scale)"
set ylabel "ns per op (log scale)"
n = words(strats)
plot for [i=1:n] datafile using 1:(column(3*i-1)):(column(3*i)):(column(3*i+1)) \
     with yerrorlines lw 2 ps 1.3 \
     lc rgb scolor(word(strats, i)) pt spoint(word(strats, i)) title word(strats, i)

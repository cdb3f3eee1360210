# churn: ns per op against occupancy at one size. Occupancies are spaced
# evenly (0, 50, 90, 99, 99.9 %), because the interesting part is the last
# nines, which a linear axis would squeeze into one pixel.
load style_path
set logscale y
set xrange [0.6:npoints + 0.4]
eval "set xtics " . xtics_def
set format y "%.10g"
set xlabel "occupancy: share of frames in use before each op"
set ylabel "ns per op (log scale)"
n = words(strats)
plot for [i=1:n] datafile using 1:(column(3*i-1)):(column(3*i)):(column(3*i+1)) \
     with yerrorlines lw 2 ps 1.3 \
     lc rgb scolor(word(strats, i)) pt spoint(word(strats, i)) title word(strats, i)

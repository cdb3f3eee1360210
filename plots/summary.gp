# The first picture: every strategy's median cost relative to the baseline,
# per pattern, at one size. Each bar grows from 1 (the baseline) to the
# ratio, so "faster" hangs down and "slower" stands up on a log axis where
# 10x faster and 10x slower are the same length. A cell the run skipped
# says "skipped" where its bar would be, so it is not mistaken for a tie.
fig_w = 1280
fig_h = 760
load style_path
n = words(strats)
bw = 0.8 / n
set logscale y
set yrange [ymin:ymax]
set xrange [0.5:npat + 0.5]
eval "set xtics " . xtics_def
set xtics scale 0 font ",10"
set format y "%g×"
set grid noxtics
set ylabel "ns per op ÷ " . base . "'s (log scale)"
set bmargin 11
do for [p=1:npat-1] { set arrow from p + 0.5, graph 0 to p + 0.5, graph 1 nohead lc rgb "#cccccc" back }
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb scolor(base) front
bar(x, i) = x - 0.4 + (i - 0.5) * bw
r(i) = column(2*i)          # ratio of strategy i
skipped(i) = column(2*i+1)  # 1: the run skipped this cell
# The "skipped" labels only where a cell was skipped: gnuplot fails (and
# 5.4 can crash) on a labels plot whose every point is undefined.
bars = 'for [i=1:n] datafile using (bar($1,i)):(r(i)):(bar($1,i)-bw/2):(bar($1,i)+bw/2):(r(i) < 1 ? r(i) : 1):(r(i) < 1 ? 1 : r(i)) with boxxyerror fs solid 0.55 border lc rgb scolor(word(strats, i)) lc rgb scolor(word(strats, i))'
skips = 'for [i=1:n] datafile using (bar($1,i)):(skipped(i) > 0 ? 1 : NaN):("skipped") with labels rotate by 90 left offset 0, 0.3 font ",8" tc rgb scolor(word(strats, i))'
marks = 'for [i=1:n] datafile using (bar($1,i)):(r(i)) with points ps 1.1 lc rgb scolor(word(strats, i)) pt spoint(word(strats, i)) title word(strats, i)'
basekey = 'keyentry with lines lw 2 lc rgb scolor(base) title base . " = 1"'
eval "plot " . bars . (nskipped > 0 ? ", " . skips : "") . ", " . marks . ", " . basekey

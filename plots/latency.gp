# Per-op latency tail: for each strategy three bars, p50 (solid), p99
# (half) and p99.9 (light), on one log axis, and the largest kept sample as
# a mark above them. Samples the host or an interrupt took are not drawn
# (the title counts them). Bars start at `floor`, not 0, because a log axis
# has no 0.
load style_path
n = words(strats)
bw = 0.26
set logscale y
set yrange [floor:*]
set xrange [0.4:n + 0.6]
eval "set xtics " . xtics_def
set format y "%.10g"
set grid noxtics
set xlabel "strategy"
set ylabel "ns for one op (log scale)"
bar(x, j) = x + (j - 2) * bw
plot \
  for [i=1:n] datafile every ::(i-1)::(i-1) using (bar($1,1)):2:(bar($1,1)-bw/2):(bar($1,1)+bw/2):(floor):2 \
      with boxxyerror fs solid 1.0 border lc rgb scolor(word(strats, i)) lc rgb scolor(word(strats, i)), \
  for [i=1:n] datafile every ::(i-1)::(i-1) using (bar($1,2)):3:(bar($1,2)-bw/2):(bar($1,2)+bw/2):(floor):3 \
      with boxxyerror fs solid 0.55 border lc rgb scolor(word(strats, i)) lc rgb scolor(word(strats, i)), \
  for [i=1:n] datafile every ::(i-1)::(i-1) using (bar($1,3)):4:(bar($1,3)-bw/2):(bar($1,3)+bw/2):(floor):4 \
      with boxxyerror fs solid 0.2 border lc rgb scolor(word(strats, i)) lc rgb scolor(word(strats, i)), \
  for [i=1:n] datafile every ::(i-1)::(i-1) using 1:5 \
      with points pt 2 ps 1.5 lw 2 lc rgb scolor(word(strats, i)), \
  keyentry with boxes fs solid 1.0 lc rgb "#555555" title "p50", \
  keyentry with boxes fs solid 0.55 lc rgb "#555555" title "p99", \
  keyentry with boxes fs solid 0.2 lc rgb "#555555" title "p99.9", \
  keyentry with points pt 2 ps 1.5 lw 2 lc rgb "#555555" title "max kept"

# Metadata: bytes of allocator state per GiB managed, one bar per strategy,
# on a log axis (a bitmap is 32 KiB/GiB, a free-list stack 2 MiB/GiB), with
# the exact value on each bar and bits per frame under its name.
load style_path
n = words(strats)
set logscale y 2
set yrange [floor:*]
set xrange [0.4:n + 0.6]
eval "set xtics " . xtics_def
eval "set ytics " . ytics_def
set grid noxtics
set xtics font ",10"
set xlabel "strategy, and its metadata in bits per 4 KiB frame" offset 0, -1
set ylabel "metadata bytes per GiB managed (log scale)"
plot for [i=1:n] datafile every ::(i-1)::(i-1) using 1:2:($1-0.35):($1+0.35):(floor):2 \
         with boxxyerror fs solid 0.8 border lc rgb scolor(word(strats, i)) lc rgb scolor(word(strats, i)), \
     datafile using 1:2:3 with labels offset 0, 0.8 font ",10"

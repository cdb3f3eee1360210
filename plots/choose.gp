# Which strategy: one row per allocator, cheapest typical cost on top. The
# marker is the geometric mean of its ns per op over the fastest
# strategy's on each compared pattern, the line runs out to its worst
# pattern's ratio (how bad it gets), both on one log axis: 1x is the
# fastest on a pattern. Under its name: metadata per
# frame and the share of 2 MiB blocks left wholly free after frag, which
# also fills the marker (darker: more huge pages stay available).
fig_w = 1280
fig_h = 860
load style_path
set logscale x
set xrange [xmin:xmax]
set yrange [n + 0.6:0.4]
eval "set ytics " . ytics_def
set ytics scale 0 font ",10"
set format x "%g×"
set grid xtics noytics
set xlabel "ns per op ÷ the fastest strategy's on that pattern (log scale): marker the typical cost, line to the worst"
set lmargin 36
set rmargin 16
set palette defined (0 "#f7fbff", 30 "#6baed6", 60 "#08306b")
set cbrange [0:60]
set cblabel "2 MiB blocks free after frag (%)"
set colorbox vertical user origin screen 0.92, screen 0.25 size screen 0.015, screen 0.5
set arrow from first 1, graph 0 to first 1, graph 1 nohead dt 2 lw 2 lc rgb "#555555" back
unset key
plot for [i=1:n] datafile every ::(i-1)::(i-1) using 2:1:($3-$2):(0) with vectors nohead lw 3 \
         lc rgb scolor(word(strats, i)), \
     datafile using 3:1 with points pt 3 ps 1.5 lc rgb "#333333", \
     datafile using 2:1 with points pt 7 ps 3.5 lc rgb "white", \
     datafile using 2:1:4 with points pt 7 ps 3.5 lc palette, \
     for [i=1:n] datafile every ::(i-1)::(i-1) using 2:1 with points pt 6 ps 3.5 lw 3 \
         lc rgb scolor(word(strats, i)), \
     datafile using 2:1:5 with labels left offset 2.2, 1.35 font ",9"

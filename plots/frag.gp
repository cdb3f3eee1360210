# frag: how many aligned 2 MiB blocks are wholly free after each iteration,
# as a share of the region's blocks, one line per strategy (strategies
# whose series are identical share one, labelled a=b=c: `labels`). Linux's buddy
# allocator stays flat here in LLFree's measurement; a strategy that packs
# its allocations low climbs, one that scatters them falls to 0.
load style_path
set xrange [0:niter + 1]
set yrange [0:*]
set xlabel "iteration (each frees and reallocates 10 % of the live allocations)"
set ylabel sprintf("2 MiB blocks wholly free (%% of the region's %d)", blocks)
set key inside left top vertical Left reverse
# Its title runs to four lines: room above it for the corner.
set tmargin 8
n = words(strats)
plot for [i=1:n] datafile using 1:(column(i+1)) with lines lw 2 \
     lc rgb scolor(word(strats, i)) title word(labels, i)

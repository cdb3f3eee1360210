# Look shared by every figure: terminal, fonts, frame, corner, and the one
# table that gives each strategy its colour and marker in all figures.
# Each figure script loads it first. Set before: term ('png' or 'svg'), outfile, corner, all_strats,
# fig_title; optionally fig_w, fig_h (pixels).

if (!exists("fig_w")) fig_w = 1000
if (!exists("fig_h")) fig_h = 660
# noenhanced: names like free_all must not turn into subscripts.
if (term eq "svg") {
    set terminal svg size fig_w, fig_h dynamic noenhanced font "DejaVu Sans,13" background "#ffffff"
} else {
    set terminal pngcairo size fig_w, fig_h noenhanced font "DejaVu Sans,11" background "#ffffff"
}
set encoding utf8
set output outfile

# The strategy palette. KNOWN (context.gp) names the built-in strategies by
# slot, in the library's order (the results file's `palette`): slot 1 is
# linear, the seed, in black. Colours: Okabe–Ito plus one, distinct for
# colour-blind readers, then four for the thread-safe strategies. Markers
# differ too, so a greyscale print still tells the lines apart.
if (!exists("KNOWN")) KNOWN = ""
KCOLOR = "#000000 #E69F00 #56B4E9 #009E73  #0072B2 #D55E00 #CC79A7  #882255 #999933 #AA4499 #332288 #EE3377"
KPOINT = "7       5       9       11       13      4       6        8       10      12      14      15"
# Names not in the table (a plug-in) get a spare colour and marker from a
# checksum of the name (gp_out.py: spare_slots), so the same in every figure
# and from one results file to the next.
SPARE_COLOR = "#44AA99 #117733 #888888 #661100 #6699CC #DDCC77"
SPARE_POINT = "1 2 3 1 2 3"

_pos(w, list, i) = i > words(list) ? 0 : (word(list, i) eq w ? i : _pos(w, list, i + 1))
_known(s) = _pos(s, KNOWN, 1)
_spare(s) = _pos(s, spare_strats, 1) ? word(spare_slots, _pos(s, spare_strats, 1)) + 0 : 1
scolor(s) = _known(s) ? word(KCOLOR, _known(s)) : word(SPARE_COLOR, _spare(s))
spoint(s) = (_known(s) ? word(KPOINT, _known(s)) : word(SPARE_POINT, _spare(s))) + 0

# Frame: data first, furniture quiet. The legend goes below the plot so it
# never covers a line; the corner, on a line of its own above the title,
# says which run the numbers come from.
set title fig_title font ",13" offset 0, -0.6
set tmargin 6
set border 3 lc rgb "#444444"
set tics nomirror
set style line 100 lc rgb "#dcdcdc" lw 1 dt 1
set grid xtics ytics back ls 100
set key outside below center horizontal noautotitle samplen 2.5 spacing 1.1 width 1
set label 99 corner at screen 0.995, screen 0.975 right font ",9" textcolor rgb "#666666" front
set bmargin 7

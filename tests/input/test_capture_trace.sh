#!/bin/sh
# The error paths of tools/capture-trace that need no privileges: missing
# perf, bad usage.  Each must fail with status != 0 and say why.
script=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() { # expect NAME WANTED-TEXT COMMAND...
    name=$1 wanted=$2
    shift 2
    out=$("$@" 2>&1) && { echo "FAIL $name: exit 0"; fail=1; return; }
    case $out in
    *"$wanted"*) echo "ok   $name" ;;
    *) echo "FAIL $name: wanted \"$wanted\" in: $out"; fail=1 ;;
    esac
}

# A PATH holding only a shell and the basics, no perf.
mkdir "$tmp/bin"
for tool in sh mktemp rm gzip cat grep dirname basename mv; do
    p=$(command -v $tool) && ln -s "$p" "$tmp/bin/$tool"
done
expect "no perf" "perf is not installed" env PATH="$tmp/bin" /bin/sh "$script" -o "$tmp/t.txt" -- true
expect "no command" "usage" /bin/sh "$script" -o "$tmp/t.txt"
expect "bad option" "usage" /bin/sh "$script" -x -- true
# A fake perf with no kmem tracepoints.
cat >"$tmp/bin/perf" <<'FAKE'
#!/bin/sh
exit 0
FAKE
chmod +x "$tmp/bin/perf"
expect "no tracepoints" "kmem tracepoints" env PATH="$tmp/bin" /bin/sh "$script" -o "$tmp/t.txt" -- true

# A fake perf that lists the tracepoints but may not trace the kernel.
cat >"$tmp/bin/perf" <<'FAKE'
#!/bin/sh
case $1 in
list) echo "  kmem:mm_page_alloc  [Tracepoint event]"; echo "  kmem:mm_page_free  [Tracepoint event]" ;;
record) echo "Error: Access to performance monitoring and observability operations is limited." >&2; exit 255 ;;
esac
FAKE
expect "permission denied" "perf_event_paranoid" env PATH="$tmp/bin" /bin/sh "$script" -o "$tmp/t.txt" -- true

# A fake perf that records: the script's own plumbing (gzip on .gz) works.
cat >"$tmp/bin/perf" <<'FAKE'
#!/bin/sh
case $1 in
list) echo "  kmem:mm_page_alloc  [Tracepoint event]"; echo "  kmem:mm_page_free  [Tracepoint event]" ;;
record) while [ "$1" != -o ]; do shift; done; echo data >"$2" ;;
script) echo " cc1 1 [000] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=0" ;;
esac
FAKE
if env PATH="$tmp/bin" /bin/sh "$script" -o "$tmp/t.txt.gz" -- true 2>/dev/null &&
    gzip -dc "$tmp/t.txt.gz" | grep -q 'pfn=0x1 order=0'; then
    echo "ok   gzip'd output"
else
    echo "FAIL gzip'd output"
    fail=1
fi
# A write that fails part way (a full disk: a gzip that writes half and
# fails) leaves the previous trace as it was and no partial file.
echo "previous trace" >"$tmp/keep.txt.gz"
mkdir "$tmp/full"
cp "$tmp/bin/"* "$tmp/full/"
rm "$tmp/full/gzip"
cat >"$tmp/full/gzip" <<'FAKE'
#!/bin/sh
echo half
exit 1
FAKE
chmod +x "$tmp/full/gzip"
if env PATH="$tmp/full" /bin/sh "$script" -o "$tmp/keep.txt.gz" -- true 2>/dev/null; then
    echo "FAIL full disk: exit 0"
    fail=1
elif [ "$(cat "$tmp/keep.txt.gz")" = "previous trace" ] && [ -z "$(ls -A "$tmp" | grep part)" ]; then
    echo "ok   full disk keeps the previous trace"
else
    echo "FAIL full disk: previous trace changed or partial file left: $(ls -A "$tmp")"
    fail=1
fi
exit $fail

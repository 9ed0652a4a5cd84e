#!/usr/bin/env bash
# What 1 and 2 threads of libgit2 blob reads cost: the record blobs a cold history read reads (every distinct blob
# under ROOT, in `git log` order, newest first), read through libgit2 with the settings isms uses, alternating the
# configurations below RUNS times each. Prints per configuration the wall time (min / median), the process's CPU
# (user + system, median), the blob threads' own CPU (median of their sum), the tree thread's CPU and the process's
# voluntary context switches (median: a thread blocked on a contended mutex sleeps in futex_wait, one switch each).
# See docs/performance.md, "Record blobs on two threads".
#
#   scripts/bench-blob-reads.sh REPO [RUNS] [ROOT]        (ROOT defaults to isms; RUNS to 7)
#   CONFIGS="THREADS=1;THREADS=2" scripts/bench-blob-reads.sh REPO   # any of the settings in bench-blob-reads.c
set -euo pipefail
repo=${1:?usage: $0 REPO [RUNS] [ROOT]}
runs=${2:-7}
root=${3:-isms}
here=$(cd "$(dirname "$0")" && pwd)
work=${WORK:-/tmp/bench-blob-reads.$USER}
mkdir -p "$work"
cc -O2 -g -o "$work/bbr" "$here/bench-blob-reads.c" $(pkg-config --cflags --libs libgit2) -lpthread
git -C "$repo" log --raw --no-renames --no-abbrev --format= -- "$root" |
    awk '$4 !~ /^0+$/ && !seen[$4]++ {print $4}' >"$work/blobs.txt"
git -C "$repo" rev-list --objects HEAD -- "$root" | cut -c1-40 |
    git -C "$repo" cat-file --batch-check='%(objecttype) %(objectname)' | awk '$1 == "tree" {print $2}' >"$work/trees.txt"
echo "$(wc -l <"$work/blobs.txt") blobs, $(wc -l <"$work/trees.txt") trees under $root; load: $(cut -d' ' -f1-3 /proc/loadavg)"

default='THREADS=1;THREADS=2;THREADS=2 HANDLES=own;THREADS=2 HANDLES=alias;THREADS=1 API=header;THREADS=1 API=blob'
default+=';THREADS=0 TREES_THREAD=1;THREADS=1 HANDLES=own TREES_THREAD=1;THREADS=1 HANDLES=alias TREES_THREAD=1'
default+=';THREADS=2 HANDLES=own TREES_THREAD=1;THREADS=2 HANDLES=alias TREES_THREAD=1'
IFS=';' read -r -a configs <<<"${CONFIGS:-$default}"
: >"$work/results.txt"
for ((run = 0; run < runs; run++)); do
    for index in "${!configs[@]}"; do
        line=$(env ${configs[$index]} "$work/bbr" "$repo" "$work/blobs.txt" "$work/trees.txt")
        echo "$index $line" >>"$work/results.txt"
    done
done
printf '%-44s %8s %8s %8s %12s %12s %8s\n' configuration "wall min" "wall med" "CPU med" "blob thr CPU" "tree thr CPU" "vcsw med"
for index in "${!configs[@]}"; do
    awk -v i="$index" -v name="${configs[$index]}" '
        function median(a, n,   j, k, t) {
            for (j = 1; j <= n; j++) for (k = j + 1; k <= n; k++) if (a[k] < a[j]) { t = a[j]; a[j] = a[k]; a[k] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        $1 == i {
            n++
            for (f = 2; f <= NF; f++) {
                split($f, kv, "=")
                if (kv[1] == "wall") wall[n] = kv[2]
                if (kv[1] == "user") cpu[n] = kv[2]
                if (kv[1] == "sys") cpu[n] += kv[2]
                if (kv[1] == "blob-threads-cpu") { m = split(kv[2], parts, "/"); blob[n] = 0; for (p = 1; p <= m; p++) blob[n] += parts[p] }
                if (kv[1] == "trees-cpu") tree[n] = kv[2]
                if (kv[1] == "vcsw") switches[n] = kv[2]
            }
        }
        END {
            for (j = 1; j <= n; j++) w[j] = wall[j]
            minimum = w[1]; for (j = 2; j <= n; j++) if (w[j] < minimum) minimum = w[j]
            printf "%-44s %8.0f %8.0f %8.0f %12.0f %12s %8.0f\n", name, minimum, median(w, n), median(cpu, n), median(blob, n),
                (tree[1] == "" ? "-" : sprintf("%.0f", median(tree, n))), median(switches, n)
        }' "$work/results.txt"
done

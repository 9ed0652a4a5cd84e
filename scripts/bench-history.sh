#!/usr/bin/env bash
# Measures `isms history/log` against git on a generated repository of 2,000 records and 20,000 commits
# (scripts/gen-history-repo.py), side by side in one run. Prints a Markdown table for docs/performance.md.
#
#   scripts/bench-history.sh [--runs N] [--dir FOLDER]
#
# Cold: `isms log --no-cache` over the whole history vs `git log --raw --no-renames --format=%H -- isms`.
# Warm: `isms history ID` with the cache built vs `git log --follow -p -- <that record's file>`.
# Incremental: one new commit, then `isms log` (whole output, and `--since` the new commit's day).
# Warm rows users wait on (scripts/bench-compare.sh, one build): `check --base HEAD~20` (the pull-request gate)
# against `git log --raw --no-renames -- isms`, `check --staged` with one staged record against
# `git diff --cached --raw`, and `check`.
# Memory: peak resident set of the cold run (`/usr/bin/time -v`).
# Wall times are the minimum and median of the runs; CPU is user+system. On a shared machine wall times
# include waiting for a core, so both are shown.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=5
DIR=${TMPDIR:-/tmp}/isms-history-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--dir FOLDER]" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (for peak memory)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time
fi

swift build -c release --static-swift-stdlib >&2
ISMS=$PWD/.build/release/isms
GEN=$PWD/scripts/gen-history-repo.py

REPO=$("$(dirname "$GEN")/bench-repo.sh" "$DIR")
cd "$REPO"

COMMITS=$(git rev-list --count HEAD)
FILE=$(git log --format= --name-only -- isms/risks | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}')
ID=$(awk '/^id:/ {print $2; exit}' "$FILE")
BLOBS=$(git log --raw --no-renames --abbrev=40 --format= -- isms | awk '$4 !~ /^0+$/ {print $4}' | sort -u | wc -l)

# run NAME COMMAND... : times the command RUNS times; sets WALL_MIN WALL_MED (ms) and CPU_MED (ms).
run() {
  local walls=() cpus=() out=$DIR/time.out
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$out" "$@" > /dev/null 2>&1
    end=$(date +%s%N)
    walls+=($(( (end - start) / 1000000 )))
    cpus+=($(awk '{printf "%d", ($1 + $2) * 1000}' "$out"))
  done
  WALL_MIN=$(printf '%s\n' "${walls[@]}" | sort -n | head -1)
  WALL_MED=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  CPU_MED=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
}

row() { printf '| %s | `%s` | %s | %s | %s |\n' "$1" "$2" "$WALL_MIN" "$WALL_MED" "$CPU_MED"; }

echo "Repository: $COMMITS commits, $(find isms -name '*.yaml' -path '*/*/*' | wc -l) record files at HEAD, $BLOBS distinct record blobs;"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; $RUNS runs each."
echo
echo "| Measure | Command | Wall min (ms) | Wall median (ms) | CPU median (ms) |"
echo "|---|---|---:|---:|---:|"

run "$ISMS" log --no-cache --root isms; ISMS_COLD=$WALL_MIN; row "cold, whole history" "isms log --no-cache"
run git log --raw --no-renames --format=%H -- isms; GIT_RAW=$WALL_MIN; row "git, same walk" "git log --raw --no-renames --format=%H -- isms"

"$ISMS" log --root isms > /dev/null 2>&1   # builds the cache
run "$ISMS" history "$ID" --root isms; ISMS_WARM=$WALL_MIN; row "warm, one record" "isms history $ID"
run git log --follow -p -- "$FILE"; GIT_FOLLOW=$WALL_MIN; row "git, one file" "git log --follow -p -- $FILE"

# The pull-request gate, the pre-commit hook and check, warm, each beside git's comparable command in the same run
# (scripts/bench-compare.sh with one build; it stages one record change for the hook and resets it after).
echo
ROWS=warm "$(dirname "$GEN")/bench-compare.sh" - "$ISMS" "$REPO" "$RUNS"
echo

# One new commit before each timed run: the run reads just that commit and the cache.
incremental() {
  local walls=() cpus=() out=$DIR/time.out since=$1
  for i in $(seq "$RUNS"); do
    sed -i "s/^likelihood: .*/likelihood: $(( i % 5 + 1 ))/" "$FILE"
    git commit -q -am "bench $i"
    local start end
    start=$(date +%s%N)
    if [ -n "$since" ]; then
      /usr/bin/time -f "%U %S" -o "$out" "$ISMS" log --root isms --since "$(date +%F)" > /dev/null 2>&1
    else
      /usr/bin/time -f "%U %S" -o "$out" "$ISMS" log --root isms > /dev/null 2>&1
    fi
    end=$(date +%s%N)
    walls+=($(( (end - start) / 1000000 )))
    cpus+=($(awk '{printf "%d", ($1 + $2) * 1000}' "$out"))
  done
  WALL_MIN=$(printf '%s\n' "${walls[@]}" | sort -n | head -1)
  WALL_MED=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  CPU_MED=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
}
incremental ""; ISMS_INC=$WALL_MIN; row "incremental, whole log printed" "git commit …; isms log"
incremental since; ISMS_INC_SINCE=$WALL_MIN; row "incremental, new entries printed" "git commit …; isms log --since $(date +%F)"

PEAK=$(/usr/bin/time -v "$ISMS" log --no-cache --root isms 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')
echo
echo "Peak memory of the cold run (\`/usr/bin/time -v isms log --no-cache\`): $(( PEAK / 1024 )) MB."
echo
echo "Targets (wall, minimum): cold within 2× git: $(awk -v a="$ISMS_COLD" -v b="$GIT_RAW" 'BEGIN {printf "%.2f×", a / b}');"
echo "warm < 50 ms and faster than git --follow: ${ISMS_WARM} ms vs ${GIT_FOLLOW} ms;"
echo "incremental < 100 ms: ${ISMS_INC} ms (whole log), ${ISMS_INC_SINCE} ms (--since); memory < 300 MB: $(( PEAK / 1024 )) MB."
echo
echo "Phases of one cold run (ISMS_TIMING=1):"
ISMS_TIMING=1 "$ISMS" log --no-cache --root isms 2>&1 >/dev/null | sed 's/^isms: note: timing: /    /'
git reset -q --hard "$(git rev-list --max-count=1 --grep='^bench ' --invert-grep HEAD)"

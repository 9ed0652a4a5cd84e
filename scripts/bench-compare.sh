#!/usr/bin/env bash
# Two builds of isms side by side on the same repositories, in one run, interleaved (old, new, old, new, …) so that
# the machine's load falls on both alike: the proof that a refactoring is no slower. Prints a Markdown table of
# medians and the new/old ratios, of wall time and of CPU time (user + system, which a busy machine inflates far
# less than wall time).
#
#   scripts/bench-compare.sh OLD_ISMS NEW_ISMS [--runs N] [--repo BENCH_REPO]
#
# BENCH_REPO is a repository from scripts/gen-history-repo.py (ISMS in isms/; default: the one bench-history.sh
# makes). Both binaries should be release builds (`swift build -c release --static-swift-stdlib`).
set -euo pipefail
OLD=$(realpath "$1"); NEW=$(realpath "$2"); shift 2
RUNS=5
REPO=${TMPDIR:-/tmp}/isms-history-bench/repo
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --repo) REPO=$2; shift 2 ;;
    *) echo "usage: $0 OLD NEW [--runs N] [--repo DIR]" >&2; exit 2 ;;
  esac
done
EXAMPLE=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
FILE=$(git log --format= --name-only -- isms/risks | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}')
ID=$(awk '/^id:/ {print $2; exit}' "$FILE")

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
# "wall cpu" in ms for one run of the command.
ms() {
  local s e out; out=$(mktemp); s=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$out" "$@" >/dev/null 2>&1 || true
  e=$(date +%s%N)
  echo "$(( (e - s) / 1000000 )) $(awk '{printf "%d", ($1 + $2) * 1000}' "$out")"; rm -f "$out"
}
ratio() { awk -v o="$1" -v n="$2" 'BEGIN {printf "%.2f", (o > 0 ? n / o : 1)}'; }

# measure NAME PREPARE COMMAND...: PREPARE (a shell snippet) runs before each timed run of either binary.
measure() {
  local name=$1 prepare=$2; shift 2
  local ow=() oc=() nw=() nc=() r
  for _ in $(seq "$RUNS"); do
    eval "$prepare"; r=($(ms "$OLD" "$@")); ow+=("${r[0]}"); oc+=("${r[1]}")
    eval "$prepare"; r=($(ms "$NEW" "$@")); nw+=("${r[0]}"); nc+=("${r[1]}")
  done
  local mow mnw moc mnc
  mow=$(printf '%s\n' "${ow[@]}" | median); mnw=$(printf '%s\n' "${nw[@]}" | median)
  moc=$(printf '%s\n' "${oc[@]}" | median); mnc=$(printf '%s\n' "${nc[@]}" | median)
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$mow" "$mnw" "$(ratio "$mow" "$mnw")" "$moc" "$mnc" "$(ratio "$moc" "$mnc")"
}

echo "| measure (ms, median of $RUNS) | wall old | wall new | new/old | CPU old | CPU new | new/old |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
measure "check, $(git rev-list --count HEAD) commits, warm" "" check --root isms --as-of 2026-12-01
measure "check --base HEAD~20 (the gate), warm" "" check --root isms --as-of 2026-12-01 --base HEAD~20
measure "check --staged, warm" "" check --root isms --as-of 2026-12-01 --staged
measure "log --no-cache (cold history)" "" log --root isms --no-cache
measure "log, warm" "" log --root isms
measure "history $ID, warm" "" history "$ID" --root isms
measure "blame $ID, warm" "" blame "$ID" --root isms
measure "diff HEAD~20..HEAD" "" diff HEAD~20..HEAD --root isms --as-of 2026-12-01 --format json
cd "$EXAMPLE"
measure "check example-isms" "" check --root example-isms --as-of 2026-12-01
measure "report registers example-isms" "" report registers --root example-isms --as-of 2026-12-01

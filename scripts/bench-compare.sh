#!/usr/bin/env bash
# Times two isms builds side by side, interleaved, on a repository from scripts/gen-history-repo.py (ISMS in
# isms/), with git's comparable commands in the same run: the pre-commit hook (`check --staged`, one staged record
# change) against `git diff --cached --raw`, the pull-request gate (`check --base HEAD~20`) against
# `git log --raw --no-renames -- isms`, `check` and `history ID`, all with warm caches, then the other commands.
# Usage: scripts/bench-compare.sh OLD_ISMS NEW_ISMS REPO [RUNS]   (REPO is modified: one record change is staged,
#        and reset at the end)
#   OLD_ISMS "-": time NEW_ISMS alone (scripts/bench-history.sh and scripts/bench-check.sh do).
#   ROWS=warm: only the rows above the "other commands" (the gate, the hook, check, history, and git's).
# Prints, per command, the minimum and median wall time and the median CPU time (user + system) in ms of each
# build over RUNS runs (default 5), then each target of issue 16 for these rows as a ratio to git's minimum
# (from NEW_ISMS); the machine is shared, so CPU time is the steadier figure.
set -euo pipefail
new=$(realpath "$2"); repo=$(realpath "$3"); runs=${4:-5}
old=""; [ "$1" != "-" ] && old=$(realpath "$1")
builds=($old $new)
cd "$repo"
files=(isms/risks/*.yaml); file=${files[0]}; id=$(awk '/^id:/ {print $2; exit}' "$file")
tfile=$(mktemp)
# One run: "wall cpu" in ms.
ms() { local s e; s=$(date +%s%N); /usr/bin/time -f "%U %S" -o "$tfile" "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
       echo "$(( (e - s) / 1000000 )):$(tail -1 "$tfile" | awk '{printf "%d", ($1 + $2) * 1000}')"; }
# "wall-min wall-median cpu-median" of runs given as wall:cpu lines.
stats() { local runs; runs=$(cat)
    local w c; w=$(cut -d: -f1 <<<"$runs" | sort -n); c=$(cut -d: -f2 <<<"$runs" | sort -n)
    local n; n=$(wc -l <<<"$w"); local m=$(( (n + 1) / 2 ))
    printf "%5d %5d %5d" "$(sed -n 1p <<<"$w")" "$(sed -n ${m}p <<<"$w")" "$(sed -n ${m}p <<<"$c")"; }
declare -A best   # label -> the newest build's (or git's) minimum wall time, for the targets
measure() { # label, then the command with ISMS standing for the binary
    local label=$1; shift
    local o=() n=()
    for bin in "${builds[@]}"; do "${@/ISMS/$bin}" >/dev/null 2>&1 || true; done   # warm the caches of each
    for _ in $(seq "$runs"); do
        [ -n "$old" ] && o+=($(ms "${@/ISMS/$old}"))
        n+=($(ms "${@/ISMS/$new}"))
    done
    local newstats; newstats=$(printf '%s\n' "${n[@]}" | stats); best[$label]=$(awk '{print $1}' <<<"$newstats")
    if [ -n "$old" ]; then printf '| %-58s | %s | %s |\n' "$label" "$(printf '%s\n' "${o[@]}" | stats)" "$newstats"
    else printf '| %-58s | %s |\n' "$label" "$newstats"; fi
}
git_time() { local label=$1; shift; local t=(); for _ in $(seq "$runs"); do t+=($(ms "$@")); done
    local s; s=$(printf '%s\n' "${t[@]}" | stats); best[$label]=$(awk '{print $1}' <<<"$s")
    printf '| %-58s | %s |\n' "$label" "$s"; }
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each; ms: wall min, wall median, CPU median${old:+ (old | new)}"
git reset -q; git checkout -q -- isms
gate="check --root isms --base HEAD~20 --as-of 2026-12-01"; staged="check --root isms --staged --as-of 2026-12-01 (one record)"
git_time "git log --raw --no-renames -- isms" git log --raw --no-renames -- isms
measure "$gate" ISMS check --root isms --base HEAD~20 --as-of 2026-12-01
measure "check --root isms --as-of 2026-12-01" ISMS check --root isms --as-of 2026-12-01
measure "history $id --root isms" ISMS history "$id" --root isms
sed -i 's/^likelihood: .*/likelihood: 2/' "$file"; grep -q '^likelihood: 2' "$file" || echo "likelihood: 2" >> "$file"; git add "$file"
git_time "git diff --cached --raw" git diff --cached --raw
measure "$staged" ISMS check --root isms --staged --as-of 2026-12-01
git reset -q; git checkout -q -- isms
if [ "${ROWS:-all}" != warm ]; then
    # The other commands users wait on, so that a refactoring can be shown to cost nothing anywhere (docs/performance.md).
    measure "log --root isms --no-cache (cold history)" ISMS log --root isms --no-cache
    measure "log --root isms" ISMS log --root isms
    measure "blame $id --root isms" ISMS blame "$id" --root isms
    measure "diff HEAD~20..HEAD --root isms --format json" ISMS diff HEAD~20..HEAD --root isms --as-of 2026-12-01 --format json
    git_time "git log --raw --no-renames -- isms (again)" git log --raw --no-renames -- isms
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
# Issue 16's targets for these rows, on minimum wall times of the newest build.
awk -v g="${best[$gate]}" -v l="${best[git log --raw --no-renames -- isms]}" -v s="${best[$staged]}" \
    -v d="${best[git diff --cached --raw]}" -v c="${best[check --root isms --as-of 2026-12-01]}" 'BEGIN {
    printf "gate: %d ms = %.2f× git log --raw (target ≤ 0.25×)\n", g, g / l
    printf "pre-commit: %d ms (target ≤ 100 ms, and ≤ 100 + 2 × %d = %d ms)\n", s, d, 100 + 2 * d
    printf "check: %d ms (target ≤ 300 ms)\n", c }'

#!/usr/bin/env bash
# Times two isms builds side by side, interleaved, on a repository from scripts/gen-history-repo.py (ISMS in
# isms/), with git's comparable commands in the same run: the pre-commit hook (`check --staged`, one staged record
# change), the pull-request gate (`check --base HEAD~20`), `check` and `history ID`, all with warm caches.
# Usage: scripts/bench-compare.sh OLD_ISMS NEW_ISMS REPO [RUNS]   (REPO is modified: one record change is staged)
# Prints, per command, the minimum and median wall time and the median CPU time (user + system) in ms of each
# build over RUNS runs (default 5); the machine is shared, so CPU time is the steadier figure.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); repo=$(realpath "$3"); runs=${4:-5}
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
measure() { # label, then the command with ISMS standing for the binary
    local label=$1; shift
    local o=() n=() g=()
    for bin in "$old" "$new"; do "${@/ISMS/$bin}" >/dev/null 2>&1 || true; done   # warm the caches of both
    for _ in $(seq "$runs"); do
        o+=($(ms "${@/ISMS/$old}")); n+=($(ms "${@/ISMS/$new}"))
    done
    printf '| %-58s | %s | %s |\n' "$label" "$(printf '%s\n' "${o[@]}" | stats)" "$(printf '%s\n' "${n[@]}" | stats)"
}
git_time() { local label=$1; shift; local t=(); for _ in $(seq "$runs"); do t+=($(ms "$@")); done
    printf '| %-58s | %s |\n' "$label" "$(printf '%s\n' "${t[@]}" | stats)"; }
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each; ms: wall min, wall median, CPU median (old | new)"
git reset -q; git checkout -q -- isms
git_time "git log --raw --no-renames -- isms" git log --raw --no-renames -- isms
measure "check --root isms --base HEAD~20 --as-of 2026-12-01" ISMS check --root isms --base HEAD~20 --as-of 2026-12-01
measure "check --root isms --as-of 2026-12-01" ISMS check --root isms --as-of 2026-12-01
measure "history $id --root isms" ISMS history "$id" --root isms
sed -i 's/^likelihood: .*/likelihood: 2/' "$file"; grep -q '^likelihood: 2' "$file" || echo "likelihood: 2" >> "$file"; git add "$file"
git_time "git diff --cached --raw" git diff --cached --raw
measure "check --root isms --staged --as-of 2026-12-01 (one record)" ISMS check --root isms --staged --as-of 2026-12-01
git reset -q; git checkout -q -- isms
# The other commands users wait on, so that a refactoring can be shown to cost nothing anywhere (docs/performance.md).
measure "log --root isms --no-cache (cold history)" ISMS log --root isms --no-cache
measure "log --root isms" ISMS log --root isms
measure "blame $id --root isms" ISMS blame "$id" --root isms
measure "diff HEAD~20..HEAD --root isms --format json" ISMS diff HEAD~20..HEAD --root isms --as-of 2026-12-01 --format json
git_time "git log --raw --no-renames -- isms (again)" git log --raw --no-renames -- isms
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"

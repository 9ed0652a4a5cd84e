#!/usr/bin/env bash
# Measures `isms history/log` against git on a generated repository of 2,000 records and 20,000 commits
# (scripts/gen-history-repo.py), side by side in one run. Prints a Markdown table for docs/performance.md.
#
#   scripts/bench-history.sh [--runs N] [--dir FOLDER]          BIG=1 adds the 1,000,000-commit row;
#   ISMS_BIN=/path/to/isms times that build instead of building this tree; ROWS=ci times only the CI row
#   (ISMS_BIN2=/path/to/another/isms times it too, alternating with ISMS_BIN in the same fresh clones).
#
# Cold: `isms log --no-cache` over the whole history vs `git log --raw --no-renames --format=%H -- isms`.
# Warm: `isms history ID` with the cache built vs `git log --follow -p -- <that record's file>`.
# Incremental: one new commit, then `isms log` (whole output, and `--since` the new commit's day).
# Warm rows users wait on (scripts/bench-compare.sh, one build): `check --base HEAD~20` (the pull-request gate)
# against `git log --raw --no-renames -- isms`, `check --staged` with one staged record against
# `git diff --cached --raw`, and `check`.
# Memory: peak resident set of the cold run (`/usr/bin/time -v`) next to git's, and per commit, on 20,000 and
# 100,000 commits (and 1,000,000 with BIG=1: generating that repository takes a while and about 2 GB of disk).
# CI: a fresh clone (`git clone --no-local`, so no `.git/isms` cache) of a pull request 20 commits ahead of main,
# with every history rule on (require_signed_decisions, reference_pattern, an allowed-signers file), then
# `isms check --base origin/main` next to `git log --raw --no-renames -- isms` on the same clone.
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

# ISMS_BIN=path times another build (an older one, for a before/after) without building.
if [ -n "${ISMS_BIN:-}" ]; then ISMS=$(realpath "$ISMS_BIN"); else
  swift build -c release --static-swift-stdlib >&2
  ISMS=$PWD/.build/release/isms
fi
GEN=$PWD/scripts/gen-history-repo.py

REPO=$("$(dirname "$GEN")/bench-repo.sh" "$DIR")
cd "$REPO"

ROWS=${ROWS:-all}
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
    # `check` exits 1 when it finds something: only the time counts here.
    /usr/bin/time -f "%U %S" -o "$out" "$@" > /dev/null 2>&1 || true
    end=$(date +%s%N)
    walls+=($(( (end - start) / 1000000 )))
    cpus+=($(awk '{printf "%d", ($1 + $2) * 1000}' "$out"))
  done
  WALL_MIN=$(printf '%s\n' "${walls[@]}" | sort -n | head -1)
  WALL_MED=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  CPU_MED=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
}

row() { printf '| %s | `%s` | %s | %s | %s |\n' "$1" "$2" "$WALL_MIN" "$WALL_MED" "$CPU_MED"; }

if [ "$ROWS" != ci ]; then
echo "Repository: $COMMITS commits, $(find isms -name '*.yaml' -path '*/*/*' | wc -l) record files at HEAD, $BLOBS distinct record blobs;"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; $RUNS runs each."
echo
echo "| Measure | Command | Wall min (ms) | Wall median (ms) | CPU median (ms) |"
echo "|---|---|---:|---:|---:|"

run "$ISMS" log --no-cache --root isms; ISMS_COLD=$WALL_MIN; row "cold, whole history" "isms log --no-cache"
run git log --raw --no-renames --format=%H -- isms; GIT_RAW=$WALL_MIN; row "git, same walk" "git log --raw --no-renames --format=%H -- isms"
# The floor of a cold run: git's walk plus reading every distinct record blob once, which isms must also parse.
git log --raw --no-renames --abbrev=40 --format= -- isms | awk '$4 !~ /^0+$/ {print $4}' | sort -u > "$DIR/blobs.txt"
run sh -c "git log --raw --no-renames --format=%H -- isms > /dev/null && git cat-file --batch < '$DIR/blobs.txt'"
GIT_READS=$WALL_MIN; row "git, same reads" "git log --raw … && git cat-file --batch < the $BLOBS record blobs"

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

git reset -q --hard "$(git rev-list --max-count=1 --grep='^bench ' --invert-grep HEAD)"
echo
echo "Phases of one cold run (ISMS_TIMING=1):"
ISMS_TIMING=1 "$ISMS" log --no-cache --root isms 2>&1 >/dev/null | sed 's/^isms: note: timing: /    /'
fi

# CI: every job starts from a fresh clone. The origin is this repository plus a commit turning every history rule
# on (the base, main) and a pull request of 20 signed-off record changes (branch pr), made once.
ORIGIN=$DIR/ci-origin
if [ ! -f "$ORIGIN/isms/.isms/allowed_signers" ]; then
  echo "preparing $ORIGIN" >&2
  rm -rf "$ORIGIN" && git clone -q --no-local "$REPO" "$ORIGIN"
  (cd "$ORIGIN" && git config user.name "Bench Runner" && git config user.email bench@example.com \
     && git config commit.gpgsign false && mkdir -p isms/.isms \
     && printf 'require_signed_decisions: true\nreference_pattern: %s\n' "'SEC-[0-9]+'" >> isms/isms.yaml \
     && echo 'alice@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz0cHJvb2Ytb2YtY29uY2VwdC1rZXktZm9yLWJlbmNoAAA' \
          > isms/.isms/allowed_signers \
     && git add -A && git commit -qm "Enable the history rules" && git checkout -q -b pr \
     && f=$(find isms/risks -name '*.yaml' | sort | head -1) \
     && for i in $(seq 20); do sed -i "s/^likelihood: .*/likelihood: $(( i % 5 + 1 ))/" "$f"; git commit -qam "SEC-$i pr change $i"; done \
     && git checkout -q main)
fi
CLONE=$DIR/ci-clone
ci_walls=() ci_cpus=() git_walls=() git_cpus=() ci2_walls=() ci2_cpus=()
ISMS2=${ISMS_BIN2:+$(realpath "$ISMS_BIN2")}
for _ in $(seq "$RUNS"); do
  rm -rf "$CLONE" && git clone -q --no-local -b pr "$ORIGIN" "$CLONE"
  (cd "$CLONE" && RUNS=1 && run git log --raw --no-renames -- isms && echo "$WALL_MIN $CPU_MED" > "$DIR/ci-git") < /dev/null
  # Each build gets its own fresh copy of the clone (no .git/isms), one after the other.
  rm -rf "$CLONE-run" && cp -a "$CLONE" "$CLONE-run"
  ( cd "$CLONE-run" && RUNS=1 && run "$ISMS" check --root isms --base origin/main --as-of 2026-12-01 \
      && echo "$WALL_MIN $CPU_MED" > "$DIR/ci-isms" ) < /dev/null
  read -r w c < "$DIR/ci-git"; git_walls+=("$w"); git_cpus+=("$c")
  read -r w c < "$DIR/ci-isms"; ci_walls+=("$w"); ci_cpus+=("$c")
  if [ -n "$ISMS2" ]; then
    rm -rf "$CLONE-run" && cp -a "$CLONE" "$CLONE-run"
    ( cd "$CLONE-run" && RUNS=1 && run "$ISMS2" check --root isms --base origin/main --as-of 2026-12-01 \
        && echo "$WALL_MIN $CPU_MED" > "$DIR/ci-isms2" ) < /dev/null
    read -r w c < "$DIR/ci-isms2"; ci2_walls+=("$w"); ci2_cpus+=("$c")
  fi
done
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%d %d", a[1], a[int((NR+1)/2)]}'; }
read -r CI_MIN CI_MED <<< "$(stats "${ci_walls[@]}")"; read -r _ CI_CPU <<< "$(stats "${ci_cpus[@]}")"
read -r CG_MIN CG_MED <<< "$(stats "${git_walls[@]}")"; read -r _ CG_CPU <<< "$(stats "${git_cpus[@]}")"
echo
echo "CI, a fresh clone each run ($(git -C "$ORIGIN" rev-list --count pr) commits, every history rule on):"
echo
echo "| Measure | Command | Wall min (ms) | Wall median (ms) | CPU median (ms) |"
echo "|---|---|---:|---:|---:|"
printf '| %s | `%s` | %s | %s | %s |\n' "cold CI gate" "isms check --base origin/main" "$CI_MIN" "$CI_MED" "$CI_CPU"
printf '| %s | `%s` | %s | %s | %s |\n' "git, same clone" "git log --raw --no-renames -- isms" "$CG_MIN" "$CG_MED" "$CG_CPU"
if [ -n "$ISMS2" ]; then
  read -r C2_MIN C2_MED <<< "$(stats "${ci2_walls[@]}")"; read -r _ C2_CPU <<< "$(stats "${ci2_cpus[@]}")"
  printf '| %s | `%s` | %s | %s | %s |\n' "cold CI gate, ISMS_BIN2" "isms check --base origin/main" "$C2_MIN" "$C2_MED" "$C2_CPU"
fi
if [ "$ROWS" = ci ]; then
  echo
  echo "CI gate $(awk -v a="$CI_MIN" -v b="$CG_MIN" 'BEGIN {printf "%.2f×", a / b}') git (target 1.5×), CPU $(awk -v a="$CI_CPU" -v b="$CG_CPU" 'BEGIN {printf "%.2f×", a / b}')${ISMS2:+; ISMS_BIN2 $(awk -v a="$C2_MIN" -v b="$CG_MIN" 'BEGIN {printf "%.2f×", a / b}'), CPU $(awk -v a="$C2_CPU" -v b="$CG_CPU" 'BEGIN {printf "%.2f×", a / b}')}."
  exit 0
fi

# Memory and time per commit: the cold log next to git's walk, peak resident set of each.
peak() { /usr/bin/time -f "%M %e %U %S" -o "$DIR/peak.out" "$@" > /dev/null 2>&1 || true; cat "$DIR/peak.out"; }
memory_row() {
  local repo=$1 commits i g
  commits=$(git -C "$repo" rev-list --count HEAD)
  i=$(cd "$repo" && peak "$ISMS" log --no-cache --root isms)
  g=$(cd "$repo" && peak git log --raw --no-renames -- isms)
  read -r im iw iu is <<< "$i"; read -r gm gw gu gs <<< "$g"
  printf '| %s | %d MB | %d KB | %.1f s (CPU %.1f s) | %d MB | %.1f s (CPU %.1f s) | %.2f× |\n' "$commits" $(( im / 1024 )) \
    $(( im / commits )) "$iw" "$(awk -v a="$iu" -v b="$is" 'BEGIN {print a + b}')" $(( gm / 1024 )) "$gw" \
    "$(awk -v a="$gu" -v b="$gs" 'BEGIN {print a + b}')" "$(awk -v a="$iw" -v b="$gw" 'BEGIN {printf "%.2f", a / b}')"
}
REPO100K=$("$(dirname "$GEN")/bench-repo.sh" "$DIR" 100000)
[ "${BIG:-0}" = 1 ] && REPO1M=$("$(dirname "$GEN")/bench-repo.sh" "$DIR" 1000000)
echo
echo "Cold \`isms log --no-cache --root isms\` next to \`git log --raw --no-renames -- isms\`, one run each (\`/usr/bin/time\`):"
echo
echo "| commits | isms peak | isms per commit | isms wall | git peak | git wall | wall ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
memory_row "$REPO"
memory_row "$REPO100K"
[ "${BIG:-0}" = 1 ] && memory_row "$REPO1M"
echo
echo "Ratios (wall, minimum): cold log $(awk -v a="$ISMS_COLD" -v b="$GIT_RAW" 'BEGIN {printf "%.2f×", a / b}') git (target 1.0×),"
echo "$(awk -v a="$ISMS_COLD" -v b="$GIT_READS" 'BEGIN {printf "%.2f×", a / b}') git doing the same reads;"
echo "CI gate $(awk -v a="$CI_MIN" -v b="$CG_MIN" 'BEGIN {printf "%.2f×", a / b}') git (target 1.5×), CPU $(awk -v a="$CI_CPU" -v b="$CG_CPU" 'BEGIN {printf "%.2f×", a / b}');"
echo "warm history ${ISMS_WARM} ms (target 20 ms) vs git --follow ${GIT_FOLLOW} ms;"
echo "incremental ${ISMS_INC} ms (whole log), ${ISMS_INC_SINCE} ms (--since)."

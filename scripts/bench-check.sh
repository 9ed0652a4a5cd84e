#!/usr/bin/env bash
# Benchmarks `isms check` against `yamllint` on a generated ISMS (docs/performance.md, section "check"), then the
# warm rows of a 20,000-commit repository beside git: the gate, the pre-commit hook and check (SKIP_HISTORY=1 skips).
#
#   scripts/bench-check.sh            # 10,000 records, median of 5 runs each
#   RECORDS=2000 RUNS=3 scripts/bench-check.sh
#   RECORDS=100000 SKIP_YAMLLINT=1 SKIP_HISTORY=1 scripts/bench-check.sh   # issue 16's scale row: ≤ 5 s, ≤ 400 MB RSS
#
# Settings (environment):
#   RECORDS          records to generate (default 10000)
#   RUNS             timed runs per command (default 5); one untimed warm-up run comes first
#   YAMLLINT_CONFIG  yamllint's -d argument (default "relaxed")
#   SKIP_BUILD=1     use the existing .build/release/isms
#   ISMS_BIN=PATH    time this isms binary instead (no build), e.g. an older build to compare with
#   SKIP_YAMLLINT=1  time isms only (no ratio)
#   KEEP=1           keep the generated ISMS and print where it is
#   SKIP_HISTORY=1   skip the rows on the 20,000-commit repository (scripts/bench-repo.sh makes it once): the
#                    pull-request gate (`check --base HEAD~20`) against `git log --raw --no-renames -- isms`, the
#                    pre-commit hook (`check --staged`, one staged record) against `git diff --cached --raw`, and
#                    `check`, timed by scripts/bench-compare.sh with this build alone
#
# Needs python3. Installs yamllint with pip and GNU time with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS=${RECORDS:-10000}
RUNS=${RUNS:-5}
YAMLLINT_CONFIG=${YAMLLINT_CONFIG:-relaxed}
AS_OF=2026-12-01

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi
if [ -z "${SKIP_YAMLLINT:-}" ] && ! command -v yamllint >/dev/null 2>&1; then
    echo "installing yamllint" >&2
    python3 -m pip install --quiet yamllint
    hash -r
fi

if [ -z "${SKIP_BUILD:-}" ] && [ -z "${ISMS_BIN:-}" ]; then
    swift build -c release --static-swift-stdlib >&2
fi
ISMS=${ISMS_BIN:-$PWD/.build/release/isms}

WORK=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then echo "generated ISMS kept in $WORK/isms" >&2; else trap 'rm -rf "$WORK"' EXIT; fi
python3 scripts/generate-isms.py "$WORK/isms" --records "$RECORDS"
DIR=$WORK/isms
FILES=$(find "$DIR" -name '*.yaml' | wc -l)
BYTES=$(find "$DIR" -name '*.yaml' -printf '%s\n' | awk '{s += $1} END {print s}')

# measure NAME OKCODES CMD...: a warm-up run, then RUNS runs under /usr/bin/time -v; each run's wall
# time (s), CPU time (user+sys, s) and peak RSS (KB) go to $WORK/NAME.tsv.
measure() {
    local name=$1 ok=$2; shift 2
    : > "$WORK/$name.tsv"
    for run in $(seq 0 "$RUNS"); do
        local code=0
        /usr/bin/time -v -o "$WORK/$name.time" "$@" > /dev/null 2> "$WORK/$name.err" || code=$?
        if [[ " $ok " != *" $code "* ]]; then
            echo "$name exited with $code:" >&2; cat "$WORK/$name.err" "$WORK/$name.time" >&2; exit 1
        fi
        [ "$run" -eq 0 ] && continue  # warm-up: file cache, page cache of the binary
        awk -F': ' '
            /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
            /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident/ { rss = $2 }
            END { printf "%.2f\t%.2f\t%d\n", wall, user + sys, rss }' "$WORK/$name.time" >> "$WORK/$name.tsv"
    done
}

# median COLUMN FILE
median() { cut -f"$1" "$2" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
row() {
    local label=$1 file=$2
    printf '| %-58s | %8s | %8s | %8s | %8s | %7s |\n' "$label" "$(median 1 "$file")" \
        "$(cut -f1 "$file" | sort -g | head -1)" "$(cut -f1 "$file" | sort -g | tail -1)" \
        "$(median 2 "$file")" "$(awk -v k="$(median 3 "$file")" 'BEGIN {printf "%.0f", k / 1024}')"
}

# isms exits 1 when there are errors (the generator adds a few on purpose); 2 would be a failure to run.
measure isms "0 1" "$ISMS" check --root "$DIR" --as-of "$AS_OF" --format json
measure isms1 "0 1" env ISMS_THREADS=1 "$ISMS" check --root "$DIR" --as-of "$AS_OF" --format json
if [ -z "${SKIP_YAMLLINT:-}" ]; then
    # yamllint exits 1 when it finds an error-level problem; the relaxed config reports warnings only.
    measure yamllint "0 1" yamllint -d "$YAMLLINT_CONFIG" "$DIR"
fi

echo
echo "ISMS: $RECORDS records, $FILES YAML files, $BYTES bytes; $(nproc) cores; median of $RUNS runs (after one warm-up)"
echo
printf '| %-58s | %8s | %8s | %8s | %8s | %7s |\n' "command" "wall s" "min" "max" "CPU s" "RSS MB"
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" ---------- ---------- ---------- ---------- ---------
row "isms check --format json (all cores)" "$WORK/isms.tsv"
row "isms check --format json (ISMS_THREADS=1)" "$WORK/isms1.tsv"
if [ -z "${SKIP_YAMLLINT:-}" ]; then
    row "yamllint -d $YAMLLINT_CONFIG" "$WORK/yamllint.tsv"
    echo
    awk -v y="$(median 1 "$WORK/yamllint.tsv")" -v i="$(median 1 "$WORK/isms.tsv")" -v s="$(median 1 "$WORK/isms1.tsv")" \
        -v yc="$(median 2 "$WORK/yamllint.tsv")" -v ic="$(median 2 "$WORK/isms.tsv")" 'BEGIN {
        printf "wall time: isms (all cores) takes 1/%.1f of yamllint'"'"'s (target: under 1/10, aim 1/20)\n", y / i
        printf "wall time: isms (1 thread)  takes 1/%.1f of yamllint'"'"'s\n", y / s
        printf "CPU time:  isms (all cores, summed over threads) uses 1/%.1f of yamllint'"'"'s\n", yc / ic
    }'
fi

if [ -z "${SKIP_HISTORY:-}" ]; then
    echo
    echo "The warm rows of a 20,000-commit repository (scripts/bench-compare.sh, this build alone; ms):"
    ROWS=warm scripts/bench-compare.sh - "$ISMS" "$(scripts/bench-repo.sh)" "$RUNS"
fi

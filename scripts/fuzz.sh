#!/usr/bin/env bash
# Fuzzes with libFuzzer for SECONDS (default 60):
#   records  the record loader and every rule, seeded with the records of example-isms (the default);
#   cache    the history cache decoder, seeded with cache files written for small generated histories; the
#            target recomputes each input's checksum, so it explores well-formed-looking, malformed files.
# Crashes land in Fuzz/crashes/; turn each into a regression test (HistoryCacheDecoderTests, LoaderTests).
# The last lines printed are libFuzzer's statistics (executions, their rate). Use `nice` on a shared machine.
# Usage: scripts/fuzz.sh [SECONDS] [JOBS] [records|cache]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${2:-1}
mode=${3:-records}
ISMS_FUZZ=1 swift build -c release -Xswiftc -sanitize=fuzzer --product isms-fuzz --scratch-path .build-fuzz
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
max_len=8192
case "$mode" in
  records)
    # Seeds: every example record, prefixed with the byte that routes it to its kind's folder.
    kinds=(risks controls obligations evidence exceptions suppliers assets)
    for i in "${!kinds[@]}"; do
      for f in $(find "example-isms/${kinds[$i]}" -name '*.yaml'); do
        { printf "\\x$(printf %02x "$i")"; cat "$f"; } > "$corpus/$(basename "$f")-$i"
      done
    done
    { printf '\x07'; cat example-isms/isms.yaml; } > "$corpus/isms.yaml-7"
    ;;
  cache)
    # Seeds: the cache files `isms log` and `isms log --first-parent` write for a few small generated histories.
    swift build -c release --product isms >&2
    for commits in 3 20 60; do
      repo=$(mktemp -d)
      (cd "$repo" && git init -q -b main \
        && python3 "$OLDPWD/scripts/gen-history-repo.py" --records 12 --commits "$commits" --seed "$commits" | git fast-import --quiet && git checkout -q -f main \
        && "$OLDPWD/.build/release/isms" log --root isms --rev main >/dev/null \
        && "$OLDPWD/.build/release/isms" log --root isms --rev main --first-parent >/dev/null)
      for f in "$repo"/.git/isms/*.bin; do cp "$f" "$corpus/$commits-$(basename "$f")"; done
      rm -rf "$repo"
    done
    export ISMS_FUZZ_MODE=cache
    max_len=65536
    ;;
  *) echo "usage: $0 [SECONDS] [JOBS] [records|cache]" >&2; exit 2 ;;
esac
mkdir -p Fuzz/crashes
parallel=()
# With more than one job libFuzzer writes each job's output to fuzz-N.log; one job prints here.
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
.build-fuzz/release/isms-fuzz "$corpus" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  "${parallel[@]}" -artifact_prefix=Fuzz/crashes/ -print_final_stats=1 2>&1 | tail -25

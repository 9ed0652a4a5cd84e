#!/usr/bin/env bash
# Fuzzes the record loader and every rule with libFuzzer for SECONDS (default 60), seeded with the
# records of example-isms. Crashes land in Fuzz/crashes/; turn each into a regression test.
# Usage: scripts/fuzz.sh [SECONDS] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${2:-1}
ISMS_FUZZ=1 swift build -c release -Xswiftc -sanitize=fuzzer --product isms-fuzz --scratch-path .build-fuzz
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# Seeds: every example record, prefixed with the byte that routes it to its kind's folder.
kinds=(risks controls obligations evidence exceptions suppliers assets)
for i in "${!kinds[@]}"; do
  for f in $(find "example-isms/${kinds[$i]}" -name '*.yaml'); do
    { printf "\\x$(printf %02x "$i")"; cat "$f"; } > "$corpus/$(basename "$f")-$i"
  done
done
{ printf '\x07'; cat example-isms/isms.yaml; } > "$corpus/isms.yaml-7"
mkdir -p Fuzz/crashes
.build-fuzz/release/isms-fuzz "$corpus" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -jobs="$jobs" -workers="$jobs" -artifact_prefix=Fuzz/crashes/ -print_final_stats=1 2>&1 | tail -25

#!/usr/bin/env bash
# Proves two isms builds behave alike: runs scripts/snapshot-outputs.sh (every command and format, stdout, stderr
# and exit code) for each, on the same repositories, and compares the two snapshots byte for byte.
# Usage: scripts/compare-builds.sh OLD_ISMS NEW_ISMS EXAMPLE_REPO [BENCH_REPO]
#   EXAMPLE_REPO: a git clone of this repository at a fixed commit; BENCH_REPO: a repository from
#   scripts/gen-history-repo.py (ISMS in isms/). Exit 0 when identical, 1 with the differing files listed.
# Each build runs on fresh copies of the repositories (cp -a, the index included), so neither reads the other's
# caches and the given repositories are not written to.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
old=$(realpath "$1"); new=$(realpath "$2"); example=$(realpath "$3"); bench=${4:+$(realpath "$4")}
out=$(mktemp -d /tmp/compare-builds-XXXXXX)
for side in old new; do
    bin=$old; [ "$side" = new ] && bin=$new
    rm -rf "$out/repos"; mkdir -p "$out/repos"
    cp -a "$example" "$out/repos/example"; [ -n "$bench" ] && cp -a "$bench" "$out/repos/bench"
    rm -rf "$out/repos/example/.git/isms" "$out/repos/bench/.git/isms"
    "$here/snapshot-outputs.sh" "$bin" "$out/$side" "$out/repos/example" ${bench:+"$out/repos/bench"} >/dev/null
done
# Each snapshot's own folder name is already replaced by OUT; compare everything else.
rm -rf "$out/repos"
if diff -r "$out/old" "$out/new" > "$out/diff.txt"; then
    echo "identical: $(ls "$out/new" | wc -l) outputs ($out)"
else
    echo "DIFFERENT: $(grep -c '^diff\|^Only' "$out/diff.txt") files differ; see $out/diff.txt"; exit 1
fi

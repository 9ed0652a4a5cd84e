#!/usr/bin/env bash
# Runs scripts/snapshot-outputs.sh for two builds of isms on fresh private copies of the same repositories (at the
# same paths, caches removed, one build after the other) and compares every output byte for byte: the proof that
# a refactoring changed no behaviour. Exit 0 when identical.
#   scripts/compare-builds.sh OLD_ISMS NEW_ISMS EXAMPLE_REPO [BENCH_REPO]
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); example=$(realpath "$3"); bench=${4:+$(realpath "$4")}
work=$(mktemp -d "${TMPDIR:-/tmp}/isms-compare.XXXXXX")
here=$(cd "$(dirname "$0")" && pwd)
for side in old new; do
    rm -rf "$work/repos" && mkdir -p "$work/repos"
    cp -a "$example" "$work/repos/example" && rm -rf "$work/repos/example/.git/isms"
    if [ -n "$bench" ]; then cp -a "$bench" "$work/repos/bench" && rm -rf "$work/repos/bench/.git/isms"; fi
    bin=$old; [ $side = new ] && bin=$new
    (cd "$work" && "$here/snapshot-outputs.sh" "$bin" "$work/$side" "$work/repos/example" ${bench:+"$work/repos/bench"}) >/dev/null
done
if diff -r "$work/old" "$work/new"; then
    echo "identical: $(ls "$work/new" | wc -l) outputs ($work)"
else
    echo "outputs differ ($work)"; exit 1
fi

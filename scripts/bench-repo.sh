#!/usr/bin/env bash
# Makes (once) the benchmark repository of docs/performance.md and prints its path: 20,000 commits, 2,000 records,
# the ISMS in isms/ (scripts/gen-history-repo.py piped into git fast-import, then repacked). Used by
# scripts/bench-history.sh and scripts/bench-check.sh. Usage: scripts/bench-repo.sh [FOLDER [COMMITS]]  (default
# $TMPDIR/isms-history-bench, 20000 commits); the repository is FOLDER/repo (FOLDER/repo-COMMITS for another
# count: 100,000 and, with BIG=1, 1,000,000 for the memory rows), reset to the generated history and without caches.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-${TMPDIR:-/tmp}/isms-history-bench}
commits=${2:-20000}
if [ "$commits" = 20000 ]; then repo=$dir/repo; else repo=$dir/repo-$commits; fi
if [ ! -f "$repo/isms/isms.yaml" ]; then
  echo "generating $repo" >&2
  rm -rf "$repo" && mkdir -p "$repo"
  (cd "$repo" && git init -q -b main && python3 "$here/gen-history-repo.py" --records 2000 --commits "$commits" --seed 1 \
     | git fast-import --quiet && git checkout -q -f main && git repack -adq)
fi
cd "$repo"
git config user.name "Bench Runner"; git config user.email bench@example.com; git config commit.gpgsign false
# Start from the generated history: drop commits, staged changes and caches an earlier benchmark left.
git reset -q --hard "$(git rev-list --max-count=1 --grep='^bench ' --invert-grep HEAD)"
rm -rf .git/isms
echo "$repo"

#!/usr/bin/env bash
# Proves .pre-commit-hooks.yaml with the real pre-commit client from PyPI: a repository that uses this
# checkout as its hook source must refuse a broken record and accept a good one.
# Usage: scripts/test-pre-commit.sh   (needs the checkout committed: pre-commit clones it at HEAD)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q pre-commit
export PRE_COMMIT_HOME="$work/cache" HOME="$work"
rev=$(git -C "$here" rev-parse HEAD)

repo="$work/repo"
mkdir -p "$repo/isms/risks"
cd "$repo"
git init -q -b main
git config user.name "Pre Commit" && git config user.email pc@example.com && git config commit.gpgsign false
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $here
    rev: $rev
    hooks:
      - id: isms-check
        args: [--root, isms]
YAML
printf 'name: Hook test\npeople:\n  alice: {name: Alice}\n' > isms/isms.yaml
printf 'id: RISK-1\ntitle: Laptop theft\nowner: alice\ntreatment: avoid\n' > isms/risks/risk-1.yaml
git add -A
"$work/venv/bin/pre-commit" install >/dev/null
echo "pre-commit: building isms as a hook (a release build, a few minutes)..."
git commit -q -m "Good ISMS" || { echo "FAIL: a good commit was refused"; exit 1; }

printf 'id: RISK-2\ntitle: Phishing\nowner: alice\ntreatment: reduce\ncontrols: [CTRL-404]\n' > isms/risks/risk-2.yaml
git add -A
if git commit -q -m "Broken link" 2>"$work/out"; then
  echo "FAIL: a commit with a broken link went through"; exit 1
fi
grep -q "broken-link" "$work/out" || { echo "FAIL: the hook's message is missing"; cat "$work/out"; exit 1; }
echo "pre-commit: 2 passed, 0 failed"

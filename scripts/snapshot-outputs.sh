#!/usr/bin/env bash
# Writes the outputs of check, report, log, diff, history, blame, trail, graph, rules, schema and export, in every
# format, for one isms binary, so that two builds can be compared byte for byte (`diff -r A B`): the proof that a
# refactoring changed no behaviour. Usage: scripts/snapshot-outputs.sh ISMS_BINARY OUT_DIR EXAMPLE_REPO [BENCH_REPO]
#   EXAMPLE_REPO: a git clone of this repository at a fixed commit (its example-isms/ is read, with its history);
#   BENCH_REPO:   a repository from scripts/gen-history-repo.py (ISMS in isms/), optional.
set -uo pipefail
isms=$(realpath "$1"); out=$(realpath -m "$2"); example=$(realpath "$3"); bench=${4:+$(realpath "$4")}
asof=2026-12-01
mkdir -p "$out"
run() { # name, then the command's arguments; stdout, stderr and the exit code all count
    local name=$1; shift
    "$isms" "$@" >"$out/$name.out" 2>"$out/$name.err"; echo $? >"$out/$name.rc"
}
snapshot() { # prefix, repository, root, a record id, a revision range base
    local p=$1 repo=$2 root=$3 id=$4 base=$5
    cd "$repo" || exit 2
    for f in text json sarif github junit codequality; do
        run "$p-check-$f" check --root "$root" --as-of $asof --format "$f"
        run "$p-check-base-$f" check --root "$root" --as-of $asof --base "$base" --format "$f"
    done
    run "$p-check-staged" check --root "$root" --as-of $asof --staged
    for k in soa register trace evidence coverage nonconformities audits objectives incidents registers decisions management-review; do
        for f in md csv json html; do run "$p-report-$k-$f" report "$k" --root "$root" --as-of $asof --format "$f"; done
    done
    for f in text json; do
        run "$p-log-$f" log --root "$root" --format "$f"
        run "$p-log-nocache-$f" log --root "$root" --format "$f" --no-cache
        run "$p-history-$f" history "$id" --root "$root" --format "$f"
        run "$p-blame-$f" blame "$id" --root "$root" --format "$f"
        run "$p-history-isms-$f" history isms.yaml --root "$root" --format "$f"
    done
    for f in text markdown json; do
        run "$p-diff-$f" diff "$base..HEAD" --root "$root" --as-of $asof --format "$f"
        run "$p-trail-$f" trail "$id" --root "$root" --format "$f"
    done
    for f in mermaid dot; do run "$p-graph-$f" graph --root "$root" --format "$f"; done
    run "$p-export-html" export --root "$root" --as-of $asof --html "$out/$p-export.html"
    run "$p-export-oscal" export --root "$root" --as-of $asof --oscal "$out/$p-export-oscal.json"
}
for f in text json markdown; do run "rules-$f" rules --format "$f"; done
for r in $("$isms" rules --format json | python3 -c 'import json,sys; [print(r["id"]) for r in json.load(sys.stdin)["rules"]]' 2>/dev/null); do
    run "explain-$r" explain "$r"
done
run schema-all schema
snapshot example "$example" example-isms RISK-1 HEAD~5
[ -n "$bench" ] && snapshot bench "$bench" isms "$(cd "$bench" && ls isms/risks | head -1 | xargs -I{} sed -n 's/^id: *//p' isms/risks/{})" HEAD~20
# The output folder's own path is not behaviour.
sed -i "s|$out|OUT|g" "$out"/*.out "$out"/*.err
echo "$out: $(ls "$out" | wc -l) files"

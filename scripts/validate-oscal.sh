#!/usr/bin/env bash
# Validates `isms export --oscal` with a real OSCAL validator: the pydantic models of compliance-trestle, from
# PyPI, in a virtual environment in a temporary folder. Exports both models from example-isms on two days (one
# with no finding, one with stale evidence and so with observations and unsatisfied findings) and from the starter
# ISMS of isms init, and reads each with trestle, which refuses unknown keys, bad UUIDs, bad tokens and missing
# required parts. A broken copy must be refused.
#
# compliance-trestle is pinned to 3.12.4: trestle 4 and later read OSCAL 1.2 only, and isms writes OSCAL 1.1.2.
# Usage: scripts/validate-oscal.sh   (builds isms in debug first when .build/debug/isms is missing; ISMS=path overrides)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
isms=${ISMS:-$here/.build/debug/isms}
[ -x "$isms" ] || (cd "$here" && swift build)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "compliance-trestle==3.12.4"

passed=0 failed=0
for as_of in 2026-12-01 2027-09-01; do
  "$isms" export --oscal "$work/component-definition-$as_of.json" --root "$here/example-isms" --as-of "$as_of" >/dev/null
  "$isms" export --oscal "$work/assessment-results-$as_of.json" --model assessment-results --root "$here/example-isms" --as-of "$as_of" >/dev/null
done
# The starter ISMS of isms init too: one control, and the soa-gap notes of a Statement of Applicability still to write.
"$isms" init "$work/starter" >/dev/null
"$isms" export --oscal "$work/component-definition-starter.json" --root "$work/starter" --as-of 2026-12-01 >/dev/null
"$isms" export --oscal "$work/assessment-results-starter.json" --model assessment-results --root "$work/starter" --as-of 2026-12-01 >/dev/null

"$work/venv/bin/python" - "$work" <<'PY' && passed=$((passed + 7)) || failed=$((failed + 1))
import json, pathlib, sys
from trestle.oscal.component import ComponentDefinition
from trestle.oscal.assessment_results import AssessmentResults
work = pathlib.Path(sys.argv[1])
for as_of in ("2026-12-01", "2027-09-01", "starter"):
    cd = ComponentDefinition.oscal_read(work / f"component-definition-{as_of}.json")
    implementations = cd.components[0].control_implementations
    requirements = sum(len(ci.implemented_requirements) for ci in implementations)
    print(f"oscal: component-definition {as_of}: valid, {len(implementations)} control implementations, {requirements} implemented requirements")
    ar = AssessmentResults.oscal_read(work / f"assessment-results-{as_of}.json")
    result = ar.results[0]
    unsatisfied = sum(1 for f in result.findings or [] if f.target.status.state.value == "not-satisfied")
    print(f"oscal: assessment-results {as_of}: valid, {len(result.observations or [])} observations, "
          f"{len(result.findings or [])} findings ({unsatisfied} not satisfied)")
# The validator is not vacuous: a component with a malformed UUID and an unknown key is refused.
broken = json.loads((work / "component-definition-2026-12-01.json").read_text())
broken["component-definition"]["components"][0]["uuid"] = "not-a-uuid"
broken["component-definition"]["components"][0]["colour"] = "red"
(work / "broken.json").write_text(json.dumps(broken))
try:
    ComponentDefinition.oscal_read(work / "broken.json")
except Exception as error:
    print("oscal: a broken component-definition is refused:", str(error).splitlines()[0])
else:
    sys.exit("FAIL: trestle accepted a broken component-definition")
PY
echo "oscal: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

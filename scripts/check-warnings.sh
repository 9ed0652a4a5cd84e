#!/usr/bin/env bash
# Fails when the compiler warns about the project's own code (Sources/ and Tests/); dependencies' warnings are
# theirs. Warnings are printed only when a file is compiled, so the project's own modules are always compiled
# from scratch: their compiled state is removed from the build folder first (dependencies are kept, so this
# costs a build of our modules only; the debug build `make test` then uses is left up to date). The script
# fails if any module with Swift sources under Sources/ or Tests/ was not compiled in this run: it cannot pass
# by building nothing.
# Usage: scripts/check-warnings.sh   (SWIFT=… picks the toolchain, ISMS_WARNINGS_SCRATCH=… the build folder)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
swift=${SWIFT:-swift}
scratch=${ISMS_WARNINGS_SCRATCH:-.build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The project's Swift modules: every folder under Sources/ and Tests/ holding a .swift file, except the fuzz
# target, which exists only in a libFuzzer build (scripts/fuzz.sh) and is compiled on its own below.
modules=()
for folder in Sources/* Tests/*; do
  name=$(basename "$folder")
  [ "$name" = isms-fuzz ] && continue
  if [ -n "$(find "$folder" -name '*.swift' -print -quit)" ]; then modules+=("$name"); fi
done
[ "${#modules[@]}" -gt 0 ] || { echo "check-warnings: no Swift modules found under Sources/ and Tests/" >&2; exit 1; }

# Forget the project's own compiled modules (not the dependencies'), so each of their files compiles again.
for platform in "$scratch"/*-*-*/debug; do
  [ -d "$platform" ] || continue
  for name in "${modules[@]}"; do
    rm -rf "$platform/$name.build" "$platform/Modules/$name.swiftmodule" "$platform/Modules/$name.swiftdoc" \
      "$platform/Modules/$name.swiftsourceinfo" "$platform/Modules/$name.abi.json" "$platform/$name.swiftmodule"
  done
done

status=0
"$swift" build --build-tests --scratch-path "$scratch" 2>&1 | tee "$log" >/dev/null || status=$?
if [ "$status" -ne 0 ]; then
  tail -50 "$log" >&2
  echo "check-warnings: the build failed" >&2
  exit 1
fi
# The fuzz target's sources, compiled (not linked: its entry point comes from libFuzzer).
if [ -d Sources/isms-fuzz ]; then
  for platform in "$scratch"/*-*-*/debug; do rm -rf "$platform/isms_fuzz.build" "$platform/isms-fuzz.build"; done
  ISMS_FUZZ=1 "$swift" build --scratch-path "$scratch" --target isms-fuzz 2>&1 | tee -a "$log" >/dev/null || status=$?
  if [ "$status" -ne 0 ]; then
    tail -50 "$log" >&2
    echo "check-warnings: the fuzz target does not compile" >&2
    exit 1
  fi
  modules+=(isms-fuzz)
fi

# Every module of ours compiled in this run: `[n/m] Compiling MODULE File.swift`.
missing=()
for name in "${modules[@]}"; do
  module=${name//-/_}
  grep -qE "Compiling ($name|$module) " "$log" || missing+=("$name")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "check-warnings: not compiled in this run, so its warnings could not show: ${missing[*]}" >&2
  exit 1
fi

# `/path/File.swift:12:5: warning: …` for a file of ours (the checkouts of dependencies live under $scratch).
# Also SwiftPM's own warnings about this package's manifest (`warning: 'isms': found 1 file which is unhandled`).
ours=$(grep -E "^($top/)?(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning: |^warning: 'isms'" "$log" | sort -u || true)
if [ -n "$ours" ]; then
  echo "$ours"
  echo "check-warnings: $(printf '%s\n' "$ours" | wc -l) compiler warning(s) in Sources/ or Tests/" >&2
  exit 1
fi
echo "check-warnings: no warnings in ${modules[*]} (compiled afresh)"

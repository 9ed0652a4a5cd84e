# Two commands do all set-up on a fresh Debian machine (as root): `make run` and `make test`.
SWIFT ?= swift
AS_OF ?= 2026-12-01
# graphviz: the README tour draws a graph with `dot`, and RecipeTests runs the tour. zlib1g-dev: isms checks loose
# objects with zlib before libgit2 reads them (GitKit/LooseObjectGuard.swift); libgit2-dev depends on it too.
APT_PACKAGES := libgit2-dev zlib1g-dev pkg-config git python3-jsonschema python3-rfc3987 python3-markdown-it python3-yaml openssh-client gnupg graphviz

.PHONY: deps browser-deps build release run test test-fast check-warnings lint format test-pre-commit test-oscal bench clean

# Installs the system packages the build and the tests need, only when one is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# A headless browser for the audit-pack test (Tests/ISMSKitTests/AuditPackBrowserTests.swift), only when missing.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing: chromium"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

build: deps
	$(SWIFT) build

# The binary to install and to measure: the Swift runtime linked in, so a run starts in about 7 ms instead of 15
# (docs/performance.md); `isms` then needs only libgit2 (and zlib, which libgit2 needs too) from the system.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

run: release
	.build/release/isms check --root example-isms --as-of $(AS_OF)

# Every test, the slow suites included (faults, hostile inputs, read-only proofs, the browser), each test in a
# process of its own, as many at once as there are cores (docs/performance.md, "Test suite").
test: deps browser-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel $(TEST_FLAGS)

# The fast loop while working: the unit and rule tests, in parallel, without the slow suites below; `make test`
# runs those too. SLOW_TESTS are `swift test --skip` patterns (suites, or Suite/test for a single test).
# TEST_FLAGS go to `swift test` in both (e.g. TEST_FLAGS="--xunit-output tests.xml" for each test's time).
SLOW_TESTS := FaultTests ReadOnlyTests HostileHistoryTests HostileRecordTests HostileTreeTests OutputSafetyTests \
	AuditPackBrowserTests HistoryCacheDecoderTests RecipeTests \
	LoaderTests/testThousandsOfInventedLinksCostABoundedNumberOfSuggestions
test-fast: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel $(addprefix --skip ,$(SLOW_TESTS)) $(TEST_FLAGS)

# No compiler warning in Sources/ or Tests/ (scripts/check-warnings.sh compiles our modules afresh).
check-warnings: deps
	scripts/check-warnings.sh

# The sources exactly as swift-format (shipped with the Swift 6 toolchain) writes them, under .swift-format;
# `make format` rewrites them so. Generated files opt out with a `swift-format-ignore-file` comment.
lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Package.swift

format:
	$(SWIFT) format --in-place --recursive --parallel Sources Tests Package.swift

# The real pre-commit client (from PyPI) using this repository as a hook source.
test-pre-commit: deps
	@dpkg -s python3-venv >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv)
	scripts/test-pre-commit.sh

# The OSCAL export read by a real OSCAL validator (compliance-trestle, from PyPI).
test-oscal: deps
	@dpkg -s python3-venv >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv)
	$(SWIFT) build
	scripts/validate-oscal.sh

# isms check against yamllint on a generated ISMS of 10,000 records (docs/performance.md).
bench: deps
	scripts/bench-check.sh

clean:
	rm -rf .build

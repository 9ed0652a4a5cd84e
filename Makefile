# Two commands do all set-up on a fresh Debian machine (as root): `make run` and `make test`.
SWIFT ?= swift
AS_OF ?= 2026-12-01
APT_PACKAGES := libgit2-dev pkg-config git

.PHONY: deps build release run test bench clean

# Installs the system packages the build and the tests need, only when one is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	.build/release/isms check --root example-isms --as-of $(AS_OF)

test: deps
	$(SWIFT) test

# isms check against yamllint on a generated ISMS of 10,000 records (docs/performance.md).
bench: deps
	scripts/bench-check.sh

clean:
	rm -rf .build

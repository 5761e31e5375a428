# Build glue: the README's two commands are `make demo` and `make test`.
# GSL and OpenBLAS for the solvers, three.js for the web app, Chromium for its browser test.
APT_PACKAGES := libgsl-dev libopenblas-dev libjs-three chromium chromium-driver curl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SEED_ARM := Fixtures/robots/seed-arm.json

.PHONY: deps demo test lint fixtures check-fixtures screenshot loadtest peers

# Installs the Debian packages that are missing; does nothing when all are there.
deps:
	@missing="$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done)"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The main job: a release build, two answers on the command line (a reachable target, both
# branches; an out-of-reach one with the hybrid solver), then the web app on the seed arm.
demo: deps
	swift build -c release --product neural-ik
	.build/release/neural-ik solve --robot $(SEED_ARM) --target 0.072265116961,-0.112546251379,0.781779092709 --all
	.build/release/neural-ik solve --robot $(SEED_ARM) --model Fixtures/models/seed-arm.nikm --target=-0.5,0,0.3
	.build/release/neural-ik serve --robot $(SEED_ARM)

# The whole test suite.
test: deps
	swift test

# Formatting and warnings, as CI checks them.
lint:
	swift format lint --strict -r Sources Tests Package.swift
	@! swift build 2>&1 | grep -E "warning:" | grep -v "which are unhandled" || (echo "build has warnings" && false)

# Regenerates the trained models and the accuracy fixtures of the three fixture arms, then
# Docs/Accuracy-tables.md (deterministic for a seed on this machine; see Docs/Accuracy.md).
FIXTURE_ARMS := seed-arm planar-2link arm-3dof
fixtures: deps
	swift build -c release --product neural-ik
	mkdir -p Fixtures/models Fixtures/accuracy
	for arm in $(FIXTURE_ARMS); do \
	  .build/release/neural-ik train --robot Fixtures/robots/$$arm.json --out Fixtures/models/$$arm.nikm \
	    --log Fixtures/accuracy/$$arm-training.csv && \
	  .build/release/neural-ik bench --robot Fixtures/robots/$$arm.json --model Fixtures/models/$$arm.nikm \
	    --json Fixtures/accuracy/$$arm.json --markdown Fixtures/accuracy/$$arm.md || exit 1; \
	done
	{ for arm in $(FIXTURE_ARMS); do echo "## $$arm"; echo; cat Fixtures/accuracy/$$arm.md; echo; done; } > Docs/Accuracy-tables.md

# Checks that a fresh training run reproduces the committed accuracy fixtures.
check-fixtures: deps
	swift build -c release --product neural-ik
	for arm in $(FIXTURE_ARMS); do \
	  .build/release/neural-ik train --robot Fixtures/robots/$$arm.json --out /tmp/neural-ik-$$arm.nikm && \
	  .build/release/neural-ik eval --robot Fixtures/robots/$$arm.json --model /tmp/neural-ik-$$arm.nikm \
	    --check Fixtures/accuracy/$$arm.json || exit 1; \
	done

# Refreshes the README's screenshot from the end-to-end browser test.
screenshot: deps
	swift test --filter BrowserTests
	cp .build/e2e/app.png Docs/app.png

# The API load test in a release build; its report goes to Docs/LoadTest.md.
loadtest: deps
	swift test -c release --filter LoadTests
	{ printf '# Load test of the web API\n\nWritten by `make loadtest` (release build, loopback, server and clients in one process, 2-core machine); see [WebApp.md](WebApp.md#load-test).\n\n'; cat .build/loadtest.md; } > Docs/LoadTest.md

# NeuralIK against TRAC-IK and KDL on the same targets, scored by our FK; writes Docs/Peers.md.
# The package depends on none of it; its tools and builds go to .build-peers/ (Sources/Peers/run.sh).
peers:
	bash Sources/Peers/run.sh

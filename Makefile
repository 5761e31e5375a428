# Build glue: the README's two commands are `make demo` and `make test`.
# GSL and OpenBLAS for the solvers, three.js for the web app, Chromium for its browser test.
APT_PACKAGES := libgsl-dev libopenblas-dev libjs-three chromium chromium-driver curl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SEED_ARM := Fixtures/robots/seed-arm.json

.PHONY: deps demo test lint docs fixtures check-fixtures bench-fixtures release screenshot loadtest peers defaults near-start paths without-model performance partial plots callgrind

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

# The whole test suite, in two runs: the server's suites assert answers within timeouts, and on
# two cores the long property suites, which run synchronously, can hold both of Swift's
# cooperative threads for minutes; each run still runs its own suites in parallel.
test: deps
	swift test --skip NeuralIKServerTests
	swift test --filter NeuralIKServerTests

# Formatting and warnings, as CI checks them.
lint:
	swift format lint --strict -r Sources Tests Fuzz Package.swift
	@! swift build 2>&1 | grep -E "warning:" | grep -v "which are unhandled" || (echo "build has warnings" && false)

# The DocC reference of the library (NeuralIK and the NeuralIKCore it re-exports, one combined
# site) as a static site for the base path /docs, into .build/docs, where `neural-ik serve` serves it
# at /docs. Warnings are errors: a broken symbol link or an undocumented parameter fails the build.
# Then Tests/docs_coverage_check.py fails on any public symbol without a doc comment, from DocC's
# coverage report. DOCS_SCRATCH picks the build folder (swift's --scratch-path).
DOCS_DIR := .build/docs
DOCS_SCRATCH ?= .build
DOCS_ARCHIVES := $(DOCS_SCRATCH)/plugins/Swift-DocC/outputs/intermediates
# The plugin reports success even when its final merge fails, so the target checks the site is there.
docs:
	rm -rf $(DOCS_DIR) && mkdir -p $(dir $(DOCS_DIR))
	swift package --scratch-path $(DOCS_SCRATCH) --allow-writing-to-directory $(DOCS_DIR) \
	  generate-documentation --target NeuralIKCore --target NeuralIK --enable-experimental-combined-documentation \
	  --warnings-as-errors --transform-for-static-hosting --hosting-base-path docs --output-path $(DOCS_DIR) \
	  --experimental-documentation-coverage --coverage-summary-level brief
	@test -f $(DOCS_DIR)/index.html -a -f $(DOCS_DIR)/documentation/neuralik/index.html \
	  -a -f $(DOCS_DIR)/documentation/neuralikcore/index.html || (echo "make docs: no site in $(DOCS_DIR)" && false)
	python3 Tests/docs_coverage_check.py $(DOCS_ARCHIVES)/NeuralIKCore.doccarchive $(DOCS_ARCHIVES)/NeuralIK.doccarchive

# The web API's OpenAPI description against the OpenAPI 3.1 schema (openapi-spec-validator, from
# PyPI; a no-op when that version is there). The Swift tests (OpenAPITests) check the server's
# answers against the description; Tests/openapi_client_check.py checks a running server.
OPENAPI_SPEC := Sources/NeuralIKServer/Web/openapi.yaml
.PHONY: openapi-check
openapi-check:
	python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore openapi-spec-validator==0.9.0
	python3 -m openapi_spec_validator $(OPENAPI_SPEC)

# A Python client that knows the API only from /openapi.yaml solves targets against a live server
# (the debug build that `make test` leaves; jsonschema comes with openapi-spec-validator).
OPENAPI_CLIENT_PORT ?= 18089
.PHONY: openapi-client
openapi-client: openapi-check
	swift build --product neural-ik
	@.build/debug/neural-ik serve --robot $(SEED_ARM) --port $(OPENAPI_CLIENT_PORT) >/tmp/neural-ik-openapi-client.log 2>&1 & \
	server=$$!; trap 'kill $$server 2>/dev/null' EXIT; \
	for i in $$(seq 1 100); do curl -sf http://127.0.0.1:$(OPENAPI_CLIENT_PORT)/openapi.yaml >/dev/null && break; sleep 0.2; done; \
	python3 Tests/openapi_client_check.py http://127.0.0.1:$(OPENAPI_CLIENT_PORT)

# Regenerates the trained models and the accuracy fixtures of the fixture arms, then
# Docs/Accuracy-tables.md (deterministic for a seed on this machine; see Docs/Accuracy.md).
# The small arms train on positions with the defaults; the real arms on poses with the settings
# below (Docs/Learning.md says why), benchmarked with the 10,000-target protocol.
SMALL_ARMS := seed-arm planar-2link arm-3dof
REAL_ARMS := panda iiwa14 ur5
FIXTURE_ARMS := $(SMALL_ARMS) $(REAL_ARMS)
POSE_TRAINING := --poses --width 256 --depth 4 --epochs 200 --patience 40 --fresh-targets --rotation-weight 0.2
TRAIN_FLAGS_panda := $(POSE_TRAINING) --free-joint-samples 32
TRAIN_FLAGS_iiwa14 := $(POSE_TRAINING) --free-joint-samples 32
TRAIN_FLAGS_ur5 := $(POSE_TRAINING)
NIK := .build/release/neural-ik

fixtures: $(addprefix fixture-,$(FIXTURE_ARMS))
	{ for arm in $(FIXTURE_ARMS); do echo "## $$arm"; echo; cat Fixtures/accuracy/$$arm.md; echo; done; } > Docs/Accuracy-tables.md

# One arm's model and accuracy fixture: `make fixture-panda`.
fixture-%: release
	mkdir -p Fixtures/models Fixtures/accuracy
	$(NIK) train --robot Fixtures/robots/$*.json $(TRAIN_FLAGS_$*) --out Fixtures/models/$*.nikm \
	  --log Fixtures/accuracy/$*-training.csv
	$(NIK) bench --robot Fixtures/robots/$*.json --model Fixtures/models/$*.nikm \
	  --json Fixtures/accuracy/$*.json --markdown Fixtures/accuracy/$*.md

# Re-benchmarks the committed models into their fixtures without retraining (after a solver
# change): `make bench-fixtures`, or `make bench-fixture-panda` for one arm.
bench-fixtures: $(addprefix bench-fixture-,$(FIXTURE_ARMS))
	{ for arm in $(FIXTURE_ARMS); do echo "## $$arm"; echo; cat Fixtures/accuracy/$$arm.md; echo; done; } > Docs/Accuracy-tables.md

bench-fixture-%: release
	$(NIK) bench --robot Fixtures/robots/$*.json --model Fixtures/models/$*.nikm \
	  --json Fixtures/accuracy/$*.json --markdown Fixtures/accuracy/$*.md

# Checks that fresh training runs reproduce the committed accuracy fixtures (all arms: about
# 45 minutes on 2 cores; `make check-fixture-panda` for one).
check-fixtures: $(addprefix check-fixture-,$(FIXTURE_ARMS))

check-fixture-%: release
	$(NIK) train --robot Fixtures/robots/$*.json $(TRAIN_FLAGS_$*) --out /tmp/neural-ik-$*.nikm
	$(NIK) eval --robot Fixtures/robots/$*.json --model /tmp/neural-ik-$*.nikm --check Fixtures/accuracy/$*.json

release: deps
	swift build -c release --product neural-ik

# The shipped defaults on 1,000 protocol targets of each arm, every solver in one run per arm
# (Docs/Defaults.md): the default hybrid's success against the default lm's, and the largest
# iteration count against the documented budget.
DEFAULTS_ARMS := seed-arm arm-3dof panda iiwa14 ur5
defaults: release
	mkdir -p .build/defaults
	for arm in $(DEFAULTS_ARMS); do \
	  $(NIK) bench --robot Fixtures/robots/$$arm.json --model Fixtures/models/$$arm.nikm --targets 1000 \
	    --near-start 0.2 --json .build/defaults/$$arm.json --markdown .build/defaults/$$arm.md || exit 1; \
	done
	{ printf '# The shipped defaults on every arm\n\nWritten by `make defaults` (release build, %s, commit %s): `neural-ik bench --targets 1000 --near-start 0.2` with the\ncommitted model of each arm, every solver built from the default `SolverSpecification` (see\n[Benchmark.md](Benchmark.md)). Each table is one run; times are this machine'"'"'s, success and iterations\nare not.\n\n' "$$(nproc) cores" "$$(git rev-parse --short HEAD)"; \
	  for arm in $(DEFAULTS_ARMS); do printf '## %s\n\n' $$arm; cat .build/defaults/$$arm.md; echo; done; } > Docs/Defaults.md

# The default hybrid near where the robot is, on 10,000 protocol targets of each arm with starts
# within 0.2 rad of each target's own configuration (Docs/NearStart.md): the answers farther from
# the start than that configuration, and the near-start time against the cold solve's.
near-start: release
	mkdir -p .build/near-start
	for arm in $(DEFAULTS_ARMS); do \
	  $(NIK) bench --robot Fixtures/robots/$$arm.json --model Fixtures/models/$$arm.nikm --solver hybrid \
	    --targets 10000 --near-start 0.2 --markdown .build/near-start/$$arm.md || exit 1; \
	done
	{ printf '# The hybrid near where the robot is\n\nWritten by `make near-start` (release build, %s, commit %s): `neural-ik bench --solver hybrid --targets 10000 --near-start 0.2`\nwith the committed model of each arm: 10,000 protocol targets, each solved cold and from a start within 0.2 rad of\nthe target'"'"'s own configuration (every joint moved by a uniform amount in ±0.2, clamped into the limits). How\nthe hybrid stays near its start: [Solvers.md](Solvers.md) ("Where the robot is"). Each table is one run; times are\nthis machine'"'"'s, the counts are not.\n\n' "$$(nproc) cores" "$$(git rev-parse --short HEAD)"; \
	  for arm in $(DEFAULTS_ARMS); do printf '## %s\n\n' $$arm; cat .build/near-start/$$arm.md; echo; done; } > Docs/NearStart.md

# The hybrid along 100 seeded smooth joint paths of each arm (Docs/Paths.md): FK targets solved in
# order with solvePath, as `solve --path` does, with --max-step twice each path's largest step;
# then the Gen3-like arm, which has no closed form, without a model (lm), its jumps planned over
# sampled self-motion.
PATH_ARMS := seed-arm arm-3dof panda iiwa14 ur5
paths: release
	mkdir -p .build/paths
	for arm in $(PATH_ARMS); do \
	  $(NIK) bench --robot Fixtures/robots/$$arm.json --model Fixtures/models/$$arm.nikm --solver hybrid \
	    --targets 10 --paths 100 --json .build/paths/$$arm.json --markdown .build/paths/$$arm.md || exit 1; \
	done
	$(NIK) bench --robot Fixtures/robots/gen3-like.urdf --targets 10 --paths 100 \
	  --json .build/paths/gen3-like.json --markdown .build/paths/gen3-like.md
	{ printf '# The hybrid along paths\n\nWritten by `make paths` (release build, %s, commit %s): `neural-ik bench --solver hybrid --targets 10 --paths 100`\nwith the committed model of each arm. Each arm gets 100 seeded smooth joint paths inside its limits (`SmoothPaths`:\nevery joint swings once, sine-shaped, by up to 0.4 about a centre of its own, over 100 steps); their FK\ntargets are solved in order with `Solver.solvePath`, as `neural-ik solve --path` does, each from the\nprevious answer (on the seven-joint arms then relaxed along the self-motion, and planned over the closed form'"'"'s branches\nabout each step still over 1.5× its median), with `--max-step` twice the path'"'"'s largest generating step. Each arm'"'"'s line counts the steps within that (and within twice the same step of the generating path) and the\nflagged steps, those over the limit. How paths are followed:\n[Solvers.md](Solvers.md) ("Paths"). Times are this machine'"'"'s, the counts are not.\n\n' "$$(nproc) cores" "$$(git rev-parse --short HEAD)"; \
	  for arm in $(PATH_ARMS); do printf '## %s\n\n' $$arm; grep -- '- hybrid paths:' .build/paths/$$arm.md; echo; done; \
	  printf '## gen3-like, without a closed form\n\nA seven-joint arm shaped like Kinova'"'"'s Gen3 (`Fixtures/robots/gen3-like.urdf`: offsets at the shoulder, elbow and\nwrist, so no closed form), without a model, so with `lm`, its default: `neural-ik bench --robot Fixtures/robots/gen3-like.urdf --targets 10 --paths 100`.\nWhere the followed answers jump, their stretch is planned over each target'"'"'s sampled curves of self-motion instead of\nthe closed form'"'"'s branches ([Solvers.md](Solvers.md), "Paths").\n\n'; \
	  grep -- '- lm paths:' .build/paths/gen3-like.md; echo; } > Docs/Paths.md

# Without a model (Docs/WithoutModel.md): the real arms, whose closed forms take poses, solved by
# the model-less default (the hybrid: that closed form, then lm) against lm alone and the closed
# form alone in one run per arm: cold, near a start and along paths.
WITHOUT_MODEL_ARMS := panda iiwa14 ur5
without-model: release
	mkdir -p .build/without-model
	for arm in $(WITHOUT_MODEL_ARMS); do \
	  $(NIK) bench --robot Fixtures/robots/$$arm.json --targets 2000 --near-start 0.2 --paths 20 \
	    --json .build/without-model/$$arm.json --markdown .build/without-model/$$arm.md || exit 1; \
	done
	{ printf '# Without a model\n\nWritten by `make without-model` (release build, %s, commit %s): `neural-ik bench --targets 2000 --near-start 0.2 --paths 20`\non each real arm without `--model`, so every solver the arm offers without one: `hybrid` (the default there: the\nclosed form of poses, then `lm`), `lm` (the default before) and `analytic` (poses only). One run per arm: 2,000\nprotocol pose targets and 1,000 beyond the reach sphere, solved cold; the reachable ones again from starts within\n0.2 rad of their own configuration (the `near start` rows); and 20 smooth joint paths of 100 steps, each target from\nthe answer before. How the default is chosen: [Solvers.md](Solvers.md) ("Default kind"). Times are this machine'"'"'s;\nsuccess and counts are not.\n\n' "$$(nproc) cores" "$$(git rev-parse --short HEAD)"; \
	  for arm in $(WITHOUT_MODEL_ARMS); do printf '## %s\n\n' $$arm; cat .build/without-model/$$arm.md; echo; done; } > Docs/WithoutModel.md

# The hybrid on partial and restricted pose targets (Docs/Partial.md): 10,000 protocol targets of
# each real arm as positions only, with a tool axis, with a locked joint and with tighter limits.
PARTIAL_ARMS := panda iiwa14 ur5
partial: release
	mkdir -p .build/partial
	for arm in $(PARTIAL_ARMS); do \
	  $(NIK) bench --robot Fixtures/robots/$$arm.json --model Fixtures/models/$$arm.nikm --solver hybrid --partial \
	    --json .build/partial/$$arm.json --markdown .build/partial/$$arm.md || exit 1; \
	done
	{ printf '# Partial and restricted targets\n\nWritten by `make partial` (release build, %s, commit %s): `neural-ik bench --solver hybrid --partial` on\n10,000 protocol pose targets of each real arm with its committed model and the shipped `SolverSpecification`. The\nrows: the hybrid on the poses; on their positions alone; on their positions with the tool'"'"'s approach axis along the\ngenerating pose'"'"'s (rotation about it free); on the poses with one joint (cycling with the target) locked at its\ngenerating value; and with that joint held within ±0.2 of it. Success is at 1 mm and 0.572° (for axis targets, of\nthe axis); every generating configuration reaches its target under its restriction.\n\n' "$$(nproc) cores" "$$(git rev-parse --short HEAD)"; \
	  for arm in $(PARTIAL_ARMS); do printf '## %s\n\n' $$arm; cat .build/partial/$$arm.md; echo; done; } > Docs/Partial.md

# The figures of the README and Docs/Accuracy.md (Docs/plots/*.svg): `neural-ik bench --plots` with
# the committed model of each arm on 1,000 protocol targets (a few minutes on 2 cores). Everything
# but the times is fixed by the targets' seed; the caption records the machine, date and commit.
PLOT_ARMS := seed-arm panda
plots: release
	mkdir -p Docs/plots .build/plots
	for arm in $(PLOT_ARMS); do \
	  $(NIK) bench --robot Fixtures/robots/$$arm.json --model Fixtures/models/$$arm.nikm --targets 1000 \
	    --plots Docs/plots --plots-note "release build, commit $$(git rev-parse --short HEAD)" \
	    --markdown .build/plots/$$arm.md || exit 1; \
	done

# Where one solve's time goes (Docs/Performance-profile.md): `neural-ik profile` on each arm with
# its committed model: the forward pass at 1–1,024 rows, FK and Jacobian, the hybrid's stages.
PROFILE_ARMS := seed-arm arm-3dof panda iiwa14 ur5
performance: release
	{ printf '# Where one solve'"'"'s time goes, per arm\n\nWritten by `make performance` (release build, %s, commit %s, one thread): `neural-ik profile --targets 1000`\nwith the committed model of each arm and the shipped `SolverSpecification`. See [Performance.md](Performance.md).\n\n' "$$(nproc) cores" "$$(git rev-parse --short HEAD)"; \
	  for arm in $(PROFILE_ARMS); do printf '## %s\n\n' $$arm; \
	    $(NIK) profile --robot Fixtures/robots/$$arm.json --model Fixtures/models/$$arm.nikm --targets 1000 || exit 1; echo; done; } > Docs/Performance-profile.md

# Instructions per hybrid solve on the Panda (Docs/Performance.md), counted by callgrind: 200
# reachable pose targets (`neural-ik targets`) and 200 poses 1.35-2 m from the base (outside its
# reach) with random orientations. Valgrind 3.19 cannot read this toolchain's DWARF and stops on
# the shared Swift runtime, so the binary is linked with the standard library static and its debug
# sections stripped (symbols kept, so that only HybridSolver.solve is counted). Then the UR5's
# every-branch closed form (`--solver analytic`, only Solver.solve counted) on 200 reachable poses.
CALLGRIND_DIR := .build-callgrind
CALLGRIND_RUN := OPENBLAS_NUM_THREADS=1 valgrind --tool=callgrind --toggle-collect='*HybridSolverC5solve*'
CALLGRIND_SOLVE := OPENBLAS_NUM_THREADS=1 valgrind --tool=callgrind --toggle-collect='*8NeuralIK6SolverC5solve*'
callgrind: deps
	command -v valgrind >/dev/null || $(SUDO) apt-get install -y -qq valgrind
	swift build -c release --scratch-path $(CALLGRIND_DIR) -Xswiftc -static-stdlib --product neural-ik
	strip --strip-debug -o $(CALLGRIND_DIR)/neural-ik $(CALLGRIND_DIR)/release/neural-ik
	$(CALLGRIND_DIR)/neural-ik targets --robot Fixtures/robots/panda.json --count 200 --seed 77 \
	  --out $(CALLGRIND_DIR)/reachable.csv
	python3 -c 'import math, random; r = random.Random(5); print("x,y,z,qw,qx,qy,qz"); \
	  g = lambda k: [r.gauss(0, 1) for _ in range(k)]; n = lambda v: [x / math.sqrt(sum(y * y for y in v)) for x in v]; \
	  [print(",".join("%.9f" % x for x in [c * d for c in n(g(3))] + n(g(4)))) for d in [r.uniform(1.35, 2.0) for _ in range(200)]]' \
	  > $(CALLGRIND_DIR)/out-of-reach.csv
	for set in reachable out-of-reach; do \
	  $(CALLGRIND_RUN) --callgrind-out-file=$(CALLGRIND_DIR)/$$set.out $(CALLGRIND_DIR)/neural-ik solve \
	    --robot Fixtures/robots/panda.json --model Fixtures/models/panda.nikm --targets $(CALLGRIND_DIR)/$$set.csv \
	    --out $(CALLGRIND_DIR)/$$set-answers.csv 2> $(CALLGRIND_DIR)/$$set.log >/dev/null || exit 1; \
	  total=$$(sed -n 's/.*Collected : //p' $(CALLGRIND_DIR)/$$set.log); \
	  echo "$$set: $$total instructions in HybridSolver.solve over 200 Panda poses, $$((total / 200)) per solve (commit $$(git rev-parse --short HEAD))"; \
	done
	$(CALLGRIND_DIR)/neural-ik targets --robot Fixtures/robots/ur5.json --count 200 --seed 77 \
	  --out $(CALLGRIND_DIR)/ur5-reachable.csv
	$(CALLGRIND_SOLVE) --callgrind-out-file=$(CALLGRIND_DIR)/ur5-analytic.out $(CALLGRIND_DIR)/neural-ik solve \
	  --robot Fixtures/robots/ur5.json --solver analytic --targets $(CALLGRIND_DIR)/ur5-reachable.csv \
	  --out $(CALLGRIND_DIR)/ur5-analytic-answers.csv 2> $(CALLGRIND_DIR)/ur5-analytic.log >/dev/null
	@total=$$(sed -n 's/.*Collected : //p' $(CALLGRIND_DIR)/ur5-analytic.log); \
	  echo "ur5 analytic: $$total instructions in Solver.solve over 200 UR5 poses, $$((total / 200)) per solve (commit $$(git rev-parse --short HEAD))"

# Reachability maps of the Panda (Docs/Maps.md): `neural-ik map` with its committed model, its
# summary (voxels, reachable voxels, time, solves/s) copied between the section's markers.
# `make map-panda` is the 5 cm, 64-orientation map; `make map-panda-quick` a coarse one.
PANDA_MAP := --robot Fixtures/robots/panda.json --model Fixtures/models/panda.nikm
MAP_FLAGS_panda := $(PANDA_MAP) --resolution 0.05 --orientations 64
MAP_FLAGS_panda-quick := $(PANDA_MAP) --resolution 0.15 --orientations 16
.PHONY: map-panda map-panda-quick
map-panda map-panda-quick: map-%: release
	mkdir -p .build/maps
	{ printf 'Written by `make map-%s` (release build, %s, commit %s, %s):\n\n```\n$$ neural-ik map %s --out .build/maps/%s.nikmap\n' \
	    '$*' "$$(nproc) cores" "$$(git rev-parse --short HEAD)" "$$(date -u '+%F')" '$(MAP_FLAGS_$*)' '$*'; \
	  $(NIK) map $(MAP_FLAGS_$*) --out .build/maps/$*.nikmap || exit 1; printf '```\n'; } > .build/maps/$*.md
	awk -v section='$*' -v file=.build/maps/$*.md \
	  '$$0 == "<!-- map-" section " -->" { print; while ((getline line < file) > 0) print line; skip = 1; next } \
	   $$0 == "<!-- /map-" section " -->" { skip = 0 } !skip' Docs/Maps.md > .build/maps/Maps.md
	mv .build/maps/Maps.md Docs/Maps.md

# Refreshes the README's screenshot from the end-to-end browser test.
screenshot: deps
	swift test --filter BrowserTests
	cp .build/e2e/app.png Docs/app.png

# The API load test in a release build at full load (NEURALIK_LOAD=full: the Panda's pose model,
# 64 WebSocket clients dragging at 50 Hz and 8 batch clients for 60 s); its report goes to Docs/LoadTest.md.
loadtest: deps
	NEURALIK_LOAD=full swift test -c release --filter LoadTests
	{ printf '# Load test of the web API\n\nWritten by `make loadtest` (release build, loopback, server and clients in one process, 2-core machine); see [WebApp.md](WebApp.md#load-test).\n\n'; cat .build/loadtest.md; } > Docs/LoadTest.md

# NeuralIK against TRAC-IK, KDL, Robotics Toolbox's ik_LM and the analytical EAIK, ik-geo and frankik
# on the same targets, scored by our FK (PEERS_COUNT, PEERS_ARMS, PEERS_BUILD, PEERS_ONLY: see run.sh);
# writes Docs/Peers.md.
# The package depends on none of it; its tools and builds go to .build-peers/ (Sources/Peers/run.sh).
peers:
	bash Sources/Peers/run.sh

# libFuzzer over every input format (Docs/Fuzzing.md): each fuzz target runs FUZZ_SECONDS (or FUZZ_RUNS inputs) from a
# corpus seeded from Fixtures (generated into .build-fuzzer/corpus, never committed). A crash,
# a leak, an input slower than 10 s or a process above 2 GB stops the target and leaves its
# reproducer in .build-fuzzer/artifacts/FORMAT/; replay one with a plain build:
# `swift build --product FuzzURDF && .build/debug/FuzzURDF FILE`.
FUZZ_FORMATS := URDF RobotJSON ModelFile TargetsCSV APIRequest LiveMessage
FUZZ_SECONDS ?= 300
FUZZ_SCRATCH := .build-fuzzer
# SwiftPM links an executable's `main` as `<Module>_main`, which each fuzz target defines to run
# libFuzzer's driver; so libFuzzer comes in without its own main (`-sanitize=fuzzer` would link two).
FUZZER_LIBRARY = $(shell find "$$(dirname "$$(dirname "$$(readlink -f "$$(which swift)")")")/lib/clang" -name 'libclang_rt.fuzzer_no_main-x86_64.a' | head -1)
FUZZ_BUILD = swift build -c release --scratch-path $(FUZZ_SCRATCH) -Xswiftc -DNEURALIK_FUZZING -Xswiftc -sanitize=address \
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp,indirect-calls \
  -Xlinker $(FUZZER_LIBRARY) -Xlinker -lstdc++
# FUZZ_RUNS=N runs each target for N inputs instead of FUZZ_SECONDS (`make -j2 fuzz FUZZ_RUNS=1000000`:
# the issue's count, two targets at a time; their builds wait for each other on the scratch path).
FUZZ_LIMIT = $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS))
FUZZ_FLAGS = $(FUZZ_LIMIT) -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -print_final_stats=1
.PHONY: fuzz $(addprefix fuzz-,$(FUZZ_FORMATS))

fuzz: $(addprefix fuzz-,$(FUZZ_FORMATS))

$(addprefix fuzz-,$(FUZZ_FORMATS)): fuzz-%: deps
	$(FUZZ_BUILD) --product Fuzz$*
	mkdir -p $(FUZZ_SCRATCH)/corpus/$* $(FUZZ_SCRATCH)/artifacts/$*
	$(MAKE) --no-print-directory fuzz-seeds-$*
	@LSAN_OPTIONS=suppressions=Fuzz/lsan.supp NEURALIK_FUZZ_SEEDS=$(FUZZ_SCRATCH)/corpus/$* $(FUZZ_SCRATCH)/release/Fuzz$* $(FUZZ_FLAGS) \
	  -artifact_prefix=$(FUZZ_SCRATCH)/artifacts/$*/ $(FUZZ_SCRATCH)/corpus/$* > $(FUZZ_SCRATCH)/fuzz-$*.log 2>&1; \
	  status=$$?; [ $$status = 0 ] || tail -n 40 $(FUZZ_SCRATCH)/fuzz-$*.log; \
	  echo "$*:"; grep -E "DONE|^Done [0-9]+ runs|^stat::number_of_executed_units" $(FUZZ_SCRATCH)/fuzz-$*.log; exit $$status

# Seed corpora: the fixture robots and URDFs, two targets CSVs, API bodies (FuzzModelFile writes
# its own seed models, small untrained networks of each fixture robot).
FUZZ_CORPUS = $(FUZZ_SCRATCH)/corpus
API_SEEDS := '{"target":[0.1,0.2,0.5]}' '{"targets":[[0.1,0.2,0.5],[1,0,0]],"solver":"lm","all":true}' \
  '{"target":[0.1,0.2,0.5],"start":[0.1,0.2],"id":7}' '{"target":[0.1,0.2,0.5,1,0,0,0],"rotation_weight":0.2}' \
  '{"target":[0.1,0.2,0.5],"lock":{"joint1":0.3},"limits":{"joint2":[-1,1]}}' \
  '{"target":[0.1,0.2,0.5],"axis":[0,0,1],"tool_axis":[0,0,1]}'
fuzz-seeds-URDF:
	cp Fixtures/robots/*.urdf $(FUZZ_CORPUS)/URDF/
fuzz-seeds-RobotJSON:
	cp Fixtures/robots/*.json $(FUZZ_CORPUS)/RobotJSON/
fuzz-seeds-ModelFile:
	@true
fuzz-seeds-TargetsCSV:
	printf 'x,y,z\n0.1,0.2,0.5\n\n-1e-3,2.5e2,0\n' > $(FUZZ_CORPUS)/TargetsCSV/positions.csv
	printf 'x, y, z, qw, qx, qy, qz\n0.1,0.2,0.5,1,0,0,0\n0.3,-0.1,0.2,0.7071,0,0.7071,0\n' > $(FUZZ_CORPUS)/TargetsCSV/poses.csv
fuzz-seeds-APIRequest fuzz-seeds-LiveMessage: fuzz-seeds-%:
	i=0; for body in $(API_SEEDS); do i=$$((i+1)); printf '%s' "$$body" > $(FUZZ_CORPUS)/$*/body-$$i.json; done

# The heavy property suite at CI strength (Docs/Fuzzing.md): PROPERTY_CASES per law, in a release
# build, from a fresh seed (printed; NEURALIK_SEED=S replays a run).
PROPERTY_CASES ?= 10000
.PHONY: properties
properties: deps
	NEURALIK_PROPERTY_CASES=$(PROPERTY_CASES) swift test -c release --filter "SolverLawTests|RealArmJacobianTests"

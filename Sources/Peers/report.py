#!/usr/bin/env python3
"""Docs/Peers.md from the rows that `neural-ik score` and `neural-ik bench` wrote (run.sh).

    report.py check-exact SCORE.json     fails unless a score row is exact (the FK cross-check)
    report.py write --out FILE --build DIR --arms "A B" --count N --seed S --venv-python PY

Standard library only.
"""

import argparse
import csv
import datetime
import json
import math
import os
import platform
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chain  # noqa: E402

# Peer rows in table order: file stem under .build-peers/<arm>/score-*.json, and the name shown.
PEERS = [
    ("trac-ik", "TRAC-IK (Speed, 5 ms)"),
    ("rtb-lm", "Robotics Toolbox ik_LM"),
    ("kdl-lma", "KDL LMA"),
    ("kdl-lma-rr", "KDL LMA + restarts (5 ms)"),
    ("kdl-nrjl", "KDL NR_JL"),
    ("kdl-nrjl-rr", "KDL NR_JL + restarts (5 ms)"),
]


class ReportError(Exception):
    pass


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise ReportError(f"'{path}': cannot read it ({e.strerror})") from None
    except json.JSONDecodeError as e:
        raise ReportError(f"'{path}': not valid JSON ({e})") from None


def check_exact(path):
    row = load(path)
    try:
        ok = (
            row["success_rate"] == 1
            and row["position_p99_mm"] < 1e-6
            and (row.get("rotation_p99_deg") or 0) < 1e-6
            and row["limit_violations"] == 0
        )
    except (KeyError, TypeError) as e:
        raise ReportError(f"'{path}': not a score row ({e})") from None
    print(
        f"NeuralIK FK vs chain.py FK on {row['count']} configurations: p99 {row['position_p99_mm']:.1e} mm, "
        f"{(row.get('rotation_p99_deg') or 0):.1e}°"
    )
    if not ok:
        raise ReportError(f"'{path}': NeuralIK's FK disagrees with chain.py's: {row}")


def run(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine(args):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    os_name = "unknown"
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            os_name = next(l.split("=", 1)[1].strip().strip('"') for l in f if l.startswith("PRETTY_NAME="))
    except (OSError, StopIteration):
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = "unknown"
    try:
        with open(os.path.join(args.build, "loadavg-start.txt"), encoding="utf-8") as f:
            load = " ".join(f.read().split()[:3])
    except OSError:
        pass
    py = args.venv_python
    return [
        ("date", datetime.date.today().isoformat()),
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("memory", f"{mem_gib:.0f} GiB"),
        ("OS", f"{os_name}, Linux {platform.release()}"),
        ("load average before the run (1, 5, 15 min)", load),
        ("NeuralIK", f"git {run(['git', 'rev-parse', '--short', 'HEAD'])}"
         + (" (with uncommitted changes)" if run(["git", "status", "--porcelain", "--untracked-files=no"]) else "")),
        ("Swift", run(["swift", "--version"]).splitlines()[0] if run(["swift", "--version"]) != "unknown" else "unknown"),
        ("KDL", "Debian liborocos-kdl-dev " + run(["dpkg-query", "-W", "-f=${Version}", "liborocos-kdl-dev"])),
        ("compiler", run(["g++", "--version"]).splitlines()[0] + ", -O2"),
        ("TRAC-IK", "pytracik " + run([py, "-c", "import trac_ik; print(trac_ik.__version__)"])
         + " (PyPI wheel; bundles TRAC-IK with KDL 1.5.1 and NLopt), numpy "
         + run([py, "-c", "import numpy; print(numpy.__version__)"]) + ", Python "
         + run([py, "-c", "import platform; print(platform.python_version())"])),
        ("Robotics Toolbox", "roboticstoolbox-python " + run([py, "-c", "import roboticstoolbox; print(roboticstoolbox.__version__)"])
         + " (PyPI wheel; ik_LM is its compiled C++/Eigen solver), spatialmath-python "
         + run([py, "-c", "import spatialmath; print(spatialmath.__version__)"]) + ", numpy "
         + run([py, "-c", "import numpy; print(numpy.__version__)"]) + ", Python "
         + run([py, "-c", "import platform; print(platform.python_version())"])),
    ]


def num(value, digits=3):
    if value is None:
        return "–"
    if value != 0 and abs(value) < 10 ** -digits:
        return f"{value:.1e}"
    return f"{value:.{digits}f}"


def line(name, r):
    found = "–" if r.get("reported_found") is None else f"{100 * r['reported_found'] / r['count']:.2f}%"
    cells = [
        name,
        f"{100 * r['success_rate']:.2f}%",
        f"{100 * r['success_rate_loose']:.2f}%",
        num(r["position_median_mm"], 4),
        num(r["position_p99_mm"]),
        num(r.get("rotation_median_deg"), 4),
        num(r.get("rotation_p99_deg")),
        f"{r['time_mean_us']:.0f}",
        f"{r['time_median_us']:.0f}",
        f"{r['time_p95_us']:.0f}",
        str(r["limit_violations"]),
        found,
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| solver | success 1 mm, 0.572° | success 5 mm, 2.865° | pos. median mm | pos. p99 mm "
    "| rot. median ° | rot. p99 ° | mean µs | median µs | p95 µs | limit viol. | says found |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def largest_excursion(robot, path):
    """How many answers leave the limits, and the largest excursion beyond one (radians or metres)."""
    movable = chain.movable(chain.load_robot(robot)[0])
    count, worst = 0, 0.0
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            excess = max(max(j["lower"] - float(row[j["name"]]), float(row[j["name"]]) - j["upper"]) for j in movable)
            if excess > 0:
                count, worst = count + 1, max(worst, excess)
    return count, worst


def arm_section(args, arm):
    d = os.path.join(args.build, arm)
    rows = []
    neural = os.path.join(d, "neural-ik.json")
    bench = None
    if os.path.exists(neural):
        bench = load(neural)
        rows += [(f"NeuralIK {r['solver']}", r) for r in bench["rows"]]
    rows += [(name, load(os.path.join(d, f"score-{stem}.json"))) for stem, name in PEERS]
    oh = load(os.path.join(d, "trac-ik-overhead.json"))
    out = [f"### {arm}", "", HEADER] + [line(n, r) for n, r in rows] + [""]
    if bench is None:
        out += [f"No NeuralIK rows: there was no model at `Fixtures/models/{arm}.nikm` when this ran.", ""]
    else:
        ctx = bench.get("context", {})
        keep = {
            k: v for k, v in ctx.items()
            if k in ("maximum_iterations_hybrid", "maximum_iterations_lm", "model_fingerprint", "cblas")
        }
        if keep:
            out += ["NeuralIK bench context: " + ", ".join(f"{k} {v}" for k, v in sorted(keep.items())) + ".", ""]
    robot = os.path.join(args.root, "Fixtures", "robots", f"{arm}.json")
    excursions = []
    for stem, name in PEERS:
        n, worst = largest_excursion(robot, os.path.join(d, f"{stem}.csv"))
        excursions.append(f"{name} {n} ({worst:.1e})" if n else f"{name} 0")
    out += [
        "Answers outside the limits at all, and the largest excursion beyond a limit (rad), "
        "measured from the peers' CSVs without tolerance: " + "; ".join(excursions) + ".",
        "",
    ]
    out += [
        f"TRAC-IK call overhead on {arm} (medians of {oh['count']} calls): timer pair {oh['timer_pair_us']:.2f} µs, "
        f"a trivial pybind11 call {oh['binding_call_us']:.2f} µs, `pytracik.fk` (array in and out, chain copy, "
        f"one FK) {oh['fk_call_us']:.2f} µs; `pytracik.ik` on a target its seed already reaches "
        f"{oh['ik_at_seed_us']:.1f} µs (TRAC-IK's floor: two threads started and joined).",
        "",
    ]
    rec = load(os.path.join(d, "rtb-lm-record.json"))
    oh = load(os.path.join(d, "rtb-lm-overhead.json"))
    out += [
        f"Robotics Toolbox ik_LM on {arm}: {rec['restarted']} of {rec['count']} targets needed a random restart "
        f"(searches per target: mean {rec['searches_mean']:.2f}, max {rec['searches_max']}; "
        f"{rec['repeat_checked']} of them solved again with the same seed gave the same answer). Call overhead "
        f"(medians of {oh['count']} calls): timer pair {oh['timer_pair_us']:.2f} µs; `ETS.ik_LM` on a target its "
        f"seed already reaches {oh['ets_ik_at_seed_us']:.1f} µs (its floor: the Python wrapper, one FK, one "
        f"error); `Robot.ik_LM` on the same target {oh['robot_ik_at_seed_us']:.1f} µs (it rebuilds the ETS on "
        f"every call; the same answers as `ETS.ik_LM` on {oh['robot_equals_ets']} random targets).",
        "",
    ]
    return out, rows


def headline(arm, rows):
    by = dict(rows)
    t = by.get("TRAC-IK (Speed, 5 ms)")
    h = by.get("NeuralIK hybrid")
    if not t:
        return None
    text = f"{arm}: TRAC-IK {100 * t['success_rate']:.2f}% (median {t['time_median_us']:.0f} µs)"
    if h:
        text = (
            f"{arm}: NeuralIK hybrid {100 * h['success_rate']:.2f}% (median {h['time_median_us']:.0f} µs), "
            + text[len(arm) + 2:]
        )
    return text


def spec_text(args, arms):
    """The NeuralIK specification the bench reports recorded (the same for every arm)."""
    for arm in arms:
        path = os.path.join(args.build, arm, "neural-ik.json")
        if os.path.exists(path):
            spec = load(path).get("specification", {})
            keys = ["max_iterations", "start_iteration_budget", "iteration_budget", "proposal_iteration_budget",
                    "quick_iterations", "random_restarts", "time_budget_s", "preference"]
            return ", ".join(f"`{k}` {spec.get(k, 'none')}" for k in keys)
    return "no NeuralIK rows in this run"


def rtb_settings(args, arms):
    """The ik_LM call that rtb_peer.py recorded (the same for every arm) and the errors its tol allows."""
    for arm in arms:
        rec = load(os.path.join(args.build, arm, "rtb-lm-record.json"))
        tol = rec["settings"]["tol"]
        # ½|e|² < tol with e = (position m, angle-axis rad): |e| < √(2 tol).
        bound = math.sqrt(2 * tol)
        return {
            "RTB_CALL": f"`{rec['call']}`",
            "RTB_TOL": f"{tol:g}",
            "RTB_SEED": str(rec["settings"]["seed"]),
            "RTB_BOUND": f"{bound:.2e}, so an answer it calls found may be up to {1000 * bound:.2f} mm or "
                         f"{math.degrees(bound):.3f}° off",
            "RTB_SEARCHES": f"at most {rec['settings']['ilimit']} iterations per search and "
                            f"{rec['settings']['slimit']} searches",
        }
    return {}


README_BEGIN = "<!-- peers-table: written by make peers (Sources/Peers/report.py) -->"
README_END = "<!-- /peers-table -->"


def readme_table(args, arms):
    """The README's headline table: NeuralIK's default hybrid against TRAC-IK, Robotics Toolbox and KDL, per arm."""
    lines = [
        README_BEGIN,
        "| arm | NeuralIK hybrid (shipped defaults) | NeuralIK lm | TRAC-IK (5 ms) | Robotics Toolbox ik_LM "
        "| KDL NR_JL | KDL LMA |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    names = {"panda": "Franka Panda", "iiwa14": "KUKA iiwa 14", "ur5": "UR5"}
    for arm in arms:
        d = os.path.join(args.build, arm)
        neural = os.path.join(d, "neural-ik.json")
        rows = {r["solver"]: r for r in load(neural)["rows"]} if os.path.exists(neural) else {}
        peers = {stem: load(os.path.join(d, f"score-{stem}.json")) for stem, _ in PEERS}

        def cell(r, bold=False):
            if r is None:
                return "–"
            text = f"{100 * r['success_rate']:.2f}%"
            text = f"**{text}**" if bold else text
            text += f", median {r['time_median_us']:.0f} µs"
            if r["limit_violations"]:
                text += f", {r['limit_violations']:,} outside the limits"
            return text

        best = max([r["success_rate"] for r in list(rows.values()) + list(peers.values())], default=0)
        hybrid = rows.get("hybrid")
        lines.append(
            "| " + " | ".join([
                names.get(arm, arm),
                cell(hybrid, hybrid is not None and hybrid["success_rate"] == best),
                cell(rows.get("lm")),
                cell(peers["trac-ik"]) + " (2 threads)",
                cell(peers["rtb-lm"]),
                cell(peers["kdl-nrjl"]),
                cell(peers["kdl-lma"]),
            ]) + " |")
    lines.append(README_END)
    return "\n".join(lines)


def update_readme(args, arms):
    path = os.path.join(args.root, "README.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if README_BEGIN not in text or README_END not in text:
        raise ReportError(f"'{path}': no peers-table markers; add {README_BEGIN} ... {README_END}")
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(head + readme_table(args, arms) + tail)
    os.replace(tmp, path)


def write(args):
    arms = args.arms.split()
    sections, heads = [], []
    for arm in arms:
        text, rows = arm_section(args, arm)
        sections += text
        h = headline(arm, rows)
        if h:
            heads.append(h)
    doc = [
        "# NeuralIK against TRAC-IK, KDL and Robotics Toolbox",
        "",
        "Written by `make peers` (`Sources/Peers/run.sh`); do not edit by hand. Every solver gets the same",
        f"pose targets, {args.count} per arm: forward kinematics of random in-limit configurations",
        f"(`neural-ik targets --seed {args.seed}`). Every answer is checked by NeuralIK's forward",
        "kinematics from the joint values the solver returned (`neural-ik score`), not by the solver's own",
        "verdict, which is shown in the last column. Success means position error ≤ 1 mm and rotation",
        "error ≤ 0.572° (0.01 rad); the loose level is 5 mm and 2.865° (0.05 rad).",
        "",
        "Headline (success at 1 mm and 0.572°, median time of one solve): " + "; ".join(heads) + ".",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
    ]
    doc += [f"| {k} | {v} |" for k, v in machine(args)]
    settings = SETTINGS.replace("NEURALIK_SPEC", spec_text(args, arms))
    for key, value in rtb_settings(args, arms).items():
        settings = settings.replace(key, value)
    doc += ["", "## Settings", "", settings, "", "## Results", ""]
    doc += sections
    doc += ["## Caveats", "", CAVEATS, "", "## Reproduce", "", REPRODUCE, ""]
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(doc))
    os.replace(tmp, args.out)
    if args.readme:
        update_readme(args, arms)


SETTINGS = """\
Each solver starts from the middle of the joint limits (0 for a continuous joint). Times are wall
clock, steady/monotonic clock, around the single solve call of one target inside the solver's own
process, one target at a time; "mean/median/p95 µs" are over all targets, failures included.

- **TRAC-IK**: `pytracik` from PyPI in a venv (`.build-peers/venv`), solve type Speed (the
  default), eps 1e-5, timeout 5 ms, the published TRAC-IK protocol. Called through the binding's
  `pytracik.ik` directly; the URDF of the arm between the base and tip links below. TRAC-IK starts
  two threads per solve (KDL with random restarts and NLopt SQP, racing; the first to succeed
  wins), so it uses both cores.
- **Robotics Toolbox ik_LM**: `roboticstoolbox-python` from PyPI in the same venv, its compiled
  solver (C++ with Eigen, one thread) called as RTB_CALL on the base → tip `ETS` that the toolbox's
  own URDF parser builds from the arm's URDF, once. Every argument is the installed version's
  default except `q0`: Levenberg–Marquardt with Chan's damping λ·E·I (λ = k = 1), the unweighted
  error e = (position in m, angle-axis in rad), converged when E = ½|e|² < tol = RTB_TOL, that is
  |e| < RTB_BOUND; RTB_SEARCHES, the first from `q0`, the others from uniformly random in-limit
  configurations; with `joint_limits` a converged answer outside the limits is rejected and the
  next search begins. No time budget. The restarts draw from C's `rand()`, which `rtb_peer.py`
  seeds with `srand(RTB_SEED + i)` before target i (outside the timing), so every row repeats
  exactly. `Robot.ik_LM(Tep, end=tip, start=base)` gives the same answers but rebuilds the ETS on
  every call; the line under each table measures both.
- **KDL LMA**: `ChainIkSolverPos_LMA` with its defaults: eps 1e-5 on the weighted error with
  weights (1, 1, 1, 0.01, 0.01, 0.01), so rotation may be up to about 1e-3 rad off at
  convergence; at most 500 iterations; eps_joints 1e-15. LMA does not know joint limits.
- **KDL NR_JL**: `ChainIkSolverPos_NR_JL` with `ChainFkSolverPos_recursive` and
  `ChainIkSolverVel_pinv` (defaults), at most 100 iterations, eps 1e-5; each step is clamped to
  the limits.
- **"+ restarts (5 ms)"**: the same KDL solver; when an attempt fails it is retried from a
  uniformly random in-limit seed until one succeeds or 5 ms have passed since the first attempt
  began (checked between attempts, so the last attempt may overrun). This gives KDL the same time
  budget as TRAC-IK; plain KDL has none.
- **NeuralIK** (`neural-ik bench --targets-file`, one thread): every row is built from the shipped
  `SolverSpecification`, exactly what `neural-ik solve --model M` (hybrid) and `--solver lm` run:
  NEURALIK_SPEC. The hybrid refines the committed model's proposals (2 free-joint values × 8
  heads on a 7-joint arm), then runs the `lm` solve as its fallback; the network row is the model
  alone (its 32 free-joint values × 8 heads, the best by FK); `lm` starts from the middle of the
  limits with seeded random restarts. See Docs/Benchmark.md. Timed in-process like the peers.
- The KDL chain is built by `Sources/Peers/chain.py` from the JSON robot file, one segment per
  joint; TRAC-IK and Robotics Toolbox read the URDF. Before solving, run.sh checks on 200 random
  configurations per arm that KDL's FK, TRAC-IK's FK, Robotics Toolbox's FK and NeuralIK's FK all
  agree with chain.py's to 1e-9, and that TRAC-IK's and Robotics Toolbox's joints and limits are
  the JSON file's.

| arm | JSON robot file | URDF base → tip | movable joints |
| --- | --- | --- | --- |
| panda | `Fixtures/robots/panda.json` | `panda_link0` → `panda_link8` | 7 |
| iiwa14 | `Fixtures/robots/iiwa14.json` | `iiwa_link_0` → `iiwa_link_ee` | 7 |
| ur5 | `Fixtures/robots/ur5.json` | `base_link` → `tool0` | 6 |"""

CAVEATS = """\
- TRAC-IK's times include the Python call and pybind11's argument conversion; the overhead lines
  under each table measure them (a microsecond or two, against hundreds for a solve).
- TRAC-IK uses two threads per solve, the other solvers one; on this 2-core machine that favours
  TRAC-IK's wall-clock time.
- Robotics Toolbox's ik_LM stops as soon as ½|e|² < tol, so with its default tol many of the
  answers it calls found lie just inside that bound, which is looser than the 1 mm and 0.572° level
  (see Settings): its "says found" column can exceed its success. Its times include the Python
  wrapper `ETS.ik_LM` (argument checks, the result object), measured under each table.
- Success is judged on position and rotation only. KDL LMA ignores joint limits, so its successes
  include answers outside them (the violations column and the excursion line under each table).
- TRAC-IK keeps joint limits as single-precision floats, so a solution at a limit can exceed the
  JSON file's limit by up to about 2e-7 rad; `neural-ik score` has no tolerance on limits, so
  such a solution counts as a limit violation here (the excursion line shows how small they are).
- When a peer reports failure, its row holds what it returned (KDL; Robotics Toolbox: where its
  last random search ended) or the seed (TRAC-IK returns no joints then), so the p99 error columns
  include those unsolved targets.
- The fixtures' URDFs leave out `effort` and `velocity` on `<limit>`, which pytracik's parser
  requires, and so does Robotics Toolbox's; `peer_inputs.py` adds zeros before handing the URDF
  over (no effect on kinematics).
- TRAC-IK's random restarts use its own unseeded generator, and every time budget depends on the
  machine's speed and load: rows with a budget vary a little between runs. Plain LMA and NR_JL are
  deterministic, and so are Robotics Toolbox's answers (its restarts are seeded); its times vary
  with the load like every solver's."""

REPRODUCE = """\
```sh
make peers                     # installs what is missing, builds, runs, rewrites this file
PEERS_COUNT=200 make peers     # a quick check; writes .build-peers/Peers.md instead
PEERS_BUILD=0 make peers       # uses .build/release/neural-ik as it is instead of building it
```

Everything built or downloaded for the peers goes to `.build-peers/` (git-ignored): the venv,
`kdl_peer`, and per arm the targets, every solver's
answers (`<solver>.csv`: `found,time_us,<joints>`) and every score (`score-<solver>.json`). The
Swift package does not depend on `Sources/Peers/`."""


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["check-exact", "write"])
    p.add_argument("path", nargs="?")
    p.add_argument("--out")
    p.add_argument("--build")
    p.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    p.add_argument("--arms")
    p.add_argument("--count")
    p.add_argument("--seed")
    p.add_argument("--readme", action="store_true", help="also rewrite the README's peers table")
    p.add_argument("--venv-python")
    args = p.parse_args()
    try:
        if args.command == "check-exact":
            if not args.path:
                raise ReportError("check-exact needs a score JSON")
            check_exact(args.path)
        else:
            if not all([args.out, args.build, args.arms, args.count, args.seed, args.venv_python]):
                raise ReportError("write needs --out --build --arms --count --seed --venv-python")
            write(args)
    except ReportError as e:
        print(f"report.py: error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

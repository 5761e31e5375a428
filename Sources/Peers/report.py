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

# Peer rows in table order: file stem under .build-peers/<arm>/score-*.json, the name shown, and the
# run.sh group (PEERS_ONLY) that makes it.
ALL_PEERS = [
    ("trac-ik", "TRAC-IK (Speed, 5 ms)", "trac-ik"),
    ("rtb-lm", "Robotics Toolbox ik_LM", "rtb"),
    ("kdl-lma", "KDL LMA", "kdl"),
    ("kdl-lma-rr", "KDL LMA + restarts (5 ms)", "kdl"),
    ("kdl-nrjl", "KDL NR_JL", "kdl"),
    ("kdl-nrjl-rr", "KDL NR_JL + restarts (5 ms)", "kdl"),
]
ALL_GROUPS = ["neural-ik", "trac-ik", "rtb", "kdl", "analytic"]
# The analytical peers (group "analytic"); an arm has the rows of those that solve it (run.sh).
ANALYTIC = [("eaik", "EAIK"), ("ik-geo", "ik-geo"), ("frankik", "frankik")]
# Per-target branch columns that analytic-branches.csv takes from each analytical peer's file.
BRANCH_COLUMNS = ["solutions", "least_squares", "exact", "in_limits"]


def peers_run(args):
    """The iterative peers' (stem, name) that this run made."""
    only = args.only.split()
    return [(stem, name) for stem, name, group in ALL_PEERS if group in only]


def analytic_run(args, arm):
    """The analytical peers' (stem, record) on this arm in this run."""
    if "analytic" not in args.only.split():
        return []
    d = os.path.join(args.build, arm)
    return [(stem, load(os.path.join(d, f"{stem}-record.json"))) for stem, _ in ANALYTIC
            if os.path.exists(os.path.join(d, f"score-{stem}.json"))]


def analytic_name(stem, rec):
    name = dict(ANALYTIC)[stem]
    if rec.get("free_joint"):
        name += f" ({rec['free_joint']} sampled, ≤ {rec['samples']})"
    return name


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
        ("analytical peers", "EAIK " + run([py, "-c", "from importlib.metadata import version; print(version('EAIK'))"])
         + ", ik-geo " + run([py, "-c", "from importlib.metadata import version; print(version('ik-geo'))"])
         + ", frankik " + run([py, "-c", "from importlib.metadata import version; print(version('frankik'))"])
         + " (PyPI wheels: C++/Eigen, Rust and C++ behind Python bindings)"),
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
    peers = peers_run(args)
    analytic = analytic_run(args, arm)
    rows = []
    neural = os.path.join(d, "neural-ik.json")
    bench = None
    if "neural-ik" in args.only.split() and os.path.exists(neural):
        bench = load(neural)
        rows += [(f"NeuralIK {r['solver']}", r) for r in bench["rows"]]
    rows += [(analytic_name(stem, rec), load(os.path.join(d, f"score-{stem}.json"))) for stem, rec in analytic]
    rows += [(name, load(os.path.join(d, f"score-{stem}.json"))) for stem, name in peers]
    out = [f"### {arm}", "", HEADER] + [line(n, r) for n, r in rows] + [""]
    if "neural-ik" not in args.only.split():
        pass
    elif bench is None:
        out += [f"No NeuralIK rows: there was no model at `Fixtures/models/{arm}.nikm` when this ran.", ""]
    else:
        ctx = bench.get("context", {})
        keep = {
            k: v for k, v in ctx.items()
            if k in ("maximum_iterations_hybrid", "maximum_iterations_lm", "model_fingerprint", "cblas")
        }
        if keep:
            out += ["NeuralIK bench context: " + ", ".join(f"{k} {v}" for k, v in sorted(keep.items())) + ".", ""]
    for stem, rec in analytic:
        out += [analytic_text(arm, d, stem, rec), ""]
    ours = (bench or {}).get("analytic_branches")
    if ours and analytic:
        out += [branch_comparison(arm, d, analytic, ours, bench), ""]
    if bench is not None and analytic:
        out += [same_run_times(arm, d, analytic, bench), ""]
    robot = os.path.join(args.root, "Fixtures", "robots", f"{arm}.json")
    excursions = []
    for stem, name in peers:
        n, worst = largest_excursion(robot, os.path.join(d, f"{stem}.csv"))
        excursions.append(f"{name} {n} ({worst:.1e})" if n else f"{name} 0")
    if excursions:
        out += [
            "Answers outside the limits at all, and the largest excursion beyond a limit (rad), "
            "measured from the peers' CSVs without tolerance: " + "; ".join(excursions) + ".",
            "",
        ]
    if "trac-ik" in args.only.split():
        oh = load(os.path.join(d, "trac-ik-overhead.json"))
        out += [
            f"TRAC-IK call overhead on {arm} (medians of {oh['count']} calls): timer pair {oh['timer_pair_us']:.2f} µs, "
            f"a trivial pybind11 call {oh['binding_call_us']:.2f} µs, `pytracik.fk` (array in and out, chain copy, "
            f"one FK) {oh['fk_call_us']:.2f} µs; `pytracik.ik` on a target its seed already reaches "
            f"{oh['ik_at_seed_us']:.1f} µs (TRAC-IK's floor: two threads started and joined).",
            "",
        ]
    if "rtb" in args.only.split():
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


def analytic_text(arm, d, stem, rec):
    """The branch line under the table for one analytical peer."""
    every = load(os.path.join(d, f"score-{stem}-all.json"))
    name = dict(ANALYTIC)[stem]
    text = f"{name} {rec['version']} on {arm} (its decomposition: {rec['family']}"
    if rec.get("free_joint"):
        text += (f"; {rec['free_joint']} tried at {rec['free_values_mean']:.2f} values per target on average, at most "
                 f"{rec['free_values_max']} of {rec['samples']}; the branch counts are those at the value where the "
                 "search stopped")
    text += (
        f"): {rec['solutions_mean']:.3f} branches per target on average ({rec['least_squares_mean']:.3f} flagged "
        f"least-squares, {rec['distinct_mean']:.3f} distinct), {rec['exact_mean']:.3f} FK-exact to 1e-9 m and 1e-9 rad "
        f"by chain.py's FK, {rec['in_limits_mean']:.3f} of those inside the limits after whole turns "
        f"({rec['in_limit_copies_mean']:.2f} in-limit whole-turn copies); {rec['targets_with_exact']} of "
        f"{rec['count']} targets have an exact branch, {rec['targets_without_solution']} none at all. "
        f"Every branch not flagged least-squares ({every['count']:,} rows) scored by `neural-ik score`: largest "
        f"position error {every['position_max_mm']:.1e} mm, rotation p99 {num(every.get('rotation_p99_deg'))}°, "
        f"{every['limit_violations']} outside the limits, {100 * every['exact_rate']:.2f}% within 1e-6 m and 1e-6 rad."
    )
    return text


def same_run_times(arm, d, analytic, bench):
    """The medians issue 13 compares, unrounded: NeuralIK's closed form and hybrid against the
    fastest analytical peer of this run (on a 7-joint arm, the peers sample the free joint)."""
    peers = [(dict(ANALYTIC)[stem], load(os.path.join(d, f"score-{stem}.json"))["time_median_us"])
             for stem, _ in analytic]
    name, fastest = min(peers, key=lambda p: p[1])
    rows = {r["solver"]: r for r in bench["rows"] if r.get("target_set") == "reachable"}
    ours = [f"NeuralIK {solver} {rows[solver]['time_median_us']:.3f} µs, "
            f"{rows[solver]['time_median_us'] / fastest:.2f}× {name}'s"
            for solver in ("analytic", "hybrid") if solver in rows]
    refined = rows.get("hybrid without closed form")
    if "hybrid" in rows and refined:
        ours.append(f"the hybrid {rows['hybrid']['time_median_us'] / refined['time_median_us']:.2f}× the "
                    f"hybrid without closed form's {refined['time_median_us']:.3f} µs")
    return (f"Same-run medians of one solve on {arm}'s reachable targets: "
            + ", ".join(f"{n} {t:.3f} µs" for n, t in peers) + "; " + "; ".join(ours) + ".")


def branch_comparison(arm, d, analytic, ours, bench):
    """Our closed form's branch count per target against each analytical peer's, target by target:
    ours are the reaching branches of `neural-ik bench`'s analytic row, each once, inside the limits;
    the peers' the FK-exact branches inside the limits after whole turns (`in_limits`)."""
    parts = []
    for stem, rec in analytic:
        with open(os.path.join(d, f"{stem}-branches.csv"), newline="", encoding="utf-8") as f:
            theirs = [int(r["in_limits"]) for r in csv.DictReader(f)]
        n = min(len(theirs), len(ours))
        differ = [i for i in range(n) if theirs[i] != ours[i]]
        text = f"equal to {dict(ANALYTIC)[stem]}'s on {n - len(differ)} of {n} targets"
        if differ:
            more = sum(1 for i in differ if ours[i] > theirs[i])
            text += (f" (ours more on {more}, fewer on {len(differ) - more}; first differing targets "
                     f"{', '.join(str(i + 1) for i in differ[:5])})")
        parts.append(text)
    mean = sum(ours) / len(ours)
    worst = ""
    if bench.get("analytic_branch_position_max_m") is not None:
        worst = (f" (largest errors of any branch, by NeuralIK's FK: {bench['analytic_branch_position_max_m']:.1e} m, "
                 f"{bench['analytic_branch_rotation_max_rad']:.1e} rad)")
    return (f"NeuralIK's closed form (`analytic` row) on {arm}: {mean:.3f} branches per target on average, each "
            f"reaching to 1e-6 m and 1e-6 rad inside the limits{worst}, each branch once (the copy nearest the "
            f"middle of the limits); its count of branches per target is " + "; ".join(parts) + " (their FK-exact "
            "branches inside the limits after whole turns). Per target in `analytic-branches.csv`, column "
            "`neuralik_branches`.")


def write_branches(args, arm):
    """<arm>/analytic-branches.csv: per target, each analytical peer's branch counts side by side."""
    analytic = analytic_run(args, arm)
    if not analytic:
        return
    d = os.path.join(args.build, arm)
    columns, tables = ["target"], []
    for stem, _ in analytic:
        with open(os.path.join(d, f"{stem}-branches.csv"), newline="", encoding="utf-8") as f:
            tables.append(list(csv.DictReader(f)))
        columns += [f"{stem.replace('-', '_')}_{c}" for c in BRANCH_COLUMNS]
    neural = os.path.join(d, "neural-ik.json")
    ours = load(neural).get("analytic_branches") if os.path.exists(neural) else None
    if ours:
        columns.append("neuralik_branches")
    with open(os.path.join(d, "analytic-branches.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for i in range(len(tables[0])):
            extra = [ours[i] if i < len(ours) else ""] if ours else []
            w.writerow([tables[0][i]["target"]] + [t[i][c] for t in tables for c in BRANCH_COLUMNS] + extra)


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
    if "rtb" not in args.only.split():
        return {k: "(not run in this report)" for k in ("RTB_CALL", "RTB_TOL", "RTB_SEED", "RTB_BOUND", "RTB_SEARCHES")}
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


ARM_NAMES = {"panda": "Franka Panda", "iiwa14": "KUKA iiwa 14", "ur5": "UR5"}
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
    names = ARM_NAMES
    for arm in arms:
        d = os.path.join(args.build, arm)
        neural = os.path.join(d, "neural-ik.json")
        rows = {r["solver"]: r for r in load(neural)["rows"]} if os.path.exists(neural) else {}
        peers = {stem: load(os.path.join(d, f"score-{stem}.json")) for stem, _ in peers_run(args)}

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


def replace_marked(path, begin, end, block):
    """Rewrites the part of `path` from `begin` to `end` (markers included) with `block`, through a
    temporary file, so that an interrupted run leaves the file whole."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if begin not in text or end not in text:
        raise ReportError(f"'{path}': no markers for the generated table; add {begin} ... {end}")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(head + block + tail)
    os.replace(tmp, path)


def update_readme(args, arms):
    replace_marked(os.path.join(args.root, "README.md"), README_BEGIN, README_END, readme_table(args, arms))


ACCURACY_BEGIN = "<!-- completeness-table: written by make peers (Sources/Peers/report.py) -->"
ACCURACY_END = "<!-- /completeness-table -->"


def completeness_table(args, arms):
    """Docs/Accuracy.md's completeness table: per arm, where the closed form says a solution exists,
    how many each solver missed, NeuralIK's target by target (`neural-ik bench`'s
    closed_form_completeness) and the analytical peers' from their per-target branch counts."""
    lines = [
        ACCURACY_BEGIN,
        "| arm | solver | targets | the closed form reached | the solver reached | missed where the closed form "
        "reached | reached where the closed form did not |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    names = ARM_NAMES
    for arm in arms:
        d = os.path.join(args.build, arm)
        neural = os.path.join(d, "neural-ik.json")
        if not os.path.exists(neural):
            continue
        bench = load(neural)
        counts = bench.get("closed_form_completeness") or {}
        order = ["hybrid", "hybrid without closed form", "lm"]
        for solver in sorted(counts, key=lambda s: (order.index(s) if s in order else len(order), s)):
            c = counts[solver]
            lines.append(
                f"| {names.get(arm, arm)} | NeuralIK {solver} | {c['targets']:,} | {c['closed_form_reached']:,} | "
                f"{c['solver_reached']:,} | {c['missed']:,} | {c['beyond_closed_form']:,} |")
        # The analytical peers: a target counts as reached when one of their FK-exact branches lies
        # inside the limits after whole turns; target by target against ours where ours lists
        # every branch (six joints), else only the totals.
        ours = bench.get("analytic_branches")
        for stem, rec in analytic_run(args, arm):
            with open(os.path.join(d, f"{stem}-branches.csv"), newline="", encoding="utf-8") as f:
                theirs = [int(r["in_limits"]) > 0 for r in csv.DictReader(f)]
            cells = [f"{len(theirs):,}", "–", f"{sum(theirs):,}", "–", "–"]
            if ours and len(ours) == len(theirs):
                cells[1] = f"{sum(1 for n in ours if n > 0):,}"
                cells[3] = f"{sum(1 for n, t in zip(ours, theirs) if n > 0 and not t):,}"
                cells[4] = f"{sum(1 for n, t in zip(ours, theirs) if n == 0 and t):,}"
            lines.append(f"| {names.get(arm, arm)} | {analytic_name(stem, rec)} | " + " | ".join(cells) + " |")
    lines.append(ACCURACY_END)
    return "\n".join(lines)


def update_accuracy(args, arms):
    replace_marked(os.path.join(args.root, "Docs", "Accuracy.md"), ACCURACY_BEGIN, ACCURACY_END,
                   completeness_table(args, arms))


def write(args):
    arms = args.arms.split()
    sections, heads = [], []
    for arm in arms:
        text, rows = arm_section(args, arm)
        sections += text
        h = headline(arm, rows)
        if h:
            heads.append(h)
        write_branches(args, arm)
    ran = "" if args.only.split() == ALL_GROUPS else f" (this run: PEERS_ONLY=\"{args.only}\" only)"
    doc = [
        "# NeuralIK against TRAC-IK, KDL, Robotics Toolbox and analytical solvers" + ran,
        "",
        "Written by `make peers` (`Sources/Peers/run.sh`); do not edit by hand. Every solver gets the same",
        f"pose targets, {args.count} per arm: forward kinematics of random in-limit configurations",
        f"(`neural-ik targets --seed {args.seed}`). Every answer is checked by NeuralIK's forward",
        "kinematics from the joint values the solver returned (`neural-ik score`), not by the solver's own",
        "verdict, which is shown in the last column. Success means position error ≤ 1 mm and rotation",
        "error ≤ 0.572° (0.01 rad); the loose level is 5 mm and 2.865° (0.05 rad).",
        "",
    ]
    if heads:
        doc += ["Headline (success at 1 mm and 0.572°, median time of one solve): " + "; ".join(heads) + ".", ""]
    doc += [
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
        update_accuracy(args, arms)


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
- **Analytical peers** (`eaik_peer.py`, `ikgeo_peer.py`, `frankik_peer.py`, sharing
  `analytic_chain.py`), from PyPI in the same venv, versions in the machine table. They start from
  nothing: they return every branch of the closed form. EAIK (`Robot(H, P, R6T, fixed_axes, True)`)
  and ik-geo (`Robot.<family>(h, p)`) are built from the JSON robot file's joint axes and origins at
  the zero configuration, never per arm by hand: EAIK finds its decomposition itself; for ik-geo,
  which must be told its family, `analytic_chain.py` moves each axis's point along it so that
  intersecting neighbours share one, turns parallel axes the same way, and picks the first
  closed-form family whose conditions hold, for the chain or, failing that, the chain reversed (the
  Panda with q7 given has its spherical joint at the shoulder). frankik knows only the Panda; its ik
  takes the flange pose and its fk the Franka Hand's TCP, and the constant transform to our tip is
  measured from its fk and checked at 200 configurations. On the 6-joint arm the time is one call
  (all branches). On a 7-joint arm the sampled joint (the iiwa's joint 3, the Panda's joint 7) takes
  up to 60 values evenly spread over its limits, nearest the middle first; one solver per value is
  built before the first target (EAIK's and ik-geo's models are fixed at construction), and the time
  covers the whole loop: for each value the call, then the Python check of its branches against the
  limits, stopping at the first value with a branch inside the limits (after whole turns) that the
  solver does not flag least-squares. One untimed solve of the first target precedes the timed
  ones (the first call into a freshly loaded extension pays for its loading). Outside the timing: the pose conversion once per target (the
  tool rotation for ik-geo's 6-joint call, the inverse for a reversed chain, frankik's frame), and the
  choice of the row's answer: among the returned branches, each moved by whole turns to its in-limit
  copy nearest the start, the in-limit ones not flagged least-squares first, then the nearest to the
  start. Each branch's exactness is judged by chain.py's FK (checked against NeuralIK's above) to
  1e-9 m and 1e-9 rad, and every branch not flagged least-squares is also scored by `neural-ik score`
  (the line under each table). Before solving, `check` gives each solver the poses of 200 random
  in-limit configurations (with their own free-joint value) and counts how often the configuration
  is among its answers and every answer is FK-exact.
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
- The analytical peers' times include their Python binding's conversions (pybind11 or PyO3: the pose
  in, a list of branches out), a few microseconds of a call that published benchmarks time in C++ or
  Rust at 1.7–2.9 µs for UR-family and spherical-wrist arms (IK-Geo). With free-joint sampling the
  loop and the limit check run in Python. frankik returns only branches inside its limits, and of
  the two 4th-joint angles that the geometry allows when both lie inside them (the 4th joint above
  about -0.47 rad and its mirror image below) only the lower one; `check` counts how often the
  configuration itself is among its answers.
- TRAC-IK's random restarts use its own unseeded generator, and every time budget depends on the
  machine's speed and load: rows with a budget vary a little between runs. Plain LMA and NR_JL are
  deterministic, and so are Robotics Toolbox's answers (its restarts are seeded); its times vary
  with the load like every solver's."""

REPRODUCE = """\
```sh
make peers                     # installs what is missing, builds, runs, rewrites this file
PEERS_COUNT=200 make peers     # a quick check; writes .build-peers/Peers.md instead
PEERS_BUILD=0 make peers       # uses .build/release/neural-ik as it is instead of building it
PEERS_ONLY="analytic" make peers   # only those peer groups (neural-ik trac-ik rtb kdl analytic);
                                   # writes .build-peers/Peers.md
```

Everything built or downloaded for the peers goes to `.build-peers/` (git-ignored): the venv,
`kdl_peer`, and per arm the targets, every solver's
answers (`<solver>.csv`: `found,time_us,<joints>`) and every score (`score-<solver>.json`). The
Swift package does not depend on `Sources/Peers/`.

The analytical peers also write, per arm, `<peer>-branches.csv` (`eaik`, `ik-geo`, `frankik`), one
row per target: `target` (1-based, the targets file's order), `time_us`, `free_values` (free-joint
values tried; 1 on a 6-joint arm), `solutions` (branches returned; on a 7-joint arm at the value where
the search stopped), `least_squares` (of those, flagged least-squares by the solver), `distinct`
(different modulo whole turns, to 1e-6 rad), `exact` (FK-exact to 1e-9 m and 1e-9 rad by chain.py's
FK), `in_limits` (exact and inside the limits after whole turns), `in_limit_copies` (their whole-turn
copies inside the limits, summed); `<peer>-record.json` (version, decomposition, means);
`<peer>-all/` (every branch not flagged least-squares as its own row, for `neural-ik score`). Side by
side for comparing branch counts target by target, `analytic-branches.csv` has `target` and, for each
analytical peer that solved the arm, `<peer>_solutions`, `<peer>_least_squares`, `<peer>_exact`,
`<peer>_in_limits` (peer `eaik`, `ik_geo` or `frankik`)."""


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
    p.add_argument("--only", default=" ".join(ALL_GROUPS), help="the peer groups run.sh ran (PEERS_ONLY)")
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

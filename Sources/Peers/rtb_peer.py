#!/usr/bin/env python3
"""Robotics Toolbox for Python's `ik_LM` (PyPI `roboticstoolbox-python`) on a NeuralIK targets file,
for the peer comparison (Docs/Peers.md).

Runs in the venv that run.sh makes (.build-peers/venv).

    rtb_peer.py solve    --robot R.json --urdf R.urdf --base L --tip L --targets T.csv --out S.csv
                         --record S.json [--ilimit 30] [--slimit 100] [--tol 1e-6] [--seed N]
    rtb_peer.py fkcheck  --robot R.json --urdf R.urdf --base L --tip L [--count 200]
    rtb_peer.py overhead --robot R.json --urdf R.urdf --base L --tip L [--count 2000] --out O.json

The arm is the URDF read by the toolbox's own parser (`URDF_read`) into a `Robot`, and its
base → tip `ETS` built once. `solve` calls the compiled (C++/Eigen) solver through
`ETS.ik_LM(Tep, q0=middle of the limits, ilimit, slimit, tol, mask=None, joint_limits=True,
k=1.0, method="chan")`: the installed version's defaults spelled out, so that a later version
with other defaults changes nothing here. `Robot.ik_LM(Tep, end=tip, start=base)` calls the same
after rebuilding that ETS and composing Tep with the robot's tool in SE3 on every call; `overhead`
measures what that adds and checks that both give the same answers.

`solve` writes `found,time_us,<movable joint names>`, one row per target; `found` is ik_LM's own
verdict (`IKSolution.success`: ½|e|² < tol, e the position (m) and angle-axis (rad) error, and,
with joint_limits, the answer inside the limits). On failure the row holds the joints ik_LM
returned, where its last search ended (the seed if those are not finite). time_us is
time.perf_counter_ns (monotonic) around the single `ETS.ik_LM` call, Python wrapper included.
`--record` gets the exact call, the versions and the searches ik_LM made.

ik_LM restarts from random configurations drawn by Eigen's `VectorX::Random`, that is C's
`rand()`; the toolbox has no seed option, so `srand(seed + i)` from the C library is called before
target i, outside the timing: every answer is repeatable and independent of the other targets.
`solve` re-solves up to 20 targets that needed a restart and fails if any answer differs. The
solver starts no thread (the extension links only libstdc++, libm and libc).

`fkcheck` compares the ETS's FK with chain.py's FK of the JSON robot file on random in-limit
configurations, and that its joints and limits are the JSON file's, in the same order.
"""

import argparse
import csv
import ctypes
import io
import json
import math
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chain  # noqa: E402
from peer_inputs import PeerError, read_targets, urdf_text  # noqa: E402

import numpy as np  # noqa: E402
import roboticstoolbox as rtb  # noqa: E402
import spatialmath  # noqa: E402
from roboticstoolbox.models.URDF.URDFRobot import URDF_read  # noqa: E402
from roboticstoolbox.tools.urdf.urdf import URDFError  # noqa: E402

REPEAT_CHECKS = 20


def make_chain(args, movable):
    """The Robot read from the URDF and its base → tip ETS, checked against the robot file's joints."""
    text = urdf_text(args.urdf, args.base, args.tip)
    try:
        elinks, name, _ = URDF_read(io.StringIO(text))
        robot = rtb.Robot(elinks, name=name)
        ets = robot.ets(start=args.base, end=args.tip)
    except (URDFError, ValueError, KeyError) as e:
        raise PeerError(f"URDF '{args.urdf}': Robotics Toolbox refused it: {e}") from None
    if ets.n != len(movable):
        raise PeerError(f"Robotics Toolbox's chain {args.base} → {args.tip} has {ets.n} joints; the robot file has {len(movable)}")
    # Joint names along the chain (Link._joint_name is the URDF joint's name), for a helpful error.
    names, link = [], robot.link_dict[args.tip]
    while link is not None and link.name != args.base:
        if link.isjoint:
            names.append(getattr(link, "_joint_name", None))
        link = link.parent
    names.reverse()
    expected = [j["name"] for j in movable]
    if None not in names and names != expected:
        raise PeerError(f"Robotics Toolbox's joints {names} are not the robot file's {expected}")
    for j, lo, hi in zip(movable, ets.qlim[0], ets.qlim[1]):
        if j["type"] != "continuous" and (abs(lo - j["lower"]) > 1e-12 * max(1, abs(lo)) or abs(hi - j["upper"]) > 1e-12 * max(1, abs(hi))):
            raise PeerError(f"joint '{j['name']}': Robotics Toolbox limits [{lo}, {hi}] differ from the robot file's [{j['lower']}, {j['upper']}]")
    return robot, ets


def pose_matrix(target):
    """T_base_tip (4x4 array) of a target row x, y, z, qw, qx, qy, qz."""
    x, y, z, w, a, b, c = target
    return np.array([
        [1 - 2 * (b * b + c * c), 2 * (a * b - c * w), 2 * (a * c + b * w), x],
        [2 * (a * b + c * w), 1 - 2 * (a * a + c * c), 2 * (b * c - a * w), y],
        [2 * (a * c - b * w), 2 * (b * c + a * w), 1 - 2 * (a * a + b * b), z],
        [0.0, 0.0, 0.0, 1.0],
    ])


def c_srand():
    srand = ctypes.CDLL(None).srand
    srand.argtypes = [ctypes.c_uint]
    srand.restype = None
    return srand


def versions():
    return {"roboticstoolbox-python": rtb.__version__, "spatialmath-python": spatialmath.__version__, "numpy": np.__version__}


def solve(args, joints, movable):
    _, ets = make_chain(args, movable)
    targets = read_targets(args.targets)
    poses = [pose_matrix(t) for t in targets]
    q0 = np.array([chain.middle(j) for j in movable], dtype=np.float64)
    ilimit, slimit, tol = args.ilimit, args.slimit, args.tol
    srand, ik, clock = c_srand(), ets.ik_LM, time.perf_counter_ns

    def one(i):
        srand((args.seed + i) % 2**32)
        t0 = clock()
        s = ik(poses[i], q0=q0, ilimit=ilimit, slimit=slimit, tol=tol, mask=None, joint_limits=True, k=1.0, method="chan")
        t1 = clock()
        return s, (t1 - t0) / 1000

    rows, answers, searches, nonfinite = [], [], [], 0
    for i in range(len(poses)):
        s, us = one(i)
        q, found = np.asarray(s.q, dtype=np.float64), bool(s.success)
        answers.append(q)
        searches.append(int(s.searches))
        if not np.all(np.isfinite(q)):
            q, found, nonfinite = q0, False, nonfinite + 1
        rows.append([1 if found else 0, f"{us:.3f}"] + [repr(float(v)) for v in q])
    restarted = [i for i, n in enumerate(searches) if n > 1]
    for i in restarted[:REPEAT_CHECKS]:
        s, _ = one(i)
        if not np.array_equal(np.asarray(s.q, dtype=np.float64), answers[i], equal_nan=True):
            raise PeerError(f"target {i + 1}: ik_LM gave another answer with the same srand seed; its restarts are not repeatable")
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["found", "time_us"] + [j["name"] for j in movable])
        w.writerows(rows)
    record = {
        "call": f"ETS.ik_LM(Tep, q0=<middle of the limits>, ilimit={ilimit}, slimit={slimit}, tol={tol!r}, "
                "mask=None, joint_limits=True, k=1.0, method='chan')",
        "settings": {"ilimit": ilimit, "slimit": slimit, "tol": tol, "seed": args.seed},
        "srand": f"srand({args.seed} + i) before target i",
        "versions": versions(),
        "count": len(poses),
        "found": sum(r[0] for r in rows),
        # IKSolution.searches counts the searches made, the successful one included (1: no restart).
        "searches_mean": statistics.mean(searches),
        "searches_max": max(searches),
        "restarted": len(restarted),
        "repeat_checked": min(len(restarted), REPEAT_CHECKS),
        "nonfinite": nonfinite,
    }
    with open(args.record, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)


def fkcheck(args, joints, tool, movable):
    _, ets = make_chain(args, movable)
    rng = random.Random(11)
    worst_p = worst_r = 0.0
    for _ in range(args.count):
        q = [rng.uniform(j["lower"], j["upper"]) if j["type"] != "continuous" else rng.uniform(-math.pi, math.pi) for j in movable]
        T_ours = chain.fk(joints, tool, q)
        T_peer = ets.fkine(np.array(q, dtype=np.float64)).A
        worst_p = max(worst_p, max(abs(T_ours[i][3] - T_peer[i, 3]) for i in range(3)))
        worst_r = max(worst_r, max(abs(T_ours[i][k] - T_peer[i, k]) for i in range(3) for k in range(3)))
    print(f"Robotics Toolbox FK vs ours on {args.count} random configurations: max |Δp| {worst_p:.2e} m, max |ΔR| {worst_r:.2e}")
    if worst_p > 1e-9 or worst_r > 1e-9:
        raise PeerError("Robotics Toolbox's chain does not match the robot file (FK differs by more than 1e-9)")


def overhead(args, joints, tool, movable):
    """Medians (µs) of: an empty timer pair, ETS.ik_LM on a target its seed already reaches (the floor:
    the Python wrapper, one FK and one error), and Robot.ik_LM on the same target (plus rebuilding the
    ETS and SE3 arithmetic on every call); and whether both give the same answers on random targets."""
    robot, ets = make_chain(args, movable)
    q0 = np.array([chain.middle(j) for j in movable], dtype=np.float64)
    Tep = np.array(chain.fk(joints, tool, list(q0)))
    clock, n = time.perf_counter_ns, args.count
    kw = dict(q0=q0, ilimit=args.ilimit, slimit=args.slimit, tol=args.tol, mask=None, joint_limits=True, k=1.0, method="chan")

    def median_us(call):
        samples = []
        for _ in range(n):
            t0 = clock()
            call()
            samples.append(clock() - t0)
        return statistics.median(samples) / 1000

    srand, rng, same, checked = c_srand(), random.Random(13), 0, 100
    for i in range(checked):
        q = [rng.uniform(j["lower"], j["upper"]) if j["type"] != "continuous" else rng.uniform(-math.pi, math.pi) for j in movable]
        T = np.array(chain.fk(joints, tool, q))
        srand(i)
        a = ets.ik_LM(T, **kw).q
        srand(i)
        b = robot.ik_LM(T, end=args.tip, start=args.base, **kw).q
        same += bool(np.array_equal(a, b))
    result = {
        "timer_pair_us": median_us(lambda: None),
        "ets_ik_at_seed_us": median_us(lambda: ets.ik_LM(Tep, **kw)),
        "robot_ik_at_seed_us": median_us(lambda: robot.ik_LM(Tep, end=args.tip, start=args.base, **kw)),
        "count": n,
        "robot_equals_ets": f"{same}/{checked}",
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    if same != checked:
        raise PeerError(f"Robot.ik_LM and ETS.ik_LM gave different answers on {checked - same} of {checked} targets")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=["solve", "fkcheck", "overhead"])
    p.add_argument("--robot", required=True, help="JSON robot file (joint names, order, limits)")
    p.add_argument("--urdf", required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--tip", required=True)
    p.add_argument("--targets")
    p.add_argument("--out")
    p.add_argument("--record", help="solve: a JSON file for the call, the versions and the searches made")
    p.add_argument("--ilimit", type=int, default=30, help="iterations per search (default 30)")
    p.add_argument("--slimit", type=int, default=100, help="searches, the first from the seed (default 100)")
    p.add_argument("--tol", type=float, default=1e-6, help="on ½|e|², e in metres and radians (default 1e-6)")
    p.add_argument("--seed", type=int, default=0, help="srand(seed + i) before target i")
    p.add_argument("--count", type=int, default=200)
    args = p.parse_args()
    try:
        if args.ilimit < 1 or args.slimit < 1 or not (args.tol > 0 and math.isfinite(args.tol)):
            raise PeerError(f"--ilimit {args.ilimit} and --slimit {args.slimit} must be >= 1, --tol {args.tol} finite and > 0")
        joints, tool = chain.load_robot(args.robot)
        movable = chain.movable(joints)
        if args.command == "solve":
            if not args.targets or not args.out or not args.record:
                raise PeerError("solve needs --targets, --out and --record")
            solve(args, joints, movable)
        elif args.command == "fkcheck":
            fkcheck(args, joints, tool, movable)
        else:
            if not args.out:
                raise PeerError("overhead needs --out")
            overhead(args, joints, tool, movable)
    except (PeerError, chain.ChainError) as e:
        print(f"rtb_peer.py: error: {e}", file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        print(f"rtb_peer.py: error: '{e.filename}': {e.strerror}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""TRAC-IK (PyPI `pytracik`) on a NeuralIK targets file, for the peer comparison (Docs/Peers.md).

Runs in the venv that run.sh makes (.build-peers/venv).

    tracik_peer.py solve    --robot R.json --urdf R.urdf --base L --tip L --targets T.csv --out S.csv
                            [--timeout 0.005] [--eps 1e-5] [--mode Speed]
    tracik_peer.py fkcheck  --robot R.json --urdf R.urdf --base L --tip L [--count 200]
    tracik_peer.py overhead --robot R.json --urdf R.urdf --base L --tip L [--count 2000] --out O.json

`solve` writes `found,time_us,<movable joint names>`, one row per target; `found` is TRAC-IK's
own verdict (return code >= 0). On failure TRAC-IK hands back its seed (the binding leaves the
joints unset), so the seed, the middle of the limits, is written. time_us is time.perf_counter_ns
(monotonic) around the single `pytracik.ik` call: it includes the Python call and pybind11
argument conversion, measured separately by `overhead`.

We call the binding's `pytracik.ik(solver, seed, x, y, z, qx, qy, qz, qw)` directly rather than
the `trac_ik.TracIK.ik` wrapper, which would add a quaternion-from-matrix eigen-decomposition in
NumPy to every solve. Note that TRAC-IK itself starts two std::threads per solve (KDL with random
restarts and NLopt SQP, racing), so it uses both cores of this machine.

`fkcheck` compares TRAC-IK's FK (KDL over the URDF) with chain.py's FK of the JSON robot file on
random in-limit configurations, and that its joint limits equal the JSON file's (TRAC-IK stores
them as float), so that joints are in the same order.
"""

import argparse
import csv
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
import pytracik  # noqa: E402

MODES = {"Speed": pytracik.Speed, "Distance": pytracik.Distance, "Manip1": pytracik.Manip1, "Manip2": pytracik.Manip2}


def make_solver(args, movable):
    """A pytracik.TRAC_IK between base and tip, after checks that keep the C++ side from crashing."""
    text = urdf_text(args.urdf, args.base, args.tip)
    # The TRAC_IK constructor reports on std::cout; keep that out of our output.
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    try:
        solver = pytracik.TRAC_IK(args.base, args.tip, text, args.timeout, args.eps, MODES[args.mode])
    except RuntimeError as e:
        raise PeerError(f"URDF '{args.urdf}': pytracik refused it: {e}") from None
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    dof = pytracik.get_num_joints(solver)
    if dof != len(movable):
        raise PeerError(f"TRAC-IK's chain {args.base} → {args.tip} has {dof} joints; the robot file has {len(movable)}")
    lower, upper = pytracik.get_joint_lower_bounds(solver), pytracik.get_joint_upper_bounds(solver)
    for j, lo, hi in zip(movable, lower, upper):
        # TRAC-IK keeps limits as float: equal to ours within float rounding.
        if j["type"] != "continuous" and (abs(lo - j["lower"]) > 1e-6 * max(1, abs(lo)) or abs(hi - j["upper"]) > 1e-6 * max(1, abs(hi))):
            raise PeerError(f"joint '{j['name']}': TRAC-IK limits [{lo}, {hi}] differ from the robot file's [{j['lower']}, {j['upper']}]")
    return solver


def solve(args, joints, movable):
    solver = make_solver(args, movable)
    targets = read_targets(args.targets)
    seed = np.array([chain.middle(j) for j in movable], dtype=np.float64)
    ik, clock = pytracik.ik, time.perf_counter_ns
    rows = []
    for x, y, z, qw, qx, qy, qz in targets:
        t0 = clock()
        r = ik(solver, seed, x, y, z, qx, qy, qz, qw)
        t1 = clock()
        found = r[0] >= 0
        q = r[1:] if found else seed
        rows.append([1 if found else 0, f"{(t1 - t0) / 1000:.3f}"] + [repr(float(v)) for v in q])
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["found", "time_us"] + [j["name"] for j in movable])
        w.writerows(rows)


def fkcheck(args, joints, tool, movable):
    solver = make_solver(args, movable)
    rng = random.Random(11)
    worst_p = worst_r = 0.0
    for _ in range(args.count):
        q = [rng.uniform(j["lower"], j["upper"]) if j["type"] != "continuous" else rng.uniform(-math.pi, math.pi) for j in movable]
        T_ours = chain.fk(joints, tool, q)
        T_peer = pytracik.fk(solver, np.array(q, dtype=np.float64))
        worst_p = max(worst_p, max(abs(T_ours[i][3] - T_peer[i, 3]) for i in range(3)))
        worst_r = max(worst_r, max(abs(T_ours[i][k] - T_peer[i, k]) for i in range(3) for k in range(3)))
    print(f"TRAC-IK FK vs ours on {args.count} random configurations: max |Δp| {worst_p:.2e} m, max |ΔR| {worst_r:.2e}")
    if worst_p > 1e-9 or worst_r > 1e-9:
        raise PeerError("TRAC-IK's chain does not match the robot file (FK differs by more than 1e-9)")


def overhead(args, joints, tool, movable):
    """Medians (µs) of: an empty timer pair, a trivial binding call, pytracik.fk, and pytracik.ik on a target
    that the seed already reaches (TRAC-IK's floor: two threads started and joined, one FK)."""
    solver = make_solver(args, movable)
    seed = np.array([chain.middle(j) for j in movable], dtype=np.float64)
    T = chain.fk(joints, tool, list(seed))
    qw, qx, qy, qz = chain.quaternion(T)
    x, y, z = T[0][3], T[1][3], T[2][3]
    clock, n = time.perf_counter_ns, args.count

    def median_us(call):
        samples = []
        for _ in range(n):
            t0 = clock()
            call()
            samples.append(clock() - t0)
        return statistics.median(samples) / 1000

    result = {
        "timer_pair_us": median_us(lambda: None),
        "binding_call_us": median_us(lambda: pytracik.get_joint_lower_bounds(solver)),
        # An array in and out like ik, plus a chain copy and one FK: an upper bound on ik's own conversions.
        "fk_call_us": median_us(lambda: pytracik.fk(solver, seed)),
        "ik_at_seed_us": median_us(lambda: pytracik.ik(solver, seed, x, y, z, qx, qy, qz, qw)),
        "count": n,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=["solve", "fkcheck", "overhead"])
    p.add_argument("--robot", required=True, help="JSON robot file (joint names, order, limits)")
    p.add_argument("--urdf", required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--tip", required=True)
    p.add_argument("--targets")
    p.add_argument("--out")
    p.add_argument("--timeout", type=float, default=0.005, help="seconds (default 0.005)")
    p.add_argument("--eps", type=float, default=1e-5)
    p.add_argument("--mode", choices=sorted(MODES), default="Speed")
    p.add_argument("--count", type=int, default=200)
    args = p.parse_args()
    try:
        joints, tool = chain.load_robot(args.robot)
        movable = chain.movable(joints)
        if args.command == "solve":
            if not args.targets or not args.out:
                raise PeerError("solve needs --targets and --out")
            solve(args, joints, movable)
        elif args.command == "fkcheck":
            fkcheck(args, joints, tool, movable)
        else:
            if not args.out:
                raise PeerError("overhead needs --out")
            overhead(args, joints, tool, movable)
    except (PeerError, chain.ChainError) as e:
        print(f"tracik_peer.py: error: {e}", file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        print(f"tracik_peer.py: error: '{e.filename}': {e.strerror}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

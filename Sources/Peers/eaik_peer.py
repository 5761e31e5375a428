#!/usr/bin/env python3
"""EAIK (PyPI `EAIK`), analytical IK by subproblem decomposition, on a NeuralIK targets file, for the
peer comparison (Docs/Peers.md).

Runs in the venv that run.sh makes (.build-peers/venv).

    eaik_peer.py solve --robot R.json --targets T.csv --out S.csv --branches B.csv --record S.json
                       [--every DIR] [--free-joint NAME --samples 60]
    eaik_peer.py check --robot R.json [--free-joint NAME]

The arm is EAIK's `Robot(H, P, R6T, fixed_axes, use_double_precision=True)` built from the robot
file's joint axes and origins at the zero configuration (analytic_chain.py), R6T the tool's
orientation there; EAIK finds the decomposition itself (it remodels intersecting axes and may
reverse the chain). A 7-joint arm needs `--free-joint`: one EAIK robot per value of the sampling grid
(that joint locked there, as EAIK's `fixed_axes` does it), all built before the first target.

time_us: a 6-joint arm, time.perf_counter_ns around the single `Robot.calculate_IK(T)` call (all
branches); a 7-joint arm, around the whole sampling loop: for each grid value in turn (nearest the
middle of the joint's limits first) `calculate_IK`, then the in-limit check of its solutions, stopping
at the first value with a solution inside the limits (after whole turns) that EAIK does not flag
least-squares. `check` proves the frames on random configurations (analytic_chain.check).
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import analytic_chain as ac  # noqa: E402
from peer_inputs import PeerError  # noqa: E402

import numpy as np  # noqa: E402
import eaik.pybindings.EAIK as EAIK  # noqa: E402


def robot(c, fixed):
    r = EAIK.Robot(c.H.T, c.P().T, c.M[:3, :3], fixed, True)
    if not r.has_known_decomposition():
        raise PeerError(f"EAIK knows no decomposition for this arm (family {r.get_kinematic_family()!r}, locked {fixed})")
    return r


def answers(solution):
    return np.asarray(solution.Q, float), np.asarray(solution.is_LS, bool)


def body(args, joints, tool, movable):
    c = ac.from_robot(joints, tool)
    free = ac.free_index(args, movable)
    if args.command == "check":
        ac.check("EAIK", joints, tool, movable, free,
                 lambda T, v: answers(robot(c, [] if v is None else [(free, float(v))]).calculate_IK(T)))
        return
    clock = time.perf_counter_ns
    limits = ac.Limits(movable)
    if free is None:
        r = robot(c, [])
        family = r.get_kinematic_family()

        def one(T):
            t0 = clock()
            s = r.calculate_IK(T)
            t1 = clock()
            return (t1 - t0) / 1000, 1, *answers(s)
    else:
        grid = ac.free_grid(movable[free], args.samples)
        robots = [robot(c, [(free, float(v))]) for v in grid]
        family = robots[0].get_kinematic_family()

        def one(T):
            t0 = clock()
            tried, Q, ls = ac.sampled((lambda r=r: answers(r.calculate_IK(T)) for r in robots), limits)
            t1 = clock()
            return (t1 - t0) / 1000, tried, Q, ls
    record = {
        "solver": "EAIK", "version": version("EAIK"), "numpy": np.__version__, "family": family,
        "call": "Robot(H, P, R6T, fixed_axes, True).calculate_IK(T)",
        "free_joint": None if free is None else movable[free]["name"],
        "samples": None if free is None else args.samples,
    }
    ac.run_solve(args, joints, tool, movable, one, record)


if __name__ == "__main__":
    ac.main("eaik_peer.py", body)

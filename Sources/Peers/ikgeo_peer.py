#!/usr/bin/env python3
"""ik-geo (PyPI `ik-geo`, Python bindings of IK-Geo's Rust implementation), analytical IK by
subproblem decomposition, on a NeuralIK targets file, for the peer comparison (Docs/Peers.md).

Runs in the venv that run.sh makes (.build-peers/venv).

    ikgeo_peer.py solve --robot R.json --targets T.csv --out S.csv --branches B.csv --record S.json
                        [--every DIR] [--free-joint NAME --samples 60]
    ikgeo_peer.py check --robot R.json [--free-joint NAME]

ik-geo takes a 6-joint chain as product-of-exponentials parameters and a decomposition the caller
must choose ("if you choose the wrong one, you will get wrong answers"). analytic_chain.py derives
both from the robot file: the axes and origins at the zero configuration, each point moved along its
axis so that intersecting neighbours share it, parallel axes turned the same way, then the first
closed-form family whose conditions hold (spherical wrist with two intersecting or two parallel axes,
spherical wrist, three parallel axes with two intersecting, three parallel); if none holds, the same
for the reversed chain (tip to base, target inverted); else the general 6R solver (a search). ik-geo
has no tool rotation, so the target's rotation is composed with the tool's zero-configuration
rotation first; its Python binding reads the rotation matrix transposed (column by column), which
`check` proves on random configurations. A 7-joint arm needs `--free-joint`: one ik-geo robot per
value of the sampling grid, that joint locked there, all built before the first target.

time_us: a 6-joint arm, time.perf_counter_ns around the single `Robot.get_ik(R, t)` call (all
branches; the pose conversion is outside it); a 7-joint arm, around the whole sampling loop: for each
grid value in turn (nearest the middle of the joint's limits first) the tool rotation, `get_ik`, the
solutions mapped to the robot file's joints and checked against the limits, stopping at the first
value with a solution inside the limits (after whole turns) that ik-geo does not flag least-squares.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import analytic_chain as ac  # noqa: E402

import numpy as np  # noqa: E402
from ik_geo import Robot  # noqa: E402


class Solver:
    """One ik-geo robot for a chain (a 7-joint arm's with its free joint locked at `value`)."""

    def __init__(self, c, n, free=None, value=None):
        base = c if free is None else ac.locked(c, ac.chain_index(c, free), value)
        self.family, ch, self.reversed = ac.ikgeo_setup(base)
        self.robot = getattr(Robot, self.family)(ch.H, ch.P())
        self.tool_R = ch.M[:3, :3].copy()
        self.cols, self.sign = np.array(ch.index), np.array(ch.sign, float)
        self.n, self.free, self.value = n, free, value

    def pose(self, T):
        """What get_ik takes for the target T: the rotation (transposed, see above) and the position."""
        Tt = np.linalg.inv(T) if self.reversed else T
        return self.tool_R @ Tt[:3, :3].T, Tt[:3, 3]

    def solve(self, Tt):
        """All branches for Tt, the target already inverted when the chain is reversed."""
        return self.joints(self.robot.get_ik(self.tool_R @ Tt[:3, :3].T, Tt[:3, 3]))

    def joints(self, solutions):
        """get_ik's (angles, least-squares) pairs as robot-file joint vectors and flags."""
        Q = np.empty((len(solutions), self.n))
        if solutions:
            Q[:, self.cols] = np.array([s[0] for s in solutions]) * self.sign
        if self.free is not None:
            Q[:, self.free] = self.value
        return Q, np.array([s[1] for s in solutions], bool)


def body(args, joints, tool, movable):
    c = ac.from_robot(joints, tool)
    n, free = len(movable), ac.free_index(args, movable)
    if args.command == "check":
        def solve_at(T, v):
            s = Solver(c, n, free, v)
            return s.joints(s.robot.get_ik(*s.pose(T)))
        ac.check("ik-geo", joints, tool, movable, free, solve_at)
        return
    clock = time.perf_counter_ns
    limits = ac.Limits(movable)
    if free is None:
        s = Solver(c, n)
        solvers = [s]
        get_ik = s.robot.get_ik

        def one(T):
            R, t = s.pose(T)
            t0 = clock()
            out = get_ik(R, t)
            t1 = clock()
            return (t1 - t0) / 1000, 1, *s.joints(out)
    else:
        solvers = [Solver(c, n, free, float(v)) for v in ac.free_grid(movable[free], args.samples)]
        # The target (or its inverse for a reversed chain) once per target, outside the timing.
        reverse = {s.reversed for s in solvers}

        def one(T):
            Tt = {r: (np.linalg.inv(T) if r else T) for r in reverse}
            t0 = clock()
            tried, Q, ls = ac.sampled((lambda s=s: s.solve(Tt[s.reversed]) for s in solvers), limits)
            t1 = clock()
            return (t1 - t0) / 1000, tried, Q, ls
    families = sorted({f"{s.family}{' (reversed chain)' if s.reversed else ''}" for s in solvers})
    record = {
        "solver": "ik-geo", "version": version("ik-geo"), "numpy": np.__version__, "family": ", ".join(families),
        "call": "Robot.<family>(h, p).get_ik(R, t)",
        "free_joint": None if free is None else movable[free]["name"],
        "samples": None if free is None else args.samples,
    }
    ac.run_solve(args, joints, tool, movable, one, record)


if __name__ == "__main__":
    ac.main("ikgeo_peer.py", body)

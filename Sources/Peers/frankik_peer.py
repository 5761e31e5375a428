#!/usr/bin/env python3
"""frankik (PyPI `frankik`), the analytical IK of the Franka Panda with its 7th joint given (He & Liu's
closed form), on a NeuralIK targets file, for the peer comparison (Docs/Peers.md).

Runs in the venv that run.sh makes (.build-peers/venv).

    frankik_peer.py solve --robot R.json --targets T.csv --out S.csv --branches B.csv --record S.json
                          --free-joint NAME [--every DIR] [--samples 60]
    frankik_peer.py check --robot R.json --free-joint NAME

frankik knows one arm: the Panda, its own link lengths and limits built in. Its `ik` takes the
flange pose while its `fk` returns the Franka Hand's TCP (see hand_tcp), so the frame its ik takes is
frankik.fk(q)·hand_tcp()^-1; `X = T_base_tip(q)^-1 · that` is measured at the middle of the limits
and must be the same, to 1e-9, at 200 random configurations, and frankik's limits must be the robot
file's; otherwise the arm is not frankik's Panda and the driver says so. The target given to frankik
is T·X, once per target, outside the timing. `--free-joint` must be the last joint (frankik's q7).

time_us: time.perf_counter_ns around the whole sampling loop: for each value of the grid in turn
(nearest the middle of the joint's limits first) `frankik.ik_full(T, q_actual=middle of the limits,
q7, is_fr3=False)` (its up to 4 branches, NaN rows for none), then the in-limit check of the finite
rows, stopping at the first value with a solution inside the limits. (frankik's own `ik_sample_q7`
samples the same way but keeps one answer; this loop keeps every branch and uses the same grid as the
other peers.)
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import analytic_chain as ac  # noqa: E402
import chain  # noqa: E402
from peer_inputs import PeerError  # noqa: E402

import numpy as np  # noqa: E402
import frankik  # noqa: E402


def hand_tcp():
    """frankik's fk frame relative to the frame its ik takes (the flange): the Franka Hand's TCP,
    Rz(-π/4) and 0.1034 m along z. frankik spells it `FrankaKinematics.FrankaHandTCPOffset` with the
    rotation rounded to 0.707; the exact rotation is used here, the offset is read from there."""
    H = np.eye(4)
    c = np.sqrt(0.5)
    H[:3, :3] = [[c, c, 0], [-c, c, 0], [0, 0, 1]]
    H[2, 3] = frankik.FrankaKinematics.FrankaHandTCPOffset[2, 3]
    return H


def tip_to_ik_frame(joints, tool, movable):
    """X with T_base_tip(q) · X = the pose frankik's ik takes (frankik.fk(q) · hand_tcp()^-1), checked
    to be constant; and the limits compared with frankik's Panda's."""
    if len(movable) != 7:
        raise PeerError(f"frankik solves the 7-joint Franka Panda; this arm has {len(movable)} movable joints")
    for name, ours, theirs in (("lower", [j["lower"] for j in movable], frankik.q_min_panda),
                               ("upper", [j["upper"] for j in movable], frankik.q_max_panda)):
        if not np.allclose(ours, theirs, rtol=0, atol=1e-12):
            raise PeerError(f"the {name} limits {ours} are not frankik's Panda's {list(theirs)}: not frankik's arm")
    H_inv = np.linalg.inv(hand_tcp())

    def X(q):
        return np.linalg.inv(np.array(chain.fk(joints, tool, list(q)))) @ frankik.fk(np.asarray(q)) @ H_inv

    X0 = X([chain.middle(j) for j in movable])
    worst = max(np.max(np.abs(X(q) - X0)) for q in ac.random_configs(movable, 200, 19))
    if worst > 1e-9:
        raise PeerError(f"frankik.fk and the robot file differ by more than a constant tool transform ({worst:.1e}): not frankik's Panda")
    return X0


def answers(S):
    """ik_full's 4 x 7 rows: the finite ones, none least-squares (frankik has no such solutions)."""
    Q = S[np.all(np.isfinite(S), axis=1)]
    return Q, np.zeros(len(Q), bool)


def body(args, joints, tool, movable):
    free = ac.free_index(args, movable)
    if free != len(movable) - 1:
        raise PeerError(f"--free-joint must be the last joint, {movable[-1]['name']} (frankik's q7)")
    X = tip_to_ik_frame(joints, tool, movable)
    start = np.array([chain.middle(j) for j in movable])
    ik_full = frankik.ik_full
    if args.command == "check":
        ac.check("frankik", joints, tool, movable, free, lambda T, v: answers(ik_full(T @ X, start, float(v), False)))
        return
    clock = time.perf_counter_ns
    limits = ac.Limits(movable)
    grid = [float(v) for v in ac.free_grid(movable[free], args.samples)]

    def one(T):
        Tf = T @ X
        t0 = clock()
        tried, Q, ls = ac.sampled((lambda v=v: answers(ik_full(Tf, start, v, False)) for v in grid), limits)
        t1 = clock()
        return (t1 - t0) / 1000, tried, Q, ls
    record = {
        "solver": "frankik", "version": version("frankik"), "numpy": np.__version__, "family": "Franka Panda, q7 given",
        "call": "frankik.ik_full(T, q_actual, q7, is_fr3=False)",
        "free_joint": movable[free]["name"], "samples": args.samples,
    }
    ac.run_solve(args, joints, tool, movable, one, record)


if __name__ == "__main__":
    ac.main("frankik_peer.py", body)

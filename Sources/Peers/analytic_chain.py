#!/usr/bin/env python3
"""What the analytical peers (eaik_peer.py, ikgeo_peer.py, frankik_peer.py) share: a JSON robot file
as product-of-exponentials parameters, a joint locked at a value, the chain reversed, intersecting
axes given common points, the family IK-Geo needs, the free-joint sampling grid, and the per-target
bookkeeping (which solution the row gets, how many branches are FK-exact and in the limits).

Runs in the peers' venv (numpy). Nothing here is tuned to an arm: every step works from the joint
axes and origins of the robot file.

Product of exponentials (IK-Geo's and EAIK's "H, P" convention): at the zero configuration every
frame is parallel to the base; h_i is joint i's axis and o_i a point on it, both in the base frame;
p_0 = o_1, p_i = o_{i+1} - o_i, p_n = (tool origin) - o_n, and R_tool the tool's orientation there.
Then T_base_tip(q) = [R_1 ... R_n R_tool, p_0 + R_1 p_1 + ... + R_1 ... R_n p_n] with R_i = rot(h_i, q_i).
"""

import csv
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chain  # noqa: E402
from peer_inputs import PeerError  # noqa: E402

# Lines closer than this (metres) intersect; unit axes whose cross product is smaller are parallel.
# The fixtures carry published offsets of 1e-11 m and a roll of 1.570796327 (π/2 to 3e-10).
GEOMETRY_TOL = 1e-8
# A branch is FK-exact when its pose is within these of the target (metres, radians).
EXACT_POSITION_M = 1e-9
EXACT_ROTATION_RAD = 1e-9
# Free-joint values tried per target on a 7-joint arm.
FREE_SAMPLES = 60


def rot(h, q):
    """Rotation by q (rad) about the unit axis h (Rodrigues)."""
    x, y, z = h
    c, s, t = math.cos(q), math.sin(q), 1 - math.cos(q)
    return np.array([
        [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
        [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
        [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
    ])


def pose_matrix(target):
    """T_base_tip (4x4) of a target row x, y, z, qw, qx, qy, qz."""
    x, y, z, w, a, b, c = target
    return np.array([
        [1 - 2 * (b * b + c * c), 2 * (a * b - c * w), 2 * (a * c + b * w), x],
        [2 * (a * b + c * w), 1 - 2 * (a * a + c * c), 2 * (b * c - a * w), y],
        [2 * (a * c - b * w), 2 * (b * c + a * w), 1 - 2 * (a * a + b * b), z],
        [0.0, 0.0, 0.0, 1.0],
    ])


class Chain:
    """A revolute chain in product-of-exponentials form: axes H (n x 3), points O (n x 3) on them, the
    tool's zero-configuration pose M (4x4), all in the base frame; `index[k]` is the robot file's
    movable-joint index of joint k, `sign[k]` is +1 or -1 (this joint's angle is sign * the file's)."""

    def __init__(self, H, O, M, index, sign):
        self.H, self.O, self.M = np.asarray(H, float), np.asarray(O, float), np.asarray(M, float)
        self.index, self.sign = list(index), list(sign)

    @property
    def n(self):
        return len(self.H)

    def P(self):
        """The offsets p_0 ... p_n ((n+1) x 3)."""
        pts = np.vstack([np.zeros(3), self.O, self.M[:3, 3]])
        return np.diff(pts, axis=0)

    def fk(self, q):
        """T_base_tip (4x4) at q, one angle per joint of this chain."""
        P = self.P()
        R, p = np.eye(3), P[0].copy()
        for k in range(self.n):
            R = R @ rot(self.H[k], q[k])
            p = p + R @ P[k + 1]
        T = np.eye(4)
        T[:3, :3], T[:3, 3] = R @ self.M[:3, :3], p
        return T


def from_robot(joints, tool):
    """The robot file's movable chain as a Chain (prismatic joints have no place in these solvers)."""
    T = np.eye(4)
    H, O = [], []
    for j in joints:
        o = np.eye(4)
        o[:3, :3] = np.array(chain._rpy([0, 0, 0], j["rpy"]))[:3, :3]
        o[:3, 3] = j["xyz"]
        T = T @ o
        if j["type"] == "prismatic":
            raise PeerError(f"joint '{j['name']}' is prismatic; the analytical peers solve revolute chains only")
        if j["type"] != "fixed":
            H.append(T[:3, :3] @ np.array(j["axis"]))
            O.append(T[:3, 3].copy())
    t = np.eye(4)
    t[:3, :3] = np.array(chain._rpy([0, 0, 0], tool[1]))[:3, :3]
    t[:3, 3] = tool[0]
    n = len(H)
    return Chain(H, O, T @ t, range(n), [1] * n)


def locked(c, k, value):
    """The chain with its joint k (chain index) fixed at `value` (the robot file's angle): the joints
    after it and the tool turn about joint k's axis."""
    R = rot(c.H[k], c.sign[k] * value)
    ok = c.O[k]
    H = [h if i < k else R @ h for i, h in enumerate(c.H) if i != k]
    O = [o if i < k else ok + R @ (o - ok) for i, o in enumerate(c.O) if i != k]
    M = c.M.copy()
    M[:3, :3] = R @ c.M[:3, :3]
    M[:3, 3] = ok + R @ (c.M[:3, 3] - ok)
    keep = [i for i in range(c.n) if i != k]
    return Chain(H, O, M, [c.index[i] for i in keep], [c.sign[i] for i in keep])


def reversed_chain(c):
    """The chain from the tip to the base: T_tip_base(q) = T_base_tip(q)^-1, the last joint first.
    Axes and points move into the tool frame; each axis is negated, so the joint angles stay the same."""
    Rm, pm = c.M[:3, :3], c.M[:3, 3]
    H = [-(Rm.T @ h) for h in c.H[::-1]]
    O = [Rm.T @ (o - pm) for o in c.O[::-1]]
    M = np.eye(4)
    M[:3, :3], M[:3, 3] = Rm.T, -Rm.T @ pm
    return Chain(H, O, M, c.index[::-1], c.sign[::-1])


def _parallel(a, b):
    return np.linalg.norm(np.cross(a, b)) < GEOMETRY_TOL


def _on_line(x, h, o):
    d = x - o
    return np.linalg.norm(d - np.dot(d, h) * h) < GEOMETRY_TOL


def _intersection(h1, o1, h2, o2):
    """The common point of two non-parallel lines, or None when they miss each other."""
    if _parallel(h1, h2):
        return None
    # Closest points o1 + s h1 and o2 + t h2.
    d = o2 - o1
    b = np.dot(h1, h2)
    den = 1 - b * b
    s = (np.dot(d, h1) - b * np.dot(d, h2)) / den
    t = (b * np.dot(d, h1) - np.dot(d, h2)) / den
    x1, x2 = o1 + s * h1, o2 + t * h2
    return 0.5 * (x1 + x2) if np.linalg.norm(x1 - x2) < GEOMETRY_TOL else None


def remodelled(c):
    """The same chain with each axis's point moved along it so that intersecting neighbours share a
    point (then p_i = 0 between them, as IK-Geo's subproblem decompositions require; an axis that
    meets both neighbours at different points takes the point it shares with the next one), and every axis
    parallel to the one before pointing the same way (an axis flipped flips its angle's sign)."""
    H, O, sign = [h.copy() for h in c.H], [o.copy() for o in c.O], list(c.sign)
    for k in range(c.n):
        if k > 0 and _parallel(H[k], H[k - 1]) and np.dot(H[k], H[k - 1]) < 0:
            H[k], sign[k] = -H[k], -sign[k]
        # The next axis first: the families want p_{i,i+1} = 0 towards the wrist (p_45 = p_56 = 0 of a
        # spherical wrist, p_56 = 0 of a UR arm), and p_12 = 0 comes from the previous-axis case.
        x = _intersection(H[k], O[k], c.H[k + 1], c.O[k + 1]) if k + 1 < c.n else None
        if x is None and k > 0:
            x = O[k - 1] if _on_line(O[k - 1], H[k], O[k]) else _intersection(H[k], O[k], H[k - 1], O[k - 1])
        if x is not None:
            O[k] = x.copy()
    return Chain(H, O, c.M, c.index, sign)


def ikgeo_family(c):
    """The IK-Geo decomposition whose assumptions a remodelled 6-joint chain meets, or None.
    Names are ik_geo.Robot's factory methods; conditions are those of IK-Geo's solvers (p indexes the
    offsets p_0 ... p_6, h the axes h_1 ... h_6)."""
    if c.n != 6:
        return None
    P, H = c.P(), c.H
    zero = [np.linalg.norm(p) < GEOMETRY_TOL for p in P]
    same = lambda a, b: np.linalg.norm(a - b) < GEOMETRY_TOL  # noqa: E731
    if zero[4] and zero[5]:  # h4, h5, h6 meet in one point: spherical wrist
        if zero[1]:
            return "spherical_two_intersecting"
        if same(H[1], H[2]):
            return "spherical_two_parallel"
        return "spherical"
    if same(H[1], H[2]) and same(H[2], H[3]):
        return "three_parallel_two_intersecting" if zero[5] else "three_parallel"
    return None


def ikgeo_setup(c):
    """(family, chain, reversed?) for IK-Geo: the chain itself if it is of a closed-form family,
    else its reverse if that is, else the chain with the general 6R solver (a 2D search)."""
    direct = remodelled(c)
    fam = ikgeo_family(direct)
    if fam:
        return fam, direct, False
    rev = remodelled(reversed_chain(c))
    fam = ikgeo_family(rev)
    if fam:
        return fam, rev, True
    return "gen_six_dof", direct, False


def free_grid(joint, count=FREE_SAMPLES):
    """`count` values evenly spread over the joint's limits (ends included), nearest the middle first:
    the order in which the sampling peers try the free joint."""
    lo, hi = joint["lower"], joint["upper"]
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = -math.pi, math.pi
    values = np.linspace(lo, hi, count)
    mid = chain.middle(joint) if math.isfinite(joint["lower"]) else 0.0
    return sorted(values, key=lambda v: (abs(v - mid), v))


class Limits:
    """The movable joints' limits as arrays, with whole-turn moves into them for revolute joints."""

    def __init__(self, movable):
        self.lo = np.array([j["lower"] for j in movable])
        self.hi = np.array([j["upper"] for j in movable])
        self.start = np.array([chain.middle(j) for j in movable])

    def into(self, Q):
        """Q (k x n) with every angle moved by whole turns to its smallest copy at or above the lower
        limit (unchanged for continuous joints); a row is in the limits iff the result is under the
        upper ones."""
        Q = np.atleast_2d(Q)
        lo = np.where(np.isfinite(self.lo), self.lo, Q)
        return Q + 2 * math.pi * np.ceil((lo - Q) / (2 * math.pi) - 1e-12)

    def inside(self, Q):
        return np.all((Q >= self.lo) & (Q <= self.hi), axis=1)

    def copies(self, q):
        """How many whole-turn copies of q lie inside the limits (product over the joints)."""
        count = 1
        for v, lo, hi in zip(q, self.lo, self.hi):
            if not math.isfinite(lo):
                continue
            first = v + 2 * math.pi * math.ceil((lo - v) / (2 * math.pi) - 1e-12)
            count *= max(0, math.floor((hi - first) / (2 * math.pi) + 1e-12) + 1)
        return count

    def nearest_copy(self, q):
        """The in-limit whole-turn copy of q nearest the start, joint by joint (None if there is none)."""
        out = []
        for v, lo, hi, s in zip(q, self.lo, self.hi, self.start):
            if not math.isfinite(lo):
                out.append(v)
                continue
            best = None
            k = math.ceil((lo - v) / (2 * math.pi) - 1e-12)
            while v + 2 * math.pi * k <= hi + 1e-12:
                c = v + 2 * math.pi * k
                if lo <= c <= hi and (best is None or abs(c - s) < abs(best - s)):
                    best = c
                k += 1
            if best is None:
                return None
            out.append(best)
        return np.array(out)


def pose_error(joints, tool, q, T_target):
    """Position (m) and rotation (rad) error of chain.py's FK at q from the target."""
    T = np.array(chain.fk(joints, tool, list(q)))
    dp = np.linalg.norm(T[:3, 3] - T_target[:3, 3])
    # |R_a - R_b|_F = 2 sqrt(2) sin(θ/2): accurate for small angles, unlike acos of the trace.
    s = min(1.0, np.linalg.norm(T[:3, :3] - T_target[:3, :3]) / (2 * math.sqrt(2)))
    return dp, 2 * math.asin(s)


class Bookkeeper:
    """Per target: the row for `neural-ik score` (found,time_us,joints) and the branch record."""

    BRANCH_HEADER = ["target", "time_us", "free_values", "solutions", "least_squares", "distinct", "exact",
                     "in_limits", "in_limit_copies"]

    def __init__(self, joints, tool, movable):
        self.joints, self.tool, self.movable = joints, tool, movable
        self.limits = Limits(movable)
        self.rows, self.branches, self.all_solutions = [], [], []

    def add(self, i, T_target, us, solutions, free_values):
        """`solutions`: (q as the robot file's joint vector, least-squares flag) pairs, all free values."""
        exact, distinct, inside, copies, seen = 0, 0, 0, 0, []
        best, best_key = None, None
        for q, ls in solutions:
            q = np.asarray(q, float)
            if not np.all(np.isfinite(q)):
                continue
            wrapped = np.mod(q + math.pi, 2 * math.pi)
            if not any(np.max(np.abs(np.angle(np.exp(1j * (wrapped - s))))) < 1e-6 for s in seen):
                seen.append(wrapped)
                distinct += 1
            dp, dr = pose_error(self.joints, self.tool, q, T_target)
            is_exact = dp <= EXACT_POSITION_M and dr <= EXACT_ROTATION_RAD
            near = self.limits.nearest_copy(q)
            exact += is_exact
            if is_exact and near is not None:
                inside += 1
                copies += self.limits.copies(q)
            if not ls:
                self.all_solutions.append((i, q if near is None else near))
            # The row's answer, by the solver's own flags only: in the limits and not least-squares
            # first, then nearest the start.
            cand = q if near is None else near
            key = (near is None, bool(ls), float(np.linalg.norm(cand - self.limits.start)))
            if best_key is None or key < best_key:
                best, best_key = cand, key
        found = best is not None and not best_key[0] and not best_key[1]
        answer = best if best is not None else self.limits.start
        self.rows.append([1 if found else 0, f"{us:.3f}"] + [repr(float(v)) for v in answer])
        self.branches.append([i + 1, f"{us:.3f}", free_values, len(solutions),
                              sum(1 for _, ls in solutions if ls), distinct, exact, inside, copies])

    def write(self, out, branches_out):
        names = [j["name"] for j in self.movable]
        with open(out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["found", "time_us"] + names)
            w.writerows(self.rows)
        with open(branches_out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(self.BRANCH_HEADER)
            w.writerows(self.branches)

    def write_all(self, targets, targets_out, solutions_out):
        """Every returned solution the solver does not flag least-squares as its own row (each in its
        nearest in-limit copy when it has one), with its target repeated, so that `neural-ik score`
        can score every branch."""
        names = [j["name"] for j in self.movable]
        with open(targets_out, "w", newline="", encoding="utf-8") as ft, \
                open(solutions_out, "w", newline="", encoding="utf-8") as fs:
            wt, ws = csv.writer(ft, lineterminator="\n"), csv.writer(fs, lineterminator="\n")
            wt.writerow(["x", "y", "z", "qw", "qx", "qy", "qz"])
            ws.writerow(["found", "time_us"] + names)
            for i, q in self.all_solutions:
                wt.writerow([repr(float(v)) for v in targets[i]])
                ws.writerow([1, 0] + [repr(float(v)) for v in q])


def chain_index(c, joint):
    """Where the robot file's movable joint `joint` (its index) sits in the chain."""
    return c.index.index(joint)


def sampled(calls, limits):
    """Try the free-joint values in order; stop at the first that gives a solution inside the limits
    (after whole turns) that the solver does not flag least-squares. `calls` are closures returning
    (Q: k x n robot-file joint vectors, least-squares flags). Returns (values tried, the last Q, flags).
    Everything here is inside the timing of a sampled solve."""
    tried, Q, ls = 0, None, None
    for call in calls:
        tried += 1
        Q, ls = call()
        if len(Q) and np.any(limits.inside(limits.into(Q)) & ~ls):
            break
    return tried, Q, ls


def parse(description):
    import argparse

    p = argparse.ArgumentParser(description=description)
    p.add_argument("command", choices=["solve", "check"])
    p.add_argument("--robot", required=True, help="JSON robot file")
    p.add_argument("--targets", help="solve: a `neural-ik targets` file")
    p.add_argument("--out", help="solve: found,time_us,<joints>, one row per target, for `neural-ik score`")
    p.add_argument("--branches", help="solve: per-target branch counts (CSV; Docs/Peers.md)")
    p.add_argument("--every", help="solve: a directory for targets-all.csv and solutions-all.csv (every branch)")
    p.add_argument("--record", help="solve: a JSON file with the versions, the family and the settings")
    p.add_argument("--free-joint", help="7-joint arms: the joint whose value is sampled (its name)")
    p.add_argument("--samples", type=int, default=FREE_SAMPLES, help="free-joint values per target (default 60)")
    args = p.parse_args()
    if args.samples < 1:
        raise PeerError(f"--samples must be >= 1, got {args.samples}")
    if args.command == "solve" and not (args.targets and args.out and args.branches and args.record):
        raise PeerError("solve needs --targets, --out, --branches and --record")
    return args


def free_index(args, movable):
    """The movable-joint index of --free-joint (required exactly when the arm has 7 joints)."""
    names = [j["name"] for j in movable]
    if len(movable) == 6:
        if args.free_joint:
            raise PeerError(f"--free-joint {args.free_joint}: a 6-joint arm has no free joint")
        return None
    if len(movable) != 7:
        raise PeerError(f"the arm has {len(movable)} movable joints; the analytical peers take 6, or 7 with --free-joint")
    if args.free_joint is None:
        raise PeerError(f"a 7-joint arm needs --free-joint, the joint to sample: one of {', '.join(names)}")
    if args.free_joint not in names:
        raise PeerError(f"--free-joint: expected one of {', '.join(names)}, got {args.free_joint!r}")
    return names.index(args.free_joint)


def random_configs(movable, count, seed):
    rng = np.random.default_rng(seed)
    lo = np.array([j["lower"] if math.isfinite(j["lower"]) else -math.pi for j in movable])
    hi = np.array([j["upper"] if math.isfinite(j["upper"]) else math.pi for j in movable])
    return lo + (hi - lo) * rng.random((count, len(movable)))


def check(name, joints, tool, movable, free, solve_at):
    """The peer's model against ours, end to end: on 200 random in-limit configurations, the solver is
    given their poses (and, on a 7-joint arm, their own free-joint value); counts how often the
    configuration itself is among its answers (the same angles up to whole turns, to 1e-6 rad) and
    how often every answer not flagged least-squares is FK-exact by chain.py's FK. A wrong frame or axis makes both (nearly)
    zero; a solver may still miss a branch near a singularity or a limit (frankik does, see
    Docs/Peers.md), so the check fails below half, and prints the counts."""
    configs = random_configs(movable, 200, 17)
    found_self = all_exact = 0
    for q in configs:
        T = np.array(chain.fk(joints, tool, list(q)))
        Q, ls = solve_at(T, None if free is None else q[free])
        Q = [s for s, flagged in zip(Q, ls) if np.all(np.isfinite(s)) and not flagged]
        found_self += any(np.max(np.abs(np.angle(np.exp(1j * (s - q))))) < 1e-6 for s in Q)
        errors = [pose_error(joints, tool, s, T) for s in Q]
        all_exact += bool(Q) and all(dp <= EXACT_POSITION_M and dr <= EXACT_ROTATION_RAD for dp, dr in errors)
    print(f"{name}: of {len(configs)} random configurations, {found_self} are among the answers for their own pose "
          f"and {all_exact} have every answer not flagged least-squares FK-exact (1e-9 m, 1e-9 rad by chain.py's FK)")
    if found_self < len(configs) / 2 or all_exact < len(configs) / 2:
        raise PeerError(f"{name} misses too many configurations: its model or frames differ from the robot file")


def run_solve(args, joints, tool, movable, one, record):
    """Solve every target with `one(T) -> (µs, free values tried, Q, least-squares flags)` and write the
    row file, the branch file, every branch (with --every) and the record."""
    import json

    from peer_inputs import read_targets

    targets = read_targets(args.targets)
    book = Bookkeeper(joints, tool, movable)
    # One untimed solve first: the first call into a freshly loaded extension pays for page faults
    # and lazy initialisation (tens of milliseconds here), which is no property of the solver.
    one(pose_matrix(targets[0]))
    for i, t in enumerate(targets):
        T = pose_matrix(t)
        us, tried, Q, ls = one(T)
        book.add(i, T, us, list(zip(np.asarray(Q, float).reshape(-1, len(movable)), np.asarray(ls, bool))), tried)
    book.write(args.out, args.branches)
    if args.every:
        os.makedirs(args.every, exist_ok=True)
        book.write_all(targets, os.path.join(args.every, "targets-all.csv"), os.path.join(args.every, "solutions-all.csv"))
    b = np.array([r[3:] for r in book.branches], float)
    record = dict(record, count=len(targets), found=sum(r[0] for r in book.rows),
                  free_values_mean=float(np.mean([r[2] for r in book.branches])),
                  free_values_max=int(max(r[2] for r in book.branches)),
                  solutions_mean=float(b[:, 0].mean()), least_squares_mean=float(b[:, 1].mean()),
                  distinct_mean=float(b[:, 2].mean()), exact_mean=float(b[:, 3].mean()),
                  in_limits_mean=float(b[:, 4].mean()), in_limit_copies_mean=float(b[:, 5].mean()),
                  targets_with_exact=int(np.sum(b[:, 3] > 0)),
                  targets_without_solution=int(np.sum(b[:, 0] == 0)))
    with open(args.record, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)


def main(name, body):
    """Run a peer's `body(args, joints, tool, movable)`, turning bad input into one clear error line."""
    try:
        args = parse(sys.modules["__main__"].__doc__.split("\n\n")[0])
        joints, tool = chain.load_robot(args.robot)
        body(args, joints, tool, chain.movable(joints))
    except (PeerError, chain.ChainError) as e:
        print(f"{name}: error: {e}", file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        print(f"{name}: error: '{e.filename}': {e.strerror}", file=sys.stderr)
        sys.exit(1)

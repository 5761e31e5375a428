#!/usr/bin/env python3
"""A JSON robot file (Docs/RobotFormat.md) as a plain chain for the KDL peer, plus a reference FK.

Standard library only, so it runs before the TRAC-IK venv exists.

    chain.py chain   ROBOT.json OUT.chain          the chain file kdl_peer reads (format below)
    chain.py info    ROBOT.json                    joint names, limits and the middle of the limits
    chain.py fk      ROBOT.json Q.csv OUT.csv      poses x,y,z,qw,qx,qy,qz of each row of Q.csv
    chain.py configs ROBOT.json N SEED OUT.csv     N random in-limit configurations (header: joint names)
    chain.py compare ROBOT.json A.csv B.csv        max difference of two pose files; fails above 1e-9

The chain file, one record per line, whitespace separated, numbers with 17 significant digits:

    neural-ik-chain/1
    joint NAME TYPE x y z roll pitch yaw ax ay az lower upper   (TYPE revolute|continuous|prismatic|fixed)
    tool x y z roll pitch yaw

`origin` is T_parent_joint (metres; URDF roll-pitch-yaw, Rz(yaw)·Ry(pitch)·Rx(roll)), the axis is
in the joint frame, normalised here; continuous joints get lower = -inf, upper = +inf; fixed joints
get a zero axis and zero limits. FK is T_base_tip = Π origin_i · motion_i(q_i) · tool, as in
Docs/RobotFormat.md. This FK is only used to check that the peers' chains equal ours; the scores
themselves come from `neural-ik score`.
"""

import csv
import json
import math
import random
import sys

JOINT_TYPES = ("revolute", "continuous", "prismatic", "fixed")


class ChainError(Exception):
    """A robot file or CSV that cannot be used; the message says what and where."""


def _vec3(value, where):
    if not isinstance(value, list) or len(value) != 3:
        raise ChainError(f"{where}: expected 3 numbers, found {value!r}")
    out = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ChainError(f"{where}: expected finite numbers, found {value!r}")
        out.append(float(v))
    return out


def load_robot(path):
    """The joints of a JSON robot file as dicts (name, type, xyz, rpy, axis, lower, upper) and the tool."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise ChainError(f"robot file '{path}': cannot read it ({e.strerror})") from None
    except json.JSONDecodeError as e:
        raise ChainError(f"robot file '{path}': not valid JSON ({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != "neural-ik-robot/1":
        raise ChainError(f"robot file '{path}': not a neural-ik-robot/1 file (see Docs/RobotFormat.md)")
    if not isinstance(doc.get("joints"), list) or not doc["joints"]:
        raise ChainError(f"robot file '{path}': joints: missing or empty")
    joints = []
    for i, j in enumerate(doc["joints"]):
        where = f"robot file '{path}': joints[{i}]"
        if not isinstance(j, dict):
            raise ChainError(f"{where}: expected an object")
        name, kind = j.get("name"), j.get("type")
        if not isinstance(name, str) or not name or any(c.isspace() for c in name):
            raise ChainError(f"{where}: name must be a non-empty string without spaces, found {name!r}")
        if kind not in JOINT_TYPES:
            raise ChainError(f"{where} ('{name}'): unknown joint type {kind!r}; expected one of: {', '.join(JOINT_TYPES)}")
        origin = j.get("origin", {})
        xyz = _vec3(origin.get("xyz", [0, 0, 0]), f"{where}.origin.xyz")
        rpy = _vec3(origin.get("rpy", [0, 0, 0]), f"{where}.origin.rpy")
        axis, lower, upper = [0.0, 0.0, 0.0], 0.0, 0.0
        if kind != "fixed":
            axis = _vec3(j.get("axis"), f"{where}.axis")
            norm = math.sqrt(sum(a * a for a in axis))
            if norm == 0:
                raise ChainError(f"{where}.axis: zero axis")
            axis = [a / norm for a in axis]
        if kind in ("revolute", "prismatic"):
            limits = j.get("limits")
            if not isinstance(limits, dict):
                raise ChainError(f"{where}.limits: missing on a {kind} joint")
            lower, upper = _vec3([limits.get("lower"), limits.get("upper"), 0], f"{where}.limits")[:2]
            if lower > upper:
                raise ChainError(f"{where}.limits: lower {lower} > upper {upper}")
        elif kind == "continuous":
            lower, upper = -math.inf, math.inf
        joints.append(dict(name=name, type=kind, xyz=xyz, rpy=rpy, axis=axis, lower=lower, upper=upper))
    tool = doc.get("tool", {})
    tool = (_vec3(tool.get("xyz", [0, 0, 0]), "tool.xyz"), _vec3(tool.get("rpy", [0, 0, 0]), "tool.rpy"))
    if not any(j["type"] != "fixed" for j in joints):
        raise ChainError(f"robot file '{path}': no movable joint")
    return joints, tool


def movable(joints):
    return [j for j in joints if j["type"] != "fixed"]


def middle(j):
    """The middle of a joint's limits; 0 for a continuous joint."""
    return 0.0 if j["type"] == "continuous" else 0.5 * (j["lower"] + j["upper"])


# 4x4 homogeneous transforms as lists of rows.
def _matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(4)) for j in range(4)] for i in range(4)]


def _rpy(xyz, rpy):
    r, p, y = rpy
    cr, sr, cp, sp, cy, sy = math.cos(r), math.sin(r), math.cos(p), math.sin(p), math.cos(y), math.sin(y)
    return [
        [cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr, xyz[0]],
        [sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr, xyz[1]],
        [-sp, cp * sr, cp * cr, xyz[2]],
        [0.0, 0.0, 0.0, 1.0],
    ]


def _motion(j, q):
    x, y, z = j["axis"]
    if j["type"] == "prismatic":
        return [[1, 0, 0, x * q], [0, 1, 0, y * q], [0, 0, 1, z * q], [0, 0, 0, 1]]
    c, s, t = math.cos(q), math.sin(q), 1 - math.cos(q)
    return [
        [t * x * x + c, t * x * y - s * z, t * x * z + s * y, 0],
        [t * x * y + s * z, t * y * y + c, t * y * z - s * x, 0],
        [t * x * z - s * y, t * y * z + s * x, t * z * z + c, 0],
        [0, 0, 0, 1],
    ]


def fk(joints, tool, q):
    """T_base_tip (4x4) at q, one value per movable joint in file order."""
    T = [[float(i == j) for j in range(4)] for i in range(4)]
    it = iter(q)
    for j in joints:
        T = _matmul(T, _rpy(j["xyz"], j["rpy"]))
        if j["type"] != "fixed":
            T = _matmul(T, _motion(j, next(it)))
    return _matmul(T, _rpy(*tool))


def quaternion(T):
    """Unit quaternion (w, x, y, z) of T's rotation, w >= 0."""
    m = T
    tr = m[0][0] + m[1][1] + m[2][2]
    if tr > 0:
        s = 2 * math.sqrt(tr + 1)
        q = (0.25 * s, (m[2][1] - m[1][2]) / s, (m[0][2] - m[2][0]) / s, (m[1][0] - m[0][1]) / s)
    elif m[0][0] > m[1][1] and m[0][0] > m[2][2]:
        s = 2 * math.sqrt(1 + m[0][0] - m[1][1] - m[2][2])
        q = ((m[2][1] - m[1][2]) / s, 0.25 * s, (m[0][1] + m[1][0]) / s, (m[0][2] + m[2][0]) / s)
    elif m[1][1] > m[2][2]:
        s = 2 * math.sqrt(1 + m[1][1] - m[0][0] - m[2][2])
        q = ((m[0][2] - m[2][0]) / s, (m[0][1] + m[1][0]) / s, 0.25 * s, (m[1][2] + m[2][1]) / s)
    else:
        s = 2 * math.sqrt(1 + m[2][2] - m[0][0] - m[1][1])
        q = ((m[1][0] - m[0][1]) / s, (m[0][2] + m[2][0]) / s, (m[1][2] + m[2][1]) / s, 0.25 * s)
    n = math.sqrt(sum(c * c for c in q))
    q = [c / n for c in q]
    return q if q[0] >= 0 else [-c for c in q]


def read_configs(path, names):
    """Rows of a CSV whose header holds the columns `names` (other columns allowed)."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        raise ChainError(f"'{path}': cannot read it ({e.strerror})") from None
    if not rows:
        raise ChainError(f"'{path}': empty; expected a header with the joint names {','.join(names)}")
    header = rows[0]
    missing = [n for n in names if n not in header]
    if missing:
        raise ChainError(f"'{path}': header lacks the joint columns {', '.join(missing)}")
    cols = [header.index(n) for n in names]
    out = []
    for line, row in enumerate(rows[1:], start=2):
        try:
            values = [float(row[c]) for c in cols]
        except (ValueError, IndexError):
            raise ChainError(f"'{path}' line {line}: expected numbers in the joint columns") from None
        if not all(math.isfinite(v) for v in values):
            raise ChainError(f"'{path}' line {line}: a non-finite joint value")
        out.append(values)
    return out


def read_poses(path):
    """Rows x,y,z,qw,qx,qy,qz of a pose CSV, the quaternion sign made w >= 0."""
    rows = read_configs(path, ["x", "y", "z", "qw", "qx", "qy", "qz"])
    return [r if r[3] >= 0 else r[:3] + [-c for c in r[3:]] for r in rows]


def _g(x):
    return repr(float(x))


def main(argv):
    usage = __doc__.split("\n\n")[1]
    if len(argv) < 3:
        raise ChainError("usage:\n" + usage)
    cmd, robot = argv[1], argv[2]
    joints, tool = load_robot(robot)
    mov = movable(joints)
    if cmd == "chain" and len(argv) == 4:
        lines = ["neural-ik-chain/1"]
        for j in joints:
            fields = j["xyz"] + j["rpy"] + j["axis"] + [j["lower"], j["upper"]]
            lines.append(" ".join(["joint", j["name"], j["type"]] + [_g(v) for v in fields]))
        lines.append(" ".join(["tool"] + [_g(v) for v in tool[0] + tool[1]]))
        with open(argv[3], "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    elif cmd == "info" and len(argv) == 3:
        for j in mov:
            print(j["name"], j["type"], _g(j["lower"]), _g(j["upper"]), _g(middle(j)))
    elif cmd == "fk" and len(argv) == 5:
        with open(argv[4], "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["x", "y", "z", "qw", "qx", "qy", "qz"])
            for q in read_configs(argv[3], [j["name"] for j in mov]):
                T = fk(joints, tool, q)
                w.writerow([_g(T[0][3]), _g(T[1][3]), _g(T[2][3])] + [_g(c) for c in quaternion(T)])
    elif cmd == "configs" and len(argv) == 6:
        rng = random.Random(int(argv[4]))
        with open(argv[5], "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([j["name"] for j in mov])
            for _ in range(int(argv[3])):
                w.writerow(
                    [_g(rng.uniform(-math.pi, math.pi) if j["type"] == "continuous" else rng.uniform(j["lower"], j["upper"])) for j in mov]
                )
    elif cmd == "compare" and len(argv) == 5:
        a, b = read_poses(argv[3]), read_poses(argv[4])
        if len(a) != len(b):
            raise ChainError(f"'{argv[3]}' has {len(a)} poses, '{argv[4]}' has {len(b)}")
        worst = max(max(abs(x - y) for x, y in zip(p, q)) for p, q in zip(a, b))
        print(f"FK of '{argv[4]}' vs '{argv[3]}' on {len(a)} configurations: max difference {worst:.2e}")
        if not worst <= 1e-9:
            raise ChainError(f"the two FKs differ by {worst:.2e} > 1e-9: the chains are not the same robot")
    else:
        raise ChainError("usage:\n" + usage)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except ChainError as e:
        print(f"chain.py: error: {e}", file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        print(f"chain.py: error: '{e.filename}': {e.strerror}", file=sys.stderr)
        sys.exit(1)
    except ValueError as e:  # N or SEED of `configs` not an integer
        print(f"chain.py: error: {e}", file=sys.stderr)
        sys.exit(1)

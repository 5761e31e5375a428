#!/usr/bin/env python3
"""What the Python peers (tracik_peer.py, rtb_peer.py) read: a NeuralIK targets file, and the arm's
URDF in the form their URDF parsers accept. Standard library only.
"""

import csv
import math
import xml.etree.ElementTree as ET

TARGET_HEADER = ["x", "y", "z", "qw", "qx", "qy", "qz"]


class PeerError(Exception):
    """An input or a peer that cannot be used; the message says what and where."""


def read_targets(path):
    """The rows of a `neural-ik targets` file as [x, y, z, qw, qx, qy, qz] (metres; unit quaternion,
    renormalised to double precision)."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        raise PeerError(f"targets file '{path}': cannot read it ({e.strerror})") from None
    if not rows or [h.strip() for h in rows[0]] != TARGET_HEADER:
        raise PeerError(f"targets file '{path}' line 1: expected the header {','.join(TARGET_HEADER)}")
    targets = []
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != 7:
            raise PeerError(f"targets file '{path}' line {line}: {len(row)} values; the header has 7")
        try:
            t = [float(v) for v in row]
        except ValueError:
            raise PeerError(f"targets file '{path}' line {line}: not a number") from None
        norm = math.sqrt(sum(c * c for c in t[3:]))
        if not all(math.isfinite(v) for v in t) or abs(norm - 1) > 1e-6:
            raise PeerError(f"targets file '{path}' line {line}: non-finite value or quaternion norm {norm} != 1")
        targets.append(t[:3] + [c / norm for c in t[3:]])
    if not targets:
        raise PeerError(f"targets file '{path}': no targets under the header")
    return targets


def urdf_text(path, base, tip):
    """The URDF at `path` as text, after checking that `base` and `tip` are links of it.

    pytracik's and Robotics Toolbox's URDF parsers insist on the `effort` and `velocity` that URDF
    requires on `<limit>`; our fixtures leave them out (they do not change kinematics), so they are
    filled in with zeros.
    """
    try:
        text = open(path, encoding="utf-8").read()
        root = ET.fromstring(text)
    except OSError as e:
        raise PeerError(f"URDF '{path}': cannot read it ({e.strerror})") from None
    except ET.ParseError as e:
        raise PeerError(f"URDF '{path}': not valid XML ({e})") from None
    if root.tag != "robot":
        raise PeerError(f"URDF '{path}': no <robot> root element; found <{root.tag}>")
    for limit in root.iter("limit"):
        limit.attrib.setdefault("effort", "0")
        limit.attrib.setdefault("velocity", "0")
    links = sorted(l.get("name") for l in root.findall("link"))
    for role, name in (("--base", base), ("--tip", tip)):
        if name not in links:
            raise PeerError(f"{role}: unknown link '{name}'; links are: {', '.join(links)}")
    return ET.tostring(root, encoding="unicode")

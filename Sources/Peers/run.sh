#!/usr/bin/env bash
# `make peers`: NeuralIK against TRAC-IK, KDL, Robotics Toolbox's ik_LM and the analytical solvers EAIK,
# ik-geo and frankik on the same pose targets, scored by NeuralIK's FK.
# Writes Docs/Peers.md. Everything it builds or downloads for the peers stays in .build-peers/
# (git-ignored); the Swift package itself depends on nothing here. See Docs/Peers.md for the protocol.
#
# Environment: PEERS_COUNT (targets per arm, default 10000; any other count writes the report to
# .build-peers/Peers.md instead of Docs/), PEERS_ARMS (default "panda iiwa14 ur5"), PEERS_BUILD (default 1;
# 0 uses the existing .build/release/neural-ik instead of building it, e.g. while another build runs),
# PEERS_ONLY (default all: "neural-ik trac-ik rtb kdl analytic"; a subset runs only those, and the report,
# then always .build-peers/Peers.md, has only their rows).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
OUT=$ROOT/.build-peers
HERE=$ROOT/Sources/Peers
COUNT=${PEERS_COUNT:-10000}
SEED=1000003
ARMS=${PEERS_ARMS:-panda iiwa14 ur5}
PYTRACIK_VERSION=0.0.3
RTB_VERSION=1.5.0
EAIK_VERSION=1.2.2
IKGEO_VERSION=1.0.3
FRANKIK_VERSION=1.0.1
ALL_GROUPS="neural-ik trac-ik rtb kdl analytic"
ONLY=${PEERS_ONLY:-$ALL_GROUPS}
TIMEOUT_S=0.005
BUDGET_US=5000
if [ "$COUNT" = 10000 ] && [ "$ONLY" = "$ALL_GROUPS" ]; then REPORT=$ROOT/Docs/Peers.md; else REPORT=$OUT/Peers.md; fi

say() { printf '\n== %s\n' "$*"; }
die() { printf 'peers: error: %s\n' "$*" >&2; exit 1; }

# The chain between the URDF's base and tip links equals the JSON robot file (checked below). On a 7-joint
# arm the analytical peers sample one joint (`free`, the one the published closed forms take as given);
# `analytic` lists the analytical peers that solve the arm (frankik knows the Panda only).
base_tip() {
  case $1 in
    panda) base=panda_link0 tip=panda_link8 free=panda_joint7 analytic="eaik ik-geo frankik" ;;
    iiwa14) base=iiwa_link_0 tip=iiwa_link_ee free=iiwa_joint_3 analytic="eaik ik-geo" ;;
    ur5) base=base_link tip=tool0 free="" analytic="eaik ik-geo" ;;
    *) die "unknown arm '$1' in PEERS_ARMS; known: panda iiwa14 ur5" ;;
  esac
}
runs() { [[ " $ONLY " == *" $1 "* ]]; }
for g in $ONLY; do [[ " $ALL_GROUPS " == *" $g "* ]] || die "unknown peer group '$g' in PEERS_ONLY; known: $ALL_GROUPS"; done
for arm in $ARMS; do base_tip "$arm"; done
[[ $COUNT =~ ^[1-9][0-9]*$ ]] || die "PEERS_COUNT must be a positive integer, got '$COUNT'"
BUILD=${PEERS_BUILD:-1}
[[ $BUILD =~ ^[01]$ ]] || die "PEERS_BUILD must be 1 (build neural-ik) or 0 (use .build/release/neural-ik as it is), got '$BUILD'"

mkdir -p "$OUT"
cat /proc/loadavg >"$OUT/loadavg-start.txt"

say "Debian packages"
APT="g++ pkg-config liborocos-kdl-dev libeigen3-dev python3-venv libgsl-dev libopenblas-dev"
missing=$(for p in $APT; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  echo "installing:" $missing
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
command -v swift >/dev/null || die "swift is not on PATH; NeuralIK needs Swift 6"

say "Python peers: pytracik $PYTRACIK_VERSION, roboticstoolbox-python $RTB_VERSION, EAIK $EAIK_VERSION, ik-geo $IKGEO_VERSION, frankik $FRANKIK_VERSION in $OUT/venv"
VENV_PY=$OUT/venv/bin/python
if ! "$VENV_PY" -c "import pytracik, trac_ik, roboticstoolbox, eaik, ik_geo, frankik
from importlib.metadata import version as v
assert trac_ik.__version__ == '$PYTRACIK_VERSION' and roboticstoolbox.__version__ == '$RTB_VERSION'
assert (v('EAIK'), v('ik-geo'), v('frankik')) == ('$EAIK_VERSION', '$IKGEO_VERSION', '$FRANKIK_VERSION')" 2>/dev/null; then
  /usr/bin/python3 -m venv "$OUT/venv"
  # One pip run, so that one resolver settles the numpy they all need.
  "$VENV_PY" -m pip install -q --disable-pip-version-check "pytracik==$PYTRACIK_VERSION" \
    "roboticstoolbox-python==$RTB_VERSION" "EAIK==$EAIK_VERSION" "ik-geo==$IKGEO_VERSION" "frankik==$FRANKIK_VERSION"
fi


say "KDL: building kdl_peer"
# shellcheck disable=SC2046
g++ -O2 -std=c++17 -Wall -Wextra -o "$OUT/kdl_peer" "$HERE/kdl_peer.cpp" $(pkg-config --cflags --libs orocos-kdl)

NIK=$ROOT/.build/release/neural-ik
if [ "$BUILD" = 1 ]; then
  say "NeuralIK: release build (.build/release, as make demo and make fixtures build it)"
  swift build -c release --product neural-ik
else
  say "NeuralIK: PEERS_BUILD=0, using $NIK as it is"
  [ -x "$NIK" ] || die "PEERS_BUILD=0 but there is no $NIK; build it (swift build -c release --product neural-ik)"
fi

# A peer's answers scored with NeuralIK's FK (score-<peer>.json).
score() {
  "$NIK" score --robot "$json" --targets "$dir/targets.csv" --solutions "$dir/$1.csv" --solver "$1" \
    --json "$dir/score-$1.json"
}

for arm in $ARMS; do
  base_tip "$arm"
  json=$ROOT/Fixtures/robots/$arm.json
  urdf=$ROOT/Fixtures/robots/$arm.urdf
  dir=$OUT/$arm
  mkdir -p "$dir"
  peer=(--robot "$json" --urdf "$urdf" --base "$base" --tip "$tip")

  say "$arm: the peers' chains against ours ($base → $tip)"
  python3 "$HERE/chain.py" chain "$json" "$dir/chain.txt"
  python3 "$HERE/chain.py" configs "$json" 200 7 "$dir/fk-q.csv"
  python3 "$HERE/chain.py" fk "$json" "$dir/fk-q.csv" "$dir/fk-ours.csv"
  "$OUT/kdl_peer" fk "$dir/chain.txt" "$dir/fk-q.csv" "$dir/fk-kdl.csv"
  python3 "$HERE/chain.py" compare "$json" "$dir/fk-ours.csv" "$dir/fk-kdl.csv"
  "$VENV_PY" "$HERE/tracik_peer.py" fkcheck "${peer[@]}"
  "$VENV_PY" "$HERE/rtb_peer.py" fkcheck "${peer[@]}"
  # chain.py's FK against NeuralIK's own: the configurations must score as exact solutions.
  { printf 'found,time_us,'; head -1 "$dir/fk-q.csv"; tail -n +2 "$dir/fk-q.csv" | sed 's/^/1,0,/'; } >"$dir/fk-solutions.csv"
  "$NIK" score --robot "$json" --targets "$dir/fk-ours.csv" --solutions "$dir/fk-solutions.csv" \
    --solver fk-check --json "$dir/fk-check.json" >/dev/null
  python3 "$HERE/report.py" check-exact "$dir/fk-check.json"

  say "$arm: $COUNT targets (seed $SEED)"
  "$NIK" targets --robot "$json" --count "$COUNT" --seed "$SEED" --out "$dir/targets.csv"

  if runs trac-ik; then
    say "$arm: TRAC-IK (Speed, eps 1e-5, timeout ${TIMEOUT_S}s)"
    "$VENV_PY" "$HERE/tracik_peer.py" solve "${peer[@]}" --targets "$dir/targets.csv" --out "$dir/trac-ik.csv" \
      --timeout "$TIMEOUT_S" --eps 1e-5 --mode Speed
    "$VENV_PY" "$HERE/tracik_peer.py" overhead "${peer[@]}" --count 2000 --out "$dir/trac-ik-overhead.json"
    score trac-ik
  fi

  if runs rtb; then
    say "$arm: Robotics Toolbox ik_LM (its defaults: ilimit 30, slimit 100, tol 1e-6, joint limits)"
    "$VENV_PY" "$HERE/rtb_peer.py" solve "${peer[@]}" --targets "$dir/targets.csv" --out "$dir/rtb-lm.csv" \
      --record "$dir/rtb-lm-record.json" --ilimit 30 --slimit 100 --tol 1e-6 --seed "$SEED"
    "$VENV_PY" "$HERE/rtb_peer.py" overhead "${peer[@]}" --count 2000 --out "$dir/rtb-lm-overhead.json"
    score rtb-lm
  fi

  if runs kdl; then
    say "$arm: KDL LMA and NR_JL, one attempt and with random restarts for ${BUDGET_US} µs"
    for s in lma nrjl; do
      "$OUT/kdl_peer" solve "$dir/chain.txt" "$dir/targets.csv" "$dir/kdl-$s.csv" --solver $s
      "$OUT/kdl_peer" solve "$dir/chain.txt" "$dir/targets.csv" "$dir/kdl-$s-rr.csv" --solver $s --budget-us $BUDGET_US
      score kdl-$s
      score kdl-$s-rr
    done
  fi

  # The analytical peers: every branch (6-joint arm) or the free joint sampled at up to 60 values
  # (7-joint arm); per target the branch counts (<peer>-branches.csv), and every branch not flagged
  # least-squares scored on its own (score-<peer>-all.json).
  for p in eaik ik-geo frankik; do rm -f "$dir/score-$p.json" "$dir/score-$p-all.json" "$dir/$p-record.json"; done
  if runs analytic; then
    for p in $analytic; do
      say "$arm: $p (analytical${free:+, $free sampled at up to 60 values})"
      drv=$HERE/${p//-/}_peer.py
      arg=(--robot "$json")
      [ -z "$free" ] || arg+=(--free-joint "$free")
      "$VENV_PY" "$drv" check "${arg[@]}"
      "$VENV_PY" "$drv" solve "${arg[@]}" --targets "$dir/targets.csv" --out "$dir/$p.csv" \
        --branches "$dir/$p-branches.csv" --record "$dir/$p-record.json" --every "$dir/$p-all"
      score "$p"
      "$NIK" score --robot "$json" --targets "$dir/$p-all/targets-all.csv" --solutions "$dir/$p-all/solutions-all.csv" \
        --solver "$p every branch" --json "$dir/score-$p-all.json" >/dev/null
    done
  fi

  model=$ROOT/Fixtures/models/$arm.nikm
  rm -f "$dir/neural-ik.json"
  if ! runs neural-ik; then
    :
  elif [ -f "$model" ]; then
    say "$arm: NeuralIK's solvers on the same targets"
    "$NIK" bench --robot "$json" --model "$model" --targets-file "$dir/targets.csv" --json "$dir/neural-ik.json"
  else
    say "$arm: no model at Fixtures/models/$arm.nikm; the report has no NeuralIK rows for $arm"
  fi
done

say "report"
# The full count writes Docs/Peers.md and the README's table; other counts only a scratch report.
README_FLAG=""
if [ "$REPORT" = "$ROOT/Docs/Peers.md" ]; then README_FLAG="--readme"; fi
python3 "$HERE/report.py" write --out "$REPORT" --build "$OUT" --arms "$ARMS" --count "$COUNT" --seed "$SEED" \
  --venv-python "$VENV_PY" --only "$ONLY" $README_FLAG
echo "wrote $REPORT"

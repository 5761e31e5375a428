#!/usr/bin/env bash
# `make peers`: NeuralIK against TRAC-IK, KDL and Robotics Toolbox's ik_LM on the same pose targets,
# scored by NeuralIK's FK.
# Writes Docs/Peers.md. Everything it builds or downloads for the peers stays in .build-peers/
# (git-ignored); the Swift package itself depends on nothing here. See Docs/Peers.md for the protocol.
#
# Environment: PEERS_COUNT (targets per arm, default 10000; any other count writes the report to
# .build-peers/Peers.md instead of Docs/), PEERS_ARMS (default "panda iiwa14 ur5"), PEERS_BUILD (default 1;
# 0 uses the existing .build/release/neural-ik instead of building it, e.g. while another build runs).
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
TIMEOUT_S=0.005
BUDGET_US=5000
if [ "$COUNT" = 10000 ]; then REPORT=$ROOT/Docs/Peers.md; else REPORT=$OUT/Peers.md; fi

say() { printf '\n== %s\n' "$*"; }
die() { printf 'peers: error: %s\n' "$*" >&2; exit 1; }

# The chain between the URDF's base and tip links equals the JSON robot file (checked below).
base_tip() {
  case $1 in
    panda) base=panda_link0 tip=panda_link8 ;;
    iiwa14) base=iiwa_link_0 tip=iiwa_link_ee ;;
    ur5) base=base_link tip=tool0 ;;
    *) die "unknown arm '$1' in PEERS_ARMS; known: panda iiwa14 ur5" ;;
  esac
}
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

say "TRAC-IK and Robotics Toolbox: pytracik $PYTRACIK_VERSION, roboticstoolbox-python $RTB_VERSION in $OUT/venv"
VENV_PY=$OUT/venv/bin/python
if ! "$VENV_PY" -c "import pytracik, trac_ik, roboticstoolbox
assert trac_ik.__version__ == '$PYTRACIK_VERSION' and roboticstoolbox.__version__ == '$RTB_VERSION'" 2>/dev/null; then
  /usr/bin/python3 -m venv "$OUT/venv"
  # One pip run, so that one resolver settles the numpy both need.
  "$VENV_PY" -m pip install -q --disable-pip-version-check "pytracik==$PYTRACIK_VERSION" \
    "roboticstoolbox-python==$RTB_VERSION"
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

  say "$arm: TRAC-IK (Speed, eps 1e-5, timeout ${TIMEOUT_S}s)"
  "$VENV_PY" "$HERE/tracik_peer.py" solve "${peer[@]}" --targets "$dir/targets.csv" --out "$dir/trac-ik.csv" \
    --timeout "$TIMEOUT_S" --eps 1e-5 --mode Speed
  "$VENV_PY" "$HERE/tracik_peer.py" overhead "${peer[@]}" --count 2000 --out "$dir/trac-ik-overhead.json"

  say "$arm: Robotics Toolbox ik_LM (its defaults: ilimit 30, slimit 100, tol 1e-6, joint limits)"
  "$VENV_PY" "$HERE/rtb_peer.py" solve "${peer[@]}" --targets "$dir/targets.csv" --out "$dir/rtb-lm.csv" \
    --record "$dir/rtb-lm-record.json" --ilimit 30 --slimit 100 --tol 1e-6 --seed "$SEED"
  "$VENV_PY" "$HERE/rtb_peer.py" overhead "${peer[@]}" --count 2000 --out "$dir/rtb-lm-overhead.json"

  say "$arm: KDL LMA and NR_JL, one attempt and with random restarts for ${BUDGET_US} µs"
  for s in lma nrjl; do
    "$OUT/kdl_peer" solve "$dir/chain.txt" "$dir/targets.csv" "$dir/kdl-$s.csv" --solver $s
    "$OUT/kdl_peer" solve "$dir/chain.txt" "$dir/targets.csv" "$dir/kdl-$s-rr.csv" --solver $s --budget-us $BUDGET_US
  done

  say "$arm: scoring every peer with NeuralIK's FK"
  for s in trac-ik rtb-lm kdl-lma kdl-lma-rr kdl-nrjl kdl-nrjl-rr; do
    "$NIK" score --robot "$json" --targets "$dir/targets.csv" --solutions "$dir/$s.csv" --solver "$s" \
      --json "$dir/score-$s.json"
  done

  model=$ROOT/Fixtures/models/$arm.nikm
  rm -f "$dir/neural-ik.json"
  if [ -f "$model" ]; then
    say "$arm: NeuralIK's solvers on the same targets"
    "$NIK" bench --robot "$json" --model "$model" --targets-file "$dir/targets.csv" --json "$dir/neural-ik.json"
  else
    say "$arm: no model at Fixtures/models/$arm.nikm; the report has no NeuralIK rows for $arm"
  fi
done

say "report"
# The full count writes Docs/Peers.md and the README's table; other counts only a scratch report.
README_FLAG=""
if [ "$COUNT" = 10000 ]; then README_FLAG="--readme"; fi
python3 "$HERE/report.py" write --out "$REPORT" --build "$OUT" --arms "$ARMS" --count "$COUNT" --seed "$SEED" \
  --venv-python "$VENV_PY" $README_FLAG
echo "wrote $REPORT"

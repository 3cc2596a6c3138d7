#!/usr/bin/env bash
# Benchmark of the BLE path: a full `pawdiag info` (with self-test) over
# btleplug → libdbus → a private dbus-daemon → the fake BlueZ, against the
# same `info` on the in-process simulator (sim:MODEL). Reports the mean wall
# time of each and their ratio. Run by hand; needs dbus-daemon.
# Usage: scripts/bench-ble.sh [runs] [model]   (BIN=path/to/pawdiag to pick a build;
#        default: the debug build, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
model=${2:-pettracker}
bin=${BIN:-target/debug/pawdiag}
[ -x "$bin" ] || cargo build -q
case "$model" in
  pettracker) code=PT ;; healthmonitor) code=HM ;; smartcollar) code=SC ;;
  *) echo "model: pettracker, healthmonitor or smartcollar" >&2; exit 2 ;;
esac

. scripts/fake-bluez.sh
start_fake --model "$model"

measure() { # $1 = address, rest = extra args; prints mean seconds over $runs
  local total=0 start end addr=$1; shift
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$bin" info "$addr" --json "$@" >/dev/null
    end=$(date +%s.%N)
    total=$(python3 -c "print($total + $end - $start)")
  done
  python3 -c "print($total / $runs)"
}

report() { # $1 = label, rest = extra args
  local label=$1; shift
  local sim ble
  sim=$(measure "sim:$model" "$@")
  ble=$(measure "ble:PawCore-$code-0001" "$@")
  python3 - "$label" "$sim" "$ble" <<'PY'
import sys
label, sim, ble = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
print(f"{label:<22} in-process {sim*1000:7.1f} ms   BLE {ble*1000:7.1f} ms   ratio {ble/sim:5.2f}  (+{(ble-sim)*1000:.1f} ms)")
PY
}

echo "pawdiag info $model, $runs runs each, mean wall time per process ($bin)"
report "full info (self-test)"
report "info --no-selftest" --no-selftest

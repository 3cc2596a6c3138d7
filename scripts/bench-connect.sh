#!/usr/bin/env bash
# Time from `pawdiag info ble:NAME` to its first byte from the device, on the
# fake BlueZ, with and without one transient connect error (BlueZ's
# `org.bluez.Error.InProgress` or `le-connection-abort-by-local` on the first
# Device1.Connect, retried by pawdiag after 250 ms). Each run gets a freshly
# started fake, since the error strikes once per fake. Reports the mean over
# the runs of `link.first_byte_ms` (connect started → first byte received,
# measured inside pawdiag) and of the process wall time, and the ratios to
# the clean connect. Run by hand; needs dbus-daemon.
# Usage: scripts/bench-connect.sh [runs]   (BIN=path/to/pawdiag to pick a build;
#        default: the debug build, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
bin=${BIN:-target/debug/pawdiag}
[ -x "$bin" ] || cargo build -q

. scripts/fake-bluez.sh

measure() { # $@ = fake arguments; prints "first_byte_ms wall_ms" means
  local fb=0 wall=0 start end v
  for _ in $(seq "$runs"); do
    start_fake "$@"
    start=$(date +%s.%N)
    v=$("$bin" info ble:PawCore-PT-0001 --no-selftest --json)
    end=$(date +%s.%N)
    stop_fake
    fb=$(python3 -c "import json,sys; print($fb + json.loads(sys.argv[1])['link']['first_byte_ms'])" "$v")
    wall=$(python3 -c "print($wall + ($end - $start) * 1000)")
  done
  python3 -c "print($fb / $runs, $wall / $runs)"
}

echo "pawdiag info ble:PawCore-PT-0001 --no-selftest, $runs runs each, fresh fake BlueZ per run ($bin)"
read -r clean_fb clean_wall < <(measure)
read -r inprog_fb inprog_wall < <(measure --bluez in-progress-once)
read -r abort_fb abort_wall < <(measure --bluez abort-once)
python3 - "$clean_fb" "$clean_wall" "$inprog_fb" "$inprog_wall" "$abort_fb" "$abort_wall" <<'PY'
import sys
cf, cw, if_, iw, af, aw = map(float, sys.argv[1:])
def row(label, fb, w):
    print(f"{label:<34} first byte {fb:7.1f} ms ({fb/cf:4.2f}x)   process {w:7.1f} ms ({w/cw:4.2f}x)")
row("clean connect", cf, cw)
row("InProgress once, retried", if_, iw)
row("le-connection-abort-by-local once", af, aw)
PY

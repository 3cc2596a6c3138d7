# Sourced by the BLE benchmarks: a private dbus-daemon for this script (its
# address exported as DBUS_SYSTEM_BUS_ADDRESS), a temporary directory $tmp,
# and start_fake/stop_fake for `pawdiag sim serve --ble` on that bus.
# Everything is cleaned up on exit. Needs $bin (the pawdiag to run).
tmp=$(mktemp -d)
dbus-daemon --session --nofork --print-address=1 >"$tmp/bus" 2>/dev/null &
bus=$!
fake=""
cleanup() { [ -n "$fake" ] && kill "$fake" 2>/dev/null; kill "$bus" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$tmp/bus" ] && break; sleep 0.1; done
export DBUS_SYSTEM_BUS_ADDRESS=$(head -n1 "$tmp/bus")

start_fake() { # $@ = extra fake arguments; returns once org.bluez is served
  rm -f "$tmp/out"; mkfifo "$tmp/out"
  "$bin" sim serve --ble "$@" >"$tmp/out" 2>/dev/null &
  fake=$!
  read -r _ <"$tmp/out"
  cat "$tmp/out" >/dev/null &
}

stop_fake() { kill "$fake" 2>/dev/null; wait "$fake" 2>/dev/null || true; fake=""; }

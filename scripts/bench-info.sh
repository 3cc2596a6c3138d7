#!/usr/bin/env bash
# Benchmark of `pawdiag info` over a real pseudo-terminal paced at 115200 baud:
# pawdiag's wall time against the wire-time lower bound of the bytes it
# exchanged, pipelined (up to 4 in flight) and strictly one at a time.
# Usage: scripts/bench-info.sh [runs] [model]
# Debug build by default (wire time dominates); BENCH_RELEASE=1 for release.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
model=${2:-pettracker}
baud=115200
if [ "${BENCH_RELEASE:-0}" = 1 ]; then
  cargo build --release -q; bin=target/release/pawdiag; profile=release
else
  cargo build -q; bin=target/debug/pawdiag; profile=debug
fi
fifo=$(mktemp -u); mkfifo "$fifo"
"$bin" sim serve --model "$model" --baud "$baud" >"$fifo" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$fifo"' EXIT
read -r pty <"$fifo"

measure() { # $1 = max in flight, $2.. = extra args; prints "seconds bytes_tx bytes_rx"
  local inflight=$1; shift
  local start end out
  start=$(date +%s.%N)
  out=$("$bin" info "serial:$pty" --json --max-in-flight "$inflight" "$@" || true)
  end=$(date +%s.%N)
  python3 -c 'import json,sys; d=json.loads(sys.argv[3]); l=d["link"]; print(float(sys.argv[2])-float(sys.argv[1]), l["bytes_tx"], l["bytes_rx"], l["retries"])' "$start" "$end" "$out"
}

report() { # $1 label, $2 inflight, rest extra args
  local label=$1 inflight=$2; shift 2
  local total=0 tx=0 rx=0
  for _ in $(seq "$runs"); do
    read -r t btx brx retries < <(measure "$inflight" "$@")
    total=$(python3 -c "print($total+$t)"); tx=$btx; rx=$brx
  done
  python3 - "$label" "$total" "$runs" "$tx" "$rx" "$baud" <<'PY'
import sys
label,total,runs,tx,rx,baud=sys.argv[1],float(sys.argv[2]),int(sys.argv[3]),int(sys.argv[4]),int(sys.argv[5]),int(sys.argv[6])
mean=total/runs
# Serial is full duplex: the lower bound is the busier direction's wire time.
bound=max(tx,rx)*10/baud
print(f"{label:<34} mean {mean*1000:8.1f} ms  bytes tx/rx {tx:5}/{rx:5}  wire bound {bound*1000:7.1f} ms  ratio {mean/bound:5.2f}")
PY
}

echo "pawdiag info, $model, $runs runs each, PTY at $baud baud ($profile build)"
report "no self-test, pipelined (4)" 4 --no-selftest
report "no self-test, one at a time (1)" 1 --no-selftest
report "with self-test, pipelined (4)" 4
report "with self-test, one at a time (1)" 1

#!/usr/bin/env bash
# Benchmark of replaying a recorded session: a full bench sweep (`pawdiag
# diagnose` without --flow: every self-test and every automatic check of
# every flow) of a simulated device on a real pseudo-terminal paced at
# 115200 baud, recorded with --record; then the same sweep replayed from
# the recording and from its report (`replay:FILE`, no device, no pacing).
# Prints each mean wall time (process start included) and the replay's
# share of the live session's time.
# Usage: scripts/bench-replay.sh [runs] [model]
# Debug build by default; BENCH_RELEASE=1 for release.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
model=${2:-pettracker}
baud=115200
if [ "${BENCH_RELEASE:-0}" = 1 ]; then
  cargo build --release -q; bin=target/release/pawdiag; profile=release
else
  cargo build -q; bin=target/debug/pawdiag; profile=debug
fi
work=$(mktemp -d)
fifo="$work/fifo"; mkfifo "$fifo"
"$bin" sim serve --model "$model" --baud "$baud" >"$fifo" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
read -r pty <"$fifo"
export PAWDIAG_REPORT_DIR="$work/reports" NO_COLOR=1

now() { date +%s.%N; }

# $1 = label, rest = diagnose arguments; prints the mean seconds.
timed() {
  local label=$1; shift
  local total=0 start end
  for i in $(seq "$runs"); do
    start=$(now)
    "$bin" diagnose "$@" --non-interactive --json >"$work/out-$label-$i.json" 2>/dev/null || true
    end=$(now)
    total=$(python3 -c "print($total + $end - $start)")
  done
  python3 -c "print($total / $runs)"
}

live=$(timed live "serial:$pty" --record "$work/sweep.rec" --report "$work/sweep.json")
from_rec=$(timed rec "replay:$work/sweep.rec")
from_report=$(timed report "replay:$work/sweep.json")
python3 - "$live" "$from_rec" "$from_report" "$work" "$runs" <<'PY'
import json, sys
live, rec, rep = map(float, sys.argv[1:4])
work, runs = sys.argv[4], int(sys.argv[5])
def outcome(label):
    return json.load(open(f"{work}/out-{label}-{runs}.json"))["outcome"]
same = outcome("live") == outcome("rec") == outcome("report")
print(f"live sweep over a PTY at 115200 baud   {live*1000:8.1f} ms")
print(f"replayed from its recording            {rec*1000:8.1f} ms  ({100*rec/live:4.2f}% of live)")
print(f"replayed from its report               {rep*1000:8.1f} ms  ({100*rep/live:4.2f}% of live)")
print(f"same verdict: {same} ({outcome('live')['code']})")
PY
echo "($model, $runs runs each, $profile build)"

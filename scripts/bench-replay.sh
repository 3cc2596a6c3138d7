#!/usr/bin/env bash
# Benchmark of replaying a recorded session: a full bench sweep (`pawdiag
# diagnose` without --flow: every self-test and every automatic check of
# every flow) of a simulated device on a real pseudo-terminal paced at
# 115200 baud, recorded with --record; then the same sweep replayed from
# the recording and from its report (`replay:FILE`, no device, no pacing).
# Prints, for each, the mean session time (`session_ms` of `--json`: from
# opening the device to the diagnosis, what replaying saves) and the mean
# wall time of the whole command (process start, loading the flows and
# writing the report with fsync included: costs live and replay share),
# and the replay's share of the live session's time.
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
def runs_of(label):
    return [json.load(open(f"{work}/out-{label}-{i}.json")) for i in range(1, runs + 1)]
def session(label):
    return sum(o["session_ms"] for o in runs_of(label)) / runs
s_live, s_rec, s_rep = session("live"), session("rec"), session("report")
same = all(o["outcome"] == runs_of("live")[0]["outcome"] for l in ("live", "rec", "report") for o in runs_of(l))
print(f"{'':38} {'session':>10} {'whole command':>15}")
print(f"{'live sweep over a PTY at 115200 baud':38} {s_live:8.1f} ms {live*1000:11.1f} ms")
print(f"{'replayed from its recording':38} {s_rec:8.1f} ms {rec*1000:11.1f} ms   {100*s_rec/s_live:5.2f}% / {100*rec/live:5.2f}% of live")
print(f"{'replayed from its report':38} {s_rep:8.1f} ms {rep*1000:11.1f} ms   {100*s_rep/s_live:5.2f}% / {100*rep/live:5.2f}% of live")
print(f"same verdict in every run: {same} ({runs_of('live')[0]['outcome']['code']})")
PY
echo "($model, $runs runs each, $profile build)"

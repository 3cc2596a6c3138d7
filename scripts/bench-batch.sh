#!/usr/bin/env bash
# Benchmark of `pawdiag batch` over 1, 8, 32 and 64 simulated devices, each
# on its own pseudo-terminal paced at 115200 baud (`pawdiag sim serve`),
# all run at once (--jobs N). Prints each run's wall time, its ratio to the
# one-device run, and pawdiag's peak resident memory (GNU time's "Maximum
# resident set size"). Goal: 64 devices in at most 1.25x the time of one,
# peak RSS at most 64 MiB. Not a timed test: numbers depend on the machine.
#
# Usage: scripts/bench-batch.sh [runs-per-size] [model] [flow]
#   runs-per-size  repeats per size, the median is shown (default 3)
#   model          pettracker | healthmonitor | smartcollar (default pettracker)
#   flow           a flow id, or empty for the full sweep (default: sweep)
# Environment: PROFILE=release builds and runs the release binary (default
# debug: ratios hold, absolute times are slower); SIZES="1 8 32 64".
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
model=${2:-pettracker}
flow=${3:-}
sizes=${SIZES:-"1 8 32 64"}
profile=${PROFILE:-debug}
baud=115200

if [[ ! -x /usr/bin/time ]]; then
  echo "needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2
  exit 2
fi
if [[ $profile == release ]]; then
  cargo build --release -q
  bin=target/release/pawdiag
else
  cargo build -q
  bin=target/debug/pawdiag
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Serves n devices; sets $server and writes their paths to $work/ptys.
serve() {
  local n=$1
  : >"$work/ptys"
  "$bin" sim serve --model "$model" --count "$n" --baud "$baud" >"$work/ptys" 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 200); do
    [[ $(wc -l <"$work/ptys") -ge $n ]] && return 0
    sleep 0.05
  done
  echo "sim serve did not list $n devices: $(cat "$work/serve.err")" >&2
  exit 1
}

stop_serving() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

# One batch run over the served devices: prints "seconds rss_kib failures".
run_batch() {
  local n=$1 out=$work/out-$RANDOM
  {
    echo "device,flow,ticket"
    local i=0
    while read -r pty; do
      i=$((i + 1))
      echo "serial:$pty,$flow,BENCH-$i"
    done <"$work/ptys"
  } >"$work/manifest.csv"
  /usr/bin/time -v -o "$work/time.txt" \
    "$bin" -q batch "$work/manifest.csv" --out "$out" --jobs "$n" >"$work/lines.jsonl" 2>"$work/batch.err" || true
  python3 - "$work/time.txt" "$work/lines.jsonl" "$n" <<'PY'
import json, re, sys
t = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
h, m, s = wall.groups()
secs = int(h or 0) * 3600 + int(m) * 60 + float(s)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
lines = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
failed = sum(1 for l in lines if l.get("error")) + (int(sys.argv[3]) - len(lines))
print(f"{secs} {rss} {failed}")
PY
}

median() { python3 -c 'import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

echo "pawdiag batch, $model, ${flow:-full sweep}, PTY devices at $baud baud, $profile build, median of $runs runs"
printf "%8s %10s %12s %14s %9s\n" devices "wall (s)" "vs 1 device" "peak RSS MiB" failures
base=""
for n in $sizes; do
  serve "$n"
  walls=(); rsss=(); fails=0
  for _ in $(seq "$runs"); do
    read -r w r f < <(run_batch "$n")
    walls+=("$w"); rsss+=("$r"); fails=$((fails + f))
  done
  stop_serving
  wall=$(median "${walls[@]}")
  rss=$(python3 -c 'import sys; print(max(int(x) for x in sys.argv[1:]))' "${rsss[@]}")
  [[ -z $base ]] && base=$wall
  python3 - "$n" "$wall" "$base" "$rss" "$fails" <<'PY'
import sys
n, wall, base, rss, fails = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
print(f"{n:>8} {wall:10.2f} {wall / base:11.2f}x {rss / 1024:14.1f} {fails:>9}")
PY
done

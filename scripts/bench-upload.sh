#!/usr/bin/env bash
# Benchmark of sending reports to a local Request Tracker 5: starts a
# throwaway RT (fresh SQLite database, $BcryptCost 4, Starlet with 2 workers
# on a free loopback port, as tests/helpdesk.rs does), then times
#   - `report upload` of 1 saved report, and of 64 in one command;
#   - `batch` of 1 and of 64 simulated devices, with and without --upload
#     (the difference is what uploading adds to a returns-centre run).
# Each figure is the median of several runs; every run uses a fresh data
# directory (no local record of earlier uploads) and new reports, so every
# upload really creates a ticket. Not a timed test: numbers depend on the
# machine. Needs request-tracker5 rt5-db-sqlite rt5-standalone (.ci/run
# installs them), curl and python3.
#
# Usage: scripts/bench-upload.sh [runs] (default 3)
# Environment: PROFILE=release builds and runs the release binary (default
# debug); COUNT=64 sets the large size.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
count=${COUNT:-64}
profile=${PROFILE:-debug}
for f in /usr/sbin/rt-setup-database-5 /usr/share/request-tracker5/libexec/rt-server; do
  [[ -x $f ]] || { echo "$f is missing: apt-get install --no-install-recommends request-tracker5 rt5-db-sqlite rt5-standalone" >&2; exit 2; }
done
if [[ $profile == release ]]; then
  cargo build --release -q; bin=$PWD/target/release/pawdiag
else
  cargo build -q; bin=$PWD/target/debug/pawdiag
fi

work=$(mktemp -d)
server=""
cleanup() {
  # SIGTERM: rt-server run as root chowns its directory on SIGINT.
  if [[ -n $server ]]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- A throwaway RT.
mkdir -p "$work/conf"
cp tests/rt/99-pawdiag.pm "$work/conf/"
cat >"$work/data.pl" <<'DATA'
@CustomFields = ({ Name => 'DiagnosticId', Type => 'FreeformSingle',
                   LookupType => 'RT::Queue-RT::Ticket', Queue => 'General' });
1;
DATA
export RT_SITE_CONFIG_DIR=$work/conf RT_DB_FILE=$work/rt.sqlite
RT_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
export RT_PORT
echo "bench-root-pw" >"$work/rootpw"
/usr/sbin/rt-setup-database-5 --action init --skip-create --root-password-file "$work/rootpw" >"$work/setup.log" 2>&1
/usr/sbin/rt-setup-database-5 --action insert --skip-create --datafile "$work/data.pl" >>"$work/setup.log" 2>&1
/usr/share/request-tracker5/libexec/rt-server --server Starlet --host 127.0.0.1 --port "$RT_PORT" \
  --max-workers 2 >"$work/server.log" 2>&1 &
server=$!
export PAWDIAG_HELPDESK_URL=http://127.0.0.1:$RT_PORT PAWDIAG_HELPDESK_USER=root PAWDIAG_HELPDESK_PASSWORD=bench-root-pw
export PAWDIAG_CONFIG=$work/none.toml NO_COLOR=1
unset PAWDIAG_HELPDESK_TOKEN PAWDIAG_HELPDESK_QUEUE PAWDIAG_DEVICE PAWDIAG_FLOWS
for _ in $(seq 600); do
  curl -sf -o /dev/null -u "root:bench-root-pw" "$PAWDIAG_HELPDESK_URL/REST/2.0/rt" && break
  sleep 0.1
done

now() { date +%s.%N; }
median() { python3 -c 'import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
run_id=0

# A manifest of n simulated trackers with serials no other run uses.
manifest() {
  local n=$1 file=$work/m-$run_id.csv
  echo "device,flow,ticket" >"$file"
  for i in $(seq "$n"); do
    printf 'sim:pettracker?serial=PT-B%04d-%04d&fault=gps-antenna-open,pettracker/gps-not-working,T-%d\n' "$run_id" "$i" "$i" >>"$file"
  done
  echo "$file"
}

# Seconds for one batch of n devices (with extra flags); fails loudly when
# an upload did not make a ticket.
time_batch() {
  local n=$1; shift
  run_id=$((run_id + 1))
  local m; m=$(manifest "$n")
  local t0 t1
  t0=$(now)
  XDG_DATA_HOME=$work/data-$run_id "$bin" -q batch "$m" --out "$work/out-$run_id" --jobs "$n" "$@" \
    >"$work/lines-$run_id.jsonl" 2>"$work/err-$run_id" || true
  t1=$(now)
  if [[ " $* " == *" --upload "* ]]; then
    python3 - "$work/lines-$run_id.jsonl" "$n" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
made = sum(1 for l in lines if (l.get("upload") or {}).get("status") == "created")
if made != int(sys.argv[2]):
    sys.exit(f"only {made} of {sys.argv[2]} uploads made a ticket: {lines[:1]}")
PY
  fi
  python3 -c "print($t1 - $t0)"
}

# Seconds for `report upload` of the n reports a plain batch wrote.
time_upload() {
  local n=$1
  run_id=$((run_id + 1))
  local m; m=$(manifest "$n")
  XDG_DATA_HOME=$work/data-$run_id "$bin" -q batch "$m" --out "$work/out-$run_id" --jobs "$n" >/dev/null 2>&1 || true
  local t0 t1
  t0=$(now)
  XDG_DATA_HOME=$work/data-$run_id "$bin" report upload --json "$work/out-$run_id"/*.json >"$work/up-$run_id.jsonl"
  t1=$(now)
  local made; made=$(grep -c '"status":"created"' "$work/up-$run_id.jsonl")
  [[ $made -eq $n ]] || { echo "only $made of $n uploads made a ticket" >&2; exit 1; }
  python3 -c "print($t1 - $t0)"
}

measure() { local xs=(); for _ in $(seq "$runs"); do xs+=("$("$@")"); done; median "${xs[@]}"; }

# The floor: n bare creates of a ticket with the same two attachments, one
# after another with curl (RT's own cost, no search, no pawdiag).
time_curl() {
  local n=$1 one
  one=$(ls "$work"/out-*/*.json | head -1)
  "$bin" report render "$one" --format html >"$work/one.html"
  python3 - "$one" "$work/one.html" >"$work/body.json" <<'PY'
import base64, json, sys
att = lambda p, t: {"FileName": p.split("/")[-1], "FileType": t,
                    "FileContent": base64.b64encode(open(p, "rb").read()).decode()}
print(json.dumps({"Queue": "General", "Subject": "bench", "Content": "bench", "ContentType": "text/plain",
                  "Attachments": [att(sys.argv[1], "application/json"), att(sys.argv[2], "text/html")]}))
PY
  local t0 t1
  t0=$(now)
  for _ in $(seq "$n"); do
    curl -sf -o /dev/null -u "root:bench-root-pw" -H 'Content-Type: application/json' \
      --data-binary @"$work/body.json" "$PAWDIAG_HELPDESK_URL/REST/2.0/ticket"
  done
  t1=$(now)
  python3 -c "print($t1 - $t0)"
}

echo "Uploads to Request Tracker $(curl -s -u root:bench-root-pw "$PAWDIAG_HELPDESK_URL/REST/2.0/rt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Version"])') on 127.0.0.1 (SQLite, 2 workers, BcryptCost 4), $profile build, median of $runs runs"
up1=$(measure time_upload 1)
upn=$(measure time_upload "$count")
b1=$(measure time_batch 1)
b1u=$(measure time_batch 1 --upload)
bn=$(measure time_batch "$count")
bnu=$(measure time_batch "$count" --upload)
curln=$(measure time_curl "$count")
python3 - "$count" "$up1" "$upn" "$b1" "$b1u" "$bn" "$bnu" "$curln" <<'PY'
import sys
n = int(sys.argv[1]); up1, upn, b1, b1u, bn, bnu, curln = map(float, sys.argv[2:])
print(f"{'what':46} {'wall (s)':>9} {'per report':>11}")
print(f"{f'curl: {n} bare creates with the attachments':46} {curln:9.2f} {curln / n:10.3f}s")
print(f"{'report upload, 1 report':46} {up1:9.2f} {up1:10.3f}s")
print(f"{f'report upload, {n} reports (one command)':46} {upn:9.2f} {upn / n:10.3f}s")
print(f"{'batch, 1 device':46} {b1:9.2f}")
print(f"{'batch --upload, 1 device':46} {b1u:9.2f}   (+{b1u - b1:.2f} s)")
print(f"{f'batch, {n} devices':46} {bn:9.2f}")
print(f"{f'batch --upload, {n} devices':46} {bnu:9.2f}   (+{bnu - bn:.2f} s, {bnu / bn:.2f}x the batch without)")
print(f"{n} uploads in one command take {upn / up1:.1f}x the time of 1 and {upn / curln:.2f}x the bare creates;"
      f" batch --upload of {n} takes {bnu / b1u:.2f}x that of 1")
PY

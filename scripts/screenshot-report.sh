#!/usr/bin/env bash
# Renders the sample reports (every scenario of tests/report.rs) and takes a
# headless-Chromium screenshot of each HTML report, on screen and as printed
# (PDF), so a person can look at them. Not run in CI.
#
#   scripts/screenshot-report.sh [OUT_DIR]      (default: target/report-samples)
#
# Needs chromium (Debian: apt-get install chromium). Runs with --no-sandbox,
# which Chromium requires as root; no network is used (the reports load
# nothing, and their Content-Security-Policy forbids it anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/report-samples}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

PAWDIAG_REPORT_SAMPLES="$out" cargo test --quiet --test report write_samples_when_asked >/dev/null

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
    echo "error: chromium not found" >&2
    echo "  hint: apt-get update && apt-get install -y chromium" >&2
    exit 1
fi

shoot() { # html png [extra args]
    local html="$1" png="$2"
    shift 2
    local profile
    profile="$(mktemp -d)"
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" "$@" "file://$html" 2>/dev/null \
        --screenshot="$png" >/dev/null || true
    rm -rf "$profile"
}

for html in "$out"/*.html; do
    name="$(basename "$html" .html)"
    shoot "$html" "$out/$name.png" --window-size=1200,1800
    shoot "$html" "$out/$name-narrow.png" --window-size=420,1400
    profile="$(mktemp -d)"
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --no-pdf-header-footer --print-to-pdf="$out/$name.pdf" \
        "file://$html" >/dev/null 2>&1 || true
    rm -rf "$profile"
    echo "$out/$name.png $out/$name-narrow.png $out/$name.pdf"
done

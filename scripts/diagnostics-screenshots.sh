#!/usr/bin/env bash
# Makes the screenshots of docs/diagnostics.md (docs/img/report-*.png) with headless Chromium.
#   scripts/diagnostics-screenshots.sh [BUILD_DIR]      from a real run of the seed example
#                                                        (examples/seed_profile.lua) built by
#                                                        BUILD_DIR/cdaskc (default: build)
#   scripts/diagnostics-screenshots.sh --page REPORT.html   from a report page already written
# A Perfetto screenshot needs ui.perfetto.dev (the network): it is not made here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/cdask_screenshots_XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = "--page" ]; then
  page=$(realpath "$2")
else
  build=$(realpath "${1:-$root/build}")
  # from the repository's root, so that the page names the script as the docs do
  (cd "$root" && "$build/cdaskc" examples/seed_profile.lua -o "$work/seed_profile" >/dev/null)
  # samples every 10 ms: the run takes a fraction of a second
  (cd "$work" && ./seed_profile --resources-dt 0.01 --report report.html >/dev/null)
  page=$work/report.html
fi

chrome() {
  chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$work/profile" \
    --hide-scrollbars --force-device-scale-factor=1 "$@" "file://$page" 2>/dev/null
}
shot() { # shot OUT.png HEIGHT: the top HEIGHT pixels of the page, 1200 wide
  chrome --window-size=1200,"$2" --screenshot="$1"
}
# the page's height once drawn, and the viewport's in a 1000 pixel high window (shorter: the
# window's own bars), written by the template into <body data-height data-viewport>
body=$(chrome --window-size=1200,1000 --dump-dom | grep -o '<body [^>]*>')
height=$(sed -n 's/.*data-height="\([0-9]*\)".*/\1/p' <<<"$body")
viewport=$(sed -n 's/.*data-viewport="\([0-9]*\)".*/\1/p' <<<"$body")
extra=$((1000 - ${viewport:-1000}))
mkdir -p "$root/docs/img"
shot "$root/docs/img/report-full.png" $((${height:-1900} + extra))
shot "$root/docs/img/report-summary.png" $((590 + extra)) # the summary and the task stream
echo "wrote docs/img/report-full.png docs/img/report-summary.png"

#!/usr/bin/env bash
# Measures the desktop application on a big store, on a private X server:
#   cold-start-ms   from launch until the main window ("Kordon — …") is mapped
#   rss-records-mb  resident memory after opening the Records list
# Usage: .ci/guibench.sh BINARY DATA_FOLDER   (prints "name value" lines)
set -euo pipefail
bin=$(realpath "$1")
data=$(realpath "$2")
work=$(mktemp -d)
xpid= apid=
cleanup() {
	if [ -n "$apid" ]; then kill "$apid" 2>/dev/null || true; wait "$apid" 2>/dev/null || true; fi
	if [ -n "$xpid" ]; then kill "$xpid" 2>/dev/null || true; wait "$xpid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
d=80
while [ -e "/tmp/.X$d-lock" ] || [ -e "/tmp/.X11-unix/X$d" ]; do d=$((d + 1)); done
export DISPLAY=:$d HOME=$work LANG=en_US.UTF-8 KORDON_LANG=en KORDON_DATA=$data
Xvfb "$DISPLAY" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xpid=$!
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done
# Drop the store from the page cache is not possible without root rights on
# every machine; the figure is a warm-disk cold start of the process.
start=$(date +%s%N)
"$bin" >/dev/null 2>&1 &
apid=$!
until xdotool search --name "^Kordon" >/dev/null 2>&1; do
	sleep 0.01
	kill -0 "$apid" 2>/dev/null || { echo "the application exited" >&2; exit 1; }
done
end=$(date +%s%N)
echo "cold-start-ms $(( (end - start) / 1000000 ))"
sleep 2
echo "rss-start-mb $(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$apid/status")"
win=$(xdotool search --name "^Kordon" | head -1)
xdotool windowactivate --sync "$win" 2>/dev/null || true
# The Records entry is the third in the navigation column.
xdotool mousemove --window "$win" 60 102 click 1
sleep 3
[ -n "${SHOT:-}" ] && import -window root "$SHOT"
rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$apid/status")
echo "rss-records-mb $rss"

#!/usr/bin/env bash
# Screenshots of the desktop application for docs/screenshots.
#
# Usage: .ci/screenshots.sh BINARY OUTDIR
#
# Fills a fresh training data folder (kordon demo), starts the application
# in Russian on a private X server (Xvfb, 1366×768), drives it with xdotool
# and writes dashboard.png, records.png, record.png, form.png, search.png,
# links.png, links-network.png, tracing.png, tracing-item.png and
# problems.png to OUTDIR, and the first page of a tracing request
# (trace-request.png).
# Then it sets up a post (KZ-DOS) that trusts that office, writes a bundle
# from the post's Export screen to a folder standing for a USB stick
# (export.png), and imports the stick's bundles, a damaged one among them, on
# the office's Import screen (import.png) and one of the post's records there,
# read-only (office-record.png), and the post's Settings with its backup
# (settings.png).
# Needs Xvfb, xdotool, ImageMagick's import, sqlite3 and pdftoppm. Safe to run again:
# everything it makes lives in a temporary folder, and OUTDIR's files are
# replaced.
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 BINARY OUTDIR" >&2
	exit 2
fi
bin=$(realpath "$1")
out=$2
mkdir -p "$out"
out=$(realpath "$out")

work=$(mktemp -d)
xpid=
apid=
cleanup() {
	# Stop the application, then the X server, and wait for both, so that
	# nothing still writes into the temporary folder being removed.
	if [ -n "$apid" ]; then kill "$apid" 2>/dev/null || true; wait "$apid" 2>/dev/null || true; fi
	if [ -n "$xpid" ]; then kill "$xpid" 2>/dev/null || true; wait "$xpid" 2>/dev/null || true; fi
	rm -rf "$work" || true
}
trap cleanup EXIT

data=$work/data
export HOME=$work/home TZ=Asia/Almaty LANG=ru_RU.UTF-8 KORDON_DATA=$data
mkdir -p "$HOME"
"$bin" --data "$data" demo --records 300 --seed 7 >/dev/null 2>&1
# The UN Security Council list the office screens against, when the shared
# data is beside the repository.
unlist=$(dirname "$0")/../../shared/data/un-sc-consolidated-2020-03-20.xml
if [ -f "$unlist" ]; then "$bin" --data "$data" screening load "$unlist" >/dev/null 2>&1 || true; fi
# The post's own settings, as an officer would give them in Settings.
sqlite3 "$data/kordon.db" "INSERT OR REPLACE INTO meta(key, value) VALUES
	('post_name', 'Достык (учебный)'),
	('crossing_points', 'Достык (авто)' || char(10) || 'Достык (ж/д)'),
	('officer_name', 'Серикбаев А. К.'), ('officer_rank', 'капитан'), ('lang', 'ru')"

# A display number nobody uses.
d=${SCREENSHOTS_DISPLAY:-90}
while [ -e "/tmp/.X$d-lock" ] || [ -e "/tmp/.X11-unix/X$d" ]; do d=$((d + 1)); done
export DISPLAY=:$d
Xvfb "$DISPLAY" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xpid=$!
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

# start DATA: the application on the data folder DATA, its window filling
# the screen; stop: close it and wait until it has stopped.
start() {
	KORDON_DATA=$1 "$bin" >>"$work/app.log" 2>&1 &
	apid=$!
	wid=$(xdotool search --sync --name '^Kordon' | head -1)
	xdotool windowmove "$wid" 0 0 windowsize "$wid" 1366 768
	sleep 3
}
stop() {
	kill "$apid" 2>/dev/null || true
	wait "$apid" 2>/dev/null || true
	apid=
	sleep 1
}
start "$data"

# click X Y: press and release, as a person does (glfw drops instant clicks).
click() {
	xdotool mousemove "$1" "$2"
	sleep 0.3
	xdotool mousedown 1
	sleep 0.1
	xdotool mouseup 1
	sleep "${3:-1.5}"
}
shot() { /usr/bin/import -window root "$out/$1.png"; }
scroll() {
	xdotool mousemove 1359 450 # on the scroll bar: fields take the wheel for themselves
	for _ in $(seq "$1"); do xdotool click 5; done
	sleep 1
}

shot dashboard
click 50 100     # Records
shot records
click 400 184    # the newest record
shot record
click 1019 25 4  # Edit
scroll 42        # down to the items
shot form
# A search by part of a serial number: each hit says where it was found.
serial=$(sqlite3 "$data/kordon.db" "SELECT key FROM serials WHERE length(key) >= 8 ORDER BY rowid LIMIT 1")
click 50 100     # Records
xdotool key ctrl+f
sleep 0.5
xdotool type --delay 60 "${serial:2:5}"
xdotool key Return
sleep 2
shot search
# The office's links: the clusters, then the newest one's network and
# timeline.
click 50 142 3   # Links
shot links
click 300 160 4  # the newest cluster
shot links-network
# The office's tracing work list, overdue requests first, and the first
# one opened with the form that records its answer.
click 50 184 3   # Tracing
shot tracing
click 300 262 3  # the first item
shot tracing-item
# A new record finalised too early: the problems are counted in the top
# bar, the sections marked, the first few listed.
xdotool key ctrl+n
sleep 2
click 1196 25 3  # Finalise
shot problems
stop

# A post that trusts the office and the office that trusts it, with two
# bundles already on the stick (the first imported and acknowledged) and one
# more record to export.
post=$work/post
usb=$HOME/USB
mkdir -p "$usb" "$work/keys"
kordon() { "$bin" "$@" >>"$work/cli.log" 2>&1; }
kordon --data "$post" init --post KZ-DOS --name 'Достык'
kordon --data "$post" keys export --out "$work/keys/post.pub"
kordon --data "$data" keys export --out "$work/keys/office.pub"
kordon --data "$data" keys trust "$work/keys/post.pub" --yes
kordon --data "$post" keys trust "$work/keys/office.pub" --yes
testdata=$(realpath "$(dirname "$0")/../testdata")
# addrec N adds the example record as the N-th of its own (the same input
# twice is added once).
addrec() {
	sed "s/Водитель от объяснений отказался./Запись $1./" "$testdata/record.json" >"$work/record-$1.json"
	kordon --data "$post" record add --photos "$testdata" "$work/record-$1.json"
}
for n in 1 2; do
	addrec "$n"
	kordon --data "$post" export --out "$usb" --to "$work/keys/office.pub"
done
addrec 3
kordon --data "$data" import "$usb/KZ-DOS-000001.kordon"
kordon --data "$data" receipt --post KZ-DOS --out "$work/receipt.txt"
kordon --data "$post" import "$work/receipt.txt"
# A copy of bundle 2 damaged on the way: the office must refuse it.
cp "$usb/KZ-DOS-000002.kordon" "$usb/KZ-DOS-000002-copy.kordon"
printf '\x00\x00\x00\x00' | dd of="$usb/KZ-DOS-000002-copy.kordon" bs=1 conv=notrunc \
	seek=$(($(stat -c %s "$usb/KZ-DOS-000002.kordon") / 2)) 2>/dev/null

start "$post"
click 46 184     # Export
click 1274 73    # Choose folder…: the dialog opens in the home folder
click 548 240 1  # USB
click 1067 642   # Open
click 211 152 4  # Write bundle
shot export
click 46 226     # Settings
scroll 20        # down to the backup
shot settings
stop

start "$data"
click 41 226     # Import
click 568 73     # Import every bundle in a folder…
click 548 240 1  # USB
click 1067 642 5 # Open
shot import
click 50 100     # Records
click 400 184 3  # the newest: a record of the post, read-only here
shot office-record
stop

# The new-record form with a firearm in the languages whose labels run long
# or have letters of their own: the form comes back from the unsaved slot,
# as after a power cut, and Continue editing opens it.
unsaved='{"id":"5b0c6c1e-8f1a-4d5e-9a57-0d6c2a6e4f10","version":0,"status":"draft","post_code":"KZ-TRN",
"officers":[{"name":"Серикбаев А. К.","rank":"капитан"}],"occurred_at":"2026-11-26T14:30:00+05:00",
"crossing_point":"Достык (авто)","location_type":"road","direction":"entry","recovery":"seized",
"legal_basis":"illicit_import","transport":"truck","conveyance":{"plate":"777 ABC 02","country":"KZ"},
"route":{"departure":"CN","destination":"KZ"},"items":[{"id":"0f7d5f2e-3c55-4c1b-8d0e-8f5a4e2b9c01",
"kind":"firearm","quantity":1,"description":"АКМ в тайнике","firearm":{"category":"assault_rifle",
"make":"Izhmash","model":"AKM","calibre":{"code":"7.62x39","stamped":"7,62"},
"serials":[{"part":"frame","number":"ЛХ 1234","state":"partly_obliterated"}],"country_marked":"RU","condition":"factory"}}]}'
for lang in kk tg tk uz; do
	sqlite3 "$data/kordon.db" "INSERT OR REPLACE INTO meta(key, value) VALUES
		('lang', '$lang'), ('ui_unsaved', '$unsaved')"
	start "$data"
	# The application sizes its window once shown; make sure it fills the screen.
	xdotool windowmove "$wid" 0 0 windowsize "$wid" 1366 768
	sleep 1
	click 743 449 2 # Continue editing: the dialog's right-hand button
	scroll 42       # down to the item
	shot "form-$lang"
	stop
done

# The first page of a tracing request, in Russian beside English.
item=$("$bin" --data "$data" --lang en trace list --limit 1 | head -1 | cut -d' ' -f1)
"$bin" --data "$data" --lang ru trace request "$item" --to DE --out "$work/request.pdf" >>"$work/cli.log" 2>&1
pdftoppm -png -r 80 -f 1 -l 1 "$work/request.pdf" "$work/request"
mv "$work"/request-*1.png "$out/trace-request.png"
echo "screenshots in $out"

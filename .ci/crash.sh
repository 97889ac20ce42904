#!/usr/bin/env bash
# The crash campaign: kill -9 the real binary at random moments while it
# adds records, exports bundles and imports them, ROUNDS times each; after
# every kill the same command is run again to completion, as an officer
# would after a power cut. At the end every folder must pass SQLite's
# integrity check and the audit, and the counts must add up: every record
# added exactly once, every record at the office, no bundle refused.
# Usage: .ci/crash.sh BINARY [ROUNDS]
set -euo pipefail
bin=$(realpath "$1")
rounds=${2:-20}
per=40 # records per input file
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LANG=en_US.UTF-8 KORDON_LANG=en HOME=$work
post=$work/post office=$work/office stick=$work/stick keys=$work/keys
mkdir -p "$stick" "$keys"
k() { "$bin" "$@"; }
k --data "$post" init --post KZ-DOS --name "Достык" --points "Достык (авто)" >/dev/null
k --data "$office" init --office --post KZ-ALM --name "Алматы" >/dev/null
k --data "$post" keys export --out "$keys/post.pub" >/dev/null
k --data "$office" keys export --out "$keys/office.pub" >/dev/null
k --data "$office" keys trust "$keys/post.pub" --yes >/dev/null
k --data "$post" keys trust "$keys/office.pub" --yes >/dev/null

# input N writes the N-th input file: $per final records of their own.
input() {
	local f=$work/input-$1.json
	{
		echo "["
		for i in $(seq "$per"); do
			[ "$i" -gt 1 ] && echo ","
			cat <<JSON
{"status": "final", "post_code": "KZ-DOS", "officers": [{"name": "Қасымов Ерлан"}],
 "occurred_at": "2026-02-10T09:30:00+05:00", "crossing_point": "Достык (авто)", "location_type": "road",
 "direction": "entry", "recovery": "seized", "legal_basis": "illicit_import", "detection": ["xray"], "transport": "truck",
 "remarks": "Партия $1, запись $i.",
 "people": [{"role": "driver", "name": "Ўринов Жасур", "name_latin": "URINOV JASUR", "document_number": "FA$1$i"}],
 "items": [{"kind": "firearm", "quantity": 1, "firearm": {"category": "assault_rifle", "make": "Izhmash",
   "calibre": {"code": "7.62x39"}, "serials": [{"part": "receiver", "number": "ХА $1-$i"}]}}]}
JSON
		done
		echo "]"
	} >"$f"
	echo "$f"
}

# killed CMD… runs the command and kills it with SIGKILL after a random
# delay up to the time the same kind of command took; it prints 1 when the
# kill came before the command ended.
declare -A took=([add]=300 [export]=300 [import]=300)
killed() {
	local kind=$1; shift
	local delay=$((RANDOM % (took[$kind] + 1)))
	"$bin" "$@" >/dev/null 2>&1 &
	local pid=$!
	sleep "$(printf '0.%03d' "$delay")"
	if kill -9 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null || true
		echo 1
	else
		wait "$pid" 2>/dev/null || true
		echo 0
	fi
}

# timed KIND CMD… runs the command to completion, noting how long it took.
timed() {
	local kind=$1; shift
	local start end
	start=$(date +%s%N)
	"$bin" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; return 1; }
	end=$(date +%s%N)
	took[$kind]=$(((end - start) / 1000000))
	[ "${took[$kind]}" -ge 1 ] || took[$kind]=1
}

hit_add=0 hit_export=0 hit_import=0 resumed=0
for r in $(seq "$rounds"); do
	f=$(input "$r")
	hit_add=$((hit_add + $(killed add --data "$post" record add "$f")))
	timed add --data "$post" record add "$f"
	hit_export=$((hit_export + $(killed export --data "$post" export --out "$stick" --to "$keys/office.pub")))
	timed export --data "$post" export --out "$stick" --to "$keys/office.pub" || true
	grep -q "finished" "$work/out" && resumed=$((resumed + 1))
	# The export that was killed may have finished the bundle: then there is
	# nothing new, which is an answer, not a failure.
	hit_import=$((hit_import + $(killed import --data "$office" import "$stick"/*.kordon)))
	timed import --data "$office" import "$stick"/*.kordon
done
# Whatever is left: a pending bundle is finished, then imported.
k --data "$post" export --out "$stick" --to "$keys/office.pub" >/dev/null || true
k --data "$office" import "$stick"/*.kordon >/dev/null

count() { k --data "$1" record list --json --limit 100000 | grep -c '"id"'; }
want=$((rounds * per))
post_n=$(count "$post")
office_n=$(count "$office")
k --data "$post" audit >/dev/null
k --data "$office" audit >/dev/null
gaps=$(k --data "$office" posts --json | grep -c '"gaps": "' || true)
bundles=$(ls "$stick"/*.kordon | wc -l)

printf '%-44s %s\n' "rounds (kills of each command)" "$rounds"
printf '%-44s %s\n' "record add killed before it ended" "$hit_add"
printf '%-44s %s\n' "export killed before it ended" "$hit_export"
printf '%-44s %s\n' "exports that finished an interrupted bundle" "$resumed"
printf '%-44s %s\n' "import killed before it ended" "$hit_import"
printf '%-44s %s\n' "bundle files on the stick" "$bundles"
printf '%-44s %s\n' "records added (want $want)" "$post_n"
printf '%-44s %s\n' "records at the office (want $want)" "$office_n"
printf '%-44s %s\n' "posts with missing bundles (want 0)" "$gaps"
printf '%-44s %s\n' "integrity check and audit, post and office" "ok"
[ "$post_n" -eq "$want" ] && [ "$office_n" -eq "$want" ] && [ "$gaps" -eq 0 ]

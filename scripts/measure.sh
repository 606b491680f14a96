#!/usr/bin/env bash
# The whole-program figures of issue 18 against limits measured in the same
# run, on this machine: builds the release binary, makes the demo register and
# prints one table (docs/figures.md, "National scale", quotes it).
#
# Usage: scripts/measure.sh [CASES] [UNITS]     (default 100000 1000000)
#   RUNS=3    runs of each cheap measurement; the median is printed
#   KEEP=DIR  keep the register in DIR (else a temporary folder, removed)
#   BIN=PATH  measure this binary instead of building the release one
#
# Needs python3 and /usr/bin/time (GNU time). CPU is user + system time.
# Limits (scripts/limits.py): the demo against SQLite copying the same rows,
# schema and indexes into a fresh file in one transaction; `audit verify`
# against recomputing the journal's hash chain alone; the register's views
# against reading once the index their answer needs (python3's sqlite3); the
# console's memory against the console's own before the views are opened.
# Bytes per key come from scripts/frame-bytes.py when it is there.
set -euo pipefail
cases=${1:-100000}
units=${2:-1000000}
runs=${RUNS:-3}
cd "$(dirname "$0")/.."
root=$PWD
if [ -z "${BIN:-}" ]; then
    cargo build --release --locked --quiet
    bin="${CARGO_TARGET_DIR:-$root/target}/release/tizilim"
else
    bin=$BIN
fi
if [ -n "${KEEP:-}" ]; then
    dir=$KEEP
    mkdir -p "$dir"
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/tizilim-measure.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
fi
db=$dir/register.sqlite
rm -f "$db" "$db"-wal "$db"-shm "$db".witness
at=2026-11-24T12:00:00
export TIZILIM_LANG=en

# timed COMMAND...: runs it once under GNU time; prints "CPU WALL MB WRITTEN_MB".
timed() {
    local out
    out=$(mktemp)
    /usr/bin/time -o "$out" -f "%U %S %e %M %O" "$@" > /dev/null
    awk '{ printf "%.2f %.2f %.1f %.0f\n", $1 + $2, $3, $4 / 1024, $5 * 512 / 1048576 }' "$out"
    rm -f "$out"
}
# median: the median line of its input by the first field (CPU).
median() { sort -n | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'; }
# timed_n COMMAND...: `timed` RUNS times, the median run.
timed_n() { for _ in $(seq "$runs"); do timed "$@"; done | median; }
# limit_n COMMAND...: a limit script RUNS times, the median of its seconds.
limit_n() { for _ in $(seq "$runs"); do "$@" 2> /dev/null; done | sort -n | awk '{ l[NR] = $1 } END { print l[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "-" }'; }

index_scan() { # the index a view's answer needs, read once: CPU seconds
    python3 - "$db" "$1" << 'EOF'
import sqlite3, sys, time
db, what = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
sql = {
    "energy": "SELECT count(*), sum(power_kw), sum(hashrate_ths) FROM units"
              " INDEXED BY units_included_energy WHERE status = 'included'",
    "conflicts": "SELECT count(*) FROM (SELECT serial FROM units INDEXED BY units_serial"
                 " GROUP BY serial HAVING count(*) > 1)",
}[what]
t = time.process_time()
conn.execute(sql).fetchall()
print(f"{time.process_time() - t:.3f}")
EOF
}

echo "$("$bin" --version 2>/dev/null | head -1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)" >&2
echo "making the demo: --cases $cases --units $units ..." >&2
read -r demo_cpu demo_wall demo_mb demo_written < <(timed "$bin" --db "$db" demo --cases "$cases" --units "$units" --at "$at")
size_mb=$(du -m "$db" | cut -f1)
echo "bulk copy (the demo's limit) ..." >&2
copy_cpu=$(python3 scripts/limits.py bulk-copy "$db" "$dir/copy.sqlite" 2> /dev/null)
echo "audit verify ..." >&2
read -r audit_cpu audit_wall audit_mb _ < <(timed "$bin" --db "$db" audit verify)
chain_cpu=$(limit_n python3 scripts/limits.py hash-chain "$db")
echo "register energy, conflicts ($runs runs each) ..." >&2
read -r energy_cpu energy_wall energy_mb _ < <(timed_n "$bin" --db "$db" register energy --json)
energy_scan=$(limit_n index_scan energy)
read -r conflicts_cpu conflicts_wall conflicts_mb _ < <(timed_n "$bin" --db "$db" register conflicts --json)
conflicts_scan=$(limit_n index_scan conflicts)
echo "the console in a pty ..." >&2
declare -A mem
while read -r k v; do mem[$k]=$v; done < <(python3 scripts/console-memory.py "$bin" "$db")
mb() { awk -v k="${1:-0}" 'BEGIN { printf "%.1f", k / 1024 }'; }

printf '\n%s cases, %s units; the register %s MB; medians of %s runs where marked *\n\n' "$cases" "$units" "$size_mb" "$runs"
echo "| work | measured | limit, same run | ratio | goal |"
echo "|---|---|---|---|---|"
echo "| demo | $demo_cpu s CPU ($demo_wall s wall), $demo_mb MB, $demo_written MB written | bulk copy: $copy_cpu s CPU | $(ratio "$demo_cpu" "$copy_cpu") | ≤ 20 s CPU |"
echo "| audit verify | $audit_cpu s CPU ($audit_wall s wall), $audit_mb MB | hash chain alone*: $chain_cpu s CPU | $(ratio "$audit_cpu" "$chain_cpu") | ≤ 6 s, ≤ 128 MB |"
echo "| register energy --json* | $energy_cpu s CPU ($energy_wall s wall), $energy_mb MB | units_included_energy read once*: $energy_scan s | $(ratio "$energy_cpu" "$energy_scan") | ≤ 0.5 s, ≤ 32 MB (aim 0.19 s, 14 MB) |"
echo "| register conflicts --json* | $conflicts_cpu s CPU ($conflicts_wall s wall), $conflicts_mb MB | units_serial read once*: $conflicts_scan s | $(ratio "$conflicts_cpu" "$conflicts_scan") | ≤ 0.5 s, ≤ 32 MB (aim 0.37 s, 13 MB) |"
echo "| console, peak after Energy / Conflicts | $(mb "${mem[energy]:-}") MB / $(mb "${mem[conflicts]:-}") MB | the queue alone: $(mb "${mem[queue]:-}") MB | $(ratio "${mem[conflicts]:-0}" "${mem[queue]:-0}") | < 32 MB |"

if [ -x scripts/frame-bytes.py ]; then
    echo
    echo "bytes per key (scripts/frame-bytes.py, 80×24 pty):"
    scripts/frame-bytes.py --tizilim "$bin" --db "$db" || echo "scripts/frame-bytes.py failed ($?)"
else
    echo
    echo "bytes per key: scripts/frame-bytes.py is not here"
fi

#!/usr/bin/env bash
# Whole-program figures quoted in the README: the national-scale demo and the
# deadline monitor over it. Usage: scripts/measure.sh [CASES] [UNITS]
set -euo pipefail
cases=${1:-100000}
units=${2:-1000000}
cd "$(dirname "$0")/.."
cargo build --release --quiet
db=$(mktemp -d)/measure.sqlite
bin=target/release/tizilim
at=2026-11-24T12:00:00
t() { /usr/bin/time -f "  %e s wall, %M KB max RSS" "$@"; }
echo "demo --cases $cases --units $units:"
t $bin --db "$db" demo --cases "$cases" --units "$units" --at $at
echo "database: $(du -h "$db" | cut -f1)"
echo "deadlines --json (3 runs):"
for _ in 1 2 3; do t $bin --db "$db" deadlines --json --at $at > /dev/null; done
echo "running clocks: $($bin --db "$db" deadlines --json --at $at | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
echo "register export --format csv:"
t $bin --db "$db" register export > /dev/null
echo "audit verify:"
t $bin --db "$db" audit verify
rm -rf "$(dirname "$db")"

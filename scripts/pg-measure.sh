#!/usr/bin/env bash
# The register on PostgreSQL beside SQLite, whole-program figures (issue 22):
#
#   BIN=target/release/tizilim scripts/pg-measure.sh REGISTER.sqlite
#
# starts a throw-away cluster (scripts/pg-cluster.sh) in a temporary folder,
# copies REGISTER into it (`migrate --to URL`), runs `audit verify` and the
# register's faces on both engines, copies it back (`migrate --to FILE`),
# takes in ACTS (default 40) new applications on each copy and
# prints one table: CPU (user + system) and wall seconds, peak memory of the
# tizilim process (the server's own CPU is not in it: its wall time is). The
# register is read, never changed; run it as a user of that register.
# Needs /usr/bin/time (GNU time) and PostgreSQL's binaries.
set -euo pipefail
db=${1:?usage: BIN=… $0 REGISTER.sqlite}
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/tizilim}
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release, or BIN=…" >&2; exit 2; }
dir=$(mktemp -d -t tizilim-pgm.XXXXXX)
chmod 755 "$dir"
trap 'scripts/pg-cluster.sh stop "$dir/pg" > /dev/null 2>&1 || true; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server=$(scripts/pg-cluster.sh start "$dir/pg" "$port")
url="${server%/postgres}/register?sslmode=disable"
psql "$server" -qc "CREATE DATABASE register" > /dev/null

timed() {
    local out
    out=$(mktemp)
    /usr/bin/time -o "$out" -f "%U %S %e %M" "$@" > /dev/null
    awk '{ printf "%.2f s CPU, %.2f s wall, %.0f MB", $1 + $2, $3, $4 / 1024 }' "$out"
    rm -f "$out"
}

read -r cases units < <(python3 -c "import sqlite3,sys; c=sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True); print(c.execute('select count(*) from cases').fetchone()[0], c.execute('select count(*) from units').fetchone()[0])" "$db")
echo "register: $db ($cases cases, $units units); PostgreSQL: $(psql "$server" -Atc 'show server_version'), fsync on"
echo
echo "| work | SQLite file | PostgreSQL |"
echo "|---|---|---|"
to=$(timed "$bin" --db "$db" migrate --to "$url")
echo "| migrate --to URL (schema + every row, one transaction, chain re-hashed) | | $to |"
for args in "audit verify" "register energy --json" "register conflicts --json"; do
    # shellcheck disable=SC2086
    f=$(timed "$bin" --db "$db" $args)
    # shellcheck disable=SC2086
    p=$(timed "$bin" --db "$url" $args)
    echo "| $args | $f | $p |"
done
back=$(timed "$bin" --db "$url" migrate --to "$dir/back.sqlite")
echo "| migrate --to FILE (a new register file, chain re-hashed) | | $back |"

# Acts: N new portal applications taken in one process each, as a clerk's
# CLI runs them, on the copy back in a file and on the database (neither is
# the register given). Wall milliseconds per act, the median.
n=${ACTS:-40}
scripts/new-applications.py "$dir/apps" $((2 * n)) PGM
per_act() {
    local target=$1 from=$2 t0 t1 i
    for i in $(seq "$from" $((from + n - 1))); do
        t0=$(date +%s%N)
        "$bin" --db "$target" intake "$dir/apps/$i.json" --json > /dev/null
        t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 ))
    done | sort -n | awk '{ a[NR] = $1 } END { printf "%d ms (median of %d)", a[int((NR + 1) / 2)], NR }'
}
echo "| intake, one process an application | $(per_act "$dir/back.sqlite" 0) | $(per_act "$url" "$n") |"
size=$(psql "$server" -Atc "select pg_size_pretty(pg_database_size('register'))")
echo
echo "database size on PostgreSQL: $size; the file: $(du -h "$db" | cut -f1)"

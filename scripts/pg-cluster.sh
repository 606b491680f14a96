#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback, for tests and CI (issue 22).
#
#   scripts/pg-cluster.sh start DIR PORT   initdb in DIR (a leftover DIR is
#                                          stopped and removed first), listen on
#                                          127.0.0.1:PORT only, trust auth from
#                                          127.0.0.1 only, fsync on; waits until
#                                          it accepts connections and prints its
#                                          URL: postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/pg-cluster.sh stop DIR         stops it (fast shutdown); DIR stays
#
# The server runs as the caller, or as the system user postgres when the
# caller is root (PostgreSQL refuses to run as root): DIR's parent must then
# be reachable by postgres (e.g. DIR=$(mktemp -d), not a folder inside one).
# Binaries: the newest /usr/lib/postgresql/*/bin (Debian's postgresql
# package), else PG_BIN. No Unix socket (unix_socket_directories = ''):
# clients come over TCP on 127.0.0.1, nothing else can.
set -euo pipefail

usage() {
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
}

bindir() {
    local d
    if [ -n "${PG_BIN:-}" ]; then
        echo "$PG_BIN"
        return
    fi
    d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
        echo "$0: no PostgreSQL server found in /usr/lib/postgresql/*/bin (apt-get install postgresql), nor PG_BIN" >&2
        exit 1
    fi
    echo "$d"
}

# Runs a command as the cluster's owner: postgres when we are root.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop() {
    local dir=$1 bin
    if [ -f "$dir/postmaster.pid" ]; then
        bin=$(bindir)
        as_owner "$bin/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
    fi
}

start() {
    local dir=$1 port=$2 bin out
    case $port in
        '' | *[!0-9]*) echo "$0: PORT must be a number, not '$port'" >&2; exit 2 ;;
    esac
    bin=$(bindir)
    dir=$(realpath -m -- "$dir")
    # A leftover cluster (an earlier run that was killed) goes first.
    if [ -e "$dir" ]; then
        stop "$dir" 2>/dev/null || true
        rm -rf -- "$dir"
    fi
    mkdir -p -- "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            echo "$0: the user postgres cannot reach $dir (a parent folder is closed to it): choose a DIR such as \$(mktemp -d)" >&2
            exit 1
        fi
    fi
    chmod 700 "$dir"
    if ! out=$(as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --no-locale 2>&1); then
        echo "$out" >&2
        exit 1
    fi
    # trust for 127.0.0.1 only: a test cluster, reachable from this machine.
    as_owner tee "$dir/pg_hba.conf" >/dev/null <<HBA
# scripts/pg-cluster.sh: a throw-away test cluster; TCP from 127.0.0.1 only.
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
HBA
    as_owner tee -a "$dir/postgresql.conf" >/dev/null <<CONF
# scripts/pg-cluster.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
fsync = on
synchronous_commit = on
CONF
    if ! as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null; then
        echo "$0: the server did not start (port $port taken?); its log:" >&2
        tail -n 20 "$dir/server.log" >&2 || true
        exit 1
    fi
    for _ in $(seq 1 120); do
        if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
            echo "postgresql://postgres@127.0.0.1:$port/postgres"
            return
        fi
        sleep 0.25
    done
    echo "$0: the server on 127.0.0.1:$port does not accept connections after 30 s; its log:" >&2
    tail -n 20 "$dir/server.log" >&2 || true
    stop "$dir" || true
    exit 1
}

case ${1:-} in
    start) [ $# = 3 ] || usage; start "$2" "$3" ;;
    stop) [ $# = 2 ] || usage; stop "$(realpath -m -- "$2")" ;;
    *) usage ;;
esac

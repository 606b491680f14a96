#!/usr/bin/env bash
# Losing the primary mid-write (issue 22): a PostgreSQL primary and a
# synchronous standby on loopback, writers taking in and deciding
# applications through the CLI, the primary's postmaster killed with SIGKILL,
# the standby promoted, the writers reconnecting through the multi-host URL.
#
#   BIN=/path/to/tizilim scripts/pg-failover.sh
#
# Steps, each checked (the script stops at the first that fails, exit 1):
#  1. two clusters in a temporary folder (scripts/pg-cluster.sh's binaries and
#     way of running them: as the caller, or as postgres for root): a primary
#     with wal_level=replica, synchronous_commit=on and
#     synchronous_standby_names='FIRST 1 (standby)', and a standby made with
#     `pg_basebackup -R` (primary_conninfo with application_name=standby, a
#     replication slot); it waits until pg_stat_replication says `sync`;
#  2. synchronous, shown with tizilim's own write: the standby is stopped,
#     `tizilim init` on the primary waits (wait_event SyncRep), says nothing
#     and is not visible; the standby is started, init says "created", and
#     `audit verify` passes on the standby;
#  3. `tizilim --db URL init` on the multi-host URL
#     postgresql://…@127.0.0.1:P1,127.0.0.1:P2/register?target_session_attrs=read-write&…;
#     the login running the script is the register's admin, with a TEST
#     certificate (`key test-ca`, `key test-certificate`, `key import`) to sign
#     decisions (a build that does `user set` or `key import` on a file only:
#     the writers' register is made in a file and copied in, `migrate --to`);
#  4. WRITERS processes (default 4) each take in an application
#     (`intake FILE --json`) and decide it (`case decide CASE include
#     --expect-version 1 --json`), over and over; each logs every act the CLI
#     said it stored (exit 0 and the number it printed). A failed act is tried
#     again, the same act, after SLEEP seconds until it is stored (at most
#     GIVE_UP seconds): a repeated intake answers `resubmission` with its case
#     (the application's request_no, nothing stored twice), a repeated
#     decision whose first try went through unseen exits 3 (stale version)
#     and is looked up (`register find CASE --json`);
#  5. after BEFORE seconds of writing: `kill -9` of the primary's postmaster,
#     `pg_ctl promote` of the standby; the time from the kill until the first
#     act is stored again by a try begun after the kill is the time to
#     resume; the writers go on AFTER seconds more, then stop;
#  6. on the promoted standby, through the same URL: every act a writer
#     logged is there (`case list --json`, `doc list --json`; on the copy
#     below if this build lists from a file only), case and notice
#     numbers have no gap, no application is there twice, `audit verify` passes
#     and `migrate --to FILE` re-hashes the journal to the same head.
#
# It prints acts stored, acts lost (must be 0) and the time to resume; exit 0
# only if nothing is lost and the audit passes. Every process it started and
# the folder are removed on exit, also on failure or Ctrl-C.
#
# A binary whose acts do not yet run on PostgreSQL (they answer "works on a
# register file") makes it say "writes on PostgreSQL: not available in this
# build" and exit 2, after doing the rest without writers: the clusters,
# synchronous replication, init, a register copied in (`migrate --to URL`),
# the kill, the promotion, a reader reconnecting through the multi-host URL,
# `register find` and `audit verify` on the promoted standby.
#
# Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin or PG_BIN,
# psql and pg_basebackup among them), Python 3, and BIN (default
# target/release/tizilim). Settings from the environment: WRITERS=4 BEFORE=6
# AFTER=4 SLEEP=0.2 GIVE_UP=60.
set -euo pipefail
# BIN as the caller wrote it (relative to where they are), else the
# repository's release build.
bin=${BIN:-$(dirname "$0")/../target/release/tizilim}
[ -x "$bin" ] || { echo "$0: no binary at $bin: cargo build --release, or BIN=…" >&2; exit 2; }
bin=$(realpath -- "$bin")
cd "$(dirname "$0")/.."
writers=${WRITERS:-4}
before=${BEFORE:-6}
after=${AFTER:-4}
pause=${SLEEP:-0.2}
give_up=${GIVE_UP:-60}
for v in "$writers" "$before" "$after" "$give_up"; do
    case $v in '' | *[!0-9]*) echo "$0: WRITERS, BEFORE, AFTER and GIVE_UP are whole numbers" >&2; exit 2 ;; esac
done
# The CLI's failures in English: the guard below matches them.
export TIZILIM_LANG=en

pgbin() {
    if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
    printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1
}
pg=$(pgbin)
[ -x "$pg/pg_basebackup" ] || { echo "$0: no PostgreSQL server found in /usr/lib/postgresql/*/bin (apt-get install postgresql), nor PG_BIN" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
say() { printf '%s\n' "$*"; }
fail() { printf '%s: FAILED: %s\n' "$0" "$*" >&2; exit 1; }
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

dir=$(mktemp -d -t tizilim-fo.XXXXXX)
chmod 755 "$dir"
primary=$dir/primary
standby=$dir/standby
writer_pids=()
orphans=()    # the killed primary's children, as PID:START (their start time)
primary_killed=
started=$(now_ms)

# A process's start time (clock ticks since boot): with its id it names that
# process and no later one that got the same id.
start_of() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null || true; }

cleanup() {
    local rc=$? p
    trap - EXIT INT TERM
    touch "$dir/stop" "$dir/abort" 2>/dev/null || true
    # Writers stop between acts, and a retry stops at `abort`; a tizilim
    # process gives up on a host after connect_timeout (2 s).
    for _ in $(seq 1 50); do
        p=0
        for pid in "${writer_pids[@]}"; do kill -0 "$pid" 2>/dev/null && p=1; done
        [ $p = 0 ] && break
        sleep 0.2
    done
    for pid in "${writer_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    for d in "$standby" "$primary"; do
        # (Not the killed primary: its postmaster.pid names a dead process.)
        if [ -f "$d/postmaster.pid" ] && { [ "$d" = "$standby" ] || [ -z "$primary_killed" ]; }; then
            as_owner "$pg/pg_ctl" -D "$d" -m immediate -w -t 30 stop > /dev/null 2>&1 || true
        fi
    done
    # The killed primary's children: backends notice their postmaster is gone
    # on their own; any left is ended by its id (and start time).
    for o in "${orphans[@]}"; do
        if [ "$(start_of "${o%%:*}")" = "${o#*:}" ]; then kill -9 "${o%%:*}" 2>/dev/null || true; fi
    done
    rm -rf -- "$dir"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

p1=$(free_port)
p2=$(free_port)
while [ "$p2" = "$p1" ]; do p2=$(free_port); done
server1="postgresql://postgres@127.0.0.1:$p1/postgres?sslmode=disable"
server2="postgresql://postgres@127.0.0.1:$p2/postgres?sslmode=disable"
q1() { psql "$server1" -X -qAt -v ON_ERROR_STOP=1 "$@"; }
q2() { psql "$server2" -X -qAt -v ON_ERROR_STOP=1 "$@"; }

# --- 1. the primary and the synchronous standby ---------------------------
scripts/pg-cluster.sh start "$primary" "$p1" > /dev/null
as_owner tee -a "$primary/postgresql.conf" > /dev/null <<CONF
# scripts/pg-failover.sh: the primary
wal_level = replica
max_wal_senders = 4
max_replication_slots = 4
synchronous_commit = on
synchronous_standby_names = 'FIRST 1 (standby)'
CONF
as_owner "$pg/pg_ctl" -D "$primary" -l "$primary/server.log" -m fast -w -t 60 restart > /dev/null
for _ in $(seq 1 120); do "$pg/pg_isready" -q -h 127.0.0.1 -p "$p1" && break; sleep 0.25; done
mkdir -m 700 "$standby"
[ "$(id -u)" = 0 ] && chown postgres: "$standby"
as_owner "$pg/pg_basebackup" -d "host=127.0.0.1 port=$p1 user=postgres application_name=standby" \
    -D "$standby" -R -X stream -C -S standby -c fast
grep -q "application_name=standby" "$standby/postgresql.auto.conf" ||
    fail "pg_basebackup -R wrote no application_name into primary_conninfo"
rm -f "$standby/server.log"
# Promoted, the standby has no standby of its own: a commit must not wait
# for one (docs/operations.md, "PostgreSQL": attach a new standby at once).
as_owner tee -a "$standby/postgresql.conf" > /dev/null <<CONF
# scripts/pg-failover.sh: the standby
port = $p2
synchronous_standby_names = ''
# Retry the primary (and see a promotion) within half a second, not 5 s.
wal_retrieve_retry_interval = '500ms'
CONF
as_owner "$pg/pg_ctl" -D "$standby" -l "$standby/server.log" -w -t 60 start > /dev/null

wait_sync() {
    local s=
    for _ in $(seq 1 240); do
        s=$(q1 -c "select sync_state from pg_stat_replication where application_name = 'standby'" 2>/dev/null || true)
        [ "$s" = sync ] && return 0
        sleep 0.25
    done
    fail "the standby is not a synchronous standby after 60 s (pg_stat_replication: '${s}')"
}
wait_sync
[ "$(q2 -c 'select pg_is_in_recovery()')" = t ] || fail "the standby is not in recovery"
say "clusters: primary 127.0.0.1:$p1, standby 127.0.0.1:$p2 ($("$pg/postgres" --version)); wal_level=$(q1 -c 'show wal_level'), synchronous_standby_names=$(q1 -c 'show synchronous_standby_names'), synchronous_commit=$(q1 -c 'show synchronous_commit'); pg_stat_replication: standby sync"

# --- 2. a commit waits for the standby ------------------------------------
# tizilim's own write: `init` of a register in a database `probe`, with the
# standby stopped, must wait (and not say "created") until the standby is
# back; then the standby holds that register.
q1 -c "create database probe"
probe_url="postgresql://postgres@127.0.0.1:$p1/probe?sslmode=disable"
as_owner "$pg/pg_ctl" -D "$standby" -m fast -w -t 60 stop > /dev/null
HOME=$dir "$bin" --db "$probe_url" init > "$dir/probe.out" 2>&1 &
probe=$!
writer_pids+=("$probe")
waited=
for _ in $(seq 1 100); do
    waited=$(q1 -c "select wait_event from pg_stat_activity where datname = 'probe' and application_name = 'tizilim'")
    [ "$waited" = SyncRep ] && break
    sleep 0.1
done
sleep 1
kill -0 "$probe" 2>/dev/null || fail "with the standby stopped, tizilim init on the primary did not wait: $(cat "$dir/probe.out")"
[ "$waited" = SyncRep ] || fail "tizilim init is not waiting for the standby (wait_event '$waited')"
[ ! -s "$dir/probe.out" ] || fail "tizilim init answered before the standby had its commit: $(cat "$dir/probe.out")"
[ "$(psql "${server1%/postgres*}/probe?sslmode=disable" -X -qAt -c "select count(*) from pg_tables where tablename = 'tizilim_meta'")" = 0 ] ||
    fail "the waiting commit is visible before the standby has it"
t=$(now_ms)
as_owner "$pg/pg_ctl" -D "$standby" -l "$standby/server.log" -w -t 60 start > /dev/null
wait "$probe" || fail "tizilim init, which waited for the standby, failed: $(cat "$dir/probe.out")"
writer_pids=()
resumed=$(($(now_ms) - t))
grep -q '^created register' "$dir/probe.out" || fail "tizilim init said: $(cat "$dir/probe.out")"
wait_sync
# synchronous_commit = on waits for the standby's flush, not its replay.
lsn=$(q1 -c "select pg_current_wal_lsn()")
for _ in $(seq 1 200); do
    [ "$(q2 -c "select pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && break
    sleep 0.05
done
# The standby (read-only, in recovery) holds the register: it verifies there.
HOME=$dir "$bin" --db "postgresql://postgres@127.0.0.1:$p2/probe?sslmode=disable" audit verify > "$dir/probe.out" 2>&1 ||
    fail "audit verify on the standby of the register init made: $(cat "$dir/probe.out")"
q1 -c "drop database probe"
say "synchronous: with the standby stopped, tizilim init on the primary waited (wait_event SyncRep, nothing visible, nothing said); the standby started, init said 'created' ${resumed} ms later, and audit verify on the standby passes"

# --- 3. the register -------------------------------------------------------
q1 -c "create database register"
hosts="127.0.0.1:$p1,127.0.0.1:$p2"
opts="target_session_attrs=read-write&sslmode=disable&connect_timeout=2"
url="postgresql://postgres@$hosts/register?$opts"
export HOME=$dir/home TIZILIM_TRUST_DIR=$dir/trust TIZILIM_PASSPHRASE_FILE=$dir/pass
# The witness of the PostgreSQL register: the default, in $HOME/.local/state.
unset XDG_STATE_HOME TIZILIM_WITNESS
mkdir -m 700 "$HOME"
printf 'fail-over test passphrase\n' > "$TIZILIM_PASSPHRASE_FILE"
chmod 600 "$TIZILIM_PASSPHRASE_FILE"
login=$(id -un)
iin=880101300123
"$bin" --db "$url" init > /dev/null || fail "tizilim --db URL init"
say "register: tizilim --db 'postgresql://postgres@$hosts/register?$opts' init: $login is its admin"
# The TEST certifying centre and certificate are files: no register needed.
"$bin" --db "$dir/no-register.sqlite" key test-ca "$dir/trust" > /dev/null
"$bin" --db "$dir/no-register.sqlite" key test-certificate --iin "$iin" --name "Fail-over Admin" \
    --out "$dir/signer.p12" > /dev/null

# Applications: one file per act, each writer its own miner (BIN), serials
# and request numbers.
mkdir "$dir/apps"
python3 - "$dir/apps" "$writers" 400 <<'PY'
import json, sys
out, writers, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def bin_with_check(first11):
    d = [int(c) for c in first11]
    for w in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        c = sum(a * b for a, b in zip(d, w)) % 11
        if c != 10:
            return first11 + str(c)
    return None
bins = [b for b in (bin_with_check(f"2105400{k:04d}") for k in range(1000)) if b]
for w in range(1, writers + 1):
    for i in range(1, per + 1):
        app = {
            "kind": "inclusion", "channel": "portal",
            "received_at": "2024-03-20T11:05:00+05:00",
            "request_no": f"FO-W{w}-{i:06d}",
            "applicant": {"name": f"Fail-over Compute {w} LLP", "bin_iin": bins[w],
                          "legal_address": "Ekibastuz, Satpayev st. 12",
                          "phone": "+7 701 123 45 67", "email": "office@example.kz",
                          "personal_data_consent": True},
            "data_center": "Pavlodar region, Ekibastuz, industrial zone 4",
            "tn_ved_code": "8471500000",
            "units": [{"brand": "Bitmain", "model": "Antminer S19j Pro",
                       "serial": f"FOW{w}N{i:06d}", "hashrate_ths": 104.0,
                       "power_kw": 3.07, "condition": "serviceable"}],
            "documents": [{"kind": "ownership_proof", "name": "lease.pdf",
                           "valid_until": "2026-12-31"}],
        }
        with open(f"{out}/w{w}-{i}.json", "w") as f:
            json.dump(app, f)
PY

refused=    # the first write the binary refuses on PostgreSQL
refusal() { grep -q "works on a register file" "$1"; }
setup_write() {
    if ! "$bin" --db "$url" "$@" > /dev/null 2> "$dir/setup.err"; then
        if refusal "$dir/setup.err"; then
            refused="$1 $2: $(head -n 1 "$dir/setup.err")"
            return 0
        fi
        fail "tizilim $*: $(cat "$dir/setup.err")"
    fi
}
# A register file with the login as admin and signer; `seeded`: two cases,
# the first decided.
file_register() {
    "$bin" --db "$1" init > /dev/null
    "$bin" --db "$1" user set "$login" --iin "$iin" > /dev/null
    "$bin" --db "$1" key import "$dir/signer.p12" --name "Fail-over Admin" --position head > /dev/null
    if [ "${2:-}" = seeded ]; then
        "$bin" --db "$1" intake "$dir/apps/w1-1.json" "$dir/apps/w1-2.json" > /dev/null
        "$bin" --db "$1" case decide ABK-2024-000001 include --on 2024-03-26 > /dev/null
    fi
}
setup_write user set "$login" --iin "$iin"
[ -n "$refused" ] || setup_write key import "$dir/signer.p12" --name "Fail-over Admin" --position head
if [ -n "$refused" ]; then
    # The signer's set-up is not on PostgreSQL in this build: the writers get
    # a register made in a file with it, copied in.
    say "not on PostgreSQL in this build: $refused; the writers' register is made in a file and copied in (migrate --to URL)"
    file_register "$dir/signer.sqlite"
    q1 -c "create database register_copy"
    url="postgresql://postgres@$hosts/register_copy?$opts"
    "$bin" --db "$dir/signer.sqlite" migrate --to "$url" > /dev/null || fail "migrate --to the multi-host URL"
    refused=
fi

# --- 4. the writers --------------------------------------------------------
# One act, tried until stored. Sets `got` (the CLI's stdout), `rc` and
# `tried` (when the try that answered began). Log lines: `ok KIND NUMBER…
# BEGAN ENDED` (ms) for an act the CLI said it stored, `retry KIND MS stderr`
# for a failed try. A try begun before the kill may still answer after it
# (a backend outlives its postmaster for a moment): the time to resume counts
# the tries begun after it.
act() {
    local w=$1 kind=$2 log=$dir/w$1.log err=$dir/w$1.err first
    shift 2
    first=$(now_ms)
    while :; do
        [ -e "$dir/abort" ] && exit 1
        rc=0
        tried=$(now_ms)
        got=$("$bin" --db "$url" "$@" 2> "$err") || rc=$?
        case $rc in 0 | 3) return 0 ;; esac
        if refusal "$err"; then
            printf 'tizilim %s: %s\n' "$*" "$(head -n 1 "$err")" > "$dir/refused.$w"
            exit 0
        fi
        printf 'retry %s %s %s\n' "$kind" "$(now_ms)" "$(head -n 1 "$err" | tr -d '\n')" >> "$log"
        if [ $(($(now_ms) - first)) -gt $((give_up * 1000)) ]; then
            printf 'gave-up %s %s %s\n' "$kind" "$(now_ms)" "$*" >> "$log"
            exit 1
        fi
        sleep "$pause"
    done
}

writer() {
    local w=$1 i=0 log=$dir/w$1.log case status re
    : > "$log"
    while [ ! -e "$dir/stop" ] && [ -e "$dir/apps/w$w-$((i + 1)).json" ]; do
        i=$((i + 1))
        act "$w" intake intake "$dir/apps/w$w-$i.json" --json
        re='"case": *"(ABK-[0-9]+-[0-9]+)".*"status": *"([a-z_]+)"'
        [[ $got =~ $re ]] || { printf 'bad intake answer %s\n' "$got" >> "$log"; exit 1; }
        case=${BASH_REMATCH[1]} status=${BASH_REMATCH[2]}
        printf 'ok intake %s %s %s %s %s\n' "w$w-$i" "$case" "$status" "$tried" "$(now_ms)" >> "$log"
        act "$w" decide case decide "$case" include --on 2024-03-26 --expect-version 1 --json
        if [ "$rc" = 0 ]; then
            re='"decision": *"([A-Z]+-[0-9]+-[0-9]+)"'
            [[ $got =~ $re ]] || { printf 'bad decide answer %s\n' "$got" >> "$log"; exit 1; }
            printf 'ok decide %s %s stored %s %s\n' "$case" "${BASH_REMATCH[1]}" "$tried" "$(now_ms)" >> "$log"
        else
            # Exit 3: the case moved past version 1. Only this writer acts
            # on it, so an earlier try went through unseen: look it up.
            act "$w" find register find "$case" --json
            re='"notices": *\[[^]A-Z]*"([A-Z]+-[0-9]+-[0-9]+)"'
            [[ $(tr -d '\n' <<< "$got") =~ $re ]] ||
                { printf 'stale but not decided %s: %s\n' "$case" "$got" >> "$log"; exit 1; }
            printf 'ok decide %s %s found %s %s\n' "$case" "${BASH_REMATCH[1]}" "$tried" "$(now_ms)" >> "$log"
        fi
    done
}

stored_count() { cat "$dir"/w*.log 2>/dev/null | grep -c '^ok ' || true; }
refused_any() { ls "$dir"/refused.* > /dev/null 2>&1; }

if [ -z "$refused" ]; then
    for w in $(seq 1 "$writers"); do
        writer "$w" &
        writer_pids+=($!)
    done
    # Write until every writer has stored acts and BEFORE seconds are past.
    t=$(now_ms)
    while :; do
        refused_any && break
        for pid in "${writer_pids[@]}"; do
            kill -0 "$pid" 2>/dev/null || refused_any ||
                fail "a writer stopped before the kill: $(tail -n 3 "$dir"/w*.log)"
        done
        n=$(stored_count)
        if [ $(($(now_ms) - t)) -ge $((before * 1000)) ] && [ "$n" -ge $((2 * writers)) ]; then break; fi
        [ $(($(now_ms) - t)) -gt 90000 ] && fail "the writers stored $n acts in 90 s: $(tail -n 2 "$dir"/w*.log)"
        sleep 0.2
    done
    if refused_any; then
        for f in "$dir"/refused.*; do refused=$(head -n 1 "$f") && break; done
        touch "$dir/stop"
        for pid in "${writer_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
        writer_pids=()
        rm -f "$dir/stop"
    fi
fi

if [ -n "$refused" ]; then
    # No writers: a register made in a file, copied in, is what the standby
    # must still hold after the fail-over, and a reader stands in for them.
    say "writes on PostgreSQL: not available in this build ($refused); going on without writers"
    seed=$dir/seed.sqlite
    file_register "$seed" seeded
    q1 -c "create database seeded"
    seeded="postgresql://postgres@$hosts/seeded?$opts"
    "$bin" --db "$seed" migrate --to "$seeded" > /dev/null || fail "migrate --to the multi-host URL"
    say "a register file (2 cases, 1 decided) copied in: migrate --to 'postgresql://postgres@$hosts/seeded?…'"
    reader() {
        local log=$dir/w1.log
        : > "$log"
        while [ ! -e "$dir/stop" ]; do
            tried=$(now_ms)
            if "$bin" --db "$seeded" register find ABK-2024-000001 --json > /dev/null 2> "$dir/w1.err"; then
                printf 'ok find ABK-2024-000001 %s %s\n' "$tried" "$(now_ms)" >> "$log"
            else
                printf 'retry find %s %s\n' "$(now_ms)" "$(head -n 1 "$dir/w1.err")" >> "$log"
                sleep "$pause"
            fi
        done
    }
    reader &
    writer_pids+=($!)
    t=$(now_ms)
    until [ "$(stored_count)" -ge 3 ]; do
        [ $(($(now_ms) - t)) -gt 30000 ] && fail "the reader found nothing in 30 s: $(tail -n 2 "$dir/w1.log")"
        sleep 0.2
    done
fi

# --- 5. the primary dies; the standby is promoted --------------------------
pm=$(head -n 1 "$primary/postmaster.pid")
kill -STOP "$pm"    # no new child between the list and the kill
for c in $(pgrep -P "$pm" || true); do orphans+=("$c:$(start_of "$c")"); done
before_kill=$(stored_count)
killed=$(now_ms)
kill -9 "$pm"
primary_killed=1
as_owner "$pg/pg_ctl" -D "$standby" -w -t 60 promote > /dev/null
promoted=$(now_ms)
[ "$(q2 -c 'select pg_is_in_recovery()')" = f ] || fail "the standby is still in recovery after pg_ctl promote"
say "killed the primary's postmaster (pid $pm, SIGKILL) after $before_kill $([ -n "$refused" ] && echo answers || echo acts); standby promoted in $((promoted - killed)) ms"

# Every writer (or the reader) goes on after the kill.
for w in $(seq 1 "$([ -n "$refused" ] && echo 1 || echo "$writers")"); do
    t=$(now_ms)
    until awk -v k="$killed" '$1 == "ok" && $(NF - 1) > k { f = 1 } END { exit !f }' "$dir/w$w.log"; do
        grep -q '^gave-up' "$dir/w$w.log" && fail "writer $w gave up: $(tail -n 3 "$dir/w$w.log")"
        [ $(($(now_ms) - t)) -gt $((give_up * 1000)) ] && fail "writer $w stored nothing after the kill: $(tail -n 3 "$dir/w$w.log")"
        sleep 0.2
    done
done
resume=$(cat "$dir"/w*.log | awk -v k="$killed" '$1 == "ok" && $(NF - 1) > k && (m == "" || $NF < m) { m = $NF } END { print m - k }')
sleep "$after"
touch "$dir/stop"
for pid in "${writer_pids[@]}"; do wait "$pid" || fail "a writer failed: $(tail -n 3 "$dir"/w*.log)"; done
writer_pids=()

# --- 6. on the promoted standby --------------------------------------------
if [ -n "$refused" ]; then
    found=$("$bin" --db "$seeded" register find ABK-2024-000001 --json) || fail "register find after the promotion"
    grep -q '"INC-2024-000001"' <<< "$found" || fail "the promoted standby lost INC-2024-000001: $found"
    "$bin" --db "$seeded" audit verify > "$dir/audit.out" 2>&1 || fail "audit verify on the promoted standby: $(cat "$dir/audit.out")"
    "$bin" --db "$url" audit verify >> "$dir/audit.out" 2>&1 || fail "audit verify of the writers' register on the promoted standby: $(cat "$dir/audit.out")"
    reads=$(grep -c '^ok ' "$dir/w1.log")
    say "after the promotion, through the multi-host URL: register find ABK-2024-000001 shows INC-2024-000001; audit verify ok on both databases"
    say "reads through the multi-host URL: $reads answered; time to resume (kill to the first answer from the promoted standby): $resume ms; whole run $((($(now_ms) - started) / 1000)) s"
    say "writes on PostgreSQL: not available in this build ($refused)"
    exit 2
fi

"$bin" --db "$url" audit verify > "$dir/audit.out" 2>&1 || fail "audit verify on the promoted standby: $(cat "$dir/audit.out")"
# The writers' witness (one file on this machine, every writer appending to
# it): the promoted standby's journal must hold the last head it saw.
witnessed=$(grep -o 'its witness saw row [0-9]* and agrees' "$dir/audit.out") ||
    fail "audit verify on the promoted standby did not check the writers' witness: $(cat "$dir/audit.out")"
"$bin" --db "$url" migrate --to "$dir/after.sqlite" > "$dir/migrate.out" 2>&1 ||
    fail "migrate --to FILE from the promoted standby: $(cat "$dir/migrate.out")"
# The lists through the URL; from the copy if this build reads them from a
# file only.
lists_from=URL
for what in "case list" "doc list"; do
    f=$dir/${what// /-}.json
    # shellcheck disable=SC2086
    if ! "$bin" --db "$url" $what --json > "$f" 2> "$dir/list.err"; then
        refusal "$dir/list.err" || fail "tizilim $what on the promoted standby: $(cat "$dir/list.err")"
        lists_from="the copy (this build reads them from a file only)"
        # shellcheck disable=SC2086
        "$bin" --db "$dir/after.sqlite" $what --json > "$f"
    fi
done
set +e
python3 - "$dir" "$writers" "$killed" <<'PY'
import json, re, sqlite3, sys
from collections import Counter
d, writers, killed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cases = {c["case"]: c for c in json.load(open(f"{d}/case-list.json"))}
docs = {n["number"]: n for n in json.load(open(f"{d}/doc-list.json"))}
told = {"intake": 0, "decide": 0}
seen_again = 0   # acts whose first try failed and that a retry found stored
lost = []
retries = 0
straddled = 0   # begun before the kill, acknowledged after it
for w in range(1, writers + 1):
    for line in open(f"{d}/w{w}.log"):
        f = line.split()
        if f[0] == "retry":
            retries += 1
            continue
        if f[0] != "ok":
            continue
        straddled += int(f[-2]) < killed < int(f[-1])
        if f[1] == "intake":   # ok intake FILE CASE STATUS MS
            told["intake"] += 1
            seen_again += f[4] == "resubmission"
            if f[3] not in cases:
                lost.append(f"intake {f[2]} → {f[3]}")
        elif f[1] == "decide":   # ok decide CASE NOTICE stored|found MS
            told["decide"] += 1
            seen_again += f[4] == "found"
            n, c = docs.get(f[3]), cases.get(f[2])
            if n is None or n["case"] != f[2] or c is None or c["stage"] != "included":
                lost.append(f"decide {f[2]} → {f[3]}")
def gaps(prefix, numbers):
    seq = sorted(int(n.rsplit("-", 1)[1]) for n in numbers if n.startswith(prefix))
    missing = sorted(set(range(1, (seq[-1] if seq else 0) + 1)) - set(seq))
    return len(seq), missing
ncases, case_gaps = gaps("ABK-2024-", cases)
nnotices, notice_gaps = gaps("INC-2024-", docs)
db = sqlite3.connect(f"file:{d}/after.sqlite?mode=ro", uri=True)
twice = db.execute("select serial, count(distinct case_id) from units group by serial having count(distinct case_id) > 1").fetchall()
stored = told["intake"] + told["decide"]
print(f"acts stored: {stored} ({told['intake']} intakes, {told['decide']} decisions) by {writers} writers; "
      f"{seen_again} of them found stored on a retry after a failed try; {retries} failed tries; "
      f"{straddled} begun before the kill and acknowledged after it")
print(f"register on the promoted standby: {ncases} cases (ABK-2024-000001…, gaps: {case_gaps or 'none'}), "
      f"{nnotices} notices (INC-2024-000001…, gaps: {notice_gaps or 'none'}); applications stored twice: {len(twice)}")
print(f"acts lost: {len(lost)}" + (": " + ", ".join(lost[:10]) if lost else ""))
ok = not lost and not case_gaps and not notice_gaps and not twice and stored > 0
sys.exit(0 if ok else 1)
PY
checked=$?
set -e
say "lists from $lists_from; $(head -n 1 "$dir/migrate.out" | cut -c1-160)"
say "audit verify on the promoted standby: $(head -n 1 "$dir/audit.out" | cut -c1-160)"
wfile=$(ls "$HOME"/.local/state/tizilim/*.register.pg.witness | head -n 1)
say "the writers' witness (${wfile#"$dir"/}, $(wc -l < "$wfile") lines appended by $writers processes): $witnessed"
say "time to resume (kill to the first act stored on the promoted standby): $resume ms; whole run $((($(now_ms) - started) / 1000)) s"
[ "$checked" = 0 ] || fail "acts lost, a gap in the numbers or an application stored twice (above)"
say "fail-over: ok"

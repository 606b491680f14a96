#!/usr/bin/env bash
# Two builds side by side on one register: N new portal applications taken
# in, one process each, the two binaries interleaved (old, new, old, …) so
# that the machine's load falls on both alike; prints each one's median,
# min and max wall milliseconds per act.
#
#   scripts/ab-intake.sh OLD_BIN NEW_BIN DB [N]
#
# DB is a register file or a postgresql:// URL that you may write to (2·N
# cases are added to it); run it as a user with the operator, clerk or admin
# role there.
set -euo pipefail
old=${1:?usage: $0 OLD_BIN NEW_BIN DB [N]} new=${2:?} db=${3:?} n=${4:-30}
cd "$(dirname "$0")/.."
dir=$(mktemp -d -t tizilim-ab.XXXXXX)
trap 'rm -rf "$dir"' EXIT
scripts/new-applications.py "$dir" $((2 * n)) "AB$(( $(date +%s) % 100000 ))"
for i in $(seq 0 $((n - 1))); do
    for which in old new; do
        bin=$old f=$((2 * i))
        [ "$which" = new ] && bin=$new f=$((2 * i + 1))
        t0=$(date +%s%N)
        "$bin" --db "$db" intake "$dir/$f.json" --json > /dev/null
        t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 )) >> "$dir/$which.ms"
    done
done
for which in old new; do
    sort -n "$dir/$which.ms" | awk -v w="$which" '{ a[NR] = $1 } END { printf "%s: median %d ms, min %d, max %d (n=%d)\n", w, a[int((NR + 1) / 2)], a[1], a[NR], NR }'
done

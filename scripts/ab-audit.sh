#!/usr/bin/env bash
# `audit verify` of one register by several builds side by side, each run in
# turn (a, b, …, a, b, …) so that the machine's changing speed falls on all
# alike; prints each build's wall seconds per run, and its median wall time,
# median CPU time (user + system) and largest peak RSS.
#
#   scripts/ab-audit.sh N DB BIN [BIN…]
#
# DB is a register file (read only). This machine's speed drifts by a third
# over minutes: compare builds within one run of this script, not across.
set -euo pipefail
n=${1:?usage: $0 N DB BIN [BIN...]} db=${2:?} ; shift 2
[ $# -ge 1 ] || { echo "usage: $0 N DB BIN [BIN...]" >&2; exit 2; }
times=$(mktemp -t tizilim-ab-audit.XXXXXX)
trap 'rm -f "$times"' EXIT
for _ in $(seq "$n"); do
    for bin in "$@"; do
        /usr/bin/time -f "$bin %e %U %S %M" -a -o "$times" \
            "$bin" --db "$db" audit verify > /dev/null
    done
done
python3 - "$times" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    bin, wall, user, sys_, kb = line.split()
    runs[bin].append((float(wall), float(user) + float(sys_), int(kb)))
for bin, r in runs.items():
    walls = " ".join(f"{w:.2f}" for w, _, _ in r)
    print(f"{bin}: wall median {statistics.median(w for w, _, _ in r):.2f} s "
          f"[{walls}], CPU median {statistics.median(c for _, c, _ in r):.2f} s, "
          f"peak RSS {max(k for _, _, k in r) // 1024} MB")
PY

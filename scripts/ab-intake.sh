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
python3 - "$dir" "$n" <<'PY'
import json, sys, pathlib, time
out, n = pathlib.Path(sys.argv[1]), int(sys.argv[2])
base = json.loads(pathlib.Path("examples/inclusion.json").read_text())
tag = int(time.time()) % 100000
for i in range(2 * n):
    a = json.loads(json.dumps(base))
    a["request_no"] = f"KZ-AB-{tag:05d}-{i:06d}"
    for j, u in enumerate(a["units"]):
        u["serial"] = f"AB{tag:05d}N{i:05d}X{j}"
    (out / f"{i}.json").write_text(json.dumps(a))
PY
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

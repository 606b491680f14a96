#!/usr/bin/env python3
"""The same-run limits `scripts/measure.sh` divides by (issue 18).

Usage:
  scripts/limits.py bulk-copy DB SCRATCH   CPU seconds for SQLite to copy DB's
      rows into a fresh file SCRATCH: the same schema and indexes (created
      first, as the demo maintains them while it writes), then every table's
      rows by `INSERT INTO new.t SELECT * FROM old.t`, in one transaction.
      SCRATCH is removed afterwards.
  scripts/limits.py hash-chain DB          CPU seconds to recompute the
      journal's SHA-256 chain alone (src/store/journal.rs: `hash =
      SHA-256(prev_hash "\\n" seq "\\n" at "\\n" actor "\\n" kind "\\n"
      subject "\\n" payload)`, hex; the first `prev_hash` is 64 zeros), with
      every row's stored hash and link checked.

Prints `SECONDS` (process CPU time, user + system) on stdout; the checks'
counts go to stderr.
"""

import hashlib
import os
import sqlite3
import sys
import time

GENESIS = "0" * 64


def bulk_copy(db, scratch):
    for p in (scratch, scratch + "-journal", scratch + "-wal"):
        if os.path.exists(p):
            os.remove(p)
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    schema = src.execute(
        "SELECT type, name, sql FROM sqlite_master"
        " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid"
    ).fetchall()
    src.close()
    start = time.process_time()
    conn = sqlite3.connect(scratch, isolation_level=None)
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("ATTACH DATABASE ? AS old", (f"file:{db}?mode=ro",))
    conn.execute("BEGIN")
    for _kind, _name, sql in schema:
        conn.execute(sql)
    rows = 0
    for kind, name, _sql in schema:
        if kind == "table":
            cur = conn.execute(f'INSERT INTO main."{name}" SELECT * FROM old."{name}"')
            rows += cur.rowcount
    conn.execute("COMMIT")
    conn.close()
    cpu = time.process_time() - start
    size = os.path.getsize(scratch)
    os.remove(scratch)
    sys.stderr.write(f"bulk copy: {rows} rows, {size} bytes\n")
    return cpu


def hash_chain(db):
    start = time.process_time()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    prev = GENESIS
    n = 0
    bad = 0
    for seq, at, actor, kind, subject, payload, prev_hash, stored in conn.execute(
        "SELECT seq, at, actor, kind, subject, payload, prev_hash, hash FROM journal ORDER BY seq"
    ):
        h = hashlib.sha256()
        h.update(
            f"{prev}\n{seq}\n{at}\n{actor}\n{kind}\n{subject or ''}\n".encode()
        )
        h.update(payload.encode())
        digest = h.hexdigest()
        if prev_hash != prev or digest != stored:
            bad += 1
        prev = stored
        n += 1
    conn.close()
    cpu = time.process_time() - start
    sys.stderr.write(f"hash chain: {n} rows, {bad} broken\n")
    if bad:
        sys.exit(f"hash chain: {bad} rows do not chain")
    return cpu


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "bulk-copy":
        print(f"{bulk_copy(sys.argv[2], sys.argv[3]):.3f}")
    elif len(sys.argv) == 3 and sys.argv[1] == "hash-chain":
        print(f"{hash_chain(sys.argv[2]):.3f}")
    else:
        sys.exit(__doc__)


main()

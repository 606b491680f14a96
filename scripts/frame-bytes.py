#!/usr/bin/env python3
"""Bytes a terminal program writes per key on an 80x24 pseudo-terminal.

Starts a program in a pty (python3's stdlib only: pty, os, select), waits for
its output to settle, then sends a key N times and counts the bytes written
after each until the output settles again. Prints the median, min and max.

tizilim is measured three ways on a register (a 300-case demo made in a
temporary folder, or --db):
  queue move     `j` in the queue after `/ABK` (every case listed)
  filter char    a character typed into the `/` line
  foreign commit another process's commit that changes nothing on screen
                 (`user add`, a journaled act the queue does not show)
and, when installed, mc, tig (in a git repository) and htop for comparison
(`apt-get install -y mc tig htop`); "not installed" otherwise.

    scripts/frame-bytes.py [--tizilim PATH] [--db REGISTER] [--keys N] [--json]

Run from the repository: the binary defaults to target/release/tizilim (or
$CARGO_TARGET_DIR's), else target/debug/tizilim. The console's clock is pinned
(TIZILIM_NOW) to the demo's day.
"""

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

COLS, ROWS = 80, 24
DEMO_NOW = "2025-11-27T11:00:00+05:00"


class Pty:
    """A program on a pty of COLS x ROWS; counts every byte it writes."""

    def __init__(self, argv, env=None, cwd=None):
        self.total = 0
        pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                if cwd:
                    os.chdir(cwd)
                e = dict(os.environ)
                e.update({"TERM": "xterm-256color", "LINES": str(ROWS), "COLUMNS": str(COLS)})
                e.update(env or {})
                os.execvpe(argv[0], argv, e)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    def pump(self, timeout):
        """Reads what is there within `timeout` seconds; the bytes read."""
        n = 0
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return n
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                return n
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return n
            if not chunk:
                return n
            n += len(chunk)
            self.total += len(chunk)
            # Answer a cursor-position or device-attributes query as a
            # terminal would, so that no program waits for one.
            if b"\x1b[6n" in chunk:
                os.write(self.fd, b"\x1b[1;1R")
            if b"\x1b[c" in chunk or b"\x1b[0c" in chunk:
                os.write(self.fd, b"\x1b[?62;22c")

    def settle(self, quiet=0.35, limit=60.0):
        """Reads until nothing comes for `quiet` seconds; the bytes read."""
        n = 0
        start = time.monotonic()
        while time.monotonic() - start < limit:
            got = self.pump(quiet)
            n += got
            if got == 0:
                return n
        return n

    def send(self, data):
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def close(self, quit_keys=None):
        if quit_keys:
            self.send(quit_keys)
            self.settle(0.3, 3)
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        for _ in range(50):
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        else:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        try:
            os.close(self.fd)
        except OSError:
            pass


def per_key(p, key, n, quiet=0.35, between=None):
    costs = []
    for i in range(n):
        if between:
            between(i)
        else:
            p.send(key)
        costs.append(p.settle(quiet))
    return costs


def summary(costs):
    if not costs:
        return None
    s = sorted(costs)
    return {"median": s[len(s) // 2], "min": s[0], "max": s[-1], "n": len(s)}


def find_tizilim(given):
    if given:
        return given
    roots = [os.environ.get("CARGO_TARGET_DIR"), "target"]
    for profile in ["release", "debug"]:
        for root in filter(None, roots):
            p = os.path.join(root, profile, "tizilim")
            if os.access(p, os.X_OK):
                return p
    sys.exit("frame-bytes: no tizilim binary (cargo build --release, or --tizilim PATH)")


def measure_tizilim(binary, db, n):
    env = {"TIZILIM_LANG": "en", "TIZILIM_NOW": DEMO_NOW, "NO_COLOR": ""}
    env["TIZILIM_DRAFTS_DIR"] = db + ".drafts"
    out = {}
    p = Pty([binary, "--db", db], env)
    p.settle(0.8)
    # Queue moves over every case (a search for the number's prefix).
    p.send("/ABK\r")
    p.settle(0.5)
    out["queue move (j)"] = summary(per_key(p, "j", n))
    # Characters typed into the filter line.
    p.send("/")
    p.settle()
    text = ("ABK-2025-0000" * 4)[:n]
    out["filter char (/)"] = summary(per_key(p, None, n, between=lambda i: p.send(text[i])))
    p.send("\x1b")
    p.settle(0.5)
    # Another process's commit that changes nothing on screen. The console
    # looks every 500 ms: settle for longer than that.
    stamp = str(os.getpid())

    def commit(i):
        r = subprocess.run(
            [binary, "--db", db, "user", "add", f"fb{stamp}x{i}", "--role", "clerk"],
            capture_output=True,
            env={**os.environ, **env},
        )
        if r.returncode != 0:
            sys.exit(f"frame-bytes: user add failed: {r.stderr.decode(errors='replace')}")

    out["foreign commit, nothing visible"] = summary(
        per_key(p, None, min(n, 8), quiet=1.2, between=commit)
    )
    p.close("q")
    return out


def measure_other(name, argv, key, n, cwd=None, quit_keys=None, env=None):
    if shutil.which(argv[0]) is None:
        return "not installed"
    p = Pty(argv, env, cwd)
    p.settle(1.0)
    costs = per_key(p, key, n)
    p.close(quit_keys)
    return summary(costs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tizilim", help="the binary (default: target/release, else target/debug)")
    ap.add_argument("--db", help="a register to open (default: a 300-case demo in a temporary folder)")
    ap.add_argument("--keys", type=int, default=20, help="keys sent per measure (default 20)")
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--only-tizilim", action="store_true", help="skip mc, tig, htop")
    a = ap.parse_args()
    binary = os.path.abspath(find_tizilim(a.tizilim))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = a.db
        if not db:
            db = os.path.join(tmp, "demo.sqlite")
            r = subprocess.run(
                [binary, "--db", db, "demo", "--cases", "300", "--units", "2000", "--at", DEMO_NOW],
                capture_output=True,
            )
            if r.returncode != 0:
                sys.exit(f"frame-bytes: demo failed: {r.stderr.decode(errors='replace')}")
        for k, v in measure_tizilim(binary, db, a.keys).items():
            results[f"tizilim {k}"] = v
        if not a.only_tizilim:
            # mc turns on application cursor keys: Down is ESC O B there.
            results["mc (Down in the file panel)"] = measure_other(
                "mc", ["mc", "--nosubshell", "/usr/bin"], "\x1bOB", a.keys, quit_keys="\x1b0"
            )
            repo = os.path.join(tmp, "repo")
            if shutil.which("tig") and shutil.which("git"):
                os.makedirs(repo)
                g = {**os.environ, "GIT_AUTHOR_NAME": "f", "GIT_AUTHOR_EMAIL": "f@example.org",
                     "GIT_COMMITTER_NAME": "f", "GIT_COMMITTER_EMAIL": "f@example.org"}
                subprocess.run(["git", "init", "-q"], cwd=repo, env=g, check=True)
                for i in range(60):
                    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", f"commit {i}"],
                                   cwd=repo, env=g, check=True)
            results["tig (j in the log)"] = measure_other("tig", ["tig"], "j", a.keys, cwd=repo, quit_keys="q")
            results["htop (Down in the process list)"] = measure_other(
                "htop", ["htop", "-d", "100"], "\x1b[B", a.keys, quit_keys="q"
            )
    if a.json:
        print(json.dumps(results, indent=2))
        return
    print(f"bytes per key at {COLS}x{ROWS} (median, min-max over N keys)")
    for k, v in results.items():
        if isinstance(v, dict):
            print(f"  {k:<44} {v['median']:>6}   {v['min']}-{v['max']} (N={v['n']})")
        else:
            print(f"  {k:<44} {v}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""How the console answers while a save waits for the register (issue 17).

Makes a 300-case demo register (or takes --db), registers one more
application received the day before, and opens the console on an 80x24
pseudo-terminal (python3's stdlib only). The case's preliminary refusal form
is filled, another connection (python's sqlite3) takes the register's write
lock with BEGIN IMMEDIATE, and Ctrl-S is pressed. Then, N times each:

  saving line    Ctrl-S to the form's "saving — the register is busy" line
                 (the worker says busy; the form says so after 200 ms)
  resize         a window resize (TIOCSWINSZ, SIGWINCH) to the end of the
                 frame drawn at the new size, while the save waits
  resize, idle   the same with no save waiting (for comparison)
  esc            Esc to the form's "the save was cancelled" line
  refused key    the bytes sent after a key typed while the save waits
                 (refused in the form: none), and over a second of waiting

A frame ends with the synchronized-update end (ESC [ ? 2026 l). Prints the
median, min and max in milliseconds, and checks that the cancelled saves
stored nothing.

    scripts/busy-frame.py [--tizilim PATH] [--db REGISTER] [-n N] [--json]
"""

import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import time

DEMO_NOW = "2025-11-27T11:00:00+05:00"
END = b"\x1b[?2026l"


class Pty:
    def __init__(self, argv, env):
        pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
                e = dict(os.environ)
                e.update({"TERM": "xterm-256color"})
                e.update(env)
                os.execvpe(argv[0], argv, e)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.out = b""

    def read_until(self, pred, limit=30.0):
        """Reads until pred(bytes read since the call) holds; the seconds it took."""
        start = time.monotonic()
        got = b""
        while time.monotonic() - start < limit:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                got += chunk
                self.out += chunk
                if pred(got):
                    return time.monotonic() - start
        sys.exit(f"busy-frame: timed out; last output: {got[-400:]!r}")

    def settle(self, quiet=0.4):
        while True:
            r, _, _ = select.select([self.fd], [], [], quiet)
            if not r:
                return
            self.out += os.read(self.fd, 65536)

    def send(self, s):
        os.write(self.fd, s.encode())

    def resize(self, cols, rows):
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def plain(got):
    """The text in `got`: the cursor moves the console sends for spaces
    (ESC [ n C) as spaces, every other escape removed."""
    out = re.sub(rb"\x1b\[(\d*)C", lambda m: b" " * int(m.group(1) or 1), got)
    return re.sub(rb"\x1b(\[[0-9;?]*[A-Za-z@`~]|[^\[])", b"", out)


def has(text):
    t = text.encode()
    return lambda got: t in plain(got)


def ms(xs):
    s = sorted(x * 1000 for x in xs)
    return {"median": round(s[len(s) // 2], 1), "min": round(s[0], 1), "max": round(s[-1], 1), "n": len(s)}


def find_tizilim(given):
    if given:
        return given
    for profile in ["release", "debug"]:
        for root in filter(None, [os.environ.get("CARGO_TARGET_DIR"), "target"]):
            p = os.path.join(root, profile, "tizilim")
            if os.access(p, os.X_OK):
                return p
    sys.exit("busy-frame: no tizilim binary (cargo build, or --tizilim PATH)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tizilim")
    ap.add_argument("--db")
    ap.add_argument("-n", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    binary = os.path.abspath(find_tizilim(a.tizilim))
    with tempfile.TemporaryDirectory() as tmp:
        db = a.db or os.path.join(tmp, "demo.sqlite")
        env = {"TIZILIM_LANG": "en", "TIZILIM_NOW": DEMO_NOW, "TIZILIM_DRAFTS_DIR": os.path.join(tmp, "drafts")}
        run = lambda *args: subprocess.run([binary, "--db", db, *args], capture_output=True, env={**os.environ, **env})
        if not a.db:
            r = run("demo", "--cases", "300", "--units", "2000", "--at", DEMO_NOW)
            if r.returncode != 0:
                sys.exit(f"busy-frame: demo failed: {r.stderr.decode(errors='replace')}")
        with sqlite3.connect(db) as c:
            bin_iin = c.execute("SELECT bin_iin FROM miners LIMIT 1").fetchone()[0]
        app = {
            "kind": "inclusion", "channel": "portal", "received_at": "2025-11-26T10:00:00+05:00",
            "request_no": f"BUSY-{os.getpid()}",
            "applicant": {"name": "Ekibastuz Compute LLP", "bin_iin": bin_iin,
                          "legal_address": "Ekibastuz, Satpayev st. 12", "phone": "+7 701 123 45 67",
                          "email": "office@example.kz", "personal_data_consent": True},
            "data_center": "Pavlodar region, Ekibastuz, industrial zone 4", "tn_ved_code": "8471 50 000 0",
            "units": [{"brand": "Bitmain", "model": "Antminer S19j Pro", "serial": f"BUSY{os.getpid()}X",
                       "hashrate_ths": 104.0, "power_kw": 3.07, "declaration_no": "10228110823/7603119",
                       "condition": "serviceable"}],
            "documents": [{"kind": "ownership_proof", "name": "lease.pdf", "valid_until": "2026-12-31"}],
        }
        f = os.path.join(tmp, "app.json")
        with open(f, "w") as out:
            json.dump(app, out)
        r = run("intake", f)
        if r.returncode != 0:
            sys.exit(f"busy-frame: intake failed: {r.stderr.decode(errors='replace')}")
        with sqlite3.connect(db) as c:
            case = c.execute("SELECT number FROM cases ORDER BY id DESC LIMIT 1").fetchone()[0]
        notified = lambda: sqlite3.connect(db).execute(
            "SELECT count(*) FROM journal WHERE kind = 'hearing_notified'").fetchone()[0]
        before = notified()

        p = Pty([binary, "--db", db], env)
        p.read_until(has("all open"))
        p.settle()
        p.send("/" + case + "\r")
        p.read_until(has("search: " + case))
        p.settle()
        p.send("\r")
        p.read_until(has("Actions"))
        p.settle()
        p.send("p")
        p.read_until(has("send by"))
        p.send("2\tSerials do not match.\t\t\t\tAstana, room 402")
        p.settle()

        idle = []
        for i in range(a.n):
            t0 = time.monotonic()
            p.resize(100 if i % 2 == 0 else 80, 30 if i % 2 == 0 else 24)
            p.read_until(lambda got: END in got)
            idle.append(time.monotonic() - t0)
            p.settle(0.2)

        holder = sqlite3.connect(db, isolation_level=None, timeout=0)
        saving, busy, esc, refused, quiet = [], [], [], [], []
        for i in range(a.n):
            holder.execute("BEGIN IMMEDIATE")
            p.send("\x13")
            saving.append(p.read_until(has("busy")))
            p.settle(0.2)
            for j in range(2):
                t0 = time.monotonic()
                p.resize(100 if j == 0 else 80, 30 if j == 0 else 24)
                p.read_until(lambda got: END in got)
                busy.append(time.monotonic() - t0)
                p.settle(0.2)
            # A key typed meanwhile is refused in the form: no frame.
            n = len(p.out)
            p.send("X")
            p.settle(0.3)
            refused.append(len(p.out) - n)
            # Waiting, the console sends nothing of itself.
            n = len(p.out)
            time.sleep(1.0)
            p.settle(0.05)
            quiet.append(len(p.out) - n)
            p.send("\x1b")
            esc.append(p.read_until(has("cancelled")))
            p.settle(0.2)
            holder.execute("ROLLBACK")
        stored = notified() - before
        p.close()
    results = {
        "saving line after Ctrl-S (ms)": ms(saving),
        "frame after a resize, save waiting (ms)": ms(busy),
        "frame after a resize, idle (ms)": ms(idle),
        "cancelled line after Esc (ms)": ms(esc),
        "bytes sent for a key refused while waiting": max(refused),
        "bytes sent over 1 s of waiting": max(quiet),
        "acts stored by cancelled saves": stored,
    }
    if a.json:
        print(json.dumps(results, indent=2))
    else:
        for k, v in results.items():
            if isinstance(v, dict):
                print(f"  {k:<44} {v['median']:>7}   {v['min']}-{v['max']} (N={v['n']})")
            else:
                print(f"  {k:<44} {v}")
    if stored:
        sys.exit("busy-frame: a cancelled save stored an act")


if __name__ == "__main__":
    main()

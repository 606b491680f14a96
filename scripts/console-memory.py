#!/usr/bin/env python3
"""The console's peak memory (VmHWM) in an 80x24 pty, before and after the
register pane's Energy and Conflicts views are opened (issue 18).

Usage: scripts/console-memory.py BINARY DB

Starts `BINARY --db DB` (the console) in a pseudo-terminal, waits for the
queue, then presses 6 (the register pane), v (Energy), v (Conflicts), q. After
each step it waits until the screen has said what it shows and the process
has stopped using CPU, then reads /proc/PID/status. Prints one line per step:
`queue KB`, `energy KB`, `conflicts KB` (VmHWM, the peak resident set so far)
and `rss_after_conflicts KB` (VmRSS at the end).
"""

import fcntl
import os
import pty
import select
import struct
import sys
import tempfile
import termios
import time

if len(sys.argv) != 3:
    sys.exit(__doc__)
binary, db = sys.argv[1], sys.argv[2]

pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm-256color"
    os.environ["TIZILIM_LANG"] = "en"
    # A home of its own: no draft parked by an earlier session says so on
    # the status line in place of the counts this script waits for.
    os.environ["HOME"] = tempfile.mkdtemp(prefix="console-memory-")
    os.environ.pop("XDG_DATA_HOME", None)
    os.environ.pop("XDG_STATE_HOME", None)
    os.execv(binary, [binary, "--db", db])

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
seen = bytearray()


def pump(seconds):
    """Reads what the console sends for up to `seconds`; True if anything came."""
    got = False
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return got
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            return got
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return got
        if not chunk:
            return got
        seen.extend(chunk)
        got = True


def cpu_ticks():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def status(field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def wait_for(marker, timeout=60.0):
    """Until `marker` was sent (or the timeout), then until the console is idle:
    nothing sent and no CPU used for 0.3 s."""
    start = len(seen)
    deadline = time.monotonic() + timeout
    while marker.encode() not in seen[start:] and time.monotonic() < deadline:
        pump(0.05)
    if marker.encode() not in seen[start:]:
        sys.stderr.write(f"console-memory: {marker!r} never shown\n")
    while time.monotonic() < deadline:
        before = cpu_ticks()
        if not pump(0.3) and cpu_ticks() == before:
            return


wait_for("overdue:")
print("queue", status("VmHWM"))
os.write(fd, b"6")
wait_for("find")
os.write(fd, b"v")
wait_for("Energy by")
print("energy", status("VmHWM"))
os.write(fd, b"v")
wait_for("claimed")
print("conflicts", status("VmHWM"))
print("rss_after_conflicts", status("VmRSS"))
os.write(fd, b"q")
pump(2.0)
try:
    os.waitpid(pid, 0)
except ChildProcessError:
    pass

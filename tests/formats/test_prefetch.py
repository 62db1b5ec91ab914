"""The reader process of a large upload ends with its parent, even one killed with SIGKILL."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARENT = """
import sys, time
from pars.formats import prefetch
from tests.formats.test_prefetch import endless
rows = prefetch.rows(endless, b"x" * (prefetch.LARGE + 1))
next(rows)
print("reading", flush=True)
time.sleep(600)
"""


def endless(data: bytes):
    """A reader that never ends (a huge sheet, say)."""
    number = 0
    while True:
        number += 1
        yield number, {"row": number}


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def test_the_reader_ends_when_its_parent_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the killed parent's resource tracker reports its queue
        text=True,
    )
    try:
        assert parent.stdout.readline().strip() == "reading"
        readers = [pid for pid in children(parent.pid) if alive(pid)]
        assert readers, "the large file was not read in a second process"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in readers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in readers), "the reader outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        parent.stdout.close()

"""The reader process of a large upload ends with its parent, even one killed with SIGKILL, and
stays within its bounds of memory and processor time."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pars.formats import prefetch
from pars.formats.package import FormatError

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


def hungry(data: bytes):
    """A reader that holds ever more memory (a shared strings part inflating without end)."""
    held = []
    while True:
        held.append(bytearray(50 * 2**20))
        yield len(held), {}


def spinning(data: bytes):
    """A reader that never yields a row and never ends."""
    while True:
        pass
    yield


def test_a_reader_past_its_memory_bound_is_refused_with_a_message():
    large = b"x" * (prefetch.LARGE + 1)
    with pytest.raises(FormatError, match="more than 400 MB of memory"):
        list(prefetch.rows(hungry, large, memory=400 * 2**20))


def test_a_reader_past_its_time_bound_is_ended_with_a_message():
    large = b"x" * (prefetch.LARGE + 1)
    started = time.monotonic()
    with pytest.raises(FormatError, match="longer than 2 seconds"):
        list(prefetch.rows(spinning, large, cpu_seconds=2))
    assert time.monotonic() - started < 30

"""Reading a large workbook in a second process, so that parsing (openpyxl, the slow part)
runs on one core while this process checks and stores the rows already read on another.

The reader is bounded: it may use at most ``memory`` bytes and ``cpu_seconds`` of processor
time (the kernel's limits, so no file can take the machine), and it ends with its parent. How
many readers run at once is bounded by the worker (UPLOAD_WORKERS, pars.core.tasks).
"""

import multiprocessing
import multiprocessing.connection
import os
import queue
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from itertools import islice

from pars.formats.package import FormatError

LARGE = 250_000  # bytes: a smaller file is read here (starting a reader costs about 0.2 s)
BATCH = 2000  # rows sent at a time
AHEAD = 8  # batches the reader may run ahead: bounds the memory in between
# Room for the largest workbook the package checks let through, and no more (bench/
# reader_bounds.py reads a 200,000-row file and prints how much of each it used).
MEMORY = 1024 * 1024 * 1024
CPU_SECONDS = 300
TOO_SLOW = (
    "Reading this workbook took longer than {0:,} seconds, the most an upload may take; split it "
    "into smaller files."
)
TOO_LARGE = (
    "Reading this workbook needs more than {0:,} MB of memory, the most an upload may use; split "
    "it into smaller files."
)


def rows(
    read: Callable[[bytes], Iterator],
    data: bytes,
    *,
    large: int = LARGE,
    memory: int = MEMORY,
    cpu_seconds: int = CPU_SECONDS,
) -> Iterator:
    """What ``read(data)`` yields, from a second process when the file is large. ``read``
    must be a module-level function; the errors it raises come through unchanged, and a reader
    past its bounds gives a FormatError saying which."""
    if len(data) < large:
        yield from read(data)
        return
    context = multiprocessing.get_context("spawn")  # never fork a threaded server
    batches = context.Queue(maxsize=AHEAD)
    bounds = (memory, cpu_seconds)
    reader = context.Process(target=produce, args=(read, data, batches, bounds), daemon=True)
    reader.start()
    try:
        yield from consume(batches, reader, bounds)
    finally:  # also when the caller stops early: the reader must not outlive the request
        reader.kill()
        reader.join()
        batches.close()


def bound(memory: int, cpu_seconds: int) -> None:
    """The kernel's limits for this reader: past the memory an allocation fails (MemoryError);
    past the processor time the kernel ends it (SIGXCPU)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def die_with_parent() -> None:
    """End this reader the moment its parent ends, however it ends: a server killed with
    SIGKILL runs no cleanup, and its reader would go on parsing (and holding memory) alone."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])  # ready once the parent is gone
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def consume(batches, reader, bounds: tuple[int, int]) -> Iterator:
    memory, cpu_seconds = bounds
    while True:
        try:
            kind, payload = batches.get(timeout=1)
        except queue.Empty:
            if not reader.is_alive():
                if reader.exitcode == -signal.SIGXCPU:
                    raise FormatError(TOO_SLOW.format(cpu_seconds)) from None
                raise RuntimeError("The file reader stopped without an answer.") from None
            continue
        if kind == "error":
            raise payload
        if kind == "done":
            return
        yield from payload


def produce(
    read: Callable[[bytes], Iterator], data: bytes, batches, bounds: tuple[int, int]
) -> None:
    die_with_parent()
    bound(*bounds)
    source = batch = None
    try:
        source = read(data)
        while batch := list(islice(source, BATCH)):
            batches.put(("rows", batch))
        batches.put(("done", None))
    except MemoryError:
        source = batch = None  # frees what the reader held, so the message can be sent
        batches.put(("error", FormatError(TOO_LARGE.format(bounds[0] // 2**20))))
    except Exception as error:  # handed to the consumer, which raises it where it is used
        batches.put(("error", error))

"""Reading a large workbook in a second process, so that parsing (openpyxl, the slow part)
runs on one core while this process checks and stores the rows already read on another."""

import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
from collections.abc import Callable, Iterator
from itertools import islice

LARGE = 250_000  # bytes: a smaller file is read here (starting a reader costs about 0.2 s)
BATCH = 2000  # rows sent at a time
AHEAD = 8  # batches the reader may run ahead: bounds the memory in between


def rows(read: Callable[[bytes], Iterator], data: bytes, *, large: int = LARGE) -> Iterator:
    """What ``read(data)`` yields, from a second process when the file is large. ``read``
    must be a module-level function; the errors it raises come through unchanged."""
    if len(data) < large:
        yield from read(data)
        return
    context = multiprocessing.get_context("spawn")  # never fork a threaded server
    batches = context.Queue(maxsize=AHEAD)
    reader = context.Process(target=produce, args=(read, data, batches), daemon=True)
    reader.start()
    try:
        yield from consume(batches, reader)
    finally:  # also when the caller stops early: the reader must not outlive the request
        reader.kill()
        reader.join()
        batches.close()


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


def consume(batches, reader) -> Iterator:
    while True:
        try:
            kind, payload = batches.get(timeout=1)
        except queue.Empty:
            if not reader.is_alive():
                raise RuntimeError("The file reader stopped without an answer.") from None
            continue
        if kind == "error":
            raise payload
        if kind == "done":
            return
        yield from payload


def produce(read: Callable[[bytes], Iterator], data: bytes, batches) -> None:
    die_with_parent()
    try:
        source = read(data)
        while batch := list(islice(source, BATCH)):
            batches.put(("rows", batch))
        batches.put(("done", None))
    except Exception as error:  # handed to the consumer, which raises it where it is used
        batches.put(("error", error))

"""Background work on a huey queue: a SQLite file in the instance folder by default (Redis by
TASK_QUEUE_URL at scale), drained by `flask --app app worker`, which `make run` starts beside the
web server. Features register their tasks when the app is built (register()); the web process
only enqueues, and the worker runs them in an app context of its own, so a task sees the same
settings and database as the pages.

Tests set TASKS_IMMEDIATE: a task then runs at once, in the request that enqueued it.
"""

from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

__all__ = ["crontab", "enqueue", "init_app", "queue", "register", "register_periodic"]


def make_queue(app: Flask) -> Huey:
    url = app.config.get("TASK_QUEUE_URL", "")
    if app.config.get("TASKS_IMMEDIATE"):
        return MemoryHuey("pars", immediate=True, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("pars", url=url, results=False)
    path = url.removeprefix("sqlite:///") or str(Path(app.instance_path) / "tasks.db")
    Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return SqliteHuey("pars", filename=path, results=False)


def init_app(app: Flask) -> None:
    app.extensions["huey"] = make_queue(app)
    app.extensions["pars_tasks"] = {}


def queue(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions["huey"]


def register(app: Flask, name: str, function: Callable[..., None]) -> None:
    """Make ``function(app, *args)`` a task called ``name``, run inside ``app``'s context."""

    def run(*args) -> None:
        with app.app_context():
            function(app, *args)

    app.extensions["pars_tasks"][name] = queue(app).task(name=name)(run)


def register_periodic(app: Flask, name: str, schedule, function: Callable[[Flask], None]) -> None:
    """A task the worker runs on ``schedule`` (a huey crontab), in ``app``'s context."""

    def run() -> None:
        with app.app_context():
            function(app)

    queue(app).periodic_task(schedule, name=name)(run)


def enqueue(name: str, *args) -> None:
    """Queue the task ``name``; the worker runs it (or, in tests, it runs now)."""
    current_app.extensions["pars_tasks"][name](*args)


def consumer(app: Flask, *, workers: int):
    """The worker's consumer: ``workers`` threads (each large upload also gets a reader process
    of its own), and the periodic tasks."""
    return queue(app).create_consumer(workers=workers, worker_type="thread", periodic=True)

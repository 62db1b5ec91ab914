"""Run every benchmark: `python -m bench` (or `make bench`); `python -m bench NAME` runs one.

Each benchmark runs in a process of its own, so one's memory and caches never count for another
(the upload benchmark reports the peak memory of its process).
"""

import importlib
import subprocess
import sys

BENCHMARKS = [
    "activity_list",
    "activity_form",
    "learner_matching",
    "learner_upload",
    "annual_reporting",
    "exports",
    "activity_import",
    "api",
    "reader_bounds",
    "claims",
]


def main(names: list[str]) -> int:
    if names:
        for name in names:
            importlib.import_module(f"bench.{name}").run()
        return 0
    failed = [
        name
        for name in BENCHMARKS
        if subprocess.run([sys.executable, "-m", "bench", name]).returncode
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

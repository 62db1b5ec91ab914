"""Run every benchmark: `python -m bench` (or `make bench`); `python -m bench NAME` runs one;
`python -m bench --profile NAME` runs it under cProfile and prints where its time went (the
30 functions of most cumulative time in this process; a reader process is not in it).

Each benchmark runs in a process of its own, so one's memory and caches never count for another
(the upload benchmark reports the peak memory of its process).
"""

import cProfile
import importlib
import pstats
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
    if names[:1] == ["--profile"]:
        return profiled(names[1:])
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


def profiled(names: list[str], top: int = 30) -> int:
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        profile = cProfile.Profile()
        profile.runcall(module.run)
        print(f"\nProfile of bench.{name} (cumulative time, top {top}):")
        pstats.Stats(profile).strip_dirs().sort_stats("cumulative").print_stats(top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

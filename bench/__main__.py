"""Run every benchmark: `python -m bench` (or `make bench`); `python -m bench NAME` runs one."""

import importlib
import sys

BENCHMARKS = ["activity_list", "activity_form", "learner_matching", "learner_upload"]


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        importlib.import_module(f"bench.{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])

"""Run the benchmarks: `python -m bench [MODULE ...] [--OPTION ...]` (default: every module here
with `run()`). Options go to the one module named (`python -m bench uncertainty --quick`).

Prints the machine first, then each figure with its data size and target. Exits 1 if a figure misses
its target (figures are indicative: the machine may be shared and noisy).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import platform
import sys
import time
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    import numpy as np
    from threadpoolctl import threadpool_info

    blas = ", ".join(f"{b['internal_api']} {b['num_threads']}" for b in threadpool_info())
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"CPU: {cpu_model()}, {os.cpu_count()} cores (load average {load})\n"
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"numpy {np.__version__}, {platform.system()} {platform.release()}\n"
        f"BLAS threads: {blas or 'no BLAS found'}"
    )


def modules(names: list[str]) -> list[str]:
    found = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]))
    found = [m for m in found if not m.startswith("_")]
    if not names:
        return found
    unknown = [n for n in names if n not in found]
    if unknown:
        sys.exit(
            f"unknown benchmark module(s): {', '.join(unknown)}; available: {', '.join(found)}"
        )
    return names


def show(figure: dict[str, Any]) -> str:
    value = figure["value"]
    number = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    verdict = {True: "ok", False: "MISSED", None: ""}[figure.get("ok")]
    return (
        f"  {figure['figure']}\n"
        f"      {number} {figure.get('unit', '')}   data: {figure.get('size', '')}   "
        f"target: {figure.get('target', '–')}   {verdict}"
    )


def main(argv: list[str]) -> int:
    # The process-wide settings of the app's scoring processes (the worker, re-scoring).
    from mognad.scoring.engine import tune_process

    tune_process()
    options = [a for a in argv if a.startswith("--")]
    names = modules([a for a in argv if not a.startswith("--")])
    if options and len(names) != 1:
        sys.exit(f"options ({' '.join(options)}) need exactly one benchmark module named")
    print(machine())
    missed = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        run = getattr(module, "run", None)
        if run is None:
            continue
        print(f"\nbench.{name}")
        started = time.perf_counter()
        for figure in run(options) if options else run():
            print(show(figure), flush=True)
            missed += figure.get("ok") is False
        print(f"  (module took {time.perf_counter() - started:.1f} s)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

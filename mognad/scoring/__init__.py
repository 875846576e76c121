"""Scoring: the pure numpy engine (engine.py), the instrument as index arrays (structure.py) and
the offline `mognad score` command.

Importing this package before numpy limits OpenBLAS to one thread, unless OPENBLAS_NUM_THREADS is
already set. The engine's matrix products are small; on a busy two-core server a threaded BLAS spent
twice the CPU time and three times the wall-clock time of a single thread (docs/performance.md).
Django imports this package while loading the apps, before any module imports numpy, so this holds
for the web, the worker and the command line.
"""

import os
import sys

if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

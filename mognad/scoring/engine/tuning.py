"""Process-wide settings for scoring many groups: call `tune_process()` where a process starts doing
so (the worker's scoring job, re-scoring a year, generating demo data, the benchmarks).

Neither setting changes a result; both make the engine's many small computations cheaper
(docs/performance.md). Importing the engine changes nothing in the process.
"""

from __future__ import annotations

import os
import threading

import numpy as np
from threadpoolctl import threadpool_limits

# glibc's dynamic mmap threshold is raised to the size of the largest block freed so far.
_RECYCLE_BYTES = 8 * 2**20
# BLAS thread variables an operator may set; when one is set, the BLAS threads are left alone.
_BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

_lock = threading.Lock()
_tuned = False


def tune_process() -> None:
    """Tune this process (and the processes it forks later) for scoring; idempotent."""
    global _tuned
    with _lock:
        if _tuned:
            return
        recycle_freed_arrays()
        if not any(os.environ.get(name) for name in _BLAS_THREAD_VARIABLES):
            one_blas_thread()
        _tuned = True


def recycle_freed_arrays(size: int = _RECYCLE_BYTES) -> None:
    """Let the C allocator reuse freed arrays of up to `size` bytes instead of unmapping them.

    glibc's malloc maps each block above its mmap threshold (128 kB at first) fresh from the kernel
    and unmaps it when it is freed, so a group's arrays of a few hundred kB would page-fault anew
    on every `score` call: some 600 page faults per group, which doubled the engine's CPU time on
    the project's virtual machines. Freeing one block above the threshold raises it to that
    block's size (glibc's dynamic threshold; freed memory up to twice that stays in the process).
    Elsewhere this is one short-lived array and nothing more.
    """
    np.empty(size, dtype=np.uint8)


def one_blas_thread() -> None:
    """Run BLAS (numpy's matrix products) in the calling thread only.

    The engine's matrix products are small and many; on a busy two-core server a threaded BLAS
    spent twice the CPU time and three times the wall-clock time of a single thread.
    """
    threadpool_limits(limits=1, user_api="blas")

"""Process-wide tuning happens only when a process asks for it (`tune_process`), never on import."""

import json
import os
import subprocess
import sys

PROBE = """
import json
from threadpoolctl import threadpool_info, threadpool_limits

def blas_threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

import numpy
threadpool_limits(limits=2, user_api="blas")  # as an operator's BLAS might start
before = blas_threads()
import mognad.scoring.engine
from mognad.scoring.engine import tune_process
imported = blas_threads()
tune_process()
tuned = blas_threads()
tune_process()
print(json.dumps({"before": before, "imported": imported, "tuned": tuned, "again": blas_threads()}))
"""


def probe(**environment: str) -> dict[str, list[int]]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    completed = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PROBE],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, list[int]] = json.loads(completed.stdout)
    return result


def test_importing_the_engine_leaves_blas_alone_and_tune_process_sets_one_thread():
    result = probe()
    assert result["before"], "numpy's BLAS was not found"
    assert result["imported"] == result["before"]
    assert result["before"] != result["tuned"] == [1] * len(result["before"])
    assert result["again"] == result["tuned"]


def test_an_operators_blas_thread_setting_is_kept():
    result = probe(OPENBLAS_NUM_THREADS="2")
    assert result["tuned"] == result["before"]

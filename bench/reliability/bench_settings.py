"""Settings of the benchmark server (bench.answer_save): Mognad's own, plus a trivial view.

The trivial view lives only in `bench_urls`, never in the product's URLs.
"""

import os

from mognad.settings import *  # noqa: F403

ROOT_URLCONF = "bench.reliability.bench_urls"

# For measuring what persistent database connections would change (docs/performance.md):
# BENCH_CONN_MAX_AGE=60 keeps each worker's connection open for up to 60 s between requests.
if _conn_max_age := os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(_conn_max_age)  # noqa: F405

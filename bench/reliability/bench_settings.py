"""Settings of the benchmark server (bench.answer_save): Mognad's own, plus a trivial view.

The trivial view lives only in `bench_urls`, never in the product's URLs. Database connections are
kept as the product keeps them (MOGNAD_DB_CONN_MAX_AGE; set it to 0 to measure a new connection per
request).
"""

from mognad.settings import *  # noqa: F403

ROOT_URLCONF = "bench.reliability.bench_urls"

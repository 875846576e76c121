"""gunicorn's settings for Mognad's web process (docs/deployment.md).

    gunicorn --config deploy/gunicorn.conf.py

Options given on the command line (or in GUNICORN_CMD_ARGS) win over these, e.g. `--bind
127.0.0.1:8001` for a second instance on the same machine. The number of worker processes is
WEB_CONCURRENCY when set, else two per CPU core plus one.

Sync workers, because a reverse proxy (nginx, Caddy or the load balancer) sits in front and buffers
slow clients: a worker is busy only while Django computes the answer. Heavy work (scoring, email)
runs in `mognad worker`, never in a request.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "mognad.wsgi:application"

# Loopback only: the proxy on the same machine connects here. A web node behind a load balancer
# binds its private address instead (e.g. --bind 10.0.0.11:8000) and lets only the balancer in.
bind = ["127.0.0.1:8000"]

workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"

# Longer than the slowest page (a PDF report of a large organization takes a few seconds) and
# shorter than the proxy's proxy_read_timeout (75 s), so a stuck worker is replaced before the proxy
# gives up on it.
timeout = 60
# On SIGTERM (systemctl stop/restart) requests in flight get this long to finish.
graceful_timeout = 30
# Idle keep-alive connections from the proxy (nginx `keepalive` in the upstream block).
keepalive = 5

# Replace each worker after this many requests (give or take the jitter), so a slow leak in any
# library never grows without bound; workers restart at different times.
max_requests = 2000
max_requests_jitter = 200

# Mognad decides itself whom to believe about the client's scheme and address
# (MOGNAD_TRUSTED_PROXIES): gunicorn does not rewrite the scheme from X-Forwarded-* headers.
forwarded_allow_ips = ""

# Several instances may run on one machine (one per port); none needs gunicorn's control socket,
# whose default path they would share.
control_socket_disable = True

# The log goes to stdout/stderr, i.e. to the journal under systemd.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# The client's address as the proxy reported it, the request, status, size and seconds taken.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(L)ss "%(a)s"'

# Read the application in each worker (not in the master) so that a restart picks up new code and
# no database connection is ever shared between forked processes.
preload_app = False

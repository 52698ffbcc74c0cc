"""gunicorn settings for every way Crewdesk is served: `make run` (bin/run-dev), the benchmarks and production.

    gunicorn -c config/gunicorn.py config.wsgi:application

Overridable per run on the command line (`--bind`, `--workers`, `--reload`) or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 30

# Tommy's documented credential header is `api_key`. gunicorn >= 22 drops header names with underscores by default
# ("drop"), so a client that only changes its base URL would get 401. "dangerous" passes them on, mapped to the
# same WSGI key as their dash spelling (`api_key` and `Api-Key` are both HTTP_API_KEY): safe here because no proxy
# in front of Crewdesk is trusted to set a credential header that a client's underscore spelling could shadow.
header_map = "dangerous"

# Behind a TLS proxy that sets X-Forwarded-Proto (README "Production"); 127.0.0.1 is gunicorn's own default.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("DEBUG") == "1" else None

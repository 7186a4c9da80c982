"""gunicorn settings for `nongthon serve` (or `gunicorn -c python:nongthon.gunicorn_config
nongthon.wsgi:application`), read from the environment like the Django settings.

Sizing (docs/production.md): a sync worker serves one request at a time; NONGTHON_THREADS > 1
switches to threaded workers. Each worker process has its own database connection pool, so
NONGTHON_DB_POOL_MAX should be at least NONGTHON_THREADS, and workers × pool max must stay below
PostgreSQL's max_connections (less what the job worker and backups use).
"""

import os

bind = os.environ.get("NONGTHON_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("NONGTHON_WORKERS", "2"))
threads = int(os.environ.get("NONGTHON_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is killed (an export of a whole province is the longest).
timeout = int(os.environ.get("NONGTHON_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced after this many requests (with jitter so they do not all restart at once):
# it bounds the memory a long-lived worker can accumulate.
max_requests = int(os.environ.get("NONGTHON_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The reverse proxy on the same host is trusted for X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("NONGTHON_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Not preloaded: each worker opens its own connections (a pool must not cross a fork).
preload_app = False
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off the disk

# Requests are logged by the app (nongthon.ops.middleware.RequestLogMiddleware, with the user
# and the request id), so gunicorn's access log stays off; its own messages go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("NONGTHON_LOG_LEVEL", "info").lower()
_production = os.environ.get("NONGTHON_ENV", "development") == "production"
if os.environ.get("NONGTHON_LOG_FORMAT", "json" if _production else "text") == "json":
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["error_console"],
                "propagate": False,
                "qualname": "gunicorn.error",
            },
        },
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        "formatters": {"json": {"()": "nongthon.ops.logs.JsonFormatter"}},
    }

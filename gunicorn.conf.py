"""gunicorn settings for Case's web process: `gunicorn -c gunicorn.conf.py case_project.wsgi`.

Every value can be changed from the environment. The defaults suit a 2-core
machine behind a reverse proxy: one process per core, each with a few threads,
because a request mostly waits on PostgreSQL, Redis or Slack, not the CPU.

Database connections: Django keeps one connection per thread. One web process
holds at most GUNICORN_THREADS connections for requests, plus one per busy
thread of Bolt's listener executor (see docs/installation.md, "Sizing
database connections"). Keep the sum over every process below PostgreSQL's
max_connections.
"""

import os


# As in case_project/env.py: values trimmed, an empty one means the default.
def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _str(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _list(name: str, default: str) -> str:
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return ",".join(items) or default


wsgi_app = "case_project.wsgi:application"
bind = _str("GUNICORN_BIND", "127.0.0.1:8000")

workers = _int("GUNICORN_WORKERS", os.cpu_count() or 2)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"

# Slack wants an answer within 3 s; a request still running after this is
# stuck, and its worker is restarted.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Above the proxy's idle keep-alive to upstreams, so gunicorn never closes first.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Recycle a worker after this many requests (0: never), jittered so they do not
# all restart together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10

# Only the proxy may say a request came over HTTPS; Django reads the same
# header through SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = _list("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file lives in memory where there is /dev/shm (containers whose
# /tmp is a slow overlay would otherwise stall workers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# gunicorn 25+ opens a control socket under $HOME by default; two instances
# on one host would share it. Case does not use it.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "") == ""
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# Access and error lines go to stdout through Case's logging: one line per
# event, tokens redacted (case_project/logs.py).
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def _logconfig() -> dict:
    from case_project.logs import logging_config

    config = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"))
    config["loggers"] = {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    }
    return config


logconfig_dict = _logconfig()

"""Gunicorn's settings for `assure serve`, from ASSURE_WEB_* environment variables.

Loaded with `gunicorn -c python:assure.ops.gunicorn_conf`; see docs/operations.md.
"""

import os

from assure.config.env import env_choice, env_positive_int, env_str

bind = [env_str("ASSURE_WEB_BIND", "127.0.0.1:8000")]
workers = env_positive_int("ASSURE_WEB_WORKERS", max(2, os.cpu_count() or 1))
threads = env_positive_int("ASSURE_WEB_THREADS", 4)
worker_class = "gthread"
# A case-data upload is imported while the person waits: allow for a large one.
timeout = env_positive_int("ASSURE_WEB_TIMEOUT", 120)
graceful_timeout = env_positive_int("ASSURE_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = env_positive_int("ASSURE_WEB_KEEPALIVE", 5)
# Workers are replaced after this many requests, so no slow growth of memory lasts.
max_requests = env_positive_int("ASSURE_WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
limit_request_line = env_positive_int("ASSURE_WEB_LIMIT_REQUEST_LINE", 4094)
limit_request_fields = env_positive_int("ASSURE_WEB_LIMIT_REQUEST_FIELDS", 100)
limit_request_field_size = env_positive_int("ASSURE_WEB_LIMIT_REQUEST_FIELD_SIZE", 8190)
forwarded_allow_ips = env_str("ASSURE_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Gunicorn's heartbeat files; a container with a read-only root sets this to /dev/shm.
worker_tmp_dir = env_str("ASSURE_WEB_WORKER_TMP_DIR") or None
# No control socket: it would be written under $HOME, and nothing here uses it.
control_socket_disable = True
# Requests are logged by Django (assure.access), with their request id.
accesslog = None
errorlog = "-"
loglevel = env_str("LOG_LEVEL", "info").lower()
if env_choice("LOG_FORMAT", "json", ["json", "text"]) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "assure.ops.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            }
        },
    }

# The application is loaded, and readied, once in the master process; workers are forked from
# it ready to answer (assure.ops.warm).
preload_app = True


def when_ready(server: object) -> None:
    """Before any worker is forked: import the views and compile the templates."""
    from assure.ops.warm import warm_process

    warm_process()


def post_worker_init(worker: object) -> None:
    """In each worker, before its first request: start the chart renderer."""
    from assure.ops.warm import warm_charts

    warm_charts()

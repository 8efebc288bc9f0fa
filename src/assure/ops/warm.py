"""Readying the web server before it takes requests (gunicorn's hooks in `gunicorn_conf`).

A fresh process otherwise spends its first requests importing every view (loading the URL
configuration), compiling the templates it meets and starting the chart renderer: several
seconds of CPU that the first people after a restart, or after gunicorn replaces a worker
(`ASSURE_WEB_MAX_REQUESTS`), would wait for. Gunicorn loads the application once in its
master process (`preload_app`), where `warm_process` runs, and forks its workers from it, so
each worker, and each replacement, starts ready; the chart renderer runs threads of its own,
which do not survive a fork, so each worker starts it (`warm_charts`).
"""

import logging
import time

from django.template import engines
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def warm_process() -> dict[str, float]:
    """Import the views and compile every page template; returns the seconds each took."""
    took: dict[str, float] = {}
    started = time.monotonic()
    get_resolver().url_patterns  # noqa: B018 (imports every URL module and its views)
    took["views"] = time.monotonic() - started

    started = time.monotonic()
    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)
    took["templates"] = time.monotonic() - started
    seconds = {f"{step}_seconds": round(spent, 2) for step, spent in took.items()}
    logger.info("Web server ready", extra=seconds)
    return took


def warm_charts() -> float:
    """Start the chart renderer by drawing one small chart; returns the seconds it took."""
    from assure.indicators import charts

    started = time.monotonic()
    charts.trend_svg([charts.Point("Jan 2026", 0.5)], 0.9, "Warming the chart renderer")
    return time.monotonic() - started

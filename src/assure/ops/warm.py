"""Readying a web worker before it takes requests (gunicorn's `post_worker_init`).

A fresh process otherwise spends its first requests importing every view (loading the URL
configuration), compiling the templates it meets and starting the chart renderer: several
seconds of CPU that the first people after a restart, or after gunicorn replaces a worker
(`ASSURE_WEB_MAX_REQUESTS`), would wait for.
"""

import logging
import time

from django.template import engines
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def warm_process() -> dict[str, float]:
    """Import the views, compile every page template and draw one chart; returns the seconds
    each step took."""
    took: dict[str, float] = {}
    started = time.monotonic()
    get_resolver().url_patterns  # noqa: B018 (imports every URL module and its views)
    took["views"] = time.monotonic() - started

    started = time.monotonic()
    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)
    took["templates"] = time.monotonic() - started

    started = time.monotonic()
    from assure.indicators import charts

    charts.trend_svg([charts.Point("Jan 2026", 0.5)], 0.9, "Warming the chart renderer")
    took["charts"] = time.monotonic() - started
    seconds = {f"{step}_seconds": round(spent, 2) for step, spent in took.items()}
    logger.info("Web worker ready", extra=seconds)
    return took

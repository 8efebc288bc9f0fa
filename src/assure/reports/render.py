"""The report as a document: HTML of its own (styles inside, no script) and a tagged PDF.

The PDF is WeasyPrint's PDF/UA-1 variant (tagged, language set, metadata from the head), its
every page's footer carrying the stamp (the `@page` margin box reads it from the document,
`string-set`), and the stamp also in the PDF's metadata (title, description, keywords and
custom `assure-*` entries).
"""

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from markupsafe import Markup

from assure.reports.build import SECTIONS, ReportData, assure_version

CSS_PATH = Path(__file__).with_name("report.css")
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 44


@cache
def stylesheet() -> str:
    return CSS_PATH.read_text()


@cache
def style_hash() -> str:
    """The CSP source allowing exactly the report's own style element."""
    digest = hashlib.sha256(stylesheet().encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def trend_svg(months: Sequence[dict[str, Any]], target: float | None, label: str) -> Markup:
    """A measure's months as a small SVG line chart: the share done on time, the target as a
    dashed line, and a solid line where "since" begins. Its figures are in the table beside."""
    count = len(months)
    if not count:
        return Markup("")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(count - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label, quote=True)}" focusable="false">'
    ]
    for value in (0, 0.5, 1):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#0b0c0c" font-family="arial, sans-serif">{value:.0%}</text>'
        )
    since = next((i for i, m in enumerate(months) if m.get("period") == "since"), None)
    if since is not None:
        at = x(since) - step / 2 if since else x(0)
        parts.append(
            f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#0b0c0c" '
            f'stroke-width="2"/><text x="{at + 4:.1f}" y="{TOP + 10}" font-size="11" '
            'fill="#0b0c0c" font-family="arial, sans-serif">Accepted</text>'
        )
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            'stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT}" y="{y(target) - 5:.1f}" font-size="11" '
            f'text-anchor="end" fill="#0b0c0c" font-family="arial, sans-serif">'
            f"Target {target:.0%}</text>"
        )
    run: list[str] = []
    for i, month in enumerate(months):
        value = month["value"]
        if value is None:
            if len(run) > 1:
                parts.append(_polyline(run))
            run = []
            continue
        run.append(f"{x(i):.1f},{y(value):.1f}")
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" fill="#1d70b8"/>')
    if len(run) > 1:
        parts.append(_polyline(run))
    every = max(1, round(count / 8))
    for i, month in enumerate(months):
        if i % every == 0 or i == count - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="10" '
                f'text-anchor="middle" fill="#0b0c0c" font-family="arial, sans-serif">'
                f"{escape(month['month'])}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - built here from numbers and escaped words


def _polyline(points: list[str]) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="#1d70b8" stroke-width="3"/>'


def html(data: ReportData, made_at: str, digest: str) -> str:
    """The report as one HTML document (its styles inside; no script, no external file)."""
    templates = {s.key: s.template for s in SECTIONS}
    return render_to_string(
        "reports/document.html",
        {
            "report": data,
            "made_at": made_at,
            "digest": digest,
            "version": assure_version(),
            "templates": templates,
            "stylesheet": Markup(stylesheet()),  # noqa: S704 - our own file
            "trend_svg": trend_svg,
        },
    )


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The document is whole: WeasyPrint fetches nothing."""
    raise ValueError(f"The PDF renderer does not fetch {url}")


def pdf(document: str) -> bytes:
    """The HTML document as a tagged PDF/UA-1 with its metadata."""
    from weasyprint import HTML

    result: bytes = HTML(string=document, url_fetcher=refuse_fetch).write_pdf(
        pdf_variant="pdf/ua-1", custom_metadata=True
    )
    return result

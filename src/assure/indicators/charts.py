"""Charts drawn on the server as SVG markup (Altair + vl-convert), embedded inline in pages.

The page's Content Security Policy forbids scripts and inline styles, so a chart is plain
SVG: presentation attributes only, no <script>, no <style>, no style="..." attributes. The
SVG is one image to assistive technology (role="img" with a label); the figures are always
repeated in a table next to it, so nothing depends on seeing the chart or its colours.
"""

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from assure.indicators.selectors import IndicatorPage

# Altair and vl-convert are imported where a chart is drawn: loading them costs ~0.2 s, which
# every command and worker paid at start-up through the apps that import this module.

# GOV.UK Design System palette: text, brand blue, secondary text, borders.
TEXT = "#0b0c0c"
BLUE = "#1d70b8"
SECONDARY = "#505a5f"
BORDER = "#b1b4b6"
FONT = "arial, sans-serif"

_UNSAFE = re.compile(r"<\s*(script|style|foreignObject|iframe)\b", re.IGNORECASE)
_DROPPED_ATTRIBUTES = re.compile(
    r"\s(?:style|on[a-z]+|role|aria-[a-z]+|tabindex)\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE
)
_ROOT = re.compile(r"<svg\b")
_ROOT_CLASS = re.compile(r"<svg\b([^>]*?)\sclass=\"[^\"]*\"")


@dataclass(frozen=True)
class Point:
    """One month of a trend: its label and value (a fraction 0–1, or None when nothing was due)."""

    label: str
    value: float | None


def trend_spec(points: Sequence[Point], target: float | None, *, width: int = 560) -> dict:
    """The Vega-Lite specification of a monthly trend line with the target as a dashed rule."""
    import altair as alt

    order = [p.label for p in points]
    data = alt.Data(values=[{"month": p.label, "value": p.value} for p in points])
    x = alt.X(
        "month:O",
        sort=order,
        title=None,
        axis=alt.Axis(labelAngle=-45, labelColor=TEXT, domainColor=SECONDARY, tickColor=SECONDARY),
    )
    y_axis = alt.Axis(
        format="%",
        title="Done on time",
        titleColor=TEXT,
        labelColor=TEXT,
        domainColor=SECONDARY,
        tickColor=SECONDARY,
        gridColor="#f3f2f1",
    )
    line = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(color=BLUE, size=50), color=BLUE, strokeWidth=3)
        .encode(x=x, y=alt.Y("value:Q", scale=alt.Scale(domain=[0, 1]), axis=y_axis))
    )
    layers: list[alt.Chart] = [line]
    if target is not None:
        rule = (
            alt.Chart(alt.Data(values=[{"target": target}]))
            .mark_rule(color=TEXT, strokeDash=[6, 4], strokeWidth=2)
            .encode(y="target:Q")
        )
        label = (
            alt.Chart(alt.Data(values=[{"target": target, "text": f"Target {target:.0%}"}]))
            .mark_text(align="left", dx=4, dy=-8, color=TEXT, fontSize=13)
            .encode(y="target:Q", text="text:N", x=alt.value(0))
        )
        layers += [rule, label]
    chart = (
        alt.layer(*layers)
        .properties(width=width, height=260)
        .configure(font=FONT, background="white")
        .configure_view(stroke=BORDER)
        .configure_axis(labelFontSize=13, titleFontSize=14)
    )
    spec: dict = chart.to_dict()
    return spec


def to_svg(spec: dict, label: str) -> Markup:
    """Render a Vega-Lite spec to SVG markup safe to embed inline under the page's CSP."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    if _UNSAFE.search(svg):
        raise ValueError("The chart renderer produced a script or style element")
    svg = _DROPPED_ATTRIBUTES.sub("", svg)
    svg = _ROOT_CLASS.sub(r"<svg\1", svg, count=1)
    # One accessible image: its children are presentational, its label says what it shows.
    svg = _ROOT.sub(
        f'<svg role="img" aria-label="{escape(label, quote=True)}" focusable="false" '
        'class="app-chart"',
        svg,
        count=1,
    )
    return Markup(svg)  # noqa: S704 - our renderer's output, checked and stripped above


def trend_digest(points: Sequence[Point], target: float | None, label: str) -> str:
    """What a trend chart shows, as a key for a chart drawn earlier (`IndicatorFigures.charts`)."""
    shown = [[p.label, p.value] for p in points], target, label
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()


def trend_svg(
    points: Sequence[Point], target: float | None, label: str, drawn: Mapping[str, str] = {}
) -> Markup:
    """A monthly trend as inline SVG markup labelled for screen readers; taken from `drawn`
    (digest -> SVG, see `trend_digest`) when it was drawn before."""
    earlier = drawn.get(trend_digest(points, target, label))
    if earlier is not None:
        return Markup(earlier)  # noqa: S704 - drawn and checked by `to_svg` when stored
    return to_svg(trend_spec(points, target), label)


def indicator_trend(page: "IndicatorPage", drawn: Mapping[str, str] = {}) -> Markup | None:
    """The trend chart of an indicator page, as the page's viewer may see it (None: no data)."""
    if not page.has_data:
        return None
    points, target, label = trend_inputs(page)
    return trend_svg(points, target, label, drawn)


def trend_inputs(page: "IndicatorPage") -> tuple[list[Point], float, str]:
    """The points, target and screen-reader label of an indicator page's trend chart."""
    first, last = page.trend[0].name, page.trend[-1].name
    gaps = any(t.value_hidden for t in page.trend)
    target = page.indicator.target
    label = (
        f"Line chart: {page.indicator.title}, share done on time each month from {first} to "
        f"{last}, against a target of {target:.0%}. "
        + ("Months with small numbers are left out. " if gaps else "")
        + "The figures are in the table below."
    )
    return [Point(t.name, t.value) for t in page.trend], target, label

"""The escalation dashboard's charts, drawn on the server as CSP-safe SVG (indicators.charts).
The same figures are always in the tables beside them."""

import functools
import json
from typing import TYPE_CHECKING

from markupsafe import Markup

from assure.indicators.charts import BLUE, BORDER, FONT, SECONDARY, TEXT, to_svg

if TYPE_CHECKING:  # altair is imported where a chart is drawn, as in indicators.charts
    import altair as alt

STATUS_LABELS = ["Met", "Late", "Overdue"]
STATUS_COLOURS = ["#00703c", "#f47738", "#d4351c"]


def _configured(chart: "alt.Chart | alt.LayerChart") -> dict:
    spec: dict = (
        chart.configure(font=FONT, background="white")
        .configure_view(stroke=BORDER)
        .configure_axis(
            labelFontSize=13,
            titleFontSize=14,
            labelColor=TEXT,
            titleColor=TEXT,
            domainColor=SECONDARY,
            tickColor=SECONDARY,
        )
        .to_dict()
    )
    return spec


def months_spec(values: list[dict]) -> dict:
    import altair as alt

    order = [v["month"] for v in values]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("month:O", sort=order, title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("count:Q", title="Escalations raised", axis=alt.Axis(tickMinStep=1)),
        )
        .properties(width=520, height=200)
    )
    return _configured(chart)


def stages_spec(values: list[dict]) -> dict:
    import altair as alt

    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("stage:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title="Stages due in the window", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=STATUS_LABELS, range=STATUS_COLOURS),
                legend=alt.Legend(title="Status", labelColor=TEXT, titleColor=TEXT),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=420, height=200)
    )
    return _configured(chart)


@functools.lru_cache(maxsize=64)
def _drawn(kind: str, values: str, label: str) -> Markup:
    """Drawing is most of a dashboard's time: the same figures draw the same chart."""
    spec = months_spec if kind == "months" else stages_spec
    return to_svg(spec(json.loads(values)), label)


def months_svg(rows: list[tuple[str, int]]) -> Markup | None:
    if not any(n for _, n in rows):
        return None
    values = [{"month": label, "count": n} for label, n in rows]
    return _drawn(
        "months",
        json.dumps(values),
        "Chart of escalations raised each month; the table below gives the same figures.",
    )


def stages_svg(stages: dict[int, dict[str, int]]) -> Markup | None:
    values = [
        {"stage": f"Stage {n}", "status": label, "order": i, "count": counts[label.lower()]}
        for n, counts in stages.items()
        for i, label in enumerate(STATUS_LABELS)
        if counts[label.lower()]
    ]
    if not values:
        return None
    return _drawn(
        "stages",
        json.dumps(values),
        "Chart of each stage's timeliness: met, late and overdue; the table below gives the "
        "same figures.",
    )

"""The QA dashboard's chart: overall grades of finished audits per tool over months, stacked
bars drawn on the server as CSP-safe SVG (indicators.charts). The same figures are always in
the table beside it; a count the viewer may not see is not drawn."""

import functools
import json
from collections.abc import Sequence

from markupsafe import Markup

from assure.audits.grades import GradeLine
from assure.audits.models import GRADE_ORDER, Grade
from assure.indicators.charts import BORDER, FONT, SECONDARY, TEXT, to_svg

# GOV.UK colours, best grade darkest green to inadequate red; the legend and table name them.
GRADE_COLOURS = ["#00703c", "#85994b", "#f47738", "#d4351c"]
LABELS = [Grade(g).label for g in GRADE_ORDER]


def drawn_values(lines: Sequence[tuple[str, GradeLine]]) -> list[dict]:
    """The counts the viewer may see, one per tool, month and grade (zero and hidden: none)."""
    return [
        {"tool": tool, "month": line.month, "grade": label, "order": index, "count": value}
        for tool, line in lines
        for index, (label, value) in enumerate(zip(LABELS, line.values, strict=True))
        if value
    ]


def grades_spec(values: list[dict], *, width: int = 520) -> dict:
    """The Vega-Lite specification: one row of stacked bars (month by grade) per tool."""
    import altair as alt  # here, as in indicators.charts: only a dashboard draws

    header = alt.Header(
        labelColor=TEXT, labelAngle=0, labelAnchor="start", labelOrient="top", labelFontSize=14
    )
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("count:Q", title="Finished audits", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "grade:N",
                scale=alt.Scale(domain=LABELS, range=GRADE_COLOURS),
                legend=alt.Legend(title="Overall grade", labelColor=TEXT, titleColor=TEXT),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=width, height=160)
        .facet(row=alt.Row("tool:N", title=None, header=header))
        .configure(font=FONT, background="white")
        .configure_view(stroke=BORDER)
        .configure_axis(
            labelFontSize=13,
            titleFontSize=14,
            labelColor=TEXT,
            titleColor=TEXT,
            domainColor=SECONDARY,
            tickColor=SECONDARY,
        )
    )
    spec: dict = chart.to_dict()
    return spec


@functools.lru_cache(maxsize=64)
def _drawn(values: str) -> Markup:
    """Drawing takes most of the dashboard's time; the same figures draw the same chart, so
    each process keeps its latest few, keyed by the figures drawn."""
    return to_svg(
        grades_spec(json.loads(values)),
        "Chart of overall grades of finished audits per tool by month; "
        "the table below gives the same figures.",
    )


def grades_svg(lines: Sequence[tuple[str, GradeLine]]) -> Markup | None:
    """The chart as inline SVG, or None when no audit is finished (nothing to draw)."""
    values = drawn_values(lines)
    if not values:
        return None
    return _drawn(json.dumps(values))

"""A question's chart: the share of respondents giving each answer, drawn on the server as
CSP-safe SVG (indicators.charts). The table beside it gives the same figures; a hidden
figure is not drawn."""

import functools
import json

import altair as alt
from markupsafe import Markup

from assure.indicators.charts import BLUE, BORDER, FONT, SECONDARY, TEXT, to_svg
from assure.surveys.selectors import QuestionResult


def drawn_values(result: QuestionResult) -> list[dict]:
    return [
        {"answer": label, "order": n, "percent": round(figure.percent, 1)}
        for n, (label, figure) in enumerate(result.overall)
        if figure.percent is not None
    ]


def answers_spec(values: list[dict], *, width: int = 360) -> dict:
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y(
                "answer:N",
                title=None,
                sort=alt.EncodingSortField("order"),
                axis=alt.Axis(labelLimit=220),
            ),
            x=alt.X("percent:Q", title="% of respondents", scale=alt.Scale(domain=[0, 100])),
        )
        .properties(width=width, height=alt.Step(22))
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


@functools.lru_cache(maxsize=256)
def _drawn(values: str, label: str) -> Markup:
    """The same figures draw the same chart: each process keeps its latest few."""
    return to_svg(answers_spec(json.loads(values)), label)


def answers_svg(result: QuestionResult) -> Markup | None:
    values = drawn_values(result)
    if not values:
        return None
    label = (
        f"Chart of the share of respondents giving each answer to question "
        f"{result.question.number}; the table gives the same figures."
    )
    return _drawn(json.dumps(values), label)

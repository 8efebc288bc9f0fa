"""A question's chart: the share of respondents giving each answer, as horizontal bars.

Drawn here as plain SVG rather than through Altair and vl-convert (indicators.charts): a bar
chart of a few answers needs no layout engine, and the renderer's ~50 ms of CPU a chart made a
20-question results page take a second whenever an answer changed its figures. The markup
follows the same rules: presentation attributes only (the page's CSP forbids style), one
image to assistive technology with a label, the same palette and font, and the table beside
it gives the same figures. A hidden figure is not drawn.
"""

from html import escape

from markupsafe import Markup

from assure.indicators.charts import BLUE, BORDER, FONT, SECONDARY, TEXT
from assure.surveys.selectors import QuestionResult

WIDTH = 360  # the bars' frame
STEP = 22  # a row per answer
PADDING = 0.1  # of a row, above and below its bar
LABEL_CHARACTERS = 32  # longer answers are cut short with "…" (the table has them whole)
CHARACTER_WIDTH = 6.5  # about, for 13px Arial: only sizes the labels' margin
GRID = "#ddd"


def drawn_values(result: QuestionResult) -> list[tuple[str, float]]:
    """(answer, percent) of each answer whose percentage is shown, in the table's order."""
    return [
        (label, round(figure.percent, 1))
        for label, figure in result.overall
        if figure.percent is not None
    ]


def _label(words: str) -> str:
    if len(words) <= LABEL_CHARACTERS:
        return words
    return words[: LABEL_CHARACTERS - 1].rstrip() + "…"


def bars_svg(values: list[tuple[str, float]], label: str) -> Markup:
    """Horizontal bars from 0 to 100% with a labelled axis, as inline SVG markup."""
    labels = [_label(words) for words, _ in values]
    left = round(12 + CHARACTER_WIDTH * max(len(words) for words in labels))
    height = STEP * len(values)
    x = WIDTH / 100
    parts = [
        f'<svg role="img" aria-label="{escape(label)}" focusable="false" class="app-chart" '
        f'xmlns="http://www.w3.org/2000/svg" version="1.1" width="{left + WIDTH + 10}" '
        f'height="{height + 48}" viewBox="0 0 {left + WIDTH + 10} {height + 48}" '
        f'font-family="{FONT}">',
        f'<rect width="{left + WIDTH + 10}" height="{height + 48}" fill="white"/>',
        f'<g transform="translate({left},5)">',
    ]
    for tick in range(0, 101, 10):
        at = tick * x
        parts.append(f'<line x1="{at}" x2="{at}" y1="0" y2="{height}" stroke="{GRID}"/>')
        parts.append(
            f'<line x1="{at}" x2="{at}" y1="{height}" y2="{height + 5}" stroke="{SECONDARY}"/>'
        )
        if tick % 20 == 0:
            parts.append(
                f'<text x="{at}" y="{height + 18}" text-anchor="middle" font-size="13" '
                f'fill="{TEXT}">{tick}</text>'
            )
    for row, ((_, percent), words) in enumerate(zip(values, labels, strict=True)):
        top = row * STEP
        parts.append(
            f'<rect x="0" y="{top + STEP * PADDING:.1f}" width="{percent * x:.1f}" '
            f'height="{STEP * (1 - 2 * PADDING):.1f}" fill="{BLUE}"/>'
        )
        parts.append(
            f'<text x="-7" y="{top + STEP / 2 + 4.5:.1f}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(words)}</text>'
        )
    parts += [
        f'<rect x="0.5" y="0.5" width="{WIDTH}" height="{height}" fill="none" stroke="{BORDER}"/>',
        f'<line x1="0" x2="{WIDTH}" y1="{height + 0.5}" y2="{height + 0.5}" stroke="{SECONDARY}"/>',
        f'<text x="{WIDTH / 2}" y="{height + 38}" text-anchor="middle" font-size="14" '
        f'font-weight="bold" fill="{TEXT}">% of respondents</text>',
        "</g></svg>",
    ]
    return Markup("".join(parts))  # noqa: S704 - our own markup; every text is escaped


def answers_svg(result: QuestionResult) -> Markup | None:
    values = drawn_values(result)
    if not values:
        return None
    label = (
        f"Chart of the share of respondents giving each answer to question "
        f"{result.question.number}; the table gives the same figures."
    )
    return bars_svg(values, label)

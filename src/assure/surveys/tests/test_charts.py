"""A question's chart: bars as long as the shares in the table, hidden figures not drawn,
and markup the page's Content Security Policy allows."""

import re
from typing import Any

from assure.core.viewer import Viewer
from assure.surveys import charts, selectors


def test_the_bars_are_as_long_as_the_shares(
    survey: Any, give: Any, council: Any, police: Any, manager: Any
) -> None:
    # Question 2 (agree or disagree), all 20: 9 "4" (45%), 6 "5" (30%), 5 "2" (25%).
    give(council, 9, likert="4")
    give(council, 6, likert="5")
    give(police, 5, likert="2")
    result = selectors.results(Viewer.of(manager), survey, "agency").questions[1]
    assert charts.drawn_values(result) == [
        ("Strongly disagree", 0.0),
        ("Disagree", 25.0),
        ("Neither agree nor disagree", 0.0),
        ("Agree", 45.0),
        ("Strongly agree", 30.0),
    ]
    svg = str(charts.answers_svg(result))
    bars = re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)"', svg)
    assert bars == [f"{share * charts.WIDTH:.1f}" for share in (0, 0.25, 0, 0.45, 0.30)]


def test_hidden_figures_are_not_drawn(survey: Any, give: Any, police: Any, manager: Any) -> None:
    give(police, 3, likert="2")  # fewer than 5 in all: every figure is hidden
    result = selectors.results(Viewer.of(manager), survey, "agency").questions[1]
    assert charts.drawn_values(result) == []
    assert charts.answers_svg(result) is None


def test_the_chart_is_one_labelled_image_without_styles_or_scripts() -> None:
    svg = str(charts.bars_svg([("Yes <b>", 60.0), ("No", 40.0)], 'Chart of "question 1"'))
    assert svg.startswith('<svg role="img" aria-label="Chart of &quot;question 1&quot;"')
    assert "Yes &lt;b&gt;" in svg
    assert not re.search(r"<(script|style)|\sstyle=|\son[a-z]+=", svg)


def test_a_long_answer_is_cut_short_in_the_chart_only() -> None:
    words = "Through a colleague in another agency who had used the protocol"
    svg = str(charts.bars_svg([(words, 100.0)], "Chart"))
    assert words not in svg
    assert f">{words[: charts.LABEL_CHARACTERS - 1].rstrip()}…<" in svg

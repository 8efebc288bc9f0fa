"""Rule 8940: A child's plans overlapping."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def _two_plans(first_end: str, second_start: str) -> str:
    second = s47(start="2024-09-02", target="2024-09-20", icpc=second_start)
    return child(
        episode(
            assessment(),
            s47(),
            plan(end=first_end),
            second,
            plan(start=second_start, reviews=()),
        )
    )


def test_plan_starting_before_the_other_ended_fails():
    assert failing("8940", _two_plans("2024-09-20", "2024-09-16")) == ["C1"]


def test_plan_starting_while_the_other_is_open_fails():
    assert failing("8940", _two_plans("", "2024-09-16")) == ["C1"]


def test_plan_starting_after_the_other_ended_passes():
    assert failing("8940", _two_plans("2024-09-13", "2024-09-16")) == []

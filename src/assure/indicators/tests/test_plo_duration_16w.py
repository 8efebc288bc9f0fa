"""plo_duration_16w: pre-proceedings concluded within 16 weeks of the decision."""

from assure.indicators.tests.builders import Case, run, statuses


def test_pre_proceedings_duration(partnership):
    case = Case()
    # Decided Mon 5 Jan 2026 + 16 weeks (112 days) = Mon 27 Apr 2026.
    case.pre_proceedings("PP1", "P1", "2026-01-05", concluded="2026-04-27")  # met
    case.pre_proceedings("PP2", "P2", "2026-01-05", concluded="2026-04-28")  # late
    case.pre_proceedings("PP3", "P3", "2026-01-05")  # still open at `to`: overdue
    case.pre_proceedings("PP4", "P4", "2026-01-05", concluded="2026-07-02")  # after `to`: overdue
    # Decided Mon 1 Jun 2026: due Mon 21 Sep 2026: upcoming.
    case.pre_proceedings("PP5", "P5", "2026-06-01")
    # The child died on 1 Apr 2026, before it fell due: void.
    case.person("P6", death="2026-04-01")
    case.pre_proceedings("PP6", "P6", "2026-01-05")
    case.load(partnership)

    result = run("plo_duration_16w", partnership, "2026-04-01", "2026-06-30")
    assert statuses(result) == {
        "pre-proceedings PP1": ("2026-04-27", "2026-04-27", "met"),
        "pre-proceedings PP2": ("2026-04-27", "2026-04-28", "late"),
        "pre-proceedings PP3": ("2026-04-27", None, "overdue"),
        "pre-proceedings PP4": ("2026-04-27", None, "overdue"),
        "pre-proceedings PP5": ("2026-09-21", None, "upcoming"),
        "pre-proceedings PP6": ("2026-04-27", None, "void"),
    }
    assert result.value == 0.25

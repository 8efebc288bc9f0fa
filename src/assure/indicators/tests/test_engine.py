"""The engine: the registry, windows, targets, results as JSON and allocation on a due date."""

from datetime import date

import pytest

from assure.indicators.catalogue import ORDER
from assure.indicators.engine import REGISTRY, Obligation, compute, compute_all, listing_of
from assure.indicators.obligations import allocate
from assure.indicators.tests.builders import Case, run

IDS = [
    "icpc_15wd_strategy",
    "icpc_15wd_s47",
    "core_group_first_10wd",
    "core_group_interval",
    "core_group_recorded_5wd",
    "rcpc_timeliness",
    "chair_consistency",
    "midway_review",
    "cp_visit_10wd",
    "plan_action_quality",
    "legal_decision_recorded_10wd",
    "plo_letter_filed_10wd",
    "plo_duration_16w",
    "viability_10wd",
    "viability_qa_5wd",
    "csafe_review_3m",
    "repeat_plan_2y",
    "long_plan_2y",
    "supervision_4w",
    "csafe_oversight_4w",
]


def test_registry_is_the_catalogue_in_order():
    assert list(REGISTRY) == IDS == list(ORDER)
    for indicator in REGISTRY.values():
        assert indicator.target == 0.9
        assert indicator.tables
        assert indicator.title
        assert indicator.measures
        assert indicator.basis


def test_no_snapshot_means_no_data(partnership):
    results = compute_all(partnership.pk, date(2026, 1, 1), date(2026, 3, 31))
    assert [r.indicator.id for r in results] == IDS
    assert all(not r.has_data and r.value is None and r.obligations == [] for r in results)


def test_window_errors(partnership):
    with pytest.raises(KeyError, match="Unknown indicator"):
        compute("no_such_indicator", partnership.pk, date(2026, 1, 1), date(2026, 1, 31))
    with pytest.raises(ValueError, match="after it ends"):
        compute_all(partnership.pk, date(2026, 2, 1), date(2026, 1, 31))


def test_targets_from_settings_and_json(partnership, settings):
    settings.ASSURE_INDICATOR_TARGETS = {"long_plan_2y": 0.95}
    case = Case()
    case.plan("L1", "P1", "2024-01-02")  # open more than 2 years at 30 Jun 2026: breach
    case.plan("L2", "P2", "2026-01-05")  # met
    case.load(partnership)
    result = run("long_plan_2y", partnership, "2026-01-01", "2026-06-30")
    assert result.indicator.target == 0.95
    assert REGISTRY["long_plan_2y"].target == 0.9
    assert result.to_json(detail=False) == {
        "id": "long_plan_2y",
        "title": REGISTRY["long_plan_2y"].title,
        "met": 1,
        "late": 0,
        "overdue": 0,
        "breach": 1,
        "upcoming": 0,
        "value": 0.5,
        "target": 0.95,
    }
    detail = result.to_json(detail=True)["obligations"]
    assert detail == [
        {"person_id": "P1", "ref": "plan L1", "due": None, "done": None, "status": "breach"},
        {"person_id": "P2", "ref": "plan L2", "due": None, "done": None, "status": "met"},
    ]


def test_only_obligations_due_in_the_window_are_counted(partnership):
    case = Case()
    # Requested Fri 19 Dec 2025 + 10 wd = Wed 7 Jan 2026: outside a February window.
    case.viability("V1", "P1", "2025-12-19", completed="2026-01-07")
    # Requested Mon 2 Feb 2026 + 10 wd = Mon 16 Feb 2026: inside.
    case.viability("V2", "P2", "2026-02-02", completed="2026-02-20")
    case.load(partnership)
    result = run("viability_10wd", partnership, "2026-02-01", "2026-02-28")
    assert [(o.ref, o.status) for o in result.obligations] == [("viability assessment V2", "late")]
    assert result.value == 0.0


def test_allocation_on_the_due_date(partnership):
    case = Case()
    case.team("T1", "Safeguarding East")
    case.professional("W1", name="Worker One")
    case.professional("W2", name="Worker Two")
    case.involvement("IV1", "P1", "W1", "T1", "2025-01-02", end="2026-01-31")
    case.involvement("IV2", "P1", "W2", "Team by name", "2026-02-01")
    case.load(partnership)
    obligations = listing_of(
        [
            Obligation("P1", "a", date(2026, 1, 15), None, "overdue"),
            Obligation("P1", "b", date(2026, 3, 2), None, "overdue"),
            Obligation("P1", "c", date(2024, 3, 2), None, "overdue"),  # nobody allocated then
            Obligation("P1", "d", None, None, "breach"),  # no due date: no allocation
            Obligation("P2", "e", date(2026, 3, 2), None, "overdue"),  # not in the extract
        ]
    )
    allocated = allocate(partnership.pk, obligations)
    assert allocated.select("ref", "team", "worker").rows() == [
        ("a", "Safeguarding East", "Worker One"),
        ("b", "Team by name", "Worker Two"),
        ("c", None, None),
        ("d", None, None),
        ("e", None, None),
    ]


def test_allocation_when_involvements_overlap_is_the_latest_started(partnership):
    case = Case()
    case.professional("W1", name="Worker One")
    case.professional("W2", name="Worker Two")
    case.involvement("IV1", "P1", "W1", "Team A", "2025-01-02")
    case.involvement("IV2", "P1", "W2", "Team B", "2026-02-01", end="2026-02-27")
    case.load(partnership)
    obligations = listing_of(
        [
            Obligation("P1", "inside", date(2026, 2, 27), None, "overdue"),
            Obligation("P1", "after", date(2026, 3, 2), None, "overdue"),
        ]
    )
    assert allocate(partnership.pk, obligations).select("ref", "team", "worker").rows() == [
        ("inside", "Team B", "Worker Two"),
        ("after", "Team A", "Worker One"),
    ]

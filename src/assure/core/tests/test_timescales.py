"""Versioned timescale configuration: defaults, local override files and their errors."""

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django import Settings

from assure.core import timescales
from assure.core.timescales import Timescale, all_timescales, due_date, reset_cache, timescale

EXPECTED_DEFAULTS = {
    "notification_wd": (5, "working_days"),
    "rapid_review_wd": (15, "working_days"),
    "lcspr_completion_months": (6, "months"),
    "publication_notice_wd": (7, "working_days"),
    "icpc_wd": (15, "working_days"),
    "core_group_first_wd": (10, "working_days"),
    "core_group_interval_days": (42, "days"),
    "core_group_record_wd": (5, "working_days"),
    "rcpc_first_months": (3, "months"),
    "rcpc_interval_months": (6, "months"),
    "cp_visit_wd": (10, "working_days"),
    "legal_decision_record_wd": (10, "working_days"),
    "plo_letter_filed_wd": (10, "working_days"),
    "plo_duration_weeks": (16, "weeks"),
    "viability_wd": (10, "working_days"),
    "viability_qa_wd": (5, "working_days"),
    "csafe_review_months": (3, "months"),
    "supervision_days": (28, "days"),
    "csafe_oversight_days": (28, "days"),
    "repeat_plan_years": (24, "months"),
    "long_plan_years": (24, "months"),
    "action_due_soon_days": (14, "days"),
    "escalation_stage_1_wd": (5, "working_days"),
    "escalation_stage_2_wd": (5, "working_days"),
    "escalation_stage_3_wd": (10, "working_days"),
    "escalation_stage_4_wd": (20, "working_days"),
}

LATER_CORE_GROUP = """
[[timescale]]
key = "core_group_interval_days"
amount = 28
unit = "days"
applies_from = 2025-04-01
basis = "Local: core groups at most 4 weeks apart"
"""

WriteToml = Callable[[str], Path]


@pytest.fixture(autouse=True)
def fresh_cache(settings: Settings) -> Iterator[None]:
    settings.ASSURE_TIMESCALES_FILE = ""
    reset_cache()
    yield
    reset_cache()


@pytest.fixture
def use_toml(tmp_path: Path, settings: Settings) -> WriteToml:
    """Write text to a TOML file and point ASSURE_TIMESCALES_FILE at it."""

    def write(text: str) -> Path:
        path = tmp_path / "timescales.toml"
        path.write_text(text, encoding="utf-8")
        settings.ASSURE_TIMESCALES_FILE = str(path)
        reset_cache()
        return path

    return write


def test_defaults_cover_every_domain_timescale() -> None:
    found = {t.key: (t.amount, t.unit) for t in all_timescales()}
    assert found == EXPECTED_DEFAULTS
    assert {t.applies_from for t in all_timescales()} == {date(2018, 1, 1)}
    assert all(t.basis for t in all_timescales())


def test_default_in_force() -> None:
    t = timescale("icpc_wd", date(2025, 12, 19))
    assert t == Timescale("icpc_wd", 15, "working_days", date(2018, 1, 1), t.basis)


def test_dates_before_the_first_version_use_it() -> None:
    assert timescale("rapid_review_wd", date(2015, 6, 1)).amount == 15


def test_unknown_key() -> None:
    with pytest.raises(KeyError, match="Unknown timescale 'icpc_days'"):
        timescale("icpc_days", date(2025, 1, 1))
    with pytest.raises(KeyError, match="icpc_wd"):
        due_date("icpc_days", date(2025, 1, 1))


@pytest.mark.parametrize(
    ("key", "start", "expected"),
    [
        ("icpc_wd", date(2025, 12, 19), date(2026, 1, 14)),
        ("core_group_first_wd", date(2025, 12, 19), date(2026, 1, 7)),
        ("core_group_interval_days", date(2025, 12, 19), date(2026, 1, 30)),
        ("rcpc_first_months", date(2025, 11, 30), date(2026, 2, 28)),
        ("lcspr_completion_months", date(2025, 8, 31), date(2026, 2, 28)),
        ("plo_duration_weeks", date(2025, 12, 19), date(2026, 4, 10)),
        ("long_plan_years", date(2024, 2, 29), date(2026, 2, 28)),
        ("action_due_soon_days", date(2025, 12, 19), date(2026, 1, 2)),
    ],
)
def test_due_date_applies_the_unit(key: str, start: date, expected: date) -> None:
    assert due_date(key, start) == expected


def test_later_version_applies_from_its_date_only(use_toml: WriteToml) -> None:
    use_toml(LATER_CORE_GROUP)
    old = timescale("core_group_interval_days", date(2025, 3, 31))
    new = timescale("core_group_interval_days", date(2025, 4, 1))
    assert (old.amount, old.applies_from) == (42, date(2018, 1, 1))
    assert (new.amount, new.unit, new.applies_from) == (28, "days", date(2025, 4, 1))
    assert new.basis == "Local: core groups at most 4 weeks apart"
    assert due_date("core_group_interval_days", date(2025, 3, 31)) == date(2025, 5, 12)
    assert due_date("core_group_interval_days", date(2025, 4, 1)) == date(2025, 4, 29)
    versions = [t for t in all_timescales() if t.key == "core_group_interval_days"]
    assert [t.amount for t in versions] == [42, 28]
    assert len(all_timescales()) == len(EXPECTED_DEFAULTS) + 1


def test_file_can_replace_a_default_and_change_unit(use_toml: WriteToml) -> None:
    use_toml(
        """
[[timescale]]
key = "cp_visit_wd"
amount = 4
unit = "weeks"
applies_from = "2018-01-01"
basis = "Local: visits every 4 weeks"

[[timescale]]
key = "cp_visit_wd"
amount = 15
unit = "working_days"
applies_from = 2026-04-01
basis = "Local: every 15 working days from April 2026"
"""
    )
    assert due_date("cp_visit_wd", date(2025, 12, 19)) == date(2026, 1, 16)
    assert due_date("cp_visit_wd", date(2026, 4, 1)) == date(2026, 4, 24)
    assert [t.amount for t in all_timescales() if t.key == "cp_visit_wd"] == [4, 15]


def test_changing_the_setting_reads_the_new_file(use_toml: WriteToml, settings: Settings) -> None:
    use_toml(LATER_CORE_GROUP)
    assert timescale("core_group_interval_days", date(2026, 1, 1)).amount == 28
    settings.ASSURE_TIMESCALES_FILE = ""
    assert timescale("core_group_interval_days", date(2026, 1, 1)).amount == 42


def test_configuration_is_cached_until_reset(use_toml: WriteToml) -> None:
    path = use_toml(LATER_CORE_GROUP)
    assert timescale("core_group_interval_days", date(2026, 1, 1)).amount == 28
    path.write_text(LATER_CORE_GROUP.replace("28", "21"), encoding="utf-8")
    assert timescale("core_group_interval_days", date(2026, 1, 1)).amount == 28
    reset_cache()
    assert timescale("core_group_interval_days", date(2026, 1, 1)).amount == 21


def test_empty_file_gives_defaults(use_toml: WriteToml) -> None:
    use_toml("")
    assert len(all_timescales()) == len(EXPECTED_DEFAULTS)


def entry(**fields: str) -> str:
    """A [[timescale]] entry: a valid one, with fields replaced (raw TOML) or removed ("")."""
    values = {
        "key": '"icpc_wd"',
        "amount": "20",
        "unit": '"working_days"',
        "applies_from": "2026-01-01",
        "basis": '"Local"',
    }
    values.update(fields)
    lines = [f"{name} = {value}" for name, value in values.items() if value]
    return "[[timescale]]\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("bad", "field", "value", "expected"),
    [
        ({"unit": '"fortnights"'}, "unit", "'fortnights'", "expected one of working_days"),
        ({"applies_from": '"2026-02-30"'}, "applies_from", "'2026-02-30'", "expected a date"),
        ({"applies_from": '"01/04/2026"'}, "applies_from", "'01/04/2026'", "expected a date"),
        ({"applies_from": "2026-04-01T09:00:00"}, "applies_from", "datetime", "expected a date"),
        ({"key": ""}, "key", "missing", "expected one of"),
        ({"key": '"icpc_days"'}, "key", "'icpc_days'", "expected one of"),
        ({"amount": ""}, "amount", "missing", "expected a whole number"),
        ({"amount": "-5"}, "amount", "-5", "expected a whole number, 0 or more"),
        ({"amount": "2.5"}, "amount", "2.5", "expected a whole number"),
        ({"amount": "true"}, "amount", "True", "expected a whole number"),
        ({"amount": '"10"'}, "amount", "'10'", "expected a whole number"),
        ({"basis": '"  "'}, "basis", "'  '", "expected non-empty text"),
        ({"basis": ""}, "basis", "missing", "expected non-empty text"),
        ({"ammount": "20"}, "ammount", "20", "expected only the fields"),
    ],
)
def test_bad_entries_name_file_entry_field_value_and_expectation(
    use_toml: WriteToml, bad: dict[str, str], field: str, value: str, expected: str
) -> None:
    path = use_toml(entry() + "\n" + entry(**bad))
    with pytest.raises(ImproperlyConfigured) as raised:
        timescale("icpc_wd", date(2026, 1, 1))
    message = str(raised.value)
    assert str(path) in message
    assert f"entry 2, field '{field}'" in message
    assert value in message
    assert expected in message


def test_duplicate_versions_in_the_file_are_refused(use_toml: WriteToml) -> None:
    path = use_toml(entry() + entry(amount="25"))
    with pytest.raises(ImproperlyConfigured, match="entry 2, field 'applies_from'") as raised:
        all_timescales()
    assert str(path) in str(raised.value)
    assert "entry 1" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[timescale]\nkey = 1", "not valid TOML"),
        ("timescale = 3", "expected [[timescale]] entries"),
        ("timescales = []", "top-level 'timescales'"),
        ("timescale = [1]", "entry 1"),
    ],
)
def test_bad_file_structure(use_toml: WriteToml, text: str, expected: str) -> None:
    path = use_toml(text)
    with pytest.raises(ImproperlyConfigured) as raised:
        due_date("icpc_wd", date(2026, 1, 1))
    assert str(path) in str(raised.value)
    assert expected in str(raised.value)


def test_missing_file(settings: Settings, tmp_path: Path) -> None:
    settings.ASSURE_TIMESCALES_FILE = str(tmp_path / "absent.toml")
    with pytest.raises(ImproperlyConfigured, match=r"absent\.toml: cannot be read"):
        all_timescales()


def test_every_unit_is_handled() -> None:
    assert set(timescales.UNITS) == {"working_days", "days", "weeks", "months"}

"""Versioned timescale configuration (domain.md section 1).

Every timescale has defaults applying from 1 Jan 2018 (Working Together 2018). A partnership
adds versions in a TOML file named by the ``ASSURE_TIMESCALES_FILE`` setting::

    [[timescale]]
    key = "core_group_interval_days"
    amount = 28
    unit = "days"
    applies_from = 2025-04-01
    basis = "Local: core groups at most 4 weeks apart from April 2025"

The version in force on a date is the one with the latest ``applies_from`` on or before it; a
version in the file with the same key and ``applies_from`` as a default replaces the default.
Dates before the earliest version use the earliest version.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast, get_args

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from assure.core import calendar

__all__ = ["Timescale", "Unit", "all_timescales", "due_date", "reset_cache", "timescale"]

Unit = Literal["working_days", "days", "weeks", "months"]
UNITS: tuple[str, ...] = get_args(Unit)
WT2018 = date(2018, 1, 1)
_WT = "Working Together to Safeguard Children 2018"


@dataclass(frozen=True, slots=True)
class Timescale:
    """One version of a timescale: amount and unit, in force from applies_from."""

    key: str
    amount: int
    unit: Unit
    applies_from: date
    basis: str


def _default(key: str, amount: int, unit: Unit, basis: str) -> Timescale:
    """A default timescale applying from Working Together 2018."""
    return Timescale(key, amount, unit, WT2018, basis)


_LOCAL = "Local default"
DEFAULTS: tuple[Timescale, ...] = (
    _default("notification_wd", 5, "working_days", f"{_WT}: serious incident notification"),
    _default("rapid_review_wd", 15, "working_days", f"{_WT}: rapid review after notification"),
    _default("lcspr_completion_months", 6, "months", f"{_WT}: LCSPR completed after decision"),
    _default(
        "publication_notice_wd",
        7,
        "working_days",
        f"{_WT}: final LCSPR report to the Panel before publication (not statute)",
    ),
    _default("icpc_wd", 15, "working_days", f"{_WT}: ICPC after the strategy discussion"),
    _default("core_group_first_wd", 10, "working_days", f"{_WT}: first core group after ICPC"),
    _default(
        "core_group_interval_days", 42, "days", f"{_LOCAL}: core groups at most 6 weeks apart"
    ),
    _default("core_group_record_wd", 5, "working_days", f"{_LOCAL}: core group record written up"),
    _default("rcpc_first_months", 3, "months", f"{_WT}: first review conference after ICPC"),
    _default("rcpc_interval_months", 6, "months", f"{_WT}: later review conferences"),
    _default("cp_visit_wd", 10, "working_days", f"{_LOCAL}: statutory visits to a child on a plan"),
    _default(
        "legal_decision_record_wd",
        10,
        "working_days",
        f"{_LOCAL}: legal planning decision recorded within two weeks",
    ),
    _default(
        "plo_letter_filed_wd",
        10,
        "working_days",
        f"{_LOCAL}: letter before proceedings filed on the child's file",
    ),
    _default("plo_duration_weeks", 16, "weeks", "PLO guidance: pre-proceedings concluded"),
    _default("viability_wd", 10, "working_days", f"{_LOCAL}: viability assessment completed"),
    _default("viability_qa_wd", 5, "working_days", f"{_LOCAL}: viability assessment QA"),
    _default("csafe_review_months", 3, "months", f"{_LOCAL}: CSAFE flag reviewed by an adviser"),
    _default(
        "supervision_days", 28, "days", f"{_LOCAL}: formal supervision at least every 4 weeks"
    ),
    _default(
        "csafe_oversight_days",
        28,
        "days",
        f"{_LOCAL}: manager's oversight of a CSAFE case at least every 4 weeks",
    ),
    _default("repeat_plan_years", 24, "months", "DfE measure: repeat plan within 2 years"),
    _default("long_plan_years", 24, "months", "DfE measure: plan lasting 2 years or more"),
    _default("action_due_soon_days", 14, "days", f"{_LOCAL}: action shown as due soon"),
    _default("escalation_stage_1_wd", 5, "working_days", f"{_LOCAL}: escalation stage 1 resolved"),
    _default("escalation_stage_2_wd", 5, "working_days", f"{_LOCAL}: escalation stage 2 resolved"),
    _default("escalation_stage_3_wd", 10, "working_days", f"{_LOCAL}: escalation stage 3 resolved"),
    _default("escalation_stage_4_wd", 20, "working_days", f"{_LOCAL}: escalation stage 4 resolved"),
)
KEYS: frozenset[str] = frozenset(t.key for t in DEFAULTS)
_FIELDS = ("key", "amount", "unit", "applies_from", "basis")


def _bad(path: str, where: str, problem: str) -> ImproperlyConfigured:
    """An ImproperlyConfigured error naming the file, the place in it and the problem."""
    return ImproperlyConfigured(f"Timescales file {path}: {where}: {problem}")


def _field(
    path: str, number: int, entry: dict[str, Any], name: str, value_ok: bool, expected: str
) -> None:
    """Raise unless value_ok, describing entry number, field, value and what was expected."""
    if not value_ok:
        shown = repr(entry[name]) if name in entry else "missing"
        raise _bad(path, f"entry {number}, field {name!r}", f"value {shown}, expected {expected}")


def _parse_date(value: object) -> date | None:
    """A TOML date or a YYYY-MM-DD string as a date; None if it is neither."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            return None
    return None


def _parse_entry(path: str, number: int, entry: object) -> Timescale:
    """Validate one [[timescale]] table (numbered from 1) and build its Timescale."""
    if not isinstance(entry, dict):
        raise _bad(path, f"entry {number}", f"value {entry!r}, expected a [[timescale]] table")
    for name in entry:
        _field(path, number, entry, name, name in _FIELDS, f"only the fields {', '.join(_FIELDS)}")
    key, amount, unit, basis = (entry.get(n) for n in ("key", "amount", "unit", "basis"))
    _field(path, number, entry, "key", key in KEYS, f"one of {', '.join(sorted(KEYS))}")
    _field(
        path,
        number,
        entry,
        "amount",
        type(amount) is int and amount >= 0,
        "a whole number, 0 or more",
    )
    _field(path, number, entry, "unit", unit in UNITS, f"one of {', '.join(UNITS)}")
    applies_from = _parse_date(entry.get("applies_from"))
    _field(path, number, entry, "applies_from", applies_from is not None, "a date YYYY-MM-DD")
    _field(
        path,
        number,
        entry,
        "basis",
        isinstance(basis, str) and bool(basis.strip()),
        "non-empty text saying why (statutory or local)",
    )
    return Timescale(
        key=str(key),
        amount=cast(int, amount),
        unit=cast(Unit, unit),
        applies_from=cast(date, applies_from),
        basis=str(basis).strip(),
    )


def _read_file(path: str) -> list[Timescale]:
    """Parse and validate the local timescales TOML file."""
    try:
        with Path(path).open("rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        raise _bad(path, "cannot be read", str(e)) from e
    except tomllib.TOMLDecodeError as e:
        raise _bad(path, "not valid TOML", str(e)) from e
    extra = sorted(set(data) - {"timescale"})
    if extra:
        raise _bad(path, f"top-level {extra[0]!r}", "expected only [[timescale]] entries")
    entries = data.get("timescale", [])
    if not isinstance(entries, list):
        raise _bad(path, "'timescale'", "expected [[timescale]] entries (an array of tables)")
    parsed = [_parse_entry(path, i, entry) for i, entry in enumerate(entries, start=1)]
    seen: dict[tuple[str, date], int] = {}
    for i, t in enumerate(parsed, start=1):
        if (t.key, t.applies_from) in seen:
            raise _bad(
                path,
                f"entry {i}, field 'applies_from'",
                f"value {t.applies_from.isoformat()!r}, expected a date not already used "
                f"for {t.key!r} (entry {seen[t.key, t.applies_from]})",
            )
        seen[t.key, t.applies_from] = i
    return parsed


@lru_cache(maxsize=8)
def _load(path: str) -> dict[str, tuple[Timescale, ...]]:
    """Defaults plus the file's versions, by key, each sorted by applies_from."""
    versions = {(t.key, t.applies_from): t for t in DEFAULTS}
    versions.update({(t.key, t.applies_from): t for t in (_read_file(path) if path else [])})
    by_key: dict[str, list[Timescale]] = {}
    for (key, _), t in sorted(versions.items()):
        by_key.setdefault(key, []).append(t)
    return {key: tuple(ts) for key, ts in by_key.items()}


def _config() -> dict[str, tuple[Timescale, ...]]:
    """The cached configuration for the current ASSURE_TIMESCALES_FILE setting."""
    return _load(str(getattr(settings, "ASSURE_TIMESCALES_FILE", "") or ""))


def reset_cache() -> None:
    """Forget parsed configuration (tests, or after the file changes)."""
    _load.cache_clear()


def timescale(key: str, on: date) -> Timescale:
    """The version of timescale key in force on a date (earliest version before any applies)."""
    versions = _config().get(key)
    if versions is None:
        raise KeyError(f"Unknown timescale {key!r}; known: {', '.join(sorted(KEYS))}")
    index = bisect_right([t.applies_from for t in versions], on) - 1
    return versions[max(index, 0)]


def due_date(key: str, start: date) -> date:
    """start plus the timescale in force on start, in its unit."""
    t = timescale(key, start)
    if t.unit == "working_days":
        return calendar.add_working_days(start, t.amount)
    if t.unit == "weeks":
        return calendar.add_weeks(start, t.amount)
    if t.unit == "months":
        return calendar.add_months(start, t.amount)
    return start + timedelta(days=t.amount)


def versions(key: str) -> tuple[Timescale, ...]:
    """Every version of timescale key, by applies_from."""
    found = _config().get(key)
    if found is None:
        raise KeyError(f"Unknown timescale {key!r}; known: {', '.join(sorted(KEYS))}")
    return found


def all_timescales() -> list[Timescale]:
    """Every version of every timescale, by key then applies_from."""
    return [t for key in sorted(_config()) for t in _config()[key]]

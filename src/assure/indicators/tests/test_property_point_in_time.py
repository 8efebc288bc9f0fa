"""Moving `to` forward never turns a met obligation into anything else, nor changes a void one.

Each example loads a small synthetic authority (`assure.casedata.synth`) and computes the whole
catalogue for a window [from, to1] and again for [from, to2] with to2 after to1. Obligations
are matched by (indicator id, person id, ref). Checks judged as at `to` without a due date
(a chair, an action, a CSAFE flag, a long plan as things stand at `to`) are left out: they are
meant to change as time passes.
"""

import tempfile
from datetime import date, timedelta
from itertools import count
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assure.accounts.models import Partnership
from assure.casedata import synth
from assure.casedata.importer.reading import sources_from_folder
from assure.casedata.importer.run import import_tables
from assure.indicators.engine import compute_all

AS_OF = date(2026, 10, 31)
AS_AT_TO = {"chair_consistency", "plan_action_quality", "csafe_review_3m", "long_plan_2y"}
_numbers = count(1)


def _load(seed: int) -> Partnership:
    partnership = Partnership.objects.create(name=f"Synthetic {seed} #{next(_numbers)}")
    with tempfile.TemporaryDirectory() as folder:
        synth.generate(Path(folder), 25, seed, AS_OF)
        result = import_tables(
            partnership, sources_from_folder(Path(folder)), actor=None, extract_date=AS_OF
        )
    assert result.ok, result.problems
    return partnership


def _judged(partnership: Partnership, start: date, end: date) -> dict[tuple[str, str, str], str]:
    judged: dict[tuple[str, str, str], str] = {}
    for r in compute_all(partnership.pk, start, end):
        for o in r.obligations:
            assert o.done is None or o.done <= end, (r.indicator.id, o)  # nothing after `to`
            if r.indicator.id not in AS_AT_TO:
                judged[r.indicator.id, o.person_id, o.ref] = o.status
    return judged


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(min_value=1, max_value=10_000),
    start_offset=st.integers(min_value=0, max_value=900),
    first=st.integers(min_value=0, max_value=300),
    step=st.integers(min_value=1, max_value=300),
)
def test_met_and_void_obligations_stay_as_to_moves_forward(db, seed, start_offset, first, step):
    partnership = _load(seed)
    start = date(2024, 1, 1) + timedelta(days=start_offset)
    to1 = start + timedelta(days=first)
    to2 = to1 + timedelta(days=step)
    before = _judged(partnership, start, to1)
    after = _judged(partnership, start, to2)
    for key, status in before.items():
        if status in ("met", "void"):
            assert after.get(key) == status, (key, status, after.get(key), to1, to2)
        elif status == "overdue":  # once overdue, only doing it late can change that
            assert after.get(key) in ("overdue", "late"), (key, after.get(key), to1, to2)

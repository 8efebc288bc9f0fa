"""The rules in `assure import-cin`: --check-only --json, refusals by rule code, queries."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assure.casedata import models
from assure.casedata.tests.cinrules.builders import (
    REFERENCE,
    assessment,
    child,
    episode,
    plan,
    s47,
)

SAME_DAY_PLAN = child(episode(assessment(), s47(), plan(end="2024-05-20", reviews=())), id="E1")
WEEKEND_TARGET = child(episode(assessment(), s47(target="2024-05-25"), plan()), id="Q1")


def _file(tmp_path: Path, *children: str) -> Path:
    path = tmp_path / "census.xml"
    path.write_text(
        '<?xml version="1.0"?><Message><Header><CollectionDetails>'
        f"<ReferenceDate>{REFERENCE}</ReferenceDate></CollectionDetails></Header>"
        f"<Children>{''.join(children)}</Children></Message>",
        encoding="utf-8",
    )
    return path


def _run(*args: object) -> str:
    out = StringIO()
    call_command("import_cin", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def _refused(*args: object) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_cin", *[str(a) for a in args], stdout=out)
    return str(refused.value), out.getvalue()


def _written() -> tuple[int, int]:
    return models.Person.objects.count(), models.ImportSnapshot.objects.count()


@pytest.mark.django_db
def test_check_only_json_lists_every_problem_and_writes_nothing(partnership, tmp_path):
    bad_sex = child(id="X1").replace("<Sex>F</Sex>", "<Sex>X</Sex>")
    path = _file(tmp_path, WEEKEND_TARGET, SAME_DAY_PLAN, bad_sex, child(id="OK"))
    message, out = _refused(path, "--check-only", "--json")
    assert message == "census.xml has errors: it would not be imported."
    report = json.loads(out)
    assert report["children"] == 4
    problems = report["problems"]
    assert all(set(p) == {"child", "rule", "severity", "message"} for p in problems)
    # The reader's errors, then the rules' child by child in the file's order.
    assert [(p["child"], p["rule"], p["severity"]) for p in problems] == [
        ("X1", None, "error"),
        ("Q1", "8870Q", "query"),
        ("E1", "8840", "error"),
    ]
    assert problems[0]["message"].startswith("ChildIdentifiers/Sex: 'X'; expected a sex code")
    assert problems[2]["message"].startswith(
        "A child protection plan cannot start and end on the same day (plan starting "
        "and ending 2024-05-20"
    )
    assert _written() == (0, 0)


@pytest.mark.django_db
def test_check_only_json_of_a_sound_census_has_no_problems(partnership, tmp_path):
    out = _run(_file(tmp_path, child(), child(id="C2")), "--check-only", "--json")
    assert json.loads(out) == {"children": 2, "problems": []}
    assert _written() == (0, 0)


def test_json_is_only_for_check_only(tmp_path):
    message, _ = _refused(_file(tmp_path, child()), "--json")
    assert message == "--json is only for --check-only."


@pytest.mark.django_db
def test_check_only_without_json_reports_and_writes_nothing(partnership, tmp_path):
    out = _run(_file(tmp_path, WEEKEND_TARGET), "--check-only")
    assert "Query 8870Q (child Q1): Please check: the target date" in out
    assert "Checked only: nothing was imported." in out
    assert _written() == (0, 0)


@pytest.mark.django_db
def test_a_rule_error_refuses_the_file_naming_the_rule(partnership, tmp_path):
    path = _file(tmp_path, SAME_DAY_PLAN, child(id="C2"))
    message, out = _refused(path)
    assert message.startswith("census.xml: 1 child has problems: nothing was imported")
    assert "Child E1:\n  - rule 8840: A child protection plan cannot start and end" in out
    assert _written() == (0, 0)
    out = _run(path, "--skip-invalid")
    assert "1 child not imported (problems above): E1." in out
    assert list(models.Person.objects.values_list("ssd_id", flat=True)) == ["C2"]


@pytest.mark.django_db
def test_a_file_level_rule_error_is_reported_for_the_census(partnership, tmp_path):
    no_conference = episode(assessment(), s47(icpc="", target="", not_required="true"), plan())
    message, out = _refused(_file(tmp_path, child(no_conference)))
    assert message.startswith("census.xml: 1 child has problems: nothing was imported")
    assert "Child C1:\n  - rule 2885: A child protection plan starts on a different day" in out
    assert "The census: rule 2883: More child protection plans start" in out
    assert _written() == (0, 0)


@pytest.mark.django_db
def test_queries_are_reported_and_do_not_refuse(partnership, tmp_path):
    out = _run(_file(tmp_path, WEEKEND_TARGET))
    assert "Query 8870Q (child Q1)" in out
    assert list(models.Person.objects.values_list("ssd_id", flat=True)) == ["Q1"]

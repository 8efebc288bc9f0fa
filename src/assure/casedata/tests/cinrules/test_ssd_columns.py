"""The SSD rules' column forms (`suspects`) find every child their checks find.

`ssd.check_extract` reads into a `Census` only the children some rule's `suspects` names; here
its findings are compared with those of the rules' checks over every child of the extract
(`_census(_read(...))`), on hand-made faults (dates written in each accepted way, not dates,
ids with spaces, repeated ids) and on a synthetic authority's extract with faults put in.
"""

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from assure.casedata.cinrules import check_census, rules
from assure.casedata.cinrules.ssd import SSD_RULES, _census, _read, _tables, check_extract
from assure.casedata.importer.reading import TableSource
from assure.casedata.synth import generate
from assure.casedata.tests.extracts import write_extract

Found = tuple[str | None, str, str, int | None]  # child, rule, message, position


def _sources(folder: Path) -> dict[str, TableSource]:
    return {path.stem: TableSource(path, path.name) for path in sorted(folder.glob("*.csv"))}


def _person(id: str, death: str = "", forename: str = "Synthetic") -> dict[str, str]:
    return {
        "pers_person_id": id,
        "pers_forename": forename,
        "pers_dob": "2015-03-17",
        "pers_death_date": death,
    }


def _enquiry(id: str, person: str, start: str) -> dict[str, str]:
    return {
        "s47e_s47_enquiry_id": id,
        "s47e_person_id": person,
        "s47e_s47_start_date": start,
        "s47e_s47_nfa": "N",
    }


def _conference(s47: str, held: str, target: str = "2025-01-22") -> dict[str, str]:
    return {"icpc_s47_enquiry_id": s47, "icpc_icpc_date": held, "icpc_icpc_target_date": target}


def _plan(id: str, person: str, start: str, end: str = "") -> dict[str, str]:
    return {
        "cppl_cp_plan_id": id,
        "cppl_person_id": person,
        "cppl_cp_plan_start_date": start,
        "cppl_cp_plan_end_date": end,
        "cppl_cp_plan_initial_category": "NEG",
        "cppl_cp_plan_latest_category": "emo",
    }


def _review(plan: str, held: str) -> dict[str, str]:
    return {"cppr_cp_plan_id": plan, "cppr_cp_review_date": held}


def _hand_made(spanning: bool) -> dict[str, list[dict[str, str]]]:
    """Children P1 to P16 (Mon 20 Jan 2025 is a conference day), each sound or failing one
    rule as its comment says; `spanning` puts a line break in a name, so that the person file
    is read row by row rather than whole by polars."""
    forename = "Ann\nMarie" if spanning else "Ann"
    people = [_person(f"P{n}") for n in range(1, 17)]
    people[0] = _person("P1", forename=forename)
    people[6] = _person("P7", death="2025-03-01")
    people[7] = _person("P8", death="01/03/2025")
    people.insert(14, _person("P14"))  # the same id twice: both rows are children
    return {
        "ssd_person": people,
        "ssd_s47_enquiry": [
            _enquiry("S1", "P1", "2025-01-06"),  # sound
            _enquiry("S2", "P2", "21/01/2025"),  # 8615: starts after its conference
            _enquiry("S2b", "P2", ""),  # 8615: a conference, no start
            _enquiry("S3", "P3", "2025-01-20 00:00:00"),  # starts the day of its conference
            _enquiry("S6", "P6", "2025-01-06"),  # 8870Q and 8875: weekend target and date
            _enquiry("S12", "P12", "2025-01-06"),
            _enquiry("S13", "P13", "2025-01-06"),
            _enquiry("S99", "P99", ""),  # no such child
        ],
        "ssd_initial_cp_conference": [
            _conference("S1", "2025-01-20"),
            _conference("S2", "2025-01-20"),
            _conference("S2b", "2025-01-20"),
            _conference("S3", "2025-01-20"),
            _conference("S6", "2025-01-26T09:00", target="2025-01-25"),
            _conference("S12", "2025-01-25"),  # replaced by the later row: sound
            _conference("S13", "2025-01-20"),  # replaced by the later row: 8875
            _conference("S12", "2025-01-20"),
            _conference("S13", "2025-01-25"),
            _conference("", "2025-01-25"),  # no enquiry
            _conference("S99", "2025-01-25"),
        ],
        "ssd_cp_plans": [
            _plan("PL1", "P1", "2025-01-20"),
            _plan("PL4", " P4 ", "2025-02-03", "03/02/2025"),  # 8840: the same day twice
            _plan("PL5", "P5", "2025-02-03"),  # 8841: reviewed the day it started
            _plan("PL7", "P7", "2025-03-03", "2025-03-10"),  # 8915 and 8920
            _plan("PL8", "P8", "2025-01-20", "2025-03-01"),  # ends the day the child died
            _plan("PL9a", "P9", ""),  # 8935: two open plans
            _plan("PL9b", "P9", "2025-01-20"),
            _plan("PL10a", "P10", "2025-01-06", "2025-03-03"),  # 8940: the next starts that day
            _plan("PL10b", "P10", "2025-03-03"),
            _plan("PL11a", "P11", "2025-01-06", "2025-03-03"),  # the next starts after
            _plan("PL11b", "P11", "2025-03-04"),
            _plan("PL14", "P14", "2025-02-04", "2025-02-04"),  # 8840, for both P14 rows
            _plan("PL16a", "P16", "2025-01-06", "2025-02-03"),  # 8940, each overlaps the other
            _plan("PL16b", "P16", "2025-01-06", "2025-02-03"),
            _plan("PL99", "P99", "2025-01-06", "2025-01-06"),  # no such child
        ],
        "ssd_cp_reviews": [
            _review("PL1", "2025-04-14"),
            _review("PL5", "2025-03-03"),
            _review("PL5", "2025-02-30"),  # not a date: no review
            _review("PL5", "2025-02-03"),
            _review("PL5", ""),
            _review("PL99", "2025-01-01"),
        ],
    }


def _every_child(sources: dict[str, TableSource]) -> list[Found]:
    """The rules' checks over a census of every child of the extract."""
    read = _read(sources)
    assert read is not None
    found = check_census(_census(read), only=SSD_RULES)
    return [(p.child, p.rule, p.message, p.position) for p in found]


def _agree(sources: dict[str, TableSource]) -> list[Found]:
    """The findings, once checked to be those of every child, and each rule's failing
    children to be among its suspects."""
    found = [(p.child, p.rule, p.message, p.position) for p in check_extract(sources)]
    assert found == _every_child(sources)
    read = _read(sources)
    assert read is not None
    tables = _tables(read)
    for rule in rules():
        if rule.code in SSD_RULES:
            assert rule.suspects is not None
            suspects = set(rule.suspects(tables).to_list())
            assert {child for child, code, *_ in found if code == rule.code} <= suspects
    return found


@pytest.mark.parametrize("spanning", [False, True])
def test_hand_made_faults_are_found_as_checking_every_child_finds_them(tmp_path, spanning):
    sources = _sources(write_extract(tmp_path, _hand_made(spanning)))
    assert (sources["ssd_person"].frame() is None) == spanning
    found = _agree(sources)
    assert [(child, code) for child, code, *_ in found] == [
        ("P2", "8615"),
        ("P2", "8615"),
        ("P4", "8840"),
        ("P5", "8841"),
        ("P6", "8870Q"),
        ("P6", "8875"),
        ("P7", "8915"),
        ("P7", "8920"),
        ("P9", "8935"),
        ("P10", "8940"),
        ("P13", "8875"),
        ("P14", "8840"),
        ("P14", "8840"),
        ("P16", "8940"),
        ("P16", "8940"),
    ]
    assert found[2][2].endswith("(plan starting and ending 2025-02-03)")


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for n, row in enumerate(rows):
        change(n, row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields or ()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _shift(text: str, days: int, n: int) -> str:
    """The date `days` later, written every other time as DD/MM/YYYY."""
    day = date.fromisoformat(text[:10]) + timedelta(days=days)
    return day.strftime("%d/%m/%Y") if n % 2 else day.isoformat()


def _to_weekend(text: str, n: int) -> str:
    day = date.fromisoformat(text)
    return _shift(text, 5 + n % 2 - day.weekday(), n)


def test_a_synthetic_extract_with_faults_is_found_as_checking_every_child_finds_it(tmp_path):
    generate(tmp_path, 1500, 3, date(2026, 10, 31))
    sources = _sources(tmp_path)
    assert _agree(sources) == []  # a careful authority's extract
    starts: dict[str, str] = {}
    earlier: dict[str, dict[str, str]] = {}  # each child's plan before this one

    def plans(n: int, row: dict[str, str]) -> None:
        start = row["cppl_cp_plan_start_date"]
        if row["cppl_person_id"] in earlier and n % 2:
            earlier[row["cppl_person_id"]]["cppl_cp_plan_end_date"] = ""  # never closed
        earlier[row["cppl_person_id"]] = row
        if n % 9 == 0:
            row["cppl_cp_plan_end_date"] = _shift(start, 0, n)
        elif n % 9 == 1:
            row["cppl_cp_plan_end_date"] = ""
        elif n % 9 == 2:
            row["cppl_cp_plan_start_date"] = _shift(start, 150, n)
        starts[row["cppl_cp_plan_id"]] = start
        if n % 11 == 3:
            deaths[row["cppl_person_id"]] = _shift(start, (n % 3 - 1) * 30, n)

    deaths: dict[str, str] = {}
    _rewrite(tmp_path / "ssd_cp_plans.csv", plans)

    def reviews(n: int, row: dict[str, str]) -> None:
        if n % 7 == 0 and row["cppr_cp_plan_id"] in starts:
            row["cppr_cp_review_date"] = _shift(starts[row["cppr_cp_plan_id"]], -(n % 2), n)

    def conferences(n: int, row: dict[str, str]) -> None:
        if n % 5 == 0 and row["icpc_icpc_date"]:
            row["icpc_icpc_date"] = _to_weekend(row["icpc_icpc_date"], n)
        elif n % 5 == 1 and row["icpc_icpc_target_date"]:
            row["icpc_icpc_target_date"] = _to_weekend(row["icpc_icpc_target_date"], n)

    def enquiries(n: int, row: dict[str, str]) -> None:
        if n % 6 == 0:
            row["s47e_s47_start_date"] = "" if n % 12 else "2026-02-30"
        elif n % 6 == 1:
            row["s47e_s47_start_date"] = _shift(row["s47e_s47_start_date"], 20, n)

    def people(n: int, row: dict[str, str]) -> None:
        row["pers_death_date"] = deaths.get(row["pers_person_id"], row["pers_death_date"])

    _rewrite(tmp_path / "ssd_cp_reviews.csv", reviews)
    _rewrite(tmp_path / "ssd_initial_cp_conference.csv", conferences)
    _rewrite(tmp_path / "ssd_s47_enquiry.csv", enquiries)
    _rewrite(tmp_path / "ssd_person.csv", people)
    found = _agree(_sources(tmp_path))
    assert {code for _, code, *_ in found} == set(SSD_RULES)


def test_tables_without_rows_or_missing_have_no_findings(tmp_path):
    tables = _hand_made(spanning=False)
    header = ",".join(tables["ssd_cp_plans"][0]) + "\n"
    only: dict[str, list[dict[str, str]] | str] = {
        "ssd_person": tables["ssd_person"],
        "ssd_cp_plans": header,
    }
    assert _agree(_sources(write_extract(tmp_path, only))) == []

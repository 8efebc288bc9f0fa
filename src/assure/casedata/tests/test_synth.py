"""The synthetic authority: deterministic, complete, internally consistent and realistic enough.

No database: these read the CSV files `generate` writes.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from assure.casedata import contract
from assure.casedata.synth import (
    DEFAULT_AS_OF,
    PERSON_EXTRA_COLUMNS,
    TABLE_COLUMNS,
    generate,
    vocabulary,
)
from assure.core.calendar import add_months, add_working_days

DOMAIN_DOC = Path(__file__).resolve().parents[4].parent / "shared" / "docs" / "domain.md"
N = 2000
SEED = 7
AS_OF = DEFAULT_AS_OF

Rows = list[dict[str, str]]


def _read(folder: Path) -> dict[str, Rows]:
    tables = {}
    for name in TABLE_COLUMNS:
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
            tables[name] = list(csv.DictReader(fh))
    return tables


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> tuple[Path, dict[str, int], dict[str, Rows]]:
    folder = tmp_path_factory.mktemp("synth")
    counts = generate(folder, N, SEED, AS_OF)
    return folder, counts, _read(folder)


@pytest.fixture(scope="module")
def tables(extract) -> dict[str, Rows]:
    return extract[2]


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _by(rows: Rows, column: str) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[row[column]].append(row)
    return grouped


# ---- determinism and the contract --------------------------------------------------------------


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path):
    generate(tmp_path / "a", 300, 11, AS_OF)
    generate(tmp_path / "b", 300, 11, AS_OF)
    generate(tmp_path / "c", 300, 12, AS_OF)
    a, b, c = _bytes(tmp_path / "a"), _bytes(tmp_path / "b"), _bytes(tmp_path / "c")
    assert a == b
    assert a.keys() == c.keys()
    assert a != c
    assert a["ssd_cp_visits.csv"] != c["ssd_cp_visits.csv"]


def test_as_of_defaults_and_counts_match_files(extract):
    folder, counts, tables = extract
    assert set(counts) == set(TABLE_COLUMNS)
    assert {p.name for p in folder.iterdir()} == {f"{name}.csv" for name in TABLE_COLUMNS}
    for name, rows in tables.items():
        assert counts[name] == len(rows), name
        assert rows, f"{name} is empty"
    assert counts["ssd_person"] == N


def _contract_from_domain_doc() -> dict[str, list[str]]:
    text = DOMAIN_DOC.read_text(encoding="utf-8")
    section = text.split("## 5.", 1)[1].split("## 6.", 1)[0]
    # Section 9's extension tables are in the same import (their items run over two lines).
    workforce = text.split("## 9.", 1)[1].split("Two indicators", 1)[0]
    section += re.sub(r"\n  +", " ", workforce)
    contract = {}
    for match in re.finditer(r"^- `((?:ssd|assure)_\w+)`: (.+)$", section, re.MULTILINE):
        name, rest = match.groups()
        columns = []
        rest = re.sub(r"\([^)]*\)", "", rest)
        for part in rest.split(". ")[0].split(", "):
            column = part.strip().strip("*").split(" ")[0].strip("*")
            columns.append(column)
        contract[name] = columns
    return contract


def test_every_file_has_exactly_the_contract_columns(extract):
    folder, _, _ = extract
    for name, columns in TABLE_COLUMNS.items():
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        expected = list(columns) + (list(PERSON_EXTRA_COLUMNS) if name == "ssd_person" else [])
        assert header == expected, name


@pytest.mark.skipif(not DOMAIN_DOC.exists(), reason="shared domain.md not available")
def test_column_names_match_domain_md_section_5():
    contract = _contract_from_domain_doc()
    assert set(contract) == set(TABLE_COLUMNS)
    for name, columns in contract.items():
        assert list(TABLE_COLUMNS[name]) == columns, name


def test_values_are_well_formed(tables):
    date_re = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    for name, rows in tables.items():
        for row in rows:
            for column, value in row.items():
                if column.endswith(("_date", "_dob", "_due")) or column == "stra_date":
                    assert value == "" or date_re.match(value), (name, column, value)
                    if value:
                        date.fromisoformat(value)
    flags = {
        "ssd_s47_enquiry": ["s47e_s47_nfa"],
        "ssd_initial_cp_conference": ["icpc_icpc_transfer_in", "icpc_icpc_outcome_cp_flag"],
        "ssd_cp_reviews": ["cppr_cp_review_outcome_continue_cp", "cppr_cp_review_quorate"],
        "ssd_cp_visits": ["cppv_cp_visit_seen", "cppv_cp_visit_seen_alone"],
        "assure_legal_planning": ["lgpl_threshold_disagreement"],
    }
    for name, columns in flags.items():
        for row in tables[name]:
            for column in columns:
                assert row[column] in ("Y", "N", ""), (name, column, row[column])
    for row in tables["ssd_person"]:
        assert row["pers_forename"]
        assert row["pers_surname"].startswith("Child ")
        assert row["pers_sex"] in ("M", "F", "U")


# ---- internal consistency ------------------------------------------------------------------------

ID_COLUMNS = {
    "ssd_person": "pers_person_id",
    "ssd_department": "dept_team_id",
    "ssd_professionals": "prof_professional_id",
    "ssd_involvements": "invo_involvements_id",
    "ssd_s47_enquiry": "s47e_s47_enquiry_id",
    "ssd_initial_cp_conference": "icpc_icpc_id",
    "ssd_cp_plans": "cppl_cp_plan_id",
    "ssd_cp_reviews": "cppr_cp_review_id",
    "ssd_cp_visits": "cppv_cp_visit_id",
    "ssd_pre_proceedings": "prep_table_id",
    "assure_strategy_discussions": "stra_strategy_id",
    "assure_conference_chairs": "chai_meeting_id",
    "assure_core_groups": "cogr_core_group_id",
    "assure_midway_reviews": "midw_id",
    "assure_plan_actions": "plac_action_id",
    "assure_legal_planning": "lgpl_id",
    "assure_plo_filing": "plof_table_id",
    "assure_viability_assessments": "viab_id",
    "assure_case_flags": "flag_id",
}

REFERENCES = [  # (table, column, referenced table); blank values are allowed
    ("ssd_involvements", "invo_person_id", "ssd_person"),
    ("ssd_involvements", "invo_professional_id", "ssd_professionals"),
    ("ssd_involvements", "invo_professional_team", "ssd_department"),
    ("ssd_professionals", "prof_professional_department", "ssd_department"),
    ("ssd_s47_enquiry", "s47e_person_id", "ssd_person"),
    ("ssd_s47_enquiry", "s47e_s47_completed_by_team", "ssd_department"),
    ("ssd_s47_enquiry", "s47e_s47_completed_by_worker_id", "ssd_professionals"),
    ("assure_strategy_discussions", "stra_person_id", "ssd_person"),
    ("assure_strategy_discussions", "stra_s47_enquiry_id", "ssd_s47_enquiry"),
    ("ssd_initial_cp_conference", "icpc_person_id", "ssd_person"),
    ("ssd_initial_cp_conference", "icpc_s47_enquiry_id", "ssd_s47_enquiry"),
    ("ssd_initial_cp_conference", "icpc_cp_plan_id", "ssd_cp_plans"),
    ("ssd_initial_cp_conference", "icpc_icpc_team", "ssd_department"),
    ("ssd_initial_cp_conference", "icpc_icpc_worker_id", "ssd_professionals"),
    ("ssd_cp_plans", "cppl_person_id", "ssd_person"),
    ("ssd_cp_plans", "cppl_icpc_id", "ssd_initial_cp_conference"),
    ("ssd_cp_reviews", "cppr_cp_plan_id", "ssd_cp_plans"),
    ("ssd_cp_visits", "cppv_cp_plan_id", "ssd_cp_plans"),
    ("assure_core_groups", "cogr_cp_plan_id", "ssd_cp_plans"),
    ("assure_midway_reviews", "midw_cp_plan_id", "ssd_cp_plans"),
    ("assure_midway_reviews", "midw_chair_professional_id", "ssd_professionals"),
    ("assure_plan_actions", "plac_cp_plan_id", "ssd_cp_plans"),
    ("assure_conference_chairs", "chai_chair_professional_id", "ssd_professionals"),
    ("assure_legal_planning", "lgpl_person_id", "ssd_person"),
    ("ssd_pre_proceedings", "prep_person_id", "ssd_person"),
    ("assure_plo_filing", "plof_table_id", "ssd_pre_proceedings"),
    ("assure_viability_assessments", "viab_person_id", "ssd_person"),
    ("assure_viability_assessments", "viab_team", "ssd_department"),
    ("assure_case_flags", "flag_person_id", "ssd_person"),
]


def test_ids_are_unique(tables):
    for name, column in ID_COLUMNS.items():
        values = [row[column] for row in tables[name]]
        assert all(values), name
        assert len(values) == len(set(values)), name


def test_references_resolve(tables):
    ids = {name: {row[column] for row in tables[name]} for name, column in ID_COLUMNS.items()}
    for name, column, target in REFERENCES:
        missing = {row[column] for row in tables[name] if row[column]} - ids[target]
        assert not missing, (name, column, sorted(missing)[:5])
    # A row naming a plan and a person names the plan's own person.
    plan_person = {p["cppl_cp_plan_id"]: p["cppl_person_id"] for p in tables["ssd_cp_plans"]}
    for name, plan_col, person_col in [
        ("ssd_cp_reviews", "cppr_cp_plan_id", "cppr_person_id"),
        ("ssd_cp_visits", "cppv_cp_plan_id", "cppv_person_id"),
        ("assure_core_groups", "cogr_cp_plan_id", "cogr_person_id"),
        ("assure_midway_reviews", "midw_cp_plan_id", "midw_person_id"),
        ("assure_plan_actions", "plac_cp_plan_id", "plac_person_id"),
    ]:
        for row in tables[name]:
            assert plan_person[row[plan_col]] == row[person_col], (name, row)


def test_every_meeting_has_a_chair_and_every_chair_row_a_meeting(tables):
    meetings = [r["icpc_icpc_meeting_id"] for r in tables["ssd_initial_cp_conference"]]
    meetings += [r["cppr_cp_review_meeting_id"] for r in tables["ssd_cp_reviews"]]
    assert all(meetings)
    chaired = {r["chai_meeting_id"] for r in tables["assure_conference_chairs"]}
    assert chaired == set(meetings)


def test_plans_and_conferences_link_both_ways(tables):
    icpcs = {r["icpc_icpc_id"]: r for r in tables["ssd_initial_cp_conference"]}
    for plan in tables["ssd_cp_plans"]:
        icpc = icpcs[plan["cppl_icpc_id"]]
        assert icpc["icpc_cp_plan_id"] == plan["cppl_cp_plan_id"]
        assert icpc["icpc_icpc_date"] == plan["cppl_cp_plan_start_date"]
        assert icpc["icpc_icpc_outcome_cp_flag"] == "Y"
    for icpc in icpcs.values():
        if icpc["icpc_icpc_transfer_in"] == "Y":
            assert icpc["icpc_s47_enquiry_id"] == ""
        else:
            assert icpc["icpc_s47_enquiry_id"]


def test_dates_are_in_order(tables):
    s47s = {r["s47e_s47_enquiry_id"]: r for r in tables["ssd_s47_enquiry"]}
    plans = {r["cppl_cp_plan_id"]: r for r in tables["ssd_cp_plans"]}
    people = {r["pers_person_id"]: r for r in tables["ssd_person"]}
    for s in s47s.values():
        assert not s["s47e_s47_end_date"] or s["s47e_s47_end_date"] >= s["s47e_s47_start_date"]
    for i in tables["ssd_initial_cp_conference"]:
        if i["icpc_s47_enquiry_id"]:
            assert i["icpc_icpc_date"] >= s47s[i["icpc_s47_enquiry_id"]]["s47e_s47_start_date"]
    for p in plans.values():
        assert not p["cppl_cp_plan_end_date"] or (
            p["cppl_cp_plan_end_date"] > p["cppl_cp_plan_start_date"]
        )
    for name, plan_col, date_col in [
        ("ssd_cp_reviews", "cppr_cp_plan_id", "cppr_cp_review_date"),
        ("ssd_cp_visits", "cppv_cp_plan_id", "cppv_cp_visit_date"),
        ("assure_core_groups", "cogr_cp_plan_id", "cogr_meeting_date"),
        ("assure_midway_reviews", "midw_cp_plan_id", "midw_date"),
    ]:
        for row in tables[name]:
            plan = plans[row[plan_col]]
            assert row[date_col] > plan["cppl_cp_plan_start_date"] or (
                name == "ssd_cp_reviews" and row[date_col] >= plan["cppl_cp_plan_start_date"]
            ), (name, row)
            end = plan["cppl_cp_plan_end_date"]
            assert not end or row[date_col] <= end, (name, row)
    # Only a review conference ends a plan: the last review is on the end date and says so.
    reviews = _by(tables["ssd_cp_reviews"], "cppr_cp_plan_id")
    for plan in plans.values():
        plan_reviews = sorted(
            reviews.get(plan["cppl_cp_plan_id"], []), key=lambda r: r["cppr_cp_review_date"]
        )
        ended = [r for r in plan_reviews if r["cppr_cp_review_outcome_continue_cp"] == "N"]
        if plan["cppl_cp_plan_end_date"]:
            assert ended == plan_reviews[-1:]
            assert ended[0]["cppr_cp_review_date"] == plan["cppl_cp_plan_end_date"]
        else:
            assert not ended
    for row in tables["assure_core_groups"]:
        assert (
            not row["cogr_recorded_date"] or row["cogr_recorded_date"] >= row["cogr_meeting_date"]
        )
    for row in tables["ssd_involvements"]:
        end = row["invo_involvement_end_date"]
        assert not end or end >= row["invo_involvement_start_date"]
    for row in tables["assure_legal_planning"]:
        assert (
            not row["lgpl_decision_date"] or row["lgpl_decision_date"] >= row["lgpl_requested_date"]
        )
        assert (
            not row["lgpl_recorded_date"] or row["lgpl_recorded_date"] >= row["lgpl_decision_date"]
        )
        assert row["lgpl_route"] in ("meeting", "declined")
        assert row["lgpl_decision"] in (
            "",
            "issue",
            "pre_proceedings",
            "no_order",
            "assessment",
            "other",
        )
    preps = {r["prep_table_id"]: r for r in tables["ssd_pre_proceedings"]}
    for p in preps.values():
        chain = [
            p["prep_pre_pro_decision_date"],
            p["prep_pre_pro_letter_date"],
            p["prep_initial_pre_pro_meeting_date"],
        ]
        known = [d for d in chain if d]
        assert known == sorted(known)
        assert not p["prep_agree_stepdown_issue_date"] or (
            p["prep_agree_stepdown_issue_date"] >= max(known)
        )
    for f in tables["assure_plo_filing"]:
        p = preps[f["plof_table_id"]]
        assert (
            not f["plof_letter_filed_date"]
            or f["plof_letter_filed_date"] >= p["prep_pre_pro_letter_date"]
        )
    for v in tables["assure_viability_assessments"]:
        assert not v["viab_completed_date"] or v["viab_completed_date"] >= v["viab_requested_date"]
        assert not v["viab_qa_date"] or v["viab_qa_date"] >= v["viab_completed_date"]
        assert v["viab_outcome"] in ("", "positive", "negative", "withdrawn")
    for f in tables["assure_case_flags"]:
        assert not f["flag_end_date"] or f["flag_end_date"] >= f["flag_start_date"]
        assert not f["flag_last_review_date"] or f["flag_last_review_date"] >= f["flag_start_date"]
    # Nothing after the extract date, nothing after death; born children have events after birth.
    future_ok = {"pers_expected_dob", "icpc_icpc_target_date", "cppr_cp_review_due"}
    for name, rows in tables.items():
        person_col = next((c for c in TABLE_COLUMNS[name] if c.endswith("_person_id")), None)
        for row in rows:
            for column, value in row.items():
                if not value or column in future_ok or not re.match(r"\d{4}-\d\d-\d\d$", value):
                    continue
                assert value <= AS_OF.isoformat(), (name, column, value)
                if person_col and name != "ssd_person":
                    person = people[row[person_col]]
                    if person["pers_death_date"]:
                        assert value <= person["pers_death_date"], (name, column, row)
    unborn = {p["pers_person_id"] for p in people.values() if not p["pers_dob"]}
    assert unborn
    assert all(people[p]["pers_expected_dob"] > AS_OF.isoformat() for p in unborn)
    assert any(p["cppl_person_id"] in unborn for p in plans.values())  # pre-birth plans


# ---- rates ------------------------------------------------------------------------------------


def test_rates_are_roughly_national(tables):
    people = tables["ssd_person"]
    with_s47 = {r["s47e_person_id"] for r in tables["ssd_s47_enquiry"]}
    assert 0.28 * N <= len(with_s47) <= 0.42 * N
    strategy = defaultdict(list)
    for r in tables["assure_strategy_discussions"]:
        strategy[r["stra_s47_enquiry_id"]].append(date.fromisoformat(r["stra_date"]))
    within = total = 0
    for icpc in tables["ssd_initial_cp_conference"]:
        dates = strategy.get(icpc["icpc_s47_enquiry_id"])
        if not dates:
            continue
        total += 1
        within += date.fromisoformat(icpc["icpc_icpc_date"]) <= add_working_days(min(dates), 15)
    assert total > 100
    assert 0.70 <= within / total <= 0.90
    assert any(i["icpc_icpc_transfer_in"] == "Y" for i in tables["ssd_initial_cp_conference"])
    assert any(s["s47e_s47_nfa"] == "Y" for s in tables["ssd_s47_enquiry"])
    assert any(i["icpc_icpc_outcome_cp_flag"] == "N" for i in tables["ssd_initial_cp_conference"])
    lengths = sorted(
        (
            date.fromisoformat(p["cppl_cp_plan_end_date"])
            - date.fromisoformat(p["cppl_cp_plan_start_date"])
        ).days
        for p in tables["ssd_cp_plans"]
        if p["cppl_cp_plan_end_date"]
    )
    median = lengths[len(lengths) // 2]
    assert 150 <= median <= 365
    assert any(n < 90 for n in lengths)
    assert any(not p["cppl_cp_plan_end_date"] for p in tables["ssd_cp_plans"])
    deaths = sum(1 for p in people if p["pers_death_date"])
    assert deaths < 0.01 * N
    categories = Counter(p["cppl_cp_plan_initial_category"] for p in tables["ssd_cp_plans"])
    assert set(categories) <= {"NEG", "PHY", "SAB", "EMO", "MUL"}
    assert categories.most_common(1)[0][0] == "NEG"
    teams = {t["dept_team_name"] for t in tables["ssd_department"]}
    assert "Protection and Court Team 1" in teams
    assert "Assessment Team 1" in teams
    # Allocated workers change over time for some children.
    per_child = Counter(r["invo_person_id"] for r in tables["ssd_involvements"])
    assert any(n > 2 for n in per_child.values())


# ---- every indicator has met, late and overdue (or breach) cases at the as-of date ---------


def _status(due: date, done: date | None, to: date) -> str:
    if due > to:
        return "upcoming"
    if done is not None and done <= due:
        return "met"
    if done is not None and done <= to:
        return "late"
    return "overdue"


def _indicator_statuses(tables: dict[str, Rows], to: date) -> dict[str, Counter[str]]:
    d = _date
    D = date.fromisoformat  # a date that is always there
    out: dict[str, Counter[str]] = defaultdict(Counter)
    s47s = {r["s47e_s47_enquiry_id"]: r for r in tables["ssd_s47_enquiry"]}
    icpc_by_s47 = {
        r["icpc_s47_enquiry_id"]: r
        for r in tables["ssd_initial_cp_conference"]
        if r["icpc_s47_enquiry_id"]
    }
    strategy = defaultdict(list)
    for r in tables["assure_strategy_discussions"]:
        strategy[r["stra_s47_enquiry_id"]].append(D(r["stra_date"]))
    for s47_id, s in s47s.items():
        icpc = icpc_by_s47.get(s47_id)
        done = D(icpc["icpc_icpc_date"]) if icpc else None
        end = d(s["s47e_s47_end_date"])
        nfa_end = end if s["s47e_s47_nfa"] == "Y" else None
        for name, start in [
            ("icpc_15wd_strategy", min(strategy[s47_id], default=None)),
            ("icpc_15wd_s47", D(s["s47e_s47_start_date"])),
        ]:
            if start is None:
                continue
            due = add_working_days(start, 15)
            if nfa_end is not None and nfa_end <= due:
                continue
            out[name][_status(due, done, to)] += 1
    plans = tables["ssd_cp_plans"]
    cgs = _by(tables["assure_core_groups"], "cogr_cp_plan_id")
    visits = _by(tables["ssd_cp_visits"], "cppv_cp_plan_id")
    reviews = _by(tables["ssd_cp_reviews"], "cppr_cp_plan_id")
    midways = _by(tables["assure_midway_reviews"], "midw_cp_plan_id")
    actions = _by(tables["assure_plan_actions"], "plac_cp_plan_id")

    def chain(name: str, first_due: date, events: list[date], step, end: date | None) -> None:
        due, remaining = first_due, sorted(events)
        while True:
            if end is not None and end <= due:
                return
            done = remaining[0] if remaining else None
            status = _status(due, done, to)
            out[name][status] += 1
            if status not in ("met", "late"):
                return
            assert done is not None
            remaining = remaining[1:]
            due = step(done)

    for p in plans:
        start, end = d(p["cppl_cp_plan_start_date"]), d(p["cppl_cp_plan_end_date"])
        assert start is not None
        pid = p["cppl_cp_plan_id"]
        meetings = sorted(D(c["cogr_meeting_date"]) for c in cgs.get(pid, []))
        if end is None or end > add_working_days(start, 10):
            first = meetings[0] if meetings else None
            out["core_group_first_10wd"][_status(add_working_days(start, 10), first, to)] += 1
        if meetings:
            chain(
                "core_group_interval",
                meetings[0] + timedelta(days=42),
                meetings[1:],
                lambda x: x + timedelta(days=42),
                end,
            )
        for c in cgs.get(pid, []):
            due = add_working_days(D(c["cogr_meeting_date"]), 5)
            out["core_group_recorded_5wd"][_status(due, d(c["cogr_recorded_date"]), to)] += 1
        held = [D(r["cppr_cp_review_date"]) for r in reviews.get(pid, [])]
        chain("rcpc_timeliness", add_months(start, 3), held, lambda x: add_months(x, 6), end)
        seen = [
            D(v["cppv_cp_visit_date"])
            for v in visits.get(pid, [])
            if v["cppv_cp_visit_seen"] == "Y"
        ]
        chain(
            "cp_visit_10wd",
            add_working_days(start, 10),
            seen,
            lambda x: add_working_days(x, 10),
            end,
        )
        conferences = [start, *sorted(held)]
        mids = [D(m["midw_date"]) for m in midways.get(pid, [])]
        for a, b in itertools.pairwise(conferences):
            ok = any(a < m < b for m in mids)
            out["midway_review"]["met" if ok else "breach"] += 1
        if end is None or end > to:
            for action in actions.get(pid, []):
                complete = all(
                    action[c]
                    for c in ("plac_outcome", "plac_risk", "plac_timeframe", "plac_responsible")
                )
                out["plan_action_quality"]["met" if complete else "breach"] += 1
            long = start <= add_months(to, -24)
            out["long_plan_2y"]["breach" if long else "met"] += 1
    by_person = _by(plans, "cppl_person_id")
    for person_plans in by_person.values():
        ordered = sorted(person_plans, key=lambda p: p["cppl_cp_plan_start_date"])
        for i, p in enumerate(ordered):
            start = d(p["cppl_cp_plan_start_date"])
            assert start is not None
            previous = [d(q["cppl_cp_plan_end_date"]) for q in ordered[:i]]
            repeat = any(e and add_months(start, -24) <= e <= start for e in previous)
            out["repeat_plan_2y"]["breach" if repeat else "met"] += 1
    chairs = {
        r["chai_meeting_id"]: r["chai_chair_professional_id"]
        for r in tables["assure_conference_chairs"]
    }
    conf_by_child = defaultdict(list)
    for r in tables["ssd_initial_cp_conference"]:
        conf_by_child[r["icpc_person_id"]].append(
            (D(r["icpc_icpc_date"]), r["icpc_icpc_meeting_id"])
        )
    for r in tables["ssd_cp_reviews"]:
        conf_by_child[r["cppr_person_id"]].append(
            (D(r["cppr_cp_review_date"]), r["cppr_cp_review_meeting_id"])
        )
    for confs in conf_by_child.values():
        recent = [m for day, m in confs if add_months(to, -12) < day <= to]
        if len(recent) >= 2:
            out["chair_consistency"][
                "met" if len({chairs[m] for m in recent}) == 1 else "breach"
            ] += 1
    for r in tables["assure_legal_planning"]:
        if r["lgpl_decision_date"]:
            due = add_working_days(D(r["lgpl_decision_date"]), 10)
            out["legal_decision_recorded_10wd"][_status(due, d(r["lgpl_recorded_date"]), to)] += 1
    filing = {r["plof_table_id"]: r for r in tables["assure_plo_filing"]}
    for p in tables["ssd_pre_proceedings"]:
        if p["prep_pre_pro_letter_date"]:
            due = add_working_days(D(p["prep_pre_pro_letter_date"]), 10)
            filed = d(filing[p["prep_table_id"]]["plof_letter_filed_date"])
            out["plo_letter_filed_10wd"][_status(due, filed, to)] += 1
        due = D(p["prep_pre_pro_decision_date"]) + timedelta(weeks=16)
        out["plo_duration_16w"][_status(due, d(p["prep_agree_stepdown_issue_date"]), to)] += 1
    for v in tables["assure_viability_assessments"]:
        due = add_working_days(D(v["viab_requested_date"]), 10)
        out["viability_10wd"][_status(due, d(v["viab_completed_date"]), to)] += 1
        if v["viab_completed_date"]:
            due = add_working_days(D(v["viab_completed_date"]), 5)
            out["viability_qa_5wd"][_status(due, d(v["viab_qa_date"]), to)] += 1
    for f in tables["assure_case_flags"]:
        if not f["flag_end_date"] or f["flag_end_date"] > to.isoformat():
            since = add_months(to, -3)
            fresh = any(
                x and x >= since for x in (D(f["flag_start_date"]), d(f["flag_last_review_date"]))
            )
            out["csafe_review_3m"]["met" if fresh else "breach"] += 1
    return out


DUE_INDICATORS = [
    "icpc_15wd_strategy",
    "icpc_15wd_s47",
    "core_group_first_10wd",
    "core_group_interval",
    "core_group_recorded_5wd",
    "rcpc_timeliness",
    "cp_visit_10wd",
    "legal_decision_recorded_10wd",
    "plo_letter_filed_10wd",
    "plo_duration_16w",
    "viability_10wd",
    "viability_qa_5wd",
]
CHECK_INDICATORS = [
    "chair_consistency",
    "midway_review",
    "plan_action_quality",
    "csafe_review_3m",
    "repeat_plan_2y",
    "long_plan_2y",
]


def test_every_indicator_has_met_late_and_overdue_or_breach_cases(tables):
    statuses = _indicator_statuses(tables, AS_OF)
    for name in DUE_INDICATORS:
        counts = statuses[name]
        assert counts["met"], (name, dict(counts))
        assert counts["late"], (name, dict(counts))
        assert counts["overdue"], (name, dict(counts))
        assert counts["met"] > counts["late"], (name, dict(counts))
    for name in CHECK_INDICATORS:
        counts = statuses[name]
        assert counts["met"], (name, dict(counts))
        assert counts["breach"], (name, dict(counts))


def test_codes_drawn_are_the_contracts_own():
    assert {code for code, _ in vocabulary.CATEGORIES} == set(contract.CATEGORIES)
    assert {code for code, _ in vocabulary.ETHNICITIES} == set(contract.ETHNICITIES)
    assert {t.name: t.column_names for t in contract.TABLES} == TABLE_COLUMNS

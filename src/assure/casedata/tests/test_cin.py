"""Reading CIN census XML files: the public fake files, our synthetic census and broken input.

No database: read_cin only reads.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from assure.casedata.cin import CIN_TABLES, read_cin
from assure.casedata.synth import TABLE_COLUMNS, generate, write_cin_xml
from assure.core.calendar import add_working_days

FIXTURES = Path(__file__).resolve().parents[4].parent / "shared" / "fixtures" / "cin"
FAKE = FIXTURES / "fake_CIN_data.xml"
CENSUS_2024 = FIXTURES / "CIN_Census_2024.xml"
CENSUS_2026 = FIXTURES / "CIN_Census_2026.xml"

needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared CIN fixtures missing")


def _assert_contract_rows(result) -> None:
    for name, rows in result.tables.items():
        assert name in CIN_TABLES
        for row in rows:
            assert list(row) == list(TABLE_COLUMNS[name])
            assert all(isinstance(v, str) for v in row.values())


@needs_fixtures
@pytest.mark.parametrize("path", [FAKE, CENSUS_2024, CENSUS_2026], ids=lambda p: p.name)
def test_every_fixture_parses_without_exception(path):
    result = read_cin(path)
    assert not result.file_errors
    assert result.children == len(result.valid_child_ids) + len(result.invalid_child_ids)
    assert len(result.tables["ssd_person"]) == result.children
    _assert_contract_rows(result)
    for error in result.errors:
        assert error.child_id  # every problem in these files belongs to a named child
        assert str(error)


@needs_fixtures
def test_older_layout_counts_children_and_reads_gender():
    result = read_cin(FAKE)
    assert result.children == 332
    assert result.layout == "older"
    assert result.reference_date == "2022-07-21"
    person = next(
        r for r in result.tables["ssd_person"] if r["pers_person_id"] == "RND000215205141"
    )
    assert person == {
        "pers_person_id": "RND000215205141",
        "pers_sex": "M",  # GenderCurrent 1
        "pers_ethnicity": "WIRT",
        "pers_dob": "2019-12-06",
        "pers_expected_dob": "",
        "pers_death_date": "",
    }
    # Episode-level conference dates become conferences of the child (no s47 in this file).
    icpcs = [
        r
        for r in result.tables["ssd_initial_cp_conference"]
        if r["icpc_person_id"] == "RND000824303014"
    ]
    assert [r["icpc_icpc_date"] for r in icpcs] == ["2013-12-13", "2017-11-05"]
    assert [r["icpc_icpc_id"] for r in icpcs] == [
        "RND000824303014-ICPC-1",
        "RND000824303014-ICPC-2",
    ]


@needs_fixtures
def test_older_layout_reports_conferences_after_death_per_child():
    result = read_cin(FAKE)
    # Deliberate fault: a child who died in 2007 has a conference in 2012.
    errors = result.errors_for("RND000958425881")
    assert [(e.path, e.value) for e in errors] == [("CINdetails[1]/DateOfInitialCPC", "2012-05-07")]
    assert "death 2007-07-04" in errors[0].expected
    assert "RND000958425881" in result.invalid_child_ids
    assert "RND000958425881" not in result.valid_child_ids
    assert "RND000003988611" in result.valid_child_ids
    # The fake file marks every referral as no further action yet records conferences: the
    # DfE's rule 8831 makes such a child invalid, with no other problem.
    assert result.errors_for("RND000215205141") == []
    assert [p.rule for p in result.rule_errors if p.child == "RND000215205141"] == ["8831"]
    assert "RND000215205141" in result.invalid_child_ids
    # The referral after death is not imported, so it is only a warning.
    assert any(
        w.child_id == "RND000958425881" and w.path == "CINdetails[1]/CINreferralDate"
        for w in result.warnings
    )
    valid = result.valid_tables()
    assert {r["pers_person_id"] for r in valid["ssd_person"]} == set(result.valid_child_ids)


@needs_fixtures
def test_2024_layout_reads_sex_and_reports_the_faulty_child():
    result = read_cin(CENSUS_2024)
    assert result.layout == "2024-25"
    assert result.children == 2
    people = {r["pers_person_id"]: r for r in result.tables["ssd_person"]}
    assert people["child_fails_assessments"]["pers_sex"] == "M"
    assert result.valid_child_ids == ["child_fails_assessments"]
    assert result.invalid_child_ids == ["DfEX0000001"]
    faults = {(e.path, e.value) for e in result.errors_for("DfEX0000001")}
    # Stray text "PersonBirthDate" between UPNunknown and PersonBirthDate.
    assert ("Child/ChildIdentifiers (after UPNunknown)", "PersonBirthDate") in faults
    # Sex "1" is an old GenderCurrent code, not M, F or U.
    assert ("ChildIdentifiers/Sex", "1") in faults
    assert people["DfEX0000001"]["pers_dob"] == "2015-03-27"  # still read despite stray text


@needs_fixtures
def test_2024_layout_links_conference_to_enquiry_and_reads_plan_and_reviews():
    result = read_cin(CENSUS_2024)
    (s47,) = result.tables["ssd_s47_enquiry"]
    assert s47["s47e_s47_enquiry_id"] == "DfEX0000001-S47-1"
    assert s47["s47e_s47_start_date"] == "2022-06-02"
    assert s47["s47e_s47_nfa"] == "N"
    icpcs = {r["icpc_icpc_date"]: r for r in result.tables["ssd_initial_cp_conference"]}
    assert icpcs["2022-06-17"]["icpc_s47_enquiry_id"] == "DfEX0000001-S47-1"
    assert icpcs["2022-06-17"]["icpc_icpc_target_date"] == "2022-06-23"
    assert icpcs["2022-12-06"]["icpc_s47_enquiry_id"] == ""
    (plan,) = result.tables["ssd_cp_plans"]
    assert plan["cppl_cp_plan_start_date"] == "2022-02-17"
    assert plan["cppl_cp_plan_end_date"] == "2023-03-14"
    assert plan["cppl_cp_plan_initial_category"] == "PHY"
    # The plan starts months before any conference of its episode: not linked, and warned about.
    assert plan["cppl_icpc_id"] == ""
    assert any(w.path.endswith("CPPstartDate") for w in result.warnings)
    (review,) = result.tables["ssd_cp_reviews"]
    assert review["cppr_cp_plan_id"] == plan["cppl_cp_plan_id"]
    assert review["cppr_cp_review_date"] == "2023-02-15"


@needs_fixtures
def test_2026_layout_reads_pre_proceedings():
    result = read_cin(CENSUS_2026)
    assert result.layout == "2026-27"
    (pp,) = result.tables["ssd_pre_proceedings"]
    assert pp == {
        "prep_table_id": "DfEX0000001-PP-1",
        "prep_person_id": "DfEX0000001",
        "prep_pre_pro_decision_date": "2026-09-09",
        "prep_pre_pro_letter_date": "2026-09-20",
        "prep_initial_pre_pro_meeting_date": "2026-09-28",
        "prep_pre_pro_outcome": "A",
        "prep_agree_stepdown_issue_date": "2026-12-01",
    }
    # Dates after the header's reference date are queried, not refused.
    assert any(w.path.endswith("PPStartDate") for w in result.warnings)


def test_non_xml_file_gives_one_file_level_error(tmp_path):
    path = tmp_path / "not.xml"
    path.write_text("pers_person_id,pers_sex\nP1,M\n", encoding="utf-8")
    result = read_cin(path)
    assert len(result.errors) == 1
    assert result.file_errors == result.errors
    assert result.errors[0].child_id is None
    assert "XML" in result.errors[0].expected
    assert result.children == 0
    assert not result.valid_child_ids
    assert all(not rows for rows in result.tables.values())


def test_empty_missing_and_wrong_root_files(tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    assert len(read_cin(empty).file_errors) == 1
    assert len(read_cin(tmp_path / "missing.xml").file_errors) == 1
    other = tmp_path / "other.xml"
    other.write_text("<Catalogue><Book/></Catalogue>", encoding="utf-8")
    result = read_cin(other)
    assert len(result.file_errors) == 1
    assert result.file_errors[0].value == "Catalogue"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Message [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&lol9;</LAchildID>
</ChildIdentifiers></Child></Children></Message>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Message><Children><Child><ChildIdentifiers><LAchildID>&secret;</LAchildID>
</ChildIdentifiers></Child></Children></Message>
"""


PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY % outside SYSTEM "file:///etc/passwd"> %outside;]>
<Message><Children><Child><ChildIdentifiers><LAchildID>A1</LAchildID>
</ChildIdentifiers></Child></Children></Message>
"""


@pytest.mark.parametrize(
    "content",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY],
    ids=["laughs", "external", "parameter"],
)
def test_entity_attacks_give_one_clean_file_level_error(tmp_path, content):
    path = tmp_path / "attack.xml"
    path.write_text(content, encoding="utf-8")
    result = read_cin(path)
    assert len(result.errors) == 1
    assert result.file_errors == result.errors
    assert "entity" in result.errors[0].expected
    assert result.children == 0
    assert not result.valid_child_ids
    assert all(not rows for rows in result.tables.values())


BROKEN = """<?xml version="1.0"?>
<Message><Header><CollectionDetails><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
</Header><Children>
<Child><ChildIdentifiers><LAchildID>A1</LAchildID><PersonBirthDate>2020-02-30</PersonBirthDate>
<Sex>X</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>ZZZZ</Ethnicity>
</ChildCharacteristics>
<CINdetails><CINreferralDate>2024-05-01</CINreferralDate>
<Section47><S47ActualStartDate>2024-05-10</S47ActualStartDate>
<DateOfInitialCPC>2024-05-01</DateOfInitialCPC><ICPCnotRequired>maybe</ICPCnotRequired></Section47>
<ChildProtectionPlans><CPPstartDate>2024-06-01</CPPstartDate><CPPendDate>2024-04-01</CPPendDate>
<InitialCategoryOfAbuse>XYZ</InitialCategoryOfAbuse>
<Reviews><CPPreviewDate>31/12/2024</CPPreviewDate></Reviews></ChildProtectionPlans>
</CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>A2</LAchildID><PersonBirthDate>2019-01-01</PersonBirthDate>
<Sex>F</Sex></ChildIdentifiers></Child>
<Child><ChildIdentifiers><LAchildID>A2</LAchildID><Sex>M</Sex></ChildIdentifiers></Child>
<Child><ChildIdentifiers><PersonBirthDate>2018-01-01</PersonBirthDate></ChildIdentifiers></Child>
<Child><ChildIdentifiers><LAchildID>A3</LAchildID><Sex>F</Sex></ChildIdentifiers></Child>
</Children></Message>
"""


def test_faults_become_per_child_errors(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(BROKEN, encoding="utf-8")
    result = read_cin(path)
    assert result.children == 5
    assert not result.file_errors
    a1 = {e.path: e for e in result.errors_for("A1")}
    assert a1["ChildIdentifiers/PersonBirthDate"].value == "2020-02-30"  # impossible date
    assert a1["ChildIdentifiers/Sex"].value == "X"
    assert a1["ChildCharacteristics/Ethnicity"].value == "ZZZZ"
    assert a1["CINdetails[1]/Section47[1]/ICPCnotRequired"].value == "maybe"
    assert a1["CINdetails[1]/Section47[1]/DateOfInitialCPC"].value == "2024-05-01"  # before s47
    assert a1["CINdetails[1]/ChildProtectionPlans[1]/CPPendDate"].value == "2024-04-01"
    assert a1["CINdetails[1]/ChildProtectionPlans[1]/InitialCategoryOfAbuse"].value == "XYZ"
    assert (
        a1["CINdetails[1]/ChildProtectionPlans[1]/Reviews/CPPreviewDate[1]"].value == "31/12/2024"
    )
    # Duplicate ids: both children with the id are invalid; the id is reported once.
    dup = result.errors_for("A2")
    assert len(dup) == 1
    assert "also child #2" in dup[0].expected
    assert dup[0].position == 3
    # A child without an id is reported by position.
    missing = [e for e in result.errors if e.child_id is None]
    assert len(missing) == 1
    assert missing[0].position == 4
    assert result.valid_child_ids == ["A3"]
    assert set(result.invalid_child_ids) == {"A1", "A2", "#4"}
    assert [r["pers_person_id"] for r in result.valid_tables()["ssd_person"]] == ["A3"]


def test_truncated_file_keeps_children_read_and_reports_file_error(tmp_path):
    path = tmp_path / "cut.xml"
    cut = BROKEN.index("<Child><ChildIdentifiers><LAchildID>A3")
    path.write_text(BROKEN[:cut] + "<Child><ChildIdent", encoding="utf-8")
    result = read_cin(path)
    assert result.children == 4
    assert len(result.file_errors) == 1
    assert "line" in result.file_errors[0].expected


def _csv_rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("as_of", "reference", "layout"),
    [
        (date(2026, 10, 31), date(2026, 3, 31), "2024-25"),
        (date(2027, 5, 3), date(2027, 3, 31), "2026-27"),
    ],
)
def test_synthetic_census_is_the_year_as_a_careful_authority_submits_it(
    tmp_path, as_of, reference, layout
):
    n = 400
    generate(tmp_path / "csv", n, 5, as_of)
    written = write_cin_xml(tmp_path / "cin.xml", n, 5, as_of)
    result = read_cin(tmp_path / "cin.xml")
    assert result.reference_date == reference.isoformat()
    assert result.layout == layout
    assert result.errors == []
    assert result.warnings == []
    assert result.rule_errors == []
    # Only children with an episode open in the year are in it: about a third of them.
    people = [r["pers_person_id"] for r in result.tables["ssd_person"]]
    assert result.children == written == len(people) == len(result.valid_child_ids)
    assert n // 5 < written < n // 2
    # Every plan is one of the extract's, open at some time in the year, as on the reference
    # date; every conference of the year is there with the plan it began.
    year_start = date(reference.year - 1, 4, 1)
    csv_plans = {
        (r["cppl_person_id"], r["cppl_cp_plan_start_date"]): r["cppl_cp_plan_end_date"]
        for r in _csv_rows(tmp_path / "csv", "ssd_cp_plans")
    }
    plans = result.tables["ssd_cp_plans"]
    assert plans
    for plan in plans:
        end = csv_plans[(plan["cppl_person_id"], plan["cppl_cp_plan_start_date"])]
        assert plan["cppl_cp_plan_end_date"] == (end if end <= reference.isoformat() else "")
        assert not plan["cppl_cp_plan_end_date"] or plan["cppl_cp_plan_end_date"] >= str(year_start)
        if plan["cppl_cp_plan_start_date"] >= str(year_start):
            assert plan["cppl_icpc_id"]
    started = {
        (r["cppl_person_id"], r["cppl_cp_plan_start_date"])
        for r in _csv_rows(tmp_path / "csv", "ssd_cp_plans")
        if str(year_start) <= r["cppl_cp_plan_start_date"] <= reference.isoformat()
    }
    assert started <= {(p["cppl_person_id"], p["cppl_cp_plan_start_date"]) for p in plans}
    assert bool(result.tables["ssd_pre_proceedings"]) == (layout == "2026-27")
    _assert_contract_rows(result)
    # Same arguments, same file.
    write_cin_xml(tmp_path / "again.xml", n, 5, as_of)
    assert (tmp_path / "again.xml").read_bytes() == (tmp_path / "cin.xml").read_bytes()


def test_synth_command_writes_a_census_that_import_cin_would_take(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "synth",
        "--children",
        "200",
        "--out",
        str(tmp_path / "csv"),
        "--cin",
        str(tmp_path / "cin.xml"),
        "--as-of",
        "2026-06-30",
        stdout=out,
    )
    result = read_cin(tmp_path / "cin.xml")
    assert f"Wrote a CIN census of {result.children} children (the year to 2026-03-31)" in (
        out.getvalue()
    )
    assert result.errors == result.rule_errors == []


def test_synthetic_census_breaks_no_rule_and_queries_only_late_conferences(tmp_path):
    """No error; the queries left are 8675Q, each an enquiry the generator made slow (its
    conference, or its conclusion without one, more than 15 working days after its start) and
    still running on the reference date."""
    n = 3000
    generate(tmp_path / "csv", n, 5)
    write_cin_xml(tmp_path / "cin.xml", n, 5)
    result = read_cin(tmp_path / "cin.xml")
    assert result.errors == result.rule_errors == []
    assert {p.rule for p in result.rule_problems} == {"8675Q"}
    reference = date.fromisoformat(result.reference_date)
    conferences = {
        r["icpc_s47_enquiry_id"]: date.fromisoformat(r["icpc_icpc_date"])
        for r in _csv_rows(tmp_path / "csv", "ssd_initial_cp_conference")
        if r["icpc_s47_enquiry_id"]
    }
    enquiries = {
        (r["s47e_person_id"], r["s47e_s47_start_date"]): r
        for r in _csv_rows(tmp_path / "csv", "ssd_s47_enquiry")
    }
    assert 0 < len(result.rule_problems) < n // 100
    for query in result.rule_problems:
        start = query.message.split("enquiry starting ")[1][:10]
        enquiry = enquiries[(str(query.child), start)]
        held = conferences.get(enquiry["s47e_s47_enquiry_id"])
        # Still running on the reference date: no conference yet, nor concluded without one.
        assert held is None or held > reference
        assert not enquiry["s47e_s47_end_date"] or enquiry["s47e_s47_end_date"] > str(reference)
        assert add_working_days(date.fromisoformat(start), 15) < reference


# ---- the import_cin command (needs the database and the importer) ------------------------------


@needs_fixtures
@pytest.mark.django_db
def test_import_cin_refuses_a_census_with_faulty_children_unless_told_to_skip(capsys):
    from django.core.management import CommandError, call_command

    from assure.accounts.models import Partnership

    models = pytest.importorskip("assure.casedata.models")
    Partnership.objects.create(name="Test partnership")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_cin", str(CENSUS_2024))
    out = capsys.readouterr().out
    assert "Child DfEX0000001:" in out
    assert "ChildIdentifiers/Sex: '1'" in out
    assert models.Person.objects.count() == 0

    call_command("import_cin", str(CENSUS_2024), "--skip-invalid")
    out = capsys.readouterr().out
    assert "1 child not imported (problems above): DfEX0000001." in out
    assert list(models.Person.objects.values_list("ssd_id", flat=True)) == [
        "child_fails_assessments"
    ]


@pytest.mark.django_db
def test_import_cin_imports_a_clean_synthetic_census(tmp_path):
    from django.core.management import call_command

    from assure.accounts.models import Partnership

    models = pytest.importorskip("assure.casedata.models")
    Partnership.objects.create(name="Test partnership")
    written = write_cin_xml(tmp_path / "cin.xml", 300, 9)
    result = read_cin(tmp_path / "cin.xml")
    call_command("import_cin", str(tmp_path / "cin.xml"))
    assert models.Person.objects.count() == written == len(result.valid_child_ids) > 60
    assert models.CPPlan.objects.count() == len(result.valid_tables()["ssd_cp_plans"])


# ---- bad input: nesting, lengths the contract cannot hold, no children --------------------------


def _census(*children: str) -> str:
    return (
        '<?xml version="1.0"?>\n<Message><Header><CollectionDetails>'
        "<ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>"
        f"<Children>{''.join(children)}</Children></Message>\n"
    )


def _child(child_id: str, sex: str = "F", details: str = "") -> str:
    return (
        f"<Child><ChildIdentifiers><LAchildID>{child_id}</LAchildID>"
        f"<PersonBirthDate>2019-01-01</PersonBirthDate><Sex>{sex}</Sex></ChildIdentifiers>"
        f"{details}</Child>"
    )


# A plan with one review: the child's records get ids up to `<LAchildID>-CPP-1-R1`.
PLAN = (
    "<CINdetails><CINreferralDate>2024-05-01</CINreferralDate>"
    "<DateOfInitialCPC>2024-05-20</DateOfInitialCPC>"
    "<ChildProtectionPlans><CPPstartDate>2024-05-20</CPPstartDate>"
    "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
    "<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
    "<NumberOfPreviousCPP>0</NumberOfPreviousCPP>"
    "<Reviews><CPPreviewDate>2024-08-20</CPPreviewDate></Reviews></ChildProtectionPlans>"
    "</CINdetails>"
)
DEEP = _child("A1", details="<X>" * 3000 + "</X>" * 3000)


def test_deeply_nested_file_is_a_file_error_not_a_crash(tmp_path):
    path = tmp_path / "deep.xml"
    path.write_text(_census(DEEP), encoding="utf-8")
    result = read_cin(path)
    (error,) = result.errors
    assert error.is_file_level
    assert error.path.startswith("Message/Children/Child/X")
    assert "nested too deeply" in error.expected
    assert not result.valid_child_ids


def test_nesting_too_deep_outside_the_children_is_refused_too(tmp_path):
    path = tmp_path / "deep-header.xml"
    deep_header = "<Header>" + "<X>" * 40 + "</X>" * 40 + "</Header>"
    path.write_text(_census(_child("A1")).replace("<Header>", deep_header, 1), encoding="utf-8")
    (error,) = read_cin(path).errors
    assert error.is_file_level
    assert error.path == "Message/Header/X/X/X/X/…"
    assert "nested too deeply" in error.expected


def test_a_document_type_declaring_no_entity_is_read_and_nothing_is_fetched(tmp_path):
    path = tmp_path / "doctype.xml"
    content = _census(_child("A1")).replace(
        "<Message>", '<!DOCTYPE Message SYSTEM "http://cin.example.invalid/cin.dtd">\n<Message>'
    )
    path.write_text(content, encoding="utf-8")
    result = read_cin(path)
    assert result.errors == []
    assert result.valid_child_ids == ["A1"]


def _fingerprint(path: Path) -> tuple[object, ...]:
    result = read_cin(path)
    return (
        result.children,
        result.tables,
        [str(e) for e in result.errors],
        [str(w) for w in result.warnings],
        result.rule_problems,
        result.valid_child_ids,
        result.invalid_child_ids,
        result.layout,
    )


def test_a_census_read_in_tiny_chunks_reads_the_same(tmp_path, monkeypatch):
    """The file is read a chunk at a time, each chunk's elements dropped once read: a child, a
    fault or the reference date cut across chunks must read as in one piece."""
    from assure.casedata import cin

    path = tmp_path / "cin.xml"
    write_cin_xml(path, 60, 5, date(2027, 5, 3))  # the 2026-27 layout
    text = path.read_text(encoding="utf-8")
    faults = (
        ("</LAchildID>", "</LAchildID>stray text"),  # text between elements
        ("<PersonBirthDate>", "<!-- a comment --><PersonBirthDate>"),
        ("<CINreferralDate>20", "<CINreferralDate>20<!-- inside -->"),  # joins up: still a date
        ("<Sex>", "<Sex>X"),  # not a code
        ("<CPPstartDate>", "<CPPstartDate><Nested/>"),  # not a value
    )
    for old, new in faults:
        assert old in text
        text = text.replace(old, new, 3)
    path.write_text(text, encoding="utf-8")
    whole = _fingerprint(path)
    assert whole[2], "the faults are found"
    monkeypatch.setattr(cin, "CHUNK_BYTES", 61)
    assert _fingerprint(path) == whole


def test_ids_longer_than_the_contract_allows_are_child_errors(tmp_path):
    from assure.casedata.contract import ID_MAX_LENGTH

    longest_suffix = len("-CPP-1-R1")
    ids = {
        "fits": "F" * ID_MAX_LENGTH,
        "too_long": "L" * 101,
        "plan_fits": "P" * (ID_MAX_LENGTH - longest_suffix),
        "plan_too_long": "Q" * (ID_MAX_LENGTH - longest_suffix + 1),
    }
    path = tmp_path / "long.xml"
    path.write_text(
        _census(
            _child(ids["fits"]),
            _child(ids["too_long"]),
            _child(ids["plan_fits"], details=PLAN),
            _child(ids["plan_too_long"], details=PLAN),
        ),
        encoding="utf-8",
    )
    result = read_cin(path)
    assert not result.file_errors
    assert result.valid_child_ids == [ids["fits"], ids["plan_fits"]]
    (too_long,) = result.errors_for(ids["too_long"])
    assert too_long.path == "ChildIdentifiers/LAchildID"
    assert too_long.value == ids["too_long"]
    assert too_long.expected == f"an id of at most {ID_MAX_LENGTH} characters (this one has 101)"
    (plan_too_long,) = result.errors_for(ids["plan_too_long"])
    assert plan_too_long.path == "ChildIdentifiers/LAchildID"
    assert f"at most {ID_MAX_LENGTH - longest_suffix} characters" in plan_too_long.expected
    assert f"{ids['plan_too_long']}-CPP-1-R1" in plan_too_long.expected


@pytest.mark.parametrize(
    "content",
    [_census(), '<?xml version="1.0"?><Message><Children/></Message>', "<Message/>"],
    ids=["empty-children", "self-closed", "no-children-element"],
)
def test_census_without_children_is_a_file_error(tmp_path, content):
    path = tmp_path / "none.xml"
    path.write_text(content, encoding="utf-8")
    result = read_cin(path)
    (error,) = result.errors
    assert error.is_file_level
    assert "the census has no children" in error.expected


# ---- the import_cin command with bad input ------------------------------------------------------


def _import_cin(*args: object) -> str:
    """The command's output (CommandError if it refuses)."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("import_cin", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def _refused_import_cin(*args: object) -> tuple[str, str]:
    """The command's error message and output, when it must refuse."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_cin", *[str(a) for a in args], stdout=out)
    return str(refused.value), out.getvalue()


def _written() -> tuple[int, int]:
    from assure.casedata import models

    return models.Person.objects.count(), models.ImportSnapshot.objects.count()


@pytest.mark.django_db
def test_import_cin_refuses_a_deeply_nested_file_and_writes_nothing(partnership, tmp_path):
    path = tmp_path / "deep.xml"
    path.write_text(_census(_child("A0"), DEEP), encoding="utf-8")
    message, out = _refused_import_cin(path)
    assert message == "deep.xml cannot be read as a CIN census: nothing was imported."
    assert "- deep.xml, Message/Children/Child/X/X/X/…: " in out
    assert "nested too deeply to be a CIN census" in out
    assert _written() == (0, 0)


@pytest.mark.django_db
def test_import_cin_reports_a_long_id_per_child_not_as_a_csv_row(partnership, tmp_path):
    path = tmp_path / "long.xml"
    path.write_text(_census(_child("B" * 64), _child("A" * 101)), encoding="utf-8")
    message, out = _refused_import_cin(path)
    assert message.startswith("long.xml: 1 child has problems: nothing was imported")
    assert f"Child {'A' * 101}:" in out
    assert "ChildIdentifiers/LAchildID" in out
    assert "at most 64 characters" in out
    assert ".csv" not in out
    assert _written() == (0, 0)
    out = _import_cin(path, "--skip-invalid")
    assert ".csv" not in out
    from assure.casedata import models

    assert list(models.Person.objects.values_list("ssd_id", flat=True)) == ["B" * 64]


@pytest.mark.django_db
def test_importer_problems_with_census_rows_are_said_of_the_census(partnership, tmp_path):
    from assure.casedata.cin import census_problem
    from assure.casedata.importer.run import import_tables

    path = tmp_path / "cin.xml"
    path.write_text(_census(_child("A1", details=PLAN)), encoding="utf-8")
    tables = read_cin(path).tables_to_import()
    # Something only the importer checks (read_cin cannot produce it): a broken date.
    tables["ssd_cp_plans"][0]["cppl_cp_plan_start_date"] = "2024-02-30"
    imported = import_tables(partnership, tables, actor=None)
    assert not imported.ok
    messages = [str(census_problem(p, tables)) for p in imported.problems]
    assert messages == [
        "Child A1: ChildProtectionPlans/CPPstartDate (record A1-CPP-1): '2024-02-30'; "
        "expected a date as YYYY-MM-DD or DD/MM/YYYY"
    ]
    assert _written() == (0, 0)


@pytest.mark.django_db
def test_import_cin_extract_date_problem_names_the_file(partnership, tmp_path):
    path = tmp_path / "cin.xml"
    path.write_text(_census(_child("A1")), encoding="utf-8")
    _import_cin(path, "--extract-date", "2025-06-30")
    message, out = _refused_import_cin(path, "--extract-date", "2025-01-01")
    assert message == "cin.xml: the census has 1 problem: nothing was imported."
    assert "- cin.xml, extract date: '2025-01-01'; expected a date on or after" in out
    assert ", column" not in out


@pytest.mark.django_db
def test_import_cin_refuses_a_census_without_children(partnership, tmp_path):
    path = tmp_path / "none.xml"
    path.write_text(_census(), encoding="utf-8")
    message, out = _refused_import_cin(path)
    assert message == "none.xml cannot be read as a CIN census: nothing was imported."
    assert "the census has no children" in out
    assert ".csv" not in out
    assert _written() == (0, 0)


@pytest.mark.django_db
def test_import_cin_prints_what_it_added_changed_and_removed(partnership, tmp_path):
    from assure.casedata import models

    write_cin_xml(tmp_path / "big.xml", 20, 9)
    _import_cin(tmp_path / "big.xml")
    small = tmp_path / "small.xml"
    small.write_text(_census(_child("A1", details=PLAN), _child("A2")), encoding="utf-8")
    out = _import_cin(small)
    summary = models.ImportSnapshot.objects.get(status="current").summary
    assert summary["removed"] > 0
    assert "Removed" in out
    people = summary["tables"]["ssd_person"]
    assert people["rows"] == 2
    assert f"{'ssd_person':<32} {2:>9} {people['added']:>9}" in out
    assert (
        f"{summary['added']} rows added, {summary['changed']} changed, "
        f"{summary['removed']} removed." in out
    )


@pytest.mark.django_db
def test_skip_invalid_says_that_skipped_children_lose_earlier_records(partnership, tmp_path):
    from assure.casedata import models
    from assure.casedata.management.commands.import_cin import Command

    help_text = " ".join(Command().create_parser("assure", "import_cin").format_help().split())
    assert "lose any records imported earlier" in help_text
    first = tmp_path / "first.xml"
    first.write_text(_census(_child("A1"), _child("A2", details=PLAN)), encoding="utf-8")
    _import_cin(first)
    second = tmp_path / "second.xml"
    second.write_text(_census(_child("A1"), _child("A2", sex="X")), encoding="utf-8")
    out = _import_cin(second, "--skip-invalid")
    assert (
        "1 child not imported (problems above): A2. Their earlier records, if any, are "
        "removed by this snapshot" in out
    )
    assert list(models.Person.objects.values_list("ssd_id", flat=True)) == ["A1"]
    assert models.CPPlan.objects.count() == 0

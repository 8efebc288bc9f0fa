"""Agreement between auditors and moderators: kappas against hand-worked values, grade words and
the moderation sheet."""

from pathlib import Path

import pytest

from assure.audits.agreement import (
    GRADES,
    Pair,
    agreement,
    agreement_by,
    normalise_answer,
    normalise_grade,
    read_moderation_sheet,
    reading,
)

O, G, R, I = GRADES  # noqa: E741 - the four grades, best first


def pairs(*grades: tuple[str, str], tool: str = "cp-plan-quality", question: str = "overall"):
    return [Pair(tool, question, "auditor 1", "2026-03", a, b) for a, b in grades]


# 10 pairs, auditor's grade first:
#   (G, G) x4, (G, R), (R, R) x3, (R, G), (O, G)
# Rows (auditor) r = (O 1, G 5, R 4, I 0); columns (moderator) c = (O 0, G 6, R 4, I 0).
# p_o = 7/10; p_e = (1*0 + 5*6 + 4*4 + 0*0)/100 = 46/100;
# kappa = (0.70 - 0.46) / (1 - 0.46) = 0.24 / 0.54 = 0.4444...
# Weighted, w = (i - j)^2 / 9: observed sum(w.O) = (1 + 1 + 1)/9 = 3/9, D_o = 3/90;
# expected sum(w.r.c) = (O row: 1*1*6 + 4*1*4 = 22; G row: 1*5*4 = 20; R row: 1*4*6 = 24)/9
# = 66/9, D_e = 66/900; kappa_w = 1 - (3/90) / (66/900) = 1 - 30/66 = 0.5454...
WORKED = pairs((G, G), (G, G), (G, G), (G, G), (G, R), (R, R), (R, R), (R, R), (R, G), (O, G))


def test_kappa_against_hand_worked_values():
    result = agreement(WORKED)
    assert result.pairs == 10
    assert result.percent_agreement == pytest.approx(70.0)
    assert result.kappa == pytest.approx(0.24 / 0.54)
    assert result.weighted_kappa == pytest.approx(1 - 30 / 66)
    assert result.reading == "moderate"
    assert result.to_json() == {
        "pairs": 10,
        "percent_agreement": 70.0,
        "kappa": 0.444,
        "weighted_kappa": 0.545,
    }


def test_weighted_kappa_counts_how_far_apart_the_grades_are():
    # Both sets: rows r = (2, 0, 0, 2), columns c = (1, 1, 1, 1), 2 of 4 on the diagonal:
    # p_o = 2/4, p_e = (2*1 + 2*1)/16 = 4/16, kappa = (0.5 - 0.25)/0.75 = 1/3 for both.
    # Expected sum((i-j)^2 r c): O row 2*(1 + 4 + 9) = 28, I row 2*(9 + 4 + 1) = 28: 56.
    near = agreement(pairs((O, O), (I, I), (O, G), (I, R)))  # misses of one grade: 1 + 1 = 2
    far = agreement(pairs((O, O), (I, I), (O, R), (I, G)))  # misses of two grades: 4 + 4 = 8
    assert near.kappa == pytest.approx(1 / 3)
    assert far.kappa == pytest.approx(1 / 3)
    assert near.reading == far.reading == "fair"
    assert near.weighted_kappa == pytest.approx(1 - 4 * 2 / 56)  # 0.857
    assert far.weighted_kappa == pytest.approx(1 - 4 * 8 / 56)  # 0.429


def test_all_agree_over_several_grades_is_perfect():
    # r = c = (1, 1, 1, 1): p_o = 1, p_e = 4/16, kappa = (1 - 0.25)/(1 - 0.25) = 1; no
    # disagreement, so kappa_w = 1 - 0 = 1.
    result = agreement(pairs((O, O), (G, G), (R, R), (I, I)))
    assert (result.percent_agreement, result.kappa, result.weighted_kappa) == (100.0, 1.0, 1.0)
    assert result.reading == "almost perfect"


def test_undefined_when_everyone_gave_one_grade():
    # r = c = (0, 3, 0, 0): p_e = 9/9 = 1, so kappa's denominator 1 - p_e is 0; and every
    # expected cell off the diagonal is 0, so D_e = 0 and the weighted kappa is undefined too.
    result = agreement(pairs((G, G), (G, G), (G, G)))
    assert result.percent_agreement == 100.0
    assert result.kappa is None
    assert result.weighted_kappa is None
    assert result.reading == "not defined"
    assert result.to_json()["kappa"] is None


def test_no_pairs_is_undefined_throughout():
    result = agreement([])
    assert (result.pairs, result.percent_agreement, result.kappa, result.weighted_kappa) == (
        0,
        None,
        None,
        None,
    )


def test_worse_than_chance_is_poor():
    # (O, G), (G, O): r = c = (1, 1, 0, 0), p_o = 0, p_e = 2/4, kappa = (0 - 0.5)/0.5 = -1;
    # observed sum((i-j)^2 O) = 2, expected sum((i-j)^2 r c) = 1 + 1 = 2: 1 - 2*2/2 = -1.
    result = agreement(pairs((O, G), (G, O)))
    assert (result.kappa, result.weighted_kappa, result.reading) == (-1.0, -1.0, "poor")


def test_answers_count_in_percent_agreement_but_not_in_kappa():
    answers = pairs(("yes", "yes"), ("no", "Yes"), ("not applicable", "not_applicable"))
    result = agreement(WORKED + answers)
    assert result.pairs == 13
    assert result.percent_agreement == pytest.approx(100 * 9 / 13)  # 7 + 2 the same
    assert result.to_json()["percent_agreement"] == 69.2
    assert result.kappa == pytest.approx(0.24 / 0.54)
    assert result.weighted_kappa == pytest.approx(1 - 30 / 66)
    only_answers = agreement(answers)
    assert only_answers.pairs == 3
    assert only_answers.kappa is None
    assert only_answers.weighted_kappa is None


def test_an_unknown_word_in_a_pair_is_an_error():
    with pytest.raises(ValueError, match="'goodish' is not a grade"):
        agreement(pairs((G, "goodish")))


@pytest.mark.parametrize(
    ("kappa", "words"),
    [
        (-0.01, "poor"),
        (0.0, "slight"),
        (0.20, "slight"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.41, "moderate"),
        (0.60, "moderate"),
        (0.61, "substantial"),
        (0.80, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (None, "not defined"),
    ],
)
def test_landis_and_koch_readings(kappa, words):
    assert reading(kappa) == words


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("good", "good"),
        ("  GOOD ", "good"),
        ("Requires Improvement", "requires improvement"),
        ("requires_improvement", "requires improvement"),
        ("requires   improvement", "requires improvement"),
        ("Outstanding", "outstanding"),
        ("inadequate\t", "inadequate"),
        ("yes", None),
        ("goodish", None),
        ("", None),
    ],
)
def test_grade_words(text, grade):
    assert normalise_grade(text) == grade


def test_answer_words():
    assert normalise_answer(" Not_Applicable ") == "not applicable"
    assert normalise_answer("PARTLY") == "partly"
    assert normalise_answer("good") is None


def test_agreement_by_groups_in_order_of_their_keys():
    both = pairs((G, G), (G, R), tool="csafe", question="q2") + pairs(
        (O, O), tool="core-groups", question="q1"
    )
    both += pairs((I, I), tool="csafe", question="q1")
    groups = agreement_by(both, "tool", "question")
    assert [key for key, _ in groups] == [("core-groups", "q1"), ("csafe", "q1"), ("csafe", "q2")]
    assert [figures.pairs for _, figures in groups] == [1, 1, 2]
    assert groups[2][1].percent_agreement == 50.0
    by_auditor = agreement_by(both, "auditor")
    assert [(key, figures.pairs) for key, figures in by_auditor] == [(("auditor 1",), 4)]
    with pytest.raises(ValueError, match="Group pairs by"):
        agreement_by(both, "team")


# ---- the moderation sheet ---------------------------------------------------------------------

HEADER = "audit_id,team,tool,question,auditor,auditor_grade,moderator_grade,notes\n"


def write(tmp_path: Path, text: str, name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sheet_gives_the_moderated_pairs(tmp_path):
    path = write(
        tmp_path,
        "\ufeff"  # Excel's byte order mark
        + HEADER.upper().replace("NOTES", "Notes")  # header words in any case
        + "A1,Team A,cp-plan-quality,overall,Sam,Good, requires_improvement ,fine\n"
        + "A1,Team A,cp-plan-quality,pace,Sam,yes,No,\n"
        + "A2,Team B,cp-plan-quality,overall,Kim,Outstanding,,not moderated yet\n"
        + ",,,,,,,\n",
    )
    sheet = read_moderation_sheet(path)
    assert not sheet.problems
    assert sheet.not_moderated == 1
    assert sheet.pairs == [
        Pair("cp-plan-quality", "overall", "Sam", "", "good", "requires improvement"),
        Pair("cp-plan-quality", "pace", "Sam", "", "yes", "no"),
    ]


def test_sheet_problems_name_file_row_column_value_and_the_words_expected(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "A1,Team A,csafe,overall,Sam,good,good,\n"
        + "A2,Team A,csafe,overall,Sam,good,Good-ish,\n"
        + "A3,Team A,,overall,Sam,excellent,good,\n"
        + "A4,Team A,csafe,overall,Sam,good,yes,\n",
    )
    sheet = read_moderation_sheet(path)
    assert sheet.pairs == []
    found = [(p.file, p.row, p.column, p.value) for p in sheet.problems.items]
    assert found == [
        ("sheet.csv", 3, "moderator_grade", "Good-ish"),
        ("sheet.csv", 4, "tool", ""),
        ("sheet.csv", 4, "auditor_grade", "excellent"),
        ("sheet.csv", 5, "moderator_grade", "yes"),
    ]
    assert str(sheet.problems.items[0]) == (
        "sheet.csv, row 3, column moderator_grade: found 'Good-ish'; expected a grade "
        "(outstanding, good, requires improvement, inadequate) or an answer "
        "(yes, partly, no, not applicable)"
    )


def test_sheet_missing_columns_and_unreadable_files(tmp_path):
    sheet = read_moderation_sheet(write(tmp_path, "audit_id,tool,question\nA1,csafe,overall\n"))
    assert [(p.row, p.column) for p in sheet.problems.items] == [
        (1, "team"),
        (1, "auditor"),
        (1, "auditor_grade"),
        (1, "moderator_grade"),
    ]
    assert read_moderation_sheet(write(tmp_path, "", "empty.csv")).problems.items[0].expected == (
        "a header row naming the columns"
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "A1,Équipe,csafe,overall,Sam,good,good,\n").encode("latin-1"))
    assert read_moderation_sheet(latin).problems.items[0].expected == "a CSV file saved as UTF-8"


def test_sheet_from_an_upload(tmp_path):
    path = write(tmp_path, HEADER + "A1,Team A,csafe,overall,Sam,good,inadequate,\n")
    with path.open("rb") as upload:
        sheet = read_moderation_sheet(upload, "upload.csv")
    assert [(p.first, p.second) for p in sheet.pairs] == [("good", "inadequate")]
